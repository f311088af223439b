import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InProcessBackend, SplitBackend, type FileBackend } from '../../../src/core/context/extractionBackend';
import type { FileOutcome, FileTask } from '../../../src/core/context/fileProcessor';
import { workerScriptFromSource } from '../../../src/core/context/sourceLayout';
import { StoredFile } from '../../../src/core/context/storedFile';
import { portLink, startFirstParser, workerHeapLimits } from '../../../src/core/context/indexWorkerStart';
import { WorkerPoolBackend } from '../../../src/core/context/workerPool';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { CancellationError } from '../../../src/core/errors';
import { systemClock } from '../../../src/core/ports';
import { location, recordingLogger, type RecordingLogger, snapshotOf, tempWorkspace } from './indexerHarness';

describe('worker pool', function () {
  // Workers load TypeScript sources through tsx here (the bundle uses dist/worker.js): slow to start.
  this.timeout(60_000);
  let ws: { root: string; cleanup: () => void };
  let pool: WorkerPoolBackend;
  beforeEach(() => {
    ws = tempWorkspace('polyglot');
    pool = new WorkerPoolBackend({ size: 2, script: workerScriptFromSource(), location, maxFileBytes: 256 * 1024, logger: recordingLogger() });
  });
  afterEach(async () => {
    await pool.dispose();
    ws.cleanup();
  });

  it('indexes a workspace exactly as the main thread does', async () => {
    const logger = recordingLogger();
    const inWorkers = new WorkspaceIndex({ root: ws.root, backend: new SplitBackend(pool, new InProcessBackend(location, 256 * 1024, logger)), logger, clock: systemClock });
    const inProcess = new WorkspaceIndex({ root: ws.root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock });
    const a = await inWorkers.build();
    const b = await inProcess.build();
    await inProcess.dispose();
    assert.equal(a.files, b.files);
    assert.deepEqual(snapshotOf(inWorkers.files), snapshotOf(inProcess.files));
    assert.deepEqual(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error'), []);
  });

  it('works with a first worker another thread started, through its port: indexes as the main thread does, ends it when done, replaces it when it dies', async () => {
    await pool.dispose();
    let workerStopped!: () => void;
    const stopped = new Promise<void>((resolve) => (workerStopped = resolve));
    const recording = recordingLogger();
    // (The pool logs the end of a worker at the moment it marks it dead.)
    const logger: RecordingLogger = {
      ...recording,
      warn: (message: string): void => {
        recording.warn(message);
        if (message.includes('index worker stopped')) workerStopped();
      },
    };
    const first = startFirstParser(workerScriptFromSource(), location, 256 * 1024, [ws.root]);
    const exited = new Promise<number>((resolve) => first.worker.once('exit', resolve));
    pool = new WorkerPoolBackend({ size: 1, script: workerScriptFromSource(), location, maxFileBytes: 256 * 1024, logger, firstWorker: portLink(first.link) });
    const inWorkers = new WorkspaceIndex({ root: ws.root, backend: new SplitBackend(pool, new InProcessBackend(location, 256 * 1024, logger)), logger, clock: systemClock });
    const inProcess = new WorkspaceIndex({ root: ws.root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock });
    await inWorkers.build();
    await inProcess.build();
    await inProcess.dispose();
    assert.deepEqual(snapshotOf(inWorkers.files), snapshotOf(inProcess.files));
    assert.deepEqual(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error'), []);
    assert.equal(pool.runningWorkers, 1, 'the first worker is kept for the next update');
    // Ended by the thread that started it (as when that thread dies): the pool sees it gone and starts another.
    await first.worker.terminate();
    await exited;
    // (The pool hears of it when the port's end reaches this thread: files sent before that fail, as in a crash.)
    await stopped;
    assert.equal(pool.runningWorkers, 0, 'the pool has no worker once it told of the end');
    const outcomes: FileOutcome[] = [];
    await pool.processFiles([{ path: 'src/util.ts', absPath: `${ws.root}/src/util.ts`, size: 1, mtimeMs: 1 }], (o) => outcomes.push(o));
    assert.deepEqual(outcomes.map((o) => o.kind), ['indexed']);
    assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('index worker stopped')), 'the end of the first worker is logged');
    await inWorkers.dispose();
  });

  it('ends a first worker another thread started when the pool lets it go', async () => {
    await pool.dispose();
    const first = startFirstParser(workerScriptFromSource(), location, 256 * 1024, [ws.root]);
    let exitCode: number | undefined;
    first.worker.once('exit', (code) => (exitCode = code));
    const poolLogger = recordingLogger();
    pool = new WorkerPoolBackend({ size: 1, script: workerScriptFromSource(), location, maxFileBytes: 256 * 1024, logger: poolLogger, firstWorker: portLink(first.link) });
    const outcomes: FileOutcome[] = [];
    await pool.processFiles([{ path: 'src/util.ts', absPath: `${ws.root}/src/util.ts`, size: 1, mtimeMs: 1 }], (o) => outcomes.push(o));
    assert.deepEqual(outcomes.map((o) => o.kind), ['indexed']);
    await pool.dispose();
    // Terminated by the thread that started it, at the pool's word (as Worker.terminate: code 1), and not a death to tell of.
    assert.equal(exitCode, 1, 'the worker has ended when dispose resolves, as a Worker has');
    assert.deepEqual(poolLogger.lines.filter((l) => l.level === 'warn' || l.level === 'error'), []);
  });

  it('tells of a first worker another thread started that dies, with what it died of: logged once, and its files parsed again alone', async () => {
    await pool.dispose();
    // A worker that dies of an uncaught error on its first files.
    const crashing = path.join(ws.root, 'crashing-worker.cjs');
    writeFileSync(crashing, "require('node:worker_threads').workerData.port.on('message', () => { throw new Error('the grammar runtime broke'); });\n");
    const first = startFirstParser({ path: crashing }, location, 256 * 1024, [ws.root]);
    const logger = recordingLogger();
    pool = new WorkerPoolBackend({ size: 1, script: workerScriptFromSource(), location, maxFileBytes: 256 * 1024, logger, firstWorker: portLink(first.link) });
    const task = { path: 'src/util.ts', absPath: `${ws.root}/src/util.ts`, size: 1, mtimeMs: 1 };
    const outcomes: FileOutcome[] = [];
    await pool.processFiles([task], (o) => outcomes.push(o));
    // (Not the file's doing: alone on a worker this thread starts, it is indexed.)
    assert.deepEqual(outcomes.map((o) => o.kind), ['indexed']);
    assert.deepEqual(logger.lines, [{ level: 'warn', message: 'context: index worker stopped: the grammar runtime broke' }]);
    // Replaced by one this thread starts.
    await pool.processFiles([task], (o) => outcomes.push(o));
    assert.equal(outcomes[1]?.kind, 'indexed');
  });

  it('leaves open documents to the calling thread: their edits, settling parses that give way, and their files in workers', async () => {
    let othersWaiting = false;
    const backend = new SplitBackend(pool, new InProcessBackend(location, 256 * 1024, recordingLogger(), () => othersWaiting));
    // Long enough for the parser to ask whether to go on (it does every few hundred steps).
    const text = Array.from({ length: 50 }, (_, i) => `export function f${i}() {\n  return ${i};\n}\n`).join('');
    const clean = await backend.processDocument('doc.ts', text, []);
    assert.equal(new StoredFile(clean.file).definitions.length, 50);
    assert.equal(clean.needsSettling, false, 'parsed from scratch');
    assert.equal(pool.runningWorkers, 0, 'no parser thread started for a document');
    const broken = `${text}export function two( {\n`;
    const edited = await backend.processDocument('doc.ts', broken, [{ start: text.length, deleteCount: 0, text: 'export function two( {\n' }]);
    assert.equal(edited.needsSettling, true, 're-parsed incrementally around a syntax error');
    othersWaiting = true;
    assert.deepEqual(await backend.settleDocument('doc.ts', broken), { kind: 'yielded' });
    othersWaiting = false;
    const outcome = await backend.settleDocument('doc.ts', broken);
    assert.equal(outcome.kind, 'settled');
    assert.deepEqual(await backend.settleDocument('doc.ts', broken), { kind: 'exact' }, 'settled once is enough');
    backend.closeDocument('doc.ts');
    const fresh = await backend.processDocument('doc.ts', broken); // opened again: parsed from scratch
    assert.deepEqual(outcome.kind === 'settled' ? outcome.file : undefined, fresh.file);
    const outcomes: FileOutcome[] = [];
    await backend.processFiles([{ path: 'missing.ts', absPath: `${ws.root}/missing.ts`, size: 1, mtimeMs: 1 }], (o) => outcomes.push(o));
    assert.equal(outcomes.length, 1);
    assert.equal(pool.runningWorkers, 1, 'files go to the workers');
    await backend.dispose();
  });

  it('starts a second worker only when the first is busy, and stops it when the files are done', async () => {
    const one = (i: number): FileTask => ({ path: `missing-${i}.ts`, absPath: `${ws.root}/missing-${i}.ts`, size: 1, mtimeMs: 1 });
    await pool.processFiles([one(0)], () => undefined);
    assert.equal(pool.runningWorkers, 1, 'one file starts one worker');
    await pool.processFiles([one(0)], () => undefined);
    assert.equal(pool.runningWorkers, 1, 'one file while the first worker is idle');
    const outcomes: FileOutcome[] = [];
    let started = 0;
    await pool.processFiles(Array.from({ length: 64 }, (_, i) => one(i)), (o) => {
      outcomes.push(o);
      started = Math.max(started, pool.runningWorkers);
    });
    assert.equal(outcomes.length, 64);
    assert.equal(pool.runningWorkers, 1, 'the second worker stops once the files are done');
    assert.ok(started >= 2, 'batches in flight spread to the second worker');
    const again: FileOutcome[] = [];
    await pool.processFiles(Array.from({ length: 64 }, (_, i) => one(i)), (o) => again.push(o));
    assert.equal(again.length, 64, 'a later run starts it again');
  });

  it('stops the first worker too once it has parsed as many files as asked in one busy spell (a cold build), and starts it again when needed', async () => {
    const recycling = new WorkerPoolBackend({ size: 1, script: workerScriptFromSource(), location, maxFileBytes: 256 * 1024, logger: recordingLogger(), recycleAfterFiles: 40 });
    try {
      const one = (i: number): FileTask => ({ path: `missing-${i}.ts`, absPath: `${ws.root}/missing-${i}.ts`, size: 1, mtimeMs: 1 });
      await recycling.processFiles(Array.from({ length: 24 }, (_, i) => one(i)), () => undefined);
      assert.equal(recycling.runningWorkers, 1, 'kept after fewer files');
      await recycling.processFiles(Array.from({ length: 24 }, (_, i) => one(i)), () => undefined);
      assert.equal(recycling.runningWorkers, 1, 'kept after runs of fewer files each (updates do not add up)');
      await recycling.processFiles(Array.from({ length: 48 }, (_, i) => one(i)), () => undefined);
      assert.equal(recycling.runningWorkers, 0, 'stopped once past the count');
      const outcomes: FileOutcome[] = [];
      await recycling.processFiles([one(0)], (o) => outcomes.push(o));
      assert.equal(outcomes.length, 1);
      assert.equal(recycling.runningWorkers, 1, 'started again, and kept');
    } finally {
      await recycling.dispose();
    }
  });

  it('stops handing out files when cancelled', async () => {
    const abort = new AbortController();
    const outcomes: FileOutcome[] = [];
    let handedOut = 0;
    function* tasks(): Generator<FileTask> {
      for (let i = 0; i < 10_000; i++) {
        handedOut++;
        yield { path: `missing-${i}.ts`, absPath: `${ws.root}/missing-${i}.ts`, size: 1, mtimeMs: 1 };
      }
    }
    await assert.rejects(
      pool.processFiles(tasks(), (o) => {
        outcomes.push(o);
        if (outcomes.length === 20) abort.abort();
      }, abort.signal),
      (err) => err instanceof CancellationError,
    );
    assert.ok(handedOut < 10_000, `handed out ${handedOut}`);
    const after = outcomes.length;
    // Later work on both workers completes after the cancelled batches (each worker answers in order).
    const later: FileOutcome[] = [];
    await pool.processFiles([...tasks()].slice(0, 64), (o) => later.push(o));
    assert.equal(later.length, 64);
    assert.equal(outcomes.length, after, 'no results are delivered after cancellation');
  });

  describe('a file that ends its parse worker', () => {
    /** The real worker, which exits on a message holding a file with POISON in its text (poisonedIndexWorker.ts), and throws on THROWS. */
    const POISON = 'KILLS_THE_INDEX_WORKER';
    /** Text that makes a file's parse throw in that worker. */
    const THROWS = 'THROWS_IN_THE_INDEX_WORKER';
    const poisonedScript = { path: path.join(__dirname, 'poisonedIndexWorker.ts'), execArgv: ['--import', 'tsx'] };
    const names = Array.from({ length: 30 }, (_, i) => `src/f${String(i).padStart(2, '0')}.ts`);
    let logger: RecordingLogger;
    let index: WorkspaceIndex;
    beforeEach(async () => {
      await pool.dispose();
      ws.cleanup();
      ws = tempWorkspace();
      mkdirSync(path.join(ws.root, 'src'));
      for (const [i, n] of names.entries()) writeFileSync(path.join(ws.root, n), `export function fn${i}() { return ${i}; }\n`);
      logger = recordingLogger();
      pool = new WorkerPoolBackend({ size: 2, script: poisonedScript, location, maxFileBytes: 256 * 1024, logger });
      index = new WorkspaceIndex({ root: ws.root, backend: new SplitBackend(pool, new InProcessBackend(location, 256 * 1024, logger)), logger, clock: systemClock });
    });
    afterEach(() => index.dispose());

    const poison = (n: string): void => writeFileSync(path.join(ws.root, n), `export const p = '${POISON}';\n`);
    /** The files the warnings say could not be indexed. */
    const named = (): string[] => logger.lines.filter((l) => l.level === 'warn').flatMap((l) => /could not index (\S+):/.exec(l.message)?.[1] ?? []);
    const missing = (): string[] => names.filter((n) => !index.files.has(n));

    it('in a build: the others are indexed, and only it is left out and named, at every build', async () => {
      poison('src/f10poison.ts');
      for (let build = 1; build <= 2; build++) {
        const stats = await index.build();
        assert.deepEqual(missing(), [], `build ${build}`);
        assert.equal(index.files.has('src/f10poison.ts'), false);
        assert.equal(stats.skipped, 1);
        // Tried again at the next build (a failed parse is not kept as the file's state).
        assert.deepEqual(named(), Array.from({ length: build }, () => 'src/f10poison.ts'));
      }
      assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('it stopped the index worker parsing it (index worker exited with code 7)')));
      assert.equal(pool.runningWorkers <= 2, true, 'the worker that parsed files alone is stopped');
    });

    it('a file whose parse throws in the worker instead (no crash): only it is left out and named, the others of its message are indexed', async () => {
      writeFileSync(path.join(ws.root, 'src/f10throws.ts'), `export const t = '${THROWS}';\n`);
      const stats = await index.build();
      assert.deepEqual(missing(), []);
      assert.equal(index.files.has('src/f10throws.ts'), false);
      assert.equal(stats.skipped, 1);
      assert.deepEqual(named(), ['src/f10throws.ts']);
      assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('the extractor broke on src/f10throws.ts')));
      assert.ok(!logger.lines.some((l) => l.message.includes('index worker stopped')), 'no worker ended');
    });

    it('in file events (a branch switch): every file rewritten is indexed anew, only the new one that ends its worker is left out', async () => {
      await index.build();
      for (const [i, n] of names.entries()) writeFileSync(path.join(ws.root, n), `export function renamed${i}() { return ${i}; }\n`);
      poison('src/poison.ts');
      await Promise.all(['src/poison.ts', ...names].map((n) => index.updateFile(n)));
      assert.deepEqual(missing(), []);
      assert.deepEqual(
        names.filter((n, i) => index.files.get(n)?.definitions.map((d) => d.name).join() !== `renamed${i}`),
        [],
        'each file as it is now',
      );
      assert.equal(index.files.has('src/poison.ts'), false);
      assert.deepEqual(named(), ['src/poison.ts']);
    });

    it('once indexed, it goes when a change makes it end its worker (the files changed with it do not), and comes back when fixed', async () => {
      await index.build();
      const others = names.filter((n) => n !== 'src/f03.ts').slice(0, 12);
      for (const n of others) writeFileSync(path.join(ws.root, n), `export function edited() {}\n`);
      poison('src/f03.ts');
      await Promise.all(['src/f03.ts', ...others].map((n) => index.updateFile(n)));
      assert.equal(index.files.has('src/f03.ts'), false, 'its entry was of a text it no longer has');
      assert.deepEqual(named(), ['src/f03.ts']);
      assert.deepEqual(others.filter((n) => index.files.get(n)?.definitions.map((d) => d.name).join() !== 'edited'), []);
      writeFileSync(path.join(ws.root, 'src/f03.ts'), 'export function fixed() {}\n');
      await index.updateFile('src/f03.ts');
      assert.deepEqual(index.files.get('src/f03.ts')?.definitions.map((d) => d.name), ['fixed']);
      assert.deepEqual(missing(), []);
    });
  });

  it('stops trying files alone when workers keep dying: the rest fail as not known to be the cause', async () => {
    await pool.dispose();
    const dying = path.join(ws.root, 'dying-worker.cjs');
    writeFileSync(dying, "require('node:worker_threads').parentPort.on('message', () => process.exit(3));\n");
    const logger = recordingLogger();
    pool = new WorkerPoolBackend({ size: 1, script: { path: dying }, location, maxFileBytes: 256 * 1024, logger });
    const outcomes: FileOutcome[] = [];
    const one = (i: number): FileTask => ({ path: `f${i}.ts`, absPath: `${ws.root}/f${i}.ts`, size: 1, mtimeMs: 1 });
    await pool.processFiles(Array.from({ length: 6 }, (_, i) => one(i)), (o) => outcomes.push(o));
    assert.deepEqual(
      outcomes.map((o) => o.kind === 'skipped' && o.workerEnded),
      ['alone', 'alone', 'alone', 'among', 'among', 'among'],
    );
    assert.equal(pool.runningWorkers, 0);
    // (Only the death of the worker that held them all is logged: the index names the files.)
    assert.deepEqual(logger.lines, [{ level: 'warn', message: 'context: index worker stopped: index worker exited with code 3' }]);
  });

  it('keeps the entry of a file that failed among others in workers that kept dying', async () => {
    await pool.dispose();
    const logger = recordingLogger();
    const inProcess = new InProcessBackend(location, 256 * 1024, logger);
    let dying = false;
    const files: FileBackend = {
      processFiles: (tasks, onOutcome, signal) =>
        inProcess.processFiles(tasks, (o) => onOutcome(dying && o.kind === 'indexed' ? { kind: 'skipped', path: o.file.path, size: 1, mtimeMs: 2, reason: 'failed', message: 'index workers kept stopping', workerEnded: 'among' } : o), signal),
      dispose: () => Promise.resolve(),
    };
    const index = new WorkspaceIndex({ root: ws.root, backend: new SplitBackend(files, inProcess), logger, clock: systemClock });
    try {
      await index.build();
      const before = index.files.get('src/util.ts');
      assert.ok(before);
      writeFileSync(path.join(ws.root, 'src/util.ts'), 'export function changed() {}\n');
      writeFileSync(path.join(ws.root, 'src/brandNew.ts'), 'export function brandNew() {}\n');
      dying = true;
      await index.updateFile('src/util.ts');
      await index.updateFile('src/brandNew.ts');
      assert.equal(index.files.get('src/util.ts'), before, 'kept as it was');
      assert.equal(index.files.has('src/brandNew.ts'), false);
      // Tried again at the next build: the entry's size and mtime are not the file's.
      dying = false;
      await index.build();
      assert.deepEqual(index.files.get('src/util.ts')?.definitions.map((d) => d.name), ['changed']);
      assert.deepEqual(index.files.get('src/brandNew.ts')?.definitions.map((d) => d.name), ['brandNew']);
    } finally {
      await index.dispose();
    }
  });

  it('sizes worker heaps by the largest file allowed', () => {
    assert.deepEqual(workerHeapLimits(256 * 1024), { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 });
    assert.ok((workerHeapLimits(10 * 1024 * 1024).maxOldGenerationSizeMb ?? 0) > 400);
  });
});
