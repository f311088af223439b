import assert from 'node:assert/strict';
import diagnostics_channel from 'node:diagnostics_channel';
import { existsSync, mkdirSync, readdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Worker } from 'node:worker_threads';
import { ContextEngine } from '../../../src/core/context/contextEngine';
import { ContextHost, type ContextHostOptions } from '../../../src/core/context/contextHost';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { FolderPaths } from '../../../src/core/context/folderPaths';
import { workerHeapLimits } from '../../../src/core/context/indexWorkerStart';
import type { IndexChange } from '../../../src/core/context/indexLookup';
import { indexCacheFile } from '../../../src/core/context/indexPersistence';
import type { ContextResult } from '../../../src/core/context/model';
import { contextHostScriptsFromSource, workerScriptFromSource } from '../../../src/core/context/sourceLayout';
import { DEFAULT_MAX_FILE_KB, WorkspaceIndex, type IndexBuildStats, type IndexProgress } from '../../../src/core/context/workspaceIndex';
import { CancellationError, ValidationError } from '../../../src/core/errors';
import { systemClock } from '../../../src/core/ports';
import { seededRandom } from './builders';
import { damageSavedTexts, location, recordingLogger, type RecordingLogger, tempWorkspace } from './indexerHarness';

const DEFAULTS = { budget: 20_000, relevanceThreshold: 0.05 };
const QUERY = { query: 'parse the configuration and start the server', activeFile: 'src/server.ts' };

/** A result without its timing (the only field that differs between two runs). */
function withoutMs(result: ContextResult): Omit<ContextResult, 'ms'> {
  const { ms: _ms, ...rest } = result;
  return rest;
}

