// The few parts of the `vscode` API that ContextService (and ConfigService) use, those GenerationController's quick
// fix goes through up to its request, and those AuthController, TaskController's New Agent Task and activation (the
// Container and the command table), the results panel (its webview, restored after a reload) and Preview Context use,
// in plain Node, and CodeEdits' edits (WorkspaceEdit, applyEdit). Importing this module
// makes it the module 'vscode' too: a test imports it before the glue code it drives, which then gets this one
// (`import * as vscode from 'vscode'` in the test gives the same objects, typed as VS Code's).
import { stat } from 'node:fs/promises';
import * as nodeModule from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

type Listener<T> = (e: T) => unknown;

export class EventEmitter<T> {
  private readonly listeners = new Set<Listener<T>>();
  readonly event = (listener: Listener<T>): { dispose(): void } => {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  };
  fire(e: T): void {
    for (const listener of [...this.listeners]) listener(e);
  }
  dispose(): void {
    this.listeners.clear();
  }
}

export class Uri {
  private constructor(
    readonly scheme: string,
    readonly path: string,
    readonly fragment = '',
  ) {}
  with(change: { fragment?: string }): Uri {
    return new Uri(this.scheme, this.path, change.fragment ?? this.fragment);
  }
  get fsPath(): string {
    return this.path;
  }
  toString(): string {
    return `${this.scheme}://${this.path}${this.fragment ? `#${this.fragment}` : ''}`;
  }
  static file(fsPath: string): Uri {
    return new Uri('file', fsPath);
  }
  /** A URI of another scheme (the Output panel's `output:`, a content provider's). */
  static from(components: { scheme: string; path: string }): Uri {
    return new Uri(components.scheme, components.path);
  }
  /** The URI toString gave (no percent-encoding here). */
  static parse(value: string): Uri {
    const m = /^([A-Za-z][\w+.-]*):\/\/(.*)$/s.exec(value);
    if (!m?.[1] || m[2] === undefined) throw new Error(`[UriError]: cannot parse ${value}`);
    return new Uri(m[1], m[2]);
  }
  static joinPath(base: Uri, ...segments: string[]): Uri {
    return new Uri(base.scheme, path.join(base.path, ...segments));
  }
}

export class Position {
  constructor(
    readonly line: number,
    readonly character: number,
  ) {}
  isBefore(other: Position): boolean {
    return this.line < other.line || (this.line === other.line && this.character < other.character);
  }
}

export class Range {
  readonly start: Position;
  readonly end: Position;
  constructor(start: Position, end: Position);
  constructor(startLine: number, startCharacter: number, endLine: number, endCharacter: number);
  constructor(startLine: number | Position, startCharacter: number | Position, endLine?: number, endCharacter?: number) {
    this.start = startLine instanceof Position ? startLine : new Position(startLine, startCharacter as number);
    this.end = startCharacter instanceof Position ? startCharacter : new Position(endLine ?? 0, endCharacter ?? 0);
  }
  get isEmpty(): boolean {
    return this.start.line === this.end.line && this.start.character === this.end.character;
  }
  contains(p: Position): boolean {
    return !p.isBefore(this.start) && !this.end.isBefore(p);
  }
}

/** An editor's selection: the range between its anchor and its active end (here never reversed). */
export class Selection extends Range {
  readonly anchor: Position;
  readonly active: Position;
  constructor(anchorLine: number, anchorCharacter: number, activeLine: number, activeCharacter: number) {
    super(anchorLine, anchorCharacter, activeLine, activeCharacter);
    this.anchor = this.start;
    this.active = this.end;
  }
}

export const DiagnosticSeverity = { Error: 0, Warning: 1, Information: 2, Hint: 3 } as const;

export class Diagnostic {
  source?: string;
  code?: string | number;
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number = DiagnosticSeverity.Error,
  ) {}
}

export class CodeActionKind {
  static readonly QuickFix = new CodeActionKind('quickfix');
  private constructor(readonly value: string) {}
}

export const ProgressLocation = { SourceControl: 1, Window: 10, Notification: 15 } as const;

export const ConfigurationTarget = { Global: 1, Workspace: 2, WorkspaceFolder: 3 } as const;

