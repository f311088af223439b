// The Codegen REST API client (docs/codegen-api.md). Every call: settings read afresh (changes apply
// without reload), token from the injected source, paced under the published limits, retried by the
// one retry policy, answer validated with zod. Errors are the core classes; none carries the token.
import { randomUUID } from 'node:crypto';
import { cleanCredential, type TokenOrigin, unusableTokenMessage } from '../auth/credentialText';
import { AuthenticationError, CancellationError, ConfigurationError, errorMessage, NetworkError, NotFoundError, RateLimitError, ServerError, SignInChangedError, TimeoutError, untilAborted, ValidationError } from '../errors';
import type { Clock, Disposable, HttpTransport, Logger, Random } from '../ports';
import { agentRunLogsSchema, agentRunSchema, organizationSchema, pageSchema, parseAnswer, repositorySchema, userSchema } from './codegenSchemas';
import { tokenFingerprint } from '../auth/tokenFingerprint';
import { baseUrlOf, isOrganizationId, type ConfigSnapshot } from '../config/configSchema';
import { readAnswerText, readErrorText } from './boundedBody';
import { errorFromHttpResponse, parseJsonBody } from './httpErrors';
import { CODEGEN_RATE_LIMITS, type CodegenRateClass, RatePacer, type RequestPriority } from './ratePacer';
import { RETRY_DEFAULTS, withRetry } from './retryPolicy';
import type * as z from 'zod';

/** Normalised category of a run's status. `unknown` runs are still polled. */
export type RunState = 'active' | 'complete' | 'failed' | 'unknown';

export interface PullRequest {
  id: number;
  title: string;
  /** '' when the service sent none. */
  url: string;
  createdAt?: Date;
  headBranchName?: string;
}

export interface AgentRun {
  id: number;
  organizationId: number;
  /** Upper-cased raw status, '' if none. */
  status: string;
  state: RunState;
  createdAt?: Date;
  webUrl?: string;
  result?: string;
  summary?: string;
  sourceType?: string;
  metadata?: Record<string, unknown>;
  pullRequests: PullRequest[];
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  size: number;
  pages: number;
  /** Items the server sent in this page, readable or not (`items` leaves out those it could not read): the next skip. */
  received?: number;
}

export interface AgentRunLog {
  agentRunId: number;
  createdAt?: Date;
  toolName?: string;
  /** Upper-cased: ACTION, PLAN_EVALUATION, FINAL_ANSWER, ERROR, USER_MESSAGE, … */
  messageType?: string;
  thought?: string;
  /** Objects are JSON-encoded. */
  observation?: string;
  toolInput?: unknown;
  toolOutput?: unknown;
}

export interface AgentRunLogs {
  run: AgentRun;
  logs: AgentRunLog[];
  /** The run's count of entries; absent when the server sent none (`total_logs: null`): then it is unknown. */
  totalLogs?: number;
  page: number;
  size: number;
  /** Absent when neither the server sent it nor the total is known. */
  pages?: number;
  /** Entries the server sent in this page, readable or not: the next skip. */
  received?: number;
}

export interface User {
  id: number;
  email?: string;
  githubUsername?: string;
  fullName?: string;
}

export interface Organization {
  id: number;
  name: string;
}

export interface Repository {
  id: number;
  name: string;
  fullName: string;
  language?: string;
}

export interface CodegenSettings {
  baseUrl: string;
  orgId: string;
  timeoutMs: number;
  maxRetries: number;
}

/**
 * The client's settings from the configuration (read at every call).
 * @throws ConfigurationError while contexten.codegen.baseUrl (or CODEGEN_BASE_URL) is invalid: no request is made, and
 * the token is not sent to the default server instead (configSchema's BaseUrlSetting).
 */
export function codegenSettingsOf(s: Pick<ConfigSnapshot, 'codegen.baseUrl' | 'codegen.orgId' | 'http.timeoutMs' | 'http.maxRetries'>): CodegenSettings {
  return { baseUrl: baseUrlOf(s, 'codegen.baseUrl'), orgId: s['codegen.orgId'], timeoutMs: s['http.timeoutMs'], maxRetries: s['http.maxRetries'] };
}

export interface CodegenClientOptions {
  transport: HttpTransport;
  clock: Clock;
  random: Random;
  logger: Logger;
  /** Read on every call. */
  settings: () => CodegenSettings;
  /**
   * The stored token (SecretStorage or CODEGEN_API_TOKEN) to send to `baseUrl`, read for every attempt of a call. May
   * throw (TokenManager.tokenFor: a token signed in to another origin is not sent): no request is made.
   */
  token: (baseUrl: string) => Promise<string | undefined>;
  /** Where the token `token` gave last came from, so a message about a token that cannot be sent names it. */
  tokenOrigin?: () => TokenOrigin | undefined;
}

