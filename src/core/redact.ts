import { hasHiddenCharacterEncoded } from './hiddenCharacters';

/**
 * Replaces every occurrence of each known secret (and any Bearer credential) with a placeholder. Longer secrets go
 * first: a shorter one that begins a longer one (a token pasted cut short, then whole) would leave the rest showing.
 * In any case: a secret echoed where the case is folded (a URL's host, lower-cased by parsing) is still one.
 * Redact whole texts, then cut them: a secret cut first no longer matches, and its first part would show.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length >= 4) out = out.replace(new RegExp(s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi'), '«redacted»');
  }
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{4,}/gi, '$1«redacted»');
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
