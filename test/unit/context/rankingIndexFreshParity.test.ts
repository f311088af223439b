import assert from 'node:assert/strict';
import { ContextRanker } from '../../../src/core/context/contextRanker';
import { DefinitionRecord } from '../../../src/core/context/model';
import type { IndexSnapshot } from '../../../src/core/context/model';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { StoredFile, type FileData } from '../../../src/core/context/storedFile';
import { FixtureIndex, describeEdges, generatedWorkspace, type FileSpec } from './builders';

// Sequences of edits after which the incremental ranking index must equal a fresh index of the same files.

function freshOf(fixture: FixtureIndex): RankingIndex {
  const index = new RankingIndex();
  index.sync({ version: 0, files: new Map(fixture.files), readText: () => Promise.resolve(undefined) });
  return index;
}

describe('ranking index equals a fresh index after edits', () => {
  // An open document edited around a syntax error is indexed from the incremental tree (FileProcessor.processDocument),
  // then settled: parsed from scratch, the same text (so the same content hash, contentHash(text)) with another
  // extraction (WorkspaceIndex.settleOnce → applyDocument → setFile: a new file object, a new version). Same number of
  // definitions, same import targets: RankingIndex.runSync takes it as unchanged (setEntry with the new file only) and
  // keeps the interim extraction's names, reference rows and BM25 documents.
  // (References are names of the text: error recovery may read one call and not the other.)
  const text = ['export function interimName(input: string): string {', '  return readTextFile(parseConfig(input));', '}', ''].join('\n');
  const interim: FileSpec = { text, defs: [{ name: 'recoveredName', lines: [1, 3] }], refs: ['readTextFile@2'] };
  const settled: FileSpec = { text, defs: [{ name: 'settledName', lines: [1, 3] }], refs: ['parseConfig@2'] };
  const workspace = (): FixtureIndex =>
    new FixtureIndex({
      'src/fs/readTextFile.ts': { text: 'export function readTextFile(p: string): string {\n  return p;\n}\n', defs: [{ name: 'readTextFile', lines: [1, 3] }] },
      'src/config/parseConfig.ts': { text: 'export function parseConfig(p: string): string {\n  return p;\n}\n', defs: [{ name: 'parseConfig', lines: [1, 3] }] },
      'src/open.ts': interim,
    });

  it('re-indexes a file given again with the same content hash but another extraction (an open document settling)', () => {
    const fixture = workspace();
    const incremental = new RankingIndex();
    incremental.sync(fixture);
    describeEdges(incremental);
    fixture.put('src/open.ts', settled);
    assert.equal(fixture.files.get('src/open.ts')?.hash, buildHashOf(interim), 'the settled file has the interim one\'s hash');
    incremental.sync(fixture);
    const fresh = freshOf(fixture);
    assert.equal(incremental.definitionsNamed('settledName').length, fresh.definitionsNamed('settledName').length, 'the settled name is found');
    assert.deepEqual(describeEdges(incremental), describeEdges(fresh), 'edges after the settle');
  });

  it('re-indexes a stored file without definitions given again with the same content hash but other references', () => {
    // Top-level code only: every stored file without definitions shares one empty set of definition columns, which
    // must not be taken for "the very same extraction".
    const fileData = (path: string, identifiers: string[], definitions: FileData['definitions']): FileData => ({
      path, language: 'typescript', size: 40, mtimeMs: -1, hash: `hash of ${path}`, definitions, imports: [], identifiers, refs: new Uint16Array([0, 0]),
    });
    const readTextFile = new DefinitionRecord('src/fs.ts', 'readTextFile', 'function', undefined, 1, 3, 0, 40, 'function readTextFile()', 1, undefined, undefined, true);
    const library = new StoredFile(fileData('src/fs.ts', ['readTextFile'], [readTextFile]));
    const snapshot = (version: number, script: StoredFile): IndexSnapshot => ({ version, files: new Map([[library.path, library], [script.path, script]]), readText: () => Promise.resolve(undefined) });
    const incremental = new RankingIndex();
    incremental.sync(snapshot(1, new StoredFile(fileData('src/open.ts', ['parseConfig'], []))));
    const settled = new StoredFile(fileData('src/open.ts', ['readTextFile'], []));
    incremental.sync(snapshot(2, settled));
    const fresh = new RankingIndex();
    fresh.sync(snapshot(0, settled));
    const namesOf = (index: RankingIndex): string[] => {
      const entry = index.entry('src/open.ts');
      assert.ok(entry);
      return [...index.referencedNames(entry.fileSlot)];
    };
    assert.deepEqual(namesOf(incremental), ['readTextFile']);
    assert.deepEqual(namesOf(incremental), namesOf(fresh));
    assert.deepEqual(describeEdges(incremental), describeEdges(fresh));
  });

  it('keeps files without definitions in place when they are only touched (a new mtime, the same extraction)', () => {
    const files = Array.from({ length: 100 }, (_, i) => new StoredFile({ path: `docs/note${String(i).padStart(3, '0')}.md`, language: 'text', size: 10, mtimeMs: 1, hash: `h${i}`, definitions: [], imports: [], identifiers: [`word${i}`], refs: new Uint16Array(0) }));
    const snapshot = (version: number, list: readonly StoredFile[]): IndexSnapshot => ({ version, files: new Map(list.map((f) => [f.path, f])), readText: () => Promise.resolve(undefined) });
    const index = new RankingIndex();
    index.sync(snapshot(1, files));
    const slots = files.map((f) => index.entry(f.path)?.fileSlot);
    index.sync(snapshot(2, files.map((f) => f.with({ mtimeMs: 2 }))));
    assert.deepEqual(files.map((f) => index.entry(f.path)?.fileSlot), slots);
  });

  it('keeps BM25 document frequencies equal to a fresh index after an edit that follows a same-hash settle', () => {
    const fixture = workspace();
    const incremental = new RankingIndex();
    incremental.sync(fixture);
    fixture.put('src/open.ts', settled);
    incremental.sync(fixture);
    // The next edit removes the slot's document as the settled definition would have made it (terms never added:
    // 'settl' goes below zero, 'recover' stays counted), then a file defining another 'settled…' name arrives.
    fixture.put('src/open.ts', { text: `${text}// saved\n`, defs: [{ name: 'savedName', lines: [1, 3] }], refs: ['parseConfig@2'] });
    incremental.sync(fixture);
    fixture.put('src/other.ts', { text: 'export function settledOther(): void {}\n', defs: [{ name: 'settledOther', lines: [1, 1] }] });
    incremental.sync(fixture);
    const fresh = freshOf(fixture);
    for (const term of ['recover', 'settl']) assert.equal(incremental.lexical.idf(term), fresh.lexical.idf(term), `idf of ${term}`);
  });

  it('keeps the same callers of a much-called definition whatever order its importers were edited in (reverse fan-out cap)', () => {
    // More than MAX_REVERSE_FANOUT (64) close callers: RankingIndex.callers keeps the first 64 in slot order. A fresh
    // index numbers files in path order, an edited index gives an edited file new slots at the end, so the callers
    // kept (and the reverse mass their definitions receive) depend on which files were edited last.
    const files: Record<string, FileSpec> = {
      'src/util/helper.ts': { text: 'export function helper(x: number): number {\n  return x;\n}\n', defs: [{ name: 'helper', lines: [1, 3] }] },
    };
    const caller = (k: number, note = ''): FileSpec => ({
      text: `import { helper } from './util/helper';\nexport function caller${k}(): number {\n  return helper(${k});\n}\n${note}`,
      defs: [{ name: `caller${k}`, lines: [2, 4] }],
      refs: ['helper@3'],
      imports: [{ source: './util/helper', names: ['helper'], line: 1, resolved: 'src/util/helper.ts' }],
    });
    for (let k = 0; k < 70; k++) files[`src/caller${String(k).padStart(2, '0')}.ts`] = caller(k);
    const fixture = new FixtureIndex(files);
    const incremental = new RankingIndex();
    incremental.sync(fixture);
    describeEdges(incremental);
    // A comment typed into the first caller: same definitions and references, new text.
    fixture.put('src/caller00.ts', caller(0, '// typed\n'));
    incremental.sync(fixture);
    assert.deepEqual(describeEdges(incremental), describeEdges(freshOf(fixture)));
  });
});

