import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode, type FakeWebviewPanel, type ShownDocument, type ShownMessage, Uri } from '../fakes/fakeVscode';
import type * as vscode from 'vscode';
import type { OpenAiKeyStore } from '../../../src/core/auth/openAiKeyStore';
import { FolderPaths } from '../../../src/core/context/folderPaths';
import type { GenerateCall } from '../../../src/core/generation/generationPipeline';
import type { GenerationServices } from '../../../src/core/generation/generationServices';
import type { GenerationResult } from '../../../src/core/generation/model';
import { LIMITS, RESULTS_VIEW_TYPE, type HostMessage, type ViewState } from '../../../src/shared/protocol';
import type { ConfigService } from '../../../src/vscode/config';
import type { ContextService } from '../../../src/vscode/contextService';
import { GenerationController } from '../../../src/vscode/generation';
import type { TaskController } from '../../../src/vscode/tasks';
import { ResultsPanel } from '../../../src/vscode/views/resultsPanel';
import { RecordingLogger } from '../fakes/recordingLogger';

/** A workspace state in memory (what VS Code keeps across a window reload). */
function memento(): vscode.Memento {
  const values = new Map<string, unknown>();
  return {
    keys: () => [...values.keys()],
    get: <T>(key: string, fallback?: T): T | undefined => (values.has(key) ? (values.get(key) as T) : fallback),
    update: (key: string, value: unknown) => {
      values.set(key, value);
      return Promise.resolve();
    },
  } as vscode.Memento;
}

