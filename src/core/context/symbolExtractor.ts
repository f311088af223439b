// Turns a parsed file into definitions, references and imports. The query (definitions from tags.scm plus
// our own patterns, imports, containers) runs over the top levels of the file and then of each container
// (class body, namespace, impl block …), never through function bodies; references come from one lexer pass
// over the text outside comments and strings (sourceLexer.ts), attributed to the innermost enclosing definition.
import type { Edit, Node, Query, Tree } from 'web-tree-sitter';
import { textIdentifiers } from './identifierScanner';
import { dynamicImports, readImport } from './importSyntax';
import { IdentifierTable } from './identifierTable';
import { IntBuffer } from './intBuffer';
import { kindOf, LANGUAGE_RULES, type DefinitionContext, type LanguageRules } from './languageRules';
import type { ParsedLanguage } from './languages';
import { LOCAL_CONSTANT_TAG } from './queryPatterns';
import { EXPORTED_DEFAULT_CAPTURE, EXPORTED_NAME_CAPTURE } from './tagsQuerySource';
import { hashWord, lexWords, slashTokenAt } from './sourceLexer';
import { DefinitionRecord, fromImportMemberName, namespaceNamesOf, qualifiedName, type Definition, type DefinitionKind, type ImportEdge, type Namespaces } from './model';
import { wholeCharacterCut } from '../../shared/wholeCharacterCut';

export interface Extraction {
  readonly definitions: Definition[];
  /** Unresolved: `resolved` (or `targets`) is filled in by the workspace index. */
  readonly imports: ImportEdge[];
  /** Distinct identifiers (definition names first); the name table of `refs`. */
  readonly identifiers: string[];
  /**
   * References, one per distinct (name, innermost enclosing definition), packed as
   * [identifier index, definition index + 1 (0: top level)] pairs (see storedFile.ts).
   */
  readonly refs: Uint32Array;
}

/** An extraction with the positions an edit of the same document needs to update it in place (documentUpdate.ts). */
export interface PositionedExtraction extends Extraction {
  /** Character offset of each definition's name (its token is not a reference). */
  readonly nameStarts: Uint32Array;
  /** Character offset of each reference's first occurrence, one per refs pair. */
  readonly refStarts: Uint32Array;
  /** Character offset of the import statement of each import edge. */
  readonly importStarts: Uint32Array;
  /**
   * Names the file's top level exports apart from their declarations (`export { a }`, `module.exports = { a }` …), and
   * the one it exports so as its default (`export default a`) a second time, as defaultExportEntry.
   */
  readonly exportNames: readonly string[];
  /** Character offset of each of exportNames. */
  readonly exportStarts: Uint32Array;
}

/** A file's definitions and imports, with their positions (what the query finds; references come apart). */
export interface Declarations {
  readonly definitions: Definition[];
  /** Character offset of each definition's name. */
  readonly nameStarts: number[];
  readonly imports: ImportEdge[];
  /** Character offset of the import statement of each import edge. */
  readonly importStarts: number[];
  /** Names exported apart from their declarations (PositionedExtraction.exportNames), and where each is. */
  readonly exportNames: string[];
  readonly exportStarts: number[];
}

/** A span of a file (character offsets, end exclusive). */
export interface TextRange {
  readonly startIndex: number;
  readonly endIndex: number;
}

/**
 * How deep below the root or a container (class body, namespace, impl block …) a definition or import may
 * start: members (1), their wrappers such as `export` (2), and a `require()` in a top-level declaration (3).
 * Deeper declarations live in nested containers, queried in turn. Function bodies are not containers, so
 * the query never walks them (their definitions are locals, dropped anyway): without this limit the query
 * visits every node of the file, which costs a quarter of the parse.
 */
export const CONTAINER_QUERY_DEPTH = 3;

/** Longest signature kept (minified code has very long declaration heads). */
const MAX_SIGNATURE_CHARS = 400;
/**
 * A definition without a body whose text spans more lines than this has as signature its lines up to the end of the
 * one its name is on (the head of a long type or constant, past attributes above it) — unless it is a function or
 * method: a declaration without a body is all signature (its parameters), cut as any signature is.
 */
const MAX_BODYLESS_SIGNATURE_LINES = 3;
const MAX_DOC_CHARS = 1_500;

/**
 * Tool directives that sit above definitions but document nothing: lint and type-checker directives, a shebang
 * (`#!/usr/bin/env python3`), and encoding or editor settings (`# -*- coding: utf-8 -*-`, `# vim: set …`).
 */
