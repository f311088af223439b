// Follows agent runs. Only runs that are not terminal (active or unknown) are polled, fast while
// young and slower as they age; terminal runs are never polled again. Polling pauses while the window
// is unfocused and catches up at once on focus. Runs that fall due are polled side by side (the client's rate
// pacer keeps the requests under the limits), so one slow or hung poll holds up no other run. A failing poll is
// logged and backs off without stopping the others; a 401/403 stops all polling and is reported once, until
// `restart()`. What a failed poll means is decided once, in classifyPollFailure, for this poller and for an awaited
// follow (runFollower). A poll's answer counts only for the active period it was sent in (see Entry.period). A run seen
// ended is remembered by its id and read time only (its result, summary and pull requests went to the listeners), and
// only the MAX_ENDED_RUNS most recent of those: a long session's finished runs do not pile up here. A run tracked as
// `background` (one this window did not start: a teammate's, from Slack or GitHub) is polled at BACKGROUND_POLL_MS at
// the fastest, so that a team's young runs do not use up the token's rate budget. A 404 is taken for "gone" only when
// the next poll, after the usual backoff, gets one too (a stray 404 of a proxy, or read-after-write lag, is no end). A
// run of this window's followed before a window reload is followed again by its id (restore), in the same active period,
// the first polls of such runs spread over their interval. The polls of this window's runs are the user's requests (someone
// waits for their end: five tasks created together are told of their end within a poll, not behind a background share);
// those of background runs, and the first (spread) polls of restored runs, are `background` requests: the user's own (a
// Stop, a list load) go before them under the rate limits (RatePacer).
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { isRetryable } from '../api/retryPolicy';
import { AuthenticationError, CancellationError, ConfigurationError, NotFoundError, RateLimitError, errorMessage } from '../errors';
import { Emitter, type Listener } from '../emitter';
import type { Clock, Disposable, Logger } from '../ports';
import { type AgentRun, type CodegenClient, isTerminal } from '../api/codegenClient';

/**
 * Poll interval for a run that has been active for `ageMs` (since creation, or since it was resumed):
 * 2 s in its first minute, 5 s until 5 min, 15 s until 30 min, then every 60 s.
 */
export function pollIntervalMs(ageMs: number): number {
  if (ageMs < 60_000) return 2_000;
  if (ageMs < 5 * 60_000) return 5_000;
  if (ageMs < 30 * 60_000) return 15_000;
  return 60_000;
}

/**
 * How many ended runs are remembered (by id and read time): enough that a slow list load's older copy of a run that just
 * ended is still recognised as older, and that a follower handing over such a run leaves it alone.
 */
export const MAX_ENDED_RUNS = 1_000;

/**
 * The fastest a `background` run (see RunPoller.track) is polled: the rhythm of old runs. Eight young teammate runs at
 * 2 s would use the whole standard budget (60 requests per 30 s) and hold up the user's own requests.
 */
export const BACKGROUND_POLL_MS = 60_000;

/** Longest wait after repeated failed polls of one run. */
export const MAX_POLL_BACKOFF_MS = 5 * 60_000;

/** The wait before polling again after `failures` (≥ 1) failed polls in a row: the usual interval doubled each time, at most `maxMs`. */
export function failedPollDelayMs(intervalMs: number, failures: number, maxMs: number): number {
  return Math.min(maxMs, intervalMs * 2 ** failures);
}

/**
 * How long the server asked to wait before the next request (a 429's Retry-After, when the client's retry policy gave the
 * error back: it waits for at most a minute itself), or undefined. A quota (not retryable) is not a wait.
 */
export function askedWaitMs(err: unknown): number | undefined {
  return err instanceof RateLimitError && !err.quota ? err.retryAfterMs : undefined;
}

/**
 * What a failed poll of a run means:
 * - `cancelled`: the caller gave up (abort, or a CancellationError);
 * - `unauthorized`: 401/403 — no poll will pass until the token changes;
 * - `gone`: 404 — the run no longer exists (the poller believes it at the second 404 in a row: see RunPoller);
 * - `passing`: network, timeout, 5xx, 429 (after the client's own retries) — worth trying again soon (a 429's
 *   Retry-After, see {@link askedWaitMs}, says how soon at the earliest); also a setting invalid at the moment
 *   (a ConfigurationError with no HTTP status: no request was made) — the Settings UI saves a text setting as it is
 *   typed, so a base URL is invalid for a moment while it is edited (https → http://…). A server that redirects (the
 *   base URL is not the API's: a ConfigurationError with its status) is `lasting`;
 * - `lasting`: anything else (402, 422, an unreadable answer, a quota) — will not pass by waiting a few seconds.
 */
