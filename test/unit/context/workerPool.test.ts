import assert from 'node:assert/strict';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import type { FileOutcome, FileTask } from '../../../src/core/context/fileProcessor';
import { workerScriptFromSource } from '../../../src/core/context/sourceLayout';
import { StoredFile } from '../../../src/core/context/storedFile';
import { workerHeapLimits, WorkerPoolBackend } from '../../../src/core/context/workerPool';
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
    const inWorkers = new WorkspaceIndex({ root: ws.root, backend: pool, logger, clock: systemClock });
    const inProcess = new WorkspaceIndex({ root: ws.root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock });
    const a = await inWorkers.build();
    const b = await inProcess.build();
    await inProcess.dispose();
    assert.equal(a.files, b.files);
    assert.deepEqual(snapshotOf(inWorkers.files), snapshotOf(inProcess.files));
    assert.deepEqual(logger.lines.filter((l) => l.level === 'warn' || l.level === 'error'), []);
  });

  it('re-parses open documents incrementally in a worker', async () => {
    const first = await pool.processDocument('doc.ts', 'export function one() {}\n', []);
    const second = await pool.processDocument('doc.ts', 'export function one() {}\nexport function two() {}\n', [{ start: 25, deleteCount: 0, text: 'export function two() {}\n' }]);
    assert.deepEqual(new StoredFile(first.file).definitions.map((d) => d.name), ['one']);
    assert.deepEqual(new StoredFile(second.file).definitions.map((d) => d.name), ['one', 'two']);
    assert.equal(second.needsSettling, false, 'no syntax errors: the incremental tree is exact');
    pool.closeDocument('doc.ts');
  });

  it('settles a document re-parsed around syntax errors in its worker, after the edits posted before', async () => {
    const text = 'export function one() {\n  return 1;\n}\n';
    const clean = await pool.processDocument('doc.ts', text, []);
    assert.equal(clean.needsSettling, false, 'parsed from scratch');
    assert.deepEqual(await pool.settleDocument('doc.ts'), { kind: 'exact' });
    const broken = `${text}export function two( {\n`;
    const edited = await pool.processDocument('doc.ts', broken, [{ start: text.length, deleteCount: 0, text: 'export function two( {\n' }]);
    assert.equal(edited.needsSettling, true);
    // Posted back to back: the worker takes the edit first, then settles the text it left.
    const more = `${broken}  return 2;\n`;
    const [, outcome] = await Promise.all([pool.processDocument('doc.ts', more), pool.settleDocument('doc.ts')]);
    assert.equal(outcome.kind, 'settled');
    assert.deepEqual(await pool.settleDocument('doc.ts'), { kind: 'exact' }, 'settled once is enough');
    pool.closeDocument('doc.ts');
    const fresh = await pool.processDocument('doc.ts', more); // opened again: parsed from scratch
    assert.deepEqual(outcome.kind === 'settled' ? outcome.file : undefined, fresh.file);
    pool.closeDocument('doc.ts');
  });

  it('starts a second worker only when the first is busy, and stops it when the files are done', async () => {
    const one = (i: number): FileTask => ({ path: `missing-${i}.ts`, absPath: `${ws.root}/missing-${i}.ts`, size: 1, mtimeMs: 1 });
    await pool.processDocument('doc.ts', 'export function one() {}\n');
    await pool.processFiles([one(0)], () => undefined);
    assert.equal(pool.runningWorkers, 1, 'one file while the document worker is idle');
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
