// Reads import statements captured by the `@import…` query patterns into ImportEdges (unresolved: the
// workspace index resolves specifiers to files, because that needs the whole file list).
import type { Node } from 'web-tree-sitter';
import type { ParsedLanguage } from './languages';
import { DEFAULT_EXPORT, localNameEntry, OWN_EXPORTS_SOURCE, SIDE_EFFECT_IMPORT, type ImportEdge } from './model';

type Edge = { source: string; names: readonly string[]; line: number };
type RustEdge = { source: string; names: string[]; line: number };

const lineOf = (node: Node): number => node.startPosition.row + 1;

function stringContent(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const text = node.text;
  return text.length >= 2 && /^["'`]/.test(text) ? text.slice(1, -1) : text;
}

function jsImport(node: Node, capture: string): Edge[] {
  if (capture === 'import.own') return ownRenamedExports(node);
  if (capture === 'import.require') {
    const source = stringContent(node);
    if (!source) return [];
    // `const { a, b } = require('x')` imports a and b; `const { a: b } = require('x')`, a as b.
    const declarator = node.parent?.parent?.parent;
    const pattern = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
    const names =
      pattern?.type === 'object_pattern'
        ? pattern.namedChildren.flatMap((p) => {
            if (p?.type === 'shorthand_property_identifier_pattern') return [p.text];
            const key = p?.type === 'pair_pattern' ? p.childForFieldName('key')?.text : undefined;
            return key ? [key, ...renamedTo(key, p?.childForFieldName('value'))] : [];
          })
        : [];
    // `require('./polyfill');` as a statement of its own runs the module and keeps nothing of it.
    const call = node.parent?.parent;
    const statement = call?.type === 'call_expression' && call.parent?.type === 'expression_statement';
    return [{ source, names: statement ? SIDE_EFFECT_IMPORT : names, line: lineOf(node) }];
  }
  const source = stringContent(node.childForFieldName('source'));
  if (source === undefined) return [];
  // `import './polyfill'` (no clause: not `export * from`) runs the module and names nothing of it.
  if (node.type === 'import_statement' && !node.namedChildren.some((c) => c?.type === 'import_clause')) return [{ source, names: SIDE_EFFECT_IMPORT, line: lineOf(node) }];
  const names: string[] = [];
  // (`import {} from './x'`, `export {} from './x'`: a list of names that is empty names nothing, as no clause does.)
  let namesList = false;
  let namespace: string | undefined;
  for (const child of node.namedChildren) {
    if (child?.type === 'import_clause') {
      for (const part of child.namedChildren) {
        // (A default import brings the default export under a name of the importer's choosing: see DEFAULT_EXPORT.)
        if (part?.type === 'identifier') names.push(DEFAULT_EXPORT, localNameEntry(part.text), part.text);
        else if (part?.type === 'namespace_import') namespace = part.namedChildren.find((c) => c?.type === 'identifier')?.text;
        else if (part?.type === 'named_imports') {
          namesList = true;
          collectSpecifiers(part, 'import_specifier', names);
        }
      }
    } else if (child?.type === 'export_clause') {
      namesList = true;
      collectSpecifiers(child, 'export_specifier', names);
    } else if (child?.type === 'namespace_export') {
      // `export * as ns from './x'` passes on one name, the module as a whole, not each of its names as `export *`
      // does: read as `import * as ns` is (its members, `ns.x`, are no names of the file's).
      namespace = child.namedChildren.find((c) => c?.type === 'identifier')?.text;
    }
  }
  const line = lineOf(node);
  const edge = { source, names: namesList && names.length === 0 ? SIDE_EFFECT_IMPORT : names, line };
  if (namespace === undefined) return [edge];
  // `import * as Option from './Option.js'`: the whole module, and right after it its local name (namespaceNameOf; the
  // ranking index's mayReexport reads the two as one). `import D, * as M from './m'`: the default import's edge first.
  const namespaceEdge = { source, names: [localNameEntry(namespace)], line };
  return names.length === 0 ? [edge, namespaceEdge] : [edge, { source, names: [], line }, namespaceEdge];
}

/**
 * A module's exports of its own names under others, `export { void_ as void, async_ as async }` (no `from`), at the
 * file's top level: one edge of OWN_EXPORTS_SOURCE, each local name followed by its exported name (localNameEntry), or
 * none when the list renames nothing. (`export { a }` exports `a` under its own name; `export { a as default }` is
 * Definition.exportedAsDefault; a string, `a as "b-c"`, names nothing an importer's code can use as a name.)
 */
function ownRenamedExports(node: Node): Edge[] {
  if (node.parent?.type !== 'program') return [];
  const names: string[] = [];
  for (const list of node.namedChildren) {
    if (list?.type !== 'export_clause') continue;
    for (const spec of list.namedChildren) {
      const name = spec?.type === 'export_specifier' ? spec.childForFieldName('name') : null;
      const alias = spec?.childForFieldName('alias');
      if (name?.type !== 'identifier' || alias?.type !== 'identifier' || alias.text === DEFAULT_EXPORT) continue;
      names.push(name.text, ...renamedTo(name.text, alias));
    }
  }
  return names.length === 0 ? [] : [{ source: OWN_EXPORTS_SOURCE, names, line: lineOf(node) }];
}

/**
 * The names of an import's or a re-export's list, each followed by the name the file gives it when another: an
 * import's local name (`import { cartTotal as total }`), or the name a re-export passes it on as (`export { a as b }
 * from`, `export { default as Button } from`), which its importers ask for — both as localNameEntry.
 */
function collectSpecifiers(list: Node, type: string, into: string[]): void {
  for (const spec of list.namedChildren) {
    const name = spec?.type === type ? spec.childForFieldName('name')?.text : undefined;
    if (!name) continue;
    into.push(name);
    const alias = spec?.childForFieldName('alias');
    // (`export { api as "default" } from`: a string names the export as well.)
    if (type === 'export_specifier' && alias?.type === 'string') {
      const exported = stringContent(alias);
      if (exported && exported !== name) into.push(localNameEntry(exported));
    } else into.push(...renamedTo(name, alias));
  }
}

/** The local name an import gives `name` (localNameEntry), when `local` is a name other than it: none or one entry. */
function renamedTo(name: string, local: Node | null | undefined): string[] {
  return local && local.type === 'identifier' && local.text !== name ? [localNameEntry(local.text)] : [];
}

function pythonImport(node: Node): Edge[] {
  const line = lineOf(node);
  const dotted = (n: Node | null): string | undefined => (n?.type === 'aliased_import' ? n.childForFieldName('name')?.text : n?.text);
  if (node.type === 'import_statement') {
    return node.childrenForFieldName('name').flatMap((n) => {
      const source = dotted(n);
      if (!source) return [];
      // `import cart`, `import cart as c`, `import shop.cart as c`: the whole module, and the name its code reaches it
      // by (see namespaceNameOf), whose members (`c.total`) are the module's. `import shop.cart` binds `shop`, and its
      // code reaches the module as `shop.cart`: a dotted namespace, whose members follow the whole chain
      // (`shop.cart.total`; symbolExtractor's namespaceBefore). (`from shop import cart` is none: `cart` may as well be
      // a class or function there, whose members are its own, `User.create`.)
      const alias = n?.type === 'aliased_import' ? n.childForFieldName('alias')?.text : undefined;
      return [{ source, names: [], line }, { source, names: [localNameEntry(alias ?? source)], line }];
    });
  }
  const source = node.childForFieldName('module_name')?.text;
  if (!source) return [];
  // (`from cart import cart_total as total`: cart_total, then its local name.)
  const names = node.childrenForFieldName('name').flatMap((n) => {
    const name = dotted(n);
    return name ? [name, ...(n?.type === 'aliased_import' ? renamedTo(name, n.childForFieldName('alias')) : [])] : [];
  });
  return [{ source, names, line }];
}

/** Go's keywords, which no package is named (a path segment of one names no package's name either). */
const GO_KEYWORDS = new Set([
  'break', 'case', 'chan', 'const', 'continue', 'default', 'defer', 'else', 'fallthrough', 'for', 'func', 'go', 'goto', 'if',
  'import', 'interface', 'map', 'package', 'range', 'return', 'select', 'struct', 'switch', 'type', 'var',
]);

/**
 * The name a Go import path's package goes by where it is imported without one (`user.New` of
 * "example.com/shop/internal/user"), as goimports assumes it: the path's last segment, past a major version's
 * (`github.com/x/y/v2` → y) and without gopkg.in's version (`gopkg.in/yaml.v3` → yaml). The real name is the package
 * clause of the package's files, which extraction (one file at a time) cannot see: where it differs, the uses of the
 * package's members are recorded by name as before. Undefined when the segment is no Go identifier (`go-redis`: its
 * package is named otherwise, and there is no telling how) — and ASCII only, as the references' namespaces are.
 */
function goPackageName(source: string): string | undefined {
  const segments = source.split('/').filter(Boolean);
  let last = segments[segments.length - 1];
  if (last !== undefined && segments.length > 1 && /^v[0-9]+$/.test(last)) last = segments[segments.length - 2];
  const name = last?.replace(/\.v[0-9]+$/, '');
  return name !== undefined && /^[A-Za-z_][A-Za-z0-9_]*$/.test(name) && name !== '_' && !GO_KEYWORDS.has(name) ? name : undefined;
}

function goImport(node: Node): Edge[] {
  const source = stringContent(node.childForFieldName('path'));
  if (!source) return [];
  const line = lineOf(node);
  const name = node.childForFieldName('name');
  // `import _ "x"` runs the package's init and names nothing of it.
  if (name?.type === 'blank_identifier') return [{ source, names: SIDE_EFFECT_IMPORT, line }];
  // `import . "x"` brings the package's names into the file's scope, used unqualified: the whole package, no namespace.
  if (name?.type === 'dot') return [{ source, names: [], line }];
  // Otherwise the package is a namespace (`user.New`, `u.New` of `import u "…/user"`): the whole package, and the
  // namespace's local name (namespaceNameOf), as a JS/TS `import * as` is.
  const namespace = name?.type === 'package_identifier' ? name.text : goPackageName(source);
  const edge = { source, names: [], line };
  return namespace === undefined ? [edge] : [edge, { source, names: [localNameEntry(namespace)], line }];
}

/** `use a::b::{c, d::e as f, g::*}` → a::b [c], a::b::d [e, `as f`: localNameEntry], a::b::g []. */
function rustUse(node: Node, prefix: string, line: number, out: Map<string, RustEdge>): void {
  const join = (a: string, b: string): string => (a ? `${a}::${b}` : b);
  const add = (source: string, name?: string): void => {
    let edge = out.get(source);
    if (!edge) out.set(source, (edge = { source, names: [], line }));
    if (name) edge.names.push(name);
  };
  switch (node.type) {
    case 'scoped_identifier': {
      const path = node.childForFieldName('path')?.text;
      const name = node.childForFieldName('name')?.text;
      if (name) add(path ? join(prefix, path) : prefix || name, path || prefix ? name : undefined);
      return;
    }
    case 'identifier':
    case 'crate':
    case 'self':
    case 'super':
      if (prefix) add(prefix, node.text);
      else add(node.text);
      return;
    case 'use_as_clause': {
      const path = node.childForFieldName('path');
      if (!path) return;
      const before = new Map([...out].map(([source, edge]) => [source, edge.names.length]));
      rustUse(path, prefix, line, out);
      // `cart_total as total`: the name the path added, then its local name. (A crate or module renamed whole, `use
      // crate::cart as c`, `self as files`, has none: its uses name what they use, `c::cart_total`.)
      for (const [source, edge] of out) {
        const name = edge.names.length > (before.get(source) ?? 0) ? edge.names[edge.names.length - 1] : undefined;
        if (name !== undefined && name !== 'self') edge.names.push(...renamedTo(name, node.childForFieldName('alias')));
      }
      return;
    }
    case 'use_wildcard': {
      const path = node.namedChildren[0];
      if (path) add(join(prefix, path.text));
      else if (prefix) add(prefix);
      return;
    }
    case 'scoped_use_list': {
      const path = node.childForFieldName('path')?.text;
      const list = node.childForFieldName('list');
      const base = path ? join(prefix, path) : prefix;
      if (list) for (const item of list.namedChildren) if (item) rustUse(item, base, line, out);
      return;
    }
    case 'use_list':
      for (const item of node.namedChildren) if (item) rustUse(item, prefix, line, out);
      return;
    default:
      return;
  }
}

/** The names of the inline modules (`mod a { … }`) a node is written in, the outermost first. */
function inlineModules(node: Node): string[] {
  const names: string[] = [];
  for (let n = node.parent; n; n = n.parent) {
    const item = n.type === 'declaration_list' ? n.parent : null;
    const name = item?.type === 'mod_item' ? item.childForFieldName('name')?.text : undefined;
    if (name) names.unshift(name);
  }
  return names;
}

/**
 * A `self::` or `super::` path written in the inline modules `modules` as a path from the file's own module: their
 * names prefixed, each `super` first stepping out of one of them (`use super::*` in `mod tests { }` is the file itself:
 * `self`; `mod inner;` in `mod outer { }` is `self::outer::inner`). `crate::` paths start at the crate's root anyway;
 * a bare path is left as written (an external crate, or a name the module has in scope, often by a glob import of its
 * parent's: the resolver looks for it among the file's child modules).
 */
function fromFileModule(source: string, modules: readonly string[]): string {
  const segments = source.split('::');
  if (modules.length === 0 || (segments[0] !== 'self' && segments[0] !== 'super')) return source;
  const path = [...modules];
  let up = 0;
  let i = 0;
  for (; segments[i] === 'self' || segments[i] === 'super'; i++) {
    if (segments[i] !== 'super') continue;
    if (path.length > 0) path.pop();
    else up++;
  }
  const head = up > 0 ? new Array<string>(up).fill('super') : ['self'];
  return [...head, ...path, ...segments.slice(i)].join('::');
}

function rustImport(node: Node, capture: string): Edge[] {
  const line = lineOf(node);
  const modules = inlineModules(node);
  if (capture === 'import.mod') {
    const name = node.childForFieldName('name')?.text;
    return name ? [{ source: fromFileModule(`self::${name}`, modules), names: [], line }] : [];
  }
  const argument = node.childForFieldName('argument');
  if (!argument) return [];
  const out = new Map<string, RustEdge>();
  rustUse(argument, '', line, out);
  // (`self` in a group is the path's module as a whole, `use a::{self, Conn}`: the resolver reads it so; alone, `use
  // a::{self}`, it is a whole-module import, no names.)
  return [...out.values()].map((e) => ({ ...e, names: e.names.length === 1 && e.names[0] === 'self' ? [] : e.names, source: fromFileModule(e.source, modules) }));
}

function javaImport(node: Node): Edge[] {
  const path = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
  if (!path) return [];
  const wildcard = node.namedChildren.some((c) => c?.type === 'asterisk');
  const source = path.text;
  const names = wildcard ? [] : [source.slice(source.lastIndexOf('.') + 1)];
  return [{ source: wildcard ? `${source}.*` : source, names, line: lineOf(node) }];
}

/** ImportEdges (unresolved: without `resolved` or `targets`) for one captured import node. */
export function readImport(language: ParsedLanguage, node: Node, capture: string): ImportEdge[] {
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return jsImport(node, capture);
    case 'python':
      return pythonImport(node);
    case 'go':
      return goImport(node);
    case 'rust':
      return rustImport(node, capture);
    case 'java':
      return javaImport(node);
  }
}

