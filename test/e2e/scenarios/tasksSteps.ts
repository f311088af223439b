import type { Locator } from 'playwright-core';
import { pollUntil } from '../harness/poll';
import type { E2eSession } from '../harness/session';
import type { Workbench } from '../harness/workbench';

/**
 * Steps the agent-task scenarios (tasks-*.scenario.ts) share: signing in as a person does, the
 * sidebar's rows and welcome view, the status bar item, and the Codegen contract server's admin API.
 */

export const TASKS_VIEW = 'Agent Tasks';
/** The contract server's sandbox organization and the user its e2e token belongs to. */
export const SANDBOX_ORG_ID = '1';
export const SANDBOX_USER = 'sandbox-user';
/** The status bar item's text once signed in as the sandbox user. */
export const SIGNED_IN_STATUS = new RegExp(`Codegen: ${SANDBOX_USER}\\s*$`);

/** The Codegen sign-in status bar item (its text starts with "Codegen"). */
export function authStatusItem(workbench: Workbench): Locator {
  return workbench.page.locator('.part.statusbar .statusbar-item', { hasText: /^\s*Codegen\b/ }).first();
}

/** The Agent Tasks welcome view's "Sign In" button (shown while signed out). */
export function welcomeSignInButton(workbench: Workbench): Locator {
  return workbench.view(TASKS_VIEW).locator('.welcome-view-content .monaco-button', { hasText: /^Sign In$/ }).first();
}

/**
 * The row of run `id` in the Agent Tasks view (its label starts with "#id"); with `status`, only while
 * its description ("complete · 2m ago") starts with that status.
 */
export function runRow(workbench: Workbench, id: number, status?: string): Locator {
  const page = workbench.page;
  const row = workbench
    .view(TASKS_VIEW)
    .locator('.monaco-list-row')
    .filter({ has: page.locator('.label-name', { hasText: new RegExp(`^#${id}(?!\\d)`) }) });
  return (status ? row.filter({ has: page.locator('.label-description', { hasText: new RegExp(`^${status}( ·|$)`) }) }) : row).first();
}

/** "Contexten: Sign In to Codegen" with the sandbox org and `token`, through the two inputs. */
export async function enterCredentials(workbench: Workbench, token: string): Promise<void> {
  await workbench.runCommand('Contexten: Sign In to Codegen');
  await workbench.fillQuickInput(SANDBOX_ORG_ID, { prompt: 'organization id' });
  await workbench.fillQuickInput(token, { prompt: 'API token', password: true });
}

/** Signs in with `token` and waits until the window shows it (notification, status bar). */
export async function signIn(workbench: Workbench, token: string): Promise<void> {
  await enterCredentials(workbench, token);
  await workbench.waitForNotification(`signed in to Codegen as ${SANDBOX_USER} (Sandbox Org)`);
  await authStatusItem(workbench).filter({ hasText: SIGNED_IN_STATUS }).waitFor();
}

/** Opens the Agent Tasks view and signs in unless the status bar already shows the sandbox user (the shared window keeps its sign-in). */
export async function ensureSignedIn(workbench: Workbench, token: string): Promise<void> {
  await openTasksView(workbench); // activates the extension (it activates with its view or a command)
  const item = authStatusItem(workbench);
  await item.waitFor();
  if (!SIGNED_IN_STATUS.test((await item.innerText()).trim())) await signIn(workbench, token);
}

/** The text on the clipboard once it differs from `previous` (copying is asynchronous). */
export async function clipboardChangedFrom(workbench: Workbench, previous: string): Promise<string> {
  return pollUntil(
    'the clipboard to change',
    async () => {
      const text = await workbench.page.evaluate(() => navigator.clipboard.readText());
      return text !== previous ? text : undefined;
    },
    { timeoutMs: 10_000 },
  );
}

/** Signs out from the palette and waits for the welcome view. */
export async function signOut(workbench: Workbench): Promise<void> {
  await workbench.runCommand('Contexten: Sign Out of Codegen');
  await workbench.waitForNotification('signed out of Codegen');
  await authStatusItem(workbench).filter({ hasText: 'Sign In' }).waitFor();
}

