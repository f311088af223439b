import assert from 'node:assert/strict';
import { cpSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { FIXTURE_SECOND_FOLDER, RUN_LAYOUT } from '../harness/paths';
import { pollUntil } from '../harness/poll';
import { scenario } from '../harness/scenario';
import type { Workbench } from '../harness/workbench';
import { previewContext } from './generationUi';

const SHELF_QUERY = 'restock the shelf up to its capacity';
const DOCK_QUERY = 'unload the pallets at the dock';
const SHELF_ITEM = /### 1\. warehouse\/src\/shelves\.ts:\d+-\d+ · restockShelf \(function\)/;
const DOCK_ITEM = /### 1\. warehouse\/src\/dock\.ts:1-3 · unloadPalletsAtDock \(function\)/;

/**
 * Previews `query` until `predicate` holds for the preview's first item (each try a new preview, as a person would look
 * again; one preview open at a time: each opens beside the active editor, in a new group). The preview's text is what
 * the editor renders, so only the first items are looked at.
 */
function previewUntil(workbench: Workbench, what: string, query: string, predicate: (text: string) => boolean): Promise<string> {
  return pollUntil(
    what,
    async () => {
      await workbench.runCommand('View: Close All Editors');
      const text = await previewContext(workbench, query, { mayBeEmpty: true });
      return predicate(text) ? text : undefined;
    },
    { timeoutMs: 30_000, intervalMs: 250 },
  );
}

/** Waits until the status bar item says the index holds `files` files. */
async function statusFiles(workbench: Workbench, files: number): Promise<void> {
  await workbench.page.locator('.statusbar-item', { hasText: new RegExp(`Context: ${files} files$`) }).first().waitFor({ timeout: 30_000 });
}

// A window on a multi-root workspace: "shop" (the run's workspace) and "warehouse" (RUN_LAYOUT.secondFolder).
scenario('A workspace folder deleted on disk leaves the context, its files made again come back, and the status bar counts them (multi-root)', async ({ workbench }) => {
  const first = await previewContext(workbench, SHELF_QUERY);
  assert.match(first, SHELF_ITEM);
  const statusText = (await workbench.page.locator('.statusbar-item', { hasText: /Context: \d+ files$/ }).first().textContent()) ?? '';
  const files = Number(/Context: (\d+) files/.exec(statusText)?.[1]);
  assert.ok(files > 1, `unexpected status: ${statusText}`);
  const warehouseFiles = readdirSync(RUN_LAYOUT.secondFolder, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;

  // The folder itself goes (a branch switch, a re-clone): its files leave the index, the other folder's stay.
  rmSync(RUN_LAYOUT.secondFolder, { recursive: true, force: true });
  await previewUntil(workbench, "the deleted folder's files to leave the context", SHELF_QUERY, (t) => !SHELF_ITEM.test(t));
  await statusFiles(workbench, files - warehouseFiles);

  // Made again, with its file and a new one: both are indexed (the watcher still reports the folder's files).
  cpSync(FIXTURE_SECOND_FOLDER, RUN_LAYOUT.secondFolder, { recursive: true });
  writeFileSync(path.join(RUN_LAYOUT.secondFolder, 'src', 'dock.ts'), 'export function unloadPalletsAtDock(pallets: number): number {\n  return pallets * 2;\n}\n');
  await previewUntil(workbench, 'the new file in the folder made again to be in the context', DOCK_QUERY, (t) => DOCK_ITEM.test(t));
  await previewUntil(workbench, "the folder's own file to be back in the context", SHELF_QUERY, (t) => SHELF_ITEM.test(t));
  await statusFiles(workbench, files + 1);

  rmSync(path.join(RUN_LAYOUT.secondFolder, 'src', 'dock.ts'));
  await previewUntil(workbench, 'the new file, deleted, to leave the context', DOCK_QUERY, (t) => !DOCK_ITEM.test(t));
  await statusFiles(workbench, files);
}, { multiRoot: true, timeoutMs: 180_000 });
