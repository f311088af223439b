import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { FileProcessor } from '../../../src/core/context/fileProcessor';
import { indexCacheFile, loadIndex, saveIndex } from '../../../src/core/context/indexPersistence';
import { StoredFile, type FileData } from '../../../src/core/context/storedFile';
import { DefinitionRecord } from '../../../src/core/context/model';
import { loader, recordingLogger, tempWorkspace } from './indexerHarness';

describe('saved index: texts and numbers at their edges', () => {
  let storage: { root: string; cleanup: () => void };
  const root = '/work/some-workspace';
  beforeEach(() => {
    storage = tempWorkspace();
  });
  afterEach(() => storage.cleanup());

  it('cuts a long signature between whole characters (never half an emoji), and the saved index gives it back', async () => {
    const processor = new FileProcessor(loader(), 1 << 20);
    const files: FileData[] = [];
    try {
      // 'export function f(a = "' is 23 chars: for some n the 400-char cut falls between the halves of an emoji.
      for (let n = 360; n < 420; n++) {
        const text = `export function f(a = "${'x'.repeat(n)}\u{1F600}\u{1F600}\u{1F600}") { return a; }\n`;
        files.push(await processor.processDocument(`src/min${n}.js`, text));
      }
    } finally {
      processor.dispose();
    }
    const signatures = files.map((f) => f.definitions[0]?.signature ?? '');
    assert.deepEqual(signatures.filter((s) => /\p{Cs}/u.test(s)), [], 'no signature holds half a character');
    assert.ok(signatures.some((s) => s.length === 399), 'a cut moved back by one unit to keep an emoji whole');
    await saveIndex(storage.root, root, files, []);
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.ok(loaded, 'loaded');
    assert.deepEqual(loaded.files.map((f) => f.definitions[0]?.signature), signatures);
  });

  it('gives back a signature or doc holding half a character (an open document may have one): such texts are saved in the JSON', async () => {
    const d = new DefinitionRecord('x.ts', 'f', 'function', undefined, 0, 1, 0, 10, 'function f(s = "\ud83d', 0, 'cut \ud83d', 0, false);
    await saveIndex(storage.root, root, [new StoredFile({ path: 'x.ts', language: 'typescript', size: 40, mtimeMs: 1, hash: 'h', definitions: [d], imports: [], identifiers: [], refs: new Uint16Array(0) })], []);
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.ok(loaded);
    assert.deepEqual(loaded.files[0]?.definitions.map((x) => [x.signature, x.doc]), [[d.signature, d.doc]]);
  });

  it('gives back texts starting with U+FEFF (the decoder must not take it for a byte-order mark)', async () => {
    const d = new DefinitionRecord('x.ts', 'f', 'function', undefined, 0, 1, 0, 10, '\ufefffunction f()', 0, '\ufeffdoc', 0, false);
    await saveIndex(storage.root, root, [new StoredFile({ path: 'x.ts', language: 'typescript', size: 40, mtimeMs: 1, hash: 'h', definitions: [d], imports: [], identifiers: [], refs: new Uint16Array(0) })], []);
    const logger = recordingLogger();
    const loaded = await loadIndex(storage.root, root, logger);
    assert.deepEqual(logger.lines.map((l) => l.message), []);
    assert.deepEqual(loaded?.files[0]?.definitions.map((x) => [x.signature, x.doc]), [[d.signature, d.doc]]);
  });

  it('saves again byte for byte what it loaded, and loads what was saved, for definitions at the edges (names of Object.prototype, empty texts, 32-bit numbers, no definitions)', async () => {
    const defs = [
      new DefinitionRecord('e.ts', 'constructor', 'method', '__proto__', 0, 0, 0, 0, '', 0, '', 0, true),
      new DefinitionRecord('e.ts', '__proto__', 'class', 'hasOwnProperty', 1, 70000, 5, 100000, 'class é😀', 1, undefined, undefined, false),
      new DefinitionRecord('e.ts', 'toString', 'const', undefined, 2, 3, 6, 7, '😀', 2, '😀é', 1, false),
      new DefinitionRecord('e.ts', '', 'enum', undefined, 2, 3, 6, 7, '', 2, undefined, 5, false),
    ];
    const files = [
      new StoredFile({ path: 'e.ts', language: 'typescript', size: 40, mtimeMs: 1.25, hash: 'h', definitions: defs, imports: [], identifiers: ['a'], refs: new Uint16Array(0) }),
      new StoredFile({ path: 'empty.ts', language: 'typescript', size: 0, mtimeMs: 1, hash: 'h2', definitions: [], imports: [], identifiers: [], refs: new Uint16Array(0) }),
    ];
    await saveIndex(storage.root, root, files, []);
    const first = readFileSync(indexCacheFile(storage.root, root));
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.ok(loaded);
    assert.deepEqual(loaded.files.map((f) => f.data), files.map((f) => f.data));
    await saveIndex(storage.root, root, loaded.files, loaded.skipped);
    assert.deepEqual(readFileSync(indexCacheFile(storage.root, root)), first);
  });

  // numbers: flags, startLine, endLine, startIndex, endIndex, signatureEndLine, ... — of a definition on lines 3–4
  // (signature ending on 3) at offsets 10–30, each case one number changed to a value that fits but breaks an order.
  for (const [what, number, value] of [
    ['its start line after its signature\'s last line', 1, 4],
    ['its signature\'s last line after its end line', 5, 5],
    ['its start offset after its end offset', 3, 31],
  ] as const) {
    it(`discards an index holding a definition with ${what} (corrupt within 31 bits)`, async () => {
      const definition = new DefinitionRecord('x.ts', 'f', 'function', undefined, 3, 4, 10, 30, 'function f(): void', 3, undefined, undefined, true);
      await saveIndex(storage.root, root, [new StoredFile({ path: 'x.ts', language: 'typescript', size: 40, mtimeMs: 1, hash: 'h', definitions: [definition], imports: [], identifiers: [], refs: new Uint16Array(0) })], []);
      const file = indexCacheFile(storage.root, root);
      const bytes = Buffer.from(readFileSync(file));
      const at = bytes.indexOf('["f","x.ts"');
      const intsAt = (at + bytes.readUInt32LE(at - 8) + 3) & ~3;
      bytes.writeUInt32LE(value, intsAt + 4 * (6 + number));
      writeFileSync(file, bytes);
      const logger = recordingLogger();
      const loaded = await loadIndex(storage.root, root, logger);
      assert.equal(loaded, undefined, `loaded a corrupt index: ${JSON.stringify(loaded?.files[0]?.definitions.map((d) => [d.startLine, d.endLine, d.startIndex, d.endIndex, d.signatureEndLine]))}`);
      assert.match(logger.lines.map((l) => l.message).join('\n'), /definition 0 is malformed/);
    });
  }
});
