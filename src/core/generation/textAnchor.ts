// Where generated code goes when the document changed after the request: the text the request was made
// for, found again in the document's current text, or why it cannot be (so nothing is applied blindly).

export type AnchorProblem = 'missing' | 'ambiguous' | 'empty';

export type Located = { readonly start: number; readonly end: number } | { readonly problem: AnchorProblem };

export interface AnchorOptions {
  /**
   * The text was whole lines (it began a line and ended one): only an occurrence that does so too counts — text
   * found in the middle of a line (`let yconst x = 1;`) is not the lines the code was made for.
   */
  readonly wholeLines: boolean;
  /**
   * The text was in the document once when the request was made. When it was there twice, which one it was cannot be
   * told after a change (the user may have edited exactly the one it was): it is not looked for.
   */
  readonly uniqueAtRequest: boolean;
}

/**
 * The offsets of the only occurrence of `original` (the target's text when the request was made) in `current` (the
 * document's text now); 'missing' when it is no longer there (edited or removed), 'ambiguous' when it is there more
 * than once (or was at the request), 'empty' for an empty text (a bare cursor: it is everywhere). A line break counts
 * as one whatever its kind (an end-of-line change is no edit): both texts are searched with their CRLFs read as LFs,
 * so a document with both kinds is searched as it is, and the offsets are mapped back to its own. (A plain search,
 * linear in the texts: a pattern built of a selection of thousands of lines overflowed the regular expression engine.)
 */
export function locateOriginal(current: string, original: string, options: AnchorOptions): Located {
  if (original === '') return { problem: 'empty' };
  if (!options.uniqueAtRequest) return { problem: 'ambiguous' };
  const doc = withLfBreaks(current);
  const text = original.replaceAll('\r\n', '\n');
  const endsLine = text.endsWith('\n');
  let found: { start: number; end: number } | undefined;
  // (Occurrences may overlap: the next one is looked for from the character after this one's start.)
  for (let at = doc.text.indexOf(text); at >= 0; at = doc.text.indexOf(text, at + 1)) {
    const start = doc.offsetOf(at);
    const end = doc.offsetOf(at + text.length);
    if (options.wholeLines && !((start === 0 || current[start - 1] === '\n') && (endsLine || end === current.length || current[end] === '\n' || current[end] === '\r'))) continue;
    if (found) return { problem: 'ambiguous' };
    found = { start, end };
  }
  return found ?? { problem: 'missing' };
}

/** A text with its CRLFs read as LFs, and the offset in the text of a position in that reading. */
function withLfBreaks(text: string): { readonly text: string; offsetOf(position: number): number } {
  if (!text.includes('\r\n')) return { text, offsetOf: (position) => position };
  /** Where each LF that followed a CR is in the LF reading, in order. */
  const afterCr: number[] = [];
  let lf = '';
  let from = 0;
  for (let at = text.indexOf('\r\n'); at >= 0; at = text.indexOf('\r\n', at + 2)) {
    lf += text.slice(from, at);
    afterCr.push(lf.length);
    lf += '\n';
    from = at + 2;
  }
  lf += text.slice(from);
  return {
    text: lf,
    // A position counts the CRs dropped before it: one before the LF it is at stays out (a match starts at the CR).
    offsetOf: (position) => position + crsBefore(afterCr, position),
  };
}

/** How many of the sorted `positions` are below `position`. */
function crsBefore(positions: readonly number[], position: number): number {
  let lo = 0;
  let hi = positions.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((positions[mid] as number) < position) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * Whether a range is whole lines (the anchor's wholeLines): it starts a line and ends one — at its last line's end,
 * or at the start of the line after (lines selected with Shift+Down or a triple click: their text ends with a break).
 */
export function spansWholeLines(range: { readonly startCharacter: number; readonly endCharacter: number; readonly endLineLength: number; readonly empty: boolean }): boolean {
  return range.startCharacter === 0 && (range.endCharacter === range.endLineLength || (!range.empty && range.endCharacter === 0));
}

/** Whether `text` occurs in `document` at most once (the anchor's uniqueAtRequest). */
export function occursOnce(document: string, text: string): boolean {
  const first = document.indexOf(text);
  return first < 0 || document.indexOf(text, first + 1) < 0;
}

/** A change to a document's text, as VS Code tells it: offsets in the text before the change event. */
export interface TextChange {
  readonly rangeOffset: number;
  readonly rangeLength: number;
  readonly text: string;
}

/**
 * Where a span of a document is after one change event (its changes do not overlap, each with offsets in the text
 * before the event): moved by the changes before it, unchanged by those after it; 'touched' when one changes text in
 * it, or — for an empty span, a bare cursor — removes text on both sides of it (then where it was cannot be told). Text
 * inserted exactly at a span's start goes before it, at its end after it. This follows a bare cursor, which its text
 * (none) cannot find again (locateOriginal's 'empty').
 */
export function followChanges(span: { readonly start: number; readonly end: number }, changes: readonly TextChange[]): { start: number; end: number } | 'touched' {
  let start = span.start;
  let end = span.end;
  for (const { rangeOffset, rangeLength, text } of changes) {
    const changeEnd = rangeOffset + rangeLength;
    const delta = text.length - rangeLength;
    if (changeEnd <= span.start) {
      start += delta;
      end += delta;
    } else if (rangeOffset < span.end) {
      return 'touched';
    }
  }
  return { start, end };
}
