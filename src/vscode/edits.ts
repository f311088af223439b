import { statSync } from 'node:fs';
import * as vscode from 'vscode';
import { indentForInsertion, type IndentStyle, type LineEnd, withLineEnds } from '../core/generation/codeIndent';
import { type ImportPlacement, placeImports } from '../core/generation/fixImports';
import { isLexedLanguage } from '../core/generation/lexedLines';
import { followChanges, locateOriginal, occursOnce, spansWholeLines, type AnchorProblem } from '../core/generation/textAnchor';
import { afterDiffQuestion, type DiffQuestionEnd, lateDiffAnswer } from './diffQuestion';
import { columnFor, type EditorFacts, needsReveal, type TabShows } from './editorChoice';
import { Disposable } from './lifecycle';
import { selectionToUse } from './selectionChoice';
import { lockedByMode, readOnlyBySettings } from './readOnlyFiles';

/** Where generated code should go: the editor and selection the request came from. */
export interface EditTarget {
  uri: vscode.Uri;
  range: vscode.Range;
  /** Document version when the request was made; a later version means the user edited meanwhile. */
  version: number;
  /** The range's text when the request was made: found again in the document if it changed meanwhile. */
  text: string;
  /** Whether the range was whole lines, and its text in the document once, when the request was made (anchorOf). */
  wholeLines: boolean;
  uniqueAtRequest: boolean;
  /**
   * The range is lines of a larger one, `text`, looked for first when the document changed (wholeLines, once in the
   * document at the request: `uniqueAtRequest`), less its first `linesBefore` and last `linesAfter` lines: a fix that
   * replaces one definition of the lines asked for, whose text (an identical `def __str__` in two classes) may be in
   * the document twice where the lines asked for are not. Those lines no longer there once (another of their
   * definitions edited meanwhile), the range's own text is looked for, as for any target (whereNow).
   */
  narrowedFrom?: { readonly text: string; readonly uniqueAtRequest: boolean; readonly linesBefore: number; readonly linesAfter: number };
  /** The cursor, for an editor's selection: its active end, which is its start when selected upwards. */
  cursor?: vscode.Position;
  /** The editor column the document is shown in (columnFor): diffs and the edited file open there, not over the results panel. */
  viewColumn?: vscode.ViewColumn;
  /** How the editor indents, for an editor's selection: inserted code is indented so (indentForInsertion). */
  indent?: IndentStyle;
}

export const PROPOSED_SCHEME = 'contexten-proposed';

/**
 * Where code for an editor goes: `selection`, by default the editor's selection — the first that selects code
 * (selectionToUse: with several cursors the primary one may select nothing), else the primary one (the cursor).
 */
export function targetFromEditor(editor: vscode.TextEditor, selection: vscode.Selection = selectionToUse(editor.selections)?.selection ?? editor.selection): EditTarget {
  const doc = editor.document;
  const indent = indentStyleOf(editor.options);
  return { uri: doc.uri, range: selection, cursor: selection.active, version: doc.version, ...anchorOf(doc, selection), viewColumn: columnOf(doc.uri, editor.viewColumn), ...(indent ? { indent } : {}) };
}

/** An editor's indentation, once VS Code resolved it (its options say 'auto' only while being set). */
function indentStyleOf(options: vscode.TextEditorOptions): IndentStyle | undefined {
  const { insertSpaces, tabSize } = options;
  return typeof insertSpaces === 'boolean' && typeof tabSize === 'number' ? { insertSpaces, tabSize } : undefined;
}

/** The column a document's diff and edited file open in: its editor's, else one its tabs are in (columnFor). */
export function columnOf(uri: vscode.Uri, editorColumn: vscode.ViewColumn | undefined): vscode.ViewColumn {
  return columnFor(uri.toString(), editorColumn, shownTabs());
}

