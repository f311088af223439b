// Tokenisation shared by the baselines: words and identifier sub-tokens (camelCase, PascalCase,
// snake_case, kebab-case and digits split apart), lower-cased.

const WORD = /[A-Za-z0-9_$]+/g;

/** `parseHTTPResponse_v2` → ['parse', 'http', 'response', 'v', '2']. */
function identifierSubTokens(identifier: string): string[] {
  return identifier
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .replace(/([A-Z]+)([A-Z][a-z])/g, '$1 $2')
    .replace(/([A-Za-z])([0-9])/g, '$1 $2')
    .replace(/([0-9])([A-Za-z])/g, '$1 $2')
    .split(/[\s_$-]+/)
    .filter((t) => t.length > 0)
    .map((t) => t.toLowerCase());
}

/** Every sub-token of every word in `text`, in order (repeats kept: term frequency matters). */
export function textTokens(text: string): string[] {
  const out: string[] = [];
  for (const word of text.match(WORD) ?? []) {
    for (const t of identifierSubTokens(word)) if (t.length > 1 || /[0-9]/.test(t)) out.push(t);
  }
  return out;
}
