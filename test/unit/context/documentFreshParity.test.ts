import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { FileProcessor, type TextChange } from '../../../src/core/context/fileProcessor';
import { readSource } from '../../../src/core/context/functionBodies';
import { languageForPath, type ParsedLanguage } from '../../../src/core/context/languages';
import type { FileData } from '../../../src/core/context/storedFile';
import { brokenHeaderModule, seededRandom, SEMICOLONLESS_OVERLOADS, VARIANCE } from './builders';
import { FIXTURES, loader } from './indexerHarness';
import { generateSyntheticWorkspace } from '../../../bench/syntheticWorkspace';

/** Files of each language from the bench's synthetic workspace generator, and a TSX fixture. */
function sources(): { file: string; language: ParsedLanguage; text: string }[] {
  const out: { file: string; language: ParsedLanguage; text: string }[] = [];
  const seen = new Set<ParsedLanguage>();
  for (const f of generateSyntheticWorkspace({ files: 40, seed: 3 })) {
    const language = languageForPath(f.path);
    if (language === 'text' || seen.has(language) || f.text.length < 1500) continue;
    seen.add(language);
    out.push({ file: f.path, language, text: f.text });
  }
  out.push({ file: 'src/server.tsx', language: 'tsx', text: readFileSync(path.join(FIXTURES, 'polyglot', 'src/server.tsx'), 'utf8') });
  out.push({ file: 'src/generic.ts', language: 'typescript', text: GENERIC_ARROWS });
  out.push({ file: 'src/variance.ts', language: 'typescript', text: VARIANCE });
  out.push({ file: 'src/overloads.ts', language: 'typescript', text: SEMICOLONLESS_OVERLOADS.repeat(6) });
  out.push({ file: 'src/function.ts', language: 'typescript', text: brokenHeaderModule(24) });
  out.push({ file: 'src/lazy.ts', language: 'typescript', text: LAZY_LOADS });
  out.push({ file: 'src/chains.js', language: 'javascript', text: CJS_CHAINS.repeat(4) });
  out.push({ file: 'src/exports.ts', language: 'typescript', text: EXPORT_FORMS.repeat(3) });
  out.push({ file: 'src/net/frame.rs', language: 'rust', text: RUST_INLINE_MODULES });
  return out;
}

/** Rust with inline modules, whose `use` and `mod` paths are read from the file's own module (importSyntax). */
const RUST_INLINE_MODULES = [
  'use crate::config::Settings;',
  '',
  '/// A frame.',
  'pub struct Frame { len: usize }',
  '',
  'pub mod codec {',
  '    pub mod header;',
  '    use self::header::Header;',
  '    use super::Frame;',
  '',
  '    /// Encodes.',
  '    pub fn encode(f: &Frame) -> Header { Header::of(f.len) }',
  '',
  '    mod raw {',
  '        use super::super::super::tcp::Conn;',
  '        pub fn write(c: &Conn) {}',
  '    }',
  '}',
  '',
  'impl Frame {',
  '    pub fn new(len: usize) -> Self { Frame { len } }',
  '}',
  '',
  '#[cfg(test)]',
  'mod tests {',
  '    use super::*;',
  '    use super::codec::{encode, header};',
  '',
  '    #[test]',
  '    fn encodes() { let _ = encode(&Frame::new(1)); }',
  '}',
  '',
].join('\n');

/** CommonJS exports by chains of assignments (their definitions found by querying each assignment in turn). */
const CJS_CHAINS = [
  '/** Both. */',
  'exports = module.exports = function both(a) {',
  '  return a;',
  '};',
  'var api = module.exports = class Api {',
  '  run() { return 1; }',
  '};',
  '// Adds.',
  'exports.add = exports.plus = function (a, b) {',
  '  return a + b;',
  '};',
  'module.exports.x = exports.y = exports.z = (v) => v;',
  '',
].join('\n');

