import type { AgentRun, AgentRunLog } from '../api/codegenClient';

const MAX_FIELD = 2_000;

function clip(text: string): string {
  const t = text.trim();
  return t.length > MAX_FIELD ? `${t.slice(0, MAX_FIELD)} … (${t.length - MAX_FIELD} more characters)` : t;
}

function asText(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  try {
    return JSON.stringify(v);
  } catch {
    return String(v);
  }
}

/** Renders an agent run's logs as a readable plain-text document, oldest first. */
export function formatRunLogs(run: AgentRun, logs: readonly AgentRunLog[], totalLogs: number): string {
  const lines: string[] = [];
  lines.push(`Agent run #${run.id} — ${run.status || 'UNKNOWN'}${run.webUrl ? ` — ${run.webUrl}` : ''}`);
  if (run.summary) lines.push(`Summary: ${clip(run.summary)}`);
  lines.push(`${logs.length} of ${totalLogs} log entries`, '');
  for (const log of logs) {
    const when = log.createdAt ? log.createdAt.toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
    lines.push(`[${when}] ${log.messageType ?? 'LOG'}${log.toolName ? ` · ${log.toolName}` : ''}`);
    if (log.thought) lines.push(`  thought: ${clip(log.thought).replace(/\n/g, '\n    ')}`);
    const input = asText(log.toolInput);
    if (input) lines.push(`  input: ${clip(input).replace(/\n/g, '\n    ')}`);
    if (log.observation) lines.push(`  observation: ${clip(log.observation).replace(/\n/g, '\n    ')}`);
    const output = asText(log.toolOutput);
    if (output) lines.push(`  output: ${clip(output).replace(/\n/g, '\n    ')}`);
    lines.push('');
  }
  if (run.result) lines.push('Result:', run.result);
  return lines.join('\n');
}
