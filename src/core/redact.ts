import { hasHiddenCharacterEncoded } from './hiddenCharacters';

/**
 * Secrets shorter than this are redacted only where they stand as a word of their own. No API key is that short: such a
 * "key" is a placeholder a local server takes or wants (vLLM's `EMPTY`, Ollama's `ollama`, `none`, `local`), or a
 * password set on one — and a word a message may well hold ("'NoneType' object…", "localhost", "the body was empty").
 * Redacted inside words, it made messages unreadable and hid a redirect to localhost; as a word (`Invalid key: EMPTY`,
 * `(ollama)`) it is still redacted, so such a password does not show where a server echoes it.
 */
export const SHORT_SECRET_CHARS = 8;

/**
 * A secret made of letters and hyphens alone is redacted only where it stands as a word of its own, in its own case,
 * however long: it is a word (`password`) or a documented placeholder (LM Studio's `lm-studio`), which a message holds
 * in other cases and in longer words ("Invalid Password", a Docker host `lm-studio-server`) — no random key is one.
 */
const WORD_LIKE = /^[\p{L}-]+$/u;

/** Secrets shorter than this are not looked for at all (`abc` would redact too much, and guards nothing). */
const MIN_SECRET_CHARS = 4;

/**
 * Replaces every occurrence of each known secret (and any Bearer credential) with a placeholder. Longer secrets go
 * first: a shorter one that begins a longer one (a token pasted cut short, then whole) would leave the rest showing.
 * Secrets of SHORT_SECRET_CHARS or more in any letter case: a server may echo a key in another case, and URL parsing
 * lower-cases a host (`https://sk-AbC….evil.example` shown as `sk-abc…`) — no word of a message is a random key in
 * another case. Shorter ones, and word-like ones (WORD_LIKE) of any length, only as whole words and in their own
 * case (placeholders such as `EMPTY` are words in other cases), except with `caseFolded`: for a text that was
 * lower-cased on our side (a URL's host), matched against each secret lower-cased.
 * Redact whole texts, then cut them: a secret cut first no longer matches, and its first part would show.
 */
export function redactSecrets(text: string, secrets: readonly string[], { caseFolded = false }: { readonly caseFolded?: boolean } = {}): string {
  let out = text;
  for (const pattern of secretPatterns(secrets, caseFolded)) out = out.replace(pattern, '«redacted»');
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{4,}/gi, '$1«redacted»');
}

/** How many sets of secrets keep their patterns (secretPatterns): the few a log line, a transport and a client use. */
const PATTERN_SETS_KEPT = 4;

/** The patterns of the last few sets of secrets redacted, by the set's contents (and caseFolded), the latest used last. */
const patternSets = new Map<string, readonly RegExp[]>();

/**
 * The patterns redactSecrets replaces, longest secret first, made once for a set of secrets: a log line is redacted
 * each, and the secrets change rarely. Keyed by the secrets themselves, not the array (one changed in place is
 * another set); only the last PATTERN_SETS_KEPT sets are kept, so a secret replaced does not stay here.
 */
function secretPatterns(secrets: readonly string[], caseFolded: boolean): readonly RegExp[] {
  const key = JSON.stringify([caseFolded, ...secrets]);
  const known = patternSets.get(key);
  if (known) {
    patternSets.delete(key);
    patternSets.set(key, known);
    return known;
  }
  const patterns: RegExp[] = [];
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length < MIN_SECRET_CHARS) continue;
    const escaped = s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
    if (s.length >= SHORT_SECRET_CHARS && !WORD_LIKE.test(s)) {
      patterns.push(new RegExp(escaped, 'gi'));
      continue;
    }
    const word = caseFolded ? escaped.toLowerCase() : escaped;
    // (A word-like one is no word of its own inside a hyphenated one either: the host `lm-studio-server`.)
    const inWord = WORD_LIKE.test(s) ? '\\p{L}\\p{N}_-' : '\\p{L}\\p{N}_';
    patterns.push(new RegExp(`(?<![${inWord}])${word}(?![${inWord}])`, 'gu'));
  }
  patternSets.set(key, patterns);
  for (const oldest of patternSets.keys()) {
    if (patternSets.size <= PATTERN_SETS_KEPT) break;
    patternSets.delete(oldest);
  }
  return patterns;
}

/**
 * Whether a URL's host (lower-cased by URL parsing) holds a known secret: the case is folded here, and only here.
 */
export function hostHoldsSecret(host: string, secrets: readonly string[]): boolean {
  return redactSecrets(host, secrets, { caseFolded: true }) !== host;
}

/**
 * A URL's path as a message or log line shows it (`/v1/chat/completions`): the known secrets redacted, and each segment
 * with white space, a control or a format character in it (`%20`, `%09`, `%E2%80%8B` — hiddenCharacters.ts) too — no
 * base URL has one, but a key pasted after the URL (`…/v1 sk-…`) would go into the path there as `v1%20sk-…`.
 */
export function redactUrlPath(path: string, secrets: readonly string[]): string {
  return redactSecrets(path, secrets)
    .split('/')
    .map((segment) => (hasHiddenCharacterEncoded(segment) ? '«redacted»' : segment))
    .join('/');
}

/**
 * The segments of a URL's path that hold white space, a control or a format character, as sent (`v1%20sk-…`) and
 * decoded (`v1 sk-…`): to be redacted from whatever a server echoes back of the path (`Unknown request URL: POST
 * /v1%20sk-…`).
 */
export function suspectPathSegments(url: string): string[] {
  let path: string;
  try {
    path = new URL(url).pathname;
  } catch {
    return [];
  }
  const out: string[] = [];
  for (const segment of path.split('/')) {
    if (!hasHiddenCharacterEncoded(segment)) continue;
    out.push(segment);
    try {
      out.push(decodeURIComponent(segment));
    } catch {
      // (Not decodable: the segment as sent is enough.)
    }
  }
  return out;
}
