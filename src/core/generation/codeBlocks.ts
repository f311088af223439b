// Splits a model's markdown answer into fenced code blocks (with their language) and the explanation
// text around them. CommonMark fences: ``` or ~~~ (3 or more), up to 3 spaces of indent — more inside a list, where a
// nested item's content starts further in (taken off the block's lines too, as far as they have it) — closed by a fence
// of the same character at least as long, indented up to 3 spaces (in a list: more than the opening one). An unclosed fence (a cut-off answer) still yields its code, marked
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

/**
 * An opening fence and its info string. CommonMark forbids a backtick in a backtick fence's info string (such a line is
 * inline code), not in a tilde fence's (~~~js `title` opens a block). Each run of fence characters is followed by what
 * cannot continue it, so a line that fails does so without backtracking through it.
 */
const BACKTICK_OPEN_FENCE = /^( *)(`{3,})([^`]*)$/;
const TILDE_OPEN_FENCE = /^( *)(~{3,})(.*)$/s;
/** The info string's first word: the block's language as written. */
const INFO_WORD = /^\s*(\S*)/;
const CLOSE_FENCE = /^( *)(`{3,}|~{3,})\s*$/;
/** A list item's first line: a bullet (-, *, +) or a number (1. or 1)) and a space. */
const LIST_ITEM = /^ *(?:[-*+]|\d{1,9}[.)])(?: |$)/;

/** A reasoning model's thoughts at the start of its answer; unclosed, the answer ended while it still thought. */
const LEADING_THINK = /^\s*<think>[\s\S]*?(?:<\/think>|$)/;

export function parseAnswer(markdown: string): ParsedAnswer {
  const lines = markdown.replace(LEADING_THINK, '').split(/\r?\n/);
  const blocks: CodeBlock[] = [];
  const prose: string[] = [];
  let open: { fence: string; indent: number; language: string; body: string[]; closeIndent: number } | undefined;
  // Inside a list (from an item's line until a line of prose at the margin): a fence may be indented 4 or more, as a
  // nested item's is; elsewhere such a line is an indented code block's or a paragraph's, no fence.
  let inList = false;
  for (const line of lines) {
    if (open) {
      const close = CLOSE_FENCE.exec(line);
      const closeIndent = close?.[1]?.length ?? 0;
      if (close?.[2] && close[2][0] === open.fence[0] && close[2].length >= open.fence.length && closeIndent <= open.closeIndent) {
        blocks.push({ language: open.language, code: joinCode(open.body), complete: true });
        open = undefined;
      } else {
        open.body.push(withoutIndent(line, open.indent));
      }
      continue;
    }
    const m = BACKTICK_OPEN_FENCE.exec(line) ?? TILDE_OPEN_FENCE.exec(line);
    const indent = m?.[1]?.length ?? 0;
    if (m?.[2] && (indent <= 3 || inList)) {
      // Closed by a fence indented up to 3 spaces — in a list, past the item's content, taken to start at the opening's.
      const language = normaliseLanguage(INFO_WORD.exec(m[3] ?? '')?.[1] ?? '');
      open = { fence: m[2], indent, language, body: [], closeIndent: inList ? indent + 3 : 3 };
      continue;
    }
    if (LIST_ITEM.test(line)) inList = true;
    else if (/^\S/.test(line)) inList = false;
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

/**
 * Languages by the family's name, the one table of language names. `aliases`: fence tags parseAnswer reads as the
 * family's name (```ts is a "typescript" block). `kin`: other fence tags and VS Code language ids of the language,
 * kept as written (```tsx stays "tsx") but fitting the family's files (blockFitsLanguage): a TypeScript file takes a
 * block tagged ts, tsx or typescript; a shell block is never TypeScript.
 */
const LANGUAGE_FAMILIES: Readonly<Record<string, { readonly aliases?: readonly string[]; readonly kin?: readonly string[] }>> = {
  typescript: { aliases: ['ts'], kin: ['typescriptreact', 'tsx', 'mts', 'cts'] },
  javascript: { aliases: ['js'], kin: ['javascriptreact', 'jsx', 'mjs', 'cjs', 'node'] },
  python: { aliases: ['py'], kin: ['python3', 'py3', 'pyi', 'gyp'] },
  shell: { aliases: ['sh', 'bash'], kin: ['shellscript', 'shell-script', 'zsh', 'ksh'] },
  csharp: { kin: ['cs', 'c#'] },
  cpp: { kin: ['c++', 'cc', 'cxx', 'hpp', 'h++'] },
  'cuda-cpp': { kin: ['cuda', 'cu'] },
  c: {},
  d: { kin: ['dlang'] },
  pascal: { kin: ['delphi', 'objectpascal', 'pas'] },
  ruby: { kin: ['rb'] },
  rust: { aliases: ['rs'] },
  go: { aliases: ['golang'] },
  kotlin: { kin: ['kt', 'kts'] },
  // (JSON with comments, JSON5 and JSON Lines files take a block tagged json: a fix asked for in jsonc comes back as
  // json. VS Code's snippet files are JSON with comments under their own id.)
  json: { kin: ['jsonc', 'json5', 'jsonl', 'snippets'] },
  // (Compose files and GitHub workflows are YAML under their own VS Code language ids.)
  yaml: { kin: ['yml', 'dockercompose', 'github-actions-workflow'] },
  html: { kin: ['htm', 'xhtml', 'vue-html'] },
  xml: { kin: ['xsl', 'xslt', 'xsd', 'svg'] },
  markdown: { kin: ['md'] },
  powershell: { kin: ['ps1', 'psm1', 'psd1', 'pwsh'] },
  objectivec: { kin: ['objective-c', 'objc'] },
  'objective-cpp': { kin: ['objective-c++', 'objc++', 'objcpp'] },
  dockerfile: { kin: ['docker', 'containerfile'] },
  // VS Code's ids of the languages fence tags usually name otherwise: a Makefile ("makefile") takes ```make, a LaTeX
  // file ("latex", or "tex" for plain TeX) ```tex, a batch file ("bat") ```batch or ```cmd, a Gradle script (VS Code
  // reads it as "groovy") ```gradle.
  makefile: { kin: ['make', 'mk', 'mak', 'gnumake'] },
  latex: { kin: ['tex'] },
  bibtex: { kin: ['bib'] },
  bat: { kin: ['batch', 'cmd', 'dosbatch', 'batchfile'] },
  groovy: { kin: ['gradle'] },
  coffeescript: { kin: ['coffee'] },
  fsharp: { kin: ['f#', 'fs', 'fsx', 'fsi'] },
  vb: { kin: ['vbnet', 'vb.net', 'visualbasic'] },
  perl: { kin: ['pl', 'pm'] },
  raku: { kin: ['perl6', 'p6'] },
  haskell: { kin: ['hs'] },
  clojure: { kin: ['clj', 'cljs', 'cljc', 'edn'] },
  erlang: { kin: ['erl'] },
  julia: { kin: ['jl'] },
  ocaml: { kin: ['ml'] },
  r: { kin: ['rscript'] },
  pug: { kin: ['jade'] },
  razor: { kin: ['cshtml'] },
  handlebars: { kin: ['hbs'] },
  stylus: { kin: ['styl'] },
  diff: { kin: ['patch', 'udiff'] },
  restructuredtext: { kin: ['rst'] },
  ini: { kin: ['dosini', 'cfg'] },
  // (VS Code's id for .gitignore and its like.)
  ignore: { kin: ['gitignore', 'dockerignore', 'npmignore'] },
  sql: { kin: ['mysql', 'postgresql', 'postgres', 'pgsql', 'plsql', 'tsql', 'sqlite'] },
  // Not built in: the ids of HashiCorp's extension ("terraform", "terraform-vars" for .tfvars, "hcl"), whose files
  // models answer as ```hcl or ```tf.
  terraform: { kin: ['hcl', 'tf', 'tfvars', 'terraform-vars'] },
  elixir: { kin: ['ex', 'exs'] },
  'git-commit': { kin: ['gitcommit', 'commit'] },
  'git-rebase': { kin: ['gitrebase'] },
};

