// The runs this window answers for — created, resumed or stopped here, or handed over by a follow of this window — whose
// end the user waits to be told of. The API names no run's creator, so nothing but this window knows them: they are kept
// in the workspace state (a StateStore) too, and a window reload (or VS Code started again on the workspace) follows
// them again as this window's, at their own pace, and notifies their end — one that came while the window was closed
// too. Each is kept with the endpoint (base URL) and organization it was followed as — nothing of the token: a hash of
// it on disk is a cheap test of guesses at a weak token — and after a reload only the runs of the endpoint and
// organization of now are taken back (the others are dropped, never notified). A sign-out clears them, so another token
// of the same organization at the same endpoint (signed in again while the window was closed) takes them back: the same
// team's runs, readable with it. In the window, though, a sign-in as another token (signed in again without signing out,
// here or in another window) is another account, maybe another user: each run is held in memory with the sign-in it was
// followed as (endpoint and the token's fingerprint, CodegenClient.signIn — never kept), and keepAccount forgets those of
// another sign-in than the one of now. What is kept is bounded (MAX_KEPT_OWN_RUNS, the newest; none older than
// OWN_RUN_MAX_AGE_MS) and read back through a schema: a value of another shape (an older version's — one with the
// token's fingerprint included — or a corrupt one) is ignored, entry by entry. Writes are coalesced: the changes of one
// turn of the event loop (300 runs adopted by a list load) are one write, and a write that would change nothing is skipped.
import * as z from 'zod';
import { endpointOf } from '../api/codegenClient';
import { errorMessage } from '../errors';
import type { Clock, Logger, StateStore } from '../ports';
import type { EndBefore, FollowedPeriod } from './runPoller';

/** The workspace-state key the runs are kept under. */
export const OWN_RUNS_KEY = 'contexten.tasks.ownRuns';

/**
 * Most runs kept across a reload (the newest): more than a user has running at once, and few enough that polling them
 * all once a minute (the pace of an old run) uses under half of Codegen's standard budget (60 requests per 30 s), the
 * rest left to the user's own requests and to young runs. (At 200, a reload's polls alone used it all up: a Stop or a
 * list load waited a minute.)
 */
export const MAX_KEPT_OWN_RUNS = 50;

/**
 * A run kept as having become this window's later than now by more than this (the clock was ahead when it was kept) is
 * taken as having become so now: otherwise it would never age out (OWN_RUN_MAX_AGE_MS) and would always sort first.
 */
export const OWN_RUN_CLOCK_SLACK_MS = 5 * 60_000;

/** A run that became this window's longer ago than this is not kept: an agent run that has not ended in days never will. */
export const OWN_RUN_MAX_AGE_MS = 3 * 24 * 60 * 60_000;

/** A run of this window, as kept across a reload. */
export interface OwnRun {
  readonly id: number;
  readonly organizationId: number;
  /** The endpoint (base URL, no trailing slash) it was followed at: nothing of the token is kept (see the file's comment). */
  readonly baseUrl: string;
  /** When it became this window's (the last time: a resume makes it so again). */
  readonly since: number;
  /** Its active period (RunPoller.followed), to poll it at the same pace after a reload. */
  readonly activeSince: number;
  readonly endBefore?: EndBefore | undefined;
}

const timeSchema = z.number().int().nonnegative().max(8_640_000_000_000_000);
const ownRunSchema = z.object({
  id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  organizationId: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
  baseUrl: z.string().min(1).max(2_100),
  since: timeSchema,
  activeSince: timeSchema,
  endBefore: z.object({ fingerprint: z.string().min(1).max(64), until: timeSchema }).optional(),
});

/** A run of this window in memory: its endpoint is known once the token was read (OwnRuns.add). */
interface Held {
  readonly run: Omit<OwnRun, 'baseUrl'>;
  baseUrl: string | undefined;
  /**
   * The sign-in it was followed as (CodegenClient.signIn: endpoint and the token's fingerprint), known with baseUrl (a
   * run taken back after a reload: the sign-in of restore). In memory only, never written: see the file's comment.
   */
  signIn: string | undefined;
}

export interface OwnRunsOptions {
  store: StateStore;
  clock: Clock;
  logger: Logger;
}

