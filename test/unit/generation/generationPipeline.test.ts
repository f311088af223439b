import assert from 'node:assert/strict';
import { adviseError } from '../../../src/core/errorAdvice';
import { CancellationError, ContextTooLongError, NetworkError } from '../../../src/core/errors';
import { GenerationCache } from '../../../src/core/generation/generationCache';
import { GenerationPipeline, type RequestSample } from '../../../src/core/generation/generationPipeline';
import { nullLogger } from '../../../src/core/ports';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { contextItem, contextResult, FakeContextSource, generationSettings, type GenerationSettings, ScriptedProvider } from './builders';

function setup(over: Partial<GenerationSettings> = {}) {
  const clock = new FakeClock();
  let settings = generationSettings(over);
  const context = new FakeContextSource();
  const openai = new ScriptedProvider('openai');
  const codegen = new ScriptedProvider('codegen');
  const samples: RequestSample[] = [];
  const cache = new GenerationCache(clock, () => ({ enabled: settings['cache.enabled'], ttlSeconds: settings['cache.ttlSeconds'] }));
  const pipeline = new GenerationPipeline({
    settings: () => settings,
    context,
    providers: { openai, codegen },
    cache,
    maxConcurrent: () => settings['http.maxConnections'],
    clock,
    logger: nullLogger,
    recorder: { recordRequest: (s) => samples.push(s) },
  });
  const signal = new AbortController().signal;
  return {
    clock,
    context,
    openai,
    codegen,
    samples,
    cache,
    pipeline,
    signal,
    set: (o: Partial<GenerationSettings>) => {
      settings = { ...settings, ...o };
    },
  };
}

