import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ContextEngine } from '../../../src/core/context/contextEngine';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { StringTableWatch, type StringTableBound, type StringTableGrowth } from '../../../src/core/context/stringTableGrowth';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { location, recordingLogger, tempWorkspace, write } from './indexerHarness';

/** A bound the tests reach with a few dozen strings (the real one: max(2 × live, live + 20,000)). */
const LOW_BOUND: StringTableBound = { factor: 2, slack: 30 };

const BASE = 'import { one } from "./a";\nexport function useOne(): number {\n  return one();\n}\n';

describe("the index's shared string table stays bounded by the workspace (restart from the saved index)", function () {
  this.timeout(60_000);
  let ws: { root: string; cleanup: () => void };
  let storage: { root: string; cleanup: () => void };
  const open: WorkspaceIndex[] = [];

  beforeEach(() => {
    ws = tempWorkspace();
    storage = tempWorkspace();
    write(ws.root, 'src/a.ts', 'export function one(): number {\n  return 1;\n}\n');
    write(ws.root, 'src/b.ts', BASE);
  });
  afterEach(async () => {
    for (const index of open.splice(0)) await index.dispose();
    ws.cleanup();
    storage.cleanup();
  });

  function indexOf(bound: StringTableBound = LOW_BOUND): { index: WorkspaceIndex; growths: StringTableGrowth[] } {
    const logger = recordingLogger();
    const index = new WorkspaceIndex({ root: ws.root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock, maxFileKB: 256, storageDir: storage.root, stringTableBound: bound });
    open.push(index);
    const growths: StringTableGrowth[] = [];
    index.onStringTableGrowth((g) => growths.push(g));
    return { index, growths };
  }

  /** Types `count` statements into src/b.ts one keystroke at a time, deleting each again (the document ends as BASE). */
  async function typeAndDelete(index: WorkspaceIndex, count: number): Promise<void> {
    for (let i = 0; i < count; i++) {
      const line = `const totalPrice${i} = computeItem${i}(order);\n`;
      for (let k = 1; k <= line.length; k++) {
        await index.updateDocument('src/b.ts', BASE + line.slice(0, k), [{ start: BASE.length + k - 1, deleteCount: 0, text: line[k - 1] as string }]);
      }
      await index.updateDocument('src/b.ts', BASE, [{ start: BASE.length, deleteCount: line.length, text: '' }]);
    }
  }

  it('asks for a restart when files created and deleted leave their strings behind, and a restart keeps only the live ones', async () => {
    const { index, growths } = indexOf();
    await index.build();
    await index.whenSaved();
    const before = index.internedStrings;
    // (A watch-mode build writing hashed names into a folder nothing excludes.)
    for (let i = 0; i < 40; i++) {
      const rel = `out/chunk-${i.toString(36)}x.js`;
      write(ws.root, rel, `export function render_${i}x() { return ${i}; }\n`);
      await index.updateFile(rel);
      rmSync(path.join(ws.root, rel));
      await index.removeFile(rel);
      await index.whenSaved();
    }
    assert.equal(index.files.size, 2, 'only the two files are left');
    assert.ok(index.internedStrings > before + 60, `the table kept the gone files' strings (${before} -> ${index.internedStrings})`);
    assert.ok(growths.length >= 1, 'the restart was asked for');
    // (Not restarted here: asked again only once the table outgrew the bound over what it held at the last report.)
    for (let k = 1; k < growths.length; k++) assert.ok((growths[k]?.strings ?? 0) > 2 * (growths[k - 1]?.strings ?? 0), JSON.stringify(growths));
    const [growth] = growths;
    assert.ok(growth && growth.strings > 2 * growth.live && growth.live <= before + index.files.size, `reported ${JSON.stringify(growth)} (before: ${before})`);

    // The restart: a new index from the saved one holds the live strings only.
    await index.dispose();
    const { index: next, growths: nextGrowths } = indexOf();
    const stats = await next.build();
    assert.equal(stats.reused, 2, 'the saved index was current');
    assert.ok(next.internedStrings <= growth.live, `${next.internedStrings} strings after the restart, ${growth.live} live`);
    assert.deepEqual(nextGrowths, []);
  });

  it('asks for a restart when identifiers typed and deleted pile up, and the restarted index still sees the unsaved text', async () => {
    const { index, growths } = indexOf();
    await index.build();
    await index.whenSaved();
    await typeAndDelete(index, 12);
    await index.whenSaved();
    assert.equal(growths.length, 1, `the restart was asked for once (${index.internedStrings} strings)`);

    // The document's unsaved text now, which the owner sends the new engine as it starts (as for any restart).
    const unsaved = `${BASE}export function applyDiscountNow(order: number): number {\n  return one() * order;\n}\n`;
    await index.updateDocument('src/b.ts', unsaved);
    await index.dispose();
    const { index: next } = indexOf();
    await next.updateDocument('src/b.ts', unsaved);
    await next.build();
    const engine = new ContextEngine({ index: next, clock: systemClock, logger: recordingLogger(), defaults: { budget: 8_000, relevanceThreshold: 0.01 } });
    const result = await engine.getRelevantContext({ query: 'applyDiscountNow discount order' });
    assert.ok(result.items.some((i) => i.file === 'src/b.ts' && i.symbol === 'applyDiscountNow'), `the first query after the restart ranks the unsaved text: ${JSON.stringify(result.items.map((i) => i.file))}`);
    assert.ok(next.internedStrings < growths[0]!.strings / 2, `bounded after the restart: ${next.internedStrings} (was ${growths[0]!.strings})`);
  });

  it("counts the strings only an open document's unsaved text uses as live: no restart for them, before or after one", async () => {
    // The user's open, unsaved b.ts: 100 identifiers no saved file has, nothing typed and deleted.
    const unsaved = BASE + Array.from({ length: 100 }, (_, i) => `export const unsavedName${i} = ${i};\n`).join('');
    const { index, growths } = indexOf();
    await index.build();
    await index.whenSaved();
    await index.updateDocument('src/b.ts', unsaved);
    await index.whenSaved();
    assert.ok(index.internedStrings > 100, `${index.internedStrings} strings`);
    assert.deepEqual(growths, [], 'the unsaved identifiers are in use');
    await index.dispose();

    // An engine started from that save (as after any restart): the document is sent to it again, then edited.
    const { index: next, growths: nextGrowths } = indexOf();
    await next.updateDocument('src/b.ts', unsaved);
    await next.build();
    await next.whenSaved();
    await next.updateDocument('src/b.ts', `${unsaved}// x\n`);
    await next.whenSaved();
    assert.deepEqual(nextGrowths, [], 'the new engine does not ask for a restart at its first count');
  });

  it("says whether the growth was found at the index's first count (a new engine's first save)", async () => {
    const { index, growths } = indexOf();
    await index.build();
    await index.whenSaved();
    await typeAndDelete(index, 12);
    await index.whenSaved();
    assert.deepEqual(growths.map((g) => g.firstCount), [false]);
    await index.dispose();
    // Dead strings a new index finds at its first save: typed and deleted before its first build ended.
    const { index: next, growths: nextGrowths } = indexOf();
    await typeAndDelete(next, 12);
    await next.build();
    await next.whenSaved();
    assert.deepEqual(nextGrowths.map((g) => g.firstCount), [true]);
  });

  it('asks again after a report its owner did not act on, once the table outgrew the bound over what it held then', () => {
    const watch = new StringTableWatch(LOW_BOUND);
    assert.equal(watch.counted(100, 100), undefined, 'the first count: 100 live, the limit max(2 × 100, 100 + 30)');
    assert.equal(watch.countDue(200), false);
    assert.equal(watch.countDue(201), true, 'past the limit: a save counts again');
    assert.deepEqual(watch.counted(201, 100), { strings: 201, live: 100, firstCount: false });
    // (Not acted on: a restart that would not help. The same index goes on, its saves counting as before.)
    assert.equal(watch.countDue(300), false);
    assert.equal(watch.counted(300, 100), undefined, 'a regular save, the table still within the bound over 201');
    assert.equal(watch.countDue(402), false);
    assert.equal(watch.countDue(403), true);
    assert.deepEqual(watch.counted(403, 100), { strings: 403, live: 100, firstCount: false }, 'reported again');
  });

  it('does not ask while the strings grow with the workspace (files that stay)', async () => {
    const { index, growths } = indexOf();
    await index.build();
    await index.whenSaved();
    for (let i = 0; i < 40; i++) {
      const rel = `src/kept${i}.ts`;
      write(ws.root, rel, `export function keptFunction${i}(): number { return ${i}; }\n`);
      await index.updateFile(rel);
      await index.whenSaved();
    }
    assert.equal(index.files.size, 42);
    assert.deepEqual(growths, []);
  });
});
