// Dumps what the indexer extracts from every file of a materialised corpus, one JSON line per file in path
// order (FileData, packed references as arrays), so a change to the extractor can be checked for identical
// output: dump before, dump after, compare (e.g. `cmp`). `--declared` takes the parse workers' path instead
// (declareFile, a structured clone as a message makes, withReferences on the receiving side): the same output.
//   node --import tsx bench/extractionDump.ts <corpusRoot> <out.jsonl> [--declared]
import { createWriteStream } from 'node:fs';
import path from 'node:path';
import { once } from 'node:events';
import { FileProcessor, withReferences, type FileOutcome, type FileTask } from '../src/core/context/fileProcessor';
import { grammarLocationFromNodeModules } from '../src/core/context/sourceLayout';
import { TreeSitterLoader } from '../src/core/context/treeSitterLoader';
import { SETTINGS } from '../src/core/config/configSchema';
import { nullLogger } from '../src/core/ports';
import { readManifest } from './corpora';

async function main(): Promise<void> {
  const [root, out, mode] = process.argv.slice(2);
  if (!root || !out || (mode !== undefined && mode !== '--declared')) throw new Error('usage: extractionDump.ts <corpusRoot> <out.jsonl> [--declared]');
  const corpus = await readManifest(root);
  if (!corpus) throw new Error(`no materialised corpus at ${root}`);
  const loader = new TreeSitterLoader(grammarLocationFromNodeModules(), nullLogger);
  const processor = new FileProcessor(loader, SETTINGS['context.maxFileKB'].default * 1024, true);
  const extract = async (task: FileTask): Promise<FileOutcome> => {
    if (mode !== '--declared') return processor.processFile(task);
    const declared = structuredClone(await processor.declareFile(task));
    return declared.kind === 'declared' ? withReferences(declared.file) : declared;
  };
  const stream = createWriteStream(out);
  try {
    for (const file of [...corpus.files].map((f) => f.path).sort()) {
      const outcome = await extract({ path: file, absPath: path.join(root, file), size: 0, mtimeMs: 0 });
      const line = JSON.stringify(outcome, (_key, value: unknown) => (value instanceof Uint32Array || value instanceof Uint16Array ? Array.from(value) : value));
      if (!stream.write(`${line}\n`)) await once(stream, 'drain');
    }
  } finally {
    stream.end();
    await once(stream, 'finish');
    processor.dispose();
    await loader.dispose();
  }
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.stack : String(e));
  process.exit(1);
});
