// Hand-built index fixtures for the context engine tests: files are given as text plus the
// definitions, references and imports an indexer would have extracted, so ranking and packing are
// tested without the parser.

import { createSeededRandom } from '../../../bench/seededRandom';
import { createHash } from 'node:crypto';
import type { Clock } from '../../../src/core/ports';
import type { RankingIndex } from '../../../src/core/context/rankingIndex';
import { importEdge, type Definition, type DefinitionKind, type ImportEdge, type IndexedFile, type IndexSnapshot, type LanguageId, type Reference } from '../../../src/core/context/model';

export interface DefinitionSpec {
  name: string;
  kind?: DefinitionKind;
  /** First and last line of the definition node (1-based, inclusive). */
  lines: [number, number];
  /** Last signature line; defaults to the first line. */
  signatureEndLine?: number;
  docStartLine?: number;
  doc?: string;
  container?: string;
  exported?: boolean;
}

export interface FileSpec {
  text: string;
  language?: LanguageId;
  defs?: DefinitionSpec[];
  /** `name@line`: the line gives the enclosing definition (the reference keeps only that); `name@0` is at the top level. */
  refs?: string[];
  /** With `targets` (MultiTargetImport), `resolved` is left out: the first target's file is the one it resolves to. */
  imports?: { source: string; names?: string[]; line: number; resolved?: string; targets?: { file: string; names: string[] }[] }[];
}

function lineOffsets(text: string): number[] {
  const offsets = [0];
  for (let i = 0; i < text.length; i++) if (text[i] === '\n') offsets.push(i + 1);
  return offsets;
}

/**
 * The `name@line` spec (FileSpec.refs) of an extracted file's reference: the first line of its enclosing definition,
 * which buildFile reads back as that definition (checked: one starting on the same line around it would be read), or 0.
 */
export function referenceSpec(file: Pick<IndexedFile, 'definitions'>, ref: Reference): string {
  // (A stored file makes its definitions anew on each read: read once, compared by id.)
  const definitions = file.definitions;
  const enclosing = ref.enclosing === undefined ? undefined : definitions.find((d) => d.id === ref.enclosing);
  if (enclosing === undefined) return `${ref.name}@0`;
  const line = enclosing.startLine;
  const read = definitions.filter((d) => d.startLine <= line && line <= d.endLine).sort((a, b) => b.startLine - a.startLine)[0];
  if (read?.id !== enclosing.id) throw new Error(`${ref.name}: line ${line} would be read as in ${read?.id ?? 'no definition'}, not ${enclosing.id}`);
  return `${ref.name}@${line}`;
}

export function buildFile(path: string, spec: FileSpec): IndexedFile {
  const lines = spec.text.split('\n');
  const offsets = lineOffsets(spec.text);
  const definitions: Definition[] = (spec.defs ?? []).map((d) => {
    const [startLine, endLine] = d.lines;
    const signatureEndLine = d.signatureEndLine ?? startLine;
    return {
      id: `${path}#${d.name}#${startLine}`,
      file: path,
      name: d.name,
      kind: d.kind ?? 'function',
      ...(d.container !== undefined ? { container: d.container } : {}),
      startLine,
      endLine,
      startIndex: offsets[startLine - 1] ?? 0,
      endIndex: (offsets[endLine - 1] ?? 0) + (lines[endLine - 1]?.length ?? 0),
      signature: lines.slice(startLine - 1, signatureEndLine).join('\n'),
      signatureEndLine,
      ...(d.doc !== undefined ? { doc: d.doc } : {}),
      ...(d.docStartLine !== undefined ? { docStartLine: d.docStartLine } : {}),
      exported: d.exported ?? true,
    };
  });
  const references: Reference[] = (spec.refs ?? []).map((r) => {
    const [name, lineText] = r.split('@');
    const line = Number(lineText);
    // Innermost = the containing definition that starts last.
    const enclosing = definitions.filter((d) => d.startLine <= line && line <= d.endLine).sort((a, b) => b.startLine - a.startLine)[0];
    return { name: name ?? '', ...(enclosing ? { enclosing: enclosing.id } : {}) };
  });
  const imports: ImportEdge[] = (spec.imports ?? []).map((i) => importEdge(i.source, i.names ?? [], i.line, i.targets ?? i.resolved));
  // (With the references' names, as an extraction's: a namespace's member is referenced qualified, `Option.some`.)
  const identifiers = [...new Set([...(spec.text.match(/[A-Za-z_$][A-Za-z0-9_$]*/g) ?? []), ...references.map((r) => r.name)])];
  return {
    path,
    language: spec.language ?? 'typescript',
    size: Buffer.byteLength(spec.text),
    mtimeMs: 0,
    hash: createHash('sha1').update(spec.text).digest('hex'),
    definitions,
    references,
    imports,
    identifiers,
  };
}

