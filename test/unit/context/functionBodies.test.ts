import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { parseFileText } from '../../../src/core/context/fileProcessor';
import { bodiesWhereExpected, bodiesWithoutCalls, includedRangesAround, readSource, repairedSlice, repairedSource, repairsAfterEdit } from '../../../src/core/context/functionBodies';
import { LANGUAGE_RULES } from '../../../src/core/context/languageRules';
import { extractDeclarations } from '../../../src/core/context/symbolExtractor';
import { generateSyntheticWorkspace } from '../../../bench/syntheticWorkspace';
import { seededRandom, SEMICOLONLESS_OVERLOADS, VARIANCE } from './builders';
import { loader } from './indexerHarness';

/** The bodies readSource finds (JavaScript with `jsx`); undefined when it finds none or gives up. */
function functionBodies(source: string, jsx: boolean): Int32Array | undefined {
  const bodies = readSource(source, jsx ? 'javascript' : 'typescript')?.bodies;
  return bodies && bodies.length > 0 ? bodies : undefined;
}

/** The insides of the bodies functionBodies finds, as text; undefined when it finds none or gives up. */
function insides(source: string, jsx = false): string[] | undefined {
  const bodies = functionBodies(source, jsx);
  if (!bodies) return undefined;
  const out: string[] = [];
  for (let r = 0; r < bodies.length; r += 2) out.push(source.slice(bodies[r], bodies[r + 1]));
  return out;
}

type Script = 'typescript' | 'javascript';

async function parsed(language: Script, source: string, bodies?: Int32Array): Promise<Tree> {
  const grammar = await loader().load(language);
  const tree = bodies ? grammar.parser.parse(source, null, { includedRanges: includedRangesAround(source, bodies) }) : grammar.parser.parse(source);
  assert.ok(tree);
  return tree;
}

/** Everything the index keeps from a file's declarations, for comparing two parses of it. */
async function declarations(language: Script, file: string, source: string, tree: Tree): Promise<string> {
  const grammar = await loader().load(language);
  const { definitions, imports, nameStarts, importStarts } = extractDeclarations(file, language, source, tree, grammar.query);
  return JSON.stringify({ definitions: definitions.map((d) => ({ ...d, id: d.id })), imports, nameStarts, importStarts });
}

