import * as vscode from 'vscode';
import { cleanCredential } from '../core/auth/credentialText';
import type { OpenAiKeyStore } from '../core/auth/openAiKeyStore';
import { originOf } from '../core/auth/originBoundSecret';
import { baseUrlOf } from '../core/config/configSchema';
import { fenceFor } from '../core/context/contextPrompt';
import { errorMessage } from '../core/errors';
import type { LineEnd } from '../core/generation/codeIndent';
import { type AroundWindow, buildFixRequest, type DiagnosticLines, FIX_CONTEXT_LINES, fixFromAnswer, type FixFromAnswer, fixLineWindow, fixWindowProblem } from '../core/generation/fixPromptBuilder';
import type { GenerationServices } from '../core/generation/generationServices';
import type { GenerateOptions, GenerationResult } from '../core/generation/model';
import type { ContextHints } from '../core/generation/rankedContext';
import { selectionProblem } from '../core/generation/promptBuilder';
import { occursOnce } from '../core/generation/textAnchor';
import type { Logger } from '../core/ports';
import { LIMITS } from '../shared/protocol';
import type { ConfigService } from './config';
import type { ContextService } from './contextService';
import { anchorOf, CodeEdits, columnOf, EDITOR_FACTS, lineEndOf, markedReadOnly, shownTabs, targetFromEditor, type EditTarget } from './edits';
import { documentsInTabs, type EditChoice, editorToEdit, editorToRead, fileBehind, LastEditTarget, pathForPrompt, readOnlyMessage } from './editorChoice';
import { presentError } from './errorPresenter';
import { type ChosenSelection, ignoredSelectionsNote, selectedLines, selectionToUse } from './selectionChoice';
import { Disposable } from './lifecycle';
import { withCancellableProgress } from './progress';
import type { TaskController } from './tasks';
import type { ResultsAction, ResultsPanel } from './views/resultsPanel';

const RECENT_PROMPTS_KEY = 'contexten.recentPrompts';
const MAX_RECENT = 10;
/** The action that asks the same request again, its cached answer dropped (next to a fix with nothing to apply). */
const REGENERATE = 'Regenerate';

const SELECTION_PRESETS = [
  { label: '$(wand) Complete this code', prompt: 'Complete this code.' },
  { label: '$(edit) Rewrite this code to be clearer', prompt: 'Rewrite this code to be clearer and more idiomatic, keeping its behaviour.' },
  { label: '$(book) Document this code', prompt: 'Add documentation comments to this code.' },
  { label: '$(beaker) Write tests for this code', prompt: 'Write unit tests for this code, in the style of the project.' },
];

interface Running {
  runId: number;
  abort: AbortController;
  prompt: string;
  call: { codebaseContext?: string; options: GenerateOptions };
  target: EditTarget | undefined;
  /**
   * For a quick fix: the fixed document's language id, as the request named it. The fix — the code block in that
   * language fixFromAnswer picks — replaces the target's range, shown as a diff. `outside`: the document's text before
   * and after that range when the fix was asked, by which fixFromAnswer tells the whole file shown after the fix, and
   * the lines around the range a fix that shows them replaces too (widened). `diagnostic`: the range's lines the
   * diagnostic is on, the lines a fix may drop.
   */
  fix?: { readonly languageId: string; readonly outside: AroundWindow; readonly eol: LineEnd; readonly diagnostic: DiagnosticLines };
  /** Its answer, once it came: Regenerate drops it from the cache before asking again. */
  result?: GenerationResult;
  /**
   * What it is asked about, when a second request for it replaces the first (sameTarget): a fix's document and diagnostic,
   * a selection's document and range. None for a prompt typed in Generate Code…: two of those run side by side.
   */
  sameTarget?: string;
}

/**
 * Generation in the places a user reaches for it: the palette, the editor context menu on a selection,
 * the "Fix with Context" quick fix, "Run Agent Task with Context", and the results panel's actions.
 */
export class GenerationController extends Disposable implements vscode.CodeActionProvider {
  static readonly providedCodeActionKinds = [vscode.CodeActionKind.QuickFix];
  /**
   * The generations running, by run id, each with its own AbortController: they run side by side (the pipeline's
   * concurrency limit queues them), and each one's Cancel stops it alone.
   */
  private readonly running = new Map<number, Running>();
  /**
   * The newest generations started, as many as the results panel keeps runs (LIMITS.earlierRuns and the one on show):
   * the requests Retry sends again (RunLedger decides whether it may).
   */
  private readonly recent = new Map<number, Running>();
  /** The editor generated code goes to when the results panel has focus: the last one the user worked in, while a tab shows it. */
  private readonly lastEditor = new LastEditTarget<vscode.TextEditor>(EDITOR_FACTS, vscode.window.activeTextEditor);
  readonly edits = this.register(new CodeEdits());

