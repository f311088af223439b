// The data model shared by the indexer (parsing, extraction, workspace index) and the context engine
// (ranking, packing, cache). Paths are workspace-relative with '/' separators; lines are 1-based inclusive.

export type LanguageId = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java' | 'text';

export type DefinitionKind = 'function' | 'class' | 'method' | 'interface' | 'type' | 'enum' | 'const';

export interface Definition {
  /** Stable id: `${file}#${name}#${startLine}` (computed when read: see DefinitionRecord). */
  readonly id: string;
  readonly file: string;
  readonly name: string;
  readonly kind: DefinitionKind;
  /** Enclosing class/interface/impl name for methods, when known. */
  readonly container?: string;
  readonly startLine: number;
  readonly endLine: number;
  /** Character offsets of the whole definition (including a leading doc comment? no: the node itself). */
  readonly startIndex: number;
  readonly endIndex: number;
  /**
   * The declaration head, e.g. `export function foo(a: number): string`, as it appears in the file (may span lines), but
   * for the lines of doc comments among its attributes (`#[derive(…)]`, `/// More.`, `#[serde(…)]`): they are its doc.
   */
  readonly signature: string;
  /**
   * Last line of the signature (startLine..signatureEndLine are the lines a signature-only summary sends; when they are
   * too long for one, past decorators that the signature elides, the definition's own lines through this one).
   */
  readonly signatureEndLine: number;
  /** Doc comment text (comment markers stripped), if any, directly above or (Python) inside the definition. */
  readonly doc?: string;
  /** First line of the doc comment when it sits above the definition (so a whole-definition item can include it). */
  readonly docStartLine?: number;
  readonly exported: boolean;
  /**
   * Set when the file exports it as its default by its name, apart from its declaration (`export default api;`, `export
   * { api as default }`, `module.exports = api`, TypeScript's `export = api`), which its signature does not show
   * (isDefaultExport).
   */
  readonly exportedAsDefault?: true;
}

/** The largest character budget a context query may ask for (the query schema's limit; the CLI checks it up front). */
export const MAX_BUDGET = 100_000_000;

/** What a context query may hold (contextQuerySchema.ts): the engine rejects more; the CLI checks a query line up front. */
export const QUERY_LIMITS = {
  /** Characters of the query's text. */
  maxQueryChars: 200_000,
  /** Paths in each of openFiles and recentFiles. */
  maxHintFiles: 1_000,
  maxBudget: MAX_BUDGET,
} as const;

/**
 * A definition as the index keeps it: its id is made from file, name and start line when asked for, not stored
 * (a string of ~70 bytes per definition: 4.4 MB at 5,000 files, ~45 MB at 50,000). Optional fields are set only
 * when present (keys in the interface's order), as object literals had them; a copy across threads (structured
 * clone) keeps the fields but not the id, which a DefinitionRecord made from them has again. Every place that makes
 * definitions (the extractor, the index receiving them from a worker, the saved-index decoder, edits moving them)
 * makes one of these, so they all share one class and one hidden class per variant of optional fields, and the code
 * reading them stays monomorphic.
 */
export class DefinitionRecord implements Definition {
  // Declared only (no class-field definitions, which would come first, in declaration order): the constructor
  // sets them in the interface's order.
  declare readonly file: string;
  declare readonly name: string;
  declare readonly kind: DefinitionKind;
  declare readonly container?: string;
  declare readonly startLine: number;
  declare readonly endLine: number;
  declare readonly startIndex: number;
  declare readonly endIndex: number;
  declare readonly signature: string;
  declare readonly signatureEndLine: number;
  declare readonly doc?: string;
  declare readonly docStartLine?: number;
  declare readonly exported: boolean;
  declare readonly exportedAsDefault?: true;

  constructor(
    file: string,
    name: string,
    kind: DefinitionKind,
    container: string | undefined,
    startLine: number,
    endLine: number,
    startIndex: number,
    endIndex: number,
    signature: string,
    signatureEndLine: number,
    doc: string | undefined,
    docStartLine: number | undefined,
    exported: boolean,
    exportedAsDefault = false,
  ) {
    this.file = file;
    this.name = name;
    this.kind = kind;
    if (container !== undefined) this.container = container;
    this.startLine = startLine;
    this.endLine = endLine;
    this.startIndex = startIndex;
    this.endIndex = endIndex;
    this.signature = signature;
    this.signatureEndLine = signatureEndLine;
    if (doc !== undefined) this.doc = doc;
    if (docStartLine !== undefined) this.docStartLine = docStartLine;
    this.exported = exported;
    if (exportedAsDefault) this.exportedAsDefault = true;
  }