export type PollFailure = 'cancelled' | 'unauthorized' | 'gone' | 'passing' | 'lasting';

export function classifyPollFailure(err: unknown, signal?: AbortSignal): PollFailure {
  if (signal?.aborted === true || CancellationError.is(err)) return 'cancelled';
  if (err instanceof AuthenticationError) return 'unauthorized';
  if (err instanceof NotFoundError) return 'gone';
  return isRetryable(err) || (err instanceof ConfigurationError && err.status === undefined) ? 'passing' : 'lasting';
}

export interface RunPollerOptions {
  client: Pick<CodegenClient, 'getRun'>;
  clock: Clock;
  logger: Logger;
  /** Overrides {@link pollIntervalMs}. */
  intervalFor?: (ageMs: number) => number;
}

/** A run that is active (or of an unknown status), followed. */
interface Entry {
  run: AgentRun;
  /** When the current active period began: creation time, or the moment a resumed run was tracked again. */
  activeSince: number;
  nextAt: number;
  failures: number;
  /** The last poll got a 404 (and no good answer since): a second one drops the run as gone. */
  notFound: boolean;
  /** A run this window did not start (RunPoller.track's `background`): polled at BACKGROUND_POLL_MS at the fastest. */
  background: boolean;
  /**
   * The first poll of a run followed again after a reload (restore) is still to be sent: it goes as a `background`
   * request (up to 50 of them at once after a reload; the polls after it are the user's, as any run of this window's).
   */
  restored: boolean;
  /**
   * Counts the active periods begun while the run was followed (each resume). A poll answers for the period it was
   * sent in: an answer or failure that arrives after the run was resumed describes the run before the resume and is
   * dropped (otherwise a COMPLETE read before the resume would end the new period at once).
   */
  period: number;
  /**
   * When the state in `run` was read, at the latest: the clock time its request (a poll, a list load) was sent, or when
   * it was tracked. A copy read before it (a list sent before a poll that saw the run end) is older and is passed over.
   */
  readAt: number;
  /**
   * A resume answered with the run's end from before it (the server had not flipped its status yet): that copy's
   * fingerprint and until when an answer identical to it is taken for "not flipped yet" (polled again, no finish) rather
   * than the resumed run's end. Cleared by the first answer that is not terminal.
   */
  endBefore: EndBefore | undefined;
}

/**
 * A resumed run's end from before the resume (Entry.endBefore): the hash of that copy (endFingerprint: small enough to
 * keep across a window reload, whatever the length of the result) and until when an answer identical to it is taken
 * for "not flipped yet".
 */
export interface EndBefore {
  readonly fingerprint: string;
  readonly until: number;
}

/** What RunPoller.followed tells of a followed run's active period, for OwnRuns to keep across a window reload. */
export interface FollowedPeriod {
  readonly activeSince: number;
  readonly endBefore: EndBefore | undefined;
}

/** A run to follow again after a window reload (RunPoller.restore): known by its id, in its active period. */
export interface RestoredRun {
  readonly id: number;
  readonly organizationId: number;
  readonly period: FollowedPeriod;
}

/** How long after a resume answered with the run's old end an answer identical to it is taken for "not flipped yet". */
export const RESUMED_END_GRACE_MS = 2 * 60_000;

export class RunPoller implements Disposable {
  private readonly changed: Emitter<AgentRun>;
  private readonly finished: Emitter<AgentRun>;
  private readonly authFailed: Emitter<AuthenticationError>;
  private readonly disappeared: Emitter<number>;
  private readonly answeredRestored: Emitter<number>;
  /** A polled run changed (status, result, summary, link or pull requests). */
  readonly onDidChange: Listener<AgentRun>;
  /** A run went from active (or unknown) to terminal. Fires once per active period. */
  readonly onDidFinish: Listener<AgentRun>;
  /** The token was rejected; polling has stopped until `restart()`. Fires once per stop. */
  readonly onDidFailAuthentication: Listener<AuthenticationError>;
  /** A followed run no longer exists (a 404, and another at the next poll): its id. It is no longer followed. */
  readonly onDidDisappear: Listener<number>;
  /**
   * The first poll of a run followed again after a window reload (restore) was answered, or failed (its change and
   * finish, if any, reported just before): its id. What ended while the window was closed is known once every such run
   * fired it (TaskController tells those ends in one notification).
   */
  readonly onDidAnswerRestored: Listener<number>;

