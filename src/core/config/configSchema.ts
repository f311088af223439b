// One schema turns VS Code settings plus environment variables into one validated snapshot.
// Each setting is validated on its own: a bad value is reported (naming the setting and what is
// accepted) and replaced by its default, so the rest of the configuration keeps working — except a base URL: requests
// carry a key or token, and the default is another server than the one the user meant (see BaseUrlSetting).
import * as z from 'zod';
import { ConfigurationError } from '../errors';
import { hasHiddenCharacter } from '../hiddenCharacters';

/** http(s) base URL; plain http only for loopback hosts (localhost, 127.0.0.1, [::1]). */
export function isAllowedBaseUrl(value: string): boolean {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  if (url.protocol === 'https:') return true;
  if (url.protocol !== 'http:') return false;
  return url.hostname === 'localhost' || url.hostname === '127.0.0.1' || url.hostname === '[::1]';
}

/** A base URL requests' paths are appended to: one with a query or fragment would take them into it (`?v=1/chat/completions`). */
function hasNoQueryOrFragment(value: string): boolean {
  return !value.includes('?') && !value.includes('#');
}

/** A base URL is shown in prompts and reports: credentials in it (`https://user:key@host`) would be too. */
function hasNoCredentials(value: string): boolean {
  try {
    const url = new URL(value);
    return url.username === '' && url.password === '';
  } catch {
    return false;
  }
}

const baseUrl = z
  .string()
  .trim()
  // (White space, a control or a format character inside — the ends are trimmed: the URL parser would take a space into
  // the path as `%20`, and with it whatever follows, such as a key pasted after the URL; a zero-width space as
  // `%E2%80%8B`; or drop a tab or line break.)
  .refine((v) => !hasHiddenCharacter(v), 'a base URL without spaces, control or invisible characters inside')
  .refine(isAllowedBaseUrl, 'an https:// URL (plain http:// only for localhost, 127.0.0.1 or [::1])')
  .refine(hasNoQueryOrFragment, 'a base URL without ?query or #fragment (paths are added to its end)')
  .refine(hasNoCredentials, 'a base URL without a user name and password (keys are kept in secret storage)')
  .transform((s) => s.replace(/\/+$/, ''));

/** The settings whose value is a URL: a report quotes only its scheme, host and path (see shownValue). */
const URL_SETTINGS: ReadonlySet<string> = new Set(['codegen.baseUrl', 'openai.baseUrl']);

/** The base URL settings: the server each backend's key or token is sent to. */
export type BaseUrlKey = 'codegen.baseUrl' | 'openai.baseUrl';

/**
 * A base URL setting in the snapshot: the URL (without a trailing slash), or — while the value set is invalid — the
 * report about it. An invalid base URL is not replaced by its default: the key or token would go to a server the user
 * did not pick (a plain-http typo of https://api.openai.com would send the OpenAI key to whatever listens on
 * localhost:11434; a self-hosted Codegen's token would go to api.codegen.com). Every request of that backend fails
 * with the report instead (baseUrlOf).
 */
export type BaseUrlSetting = { readonly url: string } | { readonly invalid: string };

/** The base URL requests go to. @throws ConfigurationError naming the setting while its value is invalid: no request is made. */
export function baseUrlOf<K extends BaseUrlKey>(snapshot: Pick<ConfigSnapshot, K>, key: K): string {
  const value = snapshot[key];
  if ('invalid' in value) throw new ConfigurationError(value.invalid, `contexten.${key}`);
  return value.url;
}

/** A base URL setting as text, for what is compared and shown (an endpoint's identity, a prompt): the URL, or that it is invalid. */
export function baseUrlText(value: BaseUrlSetting): string {
  return 'url' in value ? value.url : '(invalid base URL)';
}

const SERVICE_OF: Readonly<Record<BaseUrlKey, string>> = { 'codegen.baseUrl': 'Codegen', 'openai.baseUrl': 'OpenAI-compatible' };
const CREDENTIAL_OF: Readonly<Record<BaseUrlKey, string>> = { 'codegen.baseUrl': 'your Codegen token', 'openai.baseUrl': 'the stored key' };

/**
 * An organization id as requests carry it: digits whose number is exact in JavaScript (a longer one, read as a
 * number, would turn into another id — `1.2345678901234568e+22` — in the path).
 */
export function isOrganizationId(value: string): boolean {
  return /^\d+$/.test(value) && Number.isSafeInteger(Number(value));
}