  get id(): string {
    return definitionId(this.file, this.name, this.startLine);
  }
}

/**
 * A definition's stable id (see Definition.id), as one flat string: a template literal would make a chain of
 * concatenated strings (a 32-byte cons per part, kept for as long as the definition), about 48 bytes more per
 * definition than the joined string (30 MB at 650,000 definitions).
 */
export function definitionId(file: string, name: string, startLine: number): string {
  return [file, name, startLine].join('#');
}

/** A name a file uses, once per innermost enclosing definition (no line: nothing ranks or shows by it). */
export interface Reference {
  readonly name: string;
  /** Id of the innermost definition in this file that contains the reference, if any. */
  readonly enclosing?: string;
}

/** What every import edge holds: what was written, and where. */
interface ImportHead {
  /** The module specifier as written (`./util`, `os.path`, `github.com/x/y`, `crate::a::b`, `java.util.List`). */
  readonly source: string;
  /**
   * Imported names (empty for a whole-module import: `import * as X`, Python `import x`; SIDE_EFFECT_IMPORT for an
   * import that names nothing and brings nothing into scope: `import './polyfill'`, Go's `import _ "x"`). A default
   * import (`import computeArea from './geom'`) holds DEFAULT_EXPORT, then its local name (localNameEntry), then that
   * name itself. A name imported under another local name is followed by that local name (localNameEntry), and a name
   * a JS/TS re-export passes on under another by that one (`export { default as Button } from`: DEFAULT_EXPORT, `as
   * Button`).
   */
  readonly names: readonly string[];
  readonly line: number;
}

/** An import that reaches one workspace file with its own names, or none (most imports: kept as one field). */
export interface FileImport extends ImportHead {
  /** Workspace-relative file the specifier resolves to, when it resolves inside the workspace. */
  readonly resolved?: string;
  readonly targets?: undefined;
}

/**
 * An import that reaches more than one file with its own names (importTargets): a Go package's files (each with the
 * import's names), the items of a Rust `use` group or a Python `from x import a, B` each where it resolves (a module
 * by name, `tcp` → tcp.rs, as a whole-module import; the other names from the module the path names). Its first
 * target's file is the file it resolves to (resolvedFile), not held a second time in `resolved`.
 */
export interface MultiTargetImport extends ImportHead {
  readonly resolved?: undefined;
  /** Every file the import reaches, with the names it brings from each; never empty. */
  readonly targets: readonly ImportTarget[];
}

/** An import statement's edge: to one file (or none, unresolved), or to several targets. */
export type ImportEdge = FileImport | MultiTargetImport;

/** A file an import reaches, and the names it brings from there (empty: the whole module; see ImportEdge.names). */
export interface ImportTarget {
  readonly file: string;
  readonly names: readonly string[];
}

/** No names: one frozen list shared by the targets that bring a whole module (see ImportTarget.names). */
export const NO_NAMES: readonly string[] = Object.freeze([]);

/**
 * The names of a side-effect import: one empty name, which no definition has (so an import of it is stored, sent and
 * compared as any other, and matches no definition by name), telling it from a whole-module import's none.
 */
export const SIDE_EFFECT_IMPORT: readonly string[] = Object.freeze(['']);

/**
 * The name a JS/TS import of a module's default export brings (`import x from`, `import { default as x } from`, `export {
 * default } from`): it matches the definition the module exports as its default (isDefaultExport), whatever the
 * importer calls it. A default import also keeps its local name after it (localNameEntry), and that name itself.
 */
export const DEFAULT_EXPORT = 'default';

/**
 * Whether an import naming `names` brings the definition `name` (in `container`, of a file in `language`) by its name:
 * a top-level definition — `import { run }` brings the function run, not the method Job.run, which comes by its
 * container's name — but in Java, whose imports name members too (`import static a.Util.twice`, a nested class `import
 * a.Map.Entry`). A JS/TS import's DEFAULT_EXPORT names no definition: it brings the default export (isDefaultExport).
 * One rule for the ranker's reasons and the graph's import edges.
 */
