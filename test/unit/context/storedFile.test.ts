import assert from 'node:assert/strict';
import { DefinitionRecord } from '../../../src/core/context/model';
import { fileDataWith, narrowRefs, StoredFile, withDeferredHash, type FileData } from '../../../src/core/context/storedFile';
import { contentHash, FileProcessor } from '../../../src/core/context/fileProcessor';
import { loader } from './indexerHarness';

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
  it('computes a deferred hash once, when first read, through copies made with fileDataWith (a spread computes it)', () => {
    const hashed: string[] = [];
    const hashOf = (text: string): string => {
      hashed.push(text);
      return `#${text.length}`;
    };
    const fields = { path: 'a.ts', language: 'typescript', size: 3, mtimeMs: -1, definitions: [], imports: [], identifiers: [], refs: new Uint16Array(0) } as const;
    const data = withDeferredHash({ ...fields }, 'abc', hashOf);
    const copy = fileDataWith(data, { path: 'b.ts', mtimeMs: 5 });
    const stored = new StoredFile(fileDataWith(copy, { size: 4 }));
    assert.deepEqual(hashed, [], 'not computed by making or copying the data');
    assert.deepEqual([copy.path, copy.mtimeMs, copy.size, stored.size, stored.path], ['b.ts', 5, 3, 4, 'b.ts']);
    assert.equal(stored.hash, '#3');
    assert.equal(data.hash, '#3');
    assert.equal(copy.hash, '#3');
    assert.deepEqual(hashed, ['abc'], 'computed once');
    const spread = withDeferredHash({ ...fields }, 'abcd', hashOf);
    assert.equal({ ...spread }.hash, '#4');
    assert.deepEqual(Object.keys(copy).sort(), ['definitions', 'hash', 'identifiers', 'imports', 'language', 'mtimeMs', 'path', 'refs', 'size']);
    // A hash already computed is copied as a value.
    assert.equal(fileDataWith({ ...fields, hash: 'h' }, {}).hash, 'h');
  });

  it("gives an open document's data the hash of its text, computed when read", async () => {
    const processor = new FileProcessor(loader(), 1 << 20);
    try {
      const text = 'export function a() {}\n';
      const next = 'export function a() { return 1; }\n';
      await processor.processDocument('a.ts', text, []);
      const data = await processor.processDocument('a.ts', next, [{ start: text.indexOf('}'), deleteCount: 0, text: ' return 1; ' }]);
      assert.equal(typeof Object.getOwnPropertyDescriptor(data, 'hash')?.get, 'function');
      assert.equal(data.hash, contentHash(next));
      assert.equal(data.hash, contentHash(Buffer.from(next)));
    } finally {
      processor.dispose();
    }
  });
});