// Request shapes accept explicit `undefined` (= not sent), so glue can pass optional picks straight through.
export interface CreateRunRequest {
  prompt: string;
  /** base64 data URIs */
  images?: string[] | undefined;
  metadata?: Record<string, unknown> | undefined;
  repoId?: number | undefined;
  model?: string | undefined;
  agentType?: 'codegen' | 'claude_code' | undefined;
}

/**
 * The metadata key under which createRun tags each run with a request id of its own, so that a retry after
 * an answer that never arrived (5xx, timeout, dropped connection) finds the run the lost attempt created
 * instead of starting a second one (the API has no idempotency key).
 */
export const RUN_REQUEST_ID_KEY = 'contexten_request_id';
/** How many of the organization's newest runs a retried createRun looks through for its own. */
const RECENT_RUNS_CHECKED = 20;
/** How many log entries logged since a resume was sent a retried resumeRun looks through for the follow-up. */
const RESUME_LOGS_CHECKED = 100;
/** How long the clean-up after a cancelled call (Call.abandon) may take, its waits for the rate limits included. */
const ABANDON_DEADLINE_MS = 15_000;
/** The waits before a cancelled createRun's clean-up looks again for the run it may have created (within the deadline). */
const ABANDON_LOOKUP_WAITS_MS = [1_000, 3_000, 6_000] as const;

export interface PageRequest {
  /** ≥ 0; the server's default is 0. */
  skip?: number | undefined;
  /** 1–100; the server's default is 100. */
  limit?: number | undefined;
}

export const ORG_ID_SETTING = 'contexten.codegen.orgId';

declare const signInBrand: unique symbol;
/** Where and as whom calls are made: the endpoint and the token's fingerprint (CodegenClient.signIn; never the token). */
export type SignIn = string & { readonly [signInBrand]: true };

/**
 * Where and as whom calls about one run go: its own organization (not the setting's, which may have changed since), as
 * the sign-in it was created as — with another token (another account, maybe) or at another base URL the call is not
 * made (SignInChangedError): a token is never sent for another sign-in's run, nor a run read on another server.
 */
export interface RunOwner {
  readonly organizationId: number;
  readonly signIn: SignIn;
}

const ORGS_PAGE_SIZE = 100;
/** Most organizations looked through for the one set, at sign-in (10 requests): as many as the run and repository lists show. */
export const MAX_ORGANIZATIONS_CHECKED = 1_000;
/**
 * Most pages of organizations asked for at sign-in: twice what MAX_ORGANIZATIONS_CHECKED takes in full pages, so a
 * server that sends a few organizations a page (its own page size) still ends the search in a bounded time.
 */
export const MAX_ORGANIZATION_PAGES = 20;

/** True for runs that ended (complete or failed): never polled again. */
export function isTerminal(run: AgentRun): boolean {
  return run.state === 'complete' || run.state === 'failed';
}

/** What resumeRun read of a run before sending the follow-up. */
interface RunBeforeResume {
  /** The run had ended (complete or failed). */
  ended: boolean;
  /** Its log entries (total_logs, as the server told it). */
  logs: number;
  /** The follow-up being sent: only a user message with this text shows that the run took it. */
  prompt: string;
}

interface Call<T> {
  cls: CodegenRateClass;
  method: 'GET' | 'POST';
  /**
   * The path, or for an organization's path a function of `/organizations/{id}` (orgPath): built for every attempt
   * from the settings read then, together with the token read then — an attempt never carries one sign-in's token to
   * another's organization.
   */
  path: string | ((orgPath: string) => string);
  query?: Record<string, string | number | boolean | undefined>;
  body?: Record<string, unknown>;
  schema: z.ZodType<T>;
  signal: AbortSignal | undefined;
  /** Use this token instead of the stored one (sign-in validation). */
  token?: string;
  /** Retries for this call instead of the setting's (0 for a lookup inside another call's retry). */
  maxRetries?: number;
  /** For a call about a run: made in its organization as its sign-in, or not at all (see RunOwner). */
  owner?: RunOwner | undefined;
  /** `background` (a poll): goes after the user's requests under the rate limits (RatePacer). Default `user`. */
  priority?: RequestPriority | undefined;
  /**
   * For a call that must not take effect twice: run before a retry whose previous attempt may have reached
   * the server (5xx, timeout, network); what it finds is the answer, undefined means "send again".
   */
  recover?: () => Promise<T | undefined>;
  /**
   * For a call that must not take effect twice when no `recover` can tell whether an attempt did: after a failure that
   * may have reached the server (5xx, timeout, network) it is not sent again; that failure is the call's error.
   */
  sendOnce?: boolean;
  /**
   * For a call whose effect must not outlive its caller: started when the call is cancelled after an attempt may have
   * reached the server — cancelled while a request was out, or during the wait after a failure that leaves it
   * unknown. It runs in the background (the cancellation is not held up), its failure logged, ended by `signal` after
   * ABANDON_DEADLINE_MS.
   */
  abandon?: (signal: AbortSignal) => Promise<void>;
}

