// What a pasted API key or token may hold: it travels in an HTTP header (`Authorization: Bearer …`), which carries
// printable ASCII only. A paste from a web page or a chat can bring along invisible characters (a zero-width space,
// a byte order mark) or typographic quotes; the invisible ones are dropped, anything else is refused with a message
// that names the character's kind and place, never the key itself.

/** Zero-width space/non-joiner/joiner, word joiner, byte order mark: invisible, never part of a key. */
const INVISIBLE = /^[\u200B-\u200D\u2060\uFEFF]$/;

/** A key's characters: printable ASCII without the space (RFC 6750's b64token and the keys servers issue fit). */
const KEY_CHARACTER = /^[\x21-\x7E]$/;

/**
 * The key as it is to be sent: trimmed, invisible characters taken out, a leading `Bearer ` (any case: the header's
 * scheme, copied along with the key) too; or, when it holds a character an HTTP header cannot carry (or a space inside
 * it), why not — "…has a typographic quote (U+201C) at character 10", counted in the key as it was written (with its
 * `Bearer `, its leading spaces and any invisible characters). An empty result means no key.
 */
export function cleanCredential(raw: string): { readonly value: string } | { readonly problem: string } {
  const sent = charactersAsSent(raw);
  const bad = sent.find(({ c }) => !KEY_CHARACTER.test(c));
  if (bad === undefined) return { value: sent.map(({ c }) => c).join('') };
  const code = `U+${(bad.c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, '0')}`;
  return { problem: `has ${describeCharacter(bad.c)} (${code}) at character ${bad.at}, which cannot be sent in an HTTP header` };
}

/**
 * The key trimmed, without invisible characters and without a leading `Bearer ` (`Bearer abc123` is sent as `abc123`):
 * as it is sent, and as its fingerprint is taken (tokenFingerprint).
 */
export function credentialAsSent(raw: string): string {
  return charactersAsSent(raw)
    .map(({ c }) => c)
    .join('');
}

/** The characters credentialAsSent keeps, each with its place (from 1) in `raw` as written. */
function charactersAsSent(raw: string): { readonly c: string; readonly at: number }[] {
  const visible = Array.from(raw)
    .map((c, i) => ({ c, at: i + 1 }))
    .filter(({ c }) => !INVISIBLE.test(c));
  // (Trimmed as String.prototype.trim does: \s is the same set of characters.)
  let start = 0;
  let end = visible.length;
  while (start < end && /\s/.test(visible[start]?.c ?? '')) start++;
  while (end > start && /\s/.test(visible[end - 1]?.c ?? '')) end--;
  const kept = visible.slice(start, end);
  // (The scheme and the white space after it are characters of one UTF-16 unit each: its length counts them.)
  const scheme = /^bearer\s+(?=\S)/i.exec(kept.map(({ c }) => c).join(''));
  return scheme ? kept.slice(scheme[0].length) : kept;
}

/** Where a token that cannot be sent came from: what a message about it names, and the step it advises. */
export type TokenOrigin = 'environment' | 'secretStorage';

/**
 * What to say about a Codegen token that cannot be sent (cleanCredential's `problem`), naming where it came from —
 * CODEGEN_API_TOKEN, or the token stored by signing in — and how to replace it. Never the token itself.
 */
export function unusableTokenMessage(problem: string, origin: TokenOrigin | undefined): string {
  if (origin === 'environment') {
    return `The Codegen API token in the environment variable CODEGEN_API_TOKEN ${problem}. Correct the variable, or run "Contexten: Sign In to Codegen" (a token stored by signing in is used first).`;
  }
  if (origin === 'secretStorage') return `The stored Codegen API token ${problem}. Run "Contexten: Sign In to Codegen" to store a valid one.`;
  return `The Codegen API token ${problem}.`;
}

function describeCharacter(c: string): string {
  if (/\s/.test(c)) return 'white space';
  if (/[\u2018\u2019\u201A\u201B\u201C\u201D\u201E\u201F\u00AB\u00BB]/.test(c)) return 'a typographic quote';
  if (/[\u2010-\u2015\u2212]/.test(c)) return 'a typographic dash';
  if (/[\x00-\x1F\x7F]/.test(c)) return 'a control character';
  return 'a non-ASCII character';
}
