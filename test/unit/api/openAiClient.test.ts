import assert from 'node:assert/strict';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { FINISH_GRACE_MS, OpenAiClient, type OpenAiSettings } from '../../../src/core/api/openAiClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { AuthenticationError, CancellationError, ContextTooLongError, GenerationError, NetworkError, NotFoundError, PlanLimitError, ProtocolError, RateLimitError, ServerError, ServerTimeoutError, TimeoutError, ValidationError } from '../../../src/core/errors';
import { adviseError } from '../../../src/core/errorAdvice';
import { type Clock, systemClock } from '../../../src/core/ports';
import { cannedAnswer } from '../../servers/openai/answers';
import { type OpenAiServer, startOpenAiServer } from '../../servers/openai/openAiServer';
import { settle } from '../fakes/driveClock';
import { FakeClock, watchSettling } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import { chatEvent, ScriptedChatServer } from '../fakes/scriptedChatServer';

const KEY = 'sk-test-SECRET-0123456789';
const PROMPT = 'Write function parseDate in TypeScript';
const EXPECTED = cannedAnswer(PROMPT, 'test-model').text;
const messages = [
  { role: 'system' as const, content: 'You write code.' },
  { role: 'user' as const, content: PROMPT },
];

interface Harness {
  client: OpenAiClient;
  clock: FakeClock;
  logger: RecordingLogger;
  transport: UndiciTransport;
}