export class ThemeColor {
  constructor(readonly id: string) {}
}

export class ThemeIcon {
  constructor(
    readonly id: string,
    readonly color?: ThemeColor,
  ) {}
}

export const TreeItemCollapsibleState = { None: 0, Collapsed: 1, Expanded: 2 } as const;

/** A message the extension showed: its kind, text and action buttons. */
export interface ShownMessage {
  readonly kind: 'info' | 'warning' | 'error';
  readonly text: string;
  readonly actions: readonly unknown[];
}

/** An open document: `edit` changes its text as typing does (unsaved then) and tells the listeners. */
export class FakeTextDocument {
  readonly uri: Uri;
  version = 1;
  isDirty = false;
  isClosed = false;
  constructor(
    fsPath: string | Uri,
    private text: string,
    readonly languageId = 'typescript',
  ) {
    this.uri = typeof fsPath === 'string' ? Uri.file(fsPath) : fsPath;
  }
  getText(range?: Range): string {
    return range ? this.text.slice(this.offsetAt(range.start), this.offsetAt(range.end)) : this.text;
  }
  get lineCount(): number {
    return this.lines().length;
  }
  /** (A line's text without its line break, a CRLF one's \r too, as VS Code gives it.) */
  lineAt(line: number): { text: string; isEmptyOrWhitespace: boolean } {
    const text = (this.lines()[line] ?? '').replace(/\r$/, '');
    return { text, isEmptyOrWhitespace: text.trim() === '' };
  }
  /** As VS Code's: CRLF when the text has a CRLF line break (its first kind, for a text of both), else LF. */
  get eol(): number {
    return /\r?\n/.exec(this.text)?.[0] === '\r\n' ? EndOfLine.CRLF : EndOfLine.LF;
  }
  private lines(): string[] {
    return this.text.split('\n');
  }
  offsetAt(p: Position): number {
    return this.lines().slice(0, p.line).reduce((n, l) => n + l.length + 1, 0) + p.character;
  }
  positionAt(offset: number): Position {
    const before = this.text.slice(0, offset).split('\n');
    return new Position(before.length - 1, (before.at(-1) ?? '').length);
  }
  /** An edit makes a new version, as typing does. */
  edit(start: number, deleteCount: number, text: string): void {
    this.text = this.text.slice(0, start) + text + this.text.slice(start + deleteCount);
    this.isDirty = true;
    this.version++;
    events.textChange.fire({ document: this, contentChanges: [{ rangeOffset: start, rangeLength: deleteCount, text }] });
  }
  /**
   * Several edits in one change event, as a multi-cursor edit makes: each of `changes` with offsets in the text before
   * the event, none overlapping another; the event lists them in the order given (VS Code promises no order).
   */
  editAll(changes: readonly { readonly start: number; readonly deleteCount: number; readonly text: string }[]): void {
    for (const { start, deleteCount, text } of [...changes].sort((a, b) => b.start - a.start)) this.text = this.text.slice(0, start) + text + this.text.slice(start + deleteCount);
    this.isDirty = true;
    this.version++;
    events.textChange.fire({ document: this, contentChanges: changes.map(({ start, deleteCount, text }) => ({ rangeOffset: start, rangeLength: deleteCount, text })) });
  }
  /** Its dirty state changes with no edit: VS Code tells it as a change event without changes. */
  setDirty(dirty: boolean): void {
    this.isDirty = dirty;
    events.textChange.fire({ document: this, contentChanges: [] });
  }
}

/** Edits to documents, as workspace.applyEdit applies them (all or none; one undo step in VS Code). */
export class WorkspaceEdit {
  readonly edits: { readonly uri: Uri; readonly range: Range; readonly text: string }[] = [];
  insert(uri: Uri, at: Position, text: string): void {
    this.edits.push({ uri, range: new Range(at, at), text });
  }
  replace(uri: Uri, range: Range, text: string): void {
    this.edits.push({ uri, range, text });
  }
}

/** A tab's input: a text editor's, a diff's (window.tabGroups). */
export class TabInputText {
  constructor(readonly uri: Uri) {}
}
export class TabInputTextDiff {
  constructor(
    readonly original: Uri,
    readonly modified: Uri,
  ) {}
}

