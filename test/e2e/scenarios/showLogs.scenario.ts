import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';

scenario('Contexten: Show Logs opens the output channel with the activation line', async ({ workbench }) => {
  await workbench.runCommand('Contexten: Show Logs');
  // The command itself must reveal the channel: nothing here opens it.
  const shown = await workbench.waitForOutputText('Contexten Codegen', /Contexten Codegen \d+\.\d+\.\d+ activated/);
  assert.match(shown, /\[info\] Contexten Codegen \d+\.\d+\.\d+ activated/);
});
