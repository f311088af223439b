// The local Codegen contract server: real HTTP on 127.0.0.1 (node:http), implementing every endpoint
// of shared/docs/codegen-api.md with auth, paging, 422 validation, runs moving on a controllable clock,
// the published rate limits, injected faults and a request log (tokens never echoed, except by the
// echo-auth faults, which repeat the Authorization value in an error body as some servers do).
// Used by unit tests (in-process), the e2e harness and `npm start` (through main.ts).
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Validator, type Issue } from './fastapiValidation';
import { RunStore, SOURCE_TYPES, type Json, type RunRecord, type RunTimings } from './runStore';
import { FaultTable, type FaultKind, type FaultSpec } from './serverFaults';
import { PUBLISHED_LIMITS, ServerRateLimiter, type RateClass, type ServerRateLimit } from './serverRateLimiter';

/** What the server reads time from. A clock with `advance` can be moved by `POST /__admin/advance`. */
export interface ServerClock {
  now(): number;
  advance?(ms: number): void | Promise<void>;
}

/** A clock that stands still until advanced (admin endpoint or in-process). */
export class ManualServerClock implements ServerClock {
  constructor(private nowMs: number = Date.now()) {}
  now(): number {
    return this.nowMs;
  }
  advance(ms: number): void {
    this.nowMs += ms;
  }
}

export interface CodegenServerOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Accepted API tokens (default `sandbox-token`). Token i belongs to user i+1; tokens added later get new users. */
  tokens?: string[];
  /** The sandbox organization (default 1). */
  orgId?: number;
  /** More organizations the users belong to, listed before the sandbox org (default 1), to exercise paging. */
  extraOrganizations?: number;
  /** More repositories of the sandbox org, after its three (default 0), to exercise paging. */
  extraRepositories?: number;
  /**
   * An organization without repositories answers its repos list with 404 and the API's NoReposFoundInOrgErrorResponse
   * ("No repos found in the organization…") instead of an empty page.
   */
  noReposNotFound?: boolean;
  /** `real` (default), `manual` (admin-advanced), or any clock object (tests pass their FakeClock). */
  clock?: ServerClock | 'real' | 'manual';
  /** How long a new run stays PENDING and RUNNING (defaults 3 s and 20 s). */
  timings?: Partial<RunTimings>;
  /** `false` disables rate limiting; an object overrides the published limits per class. */
  rateLimits?: false | Partial<Record<RateClass, ServerRateLimit>>;
  /** Logs answers carry `total_logs: null` and `pages: null` (the OpenAPI allows a null total): the count is not told. */
  nullLogTotals?: boolean;
}

export interface RequestLogEntry {
  seq: number;
  /** Server clock at arrival. */
  at: number;
  method: string;
  path: string;
  query: Record<string, string>;
  /** Whether a valid token came with it (the token itself is never recorded). */
  auth: 'valid' | 'invalid' | 'missing';
  rateClass?: RateClass;
  /** The JSON body with any known token replaced by «token». */
  body?: unknown;
  fault?: FaultKind;
  /** Set when the answer was sent. */
  status?: number;
  outcome?: 'answered' | 'reset' | 'hung';
}

export interface CodegenServer {
  url: string;
  port: number;
  clock: ServerClock;
  /** A copy of the request log (admin API: GET /__admin/requests). */
  requests(): RequestLogEntry[];
  clearRequests(): void;
  /** Resolves with the first logged request (arrival or answer) for which `pred` holds. */
  waitForRequest(pred: (e: RequestLogEntry) => boolean): Promise<RequestLogEntry>;
  addFault(spec: FaultSpec): number;
  clearFaults(): void;
  addToken(token: string): void;
  revokeToken(token: string): void;
  /** Back to the seeded runs; faults, log, rate windows and tokens as at start. */
  reset(): void;
  close(): Promise<void>;
}

export const SANDBOX_TOKEN = 'sandbox-token';

