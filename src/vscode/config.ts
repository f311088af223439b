import * as vscode from 'vscode';
import { isDeepStrictEqual } from 'node:util';
import { FOLDER_SETTINGS, folderIssue, resolveConfig, SETTINGS, type ConfigIssue, type ConfigResult, type ConfigSnapshot } from '../core/config/configSchema';
import type { Logger } from '../core/ports';
import { Disposable } from './lifecycle';

/**
 * Reads the `contexten.*` settings (only values the user set; defaults come from the schema) plus the
 * environment, keeps the validated snapshot current, and reports each invalid value once (a workspace folder's own
 * value of a folder setting too) with an "Open Settings" action. Settings changes apply without a reload through
 * `onDidChange`.
 */
export class ConfigService extends Disposable {
  private result: ConfigResult;
  private readonly emitter = this.register(new vscode.EventEmitter<ConfigSnapshot>());
  readonly onDidChange = this.emitter.event;
  /** The issues reported (by issueKey) that are still there. */
  private reported = new Set<string>();
  /** The settings file holding each folder issue's value (by issueKey). */
  private folderSettingsFiles = new Map<string, vscode.Uri>();

  constructor(
    private readonly log: Logger,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {
    super();
    this.result = this.read();
    this.register(
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (!e.affectsConfiguration('contexten')) return;
        this.result = this.read();
        this.reportIssues();
        this.emitter.fire(this.result.snapshot);
      }),
    );
    this.register(
      // (A folder added may bring its own invalid value; the snapshot, the workspace's, stays.)
      vscode.workspace.onDidChangeWorkspaceFolders(() => {
        this.result = this.read();
        this.reportIssues();
      }),
    );
  }

  get snapshot(): ConfigSnapshot {
    return this.result.snapshot;
  }

  get issues(): readonly ConfigIssue[] {
    return this.result.issues;
  }

  private read(): ConfigResult {
    const cfg = vscode.workspace.getConfiguration('contexten');
    const user: Record<string, unknown> = {};
    for (const key of Object.keys(SETTINGS)) {
      const i = cfg.inspect(key);
      const v = i?.workspaceFolderValue ?? i?.workspaceValue ?? i?.globalValue;
      if (v !== undefined) user[key] = v;
    }
    const result = resolveConfig(user, this.env);
    const folders = folderIssues();
    this.folderSettingsFiles = new Map(folders.map(({ issue, settingsFile }) => [issueKey(issue), settingsFile]));
    return { ...result, issues: [...result.issues, ...folders.map((f) => f.issue)] };
  }

  /**
   * Shows each invalid setting once while it stays invalid (whatever other settings do, and whichever invalid values it
   * takes meanwhile); one that was corrected and is invalid again is shown again.
   */
  reportIssues(): void {
    const before = this.reported;
    this.reported = new Set();
    for (const issue of this.result.issues) {
      const key = issueKey(issue);
      if (this.reported.has(key)) continue;
      this.reported.add(key);
      if (before.has(key)) continue;
      this.log.warn(issue.message);
      // A folder's own value is in that folder's .vscode/settings.json: opened there (the Settings UI opens on the User
      // tab, where the value is not).
      const settingsFile = this.folderSettingsFiles.get(key);
      void vscode.window.showWarningMessage(`Contexten: ${issue.message}`, 'Open Settings').then((pick) => {
        if (pick !== 'Open Settings') return;
        if (settingsFile) void vscode.commands.executeCommand('vscode.open', settingsFile);
        else void vscode.commands.executeCommand('workbench.action.openSettings', issue.setting);
      });
    }
  }
}

/**
 * One problem: the setting and where its value came from (a setting, a folder's, an environment variable). Not what is
 * wrong with it: the Settings UI saves a text setting as it is typed, and a base URL typed into it is another invalid
 * value at every pause (`http://e`, `http://ex`, …) — one warning while it stays invalid, another once it was valid.
 */
function issueKey(issue: ConfigIssue): string {
  return JSON.stringify([issue.setting, issue.source]);
}

/**
 * The invalid values workspace folders set for themselves. A folder's value equal to the workspace's is none of its
 * own (in a single-folder window the folder's settings are the workspace's, reported as such).
 */
function folderIssues(): { issue: ConfigIssue; settingsFile: vscode.Uri }[] {
  const issues: { issue: ConfigIssue; settingsFile: vscode.Uri }[] = [];
  for (const folder of vscode.workspace.workspaceFolders ?? []) {
    const cfg = vscode.workspace.getConfiguration('contexten', folder.uri);
    for (const key of FOLDER_SETTINGS) {
      const i = cfg.inspect(key);
      if (i?.workspaceFolderValue === undefined || isDeepStrictEqual(i.workspaceFolderValue, i.workspaceValue)) continue;
      const issue = folderIssue(key, folder.name, i.workspaceFolderValue);
      if (issue) issues.push({ issue, settingsFile: vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json') });
    }
  }
  return issues;
}
