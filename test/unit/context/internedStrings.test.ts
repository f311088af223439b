import assert from 'node:assert/strict';
import { InternedStrings, InternedSubset } from '../../../src/core/context/internedStrings';

describe('interned strings', () => {
  it('keeps the first instance of each string (copied as asked) and numbers them in the order kept', () => {
    const strings = new InternedStrings();
    const first = strings.intern('alpha', (s) => `${s}`);
    assert.equal(first, 'alpha');
    assert.equal(strings.intern(['al', 'pha'].join('')), first);
    assert.equal(strings.intern('beta'), 'beta');
    assert.equal(strings.idOf('alpha'), 0);
    assert.equal(strings.idOf('beta'), 1);
    assert.equal(strings.idOf('gamma'), undefined);
    assert.equal(strings.size, 2);
    let copies = 0;
    strings.intern('beta', (s) => {
      copies++;
      return s;
    });
    assert.equal(copies, 0);
  });

  it('numbers a string once (internId), in the order kept, and reads numbers back from a table only appended to', () => {
    const strings = new InternedStrings();
    const table = strings.table;
    assert.equal(strings.intern('alpha'), 'alpha');
    let copies = 0;
    const copy = (s: string): string => {
      copies++;
      return s;
    };
    assert.equal(strings.internId('beta', copy), 1);
    assert.equal(strings.internId(['al', 'pha'].join(''), copy), 0);
    assert.equal(strings.internId('beta', copy), 1);
    assert.equal(copies, 1, 'only a string not yet kept is copied');
    assert.equal(strings.internId(''), 2, 'the empty string is a string like any other');
    // The same array, grown: numbers given out before still read the same strings.
    for (let i = 0; i < 1000; i++) strings.internId(`s${i}`);
    assert.equal(strings.table, table);
    assert.deepEqual([table[0], table[1], table[2], table[1002]], ['alpha', 'beta', '', 's999']);
    assert.equal(strings.size, 1003);
    assert.equal(strings.idOf('s999'), 1002);
  });

  it("adopts a table (a saved index's) only while empty: its strings keep their numbers, found and numbered on as if interned", () => {
    const strings = new InternedStrings();
    const table = strings.table;
    const saved = ['alpha', 'beta', ''];
    assert.equal(strings.adopt(saved), true);
    assert.equal(strings.table, table, 'the same array, appended to');
    assert.deepEqual([...strings.table], saved);
    assert.equal(strings.size, 3);
    assert.equal(strings.idOf('beta'), 1);
    assert.equal(strings.idOf(''), 2);
    assert.equal(strings.idOf('gamma'), undefined);
    let copies = 0;
    const copy = (s: string): string => {
      copies++;
      return s;
    };
    assert.equal(strings.internId(['al', 'pha'].join(''), copy), 0);
    assert.equal(strings.intern('beta', copy), saved[1]);
    assert.equal(copies, 0, 'an adopted string is kept: not copied');
    assert.equal(strings.internId('gamma', copy), 3);
    assert.equal(strings.idOf('gamma'), 3);
    // Kept strings: another table is not adopted, and nothing of it is kept.
    assert.equal(strings.adopt(['delta']), false);
    assert.equal(strings.idOf('delta'), undefined);
    assert.equal(strings.size, 4);
  });
});

describe('interned subset (the identifiers among the interned strings)', () => {
  it('numbers the strings asked for apart from 0, dense, each kept in the strings as they keep it, and finds them again', () => {
    const strings = new InternedStrings();
    strings.intern('path/a.ts');
    const subset = new InternedSubset(strings);
    const cut = 'x'.repeat(20) + 'identifierName';
    const copies: string[] = [];
    const copy = (s: string): string => {
      copies.push(s);
      return `${s}`;
    };
    assert.equal(subset.internId(cut.slice(20), copy), 0);
    assert.equal(subset.internId('other'), 1);
    assert.equal(subset.internId('identifierName'), 0, 'found again, not numbered twice');
    assert.deepEqual(copies, ['identifierName'], 'copied once, when the strings first kept it');
    assert.deepEqual(subset.table, ['identifierName', 'other']);
    assert.equal(subset.table[0], strings.intern('identifierName'), 'the instance the strings keep');
    // A string the strings already kept (a path, a definition name) gets its first number here when first asked for.
    assert.equal(subset.internId('path/a.ts'), 2);
    assert.deepEqual([strings.idOf('path/a.ts'), strings.size], [0, 3]);
    // Past the first 1,024 strings' numbers.
    for (let i = 0; i < 3000; i++) strings.intern(`s${i}`);
    assert.equal(subset.internId('s2999'), 3);
    assert.equal(subset.internId('s2999'), 3);
    assert.equal(subset.size, 4);
  });

  it('numbers a string by its number in the strings (numberOf) as internId numbers it by value', () => {
    const strings = new InternedStrings();
    strings.adopt(['path/a.ts', 'run', 'helper']);
    const subset = new InternedSubset(strings);
    assert.equal(subset.numberOf(2), 0);
    assert.equal(subset.internId('helper'), 0, 'the same string, the same number');
    assert.equal(subset.numberOf(1), 1);
    assert.equal(subset.numberOf(2), 0);
    assert.deepEqual(subset.table, ['helper', 'run']);
    assert.throws(() => subset.numberOf(3), RangeError);
    assert.equal(subset.size, 2);
  });
});
