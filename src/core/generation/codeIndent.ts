// Generated code fitted to where it goes: the model indents its code from column 1, with its own kind of indentation.
import { commentAndStringSpansInAnyLanguage, continuedLines, isLexedLanguage } from './lexedLines';

/** How a document's lines end (VS Code's EndOfLine: LF or CRLF). */
export type LineEnd = '\n' | '\r\n';

/**
 * Text with its lines ending as a document's: models write LF, and code put into a CRLF document as it came would have
 * lines of both kinds (a diff of lines that only differ there, a fix that leaves the lines as they are not seen as one).
 */
export function withLineEnds(text: string, eol: LineEnd): string {
  return text.replace(/\r?\n/g, eol);
}

/** How the editor indents: its options insertSpaces and tabSize. */
export interface IndentStyle {
  readonly insertSpaces: boolean;
  readonly tabSize: number;
}

/**
 * `code` as it goes after `before` (the text of the line before the edit): each line after the first starts with the
 * line's indentation — `before` itself when it is all whitespace (the cursor in or at the end of the indentation), else
 * the line's leading whitespace — as VS Code indents a snippet; the first line has it already. The code is made
 * relative first (relativeLines): a model that copies the lines where they are in the file, 4 spaces more on each, would
 * otherwise be indented twice. At column 1 (`before` empty) the code goes in as the model indented it: the line has no
 * indentation to give it, and the model's may be the file's — but code in place of lines (`replaced`, whole lines: a
 * Fix with Context window, a selection of whole lines) gets back the indentation the model left off them (asReplaced: a
 * method of a Python class given from column 1 would break the class). The code's own leading indentation is the
 * editor's kind: tabs become `tabSize` spaces, or, where the editor indents with tabs, each level of the code's spaces
 * (its smallest indentation of spaces) a tab. Blank lines get no indentation, and a string's lines of text none either
 * (verbatimLines: a Python `"""` string's lines at column 1 are its value). `languageId` (the document's, VS Code's
 * id) says what a comment is on the code's first line (codeOf), whose brackets relativeLines reads, and where the
 * code's strings are — read after `documentBefore`, the document's text before the code's place when known (code that
 * starts inside a docstring or template literal begun above it: its closing quote opens nothing).
 */
export function indentForInsertion(code: string, before: string, style: IndentStyle | undefined, replaced = '', languageId?: string, documentBefore = ''): string {
  const lineIndent = /^\s*$/.test(before) ? before : (/^\s*/.exec(before)?.[0] ?? '');
  const tabSize = style?.tabSize ?? DEFAULT_TAB_SIZE;
  const codeLines = code.split('\n');
  const text = verbatimLines(codeLines, languageId, tabSize, documentBefore);
  const lines = before === '' ? asReplaced(codeLines, replaced, tabSize, text) : relativeLines(codeLines, lineIndent, tabSize, replaced, languageId, text);
  const unit = style && !style.insertSpaces ? spacesUnit(lines.filter((_, i) => !text[i])) : undefined;
  return lines
    .map((line, i) => {
      if (text[i]) return line;
      const own = style ? convertIndent(line, style, unit) : line;
      return i === 0 || own.trim() === '' ? own : lineIndent + own;
    })
    .join('\n');
}

/** The columns a tab takes where no editor says (a request's target without an editor: Fix with Context's). */
const DEFAULT_TAB_SIZE = 4;

/**
 * Which of the code's lines are a string's text, kept exactly as the model wrote them: the lines of a multi-line string
 * (continuedLines: a Python `"""…"""`, a TypeScript template literal, in a language the lexer reads) that has a line
 * less indented than the line opening it — `sql = """` then `SELECT *` from column 1: text whose value re-indenting
 * would change. A string whose lines are all indented at least as its opener (a docstring's) moves with the code, and so
 * does one opened before the code (in `documentBefore`, the document's text before it): its opener's indentation is not
 * the code's to compare with.
 */
function verbatimLines(lines: readonly string[], languageId: string | undefined, tabSize: number, documentBefore: string): boolean[] {
  const continued = continuedLines(lines, languageId, documentBefore);
  const flushLeft = new Set<number>();
  for (const [i, c] of continued.entries()) {
    const line = lines[i] ?? '';
    if (c?.kind === 'string' && c.opener >= 0 && line.trim() !== '' && columnsOf(line, tabSize) < columnsOf(lines[c.opener] ?? '', tabSize)) flushLeft.add(c.opener);
  }
  return continued.map((c) => c?.kind === 'string' && flushLeft.has(c.opener));
}

