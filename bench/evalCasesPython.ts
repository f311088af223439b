// Eval cases for `npm run eval:context` from a Python corpus, with our own tree-sitter pass (independent of the
// indexer under test), in the shape of evalCases.ts's: a documented function becomes a "write this function" task.
// Python keeps its doc inside the body (the docstring), so the docstring stays and the statements after it are
// removed; the query is the docstring's first paragraph. The gold context is every top-level definition of ANOTHER
// file that the removed statements use through the file's imports: a name `from m import f` brought, a member of a
// module imported whole — `import m` then `m.f`, `import a.b` then `a.b.f`, `import a.b as c` then `c.f`, and
// `from a import b` where `b` is a module of the package — following a package's re-exports (`from .x import f` in
// its `__init__.py`). Module names resolve from the corpus root (its `sys.path` entry) or, relative, from the file's
// package; what does not resolve to a corpus file (the standard library) is no gold.
import path from 'node:path';
import type { Node } from 'web-tree-sitter';
import { sampleCases, type EvalCase, type EvalCaseOptions, type GoldDefinition, type LineRange } from './evalCases';
import { loadGrammars, ParserPool } from './treeSitterGrammars';

/** What a local name of a module stands for. */
type Binding =
  /** A module imported whole (`import a.b` binds `a`, reached as `a.b`; `import a.b as c` binds `c`). */
  | { readonly kind: 'module'; readonly module: string; readonly dotted: string }
  /** `from m import name`: a name of module `m` (or its submodule `m.name`, should that be a module). */
  | { readonly kind: 'from'; readonly module: string; readonly name: string };

interface PythonModule {
  readonly declarations: Map<string, LineRange[]>;
  /** By local name (the first segment for `import a.b`). */
  readonly bindings: Map<string, Binding[]>;
}

interface Candidate {
  readonly name: string;
  readonly line: number;
  readonly description: string;
  /** The statements after the docstring: what the case removes. */
  readonly first: Node;
  readonly last: Node;
}

const MAX_QUERY_CHARS = 1200;

function named(node: Node): Node[] {
  return node.namedChildren.filter((c): c is Node => c !== null);
}

