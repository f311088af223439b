// The imports a fix's answer proposes beside the fix. "Cannot find name 'parseDate'" is the most common error a quick
// fix is asked for, and models answer it with the fixed lines and then "Also add this import at the top:" and a block
// of import lines: that block is no replacement for the lines (fixFromAnswer passes over it), and its imports go where
// the file's imports are (placeImports), in the same diff as the fix.
import { languageFamily } from './codeBlocks';

/** How a language writes its imports, as far as finding and placing them takes. */
interface ImportSyntax {
  /** A line at the margin that starts an import statement. */
  readonly starts: RegExp;
  /** A statement `starts` found that is an import after all (an `export { a }` of the file's own names is not). */
  readonly confirms?: RegExp;
  /** A line comment (trimmed line). */
  readonly lineComment: RegExp;
  /** Whether the language has /* … *\/ comments. */
  readonly blockComments: boolean;
  /** Lines the imports come after: a package clause, a 'use strict' directive, Rust's inner attributes. */
  readonly header?: RegExp;
  /** Whether a string at the file's start (a Python module docstring) comes before the imports. */
  readonly docstring?: boolean;
  /**
   * An import statement that must come before every other statement, the file's imports included: Python's `from
   * __future__ import annotations` (after it, a SyntaxError).
   */
  readonly first?: (statement: string) => boolean;
  /**
   * The module a statement imports from, where a second import of one module may clash with the first: TypeScript's
   * `import { a, parseDate } from './util'` beside the file's `import { a } from './util'` declares `a` twice.
   */
  readonly moduleOf?: (statement: string) => string | undefined;
  /**
   * A statement's imports one by one, each written as a statement of its own, to be compared with the file's name by
   * name: Go's `import ( "a"; "b" )` is two imports, Python's `from m import (A, B as C)` `from m import A` and `from m
   * import B as C`, TypeScript's `import D, { a } from './x'` `import D from './x'` and `import { a } from './x'`.
   */
  readonly specs?: (statement: string) => readonly string[];
  /**
   * The specs a spec also stands for: TypeScript's value import `import { T } from './t'` brings the type T as well, so
   * an answer's `import type { T } from './t'` beside it is none to add (the reverse is not so: the value is new).
   */
  readonly covers?: (spec: string) => readonly string[];
  /**
   * The statements that import `fresh`, the specs of `statement` the file does not have (all of them, or a part): Go's
   * each on its own (each goes into the import group), Python's the statement as the answer wrote it when all are new,
   * else one `from m import D` line of the new names alone. Without it: the statement when all are new, and when some
   * are the file's already, none — the statement is the user's to merge (TypeScript's second import of a module, as
   * moduleOf).
   */
  readonly rejoin?: (statement: string, fresh: readonly string[]) => readonly string[];
  /** A comment at a line's end, left out when statements are compared: Python's `import x  # noqa: E402` is `import x`. */
  readonly trailingComment?: RegExp;
  /**
   * Go's grouped imports: the new imports go into the file's `import ( … )` rather than on lines of their own after it
   * (goGroupMerge). Given the group's lines (or a lone `import "fmt"` line's, made a group) and the new statements, its
   * new lines; undefined when the group is not one this can add to surely.
   */
  readonly mergeIntoGroup?: (groupLines: readonly string[], statements: readonly string[]) => readonly string[] | undefined;
  /** Which of a text's import statements the new imports go into (mergeIntoGroup), undefined with none: goMergeTarget. */
  readonly mergeTarget?: (statements: readonly string[]) => number | undefined;
  /**
   * Module-level statements imports may follow (Python's `sys.path.insert(0, …)` before the imports it makes findable),
   * given the statement's text: the import section goes on past them when an import comes after them.
   */
  readonly between?: (statement: string) => boolean;
  /** The names an import statement binds (Python's `import numpy as np`: `np`), to keep it above code that uses them. */
  readonly binds?: (statement: string) => readonly string[];
  /**
   * Every module-level import statement of a text, wherever it is (after set-up code, after a function): the imports
   * the file has, which an answer's are compared with. Without it, the import section's.
   */
  readonly moduleImports?: (lines: readonly string[]) => readonly string[];
  /** The last line of a statement that is no import (codeEnd), where the language's strings and comments are known. */
  readonly statementEnd?: (lines: readonly string[], start: number) => number;
}

const C_COMMENT = /^\/\//;