/** A mutable in-memory index: `put`/`remove` bump the version like the real workspace index does. */
export class FixtureIndex implements IndexSnapshot {
  version = 1;
  readonly files = new Map<string, IndexedFile>();
  private readonly texts = new Map<string, string>();
  /** Paths read through readText, in order (to observe caching and laziness). */
  readonly reads: string[] = [];

  constructor(files: Record<string, FileSpec> = {}) {
    for (const [path, spec] of Object.entries(files)) this.putQuietly(path, spec);
  }

  put(path: string, spec: FileSpec): this {
    this.putQuietly(path, spec);
    this.version++;
    return this;
  }

  remove(path: string): this {
    this.files.delete(path);
    this.texts.delete(path);
    this.version++;
    return this;
  }

  /** Changes the text only (as an unsaved editor would), without re-indexing; undefined = unreadable. */
  setTextOnly(path: string, text: string | undefined): void {
    if (text === undefined) this.texts.delete(path);
    else this.texts.set(path, text);
  }

  readText(path: string): Promise<string | undefined> {
    this.reads.push(path);
    return Promise.resolve(this.texts.get(path));
  }

  private putQuietly(path: string, spec: FileSpec): void {
    this.files.set(path, buildFile(path, spec));
    this.texts.set(path, spec.text);
  }
}

/** A clock whose time only moves when told to; counts sleeps and can run a hook on each. */
export function fixedClock(start = 1_000): Clock & { advance(ms: number): void; sleeps: number; onSleep: (() => void) | undefined } {
  let now = start;
  const clock = {
    sleeps: 0,
    onSleep: undefined as (() => void) | undefined,
    now: () => now,
    advance: (ms: number) => {
      now += ms;
    },
    sleep: (_ms: number, signal?: AbortSignal) => {
      clock.sleeps++;
      clock.onSleep?.();
      return signal?.aborted ? Promise.reject(new DOMException('aborted', 'AbortError')) : Promise.resolve();
    },
    setTimeout: () => ({ dispose: () => undefined }),
  };
  return clock;
}

/** The lines `start..end` (1-based, inclusive) of a text, as the packer must send them. */
export function linesOf(text: string, start: number, end: number): string {
  return text.split(/\r?\n/).slice(start - 1, end).join('\n');
}

/**
 * A Rust crate whose `src/lib.rs` imports a group, `use crate::net::{Conn, tcp};`: a name of the module the path names
 * (`Conn`, in src/net/mod.rs beside `Other`) and a module of it (src/net/tcp.rs, with `connect`).
 */
export function rustUseGroup(): Record<string, FileSpec> {
  return {
    'src/net/mod.rs': { text: 'pub struct Conn;\npub struct Other;\n', language: 'rust', defs: [{ name: 'Conn', lines: [1, 1] }, { name: 'Other', lines: [2, 2] }] },
    'src/net/tcp.rs': { text: 'pub fn connect() {}\n', language: 'rust', defs: [{ name: 'connect', lines: [1, 1] }] },
    'src/lib.rs': {
      text: 'use crate::net::{Conn, tcp};\n',
      language: 'rust',
      imports: [{ source: 'crate::net', names: ['Conn', 'tcp'], line: 1, targets: [{ file: 'src/net/tcp.rs', names: [] }, { file: 'src/net/mod.rs', names: ['Conn'] }] }],
    },
  };
}

