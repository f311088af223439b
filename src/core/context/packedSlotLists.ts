// Lists of slot numbers packed into bytes: each slot as its difference from the one before it in its list (the
// first from 0), zigzag-coded (so a list in any order can be stored) in 7-bit groups, low first, a set high bit
// meaning more follow. The ranking keeps millions of slots in lists that ascend (BM25 postings by term, a name's
// referrers); their differences are small: ~1.2 bytes a slot instead of 4 in an Int32Array. A list is unpacked
// whole into a work array before it is read.
import { groupCount, writeGroups } from './sevenBitGroups';

/** The zigzag code of a difference: 0, -1, 1, -2, … as 0, 1, 2, 3, … */
function zigzag(delta: number): number {
  return ((delta << 1) ^ (delta >> 31)) >>> 0;
}

/** Bytes `delta` (the difference from the previous slot of its list) takes. */
export function packedLength(delta: number): number {
  return groupCount(zigzag(delta));
}

/** Writes `delta` at `at`; returns the position after it. */
export function writePacked(bytes: Uint8Array, at: number, delta: number): number {
  return writeGroups(bytes, at, zigzag(delta));
}

/**
 * Unpacks the list in bytes[start .. end) into `into` from position `at` (room enough: one slot per byte at most);
 * returns how many slots it holds. One loop over locals: lists are read in the ranking's hot loops.
 */
export function unpackSlots(bytes: Uint8Array, start: number, end: number, into: Int32Array, at = 0): number {
  let n = at;
  let previous = 0;
  for (let position = start; position < end; ) {
    let byte = bytes[position++] as number;
    let z = byte & 0x7f;
    for (let shift = 7; byte >= 0x80; shift += 7) {
      byte = bytes[position++] as number;
      z |= (byte & 0x7f) << shift;
    }
    previous += (z >>> 1) ^ -(z & 1);
    into[n++] = previous;
  }
  return n - at;
}
