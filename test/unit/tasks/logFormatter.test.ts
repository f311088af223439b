import assert from 'node:assert/strict';
import { formatRunLogs } from '../../../src/core/tasks/logFormatter';

describe('formatRunLogs (the run logs document)', () => {
  it("shows a tool's colored output without its terminal escape sequences, wherever they are", () => {
    const text = formatRunLogs({
      run: { id: 7, organizationId: 1, status: 'RUNNING', state: 'active', pullRequests: [], summary: '\u001b[1mTests\u001b[0m pass', result: '\u001b[32mok\u001b[39m' },
      logs: [{ agentRunId: 7, messageType: 'ACTION', toolName: '\u001b[36mbash\u001b[0m', toolOutput: '\u001b[31mred\u001b[0m 1 failing\n\u001b]0;title\u0007done', observation: '\u001b[2Kprogress' }],
      totalLogs: 1,
    });
    assert.ok(!/[\u001b\u009b\u009d]/.test(text), JSON.stringify(text));
    assert.match(text, /output: red 1 failing\n {4}done/);
    assert.match(text, /Summary: Tests pass/);
    assert.match(text, /ACTION · bash/);
    assert.match(text, /observation: progress/);
    assert.match(text, /Result:\nok$/);
  });

  it("leaves the escape sequences out of a tool's structured input and output too (JSON writes ESC as \\u001b)", () => {
    const text = formatRunLogs({
      run: { id: 8, organizationId: 1, status: 'RUNNING', state: 'active', pullRequests: [] },
      logs: [{ agentRunId: 8, messageType: 'ACTION', toolName: 'bash', toolInput: { command: '\u001b[1mnpm test\u001b[0m' }, toolOutput: { stdout: '\u001b[31mFAIL\u001b[0m test', code: 1 } }],
      totalLogs: 1,
    });
    assert.ok(!text.includes('\\u001b'), text);
    assert.match(text, /"stdout":"FAIL test","code":1/);
    assert.match(text, /"command":"npm test"/);
  });
});
