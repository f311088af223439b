import { existsSync, readFileSync } from 'node:fs';

/** The last `lines` lines of a log file ('' when it does not exist). */
export function logTail(file: string, lines = 40): string {
  if (!existsSync(file)) return '';
  const all = readFileSync(file, 'utf8').trimEnd().split('\n');
  return all.slice(-lines).join('\n');
}
