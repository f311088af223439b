// Runs one measurement in a fresh Node process, so every scenario's peak RSS and timings are
// independent of the others. The child prints one JSON object as its last stdout line.
import { spawn } from 'node:child_process';
import path from 'node:path';
import type * as z from 'zod';
import { REPO_ROOT } from './corpora';

export interface ChildOptions {
  readonly cwd?: string;
  readonly timeoutMs?: number;
  readonly env?: NodeJS.ProcessEnv;
}

/** Runs `node ...args` and returns its last stdout line parsed as JSON and checked against `schema`. */
export function runJsonChild<T>(args: readonly string[], schema: z.ZodType<T>, options: ChildOptions = {}): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const child = spawn(process.execPath, [...args], {
      cwd: options.cwd ?? REPO_ROOT,
      env: options.env ?? process.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = setTimeout(() => child.kill('SIGKILL'), options.timeoutMs ?? 30 * 60_000);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const stdout = Buffer.concat(out).toString('utf8');
      const stderr = Buffer.concat(err).toString('utf8').trim();
      if (code !== 0) {
        reject(new Error(`node ${args.join(' ')} exited with ${code ?? signal}: ${stderr.slice(-2000)}`));
        return;
      }
      const last = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(schema.parse(JSON.parse(last)));
      } catch (e) {
        reject(new Error(`node ${args.join(' ')} printed no valid result (${String(e)}): ${last.slice(0, 500)}`));
      }
    });
  });
}

/** Arguments that run a bench TypeScript script through tsx. */
export function tsxScript(script: string, ...args: string[]): string[] {
  return ['--import', 'tsx', path.join(REPO_ROOT, 'bench', script), ...args];
}
