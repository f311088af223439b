// The "Fix with Context" quick fix: turns an error diagnostic, the code around it and related
// definitions into a generation request that asks for a corrected replacement of exactly those lines.
import type { ContextItem } from '../context/model';
import { blockFitsLanguage, type CodeBlock } from './codeBlocks';
import { importOnlyStatements } from './fixImports';
import type { GenerateOptions } from './model';

export interface DiagnosticInfo {
  readonly message: string;
  /** 1-based first line of the diagnostic's range. */
  readonly line: number;
  readonly endLine?: number;
  /** e.g. "ts" */
  readonly source?: string;
  /** e.g. 2322 */
  readonly code?: string | number;
}

export interface FixInput {
  /** How the prompt names the file: its workspace-relative path, else (a file outside the workspace) its name alone. */
  readonly file: string;
  /** VS Code language id, used to tag the code block. */
  readonly languageId: string;
  readonly diagnostic: DiagnosticInfo;
  /**
   * The lines sent for rewriting: their 1-based first line and their text from the first line's start to the
   * last line's end (what the editor gives for that range: a final line break only when the last line is empty).
   */
  readonly around: { readonly startLine: number; readonly text: string };
  /** Definitions the faulty code uses, when the caller already has them. */
  readonly relatedDefinitions?: readonly ContextItem[];
}

export interface FixRequest {
  readonly prompt: string;
  /** The code to rewrite (and related definitions the caller passed), sent as caller context. */
  readonly codebaseContext: string;
  /** Ranks workspace context by the error and the identifiers on the faulty line; no active file (the caller's hints name it, as the index does). */
  readonly options: GenerateOptions;
  /** The lines the answer's fix (its code block fixFromAnswer picks) replaces (1-based, inclusive). */
  readonly replaceLines: { readonly startLine: number; readonly endLine: number };
}

const IDENTIFIER = /[A-Za-z_$][\w$]*/g;

/**
 * The most lines of a diagnostic's range a fix rewrites, from its first line: an error over a whole object or function
 * (JSON's "Missing property" on the root, say) would otherwise send all of it and ask for all of it back.
 */
export const MAX_FIX_ERROR_LINES = 40;

/**
 * The most characters of code a fix sends to be rewritten: the answer must hold all of it again, and a model's answer is
 * far shorter than its context window. Only very long lines (minified code, data on one line) reach it within
 * fixLineWindow's lines.
 */
export const MAX_FIX_WINDOW_CHARS = 30_000;

/**
 * The lines a fix rewrites (0-based, inclusive): `contextLines` on each side of the diagnostic — of its first
 * MAX_FIX_ERROR_LINES lines, for a longer one —, clipped to the document. The empty line after a file's final newline is
 * left out (unless the diagnostic is on it), so that replacing the lines' text keeps the final newline.
 */
export function fixLineWindow(
  diagnostic: { readonly startLine: number; readonly endLine: number },
  document: {
    readonly lineCount: number;
    readonly lastLineIsEmpty: boolean;
    /** Whether a line (0-based) holds nothing but white space. */
    readonly isBlank?: (line: number) => boolean;
  },
  contextLines: number,
): { startLine: number; endLine: number } {
  // (The edit replaces exactly the window's lines, whatever part of the diagnostic's range they hold.)
  const diagnosticEnd = Math.max(diagnostic.startLine, Math.min(diagnostic.endLine, diagnostic.startLine + MAX_FIX_ERROR_LINES - 1));
  let endLine = Math.min(document.lineCount - 1, diagnosticEnd + contextLines);
  // (A diagnostic left over from a longer text may lie past the end: the window stays within the document.)
  let startLine = Math.min(Math.max(0, diagnostic.startLine - contextLines), endLine);
  if (document.lastLineIsEmpty && endLine === document.lineCount - 1 && endLine > Math.max(startLine, diagnosticEnd)) endLine -= 1;
  // Blank lines at the window's edges stay out of it (unless the diagnostic is on one): prompts are trimmed, and
  // models drop them from their code blocks, so a blank edge line sent would be deleted by the edit.
  const blank = document.isBlank;
  if (blank) {
    while (endLine > Math.max(startLine, diagnosticEnd) && blank(endLine)) endLine -= 1;
    while (startLine < Math.min(endLine, diagnostic.startLine) && blank(startLine)) startLine += 1;
  }
  return { startLine, endLine };
}

