/**
 * Replaces every occurrence of each known secret (and any Bearer credential) with a placeholder. Longer secrets go
 * first: a shorter one that begins a longer one (a token pasted cut short, then whole) would leave the rest showing.
 * Redact whole texts, then cut them: a secret cut first no longer matches, and its first part would show.
 */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of [...secrets].sort((a, b) => b.length - a.length)) {
    if (s.length >= 4) out = out.split(s).join('«redacted»');
  }
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{4,}/gi, '$1«redacted»');
}
