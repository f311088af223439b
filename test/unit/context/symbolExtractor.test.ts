import assert from 'node:assert/strict';
import { isSideEffectImport, SIDE_EFFECT_IMPORT, type Definition, type IndexedFile } from '../../../src/core/context/model';
import { cleanComment, cleanDocstring, elidedSignatureHead } from '../../../src/core/context/symbolExtractor';
import { extract } from './indexerHarness';

function def(file: IndexedFile, name: string, container?: string): Definition {
  const found = file.definitions.find((d) => d.name === name && (container === undefined || d.container === container));
  assert.ok(found, `no definition ${container ? `${container}.` : ''}${name} in ${file.definitions.map((d) => d.name).join(', ')}`);
  return found;
}

const names = (file: IndexedFile): string[] => file.definitions.map((d) => `${d.kind}:${d.container ? `${d.container}.` : ''}${d.name}`);

describe('symbol extraction', () => {
  describe('TypeScript', () => {
    const source = [
      "import { readFileSync as read, type Stats } from 'node:fs';", // 1
      "import * as path from '../lib/path.js';", // 2
      '', // 3
      '/**', // 4
      ' * Reads a file.', // 5
      ' * @param p where', // 6
      ' */', // 7
      'export function load(p: string): string {', // 8
      "  return read(p, 'utf8') + helper();", // 9
      '}', // 10
      '', // 11
      '// A cache.', // 12
      'export class Cache<T> extends Base {', // 13
      '  private hidden = 1;', // 14
      '  /** Gets. */', // 15
      '  get(key: string): T | undefined {', // 16
      '    const inner = () => key;', // 17
      '    return this.map.get(inner());', // 18
      '  }', // 19
      '  private drop(): void {}', // 20
      '}', // 21
      'export interface Shape { area(): number }', // 22
      'export type Id = string | number;', // 23
      'export enum Color { Red, Green }', // 24
      'export const LIMIT = 10;', // 25
      'export const twice = (n: number): number =>', // 26
      '  n * 2;', // 27
      'const privateConst = 3;', // 28
      'function helper(): string { return "x"; }', // 29
    ].join('\n');

    it('finds every kind of definition with containers, exports and no locals', async () => {
      const file = await extract('src/a.ts', source);
      assert.deepEqual(names(file).sort(), [
        'class:Cache', 'const:LIMIT', 'enum:Color', 'function:helper', 'function:load', 'function:twice',
        'interface:Shape', 'method:Cache.drop', 'method:Cache.get', 'method:Shape.area', 'type:Id',
      ]);
      assert.equal(def(file, 'load').exported, true);
      assert.equal(def(file, 'helper').exported, false);
      assert.equal(def(file, 'drop').exported, false, 'private methods are not exported');
      assert.equal(def(file, 'get').exported, true);
    });

    it('records ranges, signatures up to the body, and doc comments with markers stripped', async () => {
      const file = await extract('src/a.ts', source);
      const load = def(file, 'load');
      assert.equal(load.id, 'src/a.ts#load#8');
      assert.equal(load.file, 'src/a.ts');
      assert.deepEqual([load.startLine, load.endLine, load.signatureEndLine, load.docStartLine], [8, 10, 8, 4]);
      assert.equal(load.signature, 'export function load(p: string): string');
      assert.equal(load.doc, 'Reads a file.\n@param p where');
      assert.equal(source.slice(load.startIndex, load.endIndex), source.split('\n').slice(7, 10).join('\n'));

      const cache = def(file, 'Cache');
      assert.equal(cache.signature, 'export class Cache<T> extends Base');
      assert.equal(cache.doc, 'A cache.');
      assert.equal(cache.docStartLine, 12);
      assert.equal(def(file, 'get').doc, 'Gets.');
      assert.equal(def(file, 'Id').signature, 'export type Id = string | number;');
      assert.equal(def(file, 'Color').signature, 'export enum Color');
      const twice = def(file, 'twice');
      assert.equal(twice.signature, 'export const twice = (n: number): number =>');
      assert.deepEqual([twice.startLine, twice.endLine, twice.signatureEndLine], [26, 27, 26]);
    });

    it('gives every definition its fields in one order, the optional ones only when set', async () => {
      const order = ['id', 'file', 'name', 'kind', 'container', 'startLine', 'endLine', 'startIndex', 'endIndex', 'signature', 'signatureEndLine', 'doc', 'docStartLine', 'exported'];
      const ts = await extract('src/a.ts', source);
      const py = await extract('m.py', 'def g():\n    """G."""\n\nclass A:\n    def f(self):\n        """F."""\n        return 1\n');
      const shapes = new Set<string>();
      for (const d of [...ts.definitions, ...py.definitions]) {
        const keys = Object.keys(d);
        assert.deepEqual(keys, order.filter((k) => keys.includes(k)), d.name);
        for (const [k, v] of Object.entries(d)) assert.notEqual(v, undefined, `${d.name}.${k}`);
        shapes.add(keys.filter((k) => k === 'container' || k === 'doc' || k === 'docStartLine').join('+'));
      }
      // Each of the six shapes the extractor builds occurs here.
      assert.deepEqual([...shapes].sort(), ['', 'container', 'container+doc', 'container+doc+docStartLine', 'doc', 'doc+docStartLine']);
    });

    it('attributes references to the innermost enclosing definition', async () => {
      const file = await extract('src/a.ts', source);
      const refs = file.references;
      assert.ok(refs.some((r) => r.name === 'helper' && r.enclosing === 'src/a.ts#load#8'));
      assert.ok(refs.some((r) => r.name === 'Base' && r.enclosing === def(file, 'Cache').id));
      assert.ok(refs.some((r) => r.name === 'map' && r.enclosing === def(file, 'get').id));
      assert.ok(refs.some((r) => r.name === 'read' && r.enclosing === undefined), 'imports are top-level references');
      assert.ok(!refs.some((r) => r.name === 'utf8'), 'string contents are not references');
      assert.ok(!refs.some((r) => r.name === 'Reads' || r.name === 'param'), 'comment words are not references');
      assert.ok(!refs.some((r) => r.name === 'return' || r.name === 'const'), 'keywords are not references');
      // One reference per name and enclosing definition.
      const keys = refs.map((r) => `${r.name}|${r.enclosing ?? ''}`);
      assert.equal(new Set(keys).size, keys.length);
      assert.ok(file.identifiers.includes('load') && file.identifiers.includes('helper'));
    });

    it('reads imports with their names (original names, each followed by its local name when renamed)', async () => {
      const file = await extract('src/a.ts', source);
      assert.deepEqual(
        file.imports.map((i) => [i.source, i.names, i.line]),
        [
          ['node:fs', ['readFileSync', 'as read', 'Stats'], 1],
          // A namespace import: the whole module, and its local name (namespaceNameOf).
          ['../lib/path.js', [], 2],
          ['../lib/path.js', ['as path'], 2],
        ],
      );
    });
  });

  it('finds declarations however deeply they nest in namespaces, modules and classes, but not in function bodies', async () => {
    const dts = [
      'declare global {',
      '  namespace NodeJS {',
      '    interface Process {',
      '      custom(): void;',
      '    }',
      '  }',
      '}',
      "declare module 'm' {",
      '  export namespace Outer {',
      '    export namespace Inner {',
      '      export class Deep {',
      '        method(): void;',
      '      }',
      '    }',
      '  }',
      '}',
      'export const api = {',
      '  handler() { class Local {} return Local; },',
      '};',
    ].join('\n');
    assert.deepEqual(names(await extract('types.d.ts', dts)).sort(), [
      'class:Deep', 'const:api', 'interface:Process', 'method:Deep.method', 'method:Process.custom', 'method:handler',
    ]);
    const py = 'class A:\n    class B:\n        class C:\n            def deep(self):\n                def local(): pass\n';
    assert.deepEqual(names(await extract('n.py', py)).sort(), ['class:A', 'class:A.B', 'class:B.C', 'method:C.deep']);
    const rs = 'mod a {\n    mod b {\n        pub struct S;\n        impl S {\n            pub fn deep(&self) { fn local() {} }\n        }\n    }\n}\n';
    assert.deepEqual(names(await extract('n.rs', rs)).sort(), ['class:S', 'method:S.deep']);
    const java = 'class A {\n  class B {\n    class C {\n      void deep() { class Local {} }\n    }\n  }\n}\n';
    assert.deepEqual(names(await extract('A.java', java)).sort(), ['class:A', 'class:A.B', 'class:B.C', 'method:C.deep']);
  });

  it('reads JavaScript require() and re-exports', async () => {
    // (A re-export's new name, `export { z as w }`, follows the name as a local name does: what its importers ask for.)
    const file = await extract('lib/x.js', "const { a, b: c } = require('./dep');\nexport { y, z as w } from './y';\nconst m = require('m');\n");
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['./dep', ['a', 'b', 'as c']],
        ['./y', ['y', 'z', 'as w']],
        ['m', []],
      ],
    );
  });

  it("reads a re-export's new names (`export { default as Button } from`), and `export * as ns from` as a namespace, not `export *`", async () => {
    // (The new names were dropped: `import { Button } from './components'` reached nothing; `export * as ns` passed
    // every name of its module on.)
    const text = "export { default as Button, Card as default, Menu } from './Button';\nexport { api as \"client\" } from './api';\nexport * as icons from './icons';\n";
    const file = await extract('src/components/index.ts', text);
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['./Button', ['default', 'as Button', 'Card', 'as default', 'Menu']],
        ['./api', ['api', 'as client']],
        ['./icons', []],
        ['./icons', ['as icons']],
      ],
    );
  });

  it('reads `import D, * as M from` as the default import, the whole module and the namespace', async () => {
    // (The whole-module edge was missing: the namespace's edge followed the default import's.)
    const file = await extract('src/app.ts', "import Shape, * as geom from './geom';\nexport const s = geom.area(Shape);\n");
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['./geom', ['default', 'as Shape', 'Shape']],
        ['./geom', []],
        ['./geom', ['as geom']],
      ],
    );
    assert.ok(file.references.some((r) => r.name === 'geom.area'), file.references.map((r) => r.name).join(', '));
  });

  it('reads a default import as the default export, then its local name, as `{ default as x }` and `export { default } from` are', async () => {
    const text = "import computeArea, { other as o } from './geom';\nimport { default as shape } from './shape';\nexport { default } from './z';\n";
    const file = await extract('src/main.ts', text);
    // (The local name twice: as the default export's (`as computeArea`), and as a name of its own, `export default
    // computeArea;` under `function computeArea`, which no signature marks as the default.)
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['./geom', ['default', 'as computeArea', 'computeArea', 'other', 'as o']],
        ['./shape', ['default', 'as shape']],
        ['./z', ['default']],
      ],
    );
  });

  it('reads TypeScript import aliases: `export import Q = N.M` is an exported constant, `export import S = require(…)` an import too', async () => {
    const source = [
      'namespace N { export namespace M { export const x = 1; } }', // 1
      '/** The inner namespace. */', // 2
      'export import Q = N.M;', // 3
      "import R = require('./m');", // 4
      "export import S = require('./s');", // 5
      'import T = N;', // 6
      'import U = N.M;', // 7
      'export { T };', // 8
    ].join('\n');
    const file = await extract('src/alias.ts', source);
    assert.deepEqual(file.definitions.map((d) => `${d.kind}:${d.name}:${d.exported}`), ['const:x:true', 'const:Q:true', 'const:S:true', 'const:T:true']);
    const q = def(file, 'Q');
    assert.deepEqual([q.signature, q.doc, q.startLine, q.endLine], ['export import Q = N.M;', 'The inner namespace.', 3, 3]);
    assert.deepEqual(file.imports.map((i) => [i.source, i.names, i.line]), [['./m', [], 4], ['./s', [], 5]]);
  });

  it('tells a side-effect import from a whole-module import', async () => {
    // (`import './polyfill'` was read as `import * as X`: every definition of the polyfill in scope.)
    const ts = await extract('src/app.ts', "import './polyfill';\nimport * as ns from './ns';\nexport * from './all';\nimport D from './d';\n");
    assert.deepEqual(
      ts.imports.map((i) => [i.source, i.names, isSideEffectImport(i)]),
      [
        ['./polyfill', SIDE_EFFECT_IMPORT, true],
        ['./ns', [], false],
        ['./ns', ['as ns'], false],
        ['./all', [], false],
        ['./d', ['default', 'as D', 'D'], false],
      ],
    );
    const go = await extract('main.go', 'package main\n\nimport (\n\t_ "example.com/m/driver"\n\t. "example.com/m/dot"\n\t"example.com/m/pkg"\n)\n');
    assert.deepEqual(go.imports.map((i) => [i.source, isSideEffectImport(i)]), [['example.com/m/driver', true], ['example.com/m/dot', false], ['example.com/m/pkg', false], ['example.com/m/pkg', false]]);
  });

  it("records a namespace import's members qualified (`Option.some`), and its own name as no reference", async () => {
    // (`Option.some` was the references `Option` and `some`: the interface Option and any `some` in reach, the file's
    // own or another namespace's, rather than the module's.)
    const text = [
      "import * as Option from './Option.js';", // 1
      "import * as P from './Predicate.js';", // 2
      'export function some(xs: number[]): boolean {', // 3
      '  return xs.length > 0;', // 4
      '}', // 5
      'export function head(xs: number[]): Option.Option<number> {', // 6
      '  return some(xs) ? Option.some(xs[0]) : Option.none();', // 7
      '}', // 8
      'export const check = (x: unknown) => P.isNumber(x) && x.Option.some;', // 9
    ].join('\n');
    const file = await extract('src/Array.ts', text);
    const refsOf = (name: string): string[] => file.references.filter((r) => r.enclosing === def(file, name).id).map((r) => r.name).sort();
    assert.deepEqual(refsOf('head'), ['Option.Option', 'Option.none', 'Option.some', 'some', 'xs'].sort());
    // A member of something else is read as before (`x.Option.some`: the words Option and some).
    assert.deepEqual(refsOf('check'), ['Option', 'P.isNumber', 'some']);
    assert.ok(!file.references.some((r) => r.name === 'P' || (r.name === 'Option' && r.enclosing !== def(file, 'check').id)), 'a namespace is no reference to a definition of its name');
  });

  it("records a namespace's member qualified through an optional chain (`Option?.some`) and with white space and lines before the dot", async () => {
    // (Only `Option.some` was: these were the bare member, `some`, any definition of that name.)
    const text = [
      "import * as Option from './Option.js';", // 1
      'export function head(xs: number[]) {', // 2
      '  const first = Option?.some(xs[0]);', // 3
      '  const empty = Option', // 4
      '    .none();', // 5
      '  return Option\n    .map(first ?? empty, xs) ?? Option\n    ?.flatten(empty);', // 6, 7
      '}', // 8
      'export const other = (item: { list: unknown }) => item.list\n  .filter;', // 9, 10
      'export function wrap() {', // 11
      '  // Wrap it in an Option.', // 12
      '  return every(1);', // 13
      '}', // 14
    ].join('\n');
    const file = await extract('src/Array.ts', text);
    const refsOf = (name: string): string[] => file.references.filter((r) => r.enclosing === def(file, name).id).map((r) => r.name).sort();
    assert.deepEqual(refsOf('head'), ['Option.flatten', 'Option.map', 'Option.none', 'Option.some', 'empty', 'first', 'xs'].sort());
    // (A member of something else than a namespace, across a line too, is the bare word as before.)
    assert.deepEqual(refsOf('other'), ['filter', 'item', 'list'].sort());
    // (A sentence of a comment ending in the namespace's name is followed by white space: the next word is no member.)
    assert.deepEqual(refsOf('wrap'), ['every']);
  });

  it('tells a side-effect require, an empty import list and an empty re-export from a whole-module import', async () => {
    const js = await extract(
      'src/app.js',
      "require('./polyfill');\nconst all = require('./all');\nimport {} from './empty';\nexport {} from './nothing';\nimport D, {} from './d';\nrequire('./with').setup();\n",
    );
    assert.deepEqual(
      js.imports.map((i) => [i.source, i.names, isSideEffectImport(i)]),
      [
        ['./polyfill', SIDE_EFFECT_IMPORT, true],
        ['./all', [], false],
        ['./empty', SIDE_EFFECT_IMPORT, true],
        ['./nothing', SIDE_EFFECT_IMPORT, true],
        ['./d', ['default', 'as D', 'D'], false],
        ['./with', [], false],
      ],
    );
  });

  it('parses TSX', async () => {
    const file = await extract('ui/Badge.tsx', 'export function Badge(p: { label: string }) {\n  return <span title={p.label}>{format(p)}</span>;\n}\n');
    assert.deepEqual(names(file), ['function:Badge']);
    assert.ok(file.references.some((r) => r.name === 'label' && r.enclosing === 'ui/Badge.tsx#Badge#1'));
    assert.ok(file.references.some((r) => r.name === 'format'));
  });

  it('extracts Python definitions, docstrings, decorators and imports', async () => {
    const source = [
      'from ..pkg.mod import thing, other as o', // 1
      'import os.path', // 2
      'MAX = 3', // 3
      '_hidden = 4', // 4
      '', // 5
      '@decorator', // 6
      'def run(a: int) -> str:', // 7
      '    """Runs it.', // 8
      '', // 9
      '        Indented detail.', // 10
      '    """', // 11
      '    def nested(): pass', // 12
      '    return helper(a)', // 13
      '', // 14
      'class Box(Base):', // 15
      '    def put(self, x):', // 16
      '        return x', // 17
    ].join('\n');
    const file = await extract('pkg/a.py', source);
    assert.deepEqual(names(file).sort(), ['class:Box', 'const:MAX', 'function:run', 'method:Box.put']);
    const run = def(file, 'run');
    assert.equal(run.signature, '@decorator\ndef run(a: int) -> str:');
    assert.deepEqual([run.startLine, run.signatureEndLine, run.endLine], [6, 7, 13]);
    assert.equal(run.doc, 'Runs it.\n\nIndented detail.');
    assert.equal(run.docStartLine, undefined, 'a docstring sits inside the definition');
    assert.ok(file.references.some((r) => r.name === 'helper' && r.enclosing === run.id));
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['..pkg.mod', ['thing', 'other', 'as o']],
        ['os.path', []],
        // (A dotted namespace: `os.path.join` is a member of it.)
        ['os.path', ['as os.path']],
      ],
    );
  });

  it('extracts Python 3.12 `type X = …` aliases as types, generic ones too, with their doc comments', async () => {
    const source = [
      'from typing import TypeAlias', // 1
      'UserId: TypeAlias = int', // 2
      '# Two ints.', // 3
      'type Pair = tuple[int, int]', // 4
      'type Box[T] = list[T]', // 5
      'type _Private = int', // 6
      'class C:', // 7
      '    type Inner = str', // 8
      'def f():', // 9
      '    type Local = int', // 10
    ].join('\n');
    const file = await extract('t.py', source);
    assert.deepEqual(names(file), ['const:UserId', 'type:Pair', 'type:Box', 'type:_Private', 'class:C', 'type:C.Inner', 'function:f']);
    const pair = def(file, 'Pair');
    assert.deepEqual([pair.signature, pair.startLine, pair.doc, pair.docStartLine, pair.exported], ['type Pair = tuple[int, int]', 4, 'Two ints.', 3, true]);
    assert.equal(def(file, '_Private').exported, false);
  });

  it('extracts the methods of a named Go interface as methods of it (not its embedded types, nor an unnamed interface\'s)', async () => {
    const source = [
      'package store', // 1
      '', // 2
      'type (', // 3
      '\t// Store keeps items.', // 4
      '\tStore[T any] interface {', // 5
      '\t\t// Get returns one.', // 6
      '\t\tGet(id string) (T, error)', // 7
      '\t\tio.Closer', // 8
      '\t\tput(T) error', // 9
      '\t}', // 10
      '\tOther struct{ r interface{ Read() } }', // 11
      ')', // 12
      '', // 13
      'var anon interface{ Hidden() }', // 14
      'func f() {', // 15
      '\ttype local interface{ Inner() }', // 16
      '}', // 17
    ].join('\n');
    const file = await extract('store/store.go', source);
    assert.deepEqual(names(file), ['interface:Store', 'method:Store.Get', 'method:Store.put', 'class:Other', 'function:f']);
    const get = def(file, 'Get', 'Store');
    assert.deepEqual([get.signature, get.startLine, get.endLine, get.doc, get.docStartLine, get.exported], ['Get(id string) (T, error)', 7, 7, 'Get returns one.', 6, true]);
    assert.equal(def(file, 'put', 'Store').exported, false);
  });

  it('extracts Go functions, methods with receiver types, struct/interface types and exported constants', async () => {
    const source = [
      'package store', // 1
      '', // 2
      'import (', // 3
      '\t"fmt"', // 4
      '\tx "example.com/m/pkg"', // 5
      ')', // 6
      '', // 7
      '// Store keeps values.', // 8
      'type Store struct {', // 9
      '\tv int', // 10
      '}', // 11
      '', // 12
      'type Reader interface {', // 13
      '\tRead() int', // 14
      '}', // 15
      '', // 16
      'func (s *Store) Get() int { return s.v }', // 17
      'func helper() {}', // 18
      'const Max = 1', // 19
      'const min = 0', // 20
    ].join('\n');
    const file = await extract('store/store.go', source);
    assert.deepEqual(names(file).sort(), ['class:Store', 'const:Max', 'function:helper', 'interface:Reader', 'method:Reader.Read', 'method:Store.Get']);
    assert.equal(def(file, 'Store').signature, 'type Store struct');
    assert.equal(def(file, 'Store').doc, 'Store keeps values.');
    assert.equal(def(file, 'Reader').signature, 'type Reader interface');
    assert.equal(def(file, 'Get').signature, 'func (s *Store) Get() int');
    assert.equal(def(file, 'helper').exported, false);
    // (Each a package and its name: a namespace import, namespaceNameOf.)
    assert.deepEqual(file.imports.map((i) => [i.source, i.names]), [['fmt', []], ['fmt', ['as fmt']], ['example.com/m/pkg', []], ['example.com/m/pkg', ['as x']]]);
  });

  it('extracts Rust items with impl containers, attributes, doc comments and use paths', async () => {
    const source = [
      'use crate::util::{helper, other::Thing as T};', // 1
      'mod inner;', // 2
      '', // 3
      '/// A point.', // 4
      '/// Second line.', // 5
      '#[derive(Debug)]', // 6
      'pub struct Point { x: i32 }', // 7
      '', // 8
      'impl Point {', // 9
      '    pub fn new(x: i32) -> Self { Point { x } }', // 10
      '    fn private(&self) {}', // 11
      '}', // 12
      'pub trait Draw { fn draw(&self); }', // 13
      'impl Draw for Point { fn draw(&self) {} }', // 14
      'pub enum Kind { A }', // 15
      'pub const N: u8 = 1;', // 16
      'const HIDDEN: u8 = 2;', // 17
    ].join('\n');
    const file = await extract('src/lib.rs', source);
    assert.deepEqual(names(file).sort(), [
      'class:Point', 'const:N', 'enum:Kind', 'interface:Draw', 'method:Draw.draw', 'method:Point.draw', 'method:Point.new', 'method:Point.private',
    ]);
    const point = def(file, 'Point');
    assert.equal(point.signature, '#[derive(Debug)]\npub struct Point');
    assert.deepEqual([point.startLine, point.docStartLine], [6, 4]);
    assert.equal(point.doc, 'A point.\nSecond line.');
    assert.equal(def(file, 'private').exported, false);
    assert.equal(def(file, 'draw', 'Point').exported, true, 'trait impl methods are as visible as the trait');
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['crate::util', ['helper']],
        ['crate::util::other', ['Thing', 'as T']],
        ['self::inner', []],
      ],
    );
  });

  it('keeps `self` among a Rust `use` group\'s names (the path\'s module itself), and reads `{self}` alone as a whole-module import', async () => {
    const source = ['use crate::net::{self, Conn};', 'use crate::io::{self};', 'use crate::fs::{self as files, tcp};'].join('\n');
    const file = await extract('src/lib.rs', source);
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['crate::net', ['self', 'Conn']],
        ['crate::io', []],
        ['crate::fs', ['self', 'tcp']],
      ],
    );
  });

  it('follows a name a Rust `use` renames with its local name, a module or crate renamed whole with none of its own', async () => {
    const source = ['use crate::cart::cart_total as total;', 'use crate::fs::{self as files, tcp::Stream as S};', 'use crate::cart as c;', 'use serde as s;'].join('\n');
    const file = await extract('src/lib.rs', source);
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['crate::cart', ['cart_total', 'as total']],
        ['crate::fs', []],
        ['crate::fs::tcp', ['Stream', 'as S']],
        // (`cart` may be a function of the crate root as well as a module: the resolver drops a module's local name.)
        ['crate', ['cart', 'as c']],
        ['serde', []],
      ],
    );
  });

  it('reads a Rust `use` or `mod` inside inline modules as a path from the file\'s own module', async () => {
    const source = [
      'pub fn f() {}',
      'mod outer {',
      '    pub mod inner;',
      '    use self::inner::Thing;',
      '    use super::f;',
      '    mod deeper {',
      '        use super::super::super::sibling::S;',
      '        use crate::config::Settings;',
      '        use serde::Serialize;',
      '    }',
      '}',
      '#[cfg(test)]',
      'mod tests {',
      '    use super::*;',
      '    use super::{f, helper};',
      '}',
    ].join('\n');
    const file = await extract('src/net/frame.rs', source);
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['self::outer::inner', []],
        ['self::outer::inner', ['Thing']],
        ['self', ['f']],
        ['super::sibling', ['S']],
        ['crate::config', ['Settings']],
        ['serde', ['Serialize']],
        ['self', []],
        ['self', ['f', 'helper']],
      ],
    );
  });

  it('exports a Rust macro_rules! marked #[macro_export], and only such a one', async () => {
    const source = [
      '#[macro_export]', // 1
      'macro_rules! shown { () => {} }', // 2
      '#[macro_export(local_inner_macros)]', // 3
      '#[doc(hidden)]', // 4
      'macro_rules! inner { () => {} }', // 5
      'macro_rules! local { () => {} }', // 6
      '#[macro_exports]', // 7
      'macro_rules! other { () => {} }', // 8
      'pub(crate) fn in_crate() {}', // 9
    ].join('\n');
    const file = await extract('src/lib.rs', source);
    assert.deepEqual(
      file.definitions.map((d) => [d.name, d.exported]),
      [['shown', true], ['inner', true], ['local', false], ['other', false], ['in_crate', true]],
    );
  });

  it('ends a Rust macro_rules! signature at its name: the rules are its body', async () => {
    // (With no body field, the signature ran through the rules: a "signature only" summary sent them all.)
    const rules = Array.from({ length: 20 }, (_, i) => `    (${i}) => { ${i} };`);
    const source = ['#[macro_export]', 'macro_rules! heron_macro {', ...rules, '}', 'macro_rules! paren (', '    () => ()', ');', ''].join('\n');
    const file = await extract('m.rs', source);
    const braces = def(file, 'heron_macro');
    assert.deepEqual([braces.signature, braces.startLine, braces.signatureEndLine, braces.endLine], ['#[macro_export]\nmacro_rules! heron_macro', 1, 2, 23]);
    const parens = def(file, 'paren');
    assert.deepEqual([parens.signature, parens.startLine, parens.signatureEndLine, parens.endLine], ['macro_rules! paren', 24, 24, 26]);
  });

  it('extracts Java classes, members, constants and imports', async () => {
    const source = [
      'package a.b;', // 1
      'import java.util.List;', // 2
      'import static a.c.Util.twice;', // 3
      'import a.d.*;', // 4
      '/** The app. */', // 5
      'public class App {', // 6
      '  public static final int MAX = 1;', // 7
      '  private int count;', // 8
      '  @Override', // 9
      '  public String run(List<String> xs) { return Util.twice(xs); }', // 10
      '  interface Inner { void f(); }', // 11
      '}', // 12
    ].join('\n');
    const file = await extract('a/b/App.java', source);
    assert.deepEqual(names(file).sort(), ['class:App', 'const:App.MAX', 'interface:App.Inner', 'method:App.run', 'method:Inner.f']);
    assert.equal(def(file, 'run').signature, '@Override\n  public String run(List<String> xs)');
    assert.equal(def(file, 'App').doc, 'The app.');
    assert.equal(def(file, 'f').exported, true, 'interface members are public');
    assert.deepEqual(
      file.imports.map((i) => [i.source, i.names]),
      [
        ['java.util.List', ['List']],
        ['a.c.Util.twice', ['twice']],
        ['a.d.*', []],
      ],
    );
  });

  it('falls back to identifiers only for other text files', async () => {
    const file = await extract('docs/notes.md', 'Call parseConfig before the LruCache warms up. the and for\n');
    assert.equal(file.language, 'text');
    assert.deepEqual(file.definitions, []);
    assert.deepEqual(file.references, []);
    assert.deepEqual(file.identifiers, ['Call', 'parseConfig', 'before', 'LruCache', 'warms']);
  });

  it('cuts signatures of long body-less definitions to their first line', async () => {
    const file = await extract('t.ts', "export type Big =\n  | 'a'\n  | 'b'\n  | 'c'\n  | 'd';\n");
    const big = def(file, 'Big');
    assert.equal(big.signature, 'export type Big =');
    assert.deepEqual([big.startLine, big.signatureEndLine, big.endLine], [1, 1, 5]);
  });

  it('keeps the whole head of a long body-less function or method, and the name line of other definitions past their attributes', async () => {
    const ts = await extract(
      'api.ts',
      [
        'export interface WidgetApi {', // 1
        '  loadWidget(', // 2
        '    id: number,', // 3
        '    name: string,', // 4
        '  ): Promise<void>;', // 5
        '}', // 6
        'export declare function declaredWidget(', // 7
        '  a: number,', // 8
        '  b: string,', // 9
        '): void;', // 10
        'export abstract class Shape {', // 11
        '  /** Area. */', // 12
        '  abstract areaOf(', // 13
        '    a: number,', // 14
        '    b: number,', // 15
        '  ): number;', // 16
        '}', // 17
      ].join('\n'),
    );
    const load = def(ts, 'loadWidget', 'WidgetApi');
    assert.match(load.signature, /^loadWidget\(\n {4}id: number,\n {4}name: string,\n {2}\): Promise<void>;?$/);
    assert.deepEqual([load.startLine, load.signatureEndLine], [2, 5]);
    assert.match(def(ts, 'declaredWidget').signature, /^export declare function declaredWidget\(\n {2}a: number,\n {2}b: string,\n\): void;?$/);
    const area = def(ts, 'areaOf', 'Shape');
    assert.match(area.signature, /^abstract areaOf\([^]*\): number;?$/);
    assert.deepEqual([area.startLine, area.signatureEndLine, area.doc], [13, 16, 'Area.']);
    const java = await extract('Repo.java', 'package x;\n\npublic interface Repo {\n    @Nullable\n    String findWidget(\n        int id,\n        String name);\n}\n');
    const find = def(java, 'findWidget', 'Repo');
    assert.equal(find.signature, '@Nullable\n    String findWidget(\n        int id,\n        String name);');
    assert.deepEqual([find.startLine, find.signatureEndLine], [4, 7]);
    const rust = await extract('store.rs', 'pub trait Store {\n    #[must_use]\n    fn fetch_item(\n        &self,\n        id: u32,\n    ) -> u32;\n}\n');
    assert.match(def(rust, 'fetch_item', 'Store').signature, /^#\[must_use\]\n {4}fn fetch_item\([^]*\) -> u32;?$/);
    // Not a function: the lines up to the name's, though attributes come first.
    const table = def(await extract('t.rs', '#[allow(dead_code)]\npub const TABLE: [u8; 3] = [\n    1,\n    2,\n    3,\n];\n'), 'TABLE');
    assert.deepEqual([table.signature, table.startLine, table.signatureEndLine, table.endLine], ['#[allow(dead_code)]\npub const TABLE: [u8; 3] = [', 1, 2, 6]);
  });

  it('reads decorators and doc comments wherever they may sit, and only there', async () => {
    const source = [
      'export class Panel {', // 1
      "  @HostListener('click', ['$event'])", // 2
      '  onClick(e: Event): void {}', // 3
      '  /** Closes. */ @Memo', // 4
      '  close(): void {}', // 5
      "  url = 'http://example.com/#top';", // 6
      '  open(): void {}', // 7
      '  // Not adjacent.', // 8
      '', // 9
      '  reset(): void {}', // 10
      '  /** Same line. */ size(): number { return 1; }', // 11
      '}', // 12
    ].join('\n');
    const file = await extract('p.ts', source);
    const onClick = def(file, 'onClick');
    assert.equal(onClick.signature, "@HostListener('click', ['$event'])\n  onClick(e: Event): void");
    assert.deepEqual([onClick.startLine, onClick.doc], [2, undefined]);
    const close = def(file, 'close');
    assert.deepEqual([close.startLine, close.doc, close.docStartLine], [4, 'Closes.', 4]);
    assert.equal(def(file, 'open').doc, undefined, 'a string with // and # above is no comment');
    assert.equal(def(file, 'reset').doc, undefined, 'a blank line separates');
    assert.equal(def(file, 'size').doc, 'Same line.');
  });

  it('ends a Python signature at the colon, before comments that open the block', async () => {
    const file = await extract('o.py', 'class Outer:\n    # about Inner\n    class Inner:\n        pass\n\ndef run(a: int) -> str:  # trailing\n    # first\n    return ""\n');
    const outer = def(file, 'Outer');
    assert.deepEqual([outer.signature, outer.signatureEndLine], ['class Outer:', 1]);
    assert.deepEqual([def(file, 'run').signature, def(file, 'run').signatureEndLine], ['def run(a: int) -> str:', 6]);
  });

  it('keeps decorators above a comment between them and the definition, and the doc comment above them', async () => {
    const source = [
      'export class Panel {', // 1
      '  /** Doc. */', // 2
      '  @Dec()', // 3
      '  // eslint-disable-next-line', // 4
      '  method(): void {}', // 5
      '  // plain', // 6
      '  other(): void {}', // 7
      '  @A()', // 8
      '  /* between */', // 9
      '  @B()', // 10
      '  third(): void {}', // 11
      '}', // 12
      '/** Top. */', // 13
      '@sealed', // 14
      '// note', // 15
      'export class Q {}', // 16
    ].join('\n');
    const file = await extract('p.ts', source);
    const method = def(file, 'method', 'Panel');
    assert.deepEqual([method.startLine, method.signature, method.doc, method.docStartLine], [3, '@Dec()\n  // eslint-disable-next-line\n  method(): void', 'Doc.', 2]);
    const other = def(file, 'other', 'Panel');
    assert.deepEqual([other.startLine, other.doc, other.docStartLine], [7, 'plain', 6]);
    assert.deepEqual([def(file, 'third', 'Panel').startLine, def(file, 'third', 'Panel').signature], [8, '@A()\n  /* between */\n  @B()\n  third(): void']);
    const q = def(file, 'Q');
    assert.deepEqual([q.startLine, q.doc, q.docStartLine], [14, 'Top.', 13]);
    // A doc comment between the attributes and the definition is its doc (as before: the attributes left out).
    const value = def(await extract('v.ts', 'export class V {\n  @Input()\n  /** The value shown. */\n  value(): string {\n    return "";\n  }\n}\n'), 'value', 'V');
    assert.deepEqual([value.startLine, value.signature, value.doc, value.docStartLine], [4, 'value(): string', 'The value shown.', 3]);
    const thing = def(await extract('t.rs', '#[derive(Debug)]\n/// The thing.\npub struct Thing {\n    a: u32,\n}\n'), 'Thing');
    assert.deepEqual([thing.startLine, thing.signature, thing.doc, thing.docStartLine], [3, 'pub struct Thing', 'The thing.', 2]);
  });

  it('reads a Rust doc comment above the attributes and one between them and the item as one doc, from the attributes', async () => {
    const source = [
      '/// Outer doc.', // 1
      '#[derive(Debug)]', // 2
      '/// More doc.', // 3
      'pub struct Mixed;', // 4
      '', // 5
      '/// Only above.', // 6
      '#[derive(Debug)]', // 7
      'pub struct Above;', // 8
      '', // 9
      '// Not adjacent.', // 10
      '', // 11
      '#[derive(Debug)]', // 12
      '/// Only below.', // 13
      'pub struct Below;', // 14
    ].join('\n');
    const file = await extract('a.rs', source);
    const mixed = def(file, 'Mixed');
    assert.deepEqual([mixed.startLine, mixed.endLine, mixed.doc, mixed.docStartLine], [2, 4, 'Outer doc.\nMore doc.', 1]);
    // (The doc's lines are left out of the signature; a summary still sends lines 2..4, as the file has them.)
    assert.deepEqual([mixed.signature, mixed.signatureEndLine], ['#[derive(Debug)]\npub struct Mixed;', 4]);
    // As a doc above the attributes alone is read (the attributes in the range, the doc from its first line).
    const above = def(file, 'Above');
    assert.deepEqual([above.startLine, above.doc, above.docStartLine], [7, 'Only above.', 6]);
    // Without a doc right above the attributes, the one below them alone, the attributes left out (as before).
    const below = def(file, 'Below');
    assert.deepEqual([below.startLine, below.signature, below.doc, below.docStartLine], [14, 'pub struct Below;', 'Only below.', 13]);
  });

  it('reads every Rust doc comment among the attributes into the doc, in order, and leaves them out of the signature', async () => {
    const source = [
      '/// a', // 1
      '#[derive(Debug)]', // 2
      '/// b', // 3
      '#[serde(x)]', // 4
      '/// c', // 5
      'pub struct S;', // 6
      '', // 7
      '#[derive(Debug)]', // 8
      '/// Between only.', // 9
      '#[serde(x)]', // 10
      'pub fn between() {}', // 11
      '', // 12
      '/// Outer.', // 13
      '#[inline]', // 14
      '// A plain note.', // 15
      '/* Another. */', // 16
      '#[must_use]', // 17
      '/** Block doc. */', // 18
      '#[cfg(test)]', // 19
      'pub fn plain() -> u8 {', // 20
      '    1', // 21
      '}', // 22
      '', // 23
      '#[derive(Debug)]', // 24
      '/// First.', // 25
      '#[serde(x)]', // 26
      '/// Second.', // 27
      'pub struct T;', // 28
    ].join('\n');
    for (const [name, text] of [['a.rs', source], ['crlf.rs', source.replace(/\n/g, '\r\n')]] as const) {
      const file = await extract(name, text);
      // The range from the first attribute, the doc from its first line above them: a summary sends lines 2..6, the whole
      // item lines 1..6, each exactly as the file has them.
      const s = def(file, 'S');
      assert.deepEqual([s.startLine, s.endLine, s.signatureEndLine, s.doc, s.docStartLine], [2, 6, 6, 'a\nb\nc', 1], name);
      assert.equal(s.signature.replace(/\r/g, ''), '#[derive(Debug)]\n#[serde(x)]\npub struct S;', name);
      // A doc between the attributes alone: the attributes stay in the range, which holds the doc (no line above to add).
      const between = def(file, 'between');
      assert.deepEqual([between.startLine, between.signatureEndLine, between.doc, between.docStartLine], [8, 11, 'Between only.', undefined], name);
      assert.equal(between.signature.replace(/\r/g, ''), '#[derive(Debug)]\n#[serde(x)]\npub fn between()', name);
      // And with another right above the item (its doc alone was read, the attributes and `/// First.` left out).
      const t = def(file, 'T');
      assert.deepEqual([t.startLine, t.signatureEndLine, t.doc, t.docStartLine], [24, 28, 'First.\nSecond.', undefined], name);
      assert.equal(t.signature.replace(/\r/g, ''), '#[derive(Debug)]\n#[serde(x)]\npub struct T;', name);
      // Plain comments between attributes stay in the signature, as any comment there does; a doc comment is the doc.
      const plain = def(file, 'plain');
      assert.deepEqual([plain.startLine, plain.signatureEndLine, plain.doc, plain.docStartLine], [14, 20, 'Outer.\nBlock doc.', 13], name);
      assert.equal(plain.signature.replace(/\r/g, ''), '#[inline]\n// A plain note.\n/* Another. */\n#[must_use]\n#[cfg(test)]\npub fn plain() -> u8', name);
    }
  });

  it('reads Python docstrings only from a first statement that is a string', async () => {
    const file = await extract('d.py', 'def a():\n    r"""Raw doc."""\n\ndef b():\n    x = "no doc"\n\ndef c():\n    # note\n    return 1\n');
    assert.deepEqual(file.definitions.map((d) => [d.name, d.doc]), [['a', 'Raw doc.'], ['b', undefined], ['c', undefined]]);
  });

  it('indexes ambient (declare) constants, and those of declared namespaces, modules and global blocks', async () => {
    const source = [
      '/** The version. */', // 1
      'export declare const VERSION: string;', // 2
      'declare const GLOBAL_FLAG: boolean;', // 3
      'export declare let counter: number;', // 4
      'declare var legacy: number, other: number;', // 5
      'declare namespace NS {', // 6
      '  const nsConst: number;', // 7
      '  namespace Inner { let deep: string; }', // 8
      '}', // 9
      "declare module 'm' { var inModule: number; }", // 10
      'declare global { const inGlobal: number; }', // 11
      'namespace Real { export const shown = 1; const hidden = 2; }', // 12
    ].join('\n');
    const file = await extract('src/types.d.ts', source);
    assert.deepEqual(names(file).sort(), [
      'const:GLOBAL_FLAG', 'const:VERSION', 'const:counter', 'const:deep', 'const:inGlobal', 'const:inModule', 'const:legacy',
      'const:nsConst', 'const:other', 'const:shown',
    ]);
    assert.ok(file.definitions.every((d) => d.exported));
    const version = def(file, 'VERSION');
    assert.deepEqual([version.signature, version.doc, version.docStartLine, version.startLine], ['export declare const VERSION: string;', 'The version.', 1, 2]);
    assert.equal(def(file, 'GLOBAL_FLAG').signature, 'declare const GLOBAL_FLAG: boolean;');
    assert.deepEqual(names(await extract('g.tsx', 'declare const G: number;\n')), ['const:G']);
  });

  it('indexes Java interface constants, with their doc comments and annotations', async () => {
    const source = [
      'public interface Consts {', // 1
      '  /** Max. */', // 2
      '  int MAX_RETRIES = 3;', // 3
      '  @Deprecated', // 4
      '  String OLD = "x";', // 5
      '  public static final int EXPLICIT = 1;', // 6
      '  int A = 1, B = 2;', // 7
      '}', // 8
    ].join('\n');
    const file = await extract('Consts.java', source);
    assert.deepEqual(names(file).sort(), ['const:Consts.A', 'const:Consts.B', 'const:Consts.EXPLICIT', 'const:Consts.MAX_RETRIES', 'const:Consts.OLD', 'interface:Consts']);
    const max = def(file, 'MAX_RETRIES');
    assert.deepEqual([max.signature, max.doc, max.docStartLine, max.startLine, max.exported], ['int MAX_RETRIES = 3;', 'Max.', 2, 3, true]);
    const old = def(file, 'OLD');
    assert.deepEqual([old.signature, old.startLine], ['@Deprecated\n  String OLD = "x";', 4]);
  });

  it('makes no definition of `module.exports = …` itself: the function or class assigned is, exported, with its doc', async () => {
    const source = [
      '/** Named. */', // 1
      'module.exports = function namedExport() {};', // 2
      'module.exports = function () {};', // 3
      'module.exports = () => 1;', // 4
      'exports = function plain() {};', // 5
      'module.exports = class Tool { run() {} };', // 6
      'module.exports.exports = function () {};', // 7
    ].join('\n');
    const file = await extract('c.cjs', source);
    assert.deepEqual(names(file), ['function:namedExport', 'function:plain', 'class:Tool', 'method:Tool.run', 'function:exports']);
    const named = def(file, 'namedExport');
    assert.deepEqual(
      [named.signature, named.doc, named.docStartLine, named.startLine, named.exported],
      ['module.exports = function namedExport()', 'Named.', 1, 2, true],
    );
    assert.equal(def(file, 'Tool').exported, true);
    assert.equal(def(file, 'exports').startLine, 7, 'a property named exports is a definition');
  });

  it('treats a chain of assignments to module.exports or exports as `module.exports = …`: the function or class assigned is, exported, with its doc', async () => {
    const source = [
      '/** Both. */', // 1
      'exports = module.exports = function both() {};', // 2
      '/** Other. */', // 3
      'module.exports = exports = function other() {', // 4
      '  return 1;', // 5
      '};', // 6
      '/** Third. */', // 7
      'var api = module.exports = function third() {};', // 8
      '/** Tool. */', // 9
      'module.exports = exports = class Tool { run() {} };', // 10
      'const deep = module.exports = exports = function deepest() {};', // 11
      'a = b = function notExported() {};', // 12
    ].join('\n');
    const file = await extract('chain.cjs', source);
    const lines = source.split('\n');
    assert.deepEqual(names(file).sort(), ['class:Tool', 'function:a', 'function:b', 'function:both', 'function:deepest', 'function:notExported', 'function:other', 'function:third', 'method:Tool.run']);
    for (const [name, doc, docStartLine, startLine, endLine] of [['both', 'Both.', 1, 2, 2], ['other', 'Other.', 3, 4, 6], ['third', 'Third.', 7, 8, 8], ['Tool', 'Tool.', 9, 10, 10]] as const) {
      const d = def(file, name);
      assert.deepEqual([d.doc, d.docStartLine, d.startLine, d.endLine, d.exported], [doc, docStartLine, startLine, endLine, true], name);
    }
    assert.equal(def(file, 'other').signature, 'module.exports = exports = function other()');
    assert.equal(source.slice(def(file, 'third').startIndex, def(file, 'third').endIndex), lines[7], 'from the declaration');
    assert.deepEqual([def(file, 'deepest').exported, def(file, 'deepest').startLine], [true, 11]);
    assert.equal(def(file, 'notExported').exported, false, 'a chain with no module.exports or exports in it');
  });

  it('makes each target of `exports.a = exports.b = function () {}` a definition, from the statement with its doc', async () => {
    const source = [
      '/** Adds. */', // 1
      'exports.add = exports.plus = function (a, b) {', // 2
      '  return a + b;', // 3
      '};', // 4
      'module.exports.sub = exports.sub = (a, b) => a - b;', // 5
      'exports.x = exports.y = exports.z = function () {};', // 6
    ].join('\n');
    const file = await extract('lib.js', source);
    assert.deepEqual(names(file).sort(), ['function:add', 'function:plus', 'function:sub', 'function:x', 'function:y', 'function:z']);
    for (const name of ['add', 'plus']) {
      const d = def(file, name);
      assert.deepEqual([d.doc, d.docStartLine, d.startLine, d.endLine, d.exported, d.signature], ['Adds.', 1, 2, 4, true, 'exports.add = exports.plus = function (a, b)'], name);
    }
    for (const name of ['x', 'y', 'z']) assert.deepEqual([def(file, name).startLine, def(file, name).exported], [6, true], name);
  });

  it('reads the doc comment above `exports.x = …`, `module.exports.x = …` and `X.prototype.y = …`', async () => {
    const source = [
      '/** Adds numbers. */', // 1
      'exports.add = function (a, b) { return a + b; };', // 2
      '// Subtracts.', // 3
      'module.exports.sub = (a, b) =>', // 4
      '  a - b;', // 5
      'function Point() {}', // 6
      '/**', // 7
      ' * Moves the point.', // 8
      ' */', // 9
      'Point.prototype.move = function (dx) {', // 10
      '  return dx;', // 11
      '};', // 12
    ].join('\n');
    const file = await extract('lib.js', source);
    const lines = source.split('\n');
    const add = def(file, 'add');
    assert.deepEqual([add.doc, add.docStartLine, add.startLine, add.endLine, add.signature], ['Adds numbers.', 1, 2, 2, 'exports.add = function (a, b)']);
    assert.equal(source.slice(add.startIndex, add.endIndex), lines[1], 'the statement, its semicolon included');
    const sub = def(file, 'sub');
    assert.deepEqual([sub.doc, sub.docStartLine, sub.startLine, sub.endLine], ['Subtracts.', 3, 4, 5]);
    const move = def(file, 'move');
    assert.deepEqual([move.doc, move.docStartLine, move.startLine, move.endLine], ['Moves the point.', 7, 10, 12]);
    assert.equal(source.slice(move.startIndex, move.endIndex), lines.slice(9, 12).join('\n'));
  });

  it('reads a comment above the first member of a Python class as its doc, not the class line\'s trailing comment', async () => {
    const source = [
      'class Leaf:  # trailing', // 1
      '    # Grows the leaf.', // 2
      '    def grow(self): ...', // 3
      '', // 4
      'class Tree:', // 5
      '    # Not adjacent.', // 6
      '', // 7
      '    def fall(self): ...', // 8
      '', // 9
      'class Root:  # about Root', // 10
      '    def hold(self): ...', // 11
      '', // 12
      'class Stem:', // 13
      '    # Static.', // 14
      '    @staticmethod', // 15
      '    def bend(): ...', // 16
    ].join('\n');
    const file = await extract('leaf.py', source);
    const grow = def(file, 'grow', 'Leaf');
    assert.deepEqual([grow.doc, grow.docStartLine, grow.startLine], ['Grows the leaf.', 2, 3]);
    assert.equal(def(file, 'fall', 'Tree').doc, undefined, 'a blank line separates');
    assert.equal(def(file, 'hold', 'Root').doc, undefined);
    const bend = def(file, 'bend', 'Stem');
    assert.deepEqual([bend.doc, bend.docStartLine, bend.startLine], ['Static.', 14, 15]);
  });

  it('extracts the variables of a Go `var ( … )` group, and a group of one with the doc above it', async () => {
    const source = [
      'package store', // 1
      '', // 2
      'import "errors"', // 3
      '', // 4
      'var (', // 5
      '\t// ErrNotFound is returned for a missing key.', // 6
      '\tErrNotFound = errors.New("not found")', // 7
      '\tErrClosed   = errors.New("closed")', // 8
      '\tlocalOnly   = 1', // 9
      ')', // 10
      '', // 11
      '// Limit caps reads.', // 12
      'var (', // 13
      '\tLimit = 10', // 14
      ')', // 15
      '', // 16
      'const (', // 17
      '\tLow  = 1', // 18
      '\tHigh = 2', // 19
      ')', // 20
    ].join('\n');
    const file = await extract('store/errors.go', source);
    assert.deepEqual(names(file).sort(), ['const:ErrClosed', 'const:ErrNotFound', 'const:High', 'const:Limit', 'const:Low']);
    const notFound = def(file, 'ErrNotFound');
    assert.deepEqual([notFound.signature, notFound.startLine, notFound.doc, notFound.docStartLine], ['ErrNotFound = errors.New("not found")', 7, 'ErrNotFound is returned for a missing key.', 6]);
    const limit = def(file, 'Limit');
    assert.deepEqual([limit.startLine, limit.endLine, limit.doc], [13, 15, 'Limit caps reads.']);
    assert.deepEqual([def(file, 'High').startLine, def(file, 'High').signature], [19, 'High = 2']);
  });

  it('takes no shebang, encoding line or inner doc comment (`//!`, `/*!`) for the doc of the definition below', async () => {
    const py = await extract('tool.py', '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\ndef main():\n    pass\n');
    assert.deepEqual([def(py, 'main').doc, def(py, 'main').docStartLine], [undefined, undefined]);
    const documented = await extract('run.py', '#!/usr/bin/env python3\n# vim: set fileencoding=utf-8 :\n# Runs the tool.\ndef run():\n    pass\n');
    assert.deepEqual([def(documented, 'run').doc, def(documented, 'run').docStartLine], ['Runs the tool.', 3]);
    const crate = await extract('src/lib.rs', '//! The crate.\n//! More about it.\npub fn first() {}\n');
    assert.equal(def(crate, 'first').doc, undefined);
    const block = await extract('src/main.rs', '/*! The crate. */\npub struct First;\n');
    assert.equal(def(block, 'First').doc, undefined);
    const both = await extract('src/both.rs', '//! The crate.\n/// The first item.\npub fn first() {}\n');
    assert.deepEqual([def(both, 'first').doc, def(both, 'first').docStartLine], ['The first item.', 2]);
  });

  it("names a Rust method's container by the impl type's last path segment, without references, lifetimes or generics", async () => {
    const source = [
      'use std::fmt;', // 1
      'impl fmt::Display for crate::shapes::Circle {', // 2
      '    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result { Ok(()) }', // 3
      '}', // 4
      "impl<'a> Iterator for &'a mut Circle {", // 5
      '    fn next(&mut self) -> Option<u32> { None }', // 6
      '}', // 7
      'impl<T> shapes::Wrapper<T> {', // 8
      '    pub fn get(&self) {}', // 9
      '}', // 10
    ].join('\n');
    const file = await extract('src/circle.rs', source);
    assert.deepEqual(names(file).sort(), ['method:Circle.fmt', 'method:Circle.next', 'method:Wrapper.get']);
  });

  it('indexes generator and class values of declarations, and class fields holding functions as methods', async () => {
    const source = [
      '/** Streams ids. */', // 1
      'const idStream = function* () {};', // 2
      '/** A widget. */', // 3
      'const Widget = class { render() {} };', // 4
      '/** Counts. */', // 5
      'const counter = function* count() {};', // 6
      'export class Button {', // 7
      '  /** Clicks. */', // 8
      '  onClick = (event: Event) => {', // 9
      '    return event;', // 10
      '  };', // 11
      '  static create = () => new Button();', // 12
      '  private handler = (e: Event) => e;', // 13
      '  label = "ok";', // 14
      '}', // 15
    ].join('\n');
    const ts = await extract('src/button.ts', source);
    assert.deepEqual(names(ts).sort(), [
      'class:Button', 'class:Widget', 'function:count', 'function:counter', 'function:idStream',
      'method:Button.create', 'method:Button.handler', 'method:Button.onClick', 'method:Widget.render',
    ]);
    assert.deepEqual([def(ts, 'idStream').signature, def(ts, 'idStream').doc], ['const idStream = function* ()', 'Streams ids.']);
    assert.equal(def(ts, 'Widget').doc, 'A widget.');
    assert.equal(def(ts, 'counter').doc, 'Counts.');
    const click = def(ts, 'onClick', 'Button');
    assert.deepEqual([click.signature, click.startLine, click.signatureEndLine, click.endLine, click.doc, click.exported], ['onClick = (event: Event) =>', 9, 9, 11, 'Clicks.', true]);
    assert.equal(def(ts, 'handler', 'Button').exported, false, 'a private field is not exported');
    const js = await extract('src/button.js', 'class Button {\n  onClick = (event) => {};\n  #secret = function () {};\n}\n');
    assert.deepEqual(names(js).sort(), ['class:Button', 'method:Button.#secret', 'method:Button.onClick']);
  });

  it('exports the top-level declarations an export clause, `export default name` or `export = name` names (review R5)', async () => {
    const source = [
      '/** Default retry settings. */', // 1
      'const DEFAULT_RETRY = { attempts: 3, backoffMs: 200 };', // 2
      '/** Parses. */', // 3
      'function parse(s: string): number { return Number(s); }', // 4
      'const config = { a: 1 };', // 5
      'let renamed = 2;', // 6
      'class Local {}', // 7
      'const hidden = 4;', // 8
      'function internal() {}', // 9
      'type Shape = { a: number };', // 10
      'const viaSource = 5;', // 11
      'export { DEFAULT_RETRY, parse, renamed as other };', // 12
      'export type { Shape };', // 13
      "export { viaSource } from './elsewhere';", // 14
      'export default config;', // 15
    ].join('\n');
    const file = await extract('src/retry.ts', source);
    assert.deepEqual(
      file.definitions.map((d) => `${d.kind}:${d.name}:${d.exported}`),
      ['const:DEFAULT_RETRY:true', 'function:parse:true', 'const:config:true', 'const:renamed:true', 'class:Local:false', 'function:internal:false', 'type:Shape:true'],
    );
    const retry = def(file, 'DEFAULT_RETRY');
    assert.deepEqual([retry.signature, retry.doc, retry.docStartLine, retry.startLine], ['const DEFAULT_RETRY = { attempts: 3, backoffMs: 200 };', 'Default retry settings.', 1, 2]);
    const legacy = await extract('src/legacy.ts', 'class Legacy {\n  run() {}\n}\nconst version = 1;\nexport = Legacy;\n');
    assert.deepEqual(legacy.definitions.map((d) => `${d.name}:${d.exported}`), ['Legacy:true', 'run:true']);
    // The members of a class exported by name are exported as those of an exported class are.
    const members = await extract('src/members.ts', 'class Box {\n  open() {}\n  private shut() {}\n  #lock() {}\n}\ninterface Lid { lift(): void }\nexport { Box, Lid };\n');
    assert.deepEqual(members.definitions.map((d) => `${d.name}:${d.exported}`), ['Box:true', 'open:true', 'shut:false', '#lock:false', 'Lid:true', 'lift:true']);
    // Names in a namespace's own clause, and a class method of an exported name, are not the top level's.
    const scoped = await extract('src/scoped.ts', 'namespace N {\n  const inner = 1;\n  export { inner };\n}\nclass K {\n  parse() {}\n}\nexport { parse };\n');
    assert.deepEqual(scoped.definitions.map((d) => `${d.name}:${d.exported}`), ['K:false', 'parse:false']);
    // Nor are those of an (older, `module`) namespace or a `declare global` block, which sit where the query looks (review D4).
    const nested = await extract('src/nested.ts', 'const z = 1;\nconst w = 2;\nmodule M { export { z }; }\ndeclare global { export { w }; }\n');
    assert.deepEqual(nested.definitions.filter((d) => d.name === 'z' || d.name === 'w'), []);
  });

  it('marks the top-level definition that `export default api`, `export { api as default }`, `module.exports = api` or `export = api` names as the default export', async () => {
    // (No signature shows it: a default import of the module, `import client from './api'`, reached no definition.)
    const shown = (file: IndexedFile): string[] => file.definitions.map((d) => `${d.kind}:${d.container ?? ''}.${d.name}:${d.exported}:${d.exportedAsDefault === true}`);
    const declarations = 'function api(): number {\n  return 1;\n}\nfunction other(): void {}\nclass Box {\n  api(): void {}\n}\n';
    const forms = ['export default api;', 'export { api as default };', 'export { api as "default", other };', 'module.exports = api;', 'exports = module.exports = api;', 'exports.default = api;', 'module.exports.default = api;', 'export = api;'];
    for (const form of forms) {
      for (const path of form.startsWith('export =') ? ['src/api.ts', 'src/api.tsx'] : ['src/api.ts', 'src/api.tsx', 'src/api.js']) {
        const text = path.endsWith('.js') ? declarations.replace(/\(\): \w+/g, '()') : declarations;
        const file = await extract(path, `${text}${form}\n`);
        const exportsOther = form.includes('other');
        assert.deepEqual(shown(file), ['function:.api:true:true', `function:.other:${exportsOther}:false`, 'class:.Box:false:false', 'method:Box.api:false:false'], `${form} in ${path}`);
      }
    }
    // A class, an arrow function, a constant: each the default export its name names.
    const values = await extract('src/values.ts', 'class Api {}\nconst make = () => new Api();\nconst LIMIT = 3;\nexport default Api;\nmodule.exports = make;\nexport { LIMIT as default };\n');
    assert.deepEqual(shown(values), ['class:.Api:true:true', 'function:.make:true:true', 'const:.LIMIT:true:true']);
    // Exported by name, but not as the default: none of them marked.
    for (const form of ['export { api };', 'export { api as main };', 'exports.api = api;', 'module.exports.api = api;', 'module.exports = { api };', 'export default api();', 'if (typeof module === "object") module.exports = api;', 'this.default = api;']) {
      const file = await extract('src/api.ts', `${declarations}${form}\n`);
      assert.ok(file.definitions.every((d) => d.exportedAsDefault === undefined), form);
    }
    // Nor is a name a namespace's own `export default` names (the file's own statements only).
    const scoped = await extract('src/scoped.ts', 'function api(): void {}\ndeclare module "x" {\n  export default api;\n}\n');
    assert.equal(def(scoped, 'api').exportedAsDefault, undefined);
  });

  it('exports what CommonJS exports by name, and the members of a `module.exports` object as those of `export default {…}` (review R5)', async () => {
    const source = [
      'const MAX = 5;', // 1
      'const MIN = 1;', // 2
      'function helper() {}', // 3
      'function inner() {}', // 4
      'function single() {}', // 5
      'function nested() {}', // 6
      'const local = 2;', // 7
      'function unexported() {}', // 8
      'module.exports = {', // 9
      '  MAX,', // 10
      '  alias: inner,', // 11
      '  /** Runs. */', // 12
      '  run() {},', // 13
      '  stop: () => {},', // 14
      '};', // 15
      'exports.helper = helper;', // 16
      'module.exports.single = single;', // 17
      'module.exports.MIN = MIN;', // 18
      'exports.deep.nested = nested;', // 19
    ].join('\n');
    const file = await extract('src/lib.js', source);
    assert.deepEqual(
      file.definitions.map((d) => `${d.kind}:${d.name}:${d.exported}`),
      ['const:MAX:true', 'const:MIN:true', 'function:helper:true', 'function:inner:true', 'function:single:true', 'function:nested:false', 'function:unexported:false', 'method:run:true', 'function:stop:true'],
    );
    assert.equal(def(file, 'run').doc, 'Runs.');
    // The same members under `export default {…}`, and under a plain object (not exported).
    const esm = await extract('src/lib.mjs', 'export default {\n  run() {},\n  stop: () => {},\n};\n');
    assert.deepEqual(esm.definitions.map((d) => `${d.name}:${d.exported}`), ['run:true', 'stop:true']);
    const plain = await extract('src/plain.js', 'const api = {\n  run() {},\n};\nmodule.exports.other = 1;\n');
    assert.deepEqual(plain.definitions.map((d) => `${d.name}:${d.exported}`), ['run:false']);
    // `module.exports = main` and `exports = module.exports = {…}`.
    const main = await extract('src/main.js', "const lib = require('./lib');\nfunction main() {\n  return lib;\n}\nmodule.exports = main;\n");
    assert.deepEqual(main.definitions.map((d) => `${d.name}:${d.exported}`), ['main:true']);
    const chained = await extract('src/chained.js', 'exports = module.exports = {\n  go() {},\n};\n');
    assert.deepEqual(chained.definitions.map((d) => `${d.name}:${d.exported}`), ['go:true']);
  });

  it('reads `exports["x"] = …` and `module.exports["x"] = …` as `exports.x = …`', async () => {
    const source = [
      'function helper() {}', // 1
      'const MAX = 1;', // 2
      'function kept() {}', // 3
      'exports["helper"] = helper;', // 4
      "module.exports['MAX'] = MAX;", // 5
      '/** Runs. */', // 6
      'exports["run"] = function (a) {', // 7
      '  return a;', // 8
      '};', // 9
      "module.exports['stop'] = () => {};", // 10
      'exports["not-a-name"] = function () {};', // 11
      'table["kept"] = kept;', // 12
      'table["other"] = function () {};', // 13
    ].join('\n');
    const file = await extract('src/sub.js', source);
    assert.deepEqual(file.definitions.map((d) => `${d.kind}:${d.name}:${d.exported}`), [
      'function:helper:true', 'const:MAX:true', 'function:kept:false', 'function:run:true', 'function:stop:true',
    ]);
    const run = def(file, 'run');
    assert.deepEqual([run.signature, run.doc, run.startLine, run.endLine], ['exports["run"] = function (a)', 'Runs.', 7, 9]);
  });

  it('exports the members of a top-level object exported by name, as `export const api = { … }` exports them', async () => {
    const source = [
      '/** The API. */', // 1
      'const api = {', // 2
      '  /** Gets. */', // 3
      '  get() { return 1; },', // 4
      '  put: () => 2,', // 5
      '  limit: 3,', // 6
      '};', // 7
      'const routes = {', // 8
      '  home() {},', // 9
      '} as const;', // 10
      'const local = {', // 11
      '  hidden() {},', // 12
      '};', // 13
      'export { api, routes };', // 14
    ].join('\n');
    const file = await extract('src/api.ts', source);
    assert.deepEqual(file.definitions.map((d) => `${d.kind}:${d.name}:${d.exported}`), [
      'const:api:true', 'method:get:true', 'function:put:true', 'const:routes:true', 'method:home:true', 'method:hidden:false',
    ]);
    const api = def(file, 'api');
    assert.deepEqual([api.signature, api.doc, api.startLine, api.endLine], ['const api =', 'The API.', 2, 7]);
    assert.equal(source.slice(api.startIndex, api.endIndex), source.split('\n').slice(1, 7).join('\n'));
    // The same as the declaration's own `export`, and under `export default api`, `module.exports = api` or `= { api }`.
    const declared = await extract('src/declared.ts', 'export const api = {\n  get() { return 1; },\n  put: () => 2,\n};\n');
    assert.deepEqual(declared.definitions.map((d) => `${d.kind}:${d.name}:${d.exported}`), ['const:api:true', 'method:get:true', 'function:put:true']);
    for (const exporting of ['export default api;', 'module.exports = api;', 'module.exports = { api };']) {
      const other = await extract('src/other.js', `const api = {\n  get() {},\n};\n${exporting}\n`);
      assert.deepEqual(other.definitions.map((d) => `${d.name}:${d.exported}`), ['api:true', 'get:true'], exporting);
    }
  });

  it('takes the members of a top-level object in parentheses, `as const`, `satisfies` or `<const>` as those of a bare one: exported by name or by `export const`, or not exported', async () => {
    const values = ['{ h() {} }', '({ h() {} })', '{ h() {} } as const', '{ h() {} } satisfies object', '<const>{ h() {} }', '({ h() {} } as const)', '(<const>{ h() {} })'];
    for (const value of values) {
      const seen: string[] = [];
      for (const source of [`export const b = ${value};\n`, `const b = ${value};\nexport { b };\n`, `const b = ${value};\n`]) {
        const file = await extract('src/b.ts', source);
        seen.push(file.definitions.map((d) => `${d.kind}:${d.name}:${d.exported}`).join(','));
      }
      assert.deepEqual(seen, ['const:b:true,method:h:true', 'const:b:true,method:h:true', 'method:h:false'], value);
    }
    // JavaScript and TSX: in parentheses (TSX has no `<const>` assertion).
    for (const [path, source] of [['src/b.js', 'const b = ({ h() {} });\nmodule.exports = b;\n'], ['src/b.jsx', 'export const b = ({ h() {} });\n'], ['src/b.tsx', 'const b = ({ h() {} } satisfies object);\nexport { b };\n']] as const) {
      const file = await extract(path, source);
      assert.deepEqual(file.definitions.map((d) => `${d.kind}:${d.name}:${d.exported}`), ['const:b:true', 'method:h:true'], path);
    }
  });

  it('extracts JavaScript and TypeScript private methods, not exported (review R5)', async () => {
    const source = 'export class Q {\n  /** Secret. */\n  #secret(a: number) { return a; }\n  static #make() { return new Q(); }\n  get #g() { return 1; }\n  open() {}\n}\n';
    const ts = await extract('src/q.ts', source);
    assert.deepEqual(ts.definitions.map((d) => `${d.kind}:${d.container ?? ''}.${d.name}:${d.exported}`), [
      'class:.Q:true', 'method:Q.#secret:false', 'method:Q.#make:false', 'method:Q.#g:false', 'method:Q.open:true',
    ]);
    const secret = def(ts, '#secret');
    assert.deepEqual([secret.signature, secret.doc, secret.startLine], ['#secret(a: number)', 'Secret.', 3]);
    const js = await extract('src/q.js', 'class Q {\n  #secret() {}\n}\n');
    assert.deepEqual(names(js), ['class:Q', 'method:Q.#secret']);
  });

  it('extracts no constructor: a query saying "constructor" would match every class\'s by name (review D4)', async () => {
    const ts = await extract('src/s.ts', 'export class S {\n  /** Makes one. */\n  constructor(private readonly url: string) {}\n  open() {}\n}\n');
    assert.deepEqual(names(ts), ['class:S', 'method:S.open']);
    assert.deepEqual(names(await extract('src/s.js', 'class S {\n  constructor(a) {}\n}\n')), ['class:S']);
    const java = await extract('src/S.java', ['public class S {', '  public S(int a) {', '  }', '  public record R(int x) {', '    public R {', '    }', '  }', '}'].join('\n'));
    assert.deepEqual(names(java), ['class:S', 'class:S.R']);
  });

  it('takes no f-string or bytes literal for a Python docstring, as CPython does not (review R5)', async () => {
    const file = await extract('src/p.py', [
      'def p():',
      '    f"""Not a doc {x}"""',
      '',
      'def q():',
      '    b"""Not a doc"""',
      '',
      'class R:',
      "    Rb'''Not a doc'''",
      '',
      'def s():',
      '    u"""A doc."""',
      '',
      'def t():',
      "    R'''Raw doc.'''",
      '',
      'def v():',
      '    F"Not {a} doc"',
      '',
    ].join('\n'));
    assert.deepEqual(file.definitions.map((d) => [d.name, d.doc]), [['p', undefined], ['q', undefined], ['R', undefined], ['s', 'A doc.'], ['t', 'Raw doc.'], ['v', undefined]]);
  });

  it('keeps the line of the name in the signature past long decorators, annotations and attributes (their first line kept)', async () => {
    const template = Array.from({ length: 20 }, (_, i) => `    <div class="row-${i}">{{ item${i} }}</div>`);
    const ng = await extract(
      'src/user-card.component.ts',
      ["import { Component } from '@angular/core';", '', '@Component({', "  selector: 'app-user-card',", '  template: `', ...template, '  `,', '})', 'export class UserCardComponent {', '  value = 1;', '}', ''].join('\n'),
    );
    const card = def(ng, 'UserCardComponent');
    assert.deepEqual([card.signature, card.startLine, card.signatureEndLine, card.endLine], ['@Component({\n…\nexport class UserCardComponent', 3, 28, 30]);
    const options = Array.from({ length: 16 }, (_, i) => `        option_${i}="value number ${i}",`);
    const py = await extract('app/views.py', ['class Views:', '    @app.route(', ...options, '    )', '    def handle_request(self, req):', '        return req', ''].join('\n'));
    const handle = def(py, 'handle_request', 'Views');
    assert.deepEqual([handle.signature, handle.startLine, handle.signatureEndLine], ['@app.route(\n    …\n    def handle_request(self, req):', 2, 20]);
    const java = await extract('src/Api.java', ['public class Api {', '    @Mapping(', ...options.map((o) => o.replace('="', ' = "')), '    )', '    public String handle(int id) {', '        return "";', '    }', '}', ''].join('\n'));
    assert.deepEqual([def(java, 'handle', 'Api').signature, def(java, 'handle', 'Api').signatureEndLine], ['@Mapping(\n    …\n    public String handle(int id)', 20]);
    const rust = await extract('src/big.rs', ['#[cfg_attr(', ...options.map((o) => o.replace('="', ': "')), ')]', 'pub struct Big {', '    x: u32,', '}', ''].join('\n'));
    assert.deepEqual([def(rust, 'Big').signature, def(rust, 'Big').startLine, def(rust, 'Big').signatureEndLine], ['#[cfg_attr(\n…\npub struct Big', 1, 19]);
    // `export` before the decorators (TypeScript 5): the definition's own text starts past the last of them, at `class`.
    const exportFirst = await extract(
      'src/user-card.component.ts',
      ["import { Component } from '@angular/core';", '', 'export @Component({', "  selector: 'app-user-card',", '  template: `', ...template, '  `,', '})', 'class UserCardComponent {', '  value = 1;', '}', ''].join('\n'),
    );
    const exportedCard = def(exportFirst, 'UserCardComponent');
    assert.deepEqual([exportedCard.signature, exportedCard.startLine, exportedCard.signatureEndLine], ['export @Component({\n…\nclass UserCardComponent', 3, 28]);
    // Short decorators are kept whole, as before.
    const short = await extract('src/short.ts', "@Component({ selector: 'x' })\nexport class Short {}\n");
    assert.equal(def(short, 'Short').signature, "@Component({ selector: 'x' })\nexport class Short");
  });

  it('reads the head back from an elided signature (elidedSignatureHead): the file\'s lines through signatureEndLine', async () => {
    assert.deepEqual(elidedSignatureHead('@Component({\n…\nexport class UserCardComponent'), ['export class UserCardComponent']);
    assert.deepEqual(elidedSignatureHead('@app.route(\n    …\n    def handle_request(self,\n            req):'), ['    def handle_request(self,', '            req):']);
    assert.deepEqual(elidedSignatureHead('@Component({ selector: \'x\' })\nexport class Short'), ['export class Short'], 'no line left out: no `…` line');
    assert.equal(elidedSignatureHead('export class Short'), undefined);
    assert.equal(elidedSignatureHead('@app.route(\n    …'), undefined);
    // What the extractor writes, the helper reads back as the file's lines that end at signatureEndLine.
    const options = Array.from({ length: 16 }, (_, i) => `        option_${i}="value number ${i}",`);
    const lines = ['class Views:', '    @app.route(', ...options, '    )', '    def handle_request(', '        self, req):', '        return req', ''];
    const handle = def(await extract('app/views.py', lines.join('\n')), 'handle_request', 'Views');
    const head = elidedSignatureHead(handle.signature);
    assert.ok(head && handle.signature.includes('…'), handle.signature);
    assert.deepEqual(head, lines.slice(handle.signatureEndLine - head.length, handle.signatureEndLine));
  });

  it('survives syntax errors and empty files', async () => {
    const broken = await extract('b.ts', 'export function ok() {}\nfunction (((\n');
    assert.ok(broken.definitions.some((d) => d.name === 'ok'));
    const empty = await extract('e.py', '');
    assert.deepEqual([empty.definitions, empty.references, empty.imports], [[], [], []]);
  });

  it('cleans comment markers', () => {
    assert.equal(cleanComment('/**\n * One.\n *\n * Two.\n */'), 'One.\n\nTwo.');
    assert.equal(cleanComment('/// a\n/// b'), 'a\nb');
    assert.equal(cleanComment('# one\n#two'), 'one\ntwo');
    assert.equal(cleanDocstring('Title.\n\n    Body\n      more\n    '), 'Title.\n\nBody\n  more');
  });
});