export class CodegenClient {
  private readonly pacer: RatePacer<CodegenRateClass>;
  /** Clean-ups of cancelled calls under way (Call.abandon, stopRunInBackground), each with what ends it early. */
  private readonly cleanups = new Map<Promise<void>, AbortController>();
  private shuttingDown: Promise<void> | undefined;

  constructor(private readonly opts: CodegenClientOptions) {
    this.pacer = new RatePacer({ clock: opts.clock, limits: CODEGEN_RATE_LIMITS });
  }

  async getMe(signal?: AbortSignal): Promise<User> {
    return this.send({ cls: 'standard', method: 'GET', path: '/v1/users/me', schema: userSchema, signal });
  }

  async listOrganizations(page?: PageRequest, signal?: AbortSignal): Promise<Page<Organization>> {
    return this.listOrganizationsWith(undefined, page, signal);
  }

  /**
   * Validates a token and org BEFORE anything is stored: GET /v1/users/me, then GET /v1/organizations
   * (every page as needed, up to MAX_ORGANIZATIONS_CHECKED in MAX_ORGANIZATION_PAGES pages; a page that brings no organization not seen before ends
   * the search too: the server's total is no bound) must contain orgId. Throws ConfigurationError (non-numeric org,
   * before any request), AuthenticationError (bad token; nothing else is called), NotFoundError (org not in the list).
   */
  async validateCredentials(token: string, orgId: string, signal?: AbortSignal): Promise<{ user: User; organization: Organization }> {
    const id = parseOrgId(orgId);
    const trimmed = token.trim();
    if (!trimmed) throw new AuthenticationError('The API token is empty. Copy it from codegen.com/token.');
    const user = await this.send({ cls: 'standard', method: 'GET', path: '/v1/users/me', schema: userSchema, signal, token: trimmed });
    const seen = new Map<number, Organization>();
    /** Why the search ended before the server's total: the cap, or a page with nothing new (the same page again). */
    let stopped: string | undefined;
    // (The next page starts after the organizations the server sent, readable or not: a page may hold fewer than the
    // limit asked for — a server's own page size —, and skipping by the limit would pass over the rest.)
    let skip = 0;
    for (let pages = 0; ; pages++) {
      if (skip >= MAX_ORGANIZATIONS_CHECKED || pages >= MAX_ORGANIZATION_PAGES) {
        stopped = ` (only the first ${skip.toLocaleString('en-US')} were looked through)`;
        break;
      }
      const page = await this.listOrganizationsWith(trimmed, { skip, limit: ORGS_PAGE_SIZE }, signal);
      const organization = page.items.find((o) => o.id === id);
      if (organization) return { user, organization };
      const before = seen.size;
      for (const o of page.items) if (!seen.has(o.id)) seen.set(o.id, o);
      const received = page.received ?? page.items.length;
      skip += received;
      if (received === 0 || skip >= page.total) break;
      if (page.items.length > 0 && seen.size === before) {
        stopped = ' (Codegen sent the same organizations again; the list was not read further)';
        break;
      }
    }
    const all = [...seen.values()];
    const listed = all.slice(0, 5).map((o) => `${o.name} (${o.id})`);
    const more = all.length > 5 ? `, and ${all.length - 5} more` : '';
    throw new NotFoundError(
      `Organization ${id} is not among the organizations this token can access${stopped ?? ''}${listed.length > 0 ? `: ${listed.join(', ')}${more}` : ' (none)'}.`,
    );
  }