/** What finds a range again after the document changed: its text, whether it was whole lines, whether it was there once. */
export function anchorOf(doc: vscode.TextDocument, range: vscode.Range): Pick<EditTarget, 'text' | 'wholeLines' | 'uniqueAtRequest'> {
  const text = doc.getText(range);
  const wholeLines = spansWholeLines({ startCharacter: range.start.character, endCharacter: range.end.character, endLineLength: doc.lineAt(range.end.line).text.length, empty: range.isEmpty });
  return { text, wholeLines, uniqueAtRequest: occursOnce(doc.getText(), text) };
}

/**
 * Whether generated code may go into this editor: a document of a writable file system, or an untitled
 * one. Not the read-only documents of virtual schemes: the proposal side of our own diff, the context
 * preview, output channels — the user may have clicked into one of them last. Nor a file the settings make
 * read-only (markedReadOnly).
 */
export function isEditTargetEditor(editor: vscode.TextEditor): boolean {
  const { uri, isClosed } = editor.document;
  return !isClosed && (uri.scheme === 'untitled' || (vscode.workspace.fs.isWritableFileSystem(uri.scheme) === true && !markedReadOnly(uri)));
}

/** Whether paths are matched without regard to case, as VS Code matches them for files of this platform. */
const PATHS_IGNORE_CASE = process.platform === 'win32' || process.platform === 'darwin';

/**
 * Whether the user's settings make a file read-only: `files.readonlyInclude` (less `files.readonlyExclude`), or
 * `files.readonlyFromPermissions` and no write permission. (A file made read-only for the session from the editor's
 * title menu is not known to extensions.)
 */
export function markedReadOnly(uri: vscode.Uri): boolean {
  const files = vscode.workspace.getConfiguration('files', uri);
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  const relative = folder && uri.path.startsWith(`${folder.uri.path.replace(/\/$/, '')}/`) ? uri.path.slice(folder.uri.path.replace(/\/$/, '').length + 1) : undefined;
  if (readOnlyBySettings({ relative, absolute: uri.scheme === 'file' ? uri.fsPath : uri.path }, files.get('readonlyInclude'), files.get('readonlyExclude'), PATHS_IGNORE_CASE)) return true;
  if (files.get('readonlyFromPermissions') !== true || uri.scheme !== 'file') return false;
  // As VS Code judges it (its disk provider locks a file whose owner may not write it), not as the OS would answer this
  // process: root may write a 0444 file VS Code shows locked.
  try {
    return lockedByMode(statSync(uri.fsPath).mode);
  } catch {
    return false;
  }
}

/** What editorChoice's rules know of an editor. */
export const EDITOR_FACTS: EditorFacts<vscode.TextEditor> = { canEdit: isEditTargetEditor, uri: (editor) => editor.document.uri.toString() };

/** What the editor area's tabs show, as editorChoice's rules see it (text tabs and diffs; others show no document). */
export function shownTabs(): TabShows[] {
  const shown: TabShows[] = [];
  for (const group of vscode.window.tabGroups.all) {
    for (const { input, isActive: active } of group.tabs) {
      const column = group.viewColumn;
      if (input instanceof vscode.TabInputText) shown.push({ kind: 'text', uri: input.uri.toString(), column, active });
      else if (input instanceof vscode.TabInputTextDiff) shown.push({ kind: 'diff', original: input.original.toString(), modified: input.modified.toString(), column, active });
    }
  }
  return shown;
}

/**
 * Applies generated code through WorkspaceEdit (one undo step each) and shows proposed changes as a
 * diff against a virtual document before applying them.
 */
