// Saves the index to one JSON-lines file in the extension's storage folder and loads it back, so a reopened
// workspace is ready without re-parsing unchanged files. Compact: one string table for names, one line per
// file, numbers for positions. Every line is validated with zod on load; anything wrong (corrupt, truncated,
// another extractor version or another workspace) discards the whole cache with a log line, never a crash.
import { createReadStream } from 'node:fs';
import { mkdir, open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { z } from 'zod';
import { errorMessage, throwIfAborted } from '../errors';
import type { Logger } from '../ports';
import { contentHash, type SkipReason } from './fileProcessor';
import type { Definition, DefinitionKind, ImportEdge, LanguageId } from './model';
import { packedReferenceProblem, type FileData } from './storedFile';

/** Bump whenever extraction output changes, so caches written by an older extractor are not trusted. */
export const EXTRACTOR_VERSION = 2;
const FORMAT = 'contexten-context-index';

/** A file the index knows about but does not hold (binary content, parse failure). */
export interface SkippedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly reason: SkipReason;
}

export interface PersistedIndex {
  /** Imports come back as resolved when saved: valid as long as the set of files is the same. */
  readonly files: FileData[];
  readonly skipped: SkippedFile[];
}

/** The cache file of a workspace folder inside a storage folder (one per folder, keyed by its path). */
export function indexCacheFile(storageDir: string, root: string): string {
  return path.join(storageDir, `context-index-${contentHash(path.resolve(root)).slice(0, 16)}.jsonl`);
}

const KINDS: readonly DefinitionKind[] = ['function', 'class', 'method', 'interface', 'type', 'enum', 'const'];
const LANGUAGES = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'text'] as const satisfies readonly LanguageId[];
const SKIP_REASONS = ['binary', 'too-large', 'unreadable', 'failed'] as const satisfies readonly SkipReason[];

const int = z.number().int();
const nonNegative = z.number().int().min(0);
/**
 * Arrays of indexes and lines are the bulk of the file: the schema only checks they are arrays, and decoding
 * checks each element as it copies it (one pass instead of a schema per element).
 */
const intArray = z.custom<unknown[]>((v) => Array.isArray(v), 'an array');

/** Copies an array of unsigned 32-bit integers, rejecting anything else. */
function uint32s(values: readonly unknown[]): Uint32Array {
  const out = new Uint32Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new Error(`not an index: ${String(v)}`);
    out[i] = v;
  }
  return out;
}

const headerSchema = z.object({
  format: z.literal(FORMAT),
  version: z.literal(EXTRACTOR_VERSION),
  root: z.string(),
  files: nonNegative,
  skipped: nonNegative,
});

const stringsSchema = z.tuple([z.literal('strings'), z.array(z.string())]);

// [nameIdx, kind, containerIdx|-1, startLine, endLine, startIndex, endIndex, signature, signatureEndLine, doc|null, docStartLine|0, exported 0|1]
const definitionSchema = z.tuple([
  nonNegative, z.number().int().min(0).max(KINDS.length - 1), int, nonNegative, nonNegative, nonNegative, nonNegative,
  z.string(), nonNegative, z.string().nullable(), nonNegative, z.union([z.literal(0), z.literal(1)]),
]);
// [source, nameIdx[], line, resolved path | null] (resolution stays valid while no file is added or removed)
const importSchema = z.tuple([z.string(), intArray, nonNegative, z.string().nullable()]);
// ['f', path, language, size, mtimeMs, hash, definitions, imports, identifierIdx[], refs (FileData.refs triples)]
const fileSchema = z.tuple([
  z.literal('f'), z.string(), z.enum(LANGUAGES), nonNegative, z.number(), z.string(),
  z.array(definitionSchema), z.array(importSchema), intArray, intArray,
]);
// ['s', path, size, mtimeMs, reason]
const skippedSchema = z.tuple([z.literal('s'), z.string(), nonNegative, z.number(), z.enum(SKIP_REASONS)]);

class StringTable {
  private readonly index = new Map<string, number>();
  readonly values: string[] = [];

  id(s: string): number {
    let i = this.index.get(s);
    if (i === undefined) {
      i = this.values.length;
      this.values.push(s);
      this.index.set(s, i);
    }
    return i;
  }
}

function registerStrings(file: FileData, strings: StringTable): void {
  for (const d of file.definitions) {
    strings.id(d.name);
    if (d.container !== undefined) strings.id(d.container);
  }
  for (const e of file.imports) for (const n of e.names) strings.id(n);
  for (const s of file.identifiers) strings.id(s);
}

function encodeFile(file: FileData, strings: StringTable): unknown[] {
  const definitions = file.definitions.map((d) => [
    strings.id(d.name), KINDS.indexOf(d.kind), d.container === undefined ? -1 : strings.id(d.container),
    d.startLine, d.endLine, d.startIndex, d.endIndex, d.signature, d.signatureEndLine, d.doc ?? null, d.docStartLine ?? 0, d.exported ? 1 : 0,
  ]);
  const imports = file.imports.map((e) => [e.source, e.names.map((n) => strings.id(n)), e.line, e.resolved ?? null]);
  const identifiers = file.identifiers.map((s) => strings.id(s));
  return ['f', file.path, file.language, file.size, file.mtimeMs, file.hash, definitions, imports, identifiers, Array.from(file.refs)];
}

