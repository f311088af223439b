// The results panel's host side: creates or reveals the webview panel, keeps the view state (the one
// reducer in src/shared/viewState.ts), sends it whole after every `ready` and streams updates after
// that, validates every message from the webview, restores the panel after a window reload (serializer)
// and turns the user's clicks into `onDidRequestAction` events for the glue that edits documents.
import * as vscode from 'vscode';
import * as z from 'zod/mini';
import { CancellationError, GenerationError, isContextenError } from '../../core/errors';
import type { Logger } from '../../core/ports';
import {
  assertNever,
  describeInvalid,
  FileUriSchema,
  GenerationResultViewSchema,
  fitResultView,
  LIMITS,
  RESULTS_VIEW_TYPE,
  ViewStateSchema,
  WebviewMessageSchema,
  type DeepReadonly,
  type ErrorView,
  type ViewState,
  type GenerationResultView,
  type HostMessage,
  type WebviewMessage,
} from '../../shared/protocol';
import { performanceReportSchema, type PerformanceReport } from '../../shared/performanceReport';
import { RunLedger } from '../../shared/runLedger';
import { allRuns, codeForEdit, initialViewState, mapRuns, reduceViewState, restoredState, runById, selectTab, showRun } from '../../shared/viewState';
import { describeError } from '../errorPresenter';
import { Disposable } from '../lifecycle';
import { buildResultsHtml, createNonce } from './resultsHtml';

/** What the user asked for in the panel. Edits, diffs, clipboard and navigation are the glue's job. */
export type ResultsAction =
  | Extract<WebviewMessage, { type: 'copy' }>
  /**
   * A context item of the run on show: `file` as shown, `uri` where it was when the result was made (the host's own, never
   * the webview's: undefined when it has none it can vouch for), `line` the editor's line (from 1) where it starts.
   */
  | { type: 'openLocation'; file: string; line: number; uri: string | undefined }
  /** `code` is the host's copy of the block the webview named (codeForEdit), never a cut-off answer's; `runId` its run. */
  | { type: 'insert' | 'replaceSelection' | 'showDiff'; code: string; language: string; runId: number }
  | { type: 'cancel'; runId: number }
  /** `prompt` is the host's copy of the run's prompt, not the webview's. */
  | { type: 'retry'; runId: number; prompt: string };

export interface GenerationStart {
  prompt: string;
  provider?: string;
  model?: string;
}

export interface ResultsPanelOptions {
  /** Polled while the panel is visible (e.g. `() => monitor.getPerformanceReport()`). */
  performanceSource?: () => DeepReadonly<PerformanceReport>;
  /** Poll interval for `performanceSource`; default 2000 ms. */
  performanceIntervalMs?: number;
  /**
   * Where the context items' locations of the runs the panel keeps are kept across a window reload (the workspace
   * state): a panel restored from the webview's saved state opens only the locations kept here for its runs.
   */
  locationStore?: vscode.Memento;
}

/** locationStore's key: each finished run's id and its context items' URIs, by item, for the runs the panel keeps. */
const LOCATIONS_KEY = 'contexten.results.locations';

const KeptRunLocationsSchema = z.object({ runId: z.int().check(z.minimum(0)), uris: z.array(z.nullable(FileUriSchema)).check(z.maxLength(LIMITS.contextItems)) });
type KeptRunLocations = z.infer<typeof KeptRunLocationsSchema>;
/** The runs' locations; or one run's, as earlier versions kept them (the run on show's alone). */
const KeptLocationsSchema = z.union([z.object({ runs: z.array(KeptRunLocationsSchema).check(z.maxLength(LIMITS.earlierRuns + 1)) }), KeptRunLocationsSchema]);

const TITLE = 'Contexten Results';

/**
 * Retry of a run from before a window reload: its request (the selected code, the lines a fix replaces) went with the
 * old window, and sending the panel's prompt alone would be another request.
 */
const RETRY_RESTORED = 'Contexten: this run was made before the window reloaded, and its request (with the selected code or the lines to fix) is gone. Run the command again.';

