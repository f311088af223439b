// generateWithContext: rank codebase context for the prompt, frame it, answer from the cache or from
// the configured provider (within the connection-pool bound), split the answer into code blocks and
// explanation, and record timings for the performance monitor.
import { cutOff } from '../api/finishReason';
import type { ConfigSnapshot } from '../config/configSchema';
import type { ContextResult } from '../context/model';
import { CancellationError, ContextenError, ContextTooLongError, GenerationError, throwIfAborted } from '../errors';
import type { Clock, Logger } from '../ports';
import { parseAnswer } from './codeBlocks';
import { ConcurrencyLimiter } from './concurrencyLimiter';
import { cacheKey, type CacheKeyParts, type GenerationCache } from './generationCache';
import type { ContextSource, GenerateOptions, GenerationProvider, GenerationResult, ProviderAnswer, ProviderId } from './model';
import { buildPrompt, contextFingerprint } from './promptBuilder';
import { contextQueryFor, rankContextOrWarn } from './rankedContext';

/** What the performance monitor needs to know about each finished request. */
export interface RequestSample {
  readonly provider: ProviderId;
  readonly outcome: 'ok' | 'error' | 'cancelled';
  readonly errorCode?: string;
  readonly cached: boolean;
  readonly totalMs: number;
  /** Only for answers that came from a provider. */
  readonly firstTokenMs?: number;
}

export interface RequestRecorder {
  recordRequest(sample: RequestSample): void;
}

export type PipelineSettings = Pick<ConfigSnapshot, 'context.enabled' | 'generation.provider' | 'generation.description'>;

export interface GenerationPipelineDeps {
  readonly settings: () => PipelineSettings;
  readonly context: ContextSource;
  readonly providers: Readonly<Partial<Record<ProviderId, GenerationProvider>>>;
  readonly cache: GenerationCache;
  /** How many requests to one provider may run at once (contexten.http.maxConnections). */
  readonly maxConcurrent: () => number;
  readonly clock: Clock;
  readonly logger: Logger;
  readonly recorder?: RequestRecorder;
}

export interface GenerateCall {
  /** Context text from the caller (e.g. the selection), sent along with the ranked codebase context. */
  readonly codebaseContext?: string;
  readonly options?: GenerateOptions;
  readonly signal: AbortSignal;
  /** Streamed pieces of the answer, for the UI. */
  readonly onToken?: (text: string) => void;
  /**
   * Streamed pieces of a reasoning model's thinking, for the UI to show apart: never part of the answer (its text, code
   * blocks, a fix). A cached answer brings the thinking cached with it (its first part: MAX_CACHED_REASONING_CHARS), in
   * one piece before its text.
   */
  readonly onReasoning?: (text: string) => void;
}

export class GenerationPipeline {
  /** One bound per provider: a long Codegen run never holds back OpenAI-compatible requests. */
  private readonly limiters = new Map<ProviderId, ConcurrencyLimiter>();
  /** The cache key each result's answer is cached under (read from the cache, or stored there): what `forget` drops. */
  private readonly cachedUnder = new WeakMap<GenerationResult, string>();

  constructor(private readonly deps: GenerationPipelineDeps) {}

