// Eval cases for `npm run eval:context`, extracted from a TypeScript/JavaScript corpus with our own
// tree-sitter pass (independent of the indexer under test): real functions with a JSDoc description
// become "write this function" tasks. The query is the description, the active file is the
// function's file (with the body removed), and the gold context is every definition in ANOTHER file
// that the original body used — found through the file's imports (named, default and namespace
// imports, following re-exports), so the gold set does not depend on any ranking heuristic.
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { readSource, repairedSource } from '../src/core/context/functionBodies';
import { createSeededRandom, shuffled } from './seededRandom';
import { loadGrammars, ParserPool, type GrammarName } from './treeSitterGrammars';

export interface LineRange {
  readonly startLine: number;
  readonly endLine: number;
}

export interface GoldDefinition {
  readonly file: string;
  readonly name: string;
  /** Every top-level declaration of `name` in `file` (overloads, interface + namespace, …). */
  readonly ranges: readonly LineRange[];
}

export interface EvalCase {
  readonly id: string;
  readonly file: string;
  readonly name: string;
  /** 1-based line where the function's declaration starts. */
  readonly line: number;
  readonly query: string;
  readonly gold: readonly GoldDefinition[];
  /** The body's character range in the original text; removing it leaves the signature. */
  readonly bodyStart: number;
  readonly bodyEnd: number;
  /** What the body is replaced with: an empty block with the same number of line breaks, so every
   *  line number in the corpus copy (gold ranges included) stays what it was in the original. */
  readonly replacement: string;
}

export interface EvalCaseOptions {
  readonly maxCases: number;
  readonly seed: number;
  /** At most this many cases come from one file, so the sample covers the corpus. */
  readonly maxPerFile: number;
  /** Minimum number of words in the description for a function to become a case. */
  readonly minQueryWords?: number;
}

interface ImportBinding {
  readonly source: string;
  /** Name exported by the source module; undefined for a namespace import (`* as x`). */
  readonly imported: string | undefined;
}

interface Reexport {
  readonly source: string | undefined;
  readonly imported: string;
}

interface FunctionCandidate {
  readonly name: string;
  readonly line: number;
  readonly description: string;
  readonly body: Node;
}

interface ModuleFacts {
  readonly declarations: Map<string, LineRange[]>;
  readonly imports: Map<string, ImportBinding>;
  /** Exported name → where it comes from (`export { a as b } from './x'`, or a local re-export). */
  readonly reexports: Map<string, Reexport>;
  /** `export * from './x'` sources. */
  readonly starExports: string[];
}

const MAX_QUERY_CHARS = 1200;
const DECLARATION_TYPES = new Set([
  'function_declaration',
  'generator_function_declaration',
  'function_signature',
  'class_declaration',
  'abstract_class_declaration',
  'interface_declaration',
  'type_alias_declaration',
  'enum_declaration',
  'internal_module',
  'module',
]);
const FUNCTION_VALUE_TYPES = new Set(['arrow_function', 'function_expression', 'function', 'generator_function']);
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

function grammarFor(file: string): GrammarName | undefined {
  const ext = path.extname(file);
  if (ext === '.tsx') return 'tsx';
  if (ext === '.ts' || ext === '.mts' || ext === '.cts') return 'typescript';
  if (ext === '.js' || ext === '.mjs' || ext === '.cjs' || ext === '.jsx') return 'javascript';
  return undefined;
}

function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

function lineRange(node: Node): LineRange {
  return { startLine: node.startPosition.row + 1, endLine: node.endPosition.row + 1 };
}

function stringValue(node: Node | null): string | undefined {
  if (!node || node.type !== 'string') return undefined;
  return node.text.slice(1, -1);
}

