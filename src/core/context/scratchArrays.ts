// Reusable zero-filled work arrays. Ranking a query needs several arrays as long as the index has
// slots (tens of thousands); allocating them per query costs more in garbage collection than the
// ranking itself. An array handed out stays valid until the next request for the same key, so the
// owner must not let it escape a synchronous computation.

export class ScratchArrays {
  private readonly doubles = new Map<string, Float64Array>();
  private readonly bytes = new Map<string, Uint8Array>();
  private readonly ints = new Map<string, Int32Array>();
  /** By zero-filled array: the length its last holder asked for (it wrote nothing past it). */
  private readonly written = new WeakMap<Float64Array | Uint8Array, number>();

  /** A zero-filled Float64Array of at least `length` elements (the caller writes below `length` only). */
  float64(key: string, length: number): Float64Array {
    let array = this.doubles.get(key);
    if (!array || array.length < length) {
      array = new Float64Array(grownLength(length));
      this.doubles.set(key, array);
    } else this.clear(array);
    this.written.set(array, length);
    return array;
  }

  /**
   * An Int32Array of at least `length` elements with unspecified contents: for lists of slots, which
   * are written before they are read (not clearing them saves a pass over the array per query).
   */
  int32List(key: string, length: number): Int32Array {
    let array = this.ints.get(key);
    if (!array || array.length < length) {
      array = new Int32Array(grownLength(length));
      this.ints.set(key, array);
    }
    return array;
  }

  /** A zero-filled Uint8Array of at least `length` elements (the caller writes below `length` only). */
  uint8(key: string, length: number): Uint8Array {
    let array = this.bytes.get(key);
    if (!array || array.length < length) {
      array = new Uint8Array(grownLength(length));
      this.bytes.set(key, array);
    } else this.clear(array);
    this.written.set(array, length);
    return array;
  }

  /**
   * Zeroes what the last holder of a zero-filled array could have written (below the length it asked for): the
   * slack past it was never written, so its pages are not touched (a fresh array's are not resident until written).
   */
  private clear(array: Float64Array | Uint8Array): void {
    array.fill(0, 0, this.written.get(array) ?? array.length);
  }
}

/** Some slack, so an index that grows by a few slots per edit does not reallocate every time. */
function grownLength(length: number): number {
  return Math.max(1024, Math.ceil(length * 1.25));
}