export function bringsByName(names: readonly string[], name: string, container: string | undefined, language: LanguageId): boolean {
  if (!names.includes(name)) return false;
  if (container !== undefined && language !== 'java') return false;
  return name !== DEFAULT_EXPORT || !defaultsByExport(language);
}

/**
 * Whether an import naming `names` brings a definition (see bringsByName): by its name, or as the module's default export
 * (`exportsDefault`, asked only of a top-level definition of a JS/TS module a default import reaches). One rule for the
 * ranker's reasons, the graph's import edges, and what a local name an import renames refers to (localNamesOf).
 */
export function bringsDefinition(names: readonly string[], name: string, container: string | undefined, language: LanguageId, exportsDefault: () => boolean): boolean {
  if (bringsByName(names, name, container, language)) return true;
  return container === undefined && defaultsByExport(language) && names.includes(DEFAULT_EXPORT) && exportsDefault();
}

/**
 * What an import's names hold for a local name it gives the name before it (`import { cartTotal as total }`: cartTotal,
 * then `as total`; a default import `import calc from`: DEFAULT_EXPORT, then `as calc`; Python `from cart import
 * cart_total as total`, Rust `use crate::cart::cart_total as total`): the name, after a space no name has, so it
 * matches no definition by name. The importer's references use the local name: they mean what the name before it brings
 * (localNamesOf). A JS/TS re-export's new name is held so too (`export { cartTotal as total } from`): the name the file
 * passes it on as, which its importers ask for (the ranking index's re-export walk reads either so).
 */
export function localNameEntry(local: string): string {
  return `${LOCAL_NAME_MARK}${local}`;
}

const LOCAL_NAME_MARK = 'as ';

/** Whether an entry of an import's names is a local name (localNameEntry), not a name imported. */
export function isLocalNameEntry(entry: string): boolean {
  return entry.startsWith(LOCAL_NAME_MARK);
}

/**
 * Whether a JS/TS file passes on another module's default export as its own (`export { default } from './Foo'`: an
 * import of DEFAULT_EXPORT without a local name after it), not only uses one (`import Bar from './Bar'`, whose local
 * name follows it, as a re-export's new name follows it in `export { default as Bar } from`), or another of its names
 * as its default (`export { Bar as default } from`): a default import of a module with no default export of its own
 * reaches a default only through such a re-export.
 */
export function reexportsDefault(file: Pick<IndexedFile, 'imports'>): boolean {
  for (const imp of file.imports) {
    for (const t of importTargets(imp)) {
      const at = t.names.indexOf(DEFAULT_EXPORT);
      if (at >= 0 && !isLocalNameEntry(t.names[at + 1] ?? '')) return true;
      if (t.names.includes(AS_DEFAULT)) return true;
    }
  }
  return false;
}

/**
 * The source of the edge a JS/TS module's own renamed exports make (`export { void_ as void }`, no `from`: effect's
 * names that are keywords, `async_ as async`): each local name, then the name it is exported as (localNameEntry), as
 * `export { void_ as void } from './self'` would hold them. A specifier no import has — it ends in a line break, which
 * no quoted specifier holds bare (a review: `import x from ':own-exports'` would have been read as one) — and none
 * resolves (a `:` is no relative path and no package's), so the edge resolves to nothing and brings nothing by itself;
 * the ranking index reads it as a re-export from the module itself (isOwnExportsEdge), so an import of `void` reaches
 * `void_`.
 */
export const OWN_EXPORTS_SOURCE = ':own-exports\n';

/** Whether an import edge is a module's own renamed exports (OWN_EXPORTS_SOURCE). */
export function isOwnExportsEdge(edge: Pick<ImportEdge, 'source'>): boolean {
  return edge.source === OWN_EXPORTS_SOURCE;
}

/** A re-export's entry for passing a name on as the default (`export { Bar as default } from`; no import can name it so). */
const AS_DEFAULT = localNameEntry(DEFAULT_EXPORT);

/** A local name an import gives a name it brings, and the target that name comes from. */
export interface LocalName {
  readonly local: string;
  /** The file the import reaches with that name. */
  readonly file: string;
  /** The name it stands for as the import's only name: the local name means what that brings from `file` (bringsDefinition). */
  readonly names: readonly string[];
}

