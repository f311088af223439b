// Small typed arrays kept for long, placed side by side in shared buffers (slabs) instead of one buffer each. Every
// ArrayBuffer of its own costs ~300 bytes beyond its data (its backing store's bookkeeping outside the heap, the
// allocator's rounding, the buffer object in the heap); a view into a slab costs only the view. The index keeps two
// such arrays per file (packed references, definition numbers): at 50,000 files ~25 MB less.
//
// A slab is freed when every view into it is: meant for arrays made in bulk that live about as long as each other
// (a cold build's files, a loaded index's files). Arrays replaced one by one later (edits) should have buffers of their
// own, or a slab would be kept by its last live view.

/** Whether every value of `values` is in 0 .. 2^16 - 1 (a negative one has the high bits set). */
export function fitsIn16Bits(values: Uint32Array | Int32Array): boolean {
  return bitsOf(values) <= 0xffff;
}

/**
 * The bits set in any value of `values`, as an unsigned number (`|` works on 32-bit signed integers; a negative value
 * has the high bits set): every value fits in 8 bits when it is at most 0xff, in 16 when at most 0xffff.
 */
export function bitsOf(values: Uint32Array | Int32Array): number {
  let bits = 0;
  for (let i = 0; i < values.length; i++) bits |= values[i] as number;
  return bits >>> 0;
}

/** Bytes per slab. */
const SLAB_BYTES = 1 << 16;
/** Arrays larger than this keep buffers of their own (a slab's unused tail stays small). */
const LARGEST_IN_SLAB = SLAB_BYTES >> 3;

type SlabArray = Uint16Array | Uint32Array | Int32Array;
/** What `keep` takes: a typed array of any of these kinds. */
type KeptArray = Uint8Array | SlabArray;

/** A typed array class copies are made as (TypedArraySlabs.copyAs). */
interface CopyKind<A> {
  readonly BYTES_PER_ELEMENT: number;
  new (values: ArrayLike<number>): A;
  new (buffer: ArrayBuffer, byteOffset: number, length: number): A;
}

export class TypedArraySlabs {
  private slab = new ArrayBuffer(0);
  /** Next free byte of `slab` (4-byte aligned). */
  private used = 0;

  /**
   * `values` copied into a slab when small, else `values` itself: the caller gives `values` up (it owns it, and does
   * not change it after).
   */
  keep<T extends KeptArray>(values: T): T {
    const { length, byteLength } = values;
    if (byteLength > LARGEST_IN_SLAB || length === 0) return values;
    const at = this.place(byteLength);
    const copy =
      values instanceof Uint8Array
        ? new Uint8Array(this.slab, at, length)
        : values instanceof Uint16Array
          ? new Uint16Array(this.slab, at, length)
          : values instanceof Uint32Array
            ? new Uint32Array(this.slab, at, length)
            : new Int32Array(this.slab, at, length);
    copy.set(values);
    return copy as T;
  }

  /** A copy of `values` as 16-bit numbers (each must fit: higher bits are dropped), in a slab when small. */
  uint16Copy(values: SlabArray): Uint16Array {
    return this.copyAs(Uint16Array, values);
  }

  /**
   * A copy of `bytes` (which may be a view of a larger buffer, or of one that is reused) as 8-bit numbers (each must
   * fit: higher bits are dropped), in a slab when small.
   */
  uint8Copy(bytes: Uint8Array | SlabArray): Uint8Array {
    // (Not `bytes.slice()`: a Buffer's slice is a view.)
    return this.copyAs(Uint8Array, bytes);
  }

  /** A copy of `values` as a `Kind` array, in a slab when small, else in a buffer of its own. */
  private copyAs<A extends Uint8Array | Uint16Array>(Kind: CopyKind<A>, values: ArrayLike<number>): A {
    const bytes = values.length * Kind.BYTES_PER_ELEMENT;
    if (bytes > LARGEST_IN_SLAB || bytes === 0) return new Kind(values);
    // (Placed first: a new slab may be started, which the view must be of.)
    const at = this.place(bytes);
    const copy = new Kind(this.slab, at, values.length);
    copy.set(values);
    return copy;
  }

  /** The offset of `bytes` free bytes in the current slab (a new slab when they do not fit). */
  private place(bytes: number): number {
    if (this.used + bytes > this.slab.byteLength) {
      this.slab = new ArrayBuffer(SLAB_BYTES);
      this.used = 0;
    }
    const at = this.used;
    this.used = (at + bytes + 3) & ~3;
    return at;
  }
}