  private readonly entries = new Map<number, Entry>();
  /**
   * Runs seen ended, by id: when their state was read (see Entry.readAt), so an older copy is passed over; the most
   * recently seen kept (an ended run is never polled: only its read time matters).
   */
  private readonly ended = new LRUCache<number, number>({ max: MAX_ENDED_RUNS });
  /** Runs with a poll out (an untracked entry's included: a run tracked anew waits for it rather than poll twice at once). */
  private readonly inFlight = new Set<number>();
  private readonly intervalFor: (ageMs: number) => number;
  /**
   * The polls out, each with a signal of its own, which dispose aborts. (One signal for all of them — a refresh polls
   * every active run at once, each request listening on it — was "a possible EventTarget memory leak" to Node 20, VS
   * Code 1.90's extension host, past 10 active runs.)
   */
  private readonly polling = new Set<AbortController>();
  private timer: Disposable | undefined;
  private focused = true;
  private authStopped = false;
  /** Counts restart() calls: a poll sent before the last one carried the token of before (see poll). */
  private restarts = 0;
  private disposed = false;

  constructor(private readonly opts: RunPollerOptions) {
    const onListenerError = (err: unknown): void => opts.logger.error(`run poller: a listener failed: ${errorMessage(err)}`);
    this.changed = new Emitter(onListenerError);
    this.finished = new Emitter(onListenerError);
    this.authFailed = new Emitter(onListenerError);
    this.disappeared = new Emitter(onListenerError);
    this.answeredRestored = new Emitter(onListenerError);
    this.onDidChange = this.changed.event;
    this.onDidFinish = this.finished.event;
    this.onDidFailAuthentication = this.authFailed.event;
    this.onDidDisappear = this.disappeared.event;
    this.onDidAnswerRestored = this.answeredRestored.event;
    this.intervalFor = opts.intervalFor ?? pollIntervalMs;
  }

  /**
   * Follows a run (new, or a fresh copy of a known one). A terminal run is remembered but not polled;
   * tracking a known terminal run that is active again, or one `resumed` says was just resumed, starts a new, young
   * active period. `readAt` is the clock time the copy's request was sent (default: now, a copy just received): a copy
   * read no later than the state this poller has of the run (a slow list load's) is older news and is passed over, so
   * that a run seen ending is not taken for resumed by it. A copy `resumed` says was just resumed is always taken, and
   * followed even when it shows an end: the resume's answer can carry the status from before it (COMPLETE, until the
   * server flips it), and answers identical to that copy are taken for it for RESUMED_END_GRACE_MS (endBefore).
   * `background`: a run this window did not start (a list load's): polled at BACKGROUND_POLL_MS at the fastest. A run
   * tracked once without it (created, resumed or stopped here) stays polled at its own pace while it is followed.
   */
  track(run: AgentRun, options: { readonly resumed?: boolean; readonly readAt?: number; readonly background?: boolean } = {}): void {
    if (this.disposed) return;
    const now = this.opts.clock.now();
    const readAt = options.resumed === true ? now : (options.readAt ?? now);
    const known = this.entries.get(run.id);
    const ended = known ? undefined : this.ended.get(run.id);
    const knownReadAt = known?.readAt ?? ended;
    // (A tie is passed over too: which of two requests sent in the same millisecond the server read first is unknown.)
    if (knownReadAt !== undefined && options.resumed !== true && options.readAt !== undefined && options.readAt <= knownReadAt) return;
    const latestReadAt = Math.max(knownReadAt ?? readAt, readAt);
    const resumedEnd = options.resumed === true && isTerminal(run);
    const endBefore = resumedEnd ? { fingerprint: endFingerprint(run), until: now + RESUMED_END_GRACE_MS } : undefined;
    // (A copy of the old end read after a resume, a list load's, is no news of the resumed run either.)
    if (!resumedEnd && known !== undefined && isStaleEnd(known, run, now)) {
      known.readAt = latestReadAt;
      // (An answer that shows the run exists: a 404 before it is not one of two in a row.)
      known.notFound = false;
    } else if (isTerminal(run) && !resumedEnd) {
      // Remembered, not polled (a poll of it still out is about the past: its answer is dropped).
      this.entries.delete(run.id);
      this.ended.set(run.id, latestReadAt);
    } else if (known) {
      known.run = run;
      known.readAt = latestReadAt;
      known.notFound = false;
      // (Here a copy not `resumed` is an active one: the status flipped.)
      known.endBefore = endBefore;
      if (known.background && options.background !== true) {
        // (Started, resumed or stopped here after a list load showed it: followed at its own pace from now on.)
        known.background = false;
        if (known.failures === 0) known.nextAt = Math.min(known.nextAt, now + this.intervalOf(known, now));
      }
      if (options.resumed === true) {
        known.activeSince = now;
        known.failures = 0;
        known.notFound = false;
        known.period++;
        known.nextAt = now + this.intervalFor(0);
      }
    } else {
      // A run just resumed, or seen ended and active again, starts a young active period; one this poller does not
      // know (never tracked, or an ended run no longer remembered) is as old as its creation unless `resumed` says otherwise.
      const created = run.createdAt?.getTime();
      const activeSince = options.resumed === true || ended !== undefined ? now : created !== undefined && created <= now ? created : now;
      this.ended.delete(run.id);
      const entry: Entry = { run, activeSince, nextAt: now, failures: 0, notFound: false, background: options.background === true, restored: false, period: 0, readAt: latestReadAt, endBefore };
      entry.nextAt = now + this.intervalOf(entry, now);
      this.entries.set(run.id, entry);
    }
    this.schedule();
  }