export class CodeEdits extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly proposals = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private counter = 0;
  /**
   * The Show Diffs of each document (by its URI's text), shown or waiting to be: the end of the last one's turn. One is
   * shown at a time — two Fix with Context answers for two errors of a file, come together — and the next once the one
   * before is applied or discarded, against the document as it is then: its lines followed from its answer's arrival
   * (whenItsTurn), so it is shown where they moved to, and not at all when the change before it (or an edit) touched
   * them — nothing of it goes over text newer than the text it was made for.
   */
  private readonly diffTurns = new Map<string, Promise<void>>();

  constructor() {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(PROPOSED_SCHEME, this));
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.proposals.get(uri.toString()) ?? '';
  }

  /**
   * Inserts at the target's cursor (the active end of its selection), without replacing the selection; then shows the
   * document. A target of an earlier version of the document (a request's, when no editor can be edited now) is found
   * again first (whereNow): its old position may now be inside other text.
   */
  async insertAtCursor(target: EditTarget, code: string): Promise<boolean> {
    const doc = await vscode.workspace.openTextDocument(target.uri);
    const range = whereNow(doc, target);
    if (!(range instanceof vscode.Range)) return this.notApplied(nameOf(target.uri), code, range.problem);
    // (The cursor is the selection's start when it was selected upwards.)
    const at = target.cursor && positionsEqual(target.cursor, target.range.start) ? range.start : range.end;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(target.uri, at, fitted(doc, at, code, target.indent));
    return (await this.apply(edit, target.uri)) && (await this.reveal(target));
  }

  /**
   * Replaces the target's range (found again when the document changed: whereNow); then shows the document. Not a bare
   * cursor: replacing nothing would insert the code and keep what it was meant to replace — the user clicked into the
   * editor while the answer came, say — so the user is asked to select the code, or use Insert.
   */
  async replaceSelection(target: EditTarget, code: string): Promise<boolean> {
    const name = nameOf(target.uri);
    if (target.range.isEmpty) {
      void vscode.window.showInformationMessage(`Contexten: nothing is selected in ${name}, so there is nothing to replace. Select the code to replace and try again, or use Insert to add the code at the cursor.`);
      return false;
    }
    const doc = await vscode.workspace.openTextDocument(target.uri);
    const range = whereNow(doc, target);
    if (!(range instanceof vscode.Range)) return this.notApplied(name, code, range.problem);
    return (await this.replaceRange(doc, { ...target, range }, code)) && (await this.reveal(target));
  }

  /**
   * Opens vscode.diff between the document and the document with the target's text replaced by `code` (made again as
   * the document is edited while the diff is open), then asks whether to apply. Returns true when applied. If the document changed since the request (during
   * generation, or while the diff was open), the target's text is found again; when it is gone or there
   * more than once nothing is applied, and the user is told so and offered the code. `imports` (a fix's: the answer's
   * import statements beside the fix) go into the file's import section in the same diff and edit (placeImports); those
   * that cannot are named in the question, for the user to add. A document's diffs are shown one at a time (diffTurns):
   * one asked for while another of the document is open waits for it to be applied or discarded.
   */
  async showDiffThenApply(target: EditTarget, code: string, title = 'Generated change', imports: readonly string[] = []): Promise<boolean> {
    const name = nameOf(target.uri);
    // (Taken before any wait: the diffs of a document are shown in the order their answers came.)
    const turn = this.diffTurn(target.uri);
    let outcome: boolean | { problem: NotAppliedWhy };
    try {
      const now = await this.whenItsTurn(target, turn);
      outcome = 'problem' in now ? now : await this.diffThenApply(now.target, code, title, imports);
    } finally {
      turn.done();
    }
    // (Said once its turn is over: the next diff does not wait for this warning's Copy Code, which may never be answered.)
    return typeof outcome === 'boolean' ? outcome : this.notApplied(name, code, outcome.problem, imports);
  }

  /**
   * A place in the order of a document's diffs (diffTurns): `ready` once every diff taken before it is applied or
   * discarded (none: at once; `waits` says whether there was one), `done` to let the next one be shown.
   */
  private diffTurn(uri: vscode.Uri): { readonly waits: boolean; readonly ready: Promise<void>; done(): void } {
    const key = uri.toString();
    const before = this.diffTurns.get(key);
    let end: () => void = () => undefined;
    const ended = new Promise<void>((resolve) => (end = resolve));
    const last = before ? before.then(() => ended) : ended;
    this.diffTurns.set(key, last);
    return {
      waits: before !== undefined,
      ready: before ?? Promise.resolve(),
      done: () => {
        end();
        if (this.diffTurns.get(key) === last) this.diffTurns.delete(key);
      },
    };
  }

  /**
   * The target as it is when its diff's turn comes. Waiting for another diff of the document, its range is followed
   * through the changes made meanwhile (followChanges): the diff before it applied moves it, or touches it — then it is
   * not shown ('changedWhileWaiting'), and not searched for by its text either, which may now be part of the code that
   * change put in (a function the change before documented). Its lines not found (whereNow) are said at once.
   */
  private async whenItsTurn(target: EditTarget, turn: { readonly waits: boolean; readonly ready: Promise<void> }): Promise<{ target: EditTarget } | { problem: NotAppliedWhy }> {
    const doc = await vscode.workspace.openTextDocument(target.uri);
    const range = whereNow(doc, target);
    if (!(range instanceof vscode.Range)) return range;
    if (!turn.waits) return { target };
    const follow = followRange(doc, range);
    void vscode.window.showInformationMessage(`Contexten: another proposed change to ${nameOf(target.uri)} is open; this one is shown when you apply or discard that one.`);
    try {
      await turn.ready;
    } finally {
      follow.dispose();
    }
    const followed = follow.now();
    if (followed === 'touched') return { problem: 'changedWhileWaiting' };
    const current = await vscode.workspace.openTextDocument(target.uri);
    const now = rangeOf(current, followed);
    return { target: { ...target, range: now, version: current.version, text: current.getText(now) } };
  }

  /** showDiffThenApply in its turn: the diff of `target`, the question, the edit; why nothing was applied, to be said. */
  private async diffThenApply(target: EditTarget, code: string, title: string, imports: readonly string[]): Promise<boolean | { problem: NotAppliedWhy }> {
    const name = nameOf(target.uri);
    const doc = await vscode.workspace.openTextDocument(target.uri);
    const range = whereNow(doc, target);
    if (!(range instanceof vscode.Range)) return range;
    const shownVersion = doc.version;
    const { proposed, shown } = proposalFor(doc, range, code, imports, target.indent);
    // Nothing to change — the answer gave the code back as it was, and any imports it proposed the file has or cannot
    // take surely: said so, not shown as a diff without a difference to apply.
    if (proposed === doc.getText()) {
      const left = shown.unplaced.length > 0 ? ` The answer ${leftOutNote(shown.unplaced)}` : '';
      void vscode.window.showInformationMessage(`Contexten: the proposed change leaves ${name} as it is, so there is nothing to apply.${left}`);
      return false;
    }
    const id = ++this.counter;
    const proposedUri = vscode.Uri.from({ scheme: PROPOSED_SCHEME, path: `/${id}/${name}` });
    const proposedKey = proposedUri.toString();
    // The range is followed through the edits made while the diff is open (followRange): a bare cursor, which its
    // text (none) cannot find again, too. An edit in it leaves finding its text again (whereNow).
    const rangeNow = (current: vscode.TextDocument): vscode.Range | { problem: AnchorProblem } => {
      const followed = follow.now();
      if (current.version === shownVersion) return range;
      return followed !== 'touched' ? rangeOf(current, followed) : whereNow(current, target);
    };
    // The diff's document side is the document itself, live; its proposed side is made again at each edit, so the diff
    // shows what Apply would do now — not the user's edits undone by a snapshot taken when it opened. Where Apply would
    // apply nothing (the lines edited), it shows no change.
    const follow = followRange(doc, range, (edited) => {
      if (!this.proposals.has(proposedKey)) return;
      const at = rangeNow(edited);
      this.proposals.set(proposedKey, at instanceof vscode.Range ? proposalFor(edited, at, code, imports, target.indent).proposed : edited.getText());
      this.changed.fire(proposedUri);
    });
    // The diff's tab closed (and no other tab shows it: one split off or moved to another group is opened before the
    // one left is closed) is a Discard: VS Code keeps the question's promise pending until a button is clicked or the
    // notification dismissed — a user who only closes the diff would otherwise hold the file's next diff back forever.
    const showsThisDiff = (input: unknown): boolean => input instanceof vscode.TabInputTextDiff && input.modified.toString() === proposedKey;
    // (Followed until the answer's edit is made, not only while the diff is open: the file may be edited between the
    // answer and the edit, and the range's offsets must follow that too — or the change would go in at old offsets.)
    try {
      let tabClosed: () => void = () => undefined;
      const closed = new Promise<'tabClosed'>((resolve) => (tabClosed = () => resolve('tabClosed')));
      const watchingTabs = vscode.window.tabGroups.onDidChangeTabs((e) => {
        if (e.closed.some((tab) => showsThisDiff(tab.input)) && !vscode.window.tabGroups.all.some((group) => group.tabs.some((tab) => showsThisDiff(tab.input)))) tabClosed();
      });
      this.proposals.set(proposedKey, proposed);
      this.changed.fire(proposedUri);
      let end: DiffQuestionEnd;
      try {
        // (Not a preview tab: a file opened with a single click would take its place, which now discards the diff.)
        await vscode.commands.executeCommand('vscode.diff', target.uri, proposedUri, `${name} ↔ ${title} (proposed)`, {
          preview: false,
          ...(target.viewColumn ? { viewColumn: target.viewColumn } : {}),
        });
        const question = vscode.window.showInformationMessage(`Contexten: apply the proposed change to ${name}${importsNote(shown)}`, 'Apply', 'Discard');
        end = await Promise.race([question.then((pick) => ({ pick })), closed]);
        // (The question's late answer, after the tab closed: an Apply is told the change was already discarded. Said
        // outside the turn, which is over: the next diff of the file may be open by then.)
        if (end === 'tabClosed') {
          void question.then((late) => {
            if (lateDiffAnswer(late) === 'sayDiscarded') void this.notApplied(name, code, 'diffClosed', imports);
          });
        }
      } finally {
        watchingTabs.dispose();
        this.proposals.delete(proposedKey);
      }
      const { apply, closeDiff } = afterDiffQuestion(end);
      let applied: { at: vscode.Position } | { problem: NotAppliedWhy } | false = false;
      try {
        if (apply) applied = await this.applyFollowed(target, code, imports, rangeNow);
      } finally {
        // (Closed once the edit is made, and not waited for: the close is a round trip to the window, which may be slow
        // or fail — the edit must not wait for it, nor the file's next diff. The diff's tabs, answered, would otherwise
        // stay open on a proposal no longer made again. A tab that cannot be closed is left; the answer still counts.)
        if (closeDiff) closeTabsShowing(showsThisDiff);
      }
      if (applied === false || 'problem' in applied) return applied;
      await vscode.window.showTextDocument(target.uri, {
        selection: new vscode.Range(applied.at, applied.at),
        ...(target.viewColumn ? { viewColumn: target.viewColumn } : {}),
      });
      return true;
    } finally {
      follow.dispose();
    }
  }

  /**
   * Apply's edit: the change put where the range is now (rangeNow, the range still followed), in the document opened
   * once, the edit made from that same text without another wait between (VS Code refuses an edit of a document
   * whose version changed after it was made). Where it went, or why nothing was applied (false: the edit failed, said).
   */
  private async applyFollowed(target: EditTarget, code: string, imports: readonly string[], rangeNow: (current: vscode.TextDocument) => vscode.Range | { problem: AnchorProblem }): Promise<{ at: vscode.Position } | { problem: NotAppliedWhy } | false> {
    // The user may have edited while the diff was open, or since it was answered.
    const current = await vscode.workspace.openTextDocument(target.uri);
    const applyTo = rangeNow(current);
    if (!(applyTo instanceof vscode.Range)) return applyTo;
    // (Placed again in the text as it is now: the user may have edited the imports while the diff was open.)
    const placed = withImports(current, applyTo, code, imports);
    return (await this.replaceRange(current, { ...target, range: applyTo }, placed.code, placed.insert)) ? { at: applyTo.start } : false;
  }

  /**
   * The document changed and the target's text is not there once: nothing is applied, and nothing is lost — Copy Code
   * copies a fix's `imports` too, above its code (the fix alone would leave the "Cannot find name" it was for).
   */
  private async notApplied(name: string, code: string, problem: NotAppliedWhy, imports: readonly string[] = []): Promise<false> {
    const why =
      problem === 'missing'
        ? `${name} changed after the request and the lines the code was made for were changed or removed`
        : problem === 'ambiguous'
          ? `${name} changed after the request and the lines the code was made for are there more than once (which one it was cannot be told)`
          : problem === 'empty'
            ? `${name} changed after the request and the place of the cursor (no code was selected) was edited, so where it is now cannot be told`
            : problem === 'diffClosed'
              ? `the proposed change to ${name} was already discarded (its diff was closed before Apply was clicked)`
              : `the proposed change to ${name} shown before this one was applied (or the file was edited) and changed the lines this one was made for`;
    const pick = await vscode.window.showWarningMessage(`Contexten: ${why}, so nothing was applied. The code stays in the results panel.`, 'Copy Code');
    if (pick === 'Copy Code') {
      await vscode.env.clipboard.writeText(imports.length > 0 ? `${imports.join('\n')}\n\n${code}` : code);
      vscode.window.setStatusBarMessage('$(check) Contexten: code copied', 3000);
    }
    return false;
  }

  /**
   * Replaces the target's range of `doc` with `code`, and puts `insert` (a fix's imports, outside the range) in the same
   * edit; made from `doc`'s text as it is now (no wait between finding the range and the edit, for the text to change in).
   */
  private async replaceRange(doc: vscode.TextDocument, target: EditTarget, code: string, insert?: ImportPlacement['insert']): Promise<boolean> {
    const edit = new vscode.WorkspaceEdit();
    const text = replacement(doc, target.range, code, target.indent);
    // (A fix that keeps the lines as they are and only adds imports: those lines are left alone, not replaced by themselves.)
    if (text !== doc.getText(target.range)) edit.replace(target.uri, target.range, text);
    if (insert) edit.replace(target.uri, new vscode.Range(doc.positionAt(insert.offset), doc.positionAt(insert.offset + (insert.replaces ?? 0))), insert.text);
    return this.apply(edit, target.uri);
  }

  /**
   * Shows an edited document that is shown nowhere visible (needsReveal: not when a diff's tab has it as its editable
   * side) in the target's column (the first without one: not over the results panel), the focus left where it is: an
   * edit must not go unseen into a document whose editor was closed meanwhile (VS Code keeps such documents open for a while).
   */
  private async reveal(target: EditTarget): Promise<true> {
    const uri = target.uri.toString();
    const visible = vscode.window.visibleTextEditors.map((e) => e.document.uri.toString());
    if (needsReveal(uri, visible, shownTabs())) await vscode.window.showTextDocument(target.uri, { preserveFocus: true, viewColumn: target.viewColumn ?? vscode.ViewColumn.One });
    return true;
  }

  private async apply(edit: vscode.WorkspaceEdit, uri: vscode.Uri): Promise<boolean> {
    // (VS Code applies a WorkspaceEdit to a file its settings make read-only: the text changes and cannot be saved.)
    if (markedReadOnly(uri)) {
      const name = uri.path.split('/').pop() ?? uri.path;
      void vscode.window.showInformationMessage(`Contexten: ${name} is read-only in your settings (files.readonlyInclude or files.readonlyFromPermissions), so the code was not put there. It stays in the results panel.`);
      return false;
    }
    const ok = await vscode.workspace.applyEdit(edit);
    if (!ok) void vscode.window.showErrorMessage(`Contexten: could not edit ${uri.fsPath} (is it read-only or closed?).`);
    return ok;
  }
}