interface Route {
  method: 'GET' | 'POST';
  re: RegExp;
  cls: RateClass;
  handle: (ctx: Ctx) => Reply;
}

interface Ctx {
  params: Record<string, string>;
  query: URLSearchParams;
  bodyText: string;
  userId: number;
  v: Validator;
}

interface Reply {
  status: number;
  body: Json;
  headers?: Record<string, string>;
}

/** The request log keeps the most recent entries only (a long `npm start` session). */
const MAX_LOGGED = 5_000;
const RUN_NOT_FOUND = { message: 'Agent run not found.', status_code: 404 };
/** The API's NoReposFoundInOrgErrorResponse (its defaults). */
const NO_REPOS_FOUND = { message: 'No repos found in the organization. Please add some repos and try again.', status_code: 404 };
const NO_ACCESS = { message: 'You do not have access to this organization.', status_code: 403 };

export async function startCodegenServer(options: CodegenServerOptions = {}): Promise<CodegenServer> {
  const clock: ServerClock = options.clock === 'manual' ? new ManualServerClock() : options.clock === 'real' || options.clock === undefined ? { now: () => Date.now() } : options.clock;
  const orgId = options.orgId ?? 1;
  const initialTokens = options.tokens ?? [SANDBOX_TOKEN];
  let tokens = new Map(initialTokens.map((t, i) => [t, i + 1] as const));
  const everSeen = new Set(initialTokens);
  const extra = options.extraOrganizations ?? 1;
  const organizations: { id: number; name: string }[] = [
    ...Array.from({ length: extra }, (_, i) => ({ id: orgId + 1000 + i, name: `Team ${i + 1}` })),
    { id: orgId, name: 'Sandbox Org' },
  ];
  const memberOf = new Set(organizations.map((o) => o.id));
  const timings: RunTimings = { pendingMs: 3_000, runningMs: 20_000, ...options.timings };
  const store = new RunStore(orgId, timings, () => clock.now());
  const limiter = options.rateLimits === false ? undefined : new ServerRateLimiter({ ...PUBLISHED_LIMITS, ...options.rateLimits });
  const faults = new FaultTable();
  let log: RequestLogEntry[] = [];
  let seq = 0;
  const watchers = new Set<(e: RequestLogEntry) => void>();
  const hanging = new Set<http.ServerResponse>();
  const notify = (e: RequestLogEntry): void => {
    for (const w of [...watchers]) w(e);
  };

  const repos = [
    { id: 11, name: 'web-app', full_name: 'sandbox-org/web-app', description: 'The sandbox web application', github_id: '700011', organization_id: orgId, visibility: 'private', archived: false, setup_status: 'COMPLETE', language: 'TypeScript' },
    { id: 12, name: 'api', full_name: 'sandbox-org/api', description: null, github_id: '700012', organization_id: orgId, visibility: 'private', archived: false, setup_status: 'COMPLETE', language: 'Python' },
    { id: 13, name: 'legacy', full_name: 'sandbox-org/legacy', description: 'Old code', github_id: '700013', organization_id: orgId, visibility: 'public', archived: true, setup_status: 'NOT_STARTED', language: null },
    ...Array.from({ length: options.extraRepositories ?? 0 }, (_, i) => {
      const id = 100 + i;
      return { id, name: `repo-${id}`, full_name: `sandbox-org/repo-${id}`, description: null, github_id: `7${String(id).padStart(5, '0')}`, organization_id: orgId, visibility: 'private', archived: false, setup_status: 'COMPLETE', language: 'Go' };
    }),
  ];

  const pageOf = <T extends Json>(all: T[], v: Validator, query: URLSearchParams): Reply | { items: T[]; page: Json } => {
    const skip = v.intParam('query', 'skip', query.get('skip'), { min: 0 }) ?? 0;
    const limit = v.intParam('query', 'limit', query.get('limit'), { min: 1, max: 100 }) ?? 100;
    if (v.issues.length > 0) return unprocessable(v.issues);
    const items = all.slice(skip, skip + limit);
    return { items, page: { items, total: all.length, page: Math.floor(skip / limit) + 1, size: limit, pages: Math.ceil(all.length / limit) } };
  };
  const isReply = (x: unknown): x is Reply => typeof x === 'object' && x !== null && 'status' in x;

  /** Validates `{org_id}` and membership; returns the org id or a reply. */
  const org = (ctx: Ctx): number | Reply => {
    const id = ctx.v.intParam('path', 'org_id', ctx.params['org_id']);
    if (ctx.v.issues.length > 0 || id === undefined) return unprocessable(ctx.v.issues);
    if (!memberOf.has(id)) return { status: 403, body: NO_ACCESS };
    return id;
  };
  const runIn = (oid: number, raw: unknown): RunRecord | Reply => {
    const run = typeof raw === 'number' ? store.get(oid, raw) : undefined;
    return run ?? { status: 404, body: RUN_NOT_FOUND };
  };

  const routes: Route[] = [
    route('GET', '/v1/users/me', 'standard', (ctx) => ({ status: 200, body: user(ctx.userId) })),
    route('GET', '/v1/organizations', 'standard', (ctx) => {
      const p = pageOf(
        organizations.map((o) => ({ id: o.id, name: o.name, settings: { enable_pr_creation: true, enable_rules_detection: true } })),
        ctx.v,
        ctx.query,
      );
      return isReply(p) ? p : { status: 200, body: p.page };
    }),
    route('GET', '/v1/organizations/{org_id}/repos', 'standard', (ctx) => {
      const oid = org(ctx);
      if (isReply(oid)) return oid;
      const own = oid === orgId ? (repos as unknown as Json[]) : [];
      if (own.length === 0 && options.noReposNotFound === true) return { status: 404, body: NO_REPOS_FOUND };
      const p = pageOf(own, ctx.v, ctx.query);
      return isReply(p) ? p : { status: 200, body: p.page };
    }),
    route('POST', '/v1/organizations/{org_id}/agent/run', 'creation', (ctx) => {
      const oid = org(ctx);
      if (isReply(oid)) return oid;
      const v = ctx.v;
      const body = v.bodyObject(ctx.bodyText);
      if (!body) return unprocessable(v.issues);
      const prompt = v.requiredString(body, 'prompt');
      v.optionalStringList(body, 'images');
      const metadata = v.optionalObject(body, 'metadata');
      const repoId = v.optionalInt(body, 'repo_id');
      const model = v.optionalString(body, 'model');
      const agentType = v.optionalLiteral(body, 'agent_type', ['codegen', 'claude_code'] as const);
      if (v.issues.length > 0 || prompt === undefined) return unprocessable(v.issues);
      if (repoId !== undefined && !(oid === orgId && repos.some((r) => r.id === repoId))) {
        return { status: 404, body: { message: 'Repository not found in this organization.', status_code: 404 } };
      }
      const run = store.create({
        orgId: oid,
        userId: ctx.userId,
        prompt,
        metadata: metadata ?? null,
        ...(repoId !== undefined ? { repoId } : {}),
        ...(model !== undefined ? { model } : {}),
        ...(agentType !== undefined ? { agentType } : {}),
      });
      return { status: 200, body: store.toJson(run) };
    }),
    route('GET', '/v1/organizations/{org_id}/agent/runs', 'standard', (ctx) => {
      const oid = org(ctx);
      if (isReply(oid)) return oid;
      const userId = ctx.v.intParam('query', 'user_id', ctx.query.get('user_id'));
      const sourceType = ctx.v.enumParam('source_type', ctx.query.get('source_type'), SOURCE_TYPES);
      const all = store.list(oid, { ...(userId !== undefined ? { userId } : {}), ...(sourceType !== undefined ? { sourceType } : {}) }).map((r) => store.toJson(r));
      const p = pageOf(all, ctx.v, ctx.query);
      return isReply(p) ? p : { status: 200, body: p.page };
    }),
    route('GET', '/v1/organizations/{org_id}/agent/run/{agent_run_id}', 'standard', (ctx) => {
      const oid = org(ctx);
      if (isReply(oid)) return oid;
      const id = ctx.v.intParam('path', 'agent_run_id', ctx.params['agent_run_id']);
      if (ctx.v.issues.length > 0) return unprocessable(ctx.v.issues);
      const run = runIn(oid, id);
      return isReply(run) ? run : { status: 200, body: store.toJson(run) };
    }),
    route('POST', '/v1/organizations/{org_id}/agent/run/resume', 'standard', (ctx) => {
      const oid = org(ctx);
      if (isReply(oid)) return oid;
      const body = ctx.v.bodyObject(ctx.bodyText);
      if (!body) return unprocessable(ctx.v.issues);
      const id = ctx.v.requiredInt(body, 'agent_run_id');
      const prompt = ctx.v.requiredString(body, 'prompt');
      ctx.v.optionalStringList(body, 'images');
      if (ctx.v.issues.length > 0 || prompt === undefined) return unprocessable(ctx.v.issues);
      const run = runIn(oid, id);
      if (isReply(run)) return run;
      store.resume(run, prompt);
      return { status: 200, body: store.toJson(run) };
    }),
    route('POST', '/v1/beta/organizations/{org_id}/agent/run/stop', 'standard', (ctx) => {
      const oid = org(ctx);
      if (isReply(oid)) return oid;
      const body = ctx.v.bodyObject(ctx.bodyText);
      if (!body) return unprocessable(ctx.v.issues);
      const id = ctx.v.requiredInt(body, 'agent_run_id');
      if (ctx.v.issues.length > 0) return unprocessable(ctx.v.issues);
      const run = runIn(oid, id);
      if (isReply(run)) return run;
      store.stop(run);
      return { status: 200, body: store.toJson(run) };
    }),
    route('GET', '/v1/alpha/organizations/{org_id}/agent/run/{agent_run_id}/logs', 'logs', (ctx) => {
      const oid = org(ctx);
      if (isReply(oid)) return oid;
      const id = ctx.v.intParam('path', 'agent_run_id', ctx.params['agent_run_id']);
      const reverse = ctx.v.boolParam('reverse', ctx.query.get('reverse')) ?? false;
      if (ctx.v.issues.length > 0) return unprocessable(ctx.v.issues);
      const run = runIn(oid, id);
      if (isReply(run)) return run;
      const entries = store.logs(run);
      if (reverse) entries.reverse();
      const p = pageOf(entries, ctx.v, ctx.query);
      if (isReply(p)) return p;
      const { github_pull_requests: _prs, summary: _summary, source_type: _source, ...fields } = store.toJson(run);
      const page = p.page as { total: number; page: number; size: number; pages: number };
      const untold = options.nullLogTotals === true;
      return { status: 200, body: { ...fields, logs: p.items, total_logs: untold ? null : page.total, page: page.page, size: page.size, pages: untold ? null : page.pages } };
    }),
  ];

  const handleAdmin = async (method: string, path: string, bodyText: string): Promise<Reply> => {
    const body = (): Record<string, unknown> => {
      const parsed: unknown = bodyText.trim() ? JSON.parse(bodyText) : {};
      if (typeof parsed !== 'object' || parsed === null) throw new Error('expected a JSON object');
      return parsed as Record<string, unknown>;
    };
    const key = `${method} ${path}`;
    switch (key) {
      case 'GET /__admin/requests':
        return { status: 200, body: { requests: log as unknown as Json } };
      case 'DELETE /__admin/requests':
        log = [];
        return { status: 200, body: { ok: true } };
      case 'GET /__admin/faults':
        return { status: 200, body: { faults: faults.list() as unknown as Json } };
      case 'POST /__admin/faults': {
        const parsed: unknown = JSON.parse(bodyText);
        const specs = Array.isArray(parsed) ? parsed : [parsed];
        return { status: 200, body: { ids: specs.map((s: unknown) => faults.add(s)) } };
      }
      case 'DELETE /__admin/faults':
        faults.clear();
        return { status: 200, body: { ok: true } };
      case 'GET /__admin/clock':
        return { status: 200, body: { now: clock.now(), iso: new Date(clock.now()).toISOString(), manual: clock.advance !== undefined } };
      case 'POST /__admin/advance': {
        const ms = body()['ms'];
        if (typeof ms !== 'number' || !(ms >= 0)) throw new Error('expected {ms: number ≥ 0}');
        if (!clock.advance) return { status: 409, body: { error: 'the server runs on real time; start it with a manual clock (--clock manual)' } };
        await clock.advance(ms);
        return { status: 200, body: { now: clock.now(), iso: new Date(clock.now()).toISOString() } };
      }
      case 'POST /__admin/tokens': {
        const b = body();
        for (const t of asStrings(b['add'])) addToken(t);
        for (const t of asStrings(b['revoke'])) tokens.delete(t);
        return { status: 200, body: { tokens: tokens.size } };
      }
      case 'POST /__admin/reset':
        reset();
        return { status: 200, body: { ok: true } };
    }
    const force = /^\/__admin\/runs\/(\d+)$/.exec(path);
    if (method === 'POST' && force?.[1]) {
      const run = store.get(orgId, Number(force[1]));
      const status = body()['status'];
      if (!run) return { status: 404, body: { error: 'no such run' } };
      if (typeof status !== 'string') throw new Error('expected {status: string}');
      store.force(run, status);
      return { status: 200, body: store.toJson(run) };
    }
    return { status: 404, body: { error: `unknown admin endpoint ${key}` } };
  };

  let nextUserId = initialTokens.length + 1;
  /** Every token's user, kept through a revocation: a token accepted again belongs to the same user. */
  let owners = new Map(tokens);
  const addToken = (t: string): void => {
    everSeen.add(t);
    if (tokens.has(t)) return;
    const owner = owners.get(t) ?? nextUserId++;
    owners.set(t, owner);
    tokens.set(t, owner);
  };
  const reset = (): void => {
    store.reset();
    faults.clear();
    log = [];
    limiter?.reset();
    tokens = new Map(initialTokens.map((t, i) => [t, i + 1] as const));
    owners = new Map(tokens);
    nextUserId = initialTokens.length + 1;
  };
  const scrub = (text: string): string => {
    let out = text;
    for (const t of everSeen) if (t.length >= 4) out = out.split(t).join('«token»');
    return out;
  };

  const server = http.createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const bodyText = Buffer.concat(chunks).toString('utf8');
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const method = (req.method ?? 'GET').toUpperCase();
      const path = url.pathname;

      if (path.startsWith('/__admin/')) {
        let reply: Reply;
        try {
          reply = await handleAdmin(method, path, bodyText);
        } catch (err) {
          reply = { status: 400, body: { error: err instanceof Error ? err.message : String(err) } };
        }
        write(res, reply);
        return;
      }

      const authHeader = req.headers['authorization'];
      const bearer = typeof authHeader === 'string' ? /^Bearer\s+(.+)$/i.exec(authHeader.trim())?.[1] : undefined;
      const userId = bearer !== undefined ? tokens.get(bearer) : undefined;
      if (bearer !== undefined) everSeen.add(bearer);
      const entry: RequestLogEntry = {
        seq: ++seq,
        at: clock.now(),
        method,
        path,
        query: Object.fromEntries([...url.searchParams].map(([k, v]) => [k, scrub(v)])),
        auth: authHeader === undefined ? 'missing' : userId !== undefined ? 'valid' : 'invalid',
      };
      if (bodyText) entry.body = parseLogged(scrub(bodyText));
      log.push(entry);
      if (log.length > MAX_LOGGED) log = log.slice(-MAX_LOGGED);
      notify(entry);
      const answer = (reply: Reply): void => {
        entry.status = reply.status;
        entry.outcome = 'answered';
        write(res, reply);
        notify(entry);
      };

      const fault = faults.take(method, path);
      if (fault) entry.fault = fault.kind;
      // processed-late: no answer; the request is handled as usual once the client has gone away (a run really is
      // created), and what it created shows in reads only fault.delayMs later.
      if (fault?.kind === 'processed-late') {
        entry.outcome = 'hung';
        hanging.add(res);
        res.on('close', () => {
          hanging.delete(res);
          const late = handle();
          const id = (late.body as { id?: unknown } | null)?.id;
          if (typeof id === 'number') store.hideUntil(id, clock.now() + (fault.delayMs ?? 3_000));
        });
        notify(entry);
        return;
      }
      // processed-502: the request is handled as usual (a run really is created), then a gateway loses the answer.
      if (fault && fault.kind !== 'processed-502') {
        if (fault.kind === 'hang') {
          entry.outcome = 'hung';
          hanging.add(res);
          res.on('close', () => hanging.delete(res));
          notify(entry);
          return;
        }
        if (fault.kind === 'reset') {
          entry.outcome = 'reset';
          notify(entry);
          req.socket.resetAndDestroy();
          return;
        }
        answer(faultReply(fault, typeof authHeader === 'string' ? authHeader : ''));
        return;
      }

      /** The request handled as the API does. */
      function handle(): Reply {
        const matching = routes.filter((x) => x.re.test(path));
        const r = matching.find((x) => x.method === method);
        if (!r) return matching.length > 0 ? { status: 405, body: { detail: 'Method Not Allowed' } } : { status: 404, body: { detail: 'Not Found' } };
        entry.rateClass = r.cls;
        if (bearer === undefined || userId === undefined) {
          return { status: 401, body: { message: bearer === undefined ? 'Missing or malformed Authorization header. Expected "Bearer <token>".' : 'Invalid or expired API token.', status_code: 401 } };
        }
        const waitMs = limiter?.take(bearer, r.cls, clock.now());
        if (waitMs !== undefined) {
          return { status: 429, body: { message: 'Rate limit exceeded. Please try again later.', status_code: 429 }, headers: { 'retry-after': String(Math.max(1, Math.ceil(waitMs / 1000))) } };
        }
        const params = r.re.exec(path)?.groups ?? {};
        return r.handle({ params: { ...params }, query: url.searchParams, bodyText, userId, v: new Validator() });
      }
      const reply = handle();
      answer(fault?.kind === 'processed-502' ? faultReply({ ...fault, kind: '502-html' }, '') : reply);
    })().catch((err: unknown) => {
      if (!res.headersSent) write(res, { status: 500, body: { message: `contract server bug: ${err instanceof Error ? err.message : String(err)}`, status_code: 500 } });
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    clock,
    requests: () => log.map((e) => ({ ...e })),
    clearRequests: () => {
      log = [];
    },
    waitForRequest: (pred) =>
      new Promise((resolve) => {
        const hit = log.find(pred);
        if (hit) {
          resolve(hit);
          return;
        }
        const w = (e: RequestLogEntry): void => {
          if (pred(e)) {
            watchers.delete(w);
            resolve(e);
          }
        };
        watchers.add(w);
      }),
    addFault: (spec) => faults.add(spec),
    clearFaults: () => faults.clear(),
    addToken,
    revokeToken: (t) => {
      tokens.delete(t);
    },
    reset,
    close: async () => {
      for (const res of hanging) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function route(method: 'GET' | 'POST', pattern: string, cls: RateClass, handle: (ctx: Ctx) => Reply): Route {
  const re = new RegExp(`^${pattern.replace(/\{(\w+)\}/g, '(?<$1>[^/]+)')}$`);
  return { method, re, cls, handle };
}

function unprocessable(issues: Issue[]): Reply {
  return { status: 422, body: { detail: issues as unknown as Json } };
}

function user(id: number): Json {
  const first = id === 1;
  return {
    id,
    email: first ? 'sandbox@example.com' : `user${id}@example.com`,
    github_user_id: String(9_000_000 + id),
    github_username: first ? 'sandbox-user' : `sandbox-user-${id}`,
    avatar_url: null,
    full_name: first ? 'Sandbox User' : null,
    role: first ? 'ADMIN' : 'MEMBER',
    is_admin: first,
  };
}

/** `authHeader`: the request's Authorization value, which the echo-auth faults repeat (with the bare token) in their body. */
function faultReply(f: FaultSpec, authHeader: string): Reply {
  const bare = /^\s*\S+\s+(.+)$/.exec(authHeader)?.[1] ?? authHeader;
  switch (f.kind) {
    case '429':
      return { status: 429, body: { message: 'Rate limit exceeded. Please try again later.', status_code: 429 }, headers: { 'retry-after': f.retryAfter ?? '1' } };
    case '429-no-retry-after':
      return { status: 429, body: { detail: 'Rate limit exceeded. Please try again later.', status_code: 429 } };
    case '500':
      return { status: 500, body: 'Internal Server Error', headers: { 'content-type': 'text/plain; charset=utf-8' } };
    case '502-html':
      return {
        status: 502,
        body: '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n',
        headers: { 'content-type': 'text/html' },
      };
    case '503':
      return { status: 503, body: { message: 'Service temporarily unavailable.', status_code: 503 } };
    case 'malformed-json':
      return { status: 200, body: '{"id": 1, "organization_id": 1, "status": "RUNN', headers: { 'content-type': 'application/json' } };
    case '200-html':
      return {
        status: 200,
        body: '<!DOCTYPE html>\n<html lang="en"><head><meta charset="utf-8"><title>Sign in – Corporate SSO</title></head>\n<body><form method="post" action="/login"><input name="user"></form></body></html>\n',
        headers: { 'content-type': 'text/html; charset=utf-8' },
      };
    case '408':
      return { status: 408, body: '', headers: { 'content-type': 'text/plain; charset=utf-8', connection: 'close' } };
    case '401':
      return { status: 401, body: { message: 'Invalid or expired API token.', status_code: 401 } };
    case '402':
      return { status: 402, body: { message: 'Alloted agent runs for the current billing plan have been reached. Please upgrade your plan to continue.', status_code: 402 } };
    case '403':
      return { status: 403, body: NO_ACCESS };
    case '404':
      return { status: 404, body: RUN_NOT_FOUND };
    case '422':
      return { status: 422, body: { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }] } };
    case '401-echo-auth':
      return { status: 401, body: { message: `Invalid or expired API token ${bare} (Authorization: ${authHeader}).`, status_code: 401 } };
    case '500-echo-auth':
      return { status: 500, body: `Internal Server Error: upstream refused token=${bare}; request headers: authorization: ${authHeader}`, headers: { 'content-type': 'text/plain; charset=utf-8' } };
    case 'hang':
    case 'reset':
    case 'processed-502':
    case 'processed-late':
      throw new Error(`${f.kind} has no reply of its own`);
  }
}

/** Strings are sent as they are (raw bodies); everything else as JSON. */
function write(res: http.ServerResponse, reply: Reply): void {
  const raw = typeof reply.body === 'string' && reply.headers?.['content-type'] !== undefined;
  const text = raw ? (reply.body as string) : JSON.stringify(reply.body);
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers, 'content-length': Buffer.byteLength(text) });
  res.end(text);
}

function parseLogged(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return { unparsed: text.slice(0, 200) };
  }
}

function asStrings(v: unknown): string[] {
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}
