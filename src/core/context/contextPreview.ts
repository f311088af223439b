import { fenceFor } from './contextPrompt';
import type { ContextResult } from './model';
import { visibleText } from '../../shared/visibleText';

/** Where an item's location is in the preview, and the file and line it opens. */
export interface PreviewLocation {
  /** 0-based line of the preview, and the characters of it the link covers. */
  readonly line: number;
  readonly start: number;
  readonly end: number;
  /** The index path, as the item names it, and its 1-based first line. */
  readonly file: string;
  readonly startLine: number;
  /** The item's file as the folders of its ranking placed it (ContextItem.uri), when the ranking said. */
  readonly uri?: string;
  /** Where the item starts in the editor when it is not startLine (ContextItem.editorLine: a file with lone CRs). */
  readonly editorLine?: number;
}

export interface ContextPreviewDocument {
  readonly text: string;
  /** Each item's location line (`### 3. src/a.ts:10-24 · …`): the glue makes them links, and nothing else. */
  readonly locations: readonly PreviewLocation[];
}

/**
 * Renders exactly what would be sent for a prompt — every item's location, score, reasons and text — as a
 * readable Markdown document, with the location of each item's line (the glue turns those, and only those, into links:
 * a line of an item's text that looks like one is none).
 */
export function formatContextPreview(query: string, result: ContextResult): ContextPreviewDocument {
  const lines: string[] = [
    `# Context for: ${visibleText(query.replace(/\s+/g, ' ').slice(0, 200))}`,
    '',
    `${result.items.length} items · ${result.chars.toLocaleString('en-US')} of ${result.budget.toLocaleString('en-US')} characters · ${Math.round(result.ms)} ms${result.cached ? ' · cached' : ''} · index version ${result.indexVersion}`,
    '',
  ];
  const locations: PreviewLocation[] = [];
  // While the workspace is being indexed a prompt gets what the files indexed so far give; the preview shows that.
  if (result.partial) {
    const { filesDone, filesFound } = result.partial;
    const sofar = filesFound > 0 ? `${filesDone.toLocaleString('en-US')} of ${filesFound.toLocaleString('en-US')} files so far` : 'no files yet';
    lines.push(`_The workspace is still being indexed (${sofar}): this is what a prompt sent now would get. Preview again once indexing ends for the whole workspace._`, '');
  }
  if (result.items.length === 0) lines.push('_No definitions passed the relevance threshold. Is the workspace indexed? Try naming identifiers from your code._');
  result.items.forEach((item, i) => {
    const heading = `### ${i + 1}. `;
    const location = `${visibleText(item.file)}:${item.startLine}-${item.endLine}`;
    locations.push({
      line: lines.length,
      start: heading.length,
      end: heading.length + location.length,
      file: item.file,
      startLine: item.startLine,
      ...(item.uri !== undefined ? { uri: item.uri } : {}),
      ...(item.editorLine !== undefined ? { editorLine: item.editorLine } : {}),
    });
    lines.push(`${heading}${location} · ${visibleText(item.symbol)} (${visibleText(item.kind)}) · score ${item.score.toFixed(2)} · ${item.detail === 'full' ? 'full definition' : 'signature only'}`);
    for (const r of item.reasons) lines.push(`- ${visibleText(r)}`);
    const fence = fenceFor(item.text);
    // (Line by line: `lines` counts the preview's lines, for the locations. Split where the editor breaks lines — at
    // \r\n, \n and a lone \r — so a lone \r in a file written with mixed line endings moves no link off its line.)
    lines.push('', fence, ...item.text.split(/\r\n|\r|\n/), fence, '');
  });
  return { text: lines.join('\n'), locations };
}
