// Which editor a command works in, decided without the vscode API (the glue passes its editors in, and whether code
// can go into one), so that the rules are tested in plain Node.

/** The editor a command that edits works in, or why there is none. */
export type EditChoice<E> = { readonly editor: E } | { readonly problem: 'noEditor' };

/**
 * The editor a command that edits works in: the active one when code can go there, else the last such editor
 * (e.g. while the results panel has focus).
 */
export function editorToEdit<E>(active: E | undefined, last: E | undefined, canEdit: (editor: E) => boolean): EditChoice<E> {
  if (active !== undefined && canEdit(active)) return { editor: active };
  if (last !== undefined && canEdit(last)) return { editor: last };
  return { problem: 'noEditor' };
}

/** The editor a command that only reads the selection works in. */
export function editorToRead<E>(active: E | undefined, last: E | undefined, canEdit: (editor: E) => boolean): E | undefined {
  const choice = editorToEdit(active, last, canEdit);
  return 'editor' in choice ? choice.editor : undefined;
}

/** The last editor code can go to: the last active one that could. */
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
}