/** A number written out in decimal (`30`, ` 2.5 `, `-1`, `1e3`): what a hand-edited settings.json or an environment variable holds. */
const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?$/i;

/**
 * A finite number, or a string holding one in decimal. Nothing else is taken for a number: z.coerce would read `true`
 * as 1, `false`, `[]` and a blank text as 0, and `[7]` as 7, without a word.
 */
const numeric = z.union([z.number(), z.string().trim().regex(DECIMAL).transform(Number)]).pipe(z.number());

const intIn = (min: number, max: number) => numeric.pipe(z.number().int().min(min).max(max));

/** Every setting: key (without the `contexten.` prefix), schema, default, and a human description of what is accepted. */
export const SETTINGS = {
  // (A hand-edited settings.json may give the id as a number: taken as its digits.)
  'codegen.orgId': {
    schema: z.union([z.string(), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER).transform(String)]).pipe(z.string().trim().refine(isOrganizationId)),
    default: '',
    accepts: `a numeric organization id such as 12345 (see codegen.com/token), at most ${Number.MAX_SAFE_INTEGER}`,
  },
  'codegen.baseUrl': { schema: baseUrl, default: 'https://api.codegen.com', accepts: 'an https:// URL without spaces, ?query or #fragment, nor a user name and password (plain http:// only for localhost, 127.0.0.1 or [::1])' },
  'http.timeoutMs': { schema: intIn(1, 600_000), default: 30_000, accepts: 'a whole number of milliseconds from 1 to 600000' },
  'http.maxRetries': { schema: intIn(0, 10), default: 3, accepts: 'a whole number from 0 to 10' },
  'http.maxConnections': { schema: intIn(1, 64), default: 10, accepts: 'a whole number from 1 to 64' },
  'context.exclude': { schema: z.array(z.string()), default: [] as string[], accepts: 'a list of glob patterns such as ["**/generated/**"]' },
  'context.maxFileKB': { schema: intIn(1, 10_240), default: 256, accepts: 'a whole number of kilobytes from 1 to 10240' },
  'context.maxChars': { schema: intIn(1_000, 1_000_000), default: 50_000, accepts: 'a whole number of characters from 1000 to 1000000' },
  'context.relevanceThreshold': { schema: numeric.pipe(z.number().min(0).max(1)), default: 0.05, accepts: 'a number from 0 to 1' },
  'context.enabled': { schema: z.boolean(), default: true, accepts: 'true or false' },
  'generation.provider': { schema: z.enum(['codegen', 'openai']), default: 'openai' as 'codegen' | 'openai', accepts: '"codegen" or "openai"' },
  'generation.description': { schema: z.string().trim().min(1).max(2_000), default: 'Advanced code generation with codebase context', accepts: 'a non-empty text of at most 2000 characters' },
  'openai.baseUrl': { schema: baseUrl, default: 'http://localhost:11434/v1', accepts: 'an https:// URL without spaces, ?query or #fragment, nor a user name and password (plain http:// only for localhost, 127.0.0.1 or [::1]), usually ending in /v1' },
  'openai.model': { schema: z.string().trim().min(1), default: 'llama3.1', accepts: 'a model name such as gpt-4o-mini or llama3.1' },
  'cache.enabled': { schema: z.boolean(), default: true, accepts: 'true or false' },
  'cache.ttlSeconds': { schema: intIn(0, 604_800), default: 3_600, accepts: 'a whole number of seconds from 0 to 604800' },
  'batch.size': { schema: intIn(1, 100), default: 5, accepts: 'a whole number from 1 to 100' },
  'batch.timeoutMs': { schema: intIn(0, 60_000), default: 1_000, accepts: 'a whole number of milliseconds from 0 to 60000' },
  'fixFromDiagnostics.enabled': { schema: z.boolean(), default: true, accepts: 'true or false' },
} as const;

export type SettingKey = keyof typeof SETTINGS;
export type ConfigSnapshot = {
  readonly [K in SettingKey]: K extends BaseUrlKey
    ? BaseUrlSetting
    : (typeof SETTINGS)[K]['default'] extends infer D
      ? D extends readonly string[]
        ? readonly string[]
        : D extends boolean
          ? boolean
          : D extends number
            ? number
            : D
      : never;
};

