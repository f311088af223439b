// A growable buffer of 32-bit integers for per-file scratch work (word ranges, packed references). One buffer
// is cleared and reused from file to file: a worker extracts megabytes of source, and arrays rebuilt for each
// file would be garbage that costs collections.
/** Capacity kept from one use to the next (1 MB); a buffer grown past it for a huge file is dropped on clear. */
const RETAINED_CAPACITY = 1 << 18;

export class IntBuffer {
  data: Int32Array;
  length = 0;

  constructor(private readonly initialCapacity = 4096) {
    this.data = new Int32Array(initialCapacity);
  }

  clear(): void {
    this.length = 0;
    if (this.data.length > RETAINED_CAPACITY) this.data = new Int32Array(this.initialCapacity);
  }

  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }

  /** The values as a new Uint32Array of their own (the buffer stays reusable). */
  toUint32Array(): Uint32Array {
    return Uint32Array.from(this.data.subarray(0, this.length));
  }
}
