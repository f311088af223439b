// Client for OpenAI-compatible chat completions (OpenAI, Ollama, vLLM, LM Studio; docs/openai-compatible.md).
// Streams over SSE (eventsource-parser), or answers in one piece; lists models. The idle-gap timeout is
// the transport's per-request timeout (re-armed on every received chunk), so a slow first token or a
// silent stream times out while a long steady answer never does. Retries go through the shared policy
// and only until the first piece of the answer arrived: a stream that already produced text is never
// sent again. Once the model finished (a finish_reason), a silence of FINISH_GRACE_MS ends the stream.
// Authorization goes out only when a key is set; the key never reaches a log or an error.
// A reasoning model's thinking (`reasoning_content`, `reasoning`, Mistral's `thinking` parts) is its own channel
// (onReasoning, ChatResult.reasoning), never part of the answer's content.
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import * as z from 'zod';
import { AuthenticationError, CancellationError, ContextTooLongError, endSentence, GenerationError, NetworkError, NotFoundError, ProtocolError, RateLimitError, ServerError, ServerTimeoutError, TimeoutError, ValidationError } from '../errors';
import { cleanCredential } from '../auth/credentialText';
import { redactSecrets, redactUrlPath, suspectPathSegments } from '../redact';
import type { Clock, Disposable, HttpResponse, HttpTransport, Logger, Random } from '../ports';
import { bodyTooLarge, MAX_ANSWER_CHARS, readAnswerText, readErrorText } from './boundedBody';
import { cutOff } from './finishReason';
import { describeBody, errorFromErrorBody, errorNames, looksLikeHtml, parseJsonBody, readErrorBody, saysContextTooLong, shownContentType, webPageError } from './httpErrors';
import { withRetry } from './retryPolicy';

export interface OpenAiSettings {
  /** Usually ends in /v1, without a trailing slash. */
  readonly baseUrl: string;
  readonly model: string;
  /** Longest silence allowed: before the headers and between chunks. */
  readonly timeoutMs: number;
  readonly maxRetries: number;
}

export interface OpenAiClientOptions {
  readonly transport: HttpTransport;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** Read on every call, so settings changes apply at once. */
  readonly settings: () => OpenAiSettings;
  /**
   * The stored key for the server at `baseUrl` (the one the request goes to), or undefined for servers that need none
   * (Ollama) and for an origin no key was stored for (OpenAiKeyStore: a key is sent only to the origin it was entered for).
   */
  readonly apiKey: (baseUrl: string) => Promise<string | undefined>;
}

export interface ChatMessage {
  readonly role: 'system' | 'user' | 'assistant';
  readonly content: string;
}

export interface ChatRequest {
  readonly messages: readonly ChatMessage[];
  /** Defaults to contexten.openai.model. */
  readonly model?: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Streaming only: ask for a final usage chunk (stream_options.include_usage). */
  readonly includeUsage?: boolean;
}

export interface ChatUsage {
  readonly promptTokens: number;
  readonly completionTokens: number;
  readonly totalTokens: number;
}

export interface ChatResult {
  readonly content: string;
  /**
   * What a reasoning model thought before it answered (`reasoning_content`, `reasoning`, `thinking` parts), when it sent
   * any: shown apart from the answer, never part of `content`.
   */
  readonly reasoning?: string;
  /** The base URL the request went to (the settings are read once per call, when it starts). */
  readonly baseUrl: string;
  /** The model the server says answered (falls back to the requested one). */
  readonly model: string;
  /** The model the request asked for: the request's, or contexten.openai.model read with `baseUrl`. */
  readonly requestedModel: string;
  /** "stop", "length", "content_filter", … ("stop" when the server ended with [DONE] and named none). */
  readonly finishReason: string;
  /**
   * The answer ended before the model finished it: cut at max_tokens ("length"), by a content filter part way
   * ("content_filter"), aborted by the server ("abort", vLLM) — see cutOff.
   */
  readonly truncated: boolean;
  readonly usage?: ChatUsage;
}

export interface StreamOptions {
  readonly signal: AbortSignal;
  /** Each piece of content as it arrives. */
  readonly onDelta?: (text: string) => void;
  /** Each piece of a reasoning model's thinking as it arrives (before, or between, pieces of content). */
  readonly onReasoning?: (text: string) => void;
}

const SERVICE = 'The model server';

/**
 * How long a stream may stay silent once the model finished (a finish_reason came) before it is ended without its
 * usage chunk and `[DONE]`: both normally follow at once, and a server or proxy that keeps the connection open
 * instead would otherwise hold a finished answer for the whole idle timeout (contexten.http.timeoutMs, up to 600 s).
 */
export const FINISH_GRACE_MS = 2_000;

/**
 * Token counts, optional and only informative: a server's own take on them (no total, a null, a field of another type)
 * is read as no usage rather than throwing away the answer it came with.
 */
const usageSchema = z
  .object({ prompt_tokens: z.number(), completion_tokens: z.number(), total_tokens: z.number().nullish() })
  .nullish()
  .catch(undefined);

/**
 * An error a server reports inside an answer: `{"message", "type", "code"}` (OpenAI, vLLM, gateways) or just its text.
 * (A `type` of another kind is left out rather than hiding the message and code.)
 */
const streamErrorSchema = z.union([
  z.string(),
  z.object({
    message: z.string().nullish(),
    type: z.string().nullish().catch(undefined),
    code: z.union([z.number(), z.string()]).nullish(),
    /** The request field at fault (OpenAI's `param`: "model" for a model the server does not have). */
    param: z.string().nullish().catch(undefined),
  }),
]);

/**
 * One part of a content given as an array (Mistral): `{type: "text", text}` is the answer's, `{type: "thinking",
 * thinking}` (Magistral: an array of text parts; a string elsewhere) the model's reasoning. Parts of other kinds (an image,
 * a reference) say nothing to show and are passed over.
 */
const contentPartSchema = z.object({
  type: z.string().nullish().catch(undefined),
  text: z.string().nullish().catch(undefined),
  thinking: z
    .union([z.string(), z.array(z.object({ text: z.string().nullish().catch(undefined) }))])
    .nullish()
    .catch(undefined),
});

/** A message's or delta's content: text, or (Mistral) an array of parts. */
const contentSchema = z.union([z.string(), z.array(contentPartSchema)]).nullish();

/**
 * A reasoning model's thinking beside the content: `reasoning_content` (DeepSeek, SGLang, older vLLM) or `reasoning`
 * (Ollama, newer vLLM, OpenRouter). Only informative: a field of another type is read as none rather than failing the answer.
 */
const reasoningFields = {
  reasoning_content: z.string().nullish().catch(undefined),
  reasoning: z.string().nullish().catch(undefined),
};

const chunkSchema = z.object({
  model: z.string().nullish(),
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        delta: z.object({ content: contentSchema, ...reasoningFields }).nullish(),
        finish_reason: z.string().nullish(),
      }),
    )
    .nullish(),
  usage: usageSchema,
  /** vLLM and some gateways report failures inside the stream. */
  error: streamErrorSchema.nullish(),
});

const completionSchema = z.object({
  model: z.string().nullish(),
  choices: z
    .array(
      z.object({
        index: z.number().optional(),
        message: z.object({ content: contentSchema, ...reasoningFields }),
        finish_reason: z.string().nullish(),
      }),
    )
    .min(1),
  usage: usageSchema,
});

const modelsSchema = z.object({ data: z.array(z.object({ id: z.string() })) });

/** What has been assembled from a stream so far. */
interface StreamState {
  content: string;
  /** The model's thinking, apart from the content (splitContent). */
  reasoning: string;
  model: string;
  finishReason: string | undefined;
  usage: ChatUsage | undefined;
  done: boolean;
}

