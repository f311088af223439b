// The "Fix with Context" quick fix: turns an error diagnostic, the code around it and related
// definitions into a generation request that asks for a corrected replacement of exactly those lines.
import type { ContextItem } from '../context/model';
import { blockFitsLanguage, type CodeBlock, languageFamily } from './codeBlocks';
import { type LineEnd, withLineEnds, wordOverlap, wordsOf } from './codeIndent';
import { COMMENT_START, type ContinuedLine, commentAndStringSpansInAnyLanguage, continuedLines, isLexedLanguage, PROSE_FAMILIES, startsAsComment, textLines } from './lexedLines';
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
  const identifiers = Array.from(new Set(identifiersOf(faulty))).slice(0, 20);
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
  /**
   * The window grown by lines of the document around it that `code` replaces too: the answer's block was the whole file
   * (or the window with lines around it, the function it is in), which put in place of the window alone would leave
   * those lines twice. `linesBefore` and `linesAfter` lines of the document before and after the window; `text`, the
   * grown window's text when the fix was asked. Negative counts shrink the window at that edge by as many of its lines:
   * the block was only the definition (or definitions) of the window's it fixed, and the window's lines around it — the
   * end of the definition before, the start of the one after — are kept (definitionsReplaced). Absent when the code
   * replaces the window alone.
   */
  readonly widened?: { readonly linesBefore: number; readonly linesAfter: number; readonly text: string };
}

/** The lines of a window a diagnostic is on, its first and its last (0-based, from the window's first line). */
export interface DiagnosticLines {
  readonly startLine: number;
  readonly endLine: number;
}

/** How fixFromAnswer reads an answer (its `diagnostic` aside, which a window requires). */
export interface FixAnswerOptions {
  readonly truncated?: boolean;
  readonly languageId?: string;
  readonly outside?: AroundWindow;
  readonly eol?: LineEnd;
}

/** The document's text around the window: before its first line's start, and after its last line's end. */
export interface AroundWindow {
  readonly before: string;
  readonly after: string;
}

/**
 * Why a truncated answer's fix is not applied. No cause named: the answer's warning says it — a token limit, a content
 * filter, or the server's end of unknown cause (finish_reason "other"), which is no cut the fix may claim.
 */
const TRUNCATED_PROBLEM = 'the answer may be incomplete, so its fix is not applied (its code can be copied)';

/** Why a fix that would delete a comment or directive at its lines' edge, or comment out code after it, is not applied. */
const EDGE_LOST_PROBLEM = 'the answer gave back code without the comment or directive at the edge of the lines it would replace, which the edit would delete; nothing was applied — copy the code instead';

/** Why a fix that would lose lines it does not give back (losesLines) is not applied. */
const LINES_LOST_PROBLEM = 'the answer gave back code without some of the lines it would replace, which the edit would delete; nothing was applied — copy the code instead';

/**
 * What a fix's answer offers: the text that replaces the window (first line's start to last line's end),
 * or why there is none to apply. `truncated`: the answer did not end as the model's own end (token limit, content
 * filter, aborted, or the server's end of unknown cause) — its code is not applied, as the results panel offers such
 * code to copy only (isEditableBlock).
 *
 * Which block is the fix: among the blocks in the document's language (`languageId`; a block tagged with no language
 * counts as in it — a shell command or another file's code never does) that change the window, the one that keeps
 * most of it (likeliestFixes: never a usage example, nor — given the document's text around the window, `outside` —
 * the file around it shown after the fix), of several alike the last: models that show more than one block show the
 * code as it is first and the fix after it. A fix that is the whole file, or the window with lines of the document
 * around it (echoedAround), replaces those lines too (`widened`), and one that is only the definitions of the window's
 * it fixed replaces those alone (definitionsReplaced: `widened` shrinks the window), not the window's lines of the
 * definitions around them; one that gives back the file around the window but leaves part of it out (a `# ...
 * unchanged ...` line, or lines missing) is a problem, applied neither way, as is a whole declaration given back that
 * would leave the document's brackets unbalanced, or one that would delete the comments or directives at the edge of
 * the lines it replaces (dropsCommentAtEdge). A block of nothing but imports is no replacement for a window that is
 * not imports itself, however late it comes: its statements are the fix's `imports`; when only such blocks change the window, the fix is the window as it is (`code`
 * is `window`) with those imports. (A reasoning model's drafts in its leading <think>…</think> are no blocks at all:
 * parseAnswer.) Without `languageId` every block is in the language. The fix's lines end as `eol` says (the document's:
 * a CRLF document's fix is CRLF, whatever the model wrote), or as the model wrote them without it. `diagnostic`: the
 * window's lines the diagnostic is on (0-based, from the window's first), the lines an edit may drop (losesLines) —
 * required with a window. Without a window, the block's code is the fix as it is: nothing to check it against.
 */
export function fixFromAnswer(codeBlocks: readonly CodeBlock[], window: string, options: FixAnswerOptions & { readonly diagnostic: DiagnosticLines }): FixFromAnswer | { readonly problem: string };
export function fixFromAnswer(codeBlocks: readonly CodeBlock[], window?: undefined, options?: FixAnswerOptions): FixFromAnswer | { readonly problem: string };
export function fixFromAnswer(
  codeBlocks: readonly CodeBlock[],
  window?: string,
  { truncated = false, languageId, outside, eol, diagnostic }: FixAnswerOptions & { readonly diagnostic?: DiagnosticLines } = {},
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
  if (window !== undefined && candidates.length > 1) candidates = likeliestFixes(candidates, window, outside, languageId);
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
  const code = eol === undefined ? block.code : withLineEnds(block.code, eol);
  const body = code.slice(leadingBlankLines(code).length, code.length - trailingBlankLines(code).length);
  if (window === undefined) return withImports(body);
  const echo = outside === undefined ? undefined : echoedAround(code, window, outside, languageId);
  if (echo !== undefined && 'problem' in echo) return echo;
  const echoed = echo?.widened;
  // (The definitions the block gives back, when they are only part of the lines it replaces: those lines alone.)
  const part = definitionsReplaced(
    body,
    echoed?.text ?? window,
    languageId,
    outside === undefined ? undefined : textBefore(outside.before, echoed?.linesBefore ?? 0),
    echo?.declaration === true,
    outside === undefined ? undefined : textAfter(outside.after, echoed?.linesAfter ?? 0),
  );
  if (part !== undefined && 'problem' in part) return part;
  const widened = part === undefined ? echoed : { linesBefore: (echoed?.linesBefore ?? 0) - part.skipBefore, linesAfter: (echoed?.linesAfter ?? 0) - part.skipAfter, text: part.text };
  const replaced = widened?.text ?? window;
  // A whole declaration given back (the echo took in its header) opens and closes as many brackets as the lines it
  // replaces — those definitionsReplaced left, the declaration alone —: one that ends early (a `}` after the lines asked
  // for, the rest of the function left out) or otherwise (a method of an object given back ending `}` where the file has
  // `},`, an arrow function `const f = (…) => {…};` as `function f(…) {…}`) would leave the document's closing lines
  // after it, one too many — refused. (Unless the document's own brackets are what it fixed: a `}` the function lacked,
  // added, leaves the document closing as many as it opens, or nearer to it.) Any other declaration given back whole
  // (the block starts with its header) that would leave a document whose brackets close as many as they open
  // unbalanced is refused too: a function given back for a window that holds its header but ends before its `}` — in
  // place of the window, the document's `}` after it would be there twice. So is any block that the echo widened up to
  // lines above the window, header or not (a C function's return type alone on the line above its name, a header no
  // definition was read at): put in place of lines that run on into the next definition, it would delete that one's
  // start and leave its `}`. Each kind of bracket is counted apart: a `)` that closes nothing elsewhere in the file (a
  // shell `case`'s arm `start)`, a typo) leaves its `{` and `}` to balance still. (A `)` more, where the document's
  // parentheses did not balance to begin with, is let through when the echo took in no header: lines above the
  // window given back — a shell `case`'s new arm `kill)`, a Markdown list's `4) Check it` — in a text whose `)` close
  // nothing.)
  // Any other block that opens or closes more of a kind of bracket than the lines it replaces, in a document whose
  // brackets of that kind balance, is refused too: a definition given back whose header was not read (C++'s
  // `int Shape::area(int w, int h)`, a method returning a function type) for a window that starts in the one before it
  // would replace that one's end and leave its own `}` twice. (Not in prose — a documentation file, a commit message —,
  // whose brackets need not pair: a Markdown list's `4) Check it` added, `(If you don't want this, skip it.)`.)
  // The brackets of the block and of the lines it replaces are counted as read after the document's text before those
  // lines: a window that starts inside a docstring or a doc comment holds prose, whose `(Don't pass zero.)` read as code
  // opens a string that hides the `)`.
  // (Each of the two read after that text once, for this and the checks below: LexedAfter.)
  const textAbove = outside === undefined ? '' : documentBefore(outside.before, window, widened?.linesBefore ?? 0);
  const lexedReplaced = lexedAfter(textAbove, replaced, languageId);
  const lexedBody = lexedAfter(textAbove, body, languageId);
  const widenedUp = echo?.declaration === true || (echoed?.linesBefore ?? 0) > 0;
  if (outside !== undefined) {
    const whole = widenedUp || startsWithHeader(body, languageId) || startsWithAttributes(body);
    // (Of each kind, how many more the lines replaced and the block open than they close, and how many more the block.)
    const opens = bracketDepthsOf(lexedReplaced);
    const closes = bracketDepthsOf(lexedBody);
    const open = sum(opens);
    const closed = sum(closes);
    const changes = closes.map((d, k) => d - (opens[k] ?? 0));
    const prose = languageId !== undefined && PROSE_FAMILIES.has(languageFamily(languageId));
    if ((whole && open !== closed) || ((widenedUp || (!whole && !prose)) && changes.some((c) => c !== 0))) {
      const document = `${outside.before}${window}${outside.after}`;
      const documentOpens = bracketDepths(document, languageId);
      const documentOpen = sum(documentOpens);
      // (Whether the document would be left no nearer to closing as many brackets of a kind as it opens.)
      const further = (change: number, k: number): boolean => {
        const before = documentOpens[k] ?? 0;
        if (change === 0 || (BRACKET_KINDS[k] === PARENS && echo?.declaration !== true && before !== 0 && change < 0)) return false;
        return Math.abs(before + change) >= Math.abs(before);
      };
      const unbalanced = widenedUp ? changes.some(further) : whole ? documentOpen === 0 : changes.some((c, k) => c !== 0 && documentOpens[k] === 0);
      // (The block closes the declaration the lines sent leave open — they end inside it, before its `}` —: nothing of
      // it is left out that they had, so they are what to widen, not the answer.)
      if (unbalanced && !widenedUp && open > closed && givesRestOfDeclaration(body, replaced, outside.after, languageId)) {
        return { problem: 'the answer gave back the function to its end, but the lines sent end inside it; nothing was applied — select the whole function and use Generate with Context, or ask again' };
      }
      if (unbalanced) return leftOutProblem({ brackets: true });
    }
  }
  // The lines it replaces end in comments it has not, after the last of their lines it has (the JSDoc of the
  // declaration after the window, the window reaching into it), or start in a comment begun above them (the end of the
  // JSDoc of the declaration the block gives back without it): the edit would delete those — refused.
  if (dropsCommentAtEdge(body, replaced, languageId, outside === undefined ? undefined : textAbove)) {
    return { problem: EDGE_LOST_PROBLEM };
  }
  // (A comment's edge in the middle of a line — `   numbers *\/ int add(int x, int y) {` first, the comment's end before
  // the code the block gives back, or `  return x - y; /* note:` last —: the lines and the block, each read after the
  // document's text before them, must end both inside a `/* … *\/` comment (or a markup's `<!-- … -->`) or both outside
  // one. Else the block closes none the lines close, the comment then taking in the code after it, or leaves the rest
  // of one they open as code — or opens one they do not, an HTML file's `<!--` left open commenting out the rest.)
  // (Unless that comment runs to the end of the document: its `*\/` missing is the error the fix is asked for.)
  // (The document after the lines replaced: textAbove and they are its start, widened or narrowed alike.)
  const afterReplaced = outside === undefined ? undefined : `${outside.before}${window}${outside.after}`.slice(textAbove.length + replaced.length);
  const endsInComment = endsInBlockComment(lexedReplaced);
  const unclosed = endsInComment && afterReplaced !== undefined && commentRunsToEnd(textAbove + replaced, afterReplaced, languageId);
  if (!unclosed && endsInComment !== endsInBlockComment(lexedBody)) {
    return { problem: EDGE_LOST_PROBLEM };
  }
  // Whatever the checks above let through, an edit that would delete code is refused: lines of those it replaces the
  // block has neither as they are nor changed, more than a fix drops by the error (losesLines).
  if (diagnostic === undefined) throw new TypeError("fixFromAnswer: a window without its diagnostic's lines");
  const linesBefore = widened?.linesBefore ?? 0;
  const onDiagnostic = { first: linesBefore + diagnostic.startLine, last: linesBefore + diagnostic.endLine };
  if (losesLines(lexedReplaced, lexedBody, onDiagnostic, languageId, afterReplaced)) {
    return { problem: LINES_LOST_PROBLEM };
  }
  // (A window of blank lines only: its blank lines are all "trailing", not given back twice.)
  const windowHead = body === '' || replaced.trim() === '' ? '' : leadingBlankLines(replaced);
  const fix = withImports(windowHead + body + trailingBlankLines(replaced));
  return widened ? { ...fix, widened } : fix;
}

/**
 * A text (the lines a fix replaces, or the block put in their place) read after the document's text above it: lexed
 * once, the two together and a line break last (commentAndStringSpansInAnyLanguage), so that its comments and strings
 * are as they are there — a text that starts inside a docstring or a `/** … *\/` comment is prose up to its end. Its
 * readers (bracketDepthsOf, endsInBlockComment, linesOfCode) share that one pass: the text above is all of a file's
 * lines before the error, tens of thousands in a long file, and lexed for each reader it cost a Fix with Context a
 * few hundred milliseconds more on the extension host's thread.
 */
interface LexedAfter {
  readonly text: string;
  /** The text above, the text, and a line break. */
  readonly whole: string;
  /** Where the text starts in `whole`: the length of the text above it. */
  readonly from: number;
  /** The comments and strings of `whole`, `[from, to, …]`. */
  readonly spans: readonly number[];
}

/** A text lexed after the document's text above it (`above`): LexedAfter. */
function lexedAfter(above: string, text: string, languageId: string | undefined): LexedAfter {
  const whole = `${above}${text}\n`;
  return { text, whole, from: above.length, spans: commentAndStringSpansInAnyLanguage(whole, languageId) };
}

/**
 * Whether a text, read after the text above it (LexedAfter), ends inside a `/* … *\/` comment, or a markup's `<!-- …
 * -->` (HTML's, XML's, a Vue template's), as its language writes comments (commentAndStringSpansInAnyLanguage; none in
 * one whose `/*` or `<!--` is code or text, a shell's or Python's).
 */
function endsInBlockComment({ whole, spans }: LexedAfter): boolean {
  const from = spans.at(-2);
  return from !== undefined && (spans.at(-1) ?? 0) >= whole.length && (whole.startsWith('/*', from) || whole.startsWith('<!--', from));
}

/**
 * Whether the comment or string a text ends inside (`text`, the document's text up to a point) runs on through the
 * document's text after it (`after`) to its end: never closed. A markup comment `<!--` that holds another `<!--` was
 * never closed either (they do not nest): the next comment's `-->` ends it, not its own (a review: a fix closing a
 * forgotten `-->` was refused whenever a comment followed further down, as markup files' do).
 */
function commentRunsToEnd(text: string, after: string, languageId: string | undefined): boolean {
  const whole = `${text}${after}\n`;
  const spans = commentAndStringSpansInAnyLanguage(whole, languageId);
  for (let k = 0; k + 1 < spans.length; k += 2) {
    const from = spans[k] ?? 0;
    const to = spans[k + 1] ?? 0;
    if (from < text.length && to >= text.length) return to >= whole.length || (whole.startsWith('<!--', from) && whole.slice(from + 4, to).includes('<!--'));
  }
  return false;
}

/** The context lines fixLineWindow takes on each side of a diagnostic as the extension asks for a fix (src/vscode's generation.ts passes it). */
export const FIX_CONTEXT_LINES = 6;

/** The most of the lines a fix replaces its block may leave out (losesLines): a variable no longer used, a stray `}`. */
const MOST_LINES_DROPPED = 2;

/**
 * Keywords of the languages' code, no names: a line changed keeps names that make half of its words, its `const` and
 * `return` not among them (losesLines). (A line of keywords alone — `} else {`, `return;` — is compared by them.)
 */
const NOT_NAMES = new Set(
  `abstract and as assert async await break case catch class const continue def default del do elif else enum except
  export extends false False final finally fn for from func function go if impl implements import in instanceof interface
  is lambda let mut new nil None not null or package pass private protected pub public raise readonly return self
  static struct super switch this throw throws true True try typeof var void while with yield`.split(/\s+/),
);

/**
 * Whether the edit that puts a block (`block`) in place of lines (`replaced`), both read after the document's text
 * before those lines (LexedAfter), would lose code: lines with text of those it replaces that the block has neither as
 * they are (trimmed, their code the same — alignedLines: each of the block's lines stands for one, in order —) nor
 * changed — names of the line's code (not its comments: linesOfCode; not its keywords, NOT_NAMES) that make half or
 * more of its words in one of the block's other lines' code, or, a line of no names (`}`, `);`), one of those with
 * the same signs around its words; or, among the lines between two it has as they are, as many lines of its own
 * there, rewritten in place — nor merged into the line next to them (mergedLines: `const r = compute(` / `x,` / `);` as `const r = compute(x, 3);`),
 * more than MOST_LINES_DROPPED of them, or lines apart, or any not on or next to the lines the diagnostic is on
 * (`diagnostic`): a fix deletes the unused variable or the stray `}` it is about, not the import above it or the
 * definition after it. The lines the diagnostic is on the fix may drop all of — unreachable code, an unused function
 * —, counted as one. (A definition whose header the block
 * has as it is, dropped whole, is the duplicate the error was about — Go's "redeclared" —, no loss: when a line kept has
 * the same header in the same scope, the error on one of the two, and the copy ends among the lines replaced; its lines
 * to its end (definitionEnd) that the block has somewhere, not one of its own nor the lines after it — and its
 * decorators, attributes or overload signatures above it, when the copy kept has the same: decoratesDefinition. Or,
 * the error on its header, when its copy is the document's outside the lines replaced, far from them: copiedOutside.) Nor may any
 * line's code be in the block only inside a comment or a string, none of its names left in code (`numbers *\/ int
 * add(…) {` given back as `int add(…) {` after the `/* helper:` it closed): the edit would hide it, not delete it. A
 * comment, or a blank line between lines with text, is lost too outside the lines the block keeps (from the first to
 * the last of its code lines given back) — the comment of a definition next to the one given back; inside them a fix
 * may drop one —, but blank lines alone are no loss.
 */
