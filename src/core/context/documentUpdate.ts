// Updates an open document's extraction after an edit without extracting the whole file again.
// - An edit inside a function body — what typing mostly is — changes no definition (what is declared in a
//   function body is local, hence never extracted), it only moves the ones after it: no query at all.
// - Any other edit whose syntax changes stay inside one block (the file's top level or a class-like body)
//   re-extracts only the statements or members around it, with the query limited to their span; the
//   definitions and imports elsewhere are kept, moved by the edit.
// References are collected again between the definition boundaries nearest around the edit when the trees
// have no syntax errors (the rest is kept, moved), else from the whole text (a cheap lexer pass). When
// neither applies (the tree says the edit reached further, a docstring may be involved …) the caller
// extracts the whole file. The result equals a full extraction.
import type { Edit, Node, Parser, Query, Range, Tree } from 'web-tree-sitter';
import { mayHoldDynamicImport } from './importSyntax';
import { LANGUAGE_RULES, type LanguageRules } from './languageRules';
import type { ParsedLanguage } from './languages';
import { DefinitionRecord, namespaceNamesOf, sameNames, type Definition, type ImportEdge, type Namespaces } from './model';
import { collectReferences, extractDeclarations, referencesAfterEdit, type Declarations, type PositionedExtraction, type References } from './symbolExtractor';
import { parseOrReset, textReader } from './treeSitterLoader';

/** Words that may start or end an import inside a function body (Python, Rust, lazy requires). */
const IMPORT_WORDS = /\b(?:import|require|use|mod|from)\b/;

/** The nodes holding `start..end` in a freshly parsed tree, innermost first. */
function nodesAround(tree: Tree, start: number, end: number): Node[] {
  const chain: Node[] = [];
  for (let n: Node | null = tree.rootNode.descendantForIndex(start, Math.max(start, end - 1)); n; n = n.parent) chain.push(n);
  return chain;
}

/**
 * Whether the old tree (given the edit) has a node of the same type and bounds as `node`. Searched top-down
 * when the smallest node spanning them is another: on a tree given an edit, `Node.parent` can recurse
 * without end in tree-sitter's wasm build.
 */
function hasSameNode(oldTree: Tree, node: Node): boolean {
  const same = (type: string, startIndex: number, endIndex: number): boolean =>
    type === node.type && startIndex === node.startIndex && endIndex === node.endIndex;
  const smallest = oldTree.rootNode.descendantForIndex(node.startIndex, node.endIndex);
  if (smallest && same(smallest.type, smallest.startIndex, smallest.endIndex)) return true;
  const cursor = oldTree.walk();
  try {
    let found = true;
    while (found) {
      if (cursor.startIndex > node.startIndex) return false;
      if (cursor.endIndex >= node.endIndex) {
        if (same(cursor.nodeType, cursor.startIndex, cursor.endIndex)) return true;
        found = cursor.gotoFirstChild();
      } else found = cursor.gotoNextSibling();
    }
    return false;
  } finally {
    cursor.delete();
  }
}

/** The innermost function body in `chain` (see nodesAround) that holds `start..end` strictly after its start. */
function enclosingFunctionBody(chain: readonly Node[], language: ParsedLanguage, start: number, end: number): Node | undefined {
  const functionTypes = LANGUAGE_RULES[language].functionTypes;
  for (const n of chain) {
    if (!functionTypes.has(n.type)) continue;
    const body = n.childForFieldName('body');
    if (body && body.startIndex < start && end <= body.endIndex) return body;
  }
  return undefined;
}

/** A definition moved by an edit before it (`delta` characters, `lineDelta` lines). */
function moved(d: Definition, file: string, delta: number, lineDelta: number): Definition {
  return new DefinitionRecord(
    file,
    d.name,
    d.kind,
    d.container,
    d.startLine + lineDelta,
    d.endLine + lineDelta,
    d.startIndex + delta,
    d.endIndex + delta,
    d.signature,
    d.signatureEndLine + lineDelta,
    d.doc,
    d.docStartLine !== undefined ? d.docStartLine + lineDelta : undefined,
    d.exported,
    d.exportedAsDefault,
  );
}

/** `d` with its end moved by `delta` characters and `lineDelta` lines (a spread would lose its computed id). */
function grown(d: Definition, file: string, delta: number, lineDelta: number): Definition {
  return new DefinitionRecord(file, d.name, d.kind, d.container, d.startLine, d.endLine + lineDelta, d.startIndex, d.endIndex + delta, d.signature, d.signatureEndLine, d.doc, d.docStartLine, d.exported, d.exportedAsDefault);
}

/**
 * A definition around an edit (a function around an edited body, a class around an edited member) extracted
 * again from the new tree by its name (its end moved; error recovery may also have changed its signature);
 * undefined unless that gives exactly one definition.
 * @param exportNames the names the file exports apart from their declarations (PositionedExtraction.exportNames).
 */
function extractedAgain(file: string, language: ParsedLanguage, text: string, tree: Tree, query: Query, nameStart: number, exportNames: readonly string[]): Definition | undefined {
  const again = extractDeclarations(file, language, text, tree, query, { startIndex: nameStart, endIndex: nameStart + 1 }, exportNames);
  return again.definitions.length === 1 && again.nameStarts[0] === nameStart ? again.definitions[0] : undefined;
}

/** Whether no two definitions share an id (the full extraction keeps only the first of them). */
function idsDistinct(definitions: readonly Definition[]): boolean {
  // Ids are file#name#startLine and all of these are one file's: compare (start line, name) pairs, without
  // building the id strings (computed when read) on every keystroke. Definitions nearly always come in line order,
  // where those sharing a line are neighbours: no map of the lines needed then.
  let runStart = 0;
  for (let i = 1; i < definitions.length; i++) {
    const line = (definitions[i] as Definition).startLine;
    const lineBefore = (definitions[i - 1] as Definition).startLine;
    if (line < lineBefore) return idsDistinctInAnyOrder(definitions);
    if (line !== lineBefore) runStart = i;
    else for (let k = runStart; k < i; k++) if ((definitions[k] as Definition).name === (definitions[i] as Definition).name) return false;
  }
  return true;
}