/** A tab of the editor area (window.tabGroups): what it shows. */
export interface FakeTab {
  readonly input: TabInputText | TabInputTextDiff;
  readonly isActive: boolean;
}

/** An editor group (window.tabGroups.all): its column and tabs. */
export interface FakeTabGroup {
  readonly viewColumn: number;
  tabs: FakeTab[];
}

/**
 * A quick pick as a prompt box (Generate Code, Run Agent Task with Context): shown, it takes the next of
 * fakeVscode.inputAnswers as what the user types and presses Enter on (none left, or undefined: Escape).
 */
export class FakeQuickPick<T extends { label: string }> {
  title: string | undefined;
  placeholder: string | undefined;
  ignoreFocusOut = false;
  items: readonly T[] = [];
  selectedItems: readonly T[] = [];
  value = '';
  private readonly changedValue = new EventEmitter<string>();
  private readonly accepted = new EventEmitter<undefined>();
  private readonly hidden = new EventEmitter<undefined>();
  readonly onDidChangeValue = this.changedValue.event;
  readonly onDidAccept = this.accepted.event;
  readonly onDidHide = this.hidden.event;

  show(): void {
    const next = fakeVscode.inputAnswers.shift();
    const answer = typeof next === 'function' ? next() : next;
    if (answer === undefined) {
      this.hide();
      return;
    }
    this.value = answer;
    this.changedValue.fire(answer);
    // (Enter on the item typed: the first one, "Use this prompt".)
    this.selectedItems = this.items.slice(0, 1);
    this.accepted.fire(undefined);
  }

  hide(): void {
    this.hidden.fire(undefined);
  }

  dispose(): void {
    this.changedValue.dispose();
    this.accepted.dispose();
    this.hidden.dispose();
  }
}

/** A status bar item that says when its text changes (what a test waits for). */
export class FakeStatusBarItem {
  name = '';
  tooltip = '';
  command: string | { title: string; command: string; arguments?: unknown[] } | undefined;
  backgroundColor: ThemeColor | undefined;
  visible = false;
  disposed = false;
  readonly textChanged = new EventEmitter<string>();
  private shown = '';
  get text(): string {
    return this.shown;
  }
  set text(value: string) {
    this.shown = value;
    this.textChanged.fire(value);
  }
  show(): void {
    this.visible = true;
  }
  hide(): void {
    this.visible = false;
  }
  dispose(): void {
    this.disposed = true;
    this.textChanged.dispose();
  }
}

interface WorkspaceFolder {
  readonly uri: Uri;
  readonly name: string;
  readonly index: number;
}

const events = {
  configuration: new EventEmitter<{ affectsConfiguration(section: string): boolean }>(),
  workspaceFolders: new EventEmitter<unknown>(),
  textChange: new EventEmitter<unknown>(),
  open: new EventEmitter<FakeTextDocument>(),
  close: new EventEmitter<FakeTextDocument>(),
  save: new EventEmitter<FakeTextDocument>(),
  rename: new EventEmitter<{ files: { oldUri: Uri; newUri: Uri }[] }>(),
  activeEditor: new EventEmitter<unknown>(),
  created: new EventEmitter<Uri>(),
  changed: new EventEmitter<Uri>(),
  deleted: new EventEmitter<Uri>(),
  tabs: new EventEmitter<{ readonly opened: readonly FakeTab[]; readonly closed: readonly FakeTab[]; readonly changed: readonly FakeTab[] }>(),
};

/** Settings by their full name ('contexten.context.exclude'), as the workspace has them. */
const settings = new Map<string, unknown>();
/** Settings a workspace folder sets for itself (its .vscode/settings.json), by the folder's path, then the full name. */
const folderSettings = new Map<string, Map<string, unknown>>();

/** The workspace folder `resource` is (or is in). */
function folderOf(resource: Uri | undefined): WorkspaceFolder | undefined {
  return resource && workspace.workspaceFolders.find((f) => resource.scheme === 'file' && (resource.path === f.uri.path || resource.path.startsWith(`${f.uri.path}/`)));
}

export const StatusBarAlignment = { Left: 1, Right: 2 } as const;

/** The text document content providers registered, by scheme. */
const contentProviders = new Map<string, { provideTextDocumentContent(uri: Uri): string }>();