/** Why the lines a fix would rewrite (fixLineWindow's, `chars` characters) are not sent, or undefined when they can be. */
export function fixWindowProblem(chars: number): string | undefined {
  if (chars <= MAX_FIX_WINDOW_CHARS) return undefined;
  return (
    `the lines around this error are ${chars.toLocaleString('en-US')} characters long (very long lines: minified code or data?), ` +
    `more than a fix rewrites (${MAX_FIX_WINDOW_CHARS.toLocaleString('en-US')}). Select the part to change and use "Generate with Context", or fix it by hand.`
  );
}

export function buildFixRequest(input: FixInput): FixRequest {
  const { diagnostic, around } = input;
  // Every line of the window counts, a blank last one too: the edit replaces all of them.
  const lines = around.text.split(/\r?\n/);
  const endLine = around.startLine + lines.length - 1;
  const faultyIndex = Math.min(Math.max(diagnostic.line - around.startLine, 0), lines.length - 1);
  const faulty = lines[faultyIndex] ?? '';
  const label = [diagnostic.source, diagnostic.code !== undefined ? String(diagnostic.code) : undefined].filter(Boolean).join(' ');
  const lineRange = `lines ${around.startLine}-${endLine}`;
  // The error's range was cut (fixLineWindow's MAX_FIX_ERROR_LINES): the lines sent end inside it, and the code goes on
  // after them. Unless told so, a model "completes" the code it is given — closes the function, the object — and the
  // edit would put those closings in the middle of the file.
  const cut = diagnostic.endLine !== undefined && diagnostic.endLine > endLine;
  const prompt = [
    `Fix this error in ${input.file} at line ${diagnostic.line}${label ? ` (${label})` : ''}: ${diagnostic.message}`,
    `The error is on the line: ${faulty.trim()}`,
    ...(cut
      ? [
          `The error spans lines ${diagnostic.line}-${diagnostic.endLine ?? endLine}; only ${lineRange} are given below, and only they will be replaced. ` +
            `The code continues after line ${endLine} unchanged, so do not close or end anything there: no closing brackets, braces, tags or statements for code that is still open at line ${endLine}.`,
        ]
      : []),
    `Rewrite ${lineRange} of ${input.file} (given below) so the error is gone${cut ? ' as far as these lines can mend it' : ''} and the behaviour is otherwise unchanged. ` +
      `Answer with exactly one ${input.languageId} code block holding the complete replacement for those lines, keeping their indentation, then one sentence on what you changed.`,
  ].join('\n');
  const related = (input.relatedDefinitions ?? []).map((d) => `// ${d.file} lines ${d.startLine}-${d.endLine}\n${d.text.trimEnd()}`);
  const given = `// ${input.file} ${lineRange}${cut ? ` (the code continues after line ${endLine})` : ''}\n${lines.join('\n')}`;
  const codebaseContext = [given, ...related].join('\n\n');
  const identifiers = Array.from(new Set(faulty.match(IDENTIFIER) ?? [])).slice(0, 20);
  // (Nothing to rank for — an empty message over a line of punctuation —: the context is ranked for the prompt.)
  const contextQuery = `${diagnostic.message} ${identifiers.join(' ')}`.trim();
  return {
    prompt,
    codebaseContext,
    // (No active file: the caller's hints name the file as the index does — `file` is the prompt's name for it, a file
    // outside the workspace its name alone, which may also be an unrelated workspace file's.)
    options: contextQuery !== '' ? { contextQuery } : {},
    replaceLines: { startLine: around.startLine, endLine },
  };
}