/**
 * The local names a file's imports give the names they bring from a workspace file (localNameEntry), each with the file
 * and the name it stands for there: only where the import resolves (a renamed name of an unresolved import, or of a
 * whole module, stands for nothing the index holds).
 */
export function localNamesOf(file: Pick<IndexedFile, 'path' | 'imports'>): readonly LocalName[] {
  // (Plain loops over `targets` or `resolved`: importTargets makes an array per plain import, and every file indexed
  // is read so.)
  const out: LocalName[] = [];
  for (const imp of file.imports) {
    if (imp.targets === undefined) {
      if (imp.resolved !== undefined) addLocalNames(out, file.path, imp.resolved, imp.names);
    } else for (const t of imp.targets) addLocalNames(out, file.path, t.file, t.names);
  }
  return out.length > 0 ? out : NO_LOCAL_NAMES;
}

function addLocalNames(out: LocalName[], importer: string, target: string, names: readonly string[]): void {
  if (target === importer) return;
  for (let i = 1; i < names.length; i++) {
    const entry = names[i] as string;
    const imported = names[i - 1] as string;
    if (isLocalNameEntry(entry) && !isLocalNameEntry(imported)) out.push({ local: entry.slice(LOCAL_NAME_MARK.length), file: target, names: [imported] });
  }
}

const NO_LOCAL_NAMES: readonly LocalName[] = Object.freeze([]);

/**
 * A JS/TS namespace import (`import * as Option from './Option.js'`) is two edges: the whole module (no names), and one
 * whose only name is the namespace's local name (localNameEntry), which matches no definition and brings nothing by
 * itself. Through it the file's code reaches the module's definitions as members (`Option.some`), which the references
 * record qualified (qualifiedName): `some` of `Option.some` is the module's `some`, not the file's own or another
 * namespace's. The namespace's local name, when `names` is such an edge's; else undefined.
 */
export function namespaceNameOf(names: readonly string[]): string | undefined {
  const only = names.length === 1 ? (names[0] as string) : undefined;
  return only !== undefined && isLocalNameEntry(only) ? only.slice(LOCAL_NAME_MARK.length) : undefined;
}

/**
 * Whether a language's imports may be namespace imports (namespaceNameOf), whose members its references record qualified:
 * JS/TS `import * as Option from`, Python `import cart` / `import cart as c`, a Go package's `user` of `user.New`.
 */
export function hasNamespaceImports(language: LanguageId): boolean {
  return language === 'typescript' || language === 'tsx' || language === 'javascript' || language === 'python' || language === 'go';
}

/**
 * What a name a file's references qualify stands for: surely a module ('module': a namespace import's local name,
 * namespaceNameOf, whose own name means the module and is no reference; its members qualifiedName), or a module or
 * another name ('module or name': Python's `from pkg import views`, where views may be the package's module
 * pkg/views.py or a name pkg/__init__.py defines or imports — which only the workspace's files tell — its own name kept
 * as a reference, its members fromImportMemberName).
 */
export type NamespaceKind = 'module' | 'module or name';

/** The names whose members a file's references record qualified, each with its NamespaceKind (see namespaceNamesOf). */
export type Namespaces = ReadonlyMap<string, NamespaceKind>;

/**
 * The local names of a file's namespace imports (namespaceNameOf), resolved or not, and of a Python file's `from …
 * import` names ('module or name'): what its references qualify.
 */
export function namespaceNamesOf(imports: readonly ImportEdge[], language: LanguageId): Namespaces {
  let out: Map<string, NamespaceKind> | undefined;
  for (const imp of imports) {
    const name = namespaceNameOf(imp.names);
    if (name !== undefined) (out ??= new Map()).set(name, 'module');
  }
  if (language !== 'python') return out ?? NO_NAMESPACES;
  // (A name that is a namespace import's too stays 'module': its own name means the module either way.)
  for (const imp of imports) forEachFromImportedName(imp.names, (_, local) => void (out?.has(local) === true || (out ??= new Map()).set(local, 'module or name')));
  return out ?? NO_NAMESPACES;
}

const NO_NAMESPACES: Namespaces = new Map();

/**
 * Visits each name a Python `from … import` brings with the local name it binds (`from pkg import views, models as m`:
 * views and views, models and m), given its edge's names; none for another import (`import x`: no names, or its
 * namespace's local name alone).
 */
