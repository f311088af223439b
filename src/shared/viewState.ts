// The one reducer both sides run: the host keeps its copy of the view state with it (so a reloaded or
// re-shown webview gets the whole picture in one `state` message), the webview applies the same
// messages to its mirror. Pure and immutable: unchanged parts keep their identity, so the webview
// re-renders only what changed.
import { assertNever, LIMITS, type CodeBlockView, type GenerationResultView, type HostMessage, type RunView, type Tab, type ViewState } from './protocol';

export function initialViewState(): ViewState {
  return { tab: 'result', run: null, earlier: [], performance: null };
}

export function reduceViewState(state: ViewState, msg: HostMessage): ViewState {
  switch (msg.type) {
    case 'state':
      return msg.state;
    case 'generationStarted':
      // The newest run is shown; the one on show is kept among the earlier runs (it may still be streaming: generations
      // run side by side, and its answer lands in its own entry).
      return {
        ...state,
        tab: 'result',
        earlier: keptEarlier(state.run, state.earlier),
        run: {
          id: msg.runId,
          prompt: msg.prompt,
          provider: msg.provider,
          model: msg.model,
          startedAt: msg.startedAt,
          status: 'streaming',
          text: '',
          textCapped: false,
          result: null,
          error: null,
        },
      };
    case 'token':
      return updateStreamingRun(state, msg.runId, (run) => appendText(run, msg.delta));
    case 'reasoning':
      return updateStreamingRun(state, msg.runId, (run) => appendReasoning(run, msg.delta));
    case 'generationFinished':
      // (Thinking that came whole from the cache but only in part — the cache keeps its first part — is capped as well.)
      return updateStreamingRun(state, msg.runId, (run) => ({ ...run, status: 'finished', result: msg.result, ...(msg.result.reasoningTruncated === true ? { reasoningCapped: true } : {}) }));
    case 'generationFailed':
      // (A cancellation keeps its message too — "Cancelled", "Replaced by a newer request" —, shown as a note, not an error.)
      return updateStreamingRun(state, msg.runId, (run) => ({ ...run, status: msg.error.code === 'cancelled' ? 'cancelled' : 'failed', error: msg.error }));
    case 'performance':
      return { ...state, performance: msg.report };
    default:
      return assertNever(msg);
  }
}

export function selectTab(state: ViewState, tab: Tab): ViewState {
  return state.tab === tab ? state : { ...state, tab };
}

/**
 * Shows run `runId`, one of the earlier runs, in place of the one on show (which joins the earlier runs). Unchanged when
 * there is no such run (on show already, or dropped since).
 */
export function showRun(state: ViewState, runId: number): ViewState {
  const earlier = state.earlier ?? [];
  const shown = earlier.find((r) => r.id === runId);
  if (!shown) return state;
  return { ...state, run: shown, earlier: keptEarlier(state.run, earlier.filter((r) => r !== shown)) };
}

/** Every run the state holds: the one on show, then the earlier ones. */
export function allRuns(state: ViewState): RunView[] {
  return [...(state.run ? [state.run] : []), ...(state.earlier ?? [])];
}

/** The earlier runs with `run` (the one leaving the show) among them: newest first, the oldest past the limit dropped. */
function keptEarlier(run: RunView | null, earlier: readonly RunView[] | undefined): RunView[] {
  const runs = run ? [run, ...(earlier ?? [])] : [...(earlier ?? [])];
  return runs.sort((a, b) => b.id - a.id).slice(0, LIMITS.earlierRuns);
}

/** After a window reload nothing is streaming any more: a run left 'streaming' (on show or earlier) is marked interrupted. */
export function interruptStreaming(state: ViewState): ViewState {
  return mapRuns(state, (run) => (run.status === 'streaming' ? { ...run, status: 'interrupted' } : run));
}

/**
 * A saved state taken up by a new extension host (a window reload): a run that was streaming has stopped, and a
 * failure's buttons are dropped — what they run (show the logs, sign in, open settings) was the old host's.
 */
export function restoredState(state: ViewState): ViewState {
  return mapRuns(interruptStreaming(state), (run) => (!run.error || run.error.actions.length === 0 ? run : { ...run, error: { ...run.error, actions: [] } }));
}

/** `update` applied to every run (on show and earlier); unchanged runs, and the state when none changed, keep their identity. */
export function mapRuns(state: ViewState, update: (run: RunView) => RunView): ViewState {
  const run = state.run ? update(state.run) : null;
  const earlier = state.earlier?.map(update);
  const earlierChanged = earlier !== undefined && earlier.some((r, i) => r !== state.earlier?.[i]);
  if (run === state.run && !earlierChanged) return state;
  return { ...state, run, ...(earlierChanged ? { earlier } : {}) };
}

/**
 * Messages for a run that is not streaming (late tokens of a cancelled run) or not kept are ignored. A run streaming
 * among the earlier ones gets its own: generations run side by side, and an older one's answer never lands in the newest.
 */
function updateStreamingRun(state: ViewState, runId: number, update: (run: RunView) => RunView): ViewState {
  return mapRuns(state, (run) => (run.id === runId && run.status === 'streaming' ? update(run) : run));
}

function appendText(run: RunView, delta: string): RunView {
  if (run.textCapped || delta.length === 0) return run;
  const room = LIMITS.textChars - run.text.length;
  if (delta.length <= room) return { ...run, text: run.text + delta };
  return { ...run, text: run.text + delta.slice(0, room), textCapped: true };
}

/** Adds thinking to the run's reasoning, apart from its text, up to LIMITS.reasoningChars. */
function appendReasoning(run: RunView, delta: string): RunView {
  if (run.reasoningCapped === true || delta.length === 0) return run;
  const reasoning = run.reasoning ?? '';
  const room = LIMITS.reasoningChars - reasoning.length;
  if (delta.length <= room) return { ...run, reasoning: reasoning + delta };
  return { ...run, reasoning: reasoning + delta.slice(0, room), reasoningCapped: true };
}

/**
 * Whether a code block may go into a file (Insert at Cursor, Replace Selection, Show Diff): not when the answer was cut
 * off (token limit, content filter, aborted) — its code may stop part way, and applied it would leave a broken file —
 * nor a block the answer ended inside. Such code can still be copied.
 */
export function isEditableBlock(result: Pick<GenerationResultView, 'truncated'>, block: Pick<CodeBlockView, 'complete'>): boolean {
  return !result.truncated && block.complete;
}

/**
 * The code an edit request from the webview names (the host's copy, by run and block index), or why it is refused: the
 * run is no longer kept (on show or earlier) or has no result, there is no such block, or the block is not to be applied (isEditableBlock).
 */
export function codeForEdit(state: ViewState, request: { readonly runId: number; readonly block: number }): { code: string; language: string } | { refused: 'stale' | 'cutOff' } {
  // (Any run the panel keeps: the webview may show an earlier one while the host has a newer one on show — a showRun
  // and a new run crossing —; the click names its run, and that run's own code is what the user clicked.)
  const result = runById(state, request.runId)?.result ?? null;
  const block = result?.codeBlocks[request.block];
  if (!result || !block) return { refused: 'stale' };
  if (!isEditableBlock(result, block)) return { refused: 'cutOff' };
  return { code: block.code, language: block.language };
}

/** The run with id `runId` the state keeps, on show or earlier. */
export function runById(state: ViewState, runId: number): RunView | undefined {
  return allRuns(state).find((r) => r.id === runId);
}
