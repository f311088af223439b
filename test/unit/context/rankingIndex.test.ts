import assert from 'node:assert/strict';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { FixtureIndex, sampleWorkspace } from './builders';

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

describe('ranking index', () => {
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
    assert.ok(Math.abs(weights.reduce((a, b) => a + b, 0) - 1) < 1e-9);
    const fileSlot = index.entry('src/server/startServer.ts')?.fileSlot ?? -1;
    assert.deepEqual(targetsOf(index, fileSlot), ['src/config/parseConfig.ts#parseConfig', 'src/server/httpServer.ts#HttpServer']);
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
    assert.equal(index.definitionsNamed('LruCache'), undefined);
    assert.equal(index.definitionsNamed('toKebabCase'), undefined);
    assert.equal(index.lexical.idf('kebab'), 0);
    assert.equal(index.definitionCount, 9);
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
    assert.equal(index.importersOf('src/config/parseConfig.ts'), undefined);
    assert.equal(index.entry('src/server/startServer.ts')?.importedFiles.size, 0);
  });
});
