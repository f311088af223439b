// Fetches an agent run's logs for the logs document, page by page, oldest first. A run may log more entries than a
// document should hold (MAX_LOG_ENTRIES): then its first page (the task and the plan) and its newest entries are fetched,
// and the entries between them are left out and counted. The newest are read from their place in the oldest-first order
// (`skip` = their count from the start), not with the API's `reverse`: entries a running run adds go at the end, so
// oldest-first offsets stay put while it writes, where newest-first ones would move under the paging.
import type { AgentRun, AgentRunLog, CodegenClient } from '../api/codegenClient';

/** Entries per logs request. */
export const LOG_PAGE = 100;
/** Most entries one logs document shows. */
export const MAX_LOG_ENTRIES = 2_000;

export interface RunLogsRead {
  /** The run as the last page described it. */
  run: AgentRun;
  /** The entries fetched, oldest first (those the server sent unreadable are not in it). */
  logs: AgentRunLog[];
  /** The run's count of entries, as the last page said. */
  totalLogs: number;
  /**
   * Entries left out between the first page and the newest ones: after the first `after` of `logs`, `count` of them,
   * from entry number `first` (1 = the oldest).
   */
  gap?: { after: number; first: number; count: number };
}

export interface RunLogsOptions {
  signal?: AbortSignal | undefined;
  /** Default MAX_LOG_ENTRIES. */
  maxEntries?: number;
  /** Default LOG_PAGE. */
  pageSize?: number;
}

export async function fetchRunLogs(client: Pick<CodegenClient, 'getRunLogs'>, runId: number, opts: RunLogsOptions = {}): Promise<RunLogsRead> {
  const max = Math.max(1, opts.maxEntries ?? MAX_LOG_ENTRIES);
  const pageSize = Math.max(1, Math.min(opts.pageSize ?? LOG_PAGE, max));
  const first = await client.getRunLogs(runId, { skip: 0, limit: pageSize }, opts.signal);
  const logs = [...first.logs];
  let run = first.run;
  let totalLogs = first.totalLogs;
  // The server's offset counts the entries it sent, unreadable ones too (skipped by the client): not logs.length.
  let skip = first.received ?? first.logs.length;
  let gap: RunLogsRead['gap'];
  /** Entries (sent) the document may still take. */
  let room = max - skip;
  if (totalLogs - skip > room) {
    // Too many: the newest `room` entries after a gap.
    const start = totalLogs - room;
    gap = { after: logs.length, first: skip + 1, count: start - skip };
    skip = start;
  }
  while (skip < totalLogs && room > 0) {
    const page = await client.getRunLogs(runId, { skip, limit: Math.min(pageSize, room) }, opts.signal);
    const received = page.received ?? page.logs.length;
    if (received === 0) break;
    skip += received;
    room -= received;
    logs.push(...page.logs);
    run = page.run;
    totalLogs = page.totalLogs;
  }
  return { run, logs, totalLogs, ...(gap ? { gap } : {}) };
}