/** idsDistinct for definitions in any order. */
function idsDistinctInAnyOrder(definitions: readonly Definition[]): boolean {
  const namesByLine = new Map<number, string | string[]>();
  for (const { startLine, name } of definitions) {
    const seen = namesByLine.get(startLine);
    if (seen === undefined) namesByLine.set(startLine, name);
    else if (typeof seen === 'string') {
      if (seen === name) return false;
      namesByLine.set(startLine, [seen, name]);
    } else {
      if (seen.includes(name)) return false;
      seen.push(name);
    }
  }
  return true;
}

/**
 * The extraction of `text` after `edit` turned `oldText` into it, from the extraction of `oldText`;
 * undefined when the edit cannot be dealt with in place (the caller then extracts the whole file).
 * @param oldTree the tree of `oldText`, already given `edit` (tree.edit), that `tree` was parsed from.
 */
export function extractionAfterEdit(
  previous: PositionedExtraction,
  oldText: string,
  oldTree: Tree,
  text: string,
  tree: Tree,
  edit: Edit,
  file: string,
  language: ParsedLanguage,
  query: Query,
): PositionedExtraction | undefined {
  const changed = oldTree.getChangedRanges(tree);
  const edited: EditedText = { oldText, oldTree, text, tree, edit };
  return extractionAfterBodyEdit(previous, edited, changed, file, language, query) ?? extractionAfterBlockEdit(previous, edited, changed, file, language, query);
}

/** An edit confined to a function body: definitions only move. */
function extractionAfterBodyEdit(
  previous: PositionedExtraction,
  edited: EditedText,
  changed: readonly Range[],
  file: string,
  language: ParsedLanguage,
  query: Query,
): PositionedExtraction | undefined {
  const { oldText, oldTree, text, tree, edit } = edited;
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  const removed = oldText.slice(start, oldEnd);
  const inserted = text.slice(start, newEnd);
  if (IMPORT_WORDS.test(removed) || IMPORT_WORDS.test(inserted)) return undefined;
  const body = enclosingFunctionBody(nodesAround(tree, start, newEnd), language, start, newEnd);
  // The same body, with the same bounds, in the old tree (whose positions the edit already moved): error
  // recovery can make a body swallow or release the text after it.
  if (!body || !hasSameNode(oldTree, body)) return undefined;
  for (const r of changed) if (r.startIndex < body.startIndex || r.endIndex > body.endIndex) return undefined;
  // An import() or require() call may be in the body now (typed, or completed by the edit: `requireX(` → `require(`).
  if (LANGUAGE_RULES[language].dynamicImports && mayHoldDynamicImport(text, body.startIndex, body.endIndex)) return undefined;
  // A docstring is the body's first statement (Python): an edit up to its end may make, change or end one.
  if (LANGUAGE_RULES[language].innerDoc && start <= (body.firstNamedChild?.endIndex ?? Number.POSITIVE_INFINITY)) return undefined;

  return afterBodyEdit(
    previous,
    edit,
    file,
    { startRow: body.startPosition.row, endRow: body.endPosition.row },
    (_d, i) => {
      const nameStart = previous.nameStarts[i] ?? start;
      return nameStart < start ? extractedAgain(file, language, text, tree, query, nameStart, previous.exportNames) : undefined;
    },
    (definitions, nameStarts) => referencesOf(previous, edited, language, definitions, nameStarts, previous.imports),
  );
}

/**
 * The extraction after an edit inside the function body spanning rows `body` (of a tree given the edit: rows of the
 * new text), for the parsed and the unparsed path alike: definitions after the edit move, those before it stay, and
 * `reached` answers for each one the edit reaches (its index in `previous`). Undefined when `reached` cannot, when an
 * import lies in the body (it would have to be read again: Python, Rust) or when ids collide.
 */
function afterBodyEdit(
  previous: PositionedExtraction,
  edit: Edit,
  file: string,
  body: { readonly startRow: number; readonly endRow: number },
  reached: (d: Definition, index: number) => Definition | undefined,
  references: (definitions: readonly Definition[], nameStarts: Uint32Array) => References,
): PositionedExtraction | undefined {
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  const delta = newEnd - oldEnd;
  const lineDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  const editLine = edit.startPosition.row + 1;
  // The body's first row is before the edit (the same in both texts); its last row in the old text.
  if (previous.imports.some((i) => i.line >= body.startRow + 1 && i.line <= body.endRow + 1 - lineDelta)) return undefined;
  const definitions: Definition[] = [];
  for (let i = 0; i < previous.definitions.length; i++) {
    const d = previous.definitions[i] as Definition;
    if (d.startIndex >= oldEnd) definitions.push(moved(d, file, delta, lineDelta));
    else if (d.endIndex < start) definitions.push(d);
    else {
      const again = reached(d, i);
      if (!again) return undefined;
      definitions.push(again);
    }
  }
  if (!idsDistinct(definitions)) return undefined;
  const nameStarts = previous.nameStarts.map((n) => (n >= oldEnd ? n + delta : n));
  const imports = previous.imports.map((i): ImportEdge => (i.line > editLine ? { ...i, line: i.line + lineDelta } : i));
  const importStarts = previous.importStarts.map((n) => (n >= oldEnd ? n + delta : n));
  // (No name is exported from inside a function body.)
  const exportStarts = previous.exportStarts.map((n) => (n >= oldEnd ? n + delta : n));
  const { refs, refStarts, identifiers } = references(definitions, nameStarts);
  return { definitions, imports, identifiers, refs, nameStarts, refStarts, importStarts, exportNames: previous.exportNames, exportStarts };
}

/** An edit with the texts and trees before and after it. */
export interface EditedText {
  readonly oldText: string;
  /** The tree of `oldText`, given the edit (its offsets are those of the new text), that `tree` was parsed from. */
  readonly oldTree: Tree;
  readonly text: string;
  readonly tree: Tree;
  readonly edit: Edit;
}

/** An edit before any re-parse: the old text's tree given the edit (its offsets are those of the new text). */
export interface UnparsedEdit extends Omit<EditedText, 'tree'> {
  /** readSource's repairs the parser reads `text` with (repairedSlice: same length and lines), when there are any. */
  readonly repairs?: Int32Array;
  /**
   * Whether `oldTree`'s template literals are still those of `oldText`: it was parsed from that text, or no edit since
   * removed or inserted a character that can start, end or resume one (see TEMPLATE_CHARACTERS).
   */
  readonly templatesKnown: boolean;
}

