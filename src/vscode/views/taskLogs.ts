import * as vscode from 'vscode';
import type { AgentRunLog, CodegenClient } from '../../core/api/codegenClient';
import { formatRunLogs } from '../../core/tasks/logFormatter';
import { Disposable } from '../lifecycle';

export const LOGS_SCHEME = 'contexten-logs';
const LOG_PAGE = 100;
const MAX_LOG_ENTRIES = 2_000;

/** Read-only documents `contexten-logs:/run-<id>.log` showing an agent run's logs, fetched page by page. */
export class TaskLogsProvider extends Disposable implements vscode.TextDocumentContentProvider {
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private readonly texts = new Map<string, string>();

  constructor(private readonly client: CodegenClient) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(LOGS_SCHEME, this));
  }

  static uriFor(runId: number): vscode.Uri {
    return vscode.Uri.from({ scheme: LOGS_SCHEME, path: `/run-${runId}.log` });
  }

  /** Fetches all log pages (up to MAX_LOG_ENTRIES) and shows them. */
  async show(runId: number, signal?: AbortSignal): Promise<vscode.TextEditor> {
    const logs: AgentRunLog[] = [];
    let first = await this.client.getRunLogs(runId, { skip: 0, limit: LOG_PAGE }, signal);
    logs.push(...first.logs);
    // The server's offset counts the entries it sent, unreadable ones too (skipped by the client): not logs.length.
    let skip = first.received ?? first.logs.length;
    while (skip < first.totalLogs && logs.length < MAX_LOG_ENTRIES) {
      const page = await this.client.getRunLogs(runId, { skip, limit: LOG_PAGE }, signal);
      const received = page.received ?? page.logs.length;
      if (received === 0) break;
      skip += received;
      logs.push(...page.logs);
      first = { ...first, run: page.run, totalLogs: page.totalLogs };
    }
    const uri = TaskLogsProvider.uriFor(runId);
    this.texts.set(uri.toString(), formatRunLogs(first.run, logs, first.totalLogs));
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    return vscode.window.showTextDocument(doc, { preview: true });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'Logs are loading… run "Contexten: Show Task Logs" again if this stays empty.';
  }
}