/**
 * Code that replaces whole lines (`replaced`), from column 1, with the indentation the model left off them given back:
 * asked to keep the lines' indentation, a model may still answer a method of a class, or a function's body, from column
 * 1. What it left off is told by the code's outermost lines (those at its smallest indentation: fittedBase), not by the
 * lines deeper in: a model indenting by 2 where the file indents by 4 loses more on each level down. Each line gets
 * that much more, the code's own levels kept, in the kind of indentation the replaced lines have (tabs in a Go
 * function, spaces in a Python class: the code's spaces, a level each, become tabs there, and its tabs `tabSize` spaces
 * in spaces). Code indented as the lines already (a line moved out: an indentation fix) is as it was, and so are a
 * string's lines of text (`text`: verbatimLines).
 */
function asReplaced(lines: readonly string[], replaced: string, tabSize: number, text: readonly boolean[]): string[] {
  const old = replaced.split('\n').filter((l) => l.trim() !== '');
  const tabs = old.map((l) => /^[ \t]/.exec(l)?.[0]).find((c) => c !== undefined);
  const code = lines.filter((l, i) => !text[i] && l.trim() !== '');
  if (tabs === undefined || code.length === 0) return [...lines];
  const kind = { insertSpaces: tabs === ' ', tabSize };
  const unit = tabs === '\t' ? spacesUnit(code) : undefined;
  const own = lines.map((l, i) => (text[i] ? l : convertIndent(l, kind, unit)));
  const shift = leftOff(
    own.filter((l, i) => !text[i] && l.trim() !== ''),
    old,
    tabSize,
  );
  if (shift <= 0) return [...lines];
  const prefix = kind.insertSpaces ? ' '.repeat(shift) : '\t'.repeat(Math.floor(shift / tabSize)) + ' '.repeat(shift % tabSize);
  return own.map((l, i) => (text[i] || l.trim() === '' ? l : prefix + l));
}

/**
 * The columns of indentation code (its lines with text, but a string's text) lost against the lines it replaces
 * (`old`, those with text): asReplaced. Told by the code's outermost lines (at its smallest indentation), each of them
 * that is one of the lines as it was (the same text, with a word: a lone `}` may close any block) counting: the columns
 * more than half of them lost (none agreeing: 0, nothing told); else its first outermost line like one of the lines (a
 * header with a type added: half its words and more the same) and that line's indentation; else the columns the lines
 * given back as they were deeper in all lost; else those the code's first line lost against the lines' first.
 */
function leftOff(code: readonly string[], old: readonly string[], tabSize: number): number {
  const at = new Map<string, number[]>();
  for (const l of old) at.set(l.trim(), [...(at.get(l.trim()) ?? []), columnsOf(l, tabSize)]);
  const least = Math.min(...code.map((l) => columnsOf(l, tabSize)));
  const outer: number[] = [];
  const deeper = new Set<number>();
  for (const l of code) {
    if (!/\w/.test(l)) continue;
    const was = at.get(l.trim())?.shift();
    if (was === undefined) continue;
    const columns = was - columnsOf(l, tabSize);
    if (columnsOf(l, tabSize) === least) outer.push(columns);
    else deeper.add(columns);
  }
  if (outer.length > 0) {
    const [columns, n] = mostCommon(outer);
    return 2 * n > outer.length ? columns : 0;
  }
  for (const l of code) {
    if (columnsOf(l, tabSize) !== least) continue;
    const words = wordsOf(l);
    const like = old.filter((o) => wordOverlap(words, wordsOf(o)) >= 1 / 2);
    if (like[0] !== undefined) return columnsOf(like[0], tabSize) - least;
  }
  const [only] = deeper;
  if (deeper.size === 1 && only !== undefined) return only;
  return columnsOf(old[0] ?? '', tabSize) - columnsOf(code[0] ?? '', tabSize);
}

/** The value most often in `values` (of as many, the first) and how often it is there. */
function mostCommon(values: readonly number[]): [number, number] {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: [number, number] = [values[0] ?? 0, 0];
  for (const [v, n] of counts) if (n > best[1]) best = [v, n];
  return best;
}