  /**
   * Starts an agent run. Retried like every call, but never twice for one request: after a failure that may
   * have happened once the server had created the run, the next attempt first looks for it among the newest
   * runs (by the request id in its metadata) and returns it when found. Cancelled after a request may have created
   * the run, it looks for the run the same way and stops it: a run nobody follows would still use the plan's
   * allotment (best effort: looked for again 1, 4 and 10 s later; a run the server records later still is not seen).
   */
  async createRun(req: CreateRunRequest, signal?: AbortSignal): Promise<AgentRun> {
    const requestId = randomUUID();
    const findCreated = async (lookupSignal: AbortSignal | undefined): Promise<AgentRun | undefined> => {
      const recent = await this.send({
        cls: 'standard',
        method: 'GET',
        path: (org) => `/v1${org}/agent/runs`,
        query: { limit: RECENT_RUNS_CHECKED },
        schema: pageSchema(agentRunSchema),
        signal: lookupSignal,
        maxRetries: 0,
      });
      return recent.items.find((r) => r.metadata?.[RUN_REQUEST_ID_KEY] === requestId);
    };
    return this.send({
      cls: 'creation',
      method: 'POST',
      path: (org) => `/v1${org}/agent/run`,
      body: { prompt: req.prompt, images: req.images, metadata: { ...req.metadata, [RUN_REQUEST_ID_KEY]: requestId }, repo_id: req.repoId, model: req.model, agent_type: req.agentType },
      schema: agentRunSchema,
      signal,
      recover: async () => {
        const created = await findCreated(signal);
        if (created) this.opts.logger.info(`codegen: the run the failed attempt created (#${created.id}) was found; not creating another.`);
        return created;
      },
      // (With a signal of its own: the caller's has aborted.) A request given up on may still be on its way, or be
      // recorded a little after the service took it: not found, the run is looked for again a few times.
      abandon: async (cleanupSignal) => {
        for (let attempt = 0; ; attempt++) {
          let created: AgentRun | undefined;
          try {
            created = await findCreated(cleanupSignal);
          } catch (err) {
            // (A lookup that failed — a 5xx, a dropped connection — is tried again at the next wait, not the end of it.)
            const last = ABANDON_LOOKUP_WAITS_MS[attempt] === undefined;
            if (cleanupSignal.aborted || last || err instanceof AuthenticationError) throw err;
            this.opts.logger.debug(`codegen: looking for the run a cancelled request may have created failed (${errorMessage(err)}); looking again.`);
          }
          if (created) {
            if (isTerminal(created)) return;
            await this.stopRun(created.id, cleanupSignal);
            this.opts.logger.info(`codegen: stopped run #${created.id}, which a cancelled request had created.`);
            return;
          }
          const wait = ABANDON_LOOKUP_WAITS_MS[attempt];
          if (wait === undefined) return;
          await this.opts.clock.sleep(wait, cleanupSignal);
        }
      },
    });
  }

  /**
   * The sign-in calls are made as now (endpoint and token), for a run created now to be read and stopped later as it
   * (RunOwner). @throws AuthenticationError when there is no usable token.
   */
  async signIn(): Promise<SignIn> {
    const baseUrl = this.opts.settings().baseUrl;
    return signInAs(baseUrl, await this.tokenFor(undefined, baseUrl));
  }

  /**
   * Whether `signIn` (CodegenClient.signIn) is of the base URL calls go to now, whatever its token: false while that
   * setting is invalid.
   */
  isCurrentEndpoint(signIn: SignIn): boolean {
    try {
      return endpointOf(signIn) === endpointAs(this.opts.settings().baseUrl);
    } catch {
      return false;
    }
  }

  /** Whether organization `id` is the one calls go to now (contexten.codegen.orgId): false while that setting is invalid. */
  isCurrentOrganization(id: number): boolean {
    try {
      return parseOrgId(this.opts.settings().orgId) === id;
    } catch {
      return false;
    }
  }

  /**
   * A run; with `owner`, read in the run's organization as its sign-in (SignInChangedError when that changed). A
   * `background` read (a poller's) waits for the user's requests under the rate limits (RatePacer).
   */
  async getRun(id: number, signal?: AbortSignal, owner?: RunOwner, priority?: RequestPriority): Promise<AgentRun> {
    return this.send({ cls: 'standard', method: 'GET', path: (org) => `/v1${org}/agent/run/${runId(id)}`, schema: agentRunSchema, signal, owner, priority });
  }

  async listRuns(page?: PageRequest & { userId?: number | undefined; sourceType?: string | undefined }, signal?: AbortSignal): Promise<Page<AgentRun>> {
    return this.send({
      cls: 'standard',
      method: 'GET',
      path: (org) => `/v1${org}/agent/runs`,
      query: { skip: page?.skip, limit: page?.limit, user_id: page?.userId, source_type: page?.sourceType },
      schema: pageSchema(agentRunSchema),
      signal,
    }).then((p) => this.withoutDropped(p, 'runs'));
  }

  /**
   * Sends a follow-up to a run, which becomes active again. Retried like every call, but the follow-up is never sent
   * twice for one call: the run's status and log count are read first, and after a failure that may have happened once
   * the server had taken the follow-up (5xx, timeout, dropped connection) the next attempt reads the run again and
   * returns it, instead of sending again, when the resume shows — the run went from ended to active, or a user message
   * with this follow-up's text was logged since (the API has no idempotency key). When that first read fails (other than
   * by cancellation or a rejected token), the follow-up is sent without it, retried as before. When it answers without a
   * log count (`total_logs: null`), there is no telling where "since" starts: such a failure is not retried but given
   * back, so the user can check the run and send the follow-up again.
   */
  async resumeRun(id: number, prompt: string, images?: string[], signal?: AbortSignal): Promise<AgentRun> {
    const path = (org: string): string => `/v1${org}/agent/run/resume`;
    const body = { agent_run_id: runId(id), prompt, images };
    let before: RunBeforeResume | undefined;
    let countUnknown = false;
    try {
      const seen = await this.getRunLogs(id, { limit: 1 }, signal);
      if (seen.totalLogs === undefined) countUnknown = true;
      else before = { ended: isTerminal(seen.run), logs: seen.totalLogs, prompt };
    } catch (err) {
      // (A rejected token would reject the resume too.)
      if (CancellationError.is(err) || signal?.aborted === true || err instanceof AuthenticationError) throw err;
      this.opts.logger.warn(`codegen: could not read run #${id} before resuming it (${errorMessage(err)}); a retry after a lost answer may send the follow-up twice.`);
    }
    const seenBefore = before;
    try {
      return await this.send({
        cls: 'standard',
        method: 'POST',
        path,
        body,
        schema: agentRunSchema,
        signal,
        ...(seenBefore ? { recover: () => this.findResumed(id, seenBefore, signal) } : countUnknown ? { sendOnce: true } : {}),
      });
    } catch (err) {
      if (countUnknown && (err instanceof ServerError || err instanceof TimeoutError || err instanceof NetworkError)) {
        this.opts.logger.warn(
          `codegen: the follow-up to run #${id} failed (${errorMessage(err)}) and was not sent again: the server gives no log count, so whether the run took it cannot be checked. Look at the run's logs, then resume it again if the follow-up is not there.`,
        );
      }
      throw err;
    }
  }

