import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode } from '../fakes/fakeVscode';
import { ServerError } from '../../../src/core/errors';
import { presentError } from '../../../src/vscode/errorPresenter';
import { NOTIFICATION_LINK } from '../fakes/notificationLink';
import { RecordingLogger } from '../fakes/recordingLogger';

describe('presentError (a failure shown as a notification)', () => {
  it("makes no link of what the server said clickable: an error body's `[label](href)` shows as text", () => {
    const shown = fakeVscode.messages.length;
    presentError(new ServerError('Codegen failed (HTTP 500: see [the status page](https://evil.example/login) or [fix](command:workbench.action.terminal.new)).', 500), new RecordingLogger());
    const message = fakeVscode.messages.slice(shown).find((m) => m.kind === 'error');
    assert.ok(message, 'an error was shown');
    assert.match(message.text, /the status page\] \(https:\/\/evil\.example\/login\)/);
    assert.equal(message.text.match(NOTIFICATION_LINK), null);
  });
});