describe('OpenAiClient (real HTTP to the OpenAI-compatible contract server)', function () {
  let server: OpenAiServer;
  const transports: UndiciTransport[] = [];

  /** Retries wait on `clock`; the transport's idle timeouts run on `transportClock` (real time by default). */
  function harness(opts: { key?: string; settings?: Partial<OpenAiSettings>; transportClock?: Clock; clock?: FakeClock } = {}): Harness {
    const clock = opts.clock ?? new FakeClock();
    const logger = new RecordingLogger();
    const transport = new UndiciTransport({ maxConnections: 4, clock: opts.transportClock ?? systemClock, logger });
    transports.push(transport);
    const client = new OpenAiClient({
      transport,
      clock,
      random: () => 0.5,
      logger,
      settings: () => ({ baseUrl: server.baseUrl, model: 'test-model', timeoutMs: 30_000, maxRetries: 2, ...opts.settings }),
      apiKey: () => Promise.resolve(opts.key),
    });
    return { client, clock, logger, transport };
  }

  beforeEach(async () => {
    server = await startOpenAiServer();
  });

  afterEach(async () => {
    for (const t of transports.splice(0)) await t.close();
    await server.close();
  });

  describe('streaming', () => {
    it('assembles content deltas (split events, comments, multi-byte characters) into the answer', async () => {
      const { client } = harness();
      const deltas: string[] = [];
      const r = await client.streamChat({ messages }, { signal: new AbortController().signal, onDelta: (d) => deltas.push(d) });
      assert.equal(r.content, EXPECTED);
      assert.ok(r.content.includes('—'), 'the multi-byte dash survived splitting');
      assert.ok(deltas.length > 5);
      assert.equal(deltas.join(''), EXPECTED);
      assert.equal(r.finishReason, 'stop');
      assert.equal(r.truncated, false);
      assert.equal(r.model, 'test-model');
    });

    it('sends only the fields it needs', async () => {
      const { client } = harness();
      await client.streamChat({ messages, temperature: 0.2, maxTokens: 500 }, { signal: new AbortController().signal });
      assert.deepEqual(server.requests()[0]?.body, {
        model: 'test-model',
        messages: messages.map((m) => ({ role: m.role, content: m.content })),
        stream: true,
        temperature: 0.2,
        max_tokens: 500,
      });
    });

    it('reads the usage chunk (choices: []) when asked for usage', async () => {
      const { client } = harness();
      const r = await client.streamChat({ messages, includeUsage: true }, { signal: new AbortController().signal });
      assert.equal(r.content, EXPECTED);
      assert.equal(r.usage?.completionTokens, Math.ceil(Array.from(EXPECTED).length / 12));
      assert.deepEqual((server.requests()[0]?.body as { stream_options?: unknown }).stream_options, { include_usage: true });
    });

    it('reports finish_reason "length" as a truncated answer', async () => {
      const { client } = harness();
      const r = await client.streamChat({ messages, maxTokens: 3 }, { signal: new AbortController().signal });
      assert.equal(r.truncated, true);
      assert.equal(r.finishReason, 'length');
      assert.equal(r.content, EXPECTED.slice(0, 36));
      // (The contract server's cut counted from the end, as the e2e scenario of a cut-off answer sets it.)
      server.setFault({ kind: 'length', afterChunks: -2 }, 1);
      const late = await client.streamChat({ messages }, { signal: new AbortController().signal });
      assert.equal(late.truncated, true);
      assert.equal(late.content, Array.from(EXPECTED).slice(0, (Math.ceil(Array.from(EXPECTED).length / 12) - 2) * 12).join(''));
    });

    it('reports an answer a content filter or the server cut off part way as truncated too, not as a whole answer', async () => {
      const { client } = harness();
      for (const reason of ['content_filter', 'abort', 'MAX_TOKENS']) {
        server.setFault({ kind: 'length', afterChunks: 2, reason }, 1);
        const r = await client.streamChat({ messages }, { signal: new AbortController().signal });
        assert.equal(r.finishReason, reason);
        assert.equal(r.truncated, true, reason);
        assert.ok(r.content.length > 0 && r.content.length < EXPECTED.length);
      }
      const whole = await client.streamChat({ messages }, { signal: new AbortController().signal });
      assert.equal(whole.finishReason, 'stop');
      assert.equal(whole.truncated, false);
      // The model's own end, however a server names it (Gemini gateways "STOP", others "end", "eos"), is no cut.
      for (const reason of ['STOP', 'end', 'eos', 'end_turn', 'some_new_reason']) {
        server.setFault({ kind: 'length', afterChunks: 2, reason }, 1);
        const r = await client.streamChat({ messages }, { signal: new AbortController().signal });
        assert.equal(r.truncated, false, reason);
      }
    });

    it('treats an empty or blank answer as a GenerationError saying why and what to check, not as a success', async () => {
      const { client } = harness();
      const stream = (content: string, reason: string): string =>
        [
          `data: ${JSON.stringify({ model: 'test-model', choices: [{ index: 0, delta: { role: 'assistant', content }, finish_reason: null }] })}`,
          `data: ${JSON.stringify({ model: 'test-model', choices: [{ index: 0, delta: {}, finish_reason: reason }] })}`,
          'data: [DONE]',
          '',
        ].join('\n\n');
      for (const content of ['', ' \n\t ']) {
        server.setFault({ kind: 'plain_body', contentType: 'text/event-stream', body: stream(content, 'stop') }, 1);
        const err = await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
        assert.ok(err instanceof GenerationError, String(err));
        assert.match(err.message, /sent an empty answer to POST \/v1\/chat\/completions \(finish_reason "stop"\): the model wrote nothing\. Check that contexten\.openai\.model/);
        assert.equal(err.setting, 'contexten.openai.model');
      }
      // Nothing before the token limit; a server that ended it at once.
      server.setFault({ kind: 'length', afterChunks: 0 }, 1);
      await assert.rejects(client.streamChat({ messages }, { signal: new AbortController().signal }), (err: unknown) => {
        assert.ok(err instanceof GenerationError);
        assert.match(err.message, /empty answer .*token limit before writing anything \(finish_reason "length"\)\. Allow more tokens/);
        return true;
      });
      server.setFault({ kind: 'length', afterChunks: 0, reason: 'abort' }, 1);
      await assert.rejects(client.streamChat({ messages }, { signal: new AbortController().signal }), /ended the answer to POST \/v1\/chat\/completions before the model wrote anything \(finish_reason "abort"\)\. Try again/);
      // One whole-body answer alike.
      server.setFault({ kind: 'plain_body', contentType: 'application/json', body: JSON.stringify({ model: 'test-model', choices: [{ index: 0, message: { content: '' }, finish_reason: 'stop' }] }) }, 1);
      await assert.rejects(client.chat({ messages }, new AbortController().signal), /sent an empty answer/);
      assert.equal(server.requests().length, 5, 'nothing was sent again');
    });

    it('treats a clean end without finish_reason or [DONE] as an error, not a success', async () => {
      const { client } = harness();
      server.setFault({ kind: 'truncate', afterChunks: 4 });
      await assert.rejects(client.streamChat({ messages }, { signal: new AbortController().signal }), (err: unknown) => {
        assert.ok(err instanceof ProtocolError);
        assert.match(err.message, /ended the answer to POST \/v1\/chat\/completions early/);
        // (Cut short: asking again may well work, and the advice says so.)
        assert.equal(err.hint, 'incomplete');
        assert.match(adviseError(err).message, /the answer is incomplete\. Try again; if it keeps happening, check the server's log\.$/);
        return true;
      });
      assert.equal(server.requests().length, 1, 'not sent again after text arrived');
    });

    it('reads a last event sent without its blank line ([DONE], a final chunk, an error), but not a JSON line cut part way', async () => {
      const { client } = harness({ settings: { maxRetries: 0 } });
      const chunk = (content: string, finish: string | null = null): string => `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content }, finish_reason: finish }] })}`;
      const ask = (body: string): Promise<unknown> => {
        server.setFault({ kind: 'plain_body', contentType: 'text/event-stream', body }, 1);
        return client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
      };
      // The answer ends with [DONE] (or a finish_reason) that only lacks its blank line: the answer is whole.
      for (const body of [`${chunk('a')}\n\ndata: [DONE]`, `${chunk('a')}\n\ndata: [DONE]\n`, `${chunk('a')}\n\ndata: [DONE]\r`, `${chunk('a')}\n\n${chunk('b', 'stop')}\n`, `${chunk('a')}\n\n${chunk('b', 'stop')}`]) {
        const r = await ask(body);
        assert.ok(!(r instanceof Error), `${JSON.stringify(body)}: ${String(r)}`);
        assert.deepEqual({ content: (r as { content: string }).content, finishReason: (r as { finishReason: string }).finishReason }, { content: body.includes('"b"') ? 'ab' : 'a', finishReason: 'stop' }, JSON.stringify(body));
      }
      // An error a server sends as its only event, without the blank line (Ollama's model not pulled): that error, not "ended early".
      const notFound = 'data: {"error":{"message":"model \'test-model\' not found, try pulling it first","code":404}}';
      for (const body of [notFound, `${notFound}\n`, 'event: error\ndata: model overloaded']) {
        const err = await ask(body);
        assert.ok(err instanceof Error && !(err instanceof ProtocolError), `${JSON.stringify(body)}: ${String(err)}`);
        if (body === 'event: error\ndata: model overloaded') {
          assert.ok(err instanceof ServerError, String(err));
          assert.match(err.message, /model overloaded/);
        } else {
          assert.ok(err instanceof NotFoundError, String(err));
          assert.match(adviseError(err).message, /try pulling it first.*contexten\.openai\.model/);
        }
      }
      // A JSON line cut part way at the end of the body is a connection that dropped: the answer ended early.
      const cut = await ask(`${chunk('a')}\n\n${chunk('b', 'stop').slice(0, -12)}`);
      assert.ok(cut instanceof ProtocolError, String(cut));
      assert.match(cut.message, /ended the answer to POST \/v1\/chat\/completions early/);
      assert.equal(cut.hint, 'incomplete');
    });

    it('reads an `event: error` whose JSON is cut part way at the end of the body as an early end, not as the server\'s error', async () => {
      const { client } = harness({ settings: { maxRetries: 0 } });
      const chunk = `data: ${JSON.stringify({ choices: [{ index: 0, delta: { content: 'a' }, finish_reason: null }] })}`;
      const ask = (body: string): Promise<unknown> => {
        server.setFault({ kind: 'plain_body', contentType: 'text/event-stream', body }, 1);
        return client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
      };
      for (const body of [`${chunk}\n\nevent: error\ndata: {"error":{"message":"model overl`, 'event: error\ndata: {"error":{"message":"model overl', `${chunk}\n\nevent: error\ndata: [{"message":"model`]) {
        const err = await ask(body);
        assert.ok(err instanceof ProtocolError && err.hint === 'incomplete', `${JSON.stringify(body)}: ${String(err)}`);
        assert.match(err.message, /ended the answer to POST \/v1\/chat\/completions early/);
      }
      // Whole, the same error is the server's, as its text alone is.
      for (const body of [`${chunk}\n\nevent: error\ndata: {"error":{"message":"model overloaded"}}`, 'event: error\ndata: model overloaded {busy}']) {
        const err = await ask(body);
        assert.ok(err instanceof ServerError, `${JSON.stringify(body)}: ${String(err)}`);
        assert.match(err.message, /model overloaded/);
      }
      // A text that only starts with a bracket (a Python exception or dict passed on as it is) is no JSON cut part way.
      for (const [body, said] of [
        ['event: error\ndata: [Errno 111] Connection refused', /\[Errno 111\] Connection refused/],
        [`${chunk}\n\nevent: error\ndata: {'message': 'CUDA out of memory'}`, /CUDA out of memory/],
      ] as const) {
        const err = await ask(body);
        assert.ok(err instanceof ServerError, `${JSON.stringify(body)}: ${String(err)}`);
        assert.match(err.message, said);
      }
    });

    it('fails the request with ProtocolError on a malformed data line', async () => {
      const { client } = harness();
      server.setFault({ kind: 'malformed', afterChunks: 2 });
      await assert.rejects(client.streamChat({ messages }, { signal: new AbortController().signal }), (err: unknown) => {
        assert.ok(err instanceof ProtocolError);
        assert.match(err.message, /malformed event/);
        assert.equal(err.hint, 'incomplete');
        assert.match(adviseError(err).message, /\. Try again; if it keeps happening, check the server's log\.$/);
        return true;
      });
      assert.equal(server.requests().length, 1);
    });

    it('takes the whole answer from a server that ignores stream: true and answers in one JSON body', async () => {
      const { client } = harness();
      server.setFault({ kind: 'json_instead_of_stream' }, 1);
      const deltas: string[] = [];
      const r = await client.streamChat({ messages }, { signal: new AbortController().signal, onDelta: (d) => deltas.push(d) });
      assert.equal(r.content, EXPECTED);
      assert.deepEqual(deltas, [EXPECTED]);
      assert.equal(r.truncated, false);
    });

    it("says the server's own message for an error it reports in a 200 JSON body or inside the stream", async () => {
      const cases: { fault: Parameters<OpenAiServer['setFault']>[0]; message: RegExp; kind: 'GenerationError' | 'ServerError' | 'ContextTooLongError'; requests: number }[] = [
        { fault: { kind: 'json_error', error: { message: 'model xyz not loaded' } }, message: /model xyz not loaded/, kind: 'GenerationError', requests: 1 },
        { fault: { kind: 'error_in_stream', error: 'model overloaded' }, message: /model overloaded/, kind: 'ServerError', requests: 1 },
        { fault: { kind: 'error_in_stream', error: { message: 'oops' }, asEvent: true }, message: /oops/, kind: 'ServerError', requests: 1 },
        // The request's own fault (a 4xx code): asking again would fail alike, so it is not retried.
        { fault: { kind: 'error_in_stream', error: { message: 'context length exceeded', code: 400 } }, message: /context length exceeded/, kind: 'ContextTooLongError', requests: 1 },
        { fault: { kind: 'error_in_stream', error: { message: 'Invalid value for temperature', code: 400 } }, message: /Invalid value for temperature/, kind: 'GenerationError', requests: 1 },
      ];
      for (const c of cases) {
        const h = harness({ settings: { maxRetries: 0 } });
        const before = server.requests().length;
        server.setFault(c.fault);
        const err = await h.client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof Error && err.constructor.name === c.kind, `${JSON.stringify(c.fault)}: ${String(err)}`);
        assert.match(err.message, c.message);
        assert.equal(server.requests().length - before, c.requests);
      }
      // Retried when the server's fault or a rate limit, not when the request's.
      for (const [error, requests] of [
        [{ message: 'context length exceeded', code: 400 }, 1],
        [{ message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' }, 1],
        [{ message: 'The model `x` does not exist', code: 'model_not_found' }, 1],
        [{ message: 'Rate limit exceeded', code: 429 }, 3],
        [{ message: 'overloaded' }, 3],
      ] as const) {
        const h = harness({ settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'error_in_stream', error });
        await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch(() => undefined);
        server.clearFault();
        assert.equal(server.requests().length - before, requests, JSON.stringify(error));
      }
      // An `event: error` without data is still an error, not the end of a good answer.
      const h = harness({ settings: { maxRetries: 0 } });
      server.setFault({ kind: 'error_in_stream', error: null, asEvent: true });
      await assert.rejects(h.client.streamChat({ messages }, { signal: new AbortController().signal }), /reported an error while answering .*without saying which/);
      server.clearFault();
    });

    it('classes an error inside the answer by its type as well as its code: a used-up quota is not retried, a request error neither', async () => {
      const quota = 'You exceeded your current quota, please check your plan and billing details.';
      const faults: Parameters<OpenAiServer['setFault']>[0][] = [
        { kind: 'json_error', error: { message: quota, type: 'insufficient_quota', code: 'insufficient_quota' } },
        { kind: 'error_in_stream', error: { message: quota, type: 'insufficient_quota', code: 'insufficient_quota' } },
        // (A gateway's numeric code beside the type: still the quota, not a passing rate limit.)
        { kind: 'error_in_stream', error: { message: quota, type: 'insufficient_quota', code: '429' } },
        { kind: 'error_in_stream', error: { message: quota, code: 'insufficient_quota' } },
      ];
      for (const fault of faults) {
        const h = harness({ settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault(fault);
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof RateLimitError && err.quota, `${JSON.stringify(fault)}: ${String(err)}`);
        assert.match(adviseError(err).message, /exceeded your current quota.*Check the account’s plan and billing\./);
        assert.equal(server.requests().length - before, 1, JSON.stringify(fault));
      }
      // OpenAI's context-length error in a stream: its type says invalid_request_error, its code is null.
      const h = harness({ settings: { maxRetries: 2 } });
      const before = server.requests().length;
      server.setFault({ kind: 'error_in_stream', error: { message: "This model's maximum context length is 4096 tokens", type: 'invalid_request_error', code: null } });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      assert.ok(err instanceof ContextTooLongError, String(err));
      assert.match(err.message, /maximum context length is 4096 tokens/);
      assert.equal(server.requests().length - before, 1);
    });

    it('reports a JSON error a server sends as text/event-stream without data: lines, by its kind and with the key scrubbed', async () => {
      const { client } = harness({ key: KEY, settings: { maxRetries: 2 } });
      const error = { message: 'Invalid model name passed in model=foo', type: 'invalid_request_error', code: '400' };
      for (const body of [`${JSON.stringify({ error })}\n`, JSON.stringify({ error }), JSON.stringify({ error }, null, 2)]) {
        server.setFault({ kind: 'plain_body', contentType: 'text/event-stream', body }, 1);
        const before = server.requests().length;
        const err = await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
        assert.ok(err instanceof GenerationError, `${JSON.stringify(body)}: ${String(err)}`);
        assert.match(err.message, /reported an error while answering POST \/v1\/chat\/completions: Invalid model name passed in model=foo/);
        assert.equal(server.requests().length - before, 1, 'the request\'s own fault is not sent again');
      }
      // Other text is quoted, not taken for an early end of the answer.
      server.setFault({ kind: 'plain_body', contentType: 'text/event-stream', body: `upstream rejected key ${KEY}\n` }, 1);
      const err = await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
      assert.ok(err instanceof ProtocolError, String(err));
      assert.match(err.message, /an event stream that held no events, only: upstream rejected key «redacted»/);
      assert.ok(!err.message.includes(KEY), err.message);
    });

    it('does not send again a request a 200 answer refused with an error body naming no status, and says to check the model (LM Studio, Ollama)', async () => {
      const refusals: unknown[] = [
        'No models loaded. Please load a model in the developer page or use the `lms load` command.',
        { message: "model 'llama3.1' not found, try pulling it first" },
        { message: 'The model `qwen2.5-coder` does not exist.' },
      ];
      for (const error of refusals) {
        const h = harness({ settings: { maxRetries: 3 } });
        const before = server.requests().length;
        server.setFault({ kind: 'json_error', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.equal(server.requests().length - before, 1, `not retried: ${JSON.stringify(error)}`);
        assert.ok(err instanceof GenerationError, String(err));
        assert.equal(err.setting, 'contexten.openai');
        const advice = adviseError(err);
        assert.match(advice.message, /(lms load` command|try pulling it first|does not exist)\. Check that contexten\.openai\.model names a model the server has loaded/);
        assert.doesNotMatch(advice.message, /server failed|Try again later/);
        assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting: 'contexten.openai' }, { kind: 'showLogs' }]);
      }
      // One that names a server fault or a rate limit is still retried.
      for (const error of [{ message: 'upstream failed', code: 502 }, { message: 'internal', type: 'server_error' }, { message: 'slow down', code: 'rate_limit_exceeded' }, { message: 'model xyz not loaded', code: 503 }]) {
        const h = harness({ settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'json_error', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.equal(server.requests().length - before, 3, JSON.stringify(error));
        assert.ok(err instanceof ServerError || err instanceof RateLimitError, String(err));
      }
    });

    it('sends again a request a 200 answer refused with an error body naming no status that is not about the model (a gateway, an overloaded server), without model advice', async () => {
      const failures: { error: unknown; kind: 'ServerError' | 'ServerTimeoutError'; advice: RegExp }[] = [
        { error: 'Internal Server Error', kind: 'ServerError', advice: /the server failed: .*Internal Server Error\. Try again later\.$/ },
        { error: { message: 'Service temporarily overloaded, please retry' }, kind: 'ServerError', advice: /the server failed: .*Service temporarily overloaded, please retry\. Try again later\.$/ },
        { error: { message: 'Bad gateway', type: 'api_error' }, kind: 'ServerError', advice: /the server failed: .*Bad gateway\. Try again later\.$/ },
        // (The server's timeout, not the extension's: raising contexten.http.timeoutMs would not help.)
        { error: { message: 'upstream request timeout', type: 'timeout' }, kind: 'ServerTimeoutError', advice: /upstream request timeout\. Try again; if it keeps happening, check the server's log\.$/ },
      ];
      for (const { error, kind, advice } of failures) {
        const h = harness({ settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'json_error', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.equal(server.requests().length - before, 3, `retried: ${JSON.stringify(error)}`);
        assert.ok(err instanceof Error && err.constructor.name === kind, `${JSON.stringify(error)}: ${String(err)}`);
        assert.ok(kind === 'ServerError' ? err instanceof ServerError : err instanceof TimeoutError, String(err));
        const said = adviseError(err);
        assert.match(said.message, advice);
        assert.doesNotMatch(said.message, /contexten\.openai\.model|load or pull/);
        assert.deepEqual(said.steps, [{ kind: 'showLogs' }]);
      }
    });

    it('offers the action that opens the wrong setting for an error inside the stream about the key or the model, and sends it once', async () => {
      const cases: { error: unknown; kind: string; steps: unknown[] }[] = [
        // The key: Set API Key, and the base URL (the key may be right for another server), as for an HTTP 401.
        { error: { message: 'Incorrect API key provided.', code: 401 }, kind: 'AuthenticationError', steps: [{ kind: 'setOpenAiKey' }, { kind: 'openSettings', setting: 'contexten.openai.baseUrl' }] },
        { error: { message: 'Incorrect API key provided.', type: 'invalid_request_error', code: 'invalid_api_key' }, kind: 'AuthenticationError', steps: [{ kind: 'setOpenAiKey' }, { kind: 'openSettings', setting: 'contexten.openai.baseUrl' }] },
        { error: { message: 'Permission denied for this key', code: '403' }, kind: 'AuthenticationError', steps: [{ kind: 'setOpenAiKey' }, { kind: 'openSettings', setting: 'contexten.openai.baseUrl' }] },
        // A key that may not use the model: another model, or another key (session 45).
        { error: { message: 'key not allowed for this model', code: '403' }, kind: 'GenerationError', steps: [{ kind: 'openSettings', setting: 'contexten.openai' }, { kind: 'setOpenAiKey' }, { kind: 'showLogs' }] },
        // The model: its settings, as for an HTTP 404.
        { error: { message: 'The model `qwen9` does not exist.', type: 'NotFoundError', code: 404 }, kind: 'NotFoundError', steps: [{ kind: 'openSettings', setting: 'contexten.openai' }] },
        { error: { message: "model 'qwen9' not found", type: 'invalid_request_error' }, kind: 'GenerationError', steps: [{ kind: 'openSettings', setting: 'contexten.openai' }, { kind: 'showLogs' }] },
        { error: { message: 'Invalid model name passed in model=qwen9', type: 'invalid_request_error', code: '400' }, kind: 'GenerationError', steps: [{ kind: 'openSettings', setting: 'contexten.openai' }, { kind: 'showLogs' }] },
        // One that names no setting keeps Show Logs only.
        { error: { message: 'Invalid value for temperature', code: 400 }, kind: 'GenerationError', steps: [{ kind: 'showLogs' }] },
      ];
      for (const { error, kind, steps } of cases) {
        const h = harness({ key: KEY, settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'error_in_stream', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof Error && err.constructor.name === kind, `${JSON.stringify(error)}: ${String(err)}`);
        assert.equal(server.requests().length - before, 1, `not sent again: ${JSON.stringify(error)}`);
        assert.deepEqual(adviseError(err).steps, steps, `${JSON.stringify(error)}: ${err.message}`);
        if (err instanceof AuthenticationError) assert.equal(err.credential, 'openai');
        assert.ok(!err.message.includes(KEY), err.message);
      }
    });

    it('names contexten.openai.model only for an error about the model, not for one that merely mentions a model', async () => {
      const model = { kind: 'openSettings', setting: 'contexten.openai' };
      const cases: { error: unknown; steps: unknown[] }[] = [
        // About something else: the request's fault all the same (sent once), with Show Logs only.
        { error: { message: 'Invalid model input: messages[1].content must be a string or an array', code: 400 }, steps: [{ kind: 'showLogs' }] },
        { error: { message: "Tool 'search' requested by the model was not found in tools", type: 'invalid_request_error' }, steps: [{ kind: 'showLogs' }] },
        { error: { message: 'The model output was not found to be valid JSON', code: 400 }, steps: [{ kind: 'showLogs' }] },
        { error: { message: 'Tool call failed, model output not found', code: 400 }, steps: [{ kind: 'showLogs' }] },
        { error: { message: 'Invalid request (model field not found)', code: 400 }, steps: [{ kind: 'showLogs' }] },
        { error: { message: '{"detail":"Model template not found"}', code: 400 }, steps: [{ kind: 'showLogs' }] },
        { error: { message: 'speculative decoding: draft-model not loaded yet, retry shortly', code: 400 }, steps: [{ kind: 'showLogs' }] },
        // About the model: by OpenAI's `param`, by naming the model asked for, or by saying that a model is not there.
        { error: { message: 'The requested resource is not available.', type: 'invalid_request_error', param: 'model' }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: 'Unknown model test-model', code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: 'Error: test-model not found on this server', code: '400' }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: 'Error: model "qwen9" not found, try pulling it first', code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: 'Unknown model: qwen9', type: 'invalid_request_error' }, steps: [model, { kind: 'showLogs' }] },
        // Wrapped by a gateway (LiteLLM passing on Ollama's error), and LM Studio's wording.
        { error: { message: "litellm.BadRequestError: OllamaException - model 'llama3' not found, try pulling it first", code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: 'litellm.APIConnectionError: OllamaError: {"error":"model \'llama2\' not found, try pulling it first"}', code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: 'Invalid model identifier "o4-mini". Please specify a valid downloaded model', code: 400 }, steps: [model, { kind: 'showLogs' }] },
        // (A gateway's alias maps to another upstream name: the text names that one, not the model asked for.)
        { error: { message: 'litellm.NotFoundError: OpenAIException - The model `gpt-5x` does not exist or you do not have access to it.', code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: "Error code: 404 - {'error': {'message': 'The model `gpt-5x` does not exist'}}", code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: '{"error":"model is not loaded"}', code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: '{"detail":"Model not found"}', code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: 'Bad request (model "llama3" not found)', code: 400 }, steps: [model, { kind: 'showLogs' }] },
        { error: { message: 'upstream error, model "llama3" not found', code: 400 }, steps: [model, { kind: 'showLogs' }] },
      ];
      for (const { error, steps } of cases) {
        const h = harness({ key: KEY, settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'error_in_stream', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof GenerationError, `${JSON.stringify(error)}: ${String(err)}`);
        assert.equal(server.requests().length - before, 1, `not sent again: ${JSON.stringify(error)}`);
        const advice = adviseError(err);
        assert.deepEqual(advice.steps, steps, `${JSON.stringify(error)}: ${err.message}`);
        assert.equal(/Check that contexten\.openai\.model/.test(advice.message), steps.length === 2, advice.message);
      }
      // In a 200 answer's body, naming no status: only a model that is not there is the request's fault.
      const h = harness({ settings: { maxRetries: 2 } });
      const before = server.requests().length;
      server.setFault({ kind: 'json_error', error: { message: "Tool 'search' requested by the model was not found in tools" } });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      server.clearFault();
      assert.ok(err instanceof ServerError, String(err));
      assert.equal(server.requests().length - before, 3);
      assert.doesNotMatch(adviseError(err).message, /contexten\.openai\.model/);
    });

    it('knows the model asked for through a gateway by its name without the provider prefix', async () => {
      // (A server that takes the prefixed name.)
      await server.close();
      server = await startOpenAiServer({ models: ['ollama/qwen9'] });
      const h = harness({ key: KEY, settings: { model: 'ollama/qwen9' } });
      server.setFault({ kind: 'error_in_stream', error: { message: 'qwen9 is not available on this server', code: 400 } });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      assert.ok(err instanceof GenerationError, String(err));
      assert.equal(server.requests().length, 1, 'not sent again');
      assert.match(adviseError(err).message, /Check that contexten\.openai\.model/);
    });

    it("reads Azure's DeploymentNotFound as the model server's 404: not sent again, naming the model setting", async () => {
      const said = 'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.';
      const faults: Parameters<OpenAiServer['setFault']>[0][] = [
        // Azure's own error in the stream, and as the whole body of a 200 answer: by its code.
        { kind: 'error_in_stream', error: { code: 'DeploymentNotFound', message: said } },
        { kind: 'json_error', error: { code: 'DeploymentNotFound', message: said } },
        // Passed on by a gateway as text, with a status of its own or none: by the text.
        { kind: 'error_in_stream', error: { message: `litellm.BadRequestError: AzureException - Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist.'}}`, code: 400 } },
        { kind: 'json_error', error: { message: said } },
        { kind: 'json_error', error: 'DeploymentNotFound: the deployment gpt-4o-prod is not there' },
      ];
      for (const fault of faults) {
        const h = harness({ key: KEY, settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault(fault);
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof NotFoundError && err.service === 'openai', `${JSON.stringify(fault)}: ${String(err)}`);
        assert.equal(server.requests().length - before, 1, `not sent again: ${JSON.stringify(fault)}`);
        const advice = adviseError(err);
        assert.match(advice.message, /Check that the server serves the model in contexten\.openai\.model/);
        assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting: 'contexten.openai' }]);
      }
      // Texts that only mention a deployment are no such error: the server's, tried again.
      for (const error of [{ message: 'The deployment of the new model version is in progress, please retry' }, { message: 'Tool get_deployment: DeploymentNotFound handler failed' }]) {
        const h = harness({ settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'error_in_stream', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof ServerError, `${JSON.stringify(error)}: ${String(err)}`);
        assert.equal(server.requests().length - before, 3, JSON.stringify(error));
      }
    });

    it('names contexten.openai.model for OpenRouter\'s "not a valid model ID" and DeepSeek\'s "Model Not Exist", and not for texts that only mention them', async () => {
      const model = { kind: 'openSettings', setting: 'contexten.openai' };
      const cases: { error: unknown; steps: unknown[]; advice?: RegExp }[] = [
        // OpenRouter: the name refused (not missing: loading or pulling does not help).
        { error: { message: 'openai/gpt-9 is not a valid model ID', code: 400 }, steps: [model, { kind: 'showLogs' }], advice: /names a model the server offers and lets you use/ },
        // DeepSeek: the model not there.
        { error: { message: 'Model Not Exist', type: 'invalid_request_error', param: null, code: 'invalid_request_error' }, steps: [model, { kind: 'showLogs' }], advice: /names a model the server has loaded/ },
        { error: { message: 'Error: model deepseek-coder-v9 not exist', code: 400 }, steps: [model, { kind: 'showLogs' }], advice: /names a model the server has loaded/ },
        // Only mentioning them: the request's fault, Show Logs only.
        { error: { message: 'tool_choice is not a valid model response format', code: 400 }, steps: [{ kind: 'showLogs' }] },
        { error: { message: 'The field "model_params" does not exist on this endpoint', code: 400 }, steps: [{ kind: 'showLogs' }] },
        { error: { message: 'Model output does not exist for this request id', code: 400 }, steps: [{ kind: 'showLogs' }] },
      ];
      for (const { error, steps, advice } of cases) {
        const h = harness({ key: KEY, settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'error_in_stream', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof GenerationError, `${JSON.stringify(error)}: ${String(err)}`);
        assert.equal(server.requests().length - before, 1, `not sent again: ${JSON.stringify(error)}`);
        const said = adviseError(err);
        assert.deepEqual(said.steps, steps, `${JSON.stringify(error)}: ${err.message}`);
        if (advice) assert.match(said.message, advice);
        else assert.doesNotMatch(said.message, /contexten\.openai\.model/);
      }
      // As the whole body of a 200 answer naming no status: the request's fault too, not sent again.
      for (const error of [{ message: 'openai/gpt-9 is not a valid model ID' }, { message: 'Model Not Exist' }]) {
        const h = harness({ settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'json_error', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof GenerationError && err.setting === 'contexten.openai', `${JSON.stringify(error)}: ${String(err)}`);
        assert.equal(server.requests().length - before, 1, JSON.stringify(error));
      }
    });

    it('reads a gateway\'s allow-list refusing the model as the model refused, not missing: no "load or pull"', async () => {
      await server.close();
      server = await startOpenAiServer({ models: ['llama3'] });
      const refusals: unknown[] = [
        { message: 'Error: llama3 does not exist in the allow-list', code: 400 },
        { message: 'Error: llama3 does not exist in the allow-list', type: 'invalid_request_error' },
        { message: "Model 'llama3' is not allowed", code: 400 },
        { message: 'litellm.BadRequestError: model not in the allowlist', code: 400 },
      ];
      for (const error of refusals) {
        const h = harness({ key: KEY, settings: { model: 'llama3', maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'error_in_stream', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof GenerationError && err.setting === 'contexten.openai', `${JSON.stringify(error)}: ${String(err)}`);
        assert.equal(server.requests().length - before, 1, `not sent again: ${JSON.stringify(error)}`);
        const advice = adviseError(err);
        assert.match(advice.message, /Check that contexten\.openai\.model names a model the server offers and lets you use/, JSON.stringify(error));
        assert.doesNotMatch(advice.message, /load or pull|has loaded/, JSON.stringify(error));
      }
      // As the whole body of a 200 answer naming no status: not sent again either.
      const h = harness({ settings: { model: 'llama3', maxRetries: 2 } });
      const before = server.requests().length;
      server.setFault({ kind: 'json_error', error: 'Error: llama3 does not exist in the allow-list' });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      server.clearFault();
      assert.ok(err instanceof GenerationError && err.setting === 'contexten.openai', String(err));
      assert.equal(server.requests().length - before, 1);
      // An allow-list about something else (an address, a user, a tool) is not about the model.
      for (const message of ['Error: 10.0.0.7 does not exist in the allow-list', "user 'bob' is not in the allow-list", 'Tool calls by the model are not allowed']) {
        const other = harness({ key: KEY, settings: { model: 'llama3', maxRetries: 2 } });
        server.setFault({ kind: 'error_in_stream', error: { message, code: 400 } });
        const e = await settle(other.client.streamChat({ messages }, { signal: new AbortController().signal }), other.clock).catch((x: unknown) => x);
        server.clearFault();
        assert.ok(e instanceof GenerationError, String(e));
        assert.deepEqual(adviseError(e).steps, [{ kind: 'showLogs' }], message);
      }
    });

    it('does not take Ollama\'s "Model template not found" for the model missing, in any form', async () => {
      for (const message of ['Model template not found', 'Error: model template not found', 'The model output not found in the cache']) {
        // The request's fault by its status: Show Logs only, no model advice.
        const h = harness({ key: KEY, settings: { maxRetries: 2 } });
        server.setFault({ kind: 'error_in_stream', error: { message, code: 400 } });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof GenerationError, String(err));
        assert.deepEqual(adviseError(err).steps, [{ kind: 'showLogs' }], message);
        // The whole body of a 200 answer naming no status: the server's, tried again (as its JSON form already was).
        const again = harness({ settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'json_error', error: { message } });
        const e = await settle(again.client.streamChat({ messages }, { signal: new AbortController().signal }), again.clock).catch((x: unknown) => x);
        server.clearFault();
        assert.ok(e instanceof ServerError, `${message}: ${String(e)}`);
        assert.equal(server.requests().length - before, 3, message);
        assert.doesNotMatch(adviseError(e).message, /contexten\.openai\.model/);
      }
      // A model named before "not found" still is one (llama.cpp, gateways).
      const h = harness({ key: KEY, settings: { maxRetries: 2 } });
      server.setFault({ kind: 'error_in_stream', error: { message: 'model mistral not found', code: 400 } });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      assert.ok(err instanceof GenerationError && err.setting === 'contexten.openai', String(err));
    });

    it('says a key is needed, not that the stored one is wrong, for a 401 inside the stream to a request that carried none', async () => {
      const error = { message: 'You did not provide an API key.', code: 401 };
      for (const key of [undefined, KEY]) {
        const h = harness({ ...(key !== undefined ? { key } : {}), settings: { maxRetries: 2 } });
        server.setFault({ kind: 'error_in_stream', error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof AuthenticationError && err.credential === 'openai', String(err));
        assert.equal(err.unsent, key === undefined);
        assert.equal(err.rejectsToken, key !== undefined);
        const advice = adviseError(err);
        if (key === undefined) {
          assert.match(err.message, /You did not provide an API key\. The request carried no API key: none is stored\.$/);
          assert.match(advice.message, /Store the server's key with "Contexten: Set OpenAI-Compatible API Key"/);
        } else {
          assert.match(advice.message, /Store a valid key with/);
        }
        assert.deepEqual(advice.steps, [{ kind: 'setOpenAiKey' }, { kind: 'openSettings', setting: 'contexten.openai.baseUrl' }]);
      }
    });

    it('reads a web page where the answer belongs as a wrong base URL, and names the setting', async () => {
      const { client } = harness({ settings: { maxRetries: 2 } });
      const page = '<!doctype html><html><head><title>Open WebUI</title></head><body></body></html>';
      for (const contentType of ['text/html; charset=utf-8', 'text/plain', 'text/event-stream']) {
        server.setFault({ kind: 'plain_body', contentType, body: page }, 1);
        const before = server.requests().length;
        const err = await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
        assert.ok(err instanceof ProtocolError, `${contentType}: ${String(err)}`);
        assert.equal(err.hint, 'webPage', contentType);
        assert.equal(server.requests().length - before, 1);
        const advice = adviseError(err);
        assert.match(advice.message, /"Open WebUI".*\. The base URL is probably wrong: check contexten\.openai\.baseUrl; it should point at the API itself \(usually ending in \/v1\)/, contentType);
        assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting: 'contexten.openai.baseUrl' }, { kind: 'showLogs' }]);
      }
      // An XHTML page, its XML declaration first, with no HTML content type: a web page too (the same test as
      // describeBody's, which names its title).
      server.setFault({ kind: 'plain_body', contentType: 'text/plain', body: `<?xml version="1.0" encoding="utf-8"?>\n${page}` }, 1);
      const xhtml = await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
      assert.ok(xhtml instanceof ProtocolError && xhtml.hint === 'webPage', String(xhtml));
      assert.match(adviseError(xhtml).message, /"Open WebUI".* check contexten\.openai\.baseUrl/);
      // Other text that is no answer is not taken for a web page.
      server.setFault({ kind: 'plain_body', contentType: 'text/plain', body: 'hello' }, 1);
      const err = await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
      assert.ok(err instanceof ProtocolError && err.hint === undefined, String(err));
    });

    it('reads a usage object of a shape of its own as no usage (or completes it), keeping the whole answer', async () => {
      const { client } = harness({ settings: { maxRetries: 0 } });
      const stream = (usage: unknown): string =>
        [
          `data: ${JSON.stringify({ model: 'test-model', choices: [{ index: 0, delta: { content: 'hello' }, finish_reason: null }] })}`,
          `data: ${JSON.stringify({ model: 'test-model', choices: [{ index: 0, delta: {}, finish_reason: 'stop' }], usage })}`,
          'data: [DONE]',
          '',
        ].join('\n\n');
      const cases: [unknown, unknown][] = [
        [{ prompt_tokens: 5, completion_tokens: 1 }, { promptTokens: 5, completionTokens: 1, totalTokens: 6 }],
        [{ prompt_tokens: 5, completion_tokens: 1, total_tokens: null }, { promptTokens: 5, completionTokens: 1, totalTokens: 6 }],
        [{ prompt_tokens: '5', completion_tokens: 1, total_tokens: 6 }, undefined],
        [{ input_tokens: 5, output_tokens: 1 }, undefined],
        ['n/a', undefined],
      ];
      for (const [usage, read] of cases) {
        server.setFault({ kind: 'plain_body', contentType: 'text/event-stream', body: stream(usage) }, 1);
        const r = await client.streamChat({ messages }, { signal: new AbortController().signal });
        assert.equal(r.content, 'hello', JSON.stringify(usage));
        assert.deepEqual(r.usage, read, JSON.stringify(usage));
        const whole = JSON.stringify({ model: 'test-model', choices: [{ index: 0, message: { content: 'hello' }, finish_reason: 'stop' }], usage });
        server.setFault({ kind: 'plain_body', contentType: 'application/json', body: whole }, 1);
        const one = await client.chat({ messages }, new AbortController().signal);
        assert.equal(one.content, 'hello', JSON.stringify(usage));
        assert.deepEqual(one.usage, read, JSON.stringify(usage));
        // (A server that ignores stream: true, answering in one JSON body.)
        server.setFault({ kind: 'plain_body', contentType: 'application/json', body: whole }, 1);
        assert.equal((await client.streamChat({ messages }, { signal: new AbortController().signal })).content, 'hello', JSON.stringify(usage));
      }
    });

    it('quotes the beginning of a body that is no stream, with the key scrubbed, and lets an error win over answer fields', async () => {
      const { client } = harness({ key: KEY, settings: { maxRetries: 0 } });
      server.setFault({ kind: 'plain_body', contentType: 'text/plain', body: `echo: authorization: Bearer ${KEY}\n${'<'.repeat(200_000)}` }, 1);
      const err = await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e);
      assert.ok(err instanceof ProtocolError, String(err));
      assert.match(err.message, /text\/plain instead of an event stream: echo: authorization: Bearer/);
      assert.ok(!err.message.includes(KEY), err.message);
      server.setFault({ kind: 'plain_body', contentType: 'application/json', body: JSON.stringify({ error: { message: 'model not loaded' }, choices: [{ message: { content: '' } }] }) }, 1);
      await assert.rejects(client.streamChat({ messages }, { signal: new AbortController().signal }), /model not loaded/);
    });

    it('never quotes part of the key where an error inside the stream or a malformed event is cut short', async () => {
      const { client } = harness({ key: KEY, settings: { maxRetries: 0 } });
      const pieces = Array.from({ length: KEY.length - 5 }, (_, i) => KEY.slice(i, i + 6));
      const errors: unknown[] = [];
      // The key straddles the 300 characters an error's message is cut to, and the 40 of a malformed event.
      server.setFault({ kind: 'error_in_stream', error: { message: `${'x'.repeat(290)}${KEY}` } }, 1);
      errors.push(await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e));
      server.setFault({ kind: 'plain_body', contentType: 'text/event-stream', body: `data: {"a":"${'x'.repeat(24)}${KEY}\n\n` }, 1);
      errors.push(await client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => e));
      for (const err of errors) {
        assert.ok(err instanceof Error, String(err));
        assert.match(err.message, /xxxx/);
        assert.ok(!pieces.some((p) => err.message.includes(p)), err.message);
      }
    });

    it('never sends again after the stream started: a mid-stream disconnect is a NetworkError', async () => {
      const { client } = harness();
      server.setFault({ kind: 'disconnect', afterChunks: 3 });
      const deltas: string[] = [];
      const err = await client.streamChat({ messages }, { signal: new AbortController().signal, onDelta: (d) => deltas.push(d) }).catch((e: unknown) => e);
      assert.ok(err instanceof NetworkError, String(err));
      assert.equal(server.requests().length, 1);
      assert.equal(deltas.join(''), EXPECTED.slice(0, 36));
      // The server was reached: the advice speaks of a dropped connection, not of a server it cannot reach.
      assert.equal(err.dropped, true);
      assert.match(adviseError(err).message, /connection to the model server dropped while it was answering POST \/v1\/chat\/completions, after part of the answer arrived/);
      assert.doesNotMatch(adviseError(err).message, /cannot reach the server|base URL/);
    });

    it('retries a disconnect that happens before the first token, without duplicating text', async () => {
      const h = harness();
      server.setFault({ kind: 'disconnect', afterChunks: 0 }, 1);
      const deltas: string[] = [];
      const r = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal, onDelta: (d) => deltas.push(d) }), h.clock);
      assert.equal(r.content, EXPECTED);
      assert.equal(deltas.join(''), EXPECTED);
      assert.equal(server.requests().length, 2);
    });

    it('cancelling aborts the HTTP request: the server sees the client go away', async () => {
      const { client } = harness();
      server.setFault({ kind: 'slow_first_token' });
      const ac = new AbortController();
      const p = client.streamChat({ messages }, { signal: ac.signal });
      await server.waitFor((rs) => rs.length === 1);
      ac.abort();
      await assert.rejects(p, CancellationError);
      await server.waitFor((rs) => rs[0]?.outcome === 'client-aborted');
    });

    it('times out on an idle gap (slow first token), per gap and not per request', async () => {
      const transportClock = new FakeClock();
      const { client } = harness({ transportClock, settings: { timeoutMs: 1000, maxRetries: 0 } });
      server.setFault({ kind: 'slow_first_token' }, 1);
      const slow = client.streamChat({ messages }, { signal: new AbortController().signal });
      await server.waitFor((rs) => rs.length === 1);
      await transportClock.advance(900);
      server.releaseFirstTokens();
      assert.equal((await slow).content, EXPECTED, 'a gap shorter than the timeout is fine');

      server.setFault({ kind: 'slow_first_token' }, 1);
      let outcome: unknown;
      const stuck = client.streamChat({ messages }, { signal: new AbortController().signal }).catch((e: unknown) => (outcome = e));
      await server.waitFor((rs) => rs.length === 2);
      for (let i = 0; i < 20 && outcome === undefined; i++) await transportClock.advance(1000);
      await stuck;
      assert.ok(outcome instanceof TimeoutError, String(outcome));
      await server.waitFor((rs) => rs[1]?.outcome === 'client-aborted');
    });
  });

  describe('errors', () => {
    it('sends Authorization only when a key is set, and never logs or echoes it', async () => {
      await server.close();
      server = await startOpenAiServer({ apiKey: KEY });
      const withKey = harness({ key: KEY });
      assert.equal((await withKey.client.streamChat({ messages }, { signal: new AbortController().signal })).content, EXPECTED);
      const without = harness();
      await assert.rejects(without.client.streamChat({ messages }, { signal: new AbortController().signal }), AuthenticationError);
      const wrong = harness({ key: 'sk-wrong-key-value-42' });
      const err = await wrong.client.listModels(new AbortController().signal).catch((e: unknown) => e);
      assert.ok(err instanceof AuthenticationError);
      assert.equal(err.credential, 'openai', 'a rejected model server key must not send the user to the Codegen sign-in');
      assert.doesNotMatch(err.message, /sk-wrong-key-value-42/);
      assert.deepEqual(
        server.requests().map((r) => r.authorization),
        ['valid', 'absent', 'invalid'],
      );
      for (const h of [withKey, without, wrong]) {
        assert.doesNotMatch(h.logger.text(), /SECRET|sk-wrong/);
      }
      assert.doesNotMatch(JSON.stringify(server.requests()), /SECRET|sk-wrong/);
    });

    it('a server that echoes the Authorization value and the bare key in a 401 or a 500: neither reaches an error or a log line (chat, streamChat, listModels)', async () => {
      const signal = new AbortController().signal;
      const calls: [string, (c: OpenAiClient) => Promise<unknown>][] = [
        ['chat', (c) => c.chat({ messages }, signal)],
        ['streamChat', (c) => c.streamChat({ messages }, { signal })],
        ['listModels', (c) => c.listModels(signal)],
      ];
      for (const [name, call] of calls) {
        const h = harness({ key: KEY, settings: { maxRetries: 1 } });
        server.setFault({ kind: 'echo_auth' }, 1);
        const rejected = await settle(call(h.client), h.clock).catch((e: unknown) => e);
        assert.ok(rejected instanceof AuthenticationError && rejected.status === 401, `${name}: ${String(rejected)}`);
        // The echo is in the message, redacted: the key check below is about real content.
        assert.match(rejected.message, /Incorrect API key provided: «redacted» \(Authorization: Bearer «redacted»\)/, name);
        server.setFault({ kind: 'echo_auth', status: 500 }, 2);
        const failed = await settle(call(h.client), h.clock).catch((e: unknown) => e);
        assert.ok(failed instanceof ServerError && failed.status === 500, `${name}: ${String(failed)}`);
        assert.match(failed.message, /key=«redacted»/, name);
        // The retry after the first 500 was logged with its reason.
        assert.match(h.logger.text(), /key=«redacted»/, name);
        for (const text of [rejected.message, failed.message, h.logger.text()]) assert.ok(!text.includes(KEY), `${name} leaked the key: ${text}`);
      }
      assert.equal(server.requests().length, 9);
    });

    it('sends a stored key without the invisible characters a paste brought, and refuses one HTTP cannot carry as a key error', async () => {
      await server.close();
      server = await startOpenAiServer({ apiKey: KEY });
      const pasted = harness({ key: `\uFEFF${KEY}\u200b` });
      assert.equal((await settle(pasted.client.streamChat({ messages }, { signal: new AbortController().signal }), pasted.clock)).content, EXPECTED);
      assert.deepEqual(
        server.requests().map((r) => r.authorization),
        ['valid'],
      );
      for (const key of [`${KEY}\u201d`, `sk-test-SECRET\n0123456789`]) {
        const h = harness({ key, settings: { maxRetries: 2 } });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        assert.ok(err instanceof AuthenticationError, String(err));
        assert.equal(err.credential, 'openai');
        assert.match(err.message, /^The stored OpenAI-compatible API key has (a typographic quote|white space) \(U\+[0-9A-F]{4}\) at character \d+/);
        const advice = adviseError(err);
        assert.match(advice.message, /Set OpenAI-Compatible API Key/);
        assert.doesNotMatch(advice.message, /cannot reach the server|Check your network/);
        assert.doesNotMatch(advice.message, /SECRET/);
        await assert.rejects(h.client.listModels(new AbortController().signal), AuthenticationError);
      }
      assert.equal(server.requests().length, 1, 'nothing sent with the unsendable keys');
    });

    it('a 401 when no key is stored says the server needs a key and none is stored; with a wrong key, that it was rejected', async () => {
      await server.close();
      server = await startOpenAiServer({ apiKey: KEY });
      const signal = new AbortController().signal;
      const without = await harness().client.listModels(signal).catch((e: unknown) => e);
      assert.ok(without instanceof AuthenticationError, String(without));
      assert.match(without.message, /^The model server needs an API key \(HTTP 401.*\), and none is stored\.$/);
      assert.doesNotMatch(adviseError(without).message, /rejected|valid key/);
      const wrong = await harness({ key: 'sk-wrong-key-value-42' }).client.listModels(signal).catch((e: unknown) => e);
      assert.ok(wrong instanceof AuthenticationError);
      assert.match(wrong.message, /^The model server rejected the API token/);
    });

    it('a key pasted after the base URL (`…/v1 sk-…`, or after a zero-width space) reaches no error message or log line, even where the server echoes the path', async () => {
      const pasted = 'sk-proj-ABCDEF1234567890';
      for (const between of [' ', '\u200b', '\u2060', '\u200e']) {
        const h = harness({ settings: { baseUrl: `${server.baseUrl}${between}${pasted}`, maxRetries: 0 } });
        const signal = new AbortController().signal;
        for (const call of [() => h.client.streamChat({ messages }, { signal }), () => h.client.chat({ messages }, signal), () => h.client.listModels(signal)]) {
          const err = await call().catch((e: unknown) => e);
          assert.ok(err instanceof NotFoundError, String(err));
          assert.match(err.message, /POST \/«redacted»\/chat\/completions|GET \/«redacted»\/models/);
          assert.ok(!err.message.includes('ABCDEF1234567890'), err.message);
          assert.ok(!adviseError(err).message.includes('ABCDEF1234567890'), adviseError(err).message);
        }
        assert.ok(!h.logger.text().includes('ABCDEF1234567890'), h.logger.text());
      }
    });

    it('maps 404 model_not_found to NotFoundError without retrying', async () => {
      const { client } = harness();
      await assert.rejects(client.streamChat({ messages, model: 'no-such-model' }, { signal: new AbortController().signal }), (err: unknown) => {
        assert.ok(err instanceof NotFoundError);
        assert.match(err.message, /no-such-model/);
        // (Its advice is about the model and the URL, not a Codegen organization: errorAdvice.test.ts.)
        assert.equal(err.service, 'openai');
        return true;
      });
      assert.equal(server.requests().length, 1);
    });

    it('names contexten.openai.model for a 400 whose text says the model is not there or not taken (OpenRouter, DeepSeek, an allow-list, Azure behind a gateway), streamed or not', async () => {
      await server.close();
      server = await startOpenAiServer({ models: ['test-model', 'llama3'] });
      const cases: { status: number; error: unknown; model?: string; advice: RegExp; not: RegExp }[] = [
        { status: 400, error: { message: 'openai/gpt-9 is not a valid model ID', code: 400 }, advice: /names a model the server offers and lets you use/, not: /load or pull/ },
        { status: 400, error: { message: 'Model Not Exist', type: 'invalid_request_error', param: null, code: 'invalid_request_error' }, advice: /names a model the server has loaded/, not: /lets you use/ },
        { status: 400, error: { message: 'Error: llama3 does not exist in the allow-list' }, model: 'llama3', advice: /names a model the server offers and lets you use/, not: /load or pull/ },
        { status: 422, error: { message: "Unknown model: 'gpt-9'" }, advice: /names a model the server offers and lets you use/, not: /load or pull/ },
      ];
      for (const { status, error, model, advice, not } of cases) {
        for (const stream of [true, false]) {
          const h = harness({ key: KEY, settings: { maxRetries: 2, ...(model !== undefined ? { model } : {}) } });
          const before = server.requests().length;
          server.setFault({ kind: 'http_error', status, error });
          const signal = new AbortController().signal;
          const err = await settle(stream ? h.client.streamChat({ messages }, { signal }) : h.client.chat({ messages }, signal), h.clock).catch((e: unknown) => e);
          server.clearFault();
          assert.ok(err instanceof GenerationError && err.setting === 'contexten.openai', `${JSON.stringify(error)}: ${String(err)}`);
          assert.match(err.message, new RegExp(`rejected POST /v1/chat/completions \\(HTTP ${status}: `));
          assert.equal(server.requests().length - before, 1, JSON.stringify(error));
          const said = adviseError(err);
          assert.match(said.message, advice, JSON.stringify(error));
          assert.doesNotMatch(said.message, not, JSON.stringify(error));
          assert.deepEqual(said.steps, [{ kind: 'openSettings', setting: 'contexten.openai' }, { kind: 'showLogs' }]);
        }
      }
      // A 400 about something else, even one that mentions a model, stays the request rejected, with Show Logs only.
      for (const message of ['Invalid value for temperature', 'Model template not found', "Tool 'search' requested by the model was not found in tools", 'Error: 10.0.0.7 does not exist in the allow-list']) {
        const h = harness({ key: KEY, settings: { maxRetries: 2 } });
        server.setFault({ kind: 'http_error', status: 400, error: { message } });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof ValidationError && !(err instanceof ContextTooLongError), `${message}: ${String(err)}`);
        const said = adviseError(err);
        assert.match(said.message, /the request was rejected/);
        assert.deepEqual(said.steps, [{ kind: 'showLogs' }], message);
      }
      // Azure's deployment not there, passed on by a gateway with a 400: as Azure's own 404.
      for (const stream of [true, false]) {
        const h = harness({ key: KEY, settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'http_error', status: 400, error: { message: "litellm.BadRequestError: AzureException - Error code: 404 - {'error': {'code': 'DeploymentNotFound', 'message': 'The API deployment for this resource does not exist.'}}" } });
        const signal = new AbortController().signal;
        const err = await settle(stream ? h.client.streamChat({ messages }, { signal }) : h.client.chat({ messages }, signal), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof NotFoundError && err.service === 'openai', String(err));
        assert.equal(server.requests().length - before, 1);
        assert.match(adviseError(err).message, /Check that the server serves the model in contexten\.openai\.model/);
      }
      // One too long for the context window stays that.
      const h = harness({ key: KEY });
      server.setFault({ kind: 'http_error', status: 400, error: { message: "This model's maximum context length is 8192 tokens", code: 'context_length_exceeded' } });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      assert.ok(err instanceof ContextTooLongError, String(err));
    });

    it('classes a 400 about the model by the same rules as the same error inside a stream: its param and code count, not only its text', async () => {
      const cases: { error: Record<string, unknown>; kind: typeof NotFoundError | typeof GenerationError; advice: RegExp }[] = [
        { error: { message: 'invalid model', param: 'model' }, kind: GenerationError, advice: /names a model the server offers and lets you use/ },
        { error: { message: 'bad request', code: 'invalid_model' }, kind: GenerationError, advice: /names a model the server offers and lets you use/ },
        { error: { code: 'DeploymentNotFound', message: 'deployment gpt4-prod is missing' }, kind: NotFoundError, advice: /Check that the server serves the model in contexten\.openai\.model/ },
        { error: { message: 'The model `gpt-9` does not exist', param: 'model', code: 'model_not_found' }, kind: NotFoundError, advice: /Check that the server serves the model in contexten\.openai\.model/ },
      ];
      for (const { error, kind, advice } of cases) {
        const errors: unknown[] = [];
        // Inside a stream (with the request's status as its code when it names none), then as an HTTP 400, streamed or not.
        for (const fault of [{ kind: 'error_in_stream', error: { code: 400, ...error } }, { kind: 'http_error', status: 400, error }, { kind: 'http_error', status: 400, error }] as const) {
          const h = harness({ key: KEY, settings: { maxRetries: 2 } });
          const before = server.requests().length;
          server.setFault(fault);
          const signal = new AbortController().signal;
          const err = await settle(errors.length < 2 ? h.client.streamChat({ messages }, { signal }) : h.client.chat({ messages }, signal), h.clock).catch((e: unknown) => e);
          server.clearFault();
          errors.push(err);
          assert.ok(err instanceof kind, `${JSON.stringify(fault)}: ${String(err)}`);
          assert.equal(server.requests().length - before, 1, `not sent again: ${JSON.stringify(fault)}`);
          assert.match(adviseError(err).message, advice, JSON.stringify(fault));
        }
        assert.deepEqual(
          errors.map((e) => adviseError(e as Error).steps),
          errors.map(() => adviseError(errors[0] as Error).steps),
          `the same next steps in a stream and as a 400: ${JSON.stringify(error)}`,
        );
      }
    });

    it('gives no model advice for a text that says what the model may not do, and still does for one refusing or missing it', async () => {
      await server.close();
      server = await startOpenAiServer({ models: ['test-model', 'gpt-4o-mini'] });
      const others = [
        'The model is not allowed to call tools in this mode',
        'max_tokens: the model is not allowed to generate more than 4096 tokens',
        "Model 'gpt-4o-mini' is not allowed for batch requests",
        "Model 'gpt-4o-mini' is not allowed for streaming chat requests",
        'The model is not available in this mode',
        // ("to be used" for what the model may do, not with a key: no model advice, as in session 44.)
        'The model is not allowed to be used for tool calls',
        "Model 'gpt-4o-mini' is not allowed to be used in streaming mode",
      ];
      const about = [
        { message: "Model 'gpt-4o-mini' is not allowed.", advice: /names a model the server offers and lets you use/ },
        { message: 'Model `gpt-4o-mini` is not allowed for this key', advice: /The API key is not allowed to use this model/ },
        { message: 'gpt-4o-mini is not allowed in this allow-list', advice: /names a model the server offers and lets you use/ },
        { message: 'gpt-4o-mini is not available. Pick another one.', advice: /names a model the server has loaded/ },
        // (Refusals and absences said otherwise than at a sentence's end: the model advice as before session 44.)
        { message: "Model 'gpt-4o-mini' is not allowed (allowed models: gpt-4o)", advice: /names a model the server offers and lets you use/ },
        { message: "Model 'gpt-4o-mini' is not allowed for your plan", advice: /names a model the server offers and lets you use/ },
        { message: "Model 'gpt-4o-mini' is not allowed with this API key", advice: /The API key is not allowed to use this model/ },
        { message: "Model 'gpt-4o-mini' is not allowed for user 'bob'", advice: /names a model the server offers and lets you use/ },
        { message: "Model 'gpt-4o-mini' is not allowed by policy", advice: /names a model the server offers and lets you use/ },
        { message: "Model 'gpt-4o-mini' is not allowed for key sk-abc", advice: /The API key is not allowed to use this model/ },
        { message: 'gpt-4o-mini is not available to your organization', advice: /names a model the server has loaded/ },
        { message: 'gpt-4o-mini is not available for your account', advice: /names a model the server has loaded/ },
        { message: "Model 'gpt-4o-mini' is not available (try llama3)", advice: /names a model the server has loaded/ },
        // (A key named elsewhere than in the refusal itself says nothing of whom the model is refused to: the model advice.)
        { message: 'Invalid model name passed in model=gpt-4o-mini. Call `/v1/models` to view available models for your key.', advice: /names a model the server offers and lets you use/ },
        { message: "Unknown model 'gpt-4o-mini': value for key 'model' must be one of gpt-4o, o3", advice: /names a model the server has loaded/ },
        { message: "Model 'gpt-4o-mini' is not allowed for your plan. Upgrade to use it with your key.", advice: /names a model the server offers and lets you use/ },
        { message: 'gpt-4o-mini is not allowed to be used for this API key', advice: /The API key is not allowed to use this model/ },
      ];
      const ask = async (fault: Parameters<OpenAiServer['setFault']>[0]): Promise<unknown> => {
        const h = harness({ key: KEY, settings: { model: 'gpt-4o-mini', maxRetries: 2 } });
        server.setFault(fault);
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        return err;
      };
      for (const message of others) {
        for (const fault of [{ kind: 'http_error', status: 400, error: { message } }, { kind: 'error_in_stream', error: { message, code: 400 } }] as const) {
          const err = await ask(fault);
          // (The request rejected: a ValidationError as a 400, a GenerationError inside the stream.)
          assert.ok(fault.kind === 'http_error' ? err instanceof ValidationError : err instanceof GenerationError, `${JSON.stringify(fault)}: ${String(err)}`);
          assert.deepEqual(adviseError(err).steps, [{ kind: 'showLogs' }], `${JSON.stringify(fault)}: ${adviseError(err).message}`);
          assert.doesNotMatch(adviseError(err).message, /contexten\.openai\.model/, JSON.stringify(fault));
        }
      }
      for (const { message, advice } of about) {
        for (const fault of [{ kind: 'http_error', status: 400, error: { message } }, { kind: 'error_in_stream', error: { message, code: 400 } }] as const) {
          const err = await ask(fault);
          assert.ok(err instanceof GenerationError && err.setting === 'contexten.openai', `${JSON.stringify(fault)}: ${String(err)}`);
          assert.match(adviseError(err).message, advice, JSON.stringify(fault));
        }
      }
    });

    it("says a model the key may not use, or one not served in the user's region, is that — by the error's code first, then its text —, not a wrong key or a model to load", async () => {
      await server.close();
      server = await startOpenAiServer({ models: ['test-model', 'gpt-4o'] });
      const key = { advice: /The API key is not allowed to use this model: pick another in contexten\.openai\.model, or change the key's permissions/, steps: [{ kind: 'openSettings', setting: 'contexten.openai' }, { kind: 'setOpenAiKey' }, { kind: 'showLogs' }] };
      const region = { advice: /The model is not offered in your region \(its name is not at fault\)/, steps: [{ kind: 'openSettings', setting: 'contexten.openai' }, { kind: 'showLogs' }] };
      const cases: { status: number; error: Record<string, unknown>; advice: RegExp; steps: unknown[] }[] = [
        { status: 400, error: { message: 'The model `gpt-4o` is not allowed to be used with this key' }, ...key },
        { status: 403, error: { message: 'The model `gpt-4o` is not allowed to be used with this API key' }, ...key },
        // OpenAI's 403 for a project without the model: `model_not_found` is not the model missing then.
        { status: 403, error: { message: 'Project `proj_abc` does not have access to model `gpt-4o`', type: 'invalid_request_error', code: 'model_not_found' }, ...key },
        { status: 403, error: { message: 'Access denied', type: 'permission_denied', param: 'model' }, ...key },
        // OpenAI's 403 for a model the key's project may not use: the key is valid, not for this model.
        { status: 403, error: { message: 'You are not allowed to sample from this model' }, ...key },
        { status: 400, error: { message: 'The model is not available in the EU' }, ...region },
        { status: 404, error: { message: 'The model is not available in the EU' }, ...region },
        { status: 400, error: { message: 'gpt-4o is not available in your region' }, ...region },
        { status: 400, error: { message: 'This model is not supported in your country.' }, ...region },
        { status: 403, error: { message: 'Country, region, or territory not supported', type: 'request_forbidden', code: 'unsupported_country_region_territory' }, ...region },
        // A version of the model asked for not there (a fine-tune's): a model the server does not offer, not one to load or pull.
        { status: 400, error: { message: 'Model version not found for the fine-tune ft-abc123' }, advice: /names a model the server offers and lets you use/, steps: [{ kind: 'openSettings', setting: 'contexten.openai' }, { kind: 'showLogs' }] },
      ];
      for (const { status, error, advice, steps } of cases) {
        for (const fault of [{ kind: 'http_error', status, error }, { kind: 'error_in_stream', error: { code: status, ...error } }] as const) {
          const h = harness({ key: KEY, settings: { model: 'gpt-4o', maxRetries: 2 } });
          const before = server.requests().length;
          server.setFault(fault);
          const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
          server.clearFault();
          assert.ok(err instanceof GenerationError && err.setting === 'contexten.openai', `${JSON.stringify(fault)}: ${String(err)}`);
          assert.equal(server.requests().length - before, 1, `not sent again: ${JSON.stringify(fault)}`);
          const said = adviseError(err);
          assert.match(said.message, advice, JSON.stringify(fault));
          assert.doesNotMatch(said.message, /load or pull|Store a valid key|usually ending in \/v1/, JSON.stringify(fault));
          assert.doesNotMatch(said.message, /sk-test|SECRET/);
          assert.deepEqual(said.steps, steps, JSON.stringify(fault));
        }
      }
      // Not about the model: a key refused stays the key's; a model missing stays that; "in this mode" is no region.
      for (const { status, error, kind } of [
        { status: 403, error: { message: 'Permission denied' }, kind: AuthenticationError },
        { status: 404, error: { message: 'The model `gpt-9` does not exist or you do not have access to it.', type: 'invalid_request_error', code: 'model_not_found' }, kind: NotFoundError },
        { status: 400, error: { message: 'The model is not available in this mode' }, kind: ValidationError },
      ] as const) {
        const h = harness({ key: KEY, settings: { model: 'gpt-4o', maxRetries: 2 } });
        server.setFault({ kind: 'http_error', status, error });
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof kind && !(err instanceof GenerationError), `${JSON.stringify(error)}: ${String(err)}`);
        assert.doesNotMatch(adviseError(err).message, /region|not allowed to use this model/, JSON.stringify(error));
      }
      // With no key stored, a 403 refusing the model to "this API key" refused no key: the key advice, alike over HTTP and
      // inside a stream (whether a key went with the request, not only whether a 401 was to one without).
      for (const fault of [
        { kind: 'http_error', status: 403, error: { message: 'The model `gpt-4o` is not allowed to be used with this API key' } },
        { kind: 'error_in_stream', error: { code: 403, message: 'The model `gpt-4o` is not allowed to be used with this API key' } },
      ] as const) {
        const h = harness({ settings: { model: 'gpt-4o', maxRetries: 2 } });
        server.setFault(fault);
        const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
        server.clearFault();
        assert.ok(err instanceof AuthenticationError && err.credential === 'openai', `${JSON.stringify(fault)}: ${String(err)}`);
        const said = adviseError(err);
        assert.doesNotMatch(said.message, /not allowed to use this model: pick another/, JSON.stringify(fault));
        assert.deepEqual(said.steps, [{ kind: 'setOpenAiKey' }, { kind: 'openSettings', setting: 'contexten.openai.baseUrl' }], JSON.stringify(fault));
      }
    });

    it("maps a 402 (no credits left) to the model server's PlanLimitError, whose advice is the provider's billing, not a Codegen plan", async () => {
      const h = harness();
      server.setFault({ kind: 'payment_required' });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      assert.ok(err instanceof PlanLimitError, String(err));
      assert.equal(err.service, 'openai');
      assert.match(err.message, /^The model server asks for payment \(HTTP 402: Insufficient credits/);
      const advice = adviseError(err);
      assert.doesNotMatch(advice.message, /Codegen|plan/);
      assert.match(advice.message, /credits and billing of your account with the provider.*contexten\.openai\.baseUrl/);
      assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting: 'contexten.openai.baseUrl' }]);
      assert.equal(server.requests().length, 1, 'not retried');
    });

    it('waits for Retry-After on 429 and then succeeds', async () => {
      const h = harness();
      server.setFault({ kind: 'rate_limit', retryAfterSeconds: 7 }, 1);
      const started = h.clock.now();
      const answer = h.client.streamChat({ messages }, { signal: new AbortController().signal });
      // (Driven by hand, not by settle: that would also fire the grace after the finish_reason before [DONE] is read.)
      await h.clock.whenTimerPending();
      assert.equal(h.clock.nextAt(), started + 7000);
      await h.clock.next();
      const r = await answer;
      assert.equal(r.content, EXPECTED);
      assert.equal(server.requests().length, 2);
      assert.equal(h.clock.now() - started, 7000);
    });

    it('never retries insufficient_quota (RateLimitError with quota)', async () => {
      const h = harness();
      server.setFault({ kind: 'insufficient_quota' });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      assert.ok(err instanceof RateLimitError);
      assert.equal(err.quota, true);
      assert.equal(server.requests().length, 1);
    });

    it('retries 500 up to http.maxRetries, then reports a ServerError', async () => {
      const h = harness({ settings: { maxRetries: 2 } });
      server.setFault({ kind: 'server_error' });
      const err = await settle(h.client.streamChat({ messages }, { signal: new AbortController().signal }), h.clock).catch((e: unknown) => e);
      assert.ok(err instanceof ServerError);
      assert.equal(err.status, 500);
      assert.equal(server.requests().length, 3);
    });

    it("reads a 408 as the server's (or a proxy's) timeout: retried like any timeout, then advice to try again, not to raise contexten.http.timeoutMs", async () => {
      for (const call of ['streamChat', 'chat'] as const) {
        const h = harness({ settings: { maxRetries: 2 } });
        const before = server.requests().length;
        server.setFault({ kind: 'request_timeout' }, 3);
        const signal = new AbortController().signal;
        const err = await settle(call === 'chat' ? h.client.chat({ messages }, signal) : h.client.streamChat({ messages }, { signal }), h.clock).catch((e: unknown) => e);
        assert.ok(err instanceof ServerTimeoutError, `${call}: ${String(err)}`);
        assert.equal(server.requests().length - before, 3, `${call}: retried up to http.maxRetries`);
        assert.match(err.message, /^The model server \(or a proxy in front of it\) gave up waiting for POST \/v1\/chat\/completions \(HTTP 408\)\.$/);
        const advice = adviseError(err);
        assert.doesNotMatch(advice.message, /timeoutMs/);
        assert.match(advice.message, /Try again; if it keeps happening, check the server's log\.$/);
        assert.deepEqual(advice.steps, [{ kind: 'showLogs' }]);
      }
    });

    it('summarises a 503 HTML page from a proxy instead of dumping it, and recovers on retry', async () => {
      const h = harness({ settings: { maxRetries: 0 } });
      server.setFault({ kind: 'unavailable_html' }, 1);
      const err = await h.client.chat({ messages }, new AbortController().signal).catch((e: unknown) => e);
      assert.ok(err instanceof ServerError);
      assert.match(err.message, /HTML error page \("503 Service Temporarily Unavailable"\)/);
      assert.doesNotMatch(err.message, /<html>/);
      assert.equal((await h.client.chat({ messages }, new AbortController().signal)).content, EXPECTED);
    });
  });

  describe('non-streaming and models', () => {
    it('answers a chat in one response', async () => {
      const { client } = harness();
      const r = await client.chat({ messages, maxTokens: 2 }, new AbortController().signal);
      assert.equal(r.content, EXPECTED.slice(0, 24));
      assert.equal(r.truncated, true);
      assert.equal(r.usage?.completionTokens, 2);
      assert.equal((server.requests()[0]?.body as { stream?: unknown }).stream, false);
    });

    it('reports a cut-off JSON body as ProtocolError', async () => {
      const { client } = harness();
      server.setFault({ kind: 'truncate', afterChunks: 0 });
      await assert.rejects(client.chat({ messages }, new AbortController().signal), ProtocolError);
    });

    it('lists models', async () => {
      const { client } = harness();
      assert.deepEqual(await client.listModels(new AbortController().signal), ['test-model', 'gpt-4o-mini']);
    });

    it('reads a web page answered with 200 to a chat or the models list as a wrong contexten.openai.baseUrl, not as malformed JSON', async () => {
      const { client } = harness({ key: KEY, settings: { maxRetries: 2 } });
      // (A login portal's page, its title repeating the key, the rest long: only the title shows, the key redacted.)
      const page = `<!DOCTYPE html>\n<html><head><title>Sign in ${KEY}</title></head><body>${'<p>Single sign-on</p>'.repeat(400)}</body></html>`;
      const calls = { chat: () => client.chat({ messages }, new AbortController().signal), listModels: () => client.listModels(new AbortController().signal) };
      for (const [name, call] of Object.entries(calls)) {
        for (const contentType of ['text/html; charset=utf-8', 'application/json']) {
          server.setFault({ kind: 'plain_body', contentType, body: page }, 1);
          const before = server.requests().length;
          const err = await call().catch((e: unknown) => e);
          assert.ok(err instanceof ProtocolError, `${name} ${contentType}: ${String(err)}`);
          assert.equal(server.requests().length - before, 1, 'not sent again');
          assert.equal(err.hint, 'webPage');
          assert.equal(err.setting, 'contexten.openai.baseUrl');
          assert.match(err.message, /^The model server answered (POST \/v1\/chat\/completions|GET \/v1\/models) with a web page \("Sign in «redacted»"\) instead of JSON\. The base URL is probably wrong: check contexten\.openai\.baseUrl; it should point at the API itself \(usually ending in \/v1\)/);
          assert.doesNotMatch(err.message, /malformed JSON|Single sign-on/);
          assert.ok(!err.message.includes(KEY), err.message);
          const advice = adviseError(err);
          assert.equal(advice.message, `Contexten: ${err.message}`);
          assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting: 'contexten.openai.baseUrl' }, { kind: 'showLogs' }]);
        }
      }
    });
  });
});

