// Entry point of a scan thread (bundled to dist/scanWorker.js): lists the workspace's indexable files
// (scanWorkspace, the same rules as a scan on the engine thread) and posts them back in one message. The
// engine thread starts one when it reopens a saved index, so the scan runs on the other core while the
// engine loads its code and the saved index, instead of after them (scanInThread, engineHeadStart.ts).
import { parentPort, workerData } from 'node:worker_threads';
import { errorMessage } from '../errors';
import { scanWorkspace, WorkspaceFilter, type ScannedFile } from './workspaceScanner';

/** `workerData` of a scan thread. */
export interface ScanWorkerData {
  /** Absolute workspace folder. */
  readonly root: string;
  readonly exclude: readonly string[];
  readonly maxFileBytes: number;
}

export type FromScanWorker = { readonly type: 'files'; readonly files: ScannedFile[] } | { readonly type: 'error'; readonly message: string };

async function scan(): Promise<void> {
  const port = parentPort;
  if (!port) throw new Error('scanWorker must run in a worker thread');
  const { root, exclude, maxFileBytes } = workerData as ScanWorkerData;
  let message: FromScanWorker;
  try {
    const files: ScannedFile[] = [];
    for await (const f of scanWorkspace({ root, maxFileBytes }, new WorkspaceFilter(root, exclude))) files.push(f);
    message = { type: 'files', files };
  } catch (err) {
    message = { type: 'error', message: errorMessage(err) };
  }
  port.postMessage(message);
}

void scan();
