// Which lines of generated code start inside a string or a comment begun on a line before them, as the context engine's
// lexer reads the language: such a line is text, not code — its indentation is no level of the code, and re-indenting
// a string's line changes the string's value.
import { IntBuffer } from '../context/intBuffer';
import type { ParsedLanguage } from '../context/languages';
import { lexWords } from '../context/sourceLexer';
import { languageFamily } from './codeBlocks';

/** The VS Code language families whose comments and strings the context engine's lexer reads (lexWords), as it names them. */
export const LEXED_FAMILIES: ReadonlyMap<string, ParsedLanguage> = new Map<string, ParsedLanguage>([
  ['typescript', 'typescript'],
  ['javascript', 'javascript'],
  ['python', 'python'],
  ['go', 'go'],
  ['rust', 'rust'],
  ['java', 'java'],
]);

/** Whether the context engine's lexer reads `languageId` (VS Code's): only then does text before some code tell anything. */
export function isLexedLanguage(languageId: string | undefined): boolean {
  return languageId !== undefined && LEXED_FAMILIES.has(languageFamily(languageId));
}

/**
 * Where `text`'s comments and strings are, as the context engine's lexer reads `languageId` (VS Code's): offsets
 * `[from, to, from, to, …]` in text order; undefined for a language of no LEXED_FAMILIES family (not read).
 */
export function commentAndStringSpans(text: string, languageId: string | undefined): readonly number[] | undefined {
  const lexed = languageId === undefined ? undefined : LEXED_FAMILIES.get(languageFamily(languageId));
  if (lexed === undefined) return undefined;
  const spans: number[] = [];
  lexWords(text, lexed, new IntBuffer(64), spans);
  return spans;
}

/**
 * The family (languageFamily) of the language `languageId` (VS Code's) names; undefined where no id is given. VS Code's
 * `plaintext` (a file of no language it knows: notes, a log, a script without an extension) is a family of its own,
 * in none of the lists below: its lines are most often prose, where `see logs/* for details` opens no comment to the
 * end of the file (hiding every bracket after it), `--verbose` is no comment and `@"` or `R"(` no string — only the
 * line comments every reader takes, `#` and `//`, count there.
 */
function namedFamily(languageId: string | undefined): string | undefined {
  return languageId === undefined ? undefined : languageFamily(languageId);
}

/**
 * Where `text`'s comments and strings are in any language (`languageId`, VS Code's; undefined: not known; `plaintext`:
 * line comments only, namedFamily), offsets `[from, to, from, to, …]` in text order: as the context engine's lexer
 * reads them in a language it knows (commentAndStringSpans), else as C-like languages write them (cLikeSpans) — one
 * reading for every reader of code the lexer does not know, so that a line's brackets are the same ones wherever they
 * are counted.
 */
export function commentAndStringSpansInAnyLanguage(text: string, languageId: string | undefined): readonly number[] {
  const family = namedFamily(languageId);
  return (
    commentAndStringSpans(text, languageId) ??
    cLikeSpans(text, {
      hashComments: family === undefined || !HASH_IS_CODE.has(family),
      hashAttributes: family === 'php',
      blockComments: family === undefined || BLOCK_COMMENTS.has(family),
      markupComments: family === undefined || MARKUP_COMMENTS.has(family),
      verbatimStrings: family === undefined || family === 'csharp',
      rawStrings: family === undefined || RAW_STRINGS.has(family),
      apostrophes: family !== undefined && WORD_APOSTROPHES.has(family),
    })
  );
}

/**
 * Whether a line (trimmed) is a comment from its start in `languageId` (VS Code's; undefined: not known, any comment
 * counts; `plaintext`: `#` and `//` only, namedFamily): `//` or `/* … *\/` where commentAndStringSpansInAnyLanguage
 * reads one there, `#` where it is no code (HASH_IS_CODE: C's `#include`, TypeScript's `#count = 0` are code; PHP's
 * `#[Route("/x")]`), `--` only in a language whose comments start so (DASH_COMMENTS: elsewhere `--count;` is code),
 * `<!--` in any (no code starts so).
 */
