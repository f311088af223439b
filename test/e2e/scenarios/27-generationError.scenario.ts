import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { TEST_SECRETS } from '../harness/secrets';
import { enterPrompt, OpenAiAdmin, panelButton, waitForRun } from './generationUi';

const PROMPT = 'Write function rejectedByTheModelServer';

scenario('A rejected OpenAI-compatible key fails the run with its next step: the panel offers to set the key', async ({ workbench, session }) => {
  const openai = OpenAiAdmin.of(session);
  // A key is stored, as a user stores it (as scenario 23 does; this one may run alone, e.g. `npm run test:e2e --
  // generationError`): without one the 401 says that no key is stored, not that the key was rejected.
  await workbench.runCommand('Contexten: Set OpenAI-Compatible API Key');
  await workbench.fillQuickInput(TEST_SECRETS.openAiApiKey, { prompt: 'Key for', password: true });
  await workbench.waitForNotification(/API key for \S+ stored in VS Code secret storage/);
  await openai.rejectNextKey();
  await workbench.runCommand('Contexten: Generate Code…');
  await enterPrompt(workbench, PROMPT, 'Describe the code to generate');

  const frame = await waitForRun(workbench, PROMPT, 'Failed');
  const message = (await frame.locator('.error-box .error-message').textContent()) ?? '';
  assert.match(message, /The model server rejected the API token \(HTTP 401: Incorrect API key provided\.\)/);
  assert.doesNotMatch(message, /Codegen|Sign in/i, 'the error points to the Codegen sign-in, not to the model server key');
  // The same next step in the notification and in the panel; the panel's button runs it.
  await workbench.waitForNotification(/The model server rejected the API token/);
  await panelButton(frame, 'Set API Key', '.error-box').click();
  await workbench.waitForQuickInput({ prompt: 'Key for', password: true });
  await workbench.page.keyboard.press('Escape');
});
