// Turns an HTTP error answer into one of the core error classes, for any JSON API we talk to.
// Understands Codegen's `{message, status_code}` and `{detail}` (string or FastAPI's [{loc, msg, type}])
// and OpenAI's `{error: {message, type, code}}`; HTML pages from proxies are summarised, not dumped.
// Messages say what happened and never contain the credential (known secrets are redacted).
import {
  AuthenticationError,
  ConfigurationError,
  ContextTooLongError,
  type ContextenError,
  type Credential,
  endSentence,
  NotFoundError,
  PlanLimitError,
  ProtocolError,
  RateLimitError,
  ServerError,
  ServerTimeoutError,
  ValidationError,
  type ValidationIssue,
} from '../errors';
import { SETTINGS } from '../config/configSchema';
import { hostHoldsSecret, redactSecrets, redactUrlPath } from '../redact';
import { parseRetryAfter } from './retryPolicy';

export interface HttpErrorContext {
  /** Who answered, for messages: `Codegen`, `The model server`. */
  service: string;
  /** What was asked, for messages: `GET /v1/users/me`. Never contains a secret. */
  what: string;
  /** Clock time, to read Retry-After HTTP dates. */
  nowMs: number;
  /** Values to scrub from anything the server echoed back (the token). */
  secrets?: readonly string[];
  /**
   * The credential the request carried, for 401/403, and so the service a 404 came from and the base URL setting a
   * redirect or a web page points at (default: Codegen's token).
   */
  credential?: Credential;
  /** Whether the request carried the credential (default true): a 401 to one without it says that one is needed. */
  credentialSent?: boolean;
  /** The fingerprint of the token the request carried (tokenFingerprint.ts), so a 401/403 says which token it is about. */
  tokenFingerprint?: string;
  /** The path is an organization's (`/organizations/{id}/…`): a 403 there means no access to that organization. */
  organizationScoped?: boolean;
  /**
   * The organization's path is a run's own organization, not the one in the settings (a run created before the org id
   * setting changed is followed there): a 403 or 404 there is about that organization or run, not the setting.
   */
  runOrganizationId?: number;
}

/** What an error body says, as read once (readErrorBody). */
export interface ErrorBody {
  /** Its text, redacted, on one line and cut to 300 characters. */
  message?: string;
  issues: ValidationIssue[];
  quota: boolean;
  /** OpenAI's `{error: {code, type, param}}` as given, redacted (a `code` may be a number): what an error in a stream is classed by. */
  code?: string | number;
  type?: string;
  /** The request field at fault: "model" for a model the server does not have. */
  param?: string;
}

const MAX_MESSAGE = 300;
/** The message of Codegen's NoReposFoundInOrgErrorResponse: "No repos found in the organization. Please add some repos…". */
const NO_REPOS_FOUND = /^no repos found in the organization\b/i;

export function errorFromHttpResponse(status: number, headers: Record<string, string>, bodyText: string, ctx: HttpErrorContext): ContextenError {
  // (The body's texts are redacted as they are read, before they are cut to length.)
  return errorFromErrorBody(status, headers, readErrorBody(bodyText, headers['content-type'], ctx.secrets ?? []), ctx);
}

