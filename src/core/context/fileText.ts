// A file's text from its bytes, one rule wherever the engine reads a file: UTF-8, or UTF-16 when the file starts with
// UTF-16's byte-order mark (as Windows tools write it: Notepad's "Unicode", PowerShell 5's `>`). VS Code shows such a
// file as text, and an open document's text is the same whichever way it is stored: read as UTF-8 from disk, its
// ASCII characters' NUL bytes made it binary, so it was indexed only while open. (Without a mark, UTF-16 is not told
// apart from UTF-8 holding NULs — VS Code guesses there, the engine does not.)

/** The encoding a UTF-16 byte-order mark at the start of `bytes` names, or undefined (UTF-8). */
export function utf16Encoding(bytes: Uint8Array): 'utf-16le' | 'utf-16be' | undefined {
  if (bytes.length < 2) return undefined;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return 'utf-16le';
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return 'utf-16be';
  return undefined;
}

const decoders = { 'utf-16le': new TextDecoder('utf-16le', { ignoreBOM: true }), 'utf-16be': new TextDecoder('utf-16be', { ignoreBOM: true }) } as const;

/**
 * The text of a file's bytes. Its byte-order mark is no part of the text and is left out, unless `keepByteOrderMark`
 * (then it is the text's first character, U+FEFF, whatever the encoding). UTF-16 that does not decode (an odd byte at
 * the end, a lone surrogate) gives U+FFFD there, as UTF-8 does for bytes that are not UTF-8.
 */
export function fileText(bytes: Uint8Array, keepByteOrderMark = false): string {
  const utf16 = utf16Encoding(bytes);
  const text = utf16 ? decoders[utf16].decode(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
  return keepByteOrderMark ? text : text.replace(/^\uFEFF/, '');
}
