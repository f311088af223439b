// Loads the sidebar's list of agent runs (a RunList) page by page: a refresh reloads the first pages, "Load more" the
// next one. One load at a time: a second "Load more" while one is out shares it (two would both ask for the page at
// the same offset, and the page after it would be lost), and a refresh and a "Load more" wait for each other (a page
// appended to a list replaced meanwhile, or at an offset from before, would skip or repeat runs). A caller that joins
// a "Load more" under way waits for it through its own signal (SharedWork): its Cancel ends its wait at once, and the
// load itself is aborted only when no caller wants it any more. Refreshes are not shared here: their one caller,
// TaskListModel, shares them. A page is read on the server when its request is sent: the runs it lists in an older
// state than the one shown since (a poll, a resume, a stop) keep the newer state (RunList.mark), and what the pages
// did bring is handed on with the time it was read.
import type { AgentRun, CodegenClient } from '../api/codegenClient';
import { throwIfAborted } from '../errors';
import type { Clock } from '../ports';
import { SharedWork } from '../sharedWork';
import { RunList } from './runList';

/** Runs per "Load more" page. */
export const PAGE_SIZE = 25;
/** Most runs one list request asks for (the API's limit). */
const MAX_LIMIT = 100;

export interface RunListLoaderOptions {
  client: Pick<CodegenClient, 'listRuns'>;
  clock: Clock;
  /**
   * Runs a load took from the server (not those whose newer state was kept), and the clock time the first request of
   * that load was sent: their state is as of then at the latest (see RunPoller.track's `readAt`).
   */
  onRuns: (runs: readonly AgentRun[], readAt: number) => void;
}

export class RunListLoader {
  readonly list = new RunList();
  private readonly loadingMore = new SharedWork<void>((signal) => this.queue(() => this.loadNext(signal)));
  /** The last load queued: the next one starts after it has ended. */
  private tail: Promise<void> = Promise.resolve();
  /** Counts clear() calls: a load sent before the last one is not applied. */
  private clears = 0;

  constructor(private readonly opts: RunListLoaderOptions) {}

  /**
   * Reloads the first pages (as many runs as are shown when it starts, at least one page), after the loads queued
   * before it. Not shared: each call is one more load (TaskListModel shares refreshes among its callers).
   */
  refresh(signal?: AbortSignal): Promise<void> {
    return this.queue(() => this.loadFirst(signal));
  }

  /**
   * Loads the next page. Joins the one queued or out, waiting for it through `signal` (rejects with CancellationError
   * at once when it aborts; the load is aborted only when every caller waiting for it did).
   */
  loadMore(signal?: AbortSignal): Promise<void> {
    return this.loadingMore.run(signal);
  }

  /** Forgets the list; a load under way is not applied, and a "Load more" under way is aborted (none joins it). */
  clear(): void {
    this.clears++;
    this.list.clear();
    this.loadingMore.abort();
  }

  /** Runs `work` after the loads queued before it; not at all when the list was cleared (signed out) meanwhile. */
  private queue(work: () => Promise<void>): Promise<void> {
    const clears = this.clears;
    const next = this.tail.then(() => (clears === this.clears ? work() : undefined));
    this.tail = next.catch(() => undefined);
    return next;
  }

  private async loadFirst(signal: AbortSignal | undefined): Promise<void> {
    throwIfAborted(signal);
    const count = Math.max(PAGE_SIZE, this.list.runs.length);
    const clears = this.clears;
    const since = this.list.mark();
    const readAt = this.opts.clock.now();
    const sent: AgentRun[] = [];
    let total = 0;
    let firstTotal: number | undefined;
    // The server's offset counts the runs it sent, unreadable ones too; a run created between two pages shifts the
    // list, so a run can come twice: the list keeps it once, and knows from it (or from the total grown since the first
    // page, when that run could not be read) that the server counted the new run.
    let skip = 0;
    while (skip < count) {
      const page = await this.opts.client.listRuns({ skip, limit: Math.min(MAX_LIMIT, count - skip) }, signal);
      const received = page.received ?? page.items.length;
      skip += received;
      sent.push(...page.items);
      total = page.total;
      firstTotal ??= total;
      if (received === 0 || skip >= total) break;
    }
    if (clears !== this.clears) return;
    this.opts.onRuns(this.list.replace(sent, skip, total, since, firstTotal), readAt);
  }

  private async loadNext(signal: AbortSignal): Promise<void> {
    throwIfAborted(signal);
    const clears = this.clears;
    const since = this.list.mark();
    const readAt = this.opts.clock.now();
    const page = await this.opts.client.listRuns({ skip: this.list.offset, limit: PAGE_SIZE }, signal);
    if (clears !== this.clears) return;
    this.opts.onRuns(this.list.appendPage(page.items, page.received ?? page.items.length, page.total, since), readAt);
  }
}
