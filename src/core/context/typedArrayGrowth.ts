// Growable typed arrays: the ranking structures keep per-slot and per-posting data in typed arrays
// (a few bytes an entry instead of an object or a boxed array element) and grow them as slots come.

export type GrowableArray = Int32Array | Float64Array | Float32Array | Uint8Array | Uint16Array | Uint32Array;

/**
 * `array` itself when it holds at least `length` elements, otherwise a copy grown by half (or to
 * `length`), its new elements set to `fill`.
 */
export function withLength<T extends GrowableArray>(array: T, length: number, fill = 0): T {
  if (length <= array.length) return array;
  const Constructor = array.constructor as new (n: number) => T;
  const grown = new Constructor(Math.max(length, Math.ceil(array.length * 1.5), 64));
  (grown as GrowableArray).set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

/** `array` itself when it holds at least `length` elements, otherwise a copy of exactly `length` elements, its new ones set to `fill`. */
export function withExactLength<T extends GrowableArray>(array: T, length: number, fill = 0): T {
  if (length <= array.length) return array;
  const Constructor = array.constructor as new (n: number) => T;
  const grown = new Constructor(length);
  (grown as GrowableArray).set(array);
  if (fill !== 0) grown.fill(fill, array.length);
  return grown;
}

/**
 * Frees the memory of an array nothing references any more now, instead of at the next full collection: its
 * buffer is detached (ArrayBuffer.prototype.transfer, ES2024: V8 11.4 and later, so Node 22 and VS Code's
 * extension host; elsewhere nothing happens and the collector frees it as before). Until collected, a dropped
 * array of tens of megabytes stays in the process's memory while its successor is filled. Only for arrays no
 * view or caller still reads: any other view of the buffer reads as empty afterwards.
 */
export function releaseArray(array: GrowableArray): void {
  const buffer = array.buffer as ArrayBufferLike & { transfer?: (length: number) => ArrayBuffer };
  if (typeof buffer.transfer === 'function' && buffer.byteLength > 0) buffer.transfer(0);
}

/** withLength, the array it replaces (if it grew) released at once (releaseArray): for arrays only their owner's field holds. */
export function grownReleasing<T extends GrowableArray>(array: T, length: number, fill = 0): T {
  const grown = withLength(array, length, fill);
  if (grown !== array) releaseArray(array);
  return grown;
}
