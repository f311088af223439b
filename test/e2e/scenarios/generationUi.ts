// Steps the generation scenarios share (20-… to 29-…): the prompt pick, the results panel webview, the
// OpenAI-compatible contract server's admin endpoints, and editors by tab. Not a scenario file itself.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Frame, Locator } from 'playwright-core';
import type { E2eSession } from '../harness/session';
import { pollUntil } from '../harness/poll';
import type { TextMatch, Workbench } from '../harness/workbench';

/** One chat completion request as the OpenAI-compatible contract server logged it (keys are never logged). */
export interface LoggedChat {
  readonly id: number;
  readonly authorization: 'absent' | 'valid' | 'invalid' | 'present';
  readonly status?: number;
  readonly outcome: 'pending' | 'completed' | 'client-aborted' | 'server-disconnected';
  readonly body?: { readonly stream?: boolean; readonly messages?: readonly { role: string; content: string }[] };
}

/** The OpenAI-compatible contract server of the run, through its /__admin/ endpoints. */
export class OpenAiAdmin {
  private constructor(private readonly origin: string) {}

  static of(session: E2eSession): OpenAiAdmin {
    return new OpenAiAdmin(session.contractServer('openai').baseUrl);
  }

  /** The chat completion requests so far, oldest first. */
  async chats(): Promise<LoggedChat[]> {
    const res = await fetch(`${this.origin}/__admin/requests`);
    assert.equal(res.status, 200);
    return ((await res.json()) as (LoggedChat & { path: string })[]).filter((r) => r.path === '/v1/chat/completions');
  }

  /** Holds the first token of the next chat completion until `releaseFirstTokens()` (or the client goes away). */
  async holdNextFirstToken(): Promise<void> {
    await this.post('/__admin/fault', { fault: { kind: 'slow_first_token' }, times: 1 });
  }

  /** Answers the next chat completion with 401 invalid_api_key (whatever key came). */
  async rejectNextKey(): Promise<void> {
    await this.post('/__admin/fault', { fault: { kind: 'unauthorized' }, times: 1 });
  }

  /**
   * Cuts the next chat completion's answer with finish_reason "length" (the token limit), `chunksBeforeEnd` chunks before
   * its end (2: in the sentence after the code block, which is closed).
   */
  async cutOffNextAnswer(chunksBeforeEnd: number): Promise<void> {
    await this.post('/__admin/fault', { fault: { kind: 'length', afterChunks: -chunksBeforeEnd }, times: 1 });
  }

  async releaseFirstTokens(): Promise<void> {
    await this.post('/__admin/release');
  }

  /** Waits until the log holds a chat request after the first `after` ones that satisfies `predicate`. */
  async waitForChat(after: number, what: string, predicate: (r: LoggedChat) => boolean, timeoutMs = 15_000): Promise<LoggedChat> {
    return pollUntil(`the OpenAI-compatible server to log ${what}`, async () => (await this.chats()).slice(after).find(predicate), { timeoutMs, intervalMs: 100 });
  }

