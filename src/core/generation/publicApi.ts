// The API other extensions get from `activate()`: versioned, with its capabilities listed, every input
// validated with zod (a bad input is a ValidationError naming the function, the field and the rule).
// Cancellation: pass an AbortSignal (`signal`) or a VS Code CancellationToken (`token`, matched by shape
// so core stays free of the vscode module).
import * as z from 'zod';
import type { AgentRun } from '../api/codegenClient';
import type { ContextQuery, ContextResult } from '../context/model';
import { ValidationError, type ValidationIssue } from '../errors';
import type { Listener } from '../emitter';
import type { PerformanceReport } from '../../shared/performanceReport';
import type { AgentTaskOptions, AgentTaskResult } from './agentTaskRunner';
import type { BatchItemResult, BatchRequest } from './batcher';
import type { GenerateCall } from './generationPipeline';
import type { ContextSource, GenerateOptions, GenerationResult } from './model';
import { MAX_CALLER_CODE_CHARS } from './promptBuilder';

export const API_VERSION = 1;
export const API_CAPABILITIES = ['code_generation', 'context_enhancement', 'agent_task_execution', 'batch_processing'] as const;

/** The shape of a vscode.CancellationToken. */
export interface CancellationTokenLike {
  readonly isCancellationRequested: boolean;
  /** A VS Code token gives back a Disposable; a look-alike may give back nothing, and is accepted. */
  onCancellationRequested(listener: () => void): { dispose(): unknown } | undefined;
}

const cancellationShape = {
  signal: z.instanceof(AbortSignal).optional(),
  token: z
    .custom<CancellationTokenLike>(
      (v) =>
        typeof v === 'object' &&
        v !== null &&
        typeof (v as CancellationTokenLike).isCancellationRequested === 'boolean' &&
        typeof (v as CancellationTokenLike).onCancellationRequested === 'function',
      'expected a CancellationToken',
    )
    .optional(),
};

/**
 * A file as the engine names it (and as getRelevantContext's items do): relative to the workspace (a multi-root
 * workspace's prefixed by the folder's name), `/`-separated, with no empty, `.` or `..` segment. Any other path
 * names no file of the index, and the engine would silently rank without it. A `:` or a `\` is part of a name
 * (`a:b.ts`, `docs\x.md` are files on Linux and macOS, and the engine names them so): only a drive letter followed by
 * a separator or nothing (`C:/x`, `C:`) is absolute, and `\` is refused only on Windows, where it is a separator.
 */
const relativePath = z
  .string()
  .min(1)
  .max(4_096)
  // (Each rule aborts: a path breaking several is named by the first, `/etc/passwd` as absolute.)
  .refine((p) => !p.startsWith('/') && !/^[A-Za-z]:([\\/]|$)/.test(p), { message: 'must be relative to the workspace, not absolute', abort: true })
  // (process.platform read at each check, not once at load: a test can stand in for Windows.)
  .refine((p) => process.platform !== 'win32' || !p.includes('\\'), { message: 'must use / between folders, not \\', abort: true })
  .refine((p) => p.split('/').every((s) => s !== '' && s !== '.' && s !== '..'), { message: 'must have no empty, . or .. segment', abort: true });
const prompt = z.string().trim().min(1, 'must not be empty').max(200_000);

export const generateOptionsSchema = z.strictObject({
  provider: z.enum(['openai', 'codegen']).optional(),
  model: z.string().trim().min(1).max(200).optional(),
  temperature: z.number().min(0).max(2).optional(),
  maxTokens: z.number().int().min(1).max(1_000_000).optional(),
  contextEnhancement: z.boolean().optional(),
  useCache: z.boolean().optional(),
  activeFile: relativePath.nullable().optional(),
  openFiles: z.array(relativePath).max(200).optional(),
  recentFiles: z.array(relativePath).max(200).optional(),
  // (Refused blank, as a prompt and a getRelevantContext query are: ranking for no text would pick arbitrary context.)
  contextQuery: z.string().trim().min(1, 'must not be empty').max(20_000).optional(),
});

