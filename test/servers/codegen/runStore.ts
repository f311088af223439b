// Agent runs of the contract server. A created run is PENDING for `pendingMs`, RUNNING for
// `runningMs`, then COMPLETE (result with a fenced code block, a summary, and a pull request when the
// prompt mentions "PR" or "pull request"); resume starts another RUNNING period; stop → STOPPED.
// Statuses and visible logs are computed from the server clock on every read, so moving the clock
// moves the runs. Seeded runs reproduce what the live service sends (see seedRuns).

export interface RunTimings {
  pendingMs: number;
  runningMs: number;
}

interface Period {
  kind: 'initial' | 'resume';
  prompt: string;
  startAt: number;
  stoppedAt?: number;
}

export interface RunRecord {
  id: number;
  orgId: number;
  userId: number;
  sourceType: string;
  metadata: Record<string, unknown> | null;
  createdAt: number | undefined;
  /** `naive` = `2025-06-21 11:20:04.338398` (no timezone, as the live service sometimes sends). */
  createdAtFormat: 'iso' | 'naive';
  periods: Period[];
  /** Seeded/forced runs: status and fields as given, never moving. */
  frozen?: { status: string | null; result: string | null; summary: string | null; webUrl: string | null; withPr: boolean; omitNulls?: boolean };
  repoId?: number;
  model?: string;
  agentType?: string;
  /** Not in reads before this server time (the `processed-late` fault). */
  hiddenUntil?: number;
}

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

export const SOURCE_TYPES = ['LOCAL', 'SLACK', 'GITHUB', 'GITHUB_CHECK_SUITE', 'GITHUB_PR_REVIEW', 'LINEAR', 'API', 'CHAT', 'JIRA', 'CLICKUP', 'MONDAY', 'SETUP_COMMANDS'] as const;

const ACTIONS_PER_RUN = 22;
const TOOLS = ['ripgrep_search', 'view_file', 'semantic_search', 'edit_file', 'run_command', 'list_directory'] as const;

export class RunStore {
  private runs = new Map<number, RunRecord>();
  private nextId = 1000;

  constructor(
    private readonly orgId: number,
    private readonly timings: RunTimings,
    private readonly now: () => number,
  ) {
    this.reset();
  }

  reset(): void {
    this.runs.clear();
    this.nextId = 1000;
    for (const r of seedRuns(this.orgId, this.now())) this.runs.set(r.id, r);
  }

  create(input: { orgId: number; userId: number; prompt: string; metadata: Record<string, unknown> | null; repoId?: number; model?: string; agentType?: string }): RunRecord {
    const id = this.nextId++;
    const now = this.now();
    const run: RunRecord = {
      id,
      orgId: input.orgId,
      userId: input.userId,
      sourceType: 'API',
      metadata: input.metadata,
      createdAt: now,
      createdAtFormat: id % 2 === 0 ? 'naive' : 'iso',
      periods: [{ kind: 'initial', prompt: input.prompt, startAt: now }],
      ...(input.repoId !== undefined ? { repoId: input.repoId } : {}),
      ...(input.model !== undefined ? { model: input.model } : {}),
      ...(input.agentType !== undefined ? { agentType: input.agentType } : {}),
    };
    this.runs.set(id, run);
    return run;
  }

  get(orgId: number, id: number): RunRecord | undefined {
    const r = this.runs.get(id);
    return r && r.orgId === orgId && this.visible(r) ? r : undefined;
  }

  /** Newest first. */
  list(orgId: number, filter: { userId?: number; sourceType?: string }): RunRecord[] {
    return [...this.runs.values()]
      .filter((r) => r.orgId === orgId && this.visible(r) && (filter.userId === undefined || r.userId === filter.userId) && (filter.sourceType === undefined || r.sourceType === filter.sourceType))
      .sort((a, b) => (b.createdAt ?? 0) - (a.createdAt ?? 0) || b.id - a.id);
  }

  /** Keeps a run out of reads until `at` (server time): the `processed-late` fault. */
  hideUntil(id: number, at: number): void {
    const r = this.runs.get(id);
    if (r) r.hiddenUntil = at;
  }

  private visible(r: RunRecord): boolean {
    return r.hiddenUntil === undefined || this.now() >= r.hiddenUntil;
  }

  resume(run: RunRecord, prompt: string): void {
    delete run.frozen;
    run.periods.push({ kind: 'resume', prompt, startAt: this.now() });
  }

  stop(run: RunRecord): void {
    const status = this.status(run);
    if (status !== 'PENDING' && status !== 'RUNNING') return;
    delete run.frozen; // a run frozen active (admin) stops like any other
    last(run.periods).stoppedAt = this.now();
  }

