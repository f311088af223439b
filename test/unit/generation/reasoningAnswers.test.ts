import assert from 'node:assert/strict';
import { OpenAiClient } from '../../../src/core/api/openAiClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { GenerationError } from '../../../src/core/errors';
import { fixFromAnswer } from '../../../src/core/generation/fixPromptBuilder';
import { GenerationCache, MAX_CACHED_REASONING_CHARS } from '../../../src/core/generation/generationCache';
import { GenerationPipeline } from '../../../src/core/generation/generationPipeline';
import { OpenAiProvider } from '../../../src/core/generation/openAiProvider';
import { createGenerationServices } from '../../../src/core/generation/generationServices';
import { createPublicApi } from '../../../src/core/generation/publicApi';
import { resolveConfig } from '../../../src/core/config/configSchema';
import { unusedCodegen } from '../fakes/unusedCodegen';
import { Emitter } from '../../../src/core/emitter';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import type { PerformanceReport } from '../../../src/shared/performanceReport';
import { nullLogger, systemClock } from '../../../src/core/ports';
import { FakeClock } from '../fakes/fakeClock';
import { FakeContextSource, generationSettings } from './builders';
import { chatEvent, ScriptedChatServer } from '../fakes/scriptedChatServer';

// A reasoning model's answer through the whole pipeline — a local server streaming its thinking (`reasoning_content`)
// before its content, the real client and provider —: the thinking reaches the UI on its own channel and nowhere else
// (the answer's text, its code blocks, a fix); the cache keeps it beside the answer, apart from it.
describe("GenerationPipeline: a reasoning model's thinking (real client, a local server)", () => {
  const event = chatEvent;
  /** The model's draft, with a code block of its own: it must not become the answer's. */
  const DRAFT = 'The user wants a fix.\n```ts\nconst draft = 1;\n```\nBetter:';
  const ANSWER = 'Fixed:\n```ts\nconst x: number = 1;\n```\n';
  let server: ScriptedChatServer;
  let transport: UndiciTransport;
  let pipeline: GenerationPipeline;
  const clock = new FakeClock();

  beforeEach(async () => {
    server = await ScriptedChatServer.start();
    const baseUrl = server.baseUrl;
    transport = new UndiciTransport({ maxConnections: 2, clock: systemClock, logger: nullLogger });
    const client = new OpenAiClient({ transport, clock, random: () => 0.5, logger: nullLogger, settings: () => ({ baseUrl, model: 'r1', timeoutMs: 10_000, maxRetries: 0 }), apiKey: () => Promise.resolve(undefined) });
    const settings = generationSettings({ 'context.enabled': false });
    pipeline = new GenerationPipeline({
      settings: () => settings,
      context: new FakeContextSource(),
      providers: { openai: new OpenAiProvider(client, () => 'r1', () => baseUrl) },
      cache: new GenerationCache(clock, () => ({ enabled: true, ttlSeconds: 3600 })),
      maxConcurrent: () => 2,
      clock,
      logger: nullLogger,
    });
  });

  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  /** Generates, recording what reached onToken and onReasoning. */
  async function generate(prompt: string): Promise<{ outcome: Awaited<ReturnType<GenerationPipeline['generateWithContext']>> | Error; answer: string; thinking: string }> {
    let answer = '';
    let thinking = '';
    const outcome = await pipeline
      .generateWithContext(prompt, { signal: new AbortController().signal, onToken: (t) => (answer += t), onReasoning: (t) => (thinking += t) })
      .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    return { outcome, answer, thinking };
  }

  it('streams the thinking apart, and keeps it out of the answer, its code blocks, a fix and the cached answer (which brings it back apart)', async () => {
    server.reply = { events: [event({ role: 'assistant', content: '' }), event({ reasoning_content: DRAFT }), event({ content: ANSWER }, 'stop')] };
    const first = await generate('fix x');
    assert.ok(!(first.outcome instanceof Error), String(first.outcome));
    assert.equal(first.thinking, DRAFT);
    assert.equal(first.answer, ANSWER);
    assert.equal(first.outcome.text, ANSWER);
    assert.deepEqual(first.outcome.codeBlocks, [{ language: 'typescript', code: 'const x: number = 1;\n', complete: true }]);
    assert.equal(first.outcome.explanation, 'Fixed:');
    assert.deepEqual(fixFromAnswer(first.outcome.codeBlocks, 'const x = 1;\n', { diagnostic: { startLine: 0, endLine: 0 } }), { code: 'const x: number = 1;\n' });
    assert.equal(first.outcome.reasoning, DRAFT);
    // The same request again: the cached answer, and its thinking streamed apart again (the panel's Thinking box).
    const again = await generate('fix x');
    assert.equal(server.requests, 1, 'answered from the cache');
    assert.ok(!(again.outcome instanceof Error) && again.outcome.cached, String(again.outcome));
    assert.equal(again.outcome.text, ANSWER);
    assert.equal(again.answer, ANSWER);
    assert.equal(again.thinking, DRAFT);
    assert.equal(again.outcome.reasoning, DRAFT);
    assert.equal(again.outcome.reasoningTruncated, undefined, 'all of it was kept');
    assert.deepEqual(again.outcome.codeBlocks, first.outcome.codeBlocks, "the draft's code block is still no code block of the answer");
  });

  it('keeps the first MAX_CACHED_REASONING_CHARS of a long thinking with the cached answer, and says only that part came back', async () => {
    // (An emoji across the cut: it is kept whole or left out, never halved.)
    const long = `${'t'.repeat(MAX_CACHED_REASONING_CHARS - 1)}😀${'u'.repeat(5_000)}`;
    server.reply = { events: [event({ reasoning_content: long }), event({ content: ANSWER }, 'stop')] };
    const first = await generate('fix long');
    assert.ok(!(first.outcome instanceof Error), String(first.outcome));
    assert.equal(first.outcome.reasoning, long, 'the answer generated has all of it');
    assert.equal(first.outcome.reasoningTruncated, undefined);
    const again = await generate('fix long');
    assert.equal(server.requests, 1, 'answered from the cache');
    assert.ok(!(again.outcome instanceof Error) && again.outcome.cached, String(again.outcome));
    const kept = 't'.repeat(MAX_CACHED_REASONING_CHARS - 1);
    assert.equal(again.outcome.reasoning, kept);
    assert.equal(again.thinking, kept);
    assert.equal(again.outcome.reasoningTruncated, true);
    assert.equal(again.outcome.text, ANSWER);
  });

  it('fails an answer that only reasoned with its own error, the thinking streamed, and caches nothing', async () => {
    server.reply = { events: [event({ reasoning_content: DRAFT }), event({}, 'stop')] };
    const r = await generate('fix y');
    assert.equal(r.thinking, DRAFT);
    assert.equal(r.answer, '');
    assert.ok(r.outcome instanceof GenerationError, String(r.outcome));
    assert.match(r.outcome.message, /the model only reasoned and wrote no answer/);
    await generate('fix y');
    assert.equal(server.requests, 2, 'asked again, not answered from the cache');
  });

  it('neither caches nor offers as whole an answer a Gemini gateway ended as blocked (finish_reason "SAFETY")', async () => {
    server.reply = { events: [event({ content: ANSWER }, 'SAFETY')] };
    const r = await generate('fix z');
    assert.ok(!(r.outcome instanceof Error), String(r.outcome));
    assert.equal(r.outcome.truncated, true);
    assert.match(r.outcome.warnings.join(' '), /content filter cut the answer off/);
    assert.deepEqual(fixFromAnswer(r.outcome.codeBlocks, 'const x = 1;\n', { truncated: r.outcome.truncated, diagnostic: { startLine: 0, endLine: 0 } }), { problem: 'the answer may be incomplete, so its fix is not applied (its code can be copied)' });
    await generate('fix z');
    assert.equal(server.requests, 2, 'asked again, not answered from the cache');
  });

  it('says a whole-looking answer a server ended with finish_reason "other" was ended by the server, not cut at a token limit, and is not cached; an unknown reason is the model\'s own end', async () => {
    server.reply = { events: [event({ content: ANSWER }, 'other')] };
    const r = await generate('fix o');
    assert.ok(!(r.outcome instanceof Error), String(r.outcome));
    assert.equal(r.outcome.text, ANSWER);
    assert.deepEqual(r.outcome.warnings, ['The server ended the answer with finish_reason "other" (not the model’s own end) without saying why; it may be incomplete.']);
    // As Gemini's OTHER: an end of unknown cause is not cached, and its fix is not applied.
    assert.equal(r.outcome.truncated, true);
    assert.deepEqual(fixFromAnswer(r.outcome.codeBlocks, 'const x = 1;\n', { truncated: r.outcome.truncated, diagnostic: { startLine: 0, endLine: 0 } }), { problem: 'the answer may be incomplete, so its fix is not applied (its code can be copied)' });
    await generate('fix o');
    assert.equal(server.requests, 2, 'asked again, not answered from the cache');
    // A reason no server is known to send for a short end is the model's own: a whole answer, cached, with no warning.
    server.reply = { events: [event({ content: ANSWER }, 'eos_token')] };
    const own = await generate('fix e');
    assert.ok(!(own.outcome instanceof Error), String(own.outcome));
    assert.deepEqual(own.outcome.warnings, []);
    assert.equal(own.outcome.truncated, false);
    assert.equal((await generate('fix e')).outcome instanceof Error, false);
    assert.equal(server.requests, 3, 'the second answered from the cache');
  });

  it("gives another extension the thinking through the public API's onReasoning and the result's reasoning, apart from onToken and the text", async () => {
    server.reply = { events: [event({ role: 'assistant', content: '' }), event({ reasoning_content: 'The user wants ' }), event({ reasoning: 'a fix.' }), event({ content: ANSWER }, 'stop')] };
    const api = createPublicApi({
      generate: (prompt, call) => pipeline.generateWithContext(prompt, call),
      context: new FakeContextSource(),
      runAgentTask: () => Promise.reject(new Error('not used')),
      batchGenerate: () => Promise.reject(new Error('not used')),
      getPerformanceReport: () => ({}) as PerformanceReport,
      onDidChangeTask: new Emitter<AgentRun>().event,
    });
    let answer = '';
    let thinking = '';
    const r = await api.generateWithContext('fix w', { onToken: (t) => (answer += t), onReasoning: (t) => (thinking += t) });
    assert.equal(thinking, 'The user wants a fix.');
    assert.equal(answer, ANSWER);
    assert.equal(r.text, ANSWER);
    assert.equal(r.reasoning, 'The user wants a fix.');
    // From the cache: the answer, with the thinking cached beside it (streamed, and on the result).
    thinking = '';
    const again = await api.generateWithContext('fix w', { onReasoning: (t) => (thinking += t) });
    assert.equal(server.requests, 1, 'answered from the cache');
    assert.equal(again.cached, true);
    assert.equal(again.text, ANSWER);
    assert.equal(thinking, 'The user wants a fix.');
    assert.equal(again.reasoning, 'The user wants a fix.');
  });
  it("streams each batchGenerate item's thinking to that item's own onReasoning, apart from its onToken", async () => {
    server.reply = { events: [event({ reasoning_content: 'Batch thought.' }), event({ content: ANSWER }, 'stop')] };
    const { snapshot } = resolveConfig({ 'openai.baseUrl': server.baseUrl, 'openai.model': 'r1', 'context.enabled': false }, {});
    const services = createGenerationServices({
      settings: () => snapshot,
      clock: systemClock,
      random: () => 0.5,
      logger: nullLogger,
      transport,
      codegen: unusedCodegen(),
      context: new FakeContextSource(),
      openAiKey: () => Promise.resolve(undefined),
    });
    try {
      let thinking = '';
      let answer = '';
      const [item] = await services.api.batchGenerate([{ prompt: 'fix b', onToken: (t) => (answer += t), onReasoning: (t) => (thinking += t) }]);
      assert.ok(item?.ok, JSON.stringify(item));
      assert.equal(thinking, 'Batch thought.');
      assert.equal(answer, ANSWER);
      assert.equal(item.result.reasoning, 'Batch thought.');
    } finally {
      services.dispose();
    }
  });
});
