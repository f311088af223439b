// The ranking index's reference rows packed into bytes: per slot, the names it references (interned ids, in order
// of first mention) with their mention counts. An entry is the id doubled, plus 1 when a count follows (a name
// mentioned more than once), then that count, each in 7-bit groups, low first, a set high bit meaning more follow.
// Most counts are 1 and most ids are below 2^13: ~2.4 bytes an entry instead of 5 (an Int32 id and a count byte).
import { groupCount, writeGroups } from './sevenBitGroups';

/** The most bytes an entry takes (an id and a count of 5 each). */
export const MAX_ROW_ENTRY_BYTES = 10;

/** Bytes an entry takes. */
export function rowEntryLength(nameId: number, count: number): number {
  return count > 1 ? groupCount(nameId * 2 + 1) + groupCount(count) : groupCount(nameId * 2);
}

/** Writes an entry at `at`; returns the position after it. */
export function writeRowEntry(bytes: Uint8Array, at: number, nameId: number, count: number): number {
  if (count <= 1) return writeGroups(bytes, at, nameId * 2);
  return writeGroups(bytes, writeGroups(bytes, at, nameId * 2 + 1), count);
}

/**
 * Unpacks the name ids of the row in bytes[start .. end) (counts skipped) into `into` from position `at` (room
 * enough: one id per byte at most); returns how many. One loop over locals, for reading every row.
 */
export function unpackRowNames(bytes: Uint8Array, start: number, end: number, into: Int32Array, at = 0): number {
  let n = at;
  for (let position = start; position < end; ) {
    let byte = bytes[position++] as number;
    let value = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[position++] as number;
      value |= (byte & 0x7f) << shift;
    }
    into[n++] = value >>> 1;
    if ((value & 1) !== 0) while ((bytes[position++] as number) >= 0x80);
  }
  return n - at;
}

/** Reads the entries of one row after another (reused: no object per row). */
export class ReferenceRowReader {
  private bytes: Uint8Array = new Uint8Array(0);
  private position = 0;
  private end = 0;
  /** Mentions of the name `next` returned last. */
  count = 0;

  /** Starts reading the row in bytes[start .. end). */
  open(bytes: Uint8Array, start: number, end: number): this {
    this.bytes = bytes;
    this.position = start;
    this.end = end;
    return this;
  }

  get done(): boolean {
    return this.position >= this.end;
  }

  /** The next name id of the row (only while not `done`); its mention count is then `count`. */
  next(): number {
    const bytes = this.bytes;
    let at = this.position;
    let byte = bytes[at++] as number;
    let value = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[at++] as number;
      value |= (byte & 0x7f) << shift;
    }
    if ((value & 1) === 0) {
      this.position = at;
      this.count = 1;
      return value >>> 1;
    }
    byte = bytes[at++] as number;
    let count = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[at++] as number;
      count |= (byte & 0x7f) << shift;
    }
    this.position = at;
    this.count = count >>> 0;
    return value >>> 1;
  }
}
