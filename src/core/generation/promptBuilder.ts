// Frames a generation: the system instruction (contexten.generation.description plus answer format)
// and the user message (the prompt, caller-supplied context and the ranked codebase context).
import { createHash } from 'node:crypto';
import type { ContextItem } from '../context/model';

export interface PromptParts {
  readonly description: string;
  readonly prompt: string;
  /** Context text the caller supplied (e.g. the selected code). */
  readonly codebaseContext?: string;
  readonly contextItems: readonly ContextItem[];
}

export interface BuiltPrompt {
  readonly system: string;
  readonly user: string;
}

const FORMAT = 'Put code in fenced markdown code blocks tagged with their language, followed by a short explanation.';

export function buildPrompt(parts: PromptParts): BuiltPrompt {
  const sections = [parts.prompt.trim()];
  if (parts.codebaseContext?.trim()) sections.push(`Context supplied with the request:\n${fence(parts.codebaseContext.trimEnd(), '')}`);
  if (parts.contextItems.length > 0) {
    const items = parts.contextItems.map((it) => `${describeItem(it)}\n${fence(it.text.trimEnd(), languageOf(it.file))}`);
    sections.push(`Relevant code from the workspace, most relevant first:\n\n${items.join('\n\n')}`);
  }
  return { system: `${parts.description.trim()}\n${FORMAT}`, user: sections.join('\n\n') };
}

/** One prompt string for providers without a system role (Codegen agent runs). */
export function singlePrompt(p: BuiltPrompt): string {
  return `${p.system}\n\n${p.user}`;
}

/** Identifies the context a prompt carried: equal fingerprints mean the same context text. */
export function contextFingerprint(items: readonly ContextItem[], codebaseContext: string | undefined): string {
  const h = createHash('sha256');
  h.update(codebaseContext ?? '');
  for (const it of items) h.update(`\0${it.file}\0${it.startLine}\0${it.endLine}\0${it.detail}\0${it.text}`);
  return h.digest('hex');
}

function describeItem(it: ContextItem): string {
  const what = it.kind === 'file' ? 'file excerpt' : `${it.kind} ${it.symbol}${it.detail === 'signature' ? ' (signature only)' : ''}`;
  return `${it.file} lines ${it.startLine}-${it.endLine}: ${what}`;
}

/** A fence longer than any backtick run inside the text, so code containing ``` stays intact. */
function fence(text: string, language: string): string {
  const longest = Math.max(2, ...Array.from(text.matchAll(/`+/g), (m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${language}\n${text}\n${f}`;
}

const EXTENSION_LANGUAGE: Readonly<Record<string, string>> = {
  ts: 'typescript',
  tsx: 'tsx',
  mts: 'typescript',
  cts: 'typescript',
  js: 'javascript',
  jsx: 'jsx',
  mjs: 'javascript',
  cjs: 'javascript',
  py: 'python',
  go: 'go',
  rs: 'rust',
  java: 'java',
};

function languageOf(file: string): string {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase() ?? '';
  return EXTENSION_LANGUAGE[ext] ?? '';
}