  async generateWithContext(prompt: string, call: GenerateCall): Promise<GenerationResult> {
    const { clock } = this.deps;
    const started = clock.now();
    const options = call.options ?? {};
    const settings = this.deps.settings();
    const providerId = options.provider ?? settings['generation.provider'];
    let cached = false;
    let firstTokenMs: number | undefined;
    /** The ranked context's size, once ranked: a prompt too long for the model says which part of it is big. */
    let contextChars = 0;
    try {
      throwIfAborted(call.signal);
      const provider = this.deps.providers[providerId];
      if (!provider) throw new GenerationError(`The ${providerId} provider is not available.`);
      const warnings: string[] = [];
      const contextStarted = clock.now();
      const context = await this.rankContext(prompt, options, settings, call.signal, warnings);
      // (The model the cache is looked up for, read with the endpoint below, after the ranking: the key names one server
      // and its model. Without one of the caller's, the provider reads its model again when the request goes out, with
      // its endpoint: a request that waited for a connection while the settings moved to another server asks that server
      // for its model, not the old server's — and is cached under the model that answered it.)
      const model = options.model ?? provider.defaultModel();
      const contextItems = context?.items ?? [];
      contextChars = context?.chars ?? 0;
      const contextMs = clock.now() - contextStarted;

      const built = buildPrompt({
        description: settings['generation.description'],
        prompt,
        ...(context ? { context } : {}),
        ...(call.codebaseContext !== undefined ? { codebaseContext: call.codebaseContext } : {}),
      });
      const keyParts: CacheKeyParts = {
        provider: providerId,
        endpoint: provider.endpoint(),
        model,
        description: settings['generation.description'],
        prompt,
        contextFingerprint: contextFingerprint(contextItems, call.codebaseContext),
        ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
        ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
      };
      const key = cacheKey(keyParts);

      const hit = options.useCache === false ? undefined : this.deps.cache.get(key);
      if (hit) {
        cached = true;
        // (The thinking first, as the model streamed it: the panel shows it above the answer, as it did the first time.)
        if (hit.reasoning !== undefined) call.onReasoning?.(hit.reasoning);
        call.onToken?.(hit.text);
        const totalMs = clock.now() - started;
        const result = this.finish({
          prompt,
          text: hit.text,
          context: contextItems,
          provider: providerId,
          model: hit.model,
          cached: true,
          truncated: false,
          warnings,
          ...(hit.reasoning !== undefined ? { reasoning: hit.reasoning } : {}),
          ...(hit.reasoningTruncated === true ? { reasoningTruncated: true } : {}),
          timings: { contextMs, queueMs: 0, firstTokenMs: totalMs - contextMs, totalMs },
        });
        this.cachedUnder.set(result, key);
        return result;
      }

      const queueStarted = clock.now();
      const release = await this.limiter(providerId).acquire(call.signal);
      const queueMs = clock.now() - queueStarted;
      let answer;
      /** The thinking streamed, for the result (a retry comes only before the first piece: this is the answer's own). */
      let reasoning = '';
      const sent = clock.now();
      try {
        answer = await provider.generate(
          {
            system: built.system,
            user: built.user,
            ...(options.model !== undefined ? { model: options.model } : {}),
            ...(options.temperature !== undefined ? { temperature: options.temperature } : {}),
            ...(options.maxTokens !== undefined ? { maxTokens: options.maxTokens } : {}),
          },
          {
            signal: call.signal,
            onToken: (t) => {
              firstTokenMs ??= clock.now() - sent;
              call.onToken?.(t);
            },
            // (Thinking is the model's first output too: a reasoning model's first token is not its answer's.)
            onReasoning: (t) => {
              firstTokenMs ??= clock.now() - sent;
              reasoning += t;
              call.onReasoning?.(t);
            },
          },
        );
      } finally {
        release();
      }
      firstTokenMs ??= clock.now() - sent;
      // (A cut-off answer is never cached: asked again, the model may well finish it.)
      let storedUnder: string | undefined;
      const cut = answer.truncated && answer.finishReason !== undefined ? cutOff(answer.finishReason) : undefined;
      if (answer.truncated) warnings.push(cutOffWarning(answer.finishReason));
      else if (options.useCache !== false) storedUnder = this.store(key, keyParts, answer, reasoning);
      const totalMs = clock.now() - started;
      const result = this.finish({
        prompt,
        text: answer.text,
        context: contextItems,
        provider: providerId,
        model: answer.model,
        cached: false,
        truncated: answer.truncated,
        ...(cut !== undefined ? { cutOff: cut } : {}),
        warnings,
        ...(reasoning !== '' ? { reasoning } : {}),
        timings: { contextMs, queueMs, firstTokenMs, totalMs },
        ...(answer.run ? { run: answer.run } : {}),
      });
      if (storedUnder !== undefined) this.cachedUnder.set(result, storedUnder);
      return result;
    } catch (err) {
      const outcome = CancellationError.is(err) || call.signal.aborted ? 'cancelled' : 'error';
      this.deps.recorder?.recordRequest({
        provider: providerId,
        outcome,
        ...(outcome === 'error' ? { errorCode: err instanceof ContextenError ? err.code : 'unknown' } : {}),
        cached,
        totalMs: clock.now() - started,
        ...(firstTokenMs !== undefined ? { firstTokenMs } : {}),
      });
      if (outcome === 'cancelled' && !(err instanceof CancellationError)) throw new CancellationError();
      if (err instanceof ContextTooLongError && err.sizes === undefined) {
        throw new ContextTooLongError(err.message, err.issues, { callerChars: call.codebaseContext?.length ?? 0, contextChars }, { cause: err });
      }
      throw err;
    }
  }

