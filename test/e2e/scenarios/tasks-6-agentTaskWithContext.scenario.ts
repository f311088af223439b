import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { TEST_SECRETS } from '../harness/secrets';
import { enterPrompt, fileOnDisk, moveCursor } from './generationUi';
import { CodegenAdmin, ensureSignedIn, runRow, TASKS_VIEW } from './tasksSteps';

const DESCRIPTION = 'Add a discount parameter to describeCart and show the discounted price';

scenario('Run Agent Task with Context from the editor menu on a selection: the run carries the selected lines and ranked workspace excerpts; the sidebar follows it', async ({ workbench, session }) => {
  const admin = CodegenAdmin.of(session);
  const page = workbench.page;
  await ensureSignedIn(workbench, TEST_SECRETS.codegenToken);
  await page.locator('.statusbar-item', { hasText: /Context: \d+ files/ }).first().waitFor({ timeout: 30_000 });

  // Select describeCart, whole lines, as a person does with the keyboard.
  const lines = fileOnDisk(session, 'src/cart.ts').split('\n');
  const first = lines.findIndex((l) => l.startsWith('export function describeCart')) + 1;
  const last = lines.findIndex((l, i) => i >= first && l === '}') + 1;
  assert.ok(first > 0 && last > first, 'the fixture changed: src/cart.ts has no describeCart function');
  await workbench.openFile('src/cart.ts');
  await moveCursor(workbench, first, 1);
  for (let i = first; i <= last; i++) await page.keyboard.press('Shift+ArrowDown');
  await page.locator('.statusbar-item', { hasText: new RegExp(`Ln ${last + 1}, Col 1 \\(\\d+ selected\\)`) }).first().waitFor();

  const mark = Math.max(0, ...(await admin.requests()).map((r) => r.seq));
  // Right-click inside the selection (the palette's Escape would clear it) and choose the menu entry.
  await workbench.contextMenu(page.locator('.editor-group-container.active .view-line', { hasText: 'export function describeCart' }).first(), 'Run Agent Task with Context');
  await enterPrompt(workbench, DESCRIPTION, 'What should the Codegen agent do?');
  const started = /agent task #(\d+) started with (\d+) context items/;
  const toast = await workbench.waitForNotification(started);
  const [, id, count] = started.exec(await toast.innerText()) ?? [];
  assert.ok(id !== undefined && count !== undefined);
  assert.ok(Number(count) > 0, 'the task was started without workspace context');

  // What the Codegen service received: one run, whose prompt holds the ranked excerpts, the task and the selection.
  const created = (await admin.requests()).filter((r) => r.seq > mark && r.method === 'POST' && r.path.endsWith('/agent/run'));
  assert.equal(created.length, 1, 'expected exactly one run to be created');
  const prompt = (created[0]?.body as { prompt?: unknown } | undefined)?.prompt;
  assert.ok(typeof prompt === 'string', 'the run was created without a prompt');
  const excerpts = prompt.match(/^### \S+ \(lines? [\d-]+\)/gm) ?? [];
  assert.equal(excerpts.length, Number(count), 'the notification and the prompt disagree on the number of context items');
  assert.match(prompt, /^### src\/money\.ts \(lines? [\d-]+\): function formatPrice/m, 'describeCart calls formatPrice: its definition belongs in the context');
  const selected = lines.slice(first - 1, last).join('\n');
  assert.ok(
    prompt.includes(`## Task\n\n${DESCRIPTION}\n\nCode supplied with the task:\n`) &&
      prompt.includes(`Selected code from src/cart.ts lines ${first}-${last} (typescript):\n\`\`\`typescript\n${selected}\n\`\`\``),
    `the task and the selected lines are not in the prompt as expected; its end:\n${prompt.slice(prompt.indexOf('## Task'))}`,
  );

  // The notification's "Show Tasks" opens the sidebar, which follows the run.
  await toast.locator('.monaco-button', { hasText: /^Show Tasks$/ }).first().click();
  await workbench.view(TASKS_VIEW).waitFor();
  await runRow(workbench, Number(id)).waitFor();
  await runRow(workbench, Number(id), 'complete').waitFor({ timeout: 25_000 });
}, { timeoutMs: 90_000 });
