// What Show Diff does with its Apply/Discard question's end, decided without the vscode API (the glue passes in how the
// question ended), so that the rules are tested in plain Node. VS Code cannot take a notification away: its promise
// stays pending until a button is clicked or it is closed, so a question may be answered long after its diff is gone.

/** How a diff's question ended first: a button clicked (`undefined`: the notification closed), or the diff's tab closed. */
export type DiffQuestionEnd = { readonly pick: string | undefined } | 'tabClosed';

/**
 * What the end does: `apply` the change (only an Apply clicked while its diff is open), and `closeDiff`, close the
 * diff's tabs — any answer ends the diff's turn and its proposed side is no longer made again at edits, so a tab left
 * open would show a change that can no longer be applied (and, as the file is edited, a wrong one). A closed tab is the
 * Discard itself: nothing is left to close.
 */
export function afterDiffQuestion(end: DiffQuestionEnd): { readonly apply: boolean; readonly closeDiff: boolean } {
  if (end === 'tabClosed') return { apply: false, closeDiff: false };
  return { apply: end.pick === 'Apply', closeDiff: true };
}

/**
 * A click on a question whose diff's tab was closed before (a Discard): an Apply applies nothing and is told that the
 * change was already discarded ('sayDiscarded'); Discard, or the notification closed, asks for nothing more ('nothing').
 */
export function lateDiffAnswer(pick: string | undefined): 'sayDiscarded' | 'nothing' {
  return pick === 'Apply' ? 'sayDiscarded' : 'nothing';
}
