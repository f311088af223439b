// The ranker's own view of an IndexSnapshot: one node per definition (and per file), a BM25 index of
// their names, signatures and doc words, and the name/import maps the reference graph is walked
// through. It follows the snapshot incrementally: on a new version only the files whose content or
// import resolution changed are removed and re-added, so a query after an edit costs little more
// than a query on an unchanged index.
//
// Memory: at 50,000 files there are ~650,000 nodes and ~8 million references, so nothing here is an
// object per node. Names are interned to numbers; what a slot is, its file and definition, and the
// names it references (compressed rows, in first-occurrence order) sit in typed arrays; node objects
// are made on request. Edges are computed on first use and memoised in one typed pool.

import { Bm25Index } from './bm25Index';
import { FileStamps } from './fileStamps';
import { EdgePool, type EdgeSegment } from './edgePool';
import { identifierTerms, textTerms } from './identifierTokens';
import { LexicalDocument, WordTermIds } from './lexicalDocuments';
import { bringsByName, bringsDefinition, DEFAULT_EXPORT, fromImportMemberMark, pythonBoundNames, pythonSubmoduleImports, type SubmoduleImport, defaultsByExport, forEachTargetFile, importTargets, isDefaultExport, isLocalNameEntry, isOwnExportsEdge, isSideEffectImport, localNameEntry, localNamesOf, namespaceMembersOf, hasNamespaceImports, namespaceNameOf, namespaceTargetsOf, reexportsDefault, sameNames, sameTargets, type Definition, type ImportEdge, type IndexSnapshot, type IndexedFile, type LanguageId, type LocalName, type NamespaceTarget } from './model';
import { NameReferrers, type ReferenceRows } from './nameReferrers';
import { MAX_ROW_ENTRY_BYTES, ReferenceRowReader, rowEntryLength, writeRowEntry } from './packedReferenceRows';
import { SlotMultimap } from './slotMultimap';
import type { DefinitionReader } from './definitionColumns';
import { definitionCount, definitionReaderOf, identifierAt, identifierCount, sameDefinitions, StoredFile } from './storedFile';
import { runToEnd, StepBudget } from './steps';
import { grownReleasing, withLength } from './typedArrayGrowth';
import { holds, StringSetMap } from './stringSetMap';

export interface DefinitionNode {
  readonly kind: 'definition';
  readonly slot: number;
  readonly def: Definition;
}

export interface FileNode {
  readonly kind: 'file';
  readonly slot: number;
  readonly path: string;
  /** True when the file has no definitions and is ranked as a whole (identifier-only fallback). */
  readonly rankedAsFile: boolean;
}

export type RankNode = DefinitionNode | FileNode;

/** What a slot holds, kept in a dense byte array: hot loops over tens of thousands of slots read it
 * instead of chasing node objects through memory. */
export const SlotKind = { Free: 0, Definition: 1, File: 2, RankedFile: 3 } as const;
export type SlotKind = (typeof SlotKind)[keyof typeof SlotKind];

export interface FileEntry {
  readonly file: IndexedFile;
  readonly fileSlot: number;
  /** The slots of the file's definitions, in order: fileSlot + 1 … fileSlot + their count (made when read). */
  readonly definitionSlots: readonly number[];
  /** The file's definitions, read field by field (definitionReaderOf). */
  readonly definitions: DefinitionReader;
  /** Workspace files this file imports (resolved import targets), made from its imports when read. */
  readonly importedFiles: ReadonlySet<string>;
}

/**
 * A file entry that makes its definition slots when asked (they are the range after the file's slot): at 50,000
 * files an array each held ~7 MB, and queries read those of a few dozen files.
 */
class RankedFileEntry implements FileEntry {
  constructor(
    readonly file: IndexedFile,
    readonly fileSlot: number,
    readonly definitions: DefinitionReader,
  ) {}

  get definitionSlots(): readonly number[] {
    const slots = new Array<number>(this.definitions.length);
    for (let i = 0; i < slots.length; i++) slots[i] = this.fileSlot + 1 + i;
    return slots;
  }

  /** Made from the file's imports when read (a Set kept per file held ~8 MB at 50,000 files); importsFile tests one. */
  get importedFiles(): ReadonlySet<string> {
    const files = new Set<string>();
    forEachImportedFile(this.file, (path) => files.add(path));
    return files;
  }
}

/**
 * Visits the other workspace files `file` imports (resolved targets, itself left out), in import order, repeats
 * included. (A loop over the imports as they are: a generator over importTargets made an array and an object per
 * import and a result per file yielded — ~115 MB of garbage per ranking index built over 50,000 files.)
 */
function forEachImportedFile(file: IndexedFile, visit: (path: string) => void): void {
  const other = (target: string): void => {
    if (target !== file.path) visit(target);
  };
  for (const imp of file.imports) forEachTargetFile(imp, other);
}

/**
 * Whether `file` imports the other workspace file `path` (a resolved target): a scan of its few imports. (A plain
 * loop, as in markImportsOf: both run per query.)
 */
function importsFile(file: IndexedFile, path: string): boolean {
  if (path === file.path) return false;
  for (const imp of file.imports) if (importReaches(imp, path)) return true;
  return false;
}

/** Whether an import reaches the file `path` (its resolved file, or one of its targets). */
function importReaches(imp: ImportEdge, path: string): boolean {
  if (imp.resolved === path) return true;
  if (imp.targets !== undefined) for (const t of imp.targets) if (t.file === path) return true;
  return false;
}

/**
 * The languages whose files can pass on a name they import (`export { a } from`, a Python package's `from .a import a`,
 * `pub use`; Java's a static member a class inherits, `import static a.Sub.limit` of Base's through Sub's `import b.*`).
 * Not Go's: a package's member is defined in one of its files.
 */
const REEXPORTING_LANGUAGES: ReadonlySet<LanguageId> = new Set<LanguageId>(['typescript', 'tsx', 'javascript', 'python', 'rust', 'java']);

/**
 * Whether `file` may re-export `name` (RankingIndex.reexportedSlots): one of its imports that resolves brings that name,
 * or gives another that name (`export { a as name } from`, `import { a as name }`: givesName), or brings a whole
 * module, or its own renamed exports give a definition of it that name (`export { void_ as void }`: OWN_EXPORTS_SOURCE).
 * Most imported files have none (they define the names imported from them): nothing is memoised for them, and nothing
 * but their own change (which their importers' edges follow anyway) can make one.
 */
function mayReexport(file: IndexedFile, name: string): boolean {
  // (A Go file passes on none of its imports' names: a package's member is defined in one of its files, and a name a
  // file lacks is asked of every other file of its package, each time a member is linked — its imports read for every
  // target of each, ~1.3 s of 40 queries at 50,000 files.)
  if (!REEXPORTING_LANGUAGES.has(file.language)) return false;
  const imports = file.imports;
  for (let i = 0; i < imports.length; i++) {
    const imp = imports[i] as ImportEdge;
    // (Without this, a module's every namespace import sent each name it does not define — a member `ns.x` asked of it —
    // through the module's whole import graph: ~50 ms a ranking-index build over effect.)
    const namespaceImport = isNamespaceModuleEdge(imports, i);
    if (imp.targets === undefined) {
      // (`export { void_ as void }`: the file passes its own `void_` on as `void`. Unresolved, as that edge always is.)
      if (isOwnExportsEdge(imp) && givesName(imp.names, name)) return true;
      if (imp.resolved !== undefined && imp.resolved !== file.path && ((imp.names.length === 0 && !namespaceImport) || imp.names.includes(name) || givesName(imp.names, name))) return true;
    } else for (const t of imp.targets) if (t.file !== file.path && ((t.names.length === 0 && !namespaceImport) || t.names.includes(name) || givesName(t.names, name))) return true;
  }
  return false;
}

/**
 * Whether the import at `i` of `imports` is the whole-module edge of a namespace (`import * as ns`, `export * as ns
 * from`, the whole module of `import D, * as M`): the edge of the same source its local name follows. It passes no names
 * on, as `export *` does (mayReexport, walkReexports): the module's names are the namespace's members.
 */
function isNamespaceModuleEdge(imports: readonly ImportEdge[], i: number): boolean {
  const next = imports[i + 1];
  return next !== undefined && next.source === imports[i]?.source && namespaceNameOf(next.names) !== undefined;
}

/** Whether an import's names give another name `name` (a local name or a re-export's new name: localNameEntry). */
function givesName(names: readonly string[], name: string): boolean {
  for (const entry of names) if (entry.length === name.length + LOCAL_NAME_MARK_LENGTH && entry.endsWith(name) && isLocalNameEntry(entry)) return true;
  return false;
}

const LOCAL_NAME_MARK_LENGTH = localNameEntry('').length;

/**
 * The name the file gives the name at `names[k]` of an import (the names of one target): the local name or re-export's
 * new name after it (`import { a as b }`, `export { a as b } from`: b), else the name itself.
 */
function givenName(names: readonly string[], k: number): string {
  const next = names[k + 1];
  return next !== undefined && isLocalNameEntry(next) ? next.slice(LOCAL_NAME_MARK_LENGTH) : (names[k] as string);
}

/** The node of `slot`, of kind `kind`, in `entry` (see RankingIndex.entryOfSlot). */
export function nodeIn(entry: FileEntry, kind: SlotKind, slot: number): RankNode | undefined {
  if (kind === SlotKind.Definition) {
    // A file's definitions have the slots right after the file's own, in order.
    const def = entry.definitions.at(slot - entry.fileSlot - 1);
    return def && { kind: 'definition', slot, def };
  }
  if (kind === SlotKind.File || kind === SlotKind.RankedFile) return { kind: 'file', slot, path: entry.file.path, rankedAsFile: kind === SlotKind.RankedFile };
  return undefined;
}

/** Weighted out-edges of a node; weights sum to at most 1. */
export interface Edges {
  readonly targets: readonly number[];
  readonly weights: readonly number[];
}

/**
 * The weighted out-edges of every node, as ranges of shared arrays: slot s's edges are
 * edgeTargets/edgeWeights[edgesStart(s) .. edgesEnd(s)), the arrays as read after `edgesStart(s)` (which may
 * compute the edges first, and whose answer says which arrays hold them).
 */
export interface EdgeGraph {
  edgesStart(slot: number): number;
  /** Valid after `edgesStart(slot)`. */
  edgesEnd(slot: number): number;
  readonly edgeTargets: Int32Array;
  readonly edgeWeights: Float32Array;
}

/** Field weights of a definition's lexical document. */
const NAME_WEIGHT = 3;
const CONTAINER_WEIGHT = 1;
const SIGNATURE_WEIGHT = 1;
const DOC_WEIGHT = 1;
const PATH_WEIGHT = 0.5;
/** What an undocumented body uses says something about what it does, if much less than a name. */
const REFERENCE_WEIGHT = 0.3;
/** Only the start of a long doc comment is indexed: the summary is there, long examples add noise. */
const MAX_DOC_CHARS = 2_000;
/** A text file's identifiers are many and weak; its file name is a strong hint. */
const FILE_IDENTIFIER_WEIGHT = 0.5;
const FILE_NAME_WEIGHT = 3;
/** File names that say nothing about their content. */
const UNINFORMATIVE_STEMS = new Set(['index', 'mod', 'main', 'lib', 'init', '__init__', 'util', 'utils', 'types']);

/** Share of a node's outgoing weight given to the callers of its name (the rest goes to its callees). */
const REVERSE_SHARE = 0.2;
/** Names defined in more places than this are treated as generic (e.g. `get`, `run`) and weighted down. */
const AMBIGUOUS_DEFINITIONS = 5;
const AMBIGUOUS_PENALTY = 0.1;
/** A stepwise sync yields after about this many files and definitions. */
const SYNC_STEP_WORK = 2_000;
/** Beyond this many changed files in one version, all memoised edges are dropped instead. */
const MAX_TARGETED_INVALIDATIONS = 64;
/** More callers than this and only callers that import or share the file are followed. */
const MAX_REVERSE_FANOUT = 64;
/** How many files deep an import of a name is followed through files that re-export it (reexportedSlots). */
const MAX_REEXPORT_DEPTH = 4;

/**
 * What the names imported from one file (a barrel) reach through its imports (reexportedSlots): every name its walk
 * (walkReexports) found, with the definitions it reaches, and every file the walk read (invalidateEdges updates the
 * names a change of one of them can touch). Made once per version of the barrel (removeFile drops it), for all names
 * at once: as many names as the definitions its re-exports reach, whatever its importers ask.
 */
interface ReexportTable {
  readonly byName: Map<string, readonly number[]>;
  readonly reads: Set<string>;
  /**
   * The names the walk followed under another name somewhere on the way (`export { default as Button } from`: Button):
   * a change of a file read may change what they reach whatever names that file defines (updateReexports).
   */
  readonly renamed: Set<string>;
  /**
   * The barrel's importers by the names they import from it, kept as importers change (noteImportedNames): a change of
   * what one name reaches forgets those importers' edges (updateReexports), not all of theirs.
   */
  readonly importersByName: StringSetMap<string>;
}

/** The names a re-export walk looks for: every name (ALL_NAMES), or these. */
const ALL_NAMES = 'all';
type NameFilter = typeof ALL_NAMES | ReadonlySet<string>;

/**
 * The names a re-export walk looks for in a file it reaches: every name, each as the barrel's name of the same
 * (ALL_NAMES), or these, each with the barrel's names it stands for (most often itself; `b` for `a` past `export { a
 * as b } from`, `Button` for DEFAULT_EXPORT past `export { default as Button } from`).
 */
type ArrivalFilter = typeof ALL_NAMES | ReadonlyMap<string, readonly string[]>;

/** A file a re-export walk reaches, with the names it looks for there; only exported definitions through `export *`. */
interface ReexportArrival {
  readonly entry: FileEntry;
  readonly exportedOnly: boolean;
  readonly filter: ArrivalFilter;
}

function unionFilter(a: ArrivalFilter, b: ArrivalFilter): ArrivalFilter {
  if (a === ALL_NAMES || b === ALL_NAMES) return ALL_NAMES;
  if (a === b) return a;
  const out = new Map(a);
  for (const [n, names] of b) {
    const known = out.get(n);
    out.set(n, known === undefined ? names : [...new Set([...known, ...names])]);
  }
  return out;
}

/**
 * What an import's `names` bring of the barrel's names a file is reached with (`filter`) and the walk still looks for
 * (`open`): each name imported, with the barrel's names it stands for — its own, or the one it is given (`export { a
 * as b } from`: `a` for `b`, the barrel's names given so added to `renamed`). None: the import brings none of them.
 */
function broughtBarrelNames(names: readonly string[], filter: ArrivalFilter, open: (name: string) => boolean, renamed: Set<string>): Map<string, string[]> {
  const brought = new Map<string, string[]>();
  for (let k = 0; k < names.length; k++) {
    const n = names[k] as string;
    if (isLocalNameEntry(n)) continue;
    const given = givenName(names, k);
    for (const b of barrelNamesOf(filter, given)) {
      if (given !== n) renamed.add(b);
      if (!open(b)) continue;
      const known = brought.get(n);
      if (known === undefined) brought.set(n, [b]);
      else if (!known.includes(b)) known.push(b);
    }
  }
  return brought;
}

/** The barrel's names a name of a file the walk reaches with `filter` stands for (see ArrivalFilter). */
function barrelNamesOf(filter: ArrivalFilter, name: string): readonly string[] {
  return filter === ALL_NAMES ? [name] : (filter.get(name) ?? NO_NAMES);
}

const NO_NAMES: readonly string[] = Object.freeze([]);

/** `filter` without the barrel's names in `resolved` (and the names left standing for none): itself when it has none of them. */
function withoutResolved(filter: ReadonlyMap<string, readonly string[]>, resolved: ReadonlySet<string>): ReadonlyMap<string, readonly string[]> {
  let out: Map<string, readonly string[]> | undefined;
  for (const [n, names] of filter) {
    if (!names.some((b) => resolved.has(b))) continue;
    out ??= new Map(filter);
    const left = names.filter((b) => !resolved.has(b));
    if (left.length > 0) out.set(n, left);
    else out.delete(n);
  }
  return out ?? filter;
}

