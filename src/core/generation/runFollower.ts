// Follows one Codegen agent run until it ends, for a caller that awaits the outcome: polls getRun on the
// Clock at the run poller's pace (fast while young, slower as it ages) and never polls a terminal run again.
import { type AgentRun, type CodegenClient, isTerminal } from '../api/codegenClient';
import { CancellationError } from '../errors';
import type { Clock } from '../ports';
import { pollIntervalMs } from '../tasks/runPoller';

export type RunApi = Pick<CodegenClient, 'createRun' | 'getRun' | 'stopRun'>;

export interface FollowOptions {
  readonly clock: Clock;
  readonly signal: AbortSignal;
  /** Each fetched state of the run. */
  readonly onUpdate?: (run: AgentRun) => void;
}

/** Resolves with the run in its terminal state. Rejects with CancellationError when aborted (the run itself keeps going). */
export async function followRun(api: RunApi, run: AgentRun, opts: FollowOptions): Promise<AgentRun> {
  const started = opts.clock.now();
  let current = run;
  while (!isTerminal(current)) {
    try {
      await opts.clock.sleep(pollIntervalMs(opts.clock.now() - started), opts.signal);
    } catch {
      throw new CancellationError();
    }
    current = await api.getRun(current.id, opts.signal);
    opts.onUpdate?.(current);
  }
  return current;
}
