// Indexes a corpus copy for the eval (wired to the workspace indexer once it lands on this branch).
import type { IndexSnapshot } from '../src/core/context/model';

export function indexForEval(root: string): Promise<IndexSnapshot> {
  return Promise.reject(new Error(`cannot index ${root}: the workspace indexer is not on this branch yet`));
}