export class ResultsPanel extends Disposable {
  private webview: ResultsWebview | undefined;
  private state = initialViewState();
  /** Run ids unique across window reloads, and the full prompt of the run on show (for Retry). */
  private readonly runs = new RunLedger(Date.now());
  /** Next steps of each kept run's error (closures from describeError; the webview only knows their titles), by run id. */
  private readonly errorActions = new Map<number, readonly { title: string; run: () => unknown }[]>();
  private lastInvalidReport = '';
  private readonly actionEmitter = this.register(new vscode.EventEmitter<ResultsAction>());
  readonly onDidRequestAction = this.actionEmitter.event;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: Logger,
    private readonly options: ResultsPanelOptions = {},
  ) {
    super();
    this.register(
      vscode.window.registerWebviewPanelSerializer(RESULTS_VIEW_TYPE, {
        deserializeWebviewPanel: (panel, saved: unknown) => {
          this.restore(panel, saved);
          return Promise.resolve();
        },
      }),
    );
  }

  /** Id of the run on show, if any. */
  get currentRunId(): number | undefined {
    return this.state.run?.id;
  }

  /** Creates the panel, or reveals it where it is. */
  show(preserveFocus = false): void {
    if (this.webview) {
      this.webview.panel.reveal(undefined, preserveFocus);
      return;
    }
    const panel = vscode.window.createWebviewPanel(
      RESULTS_VIEW_TYPE,
      TITLE,
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      { ...webviewOptions(this.extensionUri), enableFindWidget: true },
    );
    this.attach(panel);
  }

  /**
   * Starts a new run, shown, and reveals the panel. Returns its id. The run on show joins the earlier runs: one still
   * streaming goes on streaming there (generations run side by side), its answer in its own entry.
   */
  showGeneration(start: GenerationStart): number {
    const runId = this.runs.start(start.prompt);
    this.show(true);
    this.apply({
      type: 'generationStarted',
      runId,
      // (Cut for display; Retry sends the full prompt, from `runs`.)
      prompt: start.prompt.slice(0, LIMITS.promptChars),
      provider: (start.provider ?? '').slice(0, LIMITS.shortChars),
      model: (start.model ?? '').slice(0, LIMITS.shortChars),
      startedAt: Date.now(),
    });
    return runId;
  }

  /** Appends streamed text to run `runId`, on show or earlier. Ignored once the run has ended (or is no longer kept). */
  appendToken(runId: number, delta: string): void {
    const run = runById(this.state, runId);
    if (!run || run.status !== 'streaming') return;
    const before = run.text;
    const next = reduceViewState(this.state, { type: 'token', runId, delta });
    if (next === this.state) return;
    this.state = next;
    // Send what the reducer kept (it caps the text), so the webview's copy stays identical.
    this.webview?.post({ type: 'token', runId, delta: (runById(next, runId)?.text ?? '').slice(before.length) });
  }

  /** Appends a reasoning model's streamed thinking to run `runId` (shown apart from the answer). Ignored once the run has ended (or is no longer kept). */
  appendReasoning(runId: number, delta: string): void {
    const run = runById(this.state, runId);
    if (!run || run.status !== 'streaming') return;
    const before = run.reasoning ?? '';
    const next = reduceViewState(this.state, { type: 'reasoning', runId, delta });
    if (next === this.state) return;
    this.state = next;
    // (What the reducer kept, as for the answer's text.)
    this.webview?.post({ type: 'reasoning', runId, delta: (runById(next, runId)?.reasoning ?? '').slice(before.length) });
  }

  /** Shows run `runId`'s finished result (core's GenerationResult can be passed as it is; extra fields are dropped). */
  finish(runId: number, result: DeepReadonly<GenerationResultView>): void {
    // Fields over the panel's limits are shortened, not the result refused for them (fitResultView).
    let fitted: GenerationResultView | DeepReadonly<GenerationResultView> = result;
    try {
      const { view, clipped } = fitResultView(result);
      if (clipped.length > 0) this.log.warn(`results panel: shortened to fit the panel: ${clipped.slice(0, 10).join(', ')}${clipped.length > 10 ? ` and ${clipped.length - 10} more` : ''}`);
      fitted = view;
    } catch {
      // (Not a result's shape at all: the schema below says what is wrong.)
    }
    const parsed = GenerationResultViewSchema.safeParse(fitted);
    if (!parsed.success) {
      this.log.warn(`results panel: cannot show the result (${describeInvalid(parsed.error)})`);
      this.fail(runId, new GenerationError('The result could not be shown in the panel.'));
      return;
    }
    this.apply({ type: 'generationFinished', runId, result: parsed.data });
    // (An earlier run's too — one that ends while a newer one is on show, generations running side by side: a click on
    // its context after a reload opens where its files were, as for the run on show.)
    this.keepLocations(runId, parsed.data);
  }

  /** Shows run `runId`'s failure with its next steps (the same ones as the notification would offer). Cancellation shows quietly. */
  fail(runId: number, error: unknown): void {
    let view: ErrorView;
    if (CancellationError.is(error)) {
      view = { message: 'Cancelled', code: 'cancelled', actions: [] };
    } else {
      const presentation = describeError(error);
      const actions = presentation.actions.slice(0, LIMITS.errorActions);
      this.errorActions.set(runId, actions);
      view = {
        message: presentation.message.replace(/^Contexten: /, '').slice(0, LIMITS.messageChars),
        code: isContextenError(error) ? error.code : 'unexpected',
        actions: actions.map((a) => a.title.slice(0, LIMITS.shortChars)),
      };
    }
    this.apply({ type: 'generationFailed', runId, error: view });
  }

  /**
   * Run `runId` was cancelled for a newer request for the same target (the same light bulb clicked again): shown as
   * cancelled, saying so.
   */
  replaced(runId: number): void {
    this.apply({ type: 'generationFailed', runId, error: { message: 'Replaced by a newer request', code: 'cancelled', actions: [] } });
  }

  /** Shows a performance report. Invalid reports are logged once and dropped. */
  updatePerformance(report: DeepReadonly<PerformanceReport>): void {
    const parsed = performanceReportSchema.safeParse(report);
    if (!parsed.success) {
      const why = describeInvalid(parsed.error);
      if (why !== this.lastInvalidReport) this.log.warn(`results panel: dropped an invalid performance report (${why})`);
      this.lastInvalidReport = why;
      return;
    }
    this.apply({ type: 'performance', report: parsed.data });
  }

  override dispose(): void {
    this.webview?.panel.dispose();
    super.dispose();
  }

  /**
   * Keeps the locations of run `runId` for a panel restored after a window reload (restore), with those kept of the
   * other runs the panel still keeps (a run no longer kept, its locations go with it).
   */
  private keepLocations(runId: number, result: GenerationResultView): void {
    const store = this.options.locationStore;
    if (!store) return;
    const kept = new Set(allRuns(this.state).map((r) => r.id));
    if (!kept.has(runId)) return;
    const others = this.keptLocations().filter((r) => r.runId !== runId && kept.has(r.runId));
    const runs: KeptRunLocations[] = [...others, { runId, uris: result.context.map((c) => c.uri ?? null) }];
    void Promise.resolve(store.update(LOCATIONS_KEY, { runs })).catch((err: unknown) => this.log.warn(`results panel: could not keep the context locations: ${err instanceof Error ? err.message : String(err)}`));
  }

  /** The runs' locations kept in the store (locationStore); none when it holds none, or not in a shape it was kept in. */
  private keptLocations(): readonly KeptRunLocations[] {
    const kept = KeptLocationsSchema.safeParse(this.options.locationStore?.get<unknown>(LOCATIONS_KEY));
    if (!kept.success) return [];
    return 'runs' in kept.data ? kept.data.runs : [kept.data];
  }

  /**
   * A state restored from the webview (which could have saved anything) with the locations the extension kept for its
   * runs: any other URI is dropped (a run's whose were not kept all), so a click opens only a location the extension made.
   */
  private withKeptLocations(state: ViewState): ViewState {
    const kept = this.keptLocations();
    return mapRuns(state, (run) => {
      const context = run.result?.context;
      if (!run.result || !context) return run;
      const uris = kept.find((r) => r.runId === run.id && r.uris.length === context.length)?.uris ?? [];
      const items = context.map((item, i) => {
        const { uri: _saved, ...rest } = item;
        const uri = uris[i];
        return typeof uri === 'string' ? { ...rest, uri } : rest;
      });
      return { ...run, result: { ...run.result, context: items } };
    });
  }

  private apply(message: HostMessage): void {
    this.state = reduceViewState(this.state, message);
    // (The error actions of runs no longer kept go with them.)
    if (message.type === 'generationStarted') {
      const kept = new Set(allRuns(this.state).map((r) => r.id));
      for (const id of this.errorActions.keys()) if (!kept.has(id)) this.errorActions.delete(id);
    }
    this.webview?.post(message);
  }

  private attach(panel: vscode.WebviewPanel): void {
    const webview = new ResultsWebview(panel, this.extensionUri, this.options.performanceIntervalMs ?? 2000, {
      onMessage: (raw) => this.onMessage(raw, webview),
      onTick: () => this.pollPerformance(),
      onDispose: () => {
        if (this.webview === webview) this.webview = undefined;
      },
    });
    this.webview = webview;
  }

  private restore(panel: vscode.WebviewPanel, saved: unknown): void {
    if (this.webview) {
      // One results panel at a time.
      panel.dispose();
      return;
    }
    const parsed = ViewStateSchema.safeParse(saved);
    if (parsed.success) {
      // The extension host restarted: whatever was streaming has stopped.
      if (!this.state.run) {
        this.state = this.withKeptLocations(restoredState(parsed.data));
        for (const run of allRuns(this.state)) {
          if (!this.runs.restored(run.id)) this.log.warn(`results panel: the saved state's run id ${run.id} is too large to pass over; new runs keep their own ids`);
        }
      }
    } else if (saved !== undefined && saved !== null) {
      this.log.warn(`results panel: ignored an invalid saved state (${describeInvalid(parsed.error)})`);
    }
    this.attach(panel);
  }

  private pollPerformance(): void {
    const source = this.options.performanceSource;
    if (!source) return;
    try {
      this.updatePerformance(source());
    } catch (err) {
      this.log.warn(`results panel: performance report failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  private onMessage(raw: unknown, webview: ResultsWebview): void {
    const parsed = WebviewMessageSchema.safeParse(raw);
    if (!parsed.success) {
      this.log.warn(`results panel: dropped an invalid message from the webview (${describeInvalid(parsed.error)})`);
      return;
    }
    const message = parsed.data;
    const run = this.state.run;
    switch (message.type) {
      case 'ready':
        webview.markReady({ type: 'state', state: this.state });
        this.pollPerformance();
        return;
      case 'selectTab':
        this.state = selectTab(this.state, message.tab);
        return;
      case 'showRun': {
        this.state = showRun(this.state, message.runId);
        // The whole state back: the webview showed the run at once, and a run started meanwhile (its generationStarted
        // crossing this message) would leave the two sides showing different runs.
        webview.post({ type: 'state', state: this.state });
        return;
      }
      case 'insert':
      case 'replaceSelection':
      case 'showDiff': {
        // The webview offers no edit for a cut-off answer's code; one asked for anyway is refused here.
        const edit = codeForEdit(this.state, message);
        if ('code' in edit) this.actionEmitter.fire({ type: message.type, code: edit.code, language: edit.language, runId: message.runId });
        else if (edit.refused === 'stale') {
          // (A click on an answer replaced meanwhile — a page behind the host's state: a new run began as the user clicked.)
          this.log.debug(`results panel: ignored ${message.type} of block ${message.block} of run ${message.runId}: not on show`);
          void vscode.window.showInformationMessage('Contexten: that answer was replaced by a newer one, so its code was not used. Use the code of the answer on show, or run the prompt again.');
        }
        else {
          this.log.warn(`results panel: refused ${message.type} of block ${message.block} of run ${message.runId}: the answer was cut off`);
          void vscode.window.showWarningMessage('Contexten: the answer was cut off, so its code may be incomplete and is not put into the file. Copy it from the results panel if you want it.');
        }
        return;
      }
      case 'copy':
        this.actionEmitter.fire(message);
        return;
      case 'openLocation': {
        // (An item of a run the panel keeps, as the host has it: a stale click, of a run dropped since, opens nothing.)
        const item = runById(this.state, message.runId)?.result?.context[message.item];
        if (!item) {
          this.log.debug(`results panel: ignored openLocation of item ${message.item} of run ${message.runId}: not on show`);
          return;
        }
        // (At the editor's line, which in a file with lone CRs is past the engine's: ContextItem.editorLine.)
        this.actionEmitter.fire({ type: 'openLocation', file: item.file, line: item.editorLine ?? item.startLine, uri: item.uri });
        return;
      }
      case 'cancel': {
        // (That run only: others running side by side go on.)
        const cancelled = runById(this.state, message.runId);
        if (cancelled?.status === 'streaming') this.actionEmitter.fire({ type: 'cancel', runId: cancelled.id });
        return;
      }
      case 'retry': {
        const retry = this.runs.retry(this.state, message.runId);
        if (retry && 'restored' in retry) void vscode.window.showInformationMessage(RETRY_RESTORED);
        else if (retry) this.actionEmitter.fire({ type: 'retry', ...retry });
        return;
      }
      case 'errorAction': {
        // (The error on show: its buttons are the only ones the webview shows.)
        const action = run ? this.errorActions.get(run.id)?.find((a) => a.title === message.title) : undefined;
        if (!action) {
          this.log.debug(`results panel: no current error action "${message.title}"`);
          return;
        }
        Promise.resolve(action.run()).catch((err: unknown) => this.log.error(err instanceof Error ? err : String(err)));
        return;
      }
      default:
        assertNever(message);
    }
  }
}

function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions {
  return {
    enableScripts: true,
    enableCommandUris: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'dist'), vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/**
 * One live webview panel: its HTML, the `ready` handshake and its listeners. Until the page says
 * `ready` nothing is posted (the owner sends the whole state then); a hidden panel's page is
 * discarded (no retainContextWhenHidden), so it is not ready again until it reloads and says so.
 */
class ResultsWebview extends Disposable {
  private ready = false;
  private timer: ReturnType<typeof setInterval> | undefined;

  constructor(
    readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly tickMs: number,
    handlers: { onMessage: (raw: unknown) => void; onTick: () => void; onDispose: () => void },
  ) {
    super();
    const webview = panel.webview;
    webview.options = webviewOptions(extensionUri);
    this.register(webview.onDidReceiveMessage((raw: unknown) => handlers.onMessage(raw)));
    this.register(
      panel.onDidChangeViewState(() => {
        if (!panel.visible) this.ready = false;
        this.updateTimer(handlers.onTick);
      }),
    );
    this.register(
      panel.onDidDispose(() => {
        this.dispose();
        handlers.onDispose();
      }),
    );
    this.register({ dispose: () => this.stopTimer() });
    webview.html = buildResultsHtml({
      nonce: createNonce(),
      cspSource: webview.cspSource,
      scriptUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview.js')).toString(),
      styleUri: webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'results.css')).toString(),
    });
    this.updateTimer(handlers.onTick);
  }

  /** The page is listening: send it `first` (the whole state), then stream. */
  markReady(first: HostMessage): void {
    this.ready = true;
    this.post(first);
  }

  post(message: HostMessage): void {
    if (!this.ready) return;
    void this.panel.webview.postMessage(message).then(
      (delivered) => {
        if (!delivered) this.ready = false;
      },
      () => (this.ready = false),
    );
  }

  /** Polls the performance source while the panel is visible. */
  private updateTimer(onTick: () => void): void {
    if (this.panel.visible && this.timer === undefined) this.timer = setInterval(onTick, this.tickMs);
    else if (!this.panel.visible) this.stopTimer();
  }

  private stopTimer(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.timer = undefined;
  }
}

