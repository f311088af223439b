/**
 * Index paths removed while a build reads the saved index, whose saved entries are older (gone): each path with what
 * is under it, or only what is under it (a folder replaced by a file, which is indexed anew). Whether a saved path is
 * among them looks up the path and its folders, not every path noted: a branch switch notes thousands of paths while a
 * saved index of tens of thousands of files is read.
 */
export class RemovedPaths {
  private readonly atOrUnder = new Set<string>();
  private readonly under = new Set<string>();

  /** `rel` is gone, and everything under it. */
  add(rel: string): void {
    this.atOrUnder.add(rel);
  }

  /** Everything under `rel` is gone (`rel` itself, a file now, is not). */
  addUnder(rel: string): void {
    this.under.add(rel);
  }

  /** How many paths were noted (each once). */
  get size(): number {
    return this.atOrUnder.size + this.under.size;
  }

  /** Whether the path `p` is gone: noted, or under a path noted. */
  has(p: string): boolean {
    if (this.size === 0) return false;
    if (this.atOrUnder.has(p)) return true;
    for (let i = p.lastIndexOf('/'); i > 0; i = p.lastIndexOf('/', i - 1)) {
      const folder = p.slice(0, i);
      if (this.atOrUnder.has(folder) || this.under.has(folder)) return true;
    }
    return false;
  }
}
