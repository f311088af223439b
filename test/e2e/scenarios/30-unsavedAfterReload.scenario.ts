import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pollUntil } from '../harness/poll';
import { scenario } from '../harness/scenario';
import { fileOnDisk, moveCursor, previewContext, showEditorTab, waitForDirty, waitForEditorText } from './generationUi';

const LINE = 'export const pelicanReloadTotal = 42;';

/** Files under `dir` (none when it does not exist). */
function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath, e.name));
}

scenario('An unsaved edit survives a window reload: the editor brings the document back modified, and its text is in the context', async ({ workbench, session }) => {
  const page = workbench.page;
  const onDisk = fileOnDisk(session, 'src/money.ts');
  assert.ok(!onDisk.includes('pelicanReloadTotal'));
  await workbench.openFile('src/money.ts');
  await moveCursor(workbench, 4, 2);
  await page.keyboard.press('End');
  await page.keyboard.press('Enter');
  await page.keyboard.type(LINE);
  await page.keyboard.press('Escape');
  await waitForEditorText(workbench, 'the typed line', (t) => t.includes(LINE));
  await waitForDirty(workbench, true, 'after typing');
  // What a reload restores is the editor's backup of the document, written a moment after the edit (a reload before it
  // loses the edit in VS Code itself: two of three first tries here).
  const backups = path.join(session.profile.userDataDir, 'User', 'Backups');
  await pollUntil('the editor to back up the modified money.ts', async () => (filesUnder(backups).some((f) => readFileSync(f, 'utf8').includes(LINE)) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });

  const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
  await workbench.runCommand('Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 30_000 });

  // The editor restores the document with its unsaved text (its backup); the file on disk is as it was.
  await page.locator('.tabs-container .tab.dirty', { hasText: 'money.ts' }).first().waitFor({ timeout: 30_000 });
  assert.equal(fileOnDisk(session, 'src/money.ts'), onDisk);
  // The engine started by the reloaded window indexes the restored text, not the disk's.
  const text = await previewContext(workbench, 'pelican reload total');
  assert.match(text, /### \d+\. src\/money\.ts:5-5 · pelicanReloadTotal \(const\)/);

  // The edit is dropped, for the scenarios after this one.
  await showEditorTab(workbench, 'money.ts');
  await workbench.runCommand('File: Revert File');
  await waitForDirty(workbench, false, 'after Revert File');
  assert.equal(fileOnDisk(session, 'src/money.ts'), onDisk);
}, { timeoutMs: 120_000 });
