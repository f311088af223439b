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

export function cannedAnswer(prompt: string, model: string): CannedAnswer {
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
