import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runInHostSuites } from './harness/inHost';
import { getSession } from './harness/session';

// Layer 1: the mocha suites of test/e2e/suite/, run inside code-server's extension host next to the
// extension installed from the .vsix. Each in-host test is reported here as a subtest.
void test('in-host suites (mocha inside the VS Code extension host)', { timeout: 180_000 }, async (t) => {
  const { exitCode, run } = await runInHostSuites(await getSession(), { timeoutMs: 150_000 });
  assert.ok(run.tests.length > 0, 'the in-host suites ran no test');
  const suiteMs = Date.parse(run.finishedAt) - Date.parse(run.startedAt);
  t.diagnostic(`${run.tests.length} in-host tests ran in ${(suiteMs / 1000).toFixed(1)} s inside the extension host`);
  for (const result of run.tests) {
    await t.test(result.fullTitle, { skip: result.state === 'pending' }, () => {
      if (result.state === 'failed') throw new Error(result.error ?? 'failed');
    });
  }
  assert.ok(exitCode === 0 || run.tests.some((r) => r.state === 'failed'), `run() rejected (exit ${exitCode}) though no test failed`);
});