  /**
   * Whether the run is followed (or, ended, remembered — the last MAX_ENDED_RUNS seen ending): its state here is the
   * freshest this poller has seen.
   */
  isTracking(id: number): boolean {
    return this.entries.has(id) || this.ended.has(id);
  }

  /** Whether the run is polled (tracked and not seen ending). */
  isFollowing(id: number): boolean {
    return this.entries.has(id);
  }

  /** A followed run's active period: when it began, and a resume's grace if one is under way. Undefined when not followed. */
  followed(id: number): FollowedPeriod | undefined {
    const e = this.entries.get(id);
    return e === undefined ? undefined : { activeSince: e.activeSince, endBefore: e.endBefore };
  }

  /**
   * Follows runs known by their id alone — this window's before a reload (OwnRuns), most urgent first — as runs of this
   * window: each polled once within its usual interval, the first polls spread over it (the first run at once; all at
   * once, 50 runs would fill the rate budget and hold up the user's requests for as long) — one may have ended while the
   * window was closed: its end is reported by onDidFinish as any other — then at the pace of an active period begun at
   * `period.activeSince`. `period.endBefore`, while its grace lasts (RESUMED_END_GRACE_MS from now at most: a deadline
   * kept while the clock was ahead would hold the end back for as long), keeps a resume's old end from being taken for
   * the new one. A run tracked already (a list load's, seen ended) is left as it is.
   */
  restore(runs: readonly RestoredRun[]): void {
    if (this.disposed) return;
    const now = this.opts.clock.now();
    const fresh = runs.filter((r) => !this.entries.has(r.id) && !this.ended.has(r.id));
    fresh.forEach(({ id, organizationId, period }, i) => {
      // (No state of it was read yet: the first answer, whatever it says, is a change, and any copy — a list load's — is
      // newer than this one, readAt -∞.)
      const run: AgentRun = { id, organizationId, status: '', state: 'unknown', pullRequests: [] };
      const until = period.endBefore === undefined ? now : Math.min(period.endBefore.until, now + RESUMED_END_GRACE_MS);
      const endBefore = period.endBefore !== undefined && now < until ? { fingerprint: period.endBefore.fingerprint, until } : undefined;
      const activeSince = Math.min(period.activeSince, now);
      const entry: Entry = { run, activeSince, nextAt: now, failures: 0, notFound: false, background: false, restored: true, period: 0, readAt: Number.NEGATIVE_INFINITY, endBefore };
      entry.nextAt = now + Math.floor((this.intervalOf(entry, now) * i) / fresh.length);
      this.entries.set(id, entry);
    });
    this.schedule();
  }

