// Shared helpers for the indexer's tests: one grammar loader for all of them (grammars load once per
// process), temporary copies of fixture workspaces, a logger that records what it was told.
import { cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import assert from 'node:assert/strict';
import { crc32 } from '../../../src/core/context/crc32';
import { extractionAroundEdit } from '../../../src/core/context/documentUpdate';
import { editsBetween, FileProcessor } from '../../../src/core/context/fileProcessor';
import type { GrammarLocation } from '../../../src/core/context/grammarLocation';
import { resolvedFile, type Definition, type ImportEdge, type IndexedFile } from '../../../src/core/context/model';
import { grammarLocationFromNodeModules } from '../../../src/core/context/sourceLayout';
import { StoredFile } from '../../../src/core/context/storedFile';
import { extractFromTree, type PositionedExtraction } from '../../../src/core/context/symbolExtractor';
import { TreeSitterLoader } from '../../../src/core/context/treeSitterLoader';
import type { ScanFileSystem } from '../../../src/core/context/workspaceScanner';
import { systemClock, type Logger } from '../../../src/core/ports';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { FixtureIndex, referenceSpec, type FileSpec } from './builders';

export const FIXTURES = path.join(__dirname, '../../fixtures/context');

/** The bytes of a saved index without the checksum record that ends it (what the checksum covers, and the header). */
export function withoutChecksum(saved: Buffer): Buffer {
  const at = saved.lastIndexOf('["crc",');
  assert.ok(at >= 8, 'the saved index ends with its checksum');
  return saved.subarray(0, at - 8);
}

/**
 * A saved index's bytes (`withoutChecksum`, then changed) with a checksum record that matches them: damage the
 * checksum does not see, for the checks behind it (shapes, ranges, texts read later).
 */
export function resealed(body: Buffer): Buffer {
  const header = body.indexOf(10);
  const json = Buffer.from(JSON.stringify(['crc', crc32(body.subarray(Math.ceil((header + 1) / 4) * 4))]));
  const head = Buffer.alloc(8);
  head.writeUInt32LE(json.length, 0);
  return Buffer.concat([body, head, json, Buffer.alloc((4 - (json.length % 4)) % 4)]);
}

/**
 * Overwrites the compressed texts (signatures and doc comments) of one file in a saved index, and its checksum to
 * match (as if the texts had been written wrong): the index still loads (texts are checked when read) and reads them
 * as none.
 */
export function damageSavedTexts(savedIndexFile: string, relPath: string): void {
  const saved = readFileSync(savedIndexFile);
  const at = saved.indexOf(`["f",${JSON.stringify(relPath)}`);
  assert.ok(at > 0, `${relPath} is in the saved index`);
  // The record's head (8 bytes before its JSON) gives the length of its text part, whose last bytes are the compressed
  // texts; its integers follow, 4-byte aligned: size, counts of definitions, identifiers and imports, compressed bytes.
  const textEnd = at + saved.readUInt32LE(at - 8);
  const packedBytes = saved.readUInt32LE(((textEnd + 3) & ~3) + 4 * 4);
  assert.ok(packedBytes > 0, `${relPath}'s texts are compressed`);
  writeFileSync(savedIndexFile, resealed(withoutChecksum(Buffer.from(saved).fill(0xff, textEnd - packedBytes, textEnd))));
}

export const location: GrammarLocation = grammarLocationFromNodeModules();

export interface RecordingLogger extends Logger {
  readonly lines: { level: string; message: string }[];
}

export function recordingLogger(): RecordingLogger {
  const lines: { level: string; message: string }[] = [];
  const record =
    (level: string) =>
    (message: string | Error): void => {
      lines.push({ level, message: typeof message === 'string' ? message : message.message });
    };
  return { lines, trace: record('trace'), debug: record('debug'), info: record('info'), warn: record('warn'), error: record('error') };
}

let sharedLoader: TreeSitterLoader | undefined;

/** A loader shared by every test in the process. */
export function loader(): TreeSitterLoader {
  sharedLoader ??= new TreeSitterLoader(location, recordingLogger());
  return sharedLoader;
}

/** Extracts a source text as the indexer would (path decides the language). */
export async function extract(filePath: string, text: string): Promise<IndexedFile> {
  const processor = new FileProcessor(loader(), 1 << 20);
  try {
    return new StoredFile(await processor.processDocument(filePath, text));
  } finally {
    processor.dispose();
  }
}

/** Writes `content` to the file `rel` of the folder `root`, making the folders it lies in. */
export function write(root: string, rel: string, content: string | Buffer): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

/** A temporary copy of a fixture workspace (or an empty folder) in `parent`, removed by the returned function. */
export function tempWorkspace(fixture?: string, parent = tmpdir()): { root: string; cleanup: () => void } {
  const root = mkdtempSync(path.join(parent, 'contexten-index-'));
  if (fixture) cpSync(path.join(FIXTURES, fixture), root, { recursive: true });
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

/** The file an import resolves to (resolvedFile), or undefined: unresolved, or no such import. */
export function resolvedOf(edge: ImportEdge | undefined): string | undefined {
  return edge === undefined ? undefined : resolvedFile(edge);
}

/** Everything the index extracted, as plain data (for deep comparisons of two indexes). */
export function snapshotOf(files: ReadonlyMap<string, IndexedFile>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [p, f] of [...files].sort(([a], [b]) => (a < b ? -1 : 1))) {
    out[p] = { language: f.language, hash: f.hash, size: f.size, definitions: f.definitions, references: f.references, imports: f.imports, identifiers: f.identifiers };
  }
  return out;
}

/**
 * extractionAroundEdit's extraction of a TypeScript `text` with a syntax error after inserting `insert` at `at`, and
 * a fresh extraction of the result; `tamper` alters the previous extraction the edit starts from.
 */
export async function aroundAndFresh(
  text: string,
  at: number,
  insert: string,
  tamper?: (d: Definition) => Definition,
): Promise<{ around: PositionedExtraction | undefined; fresh: PositionedExtraction }> {
  const grammar = await loader().load('typescript');
  const tree = grammar.parser.parse(text);
  assert.ok(tree?.rootNode.hasError);
  const exact = extractFromTree('a.ts', 'typescript', text, tree, grammar.query, true);
  const previous = tamper ? { ...exact, definitions: exact.definitions.map(tamper) } : exact;
  const next = text.slice(0, at) + insert + text.slice(at);
  const [edit] = editsBetween(text, next, [{ start: at, deleteCount: 0, text: insert }]);
  assert.ok(edit);
  tree.edit(edit);
  const fresh = grammar.parser.parse(next);
  assert.ok(fresh);
  try {
    return {
      around: extractionAroundEdit(previous, { oldText: text, oldTree: tree, text: next, edit, templatesKnown: true }, 'a.ts', 'typescript', grammar.parser, grammar.query),
      fresh: extractFromTree('a.ts', 'typescript', next, fresh, grammar.query),
    };
  } finally {
    tree.delete();
    fresh.delete();
  }
}

/** An error as node:fs throws it. */
export function fsError(code: string, call: string, p: string): Error {
  return Object.assign(new Error(`${code}: failed, ${call} '${p}'`), { code });
}

/**
 * The real file system, except that the files in `unsearchable` directories cannot be stat'ed (a folder without
 * search permission: EACCES; or each such file a symlink loop: ELOOP) and the `unlistable` directories cannot be listed
 * (EACCES). The tests run as root too, where chmod restricts nothing: the failures are injected.
 */
export function failingFileSystem(failures: { unsearchable?: readonly string[]; unlistable?: readonly string[]; statCode?: string }): ScanFileSystem {
  const code = failures.statCode ?? 'EACCES';
  const listFails = (p: string): boolean => (failures.unlistable ?? []).includes(p);
  return {
    statSync: (p, options) => {
      if ((failures.unsearchable ?? []).includes(path.dirname(p))) throw fsError(code, 'stat', p);
      return statSync(p, options);
    },
    readdirSync: (p, options) => {
      if (listFails(p)) throw fsError('EACCES', 'scandir', p);
      return readdirSync(p, options);
    },
    readdir: async (p, options) => {
      if (listFails(p)) throw fsError('EACCES', 'scandir', p);
      return readdir(p, options);
    },
  };
}

/** The FileSpec of `text` as the indexer extracts it, its imports resolved to `resolved` (by specifier). */
export async function extractedSpec(path: string, text: string, resolved: Record<string, string> = {}): Promise<FileSpec> {
  const file = await extract(path, text);
  return {
    text,
    language: file.language,
    defs: file.definitions.map((d) => ({ name: d.name, kind: d.kind, lines: [d.startLine, d.endLine] })),
    refs: file.references.map((r) => referenceSpec(file, r)),
    imports: file.imports.map((i) => ({ source: i.source, names: [...i.names], line: i.line, ...(resolved[i.source] !== undefined ? { resolved: resolved[i.source] } : {}) })),
  };
}

/**
 * Array.ts imports Option.ts and Predicate.ts whole, defines a `some` of its own and calls Option's as `Option.some`
 * (effect's style): three `some`s in reach of the name, one meant.
 */
export async function namespaceWorkspace(): Promise<FixtureIndex> {
  const option = ['export interface Option<A> { readonly value?: A }', 'export function some<A>(value: A): Option<A> {', '  return { value };', '}', 'export function none<A>(): Option<A> {', '  return {};', '}', 'export function unused(): void {}', ''].join('\n');
  const predicate = 'export function some(xs: boolean[]): boolean {\n  return xs.includes(true);\n}\n';
  const array = [
    "import * as Option from './Option.js';",
    "import * as Predicate from './Predicate.js';",
    'export function some(xs: boolean[]): boolean {',
    '  return xs.includes(true);',
    '}',
    '/** The first element of an array, or none when it is empty. */',
    'export function head<A>(xs: A[]): Option.Option<A> {',
    '  return xs.length > 0 ? Option.some(xs[0]) : Option.none();',
    '}',
    'export const isPredicate = (x: unknown): x is typeof Predicate => typeof x === "object";',
    '',
  ].join('\n');
  return new FixtureIndex({
    'src/Option.ts': await extractedSpec('src/Option.ts', option),
    'src/Predicate.ts': await extractedSpec('src/Predicate.ts', predicate),
    'src/Array.ts': await extractedSpec('src/Array.ts', array, { './Option.js': 'src/Option.ts', './Predicate.js': 'src/Predicate.ts' }),
  });
}

/**
 * A WorkspaceIndex of the files under `root`, built with the grammars on this thread, and a RankingIndex synced to it;
 * the caller disposes the index.
 */
export async function builtAndRanked(root: string): Promise<{ index: WorkspaceIndex; ranking: RankingIndex }> {
  const logger = recordingLogger();
  const index = new WorkspaceIndex({ root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock, maxFileKB: 256 });
  await index.build();
  const ranking = new RankingIndex();
  ranking.sync(index);
  return { index, ranking };
}

/**
 * For the tests of the enclosing `describe` (call it in its body, before hooks that write files): a temporary
 * workspace made before each test and removed after it, and builtAndRanked over it — every index built disposed after
 * the test.
 */
export function workspacePerTest(): { readonly root: () => string; readonly build: () => Promise<{ index: WorkspaceIndex; ranking: RankingIndex }> } {
  let ws: { root: string; cleanup: () => void } | undefined;
  const opened: WorkspaceIndex[] = [];
  const root = (): string => {
    if (ws === undefined) throw new Error('workspacePerTest: no workspace outside a test');
    return ws.root;
  };
  beforeEach(() => {
    ws = tempWorkspace();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((i) => i.dispose()));
    ws?.cleanup();
    ws = undefined;
  });
  return {
    root,
    build: async () => {
      const built = await builtAndRanked(root());
      opened.push(built.index);
      return built;
    },
  };
}