function forEachFromImportedName(names: readonly string[], visit: (name: string, local: string) => void): void {
  if (names.length === 0 || isLocalNameEntry(names[0] as string)) return;
  for (let i = 0; i < names.length; i++) {
    const name = names[i] as string;
    if (isLocalNameEntry(name)) continue;
    const next = names[i + 1];
    visit(name, next !== undefined && isLocalNameEntry(next) ? next.slice(LOCAL_NAME_MARK.length) : name);
  }
}

/**
 * The reference a member of a Python `from … import` name is recorded as (`views:index` of `from pkg import views`,
 * `views.index()`): a name no definition has, as qualifiedName's, but apart from it — whether the name is the package's
 * module (pythonSubmoduleImports) is known only where the workspace's files are (the ranking index), which reads it
 * as the module's member then, else as its member's own name (`index`), as a reference it was before. Its index terms
 * are the member's alone (identifierTokens), as the name itself stays a reference beside it.
 */
export function fromImportMemberName(name: string, member: string): string {
  return `${name}${FROM_IMPORT_MEMBER_MARK}${member}`;
}

const FROM_IMPORT_MEMBER_MARK = ':';

/** The offset of the mark in a fromImportMemberName (`views:index`), or -1: `name` is none. */
export function fromImportMemberMark(name: string): number {
  return name.indexOf(FROM_IMPORT_MEMBER_MARK);
}

/** A reference's name as its code writes it: a fromImportMemberName's mark the dot it stands for (`views.index`). */
export function shownReference(name: string): string {
  const mark = fromImportMemberMark(name);
  return mark > 0 ? `${name.slice(0, mark)}.${name.slice(mark + 1)}` : name;
}

/** A module a Python `from pkg import views` may bring as itself (pythonSubmoduleImports), and where it comes from. */
export interface SubmoduleImport {
  /** The name imported (`views`). */
  readonly name: string;
  /** The module's file (pkg/views.py, pkg/views/__init__.py). */
  readonly file: string;
  /** The package's __init__.py, which may bind the name to something else (it need not exist: a namespace package). */
  readonly packageInit: string;
  /** The import's position in its file's imports. */
  readonly position: number;
}

/**
 * The modules a Python file's `from pkg import views` / `from . import views as v` reach by name (the resolver's
 * whole-module target of a package's module, itemTargets), by the local name they are bound to. They are the module
 * to the file's code only when the package's __init__.py binds no such name (Python looks the name up in the package
 * first): the ranking index decides, seeing the files. Undefined: none.
 */
export function pythonSubmoduleImports(file: Pick<IndexedFile, 'path' | 'imports' | 'language'>): ReadonlyMap<string, SubmoduleImport> | undefined {
  if (file.language !== 'python') return undefined;
  let out: Map<string, SubmoduleImport> | undefined;
  file.imports.forEach((imp, position) => {
    const targets = imp.targets;
    if (targets === undefined) return;
    forEachFromImportedName(imp.names, (name, local) => {
      for (const t of targets) {
        if (t.names.length > 0 || t.file === file.path) continue;
        const module = pythonModuleOf(t.file);
        if (module.name !== name) continue;
        (out ??= new Map()).set(local, { name, file: t.file, packageInit: module.packageInit, position });
        return;
      }
    });
  });
  return out;
}

/**
 * A Python module file as a package's module: the name it is imported by — its stem (`gyp/easy_xml.py` → easy_xml), or
 * its folder's name for a package's __init__.py (`gyp/generator/__init__.py` → generator) — and the __init__.py of the
 * package it is a module of (pkg/views.py, pkg/views/__init__.py: pkg/__init__.py). (The resolver reaches a package by
 * its __init__.py, a module by its .py or .pyi.)
 */
function pythonModuleOf(path: string): { readonly name: string; readonly packageInit: string } {
  const slash = path.lastIndexOf('/');
  const base = path.slice(slash + 1);
  const folder = path.slice(0, Math.max(0, slash));
  const isInit = base === '__init__.py';
  const name = isInit ? folder.slice(folder.lastIndexOf('/') + 1) : base.endsWith('.py') ? base.slice(0, -3) : base.endsWith('.pyi') ? base.slice(0, -4) : base;
  const packageDir = isInit ? folder.slice(0, Math.max(0, folder.lastIndexOf('/'))) : folder;
  return { name, packageInit: packageDir === '' ? '__init__.py' : `${packageDir}/__init__.py` };
}

