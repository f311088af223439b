import assert from 'node:assert/strict';
import { holds, MAX_IN_ARRAY, StringSetMap } from '../../../src/core/context/stringSetMap';
import { seededRandom } from './builders';

describe('string set map', () => {
  it('holds what a Map of Sets holds, in the same order, through random adds and deletes across every size', () => {
    const random = seededRandom(21);
    const map = new StringSetMap<string>();
    const reference = new Map<string, Set<string>>();
    const keys = ['a', 'b', 'c', 'd'];
    // MAX_IN_ARRAY + 40 values per key: a key's set passes through one value, the arrays and Sets, and back.
    const values = Array.from({ length: MAX_IN_ARRAY + 40 }, (_, i) => `v${i}`);
    let sets = 0;
    for (let step = 0; step < 20_000; step++) {
      const key = keys[Math.floor(random() * keys.length)] as string;
      const value = values[Math.floor(random() * values.length)] as string;
      // Adds a little more often than deletes while a set is small, less once it is large: sizes drift up and down.
      const held = reference.get(key)?.size ?? 0;
      if (random() < (held < MAX_IN_ARRAY + 4 ? 0.9 : 0.35)) {
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
      if (map.values(key) instanceof Set) sets++;
    }
    assert.ok(sets > 1_000, `the keys were Sets at ${sets} steps`);
  });

  it('keeps the order of a Set through every change of form: one value, an array, a Set, an array again, none', () => {
    const map = new StringSetMap<string>();
    const expected: string[] = [];
    const check = (what: string, form: 'string' | 'array' | 'Set' | 'none'): void => {
      const values = map.values('k');
      assert.deepEqual([...values], expected, what);
      assert.equal(map.count('k'), expected.length, what);
      assert.equal(map.size, expected.length > 0 ? 1 : 0, what);
      // (The form as kept: a Set or an array is handed out itself, the same each time; one value in a new array each
      // time; none as the shared empty array.)
      const same = values === map.values('k');
      const actual = values instanceof Set ? 'Set' : !same ? 'string' : [...values].length === 0 ? 'none' : 'array';
      assert.equal(actual, form, `${what}: kept as`);
    };
    for (let i = 0; i < MAX_IN_ARRAY + 2; i++) {
      map.add('k', `v${i}`); // one value, then arrays up to MAX_IN_ARRAY, then a Set
      expected.push(`v${i}`);
      check(`after adding v${i}`, i === 0 ? 'string' : i < MAX_IN_ARRAY ? 'array' : 'Set');
    }
    // Deleted from both ends and the middle down to half of MAX_IN_ARRAY, where the Set becomes an array again.
    while (expected.length > MAX_IN_ARRAY / 2) {
      const gone = expected[expected.length % 2 === 0 ? 0 : Math.floor(expected.length / 3)] as string;
      map.delete('k', gone);
      expected.splice(expected.indexOf(gone), 1);
      check(`after deleting ${gone}`, expected.length > MAX_IN_ARRAY / 2 ? 'Set' : 'array');
    }
    map.add('k', 'v0'); // back at the end, as a Set would put it
    expected.push('v0');
    check('after adding v0 again', 'array');
    while (expected.length > 0) {
      const gone = expected[Math.floor(expected.length / 2)] as string;
      map.delete('k', gone); // down to 2, one, none
      expected.splice(expected.indexOf(gone), 1);
      check(`after deleting ${gone}`, expected.length === 0 ? 'none' : expected.length === 1 ? 'string' : 'array');
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
