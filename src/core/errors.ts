// One error hierarchy for the whole product. Every error has a stable `code` that the glue maps to a
// message with a next step (see errorAdvice.ts). Messages never contain secrets.

export type ErrorCode =
  | 'configuration'
  | 'authentication'
  | 'plan_limit'
  | 'not_found'
  | 'validation'
  | 'rate_limit'
  | 'network'
  | 'timeout'
  | 'cancelled'
  | 'server'
  | 'protocol'
  | 'generation'
  | 'signin_changed';

export abstract class ContextenError extends Error {
  abstract readonly code: ErrorCode;
  /** Whether the retry policy may try the same request again. */
  readonly retryable: boolean = false;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** A setting or environment value is invalid or missing. `setting` names it (e.g. contexten.codegen.orgId). */
export class ConfigurationError extends ContextenError {
  readonly code = 'configuration' as const;
  constructor(
    message: string,
    readonly setting?: string,
    /**
     * The HTTP status of the answer that showed the setting wrong (a redirect: the base URL is not the API's); undefined
     * when the value itself is invalid and no request was made.
     */
    readonly status?: number,
  ) {
    super(message);
  }
}

/** Which secret a request used: the Codegen API token or the OpenAI-compatible API key. */
export type Credential = 'codegen' | 'openai';

/**
 * 401/403, or no token at all. `credential` says which one, so the next step names the right command.
 * `tokenFingerprint` (tokenFingerprint.ts) names the token the rejected request carried; `organization` marks a 403 on
 * an organization's path (the user is no member of that organization: the org id is wrong, not the token), and
 * `runOrganizationId` one on the path of a run followed in its own organization, not the one in the settings (the run was
 * created before the org id setting changed: the setting is not at fault); `unsent` marks a 401 to a request that
 * carried no key (none is stored): the server needs one, none was rejected.
 */
export class AuthenticationError extends ContextenError {
  readonly code = 'authentication' as const;
  readonly tokenFingerprint: string | undefined;
  readonly organization: boolean;
  readonly runOrganizationId: number | undefined;
  readonly unsent: boolean;
  constructor(
    message: string,
    readonly status?: number,
    readonly credential: Credential = 'codegen',
    options?: { readonly tokenFingerprint?: string | undefined; readonly organization?: boolean; readonly runOrganizationId?: number | undefined; readonly unsent?: boolean },
  ) {
    super(message);
    this.tokenFingerprint = options?.tokenFingerprint;
    this.organization = options?.organization ?? false;
    this.runOrganizationId = this.organization ? options?.runOrganizationId : undefined;
    this.unsent = options?.unsent ?? false;
  }