/** Characters an edit must neither remove nor insert for the template literals around it to stay where they were (a backslash can escape a closing backtick). */
const TEMPLATE_CHARACTERS = /[`${}\\]/;

/** Whether an edit removed or inserted none of TEMPLATE_CHARACTERS. */
export function keepsTemplates(oldText: string, text: string, edit: Edit): boolean {
  return !TEMPLATE_CHARACTERS.test(oldText.slice(edit.startIndex, edit.oldEndIndex)) && !TEMPLATE_CHARACTERS.test(text.slice(edit.startIndex, edit.newEndIndex));
}

/**
 * The references after an edit: around it when referencesAroundEdit can tell them, else from the whole text. Around it
 * only when the namespace imports (`imports`: the file's after the edit) are those `previous` was collected with: the
 * members of one added, renamed or removed are recorded otherwise all over the file (collectReferences).
 */
function referencesOf(previous: PositionedExtraction, edited: EditedText, language: ParsedLanguage, definitions: readonly Definition[], nameStarts: Uint32Array, imports: readonly ImportEdge[]): References {
  const namespaces = namespaceNamesOf(imports, language);
  const around = sameNamespaces(previous, namespaces, language) ? referencesAroundEdit(previous, edited, language, definitions, nameStarts, namespaces) : undefined;
  return around ?? collectReferences(edited.text, language, definitions, nameStarts, true, namespaces);
}

/** Whether `previous`'s references were collected with the namespace imports `namespaces` (see referencesOf). */
function sameNamespaces(previous: PositionedExtraction, namespaces: Namespaces, language: ParsedLanguage): boolean {
  const before = namespaceNamesOf(previous.imports, language);
  if (before.size !== namespaces.size) return false;
  for (const [name, kind] of before) if (namespaces.get(name) !== kind) return false;
  return true;
}

/**
 * The references after an edit, lexing again only the text between the definition boundaries around it
 * (referencesAfterEdit), when the trees show the lexer is in code at those boundaries, before and after the
 * edit: both trees are free of syntax errors (tree-sitter may still read a string otherwise than the lexer, which
 * referencesAfterEdit checks at the window's bounds), no block comment is
 * left open at the end of either text (a `/*` without its end, which tree-sitter may read as a regular
 * expression where the lexer sees a comment to the end of the text; Python has no block comments), and for
 * template literals see outsideTemplatesOf. Undefined when that cannot be told.
 */
export function referencesAroundEdit(
  previous: PositionedExtraction,
  { oldText, oldTree, text, tree, edit }: EditedText,
  language: ParsedLanguage,
  definitions: readonly Definition[],
  nameStarts: ArrayLike<number>,
  namespaces?: Namespaces,
): References | undefined {
  if (tree.rootNode.hasError || oldTree.rootNode.hasError) return undefined;
  if (language !== 'python' && (blockCommentOpen(oldText) || blockCommentOpen(text))) return undefined;
  const backtickEdited = oldText.slice(edit.startIndex, edit.oldEndIndex).includes('`') || text.slice(edit.startIndex, edit.newEndIndex).includes('`');
  return referencesAfterEdit(previous, text, language, definitions, nameStarts, edit, backtickEdited ? undefined : outsideTemplatesOf(oldTree, tree, text, edit), namespaces);
}

/** Whether the last `/*` of a text has no `*\/` after it. */
function blockCommentOpen(text: string): boolean {
  const open = text.lastIndexOf('/*');
  return open >= 0 && text.indexOf('*/', open + 2) < 0;
}

/**
 * referencesAfterEdit's `outsideTemplates` for an edit that inserted and removed no backtick: whether offsets
 * `from` and `to` of the new text lie outside every template literal in both trees (the old one alone when the
 * new text is not parsed yet), and no backtick between them lies in a regular expression (where the lexer, which
 * tells a regex from a division by the token before, might take it for the start of a template). A regular
 * expression holds no line break: the trees are asked only about a backtick after a slash on its line, or on a line
 * the edit reaches (it may have broken a regular expression's line in the old tree, given the edit).
 */
export function outsideTemplatesOf(oldTree: Tree, tree: Tree | undefined, text: string, edit: Edit): (from: number, to: number) => boolean {
  return (from, to) => {
    if ((tree && (insideTemplate(tree, from) || insideTemplate(tree, to))) || insideTemplate(oldTree, from) || insideTemplate(oldTree, to)) return false;
    for (let i = text.indexOf('`', from); i >= 0 && i < to; i = text.indexOf('`', i + 1)) {
      const lineStart = text.lastIndexOf('\n', i) + 1;
      const slashBefore = text.lastIndexOf('/', i) >= lineStart;
      if (!slashBefore && (edit.newEndIndex < lineStart || edit.startIndex > i)) continue;
      if ((tree && insideRegex(tree, i)) || insideRegex(oldTree, i)) return false;
    }
    return true;
  };
}

/** Template literals (JavaScript family): their text is not code, their substitutions are. */
const TEMPLATE_TYPES: ReadonlySet<string> = new Set(['template_string', 'template_literal_type']);

/** Whether offset `index` lies strictly inside a template literal of `tree`. */
function insideTemplate(tree: Tree, index: number): boolean {
  return onPathTo(tree, index, (type, start, end) => TEMPLATE_TYPES.has(type) && start < index && index < end);
}

/** Whether offset `index` lies in a regular expression literal of `tree`. */
function insideRegex(tree: Tree, index: number): boolean {
  return onPathTo(tree, index, (type, start, end) => type === 'regex' && start <= index && index < end);
}

/**
 * Whether a node on the way down to offset `index` satisfies `test` (searched top-down, see hasSameNode). Through
 * Node.firstChildForIndex: web-tree-sitter 0.25.10's TreeCursor.gotoFirstChildForIndex reports failure for every
 * offset (and walking a cursor over siblings costs ~40 µs on a 100 KB file, against ~5 µs this way).
 */
function onPathTo(tree: Tree, index: number, test: (type: string, start: number, end: number) => boolean): boolean {
  for (let n: Node | null = tree.rootNode; n; n = n.firstChildForIndex(index)) {
    if (test(n.type, n.startIndex, n.endIndex)) return true;
  }
  return false;
}

/** The innermost container body (a class's …) in `chain` (see nodesAround) holding `start..end` strictly inside, else the root. */
function enclosingBlock(chain: readonly Node[], rules: LanguageRules, start: number, end: number): Node | undefined {
  for (let i = 0; i < chain.length - 1; i++) {
    const n = chain[i];
    const parent = chain[i + 1];
    if (!n || !parent || n.startIndex >= start || end >= n.endIndex || !rules.containerTypes.has(parent.type)) continue;
    if (parent.childForFieldName('body')?.id === n.id) return n;
  }
  return chain[chain.length - 1];
}

/**
 * The statements or members of `block` whose extraction an edit spanning `start..end` may change: those it
 * touches, the one before with the attributes above it, the one after (a comment may have become or stopped
 * being its doc comment) with the comments and attributes before it, and whatever shares a line with these
 * (definition ids hold lines).
 */
function affectedChildren(block: Node, rules: LanguageRules, start: number, end: number): { first: Node; last: Node } | undefined {
  let touched = block.firstNamedChildForIndex(start) ?? block.lastNamedChild;
  for (let p = touched?.previousNamedSibling; p && p.endIndex > start; p = touched?.previousNamedSibling) touched = p;
  let first = touched?.previousNamedSibling ?? touched;
  if (!first) return undefined;
  for (let p = first.previousNamedSibling; p && (p.endPosition.row >= first.startPosition.row || rules.attributeTypes.has(p.type)); p = first.previousNamedSibling) {
    first = p; // (a definition starts at the attributes above it)
  }
  let last = first;
  for (let n = last.nextNamedSibling; n && n.startIndex <= end; n = last.nextNamedSibling) last = n;
  last = last.nextNamedSibling ?? last;
  for (let n = last.nextNamedSibling; n; n = last.nextNamedSibling) {
    const sticky = rules.commentTypes.has(last.type) || rules.attributeTypes.has(last.type);
    if (!sticky && n.startPosition.row > last.endPosition.row) break;
    last = n;
  }
  return { first, last };
}

/**
 * How many items (by their offsets in the old text, in file order) lie before `from`, and where those at or
 * after `to` begin; undefined when the offsets are not in that order.
 */
function partition(starts: ArrayLike<number>, from: number, to: number): { before: number; after: number } | undefined {
  let before = 0;
  while (before < starts.length && (starts[before] ?? 0) < from) before++;
  let after = before;
  while (after < starts.length && (starts[after] ?? 0) < to) after++;
  for (let i = after; i < starts.length; i++) if ((starts[i] ?? 0) < to) return undefined;
  for (let i = before; i < after; i++) if ((starts[i] ?? 0) < from) return undefined;
  return { before, after };
}

/**
 * `previous`'s definitions and imports with those named in `from..oldTo` (offsets of the old text) replaced by
 * `region`'s (extracted from `from..to` of the new text, given previous.exportNames as exported elsewhere), those
 * after it moved by the edit, and those before it as `before` says (a definition reaching into the region is the
 * caller's case); so are the names exported apart from their declarations. Undefined when the result would not be
 * what a full extraction gives: definitions out of start order, two with one id, or another set of names exported
 * apart from their declarations (an `export { a }` edited at the end of a file changes the export of an `a` declared
 * at its start).
 */
function spliceDeclarations(
  previous: PositionedExtraction,
  region: Declarations,
  file: string,
  from: number,
  oldTo: number,
  delta: number,
  lineDelta: number,
  before: (d: Definition, nameStart: number | undefined) => Definition | undefined,
): Pick<PositionedExtraction, 'definitions' | 'nameStarts' | 'imports' | 'importStarts' | 'exportNames' | 'exportStarts'> | undefined {
  const defs = partition(previous.nameStarts, from, oldTo);
  const imps = partition(previous.importStarts, from, oldTo);
  const exps = partition(previous.exportStarts, from, oldTo);
  if (!defs || !imps || !exps) return undefined;
  const exportNames = [...previous.exportNames.slice(0, exps.before), ...region.exportNames, ...previous.exportNames.slice(exps.after)];
  if (!sameNameSet(exportNames, previous.exportNames)) return undefined;
  const definitions: Definition[] = [];
  for (let i = 0; i < defs.before; i++) {
    const d = previous.definitions[i];
    const kept = d && before(d, previous.nameStarts[i]);
    if (!kept) return undefined;
    definitions.push(kept);
  }
  // The full extraction orders definitions by where they start: those of the region must start inside it.
  if (region.definitions.some((d) => d.startIndex < from)) return undefined;
  definitions.push(...region.definitions);
  for (let i = defs.after; i < previous.definitions.length; i++) {
    const d = previous.definitions[i];
    // A definition named after the region but starting before its end (error recovery) is not simply moved.
    if (!d || d.startIndex < oldTo) return undefined;
    definitions.push(moved(d, file, delta, lineDelta));
  }
  if (!idsDistinct(definitions)) return undefined;
  const nameStarts = splicedOffsets(previous.nameStarts, defs, region.nameStarts, delta);
  const imports = [
    ...previous.imports.slice(0, imps.before),
    ...region.imports,
    ...previous.imports.slice(imps.after).map((i): ImportEdge => ({ ...i, line: i.line + lineDelta })),
  ];
  const importStarts = splicedOffsets(previous.importStarts, imps, region.importStarts, delta);
  const exportStarts = splicedOffsets(previous.exportStarts, exps, region.exportStarts, delta);
  return { definitions, nameStarts, imports, importStarts, exportNames, exportStarts };
}

/** Whether two lists hold the same names (as sets). */
function sameNameSet(a: readonly string[], b: readonly string[]): boolean {
  if (sameNames(a, b)) return true;
  const inA = new Set(a);
  const inB = new Set(b);
  return inA.size === inB.size && [...inA].every((n) => inB.has(n));
}

/**
 * `previous` offsets (of the old text) with those from `at.before` to `at.after` replaced by `region`'s and those after
 * moved by `delta`, written straight into the result (spreading typed arrays into a list goes through an iterator per
 * element: garbage and time in proportion to the file, on every keystroke).
 */
function splicedOffsets(previous: Uint32Array, at: { before: number; after: number }, region: ArrayLike<number>, delta: number): Uint32Array {
  const tail = previous.length - at.after;
  const out = new Uint32Array(at.before + region.length + tail);
  out.set(previous.subarray(0, at.before));
  for (let i = 0; i < region.length; i++) out[at.before + i] = region[i] ?? 0;
  const shift = at.before + region.length;
  for (let i = 0; i < tail; i++) out[shift + i] = (previous[at.after + i] ?? 0) + delta;
  return out;
}

/** An edit whose syntax changes stay in one block: the statements or members around it are extracted again. */
function extractionAfterBlockEdit(
  previous: PositionedExtraction,
  edited: EditedText,
  changed: readonly Range[],
  file: string,
  language: ParsedLanguage,
  query: Query,
): PositionedExtraction | undefined {
  const { oldTree, text, tree, edit } = edited;
  const rules = LANGUAGE_RULES[language];
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  let spanStart = start;
  let spanEnd = newEnd;
  for (const r of changed) {
    spanStart = Math.min(spanStart, r.startIndex);
    spanEnd = Math.max(spanEnd, r.endIndex);
  }
  const chain = nodesAround(tree, spanStart, spanEnd);
  const block = enclosingBlock(chain, rules, spanStart, spanEnd);
  if (!block) return undefined;
  if (block !== chain[chain.length - 1]) {
    // The block must be the same in the old tree (error recovery can make it swallow or release text), and
    // a class's docstring (Python) is its body's first statement.
    if (!hasSameNode(oldTree, block)) return undefined;
    if (rules.innerDoc && spanStart <= (block.firstNamedChild?.endIndex ?? Number.POSITIVE_INFINITY)) return undefined;
  }
  const affected = affectedChildren(block, rules, spanStart, spanEnd);
  const from = Math.min(spanStart, affected?.first.startIndex ?? spanStart);
  const to = Math.max(spanEnd, affected?.last.endIndex ?? spanEnd);
  const delta = newEnd - oldEnd;
  const oldTo = to - delta;
  const lineDelta = edit.newEndPosition.row - edit.oldEndPosition.row;

  const region = extractDeclarations(file, language, text, tree, query, { startIndex: from, endIndex: to }, previous.exportNames);
  // A definition starting before the block but reaching into it is a class around the block: extracted again.
  const spliced = spliceDeclarations(previous, region, file, from, oldTo, delta, lineDelta, (d, nameStart) =>
    d.endIndex <= from ? d : extractedAgain(file, language, text, tree, query, nameStart ?? from, previous.exportNames),
  );
  if (!spliced) return undefined;
  const { definitions, nameStarts } = spliced;
  const { refs, refStarts, identifiers } = referencesOf(previous, edited, language, definitions, nameStarts, spliced.imports);
  return { ...spliced, identifiers, refs, refStarts };
}

/**
 * The top-level statements whose extraction an edit spanning `start..end` (offsets of the new text) may change,
 * read from a tree given the edit: those it touches, the one before and the one after, the comments and
 * attributes before them (doc comments), and whatever shares a line with them (definition ids hold lines); `nodes`
 * are all of them, in order. The root's named children are read by index, only those around the edit (a binary
 * search for the first; no Node.parent or sibling walks on a tree given an edit). tree-sitter still steps through
 * the children to reach an index, but inside wasm: what this saves is a crossing into JS and a Node object per
 * top-level node, which cost ~0.2 ms per keystroke in a file of 500 top-level nodes.
 */
export function statementsAround(root: Node, rules: LanguageRules, start: number, end: number): { from: Node; to: Node; nodes: Node[] } | undefined {
  const count = root.namedChildCount;
  if (count === 0) return undefined;
  const read = new Map<number, Node | null>();
  const at = (i: number): Node | undefined => {
    if (i < 0 || i >= count) return undefined;
    let n = read.get(i);
    if (n === undefined) {
      n = root.namedChild(i);
      read.set(i, n);
    }
    return n ?? undefined;
  };
  // The first node ending at or after `start` (siblings' ends only grow), else the last.
  let lo = 0;
  let hi = count;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((at(mid)?.endIndex ?? Number.POSITIVE_INFINITY) >= start) hi = mid;
    else lo = mid + 1;
  }
  let first = Math.min(lo, count - 1);
  let last = first;
  while (last + 1 < count && (at(last + 1)?.startIndex ?? Number.POSITIVE_INFINITY) <= end) last++;
  first = Math.max(0, first - 1);
  last = Math.min(count - 1, last + 1);
  const sticky = (n: Node | undefined): boolean => n !== undefined && (rules.commentTypes.has(n.type) || rules.attributeTypes.has(n.type));
  for (let p = at(first - 1); p && (sticky(p) || p.endPosition.row >= (at(first)?.startPosition.row ?? 0)); p = at(first - 1)) first--;
  for (let n = at(last + 1); n && (sticky(at(last)) || n.startPosition.row <= (at(last)?.endPosition.row ?? 0)); n = at(last + 1)) last++;
  const nodes: Node[] = [];
  for (let i = first; i <= last; i++) {
    const n = at(i);
    if (!n) return undefined;
    nodes.push(n);
  }
  const from = nodes[0];
  const to = nodes[nodes.length - 1];
  return from && to ? { from, to, nodes } : undefined;
}

