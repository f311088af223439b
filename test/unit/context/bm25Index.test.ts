import assert from 'node:assert/strict';
import { Bm25Index, type Bm25Hits, type QueryTerm } from '../../../src/core/context/bm25Index';
import { seededRandom } from './builders';

const q = (...terms: string[]): QueryTerm[] => terms.map((term) => ({ term, weight: 1, countsForCoverage: true }));
const tf = (entries: Record<string, number>): Map<string, number> => new Map(Object.entries(entries));
const matched = (hits: Bm25Hits): number[] => [...hits.slots].sort((a, b) => a - b);

describe('BM25 index', () => {
  it('scores rarer terms and higher term frequency above common ones', () => {
    const bm25 = new Bm25Index();
    bm25.add(0, tf({ parse: 3, config: 3 }));
    bm25.add(1, tf({ parse: 1, user: 1 }));
    bm25.add(2, tf({ user: 1, load: 1 }));
    bm25.add(3, tf({ user: 2 }));
    const hits = bm25.search(q('parse', 'config'));
    assert.deepEqual(matched(hits), [0, 1]);
    assert.ok((hits.score[0] ?? 0) > (hits.score[1] ?? 0));
    assert.equal(hits.max, hits.score[0]);
    assert.ok(bm25.idf('config') > bm25.idf('user'));
    assert.equal(bm25.idf('absent'), 0);
  });

  it('counts only coverage terms in matchedIdf', () => {
    const bm25 = new Bm25Index();
    bm25.add(0, tf({ parse: 1, '=parseconfig': 1 }));
    bm25.add(1, tf({ other: 1 }));
    const hits = bm25.search([
      { term: 'parse', weight: 1, countsForCoverage: true },
      { term: '=parseconfig', weight: 1, countsForCoverage: false },
    ]);
    assert.deepEqual(matched(hits), [0]);
    assert.equal(hits.matchedIdf[0], bm25.idf('parse'));
    assert.ok((hits.score[0] ?? 0) > (bm25.search(q('parse')).score[0] ?? 0));
  });

  it('forgets removed documents and updates document frequencies', () => {
    const bm25 = new Bm25Index();
    bm25.add(0, tf({ parse: 1 }));
    bm25.add(1, tf({ parse: 1, load: 1 }));
    const before = bm25.idf('parse');
    bm25.remove(1, tf({ parse: 1, load: 1 }));
    assert.equal(bm25.documentCount, 1);
    assert.deepEqual(matched(bm25.search(q('parse', 'load'))), [0]);
    assert.equal(bm25.idf('load'), 0);
    assert.notEqual(bm25.idf('parse'), before);
    bm25.add(2, tf({ load: 1 }));
    assert.deepEqual(matched(bm25.search(q('load'))), [2]);
    assert.throws(() => bm25.add(2, tf({ x: 1 })));
  });

  it('gives the same scores after removals as a fresh index of the same documents', () => {
    const churned = new Bm25Index();
    const fresh = new Bm25Index();
    const docs = [tf({ a: 1, b: 2 }), tf({ b: 1, c: 1 }), tf({ a: 3 }), tf({ c: 2, d: 1 })];
    docs.forEach((d, i) => churned.add(i, d));
    churned.remove(1, docs[1] as Map<string, number>);
    churned.add(10, tf({ b: 1, c: 1 }));
    [docs[0], docs[2], docs[3], tf({ b: 1, c: 1 })].forEach((d, i) => fresh.add([0, 2, 3, 10][i] as number, d as Map<string, number>));
    const a = churned.search(q('a', 'b', 'c', 'd'));
    const b = fresh.search(q('a', 'b', 'c', 'd'));
    assert.deepEqual(matched(a), matched(b));
    for (const slot of a.slots) assert.equal(a.score[slot], b.score[slot]);
  });

  it('keeps the total length exact through any order of additions and removals (fractional weights)', () => {
    // Reference terms weigh 0.3, which binary fractions cannot hold: summed in another order, the lengths of the
    // same documents would differ in the last bits, and with them every score (one in ~200 values before).
    const random = seededRandom(5);
    const vocabulary = Array.from({ length: 30 }, (_, i) => `t${i}`);
    const doc = (): Map<string, number> => {
      const m = new Map<string, number>();
      for (let k = 1 + Math.floor(random() * 12); k > 0; k--) {
        const term = vocabulary[Math.floor(random() * vocabulary.length)] as string;
        m.set(term, Math.round(((m.get(term) ?? 0) + [0.3, 0.5, 1, 3][Math.floor(random() * 4)]!) * 10) / 10);
      }
      return m;
    };
    // As the ranking index does: a removed document's slot is not used again (until a rebuild).
    const churned = new Bm25Index();
    const live = new Map<number, Map<string, number>>();
    let next = 0;
    for (let step = 0; step < 2_000; step++) {
      const slots = [...live.keys()];
      if (slots.length > 200 || (slots.length > 0 && random() < 0.4)) {
        const slot = slots[Math.floor(random() * slots.length)] as number;
        churned.remove(slot, live.get(slot) as Map<string, number>);
        live.delete(slot);
      } else {
        const d = doc();
        churned.add(next, d);
        live.set(next++, d);
      }
    }
    const fresh = new Bm25Index();
    for (const slot of [...live.keys()].sort((a, b) => a - b)) fresh.add(slot, live.get(slot) as Map<string, number>);
    let compared = 0;
    for (let i = 0; i < 40; i++) {
      const query = q(...vocabulary.filter(() => random() < 0.15));
      const a = churned.search(query);
      const b = fresh.search(query);
      assert.deepEqual(matched(a), matched(b));
      for (const slot of a.slots) {
        assert.equal(a.score[slot], b.score[slot], `slot ${slot}`);
        compared++;
      }
    }
    assert.ok(compared > 1_000, `compared only ${compared} scores`);
  });

  it('scores the same whether postings sit in the log or were settled into the frozen arrays', () => {
    const random = seededRandom(17);
    const vocabulary = Array.from({ length: 40 }, (_, i) => `t${i}`);
    const settled = new Bm25Index();
    const logged = new Bm25Index();
    const docs = new Map<number, Map<string, number>>();
    let next = 0;
    let settles = 0;
    for (let step = 0; step < 3_000; step++) {
      if (docs.size > 0 && random() < 0.3) {
        const slots = [...docs.keys()];
        const slot = slots[Math.floor(random() * slots.length)] as number;
        settled.remove(slot, docs.get(slot) as Map<string, number>);
        logged.remove(slot, docs.get(slot) as Map<string, number>);
        docs.delete(slot);
      } else {
        const doc = new Map<string, number>();
        for (let k = 1 + Math.floor(random() * 6); k > 0; k--) doc.set(vocabulary[Math.floor(random() * vocabulary.length)] as string, [0.3, 0.5, 1, 3][Math.floor(random() * 4)] as number);
        settled.add(next, doc);
        logged.add(next, doc);
        docs.set(next++, doc);
      }
      if (step % 97 === 0 && settled.settle()) settles++;
      if (step % 250 === 0) {
        const query = q(...vocabulary.filter(() => random() < 0.2));
        const a = settled.search(query);
        const aSlots = [...a.slots];
        const aScores = aSlots.map((slot) => [a.score[slot], a.matchedIdf[slot]]);
        const b = logged.search(query);
        assert.deepEqual([...b.slots], aSlots, `step ${step}: same matches in the same order`);
        assert.deepEqual(aSlots.map((slot) => [b.score[slot], b.matchedIdf[slot]]), aScores, `step ${step}: identical scores`);
      }
    }
    assert.ok(settles > 0, 'the frozen arrays were rebuilt at least once');
    assert.ok(settled.postingCount < logged.postingCount, 'settling drops tombstones');
  });

  it('keeps term frequencies exact past 65,536 distinct values (wider codes)', () => {
    const bm25 = new Bm25Index();
    const count = 70_000;
    for (let slot = 0; slot < count; slot++) bm25.add(slot, tf({ common: 1 + slot / count, [`own${slot}`]: 1 }));
    bm25.settle();
    // First after the settle, a value already coded above 65,535: its code must not be cut to 16 bits.
    const known = 1 + 69_999 / count;
    bm25.add(count + 1, tf({ common: known }));
    bm25.add(count, tf({ common: 0.123456789 }));
    const hits = bm25.search(q('common'));
    const n = count + 2;
    let totalLength = 0.123456789 + known;
    for (let slot = 0; slot < count; slot++) totalLength += 2 + slot / count;
    const avg = totalLength / n;
    const idf = Math.log(1 + (n - n + 0.5) / (n + 0.5));
    const expected = (tfValue: number, length: number): number => (idf * tfValue * 2.2) / (tfValue + 1.2 * (0.25 + (0.75 * length) / avg));
    for (const slot of [0, 1, 65_535, 65_536, 69_999]) {
      const value = 1 + slot / count;
      assert.ok(Math.abs((hits.score[slot] ?? 0) - expected(value, value + 1)) < 1e-12, `slot ${slot}`);
    }
    assert.ok(Math.abs((hits.score[count] ?? 0) - expected(0.123456789, 0.123456789)) < 1e-12);
    assert.ok(Math.abs((hits.score[count + 1] ?? 0) - expected(known, known)) < 1e-12, 'a known wide code added after the settle');
  });
  it('keeps settled and logged term frequencies exact when codes outgrow a byte', () => {
    const values = (from: number, to: number): number[] => Array.from({ length: to - from }, (_, i) => 1 + (from + i) / 1000);
    const build = (settleAfter: boolean): Bm25Index => {
      const bm25 = new Bm25Index();
      // 200 distinct values (byte codes), settled: then 200 more, so the log's codes widen (the frozen ones fit).
      values(0, 200).forEach((v, slot) => bm25.add(slot, tf({ common: v, [`own${slot}`]: 1 })));
      if (settleAfter) bm25.settle();
      values(200, 400).forEach((v, i) => bm25.add(200 + i, tf({ common: v, [`own${200 + i}`]: 1 })));
      return bm25;
    };
    // The expected scores: every value as the only distinct one in an index of one document per value.
    const n = 400;
    const all = values(0, 400);
    const avg = all.reduce((sum, v) => sum + v + 1, 0) / n;
    const idf = Math.log(1 + 0.5 / (n + 0.5));
    for (const settled of [true, false]) {
      const bm25 = build(settled);
      const hits = bm25.search(q('common'));
      all.forEach((v, slot) => {
        const expected = (idf * v * 2.2) / (v + 1.2 * (0.25 + (0.75 * (v + 1)) / avg));
        assert.ok(Math.abs((hits.score[slot] ?? 0) - expected) < 1e-12, `slot ${slot}, settled ${settled}`);
      });
      bm25.settle();
      const again = bm25.search(q('common'));
      for (let slot = 0; slot < n; slot++) assert.ok(Math.abs((again.score[slot] ?? 0) - (hits.score[slot] ?? 0)) < 1e-15, `slot ${slot} after settling`);
    }
  });

  it('grows a reserved log that falls short to the projected size once, and scores as an unreserved index', () => {
    const random = seededRandom(5);
    const vocabulary = Array.from({ length: 60 }, (_, i) => `t${i}`);
    const docs = Array.from({ length: 1_000 }, () => {
      const doc = new Map<string, number>();
      for (let k = 4 + Math.floor(random() * 5); k > 0; k--) doc.set(vocabulary[Math.floor(random() * vocabulary.length)] as string, 1 + Math.floor(random() * 3));
      return doc;
    });
    const postings = docs.reduce((sum, doc) => sum + doc.size, 0);
    const reserved = new Bm25Index();
    const plain = new Bm25Index();
    // About half the postings the documents hold (4-8 terms each): the guess is short.
    reserved.reserve(docs.length * 3, docs.length);
    const capacities = new Set<number>([reserved.logCapacity]);
    docs.forEach((doc, slot) => {
      reserved.add(slot, doc);
      plain.add(slot, doc);
      capacities.add(reserved.logCapacity);
    });
    assert.equal(capacities.size, 2, 'one growth past the first guess');
    assert.ok(reserved.logCapacity >= postings && reserved.logCapacity <= Math.ceil(postings * 1.1), `log ${reserved.logCapacity} for ${postings} postings`);
    const query = q('t1', 't7', 't30', 't59');
    const a = reserved.search(query);
    const aSlots = [...a.slots];
    const aScores = aSlots.map((slot) => a.score[slot]);
    const b = plain.search(query);
    assert.deepEqual([...b.slots], aSlots);
    assert.deepEqual(aSlots.map((slot) => b.score[slot]), aScores);
  });

  it('scores a small reserved build (its log not linked per term) as an unreserved index, before and after more documents', () => {
    const random = seededRandom(9);
    const vocabulary = Array.from({ length: 30 }, (_, i) => `w${i}`);
    const doc = (): Map<string, number> => {
      const d = new Map<string, number>();
      for (let k = 2 + Math.floor(random() * 4); k > 0; k--) d.set(vocabulary[Math.floor(random() * vocabulary.length)] as string, 1 + Math.floor(random() * 2));
      return d;
    };
    const reserved = new Bm25Index();
    const plain = new Bm25Index();
    // Far fewer postings than a settle of a linked log would wait for.
    reserved.reserve(200, 50);
    const same = (): void => {
      for (const query of [q('w1', 'w2'), q('w3', 'w29', 'w0'), q('w15')]) {
        const a = reserved.search(query);
        const b = plain.search(query);
        const aSlots = [...a.slots];
        assert.deepEqual([...b.slots], aSlots);
        assert.deepEqual(
          aSlots.map((slot) => b.score[slot]),
          aSlots.map((slot) => a.score[slot]),
        );
      }
    };
    const docs: Map<string, number>[] = [];
    for (let slot = 0; slot < 50; slot++) {
      const d = doc();
      docs.push(d);
      reserved.add(slot, d);
      plain.add(slot, d);
    }
    // A removal while the reserved log is still unlinked.
    reserved.remove(7, docs[7] as Map<string, number>);
    plain.remove(7, docs[7] as Map<string, number>);
    same();
    assert.equal(reserved.logCapacity, 0, 'the search settled the reserved log');
    for (let slot = 50; slot < 80; slot++) {
      const d = doc();
      reserved.add(slot, d);
      plain.add(slot, d);
    }
    reserved.remove(3, docs[3] as Map<string, number>);
    plain.remove(3, docs[3] as Map<string, number>);
    same();
  });

  it('grows the log by half again once a reserved build is settled', () => {
    const bm25 = new Bm25Index();
    bm25.reserve(4, 1);
    bm25.add(0, tf({ a: 1, b: 1, c: 1, d: 1 }));
    for (let slot = 1; slot < 5_000; slot++) bm25.add(slot, tf({ a: 1 }));
    assert.ok(bm25.settle());
    bm25.add(5_000, tf({ a: 1 }));
    const first = bm25.logCapacity;
    for (let slot = 5_001; bm25.logCapacity === first; slot++) bm25.add(slot, tf({ a: 1 }));
    assert.equal(bm25.logCapacity, Math.ceil(first * 1.5));
  });

  it('settles in steps to the same index as at once, and reads as before until its last step', () => {
    const random = seededRandom(9);
    const vocabulary = Array.from({ length: 80 }, (_, i) => `w${i}`);
    const build = (reserved: boolean): Bm25Index => {
      const bm25 = new Bm25Index();
      if (reserved) bm25.reserve(12_000, 2_000);
      const r = seededRandom(21);
      const docs: Map<string, number>[] = [];
      for (let slot = 0; slot < 2_000; slot++) {
        const doc = new Map<string, number>();
        for (let k = 2 + Math.floor(r() * 6); k > 0; k--) doc.set(vocabulary[Math.floor(r() * vocabulary.length)] as string, 1 + Math.floor(r() * 3));
        bm25.add(slot, doc);
        docs.push(doc);
        if (slot === 300 && !reserved) bm25.settle(); // a frozen part and a log, both read by the stepped settle
      }
      for (let slot = 0; slot < 2_000; slot += 7) bm25.remove(slot, docs[slot] as Map<string, number>); // tombstones it drops
      return bm25;
    };
    const queries = Array.from({ length: 12 }, () => q(...vocabulary.filter(() => random() < 0.1)));
    const scores = (bm25: Bm25Index): number[][] =>
      queries.map((query) => {
        const hits = bm25.search(query);
        return [...hits.slots].flatMap((slot) => [slot, hits.score[slot] as number, hits.matchedIdf[slot] as number]);
      });
    for (const reserved of [false, true]) {
      const atOnce = build(reserved);
      assert.ok(atOnce.settle());
      const stepped = build(reserved);
      const postings = stepped.postingCount;
      // A search between the steps (of a linked log: one not yet linked would settle, which throws) reads as before.
      const before = reserved ? [] : scores(stepped);
      const steps = stepped.settleSteps(500);
      let yields = 0;
      for (let step = steps.next(); !step.done; step = steps.next()) {
        yields++;
        assert.equal(stepped.postingCount, postings, 'nothing changes before the last step');
        if (reserved) assert.throws(() => stepped.search(q('w1')), /settle in steps/);
        else if (yields % 5 === 1) assert.deepEqual(scores(stepped), before, `step ${yields}: reads as before`);
        assert.throws(() => stepped.add(5_000, tf({ w1: 1 })), /settle in steps/);
        assert.throws(() => stepped.remove(1, new Map()), /settle in steps/);
        assert.throws(() => stepped.settle(), /settle in steps/);
      }
      // Two passes over every posting (frozen part, then log), each giving way after about 500.
      const least = 2 * (Math.floor(postings / 500) - 2);
      assert.ok(least >= 20 && yields >= least, `reserved ${reserved}: ${postings} postings, gave way ${yields} times`);
      assert.equal(stepped.postingCount, atOnce.postingCount, 'tombstones dropped as at once');
      assert.deepEqual(scores(stepped), scores(atOnce), `reserved ${reserved}: identical matches and scores`);
    }
  });
});
