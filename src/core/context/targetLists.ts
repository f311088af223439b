import type { ImportTarget } from './model';

/**
 * Equal lists of import targets, kept once. Every importer of a Go package (a Java wildcard import, a Python
 * `from pkg import a, b`) holds the same list — each file of the package with the same names — twice when the package
 * is also a namespace (its whole-package edge and its namespace's): at 50,000 files, 18,000 such edges of ~25 targets,
 * ~25 MB of objects that say the same. The lists are immutable (ImportTarget is read-only), so one serves them all.
 *
 * Bounded: past `capacity` lists it starts over (the lists already handed out stay shared; only later equal ones are
 * not matched with them), so a long session of edits keeps no list no file holds any more beyond that.
 */
export class TargetLists {
  private readonly lists = new Map<string, readonly ImportTarget[]>();

  constructor(private readonly capacity = 8192) {}

  /** A list equal to `targets` (the same files in the same order, each with the same names): the first one seen, else `targets`. */
  shared(targets: readonly ImportTarget[]): readonly ImportTarget[] {
    // (One target is one small object: not worth a key.)
    if (targets.length < 2) return targets;
    const key = keyOf(targets);
    const known = this.lists.get(key);
    if (known !== undefined) return known;
    if (this.lists.size >= this.capacity) this.lists.clear();
    this.lists.set(key, targets);
    return targets;
  }
}

/** A string naming each target's file and names, unambiguously (each string after its length). */
function keyOf(targets: readonly ImportTarget[]): string {
  let key = '';
  for (const t of targets) {
    key += `${t.file.length}:${t.file}${t.names.length};`;
    for (const name of t.names) key += `${name.length}:${name}`;
  }
  return key;
}