/**
 * Writes the index atomically (temporary file, then rename).
 * @throws CancellationError when the signal aborts (the previous cache stays in place).
 */
export async function saveIndex(
  storageDir: string,
  root: string,
  files: Iterable<FileData>,
  skipped: Iterable<SkippedFile>,
  signal?: AbortSignal,
): Promise<void> {
  await mkdir(storageDir, { recursive: true });
  const target = indexCacheFile(storageDir, root);
  const temp = `${target}.${process.pid}.tmp`;
  const all = [...files];
  const skippedAll = [...skipped];
  // First pass: the string table (written before the files that use it); second pass: one line per file.
  const strings = new StringTable();
  for (const f of all) registerStrings(f, strings);
  const header = { format: FORMAT, version: EXTRACTOR_VERSION, root: path.resolve(root), files: all.length, skipped: skippedAll.length };
  const handle = await open(temp, 'w');
  try {
    let chunk = `${JSON.stringify(header)}\n${JSON.stringify(['strings', strings.values])}\n`;
    const flush = async (force: boolean): Promise<void> => {
      if (!force && chunk.length < 1 << 20) return;
      throwIfAborted(signal);
      await handle.write(chunk);
      chunk = '';
    };
    for (const f of all) {
      chunk += `${JSON.stringify(encodeFile(f, strings))}\n`;
      await flush(false);
    }
    for (const sk of skippedAll) chunk += `${JSON.stringify(['s', sk.path, sk.size, sk.mtimeMs, sk.reason])}\n`;
    await flush(true);
  } catch (err) {
    await handle.close();
    await rm(temp, { force: true });
    throw err;
  }
  await handle.close();
  await rename(temp, target);
}

function decodeFile(row: z.infer<typeof fileSchema>, strings: readonly string[]): FileData {
  const [, filePath, language, size, mtimeMs, hash, defRows, importRows, identifierIds, refs] = row;
  const str = (i: number): string => {
    const s = strings[i];
    if (s === undefined) throw new Error(`string index ${i} out of range`);
    return s;
  };
  const strs = (values: readonly unknown[]): string[] => Array.from(uint32s(values), str);
  const definitions: Definition[] = defRows.map(([name, kind, container, startLine, endLine, startIndex, endIndex, signature, signatureEndLine, doc, docStartLine, exported]) => {
    const n = str(name);
    return {
      id: `${filePath}#${n}#${startLine}`,
      file: filePath,
      name: n,
      kind: KINDS[kind] ?? 'function',
      ...(container >= 0 ? { container: str(container) } : {}),
      startLine,
      endLine,
      startIndex,
      endIndex,
      signature,
      signatureEndLine,
      ...(doc !== null ? { doc } : {}),
      ...(docStartLine > 0 ? { docStartLine } : {}),
      exported: exported === 1,
    };
  });
  const imports: ImportEdge[] = importRows.map(([source, names, line, resolved]) =>
    resolved === null ? { source, names: strs(names), line } : { source, names: strs(names), line, resolved },
  );
  const data: FileData = { path: filePath, language, size, mtimeMs, hash, definitions, imports, identifiers: strs(identifierIds), refs: uint32s(refs) };
  const problem = packedReferenceProblem(data);
  if (problem !== undefined) throw new Error(`${filePath}: ${problem}`);
  return data;
}

/**
 * Loads the cache of a workspace folder. Undefined when there is none or it cannot be trusted (logged).
 * @throws CancellationError when the signal aborts.
 */
export async function loadIndex(
  storageDir: string,
  root: string,
  logger: Logger,
  signal?: AbortSignal,
  /** Maps each loaded name to the caller's shared instance of it. */
  intern: (s: string) => string = (s) => s,
): Promise<PersistedIndex | undefined> {
  const file = indexCacheFile(storageDir, root);
  const stream = createReadStream(file, { encoding: 'utf8' });
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  const files: FileData[] = [];
  const skipped: SkippedFile[] = [];
  let lineNo = 0;
  try {
    let header: z.infer<typeof headerSchema> | undefined;
    let strings: readonly string[] | undefined;
    for await (const line of lines) {
      lineNo++;
      if (lineNo % 256 === 0) throwIfAborted(signal);
      const value: unknown = JSON.parse(line);
      if (!header) {
        header = headerSchema.parse(value);
        if (header.root !== path.resolve(root)) throw new Error(`it belongs to ${header.root}`);
      } else if (!strings) {
        strings = stringsSchema.parse(value)[1].map(intern);
      } else if (Array.isArray(value) && value[0] === 's') {
        const [, p, size, mtimeMs, reason] = skippedSchema.parse(value);
        skipped.push({ path: p, size, mtimeMs, reason });
      } else {
        const row = fileSchema.parse(value);
        row[1] = intern(row[1]);
        files.push(decodeFile(row, strings));
      }
    }
    if (!header || !strings) throw new Error('it is incomplete');
    if (files.length !== header.files || skipped.length !== header.skipped) throw new Error('it is truncated');
    return { files, skipped };
  } catch (err) {
    throwIfAborted(signal);
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    const why = err instanceof z.ZodError ? `line ${lineNo} is malformed` : errorMessage(err);
    logger.warn(`context: discarding the saved index ${file} (${why}); the workspace will be re-indexed`);
    return undefined;
  } finally {
    lines.close();
    stream.destroy();
  }
}