/** TypeScript with generic arrow functions in constants (whose recovery from errors varies most). */
const GENERIC_ARROWS = [
  "import type * as Queue from './queue';",
  '',
  '/** @internal */',
  'export const TaskTypeId: unique symbol = Symbol.for("task/Task") as TaskTypeId;',
  '',
  '/** @internal */',
  'export type TaskTypeId = typeof TaskTypeId;',
  '',
  '/** @internal */',
  'export const taskVariance = {',
  '  /* istanbul ignore next */',
  '  _A: (_: never) => _,',
  '  /* istanbul ignore next */',
  '  _E: (_: never) => _,',
  '};',
  '',
  '/** @internal */',
  'export const waiting = <A, E>(listeners: Array<(queue: Queue.Queue<A, E>) => void>): State<A, E> => {',
  "  return { _tag: 'Waiting', listeners };",
  '};',
  '',
  '/** @internal */',
  'export const finished = <A, E>(queue: Queue.Queue<A, E>): State<A, E> => {',
  "  return { _tag: 'Finished', queue };",
  '};',
  '',
  '/** @internal */',
  'export const isTask = (u: unknown): u is Task<unknown, unknown> => typeof u === "object" && u !== null && TaskTypeId in u;',
  '',
  '/** @internal */',
  'export const mapBoth = <A, E, B, F>(self: State<A, E>, f: (a: A) => B, g: (e: E) => F): State<B, F> =>',
  "  self._tag === 'Waiting' ? waiting([]) : finished(self.queue as never);",
  '',
  'export interface State<A, E> {',
  "  readonly _tag: 'Waiting' | 'Finished';",
  '  readonly queue: Queue.Queue<A, E>;',
  '}',
  '',
].join('\n');

/**
 * TypeScript exporting apart from declarations: an object's members exported with its name, import aliases
 * (`export import S = require(…)` read as an alias and a parenthesized string), CommonJS string subscripts.
 */
const EXPORT_FORMS = [
  'namespace N { export namespace M { export const x = 1; } }',
  'const api = {',
  '  /** Gets. */',
  '  get(key: string) { return key; },',
  '  put: (key: string) => key,',
  '};',
  'const routes = {',
  '  home() {},',
  '} as const;',
  '/** The inner namespace. */',
  'export import Q = N.M;',
  "export import S = require('./s');",
  'import T = N;',
  'exports["run"] = function (a: number) {',
  '  return a;',
  '};',
  'module.exports["MAX"] = api;',
  'export { api, T };',
  '',
].join('\n');

/** TypeScript loading modules inside function bodies (import() and require() calls are read from the text). */
const LAZY_LOADS = [
  "import eq = require('./equals');",
  '',
  'export async function open(kind: string): Promise<unknown> {',
  "  const viewer = await import('./viewer');",
  "  if (kind === 'legacy') return require('./legacy').open();",
  '  return viewer.open(kind);',
  '}',
  '',
  'export class Loader {',
  '  load(name: string) {',
  "    return import(`./plugins/plugin`).then((m) => m.load(name, require('../shared/names')));",
  '  }',
  '',
  '  /** Reads a type. */',
  "  typeOf(): typeof import('./types') {",
  "    return import.meta.resolve('./types') as never;",
  '  }',
  '}',
  '',
].join('\n');

/** What edits insert: structure-breaking characters and fragments, comment lines, words. */
const SNIPPETS: Readonly<Record<ParsedLanguage, readonly string[]>> = {
  typescript: ['{', '}', '(', ')', '<', '"', '`', '`', '/*', ':', '\n  const extra = helper(value);\n', '\n// note\n', '\n  @Dec()\n', '@sealed ', 'export class K {', 'value', ' ', '\n  <B>(self: B): B', ' in ', 'out ', ';', "import('./m')", " require('./r') ", '.'],
  tsx: ['{', '}', '<div>', '</', '(', '"', '\n// note\n', 'value', ' '],
  javascript: ['{', '}', '(', "'", '`', '`${', '/*', '\n// note\n', 'function f(', 'value', ' ', "await import('./m')", "require('./r')"],
  python: [':', '(', ')', '"""', "'", '\n    ', '\ndef f(', '\nclass K:\n', '\n# note\n', 'value', ' '],
  go: ['{', '}', '(', '"', '`', '\n// note\n', 'func f(', 'type T struct {', 'value', ' '],
  rust: ['{', '}', '(', '"', "'a", '\n// note\n', 'fn f(', 'impl T {', '#[derive(Debug)]', 'value', ' ', 'mod m {', '\n    use super::x;\n'],
  java: ['{', '}', '(', '"', '@Override', '\n// note\n', 'class K {', 'void f(', 'value', ' '],
};