export class OwnRuns {
  /** This window's runs, by id (unbounded in memory, as the runs followed are; only what is kept is bounded). */
  private readonly held = new Map<number, Held>();
  /** Kept runs read back at start, not yet taken back (restore) — kept again by every write until then. */
  private pending: OwnRun[];
  /** A write is due at the end of this turn (save). */
  private writeDue = false;
  /** What was last written (or read), as JSON: a write that would not change it is skipped. */
  private written: string | undefined;

  constructor(private readonly opts: OwnRunsOptions) {
    this.pending = this.read();
  }

  has(id: number): boolean {
    return this.held.has(id);
  }

  /** Whether runs kept before a reload wait to be taken back (restore). */
  get restorable(): boolean {
    return this.pending.length > 0;
  }

  /**
   * Makes a run this window's (again: a resume starts a new period), in its active period `period`, as `signIn` — the
   * sign-in it is followed as (CodegenClient.signIn): the one its creation or resume was sent as, known at once, or the
   * one of now, known once the token is read. Kept across a reload from then on, by its endpoint only. One whose sign-in
   * cannot be told (the token gone meanwhile) is this window's until it closes, not kept.
   */
  add(id: number, organizationId: number, period: FollowedPeriod, signIn: string | PromiseLike<string>): void {
    const previous = this.held.get(id);
    const run = { id, organizationId, since: this.opts.clock.now(), activeSince: period.activeSince, ...(period.endBefore ? { endBefore: period.endBefore } : {}) };
    const same = previous?.run.organizationId === organizationId;
    // (Known at once, not a turn later: a sign-in as another token told meanwhile, keepAccount, forgets it then.)
    const known = typeof signIn === 'string' ? signIn : undefined;
    const held: Held =
      known !== undefined ? { run, baseUrl: endpointOf(known), signIn: known } : { run, baseUrl: same ? previous.baseUrl : undefined, signIn: same ? previous.signIn : undefined };
    this.held.set(id, held);
    this.pending = this.pending.filter((r) => r.id !== id);
    if (held.baseUrl !== undefined) this.save();
    if (typeof signIn === 'string') return;
    signIn.then(
      (s) => {
        // (Ended, dropped or made this window's again meanwhile: that state is the one kept.)
        if (this.held.get(id) !== held) return;
        held.signIn = s;
        held.baseUrl = endpointOf(s);
        this.save();
      },
      (err: unknown) => this.opts.logger.debug(`agent tasks: run #${id} is not kept across a window reload: ${errorMessage(err)}`),
    );
  }

  /** The run ended (its end was notified), vanished or was stopped: no longer this window's. False when it was not. */
  delete(id: number): boolean {
    if (!this.held.delete(id)) return false;
    this.save();
    return true;
  }

  /** The run was seen active after a resume: the resume's grace (endBefore) is over, also after a reload. */
  settle(id: number): void {
    const held = this.held.get(id);
    if (held?.run.endBefore === undefined) return;
    const { endBefore: _over, ...rest } = held.run;
    this.held.set(id, { run: rest, baseUrl: held.baseUrl, signIn: held.signIn });
    if (held.baseUrl !== undefined) this.save();
  }

  /** Forgets every run, kept ones too (a sign-out, another organization or endpoint: their ends are not this user's). */
  clear(): void {
    const had = this.held.size > 0 || this.pending.length > 0;
    this.held.clear();
    this.pending = [];
    if (had) this.save();
  }

  /**
   * The window is signed in as `signIn` (CodegenClient.signIn) now, in the organization `isCurrentOrganization` accepts:
   * the runs followed as another sign-in — another token signed in without a sign-out first, here or in another window:
   * another account, maybe another user — or in another organization are no longer this window's, after a reload either
   * (their ends are not this account's to be told of). Returns their ids, to stop polling them. A run whose sign-in is
   * not known yet (being read since it was added) is left as it is.
   */
  keepAccount(signIn: string, isCurrentOrganization: (id: number) => boolean): number[] {
    const others = [...this.held].flatMap(([id, h]) => ((h.signIn !== undefined && h.signIn !== signIn) || !isCurrentOrganization(h.run.organizationId) ? [id] : []));
    for (const id of others) this.held.delete(id);
    if (others.length > 0) {
      this.opts.logger.info(`agent tasks: signed in as another account: ${others.length} run(s) this window followed as the one before are no longer its own.`);
      this.save();
    }
    return others;
  }

