import assert from 'node:assert/strict';
import type { ImportTarget } from '../../../src/core/context/model';
import { TargetLists } from '../../../src/core/context/targetLists';

/** A package-like list: each file with one list of names (`names`, a fresh array unless given). */
const list = (files: readonly string[], names: readonly string[] = []): ImportTarget[] => {
  const shared = [...names];
  return files.map((file) => ({ file, names: shared }));
};

describe('TargetLists', () => {
  it('hands out the first of equal lists (same files, order and names, the names in arrays of their own) and keeps unequal ones apart', () => {
    const lists = new TargetLists();
    const first = list(['pkg/a.go', 'pkg/b.go'], ['as pkg']);
    assert.equal(lists.shared(first), first);
    assert.equal(lists.shared(list(['pkg/a.go', 'pkg/b.go'], ['as pkg'])), first);
    for (const other of [list(['pkg/b.go', 'pkg/a.go'], ['as pkg']), list(['pkg/a.go', 'pkg/b.go'], ['as p']), list(['pkg/a.go', 'pkg/b.go']), list(['pkg/a.go', 'pkg/b.go', 'pkg/c.go'], ['as pkg'])]) {
      assert.equal(lists.shared(other), other);
    }
    assert.equal(lists.shared(list(['pkg/a.go', 'pkg/b.go'])), lists.shared(list(['pkg/a.go', 'pkg/b.go'])), 'the whole package (no names) too');
  });

  it('leaves a list whose targets bring different names (a Python `from pkg import a, b`, a Rust `use` group) as it is', () => {
    const lists = new TargetLists();
    const mixed = (): ImportTarget[] => [{ file: 'pkg/a.py', names: ['a'] }, { file: 'pkg/b.py', names: ['b'] }];
    lists.shared(mixed());
    const again = mixed();
    assert.equal(lists.shared(again), again);
  });

  it('leaves a list of one target as it is', () => {
    const lists = new TargetLists();
    lists.shared(list(['pkg/a.go']));
    const again = list(['pkg/a.go']);
    assert.equal(lists.shared(again), again);
  });

  it('starts over past its capacity: a list seen before then is kept again, not matched', () => {
    const lists = new TargetLists(2);
    const first = list(['a', 'b']);
    lists.shared(first);
    lists.shared(list(['c', 'd']));
    assert.equal(lists.shared(list(['a', 'b'])), first, 'still held at capacity');
    lists.shared(list(['e', 'f']));
    const again = list(['a', 'b']);
    assert.equal(lists.shared(again), again);
  });
});