/** A small TypeScript workspace: config parsing, a server using it, file helpers, strings and a cache. */
export function sampleWorkspace(): Record<string, FileSpec> {
  return {
    'src/config/parseConfig.ts': {
      text: [
        "import { readTextFile } from '../fs/readTextFile';",
        "import { ConfigSchema } from './schema';",
        '',
        '/**',
        ' * Reads the settings file at the given path and validates it.',
        ' */',
        'export function parseConfig(path: string): Config {',
        '  const raw = readTextFile(path);',
        '  return ConfigSchema.parse(JSON.parse(raw));',
        '}',
        '',
        'export interface Config {',
        '  port: number;',
        '  host: string;',
        '}',
        '',
      ].join('\n'),
      defs: [
        { name: 'parseConfig', lines: [7, 10], docStartLine: 4, doc: 'Reads the settings file at the given path and validates it.' },
        { name: 'Config', kind: 'interface', lines: [12, 15] },
      ],
      refs: ['readTextFile@8', 'ConfigSchema@9', 'Config@7'],
      imports: [
        { source: '../fs/readTextFile', names: ['readTextFile'], line: 1, resolved: 'src/fs/readTextFile.ts' },
        { source: './schema', names: ['ConfigSchema'], line: 2, resolved: 'src/config/schema.ts' },
      ],
    },
    'src/config/schema.ts': {
      text: ["import { z } from 'zod';", '', '/** Shape of the settings file. */', 'export const ConfigSchema = z.object({', '  port: z.number(),', '  host: z.string(),', '});', ''].join('\n'),
      defs: [{ name: 'ConfigSchema', kind: 'const', lines: [4, 7], docStartLine: 3, doc: 'Shape of the settings file.' }],
      imports: [{ source: 'zod', names: ['z'], line: 1 }],
    },
    'src/fs/readTextFile.ts': {
      text: ["import { readFileSync } from 'node:fs';", '', 'export function readTextFile(path: string): string {', "  return readFileSync(path, 'utf8');", '}', ''].join('\n'),
      defs: [{ name: 'readTextFile', lines: [3, 5] }],
      refs: ['readFileSync@4'],
    },
    'src/server/startServer.ts': {
      text: [
        "import { parseConfig } from '../config/parseConfig';",
        "import { HttpServer } from './httpServer';",
        '',
        'export function startServer(configPath: string): HttpServer {',
        '  const config = parseConfig(configPath);',
        '  const server = new HttpServer(config.port);',
        '  return server;',
        '}',
        '',
      ].join('\n'),
      defs: [{ name: 'startServer', lines: [4, 8] }],
      refs: ['parseConfig@5', 'HttpServer@6', 'HttpServer@4'],
      imports: [
        { source: '../config/parseConfig', names: ['parseConfig'], line: 1, resolved: 'src/config/parseConfig.ts' },
        { source: './httpServer', names: ['HttpServer'], line: 2, resolved: 'src/server/httpServer.ts' },
      ],
    },
    'src/server/httpServer.ts': {
      text: [
        '/** A tiny HTTP server. */',
        'export class HttpServer {',
        '  constructor(private readonly port: number) {}',
        '',
        '  /** Answers one request. */',
        '  handleRequest(path: string): string {',
        "    return path === '/' ? 'ok' : 'not found';",
        '  }',
        '',
        '  close(): void {',
        '    return;',
        '  }',
        '}',
        '',
      ].join('\n'),
      defs: [
        { name: 'HttpServer', kind: 'class', lines: [2, 13], docStartLine: 1, doc: 'A tiny HTTP server.' },
        { name: 'handleRequest', kind: 'method', container: 'HttpServer', lines: [6, 8], docStartLine: 5, doc: 'Answers one request.' },
        { name: 'close', kind: 'method', container: 'HttpServer', lines: [10, 12] },
      ],
    },
    'src/util/strings.ts': {
      text: [
        '/** Converts a camelCase or spaced phrase to kebab-case. */',
        'export function toKebabCase(text: string): string {',
        "  return splitWords(text).join('-');",
        '}',
        '',
        '/** Splits a sentence into lower-case words. */',
        'export function splitWords(text: string): string[] {',
        '  return text.toLowerCase().split(/\\s+/);',
        '}',
        '',
      ].join('\n'),
      defs: [
        { name: 'toKebabCase', lines: [2, 4], docStartLine: 1, doc: 'Converts a camelCase or spaced phrase to kebab-case.' },
        { name: 'splitWords', lines: [7, 9], docStartLine: 6, doc: 'Splits a sentence into lower-case words.' },
      ],
      refs: ['splitWords@3'],
    },
    'src/cache/lruCache.ts': {
      text: [
        '/**',
        ' * Keeps the most recently used entries and evicts the least recently used one when full.',
        ' */',
        'export class LruCache<K, V> {',
        '  private readonly map = new Map<K, V>();',
        '',
        '  constructor(private readonly capacity: number) {}',
        '',
        '  get(key: K): V | undefined {',
        '    return this.map.get(key);',
        '  }',
        '}',
        '',
      ].join('\n'),
      defs: [
        { name: 'LruCache', kind: 'class', lines: [4, 12], docStartLine: 1, doc: 'Keeps the most recently used entries and evicts the least recently used one when full.' },
        { name: 'get', kind: 'method', container: 'LruCache', lines: [9, 11] },
      ],
    },
    'docs/deployment.md': {
      language: 'text',
      text: ['# Deployment', '', 'Run the container behind a reverse proxy and set the port.', ''].join('\n'),
    },
  };
}

