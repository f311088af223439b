// The ranker's own view of an IndexSnapshot: one node per definition (and per file), a BM25 index of
// their names, signatures and doc words, and the name/import maps the reference graph is walked
// through. It follows the snapshot incrementally: on a new version only the files whose content or
// import resolution changed are removed and re-added, so a query after an edit costs little more
// than a query on an unchanged index.

import { Bm25Index } from './bm25Index';
import { identifierTerms, textTerms } from './identifierTokens';
import type { Definition, IndexSnapshot, IndexedFile } from './model';
import { SlotMultimap } from './slotMultimap';

/** Distinct names a node references, with how often (parallel arrays: compact for 50,000 nodes). */
export interface OutRefs {
  readonly names: readonly string[];
  readonly counts: readonly number[];
}

export interface DefinitionNode {
  readonly kind: 'definition';
  readonly slot: number;
  readonly def: Definition;
  /** Names referenced directly inside this definition (innermost enclosing). */
  readonly outRefs: OutRefs;
}

export interface FileNode {
  readonly kind: 'file';
  readonly slot: number;
  readonly path: string;
  /** Names referenced at the top level of the file (outside any definition). */
  readonly outRefs: OutRefs;
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
  readonly definitionSlots: readonly number[];
  /** Workspace files this file imports (resolved import targets). */
  readonly importedFiles: ReadonlySet<string>;
}

/** Weighted out-edges of a node; weights sum to at most 1. */
export interface Edges {
  readonly targets: readonly number[];
  readonly weights: readonly number[];
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
  if (def.doc === undefined) for (const name of referencedNames) addTerms(tf, identifierTerms(name), REFERENCE_WEIGHT);
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
  for (const id of file.identifiers) addTerms(tf, identifierTerms(id), FILE_IDENTIFIER_WEIGHT);
  addTerms(tf, identifierTerms(fileStem(file.path)), FILE_NAME_WEIGHT);
  return tf;
}

const NO_REFS: OutRefs = { names: [], counts: [] };

function toOutRefs(counts: Map<string, number> | undefined): OutRefs {
  if (!counts || counts.size === 0) return NO_REFS;
  return { names: [...counts.keys()], counts: [...counts.values()] };
}

function addToSetMap<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  let set = map.get(key);
  if (!set) {
    set = new Set();
    map.set(key, set);
  }
  set.add(value);
}

function deleteFromSetMap<K, V>(map: Map<K, Set<V>>, key: K, value: V): void {
  const set = map.get(key);
  if (!set) return;
  set.delete(value);
  if (set.size === 0) map.delete(key);
}

function sameImports(a: IndexedFile, b: IndexedFile): boolean {
  if (a.imports.length !== b.imports.length) return false;
  return a.imports.every((imp, i) => imp.resolved === b.imports[i]?.resolved);
}

export class RankingIndex {
  private nodes: (RankNode | undefined)[] = [];
  private kinds = new Uint8Array(1024);
  private entries = new Map<string, FileEntry>();
  private definitionsByName = new SlotMultimap();
  private definitionsByLowerName = new SlotMultimap();
  private referrersByName = new SlotMultimap();
  private importersByFile = new Map<string, Set<string>>();
  private filesByDirectory = new Map<string, Set<string>>();
  private bm25 = new Bm25Index();
  private edgeMemo = new Map<number, Edges>();
  private liveDefinitions = 0;
  private syncedSnapshot: IndexSnapshot | undefined;
  private syncedVersion = -1;
  private pending: { snapshot: IndexSnapshot; version: number; steps: Generator<void, boolean, void> } | undefined;
  /** Bumps whenever the ranker's view changes (a version change or an index swap). */
  generation = 0;

  get lexical(): Bm25Index {
    return this.bm25;
  }

  /** One more than the highest slot number in use (slots are never reused until a rebuild). */
  get capacity(): number {
    return this.nodes.length;
  }

  get definitionCount(): number {
    return this.liveDefinitions;
  }

  node(slot: number): RankNode | undefined {
    return this.nodes[slot];
  }

  kindOf(slot: number): SlotKind {
    return (this.kinds[slot] ?? SlotKind.Free) as SlotKind;
  }

  /** Definitions and files ranked as a whole: what can become a context item. */
  isRankable(slot: number): boolean {
    const kind = this.kinds[slot];
    return kind === SlotKind.Definition || kind === SlotKind.RankedFile;
  }

