import { copyFileSync, existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import type { Page } from 'playwright-core';
import { logTail } from './logTail';
import { ARTIFACTS_DIR } from './paths';

/** File-system-safe name for a test title. */
function slug(title: string): string {
  return title.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 80) || 'test';
}

/** Output channel logs are named after their channel: keep the extension host folder in the copy's name. */
function copyName(log: string): string {
  const hostDir = path.basename(path.dirname(path.dirname(log)));
  return hostDir.startsWith('exthost') ? `${hostDir}-${path.basename(log)}` : path.basename(log);
}

/**
 * Saves what is needed to understand a failure under .e2e/artifacts/<test>/: a screenshot of each page
 * and a copy of each log (the first is the code-server log, whose tail is printed too). Prints the
 * paths. Never throws: it runs while another error is being reported.
 */
export async function saveFailureArtifacts(testTitle: string, pages: readonly Page[], logFiles: readonly string[]): Promise<string> {
  const dir = path.join(ARTIFACTS_DIR, slug(testTitle));
  const saved: string[] = [];
  try {
    mkdirSync(dir, { recursive: true });
    for (const [i, page] of pages.entries()) {
      if (page.isClosed()) continue;
      const file = path.join(dir, pages.length === 1 ? 'screenshot.png' : `screenshot-${i + 1}.png`);
      try {
        await page.screenshot({ path: file, timeout: 5000 });
        saved.push(file);
      } catch {
        // a crashed page has no screenshot; the logs still help
      }
    }
    for (const log of logFiles.filter((f) => existsSync(f))) {
      const copy = path.join(dir, copyName(log));
      copyFileSync(log, copy);
      saved.push(copy);
    }
  } catch (err) {
    console.error(`[e2e] could not save all artifacts: ${err instanceof Error ? err.message : String(err)}`);
  }
  console.error(`[e2e] artifacts of "${testTitle}":\n${saved.map((f) => `  ${f}`).join('\n')}`);
  const serverLog = logFiles[0];
  if (serverLog) console.error(`[e2e] ${path.basename(serverLog)} (tail):\n${logTail(serverLog, 30)}`);
  return dir;
}
