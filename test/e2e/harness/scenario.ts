import { test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { saveFailureArtifacts } from './artifacts';
import { getSession, type E2eSession } from './session';
import type { Workbench } from './workbench';

export interface ScenarioContext {
  readonly session: E2eSession;
  readonly workbench: Workbench;
  readonly page: Page;
  readonly t: TestContext;
}

export interface ScenarioOptions {
  /** Fails the scenario (with artifacts) after this long. Default 60 s. */
  readonly timeoutMs?: number;
  /**
   * Run in a new window with a fresh browser profile (empty SecretStorage, own extension host) instead
   * of the shared window. Costs ~3 s; use it when the scenario needs a clean slate.
   */
  readonly freshWindow?: boolean;
  /** Run in a new window (as freshWindow) on the multi-root workspace of the run (E2eSession.openWorkbench). */
  readonly multiRoot?: boolean;
}

let sharedWindowUsed = false;

/**
 * A Playwright scenario: a node:test test that gets the run's session and a workbench window, and on
 * failure (or timeout) saves a screenshot and the logs under .e2e/artifacts/ and prints where.
 */
export function scenario(name: string, body: (ctx: ScenarioContext) => Promise<void>, options: ScenarioOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 60_000;
  // node:test's own timeout is a backstop: ours fires first, while the page can still be photographed.
  void test(name, { timeout: timeoutMs + 30_000 }, async (t) => {
    const session = await getSession();
    const fresh = options.freshWindow === true || options.multiRoot === true;
    const workbench = fresh ? await session.openWorkbench({ multiRoot: options.multiRoot === true }) : await session.sharedWorkbench();
    let timer: NodeJS.Timeout | undefined;
    try {
      if (!fresh && sharedWindowUsed) await workbench.resetUi();
      if (!fresh) sharedWindowUsed = true;
      const timedOut = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`scenario did not finish within ${timeoutMs} ms`)), timeoutMs);
      });
      await Promise.race([body({ session, workbench, page: workbench.page, t }), timedOut]);
    } catch (err) {
      await saveFailureArtifacts(name, [workbench.page], session.logFiles());
      throw err;
    } finally {
      clearTimeout(timer);
      if (fresh) await workbench.close();
    }
  });
}