/**
 * Why code was not applied: its target not found again (AnchorProblem), or — a diff waiting for another of its document —
 * its lines changed while it waited (by the change shown before it, or an edit); or its diff's tab was closed, taken as
 * a Discard, before the question's Apply was clicked ('diffClosed').
 */
type NotAppliedWhy = AnchorProblem | 'changedWhileWaiting' | 'diffClosed';

/**
 * `range` of `doc` followed through the document's edits (followChanges) until disposed: its offsets now, or 'touched'
 * once an edit reached into it; `onEdit` after each edit, the range followed first.
 */
function followRange(doc: vscode.TextDocument, range: vscode.Range, onEdit?: (edited: vscode.TextDocument) => void): { now(): ReturnType<typeof followChanges>; dispose(): void } {
  const key = doc.uri.toString();
  let now: ReturnType<typeof followChanges> = { start: doc.offsetAt(range.start), end: doc.offsetAt(range.end) };
  const listener = vscode.workspace.onDidChangeTextDocument((e) => {
    if (e.document.uri.toString() !== key || e.contentChanges.length === 0) return;
    if (now !== 'touched') now = followChanges(now, e.contentChanges);
    onEdit?.(e.document);
  });
  return { now: () => now, dispose: () => listener.dispose() };
}

/**
 * Closes the tabs of the editor area whose input `shows`, without waiting for the window: a close that fails, or ends
 * late, leaves them open, and nothing waits for it.
 */
