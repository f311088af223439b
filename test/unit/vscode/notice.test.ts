import assert from 'node:assert/strict';
import { PlanLimitError } from '../../../src/core/errors';
import { type NoticeAction, settleOnFailure, showNotice, type ShowMessage } from '../../../src/vscode/notice';
import { RecordingLogger } from '../fakes/recordingLogger';

/** A notification the test closes when it likes (as the user does): `close('Open Settings')` clicks that button. */
function notification(): { show: ShowMessage; shown: { message: string; items: string[] }[]; close: (pick: string | undefined) => void } {
  const shown: { message: string; items: string[] }[] = [];
  let close: (pick: string | undefined) => void = () => assert.fail('nothing shown');
  const show: ShowMessage = (message, ...items) => {
    shown.push({ message, items });
    return new Promise<string | undefined>((resolve) => (close = resolve));
  };
  return { show, shown, close: (pick) => close(pick) };
}

/** A RecordingLogger whose `warned` resolves with the first warning. */
class WarnWaitingLogger extends RecordingLogger {
  private resolveWarned: (line: string) => void = () => undefined;
  readonly warned = new Promise<string>((resolve) => (this.resolveWarned = resolve));
  override warn(message: string, ...args: unknown[]): void {
    super.warn(message, ...args);
    this.resolveWarned(message);
  }
}

describe('a command that fails (settleOnFailure, showNotice)', () => {
  it('settles at once while the error notification is still open, and runs the button clicked later', async () => {
    const log = new RecordingLogger();
    const n = notification();
    let clicked: () => void = () => undefined;
    const ran = new Promise<void>((resolve) => (clicked = resolve));
    const actions: NoticeAction[] = [{ title: 'Open Settings', run: () => clicked() }];
    // (contexten.tasks.new answered 402: executeCommand's promise is the one settleOnFailure returns.)
    const result = await settleOnFailure(
      () => Promise.reject(new PlanLimitError("Codegen: the plan's allotment is used up (HTTP 402).")),
      (err) => showNotice(n.show, `Contexten: ${(err as Error).message}`, actions, log),
    );
    // (Had it waited for the user, the await above would never have returned: the notification is still open.)
    assert.equal(result, undefined);
    assert.deepEqual(n.shown, [{ message: "Contexten: Codegen: the plan's allotment is used up (HTTP 402).", items: ['Open Settings'] }]);
    n.close('Open Settings');
    await ran;
  });

  it('runs no action when the notification is closed without a click, and logs an action that fails', async () => {
    const log = new WarnWaitingLogger();
    const dismissed = notification();
    let runs = 0;
    showNotice(dismissed.show, 'Contexten: x', [{ title: 'Show Logs', run: () => runs++ }], log);
    dismissed.close(undefined);

    const failing = notification();
    let failed: () => void = () => undefined;
    const reached = new Promise<void>((resolve) => (failed = resolve));
    showNotice(
      failing.show,
      'Contexten: y',
      [
        {
          title: 'Sign In',
          run: () => {
            failed();
            return Promise.reject(new Error('command not found'));
          },
        },
      ],
      log,
    );
    failing.close('Sign In');
    await reached;
    assert.match(await log.warned, /action failed: command not found/);
    assert.equal(runs, 0);
  });

  it("returns the handler's result when it succeeds, and reports nothing", async () => {
    let reported = 0;
    assert.deepEqual(await settleOnFailure(() => Promise.resolve({ id: 7 }), () => reported++), { id: 7 });
    assert.equal(await settleOnFailure(() => 'sync', () => reported++), 'sync');
    assert.equal(reported, 0);
  });
});
