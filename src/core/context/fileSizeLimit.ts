// The size limit on indexed files (contexten.context.maxFileKB), one rule wherever it is checked: a file's UTF-8
// bytes count, its byte-order mark does not. The mark is no part of the text (the index drops it, and an open
// document's text never has it: documentSkipReason measures that text), so a file just over the limit only by its
// mark is indexed from disk as it is from the editor, instead of coming and going as its document opens and closes.
// (The binary sniff reads the text after the mark alike: isBinary.)
import { open } from 'node:fs/promises';

/** The bytes of UTF-8's byte-order mark (EF BB BF). */
const UTF8_BOM_BYTES = 3;

/** Whether `bytes` start with UTF-8's byte-order mark. */
function startsWithBom(bytes: Uint8Array): boolean {
  return bytes.length >= UTF8_BOM_BYTES && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
}

/** How many bytes of `bytes` are a UTF-8 byte-order mark: UTF8_BOM_BYTES or 0 (where the file's text starts). */
export function bomLength(bytes: Uint8Array): number {
  return startsWithBom(bytes) ? UTF8_BOM_BYTES : 0;
}

/** Whether a file's content is over the limit (its byte-order mark not counted). */
export function bytesTooLarge(bytes: Uint8Array, maxFileBytes: number): boolean {
  return bytes.length - bomLength(bytes) > maxFileBytes;
}

/**
 * Whether the file at `absPath`, `size` bytes on disk, is over the limit (its byte-order mark not counted): its first
 * bytes are read only when the mark decides it (a file at most UTF8_BOM_BYTES over). One that cannot be read counts
 * at its size.
 */
export async function fileTooLarge(absPath: string, size: number, maxFileBytes: number): Promise<boolean> {
  if (size <= maxFileBytes) return false;
  if (size > maxFileBytes + UTF8_BOM_BYTES) return true;
  const head = new Uint8Array(UTF8_BOM_BYTES);
  try {
    const file = await open(absPath, 'r');
    try {
      const { bytesRead } = await file.read(head, 0, UTF8_BOM_BYTES, 0);
      return bytesRead < UTF8_BOM_BYTES || !startsWithBom(head);
    } finally {
      await file.close();
    }
  } catch {
    return true;
  }
}
