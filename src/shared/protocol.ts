// The message protocol between the extension host and the results webview. Shared by both sides, so it
// imports neither Node nor the DOM. Every message is plain JSON and is validated with zod on arrival in
// both directions: the host treats the webview as untrusted, and the webview checks what it renders.
// zod/mini keeps the webview bundle small (the classic API pulls in ~450 KB).
import * as z from 'zod/mini';
import { performanceReportSchema } from './performanceReport';
import { wholeCharacterCut } from './wholeCharacterCut';

/** The webview panel's viewType (also in package.json's `onWebviewPanel:` activation event). */
export const RESULTS_VIEW_TYPE = 'contexten.results';

/** Size caps. Anything larger is rejected by the schemas (and capped by the reducer for streamed text). */
export const LIMITS = {
  /** Streamed answer text kept in the view state. */
  textChars: 4_000_000,
  /** A reasoning model's streamed thinking kept in the view state (shown apart from the answer). */
  reasoningChars: 1_000_000,
  /** One code block, or the code carried by a copy request. */
  codeChars: 4_000_000,
  promptChars: 100_000,
  pathChars: 4_096,
  /** A file's absolute URI (a path of LIMITS.pathChars, percent-encoded, and the workspace folder's). */
  uriChars: 16_384,
  shortChars: 200,
  reasonChars: 1_000,
  messageChars: 4_000,
  codeBlocks: 200,
  contextItems: 1_000,
  warnings: 20,
  reasonsPerItem: 50,
  errorActions: 5,
  /**
   * Runs kept besides the one on show (ViewState.earlier): generations run side by side, and one still streaming when a
   * newer one starts goes on streaming into its own entry. Each holds up to textChars, so few are kept.
   */
  earlierRuns: 5,
} as const;

const text = (max: number) => z.string().check(z.maxLength(max));
const count = z.int().check(z.minimum(0));
const nonNegative = z.number().check(z.minimum(0));
const ratio = z.number().check(z.minimum(0), z.maximum(1));
/** Epoch milliseconds. */
const timestamp = nonNegative;

export const TabSchema = z.enum(['result', 'context', 'performance']);
export type Tab = z.infer<typeof TabSchema>;

// ---------------------------------------------------------------------------------------------------
// Data shown in the panel (plain-JSON views of core types; the host strips anything else on parse).

export const CodeBlockViewSchema = z.object({
  /** Fence language ('' when none). */
  language: text(LIMITS.shortChars),
  code: text(LIMITS.codeChars),
  /** False when the answer ended before the closing fence. */
  complete: z.boolean(),
});
export type CodeBlockView = z.infer<typeof CodeBlockViewSchema>;

/** An absolute `file:` URI (where a context item's file is). */
export const FileUriSchema = text(LIMITS.uriChars).check(z.startsWith('file:'));

/** A context item used for the prompt: the fields of core's ContextItem the panel shows (not its text). */
export const ContextItemViewSchema = z.object({
  /** As the index names it (shown): relative to the workspace folder, prefixed by the folder's name in a multi-root one. */
  file: text(LIMITS.pathChars),
  /**
   * Where the file was when the result was made (its absolute URI): what a click opens, also after the workspace folders
   * changed (`file` means another file then, or none). Absent when it was not known (a result saved by an earlier
   * version, a URI over LIMITS.uriChars).
   */
  uri: z.optional(FileUriSchema),
  startLine: z.int().check(z.minimum(1)),
  endLine: z.int().check(z.minimum(1)),
  /** Where the item starts in the editor, when it is not startLine (a file with lone CRs): what a click opens. */
  editorLine: z.optional(z.int().check(z.minimum(1))),
  symbol: text(LIMITS.reasonChars),
  kind: text(LIMITS.shortChars),
  /** Normalised 0..1. */
  score: ratio,
  reasons: z.array(text(LIMITS.reasonChars)).check(z.maxLength(LIMITS.reasonsPerItem)),
});
export type ContextItemView = z.infer<typeof ContextItemViewSchema>;

export const GenerationTimingsSchema = z.object({
  contextMs: nonNegative,
  queueMs: nonNegative,
  /** null when unknown. */
  firstTokenMs: z.nullable(nonNegative),
  totalMs: nonNegative,
});
export type GenerationTimings = z.infer<typeof GenerationTimingsSchema>;