/** An environment variable that fills a setting the user left unset. */
export interface EnvFallback {
  /** First name set (not blank) wins. */
  readonly names: readonly string[];
  /**
   * For variables in a unit of their own: checks the text in that unit and turns it into the setting's value. A bad
   * value is reported as written, with what the variable accepts and the default in its unit.
   */
  readonly unit?: { readonly schema: z.ZodType; readonly accepts: string; readonly shownDefault: string };
}

export const ENV_FALLBACKS: Partial<Record<SettingKey, EnvFallback>> = {
  'codegen.orgId': { names: ['CODEGEN_ORG_ID'] },
  'codegen.baseUrl': { names: ['CODEGEN_BASE_URL', 'CODEGEN_API_BASE_URL'] },
  // CODEGEN_TIMEOUT is in seconds (as in Codegen's SDK and the seed's configuration).
  'http.timeoutMs': {
    names: ['CODEGEN_TIMEOUT'],
    unit: {
      schema: numeric.pipe(z.number().min(0.001).max(600)).transform((seconds) => Math.round(seconds * 1000)),
      accepts: 'a number of seconds from 0.001 to 600, such as 30 or 2.5',
      shownDefault: `${SETTINGS['http.timeoutMs'].default / 1000} seconds`,
    },
  },
  'http.maxRetries': { names: ['CODEGEN_MAX_RETRIES'] },
};

export interface ConfigIssue {
  /** Full setting id, e.g. `contexten.codegen.orgId`. */
  setting: string;
  /** Where the bad value came from: a setting or an environment variable name. */
  source: string;
  message: string;
}

export interface ConfigResult {
  snapshot: ConfigSnapshot;
  issues: ConfigIssue[];
  /** Which environment variable supplied each value, for diagnostics. */
  fromEnv: Partial<Record<SettingKey, string>>;
}

/**
 * @param userValues values the user set explicitly, keyed by the short key (`codegen.orgId`); unset keys absent.
 * @param env process environment.
 */
export function resolveConfig(userValues: Partial<Record<string, unknown>>, env: Readonly<Record<string, string | undefined>>): ConfigResult {
  const out: Record<string, unknown> = {};
  const issues: ConfigIssue[] = [];
  const fromEnv: Partial<Record<SettingKey, string>> = {};
  for (const key of Object.keys(SETTINGS) as SettingKey[]) {
    const spec = SETTINGS[key];
    let raw: unknown = userValues[key];
    let source = `contexten.${key}`;
    const shownDefault = spec.default === '' ? 'unset' : JSON.stringify(spec.default);
    const invalid = (value: unknown, accepts: string, defaultText: string): void => {
      const fromSetting = source === `contexten.${key}`;
      const said = `${fromSetting ? `Setting "contexten.${key}"` : `Environment variable ${source} (for contexten.${key})`} has an invalid value${shownValue(key, value)}: expected ${accepts}.`;
      let message = `${said} Using the default (${defaultText}).`;
      if (isBaseUrlKey(key)) {
        // (Not the default: see BaseUrlSetting.)
        message = `${said} No ${SERVICE_OF[key]} request is sent until it is corrected (${CREDENTIAL_OF[key]} is not sent to the default, ${defaultText}, instead); ${fromSetting ? 'remove the setting' : `unset ${source}`} to use the default.`;
        out[key] = { invalid: message } satisfies BaseUrlSetting;
      } else {
        out[key] = spec.default;
      }
      delete fromEnv[key];
      issues.push({ setting: `contexten.${key}`, source, message });
    };
    if (raw === undefined || raw === null || raw === '') {
      raw = undefined;
      const fb = ENV_FALLBACKS[key];
      for (const name of fb?.names ?? []) {
        const v = env[name];
        if (v !== undefined && v.trim() !== '') {
          raw = v;
          source = name;
          fromEnv[key] = name;
          break;
        }
      }
      if (fb?.unit && typeof raw === 'string') {
        const converted = fb.unit.schema.safeParse(raw);
        if (!converted.success) {
          invalid(raw, fb.unit.accepts, fb.unit.shownDefault);
          continue;
        }
        raw = converted.data;
      }
    }
    if (raw === undefined) {
      out[key] = isBaseUrlKey(key) ? ({ url: spec.default as string } satisfies BaseUrlSetting) : spec.default;
      continue;
    }
    const parsed = (spec.schema as z.ZodType).safeParse(raw);
    if (parsed.success) out[key] = isBaseUrlKey(key) ? ({ url: parsed.data as string } satisfies BaseUrlSetting) : parsed.data;
    else invalid(raw, spec.accepts, shownDefault);
  }
  return { snapshot: out as ConfigSnapshot, issues, fromEnv };
}