/**
 * The extraction of `text` after `edit`, for a document whose tree has syntax errors, without parsing the whole
 * text again (around syntax errors an incremental re-parse costs about as much as a fresh one: error recovery runs
 * again): the top-level statements around the edit are parsed alone (the parser reads only their text, and not the
 * insides of the function and class bodies there that the edit does not reach: see hollowBodies) and extracted, the
 * definitions and imports elsewhere are kept, moved by the edit; references are collected from the
 * text between the definitions around the edit (see interimReferences). Error recovery over the whole text may
 * read it otherwise: the caller parses the document from scratch later (settles it). Undefined when the statements around the edit cannot be told apart.
 * When those statements span more than `maxExactChars` (after a broken header, error recovery leaves top-level
 * fragments that share lines and chain through kilobytes), the lines between the statement starts around the edit
 * are parsed instead (see lineCut), if that gives distinct ids.
 * @param edited `oldTree` is the document's tree given `edit` (and any edits before it since that tree was parsed).
 * @param minHollowChars bodies at least this long that the edit does not reach are left out of the parse (hollowBodies);
 *   Infinity parses the statements whole.
 * @param maxExactChars statements around the edit spanning more are cut at lines (see above); Infinity never cuts.
 */
export function extractionAroundEdit(
  previous: PositionedExtraction,
  edited: UnparsedEdit,
  file: string,
  language: ParsedLanguage,
  parser: Parser,
  query: Query,
  minHollowChars = MIN_HOLLOW_CHARS,
  maxExactChars = MAX_EXACT_REGION_CHARS,
): PositionedExtraction | undefined {
  const rules = LANGUAGE_RULES[language];
  const { oldTree, edit } = edited;
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  const inBody = extractionAfterBodyEditUnparsed(previous, edited, file, language);
  if (inBody) return inBody;
  const around = statementsAround(oldTree.rootNode, rules, start, newEnd);
  if (!around) return undefined;
  const from = Math.min(start, around.from.startIndex);
  const to = Math.max(newEnd, around.to.endIndex);
  const region = {
    startIndex: from,
    endIndex: to,
    startPosition: from === around.from.startIndex ? around.from.startPosition : edit.startPosition,
    endPosition: to === around.to.endIndex ? around.to.endPosition : edit.newEndPosition,
  };
  const parse = { edited, file, language, parser, query, minHollowChars, tops: around.nodes };
  if (to - from > maxExactChars) {
    const cut = lineCut(oldTree.rootNode, edited.text, edit, from, to);
    const delta = newEnd - oldEnd;
    const lineDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
    // A definition named before the cut that reaches into it (error recovery) is kept, grown when it spans the edit.
    const interim = cut && regionExtraction(previous, parse, cut, (d) => (d.endIndex <= start ? d : d.endIndex >= oldEnd ? grown(d, file, delta, lineDelta) : undefined));
    if (interim) return interim;
  }
  return regionExtraction(previous, parse, region, (d) => (d.endIndex <= from ? d : undefined));
}