function sameSlots(a: readonly number[] | undefined, b: readonly number[] | undefined): boolean {
  if (a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((s, i) => s === b[i]);
}


export function directoryOf(path: string): string {
  const i = path.lastIndexOf('/');
  return i < 0 ? '' : path.slice(0, i);
}

function fileStem(path: string): string {
  const base = path.slice(path.lastIndexOf('/') + 1);
  const dot = base.indexOf('.');
  return dot > 0 ? base.slice(0, dot) : base;
}

function addTerms(tf: Map<string, number>, terms: readonly string[], weight: number): void {
  for (const t of terms) tf.set(t, (tf.get(t) ?? 0) + weight);
}

/**
 * The weighted term frequencies of one definition's lexical document: its name, container, signature,
 * doc comment and file name; without a doc comment, also (weakly) the names its body references.
 */
export function definitionTerms(def: Definition, referencedNames: readonly string[] = []): Map<string, number> {
  const tf = new Map<string, number>();
  if (def.doc === undefined) forEachDocumentName(referencedNames.length, (i) => referencedNames[i] as string, (name) => addTerms(tf, identifierTerms(name), REFERENCE_WEIGHT));
  addTerms(tf, identifierTerms(def.name), NAME_WEIGHT);
  if (def.container !== undefined) addTerms(tf, identifierTerms(def.container), CONTAINER_WEIGHT);
  addTerms(tf, textTerms(def.signature), SIGNATURE_WEIGHT);
  if (def.doc !== undefined) addTerms(tf, textTerms(def.doc.slice(0, MAX_DOC_CHARS)), DOC_WEIGHT);
  const stem = fileStem(def.file);
  if (!UNINFORMATIVE_STEMS.has(stem.toLowerCase())) addTerms(tf, identifierTerms(stem), PATH_WEIGHT);
  return tf;
}

export function fileTerms(file: IndexedFile): Map<string, number> {
  const tf = new Map<string, number>();
  forEachDocumentName(identifierCount(file), (i) => identifierAt(file, i), (name) => addTerms(tf, identifierTerms(name), FILE_IDENTIFIER_WEIGHT));
  addTerms(tf, identifierTerms(fileStem(file.path)), FILE_NAME_WEIGHT);
  return tf;
}

/**
 * Visits the names whose terms a document holds of distinct `names` (a file's identifiers, the names a definition
 * references; `count` of them, `nameAt` each): each, in order, but the members of Python `from … import` names (`views:index`: fromImportMemberName)
 * after them, by their member's name (`index`), each once and none that is among `names` itself — a member's terms
 * are its member's (identifierTokens), and `views.index()`, `other.index()` and a plain `index` would each add them
 * again where there was one name `index` before members were recorded apart. (The ranking index's documents, made
 * of name ids, do the same: fileDocument, definitionDocument.)
 */
function forEachDocumentName(count: number, nameAt: (index: number) => string, visit: (name: string) => void): void {
  let members: Set<string> | undefined;
  for (let i = 0; i < count; i++) {
    const name = nameAt(i);
    const mark = fromImportMemberMark(name);
    if (mark > 0) (members ??= new Set()).add(name.slice(mark + 1));
    else visit(name);
  }
  if (members === undefined) return;
  for (let i = 0; i < count; i++) members.delete(nameAt(i));
  for (const member of members) visit(member);
}

/** Interned strings: names are compared and keyed as numbers. */
class NameTable {
  private readonly ids = new Map<string, number>();
  private readonly names: string[] = [];
  /**
   * Name ids by the number of a string in `shared` (the table stored files keep their identifiers in: IdentifierIds),
   * -1 when not looked up yet: a build interns each file's identifiers by number, not by hashing their strings
   * (~750,000 lookups in a map of strings at 5,000 files, 0.15 of the build).
   */
  private shared: readonly string[] | undefined;
  private byShared = new Int32Array(0);
  /** lowerId's answers by id, -1 when not asked yet. */
  private lower = new Int32Array(0);

  intern(name: string): number {
    let id = this.ids.get(name);
    if (id === undefined) {
      id = this.names.length;
      this.ids.set(name, id);
      this.names.push(name);
    }
    return id;
  }

  /** intern(table[sharedId]), remembered by the number (see `shared`). */
  internShared(table: readonly string[], sharedId: number): number {
    if (table !== this.shared) {
      this.shared = table;
      this.byShared = new Int32Array(0);
    }
    if (sharedId >= this.byShared.length) this.byShared = withLength(this.byShared, Math.max(sharedId + 1, table.length), -1);
    let id = this.byShared[sharedId] as number;
    if (id < 0) {
      id = this.intern(table[sharedId] as string);
      this.byShared[sharedId] = id;
    }
    return id;
  }

  /** The id of the name `id` in lower case (interned on first asking). */
  lowerId(id: number): number {
    if (id >= this.lower.length) this.lower = withLength(this.lower, Math.max(id + 1, this.names.length), -1);
    let lowerId = this.lower[id] as number;
    if (lowerId < 0) {
      lowerId = this.intern(this.name(id).toLowerCase());
      this.lower[id] = lowerId;
    }
    return lowerId;
  }

  /** The id of a name, or -1 when it was never interned. */
  find(name: string): number {
    return this.ids.get(name) ?? -1;
  }

  name(id: number): string {
    return this.names[id] as string;
  }

  get size(): number {
    return this.names.length;
  }
}

const NO_SLOTS: readonly number[] = Object.freeze([]);
/**
 * Room a build leaves in the per-slot arrays beyond the slots it fills, as a share of them: an edited file takes new
 * slots (its old ones are freed, reused after a rebuild), and an index sized exactly would grow every per-slot array by
 * half at the first edit — at 50,000 files 43 MB of new arrays in 300 edits, the old ones waiting for a collection
 * (session 35, in-process: 291 → 248 MB of array buffers after the edits). The bench's session peak did not move
 * (650–674 MB either way: V8 collects them soon enough there). Untouched, the room costs next to nothing (zero-filled
 * pages are not resident until written).
 */
const SLOT_ROOM_SHARE = 1 / 16;
/** Bytes a packed reference row entry takes, a first guess for a build (measured: ~2.4 in a synthetic workspace). */
const ROW_BYTES_PER_REFERENCE_ESTIMATE = 3;
/** When the index tidies up after churn (tests lower these to exercise it on small workspaces). */
export interface RankingIndexLimits {
  /** Rebuild (renumber slots, drop dead reference rows) once this many slots are free and most are. */
  readonly rebuildDeadSlots: number;
  /** Compact the edge pool once this many memoised edges are stale and they are most of it. */
  readonly compactDeadEdges: number;
  /** At most this many edges stay memoised (12 bytes each); past it the memo starts over. */
  readonly maxMemoisedEdges: number;
  /** A sync's last steps fold the BM25 log and the recent referrers in, giving way after about this many postings and references (their own defaults when absent). */
  readonly settleStep?: number;
  /** A sync's passes over the files give way after about this much work (files and definitions; SYNC_STEP_WORK when absent). */
  readonly syncStep?: number;
}

/**
 * Lexical terms per slot, a first guess for the BM25 log of a build (measured: 11.2 in effect, 17.3 in a
 * synthetic workspace, 18.3 in monaco). A guess too high only leaves room that the settle after the build
 * drops; one too low makes the log grow to a projection (see Bm25Index.reserve), the first arrays wasted.
 */
const POSTINGS_PER_SLOT_ESTIMATE = 20;

// 1.5 million edges (18 MB) hold every edge a 5,000-file workspace's queries walk (synthetic-5000: at most 0.97
// million memoised in a session of 620 queries); at 50,000 files the memo keeps the part recent queries walk
// through, not every edge ever computed. (4 million, 48 MB, kept 29 MB more typed arrays at 50,000 files than 1.5
// million, whose recomputed edges cost 3-6 % more query CPU there.)
export const DEFAULT_RANKING_LIMITS: RankingIndexLimits = { rebuildDeadSlots: 8_192, compactDeadEdges: 65_536, maxMemoisedEdges: 1_500_000 };

/**
 * How a Python file reads the members of its `from pkg import views` names (`views:index`: fromImportMemberName): those
 * of views the module pkg/views.py (a SubmoduleImport) — bound by no name of pkg/__init__.py (none there: a namespace
 * package) — that the module binds (pythonModuleBinds) are its members; any other (a class's `Model.objects`, Flask's
 * `from .app import app` in pkg/__init__.py over a module app.py) is read by its member's own name, as before.
 */
interface FromImportReading {
  readonly file: IndexedFile;
  readonly submodules: ReadonlyMap<string, SubmoduleImport>;
  /** The file's fromImportMemberNames read as the module's members. */
  readonly members: ReadonlySet<string>;
  /** The files read (each package's __init__.py and module) as `files` held them (undefined: absent). */
  readonly read: ReadonlyMap<string, IndexedFile | undefined>;
}

/**
 * By a Python module's version: the names it binds (pythonBoundNames), made once for all the files importing from it —
 * as a module, for its members, and as a package's __init__.py, where `from . import views` binds no other name over
 * its module views.
 */
const boundNamesByModule = new WeakMap<IndexedFile, ReadonlySet<string>>();
const boundNamesByPackageInit = new WeakMap<IndexedFile, ReadonlySet<string>>();

function pythonBoundNamesOf(module: IndexedFile, asPackageInit: boolean): ReadonlySet<string> {
  const cache = asPackageInit ? boundNamesByPackageInit : boundNamesByModule;
  let names = cache.get(module);
  if (names === undefined) {
    names = pythonBoundNames(module.imports, definitionReaderOf(module), asPackageInit ? module.path : undefined);
    cache.set(module, names);
  }
  return names;
}

/** `file`'s FromImportReading, in the workspace's `files`. */
function fromImportReading(file: IndexedFile, submodules: ReadonlyMap<string, SubmoduleImport>, files: ReadonlyMap<string, IndexedFile>): FromImportReading {
  const read = new Map<string, IndexedFile | undefined>();
  const look = (path: string): IndexedFile | undefined => {
    if (!read.has(path)) read.set(path, files.get(path));
    return read.get(path);
  };
  const binds = (module: IndexedFile, name: string, asPackageInit = false): boolean => pythonBoundNamesOf(module, asPackageInit).has(name);
  const isModule = new Map<string, boolean>();
  let any = false;
  for (const [local, sub] of submodules) {
    const init = look(sub.packageInit);
    const module = look(sub.file) !== undefined && (init === undefined || !binds(init, sub.name, true));
    isModule.set(local, module);
    any ||= module;
  }
  let members: Set<string> | undefined;
  for (let i = 0, n = any ? identifierCount(file) : 0; i < n; i++) {
    const name = identifierAt(file, i);
    const mark = fromImportMemberMark(name);
    if (mark <= 0) continue;
    const sub = submodules.get(name.slice(0, mark));
    const module = sub === undefined || isModule.get(name.slice(0, mark)) !== true ? undefined : look(sub.file);
    if (module !== undefined && binds(module, name.slice(mark + 1))) (members ??= new Set()).add(name);
  }
  return { file, submodules, members: members ?? NO_MEMBERS, read };
}

const NO_MEMBERS: ReadonlySet<string> = new Set();

/** Whether two sets hold the same strings. */
function sameStrings(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  if (a.size !== b.size) return false;
  for (const x of a) if (!b.has(x)) return false;
  return true;
}

/**
 * The local names a file's imports give (localNamesOf), and those its references to members of its namespace imports
 * are (`Option.some`: namespaceMembersOf): each means what it stands for in the file it comes from, and nothing else.
 */
function allLocalNamesOf(file: IndexedFile): readonly LocalName[] {
  const renamed = localNamesOf(file);
  if (!hasNamespaceImports(file.language)) return renamed;
  const identifiers = { *[Symbol.iterator](): Generator<string> { for (let i = 0, n = identifierCount(file); i < n; i++) yield identifierAt(file, i); } };
  const members = namespaceMembersOf(file, identifiers);
  return members.length === 0 ? renamed : renamed.length === 0 ? members : [...renamed, ...members];
}

/**
 * A file's references to members of its namespace imports (namespaceMembersOf) as the ranking index keeps them
 * (RankingIndex.namespaceMembersByFile): MEMBER_FIELDS numbers each — the qualified name's id (`Option.some`), the
 * member's name id (`some`), the id of the file the namespace import reaches (EVERY_TARGET: each file it reaches, a Go
 * package's), and that import's position in the file's imports — sorted by the qualified name's id. (An object per
 * member, kept twice, cost ~400 bytes each: 3 MB for effect's ~60,000, most files of a codebase written that way naming
 * a dozen or more.)
 */
const MEMBER_FIELDS = 4;

/**
 * A member table's target for a namespace import that reaches several files (a Go package's): one row for the member,
 * not one per file of the package (a file using 20 members of 8 packages of 40 files each: 6,400 rows, 100 KB).
 */
const EVERY_TARGET = -1;

/** The most definitions of a Go package member's name read one by one for it (fewPackageMemberSlots); more: each file of the package asked. */
const FEW_PACKAGE_MEMBERS = 8;

/** The position in a namespace member table (MEMBER_FIELDS) of the first member whose qualified name is `nameId`, or -1. */
function firstMember(members: Int32Array, nameId: number): number {
  let low = 0;
  let high = members.length / MEMBER_FIELDS;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((members[mid * MEMBER_FIELDS] as number) < nameId) low = mid + 1;
    else high = mid;
  }
  return low * MEMBER_FIELDS < members.length && members[low * MEMBER_FIELDS] === nameId ? low * MEMBER_FIELDS : -1;
}

/** The paths of the files the namespace imports of `file`, whose member table `members` is (MEMBER_FIELDS), reach, each once. */
function memberTargets(file: IndexedFile, members: Int32Array, pathOf: (id: number) => string): ReadonlySet<string> {
  const targets = new Set<string>();
  for (let m = 0; m < members.length; m += MEMBER_FIELDS) {
    const target = members[m + 2] as number;
    if (target !== EVERY_TARGET) targets.add(pathOf(target));
    else forEachNamespaceImportTarget(file, members[m + 3] as number, (t) => void targets.add(t));
  }
  return targets;
}

/**
 * The files the import at `position` of `file`'s imports reaches, never `file` itself (as namespaceTargetsOf lists
 * them): `visit` with each. (No array made: computing a definition's edges reads it for every row of a Go package's
 * members.)
 */
function forEachNamespaceImportTarget(file: IndexedFile, position: number, visit: (path: string) => void): void {
  const imp = file.imports[position];
  if (imp === undefined) return;
  if (imp.targets === undefined) {
    if (imp.resolved !== undefined && imp.resolved !== file.path) visit(imp.resolved);
    return;
  }
  for (const t of imp.targets) if (t.file !== file.path) visit(t.file);
}

/** A file's local names by name id (localNamesById) grouped by the file each comes from, in the same order. */
function localNamesByTarget(localNames: ReadonlyMap<number, readonly LocalName[]>): ReadonlyMap<string, ReadonlyMap<number, readonly LocalName[]>> {
  const byTarget = new Map<string, Map<number, LocalName[]>>();
  for (const [localId, locals] of localNames) {
    for (const local of locals) {
      let byId = byTarget.get(local.file);
      if (byId === undefined) {
        byId = new Map();
        byTarget.set(local.file, byId);
      }
      const list = byId.get(localId);
      if (list) list.push(local);
      else byId.set(localId, [local]);
    }
  }
  return byTarget;
}

/**
 * Whether a file's new version can keep its ranking entry (slots, rows, importer links) as it is: the same extraction
 * under a new fingerprint (a touched file: StoredFile.with shares its arrays). The same text extracted anew (an open
 * document settling after edits near a syntax error: same hash, other definitions and references) is re-ranked.
 */
function rankedAsIs(file: IndexedFile, ranked: IndexedFile): boolean {
  return file === ranked || (sameDefinitions(file, ranked) && file.hash === ranked.hash && sameImports(file, ranked));
}

function sameImports(a: IndexedFile, b: IndexedFile): boolean {
  if (a.imports.length !== b.imports.length) return false;
  return a.imports.every((imp, i) => {
    const other = b.imports[i];
    // (A file's own renamed exports reach no file, but pass its names on as others: `export { void_ as void }`.)
    if (other === undefined || !sameTargets(imp, other)) return false;
    return (!isOwnExportsEdge(imp) && !isOwnExportsEdge(other)) || (imp.source === other.source && sameNames(imp.names, other.names));
  });
}