/** The settings a folder of a multi-root workspace may set for itself (`"scope": "resource"` in package.json). */
export const FOLDER_SETTINGS = ['context.exclude'] as const satisfies readonly SettingKey[];

/**
 * The problem of a value one workspace folder set for itself (its `.vscode/settings.json`), none for a valid one or
 * none set (undefined, null). Until it is corrected the value for the whole workspace applies to that folder.
 */
export function folderIssue(key: (typeof FOLDER_SETTINGS)[number], folder: string, value: unknown): ConfigIssue | undefined {
  if (value === undefined || value === null || SETTINGS[key].schema.safeParse(value).success) return undefined;
  const setting = `contexten.${key}`;
  return {
    setting,
    source: `${setting} (folder ${folder})`,
    message: `Setting "${setting}" of the folder ${describe(folder)} has an invalid value${shownValue(key, value)}: expected ${SETTINGS[key].accepts}. The window's value (the workspace's, else the user's) applies to that folder until it is corrected.`,
  };
}

function isBaseUrlKey(key: SettingKey): key is BaseUrlKey {
  return key === 'codegen.baseUrl' || key === 'openai.baseUrl';
}

/**
 * The invalid value as a report quotes it (` "…"`), or what it is without quoting it: never what may be a secret — an
 * organization id field is where a token gets pasted, and a URL field gets keys too (`sk-…`, `Bearer sk-…`, a key
 * after the URL). A URL setting's value is quoted only when it is an http(s) URL without white space inside, and then
 * only its scheme, host and path: its user name, password, query and fragment may hold credentials.
 */
function shownValue(key: SettingKey, v: unknown): string {
  if (key === 'codegen.orgId') return '';
  if (URL_SETTINGS.has(key) && typeof v === 'string') {
    const shown = urlWithoutSecrets(v);
    if (shown === undefined) return ' (not shown: it is not an http(s) URL)';
    if (shown === 'whiteSpace') return ' (not shown: it has white space, a control or an invisible character inside)';
    const left = [...(shown.credentials ? ['its user name and password'] : []), ...(shown.cut ? ['what follows its ? or #'] : [])];
    return ` ${describe(shown.shown)}${left.length > 0 ? ` (${left.join(', ')} not shown)` : ''}`;
  }
  return ` ${describe(v)}`;
}

/**
 * An http(s) URL's text as far as it may be shown: scheme, host and path; its query and fragment cut (`cut` says so),
 * its `user:password@` left out. Undefined for text that is no http(s) URL (a pasted key, `host?token=…`,
 * `alice:key@host`): none of it is shown. `whiteSpace` for a URL with white space, a control or a format character inside: the
 * parser would take what follows a space (a pasted key) into the path.
 */
function urlWithoutSecrets(text: string): { shown: string; cut: boolean; credentials: boolean } | 'whiteSpace' | undefined {
  const trimmed = text.trim();
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (hasHiddenCharacter(trimmed)) return 'whiteSpace';
  return { shown: `${url.protocol}//${url.host}${url.pathname}`, cut: /[?#]/.test(trimmed), credentials: url.username !== '' || url.password !== '' };
}

function describe(v: unknown): string {
  // (A number JSON cannot write — 1e400 read as Infinity — is written as JavaScript does, not as null.)
  const s = typeof v === 'number' && !Number.isFinite(v) ? String(v) : typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v) ?? String(v);
  return s.length > 60 ? `${s.slice(0, 57)}...` : s;
}

/** The token from the environment (CODEGEN_API_TOKEN), used when SecretStorage holds none. */
export function tokenFromEnv(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const t = env['CODEGEN_API_TOKEN']?.trim();
  return t ? t : undefined;
}

/**
 * The Codegen endpoint its settings name (base URL and organization id), as one key: what a change of either is
 * compared by (the generation services' endpoint, the identity shown for a sign-in).
 */
export function codegenEndpoint(baseUrl: BaseUrlSetting, orgId: string): string {
  // (An invalid value by what is wrong with it, which names the value: one invalid value changed to another is a change.)
  return `${'url' in baseUrl ? baseUrl.url : `(invalid) ${baseUrl.invalid}`}#${orgId}`;
}