export function startsAsComment(line: string, languageId: string | undefined): boolean {
  if (line.startsWith('<!--')) return true;
  const family = namedFamily(languageId);
  if (line.startsWith('--')) return family === undefined || DASH_COMMENTS.has(family);
  if (!/^(?:\/\/|\/\*|#)/.test(line)) return false;
  return commentAndStringSpansInAnyLanguage(line, languageId)[0] === 0;
}

/** Language families (languageFamily) whose line comments start `--`: SQL, Lua, Haskell and their kin. */
const DASH_COMMENTS: ReadonlySet<string> = new Set(['sql', 'lua', 'haskell', 'elm', 'purescript', 'ada', 'vhdl', 'applescript']);

/** C and the languages built on it (languageFamily): `#` is code there, `/* … *\/` a comment. */
const C_FAMILY = ['c', 'cpp', 'cuda-cpp', 'objectivec', 'objective-cpp', 'csharp'] as const;

/**
 * Language families (languageFamily) the lexer does not read in which `#` is code, not a comment: the C family's
 * preprocessor lines and C#'s `#region`, Visual Basic's `#If DEBUG Then` and `#Region`, Swift's `#available`, CSS's
 * `#id {`, Lua's `#list`, Clojure's `#(`, Racket's `#lang racket`… (PHP's `# note` is a comment, its 8's attribute
 * `#[Route("/x")]` code: CLikeForms's hashAttributes.) Everywhere else — a shell, Ruby, Perl, YAML, GDScript, MySQL, nginx, a language not named — `#` at a line's start or after white
 * space starts a comment (a list of those would miss many: a comment's brackets would then be counted).
 */
const HASH_IS_CODE: ReadonlySet<string> = new Set([
  ...C_FAMILY,
  'fsharp',
  'swift',
  'haskell',
  'ocaml',
  'clojure',
  'racket',
  'vb',
  'lua',
  'css',
  'scss',
  'less',
  'stylus',
  'html',
  'vue',
  'svelte',
  'markdown',
  'json',
  'hlsl',
  'glsl',
  'shaderlab',
  'verilog',
  'systemverilog',
]);

/**
 * The language families (languageFamily) the lexer does not read whose `/* … *\/` is a comment. Elsewhere it is code:
 * a shell's `rm -f "$d"/*`, a Makefile's `$(wildcard src/*.c)` — read as a comment never closed, the rest of the text
 * would hold no brackets.
 */
const BLOCK_COMMENTS: ReadonlySet<string> = new Set([
  ...C_FAMILY,
  'kotlin',
  'swift',
  'scala',
  'dart',
  'php',
  'groovy',
  'd',
  'css',
  'scss',
  'less',
  'stylus',
  'sql',
  'json',
  'terraform',
  'hlsl',
  'glsl',
  'shaderlab',
  'proto',
  'solidity',
  'haxe',
  'verilog',
  'systemverilog',
  'vue',
  'svelte',
]);

/**
 * The language families (languageFamily) of markup, whose `<!-- … -->` is a comment over as many lines as it takes:
 * HTML (and VS Code's `vue-html`), XML (SVG, XSLT), the templates of Vue, Svelte and Astro, and Markdown's HTML comments.
 * (Vue's and Svelte's `<script>` and `<style>` are read as the rest of the file is, `//` and `/* … *\/` besides.)
 * Elsewhere `<!--` is code or text: read as a comment never closed, it would hide the rest of the file. (Where no
 * language is named it is read as a comment, as every other form is.)
 */
const MARKUP_COMMENTS: ReadonlySet<string> = new Set(['html', 'xml', 'vue', 'svelte', 'astro', 'markdown']);

/**
 * The language families (languageFamily) of prose — documentation, markup, a commit message, `plaintext` —, whose
 * brackets need not pair: a fix's block that opens or closes more of a kind than the lines it replaces is not refused
 * there for that alone (fixPromptBuilder's fixFromAnswer).
 */
export const PROSE_FAMILIES: ReadonlySet<string> = new Set(['markdown', 'mdx', 'plaintext', 'latex', 'restructuredtext', 'html', 'asciidoc', 'git-commit']);

/**
 * PROSE_FAMILIES and YAML (whose plain values are text: `name: Build (don't cache)`), where a `'` between two letters is
 * a word's (`don't`), no quote: read as one, it would hide the brackets after it to the line's end.
 */
const WORD_APOSTROPHES: ReadonlySet<string> = new Set([...PROSE_FAMILIES, 'yaml']);

/** Families (languageFamily) with C++'s raw strings, `R"x(…)x"`. */
const RAW_STRINGS: ReadonlySet<string> = new Set(['cpp', 'cuda-cpp', 'objective-cpp']);

/** Which of cLikeSpans's forms a language writes (the others are read as the plain characters they are there). */
interface CLikeForms {
  /** `#` at a line's start or after white space starts a line comment. */
  readonly hashComments: boolean;
  /** `#[` starts an attribute, code (PHP 8's `#[Route("/x")]`), where `#` otherwise starts a comment. */
  readonly hashAttributes: boolean;
  /** `/* … *\/` is a comment. */
  readonly blockComments: boolean;
  /** `<!-- … -->` is a comment (MARKUP_COMMENTS). */
  readonly markupComments: boolean;
  /** C#'s verbatim `@"…"` (no escapes; `""` a quote): elsewhere `@"` is `@` and a string, Objective-C's `@"a \"b\""`. */
  readonly verbatimStrings: boolean;
  /** C++'s raw `R"x(…)x"`. */
  readonly rawStrings: boolean;
  /** A `'` between two letters is a word's apostrophe (`don't`), no quote (WORD_APOSTROPHES). */
  readonly apostrophes: boolean;
}

/** A letter of any script (a word's, around an apostrophe: cLikeSpans). */
const LETTER = /^\p{L}$/u;

/** A C++ raw string's start, `R"x(` (or `u8R"(`, `LR"(`…): its delimiter. */
const RAW_STRING = /(?:u8|[uUL])?R"([^()\\\s"]{0,16})\(/y;
/** A C# verbatim string's start: `@"`, `$@"`, `@$"`. */
const VERBATIM_STRING = /\$?@\$?"/y;

/**
 * Where `text`'s comments and strings are as C-like languages write them, for those the lexer does not know (C, C++,
 * C#, Kotlin, PHP, Swift, Scala, Dart, a shell…): `/* … *\/` over as many lines as it takes (where `blockComments`: a
 * language writing them, BLOCK_COMMENTS) and so `<!-- … -->` where `markupComments` (MARKUP_COMMENTS), `//` — or,
 * where `hashComments` (not HASH_IS_CODE), `#` at a line's start or after white space (`this.#count = {`, `$#` are code; PHP's `#[` where `hashAttributes`) — to the line's end; strings in quotes (`"`, `'`, `` ` ``, a
 * backslash escaping the next character; where `apostrophes`, no `'` between two letters) to their quote or the line's end, and those that may go on over lines to
 * their end: `"""…"""` and `'''…'''` (Kotlin, Swift, Scala, Dart), and where the language writes them (CLikeForms) C#'s
 * verbatim `@"…"` (`""` a quote in it) and C++'s raw `R"x(…)x"`. Offsets `[from, to, …]` as commentAndStringSpans gives
 * them.
 */
function cLikeSpans(text: string, { hashComments, hashAttributes, blockComments, markupComments, verbatimStrings, rawStrings, apostrophes }: CLikeForms): number[] {
  const spans: number[] = [];
  // (Past the first `end` from `from`, or to the text's end when it is not there.)
  const past = (end: string, from: number): number => {
    const at = text.indexOf(end, from);
    return at < 0 ? text.length : at + end.length;
  };
  // (A string's start of the form `re` matches at `at`: its match, or null.)
  const startAt = (re: RegExp, at: number): RegExpExecArray | null => {
    re.lastIndex = at;
    return re.exec(text);
  };
  let i = 0;
  while (i < text.length) {
    const from = i;
    const ch = text.charAt(i);
    const raw = rawStrings && 'uULR'.includes(ch) && (i === 0 || !/\w/.test(text.charAt(i - 1))) ? startAt(RAW_STRING, i) : null;
    const verbatim = verbatimStrings && (ch === '@' || ch === '$') ? startAt(VERBATIM_STRING, i) : null;
    if (blockComments && text.startsWith('/*', i)) i = past('*/', i + 2);
    else if (markupComments && text.startsWith('<!--', i)) i = past('-->', i + 4);
    else if (text.startsWith('//', i) || (hashComments && ch === '#' && (i === 0 || /\s/.test(text.charAt(i - 1))) && !(hashAttributes && text.charAt(i + 1) === '['))) {
      const lineEnd = text.indexOf('\n', i);
      i = lineEnd < 0 ? text.length : lineEnd;
    } else if (text.startsWith('"""', i) || text.startsWith("'''", i)) i = past(text.slice(i, i + 3), i + 3);
    else if (raw !== null) i = past(`)${raw[1] ?? ''}"`, i + raw[0].length);
    else if (verbatim !== null) {
      i += verbatim[0].length;
      while (i < text.length && !(text.charAt(i) === '"' && text.charAt(i + 1) !== '"')) i += text.charAt(i) === '"' ? 2 : 1;
      i = Math.min(i + 1, text.length);
    } else if (ch === '"' || (ch === "'" && !(apostrophes && LETTER.test(text.charAt(i - 1)) && LETTER.test(text.charAt(i + 1)))) || ch === '`') {
      i++;
      while (i < text.length && text.charAt(i) !== ch && text.charAt(i) !== '\n') i += text.charAt(i) === '\\' ? 2 : 1;
      i = Math.min(text.charAt(i) === ch ? i + 1 : i, text.length);
    } else {
      i++;
      continue;
    }
    spans.push(from, i);
  }
  return spans;
}

/**
 * A line that starts inside a string or comment (`kind`) opened on an earlier line, `opener` (0-based; -1: opened in
 * the text before the lines), and whether it is closed before the end of the text (`closed`: the lines and the
 * document's text after them, when given) — one never closed is a quote typed mid-edit, whose lines are no one's.
 */
export interface ContinuedLine {
  readonly kind: 'string' | 'comment';
  readonly opener: number;
  readonly closed: boolean;
}

/**
 * Where the lexer reads `lines`' comments and strings (commentAndStringSpans) when they come after `before` (the
 * document's text before them: a window of a file may start inside a docstring or a template literal, whose closing
 * quote read from the window's start would open a string) and before `after` (the document's text after them: where
 * a string they open is closed): the spans `[from, to, …]` reaching into the lines, as offsets from the lines' start
 * (one begun in `before` from below 0), each one's first two characters (`heads`: a comment's `//`, `#`…), where each
 * line starts, and the offset a span never closed ends at (`end`); undefined for a language not read.
 */
function spansOfLines(
  lines: readonly string[],
  languageId: string | undefined,
  before: string,
  after = '',
): { readonly spans: readonly number[]; readonly heads: readonly string[]; readonly starts: readonly number[]; readonly end: number } | undefined {
  const joined = lines.join('\n');
  // (A line break last: a string closed by the text's last characters ends before its end, one never closed at it.)
  const whole = `${before}${joined}${after}\n`;
  const all = commentAndStringSpans(whole, languageId);
  if (all === undefined) return undefined;
  const spans: number[] = [];
  const heads: string[] = [];
  for (let k = 0; k + 1 < all.length; k += 2) {
    const from = all[k] ?? 0;
    const to = all[k + 1] ?? 0;
    if (to <= before.length || from >= before.length + joined.length) continue;
    spans.push(from - before.length, to - before.length);
    heads.push(whole.slice(from, from + 2));
  }
  const starts: number[] = [];
  let offset = 0;
  for (const line of lines) {
    starts.push(offset);
    offset += line.length + 1;
  }
  return { spans, heads, starts, end: whole.length - before.length };
}

/**
 * For each of `lines` (code's lines, joined by line breaks, after `before` and before `after`: the document's text
 * around them, if known), the string or comment its start is inside when that began on an earlier line — a Python
 * `"""…"""` string's lines, a TypeScript template literal's, a `/* … *\/` comment's, or one begun in `before` (opener
 * -1) —, else undefined. In a language the lexer does not know (`languageId`, VS Code's, of no LEXED_FAMILIES family),
 * every line is undefined: where its strings end cannot be told.
 */
export function continuedLines(lines: readonly string[], languageId: string | undefined, before = '', after = ''): (ContinuedLine | undefined)[] {
  const found: (ContinuedLine | undefined)[] = lines.map(() => undefined);
  const lexed = spansOfLines(lines, languageId, before, after);
  if (lexed === undefined) return found;
  const { spans: masks, heads, starts, end } = lexed;
  // (The masks come in text order: the line of each one's start is found going on from the last one's.)
  let opener = 0;
  for (let k = 0; k + 1 < masks.length; k += 2) {
    const from = masks[k] ?? 0;
    const to = masks[k + 1] ?? 0;
    while (opener + 1 < starts.length && (starts[opener + 1] ?? 0) <= from) opener++;
    const at = from < 0 ? -1 : opener;
    const kind = /^(?:\/\/|\/\*|#)/.test(heads[k / 2] ?? '') ? 'comment' : 'string';
    for (let line = at + 1; line < lines.length && (starts[line] ?? 0) < to; line++) found[line] = { kind, opener: at, closed: to < end };
  }
  return found;
}

/** A line that is a comment from its start: `//`, `#`, `--`, `/*`, a JSDoc line `* …` (not a decorator). */
export const COMMENT_START = /^(?:\/\/|#|--|\/\*|\*)/;

/**
 * For each of `lines`, whether it starts (its first character not white space) in a comment or a string — its own or
 * one begun on an earlier line: a line of text, not code. In a language the lexer reads (`languageId`, VS Code's) as
 * it reads it (`#items = {` is TypeScript code); in another, a line starting as a comment does (COMMENT_START), and a
 * string's lines cannot be told.
 */
export function textLines(lines: readonly string[], languageId: string | undefined, before = ''): boolean[] {
  const lexed = spansOfLines(lines, languageId, before);
  if (lexed === undefined) return lines.map((l) => COMMENT_START.test(l.trim()));
  const { spans: masks } = lexed;
  const found: boolean[] = [];
  let offset = 0;
  let k = 0;
  for (const line of lines) {
    const first = offset + (line.length - line.trimStart().length);
    // (Masks ending before this line's first character are behind it, and behind every line after it.)
    while (k + 1 < masks.length && (masks[k + 1] ?? 0) <= first) k += 2;
    found.push(line.trim() !== '' && k + 1 < masks.length && (masks[k] ?? 0) <= first);
    offset += line.length + 1;
  }
  return found;
}