describe('results panel: context locations (on a fake editor and webview)', () => {
  let dir: string;
  let folders: { name: string; path: string }[];
  let store: vscode.Memento;
  let log: RecordingLogger;
  let panel: ResultsPanel;
  let controller: GenerationController;
  const disposables: { dispose(): void }[] = [];
  let streamed: Promise<void>;
  let rankedNow: () => void;
  let items: GenerationResult['context'];
  /** A reasoning model's thinking, streamed once the answer may end (onReasoning). */
  let thinking: string[];
  /** Fields the pipeline's result has besides the usual ones (an answer from the cache). */
  let resultOver: Partial<GenerationResult>;

  beforeEach(() => {
    // A one-folder workspace, app, with lib/util.ts; besides it a folder lib with a util.ts of its own.
    dir = mkdtempSync(path.join(os.tmpdir(), 'contexten-locations-'));
    for (const file of ['app/lib/util.ts', 'lib/util.ts']) {
      mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      writeFileSync(path.join(dir, file), `// ${file}\n`.repeat(20));
    }
    fakeVscode.openWorkspace(path.join(dir, 'app'));
    folders = [{ name: 'app', path: path.join(dir, 'app') }];
    store = memento();
    log = new RecordingLogger();
    streamed = Promise.resolve();
    rankedNow = () => undefined;
    thinking = [];
    resultOver = {};
    items = [{ file: 'lib/util.ts', startLine: 7, endLine: 12, symbol: 'util', kind: 'function', detail: 'full', score: 0.9, reasons: [], text: '' }];
    // The index's paths for the folders open now (ContextService.uriFor: FolderPaths of the current folders).
    const context = {
      uriFor: (rel: string) => {
        const abs = new FolderPaths(folders).absolute(rel);
        return abs === undefined ? undefined : Uri.file(abs);
      },
      editorHints: () => ({ openFiles: [], recentFiles: [] }),
    } as unknown as ContextService;
    const result: GenerationResult = {
      prompt: 'where is util?',
      text: 'See util.',
      codeBlocks: [],
      explanation: 'See util.',
      context: [],
      provider: 'openai',
      model: 'm',
      cached: false,
      truncated: false,
      warnings: [],
      timings: { contextMs: 1, queueMs: 0, firstTokenMs: 2, totalMs: 3 },
    };
    // The context is ranked as the request starts — each item with its file's URI in the folders open then, as
    // ContextService gives it (ContextItem.uri) — and the answer ends when `streamed` says (at once, unless a test holds it).
    const services = {
      pipeline: {
        generateWithContext: async (_prompt: string, call: GenerateCall) => {
          const ranked = new FolderPaths(folders);
          const context = items.map((item) => ({ ...item, uri: Uri.file(ranked.absolute(item.file) ?? '/nowhere').toString() }));
          rankedNow();
          await streamed;
          for (const t of thinking) call.onReasoning?.(t);
          return { ...result, ...resultOver, context };
        },
      },
    } as unknown as GenerationServices;
    const config = { snapshot: { 'generation.provider': 'openai', 'openai.model': 'm' } } as unknown as ConfigService;
    panel = new ResultsPanel(Uri.file(dir) as unknown as vscode.Uri, log, { locationStore: store });
    controller = new GenerationController(services, panel, context, config, {} as vscode.Memento, {} as OpenAiKeyStore, log, {} as TaskController);
    disposables.push(controller, panel);
  });
  afterEach(() => {
    for (const d of disposables.splice(0)) d.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Generates, and shows the results panel's page: the panel and the run's id. */
  async function generated(): Promise<{ page: FakeWebviewPanel; runId: number }> {
    await controller.generate('where is util?');
    const page = fakeVscode.webviewPanels.at(-1);
    assert.ok(page);
    page.receive({ type: 'ready' });
    const runId = panel.currentRunId;
    assert.ok(runId !== undefined);
    return { page, runId };
  }

  /** The page's click on a context item, and what the user sees then. */
  function click(page: FakeWebviewPanel, message: unknown): Promise<ShownMessage | ShownDocument> {
    const shown = fakeVscode.nextShown();
    page.receive(message);
    return shown;
  }

  /** The view state the page saves (setState: the whole state it was sent). */
  function savedState(page: FakeWebviewPanel): ViewState {
    const sent = page.posted.filter((m): m is Extract<HostMessage, { type: 'state' }> => (m as HostMessage).type === 'state').at(-1);
    assert.ok(sent);
    return JSON.parse(JSON.stringify(sent.state)) as ViewState;
  }

  it("streams a reasoning model's thinking to the page apart from the answer, and keeps it with the run", async () => {
    thinking = ['Let me think', ' about util.'];
    let answered: () => void = () => undefined;
    streamed = new Promise((resolve) => (answered = resolve));
    const ranked = new Promise<void>((resolve) => (rankedNow = resolve));
    const generating = controller.generate('where is util?');
    await ranked;
    const page = fakeVscode.webviewPanels.at(-1);
    assert.ok(page);
    page.receive({ type: 'ready' });
    answered();
    await generating;
    const runId = panel.currentRunId;
    assert.deepEqual(
      page.posted.filter((m) => (m as HostMessage).type === 'reasoning'),
      thinking.map((delta) => ({ type: 'reasoning', runId, delta })),
    );
    // (A page shown again gets the whole state: the host kept the thinking too.)
    page.receive({ type: 'ready' });
    const run = savedState(page).run;
    assert.equal(run?.reasoning, 'Let me think about util.');
    assert.equal(run?.text, '', 'not the answer\'s text');
    assert.equal(run?.result?.explanation, 'See util.');
  });

  it('says the thinking of an answer from the cache is only its first part when the cache kept no more', async () => {
    // (The pipeline streams the cached thinking in one piece, and its result says it was cut.)
    const kept = 'The first part of a long thought';
    thinking = [kept];
    resultOver = { cached: true, reasoning: kept, reasoningTruncated: true };
    const { page } = await generated();
    const run = savedState(page).run;
    assert.equal(run?.reasoning, kept);
    assert.equal(run?.reasoningCapped, true, "the Thinking box's label says only its first part is kept");
    assert.equal(run?.result?.cached, true);
  });

  it('opens the file the result was made with after a folder is added to the workspace (multi-root now)', async () => {
    const { page, runId } = await generated();
    // (lib/util.ts of the one-folder workspace is app/lib/util.ts; in the multi-root one it names lib's util.ts.)
    folders = [...folders, { name: 'lib', path: path.join(dir, 'lib') }];
    const opened = await click(page, { type: 'openLocation', runId, item: 0 });
    assert.deepEqual(opened, { uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 6 });
  });

  it('opens the file the context was ranked from when a folder is added while the answer streams', async () => {
    let answered: () => void = () => undefined;
    streamed = new Promise((resolve) => (answered = resolve));
    const ranked = new Promise<void>((resolve) => (rankedNow = resolve));
    const generating = generated();
    await ranked;
    // (Added before the answer ends: lib/util.ts names lib's util.ts from now on.)
    folders = [...folders, { name: 'lib', path: path.join(dir, 'lib') }];
    answered();
    const { page, runId } = await generating;
    const opened = await click(page, { type: 'openLocation', runId, item: 0 });
    assert.deepEqual(opened, { uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 6 });
  });

  it("opens an item at the editor's line counted in the text it was cut from, also while the file is open (found in review)", async () => {
    // On disk, two lone CRs (line ends of the editor's, none of the engine's) before util's engine line 7: the packer
    // gives the editor's line, 9. Opened, the editor makes them line ends (the document's text has no lone CR), and
    // the item still opens at 9 (8 from 0), not where the open text's lines would put the engine's 7.
    const disk = `// one\r// two\r\r\n${'// line\n'.repeat(5)}function util() {}\n`;
    writeFileSync(path.join(dir, 'app/lib/util.ts'), disk);
    items = [{ file: 'lib/util.ts', startLine: 7, endLine: 7, editorLine: 9, symbol: 'util', kind: 'function', detail: 'full', score: 0.9, reasons: [], text: '' }];
    const { page, runId } = await generated();
    const at = { uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 8 };
    assert.deepEqual(await click(page, { type: 'openLocation', runId, item: 0 }), at);
    fakeVscode.openDocument(path.join(dir, 'app/lib/util.ts'), disk.replace(/\r(?!\n)/g, '\n'));
    assert.deepEqual(await click(page, { type: 'openLocation', runId, item: 0 }), at);
  });

  it("opens an item cut from the open document's text at its line after the file is closed (its lone CRs on disk counted in that text already)", async () => {
    // Ranked while open: the document's text, lone CRs made line ends, has util at line 9 of both counts (no editor
    // line given). Closed, the file on disk still has its lone CRs; opened again, the editor makes them line ends again.
    writeFileSync(path.join(dir, 'app/lib/util.ts'), `// one\r// two\r\r\n${'// line\n'.repeat(5)}function util() {}\n`);
    items = [{ file: 'lib/util.ts', startLine: 9, endLine: 9, symbol: 'util', kind: 'function', detail: 'full', score: 0.9, reasons: [], text: '' }];
    const { page, runId } = await generated();
    assert.deepEqual(await click(page, { type: 'openLocation', runId, item: 0 }), { uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 8 });
  });

  it('says the file is gone when it was deleted since, instead of doing nothing', async () => {
    const { page, runId } = await generated();
    unlinkSync(path.join(dir, 'app/lib/util.ts'));
    const said = await click(page, { type: 'openLocation', runId, item: 0 });
    assert.equal('kind' in said && said.kind, 'warning');
    assert.match('text' in said ? said.text : '', /lib\/util\.ts is no longer at .*app\/lib\/util\.ts: it was deleted or moved since this result was made/);
  });

  it('in a panel restored after a window reload (a folder added), opens the location kept for its run, not one its page saved', async () => {
    const { page, runId } = await generated();
    const saved = savedState(page);
    const item = saved.run?.result?.context[0];
    assert.equal(item?.uri, Uri.file(path.join(dir, 'app/lib/util.ts')).toString());
    // The window reloads with a second folder; the page had saved another location (anything: it is not trusted).
    folders = [...folders, { name: 'lib', path: path.join(dir, 'lib') }];
    item.uri = Uri.file(path.join(dir, 'lib/util.ts')).toString();
    panel.dispose();
    panel = new ResultsPanel(Uri.file(dir) as unknown as vscode.Uri, log, { locationStore: store });
    disposables.push(panel);
    const restored = await fakeVscode.restorePanel(RESULTS_VIEW_TYPE, saved);
    const reloaded = new GenerationController(
      { pipeline: {} } as unknown as GenerationServices,
      panel,
      { uriFor: () => undefined } as unknown as ContextService,
      {} as ConfigService,
      {} as vscode.Memento,
      {} as OpenAiKeyStore,
      log,
      {} as TaskController,
    );
    disposables.push(reloaded);
    restored.receive({ type: 'ready' });
    const opened = await click(restored, { type: 'openLocation', runId, item: 0 });
    assert.deepEqual(opened, { uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 6 });
  });

  it('in a panel restored without a kept location (another version saved it), opens its path in the folders open now, or says it does not know where the file is', async () => {
    const { page, runId } = await generated();
    const saved = savedState(page);
    // (An earlier version's page saved no location; the workspace state has none either.)
    const item = saved.run?.result?.context[0];
    assert.ok(item);
    delete item.uri;
    panel.dispose();
    panel = new ResultsPanel(Uri.file(dir) as unknown as vscode.Uri, log, { locationStore: memento() });
    disposables.push(panel);
    const restored = await fakeVscode.restorePanel(RESULTS_VIEW_TYPE, saved);
    // The index's paths of the folders open now: the same folder (the usual case after an upgrade), then none holding it.
    const asked: string[] = [];
    let resolves = true;
    const context = {
      uriFor: (rel: string) => {
        asked.push(rel);
        const abs = resolves ? new FolderPaths(folders).absolute(rel) : undefined;
        return abs === undefined ? undefined : Uri.file(abs);
      },
    } as unknown as ContextService;
    const reloaded = new GenerationController({} as GenerationServices, panel, context, {} as ConfigService, {} as vscode.Memento, {} as OpenAiKeyStore, log, {} as TaskController);
    disposables.push(reloaded);
    restored.receive({ type: 'ready' });
    const opened = await click(restored, { type: 'openLocation', runId, item: 0 });
    assert.deepEqual(opened, { uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 6 });
    resolves = false;
    const said = await click(restored, { type: 'openLocation', runId, item: 0 });
    assert.match('text' in said ? said.text : '', /does not say where lib\/util\.ts is .* Run the prompt again/);
    assert.deepEqual(asked, ['lib/util.ts', 'lib/util.ts']);
  });

  /**
   * The window reloads: a new panel (with the same workspace state) restored with the state its page saved, and a new
   * controller, whose index knows no path (a click opens only a location kept for the run). The restored page.
   */
  async function reloadedWith(saved: ViewState): Promise<FakeWebviewPanel> {
    panel.dispose();
    panel = new ResultsPanel(Uri.file(dir) as unknown as vscode.Uri, log, { locationStore: store });
    disposables.push(panel);
    const restored = await fakeVscode.restorePanel(RESULTS_VIEW_TYPE, saved);
    const reloaded = new GenerationController({} as GenerationServices, panel, { uriFor: () => undefined } as unknown as ContextService, {} as ConfigService, {} as vscode.Memento, {} as OpenAiKeyStore, log, {} as TaskController);
    disposables.push(reloaded);
    restored.receive({ type: 'ready' });
    return restored;
  }

  it('in a panel restored after a window reload, opens the location kept for an earlier run, not one its page saved for it', async () => {
    const { runId } = await generated();
    await controller.generate('where is util now?');
    const page = fakeVscode.webviewPanels.at(-1);
    assert.ok(page);
    page.receive({ type: 'ready' });
    const saved = savedState(page);
    const item = saved.earlier?.find((r) => r.id === runId)?.result?.context[0];
    assert.ok(item, 'the earlier run was kept');
    item.uri = 'file:///etc/passwd';
    const restored = await reloadedWith(saved);
    const opened = await click(restored, { type: 'openLocation', runId, item: 0 });
    assert.deepEqual(opened, { uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 6 });
  });

  it('in a panel restored after a window reload, opens the location kept for a run that ended while a newer one was on show', async () => {
    let answered: () => void = () => undefined;
    streamed = new Promise((resolve) => (answered = resolve));
    const ranked = new Promise<void>((resolve) => (rankedNow = resolve));
    const first = controller.generate('where is util?');
    await ranked;
    const runId = panel.currentRunId;
    assert.ok(runId !== undefined);
    // (A second generation, side by side, answered at once: on show when the first ends.)
    streamed = Promise.resolve();
    await controller.generate('where is util now?');
    answered();
    await first;
    assert.notEqual(panel.currentRunId, runId);
    const page = fakeVscode.webviewPanels.at(-1);
    assert.ok(page);
    page.receive({ type: 'ready' });
    const saved = savedState(page);
    assert.ok(saved.earlier?.find((r) => r.id === runId)?.result, 'the first run ended among the earlier runs');
    const restored = await reloadedWith(saved);
    const opened = await click(restored, { type: 'openLocation', runId, item: 0 });
    assert.deepEqual(opened, { uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 6 });
  });

  it('opens nothing for an item of another run or past the result, nor a location the page names itself', async () => {
    const { page, runId } = await generated();
    page.receive({ type: 'openLocation', runId: runId + 1, item: 0 });
    page.receive({ type: 'openLocation', runId, item: 1 });
    page.receive({ type: 'openLocation', runId, item: 0, uri: 'file:///etc/passwd', file: '/etc/passwd', line: 1 });
    // (The last one is read as item 0 of the run: only what the extension made is opened.)
    await fakeVscode.nextShown();
    assert.deepEqual(fakeVscode.shownDocuments, [{ uri: Uri.file(path.join(dir, 'app/lib/util.ts')), line: 6 }]);
  });

  it('says a code block clicked of an answer replaced since was not used, instead of doing nothing', async () => {
    const { page, runId } = await generated();
    // (Newer runs enough for the panel to keep that one no more.)
    for (let i = 0; i <= LIMITS.earlierRuns; i++) await controller.generate(`where is util now? (${i})`);
    const edited: unknown[] = [];
    disposables.push(panel.onDidRequestAction((a) => edited.push(a)));
    const said = await click(page, { type: 'insert', runId, block: 0 });
    assert.equal((said as ShownMessage).kind, 'info');
    assert.match((said as ShownMessage).text, /that answer was replaced by a newer one/);
    assert.deepEqual(edited, []);
  });
});
