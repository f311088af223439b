import * as vscode from 'vscode';
import type { CodegenClient } from '../../core/api/codegenClient';
import type { Logger } from '../../core/ports';
import { RunLogsTexts } from '../../core/tasks/runLogs';
import { Disposable } from '../lifecycle';

export const LOGS_SCHEME = 'contexten-logs';
/**
 * Read-only documents `contexten-logs:/run-<id>.log` showing an agent run's logs, fetched page by page (past
 * MAX_LOG_ENTRIES, the first page and the newest: see fetchRunLogs). A document's text is kept while it is open; one
 * asked for again after it was freed (VS Code closes and reopens a document whose language mode the user changes) is
 * fetched again by RunLogsTexts.
 */
export class TaskLogsProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly texts: RunLogsTexts;

  constructor(client: CodegenClient, log: Logger) {
    super();
    this.texts = new RunLogsTexts(client, (runId) => this.changed.fire(TaskLogsProvider.uriFor(runId)), log);
    this.register(this.texts);
    this.register(vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, this));
    this.register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        const runId = doc.uri.scheme === LOGS_SCHEME ? runIdOf(doc.uri) : undefined;
        if (runId !== undefined) this.texts.forget(runId);
      }),
    );
  }

  static uriFor(runId: number): vscode.Uri {
    return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/run-${runId}.log` });
  }

  /** Fetches the log pages (up to MAX_LOG_ENTRIES: the first page and the newest) and shows them. */
  async show(runId: number, signal?: AbortSignal): Promise<vscode.TextEditor> {
    await this.texts.load(runId, signal);
    const doc = await vscode.workspace.openTextDocument(TaskLogsProvider.uriFor(runId));
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    const runId = runIdOf(uri);
    return runId === undefined ? `Not the logs of an agent run: ${uri.path}` : this.texts.text(runId);
  }
}

/** The run a logs document's uri names (`/run-<id>.log`). */
function runIdOf(uri: vscode.Uri): number | undefined {
  const m = /^\/run-(\d+)\.log$/.exec(uri.path);
  return m ? Number(m[1]) : undefined;
}