export class RankingIndex implements EdgeGraph {
  private names = new NameTable();
  /** File ids by path, and back (a path keeps its id across versions until a rebuild). */
  private fileIds = new Map<string, number>();
  private filePaths: string[] = [];
  private entriesById: (FileEntry | undefined)[] = [];
  private entries = new Map<string, FileEntry>();
  /** One more than the highest slot in use (slots are never reused until a rebuild). */
  private slotEnd = 0;
  private liveSlots = 0;
  private deadSlots = 0;
  private kinds = new Uint8Array(1024);
  /** By slot: file id; index of the definition in its file (-1 for a file node); name id (-1 for a file node). */
  private slotFile = new Int32Array(1024);
  private slotDefinition = new Int32Array(1024);
  private slotName = new Int32Array(1024);
  /** By slot: the names it references directly with their mention counts, the packed row rowBytes[refStart[s] ..
   * refStart[s + 1]) (packedReferenceRows.ts; refStart[slotEnd] = refUsed). Mentions are almost always 1 (a file lists each name once per enclosing
   * definition; only definitions sharing an id share a slot). The rows follow each other in slot order: a file's
   * slots are the next ones (addFile), and its rows are written as they are made (addReferenceRows). */
  private refStart = new Int32Array(1025); // (one more than the slots: where the last row ends)
  private rowBytes = new Uint8Array(4096);
  private refUsed = 0;
  /** Reads rows for computeEdges and definitionDocument (each reads one row at a time). */
  private readonly rowReader = new ReferenceRowReader();
  private definitionsByName = new SlotMultimap();
  private definitionsByLowerName = new SlotMultimap();
  private referrersByName = new NameReferrers();
  /**
   * Set while every file is being added (a build from nothing, a rebuild): their referrers are not recorded
   * one by one (~6 million at 50,000 files, each an element of a multimap's array) but read from the
   * reference rows by the freeze that ends the sync.
   */
  private referrersFromRows = false;
  private importersByFile = new StringSetMap<string>();
  /**
   * By file id: the local names its imports give names they bring (`import { cartTotal as total }`), by name id; none
   * for most files. A reference by such a name means what the name brings (localTargets).
   */
  private localNamesByFile: (ReadonlyMap<number, readonly LocalName[]> | undefined)[] = [];
  /**
   * By file id: its local names (localNamesByFile) by the file each comes from, then by name id — what localCallersOf
   * reads of an importer for one target (a routes file's hundreds of default imports of hundreds of pages: all of its
   * local names read for each page, pages × imports after each edit of it).
   */
  private localNamesByTarget: (ReadonlyMap<string, ReadonlyMap<number, readonly LocalName[]>> | undefined)[] = [];
  /**
   * By file id: its references to members of its namespace imports (`Option.some`: namespaceMembersOf) as a member
   * table (MEMBER_FIELDS); none for most files. Such a reference means what the member's name brings from the module
   * (memberSlots, by localNameTargets), as a local name does.
   */
  private namespaceMembersByFile: (Int32Array | undefined)[] = [];
  /**
   * By Python file: the members of its `from pkg import views` names (`views:index`: fromImportMemberName) that are the
   * module pkg/views.py's (its SubmoduleImport's) — views bound by no name of pkg/__init__.py, and the module binding
   * index — with the files that told (fromImportReading). The other members of such names are read as their own names.
   * Only files with such an import (pythonSubmoduleImports): a file's reading is made once, when it is ranked, and made
   * again at a sync only when one of the files it read changed.
   */
  private fromImportReadings = new Map<string, FromImportReading>();
  /**
   * By path: the files whose fromImportReading read it, found there or not: a sync looks again only at the readings of
   * the files it changed, or that came or went.
   */
  private readersByPath = new StringSetMap<string>();
  /**
   * By name id: for a fromImportMemberName, its member's name id + 2; 1 for another name; 0 not yet looked at (memberIdOf).
   * Names are interned once for all files: each is looked at once, not each time a file references it.
   */
  private memberIds = new Int32Array(0);
  /** definitionDocument's members of `from … import` names, reused from document to document. */
  private readonly memberScratch: number[] = [];
  /** By file: the files whose imports give local names to names they bring from it (localNamesByFile, namespaceMembersByFile). */
  private localNamersByFile = new StringSetMap<string>();
  /**
   * By file id, made when asked (localCallersOf): for each of its definitions some importer gives a local name, the
   * importers and local names — so the callers of a definition look up its own (a scan of every importer's local
   * names, each resolved against all the file's definitions, cost definitions² × importers: `import api from` in
   * hundreds of files of a module of hundreds of definitions, 7 s to rank).
   */
  private localCallers = new Map<number, { entry: FileEntry; bySlot: Map<number, number[]> }>();
  /** By file id, made when asked (defaultExportSlots): the definitions it exports as the default. */
  private defaultExports = new Map<number, { entry: FileEntry; slots: ReadonlySet<number> }>();
  /** By file id, made when asked (reexportedSlots): the definitions names imported from it reach through its imports. */
  private reexports = new Map<number, ReexportTable>();
  /** By file: the files whose re-export tables (reexports) read it. */
  private reexportReaders = new StringSetMap<string>();
  /** How many times a change of a file re-exported through a barrel forgot an importer's import edges (updateReexports). */
  private reexportResets = 0;
  private filesByDirectory = new StringSetMap<string>();
  private bm25 = new Bm25Index();
  /** Term ids of the words of names, signatures and doc comments (of `bm25`), and the document being built. */
  private words = new WordTermIds((term) => this.bm25.termId(term));
  private document = new LexicalDocument(this.words);
  /** The last file whose name stem was asked for, and its stem (undefined when uninformative). */
  private stemPath: string | undefined;
  private stemOfPath: string | undefined;
  /** Memoised edges by slot: pool positions memoStart..memoEnd, memoStart -1 when not computed. */
  private memoStart = new Int32Array(1024).fill(-1);
  private memoEnd = new Int32Array(1024);
  private readonly edgePool = new EdgePool();
  /** The pool segment of the slot last asked for by edgesStart. */
  private edgeSegment: EdgeSegment = this.edgePool.segmentAt(0);
  /** computeEdges' work arrays: forward weight by target slot (zero between calls), targets in first-reached order, candidates of a name. */
  private edgeWeightByTarget = new Float32Array(1024); // (single precision, as the edges' weights: EdgePool)
  private edgeTargetOrder = new Int32Array(256);
  private edgeTargetCount = 0;
  private candidateSlots = new Int32Array(256);
  /** resolveMarked's other answer: whether the slots it listed are the ones the file's imports prefer. */
  private resolvedPreferred = false;
  /** addImportEdges' work array: the definition slots an import links to. */
  private linkedSlots = new Int32Array(256);
  /** localLinkSlots' work array: broughtSlots' answer, emptied before and after each use. */
  private readonly broughtScratch: number[] = [];
  /** The files the file computeEdges, forEachUsedName or forEachResolvedNameOfFile works on imports (markImportsOf). */
  private readonly imported = new FileStamps();
  /** The files importing the file of the definition callers works on, when marked (markImporters). */
  private readonly importers = new FileStamps();
  /** callers' work arrays: the name's referrers, the callers kept, and those in the same or an importing file. */
  private referrerSlots = new Int32Array(256);
  private callerSlots = new Int32Array(256);
  private closeCallerSlots = new Int32Array(256);
  /** addReferenceRows' work arrays: a file's references (slot offset, name), grouped by slot; a stamp and row position per name (the stamp definitionDocument's too). */
  private rowSlot = new Int32Array(1024);
  private rowName = new Int32Array(1024);
  private rowStart = new Int32Array(64);
  private rowSorted = new Int32Array(1024);
  private nameStamp = new Int32Array(1024);
  private namePosition = new Int32Array(1024);
  private stamp = 0;
  private liveDefinitions = 0;
  /** Files without definitions, ranked as a whole (SlotKind.RankedFile). */
  private liveRankedFiles = 0;
  private syncedSnapshot: IndexSnapshot | undefined;
  private syncedVersion = -1;
  private pending: { snapshot: IndexSnapshot; version: number; steps: Generator<void, boolean, void> } | undefined;
  /** Bumps whenever the ranker's view changes (a version change or an index swap). */
  generation = 0;

  constructor(private readonly limits: RankingIndexLimits = DEFAULT_RANKING_LIMITS) {}

  get lexical(): Bm25Index {
    return this.bm25;
  }

  /** One more than the highest slot number in use (slots are never reused until a rebuild). */
  get capacity(): number {
    return this.slotEnd;
  }

  /** Slots the per-slot arrays hold (room for edits included: SLOT_ROOM_SHARE), for tests and measurements. */
  get slotRoom(): number {
    return this.kinds.length;
  }

  /**
   * How many times an importer of a barrel had its import edges forgotten because a file the barrel re-exports from
   * changed (only importers of a name that changed are), since this index was made: work a test can count.
   */
  get reexportImporterResets(): number {
    return this.reexportResets;
  }

  get definitionCount(): number {
    return this.liveDefinitions;
  }

  /** Files ranked as a whole (they have no definitions): with the definitions, what a query ranks. */
  get rankedFileCount(): number {
    return this.liveRankedFiles;
  }

  get edgeTargets(): Int32Array {
    return this.edgeSegment.targets;
  }

  get edgeWeights(): Float32Array {
    return this.edgeSegment.weights;
  }

  /** The node in a slot, made on request (undefined for a free slot). */
  node(slot: number): RankNode | undefined {
    const entry = this.entryOfSlot(slot);
    return entry && nodeIn(entry, this.kindOf(slot), slot);
  }

  /**
   * The entry of the file holding a slot now. An entry keeps its file's definitions as they were when it was added:
   * nodeIn(entry, kind, slot) made later is the slot's node as it is now, whatever syncs come between (a query's
   * packing waits on file reads, during which other requests can sync the index and free or renumber slots).
   */
  entryOfSlot(slot: number): FileEntry | undefined {
    const kind = this.kindOf(slot);
    return kind === SlotKind.Free ? undefined : this.entriesById[this.slotFile[slot] as number];
  }

  /** The definition in a slot, made anew, if it holds one (definitionName and the others read one field without making it). */
  definitionAt(slot: number): Definition | undefined {
    if (this.kinds[slot] !== SlotKind.Definition) return undefined;
    return this.entriesById[this.slotFile[slot] as number]?.definitions.at(this.slotDefinition[slot] as number);
  }

  /** The name of the definition in a slot (interned when it was added), if the slot holds one. */
  definitionName(slot: number): string | undefined {
    return this.kinds[slot] === SlotKind.Definition ? this.names.name(this.slotName[slot] as number) : undefined;
  }

  /** The container of the definition in a slot, if the slot holds one and it has one. */
  definitionContainer(slot: number): string | undefined {
    if (this.kinds[slot] !== SlotKind.Definition) return undefined;
    return this.entriesById[this.slotFile[slot] as number]?.definitions.containerAt(this.slotDefinition[slot] as number);
  }

  /** The start line of the definition in a slot, if the slot holds one. */
  definitionStartLine(slot: number): number | undefined {
    if (this.kinds[slot] !== SlotKind.Definition) return undefined;
    return this.entriesById[this.slotFile[slot] as number]?.definitions.startLineAt(this.slotDefinition[slot] as number);
  }

  /** Path of the file a live slot belongs to. */
  fileOf(slot: number): string {
    return this.filePaths[this.slotFile[slot] as number] as string;
  }

  /** Distinct names a slot references directly (innermost enclosing definition), first mention first. */
  referencedNames(slot: number): string[] {
    const out: string[] = [];
    if (this.kindOf(slot) === SlotKind.Free) return out;
    for (const row = this.openRow(slot, new ReferenceRowReader()); !row.done; ) out.push(this.names.name(row.next()));
    return out;
  }

  /**
   * Whether live slot `a` comes before live slot `b` in a fresh index's order: by file path, then by place in the
   * file (a file's slots are contiguous, in extraction order). Tie-breaks use it, not slot numbers, because an
   * edited file takes new slots at the end: results must not depend on which files were edited since the start.
   */
  precedes(a: number, b: number): boolean {
    const fa = this.slotFile[a] as number;
    const fb = this.slotFile[b] as number;
    if (fa === fb) return a < b;
    return (this.filePaths[fa] as string) < (this.filePaths[fb] as string);
  }

  kindOf(slot: number): SlotKind {
    return (slot < this.slotEnd ? (this.kinds[slot] ?? SlotKind.Free) : SlotKind.Free) as SlotKind;
  }

  /** Definitions and files ranked as a whole: what can become a context item. */
  isRankable(slot: number): boolean {
    const kind = this.kinds[slot];
    return kind === SlotKind.Definition || kind === SlotKind.RankedFile;
  }

  entry(path: string): FileEntry | undefined {
    return this.entries.get(path);
  }

  definitionsNamed(name: string): readonly number[] {
    const id = this.names.find(name);
    return id < 0 ? NO_SLOTS : this.definitionsByName.get(id);
  }

  /** Definitions whose name, lower-cased, is `lowerName`. */
  definitionsNamedIgnoringCase(lowerName: string): readonly number[] {
    const id = this.names.find(lowerName);
    return id < 0 ? NO_SLOTS : this.definitionsByLowerName.get(id);
  }

  /** The files importing `path` (not to be kept: a later version may change it). */
  importersOf(path: string): readonly string[] | ReadonlySet<string> {
    return this.importersByFile.values(path);
  }

  /** The files in `directory` (not to be kept: a later version may change it). */
  filesIn(directory: string): readonly string[] | ReadonlySet<string> {
    return this.filesByDirectory.values(directory);
  }

  /** How many files `directory` holds. */
  fileCountIn(directory: string): number {
    return this.filesByDirectory.count(directory);
  }

  /**
   * Whether this view holds the snapshot as it was at `version` or later (by default: as it is now, so a sync would
   * find nothing to do) and no sync is under way — one that has begun may have taken changed files out for re-ranking.
   */
  isSyncedWith(snapshot: IndexSnapshot, version = snapshot.version): boolean {
    return this.pending === undefined && this.holds(snapshot, version);
  }

  private holds(snapshot: IndexSnapshot, version: number): boolean {
    return snapshot === this.syncedSnapshot && this.syncedVersion >= version;
  }

  /** Brings this view up to date with the snapshot, all at once. Returns true when anything changed. */
  sync(snapshot: IndexSnapshot): boolean {
    return runToEnd(this.syncSteps(snapshot));
  }

  /**
   * The same work as `sync`, in steps: the generator yields after every few thousand definitions, after a build's
   * reservation of its arrays, and while folding the BM25 log and the referrers in (every ~2^19 postings, ~2^18
   * references), so an async caller can let the event loop run (a first build over 50,000 files takes seconds).
   * Nothing but this generator may change the view until it is done.
   * An unfinished sync (its caller was cancelled) is finished first by the next sync of any kind.
   * Returns true when anything changed.
   */
  syncSteps(snapshot: IndexSnapshot): Generator<void, boolean, void> {
    if (this.pending && this.pending.snapshot === snapshot && this.pending.version === snapshot.version) return this.pending.steps;
    if (this.pending) runToEnd(this.pending.steps);
    const steps = this.runSync(snapshot);
    this.pending = { snapshot, version: snapshot.version, steps };
    return steps;
  }

  private *runSync(snapshot: IndexSnapshot): Generator<void, boolean, void> {
    try {
      if (this.holds(snapshot, snapshot.version)) return false;
      const version = snapshot.version;
      const changed: IndexedFile[] = [];
      const freed: number[] = [];
      const budget = new StepBudget(this.limits.syncStep ?? SYNC_STEP_WORK);
      for (const [path, entry] of this.entries) {
        const file = snapshot.files.get(path);
        if (file && rankedAsIs(file, entry.file)) continue;
        if (budget.spend(this.dropForReranking(path, entry, changed, freed))) yield;
      }
      // Mostly dead slots (most files changed, e.g. a branch switch): every slot is renumbered, dead rows dropped, by
      // forgetting everything and building from nothing as below (reserved arrays, path order: slots as a fresh index's).
      if (this.deadSlots > this.limits.rebuildDeadSlots && this.deadSlots > this.liveSlots) this.reset();
      const fromNothing = this.entries.size === 0;
      if (fromNothing) {
        this.reserveForBuild(snapshot);
        this.referrersFromRows = true;
        yield;
      }
      // A build from nothing takes the files in path order, so that their slots — and with them tie-breaks and
      // the order of floating-point sums — do not depend on which parser thread finished a file first.
      for (const [path, file] of fromNothing ? inPathOrder(snapshot.files) : snapshot.files) {
        const entry = this.entries.get(path);
        let work = 0;
        if (!entry) {
          work += this.addChanged(file, snapshot.files, changed);
        } else if (entry.file !== file) {
          if (rankedAsIs(file, entry.file)) this.setEntry(path, new RankedFileEntry(file, entry.fileSlot, definitionReaderOf(file)));
          else {
            // Changed again while this sync gave way after its first pass (review19): re-ranked like any changed
            // file (keeping the entry would leave its slots and its importer links those of the other version).
            work += this.dropForReranking(path, entry, changed, freed) + this.addChanged(file, snapshot.files, changed);
          }
        }
        if (budget.spend(work)) yield;
      }
      // A Python file ranked as it is reads its `from pkg import views` members otherwise when pkg/__init__.py or
      // pkg/views.py changed so (fromImportReading): ranked again, as a fresh index would rank it. (A build from
      // nothing read every file's with the snapshot's files.)
      if (!fromNothing) {
        for (const path of this.readingsChangedBy(changed.map((f) => f.path), snapshot.files)) {
          const entry = this.entries.get(path);
          const file = snapshot.files.get(path);
          if (entry === undefined || file === undefined) continue;
          if (budget.spend(this.dropForReranking(path, entry, changed, freed) + this.addChanged(file, snapshot.files, changed))) yield;
        }
      }
      // (Most names' slot lists are complete after a build from nothing: the room their growth left goes.)
      if (fromNothing) {
        this.definitionsByName.trim();
        this.definitionsByLowerName.trim();
      }
      // After a build from nothing every live slot is new, with no edges memoised (and the referrers, which a
      // targeted invalidation reads, are only complete after the freeze below).
      if (this.referrersFromRows) this.forgetAllEdges();
      else this.invalidateEdges(changed, freed);
      // Folding the log and the recent referrers in reads every posting and reference: ~600 ms at 50,000 files, in
      // steps too (an edit typed during a build waits for one step, not for all of it).
      const step = this.limits.settleStep;
      yield* this.bm25.settleSteps(step);
      if (this.referrersFromRows) yield* this.referrersByName.freezeFromRowsSteps(this.referenceRows(), step);
      else yield* this.referrersByName.freezeSteps(this.referenceRows(), step);
      this.referrersFromRows = false;
      // The snapshot may have changed while this ran in steps: the version seen at the start is the
      // one recorded, so the next sync diffs again and picks up whatever came in meanwhile.
      this.syncedSnapshot = snapshot;
      this.syncedVersion = version;
      this.generation++;
      return true;
    } finally {
      this.pending = undefined;
    }
  }