describe('GenerationPipeline.generateWithContext', () => {
  it('attaches ranked context and returns code blocks, explanation, context items, provider and model', async () => {
    const t = setup();
    const tokens: string[] = [];
    const r = await t.pipeline.generateWithContext('write function formatDate', { signal: t.signal, onToken: (x) => tokens.push(x) });
    assert.equal(t.context.queries[0]?.query, 'write function formatDate');
    assert.match(t.openai.calls[0]?.user ?? '', /Relevant code from the workspace/);
    assert.match(t.openai.calls[0]?.system ?? '', /^Advanced code generation with codebase context/);
    assert.deepEqual(r.context, [contextItem()]);
    assert.deepEqual(r.codeBlocks, [{ language: 'typescript', code: '// write function formatDate\n', complete: true }]);
    assert.equal(r.explanation, 'Answer:');
    assert.equal(r.provider, 'openai');
    assert.equal(r.model, 'test-model');
    assert.equal(r.cached, false);
    assert.equal(r.truncated, false);
    assert.equal(tokens.join(''), r.text);
    assert.deepEqual(t.samples.map((s) => [s.outcome, s.cached]), [['ok', false]]);
  });

  it('sends no context when contexten.context.enabled is false, unless the request asks for it', async () => {
    const t = setup({ 'context.enabled': false });
    const r = await t.pipeline.generateWithContext('p1', { signal: t.signal });
    assert.equal(t.context.queries.length, 0);
    assert.deepEqual(r.context, []);
    assert.doesNotMatch(t.openai.calls[0]?.user ?? '', /Relevant code/);
    const r2 = await t.pipeline.generateWithContext('p2', { signal: t.signal, options: { contextEnhancement: true } });
    assert.equal(t.context.queries.length, 1);
    assert.equal(r2.context.length, 1);
  });

  it('uses the provider named by the setting or the request', async () => {
    const t = setup({ 'generation.provider': 'codegen' });
    assert.equal((await t.pipeline.generateWithContext('a', { signal: t.signal })).provider, 'codegen');
    assert.equal((await t.pipeline.generateWithContext('a', { signal: t.signal, options: { provider: 'openai' } })).provider, 'openai');
    assert.equal(t.codegen.calls.length, 1);
    assert.equal(t.openai.calls.length, 1);
  });

  it('answers a repeat from the cache (streaming the cached text once) and counts hit and miss', async () => {
    const t = setup();
    const first = await t.pipeline.generateWithContext('same', { signal: t.signal });
    const tokens: string[] = [];
    const second = await t.pipeline.generateWithContext('same', { signal: t.signal, onToken: (x) => tokens.push(x) });
    assert.equal(t.openai.calls.length, 1);
    assert.equal(second.cached, true);
    assert.equal(second.text, first.text);
    assert.deepEqual(tokens, [first.text]);
    assert.deepEqual(t.cache.stats(), { hits: 1, misses: 1, hitRate: 0.5, size: 1 });
    assert.deepEqual(t.samples.map((s) => s.cached), [false, true]);
  });

  it('forgets the answer of a result the user could not use (fresh or from the cache): the same request goes to the provider again', async () => {
    const t = setup();
    const first = await t.pipeline.generateWithContext('same', { signal: t.signal });
    t.pipeline.forget(first);
    const second = await t.pipeline.generateWithContext('same', { signal: t.signal });
    assert.equal(second.cached, false);
    assert.equal(t.openai.calls.length, 2);
    const third = await t.pipeline.generateWithContext('same', { signal: t.signal });
    assert.equal(third.cached, true, 'the new answer is cached');
    t.pipeline.forget(third);
    assert.equal((await t.pipeline.generateWithContext('same', { signal: t.signal })).cached, false);
    assert.equal(t.openai.calls.length, 3);
    // (A result whose answer was not cached — useCache false — forgets nothing else.)
    const uncached = await t.pipeline.generateWithContext('same', { signal: t.signal, options: { useCache: false } });
    t.pipeline.forget(uncached);
    assert.equal((await t.pipeline.generateWithContext('same', { signal: t.signal })).cached, true);
  });

  it('forgets only the answer the result holds: one the same request stored since under the same key stays', async () => {
    const t = setup();
    let n = 0;
    t.openai.answer = () => ({ text: `answer ${++n}`, model: 'test-model', truncated: false });
    const first = await t.pipeline.generateWithContext('same', { signal: t.signal });
    // (While the first's diff is open, the same request is answered from the cache, and Regenerated: a new answer.)
    const hit = await t.pipeline.generateWithContext('same', { signal: t.signal });
    assert.equal(hit.cached, true);
    t.pipeline.forget(hit);
    const fresh = await t.pipeline.generateWithContext('same', { signal: t.signal });
    assert.equal(fresh.text, 'answer 2');
    // The first's diff is discarded: the new answer is not the one turned down.
    t.pipeline.forget(first);
    const again = await t.pipeline.generateWithContext('same', { signal: t.signal });
    assert.deepEqual([again.cached, again.text], [true, 'answer 2']);
    assert.equal(t.openai.calls.length, 2);
    assert.deepEqual(t.cache.stats(), { hits: 2, misses: 2, hitRate: 0.5, size: 1 }, 'forget counts no hit or miss');
  });

  it('misses when the same model is asked on another server or Codegen organization (a cached answer is the server\'s)', async () => {
    const t = setup();
    await t.pipeline.generateWithContext('same', { signal: t.signal });
    t.openai.endpointUrl = 'https://gateway.example.com/v1';
    const elsewhere = await t.pipeline.generateWithContext('same', { signal: t.signal });
    assert.equal(elsewhere.cached, false);
    assert.equal(t.openai.calls.length, 2);
    t.set({ 'generation.provider': 'codegen' });
    await t.pipeline.generateWithContext('same', { signal: t.signal });
    t.codegen.endpointUrl = 'https://api.codegen.com#2';
    const otherOrg = await t.pipeline.generateWithContext('same', { signal: t.signal });
    assert.equal(otherOrg.cached, false);
    assert.equal(t.codegen.calls.length, 2);
    // Back to the first server: its answer is still there.
    t.set({ 'generation.provider': 'openai' });
    t.openai.endpointUrl = 'http://127.0.0.1/openai';
    assert.equal((await t.pipeline.generateWithContext('same', { signal: t.signal })).cached, true);
  });

  it('caches an answer under the server that gave it when the server changed while the request waited for a connection', async () => {
    const t = setup({ 'http.maxConnections': 1 });
    const a = 'http://127.0.0.1/a/v1';
    const b = 'http://127.0.0.1/b/v1';
    t.openai.endpointUrl = a;
    t.openai.hold();
    const first = t.pipeline.generateWithContext('first', { signal: t.signal });
    const queued = t.pipeline.generateWithContext('queued', { signal: t.signal });
    await flushPromises();
    assert.equal(t.openai.running, 1, 'the second request waits for the connection (its lookup was for server A)');
    t.openai.endpointUrl = b;
    t.openai.releaseAll();
    await Promise.all([first, queued]);
    assert.equal(t.openai.calls.length, 2);

    // Back on A: "queued" was only ever answered by B.
    t.openai.endpointUrl = a;
    const onA = await t.pipeline.generateWithContext('queued', { signal: t.signal });
    assert.equal(onA.cached, false);
    assert.equal(t.openai.calls.length, 3);
    // On B, B's answer is there.
    t.openai.endpointUrl = b;
    assert.equal((await t.pipeline.generateWithContext('queued', { signal: t.signal })).cached, true);
    assert.equal(t.openai.calls.length, 3);
  });

  it('a request that waited for a connection while server and model changed asks the new server for the new model, and is cached under them', async () => {
    const t = setup({ 'http.maxConnections': 1 });
    const a = 'http://127.0.0.1/a/v1';
    const b = 'http://127.0.0.1/b/v1';
    t.openai.endpointUrl = a;
    t.openai.modelName = 'llama3.1';
    t.openai.hold();
    const first = t.pipeline.generateWithContext('first', { signal: t.signal });
    const queued = t.pipeline.generateWithContext('queued', { signal: t.signal });
    const mine = t.pipeline.generateWithContext('mine', { signal: t.signal, options: { model: 'my-model' } });
    await flushPromises();
    assert.equal(t.openai.running, 1, 'two requests wait for the connection (their lookups were for llama3.1 on A)');
    // (settings.json saved with both lines changed: from a local Ollama to OpenAI.)
    t.openai.endpointUrl = b;
    t.openai.modelName = 'gpt-4o-mini';
    t.openai.releaseAll();
    await Promise.all([first, queued, mine]);
    assert.deepEqual(t.openai.calls.map((c) => c.model), [undefined, undefined, 'my-model'], 'the provider reads its model with its endpoint; a caller\'s model wins');

    // On B with gpt-4o-mini, B's answer is there; llama3.1 never answered "queued".
    assert.equal((await t.pipeline.generateWithContext('queued', { signal: t.signal })).cached, true);
    assert.equal((await t.pipeline.generateWithContext('mine', { signal: t.signal, options: { model: 'my-model' } })).cached, true);
    assert.equal(t.openai.calls.length, 3);
    t.openai.modelName = 'llama3.1';
    assert.equal((await t.pipeline.generateWithContext('queued', { signal: t.signal })).cached, false);
    assert.equal(t.openai.calls.length, 4);
  });

  it('looks the cache up for the server and model of one moment: settings that change while the context is ranked give no answer of the old model', async () => {
    const t = setup();
    const a = 'http://127.0.0.1/a/v1';
    const b = 'http://127.0.0.1/b/v1';
    // Once, a caller asked B for llama3.1 by name: its answer is cached under (B, llama3.1).
    t.openai.endpointUrl = b;
    t.openai.modelName = 'gpt-4o-mini';
    await t.pipeline.generateWithContext('p', { signal: t.signal, options: { model: 'llama3.1' } });
    assert.equal(t.openai.calls.length, 1);
    // The settings say A and llama3.1; a request starts, and its context takes a while to rank (an index still building).
    t.openai.endpointUrl = a;
    t.openai.modelName = 'llama3.1';
    let rank: () => void = () => undefined;
    const ranked = new Promise<void>((resolve) => (rank = resolve));
    const answerAfterRanking = t.context.getRelevantContext.bind(t.context);
    t.context.getRelevantContext = async (q) => {
      await ranked;
      return answerAfterRanking(q);
    };
    const pending = t.pipeline.generateWithContext('p', { signal: t.signal });
    await flushPromises();
    // Meanwhile settings.json is saved with both lines changed: B and gpt-4o-mini.
    t.openai.endpointUrl = b;
    t.openai.modelName = 'gpt-4o-mini';
    rank();
    const result = await pending;
    assert.equal(result.cached, false, `the settings ask B for gpt-4o-mini; served ${result.model}'s cached answer`);
    assert.equal(t.openai.calls.length, 2);
  });

  it('does not cache an answer no one endpoint gave (the settings changed while a Codegen run was followed)', async () => {
    const t = setup({ 'generation.provider': 'codegen' });
    t.codegen.reportsEndpoint = false;
    await t.pipeline.generateWithContext('job', { signal: t.signal });
    assert.equal(t.cache.stats().size, 0);
    assert.equal((await t.pipeline.generateWithContext('job', { signal: t.signal })).cached, false);
    assert.equal(t.codegen.calls.length, 2);
  });

  it('misses when the context changes, when options change, and bypasses with useCache false', async () => {
    const t = setup();
    await t.pipeline.generateWithContext('q', { signal: t.signal });
    t.context.items = [contextItem({ text: 'export function parseDate() { /* edited */ }' })];
    await t.pipeline.generateWithContext('q', { signal: t.signal });
    await t.pipeline.generateWithContext('q', { signal: t.signal, codebaseContext: 'selected text' });
    await t.pipeline.generateWithContext('q', { signal: t.signal, options: { temperature: 0.2 } });
    await t.pipeline.generateWithContext('q', { signal: t.signal, options: { useCache: false } });
    assert.equal(t.openai.calls.length, 5);
    assert.equal(t.cache.stats().hits, 0);
  });

  it('expires cached answers after contexten.cache.ttlSeconds on the clock, and caches nothing when disabled', async () => {
    const t = setup({ 'cache.ttlSeconds': 60 });
    await t.pipeline.generateWithContext('q', { signal: t.signal });
    await t.clock.advance(59_000);
    assert.equal((await t.pipeline.generateWithContext('q', { signal: t.signal })).cached, true);
    await t.clock.advance(1_001);
    assert.equal((await t.pipeline.generateWithContext('q', { signal: t.signal })).cached, false);
    t.set({ 'cache.enabled': false });
    assert.equal((await t.pipeline.generateWithContext('q', { signal: t.signal })).cached, false);
    assert.equal(t.openai.calls.length, 3);
  });

  it('counts no hits or misses while caching is off, and counts afresh when it is on again', async () => {
    const t = setup();
    await t.pipeline.generateWithContext('q', { signal: t.signal });
    for (let i = 0; i < 9; i++) await t.pipeline.generateWithContext('q', { signal: t.signal });
    assert.deepEqual(t.cache.stats(), { hits: 9, misses: 1, hitRate: 0.9, size: 1 });
    t.set({ 'cache.enabled': false });
    assert.deepEqual(t.cache.stats(), { hits: 0, misses: 0, hitRate: 0, size: 1 }, 'nothing is served: no 90 % shown');
    for (let i = 0; i < 5; i++) assert.equal((await t.pipeline.generateWithContext('q', { signal: t.signal })).cached, false);
    assert.deepEqual(t.cache.stats(), { hits: 0, misses: 0, hitRate: 0, size: 1 });
    t.set({ 'cache.enabled': true });
    assert.equal((await t.pipeline.generateWithContext('q', { signal: t.signal })).cached, true, 'the kept answer is valid again');
    assert.deepEqual(t.cache.stats(), { hits: 1, misses: 0, hitRate: 1, size: 1 });
    // A TTL of 0 turns caching off as well.
    t.set({ 'cache.ttlSeconds': 0 });
    await t.pipeline.generateWithContext('q', { signal: t.signal });
    assert.equal(t.cache.stats().hits, 0);
  });

    it('applies a lowered contexten.cache.ttlSeconds to answers already cached, and a raised one too', async () => {
    const t = setup({ 'cache.ttlSeconds': 3600 });
    await t.pipeline.generateWithContext('q', { signal: t.signal });
    await t.clock.advance(10 * 60_000);
    t.set({ 'cache.ttlSeconds': 60 });
    assert.equal((await t.pipeline.generateWithContext('q', { signal: t.signal })).cached, false, '10 min old, over the new 60 s');
    assert.equal(t.openai.calls.length, 2);
    await t.clock.advance(60_000);
    assert.equal((await t.pipeline.generateWithContext('q', { signal: t.signal })).cached, true, 'the new answer, 60 s old');
    await t.clock.advance(1);
    t.set({ 'cache.ttlSeconds': 120 });
    assert.equal((await t.pipeline.generateWithContext('q', { signal: t.signal })).cached, true, 'still valid under the raised TTL');
    assert.equal(t.openai.calls.length, 2);
  });

  it('reports a length-truncated answer with a warning and does not cache it', async () => {
    const t = setup();
    t.openai.answer = () => ({ text: '```ts\nfunction cut(', model: 'test-model', truncated: true, finishReason: 'length' });
    const r = await t.pipeline.generateWithContext('q', { signal: t.signal });
    assert.equal(r.truncated, true);
    assert.match(r.warnings[0] ?? '', /cut off at the model’s token limit/);
    assert.equal(r.cutOff, 'token_limit', 'why, for the panel');
    assert.equal(r.codeBlocks[0]?.complete, false);
    await t.pipeline.generateWithContext('q', { signal: t.signal });
    assert.equal(t.openai.calls.length, 2);
  });

  it('says why an answer cut off for another reason is incomplete, and does not cache it either', async () => {
    const t = setup();
    t.openai.answer = () => ({ text: '```ts\nfunction cut(', model: 'test-model', truncated: true, finishReason: 'content_filter' });
    const r = await t.pipeline.generateWithContext('q', { signal: t.signal });
    assert.equal(r.truncated, true);
    assert.match(r.warnings[0] ?? '', /content filter cut the answer off/);
    assert.equal(r.cutOff, 'content_filter');
    t.openai.answer = () => ({ text: 'partial', model: 'test-model', truncated: true, finishReason: 'abort' });
    const aborted = await t.pipeline.generateWithContext('q', { signal: t.signal });
    assert.match(aborted.warnings[0] ?? '', /ended early \(finish_reason "abort"\)/);
    assert.equal(aborted.cutOff, 'aborted');
    assert.equal(aborted.cached, false);
    assert.equal(t.openai.calls.length, 2);
  });

  it('says an answer the server ended for a reason it does not explain ("other") was ended by the server, naming no token limit or cut', async () => {
    const t = setup();
    for (const reason of ['other', 'OTHER', 'MALFORMED_FUNCTION_CALL']) {
      t.openai.answer = () => ({ text: 'Done:\n```ts\nconst a = 1;\n```\n', model: 'test-model', truncated: true, finishReason: reason });
      const r = await t.pipeline.generateWithContext(`q ${reason}`, { signal: t.signal });
      assert.deepEqual(r.warnings, [`The server ended the answer with finish_reason "${reason}" (not the model’s own end) without saying why; it may be incomplete.`]);
      assert.equal(r.cutOff, 'unexplained', reason);
      // (Not cached, as before: asked again, it goes to the server.)
      assert.equal((await t.pipeline.generateWithContext(`q ${reason}`, { signal: t.signal })).cached, false, reason);
    }
    // A provider that says its answer was cut short but not why: no cause is named.
    t.openai.answer = () => ({ text: 'partial', model: 'test-model', truncated: true });
    const unsaid = await t.pipeline.generateWithContext('q unsaid', { signal: t.signal });
    assert.deepEqual(unsaid.warnings, ['The answer was cut off before its end; it may be incomplete.']);
    assert.equal('cutOff' in unsaid, false, 'no reason, none named');
  });

  it('says so next to the answer when the context came while the workspace was still being indexed', async () => {
    const t = setup();
    const complete = await t.pipeline.generateWithContext('q complete', { signal: t.signal });
    assert.deepEqual(complete.warnings, []);
    t.context.partial = { filesDone: 120, filesFound: 900 };
    const r = await t.pipeline.generateWithContext('q partial', { signal: t.signal });
    assert.equal(r.context.length, 1, 'the context found so far is still sent');
    assert.deepEqual(r.warnings, ['The workspace was not fully indexed (120 of 900 files found so far): the context may miss code. Ask again once indexing ends.']);
    t.context.partial = { filesDone: 0, filesFound: 0 };
    const opening = await t.pipeline.generateWithContext('q opening', { signal: t.signal });
    assert.deepEqual(opening.warnings, ['The workspace index was still opening: the context may miss code. Ask again once indexing ends.']);
  });

  it('still generates when the context engine fails, and says so', async () => {
    const t = setup();
    t.context.failWith = new Error('index not ready');
    const r = await t.pipeline.generateWithContext('q', { signal: t.signal });
    assert.deepEqual(r.context, []);
    assert.match(r.warnings[0] ?? '', /Codebase context was not attached: index not ready/);
  });

  it('passes provider errors through and records them by code', async () => {
    const t = setup();
    t.openai.answer = () => new NetworkError('connection refused');
    await assert.rejects(t.pipeline.generateWithContext('q', { signal: t.signal }), NetworkError);
    assert.deepEqual(t.samples, [{ provider: 'openai', outcome: 'error', errorCode: 'network', cached: false, totalMs: 0 }]);
  });

  it("says a prompt too long for the model is so for the caller's code when that is its bigger part (the selection, a fix's lines), else for the context", async () => {
    const t = setup();
    t.openai.answer = () => new ContextTooLongError("The model server rejected POST /v1/chat/completions (HTTP 400: This model's maximum context length is 8192 tokens).");
    const selection = 'x'.repeat(357_805);
    const big = await t.pipeline.generateWithContext('Rewrite this', { signal: t.signal, codebaseContext: selection }).catch((e: unknown) => e);
    assert.ok(big instanceof ContextTooLongError, String(big));
    assert.deepEqual(big.sizes, { callerChars: 357_805, contextChars: contextResult([contextItem()]).chars });
    const advice = adviseError(big);
    assert.match(advice.message, /8192 tokens\)\. The prompt is too long for the model, mostly for the code sent with it \(the selection, or the lines around the error a fix rewrites: 357,805 characters\): select less code/);
    assert.doesNotMatch(advice.message, /maxChars/);

    const small = await t.pipeline.generateWithContext('Rewrite this', { signal: t.signal, codebaseContext: 'x' }).catch((e: unknown) => e);
    assert.match(adviseError(small).message, /too long for the model: lower contexten\.context\.maxChars/);
  });

  it('cancels a running generation and records it as cancelled, not as an error', async () => {
    const t = setup();
    t.openai.hold();
    const ac = new AbortController();
    const p = t.pipeline.generateWithContext('q', { signal: ac.signal });
    await flushPromises();
    ac.abort();
    await assert.rejects(p, CancellationError);
    assert.equal(t.samples[0]?.outcome, 'cancelled');
  });

  it('bounds concurrent provider calls by contexten.http.maxConnections and measures the queue wait', async () => {
    const t = setup({ 'http.maxConnections': 2 });
    t.openai.hold();
    const ps = ['a', 'b', 'c'].map((p) => t.pipeline.generateWithContext(p, { signal: t.signal }));
    await flushPromises();
    assert.equal(t.openai.running, 2);
    await t.clock.advance(250);
    t.openai.releaseAll();
    const results = await Promise.all(ps);
    assert.equal(t.openai.maxRunning, 2);
    assert.deepEqual(
      results.map((r) => r.timings.queueMs),
      [0, 0, 250],
    );
    assert.equal(results[2]?.timings.totalMs, 250);
  });

  it('lets waiting requests start as soon as contexten.http.maxConnections is raised, not when a running one ends', async () => {
    const t = setup({ 'http.maxConnections': 1 });
    t.openai.hold();
    const ps = ['a', 'b', 'c'].map((p) => t.pipeline.generateWithContext(p, { signal: t.signal }));
    await flushPromises();
    assert.equal(t.openai.running, 1);
    t.set({ 'http.maxConnections': 3 });
    t.pipeline.limitsChanged();
    await flushPromises();
    assert.equal(t.openai.running, 3);
    t.openai.releaseAll();
    await Promise.all(ps);
  });

  it('bounds each provider on its own: long Codegen runs do not hold back OpenAI-compatible requests', async () => {
    const t = setup({ 'http.maxConnections': 1 });
    t.codegen.hold();
    const run = t.pipeline.generateWithContext('agent job', { signal: t.signal, options: { provider: 'codegen' } });
    const quick = await t.pipeline.generateWithContext('quick', { signal: t.signal, options: { provider: 'openai' } });
    assert.equal(quick.provider, 'openai');
    t.codegen.releaseAll();
    assert.equal((await run).provider, 'codegen');
  });

  it('lets a request that is cancelled while queued leave the queue without taking a slot', async () => {
    const t = setup({ 'http.maxConnections': 1 });
    t.openai.hold();
    const first = t.pipeline.generateWithContext('first', { signal: t.signal });
    const ac = new AbortController();
    const queued = t.pipeline.generateWithContext('queued', { signal: ac.signal });
    await flushPromises();
    ac.abort();
    await assert.rejects(queued, CancellationError);
    t.openai.releaseAll();
    await first;
    assert.deepEqual(
      t.openai.calls.map((c) => c.user.split('\n').at(-1)),
      ['first'],
    );
  });
});