/** Deterministic pseudo-random numbers for generated fixtures (the bench's mulberry32). */
export const seededRandom = createSeededRandom;

const WORDS = ['parse', 'load', 'user', 'config', 'cache', 'render', 'token', 'stream', 'order', 'price', 'event', 'queue', 'file', 'path', 'query'];

/**
 * A generated workspace of `fileCount` files with documented functions, multi-line signatures,
 * classes with methods, and cross-file references: for property tests of ranking and packing.
 */
export function generatedWorkspace(seed: number, fileCount = 12): Record<string, FileSpec> {
  const random = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(random() * xs.length)] as T;
  const files: Record<string, FileSpec> = {};
  const allNames: string[] = [];
  for (let f = 0; f < fileCount; f++) {
    const path = `src/${pick(['core', 'ui', 'data'])}/module${f}.ts`;
    const lines: string[] = [];
    const defs: DefinitionSpec[] = [];
    const refs: string[] = [];
    const defCount = 2 + Math.floor(random() * 5);
    for (let d = 0; d < defCount; d++) {
      const name = `${pick(WORDS)}${pick(WORDS).replace(/^./, (c) => c.toUpperCase())}${f}x${d}`;
      allNames.push(name);
      let documented: { doc: string; docStartLine: number } | undefined;
      if (random() < 0.6) {
        documented = { doc: `Handles the ${pick(WORDS)} of a ${pick(WORDS)}.`, docStartLine: lines.length + 1 };
        lines.push('/**', ` * ${documented.doc}`, ' */');
      }
      const start = lines.length + 1;
      if (random() < 0.4) {
        lines.push(`export class ${name} {`);
        defs.push({ name, kind: 'class', lines: [start, start], ...documented });
        const methods = 1 + Math.floor(random() * 3);
        for (let m = 0; m < methods; m++) {
          const method = `${pick(WORDS)}${m}`;
          const mStart = lines.length + 1;
          lines.push(`  ${method}(value: string): string {`);
          const body = 1 + Math.floor(random() * 6);
          for (let b = 0; b < body; b++) lines.push(`    value = value + '${pick(WORDS)}'.repeat(${b});`);
          if (allNames.length > 1 && random() < 0.5) {
            const callee = pick(allNames.slice(0, -1));
            lines.push(`    ${callee}(value);`);
            refs.push(`${callee}@${lines.length}`);
          }
          lines.push('    return value;', '  }');
          defs.push({ name: method, kind: 'method', container: name, lines: [mStart, lines.length] });
        }
        lines.push('}');
        const cls = defs.find((x) => x.name === name && x.kind === 'class');
        if (cls) cls.lines = [start, lines.length];
      } else {
        const multiLine = random() < 0.3;
        if (multiLine) lines.push(`export function ${name}(`, '  input: string,', '): string {');
        else lines.push(`export function ${name}(input: string): string {`);
        const body = Math.floor(random() * 12);
        for (let b = 0; b < body; b++) lines.push(`  input = input.replace('${pick(WORDS)}', '${pick(WORDS)}');`);
        if (allNames.length > 1 && random() < 0.6) {
          const callee = pick(allNames.slice(0, -1));
          lines.push(`  ${callee}(input);`);
          refs.push(`${callee}@${lines.length}`);
        }
        lines.push('  return input;', '}');
        defs.push({ name, lines: [start, lines.length], signatureEndLine: multiLine ? start + 2 : start, ...documented });
      }
      lines.push('');
    }
    files[path] = { text: lines.join('\n'), defs, refs };
  }
  return files;
}