function closeTabsShowing(shows: (input: unknown) => boolean): void {
  const tabs = vscode.window.tabGroups.all.flatMap((group) => group.tabs.filter((tab) => shows(tab.input)));
  if (tabs.length === 0) return;
  try {
    vscode.window.tabGroups.close(tabs, true).then(undefined, () => undefined);
  } catch {
    // (Left open: the answer still counts.)
  }
}

/** The range of offsets `span` in `doc`. */
function rangeOf(doc: vscode.TextDocument, span: { readonly start: number; readonly end: number }): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}

/**
 * The target's range in the document as it is now: the same range while the document is unchanged, else
 * where the target's text is found again (once), or why it is not. A target narrowed from larger lines (narrowedFrom:
 * one definition of the lines a fix was asked for) is found first as those lines' part — its own text may be in the
 * document twice (an identical method in two classes) where theirs is not —, and by its own text when those lines are
 * no longer there once (another of their definitions edited meanwhile: no edit of the target's).
 */
function whereNow(doc: vscode.TextDocument, target: EditTarget): vscode.Range | { problem: AnchorProblem } {
  if (doc.version === target.version && doc.getText(target.range) === target.text) return target.range;
  const outer = target.narrowedFrom;
  if (outer !== undefined) {
    const around = locateOriginal(doc.getText(), outer.text, { wholeLines: true, uniqueAtRequest: outer.uniqueAtRequest });
    if ('start' in around) {
      const found = rangeOf(doc, around);
      const endLine = found.end.line - outer.linesAfter;
      const range = new vscode.Range(found.start.line + outer.linesBefore, 0, endLine, outer.linesAfter > 0 ? doc.lineAt(endLine).text.length : found.end.character);
      if (doc.getText(range).replaceAll('\r\n', '\n') === target.text.replaceAll('\r\n', '\n')) return range;
    }
  }
  const at = locateOriginal(doc.getText(), target.text, target);
  return 'start' in at ? rangeOf(doc, at) : at;
}