/** Statements around an edit spanning more than this many characters are cut at lines (see extractionAroundEdit). */
const MAX_EXACT_REGION_CHARS = 2048;

/** What regionExtraction parses: an edit's texts, the grammar, and the top-level statements of the old tree around it. */
interface RegionParse {
  readonly edited: UnparsedEdit;
  readonly file: string;
  readonly language: ParsedLanguage;
  readonly parser: Parser;
  readonly query: Query;
  readonly minHollowChars: number;
  /** The old tree's top-level statements holding the region (statementsAround's nodes). */
  readonly tops: readonly Node[];
}

/**
 * extractionAroundEdit's extraction with `region` (offsets of the new text, holding the edit) parsed alone and
 * spliced into `previous` (spliceDeclarations, with `before`); undefined when that cannot be done.
 */
function regionExtraction(
  previous: PositionedExtraction,
  { edited, file, language, parser, query, minHollowChars, tops }: RegionParse,
  region: Range,
  before: (d: Definition) => Definition | undefined,
): PositionedExtraction | undefined {
  const { text, edit } = edited;
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  const { startIndex: from, endIndex: to } = region;
  const reaching = tops.filter((n) => n.endIndex > from && n.startIndex < to);
  const hollows = hollowBodies(reaching, LANGUAGE_RULES[language], text, from, to, start, newEnd, minHollowChars);
  // The parser reads only the region (given the whole text, web-tree-sitter copies up to 5,000 characters from where
  // it starts reading into wasm memory, most of them past the region), in short pieces as a re-parse does.
  const parsed = parseOrReset(parser, textReader(text, to, edited.repairs), null, { includedRanges: rangesBetween(region, hollows) });
  if (!parsed) return undefined;
  const delta = newEnd - oldEnd;
  const oldTo = to - delta;
  const lineDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  let declarations: Declarations;
  try {
    declarations = extractDeclarations(file, language, text, parsed, query, { startIndex: from, endIndex: to }, previous.exportNames);
  } finally {
    parsed.delete();
  }
  if (hollows.length > 0) {
    const whole = withHollowed(declarations, previous, hollows, file, start, delta, lineDelta);
    if (!whole) return undefined;
    declarations = whole;
  }
  const spliced = spliceDeclarations(previous, declarations, file, from, oldTo, delta, lineDelta, before);
  if (!spliced) return undefined;
  const { definitions, nameStarts } = spliced;
  const { refs, refStarts, identifiers } = interimReferences(previous, edited, language, definitions, nameStarts, spliced.imports);
  return { ...spliced, identifiers, refs, refStarts };
}

