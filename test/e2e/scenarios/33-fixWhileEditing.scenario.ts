import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import type { Workbench } from '../harness/workbench';
import { errorSquiggles, fileOnDisk, moveCursor, OpenAiAdmin, panelButton, showEditorTab, undoInActiveEditor, waitForDirty, waitForEditorText, waitForRun } from './generationUi';

const FIXED = 'export function shout(value: string): string {\n  return value.trim();\n}';
const FIX_PROMPT = /^Fix this error in src\/shout\.ts at line 3 \(ts 2322\)/;
const DIFF_TAB = 'shout.ts ↔ Fix with Context (proposed)';

/** Types `text` at `line`:`column` of shout.ts (its tab focused first: a quick fix leaves the focus in the results panel). */
async function typeAt(workbench: Workbench, line: number, column: number, text: string): Promise<void> {
  await showEditorTab(workbench, 'shout.ts');
  await moveCursor(workbench, line, column);
  await workbench.page.keyboard.type(text);
}

/** Undoes in shout.ts until it shows `original` again (typing may take more than one undo step). */
async function undoUntil(workbench: Workbench, original: string): Promise<void> {
  await showEditorTab(workbench, 'shout.ts');
  for (let i = 0; i < 10; i++) {
    const before = await workbench.editorText();
    if (before === original) break;
    await undoInActiveEditor(workbench);
    await waitForEditorText(workbench, `undo step ${i + 1}`, (t) => t !== before);
  }
  assert.equal(await workbench.editorText(), original);
}

scenario('Fix with Context: Retry after a cancelled fix shows the diff again; an edit made while the fix is generated moves the fix with its lines', async ({ workbench, session }) => {
  const page = workbench.page;
  const openai = OpenAiAdmin.of(session);
  const original = fileOnDisk(session, 'src/shout.ts');
  await workbench.openFile('src/shout.ts');
  await errorSquiggles(workbench).first().waitFor({ timeout: 45_000 });
  // A last line of our own makes the lines around the error (and so the prompt) new: no cached answer from before.
  await typeAt(workbench, 6, 1, '// tail A');

  // 1. A fix cancelled while it waits for its first token, then retried: the retried fix is offered as a diff too.
  let before = (await openai.chats()).length;
  await openai.holdNextFirstToken();
  await moveCursor(workbench, 3, 9);
  await workbench.applyQuickFix('Fix with Context');
  await openai.waitForChat(before, 'the held fix request', () => true);
  await panelButton(await waitForRun(workbench, FIX_PROMPT, 'Generating…'), 'Cancel').click();
  await panelButton(await waitForRun(workbench, FIX_PROMPT, 'Cancelled'), 'Retry').click();
  await waitForRun(workbench, FIX_PROMPT, 'Done');
  await page.locator('.tabs-container .tab.active', { hasText: DIFF_TAB }).first().waitFor();
  await workbench.clickNotificationAction(/apply the proposed change to shout\.ts\?/, 'Discard');
  assert.equal(await showEditorTab(workbench, 'shout.ts'), `${original}// tail A`);

  // 2. The user adds a line above the faulty code while the fix is being generated: the fix replaces the lines it
  // was made for, now one further down, and the new line stays.
  await typeAt(workbench, 6, 10, ' and B');
  before = (await openai.chats()).length;
  await openai.holdNextFirstToken();
  await moveCursor(workbench, 3, 9);
  await workbench.applyQuickFix('Fix with Context');
  await openai.waitForChat(before, 'the second held fix request', () => true);
  // A new first line: Enter first (Enter after a line comment would continue the comment on the next line).
  await typeAt(workbench, 1, 1, '');
  await page.keyboard.press('Enter');
  await page.keyboard.press('ArrowUp');
  await page.keyboard.type('// added meanwhile');
  await waitForEditorText(workbench, 'the added line', (t) => t.startsWith('// added meanwhile\n// Deliberately broken'));
  await openai.releaseFirstTokens();
  await waitForRun(workbench, FIX_PROMPT, 'Done');
  await page.locator('.tabs-container .tab.active', { hasText: DIFF_TAB }).first().waitFor();
  await workbench.clickNotificationAction(/apply the proposed change to shout\.ts\?/, 'Apply');
  const fixed = await waitForEditorText(workbench, 'the fixed shout.ts', (t) => t.includes('value.trim()'));
  // (The answer is the function alone: the comments around it, among the lines asked for too, stay.)
  assert.equal(fixed, `// added meanwhile\n${original.split('\n')[0]}\n${FIXED}\n// tail A and B`);

  // Back to the broken original, for the scenarios after this one.
  await undoUntil(workbench, original);
  await waitForDirty(workbench, false, 'after undoing everything');

  // 3. Generate Code… offers the prompts the user typed as recent ones, never a fix's prompt (it holds source lines).
  await workbench.runCommand('Contexten: Generate Code…');
  // Typing filters the recent prompts to those with the text (so none is left out of view) and adds the typed one as
  // "Use this prompt": once that row shows, the list the user sees is rendered.
  const input = await workbench.waitForQuickInput({ prompt: 'Describe the code to generate' });
  await input.fill('Fix this error');
  await workbench.quickInput.locator('.monaco-list-row', { hasText: 'Use this prompt' }).first().waitFor();
  const offered = await workbench.quickInput.locator('.monaco-list-row').allTextContents();
  await page.keyboard.press('Escape');
  assert.equal(offered.filter((t) => t.includes('Use this prompt')).length, 1, `the typed prompt is offered once: ${JSON.stringify(offered)}`);
  assert.deepEqual(offered.filter((t) => t.includes('Fix this error') && !t.includes('Use this prompt')), [], 'a fix prompt is offered as a recent prompt');
}, { timeoutMs: 120_000 });