  /** The run when it shows that it took a follow-up sent after `before` was read (resumeRun's recovery), else undefined. */
  private async findResumed(id: number, before: RunBeforeResume, signal: AbortSignal | undefined): Promise<AgentRun | undefined> {
    const run = await this.send({ cls: 'standard', method: 'GET', path: (org) => `/v1${org}/agent/run/${runId(id)}`, schema: agentRunSchema, signal, maxRetries: 0 });
    let taken = before.ended && !isTerminal(run);
    if (!taken) {
      // An active run (or one whose follow-up already ended) shows it in its logs: the follow-up is logged as a user message
      // with its text (another follow-up logged since — sent from elsewhere meanwhile — is no proof that this one was taken).
      const since = await this.send({
        cls: 'logs',
        method: 'GET',
        path: (org) => `/v1/alpha${org}/agent/run/${runId(id)}/logs`,
        query: { skip: before.logs, limit: RESUME_LOGS_CHECKED },
        schema: agentRunLogsSchema,
        signal,
        maxRetries: 0,
      });
      const sent = before.prompt.trim();
      taken = since.logs.some((l) => l.messageType === 'USER_MESSAGE' && (l.observation?.trim() === sent || l.thought?.trim() === sent));
    }
    if (!taken) return undefined;
    this.opts.logger.info(`codegen: run #${id} took the follow-up the failed attempt sent (now ${run.status || 'without a status'}); not sending it again.`);
    return run;
  }

  /** Stops a run; with `owner`, in the run's organization as its sign-in (SignInChangedError when that changed). */
  async stopRun(id: number, signal?: AbortSignal, owner?: RunOwner): Promise<AgentRun> {
    return this.send({ cls: 'standard', method: 'POST', path: (org) => `/v1/beta${org}/agent/run/stop`, body: { agent_run_id: runId(id) }, schema: agentRunSchema, signal, owner });
  }

  /**
   * Stops a run for a caller that no longer waits for it (a cancelled follow), in the background: a slow or unreachable
   * server does not hold up the cancellation. Tracked like the clean-ups of cancelled calls (whenCleanedUp; shutdown waits
   * for it) and ended after ABANDON_DEADLINE_MS. Resolves with the run as the stop answered, or undefined when the stop
   * failed (logged); never rejects.
   */
  stopRunInBackground(id: number, owner?: RunOwner): Promise<AgentRun | undefined> {
    let stopped: AgentRun | undefined;
    return this.cleanUp(async (signal) => {
      stopped = await this.stopRun(id, signal, owner);
    }, `stopping run #${id} after a cancel`).then(() => stopped);
  }

  async getRunLogs(id: number, page?: PageRequest & { reverse?: boolean | undefined }, signal?: AbortSignal): Promise<AgentRunLogs> {
    return this.send({
      cls: 'logs',
      method: 'GET',
      path: (org) => `/v1/alpha${org}/agent/run/${runId(id)}/logs`,
      query: { skip: page?.skip, limit: page?.limit, reverse: page?.reverse },
      schema: agentRunLogsSchema,
      signal,
    }).then(({ dropped, ...logs }) => {
      if (dropped > 0) this.opts.logger.warn(`codegen: skipped ${dropped} unreadable log entries of run ${id}`);
      return logs;
    });
  }

  async listRepos(page?: PageRequest, signal?: AbortSignal): Promise<Page<Repository>> {
    return this.send({
      cls: 'standard',
      method: 'GET',
      path: (org) => `/v1${org}/repos`,
      query: { skip: page?.skip, limit: page?.limit },
      schema: pageSchema(repositorySchema),
      signal,
    }).then((p) => this.withoutDropped(p, 'repositories'));
  }