function losesLines(replaced: LexedAfter, block: LexedAfter, diagnostic: { readonly first: number; readonly last: number }, languageId: string | undefined, after: string | undefined): boolean {
  const raw = replaced.text.split(/\r?\n/);
  const lines = raw.map((l) => l.trim());
  const code = linesOfCode(replaced);
  const givenRaw = block.text.split(/\r?\n/);
  const given = givenRaw.map((l) => l.trim());
  const givenCode = linesOfCode(block);
  const keyOf = (text: readonly string[], textCode: readonly string[]) => text.map((l, k) => (l === '' ? undefined : `${l}\n${textCode[k] ?? ''}`));
  const pairs = alignedLines(keyOf(lines, code), keyOf(given, givenCode));
  const kept = lines.map(() => false);
  const used = given.map(() => false);
  // (Of each line kept, the block's line that stands for it.)
  const keptAs = lines.map(() => -1);
  for (const [i, j] of pairs) {
    kept[i] = true;
    used[j] = true;
    keptAs[i] = j;
  }
  // (Of each line, the block's lines between those paired before and after it: where it would be if changed in place.)
  const anchors: (readonly [number, number])[] = [[-1, -1], ...pairs, [lines.length, given.length]];
  const gapOf = lines.map(() => [0, 0] as readonly [number, number]);
  for (let a = 0; a + 1 < anchors.length; a++) for (let k = (anchors[a]?.[0] ?? 0) + 1; k < (anchors[a + 1]?.[0] ?? 0); k++) gapOf[k] = [(anchors[a]?.[1] ?? 0) + 1, anchors[a + 1]?.[1] ?? 0];
  const keys = keyOf(given, givenCode);
  // (The block's lines not paired, by their text and code: a line given back as it is but moved.)
  const byKey = new Map<string, number[]>();
  for (const [j, key] of keys.entries()) if (key !== undefined && used[j] !== true) byKey.set(key, [...(byKey.get(key) ?? []), j]);
  // (Each of the block's lines' words, in its text and in its code, read once: a large answer is compared line by line.)
  const givenWords = given.map((l) => new Set(identifiersOf(l)));
  const givenCodeWords = givenCode.map((l) => new Set(identifiersOf(l)));
  const signsOf = (line: string): string => line.replace(/[\w$]+/g, 'w').replace(/\s+/g, '');
  // (Half or more of a line's words are names it shares: `return a;` is not `return b;`, nor `const b = a * 2;` `return c + b;`.)
  const half = (names: readonly string[], words: number, there: ReadonlySet<string>): boolean => names.filter((n) => there.has(n)).length * 2 >= words;
  // (Each gap's spare lines — the block's not paired — once, and where each name is among them.)
  const spares = new Map<number, SpareLines>();
  const sparesOf = (gapFrom: number, gapTo: number): SpareLines => {
    let spare = spares.get(gapFrom);
    if (spare === undefined) {
      const at: number[] = [];
      for (let j = gapFrom; j < gapTo; j++) if (given[j] !== '' && used[j] !== true) at.push(j);
      spare = { at, inCode: namesIndex(at, givenCodeWords), inText: namesIndex(at, givenWords) };
      spares.set(gapFrom, spare);
    }
    return spare;
  };
  let hidden = false;
  for (const [k, line] of lines.entries()) {
    if (kept[k] === true || line === '') continue;
    const lineCode = code[k] ?? '';
    const names = namesOf(lineCode);
    const [gapFrom, gapTo] = gapOf[k] ?? [0, 0];
    const spare = sparesOf(gapFrom, gapTo);
    const free = (j: number): boolean => used[j] !== true;
    // (Changed, in its place: among the spare lines — of those with names, only those that hold one of the rarest.)
    const words = identifiersOf(lineCode);
    const lineNames = namesOf(line);
    const lineWords = identifiersOf(line).length;
    const changed =
      lineCode === ''
        ? spare.at.find((j) => free(j) && (half(lineNames, lineWords, givenWords[j] ?? new Set()) || signsOf(given[j] ?? '') === signsOf(line)))
        : names.length === 0
          ? spare.at.find((j) => free(j) && (givenCode[j] ?? '') !== '' && (givenCodeWords[j]?.size ?? 0) === 0 && signsOf(givenCode[j] ?? '').includes(signsOf(lineCode)))
          : mayHoldHalf(spare.inCode, names, words.length).find((j) => free(j) && half(names, words.length, givenCodeWords[j] ?? new Set()));
    // (Or as it is, moved.)
    const j = changed ?? byKey.get(`${line}\n${lineCode}`)?.find(free) ?? -1;
    if (j >= 0) {
      kept[k] = true;
      used[j] = true;
      keptAs[k] = j;
    } else if (names.length > 0) {
      const inText = (s: number): boolean => half(words, words.length, givenWords[s] ?? new Set()) && !words.some((w) => givenCodeWords[s]?.has(w));
      if (mayHoldHalf(spare.inText, words, words.length).some(inText)) hidden = true;
    }
  }
  if (hidden) return true;
  for (const k of mergedLines(code, kept, keptAs, givenCode)) kept[k] = true;
  // (Between two lines given back as they are, a line lost for each of the block's code lines there that stands for
  // none: rewritten in place.)
  for (let a = 0; a + 1 < anchors.length; a++) {
    const [i0, j0] = anchors[a] ?? [0, 0];
    const [i1, j1] = anchors[a + 1] ?? [0, 0];
    let fresh = 0;
    for (let j = j0 + 1; j < j1; j++) if ((givenCode[j] ?? '') !== '' && used[j] !== true) fresh++;
    for (let k = i0 + 1; k < i1 && fresh > 0; k++) {
      if (kept[k] !== true && (code[k] ?? '') !== '') {
        kept[k] = true;
        fresh--;
      }
    }
  }
  const isCode = (k: number): boolean => (code[k] ?? '') !== '';
  const keptCode = lines.flatMap((_, k) => (kept[k] === true && isCode(k) ? [k] : []));
  const from = keptCode.at(0) ?? lines.length;
  const to = keptCode.at(-1) ?? -1;
  // (Blank lines at the edges of the lines replaced: the fix gives them back.)
  let head = 0;
  while (head < lines.length && lines[head] === '') head++;
  let tail = lines.length - 1;
  while (tail >= 0 && lines[tail] === '') tail--;
  const givenAsIs = new Set(given);
  const lost: number[] = [];
  // (The last of the lost lines with text: a header right after one — blank lines between — starts no duplicate.)
  let lastLostText: number | undefined;
  // (A copy is a line kept with the same header in the same scope — as indented, no line with text less indented between
  // them: another class's own `def __init__(self):` or `describe(): string {` is none —, and the error is about the
  // duplicate: on the dropped copy's header — Go's, javac's, rustc's, mypy's "redeclared" on the second — or on its
  // copy's — pyright's on the first; tsc flags both. Not an error on the header for another reason, a missing return.)
  const onDiagnostic = (i: number): boolean => i >= diagnostic.first && i <= diagnostic.last;
  const sameScope = (a: number, b: number): boolean => {
    const depth = indentOf(raw[a] ?? '');
    if (indentOf(raw[b] ?? '') !== depth) return false;
    for (let j = Math.min(a, b) + 1; j < Math.max(a, b); j++) if ((raw[j] ?? '').trim() !== '' && indentOf(raw[j] ?? '') < depth) return false;
    return true;
  };
  // (Where a header's decorations start: the first of the lines right above it that go with it, decoratesDefinition —
  // `@cache`, `#[inline]`, an overload signature of its name —, read as code: not a docstring's `@param`.)
  const decorationsFrom = (header: number, name: string): number => {
    let first = header;
    while (first > 0 && decoratesDefinition(code[first - 1] ?? '', name, languageId)) first--;
    return first;
  };
  // (The dropped copy's decorations, from `first`, must be the kept copy's, line for line and kept: a copy's `@cache`
  // goes with it only when the block has it above the copy it keeps; Flask's `@app.route("/home")` above the one
  // dropped and `@app.route("/")` above the one kept are two routes, one lost. Both ways, as copiedOutside's: a
  // `@property` kept over a copy dropped without it makes that copy another definition, the one Python used.)
  const duplicateFlagged = (k: number, first: number, name: string): boolean =>
    lines.some((l, i) => {
      if (i === k || l !== lines[k] || kept[i] !== true || !(onDiagnostic(k) || onDiagnostic(i)) || !sameScope(i, k)) return false;
      const above = decorationsFrom(i, name);
      if (i - above !== k - first) return false;
      for (let t = 0; t < k - first; t++) if (lines[above + t] !== lines[first + t] || kept[above + t] !== true) return false;
      return true;
    });
  // (The document's last line with text above those replaced, trimmed: a decorator may stand blank lines above its
  // definition. Read for a copy dropped first among them only.)
  const lineAbove = (): string => {
    const documentAbove = replaced.whole.slice(0, replaced.from).trimEnd();
    return documentAbove.slice(documentAbove.lastIndexOf('\n') + 1).trim();
  };
  let endOf: ((header: number) => number | undefined) | undefined;
  for (let k = head; k <= tail; k++) {
    if (kept[k] === true || !(isCode(k) || k < from || k > to)) continue;
    // (A duplicate definition dropped: from its header, which the block has, through its end — not the lines lost
    // after it, a definition or statement deleted with it, which count as any other. From its decorations, `k` to the
    // header, when it has some: they go with it, and the line lost right above them is what the guard looks at.)
    let header = k;
    while (header < tail && kept[header] !== true && decoratesDefinition(code[header] ?? '', undefined, languageId)) header++;
    const name = lines[header] !== '' && kept[header] !== true ? headerName(lines[header] ?? '', languageId) : undefined;
    // (Its decorations all of its name — no other name's overload —, and none above them: not above the lines replaced
    // either, which the edit would leave over whatever it puts first — a `@cache` twice over the copy kept.)
    const candidate = name !== undefined && (header === k || decorationsFrom(header, name) === k) && !(k === head && decoratesDefinition(lineAbove(), name, languageId)) && lastLostText !== previousLine(lines, k);
    // (Its copy kept in the block, or — the error on its header — one outside the lines replaced, the two far apart:
    // only when the document has the header's text there, as where the copy ends is read after the document's text
    // above the lines, lexed again — ~15 ms of a 50,000-line file —, which most fixes need not.)
    const inBlock = candidate && givenAsIs.has(lines[header] ?? '') && duplicateFlagged(header, k, name);
    const headerText = raw[header] ?? '';
    const outside = (): boolean =>
      languageId !== undefined &&
      COPIES_BY_INDENTATION.has(languageId) &&
      onDiagnostic(header) &&
      (replaced.whole.lastIndexOf(headerText, replaced.from - headerText.length) >= 0 || (after?.includes(headerText) ?? false));
    if (candidate && (inBlock || outside())) {
      endOf ??= definitionEnds(raw, replaced, givenRaw, languageId, after, tail);
      const end = endOf(header);
      // (Not a copy that goes on after the lines replaced: the edit would delete its first lines and leave the rest,
      // the kept copy's body then — Python's, where no bracket count tells.)
      if (end !== undefined && inBlock) {
        k = header;
        // (Of the copy, what the block has elsewhere: a line of its own — a guard the kept copy lacks — is lost.)
        while (k + 1 <= end && kept[k + 1] !== true) {
          k++;
          if (lines[k] !== '' && !givenAsIs.has(lines[k] ?? '')) {
            lost.push(k);
            lastLostText = k;
          }
        }
        continue;
      }
      // (The copy kept outside the lines replaced must be the one dropped as it is, line for line: nothing of it lost.)
      if (end !== undefined && copiedOutside(replaced, raw, { first: k, header, end }, name, languageId, after)) {
        k = end;
        continue;
      }
    }
    lost.push(k);
    if (lines[k] !== '') lastLostText = k;
  }
  if (!lost.some((k) => lines[k] !== '')) return false;
  // (The diagnostic's own lines count as one when the answer drops them all — unreachable code, an unused function —
  // and those around them, on either side next to them. A range whose lines the answer partly keeps — a callback's
  // header changed, its body emptied; a function flagged from its header — allows nothing more than another line.)
  const lastOnIt = Math.min(diagnostic.last, lines.length - 1);
  const allOnItLost = (): boolean => {
    for (let k = diagnostic.first; k <= lastOnIt; k++) if (isCode(k) && !lost.includes(k)) return false;
    return diagnostic.first <= lastOnIt;
  };
  if (allOnItLost()) {
    const around = lost.filter((k) => k < diagnostic.first || k > lastOnIt);
    const onIt = around.length < lost.length ? 1 : 0;
    return around.length + onIt > MOST_LINES_DROPPED || around.some((k) => k < diagnostic.first - 1 || k > lastOnIt + 1);
  }
  const first = lost[0] ?? 0;
  const last = lost.at(-1) ?? 0;
  return lost.length > MOST_LINES_DROPPED || last - first > MOST_LINES_DROPPED || first < diagnostic.first - 1 || last > diagnostic.last + 1;
}

/**
 * The languages whose duplicate definitions copiedOutside looks for far from the lines a fix replaces: those whose
 * indentation shows a definition's scope — Python's, and Go's (gofmt's; no namespaces, no preprocessor, a method's
 * receiver in its header). Elsewhere a copy as indented may be another namespace's or module's (C++'s and Rust's
 * bodies written unindented), under `#if 0` or `#else`: a review (rev57b) had such copies taken, the only one of a
 * definition deleted.
 */
const COPIES_BY_INDENTATION: ReadonlySet<string> = new Set(['python', 'go']);

/**
 * Whether the document has, outside the lines a fix replaces (`replaced`, read after the document's text above them;
 * `raw`, their lines), a definition of them (`copy`: from its decorations, `first`, through its header to its end) as
 * it is, line for line, indentation and all — a duplicate the fix may drop, its copy kept far from it (losesLines) —: in
 * the same scope, above the lines or below them (`after`, the document's text after them from the line break that ends
 * them), no line with text less indented than its header between the two (another class's method is none), its header
 * in code (not a docstring's example) and, when the copy dropped has decorations, none more above the other (its
 * own `@log`: the two not the same — decoratesDefinition, of `name`). The header's text searched for
 * first, then the lines around it compared: the document may be tens of thousands of lines.
 */
function copiedOutside(
  replaced: LexedAfter,
  raw: readonly string[],
  copy: { readonly first: number; readonly header: number; readonly end: number },
  name: string,
  languageId: string | undefined,
  after: string | undefined,
): boolean {
  const { first, header, end } = copy;
  const headerText = raw[header] ?? '';
  const depth = indentOf(headerText);
  const lessIndented = (line: string): boolean => line.trim() !== '' && indentOf(line) < depth;
  // (The run of a text's lines as the copy's from its header at `at`, between `from` and `to` — starts of lines —: where
  // it starts, and where the line after it does; undefined if the lines there are not the copy's or have more above.)
  const runAt = (text: string, at: number, from: number, to: number): { readonly start: number; readonly stop: number } | undefined => {
    if (at > 0 && text[at - 1] !== '\n') return undefined;
    let start = at;
    for (let n = 0; n < header - first; n++) {
      if (start <= from) return undefined;
      start = lineStartBefore(text, start);
    }
    let stop = start;
    for (let t = first; t <= end; t++) {
      if (stop > text.length) return undefined;
      const { line, next } = lineAt(text, stop);
      if (line !== raw[t]) return undefined;
      stop = next;
    }
    if (stop > to) return undefined;
    // (The line above the run: the document's — the less indented one that bounds the search above too —, or for a
    // run right after the lines replaced, their last.)
    const above = text === after && start === from ? (raw.at(-1) ?? '') : start === 0 ? '' : lineAt(text, lineStartBefore(text, start)).line;
    // (Decorated alike both ways: none more above the other copy, whether the one dropped has some or not — a
    // `@property` or `#[cfg(test)]` kept over the copy dropped without it would make it another definition.)
    return !decoratesDefinition(above.trim(), name, languageId) ? { start, stop } : undefined;
  };
  // (Whether a position of a text is inside a comment or a string, the text's `[from, to, …]` of them.)
  const inSpan = (spans: readonly number[], at: number): boolean => {
    for (let k = 0; k + 1 < spans.length; k += 2) if ((spans[k] ?? 0) <= at && at < (spans[k + 1] ?? 0)) return true;
    return false;
  };
  // (Above the lines replaced: the document's text before them, lexed with them — its comments and strings known.)
  const textAbove = replaced.whole.slice(0, replaced.from);
  if (!raw.slice(0, first).some(lessIndented)) {
    // (The first line above with text less indented, and those above it: out of the scope.)
    let bound = 0;
    for (let s = textAbove.length; depth > 0 && s > 0; ) {
      const p = lineStartBefore(textAbove, s);
      if (lessIndented(lineAt(textAbove, p).line)) {
        bound = s;
        break;
      }
      s = p;
    }
    for (let at = textAbove.lastIndexOf(headerText); at >= bound; at = at === 0 ? -1 : textAbove.lastIndexOf(headerText, at - 1)) {
      const run = runAt(textAbove, at, bound, textAbove.length);
      if (run !== undefined && !inSpan(replaced.spans, run.start)) return true;
    }
  }
  // (Below them: the document's text after them, lexed only for a copy found there.)
  if (after === undefined || after === '' || raw.slice(end + 1).some(lessIndented)) return false;
  const from = after.indexOf('\n') + 1;
  let bound = after.length + 1;
  for (let s = from; depth > 0 && s <= after.length; ) {
    const { line, next } = lineAt(after, s);
    if (lessIndented(line)) {
      bound = s;
      break;
    }
    s = next;
  }
  for (let at = after.indexOf(headerText, from); at >= 0 && at < bound; at = after.indexOf(headerText, at + 1)) {
    const run = runAt(after, at, from, bound);
    if (run === undefined) continue;
    const lexed = lexedAfter(replaced.whole.slice(0, -1), after.slice(0, run.stop), languageId);
    if (!inSpan(lexed.spans, lexed.from + run.start)) return true;
  }
  return false;
}

/** The start of the line before the one that starts at `start` (past the text's first) in a text. */
function lineStartBefore(text: string, start: number): number {
  return start < 2 ? 0 : text.lastIndexOf('\n', start - 2) + 1;
}

