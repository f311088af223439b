// What the engine thread starts before its own code is evaluated (contextHostWorker.ts imports this module
// first, and its work starts as the module loads), so that it runs on the other core meanwhile:
// - building from nothing (no saved index to reopen): parse worker 0, whose start (its script, the tree-sitter
//   runtime) then overlaps the engine's instead of following it;
// - reopening a saved index: a scan thread (scanWorker.ts) listing the workspace while the engine loads its
//   code and the saved index. A reopen parses few files or none: its parse workers start on demand.
// Nothing is started when parsing is to stay on the engine thread (no parse workers), nor a scan thread on one core.
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { Worker, workerData } from 'node:worker_threads';
import type { ContextHostWorkerData } from './contextHostProtocol';
import type { FromScanWorker, ScanWorkerData } from './scanWorker';
import { startIndexWorker, type WorkerScript } from './workerPool';
import type { ScannedFile } from './workspaceScanner';

export interface EngineHeadStart {
  readonly firstParser?: Worker;
  /** The workspace's files as a scan thread found them; rejects if that thread failed. */
  readonly scan?: Promise<ScannedFile[]>;
}

/** Lists the workspace in a thread of its own (scanWorker.ts), which ends once it has answered. */
export function scanInThread(script: WorkerScript, data: ScanWorkerData): Promise<ScannedFile[]> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(script.path, { workerData: data, execArgv: [...(script.execArgv ?? [])] });
    worker.on('message', (message: FromScanWorker) => {
      if (message.type === 'files') resolve(message.files);
      else reject(new Error(message.message));
    });
    worker.on('error', reject);
    worker.on('exit', (code) => reject(new Error(`the scan thread exited with code ${code}`)));
  });
}

function headStart(data: ContextHostWorkerData): EngineHeadStart {
  if (data.parseWorkers === 0) return {};
  if (data.savedIndexFile === undefined || !existsSync(data.savedIndexFile)) {
    return { firstParser: startIndexWorker(data.parseWorkerScript, data.location, data.maxFileKB * 1024) };
  }
  // On one core a second thread only adds its start-up cost.
  if (availableParallelism() < 2) return {};
  const scan = scanInThread(data.scanWorkerScript, { root: data.root, exclude: data.exclude, maxFileBytes: data.maxFileKB * 1024 });
  scan.catch(() => undefined); // the build falls back to scanning on the engine thread
  return { scan };
}

export const engineHeadStart: EngineHeadStart = headStart(workerData as ContextHostWorkerData);
