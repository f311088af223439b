import assert from 'node:assert/strict';
import { ProtocolError } from '../../../src/core/errors';
import { agentRunLogsSchema, agentRunSchema, organizationSchema, pageSchema, parseAnswer, parseServerDate, runStateOf } from '../../../src/core/api/codegenSchemas';

describe('Codegen schemas (lenient parsing)', () => {
  it('reads timestamps with and without timezone as the same UTC instant', () => {
    const utc = Date.UTC(2025, 5, 21, 11, 20, 4, 338);
    assert.equal(parseServerDate('2025-06-21 11:20:04.338398')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21T11:20:04.338398')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21T11:20:04.338398+00:00')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21T13:20:04.338+0200')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21T11:20:04.338Z')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21 11:20')?.getTime(), Date.UTC(2025, 5, 21, 11, 20));
    assert.equal(parseServerDate('yesterday'), undefined);
    assert.equal(parseServerDate(null), undefined);
  });

  it('reads a zone written as hours alone (+00, as PostgreSQL writes it), and as ±hhmm or ±hh:mm, in any local timezone', () => {
    assert.notEqual(new Date(0).getTimezoneOffset(), 0, 'the tests run in a timezone other than UTC');
    const utc = Date.UTC(2025, 5, 21, 11, 20, 4, 338);
    assert.equal(parseServerDate('2025-06-21 11:20:04.338398+00')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21T11:20:04.338+00')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21T11:20:04+00')?.getTime(), Date.UTC(2025, 5, 21, 11, 20, 4));
    assert.equal(parseServerDate('2025-06-21T16:50:04.338+05')?.getTime(), utc + 30 * 60_000);
    assert.equal(parseServerDate('2025-06-21T16:50:04.338+05:30')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21T03:20:04.338-0800')?.getTime(), utc);
    assert.equal(parseServerDate('2025-06-21T03:20:04.338 -08')?.getTime(), utc);
  });

  it('reads a date or time that does not exist as none, instead of rolling it over', () => {
    assert.equal(parseServerDate('2025-02-30 10:00:00'), undefined);
    assert.equal(parseServerDate('2025-02-29'), undefined, '2025 is no leap year');
    assert.equal(parseServerDate('2024-02-29')?.getTime(), Date.UTC(2024, 1, 29));
    assert.equal(parseServerDate('2025-13-01 10:00'), undefined);
    assert.equal(parseServerDate('2025-06-21 24:00:00'), undefined);
    assert.equal(parseServerDate('2025-06-21 11:60'), undefined);
    assert.equal(parseServerDate('2025-06-21 11:20:61'), undefined);
    assert.equal(parseServerDate('2025-06-21T11:20:04+24:00'), undefined);
    assert.equal(parseServerDate('2025-06-21T11:20:04+01:75'), undefined);
  });

  it('normalises status case and maps unknown statuses to unknown', () => {
    assert.equal(runStateOf('completed'), 'complete');
    assert.equal(runStateOf('COMPLETE'), 'complete');
    assert.equal(runStateOf('running'), 'active');
    assert.equal(runStateOf('PAUSED'), 'active');
    for (const s of ['FAILED', 'ERROR', 'CANCELLED', 'STOPPED', 'TIMEOUT', 'MAX_ITERATIONS_REACHED', 'OUT_OF_TOKENS']) assert.equal(runStateOf(s), 'failed', s);
    assert.equal(runStateOf('AWAITING_REVIEW'), 'unknown');
    assert.equal(runStateOf(undefined), 'unknown');
  });

  it('keeps only links the sidebar may open: https, or http on a loopback host (javascript:, file:, command: read as none)', () => {
    const run = parseAnswer(
      agentRunSchema,
      {
        id: 7,
        organization_id: 1,
        status: 'COMPLETE',
        web_url: 'file:///etc/passwd',
        github_pull_requests: [
          { id: 1, title: 'a', url: 'javascript:alert(1)' },
          { id: 2, title: 'b', url: 'command:workbench.action.terminal.new' },
          { id: 3, title: 'c', url: 'https://github.com/o/r/pull/3' },
          { id: 4, title: 'd', url: 'http://127.0.0.1:9/pr/4' },
          { id: 5, title: 'e', url: 'https://github.com/o/r/pull/5) [x](https://evil.example' },
        ],
      },
      'GET x',
    );
    assert.equal(run.webUrl, undefined);
    assert.deepEqual(
      run.pullRequests.map((p) => p.url),
      ['', '', 'https://github.com/o/r/pull/3', 'http://127.0.0.1:9/pr/4', 'https://github.com/o/r/pull/5%29%20[x]%28https://evil.example'],
    );
    assert.equal(parseAnswer(agentRunSchema, { id: 8, organization_id: 1, web_url: 'https://codegen.com/agent/trace/8' }, 'GET x').webUrl, 'https://codegen.com/agent/trace/8');
  });

  it('says how many items a page held, readable or not: the next skip (paging by what was read repeated items)', () => {
    const page = parseAnswer(pageSchema(agentRunSchema), { items: [{ id: 1, organization_id: 1 }, { broken: true }, { id: 3, organization_id: 1 }], total: 10, page: 1, size: 3, pages: 4 }, 'GET runs');
    assert.deepEqual([page.items.length, page.received, page.dropped], [2, 3, 1]);
    const logs = parseAnswer(agentRunLogsSchema, { id: 7, organization_id: 1, logs: [{ agent_run_id: 7 }, { nope: 1 }], total_logs: 9 }, 'GET logs');
    assert.deepEqual([logs.logs.length, logs.received, logs.dropped], [1, 2, 1]);
  });

  it('reads log entries that leave out the optional fields (the API requires agent_run_id only)', () => {
    const logs = parseAnswer(agentRunLogsSchema, { id: 7, organization_id: 1, status: 'RUNNING', logs: [{ agent_run_id: 7 }, { agent_run_id: 7, thought: 'x', tool_name: 't' }], total_logs: 2, page: 1, size: 100, pages: 1 }, 'GET logs');
    assert.equal(logs.logs.length, 2);
    assert.equal(logs.dropped, 0);
    assert.equal(logs.logs[1]?.thought, 'x');
  });

  it('reads a run with nulls, absent fields, extra fields and string ids', () => {
    const run = parseAnswer(agentRunSchema, { id: '42', organization_id: 1, status: null, web_url: null, brand_new_field: { x: 1 }, github_pull_requests: null, metadata: 'not an object' }, 'GET x');
    assert.deepEqual(run, { id: 42, organizationId: 1, status: '', state: 'unknown', pullRequests: [] });
    assert.ok(!('createdAt' in run));
  });

  it('keeps readable pull requests and drops broken ones', () => {
    const run = parseAnswer(
      agentRunSchema,
      {
        id: 1,
        organization_id: 1,
        status: 'complete',
        created_at: '2025-06-21 11:20:04',
        github_pull_requests: [{ id: 7, title: null, url: 'https://github.com/o/r/pull/7', created_at: '2025-06-21T11:25:00Z', head_branch_name: 'b' }, { title: 'no id' }],
      },
      'GET x',
    );
    assert.equal(run.status, 'COMPLETE');
    assert.equal(run.state, 'complete');
    assert.equal(run.createdAt?.toISOString(), '2025-06-21T11:20:04.000Z');
    assert.deepEqual(run.pullRequests, [{ id: 7, title: 'Pull request 7', url: 'https://github.com/o/r/pull/7', createdAt: new Date('2025-06-21T11:25:00Z'), headBranchName: 'b' }]);
  });

  it('a run without its ids is a ProtocolError naming the field', () => {
    assert.throws(() => parseAnswer(agentRunSchema, { status: 'RUNNING' }, 'GET /run'), (e: unknown) => e instanceof ProtocolError && /GET \/run: id/.test(e.message));
  });

  it('drops unreadable page items and counts them', () => {
    const page = parseAnswer(pageSchema(organizationSchema), { items: [{ id: 1, name: 'A' }, { name: 'no id' }, { id: 3, name: null }], total: 3, page: 1, size: 100, pages: 1 }, 'GET /orgs');
    assert.deepEqual(page.items, [
      { id: 1, name: 'A' },
      { id: 3, name: 'Organization 3' },
    ]);
    assert.equal(page.dropped, 1);
  });

  it('reads logs: object observations as JSON text, upper-cased message types, paging defaults', () => {
    const logs = parseAnswer(agentRunLogsSchema, { id: 5, organization_id: 1, status: 'RUNNING', logs: [{ agent_run_id: 5, message_type: 'action', observation: { files: 2 }, tool_input: { q: 'x' }, tool_output: null }] }, 'GET logs');
    assert.equal(logs.run.state, 'active');
    assert.deepEqual(logs.logs, [{ agentRunId: 5, messageType: 'ACTION', observation: '{"files":2}', toolInput: { q: 'x' } }]);
    assert.equal(logs.totalLogs, undefined, 'no total sent: the run\'s count is unknown, not this page\'s length');
    assert.equal(logs.page, 1);
    assert.equal(logs.pages, undefined);
  });

  it('keeps the logs total unknown when the server sends total_logs: null (allowed by the OpenAPI)', () => {
    const logs = parseAnswer(agentRunLogsSchema, { id: 5, organization_id: 1, logs: [{ agent_run_id: 5 }], total_logs: null, page: null, size: null, pages: null }, 'GET logs');
    assert.equal(logs.totalLogs, undefined);
    assert.equal(logs.pages, undefined);
    assert.equal(logs.received, 1);
    const told = parseAnswer(agentRunLogsSchema, { id: 5, organization_id: 1, logs: [{ agent_run_id: 5 }], total_logs: 250, size: 1 }, 'GET logs');
    assert.deepEqual([told.totalLogs, told.pages], [250, 250]);
  });
});
