import { cpSync, existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { installExtension, prepareProfile, startCodeServer, type CodeServerProfile, type RunningCodeServer } from './codeServer';
import {
  CONTRACT_SERVERS,
  contractServerAvailable,
  startContractServer,
  type RunningContractServer,
} from './contractServers';
import { findExtensionLogs } from './extensionLogs';
import { freePort } from './freePort';
import { HOST_ENV, SCRUBBED_ENV_PREFIXES } from './hostEnv';
import { ARTIFACTS_DIR, FIXTURE_SECOND_FOLDER, FIXTURE_WORKSPACE, RUN_DIR, RUN_LAYOUT, VSIX_PATH } from './paths';
import { Workbench } from './workbench';

/**
 * Everything one e2e run shares: the contract servers, the scenarios' code-server (with the .vsix
 * installed; no smoke-test driver, so notifications and dialogs behave as for a user) and one headless
 * Chromium. Started once per run and stopped by the driver (or the leak check).
 */
export interface E2eSession {
  /** The scenarios' code-server. */
  readonly codeServer: RunningCodeServer;
  readonly profile: CodeServerProfile;
  readonly contractServers: readonly RunningContractServer[];
  readonly browser: Browser;
  /** The run's copy of test/fixtures/e2e-workspace, opened by every window. */
  readonly workspaceDir: string;
  /**
   * Environment for a code-server of this run: the inherited one without CODEGEN_/OPENAI_/CONTEXTEN_
   * variables, plus the contract servers' variables (CODEGEN_BASE_URL…) and CONTEXTEN_E2E*.
   */
  readonly serverEnv: NodeJS.ProcessEnv;
  /** User settings every code-server profile of this run gets (the contract servers' `settings`). */
  readonly serverSettings: Readonly<Record<string, unknown>>;
  /** Variables only the in-host suites' code-server gets on top of `serverEnv` (the contract servers' `inHostEnv`). */
  readonly inHostEnv: Readonly<Record<string, string>>;
  /** A running contract server by name; throws (failing the test) when it is not part of this run. */
  contractServer(name: string): RunningContractServer;
  /** A blank page in a fresh browser context (own storage, so no secrets carried over). */
  newPage(): Promise<Page>;
  /** The window the scenarios share (opened on first use). State carries over between scenarios. */
  sharedWorkbench(): Promise<Workbench>;
  /**
   * A new window with its own extension host. By default in a fresh browser context (empty SecretStorage);
   * with `sharingStorageWith`, in that window's context (same SecretStorage: two windows of one user). With
   * `multiRoot`, on RUN_LAYOUT.multiRootWorkspace (folders "shop", the run's workspace, and "warehouse").
   * Close it when done.
   */
  openWorkbench(options?: { sharingStorageWith?: Workbench; multiRoot?: boolean }): Promise<Workbench>;
  /** Log files the product extension's output channels wrote so far on the scenarios' server. */
  extensionLogFiles(): string[];
  /** The logs worth keeping when a scenario fails: code-server, contract servers, the extension's channels. */
  logFiles(): string[];
}

let current: Promise<E2eSession> | undefined;
let stopCurrent: (() => Promise<void>) | undefined;
/** Every code-server of the run not stopped yet (the scenarios' and the in-host one): stopSession stops them. */
const runningServers = new Set<RunningCodeServer>();

/** The run's session, started on first call. */
export function getSession(): Promise<E2eSession> {
  current ??= startSession();
  return current;
}

/** The multi-root workspace's folders, by name: the run's workspace, then the second fixture folder. */
const MULTI_ROOT_FOLDERS = ['shop', 'warehouse'] as const;

/**
 * Opens a window on the multi-root workspace file and waits until its Explorer lists every folder: code-server once
 * opened the workspace without its folders ("No Folder Opened" under the workspace's name, and the extension saw no
 * folder — session 18's CI). Such a window is reloaded, once; a second failure is an error that says so.
 */
async function openMultiRootWindow(page: Page, url: string, folders: readonly string[]): Promise<Workbench> {
  const workbench = await Workbench.open(page, url);
  const foldersShown = async (): Promise<boolean> => {
    try {
      // (A substring of a row's text: no file of either fixture folder has a folder's name in its own.)
      for (const name of folders) await page.locator('.explorer-folders-view .monaco-list-row', { hasText: name }).first().waitFor({ timeout: 15_000 });
      return true;
    } catch {
      return false;
    }
  };
  if (await foldersShown()) return workbench;
  console.error(`[e2e] the multi-root window shows no folders ${folders.join(', ')}: reloading it once`);
  await page.reload();
  await page.locator('.monaco-workbench .part.statusbar').waitFor();
  if (await foldersShown()) return workbench;
  throw new Error(`code-server opened the multi-root workspace without its folders (${folders.join(', ')}) twice`);
}

/** Stops the browser and every server of the session (idempotent; safe when none was started). */
export async function stopSession(): Promise<void> {
  await current?.catch(() => undefined);
  await stopStarted();
}

async function stopStarted(): Promise<void> {
  await stopCurrent?.(); // the browser first, so no window watches its server go away
  for (const server of runningServers) await server.stop();
}

/** Wipes the run and artifact folders: every run starts from nothing. */
export function resetRunDirs(): void {
  rmSync(RUN_DIR, { recursive: true, force: true });
  rmSync(ARTIFACTS_DIR, { recursive: true, force: true });
  mkdirSync(RUN_LAYOUT.logs, { recursive: true });
  mkdirSync(ARTIFACTS_DIR, { recursive: true });
}

export interface RunCodeServer {
  readonly profile: CodeServerProfile;
  readonly server: RunningCodeServer;
}

/**
 * Starts a code-server of this run named `name`: a fresh profile under .e2e/run/profiles/<name>, the
 * .vsix installed, its log at .e2e/run/logs/<name>-code-server.log. The caller stops it.
 */
export async function startRunCodeServer(
  name: string,
  { env, smokeTestDriver, settings = {} }: { env: NodeJS.ProcessEnv; smokeTestDriver: boolean; settings?: Readonly<Record<string, unknown>> },
): Promise<RunCodeServer> {
  // No git: the run's workspace sits inside this repository, and scanning it only costs time.
  const profile = prepareProfile(path.join(RUN_LAYOUT.profiles, name), { 'git.enabled': false, ...settings });
  const serverEnv = { ...env, [HOST_ENV.extensionsDir]: profile.extensionsDir };
  await installExtension(profile, VSIX_PATH, serverEnv, path.join(RUN_LAYOUT.logs, `${name}-install-extension.log`));
  const server = await startCodeServer({
    profile,
    port: await freePort(),
    env: serverEnv,
    logFile: path.join(RUN_LAYOUT.logs, `${name}-code-server.log`),
    smokeTestDriver,
    pgidFile: RUN_LAYOUT.processGroups,
    // Extension hosts of closed windows (fresh-window scenarios) go away soon instead of after 3 hours.
    reconnectionGraceSeconds: 10,
  });
  runningServers.add(server);
  return {
    profile,
    server: {
      ...server,
      stop: async () => {
        await server.stop();
        runningServers.delete(server);
      },
    },
  };
}

/** Environment without the inherited variables a test must never see (a developer's real tokens). */
function scrubbedEnv(): NodeJS.ProcessEnv {
  return Object.fromEntries(
    Object.entries(process.env).filter(([k]) => !SCRUBBED_ENV_PREFIXES.some((prefix) => k.startsWith(prefix))),
  );
}

async function startSession(): Promise<E2eSession> {
  const started: { stop(): Promise<void> }[] = [];
  let stopped = false;
  stopCurrent = async () => {
    if (stopped) return;
    stopped = true;
    for (const s of started.reverse()) await s.stop().catch((err: unknown) => console.error(`[e2e] stop: ${String(err)}`));
  };
  try {
    const workspaceDir = RUN_LAYOUT.workspace;
    if (existsSync(FIXTURE_WORKSPACE)) cpSync(FIXTURE_WORKSPACE, workspaceDir, { recursive: true });
    else mkdirSync(workspaceDir, { recursive: true });
    cpSync(FIXTURE_SECOND_FOLDER, RUN_LAYOUT.secondFolder, { recursive: true });
    const folders = [
      { name: MULTI_ROOT_FOLDERS[0], path: workspaceDir },
      { name: MULTI_ROOT_FOLDERS[1], path: RUN_LAYOUT.secondFolder },
    ];
    writeFileSync(RUN_LAYOUT.multiRootWorkspace, `${JSON.stringify({ folders, settings: {} }, null, 2)}\n`);

    const baseEnv = scrubbedEnv();
    const contractServers: RunningContractServer[] = [];
    const hostEnv: Record<string, string> = { [HOST_ENV.marker]: '1', [HOST_ENV.workspace]: workspaceDir };
    const serverSettings: Record<string, unknown> = {};
    const inHostEnv: Record<string, string> = {};
    for (const spec of CONTRACT_SERVERS) {
      if (!contractServerAvailable(spec)) {
        // Under CI=true nothing is skipped: the scenarios that need this server would pass without testing it.
        if (process.env.CI === 'true') throw new Error(`${spec.entry} does not exist: the ${spec.name} contract server cannot start (under CI=true a missing one fails)`);
        console.log(`[e2e] note: ${spec.entry} does not exist yet; the ${spec.name} contract server is not started`);
        continue;
      }
      const server = await startContractServer(spec, { logDir: RUN_LAYOUT.logs, pgidFile: RUN_LAYOUT.processGroups, env: baseEnv });
      started.push({ stop: () => server.process.stop() });
      contractServers.push(server);
      Object.assign(hostEnv, spec.hostEnv(server.baseUrl));
      Object.assign(serverSettings, spec.settings?.(server.baseUrl));
      Object.assign(inHostEnv, spec.inHostEnv?.());
    }
    const serverEnv = { ...baseEnv, ...hostEnv };
    const [{ profile, server: codeServer }, browser] = await Promise.all([
      startRunCodeServer('scenarios', { env: serverEnv, smokeTestDriver: false, settings: serverSettings }),
      launchChromium().then((b) => {
        started.push({ stop: () => b.close() });
        return b;
      }),
    ]);

    let shared: Promise<Workbench> | undefined;
    const session: E2eSession = {
      codeServer,
      profile,
      contractServers,
      browser,
      workspaceDir,
      serverEnv,
      serverSettings,
      inHostEnv,
      contractServer(name) {
        const server = contractServers.find((s) => s.spec.name === name);
        if (!server) throw new Error(`the ${name} contract server is not running in this e2e run`);
        return server;
      },
      async newPage() {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        page.setDefaultTimeout(15_000);
        return page;
      },
      sharedWorkbench() {
        shared ??= session.openWorkbench();
        return shared;
      },
      async openWorkbench(options) {
        const other = options?.sharingStorageWith;
        const page = other ? await other.page.context().newPage() : await session.newPage();
        page.setDefaultTimeout(15_000);
        if (!options?.multiRoot) return Workbench.open(page, codeServer.windowUrl(workspaceDir));
        return openMultiRootWindow(page, codeServer.workspaceUrl(RUN_LAYOUT.multiRootWorkspace), MULTI_ROOT_FOLDERS);
      },
      extensionLogFiles: () => findExtensionLogs(profile.userDataDir),
      logFiles: () => [codeServer.logFile, ...contractServers.map((s) => s.logFile), ...findExtensionLogs(profile.userDataDir)],
    };
    return session;
  } catch (err) {
    await stopStarted();
    throw err;
  }
}
