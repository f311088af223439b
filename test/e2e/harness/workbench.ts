import type { Frame, Locator, Page } from 'playwright-core';
import { pollUntil } from './poll';

/** Text to find: a substring, or a regular expression. */
export type TextMatch = string | RegExp;

function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The text a Monaco editor shows (rendered lines only), in line order: Monaco reuses line elements, so
 * their DOM order is not the visual order — sort by their `top`. Non-breaking spaces become spaces.
 */
async function renderedText(viewLines: Locator): Promise<string> {
  const lines = await viewLines.locator('.view-line').evaluateAll((els) =>
    els.map((el) => ({ top: parseFloat((el as unknown as { style: { top: string } }).style.top) || 0, text: el.textContent ?? '' })),
  );
  return lines
    .sort((a, b) => a.top - b.top)
    .map((l) => l.text.replace(/\u00a0/g, ' '))
    .join('\n');
}

/** How long a window may take to load the workbench. */
const WORKBENCH_LOAD_MS = 60_000;

/** Matches a whole label exactly (a string) or as given (a RegExp). */
function exactly(text: TextMatch): RegExp {
  return typeof text === 'string' ? new RegExp(`^${escapeRegExp(text)}$`) : text;
}

/**
 * One VS Code window in the browser, with the moves a person makes: palette, quick inputs,
 * notifications, views and tree rows, context menus, webviews, the Output panel.
 * Selectors follow shared/docs/e2e-harness.md (work on VS Code 1.100 and 1.139). Every wait is on
 * something the UI shows; timeouts come from the page's default (15 s) unless given.
 */
export class Workbench {
  private constructor(readonly page: Page) {}

