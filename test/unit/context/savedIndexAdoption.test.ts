import assert from 'node:assert/strict';
import { existsSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { FolderPaths, type FolderSpec } from '../../../src/core/context/folderPaths';
import { indexCacheFile } from '../../../src/core/context/indexPersistence';
import { InternedStrings, InternedSubset } from '../../../src/core/context/internedStrings';
import { resolvedFile } from '../../../src/core/context/model';
import { adoptSavedIndex } from '../../../src/core/context/savedIndexAdoption';
import { WorkspaceIndex, type IndexBuildStats } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { location, recordingLogger, resolvedOf, snapshotOf, tempWorkspace, write, type RecordingLogger } from './indexerHarness';

describe('saved index adopted after the workspace\'s folders changed', () => {
  let a: { root: string; cleanup: () => void };
  let b: { root: string; cleanup: () => void };
  let c: { root: string; cleanup: () => void };
  let other: { root: string; cleanup: () => void };
  let storage: { root: string; cleanup: () => void };
  const opened: WorkspaceIndex[] = [];

  function open(specs: FolderSpec[], logger: RecordingLogger = recordingLogger(), storageDir = storage.root): WorkspaceIndex {
    const index = new WorkspaceIndex({
      root: specs[0]?.path ?? assert.fail(),
      folders: specs,
      backend: new InProcessBackend(location, 256 * 1024, logger),
      logger,
      clock: systemClock,
      ...(storageDir !== '' ? { storageDir } : {}),
    });
    opened.push(index);
    return index;
  }

  /** Builds the index of `specs`, saves it and closes it. */
  async function saved(specs: FolderSpec[]): Promise<IndexBuildStats> {
    const index = open(specs);
    const stats = await index.build();
    await index.whenSaved();
    await index.dispose();
    return stats;
  }

  /** What a cold index of `specs` (no saved index) holds. */
  async function cold(specs: FolderSpec[]): Promise<Record<string, unknown>> {
    const index = open(specs, recordingLogger(), '');
    await index.build();
    return snapshotOf(index.files);
  }

  const ab = (): FolderSpec[] => [
    { name: 'a', path: a.root },
    { name: 'b', path: b.root },
  ];

  beforeEach(() => {
    [a, b, c, other, storage] = [tempWorkspace(), tempWorkspace(), tempWorkspace(), tempWorkspace(), tempWorkspace()];
    write(a.root, 'src/config.ts', 'export function loadConfig(): string {\n  return "a";\n}\n');
    write(a.root, 'src/server.ts', "import { loadConfig } from './config';\nexport function startServer(): string {\n  return loadConfig();\n}\n");
    write(a.root, 'src/main.ts', "import { startServer } from './server';\nstartServer();\n");
    write(b.root, 'lib/util.ts', 'export function helpB(): number {\n  return 2;\n}\n');
    write(b.root, 'lib/page.ts', "import { helpB } from './util';\nexport function renderPage(): number {\n  return helpB();\n}\n");
    write(c.root, 'tool.ts', 'export function newTool(): void {}\n');
    write(other.root, 'src/config.ts', 'export function elsewhere(): void {}\n');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((i) => i.dispose()));
    for (const d of [a, b, c, other, storage]) d.cleanup();
  });

  it('a folder opened alone takes its files from the multi-root index it was part of, without the other folder\'s', async () => {
    await saved(ab());
    const alone = open([{ name: 'a', path: a.root }]);
    const stats = await alone.build();
    assert.deepEqual([stats.parsed, stats.reused, stats.files], [0, 3, 3]);
    assert.deepEqual([...alone.files.keys()].sort(), ['src/config.ts', 'src/main.ts', 'src/server.ts']);
    assert.ok(![...alone.files.keys()].some((p) => p.includes('util') || p.includes('page')), 'b\'s files are dropped');
    // Imports resolved again, among the single folder's paths.
    assert.equal(resolvedOf(alone.files.get('src/server.ts')?.imports[0]), 'src/config.ts');
    assert.deepEqual(snapshotOf(alone.files), await cold([{ name: 'a', path: a.root }]));
    // The normal save then writes the workspace's own index, which the next reopen loads.
    await alone.whenSaved();
    assert.ok(existsSync(indexCacheFile(storage.root, a.root)));
  });

  it('a folder added to a multi-root workspace is the only one parsed (prefixes may change), a removed one\'s files are dropped', async () => {
    await saved(ab());
    // a's prefix changes ('a' → 'api'), b keeps its own, c is new.
    const abc: FolderSpec[] = [
      { name: 'api', path: a.root },
      { name: 'b', path: b.root },
      { name: 'c', path: c.root },
    ];
    const added = open(abc);
    const stats = await added.build();
    assert.deepEqual([stats.parsed, stats.reused, stats.files], [1, 5, 6]);
    assert.equal(resolvedOf(added.files.get('api/src/server.ts')?.imports[0]), 'api/src/config.ts');
    assert.equal(resolvedOf(added.files.get('b/lib/page.ts')?.imports[0]), 'b/lib/util.ts');
    assert.deepEqual(snapshotOf(added.files), await cold(abc));
    await added.whenSaved();
    await added.dispose();

    // a and c: b's files (in the most recent index, a,b,c's) are not taken; only a's and c's are.
    const ac: FolderSpec[] = [
      { name: 'a', path: a.root },
      { name: 'c', path: c.root },
    ];
    const removed = open(ac);
    const after = await removed.build();
    assert.deepEqual([after.parsed, after.reused, after.files], [0, 4, 4]);
    assert.ok(![...removed.files.keys()].some((p) => p.startsWith('b/')), 'no file of the removed folder');
    assert.deepEqual(snapshotOf(removed.files), await cold(ac));
  });

  it('a single-folder window turned multi-root parses only the new folder; a changed file is parsed again', async () => {
    await saved([{ name: 'a', path: a.root }]);
    write(a.root, 'src/config.ts', 'export function loadConfig(): string {\n  return "changed";\n}\n');
    const multi = open(ab());
    const stats = await multi.build();
    assert.deepEqual([stats.parsed, stats.reused, stats.files], [3, 2, 5]);
    assert.deepEqual(snapshotOf(multi.files), await cold(ab()));
  });

  it("keeps only the strings of the files it takes, not the whole saved table (a removed folder's names)", async () => {
    for (let i = 0; i < 300; i++) write(b.root, `gen/f${i}.ts`, `export function uniqueName${i}(argument${i}: number): number {\n  return helper${i}(argument${i});\n}\n`);
    await saved(ab());
    const strings = new InternedStrings();
    const shared = { strings, identifiers: new InternedSubset(strings) };
    const paths = new FolderPaths([{ name: 'a', path: a.root }]);
    const got = await adoptSavedIndex(storage.root, paths, indexCacheFile(storage.root, paths.identity), recordingLogger(), undefined, shared);
    assert.deepEqual(got?.files.map((f) => f.path).sort(), ['src/config.ts', 'src/main.ts', 'src/server.ts']);
    // The kept files' strings are the caller's (their names and identifiers found there), b's are not taken.
    for (const s of ['loadConfig', 'startServer', 'src/config.ts', './config']) assert.notEqual(strings.idOf(s), undefined, s);
    const fromB = strings.table.filter((s) => /uniqueName|argument|helper|helpB|renderPage|lib\/|gen\//.test(s));
    assert.deepEqual(fromB, []);
    // Nor the saved imports' resolutions, which name [a, b]'s paths (resolved again, as this workspace names them).
    assert.equal(strings.idOf('a/src/config.ts'), undefined);
    assert.deepEqual(got?.files.flatMap((f) => f.imports.map((i) => resolvedFile(i))).filter((r) => r !== undefined), []);
    assert.ok(strings.size < 40, `${strings.size} strings: ${JSON.stringify(strings.table)}`);
    // The files read the same as when loaded without the caller's strings.
    const plain = await adoptSavedIndex(storage.root, paths, indexCacheFile(storage.root, paths.identity), recordingLogger());
    assert.deepEqual(
      got?.files.map((f) => [f.path, f.definitions.map((d) => d.name), f.identifiers, f.imports.map((i) => i.source)]),
      plain?.files.map((f) => [f.path, f.definitions.map((d) => d.name), f.identifiers, f.imports.map((i) => i.source)]),
    );
  });

  it('takes the saved index that shares the most folders, not merely the newest (ties: the newest)', async () => {
    await saved(ab());
    await saved([{ name: 'a', path: a.root }]);
    // [a] alone is the newer one; [a, b] shares more of [a, b, c].
    const past = Date.now() / 1000 - 3600;
    utimesSync(indexCacheFile(storage.root, new FolderPaths(ab()).identity), past, past);
    const abc: FolderSpec[] = [...ab(), { name: 'c', path: c.root }];
    const logger = recordingLogger();
    const index = open(abc, logger);
    const stats = await index.build();
    assert.deepEqual([stats.parsed, stats.reused, stats.files], [1, 5, 6], 'only c parsed');
    assert.deepEqual(snapshotOf(index.files), await cold(abc));
    // Sharing as many (each of [a], [a, b], [a, b, c] and [a, c] has one of [a, d]'s folders): the newest.
    await index.whenSaved();
    utimesSync(indexCacheFile(storage.root, new FolderPaths(abc).identity), past, past);
    await saved([{ name: 'a', path: a.root }, { name: 'c', path: c.root }]);
    utimesSync(indexCacheFile(storage.root, a.root), past - 60, past - 60);
    const ad: FolderSpec[] = [{ name: 'a', path: a.root }, { name: 'd', path: other.root }];
    const logger2 = recordingLogger();
    await open(ad, logger2).build();
    const took = logger2.lines.find((l) => l.message.includes('took'))?.message ?? '';
    assert.ok(took.includes(indexCacheFile(storage.root, new FolderPaths([{ name: 'a', path: a.root }, { name: 'c', path: c.root }]).identity)), took);
  });

  it('reads no header past the newest candidate that has every folder of this workspace', async () => {
    // An older file in the storage folder (of thousands, in a shared --cache): with one sharing all, not read at all.
    const older = path.join(storage.root, 'context-index-00000000000000aa.bin');
    writeFileSync(older, 'not a saved index\n');
    const past = Date.now() / 1000 - 3600;
    utimesSync(older, past, past);
    await saved(ab());
    const logger = recordingLogger();
    const stats = await open([{ name: 'a', path: a.root }], logger).build();
    assert.equal(stats.parsed, 0);
    assert.deepEqual(logger.lines.filter((l) => l.message.includes('00000000000000aa')), []);
  });

  it('never adopts a saved index of a workspace that shares no folder with it, even the most recent', async () => {
    await saved(ab());
    // Newer, and with a file of the same path and prefix as one of a's: another workspace, never taken.
    await saved([
      { name: 'a', path: other.root },
      { name: 'x', path: c.root },
    ]);
    const past = Date.now() / 1000 - 3600;
    utimesSync(indexCacheFile(storage.root, new FolderPaths(ab()).identity), past, past);
    const logger = recordingLogger();
    const index = open([{ name: 'a', path: a.root }], logger);
    const stats = await index.build();
    assert.deepEqual([stats.parsed, stats.reused], [0, 3], 'a\'s files taken from the a,b index');
    assert.ok(logger.lines.some((l) => l.message.includes('took 3 saved files') && l.message.includes(a.root)), JSON.stringify(logger.lines));
    assert.deepEqual(snapshotOf(index.files), await cold([{ name: 'a', path: a.root }]));
  });

  it('passes over a corrupt or older candidate with a logged reason, taking the next one', async () => {
    await saved([{ name: 'a', path: a.root }]);
    const good = indexCacheFile(storage.root, a.root);
    const bytes = readFileSync(good);
    const headerEnd = bytes.indexOf(10);
    const header = JSON.parse(bytes.subarray(0, headerEnd).toString('utf8')) as Record<string, unknown>;
    // Newer than the good one: a file of garbage, one of another layout, one without the folder list (an older save).
    const garbage = path.join(storage.root, 'context-index-00000000000000aa.bin');
    writeFileSync(garbage, 'not a saved index\n\u0000\u0001');
    const otherLayout = path.join(storage.root, 'context-index-00000000000000bb.bin');
    writeFileSync(otherLayout, Buffer.concat([Buffer.from(JSON.stringify({ ...header, layout: 1 })), bytes.subarray(headerEnd)]));
    const { folders: _folders, ...withoutFolders } = header;
    const older = path.join(storage.root, 'context-index-00000000000000cc.bin');
    writeFileSync(older, Buffer.concat([Buffer.from(JSON.stringify(withoutFolders)), bytes.subarray(headerEnd)]));
    const past = Date.now() / 1000 - 3600;
    utimesSync(good, past, past);

    const logger = recordingLogger();
    const index = open(ab(), logger);
    const stats = await index.build();
    assert.deepEqual([stats.parsed, stats.reused], [2, 3], 'a\'s files taken from the good index');
    const infos = logger.lines.filter((l) => l.message.includes('not adopting')).map((l) => l.message);
    assert.ok(infos.some((m) => m.includes(garbage) && m.includes('malformed')), JSON.stringify(infos));
    assert.ok(infos.some((m) => m.includes(otherLayout) && m.includes('another version')), JSON.stringify(infos));
    assert.ok(infos.some((m) => m.includes(older) && m.includes('does not list its folders')), JSON.stringify(infos));
  });

  it('passes over a candidate whose records are damaged (logged), taking the next one', async () => {
    await saved([{ name: 'a', path: a.root }]);
    await saved(ab());
    const file = indexCacheFile(storage.root, new FolderPaths(ab()).identity);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 40));
    const past = Date.now() / 1000 - 3600;
    utimesSync(indexCacheFile(storage.root, a.root), past, past);
    const logger = recordingLogger();
    const ac: FolderSpec[] = [
      { name: 'a', path: a.root },
      { name: 'c', path: c.root },
    ];
    const index = open(ac, logger);
    const stats = await index.build();
    assert.deepEqual([stats.parsed, stats.reused], [1, 3], 'a\'s files from the single folder\'s index, c\'s parsed');
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes(file)), JSON.stringify(logger.lines));
    assert.deepEqual(snapshotOf(index.files), await cold(ac));
  });

  it('falls back to an older candidate sharing every folder when the newest that does cannot be loaded', async () => {
    await saved(ab());
    const past = Date.now() / 1000 - 3600;
    utimesSync(indexCacheFile(storage.root, new FolderPaths(ab()).identity), past, past);
    const ac: FolderSpec[] = [
      { name: 'a', path: a.root },
      { name: 'c', path: c.root },
    ];
    await saved(ac);
    const file = indexCacheFile(storage.root, new FolderPaths(ac).identity);
    const bytes = readFileSync(file);
    writeFileSync(file, bytes.subarray(0, bytes.length - 40));
    const logger = recordingLogger();
    const index = open([{ name: 'a', path: a.root }], logger);
    const stats = await index.build();
    assert.deepEqual([stats.parsed, stats.reused], [0, 3], "a's files from the older [a, b] index");
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes(file)), JSON.stringify(logger.lines));
    assert.deepEqual(snapshotOf(index.files), await cold([{ name: 'a', path: a.root }]));
  });
});
