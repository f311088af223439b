// Splits a model's markdown answer into fenced code blocks (with their language) and the explanation
// text around them. CommonMark fences: ``` or ~~~ (3 or more), up to 3 spaces of indent (taken off the
// block's lines too, as far as they have it: a fence inside a list item), closed by a fence of the same
// character at least as long. An unclosed fence (a cut-off answer) still yields its code, marked
// incomplete. A reasoning model's leading <think>…</think> (Ollama and llama.cpp put it in the content)
// is not part of the answer: its drafts are no code blocks, its musings no explanation.

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

const OPEN_FENCE = /^( {0,3})(`{3,}|~{3,})\s*([^`\s]*)[^`]*$/;

/** A reasoning model's thoughts at the start of its answer; unclosed, the answer ended while it still thought. */
const LEADING_THINK = /^\s*<think>[\s\S]*?(?:<\/think>|$)/;

export function parseAnswer(markdown: string): ParsedAnswer {
  const lines = markdown.replace(LEADING_THINK, '').split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  const prose: string[] = [];
  let open: { fence: string; indent: number; language: string; body: string[] } | undefined;
  for (const line of lines) {
    if (open) {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line);
      if (close?.[1] && close[1][0] === open.fence[0] && close[1].length >= open.fence.length) {
        blocks.push({ language: open.language, code: joinCode(open.body), complete: true });
        open = undefined;
      } else {
        open.body.push(withoutIndent(line, open.indent));
      }
      continue;
    }
    const m = OPEN_FENCE.exec(line);
    if (m?.[2]) {
      open = { fence: m[2], indent: m[1]?.length ?? 0, language: normaliseLanguage(m[3] ?? ''), body: [] };
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

/** The line without up to `indent` leading spaces (fewer when it has fewer: CommonMark's rule for an indented fence). */
function withoutIndent(line: string, indent: number): string {
  let i = 0;
  while (i < indent && line[i] === ' ') i++;
  return line.slice(i);
}

function joinCode(body: readonly string[]): string {
  return body.length === 0 ? '' : `${body.join('\n')}\n`;
}

const ALIASES: Readonly<Record<string, string>> = { ts: 'typescript', js: 'javascript', py: 'python', rs: 'rust', golang: 'go', sh: 'shell', bash: 'shell' };

function normaliseLanguage(info: string): string {
  const word = info.toLowerCase().replace(/^\{?\.?/, '').replace(/[},].*$/, '');
  return ALIASES[word] ?? word;
}

/**
 * Fence tags and VS Code language ids that name one language, by the family's name. A TypeScript file takes a block
 * tagged ts, tsx or typescript; a shell block is never TypeScript.
 */
const LANGUAGE_FAMILIES: Readonly<Record<string, readonly string[]>> = {
  typescript: ['typescript', 'typescriptreact', 'ts', 'tsx', 'mts', 'cts'],
  javascript: ['javascript', 'javascriptreact', 'js', 'jsx', 'mjs', 'cjs', 'node'],
  python: ['python', 'py', 'python3', 'py3'],
  shell: ['shellscript', 'shell', 'sh', 'bash', 'zsh'],
  csharp: ['csharp', 'cs', 'c#'],
  cpp: ['cpp', 'c++', 'cc', 'cxx', 'hpp'],
  ruby: ['ruby', 'rb'],
  rust: ['rust', 'rs'],
  go: ['go', 'golang'],
  kotlin: ['kotlin', 'kt', 'kts'],
  yaml: ['yaml', 'yml'],
  markdown: ['markdown', 'md'],
  powershell: ['powershell', 'ps1', 'pwsh'],
  objectivec: ['objective-c', 'objc'],
  dockerfile: ['dockerfile', 'docker'],
};

const FAMILY_OF: ReadonlyMap<string, string> = new Map(Object.entries(LANGUAGE_FAMILIES).flatMap(([family, names]) => names.map((n) => [n, family] as const)));

/** Fence tags that name no language: such a block is taken to be in the file's. */
const UNTAGGED = new Set(['', 'text', 'plaintext', 'txt']);

/** Whether a code block's language (as parseAnswer gives it) fits a document's VS Code language id. Untagged fits any. */
export function blockFitsLanguage(blockLanguage: string, languageId: string): boolean {
  if (UNTAGGED.has(blockLanguage)) return true;
  const id = languageId.toLowerCase();
  return (FAMILY_OF.get(blockLanguage) ?? blockLanguage) === (FAMILY_OF.get(id) ?? id);
}
