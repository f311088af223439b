import assert from 'node:assert/strict';
import { isDeepStrictEqual } from 'node:util';
import { ContextEngine } from '../../../src/core/context/contextEngine';
import type { ContextQuery, IndexSnapshot } from '../../../src/core/context/model';
import { CancellationError, ValidationError } from '../../../src/core/errors';
import { nullLogger } from '../../../src/core/ports';
import { FixtureIndex, fixedClock, generatedWorkspace, linesOf, sampleWorkspace, type FileSpec } from './builders';

function engineFor(index: IndexSnapshot, overrides: { budget?: number; relevanceThreshold?: number; cacheSize?: number } = {}): ContextEngine {
  return new ContextEngine({
    index,
    clock: fixedClock(),
    logger: nullLogger,
    ...(overrides.cacheSize !== undefined ? { cacheSize: overrides.cacheSize } : {}),
    defaults: { budget: overrides.budget ?? 50_000, relevanceThreshold: overrides.relevanceThreshold ?? 0.05 },
  });
}

/** A file of 2,500 one-line definitions per tag, named churn<tag>x<i>: re-ranking it takes a sync more than one step. */
function churnFile(...tags: number[]): FileSpec {
  const names = tags.flatMap((tag) => Array.from({ length: 2_500 }, (_, i) => `churn${tag}x${i}`));
  return { text: names.map((n) => `export function ${n}(): void {}`).join('\n'), defs: names.map((name, i) => ({ name, lines: [i + 1, i + 1] as [number, number] })) };
}

/** A clock whose sleeps (a ranking sync's steps) wait, while held, until the test releases them. */
function heldClock(): { clock: ReturnType<typeof fixedClock>; waiting(): number; hold(): void; release(): void } {
  let held: (() => void)[] | undefined = [];
  const clock = Object.assign(fixedClock(), {
    sleep: (): Promise<void> => (held ? new Promise<void>((resolve) => held?.push(resolve)) : Promise.resolve()),
  });
  return {
    clock,
    waiting: () => held?.length ?? 0,
    hold: () => {
      held ??= [];
    },
    release: () => {
      const holding = held ?? [];
      held = undefined;
      for (const resolve of holding) resolve();
    },
  };
}

/** A workspace big enough that building the ranking index takes several steps. */
function largeWorkspace(): FixtureIndex {
  return new FixtureIndex(generatedWorkspace(3, 900));
}

