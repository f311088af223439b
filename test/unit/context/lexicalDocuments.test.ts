import assert from 'node:assert/strict';
import { Bm25Index } from '../../../src/core/context/bm25Index';
import { identifierTerms, textTerms } from '../../../src/core/context/identifierTokens';
import { LexicalDocument, WordTermIds } from '../../../src/core/context/lexicalDocuments';
import { definitionTerms, fileTerms, RankingIndex, SlotKind } from '../../../src/core/context/rankingIndex';
import { FixtureIndex, generatedWorkspace, seededRandom } from './builders';

const PIECES = ['parse', 'Config', 'HTTP', 'server_', '$el', 'x', '2fa', '42', ' ', '.', '(', '\n', 'the', 'Parsing', 'ids', 'URLs', 'é', 'a1b'];

function randomText(random: () => number, pieces: number): string {
  let text = '';
  for (let i = 0; i < pieces; i++) text += PIECES[Math.floor(random() * PIECES.length)] ?? '';
  return text;
}

function addTo(tf: Map<string, number>, terms: readonly string[], weight: number): void {
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + weight);
}

function entriesOf(doc: LexicalDocument, termNames: readonly string[]): [string, number][] {
  const out: [string, number][] = [];
  for (let i = 0; i < doc.size; i++) out.push([termNames[doc.termAt(i)] ?? '?', doc.frequency(doc.termAt(i))]);
  return out;
}

describe('lexical documents by term id', () => {
  it('sum the same terms in the same order as identifierTerms/textTerms into a Map, on random input', () => {
    const random = seededRandom(3);
    const termNames: string[] = [];
    const ids = new Map<string, number>();
    const words = new WordTermIds((term) => {
      let id = ids.get(term);
      if (id === undefined) {
        id = termNames.push(term) - 1;
        ids.set(term, id);
      }
      return id;
    });
    const doc = new LexicalDocument(words);
    for (let round = 0; round < 500; round++) {
      doc.clear();
      const expected = new Map<string, number>();
      for (let op = 0; op < 6; op++) {
        const weight = [0.3, 3, 1, 0.5][Math.floor(random() * 4)] ?? 1;
        const text = randomText(random, Math.floor(random() * 12));
        if (random() < 0.4) {
          doc.addIdentifier(text, weight);
          addTo(expected, identifierTerms(text), weight);
        } else {
          const limit = Math.floor(random() * (text.length + 2));
          doc.addText(text, limit, weight);
          addTo(expected, textTerms(text.slice(0, limit)), weight);
        }
      }
      assert.deepEqual(entriesOf(doc, termNames), [...expected]);
    }
  });

  it('look a word up by a key of the caller as by its characters, also after the memo started over', () => {
    const random = seededRandom(5);
    const termNames: string[] = [];
    const ids = new Map<string, number>();
    const termId = (term: string): number => {
      let id = ids.get(term);
      if (id === undefined) {
        id = termNames.push(term) - 1;
        ids.set(term, id);
      }
      return id;
    };
    // Room for 7 words: the 40 keyed words and the unkeyed ones between them make it start over again and again.
    const words = new WordTermIds(termId, 7);
    const keyed = Array.from({ length: 40 }, (_, k) => `${randomText(random, 1 + (k % 4))}${k}`);
    const doc = new LexicalDocument(words);
    for (let round = 0; round < 2_000; round++) {
      doc.clear();
      const key = Math.floor(random() * keyed.length);
      const word = keyed[key] ?? '';
      if (random() < 0.3) doc.addIdentifier(randomText(random, 3), 1);
      doc.clear();
      doc.addWord(words.entryOfKey(key, word), 2);
      const expected = new Map<string, number>();
      addTo(expected, identifierTerms(word), 2);
      assert.deepEqual(entriesOf(doc, termNames), [...expected], `${word} (key ${key}, round ${round})`);
    }
  });

  it('give the ranking index the BM25 documents of definitionTerms and fileTerms', () => {
    const fixture = new FixtureIndex(generatedWorkspace(5, 20));
    fixture.put('notes/readme.txt', { text: 'parse the parseUserConfig notes\n', defs: [] });
    const index = new RankingIndex();
    index.sync(fixture);
    const reference = new Bm25Index();
    const terms = new Set<string>();
    for (let slot = 0; slot < index.capacity; slot++) {
      const node = index.node(slot);
      let tf: Map<string, number> | undefined;
      if (node?.kind === 'definition') tf = definitionTerms(node.def, index.referencedNames(slot));
      else if (node && index.kindOf(slot) === SlotKind.RankedFile) tf = fileTerms(fixture.files.get(node.path) ?? assert.fail(node.path));
      if (!tf) continue;
      reference.add(slot, tf);
      for (const t of tf.keys()) terms.add(t);
    }
    assert.ok(terms.size > 20);
    for (const term of terms) {
      const query = [{ term, weight: 1, countsForCoverage: true }];
      const a = index.lexical.search(query);
      const slots = [...a.slots];
      const scores = slots.map((s) => a.score[s]);
      const b = reference.search(query);
      assert.deepEqual(slots, [...b.slots], term);
      assert.deepEqual(scores, slots.map((s) => b.score[s]), term);
    }
  });
});