export class DocumentLink {
  tooltip: string | undefined;
  constructor(
    readonly range: Range,
    readonly target: Uri,
  ) {}
}

export const EndOfLine = { LF: 1, CRLF: 2 } as const;
export const ViewColumn = { Active: -1, Beside: -2, One: 1, Two: 2 } as const;

/** A webview panel: what the extension posts to its page, and `receive` for what the page posts. */
export class FakeWebviewPanel {
  readonly posted: unknown[] = [];
  visible = false;
  private readonly received = new EventEmitter<unknown>();
  private readonly disposed = new EventEmitter<void>();
  readonly webview = {
    options: {} as unknown,
    html: '',
    cspSource: 'fake-csp-source',
    asWebviewUri: (uri: Uri): Uri => uri,
    onDidReceiveMessage: this.received.event,
    postMessage: (message: unknown): Promise<boolean> => {
      this.posted.push(message);
      return Promise.resolve(true);
    },
  };
  readonly onDidChangeViewState = new EventEmitter<unknown>().event;
  readonly onDidDispose = this.disposed.event;
  /** A message from the page (untrusted: anything). */
  receive(message: unknown): void {
    this.received.fire(message);
  }
  reveal(): void {
    this.visible = true;
  }
  dispose(): void {
    this.disposed.fire();
  }
}

/** A document shown by window.showTextDocument: its URI and the line of its selection (0-based). */
export interface ShownDocument {
  readonly uri: Uri;
  readonly line: number | undefined;
}

export const workspace = {
  workspaceFolders: [] as WorkspaceFolder[],
  textDocuments: [] as FakeTextDocument[],
  onDidChangeConfiguration: events.configuration.event,
  onDidChangeWorkspaceFolders: events.workspaceFolders.event,
  onDidChangeTextDocument: events.textChange.event,
  onDidOpenTextDocument: events.open.event,
  onDidCloseTextDocument: events.close.event,
  onDidSaveTextDocument: events.save.event,
  onDidRenameFiles: events.rename.event,
  createFileSystemWatcher: () => ({ onDidCreate: events.created.event, onDidChange: events.changed.event, onDidDelete: events.deleted.event, dispose: () => undefined }),
  fs: {
    isWritableFileSystem: (scheme: string): boolean | undefined => (scheme === 'file' ? true : undefined),
    /** The file on disk (a file: URI's path). */
    stat: async (uri: Uri): Promise<{ size: number }> => {
      if (uri.scheme !== 'file') throw new Error(`no file system for ${uri.scheme}`);
      return { size: (await stat(uri.path)).size };
    },
  },
  getWorkspaceFolder: (uri: Uri): WorkspaceFolder | undefined => workspace.workspaceFolders.find((f) => uri.scheme === 'file' && uri.path.startsWith(`${f.uri.path}/`)),
  asRelativePath: (uri: Uri): string => {
    const folder = workspace.getWorkspaceFolder(uri);
    return folder ? uri.path.slice(folder.uri.path.length + 1) : uri.path;
  },
  openTextDocument: (uri: Uri): Promise<FakeTextDocument> => {
    // (A document of a content provider's scheme has the provider's text.)
    const provider = contentProviders.get(uri.scheme);
    if (provider) return Promise.resolve(new FakeTextDocument(uri, provider.provideTextDocumentContent(uri)));
    const doc = workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    return doc ? Promise.resolve(doc) : Promise.reject(new Error(`no document ${uri.toString()}`));
  },
  /** Applies the edits to the open documents (each an edit of its own, in order); false for a document not open. */
  applyEdit: (edit: WorkspaceEdit): Promise<boolean> => {
    const docs = edit.edits.map(({ uri }) => workspace.textDocuments.find((d) => d.uri.toString() === uri.toString()));
    if (docs.some((d) => d === undefined)) return Promise.resolve(false);
    edit.edits.forEach(({ range, text }, i) => {
      const doc = docs[i] as FakeTextDocument;
      const start = doc.offsetAt(range.start);
      doc.edit(start, doc.offsetAt(range.end) - start, text);
    });
    return Promise.resolve(true);
  },
  registerTextDocumentContentProvider: (scheme: string, provider: { provideTextDocumentContent(uri: Uri): string }) => {
    contentProviders.set(scheme, provider);
    return { dispose: () => contentProviders.delete(scheme) };
  },
  /** With a resource, a folder's own value (setFolderConfiguration) comes first, as VS Code's resource-scoped settings. */
  getConfiguration: (section: string, resource?: Uri) => ({
    get: (key: string): unknown => {
      const own = folderSettings.get(folderOf(resource)?.uri.path ?? '');
      return own?.has(`${section}.${key}`) ? own.get(`${section}.${key}`) : settings.get(`${section}.${key}`);
    },
    /** As settings.json is written (the target is not told apart): fails with the error set by failSettingsWrites. */
    update: (key: string, value: unknown): Promise<void> => {
      if (fakeVscode.settingsWriteError) return Promise.reject(fakeVscode.settingsWriteError);
      fakeVscode.setConfiguration(`${section}.${key}`, value);
      return Promise.resolve();
    },
    inspect: (key: string): { workspaceValue?: unknown; workspaceFolderValue?: unknown } => {
      const own = folderSettings.get(folderOf(resource)?.uri.path ?? '');
      return {
        ...(settings.has(`${section}.${key}`) ? { workspaceValue: settings.get(`${section}.${key}`) } : {}),
        ...(own?.has(`${section}.${key}`) ? { workspaceFolderValue: own.get(`${section}.${key}`) } : {}),
      };
    },
  }),
};

