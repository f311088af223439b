import * as vscode from 'vscode';
import { formatContextPreview, PREVIEW_LOCATION } from '../../core/context/contextPreview';
import type { ContextService } from '../contextService';
import { Disposable } from '../lifecycle';
import { withCancellableProgress } from '../progress';

export const PREVIEW_SCHEME = 'contexten-context';

/**
 * "Contexten: Preview Context for Prompt…": shows exactly what would be sent for a prompt, with scores,
 * reasons and clickable locations, in a read-only Markdown document. Works without any account.
 */
export class ContextPreview extends Disposable implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private counter = 0;
  private lastQuery = '';

  constructor(private readonly context: ContextService) {
    super();
    this.register(vscode.workspace.registerTextDocumentContentProvider(PREVIEW_SCHEME, this));
    this.register(vscode.languages.registerDocumentLinkProvider({ scheme: PREVIEW_SCHEME }, this));
  }

  async preview(queryArg?: unknown): Promise<vscode.TextEditor | undefined> {
    const query =
      typeof queryArg === 'string' && queryArg.trim()
        ? queryArg
        : await vscode.window.showInputBox({
            title: 'Preview Context for Prompt',
            prompt: 'The prompt you would send; the context engine shows what it would attach',
            value: this.lastQuery,
            ignoreFocusOut: true,
            validateInput: (v) => (v.trim() ? undefined : 'Type a prompt.'),
          });
    if (!query?.trim()) return undefined;
    this.lastQuery = query;
    const hints = this.context.editorHints();
    const result = await withCancellableProgress('Contexten: ranking context…', async (signal) => {
      await this.context.whenReady();
      return this.context.getRelevantContext({ query, ...hints }, signal);
    });
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/context-${++this.counter}.md` });
    this.texts.set(uri.toString(), formatContextPreview(query, result));
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    return vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? '';
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    const links: vscode.DocumentLink[] = [];
    for (let i = 0; i < doc.lineCount; i++) {
      const text = doc.lineAt(i).text;
      const m = PREVIEW_LOCATION.exec(text);
      if (!m?.[1]) continue;
      const target = this.context.uriFor(m[1]);
      if (!target) continue;
      const start = text.indexOf(m[1]);
      const end = start + m[1].length + 1 + (m[2]?.length ?? 0) + 1 + (m[3]?.length ?? 0);
      const link = new vscode.DocumentLink(new vscode.Range(i, start, i, end), target.with({ fragment: `L${m[2]}` }));
      link.tooltip = `Open ${m[1]} at line ${m[2]}`;
      links.push(link);
    }
    return links;
  }
}