/** A line's words (runs of letters, digits, `_` and `$`). */
export function wordsOf(line: string): ReadonlySet<string> {
  return new Set(line.match(/[\w$]+/g) ?? []);
}

/** How alike two lines' words are, 0 to 1 (Dice's coefficient). */
export function wordOverlap(a: ReadonlySet<string>, b: ReadonlySet<string>): number {
  if (a.size + b.size === 0) return 0;
  let shared = 0;
  for (const w of a) if (b.has(w)) shared++;
  return (2 * shared) / (a.size + b.size);
}

/**
 * The code's lines indented relative to its first, as they go after the cursor: the indentation all its lines (not
 * blank) have in common taken off, counted in columns (a tab `tabSize` of them, so lines in tabs and lines in spaces
 * lose the same). A first line at column 1 with the rest indented as in the file — the model started at the cursor but
 * copied the other lines where they are — has the rest lose the indentation the first line lost: that of the closing
 * bracket of the first line's opener (closesFirstLine: `m() {` … `    }`, the closer at its opener's place), else the
 * line's own indentation when every other line has it and more (`def f(self):`, then its body 8 deep at a cursor 4
 * deep), or has it and the replaced text is written so too (a selection made from `def`, echoed) — not a continuation
 * lined up after an open bracket of the first line (`compute(alpha,` then `beta)` under `alpha`: its column is the
 * code's own). Other lines one level deep are the code's own levels, indented as the line. A string's lines of text
 * (`text`: verbatimLines) are neither counted nor changed.
 */
function relativeLines(lines: readonly string[], lineIndent: string, tabSize: number, replaced: string, languageId: string | undefined, text: readonly boolean[]): string[] {
  const filled = lines.filter((l, i) => !text[i] && l.trim() !== '');
  if (filled.length === 0) return [...lines];
  const common = Math.min(...filled.map((l) => columnsOf(l, tabSize)));
  if (common > 0) return lines.map((l, i) => (text[i] ? l : dropColumns(l, common, tabSize)));
  const [first = '', ...rest] = lines;
  const restFilled = rest.filter((l, i) => !text[i + 1] && l.trim() !== '');
  if (first.trim() === '' || restFilled.length === 0) return [...lines];
  const restCommon = Math.min(...restFilled.map((l) => columnsOf(l, tabSize)));
  const lineColumns = columnsOf(lineIndent, tabSize);
  const lost =
    restCommon > 0 && closesFirstLine(first, restFilled, restCommon, tabSize, languageId)
      ? restCommon
      : lineColumns > 0 &&
          restCommon >= lineColumns &&
          (restCommon > lineColumns || carriesIndent(replaced, lineIndent)) &&
          !openColumns(first, tabSize, languageId).includes(columnsOf(restFilled[0] ?? '', tabSize))
        ? lineColumns
        : 0;
  return lost === 0 ? [...lines] : [first, ...rest.map((l, i) => (text[i + 1] ? l : dropColumns(l, lost, tabSize)))];
}

/**
 * Whether the code's last line closes the bracket its first line ends with (a comment after it aside: `m() { // fix`),
 * at the rest's smallest indentation
 * (`restCommon`) below deeper lines: the closer is then at its opener's place in the file. Only the last line, and lines
 * continuing the block from a closer (`} else {`), may be at that indentation: a block's own last line being a closer
 * (`if not user:` … `    )` of a call in it; `return fetch(url)` … `    });` of its `.then`) closes no bracket of the
 * first line, and a first line's `[` with an item at the closer's indentation has PEP 8's hanging `]` under its items.
 * (In a language the lexer does not know, the line's own last character counts first: one after what only looks like a
 * comment, Python's `a // 2, [`, stays the last.)
 */
function closesFirstLine(first: string, restFilled: readonly string[], restCommon: number, tabSize: number, languageId: string | undefined): boolean {
  const code = codeOf(first, languageId);
  const closer = (code.lexed ? undefined : CLOSERS[first.trimEnd().at(-1) ?? '']) ?? CLOSERS[code.text.trimEnd().at(-1) ?? ''];
  const last = restFilled.at(-1) ?? '';
  return (
    closer !== undefined &&
    last.trimStart().startsWith(closer) &&
    columnsOf(last, tabSize) === restCommon &&
    restFilled.some((l) => columnsOf(l, tabSize) > restCommon) &&
    restFilled.every((l) => columnsOf(l, tabSize) > restCommon || /^\s*[}\])]/.test(l))
  );
}

