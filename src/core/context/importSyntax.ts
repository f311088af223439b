// Reads import statements captured by the `@import…` query patterns into ImportEdges (unresolved: the
// workspace index resolves specifiers to files, because that needs the whole file list).
import type { Node } from 'web-tree-sitter';
import { IntBuffer } from './intBuffer';
import type { ParsedLanguage } from './languages';
import type { ImportEdge } from './model';
import { lexWords } from './sourceLexer';

type Edge = { source: string; names: string[]; line: number };

const lineOf = (node: Node): number => node.startPosition.row + 1;

function stringContent(node: Node | null | undefined): string | undefined {
  if (!node) return undefined;
  const text = node.text;
  return text.length >= 2 && /^["'`]/.test(text) ? text.slice(1, -1) : text;
}

function jsImport(node: Node, capture: string): Edge[] {
  if (capture === 'import.require') {
    const source = stringContent(node);
    if (!source) return [];
    // `const { a, b } = require('x')` imports a and b.
    const declarator = node.parent?.parent?.parent;
    const pattern = declarator?.type === 'variable_declarator' ? declarator.childForFieldName('name') : null;
    const names =
      pattern?.type === 'object_pattern'
        ? pattern.namedChildren.flatMap((p) => {
            if (p?.type === 'shorthand_property_identifier_pattern') return [p.text];
            const key = p?.type === 'pair_pattern' ? p.childForFieldName('key')?.text : undefined;
            return key ? [key] : [];
          })
        : [];
    return [{ source, names, line: lineOf(node) }];
  }
  const source = stringContent(node.childForFieldName('source'));
  if (source === undefined) return [];
  const names: string[] = [];
  for (const child of node.namedChildren) {
    if (child?.type === 'import_clause') {
      for (const part of child.namedChildren) {
        if (part?.type === 'identifier') names.push(part.text);
        else if (part?.type === 'named_imports') collectSpecifiers(part, 'import_specifier', names);
      }
    } else if (child?.type === 'export_clause') collectSpecifiers(child, 'export_specifier', names);
  }
  return [{ source, names, line: lineOf(node) }];
}

function collectSpecifiers(list: Node, type: string, into: string[]): void {
  for (const spec of list.namedChildren) {
    const name = spec?.type === type ? spec.childForFieldName('name')?.text : undefined;
    if (name) into.push(name);
  }
}

function pythonImport(node: Node): Edge[] {
  const line = lineOf(node);
  const dotted = (n: Node | null): string | undefined => (n?.type === 'aliased_import' ? n.childForFieldName('name')?.text : n?.text);
  if (node.type === 'import_statement') {
    return node.childrenForFieldName('name').flatMap((n) => {
      const source = dotted(n);
      return source ? [{ source, names: [], line }] : [];
    });
  }
  const source = node.childForFieldName('module_name')?.text;
  if (!source) return [];
  const names = node.childrenForFieldName('name').flatMap((n) => {
    const name = dotted(n);
    return name ? [name] : [];
  });
  return [{ source, names, line }];
}

function goImport(node: Node): Edge[] {
  const source = stringContent(node.childForFieldName('path'));
  return source ? [{ source, names: [], line: lineOf(node) }] : [];
}

/** `use a::b::{c, d::e as f, g::*}` → a::b [c], a::b::d [e], a::b::g []. */
function rustUse(node: Node, prefix: string, line: number, out: Map<string, Edge>): void {
  const join = (a: string, b: string): string => (a ? `${a}::${b}` : b);
  const add = (source: string, name?: string): void => {
    let edge = out.get(source);
    if (!edge) out.set(source, (edge = { source, names: [], line }));
    if (name && name !== 'self') edge.names.push(name);
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
      if (path) rustUse(path, prefix, line, out);
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

function rustImport(node: Node, capture: string): Edge[] {
  const line = lineOf(node);
  if (capture === 'import.mod') {
    const name = node.childForFieldName('name')?.text;
    return name ? [{ source: `self::${name}`, names: [], line }] : [];
  }
  const argument = node.childForFieldName('argument');
  if (!argument) return [];
  const out = new Map<string, Edge>();
  rustUse(argument, '', line, out);
  return [...out.values()];
}

function javaImport(node: Node): Edge[] {
  const path = node.namedChildren.find((c) => c?.type === 'scoped_identifier' || c?.type === 'identifier');
  if (!path) return [];
  const wildcard = node.namedChildren.some((c) => c?.type === 'asterisk');
  const source = path.text;
  const names = wildcard ? [] : [source.slice(source.lastIndexOf('.') + 1)];
  return [{ source: wildcard ? `${source}.*` : source, names, line: lineOf(node) }];
}

/** ImportEdges (without `resolved`) for one captured import node. */
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

/** A call of `import` or `require` with a literal specifier, found in the text (see dynamicImports). */
export interface DynamicImport {
  /** Offset of the specifier's opening quote: where the query's `import.require` capture of the same call starts. */
  readonly index: number;
  readonly source: string;
  /** 1-based line of the specifier. */
  readonly line: number;
}

/** `import` or `require` as a whole word, then a parenthesis: a call the scan looks at more closely. */
const CALL_START = /\b(?:import|require)\s*\(/g;
const ANY_CALL_START = /\b(?:import|require)\s*\(/;

/**
 * Whether text[from, to) may hold a call dynamicImports reads (it may also be in a comment or a string): an edit
 * inside a function body whose text has none, before and after it, changes no import.
 */
export function mayHoldDynamicImport(text: string, from: number, to: number): boolean {
  return ANY_CALL_START.test(text.slice(from, to));
}

/** Index of the first character at or after `i` that is not white space. */
function skipBlanks(text: string, i: number): number {
  for (let c = text.charCodeAt(i); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(++i));
  return i;
}

/** Whether the last character before `i` that is not white space is a `.` (a member: `x.require(…)`, `x?.import(…)`). */
function afterDot(text: string, i: number): boolean {
  let j = i - 1;
  for (let c = text.charCodeAt(j); c === 32 || c === 9 || c === 10 || c === 13; c = text.charCodeAt(--j));
  return text.charCodeAt(j) === 46;
}

/**
 * The end (exclusive, at the closing quote) of a plain string literal opened at `open` — no escape, no line break, no
 * `${` in a template literal: a specifier is written plainly — or -1.
 */
function plainLiteralEnd(text: string, open: number): number {
  const quote = text.charCodeAt(open);
  if (quote !== 39 && quote !== 34 && quote !== 96) return -1;
  for (let j = open + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === quote) return j;
    if (c === 92 || c === 10 || c === 13 || (quote === 96 && c === 36 && text.charCodeAt(j + 1) === 123)) return -1;
  }
  return -1;
}

/**
 * The `import('…')` and `require('…')` calls of JavaScript or TypeScript text[from, to) with a literal specifier — in
 * function bodies too, which the index's parse of a file leaves out and its query never reaches (see functionBodies.ts;
 * CONTAINER_QUERY_DEPTH): lazily loaded modules (`await import('./x')`), CommonJS requires inside functions, TypeScript's
 * `import x = require('./x')` and `typeof import('./x')` types. Read from the text, so a file from disk and an open
 * document give the same: a match of CALL_START whose word the lexer reads as code (not in a comment or string), not
 * a member's name (`x.require(`), its first argument a plain string literal followed by `)` or `,`. `from` must be in
 * code (a statement's start): the lexer starts there.
 */
export function dynamicImports(text: string, from = 0, to = text.length): DynamicImport[] {
  // Most files have none: one regular-expression pass, and the lexer only where a call may be.
  const region = from === 0 && to === text.length ? text : text.slice(from, to);
  CALL_START.lastIndex = 0;
  let match = CALL_START.exec(region);
  if (!match) return [];
  const words = new IntBuffer(1024);
  lexWords(text, 'javascript', words, undefined, from, to);
  const out: DynamicImport[] = [];
  let w = 0;
  let line = 1;
  let counted = 0;
  for (; match; match = CALL_START.exec(region)) {
    const start = from + match.index;
    while (w < words.length && (words.data[w] ?? 0) < start) w += 3;
    // The word must be one the lexer read where the call starts (not in a comment or string, not the tail of `$import`).
    if (w >= words.length || words.data[w] !== start || afterDot(text, start)) continue;
    const open = skipBlanks(text, start + match[0].length);
    const close = plainLiteralEnd(text, open);
    if (close <= open + 1) continue;
    const after = text.charCodeAt(skipBlanks(text, close + 1));
    if (after !== 41 && after !== 44) continue;
    for (let nl = text.indexOf('\n', counted); nl !== -1 && nl < open; nl = text.indexOf('\n', nl + 1)) line++;
    counted = open;
    out.push({ index: open, source: text.slice(open + 1, close), line });
  }
  return out;
}
