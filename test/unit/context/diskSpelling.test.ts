import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { foldsCase, spelledAsOnDisk } from '../../../src/core/context/diskSpelling';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { useCaseFoldingDisk } from './caseFoldingMount';
import { location, recordingLogger, snapshotOf, write } from './indexerHarness';

describe('names on a disk that folds case (case-only renames)', function () {
  // (Mounting takes a moment; the index tests parse a few files.)
  this.timeout(30_000);
  const diskRoot = useCaseFoldingDisk();
  let n = 0;

  /** A fresh folder on the case-folding disk. */
  function folder(): string {
    const dir = path.join(diskRoot(), `ws${++n}`);
    mkdirSync(dir);
    return dir;
  }

  /** Runs `body` with indexes of `root` (`open`), disposed after it. */
  async function withIndexes(root: string, body: (open: () => WorkspaceIndex) => Promise<void>): Promise<void> {
    const logger = recordingLogger();
    const opened: WorkspaceIndex[] = [];
    const open = (): WorkspaceIndex => {
      const index = new WorkspaceIndex({ root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock, maxFileKB: 256 });
      opened.push(index);
      return index;
    };
    try {
      await body(open);
    } finally {
      await Promise.all(opened.map((i) => i.dispose()));
    }
  }

  /** What a fresh index of `root` holds. */
  async function fresh(open: () => WorkspaceIndex): Promise<Record<string, unknown>> {
    const index = open();
    await index.build();
    return snapshotOf(index.files);
  }

  it('tells a disk that folds case from one that does not', async () => {
    const ws = folder();
    // An empty folder: told by its own name.
    assert.equal(await foldsCase(ws), true);
    write(ws, 'Utils.ts', 'export const a = 1;\n');
    assert.equal(await foldsCase(ws), true);
    const plain = mkdtempSync(path.join(os.tmpdir(), 'contexten-plain-'));
    try {
      // Empty, then with a name to turn over.
      assert.equal(await foldsCase(plain), false);
      writeFileSync(path.join(plain, 'Utils.ts'), '');
      assert.equal(await foldsCase(plain), false);
      assert.equal(await foldsCase(path.join(plain, 'missing')), undefined);
    } finally {
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('tells a name spelled as on disk from another spelling of it', async () => {
    const ws = folder();
    write(ws, 'Src/Utils.ts', '');
    assert.equal(await spelledAsOnDisk(ws, 'Src/Utils.ts'), true);
    // Both reach the file on this disk, but only one is its name.
    assert.equal(await spelledAsOnDisk(ws, 'src/Utils.ts'), false);
    assert.equal(await spelledAsOnDisk(ws, 'Src/utils.ts'), false);
    assert.equal(await spelledAsOnDisk(ws, 'Src/other.ts'), false);
  });

  for (const order of ['delete, then create', 'create, then delete'] as const) {
    it(`keeps one entry for a file renamed in case only, its watcher events ${order}`, () => {
      const ws = folder();
      write(ws, 'src/utils.ts', 'export function helper(): number { return 1; }\n');
      write(ws, 'src/main.ts', "import { helper } from './Utils';\nexport function main(): number { return helper(); }\n");
      return withIndexes(ws, async (open) => {
        const index = open();
        await index.build();
        renameSync(path.join(ws, 'src/utils.ts'), path.join(ws, 'src/Utils.ts'));
        if (order === 'delete, then create') {
          await index.removeFile('src/utils.ts');
          await index.updateFile('src/Utils.ts');
        } else {
          await index.updateFile('src/Utils.ts');
          await index.removeFile('src/utils.ts');
        }
        assert.deepEqual([...index.files.keys()].sort(), ['src/Utils.ts', 'src/main.ts']);
        assert.deepEqual(snapshotOf(index.files), await fresh(open));
      });
    });
  }

  it('keeps one entry for a file renamed in case only in the editor (a rename, then its watcher events)', () => {
    const ws = folder();
    write(ws, 'src/utils.ts', 'export function helper(): number { return 1; }\n');
    return withIndexes(ws, async (open) => {
      const index = open();
      await index.build();
      renameSync(path.join(ws, 'src/utils.ts'), path.join(ws, 'src/Utils.ts'));
      await index.renameFile('src/utils.ts', 'src/Utils.ts');
      await index.removeFile('src/utils.ts');
      await index.updateFile('src/Utils.ts');
      assert.deepEqual([...index.files.keys()], ['src/Utils.ts']);
      assert.deepEqual(snapshotOf(index.files), await fresh(open));
    });
  });

  it('keeps one entry per file for a folder renamed in case only', () => {
    const ws = folder();
    write(ws, 'lib/a.ts', 'export function a(): number { return 1; }\n');
    write(ws, 'lib/deep/b.ts', 'export function b(): number { return 2; }\n');
    return withIndexes(ws, async (open) => {
      const index = open();
      await index.build();
      renameSync(path.join(ws, 'lib'), path.join(ws, 'Lib'));
      await index.removeFile('lib');
      await index.updateFile('Lib');
      assert.deepEqual([...index.files.keys()].sort(), ['Lib/a.ts', 'Lib/deep/b.ts']);
      assert.deepEqual(snapshotOf(index.files), await fresh(open));
    });
  });

  for (const kind of ['file', 'folder'] as const) {
    it(`keeps one entry per file for a ${kind} renamed in the editor, then in case only outside it, the editor's rename reported last`, () => {
      const ws = folder();
      const [a, b, upper] = kind === 'file' ? ['a.ts', 'b.ts', 'B.ts'] : ['src', 'lib', 'LIB'];
      if (kind === 'file') write(ws, a, 'export function a(): number { return 1; }\n');
      else {
        write(ws, 'src/a.ts', 'export function a(): number { return 1; }\n');
        write(ws, 'src/deep/b.ts', 'export function b(): number { return 2; }\n');
      }
      return withIndexes(ws, async (open) => {
        const index = open();
        await index.build();
        renameSync(path.join(ws, a), path.join(ws, b));
        renameSync(path.join(ws, b), path.join(ws, upper));
        // The watcher's pair for the second move handled first: the editor's rename lands on a name that still
        // reaches the renamed file or folder.
        await index.removeFile(b);
        await index.updateFile(upper);
        await index.renameFile(a, b);
        assert.deepEqual(snapshotOf(index.files), await fresh(open));
      });
    });
  }

  it("drops another spelling of a file on a folder's event (the file's own events never came)", () => {
    const ws = folder();
    write(ws, 'pkg/x.ts', 'export function x(): number { return 1; }\n');
    return withIndexes(ws, async (open) => {
      const index = open();
      await index.build();
      // Renamed in case only with no event of its own; then one for its folder (made again, say).
      renameSync(path.join(ws, 'pkg/x.ts'), path.join(ws, 'pkg/X.ts'));
      await index.updateFile('pkg');
      assert.deepEqual([...index.files.keys()], ['pkg/X.ts']);
      assert.deepEqual(snapshotOf(index.files), await fresh(open));
    });
  });

  it('still reads a file edited under its own name', () => {
    const ws = folder();
    write(ws, 'Src/Utils.ts', 'export function before(): number { return 1; }\n');
    return withIndexes(ws, async (open) => {
      const index = open();
      await index.build();
      write(ws, 'Src/Utils.ts', 'export function after(): number { return 2; }\n');
      await index.updateFile('Src/Utils.ts');
      assert.deepEqual(
        index.files.get('Src/Utils.ts')?.definitions.map((d) => d.name),
        ['after'],
      );
      assert.deepEqual(snapshotOf(index.files), await fresh(open));
    });
  });
});
