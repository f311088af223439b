import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { enterPrompt, fileOnDisk, moveCursor, panelButton, resultsFrame, undoInActiveEditor, waitForDirty, waitForEditorText, waitForRun } from './generationUi';

const PROMPT = 'Turn this into a helper named greetingCard';
const CODE = 'export function greetingCard(value: string): string {\n  return value.trim();\n}';

scenario('Generate with Context on a selection → Show Diff → Discard, then Apply changes the file; one Undo restores it', async ({ workbench, session }) => {
  const original = fileOnDisk(session, 'src/greeting.ts');
  const lines = original.split('\n');
  assert.equal(lines[3], '}', 'the fixture changed: lines 1-4 are expected to be the Greeting interface');
  const page = workbench.page;

  await workbench.openFile('src/greeting.ts');
  await moveCursor(workbench, 1, 1);
  for (let i = 0; i < 4; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.locator('.statusbar-item', { hasText: /Ln 5, Col 1 \(\d+ selected\)/ }).first().waitFor();

  // Right-click inside the selection (keeps it) and choose the entry the extension adds to the menu.
  const selectedLine = page.locator('.editor-group-container.active .view-line', { hasText: 'name: string;' }).first();
  await workbench.contextMenu(selectedLine, 'Generate with Context');
  await enterPrompt(workbench, PROMPT, 'What should happen to the selected code?');

  const frame = await waitForRun(workbench, PROMPT, 'Done');
  assert.equal((await frame.locator('.code-blocks pre code').first().textContent())?.trimEnd(), CODE);

  // Show Diff: the file against the proposal, then a question. Discard leaves the file alone.
  await panelButton(frame, 'Show Diff', '.code-blocks').click();
  await page.locator('.tabs-container .tab.active', { hasText: 'greeting.ts ↔ Generated change (proposed)' }).first().waitFor();
  await page.locator('.monaco-diff-editor').first().waitFor();
  await workbench.clickNotificationAction(/apply the proposed change to greeting\.ts\?/, 'Discard');
  assert.equal(await page.locator('.tabs-container .tab.dirty').count(), 0, 'Discard changed a document');
  assert.equal(fileOnDisk(session, 'src/greeting.ts'), original);

  // Again from the panel (which must still target greeting.ts, not the diff's read-only proposal), and Apply.
  const again = await resultsFrame(workbench);
  await panelButton(again, 'Show Diff', '.code-blocks').click();
  await workbench.clickNotificationAction(/apply the proposed change to greeting\.ts\?/, 'Apply');
  const expected = `${CODE}\n${lines.slice(4).join('\n')}`;
  const changed = await waitForEditorText(workbench, 'greeting.ts with the selection replaced', (t) => t.startsWith('export function greetingCard'));
  assert.equal(changed.trimEnd(), expected.trimEnd());
  await waitForDirty(workbench, true, 'after Apply');

  // The edit is one undo step.
  await undoInActiveEditor(workbench);
  const restored = await waitForEditorText(workbench, 'greeting.ts restored', (t) => t.startsWith('export interface Greeting'));
  assert.equal(restored.trimEnd(), original.trimEnd());
  await waitForDirty(workbench, false, 'after one Undo');
});
