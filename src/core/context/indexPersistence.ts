// Saves the index to one file in the extension's storage folder and loads it back, so a reopened workspace
// is ready without re-parsing unchanged files. Compact and quick to read: a JSON header line, then records
// of a small JSON part (paths, hashes; a file's signatures and docs follow it, compressed: definitionTexts.ts) and a binary part
// (every string-table index and line number, as little-endian 32-bit integers), read in chunks so a large index
// never sits in memory twice.
// The header and every record's JSON part are checked for their shape on load, the integers by range as they are
// decoded (plain checks, not zod: the engine thread would load zod and build schemas for them before a reopened
// index is ready, and reads nothing else with it), and the records against the CRC-32 the last record holds (damage
// that leaves the shape readable — a letter of a name, a line number); anything wrong (corrupt, truncated, another
// extractor version or another workspace) discards the whole cache with a log line, never a crash. The compressed
// texts are inflated (and checked again) only when read, long after the load: texts that fail then (what the checksum
// cannot see: texts written wrong) read as none and their file is saved as one to parse again (definitionTexts.ts,
// encodeFile).
import { mkdir, open, readdir, rename, rm, stat, type FileHandle } from 'node:fs/promises';
import path from 'node:path';
import { errorMessage, throwIfAborted } from '../errors';
import type { Logger } from '../ports';
import { contentHash, type SkipReason } from './fileProcessor';
import { importEdge, NO_NAMES, type ImportEdge, type ImportTarget, type LanguageId } from './model';
import { DEFINITION_NUMBERS, DefinitionColumns } from './definitionColumns';
import { NO_TEXTS, PackedTexts, packTexts, type DefinitionTexts, type PlainTexts } from './definitionTexts';
import { keptAsIs, type InternedStrings, type InternedSubset } from './internedStrings';
import { crc32 } from './crc32';
import { syncWhereOffered } from './fileSync';
import { TypedArraySlabs } from './typedArraySlabs';
import { TargetLists } from './targetLists';
import { definitionReaderOf, identifierAt, identifierCount, narrowIds, narrowRefs, NO_DEFINITIONS, NO_IDENTIFIERS, packedReferenceProblem, StoredFile, type FileData } from './storedFile';

/**
 * Bump whenever extraction output changes, so caches written by an older extractor are not trusted (14: a JS/TS default
 * import's names are `default`, then its local name, no longer the local name alone; Unicode white space and the BOM
 * are no part of an identifier, `=\u00a0helper`; a text file's words are whole in any script; Python 3.12's `type X =
 * …`, a Go interface's methods, a Rust doc comment above attributes with another below them, a `#[macro_export]`
 * macro exported; 15: doc comments between a Rust item's attributes are its doc, in order, and no part of its
 * signature; a name imported under another local name is followed by it among the import's names, `as total` — JS/TS
 * `{ cartTotal as total }`, `{ a: b } = require()` and a default import's, Python's `from … import x as y`, Rust's
 * `use …::x as y` — model.ts localNameEntry; 16: a JS/TS top-level definition the file exports as its default by name,
 * `export default api;`, `export { api as default }`, `module.exports = api`, `export = api`, is marked so —
 * Definition.exportedAsDefault; 17: a JS/TS namespace import, `import * as Option from`, has a second edge with its
 * local name, and its members are referenced qualified, `Option.some` — model.ts namespaceNameOf; 18: Python's `import x`
 * / `import x as y` and Go's package imports are namespace imports too, `x.run`, `user.New`; a JS/TS re-export's new
 * name follows the name as a local name does, `export { default as Button } from` → `default`, `as Button`; `export *
 * as ns from` is read as `import * as ns` is, and `import D, * as M from` has the whole-module edge too; a namespace's
 * member is qualified through `?.` and across white space, `Option\n  .some`; 20: a JS/TS module's own names exported
 * under others, `export { void_ as void }` without `from`, are an edge of its own — model.ts OWN_EXPORTS_SOURCE (19 was
 * a change undone before it shipped); 21: references are [identifier, enclosing definition + 1] pairs, no longer
 * triples with a line between: read as pairs, an older index's references would be misread; 22: a member of a Python
 * `from … import` name is recorded apart, `views:index` of `from pkg import views`, its own name still a reference —
 * model.ts fromImportMemberName).
 */
export const EXTRACTOR_VERSION = 22;
const FORMAT = 'contexten-context-index';
/**
 * Bump whenever the file layout changes (7: a checksum record ends the file; 8: an import with targets holds their
 * count where another holds its resolved file, no longer also its first target's file).
 */
const LAYOUT = 8;
/** The kind of the last record: ['crc', CRC-32 of the file's bytes before it]. */
const CHECKSUM_RECORD = 'crc';
/**
 * Bump whenever import resolution changes (or was found wrong): a cache saved with another one comes back with its
 * files, their imports to be resolved again (2: resolutions not redone when a file was added or removed, before; 3:
 * on a disk that folds case, imports spelled otherwise than their files resolve; 4: Go's standard library never
 * resolves to a workspace folder of its name, a module named without a dot does; 5: `.`, `..` and `x/` name a directory's
 * index only, Node's built-in modules and Python's standard library never resolve by guess or suffix, `import static
 * a.b.C.*` reaches C; 6: a Python standard-library name reaches a module beside or above the importer that is in no
 * package; 7: Go imports by go.mod's module path, Rust crate roots as Cargo finds them and bare paths only from them,
 * a Python package before a module of its name; 8: go.mod's and go.work's local `replace` directives, go.work's
 * modules before other copies of their module paths, and Rust 2015's bare paths from the crate root; 9: bare TS/JS
 * specifiers by tsconfig.json's and jsconfig.json's `paths` and baseUrl, and by workspace packages' names; 10: a Rust
 * `use` of a module by name reaches its file, a Go package's import no doc.go beside its other files; 11: an import
 * reaches several files, ImportEdge.targets — a Go package's files, each item of a Rust `use` group or a Python `from …
 * import` where it resolves, a module by name as a whole-module import; 12: in a multi-root workspace, a configuration
 * file's relative path — tsconfig.json's `paths`, baseUrl and `extends`, go.mod's `replace`, go.work's `use` — reaches
 * the folder where it leads on disk (one nested in its own too; folded case where the disk folds it), not one named as
 * its directory; a `paths` target whose `*` names the folder it climbs to, `../*` + `/src`, once filled in; 13: a `*`
 * climbing by `..\` is not filled in, as by `../`; 14: a Java wildcard import reaches every .java file of its
 * package's folder, not its first; 15: of a package of more than 32 files, those of the classes its importer names
 * first). A disk folds case or not for good, and a workspace elsewhere is another cache file, so what it was saved with
 * holds when it is read.
 */