describe('function bodies left out of a file parse', () => {
  it('finds the bodies of functions, arrows, generators, methods, accessors and static blocks, outermost only', () => {
    const source = [
      'function a(x) { return x + 1 }',
      'async function* b() { yield 1 }',
      'const c = function (y) { if (y) { return 2 } }',
      'const d = async (z) => { await z }',
      'class E extends Base {',
      '  constructor(p) { super(p) }',
      '  get f() { return 1 }',
      '  static g() { const h = () => { return 3 } }',
      '  #i() { }',
      '  ["j"](k) { k() }',
      '  static { init() }',
      '}',
      'export default { m(n) { n() }, o: (q) => { q() } }',
    ].join('\n');
    assert.deepEqual(insides(source), [
      ' return x + 1 ',
      ' yield 1 ',
      ' if (y) { return 2 } ',
      ' await z ',
      ' super(p) ',
      ' return 1 ',
      ' const h = () => { return 3 } ',
      ' ',
      ' k() ',
      ' init() ',
      ' n() ',
      ' q() ',
    ]);
  });

  it('finds TypeScript bodies after return types and type parameters, and leaves out what is a type', () => {
    const source = [
      'export function a<T>(x: T): Promise<{ v: T }> { return wrap(x) }',
      'function b(): { w: number } | undefined { return undefined }',
      'function c(f: () => void): () => { r: 1 } { return f }',
      'export declare function overload(x: string): string',
      'export interface I { m(): { n: 1 } }',
      'class K {',
      '  m<T>(x: T): x is T { return true }',
      '  abstract n(): void',
      '  o(): void { run() }',
      '}',
      'const p = <A,>(a: A): A => { return a }',
      'function q(x: unknown): x is { k: 1 } { return true }',
      'function s<K>(...keys: K[]): <S extends { [P in K]?: 1 }>(s: S) => S { return id }',
    ].join('\n');
    assert.deepEqual(insides(source), [' return wrap(x) ', ' return undefined ', ' return f ', ' return true ', ' run() ', ' return a ', ' return true ', ' return id ']);
  });

  it('leaves blocks, class bodies, object literals, interfaces, enums and namespaces alone', () => {
    const source = [
      'if (a) { b() } else { c() }',
      'for (const d of e) { f(d) }',
      'while (g) { h() }',
      'switch (i) { case 1: j() }',
      'try { k() } catch (l) { m(l) } finally { n() }',
      'class O extends mixin(P) { q = 1 }',
      'const r = { s: 1, t: { u: 2 } }',
      'interface V { w: number }',
      'enum X { Y }',
      'namespace Z { export const zz = 1 }',
      'type T = { a: string }',
      'const arrow = (x) => x + 1',
      // (A body after them all: the lexer read them without giving up.)
      'function last() { done() }',
    ].join('\n');
    assert.deepEqual(insides(source), [' done() ']);
  });

  it('reads braces and quotes inside strings, template literals, comments and regular expressions as text', () => {
    const source = [
      'const s = "{ \\" }"; const t = \'}\'',
      'const u = `a ${ { v: `}` }.v } b`',
      '// function nope() {',
      '/* } */',
      'const re = /[/{]\\/}/g, ratio = a / b / c, after = x++ / 2',
      'function w() { return `${"}"}` + /}/.source }',
      'const k = o.class; const obj = { class: 1 }, half = o.in / 2, q = "}"',
      'function z() { }',
    ].join('\n');
    assert.deepEqual(insides(source), [' return `${"}"}` + /}/.source ', ' ']);
  });

  it('gives up where it cannot be sure: unterminated text, unpaired brackets, JSX in JavaScript', () => {
    assert.equal(insides('function a() { return "x }\n'), undefined);
    assert.equal(insides('function a() { /* }\n'), undefined);
    assert.equal(insides('function a() { return `x }\n'), undefined);
    assert.equal(insides('function a() { return /x }\n'), undefined);
    assert.equal(insides('function a() { f( }\n'), undefined);
    assert.equal(insides('function a() { }}\n'), undefined);
    const jsx = 'function A() { return <B/> }\nfunction z() { return 1 }\n';
    assert.equal(insides(jsx, true), undefined);
    assert.deepEqual(insides(jsx, false), [' return <B/> ', ' return 1 '], 'without jsx the same text reads as comparisons');
    assert.deepEqual(insides('function a() { return b < c }\n', true), [' return b < c ']);
    assert.deepEqual(insides('const m = 1<<n, k = 1<=x\nfunction a() { return 2 }\n', true), [' return 2 ']);
  });

  it('gives the ranges around the bodies with their rows and columns (CRLF and characters outside ASCII too)', () => {
    const source = 'const é = 1\r\nfunction a() {\r\n  x()\r\n}\r\n// 😀\r\nconst b = () => { y() }\r\n';
    const bodies = functionBodies(source, false);
    assert.ok(bodies);
    const pointOf = (at: number): { row: number; column: number } => {
      const before = source.slice(0, at).split('\n');
      return { row: before.length - 1, column: (before[before.length - 1] ?? '').length };
    };
    const expected = [];
    let start = 0;
    for (let r = 0; r < bodies.length; r += 2) {
      expected.push({ startIndex: start, endIndex: bodies[r], startPosition: pointOf(start), endPosition: pointOf(bodies[r] ?? 0) });
      start = bodies[r + 1] ?? 0;
    }
    expected.push({ startIndex: start, endIndex: source.length, startPosition: pointOf(start), endPosition: pointOf(source.length) });
    assert.deepEqual(includedRangesAround(source, bodies), expected);
  });

  it('parses to what the whole text gives, for this project\'s TypeScript, the JavaScript of its dependencies and the bench\'s generated files', async function () {
    this.timeout(120_000);
    const repo = path.join(__dirname, '../../..');
    const files: { language: Script; file: string }[] = [];
    const walk = (dir: string, language: Script, ext: RegExp, limit: number): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        if (files.length >= limit) return;
        const p = path.join(dir, e.name);
        if (e.isDirectory()) walk(p, language, ext, limit);
        else if (ext.test(e.name) && !e.name.endsWith('.d.ts')) files.push({ language, file: p });
      }
    };
    walk(path.join(repo, 'src'), 'typescript', /\.ts$/, 400);
    for (const pkg of ['web-tree-sitter', 'lru-cache', 'picomatch', 'ignore', 'zod', 'markdown-it', 'undici']) {
      walk(path.join(repo, 'node_modules', pkg), 'javascript', /\.(c|m)?js$/, files.length + 60);
    }
    const generated = new Map<string, string>();
    for (const f of generateSyntheticWorkspace({ files: 300, seed: 11 })) {
      if (!/\.(ts|js)$/.test(f.path)) continue;
      generated.set(f.path, f.text);
      files.push({ language: f.path.endsWith('.ts') ? 'typescript' : 'javascript', file: f.path });
    }
    let compared = 0;
    for (const { language, file } of files) {
      const source = generated.get(file) ?? readFileSync(file, 'utf8');
      if (source.length > 256 * 1024) continue;
      const found = functionBodies(source, language === 'javascript');
      // (As a file's parse leaves them out: not the bodies that may hold an import() or require() call.)
      const bodies = found && bodiesWithoutCalls(source, found);
      if (!bodies || bodies.length === 0) continue;
      const whole = await parsed(language, source);
      const without = await parsed(language, source, bodies);
      try {
        assert.ok(bodiesWhereExpected(without, bodies, LANGUAGE_RULES[language].functionTypes), `${file}: every range left out is a body`);
        assert.equal(await declarations(language, file, source, without), await declarations(language, file, source, whole), file);
        compared++;
      } finally {
        whole.delete();
        without.delete();
      }
    }
    assert.ok(compared > 300, `compared ${compared} files`);
  });

  it('parses the whole text when a range left out proves no body (a block the lexer took for a method body)', async () => {
    // `case 1: {` reads as an object literal to the lexer, so `g(x)` then `{ … }` reads as a method.
    const source = ['switch (k) {', '  case 1: {', '    g(x)', '    { h() }', '  }', '}', 'export function f() { return 1 }', ''].join('\n');
    const bodies = functionBodies(source, false);
    assert.ok(bodies);
    const without = await parsed('javascript', source, bodies);
    try {
      assert.equal(bodiesWhereExpected(without, bodies, LANGUAGE_RULES.javascript.functionTypes), false);
    } finally {
      without.delete();
    }
    const tree = parseFileText(await loader().load('javascript'), 'javascript', source);
    assert.ok(tree);
    try {
      assert.equal(tree.rootNode.descendantForIndex(source.indexOf('h()'))?.type, 'identifier', 'the block was parsed');
      assert.equal(tree.rootNode.descendantForIndex(source.indexOf('return 1'))?.type, 'return', 'and the function body with it');
    } finally {
      tree.delete();
    }
  });

  it('parses TypeScript and JavaScript files without their bodies, and other languages whole', async () => {
    const ts = 'export function f(): number {\n  return 1\n}\n';
    const tree = parseFileText(await loader().load('typescript'), 'typescript', ts);
    assert.ok(tree);
    try {
      const block = tree.rootNode.descendantForIndex(ts.indexOf('{'))?.parent;
      assert.equal(block?.type, 'statement_block');
      assert.equal(block?.namedChildCount, 0, 'the body was left out');
    } finally {
      tree.delete();
    }
    const tsx = 'export function F() {\n  return 1\n}\n';
    const whole = parseFileText(await loader().load('tsx'), 'tsx', tsx);
    assert.ok(whole);
    try {
      assert.equal(whole.rootNode.descendantForIndex(tsx.indexOf('{'))?.parent?.namedChildCount, 1, 'TSX is parsed whole');
    } finally {
      whole.delete();
    }
  });
});

