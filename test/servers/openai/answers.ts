// Deterministic answers for the OpenAI-compatible contract server: derived from the last user message so
// tests can assert on what comes back (the function name asked for is echoed inside a fenced code block).

export interface CannedAnswer {
  /** The function name echoed in the code block. */
  name: string;
  language: 'typescript' | 'python';
  text: string;
}

const IDENT = '[A-Za-z_$][\\w$]*';

/**
 * Picks the subject of a prompt: `function foo`, `named foo`/`called foo`, or the first `backticked`
 * identifier — looked for in the task (after the last "## Task" heading, when workspace context precedes it).
 */
export function subjectName(prompt: string): string {
  const task = prompt.slice(Math.max(0, prompt.lastIndexOf('## Task')));
  const patterns = [new RegExp(`\\bfunction\\s+(${IDENT})`), new RegExp(`\\b(?:named|called)\\s+\`?(${IDENT})`), new RegExp(`\`(${IDENT})\``)];
  for (const p of patterns) {
    const m = p.exec(task);
    if (m?.[1]) return m[1];
  }
  return 'generatedFunction';
}

/** A task containing this marker is answered with HOSTILE_ANSWER (for tests that render model output). */
export const HOSTILE_MARKER = 'HOSTILE-MARKUP';

/**
 * What a malicious or confused model might send: raw script, event-handler and iframe markup, javascript:
 * links in markdown and in HTML, markup that tries to break out of a code block, and one very long line.
 * Every payload would set `window.__contextenPwned` if it ever ran. One safe https link is included, so a
 * renderer that drops all links is told apart from one that drops only the unsafe ones.
 */
export const HOSTILE_ANSWER = [
  'Hostile answer <script>window.__contextenPwned = "script"</script> ends here.',
  '',
  '<img src="x" onerror="window.__contextenPwned = \'img\'"> <iframe src="javascript:window.__contextenPwned = \'iframe\'"></iframe>',
  '',
  "[markdown link](javascript:window.__contextenPwned='md-link') and <a href=\"javascript:window.__contextenPwned='a'\">raw link</a> and [safe link](https://example.com/docs).",
  '',
  '```typescript',
  'const payload = "</code></pre><script>window.__contextenPwned = \'code\'</script>";',
  '```',
  '',
  'A very long line follows.',
  '',
  'x'.repeat(20_000),
].join('\n');

export function cannedAnswer(prompt: string, model: string): CannedAnswer {
  if (prompt.slice(Math.max(0, prompt.lastIndexOf('## Task'))).includes(HOSTILE_MARKER)) return { name: 'payload', language: 'typescript', text: HOSTILE_ANSWER };
  const name = subjectName(prompt);
  const language = /\bpython\b/i.test(prompt) ? 'python' : 'typescript';
  // The em dash is multi-byte in UTF-8, so splitting the stream at arbitrary bytes exercises decoding.
  const code =
    language === 'python'
      ? `def ${name}(value: str) -> str:\n    return value.strip()\n`
      : `export function ${name}(value: string): string {\n  return value.trim();\n}\n`;
  const text = `Here is \`${name}\` — written by ${model}.\n\n\`\`\`${language}\n${code}\`\`\`\n\nIt returns its input without surrounding whitespace.`;
  return { name, language, text };
}

/** Splits text into stream pieces of about `size` characters (never splitting a surrogate pair). */
export function splitIntoPieces(text: string, size = 12): string[] {
  const chars = Array.from(text);
  const out: string[] = [];
  for (let i = 0; i < chars.length; i += size) out.push(chars.slice(i, i + size).join(''));
  return out;
}