/** errorFromHttpResponse for a body already read (readErrorBody), for a caller that classes it further. */
export function errorFromErrorBody(status: number, headers: Record<string, string>, body: ErrorBody, ctx: HttpErrorContext): ContextenError {
  const said = body.message ? `: ${body.message}` : '';
  const { service, what } = ctx;
  const rejected = { tokenFingerprint: ctx.tokenFingerprint };
  if (status === 401 && ctx.credentialSent === false) {
    return new AuthenticationError(`${service} needs an API key (HTTP 401${said}), and none is stored.`, 401, ctx.credential, { unsent: true });
  }
  if (status === 401) return new AuthenticationError(`${service} rejected the API token (HTTP 401${said}).`, 401, ctx.credential, rejected);
  if (status === 403 && ctx.organizationScoped === true) {
    return new AuthenticationError(`${service} denied access to ${what} (HTTP 403${said}).`, 403, ctx.credential, { ...rejected, organization: true, runOrganizationId: ctx.runOrganizationId });
  }
  if (status === 403) return new AuthenticationError(`${service} denied access (HTTP 403${said}).`, 403, ctx.credential, rejected);
  if (status === 402 && ctx.credential === 'openai') return new PlanLimitError(`${service} asks for payment (HTTP 402${said}).`, 'openai');
  if (status === 402) return new PlanLimitError(`${service}: the plan's allotment is used up (HTTP 402${said}).`);
  if (status === 404) {
    // (Codegen's NoReposFoundInOrgErrorResponse, told by its message: the organization is there, without repositories.)
    const noRepositories = ctx.credential !== 'openai' && body.message !== undefined && NO_REPOS_FOUND.test(body.message);
    return new NotFoundError(`${service}: not found for ${what} (HTTP 404${said}).`, ctx.credential, noRepositories, ctx.runOrganizationId);
  }
  // (The server, or a proxy in front of it, stopped waiting for the request — not our own wait, which
  // contexten.http.timeoutMs sets: raising that would not help. Retried, as any timeout.)
  if (status === 408) return new ServerTimeoutError(`${service} (or a proxy in front of it) gave up waiting for ${what} (HTTP 408${said}).`, ctx.credential ?? 'codegen');
  if (status === 429) {
    const retryAfterMs = retryAfterFromHeaders(headers, ctx.nowMs);
    const quota = body.quota;
    return new RateLimitError(`${service} ${quota ? 'quota exhausted' : 'rate limit reached'} (HTTP 429${said}).`, retryAfterMs, quota);
  }
  if (status === 400 || status === 422) {
    const detail = body.issues.length > 0 ? `: ${formatIssues(body.issues)}` : said;
    if (ctx.credential === 'openai' && saysContextTooLong(errorNames(body), body.message)) return new ContextTooLongError(`${service} rejected ${what} (HTTP ${status}${detail}).`, body.issues);
    return new ValidationError(`${service} rejected ${what} (HTTP ${status}${detail}).`, body.issues);
  }
  if (status >= 500) return new ServerError(`${service} failed on ${what} (HTTP ${status}${said}).`, status);
  // (Redirects are not followed: the token would go along to wherever they point. One means the base URL is not the API's.)
  if (status >= 300 && status < 400) {
    const setting = baseUrlSetting(ctx.credential);
    const to = redirectTarget(headers['location'], ctx.secrets ?? []);
    return new ConfigurationError(`${service} redirected ${what} (HTTP ${status}${to ? ` to ${to}` : ''}): the base URL in ${setting} is probably wrong. Check it.`, setting, status);
  }
  return new ProtocolError(`${service} answered HTTP ${status} to ${what}${said}.`);
}

/** The setting that holds the base URL of the service a credential is for. */
function baseUrlSetting(credential: Credential = 'codegen'): 'contexten.openai.baseUrl' | 'contexten.codegen.baseUrl' {
  return credential === 'openai' ? 'contexten.openai.baseUrl' : 'contexten.codegen.baseUrl';
}

/**
 * A web page where an API's answer belongs (a login portal, a proxy's page, a website): `statement` says what came,
 * and the message adds that the base URL setting of the service (by `credential`) is probably wrong and what it should
 * point at. The error's `setting` names it, for the advice's Open Settings.
 */
export function webPageError(statement: string, credential: Credential = 'codegen'): ProtocolError {
  const setting = baseUrlSetting(credential);
  const api = credential === 'openai' ? 'the API itself (usually ending in /v1)' : `the Codegen API itself (by default ${SETTINGS['codegen.baseUrl'].default})`;
  return new ProtocolError(`${endSentence(statement)} The base URL is probably wrong: check ${setting}; it should point at ${api}, not at a web page or app in front of it.`, {
    hint: 'webPage',
    setting,
  });
}

/**
 * Where a redirect points, as far as it may be shown: an http(s) URL's scheme, host and path (redacted), else nothing.
 * A host that holds a secret (a server may put the token there: `https://sk-….evil.example/`) leaves the target out:
 * a host is not shown in part (and URL parsing lower-cases it: hostHoldsSecret folds the case, for short and word-like
 * secrets too).
 */
function redirectTarget(location: string | undefined, secrets: readonly string[]): string | undefined {
  if (location === undefined) return undefined;
  try {
    const url = new URL(location.trim());
    if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
    if (hostHoldsSecret(url.host, secrets)) return undefined;
    return truncate(`${url.protocol}//${url.host}${redactUrlPath(url.pathname, secrets)}`, 120);
  } catch {
    return undefined;
  }
}

/** Error codes and types that say the prompt does not fit the model's context window (OpenAI's, and vLLM's as OpenAI's). */
const CONTEXT_TOO_LONG_NAMES = new Set(['context_length_exceeded']);

/**
 * Wording that says so: OpenAI's and vLLM's "This model's maximum context length is 8192 tokens", "context length
 * exceeded", and the "context window" or "context size" other servers name (llama.cpp's "exceeds the available context
 * size"). Only asked of an answer that already says the request was at fault (a 400, or such an error in a stream).
 */