/** Opens the Contexten sidebar on the Agent Tasks view. */
export async function openTasksView(workbench: Workbench): Promise<Locator> {
  await workbench.openViewContainer('Contexten');
  const view = workbench.view(TASKS_VIEW);
  await view.waitFor();
  return view;
}

/** "Contexten: New Agent Task" → prompt → "Create task"; returns the new run's id (from the notification). */
export async function createTask(workbench: Workbench, prompt: string): Promise<number> {
  await workbench.runCommand('Contexten: New Agent Task');
  await workbench.fillQuickInput(prompt, { prompt: 'What should the agent do?' });
  await workbench.waitForQuickInput({ prompt: 'Create now' });
  await workbench.pickQuickItem(/Create task$/);
  const toast = await workbench.waitForNotification(/agent task #\d+ started/);
  const id = /agent task #(\d+) started/.exec(await toast.innerText())?.[1];
  if (id === undefined) throw new Error('the "task started" notification names no run id');
  return Number(id);
}

/** One request in the contract server's log (bodies with tokens replaced by «token»). */
export interface ServerRequest {
  seq: number;
  method: string;
  path: string;
  auth: 'valid' | 'invalid' | 'missing';
  body?: unknown;
  fault?: string | null;
  status: number;
}

/** Clicks an action of the Agent Tasks view's title bar ("Refresh Agent Tasks", "New Agent Task"). */
export async function clickViewAction(workbench: Workbench, title: string): Promise<void> {
  await workbench.page.locator(`.part.sidebar .title-actions .action-label[aria-label="${title}"], .part.sidebar .pane-header .actions .action-label[aria-label="${title}"]`).first().click();
}

/** The ids of the runs the Agent Tasks view lists, top to bottom. */
export async function listedRunIds(workbench: Workbench): Promise<number[]> {
  const labels = await workbench.view(TASKS_VIEW).locator('.monaco-list-row .label-name').allInnerTexts();
  return labels.flatMap((l) => {
    const m = /^#(\d+)/.exec(l.trim());
    return m?.[1] ? [Number(m[1])] : [];
  });
}

/** The Codegen contract server's admin API (see test/servers/codegen/README.md). */
export class CodegenAdmin {
  constructor(private readonly baseUrl: string) {}

  static of(session: E2eSession): CodegenAdmin {
    return new CodegenAdmin(session.contractServer('codegen').baseUrl);
  }

  async addFaults(faults: readonly { path: string; kind: string; method?: string; times?: number; retryAfter?: string }[]): Promise<void> {
    await this.call('POST', '/__admin/faults', faults);
  }

  async clearFaults(): Promise<void> {
    await this.call('DELETE', '/__admin/faults');
  }

  /** How many injected faults are not used up yet. */
  async pendingFaults(): Promise<number> {
    const body = (await this.call('GET', '/__admin/faults')) as { faults: unknown[] };
    return body.faults.length;
  }

  /** Holds run `id` at `status` until it is stopped or resumed (e.g. RUNNING, so a test can stop it without racing the clock). */
  async freezeRun(id: number, status: string): Promise<void> {
    await this.call('POST', `/__admin/runs/${id}`, { status });
  }

  async revokeToken(token: string): Promise<void> {
    await this.call('POST', '/__admin/tokens', { revoke: [token] });
  }

  async restoreToken(token: string): Promise<void> {
    await this.call('POST', '/__admin/tokens', { add: [token] });
  }

  /** Requests the server answered (newest last), as logged by the server (tokens never included). */
  async requests(): Promise<ServerRequest[]> {
    const body = (await this.call('GET', '/__admin/requests')) as { requests: ServerRequest[] };
    return body.requests;
  }

  private async call(method: string, path: string, body?: unknown): Promise<unknown> {
    const res = await fetch(`${this.baseUrl}${path}`, {
      method,
      ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { 'content-type': 'application/json' } }),
    });
    // Never echo the response: admin bodies may carry what the test sent (the token).
    if (!res.ok) throw new Error(`contract server admin ${method} ${path} answered HTTP ${res.status}`);
    const text = await res.text();
    return text ? (JSON.parse(text) as unknown) : undefined;
  }
}
