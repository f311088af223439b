// Where generated code goes when the document changed after the request: the text the request was made
// for, found again in the document's current text, or why it cannot be (so nothing is applied blindly).

export type Located = { readonly start: number; readonly end: number } | { readonly problem: 'missing' | 'ambiguous' };

/**
 * The offsets of the only occurrence of `original` (the target's text when the request was made) in `current`
 * (the document's text now); 'missing' when it is no longer there (edited or removed), 'ambiguous' when it is
 * there more than once (or is empty: an empty text is everywhere).
 */
export function locateOriginal(current: string, original: string): Located {
  if (original === '') return { problem: 'ambiguous' };
  const start = current.indexOf(original);
  if (start < 0) return { problem: 'missing' };
  if (current.indexOf(original, start + 1) >= 0) return { problem: 'ambiguous' };
  return { start, end: start + original.length };
}