  private setNode(slot: number, node: RankNode | undefined): void {
    if (slot === this.nodes.length) this.nodes.push(node);
    else this.nodes[slot] = node;
    if (slot >= this.kinds.length) {
      const grown = new Uint8Array(Math.max(slot + 1, this.kinds.length * 2));
      grown.set(this.kinds);
      this.kinds = grown;
    }
    this.kinds[slot] = !node ? SlotKind.Free : node.kind === 'definition' ? SlotKind.Definition : node.rankedAsFile ? SlotKind.RankedFile : SlotKind.File;
  }

  entry(path: string): FileEntry | undefined {
    return this.entries.get(path);
  }

  definitionsNamed(name: string): readonly number[] {
    return this.definitionsByName.get(name);
  }

  /** Definitions whose name, lower-cased, is `lowerName`. */
  definitionsNamedIgnoringCase(lowerName: string): readonly number[] {
    return this.definitionsByLowerName.get(lowerName);
  }

  importersOf(path: string): ReadonlySet<string> | undefined {
    return this.importersByFile.get(path);
  }

  filesIn(directory: string): ReadonlySet<string> | undefined {
    return this.filesByDirectory.get(directory);
  }

  /** Brings this view up to date with the snapshot, all at once. Returns true when anything changed. */
  sync(snapshot: IndexSnapshot): boolean {
    const steps = this.syncSteps(snapshot);
    let step = steps.next();
    while (!step.done) step = steps.next();
    return step.value;
  }

  /**
   * The same work as `sync`, in steps: the generator yields after every few thousand definitions so
   * an async caller can let the event loop run (a first build over 50,000 definitions takes a while).
   * An unfinished sync (its caller was cancelled) is finished first by the next sync of any kind.
   * Returns true when anything changed.
   */
  syncSteps(snapshot: IndexSnapshot): Generator<void, boolean, void> {
    if (this.pending && this.pending.snapshot === snapshot && this.pending.version === snapshot.version) return this.pending.steps;
    if (this.pending) {
      const unfinished = this.pending.steps;
      let step = unfinished.next();
      while (!step.done) step = unfinished.next();
    }
    const steps = this.runSync(snapshot);
    this.pending = { snapshot, version: snapshot.version, steps };
    return steps;
  }