/** The text the parser reads after readSource's repairs (the source itself when the lexer gives up). */
function repaired(source: string, dialect: Script = 'typescript'): string {
  const reading = readSource(source, dialect);
  return reading ? repairedSource(source, reading.repairs) : source;
}

/** ERROR and MISSING nodes of a tree, as `row:column` of each. */
function errorsOf(tree: Tree): string[] {
  const out: string[] = [];
  const stack = [tree.rootNode];
  for (let node = stack.pop(); node; node = stack.pop()) {
    if (!node.hasError) continue;
    if (node.type === 'ERROR' || node.isMissing) out.push(`${node.startPosition.row}:${node.startPosition.column}`);
    else for (const child of node.children) if (child) stack.push(child);
  }
  return out;
}

describe("repairs of the TypeScript grammar's gaps", () => {
  const effectStyle = SEMICOLONLESS_OVERLOADS;

  it('reads variance annotations as blanks and puts a `;` before a generic call signature that follows a line break', () => {
    const text = repaired(effectStyle);
    assert.equal(text.length, effectStyle.length, 'nothing moves');
    assert.deepEqual([...text.matchAll(/\n/g)].map((m) => m.index), [...effectStyle.matchAll(/\n/g)].map((m) => m.index), 'no line moves');
    assert.ok(text.includes('export interface Variance<       A,     E,    R> {'), text);
    assert.ok(text.includes('  readonly _A: (_: A) => A\n ;<B>(self: B): B'), 'an interface member');
    assert.ok(text.includes('   */\n ;<K, V>(self: Tree<K, V>, index: number)'), 'after a doc comment');
    assert.ok(text.includes(' ;<K>(self: Tree<K, never>): void'), 'after a generic type');
    assert.ok(text.includes('export const forEach = <A>(self'), 'an arrow function is no member');
    let differing = 0;
    for (let i = 0; i < text.length; i++) if (text[i] !== effectStyle[i]) differing++;
    assert.equal(differing, 'inout'.length + 'out'.length + 'in'.length + 3, 'nothing else changes: the three modifiers and three `;`');
  });

  it('changes nothing where the grammar needs no repair', () => {
    const unchanged = [
      'for (const k in o) f(k)\nconst x = a\n  < b\nconst y = k in o ? 1 : 2\n',
      'type F<out> = { a: out }\nfunction g<in>(x: in) {}\n',
      'type X = {\n  a: number;\n  <T>(x: T): T\n}\n',
      'type X = {\n  a: (x: number) =>\n    <T>(y: T) => T\n}\n',
      'type X = {\n  a: string |\n    <T>() => T\n}\n',
      'type X = { a: number, <T>(x: T): T }\n',
      'type X = {\n  a: keyof\n    T\n}\n',
      'class C {\n  a = 1\n  <T>() {}\n}\n',
      'function f() {\n  g()\n  <T>h\n}\n',
      'const o = f(\n  a,\n  <T>(x: T) => x\n)\n',
    ];
    for (const source of unchanged) assert.equal(repaired(source), source, source);
    assert.equal(repaired(effectStyle, 'javascript'), effectStyle, 'JavaScript has neither gap');
  });

  it('parses the repaired text without the errors the original has, and extracts from the original text', async () => {
    const grammar = await loader().load('typescript');
    const original = await parsed('typescript', effectStyle);
    try {
      assert.ok(errorsOf(original).length > 0, 'tree-sitter-typescript 0.23.2 has both gaps');
    } finally {
      original.delete();
    }
    const tree = parseFileText(grammar, 'typescript', effectStyle);
    assert.ok(tree);
    try {
      assert.deepEqual(errorsOf(tree), []);
      const { definitions } = extractDeclarations('a.ts', 'typescript', effectStyle, tree, grammar.query);
      const byName = new Map(definitions.map((d) => [d.name, d]));
      assert.equal(byName.get('Variance')?.signature, 'export interface Variance<in out A, out E, in R>');
      assert.equal(byName.get('Variance')?.doc, 'Variance of a type.');
      // Without the repairs error recovery ends the interface a line early and reads the arrow function after the
      // overloads as a constant `export const forEach =` (checked).
      assert.equal(byName.get('Variance')?.endLine, 5);
      const getAt = byName.get('getAt');
      assert.ok(getAt, definitions.map((d) => d.name).join());
      assert.deepEqual([getAt.startLine, getAt.endLine, getAt.doc], [8, 15, 'The element at an index.']);
      const forEach = byName.get('forEach');
      assert.equal(forEach?.kind, 'function');
      assert.equal(forEach.signature, 'export const forEach = <A>(self: Iterable<A>, f: (a: A) => void): void =>');
    } finally {
      tree.delete();
    }
  });

  it('reads any piece of the text as the repaired text has it (repairedSlice, for re-parses that read pieces)', () => {
    const text = effectStyle.repeat(2);
    const repairs = readSource(text, 'typescript')?.repairs ?? new Int32Array(0);
    assert.ok(repairs.length >= 24);
    const whole = repairedSource(text, repairs);
    const random = seededRandom(5);
    for (let k = 0; k < 500; k++) {
      const from = Math.floor(random() * text.length);
      const to = Math.min(text.length, from + Math.floor(random() * 40));
      assert.equal(repairedSlice(text, repairs, from, to), whole.slice(from, to), `${from}..${to}`);
    }
    // Each repaired character alone, and the pieces just around it.
    for (let r = 0; r < repairs.length; r += 3) {
      const start = repairs[r] ?? 0;
      for (const [from, to] of [[start, start + 1], [start - 1, start], [start - 3, start + 3]] as const) assert.equal(repairedSlice(text, repairs, from, to), whole.slice(from, to));
    }
  });

  it('extracts the same from the repaired text with or without its function bodies', async () => {
    const reading = readSource(effectStyle, 'typescript');
    assert.ok(reading && reading.bodies.length > 0 && reading.repairs.length > 0);
    const text = repairedSource(effectStyle, reading.repairs);
    const whole = await parsed('typescript', text);
    const without = await parsed('typescript', text, reading.bodies);
    try {
      assert.ok(bodiesWhereExpected(without, reading.bodies, LANGUAGE_RULES.typescript.functionTypes));
      assert.equal(await declarations('typescript', 'a.ts', effectStyle, without), await declarations('typescript', 'a.ts', effectStyle, whole));
    } finally {
      whole.delete();
      without.delete();
    }
  });
});