/**
 * Whole lines around an edit spanning `start..end` of `text`, within `from..to`: from the last line at or before the
 * edit's start that starts a statement to the first one after the edit's end that does, where a statement starts
 * at a line's first column after a blank line (not with a closing bracket) — how formatted code separates top-level
 * statements, whatever error recovery made of them. No definition outside these lines shares one with a definition
 * inside (ids hold lines). Undefined when there are no such lines inside `from..to`, or they span more than half of it.
 */
function lineCut(root: Node, text: string, edit: Edit, from: number, to: number): Range | undefined {
  const { startIndex: start, newEndIndex: end } = edit;
  // A line that starts a statement in the text, and a token in the tree given the edit: not a line of a template
  // literal, a multi-line string or a block comment that happens to start at the first column.
  const cutsAt = (at: number): boolean => startsStatement(text, at) && root.descendantForIndex(at)?.startIndex === at;
  let cutFrom = start === 0 ? 0 : text.lastIndexOf('\n', start - 1) + 1;
  while (cutFrom > from && !cutsAt(cutFrom)) cutFrom = cutFrom >= 2 ? text.lastIndexOf('\n', cutFrom - 2) + 1 : 0;
  if (cutFrom <= from) return undefined;
  let cutTo = end > 0 && text.charCodeAt(end - 1) === 0x0a ? end : text.indexOf('\n', end) + 1;
  while (cutTo > 0 && cutTo < to && (cutTo <= cutFrom || !cutsAt(cutTo))) cutTo = text.indexOf('\n', cutTo) + 1;
  if (cutTo <= 0 || cutTo >= to || 2 * (cutTo - cutFrom) > to - from) return undefined;
  return {
    startIndex: cutFrom,
    endIndex: cutTo,
    startPosition: { row: edit.startPosition.row - newlinesBetween(text, cutFrom, start), column: 0 },
    endPosition: { row: edit.newEndPosition.row + newlinesBetween(text, end, cutTo), column: 0 },
  };
}

