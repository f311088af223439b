import assert from 'node:assert/strict';
import { NetworkError } from '../../src/core/errors';
import { describeErrorForLog, disposeWhenSettled, formatLogLine, lineLogger, SinkLogger, type LogSink } from '../../src/core/logLines';

function recordingSink(): LogSink & { lines: string[]; disposed: number; failing: boolean } {
  const sink = {
    lines: [] as string[],
    disposed: 0,
    failing: false,
    trace: (l: string) => write(`trace ${l}`),
    debug: (l: string) => write(`debug ${l}`),
    info: (l: string) => write(`info ${l}`),
    warn: (l: string) => write(`warn ${l}`),
    error: (l: string) => write(`error ${l}`),
    dispose: () => {
      sink.disposed++;
    },
  };
  const write = (l: string): void => {
    if (sink.failing) throw new Error('Channel has been closed');
    sink.lines.push(l);
  };
  return sink;
}

describe('logLines', () => {
  describe('SinkLogger', () => {
    it('writes redacted lines at their level', () => {
      const sink = recordingSink();
      const log = new SinkLogger(sink, () => ['sk-secret-value']);
      log.info('token sk-secret-value used', { n: 1 });
      log.warn('auth', 'Bearer abcdef123');
      assert.deepEqual(sink.lines, ['info token «redacted» used {"n":1}', 'warn auth Bearer «redacted»']);
    });

    it('never throws: a sink that throws is ignored, and after dispose nothing is written', () => {
      const sink = recordingSink();
      const log = new SinkLogger(sink, () => []);
      sink.failing = true;
      assert.doesNotThrow(() => log.trace('while the channel throws'));
      sink.failing = false;
      log.dispose();
      log.dispose();
      assert.equal(sink.disposed, 1, 'the sink is disposed once');
      sink.failing = true; // a disposed VS Code channel throws on every write
      for (const level of ['trace', 'debug', 'info', 'warn', 'error'] as const) assert.doesNotThrow(() => log[level]('after dispose'));
      assert.deepEqual(sink.lines, []);
    });
  });

  describe('errors in log lines', () => {
    it('an unexpected error gets its stack and its causes, redacted like any line', () => {
      const cause = new Error('connect ECONNREFUSED with token tok-12345678');
      const err = new TypeError("Cannot read properties of undefined (reading 'id')", { cause });
      const line = formatLogLine(err, [], ['tok-12345678']);
      assert.match(line, /^TypeError: Cannot read properties of undefined \(reading 'id'\)\n\s+at /);
      assert.match(line, /\nCaused by: Error: connect ECONNREFUSED with token «redacted»\n\s+at /);
      assert.doesNotMatch(line, /tok-12345678/);
    });

    it("the product's own errors (expected outcomes) stay one line", () => {
      assert.equal(describeErrorForLog(new NetworkError('The server could not be reached.', { cause: new Error('ECONNRESET') })), 'NetworkError: The server could not be reached.');
    });

    it('a cycle of causes ends', () => {
      const a = new Error('a');
      const b = new Error('b', { cause: a });
      a.cause = b;
      assert.equal(describeErrorForLog(a).split('Caused by:').length - 1, 4);
    });

    it('an error passed as an argument is described the same way', () => {
      const line = formatLogLine('indexing failed:', [new RangeError('Invalid array length')], []);
      assert.match(line, /^indexing failed: RangeError: Invalid array length\n\s+at /);
    });
  });

  it("lineLogger (worker threads, the CLI): SinkLogger's lines at the levels asked for, others dropped", () => {
    const lines: string[] = [];
    const log = lineLogger(['warn', 'error'], (level, line) => lines.push(`${level} ${line}`));
    log.debug('not wanted');
    log.info('not wanted either');
    log.warn('careful with this', { n: 1 });
    const bug = new TypeError('undefined is not a function (Bearer abcdefgh)', { cause: new RangeError('too deep') });
    log.error('it broke:', bug);
    log.error(new NetworkError('connection refused'));
    assert.equal(lines[0], 'warn careful with this {"n":1}');
    const broke = (lines[1] ?? '').split('\n');
    assert.equal(broke[0], 'error it broke: TypeError: undefined is not a function (Bearer «redacted»)');
    assert.match(broke[1] ?? '', /^ {4}at /, 'its stack');
    assert.ok(broke.some((l) => l === 'Caused by: RangeError: too deep'), 'and its cause');
    assert.equal(lines[2], 'error NetworkError: connection refused');
    assert.equal(lines.length, 3);
  });

  it('disposeWhenSettled disposes after the work settles, also when it fails, without rejecting', async () => {
    let disposed = 0;
    let fail: (e: Error) => void = () => undefined;
    const work = new Promise<void>((_, reject) => (fail = reject));
    const closed = disposeWhenSettled(work, { dispose: () => disposed++ });
    await Promise.resolve();
    assert.equal(disposed, 0);
    fail(new Error('transport close failed'));
    await closed;
    assert.equal(disposed, 1);
  });
});
