import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { foldsCase, spelledAsOnDisk } from '../../../src/core/context/diskSpelling';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { resolvedFile } from '../../../src/core/context/model';
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

  /**
   * A folder on the case-folding disk holding `files`, indexed; then `act` (disk changes, `at` giving a path's absolute
   * one, and the reports of them), after which the index must hold what a fresh index of the disk holds. Resolves with
   * the index's paths.
   */
  async function indexedThen(files: Record<string, string>, act: (index: WorkspaceIndex, at: (rel: string) => string) => Promise<void>): Promise<string[]> {
    const ws = folder();
    for (const [rel, text] of Object.entries(files)) write(ws, rel, text);
    const logger = recordingLogger();
    const open = (): WorkspaceIndex => new WorkspaceIndex({ root: ws, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock, maxFileKB: 256 });
    const index = open();
    const fresh = open();
    try {
      await index.build();
      await act(index, (rel) => path.join(ws, rel));
      await fresh.build();
      assert.deepEqual(snapshotOf(index.files), snapshotOf(fresh.files));
      return [...index.files.keys()].sort();
    } finally {
      await Promise.all([index.dispose(), fresh.dispose()]);
    }
  }

  const move = (at: (rel: string) => string, from: string, to: string): void => renameSync(at(from), at(to));
  const HELPER = 'export function helper(): number { return 1; }\n';
  const OTHER = 'export function other(): number { return 2; }\n';

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
    // The same name in another Unicode normal form (listed decomposed, asked composed) is that name.
    write(ws, 'Src/cafe\u0301.ts', '');
    assert.equal(await spelledAsOnDisk(ws, 'Src/caf\u00e9.ts'), true);
    assert.equal(await spelledAsOnDisk(ws, 'Src/CAF\u00c9.ts'), false);
  });

  for (const order of ['delete, then create', 'create, then delete'] as const) {
    it(`keeps one entry for a file renamed in case only, its watcher events ${order}`, async () => {
      const main = "import { helper } from './Utils';\nexport function main(): number { return helper(); }\n";
      const paths = await indexedThen({ 'src/utils.ts': HELPER, 'src/main.ts': main }, async (index, at) => {
        move(at, 'src/utils.ts', 'src/Utils.ts');
        const events = [() => index.removeFile('src/utils.ts'), () => index.updateFile('src/Utils.ts')];
        for (const event of order === 'delete, then create' ? events : events.reverse()) await event();
      });
      assert.deepEqual(paths, ['src/Utils.ts', 'src/main.ts']);
    });
  }

  it('keeps one entry for a file renamed in case only in the editor (a rename, then its watcher events)', async () => {
    const paths = await indexedThen({ 'src/utils.ts': HELPER }, async (index, at) => {
      move(at, 'src/utils.ts', 'src/Utils.ts');
      await index.renameFile('src/utils.ts', 'src/Utils.ts');
      await index.removeFile('src/utils.ts');
      await index.updateFile('src/Utils.ts');
    });
    assert.deepEqual(paths, ['src/Utils.ts']);
  });

  it('keeps one entry per file for a folder renamed in case only', async () => {
    const paths = await indexedThen({ 'lib/a.ts': HELPER, 'lib/deep/b.ts': OTHER }, async (index, at) => {
      move(at, 'lib', 'Lib');
      await index.removeFile('lib');
      await index.updateFile('Lib');
    });
    assert.deepEqual(paths, ['Lib/a.ts', 'Lib/deep/b.ts']);
  });

  for (const kind of ['file', 'folder'] as const) {
    it(`keeps one entry per file for a ${kind} renamed in the editor, then in case only outside it, the editor's rename reported last`, async () => {
      const [a, b, upper] = kind === 'file' ? ['a.ts', 'b.ts', 'B.ts'] : ['src', 'lib', 'LIB'];
      const files = kind === 'file' ? { [a]: HELPER } : { 'src/a.ts': HELPER, 'src/deep/b.ts': OTHER };
      const paths = await indexedThen(files, async (index, at) => {
        move(at, a, b);
        move(at, b, upper);
        // The watcher's pair for the second move handled first: the editor's rename lands on a name that still
        // reaches the renamed file or folder.
        await index.removeFile(b);
        await index.updateFile(upper);
        await index.renameFile(a, b);
      });
      assert.deepEqual(paths, kind === 'file' ? ['B.ts'] : ['LIB/a.ts', 'LIB/deep/b.ts']);
    });
  }

  it("drops another spelling of a file on a folder's event (the file's own events never came)", async () => {
    const paths = await indexedThen({ 'pkg/x.ts': HELPER }, async (index, at) => {
      // Renamed in case only with no event of its own; then one for its folder (made again, say).
      move(at, 'pkg/x.ts', 'pkg/X.ts');
      await index.updateFile('pkg');
    });
    assert.deepEqual(paths, ['pkg/X.ts']);
  });

  it('resolves imports spelled otherwise than their files, as Node and TypeScript do on such a disk, through files made and renamed', async () => {
    const main = "import { helper } from './utils';\nimport { other } from './lib/late';\nexport function main(): number { return helper() + other(); }\n";
    const files = { 'src/Utils.ts': HELPER, 'src/main.ts': main };
    const resolvedIn = (index: WorkspaceIndex): (string | undefined)[] | undefined => index.files.get('src/main.ts')?.imports.map((i) => resolvedFile(i));
    await indexedThen(files, async (index, at) => {
      assert.deepEqual(resolvedIn(index), ['src/Utils.ts', undefined]);
      write(at(''), 'src/Lib/Late.ts', OTHER);
      await index.updateFile('src/Lib/Late.ts');
      assert.deepEqual(resolvedIn(index), ['src/Utils.ts', 'src/Lib/Late.ts']);
      move(at, 'src/Utils.ts', 'src/UTILS.ts');
      await index.removeFile('src/Utils.ts');
      await index.updateFile('src/UTILS.ts');
      move(at, 'src/Lib', 'src/LIB');
      await index.removeFile('src/Lib');
      await index.updateFile('src/LIB');
      assert.deepEqual(resolvedIn(index), ['src/UTILS.ts', 'src/LIB/Late.ts']);
    });
    // On a disk that does not fold case the same imports reach nothing.
    const plain = mkdtempSync(path.join(os.tmpdir(), 'contexten-plain-'));
    const logger = recordingLogger();
    const index = new WorkspaceIndex({ root: plain, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock, maxFileKB: 256 });
    try {
      for (const [rel, text] of Object.entries({ ...files, 'src/Lib/Late.ts': OTHER })) write(plain, rel, text);
      await index.build();
      assert.deepEqual(resolvedIn(index), [undefined, undefined]);
    } finally {
      await index.dispose();
      rmSync(plain, { recursive: true, force: true });
    }
  });

  it('leaves out an open document that rules brought by a folder spelled otherwise than its path exclude', async () => {
    await indexedThen({ 'LIB/notes.md': '# notes\n', 'y/a.ts': HELPER }, async (index, at) => {
      await index.updateDocument('LIB/notes.md', '# notes, edited\n');
      // Its folder deleted: the open document stays, and the rules of its path (none) are cached.
      rmSync(at('LIB'), { recursive: true });
      await index.removeFile('LIB');
      assert.ok(index.files.has('LIB/notes.md'));
      write(at(''), 'y/.gitignore', '*.md\n');
      await index.updateFile('y/.gitignore');
      // Renamed to another spelling of the document's folder: on this disk LIB/.gitignore is lib/.gitignore.
      move(at, 'y', 'lib');
      await index.removeFile('y');
      await index.updateFile('lib');
      assert.equal(index.files.has('LIB/notes.md'), false);
    });
  });

  it('reads a symbolic link again when its file, in a folder renamed in case only, is edited', async () => {
    await indexedThen({ 'src/a.ts': HELPER }, async (index, at) => {
      // The link names the folder as it was spelled: on this disk it still leads to the file.
      symlinkSync('src/a.ts', at('link.ts'));
      await index.updateFile('link.ts');
      move(at, 'src', 'SRC');
      await index.removeFile('src');
      await index.updateFile('SRC');
      write(at(''), 'SRC/a.ts', OTHER);
      await index.updateFile('SRC/a.ts');
      assert.deepEqual(
        index.files.get('link.ts')?.definitions.map((d) => d.name),
        ['other'],
      );
    });
  });

  // Not about case: this disk's slow lookups (each a Python call, a listing per name for the spelling) make an older
  // read's look at the disk end after a newer read of the same file indexed it — which a fast disk makes rare.
  it('keeps what the newer of two reads of a file found when the older ends last (too large, then not)', async () => {
    await indexedThen({ 'src/b.js': HELPER }, async (index, at) => {
      for (let i = 0; i < 24; i++) {
        write(at(''), 'src/b.js', `${'x'.repeat(300 * 1024)}\n`);
        const older = index.updateFile('src/b.js');
        write(at(''), 'src/b.js', `export function other${i}(): number { return ${i}; }\n`);
        await Promise.all([older, index.updateFile('src/b.js')]);
        assert.deepEqual(
          index.files.get('src/b.js')?.definitions.map((d) => d.name),
          [`other${i}`],
          `round ${i}`,
        );
      }
    });
  });

  it('still reads a file edited under its own name', async () => {
    let names: string[] | undefined;
    await indexedThen({ 'Src/Utils.ts': HELPER }, async (index, at) => {
      write(at(''), 'Src/Utils.ts', OTHER);
      await index.updateFile('Src/Utils.ts');
      names = index.files.get('Src/Utils.ts')?.definitions.map((d) => d.name);
    });
    assert.deepEqual(names, ['other']);
  });
});
