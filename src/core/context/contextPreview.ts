import { fenceFor } from './contextPrompt';
import type { ContextResult } from './model';

/**
 * A location line in the preview: `### 3. src/a.ts:10-24 · parseConfig (function) · score 0.82 · full`. The path may
 * hold spaces (a file's or a multi-root folder's name: `My App/src/a.ts`).
 */
export const PREVIEW_LOCATION = /^### \d+\. (.+?):(\d+)-(\d+) · /;

/**
 * Renders exactly what would be sent for a prompt — every item's location, score, reasons and text — as a
 * readable Markdown document. The glue turns the location lines into clickable links.
 */
export function formatContextPreview(query: string, result: ContextResult): string {
  const lines: string[] = [
    `# Context for: ${query.replace(/\s+/g, ' ').slice(0, 200)}`,
    '',
    `${result.items.length} items · ${result.chars.toLocaleString('en-US')} of ${result.budget.toLocaleString('en-US')} characters · ${Math.round(result.ms)} ms${result.cached ? ' · cached' : ''} · index version ${result.indexVersion}`,
    '',
  ];
  if (result.items.length === 0) lines.push('_No definitions passed the relevance threshold. Is the workspace indexed? Try naming identifiers from your code._');
  result.items.forEach((item, i) => {
    lines.push(`### ${i + 1}. ${item.file}:${item.startLine}-${item.endLine} · ${item.symbol} (${item.kind}) · score ${item.score.toFixed(2)} · ${item.detail === 'full' ? 'full definition' : 'signature only'}`);
    for (const r of item.reasons) lines.push(`- ${r}`);
    const fence = fenceFor(item.text);
    lines.push('', fence, item.text, fence, '');
  });
  return lines.join('\n');
}