/** What a fresh index of `text` holds: a processor that has never seen the document. */
async function freshExtraction(fresh: FileProcessor, file: string, text: string): Promise<FileData> {
  try {
    return await fresh.processDocument(file, text);
  } finally {
    fresh.closeDocument(file);
  }
}

const EDITS = 160;

describe('open documents equal a fresh index of their text', () => {
  for (const { file, language, text: original } of sources()) {
    it(`after random edits of ${language} code, with and without syntax errors (${file})`, async () => {
      const random = seededRandom(file.length * 31 + language.length);
      const documents = new FileProcessor(loader(), 1 << 20);
      const fresh = new FileProcessor(loader(), 1 << 20);
      let text = original;
      let withErrors = 0;
      try {
        await documents.processDocument(file, text, []);
        for (let k = 0; k < EDITS; k++) {
          // Damage accumulates; now and then the text starts over from the clean source.
          if (k % 40 === 39) text = original;
          const at = Math.floor(random() * (text.length + 1));
          const pool = SNIPPETS[language];
          const insert = random() < 0.7 ? (pool[Math.floor(random() * pool.length)] ?? '') : '';
          const deleteCount = insert === '' ? 1 + Math.floor(random() * 8) : 0;
          const change: TextChange = { start: at, deleteCount: Math.min(deleteCount, text.length - at), text: insert };
          const next = text.slice(0, at) + insert + text.slice(at + change.deleteCount);
          // The reset is one whole-text change (no changes given: the difference is computed); others are the change
          // itself. (Not `undefined`: that is a one-off parse of a file's text, which leaves the document as it was.)
          const updated = await documents.processDocument(file, next, k % 40 === 39 ? [] : [change]);
          const expected = await freshExtraction(fresh, file, next);
          const what = `edit ${k} at ${at}: ${JSON.stringify(insert)} / delete ${change.deleteCount}`;
          if (!documents.needsSettling(file)) assert.deepEqual(updated, expected, what);
          else {
            // Now and then the document settles before the next edit, else it goes on from the incremental tree.
            if (random() < 0.3) {
              const settled = await documents.settleDocument(file, next);
              assert.deepEqual(settled, { kind: 'settled', file: expected }, what);
              assert.equal(documents.needsSettling(file), false);
            }
          }
          text = next;
          if (await hasSyntaxError(language, next)) withErrors++;
        }
        const settled = await documents.settleDocument(file, text);
        assert.deepEqual(settled.kind === 'settled' ? settled.file : await documents.processDocument(file, text), await freshExtraction(fresh, file, text));
      } finally {
        documents.dispose();
        fresh.dispose();
      }
      assert.ok(withErrors >= EDITS / 3, `only ${withErrors} of ${EDITS} edits left a syntax error (the test must cover error recovery)`);
    });
  }
});

describe('open documents: edits of Rust inline modules', () => {
  it('read the `use` and `mod` paths in inline modules as a fresh extraction does, as the modules are renamed, opened and closed', async () => {
    const file = 'src/net/frame.rs';
    // Each edit: `insert` at the start of `anchor` (its first occurrence), `deleteCount` removed there.
    const edits: readonly { anchor: string; deleteCount: number; insert: string }[] = [
      { anchor: 'tests {', deleteCount: 'tests'.length, insert: 'checks' },
      { anchor: '    #[test]', deleteCount: 0, insert: '    use self::helpers::fixture;\n' },
      { anchor: 'codec {', deleteCount: 'codec'.length, insert: 'wire' },
      { anchor: 'mod raw {', deleteCount: 'mod raw'.length, insert: 'fn raw()' },
      { anchor: 'impl Frame {', deleteCount: 0, insert: 'mod extra {\n    use super::Frame;\n}\n' },
    ];
    const documents = new FileProcessor(loader(), 1 << 20);
    const fresh = new FileProcessor(loader(), 1 << 20);
    try {
      let text = RUST_INLINE_MODULES;
      await documents.processDocument(file, text, []);
      for (const { anchor, deleteCount, insert } of edits) {
        const at = text.indexOf(anchor);
        assert.ok(at >= 0, anchor);
        const next = text.slice(0, at) + insert + text.slice(at + deleteCount);
        const updated = await documents.processDocument(file, next, [{ start: at, deleteCount, text: insert }]);
        const expected = await freshExtraction(fresh, file, next);
        if (documents.needsSettling(file)) {
          const settled = await documents.settleDocument(file, next);
          assert.deepEqual(settled, { kind: 'settled', file: expected }, anchor);
        } else assert.deepEqual(updated, expected, anchor);
        text = next;
      }
      const last = await freshExtraction(fresh, file, text);
      assert.deepEqual(
        last.imports.map((i) => [i.source, i.names]),
        [
          ['crate::config', ['Settings']],
          ['self::wire::header', []],
          ['self::wire::header', ['Header']],
          ['self', ['Frame']],
          ['super::super::tcp', ['Conn']],
          ['self', ['Frame']],
          ['self', []],
          ['self::codec', ['encode', 'header']],
          ['self::checks::helpers', ['fixture']],
        ],
      );
    } finally {
      documents.dispose();
      fresh.dispose();
    }
  });
});