/**
 * Code formatted without semicolons, as effect's sources are: overloads as call signatures of an object type, one per
 * line, some generic, some after a doc comment; an interface with variance annotations. Both are gaps of the grammar
 * that readSource repairs.
 */
export const SEMICOLONLESS_OVERLOADS = [
  '/** Variance of a type. */',
  'export interface Variance<in out A, out E, in R> {',
  '  readonly _A: (_: A) => A',
  '  <B>(self: B): B',
  '}',
  '',
  '/** The element at an index. */',
  'export const getAt: {',
  '  (index: number): <K, V>(self: Tree<K, V>) => Option<[K, V]>',
  '  /**',
  '   * Data-first.',
  '   */',
  '  <K, V>(self: Tree<K, V>, index: number): Option<[K, V]>',
  '  <K>(self: Tree<K, never>): void',
  '} = internal.getAt',
  '',
  'export const forEach = <A>(self: Iterable<A>, f: (a: A) => void): void => {',
  '  for (const a of self) f(a)',
  '}',
  '',
].join('\n');

/** A class whose variance annotations (`in`, `out`) the grammar reads as a syntax error, with bodies long enough to be left out. */
export const VARIANCE = [
  "import { join } from './paths';",
  '',
  'export class Pool<in out K, out V> {',
  '  readonly size = 0;',
  '',
  '  /** Looks a key up. */',
  '  lookup(key: K): V | undefined {',
  "    const label = `lookup ${String(key)} in ${join('pool', 'entries')} of ${this.size} entries`;",
  '    return this.entries.get(key) ?? this.fallback(label, key);',
  '  }',
  '',
  '  fallback(label: string, key: K): V | undefined {',
  "    const message = `no ${label}: ${String(key)} (${this.size}) — see ${join('docs', 'pool.md')}`;",
  '    return this.log(message) ? undefined : undefined;',
  '  }',
  '}',
  '',
  '/** Makes a pool. */',
  'export const makePool = <K, V>(entries: ReadonlyArray<readonly [K, V]>): Pool<K, V> => {',
  '  const pool = new Pool<K, V>();',
  "  for (const [key, value] of entries) pool.add(key, value, `entry ${String(key)} of ${entries.length} in ${'pool'}`);",
  '  return pool;',
  '};',
  '',
  'export class Ledger<out A> {',
  '  record(entry: A): string {',
  '    if (this.closed) {',
  '      const reason = `closed after ${this.count} entries: ${JSON.stringify(entry)} arrived late and is dropped with the rest`;',
  '      throw new Error(reason);',
  '    }',
  '    const stamp = `${Date.now()} ${JSON.stringify(entry)} ${this.count} entries so far, the last one kept apart`;',
  '    return stamp.trim();',
  '  }',
  '',
  '  get count(): number {',
  '    return this.entries.length + this.pending.length + this.archived.length + this.rejected.length + 0;',
  '  }',
  '}',
  '',
  'export function drain(ledger: Ledger<string>, rounds: number): string[] {',
  '  const out: string[] = [];',
  '  for (let round = 0; round < rounds; round++) {',
  '    const line = ledger.record(`round ${round} of ${rounds}`);',
  '    if (line.length > 0) out.push(`${line} (${out.length} lines so far, ${rounds - round} rounds to go)`);',
  '  }',
  '  return out;',
  '}',
  '',
  'export function summary(pool: Pool<string, number>, ledger: Ledger<number>): string {',
  '  return `${pool.size} / ${ledger.count}: ${join(String(pool.lookup("a")), String(ledger.record(1)))} done`;',
  '}',
  '',
].join('\n');

/**
 * A module shaped like effect's Function.ts: a header the grammar cannot read (an object type of generic call
 * signatures with doc comments, the second one not indented, so unrepaired) before `blocks` documented constants,
 * overloads and classes, which error recovery turns into top-level fragments whose ends and starts share lines.
 */
