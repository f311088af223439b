// Types shared by the generation pipeline, its providers, the batcher and the public API.
import type { CutOff } from '../api/finishReason';
import type { ContextItem, ContextQuery, ContextResult } from '../context/model';
import type { CodeBlock } from './codeBlocks';

export type ProviderId = 'openai' | 'codegen';

/** What a provider is asked: the framing instruction and the user message (prompt + context). */
export interface ProviderRequest {
  readonly system: string;
  readonly user: string;
  /**
   * Overrides the provider's configured model. Without it the provider reads its model when the request goes out,
   * with its endpoint: the two come from one settings snapshot (the answer's `requestedModel` and `endpoint`).
   */
  readonly model?: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
}

export interface ProviderCallOptions {
  readonly signal: AbortSignal;
  /** Called with each piece of the answer as it arrives (once with the whole answer for non-streaming providers). */
  readonly onToken?: (text: string) => void;
  /** Called with each piece of a reasoning model's thinking as it arrives: shown apart, never part of the answer. */
  readonly onReasoning?: (text: string) => void;
}

export interface ProviderAnswer {
  readonly text: string;
  readonly model: string;
  /**
   * The model the request asked for (the request's, or the provider's default read with `endpoint` as the request went
   * out): the cache stores the answer under it. Absent: the request's model, or else the default the lookup was for.
   */
  readonly requestedModel?: string;
  /** The answer was cut short (at the token limit, by a content filter, aborted: `finishReason` says which). */
  readonly truncated: boolean;
  /** Why the model's answer ended, as the server said ("stop", "length", "content_filter", …), when it says. */
  readonly finishReason?: string;
  /** The Codegen agent run that produced the answer. */
  readonly run?: { readonly id: number; readonly webUrl?: string };
  /**
   * Where the answer came from, as `endpoint()` names it, read when the request went out (the settings can change
   * while a request waits for a connection or runs): the cache stores the answer under it. Absent when no one server
   * gave it (the settings changed while a Codegen run was followed): such an answer is not cached.
   */
  readonly endpoint?: string;
}

/** One backend that turns a prompt into an answer. */
export interface GenerationProvider {
  readonly id: ProviderId;
  /** The model used when a request names none. */
  defaultModel(): string;
  /**
   * Where its answers come from (the server, and the account on it): part of the generation cache's key — one model
   * name on two servers (a local Ollama, a remote gateway) is two models. The current settings' endpoint: the one a
   * request actually used is its answer's `endpoint`.
   */
  endpoint(): string;
  generate(req: ProviderRequest, opts: ProviderCallOptions): Promise<ProviderAnswer>;
}

/** The context engine as the pipeline sees it (ContextEngine implements it). */
export interface ContextSource {
  getRelevantContext(q: ContextQuery, signal?: AbortSignal): Promise<ContextResult>;
}

export interface GenerateOptions {
  readonly provider?: ProviderId;
  readonly model?: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
  /** Overrides `contexten.context.enabled` for this request. */
  readonly contextEnhancement?: boolean;
  /** Set false to bypass the generation cache for this request. */
  readonly useCache?: boolean;
  /** Hints for context ranking (activeFile null: the request is about no file of the workspace; see ContextQuery). */
  readonly activeFile?: string | null;
  readonly openFiles?: readonly string[];
  readonly recentFiles?: readonly string[];
  /** Text used as the context query instead of the prompt (e.g. the diagnostic for a quick fix). */
  readonly contextQuery?: string;
}

export interface GenerationTimings {
  readonly contextMs: number;
  /** Waiting for a free connection slot. */
  readonly queueMs: number;
  /** From sending the request to the first piece the model streamed (its answer's, or a reasoning model's thinking). */
  readonly firstTokenMs: number;
  readonly totalMs: number;
}

export interface GenerationResult {
  readonly prompt: string;
  /** The whole answer as markdown. */
  readonly text: string;
  readonly codeBlocks: readonly CodeBlock[];
  readonly explanation: string;
  /** The codebase context attached to the prompt, with scores and reasons (empty when context was off). */
  readonly context: readonly ContextItem[];
  readonly provider: ProviderId;
  readonly model: string;
  readonly cached: boolean;
  /** The answer was cut short (at the model's token limit, by a content filter, aborted): it is incomplete. */
  readonly truncated: boolean;
  /**
   * Why a `truncated` answer ended short, by its finish_reason: the model's token limit ('token_limit'), a content
   * filter, the server aborting ('aborted'), or the server's end of unknown cause ('unexplained': "other"). Absent when
   * the answer is whole, or no reason was given.
   */
  readonly cutOff?: CutOff;
  /** Things the UI should say next to the answer (e.g. why it is incomplete). */
  readonly warnings: readonly string[];
  /**
   * What a reasoning model thought before it answered, as streamed to onReasoning, when it thought aloud: never part of
   * `text` or its code blocks. A cached answer has the thinking cached with it (`reasoningTruncated` when only its
   * first part was kept).
   */
  readonly reasoning?: string;
  /**
   * True when `reasoning` is only the first part of the model's thinking: an answer from the cache, which keeps the first
   * MAX_CACHED_REASONING_CHARS of it. Absent otherwise.
   */
  readonly reasoningTruncated?: boolean;
  readonly timings: GenerationTimings;
  readonly run?: { readonly id: number; readonly webUrl?: string };
}