/** A callback streamed text goes to (a function, or the input is refused). */
const textCallback = z.custom<(text: string) => void>((v) => typeof v === 'function', 'expected a function');

export const generateWithContextInputSchema = z.strictObject({
  codebaseContext: z.string().max(MAX_CALLER_CODE_CHARS).optional(),
  options: generateOptionsSchema.optional(),
  onToken: textCallback.optional(),
  /** A reasoning model's thinking as it streams: never part of what onToken gets, nor of the result's text. */
  onReasoning: textCallback.optional(),
  ...cancellationShape,
});

export const contextQueryObjectSchema = z.strictObject({
  query: prompt,
  activeFile: relativePath.nullable().optional(),
  openFiles: z.array(relativePath).max(200).optional(),
  recentFiles: z.array(relativePath).max(200).optional(),
  budget: z.number().int().min(100).max(1_000_000).optional(),
  relevanceThreshold: z.number().min(0).max(1).optional(),
});

/**
 * A query string or object. getRelevantContext checks a value against the one schema its type asks for (a
 * union's error names no field or rule once both branches fail).
 */
export const contextQueryInputSchema = z.union([prompt, contextQueryObjectSchema]);

export const cancellationInputSchema = z.strictObject(cancellationShape);

export const runAgentTaskInputSchema = z.strictObject({
  contextEnhancement: z.boolean().optional(),
  asyncExecution: z.boolean().optional(),
  activeFile: relativePath.nullable().optional(),
  openFiles: z.array(relativePath).max(200).optional(),
  codebaseContext: z.string().max(MAX_CALLER_CODE_CHARS).optional(),
  ...cancellationShape,
});

export const batchRequestSchema = z.strictObject({
  prompt,
  codebaseContext: z.string().max(MAX_CALLER_CODE_CHARS).optional(),
  options: generateOptionsSchema.optional(),
  /** This request's answer as it streams (as generateWithContext's): each item streams to its own callbacks. */
  onToken: textCallback.optional(),
  onReasoning: textCallback.optional(),
});

export const MAX_BATCH_REQUESTS = 500;
export const batchRequestsSchema = z.array(batchRequestSchema).min(1, 'needs at least one request').max(MAX_BATCH_REQUESTS);

export type GenerateWithContextInput = z.input<typeof generateWithContextInputSchema>;
export type ContextQueryInput = z.input<typeof contextQueryInputSchema>;
export type CancellationInput = z.input<typeof cancellationInputSchema>;
export type RunAgentTaskInput = z.input<typeof runAgentTaskInputSchema>;

export interface ContextenApi {
  readonly apiVersion: typeof API_VERSION;
  readonly capabilities: readonly (typeof API_CAPABILITIES)[number][];
  generateWithContext(prompt: string, options?: GenerateWithContextInput): Promise<GenerationResult>;
  getRelevantContext(query: ContextQueryInput, options?: CancellationInput): Promise<ContextResult>;
  runAgentTask(description: string, options?: RunAgentTaskInput): Promise<AgentTaskResult>;
  batchGenerate(requests: readonly BatchRequest[], options?: CancellationInput): Promise<BatchItemResult[]>;
  getPerformanceReport(): PerformanceReport;
  /**
   * Fires with every state seen of the agent runs this window follows: those started through runAgentTask, and the
   * ones the Agent Tasks sidebar polls (created, resumed or stopped there, or listed there while active).
   */
  readonly onDidChangeTask: Listener<AgentRun>;
}

export interface PublicApiServices {
  readonly generate: (prompt: string, call: GenerateCall) => Promise<GenerationResult>;
  readonly context: ContextSource;
  readonly runAgentTask: (description: string, opts: AgentTaskOptions) => Promise<AgentTaskResult>;
  readonly batchGenerate: (requests: readonly BatchRequest[], signal: AbortSignal) => Promise<BatchItemResult[]>;
  readonly getPerformanceReport: () => PerformanceReport;
  readonly onDidChangeTask: Listener<AgentRun>;
}

