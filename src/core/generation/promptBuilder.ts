// Frames a generation: the system instruction (contexten.generation.description plus answer format)
// and the user message (the ranked codebase context, then the prompt with any caller-supplied code).
import { createHash } from 'node:crypto';
import { fenceFor, formatPromptWithContext } from '../context/contextPrompt';
import type { ContextItem, ContextResult } from '../context/model';

export interface PromptParts {
  readonly description: string;
  readonly prompt: string;
  /** Context text the caller supplied (e.g. the selected code). */
  readonly codebaseContext?: string;
  /** The ranked codebase context, when context enhancement is on. */
  readonly context?: ContextResult;
}

export interface BuiltPrompt {
  readonly system: string;
  readonly user: string;
}

/**
 * The most code a request carries from its caller (`codebaseContext`: a selection, the API's text), in characters: what
 * the API accepts, and what the editor's commands send.
 */
export const MAX_CALLER_CODE_CHARS = 1_000_000;

/**
 * Why a selection is not sent by `command`, or undefined when it can be. `chars`: the selection as sent — its code with
 * the line naming its file and lines, and the fences —, which MAX_CALLER_CODE_CHARS bounds.
 */
export function selectionProblem(chars: number, command: string): string | undefined {
  if (chars <= MAX_CALLER_CODE_CHARS) return undefined;
  return (
    `the selection is ${chars.toLocaleString('en-US')} characters as sent (with its file name and lines), more than "${command}" sends (${MAX_CALLER_CODE_CHARS.toLocaleString('en-US')}; ` +
    'far fewer fit most models). Select the part the request is about, then try again.'
  );
}

const FORMAT = 'Put code in fenced markdown code blocks tagged with their language, followed by a short explanation.';

/** The system instruction and the user message: workspace excerpts first (as the context engine renders them), then the task. */
export function buildPrompt(parts: PromptParts): BuiltPrompt {
  let task = parts.prompt.trim();
  if (parts.codebaseContext?.trim()) task += `\n\nCode supplied with the task:\n${fence(parts.codebaseContext.trimEnd())}`;
  return {
    system: `${parts.description.trim()}\n${FORMAT}`,
    user: parts.context ? formatPromptWithContext(task, parts.context) : task,
  };
}

/** One prompt string for providers without a system role (Codegen agent runs). */
export function singlePrompt(p: BuiltPrompt): string {
  return `${p.system}\n\n${p.user}`;
}

/** Identifies the context a prompt carried: equal fingerprints mean the same context text. */
export function contextFingerprint(items: readonly ContextItem[], codebaseContext: string | undefined): string {
  // JSON keeps every part apart: no text can pass for a separator (a NUL inside a file's text, say).
  const parts = [codebaseContext ?? '', items.map((it) => [it.file, it.startLine, it.endLine, it.detail, it.text])];
  return createHash('sha256').update(JSON.stringify(parts)).digest('hex');
}

/** The text fenced so that no backtick run inside it (code containing ``` for instance) can close the fence. */
function fence(text: string): string {
  const f = fenceFor(text);
  return `${f}\n${text}\n${f}`;
}
