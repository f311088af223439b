// zod schemas for what the Codegen API sends, lenient where the live service is: unknown status
// strings, timezone-less timestamps (UTC), nulls or absent optional fields, extra fields, ids as
// numeric strings. A list item that cannot be read is dropped (and counted) instead of failing the page.
import * as z from 'zod';
import { isAllowedBaseUrl } from '../config/configSchema';
import { ProtocolError } from '../errors';
import type { AgentRun, AgentRunLog, AgentRunLogs, Organization, Page, PullRequest, Repository, RunState, User } from './codegenClient';

const ACTIVE = new Set(['ACTIVE', 'RUNNING', 'PENDING', 'EVALUATION', 'PAUSED', 'QUEUED', 'IN_PROGRESS']);
const COMPLETE = new Set(['COMPLETE', 'COMPLETED', 'SUCCEEDED', 'SUCCESS']);
const FAILED = new Set(['FAILED', 'ERROR', 'CANCELLED', 'CANCELED', 'STOPPED', 'TIMEOUT', 'MAX_ITERATIONS_REACHED', 'OUT_OF_TOKENS']);

/** Normalises a raw status (any case) to its category; anything unrecognised (or none) is `unknown` (still polled). */
export function runStateOf(status: string | null | undefined): RunState {
  const s = (status ?? '').trim().toUpperCase();
  if (ACTIVE.has(s)) return 'active';
  if (COMPLETE.has(s)) return 'complete';
  if (FAILED.has(s)) return 'failed';
  return 'unknown';
}

const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:\.(\d+))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

/**
 * Reads the service's timestamps: ISO 8601 / RFC 3339 and Python's `str(datetime)`, with `T` or a space, seconds and a
 * fraction optional, and a zone `Z`, `±hh`, `±hhmm` or `±hh:mm` (as PostgreSQL writes `+00`) — without one, UTC
 * (`2025-06-21 11:20:04.338398`). Anything else, or a date or time that does not exist (`2025-02-30`, `25:00`), is
 * unreadable: undefined (never rolled over to another day, nor read in the local timezone).
 */
export function parseServerDate(value: string | null | undefined): Date | undefined {
  if (!value) return undefined;
  const m = TIMESTAMP.exec(value.trim());
  if (!m) return undefined;
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((p) => (p === undefined ? undefined : Number(p)));
  if (year === undefined || month === undefined || day === undefined) return undefined;
  const millis = Number((m[7] ?? '').slice(0, 3).padEnd(3, '0'));
  const at = new Date(0);
  at.setUTCFullYear(year, month - 1, day);
  at.setUTCHours(hour, minute, second, millis);
  // (Date rolls 30 February over to 2 March, 24:00 to the next day: the parts must come back as they were written.)
  if (at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== day || at.getUTCHours() !== hour || at.getUTCMinutes() !== minute || at.getUTCSeconds() !== second) return undefined;
  const offset = zoneOffsetMinutes(m[8]);
  return offset === undefined ? undefined : new Date(at.getTime() - offset * 60_000);
}

/** Minutes east of UTC of a zone `Z`, `±hh`, `±hhmm` or `±hh:mm` (none: UTC); undefined when out of range. */
function zoneOffsetMinutes(zone: string | undefined): number | undefined {
  if (zone === undefined || zone.toUpperCase() === 'Z') return 0;
  const digits = zone.slice(1).replace(':', '');
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || '0');
  if (hours > 23 || minutes > 59) return undefined;
  return (zone.startsWith('-') ? -1 : 1) * (hours * 60 + minutes);
}

const int = z.union([z.number().int(), z.string().regex(/^\d+$/).transform(Number)]);
const optionalText = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((v) => v ?? undefined);
const optionalDate = z
  .string()
  .nullish()
  .catch(undefined)
  .transform((v) => parseServerDate(v));
const optionalRecord = z
  .record(z.string(), z.unknown())
  .nullish()
  .catch(undefined)
  .transform((v) => v ?? undefined);
const optionalInt = int
  .nullish()
  .catch(undefined)
  .transform((v) => v ?? undefined);

/** Sets only the defined values (exactOptionalPropertyTypes: optional fields are absent, never undefined). */
function withDefined<T extends object>(base: T, extra: { [K in keyof T]?: T[K] | undefined }): T {
  for (const [k, v] of Object.entries(extra)) {
    if (v !== undefined) (base as Record<string, unknown>)[k] = v;
  }
  return base;
}

/**
 * A link from the server that the sidebar may open or show: https, or http on a loopback host (local servers) — as
 * base URLs are. Anything else (`javascript:`, `file:`, `command:`) reads as no link: opening it is not the server's
 * to ask.
 */
export function openableLink(url: string | undefined): string | undefined {
  if (url === undefined || !isAllowedBaseUrl(url)) return undefined;
  // Normalised, brackets escaped: the link also goes into Markdown (the run's hover).
  return new URL(url).href.replaceAll('(', '%28').replaceAll(')', '%29');
}

const pullRequestSchema = z
  .object({ id: int, title: optionalText, url: optionalText, created_at: optionalDate, head_branch_name: optionalText })
  .transform((p): PullRequest => withDefined<PullRequest>({ id: p.id, title: p.title ?? `Pull request ${p.id}`, url: openableLink(p.url) ?? '' }, { createdAt: p.created_at, headBranchName: p.head_branch_name }));

