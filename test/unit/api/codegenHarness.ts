// Test harness: the Codegen contract server over real HTTP on 127.0.0.1 and a CodegenClient, sharing
// one FakeClock (the client's backoff and pacing, the server's run progress and rate windows), so
// retries, Retry-After and pacing are checked in exact clock time without sleeping.
import { CodegenClient, type CodegenSettings } from '../../../src/core/api/codegenClient';
import { UndiciTransport } from '../../../src/core/api/undiciTransport';
import type { Clock, Random } from '../../../src/core/ports';
import { SANDBOX_TOKEN, startCodegenServer, type CodegenServer, type CodegenServerOptions } from '../../servers/codegen/codegenServer';
import { settle } from '../fakes/driveClock';
import { FakeClock } from '../fakes/fakeClock';
import { RecordingLogger } from '../fakes/recordingLogger';
import { TrackingTransport } from '../fakes/trackingTransport';

export interface Harness {
  clock: FakeClock;
  server: CodegenServer;
  client: CodegenClient;
  transport: TrackingTransport;
  logger: RecordingLogger;
  settings: CodegenSettings;
  token: { value: string | undefined };
  /** Drives the fake clock until the promise settles. */
  run<T>(p: Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export async function startHarness(opts: { server?: CodegenServerOptions; random?: Random; transportClock?: Clock; settings?: Partial<CodegenSettings> } = {}): Promise<Harness> {
  const clock = new FakeClock();
  const server = await startCodegenServer({ clock, ...opts.server });
  const logger = new RecordingLogger();
  const transport = new TrackingTransport(new UndiciTransport({ maxConnections: 4, logger, ...(opts.transportClock ? { clock: opts.transportClock } : {}) }));
  const settings: CodegenSettings = { baseUrl: server.url, orgId: '1', timeoutMs: 10_000, maxRetries: 3, ...opts.settings };
  const token = { value: SANDBOX_TOKEN as string | undefined };
  const client = new CodegenClient({
    transport,
    clock,
    random: opts.random ?? (() => 0.5),
    logger,
    settings: () => settings,
    token: async () => token.value,
  });
  return {
    clock,
    server,
    client,
    transport,
    logger,
    settings,
    token,
    run: (p) => settle(p, clock, transport),
    close: async () => {
      client.dispose();
      await transport.close();
      await server.close();
    },
  };
}

/** The client's listRuns, whose answers (read on the server at once) arrive `delayMs` later while `slow` is set. */
export function slowList(h: Harness, delayMs: number): { client: Pick<CodegenClient, 'listRuns'>; slow: { on: boolean } } {
  const slow = { on: false };
  return {
    slow,
    client: {
      listRuns: async (page, signal) => {
        const answer = await h.client.listRuns(page, signal);
        if (slow.on) await h.clock.sleep(delayMs, signal);
        return answer;
      },
    },
  };
}
