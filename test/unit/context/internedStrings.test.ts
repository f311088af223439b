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
});
