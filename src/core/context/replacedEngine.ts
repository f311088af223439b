import { CancellationError } from '../errors';

/**
 * Whether an index update's failure is only the end of an engine that has since been replaced or closed (a restart
 * after a setting or folder change, Reindex, or shutting down disposes it and cancels what it still had to do). Such a
 * failure is no news: the new engine reads the same files and documents, and closing needs no word. Any other failure,
 * or a cancellation of the engine still in use, is worth a warning.
 */
export function isReplacedEngineCancellation<E>(err: unknown, engine: E, current: E | undefined): boolean {
  return CancellationError.is(err) && engine !== current;
}