  /** Freezes a run at a status (admin). */
  force(run: RunRecord, status: string): void {
    run.frozen = { status, result: this.result(run), summary: this.summary(run), webUrl: webUrl(run.id), withPr: this.hasPr(run) };
  }

  status(run: RunRecord): string | null {
    if (run.frozen) return run.frozen.status;
    const p = last(run.periods);
    if (p.stoppedAt !== undefined) return 'STOPPED';
    const t = this.now() - p.startAt;
    const pending = p.kind === 'initial' ? this.timings.pendingMs : 0;
    if (t < pending) return 'PENDING';
    if (t < pending + this.timings.runningMs) return 'RUNNING';
    return 'COMPLETE';
  }

  /** The AgentRunResponse JSON. */
  toJson(run: RunRecord): Record<string, Json> {
    const status = this.status(run);
    const done = status !== null && ['COMPLETE', 'COMPLETED'].includes(status.toUpperCase());
    const f = run.frozen;
    const prs = (f ? f.withPr : done && this.hasPr(run)) ? [this.pullRequest(run)] : [];
    const out: Record<string, Json> = {
      id: run.id,
      organization_id: run.orgId,
      status,
      created_at: run.createdAt === undefined ? null : formatTime(run.createdAt, run.createdAtFormat),
      web_url: f ? f.webUrl : webUrl(run.id),
      result: f ? f.result : done ? this.result(run) : null,
      summary: f ? f.summary : done ? this.summary(run) : null,
      source_type: run.sourceType,
      github_pull_requests: f?.omitNulls ? null : prs,
      metadata: run.metadata as Json,
    };
    if (f?.omitNulls) {
      for (const k of Object.keys(out)) if (out[k] === null) delete out[k];
    }
    return out;
  }

  /** Log entries visible at the current time, oldest first. */
  logs(run: RunRecord): Record<string, Json>[] {
    const out: { at: number; entry: Record<string, Json> }[] = [];
    for (const p of run.periods) {
      const end = Math.min(p.stoppedAt ?? Number.POSITIVE_INFINITY, this.now());
      for (const e of this.periodLogs(run, p)) if (e.at <= end) out.push(e);
    }
    return out.sort((a, b) => a.at - b.at).map((e) => e.entry);
  }

  private periodLogs(run: RunRecord, p: Period): { at: number; entry: Record<string, Json> }[] {
    const pending = p.kind === 'initial' ? this.timings.pendingMs : 0;
    const running = this.timings.runningMs;
    const entry = (at: number, fields: Record<string, Json>): { at: number; entry: Record<string, Json> } => ({
      at,
      entry: { agent_run_id: run.id, created_at: formatTime(at, 'naive'), tool_name: null, message_type: null, thought: null, observation: null, tool_input: null, tool_output: null, ...fields },
    });
    const out = [entry(p.startAt, { message_type: 'USER_MESSAGE', observation: p.prompt })];
    out.push(entry(p.startAt + pending + 1, { message_type: 'PLAN_EVALUATION', thought: `Plan: find the code related to "${short(p.prompt, 40)}", change it, run the tests.` }));
    const actions = p.kind === 'initial' ? ACTIONS_PER_RUN : 6;
    for (let i = 0; i < actions; i++) {
      const tool = TOOLS[i % TOOLS.length] ?? 'view_file';
      const at = p.startAt + pending + Math.floor((running * (i + 1)) / (actions + 2));
      out.push(
        entry(at, {
          message_type: 'ACTION',
          tool_name: tool,
          thought: `Step ${i + 1}: ${describeTool(tool)}.`,
          tool_input: toolInput(tool, i),
          tool_output: { ok: true, lines: 3 + (i % 7) },
          observation: `${tool} finished: ${3 + (i % 7)} lines of output.`,
        }),
      );
    }
    out.push(entry(p.startAt + pending + running, { message_type: 'FINAL_ANSWER', thought: 'The change is done.', observation: short(p.prompt, 80) }));
    return out;
  }

  private hasPr(run: RunRecord): boolean {
    return /\b(pr|pull request)\b/i.test(run.periods[0]?.prompt ?? '');
  }

  private pullRequest(run: RunRecord): Record<string, Json> {
    const p = run.periods[0];
    const done = p ? p.startAt + this.timings.pendingMs + this.timings.runningMs : this.now();
    return {
      id: 5000 + run.id,
      title: `Contexten sandbox: ${short(p?.prompt ?? 'change', 50)}`,
      url: `https://github.com/sandbox-org/web-app/pull/${run.id}`,
      created_at: formatTime(run.frozen ? (run.createdAt ?? done) : done, 'iso'),
      head_branch_name: `codegen-bot/run-${run.id}`,
    };
  }

