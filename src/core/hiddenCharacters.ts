// Characters that do not show, or show as nothing, where a URL or a key is read: white space, control characters and
// format characters (Unicode's Cf: the zero-width space and joiners, the byte order mark, direction marks, the soft
// hyphen — credentialText's invisible characters among them). Inside a base URL one separates what follows it (a key
// pasted after the URL) from the URL without being seen; the URL parser takes it into the path (`v1%E2%80%8Bsk-…`).

const HIDDEN = /[\s\p{Cc}\p{Cf}]/u;

/** A run of percent escapes (`%E2%80%8B`): the UTF-8 bytes of one or more characters. */
const ESCAPES = /(?:%[0-9a-f]{2})+/gi;

/** (ignoreBOM keeps a byte order mark that begins a run: by default the decoder drops it unseen. Without `stream`, a decode keeps no state.) */
const DECODER = new TextDecoder('utf-8', { ignoreBOM: true });

/** Whether `text` holds white space, a control character or a format character. */
export function hasHiddenCharacter(text: string): boolean {
  return HIDDEN.test(text);
}

/**
 * Whether a URL path segment holds such a character, as written or percent-encoded (`%20`, `%09`, `%7F`, `%E2%80%8B`).
 * (Escapes that are not UTF-8 are read as U+FFFD, which is none of them: `%FF` alone is not hidden.)
 */
export function hasHiddenCharacterEncoded(segment: string): boolean {
  if (hasHiddenCharacter(segment)) return true;
  if (!segment.includes('%')) return false;
  const decoded = segment.replace(ESCAPES, (run) => DECODER.decode(Uint8Array.from(run.slice(1).split('%'), (hex) => Number.parseInt(hex, 16))));
  return hasHiddenCharacter(decoded);
}