  /**
   * The files ranked whose fromImportReading `files` change: one of the files it read is another there, and reading
   * again tells other members. (Where the members are the same, the reading is kept with the files as they are now.)
   * Only the readings that read one of `paths` (the files a sync changed, came or went: readersByPath) are looked at,
   * not every reading at every sync.
   */
  private readingsChangedBy(paths: readonly string[], files: ReadonlyMap<string, IndexedFile>): string[] {
    if (this.fromImportReadings.size === 0) return [];
    const readers = new Set<string>();
    for (const path of paths) for (const reader of this.readersByPath.values(path)) readers.add(reader);
    const out: string[] = [];
    for (const path of readers) {
      const reading = this.fromImportReadings.get(path);
      if (reading === undefined) continue;
      let same = true;
      for (const [read, seen] of reading.read) if (files.get(read) !== seen) same = false;
      if (same) continue;
      const next = fromImportReading(reading.file, reading.submodules, files);
      if (sameStrings(next.members, reading.members)) this.setReading(path, next);
      else out.push(path);
    }
    return out;
  }

  /** Keeps `reading` as the file at `path`'s (none: drops its reading), and the paths it read (readersByPath). */
  private setReading(path: string, reading: FromImportReading | undefined): void {
    const before = this.fromImportReadings.get(path);
    if (before !== undefined) {
      for (const read of before.read.keys()) this.readersByPath.delete(read, path);
    }
    if (reading === undefined) {
      this.fromImportReadings.delete(path);
      return;
    }
    this.fromImportReadings.set(path, reading);
    for (const read of reading.read.keys()) this.readersByPath.add(read, path);
  }

  /**
   * Forgets the memoised edges that files changing (old and new versions in `changed`) can affect:
   * nodes referencing a name they define (forward edges), definitions of a name they define or
   * reference (callers and ambiguity), and their importers (import edges). A changed import list
   * only matters for callers in the changed file, which its references already cover — but for the local names it
   * gives (localTargets): the definitions they bring lose their callers, and the nodes of files giving local names to
   * names of a changed file their edges through them. Everything else keeps its edges across versions.
   */
  private invalidateEdges(changed: readonly IndexedFile[], freed: readonly number[]): void {
    if (changed.length > MAX_TARGETED_INVALIDATIONS) {
      this.forgetAllEdges();
      return;
    }
    for (const slot of freed) this.forgetEdges(slot);
    const forgetDefinitionsOf = (id: number): void => {
      if (id >= 0) for (const slot of this.definitionsByName.get(id)) this.forgetEdges(slot);
    };
    for (const file of changed) {
      const definitions = definitionReaderOf(file);
      for (let i = 0; i < definitions.length; i++) {
        const id = this.names.find(definitions.nameAt(i));
        if (id < 0) continue;
        for (const slot of this.referrersOf(id)) this.forgetEdges(slot);
        forgetDefinitionsOf(id);
      }
      // The file's distinct identifiers: every name it references (its packed references' name table), and
      // its definitions' names, already handled above — without decoding a Reference object per occurrence.
      // A text file has identifiers but no references.
      // (And a Python file's `views:index`'s member's, which it references by that name unless views is the module.)
      const python = file.language === 'python';
      if (file.language !== 'text') {
        for (let i = 0, n = identifierCount(file); i < n; i++) {
          const id = this.names.find(identifierAt(file, i));
          forgetDefinitionsOf(id);
          if (python && id >= 0) forgetDefinitionsOf(this.memberIdOf(id));
        }
      }
      for (const importer of this.importersByFile.values(file.path)) {
        const entry = this.entries.get(importer);
        if (entry) this.forgetEdges(entry.fileSlot);
      }
      for (const namer of this.localNamersByFile.values(file.path)) this.forgetDefinitionEdges(namer);
      // (Only the definitions its local names bring, of the old version and the new: an edit of one of hundreds of
      // files doing `import api from './api'` forgets the callers of api's default export, not of all its definitions.)
      for (const local of allLocalNamesOf(file)) {
        for (let k = 0, end = this.localTargets(file.path, [local]); k < end; k++) this.forgetEdges(this.linkedSlots[k] as number);
      }
    }
    this.updateReexports(changed);
    const pool = this.edgePool;
    if (pool.dead > this.limits.compactDeadEdges && pool.dead * 2 > pool.used) pool.compact(this.memoStart, this.memoEnd, this.slotEnd);
  }

  private readonly isLive = (slot: number): boolean => this.kinds[slot] !== SlotKind.Free;

  private readonly pathOfId = (id: number): string => this.filePaths[id] as string;

  private referrersOf(nameId: number): number[] {
    return this.referrersByName.get(nameId, this.isLive);
  }

  private referenceRows(): ReferenceRows {
    return { slotEnd: this.slotEnd, refStart: this.refStart, rowBytes: this.rowBytes, nameCount: this.names.size, isLive: this.isLive };
  }

  /** `reader` positioned on a slot's reference row. */
  private openRow(slot: number, reader: ReferenceRowReader): ReferenceRowReader {
    return reader.open(this.rowBytes, this.refStart[slot] as number, this.refStart[slot + 1] as number);
  }

  private forgetAllEdges(): void {
    this.memoStart.fill(-1);
    this.edgePool.reset();
    // (Files changed without invalidateEdges reading them: what was found through them is found again when asked — a
    // barrel's local callers too, which its table may reach back to: forgetOwnLocalCallers.)
    this.reexports.clear();
    this.reexportReaders.clear();
    this.localCallers.clear();
  }

  private forgetEdges(slot: number): void {
    const start = this.memoStart[slot] ?? -1;
    if (start < 0) return;
    this.edgePool.dead += (this.memoEnd[slot] as number) - start;
    this.memoStart[slot] = -1;
  }

  /** Forgets every file and slot: the sync that calls it builds from nothing (renumbers slots, drops dead rows). */
  private reset(): void {
    this.names = new NameTable();
    this.memberIds = new Int32Array(0);
    this.fileIds = new Map();
    this.filePaths = [];
    this.entriesById = [];
    this.entries = new Map();
    this.slotEnd = 0;
    this.liveSlots = 0;
    this.deadSlots = 0;
    this.kinds = new Uint8Array(1024);
    this.slotFile = new Int32Array(1024);
    this.slotDefinition = new Int32Array(1024);
    this.slotName = new Int32Array(1024);
    this.refStart = new Int32Array(1025);
    this.rowBytes = new Uint8Array(4096);
    this.refUsed = 0;
    this.definitionsByName = new SlotMultimap();
    this.definitionsByLowerName = new SlotMultimap();
    this.referrersByName = new NameReferrers();
    this.importersByFile = new StringSetMap();
    this.localNamesByFile = [];
    this.localNamesByTarget = [];
    this.namespaceMembersByFile = [];
    this.fromImportReadings.clear();
    this.readersByPath.clear();
    this.localNamersByFile = new StringSetMap();
    this.localCallers = new Map();
    this.defaultExports = new Map();
    this.reexports = new Map();
    this.reexportReaders = new StringSetMap();
    this.filesByDirectory = new StringSetMap();
    this.bm25 = new Bm25Index();
    this.words = new WordTermIds((term) => this.bm25.termId(term));
    this.document = new LexicalDocument(this.words);
    this.memoStart = new Int32Array(1024).fill(-1);
    this.memoEnd = new Int32Array(1024);
    this.edgePool.reset();
    this.liveDefinitions = 0;
    this.liveRankedFiles = 0;
  }

  private setEntry(path: string, entry: FileEntry): void {
    this.entries.set(path, entry);
    this.entriesById[this.fileIdOf(path)] = entry;
  }

  private fileIdOf(path: string): number {
    let id = this.fileIds.get(path);
    if (id === undefined) {
      id = this.filePaths.length;
      this.fileIds.set(path, id);
      this.filePaths.push(path);
    }
    return id;
  }

  /**
   * Sizes the arrays for a build from nothing: growing them step by step to millions of entries
   * copies them many times, and each new buffer counts towards V8's external memory (major GCs).
   */
  private reserveForBuild(snapshot: IndexSnapshot): void {
    let slots = 0;
    let references = 0;
    for (const file of snapshot.files.values()) {
      slots += 1 + definitionCount(file);
      if (file instanceof StoredFile) references += file.referenceCount;
    }
    const end = this.slotEnd + slots;
    const room = end + Math.ceil(end * SLOT_ROOM_SHARE);
    this.reserveSlots(room);
    this.rowBytes = withLength(this.rowBytes, this.refUsed + references * ROW_BYTES_PER_REFERENCE_ESTIMATE);
    this.bm25.reserve(slots * POSTINGS_PER_SLOT_ESTIMATE, end, room);
  }

  /**
   * Grows the per-slot arrays to hold slots below `end` (by half, at least), freeing the arrays they replace at once
   * (nothing else holds them): at 50,000 files they are 2.6 MB each, and would otherwise wait for a collection.
   */
  private reserveSlots(end: number): void {
    if (end <= this.kinds.length) return;
    this.kinds = grownReleasing(this.kinds, end);
    this.slotFile = grownReleasing(this.slotFile, end);
    this.slotDefinition = grownReleasing(this.slotDefinition, end);
    this.slotName = grownReleasing(this.slotName, end);
    this.refStart = grownReleasing(this.refStart, this.kinds.length + 1); // (one more than the slots: where the last row ends)
    this.memoStart = grownReleasing(this.memoStart, end, -1);
    this.memoEnd = grownReleasing(this.memoEnd, end);
  }

  /** addFile for a sync: `file` noted among the `changed` (invalidateEdges), and the work it took (a StepBudget's). */
  private addChanged(file: IndexedFile, files: ReadonlyMap<string, IndexedFile>, changed: IndexedFile[]): number {
    this.addFile(file, files);
    changed.push(file);
    return 1 + definitionCount(file);
  }

  private addFile(file: IndexedFile, files: ReadonlyMap<string, IndexedFile>): void {
    const fileSlot = this.slotEnd;
    // (Read through the columns: a stored file's definitions made as objects were ~110 MB of garbage per build of
    // 50,000 files, each read once here.)
    const defs = definitionReaderOf(file);
    const count = defs.length;
    const rankedAsFile = count === 0;
    const fileId = this.fileIdOf(file.path);
    this.reserveSlots(fileSlot + 1 + count);
    this.slotEnd = fileSlot + 1 + count;
    this.liveSlots += 1 + count;
    const submodules = pythonSubmoduleImports(file);
    if (submodules !== undefined) this.setReading(file.path, fromImportReading(file, submodules, files));
    this.addReferenceRows(file, defs, fileSlot);
    for (let i = 0; i <= count; i++) {
      const slot = fileSlot + i;
      this.slotFile[slot] = fileId;
      this.memoStart[slot] = -1;
    }
    this.kinds[fileSlot] = rankedAsFile ? SlotKind.RankedFile : SlotKind.File;
    this.slotDefinition[fileSlot] = -1;
    this.slotName[fileSlot] = -1;
    for (let i = 0; i < count; i++) {
      const slot = fileSlot + 1 + i;
      const nameId = this.names.intern(defs.nameAt(i));
      this.kinds[slot] = SlotKind.Definition;
      this.slotDefinition[slot] = i;
      this.slotName[slot] = nameId;
      this.definitionsByName.add(nameId, slot);
      this.definitionsByLowerName.add(this.names.lowerId(nameId), slot);
      this.bm25.addDocument(slot, this.definitionDocument(file.path, defs, i, slot, file.language === 'python'));
      this.liveDefinitions++;
    }
    if (rankedAsFile) {
      this.bm25.addDocument(fileSlot, this.fileDocument(file));
      this.liveRankedFiles++;
    }
    forEachImportedFile(file, (imported) => this.importersByFile.add(imported, file.path));
    this.noteImportedNames(file, true);
    const localNames = this.localNamesById(file);
    if (localNames !== undefined) {
      this.localNamesByFile[fileId] = localNames;
      const byTarget = localNamesByTarget(localNames);
      this.localNamesByTarget[fileId] = byTarget;
      for (const target of byTarget.keys()) {
        this.localNamersByFile.add(target, file.path);
        this.forgetLocalCallers(target);
      }
    }
    const members = this.namespaceMemberTable(file);
    if (members !== undefined) {
      this.namespaceMembersByFile[fileId] = members;
      for (const path of memberTargets(file, members, this.pathOfId)) {
        this.localNamersByFile.add(path, file.path);
        this.forgetLocalCallers(path);
      }
    }
    this.filesByDirectory.add(directoryOf(file.path), file.path);
    this.setEntry(file.path, new RankedFileEntry(file, fileSlot, defs));
  }

  /** A file's local names (localNamesOf: not its namespace members, namespaceMemberTable) by name id, or undefined: it has none. */
  private localNamesById(file: IndexedFile): ReadonlyMap<number, readonly LocalName[]> | undefined {
    const locals = localNamesOf(file);
    if (locals.length === 0) return undefined;
    const byId = new Map<number, LocalName[]>();
    for (const local of locals) {
      const id = this.names.intern(local.local);
      const list = byId.get(id);
      if (list) list.push(local);
      else byId.set(id, [local]);
    }
    return byId;
  }

  /** A file's namespace members (namespaceMembersOf) as a member table (MEMBER_FIELDS), or undefined: it has none. */
  private namespaceMemberTable(file: IndexedFile): Int32Array | undefined {
    if (!hasNamespaceImports(file.language)) return undefined;
    // The files and import positions of each namespace (as namespaceMembersOf's).
    const byNamespace = namespaceTargetsOf(file);
    const reading = this.fromImportReadings.get(file.path);
    if (byNamespace === undefined && reading === undefined) return undefined;
    const rows: number[] = [];
    // (A Python `from pkg import views`'s members the module binds: fromImportReading.)
    for (const name of reading?.members ?? NO_MEMBERS) {
      const mark = fromImportMemberMark(name);
      const module = reading?.submodules.get(name.slice(0, mark));
      if (module === undefined) continue;
      const qualifiedId = this.names.intern(name);
      rows.push(qualifiedId, this.memberIdOf(qualifiedId), this.fileIdOf(module.file), module.position);
    }
    for (let i = 0, n = byNamespace === undefined ? 0 : identifierCount(file); i < n; i++) {
      const name = identifierAt(file, i);
      const dot = name.lastIndexOf('.');
      if (dot <= 0) continue;
      const targets = byNamespace?.get(name.slice(0, dot));
      if (targets === undefined) continue;
      const qualifiedId = this.names.intern(name);
      const memberId = this.names.intern(name.slice(dot + 1));
      for (let k = 0; k < targets.length; k++) {
        const t = targets[k] as NamespaceTarget;
        // (Targets of one import are listed together: a Go package's files, one row for them all.)
        if (k > 0 && targets[k - 1]?.position === t.position) continue;
        const several = targets[k + 1]?.position === t.position;
        rows.push(qualifiedId, memberId, several ? EVERY_TARGET : this.fileIdOf(t.file), t.position);
      }
    }
    if (rows.length === 0) return undefined;
    const order = Array.from({ length: rows.length / MEMBER_FIELDS }, (_, k) => k * MEMBER_FIELDS);
    order.sort((a, b) => (rows[a] as number) - (rows[b] as number) || a - b);
    const table = new Int32Array(rows.length);
    order.forEach((from, k) => {
      for (let f = 0; f < MEMBER_FIELDS; f++) table[k * MEMBER_FIELDS + f] = rows[from + f] as number;
    });
    return table;
  }