const families = Object.entries(LANGUAGE_FAMILIES);

/** Fence tag → the family name parseAnswer gives such a block. */
const ALIASES: ReadonlyMap<string, string> = new Map(families.flatMap(([family, { aliases = [] }]) => aliases.map((a) => [a, family] as const)));

/** Any name of a language (family name, alias, kin) → its family's name. */
const FAMILY_OF: ReadonlyMap<string, string> = new Map(families.flatMap(([family, { aliases = [], kin = [] }]) => [family, ...aliases, ...kin].map((n) => [n, family] as const)));

/** The language a fence's info word names: ```{.ts}, ```ts,title and ```ts:src/a.ts (a file name after the colon) are ts. */
function normaliseLanguage(info: string): string {
  const word = info.toLowerCase().replace(/^\{?\.?/, '').replace(/[},:].*$/, '');
  return ALIASES.get(word) ?? word;
}

/**
 * Fence tags of a file kind several languages share, each fitting the files of all of them: ```h, a header — VS Code
 * opens a .h file as C++ (`cpp`) unless files.associations say C, Objective-C or CUDA (a CUDA project's headers), so as
 * C's alone it fitted no header opened by default.
 */
const SHARED_TAGS: ReadonlyMap<string, readonly string[]> = new Map([['h', ['c', 'cpp', 'cuda-cpp', 'objectivec', 'objective-cpp']]]);

/** Fence tags that name no language: such a block is taken to be in the file's. */
const UNTAGGED = new Set(['', 'text', 'plaintext', 'txt']);

/** Whether a code block's language (as parseAnswer gives it) fits a document's VS Code language id. Untagged fits any. */
export function blockFitsLanguage(blockLanguage: string, languageId: string): boolean {
  if (UNTAGGED.has(blockLanguage)) return true;
  const family = languageFamily(languageId);
  return SHARED_TAGS.get(blockLanguage.toLowerCase())?.includes(family) ?? languageFamily(blockLanguage) === family;
}

/** The family a language name (a fence tag, a VS Code language id) belongs to: "typescriptreact" → "typescript". */
export function languageFamily(name: string): string {
  const id = name.toLowerCase();
  return FAMILY_OF.get(id) ?? id;
}