describe('open documents: an edit inside a function body that makes an import() or require() call', () => {
  // None of these edits types or removes the word `import` or `require`: the call is completed around it.
  const cases: readonly (readonly [string, string])[] = [
    ["export function f() {\n  return requireX('./a');\n}\n", 'X'],
    ["export function f() {\n  return obj.require('./a');\n}\n", 'obj.'],
    ["export function f() {\n  return require('./a' + x);\n}\n", ' + x'],
    ["export function f() {\n  return require(\n    './a' + x);\n}\n", ' + x'],
  ];
  const broken = '\nexport function broken(a: number {\n  return a;\n}\n';
  // Edits that change how a lexer would read the text after them (JSX, a regular expression after `)`): the calls are
  // read from the tree, whose changes stay local (review of session 35).
  /** A document's text, then an edit: `insert` typed `offset` characters after the start of `anchor`, `deleteCount` removed there. */
  const lexerTraps: readonly { file: string; text: string; anchor: string; offset: number; deleteCount: number; insert: string }[] = [
    {
      file: 'src/row.tsx',
      text: "export function Row({ id, name }: { id: string; name: string }) {\n  return <li><b>{name}</b> <Link to={`/users/${id}`}>profile</Link></li>;\n}\nexport const Page = lazy(() => import('./Page'));\n",
      anchor: '<b>{name}</b> ', offset: 0, deleteCount: '<b>{name}</b> '.length, insert: '',
    },
    {
      file: 'src/help.tsx',
      text: "export function Help() {\n  return <p>Matches src/x.ts</p>;\n}\nexport const Page = lazy(() => import('./Page'));\n",
      anchor: 'x.ts</p>', offset: 0, deleteCount: 0, insert: '*/',
    },
    { file: 'src/f.js', text: "function f(a, s) { if (a) /x/.test(s) }\nfoo(require('./y'))\n", anchor: 'x/.test', offset: 0, deleteCount: 0, insert: '`' },
    { file: 'src/g.js', text: "if (a) /x`/.test(s);\nlet b = 1;\nlet c = 2;\nfunction g(q) { return require('./y') }\n", anchor: 'q)', offset: 0, deleteCount: 1, insert: 'r' },
  ];
  for (const { file, text, anchor, offset, deleteCount, insert } of lexerTraps) {
    it(`keeps a document's calls as a fresh extraction reads them through an edit a lexer would misread (${file})`, async () => {
      const documents = new FileProcessor(loader(), 1 << 20);
      const fresh = new FileProcessor(loader(), 1 << 20);
      try {
        await documents.processDocument(file, text, []);
        const at = text.indexOf(anchor) + offset;
        const next = text.slice(0, at) + insert + text.slice(at + deleteCount);
        const updated = await documents.processDocument(file, next, [{ start: at, deleteCount, text: insert }]);
        const expected = await freshExtraction(fresh, file, next);
        assert.ok(expected.imports.length > 0, 'the call is there');
        assert.equal(documents.needsSettling(file), false);
        assert.deepEqual(updated, expected);
      } finally {
        documents.dispose();
        fresh.dispose();
      }
    });
  }
  for (const [k, [clean, removed]] of cases.entries()) {
    for (const text of [clean, clean + broken]) {
      it(`reads it, in a document ${text === clean ? 'without' : 'with'} syntax errors (case ${k + 1}: ${JSON.stringify(removed)} removed)`, async () => {
        const documents = new FileProcessor(loader(), 1 << 20);
        const fresh = new FileProcessor(loader(), 1 << 20);
        try {
          await documents.processDocument('src/a.ts', text, []);
          const at = text.indexOf(removed);
          const next = text.slice(0, at) + text.slice(at + removed.length);
          const updated = await documents.processDocument('src/a.ts', next, [{ start: at, deleteCount: removed.length, text: '' }]);
          const expected = await freshExtraction(fresh, 'src/a.ts', next);
          assert.deepEqual(expected.imports.map((i) => i.source), ['./a']);
          assert.deepEqual(updated.imports, expected.imports);
        } finally {
          documents.dispose();
          fresh.dispose();
        }
      });
    }
  }
});