/** How many line feeds `text` has in `from..to`. */
function newlinesBetween(text: string, from: number, to: number): number {
  let count = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) count++;
  return count;
}

/**
 * Whether the line starting at `at` starts a statement (see lineCut): it starts with a word, a comment, a decorator
 * or an attribute, and the line before is blank or not one of a comment, a decorator or an attribute (which belong
 * to the statement after them).
 */
function startsStatement(text: string, at: number): boolean {
  if (!STATEMENT_FIRST.test(text.charAt(at))) return false;
  if (at === 0) return true;
  const before = text.slice(text.lastIndexOf('\n', at - 2) + 1, at - 1).trimStart();
  return before.trimEnd() === '' || !STICKY_LINE.test(before);
}

/** The first character of a line starting a statement (see startsStatement). */
const STATEMENT_FIRST = /[\p{L}_$@#/]/u;

/** The start of a line that belongs to the statement after it: a comment, a decorator, an attribute. */
const STICKY_LINE = /^(?:\/[/*]|\*|#|@)/;

/** Bodies shorter than this are parsed with the statements around an edit rather than left out (see hollowBodies). */
const MIN_HOLLOW_CHARS = 128;

/**
 * The insides of the function and class-like bodies in `from..to` (offsets of the new text) that the edit spanning
 * `start..end` does not reach, and of any other block between braces inside a function body (the edited one
 * included), read top-down with a cursor from a tree given the edit, in text order: the parse of the statements
 * around an edit leaves them out (it reads `{}` there). What a function body declares is local (never extracted);
 * a class body is left out only in a top-level statement the edit does not reach (an edited header can change its
 * members' container and export), and its definitions are the previous extraction's (withHollowed). Only spans
 * between braces in the new text, at least `minChars` long.
 * @param tops the top-level statements spanning `from..to` (statementsAround's nodes: the root's other children lie
 *   outside it), each walked with a cursor of its own.
 */
export function hollowBodies(tops: readonly Node[], rules: LanguageRules, text: string, from: number, to: number, start: number, end: number, minChars: number): Range[] {
  const hollows: Range[] = [];
  for (const top of tops) hollowBodiesIn(top, rules, text, from, to, start, end, minChars, hollows);
  return hollows;
}

/** hollowBodies in one top-level statement, added to `hollows`. */
function hollowBodiesIn(top: Node, rules: LanguageRules, text: string, from: number, to: number, start: number, end: number, minChars: number, hollows: Range[]): void {
  const cursor = top.walk();
  // The types of the nodes above the cursor, and whether each is inside a function body (or is one); the root
  // counts as no type (it is no function, container or string).
  const parentTypes: string[] = [''];
  const inFunction: boolean[] = [false];
  // Whether the top-level statement being walked is out of the edit's reach (a class header edit changes its members).
  let topApart = false;
  try {
    // Pre-order over the nodes of from..to worth looking into (the cursor cannot leave `top`).
    let descend = true;
    while (descend) {
      const nodeStart = cursor.startIndex;
      const nodeEnd = cursor.endIndex;
      const parentType = parentTypes[parentTypes.length - 1] ?? '';
      const insideFunction = inFunction[inFunction.length - 1] === true;
      let functionBody = false;
      let enter = false;
      if (parentTypes.length === 1) topApart = nodeEnd < start || nodeStart > end;
      if (nodeEnd > from && nodeStart < to && nodeEnd - nodeStart >= minChars) {
        // (The field name is read only here: each read crosses into wasm and makes a string, and most nodes walked
        // are small siblings.)
        const isBody = cursor.currentFieldName === 'body';
        functionBody = isBody && rules.functionTypes.has(parentType);
        const body = functionBody || (topApart && isBody && rules.containerTypes.has(parentType));
        const apart = nodeEnd < start || nodeStart > end;
        // (Not an interpolation in a string, as in Python's f-strings: `{}` is no valid one.)
        const braced = text.charCodeAt(nodeStart) === 0x7b && text.charCodeAt(nodeEnd - 1) === 0x7d && !parentType.includes('string');
        // (Not a body that may hold an import() or require() call: dynamicImports reads them from the tree.)
        if ((body || insideFunction) && apart && braced && nodeStart >= from && nodeEnd <= to && !(rules.dynamicImports && mayHoldDynamicImport(text, nodeStart, nodeEnd))) {
          const { row: startRow, column: startColumn } = cursor.startPosition;
          const { row: endRow, column: endColumn } = cursor.endPosition;
          hollows.push({
            startIndex: nodeStart + 1,
            endIndex: nodeEnd - 1,
            startPosition: { row: startRow, column: startColumn + 1 },
            endPosition: { row: endRow, column: endColumn - 1 },
          });
        } else enter = true;
      }
      if (enter) {
        const type = cursor.nodeType;
        if (cursor.gotoFirstChild()) {
          parentTypes.push(type);
          inFunction.push(functionBody || insideFunction);
          continue;
        }
      }
      // Next sibling, else up until one has a next sibling.
      while (!(descend = cursor.gotoNextSibling())) {
        if (parentTypes.length <= 1 || !cursor.gotoParent()) {
          descend = false;
          break;
        }
        parentTypes.pop();
        inFunction.pop();
      }
    }
  } finally {
    cursor.delete();
  }
}

/** `whole` without the `holes` inside it (in text order): the ranges a parse reads. */
function rangesBetween(whole: Range, holes: readonly Range[]): Range[] {
  const ranges: Range[] = [];
  let startIndex = whole.startIndex;
  let startPosition = whole.startPosition;
  for (const h of holes) {
    ranges.push({ startIndex, endIndex: h.startIndex, startPosition, endPosition: h.startPosition });
    startIndex = h.endIndex;
    startPosition = h.endPosition;
  }
  ranges.push({ startIndex, endIndex: whole.endIndex, startPosition, endPosition: whole.endPosition });
  return ranges;
}

/**
 * The declarations of a region parsed without the insides of `hollows` (hollowBodies), with the definitions the
 * previous extraction has there added back: moved when after the edit (`start`, `delta` characters, `lineDelta`
 * lines), in the order of their starts. Undefined when an import starts in one or one of its lines holds an import
 * (a Rust function body can hold a `use`, and a long `use a::{…}` list reads as a block; the caller then parses the
 * whole text).
 */
function withHollowed(region: Declarations, previous: PositionedExtraction, hollows: readonly Range[], file: string, start: number, delta: number, lineDelta: number): Declarations | undefined {
  const defs: { d: Definition; nameStart: number }[] = region.definitions.map((d, i) => ({ d, nameStart: region.nameStarts[i] ?? d.startIndex }));
  for (const h of hollows) {
    const after = h.startIndex >= start;
    // The hollow's bounds in the old text.
    const oldFrom = after ? h.startIndex - delta : h.startIndex;
    const oldTo = after ? h.endIndex - delta : h.endIndex;
    if (previous.importStarts.some((at) => at >= oldFrom && at < oldTo) || previous.exportStarts.some((at) => at >= oldFrom && at < oldTo)) return undefined;
    const rowShift = after ? lineDelta : 0;
    if (previous.imports.some((i) => i.line - 1 >= h.startPosition.row - rowShift && i.line - 1 <= h.endPosition.row - rowShift)) return undefined;
    previous.definitions.forEach((d, k) => {
      const nameStart = previous.nameStarts[k] ?? -1;
      if (nameStart >= oldFrom && nameStart < oldTo) defs.push(after ? { d: moved(d, file, delta, lineDelta), nameStart: nameStart + delta } : { d, nameStart });
    });
  }
  defs.sort((a, b) => a.d.startIndex - b.d.startIndex);
  return { ...region, definitions: defs.map((x) => x.d), nameStarts: defs.map((x) => x.nameStart) };
}

/** Where a function body lies: rows and character offsets. */
interface FunctionBodySpan {
  readonly startRow: number;
  readonly endRow: number;
  readonly startIndex: number;
  readonly endIndex: number;
}

/**
 * The body of the innermost function holding `start..end` strictly inside, read top-down from a tree
 * given the edit (its rows are those of the new text); undefined when there is none, or when an error node lies on
 * the way to it (error recovery may not keep the body as it is).
 */
function functionBodyAround(tree: Tree, rules: LanguageRules, start: number, end: number): FunctionBodySpan | undefined {
  let body: FunctionBodySpan | undefined;
  // Down through Node.firstChildForIndex (see onPathTo).
  for (let n: Node = tree.rootNode, parent: Node | undefined; ; ) {
    if (n.type === 'ERROR' || n.isMissing) return undefined;
    if (n.startIndex < start && end < n.endIndex && parent && rules.functionTypes.has(parent.type) && parent.childForFieldName('body')?.id === n.id) {
      body = { startRow: n.startPosition.row, endRow: n.endPosition.row, startIndex: n.startIndex, endIndex: n.endIndex };
    }
    const child = n.firstChildForIndex(start);
    if (!child || child.startIndex > start || child.endIndex < end) return body;
    parent = n;
    n = child;
  }
}

/**
 * extractionAroundEdit for an edit inside a function body (what typing mostly is) of a tree with syntax errors,
 * without parsing: what a function body declares is local, so the definitions after the edit only move and
 * those around it only grow or shrink (references: see interimReferences). Undefined when the edit may
 * touch an import, a Python docstring, or a definition's start.
 */
function extractionAfterBodyEditUnparsed(previous: PositionedExtraction, edited: UnparsedEdit, file: string, language: ParsedLanguage): PositionedExtraction | undefined {
  const rules = LANGUAGE_RULES[language];
  const { oldTree, text, edit } = edited;
  if (rules.innerDoc) return undefined;
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  if (IMPORT_WORDS.test(text.slice(start, newEnd))) return undefined;
  const body = functionBodyAround(oldTree, rules, start, newEnd);
  if (!body) return undefined;
  if (rules.dynamicImports && mayHoldDynamicImport(text, body.startIndex, body.endIndex)) return undefined;
  const delta = newEnd - oldEnd;
  const lineDelta = edit.newEndPosition.row - edit.oldEndPosition.row;
  return afterBodyEdit(
    previous,
    edit,
    file,
    body,
    (d) => (d.startIndex < start && d.endIndex >= oldEnd ? grown(d, file, delta, lineDelta) : undefined),
    (definitions, nameStarts) => interimReferences(previous, edited, language, definitions, nameStarts, previous.imports),
  );
}

/**
 * The references after an edit of a document whose tree has syntax errors, until it settles: lexed again only
 * between the definition boundaries around the edit (referencesAfterEdit) when no block comment is left open in
 * either text, and either no backtick lies in that window or the tree (given the edit) shows its bounds outside
 * template literals as outsideTemplatesOf does, the edit and those before it since the tree was parsed having
 * moved none (referencesAfterEdit itself declines when the lexer is not in code at the window's bounds, whatever
 * error recovery read there); else from the whole text.
 */
function interimReferences(
  previous: PositionedExtraction,
  { oldText, oldTree, text, edit, templatesKnown }: UnparsedEdit,
  language: ParsedLanguage,
  definitions: readonly Definition[],
  nameStarts: ArrayLike<number>,
  imports: readonly ImportEdge[],
): References {
  const outsideTemplates = templatesKnown && keepsTemplates(oldText, text, edit) ? outsideTemplatesOf(oldTree, undefined, text, edit) : undefined;
  // (Around the edit only with the namespace imports `previous` was collected with: see referencesOf.)
  const namespaces = namespaceNamesOf(imports, language);
  const windowed =
    sameNamespaces(previous, namespaces, language) && (language === 'python' || (!blockCommentOpen(oldText) && !blockCommentOpen(text)))
      ? referencesAfterEdit(previous, text, language, definitions, nameStarts, edit, outsideTemplates, namespaces)
      : undefined;
  return windowed ?? collectReferences(text, language, definitions, nameStarts, true, namespaces);
}