  /**
   * Takes back the runs kept before a reload that were followed at the endpoint of `signIn` (CodegenClient.signIn) in an
   * organization `isCurrentOrganization` accepts: this window's again, as `signIn`, returned to be followed (newest
   * first). The others (another endpoint's, another organization's) are dropped.
   */
  restore(signIn: string, isCurrentOrganization: (id: number) => boolean): OwnRun[] {
    if (this.pending.length === 0) return [];
    const baseUrl = endpointOf(signIn);
    const taken = this.pending.filter((r) => r.baseUrl === baseUrl && isCurrentOrganization(r.organizationId) && !this.held.has(r.id));
    for (const r of taken) {
      const { baseUrl: url, ...run } = r;
      this.held.set(r.id, { run, baseUrl: url, signIn });
    }
    const dropped = this.pending.length - taken.length;
    if (dropped > 0) this.opts.logger.info(`agent tasks: ${dropped} run(s) followed before the window reloaded belong to another endpoint or organization: not followed.`);
    this.pending = [];
    this.save();
    return taken;
  }

  /** The kept runs, valid ones only, within the bounds (newest first). Never throws. */
  private read(): OwnRun[] {
    let raw: unknown;
    try {
      raw = this.opts.store.get(OWN_RUNS_KEY);
    } catch (err) {
      this.opts.logger.warn(`agent tasks: could not read the runs kept across a window reload: ${errorMessage(err)}`);
      return [];
    }
    if (!Array.isArray(raw)) return [];
    const runs: OwnRun[] = [];
    const latest = this.opts.clock.now() + OWN_RUN_CLOCK_SLACK_MS;
    // (Looked at no further than a list this version could have written, and more: one bad entry leaves the rest.)
    for (const item of raw.slice(0, MAX_KEPT_OWN_RUNS * 2)) {
      const parsed = ownRunSchema.safeParse(item);
      if (!parsed.success || runs.some((r) => r.id === parsed.data.id)) continue;
      // (Kept while the clock was ahead: taken as this window's from now on, so that it ages out — see OWN_RUN_CLOCK_SLACK_MS.)
      runs.push(parsed.data.since > latest ? { ...parsed.data, since: this.opts.clock.now() } : parsed.data);
    }
    // (Anything left out — an earlier build's entry with the token's fingerprint, a corrupt one, one past the bounds — is
    // not left on disk until the next change: written over at once, unless nothing was left out.)
    this.written = JSON.stringify(raw);
    this.save();
    return this.bounded(runs);
  }

  /**
   * Writes what is kept — the runs whose endpoint is known and those read back not yet taken back, within the bounds — at
   * the end of this turn (flush): the changes of one turn are one write.
   */
  private save(): void {
    if (this.writeDue) return;
    this.writeDue = true;
    queueMicrotask(() => this.flush());
  }

  /** Writes a change not written yet now (the window closes), unless it changes nothing of what was written. */
  flush(): void {
    if (!this.writeDue) return;
    this.writeDue = false;
    const held = [...this.held.values()].flatMap((h): OwnRun[] => (h.baseUrl === undefined ? [] : [{ ...h.run, baseUrl: h.baseUrl }]));
    const runs = this.bounded([...held, ...this.pending.filter((r) => !this.held.has(r.id))]);
    const json = runs.length > 0 ? JSON.stringify(runs) : undefined;
    if (json === this.written) return;
    this.written = json;
    const failed = (err: unknown): void => this.opts.logger.warn(`agent tasks: could not keep this window's runs across a window reload: ${errorMessage(err)}`);
    try {
      this.opts.store.update(OWN_RUNS_KEY, runs.length > 0 ? runs : undefined).then(undefined, failed);
    } catch (err) {
      failed(err);
    }
  }

  /** The newest MAX_KEPT_OWN_RUNS of the runs that became this window's within OWN_RUN_MAX_AGE_MS, newest first. */
  private bounded(runs: readonly OwnRun[]): OwnRun[] {
    const oldest = this.opts.clock.now() - OWN_RUN_MAX_AGE_MS;
    return runs
      .filter((r) => r.since >= oldest)
      .sort((a, b) => b.since - a.since)
      .slice(0, MAX_KEPT_OWN_RUNS);
  }
}