describe('context host (index and engine in their own thread)', function () {
  // The engine thread and its parser threads load TypeScript sources through tsx here: slow to start.
  this.timeout(60_000);
  let ws: { root: string; cleanup: () => void };
  let logger: RecordingLogger;
  let host: ContextHost | undefined;

  function open(overrides: Partial<ContextHostOptions> = {}): ContextHost {
    host = new ContextHost({ root: ws.root, scripts: contextHostScriptsFromSource(), location, logger, defaults: DEFAULTS, parseWorkers: 1, ...overrides });
    return host;
  }

  beforeEach(() => {
    ws = tempWorkspace('polyglot');
    logger = recordingLogger();
  });
  afterEach(async () => {
    await host?.dispose();
    host = undefined;
    ws.cleanup();
  });

  it('builds and answers queries exactly as the index and engine do on the calling thread', async () => {
    const engineHost = open();
    const progress: IndexProgress[] = [];
    const changes: IndexChange[] = [];
    engineHost.onDidChange((c) => changes.push(c));
    const stats = await engineHost.build({ onProgress: (p) => progress.push(p) });

    const local = new WorkspaceIndex({ root: ws.root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock });
    try {
      const localStats = await local.build();
      assert.deepEqual({ ...stats, ms: 0 }, { ...localStats, ms: 0 });
      let definitions = 0;
      for (const f of local.files.values()) definitions += f.definitions.length;
      assert.deepEqual(engineHost.summary, { files: local.files.size, definitions, version: local.version });
      assert.equal(stats.files, 20);
      assert.ok(progress.length > 0 && progress.at(-1)?.filesDone === 20);
      assert.equal(changes.length, 1);
      assert.equal(changes[0]?.changed.length, 20);

      const engine = new ContextEngine({ index: local, clock: systemClock, logger, defaults: DEFAULTS });
      const expected = await engine.getRelevantContext(QUERY);
      const actual = await engineHost.getRelevantContext(QUERY);
      assert.ok(actual.items.length > 0);
      assert.deepEqual(withoutMs(actual), withoutMs(expected));
      const again = await engineHost.getRelevantContext(QUERY);
      assert.equal(again.cached, true);
      assert.deepEqual(engineHost.cacheStats(), { hits: 1, misses: 1, hitRate: 0.5, size: 1 });
    } finally {
      await local.dispose();
    }
  });

  it('prepares the ranking index when asked, before any query, answering as a host that did not; a cancelled prepare leaves it working', async () => {
    const engineHost = open();
    await engineHost.build();
    const cancelled = new AbortController();
    cancelled.abort();
    await assert.rejects(engineHost.prepareRanking(cancelled.signal), CancellationError);
    assert.equal(await engineHost.prepareRanking(), true, 'it built the ranking index');
    assert.equal(await engineHost.prepareRanking(), false, 'nothing left to do');
    const result = await engineHost.getRelevantContext(QUERY);
    const plain = new ContextHost({ root: ws.root, scripts: contextHostScriptsFromSource(), location, logger: recordingLogger(), defaults: DEFAULTS, parseWorkers: 1 });
    try {
      await plain.build();
      assert.deepEqual(withoutMs(result), withoutMs(await plain.getRelevantContext(QUERY)));
    } finally {
      await plain.dispose();
    }
    // Preparing is no query: the result cache saw one query only.
    assert.deepEqual(engineHost.cacheStats(), { hits: 0, misses: 1, hitRate: 0, size: 1 });
  });

  it('re-indexes an edited document, and files the watcher reports, in the engine thread', async () => {
    const engineHost = open();
    await engineHost.build();
    const before = engineHost.summary;
    const changes: IndexChange[] = [];
    engineHost.onDidChange((c) => changes.push(c));

    await engineHost.updateDocument('src/extra.ts', 'export function computeZebraStripes(rows: number): number {\n  return rows * 2;\n}\n');
    assert.deepEqual(changes.at(-1)?.changed, ['src/extra.ts']);
    assert.equal(engineHost.summary.files, before.files + 1);
    assert.equal(engineHost.summary.definitions, before.definitions + 1);
    const found = await engineHost.getRelevantContext({ query: 'computeZebraStripes' });
    assert.equal(found.items[0]?.symbol, 'computeZebraStripes');
    assert.equal(await engineHost.readText('src/extra.ts'), 'export function computeZebraStripes(rows: number): number {\n  return rows * 2;\n}\n');

    // Closing the never-saved document drops it (it is not on disk); a file written to disk and reported comes in.
    await engineHost.closeDocument('src/extra.ts');
    assert.equal(engineHost.summary.files, before.files);
    writeFileSync(path.join(ws.root, 'src', 'onDisk.ts'), 'export class WatchedThing {}\n');
    await engineHost.updateFile('src/onDisk.ts');
    renameSync(path.join(ws.root, 'src', 'onDisk.ts'), path.join(ws.root, 'src', 'moved.ts'));
    await engineHost.renameFile('src/onDisk.ts', 'src/moved.ts');
    const paths = (await engineHost.listFiles()).map((f) => f.path);
    assert.ok(paths.includes('src/moved.ts') && !paths.includes('src/onDisk.ts'));
    rmSync(path.join(ws.root, 'src', 'moved.ts'));
    await engineHost.removeFile('src/moved.ts');
    assert.deepEqual(changes.at(-1)?.removed, ['src/moved.ts']);
    assert.equal(engineHost.summary.files, before.files);

    // A file changed on disk under its open document with unsaved changes: the document stays, its link is read again.
    writeFileSync(path.join(ws.root, 'src', 'target.ts'), 'export function first() {}\n');
    symlinkSync('target.ts', path.join(ws.root, 'src', 'link.ts'));
    await engineHost.updateFile('src/target.ts');
    await engineHost.updateFile('src/link.ts');
    await engineHost.updateDocument('src/target.ts', 'export function unsaved() {}\n');
    writeFileSync(path.join(ws.root, 'src', 'target.ts'), 'export function writtenElsewhere() {}\n');
    await engineHost.fileChangedUnderDocument('src/target.ts');
    const written = await engineHost.getRelevantContext({ query: 'writtenElsewhere' });
    assert.deepEqual(written.items.filter((i) => i.symbol === 'writtenElsewhere').map((i) => i.file), ['src/link.ts']);
    const unsaved = await engineHost.getRelevantContext({ query: 'unsaved' });
    assert.deepEqual(unsaved.items.filter((i) => i.symbol === 'unsaved').map((i) => i.file), ['src/target.ts']);
  });

  it('tells a change before the request that made it resolves, and one no request made (a document settling on its own) by itself', async () => {
    const engineHost = open();
    await engineHost.build();
    const seen: string[] = [];
    engineHost.onDidChange((c) => seen.push(`${c.changed.join()} v${c.version}`));
    const text = 'const broken = (;\n\nexport function first(): number {\n  return 1;\n}\n';
    await engineHost.updateDocument('src/broken.ts', text, []);
    assert.equal(seen.length, 1, 'the open told before its call resolved');
    assert.equal(engineHost.summary.version, Number(seen[0]?.split(' v')[1]));
    const typed = 'export function second(): number {\n  return 2;\n}\n';
    await engineHost.updateDocument('src/broken.ts', text + typed, [{ start: text.length, deleteCount: 0, text: typed }]);
    assert.equal(seen.length, 2, 'the edit told before its call resolved');
    // The settling parse after the quiet period is no request's: its change comes in a message of its own.
    await new Promise<void>((resolve) => engineHost.onDidChange(() => resolve()));
    assert.equal(seen.length, 3);
    assert.ok(seen.every((c) => c.startsWith('src/broken.ts ')), seen.join('; '));
    assert.equal(engineHost.summary.version, Number(seen[2]?.split(' v')[1]));
  });

  it('settles an open document edited around a syntax error when asked, in the engine thread', async () => {
    const engineHost = open();
    await engineHost.build();
    const text = 'const broken = (;\n\nexport function first(): number {\n  return 1;\n}\n';
    await engineHost.updateDocument('src/broken.ts', text, []);
    const typed = 'export function second(): number {\n  return 2;\n}\n';
    await engineHost.updateDocument('src/broken.ts', text + typed, [{ start: text.length, deleteCount: 0, text: typed }]);
    const found = await engineHost.getRelevantContext({ query: 'second' });
    assert.ok(found.items.some((i) => i.symbol === 'second'), 'the edit is indexed before the document settles');
    const changes: IndexChange[] = [];
    engineHost.onDidChange((c) => changes.push(c));
    await engineHost.settleDocuments();
    assert.deepEqual(changes.map((c) => c.changed), [['src/broken.ts']], 'settled: parsed from scratch once');
    await engineHost.settleDocuments();
    assert.equal(changes.length, 1, 'nothing left to settle');
  });

  it('sends an open document\'s changes, not its text; the engine\'s copy follows edits, out-of-step updates and a reopen', async () => {
    const engineHost = open();
    await engineHost.build();
    const file = 'src/typed.ts';
    let text = 'export function first(): number {\r\n  return 1; // 😀\r\n}\r\n';
    await engineHost.updateDocument(file, text);
    const random = seededRandom(3);
    const pieces = ['x', '\r\n', '😀', 'export function typedName(): void {}\r\n', ''];
    for (let i = 0; i < 40; i++) {
      const start = Math.floor(random() * (text.length + 1));
      const deleteCount = Math.min(text.length - start, Math.floor(random() * 3));
      const change = { start, deleteCount, text: pieces[i % pieces.length] ?? '' };
      text = text.slice(0, start) + change.text + text.slice(start + deleteCount);
      // In step, the text given is not sent: a wrong one of the right length shows the engine applied the change itself.
      await engineHost.updateDocument(file, i === 39 ? '?'.repeat(text.length) : text, [change]);
    }
    assert.equal(await engineHost.readText(file), text);
    // Line ends switched with no changes passed for it (VS Code does send a whole-text replacement; a caller that
    // drops it): the next changes do not give the caller's length, the engine refuses them and the whole text is sent again.
    text = `${text.replaceAll('\r\n', '\n')}export function afterSwitch(): void {}\n`;
    await engineHost.updateDocument(file, text, [{ start: text.length - 39, deleteCount: 0, text: 'export function afterSwitch(): void {}\n' }]);
    assert.equal(await engineHost.readText(file), text);
    await engineHost.settleDocuments();
    const found = await engineHost.getRelevantContext({ query: 'afterSwitch typedName' });
    assert.ok(found.items.some((i) => i.symbol === 'afterSwitch'));
    // Closed and opened again: the first update carries the whole text.
    await engineHost.closeDocument(file);
    await engineHost.updateDocument(file, 'export const reopened = 1;\n', [{ start: 0, deleteCount: text.length, text: 'export const reopened = 1;\n' }]);
    assert.equal(await engineHost.readText(file), 'export const reopened = 1;\n');
  });

  it('forgets the open documents of a renamed file or folder: a new document at an old path is not built on the moved one\'s text', async () => {
    const engineHost = open();
    mkdirSync(path.join(ws.root, 'lib'));
    const moved = 'export function movedAway(): void {}\n';
    writeFileSync(path.join(ws.root, 'lib', 'a.ts'), moved);
    writeFileSync(path.join(ws.root, 'b.ts'), moved);
    await engineHost.build();
    // Both open in the editor (their first updates carry the whole text), then moved: a file, and a folder holding one.
    await engineHost.updateDocument('lib/a.ts', moved, []);
    await engineHost.updateDocument('b.ts', moved, []);
    renameSync(path.join(ws.root, 'b.ts'), path.join(ws.root, 'c.ts'));
    await engineHost.renameFile('b.ts', 'c.ts');
    renameSync(path.join(ws.root, 'lib'), path.join(ws.root, 'lib2'));
    await engineHost.renameFile('lib', 'lib2');
    // New files at the old paths, of the same length as the moved ones, opened and edited: the edit's changes apply to
    // the new text (on the moved one's they would give a text of the same length, with the moved function in it).
    const fresh = 'export function madeAnew(): void {}\n'.padEnd(moved.length, ' ');
    assert.equal(fresh.length, moved.length);
    const edited = `${fresh}// typed\n`;
    mkdirSync(path.join(ws.root, 'lib'));
    for (const file of ['lib/a.ts', 'b.ts']) {
      writeFileSync(path.join(ws.root, ...file.split('/')), fresh);
      await engineHost.updateFile(file);
      await engineHost.updateDocument(file, edited, [{ start: fresh.length, deleteCount: 0, text: '// typed\n' }]);
      assert.equal(await engineHost.readText(file), edited, file);
    }
    await engineHost.settleDocuments();
    const found = await engineHost.getRelevantContext({ query: 'movedAway madeAnew' });
    assert.deepEqual(found.items.filter((i) => i.symbol === 'movedAway').map((i) => i.file).sort(), ['c.ts', 'lib2/a.ts']);
  });

  it('a close overtaking the whole-text resend of a refused update leaves the document closed (disk text, not the editor text)', async () => {
    const engineHost = open();
    await engineHost.build();
    const file = 'src/config.ts';
    const disk = await engineHost.readText(file);
    assert.ok(disk !== undefined);
    await engineHost.updateDocument(file, disk, []);
    // An update whose request never left (its signal was aborted): its version is counted as sent, so the next
    // update's base is one the engine never had, and the engine answers needsText.
    const typedOnce = `${disk}// one\n`;
    await assert.rejects(engineHost.updateDocument(file, typedOnce, [{ start: disk.length, deleteCount: 0, text: '// one\n' }], AbortSignal.abort()), CancellationError);
    const discarded = `${typedOnce}export function unsavedEdit(): void {}\n`;
    const update = engineHost.updateDocument(file, discarded, [{ start: typedOnce.length, deleteCount: 0, text: 'export function unsavedEdit(): void {}\n' }]);
    // The user closes the document (discarding its edits) while that update is in flight.
    const close = engineHost.closeDocument(file);
    await Promise.all([update, close]);
    await engineHost.settleDocuments();
    // Closed: the index reads the file from disk again. The resend of the whole text, posted after the close,
    // opens the document again in the engine thread (mirror and index), with the discarded text.
    assert.equal(await engineHost.readText(file), disk, 'a closed document is read from disk');
    const found = await engineHost.getRelevantContext({ query: 'unsavedEdit' });
    assert.ok(!found.items.some((i) => i.symbol === 'unsavedEdit'), 'the discarded edit is not in the index');
  });

  it('times each document update it applies (until the index holds it, and the engine thread\'s part); one overtaken is not counted', async () => {
    const engineHost = open();
    await engineHost.build();
    assert.equal(engineHost.documentUpdateStats(), undefined, 'no update yet');
    const file = 'src/config.ts';
    const disk = await engineHost.readText(file);
    assert.ok(disk !== undefined);
    let text = disk;
    const timings = [await engineHost.updateDocument(file, text, [])];
    for (let i = 0; i < 3; i++) {
      const typed = `// typed ${i}\n`;
      const change = { start: text.length, deleteCount: 0, text: typed };
      text += typed;
      timings.push(await engineHost.updateDocument(file, text, [change]));
    }
    for (const t of timings) {
      assert.ok(t !== undefined, 'applied: timed');
      assert.ok(t.engineMs > 0 && t.engineMs <= t.ms, `engine ${t.engineMs} ms within ${t.ms} ms`);
    }
    const stats = engineHost.documentUpdateStats();
    assert.equal(stats?.samples, 4);
    const sorted = timings.map((t) => t?.ms ?? NaN).sort((a, b) => a - b);
    assert.equal(stats.p95, sorted[3]);
    assert.equal(stats.p50, sorted[1]);
    assert.ok(stats.engineP95 <= stats.p95);
    // An update that never left (aborted) leaves the next one's base unknown to the engine: it is refused. While
    // a newer update is on its way, it is not sent again (undefined: not applied); the newer one is refused too
    // and, being the latest, sent whole — one update applied, its engine time both requests'.
    const aborted = `${text}// aborted\n`;
    await assert.rejects(engineHost.updateDocument(file, aborted, [{ start: text.length, deleteCount: 0, text: '// aborted\n' }], AbortSignal.abort()), CancellationError);
    const overtaken = `${aborted}// overtaken\n`;
    const latest = `${overtaken}export function latestEdit(): void {}\n`;
    const [first, second] = await Promise.all([
      engineHost.updateDocument(file, overtaken, [{ start: aborted.length, deleteCount: 0, text: '// overtaken\n' }]),
      engineHost.updateDocument(file, latest, [{ start: overtaken.length, deleteCount: 0, text: 'export function latestEdit(): void {}\n' }]),
    ]);
    assert.equal(first, undefined, 'overtaken: not applied, not timed');
    assert.ok(second !== undefined && second.engineMs <= second.ms);
    assert.equal(engineHost.documentUpdateStats()?.samples, 5);
    assert.equal(await engineHost.readText(file), latest);
  });

  it('times no update the index did not take: an excluded path, one a newer update overtook in the engine, one a close overtook', async () => {
    const engineHost = open();
    await engineHost.build();
    // build/ is ignored by the fixture's .gitignore.
    assert.equal(await engineHost.updateDocument('build/out.js', 'export function excluded() {}\n', []), undefined);
    assert.ok(!(await engineHost.listFiles()).some((f) => f.path === 'build/out.js'));
    assert.equal(engineHost.documentUpdateStats(), undefined, 'nothing timed');
    // The first Python document: the first update waits for the grammar in the engine thread, the second overtakes it.
    const file = 'py/app/service.py';
    const disk = (await engineHost.readText(file)) ?? '';
    const typed = `${disk}# typed\n`;
    const [overtaken, latest] = await Promise.all([
      engineHost.updateDocument(file, disk, []),
      engineHost.updateDocument(file, typed, [{ start: disk.length, deleteCount: 0, text: '# typed\n' }]),
    ]);
    assert.equal(overtaken, undefined, 'overtaken in the engine: not timed');
    assert.ok(latest !== undefined);
    assert.equal(engineHost.documentUpdateStats()?.samples, 1);
    // A close overtaking the first Go document's update (waiting for the grammar): the index reads the file from
    // disk, the update is not timed.
    const goFile = 'go/internal/store/store.go';
    const goDisk = (await engineHost.readText(goFile)) ?? '';
    const unsaved = `${goDisk}\nfunc ZebraUnsaved() int { return 1 }\n`;
    const [closedOver] = await Promise.all([engineHost.updateDocument(goFile, unsaved, []), engineHost.closeDocument(goFile)]);
    assert.equal(await engineHost.readText(goFile), goDisk, 'closed: the disk text');
    assert.equal(closedOver, undefined, 'overtaken by the close: not timed');
    assert.equal(engineHost.documentUpdateStats()?.samples, 1);
  });

  it('cancels across the thread: the call rejects with CancellationError and the engine keeps working', async () => {
    const engineHost = open();
    const abort = new AbortController();
    const build = engineHost.build({ signal: abort.signal, onProgress: () => abort.abort() });
    await assert.rejects(build, CancellationError);
    // The files indexed so far stay; the next build completes the index.
    const stats = await engineHost.build();
    assert.equal(stats.files, 20);

    const query = new AbortController();
    query.abort();
    await assert.rejects(engineHost.getRelevantContext(QUERY, query.signal), CancellationError);
    const pending = new AbortController();
    const running = engineHost.getRelevantContext({ query: 'start the server' }, pending.signal);
    pending.abort();
    await assert.rejects(running, CancellationError);
    assert.ok((await engineHost.getRelevantContext(QUERY)).items.length > 0);
  });

  it('rebuilds our error classes on the calling side', async () => {
    const engineHost = open();
    await engineHost.build();
    await assert.rejects(engineHost.getRelevantContext({ query: 'x', budget: -1 }), (err: unknown) => {
      assert.ok(err instanceof ValidationError);
      assert.match(err.message, /Invalid context query: budget/);
      assert.deepEqual(err.issues[0]?.loc, ['budget']);
      return true;
    });
  });

  it('rejects pending and later calls with a clear error when the engine thread dies', async () => {
    // An old generation of 40 MB: room for the engine thread to load (about 20 MB, its sources compiled by tsx), not
    // for an index of half a million definitions (about 100 MB). The thread runs out of memory while it builds, in
    // the engine's code: not while it loads its modules, where Node aborts the whole process on some allocations
    // failing (a fatal error in its CommonJS lexer, seen once with a 6 MB limit).
    const many = path.join(ws.root, 'many');
    mkdirSync(many);
    for (let f = 0; f < 100; f++) {
      const lines: string[] = [];
      for (let d = 0; d < 5000; d++) lines.push(`function f${f}x${d}() {}`);
      writeFileSync(path.join(many, `f${f}.ts`), `${lines.join('\n')}\n`);
    }
    const engineHost = open({ resourceLimits: { maxOldGenerationSizeMb: 40 } });
    const stopped = new Promise<Error>((resolve) => engineHost.onDidStop(resolve));
    assert.deepEqual(await engineHost.listFiles(), [], 'the engine thread has loaded');
    await assert.rejects(engineHost.build(), /The context engine stopped unexpectedly: it ran out of memory\. .*a new engine has to be started/);
    const reason = await stopped;
    assert.equal(engineHost.stopped, reason);
    await assert.rejects(engineHost.getRelevantContext(QUERY), (err: unknown) => err === reason);
    assert.ok(logger.lines.some((l) => l.level === 'error' && l.message === reason.message));
    // A new host over the same folder works.
    await engineHost.dispose();
    rmSync(many, { recursive: true });
    assert.equal((await open().build()).files, 20);
  });

  it('reopens a saved index to the same index, re-parsing only what changed', async () => {
    const storageDir = path.join(ws.root, '.storage');
    const first = open({ storageDir, exclude: ['.storage/**'] });
    const cold = await first.build();
    const coldFiles = (await first.listFiles()).map((f) => f.path);
    await first.dispose();

    writeFileSync(path.join(ws.root, 'src', 'added.ts'), 'export function addedSinceTheSave(): number {\n  return 1;\n}\n');
    const second = open({ storageDir, exclude: ['.storage/**'] });
    const warm = await second.build();
    assert.deepEqual([warm.parsed, warm.reused, warm.files], [1, cold.files, cold.files + 1]);
    assert.deepEqual((await second.listFiles()).map((f) => f.path).sort(), [...coldFiles, 'src/added.ts'].sort());
    const context = await second.getRelevantContext({ query: 'addedSinceTheSave' });
    assert.ok(context.items.some((i) => i.symbol === 'addedSinceTheSave'));
  });

  it('reads a file again, in the engine thread, once a query finds its saved texts unreadable (a damaged saved index)', async () => {
    const storageDir = path.join(ws.root, '.storage');
    const first = open({ storageDir, exclude: ['.storage/**'] });
    await first.build();
    await first.dispose();
    damageSavedTexts(indexCacheFile(storageDir, ws.root), 'src/util.ts');

    const second = open({ storageDir, exclude: ['.storage/**'] });
    const warm = await second.build();
    assert.equal(warm.parsed, 0);
    const readAgain = new Promise<IndexChange>((resolve) => second.onDidChange((c) => c.changed.includes('src/util.ts') && resolve(c)));
    // The query's ranking index reads every file's texts: src/util.ts's prove unreadable, and the file is read again.
    await second.getRelevantContext({ query: 'least recently used cache' });
    await readAgain;
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('src/util.ts could not be read (the saved index is damaged)')));
    const context = await second.getRelevantContext({ query: 'least recently used cache' });
    assert.ok(context.items.some((i) => i.symbol === 'LruCache' && i.reasons.some((r) => r.includes('doc'))), JSON.stringify(context.items.map((i) => [i.symbol, i.reasons])));
  });

  it('indexes every folder of a multi-root workspace, and maps its paths both ways, across the thread', async () => {
    const other = tempWorkspace();
    try {
      writeFileSync(path.join(other.root, 'tools.ts'), 'export function secondFolderTool(): number {\n  return 2;\n}\n');
      const storageDir = path.join(other.root, '.storage');
      const folders = [
        { name: 'main', path: ws.root },
        { name: 'tools', path: other.root, exclude: ['.storage/**'] },
      ];
      const first = open({ folders, storageDir });
      const cold = await first.build();
      const files = (await first.listFiles()).map((f) => f.path);
      assert.ok(files.includes('tools/tools.ts') && files.includes('main/src/server.tsx'), files.join(', '));
      assert.ok(files.every((f) => f.startsWith('main/') || f.startsWith('tools/')), files.join(', '));
      // The engine thread names files as the caller's FolderPaths of the same folders maps them.
      const paths = new FolderPaths(folders);
      assert.equal(paths.relative(path.join(other.root, 'tools.ts')), 'tools/tools.ts');
      assert.equal(paths.absolute('main/src/server.tsx'), path.join(ws.root, 'src', 'server.tsx'));
      const context = await first.getRelevantContext({ query: 'secondFolderTool', activeFile: 'main/src/server.tsx' });
      assert.ok(context.items.some((i) => i.file === 'tools/tools.ts' && i.symbol === 'secondFolderTool'), 'the second folder\'s definition is found');
      await first.dispose();
      // Reopened: the multi-root index was saved and is found again (the engine thread names the same file).
      const second = open({ folders, storageDir });
      const warm = await second.build();
      assert.deepEqual([warm.parsed, warm.reused], [0, cold.files]);
    } finally {
      other.cleanup();
    }
  });

  it('starts parse worker 0 itself, alongside the engine thread, for a build from nothing; none for a reopen or without parse workers', async () => {
    const storageDir = path.join(ws.root, '.storage');
    const started: Worker[] = [];
    const onStart = (message: unknown): void => void started.push((message as { worker: Worker }).worker);
    diagnostics_channel.subscribe('worker_threads', onStart);
    let cold: ContextHost;
    let stats: IndexBuildStats;
    try {
      cold = open({ storageDir, exclude: ['.storage/**'] });
      assert.equal(typeof cold.firstParserThreadId, 'number', 'started with the engine thread');
      stats = await cold.build();
    } finally {
      diagnostics_channel.unsubscribe('worker_threads', onStart);
    }
    assert.equal(stats.parsed, 20);
    // This thread starts the engine thread and worker 0, no more (that the engine uses worker 0 rather than a worker of
    // its own, the tests of worker 0's death and of a worker 0 stuck in a file show: the channel sees this thread only).
    assert.equal(started.length, 2, 'threads this thread started for the build');
    const first = started.find((w) => w.threadId === cold.firstParserThreadId);
    const { maxOldGenerationSizeMb, maxYoungGenerationSizeMb } = workerHeapLimits(DEFAULT_MAX_FILE_KB * 1024);
    assert.deepEqual(first?.resourceLimits && { old: first.resourceLimits.maxOldGenerationSizeMb, young: first.resourceLimits.maxYoungGenerationSizeMb }, { old: maxOldGenerationSizeMb, young: maxYoungGenerationSizeMb }, "the pool's own heap limits");
    assert.equal(typeof cold.firstParserThreadId, 'number', 'kept by the engine for the next update');
    assert.deepEqual(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error'), []);
    await cold.dispose();
    assert.equal(cold.firstParserThreadId, undefined, 'ended with the engine');
    const reopened = open({ storageDir, exclude: ['.storage/**'] });
    assert.equal(reopened.firstParserThreadId, undefined, 'a reopen may parse nothing: its workers start on demand');
    await reopened.dispose();
    const inEngine = open({ parseWorkers: 0 });
    assert.equal(inEngine.firstParserThreadId, undefined, 'parsing stays on the engine thread');
  });

  it('logs the death of the parse worker 0 it started once, with what it died of (told by the engine, which replaces it and parses its files again)', async () => {
    // Worker 0 (answering on a port: started here) dies of an uncaught error on its first files; the others parse.
    const script = path.join(ws.root, 'first-worker-breaks.cjs');
    const real = contextHostScriptsFromSource().parser;
    writeFileSync(
      script,
      `const { workerData } = require('node:worker_threads');
if (workerData.port) workerData.port.on('message', () => { throw new Error('the grammar runtime broke'); });
else require(${JSON.stringify(real.path)});
`,
    );
    const engineHost = open({ scripts: { ...contextHostScriptsFromSource(), parser: { ...real, path: script } }, exclude: ['*.cjs'] });
    const stats = await engineHost.build();
    // (Not the files' doing: parsed again one at a time, each alone on a worker the engine starts, they are indexed.)
    assert.equal(stats.skipped, 0, 'the files worker 0 had are indexed');
    const told = logger.lines.filter((l) => l.message.includes('index worker'));
    assert.deepEqual(told, [{ level: 'warn', message: 'context: index worker stopped: the grammar runtime broke' }]);
    // The engine replaced it: a file parses.
    writeFileSync(path.join(ws.root, 'src', 'later.ts'), 'export function later(): number {\n  return 1;\n}\n');
    await engineHost.updateFile('src/later.ts');
    assert.ok((await engineHost.listFiles()).some((f) => f.path === 'src/later.ts'));
  });

  it("logs an unexpected error in the engine thread with its stack and causes to the host's logger; its own errors in one line", async () => {
    const script = { ...contextHostScriptsFromSource().host, path: path.join(__dirname, 'listenerThrowsEngine.ts') };
    const engineHost = open({ scripts: { ...contextHostScriptsFromSource(), host: script } });
    await engineHost.build();
    writeFileSync(path.join(ws.root, 'src', 'BUG.ts'), 'export const bug = 1;\n');
    await engineHost.updateFile('src/BUG.ts');
    writeFileSync(path.join(ws.root, 'src', 'EXPECTED.ts'), 'export const expected = 1;\n');
    await engineHost.updateFile('src/EXPECTED.ts');
    const failed = logger.lines.filter((l) => l.message.startsWith('context: an index listener failed:'));
    assert.equal(failed.length, 2, JSON.stringify(logger.lines));
    const [bug, expected] = failed.map((l) => l.message);
    assert.equal(failed[0]?.level, 'error');
    const lines = (bug ?? '').split('\n');
    assert.equal(lines[0], 'context: an index listener failed: TypeError: the change listener broke');
    assert.match(lines[1] ?? '', /^ {4}at .*listenerThrowsEngine\.ts:\d+:\d+\)?$/, 'its stack, with the frame that threw');
    const cause = lines.findIndex((l) => l.startsWith('Caused by: TypeError: Cannot read properties of undefined'));
    assert.ok(cause > 1, `its cause: ${bug ?? ''}`);
    assert.match(lines[cause + 1] ?? '', /^ {4}at readLimit \(.*listenerThrowsEngine\.ts:\d+:\d+\)$/, "and the cause's stack");
    assert.equal(expected, 'context: an index listener failed: ConfigurationError: a setting the listener needs is missing');
  });

  it("saves the engine's code cache after the first build even when disposed at once (as the CLI disposes)", async () => {
    // The thread takes up the dispose request before the save it put off to the next turn: it makes the save first (the
    // thread ends once dispose has its answer).
    const engineHost = open({ parseWorkers: 0, scripts: { host: { ...contextHostScriptsFromSource().host, path: path.join(__dirname, 'disposingCallerEngine.ts') }, parser: workerScriptFromSource() } });
    await engineHost.build();
    await engineHost.dispose();
    assert.deepEqual(
      logger.lines.filter((l) => l.message.startsWith('code cache saved')),
      [{ level: 'info', message: 'code cache saved after a start that built' }],
    );
  });

  it('dispose stops a parse worker 0 stuck in a file (terminated, as the pool terminates its own workers), and resolves', async () => {
    // Worker 0 says it has its first files, then never finishes them: closing its port alone would wait forever.
    const script = path.join(ws.root, 'first-worker-stuck.cjs');
    writeFileSync(
      script,
      `const { workerData } = require('node:worker_threads');
workerData.port.on('message', () => {
  workerData.port.postMessage({ type: 'log', level: 'info', message: 'worker 0 is stuck in a file' });
  for (;;) {}
});
`,
    );
    let stuck!: () => void;
    const isStuck = new Promise<void>((resolve) => (stuck = resolve));
    const recording = recordingLogger();
    const watching = {
      ...recording,
      info: (message: string): void => {
        recording.info(message);
        if (message.includes('stuck in a file')) stuck();
      },
    };
    const engineHost = open({ scripts: { ...contextHostScriptsFromSource(), parser: { ...contextHostScriptsFromSource().parser, path: script } }, exclude: ['*.cjs'], logger: watching });
    void engineHost.build().catch(() => undefined);
    await isStuck;
    const workerThread = engineHost.firstParserThreadId;
    assert.ok(workerThread !== undefined, 'worker 0 runs');
    let guard: NodeJS.Timeout | undefined;
    const disposed = await Promise.race([
      engineHost.dispose().then(() => true),
      new Promise<boolean>((resolve) => (guard = setTimeout(() => resolve(false), 20_000))),
    ]);
    clearTimeout(guard);
    host = undefined;
    assert.equal(disposed, true, 'dispose resolved');
    assert.equal(engineHost.firstParserThreadId, undefined, 'worker 0 has ended');
  });

  it('leaves no thread behind when the engine thread cannot be started: parse worker 0 ends, and the error is new Worker\'s', async () => {
    const started: Worker[] = [];
    const onStart = (message: unknown): void => void started.push((message as { worker: Worker }).worker);
    diagnostics_channel.subscribe('worker_threads', onStart);
    try {
      const scripts = contextHostScriptsFromSource();
      assert.throws(() => open({ scripts: { ...scripts, host: { ...scripts.host, execArgv: ['--no-such-flag'] } } }), { code: 'ERR_WORKER_INVALID_EXEC_ARGV' });
    } finally {
      diagnostics_channel.unsubscribe('worker_threads', onStart);
    }
    assert.equal(started.length, 1, 'parse worker 0 had started');
    const [first] = started as [Worker];
    const ended = await Promise.race([
      new Promise<boolean>((resolve) => (first.threadId === -1 ? resolve(true) : first.once('exit', () => resolve(true)))),
      new Promise<boolean>((resolve) => setTimeout(() => resolve(false), 10_000).unref()),
    ]);
    assert.equal(ended, true, 'parse worker 0 ended');
  });

  it('saves before it stops, and rejects calls still pending or made after dispose', async () => {
    const storageDir = path.join(ws.root, '.storage');
    const engineHost = open({ storageDir, exclude: ['.storage/**'] });
    await engineHost.build();
    const pending = engineHost.getRelevantContext(QUERY);
    await engineHost.dispose();
    await pending.then(
      (r) => assert.ok(r.items.length > 0),
      (err: unknown) => assert.ok(err instanceof CancellationError),
    );
    assert.ok(existsSync(storageDir) && readdirSync(storageDir).length > 0);
    await assert.rejects(engineHost.build(), CancellationError);
    assert.equal(engineHost.stopped?.message, 'The context engine was disposed');
  });
});
