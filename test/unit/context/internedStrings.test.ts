import assert from 'node:assert/strict';
import { InternedStrings } from '../../../src/core/context/internedStrings';

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
});
