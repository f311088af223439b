import assert from 'node:assert/strict';
import { pollUntil } from '../harness/poll';
import { scenario } from '../harness/scenario';
import { TEST_SECRETS } from '../harness/secrets';
import { clipboardChangedFrom, createTask, ensureSignedIn, openTasksView, runRow } from './tasksSteps';

/** Long enough for a run (PENDING 1 s + RUNNING 5 s on the contract server) plus a few 2 s polls. */
const RUN_FINISHES_MS = 25_000;

scenario('an agent task from the palette runs to COMPLETE in the tree; its logs, result and a resumed follow-up', async ({ workbench }) => {
  await ensureSignedIn(workbench, TEST_SECRETS.codegenToken);
  await openTasksView(workbench);

  const id = await createTask(workbench, 'Add a health-check endpoint and open a PR');
  await runRow(workbench, id).waitFor();
  await runRow(workbench, id, 'running').waitFor({ timeout: RUN_FINISHES_MS });
  await runRow(workbench, id, 'complete').waitFor({ timeout: RUN_FINISHES_MS });
  await workbench.waitForNotification(`agent run #${id} finished`);

  // Its children: the pull request (the prompt asked for one), the summary and the result.
  const row = runRow(workbench, id, 'complete');
  await row.click();
  const view = workbench.view('Agent Tasks');
  await view.locator('.monaco-list-row', { hasText: /^Result/ }).first().waitFor();
  await view.locator('.monaco-list-row', { hasText: /^Summary/ }).first().waitFor();
  await view.locator('.monaco-list-row', { hasText: 'Contexten sandbox: Add a health-check endpoint' }).first().waitFor();

  // Logs: a read-only document with the run's entries.
  await workbench.contextMenu(row, 'Show Task Logs');
  await workbench.page.locator('.tabs-container .tab.active', { hasText: `run-${id}.log` }).waitFor();
  // Spaces collapsed: what Monaco renders sometimes carries an extra space between spans.
  const logs = await pollUntil(
    'the logs document to render',
    async () => {
      const text = (await workbench.editorText()).replace(/ {2,}/g, ' ');
      return /log entries/.test(text) ? text : undefined;
    },
    { timeoutMs: 10_000 },
  );
  assert.match(logs, new RegExp(`Agent run #${id} — COMPLETE`));
  const counts = /(\d+) of (\d+) log entries/.exec(logs);
  assert.ok(counts, `no entry count in the logs document:\n${logs}`);
  assert.ok(Number(counts[1]) > 5 && counts[1] === counts[2], `expected every log entry, got "${counts[0]}"`);
  assert.match(logs, /USER_MESSAGE[\s\S]*observation: Add a health-check endpoint and open a PR/);
  assert.match(logs, /PLAN_EVALUATION/);

  // Copy Result puts the run's result on the clipboard.
  await workbench.page.context().grantPermissions(['clipboard-read', 'clipboard-write']);
  await workbench.page.evaluate(() => navigator.clipboard.writeText(''));
  await workbench.contextMenu(row, 'Copy Task Result');
  const copied = await clipboardChangedFrom(workbench, '');
  assert.match(copied, /^I made the change you asked for: "Add a health-check endpoint and open a PR"/);
  assert.match(copied, /```ts\n[\s\S]*\n```/, 'the result holds the fenced code block the agent wrote');
  await workbench.page.locator('.part.statusbar', { hasText: 'result copied' }).waitFor();

  // Resume with a follow-up: active again, then complete, with the follow-up in summary and result.
  await workbench.clearNotifications();
  await workbench.contextMenu(row, 'Resume Task with Follow-up…');
  await workbench.fillQuickInput('Also add a test for the endpoint', { prompt: 'Follow-up instructions' });
  await runRow(workbench, id, 'running').waitFor({ timeout: RUN_FINISHES_MS });
  await runRow(workbench, id, 'complete').filter({ hasText: '(+1 follow-up)' }).waitFor({ timeout: RUN_FINISHES_MS });
  await workbench.waitForNotification(`agent run #${id} finished`);
  await workbench.contextMenu(runRow(workbench, id, 'complete'), 'Copy Task Result');
  const resumed = await clipboardChangedFrom(workbench, copied);
  assert.ok(resumed.startsWith(copied), 'the first answer is kept');
  assert.match(resumed, /Follow-up done: "Also add a test for the endpoint"/);
}, { timeoutMs: 120_000 });
