// What "Stop Task" tells the user, from the run as the server answered the stop request. The server may leave a run
// as it was (e.g. one awaiting review): that is not reported as a stop, and the run stays followed.
import { type AgentRun, isTerminal } from '../api/codegenClient';
import { noticeText } from '../noticeText';

export interface StopOutcome {
  /** The answer shows the run ended: nothing left to poll. */
  readonly ended: boolean;
  /** The message for the user: information when the run ended, a warning when it did not. */
  readonly message: string;
  /** The outcome in a few words, for a message about the stop that says more ("it stopped"). */
  readonly brief: string;
}

/** "awaiting review" for AWAITING_REVIEW; "unknown" when the server sent no status. */
function statusText(run: AgentRun): string {
  // (The server's text, shown in a notification: no link of its is made clickable.)
  return run.status ? noticeText(run.status.toLowerCase().replace(/_/g, ' ')) : 'unknown';
}

export function stopOutcome(id: number, answer: AgentRun): StopOutcome {
  if (!isTerminal(answer)) {
    return {
      ended: false,
      message: `Contexten: Codegen did not stop run #${id} (status: ${statusText(answer)}). It is still followed; try Stop again or open it in the browser.`,
      brief: `Codegen did not stop it: status ${statusText(answer)}`,
    };
  }
  if (answer.status === 'STOPPED' || answer.status === 'CANCELLED' || answer.status === 'CANCELED') return { ended: true, message: `Contexten: run #${id} stopped.`, brief: 'it stopped' };
  return { ended: true, message: `Contexten: run #${id} had already ended (${statusText(answer)}).`, brief: `it had already ended: ${statusText(answer)}` };
}
