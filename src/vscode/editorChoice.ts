// Which editor a command works in, decided without the vscode API (the glue passes its editors in, what it knows of
// them, and which documents tabs show), so that the rules are tested in plain Node.

/** What the rules need to know of an editor. */
export interface EditorFacts<E> {
  /** Whether code can go into it (a writable file system, or untitled). */
  canEdit(editor: E): boolean;
  /** Its document's URI, as a string. */
  uri(editor: E): string;
}

/** A URI's scheme: what comes before its first colon. */
export function schemeOf(uri: string): string {
  const colon = uri.indexOf(':');
  return colon < 0 ? '' : uri.slice(0, colon);
}

/**
 * Whether an editor is a panel's rather than a document's: the Output panel's (an output channel, scheme `output`)
 * is VS Code's active text editor while that panel has focus. (The Terminal, Debug Console and Problems panels are not
 * text editors; a `debug:` document — a source the debugger sends — is a document in the editor area.) Such an editor
 * counts as none: a command works in the last file's, as with any other panel focused.
 */
export function isPanelEditor(uri: string): boolean {
  return schemeOf(uri) === 'output';
}

/** The editor a command that edits works in, or why there is none. */
export type EditChoice<E> = { readonly editor: E } | { readonly problem: 'noEditor' } | { readonly problem: 'readOnly'; readonly readOnly: E };

/**
 * The editor a command that edits works in: the active one when code can go there. A read-only active editor (a
 * `git:` HEAD view, an extension's virtual document) is the problem, never passed over for another file's editor.
 * With no active text editor (the results panel or another panel has focus, the Output panel's included), the last
 * editor code could go to, if its document is still shown.
 */
export function editorToEdit<E>(active: E | undefined, last: E | undefined, facts: EditorFacts<E>): EditChoice<E> {
  if (active !== undefined && !isPanelEditor(facts.uri(active))) return facts.canEdit(active) ? { editor: active } : { problem: 'readOnly', readOnly: active };
  if (last !== undefined && facts.canEdit(last)) return { editor: last };
  return { problem: 'noEditor' };
}

/**
 * The editor a command that only reads the selection works in: the active one, read-only or not (reading is fine
 * there), but not the Output panel's; else the last editor code could go to, if its document is still shown.
 */
export function editorToRead<E>(active: E | undefined, last: E | undefined, facts: EditorFacts<E>): E | undefined {
  if (active !== undefined && !isPanelEditor(facts.uri(active))) return active;
  return last !== undefined && facts.canEdit(last) ? last : undefined;
}

/**
 * A tab of the editor area as the rules see it: a text editor's (its document), or a diff's (its two sides); the
 * column of its group, and whether it is the group's active tab (the one the group shows).
 */
export type TabShows = ({ readonly kind: 'text'; readonly uri: string } | { readonly kind: 'diff'; readonly original: string; readonly modified: string }) & {
  readonly column: number;
  readonly active: boolean;
};

/** The documents the tabs show where code could go: a text tab's, a diff's modified (editable) side. */
export function documentsInTabs(tabs: readonly TabShows[]): Set<string> {
  return new Set(tabs.map((t) => (t.kind === 'text' ? t.uri : t.modified)));
}

/**
 * Whether an edited document must be brought into view (an edit must not go unseen into a document whose tab was
 * closed — VS Code keeps such documents open for a while): not when a visible editor shows it, nor when a diff's tab
 * shows it as its modified side — opening it would put the plain file over (or in place of) the diff the user works in.
 */
export function needsReveal(uri: string, visible: readonly string[], tabs: readonly TabShows[]): boolean {
  return !visible.includes(uri) && !tabs.some((t) => t.kind === 'diff' && t.modified === uri);
}

/**
 * The editor column where a document's diff (Show Diff, a fix) opens, and the edited file after it: the column of the
 * editor the edit is for. VS Code gives none to an editor inside a diff (a Source Control diff's working-tree side, the
 * file side of a diff Show Diff opened): then the column of a tab that shows the document — one its group shows before
 * one behind others, a text tab before a diff, and in a diff either side. Else the first: never the column the
 * results panel (or whatever has focus) is in, where the diff would open over the panel and the file beside the diff.
 */
export function columnFor(uri: string, editorColumn: number | undefined, tabs: readonly TabShows[]): number {
  if (editorColumn !== undefined) return editorColumn;
  const showing = tabs.filter((t) => (t.kind === 'text' ? t.uri === uri : t.original === uri || t.modified === uri));
  const rank = (t: TabShows): number => (t.active ? 0 : 2) + (t.kind === 'text' ? 0 : 1);
  const best = showing.reduce<TabShows | undefined>((a, t) => (a === undefined || rank(t) < rank(a) ? t : a), undefined);
  return best?.column ?? 1;
}

/**
 * The last editor code can go to: the last active one that could, until no tab shows its document (its tab closed —
 * the document may stay open, but an edit nobody sees must not go there). A tab merely hidden — behind the results
 * panel in the same group, say — still shows it.
 */
export class LastEditTarget<E> {
  private last: E | undefined;

  constructor(
    private readonly facts: EditorFacts<E>,
    initial: E | undefined,
  ) {
    this.activeChanged(initial);
  }

  get editor(): E | undefined {
    return this.last;
  }

  /** window.onDidChangeActiveTextEditor. */
  activeChanged(editor: E | undefined): void {
    if (editor !== undefined && this.facts.canEdit(editor)) this.last = editor;
  }

  /** window.tabGroups.onDidChangeTabs / onDidChangeTabGroups: the documents tabs show now (documentsInTabs). */
  tabsChanged(shown: ReadonlySet<string>): void {
    if (this.last !== undefined && !shown.has(this.facts.uri(this.last))) this.last = undefined;
  }
}

/** What a document a command was asked in stands for: itself, the file a `git:` view shows, or a cell's notebook. */
export function fileBehind(scheme: string): 'itself' | 'gitFile' | 'notebook' {
  return scheme === 'git' ? 'gitFile' : scheme === 'vscode-notebook-cell' ? 'notebook' : 'itself';
}

/**
 * How a prompt names a file: by its workspace-relative path, else by its name alone — never by an absolute local path
 * (a file outside the workspace, a virtual document), which says more of the user's machine than the request needs.
 */
export function pathForPrompt(relative: string | undefined, path: string): string {
  if (relative !== undefined && relative !== '') return relative;
  return path.split('/').filter((p) => p !== '').pop() ?? 'untitled';
}

/** Why a command that edits does nothing in the active editor (`bySettings`: a file the user's settings make read-only), and what to do instead. */
export function readOnlyMessage(command: string, doc: { readonly scheme: string; readonly path: string }, bySettings = false): string {
  const name = doc.path.split('/').pop() || doc.scheme;
  if (bySettings) {
    return `Contexten: "${command}" changes code, and your settings make ${name} read-only (files.readonlyInclude, files.readonlyExclude, files.readonlyFromPermissions). Change them to edit it here — "Run Agent Task with Context" works in read-only editors.`;
  }
  if (doc.scheme === 'vscode-notebook-cell') {
    return `Contexten: "${command}" works on files only, not in a notebook's cells (${name}). Select the code in a file and try there — "Run Agent Task with Context" reads a cell's selection.`;
  }
  return `Contexten: "${command}" changes code, and this editor is read-only (${name}, a ${doc.scheme}: view). Open the file itself in an editor and try there — "Run Agent Task with Context" works in read-only editors.`;
}
