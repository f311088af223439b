// An open document's text crosses to the engine thread once; after that each update carries only its changes
// (a 50 KB document costs a 50 KB structured clone, and as much garbage on both threads, per keystroke
// otherwise). The caller numbers its updates (DocumentVersions), the engine thread keeps each document's text
// and applies them (DocumentMirror). An update whose base is not the mirror's version (lost, out of order,
// after a close) or whose result has not the length the caller computed is refused, and the caller sends the
// whole text again.
import type { TextChange } from './fileProcessor';
import { isAtOrUnder } from './folderPaths';

/** One update of an open document as it crosses the thread: the whole text, or changes to the previous version. */
export type DocumentUpdate =
  | {
      readonly version: number;
      readonly text: string;
      /** Changes from the text of the previous update, for the incremental parse (checked against the texts there). */
      readonly changes?: readonly TextChange[];
    }
  | {
      readonly version: number;
      /** The version `changes` apply to. */
      readonly base: number;
      /** Applied in order, each in the coordinates left by the one before (VS Code's contentChanges of one event). */
      readonly changes: readonly TextChange[];
      /** The length of the text they give, a check the mirror is in step. */
      readonly length: number;
    };

/** What the engine thread made of an update: `needsText` asks for the whole text of the same version. */
export type DocumentUpdateOutcome = 'applied' | 'needsText' | 'stale';

/** The text `changes` make of `text` (each in the coordinates left by the one before), or undefined when one falls outside it. */
export function applyTextChanges(text: string, changes: readonly TextChange[]): string | undefined {
  let current = text;
  for (const { start, deleteCount, text: inserted } of changes) {
    if (!(start >= 0 && deleteCount >= 0 && start + deleteCount <= current.length)) return undefined;
    current = current.slice(0, start) + inserted + current.slice(start + deleteCount);
  }
  return current;
}

/** The caller's side: numbers each document's updates and sends changes once the engine thread has a text. */
export class DocumentVersions {
  private readonly sent = new Map<string, number>();
  private last = 0;

  /**
   * The update to send for `text`: its changes alone when an update of `path` was sent before and `changes`
   * are given, else the whole text. Versions are unique across documents and reopenings.
   */
  next(path: string, text: string, changes?: readonly TextChange[]): DocumentUpdate {
    const version = ++this.last;
    const base = this.sent.get(path);
    this.sent.set(path, version);
    if (base !== undefined && changes !== undefined && changes.length > 0) return { version, base, changes, length: text.length };
    return { version, text, ...(changes ? { changes } : {}) };
  }

  /** The whole text of an update the engine thread refused (same version). */
  static withText(update: DocumentUpdate, text: string): DocumentUpdate {
    return { version: update.version, text, changes: update.changes ?? [] };
  }

  /** Whether `version` is still the last update sent for `path` (not overtaken by a newer one, nor by a close). */
  isLatest(path: string, version: number): boolean {
    return this.sent.get(path) === version;
  }

  /** The document was closed: its next update carries the whole text. */
  forget(path: string): void {
    this.sent.delete(path);
  }

  /**
   * The file or folder at `path` was renamed or moved: the documents at or under it are closed there (the engine's
   * index drops them; the editor sends their texts under the new paths), and a document opened there later is
   * another one, whose first update carries its whole text.
   */
  forgetUnder(path: string): void {
    for (const p of [...this.sent.keys()]) if (isAtOrUnder(path, p)) this.sent.delete(p);
  }
}

/** The engine thread's side: each open document's text as of the last update it applied. */
export class DocumentMirror {
  private readonly documents = new Map<string, { readonly version: number; readonly text: string }>();

  /** The document's new text, or why there is none: the update is older than the mirror's, or does not follow from it. */
  apply(path: string, update: DocumentUpdate): string | Exclude<DocumentUpdateOutcome, 'applied'> {
    const known = this.documents.get(path);
    if ('text' in update) {
      if (known && known.version >= update.version) return 'stale';
      this.documents.set(path, { version: update.version, text: update.text });
      return update.text;
    }
    if (!known || known.version !== update.base) return 'needsText';
    const text = applyTextChanges(known.text, update.changes);
    if (text === undefined || text.length !== update.length) return 'needsText';
    this.documents.set(path, { version: update.version, text });
    return text;
  }

  close(path: string): void {
    this.documents.delete(path);
  }

  /** Closes the documents at or under `path` (a file or folder renamed or moved: DocumentVersions.forgetUnder). */
  closeUnder(path: string): void {
    for (const p of [...this.documents.keys()]) if (isAtOrUnder(path, p)) this.documents.delete(p);
  }
}
