// Indexes a corpus copy for the eval with the product's workspace indexer (on this thread, no storage).
import { SETTINGS } from '../src/core/config/configSchema';
import { InProcessBackend } from '../src/core/context/extractionBackend';
import { grammarLocationFromDist } from '../src/core/context/grammarLocation';
import { WorkspaceIndex } from '../src/core/context/workspaceIndex';
import { nullLogger, systemClock } from '../src/core/ports';
import { buildBenchBinaries } from './benchBuild';

export async function indexForEval(root: string): Promise<WorkspaceIndex> {
  const { distDir } = await buildBenchBinaries();
  const maxFileKB = SETTINGS['context.maxFileKB'].default;
  const backend = new InProcessBackend(grammarLocationFromDist(distDir), maxFileKB * 1024, nullLogger);
  const index = new WorkspaceIndex({ root, backend, logger: nullLogger, clock: systemClock, maxFileKB });
  await index.build();
  return index;
}
