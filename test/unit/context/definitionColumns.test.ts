import assert from 'node:assert/strict';
import { DefinitionColumns, DefinitionColumnsBuilder, DefinitionListReader, type DefinitionReader } from '../../../src/core/context/definitionColumns';
import { DefinitionRecord, type Definition, type DefinitionKind } from '../../../src/core/context/model';
import { definitionCount, sameDefinitions, StoredFile, type FileData } from '../../../src/core/context/storedFile';
import { seededRandom } from './builders';

const KINDS: DefinitionKind[] = ['function', 'class', 'method', 'interface', 'type', 'enum', 'const'];
const FILE = 'src/a b/ünï.ts';

function randomDefinitions(random: () => number, count: number): Definition[] {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  return Array.from({ length: count }, (_, i) => {
    const startLine = 1 + Math.floor(random() * 70_000);
    return new DefinitionRecord(
      FILE,
      pick(['a', 'constructor', '', 'x'.repeat(40), 'é😀']),
      pick(KINDS),
      pick([undefined, '', 'Outer', 'Ünï😀']),
      startLine,
      startLine + i,
      Math.floor(random() * 1e7),
      Math.floor(random() * 1e7),
      pick(['', 'f', 'function a(x: number): string', 'line\nnext', 'sig → ünï 😀 '.repeat(1 + Math.floor(random() * 5))]),
      startLine + Math.floor(random() * 3),
      pick([undefined, '', 'Doc.', 'Doc\n\nmore', 'doc 😀 é '.repeat(1 + Math.floor(random() * 9))]),
      pick([undefined, 0, startLine - 1]),
      random() < 0.5,
      random() < 0.3,
    );
  });
}

/** The fields a DefinitionReader reads, as the definition has them. */
function fieldsOf(d: Definition): unknown[] {
  return [d.name, d.kind, d.container, d.startLine, d.endLine, d.signature, d.signatureEndLine, d.doc, d.docStartLine, d.exported, d.exportedAsDefault === true, d.id];
}

function fieldsRead(r: DefinitionReader, i: number): unknown[] {
  return [r.nameAt(i), r.kindAt(i), r.containerAt(i), r.startLineAt(i), r.endLineAt(i), r.signatureAt(i), r.signatureEndLineAt(i), r.docAt(i), r.docStartLineAt(i), r.exportedAt(i), r.exportedAsDefaultAt(i), r.idAt(i)];
}

function fileData(definitions: readonly Definition[]): FileData {
  return { path: FILE, language: 'typescript', size: 10, mtimeMs: 1, hash: 'h', definitions, imports: [], identifiers: ['a'], refs: new Uint16Array([0, definitions.length > 0 ? 1 : 0]) };
}