/** The JSDoc description (text before the first block tag, without code fences and example headings), or undefined. */
export function jsDocDescription(comment: string): string | undefined {
  if (!comment.startsWith('/**')) return undefined;
  const lines = comment
    .replace(/^\/\*\*/, '')
    .replace(/\*\/$/, '')
    .split('\n')
    .map((l) => l.replace(/^\s*\* ?/, ''));
  const prose: string[] = [];
  let inFence = false;
  for (const line of lines) {
    if (/^\s*```/.test(line)) {
      inFence = !inFence;
      continue;
    }
    if (inFence) continue;
    if (/^\s*@/.test(line)) break;
    if (/^\s*\*\*Examples?\*\*/.test(line)) continue; // a heading for the (removed) code that follows
    prose.push(line.trim());
  }
  const text = prose.join(' ').replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text.slice(0, MAX_QUERY_CHARS) : undefined;
}

/** The doc comment directly above `node` (no blank line in between), if any. */
function docAbove(node: Node): string | undefined {
  const prev = node.previousNamedSibling;
  if (!prev || prev.type !== 'comment') return undefined;
  if (prev.endPosition.row + 1 < node.startPosition.row) return undefined;
  return jsDocDescription(prev.text);
}

/** The function whose body a `const x = …` initialiser carries: a function, or the last function argument of a call (`dual(2, (a, b) => …)`). */
function functionOfValue(value: Node | null): Node | undefined {
  if (!value) return undefined;
  if (FUNCTION_VALUE_TYPES.has(value.type)) return value;
  if (value.type === 'call_expression') {
    const args = value.childForFieldName('arguments');
    const fns = args ? named(args).filter((a) => FUNCTION_VALUE_TYPES.has(a.type)) : [];
    return fns[fns.length - 1];
  }
  return undefined;
}

function collectImports(stmt: Node, imports: Map<string, ImportBinding>): void {
  const source = stringValue(stmt.childForFieldName('source'));
  if (source === undefined) return;
  for (const clause of named(stmt).filter((c) => c.type === 'import_clause')) {
    for (const part of named(clause)) {
      if (part.type === 'identifier') imports.set(part.text, { source, imported: 'default' });
      else if (part.type === 'namespace_import') {
        const id = named(part).find((c) => c.type === 'identifier');
        if (id) imports.set(id.text, { source, imported: undefined });
      } else if (part.type === 'named_imports') {
        for (const spec of named(part).filter((c) => c.type === 'import_specifier')) {
          const name = spec.childForFieldName('name')?.text;
          const alias = spec.childForFieldName('alias')?.text;
          if (name) imports.set(alias ?? name, { source, imported: name });
        }
      }
    }
  }
}

function collectExportStatement(stmt: Node, facts: ModuleFacts): Node | undefined {
  const source = stringValue(stmt.childForFieldName('source'));
  const clause = named(stmt).find((c) => c.type === 'export_clause');
  if (clause) {
    for (const spec of named(clause).filter((c) => c.type === 'export_specifier')) {
      const name = spec.childForFieldName('name')?.text;
      const alias = spec.childForFieldName('alias')?.text;
      if (name) facts.reexports.set(alias ?? name, { source, imported: name });
    }
    return undefined;
  }
  if (source !== undefined) {
    if (!named(stmt).some((c) => c.type === 'namespace_export')) facts.starExports.push(source);
    return undefined;
  }
  return stmt.childForFieldName('declaration') ?? named(stmt).find((c) => c.type !== 'comment' && c.type !== 'decorator');
}

function addDeclaration(decl: Node, range: LineRange, facts: ModuleFacts): void {
  const add = (name: string | undefined): void => {
    if (!name) return;
    const list = facts.declarations.get(name) ?? [];
    list.push(range);
    facts.declarations.set(name, list);
  };
  if (decl.type === 'ambient_declaration') {
    for (const inner of named(decl)) addDeclaration(inner, range, facts);
    return;
  }
  if (DECLARATION_TYPES.has(decl.type)) {
    add(decl.childForFieldName('name')?.text);
    return;
  }
  if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
    for (const d of named(decl).filter((c) => c.type === 'variable_declarator')) {
      const name = d.childForFieldName('name');
      if (name?.type === 'identifier') add(name.text);
    }
  }
}

function collectCandidates(top: Node, decl: Node, out: FunctionCandidate[]): void {
  const description = docAbove(top);
  if (decl.type === 'function_declaration' || decl.type === 'generator_function_declaration') {
    const name = decl.childForFieldName('name')?.text;
    const body = decl.childForFieldName('body');
    if (description && name && body) out.push({ name, line: top.startPosition.row + 1, description, body });
    return;
  }
  if (decl.type === 'lexical_declaration' || decl.type === 'variable_declaration') {
    const declarators = named(decl).filter((c) => c.type === 'variable_declarator');
    const only = declarators.length === 1 ? declarators[0] : undefined;
    const name = only?.childForFieldName('name');
    const fn = functionOfValue(only?.childForFieldName('value') ?? null);
    const body = fn?.childForFieldName('body');
    if (description && name?.type === 'identifier' && body) out.push({ name: name.text, line: top.startPosition.row + 1, description, body });
    return;
  }
  if (decl.type === 'class_declaration' || decl.type === 'abstract_class_declaration') {
    const className = decl.childForFieldName('name')?.text ?? 'class';
    const classBody = decl.childForFieldName('body');
    for (const member of classBody ? named(classBody) : []) {
      if (member.type !== 'method_definition') continue;
      const doc = docAbove(member);
      const name = member.childForFieldName('name')?.text;
      const body = member.childForFieldName('body');
      if (doc && name && body) out.push({ name: `${className}.${name}`, line: member.startPosition.row + 1, description: doc, body });
    }
  }
}

function analyseModule(root: Node): { facts: ModuleFacts; candidates: FunctionCandidate[] } {
  const facts: ModuleFacts = { declarations: new Map(), imports: new Map(), reexports: new Map(), starExports: [] };
  const candidates: FunctionCandidate[] = [];
  for (const stmt of named(root)) {
    if (stmt.type === 'import_statement') {
      collectImports(stmt, facts.imports);
      continue;
    }
    const decl = stmt.type === 'export_statement' ? collectExportStatement(stmt, facts) : stmt;
    if (!decl) continue;
    addDeclaration(decl, lineRange(stmt), facts);
    collectCandidates(stmt, decl, candidates);
  }
  return { facts, candidates };
}

/** Resolves a relative module specifier to a corpus file (`./x.js` → `x.ts`, `./dir` → `dir/index.ts`). */
export function resolveModule(fromFile: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.posix.normalize(path.posix.join(path.posix.dirname(fromFile), specifier));
  const stem = base.replace(/\.(m|c)?jsx?$/, '');
  const candidates = [base, ...SOURCE_EXTENSIONS.map((e) => stem + e), ...SOURCE_EXTENSIONS.map((e) => `${base}/index${e}`)];
  return candidates.find((c) => files.has(c));
}

class GoldResolver {
  constructor(
    private readonly modules: ReadonlyMap<string, ModuleFacts>,
    private readonly files: ReadonlySet<string>,
  ) {}

  /** Where `name` exported by `file` is declared, following re-exports (bounded depth). */
  resolve(file: string, name: string, depth = 0): GoldDefinition | undefined {
    const facts = this.modules.get(file);
    if (!facts || depth > 5) return undefined;
    const ranges = facts.declarations.get(name);
    if (ranges) return { file, name, ranges };
    const re = facts.reexports.get(name);
    if (re) {
      if (re.source !== undefined) {
        const target = resolveModule(file, re.source, this.files);
        return target ? this.resolve(target, re.imported, depth + 1) : undefined;
      }
      const binding = facts.imports.get(re.imported);
      if (binding?.imported !== undefined) {
        const target = resolveModule(file, binding.source, this.files);
        return target ? this.resolve(target, binding.imported, depth + 1) : undefined;
      }
      return undefined;
    }
    for (const star of facts.starExports) {
      const target = resolveModule(file, star, this.files);
      const found = target ? this.resolve(target, name, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The definitions in other files that the identifiers inside `body` refer to through imports. */
  goldFor(file: string, body: Node): GoldDefinition[] {
    const facts = this.modules.get(file);
    if (!facts) return [];
    const found = new Map<string, GoldDefinition>();
    const add = (binding: ImportBinding | undefined, member: string | undefined): void => {
      if (!binding) return;
      const exported = binding.imported ?? member;
      if (exported === undefined || exported === 'default') return;
      const target = resolveModule(file, binding.source, this.files);
      const gold = target ? this.resolve(target, exported) : undefined;
      if (gold && gold.file !== file) found.set(`${gold.file}#${gold.name}`, gold);
    };
    const nodes = body.descendantsOfType([
      'identifier',
      'type_identifier',
      'shorthand_property_identifier',
      'member_expression',
      'nested_type_identifier',
    ]);
    for (const n of nodes) {
      if (!n) continue;
      if (n.type === 'member_expression' || n.type === 'nested_type_identifier') {
        const [object, property] = named(n);
        if (object?.type !== 'identifier' || !property) continue;
        const binding = facts.imports.get(object.text);
        if (binding && binding.imported === undefined) add(binding, property.text);
        continue;
      }
      const binding = facts.imports.get(n.text);
      if (binding && binding.imported !== undefined) add(binding, undefined);
    }
    return [...found.values()].sort((a, b) => (a.file + a.name < b.file + b.name ? -1 : 1));
  }
}