/** An editor showing a document, its cursor at the start. */
export interface FakeTextEditor {
  readonly document: FakeTextDocument;
  readonly selection: Selection;
  readonly selections: readonly Selection[];
  readonly viewColumn: number;
  /** Its indentation: spaces, four a level, unless a test says otherwise. */
  readonly options: { insertSpaces: boolean; tabSize: number };
}

export const window = {
  activeTextEditor: undefined as FakeTextEditor | undefined,
  visibleTextEditors: [] as FakeTextEditor[],
  onDidChangeActiveTextEditor: events.activeEditor.event,
  tabGroups: {
    /** The editor groups and their tabs: none unless a test opens one (fakeVscode.openTab). */
    all: [] as FakeTabGroup[],
    onDidChangeTabs: events.tabs.event,
    onDidChangeTabGroups: new EventEmitter<unknown>().event,
    /** Closes tabs as the extension asks: each is taken from its group, and the listeners are told. */
    close: (tabs: FakeTab | readonly FakeTab[]): Promise<boolean> => {
      const closing = Array.isArray(tabs) ? tabs : [tabs as FakeTab];
      for (const group of window.tabGroups.all) group.tabs = group.tabs.filter((tab) => !closing.includes(tab));
      events.tabs.fire({ opened: [], closed: closing, changed: [] });
      return Promise.resolve(true);
    },
  },
  withProgress: <T>(_options: unknown, work: (progress: unknown, token: { isCancellationRequested: boolean; onCancellationRequested: EventEmitter<unknown>['event'] }) => Promise<T>): Promise<T> =>
    work({ report: () => undefined }, { isCancellationRequested: false, onCancellationRequested: new EventEmitter<unknown>().event }),
  state: { focused: true },
  onDidChangeWindowState: new EventEmitter<{ focused: boolean }>().event,
  showInformationMessage: (text: string, ...actions: unknown[]): Promise<string | undefined> => shown('info', text, actions),
  showWarningMessage: (text: string, ...actions: unknown[]): Promise<string | undefined> => shown('warning', text, actions),
  showErrorMessage: (text: string, ...actions: unknown[]): Promise<string | undefined> => shown('error', text, actions),
  setStatusBarMessage: () => ({ dispose: () => undefined }),
  createStatusBarItem: (): FakeStatusBarItem => {
    const item = new FakeStatusBarItem();
    fakeVscode.statusBarItems.push(item);
    return item;
  },
  /** The user's answer: the next one of fakeVscode.inputAnswers (none left: Escape), a function's run while the box is open. */
  showInputBox: (options: { value?: string }): Promise<string | undefined> => {
    fakeVscode.inputBoxes.push(options);
    const answer = fakeVscode.inputAnswers.shift();
    return Promise.resolve(typeof answer === 'function' ? answer() : answer);
  },
  createQuickPick: <T extends { label: string }>(): FakeQuickPick<T> => new FakeQuickPick<T>(),
  /** The user picks the first item. */
  showQuickPick: <T>(items: readonly T[]): Promise<T | undefined> => Promise.resolve(items[0]),
  createTreeView: () => ({ onDidChangeVisibility: new EventEmitter<{ visible: boolean }>().event, reveal: () => Promise.resolve(), dispose: () => undefined }),
  createOutputChannel: (name: string) => ({
    name,
    trace: () => undefined,
    debug: () => undefined,
    info: () => undefined,
    warn: () => undefined,
    error: () => undefined,
    appendLine: () => undefined,
    show: () => undefined,
    dispose: () => undefined,
  }),
  registerWebviewPanelSerializer: (viewType: string, serializer: { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }) => {
    panelSerializers.set(viewType, serializer);
    return { dispose: () => panelSerializers.delete(viewType) };
  },
  createWebviewPanel: (): FakeWebviewPanel => {
    const panel = new FakeWebviewPanel();
    fakeVscode.webviewPanels.push(panel);
    return panel;
  },
  showTextDocument: (uri: Uri, options?: { selection?: Range }): Promise<unknown> => {
    const shownDocument: ShownDocument = { uri, line: options?.selection?.start.line };
    fakeVscode.shownDocuments.push(shownDocument);
    uiShown.fire(shownDocument);
    return Promise.resolve(undefined);
  },
};

