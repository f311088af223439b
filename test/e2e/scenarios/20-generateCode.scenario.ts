import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { clipboardChangedFrom } from './tasksSteps';
import { enterPrompt, fileOnDisk, moveCursor, OpenAiAdmin, panelButton, resultsFrame, showEditorTab, undoInActiveEditor, waitForDirty, waitForEditorText, waitForRun } from './generationUi';

const PROMPT = 'Write function slugifyTitle for blog post titles';
const CODE = 'export function slugifyTitle(value: string): string {\n  return value.trim();\n}';

interface RecordingWindow {
  __e2eMessages?: string[];
}

scenario('Generate Code… (Ctrl+Alt+G without a selection): the answer streams into the results panel with highlighted code; Insert at Cursor and Replace Selection edit the editor, one undo step each', async ({ workbench, session }) => {
  const openai = OpenAiAdmin.of(session);
  const original = fileOnDisk(session, 'src/main.ts');
  await workbench.openFile('src/main.ts');
  await moveCursor(workbench, 4, 1); // the empty last line
  const before = (await openai.chats()).length;
  await openai.holdNextFirstToken();

  // Ctrl+Alt+G with no selection (the cursor on an empty line): Generate Code…, as the palette would run it.
  await workbench.page.keyboard.press('Control+Alt+G');
  await enterPrompt(workbench, PROMPT, 'Describe the code to generate');

  // The request is out and its first token held: the panel shows the run as generating, with Cancel.
  const request = await openai.waitForChat(before, 'the generation request', () => true);
  assert.equal(request.body?.stream, true, 'the answer was not requested as a stream');
  const streaming = await waitForRun(workbench, PROMPT, 'Generating…');
  await panelButton(streaming, 'Cancel').waitFor();
  // From here on, record every message the extension posts to the panel's page.
  await streaming.evaluate(() => {
    const w = window as RecordingWindow;
    w.__e2eMessages = [];
    window.addEventListener('message', (e: MessageEvent<{ type?: string }>) => w.__e2eMessages?.push(String(e.data.type)));
  });
  await openai.releaseFirstTokens();

  const frame = await waitForRun(workbench, PROMPT, 'Done');
  // (Performance reports arrive every 2 s whatever happens: not part of the run's messages.)
  const messages = (await frame.evaluate(() => (window as RecordingWindow).__e2eMessages ?? [])).filter((m) => m !== 'performance');
  const tokens = messages.filter((m) => m === 'token').length;
  assert.ok(tokens >= 5, `expected the answer in many streamed pieces, got ${tokens} (${messages.join(', ')})`);
  assert.equal(messages.indexOf('generationFinished'), messages.lastIndexOf('token') + 1, `unexpected order: ${messages.join(', ')}`);
  assert.equal(await panelButton(frame, 'Cancel').isVisible(), false, 'Cancel is still shown after the run finished');

  // The code block: its language, its exact text, highlighted by highlight.js.
  const block = frame.locator('.code-blocks .code-block').first();
  assert.equal(await block.locator('.code-lang').textContent(), 'typescript');
  assert.equal((await block.locator('pre code').textContent())?.trimEnd(), CODE);
  const keywords = await block.locator('code .hljs-keyword').allTextContents();
  assert.ok(keywords.includes('export') && keywords.includes('function') && keywords.includes('return'), `keywords highlighted: ${keywords.join(', ')}`);
  assert.match((await frame.locator('[data-testid="answer"]').textContent()) ?? '', /It returns its input without surrounding whitespace\./);

  // Copy puts exactly the code block on the clipboard (through the extension, as VS Code's clipboard).
  await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await workbench.page.evaluate(() => navigator.clipboard.writeText(''));
  await panelButton(frame, 'Copy', '.code-blocks').click();
  assert.equal(await clipboardChangedFrom(workbench, ''), `${CODE}\n`);

  await panelButton(frame, 'Insert at Cursor', '.code-blocks').click();
  await showEditorTab(workbench, 'main.ts');
  const text = await waitForEditorText(workbench, 'the inserted code', (t) => t.includes('slugifyTitle'));
  assert.ok(text.includes(`console.log(greet({ name: 'world', punctuation: '!' }));\n${CODE}`), `the code is not at the cursor (end of file):\n${text}`);

  await waitForDirty(workbench, true, 'after Insert at Cursor');

  // One undo step takes the insertion back to exactly the saved file.
  await undoInActiveEditor(workbench);
  const restored = await waitForEditorText(workbench, 'the original file', (t) => !t.includes('slugifyTitle'));
  assert.equal(restored.trimEnd(), original.trimEnd());
  await waitForDirty(workbench, false, 'after one Undo');

  // Replace Selection: the selected first line gives way to the code; again one undo step.
  await moveCursor(workbench, 1, 1);
  await workbench.page.keyboard.press('Shift+End');
  await workbench.page.locator('.statusbar-item', { hasText: /Ln 1, Col \d+ \(\d+ selected\)/ }).first().waitFor();
  await panelButton(await resultsFrame(workbench), 'Replace Selection', '.code-blocks').click();
  await showEditorTab(workbench, 'main.ts');
  const replaced = await waitForEditorText(workbench, 'the first line replaced', (t) => t.startsWith('export function slugifyTitle'));
  assert.equal(replaced.trimEnd(), `${CODE}\n${original.split('\n').slice(1).join('\n')}`.trimEnd());
  await undoInActiveEditor(workbench);
  await waitForEditorText(workbench, 'the original file', (t) => t.trimEnd() === original.trimEnd());
  await waitForDirty(workbench, false, 'after undoing Replace Selection');
});