describe('repairs after an edit, without reading the text again (repairsAfterEdit)', () => {
  const NONE = new Int32Array(0);
  const repairsOf = (text: string): Int32Array => readSource(text, 'typescript')?.repairs ?? NONE;
  /** `text` with `insert` typed at `at` over `deleteCount` characters, and the edit's span. */
  const typed = (text: string, at: number, insert: string, deleteCount = 0) => ({
    next: text.slice(0, at) + insert + text.slice(at + deleteCount),
    edit: { startIndex: at, oldEndIndex: at + deleteCount, newEndIndex: at + insert.length },
  });
  /** The repairs moved by an edit, as repairsAfterEdit would give them if it took every edit for one changing none. */
  const naivelyMoved = (repairs: Int32Array, at: number, deleteCount: number, insert: string): number[] =>
    [...repairs].map((v, i) => (i % 3 !== 2 && v >= at + deleteCount ? v + insert.length - deleteCount : v));

  // Strings, template literals (one with `${`), a regular expression, block and line comments, a continued string,
  // an interface whose name is on the next line, variance annotations, semicolonless overloads.
  const tricky = [
    SEMICOLONLESS_OVERLOADS,
    'const s = "a { b", t = `x ${ y } z $ {`, r = /[/]{2}/g; /* in { */',
    'const c = "line \\',
    'continued"',
    'export interface',
    'Named<in',
    '  A> {',
    '  readonly a: string // trailing',
    '  <B>(b: B): B',
    '}',
    'function f(x: number) { return x / 2 / 3 }',
  ].join('\n');

  it('gives exactly what reading the edited text gives, for random typing in sources with and without repairs', () => {
    const random = seededRandom(33);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    let moved = 0;
    let lexed = 0;
    const edgy = ['#!/usr/bin/env node\r', "x = 1e +2 / 3; const s = 'a\\", "b'; // c\rinterface Q<in out T> {", '  a: T', '  <B>(b: B): B', '}'].join('\r\n');
    for (const source of [tricky, SEMICOLONLESS_OVERLOADS.repeat(3), VARIANCE, edgy]) {
      let text = source;
      let repairs = repairsOf(text);
      for (let step = 0; step < 400; step++) {
        const n = text.length;
        let at = Math.floor(random() * n);
        let deleteCount = 0;
        let insert = '';
        const lineEnd = text.indexOf('\n', at);
        switch (pick(['letter', 'delete', 'blank', 'line', 'deleteLine', 'word', 'punctuator'] as const)) {
          case 'letter':
            insert = pick(['a', 'n', 'i', 'o', 't', '1', '_']);
            break;
          case 'delete':
            deleteCount = Math.min(1, n - at);
            break;
          case 'blank':
            insert = pick([' ', '\t', '  ']);
            break;
          case 'line':
            if (lineEnd < 0) continue;
            at = lineEnd;
            insert = pick(['\n// typed', '\n  // in out */ x', '\n', '\n    ', '\n// $ {', '\n\n//']);
            break;
          case 'deleteLine': {
            const next = lineEnd < 0 ? -1 : text.indexOf('\n', lineEnd + 1);
            if (next < 0) continue;
            at = lineEnd;
            deleteCount = next - lineEnd;
            break;
          }
          case 'word':
            insert = pick(['in', 'out', 'interface', 'value', 'return']);
            break;
          case 'punctuator':
            insert = pick(['(', '<', ',', ';', '{', '"', '`', '/', '$']);
            break;
        }
        const { next, edit } = typed(text, at, insert, deleteCount);
        const after = repairsAfterEdit(text, repairs, next, edit);
        const fresh = repairsOf(next);
        if (after) {
          moved++;
          assert.deepEqual([...after], [...fresh], `${JSON.stringify(insert)} at ${at} (deleting ${deleteCount}) in ${JSON.stringify(text.slice(Math.max(0, at - 30), at + 30))}`);
        } else lexed++;
        text = next;
        repairs = fresh;
      }
    }
    // Most typing is told without reading the text; what may change a repair is read. (Sources with CRLF line breaks,
    // lone CRs, numbers with exponents and a shebang: session 33's review found the cases of the next test this way.)
    assert.ok(moved > 400 && lexed > 200, `moved ${moved}, lexed ${lexed}`);
  });

  it('moves the repairs past typed words, blanks and whole lines, and leaves those before the edit', () => {
    const text = SEMICOLONLESS_OVERLOADS;
    const repairs = repairsOf(text);
    assert.ok(repairs.length >= 12, 'the sample has repairs');
    const cases: [at: number, insert: string, deleteCount?: number][] = [
      [text.indexOf('Variance<') + 3, 'x'], // a letter in a name
      [text.indexOf('getAt') + 5, 'First'],
      [text.indexOf('(index: number)') + 1, 'i', 1], // a parameter renamed
      [text.indexOf(' = internal.getAt'), ' '],
      [text.indexOf('\n/** The element'), '\n// a comment line'], // at a line's end, as the bench types them
      [text.indexOf('\n/** The element'), '\n    '], // Enter at a line's end
      [text.indexOf('\n/** The element') - 1, '', 1], // a blank line deleted
    ];
    for (const [at, insert, deleteCount = 0] of cases) {
      const { next, edit } = typed(text, at, insert, deleteCount);
      const after = repairsAfterEdit(text, repairs, next, edit);
      assert.ok(after, `${JSON.stringify(insert)}: told without reading`);
      assert.deepEqual([...after], [...repairsOf(next)], JSON.stringify(insert));
      assert.deepEqual([...after], naivelyMoved(repairs, at, deleteCount, insert), JSON.stringify(insert));
    }
  });

  it('reads the text again where an edit that looks harmless changes a repair', () => {
    const interfaceThenName = 'export interface\nNamed {\n  a: string\n  <B>(b: B): B\n}\n';
    const varianceThenName = 'interface V<in \n  A> {\n  a: A\n}\n';
    const template = 'const t = `a $ {`\ninterface W<in A> {}\nconst u = `}`\n';
    const cases: [text: string, at: number, insert: string, deleteCount?: number][] = [
      // A comment line between `interface` and its name: the lexer looks past line breaks, not comments.
      [interfaceThenName, interfaceThenName.indexOf('\nNamed'), '\n// the name'],
      [varianceThenName, varianceThenName.indexOf('\n  A>'), '\n// the parameter'],
      // `$ {` in a template literal becoming `${`: what follows is code.
      [template, template.indexOf('$ {') + 1, '', 1],
      // A word becoming one the lexer reads.
      ['type T = Array<x A>\n', 'type T = Array<'.length, 'in', 1],
      // Indentation before a generic call signature taken away (no blank is left to read as `;`).
      ['const o: {\n  a: string\n  <B>(b: B): B\n} = x\n', 'const o: {\n  a: string\n'.length, '', 2],
      // A number ending in `e` takes the sign that comes to follow it: `/` then divides, where it began a regex.
      ['x = 1e +/<in T>/ 1 / 2\n', 'x = 1e'.length, '', 1],
      ['x = 1.ab+/<in T>/ 1 / 2\n', 'x = 1.'.length, 'e', 2],
      // A blank before a shebang: its line is code then.
      ['#!/usr/bin/env node <in T>\nlet a = 1\n', 0, ' '],
      // A CR alone ends no line comment: a line break typed before it ends the comment, and what followed is code.
      ['// c\rtype X<in T> = T\n', '// c'.length, '\n'],
      // Between the CR and LF after a `\` that continues a string: the string no longer ends.
      ["interface V<in T> {}\nconst s = 'a\\\r\nb'\n", "interface V<in T> {}\nconst s = 'a\\\r".length, '\n// x'],
    ];
    for (const [text, at, insert, deleteCount = 0] of cases) {
      const repairs = repairsOf(text);
      const { next, edit } = typed(text, at, insert, deleteCount);
      assert.notDeepEqual(naivelyMoved(repairs, at, deleteCount, insert), [...repairsOf(next)], `${JSON.stringify(text)}: the edit changes a repair`);
      assert.equal(repairsAfterEdit(text, repairs, next, edit), undefined, JSON.stringify(text));
    }
  });
});
