// The two floors a context index is compared with: just reading the files, and reading + parsing
// them with web-tree-sitter on one thread without any extraction (the parse-only floor). Both read
// synchronously: the fastest way to get bytes in on one thread, so the floor really is a floor.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { CorpusFile } from './corpora';
import { elapsedMs } from './stats';
import { grammarForPath, loadGrammars, ParserPool } from './treeSitterGrammars';

export interface ReadOnlyTiming {
  readonly files: number;
  readonly bytes: number;
  readonly ms: number;
}

export interface ParseFloorTiming extends ReadOnlyTiming {
  /** Parser.init + loading the grammars the corpus needs. */
  readonly initMs: number;
  /** Time spent inside parse() alone. */
  readonly parseMs: number;
  /** Files whose tree has a syntax error node (a sanity check on the corpus). */
  readonly filesWithErrors: number;
}

export function measureReadOnly(root: string, files: readonly CorpusFile[]): ReadOnlyTiming {
  const start = performance.now();
  let bytes = 0;
  for (const f of files) bytes += readFileSync(path.join(root, f.path)).byteLength;
  return { files: files.length, bytes, ms: elapsedMs(start) };
}

/** Reads and parses every file that has a grammar; the total `ms` includes init, reading and parsing. */
export async function measureParseFloor(root: string, files: readonly CorpusFile[]): Promise<ParseFloorTiming> {
  const start = performance.now();
  const parseable = files.flatMap((f) => {
    const grammar = grammarForPath(f.path);
    return grammar ? [{ file: f, grammar }] : [];
  });
  const pool = new ParserPool(await loadGrammars(parseable.map((p) => p.grammar)));
  const initMs = elapsedMs(start);
  let parseMs = 0;
  let bytes = 0;
  let filesWithErrors = 0;
  try {
    for (const { file, grammar } of parseable) {
      const text = readFileSync(path.join(root, file.path), 'utf8');
      bytes += Buffer.byteLength(text);
      const t = performance.now();
      const tree = pool.parserFor(grammar).parse(text);
      parseMs += performance.now() - t;
      if (tree?.rootNode.hasError) filesWithErrors++;
      tree?.delete();
    }
  } finally {
    pool.dispose();
  }
  return { files: parseable.length, bytes, ms: elapsedMs(start), initMs, parseMs: Math.round(parseMs * 100) / 100, filesWithErrors };
}