describe('ranker scores equal a fresh index\'s after edits', () => {
  it('seeds the same definitions among lexical ties whatever order the files were edited in', () => {
    // Twenty definitions with the same lexical document (same name, signature, uninformative file stem): more than
    // the 16 query seeds. ContextRanker.querySeeds breaks ties by lower slot; a fresh index numbers files in path
    // order, an edited file gets new slots at the end, so after an edit another definition is seeded and the
    // edited one (no longer a seed) loses its graph score — unlike after a restart.
    const files: Record<string, FileSpec> = {};
    // Each calls a helper of its own file (documented alike, so the helper's name is not part of its lexical document).
    const spec = (k: number, note = ''): FileSpec => ({
      text: `/** Reads the settings. */\nexport function loadSettings(): void {\n  helper${k}();\n}\nfunction helper${k}(): void {}\n${note}`,
      defs: [
        { name: 'loadSettings', lines: [2, 4], doc: 'Reads the settings.', docStartLine: 1 },
        { name: `helper${k}`, lines: [5, 5], exported: false },
      ],
      refs: [`helper${k}@3`],
    });
    for (let k = 0; k < 20; k++) files[`src/m${String(k).padStart(2, '0')}/index.ts`] = spec(k);
    const fixture = new FixtureIndex(files);
    const incremental = new RankingIndex();
    const ranker = new ContextRanker(incremental);
    incremental.sync(fixture);
    fixture.put('src/m00/index.ts', spec(0, '// typed\n'));
    incremental.sync(fixture);
    const scores = (r: ContextRanker): string[] => r.rank('load settings', {}, { limit: 100 }).map((c) => `${c.node.kind === 'definition' ? c.node.def.id : c.node.path}=${c.score.toFixed(6)}`).sort();
    assert.deepEqual(scores(ranker), scores(new ContextRanker(freshOf(fixture))));
  });
});

