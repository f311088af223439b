import assert from 'node:assert/strict';
import { formatRunLogs } from '../../../src/core/tasks/logFormatter';
import { fetchRunLogs, LOGS_LOADING, RunLogsTexts } from '../../../src/core/tasks/runLogs';
import { type Harness, startHarness } from '../api/codegenHarness';

describe('task logs (real client and contract server)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ server: { rateLimits: false } });
  });
  afterEach(() => h.close());

  /** A run that has ended with its 25 log entries (the task, the plan, 22 actions, the final answer). */
  async function endedRun(): Promise<number> {
    const run = await h.run(h.client.createRun({ prompt: 'Add a greeting' }));
    await h.clock.advance(30_000);
    return run.id;
  }

  describe('fetchRunLogs and the logs document', () => {
    const logRequests = (id: number): string[] =>
      h.server
        .requests()
        .filter((r) => r.path.endsWith(`/agent/run/${id}/logs`))
        .map((r) => `${r.query['skip']}+${r.query['limit']}`);

    it('a run with no more entries than the cap: every page, oldest first, nothing left out', async () => {
      const id = await endedRun();
      const read = await h.run(fetchRunLogs(h.client, id, { maxEntries: 100, pageSize: 10 }));
      assert.equal(read.totalLogs, 25);
      assert.equal(read.logs.length, 25);
      assert.equal(read.gap, undefined);
      assert.equal(read.logs[0]?.messageType, 'USER_MESSAGE');
      assert.equal(read.logs.at(-1)?.messageType, 'FINAL_ANSWER');
      assert.deepEqual(logRequests(id), ['0+10', '10+10', '20+10']);
      assert.match(formatRunLogs(read), /^25 of 25 log entries$/m);
    });

    it('past the cap: the first page and the newest entries, saying which were left out', async () => {
      const id = await endedRun();
      const read = await h.run(fetchRunLogs(h.client, id, { maxEntries: 12, pageSize: 5 }));
      assert.equal(read.logs.length, 12);
      assert.deepEqual(read.gap, { after: 5, first: 6, count: 13 });
      assert.equal(read.logs[0]?.messageType, 'USER_MESSAGE', 'the task is shown');
      assert.equal(read.logs.at(-1)?.messageType, 'FINAL_ANSWER', 'and the newest entry');
      assert.match(read.logs[5]?.thought ?? '', /^Step 17:/, 'entry 19 comes right after the gap (the 17th action)');
      assert.deepEqual(logRequests(id), ['0+5', '18+5', '23+2']);
      const text = formatRunLogs(read);
      assert.match(text, /^12 of 25 log entries: the first 5 and the newest 7; the 13 between them \(entries 6–18\) are left out$/m);
      assert.match(text, /^… 13 entries left out \(entries 6–18\); the newest follow …$/m);
      assert.ok(text.indexOf('Step 3:') < text.indexOf('entries left out') && text.indexOf('entries left out') < text.indexOf('Step 17:'));
      assert.doesNotMatch(text, /Step 4:/);
    });
  });

  describe('RunLogsTexts: the logs documents’ texts, fetched again once freed', () => {
    /** RunLogsTexts whose `changed` calls are recorded, and a promise of the next one. */
    function texts(opts: { maxEntries?: number; pageSize?: number } = {}): { texts: RunLogsTexts; changes: number[]; nextChange: () => Promise<number> } {
      const changes: number[] = [];
      let waiting: ((id: number) => void) | undefined;
      const t = new RunLogsTexts(
        h.client,
        (id) => {
          changes.push(id);
          waiting?.(id);
        },
        h.logger,
        opts,
      );
      return { texts: t, changes, nextChange: () => new Promise<number>((resolve) => (waiting = resolve)) };
    }

    it('a text asked for after it was freed (the document closed and reopened) is fetched again, and its change fired', async () => {
      const id = await endedRun();
      const { texts: t, changes, nextChange } = texts({ pageSize: 10 });
      await h.run(t.load(id));
      const shown = t.text(id);
      assert.match(shown, /^25 of 25 log entries$/m);
      assert.deepEqual(changes, [id]);
      // The language mode changed: VS Code closes the document (its text freed) and asks for the text again.
      t.forget(id);
      const changed = nextChange();
      assert.equal(t.text(id), LOGS_LOADING);
      assert.equal(t.text(id), LOGS_LOADING, 'asked again while it loads: no second fetch');
      assert.equal(await h.run(changed), id);
      assert.equal(t.text(id), shown, 'the same text as "Show Task Logs" made');
      const logRequests = h.server.requests().filter((r) => r.path.endsWith(`/agent/run/${id}/logs`));
      assert.equal(logRequests.length, 6, 'three pages for the command, three for the reopened document');
      assert.deepEqual(changes, [id, id]);
    });

    it('a text never loaded is fetched too, with the same cap of entries', async () => {
      const id = await endedRun();
      const { texts: t, nextChange } = texts({ maxEntries: 12, pageSize: 5 });
      const changed = nextChange();
      assert.equal(t.text(id), LOGS_LOADING);
      await h.run(changed);
      assert.match(t.text(id), /^12 of 25 log entries: the first 5 and the newest 7/m);
    });

    it('a failed fetch shows in the document as text with the next step, and nothing rejects', async () => {
      const id = await endedRun();
      const { texts: t, nextChange } = texts();
      h.token.value = undefined;
      const changed = nextChange();
      assert.equal(t.text(id), LOGS_LOADING);
      await h.run(changed);
      const text = t.text(id);
      assert.match(text, new RegExp(`^Could not load the logs of run #${id}\\.$`, 'm'));
      assert.match(text, /^Next: run "Contexten: Sign In to Codegen"; then run "Contexten: Show Task Logs" again\.$/m);
      assert.ok(h.logger.lines.some((l) => l.level === 'error' && l.text.includes(`logs of run #${id}`)), 'and it is logged');
    });

    it('a document closed while its text loads drops that fetch: only the fetch of the reopened one fires a change', async () => {
      const id = await endedRun();
      const { texts: t, changes, nextChange } = texts();
      assert.equal(t.text(id), LOGS_LOADING);
      t.forget(id);
      const changed = nextChange();
      assert.equal(t.text(id), LOGS_LOADING);
      await h.run(changed);
      assert.deepEqual(changes, [id]);
      assert.match(t.text(id), /^25 of 25 log entries$/m);
    });
  });
});