  constructor(
    private readonly services: GenerationServices,
    private readonly panel: ResultsPanel,
    private readonly context: ContextService,
    private readonly config: ConfigService,
    private readonly memento: vscode.Memento,
    private readonly openAiKeys: OpenAiKeyStore,
    private readonly log: Logger,
    /** The sidebar: whether it lists a run Run Agent Task with Context created (the sign-in and organization it was created as). */
    private readonly tasks: Pick<TaskController, 'followedAsNow' | 'accountMoment'>,
  ) {
    super();
    this.register(vscode.window.onDidChangeActiveTextEditor((e) => this.lastEditor.activeChanged(e)));
    // (Tabs, not visible editors: a tab hidden behind the results panel in its group still shows its document.)
    const tabsChanged = (): void => this.lastEditor.tabsChanged(documentsInTabs(shownTabs()));
    this.register(vscode.window.tabGroups.onDidChangeTabs(tabsChanged));
    this.register(vscode.window.tabGroups.onDidChangeTabGroups(tabsChanged));
    this.register(panel.onDidRequestAction((a) => void this.onPanelAction(a).catch((err: unknown) => presentError(err, log))));
    this.register(vscode.languages.registerCodeActionsProvider([{ scheme: 'file' }, { scheme: 'untitled' }], this, { providedCodeActionKinds: GenerationController.providedCodeActionKinds }));
  }

  /** "Contexten: Generate Code…" — prompt → streamed into the results panel → insert at cursor from there. */
  async generate(promptArg?: unknown): Promise<GenerationResult | undefined> {
    const given = typeof promptArg === 'string' && promptArg.trim() ? promptArg : undefined;
    const prompt = given ?? (await this.askPrompt('Generate Code', 'Describe the code to generate'));
    if (!prompt) return undefined;
    if (!given) this.remember(prompt);
    // (A read-only active editor gives no target: the answer can still go where Insert is clicked later, or be copied.)
    const editor = this.editorForEdits();
    // (The same hints Preview Context ranks with: promptHints.)
    return this.run(prompt, { options: this.hintsFor(editor?.document.uri) }, editor ? targetFromEditor(editor) : undefined);
  }

  /** Editor context menu "Generate with Context" on a selection: the selection is the subject. */
  async generateWithSelection(): Promise<GenerationResult | undefined> {
    const choice = this.editorChoiceForEdits();
    if (refusedReadOnly(choice, 'Generate with Context')) return undefined;
    const editor = 'editor' in choice ? choice.editor : undefined;
    // (The first selection that selects code: with several cursors, the primary one may select nothing.)
    const chosen = editor ? selectionToUse(editor.selections) : undefined;
    if (!editor || !chosen) {
      void vscode.window.showInformationMessage('Contexten: select some code first, then choose "Generate with Context".');
      return undefined;
    }
    // (What is sent — the selection with its header and fences — is what the limit is for.)
    const codebaseContext = this.describeSelection(editor, chosen.selection);
    if (refusedSelection(codebaseContext, 'Generate with Context')) return undefined;
    const prompt = await this.askPrompt(titleFor('Generate with Context', chosen), 'What should happen to the selected code?', SELECTION_PRESETS);
    if (!prompt) return undefined;
    this.remember(prompt);
    const { start, end } = chosen.selection;
    const sameTarget = `selection ${editor.document.uri.toString()} ${start.line}:${start.character}-${end.line}:${end.character}`;
    return this.run(prompt, { codebaseContext, options: this.hintsFor(editor.document.uri) }, targetFromEditor(editor, chosen.selection), undefined, sameTarget);
  }