/** A Python statement that sets where modules are found (ImportSyntax.between): sys.path, site.addsitedir, os.environ. */
const PYTHON_PATH_SETUP = /^(?:sys\.path\s*(?:\.\s*(?:insert|append|extend)\s*\(|(?:\[[^\]]*\]\s*)?\+?=(?!=))|site\.addsitedir\s*\(|os\.environ\s*(?:\[[^\]]*\]\s*=(?!=)|\.\s*(?:setdefault|update)\s*\())/;
/** A Python import statement at a line's start (the line at the margin: an indented one is a function's or a block's). */
const PYTHON_IMPORT = /^(?:import\s+[\w.]|from\s+[\w.]+\s+import\b)/;

/**
 * Whether a Python statement is a call whose value is dropped, binding no name (ImportSyntax.between): `load_dotenv()`,
 * `django.setup()`, `logging.getLogger("x").setLevel(logging.INFO)` — not `x = f()`, `f().x = 1`, `f()[0]`, nor
 * `f(n := 1)`. Strings and comments in it are passed over (`f("(")  # a )`).
 */
function pythonBareCall(statement: string): boolean {
  let i = /^[A-Za-z_]\w*(?:\s*\.\s*[A-Za-z_]\w*)*\s*(?=\()/.exec(statement)?.[0].length;
  if (i === undefined) return false;
  let depth = 0;
  while (i < statement.length) {
    const ch = statement.charAt(i);
    if (ch === '#') {
      const nl = statement.indexOf('\n', i);
      i = nl < 0 ? statement.length : nl;
      continue;
    }
    if (ch === '"' || ch === "'") {
      // (To the closing quote; a triple-quoted string is read as three strings, which comes to the same.)
      for (i++; i < statement.length && statement.charAt(i) !== ch; i++) if (statement.charAt(i) === '\\') i++;
      i++;
      continue;
    }
    if (depth === 0 && ch !== '(') {
      // Between calls: the statement's end, or a method called on what the call gave.
      const rest = statement.slice(i);
      if (/^\s*(?:#.*)?$/.test(rest)) return true;
      const chained = /^\s*\.\s*[A-Za-z_]\w*\s*(?=\()/.exec(rest);
      if (!chained) return false;
      i += chained[0].length;
      continue;
    }
    if (ch === ':' && statement.charAt(i + 1) === '=') return false;
    if (ch === '(' || ch === '[' || ch === '{') depth++;
    else if (ch === ')' || ch === ']' || ch === '}') depth--;
    i++;
  }
  return depth === 0;
}

/** The names a Python import statement binds: `import a.b` binds `a`, `import numpy as np` `np`, `from m import (x, y as z)` `x` and `z`. */
function pythonBinds(statement: string): readonly string[] {
  return pythonSimpleStatements(statement).flatMap(pythonSimpleBinds);
}

function pythonSimpleBinds(statement: string): readonly string[] {
  const text = statement.replace(/#.*$/gm, '').replace(/[()\\]/g, ' ').replace(/\s+/g, ' ').trim();
  const from = /^from\s+\S+\s+import\s+(.*)$/.exec(text);
  const names = from ? (from[1] ?? '') : text.replace(/^import\s+/, '');
  return names
    .split(',')
    .map((part) => {
      const name = part.trim();
      return /\sas\s+(\w+)$/.exec(name)?.[1] ?? (from ? name : (name.split('.')[0] ?? ''));
    })
    .filter((name) => /^[A-Za-z_]\w*$/.test(name));
}

/**
 * The simple statements of a Python line joined by `;` (`from m import A; import os`), when every one is an import;
 * else the statement alone. A `;` in a string or a comment joins none (pythonLineState); a last `;` is dropped.
 */
function pythonSimpleStatements(statement: string): readonly string[] {
  if (!statement.includes(';')) return [statement];
  const cuts: number[] = [];
  let state = PYTHON_STATEMENT_START;
  let offset = 0;
  for (const line of statement.split('\n')) {
    const semicolons: number[] = [];
    state = pythonLineState(line, state, semicolons);
    cuts.push(...semicolons.map((k) => offset + k));
    offset += line.length + 1;
  }
  if (cuts.length === 0) return [statement];
  const parts = [-1, ...cuts]
    .map((cut, k) => statement.slice(cut + 1, cuts[k] ?? statement.length).trim())
    .filter((part) => part !== '');
  return parts.every((part) => PYTHON_IMPORT.test(part)) ? parts : [statement];
}

/**
 * A Python import statement's imports one by one (ImportSyntax.specs): `from m import (A, B as C)` is `from m import A`
 * and `from m import B as C`, `import os, sys` is `import os` and `import sys` (`A as A` is `A`), `from m import A; import
 * os` `from m import A` and `import os`; comments, brackets and backslashes left out.
 */
function pythonSpecs(statement: string): readonly string[] {
  return pythonSimpleStatements(statement).flatMap(pythonSimpleSpecs);
}

function pythonSimpleSpecs(statement: string): readonly string[] {
  const text = statement.replace(/#.*$/gm, '').replace(/[()\\]/g, ' ').replace(/\s+/g, ' ').trim();
  const head = /^(?:from \S+ )?import /.exec(text)?.[0];
  if (head === undefined) return [statement];
  const names = text
    .slice(head.length)
    .split(',')
    .map((name) => name.trim().replace(/^(\S+) as \1$/, '$1'))
    .filter((name) => name !== '');
  return names.length > 0 ? names.map((name) => head + name) : [statement];
}

/**
 * The statements that import the new ones of a Python statement's specs (ImportSyntax.rejoin): the statement as it is
 * when all are new; else a line of the new names alone for each module they come from — `from m import D` for the
 * answer's `from m import A, D` beside the file's `from m import A, B`; `import os` for `from m import A; import os`.
 * (A line of its own, not D merged into the file's: that line may be written over several lines, with comments, or be
 * among the replaced lines; isort merges them when the user wants it.)
 */
function pythonRejoin(statement: string, fresh: readonly string[]): readonly string[] {
  if (fresh.length === pythonSpecs(statement).length) return [statement];
  const byHead = new Map<string, string[]>();
  for (const spec of fresh) {
    const head = /^(?:from \S+ )?import /.exec(spec)?.[0] ?? '';
    byHead.set(head, [...(byHead.get(head) ?? []), spec.slice(head.length)]);
  }
  return [...byHead].map(([head, names]) => head + names.join(', '));
}

/**
 * Where a Python statement stands at a line's end: the triple quote of a string still open, how many brackets are
 * open, and whether the line ended in a backslash. Strings on a line and comments are passed over (`f("(")  # a )`).
 */
interface PythonLineState {
  readonly quote: string | undefined;
  readonly depth: number;
  readonly continued: boolean;
}

const PYTHON_STATEMENT_START: PythonLineState = { quote: undefined, depth: 0, continued: false };

/** What a Python line's state changes at (pythonLineState): a comment, a quote, a bracket, a backslash; and a semicolon. */
const PYTHON_SPECIAL = /[#'"()[\]{}\\;]/g;

/** `semicolons`, when given, gets the offset of each `;` that ends a simple statement (outside strings, comments, brackets). */
function pythonLineState(line: string, before: PythonLineState, semicolons?: number[]): PythonLineState {
  let { quote, depth } = before;
  let j = 0;
  // In a triple-quoted string: the next closing quote and the next backslash from where the scan is, searched again
  // only once the scan has passed them (-1: none up to the line's end). Searched from j at each backslash, a string of
  // escapes (`DATA = """\x00\x00…`) had the line read to its closing quote once per backslash: seconds for a long one.
  // Each search now starts past the last one's find, so a line is read at most twice.
  let close = -2;
  let escape = -2;
  while (j < line.length) {
    if (quote !== undefined) {
      if (close !== -1 && close < j) close = line.indexOf(quote, j);
      if (escape !== -1 && escape < j) escape = line.indexOf('\\', j);
      if (escape >= 0 && (close < 0 || escape < close)) j = escape + 2;
      else if (close < 0) break;
      else {
        quote = undefined;
        j = close + 3;
      }
      continue;
    }
    PYTHON_SPECIAL.lastIndex = j;
    const ch = PYTHON_SPECIAL.exec(line)?.[0];
    if (ch === undefined || ch === '#') break;
    j = PYTHON_SPECIAL.lastIndex;
    // (Outside a string a backslash is a line's continuation.)
    if (ch === '\\') return { quote, depth, continued: true };
    if (ch === '"' || ch === "'") {
      if (line.startsWith(ch.repeat(2), j)) {
        quote = ch.repeat(3);
        j += 2;
        continue;
      }
      for (; j < line.length && line.charAt(j) !== ch; j++) if (line.charAt(j) === '\\') j++;
      j++;
    } else if (ch === ';') {
      if (depth === 0) semicolons?.push(j - 1);
    } else if (ch === '(' || ch === '[' || ch === '{') depth++;
    else depth = Math.max(0, depth - 1);
  }
  return { quote, depth, continued: false };
}

/** Whether a Python statement is complete at a line's end: no string, bracket or backslash continues it. */
function pythonComplete(state: PythonLineState): boolean {
  return state.quote === undefined && state.depth === 0 && !state.continued;
}

/**
 * The last line (index) of the Python statement starting at `start` (ImportSyntax.statementEnd): where its brackets and
 * strings close (`USAGE = """` and a line `import x` in the string; `f(\n    "(",\n)`).
 */
function pythonStatementEnd(lines: readonly string[], start: number): number {
  let state = PYTHON_STATEMENT_START;
  for (let i = start; i < lines.length; i++) {
    state = pythonLineState(lines[i] ?? '', state);
    if (pythonComplete(state)) return i;
  }
  return lines.length - 1;
}

/**
 * Every import statement at a Python file's margin (ImportSyntax.moduleImports), wherever it is: after set-up code
 * (`load_dotenv()`), after other code or a function. A line in a string over several lines (`USAGE = """` … `import x`
 * … `"""`), or in a statement's brackets or after its backslash, starts none; a function's import is indented.
 */
function pythonModuleImports(lines: readonly string[]): readonly string[] {
  const statements: string[] = [];
  let state = PYTHON_STATEMENT_START;
  // The first line of the import statement being read, -1 with none.
  let start = -1;
  // (Read as far as the last line that may start one: most files have none past their import section.)
  const last = lines.findLastIndex((line) => PYTHON_IMPORT.test(line));
  for (let i = 0; i < lines.length && (i <= last || start >= 0); i++) {
    const line = lines[i] ?? '';
    if (pythonComplete(state) && PYTHON_IMPORT.test(line)) start = i;
    state = pythonLineState(line, state);
    if (start >= 0 && pythonComplete(state)) {
      statements.push(lines.slice(start, i + 1).join('\n'));
      start = -1;
    }
  }
  return statements;
}

const ES_MODULE = /(?:\bfrom\s*|^import\s*|\brequire\(\s*)['"]([^'"]+)['"]/;

/**
 * A TypeScript/JavaScript import's names one by one (ImportSyntax.specs): `import D, { a, b as c } from "./x"` is `import
 * D from './x'`, `import { a } from './x'` and `import { b as c } from './x'` (`a as a` is `a`; `import type` kept, and
 * `{ type T }` written as `import type { T }`). Any other statement (a side-effect import, `require`, `export … from`) is
 * one.
 */
function esSpecs(statement: string): readonly string[] {
  const text = statement
    .replace(/\/\*[\s\S]*?\*\//g, ' ')
    .replace(/\/\/.*$/gm, '')
    .replace(/\s+/g, ' ')
    .trim();
  const m = /^import (type )?(?:([\w$]+) ?, ?(?=[{*])|([\w$]+) (?=from))?(?:\{([^}]*)\}|\* ?as ([\w$]+))? ?from ?(['"])([^'"]+)\6 ?;?$/.exec(text);
  if (!m) return [statement];
  const [, type = '', withOthers, alone, named, namespace, , module = ''] = m;
  const defaultName = withOthers ?? alone;
  const from = ` from '${module}'`;
  const names = (named ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter((name) => name !== '');
  const specs = [
    ...(defaultName === undefined ? [] : [`import ${type}${defaultName}${from}`]),
    ...(namespace === undefined ? [] : [`import ${type}* as ${namespace}${from}`]),
    ...names.map((name) => {
      // `import { type T }` is `import type { T }`: a type-only import of T either way (`{ type as t }` imports the name
      // `type`).
      const typeOnly = type === '' ? /^type ([\w$]+(?: as [\w$]+)?)$/.exec(name)?.[1] : undefined;
      return `import ${typeOnly === undefined ? type : 'type '}{ ${(typeOnly ?? name).replace(/^(\S+) as \1$/, '$1')} }${from}`;
    }),
  ];
  return specs.length > 0 ? specs : [statement];
}

const ES: ImportSyntax = {
  starts: /^(?:import(?:\s+type)?\s*[\w$*{'"]|export\s+(?:type\s+)?(?:\*|\{)|(?:const|let|var)\s+[\w${}\s,:]+=\s*require\(\s*['"])/,
  confirms: /^(?!export)|\bfrom\s*['"]/,
  lineComment: C_COMMENT,
  blockComments: true,
  header: /^(['"])use [\w ]+\1;?$/,
  moduleOf: (s) => ES_MODULE.exec(s)?.[1],
  specs: esSpecs,
  covers: (spec) => (/^import (?!type )(?:\{ |\* as |[\w$]+ from )/.test(spec) ? [spec.replace(/^import /, 'import type ')] : []),
};

const JVM: ImportSyntax = { starts: /^import\s+(?:static\s+)?[\w.*]/, lineComment: C_COMMENT, blockComments: true, header: /^package\s+[\w.]+;?$/ };

const C_INCLUDE: ImportSyntax = { starts: /^#\s*(?:include|import)\s*[<"]/, lineComment: C_COMMENT, blockComments: true, header: /^#\s*pragma\s+once\b/ };

/** Import syntax by language family (languageFamily); a language not here gets no import handling. */
const SYNTAX: Readonly<Record<string, ImportSyntax>> = {
  typescript: ES,
  javascript: ES,
  python: {
    starts: PYTHON_IMPORT,
    lineComment: /^#/,
    blockComments: false,
    docstring: true,
    first: (statement) => /^from\s+__future__\s+import\b/.test(statement),
    trailingComment: /[ \t]*#.*$/gm,
    // Set-up the imports after it need first: a change of where modules are found (`sys.path.insert(0, "lib")`, an
    // assignment to sys.path, `site.addsitedir(…)`, `os.environ["X"] = …`) or a call that binds no name
    // (`matplotlib.use("Agg")` before `import matplotlib.pyplot`, `load_dotenv()`, `django.setup()` before the models).
    // Code that binds names ends the imports: a script's `df = pd.read_csv(…)` before a later `import matplotlib` is
    // where its code starts, and an import put after that later one would come after the uses (NameError).
    between: (statement) => PYTHON_PATH_SETUP.test(statement) || pythonBareCall(statement),
    binds: pythonBinds,
    specs: pythonSpecs,
    rejoin: pythonRejoin,
    moduleImports: pythonModuleImports,
    statementEnd: pythonStatementEnd,
  },
  go: {
    starts: /^import\b/,
    lineComment: C_COMMENT,
    blockComments: true,
    header: /^package\s+\w+/,
    specs: (s) =>
      s
        .replace(/^import\s*\(?/, '')
        .replace(/\)\s*$/, '')
        .split(/\r?\n|;/)
        .map((l) => l.replace(/\/\/.*$/, '').trim())
        .filter((l) => l !== '')
        .map((l) => `import ${l}`),
    moduleOf: (s) => /"([^"]+)"\s*$/.exec(s.replace(/\/\/.*$/, '').trim())?.[1],
    rejoin: (_, fresh) => fresh,
    mergeIntoGroup: goGroupMerge,
    mergeTarget: goMergeTarget,
  },
  rust: { starts: /^(?:pub(?:\([\w\s:]+\))?\s+)?use\s+[\w:{*]|^extern\s+crate\s/, lineComment: C_COMMENT, blockComments: true, header: /^#!\[/ },
  java: JVM,
  kotlin: JVM,
  scala: JVM,
  groovy: JVM,
  csharp: { starts: /^(?:global\s+)?using\s+(?:static\s+)?[\w.]+(?:\s*=\s*[\w.<>, ]+)?\s*;/, lineComment: C_COMMENT, blockComments: true },
  c: C_INCLUDE,
  cpp: C_INCLUDE,
  'cuda-cpp': C_INCLUDE,
  objectivec: C_INCLUDE,
  'objective-cpp': C_INCLUDE,
};

/** A Go import spec's path (`"fmt"`, `f "fmt"`, `_ "github.com/lib/pq"`), or undefined for a line that is none. */
function goSpecPath(line: string): string | undefined {
  return /^\s*(?:[\w.]+\s+)?"([^"]+)"\s*(?:\/\/.*)?$/.exec(line)?.[1];
}

/** Whether a Go import path is the standard library's: its first element has no dot (goimports' rule). */
function goStandard(path: string): boolean {
  return !(path.split('/')[0] ?? '').includes('.');
}

/**
 * A Go `import ( … )` group's lines (the `import (` and `)` lines included) with `statements` (`import "strings"`,
 * `import s "sort"`) added, as gofmt and goimports keep a group: a standard library path goes into the first run of
 * standard library paths (runs are set apart by blank lines), another module's into the last run of other modules',
 * each sorted in among the run's paths (before the comment lines above the first path after it); with no such run,
 * a run of its own after a blank line (before the others, for the standard library). Undefined for a group written
 * otherwise than one spec a line (`import ( "a"; "b" )`), which a line of its own after it imports from as well.
 */
function goGroupMerge(groupLines: readonly string[], statements: readonly string[]): readonly string[] | undefined {
  if (groupLines.length === 1) {
    // A lone `import "fmt"`: made a group, as goimports does.
    const spec = (groupLines[0] ?? '').replace(/^import\s+/, '').trim();
    return goSpecPath(spec) === undefined ? undefined : goGroupMerge(['import (', `\t${spec}`, ')'], statements);
  }
  const open = (groupLines[0] ?? '').replace(/\/\/.*$/, '').trim();
  const close = (groupLines.at(-1) ?? '').replace(/\/\/.*$/, '').trim();
  if (groupLines.length < 2 || !/^import\s*\($/.test(open) || close !== ')') return undefined;
  const body = groupLines.slice(1, -1);
  if (body.some((l) => l.trim() !== '' && !l.trim().startsWith('//') && goSpecPath(l) === undefined)) return undefined;
  const indent = /^\s*/.exec(body.find((l) => goSpecPath(l) !== undefined) ?? '')?.[0] || '\t';
  for (const statement of statements) {
    const spec = statement.replace(/^import\s+/, '').trim();
    const path = goSpecPath(spec);
    if (path === undefined) return undefined;
    const standard = goStandard(path);
    // The runs: each its first and last line (index into body), and whether its paths are the standard library's.
    const runs: { first: number; last: number; standard: boolean }[] = [];
    body.forEach((l, k) => {
      if (l.trim() === '') return;
      const run = runs.at(-1);
      if (run && run.last === k - 1) run.last = k;
      else runs.push({ first: k, last: k, standard: true });
    });
    for (const run of runs) run.standard = body.slice(run.first, run.last + 1).every((l) => goSpecPath(l) === undefined || goStandard(goSpecPath(l) ?? ''));
    const run = standard ? runs.find((r) => r.standard) : runs.findLast((r) => !r.standard);
    const line = `${indent}${spec}`;
    if (!run) {
      if (runs.length === 0) body.push(line);
      else if (standard) body.unshift(line, '');
      else body.push('', line);
      continue;
    }
    let at = run.last + 1;
    for (let k = run.first; k <= run.last; k++) {
      const other = goSpecPath(body[k] ?? '');
      if (other === undefined || other <= path) continue;
      at = k;
      // (A comment right above a path is that path's.)
      while (at > run.first && (body[at - 1] ?? '').trim().startsWith('//')) at--;
      break;
    }
    body.splice(at, 0, line);
  }
  return [groupLines[0] ?? 'import (', ...body, groupLines.at(-1) ?? ')'];
}

/**
 * Which of a Go text's import declarations new imports go into (ImportSyntax.mergeTarget): its last `import ( … )`
 * group; with none, its one-line import (`import "fmt"`, made a group) when it is the only one — not cgo's `import "C"`,
 * which stands alone under its preamble comment, nor one of several one-line imports, after which a line of its own is
 * as good as any.
 */
function goMergeTarget(statements: readonly string[]): number | undefined {
  const group = statements.findLastIndex((s) => /^import\s*\(/.test(s));
  if (group >= 0) return group;
  const lone = statements.flatMap((s, k) => (goSpecPath(s.replace(/^import\s+/, '')) === 'C' ? [] : [k]));
  const only = lone.length === 1 ? lone[0] : undefined;
  return only !== undefined && goSpecPath((statements[only] ?? '').replace(/^import\s+/, '')) !== undefined ? only : undefined;
}

function syntaxOf(languageId: string): ImportSyntax | undefined {
  return SYNTAX[languageFamily(languageId)];
}

/** The most lines one import statement is followed over (a long `import { … }` list): past it, the code is no import. */
const MAX_STATEMENT_LINES = 200;

/** The last line (index) of the statement starting at `start`: where its brackets close (and no line ends in a backslash). */
function statementEnd(lines: readonly string[], start: number): number {
  let depth = 0;
  for (let i = start; i < lines.length && i < start + MAX_STATEMENT_LINES; i++) {
    const line = (lines[i] ?? '').replace(/\/\/.*$/, '');
    for (const ch of line) {
      if (ch === '(' || ch === '{' || ch === '[') depth++;
      else if (ch === ')' || ch === '}' || ch === ']') depth--;
    }
    if (depth <= 0 && !line.trimEnd().endsWith('\\')) return i;
  }
  return start;
}

/** The last line (index) of a comment or docstring starting at `start` (itself, for a line comment), or undefined when the line starts none. */
function commentEnd(lines: readonly string[], start: number, syntax: ImportSyntax, top: boolean): number | undefined {
  const t = (lines[start] ?? '').trim();
  if (syntax.lineComment.test(t) || (start === 0 && t.startsWith('#!'))) return start;
  const close = syntax.blockComments && t.startsWith('/*') ? '*/' : syntax.docstring && top ? /^[rRuUbB]?("""|''')/.exec(t)?.[1] : undefined;
  if (close === undefined) return undefined;
  const open = t.startsWith('/*') ? 2 : t.indexOf(close) + 3;
  if (t.indexOf(close, open) >= 0) return start;
  for (let i = start + 1; i < lines.length; i++) if ((lines[i] ?? '').includes(close)) return i;
  return lines.length - 1;
}

interface ImportSection {
  /** The import statements, each with its lines. */
  readonly statements: readonly { readonly start: number; readonly end: number; readonly text: string }[];
  /** The last line of the last import statement, -1 with none. */
  readonly lastImportEnd: number;
  /** The last line of what comes before the imports (shebang, licence comment, package clause, directive, docstring), -1 with none. */
  readonly headerEnd: number;
  /** Whether every line that is not blank or a comment belongs to an import statement (and there is one). */
  readonly onlyImports: boolean;
}

/** The last line (index) of a statement at the margin that is no import (`between`): where its brackets, or a string over several lines it opens, close. */
function codeEnd(lines: readonly string[], start: number, syntax: ImportSyntax): number {
  return syntax.statementEnd?.(lines, start) ?? statementEnd(lines, start);
}

/**
 * The import section at the top of a text: its import statements, up to the first other code — but for code imports
 * may follow (`between`: Python's sys.path change or `load_dotenv()`, and the imports after it that need it), when an
 * import does follow it: the section then ends with that import. A comment right before code (a doc comment) is the code's, not the
 * header's; a module docstring right after a top comment (`# Copyright`, `# -*- coding: utf-8 -*-`) is the header's.
 * `codeFrom`: the first line from which such code ends the section too, and `uses`: whether such code uses what is
 * imported (where imports go: not after code that may use them).
 */
function importSection(lines: readonly string[], syntax: ImportSyntax, codeFrom = Infinity, uses?: (code: string) => boolean): ImportSection {
  const statements: { start: number; end: number; text: string }[] = [];
  let headerEnd = -1;
  let docstringSeen = false;
  // The first line of the code after the last import so far (`between` code, and comments with it), -1 with none; and
  // whether code came between imports (a code block with such code is no import block).
  let codeStart = -1;
  let codeBetween = false;
  let i = 0;
  for (; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const t = line.trim();
    if (t === '') continue;
    // (A module docstring is the first statement: comments before it aside, it is the one before any import or code.)
    const top = statements.length === 0 && !docstringSeen;
    const comment = commentEnd(lines, i, syntax, top);
    if (comment !== undefined) {
      const docstring = !syntax.lineComment.test(t) && !t.startsWith('/*') && !t.startsWith('#!');
      // (A docstring is the header's wherever it is followed; a comment only when no code follows it at once — the
      // module docstring after `# Copyright` is no code: an import above it would break PEP 263's coding line and __doc__.)
      const next = lines[comment + 1]?.trim() ?? '';
      const attached = next !== '' && !syntax.starts.test(next) && !(syntax.header?.test(next) ?? false) && commentEnd(lines, comment + 1, syntax, top && !docstring) === undefined;
      if (docstring) docstringSeen = true;
      if (attached && !docstring) {
        // (A comment on code between imports goes with that code: past both when an import follows.)
        if (statements.length === 0 || !syntax.between) break;
        if (codeStart < 0) codeStart = i;
        i = comment;
        continue;
      }
      if (statements.length === 0) headerEnd = comment;
      i = comment;
      continue;
    }
    if (/^\s/.test(line) === false && syntax.starts.test(t)) {
      const end = statementEnd(lines, i);
      const text = lines.slice(i, end + 1).join('\n');
      if (syntax.confirms && !syntax.confirms.test(text)) break;
      statements.push({ start: i, end, text });
      if (codeStart >= 0) codeBetween = true;
      codeStart = -1;
      i = end;
      continue;
    }
    if (statements.length === 0 && syntax.header?.test(t)) {
      headerEnd = i;
      continue;
    }
    if (statements.length > 0 && i < codeFrom && /^\s/.test(line) === false && syntax.between) {
      const end = codeEnd(lines, i, syntax);
      const code = lines.slice(i, end + 1).join('\n');
      if (syntax.between(code) && !(uses?.(code) ?? false)) {
        if (codeStart < 0) codeStart = i;
        i = end;
        continue;
      }
    }
    break;
  }
  // (No import after the code: the section ends before it.)
  if (codeStart >= 0) i = codeStart;
  const rest = lines.slice(i).some((l, k) => l.trim() !== '' && commentEnd(lines, i + k, syntax, false) === undefined);
  return { statements, lastImportEnd: statements.at(-1)?.end ?? -1, headerEnd, onlyImports: statements.length > 0 && !rest && !codeBetween };
}

/**
 * The import statements of a code block that holds nothing else (blank lines and comments aside), or undefined when it
 * holds other code or the language's imports are not known here.
 */
export function importOnlyStatements(code: string, languageId: string): readonly string[] | undefined {
  const syntax = syntaxOf(languageId);
  if (!syntax) return undefined;
  const section = importSection(code.replace(/\r\n/g, '\n').split('\n'), syntax);
  return section.onlyImports ? section.statements.map((s) => s.text) : undefined;
}

/** A statement as compared with others: white space collapsed, a final semicolon dropped. */
function statementKey(statement: string): string {
  return statement.replace(/\s+/g, ' ').replace(/\s*;\s*$/, '').trim();
}

export interface ImportPlacement {
  /** The fix's code: with the imports in it when they go among the lines it replaces (or right where they start). */
  readonly code: string;
  /**
   * The imports' text and the document offset it goes at, when they go outside the lines the fix replaces; `replaces`:
   * how much of the document's text from there it replaces (Go's import group, its lines given back with the new ones
   * sorted in among them, or a lone `import "fmt"` line made a group), none when absent.
   */
  readonly insert?: { readonly offset: number; readonly text: string; readonly replaces?: number };
  /** The import statements the change adds. */
  readonly added: readonly string[];
  /**
   * Those it leaves out, for the user to add: they import a module the file imports already (merging them is the
   * user's call), or there is no place for them (the file's last import is among the lines replaced, and the fix's
   * code does not show it), or the language's imports are not known here.
   */
  readonly unplaced: readonly string[];
}

/**
 * Where an answer's import statements go in a document whose lines `window` (0-based, inclusive) the fix's `code`
 * replaces: after the file's last import; with none, after its header (shebang, licence comment, package clause, 'use
 * strict', module docstring) or at the top — Python's `from __future__` imports (first) before every other statement, after
 * the file's own or before its first import. Statements the file (or the fix's code) has already are dropped, name by name
 * (specs: Python's `from m import A` beside the file's `from m import A, B`; of `from m import A, D` only D is added). The
 * import lines end as the document's do (CRLF or LF). When `code` is the window's own `text` (an import-only fix), the
 * imports are always an insert of their own, wherever they go, and the code is left as it is: put in front of it, the
 * code would no longer be the window's text and would be fitted again (re-indented) as an answer's.
 */
export function placeImports(
  documentText: string,
  window: { readonly startLine: number; readonly endLine: number; readonly text?: string },
  code: string,
  imports: readonly string[],
  languageId: string,
): ImportPlacement {
  const syntax = syntaxOf(languageId);
  if (!syntax) return { code, added: [], unplaced: imports };
  const lines = documentText.split(/\r?\n/);
  const eol = documentText.includes('\r\n') ? '\r\n' : '\n';
  const section = importSection(lines, syntax);
  const codeLines = code.replace(/\r\n/g, '\n').split('\n');
  const codeSection = importSection(codeLines, syntax);
  const expand = (s: string): readonly string[] => syntax.specs?.(s) ?? [s];
  const withCovered = (spec: string): readonly string[] => [spec, ...(syntax.covers?.(spec) ?? [])];
  const keyOf = (statement: string): string => statementKey(syntax.trailingComment ? statement.replace(syntax.trailingComment, '') : statement);
  // (Compared with all of the file's module-level imports where they are known: Python's after `load_dotenv()` or
  // `matplotlib.use("Agg")` are the file's as much as those before it.)
  const allOf = (ls: readonly string[], s: ImportSection): readonly string[] => [...s.statements.map((st) => st.text), ...(syntax.moduleImports?.(ls) ?? [])];
  // The imports the file has are those of the file as the fix leaves it: the replaced lines' imports are gone unless
  // the fix's code has them too (a window `import requests` / `r = requests.get(…)` whose fix leaves the import out
  // still needs it, and it would be lost). The fix's code stands in the window's place, so a string or bracket the
  // window closes still closes there.
  const fixedLines = [...lines.slice(0, window.startLine), ...codeLines, ...lines.slice(window.endLine + 1)];
  const fixedSection = importSection(fixedLines, syntax);
  const have = new Set([...allOf(fixedLines, fixedSection), ...allOf(codeLines, codeSection)].flatMap(expand).flatMap(withCovered).map(keyOf));
  const modules = new Set(fixedSection.statements.flatMap((s) => expand(s.text).map((e) => syntax.moduleOf?.(e))).filter((m) => m !== undefined));
  const add: string[] = [];
  const unplaced: string[] = [];
  // (Name by name: `from m import A` is one the file has when it has `from m import A, B`; of the answer's `from m
  // import A, D`, D alone is new — rejoin.)
  for (const statement of imports) {
    const specs = expand(statement);
    const fresh = specs.filter((spec) => {
      const had = have.has(keyOf(spec));
      for (const covered of withCovered(spec)) have.add(keyOf(covered));
      return !had;
    });
    if (fresh.length === 0) continue;
    const statements = syntax.rejoin?.(statement, fresh) ?? (fresh.length === specs.length ? [statement] : undefined);
    if (statements === undefined) {
      unplaced.push(statement);
      continue;
    }
    for (const s of statements) {
      const module = syntax.moduleOf?.(s);
      if (module !== undefined && modules.has(module)) unplaced.push(s);
      else add.push(s);
    }
  }
  if (add.length === 0) return { code, added: [], unplaced };
  // Go: into the file's last `import ( … )` group (or its lone `import "fmt"`, made a group), outside the replaced
  // lines (a line of its own after it would be a second import declaration gofmt leaves as it is, and goimports
  // merges) — or among them when the fix's code is their text as it is (an insert of its own, the lines left alone).
  const targetOf = (s: ImportSection): ImportSection['statements'][number] | undefined => {
    const k = syntax.mergeTarget?.(s.statements.map((st) => st.text));
    return k === undefined ? undefined : s.statements[k];
  };
  const group = targetOf(section);
  if (group && syntax.mergeIntoGroup && (group.end < window.startLine || group.start > window.endLine || code === window.text)) {
    const merged = syntax.mergeIntoGroup(lines.slice(group.start, group.end + 1), add);
    if (merged && group.start === group.end && !/^import\s*\(/.test(group.text)) {
      const offset = lineStart(documentText, group.start);
      return { code, insert: { offset, replaces: (lines[group.start] ?? '').length, text: merged.join(eol) }, added: add, unplaced };
    }
    if (merged) {
      const offset = lineStart(documentText, group.start + 1);
      const text = merged.slice(1, -1).map((l) => l + eol).join('');
      return { code, insert: { offset, replaces: lineStart(documentText, group.end) - offset, text }, added: add, unplaced };
    }
  }
  // The replaced lines hold the group: the fix's code holds its own, which the imports go into (a declaration of their
  // own after it, in the code, would be a second one).
  if (group && syntax.mergeIntoGroup && group.start >= window.startLine && group.end <= window.endLine) {
    const own = targetOf(codeSection);
    const merged = own && syntax.mergeIntoGroup(codeLines.slice(own.start, own.end + 1), add);
    if (own && merged) return { code: [...codeLines.slice(0, own.start), ...merged, ...codeLines.slice(own.end + 1)].join(eol), added: add, unplaced };
  }
  // Python's `from __future__ import …` (first) goes before every other statement: after the file's own (a line of its
  // own, as other new names), else right before its first import — wherever the other new imports go.
  const isFirst = (s: string): boolean => syntax.first?.(s) ?? false;
  // After the last import — but never past set-up code (a sys.path change, `matplotlib.use("Agg")`) from the replaced
  // lines on, nor past set-up code that uses a name the imports bind: that code may use what the imports bring
  // (`sys.path.insert(0, os.getcwd())` and the answer's `import os`; a notebook's `np.random.seed(0)` before its later
  // `import matplotlib.pyplot as plt`, and the answer's `import numpy as np`).
  const names = add.filter((s) => !isFirst(s)).flatMap((s) => syntax.binds?.(s) ?? []);
  const usesName = names.length > 0 ? new RegExp(`(?<![\\w.])(?:${names.join('|')})(?!\\w)`) : undefined;
  const uses = usesName && ((code: string): boolean => usesName.test(code));
  const placed = section.statements.length > 0 && syntax.between ? importSection(lines, syntax, window.startLine, uses) : section;
  const at = placed.lastImportEnd >= 0 ? placed.lastImportEnd + 1 : placed.headerEnd + 1;
  // Where the first statements go (no further than `at`): after the file's own, or at its first import.
  const leading = section.statements.findIndex((st) => !isFirst(st.text));
  const firstEnd = (leading < 0 ? section.statements : section.statements.slice(0, leading)).at(-1)?.end;
  const firstAt = Math.min(at, firstEnd !== undefined ? firstEnd + 1 : (section.statements[0]?.start ?? at));
  // (Where both go at one place, the first statements go first.)
  const early = firstAt < at ? add.filter(isFirst) : [];
  const rest = firstAt < at ? add.filter((s) => !isFirst(s)) : [...add.filter(isFirst), ...add.filter((s) => !isFirst(s))];
  // With no imports yet, a blank line sets them off from the header before and the code after, as files have them.
  const firstImports = placed.lastImportEnd < 0;
  const framed = (lineEnd: string): string => {
    const joined = rest.join('\n').replace(/\n/g, lineEnd) + lineEnd;
    if (!firstImports) return joined;
    const before = at > 0 && (lines[at - 1] ?? '').trim() !== '' ? lineEnd : '';
    const after = (lines[at] ?? '').trim() !== '' ? lineEnd : '';
    return before + joined + after;
  };
  type Spot = Pick<ImportPlacement, 'code' | 'insert'>;
  // Where `rest` goes: undefined when there is no place for it that is sure.
  const restSpot = ((): Spot | undefined => {
    if (rest.length === 0) return { code };
    if (at < window.startLine || at > window.endLine || code === window.text) {
      if (at >= lines.length) return { code, insert: { offset: documentText.length, text: eol + rest.join('\n').replace(/\n/g, eol) } };
      return { code, insert: { offset: lineStart(documentText, at), text: framed(eol) } };
    }
    if (at === window.startLine) {
      // (Right where the replaced lines start: in front of the fix's code — one edit, not two at one place.)
      return { code: framed(eol) + code };
    }
    // The file's imports end among the replaced lines: the fix's code has them too, and the new ones go after its last.
    // (Not past the set-up code among them either.)
    const codePlaced = codeSection.statements.length > 0 && syntax.between ? importSection(codeLines, syntax, 0) : codeSection;
    if (codePlaced.lastImportEnd < 0) return undefined;
    const k = codePlaced.lastImportEnd + 1;
    // (The lines joined as the document's end: the fix's own CRLF ones were split apart.)
    return { code: [...codeLines.slice(0, k), ...rest.flatMap((s) => s.split('\n')), ...codeLines.slice(k)].join(eol) };
  })();
  if (early.length === 0) return restSpot ? { ...restSpot, added: rest, unplaced } : { code, added: [], unplaced: [...rest, ...unplaced] };
  // The first statements at firstAt, before the file's first import (or after its own first ones), outside the replaced
  // lines: with the others' insert, when no replaced line is between, one insert that gives back the lines between;
  // else an insert of their own, or in front of the fix's code when the replaced lines start there.
  const base = restSpot ?? { code };
  const earlyText = early.join('\n').replace(/\n/g, eol) + eol;
  const clear = (from: number, to: number): boolean => code === window.text || to < window.startLine || from > window.endLine;
  const offset = lineStart(documentText, firstAt);
  const spot = ((): Spot | undefined => {
    if (base.insert && clear(firstAt, at - 1)) {
      const { insert } = base;
      const text = earlyText + documentText.slice(offset, insert.offset) + insert.text;
      return { code: base.code, insert: { offset, replaces: insert.offset + (insert.replaces ?? 0) - offset, text } };
    }
    if (!base.insert && clear(firstAt, firstAt)) return { code: base.code, insert: { offset, text: earlyText } };
    if (firstAt === window.startLine && code !== window.text) return { code: earlyText + base.code, ...(base.insert ? { insert: base.insert } : {}) };
    return undefined;
  })();
  const restAdded = restSpot ? rest : [];
  const restLeft = restSpot ? [] : rest;
  if (!spot) return { ...base, added: restAdded, unplaced: [...early, ...restLeft, ...unplaced] };
  return { ...spot, added: [...early, ...restAdded], unplaced: [...restLeft, ...unplaced] };
}

/** The offset line `line` (0-based, within the text) starts at. */
function lineStart(text: string, line: number): number {
  let offset = 0;
  for (let seen = 0; seen < line; seen++) offset = text.indexOf('\n', offset) + 1;
  return offset;
}