describe('ranker graph scores equal a fresh index\'s after a file is indexed again', () => {
  it('scores every candidate as a fresh index does after an edit undone (new slots for the file, walked in another order)', () => {
    const specs = generatedWorkspace(11, 40);
    const fixture = new FixtureIndex(specs);
    const kept = new RankingIndex();
    const ranker = new ContextRanker(kept);
    kept.sync(fixture);
    const paths = Object.keys(specs).sort();
    // (In this workspace, two definitions tie on 'load': equal but for the order a walk summed their parts in.)
    const scores = (r: ContextRanker, activeFile: string): string[] =>
      ['parse the config and cache the user', 'load'].flatMap((query) => r.rank(query, { activeFile }, { limit: 200 }).map((c) => `${c.node.kind === 'definition' ? c.node.def.id : c.node.path}=${c.score.toFixed(9)}`));
    for (const [k, path] of paths.entries()) {
      const spec = specs[path];
      assert.ok(spec);
      fixture.put(path, { ...spec, text: `${spec.text}// edited\n` });
      kept.sync(fixture);
      fixture.put(path, spec);
      kept.sync(fixture);
      const activeFile = paths[(k * 7) % paths.length] ?? path;
      assert.deepEqual(scores(ranker, activeFile), scores(new ContextRanker(freshOf(fixture)), activeFile), `after ${path} was edited and undone`);
    }
  });

  it('follows a local name an import gives (`import { cartTotal as total }`) through edits of either file, as a fresh index', () => {
    // Uses of the local name link to the definition the import reaches (localTargets): edges to be forgotten when that
    // file changes (its definitions' slots renumbered), and the definition's callers when the importer's names change.
    const cart = (lines: number): FileSpec => ({
      text: `${'\n'.repeat(lines)}export default function cartTotal(items: number[]): number {\n  return items.length;\n}\n`,
      defs: [{ name: 'cartTotal', lines: [lines + 1, lines + 3] }],
    });
    const main = (names: string[], local: string): FileSpec => ({
      text: `import ${local} from './cart';\nexport function checkout(items: number[]): number {\n  return ${local}(items);\n}\n`,
      defs: [{ name: 'checkout', lines: [2, 4] }],
      refs: [`${local}@1`, `${local}@3`],
      imports: [{ source: './cart', names, line: 1, resolved: 'src/cart.ts' }],
    });
    const fixture = new FixtureIndex({
      'src/cart.ts': cart(0),
      'src/main.ts': main(['cartTotal', 'as total'], 'total'),
      'lib/total.ts': { text: 'export function total(): number {\n  return 0;\n}\n', defs: [{ name: 'total', lines: [1, 3] }] },
    });
    const incremental = new RankingIndex();
    incremental.sync(fixture);
    const checkout = (): string[] => describeEdges(incremental).get(`src/main.ts#checkout#2`) ?? [];
    assert.deepEqual(checkout(), ['src/cart.ts#cartTotal#1=1.000000000'], 'to the definition the import brings, not lib/total.ts\'s total');
    const edits: [string, FileSpec][] = [
      ['src/cart.ts', cart(2)],
      ['src/main.ts', main(['default', 'as calc', 'calc'], 'calc')],
      ['src/cart.ts', cart(1)],
      ['src/main.ts', main(['cartTotal'], 'total')],
      ['src/main.ts', main(['cartTotal', 'as total'], 'total')],
    ];
    for (const [path, spec] of edits) {
      describeEdges(incremental);
      fixture.put(path, spec);
      incremental.sync(fixture);
      assert.deepEqual(describeEdges(incremental), describeEdges(freshOf(fixture)), `after ${path}: ${spec.text.split('\n').find((l) => l !== '') ?? ''}`);
    }
    assert.deepEqual(checkout(), ['src/cart.ts#cartTotal#2=1.000000000']);
  });
});

function buildHashOf(spec: FileSpec): string | undefined {
  return new FixtureIndex({ 'x.ts': spec }).files.get('x.ts')?.hash;
}