/**
 * Why an answer ended short (core's CutOff, by its finish_reason): the model's token limit, a content filter, the server
 * aborting, or the server's end of unknown cause ("other").
 */
export const CutOffSchema = z.enum(['token_limit', 'content_filter', 'aborted', 'unexplained']);
export type CutOffView = z.infer<typeof CutOffSchema>;

/**
 * A finished generation as the panel shows it: the fields of core's GenerationResult the panel uses, with
 * the same names, so the glue passes the result as it is (parsing strips the rest, e.g. context text).
 */
export const GenerationResultViewSchema = z.object({
  codeBlocks: z.array(CodeBlockViewSchema).check(z.maxLength(LIMITS.codeBlocks)),
  /** The answer without its code blocks (markdown). */
  explanation: text(LIMITS.textChars),
  /** The codebase context attached to the prompt. */
  context: z.array(ContextItemViewSchema).check(z.maxLength(LIMITS.contextItems)),
  /** How many items were sent, when more than `context` holds (fitResultView keeps the first LIMITS.contextItems). */
  contextSent: z.optional(count),
  provider: text(LIMITS.shortChars),
  model: text(LIMITS.shortChars),
  cached: z.boolean(),
  timings: GenerationTimingsSchema,
  /** The answer may be incomplete: cut off (token limit, content filter), or ended by the server (`warnings` say why). */
  truncated: z.boolean(),
  /** Why a truncated answer ended short, when its reason is known (absent: whole, unknown, or saved by an earlier version). */
  cutOff: z.optional(CutOffSchema),
  /** Things to say next to the answer (e.g. why context is missing). */
  warnings: z.array(text(LIMITS.reasonChars)).check(z.maxLength(LIMITS.warnings)),
  /**
   * The thinking streamed is only the first part of the model's (an answer from the cache, which keeps no more): the
   * run's reasoning is then marked capped. Absent: all of it came (and in a state saved by an earlier version).
   */
  reasoningTruncated: z.optional(z.boolean()),
});
export type GenerationResultView = z.infer<typeof GenerationResultViewSchema>;

/** `s` cut to `max` UTF-16 units with an ellipsis (never between the halves of a surrogate pair). */
function clip(s: string, max: number): string {
  return s.length <= max ? s : `${s.slice(0, wholeCharacterCut(s, max - 1))}…`;
}

/**
 * A finished result cut to what the panel holds, field by field (a symbol or reason from a workspace file, a warning
 * quoting an error, an answer's many code blocks): shown shortened rather than not at all — the schema rejects the
 * whole result for one field over its limit. `clipped` names what was cut (for the log); a warning in the result says so.
 */