/**
 * What the parser reads of a file: TypeScript with the grammar's gaps repaired as the index reads it (readSource's
 * repairs: same length and lines, no character of a name, comment or string changed), so a case's gold ranges are
 * those of the definitions as they are written, not error recovery's.
 */
function parserInput(grammar: GrammarName, text: string): string {
  if (grammar !== 'typescript') return text;
  const reading = readSource(text, 'typescript');
  return reading ? repairedSource(text, reading.repairs) : text;
}

/** Finds eval cases in `texts` (path → content) and samples them deterministically. */
export async function extractEvalCases(texts: ReadonlyMap<string, string>, options: EvalCaseOptions): Promise<EvalCase[]> {
  const files = new Set(texts.keys());
  const parseable = [...texts.keys()].sort().flatMap((file) => {
    const grammar = grammarFor(file);
    return grammar ? [{ file, grammar }] : [];
  });
  const pool = new ParserPool(await loadGrammars(parseable.map((p) => p.grammar)));
  const modules = new Map<string, ModuleFacts>();
  const trees: { file: string; delete(): void }[] = [];
  const pending: { file: string; candidate: FunctionCandidate }[] = [];
  try {
    for (const { file, grammar } of parseable) {
      const tree = pool.parserFor(grammar).parse(parserInput(grammar, texts.get(file) ?? ''));
      if (!tree) continue;
      trees.push({ file, delete: () => tree.delete() });
      const { facts, candidates } = analyseModule(tree.rootNode);
      modules.set(file, facts);
      for (const candidate of candidates) pending.push({ file, candidate });
    }
    const resolver = new GoldResolver(modules, files);
    const minWords = options.minQueryWords ?? 5;
    const all: EvalCase[] = [];
    for (const { file, candidate } of pending) {
      if ((candidate.description.match(/[A-Za-z]{2,}/g) ?? []).length < minWords) continue;
      const gold = resolver.goldFor(file, candidate.body);
      if (gold.length === 0) continue;
      all.push({
        id: `${file}#${candidate.name}#${candidate.line}`,
        file,
        name: candidate.name,
        line: candidate.line,
        query: candidate.description,
        gold,
        bodyStart: candidate.body.startIndex,
        bodyEnd: candidate.body.endIndex,
        replacement: `{${'\n'.repeat(countLineBreaks(candidate.body.text))}}`,
      });
    }
    return sampleCases(all, options);
  } finally {
    for (const t of trees) t.delete();
    pool.dispose();
  }
}

function countLineBreaks(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** At most `options.maxCases` of `all`, at most `options.maxPerFile` a file, drawn by `options.seed`; in file and line order. */
export function sampleCases(all: readonly EvalCase[], options: EvalCaseOptions): EvalCase[] {
  const random = createSeededRandom(options.seed);
  const perFile = new Map<string, number>();
  const chosen: EvalCase[] = [];
  for (const c of shuffled(random, all)) {
    if (chosen.length >= options.maxCases) break;
    const n = perFile.get(c.file) ?? 0;
    if (n >= options.maxPerFile) continue;
    perFile.set(c.file, n + 1);
    chosen.push(c);
  }
  return chosen.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file < b.file ? -1 : 1));
}

/** The file's text with the bodies of `cases` (all from this file) replaced. */
export function removeBodies(text: string, cases: readonly EvalCase[]): string {
  let out = text;
  for (const c of [...cases].sort((a, b) => b.bodyStart - a.bodyStart)) {
    out = out.slice(0, c.bodyStart) + c.replacement + out.slice(c.bodyEnd);
  }
  return out;
}
