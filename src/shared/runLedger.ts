// What the host knows of the results panel's runs beyond the view state: the id the next run gets, and the full
// prompt of the run on show. Pure, so the rules that keep a click on one run from acting on another are tested
// without VS Code.
import { LIMITS, type ViewState } from './protocol';
import { runById } from './viewState';

/**
 * The largest restored run id passed over (`restored`): below it, a host's counter has room for 2^32 runs and its ids
 * stay safe integers (the protocol's run ids). A real one is near a host's start time (about 2^41 in epoch milliseconds);
 * a saved state comes from the webview, though, and may hold any safe integer.
 */
export const MAX_RESTORED_RUN_ID = Number.MAX_SAFE_INTEGER - 2 ** 32;

/**
 * Run ids and full prompts of one extension host.
 *
 * Ids start at the host's start time (epoch milliseconds), not at 1: after a window reload the restored panel still
 * shows the old host's last run, and a click on it (Insert, Retry) that names its id must not act on a new run that
 * got the same id. The old host's ids are all below its own start time plus its number of runs, so below the new
 * host's; a restored run's id is passed over explicitly too (`restored`), for a wall clock set back in between.
 *
 * The view state keeps the prompt cut to LIMITS.promptChars (for display); Retry sends the full prompt kept here, and
 * only for a run this host started — one of the runs the panel keeps (the one on show and LIMITS.earlierRuns more: the
 * newest ones started, as here).
 */
export class RunLedger {
  private nextId: number;
  /** Full prompts of the newest runs started, as many as the view state keeps (oldest first: a Map's order). */
  private readonly prompts = new Map<number, string>();

  constructor(hostStartedAt: number) {
    this.nextId = Number.isSafeInteger(Math.trunc(hostStartedAt)) ? Math.max(0, Math.trunc(hostStartedAt)) : 0;
  }

  /** A new run: its id, its full prompt kept for Retry (the oldest one's dropped once the panel keeps its run no more). */
  start(prompt: string): number {
    const id = this.nextId++;
    this.prompts.set(id, prompt);
    for (const old of this.prompts.keys()) {
      if (this.prompts.size <= LIMITS.earlierRuns + 1) break;
      this.prompts.delete(old);
    }
    return id;
  }

  /**
   * The panel shows run `id` from a saved state (a window reload): later runs get larger ids. Not for an id so large that
   * later ids would run past the safe integers, where the counter stops counting (2^53 + 1 is 2^53) and every message
   * naming them is refused: such an id (above MAX_RESTORED_RUN_ID, so above any id this counter reaches) is ignored, and
   * the result says so (false).
   */
  restored(id: number): boolean {
    if (!Number.isSafeInteger(id) || id > MAX_RESTORED_RUN_ID) return false;
    this.nextId = Math.max(this.nextId, id + 1);
    return true;
  }

  /**
   * What Retry of run `runId` does, if the panel keeps that run (on show or earlier) and it is not streaming: sends again the full prompt this host
   * started it with; or, for a run restored from a saved state (a window reload), nothing — `restored`: the old host's
   * request is gone (its full prompt, the selected code it carried, the lines a fix replaces), and the panel's
   * shortened prompt alone would send another request. The user is told to run the command again.
   */
  retry(state: ViewState, runId: number): { runId: number; prompt: string } | { runId: number; restored: true } | undefined {
    const run = runById(state, runId);
    if (!run || run.status === 'streaming') return undefined;
    const prompt = this.prompts.get(runId);
    return prompt !== undefined ? { runId, prompt } : { runId, restored: true };
  }
}
