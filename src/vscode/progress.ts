import * as vscode from 'vscode';

/**
 * Runs `work` under a cancellable notification progress; the notification's Cancel aborts `controller`
 * (pass your own when something else — a panel button — can cancel the same work).
 */
export async function withCancellableProgress<T>(
  title: string,
  work: (signal: AbortSignal) => Promise<T>,
  controller: AbortController = new AbortController(),
): Promise<T> {
  return vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title, cancellable: true }, async (_p, token) => {
    if (token.isCancellationRequested) controller.abort();
    const sub = token.onCancellationRequested(() => controller.abort());
    try {
      return await work(controller.signal);
    } finally {
      sub.dispose();
    }
  });
}
