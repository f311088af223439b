// The size limit on indexed files (contexten.context.maxFileKB), one rule wherever it is checked: a file's UTF-8
// bytes count, its byte-order mark does not. The mark is no part of the text (the index drops it, and an open
// document's text never has it: documentSkipReason measures that text), so a file just over the limit only by its
// mark is indexed from disk as it is from the editor, instead of coming and going as its document opens and closes.
// (The binary sniff reads the text after the mark alike: isBinary.) A UTF-16 file (fileText) counts as its text in
// UTF-8 too, as its open document does: half its bytes for ASCII, more for CJK.
import { open, readFile } from 'node:fs/promises';
import { fileText, utf16Encoding } from './fileText';

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

/** Whether a file's content is over the limit (its byte-order mark not counted; UTF-16 by its text's UTF-8 bytes). */
export function bytesTooLarge(bytes: Uint8Array, maxFileBytes: number): boolean {
  if (utf16Encoding(bytes) !== undefined) return utf16TooLarge(bytes.length, maxFileBytes) ?? Buffer.byteLength(fileText(bytes)) > maxFileBytes;
  return bytes.length - bomLength(bytes) > maxFileBytes;
}

/**
 * Whether UTF-16 content of `size` bytes (its 2-byte mark included) is over the limit when its size alone says it — a
 * UTF-16 unit is 1 to 3 bytes of UTF-8 (a surrogate pair's two are 4) — else undefined: its text decides.
 */
function utf16TooLarge(size: number, maxFileBytes: number): boolean | undefined {
  // (An odd byte at the end decodes to U+FFFD, 3 bytes of UTF-8: a unit of its own.)
  const units = Math.ceil(Math.max(0, size - 2) / 2);
  if (units > maxFileBytes) return true;
  if (units * 3 <= maxFileBytes) return false;
  return undefined;
}

/**
 * Whether the file at `absPath`, `size` bytes on disk, is over the limit (its byte-order mark not counted): its first
 * bytes are read only for a file over the limit by its size (a mark decides it), and a UTF-16 file's text only when its
 * size cannot (at most twice the limit). One that cannot be read counts at its size.
 */
export async function fileTooLarge(absPath: string, size: number, maxFileBytes: number): Promise<boolean> {
  // (Not over by its size: the file's reader decides with its bytes, bytesTooLarge — a UTF-16 file's text may be more.)
  if (size <= maxFileBytes) return false;
  // (Over twice the limit, over it whatever its encoding: a UTF-16 unit is 2 bytes on disk, at least 1 of UTF-8.)
  if (utf16TooLarge(size, maxFileBytes) === true) return true;
  const head = new Uint8Array(UTF8_BOM_BYTES);
  try {
    const file = await open(absPath, 'r');
    try {
      const { bytesRead } = await file.read(head, 0, UTF8_BOM_BYTES, 0);
      // Over by its bytes, a UTF-16 file may not be by its text: half of them for ASCII.
      if (utf16Encoding(head.subarray(0, bytesRead)) !== undefined) {
        const bySize = utf16TooLarge(size, maxFileBytes);
        if (bySize !== undefined) return bySize;
      } else if (size > maxFileBytes + UTF8_BOM_BYTES) return true;
      else return bytesRead < UTF8_BOM_BYTES || !startsWithBom(head);
    } finally {
      await file.close();
    }
    return bytesTooLarge(await readFile(absPath), maxFileBytes);
  } catch {
    return true;
  }
}