/**
 * The request an answer is read for, as an error in it is told: how to name the request, the secrets to redact, the
 * model it asked for, and whether it carried a key (a 401 to one without says that one is needed, as the HTTP status does).
 */
interface AskedFor {
  readonly what: string;
  readonly secrets: readonly string[];
  readonly model: string;
  readonly keySent: boolean;
}

/** What result() needs besides the stream's state: where the request went, the model it asked for, and how to name it in an error. */
interface RequestTarget {
  readonly baseUrl: string;
  readonly model: string;
  readonly what: string;
  /** The request's max_tokens, when it sent one: what an answer that ran out of tokens says to raise. */
  readonly maxTokens: number | undefined;
}

export class OpenAiClient {
  constructor(private readonly opts: OpenAiClientOptions) {}

  /** Streams a chat completion; resolves with the whole answer. Throws the core error classes. */
  async streamChat(req: ChatRequest, options: StreamOptions): Promise<ChatResult> {
    const { signal } = options;
    const settings = this.opts.settings();
    const model = req.model ?? settings.model;
    const headers = await this.headers(true, settings);
    const what = this.describe('POST', '/chat/completions', settings, headers.secrets);
    const state: StreamState = { content: '', reasoning: '', model, finishReason: undefined, usage: undefined, done: false };
    const body = JSON.stringify(requestBody(req, model, true));
    const asked: AskedFor = { what, secrets: headers.secrets, model, keySent: headers.values['authorization'] !== undefined };

    // After a finish_reason the request is ended (quietly: the connection is not left open) once the stream stays
    // silent FINISH_GRACE_MS, re-armed by every event. Not after a reason that says the server aborted or failed: the
    // error that may follow is the reason, and it gets the whole idle timeout as any answer part way does.
    const grace = new AbortController();
    const requestSignal = AbortSignal.any([signal, grace.signal]);
    let graceTimer: Disposable | undefined;
    let graceOver = false;
    const stopGrace = (): void => {
      graceTimer?.dispose();
      graceTimer = undefined;
    };
    const armGrace = (): void => {
      stopGrace();
      if (state.done || state.finishReason === undefined || cutOff(state.finishReason) === 'aborted') return;
      const reason = state.finishReason.slice(0, 40);
      graceTimer = this.opts.clock.setTimeout(() => {
        graceOver = true;
        this.opts.logger.info(`openai: the answer to ${what} was finished (finish_reason "${reason}"), then its stream stayed silent ${FINISH_GRACE_MS} ms without ending ([DONE]); the request is ended and the answer kept${state.usage ? '' : ', without token counts'}.`);
        grace.abort();
      }, FINISH_GRACE_MS);
    };

    // Up to the first piece of content or reasoning the request may be retried; after it, never (what was shown would
    // be shown again).
    const show = (delta: ChunkDelta): boolean => {
      if (delta.reasoning) options.onReasoning?.(delta.reasoning);
      if (delta.content) options.onDelta?.(delta.content);
      return delta.reasoning !== '' || delta.content !== '';
    };
    const events = await withRetry(
      async () => {
        Object.assign(state, { content: '', reasoning: '', model, finishReason: undefined, usage: undefined, done: false });
        const res = await this.send({ method: 'POST', url: `${settings.baseUrl}/chat/completions`, headers: headers.values, body }, settings, what, headers.secrets, requestSignal, model);
        const it = streamEvents(res, asked)[Symbol.asyncIterator]();
        try {
          while (!state.done) {
            const step = await it.next();
            if (step.done) break;
            const delta = applyChunk(state, step.value, asked);
            armGrace();
            if (show(delta)) break;
          }
        } catch (err) {
          // (The grace ended a stream that had finished without a word: it ends below, as one that closed would.)
          if (graceOver && !signal.aborted) return it;
          stopGrace();
          await it.return?.(undefined);
          throw err;
        }
        return it;
      },
      { maxRetries: settings.maxRetries, clock: this.opts.clock, random: this.opts.random, signal, logger: this.opts.logger, label: what },
    );

    try {
      while (!state.done) {
        const step = await events.next();
        if (step.done) break;
        const delta = applyChunk(state, step.value, asked);
        armGrace();
        show(delta);
      }
    } catch (err) {
      if (signal.aborted) throw new CancellationError();
      if (graceOver) return result(state, { baseUrl: settings.baseUrl, model, what, maxTokens: req.maxTokens });
      // The model had finished (a finish_reason came): only [DONE], and a usage chunk, were still to come. The answer
      // is whole (docs/openai-compatible.md: only a stream with neither is cut short), so it is kept, not thrown away.
      // Not so when the reason says the server aborted or failed ("error", "abort"): the error that follows is the
      // reason, and it is what the user needs to see.
      if (state.finishReason !== undefined && cutOff(state.finishReason) !== 'aborted') {
        this.opts.logger.warn(`openai: the answer to ${what} was finished (finish_reason "${state.finishReason.slice(0, 40)}"), then its stream failed before [DONE]; the answer is kept: ${err instanceof Error ? err.message : String(err)}`);
        return result(state, { baseUrl: settings.baseUrl, model, what, maxTokens: req.maxTokens });
      }
      // (Part of the answer came: the server was reached, and its connection dropped — not "cannot reach the server".)
      if (err instanceof NetworkError && !err.dropped) {
        throw new NetworkError(`The connection to the model server dropped while it was answering ${what}, after part of the answer arrived (${err.message}); the answer is incomplete.`, { cause: err, dropped: true });
      }
      // (Not "without an answer": the panel shows the part that came.)
      // (Not one the server reported in its answer: that one says what timed out.)
      if (err instanceof TimeoutError && !(err instanceof ServerTimeoutError)) {
        const gap = err.timeoutMs ?? settings.timeoutMs;
        throw new TimeoutError(`${SERVICE} went silent for ${gap} ms while answering ${what}, after part of the answer arrived; the answer is incomplete.`, gap);
      }
      throw err;
    } finally {
      stopGrace();
      await events.return?.(undefined);
    }
    if (!state.done && state.finishReason === undefined) {
      throw new ProtocolError(`${SERVICE} ended the answer to ${what} early, without finishing it (no finish_reason and no [DONE]); the answer is incomplete.`, { hint: 'incomplete' });
    }
    return result(state, { baseUrl: settings.baseUrl, model, what, maxTokens: req.maxTokens });
  }

  /** One chat completion in a single response (no streaming). */
  async chat(req: ChatRequest, signal: AbortSignal): Promise<ChatResult> {
    const settings = this.opts.settings();
    const model = req.model ?? settings.model;
    const headers = await this.headers(false, settings);
    const what = this.describe('POST', '/chat/completions', settings, headers.secrets);
    const body = JSON.stringify(requestBody(req, model, false));
    return withRetry(
      async () => {
        const res = await this.send({ method: 'POST', url: `${settings.baseUrl}/chat/completions`, headers: headers.values, body }, settings, what, headers.secrets, signal, model);
        const parsed = completionSchema.safeParse(parseJsonBody(await readAnswerText(res, { service: SERVICE, what }), { service: SERVICE, what, secrets: headers.secrets, credential: 'openai' }, res.headers['content-type']));
        if (!parsed.success) throw new ProtocolError(`${SERVICE} sent an answer to ${what} without the expected choices[0].message.`);
        const choice = parsed.data.choices.find((c) => (c.index ?? 0) === 0) ?? parsed.data.choices[0];
        const parts = splitContent(choice?.message.content);
        const state: StreamState = {
          content: parts.content,
          reasoning: choice ? reasoningOf(choice.message, parts.reasoning) : '',
          model: parsed.data.model ?? model,
          finishReason: choice?.finish_reason ?? 'stop',
          usage: parsed.data.usage ? toUsage(parsed.data.usage) : undefined,
          done: true,
        };
        return result(state, { baseUrl: settings.baseUrl, model, what, maxTokens: req.maxTokens });
      },
      { maxRetries: settings.maxRetries, clock: this.opts.clock, random: this.opts.random, signal, logger: this.opts.logger, label: what },
    );
  }