export function fitResultView(r: DeepReadonly<GenerationResultView>): { view: GenerationResultView; clipped: string[] } {
  const clipped: string[] = [];
  const fit = (value: string, max: number, where: string): string => {
    if (value.length <= max) return value;
    clipped.push(where);
    return clip(value, max);
  };
  const take = <T>(items: readonly T[], max: number, where: string): readonly T[] => {
    if (items.length <= max) return items;
    clipped.push(where);
    return items.slice(0, max);
  };
  // A code block over the limit is left out, never cut: Insert and Replace would put the cut code in a file.
  const codeBlocks = take(r.codeBlocks, LIMITS.codeBlocks, 'codeBlocks')
    .filter((b, i) => {
      if (b.code.length <= LIMITS.codeChars) return true;
      clipped.push(`codeBlocks.${i} (left out)`);
      return false;
    })
    .map((b, i) => ({ language: fit(b.language, LIMITS.shortChars, `codeBlocks.${i}.language`), code: b.code, complete: b.complete }));
  const context = take(r.context, LIMITS.contextItems, 'context').map((c, i) => {
    // (A URI too long is left out, never cut: a cut URI names another file.)
    const uri = c.uri !== undefined && c.uri.length <= LIMITS.uriChars ? c.uri : undefined;
    if (c.uri !== undefined && uri === undefined) clipped.push(`context.${i}.uri (left out)`);
    return {
      file: fit(c.file, LIMITS.pathChars, `context.${i}.file`),
      ...(uri !== undefined ? { uri } : {}),
      startLine: c.startLine,
      endLine: c.endLine,
      ...(c.editorLine !== undefined ? { editorLine: c.editorLine } : {}),
      symbol: fit(c.symbol, LIMITS.reasonChars, `context.${i}.symbol`),
      kind: fit(c.kind, LIMITS.shortChars, `context.${i}.kind`),
      score: c.score,
      reasons: take(c.reasons, LIMITS.reasonsPerItem, `context.${i}.reasons`).map((x, k) => fit(x, LIMITS.reasonChars, `context.${i}.reasons.${k}`)),
    };
  });
  const warnings = take(r.warnings, LIMITS.warnings, 'warnings').map((w, i) => fit(w, LIMITS.reasonChars, `warnings.${i}`));
  const explanation = fit(r.explanation, LIMITS.textChars, 'explanation');
  const provider = fit(r.provider, LIMITS.shortChars, 'provider');
  const model = fit(r.model, LIMITS.shortChars, 'model');
  // How many were sent, when the panel shows fewer (a result fitted before says it already).
  const sent = Math.max(r.contextSent ?? 0, r.context.length);
  // A duration is never negative (one measured across a step back of the wall clock is shown as 0, the result kept).
  const duration = (ms: number): number => (Number.isFinite(ms) && ms > 0 ? ms : 0);
  // (Said last, in the room of the last warning when they fill it: every field was fitted by now.)
  if (clipped.length > 0) warnings.splice(LIMITS.warnings - 1, Infinity, 'Parts of this result were too long for the panel and are shown shortened (the log names them).');
  const view: GenerationResultView = {
    codeBlocks,
    explanation,
    context,
    ...(sent > context.length ? { contextSent: sent } : {}),
    provider,
    model,
    cached: r.cached,
    timings: {
      contextMs: duration(r.timings.contextMs),
      queueMs: duration(r.timings.queueMs),
      firstTokenMs: r.timings.firstTokenMs === null ? null : duration(r.timings.firstTokenMs),
      totalMs: duration(r.timings.totalMs),
    },
    truncated: r.truncated,
    ...(r.cutOff !== undefined ? { cutOff: r.cutOff } : {}),
    warnings,
    ...(r.reasoningTruncated === true ? { reasoningTruncated: true } : {}),
  };
  return { view, clipped };
}

/** A failure with its next steps: `actions` are button titles the host knows how to run. */
export const ErrorViewSchema = z.object({
  message: text(LIMITS.messageChars),
  /** ErrorCode from src/core/errors.ts, or 'unexpected'. */
  code: text(LIMITS.shortChars),
  actions: z.array(text(LIMITS.shortChars)).check(z.maxLength(LIMITS.errorActions)),
});
export type ErrorView = z.infer<typeof ErrorViewSchema>;

export const RunStatusSchema = z.enum(['streaming', 'finished', 'failed', 'cancelled', 'interrupted']);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** One generation as the panel shows it. */
export const RunViewSchema = z.object({
  id: count,
  prompt: text(LIMITS.promptChars),
  provider: text(LIMITS.shortChars),
  model: text(LIMITS.shortChars),
  startedAt: timestamp,
  status: RunStatusSchema,
  /** Streamed text so far (capped at LIMITS.textChars; `textCapped` says so). */
  text: text(LIMITS.textChars),
  textCapped: z.boolean(),
  /**
   * A reasoning model's thinking streamed so far (capped at LIMITS.reasoningChars; `reasoningCapped` says so): shown
   * apart from the answer, and kept after the run ends — also when it failed for having only thought. Absent: none came
   * (and in a state saved by an earlier version).
   */
  reasoning: z.optional(text(LIMITS.reasoningChars)),
  reasoningCapped: z.optional(z.boolean()),
  result: z.nullable(GenerationResultViewSchema),
  error: z.nullable(ErrorViewSchema),
});
export type RunView = z.infer<typeof RunViewSchema>;