  /** Cancels requests waiting for their turn under the rate limits. */
  dispose(): void {
    this.pacer.dispose();
  }

  /**
   * Shutting down (the extension deactivated): waits for the clean-ups of cancelled calls under way (a cancelled
   * createRun's stop of the run it may have created, a cancelled follow's stop of its run: without it, that run would
   * go on working on the user's plan) for
   * at most `maxWaitMs`, then ends those still running (their requests aborted, so that closing the transport, which
   * waits for requests in flight, does not wait for them) and disposes. The same promise for every call. The transport
   * must stay open until it settles.
   */
  shutdown(maxWaitMs: number): Promise<void> {
    this.shuttingDown ??= (async () => {
      if (this.cleanups.size > 0) {
        let timer: Disposable | undefined;
        const waited = new Promise<boolean>((resolve) => {
          timer = this.opts.clock.setTimeout(() => resolve(false), maxWaitMs);
        });
        const done = await Promise.race([this.whenCleanedUp().then(() => true), waited]);
        timer?.dispose();
        if (!done) {
          this.opts.logger.warn(`codegen: shutting down with ${this.cleanups.size} clean-up(s) of cancelled requests unfinished after ${maxWaitMs} ms (a run a cancelled request created may still be running: see the Agent Tasks view next time).`);
          const ended = [...this.cleanups];
          for (const [, deadline] of ended) deadline.abort();
          // (Each settles as its signal aborts: see cleanUp.)
          await Promise.all(ended.map(([cleanup]) => cleanup));
        }
      }
      this.dispose();
    })();
    return this.shuttingDown;
  }

  private listOrganizationsWith(token: string | undefined, page: PageRequest | undefined, signal: AbortSignal | undefined): Promise<Page<Organization>> {
    return this.send({
      cls: 'standard',
      method: 'GET',
      path: '/v1/organizations',
      query: { skip: page?.skip, limit: page?.limit },
      schema: pageSchema(organizationSchema),
      signal,
      ...(token !== undefined ? { token } : {}),
    }).then((p) => this.withoutDropped(p, 'organizations'));
  }

  private withoutDropped<T>({ dropped, ...page }: Page<T> & { dropped: number }, what: string): Page<T> {
    if (dropped > 0) this.opts.logger.warn(`codegen: skipped ${dropped} unreadable ${what} in a page`);
    return page;
  }

  /** `/organizations/{org_id}` from the current settings (after the API version prefix). */
  private orgPath(): string {
    return `/organizations/${parseOrgId(this.opts.settings().orgId)}`;
  }

  /**
   * The token for an attempt of a call: its `own` (sign-in validation), else the stored one read now — not once per call,
   * so a retry, or an attempt that waited for its turn under the rate limits, carries the token entered meanwhile.
   * @throws AuthenticationError (no status: not a rejection by the server) when there is none.
   */
  private async tokenFor(own: string | undefined, baseUrl: string): Promise<string> {
    const cleaned = cleanCredential(own ?? (await this.opts.token(baseUrl)) ?? '');
    // (Refused here, before a request: the transport would fail to send it, and a retry would fail alike.)
    if ('problem' in cleaned) throw new AuthenticationError(unusableTokenMessage(cleaned.problem, own === undefined ? this.opts.tokenOrigin?.() : undefined));
    const token = cleaned.value;
    if (!token) throw new AuthenticationError('Not signed in to Codegen. Run "Contexten: Sign In to Codegen" to add your API token.');
    return token;
  }