  /** Model ids the server offers (GET {baseUrl}/models). */
  async listModels(signal: AbortSignal): Promise<string[]> {
    const settings = this.opts.settings();
    const headers = await this.headers(false, settings);
    const what = this.describe('GET', '/models', settings, headers.secrets);
    return withRetry(
      async () => {
        const res = await this.send({ method: 'GET', url: `${settings.baseUrl}/models`, headers: headers.values }, settings, what, headers.secrets, signal);
        const parsed = modelsSchema.safeParse(parseJsonBody(await readAnswerText(res, { service: SERVICE, what }), { service: SERVICE, what, secrets: headers.secrets, credential: 'openai' }, res.headers['content-type']));
        if (!parsed.success) throw new ProtocolError(`${SERVICE} sent a models list without data[].id.`);
        return parsed.data.data.map((m) => m.id);
      },
      { maxRetries: settings.maxRetries, clock: this.opts.clock, random: this.opts.random, signal, logger: this.opts.logger, label: what },
    );
  }

  /** Sends one request; a non-2xx answer becomes the matching core error. */
  private async send(
    req: { method: 'GET' | 'POST'; url: string; headers: Record<string, string>; body?: string },
    settings: OpenAiSettings,
    what: string,
    secrets: readonly string[],
    signal: AbortSignal,
    /** The model a chat request asks for, so that a 400 about it names the model setting. */
    model?: string,
  ): Promise<HttpResponse> {
    const res = await this.opts.transport.request({ ...req, signal, timeoutMs: settings.timeoutMs });
    if (res.status >= 200 && res.status < 300) return res;
    const text = await readErrorText(res).catch(() => '');
    const credentialSent = req.headers['authorization'] !== undefined;
    // (Read once: the error's text, code, type and param.)
    const said = readErrorBody(text, res.headers['content-type'], secrets);
    const err = errorFromErrorBody(res.status, res.headers, said, { service: SERVICE, what, nowMs: this.opts.clock.now(), secrets, credential: 'openai', credentialSent });
    // (A 400 or 422 about the model asked for — OpenRouter's "x is not a valid model ID", DeepSeek's "Model Not Exist",
    // `param: "model"`, Azure's DeploymentNotFound by its code or passed on by a gateway — says so as the same error
    // inside a stream does, by the same rules (modelFaultOf) with the HTTP status: the advice opens the model setting.
    // So does a 401, 403 or 404 saying the key may not use the model or the model is not served in the user's region:
    // neither is a wrong key nor a wrong model name.)
    if (model !== undefined) {
      const fault = () => modelFaultOf({ message: said.message ?? '', code: said.code, type: said.type, param: said.param }, res.status, { model }, 'server');
      if (err instanceof ValidationError && !(err instanceof ContextTooLongError)) {
        const f = fault();
        if (f === 'notFound') throw new NotFoundError(err.message, 'openai');
        if (f !== undefined) throw modelError(err.message, f);
      } else if (err instanceof AuthenticationError || err instanceof NotFoundError) {
        const f = fault();
        // (A refused key's status: by the same rule as inside a stream, which asks whether a key went with the request.)
        if (err instanceof AuthenticationError && overridesKeyRefusal(f, credentialSent)) throw modelError(err.message, f);
        if (err instanceof NotFoundError && (f === 'keyRefused' || f === 'region')) throw modelError(err.message, f);
      }
    }
    throw err;
  }

  /**
   * The request's headers, and the secrets to redact from what the server answers: the key (as sent and as stored), and
   * any part of the base URL's path with white space in it (a key pasted after the URL: the settings refuse such a URL).
   */
  private async headers(stream: boolean, settings: OpenAiSettings): Promise<{ values: Record<string, string>; secrets: string[] }> {
    const stored = await this.opts.apiKey(settings.baseUrl);
    const cleaned = cleanCredential(stored ?? '');
    // (Refused here, before a request: the transport would fail to send it, and a retry would fail alike.)
    if ('problem' in cleaned) throw new AuthenticationError(`The stored OpenAI-compatible API key ${cleaned.problem}.`, undefined, 'openai');
    const key = cleaned.value;
    const values: Record<string, string> = { accept: stream ? 'text/event-stream' : 'application/json' };
    if (key) values['authorization'] = `Bearer ${key}`;
    const keys = key ? [key, ...(stored && stored !== key ? [stored] : [])] : [];
    return { values: { ...values, 'content-type': 'application/json' }, secrets: [...keys, ...suspectPathSegments(settings.baseUrl)] };
  }

  /** `POST /v1/chat/completions` — the path only, never a query or header, and redacted (redactUrlPath). */
  private describe(method: string, path: string, settings: OpenAiSettings, secrets: readonly string[]): string {
    try {
      return `${method} ${redactUrlPath(new URL(`${settings.baseUrl}${path}`).pathname, secrets)}`;
    } catch {
      return `${method} ${path}`;
    }
  }
}

function requestBody(req: ChatRequest, model: string, stream: boolean): Record<string, unknown> {
  return {
    model,
    messages: req.messages.map((m) => ({ role: m.role, content: m.content })),
    stream,
    ...(req.temperature !== undefined ? { temperature: req.temperature } : {}),
    ...(req.maxTokens !== undefined ? { max_tokens: req.maxTokens } : {}),
    ...(stream && req.includeUsage ? { stream_options: { include_usage: true } } : {}),
  };
}

/** The most of the lines in an event stream that are no SSE field kept, to say what a stream without events held. */
const MAX_STRAY_CHARS = 16_000;

/**
 * The `data:` payloads of an SSE response, in order; events split across reads are reassembled. An `event: error` is
 * passed on as an error payload. A JSON body instead of a stream (a server that ignores `stream: true`) is passed on
 * as the one chunk it amounts to; any other body is a ProtocolError quoting its beginning (the key scrubbed). So is
 * an event stream that held no event but other text (a gateway's JSON error sent as text/event-stream, without `data:`).
 */
