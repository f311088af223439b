// The one reducer both sides run: the host keeps its copy of the view state with it (so a reloaded or
// re-shown webview gets the whole picture in one `state` message), the webview applies the same
// messages to its mirror. Pure and immutable: unchanged parts keep their identity, so the webview
// re-renders only what changed.
import { assertNever, LIMITS, type CodeBlockView, type GenerationResultView, type HostMessage, type RunView, type Tab, type ViewState } from './protocol';

export function initialViewState(): ViewState {
  return { tab: 'result', run: null, performance: null };
}

export function reduceViewState(state: ViewState, msg: HostMessage): ViewState {
  switch (msg.type) {
    case 'state':
      return msg.state;
    case 'generationStarted':
      return {
        ...state,
        tab: 'result',
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
      return updateStreamingRun(state, msg.runId, (run) => ({ ...run, status: 'finished', result: msg.result }));
    case 'generationFailed':
      return updateStreamingRun(state, msg.runId, (run) => ({
        ...run,
        status: msg.error.code === 'cancelled' ? 'cancelled' : 'failed',
        error: msg.error.code === 'cancelled' ? null : msg.error,
      }));
    case 'performance':
      return { ...state, performance: msg.report };
    default:
      return assertNever(msg);
  }
}

export function selectTab(state: ViewState, tab: Tab): ViewState {
  return state.tab === tab ? state : { ...state, tab };
}

/** After a window reload nothing is streaming any more: a run left 'streaming' is marked interrupted. */
export function interruptStreaming(state: ViewState): ViewState {
  if (state.run?.status !== 'streaming') return state;
  return { ...state, run: { ...state.run, status: 'interrupted' } };
}

/**
 * A saved state taken up by a new extension host (a window reload): a run that was streaming has stopped, and a
 * failure's buttons are dropped — what they run (show the logs, sign in, open settings) was the old host's.
 */
export function restoredState(state: ViewState): ViewState {
  const interrupted = interruptStreaming(state);
  const run = interrupted.run;
  if (!run?.error || run.error.actions.length === 0) return interrupted;
  return { ...interrupted, run: { ...run, error: { ...run.error, actions: [] } } };
}

/** Messages for another run than the current streaming one (late tokens of a cancelled run) are ignored. */
function updateStreamingRun(state: ViewState, runId: number, update: (run: RunView) => RunView): ViewState {
  const run = state.run;
  if (!run || run.id !== runId || run.status !== 'streaming') return state;
  const next = update(run);
  return next === run ? state : { ...state, run: next };
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
 * run is no longer on show or has no result, there is no such block, or the block is not to be applied (isEditableBlock).
 */
export function codeForEdit(state: ViewState, request: { readonly runId: number; readonly block: number }): { code: string; language: string } | { refused: 'stale' | 'cutOff' } {
  const result = state.run?.id === request.runId ? state.run.result : null;
  const block = result?.codeBlocks[request.block];
  if (!result || !block) return { refused: 'stale' };
  if (!isEditableBlock(result, block)) return { refused: 'cutOff' };
  return { code: block.code, language: block.language };
}