  /**
   * Opens `url` in `page` and waits until the workbench is laid out: up to a minute (a first load on a busy machine
   * took longer than the page's default 15 s twice in session 43, before any scenario step ran).
   */
  static async open(page: Page, url: string): Promise<Workbench> {
    await page.goto(url, { timeout: WORKBENCH_LOAD_MS });
    await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: WORKBENCH_LOAD_MS });
    return new Workbench(page);
  }

  /** Closes this window (and its browser context when no other window uses it). Not for the shared window. */
  async close(): Promise<void> {
    const context = this.page.context();
    await this.page.close();
    if (context.pages().length === 0) await context.close();
  }

  // ---- command palette and quick inputs ----

  get quickInput(): Locator {
    return this.page.locator('.quick-input-widget');
  }

  /**
   * Runs a command from the palette by its title as shown there ("Contexten: Show Logs"). Reopens the
   * palette until the command is listed: contributed commands appear once the extension host has
   * registered the extension, a moment after the window opens.
   */
  async runCommand(title: string, { timeoutMs = 20_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const row = this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactly(title) }) });
    const input = this.quickInput.locator('input.input');
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      await pollUntil(
        `the command "${title}" in the palette`,
        async () => {
          await this.page.keyboard.press('Escape');
          await this.page.keyboard.press('F1');
          try {
            // F1 can get lost while a webview has focus: then the palette stays closed (inert), so try again.
            await input.fill(`>${title}`, { timeout: 1500 });
            await row.first().waitFor({ timeout: 1500 });
            return true;
          } catch {
            return undefined;
          }
        },
        { timeoutMs: Math.max(1, deadline - Date.now()), intervalMs: 0 },
      );
      // Enter runs the focused row. Right after the text is typed the palette may still show its previous list (the
      // recently used commands, ours among them but another focused) and re-render under a click, which then lands on
      // whatever row takes that place (a stray "Developer: Reload Window" reloaded the shared window mid-scenario): so
      // wait for the filtered list to focus ours, and click only if another row keeps ranking first.
      const focused = async (): Promise<boolean> => (await row.first().getAttribute('class'))?.split(' ').includes('focused') === true;
      const settled = await pollUntil(`"${title}" focused in the palette`, async () => ((await focused()) ? true : undefined), { timeoutMs: 3_000, intervalMs: 50 }).catch(() => false);
      try {
        if (settled) await input.press('Enter', { timeout: 3_000 });
        else await row.first().click({ timeout: 3_000 });
        return;
      } catch (err) {
        // The palette closed under us (something else took focus: its rows stay in the page, hidden): open it again.
        if (Date.now() >= deadline) throw err;
      }
    }
  }

  /**
   * Waits for the quick input (showInputBox, or a quick pick's filter box) and returns its text field.
   * `prompt` must appear in its title, message or placeholder; `password` requires a masked field.
   */
  async waitForQuickInput({ prompt, password }: { prompt?: TextMatch; password?: boolean } = {}): Promise<Locator> {
    const input = this.quickInput.locator(password ? 'input.input[type="password"]' : 'input.input');
    await input.waitFor();
    if (prompt !== undefined) {
      await pollUntil(
        `a quick input showing ${String(prompt)}`,
        async () => {
          const shown = `${await this.quickInput.innerText()}\n${(await input.getAttribute('placeholder')) ?? ''}`;
          const found = typeof prompt === 'string' ? shown.includes(prompt) : prompt.test(shown);
          return found ? true : undefined;
        },
        { timeoutMs: 15_000 },
      );
    }
    return input;
  }

  /**
   * Types into the open quick input and presses Enter unless `submit` is false. When one input follows
   * another, give the new one's `prompt` (or `password`) so the text cannot land in the closing one.
   */
  async fillQuickInput(
    text: string,
    { prompt, password = false, submit = true }: { prompt?: TextMatch; password?: boolean; submit?: boolean } = {},
  ): Promise<void> {
    const input = await this.waitForQuickInput({ password, ...(prompt === undefined ? {} : { prompt }) });
    await input.fill(text);
    if (submit) await input.press('Enter');
  }

  /** The message under the quick input (prompt or validation error). */
  async quickInputMessage(): Promise<string> {
    return (await this.quickInput.locator('.quick-input-message').innerText()).trim();
  }

  /** Picks an item of the open quick pick by its label. */
  async pickQuickItem(label: TextMatch): Promise<void> {
    await this.quickInput.locator('.monaco-list-row', { has: this.page.locator('.label-name', { hasText: exactly(label) }) }).first().click();
  }

  // ---- notifications ----

  /** The notification toast showing `text` (waits for it). */
  async waitForNotification(text: TextMatch, { timeoutMs }: { timeoutMs?: number } = {}): Promise<Locator> {
    const toast = this.page.locator('.notifications-toasts .notification-toast', { hasText: text }).first();
    await toast.waitFor(timeoutMs === undefined ? {} : { timeout: timeoutMs });
    return toast;
  }

  /** Clicks a button (action) of the notification showing `text`. */
  async clickNotificationAction(text: TextMatch, action: TextMatch): Promise<void> {
    const toast = await this.waitForNotification(text);
    await toast.locator('.monaco-button', { hasText: exactly(action) }).first().click();
  }

  /** Clears every notification (so the next scenario starts with none). */
  async clearNotifications(): Promise<void> {
    await this.runCommand('Notifications: Clear All Notifications');
  }

  // ---- dialogs ----

  /** The modal dialog showing `text` (e.g. a confirmation from showWarningMessage with `modal: true`). */
  async waitForDialog(text: TextMatch): Promise<Locator> {
    const dialog = this.page.locator('.monaco-dialog-box', { hasText: text }).first();
    await dialog.waitFor();
    return dialog;
  }

  /** Clicks a button of the open modal dialog by its label. */
  async clickDialogButton(label: TextMatch): Promise<void> {
    const dialog = this.page.locator('.monaco-dialog-box').first();
    await dialog.locator('.dialog-buttons .monaco-button', { hasText: exactly(label) }).first().click();
    await dialog.waitFor({ state: 'hidden' });
  }

  // ---- editors ----

  /** Opens a workspace file by its path relative to the workspace folder (Quick Open) and waits for its tab. */
  async openFile(relativePath: string): Promise<void> {
    const name = relativePath.split('/').pop() ?? relativePath;
    await this.page.keyboard.press('Escape');
    await this.page.keyboard.press('Control+P');
    const input = this.quickInput.locator('input.input');
    await input.fill(relativePath);
    // Wait for the file to be the focused row: a recently opened file is listed before the filter applies,
    // and Enter then would open whatever row is focused at that moment.
    await this.quickInput.locator('.monaco-list-row.focused', { has: this.page.locator('.label-name', { hasText: exactly(name) }) }).first().waitFor();
    await input.press('Enter');
    await this.page.locator('.tabs-container .tab.active', { hasText: name }).first().waitFor();
  }

  /** The active editor's text as rendered (visible lines only, in order). */
  async editorText(): Promise<string> {
    return renderedText(this.page.locator('.editor-group-container.active .monaco-editor .view-lines').first());
  }

  /** Moves the cursor of the active editor to `line` (and `column`), 1-based, with Go to Line/Column. */
  async goToLine(line: number, column = 1): Promise<void> {
    await this.page.keyboard.press('Control+G');
    const input = await this.waitForQuickInput();
    // Go to Line is Quick Access with the ":" prefix; filling replaces the whole value, prefix included.
    await input.fill(`:${line}:${column}`);
    await input.press('Enter');
  }

  /**
   * Opens the quick-fix menu (Ctrl+.) at the cursor and applies the action called `label`. Asks again
   * until the action is offered: code actions wait for every provider (a starting TypeScript server
   * takes seconds).
   */
  async applyQuickFix(label: TextMatch, { timeoutMs = 45_000 }: { timeoutMs?: number } = {}): Promise<void> {
    const item = this.page.locator('.action-widget .monaco-list-row', { hasText: label }).first();
    await pollUntil(
      `the quick fix ${String(label)}`,
      async () => {
        await this.page.keyboard.press('Control+.');
        try {
          await item.waitFor({ timeout: 5000 });
          return true;
        } catch {
          await this.page.keyboard.press('Escape');
          return undefined;
        }
      },
      { timeoutMs, intervalMs: 0 },
    );
    await item.hover();
    await this.page.keyboard.press('Enter');
    await item.waitFor({ state: 'hidden' });
  }

  // ---- views, trees, menus ----

  /** Opens a view container from the activity bar by its title (e.g. "Contexten"); leaves it open if it is. */
  async openViewContainer(title: string): Promise<void> {
    const item = this.page.locator(`.activitybar .action-label[aria-label^="${title.replace(/"/g, '\\"')}"]`).first();
    // The open container's activity bar entry is "checked" (aria-selected in a tab list); clicking it would close the sidebar.
    const entry = item.locator('xpath=..');
    const open = await entry
      .evaluate((el) => el.classList.contains('checked') || el.getAttribute('aria-selected') === 'true' || el.getAttribute('aria-checked') === 'true')
      .catch(() => false);
    if (!open) await item.click();
  }

  /** A view's pane (header + body) by its title, e.g. "Agent Tasks". */
  view(title: string): Locator {
    return this.page.locator('.pane', { has: this.page.locator('.pane-header h3.title', { hasText: exactly(title) }) }).first();
  }

  /** A row of a tree/list by its text (label, description). Limited to `viewTitle` when given. */
  treeRow(text: TextMatch, viewTitle?: string): Locator {
    const scope = viewTitle === undefined ? this.page.locator('.part.sidebar, .part.auxiliarybar, .part.panel') : this.view(viewTitle);
    return scope.locator('.monaco-list-row', { hasText: text }).first();
  }

  /** Clicks a tree row (selects it; expands or opens it as the view decides). */
  async clickTreeRow(text: TextMatch, viewTitle?: string): Promise<Locator> {
    const row = this.treeRow(text, viewTitle);
    await row.click();
    return row;
  }

  /** Right-clicks `target` and chooses `item` in the context menu that opens. */
  async contextMenu(target: Locator, item: TextMatch): Promise<void> {
    await target.click({ button: 'right' });
    const entry = this.page.locator('.monaco-menu .action-item', { has: this.page.locator('.action-label', { hasText: exactly(item) }) }).first();
    // The menu ignores a click that comes right after it opened; hovering focuses the entry, Enter runs it.
    await entry.hover();
    await this.page.keyboard.press('Enter');
    await entry.waitFor({ state: 'hidden' });
  }

  /** Hover actions of a tree row (inline icons): clicks the one whose title/aria-label is `action`. */
  async clickRowAction(row: Locator, action: string): Promise<void> {
    await row.hover();
    await row.locator(`.actions .action-label[aria-label="${action.replace(/"/g, '\\"')}"]`).first().click();
  }

  // ---- webviews ----

  /**
   * The frame of a webview whose document contains `selector`. Webviews are two nested iframes
   * (iframe.webview.ready › iframe#active-frame); with several open, the content tells them apart.
   */
  async webviewFrame(selector: string, { timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<Frame> {
    return pollUntil(
      `a webview containing ${selector}`,
      async () => {
        for (const frame of this.page.frames()) {
          if (frame === this.page.mainFrame()) continue;
          if ((await frame.locator(selector).count().catch(() => 0)) > 0) return frame;
        }
        return undefined;
      },
      { timeoutMs, intervalMs: 100 },
    );
  }

  // ---- Output panel ----

  private get outputSwitch(): Locator {
    return this.page.locator('.part.panel select[aria-label="Switch Output"]').first();
  }

  /** The text lines the Output panel shows (only the rendered ones: keep assertions to recent lines). */
  get outputLines(): Locator {
    return this.page.locator('.part.panel .view-lines').first();
  }

  /**
   * Waits, without doing anything, until the Output panel shows the channel `channel` — for checking
   * that a command revealed it.
   */
  async waitForOutputChannel(channel: string, { timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<Locator> {
    await pollUntil(
      `the Output panel showing "${channel}"`,
      async () => {
        if (!(await this.outputSwitch.isVisible())) return undefined;
        const selected = await this.outputSwitch.locator('option:checked').textContent();
        return selected?.trim() === channel ? true : undefined;
      },
      { timeoutMs },
    );
    return this.outputLines;
  }

  /** Opens the Output panel on `channel` ("Output: Show Output Channels..." in the palette). */
  async openOutputChannel(channel: string): Promise<Locator> {
    await this.runCommand('Output: Show Output Channels...');
    await this.waitForQuickInput();
    await this.pickQuickItem(channel);
    return this.waitForOutputChannel(channel);
  }

  /** The Output panel's rendered text (visible lines only, in order). */
  async outputText(): Promise<string> {
    return renderedText(this.outputLines);
  }

  /** Waits until the Output panel shows `channel` and, in its rendered lines, `text`; returns the shown text. */
  async waitForOutputText(channel: string, text: TextMatch, { timeoutMs = 15_000 }: { timeoutMs?: number } = {}): Promise<string> {
    await this.waitForOutputChannel(channel, { timeoutMs });
    return pollUntil(
      `the Output channel "${channel}" showing ${String(text)}`,
      async () => {
        const shown = await this.outputText();
        return (typeof text === 'string' ? shown.includes(text) : text.test(shown)) ? shown : undefined;
      },
      { timeoutMs },
    );
  }

  /** Best effort to leave the window neutral between scenarios: no quick input, no notifications, no editors. */
  async resetUi(): Promise<void> {
    await this.page.keyboard.press('Escape');
    await this.clearNotifications();
    await this.runCommand('View: Close All Editors');
    // An editor a failed scenario left modified makes Close All Editors ask whether to save it, in a modal dialog that
    // would block every later scenario's clicks: answered Don't Save, the next scenario starts from the files on disk.
    const waitMs = 10_000;
    const outcome = await Promise.race([
      this.page.locator('.tabs-container .tab').first().waitFor({ state: 'detached', timeout: waitMs }).then(() => 'closed', () => 'timeout'),
      this.page.locator('.monaco-dialog-box').first().waitFor({ timeout: waitMs }).then(() => 'asked', () => 'timeout'),
    ]);
    if (outcome === 'asked') await this.clickDialogButton(/^Don.t Save$/);
    else if (outcome === 'timeout') throw new Error(`the editors did not close within ${waitMs} ms, and no dialog asked about them`);
  }
}