async function* streamEvents(res: HttpResponse, asked: AskedFor): AsyncGenerator<string> {
  const { what } = asked;
  // (As sent, for a message: shownContentType redacts it in the case it came in.)
  const sentType = res.headers['content-type'] ?? '';
  const type = sentType.toLowerCase();
  if (!type.includes('text/event-stream')) {
    yield* notAStream(await readAnswerText(res, { service: SERVICE, what }), sentType, asked);
    return;
  }
  const ready: EventSourceMessage[] = [];
  // Lines that are no SSE field (the parser reports them as unknown fields), kept up to MAX_STRAY_CHARS.
  let stray = '';
  let events = 0;
  /** A line or an event grew past MAX_ANSWER_CHARS without ending (the parser stopped holding it). */
  let overflow = false;
  const parser = createParser({
    maxBufferSize: MAX_ANSWER_CHARS,
    onEvent: (e) => ready.push(e),
    onError: (e) => {
      if (e.type === 'max-buffer-size-exceeded') overflow = true;
      else if (e.line !== undefined && stray.length < MAX_STRAY_CHARS) stray += `${e.line}\n`;
    },
  });
  const drain = function* (): Generator<string> {
    while (ready.length > 0) {
      const e = ready.shift();
      if (e === undefined || e.event === 'ping') continue;
      events++;
      yield e.event === 'error' ? JSON.stringify({ error: errorPayload(e.data) }) : e.data;
    }
  };
  for await (const chunk of res.chunks()) {
    parser.feed(chunk);
    // (Leaving the loop cancels the body.)
    if (overflow) throw bodyTooLarge({ service: SERVICE, what }, MAX_ANSWER_CHARS, 'an event-stream line or event');
    yield* drain();
  }
  // The body ended: a last event without its blank line (`data: [DONE]`, an error, a final chunk with only a line
  // break after it) is read as well, when it is whole — [DONE], JSON, or an `event: error` whose data is text; a JSON
  // line cut part way (an error's too) is dropped, and the answer ends early as it does when the connection drops
  // between events. (So does a last line that is no SSE field: the parser hands it to onError, and an error body
  // seldom ends with a line break.)
  parser.feed('\n\n');
  ready.splice(0, ready.length, ...ready.filter(isWholeEvent));
  yield* drain();
  if (events === 0 && stray.trim() !== '') yield* notAStream(stray.slice(0, MAX_STRAY_CHARS), sentType, asked);
}

/**
 * How JSON starts: an object's first key or end, an array's first value or end (`{"`, `[{`, `[1`, `[]`), or the text
 * cut right after the bracket — not a Python repr or a bracketed word (`{'message': …}`, `[Errno 111] …`).
 */
const JSON_START = /^\s*(?:\{\s*(?:["}]|$)|\[\s*(?:[{["\d\]-]|$))/;

/** Whether an event the end of the body completed is whole: `[DONE]`, JSON, or an error whose data is text, not JSON. */
function isWholeEvent(e: EventSourceMessage): boolean {
  const data = e.data.trim();
  if (data === '[DONE]') return true;
  // (An error's text is whole as it came, even one starting with a bracket; its JSON only when it parses: one cut part
  // way is a connection that dropped.)
  if (e.event === 'error' && !JSON_START.test(data)) return true;
  try {
    JSON.parse(e.data);
    return true;
  } catch {
    return false;
  }
}

/** An `event: error`'s data: its JSON (`{"message"}`, `{"error": …}`) or its text; an empty one still is an error. */
function errorPayload(data: string): unknown {
  const blank = 'the server reported an error without saying which';
  let json: unknown;
  try {
    json = JSON.parse(data) as unknown;
  } catch {
    return data.trim() === '' ? blank : data;
  }
  const error = errorField(json);
  const payload = error === undefined ? json : error;
  return payload === null || payload === '' ? blank : payload;
}

/** A parsed body's `error` field, when it is an object with one. */
function errorField(json: unknown): unknown {
  return json !== null && typeof json === 'object' && 'error' in json ? (json as { error: unknown }).error : undefined;
}

/** The chunks a body that is no event stream stands for: a whole completion, or an error (thrown). `sentType`: the content type as sent. */
function* notAStream(body: string, sentType: string, asked: AskedFor): Generator<string> {
  const { what, secrets } = asked;
  const type = sentType.toLowerCase();
  let json: unknown;
  try {
    json = JSON.parse(body) as unknown;
  } catch {
    json = undefined;
  }
  // (An error wins over answer-shaped fields beside it. It came instead of an answer, with no HTTP status to class it
  // by: when it says the model is not loaded or not found — LM Studio's "No models loaded" — the request is at fault and
  // sending it again would fail alike; any other is the server's, as a 5xx would be.)
  const error = errorField(json);
  if (error !== undefined && error !== null) throw errorFromPayload(error, asked, 'request');
  const completion = completionSchema.safeParse(json);
  if (completion.success) {
    const { model, choices, usage } = completion.data;
    const first = choices.find((c) => (c.index ?? 0) === 0) ?? choices[0];
    // (Its content and reasoning as a delta carries them: one reading of the fields, in applyChunk.)
    const { content, reasoning_content, reasoning } = first?.message ?? {};
    yield JSON.stringify({ model, choices: [{ index: 0, delta: { content: content ?? '', reasoning_content, reasoning }, finish_reason: first?.finish_reason ?? 'stop' }], usage });
    yield '[DONE]';
    return;
  }
  const said = describeBody(body, type, secrets);
  const statement = type.includes('text/event-stream')
    ? `${SERVICE} answered ${what} with an event stream that held no events${said ? `, only: ${said}` : ''}.`
    : `${SERVICE} answered ${what} with ${shownContentType(sentType, secrets) ?? 'no content type'} instead of an event stream${said ? `: ${said}` : ''}.`;
  // (A web page where the API's answer belongs — a proxy's login page, Open WebUI's own page: the base URL is not the API's.)
  if (looksLikeHtml(body, type)) throw webPageError(statement, 'openai');
  throw new ProtocolError(statement);
}

/** What one event added: to the answer, and to the model's thinking ('' for none). */
interface ChunkDelta {
  readonly content: string;
  readonly reasoning: string;
}

/**
 * A content as text and thinking: a string is all answer; an array of parts (Mistral) is split into its text parts
 * (the answer) and its thinking parts (the reasoning, Magistral's). Other parts add nothing.
 */
function splitContent(content: z.infer<typeof contentSchema>): ChunkDelta {
  if (typeof content === 'string') return { content, reasoning: '' };
  let text = '';
  let reasoning = '';
  for (const part of content ?? []) {
    if (part.type === 'text' && part.text) text += part.text;
    else if (part.type === 'thinking') {
      const { thinking } = part;
      reasoning += typeof thinking === 'string' ? thinking : (thinking ?? []).map((t) => t.text ?? '').join('');
    }
  }
  return { content: text, reasoning };
}

/**
 * The thinking a delta or message carries: `reasoning_content`, else `reasoning` — never both (vLLM, renaming the one to
 * the other, fills both with the same text) —, after the thinking parts of its content.
 */
function reasoningOf(fields: { readonly reasoning_content?: string | null | undefined; readonly reasoning?: string | null | undefined }, fromParts: string): string {
  return fromParts + (fields.reasoning_content || fields.reasoning || '');
}

/** Folds one `data:` payload into the state; returns what it added to the answer and to the reasoning. */
function applyChunk(state: StreamState, data: string, asked: AskedFor): ChunkDelta {
  const { what, secrets } = asked;
  if (data.trim() === '[DONE]') {
    state.done = true;
    return { content: '', reasoning: '' };
  }
  let json: unknown;
  try {
    json = JSON.parse(data) as unknown;
  } catch {
    throw new ProtocolError(`${SERVICE} sent a malformed event in the answer to ${what} (not JSON: ${JSON.stringify(redactSecrets(data, secrets).slice(0, 40))}).`, { hint: 'incomplete' });
  }
  const parsed = chunkSchema.safeParse(json);
  if (!parsed.success) {
    // (An error of a shape of its own still says what went wrong.)
    const error = errorField(json);
    if (error !== undefined) throw errorFromPayload(error, asked, 'server');
    throw new ProtocolError(`${SERVICE} sent an event of an unexpected shape in the answer to ${what}.`);
  }
  const chunk = parsed.data;
  if (chunk.error !== undefined && chunk.error !== null) throw streamError(chunk.error, asked, 'server');
  if (chunk.model) state.model = chunk.model;
  if (chunk.usage) state.usage = toUsage(chunk.usage);
  let delta = '';
  let reasoning = '';
  for (const choice of chunk.choices ?? []) {
    if ((choice.index ?? 0) !== 0) continue;
    if (choice.delta) {
      const parts = splitContent(choice.delta.content);
      delta += parts.content;
      reasoning += reasoningOf(choice.delta, parts.reasoning);
    }
    if (choice.finish_reason) state.finishReason = choice.finish_reason;
  }
  // (The parser bounds one line or event; this bounds the answer they add up to: many events within the limit each —
  // and the thinking alike, on its own.)
  if (state.content.length + delta.length > MAX_ANSWER_CHARS) throw bodyTooLarge({ service: SERVICE, what }, MAX_ANSWER_CHARS);
  if (state.reasoning.length + reasoning.length > MAX_ANSWER_CHARS) throw bodyTooLarge({ service: SERVICE, what }, MAX_ANSWER_CHARS, "reasoning");
  state.content += delta;
  state.reasoning += reasoning;
  return { content: delta, reasoning };
}

