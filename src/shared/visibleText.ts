// Text from the workspace (file names, symbols, reasons naming files) shown where it must read as it is: line breaks
// and other controls, and the bidirectional controls that make text display other than it is, are written as their
// code points. Shared by the context preview (a Markdown document) and the results panel's Context tab.

/**
 * Line breaks and other controls (a file name may hold a newline), and bidirectional controls: `ab\u202Est.kcatta.ts`
 * displays as `abst.attack.ts` reversed, its line range too.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;

/** `text` with each unsafe character written as its code point (`\u{202e}`): shown, never acted on. */
export function visibleText(text: string): string {
  return text.replace(UNSAFE, (c) => `\\u{${(c.codePointAt(0) ?? 0).toString(16)}}`);
}