  /** The server rejected the token itself (401, or a 403 not about an organization): not a local "not signed in", nor a request without one. */
  get rejectsToken(): boolean {
    return (this.status === 401 || this.status === 403) && !this.organization && !this.unsent;
  }
}

/**
 * The sign-in (token), organization or base URL changed while a call that changes something (create, resume, stop a
 * run) was retried or waited for its turn: it is not sent again as another user or to another organization.
 */
export class SignInChangedError extends ContextenError {
  readonly code = 'signin_changed' as const;
}

/** 402: Codegen's plan allotment of agent runs is used up, or the OpenAI-compatible server wants credits (payment). */
export class PlanLimitError extends ContextenError {
  readonly code = 'plan_limit' as const;
  constructor(
    message: string,
    /** Which service answered: Codegen (its plan) or the OpenAI-compatible server (the provider's credits, billing). */
    readonly service: Credential = 'codegen',
  ) {
    super(message);
  }
}

export class NotFoundError extends ContextenError {
  readonly code = 'not_found' as const;
  constructor(
    message: string,
    /** Which service answered: Codegen (a run, an organization) or the OpenAI-compatible server (a model, a URL). */
    readonly service: Credential = 'codegen',
    /**
     * Codegen's NoReposFoundInOrgErrorResponse ("No repos found in the organization…"): the organization exists but
     * has no repository — its repos list is empty, and a run cannot be created there until one is added.
     */
    readonly noRepositories = false,
    /**
     * The organization of a run followed in its own organization, not the one in the settings (created before the org id
     * setting changed): a 404 there is about that run or organization, not the setting.
     */
    readonly runOrganizationId?: number,
  ) {
    super(message);
  }
}

export interface ValidationIssue {
  loc: (string | number)[];
  msg: string;
  type?: string;
}

/** 422 (or a 400 from an OpenAI-compatible server): the request was rejected as invalid. */
export class ValidationError extends ContextenError {
  readonly code = 'validation' as const;
  constructor(
    message: string,
    readonly issues: ValidationIssue[] = [],
  ) {
    super(message);
  }
}

/**
 * The model server refused the request because the prompt (with the context the extension added) does not fit the
 * model's context window: a 400 with `code: "context_length_exceeded"` or a message naming the context length, or the
 * same error reported inside the answer (vLLM). Asking again as it is would fail alike: it is not retried.
 */
export class ContextTooLongError extends ValidationError {
  constructor(
    message: string,
    issues: ValidationIssue[] = [],
    /**
     * How big the request's parts were, in characters, when the pipeline knows: the code the caller sent with it (a
     * selection, the lines a fix rewrites) and the ranked codebase context. The advice names the bigger one.
     */
    readonly sizes?: { readonly callerChars: number; readonly contextChars: number },
    options?: { cause?: unknown },
  ) {
    super(message, issues);
    if (options?.cause !== undefined) this.cause = options.cause;
  }
}

/** 429. `retryAfterMs` comes from Retry-After when the server sent one. `quota` = never retry (insufficient_quota). */
export class RateLimitError extends ContextenError {
  readonly code = 'rate_limit' as const;
  override readonly retryable: boolean;
  constructor(
    message: string,
    readonly retryAfterMs?: number,
    readonly quota = false,
  ) {
    super(message);
    this.retryable = !quota;
  }
}

/** 5xx from the server. */
export class ServerError extends ContextenError {
  readonly code = 'server' as const;
  override readonly retryable = true;
  constructor(
    message: string,
    readonly status: number,
  ) {
    super(message);
  }
}

/** Connection refused/reset, DNS failure, socket closed mid-response. */
export class NetworkError extends ContextenError {
  readonly code = 'network' as const;
  override readonly retryable = true;
  /** The connection dropped after part of the answer arrived: the server was reached, the answer is incomplete. */
  readonly dropped: boolean;
  constructor(message: string, options?: { cause?: unknown; dropped?: boolean }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.dropped = options?.dropped ?? false;
  }
}

export class TimeoutError extends ContextenError {
  readonly code = 'timeout' as const;
  override readonly retryable = true;
  constructor(
    message: string,
    readonly timeoutMs?: number,
  ) {
    super(message);
  }
}

/**
 * A timeout the server reported in its answer (an error of type `timeout`, a 408 inside the stream: a gateway whose
 * upstream did not answer), not the extension's own wait: retried as any timeout, but contexten.http.timeoutMs has no
 * part in it. `service` says whose server it was (by the credential it takes): what to check next differs — a hosted
 * Codegen's log is not the user's to read, a self-hosted model server's is.
 */
export class ServerTimeoutError extends TimeoutError {
  constructor(
    message: string,
    readonly service: Credential,
  ) {
    super(message);
  }
}

/**
 * What an unreadable answer most likely means, for the advice: `incomplete` — cut short or garbled part way (a stream
 * that ended early, a `data:` line that is not JSON): asking again may well work; `webPage` — an HTML page where the
 * API's answer belongs (a proxy's login page, a web app's own page, a website): the base URL of the service that
 * answered (the error's `setting`: contexten.openai.baseUrl or contexten.codegen.baseUrl) is probably not the API's.
 */
export type ProtocolHint = 'incomplete' | 'webPage';

/**
 * The server answered something we cannot read (malformed JSON, wrong shape, truncated stream). `setting` names the
 * setting to check when one is the likely cause (a web page's: the base URL setting of the service that answered).
 */
export class ProtocolError extends ContextenError {
  readonly code = 'protocol' as const;
  readonly hint: ProtocolHint | undefined;
  readonly setting: string | undefined;
  constructor(message: string, options?: { readonly hint?: ProtocolHint; readonly setting?: string }) {
    super(message);
    this.hint = options?.hint;
    this.setting = options?.setting;
  }
}

/**
 * Generation failed for a reason that is not transport-level (e.g. the model's answer was cut off or empty). `setting`
 * names the setting to check, when one is the likely cause (e.g. contexten.openai.model); `key` marks one that another
 * OpenAI-compatible API key may also mend (the key is not allowed to use the model), for the advice's Set API Key.
 */
export class GenerationError extends ContextenError {
  readonly code = 'generation' as const;
  readonly setting: string | undefined;
  readonly key: boolean;
  constructor(message: string, options?: { cause?: unknown; setting?: string; key?: boolean }) {
    super(message, options?.cause !== undefined ? { cause: options.cause } : undefined);
    this.setting = options?.setting;
    this.key = options?.key ?? false;
  }
}

/** The user or the caller cancelled. Presented silently. */
export class CancellationError extends ContextenError {
  readonly code = 'cancelled' as const;
  constructor(message = 'Cancelled') {
    super(message);
  }
  /** True for our CancellationError and for DOM/undici AbortErrors. */
  static is(err: unknown): boolean {
    if (err instanceof CancellationError) return true;
    return err instanceof Error && (err.name === 'AbortError' || (err as { code?: unknown }).code === 'ABORT_ERR');
  }
}

/** Throws CancellationError if the signal is aborted. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new CancellationError();
}

/** untilAborted for many waits on one signal (abortScope). */
export interface AbortScope {
  /** untilAborted(work, signal), through the scope's one listener. */
  until<T>(work: Promise<T>): Promise<T>;
  /** Removes the scope's listener (its waits still pending go on, no longer cancelled). */
  dispose(): void;
}

/**
 * untilAborted for many waits on `signal` at once through one 'abort' listener: Node 20 — the extension host's, VS
 * Code 1.90's — warns of "a possible EventTarget memory leak" past 10 listeners on one signal, which a context query's
 * 24 file reads read ahead, each waiting with its own, logged at every query.
 */
export function abortScope(signal: AbortSignal | undefined): AbortScope {
  if (!signal) return { until: (work) => work, dispose: () => undefined };
  const waiting = new Set<(err: CancellationError) => void>();
  const onAbort = (): void => {
    for (const reject of waiting) reject(new CancellationError());
    waiting.clear();
  };
  signal.addEventListener('abort', onAbort, { once: true });
  return {
    until<T>(work: Promise<T>): Promise<T> {
      if (signal.aborted) return Promise.reject(new CancellationError());
      return new Promise<T>((resolve, reject) => {
        waiting.add(reject);
        work.then(
          (value) => {
            waiting.delete(reject);
            resolve(value);
          },
          (err: unknown) => {
            waiting.delete(reject);
            reject(err instanceof Error ? err : new Error(String(err)));
          },
        );
      });
    },
    dispose: () => signal.removeEventListener('abort', onAbort),
  };
}

/**
 * Waits for `work` (shared work, which goes on either way) unless `signal` aborts first: then rejects with a
 * CancellationError at once.
 */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(new CancellationError());
  // (A scope of one wait, its listener gone with the work.)
  const scope = abortScope(signal);
  const waiting = scope.until(work);
  work.then(scope.dispose, scope.dispose);
  return waiting;
}

export function isContextenError(err: unknown): err is ContextenError {
  return err instanceof ContextenError;
}

/**
 * `text` as a sentence that advice can follow: a full stop added when it ends in none (a server's own message often
 * does not: "model 'x' not found, try pulling it first").
 */
export function endSentence(text: string): string {
  const t = text.trimEnd();
  return t === '' || /[.!?…:]["'”’)\]]*$/.test(t) ? t : `${t}.`;
}

/** Message of any thrown value, for logs and fallbacks. */
export function errorMessage(err: unknown): string {
  if (err instanceof Error) return err.message;
  return String(err);
}

/** Whether a file-system error says the path is no longer there (ENOENT, or ENOTDIR: a directory on its way replaced by a file). */
export function fileVanished(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}