/** A model's name as a server quotes it: in backticks, single or double quotes. */
const QUOTED_NAME = String.raw`\`[^\`\n]{1,200}\`|'[^'\n]{1,200}'|"[^"\n]{1,200}"`;

/** A model's name unquoted: a word with a digit or punctuation in it ("qwen2.5", "llama3:8b"), not a plain noun. */
const NAME_WITH_DIGIT = String.raw`[\w.:/@-]*[\d.:/@-][\w.:/@-]*`;

/** Where a gateway keeps the models it lets through: "in the allow-list" (allowlist, allow list, whitelist). */
const ALLOW_LIST = String.raw`(?:in|on)\s+(?:the\s+|this\s+|your\s+)?(?:models?\s+)?(?:allow[\s-]?list|white[\s-]?list)\b`;

/**
 * What a text says of a model that is not there: also DeepSeek's "Model Not Exist". Not when what follows says where
 * it is missing from — a gateway's allow-list ("llama3 does not exist in the allow-list": the model is refused, not
 * missing; MODEL_NOT_ALLOWED).
 */
const NOT_THERE = String.raw`(?:not\s+(?:loaded|found)\b|unloaded\b|does(?:\s+not|n't)\s+exist\b|not\s+exists?\b)(?!\s+${ALLOW_LIST})`;

/**
 * Words after "model" that name a part of it or something about it, not a model ("Model template not found": Ollama's
 * chat template; "model output not found"): the word before "not found" is no model's name then.
 */
const MODEL_PART = String.raw`(?:template|output|input|field|card|tokenizer|adapter|format|response|parameters?|versions?)\s`;

/**
 * An error text saying that the requested model is not there: LM Studio's "No models loaded. Please load a model …"
 * (or "Model is unloaded"), Ollama's "model 'x' not found, try pulling it first", vLLM's "The model `x` does not
 * exist", llama.cpp's "model not found", DeepSeek's "Model Not Exist". The model is what the text, or one of its
 * sentences (also after a prefix such as "Error:"), is about — "model", maybe its name (quoted, or a word with a digit or
 * punctuation in it: "qwen2.5"; any other word only right before "not found", and not one that names a part of the
 * model: MODEL_PART), then "not found" —, so that a text that only mentions a model ("Tool 'search' requested by the
 * model was not found in tools", "The model output was not found to be valid JSON", Ollama's "Model template not
 * found") is not taken for one. Passed on by a gateway — LiteLLM's `OllamaException - model 'x' not found`, `OpenAIException - The
 * model `x` does not exist`, `{"error":"model 'x' not found"}`, `upstream error, model "x" not found` — the model's
 * name must be there, or the JSON text be about the model alone (`{"error":"model is not loaded"}`): "draft-model not
 * loaded", `{"detail":"Model template not found"}` are not about the model asked for.
 */
const MODEL_MISSING = new RegExp(
  String.raw`\bno models? (?:is |are )?(?:loaded|available|found)\b` +
    String.raw`|(?:^|[.!?:]\s+|\n\s*)(?:the\s+)?(?:requested\s+|specified\s+)?models?(?:(?:\s+(?:${QUOTED_NAME}|${NAME_WITH_DIGIT}))?\s+(?:(?:is|was)\s+)?|\s+(?!${MODEL_PART})[\w.:/@-]+\s+)${NOT_THERE}` +
    // Passed on by a gateway (after ` - `, a quote, a brace or bracket, a comma): with the model's name there …
    String.raw`|(?:\s-\s+|["'{(,]\s*)(?:the\s+)?(?:requested\s+|specified\s+)?models?\s+(?:${QUOTED_NAME}|${NAME_WITH_DIGIT})\s+(?:(?:is|was)\s+)?${NOT_THERE}` +
    // … or as a whole JSON text saying so: {"error":"model is not loaded"}, {"detail":"Model not found"}.
    String.raw`|[:{]\s*["']\s*(?:the\s+)?models?\s+(?:(?:is|was)\s+)?${NOT_THERE}`,
  'i',
);

/** OpenAI's error codes and types for a request that would fail again as it is. */
const REQUEST_FAULTS = new Set(['context_length_exceeded', 'invalid_request_error', 'model_not_found', 'invalid_api_key', 'invalid_prompt', 'unsupported_parameter']);

/** Error codes and types that say the key was refused: OpenAI's `invalid_api_key`, and gateways' (LiteLLM, Anthropic-style) types. */
const KEY_FAULTS = new Set(['invalid_api_key', 'authentication_error', 'auth_error', 'permission_error']);

/**
 * A request error's text refusing the model: LiteLLM's "Invalid model name passed in model=x", "Unknown model: x",
 * "unsupported model `x`", LM Studio's "Invalid model identifier" — the words followed by the model's name, "name",
 * "id" or "identifier", not by another noun ("Invalid model
 * input: messages[1].content must be a string" is about the messages).
 */
const MODEL_REFUSED = new RegExp(
  String.raw`\b(?:invalid|unknown|unsupported)\s+model(?:\s+(?:name|id|identifier)\b|\s*[:=]|\s+(?:${QUOTED_NAME}))` +
    // OpenRouter's "openai/gpt-9 is not a valid model ID".
    String.raw`|\bnot\s+a\s+valid\s+model\s+(?:name|id|identifier)\b`,
  'i',
);

/** A key named as what a model is refused with, right after "not allowed": "with this key", "for this API key", "for key sk-…". */
const WITH_KEY = String.raw`(?:with|for|by)\s+(?:(?:this|your|the|that|current|an?)\s+)?(?:api[\s_-]?)?key\b`;

/**
 * What a gateway says of a model it does not let through: "not allowed" ("Model 'x' is not allowed (allowed models: y)",
 * "… for your plan", "… with this API key", "… to be used with this key") — unless what follows is what the model may
 * not do ("not allowed to call tools", "not allowed to generate more than 4096 tokens", "not allowed to be used for tool
 * calls": "to be used" counts only with the key it may not be used with) or the kind of request it may not serve ("not
 * allowed for batch requests") —, "does not exist in the allow-list".
 */
const NOT_ALLOWED = String.raw`(?:not\s+allowed\b(?!\s+to\s+(?!be\s+used\s+${WITH_KEY})\w|\s+for\s+(?:[\w-]+\s+){1,2}requests?\b)|(?:does(?:\s+not|n't)\s+exist|not\s+found|not)\s+${ALLOW_LIST})`;

/**
 * A refusal that names the key in its own words ("not allowed with this key", "not allowed to be used for this API
 * key"): the key may not use the model. A key named elsewhere in the text ("Call /v1/models to view available models
 * for your key", "value for key 'model'", "Upgrade to use it with your key") says nothing of whom the model is refused to.
 */
const NOT_ALLOWED_WITH_KEY = String.raw`not\s+allowed\s+(?:to\s+be\s+used\s+)?${WITH_KEY}`;