  private result(run: RunRecord): string {
    return run.periods
      .map((p, i) =>
        [
          i === 0 ? `I made the change you asked for: "${short(p.prompt, 120)}".` : `Follow-up done: "${short(p.prompt, 120)}".`,
          '',
          '```ts',
          `// Contexten sandbox run ${run.id}, step ${i + 1}`,
          `export function greet${i === 0 ? '' : i + 1}(name: string): string {`,
          '  return `Hello, ${name}!`;',
          '}',
          '```',
          '',
          'Run `npm test` to check it.',
        ].join('\n'),
      )
      .join('\n\n');
  }

  private summary(run: RunRecord): string {
    const n = run.periods.length;
    return `Implemented: ${short(run.periods[0]?.prompt ?? '', 60)}${n > 1 ? ` (+${n - 1} follow-up${n > 2 ? 's' : ''})` : ''}`;
  }
}

function last<T>(items: readonly T[]): T {
  const item = items[items.length - 1];
  if (item === undefined) throw new Error('empty list');
  return item;
}

function webUrl(id: number): string {
  return `https://codegen.sh/agent/trace/${id}`;
}

function short(s: string, max: number): string {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
}

/** `2025-06-21T11:20:04.338000+00:00` or, naive, `2025-06-21 11:20:04.338000`. */
export function formatTime(ms: number, format: 'iso' | 'naive'): string {
  const iso = new Date(ms).toISOString(); // 2025-06-21T11:20:04.338Z
  const micro = `${iso.slice(0, 23)}000`;
  return format === 'iso' ? `${micro}+00:00` : micro.replace('T', ' ');
}

function describeTool(tool: string): string {
  switch (tool) {
    case 'ripgrep_search':
      return 'search the codebase for the symbols involved';
    case 'view_file':
      return 'read the file that needs the change';
    case 'semantic_search':
      return 'look for similar code elsewhere';
    case 'edit_file':
      return 'apply the edit';
    case 'run_command':
      return 'run the tests';
    default:
      return 'look around the repository';
  }
}

function toolInput(tool: string, i: number): Record<string, Json> {
  switch (tool) {
    case 'ripgrep_search':
      return { query: 'greet', path: 'src' };
    case 'view_file':
      return { filepath: `src/module${i}.ts` };
    case 'edit_file':
      return { filepath: 'src/greet.ts', edit: 'export function greet(…)' };
    case 'run_command':
      return { command: 'npm test' };
    default:
      return { path: '.' };
  }
}

/** Runs that already exist, as the live service returns them (quirks included). */
function seedRuns(orgId: number, now: number): RunRecord[] {
  const base = { orgId, userId: 1, metadata: null, periods: [] as Period[] };
  const hours = (h: number): number => now - h * 3_600_000;
  const period = (prompt: string, at: number): Period[] => [{ kind: 'initial', prompt, startAt: at }];
  const code = '```python\ndef add(a: int, b: int) -> int:\n    return a + b\n```';
  return [
    {
      ...base,
      id: 101,
      sourceType: 'API',
      createdAt: hours(3),
      createdAtFormat: 'naive',
      periods: period('Add an add() helper and open a PR', hours(3)),
      metadata: { ticket: 'SANDBOX-1' },
      frozen: { status: 'COMPLETE', result: `Added the helper.\n\n${code}`, summary: 'Added add() with tests', webUrl: webUrl(101), withPr: true },
    },
    {
      ...base,
      id: 102,
      sourceType: 'LOCAL',
      createdAt: hours(2),
      createdAtFormat: 'iso',
      periods: period('Document the public API', hours(2)),
      frozen: { status: 'completed', result: 'Documented every exported function.', summary: 'Docs written', webUrl: webUrl(102), withPr: false },
    },
    {
      ...base,
      id: 103,
      userId: 2,
      sourceType: 'GITHUB',
      createdAt: hours(1.5),
      createdAtFormat: 'naive',
      periods: period('Fix the flaky CI job', hours(1.5)),
      frozen: { status: 'FAILED', result: 'Error: could not clone the repository (permission denied).', summary: null, webUrl: webUrl(103), withPr: false },
    },
    {
      ...base,
      id: 104,
      sourceType: 'CHAT',
      createdAt: hours(1),
      createdAtFormat: 'iso',
      periods: period('Refactor the settings page', hours(1)),
      frozen: { status: 'AWAITING_REVIEW', result: null, summary: null, webUrl: webUrl(104), withPr: false },
    },
    {
      ...base,
      id: 105,
      sourceType: 'SLACK',
      createdAt: undefined,
      createdAtFormat: 'iso',
      periods: period('Try something from Slack', hours(4)),
      frozen: { status: 'STOPPED', result: null, summary: null, webUrl: null, withPr: false, omitNulls: true },
    },
  ];
}