export function brokenHeaderModule(blocks: number): string {
  const lines = [
    "import type { TypeLambda } from './hkt';",
    '',
    '/**',
    ' * Makes a function callable data-first or data-last.',
    ' */',
    'export const dual: {',
    '  /**',
    '   * Data-last.',
    '   */',
    '  <DataLast extends (...args: Array<any>) => any, DataFirst extends (...args: Array<any>) => any>(arity: Parameters<DataFirst>["length"], body: DataFirst): DataLast & DataFirst',
    '  /**',
    '   * Data-first.',
    '   */',
    // At the start of its line (not indented): a gap of the grammar that readSource does not repair, so this stays
    // a syntax error (indented, a `;` would be read before it).
    '<DataLast extends (...args: Array<any>) => any, DataFirst extends (...args: Array<any>) => any>(arity: number, body: DataFirst): DataLast & DataFirst',
    '} = function(arity, body) {',
    '  return function(this: any) {',
    '    return body.apply(this, arguments)',
    '  }',
    '}',
    '',
    '/**',
    ' * The identity function.',
    ' */',
    'export const identity = <A>(a: A): A => a',
    '',
  ];
  for (let i = 0; i < blocks; i++) {
    switch (i % 4) {
      case 0:
        lines.push('/**', ` * Constant ${i}, a \`LazyArg\`.`, ' *', ' * ```ts', ` * const c${i} = constant${i}(1)`, ' * ```', ' */', `export const constant${i} = <A>(value: A): LazyArg<A> => () => value`, '');
        break;
      case 1:
        lines.push(`export function pipe${i}<A>(a: A): A`, `export function pipe${i}<A, B = never>(a: A, ab: (a: A) => B): B`, `export function pipe${i}(a: unknown, ab?: Function): unknown {`, '  return ab ? ab(a) : a', '}', '');
        break;
      case 2:
        lines.push(`/** Tuples ${i}. */`, `export const tupled${i}: <A extends ReadonlyArray<unknown>, B>(f: (...a: A) => B) => (a: A) => B = (f) => (a) => f(...a)`, '');
        break;
      default:
        lines.push(`export class Box${i}<A> {`, '  constructor(readonly value: A) {}', `  map<B>(f: (a: A) => B): Box${i}<B> {`, `    return new Box${i}(f(this.value))`, '  }', '}', '');
    }
  }
  return lines.join('\n');
}

/** The labels of what the out-edges of `slot` reach, sorted: definitions as `file#name`, files as `file PATH`; with `otherFiles`, only definitions of other files than `file`. */
function edgeLabels(ranking: RankingIndex, slot: number, file: string, otherFiles: boolean): string[] {
  return ranking
    .edges(slot)
    .targets.flatMap((t) => {
      const n = ranking.node(t);
      if (n?.kind !== 'definition') return otherFiles ? [] : [`file ${n?.path ?? '?'}`];
      return otherFiles && n.def.file === file ? [] : [`${n.def.file}#${n.def.name}`];
    })
    .sort();
}

/** The definitions of other files `file`'s file node links to (its imports and top-level references), as file#name, sorted. */
export function linkedFromFileNode(ranking: RankingIndex, file: string): string[] {
  const entry = ranking.entry(file);
  return entry === undefined ? [] : edgeLabels(ranking, entry.fileSlot, file, true);
}

/**
 * What the out-edges of the definition `name` of `file` reach, sorted: definitions as `file#name`, files as `file PATH`;
 * with `otherFiles`, only definitions of other files than `file`.
 */
export function linkedFrom(ranking: RankingIndex, file: string, name: string, otherFiles = false): string[] {
  const slot = ranking.entry(file)?.definitionSlots.find((s) => {
    const n = ranking.node(s);
    return n?.kind === 'definition' && n.def.name === name;
  });
  if (slot === undefined) throw new Error(`${file}#${name} is not ranked`);
  return edgeLabels(ranking, slot, file, otherFiles);
}

/**
 * Every live node's out-edges as `target=weight` labels (definition ids, `file:path`), sorted: compares an
 * incrementally kept ranking index with a fresh one whatever their slot numbers.
 */
export function describeEdges(index: RankingIndex): Map<string, string[]> {
  const label = (slot: number): string => {
    const n = index.node(slot);
    return n?.kind === 'definition' ? n.def.id : `file:${n?.path ?? '?'}`;
  };
  const out = new Map<string, string[]>();
  for (let slot = 0; slot < index.capacity; slot++) {
    if (!index.node(slot)) continue;
    const { targets, weights } = index.edges(slot);
    out.set(label(slot), targets.map((t, i) => `${label(t)}=${(weights[i] ?? 0).toFixed(9)}`).sort());
  }
  return out;
}
