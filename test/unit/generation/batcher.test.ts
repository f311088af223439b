import assert from 'node:assert/strict';
import { getEventListeners } from 'node:events';
import { CancellationError, RateLimitError } from '../../../src/core/errors';
import { Batcher, type BatchRequest, type BatchSettings } from '../../../src/core/generation/batcher';
import { GenerationCache } from '../../../src/core/generation/generationCache';
import { GenerationPipeline } from '../../../src/core/generation/generationPipeline';
import type { GenerationResult } from '../../../src/core/generation/model';
import { nullLogger } from '../../../src/core/ports';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { FakeContextSource, generationSettings, ScriptedProvider } from './builders';

/** A generate function whose calls the test settles one by one. */
function controlledGenerate() {
  const calls: { req: BatchRequest; resolve: (r: GenerationResult) => void; reject: (e: unknown) => void }[] = [];
  const generate = (req: BatchRequest): Promise<GenerationResult> => new Promise((resolve, reject) => calls.push({ req, resolve, reject }));
  return { calls, generate };
}

function result(prompt: string): GenerationResult {
  return {
    prompt,
    text: prompt,
    codeBlocks: [],
    explanation: prompt,
    context: [],
    provider: 'openai',
    model: 'm',
    cached: false,
    truncated: false,
    warnings: [],
    timings: { contextMs: 0, queueMs: 0, firstTokenMs: 0, totalMs: 0 },
  };
}

const live = (): AbortSignal => new AbortController().signal;


/**
 * A batcher sending through a real GenerationPipeline (no cache) to a held ScriptedProvider, with these settings: what
 * runs at once is the pipeline's limit and the batcher's size together.
 */
function pipelineBatcher(overrides: Parameters<typeof generationSettings>[0]): { provider: ScriptedProvider; batcher: Batcher } {
  const clock = new FakeClock();
  const settings = generationSettings(overrides);
  const provider = new ScriptedProvider();
  provider.hold();
  const pipeline = new GenerationPipeline({
    settings: () => settings,
    context: new FakeContextSource(),
    providers: { openai: provider },
    cache: new GenerationCache(clock, () => ({ enabled: false, ttlSeconds: 0 })),
    maxConcurrent: () => settings['http.maxConnections'],
    clock,
    logger: nullLogger,
  });
  const batchSettings = (): BatchSettings => ({ size: settings['batch.size'], timeoutMs: settings['batch.timeoutMs'] });
  const batcher = new Batcher({ generate: (req, signal) => pipeline.generateWithContext(req.prompt, { signal, ...(req.options ? { options: req.options } : {}) }), settings: batchSettings, clock });
  return { provider, batcher };
}