  /**
   * A run this window now answers for (a follow elsewhere handed it over) while a list load had it polled in the
   * background: polled at its own pace from now on. (Its state here is kept: it is newer than the follower's.)
   */
  foreground(id: number): void {
    const e = this.entries.get(id);
    if (e === undefined || !e.background) return;
    e.background = false;
    const now = this.opts.clock.now();
    if (e.failures === 0) e.nextAt = Math.min(e.nextAt, now + this.intervalOf(e, now));
    this.schedule();
  }

  untrack(id: number): void {
    this.entries.delete(id);
    this.ended.delete(id);
    this.schedule();
  }

  /** Forgets every run (after sign-out). */
  clear(): void {
    this.entries.clear();
    this.ended.clear();
    this.schedule();
  }

  /** The window gained or lost focus: polling pauses while unfocused and overdue runs are polled at once on focus. */
  setFocused(focused: boolean): void {
    if (this.focused === focused) return;
    this.focused = focused;
    this.schedule();
  }

  /** Polls every active run now (even while unfocused). Resolves when those polls are done. Does nothing after an auth stop. */
  async refreshNow(): Promise<void> {
    if (this.disposed || this.authStopped) return;
    const active = [...this.entries.values()].filter((e) => this.pollable(e));
    await Promise.all(active.map((e) => this.poll(e)));
    this.schedule();
  }

  /** Resumes polling after an authentication stop (call it once the user signed in again). Active runs are polled at once. */
  restart(): void {
    if (this.disposed) return;
    this.authStopped = false;
    this.restarts++;
    const now = this.opts.clock.now();
    for (const e of this.entries.values()) e.nextAt = Math.min(e.nextAt, now);
    this.schedule();
  }

  dispose(): void {
    this.disposed = true;
    for (const poll of this.polling) poll.abort();
    this.polling.clear();
    this.timer?.dispose();
    this.timer = undefined;
    this.entries.clear();
    this.ended.clear();
    this.changed.dispose();
    this.finished.dispose();
    this.authFailed.dispose();
    this.disappeared.dispose();
    this.answeredRestored.dispose();
  }

  private canPoll(): boolean {
    return !this.disposed && this.focused && !this.authStopped;
  }

  private schedule(): void {
    this.timer?.dispose();
    this.timer = undefined;
    if (!this.canPoll()) return;
    let next = Number.POSITIVE_INFINITY;
    for (const e of this.entries.values()) {
      if (this.pollable(e)) next = Math.min(next, e.nextAt);
    }
    if (next === Number.POSITIVE_INFINITY) return;
    this.timer = this.opts.clock.setTimeout(() => this.pollDue(), Math.max(0, next - this.opts.clock.now()));
  }

  /**
   * Starts a poll of every run that is due, without waiting for one to end before the next (a hung poll of one run,
   * up to the client's timeout and retries, would hold up every other); each schedules the next wake-up as it ends.
   */
  private pollDue(): void {
    this.timer = undefined;
    if (!this.canPoll()) return;
    const now = this.opts.clock.now();
    const due = [...this.entries.values()].filter((e) => this.pollable(e) && e.nextAt <= now).sort((a, b) => a.nextAt - b.nextAt);
    for (const e of due) {
      void this.poll(e).finally(() => this.schedule());
    }
    this.schedule();
  }