/** The names and containers of a file's definitions, read in place (a DefinitionReader is one). */
export interface DefinitionNames {
  readonly length: number;
  nameAt(index: number): string;
  containerAt(index: number): string | undefined;
}

/**
 * The names a Python module binds at its top level by a definition (a function, class, or constant) or an import (`from
 * .app import app`, `import x as app`): where it binds `name`, `from module import name` is that, not a submodule.
 * (`from x import *` binds what x has: unknown here, taken as binding nothing, as x's own `__all__` would usually say.)
 * @param definitions the module's definitions' names and containers (definitionReaderOf's).
 * @param packageInit the module's path when it is read as a package's __init__.py, for whether it binds a name over
 *   its module of that name: its own `from . import views` does not (bindsOwnSubmodule).
 */
export function pythonBoundNames(imports: readonly ImportEdge[], definitions: DefinitionNames, packageInit?: string): ReadonlySet<string> {
  const out = new Set<string>();
  for (let i = 0; i < definitions.length; i++) if (definitions.containerAt(i) === undefined) out.add(definitions.nameAt(i));
  for (const imp of imports) {
    const namespace = namespaceNameOf(imp.names);
    if (namespace !== undefined) out.add(namespace);
    else forEachFromImportedName(imp.names, (name, local) => void (bindsOwnSubmodule(imp, name, local, packageInit) || out.add(local)));
  }
  return out;
}

/**
 * Whether a package's __init__.py (`packageInit`; undefined: the file is read as a module, for its members) binds
 * `local` by `from . import views` to its own module of that name (pkg/views.py, the import's whole-module target): the
 * name is then the submodule still, as without the import — not another name over it.
 */
function bindsOwnSubmodule(imp: ImportEdge, name: string, local: string, packageInit: string | undefined): boolean {
  if (packageInit === undefined || name !== local) return false;
  return imp.targets?.some((t) => {
    if (t.names.length > 0) return false;
    const module = pythonModuleOf(t.file);
    return module.name === name && module.packageInit === packageInit;
  }) === true;
}

/** The reference a member of a namespace import is recorded as (`Option.some`): a name no definition has. */
export function qualifiedName(namespace: string, member: string): string {
  return `${namespace}.${member}`;
}

/**
 * The local names a file's references qualified by a namespace import give (qualifiedName): `Option.some` stands for
 * `some` of the module the namespace `Option` resolves to, as a renamed import's local name does (LocalName). Only where
 * the namespace import resolves to a workspace file. `identifiers` are the file's (its references' names).
 */
export function namespaceMembersOf(file: Pick<IndexedFile, 'path' | 'imports' | 'language'>, identifiers: Iterable<string>): readonly LocalName[] {
  const targets = namespaceTargetsOf(file);
  // (A Python `from pkg import views`'s members, `views:index`, as if views were the module: whether it is, the ranking
  // index decides — this is what they may stand for.)
  const submodules = pythonSubmoduleImports(file);
  if (targets === undefined && submodules === undefined) return NO_LOCAL_NAMES;
  const out: LocalName[] = [];
  for (const name of identifiers) {
    const mark = submodules === undefined ? -1 : fromImportMemberMark(name);
    if (mark > 0) {
      const module = submodules?.get(name.slice(0, mark));
      if (module !== undefined) out.push({ local: name, file: module.file, names: [name.slice(mark + 1)] });
      continue;
    }
    if (targets === undefined) continue;
    // (The last dot: a namespace may be dotted, Python's `gyp.common` of `gyp.common.X`; a member never is.)
    const dot = name.lastIndexOf('.');
    if (dot <= 0) continue;
    const member = name.slice(dot + 1);
    for (const target of targets.get(name.slice(0, dot)) ?? []) out.push({ local: name, file: target.file, names: [member] });
  }
  return out.length > 0 ? out : NO_LOCAL_NAMES;
}

/** A workspace file a namespace import reaches, and the import's position in its file's imports. */
export interface NamespaceTarget {
  readonly file: string;
  readonly position: number;
}