export function createPublicApi(services: PublicApiServices): ContextenApi {
  return {
    apiVersion: API_VERSION,
    capabilities: [...API_CAPABILITIES],
    generateWithContext: async (rawPrompt, rawOptions) => {
      const p = validate('generateWithContext', 'prompt', prompt, rawPrompt);
      const o = validate('generateWithContext', 'options', generateWithContextInputSchema, rawOptions ?? {});
      return withSignal(o, (signal) =>
        services.generate(p, {
          signal,
          ...(o.codebaseContext !== undefined ? { codebaseContext: o.codebaseContext } : {}),
          ...(o.options !== undefined ? { options: stripUndefined(o.options) as GenerateOptions } : {}),
          ...(o.onToken !== undefined ? { onToken: o.onToken } : {}),
          ...(o.onReasoning !== undefined ? { onReasoning: o.onReasoning } : {}),
        }),
      );
    },
    getRelevantContext: async (rawQuery, rawOptions) => {
      const q = typeof rawQuery === 'string' ? validate('getRelevantContext', 'query', prompt, rawQuery) : validate('getRelevantContext', 'query', contextQueryObjectSchema, rawQuery);
      const o = validate('getRelevantContext', 'options', cancellationInputSchema, rawOptions ?? {});
      const query: ContextQuery = typeof q === 'string' ? { query: q } : (stripUndefined(q) as ContextQuery);
      return withSignal(o, (signal) => services.context.getRelevantContext(query, signal));
    },
    runAgentTask: async (rawDescription, rawOptions) => {
      const d = validate('runAgentTask', 'description', prompt, rawDescription);
      const o = validate('runAgentTask', 'options', runAgentTaskInputSchema, rawOptions ?? {});
      const { signal: _s, token: _t, ...rest } = o;
      return withSignal(o, (signal) => services.runAgentTask(d, { ...(stripUndefined(rest) as Omit<AgentTaskOptions, 'signal'>), signal }));
    },
    batchGenerate: async (rawRequests, rawOptions) => {
      const r = validate('batchGenerate', 'requests', batchRequestsSchema, rawRequests);
      const o = validate('batchGenerate', 'options', cancellationInputSchema, rawOptions ?? {});
      const requests = r.map((x) => stripUndefined(x) as BatchRequest);
      return withSignal(o, (signal) => services.batchGenerate(requests, signal));
    },
    getPerformanceReport: () => services.getPerformanceReport(),
    onDidChangeTask: services.onDidChangeTask,
  };
}

function validate<S extends z.ZodType>(fn: string, arg: string, schema: S, value: unknown): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues: ValidationIssue[] = parsed.error.issues.map((i) => ({
    loc: [arg, ...i.path.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number')],
    msg: i.message,
    type: i.code,
  }));
  const text = issues.map((i) => `${i.loc.join('.')}: ${i.msg}`).join('; ');
  throw new ValidationError(`Contexten API ${fn}: invalid input (${text}).`, issues);
}

/** Runs `task` with an AbortSignal that follows the caller's signal and/or CancellationToken. */
async function withSignal<T>(o: { signal?: AbortSignal | undefined; token?: CancellationTokenLike | undefined }, task: (signal: AbortSignal) => Promise<T>): Promise<T> {
  if (!o.token) return task(o.signal ?? new AbortController().signal);
  const controller = new AbortController();
  const abort = (): void => controller.abort();
  if (o.token.isCancellationRequested || o.signal?.aborted) abort();
  const sub = o.token.onCancellationRequested(abort);
  o.signal?.addEventListener('abort', abort, { once: true });
  try {
    return await task(controller.signal);
  } finally {
    // The token's shape is checked, not what its onCancellationRequested gives back: dispose only a Disposable.
    if (typeof sub?.dispose === 'function') sub.dispose();
    o.signal?.removeEventListener('abort', abort);
  }
}

/** Drops keys whose value is undefined (exactOptionalPropertyTypes: absent ≠ undefined). */
function stripUndefined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}
