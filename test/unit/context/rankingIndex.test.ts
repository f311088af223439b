import assert from 'node:assert/strict';
import { identifierTerms } from '../../../src/core/context/identifierTokens';
import { DefinitionListReader } from '../../../src/core/context/definitionColumns';
import { DefinitionRecord, type IndexedFile } from '../../../src/core/context/model';
import { DEFAULT_RANKING_LIMITS, enclosingSlots, RankingIndex, SlotKind } from '../../../src/core/context/rankingIndex';
import { StoredFile } from '../../../src/core/context/storedFile';
import { FixtureIndex, describeEdges, generatedWorkspace, rustUseGroup, sampleWorkspace, seededRandom, type FileSpec } from './builders';
import { extractedSpec, namespaceWorkspace } from './indexerHarness';

/** Edge weights are kept in single precision (EdgePool): what they are compared with is a double. */
const WEIGHT_TOLERANCE = 1e-6;

function slotOf(index: RankingIndex, file: string, name: string): number {
  const entry = index.entry(file);
  const slot = entry?.definitionSlots.find((s) => {
    const n = index.node(s);
    return n?.kind === 'definition' && n.def.name === name;
  });
  assert.ok(slot !== undefined, `${file}#${name}`);
  return slot;
}

function targetsOf(index: RankingIndex, slot: number): string[] {
  return index
    .edges(slot)
    .targets.map((t) => {
      const n = index.node(t);
      return n?.kind === 'definition' ? `${n.def.file}#${n.def.name}` : `file ${n?.path ?? '?'}`;
    })
    .sort();
}

/** A file of `n` one-line functions named <tag><i>, each calling the next when `calls`. */
function many(n: number, tag: string, calls = false): FileSpec {
  const lines = Array.from({ length: n }, (_, i) => `function ${tag}${i}() {${calls ? ` ${tag}${(i + 1) % n}(); ` : ''}}`);
  return { text: lines.join('\n'), defs: lines.map((_, i) => ({ name: `${tag}${i}`, lines: [i + 1, i + 1] as [number, number] })) };
}

