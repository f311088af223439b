// At window close VS Code calls deactivate (the container's shutDown: the clean-ups of cancelled Codegen requests get
// up to 4 s) and right after, without awaiting it, disposes the subscriptions, the log channel among them. A closed
// channel throws "Channel has been closed" on every write; the clean-ups log, so they must neither fail on it nor lose
// their lines.
import assert from 'node:assert/strict';
import { CodegenClient } from '../../../src/core/api/codegenClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import { CancellationError } from '../../../src/core/errors';
import { disposeWhenSettled, SinkLogger, type LogSink } from '../../../src/core/logLines';
import type { Logger, LogLevel } from '../../../src/core/ports';
import { SANDBOX_TOKEN, startCodegenServer, type CodegenServer } from '../../servers/codegen/codegenServer';
import { settle } from '../fakes/driveClock';
import { FakeClock } from '../fakes/fakeClock';
import { TrackingTransport } from '../fakes/trackingTransport';

/** Like VS Code's LogOutputChannel: keeps lines, and once disposed throws on every write, whatever the level. */
class FakeChannel implements LogSink {
  readonly lines: string[] = [];
  closed = false;
  readonly trace = this.writer('trace');
  readonly debug = this.writer('debug');
  readonly info = this.writer('info');
  readonly warn = this.writer('warn');
  readonly error = this.writer('error');
  dispose(): void {
    this.closed = true;
  }
  private writer(level: LogLevel) {
    return (line: string): void => {
      if (this.closed) throw new Error('Channel has been closed');
      this.lines.push(`[${level}] ${line}`);
    };
  }
}

describe('shutting down while the log channel closes', () => {
  let clock: FakeClock;
  let server: CodegenServer;
  let transport: TrackingTransport;

  beforeEach(async () => {
    clock = new FakeClock();
    server = await startCodegenServer({ clock });
  });
  afterEach(async () => {
    await transport.close();
    await server.close();
  });

  /** Wires transport and client on one logger (as the container does) and leaves a cancelled createRun whose run was created. */
  async function cancelledCreateRun(logger: Logger): Promise<CodegenClient> {
    transport = new TrackingTransport(new UndiciTransport({ maxConnections: 4, logger }));
    const client = new CodegenClient({
      transport,
      clock,
      random: () => 0.5,
      logger,
      settings: () => ({ baseUrl: server.url, orgId: '1', timeoutMs: 10_000, maxRetries: 3 }),
      token: async () => SANDBOX_TOKEN,
    });
    server.addFault({ path: 'agent/run$', kind: 'processed-502' }); // the run is created, its answer lost
    const ac = new AbortController();
    const created = client.createRun({ prompt: 'Add a health-check endpoint' }, ac.signal);
    await clock.whenTimerPending(); // the wait before the retry
    ac.abort();
    await assert.rejects(created, CancellationError);
    return client;
  }
  const runSteps = (): string[] =>
    server
      .requests()
      .filter((r) => /agent\/run/.test(r.path))
      .map((r) => `${r.method} ${r.path.replace(/\/v1(\/beta)?\/organizations\/1/, '')} ${r.status ?? ''}`);

  it('the clean-up still stops the run when the channel is closed right after shutting down began', async () => {
    const channel = new FakeChannel();
    // (The extension's logger over the channel: a write to the closed channel throws inside it.)
    const client = await cancelledCreateRun(new SinkLogger(channel, () => []));
    const stopped = client.shutdown(4_000);
    channel.dispose(); // what VS Code does right after calling deactivate
    await settle(stopped, clock, transport);
    assert.deepEqual(runSteps(), ['POST /agent/run 502', 'GET /agent/runs 200', 'POST /agent/run/stop 200'], 'the run the cancelled request created was stopped');
  });

  it('the log is closed only once the shutdown settled, so the clean-up\'s lines reach it', async () => {
    const channel = new FakeChannel();
    const log = new SinkLogger(channel, () => []);
    const client = await cancelledCreateRun(log);
    const stopped = client.shutdown(4_000);
    const logClosed = disposeWhenSettled(stopped, log);
    assert.equal(channel.closed, false, 'open while the clean-ups run');
    await settle(stopped, clock, transport);
    await logClosed;
    assert.equal(channel.closed, true, 'closed after');
    assert.ok(channel.lines.some((l) => /stopped run #\d+, which a cancelled request had created/.test(l)), channel.lines.join('\n'));
    assert.doesNotThrow(() => log.info('after close'), 'a closed logger ignores lines');
  });
});
