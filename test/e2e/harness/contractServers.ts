import { existsSync } from 'node:fs';
import path from 'node:path';
import { freePort } from './freePort';
import { HOST_ENV } from './hostEnv';
import { logTail } from './logTail';
import { pollUntil } from './poll';
import { spawnProcessGroup, type ProcessGroup } from './processGroup';
import { REPO_ROOT } from './paths';
import { TEST_SECRETS } from './secrets';

/**
 * The local contract servers (test/servers) an e2e run or `npm start` starts before code-server.
 * Each one is a Node entry run as `node --import tsx <entry> --port N` that prints
 * `listening on http://127.0.0.1:N`. A server whose entry does not exist yet is skipped with a notice.
 * Adding one: add a row here; its `hostEnv` reaches the extension host through code-server's environment,
 * its `settings` go into the user settings of every code-server profile of an e2e run (for settings
 * without an environment fallback), its `inHostEnv` only into the in-host suites' code-server.
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
  /** User settings (full ids) for the e2e run's code-server profiles, given the server's base URL. */
  readonly settings?: (baseUrl: string) => Readonly<Record<string, unknown>>;
  /**
   * Variables for the in-host suites' code-server only: credentials a suite cannot type into a sign-in
   * prompt (the scenarios' server never gets them, so its windows start signed out). Values must be in TEST_SECRETS.
   */
  readonly inHostEnv?: () => Readonly<Record<string, string>>;
  /**
   * The port `npm start` runs it on (its profile is kept between runs: the Codegen token is stored for the sandbox's
   * origin, so a port that changed would ask for a new sign-in each time). Taken, a random one (preferredPort).
   */
  readonly sandboxPort: number;
}

export const CONTRACT_SERVERS: readonly ContractServerSpec[] = [
  {
    name: 'codegen',
    entry: 'test/servers/codegen/main.ts',
    // Runs finish in seconds (PENDING 1 s, RUNNING 5 s), so scenarios watch whole runs on real time.
    args: ['--pending-ms', '1000', '--running-ms', '5000'],
    token: { env: 'CODEGEN_SANDBOX_TOKEN', e2eValue: TEST_SECRETS.codegenToken },
    hostEnv: (baseUrl) => ({ CODEGEN_BASE_URL: baseUrl }),
    // The product's environment fallbacks for the token and org id (the contract server's org is 1).
    inHostEnv: () => ({ CODEGEN_API_TOKEN: TEST_SECRETS.codegenToken, CODEGEN_ORG_ID: '1' }),
    sandboxPort: 18181,
  },
  {
    name: 'openai',
    entry: 'test/servers/openai/main.ts',
    // Windows that stored the key (Set OpenAI-Compatible API Key) must send it right; others send none.
    args: ['--key-optional'],
    token: { env: 'OPENAI_CONTRACT_API_KEY', e2eValue: TEST_SECRETS.openAiApiKey },
    // For tests that drive the server's admin endpoints (/__admin/...) from inside the extension host.
    hostEnv: (baseUrl) => ({ [HOST_ENV.openAiServer]: baseUrl }),
    // contexten.openai.baseUrl has no environment fallback; test-model is one the server knows.
    settings: (baseUrl) => ({ 'contexten.openai.baseUrl': `${baseUrl}/v1`, 'contexten.openai.model': 'test-model' }),
    sandboxPort: 18182,
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
