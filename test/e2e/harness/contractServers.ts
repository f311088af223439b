import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './freePort';
import { logTail } from './logTail';
import { pollUntil } from './poll';
import { spawnProcessGroup, type ProcessGroup } from './processGroup';
import { REPO_ROOT } from './paths';
import { TEST_SECRETS } from './secrets';

/**
 * The local contract servers (test/servers) an e2e run or `npm start` starts before code-server.
 * Each one is a Node entry run as `node --import tsx <entry> --port N` that prints
 * `listening on http://127.0.0.1:N`. A server whose entry does not exist yet is skipped with a notice.
 * Adding one: add a row here; its `hostEnv` reaches the extension host through code-server's environment.
 */
export interface ContractServerSpec {
  readonly name: string;
  /** Entry relative to the repository root. */
  readonly entry: string;
  /** Extra arguments after `--port N`. */
  readonly args?: readonly string[];
  /** The token the server accepts: the variable it reads it from, and the value e2e runs use. */
  readonly token?: { readonly env: string; readonly e2eValue: string };
  /** Variables for code-server's environment, given the server's base URL (http://127.0.0.1:N). */
  readonly hostEnv: (baseUrl: string) => Readonly<Record<string, string>>;
}

export const CONTRACT_SERVERS: readonly ContractServerSpec[] = [
  {
    name: 'codegen',
    entry: 'test/servers/codegen/main.ts',
    // Runs finish in seconds (PENDING 1 s, RUNNING 5 s), so scenarios watch whole runs on real time.
    args: ['--pending-ms', '1000', '--running-ms', '5000'],
    token: { env: 'CODEGEN_SANDBOX_TOKEN', e2eValue: TEST_SECRETS.codegenToken },
    hostEnv: (baseUrl) => ({ CODEGEN_BASE_URL: baseUrl }),
  },
];

export interface RunningContractServer {
  readonly spec: ContractServerSpec;
  readonly baseUrl: string;
  readonly logFile: string;
  readonly process: ProcessGroup;
}

const LISTENING = /listening on (http:\/\/127\.0\.0\.1:\d+)/;

export function contractServerAvailable(spec: ContractServerSpec): boolean {
  return existsSync(path.join(REPO_ROOT, spec.entry));
}

/** Starts one contract server in its own process group; resolves with its base URL once it says it listens. */
export async function startContractServer(
  spec: ContractServerSpec,
  {
    logDir,
    port,
    pgidFile,
    env,
    token,
  }: {
    logDir: string;
    port?: number;
    pgidFile?: string;
    env: NodeJS.ProcessEnv;
    /** The token to accept instead of the e2e one (npm start's sandbox token). */
    token?: string;
  },
): Promise<RunningContractServer> {
  const chosenPort = port ?? (await freePort());
  const logFile = path.join(logDir, `${spec.name}-server.log`);
  let output = '';
  const group = spawnProcessGroup(
    process.execPath,
    ['--import', 'tsx', path.join(REPO_ROOT, spec.entry), '--port', String(chosenPort), ...(spec.args ?? [])],
    {
      env: spec.token ? { ...env, [spec.token.env]: token ?? spec.token.e2eValue } : env,
      cwd: REPO_ROOT,
      logFile,
      onOutput: (chunk) => {
        if (!LISTENING.test(output)) output += chunk;
      },
      ...(pgidFile ? { pgidFile } : {}),
    },
  );
  let exitCode: number | null | undefined;
  void group.exited.then((code) => (exitCode = code));
  try {
    const baseUrl = await pollUntil(
      `the ${spec.name} contract server to print "listening on"`,
      () => Promise.resolve(LISTENING.exec(output)?.[1]),
      {
        timeoutMs: 20_000,
        intervalMs: 50,
        abortIf: () => (exitCode === undefined ? undefined : `it exited with ${String(exitCode)}:\n${logTail(logFile)}`),
      },
    );
    return { spec, baseUrl, logFile, process: group };
  } catch (err) {
    await group.stop();
    throw err;
  }
}
