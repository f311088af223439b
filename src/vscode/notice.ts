// Showing a notification (an error, or news such as a run's finish) without holding up whatever showed it. VS Code's
// show…Message resolves only when the user closes the notification (or it times out into the notification centre,
// where it can stay for the whole session), so a command that awaited it would not settle until then:
// `executeCommand('contexten.tasks.new', …)` would hang. The notification is shown and left to the user; a button
// clicked later still runs its action. Free of `vscode` (the window's function is passed in), so it is tested in plain
// Node.
import { errorMessage } from '../core/errors';
import type { Logger } from '../core/ports';

/** A button on the notification and what it does. */
export interface NoticeAction {
  readonly title: string;
  readonly run: () => unknown;
}

/**
 * The shape of vscode.window.showErrorMessage (and its Information and Warning siblings): resolves with the clicked
 * button's title once the notification closes.
 */
export type ShowMessage = (message: string, ...items: string[]) => PromiseLike<string | undefined>;

/**
 * Shows `message` with its buttons and returns at once. The button the user clicks, whenever that is, runs its
 * action; an action that fails is logged (the user clicked away from the notification it was the answer to).
 */
export function showNotice(show: ShowMessage, message: string, actions: readonly NoticeAction[], log: Logger): void {
  void Promise.resolve(show(message, ...actions.map((a) => a.title)))
    .then((pick) => actions.find((a) => a.title === pick)?.run())
    .catch((err: unknown) => log.warn(`A notification's action failed: ${errorMessage(err)}`));
}

/**
 * Runs a command's handler: its result, or — when it fails — `undefined` at once, after `report` has shown the
 * failure (report does not wait for the user: showNotice).
 */
export async function settleOnFailure<T>(handler: () => T | PromiseLike<T>, report: (err: unknown) => void): Promise<T | undefined> {
  try {
    return await handler();
  } catch (err) {
    report(err);
    return undefined;
  }
}
