import assert from 'node:assert/strict';
import { holds, StringSetMap } from '../../../src/core/context/stringSetMap';
import { seededRandom } from './builders';

describe('string set map', () => {
  it('holds what a Map of Sets holds, in the same order, through random adds and deletes across every size', () => {
    const random = seededRandom(21);
    const map = new StringSetMap<string>();
    const reference = new Map<string, Set<string>>();
    const keys = ['a', 'b', 'c', 'd'];
    // 20 values per key: a key's set passes through one value, the arrays and Sets, and back.
    const values = Array.from({ length: 20 }, (_, i) => `v${i}`);
    for (let step = 0; step < 20_000; step++) {
      const key = keys[Math.floor(random() * keys.length)] as string;
      const value = values[Math.floor(random() * values.length)] as string;
      // Adds a little more often than deletes while a set is small, less once it is large: sizes drift up and down.
      const held = reference.get(key)?.size ?? 0;
      if (random() < (held < 12 ? 0.6 : 0.35)) {
        map.add(key, value);
        let set = reference.get(key);
        if (!set) reference.set(key, (set = new Set()));
        set.add(value);
      } else {
        map.delete(key, value);
        const set = reference.get(key);
        set?.delete(value);
        if (set?.size === 0) reference.delete(key);
      }
      const expected = [...(reference.get(key) ?? [])];
      assert.deepEqual([...map.values(key)], expected, `step ${step}: values of ${key}`);
      assert.equal(map.count(key), expected.length, `step ${step}: count of ${key}`);
      assert.equal(holds(map.values(key), value), expected.includes(value), `step ${step}: values of ${key} hold ${value}`);
      const other = values[Math.floor(random() * values.length)] as string;
      assert.equal(holds(map.values(key), other), expected.includes(other), `step ${step}: values of ${key} hold ${other}`);
      assert.equal(map.size, reference.size, `step ${step}: keys`);
    }
  });

  it('keeps the order of a Set through every change of form: one value, an array, a Set, an array again, none', () => {
    const map = new StringSetMap<string>();
    const expected: string[] = [];
    const check = (what: string): void => {
      assert.deepEqual([...map.values('k')], expected, what);
      assert.equal(map.count('k'), expected.length, what);
      assert.equal(map.size, expected.length > 0 ? 1 : 0, what);
    };
    for (let i = 0; i < 10; i++) {
      map.add('k', `v${i}`); // one value, then arrays of 2..8, then a Set of 9 and 10
      expected.push(`v${i}`);
      check(`after adding v${i}`);
    }
    for (const gone of ['v0', 'v5', 'v9', 'v2', 'v7', 'v1']) {
      map.delete('k', gone); // a Set down to 5, an array at 4
      expected.splice(expected.indexOf(gone), 1);
      check(`after deleting ${gone}`);
    }
    map.add('k', 'v0'); // back at the end, as a Set would put it
    expected.push('v0');
    check('after adding v0 again');
    for (const gone of ['v3', 'v8', 'v4', 'v6', 'v0']) {
      map.delete('k', gone); // down to 2, one, none
      expected.splice(expected.indexOf(gone), 1);
      check(`after deleting ${gone}`);
    }
  });

  it('leaves an array it handed out (a few values) as it was when values are added and deleted later', () => {
    const map = new StringSetMap<string>();
    map.add('k', 'x');
    map.add('k', 'y');
    const before = map.values('k');
    map.add('k', 'z');
    map.delete('k', 'x');
    assert.deepEqual([...before], ['x', 'y']);
    assert.deepEqual([...map.values('k')], ['y', 'z']);
  });

  it('gives nothing for a key without values, and forgets everything on clear', () => {
    const map = new StringSetMap<number>();
    assert.deepEqual([...map.values(1)], []);
    assert.equal(map.count(1), 0);
    map.add(1, 'a');
    map.add(1, 'a');
    assert.equal(map.count(1), 1);
    map.delete(1, 'b');
    assert.equal(map.count(1), 1);
    map.clear();
    assert.equal(map.size, 0);
    assert.equal(holds(map.values(1), 'a'), false);
  });
});
