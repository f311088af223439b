import assert from 'node:assert/strict';
import type { AgentRun, SignIn } from '../../../src/core/api/codegenClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { resolveConfig } from '../../../src/core/config/configSchema';
import { GenerationError, PlanLimitError, ValidationError } from '../../../src/core/errors';
import { createGenerationServices, type GenerationServices } from '../../../src/core/generation/generationServices';
import { systemClock } from '../../../src/core/ports';
import { performanceReportSchema } from '../../../src/shared/performanceReport';
import { type OpenAiServer, startOpenAiServer } from '../../servers/openai/openAiServer';
import { settle } from '../fakes/driveClock';
import { FakeClock, flushPromises } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import { unusedCodegen } from '../fakes/unusedCodegen';
import { FakeContextSource } from './builders';

const KEY = 'sk-services-KEY-987654321';

describe('createGenerationServices (public API end to end over the OpenAI contract server)', () => {
  let server: OpenAiServer;
  let transport: UndiciTransport;
  let services: GenerationServices;
  let logger: RecordingLogger;

  beforeEach(async () => {
    server = await startOpenAiServer({ apiKey: KEY });
    transport = new UndiciTransport({ maxConnections: 4 });
    logger = new RecordingLogger();
    const { snapshot } = resolveConfig({ 'openai.baseUrl': server.baseUrl, 'openai.model': 'test-model' }, {});
    services = createGenerationServices({
      settings: () => snapshot,
      clock: systemClock,
      random: () => 0.5,
      logger,
      transport,
      codegen: unusedCodegen(),
      context: Object.assign(new FakeContextSource(), { cacheStats: () => ({ hits: 2, misses: 1, hitRate: 2 / 3, size: 1 }) }),
      openAiKey: () => Promise.resolve(KEY),
      memory: () => ({ heapUsed: 10, rss: 20 }),
    });
  });

  afterEach(async () => {
    services.dispose();
    await transport.close();
    await server.close();
  });

  it('generates with context through the configured provider, streams tokens, then answers the repeat from the cache', async () => {
    const { api } = services;
    const tokens: string[] = [];
    const r = await api.generateWithContext('Write function slugify', { onToken: (t) => tokens.push(t) });
    assert.match(r.codeBlocks[0]?.code ?? '', /export function slugify\(value: string\): string/);
    assert.equal(r.provider, 'openai');
    assert.equal(r.model, 'test-model');
    assert.equal(tokens.join(''), r.text);
    assert.ok(tokens.length > 1, 'streamed in pieces');
    assert.equal(r.context.length, 1);
    assert.match(JSON.stringify(server.requests()[0]?.body), /Relevant code from the workspace/);
    assert.equal(server.requests()[0]?.authorization, 'valid');

    const again = await api.generateWithContext('Write function slugify');
    assert.equal(again.cached, true);
    assert.equal(server.requests().length, 1);

    const report = performanceReportSchema.parse(api.getPerformanceReport());
    assert.equal(report.requests.total, 2);
    assert.equal(report.requests.cached, 1);
    assert.deepEqual(report.cache.generation, { hits: 1, misses: 1, hitRate: 0.5, size: 1 });
    assert.equal(report.cache.context?.hits, 2);
    assert.deepEqual(report.memory, { heapUsedBytes: 10, rssBytes: 20 });
    assert.doesNotMatch(logger.text(), /KEY-987654321/);
  });

  it('an answer a content filter cut off says so and is asked again, never served from the cache', async () => {
    const { api } = services;
    server.setFault({ kind: 'length', afterChunks: 2, reason: 'content_filter' }, 2);
    const cut = await api.generateWithContext('Write function slugify');
    assert.equal(cut.truncated, true);
    assert.match(cut.warnings.join(' '), /content filter/);
    const again = await api.generateWithContext('Write function slugify');
    assert.equal(again.cached, false);
    assert.equal(server.requests().length, 2);
  });

  it('an empty answer fails with a GenerationError and is asked again, never served from the cache', async () => {
    const { api } = services;
    const empty = [
      `data: ${JSON.stringify({ model: 'test-model', choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] })}`,
      `data: ${JSON.stringify({ model: 'test-model', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }] })}`,
      'data: [DONE]',
      '',
    ].join('\n\n');
    server.setFault({ kind: 'plain_body', contentType: 'text/event-stream', body: empty }, 1);
    await assert.rejects(api.generateWithContext('Write function slugify'), (err: unknown) => err instanceof GenerationError && /empty answer/.test(err.message));
    assert.equal(services.cache.stats().size, 0);
    const again = await api.generateWithContext('Write function slugify');
    assert.equal(again.cached, false);
    assert.match(again.text, /slugify/);
    assert.equal(server.requests().length, 2);
    assert.equal(api.getPerformanceReport().requests.errors, 1);
  });

  it('batchGenerate keeps order and reports a failing item without failing the others', async () => {
    const out = await services.api.batchGenerate([
      { prompt: 'Write function alpha' },
      { prompt: 'Write function beta', options: { model: 'no-such-model' } },
      { prompt: 'Write function gamma' },
    ]);
    assert.equal(out.length, 3);
    assert.ok(out[0]?.ok && /function alpha/.test(out[0].result.text));
    assert.deepEqual(out[1]?.ok ? undefined : out[1]?.error.code, 'not_found');
    assert.ok(out[2]?.ok && /function gamma/.test(out[2].result.text));
    assert.equal(services.api.getPerformanceReport().requests.errors, 1);
  });

  it("batchGenerate streams each item's answer to that item's own onToken", async () => {
    const streamed: Record<string, string[]> = { alpha: [], beta: [] };
    const out = await services.api.batchGenerate([
      { prompt: 'Write function alpha', onToken: (t) => streamed.alpha?.push(t) },
      { prompt: 'Write function beta', onToken: (t) => streamed.beta?.push(t) },
      { prompt: 'Write function gamma' },
    ]);
    assert.ok(out[0]?.ok && out[1]?.ok && out[2]?.ok);
    assert.equal(streamed.alpha?.join(''), out[0].result.text);
    assert.equal(streamed.beta?.join(''), out[1].result.text);
    assert.ok((streamed.alpha?.length ?? 0) > 1, 'streamed in pieces');
    assert.notEqual(out[0].result.text, out[1].result.text);
  });

  it('rejects invalid input before anything is sent', async () => {
    await assert.rejects(services.api.generateWithContext('x', { options: { maxTokens: 0 } }), ValidationError);
    assert.equal(server.requests().length, 0);
  });
});

