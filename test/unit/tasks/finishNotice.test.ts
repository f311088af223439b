import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import { runStateOf } from '../../../src/core/api/codegenSchemas';
import { endedWhileClosedNotice, finishNotice, MAX_RUNS_NAMED, RestoredEnds } from '../../../src/core/tasks/finishNotice';
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

describe('endedWhileClosedNotice and RestoredEnds (the runs that ended while VS Code was closed, in one notification)', () => {
  it('names the runs newest first, with how each ended (a warning when one did not finish), and counts those past MAX_RUNS_NAMED', () => {
    const notice = endedWhileClosedNotice([run('COMPLETE', { id: 3 }), run('FAILED', { id: 9 })]);
    assert.deepEqual(notice, {
      ok: false,
      text: 'Contexten: 2 agent runs ended while VS Code was closed: #9 failed, #3 finished.',
      action: { title: 'Show Agent Tasks', command: 'contexten.tasks.focus' },
    });
    const many = endedWhileClosedNotice(Array.from({ length: MAX_RUNS_NAMED + 3 }, (_, i) => run('COMPLETE', { id: i + 1 })));
    assert.equal(many.ok, true);
    assert.match(many.text, /^Contexten: 13 agent runs ended while VS Code was closed: #13 finished, .*, #4 finished and 3 more\.$/);
  });

  it('reports the ends taken once every restored run is answered (or no longer waited for); none ended: nothing; a later end is not taken', () => {
    const reports: number[][] = [];
    const ends = new RestoredEnds((runs) => reports.push(runs.map((r) => r.id)));
    ends.expect([1, 2, 3, 4]);
    assert.equal(ends.takeEnd(run('COMPLETE', { id: 1 })), true);
    ends.answered(1);
    assert.equal(ends.takeEnd(run('FAILED', { id: 2 })), true);
    ends.answered(2);
    ends.answered(3);
    assert.deepEqual(reports, [], 'run 4 is still waited for');
    // (Run 4 stopped by the user before its first poll: no longer waited for.)
    ends.answered(4);
    assert.deepEqual(reports, [[1, 2]]);
    assert.equal(ends.takeEnd(run('COMPLETE', { id: 3 })), false, 'an end after the first poll is told on its own');

    ends.expect([5]);
    ends.answered(5);
    ends.expect([6]);
    ends.takeEnd(run('COMPLETE', { id: 6 }));
    ends.clear();
    ends.answered(6);
    assert.deepEqual(reports, [[1, 2]], 'none ended, or a sign-out meanwhile: nothing reported');
  });

  it('a run whose end was taken and that the user resumed before the others were answered is not reported as ended', () => {
    const reports: number[][] = [];
    const ends = new RestoredEnds((runs) => reports.push(runs.map((r) => r.id)));
    ends.expect([1, 2, 3]);
    ends.takeEnd(run('COMPLETE', { id: 1 }));
    ends.answered(1);
    ends.takeEnd(run('COMPLETE', { id: 2 }));
    ends.answered(2);
    // (Run 2 resumed: it runs again.)
    ends.forget(2);
    ends.answered(3);
    assert.deepEqual(reports, [[1]]);
  });
});
