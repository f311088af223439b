// Optional fast lookups a WorkspaceIndex offers on top of IndexSnapshot. The context engine can use them
// when present (`hasIndexLookup`) and fall back to scanning `files` otherwise.
import type { Disposable } from '../ports';
import type { IndexSnapshot } from './model';

/** What changed in one index update (a build reports all its changes at once, at the end). */
export interface IndexChange {
  readonly version: number;
  /** Files added or re-indexed. */
  readonly changed: readonly string[];
  readonly removed: readonly string[];
}

export interface IndexLookup {
  /** Files with an import that resolves to `path`. */
  importersOf(path: string): readonly string[];
  /** Called after every change, with the new version. */
  onDidChange(listener: (change: IndexChange) => void): Disposable;
}

export function hasIndexLookup(index: IndexSnapshot): index is IndexSnapshot & IndexLookup {
  const candidate = index as Partial<IndexLookup>;
  return typeof candidate.importersOf === 'function' && typeof candidate.onDidChange === 'function';
}
