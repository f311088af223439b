// What to tell the user about an error, and which next steps to offer: pure, so that the advice itself is tested in
// plain Node; src/vscode/errorPresenter.ts turns the steps into commands.
import { AuthenticationError, ContextTooLongError, endSentence, GenerationError, isContextenError, errorMessage, NetworkError, NotFoundError, PlanLimitError, ProtocolError, RateLimitError, ServerTimeoutError, type ContextenError } from './errors';

/** A next step, as the glue runs it: open a setting (or all of the extension's), the logs, sign-in, the key command. */
export type AdviceStep =
  | { readonly kind: 'openSettings'; readonly setting?: string }
  | { readonly kind: 'showLogs' }
  | { readonly kind: 'signIn' }
  | { readonly kind: 'setOpenAiKey' };

export interface ErrorAdvice {
  /** Empty for a cancellation (nothing to say). */
  readonly message: string;
  readonly steps: readonly AdviceStep[];
}

const SHOW_LOGS: AdviceStep = { kind: 'showLogs' };
const openSettings = (setting?: string): AdviceStep => (setting === undefined ? { kind: 'openSettings' } : { kind: 'openSettings', setting });

/** Turns any error into a message with a next step. */
export function adviseError(err: unknown): ErrorAdvice {
  if (!isContextenError(err)) return { message: `Contexten: unexpected error: ${errorMessage(err)}`, steps: [SHOW_LOGS] };
  const e: ContextenError = err;
  // (Advice follows the error's own text, which a server's message may leave without a full stop.)
  const said = endSentence(e.message);
  switch (e.code) {
    case 'configuration':
      return { message: `Contexten: ${e.message}`, steps: [openSettings('setting' in e ? (e.setting as string | undefined) : undefined)] };
    case 'authentication':
      if (e instanceof AuthenticationError && e.credential === 'openai' && e.unsent) {
        return {
          message: `Contexten: ${said} Store the server's key with "Contexten: Set OpenAI-Compatible API Key", or check contexten.openai.baseUrl.`,
          steps: [{ kind: 'setOpenAiKey' }, openSettings('contexten.openai.baseUrl')],
        };
      }
      if (e instanceof AuthenticationError && e.credential === 'openai') {
        return {
          message: `Contexten: ${said} Store a valid key with "Contexten: Set OpenAI-Compatible API Key", or check contexten.openai.baseUrl.`,
          steps: [{ kind: 'setOpenAiKey' }, openSettings('contexten.openai.baseUrl')],
        };
      }
      // (A 403 on the path of a run followed in its own organization, created before contexten.codegen.orgId changed: the
      // setting is not at fault, the access to the run's organization is.)
      if (e instanceof AuthenticationError && e.organization && e.runOrganizationId !== undefined) {
        const org = `organization ${e.runOrganizationId}`;
        return {
          message: `Contexten: ${said} The run belongs to ${org}, not the one in contexten.codegen.orgId: your Codegen user may no longer have access to ${org} (see codegen.com).`,
          steps: [],
        };
      }
      // (A 403 on an organization's path: the token works, but its user is no member of the organization in the settings.)
      if (e instanceof AuthenticationError && e.organization) {
        return {
          message: `Contexten: ${said} Check contexten.codegen.orgId: your Codegen user may not belong to that organization (see codegen.com/token).`,
          steps: [openSettings('contexten.codegen.orgId'), { kind: 'signIn' }],
        };
      }
      // (No status: no server rejected a token — not signed in, or a token that cannot be sent: its message says what to do.)
      if (e instanceof AuthenticationError && e.status === undefined) return { message: `Contexten: ${e.message}`, steps: [{ kind: 'signIn' }] };
      return { message: `Contexten: ${said} Sign in again with a valid token.`, steps: [{ kind: 'signIn' }] };
    case 'plan_limit':
      // (The OpenAI-compatible server's 402 is about the provider's credits or billing, never a Codegen plan.)
      if (e instanceof PlanLimitError && e.service === 'openai') {
        return {
          message: `Contexten: ${said} Check the credits and billing of your account with the provider, or set contexten.openai.baseUrl to another server.`,
          steps: [openSettings('contexten.openai.baseUrl')],
        };
      }
      return { message: `Contexten: ${said} Upgrade your Codegen plan or wait for the allotment to reset.`, steps: [] };
    case 'not_found':
      // (The OpenAI-compatible server's 404 is about the model or the URL, never a Codegen organization.)
      if (e instanceof NotFoundError && e.service === 'openai') {
        return {
          message: `Contexten: ${said} Check that the server serves the model in contexten.openai.model, and contexten.openai.baseUrl (usually ending in /v1).`,
          steps: [openSettings('contexten.openai')],
        };
      }
      // (The organization is there, without repositories: its id is right.)
      if (e instanceof NotFoundError && e.noRepositories) return { message: `Contexten: ${said} Add a repository to the organization on codegen.com, then try again.`, steps: [] };
      // (A 404 on the path of a run followed in its own organization, created before contexten.codegen.orgId changed: the
      // setting is not at fault; the run, or the access to its organization, is.)
      if (e instanceof NotFoundError && e.runOrganizationId !== undefined) {
        const org = `organization ${e.runOrganizationId}`;
        return {
          message: `Contexten: ${said} The run belongs to ${org}, not the one in contexten.codegen.orgId: it may no longer exist there, or your Codegen user may no longer have access to ${org} (see codegen.com).`,
          steps: [],
        };
      }
      return { message: `Contexten: ${said} Check the organization id and that the item still exists.`, steps: [openSettings('contexten.codegen.orgId')] };
    case 'validation':
      // (The extension adds up to contexten.context.maxChars of codebase context to every prompt: on a model with a
      // small context window that is the likeliest reason for this one.)
      // (Unless the code sent with the request — a selection, the lines a fix rewrites — is the bigger part: then that.)
      if (e instanceof ContextTooLongError && e.sizes !== undefined && e.sizes.callerChars > e.sizes.contextChars) {
        return {
          message: `Contexten: ${said} The prompt is too long for the model, mostly for the code sent with it (the selection, or the lines around the error a fix rewrites: ${e.sizes.callerChars.toLocaleString('en-US')} characters): select less code and ask again, or use a model with a larger context window.`,
          steps: [SHOW_LOGS],
        };
      }
      if (e instanceof ContextTooLongError) {
        return {
          message: `Contexten: ${said} The prompt with its codebase context is too long for the model: lower contexten.context.maxChars, turn off contexten.context.enabled, or use a model with a larger context window.`,
          steps: [openSettings('contexten.context'), SHOW_LOGS],
        };
      }
      return { message: `Contexten: the request was rejected: ${e.message}`, steps: [SHOW_LOGS] };
    case 'rate_limit':
      return { message: `Contexten: ${said} ${waitAdvice(e instanceof RateLimitError ? e : undefined)}`, steps: [SHOW_LOGS] };
    case 'network':
      if (e instanceof NetworkError && e.dropped) return { message: `Contexten: ${said} Try again; if it keeps happening, check the server's log.`, steps: [SHOW_LOGS] };
      return { message: `Contexten: cannot reach the server: ${said} Check your network or the base URL.`, steps: [openSettings(), SHOW_LOGS] };
    case 'timeout':
      // (A hosted service's log is not the user's to read: for Codegen, its status; for a model server, often the user's own, its log.)
      if (e instanceof ServerTimeoutError && e.service === 'codegen') {
        return { message: `Contexten: ${said} Try again later; if it keeps happening, check Codegen's service status, or the proxy between you and it.`, steps: [SHOW_LOGS] };
      }
      if (e instanceof ServerTimeoutError) return { message: `Contexten: ${said} Try again; if it keeps happening, check the server's log.`, steps: [SHOW_LOGS] };
      return { message: `Contexten: ${said} Try again, or raise contexten.http.timeoutMs.`, steps: [openSettings('contexten.http.timeoutMs')] };
    case 'server':
      return { message: `Contexten: the server failed: ${said} Try again later.`, steps: [SHOW_LOGS] };
    case 'protocol':
      // (Its message says which base URL setting to check, and what it should point at: httpErrors.ts webPageError.)
      if (e instanceof ProtocolError && e.hint === 'webPage') return { message: `Contexten: ${e.message}`, steps: [openSettings(e.setting), SHOW_LOGS] };
      if (e instanceof ProtocolError && e.hint === 'incomplete') {
        return { message: `Contexten: the server sent an unreadable answer: ${said} Try again; if it keeps happening, check the server's log.`, steps: [SHOW_LOGS] };
      }
      return { message: `Contexten: the server sent an unreadable answer: ${e.message}`, steps: [SHOW_LOGS] };
    case 'generation': {
      const setting = e instanceof GenerationError ? e.setting : undefined;
      // (A key not allowed to use the model: another model, or another key, mends it.)
      const key: AdviceStep[] = e instanceof GenerationError && e.key ? [{ kind: 'setOpenAiKey' }] : [];
      return { message: `Contexten: ${e.message}`, steps: setting === undefined ? [...key, SHOW_LOGS] : [openSettings(setting), ...key, SHOW_LOGS] };
    }
    case 'signin_changed':
      return { message: `Contexten: ${e.message}`, steps: [] };
    case 'cancelled':
      return { message: '', steps: [] };
  }
}

/**
 * How long to wait, when the server said it and it is long: a wait under a minute the retries sat through already
 * (a longer one is given up at once: maxRetryAfterMs), so "a moment" says it.
 */
function waitAdvice(e: RateLimitError | undefined): string {
  if (e?.quota) return 'Check the account’s plan and billing.';
  const ms = e?.retryAfterMs;
  if (ms === undefined || ms < 60_000) return 'Wait a moment and try again.';
  const minutes = Math.ceil(ms / 60_000);
  const wait = minutes < 120 ? `${minutes} minute${minutes === 1 ? '' : 's'}` : `${Math.ceil(minutes / 60)} hours`;
  return `The server asks to wait ${wait} before trying again.`;
}

/** A next step as words, for a place that has no buttons (a document's text). */
export function adviceStepText(step: AdviceStep): string {
  switch (step.kind) {
    case 'openSettings':
      return `open Settings (${step.setting ?? 'contexten'})`;
    case 'showLogs':
      return 'run "Contexten: Show Logs"';
    case 'signIn':
      return 'run "Contexten: Sign In to Codegen"';
    case 'setOpenAiKey':
      return 'run "Contexten: Set OpenAI-Compatible API Key"';
  }
}
