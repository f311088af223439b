// What the engine thread starts before its own code is evaluated (engineThreadEntry.ts imports this module
// first, and its work starts as the module loads), so that it runs on the other core meanwhile: when building
// from nothing (no saved index to reopen), parse worker 0, whose start (its script, the tree-sitter runtime)
// then overlaps the engine's instead of following it. A reopen parses few files or none: its parse workers
// start on demand. Nothing is started when parsing is to stay on the engine thread (no parse workers).
import { existsSync } from 'node:fs';
import { workerData, type Worker } from 'node:worker_threads';
import type { ContextHostWorkerData } from './contextHostProtocol';
import { startIndexWorker } from './workerPool';

export interface EngineHeadStart {
  readonly firstParser?: Worker;
}

function headStart(data: ContextHostWorkerData): EngineHeadStart {
  if (data.parseWorkers === 0) return {};
  if (data.savedIndexFile !== undefined && existsSync(data.savedIndexFile)) return {};
  return { firstParser: startIndexWorker(data.parseWorkerScript, data.location, data.maxFileKB * 1024) };
}

export const engineHeadStart: EngineHeadStart = headStart(workerData as ContextHostWorkerData);
