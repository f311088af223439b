import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { fileOnDisk, generateFromPalette, moveCursor, panelButton, resultsFrame, showEditorTab, undoInActiveEditor, waitForDirty, waitForEditorText } from './generationUi';

const PROMPT = 'Write function padLabel for table cells';
const CODE = 'export function padLabel(value: string): string {\n  return value.trim();\n}';

scenario('Insert at Cursor inserts at the cursor of a selection made upwards (its start), not at its end', async ({ workbench, session }) => {
  const original = fileOnDisk(session, 'src/main.ts');
  await workbench.openFile('src/main.ts');
  await generateFromPalette(workbench, PROMPT);

  // Lines 2-3 selected from the bottom up: the cursor is at 2:1, the selection ends at 3:1.
  await showEditorTab(workbench, 'main.ts');
  await moveCursor(workbench, 3, 1);
  await workbench.page.keyboard.press('Shift+ArrowUp');
  await workbench.page.locator('.statusbar-item', { hasText: 'Ln 2, Col 1 (1 selected)' }).first().waitFor();

  await panelButton(await resultsFrame(workbench), 'Insert at Cursor', '.code-blocks').click();
  await showEditorTab(workbench, 'main.ts');
  const text = await waitForEditorText(workbench, 'the inserted code', (t) => t.includes('padLabel'));
  assert.equal(text, original.replace("from './greeting';\n", `from './greeting';\n${CODE}\n`));

  await undoInActiveEditor(workbench);
  await waitForEditorText(workbench, 'the original main.ts', (t) => t === original);
  await waitForDirty(workbench, false, 'after one Undo');
});
