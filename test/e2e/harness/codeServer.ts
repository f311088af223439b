import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { logTail } from './logTail';
import { pollUntil } from './poll';
import { spawnProcessGroup, type ProcessGroup } from './processGroup';

/** A code-server profile: its own user-data-dir, extensions dir and (empty) config file, so nothing from $HOME is used. */
export interface CodeServerProfile {
  readonly root: string;
  readonly userDataDir: string;
  readonly extensionsDir: string;
  readonly configFile: string;
}

/** Workbench settings for quiet, deterministic runs (see shared/docs/e2e-harness.md). */
export const QUIET_SETTINGS: Readonly<Record<string, unknown>> = {
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'workbench.startupEditor': 'none',
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'security.workspace.trust.enabled': false,
  'extensions.autoCheckUpdates': false,
  'extensions.autoUpdate': false,
  'extensions.ignoreRecommendations': true,
  'chat.disableAIFeatures': true,
};

/**
 * Creates the profile folders and, when there is none yet, settings.json (QUIET_SETTINGS plus `settings`):
 * a kept profile (npm start) keeps the user's own settings.
 */
export function prepareProfile(root: string, settings: Readonly<Record<string, unknown>> = {}): CodeServerProfile {
  const profile: CodeServerProfile = {
    root,
    userDataDir: path.join(root, 'user-data'),
    extensionsDir: path.join(root, 'extensions'),
    configFile: path.join(root, 'config.yaml'),
  };
  mkdirSync(path.join(profile.userDataDir, 'User'), { recursive: true });
  mkdirSync(profile.extensionsDir, { recursive: true });
  writeFileSync(profile.configFile, '');
  const settingsFile = path.join(profile.userDataDir, 'User', 'settings.json');
  if (!existsSync(settingsFile)) writeFileSync(settingsFile, `${JSON.stringify({ ...QUIET_SETTINGS, ...settings }, null, 2)}\n`);
  return profile;
}

function profileArgs(profile: CodeServerProfile): string[] {
  return ['--config', profile.configFile, '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir];
}

/** Installs a .vsix into the profile (replacing an installed version). */
export async function installExtension(profile: CodeServerProfile, vsix: string, env: NodeJS.ProcessEnv, logFile: string): Promise<void> {
  mkdirSync(path.dirname(logFile), { recursive: true });
  const fd = openSync(logFile, 'a');
  const child = spawn('code-server', [...profileArgs(profile), '--install-extension', vsix, '--force'], {
    env,
    stdio: ['ignore', fd, fd],
  });
  closeSync(fd);
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('exit', resolve);
  });
  if (code !== 0) throw new Error(`code-server --install-extension ${vsix} exited with ${String(code)}:\n${logTail(logFile)}`);
}

export interface StartCodeServerOptions {
  readonly profile: CodeServerProfile;
  readonly port: number;
  /** Environment of the server and so of every extension host it starts. */
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  /** Needed for in-host suites: lets the page pass extensionDevelopmentPath/extensionTestsPath and report the exit. */
  readonly smokeTestDriver: boolean;
  readonly pgidFile?: string;
  readonly startTimeoutMs?: number;
  /** How long the extension host of a closed window lives on (code-server's default is 3 hours). */
  readonly reconnectionGraceSeconds?: number;
}

export interface RunningCodeServer {
  readonly port: number;
  /** http://127.0.0.1:PORT */
  readonly origin: string;
  readonly logFile: string;
  readonly process: ProcessGroup;
  /** URL of a workbench window on `folder`; `payload` is code-server's list of extra window options. */
  windowUrl(folder: string, payload?: readonly (readonly [string, string])[]): string;
  /** URL of a workbench window on a `.code-workspace` file (a multi-root workspace). */
  workspaceUrl(workspaceFile: string): string;
  /** vscode-remote:// URI of a path on this server, as the browser sees it (for payload entries). */
  remoteUri(absolutePath: string): string;
  stop(): Promise<void>;
}

/** Starts code-server in its own process group and resolves once GET /healthz answers. */
export async function startCodeServer(options: StartCodeServerOptions): Promise<RunningCodeServer> {
  const { profile, port } = options;
  const host = `127.0.0.1:${port}`;
  const args = [
    '--bind-addr', host,
    '--auth', 'none',
    '--disable-telemetry',
    '--disable-update-check',
    '--disable-workspace-trust',
    '--disable-getting-started-override',
    '--ignore-last-opened',
    ...profileArgs(profile),
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.reconnectionGraceSeconds === undefined ? [] : ['--reconnection-grace-time', String(options.reconnectionGraceSeconds)]),
  ];
  const group = spawnProcessGroup('code-server', args, {
    env: options.env,
    logFile: options.logFile,
    ...(options.pgidFile ? { pgidFile: options.pgidFile } : {}),
  });
  let exitCode: number | null | undefined;
  void group.exited.then((code) => (exitCode = code));
  const origin = `http://${host}`;
  try {
    await pollUntil(
      `code-server on ${origin}/healthz`,
      async () => {
        try {
          const res = await fetch(`${origin}/healthz`);
          return res.ok ? true : undefined;
        } catch {
          return undefined;
        }
      },
      {
        timeoutMs: options.startTimeoutMs ?? 30_000,
        abortIf: () => (exitCode === undefined ? undefined : `code-server exited with ${String(exitCode)}:\n${logTail(options.logFile)}`),
      },
    );
  } catch (err) {
    await group.stop();
    throw err;
  }
  return {
    port,
    origin,
    logFile: options.logFile,
    process: group,
    windowUrl(folder, payload) {
      const query = new URLSearchParams({ folder });
      if (payload) query.set('payload', JSON.stringify(payload));
      return `${origin}/?${query.toString()}`;
    },
    workspaceUrl: (workspaceFile) => `${origin}/?${new URLSearchParams({ workspace: workspaceFile }).toString()}`,
    remoteUri: (absolutePath) => `vscode-remote://${host}${absolutePath}`,
    stop: () => group.stop(),
  };
}
