import * as vscode from 'vscode';
import type { CodegenClient } from '../../core/api/codegenClient';
import { formatRunLogs } from '../../core/tasks/logFormatter';
import { fetchRunLogs } from '../../core/tasks/runLogs';
import { Disposable } from '../lifecycle';

export const LOGS_SCHEME = 'contexten-logs';
/**
 * Read-only documents `contexten-logs:/run-<id>.log` showing an agent run's logs, fetched page by page (past
 * MAX_LOG_ENTRIES, the first page and the newest: see fetchRunLogs). A document's text is kept while it is open.
 */
export class TaskLogsProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly texts = new Map<string, string>();

  constructor(private readonly client: CodegenClient) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, this));
    // (VS Code asks for the text again when a closed document is opened anew: "Show Task Logs" fetches it again.)
    this.register(
      vscode.workspace.onDidCloseTextDocument((doc) => {
        if (doc.uri.scheme === LOGS_SCHEME) this.texts.delete(doc.uri.toString());
      }),
    );
  }

  static uriFor(runId: number): vscode.Uri {
    return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/run-${runId}.log` });
  }

  /** Fetches the log pages (up to MAX_LOG_ENTRIES: the first page and the newest) and shows them. */
  async show(runId: number, signal?: AbortSignal): Promise<vscode.TextEditor> {
    const read = await fetchRunLogs(this.client, runId, { signal });
    const uri = TaskLogsProvider.uriFor(runId);
    this.texts.set(uri.toString(), formatRunLogs(read));
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'Logs are loading… run "Contexten: Show Task Logs" again if this stays empty.';
  }
}
