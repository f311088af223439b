// Which editor a command works in, decided without the vscode API (the glue passes its editors in, and whether code
// can go into one), so that the rules are tested in plain Node.

/** The editor a command that edits works in, or why there is none. */
export type EditChoice<E> = { readonly editor: E } | { readonly problem: 'noEditor' } | { readonly problem: 'readOnly'; readonly readOnly: E };

/**
 * The editor a command that edits works in: the active one when code can go there. A read-only active editor (a
 * `git:` HEAD view, an extension's virtual document) is the problem, never passed over for another file's editor.
 * With no active text editor (the results panel has focus), the last editor code could go to, if it is still shown.
 */
export function editorToEdit<E>(active: E | undefined, last: E | undefined, canEdit: (editor: E) => boolean): EditChoice<E> {
  if (active !== undefined) return canEdit(active) ? { editor: active } : { problem: 'readOnly', readOnly: active };
  if (last !== undefined && canEdit(last)) return { editor: last };
  return { problem: 'noEditor' };
}

/**
 * The editor a command that only reads the selection works in: the active one, read-only or not (reading is fine
 * there); with no active text editor, the last editor code could go to, if it is still shown.
 */
export function editorToRead<E>(active: E | undefined, last: E | undefined, canEdit: (editor: E) => boolean): E | undefined {
  if (active !== undefined) return active;
  return last !== undefined && canEdit(last) ? last : undefined;
}

/**
 * The last editor code can go to: the last active one that could, until it is no longer shown (its tab closed — its
 * document may stay open, but an edit nobody sees must not go there).
 */
export class LastEditTarget<E> {
  private last: E | undefined;

  constructor(
    private readonly canEdit: (editor: E) => boolean,
    initial: E | undefined,
  ) {
    this.activeChanged(initial);
  }

  get editor(): E | undefined {
    return this.last;
  }

  /** window.onDidChangeActiveTextEditor. */
  activeChanged(editor: E | undefined): void {
    if (editor !== undefined && this.canEdit(editor)) this.last = editor;
  }

  /** window.onDidChangeVisibleTextEditors. */
  visibleChanged(visible: readonly E[]): void {
    if (this.last !== undefined && !visible.includes(this.last)) this.last = undefined;
  }
}