  /** Quick fix "Fix with Context": the diagnostic, the code around it and related definitions → a diff to review. */
  async fixDiagnostic(uriArg?: unknown, diagnosticArg?: unknown): Promise<GenerationResult | undefined> {
    const choice = this.editorChoiceForEdits();
    if (!(uriArg instanceof vscode.Uri) && refusedReadOnly(choice, 'Fix with Context')) return undefined;
    const uri = uriArg instanceof vscode.Uri ? uriArg : 'editor' in choice ? choice.editor.document.uri : undefined;
    if (!uri) {
      void vscode.window.showInformationMessage('Contexten: open the file with the error, then choose "Fix with Context".');
      return undefined;
    }
    // (The cursor that picks the diagnostic: an editor's on that document, never another file's.)
    const editor = 'editor' in choice && choice.editor.document.uri.toString() === uri.toString() ? choice.editor : undefined;
    const doc = await vscode.workspace.openTextDocument(uri);
    const diagnostic =
      diagnosticArg instanceof vscode.Diagnostic
        ? diagnosticArg
        : vscode.languages.getDiagnostics(uri).find((d) => d.severity === vscode.DiagnosticSeverity.Error && (!editor || d.range.contains(editor.selection.active)));
    if (!diagnostic) {
      void vscode.window.showInformationMessage('Contexten: no error diagnostic here to fix.');
      return undefined;
    }
    // (The diagnostic's lines, from 1: a range ending at column 0 of a line ends on the line before, a whole-line one's.)
    const onLines = selectedLines(diagnostic.range);
    const { startLine, endLine } = fixLineWindow(
      { startLine: onLines.first - 1, endLine: onLines.last - 1 },
      { lineCount: doc.lineCount, lastLineIsEmpty: doc.lineAt(doc.lineCount - 1).text === '', isBlank: (line) => doc.lineAt(line).isEmptyOrWhitespace },
      FIX_CONTEXT_LINES,
    );
    const range = new vscode.Range(startLine, 0, endLine, doc.lineAt(endLine).text.length);
    const around = doc.getText(range);
    const tooLong = fixWindowProblem(around.length);
    if (tooLong !== undefined) {
      void vscode.window.showWarningMessage(`Contexten: ${tooLong}`);
      return undefined;
    }
    const code = diagnostic.code;
    const fix = buildFixRequest({
      file: this.pathForPrompt(uri),
      languageId: doc.languageId,
      diagnostic: {
        message: diagnostic.message,
        line: onLines.first,
        endLine: onLines.last,
        ...(diagnostic.source ? { source: diagnostic.source } : {}),
        ...(code !== undefined ? { code: typeof code === 'object' ? code.value : code } : {}),
      },
      // The range's text: every line of the window, a blank last one too (the edit replaces the range).
      around: { startLine: startLine + 1, text: around },
    });
    const shownIn = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === uri.toString())?.viewColumn;
    const target: EditTarget = { uri, range, version: doc.version, ...anchorOf(doc, range), viewColumn: columnOf(uri, shownIn) };
    // (The prompt names the file by pathForPrompt; the ranking's active file is its index path, hintsFor(uri): none outside the workspace.)
    // (The same light bulb clicked twice: the same document, the same diagnostic where it is and what it says.)
    const { start, end } = diagnostic.range;
    const sameTarget = `fix ${uri.toString()} ${start.line}:${start.character}-${end.line}:${end.character} ${diagnostic.message}`;
    const text = doc.getText();
    const outside = { before: text.slice(0, doc.offsetAt(range.start)), after: text.slice(doc.offsetAt(range.end)) };
    // (The diagnostic's lines in the range, which fixFromAnswer lets a fix drop: an unused import, unreachable code.)
    const onDiagnostic = { startLine: onLines.first - 1 - startLine, endLine: onLines.last - 1 - startLine };
    return this.run(
      fix.prompt,
      { codebaseContext: fix.codebaseContext, options: { ...this.hintsFor(uri), ...fix.options } },
      target,
      { languageId: doc.languageId, outside, eol: lineEndOf(doc), diagnostic: onDiagnostic },
      sameTarget,
    );
  }

  /** "Run Agent Task with Context": a Codegen task from the current file/selection, context attached. */
  async runAgentTaskWithContext(): Promise<void> {
    const editor = this.editorToRead();
    const chosen = editor ? selectionToUse(editor.selections) : undefined;
    const selection = editor && chosen ? this.describeSelection(editor, chosen.selection) : undefined;
    if (selection !== undefined && refusedSelection(selection, 'Run Agent Task with Context')) return;
    const description = await this.askPrompt(titleFor('Run Agent Task with Context', chosen), 'What should the Codegen agent do?');
    if (!description) return;
    // (A git: view's or a notebook cell's file, as the workspace names it; null outside the workspace.)
    const about = this.aboutFile(editor?.document.uri);
    const hints = this.context.editorHints(about);
    // (The account as the creation is sent: answered after it changed, the run is the list's only as the sign-in of now
    // read, followedAsNow. Noted again just before the creation's request — after the context ranking, seconds on a big
    // workspace, during which a sign-in is no change for it — and before its token is read, which is after: a sign-in
    // between that read and the moment would pass unseen.)
    let sentAt = this.tasks.accountMoment();
    const { run, context, warnings, signIn } = await withCancellableProgress('Contexten: starting an agent task with context…', (signal) =>
      this.services.agentTasks.runAgentTaskAs(
        description,
        {
          contextEnhancement: true,
          asyncExecution: true,
          signal,
          ...(about !== undefined ? { activeFile: about } : {}),
          openFiles: hints.openFiles,
          ...(selection ? { codebaseContext: selection } : {}),
        },
        () => (sentAt = this.tasks.accountMoment()),
      ),
    );
    // (Shown in Agent Tasks through the runner's onDidSeeFollowedRun, while the sign-in it was created as is the one of now.)
    // (The context may miss code, or was not attached: the task runs all the same, as a generation does.)
    for (const w of warnings) void vscode.window.showWarningMessage(`Contexten: ${w}`);
    // (Said as the list shows it: created as the account signed in before — signed out, or in as another token or at
    // another base URL, while the creation was out — or in the organization set before, it is not listed, and the
    // message says where it went instead of offering a list without it. Answered after a sign-in that could not be read,
    // the runner's states may have shown it already: followedAsNow takes it out of the list, and keeps it out until a
    // sign-in is read, as its message says.)
    if (!(await this.tasks.followedAsNow(run, signIn, sentAt, { what: `agent task #${run.id} was created with ${context.length} context items`, kind: 'shown' }))) return;
    void vscode.window.showInformationMessage(`Contexten: agent task #${run.id} started with ${context.length} context items.`, 'Show Tasks').then((pick) => {
      if (pick === 'Show Tasks') void vscode.commands.executeCommand('contexten.tasks.focus');
    });
  }

  /** A selection of the editor as the code a request is about: where it is (path, lines, language), then the code, fenced. */
  private describeSelection(editor: vscode.TextEditor, sel: vscode.Selection): string {
    const doc = editor.document;
    const rel = this.pathForPrompt(doc.uri);
    // (A selection of whole lines ends at column 0 of the line after them: that line is not part of it.)
    const { first, last, wholeLines } = selectedLines(sel);
    const selected = doc.getText(sel);
    const code = wholeLines ? selected.replace(/\r?\n$/, '') : selected;
    const fence = fenceFor(code);
    return `Selected code from ${rel} lines ${first}-${last} (${doc.languageId}):\n${fence}${doc.languageId}\n${code}\n${fence}`;
  }

  /**
   * The file a document stands for: itself, the file a `git:` view (HEAD, the index) shows, a notebook cell's notebook.
   */
  private fileOf(uri: vscode.Uri): vscode.Uri {
    switch (fileBehind(uri.scheme)) {
      case 'gitFile':
        return uri.with({ scheme: 'file', query: '', fragment: '' });
      case 'notebook':
        return vscode.workspace.notebookDocuments.find((nb) => nb.getCells().some((c) => c.document.uri.toString() === uri.toString()))?.uri ?? uri;
      case 'itself':
        return uri;
    }
  }

  /**
   * A document's file as the workspace index names it, the context ranking's active file; none outside the workspace.
   * (Not pathForPrompt's name: outside the workspace that is the file's name alone, maybe an unrelated workspace file's.)
   */
  private indexPathOf(uri: vscode.Uri): string | undefined {
    return this.context.relativePath(this.fileOf(uri));
  }

  /** How a prompt names a document's file: workspace-relative, else by its name (pathForPrompt: never an absolute path). */
  private pathForPrompt(uri: vscode.Uri): string {
    const file = this.fileOf(uri);
    const relative = this.context.relativePath(file) ?? (vscode.workspace.getWorkspaceFolder(file) ? vscode.workspace.asRelativePath(file) : undefined);
    return pathForPrompt(relative, file.path);
  }

  /**
   * "Contexten: Set OpenAI-Compatible API Key": stored in SecretStorage for the origin of the base URL the prompt names
   * (it is sent only there: OpenAiKeyStore); empty input removes it. Not asked while the base URL is invalid.
   */
  async setOpenAiKey(): Promise<void> {
    let baseUrl: string;
    try {
      baseUrl = baseUrlOf(this.config.snapshot, 'openai.baseUrl');
    } catch (err) {
      presentError(err, this.log);
      return;
    }
    const key = await vscode.window.showInputBox({
      title: 'OpenAI-Compatible API Key',
      prompt: `Key for ${baseUrl} (sent only to ${originOf(baseUrl)}; leave empty to remove the key stored for it: local servers such as Ollama need none)`,
      password: true,
      ignoreFocusOut: true,
      validateInput: (v) => {
        const cleaned = cleanCredential(v);
        return 'problem' in cleaned ? `The key ${cleaned.problem}: type it, or copy it again from the provider's page.` : undefined;
      },
    });
    if (key === undefined) return;
    const cleaned = cleanCredential(key);
    if ('problem' in cleaned) return;
    if (cleaned.value) {
      await this.openAiKeys.store(baseUrl, cleaned.value);
      void vscode.window.showInformationMessage(`Contexten: API key for ${originOf(baseUrl)} stored in VS Code secret storage.`);
    } else {
      await this.openAiKeys.remove(baseUrl);
      void vscode.window.showInformationMessage(`Contexten: API key for ${originOf(baseUrl)} removed.`);
    }
  }

  provideCodeActions(doc: vscode.TextDocument, _range: vscode.Range, ctx: vscode.CodeActionContext): vscode.CodeAction[] {
    if (!this.config.snapshot['fixFromDiagnostics.enabled']) return [];
    const error = ctx.diagnostics.find((d) => d.severity === vscode.DiagnosticSeverity.Error);
    // (Not in a file the settings make read-only: the fix could not be applied there. Asked only with an error at hand:
    // code actions are asked for at every cursor move.)
    if (!error || markedReadOnly(doc.uri)) return [];
    const action = new vscode.CodeAction('Fix with Context', vscode.CodeActionKind.QuickFix);
    action.diagnostics = [error];
    action.command = { command: 'contexten.fixWithContext', title: 'Fix with Context', arguments: [doc.uri, error] };
    return [action];
  }

  /**
   * "Contexten: Cancel Generation": the generation the results panel shows if it is still generating, else the newest
   * one still generating; the others go on. A fix whose answer is in stays in `running` while its diff waits for Apply:
   * nothing of it is left to cancel, and taking it would leave the generation still going on untouched.
   */
  cancel(): void {
    const generating = [...this.running.values()].filter((r) => r.result === undefined);
    const shown = this.panel.currentRunId;
    (generating.find((r) => r.runId === shown) ?? generating.at(-1))?.abort.abort();
  }

  /** The window closes (the extension deactivates): every generation running stops. */
  override dispose(): void {
    for (const r of this.running.values()) r.abort.abort();
    super.dispose();
  }

  /**
   * The ranking hints a prompt typed now is sent with by "Generate Code…": the editor it works in (editorForEdits — the
   * last one the user worked in when the results panel or the Output panel has focus). Preview Context asks this too, so
   * it shows what Generate would send.
   */
  promptHints(): ContextHints {
    return this.hintsFor(this.editorForEdits()?.document.uri);
  }

  /**
   * Ranking hints for a request about a document (`uri`): the document's file is the active one when the workspace has it
   * (indexPathOf), else none, said as null — never the active editor's, which may show another file (the context service
   * fills an absent one from it); the editor's files shown and edited lately besides it (editorHints). Without a
   * document, the active editor's file.
   */
  private hintsFor(uri: vscode.Uri | undefined): ContextHints {
    const about = this.aboutFile(uri);
    const hints = this.context.editorHints(about);
    const activeFile = about !== undefined ? about : hints.activeFile;
    return { ...(activeFile !== undefined ? { activeFile } : {}), openFiles: hints.openFiles, recentFiles: hints.recentFiles };
  }

  /** The file a request about a document (`uri`) is about, as ContextQuery.activeFile says it: null outside the workspace; undefined with no document. */
  private aboutFile(uri: vscode.Uri | undefined): string | null | undefined {
    return uri ? (this.indexPathOf(uri) ?? null) : undefined;
  }

  /**
   * Streams one generation into the results panel, with a cancellable progress notification. Generations run side by
   * side, each into its own run of the panel (the newest on show) — but a request for the same target as one running
   * (sameTarget: the same light bulb clicked twice) replaces it: the older is cancelled, and the panel says so.
   */
  private async run(prompt: string, call: Running['call'], target: EditTarget | undefined, fix?: Running['fix'], sameTarget?: string): Promise<GenerationResult | undefined> {
    const s = this.config.snapshot;
    const provider = call.options.provider ?? s['generation.provider'];
    const runId = this.panel.showGeneration({ prompt, provider, model: provider === 'openai' ? s['openai.model'] : 'codegen agent' });
    if (sameTarget !== undefined) {
      for (const old of this.running.values()) {
        if (old.sameTarget !== sameTarget) continue;
        // (Said before the abort: the run's own failure, a plain "Cancelled", then finds it ended and is ignored.)
        this.panel.replaced(old.runId);
        old.abort.abort();
      }
    }
    const abort = new AbortController();
    const running: Running = { runId, abort, prompt, call, target, ...(fix ? { fix } : {}), ...(sameTarget !== undefined ? { sameTarget } : {}) };
    this.running.set(runId, running);
    this.recent.set(runId, running);
    for (const old of this.recent.keys()) {
      if (this.recent.size <= LIMITS.earlierRuns + 1) break;
      this.recent.delete(old);
    }
    try {
      // The notification's Cancel and the panel's Cancel abort the same controller, this run's alone.
      const result = await withCancellableProgress(
        `Contexten: generating with ${provider}…`,
        (signal) =>
          this.services.pipeline.generateWithContext(prompt, {
            ...call,
            signal,
            // (Into this run's own entry of the panel, on show or not.)
            onToken: (t) => this.panel.appendToken(runId, t),
            onReasoning: (t) => this.panel.appendReasoning(runId, t),
          }),
        abort,
      );
      running.result = result;
      // (Each context item carries where its file was when it was ranked — ContextItem.uri: what a click in the panel
      // opens, also after the workspace folders changed while the answer streamed or since.)
      this.panel.finish(runId, result);
      this.log.info(`Generated with ${result.provider}/${result.model}${result.cached ? ' (cached)' : ''}: ${result.codeBlocks.length} code blocks, ${result.context.length} context items, ${Math.round(result.timings.totalMs)} ms`);
      for (const w of result.warnings) void vscode.window.showWarningMessage(`Contexten: ${w}`);
      if (fix && target) {
        // (The fix is a block in the document's language: fixFromAnswer.)
        // (In the document's line endings: a CRLF document's fix is CRLF, the model's LF lines too.)
        const fixed = fixFromAnswer(result.codeBlocks, target.text, {
          truncated: result.truncated,
          languageId: fix.languageId,
          outside: fix.outside,
          eol: fix.eol,
          diagnostic: fix.diagnostic,
        });
        if ('problem' in fixed) {
          // An answer with nothing to apply is not kept: the same fix asked again (the light bulb, Regenerate) goes to
          // the model, not to the cache, which would give this answer back for up to contexten.cache.ttlSeconds.
          this.services.pipeline.forget(result);
          void vscode.window.showWarningMessage(`Contexten: ${fixed.problem}; see the results panel.`, REGENERATE).then((pick) => {
            if (pick === REGENERATE) void this.run(prompt, call, target, fix, sameTarget);
          });
        } else {
          // (The answer stands whatever becomes of its diff — a file deleted or renamed meanwhile: that failure is
          // shown on its own, not as the generation's.) A fix discarded, or not applied, is not kept either.
          const applied = await this.edits.showDiffThenApply(widenedTarget(target, fixed.widened, fix.outside), fixed.code, 'Fix with Context', fixed.imports).catch((err: unknown) => {
            presentError(err, this.log);
            return false;
          });
          if (!applied) this.services.pipeline.forget(result);
        }
      }
      return result;
    } catch (err) {
      this.panel.fail(runId, err);
      presentError(err, this.log);
      return undefined;
    } finally {
      this.running.delete(runId);
    }
  }

  private async onPanelAction(action: ResultsAction): Promise<void> {
    const last = this.lastEditor.editor;
    // (The request's target of the run the code is from, while it runs; else the last editor's.)
    const ofRun = 'runId' in action ? this.running.get(action.runId)?.target : undefined;
    const target = ofRun ?? (last ? targetFromEditor(last) : undefined);
    switch (action.type) {
      case 'insert':
      case 'replaceSelection':
      case 'showDiff': {
        // (Without an editor to edit, the request's selection: CodeEdits finds it again if the document changed since.)
        const t = this.currentTarget() ?? target;
        if (!t) {
          void vscode.window.showInformationMessage('Contexten: open a file in an editor first, then try again.');
          return;
        }
        if (action.type === 'insert') await this.edits.insertAtCursor(t, action.code);
        else if (action.type === 'replaceSelection') await this.edits.replaceSelection(t, action.code);
        else await this.edits.showDiffThenApply(t, action.code);
        return;
      }
      case 'copy':
        await vscode.env.clipboard.writeText(action.code);
        void vscode.window.setStatusBarMessage('$(check) Contexten: code copied', 3000);
        return;
      case 'openLocation':
        await this.openLocation(action);
        return;
      case 'cancel':
        // (That run alone: the others running go on.)
        this.running.get(action.runId)?.abort.abort();
        return;
      case 'retry': {
        // The same request again: its context, its target and, for a fix, the lines the fix replaces. The panel's
        // RunLedger decides which runs can be retried (and tells the user about a run from before a window reload);
        // this only finds the request of the run it names, and never sends another's.
        const retried = this.recent.get(action.runId);
        if (!retried) return;
        // (A finished run's Regenerate: its answer is dropped from the cache first, so the model answers anew.)
        if (retried.result) this.services.pipeline.forget(retried.result);
        await this.run(action.prompt, retried.call, retried.target, retried.fix, retried.sameTarget);
        return;
      }
    }
  }

  /**
   * Opens a context item of the result on show where it was when the result was made, or says why it cannot. A result
   * whose location was not kept (one restored from an earlier version) opens its index path in the folders open now
   * (inside them only): the right file while the folders are those it was made in, the usual case after an upgrade.
   */
  private async openLocation(action: Extract<ResultsAction, { type: 'openLocation' }>): Promise<void> {
    const uri = action.uri === undefined ? this.context.uriFor(action.file) : vscode.Uri.parse(action.uri, true);
    if (uri === undefined) {
      void vscode.window.showInformationMessage(
        `Contexten: this result does not say where ${action.file} is (it was made by an earlier version, or its location was not kept when the window reloaded), and it is in none of the workspace folders open now. Run the prompt again to open its context.`,
      );
      return;
    }
    try {
      await vscode.workspace.fs.stat(uri);
    } catch {
      void vscode.window.showWarningMessage(`Contexten: ${action.file} is no longer at ${uri.fsPath}: it was deleted or moved since this result was made.`);
      return;
    }
    const pos = new vscode.Position(action.line - 1, 0);
    await vscode.window.showTextDocument(uri, { selection: new vscode.Range(pos, pos), viewColumn: vscode.ViewColumn.One });
  }

  /** The editor the user last worked in, at its current selection. */
  private currentTarget(): EditTarget | undefined {
    const ed = this.editorForEdits();
    return ed ? targetFromEditor(ed) : undefined;
  }

  /** The editor a command that edits works in, or why there is none (editorToEdit). */
  private editorChoiceForEdits(): EditChoice<vscode.TextEditor> {
    return editorToEdit(vscode.window.activeTextEditor, this.lastEditor.editor, EDITOR_FACTS);
  }

  /** The editor a command that edits works in; none when the active one is read-only (editorToEdit). */
  private editorForEdits(): vscode.TextEditor | undefined {
    const choice = this.editorChoiceForEdits();
    return 'editor' in choice ? choice.editor : undefined;
  }

  /** The editor a command that only reads the selection works in (editorToRead). */
  private editorToRead(): vscode.TextEditor | undefined {
    return editorToRead(vscode.window.activeTextEditor, this.lastEditor.editor, EDITOR_FACTS);
  }

  private async askPrompt(title: string, placeHolder: string, presets: readonly { label: string; prompt: string }[] = []): Promise<string | undefined> {
    const recent = this.memento.get<string[]>(RECENT_PROMPTS_KEY, []);
    type Item = vscode.QuickPickItem & { prompt?: string };
    const qp = vscode.window.createQuickPick<Item>();
    qp.title = title;
    qp.placeholder = `${placeHolder} — type a prompt and press Enter`;
    qp.ignoreFocusOut = true;
    const base: Item[] = [
      ...presets.map((p) => ({ label: p.label, prompt: p.prompt })),
      ...(recent.length ? [{ label: 'Recent', kind: vscode.QuickPickItemKind.Separator } as Item] : []),
      ...recent.map((r) => ({ label: `$(history) ${r.slice(0, 100)}`, prompt: r })),
    ];
    qp.items = base;
    qp.onDidChangeValue((v) => {
      qp.items = v.trim() ? [{ label: v, description: 'Use this prompt', prompt: v, alwaysShow: true }, ...base] : base;
    });
    try {
      return await new Promise<string | undefined>((resolve) => {
        qp.onDidAccept(() => {
          const picked = qp.selectedItems[0]?.prompt ?? (qp.value.trim() || undefined);
          resolve(picked);
          qp.hide();
        });
        qp.onDidHide(() => resolve(undefined));
        qp.show();
      });
    } finally {
      qp.dispose();
    }
  }

  /** Keeps a prompt the user gave among the recent ones; never a prompt built from code (a fix's holds source lines). */
  private remember(prompt: string): void {
    const recent = this.memento.get<string[]>(RECENT_PROMPTS_KEY, []).filter((p) => p !== prompt);
    recent.unshift(prompt);
    void this.memento.update(RECENT_PROMPTS_KEY, recent.slice(0, MAX_RECENT)).then(undefined, (err: unknown) => this.log.warn(`Could not save recent prompts: ${errorMessage(err)}`));
  }
}

