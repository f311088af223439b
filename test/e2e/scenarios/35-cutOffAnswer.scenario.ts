import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { enterPrompt, fileOnDisk, OpenAiAdmin, panelButton, showEditorTab, waitForEditorText, waitForRun } from './generationUi';

const PROMPT = 'Write function cutOffAtTheTokenLimit';

scenario('An answer cut off at the token limit offers its code to copy only, and says why', async ({ workbench, session }) => {
  const openai = OpenAiAdmin.of(session);
  const before = fileOnDisk(session, 'src/main.ts');
  await workbench.openFile('src/main.ts');
  await waitForEditorText(workbench, 'main.ts open', (t) => t === before);
  // Cut in the sentence after the code block: the block itself is closed, the answer is not whole.
  await openai.cutOffNextAnswer(2);
  await workbench.runCommand('Contexten: Generate Code…');
  await enterPrompt(workbench, PROMPT, 'Describe the code to generate');
  const frame = await waitForRun(workbench, PROMPT, 'Done');

  const block = frame.locator('.code-blocks .code-block').first();
  await block.waitFor();
  assert.match((await block.locator('pre').textContent()) ?? '', /export function cutOffAtTheTokenLimit/);
  assert.equal(await block.locator('.badge.warning').textContent(), 'answer cut off');
  const labels = (await block.locator('.code-toolbar button').allTextContents()).map((t) => t.trim());
  assert.deepEqual(labels, ['Copy'], 'a cut-off answer offers no edit of the file');
  assert.match((await frame.locator('.notice').first().textContent()) ?? '', /can be copied, not put into a file/);

  // Copy still works, and the file was never touched.
  await panelButton(frame, 'Copy', '.code-blocks').click();
  await frame.locator('.code-blocks button', { hasText: 'Copied' }).first().waitFor();
  assert.equal(await showEditorTab(workbench, 'main.ts'), before);
});
