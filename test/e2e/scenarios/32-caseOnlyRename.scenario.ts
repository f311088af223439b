import assert from 'node:assert/strict';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { mountCaseFolding } from '../../unit/context/caseFoldingMount';
import { saveFailureArtifacts } from '../harness/artifacts';
import { pollUntil } from '../harness/poll';
import { scenario } from '../harness/scenario';
import { Workbench } from '../harness/workbench';
import { previewContext } from './generationUi';

const QUERY = 'restock the shelf up to its capacity';
const RENAMED_ITEM = /### 1\. src\/Shelves\.ts:1-3 · restockShelf \(function\)/;
const OLD_NAME = 'src/shelves.ts';

// A window on a folder of a disk that looks names up without regard to case (the unit tests' FUSE file system, as
// macOS's and Windows's disks do): a file renamed in case only outside the editor is in the context once, under its
// new name — VS Code's watcher reports the old name deleted, and that name still reaches the file there — and an
// import spelled as before still leads to it.
const TITLE = 'A file renamed in case only on a disk that folds case is in the context once, under its new name';

scenario(TITLE, async ({ session }) => {
  const disk = await mountCaseFolding();
  let workbench: Workbench | undefined;
  try {
    const folder = path.join(disk.root, 'depot');
    mkdirSync(path.join(folder, 'src'), { recursive: true });
    writeFileSync(path.join(folder, OLD_NAME), 'export function restockShelf(capacity: number): number {\n  return capacity;\n}\n');
    writeFileSync(path.join(folder, 'src', 'orders.ts'), "import { restockShelf } from './shelves';\nexport function placeOrder(): number {\n  return restockShelf(3);\n}\n");
    workbench = await Workbench.open(await session.newPage(), session.codeServer.windowUrl(folder));
    const wb = workbench;
    const before = await previewContext(wb, QUERY);
    assert.match(before, /### 1\. src\/shelves\.ts:1-3 · restockShelf \(function\)/);
    const status = wb.page.locator('.statusbar-item', { hasText: /Context: \d+ files$/ }).first();
    assert.match((await status.textContent()) ?? '', /Context: 2 files$/);

    renameSync(path.join(folder, OLD_NAME), path.join(folder, 'src', 'Shelves.ts'));
    // Each try a new preview, as a person would look again (one open at a time). Before the fix the old name stayed
    // beside the new one: the definition twice, and three files.
    let last = '';
    const after = await pollUntil(
      'the renamed file in the context under its new name only',
      async () => {
        await wb.runCommand('View: Close All Editors');
        last = await previewContext(wb, QUERY);
        return RENAMED_ITEM.test(last) && !last.includes(OLD_NAME) ? last : undefined;
      },
      { timeoutMs: 30_000, intervalMs: 250 },
    ).catch((err: unknown) => {
      throw new Error(`${String(err)}; the last preview:\n${last.slice(0, 1500)}`);
    });
    assert.equal(after.match(/· restockShelf \(function\)/g)?.length, 1, after);
    await wb.page.locator('.statusbar-item', { hasText: /Context: 2 files$/ }).first().waitFor({ timeout: 15_000 });

    // The import still spelled as the file was named (`./shelves`) reaches it on this disk, as Node and TypeScript
    // find it: with the importer active, the definition comes as imported into it (unresolved, it did not).
    await wb.runCommand('View: Close All Editors');
    await wb.openFile('src/orders.ts');
    const fromImporter = await previewContext(wb, QUERY);
    assert.match(fromImporter, /### \d+\. src\/Shelves\.ts:1-3 · restockShelf \(function\)[^\n]*\n(?:- [^\n]*\n)*- imported by name into the active file/, fromImporter);
  } catch (err) {
    // (This window's page: the scenario's own window is not the one the harness photographs.)
    if (workbench) await saveFailureArtifacts(`${TITLE} (its window)`, [workbench.page], session.logFiles());
    throw err;
  } finally {
    await workbench?.close();
    await disk.unmount();
  }
}, { timeoutMs: 120_000 });
