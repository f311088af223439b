import assert from 'node:assert/strict';
import { pollUntil } from '../harness/poll';
import { scenario } from '../harness/scenario';
import { TEST_SECRETS } from '../harness/secrets';
import { clickViewAction, CodegenAdmin, ensureSignedIn, listedRunIds, runRow, TASKS_VIEW, type ServerRequest } from './tasksSteps';

const RUNS_LIST = '/agent/runs$';

scenario('a 429 storm and a 502 page on the runs list: the task list stays intact with a clear message, then recovers', async ({ workbench, session }) => {
  const admin = CodegenAdmin.of(session);
  await ensureSignedIn(workbench, TEST_SECRETS.codegenToken);
  await runRow(workbench, 101, 'complete').waitFor();
  const before = await listedRunIds(workbench);
  assert.ok(before.includes(101) && before.includes(103), `seeded runs listed: ${before.join(', ')}`);
  const view = workbench.view(TASKS_VIEW);
  const failedRow = view.locator('.monaco-list-row', { hasText: /^Refresh failed:/ });
  /** The answers to the runs list after request number `after` in the server log. */
  const listAnswers = async (after: number): Promise<ServerRequest[]> =>
    (await admin.requests()).filter((r) => r.seq > after && r.method === 'GET' && /\/agent\/runs$/.test(r.path));
  const lastSeq = async (): Promise<number> => (await admin.requests()).at(-1)?.seq ?? 0;

  try {
    // A short storm (two 429s with Retry-After) is absorbed by the retries: the user sees nothing wrong.
    let mark = await lastSeq();
    await admin.addFaults([{ path: RUNS_LIST, method: 'GET', kind: '429', times: 2, retryAfter: '1' }]);
    await clickViewAction(workbench, 'Refresh Agent Tasks');
    const absorbed = await pollUntil(
      'the runs list to succeed after two 429s',
      async () => {
        const answers = await listAnswers(mark);
        return answers.some((r) => r.status === 200) ? answers : undefined;
      },
      { timeoutMs: 15_000 },
    );
    assert.deepEqual(absorbed.map((r) => r.status), [429, 429, 200]);
    await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'refreshing agent tasks' }).waitFor({ state: 'hidden' });
    assert.equal(await failedRow.count(), 0);
    assert.equal(await workbench.page.locator('.notifications-toasts .notification-toast', { hasText: 'rate limit' }).count(), 0);

    // A storm longer than the retries: a clear message, the list as it was.
    mark = await lastSeq();
    await admin.addFaults([{ path: RUNS_LIST, method: 'GET', kind: '429', times: 4, retryAfter: '1' }]);
    await clickViewAction(workbench, 'Refresh Agent Tasks');
    const limited = await workbench.waitForNotification(/rate limit reached/);
    assert.match(await limited.innerText(), /HTTP 429[\s\S]*Wait a moment and try again/);
    await failedRow.filter({ hasText: 'rate limit reached' }).waitFor();
    assert.deepEqual(await listedRunIds(workbench), before);
    assert.deepEqual((await listAnswers(mark)).map((r) => r.status), [429, 429, 429, 429], '1 try + 3 retries, then stop');

    // A proxy's HTML 502 page: summarised, never dumped; the list as it was.
    await workbench.clearNotifications();
    await admin.addFaults([{ path: RUNS_LIST, method: 'GET', kind: '502-html', times: 4 }]);
    await clickViewAction(workbench, 'Refresh Agent Tasks');
    const failed = await workbench.waitForNotification(/HTTP 502/);
    const text = await failed.innerText();
    assert.match(text, /the server failed: Codegen failed on GET .*agent\/runs \(HTTP 502/);
    assert.doesNotMatch(text, /<\/?[a-z]+[ >]/i, 'no HTML in the message');
    await failedRow.filter({ hasText: 'HTTP 502' }).waitFor();
    assert.doesNotMatch(await failedRow.innerText(), /<\/?[a-z]+[ >]/i);
    assert.deepEqual(await listedRunIds(workbench), before);

    // The server is back: one refresh and the message is gone, the same runs listed.
    await workbench.clearNotifications();
    await clickViewAction(workbench, 'Refresh Agent Tasks');
    await failedRow.waitFor({ state: 'hidden' });
    assert.deepEqual(await listedRunIds(workbench), before);
    assert.equal(await admin.pendingFaults(), 0);
  } finally {
    await admin.clearFaults();
  }
}, { timeoutMs: 90_000 });
