import { withLength } from './typedArrayGrowth';

/**
 * A set of file ids cleared in O(1): each `begin` starts a new set by a new stamp, an id holds the stamp it was marked
 * with. (For the ranking index's work per definition — the files a file imports, the files importing a definition's
 * file —, where a Set of ids or of paths would be made, or a path hashed, for every name looked at.)
 */
export class FileStamps {
  private stamps = new Int32Array(64);
  private current = 0;

  /** Starts an empty set over ids below `size`. */
  begin(size: number): void {
    this.stamps = withLength(this.stamps, size);
    if (this.current === 0x7fffffff) {
      this.stamps.fill(0);
      this.current = 0;
    }
    this.current++;
  }

  mark(id: number): void {
    this.stamps[id] = this.current;
  }

  has(id: number): boolean {
    return this.stamps[id] === this.current;
  }
}
