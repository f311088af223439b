import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { errorSquiggles, fileOnDisk, moveCursor, undoInActiveEditor, waitForDirty, waitForEditorText, waitForRun } from './generationUi';

const FIXED = 'export function shout(value: string): string {\n  return value.trim();\n}';

scenario('Fix with Context: the quick fix on a real TypeScript error shows the fix as a diff and applies it', async ({ workbench, session }) => {
  const page = workbench.page;
  const original = fileOnDisk(session, 'src/shout.ts');
  await workbench.openFile('src/shout.ts');
  // The TypeScript language features of code-server report the type error on line 3.
  await errorSquiggles(workbench).first().waitFor({ timeout: 45_000 });
  await moveCursor(workbench, 3, 9);
  await workbench.applyQuickFix('Fix with Context');

  const frame = await waitForRun(workbench, /^Fix this error in src\/shout\.ts at line 3 \(ts 2322\): Type 'string' is not assignable to type 'number'\./, 'Done');
  assert.equal((await frame.locator('.code-blocks pre code').first().textContent())?.trimEnd(), FIXED);

  // The fix opens as a diff on its own, with the question to apply it.
  await page.locator('.tabs-container .tab.active', { hasText: 'shout.ts ↔ Fix with Context (proposed)' }).first().waitFor();
  await workbench.clickNotificationAction(/apply the proposed change to shout\.ts\?/, 'Apply');
  const fixed = await waitForEditorText(workbench, 'the fixed shout.ts', (t) => t.includes('value.trim()'));
  // The answer is the function alone (its header changed: a parameter renamed): the function is replaced, and the
  // comment above it, among the lines asked for too, stays; the file keeps its final newline.
  assert.equal(fixed, `${original.split('\n')[0]}\n${FIXED}\n`);
  await waitForDirty(workbench, true, 'after Apply');
  // TypeScript agrees: the error is gone.
  await errorSquiggles(workbench).first().waitFor({ state: 'detached', timeout: 20_000 });

  // One undo step brings the broken original back, for the scenarios after this one.
  await undoInActiveEditor(workbench);
  const restored = await waitForEditorText(workbench, 'the original shout.ts', (t) => t.includes('const loud: number'));
  assert.equal(restored, original);
  await waitForDirty(workbench, false, 'after one Undo');
}, { timeoutMs: 90_000 });
