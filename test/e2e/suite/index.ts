import { readdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Mocha from 'mocha';
import { HOST_ENV, requireHostEnv } from '../harness/hostEnv';
import type { InHostRun, InHostTestResult } from '../harness/inHostResults';

/**
 * Entry of the in-host suites, in the shape @vscode/test-electron expects (`exports.run`): VS Code calls it
 * inside the extension host (here: code-server's, through the smoke-test driver; see test/e2e/harness/inHost.ts).
 * Every `*.test.js` bundled next to this file is a mocha `tdd` suite. Per-test results go to the JSON
 * file named by CONTEXTEN_E2E_RESULTS; the promise rejects when any test failed.
 */
export async function run(): Promise<void> {
  const resultsFile = requireHostEnv(HOST_ENV.results);
  const grep = process.env[HOST_ENV.grep];
  const mocha = new Mocha({ ui: 'tdd', timeout: 20_000, color: false, reporter: 'spec', ...(grep ? { grep } : {}) });
  for (const file of readdirSync(__dirname).filter((f) => f.endsWith('.test.js')).sort()) {
    mocha.addFile(path.join(__dirname, file));
  }
  const startedAt = new Date().toISOString();
  const tests: InHostTestResult[] = [];
  const describe = (t: Mocha.Runnable): Pick<InHostTestResult, 'title' | 'fullTitle' | 'file'> => ({
    title: t.title,
    fullTitle: t.fullTitle(),
    ...(t.file ? { file: path.basename(t.file) } : {}),
  });
  const failures = await new Promise<number>((resolve) => {
    const runner = mocha.run(resolve);
    runner.on('pass', (t) => tests.push({ ...describe(t), state: 'passed', ...(t.duration === undefined ? {} : { durationMs: t.duration }) }));
    runner.on('pending', (t) => tests.push({ ...describe(t), state: 'pending' }));
    // Also fires for failing hooks (their title says which hook), so a broken setup is never silent.
    runner.on('fail', (t, err: unknown) =>
      tests.push({ ...describe(t), state: 'failed', error: err instanceof Error ? (err.stack ?? err.message) : String(err) }),
    );
  });
  const report: InHostRun = { startedAt, finishedAt: new Date().toISOString(), tests };
  writeFileSync(resultsFile, JSON.stringify(report, null, 2));
  if (failures > 0) throw new Error(`${failures} in-host test(s) failed`);
}
