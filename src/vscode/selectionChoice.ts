// Which of an editor's selections a command about "the selected code" works on, decided without the vscode API (the
// glue passes the editor's selections in), so that the rule is tested in plain Node. VS Code's `editorHasSelection`
// (which Ctrl+Alt+G and the context menu go by) is true when ANY selection is non-empty, not only the primary one.

interface Position {
  readonly line: number;
  readonly character: number;
}

/** What the rules need to know of a selection (a vscode.Selection has all of it). */
export interface SelectionShape {
  readonly start: Position;
  readonly end: Position;
  readonly isEmpty: boolean;
}

/** The selection a command works on, and how many other non-empty selections it leaves out. */
export interface ChosenSelection<S> {
  readonly selection: S;
  readonly ignored: number;
}

/**
 * The first non-empty selection, in the editor's order (the primary one first): with several cursors, the one that
 * selects code, though the primary cursor selects nothing. Undefined when none selects anything.
 */
export function selectionToUse<S extends { readonly isEmpty: boolean }>(selections: readonly S[]): ChosenSelection<S> | undefined {
  const nonEmpty = selections.filter((s) => !s.isEmpty);
  const first = nonEmpty[0];
  return first === undefined ? undefined : { selection: first, ignored: nonEmpty.length - 1 };
}

/**
 * The lines a selection covers, from 1. A selection of whole lines (`wholeLines`) ends at column 0 of the line after
 * them: that line is not part of it.
 */
export function selectedLines(selection: SelectionShape): { readonly first: number; readonly last: number; readonly wholeLines: boolean } {
  const { start, end } = selection;
  const wholeLines = end.character === 0 && end.line > start.line;
  return { first: start.line + 1, last: wholeLines ? end.line : end.line + 1, wholeLines };
}

/**
 * Which selection a command works on, when the editor has more than one that selects code (`lines 5-8; 1 other
 * selection ignored`), for the prompt's title; undefined when there is only the one.
 */
export function ignoredSelectionsNote(chosen: ChosenSelection<SelectionShape>): string | undefined {
  if (chosen.ignored === 0) return undefined;
  const { first, last } = selectedLines(chosen.selection);
  const lines = first === last ? `line ${first}` : `lines ${first}-${last}`;
  return `${lines}; ${chosen.ignored} other selection${chosen.ignored === 1 ? '' : 's'} ignored`;
}
