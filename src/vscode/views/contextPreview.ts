import { LRUCache } from 'lru-cache';
import * as vscode from 'vscode';
import { formatContextPreview, type ContextPreviewDocument } from '../../core/context/contextPreview';
import { contextQueryFor, type ContextHints } from '../../core/generation/rankedContext';
import type { ContextService } from '../contextService';
import { Disposable } from '../lifecycle';
import { withCancellableProgress } from '../progress';

export const PREVIEW_SCHEME = 'contexten-context';

/** A preview's text and locations, and where each location's file was when the preview was made. */
interface ShownPreview extends ContextPreviewDocument {
  readonly targets: readonly (vscode.Uri | undefined)[];
}

/** How many previews are kept for their documents and links. */
const PREVIEWS_KEPT = 20;

/**
 * "Contexten: Preview Context for Prompt…": shows exactly what would be sent for a prompt, with scores,
 * reasons and clickable locations, in a read-only Markdown document. Works without any account.
 */
export class ContextPreview extends Disposable implements vscode.TextDocumentContentProvider, vscode.DocumentLinkProvider {
  /**
   * The previews' texts and links by URI: the last PREVIEWS_KEPT (each can hold a whole context's text). An older one
   * still open in an editor keeps its text there; reopened, it is empty.
   */
  private readonly documents = new LRUCache<string, ShownPreview>({ max: PREVIEWS_KEPT });
  private readonly changed = this.register(new vscode.EventEmitter<vscode.Uri>());
  readonly onDidChange = this.changed.event;
  private counter = 0;
  private lastQuery = '';

  /**
   * @param hints the ranking hints a prompt typed now is sent with (GenerationController.promptHints): the preview ranks
   * with the same, so it shows what Generate Code… would send — also when the Output or results panel has focus.
   */
  constructor(
    private readonly context: ContextService,
    private readonly hints: () => ContextHints,
  ) {
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
    // The query Generate Code… ranks by (contextQueryFor), made the same way from the same hints.
    const ranked = contextQueryFor(query, this.hints());
    // No wait for a build in progress: like a prompt sent now, the preview gets what the files indexed so far give,
    // and says so (result.partial). Cancel stops the ranking.
    const result = await withCancellableProgress('Contexten: ranking context…', (signal) => this.context.getRelevantContext(ranked, signal));
    const uri = vscode.Uri.from({ scheme: PREVIEW_SCHEME, path: `/context-${++this.counter}.md` });
    const preview = formatContextPreview(query, result);
    // Where each location's file was in the workspace folders it was ranked in (ContextItem.uri, fixed by the ranking):
    // what its link opens, also after the folders changed (its index path means another file then, or none).
    this.documents.set(uri.toString(), { ...preview, targets: preview.locations.map((at) => (at.uri !== undefined ? vscode.Uri.parse(at.uri, true) : undefined)) });
    this.changed.fire(uri);
    const doc = await vscode.workspace.openTextDocument(uri);
    await vscode.languages.setTextDocumentLanguage(doc, 'markdown');
    return vscode.window.showTextDocument(doc, { preview: true, viewColumn: vscode.ViewColumn.Beside });
  }

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.documents.get(uri.toString())?.text ?? '';
  }

  provideDocumentLinks(doc: vscode.TextDocument): vscode.DocumentLink[] {
    // The locations the preview was made with (its text is never read for them: a file name or a line of code could
    // look like one).
    const links: vscode.DocumentLink[] = [];
    const shown = this.documents.get(doc.uri.toString());
    for (const [i, at] of (shown?.locations ?? []).entries()) {
      const target = shown?.targets[i];
      if (!target) continue;
      // (At the editor's line, which in a file with lone CRs is past the engine's: ContextItem.editorLine.)
      const link = new vscode.DocumentLink(new vscode.Range(at.line, at.start, at.line, at.end), target.with({ fragment: `L${at.editorLine ?? at.startLine}` }));
      link.tooltip = `Open ${at.file} at line ${at.editorLine ?? at.startLine}`;
      links.push(link);
    }
    return links;
  }
}
