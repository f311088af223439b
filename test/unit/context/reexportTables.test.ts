import assert from 'node:assert/strict';
import { createSeededRandom } from '../../../bench/seededRandom';
import { ContextRanker } from '../../../src/core/context/contextRanker';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { describeEdges, FixtureIndex, linkedFromFileNode, type FileSpec } from './builders';

// What an import of a name reaches through barrels (RankingIndex.reexportedSlots) is read from a table per barrel, made
// once and updated as the files it re-exports change: after any edit it is what a fresh index finds, and an edit of one
// module behind a barrel forgets only the links of the importers of the names that module defines.

function freshOf(fixture: FixtureIndex): RankingIndex {
  const index = new RankingIndex();
  index.sync({ version: 0, files: new Map(fixture.files), readText: () => Promise.resolve(undefined) });
  return index;
}

/** A module defining `names` (exported), one a line. */
function module(names: readonly string[], version = 0): FileSpec {
  return { text: names.map((n) => `export function ${n}() { return ${version}; }`).join('\n') + '\n', defs: names.map((name, i) => ({ name, lines: [i + 1, i + 1] as [number, number] })) };
}

/** A barrel re-exporting whole modules (`export * from`), or the names given of them (`export { x } from`). */
function barrel(targets: readonly (string | [string, string[]])[]): FileSpec {
  const imports = targets.map((t, i) => {
    const [file, names] = typeof t === 'string' ? [t, []] : t;
    return { source: `./${file.slice(4, -3)}`, names, line: i + 1, resolved: file };
  });
  return { text: imports.map((imp) => (imp.names.length === 0 ? `export * from '${imp.source}';` : `export { ${imp.names.join(', ')} } from '${imp.source}';`)).join('\n') + '\n', imports };
}

/** A file importing `names` from `from` (and calling them, unless `calls` is false: its links are then its import's). */
function importer(names: readonly string[], from = 'src/index.ts', source = './index', calls = true): FileSpec {
  const imports = [{ source, names: [...names], line: 1, resolved: from }];
  const head = `import { ${names.join(', ')} } from '${source}';\n`;
  if (!calls) return { text: head, imports };
  return { text: head + names.map((n) => `${n}();`).join('\n') + '\n', imports, refs: names.map((n, i) => `${n}@${i + 2}`) };
}

/** The candidates ranked for `foo` from src/app.ts, with scores and reasons. */
function ranks(index: RankingIndex): string[] {
  return new ContextRanker(index).rank('foo', { activeFile: 'src/app.ts' }, { limit: 100 }).map((c) => `${c.node.kind === 'definition' ? c.node.def.id : c.node.path}=${c.score.toFixed(9)} ${c.reasons().join('|')}`);
}

/**
 * For seeds 1–60: `files` made by `spec` (undefined: absent) beside `fixed`, every edge and rank asked, then 12 random
 * files made again or deleted, one at a time: the index kept running has the edges and ranks a fresh one has.
 */
function sameAsFreshThroughEdits(files: readonly string[], fixed: Record<string, FileSpec>, spec: (rand: () => number, path: string) => FileSpec | undefined): void {
  for (let seed = 1; seed <= 60; seed++) {
    const rand = createSeededRandom(seed);
    const fixture = new FixtureIndex(fixed);
    for (const f of files) {
      const s = spec(rand, f);
      if (s) fixture.put(f, s);
    }
    const index = new RankingIndex();
    index.sync(fixture);
    describeEdges(index);
    ranks(index);
    for (let step = 0; step < 12; step++) {
      const f = files[Math.floor(rand() * files.length)] as string;
      const s = spec(rand, f);
      if (s) fixture.put(f, s);
      else fixture.remove(f);
      index.sync(fixture);
      const fresh = freshOf(fixture);
      assert.deepEqual(describeEdges(index), describeEdges(fresh), `seed ${seed}, step ${step}: edges`);
      assert.deepEqual(ranks(index), ranks(fresh), `seed ${seed}, step ${step}: ranks`);
    }
  }
}

