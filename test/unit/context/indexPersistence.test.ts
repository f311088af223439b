import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { open, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { FileProcessor } from '../../../src/core/context/fileProcessor';
import { FolderPaths } from '../../../src/core/context/folderPaths';
import { EXTRACTOR_VERSION, indexCacheFile, loadIndex, saveIndex } from '../../../src/core/context/indexPersistence';
import { InternedStrings, InternedSubset } from '../../../src/core/context/internedStrings';
import { narrowRefs, NO_DEFINITIONS, StoredFile, type FileData } from '../../../src/core/context/storedFile';
import { DefinitionRecord, importTargets, OWN_EXPORTS_SOURCE, resolvedFile, type Definition } from '../../../src/core/context/model';
import { DefinitionColumns } from '../../../src/core/context/definitionColumns';
import { PackedTexts, plainTexts } from '../../../src/core/context/definitionTexts';
import { seededRandom } from './builders';
import { damageSavedTexts, loader, recordingLogger, resealed, tempWorkspace, withoutChecksum } from './indexerHarness';

async function sampleFiles(): Promise<FileData[]> {
  const processor = new FileProcessor(loader(), 1 << 20);
  try {
    return [
      await processor.processDocument('src/a.ts', "import { helper } from './b';\n/** A. */\nexport class A {\n  run(): void { helper(); }\n}\n"),
      await processor.processDocument('src/b.py', 'def helper():\n    """Helps."""\n    return other()\n'),
      await processor.processDocument('notes.md', 'The run method calls b.\n'),
    ].map((f, i) => ({ ...f, mtimeMs: 1_000 + i + 0.5 }));
  } finally {
    processor.dispose();
  }
}

describe('index persistence', () => {
  let storage: { root: string; cleanup: () => void };
  const root = '/work/some-workspace';
  beforeEach(() => {
    storage = tempWorkspace();
  });
  afterEach(() => storage.cleanup());

  it('saves and loads files and skipped entries exactly', async () => {
    const files = await sampleFiles();
    const skipped = [{ path: 'logo.dat', size: 10, mtimeMs: 5, reason: 'binary' as const }];
    await saveIndex(storage.root, root, files, skipped);
    const logger = recordingLogger();
    const loaded = await loadIndex(storage.root, root, logger);
    assert.ok(loaded);
    assert.deepEqual(loaded.files.map((f) => f.data), files);
    assert.deepEqual(loaded.skipped, skipped);
    assert.deepEqual(logger.lines, []);
  });

  it('saves and loads an import\'s targets (a Go package\'s files, a `use` group\'s items) exactly, beside imports without them', async () => {
    const [a, b, notes] = await sampleFiles();
    assert.ok(a && b && notes);
    const imports = [
      { source: 'example.com/mod/net', names: [], line: 3, targets: [{ file: 'net/conn.go', names: [] }, { file: 'net/dial.go', names: [] }] },
      { source: './b', names: ['helper'], line: 1, resolved: 'src/b.py' },
      { source: 'crate::net', names: ['Conn', 'tcp'], line: 4, targets: [{ file: 'src/net/tcp.rs', names: [] }, { file: 'src/net/mod.rs', names: ['Conn'] }] },
      { source: 'os', names: [], line: 5 },
      { source: 'pkg', names: ['A', 'B'], line: 6, targets: [{ file: 'pkg/a.go', names: ['A', 'B'] }, { file: 'pkg/b.go', names: ['A', 'B'] }] },
      // (A module's own renamed exports: its marker, a line break included, comes back as it went.)
      { source: OWN_EXPORTS_SOURCE, names: ['void_', 'as void'], line: 7 },
    ];
    const files = [{ ...a, imports }, b, notes];
    await saveIndex(storage.root, root, files, []);
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.ok(loaded);
    assert.equal(loaded.importsStale, false);
    assert.deepEqual(loaded.files.map((f) => f.data), files);
    // Each import resolves where it did (an import with targets: to its first target's file, written once).
    const read = loaded.files[0]?.data.imports ?? [];
    assert.deepEqual(read.map(resolvedFile), ['net/conn.go', 'src/b.py', 'src/net/tcp.rs', undefined, 'pkg/a.go', undefined]);
    assert.deepEqual(read.map(importTargets), imports.map(importTargets));
    assert.ok(read.every((e) => e.targets === undefined || e.resolved === undefined), 'no import holds its resolved file twice');
    // A target's names equal to its import's are the import's list; none, one list shared by every such target.
    const pkg = read[4];
    assert.ok(pkg?.targets?.every((t) => t.names === pkg.names));
    const empty = [read[0]?.targets?.[0], read[0]?.targets?.[1], read[2]?.targets?.[0]].map((t) => t?.names);
    assert.ok(empty.every((n) => n !== undefined && n === empty[0]));
  });

  it("loads equal lists of an import's targets (every importer of a Go package) as one list, kept once", async () => {
    const [a, b, notes] = await sampleFiles();
    assert.ok(a && b && notes);
    const net = (names: string[]): { source: string; names: string[]; line: number; targets: { file: string; names: string[] }[] } => ({
      source: 'example.com/mod/net',
      names,
      line: 3,
      targets: [{ file: 'net/conn.go', names }, { file: 'net/dial.go', names }],
    });
    // (Its whole-package edge and its namespace's, in two importers; a third lists the package otherwise.)
    const files = [{ ...a, imports: [net([]), net(['as net'])] }, { ...b, imports: [net([]), net(['as net']), net(['as n'])] }, notes];
    await saveIndex(storage.root, root, files, []);
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.ok(loaded);
    assert.deepEqual(loaded.files.map((f) => f.data), files);
    const [first, second] = loaded.files.map((f) => f.data.imports.map((i) => i.targets));
    assert.ok(first?.[0] !== undefined && first[0] === second?.[0], 'the whole package, one list');
    assert.ok(first?.[1] !== undefined && first[1] === second?.[1], "the namespace's, one list");
    assert.notEqual(first[0], first[1]);
    assert.ok(second?.[2] !== undefined && second[2] !== second[1], 'another name: its own list');
  });

  it('two saves of one index at once (two engine threads of one process) leave one of them whole, never a mix', async () => {
    const files = await sampleFiles();
    const fewer = files.slice(0, 2);
    for (let round = 0; round < 5; round++) {
      const outcomes = await Promise.allSettled([saveIndex(storage.root, root, files, []), saveIndex(storage.root, root, fewer, [])]);
      assert.deepEqual(
        outcomes.map((o) => o.status),
        ['fulfilled', 'fulfilled'],
      );
      const logger = recordingLogger();
      const loaded = await loadIndex(storage.root, root, logger);
      assert.deepEqual(logger.lines, []);
      assert.ok(loaded);
      assert.ok([files.length, fewer.length].includes(loaded.files.length), String(loaded.files.length));
      assert.deepEqual(
        loaded.files.map((f) => f.data),
        loaded.files.length === files.length ? files : fewer,
      );
    }
    // No temporary file is left behind.
    assert.deepEqual(readdirSync(storage.root).filter((f) => f.endsWith('.tmp')), []);
  });

  it("removes the temporary files of saves a process ended in the middle of, once they are an hour old, not a running save's", async () => {
    const files = await sampleFiles();
    const target = indexCacheFile(storage.root, root);
    mkdirSync(storage.root, { recursive: true });
    const old = `${target}.123-crashed.tmp`;
    const young = `${target}.456-running.tmp`;
    const otherIndex = path.join(storage.root, 'context-index-other.bin.789-crashed.tmp');
    for (const f of [old, young, otherIndex]) writeFileSync(f, 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    for (const f of [old, otherIndex]) utimesSync(f, twoHoursAgo, twoHoursAgo);
    await saveIndex(storage.root, root, files, []);
    assert.deepEqual(readdirSync(storage.root).filter((f) => f.endsWith('.tmp')).sort(), [path.basename(otherIndex), path.basename(young)].sort());
  });

  it('removes those temporary files before writing, so a save that fails (a full disk they fill) does not keep them', async () => {
    const files = await sampleFiles();
    const target = indexCacheFile(storage.root, root);
    // A directory where the index goes: the save fails at its rename, after writing.
    mkdirSync(path.join(target, 'in-the-way'), { recursive: true });
    const old = `${target}.123-crashed.tmp`;
    writeFileSync(old, 'partial');
    const twoHoursAgo = new Date(Date.now() - 2 * 60 * 60 * 1000);
    utimesSync(old, twoHoursAgo, twoHoursAgo);
    await assert.rejects(saveIndex(storage.root, root, files, []));
    assert.deepEqual(readdirSync(storage.root).filter((f) => f.endsWith('.tmp')), []);
  });

  it('loads the files without definitions sharing one empty list (not an array per file, ~1.5 MB at 50,000 files)', async () => {
    const files = await sampleFiles();
    await saveIndex(storage.root, root, files, []);
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.ok(loaded);
    const withoutDefinitions = loaded.files.filter((f) => f.definitionCount === 0);
    assert.deepEqual(withoutDefinitions.map((f) => f.path), ['notes.md']);
    for (const f of withoutDefinitions) assert.equal(f.data.definitions, NO_DEFINITIONS);
  });

  it('writes the same file whether or not (some of) the strings are numbered by the index\'s interned strings', async () => {
    const files = await sampleFiles();
    await saveIndex(storage.root, root, files, []);
    const plain = readFileSync(indexCacheFile(storage.root, root));
    const strings = [...new Set(files.flatMap((f) => [f.path, ...f.identifiers, ...f.definitions.map((d) => d.name), ...f.imports.map((e) => e.source)]))];
    const random = seededRandom(7);
    for (let round = 0; round < 5; round++) {
      // Interned in a random order, some not at all (numbered by the save's own map instead).
      const shared = new InternedStrings();
      for (const s of [...strings].sort(() => random() - 0.5)) if (random() < 0.7) shared.intern(s);
      await saveIndex(storage.root, root, files, [], shared);
      assert.deepEqual(readFileSync(indexCacheFile(storage.root, root)), plain);
    }
    assert.ok(strings.length > 10);
  });

  it("keeps loaded identifiers as numbers into the caller's table of identifiers when given one, reading back the same", async () => {
    const files = await sampleFiles();
    await saveIndex(storage.root, root, files, []);
    const strings = new InternedStrings();
    const names = new InternedSubset(strings);
    names.internId('an earlier identifier');
    const loaded = await loadIndex(storage.root, root, recordingLogger(), undefined, { strings, identifiers: names });
    assert.ok(loaded);
    assert.deepEqual(loaded.files.map((f) => f.data), files);
    for (const f of loaded.files) {
      assert.ok(f.identifierCount > 0, f.path);
      for (let i = 0; i < f.identifierCount; i++) {
        const id = f.identifierIdAt(i, names.table);
        assert.ok(id !== undefined && id > 0, `${f.path} ${i}`);
        assert.equal(names.table[id], f.identifierAt(i));
        assert.equal(strings.intern(f.identifierAt(i)), f.identifierAt(i), 'the string the other strings share');
      }
    }
    // Only identifiers are numbered there (not definition names that are no identifier, paths or import sources).
    assert.deepEqual(names.table.slice(1).sort(), [...new Set(files.flatMap((f) => f.identifiers))].sort());
    assert.ok(!names.table.includes('./b'));
    // Without them, as strings (no numbers to give out).
    const plain = await loadIndex(storage.root, root, recordingLogger());
    assert.ok(plain);
    assert.deepEqual(plain.files.map((f) => f.data), files);
    assert.equal(plain.files[0]?.identifierIdAt(0, names.table), undefined);
  });

  it('adopts the saved string table when the caller keeps no strings yet, the strings numbered as saved', async () => {
    const files = await sampleFiles();
    await saveIndex(storage.root, root, files, []);
    const shared = freshStrings();
    const loaded = await loadIndex(storage.root, root, recordingLogger(), undefined, shared);
    assert.ok(loaded);
    assert.deepEqual(loaded.files.map((f) => f.data), files);
    // Every string of the files is one of the table's, numbered as the saved table numbers it (what the save wrote).
    const savedTable = shared.strings.table.slice();
    const used = new Set(files.flatMap((f) => [...f.identifiers, ...f.definitions.map((d) => d.name), ...f.imports.map((e) => e.source)]));
    assert.deepEqual(savedTable.filter((s) => used.has(s)).sort(), [...used].sort());
    assert.equal(new Set(savedTable).size, savedTable.length, 'each string once');
    for (const [id, s] of savedTable.entries()) assert.equal(shared.strings.idOf(s), id, s);
    for (const f of loaded.files) {
      for (let i = 0; i < f.identifierCount; i++) {
        const id = f.identifierIdAt(i, shared.identifiers.table);
        assert.ok(id !== undefined, `${f.path} ${i}`);
        assert.equal(shared.identifiers.table[id], f.identifierAt(i));
        // The subset numbers the strings' own instances: looked up by string, the same number.
        assert.equal(shared.identifiers.internId(f.identifierAt(i)), id);
      }
    }
    assert.deepEqual(shared.identifiers.table.slice().sort(), [...new Set(files.flatMap((f) => f.identifiers))].sort());
    // Strings kept after the load are numbered on from the table, and found again.
    const next = shared.strings.internId('a string no file has');
    assert.equal(next, savedTable.length);
    assert.equal(shared.strings.internId(savedTable[3] as string), 3);
    assert.equal(shared.strings.idOf('a string no file has'), next);
    // A second load into the same strings cannot adopt (they are kept): it interns what it reads into them.
    const again = await loadIndex(storage.root, root, recordingLogger(), undefined, shared);
    assert.deepEqual(again?.files.map((f) => f.data), files);
    // (The paths are read from the files' records, not the table: interned now, as such a load does.)
    const paths = files.map((f) => f.path).filter((p) => !savedTable.includes(p));
    assert.equal(shared.strings.size, savedTable.length + 1 + paths.length, 'no string kept twice');
  });

  it('keeps one number per string after a damaged table was adopted and the load discarded (the first of equal strings)', async () => {
    const file = new StoredFile({ path: 'x.md', language: 'text', size: 9, mtimeMs: 1, hash: 'h', definitions: [], imports: [], identifiers: ['foo', 'fop'], refs: new Uint16Array(0) });
    await saveIndex(storage.root, root, [file], []);
    const cache = indexCacheFile(storage.root, root);
    const damaged = readFileSync(cache);
    // Two strings of the table made equal: the records still read, and only the checksum at the end tells.
    damaged.write('"foo"', damaged.indexOf('"fop"'));
    writeFileSync(cache, damaged);
    const shared = freshStrings();
    const logger = recordingLogger();
    assert.equal(await loadIndex(storage.root, root, logger, undefined, shared), undefined);
    assert.ok(logger.lines.some((l) => l.message.includes('checksum')), logger.lines.map((l) => l.message).join('\n'));
    const first = shared.strings.table.indexOf('foo');
    assert.ok(first >= 0 && shared.strings.table.lastIndexOf('foo') > first, 'the damaged table was adopted, the string twice');
    // Found as the first, by string and by its identifiers' numbering: one number per string for what is kept next.
    assert.equal(shared.strings.idOf('foo'), first);
    assert.equal(shared.strings.internId('foo'), first);
    const id = shared.identifiers.internId('foo');
    assert.equal(shared.identifiers.numberOf(first), id);
    assert.equal(shared.identifiers.internId(['f', 'oo'].join('')), id);
  });

  it('discards a saved index whose identifier names a string past the saved table, identifiers kept as numbers or not', async () => {
    const file = new StoredFile({ path: 'x.md', language: 'text', size: 9, mtimeMs: 1, hash: 'h', definitions: [], imports: [], identifiers: ['word'], refs: new Uint16Array(0) });
    await saveIndex(storage.root, root, [file], []);
    const cache = indexCacheFile(storage.root, root);
    const good = withoutChecksum(readFileSync(cache));
    // The record's integers end with its one identifier's number (a text file: no definitions, imports or references).
    const broken = Buffer.from(good);
    assert.equal(broken.readUInt32LE(good.length - 4), 0, 'the table holds the identifier alone (the path is in the record)');
    broken.writeUInt32LE(1, good.length - 4);
    writeFileSync(cache, resealed(broken));
    for (const shared of [freshStrings(), undefined]) {
      const logger = recordingLogger();
      assert.equal(await loadIndex(storage.root, root, logger, undefined, shared), undefined);
      assert.ok(logger.lines.some((l) => l.message.includes('string index 1 out of range')), logger.lines.map((l) => l.message).join('\n'));
    }
  });

  it('leaves no copy behind when the saved index cannot take its place (a directory there)', async () => {
    const cache = indexCacheFile(storage.root, root);
    mkdirSync(cache, { recursive: true });
    await assert.rejects(saveIndex(storage.root, root, await sampleFiles(), []));
    assert.deepEqual(readdirSync(storage.root), [path.basename(cache)]);
  });

  describe('a save the disk fails (the saved index stays as it was, no copy left behind)', () => {
    /** Saves the sample files: the index a failed save must leave in place (its bytes). */
    async function savedFirst(): Promise<{ before: Buffer; files: FileData[] }> {
      const files = await sampleFiles();
      await saveIndex(storage.root, root, files, []);
      return { before: readFileSync(indexCacheFile(storage.root, root)), files };
    }

    async function assertPreviousInPlace(before: Buffer, files: readonly FileData[]): Promise<void> {
      assert.deepEqual(readdirSync(storage.root), [path.basename(indexCacheFile(storage.root, root))]);
      assert.deepEqual(readFileSync(indexCacheFile(storage.root, root)), before);
      const logger = recordingLogger();
      const loaded = await loadIndex(storage.root, root, logger);
      assert.deepEqual(logger.lines, []);
      assert.deepEqual(loaded?.files.map((f) => f.data), files);
    }

    it('fails with ENOSPC when the disk fills up in the last write (which takes fewer bytes than asked, without an error)', async () => {
      const skipped = [{ path: 'logo.dat', size: 10, mtimeMs: 5, reason: 'binary' as const }];
      await saveIndex(storage.root, root, await sampleFiles(), skipped);
      const larger = statSync(indexCacheFile(storage.root, root)).size;
      const { before, files } = await savedFirst();
      // Room for all but the last 4 bytes of the larger index saved over the smaller one: Linux writes what fits and
      // says how much, and only a write after that fails with ENOSPC (none follows the last record's).
      const restore = await fileHandleDisk(storage.root, { room: larger - 4 });
      try {
        await assert.rejects(saveIndex(storage.root, root, files, skipped), { code: 'ENOSPC' });
      } finally {
        restore();
      }
      await assertPreviousInPlace(before, files);
    });

    it('writes every byte when each write takes only part of what it is given', async () => {
      const files = await sampleFiles();
      const restore = await fileHandleDisk(storage.root, { perWrite: 100 });
      try {
        await saveIndex(storage.root, root, files, []);
      } finally {
        restore();
      }
      const logger = recordingLogger();
      const loaded = await loadIndex(storage.root, root, logger);
      assert.deepEqual(logger.lines, []);
      assert.deepEqual(loaded?.files.map((f) => f.data), files);
    });

    for (const step of ['sync', 'close'] as const) {
      it(`fails when the file's ${step} fails (a write the file system could not finish)`, async () => {
        const { before, files } = await savedFirst();
        const restore = await fileHandleFailing(storage.root, step);
        try {
          await assert.rejects(saveIndex(storage.root, root, files.slice(1), []), { code: 'EIO' });
        } finally {
          restore();
        }
        await assertPreviousInPlace(before, files);
      });
    }

    it('saves on a file system that offers no fsync (VirtualBox shared folders, some network mounts; EPERM on Windows)', async () => {
      const { files } = await savedFirst();
      for (const code of ['EINVAL', 'ENOTSUP', 'ENOSYS', 'EPERM']) {
        const saved = files.slice(0, 1 + (code.length % files.length));
        const restore = await fileHandleFailing(storage.root, 'sync', code);
        try {
          await saveIndex(storage.root, root, saved, []);
        } finally {
          restore();
        }
        const loaded = await loadIndex(storage.root, root, recordingLogger());
        assert.deepEqual(loaded?.files.map((f) => f.data), saved, code);
        assert.deepEqual(readdirSync(storage.root), [path.basename(indexCacheFile(storage.root, root))], code);
      }
    });
  });

  it('has nothing to load for a workspace never saved', async () => {
    const logger = recordingLogger();
    assert.equal(await loadIndex(storage.root, root, logger), undefined);
    assert.deepEqual(logger.lines, []);
  });

  it('discards a corrupt, truncated, foreign or outdated cache with a log line', async () => {
    const files = await sampleFiles();
    await saveIndex(storage.root, root, files, [{ path: 'bin/data.bin', size: 10, mtimeMs: 5, reason: 'binary' }]);
    const file = indexCacheFile(storage.root, root);
    const good = readFileSync(file);
    const body = withoutChecksum(good);
    // Changed where the shape still reads, with a checksum that matches (what the other checks are for) or not.
    const changed = (from: string, to: string): Buffer => {
      const at = body.indexOf(from);
      assert.ok(at >= 0 && Buffer.byteLength(from) === Buffer.byteLength(to), from);
      return Buffer.concat([body.subarray(0, at), Buffer.from(to), body.subarray(at + Buffer.byteLength(from))]);
    };
    const replaced = (from: string, to: string): Buffer => resealed(changed(from, to));
    const lastIntOutOfRange = Buffer.from(body);
    lastIntOutOfRange.writeUInt32LE(99_999, body.length - 4);
    const variants: Record<string, Buffer> = {
      'a letter of a path changed (the checksum)': Buffer.concat([changed('"notes.md"', '"notes.me"'), good.subarray(body.length)]),
      'no checksum': body,
      'a record after the checksum': (() => {
        const json = Buffer.from(JSON.stringify(['s', 'late.bin', 1, 1, 'binary']));
        const head = Buffer.alloc(8);
        head.writeUInt32LE(json.length, 0);
        return Buffer.concat([good, head, json, Buffer.alloc((4 - (json.length % 4)) % 4)]);
      })(),
      'not JSON': replaced('["f"', '{"f"'),
      truncated: good.subarray(0, good.length - 6),
      'cut after a record head': good.subarray(0, good.indexOf('["f"') - 4),
      'wrong shape': replaced('"typescript"', '"klingonese"'),
      'wrong record kind': replaced('["f"', '["g"'),
      'a skipped file of negative size': replaced('["s","bin/data.bin",10,', '["s","bin/data.bin",-1,'),
      'a path that is a number': replaced('"notes.md"', '1234567890'),
      'a hash that is a number': replaced(`"${files[0]?.hash ?? ''}"`, `${'1'.repeat((files[0]?.hash.length ?? 0) + 2)}`),
      'index out of range': resealed(lastIntOutOfRange),
      'another workspace': replaced(JSON.stringify(root), JSON.stringify('/work/some-elsewhere')),
      'no header line': Buffer.from('{"format":"contexten-context-index"'),
      empty: Buffer.alloc(0),
    };
    for (const [what, content] of Object.entries(variants)) {
      assert.notDeepEqual(content, good, what);
      writeFileSync(file, content);
      const logger = recordingLogger();
      assert.equal(await loadIndex(storage.root, root, logger), undefined, what);
      assert.equal(logger.lines.filter((l) => l.level === 'warn' && l.message.includes('discarding the saved index')).length, 1, what);
      if (['wrong shape', 'wrong record kind', 'a skipped file of negative size', 'a path that is a number', 'a hash that is a number'].includes(what)) {
        assert.ok(/record \d+ is malformed/.test(logger.lines[0]?.message ?? ''), `${what}: ${logger.lines[0]?.message ?? ''}`);
      }
      if (what.includes('(the checksum)')) assert.match(logger.lines[0]?.message ?? '', /damaged: its checksum does not match/, what);
      if (what === 'no checksum') assert.match(logger.lines[0]?.message ?? '', /incomplete/, what);
      if (what === 'a record after the checksum') assert.match(logger.lines[0]?.message ?? '', /record \d+ is malformed/, what);
    }
  });

  it('tells a saved index of another version of the extension (extractor, layout, byte order) from a damaged one: an info line, no warning', async () => {
    await saveIndex(storage.root, root, await sampleFiles(), []);
    const file = indexCacheFile(storage.root, root);
    const good = readFileSync(file);
    const header = good.subarray(0, good.indexOf(10)).toString();
    const layout = /"layout":(\d+)/.exec(header)?.[1] ?? '';
    const variants: Record<string, string> = {
      'another extractor version': header.replace(`"version":${EXTRACTOR_VERSION}`, `"version":${EXTRACTOR_VERSION - 1}`),
      // (Extractor 20 wrote references as [identifier, line, enclosing + 1] triples: read as pairs, they would be misread.)
      'the extractor that wrote references with their lines': header.replace(`"version":${EXTRACTOR_VERSION}`, '"version":20'),
      'another layout': header.replace(`"layout":${layout}`, `"layout":${Number(layout) + 1}`),
      // (The layout before this one wrote an import's first target's file twice: read as this one, its targets would be misread.)
      'an older layout': header.replace(`"layout":${layout}`, `"layout":${Number(layout) - 1}`),
      'another byte order': header.includes('"littleEndian":true') ? header.replace('"littleEndian":true', '"littleEndian":false') : header.replace('"littleEndian":false', '"littleEndian":true'),
    };
    for (const [what, head] of Object.entries(variants)) {
      assert.notEqual(head, header, what);
      writeFileSync(file, Buffer.concat([Buffer.from(head), good.subarray(good.indexOf(10))]));
      const logger = recordingLogger();
      assert.equal(await loadIndex(storage.root, root, logger), undefined, what);
      assert.deepEqual(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error'), [], what);
      assert.ok(logger.lines.some((l) => l.level === 'info' && /saved by another version of the extension; re-indexing/.test(l.message)), what);
    }
  });

  it('discards a large saved index whose record heads say gigabytes (corrupt, or shifted off their alignment) without reading them', async () => {
    // More than the reader's first read (1 MiB): a string table of 120,000 identifiers.
    const identifiers = Array.from({ length: 120_000 }, (_, i) => `identifier${i}`);
    await saveIndex(storage.root, root, [new StoredFile({ path: 'x.ts', language: 'typescript', size: 9, mtimeMs: 1, hash: 'h', definitions: [], imports: [], identifiers, refs: new Uint16Array(0) })], []);
    const file = indexCacheFile(storage.root, root);
    const good = readFileSync(file);
    assert.ok(good.length > 1 << 20, `${good.length} bytes`);
    assert.ok(await loadIndex(storage.root, root, recordingLogger()), 'the undamaged index loads');
    const fileRecordHead = good.indexOf('["f","x.ts"') - 8;
    const headSaying = (offset: 0 | 4, value: number): Buffer => {
      const bytes = Buffer.from(withoutChecksum(good));
      bytes.writeUInt32LE(value, fileRecordHead + offset);
      return resealed(bytes);
    };
    const headerEnd = good.indexOf(10);
    const header = good.subarray(0, headerEnd).toString();
    const variants: Record<string, Buffer> = {
      // (A read of more than 2 GiB at once aborts Node 24's process — not an exception: the extension host would go.)
      'a text part of 2.25 GiB': headSaying(0, 0x90000000),
      'integers of 2.25 GiB': headSaying(4, 0x24000000),
      'integers of 16 GiB': headSaying(4, 0xfffffff0),
      // Every record shifted off its 4-byte alignment: their heads read as whatever bytes are there.
      'a header line without its resolver number, the records as they were': Buffer.concat([Buffer.from(header.replace(/"resolver":\d+,/, '')), good.subarray(headerEnd)]),
    };
    for (const [what, content] of Object.entries(variants)) {
      writeFileSync(file, content);
      const logger = recordingLogger();
      assert.equal(await loadIndex(storage.root, root, logger), undefined, what);
      assert.match(logger.lines[0]?.message ?? '', /discarding the saved index .*(record \d+ is malformed|truncated)/, what);
    }
  });

  it('reads at most 1 MiB looking for the header line (a file with none is no saved index)', async () => {
    const file = indexCacheFile(storage.root, root);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, Buffer.alloc(48 << 20, 0x61));
    const logger = recordingLogger();
    // Every read the loader asks for, in bytes (the length argument of FileHandle.read).
    const probe = await open(file, 'r');
    const handles = Object.getPrototypeOf(probe) as { read: (...args: unknown[]) => Promise<unknown> };
    await probe.close();
    const reads: number[] = [];
    const read = handles.read;
    handles.read = function (this: unknown, ...args: unknown[]) {
      reads.push(typeof args[2] === 'number' ? args[2] : 0);
      return read.apply(this, args);
    };
    try {
      assert.equal(await loadIndex(storage.root, root, logger), undefined);
    } finally {
      handles.read = read;
    }
    assert.match(logger.lines[0]?.message ?? '', /its header is malformed/);
    assert.ok(reads.reduce((a, b) => a + b, 0) <= 2 << 20, `read ${reads.length} times, ${reads.reduce((a, b) => a + b, 0)} bytes`);
  });

  it('discards a saved index whose definition line does not fit a signed 32-bit number (corrupt), never misreads it', async () => {
    const line = 0x12345678;
    const definition = new DefinitionRecord('x.ts', 'far', 'function', undefined, line, line + 1, 0, 1, 'function far()', line, undefined, undefined, true);
    await saveIndex(storage.root, root, [new StoredFile({ path: 'x.ts', language: 'typescript', size: 9, mtimeMs: 1, hash: 'h', definitions: [definition], imports: [], identifiers: [], refs: new Uint16Array(0) })], []);
    const file = indexCacheFile(storage.root, root);
    const bytes = Buffer.from(withoutChecksum(readFileSync(file)));
    let patched = 0;
    for (let at = 0; at + 4 <= bytes.length; at += 4) {
      if (bytes.readUInt32LE(at) === line) {
        bytes.writeUInt32LE(line + 0x80000000, at);
        patched++;
      }
    }
    assert.equal(patched, 2, 'the start line and the signature end line');
    writeFileSync(file, resealed(bytes));
    const logger = recordingLogger();
    assert.equal(await loadIndex(storage.root, root, logger), undefined);
    assert.ok(/definition 0 is malformed/.test(logger.lines[0]?.message ?? ''), logger.lines[0]?.message);
  });

  it('loads definitions into the very columns they were saved from (names, numbers, joined signatures and docs, these compressed)', async () => {
    const files = await sampleFiles();
    await saveIndex(storage.root, root, files, []);
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.ok(loaded);
    for (const [i, f] of files.entries()) {
      const saved = DefinitionColumns.of(f.path, f.definitions).parts();
      const kept: StoredFile | undefined = loaded.files[i];
      assert.ok(kept, f.path);
      const back: ReturnType<DefinitionColumns['parts']> = kept.columns.parts();
      // Texts stay compressed until they are read.
      assert.ok(back.texts instanceof PackedTexts || f.definitions.length === 0, f.path);
      assert.deepEqual({ ...back, numbers: [...back.numbers], texts: plainTexts(back.texts) }, { ...saved, numbers: [...saved.numbers] }, f.path);
    }
    assert.ok(files.some((f) => f.definitions.some((d) => d.doc !== undefined)) && files.some((f) => f.definitions.some((d) => d.doc === undefined)));
  });

  it('discards a saved index whose definitions do not match their texts or whose texts are cut wrong (corrupt), never misreads them', async () => {
    const definition = new DefinitionRecord('x.ts', 'fé', 'function', undefined, 3, 4, 10, 30, 'function fé(): void', 3, 'Does é.', 2, true);
    await saveIndex(storage.root, root, [new StoredFile({ path: 'x.ts', language: 'typescript', size: 40, mtimeMs: 1, hash: 'h', definitions: [definition], imports: [], identifiers: [], refs: new Uint16Array(0) })], []);
    const file = indexCacheFile(storage.root, root);
    const good = readFileSync(file);
    const at = good.indexOf('["f","x.ts"');
    const intsAt = (at + good.readUInt32LE(at - 8) + 3) & ~3;
    // The integers: size, counts of definitions, identifiers and imports, bytes of the compressed texts, UTF-16 lengths
    // of the signatures and of both, then the definition's numbers (flags, lines and offsets …, end of signature, end of doc).
    const int = (i: number): number => good.readUInt32LE(intsAt + 4 * i);
    assert.deepEqual([int(0), int(1), int(5), int(6), int(7 + 7), int(7 + 8)], [40, 1, 19, 26, 19, 7]);
    assert.ok(int(4) > 0 && good.indexOf('Does é.') < 0, 'the texts are compressed');
    const patched = (changes: Record<number, number>): Buffer => {
      const bytes = Buffer.from(withoutChecksum(good));
      for (const [i, v] of Object.entries(changes)) bytes.writeUInt32LE(v, intsAt + 4 * Number(i));
      return resealed(bytes);
    };
    const variants: [string, Buffer, RegExp][] = [
      ['compressed texts taking a byte of the JSON', patched({ 4: int(4) + 1 }), /discarding/],
      ['texts longer than the record', patched({ 4: 1 << 30 }), /record 2 is malformed/],
      ['signatures longer than the texts', patched({ 5: int(6) + 1 }), /record 2 is malformed/],
      ['texts of no length in bytes', patched({ 4: 0 }), /record 2 is malformed/],
      ['signatures of another length than the definitions say', patched({ 5: 18, 6: 25 }), /definitions do not match their texts/],
      ['a kind past the last', patched({ 7: 7 }), /definition 0 is malformed/],
      ['unknown flags', patched({ 7: int(7) | 128 }), /definition 0 is malformed/],
      ['a signature end short of the text', patched({ [7 + 7]: 18 }), /definitions do not match their texts/],
      ['a doc end past the text', patched({ [7 + 8]: 8 }), /definitions do not match their texts/],
    ];
    for (const [what, content, message] of variants) {
      writeFileSync(file, content);
      const logger = recordingLogger();
      assert.equal(await loadIndex(storage.root, root, logger), undefined, what);
      assert.equal(logger.lines.length, 1, what);
      assert.ok(message.test(logger.lines[0]?.message ?? ''), `${what}: ${logger.lines[0]?.message ?? ''}`);
    }
    writeFileSync(file, good);
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.deepEqual(loaded?.files[0]?.definitions.map((d) => [d.signature, d.doc]), [['function fé(): void', 'Does é.']]);
    // Compressed texts are checked when first read, long after the load: texts that do not inflate, or inflate to
    // another length than their numbers say, are read as none (never as other texts).
    damageSavedTexts(file, 'x.ts');
    const garbled = readFileSync(file);
    assert.equal(garbled.length, good.length);
    const longer = patched({ 6: 27, [7 + 8]: 8 });
    for (const [what, content] of [['garbled', garbled], ['longer', longer]] as const) {
      writeFileSync(file, content);
      const logger = recordingLogger();
      const read = await loadIndex(storage.root, root, logger);
      assert.ok(read, what);
      assert.deepEqual(logger.lines, [], what);
      assert.equal(read.files[0]?.mtimeMs, 1, what);
      assert.deepEqual(read.files[0]?.definitions.map((d) => [d.signature, d.doc]), [['', '']], what);
      // Saved again, the file has a time no file on disk has: the next build parses it again.
      await saveIndex(storage.root, root, read.files, read.skipped);
      const again = await loadIndex(storage.root, root, recordingLogger());
      assert.equal(again?.files[0]?.mtimeMs, -2, what);
    }
  });

  it('saves and loads an index larger than its read chunks exactly', async () => {
    const random = seededRandom(7);
    const int = (n: number): number => Math.floor(random() * n);
    const files: FileData[] = Array.from({ length: 600 }, (_, f): FileData => {
      const identifiers = Array.from({ length: 1 + int(300) }, (_, i) => `name${f % 50}_${i}`);
      const definitions = Array.from({ length: int(12) }, (_, d) => {
        const name = identifiers[int(identifiers.length)] ?? 'x';
        const startLine = 1 + d * 10;
        return {
          id: `src/f${f}.ts#${name}#${startLine}`,
          file: `src/f${f}.ts`,
          name,
          kind: 'function' as const,
          ...(d % 3 === 0 ? { container: `C${f}` } : {}),
          startLine,
          endLine: startLine + 5,
          startIndex: d * 300,
          endIndex: d * 300 + 200,
          signature: `export function ${name}(a: string): void — ${'é'.repeat(int(40))}`,
          signatureEndLine: startLine,
          ...(d % 2 === 0 ? { doc: `Does ${name}.\n😀 ${'x'.repeat(int(200))}` } : {}),
          ...(d % 4 === 0 ? { docStartLine: startLine } : {}),
          exported: d % 2 === 0,
        };
      });
      const refs = new Uint32Array(2 * int(2_000));
      for (let r = 0; r < refs.length; r += 2) {
        refs[r] = int(identifiers.length);
        refs[r + 1] = int(definitions.length + 1);
      }
      const imports = f % 5 === 0 ? [{ source: './a', names: [identifiers[0] ?? 'x'], line: 1, resolved: 'src/a.ts' }, { source: 'os', names: [], line: 2 }] : [];
      return { path: `src/f${f}.ts`, language: 'typescript', size: 1_000 + f, mtimeMs: 1_700_000_000_000.25 + f, hash: `h${f}`, definitions, imports, identifiers, refs };
    });
    await saveIndex(storage.root, root, files, [{ path: 'big.bin', size: 1, mtimeMs: 2, reason: 'binary' }]);
    assert.ok(statSync(indexCacheFile(storage.root, root)).size > 2 << 20, 'spans several read chunks');
    const logger = recordingLogger();
    const loaded = await loadIndex(storage.root, root, logger);
    assert.deepEqual(logger.lines, []);
    assert.ok(loaded);
    // References come back 8-bit or 16-bit where they fit, as the index keeps them (files of up to 300 identifiers: both).
    const widths = loaded.files.map((f) => f.refs.BYTES_PER_ELEMENT);
    assert.deepEqual(widths, files.map((f) => ((f.refs as Uint32Array).some((v) => v > 0xff) ? 2 : 1)));
    assert.ok(widths.includes(1) && widths.includes(2), 'both widths');
    // Definitions come back as the index keeps them (their id computed): compared as plain objects.
    assert.deepEqual(
      loaded.files.map((f) => ({ ...f.data, definitions: f.definitions.map((d) => ({ id: d.id, ...(d as Omit<Definition, 'id'>) })) })),
      files.map((f) => ({ ...f, refs: narrowRefs(f.refs as Uint32Array) })),
    );
    assert.deepEqual(loaded.skipped, [{ path: 'big.bin', size: 1, mtimeMs: 2, reason: 'binary' }]);
  });

  it('writes a string table larger than a write chunk as the JSON of the whole table, and reads it back', async () => {
    const identifiers = Array.from({ length: 12_000 }, (_, i) => `id${i}_"quoted"\\back\nline é😀 ${'x'.repeat(100)}`);
    const refs = new Uint32Array([0, 0, 11_999, 0]);
    const file: FileData = { path: 'src/many.ts', language: 'typescript', size: 5, mtimeMs: 6, hash: 'h', definitions: [], imports: [], identifiers, refs };
    await saveIndex(storage.root, root, [file], []);
    const bytes = readFileSync(indexCacheFile(storage.root, root));
    const at = (bytes.indexOf(10) + 1 + 3) & ~3;
    const expected = Buffer.from(JSON.stringify(['strings', identifiers]));
    assert.ok(expected.length > 1 << 20, 'larger than a write chunk');
    assert.equal(bytes.readUInt32LE(at), expected.length);
    assert.equal(bytes.readUInt32LE(at + 4), 0);
    assert.deepEqual(bytes.subarray(at + 8, at + 8 + expected.length), expected);
    const loaded = await loadIndex(storage.root, root, recordingLogger());
    assert.deepEqual(loaded?.files.map((f) => f.data), [{ ...file, refs: narrowRefs(refs) }]);
  });

  it('keeps one cache per workspace (a folder, or the folders of a multi-root workspace)', () => {
    const file = (...folders: string[]): string => indexCacheFile('/s', new FolderPaths(folders.map((f, i) => ({ name: `f${i}`, path: f }))).identity);
    assert.notEqual(file('/a'), file('/b'));
    assert.equal(file('/a/'), file('/a'));
    assert.equal(file('/a'), indexCacheFile('/s', path.resolve('/a')), 'a single folder\'s identity is its path (as saved before multi-root workspaces)');
    assert.notEqual(file('/a', '/b'), file('/a'));
    assert.notEqual(file('/a', '/b'), file('/b', '/a'));
  });

  // (Texts and numbers at their edges: the saved index's own checks and its UTF-8 texts.)
  describe('texts and numbers at their edges', () => {
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

    it('writes a file\'s texts compressed and leaves the file it saved holding them as they were', async () => {
      const d = new DefinitionRecord('x.ts', 'f', 'function', undefined, 0, 1, 0, 10, 'function f(é)', 0, 'Does é.', 0, false);
      const file = new StoredFile({ path: 'x.ts', language: 'typescript', size: 40, mtimeMs: 1, hash: 'h', definitions: [d], imports: [], identifiers: [], refs: new Uint16Array(0) });
      const before = file.columns.parts().texts;
      await saveIndex(storage.root, root, [file], []);
      assert.equal(file.columns.parts().texts, before);
      assert.ok(!readFileSync(indexCacheFile(storage.root, root)).includes('Does é.'));
      const loaded = await loadIndex(storage.root, root, recordingLogger());
      assert.ok(loaded?.files[0]?.columns.parts().texts instanceof PackedTexts);
      assert.deepEqual(loaded.files[0].definitions.map((x) => [x.signature, x.doc]), [[d.signature, d.doc]]);
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
        new StoredFile({ path: 'e.ts', language: 'typescript', size: 40, mtimeMs: 1.25, hash: 'h', definitions: defs, imports: [], identifiers: ['a'], refs: new Uint8Array(0) }),
        new StoredFile({ path: 'empty.ts', language: 'typescript', size: 0, mtimeMs: 1, hash: 'h2', definitions: [], imports: [], identifiers: [], refs: new Uint8Array(0) }),
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
        const bytes = Buffer.from(withoutChecksum(readFileSync(file)));
        const at = bytes.indexOf('["f","x.ts"');
        const intsAt = (at + bytes.readUInt32LE(at - 8) + 3) & ~3;
        bytes.writeUInt32LE(value, intsAt + 4 * (7 + number));
        writeFileSync(file, resealed(bytes));
        const logger = recordingLogger();
        const loaded = await loadIndex(storage.root, root, logger);
        assert.equal(loaded, undefined, `loaded a corrupt index: ${JSON.stringify(loaded?.files[0]?.definitions.map((d) => [d.startLine, d.endLine, d.startIndex, d.endIndex, d.signatureEndLine]))}`);
        assert.match(logger.lines.map((l) => l.message).join('\n'), /definition 0 is malformed/);
      });
    }
  });
});

/** A workspace index's strings, none kept yet. */
function freshStrings(): { strings: InternedStrings; identifiers: InternedSubset } {
  const strings = new InternedStrings();
  return { strings, identifiers: new InternedSubset(strings) };
}

/** FileHandle's methods as these tests replace them (`write` and `sync` on its prototype, `close` on each handle: Node makes it a field). */
type HandleMethods = Record<'write' | 'sync' | 'close', (this: FileHandle, ...args: unknown[]) => Promise<unknown>>;

/** FileHandle.prototype, found through a handle opened (and closed) in `dir`. */
async function fileHandlePrototype(dir: string): Promise<HandleMethods> {
  const probe = await open(path.join(dir, 'probe'), 'w');
  await probe.close();
  rmSync(path.join(dir, 'probe'));
  return Object.getPrototypeOf(probe) as HandleMethods;
}

function ioError(code: string, syscall: string): NodeJS.ErrnoException {
  return Object.assign(new Error(`${code}: ${syscall} failed`), { code, syscall });
}

/**
 * Until the returned function is called, FileHandle writes of bytes behave as on a small or busy disk: each takes at
 * most `perWrite` bytes, all of them together `room` bytes, and a write with no room left fails with ENOSPC (as Linux
 * does: the write that fills the disk takes what fits and reports it, the next one fails).
 */
async function fileHandleDisk(dir: string, limits: { room?: number; perWrite?: number }): Promise<() => void> {
  const proto = await fileHandlePrototype(dir);
  const write = proto.write;
  let room = limits.room ?? Number.POSITIVE_INFINITY;
  proto.write = async function (this: FileHandle, ...args: unknown[]): Promise<unknown> {
    const [buffer, offset, length, position] = args;
    if (!(buffer instanceof Uint8Array) || typeof offset !== 'number' || typeof length !== 'number') throw new Error('the fake disk takes write(bytes, offset, length) only');
    if (length > 0 && room <= 0) throw ioError('ENOSPC', 'write');
    const taken = Math.min(length, room, limits.perWrite ?? length);
    const result = (await write.call(this, buffer, offset, taken, position)) as { bytesWritten: number };
    room -= result.bytesWritten;
    return result;
  };
  return () => {
    proto.write = write;
  };
}

/**
 * Until the returned function is called, FileHandle's `method` fails with EIO: `sync` on every handle, `close` on each
 * handle written to (after closing it, as close(2) reports a write it could not finish).
 */
async function fileHandleFailing(dir: string, method: 'sync' | 'close', code = 'EIO'): Promise<() => void> {
  const proto = await fileHandlePrototype(dir);
  const replaced = method === 'sync' ? 'sync' : 'write';
  const original = proto[replaced];
  proto[replaced] =
    method === 'sync'
      ? () => Promise.reject(ioError(code, 'fsync'))
      : async function (this: FileHandle, ...args: unknown[]): Promise<unknown> {
          const handle = this as FileHandle & HandleMethods;
          const close = handle.close;
          handle.close = async () => {
            await close.call(handle);
            throw ioError('EIO', 'close');
          };
          return original.apply(this, args);
        };
  return () => {
    proto[replaced] = original;
  };
}
