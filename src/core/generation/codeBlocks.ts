// Splits a model's markdown answer into fenced code blocks (with their language) and the explanation
// text around them. CommonMark fences: ``` or ~~~ (3 or more), up to 3 spaces of indent, closed by a
// fence of the same character at least as long. An unclosed fence (a cut-off answer) still yields its
// code, marked incomplete.

export interface CodeBlock {
  /** The fence's info word, lower case (e.g. "typescript"); "" when the fence names none. */
  readonly language: string;
  readonly code: string;
  /** False when the answer ended before the closing fence. */
  readonly complete: boolean;
}

export interface ParsedAnswer {
  readonly codeBlocks: readonly CodeBlock[];
  /** The answer without its code blocks, blank-line runs collapsed, trimmed. */
  readonly explanation: string;
}

const OPEN_FENCE = /^ {0,3}(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;

export function parseAnswer(markdown: string): ParsedAnswer {
  const lines = markdown.split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  const prose: string[] = [];
  let open: { fence: string; language: string; body: string[] } | undefined;
  for (const line of lines) {
    if (open) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close?.[1] && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
        blocks.push({ language: open.language, code: joinCode(open.body), complete: true });
        open = undefined;
      } else {
        open.body.push(line);
      }
      continue;
    }
    const m = OPEN_FENCE.exec(line);
    if (m?.[1]) {
      open = { fence: m[1], language: normaliseLanguage(m[2] ?? ''), body: [] };
      continue;
    }
    prose.push(line);
  }
  if (open) {
    // The answer's final newline leaves an empty last "line" that is not part of the code.
    if (open.body.at(-1) === '') open.body.pop();
    blocks.push({ language: open.language, code: joinCode(open.body), complete: false });
  }
  const explanation = prose
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
  return { codeBlocks: blocks, explanation };
}

function joinCode(body: readonly string[]): string {
  return body.length === 0 ? '' : `${body.join('\n')}\n`;
}

const ALIASES: Readonly<Record<string, string>> = { ts: 'typescript', js: 'javascript', py: 'python', rs: 'rust', golang: 'go', sh: 'shell', bash: 'shell' };

function normaliseLanguage(info: string): string {
  const word = info.toLowerCase().replace(/^\{?\.?/, '').replace(/[},].*$/, '');
  return ALIASES[word] ?? word;
}