  /** `definitionTerms(def, referencedNames(slot))` as a document of term ids, for the definition `index` of `defs` (the file at `path`'s). */
  private definitionDocument(path: string, defs: DefinitionReader, index: number, slot: number, python: boolean): LexicalDocument {
    const doc = this.document;
    doc.clear();
    const docComment = defs.docAt(index);
    if (docComment === undefined && !python) {
      for (const row = this.openRow(slot, this.rowReader); !row.done; ) doc.addWord(this.nameWord(row.next()), REFERENCE_WEIGHT);
    } else if (docComment === undefined) {
      // (A member of a `from … import` name by its member's name, once, after the others: forEachDocumentName.)
      // (A stamp per name, as addReferenceRows': the names whose terms the document has.)
      this.nameStamp = withLength(this.nameStamp, this.names.size);
      const stamp = ++this.stamp;
      const members = this.memberScratch;
      members.length = 0;
      for (const row = this.openRow(slot, this.rowReader); !row.done; ) {
        const nameId = row.next();
        const member = this.memberIdOf(nameId);
        if (member >= 0) members.push(member);
        else {
          this.nameStamp[nameId] = stamp;
          doc.addWord(this.nameWord(nameId), REFERENCE_WEIGHT);
        }
      }
      // (memberIdOf may have interned a member's name since the stamp was taken.)
      this.nameStamp = withLength(this.nameStamp, this.names.size);
      for (const member of members) {
        if (this.nameStamp[member] === stamp) continue;
        this.nameStamp[member] = stamp;
        doc.addWord(this.nameWord(member), REFERENCE_WEIGHT);
      }
    }
    doc.addWord(this.nameWord(this.slotName[slot] as number), NAME_WEIGHT);
    const container = defs.containerAt(index);
    if (container !== undefined) doc.addIdentifier(container, CONTAINER_WEIGHT);
    const signature = defs.signatureAt(index);
    doc.addText(signature, signature.length, SIGNATURE_WEIGHT);
    if (docComment !== undefined) doc.addText(docComment, MAX_DOC_CHARS, DOC_WEIGHT);
    const stem = this.informativeStem(path);
    if (stem !== undefined) doc.addIdentifier(stem, PATH_WEIGHT);
    return doc;
  }

  /** The lexical word of the name `nameId` (its terms looked up once per name, not hashed again for each use). */
  private nameWord(nameId: number): number {
    return this.words.entryOfKey(nameId, this.names.name(nameId));
  }

  /** `fileTerms(file)` as a document of term ids. */
  private fileDocument(file: IndexedFile): LexicalDocument {
    const doc = this.document;
    doc.clear();
    forEachDocumentName(identifierCount(file), (i) => identifierAt(file, i), (name) => doc.addIdentifier(name, FILE_IDENTIFIER_WEIGHT));
    doc.addIdentifier(fileStem(file.path), FILE_NAME_WEIGHT);
    return doc;
  }

  /** The file name stem of a path unless it says nothing about the content (a file's definitions ask in a row). */
  private informativeStem(path: string): string | undefined {
    if (path !== this.stemPath) {
      const stem = fileStem(path);
      this.stemPath = path;
      this.stemOfPath = UNINFORMATIVE_STEMS.has(stem.toLowerCase()) ? undefined : stem;
    }
    return this.stemOfPath;
  }

  /**
   * The reference rows of a new file's slots (fileSlot and its definitions after it): per slot the
   * distinct names it references in order of first mention, with counts. The file's references are
   * grouped by slot with a stable counting sort and counted with a per-name stamp, in work arrays.
   */
  private addReferenceRows(file: IndexedFile, defs: DefinitionReader, fileSlot: number): void {
    const slots = 1 + defs.length;
    const referenceCount = file instanceof StoredFile ? file.referenceCount : file.references.length;
    this.rowSlot = withLength(this.rowSlot, referenceCount);
    this.rowName = withLength(this.rowName, referenceCount);
    this.rowStart = withLength(this.rowStart, slots + 1);
    const rowSlot = this.rowSlot;
    const rowName = this.rowName;
    let n = 0;
    this.forEachReference(file, defs, fileSlot, (slot, nameId) => {
      rowSlot[n] = slot - fileSlot;
      rowName[n++] = nameId;
    });
    const start = this.rowStart;
    start.fill(0, 0, slots + 1);
    for (let k = 0; k < n; k++) start[(rowSlot[k] as number) + 1] = (start[(rowSlot[k] as number) + 1] as number) + 1;
    for (let i = 0; i < slots; i++) start[i + 1] = (start[i + 1] as number) + (start[i] as number);
    this.rowSorted = withLength(this.rowSorted, n);
    const sorted = this.rowSorted;
    for (let k = 0; k < n; k++) {
      const i = rowSlot[k] as number;
      const at = start[i] as number;
      start[i] = at + 1;
      sorted[at] = rowName[k] as number;
    }
    // start[i] is now the end of slot i's group (and the start of slot i + 1's). Each group becomes its distinct
    // names in order of first mention with their counts (entryName/entryCount, rowSlot/rowName no longer needed:
    // they hold the entries), then the packed bytes of all of them.
    this.nameStamp = withLength(this.nameStamp, this.names.size);
    this.namePosition = withLength(this.namePosition, this.names.size);
    const entryName = rowSlot;
    const entryCount = rowName;
    const entryEnd = this.rowStart; // start[i] is read before entryEnd[i] (<= it) is written
    let entries = 0;
    let bytes = 0;
    for (let i = 0, from = 0; i < slots; i++) {
      const stamp = ++this.stamp;
      for (let end = start[i] as number; from < end; from++) {
        const id = sorted[from] as number;
        if (this.nameStamp[id] === stamp) {
          const at = this.namePosition[id] as number;
          entryCount[at] = (entryCount[at] as number) + 1;
          continue;
        }
        this.nameStamp[id] = stamp;
        this.namePosition[id] = entries;
        entryName[entries] = id;
        entryCount[entries++] = 1;
        if (!this.referrersFromRows) this.referrersByName.add(id, fileSlot + i);
      }
      entryEnd[i] = entries;
    }
    // The exact length only when the most the entries can take might not fit (a reserved build has room for all).
    if (this.refUsed + entries * MAX_ROW_ENTRY_BYTES > this.rowBytes.length) {
      for (let k = 0; k < entries; k++) bytes += rowEntryLength(entryName[k] as number, entryCount[k] as number);
      this.rowBytes = withLength(this.rowBytes, this.refUsed + bytes);
    }
    for (let i = 0, k = 0; i < slots; i++) {
      const slot = fileSlot + i;
      this.refStart[slot] = this.refUsed;
      for (const end = entryEnd[i] as number; k < end; k++) this.refUsed = writeRowEntry(this.rowBytes, this.refUsed, entryName[k] as number, entryCount[k] as number);
    }
    this.refStart[fileSlot + slots] = this.refUsed;
  }

  /**
   * Each reference of a file as (slot of its innermost enclosing definition, or the file's slot;
   * interned name). Packed references are read as they are stored, without decoding them into objects.
   */
  private forEachReference(file: IndexedFile, defs: DefinitionReader, fileSlot: number, visit: (slot: number, nameId: number) => void): void {
    // A member of a Python `from … import` name (`views:index`) is the module's member where the file's reading says so,
    // else a reference by its member's own name (`index`), as it was before it was recorded apart: looked at once per
    // distinct name of the file (memberIdOf, readAsNamed), not per reference.
    const python = file.language === 'python';
    const members = python ? this.fromImportReadings.get(file.path)?.members : undefined;
    if (file instanceof StoredFile) {
      const refs = file.refs;
      const enclosingSlot = enclosingSlots(defs, fileSlot);
      const nameIds = new Int32Array(file.identifierCount).fill(-1);
      const shared = file.sharedIdentifiers;
      for (let i = 0; i < refs.length; i += 2) {
        const identifier = refs[i] as number;
        let nameId = nameIds[identifier] as number;
        if (nameId < 0) {
          if (identifier >= nameIds.length) nameId = this.names.intern('');
          else if (shared !== undefined) nameId = this.names.internShared(shared.table, shared.ids[identifier] as number);
          else nameId = this.names.intern(file.identifierAt(identifier));
          if (python) nameId = this.readAsNamed(nameId, members);
          nameIds[identifier] = nameId;
        }
        const enclosing = refs[i + 1] as number;
        visit(enclosing === 0 ? fileSlot : (enclosingSlot[enclosing - 1] ?? fileSlot), nameId);
      }
      return;
    }
    // By definition id, as references name their enclosing definition (the last of equal ids wins).
    const slotById = new Map<string, number>();
    for (let i = 0; i < defs.length; i++) slotById.set(defs.idAt(i), fileSlot + 1 + i);
    for (const ref of file.references) {
      const slot = (ref.enclosing === undefined ? undefined : slotById.get(ref.enclosing)) ?? fileSlot;
      const nameId = this.names.intern(ref.name);
      visit(slot, python ? this.readAsNamed(nameId, members) : nameId);
    }
  }

  /** The name a Python file's reference `nameId` is read by: see forEachReference. */
  private readAsNamed(nameId: number, members: ReadonlySet<string> | undefined): number {
    const member = this.memberIdOf(nameId);
    return member < 0 || members?.has(this.names.name(nameId)) === true ? nameId : member;
  }

  /** The member's name id of a fromImportMemberName (`index` of `views:index`), else -1 (see memberIds). */
  private memberIdOf(nameId: number): number {
    if (nameId >= this.memberIds.length) this.memberIds = withLength(this.memberIds, Math.max(nameId + 1, this.names.size));
    const known = this.memberIds[nameId] as number;
    if (known !== 0) return known - 2;
    const name = this.names.name(nameId);
    const mark = fromImportMemberMark(name);
    const member = mark > 0 ? this.names.intern(name.slice(mark + 1)) : -1;
    this.memberIds[nameId] = member + 2;
    return member;
  }

  /** Removes a file's entry to rank its new version (or none): its old version and slots noted. @returns the work. */
  private dropForReranking(path: string, entry: FileEntry, changed: IndexedFile[], freed: number[]): number {
    changed.push(entry.file);
    const definitionSlots = entry.definitionSlots;
    freed.push(entry.fileSlot, ...definitionSlots);
    this.removeFile(path);
    return 1 + definitionSlots.length;
  }

  private removeFile(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    for (const slot of [entry.fileSlot, ...entry.definitionSlots]) {
      const kind = this.kindOf(slot);
      if (kind === SlotKind.Free) continue;
      if (kind === SlotKind.Definition) {
        const index = this.slotDefinition[slot] as number;
        this.definitionsByName.delete(this.slotName[slot] as number, slot);
        this.definitionsByLowerName.delete(this.names.find(entry.definitions.nameAt(index).toLowerCase()), slot);
        this.bm25.removeDocument(slot, this.definitionDocument(path, entry.definitions, index, slot, entry.file.language === 'python'));
        this.liveDefinitions--;
      } else if (kind === SlotKind.RankedFile) {
        this.bm25.removeDocument(slot, this.fileDocument(entry.file));
        this.liveRankedFiles--;
      }
      this.kinds[slot] = SlotKind.Free;
      this.liveSlots--;
      this.deadSlots++;
    }
    for (const imported of entry.importedFiles) this.importersByFile.delete(imported, path);
    this.noteImportedNames(entry.file, false);
    this.setReading(path, undefined);
    const fileId = this.fileIdOf(path);
    const byTarget = this.localNamesByTarget[fileId];
    if (byTarget !== undefined) {
      for (const target of byTarget.keys()) {
        this.localNamersByFile.delete(target, path);
        this.forgetLocalCallers(target);
      }
      this.localNamesByFile[fileId] = undefined;
      this.localNamesByTarget[fileId] = undefined;
    }
    const members = this.namespaceMembersByFile[fileId];
    if (members !== undefined) {
      for (const targetPath of memberTargets(entry.file, members, this.pathOfId)) {
        this.localNamersByFile.delete(targetPath, path);
        this.forgetLocalCallers(targetPath);
      }
      this.namespaceMembersByFile[fileId] = undefined;
    }
    this.localCallers.delete(fileId);
    this.defaultExports.delete(fileId);
    this.dropReexports(path);
    this.filesByDirectory.delete(directoryOf(path), path);
    this.entries.delete(path);
    this.entriesById[fileId] = undefined;
  }

  /**
   * Where a reference to `name` from `fromFile` most likely points: the definitions of that name in
   * the same file or in files it imports, and those a local name of that name stands for (localTargets), when there are
   * any; otherwise every definition of the name.
   */
  resolveName(name: string, fromFile: string, exclude?: number): { slots: number[]; preferred: boolean; total: number } {
    return this.resolveNameId(this.names.find(name), fromFile, exclude ?? -1);
  }

  /** Whether `file`'s imports give `name` as a local name to a name they bring (`total` of `import { cartTotal as total }`). */
  givesLocalName(file: string, name: string): boolean {
    const fileId = this.fileIds.get(file);
    const nameId = this.names.find(name);
    return fileId !== undefined && this.hasLocalName(fileId, nameId);
  }

  /** Whether a reference by `nameId` in the file `fileId` is by a local name (localNamesByFile) or a namespace member (namespaceMembersByFile). */
  private hasLocalName(fileId: number, nameId: number): boolean {
    if (nameId < 0) return false;
    if (this.localNamesByFile[fileId]?.has(nameId) === true) return true;
    const members = this.namespaceMembersByFile[fileId];
    return members !== undefined && firstMember(members, nameId) >= 0;
  }

  /**
   * Writes to the work array `linkedSlots` from 0 the definitions a reference by `nameId` from `importer` (id
   * `importerId`) means as a local name of its imports (localTargets) or a member of a namespace import it has
   * (memberSlots); returns the end (0: it is neither).
   */
  private localNameTargets(importer: string, importerId: number, nameId: number): number {
    if (importerId < 0 || nameId < 0) return 0;
    const locals = this.localNamesByFile[importerId]?.get(nameId);
    let end = locals === undefined ? 0 : this.localTargets(importer, locals);
    const members = this.namespaceMembersByFile[importerId];
    if (members === undefined) return end;
    for (let m = firstMember(members, nameId); m >= 0 && m < members.length && members[m] === nameId; m += MEMBER_FIELDS) {
      end = this.rowMemberSlots(importer, importerId, members, m, end);
    }
    return end;
  }

  /** memberSlots for the row at `m` of `importer`'s member table `members`: of its target, or of each file its import reaches (EVERY_TARGET). */
  private rowMemberSlots(importer: string, importerId: number, members: Int32Array, m: number, start: number): number {
    const target = members[m + 2] as number;
    const memberId = members[m + 1] as number;
    if (target !== EVERY_TARGET) return this.memberSlots(importer, target, memberId, start);
    const file = this.entriesById[importerId]?.file;
    let end = start;
    if (file === undefined) return end;
    const few = this.fewPackageMemberSlots(file, members[m + 3] as number, memberId, start);
    if (few >= 0) return few;
    forEachNamespaceImportTarget(file, members[m + 3] as number, (path) => {
      const id = this.fileIds.get(path);
      if (id !== undefined) end = this.memberSlots(importer, id, memberId, end);
    });
    return end;
  }

  /**
   * rowMemberSlots for a member of a Go package (the import at `position` of `file`, whose files pass no name on) with
   * few definitions of its name in the workspace: those in the package's files, read from the name's definitions, in
   * the order memberSlots file by file gives them (the import's files in order, each one's in slot order), not each of
   * the package's files asked for it — a reference's cost in computeEdges. Returns the end, or -1 where it does not
   * apply: a member whose name has more than FEW_PACKAGE_MEMBERS definitions in the workspace (`New`) is asked of each
   * file of the package instead — here each definition is looked for among the package's files.
   */
  private fewPackageMemberSlots(file: IndexedFile, position: number, memberId: number, start: number): number {
    const targets = file.imports[position]?.targets;
    if (targets === undefined || REEXPORTING_LANGUAGES.has(file.language)) return -1;
    const named = this.definitionsByName.get(memberId);
    if (named.length > FEW_PACKAGE_MEMBERS) return -1;
    const member = this.names.name(memberId);
    const names = [member];
    let end = start;
    for (const s of named) {
      if (this.kinds[s] !== SlotKind.Definition) continue;
      const fileId = this.slotFile[s] as number;
      const path = this.filePaths[fileId] as string;
      if (path === file.path || !targets.some((t) => t.file === path)) continue;
      const entry = this.entriesById[fileId];
      if (entry === undefined || !bringsDefinition(names, member, entry.definitions.containerAt(this.slotDefinition[s] as number), entry.file.language, () => false)) continue;
      this.linkedSlots = withLength(this.linkedSlots, end + 1);
      this.linkedSlots[end++] = s;
    }
    if (end - start > 1) {
      const order = (slot: number): number => targets.findIndex((t) => t.file === this.filePaths[this.slotFile[slot] as number]);
      this.linkedSlots.subarray(start, end).sort((a, b) => order(a) - order(b) || a - b);
    }
    return end;
  }