/**
 * "not available" said of the model asked for ("… is not available to your organization", "… (try llama3)") — unless
 * what follows is where it is not offered ("not available in your region": the model is there, and loading or pulling
 * it would not help).
 */
const NOT_AVAILABLE = String.raw`not\s+available\b(?!\s+in\s+(?:(?:your|this|the|that|some|certain)\s+)?(?:regions?|countr(?:y|ies)|locations?)\b)`;

/** A text's or sentence's subject when it is the model: "The model", "Model `x`", "requested model gpt-4o", after a gateway's prefix (" - ", a quote, a brace). */
const MODEL_SUBJECT = String.raw`(?:^|[.!?:]\s+|\n\s*|\s-\s+|["'{(,]\s*)(?:the\s+)?(?:requested\s+|specified\s+)?models?(?:\s+(?:${QUOTED_NAME}|${NAME_WITH_DIGIT}))?\s+(?:(?:is|was)\s+)?`;

/**
 * A text saying that a gateway does not let the model through: "Model `x` is not allowed", "model not in the
 * allow-list" — about the model as MODEL_MISSING's texts are ("model", maybe its name, at the start of the text or a
 * sentence, or after a gateway's prefix), so that "Tool calls by the model are not allowed" is not taken. (Naming only
 * the model asked for — "Error: llama3 does not exist in the allow-list" — is namesRefusedModel's.)
 */
const MODEL_NOT_ALLOWED = new RegExp(String.raw`${MODEL_SUBJECT}${NOT_ALLOWED}`, 'i');

/** MODEL_NOT_ALLOWED's texts that name the key in the refusal (NOT_ALLOWED_WITH_KEY): "The model `m` is not allowed to be used with this key". */
const MODEL_NOT_ALLOWED_WITH_KEY = new RegExp(String.raw`${MODEL_SUBJECT}${NOT_ALLOWED_WITH_KEY}`, 'i');

/**
 * Azure OpenAI's deployment — what it serves a model as, named by the model setting — not there: its error code
 * `DeploymentNotFound` as a gateway passes it on in the text, or its message "The API deployment for this resource does
 * not exist".
 */
