import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import path from 'node:path';
import { test } from 'node:test';
import { findExtensionLogs } from './harness/extensionLogs';
import { ARTIFACTS_DIR, RUN_DIR, RUN_LAYOUT } from './harness/paths';
import { TEST_SECRET_ENTRIES } from './harness/secrets';
import { listFilesUnder, scanFilesForSecrets } from './harness/secretLeakScan';
import { stopSession } from './harness/session';

// Always the last e2e test: stops everything (so logs are flushed), then greps every file the run
// produced — code-server, extension host and output channel logs of every server, contract server
// logs, settings and state, in-host results, saved artifacts and the captured test output — for the
// test secrets.
void test('no test secret appears in any log, state file or output of the run', async () => {
  await stopSession();

  const profiles = readdirSync(RUN_LAYOUT.profiles).map((name) => path.join(RUN_LAYOUT.profiles, name));
  // Not the bundled tests (they hold the secrets on purpose) nor the installed extensions.
  const skip = ['build', ...profiles.map((p) => path.relative(RUN_DIR, path.join(p, 'extensions')))];
  const files = [...listFilesUnder(RUN_DIR, skip), ...listFilesUnder(ARTIFACTS_DIR)];

  // The check must have something to look at, or it would pass vacuously.
  const productLogs = profiles.flatMap((p) => findExtensionLogs(path.join(p, 'user-data')));
  assert.ok(productLogs.length > 0, 'the extension wrote no output channel log');
  const serverLogs = files.filter((f) => f.endsWith('code-server.log'));
  assert.ok(serverLogs.length >= 2, `expected the logs of both code-servers, found ${serverLogs.length}`);
  for (const required of [RUN_LAYOUT.capturedOutput, ...productLogs]) {
    assert.ok(files.includes(required), `expected ${required} among the scanned files`);
  }
  assert.ok(files.some((f) => /[\\/]exthost\d+[\\/]/.test(f)), 'no extension host log found');

  const hits = scanFilesForSecrets(files, TEST_SECRET_ENTRIES);
  const report = hits.map((h) => `  ${h.secret} in ${path.relative(RUN_DIR, h.file)}:${h.line}`).join('\n');
  assert.equal(hits.length, 0, `test secrets leaked (scanned ${files.length} files):\n${report}`);
  console.log(`[e2e] secrets-leak check: ${files.length} files scanned, no test secret found`);
});