const DIRECTIVE_COMMENT =
  /^(?:(?:\/\/|#)\s*(?:eslint|@ts-|prettier-ignore|istanbul |tslint:|noqa|type:|nolint|go:|#region|#endregion|region\b|endregion\b|noinspection|pylint:|-\*-|vim?:|(?:file)?encoding[:=]|coding[:=])|#!)/;
/** Inner doc comments (Rust `//! …`, `/*! … *\/`): they document what encloses them, never the item below. */
const INNER_DOC_COMMENT = /^(?:\/\/!|\/\*!)/;
/**
 * Doc comments by their syntax (`/// …`, `/** … *\/`; not `//// …` nor `/**\/`): the only comments between two
 * attributes read as the definition's doc (a plain `/* note *\/` there stays in its signature).
 */
const DOC_COMMENT = /^(?:\/\/\/(?!\/)|\/\*\*(?![*/]))/;

/** A node the query runs from (the file, or a container), with what encloses it. */
interface QueryRoot {
  readonly node: Node;
  /** The node's type, read once for the wrapper walks that reach it. */
  readonly type: string;
  /** The innermost class-like container node around this root, if any. */
  readonly containerNode?: Node;
  /** An `export` statement or ambient declaration around this root. */
  readonly exported: boolean;
  /** Whether this root is the file's (its top-level declarations can be exported by name). */
  readonly top?: true;
  /**
   * The top-level class-like declaration this root is inside, or the top-level variable whose object it is (`const api =
   * { … }`): its members are exported when its name is exported by name.
   */
  readonly topContainer?: Node;
}

interface Candidate {
  readonly node: Node;
  readonly nameNode: Node;
  readonly tag: string;
  readonly root: QueryRoot;
}

/** What lies between a node and the root its query ran from (at most a few levels). */
interface PathInfo {
  readonly insideFunction: boolean;
  readonly containerNode?: Node;
  readonly exported: boolean;
  /** The nodes between (parent first, the root left out), read once for the wrapper walk too. */
  readonly ancestors: readonly Node[];
  /** Their types, in the same order. */
  readonly types: readonly string[];
}

function pathInfo(rules: LanguageRules, node: Node, root: QueryRoot): PathInfo {
  // Read top-down from the root: each `.parent` searches down from the tree's root again.
  const ancestors: Node[] = [];
  for (let p = root.node.childWithDescendant(node); p && p.id !== node.id; p = p.childWithDescendant(node)) ancestors.unshift(p);
  let containerNode: Node | undefined;
  let exported = root.exported;
  const types: string[] = [];
  for (const p of ancestors) {
    const type = p.type;
    types.push(type);
    if (rules.functionTypes.has(type)) return { insideFunction: true, exported, ancestors, types };
    if (!containerNode && rules.containerTypes.has(type)) containerNode = p;
    if (type === 'export_statement' || type === 'ambient_declaration') exported = true;
  }
  containerNode ??= root.containerNode;
  return containerNode ? { insideFunction: false, containerNode, exported, ancestors, types } : { insideFunction: false, exported, ancestors, types };
}

// The helpers below are functions of the module, not closures made per call: the bundles keep function names
// (esbuild keepNames), which costs a defineProperty each time a named closure is created — per definition here.

/**
 * Whether the statement holding `node` (an export statement or an expression statement) is one of the file's own: the
 * query looks a few levels down, where \`module M { export { z } }\` or \`declare global { … }\` also sits.
 */
function statementAtFileTop(node: Node): boolean {
  for (let n: Node | null = node.parent; n; n = n.parent) {
    if (n.type === 'export_statement' || n.type === 'expression_statement') return n.parent?.type === 'program';
  }
  return false;
}

/** Whether a character offset lies inside the range (no range: the whole file). */
function inRange(range: TextRange | undefined, index: number): boolean {
  return !range || (index >= range.startIndex && index < range.endIndex);
}

/**
 * The i-th node above a definition (0: its parent), `below` being the (i-1)-th: the ancestors pathInfo read, then
 * the query root; past it, which no wrapper reaches, the tree is asked.
 */
function ancestorAt(path: PathInfo, root: QueryRoot, i: number, below: Node): Node | null {
  return path.ancestors[i] ?? (i === path.ancestors.length ? root.node : below.parent);
}

/** The type of ancestorAt(path, root, i, …), which is `p`. */
function typeAt(path: PathInfo, root: QueryRoot, i: number, p: Node): string {
  return path.types[i] ?? (i === path.ancestors.length ? root.type : p.type);
}

/** Extraction of a file with no grammar: identifiers only. */
export function extractPlainText(text: string): Extraction {
  return { definitions: [], imports: [], identifiers: textIdentifiers(text), refs: new Uint32Array(0) };
}

/** @param document whether the text is an open document's (see collectReferences). */
export function extractFromTree(file: string, language: ParsedLanguage, text: string, tree: Tree, query: Query, document = false): PositionedExtraction {
  const { definitions, nameStarts, imports, importStarts, exportNames, exportStarts } = extractDeclarations(file, language, text, tree, query);
  const { refs, refStarts, identifiers } = collectReferences(text, language, definitions, nameStarts, document, namespaceNamesOf(imports, language));
  return {
    definitions,
    imports,
    identifiers,
    refs,
    nameStarts: Uint32Array.from(nameStarts),
    refStarts,
    importStarts: Uint32Array.from(importStarts),
    exportNames,
    exportStarts: Uint32Array.from(exportStarts),
  };
}

/**
 * The definitions and imports of a file; with `range`, only those whose name (definitions) or statement
 * (imports) starts inside it, as the whole file's extraction has them (an edited document's update).
 * @param exportedElsewhere with `range`: names the file exports outside it (exportNames), whose top-level declarations
 *   in it are exported.
 */
export function extractDeclarations(
  file: string,
  language: ParsedLanguage,
  text: string,
  tree: Tree,
  query: Query,
  range?: TextRange,
  exportedElsewhere: readonly string[] = [],
): Declarations {
  const rules = LANGUAGE_RULES[language];
  // web-tree-sitter 0.25 takes the query range in bytes of the UTF-16 text it parsed (nodes report code units).
  const options = range
    ? { maxStartDepth: CONTAINER_QUERY_DEPTH, startIndex: range.startIndex * 2, endIndex: range.endIndex * 2 }
    : { maxStartDepth: CONTAINER_QUERY_DEPTH };
  const candidates: Candidate[] = [];
  const imports: { index: number; edges: ImportEdge[] }[] = [];
  const importSeen = new Set<string>();
  const exportNames: string[] = [];
  const exportStarts: number[] = [];
  const roots: QueryRoot[] = [{ node: tree.rootNode, type: tree.rootNode.type, exported: false, top: true }];
  const queried = new Set<number>([tree.rootNode.id]);
  for (let root = roots.pop(); root; root = roots.pop()) {
    for (const match of query.matches(root.node, options)) {
      let node: Node | undefined;
      let nameNode: Node | undefined;
      let tag = '';
      for (const capture of match.captures) {
        const name = capture.name;
        if (name === 'name') nameNode = capture.node;
        else if (name === 'container') {
          const container = capture.node;
          if (queried.has(container.id)) continue;
          queried.add(container.id);
          // Containers inside function bodies hold locals: not worth querying.
          const path = pathInfo(rules, container, root);
          if (path.insideFunction) continue;
          const type = container.type;
          // (The members of `module.exports = { … }` are exported as those of `export default { … }` are.)
          const exported = path.exported || rules.exportsMembers?.(container, path.ancestors[0] ?? root.node) === true;
          // (An object that is a top-level variable's value has its members exported with the variable's name.)
          const topContainer = root.top ? (path.containerNode ?? rules.exportedWith?.(container, path.ancestors)) : root.topContainer;
          const pushed: QueryRoot = path.containerNode ? { node: container, type, containerNode: path.containerNode, exported } : { node: container, type, exported };
          roots.push(topContainer ? { ...pushed, topContainer } : pushed);
        } else if (name === EXPORTED_NAME_CAPTURE || name === EXPORTED_DEFAULT_CAPTURE) {
          if (root.top && inRange(range, capture.node.startIndex) && statementAtFileTop(capture.node)) {
            exportNames.push(name === EXPORTED_NAME_CAPTURE ? capture.node.text : defaultExportEntry(capture.node.text));
            exportStarts.push(capture.node.startIndex);
          }
        } else if (name.startsWith('definition.')) {
          node = capture.node;
          tag = name.slice('definition.'.length);
        } else if (name.startsWith('import')) {
          // A container's query sees again what its parent's saw at the same levels.
          const key = `${capture.node.startIndex}:${name}`;
          if (importSeen.has(key) || !inRange(range, capture.node.startIndex)) continue;
          importSeen.add(key);
          imports.push({ index: capture.node.startIndex, edges: readImport(language, capture.node, name) });
        }
      }
      if (node && nameNode && inRange(range, nameNode.startIndex)) candidates.push({ node, nameNode, tag, root });
    }
  }
  if (rules.dynamicImports) {
    // Calls of import() and require() the query did not reach (function bodies, deeper expressions): read from the text.
    const captured = new Set(imports.map((i) => i.index));
    for (const d of dynamicImports(text, tree.rootNode, range?.startIndex, range?.endIndex)) {
      if (!captured.has(d.index)) imports.push({ index: d.index, edges: [{ source: d.source, names: [], line: d.line }] });
    }
  }
  candidates.sort((a, b) => a.node.startIndex - b.node.startIndex);
  imports.sort((a, b) => a.index - b.index);

  const exportedNames = exportNames.length === 0 && exportedElsewhere.length === 0 ? NO_NAMES : new Set([...exportNames, ...exportedElsewhere]);
  const { definitions, nameStarts } = buildDefinitions(file, text, rules, exportedCandidates(candidates, exportedNames), exportedNames);
  return {
    definitions,
    nameStarts,
    imports: imports.flatMap((i) => i.edges),
    importStarts: imports.flatMap((i) => i.edges.map(() => i.index)),
    exportNames,
    exportStarts,
  };
}

const NO_NAMES: ReadonlySet<string> = new Set();

/**
 * How exportNames holds a name the file exports as its default apart from its declaration (`export default api;`): after a
 * space no name has, so it matches no name exported (the same name is there as one too), and an edit that changes which
 * name is the default changes the set of exportNames (documentUpdate.ts spliceDeclarations extracts the file again).
 */
function defaultExportEntry(name: string): string {
  return `default ${name}`;
}

/** The candidates without the top-level variables (LOCAL_CONSTANT_TAG) whose names are not in `exportedNames`; those in it are constants. */
function exportedCandidates(candidates: Candidate[], exportedNames: ReadonlySet<string>): Candidate[] {
  if (!candidates.some((c) => c.tag === LOCAL_CONSTANT_TAG)) return candidates;
  const kept: Candidate[] = [];
  for (const c of candidates) {
    if (c.tag !== LOCAL_CONSTANT_TAG) kept.push(c);
    else if (exportedNames.size > 0 && exportedNames.has(c.nameNode.text)) kept.push({ ...c, tag: 'constant' });
  }
  return kept;
}

function buildDefinitions(
  file: string,
  text: string,
  rules: LanguageRules,
  /** In order of their nodes' starts. */
  candidates: readonly Candidate[],
  /** Names the file exports apart from their declarations. */
  exportedNames: ReadonlySet<string>,
): { definitions: Definition[]; nameStarts: number[] } {
  // A node found by several patterns or queries is built once per name: the names of the candidates starting
  // where the current one does (a contiguous run, the candidates being in start order) are the ones to check.
  let runStart = -1;
  const runNames: string[] = [];
  const ids = new Set<string>();
  const containerNames = new Map<number, string | undefined>();
  const built: Definition[] = [];
  const nameStarts: number[] = [];
  const attributesPossible = rules.attributeMarker !== undefined && text.includes(rules.attributeMarker);
  for (const candidate of candidates) {
    const name = candidate.nameNode.text;
    const start = candidate.node.startIndex;
    if (start !== runStart) {
      runStart = start;
      runNames.length = 0;
    }
    if (!name || runNames.includes(name)) continue;
    runNames.push(name);
    const definition = buildDefinition(file, text, rules, candidate, name, containerNames, attributesPossible, exportedNames);
    if (!definition || ids.has(definition.id)) continue;
    ids.add(definition.id);
    built.push(definition);
    nameStarts.push(candidate.nameNode.startIndex);
  }
  return { definitions: built, nameStarts };
}

/** The enclosing container's name, computed once per container. */
function containerNameOf(rules: LanguageRules, node: Node, cache: Map<number, string | undefined>): string | undefined {
  if (cache.has(node.id)) return cache.get(node.id);
  const name = rules.containerName ? rules.containerName(node) : node.childForFieldName('name')?.text;
  cache.set(node.id, name);
  return name;
}

/**
 * Whether the file exports a definition apart from its declaration: a top-level one by its name, a member of a
 * top-level class-like declaration by the declaration's (a member may be found from the file's root, which the query
 * reaches a few levels down, or from its class body's).
 */
function isExportedByName(
  rules: LanguageRules,
  name: string,
  root: QueryRoot,
  path: PathInfo,
  exportedNames: ReadonlySet<string>,
  containerNames: Map<number, string | undefined>,
): boolean {
  const topContainer = root.top ? path.containerNode : root.topContainer;
  if (topContainer) return exportedNames.has(containerNameOf(rules, topContainer, containerNames) ?? '');
  return root.top === true && exportedNames.has(name);
}

/** Last row a node's text occupies (nodes that end with a newline end at column 0 of the next row). */
function lastRow(node: Node): number {
  const end = node.endPosition;
  return end.column === 0 && end.row > node.startPosition.row ? end.row - 1 : end.row;
}

function buildDefinition(
  file: string,
  text: string,
  rules: LanguageRules,
  { node, nameNode, tag, root }: Candidate,
  name: string,
  containerNames: Map<number, string | undefined>,
  attributesPossible: boolean,
  exportedNames: ReadonlySet<string>,
): Definition | undefined {
  const path = pathInfo(rules, node, root);
  if (path.insideFunction) return undefined;
  const enclosingName = path.containerNode ? containerNameOf(rules, path.containerNode, containerNames) : undefined;
  const context: DefinitionContext = {
    exportedAncestor: path.exported,
    exportedByName: exportedNames.size > 0 && isExportedByName(rules, name, root, path, exportedNames, containerNames),
    containerNode: path.containerNode,
    container: enclosingName,
  };
  const ownContainer = rules.ownContainer?.(node);
  const container = ownContainer ?? context.container;
  const kind = kindOf(rules, node, tag, container !== undefined);
  if (!kind) return undefined;
  const exported = rules.isExported(node, name, context);
  if (kind === 'const' && !exported) return undefined;
  // (Only a top-level definition is the default export its name names: not a member of that name.)
  const exportedAsDefault = exportedNames.size > 0 && root.top === true && path.containerNode === undefined && container === undefined && exportedNames.has(defaultExportEntry(name));

  let outer = node;
  // Out through its wrappers (ancestorAt: the ancestors pathInfo read, then the query root).
  for (let i = 0, p = ancestorAt(path, root, i, node); p && rules.wraps(p, typeAt(path, root, i, p), outer); p = ancestorAt(path, root, ++i, p)) outer = p;
  let startIndex = outer.startIndex;
  let startRow = outer.startPosition.row;
  // Siblings are read only when the text shows they may matter: attributes when the file has their marker and
  // the definition follows a character they can end with, a comment when one may end on the definition's line
  // or the one above.
  let previous: Node | null | undefined;
  /**
   * Doc comments among the attributes and between them and the definition, top first, and the comment nodes they were
   * read from (their lines are left out of the signature: they are the doc).
   */
  let docsInside: { doc: string; startRow: number }[] = [];
  const docNodes: Node[] = [];
  if (attributesPossible && (rules.attributeMayEndWith?.(lastCharBefore(text, startIndex)) === true || commentMayEndAbove(text, startIndex))) {
    previous = outer.previousNamedSibling;
    let attributes = 0;
    let below: { startIndex: number; startRow: number; previous: Node } | undefined;
    /** Runs of comments between two attributes, bottom first: the lowest comment of each and the row of the attribute under it. */
    const between: { last: Node; rowBelow: number }[] = [];
    for (let p = previous; p; ) {
      if (rules.attributeTypes.has(p.type)) {
        startIndex = p.startIndex;
        startRow = p.startPosition.row;
        attributes++;
        previous = p = p.previousNamedSibling;
        continue;
      }
      // Comments between attributes are the definition's; so are tool directives between the attributes and the
      // definition (a lint directive under a decorator). Another comment there is the definition's doc (`#[derive]`
      // then `/// The thing.`), read right above it. With a doc comment above the attributes too (`/// Outer.`,
      // `#[derive]`, `/// More.`), or doc comments (`///`, `/** … */`) between the attributes (`/// a`, `#[derive]`,
      // `/// b`, `#[serde(…)]`, `/// c`: rustdoc reads all three), every piece is the doc, joined top first, and the
      // definition's range starts at its attributes; with the one right above the definition alone, the attributes
      // above it are left out.
      if (!rules.commentTypes.has(p.type)) break;
      let before: Node | null = p;
      let onlyDirectives = true;
      for (; before && rules.commentTypes.has(before.type); before = before.previousNamedSibling) onlyDirectives &&= DIRECTIVE_COMMENT.test(before.text);
      if (!before || !rules.attributeTypes.has(before.type)) break;
      if (attributes === 0 && !onlyDirectives) below = { startIndex, startRow, previous: p };
      else if (attributes > 0 && !onlyDirectives) between.push({ last: p, rowBelow: startRow });
      p = before;
    }
    for (let i = between.length - 1; i >= 0; i--) {
      const run = between[i] as { last: Node; rowBelow: number };
      const nodes: Node[] = [];
      const doc = commentAbove(text, rules, run.last, run.rowBelow, nodes);
      if (doc && nodes.every((c) => DOC_COMMENT.test(c.text))) {
        docsInside.push(doc);
        docNodes.push(...nodes);
      }
    }
    if (below !== undefined) {
      const docAbove = commentMayEndAbove(text, startIndex) ? commentAbove(text, rules, previous, startRow) : undefined;
      const nodes: Node[] = [];
      const docBelow = docAbove || docsInside.length > 0 ? commentAbove(text, rules, below.previous, below.startRow, nodes) : undefined;
      if (docBelow === undefined) {
        ({ startIndex, startRow, previous } = below);
        docsInside = [];
        docNodes.length = 0;
      } else {
        docsInside.push(docBelow);
        docNodes.push(...nodes);
      }
    }
  }
  const endIndex = outer.endIndex;
  const endRow = lastRow(outer);

  const { signature, signatureEndRow } = signatureOf(text, startIndex, startRow, endIndex, endRow, rules.bodyStart(node), kind, nameNode.startIndex, outer, rules, docNodes);
  const inner = rules.innerDoc?.(node, text);
  const comment =
    inner || !commentMayEndAbove(text, startIndex) ? undefined : commentAbove(text, rules, previous === undefined ? siblingAbove(rules, outer) : previous, startRow);
  const pieces = comment ? [comment, ...docsInside] : docsInside;
  const [first] = pieces;
  const above = first && pieces.length > 1 ? { doc: capDoc(pieces.map((d) => d.doc).join('\n')), startRow: first.startRow } : first;
  const doc = inner !== undefined ? cleanDocstring(inner.length > 2 * MAX_DOC_CHARS ? inner.slice(0, wholeCharacterCut(inner, 2 * MAX_DOC_CHARS)) : inner) : above?.doc;

  const startLine = startRow + 1;
  return new DefinitionRecord(
    file,
    name,
    kind,
    container,
    startLine,
    endRow + 1,
    startIndex,
    endIndex,
    signature,
    signatureEndRow + 1,
    doc ? doc : undefined,
    // (A doc that starts among the attributes is inside the range: no line above it to add.)
    doc && above && above.startRow <= startRow ? above.startRow + 1 : undefined,
    exported,
    exportedAsDefault,
  );
}

function countNewlines(text: string, from: number, to: number): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** Nodes that annotate the definition they precede or start (decorators, Java annotations, Rust attributes). */
const ANNOTATION_TYPES: ReadonlySet<string> = new Set(['decorator', 'annotation', 'marker_annotation', 'attribute_item']);

/**
 * Where a definition's own text starts: its first token after the last decorator, annotation or attribute before its
 * name, comments left out (`export` of `@Component({…}) export class A`, `class` of `export @Component({…}) class A`,
 * `public` of `@Inject public A()`, `def` of a decorated Python function); the name's start when no token precedes it.
 */
function ownStart(node: Node, rules: LanguageRules, nameStart: number): number {
  let own: number | undefined;
  const visit = (parent: Node): boolean => {
    for (let i = 0; i < parent.childCount; i++) {
      const child = parent.child(i);
      if (!child || rules.commentTypes.has(child.type)) continue;
      if (child.startIndex >= nameStart) return true;
      if (ANNOTATION_TYPES.has(child.type) || rules.attributeTypes.has(child.type)) own = undefined;
      else if (child.childCount === 0) own ??= child.startIndex;
      else if (visit(child)) return true;
    }
    return false;
  };
  visit(node);
  return own ?? nameStart;
}

/**
 * The signature: the text from the definition's start (its decorators or attributes included) to its body, at most
 * MAX_SIGNATURE_CHARS cut at a line break. It always reaches the end of the line holding the name: when decorators or
 * attributes above the definition take that room (an Angular `@Component({ template: … })`, a `@app.route(…)` over
 * many lines), their first line is kept, the lines after it up to the definition's own first line are elided (a line
 * `…`), and the definition's head follows, cut as any signature is. signatureEndRow is the row of the signature's last
 * line in the file, so startRow..signatureEndRow stay the lines a signature-only summary sends (decorators included);
 * when those are too long for a summary, the packer sends the head's lines instead, found by the elided shape.
 */
function signatureOf(
  text: string,
  startIndex: number,
  startRow: number,
  endIndex: number,
  endRow: number,
  bodyStart: number | undefined,
  kind: DefinitionKind,
  nameStart: number,
  outer: Node,
  rules: LanguageRules,
  /** Comments read as the doc (see buildDefinition), whose lines the signature leaves out. */
  docComments: readonly Node[],
): { signature: string; signatureEndRow: number } {
  let end = bodyStart !== undefined && bodyStart > startIndex && bodyStart <= endIndex ? bodyStart : endIndex;
  if (bodyStart === undefined && kind !== 'function' && kind !== 'method' && endRow - startRow + 1 > MAX_BODYLESS_SIGNATURE_LINES) {
    const nameLineEnd = text.indexOf('\n', Math.max(startIndex, Math.min(nameStart, end)));
    if (nameLineEnd >= 0 && nameLineEnd < end) end = nameLineEnd;
  }
  if (end - startIndex > MAX_SIGNATURE_CHARS) {
    const elided = elidedSignature(text, startIndex, startRow, end, nameStart, outer, rules);
    if (elided) return elided;
    end = signatureCut(text, startIndex, end);
  }
  const signature = text.slice(startIndex, end).trimEnd();
  // (The rows are the file's: the lines left out are among startRow..signatureEndRow, sent by a summary as the file has
  // them. An elided signature above never holds them: they lie between its first line and its head.)
  const signatureEndRow = startRow + countNewlines(text, startIndex, startIndex + signature.length);
  return { signature: docComments.length === 0 ? signature : withoutCommentLines(text, startIndex, startIndex + signature.length, docComments), signatureEndRow };
}

/** text[from, to) without the lines of the given comments, each where it is a whole line (one sharing its line with code stays). */
function withoutCommentLines(text: string, from: number, to: number, comments: readonly Node[]): string {
  let kept = '';
  let at = from;
  for (const c of [...comments].sort((a, b) => a.startIndex - b.startIndex)) {
    const lineStart = text.lastIndexOf('\n', c.startIndex - 1) + 1;
    // (A line comment's node may end with its newline.)
    const contentEnd = c.startIndex + c.text.trimEnd().length;
    const newline = text.indexOf('\n', contentEnd);
    const lineEnd = newline < 0 ? text.length : newline;
    if (lineStart < at || lineEnd >= to || !startsLine(text, c.startIndex) || text.slice(contentEnd, lineEnd).trim() !== '') continue;
    kept += text.slice(at, lineStart);
    at = lineEnd + 1;
  }
  return kept + text.slice(at, to);
}

/** Where a signature from `from` to `end`, longer than MAX_SIGNATURE_CHARS, is cut: at a line break before the limit if any. */
function signatureCut(text: string, from: number, end: number, notBefore = from + 1): number {
  const limit = from + MAX_SIGNATURE_CHARS;
  if (end <= limit) return end;
  const lastNewline = text.lastIndexOf('\n', limit);
  return lastNewline >= notBefore ? lastNewline : wholeCharacterCut(text, limit);
}

/** The line (after the head's indent) that stands in an elided signature for the lines left out between its first line and its head. */
const ELIDED_LINES = '…';

/**
 * The signature with the decorator or attribute lines after the first elided (see signatureOf), when the plain cut
 * would end before the end of the name's line and the definition's own text starts on a later line than its first
 * decorator; else undefined. Its shape — the first line, a line ELIDED_LINES if lines were left out, then the head, the
 * file's lines from the definition's own first line through signatureEndRow — is read back by elidedSignatureHead.
 */
function elidedSignature(
  text: string,
  startIndex: number,
  startRow: number,
  end: number,
  nameStart: number,
  outer: Node,
  rules: LanguageRules,
): { signature: string; signatureEndRow: number } | undefined {
  const nameLineEnd = newlineAfter(text, nameStart);
  if (signatureCut(text, startIndex, end) >= Math.min(nameLineEnd, end)) return undefined;
  const own = ownStart(outer, rules, nameStart);
  const firstLineEnd = newlineAfter(text, startIndex);
  if (own <= firstLineEnd || own > nameStart) return undefined;
  const headLine = text.lastIndexOf('\n', own - 1) + 1;
  // The head's cut keeps the name's line when it is not longer than a signature may be (minified code is cut as ever).
  const headEnd = signatureCut(text, headLine, end, Math.min(nameLineEnd, end));
  const head = text.slice(headLine, headEnd).trimEnd();
  const indent = /^[ \t]*/.exec(head)?.[0] ?? '';
  const skipped = headLine > firstLineEnd + 1;
  // (A first line longer than a signature may be is cut, as one of minified code is.)
  const first = text.slice(startIndex, firstLineEnd - startIndex > MAX_SIGNATURE_CHARS ? wholeCharacterCut(text, startIndex + MAX_SIGNATURE_CHARS) : firstLineEnd);
  const signature = `${first.trimEnd()}\n${skipped ? `${indent}${ELIDED_LINES}\n` : ''}${head}`;
  const headRow = startRow + countNewlines(text, startIndex, headLine);
  return { signature, signatureEndRow: headRow + countNewlines(head, 0, head.length) };
}

/**
 * The head's lines of a signature shaped as elidedSignature makes one: the lines after its first line and after the
 * line ELIDED_LINES if one follows it. Undefined when there are none. Any signature of more than one line has that
 * shape, so a caller checks the head against the file's lines before taking it for one.
 */
export function elidedSignatureHead(signature: string): readonly string[] | undefined {
  const lines = signature.split('\n');
  const head = lines.slice(lines[1]?.trim() === ELIDED_LINES ? 2 : 1);
  return head.length > 0 ? head : undefined;
}

/** True when only whitespace precedes `index` on its line. */
function startsLine(text: string, index: number): boolean {
  for (let i = index - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c === 10) return true;
    if (c !== 32 && c !== 9 && c !== 13) return false;
  }
  return true;
}

/** The code of the last character before `index` that is not white space (-1 at the start of the text). */
function lastCharBefore(text: string, index: number): number {
  for (let i = index - 1; i >= 0; i--) {
    const c = text.charCodeAt(i);
    if (c !== 32 && c !== 9 && c !== 10 && c !== 13) return c;
  }
  return -1;
}

/**
 * False when no comment can end on the line of `startIndex` (before it) or on the line above: each comment has
 * a `/` or `#` on its last line (its end or its whole text). Saves reading the syntax tree for most definitions.
 */
function commentMayEndAbove(text: string, startIndex: number): boolean {
  const lineStart = text.lastIndexOf('\n', startIndex - 1) + 1;
  const from = lineStart <= 1 ? 0 : text.lastIndexOf('\n', lineStart - 2) + 1;
  for (let i = from; i < startIndex; i++) {
    const c = text.charCodeAt(i);
    if (c === 47 || c === 35) return true; // '/', '#'
  }
  return false;
}

/**
 * The node before a definition (its wrappers included), where a comment documenting it would be: its previous sibling,
 * or for the first definition of a block whose leading comments the grammar puts before it (commentsBeforeBlocks),
 * the block's previous sibling.
 */
function siblingAbove(rules: LanguageRules, outer: Node): Node | null {
  const previous = outer.previousNamedSibling;
  if (previous || !rules.commentsBeforeBlocks) return previous;
  const parent = outer.parent;
  return parent && rules.commentsBeforeBlocks.has(parent.type) ? parent.previousNamedSibling : null;
}

/** The comment block directly above a definition (no blank line between), markers stripped. */
function commentAbove(
  text: string,
  rules: LanguageRules,
  previous: Node | null,
  startRow: number,
  /** When given, receives the comment nodes the doc was read from (not the directives among them). */
  used?: Node[],
): { doc: string; startRow: number } | undefined {
  const parts: string[] = [];
  let topRow = startRow;
  let firstRow = -1;
  for (let c = previous; c && rules.commentTypes.has(c.type); c = c.previousNamedSibling) {
    const row = lastRow(c);
    if (row < topRow - 1 || row > topRow || !startsLine(text, c.startIndex)) break;
    const raw = c.text.trimEnd();
    if (INNER_DOC_COMMENT.test(raw)) break;
    const isBlock = raw.startsWith('/*');
    if (isBlock && parts.length > 0) break;
    topRow = c.startPosition.row;
    if (!DIRECTIVE_COMMENT.test(raw)) {
      parts.unshift(raw);
      used?.push(c);
      firstRow = topRow;
    }
    if (isBlock) break;
  }
  if (parts.length === 0) return undefined;
  // Long doc comments (examples, changelogs) are cut before cleaning: only the start is kept anyway.
  const raw = parts.join('\n');
  const doc = cleanComment(raw.length > 2 * MAX_DOC_CHARS ? raw.slice(0, wholeCharacterCut(raw, 2 * MAX_DOC_CHARS)) : raw);
  return doc ? { doc, startRow: firstRow } : undefined;
}

function capDoc(doc: string): string {
  return doc.length > MAX_DOC_CHARS ? `${doc.slice(0, wholeCharacterCut(doc, MAX_DOC_CHARS)).trimEnd()}…` : doc;
}

/** Strips `/** … *\/`, `//`, `///`, `//!` and `#` markers. */
export function cleanComment(raw: string): string {
  let lines: string[];
  if (raw.startsWith('/*')) {
    const body = raw.replace(/^\/\*+!?/, '').replace(/\*+\/\s*$/, '');
    lines = body.split('\n').map((l) => l.replace(/^\s*\*(?!\/)\s?/, '').replace(/^\s+/, ''));
  } else {
    lines = raw.split('\n').map((l) => l.replace(/^\s*(?:\/\/[/!]?|#+)\s?/, '').trimEnd());
  }
  while (lines.length > 0 && lines[0]?.trim() === '') lines.shift();
  while (lines.length > 0 && lines[lines.length - 1]?.trim() === '') lines.pop();
  return capDoc(lines.join('\n').trim());
}

/** A Python docstring's content with its common indentation removed. */
export function cleanDocstring(content: string): string {
  const lines = content.replace(/\r/g, '').split('\n');
  const rest = lines.slice(1).filter((l) => l.trim() !== '');
  const indent = rest.reduce((min, l) => Math.min(min, l.length - l.trimStart().length), Number.POSITIVE_INFINITY);
  const dedented = [lines[0]?.trim() ?? '', ...lines.slice(1).map((l) => (Number.isFinite(indent) ? l.slice(indent) : l).trimEnd())];
  return capDoc(dedented.join('\n').trim());
}

const NO_NAMESPACES: Namespaces = new Map();

/** Scratch buffers of collectReferences, reused from file to file (it runs synchronously, one file at a time). */
const WORDS = new IntBuffer();
const REFS = new IntBuffer();
const REF_STARTS = new IntBuffer();

/**
 * The identifier table of an open document's references, by their identifiers array (the table's names exactly,
 * `named` of them definition names): referencesAfterEdit copies it for the next edit instead of hashing every name
 * of the file again. Only open documents' tables are left here (an index of the workspace keeps none).
 */
const CARRIED_TABLES = new WeakMap<readonly string[], { readonly table: IdentifierTable; readonly named: number }>();

/**
 * For the identifiers arrays of open documents' references: which definitions' starts and ends the lexer, reading
 * the whole text, reads outside code (strictly inside a comment or string). referencesAfterEdit lexes again only
 * between boundaries read in code, starting in code: that gives what lexing the whole text gives only when the lexer
 * is in code there. The syntax tree cannot tell: tree-sitter and the lexer may read a string differently without any
 * syntax error (tree-sitter's Python lets a one-quote string run across a line break, the lexer ends it there and
 * may then open a triple-quoted string that runs over the definitions after it; the lexer may take the `/` of a TSX
 * closing tag for a regular expression). Known per boundary: one read outside code keeps only the windows bounded
 * by it from being lexed alone, not every later edit of the document.
 */
const LEXED_BOUNDARIES = new WeakMap<readonly string[], MaskedBoundaries>();

/**
 * By definition index, START_MASKED and END_MASKED when its start and end lie strictly inside one of the lexer's
 * comment or string ranges; null when no boundary does (nearly always: no array made then).
 */
type MaskedBoundaries = Uint8Array | null;
const START_MASKED = 1;
const END_MASKED = 2;

/** Scratch of the comment and string ranges lexed for LEXED_BOUNDARIES. */
const MASKS: number[] = [];

/**
 * The MaskedBoundaries of `definitions` given `masks` (the lexer's [start, end) ranges, in text order; a boundary
 * at a range's end counts as inside it). With
 * `inside` (slots: index + 1), only those of slot `slot` are read from `masks` (a window's); the others keep their
 * flags in `carried` (those of the same definitions before an edit outside them).
 */
function maskedBoundaries(masks: readonly number[], definitions: readonly Definition[], carried: MaskedBoundaries = null, inside?: Uint8Array, slot = 0): MaskedBoundaries {
  const inMask = (at: number): boolean => {
    // The last mask starting before `at`.
    let lo = 0;
    let hi = masks.length / 2;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((masks[2 * mid] ?? 0) < at) lo = mid + 1;
      else hi = mid;
    }
    // At a mask's end counts as inside it: the lexer ends a regular expression, a one-line string or a line comment
    // AT a line break, so what an edit there types (or deletes) decides where that mask ends.
    return lo > 0 && (masks[2 * lo - 1] ?? 0) >= at;
  };
  let flags = carried ? carried.slice() : null;
  let masked = 0;
  for (let i = 0; i < definitions.length; i++) {
    if (inside && inside[i + 1] !== slot) {
      if (flags?.[i]) masked++;
      continue;
    }
    const d = definitions[i];
    const f = d ? (inMask(d.startIndex) ? START_MASKED : 0) | (inMask(d.endIndex) ? END_MASKED : 0) : 0;
    if (f !== 0) {
      flags ??= new Uint8Array(definitions.length);
      masked++;
    }
    if (flags) flags[i] = f;
  }
  return masked > 0 ? flags : null;
}

/** Offset of the first newline at or after `from`, or the text's length. */
function newlineAfter(text: string, from: number): number {
  const nl = text.indexOf('\n', from);
  return nl < 0 ? text.length : nl;
}

/** What a references sweep reads: the definitions' slots (index + 1) with their ranges, in start order. */
interface DefinitionSlots {
  readonly slots: number;
  readonly starts: Int32Array;
  readonly ends: Int32Array;
  /** Slots by start, outer before inner, for the enclosing-definition sweep. */
  readonly order: Int32Array;
}

function definitionSlots(definitions: readonly Definition[]): DefinitionSlots {
  const slots = definitions.length + 1;
  const starts = new Int32Array(slots);
  const ends = new Int32Array(slots);
  definitions.forEach((d, i) => {
    starts[i + 1] = d.startIndex;
    ends[i + 1] = d.endIndex;
  });
  const before = (a: number, b: number): number => (starts[a] ?? 0) - (starts[b] ?? 0) || (ends[b] ?? 0) - (ends[a] ?? 0) || a - b;
  const order = Int32Array.from(definitions, (_, i) => i + 1);
  // The definitions nearly always come in this order already: sorted only when one is out of place.
  let inOrder = true;
  for (let k = 1; k < order.length && inOrder; k++) inOrder = before(order[k - 1] ?? 0, order[k] ?? 0) < 0;
  if (!inOrder) order.sort(before);
  return { slots, starts, ends, order };
}

/**
 * Records in `refs` / `refStarts` the first occurrence of each (name, innermost enclosing definition) among
 * `words` (lexed from text, at their offsets in it), skipping the keys already in `seen` and the definitions' names.
 */
function sweepReferences(
  text: string,
  words: IntBuffer,
  table: IdentifierTable,
  defs: DefinitionSlots,
  skipped: Int32Array,
  seen: Set<number>,
  refs: IntBuffer,
  refStarts: IntBuffer,
  namespaces: Namespaces,
): void {
  const { slots, starts, ends, order } = defs;
  let nextSkipped = 0;
  const stack: number[] = [];
  let next = 0;
  /** The enclosing slot each identifier was last recorded with: a repeat in the same definition needs no set lookup. */
  const lastEnclosing: number[] = [];
  const ranges = words.data;
  // The hashes of the namespaces' names (a word with another hash is none of them: no comparison for most words).
  const namespaceHashes = namespaces.size > 0 ? new Set([...namespaces.keys()].map((n) => hashWord(n, 0, n.length))) : undefined;
  // The dotted ones (Python's `import gyp.common`), whose members follow a chain of names (dottedNamespace), by length.
  const dotted = namespaceHashes ? dottedNamespaces(namespaces) : undefined;
  for (let w = 0; w < words.length; w += 3) {
    const index = ranges[w] ?? 0;
    while (nextSkipped < skipped.length && (skipped[nextSkipped] ?? 0) < index) nextSkipped++;
    if (skipped[nextSkipped] === index) continue;
    const end = ranges[w + 1] ?? 0;
    const hash = ranges[w + 2] ?? 0;
    let nameId: number;
    if (namespaceHashes === undefined) nameId = table.referenceId(text, index, end, hash);
    else {
      // A namespace's own name means the module, no definition of that name (the `Option` of `Option.some` is not the
      // interface Option); a member of it is the namespace's, recorded qualified (`Option.some`: namespaceNameOf). (A
      // Python `from gyp import easy_xml`'s name may be a class or function of the package as well: a reference.)
      if (namespaceHashes.has(hash) && dotBefore(text, index) < 0 && namespaces.get(text.slice(index, end)) === 'module') continue;
      const namespace = namespaceBefore(text, index, namespaces, namespaceHashes, dotted);
      // (A member of a Python `from … import` name is recorded so too, but apart: fromImportMemberName.)
      if (namespace === undefined) nameId = table.referenceId(text, index, end, hash);
      else if (namespaces.get(namespace) === 'module') nameId = table.add(qualifiedName(namespace, text.slice(index, end)));
      else nameId = table.add(fromImportMemberName(namespace, text.slice(index, end)));
    }
    if (nameId < 0) continue;
    while (stack.length > 0 && (ends[stack[stack.length - 1] ?? 0] ?? 0) <= index) stack.pop();
    for (let slot = order[next]; slot !== undefined && (starts[slot] ?? 0) <= index; slot = order[++next]) {
      while (stack.length > 0 && (ends[stack[stack.length - 1] ?? 0] ?? 0) <= (starts[slot] ?? 0)) stack.pop();
      if ((ends[slot] ?? 0) > index) stack.push(slot);
    }
    const enclosing = stack[stack.length - 1] ?? 0;
    if (lastEnclosing[nameId] === enclosing) continue;
    lastEnclosing[nameId] = enclosing;
    const key = nameId * slots + enclosing;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push(nameId);
    refs.push(enclosing);
    refStarts.push(index);
  }
}

const DOT = 0x2e;
const QUESTION_MARK = 0x3f;

/** Whether a character code is white space between tokens (a line break included). */
function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x09 || c === 0x0d;
}

/** The offset of the dot before the word at `index`, white space between them passed over (`Option\n  .some`); else -1. */
function dotBefore(text: string, index: number): number {
  let at = index - 1;
  let c = text.charCodeAt(at);
  // (Most words follow neither: one look.)
  while (isSpace(c)) c = text.charCodeAt(--at);
  return c === DOT ? at : -1;
}

/** Whether a character code can be part of an ASCII identifier (namespaces with other characters are not matched). */
function isAsciiIdentifierChar(c: number): boolean {
  return (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f || c === 0x24;
}

/**
 * Whether text[start, end) is one of `namespaces` (`hashes`: their names' hashWords): most words are ruled out by their
 * hash, without a string; the others looked up (a Python file's `from … import` names are many: no loop over them).
 */
function isNamespace(text: string, start: number, end: number, namespaces: Namespaces, hashes: ReadonlySet<number>): boolean {
  return hashes.has(hashWord(text, start, end)) && namespaces.has(text.slice(start, end));
}

/**
 * The namespace of `namespaces` the word at `index` is a member of (`Option.some`: `Option`), or undefined: the word
 * right after a dot that follows one of them, itself not a member (`a.Option.some` is not the namespace's). The dot may
 * be an optional chain's (`Option?.some`), and white space may stand before it (`Option\n  .some(…)`), not after it: a
 * sentence of a comment or of JSX text ending in the namespace's name (`# dump it as json.`, `<p>Use Option. more`) is
 * followed by white space, and the word after it is no member.
 * A dotted namespace (Python's `import gyp.common`: `dotted`) is the whole chain of names before that dot, the chain
 * written without white space (`gyp.common.X`; not `a.gyp.common.X`, nor `gyp. common.X`).
 */
function namespaceBefore(text: string, index: number, namespaces: Namespaces, hashes: ReadonlySet<number>, dotted: DottedNamespaces | undefined): string | undefined {
  if (text.charCodeAt(index - 1) !== DOT) return undefined;
  let end = index - 1;
  if (text.charCodeAt(end - 1) === QUESTION_MARK) end--;
  while (end > 0 && isSpace(text.charCodeAt(end - 1))) end--;
  let start = end;
  while (start > 0 && isAsciiIdentifierChar(text.charCodeAt(start - 1))) start--;
  if (start === end) return undefined;
  if (dotBefore(text, start) >= 0) return dotted === undefined ? undefined : dottedNamespace(text, start, end, namespaces, dotted);
  if (!isNamespace(text, start, end, namespaces, hashes)) return undefined;
  return text.slice(start, end);
}

/** The lengths of a file's dotted namespaces, and the longest; undefined when it has none. */
interface DottedNamespaces {
  readonly lengths: ReadonlySet<number>;
  readonly longest: number;
}

function dottedNamespaces(namespaces: Namespaces): DottedNamespaces | undefined {
  let lengths: Set<number> | undefined;
  for (const n of namespaces.keys()) if (n.includes('.')) (lengths ??= new Set()).add(n.length);
  return lengths === undefined ? undefined : { lengths, longest: Math.max(...lengths) };
}

/** The dotted namespace text[chain start, end) is, when the names before `start` chain to it by plain dots (see namespaceBefore). */
function dottedNamespace(text: string, start: number, end: number, namespaces: Namespaces, dotted: DottedNamespaces): string | undefined {
  let from = start;
  while (text.charCodeAt(from - 1) === DOT) {
    // (A chain longer than every dotted namespace is none of them: no walk to its start, `a.b.c.d.e.f` word by word.)
    if (end - from >= dotted.longest) return undefined;
    let next = from - 1;
    while (next > 0 && isAsciiIdentifierChar(text.charCodeAt(next - 1))) next--;
    if (next === from - 1) return undefined;
    from = next;
  }
  if (dotBefore(text, from) >= 0 || !dotted.lengths.has(end - from)) return undefined;
  const chain = text.slice(from, end);
  return namespaces.has(chain) ? chain : undefined;
}

/** References: packed pairs, their first occurrences, and the file's identifiers (the pairs' name table). */
export interface References {
  readonly refs: Uint32Array;
  readonly refStarts: Uint32Array;
  readonly identifiers: string[];
}

/**
 * The references of a text given its definitions, and the file's identifiers (definition names first).
 * @param nameStarts offsets of the definitions' names, which are not references.
 * @param document whether the text is an open document's: its identifier table is then kept for the next edit's
 *   referencesAfterEdit (CARRIED_TABLES), the first edit after opening included, and whether the lexer is in code
 *   at the definitions' boundaries (LEXED_BOUNDARIES).
 * @param namespaces the local names of the file's namespace imports and Python `from … import` names (namespaceNamesOf):
 *   their members are recorded qualified.
 */
export function collectReferences(
  text: string,
  language: ParsedLanguage,
  definitions: readonly Definition[],
  nameStarts: ArrayLike<number>,
  document = false,
  namespaces: Namespaces = NO_NAMESPACES,
): References {
  const words = WORDS;
  words.clear();
  const masks = document ? MASKS : undefined;
  if (masks) masks.length = 0;
  lexWords(text, language, words, masks);
  const table = new IdentifierTable(language);
  for (const d of definitions) table.add(d.name);
  const refs = REFS;
  const refStarts = REF_STARTS;
  refs.clear();
  refStarts.clear();
  const named = table.names.length;
  sweepReferences(text, words, table, definitionSlots(definitions), ascendingOffsets(nameStarts), new Set<number>(), refs, refStarts, namespaces);
  const identifiers = table.names;
  if (document) CARRIED_TABLES.set(identifiers, { table, named });
  if (masks) LEXED_BOUNDARIES.set(identifiers, maskedBoundaries(masks, definitions));
  return { refs: refs.toUint32Array(), refStarts: refStarts.toUint32Array(), identifiers };
}

/** Words of an edit's window that are not among the previous identifiers, for sizing its identifier table (it grows past this). */
const WINDOW_WORDS_EXPECTED = 64;

/**
 * The offsets in ascending order, as a new array: copied without an iterator, and sorted only when out of order (the
 * definitions' names nearly always come in file order already).
 */
function ascendingOffsets(offsets: ArrayLike<number>): Int32Array {
  const out = new Int32Array(offsets.length);
  let ascending = true;
  for (let i = 0; i < offsets.length; i++) {
    out[i] = offsets[i] ?? 0;
    if (i > 0 && (out[i] ?? 0) < (out[i - 1] ?? 0)) ascending = false;
  }
  return ascending ? out : out.sort();
}

/** Languages whose lexer follows template literals (a definition inside a substitution would start it in the wrong state). */
const LEXES_TEMPLATES: ReadonlySet<ParsedLanguage> = new Set(['typescript', 'tsx', 'javascript']);

/**
 * The references of `text` after `edit`, from those of the text before it, lexing again only the text
 * between the definition starts and ends nearest around the edit that the lexer read in code before it
 * (LEXED_BOUNDARIES: known only of `previous` collected so); the rest is kept (moved). Undefined when that cannot
 * give what collectReferences would: definitions other than moved ones outside that window, a template literal in
 * it (JavaScript family) unless `outsideTemplates` says the window's bounds lie outside any, a (name, enclosing
 * definition) whose first occurrence left the window while it may occur further on, or the lexer not in code at
 * the window's end after the edit (a comment or string opened in it running across its end).
 * @param outsideTemplates whether offsets `from` and `to` of `text` (and the same places before the edit) lie
 *   outside every template literal, so the lexer starts and leaves the window in code (the caller has the trees).
 * @param namespaces as collectReferences's, the same as `previous` was collected with (the caller checks).
 */
export function referencesAfterEdit(
  previous: PositionedExtraction,
  text: string,
  language: ParsedLanguage,
  definitions: readonly Definition[],
  nameStarts: ArrayLike<number>,
  edit: Edit,
  outsideTemplates?: (from: number, to: number) => boolean,
  namespaces: Namespaces = NO_NAMESPACES,
): References | undefined {
  const old = previous.definitions;
  const masked = LEXED_BOUNDARIES.get(previous.identifiers);
  if (old.length !== definitions.length || masked === undefined) return undefined;
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  const delta = newEnd - oldEnd;
  // The window lexed again: between the definition boundaries (starts and ends) nearest around the edit that the
  // lexer read in code.
  let from = 0;
  let oldTo = Number.MAX_SAFE_INTEGER;
  for (let i = 0; i < old.length; i++) {
    const d = old[i] as Definition;
    const m = masked?.[i] ?? 0;
    if ((m & START_MASKED) === 0) {
      if (d.startIndex <= start && d.startIndex > from) from = d.startIndex;
      if (d.startIndex >= oldEnd && d.startIndex < oldTo) oldTo = d.startIndex;
    }
    if ((m & END_MASKED) === 0) {
      if (d.endIndex <= start && d.endIndex > from) from = d.endIndex;
      if (d.endIndex >= oldEnd && d.endIndex < oldTo) oldTo = d.endIndex;
    }
  }
  const to = oldTo === Number.MAX_SAFE_INTEGER ? text.length : oldTo + delta;
  if (to < from) return undefined;
  // A definition inside a template substitution would make the lexer start the window in the wrong state.
  if (LEXES_TEMPLATES.has(language) && text.slice(from, to).includes('`') && outsideTemplates?.(from, to) !== true) return undefined;
  /** Slots (index + 1) of the definitions inside the window (all their references lie in it) and around it (1, 2). */
  const INSIDE = 1;
  const AROUND = 2;
  const inside = new Uint8Array(old.length + 1);
  inside[0] = AROUND;
  for (let i = 0; i < old.length; i++) {
    const o = old[i];
    const n = definitions[i];
    if (!o || !n || o.name !== n.name) return undefined;
    if (o.startIndex >= from && o.endIndex <= oldTo) {
      if (n.startIndex < from || n.endIndex > to) return undefined;
      inside[i + 1] = INSIDE;
    } else if (o.endIndex <= from) {
      if (n.startIndex !== o.startIndex || n.endIndex !== o.endIndex) return undefined;
    } else if (o.startIndex >= oldTo) {
      if (n.startIndex !== o.startIndex + delta || n.endIndex !== o.endIndex + delta) return undefined;
    } else if (o.startIndex <= from && o.endIndex >= oldTo) {
      if (n.startIndex !== o.startIndex || n.endIndex !== o.endIndex + delta) return undefined;
      inside[i + 1] = AROUND;
    } else return undefined;
  }

  // The identifier table as the full collection would have it before the window: definition names first,
  // then the previous names (ids kept; renumbered in order of first occurrence at the end). Carried from the
  // previous edit when it left one (the definition names are the same, in the same order: checked above), else
  // built (with room for the previous identifiers and the words of the window that are none of them, keywords included).
  const carried = CARRIED_TABLES.get(previous.identifiers);
  let table: IdentifierTable;
  let named: number;
  if (carried) {
    table = carried.table.copy();
    named = carried.named;
  } else {
    table = new IdentifierTable(language, previous.identifiers.length + WINDOW_WORDS_EXPECTED);
    for (const d of definitions) table.add(d.name);
    named = table.names.length;
    for (let i = named; i < previous.identifiers.length; i++) table.add(previous.identifiers[i] ?? '');
    if (table.names.length !== previous.identifiers.length) return undefined;
  }
  // Names first met in the window are kept from edit to edit (the identifiers, the carried table): copies, not cuts
  // of this version of the text, which would keep it alive.
  table.detachReferences = true;

  const defs = definitionSlots(definitions);
  const slots = defs.slots;
  const oldRefs = previous.refs;
  const oldStarts = previous.refStarts;
  const count = oldStarts.length;
  let before = 0;
  while (before < count && (oldStarts[before] ?? 0) < from) before++;
  let after = before;
  while (after < count && (oldStarts[after] ?? 0) < oldTo) after++;
  // The references before the window stay as they are, ids included: the ids after the definition names are
  // numbered in order of first occurrence, and these occur first (`kept` of them: checked). Only the keys of
  // definitions around the window can occur in it again.
  const seen = new Set<number>();
  let kept = named;
  for (let r = 0; r < before; r++) {
    const id = oldRefs[2 * r] ?? 0;
    const enclosing = oldRefs[2 * r + 1] ?? 0;
    if (id === kept) kept++;
    else if (id > kept) return undefined;
    if (inside[enclosing] === AROUND) seen.add(id * slots + enclosing);
  }
  const refs = REFS;
  const refStarts = REF_STARTS;
  refs.clear();
  refStarts.clear();
  const words = WORDS;
  words.clear();
  const masks = MASKS;
  masks.length = 0;
  // Lexed from the window's start (in code: LEXED_BOUNDARIES) over the whole text: a comment or string that runs past
  // the window's end leaves the lexer elsewhere than in code there, where the references after it were lexed from.
  if (lexWords(text, language, words, masks, from, to) !== to) return undefined;
  // Whether a `/` after the window divides or starts a regular expression depends on the token before it, which the
  // edit may have changed (text typed right after a `}`): the references after the window were lexed with the old one.
  if (LEXES_TEMPLATES.has(language) && slashTokenAt(text, to)) return undefined;
  const skipped = ascendingOffsets(nameStarts);
  sweepReferences(text, words, table, defs, skipped, seen, refs, refStarts, namespaces);
  // A key whose first occurrence was in the window and is gone from it may occur after it: not known here.
  for (let r = before; r < after; r++) {
    const enclosing = oldRefs[2 * r + 1] ?? 0;
    if (inside[enclosing] !== INSIDE && !seen.has((oldRefs[2 * r] ?? 0) * slots + enclosing)) return undefined;
  }

  // The result written in place: the references before the window copied whole, those of the window, then those
  // after it moved. Identifiers after the `kept` ones renumbered in order of first occurrence, as the full
  // collection numbers them.
  const windowCount = refStarts.length;
  const most = before + windowCount + (count - after);
  let packed = new Uint32Array(2 * most);
  let packedStarts = new Uint32Array(most);
  packed.set(oldRefs.subarray(0, 2 * before));
  packedStarts.set(oldStarts.subarray(0, before));
  packed.set(refs.data.subarray(0, refs.length), 2 * before);
  packedStarts.set(refStarts.data.subarray(0, windowCount), before);
  const identifiers = table.names.slice(0, kept);
  const renumbered = new Int32Array(table.names.length).fill(-1);
  /** Whether every identifier keeps its id in the table (so the table can be carried to the next edit). */
  let sameIds = true;
  const idOf = (id: number): number => {
    if (id < kept) return id;
    let now = renumbered[id] ?? -1;
    if (now < 0) {
      now = identifiers.push(table.names[id] ?? '') - 1;
      renumbered[id] = now;
      if (now !== id) sameIds = false;
    }
    return now;
  };
  let n = before;
  for (; n < before + windowCount; n++) packed[2 * n] = idOf(packed[2 * n] ?? 0);
  for (let r = after; r < count; r++) {
    const id = oldRefs[2 * r] ?? 0;
    const enclosing = oldRefs[2 * r + 1] ?? 0;
    if (inside[enclosing] === AROUND && seen.has(id * slots + enclosing)) continue;
    packed[2 * n] = idOf(id);
    packed[2 * n + 1] = enclosing;
    packedStarts[n] = (oldStarts[r] ?? 0) + delta;
    n++;
  }
  if (n < most) {
    packed = packed.slice(0, 2 * n);
    packedStarts = packedStarts.slice(0, n);
  }
  if (sameIds && identifiers.length === table.names.length) CARRIED_TABLES.set(identifiers, { table, named });
  // The boundaries outside the window are lexed as before the edit; those of the definitions inside it, as the window was.
  LEXED_BOUNDARIES.set(identifiers, maskedBoundaries(masks, definitions, masked, inside, INSIDE));
  return { refs: packed, refStarts: packedStarts, identifiers };
}