/**
 * a.ts passes index.ts's baz on as its default, and deep.ts calls a.ts's default as bar; index.ts re-exports mid.ts,
 * empty: a.ts's own baz has no callers yet (asserted). Only baz's edges are asked: a.ts's import edges would make
 * index.ts's table, whose change forgets a.ts's definitions' edges as its local namer's.
 */
function cycleToOwnDefinition(): { fixture: FixtureIndex; index: RankingIndex } {
  const fixture = new FixtureIndex({
    'src/a.ts': { text: "export { baz as default } from './index';\nexport function baz() {\n  return 1;\n}\n", imports: [{ source: './index', names: ['baz', 'as default'], line: 1, resolved: 'src/index.ts' }], defs: [{ name: 'baz', lines: [2, 4] }] },
    'src/deep.ts': { text: "import bar from './a';\nbar();\n", imports: [{ source: './a', names: ['default', 'as bar', 'bar'], line: 1, resolved: 'src/a.ts' }], refs: ['bar@2'] },
    'src/index.ts': barrel(['src/mid.ts']),
    'src/mid.ts': { text: '\n' },
  });
  const index = new RankingIndex();
  index.sync(fixture);
  const baz = index.entry('src/a.ts')?.definitionSlots[0] as number;
  assert.deepEqual(index.edges(baz).targets, [], 'before: no callers');
  return { fixture, index };
}

