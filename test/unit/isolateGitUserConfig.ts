// A mocha root-hook plugin (loaded by .mocharc.json's `require`, or `--require` it for a run with --no-config): the
// unit tests run with an empty home folder (HOME, and USERPROFILE for Windows), no $XDG_CONFIG_HOME, no system git
// config and no GIT_DIR. A developer's ~/.config/git/ignore or ~/.gitconfig (`core.excludesFile`) would otherwise
// change what workspace scans find. The environment is restored after the run.
// It also pins the local timezone away from UTC (TZ=Asia/Kolkata, +05:30, no daylight saving), for the whole run: on a
// UTC machine (CI's is Etc/UTC) a test of "a timestamp without a timezone is UTC" could not fail, since local time and
// UTC are the same there. Node reads a TZ set at runtime on the next Date use; this module loads before any test file.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

/** Environment variables by which the machine's own git setup would reach a scan (or git run to compare with one). */
const GIT_USER_ENV = ['HOME', 'USERPROFILE', 'XDG_CONFIG_HOME', 'GIT_CONFIG_GLOBAL', 'GIT_CONFIG_NOSYSTEM', 'GIT_DIR', 'GIT_WORK_TREE'] as const;

/** A zone with an offset that is not a whole hour, so a local/UTC mix-up shows in hours and in minutes. */
const TEST_TIMEZONE = 'Asia/Kolkata';
process.env['TZ'] = TEST_TIMEZONE;

const saved = new Map<string, string | undefined>();
let home: string | undefined;

export const mochaHooks = {
  beforeAll(): void {
    for (const name of GIT_USER_ENV) saved.set(name, process.env[name]);
    home = mkdtempSync(path.join(tmpdir(), 'contexten-home-'));
    for (const name of GIT_USER_ENV) delete process.env[name];
    process.env['HOME'] = home;
    process.env['USERPROFILE'] = home;
    process.env['GIT_CONFIG_NOSYSTEM'] = '1';
  },
  afterAll(): void {
    for (const [name, value] of saved) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    if (home) rmSync(home, { recursive: true, force: true });
  },
};
