// The runs this window answers for — created, resumed or stopped here, or handed over by a follow of this window — whose
// end the user waits to be told of. The API names no run's creator, so nothing but this window knows them: they are kept
// in the workspace state (a StateStore) too, and a window reload (or VS Code started again on the workspace) follows
// them again as this window's, at their own pace, and notifies their end — one that came while the window was closed
// too. Each is kept with the sign-in and organization it was followed as: after a reload, only the runs of the account
// signed in now are taken back (another token's or organization's are dropped, never notified). What is kept is bounded
// (MAX_KEPT_OWN_RUNS, the newest; none older than OWN_RUN_MAX_AGE_MS) and read back through a schema: a value of another
// shape (an older version's, a corrupt one) is ignored, entry by entry.
import * as z from 'zod';
import { errorMessage } from '../errors';
import type { Clock, Logger, StateStore } from '../ports';
import type { EndBefore, FollowedPeriod } from './runPoller';

/** The workspace-state key the runs are kept under. */
export const OWN_RUNS_KEY = 'contexten.tasks.ownRuns';

/** Most runs kept across a reload (the newest): far more than a user has running at once. */
export const MAX_KEPT_OWN_RUNS = 200;

/** A run that became this window's longer ago than this is not kept: an agent run that has not ended in days never will. */
export const OWN_RUN_MAX_AGE_MS = 3 * 24 * 60 * 60_000;

/** A run of this window, as kept across a reload. */
export interface OwnRun {
  readonly id: number;
  readonly organizationId: number;
  /** The sign-in it was followed as (CodegenClient.signIn: the endpoint and the token's fingerprint, never the token). */
  readonly signIn: string;
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
  signIn: z.string().min(1).max(2_100),
  since: timeSchema,
  activeSince: timeSchema,
  endBefore: z.object({ fingerprint: z.string().min(1).max(64), until: timeSchema }).optional(),
});

/** A run of this window in memory: its sign-in is known once the token was read (OwnRuns.add). */
interface Held {
  readonly run: Omit<OwnRun, 'signIn'>;
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
   * sign-in, known once the token is read: kept across a reload from then on. One whose sign-in cannot be told (the
   * token gone meanwhile) is this window's until it closes, not kept.
   */
  add(id: number, organizationId: number, period: FollowedPeriod, signIn: PromiseLike<string>): void {
    const previous = this.held.get(id);
    const run = { id, organizationId, since: this.opts.clock.now(), activeSince: period.activeSince, ...(period.endBefore ? { endBefore: period.endBefore } : {}) };
    const held: Held = { run, signIn: previous?.run.organizationId === organizationId ? previous.signIn : undefined };
    this.held.set(id, held);
    this.pending = this.pending.filter((r) => r.id !== id);
    if (held.signIn !== undefined) this.save();
    signIn.then(
      (s) => {
        // (Ended, dropped or made this window's again meanwhile: that state is the one kept.)
        if (this.held.get(id) !== held) return;
        held.signIn = s;
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
    this.held.set(id, { run: rest, signIn: held.signIn });
    if (held.signIn !== undefined) this.save();
  }

  /** Forgets every run, kept ones too (a sign-out, another organization or endpoint: their ends are not this user's). */
  clear(): void {
    const had = this.held.size > 0 || this.pending.length > 0;
    this.held.clear();
    this.pending = [];
    if (had) this.save();
  }

  /**
   * Takes back the runs kept before a reload that were followed as `signIn` in an organization `isCurrentOrganization`
   * accepts: this window's again, returned to be followed. The others (another account's, another organization's) are
   * dropped.
   */
  restore(signIn: string, isCurrentOrganization: (id: number) => boolean): OwnRun[] {
    if (this.pending.length === 0) return [];
    const taken = this.pending.filter((r) => r.signIn === signIn && isCurrentOrganization(r.organizationId) && !this.held.has(r.id));
    for (const r of taken) {
      const { signIn: s, ...run } = r;
      this.held.set(r.id, { run, signIn: s });
    }
    const dropped = this.pending.length - taken.length;
    if (dropped > 0) this.opts.logger.info(`agent tasks: ${dropped} run(s) followed before the window reloaded belong to another sign-in or organization: not followed.`);
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
    // (Looked at no further than a list this version could have written, and more: one bad entry leaves the rest.)
    for (const item of raw.slice(0, MAX_KEPT_OWN_RUNS * 2)) {
      const parsed = ownRunSchema.safeParse(item);
      if (parsed.success && !runs.some((r) => r.id === parsed.data.id)) runs.push(parsed.data);
    }
    return this.bounded(runs);
  }

  /** Writes what is kept: the runs whose sign-in is known and those read back not yet taken back, within the bounds. */
  private save(): void {
    const held = [...this.held.values()].flatMap((h): OwnRun[] => (h.signIn === undefined ? [] : [{ ...h.run, signIn: h.signIn }]));
    const runs = this.bounded([...held, ...this.pending.filter((r) => !this.held.has(r.id))]);
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
