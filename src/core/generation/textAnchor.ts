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
 * as one whatever its kind (an end-of-line change is no edit): each of the original's breaks matches a CRLF or an LF
 * in `current`, line by line, so a document with both kinds is searched as it is (the offsets are its own).
 */
export function locateOriginal(current: string, original: string, options: AnchorOptions): Located {
  if (original === '') return { problem: 'empty' };
  if (!options.uniqueAtRequest) return { problem: 'ambiguous' };
  const endsLine = /\r?\n$/.test(original);
  const pattern = new RegExp(original.split(/\r?\n/).map(escapeRegExp).join('\\r?\\n'), 'g');
  const fits = (at: number, end: number): boolean => {
    if (!options.wholeLines) return true;
    return (at === 0 || current[at - 1] === '\n') && (endsLine || end === current.length || current[end] === '\n' || current[end] === '\r');
  };
  let found: { start: number; end: number } | undefined;
  for (let m = pattern.exec(current); m; m = pattern.exec(current)) {
    const at = m.index;
    const end = at + m[0].length;
    // (Occurrences may overlap: the next one is looked for from the character after this one's start.)
    pattern.lastIndex = at + 1;
    if (!fits(at, end)) continue;
    if (found) return { problem: 'ambiguous' };
    found = { start: at, end };
  }
  return found ?? { problem: 'missing' };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
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