describe('open documents read with the repairs of the grammar\'s gaps', () => {
  it('extract what a fresh parse of their text does, through edits that keep, add and remove a repair', async () => {
    const file = 'src/overloads.ts';
    const documents = new FileProcessor(loader(), 1 << 20);
    const fresh = new FileProcessor(loader(), 1 << 20);
    let text = SEMICOLONLESS_OVERLOADS;
    const type = async (at: number, insert: string, deleteCount = 0): Promise<void> => {
      const next = text.slice(0, at) + insert + text.slice(at + deleteCount);
      const updated = await documents.processDocument(file, next, [{ start: at, deleteCount, text: insert }]);
      text = next;
      assert.equal(documents.needsSettling(file), false, `${JSON.stringify(insert)}: no syntax error to settle`);
      assert.deepEqual(updated, await freshExtraction(fresh, file, text), JSON.stringify(insert));
    };
    try {
      const opened = await documents.processDocument(file, text, []);
      assert.deepEqual(opened, await freshExtraction(fresh, file, text), 'opened');
      assert.ok(opened.definitions.some((d) => d.name === 'forEach' && d.kind === 'function'), 'read as repaired');
      await type(text.indexOf('\n/** The element'), '\n// a comment line typed');
      // A new generic call signature after a member (a repair comes), then the member's `;` typed (it goes).
      const member = text.indexOf('  readonly _A: (_: A) => A') + '  readonly _A: (_: A) => A'.length;
      await type(member, '\n  <C>(self: C): C');
      await type(member, ';');
      await type(text.indexOf('in out A'), '', 'in '.length);
      await type(text.indexOf('<K>(self: Tree<K, never>)') - 1, ' ');
    } finally {
      documents.dispose();
      fresh.dispose();
    }
  });

  it('keep their repairs while a bracket typed leaves the lexer unsure, and settle to what a fresh parse of that text gives', async () => {
    const file = 'src/overloads.ts';
    const documents = new FileProcessor(loader(), 1 << 20);
    const fresh = new FileProcessor(loader(), 1 << 20);
    const opened = SEMICOLONLESS_OVERLOADS;
    // A `(` typed in the last function's body: the brackets no longer pair, readSource gives up on the text, and a fresh
    // parse reads it unrepaired (the overloads above come out of error recovery).
    const at = opened.indexOf('f(a)') + 'f('.length;
    const unsure = `${opened.slice(0, at)}(${opened.slice(at)}`;
    assert.equal(readSource(unsure, 'typescript'), undefined);
    const kinds = (data: FileData): string[] => data.definitions.map((d) => `${d.name} ${d.kind} ${d.startLine}-${d.endLine}`);
    try {
      await documents.processDocument(file, opened, []);
      const typed = await documents.processDocument(file, unsure, [{ start: at, deleteCount: 0, text: '(' }]);
      // Above the edit, the interface and the overloads as they were (the repairs kept: the interface ends on its `}`);
      // the document is left to settle.
      const aboveEdit = (data: FileData): string[] => kinds(data).filter((k) => !k.startsWith('forEach '));
      assert.deepEqual(aboveEdit(typed), aboveEdit(await freshExtraction(fresh, file, opened)));
      assert.ok(kinds(typed).includes('Variance interface 2-5'), kinds(typed).join(', '));
      assert.equal(documents.needsSettling(file), true);
      const unrepaired = await freshExtraction(fresh, file, unsure);
      assert.notDeepEqual(aboveEdit(unrepaired), aboveEdit(typed), 'a fresh parse of the unsure text reads it unrepaired');
      const settled = await documents.settleDocument(file, unsure);
      assert.equal(settled.kind, 'settled');
      assert.deepEqual(settled.kind === 'settled' ? settled.file : undefined, unrepaired);
      // The bracket closed: read with the repairs again, exactly.
      const closed = `${unsure.slice(0, at + 1)})${unsure.slice(at + 1)}`;
      const after = await documents.processDocument(file, closed, [{ start: at + 1, deleteCount: 0, text: ')' }]);
      assert.deepEqual(after, await freshExtraction(fresh, file, closed));
    } finally {
      documents.dispose();
      fresh.dispose();
    }
  });
});

