import { mkdirSync, rmSync } from 'node:fs';
import path from 'node:path';
import { installExtension, prepareProfile, startCodeServer } from './harness/codeServer';
import { CONTRACT_SERVERS, contractServerAvailable, startContractServer, type RunningContractServer } from './harness/contractServers';
import { preferredPort } from './harness/freePort';
import { REPO_ROOT, START_DIR, VSIX_PATH } from './harness/paths';

/**
 * `npm start` (scripts/start.sh runs it after setup and packaging): real VS Code in the browser with
 * the packaged extension installed. Without CODEGEN_API_TOKEN in the environment the local Codegen
 * contract server runs as a sandbox backend. Runs until Ctrl-C, then stops every process it started.
 *   CONTEXTEN_START_PORT   code-server port on 127.0.0.1 (default 8080)
 *   CONTEXTEN_START_FOLDER folder to open (default: this repository)
 *   CONTEXTEN_SANDBOX_TOKEN token the sandbox accepts (default "sandbox-token")
 * The profile (settings, installed extension, logs) is kept in .e2e/start/ between runs; the sandboxes listen on
 * fixed ports (ContractServerSpec.sandboxPort: a token stored for one stays valid), a random one when that is taken.
 */
async function main(): Promise<void> {
  const port = Number(process.env['CONTEXTEN_START_PORT'] ?? 8080);
  if (!Number.isInteger(port) || port < 1 || port > 65535) throw new Error(`CONTEXTEN_START_PORT must be a port number, got ${String(process.env['CONTEXTEN_START_PORT'])}`);
  const folder = path.resolve(process.env['CONTEXTEN_START_FOLDER'] ?? REPO_ROOT);
  const sandboxToken = process.env['CONTEXTEN_SANDBOX_TOKEN'] ?? 'sandbox-token';
  const logs = path.join(START_DIR, 'logs');
  const pgidFile = path.join(START_DIR, 'process-groups');
  mkdirSync(logs, { recursive: true });
  rmSync(pgidFile, { force: true });

  const stops: (() => Promise<void>)[] = [];
  const stopAll = async (): Promise<void> => {
    for (const stop of stops.splice(0).reverse()) await stop().catch(() => undefined);
  };
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      stopping = true;
      console.log(`[start] ${signal}: stopping`);
      void stopAll().finally(() => process.exit(0));
    });
  }

  try {
    const env: NodeJS.ProcessEnv = { ...process.env };
    const sandboxes: RunningContractServer[] = [];
    if (process.env['CODEGEN_API_TOKEN']) {
      console.log('[start] CODEGEN_API_TOKEN is set: the extension talks to the real Codegen API (no sandbox)');
    } else {
      for (const spec of CONTRACT_SERVERS) {
        if (!contractServerAvailable(spec)) {
          console.log(`[start] ${spec.entry} is not there yet: no local ${spec.name} sandbox; the extension uses its configured base URL`);
          continue;
        }
        // (A stable port: the kept profile's token is stored for the sandbox's origin.)
        const sandboxPort = await preferredPort(spec.sandboxPort, `[start] ${spec.name} sandbox`, (line) => console.log(line));
        const server = await startContractServer(spec, { logDir: logs, port: sandboxPort, pgidFile, env: process.env, token: sandboxToken });
        stops.push(() => server.process.stop());
        sandboxes.push(server);
        Object.assign(env, spec.hostEnv(server.baseUrl));
        console.log(`[start] ${spec.name} sandbox on ${server.baseUrl} (log: ${server.logFile})`);
      }
    }

    const profile = prepareProfile(path.join(START_DIR, 'profile'));
    await installExtension(profile, VSIX_PATH, env, path.join(logs, 'install-extension.log'));
    const codeServer = await startCodeServer({
      profile,
      port,
      env,
      logFile: path.join(logs, 'code-server.log'),
      smokeTestDriver: false,
      pgidFile,
    }).catch((err: unknown) => {
      throw new Error(`code-server did not start on 127.0.0.1:${port} (port taken? set CONTEXTEN_START_PORT): ${err instanceof Error ? err.message : String(err)}`);
    });
    stops.push(() => codeServer.stop());

    console.log('');
    console.log(`  Contexten Codegen in VS Code:  ${codeServer.windowUrl(folder)}`);
    if (sandboxes.length > 0) {
      console.log(`  Sign in ("Contexten: Sign In to Codegen") with the sandbox token: ${sandboxToken}`);
    }
    for (const sandbox of sandboxes) {
      // Settings without an environment fallback are not written into this kept profile: the port changes when taken.
      const settings = Object.entries(sandbox.spec.settings?.(sandbox.baseUrl) ?? {});
      if (settings.length > 0) console.log(`  To use the ${sandbox.spec.name} sandbox, set: ${settings.map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(', ')}`);
    }
    console.log(`  Logs: ${logs}    Stop: Ctrl-C`);
    console.log('');

    const code = await Promise.race([codeServer.process.exited, ...sandboxes.map((s) => s.process.exited)]);
    if (stopping) return; // the signal handler finishes the job
    console.error(`[start] a server exited (${String(code)}); stopping. See ${logs}`);
    await stopAll();
    process.exit(1);
  } catch (err) {
    await stopAll();
    throw err;
  }
}

main().catch((err: unknown) => {
  console.error(`[start] ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