/** The webview panel serializers registered, by view type. */
const panelSerializers = new Map<string, { deserializeWebviewPanel(panel: FakeWebviewPanel, state: unknown): Promise<void> }>();
/** Fired for every message and document shown. */
const uiShown = new EventEmitter<ShownMessage | ShownDocument>();

function shown(kind: ShownMessage['kind'], text: string, actions: unknown[]): Promise<string | undefined> {
  const message: ShownMessage = { kind, text, actions };
  fakeVscode.messages.push(message);
  uiShown.fire(message);
  return Promise.resolve(fakeVscode.answerMessage?.(message));
}

/** Commands as VS Code keeps them: an id registered twice fails as there ("command '…' already exists"). */
const registeredCommands = new Map<string, (...args: unknown[]) => unknown>();

export const commands = {
  registerCommand: (id: string, handler: (...args: unknown[]) => unknown): { dispose(): void } => {
    if (registeredCommands.has(id)) throw new Error(`command '${id}' already exists`);
    registeredCommands.set(id, handler);
    return { dispose: () => registeredCommands.delete(id) };
  },
  /** Runs a registered command; any other (setContext, the workbench's) is recorded in fakeVscode.executed only. */
  executeCommand: (id: string, ...args: unknown[]): Promise<unknown> => {
    fakeVscode.executed.push([id, ...args]);
    const handler = registeredCommands.get(id);
    return handler ? Promise.resolve(handler(...args)) : Promise.resolve(undefined);
  },
};

/** The browser and the clipboard: what was opened is recorded in fakeVscode.opened, what was copied in fakeVscode.copied. */
export const env = {
  openExternal: (uri: Uri): Promise<boolean> => {
    fakeVscode.opened.push(uri.toString());
    return Promise.resolve(true);
  },
  clipboard: {
    writeText: (text: string): Promise<void> => {
      fakeVscode.copied.push(text);
      return Promise.resolve();
    },
  },
};

/** The diagnostics each document has (by its URI's text), as a language server reported them. */
const diagnostics = new Map<string, Diagnostic[]>();

export const languages = {
  registerCodeActionsProvider: () => ({ dispose: () => undefined }),
  registerDocumentLinkProvider: () => ({ dispose: () => undefined }),
  setTextDocumentLanguage: <T>(doc: T): Promise<T> => Promise.resolve(doc),
  getDiagnostics: (uri: Uri): Diagnostic[] => diagnostics.get(uri.toString()) ?? [],
};