/**
 * A line with its comments and strings blanked, quotes and all (spaces: every other character keeps its column), for
 * its brackets, as commentAndStringSpansInAnyLanguage finds them; `lexed` when the language's own lexer read it
 * (lexWords: the context engine's, which knows the language's strings, comments, regular expressions — and that
 * `#items = {` is a TypeScript private field, no comment), else the line was read as C-like languages write it.
 */
function codeOf(line: string, languageId: string | undefined): { readonly text: string; readonly lexed: boolean } {
  const chars = line.split('');
  const spans = commentAndStringSpansInAnyLanguage(line, languageId);
  for (let k = 0; k + 1 < spans.length; k += 2) {
    for (let at = spans[k] ?? 0; at < Math.min(spans[k + 1] ?? 0, chars.length); at++) chars[at] = ' ';
  }
  return { text: chars.join(''), lexed: isLexedLanguage(languageId) };
}

/** The closing bracket of each opening one. */
const CLOSERS: Readonly<Record<string, string>> = { '{': '}', '[': ']', '(': ')' };

/**
 * The columns just after the brackets a line leaves open (`result = compute(` → 17): where a continuation lined up
 * under what follows its bracket starts. Brackets in a string or a comment are not counted (codeOf).
 */
function openColumns(line: string, tabSize: number, languageId: string | undefined): number[] {
  const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
  const start = columnsOf(lead, tabSize);
  const code = codeOf(line, languageId).text;
  const open: number[] = [];
  for (let i = lead.length; i < code.length; i++) {
    const ch = code.charAt(i);
    if (Object.hasOwn(CLOSERS, ch)) open.push(start + i - lead.length + 1);
    else if (/[}\])]/.test(ch)) open.pop();
  }
  return open;
}

/** The columns a line's leading indentation takes (a tab to the next multiple of `tabSize`). */
function columnsOf(line: string, tabSize: number): number {
  let columns = 0;
  for (const ch of /^[ \t]*/.exec(line)?.[0] ?? '') columns = ch === '\t' ? (Math.floor(columns / tabSize) + 1) * tabSize : columns + 1;
  return columns;
}

/** A line less `columns` columns of its leading indentation (a tab taken in part leaves its other columns as spaces). */
function dropColumns(line: string, columns: number, tabSize: number): string {
  let at = 0;
  let taken = 0;
  while (taken < columns && (line[at] === ' ' || line[at] === '\t')) {
    taken = line[at] === '\t' ? (Math.floor(taken / tabSize) + 1) * tabSize : taken + 1;
    at++;
  }
  return ' '.repeat(Math.max(0, taken - columns)) + line.slice(at);
}

/** Whether text of several lines has its lines after the first (those not blank) indented at least as `indent`. */
function carriesIndent(text: string, indent: string): boolean {
  if (indent === '') return false;
  const rest = text.split('\n').slice(1).filter((l) => l.trim() !== '');
  return rest.length > 0 && rest.every((l) => l.startsWith(indent));
}

/** The smallest indentation of spaces the lines have (a level of the code's indentation); none when none has one. */
function spacesUnit(lines: readonly string[]): number | undefined {
  let unit: number | undefined;
  for (const line of lines) {
    const spaces = /^ */.exec(line)?.[0].length ?? 0;
    if (spaces > 0 && line.trim() !== '' && (unit === undefined || spaces < unit)) unit = spaces;
  }
  return unit;
}

/** A line's leading indentation in the editor's kind (indentForInsertion); what follows it stays as it is. */
function convertIndent(line: string, style: IndentStyle, unit: number | undefined): string {
  const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
  const rest = line.slice(lead.length);
  if (style.insertSpaces) return lead.replaceAll('\t', ' '.repeat(style.tabSize)) + rest;
  if (unit === undefined) return line;
  const spaces = lead.replaceAll('\t', ' '.repeat(unit)).length;
  return '\t'.repeat(Math.floor(spaces / unit)) + ' '.repeat(spaces % unit) + rest;
}
