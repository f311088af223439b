import assert from 'node:assert/strict';
import { DefinitionRecord } from '../../../src/core/context/model';
import { fileDataWith, narrowIds, narrowRefs, NO_IDENTIFIERS, packedReferenceProblem, sameDefinitions, StoredFile, withDeferredHash, type FileData } from '../../../src/core/context/storedFile';
import { DefinitionColumns } from '../../../src/core/context/definitionColumns';
import { TypedArraySlabs } from '../../../src/core/context/typedArraySlabs';
import { contentHash, FileProcessor } from '../../../src/core/context/fileProcessor';
import { loader } from './indexerHarness';

describe('stored file', () => {
  it('narrows packed references to 8 bits when every value fits, else to 16 bits when every value fits', () => {
    const tiny = Uint32Array.from([0, 1, 0, 255, 2, 1]);
    const narrowest = narrowRefs(tiny);
    assert.ok(narrowest instanceof Uint8Array);
    assert.deepEqual([...narrowest], [...tiny]);
    for (const value of [256, 65_535]) {
      const small = Uint32Array.from([0, 1, value, 0]);
      const narrowed = narrowRefs(small);
      assert.ok(narrowed instanceof Uint16Array, `${value} fits in 16 bits, not 8`);
      assert.deepEqual([...narrowed], [...small]);
    }
    for (const big of [65_536, 0x8000_0000, 0xffff_ffff]) {
      const refs = Uint32Array.from([3, big]);
      assert.equal(narrowRefs(refs), refs, `${big} does not fit`);
    }
    assert.ok(narrowRefs(new Uint32Array(0)) instanceof Uint8Array);
  });

  it('narrows into slabs as copies: 8-, 16- and 32-bit pairs, the 32-bit ones too (a view of a reused buffer)', () => {
    const slabs = new TypedArraySlabs();
    const buffer = new Uint32Array([7, 1, 300, 0, 70_000, 2]);
    const eight = narrowRefs(buffer.subarray(0, 2), slabs);
    const sixteen = narrowRefs(buffer.subarray(0, 4), slabs);
    const wide = narrowRefs(buffer.subarray(0, 6), slabs);
    buffer.fill(9);
    assert.ok(eight instanceof Uint8Array && sixteen instanceof Uint16Array && wide instanceof Uint32Array);
    assert.deepEqual([[...eight], [...sixteen], [...wide]], [[7, 1], [7, 1, 300, 0], [7, 1, 300, 0, 70_000, 2]]);
  });

  it('decodes the same references from 8-, 16- and 32-bit pairs', () => {
    const def = new DefinitionRecord('a.ts', 'run', 'function', undefined, 2, 4, 10, 40, 'function run()', 2, undefined, undefined, true);
    const refs = Uint32Array.from([0, 1, 1, 0, 1, 1]);
    const data: FileData = { path: 'a.ts', language: 'typescript', size: 40, mtimeMs: 1, hash: 'h', definitions: [def], imports: [], identifiers: ['run', 'log'], refs };
    const wide = new StoredFile(data);
    const narrow = new StoredFile({ ...data, refs: narrowRefs(refs) });
    const half = new StoredFile({ ...data, refs: Uint16Array.from(refs) });
    assert.ok(narrow.data.refs instanceof Uint8Array);
    assert.equal(narrow.referenceCount, 3);
    assert.deepEqual(narrow.references, wide.references);
    assert.deepEqual(half.references, wide.references);
    assert.deepEqual(wide.references, [
      { name: 'run', enclosing: 'a.ts#run#2' },
      { name: 'log' },
      { name: 'log', enclosing: 'a.ts#run#2' },
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
  it('keeps identifiers as numbers into a shared table, reading back what strings would (identifiers, references, data)', () => {
    const def = new DefinitionRecord('a.ts', 'run', 'function', undefined, 2, 4, 10, 40, 'function run()', 2, undefined, undefined, true);
    const refs = Uint16Array.from([0, 1, 1, 0, 2, 1]);
    const data: FileData = { path: 'a.ts', language: 'typescript', size: 40, mtimeMs: 1, hash: 'h', definitions: [def], imports: [], identifiers: ['run', 'log', 'x'], refs };
    const table = ['log', 'unused', 'x', 'run'];
    const ids = Uint32Array.from([3, 0, 2]);
    const plain = new StoredFile(data);
    const numbered = new StoredFile({ ...data, identifiers: NO_IDENTIFIERS }, undefined, { ids, table });
    assert.deepEqual(numbered.identifiers, ['run', 'log', 'x']);
    assert.notEqual(numbered.identifiers, numbered.identifiers, 'made anew on each read');
    assert.equal(numbered.identifierCount, 3);
    assert.deepEqual([0, 1, 2].map((i) => numbered.identifierAt(i)), ['run', 'log', 'x']);
    assert.deepEqual(numbered.references, plain.references);
    assert.deepEqual(numbered.data, plain.data);
    assert.equal(packedReferenceProblem(numbered), undefined);
    // The data it was given with its identifiers still as strings: they are not kept (the numbers are).
    const given = new StoredFile(data, undefined, { ids, table });
    assert.deepEqual(given.data, plain.data);
    // Numbers are given out only for the same table and in range.
    assert.equal(numbered.identifierIdAt(0, table), 3);
    assert.equal(numbered.identifierIdAt(2, table), 2);
    assert.equal(numbered.identifierIdAt(3, table), undefined);
    assert.equal(numbered.identifierIdAt(0, [...table]), undefined);
    assert.equal(plain.identifierIdAt(0, table), undefined);
    assert.equal(plain.identifierCount, 3);
    assert.equal(plain.identifierAt(1), 'log');
    // An identifier index past the table is found by the consistency check, as with strings.
    const broken = new StoredFile({ ...data, identifiers: NO_IDENTIFIERS }, undefined, { ids: Uint32Array.from([3, 0]), table });
    assert.equal(packedReferenceProblem(broken), 'identifier index 2 out of range');
  });

  it('narrows identifier numbers to 16 bits exactly when every one fits, in slabs when given', () => {
    const small = Uint32Array.from([0, 65_535, 7]);
    const narrowed = narrowIds(small);
    assert.ok(narrowed instanceof Uint16Array);
    assert.deepEqual([...narrowed], [0, 65_535, 7]);
    const big = Uint32Array.from([0, 65_536]);
    const kept = narrowIds(big.subarray(0, 2));
    assert.ok(kept instanceof Uint32Array && kept.buffer !== big.buffer, 'a copy (the numbers may be in a reused buffer)');
    assert.deepEqual([...kept], [0, 65_536]);
    assert.ok(narrowIds(new Uint32Array(0)) instanceof Uint16Array);
    assert.equal(narrowIds(new Uint32Array(0)), narrowIds(new Uint32Array(0), new TypedArraySlabs()), 'files without identifiers share one empty array');
    const slabs = new TypedArraySlabs();
    const a = narrowIds(Uint32Array.from([1, 2]), slabs);
    const b = narrowIds(Uint32Array.from([3]), slabs);
    assert.ok(a instanceof Uint16Array && b instanceof Uint16Array);
    assert.equal(a.buffer, b.buffer, 'side by side in one slab');
    assert.deepEqual([...a, ...b], [1, 2, 3]);
    const wide = narrowIds(Uint32Array.from([70_000, 1]), slabs);
    assert.ok(wide instanceof Uint32Array);
    assert.deepEqual([...wide], [70_000, 1]);
    // Read back the same either way.
    const table = Array.from({ length: 70_001 }, (_, i) => `n${i}`);
    const fields: FileData = { path: 'n.md', language: 'text', size: 3, mtimeMs: 1, hash: 'h', definitions: [], imports: [], identifiers: NO_IDENTIFIERS, refs: new Uint16Array(0) };
    assert.deepEqual(new StoredFile(fields, undefined, { ids: narrowIds(Uint32Array.from([65_535, 0])), table }).identifiers, ['n65535', 'n0']);
    assert.deepEqual(new StoredFile(fields, undefined, { ids: narrowIds(Uint32Array.from([70_000, 65_536])), table }).identifiers, ['n70000', 'n65536']);
  });

  it('tells files without definitions apart by their very identifiers when kept as numbers (shared by `with`)', () => {
    const table = ['a', 'b'];
    const fields: FileData = { path: 'n.md', language: 'text', size: 3, mtimeMs: 1, hash: 'h', definitions: [], imports: [], identifiers: NO_IDENTIFIERS, refs: new Uint16Array(0) };
    const file = new StoredFile(fields, DefinitionColumns.NONE, { ids: Uint32Array.from([0, 1]), table });
    const touched = file.with({ mtimeMs: 2 });
    assert.equal(touched.mtimeMs, 2);
    assert.deepEqual(touched.identifiers, ['a', 'b']);
    assert.ok(sameDefinitions(file, touched));
    const again = new StoredFile(fields, DefinitionColumns.NONE, { ids: Uint32Array.from([0, 1]), table });
    assert.ok(!sameDefinitions(file, again), 'equal numbers from another extraction');
    const empty = new StoredFile(fields, DefinitionColumns.NONE, { ids: new Uint32Array(0), table });
    assert.deepEqual(empty.identifiers, []);
    assert.equal(empty.identifierCount, 0);
    assert.ok(!sameDefinitions(empty, new StoredFile(fields, DefinitionColumns.NONE)), 'numbers and strings are other extractions');
  });
});
