// The ranker's own view of an IndexSnapshot: one node per definition (and per file), a BM25 index of
// their names, signatures and doc words, and the name/import maps the reference graph is walked
// through. It follows the snapshot incrementally: on a new version only the files whose content or
// import resolution changed are removed and re-added, so a query after an edit costs little more
// than a query on an unchanged index.

import { Bm25Index } from './bm25Index';
import { identifierTerms, textTerms } from './identifierTokens';
import type { Definition, IndexSnapshot, IndexedFile } from './model';

export interface DefinitionNode {
  readonly kind: 'definition';
  readonly slot: number;
  readonly def: Definition;
  /** Names referenced directly inside this definition (innermost enclosing), with counts. */
  readonly outRefs: ReadonlyMap<string, number>;
}

export interface FileNode {
  readonly kind: 'file';
  readonly slot: number;
  readonly path: string;
  /** Names referenced at the top level of the file (outside any definition), with counts. */
  readonly outRefs: ReadonlyMap<string, number>;
  /** True when the file has no definitions and is ranked as a whole (identifier-only fallback). */
  readonly rankedAsFile: boolean;
}

export type RankNode = DefinitionNode | FileNode;

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

/** The weighted term frequencies of one definition's lexical document. */
export function definitionTerms(def: Definition): Map<string, number> {
  const tf = new Map<string, number>();
  addTerms(tf, identifierTerms(def.name), NAME_WEIGHT);
  if (def.container !== undefined) addTerms(tf, identifierTerms(def.container), CONTAINER_WEIGHT);
  addTerms(tf, textTerms(def.signature), SIGNATURE_WEIGHT);
  if (def.doc !== undefined) addTerms(tf, textTerms(def.doc), DOC_WEIGHT);
  const stem = fileStem(def.file);
  if (!UNINFORMATIVE_STEMS.has(stem.toLowerCase())) addTerms(tf, identifierTerms(stem), PATH_WEIGHT);
  return tf;
}

function fileTerms(file: IndexedFile): Map<string, number> {
  const tf = new Map<string, number>();
  for (const id of file.identifiers) addTerms(tf, identifierTerms(id), FILE_IDENTIFIER_WEIGHT);
  addTerms(tf, identifierTerms(fileStem(file.path)), FILE_NAME_WEIGHT);
  return tf;
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
  private entries = new Map<string, FileEntry>();
  private definitionsByName = new Map<string, Set<number>>();
  private definitionsByLowerName = new Map<string, Set<number>>();
  private referrersByName = new Map<string, Set<number>>();
  private importersByFile = new Map<string, Set<string>>();
  private filesByDirectory = new Map<string, Set<string>>();
  private bm25 = new Bm25Index();
  private edgeMemo = new Map<number, Edges>();
  private liveDefinitions = 0;
  private syncedSnapshot: IndexSnapshot | undefined;
  private syncedVersion = -1;
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

  entry(path: string): FileEntry | undefined {
    return this.entries.get(path);
  }

  definitionsNamed(name: string): ReadonlySet<number> | undefined {
    return this.definitionsByName.get(name);
  }

  /** Definitions whose name, lower-cased, is `lowerName`. */
  definitionsNamedIgnoringCase(lowerName: string): ReadonlySet<number> | undefined {
    return this.definitionsByLowerName.get(lowerName);
  }

  importersOf(path: string): ReadonlySet<string> | undefined {
    return this.importersByFile.get(path);
  }

  filesIn(directory: string): ReadonlySet<string> | undefined {
    return this.filesByDirectory.get(directory);
  }

  /** Brings this view up to date with the snapshot. Returns true when anything changed. */
  sync(snapshot: IndexSnapshot): boolean {
    if (snapshot === this.syncedSnapshot && snapshot.version === this.syncedVersion) return false;
    for (const [path, entry] of this.entries) {
      const file = snapshot.files.get(path);
      if (!file) this.removeFile(path);
      else if (file !== entry.file && (file.hash !== entry.file.hash || !sameImports(file, entry.file))) this.removeFile(path);
    }
    for (const [path, file] of snapshot.files) {
      const entry = this.entries.get(path);
      if (!entry) this.addFile(file);
      else if (entry.file !== file) this.entries.set(path, { ...entry, file });
    }
    if (this.bm25.needsCompaction) this.rebuild();
    this.edgeMemo.clear();
    this.syncedSnapshot = snapshot;
    this.syncedVersion = snapshot.version;
    this.generation++;
    return true;
  }

  /** Rebuilds every structure from the current entries (drops BM25 tombstones, renumbers slots). */
  private rebuild(): void {
    const files = [...this.entries.values()].map((e) => e.file);
    this.nodes = [];
    this.entries = new Map();
    this.definitionsByName = new Map();
    this.definitionsByLowerName = new Map();
    this.referrersByName = new Map();
    this.importersByFile = new Map();
    this.filesByDirectory = new Map();
    this.bm25 = new Bm25Index();
    this.liveDefinitions = 0;
    for (const file of files) this.addFile(file);
  }

  private addFile(file: IndexedFile): void {
    const fileSlot = this.nodes.length;
    const rankedAsFile = file.definitions.length === 0;
    const slotById = new Map<string, number>();
    const refsBySlot = new Map<number, Map<string, number>>();
    const fileRefs = new Map<string, number>();
    this.nodes.push(undefined); // placeholder, filled below once the file's refs are grouped
    const definitionSlots: number[] = [];
    for (const def of file.definitions) {
      const slot = this.nodes.length;
      this.nodes.push(undefined);
      slotById.set(def.id, slot);
      refsBySlot.set(slot, new Map());
      definitionSlots.push(slot);
    }
    for (const ref of file.references) {
      const slot = ref.enclosing === undefined ? undefined : slotById.get(ref.enclosing);
      const refs = (slot === undefined ? undefined : refsBySlot.get(slot)) ?? fileRefs;
      refs.set(ref.name, (refs.get(ref.name) ?? 0) + 1);
    }
    this.nodes[fileSlot] = { kind: 'file', slot: fileSlot, path: file.path, outRefs: fileRefs, rankedAsFile };
    for (const name of fileRefs.keys()) addToSetMap(this.referrersByName, name, fileSlot);
    file.definitions.forEach((def, i) => {
      const slot = definitionSlots[i] as number;
      const outRefs = refsBySlot.get(slot) ?? new Map<string, number>();
      this.nodes[slot] = { kind: 'definition', slot, def, outRefs };
      addToSetMap(this.definitionsByName, def.name, slot);
      addToSetMap(this.definitionsByLowerName, def.name.toLowerCase(), slot);
      for (const name of outRefs.keys()) addToSetMap(this.referrersByName, name, slot);
      this.bm25.add(slot, definitionTerms(def));
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
      for (const name of node.outRefs.keys()) deleteFromSetMap(this.referrersByName, name, slot);
      if (node.kind === 'definition') {
        deleteFromSetMap(this.definitionsByName, node.def.name, slot);
        deleteFromSetMap(this.definitionsByLowerName, node.def.name.toLowerCase(), slot);
        this.liveDefinitions--;
      }
      this.bm25.remove(slot);
      this.nodes[slot] = undefined;
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
    if (!candidates) return { slots: [], preferred: false, total: 0 };
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
      for (const [name, count] of node.outRefs) {
        const { slots, preferred, total } = this.resolveName(name, file, slot);
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
    if (!referrers) return [];
    const unique = (this.definitionsByName.get(node.def.name)?.size ?? 0) <= 1;
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