describe('createGenerationServices with the codegen provider (scripted Codegen client, fake clock)', () => {
  it('a generation whose follow ends before its run did hands the run over on agentTasks.onDidStopFollowing, with the sign-in it was created as', async () => {
    const clock = new FakeClock();
    const pending: AgentRun = { id: 77, organizationId: 1, status: 'PENDING', state: 'active', pullRequests: [], createdAt: new Date(clock.now()) };
    const { snapshot } = resolveConfig({ 'generation.provider': 'codegen' }, {});
    const transport = new UndiciTransport({ maxConnections: 1 });
    const services = createGenerationServices({
      settings: () => snapshot,
      clock,
      random: () => 0.5,
      logger: new RecordingLogger(),
      transport,
      codegen: {
        signIn: () => Promise.resolve('a sign-in' as SignIn),
        createRun: () => Promise.resolve(pending),
        getRun: () => Promise.reject(new PlanLimitError('Codegen answered HTTP 402.')),
        stopRun: () => Promise.reject(new Error('not stopped in this test')),
        stopRunInBackground: () => Promise.resolve(undefined),
      },
      context: new FakeContextSource(),
      openAiKey: () => Promise.resolve(undefined),
    });
    const handedOver: [AgentRun, SignIn][] = [];
    services.agentTasks.onDidStopFollowing(({ run, signIn }) => handedOver.push([run, signIn]));
    try {
      const err = await settle(services.api.generateWithContext('Write function slugify'), clock).catch((e: unknown) => e);
      assert.ok(err instanceof PlanLimitError, String(err));
      assert.deepEqual(
        handedOver.map(([r, signIn]) => [r.id, r.status, signIn]),
        [[77, 'PENDING', 'a sign-in']],
      );
    } finally {
      services.dispose();
      await transport.close();
    }
  });
});

