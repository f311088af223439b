// Bundled and run as a plain worker thread by engineStart.test.ts, as the engine thread's loader runs in dist/: leaves
// the head start, then loads a second bundle (headStartEngineProbe) that takes it as the engine's does. Answers with
// the thread ids of the parse worker left and of the one the engine bundle got, its resource limits, and what the slot
// holds after.
import { createRequire } from 'node:module';
import { parentPort, workerData } from 'node:worker_threads';
import type { ContextHostWorkerData } from '../../../../src/core/context/contextHostProtocol';
import { leaveHeadStart, type EngineHeadStart } from '../../../../src/core/context/engineHeadStart';

const { engine, ...data } = workerData as ContextHostWorkerData & { engine: string };
leaveHeadStart(data);
const slot = globalThis as { [key: symbol]: EngineHeadStart | undefined };
const firstParser = slot[Symbol.for('contexten.engineHeadStart')]?.firstParser;
const taken = (createRequire(__filename)(engine) as { firstParser: number | undefined }).firstParser;
parentPort?.postMessage({ left: firstParser?.threadId, taken, limits: firstParser && 'resourceLimits' in firstParser ? firstParser.resourceLimits : undefined, slotAfter: slot[Symbol.for('contexten.engineHeadStart')] === undefined ? 'empty' : 'kept' });