describe('OpenAiClient: a stream that fails or goes quiet after part of the answer (real HTTP, raw SSE)', () => {
  const sse = (choice: { content?: string; finish?: string }): string =>
    `data: ${JSON.stringify({ model: 'raw-model', choices: [{ index: 0, delta: choice.content === undefined ? {} : { content: choice.content }, finish_reason: choice.finish ?? null }] })}\n\n`;
  let srv: http.Server;
  let baseUrl = '';
  /** The open response of the request in progress, once it arrived. */
  let responses: http.ServerResponse[] = [];
  let write: (res: http.ServerResponse) => void = () => undefined;
  let transport: UndiciTransport;
  /** The transport's clock (its idle timeouts), and the client's (retries, the grace after a finish_reason). */
  let clock: FakeClock;
  let clientClock: FakeClock;
  let timeoutMs = 1000;
  let logger: RecordingLogger;
  let client: OpenAiClient;

  beforeEach(async () => {
    responses = [];
    srv = http.createServer((req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        responses.push(res);
        write(res);
      });
    });
    await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
    baseUrl = `http://127.0.0.1:${(srv.address() as AddressInfo).port}/v1`;
    clock = new FakeClock();
    clientClock = new FakeClock();
    timeoutMs = 1000;
    logger = new RecordingLogger();
    transport = new UndiciTransport({ maxConnections: 2, clock, logger });
    client = new OpenAiClient({ transport, clock: clientClock, random: () => 0.5, logger, settings: () => ({ baseUrl, model: 'm', timeoutMs, maxRetries: 2 }), apiKey: () => Promise.resolve(undefined) });
  });

  afterEach(async () => {
    // (Connections first: a request still waiting on the fake clock would hold the transport's close.)
    srv.closeAllConnections();
    await transport.close();
    await new Promise<void>((r) => srv.close(() => r()));
  });

  /** Starts a streamed chat; `text` resolves once the first piece of the answer reached onDelta. */
  function start(): { outcome: Promise<unknown>; text: Promise<string> } {
    let shown: (t: string) => void = () => undefined;
    const text = new Promise<string>((r) => (shown = r));
    const outcome = client.streamChat({ messages, includeUsage: true }, { signal: new AbortController().signal, onDelta: shown }).catch((e: unknown) => e);
    return { outcome, text };
  }

  /** Moves the transport's clock a timeout at a time until `p` settles (no network event is awaited meanwhile). */
  async function timeOut(p: Promise<unknown>): Promise<unknown> {
    let settled = false;
    void p.then(() => (settled = true));
    for (let i = 0; i < 20 && !settled; i++) await clock.advance(1000);
    return p;
  }

  it('keeps a finished answer whose connection dropped after finish_reason, before [DONE] (and logs why)', async () => {
    write = (res) => res.write(`${sse({ content: 'const a = 1;' })}${sse({ finish: 'stop' })}`);
    const { outcome, text } = start();
    assert.equal(await text, 'const a = 1;');
    responses[0]?.socket?.destroy();
    const r = await outcome;
    assert.ok(!(r instanceof Error), String(r));
    assert.deepEqual(r, { content: 'const a = 1;', baseUrl, model: 'raw-model', requestedModel: 'm', finishReason: 'stop', truncated: false });
    assert.match(logger.text(), /was finished \(finish_reason "stop"\), then its stream failed before \[DONE\]; the answer is kept/);
    assert.equal(responses.length, 1, 'not sent again');
  });

  it('reports the error that follows a finish_reason "error" (the server failed), not the partial answer', async () => {
    write = (res) => {
      res.write(`${sse({ content: 'function half(' })}${sse({ finish: 'error' })}`);
      res.end(`data: ${JSON.stringify({ error: { message: 'Provider returned error: upstream overloaded', code: 502 } })}\n\n`);
    };
    const { outcome, text } = start();
    assert.equal(await text, 'function half(');
    const err = await outcome;
    assert.ok(err instanceof ServerError, String(err));
    assert.match(err.message, /The model server reported an error while answering POST \/v1\/chat\/completions: Provider returned error: upstream overloaded/);
    assert.doesNotMatch(logger.text(), /the answer is kept/);
    assert.equal(responses.length, 1, 'not sent again');
  });

  /** Resolves once the server sees the response's connection closed. */
  function closed(res: http.ServerResponse | undefined): Promise<void> {
    return new Promise((r) => (res === undefined || res.socket === null || res.socket.destroyed ? r() : res.once('close', () => r())));
  }

  it(`ends a stream that stays silent ${FINISH_GRACE_MS} ms after finish_reason (not the whole idle timeout), keeping the answer, and closes the connection`, async () => {
    timeoutMs = 30_000;
    const usage = { prompt_tokens: 5, completion_tokens: 3, total_tokens: 8 };
    // (One event with the text, the finish_reason and the usage: the grace is armed before the text is shown.)
    write = (res) => res.write(`data: ${JSON.stringify({ model: 'raw-model', choices: [{ index: 0, delta: { content: 'const a = 1;' }, finish_reason: 'stop' }], usage })}\n\n`);
    const { outcome, text } = start();
    assert.equal(await text, 'const a = 1;');
    const state = watchSettling(outcome);
    await clientClock.advance(FINISH_GRACE_MS - 1);
    assert.equal(await state(), 'pending');
    await clientClock.advance(1);
    assert.equal(await state(), 'resolved', 'ended after the grace, the transport clock untouched');
    assert.deepEqual(await outcome, { content: 'const a = 1;', baseUrl, model: 'raw-model', requestedModel: 'm', finishReason: 'stop', truncated: false, usage: { promptTokens: 5, completionTokens: 3, totalTokens: 8 } });
    await closed(responses[0]);
    assert.match(logger.text(), new RegExp(`finish_reason "stop"\\), then its stream stayed silent ${FINISH_GRACE_MS} ms without ending \\(\\[DONE\\]\\); the request is ended and the answer kept\\.`));
    assert.equal(clientClock.pending(), 0);

    // A usage chunk and [DONE] that come within the grace are read as ever (over a connection left open).
    write = (res) => res.write(`${sse({ content: 'let b;', finish: 'length' })}`);
    const late = start();
    assert.equal(await late.text, 'let b;');
    await clientClock.advance(FINISH_GRACE_MS - 1);
    responses[1]?.write(`data: ${JSON.stringify({ choices: [], usage })}\n\ndata: [DONE]\n\n`);
    const r = await late.outcome;
    assert.deepEqual(r, { content: 'let b;', baseUrl, model: 'raw-model', requestedModel: 'm', finishReason: 'length', truncated: true, usage: { promptTokens: 5, completionTokens: 3, totalTokens: 8 } });
    assert.equal(clientClock.pending(), 0);
    assert.equal((logger.text().match(/stayed silent/g) ?? []).length, 1);
    assert.equal(responses.length, 2, 'nothing sent again');
  });

  it('gives no grace after a finish_reason that says the server failed ("error"): the error it may still send gets the idle timeout, then the answer is incomplete', async () => {
    write = (res) => res.write(`${sse({ content: 'function half(' })}${sse({ finish: 'error' })}`);
    const { outcome, text } = start();
    assert.equal(await text, 'function half(');
    await clientClock.advance(10 * FINISH_GRACE_MS);
    assert.equal(clientClock.pending(), 0, 'no grace timer');
    const err = await timeOut(outcome);
    assert.ok(err instanceof TimeoutError, String(err));
    assert.match(err.message, /went silent for 1000 ms while answering POST \/v1\/chat\/completions, after part of the answer arrived; the answer is incomplete/);
    assert.doesNotMatch(logger.text(), /stayed silent|the answer is kept/);
  });

  it('keeps a finished answer whose stream went quiet after finish_reason, once an idle timeout shorter than the grace passes', async () => {
    write = (res) => res.write(sse({ content: 'const a = 1;', finish: 'length' }));
    const { outcome, text } = start();
    assert.equal(await text, 'const a = 1;');
    const r = await timeOut(outcome);
    assert.ok(!(r instanceof Error), String(r));
    assert.equal((r as { content: string }).content, 'const a = 1;');
    assert.equal((r as { truncated: boolean }).truncated, true, 'a finish_reason "length" is still reported');
  });

  it('says a timeout the server reports after part of the answer in its own words, not that the server went silent', async () => {
    write = (res) => res.end(`${sse({ content: 'const a =' })}data: ${JSON.stringify({ error: { message: 'upstream request timeout', type: 'timeout' } })}\n\n`);
    const { outcome, text } = start();
    assert.equal(await text, 'const a =');
    const err = await outcome;
    assert.ok(err instanceof ServerTimeoutError, String(err));
    assert.match(err.message, /reported an error while answering POST \/v1\/chat\/completions: upstream request timeout$/);
    assert.doesNotMatch(err.message, /went silent/);
    assert.equal(responses.length, 1, 'not sent again after text arrived');
  });

  it('says an answer that went quiet part way is incomplete, not that no answer came', async () => {
    write = (res) => res.write(sse({ content: 'const a =' }));
    const { outcome, text } = start();
    assert.equal(await text, 'const a =');
    const err = await timeOut(outcome);
    assert.ok(err instanceof TimeoutError, String(err));
    assert.equal(err.timeoutMs, 1000);
    assert.match(adviseError(err).message, /The model server went silent for 1000 ms while answering POST \/v1\/chat\/completions, after part of the answer arrived; the answer is incomplete\. Try again, or raise contexten\.http\.timeoutMs/);
    assert.doesNotMatch(err.message, /without an answer/);
    assert.equal(responses.length, 1, 'not sent again');
  });

  it('still reports a drop before finish_reason as an incomplete answer, and cancelling after finish_reason as cancelled', async () => {
    write = (res) => res.write(sse({ content: 'const a =' }));
    const first = start();
    await first.text;
    responses[0]?.socket?.destroy();
    const dropped = await first.outcome;
    assert.ok(dropped instanceof NetworkError && dropped.dropped, String(dropped));

    write = (res) => res.write(`${sse({ content: 'const a = 1;' })}${sse({ finish: 'stop' })}`);
    const ac = new AbortController();
    let shown: () => void = () => undefined;
    const text = new Promise<void>((r) => (shown = r));
    const cancelled = client.streamChat({ messages }, { signal: ac.signal, onDelta: () => shown() }).catch((e: unknown) => e);
    await text;
    ac.abort();
    assert.ok((await cancelled) instanceof CancellationError);
  });
});

