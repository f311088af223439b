// Renders a packed context and a prompt as one model-friendly message: the excerpts first, each headed
// by its path, line range and symbol and fenced with a language tag, then the task itself.

import { languageForPath } from './languages';
import type { ContextItem, ContextResult } from './model';

/** Fence tags for text files the indexer does not parse; parsed files use their grammar's language. (A Map: see languages.ts.) */
const TEXT_LANGUAGE_BY_EXTENSION: ReadonlyMap<string, string> = new Map([
  ['json', 'json'],
  ['md', 'markdown'],
  ['yaml', 'yaml'],
  ['yml', 'yaml'],
  ['toml', 'toml'],
  ['sh', 'bash'],
]);

function languageTag(file: string): string {
  const language = languageForPath(file);
  if (language !== 'text') return language;
  const base = file.slice(file.lastIndexOf('/') + 1);
  const dot = base.lastIndexOf('.');
  return dot < 0 ? '' : (TEXT_LANGUAGE_BY_EXTENSION.get(base.slice(dot + 1).toLowerCase()) ?? '');
}

/** A backtick fence longer than any backtick run inside the text, so the text cannot close it. */
export function fenceFor(text: string): string {
  let longest = 0;
  for (const m of text.matchAll(/`+/g)) longest = Math.max(longest, m[0].length);
  return '`'.repeat(Math.max(3, longest + 1));
}

function heading(item: ContextItem): string {
  const lines = item.startLine === item.endLine ? `line ${item.startLine}` : `lines ${item.startLine}-${item.endLine}`;
  const what = item.kind === 'file' ? '' : `: ${item.kind} ${item.symbol}`;
  const detail = item.detail === 'signature' ? (item.kind === 'file' ? ' (beginning only)' : ' (signature only)') : '';
  return `### ${item.file} (${lines})${what}${detail}`;
}

export function renderContextItem(item: ContextItem): string {
  const fence = fenceFor(item.text);
  return `${heading(item)}\n${fence}${languageTag(item.file)}\n${item.text}\n${fence}`;
}

/** The prompt with a context section in front; the prompt alone when nothing was selected. */
export function formatPromptWithContext(prompt: string, context: ContextResult): string {
  if (context.items.length === 0) return prompt;
  const intro =
    'The excerpts below come from the workspace and were selected as relevant to the task that follows. ' +
    'Each is headed by its file path and line range (1-based, inclusive); "signature only" excerpts omit the body.';
  const excerpts = context.items.map(renderContextItem).join('\n\n');
  return `## Relevant code from the workspace\n\n${intro}\n\n${excerpts}\n\n## Task\n\n${prompt}`;
}
