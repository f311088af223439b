import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { TEST_SECRETS } from '../harness/secrets';
import { authStatusItem, CodegenAdmin, openTasksView, runRow, SANDBOX_ORG_ID, SANDBOX_USER, SIGNED_IN_STATUS, signOut, welcomeSignInButton } from './tasksSteps';

// Runs in the shared window (already loaded, so no fresh-window cost) and leaves it signed in for the
// following tasks scenarios; tasks-5-revokedToken ends with the sign-out.
scenario('Codegen sign-in: a wrong token is refused and stores nothing; the right one signs in (status bar, welcome view gone, runs listed)', async ({ workbench, session }) => {
  const admin = CodegenAdmin.of(session);
  await openTasksView(workbench);
  await authStatusItem(workbench).waitFor();
  if (!(await authStatusItem(workbench).innerText()).includes('Sign In')) await signOut(workbench); // an earlier scenario signed in
  await welcomeSignInButton(workbench).waitFor();
  await authStatusItem(workbench).filter({ hasText: 'Sign In' }).waitFor();

  // A wrong token: refused with the reason and a way forward; nothing changes.
  await workbench.runCommand('Contexten: Sign In to Codegen');
  await workbench.fillQuickInput(SANDBOX_ORG_ID, { prompt: 'organization id' });
  await workbench.fillQuickInput(TEST_SECRETS.wrongCodegenToken, { prompt: 'API token', password: true });
  const refused = await workbench.waitForNotification(/rejected the API token/);
  assert.match(await refused.innerText(), /HTTP 401[\s\S]*Sign in again with a valid token/);
  assert.equal(await refused.locator('.monaco-button', { hasText: /^Sign In$/ }).count(), 1, 'the error offers to sign in again');
  await authStatusItem(workbench).filter({ hasText: 'Sign In' }).waitFor();
  await welcomeSignInButton(workbench).waitFor();
  const checks = (await admin.requests()).filter((r) => r.path === '/v1/users/me');
  assert.deepEqual([checks.at(-1)?.status, checks.at(-1)?.auth], [401, 'invalid'], 'the token was checked before anything was stored');

  // Another window of the same user reads the secret storage when it starts: still signed out there.
  const second = await session.openWorkbench({ sharingStorageWith: workbench });
  try {
    await openTasksView(second);
    await welcomeSignInButton(second).waitFor();
    await authStatusItem(second).filter({ hasText: 'Sign In' }).waitFor();
  } finally {
    await second.close();
  }

  // The right token, from the welcome view's Sign In button.
  await workbench.clearNotifications();
  await welcomeSignInButton(workbench).click();
  await workbench.fillQuickInput(SANDBOX_ORG_ID, { prompt: 'organization id' });
  await workbench.fillQuickInput(TEST_SECRETS.codegenToken, { prompt: 'API token', password: true });
  await workbench.waitForNotification(`signed in to Codegen as ${SANDBOX_USER} (Sandbox Org)`);
  await authStatusItem(workbench).filter({ hasText: SIGNED_IN_STATUS }).waitFor();
  await welcomeSignInButton(workbench).waitFor({ state: 'hidden' });
  await runRow(workbench, 101, 'complete').waitFor();
  await runRow(workbench, 103, 'failed').waitFor();
  await runRow(workbench, 104, 'awaiting review').waitFor();
});
