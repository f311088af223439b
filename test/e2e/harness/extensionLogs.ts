import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { EXTENSION_ID } from './paths';

/**
 * The product extension's output channel logs under a user-data-dir:
 * <user-data>/logs/<session>/exthost<N>/<extension id>/<channel>.log, for every window the server served.
 */
export function findExtensionLogs(userDataDir: string): string[] {
  const logsRoot = path.join(userDataDir, 'logs');
  if (!existsSync(logsRoot)) return [];
  const found: string[] = [];
  for (const session of readdirSync(logsRoot, { withFileTypes: true }).filter((d) => d.isDirectory())) {
    const sessionPath = path.join(logsRoot, session.name);
    for (const host of readdirSync(sessionPath, { withFileTypes: true }).filter((d) => d.isDirectory() && d.name.startsWith('exthost'))) {
      const extDir = path.join(sessionPath, host.name, EXTENSION_ID);
      if (!existsSync(extDir)) continue;
      for (const file of readdirSync(extDir).filter((f) => f.endsWith('.log'))) found.push(path.join(extDir, file));
    }
  }
  return found.sort();
}