/** Everything the panel shows. The host keeps one (the truth); the webview mirrors it in getState/setState. */
export const ViewStateSchema = z.object({
  tab: TabSchema,
  run: z.nullable(RunViewSchema),
  /**
   * The other runs the panel keeps, newest first (at most LIMITS.earlierRuns): the runs on show before a newer one started
   * — still streaming, some of them: their tokens, results and failures land here — or before the user showed another
   * (showRun). Absent in a state saved by an earlier version.
   */
  earlier: z.optional(z.array(RunViewSchema).check(z.maxLength(LIMITS.earlierRuns))),
  /** The PerformanceMonitor's latest report (it carries its own chart series). */
  performance: z.nullable(performanceReportSchema),
});
export type ViewState = z.infer<typeof ViewStateSchema>;

// ---------------------------------------------------------------------------------------------------
// Host → webview

export const HostMessageSchema = z.discriminatedUnion('type', [
  /** The whole view state: sent after every `ready` (first load, reload, re-show of a hidden panel). */
  z.object({ type: z.literal('state'), state: ViewStateSchema }),
  z.object({
    type: z.literal('generationStarted'),
    runId: count,
    prompt: text(LIMITS.promptChars),
    provider: text(LIMITS.shortChars),
    model: text(LIMITS.shortChars),
    startedAt: timestamp,
  }),
  /** A streamed text delta of a streaming run (on show or earlier). */
  z.object({ type: z.literal('token'), runId: count, delta: text(LIMITS.textChars) }),
  /** A streamed piece of a reasoning model's thinking in the current run (never part of the answer's text). */
  z.object({ type: z.literal('reasoning'), runId: count, delta: text(LIMITS.reasoningChars) }),
  z.object({ type: z.literal('generationFinished'), runId: count, result: GenerationResultViewSchema }),
  /** code 'cancelled' marks the run cancelled (shown quietly: the message, "Cancelled" or why, in place of the status). */
  z.object({ type: z.literal('generationFailed'), runId: count, error: ErrorViewSchema }),
  z.object({ type: z.literal('performance'), report: performanceReportSchema }),
]);
export type HostMessage = z.infer<typeof HostMessageSchema>;

// ---------------------------------------------------------------------------------------------------
// Webview → host (untrusted)

/**
 * An edit with a code block of the run on show (Insert, Replace, Show Diff): the block by its run and index, never its
 * code — the host takes the code from its own state, and refuses a block it would not offer (codeForEdit).
 */
const codeAction = <T extends string>(type: T) => z.object({ type: z.literal(type), runId: count, block: z.int().check(z.minimum(0), z.maximum(LIMITS.codeBlocks - 1)) });

export const WebviewMessageSchema = z.discriminatedUnion('type', [
  /** The webview's script is running and listening: the host may post now. */
  z.object({ type: z.literal('ready') }),
  codeAction('insert'),
  codeAction('replaceSelection'),
  codeAction('showDiff'),
  z.object({ type: z.literal('copy'), code: text(LIMITS.codeChars) }),
  /**
   * Open a context item of the run on show at its first line: the item by its run and index, never a path or URI — the
   * host opens only a location it made itself (the run's item's `uri`).
   */
  z.object({ type: z.literal('openLocation'), runId: count, item: z.int().check(z.minimum(0), z.maximum(LIMITS.contextItems - 1)) }),
  z.object({ type: z.literal('cancel'), runId: count }),
  z.object({ type: z.literal('retry'), runId: count }),
  z.object({ type: z.literal('selectTab'), tab: TabSchema }),
  /** Show run `runId`, one of the earlier runs (ViewState.earlier), in place of the one on show. */
  z.object({ type: z.literal('showRun'), runId: count }),
  /** A next-step button of the shown error, by its title. */
  z.object({ type: z.literal('errorAction'), title: text(LIMITS.shortChars) }),
]);
export type WebviewMessage = z.infer<typeof WebviewMessageSchema>;

/** `T` with every nested property and array readonly: what the host accepts from core (which hands out readonly data). */
export type DeepReadonly<T> = T extends readonly (infer U)[]
  ? readonly DeepReadonly<U>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** For exhaustive switches: a compile error when a case is missing. */
export function assertNever(value: never): never {
  throw new Error(`unexpected value: ${JSON.stringify(value)}`);
}

/** A short, data-free description of why a message was rejected (paths and codes only), for logs. */
export function describeInvalid(error: { issues: readonly { path: readonly PropertyKey[]; code: string }[] }): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(root)'}: ${i.code}`)
    .join('; ');
}
