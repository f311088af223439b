// Webview entry (bundled to dist/webview.js). Restores the last state at once, then says `ready`; the
// host answers with the whole state and streams updates. Every incoming message is validated; renders
// and setState are batched so a fast token stream costs one render per frame-ish interval.
import DOMPurify from 'dompurify';
import { describeInvalid, HostMessageSchema, ViewStateSchema, type Tab, type ViewState, type WebviewMessage } from '../shared/protocol';
import { initialViewState, reduceViewState, selectTab, showRun } from '../shared/viewState';
import { ResultsApp } from './app';
import { createRenderer, createSanitizer } from './render';

/** Minimum pause between renders; grows with the cost of the last render so huge answers stay responsive. */
const MIN_RENDER_INTERVAL_MS = 50;

const vscode = acquireVsCodeApi();
const post = (message: WebviewMessage): void => vscode.postMessage(message);

const saved = ViewStateSchema.safeParse(vscode.getState());
let state: ViewState = saved.success ? saved.data : initialViewState();

const root = document.getElementById('app');
if (!root) throw new Error('results webview: #app is missing');
const app = new ResultsApp(
  root,
  createRenderer(createSanitizer(DOMPurify)),
  post,
  (tab: Tab) => {
    state = selectTab(state, tab);
    post({ type: 'selectTab', tab });
    flush();
  },
  (runId: number) => {
    state = showRun(state, runId);
    post({ type: 'showRun', runId });
    flush();
  },
);

let timer: ReturnType<typeof setTimeout> | undefined;
let renderInterval = MIN_RENDER_INTERVAL_MS;

function flush(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  const started = performance.now();
  app.render(state);
  vscode.setState(state);
  renderInterval = Math.max(MIN_RENDER_INTERVAL_MS, 2 * (performance.now() - started));
}

function scheduleFlush(): void {
  timer ??= setTimeout(flush, renderInterval);
}

window.addEventListener('message', (event: MessageEvent<unknown>) => {
  const parsed = HostMessageSchema.safeParse(event.data);
  if (!parsed.success) {
    console.warn(`[contexten] ignored an invalid message: ${describeInvalid(parsed.error)}`);
    return;
  }
  state = reduceViewState(state, parsed.data);
  // Tokens (of the answer and of the thinking) are batched; everything else shows at once.
  if (parsed.data.type === 'token' || parsed.data.type === 'reasoning') scheduleFlush();
  else flush();
});

flush();
post({ type: 'ready' });