const CONTEXT_TOO_LONG_TEXT = /\b(?:maximum context length|context[ _](?:length|window|size))\b/i;

/** An error's `code` and `type`, those that are names (strings): what OpenAI-compatible errors are classed by. */
export function errorNames(error: { readonly code?: string | number | undefined; readonly type?: string | undefined }): string[] {
  return [error.code, error.type].filter((n): n is string => typeof n === 'string');
}

/** Whether an error's code, type or message says the prompt is too long for the model's context window. */
export function saysContextTooLong(names: readonly string[], message: string | undefined): boolean {
  return names.some((n) => CONTEXT_TOO_LONG_NAMES.has(n)) || (message !== undefined && CONTEXT_TOO_LONG_TEXT.test(message));
}

/** `retry-after-ms` (OpenAI-style) first, then `retry-after` (seconds or HTTP date). */
export function retryAfterFromHeaders(headers: Record<string, string>, nowMs: number): number | undefined {
  const ms = headers['retry-after-ms'];
  if (ms !== undefined && /^\d+(\.\d+)?$/.test(ms.trim())) return Math.round(Number(ms));
  return parseRetryAfter(headers['retry-after'], nowMs);
}

/** `body.prompt: Field required; query.limit: Input should be less than or equal to 100` */
export function formatIssues(issues: readonly ValidationIssue[]): string {
  return truncate(issues.map((i) => (i.loc.length > 0 ? `${i.loc.join('.')}: ${i.msg}` : i.msg)).join('; '));
}

/**
 * Parses a JSON body or throws ProtocolError (with a short excerpt, never the whole body). A web page instead (by its
 * content type or its first tag) is a webPageError naming the base URL setting of the service `ctx.credential` says.
 */
export function parseJsonBody(text: string, ctx: Pick<HttpErrorContext, 'service' | 'what' | 'secrets' | 'credential'>, contentType?: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    if (text.trim() !== '' && looksLikeHtml(text, contentType)) {
      const title = pageTitle(text.trim(), (s, max) => truncate(oneLine(redactSecrets(s, ctx.secrets ?? [])), max));
      throw webPageError(`${ctx.service} answered ${ctx.what} with a web page${title ? ` (${JSON.stringify(title)})` : ''} instead of JSON.`, ctx.credential);
    }
    const excerpt = truncate(oneLine(redactSecrets(text, ctx.secrets ?? [])), 60);
    throw new ProtocolError(`${ctx.service} sent malformed JSON for ${ctx.what}${excerpt ? ` (starts with ${JSON.stringify(excerpt)})` : ' (empty body)'}.`);
  }
}

/**
 * What a body a server answered with says, for a message: an HTML page's title, a JSON error's message, or the
 * text's beginning on one line — the secrets scrubbed. Undefined for an empty body.
 */
export function describeBody(text: string, contentType: string | undefined, secrets: readonly string[]): string | undefined {
  return readErrorBody(text, contentType, secrets).message;
}

/**
 * A response's content type as a message may name it (`text/plain`), or undefined when none was sent: the media type
 * alone (its parameters left out), on one line, redacted and cut to 60 characters — a header is the server's text, and
 * may echo the token (`text/x-sk-…`). Give the header as it came, not lower-cased: redaction matches the case.
 */
export function shownContentType(contentType: string | undefined, secrets: readonly string[]): string | undefined {
  const media = (contentType ?? '').split(';')[0]?.trim() ?? '';
  return media === '' ? undefined : truncate(oneLine(redactSecrets(media, secrets)), 60);
}

/**
 * Whether a body is a web page (or other markup) rather than an API's JSON or event stream: by its content type, or by
 * its first tag — servers behind a proxy often send a page with a wrong or missing type.
 */
export function looksLikeHtml(text: string, contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().includes('html') || /^\s*<(?:!doctype|html|head|body|\?xml)\b/i.test(text);
}