describe('ranking index', () => {
  it("links a member of a namespace import (`Option.some`) to the namespace module's definition only, and the file to the members it uses", async () => {
    // (The references were `Option` and `some`: the interface Option, and every `some` in reach — the file's own,
    // Option's and Predicate's — each with a third of the weight.)
    const index = new RankingIndex();
    index.sync(await namespaceWorkspace());
    assert.deepEqual(targetsOf(index, slotOf(index, 'src/Array.ts', 'head')), ['src/Option.ts#Option', 'src/Option.ts#none', 'src/Option.ts#some']);
    // The reverse edge: Option's `some` is called by head (and Predicate's is not).
    assert.ok(targetsOf(index, slotOf(index, 'src/Option.ts', 'some')).includes('src/Array.ts#head'));
    assert.ok(!targetsOf(index, slotOf(index, 'src/Predicate.ts', 'some')).includes('src/Array.ts#head'));
    // The file's imports weigh the members it uses more than the rest of the module (an even share of every export).
    const { targets, weights } = index.edges(index.entry('src/Array.ts')?.fileSlot ?? -1);
    const weightOf = (slot: number): number => weights[targets.indexOf(slot)] ?? 0;
    assert.ok(weightOf(slotOf(index, 'src/Option.ts', 'some')) > weightOf(slotOf(index, 'src/Option.ts', 'unused')), targetsOf(index, index.entry('src/Array.ts')?.fileSlot ?? -1).join('; '));
  });

  it('links a member of a namespace import of a barrel (`util.formatMoney` of `./util`) to the definition the barrel re-exports', async () => {
    // (The barrel defines none of the members: they reached nothing, where the plain names had reached a's and b's.)
    const index = new RankingIndex();
    index.sync(
      new FixtureIndex({
        'src/util/a.ts': await extractedSpec('src/util/a.ts', 'export function formatMoney(x: number): string {\n  return x.toFixed(2);\n}\n'),
        'src/util/b.ts': await extractedSpec('src/util/b.ts', 'export function parseMoney(x: string): number {\n  return Number(x);\n}\n'),
        'src/util/index.ts': await extractedSpec('src/util/index.ts', "export * from './a';\nexport { parseMoney } from './b';\n", { './a': 'src/util/a.ts', './b': 'src/util/b.ts' }),
        'src/app.ts': await extractedSpec(
          'src/app.ts',
          "import * as util from './util';\nexport function total(xs: number[]): string {\n  return util.formatMoney(xs.length) + util.parseMoney('1');\n}\n",
          { './util': 'src/util/index.ts' },
        ),
      }),
    );
    assert.deepEqual(targetsOf(index, slotOf(index, 'src/app.ts', 'total')), ['src/util/a.ts#formatMoney', 'src/util/b.ts#parseMoney']);
    assert.deepEqual(index.resolveName('util.formatMoney', 'src/app.ts').slots, [slotOf(index, 'src/util/a.ts', 'formatMoney')]);
    const fileTargets = targetsOf(index, index.entry('src/app.ts')?.fileSlot ?? -1);
    assert.ok(fileTargets.includes('src/util/b.ts#parseMoney'), fileTargets.join('; '));
  });

  it('links a default import of a module exporting an expression (`export default wrap(Foo)`) to none of its own default imports', async () => {
    // (Foo.tsx defines no default export the index can see: its `import Bar from './Bar'` is no re-export of Bar's.)
    const specs = async (foo: string): Promise<RankingIndex> => {
      const index = new RankingIndex();
      index.sync(
        new FixtureIndex({
          'src/Bar.tsx': await extractedSpec('src/Bar.tsx', 'export default function Bar() {\n  return 1;\n}\n'),
          'src/Baz.tsx': await extractedSpec('src/Baz.tsx', 'export default function Baz() {\n  return 3;\n}\n'),
          'src/Foo.tsx': await extractedSpec('src/Foo.tsx', foo, { './Bar': 'src/Bar.tsx', './Baz': 'src/Baz.tsx' }),
          'src/app.tsx': await extractedSpec('src/app.tsx', "import Foo from './Foo';\nexport function main() {\n  return Foo();\n}\n", { './Foo': 'src/Foo.tsx' }),
        }),
      );
      return index;
    };
    const wrapped = await specs("import Bar from './Bar';\nfunction Foo() {\n  return Bar();\n}\nexport default wrap(Foo);\n");
    assert.deepEqual(targetsOf(wrapped, slotOf(wrapped, 'src/app.tsx', 'main')), ['src/Foo.tsx#Foo']);
    assert.deepEqual(wrapped.resolveName('Foo', 'src/app.tsx').slots, [slotOf(wrapped, 'src/Foo.tsx', 'Foo')]);
    // (The import edge, from app.tsx's file node, as well.)
    const appFile = wrapped.entry('src/app.tsx')?.fileSlot ?? -1;
    assert.ok(!targetsOf(wrapped, appFile).includes('src/Bar.tsx#Bar'), targetsOf(wrapped, appFile).join('; '));
    // A barrel passing a default on (`export { default } from`) still gives it to a default import of the barrel.
    const barrel = await specs("import Bar from './Bar';\nexport { default } from './Baz';\nexport function helper() {\n  return Bar();\n}\n");
    assert.ok(targetsOf(barrel, slotOf(barrel, 'src/app.tsx', 'main')).includes('src/Baz.tsx#Baz'), targetsOf(barrel, slotOf(barrel, 'src/app.tsx', 'main')).join('; '));
  });

  it('links `import Shape, * as geom from` as a default import, a whole-module import and a namespace import', async () => {
    // (The whole-module edge was missing: the file reached none of the module's exports it does not use.)
    const index = new RankingIndex();
    index.sync(
      new FixtureIndex({
        'src/geom.ts': await extractedSpec('src/geom.ts', 'export default function makeShape() {\n  return 1;\n}\nexport function area(x: number) {\n  return x;\n}\nexport function perimeter(x: number) {\n  return x;\n}\n'),
        'src/app.ts': await extractedSpec('src/app.ts', "import Shape, * as geom from './geom';\nexport function main() {\n  return geom.area(Shape());\n}\n", { './geom': 'src/geom.ts' }),
      }),
    );
    assert.deepEqual(targetsOf(index, slotOf(index, 'src/app.ts', 'main')), ['src/geom.ts#area', 'src/geom.ts#makeShape']);
    assert.deepEqual(targetsOf(index, index.entry('src/app.ts')?.fileSlot ?? -1), ['src/geom.ts#area', 'src/geom.ts#makeShape', 'src/geom.ts#perimeter']);
  });

  it('passes no name on through a namespace import (`import * as internal`), as `export *` does', async () => {
    // (mod.ts uses internal.x but exports no x: it re-exports no x; through `export *` it does.)
    const index = async (mod: string): Promise<RankingIndex> => {
      const ranking = new RankingIndex();
      ranking.sync(
        new FixtureIndex({
          'src/internal.ts': await extractedSpec('src/internal.ts', 'export function x() {\n  return 1;\n}\n'),
          'src/mod.ts': await extractedSpec('src/mod.ts', mod, { './internal': 'src/internal.ts' }),
          'src/app.ts': await extractedSpec('src/app.ts', "import { x } from './mod';\nexport function main() {\n  return x();\n}\n", { './mod': 'src/mod.ts' }),
        }),
      );
      return ranking;
    };
    const namespaced = await index("import * as internal from './internal';\nexport function y() {\n  return internal.x();\n}\n");
    assert.deepEqual(namespaced.reexportedSlots('src/mod.ts', 'x'), []);
    const reexported = await index("export * from './internal';\nexport function y() {\n  return 2;\n}\n");
    assert.deepEqual(reexported.reexportedSlots('src/mod.ts', 'x'), [slotOf(reexported, 'src/internal.ts', 'x')]);
  });

  it('links references to definitions and imports to the imported definitions', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const index = new RankingIndex();
    index.sync(fixture);
    const parseConfig = slotOf(index, 'src/config/parseConfig.ts', 'parseConfig');
    // Callees (readTextFile, ConfigSchema, Config), plus its caller startServer as a reverse edge.
    assert.deepEqual(targetsOf(index, parseConfig), [
      'src/config/parseConfig.ts#Config',
      'src/config/schema.ts#ConfigSchema',
      'src/fs/readTextFile.ts#readTextFile',
      'src/server/startServer.ts#startServer',
    ]);
    const weights = index.edges(parseConfig).weights;
    assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < WEIGHT_TOLERANCE);
    const fileSlot = index.entry('src/server/startServer.ts')?.fileSlot ?? -1;
    assert.deepEqual(targetsOf(index, fileSlot), ['src/config/parseConfig.ts#parseConfig', 'src/server/httpServer.ts#HttpServer']);
  });

  it('counts a reference to an ambiguous name as a caller of the definition its file imports (or its own), not of the others', () => {
    const fixture = new FixtureIndex({
      'src/a.ts': { text: 'export function x() {}\n', defs: [{ name: 'x', lines: [1, 1] }] },
      'src/b.ts': { text: 'export function x() {}\n', defs: [{ name: 'x', lines: [1, 1] }] },
      'src/usesA.ts': {
        text: 'import { x } from "./a";\nexport function viaA() {\n  x();\n}\n',
        imports: [{ source: './a', names: ['x'], line: 1, resolved: 'src/a.ts' }],
        defs: [{ name: 'viaA', lines: [2, 4] }],
        refs: ['x@3'],
      },
      'src/usesB.ts': {
        text: 'import { x } from "./b";\nexport function viaB() {\n  x();\n}\n',
        imports: [{ source: './b', names: ['x'], line: 1, resolved: 'src/b.ts' }],
        defs: [{ name: 'viaB', lines: [2, 4] }],
        refs: ['x@3'],
      },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    assert.deepEqual([...index.importersOf('src/a.ts')], ['src/usesA.ts']);
    // x's reverse edges: only the importing file's caller (x is defined twice, so a mere mention is not enough).
    assert.deepEqual(targetsOf(index, slotOf(index, 'src/a.ts', 'x')), ['src/usesA.ts#viaA']);
    assert.deepEqual(targetsOf(index, slotOf(index, 'src/b.ts', 'x')), ['src/usesB.ts#viaB']);
  });

  for (const mentions of [1, 2, 254, 255, 256, 600]) {
    it(`weights a callee by the square root of its ${mentions} mention(s)`, () => {
      const fixture = new FixtureIndex({
        'src/a.ts': { text: 'export function caller() {\n  x(); y();\n}\n', defs: [{ name: 'caller', lines: [1, 3] }], refs: [...Array.from({ length: mentions }, () => 'x@2'), 'y@2'] },
        'src/b.ts': { text: 'export function x() {}\nexport function y() {}\n', defs: [{ name: 'x', lines: [1, 1] }, { name: 'y', lines: [2, 2] }] },
      });
      const index = new RankingIndex();
      index.sync(fixture);
      const { targets, weights } = index.edges(slotOf(index, 'src/a.ts', 'caller'));
      const weightOf = (name: string): number => weights[targets.indexOf(slotOf(index, 'src/b.ts', name))] ?? Number.NaN;
      assert.ok(Math.abs(weightOf('x') - Math.sqrt(mentions) / (Math.sqrt(mentions) + 1)) < WEIGHT_TOLERANCE);
      assert.ok(Math.abs(weightOf('y') - 1 / (Math.sqrt(mentions) + 1)) < WEIGHT_TOLERANCE);
    });
  }

  it('forEachResolvedNameOfFile answers as resolveName over referencedNames, for the file node, then each definition, of every file', () => {
    const fixture = new FixtureIndex(generatedWorkspace(9, 16));
    const index = new RankingIndex();
    index.sync(fixture);
    let checked = 0;
    for (const path of [...fixture.files.keys(), 'not/indexed.ts']) {
      const entry = index.entry(path);
      const expected = (entry ? [entry.fileSlot, ...entry.definitionSlots] : []).flatMap((place) =>
        index.referencedNames(place).map((name) => {
          const { slots, preferred } = index.resolveName(name, path, place);
          return { place, slots, preferred };
        }),
      );
      const actual: { place: number; slots: number[]; preferred: boolean }[] = [];
      index.forEachResolvedNameOfFile(path, (place, slots, preferred) => actual.push({ place, slots: [...slots], preferred }));
      assert.deepEqual(actual, expected, path);
      checked += expected.length;
    }
    assert.ok(checked > 20, `${checked} names`);
  });

  it("forEachUsedName resolves as resolveName, with the weights of the walk's forward edges", () => {
    const fixture = new FixtureIndex(generatedWorkspace(11, 40));
    const index = new RankingIndex();
    index.sync(fixture);
    let checked = 0;
    for (let slot = 0; slot < index.capacity; slot++) {
      if (index.kindOf(slot) !== SlotKind.Definition) continue;
      const expected = index
        .referencedNames(slot)
        .map((name) => index.resolveName(name, index.fileOf(slot), slot))
        .filter(({ slots }) => slots.length > 0)
        .map(({ slots, preferred }) => ({ slots, preferred }));
      const actual: { slots: number[]; preferred: boolean }[] = [];
      const weightByTarget = new Map<number, number>();
      const sum = index.forEachUsedName(slot, (slots, weight, preferred) => {
        actual.push({ slots: [...slots], preferred });
        for (const t of slots) weightByTarget.set(t, (weightByTarget.get(t) ?? 0) + weight);
      });
      assert.deepEqual(actual, expected, `slot ${slot}`);
      if (actual.length === 0) continue;
      assert.ok(Math.abs([...weightByTarget.values()].reduce((a, b) => a + b, 0) - sum) < 1e-9);
      // The walk's forward edges come first, in the order first reached, their weights the shares of the sum scaled by
      // one factor (less the callers' share).
      const edges = index.edges(slot);
      const targets = [...weightByTarget.keys()];
      assert.deepEqual(edges.targets.slice(0, targets.length), targets);
      const scale = (edges.weights[0] ?? 0) / (weightByTarget.get(targets[0] as number) ?? 1);
      targets.forEach((t, k) => assert.ok(Math.abs((edges.weights[k] ?? 0) - scale * (weightByTarget.get(t) ?? 0)) < WEIGHT_TOLERANCE));
      checked += actual.length;
    }
    assert.ok(checked > 50, `${checked}`);
  });

  it('forEachUsedName splits a name among its definitions, a tenth of it among more than five unpreferred, and sums over every definition', () => {
    // loadAll mentions `get` twice (twelve classes of its own file define it), `run` once (six unimported files
    // define it) and `parse` once (defined once, not imported).
    const classes = Array.from({ length: 12 }, (_, i) => `class Store${i} {\n  get(id: string): string {\n    return id;\n  }\n}`);
    const files: Record<string, FileSpec> = {
      'src/stores.ts': {
        text: [...classes, 'export function loadAll(store: Store0): void {', "  store.get('a');", "  store.get('b');", '  run();', "  parse('c');", '}', ''].join('\n'),
        defs: [
          ...Array.from({ length: 12 }, (_, i): NonNullable<FileSpec['defs']> => [
            { name: `Store${i}`, kind: 'class', lines: [1 + 5 * i, 5 + 5 * i] },
            { name: 'get', kind: 'method', container: `Store${i}`, lines: [2 + 5 * i, 4 + 5 * i] },
          ]).flat(),
          { name: 'loadAll', lines: [61, 66] },
        ],
        refs: ['get@62', 'get@63', 'run@64', 'parse@65'],
      },
      'src/util/parse.ts': { text: 'export function parse(s: string): void {}\n', defs: [{ name: 'parse', lines: [1, 1] }] },
    };
    for (let i = 0; i < 6; i++) files[`src/jobs/job${i}.ts`] = { text: 'export function run(): void {}\n', defs: [{ name: 'run', lines: [1, 1] }] };
    const index = new RankingIndex();
    index.sync(new FixtureIndex(files));
    const visits: { name: string; definitions: number; weight: number; preferred: boolean }[] = [];
    const sum = index.forEachUsedName(slotOf(index, 'src/stores.ts', 'loadAll'), (slots, weight, preferred) => {
      const node = index.node(slots[0] as number);
      visits.push({ name: node?.kind === 'definition' ? node.def.name : '', definitions: slots.length, weight, preferred });
    });
    const close = (a: number, b: number): boolean => Math.abs(a - b) < 1e-12;
    assert.deepEqual(
      visits.map(({ name, definitions, preferred }) => ({ name, definitions, preferred })),
      [
        { name: 'get', definitions: 12, preferred: true },
        { name: 'run', definitions: 6, preferred: false },
        { name: 'parse', definitions: 1, preferred: false },
      ],
    );
    const [get, run, parse] = visits.map((v) => v.weight);
    assert.ok(close(parse ?? 0, 1), `${parse}`);
    assert.ok(close(get ?? 0, Math.SQRT2 / 12), `sqrt(2 mentions) split twelve ways: ${get}`);
    assert.ok(close(run ?? 0, 0.1 / 6), `a tenth of one mention split six ways: ${run}`);
    assert.ok(close(sum, Math.SQRT2 + 0.1 + 1), `every definition's weight: ${sum}`);
  });

  it('prefers definitions in the same or an imported file when a name is defined twice', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    fixture.put('src/other/readTextFile.ts', { text: 'export function readTextFile() {}\n', defs: [{ name: 'readTextFile', lines: [1, 1] }] });
    const index = new RankingIndex();
    index.sync(fixture);
    const resolved = index.resolveName('readTextFile', 'src/config/parseConfig.ts');
    assert.equal(resolved.preferred, true);
    assert.equal(resolved.total, 2);
    assert.deepEqual(resolved.slots, [slotOf(index, 'src/fs/readTextFile.ts', 'readTextFile')]);
    const unrelated = index.resolveName('readTextFile', 'src/util/strings.ts');
    assert.equal(unrelated.preferred, false);
    assert.equal(unrelated.slots.length, 2);
  });

  it('prefers the definitions of every file of an imported Go package, and weighs the package\'s files as one import', () => {
    const fixture = new FixtureIndex({
      'net/conn.go': { text: 'package net\ntype Conn struct{}\n', language: 'go', defs: [{ name: 'Conn', lines: [2, 2] }] },
      'net/dial.go': { text: 'package net\nfunc Dial() {}\n', language: 'go', defs: [{ name: 'Dial', lines: [2, 2] }] },
      'other/dial.go': { text: 'package other\nfunc Dial() {}\n', language: 'go', defs: [{ name: 'Dial', lines: [2, 2] }] },
      'util/helpers.go': { text: 'package util\nfunc Help() {}\n', language: 'go', defs: [{ name: 'Help', lines: [2, 2] }] },
      'cmd/main.go': {
        text: 'package main\nimport "example.com/mod/net"\nimport "example.com/mod/util"\nfunc main() {\n  net.Dial()\n}\n',
        language: 'go',
        imports: [
          { source: 'example.com/mod/net', line: 2, targets: [{ file: 'net/conn.go', names: [] }, { file: 'net/dial.go', names: [] }] },
          { source: 'example.com/mod/util', line: 3, resolved: 'util/helpers.go' },
        ],
        defs: [{ name: 'main', lines: [4, 6] }],
        refs: ['Dial@5'],
      },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    const resolved = index.resolveName('Dial', 'cmd/main.go');
    assert.equal(resolved.preferred, true, 'net.Dial is in a file of the imported package other than its first');
    assert.deepEqual(resolved.slots, [slotOf(index, 'net/dial.go', 'Dial')]);
    assert.deepEqual([...index.importersOf('net/dial.go')], ['cmd/main.go']);
    const { targets, weights } = index.edges(index.entry('cmd/main.go')?.fileSlot ?? -1);
    const weightOf = (file: string, name: string): number => weights[targets.indexOf(slotOf(index, file, name))] ?? Number.NaN;
    // The package's two files share one import's weight; the other package's one file has a whole one.
    assert.ok(Math.abs(weightOf('net/conn.go', 'Conn') - 0.25) < 1e-12, `${weightOf('net/conn.go', 'Conn')}`);
    assert.ok(Math.abs(weightOf('net/dial.go', 'Dial') - 0.25) < 1e-12);
    assert.ok(Math.abs(weightOf('util/helpers.go', 'Help') - 0.5) < 1e-12);
  });

  it('links each item of a Rust `use` group where it resolves: a module\'s exported definitions, a name in the path\'s module', () => {
    const fixture = new FixtureIndex(rustUseGroup());
    const index = new RankingIndex();
    index.sync(fixture);
    assert.deepEqual(targetsOf(index, index.entry('src/lib.rs')?.fileSlot ?? -1), ['src/net/mod.rs#Conn', 'src/net/tcp.rs#connect']);
  });

  it('weighs a Go package import as one import of one file holding all its linked definitions', () => {
    const fixture = new FixtureIndex({
      'net/dial.go': { text: 'package net\nfunc Dial() {}\nfunc Listen() {}\nfunc Close() {}\n', language: 'go', defs: [{ name: 'Dial', lines: [2, 2] }, { name: 'Listen', lines: [3, 3] }, { name: 'Close', lines: [4, 4] }] },
      'net/conn.go': { text: 'package net\ntype Conn struct{}\n', language: 'go', defs: [{ name: 'Conn', lines: [2, 2] }] },
      'net/zz_internal.go': { text: 'package net\nfunc helper() {}\n', language: 'go', defs: [{ name: 'helper', lines: [2, 2], exported: false }] },
      'util/helpers.go': { text: 'package util\nfunc Help() {}\n', language: 'go', defs: [{ name: 'Help', lines: [2, 2] }] },
      'cmd/main.go': {
        text: 'package main\nimport "example.com/mod/net"\nimport "example.com/mod/util"\n',
        language: 'go',
        imports: [
          { source: 'example.com/mod/net', line: 2, targets: [{ file: 'net/dial.go', names: [] }, { file: 'net/conn.go', names: [] }, { file: 'net/zz_internal.go', names: [] }] },
          { source: 'example.com/mod/util', line: 3, resolved: 'util/helpers.go' },
        ],
      },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    const { targets, weights } = index.edges(index.entry('cmd/main.go')?.fileSlot ?? -1);
    const weightOf = (file: string, name: string): number => weights[targets.indexOf(slotOf(index, file, name))] ?? Number.NaN;
    // The package's four exported definitions share one import's weight alike, whichever file holds them; a file with
    // none (zz_internal.go) takes no share of it.
    for (const [file, name] of [['net/dial.go', 'Dial'], ['net/dial.go', 'Listen'], ['net/dial.go', 'Close'], ['net/conn.go', 'Conn']] as const) {
      assert.ok(Math.abs(weightOf(file, name) - 0.125) < 1e-12, `${name}: ${weightOf(file, name)}`);
    }
    assert.ok(Math.abs(weightOf('util/helpers.go', 'Help') - 0.5) < 1e-12, `Help: ${weightOf('util/helpers.go', 'Help')}`);
  });

  it('weighs a Java wildcard import as one import of one file holding all its package\'s linked definitions', () => {
    const fixture = new FixtureIndex({
      'model/Money.java': { text: 'package model;\npublic class Money {}\n', language: 'java', defs: [{ name: 'Money', lines: [2, 2] }] },
      'model/Status.java': { text: 'package model;\npublic enum Status {}\n', language: 'java', defs: [{ name: 'Status', lines: [2, 2] }] },
      'util/Strings.java': { text: 'package util;\npublic class Strings {}\n', language: 'java', defs: [{ name: 'Strings', lines: [2, 2] }] },
      'app/App.java': {
        text: 'package app;\nimport model.*;\nimport util.Strings;\n',
        language: 'java',
        imports: [
          { source: 'model.*', line: 2, targets: [{ file: 'model/Money.java', names: [] }, { file: 'model/Status.java', names: [] }] },
          { source: 'util.Strings', line: 3, resolved: 'util/Strings.java' },
        ],
      },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    const { targets, weights } = index.edges(index.entry('app/App.java')?.fileSlot ?? -1);
    const weightOf = (file: string, name: string): number => weights[targets.indexOf(slotOf(index, file, name))] ?? Number.NaN;
    // The package's two classes share one import's weight; the single-class import has a whole one.
    assert.ok(Math.abs(weightOf('model/Money.java', 'Money') - 0.25) < 1e-12, `Money: ${weightOf('model/Money.java', 'Money')}`);
    assert.ok(Math.abs(weightOf('model/Status.java', 'Status') - 0.25) < 1e-12, `Status: ${weightOf('model/Status.java', 'Status')}`);
    assert.ok(Math.abs(weightOf('util/Strings.java', 'Strings') - 0.5) < 1e-12, `Strings: ${weightOf('util/Strings.java', 'Strings')}`);
  });

  it('links a default import to the module\'s default export whatever its name, never to a member named `default`', () => {
    const geom = ['export default function area(w: number, h: number): number {', '  return w * h;', '}', 'export class Shape {', '  default(): number { return 0; }', '}', 'export function run(): void {}', ''].join('\n');
    const fixture = new FixtureIndex({
      'geom.ts': {
        text: geom,
        defs: [
          { name: 'area', lines: [1, 3] },
          { name: 'Shape', kind: 'class', lines: [4, 6] },
          { name: 'default', kind: 'method', container: 'Shape', lines: [5, 5] },
          { name: 'run', lines: [7, 7] },
        ],
      },
      // (In Python `default` is a name as any other.)
      'opts.py': { text: 'def default():\n    return 1\n', language: 'python', defs: [{ name: 'default', lines: [1, 2] }] },
      'main.py': { text: 'from opts import default\n', language: 'python', imports: [{ source: 'opts', names: ['default'], line: 1, resolved: 'opts.py' }] },
      'active.ts': { text: "import computeArea, { run } from './geom';\n", imports: [{ source: './geom', names: ['default', 'computeArea', 'run'], line: 1, resolved: 'geom.ts' }] },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    assert.deepEqual(targetsOf(index, index.entry('active.ts')?.fileSlot ?? -1), ['geom.ts#area', 'geom.ts#run']);
    assert.deepEqual(targetsOf(index, index.entry('main.py')?.fileSlot ?? -1), ['opts.py#default']);
  });

  it('links a name imported to the top-level definition of that name, not to methods named so (but in Java), as the ranker\'s reasons', () => {
    const fixture = new FixtureIndex({
      'a.ts': {
        text: 'export function run(): void {}\nexport class Job {\n  run(): void {}\n}\n',
        defs: [
          { name: 'run', lines: [1, 1] },
          { name: 'Job', kind: 'class', lines: [2, 4] },
          { name: 'run', kind: 'method', container: 'Job', lines: [3, 3] },
        ],
      },
      'b.ts': { text: "import { run } from './a';\n", imports: [{ source: './a', names: ['run'], line: 1, resolved: 'a.ts' }] },
      'Util.java': {
        text: 'class Util {\n  static int twice(int x) { return 2 * x; }\n}\n',
        language: 'java',
        defs: [
          { name: 'Util', kind: 'class', lines: [1, 3] },
          { name: 'twice', kind: 'method', container: 'Util', lines: [2, 2] },
        ],
      },
      'App.java': { text: 'import static p.Util.twice;\n', language: 'java', imports: [{ source: 'p.Util.twice', names: ['twice'], line: 1, resolved: 'Util.java' }] },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    assert.deepEqual(targetsOf(index, index.entry('b.ts')?.fileSlot ?? -1), ['a.ts#run']);
    assert.deepEqual(targetsOf(index, index.entry('App.java')?.fileSlot ?? -1), ['Util.java#twice']);
  });

  it('weighs each item of a `use` group as separate `use` statements would', () => {
    const files = (imports: NonNullable<FileSpec['imports']>): Record<string, FileSpec> => ({
      'src/net/mod.rs': { text: 'pub struct Conn;\n', language: 'rust', defs: [{ name: 'Conn', lines: [1, 1] }] },
      'src/net/tcp.rs': { text: 'pub fn connect() {}\n', language: 'rust', defs: [{ name: 'connect', lines: [1, 1] }] },
      'src/net/udp.rs': { text: 'pub fn send() {}\npub fn recv() {}\n', language: 'rust', defs: [{ name: 'send', lines: [1, 1] }, { name: 'recv', lines: [2, 2] }] },
      'src/lib.rs': { text: 'use crate::net::{tcp, udp, Conn};\n', language: 'rust', imports },
    });
    const weightsOf = (imports: NonNullable<FileSpec['imports']>): Record<string, number> => {
      const index = new RankingIndex();
      index.sync(new FixtureIndex(files(imports)));
      const { targets, weights } = index.edges(index.entry('src/lib.rs')?.fileSlot ?? -1);
      const out: Record<string, number> = {};
      targets.forEach((t, i) => {
        const n = index.node(t);
        if (n?.kind === 'definition') out[n.def.name] = weights[i] ?? Number.NaN;
      });
      return out;
    };
    const group = weightsOf([
      { source: 'crate::net', names: ['tcp', 'udp', 'Conn'], line: 1, targets: [{ file: 'src/net/tcp.rs', names: [] }, { file: 'src/net/udp.rs', names: [] }, { file: 'src/net/mod.rs', names: ['Conn'] }] },
    ]);
    const separate = weightsOf([
      { source: 'crate::net::tcp', line: 1, resolved: 'src/net/tcp.rs' },
      { source: 'crate::net::udp', line: 2, resolved: 'src/net/udp.rs' },
      { source: 'crate::net', names: ['Conn'], line: 3, resolved: 'src/net/mod.rs' },
    ]);
    const third = 1 / 3;
    const expected: Record<string, number> = { connect: third, send: third / 2, recv: third / 2, Conn: third };
    for (const [name, weight] of Object.entries(expected)) {
      assert.ok(Math.abs((group[name] ?? Number.NaN) - weight) < WEIGHT_TOLERANCE, `group ${name}: ${group[name]}`);
      assert.ok(Math.abs((separate[name] ?? Number.NaN) - weight) < WEIGHT_TOLERANCE, `separate ${name}: ${separate[name]}`);
    }
  });

  it('re-indexes only changed files on a new version and forgets removed ones', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const index = new RankingIndex();
    assert.equal(index.sync(fixture), true);
    assert.equal(index.sync(fixture), false, 'same snapshot and version: nothing to do');
    const kept = slotOf(index, 'src/config/parseConfig.ts', 'parseConfig');
    const changedBefore = slotOf(index, 'src/util/strings.ts', 'toKebabCase');
    const generation = index.generation;
    fixture.put('src/util/strings.ts', { text: 'export function toSnakeCase(s: string) {}\n', defs: [{ name: 'toSnakeCase', lines: [1, 1] }] });
    fixture.remove('src/cache/lruCache.ts');
    assert.equal(index.sync(fixture), true);
    assert.ok(index.generation > generation);
    assert.equal(slotOf(index, 'src/config/parseConfig.ts', 'parseConfig'), kept, 'unchanged file keeps its nodes');
    assert.equal(index.node(changedBefore), undefined);
    assert.ok(slotOf(index, 'src/util/strings.ts', 'toSnakeCase') > changedBefore);
    assert.equal(index.entry('src/cache/lruCache.ts'), undefined);
    assert.deepEqual(index.definitionsNamed('LruCache'), []);
    assert.deepEqual(index.definitionsNamed('toKebabCase'), []);
    assert.equal(index.lexical.idf('kebab'), 0);
    assert.equal(index.definitionCount, 9);
  });

  it('leaves room after a build for the slots edits take, so an edit grows no per-slot array', () => {
    const fixture = new FixtureIndex(generatedWorkspace(5, 400));
    const index = new RankingIndex();
    index.sync(fixture);
    const room = index.slotRoom;
    assert.ok(index.capacity > 1024, `${index.capacity} slots: more than the arrays start with`);
    assert.ok(room - index.capacity >= index.capacity / 16, `room for ${room - index.capacity} more slots after ${index.capacity}`);
    // Edits of a few files, each taking new slots: the arrays stay (a fresh index's ranking is checked elsewhere).
    for (let k = 0; k < 5; k++) {
      fixture.put(`src/edited${k}.ts`, many(8, `edited${k}_`));
      index.sync(fixture);
    }
    assert.equal(index.slotRoom, room);
    assert.ok(slotOf(index, 'src/edited4.ts', 'edited4_7') < room);
  });

  it('re-links a file whose import now resolves elsewhere even though its text is unchanged', () => {
    const files = sampleWorkspace();
    const fixture = new FixtureIndex(files);
    const index = new RankingIndex();
    index.sync(fixture);
    const spec = files['src/server/startServer.ts'];
    assert.ok(spec);
    fixture.put('src/server/startServer.ts', { ...spec, imports: [{ source: '../config/parseConfig', names: ['parseConfig'], line: 1 }] });
    index.sync(fixture);
    assert.deepEqual([...index.importersOf('src/config/parseConfig.ts')], []);
    assert.equal(index.entry('src/server/startServer.ts')?.importedFiles.size, 0);
  });

  it('re-ranks a file that changed again while a sync gave way after its first pass (review19)', () => {
    const fixture = new FixtureIndex({
      'a.ts': { text: 'import { x } from "./b"', imports: [{ source: './b', line: 1, resolved: 'b.ts' }], defs: [{ name: 'one', lines: [1, 1] }] },
      'b.ts': { text: 'export const x = 1', defs: [{ name: 'x', lines: [1, 1] }] },
      'c.ts': many(2_100, 'c'),
      'd.ts': { text: 'export const y = 2', defs: [{ name: 'y', lines: [1, 1] }] },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    fixture.put('c.ts', many(2_100, 'k')); // enough work for the sync to give way in its first pass
    const steps = index.syncSteps(fixture);
    let step = steps.next();
    assert.equal(step.done, false, 'the sync gave way');
    // Meanwhile a.ts (already passed as unchanged) imports d.ts instead and defines three names instead of one.
    fixture.put('a.ts', {
      text: 'import { y } from "./d"',
      imports: [{ source: './d', line: 1, resolved: 'd.ts' }],
      defs: [{ name: 'one', lines: [1, 1] }, { name: 'two', lines: [1, 1] }, { name: 'three', lines: [1, 1] }],
    });
    while (!step.done) step = steps.next();
    index.sync(fixture);
    assert.deepEqual([...index.importersOf('d.ts')], ['a.ts']);
    assert.deepEqual([...index.importersOf('b.ts')], []);
    assert.deepEqual(['one', 'two', 'three'].map((n) => index.definitionsNamed(n).length), [1, 1, 1]);
    fixture.remove('a.ts');
    index.sync(fixture);
    assert.deepEqual([...index.importersOf('b.ts')], [], 'no importer link of the version the sync first saw is left');
    assert.deepEqual([...index.importersOf('d.ts')], []);
    assert.equal(index.definitionsNamed('x').length, 1, "b.ts's definitions keep their slots");
    const fresh = new RankingIndex();
    fresh.sync({ version: 0, files: new Map(fixture.files), readText: () => Promise.resolve(undefined) });
    assert.deepEqual(describeEdges(index), describeEdges(fresh));
  });
});

describe('ranking index local names at scale', () => {
  /**
   * A module of `d` exported functions and a default export, and `i` files importing it by a default import (`import
   * api from './api'`, a local name each), the big file's signatures counted as read. Reading them is what made the
   * callers of each definition cost definitions × importers (review of session 48): each importer's local name was
   * resolved by scanning every definition of the module, per definition asked.
   */
  function defaultImporters(d: number, i: number): { fixture: FixtureIndex; signatureReads: () => number; importer: (k: number, extra?: string) => FileSpec } {
    const lines = Array.from({ length: d }, (_, k) => `export function endpoint${k}(): number { return ${k}; }`);
    lines.push('export default function api(): number { return 0; }');
    const importer = (k: number, extra = ''): FileSpec => ({
      text: `import api from './api';\nexport function screen${k}(): number {\n  return api() + endpoint${k % d}();${extra}\n}\n`,
      defs: [{ name: `screen${k}`, lines: [2, 4] }],
      refs: ['api@3', `endpoint${k % d}@3`],
      imports: [{ source: './api', names: ['default', 'as api', 'api'], line: 1, resolved: 'src/api.ts' }],
    });
    const files: Record<string, FileSpec> = { 'src/api.ts': { text: lines.join('\n') + '\n', defs: lines.map((_, k) => ({ name: k < d ? `endpoint${k}` : 'api', lines: [k + 1, k + 1] as [number, number] })) } };
    for (let k = 0; k < i; k++) files[`src/screens/screen${k}.ts`] = importer(k);
    const fixture = new FixtureIndex(files);
    let reads = 0;
    for (const def of fixture.files.get('src/api.ts')?.definitions ?? []) {
      const signature = def.signature;
      Object.defineProperty(def, 'signature', {
        get: () => {
          reads++;
          return signature;
        },
      });
    }
    return { fixture, signatureReads: () => reads, importer };
  }

  it("finds the callers of a module's definitions reading each signature a bounded number of times, not once per importer", () => {
    const d = 120;
    const i = 60;
    const { fixture, signatureReads, importer } = defaultImporters(d, i);
    const index = new RankingIndex();
    index.sync(fixture);
    const api = index.entry('src/api.ts');
    assert.ok(api);
    const allEdges = (): number => api.definitionSlots.reduce((n, slot) => n + index.edges(slot).targets.length, 0);
    const before = signatureReads();
    assert.ok(allEdges() > 0);
    const reads = signatureReads() - before;
    assert.ok(reads < 10 * (d + i), `${reads} signature reads for the edges of ${d} definitions with ${i} importers`);
    // The default export's callers are every importer's node that calls it by its local name.
    assert.equal(index.edges(slotOf(index, 'src/api.ts', 'api')).targets.length, Math.min(i, 64));
    // An edit of one importer (an open document, typed into): the module's edges asked again cost as little.
    fixture.put('src/screens/screen3.ts', importer(3, ' // typed'));
    index.sync(fixture);
    const afterEdit = signatureReads();
    allEdges();
    assert.ok(signatureReads() - afterEdit < 10 * (d + i), `${signatureReads() - afterEdit} signature reads after an edit`);
    const fresh = new RankingIndex();
    fresh.sync(fixture);
    assert.deepEqual(describeEdges(index), describeEdges(fresh));
  });

  it("links each default import to the module's default export reading its signatures once, not once per import", () => {
    const d = 120;
    const i = 60;
    const { fixture, signatureReads } = defaultImporters(d, i);
    const index = new RankingIndex();
    index.sync(fixture);
    const before = signatureReads();
    // Each importer's file and definition: their import edges link the default import (addImportEdges).
    for (let k = 0; k < i; k++) {
      const screen = index.entry(`src/screens/screen${k}.ts`);
      assert.ok(screen);
      for (const slot of [screen.fileSlot, ...screen.definitionSlots]) index.edges(slot);
    }
    const reads = signatureReads() - before;
    assert.ok(reads <= 2 * (d + 1), `${reads} signature reads for the import edges of ${i} default imports of a module of ${d + 1} definitions`);
    assert.deepEqual(describeEdges(index).get('file:src/screens/screen3.ts')?.filter((edge) => edge.startsWith('src/api.ts')), [`src/api.ts#api#${d + 1}=1.000000000`]);
  });

  /**
   * A routes file with a default import of each of `h` pages (`import View3 from './pages/p3'`, a local name each), and
   * a helper file no import gives a local name; how often the pages' files are read (their `language`: once per local
   * name resolved against a page, localLinkSlots) counted.
   */
  function routesHub(h: number): { fixture: FixtureIndex; pageReads: () => number; routes: (v: number) => FileSpec; registry: (v: number) => FileSpec } {
    // A file naming every page's definition, with a local name of its own from elsewhere (`import { util as helper }`).
    const registry = (v: number): FileSpec => ({
      text: `import { util as helper } from './util';\nexport function register(): unknown {\n  return [helper(), ${Array.from({ length: h }, (_, k) => `Page${k}`).join(', ')}, ${v}];\n}\n`,
      defs: [{ name: 'register', lines: [2, 4] }],
      refs: ['helper@3', ...Array.from({ length: h }, (_, k) => `Page${k}@3`)],
      imports: [{ source: './util', names: ['util', 'as helper', 'helper'], line: 1, resolved: 'src/util.ts' }],
    });
    const routes = (v: number): FileSpec => ({
      text: Array.from({ length: h }, (_, k) => `import View${k} from './pages/p${k}';\n`).join('') + `export function route(): unknown {\n  return [${Array.from({ length: h }, (_, k) => `View${k}`).join(', ')}, ${v}];\n}\n`,
      defs: [{ name: 'route', lines: [h + 1, h + 3] }],
      refs: Array.from({ length: h }, (_, k) => `View${k}@${h + 2}`),
      imports: Array.from({ length: h }, (_, k) => ({ source: `./pages/p${k}`, names: ['default', `as View${k}`, `View${k}`], line: k + 1, resolved: `src/pages/p${k}.ts` })),
    });
    const files: Record<string, FileSpec> = { 'src/routes.ts': routes(0), 'src/util.ts': { text: 'export function util(): number {\n  return 1;\n}\n', defs: [{ name: 'util', lines: [1, 3] }] }, 'src/registry.ts': registry(0) };
    for (let k = 0; k < h; k++) {
      files[`src/pages/p${k}.ts`] = { text: `export default function Page${k}(): number {\n  return ${k};\n}\n`, defs: [{ name: `Page${k}`, lines: [1, 3] }] };
    }
    const fixture = new FixtureIndex(files);
    let reads = 0;
    for (let k = 0; k < h; k++) {
      const page = fixture.files.get(`src/pages/p${k}.ts`);
      assert.ok(page);
      const language = page.language;
      Object.defineProperty(page, 'language', {
        get: () => {
          reads++;
          return language;
        },
      });
    }
    return { fixture, pageReads: () => reads, routes, registry };
  }

  it("reads each importer's local names of one file only for that file's callers: an edit of a hub of default imports costs linear, not quadratic", () => {
    const h = 150;
    const { fixture, pageReads, routes, registry } = routesHub(h);
    const index = new RankingIndex();
    index.sync(fixture);
    const pages = Array.from({ length: h }, (_, k) => slotOf(index, `src/pages/p${k}.ts`, `Page${k}`));
    const pagesEdges = (): number => pages.reduce((n, slot) => n + index.edges(slot).targets.length, 0);
    assert.ok(pagesEdges() > 0);
    // The routes file edited (typed into): each page's callers asked again read the routes file's local names of that
    // page, not all h of them for each of the h pages (h² = 22,500 page reads).
    fixture.put('src/routes.ts', routes(1));
    index.sync(fixture);
    const before = pageReads();
    pagesEdges();
    const reads = pageReads() - before;
    assert.ok(reads < 10 * h, `${reads} page reads after an edit of a routes file importing ${h} pages`);
    // An edit of a file whose local name is of none of the pages (that names every page's definition: their edges are
    // asked again): the pages' callers by local name stay known, none of the routes file's local names read again.
    fixture.put('src/registry.ts', registry(1));
    index.sync(fixture);
    const beforeRegistry = pageReads();
    pagesEdges();
    assert.equal(pageReads() - beforeRegistry, 0);
    // Each page's default export is called by the routes file's function, by its local name.
    const edges = describeEdges(index);
    const callers = (edges.get('src/pages/p7.ts#Page7#1') ?? []).map((edge) => edge.split('=')[0]);
    assert.deepEqual(callers, ['src/registry.ts#register#2', `src/routes.ts#route#${h + 1}`]);
    const fresh = new RankingIndex();
    fresh.sync(fixture);
    assert.deepEqual(edges, describeEdges(fresh));
  });

  it('keeps no callers by local name for files no import gives a local name', () => {
    const h = 20;
    const { fixture } = routesHub(h);
    const index = new RankingIndex();
    index.sync(fixture);
    for (let slot = 0; slot < index.capacity; slot++) if (index.node(slot)) index.edges(slot);
    // (A record each was kept for every file whose callers were asked: 12.8 MiB at 50,000 files.) Only the pages' and
    // util's (registry's `helper`), not the routes file's or the registry's.
    const localCallers = (index as unknown as { localCallers: ReadonlyMap<number, unknown> }).localCallers;
    assert.equal(localCallers.size, h + 1);
    assert.ok(index.edges(slotOf(index, 'src/pages/p3.ts', 'Page3')).targets.length > 0);
  });
});

describe('ranking index built in steps', () => {
  const freshIndexOf = (fixture: FixtureIndex): RankingIndex => {
    const index = new RankingIndex();
    index.sync({ version: 0, files: new Map(fixture.files), readText: () => Promise.resolve(undefined) });
    return index;
  };
  /** Runs the sync's steps, calling `between` at each; returns how many times it gave way. */
  const stepThrough = (index: RankingIndex, fixture: FixtureIndex, between: (step: number) => void = () => undefined): number => {
    const steps = index.syncSteps(fixture);
    let yields = 0;
    for (let step = steps.next(); !step.done; step = steps.next()) between(yields++);
    return yields;
  };
  const lexicalScores = (index: RankingIndex, names: readonly string[]): number[][] =>
    names.map((name) => {
      const hits = index.lexical.search(identifierTerms(name).map((term) => ({ term, weight: 1, countsForCoverage: true })));
      return [...hits.slots].flatMap((slot) => [slot, hits.score[slot] as number]);
    });

  it('gives way while folding the lexical log and the referrers in, and ends as a sync at once', () => {
    const fixture = new FixtureIndex(generatedWorkspace(31, 30));
    const atOnce = new RankingIndex();
    atOnce.sync(fixture);
    assert.equal(stepThrough(new RankingIndex(), fixture), 1, 'by default once, after reserving its arrays (too few definitions for more)');
    const stepped = new RankingIndex({ ...DEFAULT_RANKING_LIMITS, settleStep: 20 });
    const yields = stepThrough(stepped, fixture);
    // Two passes over the postings (then over the references), each giving way after 20 or a document's few more.
    const postings = stepped.lexical.postingCount;
    assert.ok(postings >= 400 && yields >= 2 * Math.floor(postings / 40), `${postings} postings, gave way ${yields} times`);
    assert.deepEqual(describeEdges(stepped), describeEdges(atOnce));
    const names = [...fixture.files.values()].flatMap((f) => f.definitions.map((d) => d.name)).slice(0, 40);
    assert.deepEqual(lexicalScores(stepped, names), lexicalScores(atOnce, names));
    // Edits after it invalidate edges through the referrers the stepped freeze built.
    const paths = [...fixture.files.keys()];
    const donors = Object.values(generatedWorkspace(32, 4));
    for (let step = 0; step < 4; step++) {
      fixture.put(paths[(step * 7) % paths.length] as string, donors[step] as (typeof donors)[number]);
      stepThrough(stepped, fixture);
      assert.deepEqual(describeEdges(stepped), describeEdges(freshIndexOf(fixture)), `after edit ${step}`);
    }
  });

  it('rebuilds when most slots are dead as a build from nothing, in steps: slots and edges as a fresh index', () => {
    const churn = (rebuildDeadSlots: number): { yields: number; index: RankingIndex; fixture: FixtureIndex } => {
      const fixture = new FixtureIndex({ 'a.ts': many(2_100, 'a', true), 'b.ts': many(2_100, 'b', true), 'k.ts': { text: 'export const k = 1', defs: [{ name: 'k', lines: [1, 1] }] } });
      const index = new RankingIndex({ ...DEFAULT_RANKING_LIMITS, rebuildDeadSlots });
      index.sync(fixture);
      // Two files replaced by others, y.ts first (not in path order: an index adding them as they come gives y.ts
      // the lower slot, a fresh index x.ts); k.ts stays: 4,202 slots dead, 2 live — a rebuild builds from nothing.
      fixture.remove('a.ts').remove('b.ts');
      fixture.put('y.ts', many(2_100, 'y', true));
      fixture.put('x.ts', { text: 'export const z = 1', defs: [{ name: 'z', lines: [1, 1] }] });
      return { yields: stepThrough(index, fixture), index, fixture };
    };
    const without = churn(1e9);
    const rebuilt = churn(0);
    // In steps: the build loop's (over 2,000 definitions of work a step), after the reservation.
    assert.ok(rebuilt.yields >= 2, `gave way ${rebuilt.yields} times`);
    const fresh = freshIndexOf(rebuilt.fixture);
    assert.deepEqual(describeEdges(rebuilt.index), describeEdges(fresh));
    assert.deepEqual(describeEdges(without.index), describeEdges(freshIndexOf(without.fixture)));
    // Built as a fresh index is (path order): the same slot for every file, so the same tie-breaks.
    const slots = (index: RankingIndex): (number | undefined)[] => ['k.ts', 'x.ts', 'y.ts'].map((path) => index.entry(path)?.fileSlot);
    assert.deepEqual(slots(rebuilt.index), slots(fresh));
    assert.notDeepEqual(slots(without.index), slots(fresh), 'without a rebuild the changed files take new slots');
  });

  it('skips a file deleted while a build from nothing gave way and takes one changed meanwhile as it is now', () => {
    const fixture = new FixtureIndex({
      'a.ts': many(2_100, 'a'), // first in path order: the build gives way after it (its second time: the first is after reserving)
      'b.ts': { text: 'export const x = 1', defs: [{ name: 'x', lines: [1, 1] }] },
      'c.ts': { text: 'import { x } from "./b"', imports: [{ source: './b', line: 1, resolved: 'b.ts' }], defs: [{ name: 'usesX', lines: [1, 1] }] },
    });
    const index = new RankingIndex();
    const yields = stepThrough(index, fixture, (step) => {
      if (step !== 1) return;
      assert.ok(index.entry('a.ts') !== undefined && index.entry('b.ts') === undefined, 'a.ts taken, b.ts not yet');
      fixture.remove('c.ts');
      fixture.put('b.ts', { text: 'export const y = 1', defs: [{ name: 'y', lines: [1, 1] }] });
    });
    assert.ok(yields >= 2);
    assert.equal(index.entry('c.ts'), undefined);
    assert.deepEqual(index.definitionsNamed('x'), []);
    assert.equal(index.definitionsNamed('y').length, 1);
    assert.equal(index.isSyncedWith(fixture), false, 'the version the build began with is the one it holds');
    index.sync(fixture);
    assert.deepEqual(describeEdges(index), describeEdges(freshIndexOf(fixture)));
  });
});

describe('ranking index edge memo across versions', () => {
  it('forgets the edges of definitions using a local name or namespace member of a barrel when a file behind it changes', async () => {
    // (app.ts's `fm` and `util.formatMoney` reach a.ts's formatMoney through index.ts's `export *`: an edit of a.ts
    // that moves, removes or adds it, or of c.ts re-exported beside it, is no change of app.ts or index.ts.)
    const A = 'export function formatMoney(x: number): string {\n  return x.toFixed(2);\n}\n';
    const PAD = 'export function pad(): void {}\n';
    const C = 'export function other(): void {}\n';
    const fixture = new FixtureIndex({
      'src/util/a.ts': await extractedSpec('src/util/a.ts', A),
      'src/util/b.ts': await extractedSpec('src/util/b.ts', 'export function parseMoney(x: string): number {\n  return Number(x);\n}\n'),
      'src/util/c.ts': await extractedSpec('src/util/c.ts', C),
      'src/util/index.ts': await extractedSpec('src/util/index.ts', "export * from './a';\nexport * from './c';\nexport { parseMoney } from './b';\n", { './a': 'src/util/a.ts', './b': 'src/util/b.ts', './c': 'src/util/c.ts' }),
      'src/app.ts': await extractedSpec(
        'src/app.ts',
        "import * as util from './util';\nimport { formatMoney as fm } from './util';\n\nexport function total(xs: number[]): string {\n  return util.formatMoney(1) + util.parseMoney('1');\n}\nexport function t2(): string { return fm(2); }\n",
        { './util': 'src/util/index.ts' },
      ),
    });
    const incremental = new RankingIndex();
    incremental.sync(fixture);
    // Each step an edit of one file behind the barrel: a.ts gains pad before formatMoney, loses formatMoney, c.ts
    // gains one, a.ts gets it back (two re-exports of the name).
    for (const [step, [path, text]] of ([
      ['src/util/a.ts', PAD + A],
      ['src/util/a.ts', PAD],
      ['src/util/c.ts', C + A],
      ['src/util/a.ts', PAD + A],
    ] as const).entries()) {
      describeEdges(incremental); // fill the memo, so the change leaves stale edges behind
      fixture.put(path, await extractedSpec(path, text));
      incremental.sync(fixture);
      const fresh = new RankingIndex();
      fresh.sync({ version: 0, files: new Map(fixture.files), readText: () => Promise.resolve(undefined) });
      assert.deepEqual(describeEdges(incremental), describeEdges(fresh), `after step ${step}`);
    }
  });

  it('keeps every memoised edge equal to a fresh index through a series of edits', () => {
    const files = generatedWorkspace(11, 16);
    const fixture = new FixtureIndex(files);
    const incremental = new RankingIndex();
    incremental.sync(fixture);
    describeEdges(incremental); // fill the memo
    const random = seededRandom(5);
    const paths = Object.keys(files);
    const donors = generatedWorkspace(12, 16);
    for (let step = 0; step < 12; step++) {
      const path = paths[Math.floor(random() * paths.length)] as string;
      const choice = random();
      if (step % 3 === 0) {
        // A new file that defines a name defined elsewhere (and referenced), and imports another file.
        const existing = [...fixture.files.values()].flatMap((f) => f.references.map((r) => r.name))[step] ?? 'missing';
        fixture.put(`src/extra${step}.ts`, {
          text: `export function ${existing}() {}\n`,
          defs: [{ name: existing, lines: [1, 1] }],
          imports: [{ source: './x', names: [], line: 1, resolved: path }],
        });
      } else if (choice < 0.2) fixture.remove(path);
      else if (choice < 0.6) {
        // Replace with another generated file's content (new names, new references).
        const donor = Object.values(donors)[step % 16] as (typeof donors)[string];
        fixture.put(path, donor);
      } else {
        // Re-point the file's imports (same text, new resolution) or restore the original.
        const original = files[path] as (typeof files)[string];
        fixture.put(path, { ...original, imports: [{ source: './x', names: [], line: 1, resolved: paths[step % paths.length] as string }] });
      }
      incremental.sync(fixture);
      const fresh = new RankingIndex();
      fresh.sync({ version: 0, files: new Map(fixture.files), readText: () => Promise.resolve(undefined) });
      assert.deepEqual(describeEdges(incremental), describeEdges(fresh), `after step ${step}`);
    }
  });

  it('keeps edges equal to a fresh index after every file is replaced (a build from nothing after removals) and edits after it', () => {
    const first = generatedWorkspace(41, 12);
    const fixture = new FixtureIndex(first);
    const incremental = new RankingIndex();
    incremental.sync(fixture);
    describeEdges(incremental); // fill the memo of slots the next version frees
    for (const path of Object.keys(first)) fixture.remove(path);
    const second = generatedWorkspace(42, 12);
    for (const [path, spec] of Object.entries(second)) fixture.put(`next/${path}`, spec);
    const fresh = (): RankingIndex => {
      const index = new RankingIndex();
      index.sync({ version: 0, files: new Map(fixture.files), readText: () => Promise.resolve(undefined) });
      return index;
    };
    incremental.sync(fixture);
    assert.deepEqual(describeEdges(incremental), describeEdges(fresh()), 'after the replacement');
    // A targeted invalidation after it reads the referrers the build froze from the rows.
    const paths = [...fixture.files.keys()];
    const donors = Object.values(generatedWorkspace(43, 4));
    for (let step = 0; step < 4; step++) {
      fixture.put(paths[(step * 5) % paths.length] as string, donors[step] as (typeof donors)[number]);
      incremental.sync(fixture);
      assert.deepEqual(describeEdges(incremental), describeEdges(fresh()), `after edit ${step}`);
    }
  });

  for (const limits of [
    { rebuildDeadSlots: 1e9, compactDeadEdges: 0, maxMemoisedEdges: 1e9 },
    { rebuildDeadSlots: 0, compactDeadEdges: 1e9, maxMemoisedEdges: 1e9 },
    { rebuildDeadSlots: 1e9, compactDeadEdges: 1e9, maxMemoisedEdges: 40 },
  ]) {
  it(`keeps edges equal to a fresh index when many files churn (${limits.compactDeadEdges === 0 ? 'edge pool compaction' : limits.rebuildDeadSlots === 0 ? 'rebuilds' : 'a small edge memo'})`, () => {
    const files = generatedWorkspace(21, 40);
    const fixture = new FixtureIndex(files);
    const incremental = new RankingIndex(limits);
    incremental.sync(fixture);
    const paths = Object.keys(files);
    const donors = Object.values(generatedWorkspace(22, 40));
    for (let round = 0; round < 6; round++) {
      describeEdges(incremental); // fill the memo, so the next changes leave stale edges behind
      // More files than targeted invalidation handles in some rounds, a few in others.
      const count = round % 2 === 0 ? paths.length : 5;
      for (let i = 0; i < count; i++) fixture.put(paths[(i * 7 + round) % paths.length] as string, donors[(i + round) % donors.length] as (typeof donors)[number]);
      incremental.sync(fixture);
      const fresh = new RankingIndex();
      fresh.sync({ version: 0, files: new Map(fixture.files), readText: () => Promise.resolve(undefined) });
      assert.deepEqual(describeEdges(incremental), describeEdges(fresh), `after round ${round}`);
      assert.equal(incremental.definitionCount, fresh.definitionCount);
    }
  });
  }

  it('reads packed references the same as decoded ones (edges and lexical scores)', () => {
    const plainFiles = new Map<string, IndexedFile>();
    const storedFiles = new Map<string, IndexedFile>();
    // The same stored files with their identifiers kept as numbers into shared tables (as a workspace index keeps
    // them), every other file in another table numbering the strings otherwise: the ranking index interns them by
    // number, each table's numbers its own.
    const sharedFiles = new Map<string, IndexedFile>();
    const fixtureFiles = [...new FixtureIndex(generatedWorkspace(31, 24)).files.values()];
    const allIdentifiers = [...new Set(fixtureFiles.flatMap((f) => [...f.identifiers, ...f.references.map((r) => r.name)]))].sort();
    const tables = [allIdentifiers, ['unused', ...allIdentifiers].reverse()];
    for (const [k, file] of fixtureFiles.entries()) {
      const identifiers = [...new Set([...file.identifiers, ...file.references.map((r) => r.name)])];
      const refs = new Uint32Array(file.references.flatMap((r) => [identifiers.indexOf(r.name), file.definitions.findIndex((d) => d.id === r.enclosing) + 1]));
      const data = { path: file.path, language: file.language, size: file.size, mtimeMs: file.mtimeMs, hash: file.hash, definitions: file.definitions, imports: file.imports, identifiers, refs };
      const stored = new StoredFile(data);
      storedFiles.set(file.path, stored);
      const table = tables[k % 2] ?? [];
      const shared = new StoredFile(data, undefined, { ids: Uint32Array.from(identifiers, (name) => table.indexOf(name)), table });
      assert.ok(shared.sharedIdentifiers !== undefined || identifiers.length === 0);
      sharedFiles.set(file.path, shared);
      const { path, language, size, mtimeMs, hash, definitions, imports, references } = stored;
      plainFiles.set(file.path, { path, language, size, mtimeMs, hash, definitions, imports, identifiers, references });
    }
    const fromPlain = new RankingIndex();
    fromPlain.sync({ version: 0, files: plainFiles, readText: () => Promise.resolve(undefined) });
    const fromStored = new RankingIndex();
    fromStored.sync({ version: 0, files: storedFiles, readText: () => Promise.resolve(undefined) });
    assert.ok([...storedFiles.values()].some((f) => f.references.some((r) => r.enclosing !== undefined)));
    assert.deepEqual(describeEdges(fromStored), describeEdges(fromPlain));
    for (let slot = 0; slot < fromPlain.capacity; slot++) assert.deepEqual(fromStored.referencedNames(slot), fromPlain.referencedNames(slot));
    const query = [...new Set([...plainFiles.values()].flatMap((f) => f.definitions.map((d) => d.name)))].slice(0, 6).flatMap((name) => identifierTerms(name)).map((term) => ({ term, weight: 1, countsForCoverage: true }));
    const a = fromPlain.lexical.search(query);
    const aScores = [...a.slots].map((slot) => a.score[slot]);
    assert.ok(aScores.length > 0);
    const b = fromStored.lexical.search(query);
    assert.deepEqual([...b.slots].map((slot) => b.score[slot]), aScores);
    const fromShared = new RankingIndex();
    fromShared.sync({ version: 0, files: sharedFiles, readText: () => Promise.resolve(undefined) });
    assert.deepEqual(describeEdges(fromShared), describeEdges(fromPlain));
    for (let slot = 0; slot < fromPlain.capacity; slot++) assert.deepEqual(fromShared.referencedNames(slot), fromPlain.referencedNames(slot));
    const c = fromShared.lexical.search(query);
    assert.deepEqual([...c.slots].map((slot) => c.score[slot]), aScores);
  });
});

/** For every slot: what the readers give (name, container, start line) and what the made definition has. */
function slotFields(index: RankingIndex): { read: unknown[]; made: unknown[]; slots: unknown[] } {
  const read: unknown[] = [];
  const made: unknown[] = [];
  const slots: unknown[] = [];
  for (let slot = 0; slot < index.capacity + 2; slot++) {
    read.push([index.definitionName(slot), index.definitionContainer(slot), index.definitionStartLine(slot)]);
    const def = index.definitionAt(slot);
    made.push(def === undefined ? [undefined, undefined, undefined] : [def.name, def.container, def.startLine]);
    const node = index.node(slot);
    if (node?.kind !== 'definition') continue;
    const entry = index.entry(node.def.file);
    slots.push(entry === undefined ? undefined : [entry.definitionSlots.indexOf(slot), entry.fileSlot + 1 + entry.definitionSlots.indexOf(slot) === slot]);
  }
  return { read, made, slots };
}

describe('ranking index definition readers', () => {
  it('read the same name, container and start line as the definitions made, from columns and plain definitions, through edits', () => {
    const files = generatedWorkspace(51, 16);
    const fixture = new FixtureIndex(files);
    const stored = (): Map<string, IndexedFile> => {
      const out = new Map<string, IndexedFile>();
      for (const file of fixture.files.values()) {
        const identifiers = [...new Set([...file.identifiers, ...file.references.map((r) => r.name)])];
        const refs = new Uint32Array(file.references.flatMap((r) => [identifiers.indexOf(r.name), file.definitions.findIndex((d) => d.id === r.enclosing) + 1]));
        out.set(file.path, new StoredFile({ path: file.path, language: file.language, size: file.size, mtimeMs: file.mtimeMs, hash: file.hash, definitions: file.definitions, imports: file.imports, identifiers, refs }));
      }
      return out;
    };
    const plain = new RankingIndex();
    const columns = new RankingIndex();
    const random = seededRandom(7);
    const paths = Object.keys(files);
    const donors = Object.values(generatedWorkspace(52, 16));
    for (let step = 0; step < 8; step++) {
      plain.sync(fixture);
      columns.sync({ version: step, files: stored(), readText: () => Promise.resolve(undefined) });
      for (const index of [plain, columns]) {
        const { read, made, slots } = slotFields(index);
        assert.deepEqual(read, made, `step ${step}`);
        assert.ok(slots.length > 0 && slots.every((s) => Array.isArray(s) && s[0] !== -1 && s[1] === true), `definition slots at step ${step}`);
      }
      assert.ok(slotFields(columns).read.some((r) => Array.isArray(r) && r[1] !== undefined), 'some definitions have a container');
      const path = paths[Math.floor(random() * paths.length)] as string;
      if (random() < 0.3) fixture.remove(path);
      else fixture.put(path, donors[step] as (typeof donors)[number]);
    }
  });
});

describe('enclosing slots of a file', () => {
  it('equal the last slot of each definition id, as a map by id gives them, on random definitions', () => {
    const random = seededRandom(5);
    for (let run = 0; run < 300; run++) {
      const n = Math.floor(random() * 12);
      const defs = Array.from({ length: n }, () =>
        new DefinitionRecord('a.ts', ['f', 'g', 'h'][Math.floor(random() * 3)] ?? 'f', 'function', undefined, 1 + Math.floor(random() * 6), 9, 0, 1, 'f()', 1, undefined, undefined, true),
      );
      const slotById = new Map<string, number>();
      defs.forEach((d, i) => slotById.set(d.id, 100 + 1 + i));
      assert.deepEqual([...enclosingSlots(new DefinitionListReader(defs), 100)], defs.map((d) => slotById.get(d.id)));
    }
  });
});