/** What a test does as the user, the editor or the disk. */
export const fakeVscode = {
  statusBarItems: [] as FakeStatusBarItem[],
  /** Every message shown (information, warning, error), oldest first. */
  messages: [] as ShownMessage[],
  /**
   * The action the user picks on a message shown (undefined: it is closed, as by default); a promise that stays pending
   * is a notification left unanswered (VS Code keeps its promise pending until a button is clicked or it is dismissed).
   */
  answerMessage: undefined as ((message: ShownMessage) => string | undefined | Promise<string | undefined>) | undefined,
  /** The options of every input box shown, and what the user types into the next ones. */
  inputBoxes: [] as { value?: string }[],
  inputAnswers: [] as (string | undefined | (() => string | undefined))[],
  /** Every webview panel created. */
  webviewPanels: [] as FakeWebviewPanel[],
  /** Every document shown by window.showTextDocument, oldest first. */
  shownDocuments: [] as ShownDocument[],
  /** The next message or document shown to the user. */
  nextShown(): Promise<ShownMessage | ShownDocument> {
    return new Promise((resolve) => {
      const listening = uiShown.event((e) => {
        listening.dispose();
        resolve(e);
      });
    });
  },
  /** VS Code restoring a webview panel after a window reload, with the state its page saved. */
  restorePanel(viewType: string, state: unknown): Promise<FakeWebviewPanel> {
    const serializer = panelSerializers.get(viewType);
    if (!serializer) return Promise.reject(new Error(`no serializer for ${viewType}`));
    const panel = new FakeWebviewPanel();
    fakeVscode.webviewPanels.push(panel);
    return serializer.deserializeWebviewPanel(panel, state).then(() => panel);
  },
  /** Every executeCommand: its id and arguments. */
  executed: [] as unknown[][],
  /** Every link env.openExternal opened, as text. */
  opened: [] as string[],
  /** Every text put on the clipboard, oldest first. */
  copied: [] as string[],
  /** The error writing a setting fails with (settings.json unwritable), or none. */
  settingsWriteError: undefined as Error | undefined,
  /** The ids of the commands registered (and not disposed). */
  registeredCommands(): string[] {
    return [...registeredCommands.keys()];
  },
  /** One workspace folder (a fresh workspace: no documents, no settings). */
  openWorkspace(root: string): void {
    workspace.workspaceFolders = [{ uri: Uri.file(root), name: path.basename(root), index: 0 }];
    workspace.textDocuments = [];
    window.activeTextEditor = undefined;
    window.visibleTextEditors = [];
    window.tabGroups.all = [];
    diagnostics.clear();
    settings.clear();
    folderSettings.clear();
    fakeVscode.messages = [];
    fakeVscode.answerMessage = undefined;
    fakeVscode.inputBoxes = [];
    fakeVscode.inputAnswers = [];
    fakeVscode.executed = [];
    fakeVscode.opened = [];
    fakeVscode.copied = [];
    fakeVscode.webviewPanels = [];
    fakeVscode.shownDocuments = [];
    fakeVscode.settingsWriteError = undefined;
  },
  /** The workspace folders become `roots` (a multi-root workspace: folders added or removed), as VS Code tells its listeners. */
  changeWorkspaceFolders(roots: readonly string[]): void {
    workspace.workspaceFolders = roots.map((root, index) => ({ uri: Uri.file(root), name: path.basename(root), index }));
    events.workspaceFolders.fire({});
  },
  /** No folder open (an empty window), or only folders not on disk. */
  closeWorkspace(): void {
    workspace.workspaceFolders = [];
  },
  openDocument(fsPath: string, text: string, languageId?: string): FakeTextDocument {
    const doc = new FakeTextDocument(fsPath, text, languageId);
    workspace.textDocuments.push(doc);
    events.open.fire(doc);
    return doc;
  },
  /** The document shown in the active editor (none: no editor has focus), its cursor at its start. */
  activateEditor(doc: FakeTextDocument | undefined): void {
    const start = new Selection(0, 0, 0, 0);
    const editor = doc ? { document: doc, selection: start, selections: [start], viewColumn: 1, options: { insertSpaces: true, tabSize: 4 } } : undefined;
    window.activeTextEditor = editor;
    window.visibleTextEditors = editor ? [editor] : [];
    events.activeEditor.fire(editor);
  },
  /**
   * The Output panel has focus: its channel's editor is the active text editor (the editors in the editor area stay
   * visible).
   */
  focusOutputPanel(): void {
    const channel = new FakeTextDocument(Uri.from({ scheme: 'output', path: 'extension-output-contexten' }), '');
    const start = new Selection(0, 0, 0, 0);
    const editor = { document: channel, selection: start, selections: [start], viewColumn: 1, options: { insertSpaces: true, tabSize: 4 } };
    window.activeTextEditor = editor;
    events.activeEditor.fire(editor);
  },
  /**
   * A document the editor restores from its backup (a window reload with unsaved changes, hot exit), as VS Code does
   * it: opened with the backup's text but not dirty yet (the extension host is told of the model before the editor
   * marks it dirty), then dirty, with no edit.
   */
  restoreDocument(fsPath: string, text: string): FakeTextDocument {
    const doc = fakeVscode.openDocument(fsPath, text);
    doc.setDirty(true);
    return doc;
  },
  /** A setting changed in the workspace's settings.json. */
  setConfiguration(name: string, value: unknown): void {
    settings.set(name, value);
    events.configuration.fire({ affectsConfiguration: (section) => name === section || name.startsWith(`${section}.`) });
  },
  /** A setting changed in a workspace folder's own .vscode/settings.json (`root`: the folder's path). */
  setFolderConfiguration(root: string, name: string, value: unknown): void {
    const key = Uri.file(root).path;
    const own = folderSettings.get(key) ?? new Map<string, unknown>();
    folderSettings.set(key, own);
    if (value === undefined) own.delete(name);
    else own.set(name, value);
    events.configuration.fire({ affectsConfiguration: (section) => name === section || name.startsWith(`${section}.`) });
  },
  /** Another folder added to the workspace (multi-root). */
  addWorkspaceFolder(root: string): void {
    const folder = { uri: Uri.file(root), name: path.basename(root), index: workspace.workspaceFolders.length };
    workspace.workspaceFolders = [...workspace.workspaceFolders, folder];
    events.workspaceFolders.fire({ added: [folder], removed: [] });
  },
  /**
   * The user closes a tab showing `input` (a diff's: new TabInputTextDiff(original, proposed)), as VS Code tells the
   * listeners of window.tabGroups.onDidChangeTabs. A tab opened with openTab for this very input is taken from its
   * group; other tabs stay.
   */
  closeTab(input: TabInputText | TabInputTextDiff): void {
    const open = window.tabGroups.all.flatMap((group) => group.tabs).find((tab) => tab.input === input);
    for (const group of window.tabGroups.all) group.tabs = group.tabs.filter((tab) => tab !== open);
    events.tabs.fire({ opened: [], closed: [open ?? { input, isActive: true }], changed: [] });
  },
  /**
   * A tab showing `input` opens in the group of column `viewColumn` (made when there is none), as VS Code tells the
   * listeners of window.tabGroups.onDidChangeTabs; window.tabGroups.close takes it away again.
   */
  openTab(input: TabInputText | TabInputTextDiff, viewColumn = 1): FakeTab {
    const tab: FakeTab = { input, isActive: true };
    let group = window.tabGroups.all.find((g) => g.viewColumn === viewColumn);
    if (!group) window.tabGroups.all.push((group = { viewColumn, tabs: [] }));
    group.tabs.push(tab);
    events.tabs.fire({ opened: [tab], closed: [], changed: [] });
    return tab;
  },
  /** The file watcher's event for a file created on disk. */
  fileCreated(fsPath: string): void {
    events.created.fire(Uri.file(fsPath));
  },
  /** The file watcher's event for a file deleted on disk. */
  fileDeleted(fsPath: string): void {
    events.deleted.fire(Uri.file(fsPath));
  },
};

// (module.registerHooks is in Node 22.15+ and 23.5+; the types installed are older.)
type Resolve = (specifier: string, context: unknown) => unknown;
const { registerHooks } = nodeModule as unknown as { registerHooks: (hooks: { resolve: (specifier: string, context: unknown, next: Resolve) => unknown }) => void };
const self = pathToFileURL(__filename).href;
registerHooks({ resolve: (specifier, context, next) => (specifier === 'vscode' ? { url: self, format: 'commonjs', shortCircuit: true } : next(specifier, context)) });