/**
 * The files each namespace import of `file` reaches (`Option` of `import * as Option from './Option.js'`), by the
 * namespace's name, in import order: only where it resolves to a workspace file, and never the file itself. Undefined:
 * it has none. (What namespaceMembersOf and the ranking index's member tables read.)
 */
export function namespaceTargetsOf(file: Pick<IndexedFile, 'path' | 'imports'>): ReadonlyMap<string, readonly NamespaceTarget[]> | undefined {
  let targets: Map<string, NamespaceTarget[]> | undefined;
  file.imports.forEach((imp, position) => {
    const namespace = namespaceNameOf(imp.names);
    if (namespace === undefined) return;
    const files = imp.targets === undefined ? (imp.resolved !== undefined ? [imp.resolved] : []) : imp.targets.map((t) => t.file);
    for (const target of files) {
      if (target === file.path) continue;
      targets ??= new Map();
      const list = targets.get(namespace);
      if (list) list.push({ file: target, position });
      else targets.set(namespace, [{ file: target, position }]);
    }
  });
  return targets;
}

/** Whether a language's default import brings its module's default export, found by its signature (JS and TS). */
export function defaultsByExport(language: LanguageId): boolean {
  return language === 'typescript' || language === 'tsx' || language === 'javascript';
}

/**
 * Whether a definition is its module's default export: by its own declaration, which its signature shows (`export default
 * function area`, past decorators), or by its name apart from it (Definition.exportedAsDefault: `export default area;`).
 */
export function isDefaultExport(signature: string, exportedAsDefault: boolean | undefined): boolean {
  return exportedAsDefault === true || /^[ \t]*export[ \t]+default\b/m.test(signature);
}

/** Whether an import only runs its module (`import './polyfill'`): see SIDE_EFFECT_IMPORT. */
export function isSideEffectImport(edge: Pick<ImportEdge, 'names'>): boolean {
  return edge.names.length === 1 && edge.names[0] === '';
}

/**
 * An import edge as a plain object literal (three shapes: unresolved, `resolved` to one file, with `targets`).
 * @param reached the file the import resolves to, or its targets (see MultiTargetImport), or undefined: unresolved.
 */
export function importEdge(source: string, names: readonly string[], line: number, reached: string | readonly ImportTarget[] | undefined): ImportEdge {
  if (reached === undefined) return { source, names, line };
  return typeof reached === 'string' ? { source, names, line, resolved: reached } : { source, names, line, targets: reached };
}

/**
 * An import edge resolved to `targets` (none: unresolved): `targets` kept only when they are more than the first
 * file with the import's own names.
 */
export function resolvedImportEdge(source: string, names: readonly string[], line: number, targets: readonly ImportTarget[]): ImportEdge {
  const first = targets[0];
  if (first === undefined) return { source, names, line };
  if (targets.length === 1 && sameNames(first.names, names)) return { source, names, line, resolved: first.file };
  return { source, names, line, targets };
}

/** The workspace file an import resolves to (its first target's, for one with several), or undefined: unresolved. */
export function resolvedFile(edge: ImportEdge): string | undefined {
  return edge.targets === undefined ? edge.resolved : edge.targets[0]?.file;
}

/** The files an import reaches with the names it brings from each: `targets`, else `resolved` with `names`, else none. */
export function importTargets(edge: ImportEdge): readonly ImportTarget[] {
  if (edge.targets !== undefined) return edge.targets;
  return edge.resolved === undefined ? NO_TARGETS : [{ file: edge.resolved, names: edge.names }];
}

const NO_TARGETS: readonly ImportTarget[] = Object.freeze([]);

/** Visits the file of each of an import's targets (importTargets' files, in order), without making the list. */
export function forEachTargetFile(edge: ImportEdge, visit: (file: string) => void): void {
  if (edge.targets !== undefined) for (const t of edge.targets) visit(t.file);
  else if (edge.resolved !== undefined) visit(edge.resolved);
}

/** Whether two imports reach the same files with the same names, in the same order. */
export function sameTargets(a: ImportEdge, b: ImportEdge): boolean {
  if (resolvedFile(a) !== resolvedFile(b)) return false;
  if (b.targets !== undefined) return reachesExactly(a, b.targets);
  if (a.targets !== undefined) return reachesExactly(b, a.targets);
  return a.resolved === undefined || sameNames(a.names, b.names);
}