const RESOLVER_VERSION = 15;

/** A file the index knows about but does not hold (binary content, parse failure). */
export interface SkippedFile {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  readonly reason: SkipReason;
}

export interface PersistedIndex {
  /**
   * Imports come back as resolved when saved: valid as long as the set of files is the same (and `importsStale` is
   * false). Files come back as the index keeps them (definitions in columns, not made as objects only to be packed).
   */
  readonly files: StoredFile[];
  readonly skipped: SkippedFile[];
  /** The cache was saved by another import resolution: every import must be resolved again. */
  readonly importsStale: boolean;
}

/**
 * The cache file of a workspace inside a storage folder (one per workspace, keyed by its identity: FolderPaths.identity,
 * the absolute path of a single folder).
 */
export function indexCacheFile(storageDir: string, root: string): string {
  return path.join(storageDir, `context-index-${rootKey(root)}.bin`);
}

/** The cache file of the previous layout (JSON lines), removed when the index is saved. */
function legacyCacheFile(storageDir: string, root: string): string {
  return path.join(storageDir, `context-index-${rootKey(root)}.jsonl`);
}

function rootKey(root: string): string {
  return contentHash(root).slice(0, 16);
}

const LANGUAGES = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java', 'text'] as const satisfies readonly LanguageId[];
const SKIP_REASONS = ['binary', 'too-large', 'unreadable', 'failed'] as const satisfies readonly SkipReason[];
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Integers per definition: its numbers as DefinitionColumns keeps them, then (after every definition's numbers) name and container + 1. */
const DEFINITION_INTS = DEFINITION_NUMBERS + 2;
/** Bytes before a record's text part (its JSON, then a file's texts): the text part's length and the number of integers after it. */
const RECORD_HEAD_BYTES = 8;
/** Bytes read from the file at a time (more when one record is larger). */
const READ_CHUNK_BYTES = 1 << 20;
/** The most bytes one read asks for (Node 24 aborts the process, no exception, on a read of 2 GiB or more). */
const MAX_READ_BYTES = 1 << 30;
/** The longest header line read (a short JSON object; past this, the file is no saved index). */
const MAX_HEADER_BYTES = 1 << 20;
/** Bytes gathered before each write (records larger than this are written in pieces). */
const WRITE_CHUNK_BYTES = 1 << 20;
/** Strings of the string table encoded at a time. */
const STRINGS_PER_PIECE = 4096;

/** A record whose JSON part does not have the shape its kind has (a corrupt or foreign file). */
class MalformedRecord extends Error {}

/** A saved index of ours in another layout, extractor version or byte order (saved by another version of the extension). */
class OtherVersion extends Error {}

function isNonNegativeInteger(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0;
}

function isStringArray(v: unknown): v is string[] {
  if (!Array.isArray(v)) return false;
  for (const s of v) if (typeof s !== 'string') return false;
  return true;
}

/**
 * A folder of the workspace a saved index was saved for: its path and its prefix there ('' for the one folder of a
 * single-folder workspace). What lets another workspace with that folder adopt its files (savedIndexAdoption.ts).
 */
export interface SavedFolder {
  readonly prefix: string;
  /** Absolute, resolved (IndexedFolder.root). */
  readonly root: string;
}

interface Header {
  readonly root: string;
  readonly files: number;
  readonly skipped: number;
  readonly resolver: unknown;
  /** Undefined in an index saved before the header listed them (loadable for its own workspace, never adopted). */
  readonly folders: readonly SavedFolder[] | undefined;
}

/** The header's `folders`: [[prefix, root], …] (absent in older indexes). */
function parseFolders(v: unknown): SavedFolder[] | undefined {
  if (v === undefined) return undefined;
  if (!Array.isArray(v) || v.length === 0) throw new MalformedRecord();
  return v.map((f: unknown) => {
    if (!Array.isArray(f) || f.length !== 2 || typeof f[0] !== 'string' || typeof f[1] !== 'string') throw new MalformedRecord();
    return { prefix: f[0], root: f[1] };
  });
}

function parseHeader(v: unknown): Header {
  if (typeof v !== 'object' || v === null) throw new MalformedRecord();
  const h = v as Record<string, unknown>;
  if (h.format !== FORMAT) throw new MalformedRecord();
  if (h.layout !== LAYOUT || h.version !== EXTRACTOR_VERSION || h.littleEndian !== LITTLE_ENDIAN) throw new OtherVersion();
  if (typeof h.root !== 'string' || !isNonNegativeInteger(h.files) || !isNonNegativeInteger(h.skipped)) throw new MalformedRecord();
  return { root: h.root, files: h.files, skipped: h.skipped, resolver: h.resolver, folders: parseFolders(h.folders) };
}

/** ['strings', values] */
function parseStrings(v: unknown): string[] {
  if (!Array.isArray(v) || v.length !== 2 || v[0] !== 'strings' || !isStringArray(v[1])) throw new MalformedRecord();
  return v[1];
}

/** With the signatures and docs in the JSON when they hold half a character (see encodeFile), else after it, compressed. */
type FileRecord = [kind: 'f', path: string, language: LanguageId, mtimeMs: number, hash: string, signatures?: string, docs?: string];
const LANGUAGE_SET: ReadonlySet<unknown> = new Set(LANGUAGES);
// ['f', path, language, mtimeMs, hash], then (in the record's text part, after the JSON) the definitions' signatures
// and docs joined as DefinitionColumns keeps them, compressed (PackedTexts: kept so when loaded, inflated when read;
// no JSON to scan and copy them out of, no string per definition); the integers: size, the counts of definitions,
// identifiers and imports, the bytes of the compressed texts and the UTF-16 lengths of the signatures and of both,
// the definitions' numbers (DefinitionColumns.parts, DEFINITION_NUMBERS each),
// their names and containers + 1 (2 each), identifier indexes, per import [source, resolved + 1 (0: none) or its
// count of targets (WITH_TARGETS), line, name count, names…, its targets if any] (resolution stays valid while no file
// is added or removed), then FileData.refs pairs.
function parseFileRecord(v: unknown): FileRecord {
  const valid =
    Array.isArray(v) &&
    (v.length === 5 || (v.length === 7 && typeof v[5] === 'string' && typeof v[6] === 'string')) &&
    v[0] === 'f' &&
    typeof v[1] === 'string' &&
    LANGUAGE_SET.has(v[2]) &&
    typeof v[3] === 'number' &&
    Number.isFinite(v[3]) &&
    typeof v[4] === 'string';
  if (!valid) throw new MalformedRecord();
  return v as FileRecord;
}

/** Integers before a file's definitions: size, counts and its texts' bytes and lengths. */
const FILE_HEAD_INTS = 7;
/**
 * Set in an import's count of names when its targets (MultiTargetImport) follow its names: each target's file, count
 * of names and names, as many as the import's second integer says (where an import without targets has its resolved
 * file: the first target's file is not written twice).
 */
const WITH_TARGETS = 0x8000_0000;

const SKIP_REASON_SET: ReadonlySet<unknown> = new Set(SKIP_REASONS);

const NO_BYTES = new Uint8Array(0);

/**
 * The modification time saved for a file whose texts were found unreadable (not DOCUMENT_MTIME's -1: a time no scan
 * gives): the next build reads the file again, and parses it whatever its content hash (WorkspaceIndex.knownHash).
 */
export const UNREADABLE_MTIME = -2;

/** ['s', path, size, mtimeMs, reason] */
function parseSkipped(v: readonly unknown[]): SkippedFile {
  const [kind, p, size, mtimeMs, reason] = v;
  if (v.length !== 5 || kind !== 's' || typeof p !== 'string' || !isNonNegativeInteger(size) || typeof mtimeMs !== 'number' || !Number.isFinite(mtimeMs) || !SKIP_REASON_SET.has(reason)) {
    throw new MalformedRecord();
  }
  return { path: p, size, mtimeMs, reason: reason as SkipReason };
}

/**
 * The strings a save writes, numbered in the order first used. Strings the index interned (`shared`) are numbered
 * through a typed array over their shared numbers, the rest through a map: at the end of a cold build, when the
 * index's memory peaks, a map of every distinct string (~150,000 at 50,000 synthetic files) would come on top.
 */
class StringTable {
  private readonly index = new Map<string, number>();
  /** Per shared number, this table's number + 1 (0: not used yet). */
  private readonly sharedIndex: Int32Array;
  readonly values: string[] = [];

  constructor(private readonly shared?: InternedStrings) {
    this.sharedIndex = new Int32Array(shared?.size ?? 0);
  }

  id(s: string): number {
    const sharedId = this.shared?.idOf(s);
    if (sharedId !== undefined && sharedId < this.sharedIndex.length) {
      const known = this.sharedIndex[sharedId] ?? 0;
      if (known > 0) return known - 1;
      this.sharedIndex[sharedId] = this.values.push(s);
      return this.values.length - 1;
    }
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
  // (Read from the columns: no definition objects are made for this pass.)
  const definitions = definitionReaderOf(file);
  for (let i = 0; i < definitions.length; i++) {
    strings.id(definitions.nameAt(i));
    const container = definitions.containerAt(i);
    if (container !== undefined) strings.id(container);
  }
  for (const e of file.imports) {
    strings.id(e.source);
    if (e.resolved !== undefined) strings.id(e.resolved);
    for (const n of e.names) strings.id(n);
    for (const t of e.targets ?? []) {
      strings.id(t.file);
      for (const n of t.names) strings.id(n);
    }
  }
  for (let i = 0, n = identifierCount(file); i < n; i++) strings.id(identifierAt(file, i));
}

/**
 * Writes records through one reused chunk buffer, each record's integers 4-byte aligned in the file: a save
 * allocates no per-record buffers (a large index would otherwise leave as much garbage as the file is big).
 */
class RecordWriter {
  private readonly chunk = new Uint8Array(WRITE_CHUNK_BYTES);
  private readonly view = new DataView(this.chunk.buffer);
  private readonly encoder = new TextEncoder();
  /** Bytes of the chunk not yet written (the chunk always starts at a 4-byte aligned file offset). */
  private pending = 0;
  /** Bytes written to the file (where the chunk starts). */
  private written = 0;
  /** The CRC-32 of the records written to the file (not of the header line: its fields are checked one by one). */
  private crc = 0;
  /** Bytes at the chunk's start the checksum leaves out (the header line, until the chunk is written). */
  private unchecked = 0;

  constructor(private readonly handle: FileHandle) {}

  async header(value: unknown): Promise<void> {
    await this.text(`${JSON.stringify(value)}\n`);
    this.pad();
    if (this.written > 0) throw new Error('the header line is longer than a chunk');
    this.unchecked = this.pending;
  }

  /** @param after written after the JSON, in the record's text part (a file's compressed texts). */
  async record(json: unknown, ints: Uint32Array = new Uint32Array(0), after: Uint8Array = NO_BYTES): Promise<void> {
    const text = JSON.stringify(json);
    // UTF-8 takes at most 3 bytes per UTF-16 unit: encode in place after the head when it surely fits.
    const most = RECORD_HEAD_BYTES + text.length * 3 + after.length;
    if (most > this.chunk.length - this.pending) await this.flush();
    if (most <= this.chunk.length - this.pending) {
      const head = this.pending;
      let at = head + RECORD_HEAD_BYTES;
      at += this.encoder.encodeInto(text, this.chunk.subarray(at)).written;
      this.chunk.set(after, at);
      at += after.length;
      this.view.setUint32(head, at - head - RECORD_HEAD_BYTES, LITTLE_ENDIAN);
      this.view.setUint32(head + 4, ints.length, LITTLE_ENDIAN);
      this.pending = at;
    } else {
      const json = this.encoder.encode(text);
      await this.bytes(new Uint8Array(new Uint32Array([json.length + after.length, ints.length]).buffer));
      await this.bytes(json);
      await this.bytes(after);
    }
    this.pad();
    await this.bytes(new Uint8Array(ints.buffer, ints.byteOffset, ints.byteLength));
  }

  /**
   * The record ['strings', values], its JSON encoded a few thousand strings at a time (the same bytes as
   * record(['strings', values])): the whole text and its encoding at once were two copies of every string in the
   * largest record (~3 MB each at 50,000 files), made when the index's memory peaks. The pieces are made twice, first
   * for their length: the record's head is written before them, in order (the file's checksum is taken as it is written).
   */
  async strings(values: readonly string[]): Promise<void> {
    let length = 0;
    for (const piece of stringPieces(values)) length += Buffer.byteLength(piece, 'utf8');
    await this.bytes(new Uint8Array(new Uint32Array([length, 0]).buffer));
    for (const piece of stringPieces(values)) await this.text(piece);
    this.pad();
  }

  /** The CRC-32 of everything written so far (the chunk written out first). */
  async checksum(): Promise<number> {
    await this.flush();
    return this.crc;
  }

  /** Writes what the chunk holds. */
  async flush(): Promise<void> {
    if (this.pending === 0) return;
    this.crc = crc32(this.chunk.subarray(this.unchecked, this.pending), this.crc);
    this.unchecked = 0;
    // A write may take fewer bytes than asked and say so without an error (a disk with less room left than the chunk):
    // the rest is written again, and that write fails with the disk's error (ENOSPC) — a save is never cut short quietly.
    for (let at = 0; at < this.pending; ) {
      const { bytesWritten } = await this.handle.write(this.chunk, at, this.pending - at);
      if (bytesWritten <= 0) throw new Error(`the index could not be written: the file took no bytes at offset ${this.written + at}`);
      at += bytesWritten;
    }
    this.written += this.pending;
    this.pending = 0;
  }

  private async text(text: string): Promise<void> {
    await this.bytes(this.encoder.encode(text));
  }

  /** Copies bytes into the chunk, writing it out each time it fills. */
  private async bytes(bytes: Uint8Array): Promise<void> {
    for (let at = 0; at < bytes.length; ) {
      if (this.pending === this.chunk.length) await this.flush();
      const n = Math.min(bytes.length - at, this.chunk.length - this.pending);
      this.chunk.set(bytes.subarray(at, at + n), this.pending);
      this.pending += n;
      at += n;
    }
  }

  /** Zero bytes up to the next 4-byte boundary (the chunk's length is a multiple of 4, so they always fit). */
  private pad(): void {
    const rest = (4 - (this.pending % 4)) % 4;
    this.chunk.fill(0, this.pending, this.pending + rest);
    this.pending += rest;
  }
}

/** The JSON text of ['strings', values] in pieces of STRINGS_PER_PIECE strings. */
function* stringPieces(values: readonly string[]): Generator<string, void, void> {
  yield '["strings",[';
  for (let i = 0; i < values.length; i += STRINGS_PER_PIECE) {
    const json = JSON.stringify(values.slice(i, i + STRINGS_PER_PIECE));
    yield `${i > 0 ? ',' : ''}${json.slice(1, -1)}`;
  }
  yield ']]';
}

/** A reused integer buffer for encodeFile and decodeFile (their results are copied out before the next file). */
class IntScratch {
  private buffer = new Uint32Array(1 << 16);

  take(length: number): Uint32Array {
    if (length > this.buffer.length) this.buffer = new Uint32Array(Math.max(length, this.buffer.length * 2));
    return this.buffer.subarray(0, length);
  }
}

function encodeFile(file: FileData, strings: StringTable, scratch: IntScratch): { json: unknown[]; ints: Uint32Array; texts: Uint8Array } {
  // (A stored file's columns as they are; a file of definition objects put in columns first.)
  const columns = file instanceof StoredFile ? file.columns : DefinitionColumns.of(file.path, file.definitions);
  const { names, numbers, texts } = columns.parts();
  const defCount = columns.length;
  const identifiers = identifierCount(file);
  let importInts = 0;
  for (const e of file.imports) {
    importInts += 4 + e.names.length;
    if (e.targets !== undefined) for (const t of e.targets) importInts += 2 + t.names.length;
  }
  const ints = scratch.take(FILE_HEAD_INTS + defCount * DEFINITION_INTS + identifiers + importInts + file.refs.length);
  // UTF-8 cannot hold half a character (a lone surrogate: the extractor cuts only between whole ones, but an open
  // document's text may have one): such texts go in the JSON, which escapes it. (isWellFormed: Node 20+, native;
  // over real files' texts ~7× cheaper than a /\p{Cs}/u test, a few ms per save at 50,000 files either way.) Texts
  // loaded compressed are written as they are. (Texts compressed here are not kept: a cold build's files keep their
  // strings until the next reopen — the compressed bytes beside them, until those were collected, raised the peak of
  // a cold build at 50,000 files, which its save comes in, by 10–29 MB.)
  const written = writtenTexts(texts);
  const packed = written instanceof PackedTexts;
  ints.set([file.size, defCount, identifiers, file.imports.length, packed ? written.bytes.length : 0, packed ? written.signatureLength : 0, packed ? written.length : 0]);
  ints.set(numbers, FILE_HEAD_INTS);
  let k = FILE_HEAD_INTS + numbers.length;
  for (let d = 0; d < defCount; d++) {
    ints[k++] = strings.id(names[2 * d] ?? '');
    const container = names[2 * d + 1];
    ints[k++] = container === undefined ? 0 : strings.id(container) + 1;
  }
  for (let i = 0; i < identifiers; i++) ints[k++] = strings.id(identifierAt(file, i));
  for (const e of file.imports) {
    ints[k++] = strings.id(e.source);
    if (e.targets === undefined) ints[k++] = e.resolved === undefined ? 0 : strings.id(e.resolved) + 1;
    else ints[k++] = e.targets.length;
    ints[k++] = e.line;
    ints[k++] = e.targets === undefined ? e.names.length : (e.names.length | WITH_TARGETS) >>> 0;
    for (const n of e.names) ints[k++] = strings.id(n);
    if (e.targets === undefined) continue;
    for (const t of e.targets) {
      ints[k++] = strings.id(t.file);
      ints[k++] = t.names.length;
      for (const n of t.names) ints[k++] = strings.id(n);
    }
  }
  ints.set(file.refs, k);
  if (!(written instanceof PackedTexts)) return { json: ['f', file.path, file.language, file.mtimeMs, file.hash, written.signatures, written.docs], ints, texts: NO_BYTES };
  // Texts found unreadable (a corrupt saved index, read as none: definitionTexts.ts) are written as they are, for a file
  // whose time no file on disk has, so the next build parses it again.
  const mtimeMs = written.unreadable ? UNREADABLE_MTIME : file.mtimeMs;
  return { json: ['f', file.path, file.language, mtimeMs, file.hash], ints, texts: written.bytes };
}

/** How a file's texts are written: compressed after its record's JSON, or as strings in it when they hold half a character (UTF-8 cannot). */
function writtenTexts(texts: DefinitionTexts): PackedTexts | PlainTexts {
  if (texts instanceof PackedTexts) return texts;
  return texts.signatures.isWellFormed() && texts.docs.isWellFormed() ? packTexts(texts) : texts;
}

/** A few random letters and digits (temporary files' names). */
function randomSuffix(): string {
  return Math.random().toString(36).slice(2, 10);
}

/**
 * Writes the index atomically (temporary file, then rename): a failed save leaves the previous one in place.
 * @param shared the strings the files' strings are interned in, when they are (numbered without a map of their own).
 * @returns how many strings the files use: its table's (the files' names, identifiers and import strings, once each; not
 * their paths), and those only `counted` use.
 */
export async function saveIndex(
  storageDir: string,
  root: string,
  files: Iterable<FileData>,
  skipped: Iterable<SkippedFile>,
  shared?: InternedStrings,
  /** The files' imports are to be resolved again when loaded (`importsStale`). */
  importsStale = false,
  /** The workspace's folders, recorded in the header: another workspace with one of them may adopt their files. */
  folders: readonly SavedFolder[] = [],
  /** Files not saved whose strings are in use all the same (open documents' unsaved texts): counted, not written. */
  counted: Iterable<FileData> = [],
): Promise<number> {
  await mkdir(storageDir, { recursive: true });
  const target = indexCacheFile(storageDir, root);
  // Named for this save alone: two engine threads of one process (an engine being replaced while it still saves, and
  // its successor) share the pid, and writing one temporary file both would put a damaged index in place.
  const temp = `${target}.${process.pid}-${randomSuffix()}.tmp`;
  const all = [...files];
  const skippedAll = [...skipped];
  // First pass: the string table (written before the files that use it); second pass: one record per file.
  const strings = new StringTable(shared);
  for (const f of all) registerStrings(f, strings);
  // (No resolver number, as an index saved before it had one: loaded, its imports are resolved again.)
  const header = { format: FORMAT, layout: LAYOUT, version: EXTRACTOR_VERSION, ...(importsStale ? {} : { resolver: RESOLVER_VERSION }), littleEndian: LITTLE_ENDIAN, root, files: all.length, skipped: skippedAll.length, ...(folders.length > 0 ? { folders: folders.map((f) => [f.prefix, f.root]) } : {}) };
  // Before writing (once per index and thread): a temporary file is left behind only by a process that ended mid-save,
  // and on a full disk such leftovers would fail every save before a sweep after it.
  if (!tempsSwept.has(target)) {
    tempsSwept.add(target);
    await removeStaleTemps(target);
  }
  const handle = await open(temp, 'w');
  let closed = false;
  try {
    const writer = new RecordWriter(handle);
    await writer.header(header);
    await writer.strings(strings.values);
    const scratch = new IntScratch();
    for (const f of all) {
      const { json, ints, texts } = encodeFile(f, strings, scratch);
      await writer.record(json, ints, texts);
    }
    for (const sk of skippedAll) await writer.record(['s', sk.path, sk.size, sk.mtimeMs, sk.reason]);
    // Last, the CRC-32 of the records before this one: a file damaged where its shape still reads (a letter of a
    // name, a line number, a definition's end) is discarded, not trusted until its file changes. (The header line's
    // fields are checked one by one; an older resolver number in it is read on purpose.)
    await writer.record([CHECKSUM_RECORD, await writer.checksum()]);
    await writer.flush();
    // On disk before it takes the saved index's place: a crash or power loss right after the rename leaves the old
    // index or the new one, never a name pointing at blocks not written yet.
    // (Where the file system offers it: on one that does not, the save goes on without — fileSync.ts.)
    await syncWhereOffered(handle);
    // (In the try: a close that fails — the file system reports a write it could not finish — is a failed save too.)
    closed = true;
    await handle.close();
    await rename(temp, target);
  } catch (err) {
    // (The disk full, a close that fails, a directory or a locked file where the index goes: the copy is not left
    // behind, one per process, and the saved index stays as it was.)
    if (!closed) await handle.close().catch(() => undefined);
    await rm(temp, { force: true });
    throw err;
  }
  await rm(legacyCacheFile(storageDir, root), { force: true });
  // (After the records: registered now, their strings join the count, not the table written.)
  for (const f of counted) registerStrings(f, strings);
  return strings.values.length;
}

/** The indexes whose stale temporary files this thread removed already (saveIndex). */
const tempsSwept = new Set<string>();

/** How old another save's temporary file must be to be taken for one a process that ended left behind. */
const STALE_TEMP_MS = 60 * 60 * 1000;

/**
 * Removes the temporary files of saves of `target` that a process ended in the middle of (each save names its own: a
 * crash, a killed window would otherwise leave them for good); a save under way elsewhere is younger than STALE_TEMP_MS.
 */
async function removeStaleTemps(target: string): Promise<void> {
  const dir = path.dirname(target);
  const prefix = `${path.basename(target)}.`;
  try {
    const now = Date.now();
    for (const name of await readdir(dir)) {
      if (!name.startsWith(prefix) || !name.endsWith('.tmp')) continue;
      const file = path.join(dir, name);
      const { mtimeMs } = await stat(file);
      if (now - mtimeMs > STALE_TEMP_MS) await rm(file, { force: true });
    }
  } catch {
    // (Left for the next save: another process removed one first, or the folder cannot be listed.)
  }
}

/**
 * Reads a cache file front to back in chunks. Records start at 4-byte aligned offsets, and the buffer always
 * starts at one, so a record's integers can be viewed in place (until the next record is read).
 */
class RecordReader {
  private buffer = new Uint8Array(0);
  /** File offsets of buffer[0] and of the end of what the buffer holds. */
  private bufferStart = 0;
  private bufferEnd = 0;
  private fileEnd = false;
  /** File offset of the next record. */
  private offset = 0;
  private readonly decoder = new TextDecoder('utf-8', { fatal: true });
  /** The CRC-32 of the records before the next one (the header line left out), and before the last one read. */
  private crc = 0;
  checksumBefore = 0;

  constructor(
    private readonly handle: FileHandle,
    /** The file's size: a record said to reach past it is not read (its head is corrupt, or the file cut short). */
    private readonly fileSize: number,
    /** Bytes read at a time at least (a reader of the header alone asks for little: readSavedHeader). */
    private readonly chunkBytes = READ_CHUNK_BYTES,
  ) {}

  /** The header line (undefined for an empty file). */
  async header(): Promise<string | undefined> {
    for (let scanned = 0; ; ) {
      const newline = this.buffer.subarray(scanned, this.bufferEnd).indexOf(10);
      if (newline >= 0) {
        this.offset = align4(scanned + newline + 1);
        return this.decoder.decode(this.buffer.subarray(0, scanned + newline));
      }
      scanned = this.bufferEnd;
      if (scanned >= MAX_HEADER_BYTES) throw new MalformedRecord();
      await this.fill(this.bufferEnd + this.chunkBytes);
      if (this.bufferEnd === scanned) {
        if (scanned === 0) return undefined;
        throw new Error('it is truncated');
      }
    }
  }

  /** The next record (its text part: UTF-8 JSON, then a file's compressed texts), or undefined at the end of the file. `text` and `ints` are valid until the next call. */
  async record(): Promise<{ text: Uint8Array; ints: Uint32Array } | undefined> {
    if (!(await this.fill(this.offset + RECORD_HEAD_BYTES))) {
      if (this.offset >= this.bufferEnd) return undefined;
      throw new Error('it is truncated');
    }
    const head = new Uint32Array(this.buffer.buffer, this.offset - this.bufferStart, 2);
    const jsonAt = this.offset + RECORD_HEAD_BYTES;
    const jsonEnd = jsonAt + (head[0] ?? 0); // (the end of the whole text part: the JSON and the texts after it)
    const intsAt = align4(jsonEnd);
    const end = intsAt + (head[1] ?? 0) * 4;
    if (end > this.fileSize || !(await this.fill(end))) throw new Error('it is truncated');
    const text = this.buffer.subarray(jsonAt - this.bufferStart, jsonEnd - this.bufferStart);
    const ints = new Uint32Array(this.buffer.buffer, intsAt - this.bufferStart, (end - intsAt) / 4);
    this.checksumBefore = this.crc;
    this.crc = crc32(this.buffer.subarray(this.offset - this.bufferStart, end - this.bufferStart), this.crc);
    this.offset = end;
    return { text, ints };
  }

  /**
   * Makes the buffer hold the file up to offset `end`, keeping what it holds from the next record on.
   * @returns false when the file ends first.
   */
  private async fill(end: number): Promise<boolean> {
    if (end <= this.bufferEnd) return true;
    if (this.fileEnd) return false;
    const from = Math.min(this.offset, this.bufferEnd);
    const kept = this.bufferEnd - from;
    const size = Math.max(end - from, this.chunkBytes);
    if (size <= this.buffer.length) {
      this.buffer.copyWithin(0, from - this.bufferStart, this.bufferEnd - this.bufferStart);
    } else {
      const next = new Uint8Array(size);
      next.set(this.buffer.subarray(from - this.bufferStart, this.bufferEnd - this.bufferStart));
      this.buffer = next;
    }
    this.bufferStart = from;
    let filled = kept;
    while (filled < this.buffer.length) {
      const { bytesRead } = await this.handle.read(this.buffer, filled, Math.min(this.buffer.length - filled, MAX_READ_BYTES), from + filled);
      if (bytesRead === 0) {
        this.fileEnd = true;
        break;
      }
      filled += bytesRead;
      if (from + filled >= end) break;
    }
    this.bufferEnd = from + filled;
    return end <= this.bufferEnd;
  }
}

/** `n` rounded up to a multiple of 4 (arithmetic: a bitwise form turns offsets past 2 GiB negative). */
function align4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/**
 * The strings of the index a saved one is loaded into: every string it shares, and its identifiers among them (each
 * file's identifiers are kept as numbers into `identifiers`).
 */
export interface IndexStrings {
  readonly strings: InternedStrings;
  readonly identifiers: InternedSubset;
}

/** The caller's table of identifiers, and the numbers there of the saved strings read as identifiers so far (by saved number; -1: not yet). */
interface SharedIds {
  readonly names: InternedSubset;
  /** The saved table is the caller's strings (InternedStrings.adopt): a saved number is the string's number there. */
  readonly adopted: boolean;
  readonly ids: Int32Array;
  /** Where a file's numbers are put before narrowIds copies them out (no buffer of its own per file). */
  readonly scratch: IntScratch;
}

/**
 * @param shared when given, the identifiers are kept as numbers into its table (IdentifierIds), not as strings.
 * @param translate the file's path in the workspace loading it (undefined: the file is left out, and so is its record).
 * @param lazyTable the saved strings, when `strings` is filled in as they are used (each interned then).
 */
function decodeFile(
  text: Uint8Array,
  ints: Uint32Array,
  decoder: TextDecoder,
  strings: readonly (string | undefined)[],
  intern: (s: string) => string,
  slabs: TypedArraySlabs,
  shared?: SharedIds,
  translate?: PathTranslation,
  lazyTable?: readonly string[],
  targetLists?: TargetLists,
): StoredFile | undefined {
  if (ints.length < FILE_HEAD_INTS) throw new MalformedRecord();
  const [size = 0, defCount = 0, identifierCount = 0, importCount = 0, packedBytes = 0, signatureLength = 0, textLength = 0] = ints.subarray(0, FILE_HEAD_INTS);
  const jsonBytes = text.length - packedBytes;
  if (jsonBytes < 0 || signatureLength > textLength || (packedBytes === 0) !== (textLength === 0)) throw new MalformedRecord();
  const [, rawPath, language, mtimeMs, hash, jsonSignatures, jsonDocs] = parseFileRecord(JSON.parse(decoder.decode(text.subarray(0, jsonBytes))));
  if (jsonSignatures !== undefined && packedBytes !== 0) throw new MalformedRecord();
  const translated = translate ? translate(rawPath) : rawPath;
  if (translated === undefined) return undefined;
  const filePath = intern(translated);
  // Compressed texts are copied out of the reader's buffer as they are: inflated when first read (definitionTexts.ts).
  const texts: DefinitionTexts =
    jsonSignatures !== undefined ? { signatures: jsonSignatures, docs: jsonDocs ?? '' } : packedBytes === 0 ? NO_TEXTS : new PackedTexts(slabs.uint8Copy(text.subarray(jsonBytes)), signatureLength, textLength);
  const namesAt = FILE_HEAD_INTS + defCount * DEFINITION_NUMBERS;
  const identifiersAt = FILE_HEAD_INTS + defCount * DEFINITION_INTS;
  if (ints.length < identifiersAt + identifierCount) throw new Error(`${filePath}: data is truncated`);
  const str = (i: number): string => {
    const s = strings[i];
    if (s !== undefined) return s;
    const saved = lazyTable?.[i];
    if (saved === undefined) throw new Error(`string index ${i} out of range`);
    // (Interned the first time a kept file uses it: `strings` is the load's own array, filled in here.)
    return ((strings as (string | undefined)[])[i] = intern(saved));
  };
  const names = new Array<string | undefined>(defCount * 2);
  for (let d = 0, k = namesAt; d < defCount; d++, k += 2) {
    names[2 * d] = str(ints[k] ?? 0);
    const container = ints[k + 1] ?? 0;
    names[2 * d + 1] = container > 0 ? str(container - 1) : undefined;
  }
  // Kept in columns, as the index keeps definitions: the numbers are the saved ones, checked as they are copied.
  const columns = DefinitionColumns.restored(filePath, names, ints.subarray(FILE_HEAD_INTS, namesAt), texts, slabs);
  if (typeof columns === 'string') throw new Error(`${filePath}: ${columns}`);
  let identifiers: string[] | undefined;
  let identifierIds: Uint32Array | undefined;
  if (shared) {
    identifierIds = shared.scratch.take(identifierCount);
    for (let i = 0; i < identifierCount; i++) {
      const saved = ints[identifiersAt + i] ?? 0;
      let id = shared.ids[saved] ?? -1;
      if (id < 0) {
        const s = str(saved);
        id = shared.ids[saved] = shared.adopted ? shared.names.numberOf(saved) : shared.names.internId(s);
      }
      identifierIds[i] = id;
    }
  } else {
    identifiers = new Array<string>(identifierCount);
    for (let i = 0; i < identifierCount; i++) identifiers[i] = str(ints[identifiersAt + i] ?? 0);
  }
  const imports = new Array<ImportEdge>(importCount);
  let k = identifiersAt + identifierCount;
  for (let i = 0; i < importCount; i++) {
    if (k + 4 > ints.length) throw new Error(`${filePath}: data is truncated`);
    const source = str(ints[k] ?? 0);
    // (resolved + 1, 0: none; with targets, their count.)
    const resolvedOrCount = ints[k + 1] ?? 0;
    const line = ints[k + 2] ?? 0;
    const counted = ints[k + 3] ?? 0;
    const nameCount = counted & ~WITH_TARGETS;
    k += 4;
    if (k + nameCount > ints.length) throw new Error(`${filePath}: data is truncated`);
    const namesStart = k;
    const names = new Array<string>(nameCount);
    for (let n = 0; n < nameCount; n++) names[n] = str(ints[k++] ?? 0);
    let targets: ImportTarget[] | undefined;
    if (counted !== nameCount) {
      targets = [];
      for (let t = 0; t < resolvedOrCount; t++) {
        if (k + 2 > ints.length) throw new Error(`${filePath}: data is truncated`);
        const file = str(ints[k] ?? 0);
        const count = ints[k + 1] ?? 0;
        k += 2;
        if (k + count > ints.length) throw new Error(`${filePath}: data is truncated`);
        // (A target's names are most often the import's, or none: those lists are shared, not copied.)
        let same = count === nameCount;
        for (let n = 0; same && n < count; n++) same = ints[k + n] === ints[namesStart + n];
        let targetNames: readonly string[] = names;
        if (count === 0) targetNames = NO_NAMES;
        else if (!same) {
          const read = new Array<string>(count);
          for (let n = 0; n < count; n++) read[n] = str(ints[k + n] ?? 0);
          targetNames = read;
        }
        k += count;
        targets.push({ file, names: targetNames });
      }
    }
    // (Adopted from another workspace: its resolutions name that workspace's paths, and are all made again.)
    // (No targets, as a damaged index could say: unresolved.)
    if (translate !== undefined || targets?.length === 0) imports[i] = importEdge(source, names, line, undefined);
    else imports[i] = importEdge(source, names, line, targets !== undefined ? (targetLists?.shared(targets) ?? targets) : resolvedOrCount === 0 ? undefined : str(resolvedOrCount - 1));
  }
  const fields = { path: filePath, language, size, mtimeMs, hash, definitions: NO_DEFINITIONS, imports, identifiers: identifiers ?? NO_IDENTIFIERS, refs: narrowRefs(ints.subarray(k), slabs) };
  const data = new StoredFile(fields, columns, shared && identifierIds ? { ids: narrowIds(identifierIds, slabs), table: shared.names.table } : undefined);
  const problem = packedReferenceProblem(data);
  if (problem !== undefined) throw new Error(`${filePath}: ${problem}`);
  return data;
}

/** A saved path's path in the workspace loading the index, or undefined for a file left out. */
export type PathTranslation = (savedPath: string) => string | undefined;

/** What a saved index was saved for (its header). */
export interface SavedIndexHeader {
  /** The identity of its workspace (FolderPaths.identity). */
  readonly root: string;
  /** Its workspace's folders; undefined when saved before the header listed them. */
  readonly folders: readonly SavedFolder[] | undefined;
}

/** Bytes of a header line read at a time (a header is a short line: one read, mostly). */
const HEADER_READ_BYTES = 4096;

/**
 * The header of a saved index, read from its first line alone (the records are not read: choosing among saved indexes
 * stays cheap).
 * @returns the header, or why the file cannot be taken for a saved index of this version.
 */
export async function readSavedHeader(file: string): Promise<{ header: SavedIndexHeader } | { problem: string }> {
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const line = await new RecordReader(handle, (await handle.stat()).size, HEADER_READ_BYTES).header();
    if (line === undefined) return { problem: 'it is empty' };
    const header = parseHeader(JSON.parse(line));
    return { header: { root: header.root, folders: header.folders } };
  } catch (err) {
    if (err instanceof OtherVersion) return { problem: 'it was saved by another version of the extension' };
    if (err instanceof MalformedRecord || err instanceof SyntaxError || err instanceof TypeError) return { problem: 'its header is malformed' };
    return { problem: errorMessage(err) };
  } finally {
    await handle?.close();
  }
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
  /**
   * The caller's strings: the loaded ones are its instances (the saved table becomes its own when it keeps none yet and
   * nothing is translated; a translated load adds only the strings of the files it keeps), and the files' identifiers
   * are kept as numbers into its identifiers. Without it, strings are kept as read.
   */
  shared?: IndexStrings,
  /** indexCacheFile(storageDir, root), when the caller has it (naming it hashes the root: node:crypto loads). */
  file = indexCacheFile(storageDir, root),
  /**
   * Loading another workspace's index (savedIndexAdoption.ts): each saved path's path in this workspace, undefined for
   * a file left out (a folder not in it). Its imports then come back stale: they were resolved among the other files.
   */
  translate?: PathTranslation,
): Promise<PersistedIndex | undefined> {
  const files: StoredFile[] = [];
  const skipped: SkippedFile[] = [];
  /** Saved files and skips left out by `translate`. */
  let filesLeftOut = 0;
  let skipsLeftOut = 0;
  let recordNo = 0;
  let checked = false;
  let handle: FileHandle | undefined;
  try {
    handle = await open(file, 'r');
    const reader = new RecordReader(handle, (await handle.stat()).size);
    const headerLine = await reader.header();
    if (headerLine === undefined) throw new Error('it is empty');
    const header = parseHeader(JSON.parse(headerLine));
    if (header.root !== root) throw new Error(`it belongs to ${header.root.replaceAll('\n', ', ')}`);
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    /** The saved strings by number; with `lazyTable`, each one is filled in when a kept file first uses it. */
    let strings: readonly (string | undefined)[] | undefined;
    let lazyTable: readonly string[] | undefined;
    let sharedIds: SharedIds | undefined;
    let intern: (s: string) => string = keptAsIs;
    // The files' small arrays side by side: they are loaded together and mostly live as long as each other.
    const slabs = new TypedArraySlabs();
    // (Every importer of a package holds an equal list of its files: one kept for all.)
    const targetLists = new TargetLists();
    for (let record = await reader.record(); record; record = await reader.record()) {
      recordNo++;
      if (recordNo % 256 === 0) throwIfAborted(signal);
      if (!strings) {
        const table = parseStrings(JSON.parse(decoder.decode(record.text)));
        if (shared && translate) {
          // Another workspace's index: its table holds the strings of files left out too (a removed folder's, maybe
          // most of them), and the caller's strings are only ever added to. So none is taken until a kept file uses
          // it: each is interned then, once (lazily, below).
          intern = (s) => shared.strings.intern(s);
          lazyTable = table;
          strings = new Array<string | undefined>(table.length);
          sharedIds = { names: shared.identifiers, adopted: false, ids: new Int32Array(table.length).fill(-1), scratch: new IntScratch() };
        } else if (shared) {
          // Adopted, a file's path is kept as read: looking it up would make the map adopting spares (a path that is
          // also a string of the table — an import's target — is then held twice).
          const adopted = shared.strings.adopt(table);
          if (!adopted) intern = (s) => shared.strings.intern(s);
          strings = adopted ? table : table.map(intern);
          sharedIds = { names: shared.identifiers, adopted, ids: new Int32Array(strings.length).fill(-1), scratch: new IntScratch() };
        } else strings = table;
      } else if (record.ints.length === 0) {
        // (Only a skipped file's record and the checksum have no integers.)
        const value: unknown = JSON.parse(decoder.decode(record.text));
        if (!Array.isArray(value)) throw new MalformedRecord();
        if (value[0] === CHECKSUM_RECORD) {
          if (value[1] !== reader.checksumBefore) throw new Error('it is damaged: its checksum does not match');
          if (await reader.record()) throw new MalformedRecord();
          checked = true;
          break;
        }
        const skip = parseSkipped(value);
        const translated = translate ? translate(skip.path) : skip.path;
        if (translated === undefined) skipsLeftOut++;
        else skipped.push(translated === skip.path ? skip : { ...skip, path: translated });
      } else {
        const decoded = decodeFile(record.text, record.ints, decoder, strings, intern, slabs, sharedIds, translate, lazyTable, targetLists);
        if (decoded) files.push(decoded);
        else filesLeftOut++;
      }
    }
    if (!strings || !checked) throw new Error('it is incomplete');
    if (files.length + filesLeftOut !== header.files || skipped.length + skipsLeftOut !== header.skipped) throw new Error('it is truncated');
    return { files, skipped, importsStale: translate !== undefined || header.resolver !== RESOLVER_VERSION };
  } catch (err) {
    throwIfAborted(signal);
    if ((err as { code?: unknown }).code === 'ENOENT') return undefined;
    // (Expected after an update of the extension: nothing is wrong.)
    if (err instanceof OtherVersion) {
      logger.info(`context: the saved index ${file} was saved by another version of the extension; re-indexing the workspace`);
      return undefined;
    }
    const why = err instanceof MalformedRecord ? (recordNo === 0 ? 'its header is malformed' : `record ${recordNo} is malformed`) : errorMessage(err);
    logger.warn(`context: discarding the saved index ${file} (${why}); the workspace will be re-indexed`);
    return undefined;
  } finally {
    await handle?.close();
  }
}