  private async send<T>(call: Call<T>): Promise<T> {
    const settings = this.opts.settings();
    const { owner } = call;
    const pathNow = (): string => (typeof call.path === 'string' ? call.path : call.path(owner ? ownOrgPath(owner) : this.orgPath()));
    // (Checked up front: a call without a valid org id or a token fails at once, before any wait.)
    const firstPath = pathNow();
    const firstToken = await this.tokenFor(call.token, settings.baseUrl);
    /** @throws SignInChangedError when the call is about a run of another sign-in than the one now (see RunOwner). */
    const checkOwner = (baseUrl: string, token: string, doing: string): void => {
      if (owner === undefined || signInAs(baseUrl, token) === owner.signIn) return;
      throw new SignInChangedError(
        `Codegen: ${doing}: the run belongs to the sign-in it was created as, and the sign-in changed since: another token (signed in again, or signed out while CODEGEN_API_TOKEN is set) or base URL. No token is sent for another sign-in's run, nor the run looked for on another server.`,
      );
    };
    checkOwner(settings.baseUrl, firstToken, `${call.method} ${firstPath} was not sent`);
    const baseHeaders: Record<string, string> = { accept: 'application/json', 'user-agent': 'contexten-codegen' };
    let body: string | undefined;
    if (call.body) {
      baseHeaders['content-type'] = 'application/json';
      body = JSON.stringify(call.body);
    }
    const { clock, transport } = this.opts;
    let mayHaveTakenEffect = false;
    /** A request is out: its effect is unknown until its answer is in. */
    let outstanding = false;
    /**
     * Who a call that changes something (POST: create, resume, stop) was made as — endpoint, organization and token at
     * the call — which every attempt must still be: one signed in again (another user, maybe), signed out to the
     * environment's token, or moved to another organization meanwhile is not acted on, in the new organization nor,
     * with the new token, in the old one.
     */
    const madeAs = call.method === 'POST' ? signInOf(settings.baseUrl, firstPath, firstToken) : undefined;
    /** The endpoint, path and token for an attempt, read now. @throws SignInChangedError (see madeAs). */
    const attemptAs = async (): Promise<{ baseUrl: string; path: string; token: string }> => {
      const baseUrl = this.opts.settings().baseUrl;
      const now = { baseUrl, path: pathNow(), token: await this.tokenFor(call.token, baseUrl) };
      checkOwner(now.baseUrl, now.token, `${call.method} ${firstPath} was not sent again`);
      if (madeAs !== undefined && signInOf(now.baseUrl, now.path, now.token) !== madeAs) {
        const maybe = mayHaveTakenEffect || outstanding;
        throw new SignInChangedError(
          `Codegen: ${call.method} ${firstPath} was not sent again: the sign-in (token or base URL) or the organization changed while it was under way.${maybe ? ' An earlier attempt may have gone through: check the Agent Tasks list, then' : ''} Try again${maybe ? ' if it did not' : ''}.`,
        );
      }
      return now;
    };
    const attempts = withRetry(
      async () => {
        if (mayHaveTakenEffect && call.recover) {
          // (Not looked for with another sign-in, nor in another organization: see madeAs.)
          await attemptAs();
          const found = await call.recover();
          if (found !== undefined) return found;
        }
        await this.pacer.acquire(call.cls, call.signal, call.priority);
        const { baseUrl, path, token } = await attemptAs();
        const what = `${call.method} ${path}`;
        try {
          outstanding = true;
          const res = await transport.request({
            method: call.method,
            url: buildUrl(baseUrl, path, call.query),
            headers: { ...baseHeaders, authorization: `Bearer ${token}` },
            ...(body !== undefined ? { body } : {}),
            ...(call.signal ? { signal: call.signal } : {}),
            timeoutMs: settings.timeoutMs,
          });
          const ok = res.status >= 200 && res.status < 300;
          const text = ok ? await readAnswerText(res, { service: 'Codegen', what }) : await readErrorText(res);
          outstanding = false;
          const organizationScoped = typeof call.path === 'function';
          // (A run followed in its own organization, which the org id setting no longer names: a 403 there names that organization.)
          const runOrganization = organizationScoped && owner !== undefined && !this.isCurrentOrganization(owner.organizationId) ? { runOrganizationId: owner.organizationId } : {};
          const ctx = { service: 'Codegen', what, nowMs: clock.now(), secrets: [token], tokenFingerprint: tokenFingerprint(token), organizationScoped, ...runOrganization };
          if (!ok) throw errorFromHttpResponse(res.status, res.headers, text, ctx);
          const answer = parseAnswer(call.schema, parseJsonBody(text, ctx, res.headers['content-type']), what);
          // (A run read as a sign-in changed while the answer was on its way is not given back as the new one's.)
          if (owner !== undefined && call.method === 'GET') {
            const baseUrlNow = this.opts.settings().baseUrl;
            checkOwner(baseUrlNow, await this.tokenFor(call.token, baseUrlNow), `the answer to ${what} was dropped`);
          }
          return answer;
        } catch (err) {
          // A 429 or 4xx was refused before any effect; these may have come after the server acted.
          if (err instanceof ServerError || err instanceof TimeoutError || err instanceof NetworkError) mayHaveTakenEffect = true;
          // The server's Retry-After holds for its rate class: no request of it (a list load, another run's poll) goes before
          // — for as long as a retry would wait (RETRY_DEFAULTS.maxRetryAfterMs): past that a request (a Stop the user
          // clicked) goes and gets its own 429 back at once, saying how long to wait, rather than a spinner for an hour.
          if (err instanceof RateLimitError && !err.quota && err.retryAfterMs !== undefined) this.pacer.holdUntil(call.cls, clock.now() + Math.min(err.retryAfterMs, RETRY_DEFAULTS.maxRetryAfterMs));
          throw err;
        }
      },
      {
        maxRetries: call.maxRetries ?? settings.maxRetries,
        clock,
        random: this.opts.random,
        signal: call.signal,
        logger: this.opts.logger,
        label: `codegen: ${call.method} ${firstPath}`,
        ...(call.sendOnce === true ? { retryIf: () => !mayHaveTakenEffect } : {}),
      },
    );
    if (!call.abandon) return attempts;
    try {
      return await attempts;
    } catch (err) {
      if ((outstanding || mayHaveTakenEffect) && (CancellationError.is(err) || call.signal?.aborted === true)) void this.cleanUp(call.abandon, `cleaning up after the cancelled ${call.method} ${firstPath}`);
      throw err;
    }
  }