/** A text's line that starts at `start`, without its line break, and where the next starts (past the text's end after its last). */
function lineAt(text: string, start: number): { readonly line: string; readonly next: number } {
  const lineBreak = text.indexOf('\n', start);
  const line = text.slice(start, lineBreak < 0 ? text.length : lineBreak);
  return { line: line.endsWith('\r') ? line.slice(0, -1) : line, next: lineBreak < 0 ? text.length + 1 : lineBreak + 1 };
}

/** The most of the document's lines after those a fix replaces that definitionEnds reads. */
const DEFINITION_LINES_AFTER = 400;

/**
 * Where each definition of the lines a block replaces (`replaced`, `replacedLines` its text's lines) ends, by its
 * header's index (definitionEnd), read on into the document's text after them (`after`: undefined when not known) —
 * undefined for one that does not end by `last` (the last of the lines with text), or may not: it reaches `last` and
 * what follows is not known. Their text and strings read once, as definitionsReplaced reads them (the strings those of
 * the block's — `blockLines`, its text's lines — alike, stringsGivenBack), after the document's text before them. Only
 * for a duplicate definition the block drops (losesLines): the lines' text lexed again, which most fixes need not.
 */
function definitionEnds(
  replacedLines: readonly string[],
  replaced: LexedAfter,
  blockLines: readonly string[],
  languageId: string | undefined,
  after: string | undefined,
  last: number,
): (header: number) => number | undefined {
  // (`after` starts with the line break that ends the lines replaced: its first piece is empty. Its first lines only:
  // a copy still going on at their end ends past the lines replaced either way — read whole, the rest of a 50,000-line
  // file cost ~40 ms a check.)
  const lines = [...replacedLines, ...(after === undefined ? [] : after.split(/\r?\n/, DEFINITION_LINES_AFTER + 1).slice(1))];
  const before = replaced.whole.slice(0, replaced.from);
  const text = textLines(lines, languageId, before);
  const strings = stringsGivenBack(continuedLines(lines, languageId, before), lines, blockLines, continuedLines(blockLines, languageId));
  return (header) => {
    const end = definitionEnd(lines, header, text, strings, languageId);
    return end > last || (after === undefined && end === last) ? undefined : end;
  };
}

/** A gap's spare lines of a block (losesLines): their indexes, in order, and where each name is among them, in their code and in their text. */
interface SpareLines {
  readonly at: readonly number[];
  readonly inCode: ReadonlyMap<string, readonly number[]>;
  /** (Their text's words, keywords too.) */
  readonly inText: ReadonlyMap<string, readonly number[]>;
}

/** A line's identifiers (IDENTIFIER), keywords too, in order. */
function identifiersOf(line: string): string[] {
  return line.match(IDENTIFIER) ?? [];
}

/** A line's names (losesLines): its identifiers that are no keywords (NOT_NAMES) — or, a line of keywords alone, those. */
function namesOf(line: string): string[] {
  const words = identifiersOf(line);
  const names = words.filter((w) => !NOT_NAMES.has(w));
  return names.length > 0 ? names : words;
}

/** Of lines (`at`, their indexes in order), where each name is: the indexes of those that have it, in order. */
function namesIndex(at: readonly number[], namesAt: readonly ReadonlySet<string>[]): ReadonlyMap<string, readonly number[]> {
  const index = new Map<string, number[]>();
  for (const j of at) {
    for (const name of namesAt[j] ?? []) {
      const where = index.get(name);
      if (where === undefined) index.set(name, [j]);
      else where.push(j);
    }
  }
  return index;
}

/**
 * The lines of an index (namesIndex) that may have `names` half as often as a line has words (`words`; counted as
 * often as they are there), in order: those with one of the rarest names — a line with none of them has too few.
 */
function mayHoldHalf(index: ReadonlyMap<string, readonly number[]>, names: readonly string[], words: number): readonly number[] {
  const times = new Map<string, number>();
  for (const n of names) times.set(n, (times.get(n) ?? 0) + 1);
  const rarest = [...times.keys()].sort((a, b) => (index.get(a)?.length ?? 0) - (index.get(b)?.length ?? 0));
  const lines = new Set<number>();
  // (Of the names, how many a line may lack and still have half: once more of them are counted, it has one of those.)
  const spare = names.length - Math.ceil(words / 2);
  let counted = 0;
  for (const name of rarest) {
    if (counted > spare) break;
    for (const j of index.get(name) ?? []) lines.add(j);
    counted += times.get(name) ?? 0;
  }
  return [...lines].sort((a, b) => a - b);
}

/** A line of closing brackets and separators alone: `)`, `});`, `],`. */
const CLOSING_ONLY = /^[)\]},;\s]+$/;

/**
 * The lines of code lost (not `kept`) that a line kept next to them (`keptAs`: the block's line that stands for it, in
 * `givenCode`) took in, joined into one: each of a run of them from it, up or down, has all its words (keywords aside)
 * in that line's code — or, a line of closing brackets alone (CLOSING_ONLY), those brackets close what the kept line
 * and the run opened, as the block's line closes them (the same brackets left open), and its `,` or `;` is there too.
 * (`const r = compute(` / `x,` / `);` as `const r = compute(x, 3);`; `if (c) {` / `y = 1;` / `}` as `if (c) y = 1;`.)
 */
function mergedLines(code: readonly string[], kept: readonly boolean[], keptAs: readonly number[], givenCode: readonly string[]): number[] {
  const merged: number[] = [];
  const taken = new Set<number>();
  // (A line's words, numbers too — `3` in `compute(x, 3)` —, keywords left out: not namesOf's, which has no numbers and
  // keeps the keywords of a line of nothing else.)
  const nonKeywords = (line: string): string[] => (line.match(/[\w$]+/g) ?? []).filter((w) => !NOT_NAMES.has(w));
  // (A line's brackets left open, of each kind, as written: the lines are linesOfCode's, their comments and strings
  // already taken out.)
  const openOf = (line: string): string => {
    const depths = BRACKET_KINDS.map(() => 0);
    addBrackets(depths, line, 0, line.length);
    return depths.join();
  };
  const countsOf = (line: string): Map<string, number> => {
    const counts = new Map<string, number>();
    for (const w of nonKeywords(line)) counts.set(w, (counts.get(w) ?? 0) + 1);
    return counts;
  };
  for (const [i, j] of keptAs.entries()) {
    const into = givenCode[j] ?? '';
    // (Only into a line the answer changed, and by the names it added there: a neighbour that named them already —
    // `register(cleanup);` beside a `cleanup();` dropped — took nothing in.)
    if (j < 0 || kept[i] !== true || into === (code[i] ?? '')) continue;
    const before = countsOf(code[i] ?? '');
    const added = new Set([...countsOf(into)].flatMap(([w, n]) => (n > (before.get(w) ?? 0) ? [w] : [])));
    const open = openOf(into);
    for (const step of [1, -1]) {
      let run = code[i] ?? '';
      for (let k = i + step; k >= 0 && k < code.length && kept[k] !== true && !taken.has(k); k += step) {
        const line = code[k] ?? '';
        if (line === '') break;
        run = step > 0 ? `${run}\n${line}` : `${line}\n${run}`;
        const closing = CLOSING_ONLY.test(line);
        const takenIn = closing
          ? openOf(run) === open && [',', ';'].every((c) => !line.includes(c) || into.includes(c))
          : nonKeywords(line).length > 0 && nonKeywords(line).every((w) => added.has(w));
        if (!takenIn) break;
        taken.add(k);
        merged.push(k);
      }
    }
  }
  return merged;
}

/** The most lines alignedLines compares in full (those between the lines alike at both ends): more, matched in order. */
const MOST_LINES_ALIGNED = 2000;

/**
 * The pairs of `a`'s and `b`'s lines that are the same (`undefined`: a blank line, never paired), in order: those alike
 * at both ends, then the longest run in common of those between them — or, more than MOST_LINES_ALIGNED of them, each
 * of `a`'s paired with the next of `b`'s like it.
 */
function alignedLines(a: readonly (string | undefined)[], b: readonly (string | undefined)[]): (readonly [number, number])[] {
  const pairs: (readonly [number, number])[] = [];
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) {
    if (a[start] !== undefined) pairs.push([start, start]);
    start++;
  }
  let endA = a.length;
  let endB = b.length;
  const tail: (readonly [number, number])[] = [];
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
    if (a[endA] !== undefined) tail.unshift([endA, endB]);
  }
  const n = endA - start;
  const m = endB - start;
  if (n > MOST_LINES_ALIGNED || m > MOST_LINES_ALIGNED) {
    let j = start;
    for (let i = start; i < endA; i++) {
      if (a[i] === undefined) continue;
      const at = b.indexOf(a[i], j);
      if (at >= 0 && at < endB) {
        pairs.push([i, at]);
        j = at + 1;
      }
    }
    return [...pairs, ...tail];
  }
  // (Longest common subsequence of the lines between: lengths from the end.)
  const length = Array.from({ length: n + 1 }, () => new Uint16Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      const same = a[start + i] !== undefined && a[start + i] === b[start + j];
      length[i]![j] = same ? length[i + 1]![j + 1]! + 1 : Math.max(length[i + 1]![j]!, length[i]![j + 1]!);
    }
  }
  for (let i = 0, j = 0; i < n && j < m; ) {
    if (a[start + i] !== undefined && a[start + i] === b[start + j]) {
      pairs.push([start + i, start + j]);
      i++;
      j++;
    } else if (length[i + 1]![j]! >= length[i]![j + 1]!) i++;
    else j++;
  }
  return [...pairs, ...tail];
}

/**
 * A text's lines (trimmed) as code, read after the document's text before it (LexedAfter): without their comments, each
 * string `""` (commentAndStringSpansInAnyLanguage) — a comment line, or one inside a comment or string begun above, is
 * '': where code was swallowed by a comment or string left open, its names are gone.
 */
function linesOfCode({ whole, from: start, spans }: LexedAfter): string[] {
  let code = '';
  let at = start;
  for (let k = 0; k + 1 < spans.length; k += 2) {
    const from = spans[k] ?? 0;
    const to = spans[k + 1] ?? 0;
    if (to <= at) continue;
    code += whole.slice(at, Math.max(at, from));
    // (The span's line breaks stay: the lines are counted as the text's. A string is `""`, on the lines it starts and
    // ends on.)
    const quote = STRING_OPENER.test(whole.slice(from, from + 4)) ? '"' : '';
    code += (from >= at ? quote : '') + whole.slice(Math.max(at, from), to).replace(/[^\r\n]/g, '') + quote;
    at = to;
  }
  code += whole.slice(at, whole.length - 1);
  return code.split(/\r?\n/).map((l) => l.trim());
}

/** How a string (not a comment) starts, as commentAndStringSpansInAnyLanguage's spans do: a quote, after a prefix (`r"`, `@"`, `u8'`). */
const STRING_OPENER = /^[A-Za-z0-9_@$]{0,3}['"`]/;

/** How many of the document's lines after a window givesRestOfDeclaration reads at the most. */
const REST_OF_DECLARATION_LINES = 200;

/**
 * Whether a block gives back the rest of the declaration the lines it replaces (`replaced`) leave open: every line with
 * a word of the document's lines after them (`after`), up to the one that closes what they open, is one of the block's
 * (as it is). Not so when the model closed the lines sent with a `}` of its own, the declaration's remaining lines left
 * out (with or without a `// ... rest unchanged`).
 */
function givesRestOfDeclaration(block: string, replaced: string, after: string, languageId: string | undefined): boolean {
  const given = new Set(codeLines(block));
  const lines = after.split(/\r?\n/);
  // (The text before the window's end line: the first line of `after` goes on from it.)
  for (let k = 0; k < Math.min(lines.length, REST_OF_DECLARATION_LINES); k++) {
    const line = (lines[k] ?? '').trim();
    if (/\w/.test(line) && !given.has(line)) return false;
    if (bracketDepth(`${replaced}${lines.slice(0, k + 1).join('\n')}`, languageId) <= 0) return true;
  }
  return false;
}

/**
 * Whether a block's first line with text is one of names in brackets (ATTRIBUTES: `[numthreads(8, 8, 1)]`), whether or
 * not the language reads it as attributes (leadsDefinition): likely a definition given back whole, checked as one.
 */
function startsWithAttributes(block: string): boolean {
  const first = block.split(/\r?\n/).find((l) => l.trim() !== '');
  return first !== undefined && ATTRIBUTES.test(first.trim());
}

/**
 * Whether a block's first line with text, past its comments and decorators (leadsDefinition), is a header (headerAt,
 * headerName).
 */
function startsWithHeader(block: string, languageId: string | undefined): boolean {
  const lines = block.split(/\r?\n/);
  let at = 0;
  while (at < lines.length && ((lines[at] ?? '').trim() === '' || leadsDefinition((lines[at] ?? '').trim(), languageId))) at++;
  return at < lines.length && headerName(headerAt(lines, at, languageId).text, languageId) !== undefined;
}

/**
 * Whether the lines a block replaces (`replaced`, its lines with text) end in comment lines (COMMENT_START: `/**`, ` *
 * …`, `#`, `//`) the block has neither as they are nor changed, right after a line it has as it is or changed — the
 * comment of what follows —, or start in such lines that are inside a comment begun before them (read after `before`,
 * the document's text before them: a JSDoc's last lines) before such a line. A line changed is one of the block's the
 * replaced lines lack: much like it (wordOverlap), or it with a comment after it (`}` given back as `} // fixed`).
 */
function dropsCommentAtEdge(block: string, replaced: string, languageId: string | undefined, before: string | undefined): boolean {
  const given = codeLines(block);
  const raw = replaced.split(/\r?\n/).filter((l) => l.trim() !== '');
  const lines = raw.map((l) => l.trim());
  // (Only the block's lines the replaced lines lack can be theirs changed: the block's `2,` — the window's own — is no
  // ` * @since 2.0.0` changed, however alike their words.)
  const changed = linesNotIn(given, lines);
  const kept = (line: string): boolean =>
    given.includes(line) || changed.some((c) => withoutEndComment(c, languageId) === line || (/\w/.test(line) && wordOverlap(wordsOf(line), wordsOf(c)) >= 1 / 2));
  // (The line before the edge's comments may come back changed only in a whole declaration given back — its last line
  // fixed, `}` → `} // fixed`: a fix of the window's last code line that deletes the comment after it on purpose, a
  // `# TODO` done or an `// eslint-disable-next-line` no longer needed, is the fix.)
  const wholeDeclaration = startsWithHeader(block, languageId);
  const noneGiven = (edge: readonly string[]): boolean => edge.length > 0 && linesUnmatched(linesNotIn(edge, given), changed).length === edge.length;
  const dropped = (edge: readonly string[], next: string | undefined): boolean => next !== undefined && (wholeDeclaration ? kept(next) : given.includes(next)) && noneGiven(edge);
  let end = lines.length;
  while (end > 0 && COMMENT_START.test(lines[end - 1] ?? '')) end--;
  if (dropped(lines.slice(end), lines[end - 1])) return true;
  // (Comment lines cut off from the rest of their comment — the start of a `/** … *\/` that runs on past the lines,
  // or the end of one begun above them —, none of them given back: whatever the line next to them, the edit would leave
  // half a comment, its other half read as code or taking in the code after it. As the lexer reads the language.)
  if (isLexedLanguage(languageId)) {
    const continued = continuedLines([...raw, ''], languageId, before ?? '');
    if (continued.at(-1)?.kind === 'comment' && noneGiven(lines.slice(end))) return true;
    let cut = 0;
    while (cut < lines.length && continued[cut]?.kind === 'comment' && continued[cut]?.opener === -1) cut++;
    if (cut < lines.length && noneGiven(lines.slice(0, cut))) return true;
  }
  // (Where a comment starts is known only as the lexer reads the language, after the document's text before. In
  // another, lines that are a comment of their own (opensComment) — a C# `/// <summary>` above the `[HttpGet]` the
  // block starts with —: no line that goes on a comment begun above, which cannot be told from code there.)
  if (before === undefined) return false;
  const inText = isLexedLanguage(languageId) ? textLines(raw, languageId, before) : raw.map((l) => opensComment(l.trim(), languageId));
  let start = 0;
  while (start < lines.length && inText[start] === true && COMMENT_START.test(lines[start] ?? '')) start++;
  return start < lines.length && dropped(lines.slice(0, start), lines[start]);
}

/**
 * Whether a line (trimmed) of a language the lexer does not read (`languageId`, VS Code's) is one dropsCommentAtEdge
 * keeps at the start of the lines a fix replaces: a comment of its own — `//`, `///`, `/* …`, or `#` where it starts a
 * comment (startsAsComment: a shell's, Ruby's, YAML's; not C's `#include`) —, or a directive that pairs with one after
 * it (PAIRED_DIRECTIVE: `#if DEBUG`, `#region`, `#pragma warning disable`), whose `#endif` would be left unpaired. Never a
 * shebang (`#!/bin/sh`) or a directive of its own (ONE_OFF_DIRECTIVE: `#include`, `#define`) — the fix may change or
 * remove those —, nor a line starting `*` (a pointer's store, `*out = x;`, as likely as a comment's middle line) or `--`
 * (`--count;`).
 */
function opensComment(line: string, languageId: string | undefined): boolean {
  if (PAIRED_DIRECTIVE.test(line)) return true;
  if (!/^(?:\/\/|\/\*|#)/.test(line) || ONE_OFF_DIRECTIVE.test(line)) return false;
  return startsAsComment(line, languageId);
}

/**
 * A line (trimmed) starting `#` that is a shebang or a preprocessor's directive of its own (`#include`, `#define`), no
 * comment to keep (opensComment).
 */
const ONE_OFF_DIRECTIVE = /^#(?:!|\s*(?:include|import|define|undef|line|error|warning)\b)/;

/**
 * A line (trimmed) of a preprocessor's or editor's directive that opens, goes on or closes a pair (C's, C#'s, Visual
 * Basic's `#If … Then`): left out, the one it pairs with is left alone (opensComment). Also every `#pragma`, a header's
 * `#pragma once` too: it pairs with nothing, but an answer that leaves out the file's guard is refused, not applied.
 */
const PAIRED_DIRECTIVE = /^#\s*(?:if|ifdef|ifndef|elif|elifdef|elifndef|elseif|else|endif|end\s+if|region|endregion|end\s+region|pragma)\b/i;

/** The document's text before the lines a fix replaces: that before its window (`before`) but its last `linesBefore` lines. */
function textBefore(before: string, linesBefore: number): string {
  const lines = before.match(/(?:[^\r\n]|\r(?!\n))*\r?\n/g) ?? [];
  return lines.slice(0, lines.length - linesBefore).join('');
}

/** The document's text after the lines a fix replaces: that after its window (`after`) but its first `linesAfter` lines. */
function textAfter(after: string, linesAfter: number): string {
  const lines = after.match(/\r?\n(?:[^\r\n]|\r(?!\n))*/g) ?? [];
  return lines.slice(linesAfter).join('');
}

/**
 * Whether the document goes on, after the lines a fix replaces (`after`, undefined when not known: taken to), with a
 * block whose header (at `depth`) opens it there and is not closed among those lines: its next line with text is deeper
 * than the header, or a closing line at its indentation (`}`). Not when nothing follows (the end of the file: the block's
 * `}` missing, added by the fix), or its next line with text is no deeper than the header and closes nothing.
 */
function blockGoesOnAfter(after: string | undefined, depth: number): boolean {
  if (after === undefined) return true;
  const next = after.split(/\r?\n/).find((l) => l.trim() !== '');
  if (next === undefined) return false;
  return indentOf(next) > depth || (indentOf(next) === depth && CLOSING.test(next.trim()));
}

/**
 * Whether a block given back (`given`, its codeLines) is the whole of the lines (`lines`, its lines with text from
 * `firstLine` to `lastLine`) with their first line changed: the lines are one block — a first line opening it (`{` or
 * `(` at its end), the lines between deeper (or a `)` of parameters one a line at its indentation), the last one the
 * block's closing line at its indentation, the block's own last line as it is —, and that first line is the only one
 * the block has neither as it is nor changed (`module.exports = {` given back as `export default {`, `function lod(p) {`
 * as `export async function load(path: string): Promise<string> {`).
 */
function wholeBlockRetitled(lines: readonly string[], text: readonly boolean[], firstLine: number, lastLine: number, given: readonly string[]): boolean {
  const head = lines[firstLine] ?? '';
  const tail = lines[lastLine] ?? '';
  const depth = indentOf(head);
  if (lastLine <= firstLine || !/[{(]$/.test(head.trim()) || !CLOSING.test(tail.trim()) || indentOf(tail) !== depth || tail.trim() !== given.at(-1)) return false;
  for (let k = firstLine + 1; k < lastLine; k++) {
    const line = lines[k] ?? '';
    if (line.trim() === '' || text[k] === true) continue;
    if (indentOf(line) < depth || (indentOf(line) === depth && !/^\)/.test(line.trim()))) return false;
  }
  const unmatched = linesUnmatched(wordedLines(lines), given);
  if (unmatched.length !== 1 || unmatched[0] !== head.trim()) return false;
  // (At least as many bare closing lines, `}` or `});`, as the lines: the words alone would take an inner block given
  // back — `it(…)` of a `describe(…)`, a function of a namespace, a loop of a function, each a closing line short — for
  // the whole, its wrapper deleted. More is a block the fix added inside.)
  const closings = (ls: readonly string[]): number => ls.filter((l) => BARE_CLOSING.test(l.trim())).length;
  return closings(given) >= closings(lines.slice(firstLine, lastLine + 1).filter((_, k) => text[firstLine + k] !== true));
}

/**
 * One attribute: a name (`HttpGet`, `System.Obsolete`, C++'s `gnu::always_inline`), generic or not (`Produces<Item>`),
 * with arguments or not (`Route("api/[controller]")`, `DllImport("x", CharSet = CharSet.Auto)`) — an argument's `=`
 * only inside its parentheses.
 */
const ATTRIBUTE = String.raw`[A-Za-z_]\w*(?:(?:\.|::)[A-Za-z_]\w*)*(?:<[\w\s.,<>?\[\]]*>)?(?:\s*\((?:"(?:[^"\\]|\\.)*"|[^()"]|\([^()]*\))*\))?`;

/** Attributes one after another, `,` between them, C#'s target before them or not (`return: NotNull`, `assembly: …`). */
const ATTRIBUTE_LIST = String.raw`(?:\w+:\s*)?${ATTRIBUTE}(?:\s*,\s*${ATTRIBUTE})*`;

/**
 * A line (trimmed) of C# attributes (`[HttpGet]`, `[Obsolete, Serializable]`, `[Produces<Item>]`) or C++ ones
 * (`[[nodiscard]]`, `[[gnu::always_inline]]`), a comment after them or not (`[HttpGet] // list`): nothing else — an
 * array (`[a, b] = [b, a];`, `[1, 2],`) is none.
 */
const ATTRIBUTES = new RegExp(String.raw`^(?:\[\[${ATTRIBUTE_LIST}\]\]|\[${ATTRIBUTE_LIST}\])\s*(?:(?://|/\*).*)?$`);

/**
 * The language families (languageFamily) in which a line of names in brackets (ATTRIBUTES) is code, not attributes of
 * the definition after it: a Python list comprehension (`[os.remove(f) for f in glob.glob(p)]`), a JavaScript array or
 * destructuring (`[a, b]`), a TypeScript tuple type (`[Cell, Cell]`), a Ruby, PHP, Swift, Julia or Elixir array, a
 * shell's test, a YAML flow sequence, a TOML or INI section; a Kotlin, Scala, Lua, R, MATLAB, Zig or SQL one; the
 * script of a Vue, Svelte or Astro component, HTML's or a Markdown or MDX file's code. (Rust's and PHP's attributes
 * start `#[`, Java's and Kotlin's `@`.)
 * Everywhere else — C#, C++ and C (`[HttpGet]`, `[[nodiscard]]`), HLSL and the shader languages of extensions
 * (`[numthreads(8, 8, 1)]`), Razor's C#, PowerShell (`[CmdletBinding()]`), Delphi, a language not named or `plaintext`
 * (a snippet whose language is not known) — such a line is taken for attributes, as one of names alone is likelier so.
 */
const BRACKETS_ARE_CODE: ReadonlySet<string> = new Set([
  'python',
  'javascript',
  'typescript',
  'ruby',
  'go',
  'rust',
  'php',
  'java',
  'shell',
  'perl',
  'swift',
  'julia',
  'coffeescript',
  'elixir',
  'erlang',
  'haskell',
  'dart',
  'groovy',
  'json',
  'yaml',
  'toml',
  'ini',
  'vue',
  'svelte',
  'astro',
  'mdx',
  'kotlin',
  'scala',
  'lua',
  'r',
  'matlab',
  'sql',
  'zig',
  'html',
  'markdown',
]);

/** A line of closing brackets alone, with a `;` or `,` after them (`}`, `});`, `},`, `)`). */
const BARE_CLOSING = /^[\]})]+[);,]*$/;