describe("OpenAiClient: a reasoning model's thinking (real HTTP, a local server streaming its fields)", () => {
  const event = chatEvent;
  let server: ScriptedChatServer;
  let baseUrl = '';
  let transport: UndiciTransport;
  let client: OpenAiClient;

  beforeEach(async () => {
    server = await ScriptedChatServer.start();
    baseUrl = server.baseUrl;
    const logger = new RecordingLogger();
    transport = new UndiciTransport({ maxConnections: 2, clock: systemClock, logger });
    client = new OpenAiClient({ transport, clock: new FakeClock(), random: () => 0.5, logger, settings: () => ({ baseUrl, model: 'r1', timeoutMs: 10_000, maxRetries: 2 }), apiKey: () => Promise.resolve(undefined) });
  });

  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  /** Streams a chat, recording what reached onDelta and onReasoning, in order. */
  async function stream(req: { maxTokens?: number } = {}): Promise<{ outcome: unknown; shown: string[] }> {
    const shown: string[] = [];
    const outcome = await client
      .streamChat({ messages, ...req }, { signal: new AbortController().signal, onDelta: (t) => shown.push(`answer:${t}`), onReasoning: (t) => shown.push(`thinking:${t}`) })
      .catch((e: unknown) => e);
    return { outcome, shown };
  }

  const DRAFT = 'The user wants parseDate.\n```ts\nfunction draft() {}\n```\n';
  const ANSWER = 'Here it is:\n```ts\nexport function parseDate() {}\n```\n';

  it('streams `reasoning_content` (DeepSeek, vLLM, SGLang) to onReasoning, apart from the answer, which holds none of it', async () => {
    server.reply = { events: [event({ role: 'assistant', content: '' }), event({ reasoning_content: DRAFT.slice(0, 10) }), event({ reasoning_content: DRAFT.slice(10), content: null }), event({ content: ANSWER }), event({}, 'stop')] };
    const { outcome, shown } = await stream();
    assert.deepEqual(shown, [`thinking:${DRAFT.slice(0, 10)}`, `thinking:${DRAFT.slice(10)}`, `answer:${ANSWER}`]);
    assert.deepEqual(outcome, { content: ANSWER, reasoning: DRAFT, baseUrl, model: 'r1', requestedModel: 'r1', finishReason: 'stop', truncated: false });
  });

  it('reads `reasoning` (Ollama, newer vLLM) too, and a delta carrying both fields (vLLM fills both) once', async () => {
    server.reply = { events: [event({ reasoning: 'Think ' }), event({ reasoning: 'more.', reasoning_content: 'more.' }), event({ content: ANSWER }, 'stop')] };
    const { outcome, shown } = await stream();
    assert.deepEqual(shown, ['thinking:Think ', 'thinking:more.', `answer:${ANSWER}`]);
    assert.equal((outcome as { reasoning?: string }).reasoning, 'Think more.');
    assert.equal((outcome as { content?: string }).content, ANSWER);
  });

  it("reads a Mistral content given as parts: text parts are the answer, thinking parts the reasoning (not an event of unexpected shape)", async () => {
    server.reply = {
      events: [
        event({ role: 'assistant', content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Hmm, ' }] }] }),
        event({ content: [{ type: 'thinking', thinking: 'a date parser.' }, { type: 'text', text: 'Here ' }] }),
        event({ content: [{ type: 'image_url', image_url: { url: 'https://x/y.png' } }, { type: 'text', text: 'it is.' }] }, 'stop'),
      ],
    };
    const { outcome, shown } = await stream();
    assert.ok(!(outcome instanceof Error), String(outcome));
    assert.deepEqual(shown, ['thinking:Hmm, ', 'thinking:a date parser.', 'answer:Here ', 'answer:it is.']);
    assert.equal((outcome as { content?: string }).content, 'Here it is.');
    assert.equal((outcome as { reasoning?: string }).reasoning, 'Hmm, a date parser.');
  });

  it('says an answer that only reasoned is so, keeping its reasoning shown, not that the model wrote nothing or its name is wrong', async () => {
    server.reply = { events: [event({ reasoning_content: DRAFT }), event({ content: '' }, 'stop')] };
    const { outcome, shown } = await stream();
    assert.deepEqual(shown, [`thinking:${DRAFT}`]);
    assert.ok(outcome instanceof GenerationError, String(outcome));
    assert.match(outcome.message, /^The model server sent no answer to POST \/v1\/chat\/completions: the model only reasoned and wrote no answer \(finish_reason "stop"\)\. Try again/);
    assert.doesNotMatch(outcome.message, /wrote nothing|contexten\.openai\.model/);
    assert.equal(outcome.setting, undefined, 'no setting to open: the model name is not at fault');
    assert.equal(server.requests, 1, 'not sent again: its reasoning was shown');
  });

  it('says a model that ran out of tokens while thinking did so, naming the limit to raise: the request\'s maxTokens, else the server\'s', async () => {
    server.reply = { events: [event({ reasoning: DRAFT }, 'length')] };
    const limited = await stream({ maxTokens: 512 });
    assert.ok(limited.outcome instanceof GenerationError, String(limited.outcome));
    assert.match(limited.outcome.message, /the model only reasoned and wrote no answer \(finish_reason "length"\)\. It ran out of tokens while thinking: allow more than the 512 the request allowed \(maxTokens\)/);
    const unlimited = await stream();
    assert.ok(unlimited.outcome instanceof GenerationError, String(unlimited.outcome));
    assert.match(unlimited.outcome.message, /It ran out of tokens while thinking: the request set no token limit, so the server's own applies — give the model a larger context or more output tokens on the server/);
    assert.doesNotMatch(unlimited.outcome.message, /maxTokens|contexten\.openai\.model/);
  });

  it('reads the reasoning of an answer in one piece: chat(), and a JSON body sent instead of a stream', async () => {
    const completion = { model: 'r1', choices: [{ index: 0, message: { role: 'assistant', content: ANSWER, reasoning_content: DRAFT }, finish_reason: 'stop' }] };
    server.reply = { json: completion };
    const whole = await client.chat({ messages }, new AbortController().signal);
    assert.equal(whole.content, ANSWER);
    assert.equal(whole.reasoning, DRAFT);
    const { outcome, shown } = await stream();
    assert.deepEqual(shown, [`thinking:${DRAFT}`, `answer:${ANSWER}`]);
    assert.equal((outcome as { content?: string }).content, ANSWER);
    // (Mistral's parts in one piece, and an answer that only reasoned.)
    server.reply = { json: { ...completion, choices: [{ index: 0, message: { role: 'assistant', content: [{ type: 'thinking', thinking: [{ type: 'text', text: 'Hmm.' }] }] }, finish_reason: 'stop' }] } };
    await assert.rejects(client.chat({ messages }, new AbortController().signal), /the model only reasoned and wrote no answer/);
  });

  it("marks an answer a Gemini gateway ended as blocked (SAFETY, RECITATION, LANGUAGE — withheld for its language —, any case) cut off, and one blocked before a word withheld", async () => {
    for (const reason of ['SAFETY', 'RECITATION', 'LANGUAGE', 'Content_Filter', 'prohibited_content']) {
      server.reply = { events: [event({ content: 'Here is half' }, reason)] };
      const { outcome } = await stream();
      assert.equal((outcome as { truncated?: boolean }).truncated, true, reason);
      server.reply = { events: [event({ content: '' }, reason)] };
      const empty = await stream();
      assert.ok(empty.outcome instanceof GenerationError, String(empty.outcome));
      assert.equal(empty.outcome.message, `The model server withheld the answer (finish_reason "${reason}").`);
    }
  });

  it("marks an answer Gemini ended short for a cause it does not name (MALFORMED_FUNCTION_CALL, OTHER) cut off", async () => {
    for (const reason of ['MALFORMED_FUNCTION_CALL', 'OTHER', 'other']) {
      server.reply = { events: [event({ content: 'Here is half' }, reason)] };
      const { outcome } = await stream();
      assert.equal((outcome as { truncated?: boolean }).truncated, true, reason);
      // Ended before a word: the server ended it, not a wrong model name.
      server.reply = { events: [event({ content: '' }, reason)] };
      const empty = await stream();
      assert.ok(empty.outcome instanceof GenerationError, String(empty.outcome));
      assert.match(empty.outcome.message, new RegExp(`ended the answer to .* before the model wrote anything \\(finish_reason "${reason}"\\)`));
    }
  });
});
