// Growable typed arrays: the ranking structures keep per-slot and per-posting data in typed arrays
// (a few bytes an entry instead of an object or a boxed array element) and grow them as slots come.

export type GrowableArray = Int32Array | Float64Array | Uint8Array | Uint16Array | Uint32Array;

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
