import assert from 'node:assert/strict';
import type { ImportTarget } from '../../../src/core/context/model';
import { TargetLists } from '../../../src/core/context/targetLists';

const list = (...targets: [string, ...string[]][]): ImportTarget[] => targets.map(([file, ...names]) => ({ file, names }));

describe('TargetLists', () => {
  it('hands out the first of equal lists (same files, order and names) and keeps unequal ones apart', () => {
    const lists = new TargetLists();
    const first = list(['pkg/a.go'], ['pkg/b.go']);
    assert.equal(lists.shared(first), first);
    assert.equal(lists.shared(list(['pkg/a.go'], ['pkg/b.go'])), first);
    for (const other of [list(['pkg/b.go'], ['pkg/a.go']), list(['pkg/a.go', 'X'], ['pkg/b.go']), list(['pkg/a.go'], ['pkg/b.go'], ['pkg/c.go'])]) {
      assert.equal(lists.shared(other), other);
    }
  });

  it('never takes a name for part of a path, or two names for one (each string counted)', () => {
    const pairs: [ImportTarget[], ImportTarget[]][] = [
      [list(['a', 'b'], ['c']), list(['a'], ['b', 'c'])],
      [list(['a', 'b:c'], ['d']), list(['a', 'b', 'c'], ['d'])],
      [list(['a1:b'], ['c']), list(['a', 'b'], ['c'])],
    ];
    for (const [one, other] of pairs) {
      const lists = new TargetLists();
      assert.equal(lists.shared(one), one);
      assert.equal(lists.shared(other), other);
    }
  });

  it('leaves a list of one target as it is', () => {
    const lists = new TargetLists();
    lists.shared(list(['pkg/a.go']));
    const again = list(['pkg/a.go']);
    assert.equal(lists.shared(again), again);
  });

  it('starts over past its capacity: a list seen before then is kept again, not matched', () => {
    const lists = new TargetLists(2);
    const first = list(['a'], ['b']);
    lists.shared(first);
    lists.shared(list(['c'], ['d']));
    assert.equal(lists.shared(list(['a'], ['b'])), first, 'still held at capacity');
    lists.shared(list(['e'], ['f']));
    const again = list(['a'], ['b']);
    assert.equal(lists.shared(again), again);
  });
});