/** Whether an import reaches exactly `targets` (see importTargets), in their order. */
export function reachesExactly(edge: ImportEdge, targets: readonly ImportTarget[]): boolean {
  if (edge.targets === undefined) {
    if (edge.resolved === undefined) return targets.length === 0;
    const only = targets[0];
    return targets.length === 1 && only !== undefined && only.file === edge.resolved && sameNames(only.names, edge.names);
  }
  return sameTargetLists(edge.targets, targets);
}

/** Whether two lists hold the same names in the same order. */
/** Whether two lists of import targets are the same files with the same names, in the same order. */
export function sameTargetLists(a: readonly ImportTarget[], b: readonly ImportTarget[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((t, i) => {
    const u = b[i];
    return u !== undefined && t.file === u.file && sameNames(t.names, u.names);
  });
}

export function sameNames(a: readonly string[], b: readonly string[]): boolean {
  return a === b || (a.length === b.length && a.every((n, i) => n === b[i]));
}

export interface FileFingerprint {
  readonly size: number;
  readonly mtimeMs: number;
  /** sha1 (hex) of the content. */
  readonly hash: string;
}

export interface IndexedFile extends FileFingerprint {
  readonly path: string;
  readonly language: LanguageId;
  readonly definitions: readonly Definition[];
  readonly references: readonly Reference[];
  readonly imports: readonly ImportEdge[];
  /** For the identifier-only fallback (text files) and lexical scoring: distinct identifiers in the file. */
  readonly identifiers: readonly string[];
}

/** Read-only view of the workspace index that the context engine ranks over. */
export interface IndexSnapshot {
  /** Increments on every change; part of the context cache key. */
  readonly version: number;
  readonly files: ReadonlyMap<string, IndexedFile>;
  /** Current text of a file (open-editor text wins over disk), or undefined when unreadable/gone. */
  readText(path: string): Promise<string | undefined>;
}

export interface ContextQuery {
  readonly query: string;
  /**
   * The file the prompt is about, as the index names it. Absent: the editor's active file, where there is an editor
   * (ContextService fills it in); null: there is none (the prompt is about a file outside the workspace), and the
   * editor's active file is not taken in its place.
   */
  readonly activeFile?: string | null;
  readonly openFiles?: readonly string[];
  /** Recently edited files, most recent first. */
  readonly recentFiles?: readonly string[];
  /** Character budget; defaults to contexten.context.maxChars. */
  readonly budget?: number;
  readonly relevanceThreshold?: number;
}

export interface ContextItem {
  readonly file: string;
  /** Exactly the lines whose text is in `text` (1-based inclusive). */
  readonly startLine: number;
  readonly endLine: number;
  readonly symbol: string;
  readonly kind: DefinitionKind | 'file';
  /** 'full' = the whole definition; 'signature' = signature-only summary. */
  readonly detail: 'full' | 'signature';
  /** Normalised 0..1. */
  readonly score: number;
  /** Human-readable reasons, e.g. "name matches query word 'parse'", "called by the active file". */
  readonly reasons: readonly string[];
  readonly text: string;
  /**
   * The file's absolute URI (`file:`), as the workspace folders the ranking was made in placed it: set by the extension
   * when it ranks (ContextService), so an item still names its file after folders were added or removed (`file`'s first
   * segment may name another folder then, or none). The engine and the CLI never set it.
   */
  readonly uri?: string;
  /**
   * The line (from 1) where the item starts in VS Code's editor, when it is not `startLine`: in a file with lone CR line
   * breaks, which the editor breaks lines at and the engine does not. Counted in the text the item was cut from (the
   * file on disk, or the open document's), as the packer makes the item: the editor turns a file's lone CRs into its
   * main line end when it opens it, so the document's text then no longer tells. The CLI prints none.
   */
  readonly editorLine?: number;
}

export interface ContextResult {
  readonly items: readonly ContextItem[];
  /** Sum of items' text lengths (≤ budget). */
  readonly chars: number;
  readonly budget: number;
  readonly ms: number;
  readonly cached: boolean;
  readonly indexVersion: number;
  /** Set when the workspace was still being indexed: the files indexed so far of those found so far. */
  readonly partial?: { readonly filesDone: number; readonly filesFound: number };
}

export interface ContextCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly hitRate: number;
  readonly size: number;
}
