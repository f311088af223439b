import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { TEST_SECRETS } from '../harness/secrets';
import { CodegenAdmin, createTask, ensureSignedIn, runRow } from './tasksSteps';

scenario('Stop Task on a running agent task: the run is stopped and its row says so', async ({ workbench, session }) => {
  const admin = CodegenAdmin.of(session);
  await ensureSignedIn(workbench, TEST_SECRETS.codegenToken);

  const id = await createTask(workbench, 'Move the logger into its own module');
  // Held RUNNING on the server, so the click never races the run's end on a slow machine.
  await admin.freezeRun(id, 'RUNNING');
  const running = runRow(workbench, id, 'running');
  await running.waitFor();
  await workbench.clickRowAction(running, 'Stop Task');

  const stopped = runRow(workbench, id, 'stopped');
  await stopped.waitFor();
  await workbench.waitForNotification(`run #${id} stopped`);
  const stops = (await admin.requests()).filter(
    (r) => r.method === 'POST' && r.path.endsWith('/agent/run/stop') && (r.body as { agent_run_id?: unknown } | undefined)?.agent_run_id === id,
  );
  assert.deepEqual(stops.map((r) => r.status), [200], 'one stop request for the run');

  // A stopped run is finished: its row no longer offers Stop.
  await stopped.hover();
  await stopped.locator('.actions .action-label[aria-label="Open Task in Browser"]').waitFor();
  assert.equal(await stopped.locator('.actions .action-label[aria-label="Stop Task"]').count(), 0);
});
