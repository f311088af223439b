import assert from 'node:assert/strict';
import { DefinitionRecord } from '../../../src/core/context/model';
import { narrowRefs, StoredFile, type FileData } from '../../../src/core/context/storedFile';

describe('stored file', () => {
  it('narrows packed references to 16 bits exactly when every value fits', () => {
    const small = Uint32Array.from([0, 1, 0, 65_535, 2, 1]);
    const narrowed = narrowRefs(small);
    assert.ok(narrowed instanceof Uint16Array);
    assert.deepEqual([...narrowed], [...small]);
    for (const big of [65_536, 0x8000_0000, 0xffff_ffff]) {
      const refs = Uint32Array.from([3, big, 0]);
      assert.equal(narrowRefs(refs), refs, `${big} does not fit`);
    }
    assert.ok(narrowRefs(new Uint32Array(0)) instanceof Uint16Array);
  });

  it('decodes the same references from 16- and 32-bit triples', () => {
    const def = new DefinitionRecord('a.ts', 'run', 'function', undefined, 2, 4, 10, 40, 'function run()', 2, undefined, undefined, true);
    const refs = Uint32Array.from([0, 3, 1, 1, 7, 0, 1, 9, 1]);
    const data: FileData = { path: 'a.ts', language: 'typescript', size: 40, mtimeMs: 1, hash: 'h', definitions: [def], imports: [], identifiers: ['run', 'log'], refs };
    const wide = new StoredFile(data);
    const narrow = new StoredFile({ ...data, refs: narrowRefs(refs) });
    assert.ok(narrow.data.refs instanceof Uint16Array);
    assert.equal(narrow.referenceCount, 3);
    assert.deepEqual(narrow.references, wide.references);
    assert.deepEqual(wide.references, [
      { name: 'run', line: 3, enclosing: 'a.ts#run#2' },
      { name: 'log', line: 7 },
      { name: 'log', line: 9, enclosing: 'a.ts#run#2' },
    ]);
  });
});