describe('Batcher', () => {
  it('keeps the order of the requests whatever order they finish in, and fails items one by one', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: g.generate, settings: () => ({ size: 5, timeoutMs: 1000 }), clock });
    const p = batcher.batchGenerate(['a', 'b', 'c', 'd'].map((prompt) => ({ prompt })), live());
    await flushPromises();
    assert.equal(g.calls.length, 4, 'the partial last batch goes out at once');
    g.calls[3]?.resolve(result('d'));
    g.calls[1]?.reject(new RateLimitError('quota exhausted', undefined, true));
    g.calls[2]?.resolve(result('c'));
    g.calls[0]?.resolve(result('a'));
    const out = await p;
    assert.deepEqual(
      out.map((o) => (o.ok ? o.result.prompt : o.error.code)),
      ['a', 'rate_limit', 'c', 'd'],
    );
    assert.deepEqual(out[1], { ok: false, error: { code: 'rate_limit', message: 'quota exhausted' } });
  });

  it('sends a batch as soon as it holds contexten.batch.size requests', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: g.generate, settings: () => ({ size: 3, timeoutMs: 1000 }), clock });
    for (const prompt of ['1', '2']) void batcher.submit({ prompt }, live());
    await flushPromises();
    assert.equal(g.calls.length, 0);
    void batcher.submit({ prompt: '3' }, live());
    await flushPromises();
    assert.deepEqual(
      g.calls.map((c) => c.req.prompt),
      ['1', '2', '3'],
    );
    assert.equal(batcher.dispatched, 1);
    assert.equal(clock.pending(), 0, 'the timeout timer is cancelled');
  });

  it('sends a partial batch when contexten.batch.timeoutMs passes after its first request', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: g.generate, settings: () => ({ size: 5, timeoutMs: 1000 }), clock });
    void batcher.submit({ prompt: 'x' }, live());
    await clock.advance(600);
    void batcher.submit({ prompt: 'y' }, live());
    await clock.advance(399);
    assert.equal(g.calls.length, 0);
    await clock.advance(1);
    assert.deepEqual(
      g.calls.map((c) => c.req.prompt),
      ['x', 'y'],
    );
  });

  it('sends the next batch only when every generation of the one before has settled', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: g.generate, settings: () => ({ size: 2, timeoutMs: 1000 }), clock });
    const p = batcher.batchGenerate(['a', 'b', 'c', 'd', 'e'].map((prompt) => ({ prompt })), live());
    await flushPromises();
    assert.deepEqual(
      g.calls.map((c) => c.req.prompt),
      ['a', 'b'],
    );
    g.calls[1]?.resolve(result('b'));
    await flushPromises();
    assert.equal(g.calls.length, 2, 'a is still running');
    g.calls[0]?.reject(new RateLimitError('quota exhausted', undefined, true));
    await flushPromises();
    assert.deepEqual(
      g.calls.map((c) => c.req.prompt),
      ['a', 'b', 'c', 'd'],
    );
    g.calls[2]?.resolve(result('c'));
    g.calls[3]?.resolve(result('d'));
    await flushPromises();
    assert.equal(g.calls.length, 5, 'the partial last batch does not wait to fill');
    assert.equal(clock.pending(), 0);
    g.calls[4]?.resolve(result('e'));
    assert.deepEqual(
      (await p).map((o) => (o.ok ? o.result.prompt : o.error.code)),
      ['rate_limit', 'b', 'c', 'd', 'e'],
    );
    assert.equal(batcher.dispatched, 3);
  });

  it('keeps one batch out at a time across callers; a batch whose timeout passed meanwhile goes when that one settles', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: g.generate, settings: () => ({ size: 3, timeoutMs: 1000 }), clock });
    const first = batcher.batchGenerate([{ prompt: 'a' }, { prompt: 'b' }], live());
    await flushPromises();
    const second = batcher.batchGenerate([{ prompt: 'c' }], live());
    const queued = batcher.submit({ prompt: 'x' }, live());
    await clock.advance(5000);
    assert.equal(g.calls.length, 2, 'nothing joins the batch that is out');
    g.calls[0]?.resolve(result('a'));
    g.calls[1]?.resolve(result('b'));
    await first;
    await flushPromises();
    assert.deepEqual(
      g.calls.map((c) => c.req.prompt),
      ['a', 'b', 'c', 'x'],
    );
    g.calls[2]?.resolve(result('c'));
    g.calls[3]?.resolve(result('x'));
    assert.deepEqual((await second).length, 1);
    assert.equal((await queued).ok, true);
  });

  it('on cancel, sends none of the queued batches and answers each request once; other callers go on', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const generate = (req: BatchRequest, signal: AbortSignal): Promise<GenerationResult> =>
      new Promise((resolve, reject) => {
        signal.addEventListener('abort', () => reject(new CancellationError()), { once: true });
        void g.generate(req).then(resolve, reject);
      });
    const batcher = new Batcher({ generate, settings: () => ({ size: 2, timeoutMs: 1000 }), clock });
    const ac = new AbortController();
    const cancelled = batcher.batchGenerate(['a1', 'a2', 'a3', 'a4', 'a5'].map((prompt) => ({ prompt })), ac.signal);
    const other = batcher.batchGenerate([{ prompt: 'b1' }], live());
    await flushPromises();
    ac.abort();
    await assert.rejects(cancelled, CancellationError);
    await flushPromises();
    assert.deepEqual(
      g.calls.map((c) => c.req.prompt),
      ['a1', 'a2', 'b1'],
    );
    g.calls[2]?.resolve(result('b1'));
    assert.deepEqual(
      (await other).map((o) => (o.ok ? o.result.prompt : o.error.code)),
      ['b1'],
    );
    await clock.advance(5000);
    assert.equal(g.calls.length, 3);
    assert.equal(batcher.dispatched, 2);
  });

  it("waits on the caller's signal through one listener however many requests a batch holds (Node 20 warns past 10)", async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: g.generate, settings: () => ({ size: 5, timeoutMs: 1000 }), clock });
    const ac = new AbortController();
    const p = batcher.batchGenerate(Array.from({ length: 20 }, (_, i) => ({ prompt: `p${i}` })), ac.signal);
    await flushPromises();
    assert.equal(getEventListeners(ac.signal, 'abort').length, 1);
    for (let sent = 0; sent < 20; sent++) {
      await flushPromises();
      g.calls[sent]?.resolve(result(g.calls[sent]?.req.prompt ?? ''));
    }
    assert.equal((await p).filter((o) => o.ok).length, 20);
    assert.equal(getEventListeners(ac.signal, 'abort').length, 0);
  });

  it('drops a queued request that is cancelled before its batch goes out', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: g.generate, settings: () => ({ size: 5, timeoutMs: 1000 }), clock });
    const ac = new AbortController();
    const cancelled = batcher.submit({ prompt: 'gone' }, ac.signal);
    void batcher.submit({ prompt: 'kept' }, live());
    ac.abort();
    assert.deepEqual(await cancelled, { ok: false, error: { code: 'cancelled', message: 'Cancelled' } });
    await clock.advance(1000);
    assert.deepEqual(
      g.calls.map((c) => c.req.prompt),
      ['kept'],
    );
  });

  it('rejects batchGenerate with CancellationError when its signal is aborted', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: (req, signal) => (signal.aborted ? Promise.reject(new CancellationError()) : g.generate(req)), settings: () => ({ size: 2, timeoutMs: 0 }), clock });
    const ac = new AbortController();
    ac.abort();
    await assert.rejects(batcher.batchGenerate([{ prompt: 'a' }], ac.signal), CancellationError);
  });

  it('paces every request through the shared pacer before sending it', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    let paced = 0;
    const batcher = new Batcher({
      generate: g.generate,
      settings: () => ({ size: 5, timeoutMs: 0 }),
      clock,
      pace: async () => {
        paced += 1;
        await clock.sleep(100);
      },
    });
    void batcher.batchGenerate([{ prompt: 'a' }, { prompt: 'b' }], live());
    await flushPromises();
    assert.equal(paced, 2);
    assert.equal(g.calls.length, 0);
    await clock.advance(100);
    assert.equal(g.calls.length, 2);
  });

  it('runs through the pipeline with at most contexten.http.maxConnections requests at once', async () => {
    const { provider, batcher } = pipelineBatcher({ 'http.maxConnections': 4, 'batch.size': 5 });
    const p = batcher.batchGenerate(
      Array.from({ length: 12 }, (_, i) => ({ prompt: `prompt ${i}` })),
      live(),
    );
    await flushPromises();
    assert.equal(provider.running, 4);
    assert.equal(batcher.dispatched, 1);
    provider.releaseAll();
    const out = await p;
    assert.equal(provider.maxRunning, 4);
    assert.deepEqual(
      out.map((o) => (o.ok ? o.result.prompt : o.error.code)),
      Array.from({ length: 12 }, (_, i) => `prompt ${i}`),
    );
  });

  it('through the pipeline, runs at most contexten.batch.size generations at once when that is below the pool size', async () => {
    const { provider, batcher } = pipelineBatcher({ 'http.maxConnections': 10, 'batch.size': 2 });
    const p = batcher.batchGenerate(
      Array.from({ length: 8 }, (_, i) => ({ prompt: `prompt ${i}` })),
      live(),
    );
    await flushPromises();
    assert.equal(provider.running, 2);
    provider.releaseAll();
    const out = await p;
    assert.equal(provider.maxRunning, 2);
    assert.equal(batcher.dispatched, 4);
    assert.equal(out.filter((o) => o.ok).length, 8);
  });
});

describe('Batcher.dispose', () => {
  it('answers queued requests with a cancellation and sends nothing', async () => {
    const clock = new FakeClock();
    const g = controlledGenerate();
    const batcher = new Batcher({ generate: g.generate, settings: () => ({ size: 5, timeoutMs: 1000 }), clock });
    const queued = batcher.submit({ prompt: 'never sent' }, live());
    batcher.dispose();
    assert.deepEqual(await queued, { ok: false, error: { code: 'cancelled', message: 'Cancelled' } });
    await clock.advance(5000);
    assert.equal(g.calls.length, 0);
  });
});