  /**
   * Call when contexten.http.maxConnections changed: requests waiting for a slot start at once when it was raised (a
   * running Codegen generation can hold its slot for minutes).
   */
  limitsChanged(): void {
    for (const l of this.limiters.values()) l.limitChanged();
  }

  /**
   * Caches an answer under the endpoint and model that gave it: the settings may have moved to another server and model
   * while the request waited for a connection, and its answer is theirs, not the ones the lookup was for.
   */
  private store(key: string, keyParts: CacheKeyParts, answer: ProviderAnswer, reasoning: string): string | undefined {
    if (answer.endpoint === undefined) {
      this.deps.logger.debug(`Not caching the ${keyParts.provider} answer: the endpoint changed while it was generated.`);
      return undefined;
    }
    const model = answer.requestedModel ?? keyParts.model;
    const storeKey = answer.endpoint === keyParts.endpoint && model === keyParts.model ? key : cacheKey({ ...keyParts, endpoint: answer.endpoint, model });
    this.deps.cache.set(storeKey, { text: answer.text, model: answer.model, ...(reasoning !== '' ? { reasoning } : {}) });
    return storeKey;
  }

  /**
   * Drops a result's answer from the cache, when it is there: the user could not use it (a fix with nothing to apply, a
   * diff discarded) or asks for another (Regenerate), and the same request must reach the provider again rather than be
   * answered the same for up to contexten.cache.ttlSeconds. Only that answer: one the same request stored under the
   * key since (Regenerate, or the request asked again, while this result's diff was open) is another, and stays.
   */
  forget(result: GenerationResult): void {
    const key = this.cachedUnder.get(result);
    if (key === undefined) return;
    this.cachedUnder.delete(result);
    this.deps.cache.delete(key, result.text);
  }

  private limiter(id: ProviderId): ConcurrencyLimiter {
    let l = this.limiters.get(id);
    if (!l) {
      l = new ConcurrencyLimiter(this.deps.maxConcurrent);
      this.limiters.set(id, l);
    }
    return l;
  }

  private async rankContext(prompt: string, options: GenerateOptions, settings: PipelineSettings, signal: AbortSignal, warnings: string[]): Promise<ContextResult | undefined> {
    if (!(options.contextEnhancement ?? settings['context.enabled'])) return undefined;
    return rankContextOrWarn(this.deps.context, contextQueryFor(options.contextQuery ?? prompt, options), signal, warnings, this.deps.logger);
  }

  private finish(r: Omit<GenerationResult, 'codeBlocks' | 'explanation'>): GenerationResult {
    const parsed = parseAnswer(r.text);
    this.deps.recorder?.recordRequest({
      provider: r.provider,
      outcome: 'ok',
      cached: r.cached,
      totalMs: r.timings.totalMs,
      ...(r.cached ? {} : { firstTokenMs: r.timings.firstTokenMs }),
    });
    return { ...r, codeBlocks: parsed.codeBlocks, explanation: parsed.explanation };
  }
}

/**
 * What the UI says next to an answer that was cut short, by why it ended — no more than the reason tells: an end of
 * unknown cause (Gemini's "OTHER", "MALFORMED_FUNCTION_CALL", and "other" from any server) is the server's, said with
 * its reason, not a token limit or a cut it may not have been; an answer said to be cut short with no reason names none.
 */
export function cutOffWarning(finishReason: string | undefined): string {
  if (finishReason === undefined) return 'The answer was cut off before its end; it may be incomplete.';
  const said = `finish_reason "${finishReason.slice(0, 40)}"`;
  const cut = cutOff(finishReason);
  if (cut === 'token_limit') return 'The answer was cut off at the model’s token limit; it may be incomplete.';
  if (cut === 'content_filter') return 'The server’s content filter cut the answer off; it is incomplete.';
  if (cut === 'unexplained') return `The server ended the answer with ${said} (not the model’s own end) without saying why; it may be incomplete.`;
  return `The answer ended early (${said}); it may be incomplete.`;
}
