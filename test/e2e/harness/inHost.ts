import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { saveFailureArtifacts } from './artifacts';
import { findExtensionLogs } from './extensionLogs';
import { HOST_ENV } from './hostEnv';
import { InHostRunSchema, type InHostRun } from './inHostResults';
import { RUN_LAYOUT, SUITE_SOURCE_DIR, TEST_EXTENSION_DIR } from './paths';
import { startRunCodeServer, type E2eSession } from './session';

const SUITE_OUT_DIR = path.join(RUN_LAYOUT.build, 'suite');

/**
 * Bundles test/e2e/suite/index.ts and every *.test.ts next to it into .e2e/run/build/suite/
 * (vscode and mocha stay external: the extension host provides vscode, mocha resolves from the repo).
 */
export async function bundleInHostSuite(): Promise<string> {
  const tests = readdirSync(SUITE_SOURCE_DIR).filter((f) => f.endsWith('.test.ts'));
  rmSync(SUITE_OUT_DIR, { recursive: true, force: true });
  await esbuild.build({
    entryPoints: [path.join(SUITE_SOURCE_DIR, 'index.ts'), ...tests.map((f) => path.join(SUITE_SOURCE_DIR, f))],
    outdir: SUITE_OUT_DIR,
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20.9',
    sourcemap: 'inline',
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
  return path.join(SUITE_OUT_DIR, 'index.js');
}

export interface InHostOutcome {
  /** 0: run() resolved, 1: it rejected (the code the page reports through codeAutomationExit). */
  readonly exitCode: number;
  readonly run: InHostRun;
}

/**
 * Runs the in-host suites once, on a code-server of their own started with the smoke-test driver (which
 * lets the page URL's payload set extensionDevelopmentPath/extensionTestsPath, and which also hides
 * notification toasts and skips dialogs — so the scenarios use a server without it). The window loads
 * the test extension (test/e2e/testExtension) as the development extension; the product extension is
 * the one installed from the .vsix. Resolves when the page calls codeAutomationExit.
 */
export async function runInHostSuites(session: E2eSession, { timeoutMs }: { timeoutMs: number }): Promise<InHostOutcome> {
  const suiteEntry = await bundleInHostSuite();
  rmSync(RUN_LAYOUT.inHostResults, { force: true });
  const { profile, server } = await startRunCodeServer('in-host', {
    env: { ...session.serverEnv, ...session.inHostEnv, [HOST_ENV.results]: RUN_LAYOUT.inHostResults, ...grepEnv() },
    smokeTestDriver: true,
    settings: session.serverSettings,
  });
  const logFiles = (): string[] => [server.logFile, ...session.contractServers.map((s) => s.logFile), ...findExtensionLogs(profile.userDataDir)];
  const page = await session.newPage();
  let timer: NodeJS.Timeout | undefined;
  try {
    const exited = new Promise<number>((resolve) => {
      void page.exposeFunction('codeAutomationExit', (code: unknown) => resolve(typeof code === 'number' ? code : 1));
    });
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the in-host suites did not finish within ${timeoutMs} ms (a wrong payload or a hung test fails silently)`)),
        timeoutMs,
      );
    });
    // The suites' own deadline (timedOut) bounds the load too: on a busy machine it can take longer than the page default.
    await page.goto(
      server.windowUrl(session.workspaceDir, [
        ['extensionDevelopmentPath', server.remoteUri(TEST_EXTENSION_DIR)],
        ['extensionTestsPath', server.remoteUri(suiteEntry)],
      ]),
      { timeout: timeoutMs },
    );
    const exitCode = await Promise.race([exited, timedOut]);
    if (!existsSync(RUN_LAYOUT.inHostResults)) {
      throw new Error(`the in-host suites exited with ${exitCode} without writing ${RUN_LAYOUT.inHostResults} (see the extension host log)`);
    }
    const run = InHostRunSchema.parse(JSON.parse(readFileSync(RUN_LAYOUT.inHostResults, 'utf8')));
    if (exitCode !== 0) await saveFailureArtifacts('in-host-suites', [page], logFiles());
    return { exitCode, run };
  } catch (err) {
    await saveFailureArtifacts('in-host-suites', [page], logFiles());
    throw err;
  } finally {
    clearTimeout(timer);
    await page.context().close();
    await server.stop();
  }
}

/** CONTEXTEN_E2E_GREP from the driver's environment, passed on to the in-host mocha. */
function grepEnv(): Record<string, string> {
  const grep = process.env[HOST_ENV.grep];
  return grep ? { [HOST_ENV.grep]: grep } : {};
}
