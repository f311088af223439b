import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import { runStateOf } from '../../../src/core/api/codegenSchemas';
import { finishNotice } from '../../../src/core/tasks/finishNotice';
import { NOTIFICATION_LINK } from '../fakes/notificationLink';

function run(status: string, extra: Partial<AgentRun> = {}): AgentRun {
  return { id: 7, organizationId: 1, status, state: runStateOf(status), pullRequests: [], ...extra };
}

/** Ids of the command table (commands.ts), whose wrapper shows a command's failure to the user. */
function commandTable(): Set<string> {
  const src = readFileSync(path.join(__dirname, '../../../src/vscode/commands.ts'), 'utf8');
  const table = src.slice(src.indexOf('export const COMMANDS'));
  return new Set([...table.matchAll(/^\s+'(contexten\.[A-Za-z.]+)':/gm)].map((m) => m[1] ?? ''));
}

describe('finishNotice (the notification when a followed run ends)', () => {
  it("offers Show Logs always, Open PR and Copy Result when the run has them, each as a registered command (whose failure is shown, not lost)", () => {
    const done = run('COMPLETE', { summary: 'Fixed it\nmore', result: 'the answer', pullRequests: [{ id: 1, title: 'Fix', url: 'https://example.com/pr/1', headBranchName: 'fix' }] });
    const notice = finishNotice(done);
    assert.equal(notice.ok, true);
    assert.equal(notice.text, 'Contexten: agent run #7 finished. Fixed it');
    assert.deepEqual(
      notice.actions.map((a) => [a.title, a.command, a.arg.kind]),
      [
        ['Open PR', 'contexten.tasks.openPullRequest', 'run'],
        ['Copy Result', 'contexten.tasks.copyResult', 'detail'],
        ['Show Logs', 'contexten.tasks.showLogs', 'run'],
      ],
    );
    const copy = notice.actions[1]?.arg;
    assert.ok(copy?.kind === 'detail' && copy.text === 'the answer');
    const table = commandTable();
    for (const a of notice.actions) assert.ok(table.has(a.command), `${a.command} is in the command table`);
  });

  it('a run that did not complete is a warning with its status, and Show Logs only', () => {
    const notice = finishNotice(run('FAILED'));
    assert.equal(notice.ok, false);
    assert.equal(notice.text, 'Contexten: agent run #7 ended: failed.');
    assert.deepEqual(notice.actions.map((a) => a.title), ['Show Logs']);
  });

  it("makes no link of the agent's summary or the server's status clickable (a planted instruction can shape a summary)", () => {
    const summary = 'Done. [Open PR #12](https://evil.example/login) or [fix](command:workbench.action.terminal.new)';
    const done = finishNotice(run('COMPLETE', { summary }));
    assert.equal(done.text.match(NOTIFICATION_LINK), null);
    assert.match(done.text, /Open PR #12\] \(https:\/\/evil\.example\/login\)/, 'the text still reads as written');
    assert.equal(finishNotice(run('[X](command:workbench.action.terminal.new)')).text.match(NOTIFICATION_LINK), null);
  });
});
