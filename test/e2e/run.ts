import { appendFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { run, type RunOptions } from 'node:test';
import { spec } from 'node:test/reporters';
import { pipeline } from 'node:stream/promises';
import { Writable } from 'node:stream';
import { RUN_LAYOUT } from './harness/paths';
import { getSession, resetRunDirs, stopSession } from './harness/session';

/**
 * The e2e driver (scripts/e2e.sh runs it): starts one session (contract servers, code-server with the
 * .vsix, Chromium), then runs in one process and in this order: the in-host suites, every Playwright
 * scenario in test/e2e/scenarios/ (alphabetical), and the secrets-leak check. Prints node:test's spec
 * report and one summary line; exit code 1 on any failure.
 *
 * Arguments: substrings selecting scenario files (the in-host suites and the leak check always run).
 * CONTEXTEN_E2E_GREP: a mocha grep for the in-host tests.
 */
const E2E_ROOT = __dirname;
const SCENARIOS_DIR = path.join(E2E_ROOT, 'scenarios');

function selectFiles(filters: readonly string[]): string[] {
  const scenarios = readdirSync(SCENARIOS_DIR)
    .filter((f) => f.endsWith('.scenario.ts'))
    .filter((f) => filters.length === 0 || filters.some((s) => f.includes(s)))
    .sort()
    .map((f) => path.join(SCENARIOS_DIR, f));
  return [path.join(E2E_ROOT, 'inHost.e2e.ts'), ...scenarios, path.join(E2E_ROOT, 'secretsLeak.e2e.ts')];
}

/** Everything this process prints also goes to a file, which the secrets-leak check scans. */
function captureOutput(file: string): void {
  for (const stream of [process.stdout, process.stderr]) {
    const write = stream.write.bind(stream) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
    stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
      appendFileSync(file, chunk);
      return write(chunk, ...rest);
    }) as typeof stream.write;
  }
}

async function main(): Promise<number> {
  const [major = 0, minor = 0] = process.versions.node.split('.').map(Number);
  if (major < 22 || (major === 22 && minor < 8)) {
    // Older Node would run each file in its own process, each with its own servers.
    console.log(`[e2e] FAILED: Node >= 22.8 needed for the e2e driver, this is ${process.version} (source scripts/env.sh)`);
    return 1;
  }
  const started = performance.now();
  const seconds = (): string => ((performance.now() - started) / 1000).toFixed(1);
  resetRunDirs();
  captureOutput(RUN_LAYOUT.capturedOutput);
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      console.error(`[e2e] ${signal}: stopping servers and browser`);
      void stopSession().finally(() => process.exit(130));
    });
  }
  const files = selectFiles(process.argv.slice(2));
  try {
    const session = await getSession();
    console.log(`[e2e] code-server ${session.codeServer.origin} with the .vsix installed, Chromium up: ${seconds()} s`);
    // Load the scenarios' shared window while the in-host suites run (a failure surfaces in the first scenario).
    if (files.some((f) => f.endsWith('.scenario.ts'))) void session.sharedWorkbench().catch(() => undefined);
  } catch (err) {
    console.error(`[e2e] could not start the e2e session: ${err instanceof Error ? err.message : String(err)}`);
    await stopSession();
    console.log(`[e2e] FAILED: session did not start (${seconds()} s)`);
    return 1;
  }

  let counts: { passed: number; failed: number; skipped: number; tests: number } | undefined;
  let failures = 0;
  // One process for all files (isolation 'none', Node >= 22.8; @types/node 20 does not know the option yet),
  // so every test file shares the session started above.
  const options: RunOptions & { isolation: 'none' } = { files, isolation: 'none', concurrency: 1 };
  const stream = run(options);
  stream.on('test:fail', () => failures++);
  stream.on('test:summary', (data) => {
    // The last summary without a file is the whole run's.
    if (data.file === undefined) {
      counts = { passed: data.counts.passed, failed: data.counts.failed, skipped: data.counts.skipped, tests: data.counts.tests };
    }
  });
  try {
    await pipeline(
      stream.compose(new spec()),
      new Writable({
        write(chunk: Buffer | string, _encoding, callback) {
          process.stdout.write(chunk);
          callback();
        },
      }),
    );
  } finally {
    await stopSession();
  }
  // Under CI=true nothing is skipped: a skipped test fails the run.
  const ok = failures === 0 && counts !== undefined && counts.failed === 0 && counts.tests > 0 && (process.env.CI !== 'true' || counts.skipped === 0);
  const c = counts ?? { passed: 0, failed: 0, skipped: 0, tests: 0 };
  console.log(`[e2e] ${ok ? 'PASSED' : 'FAILED'}: ${c.passed} passed, ${c.failed} failed, ${c.skipped} skipped of ${c.tests} tests in ${seconds()} s`);
  return ok ? 0 : 1;
}

main().then(
  (code) => process.exit(code),
  async (err: unknown) => {
    console.error(err);
    await stopSession();
    process.exit(1);
  },
);
