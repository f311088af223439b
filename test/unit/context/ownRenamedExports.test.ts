import assert from 'node:assert/strict';
import { ContextEngine } from '../../../src/core/context/contextEngine';
import { isOwnExportsEdge, OWN_EXPORTS_SOURCE } from '../../../src/core/context/model';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import type { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { describeEdges, linkedFrom, linkedFromFileNode } from './builders';
import { extract, recordingLogger, workspacePerTest, write } from './indexerHarness';

// A module's own names exported under others, `export { void_ as void }` without `from` (effect's way with names that
// are keywords: `async_ as async`, `try_ as try`), are reached as a definition of the exported name would be: an
// import of `async`, a namespace's `core.async`, an `export *` barrel's `async`.

/**
 * core.ts exports async_ and void_ only under keywords' names; fromFunction under its own name and as `function`; its
 * class Job has a method `void` of its own (a member, which no import brings).
 */
const CORE_TS = [
  '/** Suspends until the callback resumes. */',
  'const async_ = (register: (resume: () => void) => void): number => {',
  '  register(() => undefined);',
  '  return 1;',
  '};',
  '',
  'const void_ = 0;',
  '',
  'export function fromFunction(f: () => number): number {',
  '  return f();',
  '}',
  '',
  'export class Job {',
  '  void(): number {',
  '    return 2;',
  '  }',
  '}',
  '',
  'export {',
  '  /** @internal */',
  '  async_ as async',
  '}',
  '',
  'export { void_ as void, fromFunction as function };',
  '',
].join('\n');

const APP_TS = "import { async } from './core';\n\nexport function start(): number {\n  return async(() => undefined);\n}\n";
const TOOL_TS = [
  "import * as core from './core';",
  '',
  'export function wait(): number {',
  '  return core.async(() => undefined) + core.void;',
  '}',
  '',
  'export function lift(): number {',
  '  return core.function(() => 1) + core.fromFunction(() => 2);',
  '}',
  '',
].join('\n');

describe('own renamed exports (`export { void_ as void }`)', () => {
  const ws = workspacePerTest();
  const build = ws.build;

  /** The reasons of a query's items from `activeFile` that say they were imported by name, as `file#symbol: reason`. */
  async function importedReasons(index: WorkspaceIndex, query: string, activeFile: string): Promise<string[]> {
    const engine = new ContextEngine({ index, clock: systemClock, logger: recordingLogger(), defaults: { budget: 50_000, relevanceThreshold: 0 } });
    const result = await engine.getRelevantContext({ query, activeFile });
    return result.items.flatMap((i) => i.reasons.filter((r) => r.startsWith('imported by name into the active file')).map((r) => `${i.file}#${i.symbol}: ${r}`)).sort();
  }

  beforeEach(() => {
    write(ws.root(), 'src/core.ts', CORE_TS);
    write(ws.root(), 'src/app.ts', APP_TS);
    write(ws.root(), 'src/tool.ts', TOOL_TS);
  });

  it("records a module's own renamed exports as one edge of its local names, each followed by its exported name", async () => {
    const file = await extract('src/core.ts', CORE_TS);
    assert.deepEqual(
      file.imports.map((e) => [e.source, e.names, e.line]),
      [
        [OWN_EXPORTS_SOURCE, ['async_', 'as async'], 19],
        [OWN_EXPORTS_SOURCE, ['void_', 'as void', 'fromFunction', 'as function'], 24],
      ],
    );
    // (Exported as it is, or as the default, a name is no rename: `export { a }`, `export { a as default }`.)
    const plain = await extract('src/plain.ts', 'const a = 1;\nconst b = 2;\nexport { a, b as default };\n');
    assert.deepEqual(plain.imports, []);
    // (An import of a specifier spelled as the marker is an import like any other: no quoted specifier ends in a bare line break.)
    const spelled = await extract('src/spelled.ts', "import x from ':own-exports';\nexport { x as y };\n");
    assert.deepEqual(spelled.imports.map((e) => [isOwnExportsEdge(e), e.names]), [[false, ['default', 'as x', 'x']], [true, ['x', 'as y']]]);
  });

  it('links an import of the exported name by name to the definition, with the reason a definition of that name has', async () => {
    const { index, ranking } = await build();
    assert.deepEqual(linkedFromFileNode(ranking, 'src/app.ts'), ['src/core.ts#async_']);
    assert.deepEqual(await importedReasons(index, 'start suspending', 'src/app.ts'), ['src/core.ts#async_: imported by name into the active file']);
  });

  it("links a namespace's members by the exported names, and gives the definitions those members' callers", async () => {
    const { ranking } = await build();
    assert.deepEqual(linkedFrom(ranking, 'src/tool.ts', 'wait', true), ['src/core.ts#async_', 'src/core.ts#void_']);
    // (fromFunction is exported under its own name too: each name reaches it, once.)
    assert.deepEqual(linkedFrom(ranking, 'src/tool.ts', 'lift', true), ['src/core.ts#fromFunction']);
    assert.ok(linkedFrom(ranking, 'src/core.ts', 'async_').includes('src/tool.ts#wait'), "async_'s callers");
    assert.ok(linkedFrom(ranking, 'src/core.ts', 'void_').includes('src/tool.ts#wait'), "void_'s callers");
  });

  it('reaches the definition through an `export *` barrel, by name and as a namespace member', async () => {
    write(ws.root(), 'src/index.ts', "export * from './core';\n");
    write(ws.root(), 'src/page.ts', "import { async } from './index';\n\nexport function page(): number {\n  return async(() => undefined);\n}\n");
    write(ws.root(), 'src/panel.ts', "import * as Effect from './index';\n\nexport function panel(): number {\n  return Effect.void;\n}\n");
    const { index, ranking } = await build();
    assert.deepEqual(linkedFromFileNode(ranking, 'src/page.ts'), ['src/core.ts#async_']);
    assert.deepEqual(await importedReasons(index, 'render the page', 'src/page.ts'), ['src/core.ts#async_: imported by name into the active file through src/index.ts']);
    assert.deepEqual(linkedFrom(ranking, 'src/panel.ts', 'panel', true), ['src/core.ts#void_']);
  });

  it('reaches a renamed name as far through barrels as a name the module defines (four `export *` away)', async () => {
    // (The walk reads four files of re-exports: the module's own rename is no further than its own definitions.)
    write(ws.root(), 'src/deep/core.ts', 'export const plain = 1;\nconst void_ = 0;\nexport { void_ as void };\n');
    write(ws.root(), 'src/deep/b1.ts', "export * from './core';\n");
    for (const k of [2, 3, 4]) write(ws.root(), `src/deep/b${k}.ts`, `export * from './b${k - 1}';\n`);
    write(ws.root(), 'src/far.ts', "import * as E from './deep/b4';\n\nexport function far(): number {\n  return E.plain + E.void;\n}\n");
    const { ranking } = await build();
    assert.deepEqual(linkedFrom(ranking, 'src/far.ts', 'far', true), ['src/deep/core.ts#plain', 'src/deep/core.ts#void_']);
  });

  it('follows an edit dropping the rename and one adding it back, as a fresh ranking index does', async () => {
    write(ws.root(), 'src/index.ts', "export * from './core';\n");
    write(ws.root(), 'src/panel.ts', "import * as Effect from './index';\n\nexport function panel(): number {\n  return Effect.void + Effect.async(() => undefined);\n}\n");
    const { index, ranking } = await build();
    // (Every edge asked for, the barrels' tables made, before the edits.)
    describeEdges(ranking);
    const same = (label: string): void => {
      ranking.sync(index);
      const fresh = new RankingIndex();
      fresh.sync(index);
      assert.deepEqual(describeEdges(ranking), describeEdges(fresh), label);
    };
    await index.updateDocument('src/core.ts', CORE_TS.replace('export { void_ as void, fromFunction as function };', 'export { fromFunction as function };'));
    same('void_ no longer exported as void');
    assert.deepEqual(linkedFrom(ranking, 'src/tool.ts', 'wait', true), ['src/core.ts#async_']);
    assert.deepEqual(linkedFrom(ranking, 'src/panel.ts', 'panel', true), ['src/core.ts#async_']);
    await index.updateDocument('src/core.ts', CORE_TS.replace('  async_ as async', '  async_ as suspend'));
    same('async_ exported as suspend, void_ as void again');
    assert.deepEqual(linkedFrom(ranking, 'src/tool.ts', 'wait', true), ['src/core.ts#void_']);
    assert.deepEqual(linkedFrom(ranking, 'src/panel.ts', 'panel', true), ['src/core.ts#void_']);
    await index.closeDocument('src/core.ts');
    same('as on disk');
    assert.deepEqual(linkedFrom(ranking, 'src/panel.ts', 'panel', true), ['src/core.ts#async_', 'src/core.ts#void_']);
  });
});