/**
 * The document's text with `range` replaced by `code` (fitted to it: replacement) and a fix's `imports` placed (before
 * or after the replaced lines, never among them: placeImports; they may replace text of their own — a Go import
 * group's lines, given back with the new imports among them); `shown`, what was placed and what was left out.
 */
function proposalFor(doc: vscode.TextDocument, range: vscode.Range, code: string, imports: readonly string[], indent: IndentStyle | undefined): { proposed: string; shown: ImportPlacement } {
  const before = doc.getText();
  const shown = withImports(doc, range, code, imports);
  const replaced = before.slice(0, doc.offsetAt(range.start)) + replacement(doc, range, shown.code, indent) + before.slice(doc.offsetAt(range.end));
  const insertAt = shown.insert ? shown.insert.offset + (shown.insert.offset > doc.offsetAt(range.start) ? replaced.length - before.length : 0) : 0;
  const proposed = shown.insert ? replaced.slice(0, insertAt) + shown.insert.text + replaced.slice(insertAt + (shown.insert.replaces ?? 0)) : replaced;
  return { proposed, shown };
}

/** A fix's code with its imports placed in the document (placeImports); the code alone without imports. */
function withImports(doc: vscode.TextDocument, range: vscode.Range, code: string, imports: readonly string[]): ImportPlacement {
  if (imports.length === 0) return { code, added: [], unplaced: [] };
  return placeImports(doc.getText(), { startLine: range.start.line, endLine: range.end.line, text: doc.getText(range) }, code, imports, doc.languageId);
}