/** What an error body says, its texts redacted before they are cut to length. */
export function readErrorBody(text: string, contentType: string | undefined, secrets: readonly string[]): ErrorBody {
  const trimmed = text.trim();
  if (trimmed === '') return { issues: [], quota: false };
  const said = (s: string, max = MAX_MESSAGE): string => truncate(oneLine(redactSecrets(s, secrets)), max);
  if (looksLikeHtml(trimmed, contentType)) {
    return { message: summariseHtml(trimmed, said), issues: [], quota: false };
  }
  let json: unknown;
  try {
    json = JSON.parse(trimmed) as unknown;
  } catch {
    return { message: said(trimmed), issues: [], quota: false };
  }
  if (!isRecord(json)) return { message: said(trimmed), issues: [], quota: false };
  // (Every text kept is redacted: an issue's loc and type too — a server may echo the token there, as a query field's name.)
  const scrub = (s: string): string => redactSecrets(s, secrets);
  const issues = readIssues(json['detail']).map((i) => ({
    loc: i.loc.map((part) => (typeof part === 'string' ? scrub(part) : part)),
    msg: scrub(i.msg),
    ...(i.type !== undefined ? { type: scrub(i.type) } : {}),
  }));
  const error = json['error'];
  let message: string | undefined;
  let quota = false;
  let fields: Pick<ErrorBody, 'code' | 'type' | 'param'> = {};
  if (typeof json['message'] === 'string' && json['message'].trim()) message = json['message'];
  else if (typeof json['detail'] === 'string' && json['detail'].trim()) message = json['detail'];
  else if (typeof error === 'string' && error.trim()) message = error;
  else if (isRecord(error)) {
    if (typeof error['message'] === 'string') message = error['message'];
    quota = error['code'] === 'insufficient_quota' || error['type'] === 'insufficient_quota';
    fields = {
      ...(typeof error['code'] === 'string' ? { code: scrub(error['code']) } : typeof error['code'] === 'number' ? { code: error['code'] } : {}),
      ...(typeof error['type'] === 'string' ? { type: scrub(error['type']) } : {}),
      ...(typeof error['param'] === 'string' ? { param: scrub(error['param']) } : {}),
    };
  }
  if (message === undefined && issues.length > 0) message = formatIssues(issues);
  return { ...(message !== undefined ? { message: said(message) } : {}), issues, quota, ...fields };
}

function readIssues(detail: unknown): ValidationIssue[] {
  if (!Array.isArray(detail)) return [];
  const out: ValidationIssue[] = [];
  for (const d of detail) {
    if (!isRecord(d) || typeof d['msg'] !== 'string') continue;
    const loc = Array.isArray(d['loc']) ? d['loc'].filter((x): x is string | number => typeof x === 'string' || typeof x === 'number') : [];
    out.push({ loc, msg: d['msg'], ...(typeof d['type'] === 'string' ? { type: d['type'] } : {}) });
  }
  return out;
}

/** `an HTML error page ("502 Bad Gateway")` from its <title> or first <h1>. */
function summariseHtml(html: string, said: (s: string, max: number) => string): string {
  const title = pageTitle(html, said);
  return title ? `an HTML error page (${JSON.stringify(title)})` : 'an HTML error page';
}

/**
 * How much of a page is searched for its title: a title or heading comes near the top (after inline styles and scripts:
 * a login page's ~72 KB of <style> came before its <title>); the rest is not read.
 */
export const PAGE_TITLE_SCAN_CHARS = 256 * 1024;

/**
 * A page's <title>, or its first <h1>, on one line as `said` gives it (redacted, at most 80 characters). Only the first
 * PAGE_TITLE_SCAN_CHARS are searched, each tag once (no pattern that backtracks: a page of many unclosed `<h1` made
 * a regular expression's work grow with the square of its length).
 */
function pageTitle(html: string, said: (s: string, max: number) => string): string | undefined {
  const head = html.slice(0, PAGE_TITLE_SCAN_CHARS);
  /** Where `literal` (no pattern) first occurs in the head from `from` on, in any case; -1 when nowhere. */
  const find = (literal: string, from: number): number => {
    const re = new RegExp(literal, 'gi');
    re.lastIndex = from;
    return re.exec(head)?.index ?? -1;
  };
  const pick = (tag: string): string | undefined => {
    // The first opening tag, the end of it, and the first closing tag after it: as /<tag[^>]*>([\s\S]*?)<\/tag>/i.
    const open = find(`<${tag}`, 0);
    if (open < 0) return undefined;
    const start = head.indexOf('>', open);
    if (start < 0) return undefined;
    const end = find(`</${tag}>`, start + 1);
    if (end < 0) return undefined;
    // (A tag inside is a space; `[^<>]`: a `<` left open ends its search at the next `<`, not at the far end.)
    const text = head
      .slice(start + 1, end)
      .replace(/<[^<>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim();
    return text ? text : undefined;
  };
  const title = pick('title') ?? pick('h1');
  return title ? said(title, 80) : undefined;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

function truncate(s: string, max = MAX_MESSAGE): string {
  return s.length > max ? `${s.slice(0, max - 1)}…` : s;
}
