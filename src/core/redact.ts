/** Replaces every occurrence of each known secret (and any Bearer credential) with a placeholder. */
export function redactSecrets(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= 4) out = out.split(s).join('«redacted»');
  }
  return out.replace(/(Bearer\s+)[A-Za-z0-9._~+/=-]{4,}/gi, '$1«redacted»');
}
