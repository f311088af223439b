// Follows one Codegen agent run until it ends, for a caller that awaits the outcome: polls getRun on the
// Clock at the run poller's pace (fast while young, slower as it ages) and never polls a terminal run again.
// A poll that fails for a passing reason (network, timeout, 5xx, 429 — after the client's own retries) does
// not end the follow: it waits longer each time and tries again, and only gives up after the run has been
// out of reach for FOLLOW_GIVE_UP_MS, saying that the run itself keeps going. So does a poll not made because a setting
// is invalid (contexten.codegen.baseUrl half edited in the Settings UI, which saves as the user types): the follow goes
// on once it is valid again, and ends with that ConfigurationError, with its advice, if it stays invalid that long. A
// 429 whose Retry-After the client's retry policy would not wait for (over a minute) is waited for here: no poll before
// it, and the wait is not time out of reach (the server answered). An unreadable answer (a truncated or garbled body) is
// tried again the same way, unless MAX_UNREADABLE_POLLS of them come in a row. A follow that ends
// before the run did (an error, the give-up) hands the run's last state to `onUnfinished`, so that someone else (the
// sidebar's run poller) keeps it up to date. The run is read in its own organization as the sign-in it was created as,
// whatever the organization setting says now; after a sign-in with another token or a change of base URL the follow
// ends (SignInChangedError: that token is not sent for the run, nor the run looked for on another server), and the run
// is not handed on either — the sidebar shows the new sign-in's runs.
import { type AgentRun, type CodegenClient, isTerminal, type SignIn } from '../api/codegenClient';
import { CancellationError, ConfigurationError, GenerationError, ProtocolError, SignInChangedError, errorMessage } from '../errors';
import type { Clock, Logger } from '../ports';
import { askedWaitMs, classifyPollFailure, failedPollDelayMs, pollIntervalMs } from '../tasks/runPoller';

export type RunApi = Pick<CodegenClient, 'signIn' | 'createRun' | 'getRun' | 'stopRun' | 'stopRunInBackground'>;

/** How long a run may stay out of reach (every poll failing) before the follow gives up. */
export const FOLLOW_GIVE_UP_MS = 5 * 60_000;
/** Longest wait between two failed polls. */
export const FOLLOW_MAX_BACKOFF_MS = 30_000;
/** Unreadable answers in a row (no good poll between them) that end the follow: fewer count as passing failures. */
export const MAX_UNREADABLE_POLLS = 3;

export interface FollowOptions {
  readonly clock: Clock;
  readonly signal: AbortSignal;
  readonly logger: Logger;
  /** The sign-in the run was created as (CodegenClient.signIn, taken as the creation was sent). */
  readonly signIn: SignIn;
  /** Each fetched state of the run. */
  readonly onUpdate?: (run: AgentRun) => void;
  /**
   * The follow ends with an error before the run ended: the run's last state seen (the run keeps going on the
   * server). Not called when the follow is cancelled: the caller knows what it did with the run.
   */
  readonly onUnfinished?: (run: AgentRun) => void;
}

/**
 * Resolves with the run in its terminal state. Rejects with CancellationError when aborted (the run itself
 * keeps going), with the poll's error when it cannot pass (401/403/404 …), with a SignInChangedError naming the run when
 * the sign-in or base URL changed (`onUnfinished` is not called), with a GenerationError naming the run when it
 * stayed out of reach for FOLLOW_GIVE_UP_MS, and with the ConfigurationError when a setting the polls need (the base
 * URL) was invalid at the last of them, FOLLOW_GIVE_UP_MS after they began failing.
 */
export async function followRun(api: RunApi, run: AgentRun, opts: FollowOptions): Promise<AgentRun> {
  let last = run;
  try {
    return await follow(api, run, { ...opts, onUpdate: (r) => ((last = r), opts.onUpdate?.(r)) });
  } catch (err) {
    if (!CancellationError.is(err) && !(err instanceof SignInChangedError) && !isTerminal(last)) opts.onUnfinished?.(last);
    throw err;
  }
}

async function follow(api: RunApi, run: AgentRun, opts: FollowOptions): Promise<AgentRun> {
  const { clock, signal, logger } = opts;
  const activeSince = clock.now();
  let current = run;
  const owner = { organizationId: run.organizationId, signIn: opts.signIn };
  let failures = 0;
  let unreachableSince = 0;
  /** Of the time since unreachableSince, what the server asked us to wait (Retry-After): not counted as out of reach. */
  let askedToWait = 0;
  /** The server's Retry-After of the last failed poll (0: none). */
  let waitAsked = 0;
  let unreadable = 0;
  while (!isTerminal(current)) {
    const interval = pollIntervalMs(clock.now() - activeSince);
    try {
      await clock.sleep(Math.max(waitAsked, failures === 0 ? interval : failedPollDelayMs(interval, failures, FOLLOW_MAX_BACKOFF_MS)), signal);
    } catch {
      throw new CancellationError();
    }
    try {
      current = await api.getRun(current.id, signal, owner);
    } catch (err) {
      let failure = classifyPollFailure(err, signal);
      if (failure === 'cancelled') throw new CancellationError();
      if (err instanceof SignInChangedError) {
        const where = current.webUrl !== undefined ? `: ${current.webUrl}` : ' (codegen.com)';
        throw new SignInChangedError(
          `Stopped following Codegen agent run ${run.id}: the sign-in changed since it was created (another token — signed in again, or signed out while CODEGEN_API_TOKEN is set, whose token is then used — or another base URL, contexten.codegen.baseUrl), and the run is read only as the sign-in it belongs to. The run keeps going on the server${where}.`,
          { cause: err },
        );
      }
      // (A one-off unreadable answer, e.g. a body cut off on the way, passes; the same every time is the server's shape.)
      if (failure === 'lasting' && err instanceof ProtocolError && ++unreadable < MAX_UNREADABLE_POLLS) failure = 'passing';
      if (failure !== 'passing') throw err;
      const now = clock.now();
      if (failures === 0) {
        unreachableSince = now;
        askedToWait = 0;
      }
      failures++;
      const outOfReach = now - unreachableSince - askedToWait;
      if (outOfReach >= FOLLOW_GIVE_UP_MS) {
        // (The run was not out of reach: the setting that says where it is was invalid all along. Its advice opens it.)
        if (err instanceof ConfigurationError) throw err;
        throw new GenerationError(
          `Lost contact with Codegen agent run ${run.id} for ${Math.round(outOfReach / 60_000)} min (${errorMessage(err)}). The run keeps going on the server: follow it in the Agent Tasks view.`,
          { cause: err },
        );
      }
      waitAsked = askedWaitMs(err) ?? 0;
      askedToWait += waitAsked;
      logger.warn(`Following Codegen agent run ${run.id}: a poll failed (${errorMessage(err)}); trying again${waitAsked > 0 ? ` in ${Math.ceil(waitAsked / 1000)} s, as the server asked` : ''}.`);
      continue;
    }
    if (failures > 0) logger.info(`Following Codegen agent run ${run.id}: reachable again after ${failures} failed poll(s).`);
    failures = 0;
    waitAsked = 0;
    unreadable = 0;
    opts.onUpdate?.(current);
  }
  return current;
}
