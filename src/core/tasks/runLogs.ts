// Fetches an agent run's logs for the logs document, page by page, oldest first. A run may log more entries than a
// document should hold (MAX_LOG_ENTRIES): then its first page (the task and the plan) and its newest entries are fetched,
// and the entries between them are left out and counted. The newest are read from their place in the oldest-first order
// (`skip` = their count from the start), not with the API's `reverse`: entries a running run adds go at the end, so
// oldest-first offsets stay put while it writes, where newest-first ones would move under the paging.
import type { AgentRun, AgentRunLog, CodegenClient } from '../api/codegenClient';
import { adviceStepText, adviseError } from '../errorAdvice';
import { CancellationError } from '../errors';
import type { Logger } from '../ports';
import { formatRunLogs } from './logFormatter';

/** Entries per logs request. */
export const LOG_PAGE = 100;
/** Most entries one logs document shows. */
export const MAX_LOG_ENTRIES = 2_000;

export interface RunLogsRead {
  /** The run as the last page described it. */
  run: AgentRun;
  /** The entries fetched, oldest first (those the server sent unreadable are not in it). */
  logs: AgentRunLog[];
  /** The run's count of entries, as the last page said; absent when the server did not say (`total_logs: null`). */
  totalLogs?: number;
  /**
   * Entries left out between the first page and the newest ones: after the first `after` of `logs`, `count` of them,
   * from entry number `first` (1 = the oldest).
   */
  gap?: { after: number; first: number; count: number };
  /** With the total unknown: the cap was reached on a full page, so entries after those fetched may not be shown. */
  more?: boolean;
}

export interface RunLogsOptions {
  signal?: AbortSignal | undefined;
  /** Default MAX_LOG_ENTRIES. */
  maxEntries?: number;
  /** Default LOG_PAGE. */
  pageSize?: number;
}

/**
 * The run's log entries, oldest first, page by page up to `maxEntries`. With the server's total known, it pages up to
 * it (past the cap: the first page, a gap, the newest); without one (`total_logs: null`) it pages on until a page comes
 * back short or empty — the first `maxEntries`, then, and `more` when the cap ended the reading on a full page.
 */
export async function fetchRunLogs(client: Pick<CodegenClient, 'getRunLogs'>, runId: number, opts: RunLogsOptions = {}): Promise<RunLogsRead> {
  const max = Math.max(1, opts.maxEntries ?? MAX_LOG_ENTRIES);
  const pageSize = Math.max(1, Math.min(opts.pageSize ?? LOG_PAGE, max));
  const first = await client.getRunLogs(runId, { skip: 0, limit: pageSize }, opts.signal);
  const logs = [...first.logs];
  let run = first.run;
  let totalLogs = first.totalLogs;
  // The server's offset counts the entries it sent, unreadable ones too (skipped by the client): not logs.length.
  let skip = first.received ?? first.logs.length;
  /** The last page came back full: with the total unknown, more may follow. */
  let lastFull = skip >= pageSize;
  let gap: RunLogsRead['gap'];
  /** Entries (sent) the document may still take. */
  let room = max - skip;
  if (totalLogs !== undefined && totalLogs - skip > room) {
    // Too many: the newest `room` entries after a gap.
    const start = totalLogs - room;
    gap = { after: logs.length, first: skip + 1, count: start - skip };
    skip = start;
  }
  while ((totalLogs === undefined ? lastFull : skip < totalLogs) && room > 0) {
    const limit = Math.min(pageSize, room);
    const page = await client.getRunLogs(runId, { skip, limit }, opts.signal);
    const received = page.received ?? page.logs.length;
    if (received === 0) {
      lastFull = false;
      break;
    }
    skip += received;
    room -= received;
    lastFull = received >= limit;
    logs.push(...page.logs);
    run = page.run;
    totalLogs = page.totalLogs;
  }
  const more = totalLogs === undefined && lastFull && room <= 0;
  return { run, logs, ...(totalLogs !== undefined ? { totalLogs } : {}), ...(gap ? { gap } : {}), ...(more ? { more } : {}) };
}

/** What a logs document shows while its logs are fetched. */
export const LOGS_LOADING = 'Logs are loading…';

/**
 * The texts of the logs documents, by run id, kept while a document is open (`forget` frees one when it closes). A
 * text asked for that is not there (freed, e.g. when the user changed the document's language mode and VS Code closed
 * and reopened it, or never loaded) is fetched here, as "Show Task Logs" fetches it, and `changed` is called when it
 * has arrived; a failure becomes the text, with the next step. Never rejects in the background.
 */
export class RunLogsTexts {
  private readonly texts = new Map<number, string>();
  /** Background fetches in flight, by run id. */
  private readonly loads = new Map<number, AbortController>();

  constructor(
    private readonly client: Pick<CodegenClient, 'getRunLogs'>,
    private readonly changed: (runId: number) => void,
    private readonly log: Logger,
    private readonly opts: Omit<RunLogsOptions, 'signal'> = {},
  ) {}

  /** Fetches the logs and keeps their text ("Show Task Logs"; a fetch in the background gives way). Rejects as fetchRunLogs. */
  async load(runId: number, signal?: AbortSignal): Promise<void> {
    const text = formatRunLogs(await fetchRunLogs(this.client, runId, { ...this.opts, signal }));
    this.stopLoad(runId);
    this.texts.set(runId, text);
    this.changed(runId);
  }

  /** The text, or LOGS_LOADING while it is fetched in the background (started here if it is not yet). */
  text(runId: number): string {
    const text = this.texts.get(runId);
    if (text !== undefined) return text;
    if (!this.loads.has(runId)) {
      const controller = new AbortController();
      this.loads.set(runId, controller);
      void this.loadInBackground(runId, controller);
    }
    return LOGS_LOADING;
  }

  /** Frees a text (its document closed), and stops its fetch. */
  forget(runId: number): void {
    this.texts.delete(runId);
    this.stopLoad(runId);
  }

  dispose(): void {
    for (const id of [...this.loads.keys()]) this.stopLoad(id);
    this.texts.clear();
  }

  private stopLoad(runId: number): void {
    this.loads.get(runId)?.abort();
    this.loads.delete(runId);
  }

  private async loadInBackground(runId: number, controller: AbortController): Promise<void> {
    let text: string;
    try {
      text = formatRunLogs(await fetchRunLogs(this.client, runId, { ...this.opts, signal: controller.signal }));
    } catch (err) {
      if (controller.signal.aborted || CancellationError.is(err)) return;
      this.log.error(`logs of run #${runId}: could not load them`, err);
      text = logsErrorText(runId, err);
    }
    // (Forgotten, or replaced by "Show Task Logs", meanwhile: not this fetch's text any more.)
    if (this.loads.get(runId) !== controller) return;
    this.loads.delete(runId);
    this.texts.set(runId, text);
    try {
      this.changed(runId);
    } catch (err) {
      this.log.error(`logs of run #${runId}: the document was not told of its text`, err);
    }
  }
}

/** A failed fetch as a logs document's text: what went wrong and what to do next. */
function logsErrorText(runId: number, err: unknown): string {
  const advice = adviseError(err);
  const steps = [...advice.steps.map(adviceStepText), 'then run "Contexten: Show Task Logs" again'];
  return `Could not load the logs of run #${runId}.\n\n${advice.message}\n\nNext: ${steps.join('; ')}.\n`;
}