  /**
   * Appends to the work array `linkedSlots` from `start` the definitions a member `memberId` of a namespace import of
   * the file `targetId` reaches (`some` of `Option.some`): those the name brings from that file (broughtSlots), else
   * those it re-exports by that name (reexportedSlots: `import * as util from './util'` of a barrel); returns the end.
   */
  private memberSlots(importer: string, targetId: number, memberId: number, start: number): number {
    const entry = this.entriesById[targetId];
    const target = this.filePaths[targetId] as string;
    if (!entry || target === importer) return start;
    // (Emptied first too: slots a throw left in it after the use before are not this import's.)
    this.broughtScratch.length = 0;
    const member = this.names.name(memberId);
    const brought = this.broughtSlots(entry, member, false, this.broughtScratch, memberId);
    let end = start;
    for (const s of brought) {
      this.linkedSlots = withLength(this.linkedSlots, end + 1);
      this.linkedSlots[end++] = s;
    }
    brought.length = 0;
    return end > start ? end : this.appendReexported(target, member, start, end);
  }

  /**
   * `resolveName(name, path, place)` for each distinct name each place of `path`'s code references — its file node
   * (top-level code), then each of its definitions; first mention first, without making the names' strings — the
   * file's imports marked once for all of them (resolveMarked), where resolveName scans them for every definition of
   * every name (a file of thousands of definitions and hundreds of imports, read on each query after an edit: the use
   * signal, the reasons' "referenced from the active file"). `slots` is a view of a work array, valid during the call;
   * `visit` must not call into the index beyond plain reads (fileOf, kindOf; see forEachUsedName).
   */
  forEachResolvedNameOfFile(path: string, visit: (place: number, slots: Int32Array, preferred: boolean) => void): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    const fromId = this.fileIds.get(path) ?? -1;
    this.markImportsOf(entry.file);
    const reader = new ReferenceRowReader();
    // (A file's slots: its file node, then its definitions, one after another — addFile.)
    const end = entry.fileSlot + 1 + entry.definitions.length;
    for (let place = entry.fileSlot; place < end; place++) {
      if (this.kindOf(place) === SlotKind.Free) continue;
      for (const row = this.openRow(place, reader); !row.done; ) {
        const count = this.resolveMarked(place, row.next(), path, fromId);
        visit(place, this.candidateSlots.subarray(0, count), this.resolvedPreferred);
      }
    }
  }

  /**
   * Each name `slot`'s code references, as its out-edges resolve it (computeEdges; its file's imports marked once, not
   * scanned per definition of each name): the definitions it reaches (a view of a work array, valid during the call),
   * whether its file's imports prefer them, and the weight the walk gives each of them (sqrt(mentions) split evenly
   * among them, a tenth of that where more than AMBIGUOUS_DEFINITIONS share it unpreferred: resolvedWeight).
   * `visit` must not call into the index: computing another slot's edges would mark another file's imports (and reuse the
   * work array `targets` views), and the names after it would resolve as from that file.
   * @returns the weights summed over every definition reached: a weight over it is that definition's share of the
   * slot's forward edges (to single precision: the edges' weights are kept as such, EdgePool).
   */
  forEachUsedName(slot: number, visit: (targets: Int32Array, weight: number, preferred: boolean) => void): number {
    if (this.kindOf(slot) === SlotKind.Free) return 0;
    const file = this.fileOf(slot);
    const fromId = this.fileIds.get(file) ?? -1;
    this.markImportsOf(this.entries.get(file)?.file);
    let sum = 0;
    for (const row = this.openRow(slot, new ReferenceRowReader()); !row.done; ) {
      const count = this.resolveMarked(slot, row.next(), file, fromId);
      if (count === 0) continue;
      const weight = this.resolvedWeight(row.count, count);
      sum += weight * count;
      visit(this.candidateSlots.subarray(0, count), weight, this.resolvedPreferred);
    }
    return sum;
  }

  private resolveNameId(nameId: number, fromFile: string, exclude: number): { slots: number[]; preferred: boolean; total: number } {
    const candidates = nameId < 0 ? NO_SLOTS : this.definitionsByName.get(nameId);
    const fromId = this.fileIds.get(fromFile) ?? -1;
    const localEnd = this.localNameTargets(fromFile, fromId, nameId);
    if (candidates.length === 0 && localEnd === 0) return { slots: [], preferred: false, total: 0 };
    const locals = this.linkedSlots.slice(0, localEnd);
    const from = this.entries.get(fromFile)?.file;
    const preferred: number[] = [];
    const all: number[] = [];
    for (const slot of candidates) {
      if (slot === exclude || this.kinds[slot] !== SlotKind.Definition) continue;
      all.push(slot);
      const fileId = this.slotFile[slot] as number;
      if (fileId === fromId || (from !== undefined && importsFile(from, this.filePaths[fileId] as string))) preferred.push(slot);
    }
    for (const slot of locals) {
      if (slot === exclude || preferred.includes(slot)) continue;
      preferred.push(slot);
      if (!all.includes(slot)) all.push(slot);
    }
    return preferred.length > 0 ? { slots: preferred, preferred: true, total: all.length } : { slots: all, preferred: false, total: all.length };
  }

  /**
   * Writes to the work array `linkedSlots` from 0 the definitions a reference from `importer` by a local name its
   * imports give (`locals`: `total` of `import { cartTotal as total } from './cart'`) means: those the name it stands
   * for brings from the file the import reaches — as the import's edges link (linkSlots), never a definition of that
   * name elsewhere. @returns the end.
   */
  private localTargets(importer: string, locals: readonly LocalName[]): number {
    let end = 0;
    for (const local of locals) end = this.localLinkSlots(importer, local, end);
    return end;
  }

  /**
   * linkSlots for the one name a local name stands for, without reading every definition of the file it comes from:
   * the definitions of that name there (definitionsByName, or the file's own when fewer), and for a default import the
   * file's default export (defaultExportSlots, read once per version of the file). The same slots in the same order.
   */
  private localLinkSlots(importer: string, local: LocalName, start: number): number {
    const target = local.file;
    const names = local.names;
    const entry = target === importer ? undefined : this.entries.get(target);
    if (!entry) return start;
    if (names.length !== 1 || isSideEffectImport(local)) return this.linkSlots(importer, target, local, start);
    // (Emptied first too: slots a throw left in it after the use before are not this import's.)
    this.broughtScratch.length = 0;
    const brought = this.broughtSlots(entry, names[0] as string, false, this.broughtScratch);
    let end = start;
    for (const s of brought) {
      this.linkedSlots = withLength(this.linkedSlots, end + 1);
      this.linkedSlots[end++] = s;
    }
    brought.length = 0;
    return end > start ? end : this.appendReexported(target, names[0] as string, start, end);
  }

  /**
   * Appends to the work array `linkedSlots` after `end` the definitions `target` re-exports by `name` (reexportedSlots),
   * each once in [start, end); returns the new end. (What a name brings from a barrel: linkReexported's, for one name.)
   */
  private appendReexported(target: string, name: string, start: number, end: number): number {
    for (const s of this.reexportedSlots(target, name)) {
      if (this.linkedSlots.subarray(start, end).includes(s)) continue;
      this.linkedSlots = withLength(this.linkedSlots, end + 1);
      this.linkedSlots[end++] = s;
    }
    return end;
  }

  /** The top-level definitions of a JS/TS file it exports as its default (isDefaultExport: by their signatures, or by name). */
  private defaultExportSlots(fileId: number, entry: FileEntry): ReadonlySet<number> {
    const known = this.defaultExports.get(fileId);
    if (known?.entry === entry) return known.slots;
    const slots = new Set<number>();
    const definitions = entry.definitions;
    for (let i = 0, s = entry.fileSlot + 1; i < definitions.length; i++, s++) {
      if (this.kinds[s] !== SlotKind.Definition) continue;
      const d = this.slotDefinition[s] as number;
      // (The flag first: a definition exported by name as the default has its signature left unread.)
      if (definitions.containerAt(d) === undefined && (definitions.exportedAsDefaultAt(d) || isDefaultExport(definitions.signatureAt(d), false))) slots.add(s);
    }
    this.defaultExports.set(fileId, { entry, slots });
    return slots;
  }

  /**
   * The definitions an import of `name` from `barrel` reaches through the barrel's own imports when the barrel defines
   * nothing the name brings (bringsDefinition): a file that re-exports it — `export { parseConfig } from './parse'`,
   * `export * from './parse'`, `import { x } from './x'` then `export { x }`, a Python package's `from .parse import
   * parse_config` in its __init__.py, a Rust `pub use` — or re-exports a file that does, up to MAX_REEXPORT_DEPTH files
   * deep (walkReexports). None for a local name entry, or a file the index does not hold. Read from the barrel's table,
   * made once per version of it for every name (import edges and the active file's imports ask again and again).
   */
  reexportedSlots(barrel: string, name: string): readonly number[] {
    const entry = this.entries.get(barrel);
    if (!entry || name === '' || isLocalNameEntry(name) || !mayReexport(entry.file, name)) return NO_SLOTS;
    // (A JS/TS default only through `export { default } from` (reexportsDefault): a file's `export default wrap(Foo)`
    // beside its own `import Bar from './Bar'` passes on no default of Bar's — for an import edge as for a local name.)
    if (name === DEFAULT_EXPORT && defaultsByExport(entry.file.language) && !reexportsDefault(entry.file)) return NO_SLOTS;
    const fileId = this.slotFile[entry.fileSlot] as number;
    let table = this.reexports.get(fileId);
    if (table === undefined) {
      // (Most files imported by name define the name: no table for them. A table holds none of its barrel's own names.)
      if (this.broughtSlots(entry, name, false, []).length > 0) return NO_SLOTS;
      // (Its importers by name are read with the table, as their edges ask for it, not by the sync of an edit.)
      table = { byName: new Map(), reads: new Set(), renamed: new Set(), importersByName: this.importersByName(barrel) };
      this.walkReexports(entry, ALL_NAMES, table.byName, table.reads, table.renamed);
      this.reexports.set(fileId, table);
      for (const read of table.reads) this.reexportReaders.add(read, barrel);
    }
    return table.byName.get(name) ?? NO_SLOTS;
  }

  /**
   * Writes to `found` the definitions the names `wanted` (or every name) reach through `barrel`'s imports, breadth first,
   * the files read added to `reads`. A file is reached with the names an import of it brings, every name through a
   * whole-module import (`export *`; not a namespace's, `export * as ns from`, `import * as ns`: isNamespaceModuleEdge)
   * — there only its exported definitions, and never its default export (`export *` passes none on). A name passed on
   * under another (`export { a as b } from`, `import { a as b }`, `export { default as Button } from`, and a file's own
   * `export { void_ as void }`: OWN_EXPORTS_SOURCE) is looked for by its own name past that import (there, in the file
   * itself — a level of the walk, as another file would be), for the barrel's name it stands for; those barrel names
   * are added to `renamed`. A name is found in the files nearest the barrel that define it and looked for no further
   * (nor past them); the barrel's own names (it defines them) not at all. Each level reads each file at most three
   * times (by name, whole for every name, whole for some), MAX_REEXPORT_DEPTH levels, so a cycle ends.
   */
  private walkReexports(barrel: FileEntry, wanted: NameFilter, found: Map<string, readonly number[]>, reads: Set<string>, renamed: Set<string>): void {
    const own = this.ownNames(barrel);
    const resolved = new Set<string>();
    /** Whether the walk still looks for the barrel's name `name`. */
    const open = (name: string): boolean => !own.has(name) && !resolved.has(name);
    const out = new Map<string, number[]>();
    const add = (name: string, slot: number): void => {
      const slots = out.get(name);
      if (slots === undefined) out.set(name, [slot]);
      else if (!slots.includes(slot)) slots.push(slot);
    };
    const first: ArrivalFilter = wanted === ALL_NAMES ? ALL_NAMES : new Map([...wanted].map((n) => [n, [n]]));
    let level: ReexportArrival[] = [{ entry: barrel, exportedOnly: false, filter: first }];
    for (let depth = 0; depth < MAX_REEXPORT_DEPTH && level.length > 0; depth++) {
      // The files the level's imports reach, by file id and how: by name (id * 3), whole for every name (id * 3 + 2), or
      // whole for some (id * 3 + 1: kept apart from every name, which would lose what they stand for).
      const next = new Map<number, ReexportArrival>();
      for (const { entry, filter } of level) {
        const imports = entry.file.imports;
        for (let i = 0; i < imports.length; i++) {
          const namespace = isNamespaceModuleEdge(imports, i);
          const imp = imports[i] as ImportEdge;
          // (The file's own renamed exports, `export { void_ as void }`, are a re-export from itself: its `void_` is
          // looked for as `void` — the barrel's here; a file reached was given its own when it arrived, addOwnRenames.
          // No other import of the file itself is followed.)
          const ownExports = isOwnExportsEdge(imp);
          if (ownExports && depth > 0) continue;
          for (const t of ownExports ? [{ file: entry.file.path, names: imp.names }] : importTargets(imp)) {
            if ((!ownExports && t.file === entry.file.path) || isSideEffectImport(t)) continue;
            const whole = t.names.length === 0;
            if (whole && namespace) continue;
            let brought: ArrivalFilter = filter;
            if (!whole) {
              const names = broughtBarrelNames(t.names, filter, open, renamed);
              if (names.size === 0) continue;
              brought = names;
            }
            reads.add(t.file);
            const target = this.entries.get(t.file);
            if (!target) continue;
            const key = (this.slotFile[target.fileSlot] as number) * 3 + (!whole ? 0 : brought === ALL_NAMES ? 2 : 1);
            const known = next.get(key);
            next.set(key, { entry: target, exportedOnly: whole, filter: known === undefined ? brought : unionFilter(known.filter, brought) });
          }
        }
      }
      this.addOwnRenames(next, open, renamed);
      const before = new Set(out.keys());
      const named = new Set<string>();
      // (The many files an `export *` reaches share one filter: its names are read once.)
      const filters = new Set<ArrivalFilter>();
      for (const a of next.values()) {
        if (a.filter === ALL_NAMES) {
          this.exportedNamed(a, open, add);
          continue;
        }
        if (!filters.has(a.filter)) {
          filters.add(a.filter);
          for (const [n, names] of a.filter) if (names.some(open)) named.add(n);
        }
        if (!a.exportedOnly && defaultsByExport(a.entry.file.language)) {
          const names = a.filter.get(DEFAULT_EXPORT)?.filter(open) ?? NO_NAMES;
          if (names.length > 0) for (const s of this.defaultExportSlots(this.slotFile[a.entry.fileSlot] as number, a.entry)) for (const b of names) add(b, s);
        }
      }
      // (By the definitions of each name, not by each file's: a name changed in one of 200 modules behind `export *`
      // reads that name's few definitions, not 200 files.)
      for (const n of named) {
        const nameId = this.names.find(n);
        if (nameId < 0) continue;
        for (const s of this.definitionsByName.get(nameId)) {
          if (this.kinds[s] !== SlotKind.Definition) continue;
          const fileId = this.slotFile[s] as number;
          for (const key of [fileId * 3, fileId * 3 + 1]) {
            const a = next.get(key);
            const names = a === undefined || a.filter === ALL_NAMES ? undefined : a.filter.get(n);
            if (a === undefined || names === undefined) continue;
            const d = this.slotDefinition[s] as number;
            const definitions = a.entry.definitions;
            if (a.exportedOnly && !definitions.exportedAt(d)) continue;
            if (!bringsByName([n], n, definitions.containerAt(d), a.entry.file.language)) continue;
            for (const b of names) if (open(b)) add(b, s);
          }
        }
      }
      for (const n of out.keys()) if (!before.has(n)) resolved.add(n);
      level = [];
      const narrowed = new Map<ArrivalFilter, ArrivalFilter>();
      for (const a of next.values()) {
        let filter = narrowed.get(a.filter);
        if (filter === undefined) {
          filter = a.filter === ALL_NAMES ? a.filter : withoutResolved(a.filter, resolved);
          narrowed.set(a.filter, filter);
        }
        if (filter === ALL_NAMES || filter.size > 0) level.push(filter === a.filter ? a : { ...a, filter });
      }
    }
    for (const [n, slots] of out) found.set(n, slots.sort((a, b) => a - b));
  }

  /**
   * walkReexports' arrivals `next` with what their files pass on of their own under other names (`export { void_ as
   * void }`: OWN_EXPORTS_SOURCE), as arrivals by name at the same level — a module's renamed name is as near as its own
   * definitions, not a level further (a review: four barrels away, `void` was lost where a plain name was found).
   */
  private addOwnRenames(next: Map<number, ReexportArrival>, open: (name: string) => boolean, renamed: Set<string>): void {
    for (const a of [...next.values()]) {
      for (const imp of a.entry.file.imports) {
        if (!isOwnExportsEdge(imp)) continue;
        const names = broughtBarrelNames(imp.names, a.filter, open, renamed);
        if (names.size === 0) continue;
        const key = (this.slotFile[a.entry.fileSlot] as number) * 3;
        const known = next.get(key);
        next.set(key, { entry: a.entry, exportedOnly: false, filter: known === undefined ? names : unionFilter(known.filter, names) });
      }
    }
  }

  /** walkReexports' look at a file reached by `export *` for every name: its exported definitions of the names it takes. */
  private exportedNamed(a: ReexportArrival, open: (name: string) => boolean, add: (name: string, slot: number) => void): void {
    const definitions = a.entry.definitions;
    const language = a.entry.file.language;
    for (let i = 0, s = a.entry.fileSlot + 1; i < definitions.length; i++, s++) {
      if (this.kinds[s] !== SlotKind.Definition) continue;
      const d = this.slotDefinition[s] as number;
      if (a.exportedOnly && !definitions.exportedAt(d)) continue;
      const name = this.names.name(this.slotName[s] as number);
      if (open(name) && bringsByName([name], name, definitions.containerAt(d), language)) add(name, s);
    }
  }

  /** The names `entry`'s file brings itself to an import of them (broughtSlots): no re-export of them is followed. */
  private ownNames(entry: FileEntry): ReadonlySet<string> {
    const own = new Set<string>();
    const definitions = entry.definitions;
    const language = entry.file.language;
    for (let i = 0, s = entry.fileSlot + 1; i < definitions.length; i++, s++) {
      if (this.kinds[s] !== SlotKind.Definition) continue;
      const name = this.names.name(this.slotName[s] as number);
      if (bringsByName([name], name, definitions.containerAt(this.slotDefinition[s] as number), language)) own.add(name);
    }
    if (defaultsByExport(language) && this.defaultExportSlots(this.slotFile[entry.fileSlot] as number, entry).size > 0) own.add(DEFAULT_EXPORT);
    return own;
  }

  /**
   * Appends to `out` the definitions of `entry` that an import of `name` brings (bringsDefinition; only exported ones
   * when `exportedOnly`, as through `export *`, which brings no default export), in slot order, and returns it. (The
   * definitions of that name there, from definitionsByName or the file's own when fewer, as localLinkSlots; its default
   * export for DEFAULT_EXPORT.)
   */
  private broughtSlots(entry: FileEntry, name: string, exportedOnly: boolean, out: number[], knownNameId?: number): number[] {
    const language = entry.file.language;
    const definitions = entry.definitions;
    const fileId = this.slotFile[entry.fileSlot] as number;
    const first = entry.fileSlot + 1;
    const last = entry.fileSlot + definitions.length;
    const candidates: number[] = [];
    const nameId = knownNameId ?? this.names.find(name);
    if (nameId >= 0) {
      const named = this.definitionsByName.get(nameId);
      if (named.length <= definitions.length) {
        for (const s of named) if (this.slotFile[s] === fileId && s >= first && s <= last) candidates.push(s);
      } else for (let s = first; s <= last; s++) if (this.slotName[s] === nameId) candidates.push(s);
    }
    const defaults = !exportedOnly && defaultsByExport(language) && name === DEFAULT_EXPORT ? this.defaultExportSlots(fileId, entry) : undefined;
    if (defaults !== undefined) for (const s of defaults) if (!candidates.includes(s)) candidates.push(s);
    candidates.sort((a, b) => a - b);
    const names = [name];
    for (const s of candidates) {
      if (this.kinds[s] !== SlotKind.Definition) continue;
      const d = this.slotDefinition[s] as number;
      if (exportedOnly && !definitions.exportedAt(d)) continue;
      if (bringsDefinition(names, this.names.name(this.slotName[s] as number), definitions.containerAt(d), language, () => defaults?.has(s) === true)) out.push(s);
    }
    return out;
  }

  /**
   * Brings the re-export tables that read files of `changed` (old and new versions) up to date, and forgets the import
   * edges of the barrels' importers that import a name whose definitions changed (and the definition edges of files
   * whose local names or namespace members come from a barrel whose table changed). A file whose import list stayed the
   * same can change only the names it defines (before or after, and a default export): only those are looked for
   * again. Another change (its imports, the file added or removed) drops the table and its importers' edges.
   */
  private updateReexports(changed: readonly IndexedFile[]): void {
    const versions = new Map<string, IndexedFile[]>();
    for (const file of changed) {
      const known = versions.get(file.path);
      if (known) known.push(file);
      else versions.set(file.path, [file]);
    }
    const touched = new Map<string, Set<string> | typeof ALL_NAMES>();
    for (const [path, files] of versions) {
      // (A changed barrel's own table went with its old version: removeFile; its importers' edges go as a changed file's.)
      if (this.reexportReaders.count(path) === 0) continue;
      const current = this.entries.get(path)?.file;
      const olds = files.filter((f) => f !== current);
      let names: Set<string> | typeof ALL_NAMES = ALL_NAMES;
      if (current !== undefined && olds.length > 0 && olds.every((old) => sameImports(old, current))) {
        names = new Set([DEFAULT_EXPORT]);
        for (const file of files) {
          const definitions = definitionReaderOf(file);
          for (let i = 0; i < definitions.length; i++) names.add(definitions.nameAt(i));
        }
      }
      for (const barrel of this.reexportReaders.values(path)) {
        if (versions.has(barrel)) continue;
        const known = touched.get(barrel);
        touched.set(barrel, known === undefined || names === ALL_NAMES ? names : known === ALL_NAMES ? known : new Set([...known, ...names]));
      }
    }
    for (const [barrel, defined] of touched) {
      const entry = this.entries.get(barrel);
      const table = entry === undefined ? undefined : this.reexports.get(this.slotFile[entry.fileSlot] as number);
      if (entry === undefined || table === undefined) continue;
      let forget: ReadonlySet<string> | typeof ALL_NAMES = ALL_NAMES;
      // (The barrel's own definitions a changed name reached or reaches, back through a cycle of re-exports: `export {
      // baz as default } from './index'` beside its own `baz`, and index's `export * from './a'`. Their callers by a
      // local name from the barrel (localCallersOf) follow its table.)
      const fileId = this.slotFile[entry.fileSlot] as number;
      const ownReached: number[] = [];
      if (defined === ALL_NAMES) this.dropReexports(barrel);
      else {
        // (The names the changed files define are the barrel's own past no rename: those past one are looked for again
        // whatever they stand for there.)
        const names = table.renamed.size === 0 ? defined : new Set([...defined, ...table.renamed]);
        const found = new Map<string, readonly number[]>();
        const reads = new Set<string>();
        this.walkReexports(entry, names, found, reads, table.renamed);
        const changedNames = new Set<string>();
        for (const n of names) {
          const slots = found.get(n);
          const before = table.byName.get(n);
          if (sameSlots(before, slots)) continue;
          changedNames.add(n);
          for (const s of [...(before ?? NO_SLOTS), ...(slots ?? NO_SLOTS)]) if (this.slotFile[s] === fileId) ownReached.push(s);
          if (slots === undefined) table.byName.delete(n);
          else table.byName.set(n, slots);
        }
        for (const read of reads) {
          if (table.reads.has(read)) continue;
          table.reads.add(read);
          this.reexportReaders.add(read, barrel);
        }
        forget = changedNames;
      }
      if (forget !== ALL_NAMES && forget.size === 0) continue;
      // (A local name or namespace member of the barrel that it brings nothing for links through the table too:
      // `fm` of `import { formatMoney as fm } from './util'`, `util.formatMoney`. The definitions of the files giving
      // them forget their edges, as invalidateEdges' for a changed file's local namers: they may hold a freed slot.)
      for (const namer of this.localNamersByFile.values(barrel)) this.forgetDefinitionEdges(namer);
      this.forgetOwnLocalCallers(entry, forget === ALL_NAMES ? ALL_NAMES : ownReached);
      if (forget === ALL_NAMES) {
        for (const importer of this.importersByFile.values(barrel)) this.forgetImportEdges(importer);
        continue;
      }
      for (const n of forget) for (const importer of table.importersByName.values(n)) this.forgetImportEdges(importer);
    }
  }

  /**
   * Forgets what localCallersOf made for `barrel`, whose re-export table changed, and the edges of its own definitions
   * `reached` (ALL_NAMES: those the new table reaches are not known yet, so all of them, cycle or not) — when some
   * importer gives a name from it a local name (else there is nothing to forget). A name of its table reaches its own
   * definitions only back through a cycle of re-exports; no other file's local callers read its table.
   */
  private forgetOwnLocalCallers(barrel: FileEntry, reached: readonly number[] | typeof ALL_NAMES): void {
    const path = barrel.file.path;
    if (this.localNamersByFile.count(path) === 0 || (reached !== ALL_NAMES && reached.length === 0)) return;
    this.forgetLocalCallers(path);
    if (reached === ALL_NAMES) this.forgetDefinitionEdges(path);
    else for (const slot of reached) this.forgetEdges(slot);
  }

  private forgetDefinitionEdges(file: string): void {
    const entry = this.entries.get(file);
    if (entry) for (const slot of entry.definitionSlots) this.forgetEdges(slot);
  }

  private forgetImportEdges(importer: string): void {
    const entry = this.entries.get(importer);
    if (!entry) return;
    this.forgetEdges(entry.fileSlot);
    this.reexportResets++;
  }

  /** `barrel`'s importers by the names they import from it (ReexportTable.importersByName). */
  private importersByName(barrel: string): StringSetMap<string> {
    const byName = new StringSetMap<string>();
    for (const importer of this.importersByFile.values(barrel)) {
      const file = this.entries.get(importer)?.file;
      if (file) this.forEachNameImported(file, barrel, (n) => byName.add(n, importer));
    }
    return byName;
  }

  /** Calls `visit` with each name `file` imports from `target`. */
  private forEachNameImported(file: IndexedFile, target: string, visit: (name: string) => void): void {
    for (const imp of file.imports) {
      if (imp.targets === undefined) {
        if (imp.resolved === target) for (const n of imp.names) visit(n);
      } else for (const t of imp.targets) if (t.file === target) for (const n of t.names) visit(n);
    }
  }

  /** Keeps the importers by name of the re-export tables of the files `file` imports (importersByName) as it comes or goes. */
  private noteImportedNames(file: IndexedFile, added: boolean): void {
    if (this.reexports.size === 0) return;
    forEachImportedFile(file, (imported) => {
      const fileId = this.fileIds.get(imported);
      const byName = fileId === undefined ? undefined : this.reexports.get(fileId)?.importersByName;
      if (byName !== undefined) this.forEachNameImported(file, imported, (n) => (added ? byName.add(n, file.path) : byName.delete(n, file.path)));
    });
  }

  /** Forgets `barrel`'s re-export table, and that it read its files. */
  private dropReexports(barrel: string): void {
    const fileId = this.fileIds.get(barrel);
    const table = fileId === undefined ? undefined : this.reexports.get(fileId);
    if (fileId === undefined || table === undefined) return;
    this.reexports.delete(fileId);
    for (const read of table.reads) this.reexportReaders.delete(read, barrel);
  }

  /**
   * The definitions of `path` that importers reference by a local name their imports give (localTargets), each with
   * the importers' file ids and the local names' ids, in pairs, in the order of the importers and their local names.
   * Made once per version of the file and of its importers' local names (forgetLocalCallers); none, and nothing kept,
   * for a file no import gives a local name (most files: a record each, 12.8 MiB at 50,000 files, all edges asked).
   */
  private localCallersOf(fileId: number, path: string): ReadonlyMap<number, readonly number[]> | undefined {
    if (this.localNamersByFile.count(path) === 0) return undefined;
    const entry = this.entries.get(path);
    if (!entry) return undefined;
    const known = this.localCallers.get(fileId);
    if (known?.entry === entry) return known.bySlot;
    const bySlot = new Map<number, number[]>();
    // (The name ids of its definitions, for a file that passes on no name it imports: the only members it can give.)
    const ownNames = REEXPORTING_LANGUAGES.has(entry.file.language) ? undefined : this.definedNameIds(entry);
    for (const importer of this.localNamersByFile.values(path)) {
      const importerId = this.fileIds.get(importer);
      // (Only the importer's local names from this file: those from others link none of its definitions.)
      if (importerId === undefined) continue;
      const note = (localId: number, end: number): void => {
        for (let k = 0; k < end; k++) {
          const slot = this.linkedSlots[k] as number;
          if (this.slotFile[slot] !== fileId) continue;
          const pairs = bySlot.get(slot);
          if (pairs === undefined) bySlot.set(slot, [importerId, localId]);
          else if (pairs[pairs.length - 2] !== importerId || pairs[pairs.length - 1] !== localId) pairs.push(importerId, localId);
        }
      };
      const localNames = this.localNamesByTarget[importerId]?.get(path);
      if (localNames !== undefined) for (const [localId, locals] of localNames) note(localId, this.localTargets(importer, locals));
      // (Its namespace members from this file, by the member's own name id: no name looked up by its string.)
      const members = this.namespaceMembersByFile[importerId];
      if (members !== undefined) {
        // (The imports of a package's files that reach this one: found once per importer, not once per member.)
        let reaching: Set<number> | undefined;
        for (let m = 0; m < members.length; m += MEMBER_FIELDS) {
          const target = members[m + 2] as number;
          if (target !== fileId && target !== EVERY_TARGET) continue;
          // (A member a Go file does not define links none of its definitions: memberSlots would find none,
          // and every importer of the package lists every member it uses of every file of it.)
          if (ownNames !== undefined && !ownNames.has(members[m + 1] as number)) continue;
          if (target === EVERY_TARGET && !(reaching ??= this.positionsReaching(importerId, path)).has(members[m + 3] as number)) continue;
          note(members[m] as number, this.memberSlots(importer, fileId, members[m + 1] as number, 0));
        }
      }
    }
    this.localCallers.set(fileId, { entry, bySlot });
    return bySlot;
  }

  /** The name ids of `entry`'s definitions. */
  private definedNameIds(entry: FileEntry): Set<number> {
    const ids = new Set<number>();
    for (let i = 0, s = entry.fileSlot + 1; i < entry.definitions.length; i++, s++) if (this.kinds[s] === SlotKind.Definition) ids.add(this.slotName[s] as number);
    return ids;
  }

  /**
   * Drops what localCallersOf made for `target`: an importer's local names from it came or went. (Only that file's: an
   * edit of a file with a local name of its own leaves the callers of every file it takes none from known.)
   */
  private forgetLocalCallers(target: string): void {
    const targetId = this.fileIds.get(target);
    if (targetId !== undefined) this.localCallers.delete(targetId);
  }

  edgesStart(slot: number): number {
    let start = this.memoStart[slot] ?? -1;
    if (start < 0) start = this.computeEdges(slot);
    this.edgeSegment = this.edgePool.segmentAt(start);
    return start - this.edgeSegment.base;
  }

  edgesEnd(slot: number): number {
    return (this.memoEnd[slot] as number) - this.edgeSegment.base;
  }

  /** A copy of a slot's out-edges (callees and imports, plus a share for callers). */
  edges(slot: number): Edges {
    const start = this.edgesStart(slot);
    const end = this.edgesEnd(slot);
    return { targets: [...this.edgeTargets.subarray(start, end)], weights: [...this.edgeWeights.subarray(start, end)] };
  }

  /** Computes and memoises a slot's weighted out-edges; returns their start in the pool (a global position). */
  private computeEdges(slot: number): number {
    const kind = this.kindOf(slot);
    // Forward weights by target slot, summed in a dense array (all zero between calls); targets in
    // the order first reached, as a Map would keep them (the same sums, added in the same order).
    // (Sized as the per-slot arrays are, room included: grown by half at a time as the slots fill, it would be copied
    // at the first query after an edit.)
    if (this.edgeWeightByTarget.length < this.slotEnd) this.edgeWeightByTarget = withLength(this.edgeWeightByTarget, this.kinds.length);
    let reverseCount = 0;
    this.edgeTargetCount = 0;
    if (kind !== SlotKind.Free) {
      const file = this.fileOf(slot);
      const fromId = this.fileIds.get(file) ?? -1;
      this.markImportsOf(this.entries.get(file)?.file);
      for (const row = this.openRow(slot, this.rowReader); !row.done; ) {
        const count = this.resolveMarked(slot, row.next(), file, fromId);
        if (count === 0) continue;
        const weight = this.resolvedWeight(row.count, count);
        for (let k = 0; k < count; k++) this.addForwardWeight(this.candidateSlots[k] as number, weight);
      }
      if (kind === SlotKind.Definition) reverseCount = this.callers(slot);
      else this.addImportEdges(file);
    }
    const weights = this.edgeWeightByTarget;
    const forwardTargets = this.edgeTargetCount;
    let forwardSum = 0;
    for (let k = 0; k < forwardTargets; k++) forwardSum += weights[this.edgeTargetOrder[k] as number] as number;
    const forwardShare = reverseCount > 0 ? 1 - REVERSE_SHARE : 1;
    const count = (forwardSum > 0 ? forwardTargets : 0) + reverseCount;
    // Safe during a walk: it reads the pool again after each edgesStart, and edges are recomputed alike.
    if (this.edgePool.used + count > this.limits.maxMemoisedEdges) this.forgetAllEdges();
    const start = this.edgePool.allocate(count);
    const { base, targets, weights: edgeWeights } = this.edgePool.segmentAt(start);
    let n = start - base;
    for (let k = 0; k < forwardTargets; k++) {
      const t = this.edgeTargetOrder[k] as number;
      if (forwardSum > 0) {
        targets[n] = t;
        edgeWeights[n++] = ((weights[t] as number) / forwardSum) * forwardShare;
      }
      weights[t] = 0;
    }
    for (let k = 0; k < reverseCount; k++) {
      targets[n] = this.callerSlots[k] as number;
      edgeWeights[n++] = REVERSE_SHARE / reverseCount;
    }
    this.memoStart[slot] = start;
    this.memoEnd[slot] = start + count;
    return start;
  }

  /**
   * Writes to the work array `candidateSlots` from 0 the definitions a reference to `nameId` from `slot` resolves to, as
   * resolveNameId would: the definitions in its file (`file`, id `fromId`) or files it imports (as markImportsOf last
   * marked them: the file's) and those a local name or namespace member of the file stands for (localNameTargets), if any — `resolvedPreferred`
   * is then true — else all of them. (A mark per imported file, where importsFile would scan the imports per definition.)
   * @returns how many.
   */
  private resolveMarked(slot: number, nameId: number, file: string, fromId: number): number {
    const candidates = nameId < 0 ? NO_SLOTS : this.definitionsByName.get(nameId);
    this.resolvedPreferred = false;
    const localEnd = this.localNameTargets(file, fromId, nameId);
    if (candidates.length === 0 && localEnd === 0) return 0;
    this.candidateSlots = withLength(this.candidateSlots, candidates.length + localEnd);
    const listed = this.candidateSlots;
    const imported = this.imported;
    let all = 0;
    let preferred = 0;
    for (const target of candidates) {
      if (target === slot || this.kinds[target] !== SlotKind.Definition) continue;
      all++;
      const fileId = this.slotFile[target] as number;
      // Preferred slots go to the front of the list in order; the rest are not needed once there is one.
      if (fileId === fromId || imported.has(fileId)) listed[preferred++] = target;
      else if (preferred === 0) listed[all - 1] = target;
    }
    for (let k = 0; k < localEnd; k++) {
      const target = this.linkedSlots[k] as number;
      if (target !== slot && !listed.subarray(0, preferred).includes(target)) listed[preferred++] = target;
    }
    this.resolvedPreferred = preferred > 0;
    return preferred > 0 ? preferred : all;
  }

  /**
   * The weight of the edge to each of the `count` definitions resolveMarked last listed for a name mentioned `mentions`
   * times: sqrt(mentions) split evenly among them, a tenth of that where more than AMBIGUOUS_DEFINITIONS share it and
   * the file's imports prefer none (a common method name says little of which one is meant).
   */
  private resolvedWeight(mentions: number, count: number): number {
    const weight = Math.sqrt(mentions) / count;
    return !this.resolvedPreferred && count > AMBIGUOUS_DEFINITIONS ? weight * AMBIGUOUS_PENALTY : weight;
  }

  /** Marks the ids of the files `file` imports (`imported`), until the next call. */
  private markImportsOf(file: IndexedFile | undefined): void {
    this.imported.begin(this.filePaths.length);
    if (!file) return;
    // (Plain loops over `targets` or `resolved`, as in importsFile: importTargets makes an array per plain import.)
    for (const imp of file.imports) {
      if (imp.targets === undefined) {
        if (imp.resolved !== undefined) this.markImported(imp.resolved, file.path);
      } else for (const t of imp.targets) this.markImported(t.file, file.path);
    }
  }

  private markImported(path: string, importer: string): void {
    if (path === importer) return;
    const id = this.fileIds.get(path);
    if (id !== undefined) this.imported.mark(id);
  }

  private addForwardWeight(target: number, weight: number): void {
    const weights = this.edgeWeightByTarget;
    const before = weights[target] as number;
    if (before === 0) {
      this.edgeTargetOrder = withLength(this.edgeTargetOrder, this.edgeTargetCount + 1);
      this.edgeTargetOrder[this.edgeTargetCount++] = target;
    }
    weights[target] = before + weight;
  }

  /**
   * Adds the edges of `path`'s imports to the definitions they bring. Each import weighs one, spread evenly over the
   * definitions it links to. A Go import, or a Java wildcard import (`import a.b.*;`), reaches the files of one
   * package: they pool their definitions as one import of one file holding them all (a file with none to link takes
   * nothing). Each other target (an item of a Rust `use`
   * group or a Python `from x import a, B` that resolves elsewhere) weighs as an import of its own, as separate
   * statements would.
   */
  private addImportEdges(path: string): void {
    const file = this.entries.get(path)?.file;
    if (!file) return;
    // (A Java import reaches more than one file only as a wildcard's package.)
    const pooled = file.language === 'go' || file.language === 'java';
    for (let position = 0; position < file.imports.length; position++) {
      const imp = file.imports[position] as ImportEdge;
      // A namespace import's local name (namespaceNameOf) links the members the file's code uses through it (`Option.some`):
      // the whole-module edge beside it spreads its weight over every export of the module alike.
      if (namespaceNameOf(imp.names) !== undefined) {
        this.addLinkedWeight(this.namespaceMemberSlots(path, position));
        continue;
      }
      const targets = imp.targets;
      if (targets === undefined) {
        if (imp.resolved !== undefined) this.addLinkedWeight(this.linkReexported(path, imp.resolved, imp, 0, this.linkSlots(path, imp.resolved, imp, 0)));
        continue;
      }
      let end = 0;
      for (const t of targets) {
        const start = pooled ? end : 0;
        end = this.linkReexported(path, t.file, t, start, this.linkSlots(path, t.file, t, start));
        if (!pooled) this.addLinkedWeight(end);
      }
      if (pooled) this.addLinkedWeight(end);
    }
  }

  /**
   * Writes to the work array `linkedSlots` from 0 the definitions `importer`'s references to members of its namespace
   * import (the import at `position` of its imports) reach (`Option.some`: namespaceMembersOf); returns the end.
   */
  private namespaceMemberSlots(importer: string, position: number): number {
    const fileId = this.fileIds.get(importer);
    const members = fileId === undefined ? undefined : this.namespaceMembersByFile[fileId];
    if (members === undefined) return 0;
    let end = 0;
    for (let m = 0; m < members.length; m += MEMBER_FIELDS) {
      if (members[m + 3] === position) end = this.rowMemberSlots(importer, fileId as number, members, m, end);
    }
    return end;
  }

  /** The positions of the imports of the file `importerId` that reach `path`. */
  private positionsReaching(importerId: number, path: string): Set<number> {
    const positions = new Set<number>();
    const file = this.entriesById[importerId]?.file;
    file?.imports.forEach((imp, position) => {
      if (importReaches(imp, path)) positions.add(position);
    });
    return positions;
  }

  /**
   * Appends to the work array `linkedSlots` after `end` the definitions the names of an import from `target` reach
   * where `target` re-exports them (reexportedSlots), each once in [start, end); returns the new end.
   */
  private linkReexported(importer: string, target: string, brought: Pick<ImportEdge, 'names'>, start: number, end: number): number {
    if (target === importer || isSideEffectImport(brought)) return end;
    for (const name of brought.names) {
      for (const s of this.reexportedSlots(target, name)) {
        if (this.linkedSlots.subarray(start, end).includes(s)) continue;
        this.linkedSlots = withLength(this.linkedSlots, end + 1);
        this.linkedSlots[end++] = s;
      }
    }
    return end;
  }

  /**
   * Writes to the work array `linkedSlots` from `start` the definition slots an import of `brought.names` from
   * `target` links to (those names; for a whole-module or side-effect import, what the module exports); returns the
   * end. (A side-effect import, as before it was told apart, links to what its module exports.) By name as the
   * ranker's reasons (bringsDefinition): a member of that name by its container's name (Java's by its own too); in a
   * JS/TS module DEFAULT_EXPORT (a default import's) is no definition's name: it links to the top-level definition the
   * module exports as its default (isDefaultExport), whatever its name, never to one named `default` (a method `default()`).
   */
  private linkSlots(importer: string, target: string, brought: Pick<ImportEdge, 'names'>, start: number): number {
    if (target === importer) return start;
    const entry = this.entries.get(target);
    if (!entry) return start;
    const names = brought.names;
    const byName = names.length > 0 && !isSideEffectImport(brought);
    const language = entry.file.language;
    const definitions = entry.definitions;
    // (Signatures are read only for a default import, and once per version of the file (defaultExportSlots): not per
    // import of it — hundreds of default imports of a module of thousands of definitions read each signature each.)
    const defaults = byName && defaultsByExport(language) && names.includes(DEFAULT_EXPORT) ? this.defaultExportSlots(this.slotFile[entry.fileSlot] as number, entry) : undefined;
    let s = 0;
    const exportsDefault = (): boolean => defaults?.has(s) === true;
    let end = start;
    for (let i = 0; i < definitions.length; i++) {
      s = entry.fileSlot + 1 + i;
      if (this.kinds[s] !== SlotKind.Definition) continue;
      const d = this.slotDefinition[s] as number;
      if (!byName) {
        if (!definitions.exportedAt(d)) continue;
      } else if (!bringsDefinition(names, this.names.name(this.slotName[s] as number), definitions.containerAt(d), language, exportsDefault)) continue;
      this.linkedSlots = withLength(this.linkedSlots, end + 1);
      this.linkedSlots[end++] = s;
    }
    return end;
  }

  /** Adds one import's weight, spread evenly over linkedSlots[0 .. end). */
  private addLinkedWeight(end: number): void {
    for (let k = 0; k < end; k++) this.addForwardWeight(this.linkedSlots[k] as number, 1 / end);
  }

  /** Marks the ids of the files `importers` (`this.importers`), until the next call. */
  private markImporters(importers: Iterable<string>): void {
    this.importers.begin(this.filePaths.length);
    for (const importer of importers) {
      const id = this.fileIds.get(importer);
      if (id !== undefined) this.importers.mark(id);
    }
  }

  /**
   * Nodes that reference this definition's name and plausibly mean it: written to the work array
   * `callerSlots` (valid until the next call); returns how many.
   */
  private callers(slot: number): number {
    const nameId = this.slotName[slot] as number;
    this.referrerSlots = withLength(this.referrerSlots, this.referrersByName.bound(nameId));
    const referrerCount = this.referrersByName.collect(nameId, this.isLive, this.referrerSlots);
    const unique = this.definitionsByName.count(nameId) <= 1;
    const fileId = this.slotFile[slot] as number;
    const path = this.filePaths[fileId] as string;
    const importers = this.importersByFile.values(path);
    // (The importers' ids marked when they are fewer than the referrers: a common name — a Go package's `New` — has
    // thousands, each looked up among the importers' paths by its own.)
    const marked = this.importersByFile.count(path) <= referrerCount;
    if (marked) this.markImporters(importers);
    this.callerSlots = withLength(this.callerSlots, referrerCount);
    this.closeCallerSlots = withLength(this.closeCallerSlots, referrerCount);
    let outCount = 0;
    let closeCount = 0;
    for (let k = 0; k < referrerCount; k++) {
      const r = this.referrerSlots[k] as number;
      if (r === slot || this.kinds[r] === SlotKind.Free) continue;
      const rFile = this.slotFile[r] as number;
      const isClose = rFile === fileId || (marked ? this.importers.has(rFile) : holds(importers, this.filePaths[rFile] as string));
      // (In a file whose imports give the name as a local name, it means what the import brings: localTargets.)
      if (!isClose && this.hasLocalName(rFile, nameId)) continue;
      if (isClose) this.closeCallerSlots[closeCount++] = r;
      if (unique || isClose) this.callerSlots[outCount++] = r;
    }
    // The nodes of importers that reference this definition by a local name their imports give it (`total` of `import {
    // cartTotal as total } from './cart'`): close callers, as those naming it.
    const pairs = this.localCallersOf(fileId, path)?.get(slot) ?? NO_SLOTS;
    if (pairs.length > 0) {
      // A local name's referrers by file, read once per name (a default import's local name is referenced in each of
      // hundreds of importers), and the callers so far as a set: linear in the importers, not quadratic.
      const byFile = new Map<number, Map<number, number[]>>();
      const listed = new Set(this.callerSlots.subarray(0, outCount));
      for (let p = 0; p < pairs.length; p += 2) {
        const importerId = pairs[p] as number;
        const localId = pairs[p + 1] as number;
        let referrers = byFile.get(localId);
        if (referrers === undefined) {
          referrers = new Map();
          byFile.set(localId, referrers);
          this.referrerSlots = withLength(this.referrerSlots, this.referrersByName.bound(localId));
          const count = this.referrersByName.collect(localId, this.isLive, this.referrerSlots);
          for (let k = 0; k < count; k++) {
            const r = this.referrerSlots[k] as number;
            const rFile = this.slotFile[r] as number;
            const inFile = referrers.get(rFile);
            if (inFile === undefined) referrers.set(rFile, [r]);
            else inFile.push(r);
          }
        }
        for (const r of referrers.get(importerId) ?? NO_SLOTS) {
          if (this.kinds[r] === SlotKind.Free || listed.has(r)) continue;
          listed.add(r);
          this.callerSlots = withLength(this.callerSlots, outCount + 1);
          this.closeCallerSlots = withLength(this.closeCallerSlots, closeCount + 1);
          this.closeCallerSlots[closeCount++] = r;
          this.callerSlots[outCount++] = r;
        }
      }
    }
    const out = this.callerSlots;
    const close = this.closeCallerSlots;
    if (outCount <= MAX_REVERSE_FANOUT) return outCount;
    const kept = Math.min(closeCount, MAX_REVERSE_FANOUT);
    // The first close callers in a fresh index's order (not slot order, which edits change).
    if (closeCount > kept) close.subarray(0, closeCount).sort((a, b) => (a === b ? 0 : this.precedes(a, b) ? -1 : 1));
    out.set(close.subarray(0, kept));
    return kept;
  }
}

