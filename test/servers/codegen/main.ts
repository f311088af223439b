// Runs the Codegen contract server on its own:
//   node --import tsx test/servers/codegen/main.ts --port 8787 [--token T]... [--org 1] [--clock real|manual]
//        [--pending-ms 3000] [--running-ms 20000] [--no-rate-limits]
// Prints `listening on http://127.0.0.1:N` once ready. Defaults: token from CODEGEN_SANDBOX_TOKEN (how the e2e
// harness and `npm start` pass it: never on the command line), else `sandbox-token`; org id 1, real time.
import { parseArgs } from 'node:util';
import { SANDBOX_TOKEN, startCodegenServer } from './codegenServer';

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      token: { type: 'string', multiple: true },
      org: { type: 'string', default: '1' },
      clock: { type: 'string', default: 'real' },
      'pending-ms': { type: 'string' },
      'running-ms': { type: 'string' },
      'no-rate-limits': { type: 'boolean', default: false },
    },
  });
  const int = (name: string, v: string | undefined): number | undefined => {
    if (v === undefined) return undefined;
    if (!/^\d+$/.test(v)) throw new Error(`--${name} expects a whole number`);
    return Number(v);
  };
  if (values.clock !== 'real' && values.clock !== 'manual') throw new Error('--clock expects real or manual');
  const pendingMs = int('pending-ms', values['pending-ms']);
  const runningMs = int('running-ms', values['running-ms']);
  const server = await startCodegenServer({
    port: int('port', values.port) ?? 0,
    tokens: values.token && values.token.length > 0 ? values.token : [process.env['CODEGEN_SANDBOX_TOKEN'] || SANDBOX_TOKEN],
    orgId: int('org', values.org) ?? 1,
    clock: values.clock,
    timings: { ...(pendingMs !== undefined ? { pendingMs } : {}), ...(runningMs !== undefined ? { runningMs } : {}) },
    ...(values['no-rate-limits'] ? { rateLimits: false as const } : {}),
  });
  process.stdout.write(`listening on ${server.url}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`codegen contract server: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