  /**
   * Runs a clean-up after a cancel in the background, ended after ABANDON_DEADLINE_MS or by shutdown (see
   * whenCleanedUp). The promise settles when it ended or was ended (at once then, whatever the work does with its
   * signal); a failure is logged as `${doing} failed`, never rejected.
   */
  private cleanUp(work: (signal: AbortSignal) => Promise<void>, doing: string): Promise<void> {
    const deadline = new AbortController();
    const timer = this.opts.clock.setTimeout(() => deadline.abort(), ABANDON_DEADLINE_MS);
    const cleanup: Promise<void> = untilAborted(work(deadline.signal), deadline.signal)
      .catch((err: unknown) => this.opts.logger.warn(`codegen: ${doing} failed: ${errorMessage(err)}`))
      .finally(() => {
        timer.dispose();
        this.cleanups.delete(cleanup);
      });
    this.cleanups.set(cleanup, deadline);
    return cleanup;
  }

  /** Resolves when the clean-ups of cancelled calls started so far have ended (a cancelled createRun's or follow's stop). */
  async whenCleanedUp(): Promise<void> {
    while (this.cleanups.size > 0) await Promise.all([...this.cleanups.keys()]);
  }
}

/**
 * The endpoint of a sign-in (CodegenClient.signIn, made by signInAs below): its base URL, without the token's
 * fingerprint — what may be kept on disk (OwnRuns): a fingerprint there would let guesses at a weak token be tested
 * offline.
 */
export function endpointOf(signIn: string): string {
  const space = signIn.lastIndexOf(' ');
  return space < 0 ? signIn : signIn.slice(0, space);
}

/** The endpoint part of a sign-in (signInAs) for `baseUrl`: without its trailing slashes. */
function endpointAs(baseUrl: string): string {
  return baseUrl.replace(/\/+$/, '');
}

/** The sign-in of an endpoint and token: the endpoint, a space, and the token's fingerprint (endpointOf takes it apart). */
function signInAs(baseUrl: string, token: string): SignIn {
  return `${endpointAs(baseUrl)} ${tokenFingerprint(token)}` as SignIn;
}

/** `/organizations/{org_id}` of a run's own organization. */
function ownOrgPath(owner: RunOwner): string {
  if (!Number.isSafeInteger(owner.organizationId) || owner.organizationId < 0) throw new ValidationError(`Not an organization id: ${String(owner.organizationId).slice(0, 40)}.`);
  return `/organizations/${owner.organizationId}`;
}

/** Where and as whom a request goes: the sign-in (endpoint and token's fingerprint) and the path (with the organization). */
function signInOf(baseUrl: string, path: string, token: string): string {
  return `${signInAs(baseUrl, token)} ${path}`;
}

/** A numeric org id, or ConfigurationError naming the setting (never echoing the value: it may be a pasted token). */
function parseOrgId(orgId: string): number {
  const v = orgId.trim();
  if (v === '') throw new ConfigurationError(`No Codegen organization id is set. Set ${ORG_ID_SETTING} (or CODEGEN_ORG_ID) to your numeric organization id from codegen.com/token.`, ORG_ID_SETTING);
  if (!/^\d+$/.test(v)) throw new ConfigurationError(`The Codegen organization id must be a number such as 12345 (see codegen.com/token); check ${ORG_ID_SETTING}.`, ORG_ID_SETTING);
  // (A longer one would lose digits as a number, and another organization's id, or 1.2e+22, would go into the path.)
  if (!isOrganizationId(v)) throw new ConfigurationError(`The Codegen organization id is too long to be one (at most ${Number.MAX_SAFE_INTEGER}; see codegen.com/token); check ${ORG_ID_SETTING}.`, ORG_ID_SETTING);
  return Number(v);
}

function buildUrl(baseUrl: string, path: string, query: Record<string, string | number | boolean | undefined> | undefined): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query ?? {})) {
    if (v !== undefined) params.set(k, String(v));
  }
  const qs = params.toString();
  return `${baseUrl.replace(/\/+$/, '')}${path}${qs ? `?${qs}` : ''}`;
}

/**
 * A run id as it may go into a path or body: a positive whole number. Ids reach the client from command arguments
 * (another extension's, a keybinding's) too: `7/../../users/me` or `NaN` must not become a request.
 * @throws ValidationError otherwise.
 */
function runId(id: unknown): number {
  if (typeof id !== 'number' || !Number.isSafeInteger(id) || id <= 0) throw new ValidationError(`Not an agent run id: ${JSON.stringify(id)?.slice(0, 40) ?? String(id)} (a run id is a positive whole number).`);
  return id;
}
