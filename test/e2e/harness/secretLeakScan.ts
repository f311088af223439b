import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/** Where a secret was found. Reports name the secret; they never contain its value. */
export interface SecretHit {
  readonly file: string;
  readonly line: number;
  readonly secret: string;
}

/** Finds every occurrence of each secret in `content` (text or binary), with 1-based line numbers. */
export function findSecretsIn(content: Buffer, secrets: readonly (readonly [name: string, value: string])[]): { line: number; secret: string }[] {
  const hits: { line: number; secret: string }[] = [];
  for (const [name, value] of secrets) {
    if (value.length === 0) continue;
    const needle = Buffer.from(value, 'utf8');
    for (let at = content.indexOf(needle); at !== -1; at = content.indexOf(needle, at + needle.length)) {
      let line = 1;
      for (let i = content.indexOf(10); i !== -1 && i < at; i = content.indexOf(10, i + 1)) line++;
      hits.push({ line, secret: name });
    }
  }
  return hits;
}

/** Scans each file (whole content, bytes) for the secrets. */
export function scanFilesForSecrets(files: readonly string[], secrets: readonly (readonly [string, string])[]): SecretHit[] {
  return files.flatMap((file) => findSecretsIn(readFileSync(file), secrets).map((h) => ({ file, ...h })));
}

/** Every regular file under `root`, skipping folders whose path (relative to root) is in `skip`. */
export function listFilesUnder(root: string, skip: readonly string[] = []): string[] {
  if (!existsSync(root)) return [];
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (skip.includes(path.relative(root, full))) continue;
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile() && statSync(full).size > 0) out.push(full);
    }
  };
  walk(root);
  return out.sort();
}