/** The first paragraph of a docstring's text, on one line, or undefined. */
export function docstringDescription(literal: string): string | undefined {
  const m = /^[rRuU]{0,2}("""|'''|"|')([\s\S]*)\1$/.exec(literal.trim());
  if (!m) return undefined;
  const paragraph = (m[2] ?? '').trim().split(/\n\s*\n/)[0] ?? '';
  const text = paragraph.replace(/\s+/g, ' ').trim();
  return text.length > 0 ? text.slice(0, MAX_QUERY_CHARS) : undefined;
}

/** The file a dotted module name resolves to from the corpus root: `a/b.py`, or the package `a/b/__init__.py`. */
export function resolvePythonModule(module: string, fromFile: string, files: ReadonlySet<string>): string | undefined {
  let base: string;
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  if (dots > 0) {
    let dir = path.posix.dirname(fromFile);
    for (let i = 1; i < dots; i++) dir = path.posix.dirname(dir);
    const rest = module.slice(dots);
    base = rest ? path.posix.join(dir, ...rest.split('.')) : dir;
  } else base = module.split('.').join('/');
  if (base === '.' || base === '') return files.has('__init__.py') ? '__init__.py' : undefined;
  return [`${base}/__init__.py`, `${base}.py`].find((c) => files.has(c));
}

/** The absolute dotted name of a module written relative in `fromFile` (`.x` in `a/b/c.py` → `a.b.x`). */
function absoluteModule(module: string, fromFile: string): string {
  const dots = /^\.*/.exec(module)?.[0].length ?? 0;
  if (dots === 0) return module;
  let parts = path.posix.dirname(fromFile).split('/').filter((p) => p !== '.' && p !== '');
  parts = parts.slice(0, Math.max(0, parts.length - (dots - 1)));
  const rest = module.slice(dots);
  return [...parts, ...(rest ? rest.split('.') : [])].join('.');
}

function addBinding(module: PythonModule, local: string, binding: Binding): void {
  const list = module.bindings.get(local);
  if (list) list.push(binding);
  else module.bindings.set(local, [binding]);
}

function collectImport(stmt: Node, file: string, module: PythonModule): void {
  if (stmt.type === 'import_statement') {
    for (const n of stmt.childrenForFieldName('name')) {
      if (!n) continue;
      if (n.type === 'aliased_import') {
        const dotted = n.childForFieldName('name')?.text;
        const alias = n.childForFieldName('alias')?.text;
        if (dotted && alias) addBinding(module, alias, { kind: 'module', module: dotted, dotted: alias });
      } else {
        const dotted = n.text;
        addBinding(module, dotted.split('.')[0] ?? dotted, { kind: 'module', module: dotted, dotted });
      }
    }
    return;
  }
  if (stmt.type !== 'import_from_statement') return;
  const source = stmt.childForFieldName('module_name')?.text;
  if (!source) return;
  const from = absoluteModule(source, file);
  for (const n of stmt.childrenForFieldName('name')) {
    if (!n) continue;
    const name = n.type === 'aliased_import' ? n.childForFieldName('name')?.text : n.text;
    const local = n.type === 'aliased_import' ? n.childForFieldName('alias')?.text : name;
    if (name && local) addBinding(module, local, { kind: 'from', module: from, name });
  }
}

function declarationOf(stmt: Node): Node {
  return stmt.type === 'decorated_definition' ? (stmt.childForFieldName('definition') ?? stmt) : stmt;
}

/** The docstring of a function body and the statements after it, or undefined when it has no docstring or nothing after. */
function documented(def: Node): { description: string; first: Node; last: Node } | undefined {
  const body = def.childForFieldName('body');
  const statements = body ? named(body).filter((s) => s.type !== 'comment') : [];
  const doc = statements[0];
  const literal = doc?.type === 'expression_statement' ? named(doc)[0] : undefined;
  if (literal?.type !== 'string' || statements.length < 2) return undefined;
  const description = docstringDescription(literal.text);
  const first = statements[1];
  const last = statements[statements.length - 1];
  return description && first && last ? { description, first, last } : undefined;
}

function analyse(root: Node, file: string): { module: PythonModule; candidates: Candidate[] } {
  const module: PythonModule = { declarations: new Map(), bindings: new Map() };
  const candidates: Candidate[] = [];
  const declare = (name: string | undefined, range: LineRange): void => {
    if (!name) return;
    const list = module.declarations.get(name);
    if (list) list.push(range);
    else module.declarations.set(name, [range]);
  };
  const candidate = (def: Node, name: string, top: Node): void => {
    const doc = documented(def);
    if (doc) candidates.push({ name, line: top.startPosition.row + 1, ...doc });
  };
  for (const stmt of named(root)) {
    if (stmt.type === 'import_statement' || stmt.type === 'import_from_statement') {
      collectImport(stmt, file, module);
      continue;
    }
    const decl = declarationOf(stmt);
    const range = { startLine: stmt.startPosition.row + 1, endLine: stmt.endPosition.row + 1 };
    const name = decl.childForFieldName('name')?.text;
    if (decl.type === 'function_definition') {
      declare(name, range);
      if (name) candidate(decl, name, stmt);
    } else if (decl.type === 'class_definition') {
      declare(name, range);
      const body = decl.childForFieldName('body');
      for (const member of body ? named(body) : []) {
        const method = declarationOf(member);
        const methodName = method.type === 'function_definition' ? method.childForFieldName('name')?.text : undefined;
        if (name && methodName) candidate(method, `${name}.${methodName}`, member);
      }
    }
  }
  return { module, candidates };
}

class PythonGold {
  constructor(
    private readonly modules: ReadonlyMap<string, PythonModule>,
    private readonly files: ReadonlySet<string>,
  ) {}

  /** Where `name` of the module in `file` is defined, following its `from … import` re-exports (bounded depth). */
  private definition(file: string, name: string, depth = 0): GoldDefinition | undefined {
    const module = this.modules.get(file);
    if (!module || depth > 5) return undefined;
    const ranges = module.declarations.get(name);
    if (ranges) return { file, name, ranges };
    for (const b of module.bindings.get(name) ?? []) {
      if (b.kind !== 'from') continue;
      const target = resolvePythonModule(b.module, file, this.files);
      const found = target && target !== file ? this.definition(target, b.name, depth + 1) : undefined;
      if (found) return found;
    }
    return undefined;
  }

  /** The module file `from m import name` brings when `name` is a submodule of the package `m`. */
  private submodule(b: Binding & { kind: 'from' }, file: string): string | undefined {
    return resolvePythonModule(`${b.module}.${b.name}`, file, this.files);
  }

  goldFor(file: string, first: Node, last: Node): GoldDefinition[] {
    const module = this.modules.get(file);
    if (!module) return [];
    const found = new Map<string, GoldDefinition>();
    const add = (gold: GoldDefinition | undefined): void => {
      if (gold && gold.file !== file) found.set(`${gold.file}#${gold.name}`, gold);
    };
    const memberOf = (moduleFile: string | undefined, member: string): void => {
      if (moduleFile) add(this.definition(moduleFile, member));
    };
    const inRange = (n: Node): boolean => n.startIndex >= first.startIndex && n.endIndex <= last.endIndex;
    const root = first.parent;
    if (!root) return [];
    for (const n of root.descendantsOfType(['identifier', 'attribute'])) {
      if (!n || !inRange(n)) continue;
      if (n.type === 'attribute') {
        // `a.b.f`: the object's dotted text names a module imported whole, or a submodule brought by `from`.
        const object = n.childForFieldName('object');
        const member = n.childForFieldName('attribute')?.text;
        if (!object || !member || !/^[A-Za-z_][\w.]*$/.test(object.text)) continue;
        const head = object.text.split('.')[0] ?? '';
        for (const b of module.bindings.get(head) ?? []) {
          if (b.kind === 'module' && b.dotted === object.text) memberOf(resolvePythonModule(b.module, file, this.files), member);
          else if (b.kind === 'from' && object.text === head) memberOf(this.submodule(b, file), member);
        }
        continue;
      }
      // A bare name: one `from m import name` brought (not the object of an attribute, which is read above).
      if (n.parent?.type === 'attribute' && n.parent.childForFieldName('attribute')?.id === n.id) continue;
      for (const b of module.bindings.get(n.text) ?? []) {
        if (b.kind !== 'from' || this.submodule(b, file) !== undefined) continue;
        const target = resolvePythonModule(b.module, file, this.files);
        if (target) add(this.definition(target, b.name));
      }
    }
    return [...found.values()].sort((a, b) => (a.file + a.name < b.file + b.name ? -1 : 1));
  }
}

/** Finds eval cases in `texts` (path → content, `.py` files) and samples them deterministically. */
export async function extractPythonEvalCases(texts: ReadonlyMap<string, string>, options: EvalCaseOptions): Promise<EvalCase[]> {
  const files = new Set(texts.keys());
  const pool = new ParserPool(await loadGrammars(['python']));
  const modules = new Map<string, PythonModule>();
  const trees: { delete(): void }[] = [];
  const pending: { file: string; candidate: Candidate }[] = [];
  try {
    for (const file of [...files].filter((f) => f.endsWith('.py')).sort()) {
      const tree = pool.parserFor('python').parse(texts.get(file) ?? '');
      if (!tree) continue;
      trees.push(tree);
      const { module, candidates } = analyse(tree.rootNode, file);
      modules.set(file, module);
      for (const candidate of candidates) pending.push({ file, candidate });
    }
    const gold = new PythonGold(modules, files);
    const minWords = options.minQueryWords ?? 5;
    const all: EvalCase[] = [];
    for (const { file, candidate } of pending) {
      if ((candidate.description.match(/[A-Za-z]{2,}/g) ?? []).length < minWords) continue;
      const used = gold.goldFor(file, candidate.first, candidate.last);
      if (used.length === 0) continue;
      const removed = (texts.get(file) ?? '').slice(candidate.first.startIndex, candidate.last.endIndex);
      all.push({
        id: `${file}#${candidate.name}#${candidate.line}`,
        file,
        name: candidate.name,
        line: candidate.line,
        query: candidate.description,
        gold: used,
        bodyStart: candidate.first.startIndex,
        bodyEnd: candidate.last.endIndex,
        // `pass` where the statements were, with as many line breaks: every line number stays what it was.
        replacement: `pass${'\n'.repeat((removed.match(/\n/g) ?? []).length)}`,
      });
    }
    return sampleCases(all, options);
  } finally {
    for (const t of trees) t.delete();
    pool.dispose();
  }
}
