// CRC-32 (the zlib/PNG polynomial) of bytes, continued from an earlier value: the saved index's check that what is read
// back is what was written. zlib.crc32 computes it natively (~5 GB/s here) where the runtime has it (Node 20.15, 22.2
// and later); an older extension host (VS Code 1.90's Node 20.9) gets the same value from a table, ~10× slower.
import type * as NodeZlib from 'node:zlib';
import { lazyBuiltin } from './lazyBuiltin';

const zlib = lazyBuiltin<typeof NodeZlib>('node:zlib');

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
}

/** The CRC-32 of `bytes` computed in JavaScript (crc32's fallback; exported for its test). */
export function crc32Table(bytes: Uint8Array, value = 0): number {
  const t = (table ??= crcTable());
  let c = ~value;
  for (let i = 0; i < bytes.length; i++) c = (t[(c ^ (bytes[i] as number)) & 0xff] as number) ^ (c >>> 8);
  return ~c >>> 0;
}

/** The CRC-32 of `bytes`, continuing `value` (the CRC of the bytes before them; 0 to start). */
export function crc32(bytes: Uint8Array, value = 0): number {
  const native = (zlib() as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;
  return typeof native === 'function' ? native(bytes, value) : crc32Table(bytes, value);
}