describe('context engine', () => {
  it('returns ranked, packed items with reasons, within the budget', async () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const engine = engineFor(fixture);
    const result = await engine.getRelevantContext({ query: 'why does parseConfig fail on a missing settings file', activeFile: 'src/server/startServer.ts' });
    assert.equal(result.items[0]?.symbol, 'parseConfig');
    assert.equal(result.cached, false);
    assert.equal(result.budget, 50_000);
    assert.equal(result.indexVersion, fixture.version);
    assert.equal(result.chars, result.items.reduce((n, i) => n + i.text.length, 0));
    for (const item of result.items) {
      assert.ok(item.reasons.length > 0);
      assert.equal(item.text, linesOf((await fixture.readText(item.file)) ?? '', item.startLine, item.endLine));
    }
  });

  it('ranks a query whose activeFile is null (about no file of the index) as one with none, from the same cache entry', async () => {
    const engine = engineFor(new FixtureIndex(sampleWorkspace()));
    // (The ranker is told of no active file: not of a null one.)
    const ranker = (engine as unknown as { ranker: { rank: (query: string, hints: object, ...rest: unknown[]) => unknown } }).ranker;
    const rank = ranker.rank.bind(ranker);
    const hints: object[] = [];
    ranker.rank = (query, given, ...rest) => {
      hints.push(given);
      return rank(query, given, ...rest);
    };
    const query = 'why does parseConfig fail on a missing settings file';
    const none = await engine.getRelevantContext({ query, activeFile: null });
    assert.equal(none.cached, false);
    assert.deepEqual(hints, [{ openFiles: [], recentFiles: [] }]);
    assert.ok(none.items.every((i) => i.reasons.every((r) => !r.includes('active file'))));
    const without = await engine.getRelevantContext({ query });
    assert.equal(without.cached, true);
    assert.deepEqual(without.items, none.items);
  });

  it('filters out items below the relevance threshold (query or default)', async () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const everything = await engineFor(fixture, { relevanceThreshold: 0 }).getRelevantContext({ query: 'parse config', activeFile: 'src/server/startServer.ts' });
    const strict = await engineFor(fixture, { relevanceThreshold: 0.3 }).getRelevantContext({ query: 'parse config', activeFile: 'src/server/startServer.ts' });
    const perQuery = await engineFor(fixture).getRelevantContext({ query: 'parse config', activeFile: 'src/server/startServer.ts', relevanceThreshold: 0.3 });
    assert.ok(everything.items.some((i) => i.score < 0.3));
    assert.ok(strict.items.length > 0 && strict.items.every((i) => i.score >= 0.3));
    assert.deepEqual(perQuery.items, strict.items);
  });

  it('uses the default budget unless the query sets one', async () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const engine = engineFor(fixture, { budget: 120 });
    const small = await engine.getRelevantContext({ query: 'parse config' });
    assert.equal(small.budget, 120);
    assert.ok(small.chars <= 120 && small.items.length > 0);
    const large = await engine.getRelevantContext({ query: 'parse config', budget: 10_000 });
    assert.ok(large.chars > small.chars);
  });

  it('serves a repeated query from the cache, ignoring whitespace and case', async () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const engine = engineFor(fixture);
    const first = await engine.getRelevantContext({ query: 'Parse  the config', activeFile: 'src/server/startServer.ts', openFiles: ['src/a.ts', 'src/b.ts'] });
    const readsAfterFirst = fixture.reads.length;
    const second = await engine.getRelevantContext({ query: ' parse the CONFIG\n', activeFile: 'src/server/startServer.ts', openFiles: ['src/b.ts', 'src/a.ts'] });
    assert.equal(second.cached, true);
    assert.deepEqual(second.items, first.items);
    // A hit reads its items' files again (the cache keeps no texts), each once, and nothing else.
    assert.deepEqual(fixture.reads.slice(readsAfterFirst), [...new Set(first.items.map((i) => i.file))]);
    assert.deepEqual(engine.cacheStats(), { hits: 1, misses: 1, hitRate: 0.5, size: 1 });
    const otherFile = await engine.getRelevantContext({ query: 'parse the config', activeFile: 'src/util/strings.ts' });
    assert.equal(otherFile.cached, false);
    const otherBudget = await engine.getRelevantContext({ query: 'parse the config', activeFile: 'src/server/startServer.ts', openFiles: ['src/a.ts', 'src/b.ts'], budget: 100 });
    assert.equal(otherBudget.cached, false);
  });

  it('misses the cache and ranks the new content after the index version changes', async () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const engine = engineFor(fixture);
    const before = await engine.getRelevantContext({ query: 'snake case' });
    assert.ok(!before.items.some((i) => i.symbol === 'toSnakeCase'));
    fixture.put('src/util/snake.ts', { text: 'export function toSnakeCase(text: string): string {\n  return text;\n}\n', defs: [{ name: 'toSnakeCase', lines: [1, 3] }] });
    const after = await engine.getRelevantContext({ query: 'snake case' });
    assert.equal(after.cached, false);
    assert.equal(after.indexVersion, fixture.version);
    assert.equal(after.items[0]?.symbol, 'toSnakeCase');
    assert.equal((await engine.getRelevantContext({ query: 'snake case' })).cached, true);
    assert.equal(engine.cacheStats().misses, 2);
  });

  it('ranks over a swapped index even when its version number is the same', async () => {
    const first = new FixtureIndex(sampleWorkspace());
    const engine = engineFor(first);
    await engine.getRelevantContext({ query: 'kebab' });
    const second = new FixtureIndex({ 'lib/kebab.ts': { text: 'export function kebabify() {}\n', defs: [{ name: 'kebabify', lines: [1, 1] }] } });
    assert.equal(second.version, first.version);
    engine.setIndex(second);
    const result = await engine.getRelevantContext({ query: 'kebab' });
    assert.equal(result.cached, false);
    assert.deepEqual(result.items.map((i) => i.file), ['lib/kebab.ts']);
  });

  it('evicts the least recently used results beyond its size', async () => {
    const engine = engineFor(new FixtureIndex(sampleWorkspace()), { cacheSize: 2 });
    for (const q of ['parse', 'server', 'cache']) await engine.getRelevantContext({ query: q });
    assert.equal(engine.cacheStats().size, 2);
    assert.equal((await engine.getRelevantContext({ query: 'cache' })).cached, true);
    assert.equal((await engine.getRelevantContext({ query: 'parse' })).cached, false);
  });

  it('builds a prompt with a context section: paths, line ranges, fenced code, then the task', async () => {
    const engine = engineFor(new FixtureIndex(sampleWorkspace()));
    const { prompt, context } = await engine.enhancePrompt('Make parseConfig accept YAML', { activeFile: 'src/server/startServer.ts', budget: 2_000 });
    assert.ok(context.items.length > 0);
    assert.ok(prompt.startsWith('## Relevant code from the workspace'));
    assert.ok(prompt.endsWith('## Task\n\nMake parseConfig accept YAML'));
    const first = context.items[0];
    assert.ok(first);
    assert.ok(prompt.includes(`### ${first.file} (lines ${first.startLine}-${first.endLine}): ${first.kind} ${first.symbol}\n\`\`\`typescript\n${first.text}\n\`\`\``));
    const none = await engine.enhancePrompt('zzz qqq', { relevanceThreshold: 1 });
    assert.equal(none.prompt, 'zzz qqq');
    assert.equal(none.context.items.length, 0);
  });

  it('fences text that itself contains backticks with a longer fence', async () => {
    const text = 'export const TEMPLATE = `\n```js\nx\n```\n`;\n';
    const engine = engineFor(new FixtureIndex({ 'src/template.ts': { text, defs: [{ name: 'TEMPLATE', kind: 'const', lines: [1, 5] }] } }));
    const { prompt } = await engine.enhancePrompt('TEMPLATE', {});
    assert.ok(prompt.includes('````typescript\nexport const TEMPLATE'));
    assert.ok(prompt.includes('`;\n````'));
  });

  it('scores a definition for a query in 0..1, higher when it matches', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const engine = engineFor(fixture);
    const defs = [...fixture.files.values()].flatMap((f) => f.definitions);
    const parseConfig = defs.find((d) => d.name === 'parseConfig');
    const lru = defs.find((d) => d.name === 'LruCache');
    assert.ok(parseConfig && lru);
    const hit = engine.scoreRelevance(parseConfig, 'parse the config');
    assert.ok(hit > 0.5 && hit <= 1);
    assert.equal(engine.scoreRelevance(lru, 'parse the config'), 0);
    const outsider = { ...lru, id: 'elsewhere.ts#loadConfigFile#1', file: 'elsewhere.ts', name: 'loadConfigFile' };
    const partial = engine.scoreRelevance(outsider, 'parse the config');
    assert.ok(partial > 0 && partial < hit);
  });

  it('rejects an invalid query with a ValidationError', async () => {
    const engine = engineFor(new FixtureIndex(sampleWorkspace()));
    await assert.rejects(engine.getRelevantContext({ query: 'x', budget: -1 }), ValidationError);
    await assert.rejects(engine.getRelevantContext({ query: 'x', relevanceThreshold: 2 }), ValidationError);
    await assert.rejects(engine.getRelevantContext({ query: 42 } as unknown as ContextQuery), ValidationError);
  });

  it('answers queries at the limits and names every field out of them (checked by hand first, by the schema when in doubt)', async () => {
    const engine = engineFor(new FixtureIndex(sampleWorkspace()));
    const files = Array.from({ length: 1_000 }, (_, i) => `f${i}.ts`);
    await engine.getRelevantContext({ query: 'x', budget: 0, relevanceThreshold: 1, openFiles: files, recentFiles: files, activeFile: 'a.ts' });
    await engine.getRelevantContext({ query: 'x', budget: 100_000_000, relevanceThreshold: 0 });
    // A field the schema does not know is dropped by it, not an error.
    await engine.getRelevantContext({ query: 'x', extra: true } as unknown as ContextQuery);
    const invalid: [ContextQuery, RegExp][] = [
      [{ query: 'x', budget: 1.5 }, /budget/],
      [{ query: 'x', budget: Number.NaN }, /budget/],
      [{ query: 'x', budget: 100_000_001 }, /budget/],
      [{ query: 'x', relevanceThreshold: -0.1 }, /relevanceThreshold/],
      [{ query: 'x'.repeat(200_001) }, /query/],
      [{ query: 'x', openFiles: [...files, 'one more'] }, /openFiles/],
      [{ query: 'x', recentFiles: [1] } as unknown as ContextQuery, /recentFiles\.0/],
      [{ query: 'x', activeFile: 3 } as unknown as ContextQuery, /activeFile/],
      // Not an object at all (review17: the hand check read fields of null, and took an array for an object).
      [null as unknown as ContextQuery, /object/],
      [Object.assign([], { query: 'x' }) as unknown as ContextQuery, /object/],
    ];
    for (const [query, field] of invalid) {
      await assert.rejects(engine.getRelevantContext(query), (err: unknown) => err instanceof ValidationError && /^Invalid context query: /.test(err.message) && field.test(err.message));
    }
  });

  it('builds a large ranking index in steps, giving the event loop a turn between them', async () => {
    const fixture = largeWorkspace();
    const clock = fixedClock();
    const engine = new ContextEngine({ index: fixture, clock, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
    const query = { query: 'parse the user config', activeFile: [...fixture.files.keys()][5] as string };
    const stepped = await engine.getRelevantContext(query);
    assert.ok(clock.sleeps >= 2, `slept ${clock.sleeps} times`);
    const sleepsAfterBuild = clock.sleeps;
    await engine.getRelevantContext({ ...query, budget: 4_001 });
    assert.equal(clock.sleeps, sleepsAfterBuild, 'an unchanged index needs no steps');
    const reference = await engineFor(fixture, { budget: 4_000 }).getRelevantContext(query);
    assert.deepEqual(stepped.items, reference.items);
  });

  it("answers as a fresh engine after a query cancelled during the index build", async () => {
    const fixture = largeWorkspace();
    const clock = fixedClock();
    const engine = new ContextEngine({ index: fixture, clock, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
    const controller = new AbortController();
    clock.onSleep = () => controller.abort();
    const query = { query: 'render the token stream', activeFile: [...fixture.files.keys()][7] as string };
    await assert.rejects(engine.getRelevantContext(query, controller.signal), CancellationError);
    clock.onSleep = undefined;
    const resumed = await engine.getRelevantContext(query);
    const reference = await engineFor(fixture, { budget: 4_000 }).getRelevantContext(query);
    assert.deepEqual(resumed.items, reference.items);
  });

  it('stops with a CancellationError when aborted before or during the work', async () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const engine = engineFor(fixture);
    const aborted = new AbortController();
    aborted.abort();
    await assert.rejects(engine.getRelevantContext({ query: 'parse config' }, aborted.signal), CancellationError);
    // Abort while the packer waits for a file: the result is neither returned nor cached.
    const during = new AbortController();
    const slow: IndexSnapshot = {
      version: fixture.version,
      files: fixture.files,
      readText: async (p) => {
        during.abort();
        return fixture.readText(p);
      },
    };
    const slowEngine = engineFor(slow);
    await assert.rejects(slowEngine.getRelevantContext({ query: 'parse config' }, during.signal), CancellationError);
    assert.equal(slowEngine.cacheStats().size, 0);
  });
  it("waits for the files it reads ahead through one listener on the query's signal (Node 20 warns past 10)", async () => {
    const fixture = new FixtureIndex(generatedWorkspace(5, 60));
    const controller = new AbortController();
    let listening = 0;
    let most = 0;
    const signal = controller.signal;
    const add = signal.addEventListener.bind(signal);
    const remove = signal.removeEventListener.bind(signal);
    signal.addEventListener = ((...args: Parameters<AbortSignal['addEventListener']>) => {
      if (args[0] === 'abort') most = Math.max(most, ++listening);
      add(...args);
    }) as AbortSignal['addEventListener'];
    signal.removeEventListener = ((...args: Parameters<AbortSignal['removeEventListener']>) => {
      if (args[0] === 'abort') listening--;
      remove(...args);
    }) as AbortSignal['removeEventListener'];
    // (Reads that settle only after the packer has asked for the next ones: all read ahead wait at once.)
    const reads: string[] = [];
    const index: IndexSnapshot = { version: fixture.version, files: fixture.files, readText: async (p) => { reads.push(p); await new Promise((resolve) => setImmediate(resolve)); return fixture.readText(p); } };
    const result = await engineFor(index, { relevanceThreshold: 0 }).getRelevantContext({ query: 'handles the config of a token' }, controller.signal);
    assert.ok(new Set(reads).size > 10, `${new Set(reads).size} files read`);
    assert.ok(result.items.length > 10);
    assert.ok(most <= 1, `${most} abort listeners at once`);
    assert.equal(listening, 0);
  });

  it('finishes a query whose packing waits on a file read while another request syncs a newer index', async () => {
    const specs = generatedWorkspace(3, 60);
    const fixture = new FixtureIndex(specs);
    let release: () => void = () => undefined;
    const released = new Promise<void>((resolve) => (release = resolve));
    let reached: () => void = () => undefined;
    const reading = new Promise<void>((resolve) => (reached = resolve));
    let hold = true;
    const snapshot: IndexSnapshot = {
      get version() {
        return fixture.version;
      },
      files: fixture.files,
      readText: async (path) => {
        if (hold) {
          reached();
          await released;
        }
        return fixture.readText(path);
      },
    };
    const engine = new ContextEngine({ index: snapshot, clock: fixedClock(), logger: nullLogger, defaults: { budget: 50_000, relevanceThreshold: 0.01 } });
    const first = engine.getRelevantContext({ query: 'value string handles the of a' });
    await reading;
    // Every file extracted anew (new definitions objects, same texts) and the ranking index synced by another request.
    for (const [path, spec] of Object.entries(specs)) fixture.put(path, spec);
    hold = false;
    const someDefinition = [...fixture.files.values()].flatMap((f) => f.definitions)[0];
    assert.ok(someDefinition);
    engine.scoreRelevance(someDefinition, 'value');
    release();
    const result = await first;
    assert.ok(result.items.length > 24, `items: ${result.items.length}`);
  });

  describe('preparing the ranking index ahead of the first query', () => {
    const query = { query: 'parse the user config' };

    it('builds it in steps; the first query then needs none and answers as an unprepared engine does', async () => {
      const fixture = largeWorkspace();
      const clock = fixedClock();
      const engine = new ContextEngine({ index: fixture, clock, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
      assert.equal(engine.rankingReady, false);
      await engine.prepare();
      assert.equal(engine.rankingReady, true);
      assert.ok(clock.sleeps >= 2, `slept ${clock.sleeps} times`);
      const sleeps = clock.sleeps;
      const result = await engine.getRelevantContext(query);
      assert.equal(clock.sleeps, sleeps, 'the query built nothing');
      assert.deepEqual(result.items, (await engineFor(fixture, { budget: 4_000 }).getRelevantContext(query)).items);
    });

    it('lets a query that comes during the build join it: one build between them', async () => {
      const fixture = largeWorkspace();
      const alone = fixedClock();
      await new ContextEngine({ index: fixture, clock: alone, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } }).prepare();
      const clock = fixedClock();
      const engine = new ContextEngine({ index: fixture, clock, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
      const preparing = engine.prepare();
      const result = await engine.getRelevantContext(query);
      await preparing;
      assert.equal(clock.sleeps, alone.sleeps, 'the steps of one build');
      assert.deepEqual(result.items, (await engineFor(fixture, { budget: 4_000 }).getRelevantContext(query)).items);
    });

    it('stops a cancelled waiter at once and goes on building for the others', async () => {
      const fixture = largeWorkspace();
      const steps = heldClock();
      const engine = new ContextEngine({ index: fixture, clock: steps.clock, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
      const preparing = engine.prepare();
      const controller = new AbortController();
      const waiting = engine.getRelevantContext(query, controller.signal);
      controller.abort();
      await assert.rejects(waiting, CancellationError);
      assert.equal(steps.waiting(), 1, 'the build is held at its first step');
      assert.equal(engine.rankingReady, false);
      steps.release();
      await preparing;
      assert.equal(engine.rankingReady, true);
      // A preparation whose own signal aborts stops waiting too; the build it started goes on.
      fixture.put('src/late.ts', { text: 'export function lateArrival(): void {}', defs: [{ name: 'lateArrival', lines: [1, 1] }] });
      steps.hold();
      const stopped = new AbortController();
      const stopping = engine.prepare(stopped.signal);
      stopped.abort();
      await assert.rejects(stopping, CancellationError);
      steps.release();
      const late = await engine.getRelevantContext({ query: 'lateArrival' });
      assert.equal(late.items[0]?.symbol, 'lateArrival');
    });

    it('waits for the index as it was when the caller came, not for changes that keep coming after', async () => {
      // Re-ranking the churn file takes a sync more than one step, during which it changes again.
      const fixture = new FixtureIndex(generatedWorkspace(3, 200));
      fixture.put('src/churn.ts', churnFile(0));
      const clock = fixedClock();
      const engine = new ContextEngine({ index: fixture, clock, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
      await engine.prepare();
      // It changes at every step of every sync (a checkout, a formatter over many files), up to 200 times.
      let edits = 0;
      clock.onSleep = () => {
        if (edits < 200) fixture.put('src/churn.ts', churnFile(++edits));
      };
      fixture.put('src/churn.ts', churnFile(++edits));
      await engine.getRelevantContext({ query: 'churn' });
      assert.ok(edits < 10, `the query waited for ${edits} changes`);
      clock.onSleep = undefined;
      // What changed after it came is the next query's: that one answers as a fresh engine does.
      const query = { query: `churn${edits}x7` };
      const next = await engine.getRelevantContext(query);
      assert.equal(next.items[0]?.symbol, `churn${edits}x7`);
      assert.deepEqual(next.items, (await engineFor(fixture, { budget: 4_000 }).getRelevantContext(query)).items);
    });

    it('ranks a query that waited for the build over the whole index, though a later caller begins the next sync as it ends', async () => {
      // The edit appends definitions to the churn file (those before keep their lines and text).
      const specs = { ...generatedWorkspace(3, 900), 'src/churn.ts': churnFile(0) };
      const query = { query: 'churn0x7' };
      const before = (await engineFor(new FixtureIndex(specs), { budget: 4_000 }).getRelevantContext(query)).items;
      assert.equal(before[0]?.symbol, 'churn0x7');
      const fixture = new FixtureIndex(specs);
      const steps = heldClock();
      const engine = new ContextEngine({ index: fixture, clock: steps.clock, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
      const preparing = engine.prepare();
      const first = engine.getRelevantContext(query);
      await new Promise((resolve) => setImmediate(resolve));
      // An edit, then a second query: it will begin a sync of its own as soon as the build ends.
      fixture.put('src/churn.ts', churnFile(0, 1));
      const second = engine.getRelevantContext({ query: 'churn1x0' });
      await new Promise((resolve) => setImmediate(resolve));
      steps.release();
      assert.equal(await preparing, true);
      const after = (await engineFor(fixture, { budget: 4_000 }).getRelevantContext(query)).items;
      const answered = (await first).items;
      assert.equal(answered[0]?.symbol, 'churn0x7', 'the first query found what both versions hold');
      // Over the index as it was when it came, or as it was after the edit — never over one half re-ranked.
      assert.ok(isDeepStrictEqual(answered, before) || isDeepStrictEqual(answered, after), 'answered over one version of the index');
      assert.equal((await second).items[0]?.symbol, 'churn1x0');
    });

    it('answers a query over the index it began with, though the engine was given another meanwhile', async () => {
      const a = new FixtureIndex(generatedWorkspace(3, 900));
      const b = new FixtureIndex(generatedWorkspace(5, 900));
      const engine = new ContextEngine({ index: a, clock: fixedClock(), logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
      const query = { query: 'parse the user config value string' };
      const onA = engine.getRelevantContext(query);
      engine.setIndex(b);
      const onB = engine.getRelevantContext(query);
      const [ra, rb] = await Promise.all([onA, onB]);
      assert.deepEqual(ra.items, (await engineFor(a, { budget: 4_000 }).getRelevantContext(query)).items, 'the query on a');
      assert.deepEqual(rb.items, (await engineFor(b, { budget: 4_000 }).getRelevantContext(query)).items, 'the query on b');
    });

    it('does not rank over a sync under way, though the ranking index still holds what the query asks for', async () => {
      const a = new FixtureIndex(generatedWorkspace(3, 900));
      const b = new FixtureIndex(generatedWorkspace(5, 900));
      const steps = heldClock();
      const engine = new ContextEngine({ index: a, clock: steps.clock, logger: nullLogger, defaults: { budget: 4_000, relevanceThreshold: 0.05 } });
      const query = { query: 'parse the user config value string' };
      steps.release();
      await engine.prepare();
      // A sync of another index begins and is held halfway; meanwhile a query on the index the ranking still holds.
      engine.setIndex(b);
      steps.hold();
      const onB = engine.getRelevantContext(query);
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(steps.waiting(), 1, 'the sync of b is under way');
      engine.setIndex(a);
      const onA = engine.getRelevantContext(query);
      await new Promise((resolve) => setImmediate(resolve));
      steps.release();
      const [ra, rb] = await Promise.all([onA, onB]);
      assert.deepEqual(ra.items, (await engineFor(a, { budget: 4_000 }).getRelevantContext(query)).items, 'the query on a');
      assert.deepEqual(rb.items, (await engineFor(b, { budget: 4_000 }).getRelevantContext(query)).items, 'the query on b');
    });

    it('lets a query cancelled in a file read go at once: the queries and syncs after it do not wait for the read', async () => {
      const fixture = new FixtureIndex(generatedWorkspace(3, 900));
      const engine = engineFor(fixture, { budget: 4_000 });
      await engine.prepare();
      const read = fixture.readText.bind(fixture);
      let stuck = true;
      fixture.readText = (p) => (stuck ? new Promise<string | undefined>(() => undefined) : read(p)); // a read that never ends
      const controller = new AbortController();
      const first = engine.getRelevantContext({ query: 'parse the user config' }, controller.signal);
      await new Promise((resolve) => setImmediate(resolve));
      controller.abort();
      await assert.rejects(first, CancellationError);
      stuck = false;
      // A change (so a sync is due) and a query that needs it.
      fixture.put('src/fresh.ts', { text: 'export function freshThing(): void {}', defs: [{ name: 'freshThing', lines: [1, 1] }] });
      const next = await engine.getRelevantContext({ query: 'freshThing' });
      assert.equal(next.items[0]?.symbol, 'freshThing');
    });

    it('rejects when the build fails, and the next call builds again', async () => {
      const fixture = new FixtureIndex(sampleWorkspace());
      let failing = true;
      const snapshot: IndexSnapshot = {
        get version() {
          return fixture.version;
        },
        get files() {
          if (failing) throw new Error('index unreadable');
          return fixture.files;
        },
        readText: (p) => fixture.readText(p),
      };
      const engine = engineFor(snapshot);
      await assert.rejects(engine.prepare(), /index unreadable/);
      assert.equal(engine.rankingReady, false);
      failing = false;
      const result = await engine.getRelevantContext({ query: 'why does parseConfig fail on a missing settings file' });
      assert.equal(result.items[0]?.symbol, 'parseConfig');
      assert.equal(engine.rankingReady, true);
    });
  });
});
