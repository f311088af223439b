import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { enterPrompt, OpenAiAdmin, panelButton, waitForRun } from './generationUi';

const FROM_PANEL = 'Write function neverAnsweredFromPanel';
const FROM_NOTIFICATION = 'Write function neverAnsweredFromNotification';

scenario('Cancel during a slow first token stops the request: from the results panel and from the progress notification; Retry runs it again', async ({ workbench, session }) => {
  const page = workbench.page;
  const openai = OpenAiAdmin.of(session);
  const progress = page.locator('.notifications-toasts .notification-toast', { hasText: 'generating with openai' });

  // 1. The panel's Cancel button.
  let before = (await openai.chats()).length;
  await openai.holdNextFirstToken();
  await workbench.runCommand('Contexten: Generate Code…');
  await enterPrompt(workbench, FROM_PANEL, 'Describe the code to generate');
  await openai.waitForChat(before, 'the held request', () => true);
  const frame = await waitForRun(workbench, FROM_PANEL, 'Generating…');
  await panelButton(frame, 'Cancel').click();

  const cancelled = await waitForRun(workbench, FROM_PANEL, 'Cancelled');
  // The HTTP request was aborted, not left waiting: the server saw the client leave before any token.
  const aborted = await openai.waitForChat(before, 'the panel-cancelled request to be aborted by the client', (r) => r.outcome === 'client-aborted');
  assert.equal((await openai.chats()).slice(before).length, 1, 'the cancelled request was retried');
  assert.equal(aborted.status, 200); // headers had gone out; the body never did
  assert.match((await cancelled.locator('.notice').textContent()) ?? '', /Cancelled\./);
  assert.equal(await cancelled.locator('.error-box').isVisible(), false, 'a cancellation is shown as an error');
  assert.equal(await panelButton(cancelled, 'Retry').isVisible(), true);
  await progress.first().waitFor({ state: 'detached' });

  // 2. The Cancel button of the progress notification.
  before = (await openai.chats()).length;
  await openai.holdNextFirstToken();
  await workbench.runCommand('Contexten: Generate Code…');
  await enterPrompt(workbench, FROM_NOTIFICATION, 'Describe the code to generate');
  await openai.waitForChat(before, 'the held request', () => true);
  await workbench.clickNotificationAction('generating with openai', 'Cancel');
  await waitForRun(workbench, FROM_NOTIFICATION, 'Cancelled');
  await openai.waitForChat(before, 'the notification-cancelled request to be aborted by the client', (r) => r.outcome === 'client-aborted');
  // Cancelling is quiet: no error notification.
  assert.equal(await page.locator('.notifications-toasts .notification-toast .codicon-error').count(), 0);

  // Retry runs the cancelled prompt again, to the end this time.
  before = (await openai.chats()).length;
  await panelButton(await waitForRun(workbench, FROM_NOTIFICATION, 'Cancelled'), 'Retry').click();
  const retried = await waitForRun(workbench, FROM_NOTIFICATION, 'Done');
  assert.match((await retried.locator('.code-blocks pre code').first().textContent()) ?? '', /export function neverAnsweredFromNotification/);
  assert.equal((await openai.waitForChat(before, 'the retried request', (r) => r.outcome === 'completed')).status, 200);
});