/**
 * Whether a line (trimmed) belongs to the definition after it: a comment (COMMENT_START: `//`, `#`, `/*`, a JSDoc line
 * `* …`, `--`), a decorator or annotation (`@app.route("/")`, `@Input()`, `@Override`), or — but in a language where
 * such a line is code (`languageId`, VS Code's: BRACKETS_ARE_CODE) — a line of attributes (ATTRIBUTES: `[HttpGet]`,
 * `[Route("api/items")]`, `[return: NotNull]`, `[[nodiscard]]`, `[numthreads(8, 8, 1)]`).
 */
function leadsDefinition(line: string, languageId: string | undefined): boolean {
  return COMMENT_START.test(line) || /^@[A-Za-z_$]/.test(line) || (!(languageId !== undefined && BRACKETS_ARE_CODE.has(languageFamily(languageId))) && ATTRIBUTES.test(line));
}

/**
 * Whether a line (trimmed) right above a definition's header goes with that definition (losesLines: a duplicate
 * dropped with them): a decorator or annotation (`@cache`, `@Input()`, `@Override`), a Rust attribute (`#[inline]`),
 * or — TypeScript's — an overload signature of the definition's name (`name`; undefined: of any name), a header with a
 * return type and no body (`function area(w: number): number;`, a method's `area(w: number): number;`; a call,
 * `area(2, 3);`, has no return type).
 */
function decoratesDefinition(line: string, name: string | undefined, languageId: string | undefined): boolean {
  if (/^@[A-Za-z_$]/.test(line) || (languageId === 'rust' && line.startsWith('#['))) return true;
  if (languageId === undefined || languageFamily(languageId) !== 'typescript' || !/\)\s*:[^;]+;$/.test(line)) return false;
  const signatureOf = headerName(`${line.slice(0, -1)} {`, languageId);
  return signatureOf !== undefined && (name === undefined || signatureOf === name);
}

/** A line that closes a block at its header's indentation (`}`, `});`, `]`, `)`, Ruby's and Lua's `end`). */
const CLOSING = /^(?:[}\])]|end\b)/;