  private async poll(e: Entry): Promise<void> {
    const id = e.run.id;
    const before = e.run;
    const period = e.period;
    const restarts = this.restarts;
    /** The run was untracked (or tracked anew) or resumed while this poll was out: its outcome is about the past. */
    const stale = (): boolean => this.entries.get(id) !== e || e.period !== period;
    this.inFlight.add(id);
    const sentAt = this.opts.clock.now();
    const priority = e.background || e.restored ? 'background' : 'user';
    const firstOfRestored = e.restored;
    e.restored = false;
    const sending = new AbortController();
    if (this.disposed) sending.abort();
    else this.polling.add(sending);
    try {
      const run = await this.opts.client.getRun(id, sending.signal, undefined, priority);
      if (stale()) return;
      const now = this.opts.clock.now();
      e.readAt = Math.max(e.readAt, sentAt);
      if (isStaleEnd(e, run, now)) {
        // The resume not applied on the server yet: its old end, polled again at the young interval.
        e.failures = 0;
        e.notFound = false;
        e.nextAt = now + this.intervalFor(now - e.activeSince);
        return;
      }
      if (!isTerminal(run)) e.endBefore = undefined;
      if (isTerminal(run)) {
        // Only its read time is kept: the run itself (a result can be large) goes to the listeners.
        this.entries.delete(id);
        this.ended.set(id, e.readAt);
      } else {
        e.run = run;
        e.failures = 0;
        e.notFound = false;
        e.nextAt = now + this.intervalOf(e, now);
      }
      if (fingerprint(before) !== fingerprint(run)) this.changed.fire(run);
      if (isTerminal(run)) this.finished.fire(run);
    } catch (err) {
      if (this.disposed) return;
      const failure = classifyPollFailure(err);
      if (failure === 'cancelled') return;
      if (err instanceof AuthenticationError) {
        // (classifyPollFailure's 'unauthorized': checked on the class here to hand the listeners the error.)
        // A poll sent before a restart (a sign-in meanwhile) was rejected for the token of before: polled again now.
        if (restarts !== this.restarts) {
          if (!stale()) e.nextAt = this.opts.clock.now();
          return;
        }
        if (!this.authStopped) {
          this.authStopped = true;
          this.opts.logger.warn(`run poller: stopped polling: ${err.message}`);
          this.authFailed.fire(err);
        }
        return;
      }
      if (stale()) return;
      if (failure === 'gone' && e.notFound) {
        this.opts.logger.warn(`run poller: run ${id} no longer exists (not found twice in a row); stopped following it.`);
        this.entries.delete(id);
        this.disappeared.fire(id);
        return;
      }
      // (A first 404 is asked again after the usual backoff: a proxy's stray 404, or a server that does not yet see a
      // run just created or resumed, is no end of the run.)
      if (failure === 'gone') e.notFound = true;
      e.failures++;
      const now = this.opts.clock.now();
      // A lasting failure is tried again at the longest wait at once: polling every few seconds cannot help. A 429 with
      // Retry-After is not polled again before the server said (its own wait can be longer than the longest backoff).
      const backoff = failure === 'passing' || failure === 'gone' ? failedPollDelayMs(this.intervalOf(e, now), e.failures, MAX_POLL_BACKOFF_MS) : MAX_POLL_BACKOFF_MS;
      const delay = Math.max(backoff, askedWaitMs(err) ?? 0);
      e.nextAt = now + delay;
      const line =
        failure === 'gone'
          ? `run poller: run ${id} was not found (${errorMessage(err)}); asking again in ${formatWait(delay)} before taking it as gone.`
          : `run poller: polling run ${id} failed (${errorMessage(err)}); trying again in ${formatWait(delay)}.`;
      // A lasting failure is an error the first time, then a warning each time it repeats.
      if (failure === 'lasting' && e.failures === 1) this.opts.logger.error(line);
      else this.opts.logger.warn(line);
    } finally {
      this.polling.delete(sending);
      this.inFlight.delete(id);
      // (Also when the answer came too late to count — the run untracked or resumed meanwhile: it was answered all the same.)
      if (firstOfRestored && !this.disposed) this.answeredRestored.fire(id);
    }
  }

  /** The usual wait between polls of a run, at `now`: by its age, and no shorter than BACKGROUND_POLL_MS for a background run. */
  private intervalOf(e: Entry, now: number): number {
    const interval = this.intervalFor(now - e.activeSince);
    return e.background ? Math.max(interval, BACKGROUND_POLL_MS) : interval;
  }

  /** Whether a poll of the run can start: none is out for it (its own, or one of an entry it had before it was tracked anew). */
  private pollable(e: Entry): boolean {
    return !this.inFlight.has(e.run.id);
  }
}

function formatWait(ms: number): string {
  return ms >= 60_000 && ms % 60_000 === 0 ? `${ms / 60_000} min` : `${Math.round(ms / 1000)} s`;
}

/** `run` is the end from before a resume of the entry's run (endBefore), read within its grace time. */
function isStaleEnd(e: Entry, run: AgentRun, now: number): boolean {
  return e.endBefore !== undefined && isTerminal(run) && now < e.endBefore.until && endFingerprint(run) === e.endBefore.fingerprint;
}

/** The hash of a run's fingerprint (EndBefore): 128 bits, a run's result text does not go to the workspace state. */
function endFingerprint(run: AgentRun): string {
  return createHash('sha256').update(fingerprint(run)).digest('hex').slice(0, 32);
}

function fingerprint(run: AgentRun): string {
  return JSON.stringify([run.status, run.result, run.summary, run.webUrl, run.pullRequests.map((p) => [p.id, p.url, p.title])]);
}
