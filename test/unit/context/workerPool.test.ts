import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { InProcessBackend, SplitBackend } from '../../../src/core/context/extractionBackend';
import type { FileOutcome, FileTask } from '../../../src/core/context/fileProcessor';
import { workerScriptFromSource } from '../../../src/core/context/sourceLayout';
import { StoredFile } from '../../../src/core/context/storedFile';
import { portLink, startFirstParser, workerHeapLimits } from '../../../src/core/context/indexWorkerStart';
import { WorkerPoolBackend } from '../../../src/core/context/workerPool';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { CancellationError } from '../../../src/core/errors';
import { systemClock } from '../../../src/core/ports';
import { location, recordingLogger, snapshotOf, tempWorkspace } from './indexerHarness';

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
    const logger = recordingLogger();
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
    while (pool.runningWorkers > 0) await new Promise((resolve) => setTimeout(resolve, 5));
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

  it('tells of a first worker another thread started that dies, with what it died of: logged once, and the error of the files it had', async () => {
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
    assert.deepEqual(
      outcomes.map((o) => o.kind === 'skipped' && [o.reason, o.message]),
      [['failed', 'the grammar runtime broke']],
    );
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

  it('sizes worker heaps by the largest file allowed', () => {
    assert.deepEqual(workerHeapLimits(256 * 1024), { maxOldGenerationSizeMb: 96, maxYoungGenerationSizeMb: 8 });
    assert.ok((workerHeapLimits(10 * 1024 * 1024).maxOldGenerationSizeMb ?? 0) > 400);
  });
});