/**
 * The target a fix goes to: the window's, or — a fix that shows lines around the window, the whole file, or only the
 * definition of the window's it gives back (widened) — the window grown (or shrunk) by those lines, as the document was
 * when the fix was asked (`outside` around the window's text), found again as the window would be if the document
 * changed since.
 */
function widenedTarget(target: EditTarget, widened: FixFromAnswer['widened'], outside: AroundWindow): EditTarget {
  if (!widened) return target;
  const { start, end } = target.range;
  const lastLine = widened.text.slice(widened.text.lastIndexOf('\n') + 1).replace(/\r$/, '');
  const range = new vscode.Range(start.line - widened.linesBefore, 0, end.line + widened.linesAfter, widened.linesAfter !== 0 ? lastLine.length : end.character);
  const atRequest = outside.before + target.text + outside.after;
  const narrowed = { ...target, range, text: widened.text, wholeLines: true, uniqueAtRequest: occursOnce(atRequest, widened.text) };
  if (widened.linesBefore >= 0 && widened.linesAfter >= 0) return narrowed;
  // Only part of the lines asked for (one definition of theirs): found again, after an edit, as a part of those lines
  // (with the lines it was widened by), whose text is more likely once in the document than one definition's.
  const parts = atRequest.split(/(\r?\n)/);
  const from = Math.min(start.line, start.line - widened.linesBefore);
  const to = Math.max(end.line, end.line + widened.linesAfter);
  const text = parts.slice(2 * from, 2 * to + 1).join('');
  const narrowedFrom = { text, uniqueAtRequest: occursOnce(atRequest, text), linesBefore: Math.max(0, -widened.linesBefore), linesAfter: Math.max(0, -widened.linesAfter) };
  return { ...narrowed, narrowedFrom };
}

/** A prompt's title, naming the selection the command works on when other selections are ignored (ignoredSelectionsNote). */
function titleFor(command: string, chosen: ChosenSelection<vscode.Selection> | undefined): string {
  const note = chosen ? ignoredSelectionsNote(chosen) : undefined;
  return note ? `${command} — ${note}` : command;
}

/**
 * Whether a command that sends the selected code does nothing because it is too long to send (`sent`: the selection as
 * sent, describeSelection's): if so, says why and what to do.
 */
function refusedSelection(sent: string, command: string): boolean {
  const problem = selectionProblem(sent.length, command);
  if (problem === undefined) return false;
  void vscode.window.showWarningMessage(`Contexten: ${problem}`);
  return true;
}

/**
 * Whether a command that edits does nothing because the active editor is read-only (or a notebook cell): if so, says
 * why and what to do instead.
 */
function refusedReadOnly(choice: EditChoice<vscode.TextEditor>, command: string): boolean {
  if (!('problem' in choice) || choice.problem !== 'readOnly') return false;
  const { uri } = choice.readOnly.document;
  void vscode.window.showInformationMessage(readOnlyMessage(command, uri, markedReadOnly(uri)));
  return true;
}
