// Entry point of the engine thread (bundled to dist/engineThread.js, which dist/contextHostWorker.js loads:
// engineThreadLoader.ts); the engine itself is contextHostWorker.ts.
// engineHeadStartNow must stay the first import: its module takes (or starts) threads as it loads, before the
// engine's modules (the second import and all it imports) are evaluated.
import { engineHeadStart } from './engineHeadStartNow';
import { startEngine } from './contextHostWorker';

startEngine(engineHeadStart);
