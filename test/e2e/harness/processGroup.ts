import { spawn } from 'node:child_process';
import { appendFileSync, closeSync, createWriteStream, mkdirSync, openSync } from 'node:fs';
import path from 'node:path';

/** A child started as the leader of its own session and process group (setsid), with its output in a log file. */
export interface ProcessGroup {
  readonly pid: number;
  readonly logFile: string;
  /** Resolves with the leader's exit code (null when killed by a signal). */
  readonly exited: Promise<number | null>;
  isRunning(): boolean;
  /** SIGTERM to the whole group, SIGKILL to whatever is left after `graceMs`. Idempotent. */
  stop(graceMs?: number): Promise<void>;
}

export interface SpawnGroupOptions {
  readonly env: NodeJS.ProcessEnv;
  readonly logFile: string;
  readonly cwd?: string;
  /** Called with every chunk of output (then the output is piped through this process instead of straight to the file). */
  readonly onOutput?: (chunk: string) => void;
  /** File to which the group id is appended, so a shell trap can kill the group if this process dies. */
  readonly pgidFile?: string;
}

export function spawnProcessGroup(command: string, args: readonly string[], options: SpawnGroupOptions): ProcessGroup {
  mkdirSync(path.dirname(options.logFile), { recursive: true });
  const onOutput = options.onOutput;
  // `detached` makes the child call setsid(): it leads a new session and process group (pgid = pid).
  let child;
  if (onOutput) {
    child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    const log = createWriteStream(options.logFile, { flags: 'a' });
    for (const stream of [child.stdout, child.stderr]) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => {
        log.write(chunk);
        onOutput(chunk);
      });
    }
    child.on('close', () => log.end());
  } else {
    const fd = openSync(options.logFile, 'a');
    child = spawn(command, args, { env: options.env, cwd: options.cwd, detached: true, stdio: ['ignore', fd, fd] });
    closeSync(fd);
  }
  const pid = child.pid;
  if (pid === undefined) throw new Error(`could not start ${command}`);
  if (options.pgidFile) appendFileSync(options.pgidFile, `${pid}\n`);
  let running = true;
  const exited = new Promise<number | null>((resolve) => {
    child.on('exit', (code) => {
      running = false;
      resolve(code);
    });
    child.on('error', () => {
      running = false;
      resolve(null);
    });
  });
  let stopping: Promise<void> | undefined;
  return {
    pid,
    logFile: options.logFile,
    exited,
    isRunning: () => running,
    stop(graceMs = 3000) {
      stopping ??= (async () => {
        signalGroup(pid, 'SIGTERM');
        let timer: NodeJS.Timeout | undefined;
        await Promise.race([exited, new Promise((resolve) => (timer = setTimeout(resolve, graceMs)))]);
        clearTimeout(timer);
        // The leader may be gone while its children (extension hosts, pty host) still hold on.
        signalGroup(pid, 'SIGKILL');
        await exited;
      })();
      return stopping;
    },
  };
}

function signalGroup(pgid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pgid, signal);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ESRCH') throw err;
  }
}