const DEPLOYMENT_MISSING = /\bAPI deployment for this resource does(?:\s+not|n't)\s+exist\b|\bcode["']?\s*[:=]\s*["']?DeploymentNotFound\b|^\s*(?:error:\s*)?DeploymentNotFound\b/i;

/**
 * Where a text says something is not offered: a region, country, location or territory ("in your region", "in certain
 * countries"), a region's name (the EU, the UK, the US, Europe, China) or a cloud region's id ("eu-west-1"). Not "in
 * this mode", "in the playground", "in v1": those are not about where the user is.
 */
const IN_REGION = String.raw`in\s+(?:(?:your|this|the|that|some|certain|these|those)\s+)?(?:(?:regions?|countr(?:y|ies)|locations?|territor(?:y|ies)|jurisdictions?)\b|(?:EU|EEA|UK|USA?|Europe|European\s+Union|China)\b|[a-z]{2}-[a-z]+-\d\b)`;

/** What a text says of the model when it is not served where the user is: "not available in the EU", "not supported in your country". */
const NOT_IN_REGION = String.raw`not\s+(?:available|supported|offered|served)\s+${IN_REGION}`;

/**
 * A text saying the model asked for is not served in the user's region: "The model is not available in the EU",
 * "This model is not supported in your country" — about the model as MODEL_NOT_ALLOWED's texts are, or naming the model
 * asked for (namesRegionModel). The model is there: loading or pulling it, or checking its name, would not help.
 */
const MODEL_NOT_IN_REGION = new RegExp(
  String.raw`(?:^|[.!?:]\s+|\n\s*|\s-\s+|["'{(,]\s*)(?:the\s+|this\s+|that\s+)?(?:requested\s+|specified\s+)?models?(?:\s+(?:${QUOTED_NAME}|${NAME_WITH_DIGIT}))?\s+(?:(?:is|was)\s+)?${NOT_IN_REGION}`,
  'i',
);

/**
 * A text saying the key (or the project or account it belongs to, or "you") may not use the model: OpenAI's "Project
 * `p` does not have access to model `m`", "key not allowed for this model", OpenAI's 403 "You are not allowed to sample
 * from this model". (A refusal of the model naming the key in its own words is MODEL_NOT_ALLOWED_WITH_KEY's, or
 * namesKeyRefusedModel's.)
 */
const KEY_MAY_NOT_USE_MODEL =
  /\b(?:(?:api[\s_-]?)?key|project|organization|account)\s+(?:\S+\s+)?(?:does(?:\s+not|n't)\s+have|has\s+no)\s+access\s+to\s+(?:the\s+|this\s+)?model\b|\b(?:api[\s_-]?)?key\s+(?:is\s+)?not\s+allowed\s+(?:for|to\s+use)\s+(?:the\s+|this\s+|that\s+)?model\b|\byou\s+(?:are\s+not|aren't)\s+allowed\s+to\s+(?:sample\s+from|use|access)\s+(?:the\s+|this\s+|that\s+)?model\b/i;

/**
 * What a text says of a model's version that is not there ("Model version not found for the fine-tune ft-…"): the
 * model asked for (a fine-tune, a pinned version) cannot be served — a model the server does not offer, not one to load
 * or pull.
 */
const MODEL_VERSION_MISSING = new RegExp(String.raw`(?:^|[.!?:]\s+|\n\s*|\s-\s+|["'{(,]\s*)(?:the\s+)?(?:requested\s+|specified\s+)?models?\s+versions?\s+(?:(?:is|was)\s+)?${NOT_THERE}`, 'i');

/** Whether an error's text says that `model` (the one asked for) is not there or not taken: "gpt-9 not found", "unknown model gpt-9". */
function namesMissingModel(message: string, model: string): boolean {
  return namesAskedModel(message, model, (name) => String.raw`\b(?:invalid|unknown|unsupported|no such)\s+model\s*[:=]?\s*${name}|(?<![\w.:/@-])${name}\s+(?:(?:is|was)\s+)?(?:${NOT_AVAILABLE}|${NOT_THERE})`);
}

/** Whether an error's text says that `model` (the one asked for) is not served in the user's region: "gpt-4o-mini is not available in your region". */
function namesRegionModel(message: string, model: string): boolean {
  return namesAskedModel(message, model, (name) => String.raw`(?<![\w.:/@-])${name}\s+(?:(?:is|was)\s+)?${NOT_IN_REGION}`);
}

/** Whether an error's text says that a gateway does not let `model` (the one asked for) through: "Error: llama3 does not exist in the allow-list". */
function namesRefusedModel(message: string, model: string): boolean {
  return namesAskedModel(message, model, (name) => String.raw`(?<![\w.:/@-])${name}\s+(?:(?:is|was)\s+)?${NOT_ALLOWED}`);
}

/** Whether an error's text refuses `model` (the one asked for) to the key, naming both: "gpt-4o is not allowed with this API key". */
function namesKeyRefusedModel(message: string, model: string): boolean {
  return namesAskedModel(message, model, (name) => String.raw`(?<![\w.:/@-])${name}\s+(?:(?:is|was)\s+)?${NOT_ALLOWED_WITH_KEY}`);
}

/** Whether `message` matches the pattern `says` builds around the model's name (a pattern of its own, quotes allowed). */
function namesAskedModel(message: string, model: string, says: (name: string) => string): boolean {
  const asked = model.trim();
  if (asked === '') return false;
  // Also by the part after a provider's prefix: a gateway asked for `ollama/llama2` passes on Ollama's "model 'llama2' not found".
  const bare = asked.slice(asked.lastIndexOf('/') + 1);
  const names = bare !== '' && bare !== asked ? [asked, bare] : [asked];
  return names.some((n) => new RegExp(says(`[\`'"]?${n.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}[\`'"]?(?![\\w.:/@-])`), 'i').test(message));
}

/**
 * Whether a model fault said with a refused key's status (401, 403, a key error's code or type) is what the advice
 * tells rather than the key: a model not served in the user's region always; one the key may not use only when a key
 * went with the request — with none, none was refused, and the server wants one stored. One rule for an HTTP error and an
 * error inside a stream.
 */
function overridesKeyRefusal(fault: ModelFault | undefined, keySent: boolean): fault is 'region' | 'keyRefused' {
  return fault === 'region' || (fault === 'keyRefused' && keySent);
}

/** What is wrong about the model asked for, as the advice tells it (modelError); 'notFound' is the model server's 404. */
type ModelFault = 'notFound' | 'missing' | 'refused' | 'keyRefused' | 'region';

/**
 * What an error's text says of the model asked for: that it is not served in the user's region (MODEL_NOT_IN_REGION, or
 * the model named so), that the key may not use it (KEY_MAY_NOT_USE_MODEL, or a refusal naming the key in its own
 * words: MODEL_NOT_ALLOWED_WITH_KEY, namesKeyRefusedModel), that it is
 * not there (MODEL_MISSING, or the model named as missing) or that the server does not take it (MODEL_REFUSED, a
 * gateway's MODEL_NOT_ALLOWED, the model named as refused, or a version of it not there: MODEL_VERSION_MISSING).
 */
function modelFault(message: string, model: string): Exclude<ModelFault, 'notFound'> | undefined {
  if (MODEL_NOT_IN_REGION.test(message) || namesRegionModel(message, model)) return 'region';
  const refused = MODEL_REFUSED.test(message) || MODEL_NOT_ALLOWED.test(message) || namesRefusedModel(message, model);
  if (KEY_MAY_NOT_USE_MODEL.test(message) || MODEL_NOT_ALLOWED_WITH_KEY.test(message) || namesKeyRefusedModel(message, model)) return 'keyRefused';
  if (MODEL_MISSING.test(message) || namesMissingModel(message, model)) return 'missing';
  if (refused || MODEL_VERSION_MISSING.test(message)) return 'refused';
  return undefined;
}

/**
 * The request's fault about the model: `statement` with the advice to check contexten.openai.model (whose setting the
 * advice opens). Loading or pulling helps a model that is not there, not one the server refuses (a name it does not
 * know, a gateway's allow-list that does not let it through); nor does either help a model the key may not use
 * (another key may: the advice offers Set API Key too) or one not served in the user's region.
 */
function modelError(statement: string, fault: Exclude<ModelFault, 'notFound'>): GenerationError {
  const check = {
    missing: 'Check that contexten.openai.model names a model the server has loaded (load or pull it there first), then try again.',
    refused: 'Check that contexten.openai.model names a model the server offers and lets you use (a gateway may let only some through), then try again.',
    keyRefused: "The API key is not allowed to use this model: pick another in contexten.openai.model, or change the key's permissions with the provider (or use another key).",
    region: 'The model is not offered in your region (its name is not at fault): pick one offered there in contexten.openai.model, or use another endpoint in contexten.openai.baseUrl.',
  }[fault];
  return new GenerationError(`${endSentence(statement)} ${check}`, { setting: 'contexten.openai', ...(fault === 'keyRefused' ? { key: true } : {}) });
}

/** An error payload of any shape as streamError reads it: its own fields when it has the usual ones, else its JSON. */
function errorFromPayload(error: unknown, asked: AskedFor, unnamed: 'server' | 'request'): Error {
  const parsed = streamErrorSchema.safeParse(error);
  return streamError(parsed.success ? parsed.data : { message: JSON.stringify(error) }, asked, unnamed);
}

/**
 * An error reported inside an answer, classed by its code and its type as an HTTP status would be: a used-up quota
 * (`insufficient_quota`, as type or code) is not tried again and says to check the plan; a rate limit or a timeout is
 * tried again (while nothing was shown yet); a prompt too long for the model's context window is a ContextTooLongError;
 * the request's own fault (another 4xx, or OpenAI's `invalid_request_error` kinds) is not tried again — asking again
 * would fail alike —; a 5xx or `server_error` is the server's. Of the request's faults, those that say which setting is
 * wrong get the advice that opens it, as the same answer with an HTTP status would: a model the key may not use or not
 * served in the user's region (modelFaultOf: neither the key's fault nor the model name's, whatever the status); a refused key (401/403,
 * `invalid_api_key`) is an AuthenticationError of the OpenAI-compatible key (Set API Key; when the request carried none,
 * one that says a key is needed, as a 401 does); one about the model (modelFaultOf) is a NotFoundError of the model
 * server or names contexten.openai.model. An error that names none of these is the server's and tried again ("Internal
 * Server Error", "Service temporarily overloaded", a `type: "timeout"` as a timeout the server reported).
 */
function streamError(error: z.infer<typeof streamErrorSchema>, asked: AskedFor, unnamed: 'server' | 'request'): Error {
  // (Redacted before it is cut: a secret cut first would no longer match, and its first part would show.)
  const message = redactSecrets(typeof error === 'string' ? error : (error.message ?? 'unknown error'), asked.secrets).slice(0, 300);
  const reported: ReportedError = typeof error === 'string' ? { message, code: undefined, type: undefined, param: undefined } : { message, code: error.code ?? undefined, type: error.type ?? undefined, param: error.param ?? undefined };
  const { code } = reported;
  const names = errorNames(reported);
  const status = typeof code === 'number' ? code : code !== undefined && /^\d+$/.test(code) ? Number(code) : undefined;
  const text = `${SERVICE} reported an error while answering ${asked.what}: ${message}`;
  if (names.includes('insufficient_quota')) return new RateLimitError(text, undefined, true);
  if (status === 429 || names.some((n) => /rate_limit/i.test(n))) return new RateLimitError(text);
  if (status === 408 || names.some((n) => /time(?:d_?)?out/i.test(n))) return new ServerTimeoutError(text, 'openai');
  const { serverFault, requestFault } = whoseFault(status, names);
  if (!serverFault && saysContextTooLong(names, message)) return new ContextTooLongError(text);
  const fault = modelFaultOf(reported, status, asked, unnamed);
  // (Not the key's fault, nor the model name's: the key may not use the model, or the model is not served in the region.)
  if (overridesKeyRefusal(fault, asked.keySent)) return modelError(text, fault);
  if (status === 401 || status === 403 || names.some((n) => KEY_FAULTS.has(n))) {
    // (No key went with the request: none is stored. The server needs one; it did not refuse a key.)
    if (!asked.keySent && status !== 403 && !names.includes('permission_error')) {
      return new AuthenticationError(`${endSentence(text)} The request carried no API key: none is stored.`, status, 'openai', { unsent: true });
    }
    return new AuthenticationError(text, status, 'openai');
  }
  if (fault === 'notFound') return new NotFoundError(text, 'openai');
  if (fault !== undefined) return modelError(text, fault);
  if (requestFault) return new GenerationError(text);
  return new ServerError(text, status !== undefined && status >= 500 && status < 600 ? status : 500);
}

/** An error a server reported, as it is classed: its text (redacted, cut to 300 characters), code, type and param. */
interface ReportedError {
  readonly message: string;
  readonly code: string | number | undefined;
  readonly type: string | undefined;
  /** The request field at fault (OpenAI's `param`). */
  readonly param: string | undefined;
}

/** Whether an error's status (HTTP, or the one its code names) or its names put it on the server or on the request. */
function whoseFault(status: number | undefined, names: readonly string[]): { serverFault: boolean; requestFault: boolean } {
  return {
    serverFault: (status !== undefined && status >= 500) || names.includes('server_error'),
    requestFault: (status !== undefined && status >= 400 && status < 500) || names.some((n) => REQUEST_FAULTS.has(n)),
  };
}

/**
 * What a reported error says of the model asked for — one set of rules for an error inside a stream, the whole body of a
 * 200 answer, and the body of an HTTP error (`status`: the HTTP status, or the one the error's code names). By the
 * error's code and type first:
 * - 'region', not served where the user is: OpenAI's `unsupported_country_region_territory`;
 * - 'keyRefused', the key may not use the model: OpenAI's `model_not_found` with a 403, a permission error's type
 *   (PERMISSION_NAMES) or a text saying so (KEY_MAY_NOT_USE_MODEL: "Project `p` does not have access to model `m`");
 * - 'notFound', the model server's 404: OpenAI's `model_not_found` otherwise, Azure's `DeploymentNotFound`;
 * - 'refused': `invalid_model` and the like (MODEL_REFUSED_NAMES).
 * Then, not from the server's own fault, by its wording:
 * - 'region' or 'keyRefused' as the text says (MODEL_NOT_IN_REGION, KEY_MAY_NOT_USE_MODEL: modelFault), of a request's
 *   fault of any status;
 * - 'notFound': a 404, or Azure's deployment missing as a gateway passes it on (DEPLOYMENT_MISSING);
 * - of the request's faults, one about the model: its `param` is "model", or its text says the model is not there
 *   ('missing': MODEL_MISSING, or the model asked for named as missing — the advice says to load or pull it) or not
 *   taken ('refused': MODEL_REFUSED, a gateway's MODEL_NOT_ALLOWED, the model asked for named as refused, a version of
 *   it not there — the advice says to name one the server lets you use; with a 403 or a permission error, 'keyRefused');
 * - of an error naming no status or kind, one that came as the whole body of a 200 answer (`unnamed: 'request'`) and says
 *   by its text that the model is not there or not taken (LM Studio's "No models loaded", Ollama's "model … not found",
 *   "llama3 does not exist in the allow-list").
 */
function modelFaultOf(error: ReportedError, status: number | undefined, asked: Pick<AskedFor, 'model'>, unnamed: 'server' | 'request'): ModelFault | undefined {
  const names = errorNames(error);
  const denied = status === 403 || names.some((n) => PERMISSION_NAMES.has(n));
  const { serverFault, requestFault } = whoseFault(status, names);
  // By its code and type first: they say what the wording can only suggest.
  if (names.includes('unsupported_country_region_territory')) return 'region';
  // (OpenAI's `model_not_found` is also its 403 for a project without access to the model: by the status, or the text.)
  if (error.code === 'model_not_found') return denied || KEY_MAY_NOT_USE_MODEL.test(error.message) ? 'keyRefused' : 'notFound';
  if (names.includes('DeploymentNotFound')) return 'notFound';
  if (!serverFault && names.some((n) => MODEL_REFUSED_NAMES.has(n))) return 'refused';
  // Then by its wording: a model not served in the region, or one the key may not use, whatever the status says.
  const said = serverFault ? undefined : modelFault(error.message, asked.model);
  if ((said === 'region' || said === 'keyRefused') && (requestFault || unnamed === 'request')) return said;
  if (status === 404) return 'notFound';
  if (serverFault) return undefined;
  if (DEPLOYMENT_MISSING.test(error.message)) return 'notFound';
  const fault = said ?? (error.param === 'model' ? 'refused' : undefined);
  // (A model refused with a 403 or a permission error is refused to the key.)
  if (requestFault && fault !== undefined) return fault === 'refused' && denied ? 'keyRefused' : fault;
  return unnamed === 'request' ? said : undefined;
}

/** Error codes and types of a permission refused (a 403's): a model refused with one is refused to the key. */
const PERMISSION_NAMES = new Set(['permission_denied', 'permission_error', 'PermissionDenied']);

/** Error codes of a model name the server does not take (OpenAI's `invalid_model`, and gateways' alike). */
const MODEL_REFUSED_NAMES = new Set(['invalid_model', 'unsupported_model', 'model_not_supported']);

function toUsage(u: NonNullable<z.infer<typeof usageSchema>>): ChatUsage {
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens, totalTokens: u.total_tokens ?? u.prompt_tokens + u.completion_tokens };
}

function result(state: StreamState, target: RequestTarget): ChatResult {
  // (An empty reason is none: the end of a good answer, as when the server names none.)
  const finishReason = state.finishReason || 'stop';
  const cut = cutOff(finishReason);
  const empty = state.content.trim() === '';
  const said = `finish_reason "${finishReason.slice(0, 40)}"`;
  if (cut === 'content_filter' && empty) {
    throw new GenerationError(`${SERVICE} withheld the answer (${said}).`);
  }
  // (Nothing to show, and nothing worth caching: asked again, the model may well answer.)
  if (empty && state.reasoning.trim() !== '') throw reasonedOnly(target, said, cut);
  if (empty) {
    if (cut === 'token_limit') {
      throw new GenerationError(`${SERVICE} sent an empty answer to ${target.what}: the model reached its token limit before writing anything (${said}). Allow more tokens (maxTokens) or send less context, then try again.`);
    }
    // (Gemini's "OTHER" too: the server ended it, not the model — its name is not at fault.)
    if (cut === 'aborted' || cut === 'unexplained') throw new GenerationError(`${SERVICE} ended the answer to ${target.what} before the model wrote anything (${said}). Try again; if it keeps happening, check the server's log.`);
    throw new GenerationError(
      `${SERVICE} sent an empty answer to ${target.what} (${said}): the model wrote nothing. Check that contexten.openai.model names a chat model the server serves, then try again.`,
      { setting: 'contexten.openai.model' },
    );
  }
  return {
    content: state.content,
    ...(state.reasoning !== '' ? { reasoning: state.reasoning } : {}),
    baseUrl: target.baseUrl,
    model: state.model,
    requestedModel: target.model,
    finishReason,
    truncated: cut !== undefined,
    ...(state.usage ? { usage: state.usage } : {}),
  };
}

/**
 * A reasoning model that thought and gave no answer (its reasoning streamed, its content empty): not a model that wrote
 * nothing — its name is not at fault. Cut at its token limit, it ran out while thinking: the limit to raise is the
 * request's max_tokens when it sent one, else the server's own (the extension sends none by default).
 */
function reasonedOnly(target: RequestTarget, said: string, cut: ReturnType<typeof cutOff>): GenerationError {
  const statement = `${SERVICE} sent no answer to ${target.what}: the model only reasoned and wrote no answer (${said}).`;
  if (cut === 'token_limit') {
    const raise =
      target.maxTokens !== undefined
        ? `It ran out of tokens while thinking: allow more than the ${target.maxTokens} the request allowed (maxTokens), or send less context, then try again.`
        : "It ran out of tokens while thinking: the request set no token limit, so the server's own applies — give the model a larger context or more output tokens on the server (Ollama's num_ctx, vLLM's --max-model-len), or send less context, then try again.";
    return new GenerationError(`${statement} ${raise}`);
  }
  if (cut === 'aborted') return new GenerationError(`${statement} The server ended the answer; try again, and if it keeps happening, check the server's log.`);
  return new GenerationError(`${statement} Try again; a model that keeps doing so may answer with less context or a more direct prompt.`);
}
