import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { Diagnostic, fakeVscode, type FakeWebviewPanel, Range, Uri } from '../fakes/fakeVscode';
import type * as vscode from 'vscode';
import type { OpenAiKeyStore } from '../../../src/core/auth/openAiKeyStore';
import { GenerationCache } from '../../../src/core/generation/generationCache';
import { GenerationPipeline } from '../../../src/core/generation/generationPipeline';
import type { GenerationServices } from '../../../src/core/generation/generationServices';
import type { ProviderAnswer, ProviderCallOptions, ProviderRequest } from '../../../src/core/generation/model';
import { nullLogger } from '../../../src/core/ports';
import type { HostMessage, RunView, ViewState } from '../../../src/shared/protocol';
import type { ConfigService } from '../../../src/vscode/config';
import type { ContextService } from '../../../src/vscode/contextService';
import { GenerationController } from '../../../src/vscode/generation';
import type { TaskController } from '../../../src/vscode/tasks';
import { ResultsPanel } from '../../../src/vscode/views/resultsPanel';
import { FakeClock } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import { FakeContextSource, generationSettings, ScriptedProvider } from '../generation/builders';

const ROOT = '/home/user/w';

/** A ScriptedProvider that says when its n-th request has come (held or not): no polling for it. */
class ObservedProvider extends ScriptedProvider {
  private readonly waiting: { n: number; resolve: () => void }[] = [];

  override generate(req: ProviderRequest, opts: ProviderCallOptions): Promise<ProviderAnswer> {
    const answer = super.generate(req, opts);
    for (const w of this.waiting.filter((x) => this.calls.length >= x.n)) {
      this.waiting.splice(this.waiting.indexOf(w), 1);
      w.resolve();
    }
    return answer;
  }

  /** Resolves once `n` requests came. */
  called(n: number): Promise<void> {
    if (this.calls.length >= n) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ n, resolve }));
  }
}