/** The rest of the apply question: the imports the change adds, and those the answer proposed that it leaves to the user. */
function importsNote(placed: ImportPlacement): string {
  const list = (statements: readonly string[]): string => statements.map((s) => s.replace(/\s+/g, ' ')).join('; ');
  const adds = placed.added.length > 0 ? ` (with the import${placed.added.length > 1 ? 's' : ''} the answer proposed: ${list(placed.added)})` : '';
  const left = placed.unplaced.length > 0 ? ` The answer also ${leftOutNote(placed.unplaced)}` : '';
  return `${adds}?${left}`;
}

/** The imports an answer proposed that its change leaves out, as the user is told of them (to add by hand). */
function leftOutNote(unplaced: readonly string[]): string {
  const list = unplaced.map((s) => s.replace(/\s+/g, ' ')).join('; ');
  return `proposed ${unplaced.length > 1 ? 'imports' : 'an import'} this change leaves out (the file imports that module already, or has no place for it sure to be right); add it yourself if needed: ${list}`;
}

/** A document's file name, as messages name it. */
function nameOf(uri: vscode.Uri): string {
  return uri.path.split('/').pop() ?? 'file';
}

function positionsEqual(a: vscode.Position, b: vscode.Position): boolean {
  return a.line === b.line && a.character === b.character;
}

