// The Markdown of an agent run's hover in the Agent Tasks view. Everything the server sent (status, summary) is
// escaped, so a crafted status such as `![x](https://tracker/p.png)` shows as the text it is: no image is loaded and
// no link is planted. The web link is the one part made a link; openableLink (codegenSchemas) has already checked it
// and escaped its brackets.
import type { AgentRun } from '../api/codegenClient';

/** Characters with a meaning in Markdown (CommonMark lets any ASCII punctuation be escaped with a backslash). */
const MARKDOWN_SYNTAX = /[\\`*_{}[\]()<>#+\-.!|~&$:]/g;

/**
 * `text` as Markdown that renders as that text: syntax escaped, each line a paragraph, runs of spaces kept (as
 * non-breaking spaces, so an indented line is no code block). The one escaping of server text in the Agent Tasks view
 * (this hover, a run's result and summary items): VS Code's MarkdownString.appendText is like it, but leaves `.` and
 * `:` alone, so a bare URL or www. name in the text still becomes a link; and pure, it is tested in plain Node.
 */
export function escapeMarkdown(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map((line) => line.replace(MARKDOWN_SYNTAX, '\\$&').replace(/[ \t]+/g, (spaces) => '&nbsp;'.repeat(spaces.length)))
    .join('\n\n');
}

/** The hover of a run: id and status, creation time, the summary's start and a link to the run in the browser. */
export function runHoverMarkdown(run: Pick<AgentRun, 'id' | 'status' | 'createdAt' | 'summary' | 'webUrl'>): string {
  const status = run.status ? run.status.toLowerCase().replace(/_/g, ' ') : 'unknown';
  const parts = [`**Run #${run.id}** — ${escapeMarkdown(status.replace(/\s+/g, ' '))}`];
  if (run.createdAt) parts.push(`Created ${run.createdAt.toISOString()}`);
  if (run.summary) parts.push(escapeMarkdown(run.summary.slice(0, 1000)));
  if (run.webUrl) parts.push(`[Open in browser](${run.webUrl})`);
  return parts.join('\n\n');
}