const runFields = {
  id: int,
  organization_id: int,
  status: optionalText,
  created_at: optionalDate,
  web_url: optionalText,
  result: optionalText,
  summary: optionalText,
  source_type: optionalText,
  metadata: optionalRecord,
  github_pull_requests: z.array(z.unknown()).nullish().catch(undefined),
};

type RawRun = z.output<z.ZodObject<typeof runFields>>;

function toRun(r: RawRun): AgentRun {
  const status = (r.status ?? '').trim().toUpperCase();
  return withDefined<AgentRun>(
    { id: r.id, organizationId: r.organization_id, status, state: runStateOf(status), pullRequests: readItems(r.github_pull_requests ?? [], pullRequestSchema).items },
    { createdAt: r.created_at, webUrl: openableLink(r.web_url), result: r.result, summary: r.summary, sourceType: r.source_type, metadata: r.metadata },
  );
}

export const agentRunSchema = z.object(runFields).transform(toRun);

const logSchema = z
  .object({
    agent_run_id: int,
    created_at: optionalDate,
    tool_name: optionalText,
    message_type: optionalText,
    thought: optionalText,
    // (Optional: the API requires agent_run_id only; zod 4 fails a key that is absent under a bare z.unknown().)
    observation: z.unknown().optional(),
    tool_input: z.unknown().optional(),
    tool_output: z.unknown().optional(),
  })
  .transform((l): AgentRunLog =>
    withDefined<AgentRunLog>(
      { agentRunId: l.agent_run_id },
      {
        createdAt: l.created_at,
        toolName: l.tool_name,
        messageType: l.message_type?.toUpperCase(),
        thought: l.thought,
        observation: l.observation === null || l.observation === undefined ? undefined : typeof l.observation === 'string' ? l.observation : JSON.stringify(l.observation),
        toolInput: l.tool_input ?? undefined,
        toolOutput: l.tool_output ?? undefined,
      },
    ),
  );

export const agentRunLogsSchema = z
  .object({ ...runFields, logs: z.array(z.unknown()).nullish(), total_logs: optionalInt, page: optionalInt, size: optionalInt, pages: optionalInt })
  .transform((r): AgentRunLogs & { dropped: number } => {
    const logs = readItems(r.logs ?? [], logSchema);
    const size = r.size ?? logs.items.length;
    // (No total when the server sends none — `total_logs: null` is allowed: this page's length is not the run's count.)
    const total = r.total_logs;
    const pages = r.pages ?? (total === undefined ? undefined : size > 0 ? Math.ceil(total / size) : 1);
    return withDefined<AgentRunLogs & { dropped: number }>(
      { run: toRun(r), logs: logs.items, page: r.page ?? 1, size, received: (r.logs ?? []).length, dropped: logs.dropped },
      { totalLogs: total, pages },
    );
  });

export const userSchema = z
  .object({ id: int, email: optionalText, github_username: optionalText, full_name: optionalText })
  .transform((u): User => withDefined<User>({ id: u.id }, { email: u.email, githubUsername: u.github_username, fullName: u.full_name }));

export const organizationSchema = z.object({ id: int, name: optionalText }).transform((o): Organization => ({ id: o.id, name: o.name ?? `Organization ${o.id}` }));

export const repositorySchema = z
  .object({ id: int, name: z.string(), full_name: optionalText, language: optionalText })
  .transform((r): Repository => withDefined<Repository>({ id: r.id, name: r.name, fullName: r.full_name ?? r.name }, { language: r.language }));

const pageEnvelope = z.object({ items: z.array(z.unknown()), total: optionalInt, page: optionalInt, size: optionalInt, pages: optionalInt });

/** A page envelope with items read one by one; `dropped` counts unreadable items. */
export function pageSchema<T>(item: z.ZodType<T>) {
  return pageEnvelope.transform((p): Page<T> & { dropped: number } => {
    const read = readItems(p.items, item);
    const size = p.size ?? p.items.length;
    const total = p.total ?? p.items.length;
    return { items: read.items, total, page: p.page ?? 1, size, pages: p.pages ?? (size > 0 ? Math.ceil(total / size) : 1), received: p.items.length, dropped: read.dropped };
  });
}

function readItems<T>(raw: readonly unknown[], item: z.ZodType<T>): { items: T[]; dropped: number } {
  const items: T[] = [];
  let dropped = 0;
  for (const r of raw) {
    const parsed = item.safeParse(r);
    if (parsed.success) items.push(parsed.data);
    else dropped++;
  }
  return { items, dropped };
}

/** Validates a decoded JSON answer; a mismatch is a ProtocolError naming the first bad field (never the data). */
export function parseAnswer<T>(schema: z.ZodType<T>, json: unknown, what: string): T {
  const parsed = schema.safeParse(json);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const where = issue && issue.path.length > 0 ? issue.path.map(String).join('.') : 'the body';
  throw new ProtocolError(`Codegen sent an unexpected answer for ${what}: ${where}: ${issue?.message ?? 'invalid'}.`);
}
