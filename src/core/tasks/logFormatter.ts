import { stripAnsi } from '../ansi';
import type { RunLogsRead } from './runLogs';

const MAX_FIELD = 2_000;

/** The text cut to MAX_FIELD characters, counted without terminal escape sequences (which are not shown). */
function clip(text: string): string {
  const t = stripAnsi(text).trim();
  return t.length > MAX_FIELD ? `${t.slice(0, MAX_FIELD)} … (${t.length - MAX_FIELD} more characters)` : t;
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  try {
    // (The strings of a tool's structured input or output without their escape sequences: JSON writes ESC as `\u001b`,
    // which clip's stripAnsi would not see.)
    return JSON.stringify(v, (_key, value: unknown) => (typeof value === 'string' ? stripAnsi(value) : value));
  } catch {
    return String(v);
  }
}

/**
 * Renders an agent run's logs as a readable plain-text document, oldest first: `read` as fetchRunLogs returns it. Says
 * which entries are not shown (left out between the first page and the newest, or logged while it was fetched). Terminal
 * escape sequences (a tool's colored output) are left out: a document would show them as `[31m` and the like.
 */
export function formatRunLogs(read: RunLogsRead): string {
  const { run, logs, totalLogs, gap, more } = read;
  const lines: string[] = [];
  lines.push(`Agent run #${run.id} — ${run.status || 'UNKNOWN'}${run.webUrl ? ` — ${run.webUrl}` : ''}`);
  if (run.summary) lines.push(`Summary: ${clip(run.summary)}`);
  const unshown = totalLogs === undefined ? 0 : totalLogs - logs.length - (gap?.count ?? 0);
  const leftOut = gap ? `entries ${gap.first}–${gap.first + gap.count - 1}` : '';
  const notes = [
    gap ? `the first ${gap.after} and the newest ${logs.length - gap.after}; the ${gap.count} between them (${leftOut}) are left out` : '',
    unshown > 0 ? `${unshown} not shown (unreadable, or logged while this was fetched: run "Show Task Logs" again)` : '',
  ].filter(Boolean);
  // (Without a total from the server the count is not known: never "N of N".)
  if (totalLogs === undefined) notes.push(more ? `the first ${logs.length}; more may follow (open the run in the browser for the rest)` : 'the server sent no total: read up to its last page');
  const count = totalLogs === undefined ? `${logs.length} log entries` : `${logs.length} of ${totalLogs} log entries`;
  lines.push(`${count}${notes.length ? `: ${notes.join('; ')}` : ''}`, '');
  logs.forEach((log, i) => {
    if (gap && i === gap.after) lines.push(`… ${gap.count} entries left out (${leftOut}); the newest follow …`, '');
    const when = log.createdAt ? log.createdAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
    lines.push(`[${when}] ${log.messageType ?? 'LOG'}${log.toolName ? ` · ${log.toolName}` : ''}`);
    if (log.thought) lines.push(`  thought: ${clip(log.thought).replace(/\n/g, '\n    ')}`);
    const input = asText(log.toolInput);
    if (input) lines.push(`  input: ${clip(input).replace(/\n/g, '\n    ')}`);
    if (log.observation) lines.push(`  observation: ${clip(log.observation).replace(/\n/g, '\n    ')}`);
    const output = asText(log.toolOutput);
    if (output) lines.push(`  output: ${clip(output).replace(/\n/g, '\n    ')}`);
    lines.push('');
  });
  if (run.result) lines.push('Result:', run.result);
  return stripAnsi(lines.join('\n'));
}