describe('task logs when the server sends no total (total_logs: null)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startHarness({ server: { rateLimits: false, nullLogTotals: true } });
  });
  afterEach(() => h.close());

  const logRequests = (id: number): string[] =>
    h.server
      .requests()
      .filter((r) => r.path.endsWith(`/agent/run/${id}/logs`))
      .map((r) => `${r.query['skip']}+${r.query['limit']}`);

  async function endedRun(): Promise<number> {
    const run = await h.run(h.client.createRun({ prompt: 'Add a greeting' }));
    await h.clock.advance(30_000);
    return run.id;
  }

  it('pages on until a short page: every entry, and the document does not claim a count', async () => {
    const id = await endedRun();
    const read = await h.run(fetchRunLogs(h.client, id, { maxEntries: 100, pageSize: 10 }));
    assert.equal(read.logs.length, 25, 'not just the first page');
    assert.equal(read.totalLogs, undefined);
    assert.equal(read.more, undefined);
    assert.equal(read.logs.at(-1)?.messageType, 'FINAL_ANSWER');
    assert.deepEqual(logRequests(id), ['0+10', '10+10', '20+10']);
    const text = formatRunLogs(read);
    assert.match(text, /^25 log entries: the server sent no total: read up to its last page$/m);
    assert.doesNotMatch(text, / of \d+ log entries/);
  });

  it('an exactly full last page: one more (empty) page ends the reading', async () => {
    const id = await endedRun();
    const read = await h.run(fetchRunLogs(h.client, id, { maxEntries: 100, pageSize: 5 }));
    assert.equal(read.logs.length, 25);
    assert.deepEqual(logRequests(id), ['0+5', '5+5', '10+5', '15+5', '20+5', '25+5']);
  });

  it('past the cap: the first entries up to it, saying that more may follow (never "N of N")', async () => {
    const id = await endedRun();
    const read = await h.run(fetchRunLogs(h.client, id, { maxEntries: 12, pageSize: 5 }));
    assert.equal(read.logs.length, 12);
    assert.equal(read.more, true);
    assert.equal(read.gap, undefined);
    assert.deepEqual(logRequests(id), ['0+5', '5+5', '10+2']);
    assert.match(formatRunLogs(read), /^12 log entries: the first 12; more may follow \(open the run in the browser for the rest\)$/m);
  });
});