describe('re-export tables', () => {
  it('keep every edge and rank equal to a fresh index through random edits of a chain of barrels', () => {
    const files = ['src/index.ts', 'src/mid.ts', 'src/deep.ts', 'src/a.ts', 'src/b.ts'];
    const spec = (rand: () => number, path: string): FileSpec | undefined => {
      if (rand() < 0.15) return undefined; // deleted
      const others = files.filter((f) => f !== path);
      const imports: NonNullable<FileSpec['imports']> = [];
      for (let i = 0, n = Math.floor(rand() * 3); i < n; i++) {
        const t = others[Math.floor(rand() * others.length)] as string;
        imports.push({ source: './' + t.slice(4, -3), names: rand() < 0.5 ? [] : [rand() < 0.7 ? 'foo' : 'bar'], line: i + 1, resolved: t });
      }
      const defs = rand() < 0.35 ? [{ name: rand() < 0.7 ? 'foo' : 'bar', lines: [10, 12] as [number, number], exported: rand() < 0.8 }] : [];
      return { text: 'x\n'.repeat(12) + path + Math.floor(rand() * 1000) + '\n', imports, defs };
    };
    sameAsFreshThroughEdits(files, { 'src/app.ts': importer(['foo']) }, spec);
  });

  it('keep every edge and rank equal to a fresh index through random edits of barrels that pass names on under others', () => {
    // (`export { foo as bar } from`, `export { default as foo } from`, `export { foo as default } from`: what a name
    // stands for past a rename changes with edits of files that define other names.)
    const files = ['src/index.ts', 'src/mid.ts', 'src/deep.ts', 'src/a.ts', 'src/b.ts'];
    const choices: readonly string[][] = [[], ['foo'], ['bar'], ['foo', 'as bar'], ['bar', 'as foo'], ['default', 'as foo'], ['foo', 'as default'], ['default'], ['baz', 'as foo']];
    const spec = (rand: () => number, path: string): FileSpec | undefined => {
      if (rand() < 0.15) return undefined; // deleted
      const others = files.filter((f) => f !== path);
      const imports: NonNullable<FileSpec['imports']> = [];
      for (let i = 0, n = Math.floor(rand() * 3); i < n; i++) {
        const t = others[Math.floor(rand() * others.length)] as string;
        imports.push({ source: './' + t.slice(4, -3), names: [...(choices[Math.floor(rand() * choices.length)] as string[])], line: i + 1, resolved: t });
      }
      const lines = 'x\n'.repeat(12).split('\n');
      const name = ['foo', 'bar', 'baz'][Math.floor(rand() * 3)] as string;
      lines[9] = `export ${rand() < 0.4 ? 'default ' : ''}function ${name}() {`;
      const defs = rand() < 0.5 ? [{ name, lines: [10, 12] as [number, number], exported: rand() < 0.8 }] : [];
      return { text: lines.join('\n') + path + Math.floor(rand() * 1000) + '\n', imports, defs };
    };
    const defaultImporter: FileSpec = { text: "import thing from './index';\nthing();\n", imports: [{ source: './index', names: ['default', 'as thing', 'thing'], line: 1, resolved: 'src/index.ts' }], refs: ['thing@2'] };
    sameAsFreshThroughEdits(files, { 'src/app.ts': importer(['foo', 'bar']), 'src/other.ts': defaultImporter }, spec);
  });

  it("follow a name that leads back to the barrel's own definition to its callers by a local name as the table changes", () => {
    // a.ts passes index's baz on as its default, and mid.ts (that index re-exports) comes to re-export a.ts whole: a.ts's
    // default is its own baz, which deep.ts calls as bar (a local name from a.ts). Seen before, a.ts's local callers and
    // baz's edges knew none. (Only baz's edges asked first: a.ts's import edges would make index.ts's table, whose
    // change forgets a.ts's definitions' edges as its local namer's.)
    const { fixture, index } = cycleToOwnDefinition();
    fixture.put('src/mid.ts', barrel(['src/a.ts']));
    index.sync(fixture);
    const edges = describeEdges(index);
    assert.ok(edges.get('src/a.ts#baz#2')?.some((e) => e.startsWith('file:src/deep.ts=')), 'deep.ts calls baz as bar');
    assert.deepEqual(edges, describeEdges(freshOf(fixture)), 'after');
    // The names b.ts defines change, not its imports: a.ts's default is found again by that name, b's baz nearer (no
    // longer a.ts's own), then a.ts's own again.
    fixture.put('src/index.ts', barrel(['src/b.ts', 'src/mid.ts'])).put('src/b.ts', module([]));
    index.sync(fixture);
    const callers = (): string[] => (describeEdges(index).get('src/a.ts#baz#2') ?? []).filter((e) => e.startsWith('file:src/deep.ts='));
    assert.equal(callers().length, 1, 'through mid.ts');
    for (const [names, expected] of [[['baz'], 0], [[], 1]] as const) {
      fixture.put('src/b.ts', module(names));
      index.sync(fixture);
      assert.equal(callers().length, expected, `b.ts defines ${names.join() || 'nothing'}`);
      assert.deepEqual(describeEdges(index), describeEdges(freshOf(fixture)), `b.ts defines ${names.join() || 'nothing'}: as a fresh index`);
    }
  });

  it("follow a name that leads back to the barrel's own definition as the table changes among more files than edges are forgotten one by one for", () => {
    // (Past 64 files changed at once every edge is forgotten and every table dropped: a.ts's local callers, made from
    // its table before, were kept.)
    const { fixture, index } = cycleToOwnDefinition();
    fixture.put('src/mid.ts', barrel(['src/a.ts']));
    for (let k = 0; k < 70; k++) fixture.put(`src/pad${k}.ts`, { text: `// ${k}\n` });
    index.sync(fixture);
    assert.deepEqual(describeEdges(index), describeEdges(freshOf(fixture)));
  });

  it('follow an edit of a middle barrel, and the deletion and renaming of a barrel and of a module it re-exports', () => {
    const fixture = new FixtureIndex({
      'src/app.ts': importer(['foo'], 'src/index.ts', './index', false),
      'src/index.ts': barrel(['src/mid.ts']),
      'src/mid.ts': barrel(['src/deep.ts']),
      'src/deep.ts': module(['foo', 'bar']),
      'src/other.ts': module(['foo']),
    });
    const index = new RankingIndex();
    index.sync(fixture);
    const step = (expected: string[], label: string): void => {
      index.sync(fixture);
      assert.deepEqual(linkedFromFileNode(index, 'src/app.ts'), expected, label);
      assert.deepEqual(describeEdges(index), describeEdges(freshOf(fixture)), `${label}: as a fresh index`);
    };
    step(['src/deep.ts#foo'], 'through two barrels');
    fixture.put('src/mid.ts', barrel([['src/other.ts', ['foo']]]));
    step(['src/other.ts#foo'], 'the middle barrel re-exports another module');
    fixture.put('src/mid.ts', barrel(['src/deep.ts']));
    step(['src/deep.ts#foo'], 'and the first again');
    fixture.remove('src/deep.ts');
    step([], 'the module deleted');
    fixture.put('src/core.ts', module(['foo', 'bar'])).put('src/mid.ts', barrel(['src/core.ts']));
    step(['src/core.ts#foo'], 'the module renamed');
    fixture.remove('src/mid.ts');
    step([], 'the middle barrel deleted');
    fixture.put('src/middle.ts', barrel(['src/core.ts'])).put('src/index.ts', barrel(['src/middle.ts']));
    step(['src/core.ts#foo'], 'the middle barrel renamed');
    fixture.remove('src/index.ts').put('src/main.ts', barrel(['src/middle.ts'])).put('src/app.ts', importer(['foo'], 'src/main.ts', './main', false));
    step(['src/core.ts#foo'], 'the barrel renamed');
    fixture.put('src/core.ts', module(['bar']));
    step([], 'the module no longer defines the name');
  });

  it("pass no default export on through `export *`, but through `export { default } from`", () => {
    const defaultModule = (name: string): FileSpec => ({ text: `export default function ${name}() {\n  return 1;\n}\n`, defs: [{ name, lines: [1, 3] }] });
    const fixture = new FixtureIndex({
      'src/index.ts': barrel(['src/a.ts', 'src/b.ts']),
      'src/a.ts': defaultModule('alpha'),
      'src/b.ts': defaultModule('beta'),
      'src/app.ts': { text: "import thing from './index';\nthing();\n", imports: [{ source: './index', names: ['default', 'as thing', 'thing'], line: 1, resolved: 'src/index.ts' }], refs: ['thing@2'] },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    assert.deepEqual(linkedFromFileNode(index, 'src/app.ts'), []);
    fixture.put('src/index.ts', barrel([['src/a.ts', ['default']], 'src/b.ts']));
    index.sync(fixture);
    assert.deepEqual(linkedFromFileNode(index, 'src/app.ts'), ['src/a.ts#alpha']);
  });

  it('forget, after an edit of one module behind a barrel, the links of only the importers of the names it defines', () => {
    const modules = 40;
    const files: Record<string, FileSpec> = {};
    const names = (m: number): string[] => [`fn${m}a`, `fn${m}b`];
    for (let m = 0; m < modules; m++) files[`src/m${m}.ts`] = module(names(m));
    files['src/index.ts'] = barrel(Array.from({ length: modules }, (_, m) => `src/m${m}.ts`));
    // Importer i imports one name of module i and one of module i + 1.
    for (let i = 0; i < modules; i++) files[`app/f${i}.ts`] = importer([`fn${i}a`, `fn${(i + 1) % modules}b`], 'src/index.ts', '../src/index');
    const fixture = new FixtureIndex(files);
    const index = new RankingIndex();
    index.sync(fixture);
    for (let i = 0; i < modules; i++) assert.deepEqual(linkedFromFileNode(index, `app/f${i}.ts`), [`src/m${i}.ts#fn${i}a`, `src/m${(i + 1) % modules}.ts#fn${(i + 1) % modules}b`].sort());
    const before = index.reexportImporterResets;
    fixture.put('src/m7.ts', module(names(7), 1));
    index.sync(fixture);
    // f6 and f7 import names of m7; the other 38 keep their links.
    assert.equal(index.reexportImporterResets - before, 2);
    assert.deepEqual(linkedFromFileNode(index, 'app/f7.ts'), ['src/m7.ts#fn7a', 'src/m8.ts#fn8b']);
    assert.deepEqual(describeEdges(index), describeEdges(freshOf(fixture)));
    // A module that stops defining a name: only its importers again.
    fixture.put('src/m7.ts', module(['fn7a']));
    index.sync(fixture);
    assert.equal(index.reexportImporterResets - before, 4);
    assert.deepEqual(linkedFromFileNode(index, 'app/f6.ts'), ['src/m6.ts#fn6a']);
    assert.deepEqual(describeEdges(index), describeEdges(freshOf(fixture)));
  });
});