describe('definition columns', () => {
  it('give back definitions equal to the ones packed, in every field and key order, one at a time or all (randomized)', () => {
    const random = seededRandom(23);
    for (let round = 0; round < 200; round++) {
      const definitions = randomDefinitions(random, Math.floor(random() * 12));
      const columns = DefinitionColumns.of(FILE, definitions);
      assert.equal(columns.length, definitions.length);
      const all = columns.all();
      assert.deepEqual(all, definitions);
      assert.deepEqual(all.map((d) => d.id), definitions.map((d) => d.id));
      // Same keys in the same order (JSON and hidden classes see the same objects).
      assert.deepEqual(all.map((d) => Object.keys(d)), definitions.map((d) => Object.keys(d)));
      definitions.forEach((d, i) => assert.deepEqual(columns.at(i), d));
      definitions.forEach((_, i) => assert.notEqual(columns.at(i), columns.at(i), 'made anew on every call (not kept)'));
      // The readers give each field as the definition has it, from the columns and from a list alike.
      for (const reader of [columns, new DefinitionListReader(definitions)]) {
        assert.equal(reader.length, definitions.length);
        definitions.forEach((d, i) => assert.deepEqual(fieldsRead(reader, i), fieldsOf(d), `definition ${i}`));
      }
      assert.deepEqual(columns.all(), all, 'the same definitions asked again');
      if (definitions.length > 0) assert.notEqual(columns.all()[0], all[0], 'made anew on every call (not kept)');
      for (const outside of [-1, definitions.length, 0.5, Number.NaN]) if (!Number.isInteger(outside) || outside < 0 || outside >= definitions.length) assert.equal(columns.at(outside), undefined);
    }
  });

  it('keep names and containers as `name` gives them and the joined texts as `copy` gives them', () => {
    const kept = new Map<string, string>();
    const named: string[] = [];
    const copied: string[] = [];
    const definitions = randomDefinitions(seededRandom(3), 20);
    const columns = DefinitionColumns.of(
      FILE,
      definitions,
      (s) => {
        named.push(s);
        if (!kept.has(s)) kept.set(s, s);
        return kept.get(s) as string;
      },
      (s) => {
        copied.push(s);
        return s;
      },
    );
    assert.deepEqual(named, definitions.flatMap((d) => (d.container === undefined ? [d.name] : [d.name, d.container])));
    assert.deepEqual(copied, [definitions.map((d) => d.signature).join(''), definitions.map((d) => d.doc ?? '').join('')]);
    assert.deepEqual(columns.all(), definitions);
  });

  it('copy only the joined texts that differ from those of the columns they replace (an edit moving definitions)', () => {
    const definitions = randomDefinitions(seededRandom(5), 20);
    const before = DefinitionColumns.of(FILE, definitions);
    const copied: string[] = [];
    const copy = (s: string): string => {
      copied.push(s);
      return s;
    };
    // Moved (the texts stay the same): nothing copied.
    const moved = definitions.map((d) => new DefinitionRecord(FILE, d.name, d.kind, d.container, d.startLine + 1, d.endLine + 1, d.startIndex + 9, d.endIndex + 9, d.signature, d.signatureEndLine + 1, d.doc, d.docStartLine, d.exported));
    const after = DefinitionColumns.of(FILE, moved, undefined, before.keepingTexts(copy));
    assert.deepEqual(copied, []);
    assert.deepEqual(after.all(), moved);
    // One signature changed: only the signatures are copied.
    const [first, ...rest] = definitions as [Definition, ...Definition[]];
    const changed = [new DefinitionRecord(FILE, first.name, first.kind, first.container, first.startLine, first.endLine, first.startIndex, first.endIndex, `${first.signature}!`, first.signatureEndLine, first.doc, first.docStartLine, first.exported), ...rest];
    const edited = DefinitionColumns.of(FILE, changed, undefined, before.keepingTexts(copy));
    assert.deepEqual(copied, [changed.map((d) => d.signature).join('')]);
    assert.deepEqual(edited.all(), changed);
  });

  it('give back the same numbers whether they fit in 16 bits or not (offsets, lines at and around 2^16, negative)', () => {
    for (const value of [0, 1, 0xfffe, 0xffff, 0x10000, 0x7fffffff, -1]) {
      const d = new DefinitionRecord(FILE, 'f', 'function', undefined, value, value, value, value, 's'.repeat(3), value, 'doc', value, true);
      const small = new DefinitionRecord(FILE, 'g', 'const', 'C', 2, 3, 4, 5, 'const g', 2, undefined, undefined, false);
      const definitions = [small, d, small];
      const columns = DefinitionColumns.of(FILE, definitions);
      assert.deepEqual(columns.all(), definitions, `value ${value}`);
      definitions.forEach((x, i) => assert.deepEqual(fieldsRead(columns, i), fieldsOf(x), `value ${value}, definition ${i}`));
    }
    const long = new DefinitionRecord(FILE, 'f', 'function', undefined, 1, 1, 0, 1, 'x'.repeat(0x10001), 1, 'y'.repeat(0x10002), undefined, true);
    const columns = DefinitionColumns.of(FILE, [long, long]);
    assert.deepEqual(columns.all(), [long, long], 'signature and doc offsets past 2^16');
    assert.deepEqual(fieldsRead(columns, 1), fieldsOf(long), 'read past 2^16');
  });

  it('are the same made one definition at a time by a builder, with fewer definitions added than its capacity or none', () => {
    const random = seededRandom(9);
    for (let round = 0; round < 30; round++) {
      const definitions = randomDefinitions(random, Math.floor(random() * 6));
      const builder = new DefinitionColumnsBuilder(definitions.length + Math.floor(random() * 3));
      for (const d of definitions) builder.add(d.name, d.kind, d.container, d.startLine, d.endLine, d.startIndex, d.endIndex, d.signature, d.signatureEndLine, d.doc, d.docStartLine, d.exported, d.exportedAsDefault === true);
      const built = builder.build(FILE);
      assert.equal(built.length, definitions.length);
      assert.deepEqual(built.all(), definitions);
      if (definitions.length === 0) assert.equal(built, DefinitionColumns.NONE);
    }
  });

  it('share one empty instance among files without definitions', () => {
    assert.equal(DefinitionColumns.of('a.ts', []), DefinitionColumns.NONE);
    assert.equal(DefinitionColumns.of('b.ts', []), DefinitionColumns.NONE);
    assert.deepEqual(DefinitionColumns.NONE.all(), []);
  });
});

describe('stored file definitions (columns)', () => {
  it('reads the same definitions, count, single definitions and data as the plain file it was made from (randomized)', () => {
    const random = seededRandom(41);
    for (let round = 0; round < 50; round++) {
      const definitions = randomDefinitions(random, Math.floor(random() * 6));
      const data = fileData(definitions);
      const stored = new StoredFile(data);
      assert.deepEqual(stored.definitions, definitions);
      assert.equal(stored.definitionCount, definitions.length);
      assert.equal(definitionCount(stored), definitions.length);
      definitions.forEach((d, i) => assert.deepEqual(stored.definitionAt(i), d));
      assert.equal(stored.definitionAt(definitions.length), undefined);
      assert.deepEqual(stored.data, data);
      assert.deepEqual(stored.references, new StoredFile(structuredClone(data)).references);
    }
  });

  it('shares its columns with the copies `with` makes, and only with them', () => {
    const definitions = randomDefinitions(seededRandom(5), 4);
    const stored = new StoredFile(fileData(definitions));
    const touched = stored.with({ size: 99, mtimeMs: 7 });
    assert.equal(touched.columns, stored.columns);
    assert.ok(sameDefinitions(stored, touched));
    assert.deepEqual([touched.size, touched.mtimeMs, touched.path], [99, 7, FILE]);
    assert.deepEqual(touched.definitions, definitions);
    const again = new StoredFile(fileData(definitions));
    assert.ok(!sameDefinitions(stored, again), 'equal definitions made again are another extraction');
    const plain = fileData(definitions);
    const asIndexed = { ...plain, references: [] };
    assert.ok(sameDefinitions(asIndexed, { ...asIndexed }));
    assert.ok(!sameDefinitions(asIndexed, { ...asIndexed, definitions: [...definitions] }));
  });
});