describe('createGenerationServices when contexten.openai.baseUrl changes while a request waits (two OpenAI contract servers)', () => {
  /** The services on real HTTP, their settings read from `settings` at each use (Codegen not used, no key stored). */
  function servicesOf(settings: () => ReturnType<typeof resolveConfig>['snapshot']): { services: GenerationServices; transport: UndiciTransport; context: FakeContextSource } {
    const transport = new UndiciTransport({ maxConnections: 4 });
    const context = new FakeContextSource();
    const services = createGenerationServices({
      settings,
      clock: systemClock,
      random: () => 0.5,
      logger: new RecordingLogger(),
      transport,
      codegen: unusedCodegen(),
      context,
      openAiKey: () => Promise.resolve(undefined),
    });
    return { services, transport, context };
  }

  it('caches an answer under the server that gave it, never under the server the request was queued for', async () => {
    const a = await startOpenAiServer();
    const b = await startOpenAiServer();
    const settingsFor = (server: OpenAiServer) => resolveConfig({ 'openai.baseUrl': server.baseUrl, 'openai.model': 'test-model', 'http.maxConnections': 1 }, {}).snapshot;
    let snapshot = settingsFor(a);
    const { services, transport, context } = servicesOf(() => snapshot);
    try {
      a.setFault({ kind: 'slow_first_token' }, 1);
      const first = services.api.generateWithContext('Write function one');
      await a.waitFor((r) => r.length === 1);
      const queued = services.api.generateWithContext('Write function slugify');
      await flushPromises();
      assert.equal(context.queries.length, 2, 'the second request looked up its answer (for server A) and waits for the connection');
      snapshot = settingsFor(b);
      a.releaseFirstTokens();
      await first;
      assert.match((await queued).text, /slugify/);
      assert.deepEqual([a.requests().length, b.requests().length], [1, 1], 'server B answered the queued request');

      snapshot = settingsFor(a);
      const again = await services.api.generateWithContext('Write function slugify');
      assert.equal(again.cached, false, 'B’s answer is not served as A’s');
      assert.equal(a.requests().length, 2);
      snapshot = settingsFor(b);
      assert.equal((await services.api.generateWithContext('Write function slugify')).cached, true, 'B’s answer is cached as B’s');
    } finally {
      services.dispose();
      await transport.close();
      await a.close();
      await b.close();
    }
  });

  it('sends a request queued while base URL and model both changed to the new server with the new model', async () => {
    const ollama = await startOpenAiServer({ models: ['llama3.1'] });
    const openai = await startOpenAiServer({ models: ['gpt-4o-mini'] });
    const settingsFor = (server: OpenAiServer, model: string) => resolveConfig({ 'openai.baseUrl': server.baseUrl, 'openai.model': model, 'http.maxConnections': 1 }, {}).snapshot;
    let snapshot = settingsFor(ollama, 'llama3.1');
    const { services, transport, context } = servicesOf(() => snapshot);
    try {
      ollama.setFault({ kind: 'slow_first_token' }, 1);
      const first = services.api.generateWithContext('Write function one');
      await ollama.waitFor((r) => r.length === 1);
      const queued = services.api.generateWithContext('Write function slugify');
      await flushPromises();
      assert.equal(context.queries.length, 2, 'the second request waits for the connection');
      // (settings.json saved with both lines changed: from the local Ollama to OpenAI.)
      snapshot = settingsFor(openai, 'gpt-4o-mini');
      ollama.releaseFirstTokens();
      await first;
      const answer = await queued;
      assert.match(answer.text, /slugify/);
      assert.equal(answer.model, 'gpt-4o-mini');
      assert.deepEqual(openai.requests().map((r) => (r.body as { model?: string } | undefined)?.model), ['gpt-4o-mini']);
      assert.equal((await services.api.generateWithContext('Write function slugify')).cached, true, 'cached under the model that answered');
    } finally {
      services.dispose();
      await transport.close();
      await ollama.close();
      await openai.close();
    }
  });
});