describe('open documents settle to exactly a fresh index', () => {
  it('from the text given when the processor dropped the tree, giving way to waiting work even once the parse is done', async () => {
    const documents = new FileProcessor(loader(), 1 << 20);
    const fresh = new FileProcessor(loader(), 1 << 20);
    const file = 'src/broken.ts';
    const text = 'export function broken( {\n}\n\nexport const kept = 1;\n';
    try {
      await documents.processDocument(file, text, []);
      const next = `${text}export function added() {}\n`;
      await documents.processDocument(file, next, [{ start: text.length, deleteCount: 0, text: 'export function added() {}\n' }]);
      assert.equal(documents.needsSettling(file), true);
      // Short enough that the parser never asks whether to go on: only the check before the extraction gives way.
      assert.deepEqual(await documents.settleDocument(file, next, () => true), { kind: 'yielded' });
      // More documents than the processor keeps trees of: the edited one's is dropped.
      for (let i = 0; i < 20; i++) await documents.processDocument(`src/other${i}.ts`, `export const v${i} = ${i};\n`, []);
      assert.equal(documents.needsSettling(file), false, 'dropped');
      assert.deepEqual(await documents.settleDocument(file, next, () => true), { kind: 'yielded' });
      assert.deepEqual(await documents.settleDocument(file, next), { kind: 'settled', file: await freshExtraction(fresh, file, next) });
    } finally {
      documents.dispose();
      fresh.dispose();
    }
  });

  it('where the incremental tree recovered from a syntax error otherwise than a fresh parse does', async () => {
    // A TypeScript file of the synthetic generator taking random edits; with these seeds an incremental tree
    // reads the damaged text otherwise than a fresh parse within the first few hundred edits.
    const source = [...generateSyntheticWorkspace({ files: 60, seed: 3 })].find((f) => f.path === 'ts/src/order0/responseHandler.ts');
    assert.ok(source, 'the generator still makes the file');
    const random = seededRandom(source.path.length * 7);
    const pool = ['{', '}', '(', ')', '<', '"', '`', '/*', ':', '\n  const extra = helper(value);\n', '\n// note\n', 'export class K {', 'value', ' '];
    const documents = new FileProcessor(loader(), 1 << 20);
    const fresh = new FileProcessor(loader(), 1 << 20);
    let text = source.text;
    let differed = false;
    try {
      await documents.processDocument(source.path, text, []);
      for (let k = 0; k < 400 && !differed; k++) {
        if (k % 40 === 39) {
          // Damage accumulates; now and then the document starts over from the clean source.
          text = source.text;
          documents.closeDocument(source.path);
          await documents.processDocument(source.path, text, []);
          continue;
        }
        const at = Math.floor(random() * (text.length + 1));
        const insert = random() < 0.7 ? (pool[Math.floor(random() * pool.length)] ?? '') : '';
        const deleteCount = insert === '' ? Math.min(1 + Math.floor(random() * 8), text.length - at) : 0;
        const next = text.slice(0, at) + insert + text.slice(at + deleteCount);
        const updated = await documents.processDocument(source.path, next, [{ start: at, deleteCount, text: insert }]);
        const expected = await freshExtraction(fresh, source.path, next);
        text = next;
        if (isDeepStrictEqual(updated, expected)) continue;
        differed = true;
        assert.equal(documents.needsSettling(source.path), true, 'a difference is only allowed until the document settles');
        // A settling parse that gives way leaves the document as it was, and the parser ready for the next one.
        assert.deepEqual(await documents.settleDocument(source.path, text, () => true), { kind: 'yielded' });
        assert.equal(documents.needsSettling(source.path), true);
        assert.deepEqual(await documents.settleDocument(source.path, text), { kind: 'settled', file: expected });
        assert.deepEqual(await documents.processDocument(source.path, text), expected, 'the settled tree and extraction are kept');
      }
    } finally {
      documents.dispose();
      fresh.dispose();
    }
    assert.ok(differed, 'no edit made the incremental tree differ from a fresh parse (the test must cover that case)');
  });
});