/** A line (trimmed) that ends a definition above it however it was lexed: a header (headerName) or a closing line. */
function endsDefinition(line: string, languageId: string | undefined): boolean {
  return CLOSING.test(line) || headerName(line, languageId) !== undefined;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/**
 * The header `lines[at]` starts, as one line (trimmed): that line, or — a header whose parameters are spread over lines
 * (`def __new__(cls, encode,`, then `        name=None):`) — its lines to the one that closes its parentheses, joined by a
 * space, or — an Allman-style header, its block's `{` alone on the next line at its indentation or two columns further
 * in (`public int Total()`, then `{`: C#'s way, often Java's, C's, PHP's; GNU's `{` two spaces in) — the two joined
 * (`public int Total() {`), when they declare a name so (headerName, as the language — `languageId` — writes
 * comments), or such a header with its return type alone on
 * the line above it (returnTypeHeader); `end`, the header's last line (that `{`'s).
 */
function headerAt(lines: readonly string[], at: number, languageId: string | undefined): { readonly text: string; readonly end: number } {
  const header = headerOnLines(lines, at, languageId);
  return typeLiteralHeader(lines, at, header, languageId) ?? header;
}

/** headerAt but for a TypeScript header's object type spread over lines (typeLiteralHeader). */
function headerOnLines(lines: readonly string[], at: number, languageId: string | undefined): { readonly text: string; readonly end: number } {
  const spread = spreadHeaderAt(lines, at, languageId);
  if (spread !== undefined && headerName(spread.text, languageId) !== undefined) return spread;
  const braced = spread === undefined ? undefined : allmanHeader(lines, at, spread, languageId);
  if (braced !== undefined) return braced;
  const line = { text: (lines[at] ?? '').trim(), end: at };
  return allmanHeader(lines, at, line, languageId) ?? returnTypeHeader(lines, at, languageId) ?? line;
}

/**
 * A header (trimmed) whose last `{` may open a TypeScript type annotation's object type rather than the body: after the
 * `:` of a return type (`): {`, or a type's argument, `): Promise<{`) or of a constant's type (`export const cached: {`).
 */
const OPENS_TYPE_LITERAL = /[)\w$\]>?]\s*:\s*(?:[\w$.]+<)?\{$/;

/**
 * A TypeScript header (`header`, from `lines[at]`, declaring a name: headerName) whose `{` at its end opens an object
 * type spread over lines — a function's return type (`): {`, its members one a line, then `} => {` or `} {`), an
 * overloaded constant's call signatures (`export const cached: {`, then `} = function() {`) —: it run on to the line at
 * its indentation that closes that type and opens the body (`{` at its end), joined. Read as the body's `{`, the
 * type's `}` would end the definition there, and its body would be lines of no definition: the lines around it the
 * block leaves out taken for the block's, and deleted. Undefined for any other header: the type closed by a line that
 * opens no body (`} = dual(`, `} = {}`), or not closed within MAX_HEADER_LINES.
 */
function typeLiteralHeader(
  lines: readonly string[],
  at: number,
  header: { readonly text: string; readonly end: number },
  languageId: string | undefined,
): { readonly text: string; readonly end: number } | undefined {
  if (languageId === undefined || languageFamily(languageId) !== 'typescript' || !OPENS_TYPE_LITERAL.test(header.text) || headerName(header.text, languageId) === undefined) return undefined;
  const indent = indentOf(lines[at] ?? '');
  const last = Math.min(lines.length - 1, header.end + MAX_HEADER_LINES);
  for (let end = header.end + 1; end <= last; end++) {
    const line = withoutEndComment((lines[end] ?? '').trim(), languageId);
    if (line === '' || indentOf(lines[end] ?? '') > indent) continue;
    if (!/^\}.*\{$/.test(line) || indentOf(lines[end] ?? '') !== indent) return undefined;
    // (The type's members read together, comments and strings as the lexer reads them: a JSDoc's `{@link A}` opens nothing.)
    const members = `${lines.slice(header.end + 1, end).join('\n')}\n${line.slice(0, -1)}`;
    if (bracketDepth(members, languageId, BRACES) !== -1) return undefined;
    return { text: [header.text, ...lines.slice(header.end + 1, end + 1).map((l) => withoutEndComment(l.trim(), languageId))].join(' '), end };
  }
  return undefined;
}

/**
 * A header (`header`, from `lines[at]`) with its block's `{` alone on the next line at its indentation — or two columns
 * further in, GNU's way (`area (int w, int h)`, then `  {`) —, joined, when they declare a name so.
 */
function allmanHeader(lines: readonly string[], at: number, header: { readonly text: string; readonly end: number }, languageId: string | undefined): { readonly text: string; readonly end: number } | undefined {
  const next = lines[header.end + 1];
  const indent = indentOf(lines[at] ?? '');
  if (next === undefined || next.trim() !== '{' || (indentOf(next) !== indent && indentOf(next) !== indent + 2) || header.text === '') return undefined;
  // (`public int Total() // sums`, then `{`: the `{` after the comment would be in it.)
  const joined = `${withoutEndComment(header.text, languageId)} {`;
  return headerName(joined, languageId) === undefined ? undefined : { text: joined, end: header.end + 1 };
}

/**
 * A line that may be a C function's return type alone (`static int`, `char *`, `struct shape *`, `unsigned long`):
 * words, with `*` or `&` — no statement's parentheses, `;` nor `=`.
 */
const RETURN_TYPE = /^[A-Za-z_][\w\s*&]*$/;

/**
 * A C function's header with its return type alone on the line above its name (GNU's way, and BSD's: `static int`, then
 * `area (int w, int h)`, then `{`), from that type's line (`lines[at]`), as one line (`static int area (int w, int h)
 * {`): where the next line, at its indentation, starts an Allman-style header (allmanHeader: its `{` alone on a line of
 * its own — a brace-language layout, so a Python statement or a JavaScript field above a method is never taken in).
 * The type is the definition's, and goes where the definition goes.
 */
function returnTypeHeader(lines: readonly string[], at: number, languageId: string | undefined): { readonly text: string; readonly end: number } | undefined {
  const type = (lines[at] ?? '').trim();
  const next = lines[at + 1];
  const firstWord = /^[A-Za-z_]\w*/.exec(type)?.[0] ?? '';
  if (next === undefined || !RETURN_TYPE.test(type) || NOT_A_TYPE.has(firstWord) || RETURN_TYPE.test(next.trim()) || indentOf(next) !== indentOf(lines[at] ?? '')) return undefined;
  const header = headerAt(lines, at + 1, languageId);
  if (header.end === at + 1 || (lines[header.end] ?? '').trim() !== '{') return undefined;
  const text = `${type} ${header.text}`;
  return headerName(text, languageId) === undefined ? undefined : { text, end: header.end };
}

/** The most lines a header's parameters spread over that headerAt reads as one header. */
const MAX_HEADER_LINES = 40;

/**
 * The lines from `lines[at]`, which opens parentheses it does not close, to the one that closes them (within
 * MAX_HEADER_LINES), joined by a space (trimmed), and the index of that last line; undefined for a line that closes its
 * parentheses or never does. (Brackets are counted outside comments and strings, as the language — `languageId` —
 * writes them: bracketDepth; a Python `a//b` or a JavaScript regex `/[ #(]/` in a parameter's default hides none.)
 */
function spreadHeaderAt(lines: readonly string[], at: number, languageId: string | undefined): { readonly text: string; readonly end: number } | undefined {
  let end = at;
  // (TypeScript's type parameters one a line, `function match<`, then `  A extends Tagged,`, then `>(cases: C): R {`:
  // read from that `>` line on, at the header's indentation.)
  if (/^(?:[\w$]+\s+)*[\w$]+\s*<$/.test(withoutEndComment((lines[at] ?? '').trim(), languageId))) {
    while (end < Math.min(lines.length - 1, at + MAX_HEADER_LINES) && !(/^>/.test((lines[end] ?? '').trim()) && indentOf(lines[end] ?? '') === indentOf(lines[at] ?? ''))) end++;
    if (!/^>/.test((lines[end] ?? '').trim())) return undefined;
  }
  let open = bracketDepth(lines[end] ?? '', languageId, PARENS);
  if (open <= 0) return end === at ? undefined : { text: lines.slice(at, end + 1).map((l) => withoutEndComment(l.trim(), languageId)).join(' '), end };
  while (open > 0 && end < Math.min(lines.length - 1, at + MAX_HEADER_LINES)) open += bracketDepth(lines[++end] ?? '', languageId, PARENS);
  if (open !== 0) return undefined;
  // (Each line without the comment at its end, `items,  # the items`: joined, the first comment would take in the rest.)
  return { text: lines.slice(at, end + 1).map((l) => withoutEndComment(l.trim(), languageId)).join(' '), end };
}

/**
 * The last line (index) of the definition whose header is `lines[header]` (headerName): the last line with text before the
 * next one indented no more than the header — or that line itself when it closes the header's block (`}`) —; the last
 * line with text when the definition runs to the end of `lines`. Lines of text (`text`, textLines: a comment, a
 * string's lines) end nothing: a commented-out `#    print(w, h)` at column 1 in a Python function is in it when the
 * function goes on after it. But for a header or a closing line (`}`): a lexer misled (a string's quote it took for an
 * opener) must not run the definition on into the next one. The lines of a string the definition opens (`strings`,
 * continuedLines) are its own at any indentation: a Python `return '''\` whose lines stand at column 0.
 */
function definitionEnd(lines: readonly string[], header: number, text: readonly boolean[], strings: readonly (StringLine | undefined)[], languageId: string | undefined): number {
  return definitionExtent(lines, header, text, strings, languageId).end;
}

/**
 * Where the definition whose header is `lines[header]` ends (definitionEnd), and how that was told: at a closing line
 * of its block (`closed`: `}` — a brace language's end, sure), whether a line of text at the header's indentation or
 * less was passed over on the way (`passedText`), and whether one of those was a header inside a string of the
 * definition's that the answer does not show as that string's (`unclear`: the string may be the lexer's pairing of a
 * quote typed mid-edit with the next definition's docstring, that header the next definition's; the end is then
 * taken before it).
 */
function definitionExtent(
  lines: readonly string[],
  header: number,
  text: readonly boolean[],
  strings: readonly (StringLine | undefined)[],
  languageId: string | undefined,
): { readonly end: number; readonly closed: boolean; readonly passedText: boolean; readonly unclear: boolean } {
  const opened = headerAt(lines, header, languageId);
  let last = opened.end;
  // (A `{` alone under the header, two columns further in — GNU's way —: the block is closed by its `}` there.)
  const brace = lines[last] ?? '';
  const depth = last > header && brace.trim() === '{' ? indentOf(brace) : indentOf(lines[header] ?? '');
  let passedText = false;
  const body = last + 1;
  let stringGoingOn = -1;
  for (let i = last + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '') continue;
    // (A string opened at any indentation inside brackets the definition's lines opened after its header is theirs: a
    // Python call's argument `'''Convert the files.` at column 0 — its text and its closing `''')` then the string's
    // own lines. Not any line in brackets left open: a `(` the code lacks its `)` — the fix asked for — would take in
    // the module's statements after the function, a `"""Helpers below."""` among them. So only where the line
    // before it goes on visibly (goesOnVisibly: `description=`, `printf(`, `'a',`) or is such a string itself (C's
    // `"Usage: foo\n"` then `"  -h help\n", 1);`), not after a `return x`.)
    const before = previousLine(lines, i);
    if (
      indentOf(line) <= depth &&
      STRING_START.test(line.trim()) &&
      (before === stringGoingOn || goesOnVisibly(lines[before] ?? '', languageId)) &&
      insideBrackets(lines.slice(body, i).join('\n'), /\{$/.test(opened.text), languageId)
    ) {
      last = i;
      stringGoingOn = i;
      continue;
    }
    // (A line inside a string the definition opened — a Python `return '''\` whose lines stand at column 0, to the
    // line its closing `'''` starts, `''' % (title, contents)` — is the definition's, even one that reads as a header
    // or a `}`: a JSON template's, a CSS rule's in a template literal. Not one of a string opened after the
    // definition's last line — a module's `'''` notes or code commented out, a class's string after a method —, nor
    // of one never closed — a quote typed mid-edit, the very fix asked for —, nor a comment at column 0: the next
    // definition's, or no one's.)
    const string = strings[i];
    const own = string?.kind === 'string' && string.closed && string.opener >= header && string.opener <= last;
    if (indentOf(line) <= depth && text[i] === true && (own || !endsDefinition(line.trim(), languageId))) {
      if (own && string.shown === false && headerName(line.trim(), languageId) !== undefined) return { end: last, closed: false, passedText, unclear: true };
      passedText = true;
      if (own) last = i;
      continue;
    }
    if (indentOf(line) <= depth) return CLOSING.test(line.trim()) ? { end: i, closed: true, passedText, unclear: false } : { end: last, closed: false, passedText, unclear: false };
    last = i;
  }
  return { end: last, closed: false, passedText, unclear: false };
}

/** The last line with text before `lines[at]` (its index; -1 if none). */
function previousLine(lines: readonly string[], at: number): number {
  for (let k = at - 1; k >= 0; k--) if ((lines[k] ?? '').trim() !== '') return k;
  return -1;
}

/**
 * Whether a code line (trimmed) ends so that its statement goes on to the next line: an open bracket, a comma, an
 * assignment or an operator waiting for its operand, a backslash (a comment after it aside) — or, in a language whose
 * string literals side by side are one (JOINS_STRINGS: C's `puts("a"` before `"b");`), a string literal.
 */
function goesOnVisibly(line: string, languageId: string | undefined): boolean {
  const code = withoutEndComment(line.trim(), languageId);
  return /[([{,=+%\\]$/.test(code) || (languageId !== undefined && JOINS_STRINGS.has(languageFamily(languageId)) && code.endsWith('"'));
}

/** The language families (languageFamily) whose string literals written one after another are one string: C's and its kin's. */
const JOINS_STRINGS: ReadonlySet<string> = new Set(['c', 'cpp', 'cuda-cpp', 'objectivec', 'objective-cpp']);

/** A line (trimmed) that starts with a string: its quote, after a Python prefix or not (`'''`, `r"""`, `f'`, `` ` ``). */
const STRING_START = /^[rRbBuUfF]{0,2}['"`]/;

/**
 * Whether a definition's lines after its header (`text`, from the line after the header's last) leave brackets open,
 * so that the line after them goes on a statement among them: parentheses or square brackets, and — after a header
 * that opens no brace block (`def usage(prog):`; `bracedHeader`, one that does) — braces too. (After one that does,
 * `function f() {`, a brace left open may be a block's `}` the code lacks — the fix asked for —, and the next
 * definition no part of it.)
 */
function insideBrackets(text: string, bracedHeader: boolean, languageId: string | undefined): boolean {
  const [braces = 0, parens = 0, squares = 0] = bracketDepths(text, languageId);
  return parens > 0 || squares > 0 || (braces > 0 && !bracedHeader);
}

/**
 * A line of the lines a block replaces that starts inside a string or comment (ContinuedLine), and — a string's line —
 * whether the answer's block has it, or one much like it, among its own strings' lines (`shown`, stringsGivenBack).
 */
interface StringLine extends ContinuedLine {
  readonly shown?: boolean;
}

/**
 * The strings of the lines (`strings`, continuedLines) that the answer's block (`blockLines`) gives back as strings:
 * those at least half of whose lines with words (trimmed) are like a line the block continues a string on
 * (`blockStrings`) — the same, or much like it (wordOverlap ½: a string the fix changed, `'''` made `"""`, a typo in
 * its text, its closing line tidied) —, each line marked `shown` when it is such a line. Only those can be a
 * definition's own at any indentation (definitionExtent): a quote typed mid-edit — the fix asked for closes it — is
 * closed by the lexer at the next definition's docstring or template literal, and the lines between, a comment at
 * column 0 and the next header, would be taken for the function's. (Lines without words — a docstring's `"""` alone,
 * a template's `}` — are anyone's: every docstring closed on a line of its own has one.)
 */
function stringsGivenBack(
  strings: readonly (ContinuedLine | undefined)[],
  lines: readonly string[],
  blockLines: readonly string[],
  blockStrings: readonly (ContinuedLine | undefined)[],
): (StringLine | undefined)[] {
  const exactly = new Set(blockLines.filter((l, k) => blockStrings[k]?.kind === 'string' && l.trim() !== '').map((l) => l.trim()));
  const givenWords = [...exactly].filter((l) => /\w/.test(l)).map(wordsOf);
  // (Much like: the same words, or two or more shared and half of them (wordOverlap ½) — one word alike is no sign
  // in lines this short: `z = y` and a docstring's `Double y.`.)
  const like = (line: string): boolean => {
    if (exactly.has(line)) return true;
    const words = wordsOf(line);
    return givenWords.some((w) => {
      const overlap = wordOverlap(words, w);
      return overlap === 1 || (overlap >= 1 / 2 && (overlap * (words.size + w.size)) / 2 >= 2);
    });
  };
  // (Each string's lines with words, how many of them are like the block's, and whether one without words is the
  // block's: a template literal's `}` and closing line after a `${c}`, a string of its own to the lexer.)
  const counts = new Map<number, { worded: number; like: number; bare: boolean }>();
  strings.forEach((s, k) => {
    const line = (lines[k] ?? '').trim();
    if (s?.kind !== 'string' || line === '') return;
    const count = counts.get(s.opener) ?? { worded: 0, like: 0, bare: false };
    const worded = /\w/.test(line);
    counts.set(s.opener, { worded: count.worded + (worded ? 1 : 0), like: count.like + (worded && like(line) ? 1 : 0), bare: count.bare || (!worded && exactly.has(line)) });
  });
  const confirmed = new Set([...counts].flatMap(([opener, c]) => ((c.worded === 0 ? c.bare : c.like > 0 && 2 * c.like >= c.worded) ? [opener] : [])));
  return strings.map((s, k) => {
    if (s?.kind !== 'string') return s;
    const line = (lines[k] ?? '').trim();
    return confirmed.has(s.opener) ? { ...s, shown: /\w/.test(line) ? like(line) : exactly.has(line) } : undefined;
  });
}

/** One definition of a block's (definitionsOf): its first line (a leading comment or decorator, else its header), its header, its last line. */
interface Definition {
  readonly start: number;
  readonly header: number;
  readonly end: number;
}

/**
 * A block's lines as definitions one after another (each: comments and decorators, a header — headerName —, the lines
 * to its end, definitionEnd), or undefined when any line with text is outside them (a statement, a lone `}`).
 */
function definitionsOf(lines: readonly string[], text: readonly boolean[], strings: readonly (StringLine | undefined)[], languageId: string | undefined): Definition[] | undefined {
  const found: Definition[] = [];
  let i = 0;
  while (i < lines.length) {
    if ((lines[i] ?? '').trim() === '') {
      i++;
      continue;
    }
    const start = i;
    while (i < lines.length && ((lines[i] ?? '').trim() === '' || (leadsDefinition((lines[i] ?? '').trim(), languageId) && headerName((lines[i] ?? '').trim(), languageId) === undefined))) i++;
    if (i >= lines.length || headerName(headerAt(lines, i, languageId).text, languageId) === undefined) return undefined;
    const end = definitionEnd(lines, i, text, strings, languageId);
    found.push({ start, header: i, end });
    i = end + 1;
  }
  return found;
}

const unclearPart = { problem: 'the answer gave back part of the lines asked for, and which of them it replaces is unclear; nothing was applied — copy the code instead' } as const;

/**
 * Where the definitions a block gives back (definitionsOf) are among the lines it is to replace (`replaced`: the window,
 * widened or not): when the block is nothing but definitions, of which some are the lines' own (a header of the lines,
 * as it is or changed: sameHeader), and the lines hold more than those — the end of the definition before them, the
 * start of the one after, which the answer left out as none of its business —, the lines of `replaced` before the
 * first of them and after the last (`skipBefore`, `skipAfter`; the lines it replaces, `text`), kept rather than deleted
 * by the edit. A definition's leading comments in the lines go with it when the block gives back one of them (or one
 * like it). Undefined when the block replaces all of the lines: it gives them back (the first and last line as they
 * are), or is no definitions only, or none of its definitions are the lines' (a new name: taken to replace them as
 * before). A problem when which lines it replaces is unclear: a header it gives back is the lines' twice, its
 * definitions are out of the lines' order, or it goes on with the lines left around them. The lines' comments and
 * strings are read after the document's text before them (`before`, when known: lines that start inside the docstring
 * or template literal of the definition before are its text, and its closing quote opens nothing).
 */
function definitionsReplaced(
  block: string,
  replaced: string,
  languageId: string | undefined,
  before: string | undefined,
  echoedHeader = false,
  after?: string,
): { readonly skipBefore: number; readonly skipAfter: number; readonly text: string } | { readonly problem: string } | undefined {
  const blockLines = block.split(/\r?\n/);
  const parts = replaced.split(/(\r?\n)/);
  const lines = parts.filter((_, k) => k % 2 === 0);
  const withText = lines.map((l, k) => (l.trim() === '' ? -1 : k)).filter((k) => k >= 0);
  const firstLine = withText[0];
  const lastLine = withText.at(-1);
  if (firstLine === undefined || lastLine === undefined) return undefined;
  const given = codeLines(block);
  const blockStrings = continuedLines(blockLines, languageId);
  const definitions = definitionsOf(blockLines, textLines(blockLines, languageId), blockStrings, languageId);
  const text = textLines(lines, languageId, before);
  const strings = stringsGivenBack(continuedLines(lines, languageId, before, after), lines, blockLines, blockStrings);
  if (hidesHeader(lines, text, strings, languageId)) return unclearPart;
  // (The lines given back whole, fixed in between: the reply the prompt asks for. Not where its first and last lines are
  // only alike — a JSDoc's `/**` and a `}` — and its definitions fewer than the lines': one of them given back alone.
  // Nor where the lines are definitions and then the `}` closing the class around them, which a block of definitions
  // only has not: its last `}` is a definition's. Nor where the lines have a line at their first line's indentation or
  // less that the block has neither as it is nor changed: its last line, a `}` like theirs, closes its first line's
  // block, where theirs closes the next one's — a method given back alone, the class's `}` and the next class's
  // start after it among the lines —, and those between would be deleted.)
  const outer = lines.filter((l, k) => k > firstLine && text[k] !== true && l.trim() !== '' && indentOf(l) <= indentOf(lines[firstLine] ?? ''));
  if (given[0] === lines[firstLine]?.trim() && given.at(-1) === lines[lastLine]?.trim() && linesUnmatched(wordedLines(outer), given).length === 0) {
    if (definitions === undefined) return undefined;
    const own = definitionsOf(lines, text, strings, languageId);
    if (own === undefined) {
      if (!closedAround(lines, text, strings, firstLine, lastLine, languageId)) return undefined;
    } else {
      const givenBack = oneOfHeaders(
        definitions.map((d) => headerAt(blockLines, d.header, languageId).text),
        languageId,
      );
      const kept = own.every((d) => givenBack(headerAt(lines, d.header, languageId).text));
      if (kept && own.length <= definitions.length) return undefined;
    }
  }
  if (definitions === undefined) return braceBlockReplaced(blockLines, lines, parts, text, firstLine, lastLine, echoedHeader, after, languageId);
  // The lines are nothing but definitions, and the block gives back each of them (reordered: a class moved above its
  // first use; one of two alike left out: a duplicate removed) and no other: it replaces all of them.
  if (sameDefinitions(definitions.map((d) => headerAt(blockLines, d.header, languageId).text), given, lines, text, strings, languageId)) return undefined;
  const unclear = unclearPart;
  // Each of the block's headers is one of the lines' headers as it is, else changed (sameHeader), each of theirs taken
  // once: new `@overload` stubs like the lines' `def parse(value):` leave it to the block's own `def parse(value):`.
  // (Each line's header read once, and found by its text or its name — not each of the block's headers compared with
  // each line's: a whole file given back with one definition renamed or left out would take seconds, oneOfHeaders.)
  const names = headerNames(languageId);
  const headerOf = lines.map((_, k) => headerAt(lines, k, languageId).text);
  const free = new Set(headerOf.flatMap((h, k) => (names(h) === undefined ? [] : [k])));
  const byText = new Map<string, number[]>();
  const byName = new Map<string, number[]>();
  for (const k of free) {
    const header = headerOf[k] ?? '';
    for (const [map, key] of [[byText, header], [byName, names(header) ?? '']] as const) {
      const alike = map.get(key);
      if (alike === undefined) map.set(key, [k]);
      else alike.push(k);
    }
  }
  const at = new Map<Definition, number>();
  const asItIs = (header: string): number[] => (byText.get(header) ?? []).filter((k) => free.has(k));
  const changed = (header: string): number[] =>
    (byName.get(names(header) ?? '') ?? []).filter((k) => free.has(k) && sameHeader(headerOf[k] ?? '', header, languageId, names));
  for (const alike of [asItIs, changed]) {
    for (const definition of definitions) {
      if (at.has(definition)) continue;
      const header = headerAt(blockLines, definition.header, languageId).text;
      const typed = returnTypeHeader(blockLines, definition.header, languageId) !== undefined;
      const found = oneOfTyped(alike(header), lines, typed, header, languageId);
      if (found.length > 1) return unclear;
      if (found[0] === undefined) continue;
      at.set(definition, found[0]);
      free.delete(found[0]);
    }
  }
  const matched = definitions.flatMap((definition) => {
    const k = at.get(definition);
    return k === undefined ? [] : [{ definition, at: k }];
  });
  const first = matched[0];
  const last = matched.at(-1);
  if (first === undefined || last === undefined) {
    // (One brace-language definition, closed by its `}`, whose header the lines have not, where they hold lines it has
    // neither as they are nor changed: its place among them is not known, and put in place of all of them it would
    // delete those.)
    const only = definitions.length === 1 ? definitions[0] : undefined;
    const closes = only !== undefined && /^\}/.test(codeLines(blockLines.slice(only.header, only.end + 1).join('\n')).at(-1) ?? '');
    return closes && linesUnmatched(wordedLines(lines), given).length > 0 && !wholeBlockRetitled(lines, text, firstLine, lastLine, given) ? unclear : undefined;
  }
  if (matched.some((m, k) => k > 0 && m.at <= (matched[k - 1]?.at ?? 0))) return unclear;
  // The first definition's comments and decorators in the lines, when the block gives back its own: those right above
  // its header (no blank line between) at its indentation — not a section's comment above a blank line, nor one at
  // the end of the body before (`    # TODO: cache it`). A JSDoc comment's ` * ` lines are a column further in. Past
  // blank lines, those the block gives back as they are (`# Area of a w by h rectangle.`, a blank line, `def area(w,
  // h):`): taken in with the blank lines, not left above the block's copy. (Above the lines, the document's own are
  // taken in by echoedAround, the block echoing them.)
  let start = first.at;
  const leading = codeLines(blockLines.slice(first.definition.start, first.definition.header).join('\n'));
  if (leading.length > 0) {
    const depth = indentOf(lines[start] ?? '');
    const isLeading = (raw: string): boolean => {
      const line = raw.trim();
      if (line === '' || !leadsDefinition(line, languageId) || headerName(line, languageId) !== undefined) return false;
      const indent = indentOf(raw);
      return indent === depth || (indent === depth + 1 && line.startsWith('*'));
    };
    const runUp = (from: number): number => {
      let k = from;
      while (k > 0 && isLeading(lines[k - 1] ?? '')) k--;
      return k;
    };
    const right = runUp(start);
    const own = codeLines(lines.slice(right, start).join('\n'));
    if (own.some((r) => leading.some((l) => l === r || wordOverlap(wordsOf(l), wordsOf(r)) >= 1 / 2))) start = right;
    else if (right === start) {
      let past = start;
      while (past > 0 && (lines[past - 1] ?? '').trim() === '') past--;
      const run = runUp(past);
      if (run < past && codeLines(lines.slice(run, past).join('\n')).join('\n') === leading.join('\n')) start = run;
    }
  }
  const { end, closed, passedText } = definitionExtent(lines, last.at, text, strings, languageId);
  // (A brace language's definition given back closed by its `}` where the lines' runs on to their end unclosed: its
  // rest is after the lines, and would be there twice. Where the lines were widened to its header, the brackets
  // counted tell it: fixFromAnswer.)
  if (
    !echoedHeader &&
    !closed &&
    end === lines.length - 1 &&
    CLOSING.test(codeLines(blockLines.slice(last.definition.header, last.definition.end + 1).join('\n')).at(-1) ?? '') &&
    /\{$/.test(headerAt(lines, last.at, languageId).text) &&
    blockGoesOnAfter(after, indentOf(lines[last.at] ?? ''))
  )
    return unclear;
  if (start <= firstLine && end >= lastLine) return undefined;
  // (The block goes on with the lines' next two lines beyond those it replaces, or their two before: it is no
  // definition among others there, and its place is not known — a function the lines read as ended early, at a stray
  // `}` or a Python statement dedented by mistake, which the block has those lines inside. Two lines the definition the
  // lines hold has in a row too are no sign — a method's `s = s[:i] + …` and `return s` ending the one above it as
  // well —, and comment lines are looked for only in the block's lines before its first definition found or after its
  // last, those it would go on with: a JSDoc's ` * @since 2.0.0` and ` * @category hashing` above the lines' definition
  // are no sign where the block's definition has them inside, above each of its overloads.)
  const kept = (from: number, to: number): string[] => wordedLines(lines.slice(from, to));
  const own = kept(start, end + 1);
  const goesOnWith = (pair: readonly string[], from: number, to: number): boolean =>
    pair.length > 0 && pair.every((line) => COMMENT_START.test(line))
      ? showsInARow(blockLines.slice(from, to), pair)
      : showsInARow(given, pair) && !showsInARow(own, pair);
  if (goesOnWith(kept(0, start).slice(-2), 0, first.definition.header) || goesOnWith(kept(end + 1, lines.length).slice(0, 2), last.definition.end + 1, blockLines.length))
    return unclear;
  // (Not after a block closed by its `}`: what follows it at any indentation — a chained `.name('cart')` — is not its.)
  if ((!closed || passedText) && goesOnAfter(lines, end, indentOf(lines[last.at] ?? ''), text, languageId)) return unclear;
  return { skipBefore: start, skipAfter: lines.length - 1 - end, text: parts.slice(2 * start, 2 * end + 1).join('') };
}

/**
 * The lines (indices) where a header of the lines is found (definitionsReplaced), a C header with its return type on
 * the line above its name (returnTypeHeader) found at both — the type's line and the name's, one header read from
 * either — taken once: at the type's line where the block's header (`header`) has its type — alone on the line above
 * its name (`typed`), or joined onto it (`static int area (long w, int h)` for `static int`, then `area (int w, int
 * h)`) —, else at the name's (the type left as it is above the block's header, `area (long w, int h)`).
 */
function oneOfTyped(found: readonly number[], lines: readonly string[], typed: boolean, header: string, languageId: string | undefined): readonly number[] {
  const [first, second] = found;
  if (found.length !== 2 || first === undefined || second !== first + 1 || returnTypeHeader(lines, first, languageId) === undefined) return found;
  return [typed || joinedType(header, (lines[first] ?? '').trim(), (lines[second] ?? '').trim()) ? first : second];
}

/**
 * Whether a block's header (`header`, one line) is a C header's return type (`type`, its line) and name's line
 * (`nameLine`) joined: it starts with the type's words (`static int area (long w, int h)`, `int EXPORT area (…)`), or
 * has the name's line's name after words that may be a type (RETURN_TYPE) other than those before it on that line (the
 * type changed: `static long area (int w, int h)`) — more of them than that line has, or some of the type's. Not a
 * header that is the name's line changed — with the words before the name as they are (`EXPORT area (long w, int h)`),
 * others as many (`API area (…)`), or none (`area (long w, int h)`, the macro left out).
 */
function joinedType(header: string, type: string, nameLine: string): boolean {
  if (type !== '' && header.startsWith(type) && !(/\w$/.test(type) && /^\w/.test(header.slice(type.length)))) return true;
  const called = (line: string): { readonly before: string; readonly name: string } | undefined => {
    const found = /^(.*?)([A-Za-z_][\w:]*)\s*\(/.exec(line);
    return found === null ? undefined : { before: (found[1] ?? '').replace(/\s+/g, ' ').trim(), name: found[2] ?? '' };
  };
  const own = called(nameLine);
  const given = called(header);
  if (own === undefined || given === undefined || given.name !== own.name || given.before === own.before || !RETURN_TYPE.test(given.before)) return false;
  // (The words before the name are more than the name's line has, or take in some of the type's it lacks: not the name's
  // line's macro changed alone, `API area (…)` for `EXPORT area (…)`.)
  const words = (text: string): readonly string[] => text.split(' ').filter((w) => w !== '');
  const givenWords = words(given.before);
  const ownWords = words(own.before);
  return givenWords.length > ownWords.length || givenWords.some((w) => !ownWords.includes(w) && words(type.replace(/\s+/g, ' ')).includes(w));
}

/**
 * Whether a definition of the lines runs on over a header the answer does not show (definitionExtent's `unclear`): a
 * string it opens, given back (stringsGivenBack) yet holding that header — the lexer's pairing, perhaps, of a quote
 * typed mid-edit with the next function's docstring opener alone on its line —, so that where it ends is not known,
 * and either end taken would delete lines: the next definition, or the string's. (Looked for only where such a line
 * is in a string.)
 */
function hidesHeader(lines: readonly string[], text: readonly boolean[], strings: readonly (StringLine | undefined)[], languageId: string | undefined): boolean {
  if (!strings.some((s, k) => s?.shown === false && headerName((lines[k] ?? '').trim(), languageId) !== undefined)) return false;
  return lines.some((_, k) => headerName(headerAt(lines, k, languageId).text, languageId) !== undefined && definitionExtent(lines, k, text, strings, languageId).unclear);
}

/**
 * Whether the lines (from `firstLine` to `lastLine`, those with text) are definitions (definitionsOf) followed by
 * closing lines (`}`) indented less than their first line: the end of a class or namespace around them.
 */
function closedAround(
  lines: readonly string[],
  text: readonly boolean[],
  strings: readonly (StringLine | undefined)[],
  firstLine: number,
  lastLine: number,
  languageId: string | undefined,
): boolean {
  const depth = indentOf(lines[firstLine] ?? '');
  let k = lastLine;
  while (k > firstLine && text[k] !== true && ((lines[k] ?? '').trim() === '' || (CLOSING.test((lines[k] ?? '').trim()) && indentOf(lines[k] ?? '') < depth))) k--;
  return k < lastLine && definitionsOf(lines.slice(0, k + 1), text, strings, languageId) !== undefined;
}

/**
 * Where a block that is one brace-language block (after its comments: a first line opening it, `{` at its end or `(`
 * of parameters one a line, its lines deeper, a `)` of those parameters at its indentation, and a last line `}` there)
 * whose first line headerName does not read (`[Symbol.iterator]() {`, `return(value) {`, `function copy<A>(`) is among
 * the lines it is to replace, as definitionsReplaced: that first line found once among the lines, to the `}` closing
 * it there — its comments right above it with it when the block gives back one of them —, the lines around kept.
 * Undefined when the block is no such block, or replaces all of the lines. Unclear (`unclear`) when the lines have no
 * such line but others the block has neither as they are nor changed (its header not among them: its place is not
 * known, and put in place of all of them it would delete those), or twice, or it is not closed among them (unless the
 * lines were widened to its header, `echoedHeader`: the brackets counted tell it), or the block goes on with the lines
 * kept around it.
 */
function braceBlockReplaced(
  blockLines: readonly string[],
  lines: readonly string[],
  parts: readonly string[],
  text: readonly boolean[],
  firstLine: number,
  lastLine: number,
  echoedHeader: boolean,
  after: string | undefined,
  languageId: string | undefined,
): { readonly skipBefore: number; readonly skipAfter: number; readonly text: string } | { readonly problem: string } | undefined {
  const coded = blockLines.filter((l) => l.trim() !== '');
  let h = 0;
  while (h < coded.length && leadsDefinition(coded[h]?.trim() ?? '', languageId)) h++;
  const header = coded[h]?.trim() ?? '';
  const closing = coded.at(-1) ?? '';
  const depth = indentOf(coded[h] ?? '');
  if (h >= coded.length - 2 || !/[{(]$/.test(header) || !/^\}/.test(closing.trim()) || indentOf(closing) !== depth) return undefined;
  if (coded.slice(h + 1, -1).some((l) => indentOf(l) < depth || (indentOf(l) === depth && !/^\)/.test(l.trim())))) return undefined;
  const given = codeLines(blockLines.join('\n'));
  const at = lines.flatMap((l, k) => (l.trim() === header && text[k] !== true ? [k] : []));
  if (at.length === 0) return linesUnmatched(wordedLines(lines), given).length > 0 && !wholeBlockRetitled(lines, text, firstLine, lastLine, given) ? unclearPart : undefined;
  const k = at[0];
  if (at.length > 1 || k === undefined) return unclearPart;
  const own = indentOf(lines[k] ?? '');
  let end: number | undefined;
  let inParameters = header.endsWith('(');
  for (let i = k + 1; i < lines.length && end === undefined; i++) {
    const line = lines[i] ?? '';
    if (line.trim() === '' || text[i] === true || indentOf(line) > own) continue;
    if (inParameters && /^\)/.test(line.trim())) {
      inParameters = !line.trim().endsWith('{');
      continue;
    }
    if (/^\}/.test(line.trim())) end = i;
    else return unclearPart;
  }
  if (end === undefined) {
    if (echoedHeader) return undefined;
    // (Not closed among the lines, nor after them — the `}` it lacks at the end of the file, which the block adds —: it
    // runs to their end.)
    if (blockGoesOnAfter(after, own)) return unclearPart;
    end = lastLine;
  }
  let start = k;
  const leading = coded.slice(0, h).map((l) => l.trim());
  let above = k;
  while (above > 0 && leadsDefinition(lines[above - 1]?.trim() ?? '', languageId) && indentOf(lines[above - 1] ?? '') >= own) above--;
  if (leading.length > 0 && codeLines(lines.slice(above, k).join('\n')).some((r) => leading.some((l) => l === r || wordOverlap(wordsOf(l), wordsOf(r)) >= 1 / 2))) start = above;
  if (start <= firstLine && end >= lastLine) return undefined;
  const kept = (from: number, to: number): string[] => wordedLines(lines.slice(from, to));
  if (showsInARow(given, kept(0, start).slice(-2)) || showsInARow(given, kept(end + 1, lines.length).slice(0, 2))) return unclearPart;
  return { skipBefore: start, skipAfter: lines.length - 1 - end, text: parts.slice(2 * start, 2 * end + 1).join('') };
}

/**
 * Whether the lines are two definitions or more (definitionsOf, in `lines`) whose headers are the block's `headers`:
 * each of the block's one of the lines' (as it is, or changed: sameHeader), each of the lines' given back — in any
 * order, a header the lines have twice given back once —, the block having no more headers than the lines, and each of
 * the lines' comments and decorators above a definition among the block's lines (`given`, codeLines). (A definition
 * alone is found among the lines as any other, its comments kept unless given back: a file's first-line comment, a
 * section's heading above it.)
 */
function sameDefinitions(
  headers: readonly string[],
  given: readonly string[],
  lines: readonly string[],
  text: readonly boolean[],
  strings: readonly (StringLine | undefined)[],
  languageId: string | undefined,
): boolean {
  const definitions = definitionsOf(lines, text, strings, languageId);
  if (definitions === undefined || definitions.length < 2 || headers.length > definitions.length) return false;
  const leading = definitions.flatMap((d) => codeLines(lines.slice(d.start, d.header).join('\n')));
  if (!leading.every((l) => given.includes(l))) return false;
  const own = definitions.map((d) => headerAt(lines, d.header, languageId).text);
  const ownHeader = oneOfHeaders(own, languageId);
  const givenHeader = oneOfHeaders(headers, languageId);
  return headers.every(ownHeader) && own.every(givenHeader);
}

/**
 * Whether the definition ending at `end` (its header indented `depth`) seems to go on after it: a line of the lines
 * kept after it is deeper than its header before the next line of code no deeper than it that starts a block — a header,
 * a line leaving something open at its end (`:`, `{`, `(`, `[`, `,`, `=`, `\\`) —: the end was taken at a line in its
 * middle (a string's text at column 1 the lexer cannot tell), and its rest would stay after the fix, the old body below
 * the new. Asked only where the end was not a closing line of the definition's block (an indentation-only language), or
 * a line of text was passed over to it (definitionExtent).
 */
function goesOnAfter(lines: readonly string[], end: number, depth: number, text: readonly boolean[], languageId: string | undefined): boolean {
  for (let k = end + 1; k < lines.length; k++) {
    const line = lines[k] ?? '';
    if (line.trim() === '' || text[k] === true) continue;
    if (indentOf(line) > depth) return true;
    if (headerName(line.trim(), languageId) !== undefined || /[:{([,=\\]$/.test(codeOnly(line, languageId).trimEnd())) return false;
  }
  return false;
}

/**
 * A comment that stands for code left out rather than being about the code it is among: one that is only an ellipsis
 * (`// ...`, `# …`, `/* ... *\/`), one wrapped in ellipses (`# ... save() unchanged ...`, `# ... rest of the helpers ...`)
 * or opened with one and saying so (`// ... existing code`), and one that says it of the code itself: ending in
 * "unchanged", "omitted", "existing code", "same as before" or "remains the same", saying "omitted for brevity"
 * anywhere, or starting "rest of the code/file/function…". Not any ellipsis or "rest of": a new comment `# Read everything at
 * once...`, `# the rest of the code expects non-empty items` or a JSDoc line `* Prices may be strings (e.g. "1.50", ...).`
 * is the fix's own.
 */
const COMMENT = /^(?:\/\/+|#+|--|\/\*+|<!--|\*)(.*?)(?:\*\/|-->)?$/;
const ELLIPSIS = /^(?:\.\.\.|…)$/;
const SAYS_LEFT_OUT =
  /(?:\bunchanged|\bomitted|\bexisting code|\bsame as before|\b(?:remains?|stays?) the same)\W*$|\bomitted for brevity\b|^(?:the\s+)?rest of (?:the\s+)?(?:code|file|function|class|module|method|implementation|helpers?|functions|methods|script|program|component)\b/i;

function commentSaysLeftOut(line: string): boolean {
  const text = COMMENT.exec(line)?.[1]?.trim();
  if (text === undefined) return false;
  if (/^(?:\.\.\.|…|\s)+$/.test(text)) return true;
  const unwrapped = text.replace(/^(?:\.\.\.|…)\s*/, '');
  if (unwrapped !== text && /(?:\.\.\.|…)$/.test(text)) return true;
  return SAYS_LEFT_OUT.test(unwrapped.replace(/\s*(?:\.\.\.|…)$/, ''));
}

/**
 * The block's first line (codeLines) that stands for code left out, if any: a comment saying so (commentSaysLeftOut) or
 * a bare `...`, that the document has not (a stub's `...` the file has is its own), standing where the document has lines
 * the block lacks — between the nearest lines before and after it that are each once in the block and once in the
 * document (or the block's edge), the document's lines with a word the block has neither as they are nor changed
 * (linesUnmatched). A new comment among lines given back as they are stands for nothing. A bare `...` indented under a
 * new line ending in `:` is a Python statement (a new `@overload` stub's body), not a placeholder; under the document's
 * own `def save(path):` it may stand for that function's body, and is tested as any other.
 */
function leftOutPlaceholder(block: string, documentLines: readonly string[]): string | undefined {
  const raw = block.split(/\r?\n/).filter((l) => l.trim() !== '');
  const lines = raw.map((l) => l.trim());
  const count = (of: readonly string[]): Map<string, number> => {
    const n = new Map<string, number>();
    for (const l of of) n.set(l, (n.get(l) ?? 0) + 1);
    return n;
  };
  const inBlock = count(lines);
  const inDocument = count(documentLines);
  const anchor = (l: string): boolean => /\w/.test(l) && inBlock.get(l) === 1 && inDocument.get(l) === 1;
  const indent = (l: string): number => l.length - l.trimStart().length;
  for (const [i, line] of lines.entries()) {
    if (inDocument.has(line)) continue;
    if (ELLIPSIS.test(line)) {
      const previous = raw[i - 1];
      if (previous !== undefined && !inDocument.has(previous.trim()) && previous.trimEnd().endsWith(':') && indent(raw[i] ?? '') > indent(previous)) continue;
    } else if (!commentSaysLeftOut(line)) continue;
    let from = i - 1;
    while (from >= 0 && !anchor(lines[from] ?? '')) from--;
    let to = i + 1;
    while (to < lines.length && !anchor(lines[to] ?? '')) to++;
    const start = from >= 0 ? documentLines.indexOf(lines[from] ?? '') + 1 : 0;
    const end = to < lines.length ? documentLines.indexOf(lines[to] ?? '') : documentLines.length;
    // (Anchors out of the document's order: the block is no copy of it there, and the line may stand for anything.)
    if (end < start) return line;
    const others = lines.slice(from + 1, to).filter((_, k) => k !== i - from - 1);
    if (linesUnmatched(documentLines.slice(start, end).filter((l) => /\w/.test(l)), others).length > 0) return line;
  }
  return undefined;
}

/**
 * Whether a block is the document with some of its lines changed, however much (`f.write(...)` rewritten as
 * `json.dump(...)` outside the window, as well as the window's fix): its lines (codeLines) are as many as the
 * document's, in the same order, each the document's line there or one the document has not (a changed line in place
 * of the one it changed), most of them — at least two with a word — as they are. Outside the window (`window`: the
 * document's lines from `start` to before `end`) a changed line must look like the one it replaces (wordOverlap at
 * least one half), or be a single line rewritten between two given back as they are; and such lines must be few (one
 * in ten of the document's lines with a word outside the window, at least one) and not all of those before or after
 * the window. A block of as many lines as the document that is the window's fix and a new helper (`def normalize(s):
 * return s.strip()` where the document has `def main(): print(parse(…))`) is no whole file: taken as one, it deleted
 * `main()`.
 */
function changedInPlace(blockLines: readonly string[], documentLines: readonly string[], window: { readonly start: number; readonly end: number }): boolean {
  if (blockLines.length !== documentLines.length) return false;
  const known = new Set(documentLines);
  const hasWord = (l: string): boolean => /\w/.test(l);
  const isOutside = (i: number): boolean => i < window.start || i >= window.end;
  const isChanged = (i: number): boolean => i >= 0 && i < documentLines.length && blockLines[i] !== documentLines[i];
  let same = 0;
  let changed = 0;
  const outsideChanged: number[] = [];
  for (const [i, line] of documentLines.entries()) {
    const given = blockLines[i] ?? '';
    if (given === line) same += hasWord(line) ? 1 : 0;
    else if (known.has(given)) return false;
    else {
      changed++;
      if (isOutside(i)) outsideChanged.push(i);
    }
  }
  if (same < 2 || changed > same) return false;
  const outsideWithWords = documentLines.filter((l, i) => isOutside(i) && hasWord(l)).length;
  if (outsideChanged.length > Math.max(1, Math.floor(outsideWithWords / 10))) return false;
  // (Every line with a word before the window, or after it, changed: the block puts other code there, not the file's.)
  const allChanged = (from: number, to: number): boolean => {
    const lines = documentLines.map((l, i) => (i >= from && i < to && hasWord(l) ? i : -1)).filter((i) => i >= 0);
    return lines.length > 0 && lines.every(isChanged);
  };
  if (allChanged(0, window.start) || allChanged(window.end, documentLines.length)) return false;
  // (A line rewritten past its words — `json.dump(...)` for `f.write(...)` — only alone, its neighbours as they were.)
  return outsideChanged.every(
    (i) => wordOverlap(wordsOf(blockLines[i] ?? ''), wordsOf(documentLines[i] ?? '')) >= 1 / 2 || (!isChanged(i - 1) && !isChanged(i + 1)),
  );
}

/**
 * Why a block that gives back only part of the file around the window is not applied: a line of it stands for code
 * left out (`placeholder`), `lines` of the file's lines are not in it (left out, or changed past knowing them), or, a
 * declaration given back, its brackets do not close as the lines it would replace (`brackets`).
 */
function leftOutProblem(cause: { readonly placeholder: string } | { readonly lines: number } | { readonly brackets: true }): { readonly problem: string } {
  const what =
    'placeholder' in cause
      ? ` left out parts of the file ("${cause.placeholder}" stands for some of it)`
      : 'brackets' in cause
        ? "'s code opens or closes more brackets than the lines it would replace: part of the declaration is left out or its end changed"
        : ` left out or changed parts of the file (${cause.lines} of its lines ${cause.lines === 1 ? 'is' : 'are'} not in its code)`;
  return { problem: `the answer${what}; nothing was applied — copy the code instead` };
}

/**
 * The lines of the document around the window a block shows with its fix (echoedAround), and whether the block is a
 * declaration whose header they take in (`declaration`: its brackets must close as the lines it replaces).
 */
interface Echo {
  readonly widened: NonNullable<FixFromAnswer['widened']>;
  readonly declaration: boolean;
}

/**
 * The lines of the document around the window a block shows with its fix (FixFromAnswer.widened): all of them, when it
 * has every one of the document's lines with a word from before and after the window (at least two), as they are or
 * changed (much like one of the block's own: linesUnmatched; or, a few, each in the place of the one it changed and
 * like it or alone: changedInPlace) — the whole file, an import added at its top or a line changed elsewhere too —;
 * else, on each side, the lines from the window out to where the block starts (ends) with a line of the document — or
 * with the header of the declaration there changed (sameHeader: a parameter's type added) —, every one of them in the
 * block (echoReach). A block that adds lines like the document's nearby, a `}` or a call, is no echo: it
 * does not start and end with them, or they hold no word.
 *
 * A block that gives back the file around the window but not all of it is a problem, not a fix: one with a line
 * standing for code left out (leftOutPlaceholder: `# ... unchanged ...` where the document has lines the block has
 * not; where the block gives back the header of a declaration around the window, whatever else it echoes) would delete
 * that code from the document, replacing it; one that starts with the header of the declaration the window is in
 * (enclosingHeader) but lacks some of the lines from it to the window, and one with many of the document's lines that
 * are not all those around the window (a third of them, some left out), would, put in place of the window alone, leave
 * them twice. (A declaration given back whose brackets do not close as the lines it replaces is refused by fixFromAnswer,
 * once definitionsReplaced has narrowed those lines: `declaration`.)
 */
function echoedAround(block: string, window: string, outside: AroundWindow, languageId?: string): Echo | { readonly problem: string } | undefined {
  const before = outside.before.match(/(?:[^\r\n]|\r(?!\n))*\r?\n/g) ?? [];
  const after = outside.after.match(/\r?\n(?:[^\r\n]|\r(?!\n))*/g) ?? [];
  const blockLines = codeLines(block);
  const beyond = linesNotIn(blockLines, codeLines(window));
  if (beyond.length === 0) return undefined;
  const widened = (linesBefore: number, linesAfter: number): Echo['widened'] => ({
    linesBefore,
    linesAfter,
    text: before.slice(before.length - linesBefore).join('') + window + after.slice(0, linesAfter).join(''),
  });
  const around = wordedLines([...before, ...after]);
  // (The block's lines the document has not: the fix's own, and the document's lines it changed.)
  const own = linesNotIn(beyond, around);
  const echoed = beyond.length - own.length;
  const documentLines = codeLines(`${outside.before}${window}${outside.after}`);
  const placeholder = leftOutPlaceholder(block, documentLines);
  // (A block that gives back the header of a declaration around the window, as it is or changed — a type added to a
  // parameter —, is that declaration given back: a placeholder in it stands for some of it.)
  // (The headers around it by name, each line read once: every line of the block asked of every one around — a file's
  // thousands — read each again.)
  const names = headerNames(languageId);
  const headersAround = new Map<string, string[]>();
  for (const a of around) {
    const name = names(a);
    if (name === undefined) continue;
    const same = headersAround.get(name);
    if (same) same.push(a);
    else headersAround.set(name, [a]);
  }
  const givesHeader = blockLines.some((l) => (headersAround.get(names(l) ?? '') ?? []).some((a) => sameHeader(a, l, languageId, names)));
  if (placeholder !== undefined && (echoed >= 2 || givesHeader)) return leftOutProblem({ placeholder });
  const missing = linesUnmatched(around, beyond);
  const windowStart = codeLines(outside.before).length;
  const windowAt = { start: windowStart, end: Math.max(windowStart, documentLines.length - codeLines(outside.after).length) };
  const whole = missing.length === 0 || (placeholder === undefined && changedInPlace(blockLines, documentLines, windowAt));
  if (around.length >= 2 && whole) return { widened: widened(before.length, after.length), declaration: false };
  // (An edge line that may stand for a header of the document changed: none of the document's lines, and like no line
  // of the window — a header in the window is the one the block changed, not one around it.)
  const windowLines = codeLines(window);
  const changedHeader = (l: string): boolean => !documentLines.includes(l) && !windowLines.some((w) => sameHeader(w, l, languageId, names));
  const nearest = [...before].reverse();
  // The block's header: its first line, or past the decorator lines it starts with (`@Override` added above a changed
  // header); a header whose parameters are one a line, all its lines as one (headerUnit).
  const decorators = leadingDecorators(blockLines);
  const head = headerUnit(blockLines, decorators, languageId);
  const declares = headerName(head.text, languageId) !== undefined;
  // (Its upper edge: the first line — or, a declaration's, the first from its decorators down to its header — that
  // the block echoes the document up to.)
  // (The lines it may echo are those beyond the window's as the window's lines run in it, in order: a line the window
  // has elsewhere — the `@property` of the next method, the `"""` closing the docstring before — is not the block's
  // copy of the one above its header, or at its end, which the echo reaches for.)
  const outsideRun = linesOutOfOrder(blockLines, windowLines);
  let up = { lines: 0, words: 0 };
  for (let k = 0; k <= (declares ? decorators : 0) && up.lines === 0; k++) {
    up = echoReach(nearest, blockLines[k] ?? '', outsideRun, own, languageId, changedHeader(blockLines[k] ?? ''));
  }
  const down = echoReach(after, blockLines.at(-1) ?? '', outsideRun, own, languageId, changedHeader(blockLines.at(-1) ?? ''));
  // A block whose header is that of the declaration the window is in (enclosingHeader: not of another declaration
  // before the window, a method of the same name in another class), as it is or changed (sameHeader), but whose echo
  // does not reach it left out some of the lines between (or changed them past knowing): put in place of the window,
  // the header would be there twice — refused. (A header of several lines, as the block's or the document's, is no
  // line the echo reaches: it is reached when the document's lines between it and the window are all in the block,
  // with the document's decorators above it the block gives back.)
  const enclosing = windowLines.some((w) => sameHeader(w, head.text, languageId)) ? undefined : enclosingHeader(before, window, languageId);
  const headerAt = enclosing !== undefined && sameHeader(enclosing.text, head.text, languageId) ? before.length - 1 - enclosing.top : -1;
  if (enclosing !== undefined && headerAt >= 0 && up.lines <= headerAt) {
    const between = wordedLines(nearest.slice(0, before.length - 1 - enclosing.bottom));
    const severalLines = enclosing.top < enclosing.bottom || head.end > decorators;
    if (!severalLines || linesUnmatched(between, linesNotIn(beyond, blockLines.slice(decorators, head.end + 1))).length > 0) {
      return leftOutProblem({ lines: Math.max(1, linesUnmatched(wordedLines(nearest.slice(0, headerAt)), beyond).length) });
    }
    const given = blockLines.slice(0, decorators);
    let lines = headerAt + 1;
    for (let i = given.indexOf(nearest[lines]?.trim() ?? ''); i >= 0; i = given.indexOf(nearest[lines]?.trim() ?? '')) {
      given.splice(i, 1);
      lines++;
    }
    up = { lines, words: wordedLines(nearest.slice(0, lines)).length };
  }
  const reaches = up.lines + down.lines > 0 && up.words + down.words > 0;
  // The document's lines around the window the block replaces too (none when it reaches no line with a word), and those
  // it leaves.
  const takenBefore = reaches ? up.lines : 0;
  const takenAfter = reaches ? down.lines : 0;
  const untakenBefore = before.slice(0, before.length - takenBefore);
  const untakenAfter = after.slice(takenAfter);
  // The document's two lines with a word next to what the block replaces (the window, widened or not), in a row in the
  // block too: the block goes on echoing the document past what it can replace (a whole file with two lines rewritten,
  // a function with its header changed, stop the echo before them), and put in would leave those lines twice — refused
  // rather than pasted. (Only the lines next to it: a pair of the fix's own like one elsewhere in the file — the same
  // `} catch (e) {` / `console.error(e);` — is code.)
  if (showsInARow(blockLines, wordedLines(untakenBefore).slice(-2)) || showsInARow(blockLines, wordedLines(untakenAfter).slice(0, 2))) {
    return leftOutProblem({ lines: Math.max(1, linesUnmatched(wordedLines([...untakenBefore, ...untakenAfter]), beyond).length) });
  }
  // The document's lines the block has beyond those the widening takes in.
  const taken = codeLines(before.slice(before.length - takenBefore).join('') + after.slice(0, takenAfter).join(''));
  const rest = wordedLines(linesNotIn(beyond, taken));
  const elsewhere = rest.length - linesNotIn(rest, around).length;
  if (elsewhere >= 3 && elsewhere * 3 >= around.length) return leftOutProblem({ lines: missing.length });
  return reaches ? { widened: widened(takenBefore, takenAfter), declaration: takenBefore > 0 && declares } : undefined;
}

/**
 * The lines of `a` not in a longest run of `b`'s lines that `a` has in the same order (a longest common subsequence):
 * linesNotIn with order kept — a line of `b`'s that `a` has only out of `b`'s order matches none of `a`'s.
 */
function linesOutOfOrder(a: readonly string[], b: readonly string[]): string[] {
  // (The lines alike at the start are matched as they come: no table for them.)
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  const n = a.length - start;
  const m = b.length - start;
  // (The longest common run of a[i…] and b[j…], lengths[i][j], row by row from the last, two rows kept; of each cell
  // whose lines differ, one bit: whether leaving a's line out keeps the run as long as leaving b's — which way the run
  // goes on from there. A bit a cell, not a number: a window and an answer of thousands of lines each.)
  const words = Math.ceil(m / 32);
  const leaveA = new Uint32Array(n * words);
  let below = new Int32Array(m + 1);
  let row = new Int32Array(m + 1);
  for (let i = n - 1; i >= 0; i--) {
    row[m] = 0;
    for (let j = m - 1; j >= 0; j--) {
      if (a[start + i] === b[start + j]) {
        row[j] = (below[j + 1] ?? 0) + 1;
        continue;
      }
      const down = below[j] ?? 0;
      const right = row[j + 1] ?? 0;
      row[j] = Math.max(down, right);
      if (down >= right) leaveA[i * words + (j >>> 5)] = (leaveA[i * words + (j >>> 5)] ?? 0) | (1 << (j & 31));
    }
    [below, row] = [row, below];
  }
  const rest: string[] = [];
  let i = 0;
  let j = 0;
  while (i < n) {
    if (j < m && a[start + i] === b[start + j]) {
      i++;
      j++;
    } else if (j >= m || ((leaveA[i * words + (j >>> 5)] ?? 0) & (1 << (j & 31))) !== 0) {
      rest.push(a[start + i] ?? '');
      i++;
    } else j++;
  }
  return rest;
}

/** The trimmed lines of `lines` that hold a word (no blank or brace-only ones). */
function wordedLines(lines: readonly string[]): string[] {
  return lines.map((l) => l.trim()).filter((l) => /\w/.test(l));
}

/** Whether `block` (its codeLines) has the two lines of `pair` one right after the other (word-less lines between them aside). */
function showsInARow(block: readonly string[], pair: readonly string[]): boolean {
  const [first, second] = pair;
  if (first === undefined || second === undefined) return false;
  const inBlock = wordedLines(block);
  for (let i = 1; i < inBlock.length; i++) if (inBlock[i - 1] === first && inBlock[i] === second) return true;
  return false;
}

/**
 * The lines of `lines` (codeLines) that `block` (its codeLines) has neither as they are nor changed: much like one of
 * its lines that `lines` has not (wordOverlap at least one half; each of those stands for one line).
 */
function linesUnmatched(lines: readonly string[], block: readonly string[]): string[] {
  const spare = linesNotIn(block, lines).map(wordsOf);
  return linesNotIn(lines, block).filter((line) => {
    const words = wordsOf(line);
    const k = spare.findIndex((s) => wordOverlap(words, s) >= 1 / 2);
    if (k < 0) return true;
    spare.splice(k, 1);
    return false;
  });
}

/**
 * How far from the window (`lines`, the nearest first) a block echoes the document: the most lines up to one that is
 * the block's edge line (`edge`, its first or last line with text) — or, an edge that may be a header changed
 * (`edgeChanged`: none of the document's lines), the nearest that is the same declaration's header (sameHeader: `def f(x):` given back as
 * `def f(x: int) -> int:`) —, every one of those with text among the block's lines beyond the window's (`beyond`) — or,
 * with a word, much like one of its own lines (`own`: a line it changed); and how many of those have a word.
 */
function echoReach(lines: readonly string[], edge: string, beyond: readonly string[], own: readonly string[], languageId: string | undefined, edgeChanged = false): { lines: number; words: number } {
  const left = new Map<string, number>();
  for (const l of beyond) left.set(l, (left.get(l) ?? 0) + 1);
  // (A changed header at the edge is kept for the document's header: a line of the body like it does not take it.)
  const headerEdge = edgeChanged && headerName(edge, languageId) !== undefined;
  const spare = (headerEdge ? linesNotIn(own, [edge]) : own).map(wordsOf);
  let headerTaken = !headerEdge;
  let reach = { lines: 0, words: 0 };
  let words = 0;
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const n = left.get(line) ?? 0;
    const hasWord = /\w/.test(line);
    const isHeader = n === 0 && !headerTaken && sameHeader(line, edge, languageId);
    if (n > 0) {
      left.set(line, n - 1);
    } else if (isHeader) {
      headerTaken = true;
    } else {
      const k = hasWord ? spare.findIndex((s) => wordOverlap(wordsOf(line), s) >= 1 / 2) : -1;
      // (A line of the document the block has not: it echoes no further.)
      if (k < 0) break;
      spare.splice(k, 1);
    }
    if (hasWord) words++;
    if (line === edge || isHeader) reach = { lines: i + 1, words };
  }
  return reach;
}

/** How many of a block's first lines (codeLines) are decorators or annotations: `@Override`, `@functools.cache`, `@Get()`. */
function leadingDecorators(lines: readonly string[]): number {
  let n = 0;
  while (/^@[A-Za-z_$]/.test(lines[n] ?? '')) n++;
  return n;
}

/**
 * The header line of a block's lines (codeLines) at `at`: that line, or, where it opens parentheses it does not close
 * (`export function create(`, `def create(`), it and the next lines up to the one that closes them, joined by a space
 * — a header whose parameters are one a line, as one line. `end`: the index of its last line.
 */
function headerUnit(lines: readonly string[], at: number, languageId: string | undefined): { readonly text: string; readonly end: number } {
  let end = at;
  let open = bracketDepth(lines[at] ?? '', languageId, PARENS);
  while (open > 0 && end < lines.length - 1) open += bracketDepth(lines[++end] ?? '', languageId, PARENS);
  return open === 0 ? { text: lines.slice(at, end + 1).join(' '), end } : { text: lines[at] ?? '', end: at };
}

/**
 * The header of the declaration the window is in: up from the window, through the lines (not blank, no comment) each
 * indented less than the last — the first indented less than the window's least indented line —, the first that
 * declares a name (headerName); a header whose parameters are one a line, from the line that opens its parentheses to
 * the one that closes them, as one line (joined by a space). A statement that opens a block (`for (…) {`, `if x:`),
 * a closure's `go func() {`, is passed. `before`: the document's lines before the window; `top` and `bottom` index the
 * header's first and last line in it. None for a window at the file's top level.
 */
function enclosingHeader(before: readonly string[], window: string, languageId: string | undefined): { readonly top: number; readonly bottom: number; readonly text: string } | undefined {
  const windowIndents = window
    .split(/\r?\n/)
    .filter((l) => l.trim() !== '')
    .map(indentOf);
  if (windowIndents.length === 0) return undefined;
  let indent = Math.min(...windowIndents);
  const parens = (i: number): number => bracketDepth(before[i] ?? '', languageId, PARENS);
  for (let i = before.length - 1; i >= 0 && indent > 0; i--) {
    const line = (before[i] ?? '').trim();
    if (line === '' || REMARK.test(line) || indentOf(before[i] ?? '') >= indent) continue;
    let top = i;
    let bottom = i;
    let open = parens(i);
    while (open < 0 && top > 0) open += parens(--top);
    while (open > 0 && bottom < before.length - 1) open += parens(++bottom);
    if (open !== 0) [top, bottom] = [i, i];
    const text = codeLines(before.slice(top, bottom + 1).join('')).join(' ');
    if (headerName(text, languageId) !== undefined) return { top, bottom, text };
    indent = indentOf(before[top] ?? '');
    i = top;
  }
  return undefined;
}

/**
 * The document's text before the lines a fix replaces, which start `linesBefore` lines above the window (below its
 * start where negative: the lines of the window before them are the document's too).
 */
function documentBefore(before: string, window: string, linesBefore: number): string {
  if (linesBefore >= 0) return textBefore(before, linesBefore);
  const lines = window.match(/(?:[^\r\n]|\r(?!\n))*\r?\n/g) ?? [];
  return before + lines.slice(0, -linesBefore).join('');
}

/**
 * bracketDepths of a text read after the document's text before it (LexedAfter): its comments and strings as they are
 * there — a text starting inside a docstring or a `/** … *\/` comment is prose up to its end, not code.
 */
function bracketDepthsOf({ whole, from, spans }: LexedAfter): readonly number[] {
  const depths = BRACKET_KINDS.map(() => 0);
  // (The text's code between its comments and strings, up to the line break lexedAfter put last.)
  const end = whole.length - 1;
  let at = from;
  for (let k = 0; k + 1 < spans.length && at < end; k += 2) {
    const to = spans[k + 1] ?? at;
    if (to <= at) continue;
    addBrackets(depths, whole, at, Math.min(end, spans[k] ?? at));
    at = Math.max(at, to);
  }
  addBrackets(depths, whole, at, end);
  return depths;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
}

/** The brackets bracketDepth counts: all three kinds, or parentheses alone. */
const BRACKETS = { open: '{([', close: '})]' } as const;
const PARENS = { open: '(', close: ')' } as const;
const BRACES = { open: '{', close: '}' } as const;

/** The kinds of brackets bracketDepths counts each of apart. */
const BRACKET_KINDS = [{ open: '{', close: '}' }, PARENS, { open: '[', close: ']' }] as const;

/** How many more brackets of each kind (BRACKET_KINDS, in its order) a text opens than it closes, as bracketDepth counts. */
function bracketDepths(text: string, languageId: string | undefined): readonly number[] {
  const depths = BRACKET_KINDS.map(() => 0);
  const code = codeOnly(text, languageId);
  addBrackets(depths, code, 0, code.length);
  return depths;
}

/** Counts into `depths` (BRACKET_KINDS's order) the brackets of `text` from `from` to `to`: one opened +1, one closed -1. */
function addBrackets(depths: number[], text: string, from: number, to: number): void {
  for (let i = from; i < to; i++) {
    const ch = text.charAt(i);
    const k = BRACKET_KINDS.findIndex((kind) => kind.open === ch || kind.close === ch);
    if (k >= 0) depths[k] = (depths[k] ?? 0) + (BRACKET_KINDS[k]?.open === ch ? 1 : -1);
  }
}

/**
 * How many more brackets a text opens than it closes (`{ (` less `} )`, or of `kinds` alone), outside its comments and
 * strings: as sourceLexer reads them in a language it knows (a Rust lifetime is no quote), else as C-like languages
 * write them (commentAndStringSpansInAnyLanguage).
 */
function bracketDepth(text: string, languageId: string | undefined, kinds: { readonly open: string; readonly close: string } = BRACKETS): number {
  let depth = 0;
  for (const ch of codeOnly(text, languageId)) {
    if (kinds.open.includes(ch)) depth++;
    else if (kinds.close.includes(ch)) depth--;
  }
  return depth;
}

/** A text without its comments and strings (bracketDepth), as commentAndStringSpansInAnyLanguage finds them. */
function codeOnly(text: string, languageId: string | undefined): string {
  const spans = commentAndStringSpansInAnyLanguage(text, languageId);
  let code = '';
  let at = 0;
  for (let k = 0; k + 1 < spans.length; k += 2) {
    code += text.slice(at, Math.max(at, spans[k] ?? at));
    at = Math.max(at, spans[k + 1] ?? at);
  }
  return code + text.slice(at);
}

/**
 * A method's header (TypeScript, JavaScript, Java, C#), with no keyword of DECLARATION's: modifiers and types, a name
 * (its group 1), its parameters in parentheses, a return type (its group 2) or `throws` clause, and the `{` that opens
 * its body — `total(items) {`, `async load(path: string): Promise<void> {`, `public int total(List<Item> items) {`. A
 * call that passes a callback (`describe('x', () => {`) does not close its parentheses before the `{`. A return type
 * may hold object types in braces, which only TypeScript's does (methodName): `value(): { a: number } {`
 * (typeLiteralHeader's joined header of `value(): {`, its members, `} {`), `async load(): Promise<{ a: number }> {`.
 */
const METHOD_HEADER = /^(?:[\w$<>[\],.?*]+\s+)*\*?([A-Za-z_$][\w$]*)\s*(?:<[^()]*>)?\((?:[^()]|\([^()]*\))*\)\s*(?:(:(?:[^{}=]|\{[^{}]*\})*)|throws\s[^{}]*)?\{$/;

/**
 * The name of the method whose header a line is (METHOD_HEADER), a return type holding an object type in braces only
 * where `objectTypes` (TypeScript's: read as a method of none, a class's method given back alone would be no
 * definition found among the lines, and put in place of the whole class).
 */
function methodName(line: string, objectTypes: boolean): string | undefined {
  const header = METHOD_HEADER.exec(line);
  if (header === null || (!objectTypes && header[2]?.includes('{') === true)) return undefined;
  return header[1];
}

/**
 * A method header (METHOD_HEADER) whose name is a computed key, a name or a dotted one in brackets: `[NodeInspectSymbol]()
 * {`, `get [Symbol.toStringTag](): string {`, `*[Symbol.iterator]() {`. (No statement starts `[name](…)` and ends `{`.)
 */
const COMPUTED_HEADER = /^(?:(?:static|async|get|set|public|private|protected|override)\s+)*\*?(\[[A-Za-z_$][\w$.]*\])\s*(?:<[^()]*>)?\((?:[^()]|\([^()]*\))*\)\s*(?::[^{}=]*)?\{$/;

/**
 * Words that start a statement opening a block, not a declaration (`for (const i of items) {`, `if (ok) {`, `with
 * open(p) as f:`), or that METHOD_HEADER's shape takes for a name (`} else if (x) {`, an anonymous `function (a) {`).
 */
const NOT_A_NAME = new Set(['if', 'elif', 'else', 'for', 'while', 'switch', 'catch', 'except', 'with', 'function', 'return', 'do', 'try', 'await']);

/**
 * Words METHOD_HEADER's shape takes for a method's name that open a statement's block instead, after a word of their
 * own: Go's closures (`defer func() {`, `go func() {`), Java's `synchronized (lock) {`, C#'s `foreach (…) {`,
 * `using (…) {` and `lock (…) {`. (`synchronized void run() {` is a method, named `run`.)
 */
const NOT_A_METHOD = new Set([...NOT_A_NAME, 'func', 'synchronized', 'foreach', 'using', 'lock']);

/** Words that start a statement a line alone may be, never a return type: `return`, `else`, `break`… */
const NOT_A_TYPE = new Set([...NOT_A_NAME, 'break', 'continue', 'throw', 'goto', 'new', 'delete', 'case', 'default', 'yield', 'typeof', 'pass', 'raise', 'finally']);

/**
 * The name a header line declares, a line that opens a block: the first name it declares, the line ending in `{` or
 * `:` (`function total(…) {`, `def due(…):`, `class Cart:`, `const f = (…) => {`), or a method's (METHOD_HEADER).
 * Undefined for any other line: a statement that opens a block (`if ok(x):`, `for (…) {`) declares nothing. A comment
 * after it is one as the language (`languageId`) writes them (withoutEndComment).
 */
function headerName(raw: string, languageId: string | undefined): string | undefined {
  // (A header with a comment after it, `def f(x):  # noqa`, `total(items) { // sums`: read without it.)
  const line = withoutEndComment(raw, languageId);
  // (A method named by a computed key, `[Symbol.iterator]() {`, `*[Symbol.iterator](): Iterator<A> {`: the key in its
  // brackets. One named `return`, an iterator's `return(value) {` — no space before its `(`, which no return statement
  // ends in `{` after —: `return`.)
  const computed = COMPUTED_HEADER.exec(line)?.[1];
  if (computed !== undefined) return computed;
  if (/^return\(/.test(line) && methodName(line, false) === 'return') return 'return';
  // (A line starting `function` declares a name when one follows it, `function zero() {`: DECLARATION's; an anonymous
  // `function (a) {` has none, and METHOD_HEADER's is `function`.)
  const firstWord = /^[A-Za-z_$][\w$]*/.exec(line)?.[0] ?? '';
  if (!/[{:]$/.test(line) || (firstWord !== 'function' && NOT_A_NAME.has(firstWord))) return undefined;
  const declared = new RegExp(DECLARATION.source).exec(line)?.[1];
  if (declared !== undefined) return declared;
  const method = methodName(line, languageId !== undefined && languageFamily(languageId) === 'typescript');
  return method === undefined || NOT_A_METHOD.has(method) ? undefined : method;
}

/**
 * A line (trimmed) without the comment at its end, if any: `def f(x):  # noqa` as `def f(x):`. Read as the language
 * (`languageId`) writes comments, strings and — JavaScript's, TypeScript's — regular expressions
 * (commentAndStringSpansInAnyLanguage): Python's `def f(a=b//2):  # noqa` keeps its floor division, `function f(re =
 * /[ #]+/) { // split` its regex; where the language is not known, `#` and `//` both start comments (outside strings).
 */
function withoutEndComment(line: string, languageId: string | undefined): string {
  if (/[{:]$/.test(line) || !/[#/]/.test(line)) return line;
  const spans = commentAndStringSpansInAnyLanguage(line, languageId);
  const from = spans.at(-2);
  if (from === undefined || spans.at(-1) !== line.length || !/^(?:#|\/\/|\/\*)/.test(line.slice(from))) return line;
  return line.slice(0, from).trimEnd();
}

/**
 * Whether two lines are the same declaration's header, one changed (a parameter's type added, a return type, the
 * signature otherwise changed): they declare the same name (headerName), and are much alike (wordOverlap at least one
 * half: `def f(x):` and `def f(x: int) -> int:`, not `def f(x):` and `def f(self, x, y, z):` of another class).
 */
function sameHeader(a: string, b: string, languageId: string | undefined, names: (line: string) => string | undefined = (line) => headerName(line, languageId)): boolean {
  const name = names(a);
  return name !== undefined && name === names(b) && wordOverlap(wordsOf(a), wordsOf(b)) >= 1 / 2;
}

/**
 * Whether a header is one of `headers`, as it is or changed (sameHeader): those as they are looked up at once, and only
 * those declaring its name compared word by word — a whole file of definitions given back, each header asked of all
 * the file's, is then compared in time that grows with its length, not with its square (seconds, at a thousand
 * functions, on the extension host's thread).
 */
function oneOfHeaders(headers: readonly string[], languageId: string | undefined): (header: string) => boolean {
  const names = headerNames(languageId);
  const exact = new Set(headers);
  const named = new Map<string, string[]>();
  for (const header of headers) {
    const name = names(header);
    const alike = name === undefined ? undefined : named.get(name);
    if (alike !== undefined) alike.push(header);
    else if (name !== undefined) named.set(name, [header]);
  }
  return (header) => {
    if (exact.has(header)) return true;
    const name = names(header);
    return name !== undefined && (named.get(name) ?? []).some((h) => sameHeader(header, h, languageId, names));
  };
}

/**
 * headerName, each line read once: for a call that asks it of the same lines again and again (the document's lines
 * around the window, for each of the block's), its own Map, let go with it.
 */
function headerNames(languageId: string | undefined): (line: string) => string | undefined {
  const known = new Map<string, string | undefined>();
  return (line) => {
    if (known.has(line)) return known.get(line);
    const name = headerName(line, languageId);
    known.set(line, name);
    return name;
  };
}

/**
 * The blocks of several that may be the window's fix, in the answer's order (the last is taken). A usage example
 * (usesOnly) never is, nor the whole file shown after the fix (showsFileAround), nor the window as it was with a remark
 * before another block (remarkedWindow; as the last block it may be a fix that adds a comment, `// @ts-expect-error`).
 * Of the rest, the one that keeps most of the window (windowLikeness; of several that keep as much, the later) — so a
 * trailing example that keeps a few of the window's lines, its closing braces or a loop it copied, does not win by
 * coming last.
 */
function likeliestFixes(blocks: readonly CodeBlock[], window: string, outside: AroundWindow | undefined, languageId: string | undefined): readonly CodeBlock[] {
  let candidates = blocks;
  const keep = (test: (b: CodeBlock) => boolean): void => {
    const kept = candidates.filter(test);
    if (kept.length > 0) candidates = kept;
  };
  // ("Use it like this:" after the fix: the example calls what the window declares, and declares none of it.)
  const declared = declaredNames(window);
  if (declared.size > 0) keep((b) => !usesOnly(b.code, declared));
  if (outside !== undefined) keep((b) => !showsFileAround(b.code, window, outside));
  // ("Your code:" with `// error here` on the faulty line, then "Fixed:": the first keeps more of the window than a fix
  // that rewrote much of it, and is no fix.)
  keep((b) => b === candidates.at(-1) || !remarkedWindow(b.code, window, languageId));
  const likeness = new Map(candidates.map((b) => [b, windowLikeness(b.code, window)] as const));
  // (Alike to rounding: a block and the same lines shown again with more around them.)
  const most = Math.max(...likeness.values()) - 1e-9;
  keep((b) => (likeness.get(b) ?? 0) >= most);
  return candidates;
}

/** Names a text declares (`function total`, `def due`, `class Cart`, `const x`, Go's `func (c *Cart) Count`): what a usage example calls. */
function declaredNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const m of text.matchAll(DECLARATION)) if (m[1] !== undefined) names.add(m[1]);
  return names;
}

const DECLARATION = /\b(?:function\*?|def|fn|func(?:\s*\([^)]*\))?|class|interface|struct|enum|trait|type|const|let(?:\s+mut)?|var|val)\s+([A-Za-z_$][\w$]*)/g;

/** Whether a block only uses names the window declares (`declared`): it mentions one and declares none of them. */
function usesOnly(block: string, declared: ReadonlySet<string>): boolean {
  const own = declaredNames(block);
  if ([...declared].some((n) => own.has(n))) return false;
  const words = new Set(identifiersOf(block));
  return [...declared].some((n) => words.has(n));
}

/**
 * A line that starts as a comment in some language, or as a C preprocessor line: `//`, `#`, `--`, `/*`, `<!--`. Such
 * lines are no header to enclosingHeader in any language (a C `#ifdef` at column 0 is not the function's header); which
 * of them is a comment in a given language, startsAsComment tells.
 */
const REMARK = /^(?:\/\/|#|--|\/\*|<!--)/;

/**
 * Whether a block is the window as it was with remarks: its lines are the window's, but for comments (or marker lines
 * with no word, `^^^^`) of their own and comments after a line of the window (`count(); // error: no such method`) —
 * comments as the language (`languageId`) writes them (startsAsComment): a C `#include <stdio.h>` added, a JavaScript
 * `--count;`, a Python `total = a // 2` for `total = a` are code.
 */
function remarkedWindow(block: string, window: string, languageId: string | undefined): boolean {
  const windowLines = codeLines(window);
  const blockLines = codeLines(block);
  const added = linesNotIn(blockLines, windowLines);
  const removed = linesNotIn(windowLines, blockLines);
  if (added.length === 0) return false;
  for (const line of added) {
    if (startsAsComment(line, languageId) || !/\w/.test(line)) continue;
    const i = removed.findIndex((r) => line.startsWith(r) && startsAsComment(line.slice(r.length).trim(), languageId));
    if (i < 0) return false;
    removed.splice(i, 1);
  }
  return removed.length === 0;
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
 * How much of the window a block keeps, 0 to 1: the window's lines with a word (trimmed) the block has too — or one
 * much like them —, as a share of the window's. A fix keeps most of the window's lines, however many it adds (the
 * missing methods of a class); a usage example keeps next to none. (As a share of the longer one's, a fix that grew the
 * window lost to the window shown with a comment on one line.)
 */
function windowLikeness(block: string, window: string): number {
  // (Lines with no word — `}`, `});` — are in any code: an example that closes a function of its own keeps them too.)
  const lines = codeLines(window).filter((l) => /\w/.test(l));
  if (lines.length === 0) return 0;
  const blockLines = codeLines(block);
  const changed = linesNotIn(lines, blockLines);
  // A changed line counts for as much as it is like the block's most like it (a one-line window rewritten keeps none
  // of its lines as they were, and is still more like its fix than like a usage example).
  const rest = linesNotIn(blockLines, lines).map(wordsOf);
  let partly = 0;
  for (const line of changed) {
    const words = wordsOf(line);
    const like = Math.max(0, ...rest.map((r) => wordOverlap(words, r)));
    if (like >= 1 / 2) partly += like;
  }
  return (lines.length - changed.length + partly) / lines.length;
}

/**
 * Whether a block is the file around the window (or much of it) shown after the fix: most of the lines it has beyond
 * the window's are the document's own from outside the window (`outside`), at least two of them with a word in them. A
 * fix's added lines are new, but for a closing brace or two that the file has elsewhere too.
 */
function showsFileAround(block: string, window: string, outside: AroundWindow): boolean {
  const added = linesNotIn(codeLines(block), codeLines(window)).filter((l) => /\w/.test(l));
  const fromFile = added.length - linesNotIn(added, codeLines(`${outside.before}\n${outside.after}`)).length;
  return fromFile >= 2 && fromFile * 2 > added.length;
}

/**
 * Whether a block is the window's code as it was: its lines (codeLines) are the window's, however indented as a whole —
 * "Your code:" with a method shown without its class's indentation, or with white space at a line's end —, where a
 * line indented more than another in the window is so in the block too (the lines of an indentation fix are not).
 */
function sameCode(block: string, window: string): boolean {
  const a = block.split(/\r?\n/).filter((l) => l.trim() !== '');
  const b = window.split(/\r?\n/).filter((l) => l.trim() !== '');
  if (a.length !== b.length || a.some((l, i) => l.trim() !== b[i]?.trim())) return false;
  // Each of the window's indentations is one of the block's, in the same order.
  const indent = (l: string): number => l.length - l.trimStart().length;
  const levels = new Map<number, number>();
  for (const [i, l] of b.entries()) {
    const had = levels.get(indent(l));
    if (had !== undefined && had !== indent(a[i] ?? '')) return false;
    levels.set(indent(l), indent(a[i] ?? ''));
  }
  const sorted = [...levels].sort(([x], [y]) => x - y);
  return sorted.every(([, to], i) => i === 0 || to > (sorted[i - 1]?.[1] ?? 0));
}

/** The blank lines a text starts with, up to the first line with text (empty when none). */
function leadingBlankLines(text: string): string {
  return /^(?:[ \t]*\r?\n)*/.exec(text)?.[0] ?? '';
}

/** The blank lines a text ends with, from the line break after its last line with text (empty when none). */
function trailingBlankLines(text: string): string {
  return /(?:\r?\n[ \t]*)*$/.exec(text)?.[0] ?? '';
}