/** What a fix's answer offers (fixFromAnswer): the window's replacement, and the imports the answer proposes beside it. */
export interface FixFromAnswer {
  readonly code: string;
  /**
   * Import statements the answer shows in blocks of their own ("Also add this import at the top:"), for the file's
   * import section (placeImports): the fix alone would leave "Cannot find name" as it was. Absent when none.
   */
  readonly imports?: readonly string[];
}

/**
 * Why a truncated answer's fix is not applied. No cause named: the answer's warning says it — a token limit, a content
 * filter, or the server's end of unknown cause (finish_reason "other"), which is no cut the fix may claim.
 */
const TRUNCATED_PROBLEM = 'the answer may be incomplete, so its fix is not applied (its code can be copied)';

/**
 * What a fix's answer offers: the text that replaces the window (first line's start to last line's end),
 * or why there is none to apply. `truncated`: the answer did not end as the model's own end (token limit, content
 * filter, aborted, or the server's end of unknown cause) — its code is not applied, as the results panel offers such
 * code to copy only (isEditableBlock).
 *
 * Which block is the fix: among the blocks in the document's language (`languageId`; a block tagged with no language
 * counts as in it — a shell command or another file's code never does) that change the window, those that keep most
 * of it (windowLikeness: at least half as much as the best one — a usage example does not) and, given the document's
 * text outside the window (`outside`), are not the file around it shown after the fix (showsFileAround), and of them
 * the last — models that show more than one block show the code as it is first and the fix after it. A block of
 * nothing but imports is no replacement for a window that is not imports itself, however late it comes: its
 * statements are the fix's `imports`; when only such blocks change the window, the fix is the window as it is (`code`
 * is `window`) with those imports. (A reasoning model's drafts in its leading <think>…</think> are no blocks at all:
 * parseAnswer.) Without `languageId` every block is in the language.
 */
export function fixFromAnswer(
  codeBlocks: readonly CodeBlock[],
  window?: string,
  { truncated = false, languageId, outside }: { readonly truncated?: boolean; readonly languageId?: string; readonly outside?: string } = {},
): FixFromAnswer | { readonly problem: string } {
  if (codeBlocks.length === 0) return { problem: 'the answer had no code block to apply' };
  const fitting = languageId === undefined ? codeBlocks : codeBlocks.filter((b) => blockFitsLanguage(b.language, languageId));
  if (fitting.length === 0) {
    const named = Array.from(new Set(codeBlocks.map((b) => b.language))).join(', ');
    return { problem: `the answer had no ${languageId ?? ''} code block to apply (only ${named})` };
  }
  const changing = window === undefined ? fitting : fitting.filter((b) => !sameCode(b.code, window));
  const importsOf = (code: string): readonly string[] | undefined => (languageId === undefined ? undefined : importOnlyStatements(code, languageId));
  const importsOnly = (blocks: readonly CodeBlock[]): readonly string[] => Array.from(new Set(blocks.flatMap((b) => importsOf(b.code) ?? [])));
  // Only import blocks change a window that is not imports ("Add this import:" after the code as it is, or the import
  // alone): the fix is the window as it is, with those imports. An import block made the fix would replace the lines.
  if (window !== undefined && importsOf(window) === undefined && changing.length > 0 && changing.every((b) => importsOf(b.code) !== undefined)) {
    const whole = changing.filter((b) => b.complete);
    if (whole.length === 0) return { problem: 'the answer was cut off before its code block ended, so there is no complete fix to apply' };
    if (truncated) return { problem: TRUNCATED_PROBLEM };
    return { code: window, imports: importsOnly(whole) };
  }
  let candidates = changing.length > 0 ? changing : fitting;
  // (An import block stays a candidate where the window is imports too: "Cannot find module" on an import line.)
  if (window === undefined || importsOf(window) === undefined) {
    const code = candidates.filter((b) => importsOf(b.code) === undefined);
    if (code.length > 0) candidates = code;
  }
  if (window !== undefined && candidates.length > 1) {
    const likeness = candidates.map((b) => windowLikeness(b.code, window));
    const best = Math.max(...likeness);
    candidates = candidates.filter((_, i) => (likeness[i] ?? 0) >= best / 2);
    if (outside !== undefined && candidates.length > 1) {
      const notFile = candidates.filter((b) => !showsFileAround(b.code, window, outside));
      if (notFile.length > 0) candidates = notFile;
    }
  }
  const block = candidates.at(-1);
  if (!block) return { problem: 'the answer had no code block to apply' };
  if (!block.complete) return { problem: 'the answer was cut off before its code block ended, so there is no complete fix to apply' };
  if (truncated) return { problem: TRUNCATED_PROBLEM };
  const imports = importsOf(block.code) === undefined ? importsOnly(fitting.filter((b) => b !== block && b.complete)) : [];
  const withImports = (code: string): FixFromAnswer => (imports.length > 0 ? { code, imports } : { code });
  // A code block ends with a line break; the window ends at its last line's end. Blank lines around the model's code
  // are not the fix's: the model drops the window's own (the prompt is trimmed) and may add some of its own, which
  // the edit would insert. They are taken off, and the window's own given back (fixLineWindow keeps a blank edge
  // line only when the diagnostic is on it) rather than deleted by the edit.
  const code = block.code;
  const body = code.slice(leadingBlankLines(code).length, code.length - trailingBlankLines(code).length);
  if (window === undefined) return withImports(body);
  // (A window of blank lines only: its blank lines are all "trailing", not given back twice.)
  const windowHead = body === '' || window.trim() === '' ? '' : leadingBlankLines(window);
  return withImports(windowHead + body + trailingBlankLines(window));
}

