// Entry point of the engine thread (bundled to dist/engineThread.js, which dist/contextHostWorker.js loads:
// engineThreadLoader.ts); the engine itself is contextHostWorker.ts.
import { startEngine } from './contextHostWorker';

startEngine();
