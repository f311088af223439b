// Terminal escape sequences in text that is shown, not run in a terminal: an agent's tool output (a test runner's or a
// compiler's, colored) arrives with them, and a document shows `\u001b[31m` as the characters `[31m` around an
// invisible ESC. Node's util.stripVTControlCharacters differs across Node versions (the extension host's Node is not the
// one tests run on), so the sequences are matched here: CSI (colors, cursor moves), OSC (a window title, a hyperlink),
// the other control strings (DCS, SOS, PM, APC: a terminal's queries, tmux passthrough, kitty graphics), the other
// two-character escapes, each also in its 8-bit form.

/**
 * CSI: ESC [ or 0x9B, parameter bytes, intermediate bytes, a final byte. A control string — OSC (ESC ] or 0x9D), DCS
 * (ESC P or 0x90), SOS (ESC X or 0x98), PM (ESC ^ or 0x9E), APC (ESC _ or 0x9F) — up to BEL or ST (ESC \ or 0x9C), or to
 * the line's end when it is never ended: its payload is not text to show. Then any other escape (ESC, intermediate bytes, a final byte:
 * `ESC 7`, `ESC ( B`), and an ESC with nothing of one after it.
 */
const ANSI_SEQUENCE = /(?:\u001b\[|\u009b)[0-?]*[ -/]*[@-~]|(?:\u001b[\]PX^_]|[\u009d\u0090\u0098\u009e\u009f])[^\u0007\u001b\u009c\n]*(?:\u0007|\u001b\\|\u009c)?|\u001b(?:[ -/]*[0-~])?/g;

/** `text` without terminal escape sequences (colors, cursor moves, titles, hyperlinks: a hyperlink's text is kept). */
export function stripAnsi(text: string): string {
  return text.includes('\u001b') || /[\u009b\u009d\u0090\u0098\u009e\u009f]/.test(text) ? text.replace(ANSI_SEQUENCE, '') : text;
}
