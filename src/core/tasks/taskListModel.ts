// What the "Agent Tasks" view shows and when it loads it, without VS Code (TaskTreeProvider draws it): the runs a
// RunListLoader loaded, a message while loading, after a failed refresh or for an empty list, and "Load more".
import type { AgentRun, CodegenClient } from '../api/codegenClient';
import { AuthenticationError, CancellationError, errorMessage } from '../errors';
import type { Clock, Logger } from '../ports';
import { SharedWork } from '../sharedWork';
import { RunListLoader } from './runListLoader';

export type TaskNode =
  | { kind: 'run'; run: AgentRun }
  | { kind: 'pr'; run: AgentRun; index: number }
  | { kind: 'detail'; run: AgentRun; label: string; text: string }
  | { kind: 'loadMore' }
  | { kind: 'message'; text: string; error: boolean };

export interface TaskListModelOptions {
  client: Pick<CodegenClient, 'listRuns'>;
  clock: Clock;
  log: Logger;
  /** Runs a load took from the server, and when they were read (RunListLoaderOptions.onRuns). */
  onRuns: (runs: readonly AgentRun[], readAt: number) => void;
  /** A load was refused for the token or organization (shown to the user by the caller). */
  onAuthFailure: (err: AuthenticationError) => void;
  /** What rootNodes() returns may have changed. */
  onChange: () => void;
}

/**
 * The runs shown, paged with skip/limit, newest first. Runs are replaced in place when the poller reports a change, so
 * the list stays intact through faults (a failed refresh keeps what was shown, under a "Refresh failed" message).
 *
 * Refreshes are shared: one asked for while another is out joins it (the view becoming visible, the Refresh command,
 * a sign-in). Each caller waits through its own signal, so the Refresh command's Cancel ends that command at once
 * even when the view's own load goes on; the load is aborted only when every caller waiting for it cancelled (a
 * caller without a signal — the view loading what it shows — keeps it running). A cancelled refresh is no failure:
 * it leaves the list, and any message, as they were. clear() ends the refresh under way: one asked for after it (the
 * endpoint changed) never joins one started before.
 */
export class TaskListModel {
  /** Loads the runs shown (its `list`), one load at a time. */
  private readonly loader: RunListLoader;
  private readonly refreshing = new SharedWork<void>((signal) => this.load(signal));
  private loaded = false;
  private lastError: string | undefined;
  /**
   * Runs dropped since the last load because the server no longer has them (the poller got a 404 twice): said in the
   * list, under its own message, until the next load shows what the server has.
   */
  private readonly gone: number[] = [];
  /** Counts clear() calls (see load). */
  private clears = 0;
  /**
   * False while signed out: the view is then empty (so VS Code shows its welcome view with the Sign In
   * button) and nothing is requested. Stays true while a rejected token waits for a new sign-in, so the
   * list stays intact.
   */
  private signedIn = false;

  constructor(private readonly opts: TaskListModelOptions) {
    this.loader = new RunListLoader({ client: opts.client, clock: opts.clock, onRuns: opts.onRuns });
  }

  get list(): RunListLoader['list'] {
    return this.loader.list;
  }

  /** Signed in (or token rejected) → shows and loads runs; signed out → empty, nothing loaded. */
  setSignedIn(signedIn: boolean): void {
    if (signedIn === this.signedIn) return;
    this.signedIn = signedIn;
    if (!signedIn) this.clear();
  }

  /**
   * Reloads the first pages (as many runs as are shown, at least one page). Keeps the old list on failure. Joins a
   * refresh under way; rejects with CancellationError as soon as `signal` aborts (see the class comment).
   */
  refresh(signal?: AbortSignal): Promise<void> {
    if (!this.signedIn) return Promise.resolve();
    return this.refreshing.run(signal);
  }

  /** Loads the next page (clicked twice before it came: one page; after a refresh under way). */
  async loadMore(signal?: AbortSignal): Promise<void> {
    if (!this.signedIn) return;
    try {
      await this.loader.loadMore(signal);
    } finally {
      this.opts.onChange();
    }
  }

  /** Inserts or replaces one run (from creation, resume, stop or the poller). */
  upsert(run: AgentRun): void {
    this.list.upsert(run);
    this.loaded = true;
    this.opts.onChange();
  }

  /**
   * Drops a run the server no longer has. `noted`: the list says so (a run that vanished while followed), until the
   * next load.
   */
  remove(id: number, noted = false): void {
    if (!this.list.get(id)) return;
    this.list.remove(id);
    if (noted && !this.gone.includes(id)) this.gone.push(id);
    this.opts.onChange();
  }

  /**
   * Forgets the list (signed out, or the endpoint changed: its runs are another organization's) and ends a refresh under
   * way: its answer is not applied, its callers get a CancellationError, and a refresh asked for from now on starts a
   * new load instead of joining it.
   */
  clear(): void {
    this.clears++;
    this.refreshing.abort();
    this.loader.clear();
    this.loaded = false;
    this.lastError = undefined;
    this.gone.length = 0;
    this.opts.onChange();
  }

  /**
   * The view's top-level nodes. Signed in with nothing loaded yet (and no failure to show), starts loading and says
   * so: the view loads what it shows, whatever a cancelled command did.
   */
  rootNodes(): TaskNode[] {
    if (!this.signedIn) return [];
    const nodes: TaskNode[] = [];
    if (this.lastError) nodes.push({ kind: 'message', text: `Refresh failed: ${this.lastError}`, error: true });
    if (!this.loaded && !this.lastError) {
      void this.refresh().catch(() => undefined);
      return [{ kind: 'message', text: 'Loading agent runs…', error: false }];
    }
    if (this.gone.length > 0) nodes.push({ kind: 'message', text: goneText(this.gone), error: false });
    const runs = this.list.runs;
    if (this.loaded && runs.length === 0) nodes.push({ kind: 'message', text: 'No agent runs yet. Use "New Task" to start one.', error: false });
    nodes.push(...runs.map((run): TaskNode => ({ kind: 'run', run })));
    // (By the server's offset: a run it sent but nobody could read is counted, not waited for.)
    if (this.list.hasMore) nodes.push({ kind: 'loadMore' });
    return nodes;
  }

  private async load(signal: AbortSignal): Promise<void> {
    const clears = this.clears;
    try {
      await this.loader.refresh(signal);
      // (A load from before a sign-out was not applied, nor is its failure: the list is still to be loaded.)
      if (clears !== this.clears) return;
      this.loaded = true;
      this.lastError = undefined;
      this.gone.length = 0;
    } catch (err) {
      // (Cancelled: nothing failed; what was shown, a failure message too, stays as it was.)
      if (clears !== this.clears || CancellationError.is(err)) throw err;
      if (err instanceof AuthenticationError) this.opts.onAuthFailure(err);
      this.lastError = errorMessage(err);
      this.opts.log.warn(`Could not load agent runs: ${this.lastError}`);
      throw err;
    } finally {
      this.opts.onChange();
    }
  }
}

/** The list's message for runs dropped as gone: `Run #17 no longer exists on Codegen: removed from the list.` */
function goneText(ids: readonly number[]): string {
  const named = ids.map((id) => `#${id}`);
  return named.length === 1 ? `Run ${named[0] ?? ''} no longer exists on Codegen: removed from the list.` : `Runs ${named.join(', ')} no longer exist on Codegen: removed from the list.`;
}