describe('generations side by side (a real pipeline and results panel, on a fake editor and webview)', () => {
  let provider: ObservedProvider;
  let panel: ResultsPanel;
  let controller: GenerationController;
  let maxConcurrent: number;

  beforeEach(() => {
    fakeVscode.openWorkspace(ROOT);
    const clock = new FakeClock();
    provider = new ObservedProvider('openai');
    // Each answer names its request's last line: which run got which answer is plain to see.
    provider.answer = (req) => ({ text: `\`\`\`ts\n// answer to ${req.user.includes('Fix this error') ? 'the fix' : (req.user.split('\n').at(-1) ?? '')}\n\`\`\`\n`, model: 'm', truncated: false });
    maxConcurrent = 4;
    const pipeline = new GenerationPipeline({
      settings: () => generationSettings(),
      context: new FakeContextSource(),
      providers: { openai: provider },
      cache: new GenerationCache(clock, () => ({ enabled: false, ttlSeconds: 0 })),
      maxConcurrent: () => maxConcurrent,
      clock,
      logger: nullLogger,
    });
    const relativePath = (uri: vscode.Uri): string | undefined => (uri.path.startsWith(`${ROOT}/`) ? uri.path.slice(ROOT.length + 1) : undefined);
    const context = { relativePath, uriFor: () => undefined, editorHints: () => ({ openFiles: [], recentFiles: [] }) } as unknown as ContextService;
    const config = { snapshot: { 'generation.provider': 'openai', 'openai.model': 'm', 'fixFromDiagnostics.enabled': true } } as unknown as ConfigService;
    const log = new RecordingLogger();
    panel = new ResultsPanel(Uri.file('/ext') as unknown as vscode.Uri, log);
    controller = new GenerationController({ pipeline } as unknown as GenerationServices, panel, context, config, {} as vscode.Memento, {} as OpenAiKeyStore, log, {} as TaskController);
  });
  afterEach(() => {
    provider.releaseAll();
    controller.dispose();
    panel.dispose();
  });

  /** "Fix with Context" on the error of a document's first line, as its light bulb asks it. */
  function fixIn(file: string): ReturnType<GenerationController['fixDiagnostic']> {
    const doc = fakeVscode.openDocument(`${ROOT}/${file}`, 'let y = x;\n');
    return controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(0, 8, 0, 9), "Cannot find name 'x'."));
  }

  /** "Generate Code…" with a document in the active editor. */
  function generateIn(file: string, prompt: string): ReturnType<GenerationController['generate']> {
    fakeVscode.activateEditor(fakeVscode.openDocument(`${ROOT}/${file}`, 'export const b = 1;\n'));
    return controller.generate(prompt);
  }

  /** The results panel's page, ready: it has the whole view state. */
  function page(): FakeWebviewPanel {
    const p = fakeVscode.webviewPanels.at(-1);
    assert.ok(p, 'the results panel was shown');
    p.receive({ type: 'ready' });
    return p;
  }

  /** The view state the page was last sent whole. */
  function shownState(p: FakeWebviewPanel): ViewState {
    const sent = p.posted.filter((m): m is Extract<HostMessage, { type: 'state' }> => (m as HostMessage).type === 'state').at(-1);
    assert.ok(sent);
    return sent.state;
  }

  const answerOf = (run: RunView | null | undefined): string | undefined => run?.result?.codeBlocks[0]?.code;

  it('lets a fix in one file finish while Generate Code… runs in another: the fix shows its diff, each answer in its own run of the panel', async () => {
    provider.hold();
    const fixing = fixIn('src/a.ts');
    await provider.called(1);
    const generating = generateIn('src/b.ts', 'Write function b2');
    await provider.called(2);
    provider.releaseAll();
    const [fixed, generated] = await Promise.all([fixing, generating]);

    assert.ok(fixed, 'the fix was not cancelled by the generation started after it');
    assert.equal(fixed.codeBlocks[0]?.code, '// answer to the fix\n');
    assert.ok(fakeVscode.executed.some(([id]) => id === 'vscode.diff'), "the fix's diff was shown");
    assert.equal(generated?.codeBlocks[0]?.code, '// answer to Write function b2\n');
    // The newest run is on show with its own answer; the fix's streamed and finished into its own entry.
    const state = shownState(page());
    assert.equal(state.run?.status, 'finished');
    assert.equal(answerOf(state.run), '// answer to Write function b2\n');
    assert.equal(state.earlier?.length, 1);
    assert.equal(state.earlier[0]?.status, 'finished');
    assert.match(state.earlier[0]?.text ?? '', /answer to the fix/);
    assert.equal(answerOf(state.earlier[0]), '// answer to the fix\n');
  });

  it("the panel's Cancel stops only its run: an older one running beside it finishes", async () => {
    provider.hold();
    const first = generateIn('src/a.ts', 'Write function one');
    await provider.called(1);
    const second = generateIn('src/b.ts', 'Write function two');
    await provider.called(2);
    const p = page();
    const secondId = panel.currentRunId;
    p.receive({ type: 'cancel', runId: secondId });
    assert.equal(await second, undefined, 'the run cancelled');
    provider.releaseAll();
    assert.equal((await first)?.codeBlocks[0]?.code, '// answer to Write function one\n');
    const state = shownState(page());
    assert.equal(state.run?.status, 'cancelled');
    assert.equal(answerOf(state.earlier?.[0]), '// answer to Write function one\n');
  });

  it('Cancel Generation stops the run still generating, not a fix on show whose answer is in and whose diff waits for Apply', async () => {
    // The fix's answer comes, and its apply question stays open.
    let answerApply: (pick: string) => void = () => undefined;
    let askedApply: () => void = () => undefined;
    const asked = new Promise<void>((resolve) => (askedApply = resolve));
    fakeVscode.answerMessage = (m) =>
      m.actions.includes('Apply')
        ? new Promise<string>((resolve) => {
            answerApply = resolve;
            askedApply();
          })
        : undefined;
    const fixing = fixIn('src/a.ts');
    await asked;
    const fixId = panel.currentRunId;
    assert.ok(fixId !== undefined);
    provider.hold();
    const generating = generateIn('src/b.ts', 'Write function b2');
    await provider.called(2);
    // The user shows the fix's run (Earlier runs), then cancels from the palette.
    const p = page();
    p.receive({ type: 'showRun', runId: fixId });
    assert.equal(panel.currentRunId, fixId);
    controller.cancel();
    provider.releaseAll();
    assert.equal(await generating, undefined, 'the generation running was cancelled');
    answerApply('Discard');
    assert.ok(await fixing, 'the fix stands');
  });

  it('replaces a fix running for the same light bulb clicked again, and says so in the panel', async () => {
    provider.hold();
    const first = fixIn('src/a.ts');
    await provider.called(1);
    const firstId = panel.currentRunId;
    // (A fix elsewhere runs on: not the same target.)
    const other = fixIn('src/c.ts');
    await provider.called(2);
    const again = fixIn('src/a.ts');
    assert.equal(await first, undefined, 'the first request for that error was cancelled');
    await provider.called(3);
    provider.releaseAll();
    assert.ok(await again);
    assert.ok(await other, 'the fix of another file was not replaced');
    const replaced = [shownState(page()).run, ...(shownState(page()).earlier ?? [])].find((r) => r?.id === firstId);
    assert.equal(replaced?.status, 'cancelled');
    assert.equal(replaced?.error?.message, 'Replaced by a newer request');
    assert.equal(fakeVscode.messages.filter((m) => m.kind !== 'info').length, 0, 'the replaced one is no error');
  });

  it("keeps to the pipeline's concurrency limit: the second waits for the first instead of cancelling it", async () => {
    maxConcurrent = 1;
    provider.hold();
    const first = generateIn('src/a.ts', 'Write function one');
    await provider.called(1);
    const second = generateIn('src/b.ts', 'Write function two');
    provider.releaseAll();
    assert.ok(await first, 'the first finished');
    await provider.called(2);
    provider.releaseAll();
    assert.ok(await second);
    assert.equal(provider.maxRunning, 1, 'never two at once');
  });

  it('stops every generation running when the extension deactivates', async function () {
    // (Before the fix only the newest was ever aborted: the wait below would not end.)
    this.timeout(10_000);
    provider.hold();
    const first = generateIn('src/a.ts', 'Write function one');
    await provider.called(1);
    const second = generateIn('src/b.ts', 'Write function two');
    await provider.called(2);
    controller.dispose();
    assert.deepEqual(await Promise.all([first, second]), [undefined, undefined]);
    assert.equal(provider.running, 0);
  });
});
