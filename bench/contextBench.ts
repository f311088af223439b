// Context engine measurements for one corpus (wired to the indexer and engine once they land).
import type { EngineResult } from './benchReport';
import type { Corpus } from './corpora';

export interface EngineBenchOptions {
  readonly runs: number;
  readonly log: (line: string) => void;
}

export function measureContextEngine(_corpus: Corpus, _options: EngineBenchOptions): Promise<EngineResult | { unavailable: string }> {
  return Promise.resolve({ unavailable: 'the indexer and context engine are not on this branch yet' });
}