/** Whether a fresh parse of `text` has a syntax error. */
async function hasSyntaxError(language: ParsedLanguage, text: string): Promise<boolean> {
  const grammar = await loader().load(language);
  const tree = grammar.parser.parse(text);
  try {
    return tree?.rootNode.hasError ?? false;
  } finally {
    tree?.delete();
  }
}

describe('open documents: namespace imports', () => {
  it("record a namespace's members as a fresh extraction does, as the import is added, renamed and removed and its uses edited", async () => {
    // (A namespace's members are referenced qualified, `Option.some`, all over the file: an edit of the import changes
    // references far from it, which an update lexing again only around the edit would keep as they were.)
    const file = 'src/array.ts';
    const text = [
      "import { dual } from './Function.js';",
      '',
      'export function some(xs: boolean[]): boolean {',
      '  return xs.includes(true);',
      '}',
      'export function head<A>(xs: A[]): Option.Option<A> {',
      '  return xs.length > 0 ? Option.some(xs[0]) : Option.none();',
      '}',
      '',
    ].join('\n');
    /** Each edit: `insert` at the start of `anchor` (plus `offset`), `deleteCount` removed there. */
    const edits: readonly { anchor: string; offset?: number; deleteCount?: number; insert: string }[] = [
      { anchor: '\nexport function some', insert: "\nimport * as Option from './Option.js';" },
      { anchor: 'Option.none()', insert: 'Option.isNone(xs) ? Option.none() : ' },
      // (Members across a line break and through an optional chain, `Option\n    ?.fromNullable`, and the break taken out.)
      { anchor: 'Option.isNone', insert: 'Option\n    ?.fromNullable(xs[1]) ?? ' },
      { anchor: '.some(xs[0])', insert: '\n    ' },
      { anchor: '\n    .some(xs[0])', deleteCount: '\n    '.length, insert: '' },
      { anchor: 'as Option', offset: 3, deleteCount: 'Option'.length, insert: 'O' },
      { anchor: 'as O ', offset: 3, deleteCount: 1, insert: 'Option' },
      { anchor: 'xs.includes(true)', insert: 'Option.isSome(xs[0]) && ' },
      { anchor: "\nimport * as Option from './Option.js';", deleteCount: "\nimport * as Option from './Option.js';".length, insert: '' },
    ];
    const documents = new FileProcessor(loader(), 1 << 20);
    const fresh = new FileProcessor(loader(), 1 << 20);
    try {
      let current = text;
      await documents.processDocument(file, current, []);
      for (const { anchor, offset = 0, deleteCount = 0, insert } of edits) {
        const at = current.indexOf(anchor) + offset;
        assert.ok(at >= offset, anchor);
        const next = current.slice(0, at) + insert + current.slice(at + deleteCount);
        const updated = await documents.processDocument(file, next, [{ start: at, deleteCount, text: insert }]);
        assert.deepEqual(updated, await freshExtraction(fresh, file, next), `${JSON.stringify(insert)} at ${JSON.stringify(anchor)}`);
        current = next;
      }
      assert.ok(current.includes('Option.isSome') && !current.includes('import * as'), 'the edits were made');
    } finally {
      documents.dispose();
      fresh.dispose();
    }
  });
});