/**
 * The text that replaces `range`: `code` fitted to the document (fitted), but the range's own text when `code` is
 * exactly that — a fix that keeps the lines as they are, its imports the whole change (fixFromAnswer), whose
 * re-indentation in the editor's style would change lines the answer left alone.
 */
function replacement(doc: vscode.TextDocument, range: vscode.Range, code: string, indent: IndentStyle | undefined): string {
  return code === doc.getText(range) ? code : fitted(doc, range.start, code, indent, range.end);
}

/**
 * Code as it goes into `doc` from `start` to `end` (by default, inserted at `start`): its line break fitted to what
 * follows (fitToLineEnd), its lines indented as the line's (indentForInsertion; code in place of whole lines — a fix's
 * window, a selection from column 1 — with the indentation the model left off them given back, in the document's tabs
 * or spaces; its strings read after the document's text before `start`) and ending as the document's (a model's LF code in a CRLF document: the diff and the file get CRLF lines,
 * not lines of both kinds).
 */
function fitted(doc: vscode.TextDocument, start: vscode.Position, code: string, indent: IndentStyle | undefined, end: vscode.Position = start): string {
  const replaced = positionsEqual(start, end) ? '' : doc.getText(new vscode.Range(start, end));
  const lineStart = doc.lineAt(start.line).text.slice(0, start.character);
  // (The document before the code, read where the lexer could tell from it whether the code starts inside a string:
  // this runs at every edit of a document while its diff is open.)
  const documentBefore = isLexedLanguage(doc.languageId) ? doc.getText(new vscode.Range(new vscode.Position(0, 0), start)).replace(/\r\n/g, '\n') : '';
  return withLineEnds(indentForInsertion(fitToLineEnd(code, end).replace(/\r\n/g, '\n'), lineStart, indent, replaced.replace(/\r\n/g, '\n'), doc.languageId, documentBefore), lineEndOf(doc));
}

/** How a document's lines end, as core code takes it. */
export function lineEndOf(doc: vscode.TextDocument): LineEnd {
  return doc.eol === vscode.EndOfLine.CRLF ? '\r\n' : '\n';
}

/**
 * A code block ends with a line break. Where the edit ends at the start of a line (a whole-line selection,
 * the cursor in column 1) the break keeps the following text on its own line; anywhere else it would
 * push that text down and leave a blank line, so it is dropped.
 */
function fitToLineEnd(code: string, end: vscode.Position): string {
  return end.character === 0 ? code : code.replace(/\r?\n$/, '');
}
