// Runs the OpenAI-compatible contract server on its own: `node --import tsx test/servers/openai/main.ts --port N`.
// An API key to require may be given in OPENAI_CONTRACT_API_KEY (never on the command line, never printed);
// with `--key-optional`, requests without an Authorization header are accepted too (a wrong key never is).
import { startOpenAiServer } from './openAiServer';

function parsePort(argv: readonly string[]): number {
  const i = argv.indexOf('--port');
  if (i < 0) return 0;
  const port = Number(argv[i + 1]);
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port needs a whole number from 0 to 65535');
  return port;
}

async function main(): Promise<void> {
  const apiKey = process.env['OPENAI_CONTRACT_API_KEY'];
  const argv = process.argv.slice(2);
  const server = await startOpenAiServer({
    port: parsePort(argv),
    ...(apiKey ? { apiKey } : {}),
    ...(argv.includes('--key-optional') ? { keyOptional: true } : {}),
  });
  process.stdout.write(`listening on ${server.origin}\n`);
  const stop = (): void => {
    void server.close().then(() => process.exit(0));
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
