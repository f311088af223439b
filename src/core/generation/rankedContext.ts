// The codebase context a generation or an agent task is sent with, ranked for its text: what both say next to their
// answer when the context is partial or missing. Context is a help, not a requirement: a ranking that fails (the engine
// thread exited, the index could not be read) leaves the request without it, with a warning, instead of failing it.
import type { ContextQuery, ContextResult } from '../context/model';
import { CancellationError, errorMessage } from '../errors';
import type { Logger } from '../ports';
import type { ContextSource } from './model';

/** What a request tells the ranking about the editor besides its text (ContextQuery's fields of those names). */
export type ContextHints = Pick<ContextQuery, 'activeFile' | 'openFiles' | 'recentFiles'>;

/**
 * The query a request's context is ranked by: `text` (a generation's prompt or context query, an agent task's
 * description) and the hints given — one absent is left out, so the engine fills in the editor's own (ContextQuery).
 */
export function contextQueryFor(text: string, hints: ContextHints): ContextQuery {
  return {
    query: text,
    ...(hints.activeFile !== undefined ? { activeFile: hints.activeFile } : {}),
    ...(hints.openFiles !== undefined ? { openFiles: hints.openFiles } : {}),
    ...(hints.recentFiles !== undefined ? { recentFiles: hints.recentFiles } : {}),
  };
}

/**
 * The context ranked for `query`, or undefined when the ranking failed; `warnings` gets what the user should be told
 * (the index was not complete, or no context was attached and why). A cancellation is the caller's, and is thrown.
 */
export async function rankContextOrWarn(source: ContextSource, query: ContextQuery, signal: AbortSignal, warnings: string[], logger: Logger): Promise<ContextResult | undefined> {
  try {
    const ctx = await source.getRelevantContext(query, signal);
    if (ctx.partial) {
      const { filesDone, filesFound } = ctx.partial;
      warnings.push(
        filesFound === 0
          ? 'The workspace index was still opening: the context may miss code. Ask again once indexing ends.'
          : `The workspace was not fully indexed (${filesDone} of ${filesFound} files found so far): the context may miss code. Ask again once indexing ends.`,
      );
    }
    return ctx;
  } catch (err) {
    if (CancellationError.is(err) || signal.aborted) throw err;
    // The request still works without context; say so next to its answer.
    logger.warn(`Codebase context unavailable: ${errorMessage(err)}`);
    warnings.push(`Codebase context was not attached: ${errorMessage(err)}`);
    return undefined;
  }
}