/**
 * The map's entries in path order (code units), each read from the map when taken: the paths are sorted when the
 * first is taken, the files read as the build goes. One deleted after the sort is skipped, one changed comes as it is
 * now, one added after the sort is not among them (the next sync diffs again). The default sort compares as `<` does
 * and is several times faster at 50,000 paths than a comparator function (paths are distinct: no ties).
 */
function* inPathOrder<T>(files: ReadonlyMap<string, T>): Generator<[string, T], void, void> {
  for (const path of [...files.keys()].sort()) {
    const file = files.get(path);
    if (file !== undefined) yield [path, file];
  }
}

/**
 * The slot each definition of a file stands for as the enclosing definition of references: its own, except that
 * definitions with equal ids (same name and start line: the extraction keeps one, older data may not) are one
 * node, the last of them. Ids are computed strings, so they are compared only for definitions sharing a line.
 */
export function enclosingSlots(defs: DefinitionReader, fileSlot: number): Int32Array {
  const n = defs.length;
  const slots = new Int32Array(n);
  for (let i = 0; i < n; i++) slots[i] = fileSlot + 1 + i;
  if (!startLinesShared(defs)) return slots;
  const slotById = new Map<string, number>();
  for (let i = 0; i < n; i++) slotById.set(defs.idAt(i), fileSlot + 1 + i);
  for (let i = 0; i < n; i++) slots[i] = slotById.get(defs.idAt(i)) ?? fileSlot;
  return slots;
}

/**
 * Whether two definitions start on one line (ids are a file's path, name and start line: only then can two share one).
 * Definitions come in the order they start, so nearly always in line order: no set of the lines needed then.
 */
function startLinesShared(defs: DefinitionReader): boolean {
  for (let i = 1; i < defs.length; i++) {
    const line = defs.startLineAt(i);
    const before = defs.startLineAt(i - 1);
    if (line === before) return true;
    if (line < before) {
      const lines = new Set<number>();
      for (let k = 0; k < defs.length; k++) {
        const at = defs.startLineAt(k);
        if (lines.has(at)) return true;
        lines.add(at);
      }
      return false;
    }
  }
  return false;
}
