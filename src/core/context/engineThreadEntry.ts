// Entry point of the engine thread run from source (through tsx: sourceLayout.ts). In dist/, the loader
// (engineThreadLoader.ts) starts the bundled engine instead, with V8's code cache.
import { startEngine } from './contextHostWorker';

startEngine();