/** A text's lines as blocks are compared with the window: trimmed, blank ones left out. */
function codeLines(text: string): string[] {
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== '');
}

/** The lines of `a` (codeLines) not matched by one of `b`'s, each of `b`'s matching once. */
function linesNotIn(a: readonly string[], b: readonly string[]): string[] {
  const left = new Map<string, number>();
  for (const l of b) left.set(l, (left.get(l) ?? 0) + 1);
  const rest: string[] = [];
  for (const l of a) {
    const n = left.get(l) ?? 0;
    if (n > 0) left.set(l, n - 1);
    else rest.push(l);
  }
  return rest;
}

/**
 * How much of the window a block keeps, 0 to 1: the window's lines (trimmed, blank ones aside) the block has too, as a
 * share of the window's. A fix keeps most of the window's lines, however many it adds (the missing methods of a class);
 * a usage example keeps none. (As a share of the longer one's, a fix that grew the window lost to the window shown with
 * a comment on one line.)
 */
function windowLikeness(block: string, window: string): number {
  const kept = codeLines(window);
  if (kept.length === 0) return 0;
  return (kept.length - linesNotIn(kept, codeLines(block)).length) / kept.length;
}

/**
 * Whether a block is the file around the window (or much of it) shown after the fix: most of the lines it has beyond
 * the window's are the document's own from outside the window (`outside`), at least two of them with a word in them. A
 * fix's added lines are new, but for a closing brace or two that the file has elsewhere too.
 */
function showsFileAround(block: string, window: string, outside: string): boolean {
  const added = linesNotIn(codeLines(block), codeLines(window)).filter((l) => /\w/.test(l));
  const fromFile = added.length - linesNotIn(added, codeLines(outside)).length;
  return fromFile >= 2 && fromFile * 2 > added.length;
}

/** Whether two texts are one code but for line break style and blank edges. */
function sameCode(a: string, b: string): boolean {
  return a.replace(/\r\n/g, '\n').trim() === b.replace(/\r\n/g, '\n').trim();
}

/** The blank lines a text starts with, up to the first line with text (empty when none). */
function leadingBlankLines(text: string): string {
  return /^(?:[ \t]*\r?\n)*/.exec(text)?.[0] ?? '';
}

/** The blank lines a text ends with, from the line break after its last line with text (empty when none). */
function trailingBlankLines(text: string): string {
  return /(?:\r?\n[ \t]*)*$/.exec(text)?.[0] ?? '';
}
