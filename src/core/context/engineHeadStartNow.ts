// The engine's head start (engineHeadStart.ts), taken or started as this module loads: engineThreadEntry.ts imports
// it first, before the engine's modules are evaluated.
import { workerData } from 'node:worker_threads';
import type { ContextHostWorkerData } from './contextHostProtocol';
import { takeHeadStart, type EngineHeadStart } from './engineHeadStart';

export const engineHeadStart: EngineHeadStart = takeHeadStart(workerData as ContextHostWorkerData);