  private async post(path: string, body?: unknown): Promise<void> {
    const res = await fetch(`${this.origin}${path}`, { method: 'POST', ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
    assert.equal(res.status, 200, `${path} answered ${res.status}`);
  }
}

/**
 * Answers the prompt pick of "Generate Code…" / "Generate with Context" with `prompt`: types it, waits
 * until the pick offers it as "Use this prompt" (so Enter cannot take a recent prompt or a preset
 * instead), then accepts it.
 */
export async function enterPrompt(workbench: Workbench, prompt: string, placeholder: TextMatch): Promise<void> {
  const input = await workbench.waitForQuickInput({ prompt: placeholder });
  await input.fill(prompt);
  const row = workbench.quickInput.locator('.monaco-list-row', { hasText: 'Use this prompt' }).first();
  await row.waitFor();
  await pollUntil(
    'the typed prompt to be the focused pick',
    async () => ((await row.getAttribute('class'))?.split(' ').includes('focused') ? true : undefined),
    { timeoutMs: 5_000, intervalMs: 50 },
  );
  await input.press('Enter');
  await workbench.quickInput.waitFor({ state: 'hidden' });
}

/** The results panel's webview document (found by its content). */
export function resultsFrame(workbench: Workbench): Promise<Frame> {
  return workbench.webviewFrame('[data-testid="run-status"]');
}

/** Waits until the panel's run shows `status` ("Generating…", "Done", "Cancelled", …) for `prompt` (the whole prompt, or a pattern). */
export async function waitForRun(
  workbench: Workbench,
  prompt: TextMatch,
  status: string,
  { timeoutMs = 20_000, meta }: { timeoutMs?: number; /** Must match the run's meta line (provider · model · cached · timings). */ meta?: RegExp } = {},
): Promise<Frame> {
  return pollUntil(
    `the results panel to show "${status}" for ${String(prompt)}`,
    async () => {
      const frame = await resultsFrame(workbench);
      try {
        const shownPrompt = (await frame.locator('.run-prompt').textContent({ timeout: 1000 })) ?? '';
        const shownStatus = (await frame.locator('[data-testid="run-status"]').textContent({ timeout: 1000 })) ?? '';
        const promptShown = typeof prompt === 'string' ? shownPrompt === prompt : prompt.test(shownPrompt);
        const metaShown = meta === undefined || meta.test((await frame.locator('.run-meta').textContent({ timeout: 1000 })) ?? '');
        return promptShown && shownStatus === status && metaShown ? frame : undefined;
      } catch {
        return undefined; // the frame reloaded meanwhile
      }
    },
    { timeoutMs, intervalMs: 100 },
  );
}

/** A button of the results panel (toolbar of a code block, Cancel, Retry, a tab). */
export function panelButton(frame: Frame, label: TextMatch, scope = 'body'): Locator {
  return frame.locator(scope).locator('button', { hasText: label }).first();
}

/**
 * Runs "Contexten: Generate Code…" with `prompt` and waits for the finished answer in the results panel
 * (`meta`: see waitForRun; needed to tell a repeated prompt's run from the one before).
 */
export async function generateFromPalette(workbench: Workbench, prompt: string, meta?: RegExp): Promise<Frame> {
  await workbench.runCommand('Contexten: Generate Code…');
  await enterPrompt(workbench, prompt, 'Describe the code to generate');
  return waitForRun(workbench, prompt, 'Done', meta ? { meta } : {});
}

/** The text of a Performance tab figure (its `data-stat` key, e.g. "requests.total"). */
export async function performanceStat(frame: Frame, key: string): Promise<string> {
  return ((await frame.locator(`[data-stat="${key}"]`).textContent()) ?? '').trim();
}

/** Makes the editor tab named `name` (in any group) the active editor and returns its rendered text. */
export async function showEditorTab(workbench: Workbench, name: string): Promise<string> {
  const tab = workbench.page.locator('.tabs-container .tab', { hasText: new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*$`) }).first();
  await tab.click();
  await workbench.page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: name }).first().waitFor();
  // And focused: on a busy machine the focus the click gives the editor came after a Ctrl+G pressed next, and closed the
  // Go to Line box it had opened (a CI run of scenario 33).
  await workbench.page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor();
  return workbench.editorText();
}

/**
 * Undo in the active editor, focused first: an action clicked in a notification or the results panel leaves the
 * focus outside the editor, where Ctrl+Z undoes nothing in it (one CI run's Undo after Apply did not happen).
 */
export async function undoInActiveEditor(workbench: Workbench): Promise<void> {
  await workbench.runCommand('View: Focus Active Editor Group');
  // Pressed once the editor has the focus: right after the command, on a busy machine, the key went nowhere (a CI run).
  await workbench.page.locator('.editor-group-container.active .monaco-editor.focused').first().waitFor();
  await workbench.page.keyboard.press('Control+Z');
}

/** Waits until the active editor's rendered text satisfies `predicate`; returns it. */
export async function waitForEditorText(workbench: Workbench, what: string, predicate: (text: string) => boolean, timeoutMs = 10_000): Promise<string> {
  let last = '';
  try {
    return await pollUntil(
      `the active editor to show ${what}`,
      async () => {
        last = await workbench.editorText().catch(() => '');
        return predicate(last) ? last : undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  } catch (err) {
    // What it showed instead says why (a preview with no items, another editor on top, …).
    const shown = last.length > 600 ? `${last.slice(0, 600)}…` : last;
    throw new Error(`${err instanceof Error ? err.message : String(err)}; it showed: ${JSON.stringify(shown)}`);
  }
}

/**
 * Puts the active editor's cursor at `line`:`column` (1-based) with Go to Line and waits until the status
 * bar shows it there. Enter is pressed only once the picker offers that line: pressed earlier (a busy
 * window) it does nothing and leaves the picker open.
 */
export async function moveCursor(workbench: Workbench, line: number, column: number): Promise<void> {
  await workbench.page.keyboard.press('Control+G');
  const input = await workbench.waitForQuickInput();
  await input.fill(`:${line}:${column}`);
  await workbench.quickInput.locator('.monaco-list-row', { hasText: `go to line ${line} at column ${column}` }).first().waitFor();
  await input.press('Enter');
  await workbench.page.locator('.statusbar-item', { hasText: `Ln ${line}, Col ${column}` }).first().waitFor();
}

/** The active editor group's editor shows an error squiggle (a diagnostic of severity Error). */
export function errorSquiggles(workbench: Workbench): Locator {
  return workbench.page.locator('.editor-group-container.active .monaco-editor .squiggly-error');
}

/** Waits until the active editor's tab shows it as modified or not (the fixture workspace turns auto save off). */
export async function waitForDirty(workbench: Workbench, dirty: boolean, what: string): Promise<void> {
  await workbench.page.locator('.editor-group-container.active .tabs-container .tab.active' + (dirty ? '.dirty' : ':not(.dirty)')).first().waitFor({ timeout: 5_000 }).catch(() => {
    throw new Error(`the active editor is ${dirty ? 'not' : 'still'} modified: ${what}`);
  });
}

/** A workspace file's content on disk. */
export function fileOnDisk(session: E2eSession, relativePath: string): string {
  return readFileSync(path.join(session.workspaceDir, ...relativePath.split('/')), 'utf8');
}

/**
 * Runs "Contexten: Preview Context for Prompt…" for `query` once the extension has activated by itself
 * (onStartupFinished: the Codegen status item shows, without any command run) and the workspace is indexed, and returns the preview's text, the
 * rendered pieces of each wrapped Markdown line joined again. With `mayBeEmpty`, a preview with no items is an answer too.
 */
export async function previewContext(workbench: Workbench, query: string, { mayBeEmpty = false }: { mayBeEmpty?: boolean } = {}): Promise<string> {
  const page = workbench.page;
  await page.locator('.statusbar-item', { hasText: 'Codegen: Sign In' }).first().waitFor({ timeout: 45_000 });
  // The workspace indexed to the end first: a preview taken while a window is still indexing (or loading its saved
  // index) shows what the files indexed so far give, and stays as it was taken — a clean-clone CI run under load
  // previewed before src/cart.ts was indexed (no items; the wait for them timed out), another before a multi-root
  // window's second folder was.
  await page.locator('.statusbar-item', { hasText: /Context: [\d,]+ files$/ }).first().waitFor({ timeout: 45_000 });
  await workbench.runCommand('Contexten: Preview Context for Prompt…');
  await workbench.fillQuickInput(query, { prompt: 'The prompt you would send' });
  await page.locator('.editor-group-container.active .tabs-container .tab.active', { hasText: /^\s*context-\d+\.md/ }).first().waitFor();
  const shown = (t: string): boolean => t.includes('### 1.') || (mayBeEmpty && t.includes('No definitions passed'));
  // (A fresh window indexes the workspace and builds the ranking index before the first items show: 10 s was not enough
  // for a clean-clone CI run on a loaded machine.)
  return (await waitForEditorText(workbench, mayBeEmpty ? 'the ranked items (or none)' : 'the ranked items', shown, 30_000)).replace(/\n(?!#|-|`|\n)/g, '');
}

/**
 * Opens a location of the context preview (`src/cart.ts:12-20`) as a person does: a link (Ctrl+click) that opens the
 * file at the item's first line; resolves once a tab named `tabName` is active in its group.
 * The link is looked for in the editor group showing the preview, whichever group is active: were the empty group
 * the preview was opened beside to become the active one, a link looked for in the active group would never be found
 * — the likely cause of the runs where every click timed out with the preview shown and nothing over it (sessions
 * 17–18): with the first group focused on purpose, the active-group lookup failed with that very signature, this one
 * opens the file.
 * The gesture is retried: while the new editor group settles its layout the line can be re-rendered under the
 * pointer ("<html> intercepts pointer events", "element was detached"), and a lost Ctrl+click opens nothing.
 * Every third try opens the same link from the keyboard instead (a click puts the cursor on it, then "Open Link").
 * When something else is on top of the link (a hover or a widget left open), Escape first, as a person would.
 * When no rendered piece of the preview is that whole link (a narrow editor group can wrap the line inside the path,
 * splitting the link over two rendered lines — the likely cause of a CI run where the link was never found for 45 s
 * while the text had it), the link is reached from the keyboard instead: Find puts the selection on the location,
 * the cursor goes one character into it, and "Open Link" opens the link under the cursor — the document's link, not
 * its rendering. A failure says what each try ran into, and which links the preview did render.
 */
export async function openPreviewLocation(workbench: Workbench, location: string, tabName: string): Promise<void> {
  const page = workbench.page;
  const previewGroup = page.locator('.editor-group-container', { has: page.locator('.tabs-container .tab.active', { hasText: /^\s*context-\d+\.md/ }) });
  const link = previewGroup.locator('.view-line .detected-link', { hasText: new RegExp(`^${location.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`) }).first();
  const tab = page.locator('.editor-group-container .tabs-container .tab.active', { hasText: tabName }).first();
  const tries: string[] = [];
  let attempt = 0;
  const gesture = async (what: string, run: () => Promise<unknown>): Promise<void> => {
    try {
      await run();
      tries.push(what);
    } catch (err) {
      // Playwright's message, then its call log: the last step logged says what it was waiting for.
      const lines = (err instanceof Error ? err.message : String(err)).split('\n').map((l) => l.trim());
      const waitedFor = lines.filter((l) => l.startsWith('- ')).at(-1);
      tries.push(`${what} failed: ${lines[0] ?? ''}${waitedFor ? ` (${waitedFor.slice(2)})` : ''}`);
    }
  };
  try {
    await pollUntil(
      `Ctrl+click (or Open Link) on ${location} to open ${tabName}`,
      async () => {
        if ((await tab.count()) > 0) return true;
        if ((await link.count()) === 0) {
          const rendered = await previewGroup.locator('.view-line .detected-link').allTextContents().catch(() => []);
          tries.push(`no rendered link is ${location} (rendered: ${rendered.slice(0, 6).map((t) => JSON.stringify(t)).join(', ') || 'none'})`);
          await gesture('Find, then Open Link', async () => {
            await previewGroup.locator('.tabs-container .tab.active').first().click({ timeout: 5_000 });
            await page.keyboard.press('Control+F');
            const find = previewGroup.locator('.find-widget textarea, .find-widget input').first();
            await find.fill(location, { timeout: 5_000 });
            await previewGroup.locator('.find-widget .matchesCount', { hasText: /^1 of \d+$/ }).first().waitFor({ timeout: 5_000 });
            await find.press('Escape');
            // The selection is the match: Left collapses it to its start, Right steps into the link.
            await page.keyboard.press('ArrowLeft');
            await page.keyboard.press('ArrowRight');
            await workbench.runCommand('Open Link');
          });
          return (await tab.count()) > 0 ? true : undefined;
        }
        const box = await link.boundingBox({ timeout: 1_000 }).catch(() => null);
        const onTop = box ? await page.evaluate(([x, y]) => document.elementFromPoint(x ?? 0, y ?? 0)?.closest('.detected-link') !== null, [box.x + box.width / 2, box.y + box.height / 2]) : false;
        if (box && !onTop) await gesture('Escape (something covers the link)', () => page.keyboard.press('Escape'));
        if (++attempt % 3 === 0) {
          await gesture('click', () => link.click({ timeout: 5_000 }));
          await gesture('Open Link', () => workbench.runCommand('Open Link'));
        } else {
          await gesture('Ctrl+click', () => link.click({ modifiers: ['Control'], timeout: 5_000 }));
        }
        return (await tab.count()) > 0 ? true : undefined;
      },
      { timeoutMs: 45_000, intervalMs: 500 },
    );
  } catch (err) {
    throw new Error(`${err instanceof Error ? err.message : String(err)}; tries: ${tries.slice(-8).join(' | ')}`);
  }
}
