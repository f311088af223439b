// Unsigned 32-bit values in 7-bit groups, low first, a set high bit meaning more follow (the packed slot lists and
// the packed reference rows both store their numbers so; each unpacks in a loop of its own, over locals).

/** Bytes `value` (0 .. 2^32 - 1) takes. */
export function groupCount(value: number): number {
  return value < 0x80 ? 1 : value < 0x4000 ? 2 : value < 0x200000 ? 3 : value < 0x10000000 ? 4 : 5;
}

/** Writes `value` (0 .. 2^32 - 1) at `at`; returns the position after it. */
export function writeGroups(bytes: Uint8Array, at: number, value: number): number {
  let v = value >>> 0;
  while (v >= 0x80) {
    bytes[at++] = (v & 0x7f) | 0x80;
    v >>>= 7;
  }
  bytes[at++] = v;
  return at;
}
