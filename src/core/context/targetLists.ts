import { sameTargetLists, type ImportTarget } from './model';

/**
 * Equal lists of a package's files, kept once. Every importer of a Go package (of a Java package through a wildcard
 * import) holds a list of the package's files, each with the same names — twice when the package is also a namespace
 * (its whole-package edge and its namespace's): at 50,000 files, 18,000 such edges of ~25 targets, ~25 MB of objects
 * that say the same. The lists are immutable (ImportTarget is read-only), so one serves them all.
 *
 * Only such lists, whose targets all share one list of names, are matched: the others (a Python `from pkg import a, b`
 * reaching two modules, a Rust `use` group) are seldom equal, and would fill the table. Looked up by a number hashed
 * from the paths and names, the lists compared when it matches — no key kept (a string of every path of a list costs
 * more than the list). Bounded: past `capacity` lists it starts over (the lists already handed out stay shared; only
 * later equal ones are not matched with them), so a long session of edits keeps no list no file holds beyond that.
 */
export class TargetLists {
  private readonly byHash = new Map<number, (readonly ImportTarget[])[]>();
  private count = 0;

  constructor(private readonly capacity = 8192) {}

  /** A list equal to `targets` (the same files in the same order, with the same names): the first one seen, else `targets`. */
  shared(targets: readonly ImportTarget[]): readonly ImportTarget[] {
    const names = targets[0]?.names;
    // (One target is one small object: not worth a look-up.)
    if (names === undefined || targets.length < 2 || targets.some((t) => t.names !== names)) return targets;
    const hash = hashOf(targets, names);
    const bucket = this.byHash.get(hash);
    const known = bucket?.find((list) => sameTargetLists(list, targets));
    if (known !== undefined) return known;
    if (this.count >= this.capacity) {
      this.byHash.clear();
      this.count = 0;
    }
    const fresh = this.byHash.get(hash);
    if (fresh === undefined) this.byHash.set(hash, [targets]);
    else fresh.push(targets);
    this.count++;
    return targets;
  }
}

/** FNV-1a over the targets' paths and their one list of names, each string ended by a code no path or name holds. */
function hashOf(targets: readonly ImportTarget[], names: readonly string[]): number {
  let hash = 0x811c9dc5;
  const mix = (s: string): void => {
    for (let i = 0; i < s.length; i++) hash = Math.imul(hash ^ s.charCodeAt(i), 0x01000193);
    hash = Math.imul(hash ^ 0xffff, 0x01000193);
  };
  for (const name of names) mix(name);
  for (const t of targets) mix(t.file);
  return hash >>> 0;
}