  private *runSync(snapshot: IndexSnapshot): Generator<void, boolean, void> {
    try {
      if (snapshot === this.syncedSnapshot && snapshot.version === this.syncedVersion) return false;
      const version = snapshot.version;
      const changed: IndexedFile[] = [];
      const freed: number[] = [];
      let work = 0;
      for (const [path, entry] of this.entries) {
        const file = snapshot.files.get(path);
        if (file && (file === entry.file || (file.hash === entry.file.hash && sameImports(file, entry.file)))) continue;
        changed.push(entry.file);
        freed.push(entry.fileSlot, ...entry.definitionSlots);
        this.removeFile(path);
        work += 1 + entry.definitionSlots.length;
        if (work >= SYNC_STEP_WORK) {
          work = 0;
          yield;
        }
      }
      for (const [path, file] of snapshot.files) {
        const entry = this.entries.get(path);
        if (!entry) {
          this.addFile(file);
          changed.push(file);
          work += 1 + file.definitions.length;
        } else if (entry.file !== file) this.entries.set(path, { ...entry, file });
        if (work >= SYNC_STEP_WORK) {
          work = 0;
          yield;
        }
      }
      if (this.bm25.needsCompaction) this.rebuild();
      else this.invalidateEdges(changed, freed);
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
   * Forgets the memoised edges that files changing (old and new versions in `changed`) can affect:
   * nodes referencing a name they define (forward edges), definitions of a name they define or
   * reference (callers and ambiguity), and their importers (import edges). A changed import list
   * only matters for callers in the changed file, which its references already cover. Everything
   * else keeps its edges across versions.
   */
  private invalidateEdges(changed: readonly IndexedFile[], freed: readonly number[]): void {
    if (changed.length > MAX_TARGETED_INVALIDATIONS) {
      this.edgeMemo.clear();
      return;
    }
    const memo = this.edgeMemo;
    for (const slot of freed) memo.delete(slot);
    for (const file of changed) {
      for (const def of file.definitions) {
        for (const slot of this.referrersByName.get(def.name)) memo.delete(slot);
        for (const slot of this.definitionsByName.get(def.name)) memo.delete(slot);
      }
      for (const ref of file.references) for (const slot of this.definitionsByName.get(ref.name)) memo.delete(slot);
      for (const importer of this.importersByFile.get(file.path) ?? []) {
        const entry = this.entries.get(importer);
        if (entry) memo.delete(entry.fileSlot);
      }
    }
  }

  /** Rebuilds every structure from the current entries (drops BM25 tombstones, renumbers slots). */
  private rebuild(): void {
    const files = [...this.entries.values()].map((e) => e.file);
    this.edgeMemo.clear();
    this.nodes = [];
    this.kinds = new Uint8Array(1024);
    this.entries = new Map();
    this.definitionsByName = new SlotMultimap();
    this.definitionsByLowerName = new SlotMultimap();
    this.referrersByName = new SlotMultimap();
    this.importersByFile = new Map();
    this.filesByDirectory = new Map();
    this.bm25 = new Bm25Index();
    this.liveDefinitions = 0;
    for (const file of files) this.addFile(file);
  }

  private addFile(file: IndexedFile): void {
    const fileSlot = this.nodes.length;
    const rankedAsFile = file.definitions.length === 0;
    const definitionSlots = file.definitions.map((_, i) => fileSlot + 1 + i);
    const slotById = new Map<string, number>();
    file.definitions.forEach((def, i) => slotById.set(def.id, fileSlot + 1 + i));
    const refCounts = new Map<number, Map<string, number>>();
    for (const ref of file.references) {
      const slot = (ref.enclosing === undefined ? undefined : slotById.get(ref.enclosing)) ?? fileSlot;
      let counts = refCounts.get(slot);
      if (!counts) {
        counts = new Map();
        refCounts.set(slot, counts);
      }
      counts.set(ref.name, (counts.get(ref.name) ?? 0) + 1);
    }
    const fileNode: FileNode = { kind: 'file', slot: fileSlot, path: file.path, outRefs: toOutRefs(refCounts.get(fileSlot)), rankedAsFile };
    this.setNode(fileSlot, fileNode);
    for (const name of fileNode.outRefs.names) this.referrersByName.add(name, fileSlot);
    file.definitions.forEach((def, i) => {
      const slot = fileSlot + 1 + i;
      const node: DefinitionNode = { kind: 'definition', slot, def, outRefs: toOutRefs(refCounts.get(slot)) };
      this.setNode(slot, node);
      this.definitionsByName.add(def.name, slot);
      this.definitionsByLowerName.add(def.name.toLowerCase(), slot);
      for (const name of node.outRefs.names) this.referrersByName.add(name, slot);
      this.bm25.add(slot, definitionTerms(def, node.outRefs.names));
      this.liveDefinitions++;
    });
    if (rankedAsFile) this.bm25.add(fileSlot, fileTerms(file));
    const importedFiles = new Set<string>();
    for (const imp of file.imports) {
      if (imp.resolved === undefined || imp.resolved === file.path) continue;
      importedFiles.add(imp.resolved);
      addToSetMap(this.importersByFile, imp.resolved, file.path);
    }
    addToSetMap(this.filesByDirectory, directoryOf(file.path), file.path);
    this.entries.set(file.path, { file, fileSlot, definitionSlots, importedFiles });
  }

  private removeFile(path: string): void {
    const entry = this.entries.get(path);
    if (!entry) return;
    for (const slot of [entry.fileSlot, ...entry.definitionSlots]) {
      const node = this.nodes[slot];
      if (!node) continue;
      for (const name of node.outRefs.names) this.referrersByName.delete(name, slot);
      if (node.kind === 'definition') {
        this.definitionsByName.delete(node.def.name, slot);
        this.definitionsByLowerName.delete(node.def.name.toLowerCase(), slot);
        this.bm25.remove(slot, definitionTerms(node.def, node.outRefs.names));
        this.liveDefinitions--;
      } else if (node.rankedAsFile) {
        this.bm25.remove(slot, fileTerms(entry.file));
      }
      this.setNode(slot, undefined);
    }
    for (const imported of entry.importedFiles) deleteFromSetMap(this.importersByFile, imported, path);
    deleteFromSetMap(this.filesByDirectory, directoryOf(path), path);
    this.entries.delete(path);
  }

  private fileOf(node: RankNode): string {
    return node.kind === 'file' ? node.path : node.def.file;
  }

  /**
   * Where a reference to `name` from `fromFile` most likely points: the definitions of that name in
   * the same file or in files it imports when there are any, otherwise every definition of the name.
   */
  resolveName(name: string, fromFile: string, exclude?: number): { slots: number[]; preferred: boolean; total: number } {
    const candidates = this.definitionsByName.get(name);
    if (candidates.length === 0) return { slots: [], preferred: false, total: 0 };
    const imported = this.entries.get(fromFile)?.importedFiles;
    const preferred: number[] = [];
    const all: number[] = [];
    for (const slot of candidates) {
      if (slot === exclude) continue;
      const node = this.nodes[slot];
      if (node?.kind !== 'definition') continue;
      all.push(slot);
      if (node.def.file === fromFile || imported?.has(node.def.file)) preferred.push(slot);
    }
    return preferred.length > 0 ? { slots: preferred, preferred: true, total: all.length } : { slots: all, preferred: false, total: all.length };
  }

  /** Weighted out-edges (callees and imports, plus a share for callers), memoised per sync. */
  edges(slot: number): Edges {
    const memo = this.edgeMemo.get(slot);
    if (memo) return memo;
    const node = this.nodes[slot];
    const forward = new Map<number, number>();
    if (node) {
      const file = this.fileOf(node);
      const { names, counts } = node.outRefs;
      for (let i = 0; i < names.length; i++) {
        const count = counts[i] as number;
        const { slots, preferred, total } = this.resolveName(names[i] as string, file, slot);
        if (slots.length === 0) continue;
        let weight = Math.sqrt(count) / slots.length;
        if (!preferred && total > AMBIGUOUS_DEFINITIONS) weight *= AMBIGUOUS_PENALTY;
        for (const target of slots) forward.set(target, (forward.get(target) ?? 0) + weight);
      }
      if (node.kind === 'file') this.addImportEdges(node.path, forward);
    }
    const reverse = node?.kind === 'definition' ? this.callers(node) : [];
    const edges = normaliseEdges(forward, reverse);
    this.edgeMemo.set(slot, edges);
    return edges;
  }

  private addImportEdges(path: string, forward: Map<number, number>): void {
    const file = this.entries.get(path)?.file;
    if (!file) return;
    for (const imp of file.imports) {
      if (imp.resolved === undefined || imp.resolved === path) continue;
      const target = this.entries.get(imp.resolved);
      if (!target) continue;
      const slots = target.definitionSlots.filter((s) => {
        const n = this.nodes[s];
        if (n?.kind !== 'definition') return false;
        return imp.names.length > 0 ? imp.names.includes(n.def.name) : n.def.exported;
      });
      for (const s of slots) forward.set(s, (forward.get(s) ?? 0) + 1 / slots.length);
    }
  }

  /** Nodes that reference this definition's name and plausibly mean it. */
  private callers(node: DefinitionNode): number[] {
    const referrers = this.referrersByName.get(node.def.name);
    if (referrers.length === 0) return [];
    const unique = this.definitionsByName.count(node.def.name) <= 1;
    const importers = this.importersByFile.get(node.def.file);
    const out: number[] = [];
    const close: number[] = [];
    for (const r of referrers) {
      if (r === node.slot) continue;
      const n = this.nodes[r];
      if (!n) continue;
      const f = this.fileOf(n);
      const isClose = f === node.def.file || importers?.has(f) === true;
      if (isClose) close.push(r);
      if (unique || isClose) out.push(r);
    }
    return out.length > MAX_REVERSE_FANOUT ? close.slice(0, MAX_REVERSE_FANOUT) : out;
  }
}

function normaliseEdges(forward: Map<number, number>, reverse: readonly number[]): Edges {
  let forwardSum = 0;
  for (const w of forward.values()) forwardSum += w;
  const forwardShare = reverse.length > 0 ? 1 - REVERSE_SHARE : 1;
  const targets: number[] = [];
  const weights: number[] = [];
  if (forwardSum > 0) {
    for (const [t, w] of forward) {
      targets.push(t);
      weights.push((w / forwardSum) * forwardShare);
    }
  }
  for (const r of reverse) {
    targets.push(r);
    weights.push(REVERSE_SHARE / reverse.length);
  }
  return { targets, weights };
}