/** A call of `import` or `require` with a literal specifier (see dynamicImports). */
export interface DynamicImport {
  /** Offset of the specifier's opening quote: where the query's `import.require` capture of the same call starts. */
  readonly index: number;
  readonly source: string;
  /** 1-based line of the specifier. */
  readonly line: number;
}

/** `import` or `require` as a whole word, then a parenthesis: where a call may be (in code, or in a comment or string). */
const CALL_START = /\b(?:import|require)\s*\(/g;
const ANY_CALL_START = /\b(?:import|require)\s*\(/;

/**
 * Whether text[from, to) may hold a call dynamicImports reads: a function body without one may be left out of a parse
 * (functionBodies.ts, documentUpdate.ts's hollows), and an edit inside a body without one, before and after it,
 * changes no import.
 */
export function mayHoldDynamicImport(text: string, from: number, to: number): boolean {
  return ANY_CALL_START.test(from === 0 && to === text.length ? text : text.slice(from, to));
}

/** The first argument of a call's argument list, comments passed over (`import(/* webpackChunkName: "x" *\/ './x')`). */
function firstArgument(args: Node | null): Node | null {
  if (!args) return null;
  for (let i = 0; i < args.namedChildCount; i++) {
    const child = args.namedChild(i);
    if (child?.type !== 'comment') return child;
  }
  return null;
}

/**
 * The literal specifier node of the call whose `import` / `require` word starts at `start`, as the tree reads the text
 * there — not a word in a comment, a string, a regular expression or JSX text, nor a member (`x.require(`), a spread's
 * operand passes — or null.
 */
function calledLiteral(root: Node, start: number): Node | null {
  let word: Node | null = root.descendantForIndex(start);
  if (!word || word.startIndex !== start) return null;
  // `import(`: the keyword's token inside an `import` node; `import x = require(`: a token of the clause.
  if (!word.isNamed) word = word.parent;
  if (!word) return null;
  if (word.type === 'import_require_clause') return word.childForFieldName('source');
  if (word.type === 'identifier' && word.parent?.type === 'import_alias') return exportedRequireLiteral(word);
  if (word.type !== 'import' && word.type !== 'identifier') return null;
  const call = word.parent;
  const callee = call?.type === 'call_expression' ? call.childForFieldName('function') : null;
  if (!call || !callee || callee.startIndex !== word.startIndex || callee.endIndex !== word.endIndex) return null;
  if (word.type === 'identifier' && word.endIndex - word.startIndex !== 'require'.length) return null;
  return firstArgument(call.childForFieldName('arguments'));
}

/**
 * The specifier of `export import x = require('./x')`, which the TypeScript grammar reads as an alias of `require` (its
 * statement ended there) and a parenthesized string after it: that string, when `word` is the alias's `require` and the
 * statement after the alias's starts with the parenthesis (CALL_START found only white space between); else null.
 */
function exportedRequireLiteral(word: Node): Node | null {
  const alias = word.parent;
  const statement = alias?.parent;
  if (!alias || alias.lastNamedChild?.id !== word.id || word.text !== 'require' || statement?.type !== 'export_statement') return null;
  const next = statement.nextNamedSibling;
  const parenthesized = next?.type === 'expression_statement' ? next.firstNamedChild : null;
  if (parenthesized?.type !== 'parenthesized_expression' || parenthesized.startIndex !== next?.startIndex || parenthesized.namedChildCount !== 1) return null;
  return parenthesized.firstNamedChild;
}

/**
 * The `import('…')` and `require('…')` calls with a literal specifier whose word starts in text[from, to) — in function
 * bodies too, which the query never reaches (CONTAINER_QUERY_DEPTH): lazily loaded modules (`await import('./x')`),
 * CommonJS requires inside functions, TypeScript's `import x = require('./x')` and `typeof import('./x')` types. The text
 * says where a call may be (CALL_START); the tree says whether one is there, so a function body must be parsed where
 * one may be (parseFileText and documentUpdate.ts's hollows leave out only bodies mayHoldDynamicImport finds none in),
 * and a file from disk and an open document of the same text give the same. A specifier is a string or a template
 * literal without substitutions, with no escape or line break in it.
 */
export function dynamicImports(text: string, root: Node, from = 0, to = text.length): DynamicImport[] {
  const region = from === 0 && to === text.length ? text : text.slice(from, to);
  CALL_START.lastIndex = 0;
  const out: DynamicImport[] = [];
  for (let match = CALL_START.exec(region); match; match = CALL_START.exec(region)) {
    const literal = calledLiteral(root, from + match.index);
    if (!literal || (literal.type !== 'string' && literal.type !== 'template_string')) continue;
    if (literal.type === 'template_string' && literal.namedChildren.some((c) => c?.type === 'template_substitution')) continue;
    const source = text.slice(literal.startIndex + 1, literal.endIndex - 1);
    if (source === '' || /[\\\n\r]/.test(source)) continue;
    out.push({ index: literal.startIndex, source, line: literal.startPosition.row + 1 });
  }
  return out;
}
