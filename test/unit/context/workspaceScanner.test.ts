import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, realpathSync, renameSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { CancellationError } from '../../../src/core/errors';
import picomatch from 'picomatch';
import { EXCLUDE_GLOB_OPTIONS, globsMatcher, asPicomatchGlob } from '../../../src/core/context/globs';
import { DEFAULT_EXCLUDES, linkChain, scanWorkspace, WorkspaceFilter, type ScanFileSystem, type ScanOptions } from '../../../src/core/context/workspaceScanner';
import { seededRandom } from './builders';
import { failingFileSystem, fsError, tempWorkspace, write } from './indexerHarness';

async function scan(root: string, options: Partial<ScanOptions> = {}, signal?: AbortSignal): Promise<{ files: string[]; skipped: string[]; batches: string[][] }> {
  const skipped: string[] = [];
  const batches: string[][] = [];
  const opts: ScanOptions = { root, maxFileBytes: 256 * 1024, onSkip: (p, why) => skipped.push(`${p}:${why}`), ...options };
  for await (const batch of scanWorkspace(opts, new WorkspaceFilter(root, options.exclude ?? []), signal)) batches.push(batch.map((f) => f.path));
  return { files: batches.flat(), skipped, batches };
}

/** Files that hold secrets (alwaysSkipped.ts holdsSecrets), and files named alike that do not. */
const SECRET_FILES = [
  '.env', '.env.local', 'api/.env.production', 'certs/server.pem', 'certs/tls.KEY', 'certs/client.p12', 'certs/client.pfx',
  'id_rsa', 'keys/id_dsa', 'keys/id_ecdsa', 'keys/id_ed25519', 'keys/id_ed25519_sk', '.npmrc', 'web/.npmrc', '.pypirc',
  '.netrc', '.git-credentials', 'android/release.keystore', 'android/upload.jks',
];
const KEPT_FILES = [
  '.env.example', '.env.sample', '.env.template', '.env.dist', 'api/.env.local.example', 'keys/id_rsa.pub',
  'keys/id_ed25519.pub', 'src/env.ts', 'docs/keys.md', 'certs/README.md',
];

describe('workspace scanner', () => {
  let ws: { root: string; cleanup: () => void };
  beforeEach(() => {
    ws = tempWorkspace('polyglot');
    // Files the fixture's .gitignore files exclude (git would not commit them, so they are made here).
    write(ws.root, 'build/out.js', 'export function ignoredBuildOutput() {}\n');
    write(ws.root, 'debug.log', 'ignored\n');
    write(ws.root, 'nested/scratch.tmp', 'ignored\n');
    write(ws.root, 'node_modules/dep/index.js', 'module.exports = 1;\n');
    write(ws.root, '.git/HEAD', 'ref: refs/heads/main\n');
  });
  afterEach(() => ws.cleanup());

  it('honours nested .gitignore files (with a re-include), node_modules and .git', async () => {
    const { files } = await scan(ws.root);
    assert.ok(files.includes('src/config.ts'));
    assert.ok(files.includes('nested/keep.log'), 'the nested !keep.log re-includes what the root *.log ignores');
    for (const ignored of ['build/out.js', 'debug.log', 'nested/scratch.tmp', 'node_modules/dep/index.js', '.git/HEAD']) {
      assert.ok(!files.includes(ignored), `${ignored} should be excluded`);
    }
  });

  it('lists files in a stable order, directory by directory', async () => {
    const a = await scan(ws.root);
    const b = await scan(ws.root);
    assert.deepEqual(a.files, b.files);
    assert.ok(a.files.indexOf('README.md') < a.files.indexOf('src/config.ts'));
  });

  it("yields a directory's files together: one non-empty array per directory, in name order", async () => {
    write(ws.root, 'deep/a/one.ts', 'export const one = 1;\n');
    write(ws.root, 'deep/a/two.ts', 'export const two = 2;\n');
    write(ws.root, 'deep/b/three.ts', 'export const three = 3;\n');
    mkdirSync(path.join(ws.root, 'deep/empty'), { recursive: true });
    const { batches } = await scan(ws.root);
    const dirOf = (p: string): string => path.posix.dirname(p);
    for (const batch of batches) {
      assert.ok(batch.length > 0, 'no empty batch');
      assert.equal(new Set(batch.map(dirOf)).size, 1, `one directory per batch: ${batch.join(', ')}`);
      assert.deepEqual(batch, [...batch].sort(), 'in name order');
    }
    const dirs = batches.map((b) => dirOf(b[0] ?? ''));
    assert.equal(new Set(dirs).size, dirs.length, 'each directory once');
    assert.deepEqual(
      batches.filter((b) => dirOf(b[0] ?? '').startsWith('deep/')),
      [['deep/a/one.ts', 'deep/a/two.ts'], ['deep/b/three.ts']],
    );
  });

  it('lists the same through the thread pool as with blocking calls (after a slow listing, the rest go there)', async () => {
    write(ws.root, 'deep/a/one.ts', 'export const one = 1;\n');
    write(ws.root, 'deep/b/two.ts', 'export const two = 2;\n');
    write(ws.root, 'deep/b/logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0]));
    const blocking = await scan(ws.root);
    // Every blocking listing counts as slow: the root's is made that way, every other one through the thread pool.
    const filter = new WorkspaceFilter(ws.root);
    const pooledBatches: string[][] = [];
    const pooledSkipped: string[] = [];
    const options = { root: ws.root, maxFileBytes: 256 * 1024, onSkip: (p: string, why: string) => pooledSkipped.push(`${p}:${why}`), slowListingMs: 0 };
    for await (const batch of scanWorkspace(options, filter)) pooledBatches.push(batch.map((f) => f.path));
    assert.ok(blocking.files.length > 5);
    assert.deepEqual(pooledBatches, blocking.batches);
    assert.ok(blocking.skipped.includes('deep/b/logo.png:binary'));
    assert.deepEqual([...pooledSkipped].sort(), [...blocking.skipped].sort());
    // The folder's later scans list through the thread pool from their first listing on.
    assert.equal(filter.blockingListings, false);
    const again: string[][] = [];
    for await (const batch of scanWorkspace({ ...options, slowListingMs: 1e9 }, filter)) again.push(batch.map((f) => f.path));
    assert.deepEqual(again, blocking.batches);
    assert.equal(filter.blockingListings, false);
  });

  it('gives the event loop turns while it lists with blocking calls', async () => {
    for (let i = 0; i < 400; i++) write(ws.root, `many/d${String(i).padStart(3, '0')}/f.ts`, `export const f${i} = ${i};\n`);
    let batches = 0;
    let batchesWhenTurned: number | undefined;
    for await (const _batch of scanWorkspace({ root: ws.root, maxFileBytes: 1 << 20 }, new WorkspaceFilter(ws.root))) {
      // (Asked once the listings have begun: the scan's first await, the root's realpath, is a turn of its own.)
      if (batches === 0) {
        setImmediate(() => {
          batchesWhenTurned = batches;
        });
      }
      batches++;
    }
    assert.ok(batches > 400);
    // Listing a directory takes tens of microseconds at least, its 400 take far longer than a turn's millisecond.
    assert.ok(batchesWhenTurned !== undefined && batchesWhenTurned < 200, `the loop turned after ${batchesWhenTurned} of ${batches} directories`);
  });

  // The cases below were found by comparing scans of random trees with `git ls-files --others --exclude-standard`.
  describe('ignore rules as git applies them', () => {
    let bare: { root: string; cleanup: () => void };
    beforeEach(() => {
      bare = tempWorkspace();
    });
    afterEach(() => bare.cleanup());

    /** The scan's files and, for each written path, the single-path answer (a watcher's) — which must agree. */
    async function scanAndAsk(paths: readonly string[]): Promise<string[]> {
      for (const p of paths) write(bare.root, p, 'export function f() {}\n');
      const { files } = await scan(bare.root);
      const filter = new WorkspaceFilter(bare.root);
      for (const p of paths) assert.equal(await filter.isExcluded(p, false), !files.includes(p), `the single-path answer for ${p} agrees with the scan`);
      return files;
    }

    it("matches letter case as the platform's git does (exactly on Linux)", async () => {
      write(bare.root, '.gitignore', 'main.java\nF.TS\n[[:upper:]]*.py\n');
      const files = await scanAndAsk(['Main.java', 'f.ts', 'lower.py', 'Upper.py']);
      const caseInsensitive = process.platform === 'win32' || process.platform === 'darwin';
      assert.deepEqual(files.filter((f) => f !== '.gitignore').sort(), caseInsensitive ? ['lower.py'] : ['Main.java', 'f.ts', 'lower.py']);
    });

    it('ranks .git/info/exclude below every .gitignore', async () => {
      write(bare.root, '.git/info/exclude', '*.py\n!kept-by-exclude.ts\n');
      write(bare.root, '.gitignore', '!g.py\nkept-by-exclude.ts\n');
      write(bare.root, 'sub/.gitignore', '!s.py\n');
      const files = await scanAndAsk(['g.py', 'h.py', 'kept-by-exclude.ts', 'sub/s.py', 'sub/t.py']);
      assert.deepEqual(files.filter((f) => !f.endsWith('.gitignore')).sort(), ['g.py', 'sub/s.py']);
    });

    it('lets a deeper .gitignore re-include a directory a shallower one excludes, down to its files', async () => {
      write(bare.root, '.gitignore', 'build\n*.log\n');
      write(bare.root, 'tools/.gitignore', '!build\n');
      const files = await scanAndAsk(['build/x.ts', 'tools/build/f.ts', 'tools/build/deep/g.ts', 'tools/build/out.log', 'tools/build/[x]*?.ts']);
      assert.deepEqual(files.filter((f) => !f.endsWith('.gitignore')).sort(), ['tools/build/[x]*?.ts', 'tools/build/deep/g.ts', 'tools/build/f.ts']);
      const subtree: string[] = [];
      for await (const batch of scanWorkspace({ root: bare.root, maxFileBytes: 1 << 20 }, new WorkspaceFilter(bare.root), undefined, 'tools/build')) subtree.push(...batch.map((f) => f.path));
      assert.deepEqual(subtree.sort(), ['tools/build/[x]*?.ts', 'tools/build/deep/g.ts', 'tools/build/f.ts']);
    });
  });

  describe('the rules above the opened folder, inside a git work tree', () => {
    let repo: { root: string; cleanup: () => void };
    beforeEach(() => {
      repo = tempWorkspace();
    });
    afterEach(() => repo.cleanup());

    /** The files of a scan of `folder` (under the temporary repo); each one's single-path answer must agree. */
    async function scanFolder(folder: string, paths: readonly string[]): Promise<string[]> {
      const root = path.join(repo.root, folder);
      for (const p of paths) write(root, p, 'export function f() {}\n');
      const { files } = await scan(root);
      const filter = new WorkspaceFilter(root);
      for (const p of paths) assert.equal(await filter.isExcluded(p, false), !files.includes(p), `the single-path answer for ${p} agrees with the scan`);
      return files.filter((f) => !f.endsWith('.gitignore')).sort();
    }

    it('applies each .gitignore from the top of the work tree down, and its .git/info/exclude (a monorepo package opened)', async () => {
      write(repo.root, 'outside/.gitignore', '*.ts\n');
      mkdirSync(path.join(repo.root, 'outside/mono/.git/info'), { recursive: true });
      write(repo.root, 'outside/mono/.git/info/exclude', 'local.ts\n');
      write(repo.root, 'outside/mono/.gitignore', 'dist/\n*.generated.ts\n/top.ts\n');
      write(repo.root, 'outside/mono/packages/.gitignore', 'web/src/only-here.ts\n!keep.generated.ts\n');
      const files = await scanFolder('outside/mono/packages/web', [
        'src/a.ts',
        'dist/bundle.ts',
        'src/api.generated.ts',
        'src/keep.generated.ts',
        'src/only-here.ts',
        'local.ts',
        'top.ts',
      ]);
      // (The .gitignore above the work tree's top, which would exclude every .ts file, is not git's.)
      assert.deepEqual(files, ['src/a.ts', 'src/keep.generated.ts', 'top.ts']);
    });

    it('takes the nearest .git, a file too (a worktree, a submodule): its .gitignore files apply, not the info/exclude above', async () => {
      mkdirSync(path.join(repo.root, 'outer/.git/info'), { recursive: true });
      write(repo.root, 'outer/.git/info/exclude', 'b.ts\n');
      write(repo.root, 'outer/.gitignore', 'c.ts\n');
      write(repo.root, 'outer/sub/.git', 'gitdir: ../.git/modules/sub\n');
      write(repo.root, 'outer/sub/.gitignore', 'gen/\n');
      const files = await scanFolder('outer/sub/pkg', ['a.ts', 'b.ts', 'c.ts', 'gen/d.ts']);
      assert.deepEqual(files, ['a.ts', 'b.ts', 'c.ts']);
    });

    it('reads no .gitignore above a folder in no git work tree', async () => {
      write(repo.root, 'plain/.gitignore', 'b.ts\n');
      assert.deepEqual(await scanFolder('plain/pkg', ['a.ts', 'b.ts']), ['a.ts', 'b.ts']);
    });

    it('applies none of them to a folder they exclude (a package under an ignored vendor/): it is no part of the repository', async () => {
      mkdirSync(path.join(repo.root, 'mono/.git'), { recursive: true });
      write(repo.root, 'mono/.gitignore', 'vendor/\n*.log.ts\n');
      write(repo.root, 'mono/vendor/.gitignore', '/lib/\n');
      assert.deepEqual(await scanFolder('mono/vendor/lib', ['a.ts', 'b.log.ts', 'x/vendor/c.ts', 'lib/d.ts']), ['a.ts', 'b.log.ts', 'lib/d.ts', 'x/vendor/c.ts']);
    });

    it('applies none of them under a home folder whose dotfiles repository ignores everything (`*`), nor to an out/ they empty', async () => {
      mkdirSync(path.join(repo.root, 'home/.git/info'), { recursive: true });
      write(repo.root, 'home/.gitignore', '*\n!.bashrc\n');
      assert.deepEqual(await scanFolder('home/projects/foo', ['src/a.ts', 'b.py']), ['b.py', 'src/a.ts']);
      write(repo.root, 'home/.gitignore', '');
      write(repo.root, 'home/.git/info/exclude', '*\n');
      assert.deepEqual(await scanFolder('home/projects/bar', ['src/a.ts', 'b.py']), ['b.py', 'src/a.ts']);
      // Rules that leave the folder in but exclude everything directly in it.
      mkdirSync(path.join(repo.root, 'app/.git'), { recursive: true });
      write(repo.root, 'app/.gitignore', 'out/*\n*.tmp.ts\n');
      assert.deepEqual(await scanFolder('app/out', ['a.js', 'lib/b.ts', 'c.tmp.ts']), ['a.js', 'c.tmp.ts', 'lib/b.ts']);
      // (When they leave something in, they apply.)
      write(repo.root, 'app/.gitignore', 'out/*\n!out/keep/\n*.tmp.ts\n');
      assert.deepEqual(await scanFolder('app/out', ['keep/a.ts', 'keep/c.tmp.ts', 'lib/b.ts']), ['keep/a.ts']);
    });
  });

  describe("git's global excludes file (core.excludesFile; by default ~/.config/git/ignore)", () => {
    let tmp: { root: string; cleanup: () => void };
    // (Taken before each test: what the root hook (test/unit/isolateGitUserConfig.ts) set, not what the machine had when this file was loaded.)
    let saved: Record<string, string | undefined> = {};
    const home = (): string => path.join(tmp.root, 'home');
    beforeEach(() => {
      saved = { HOME: process.env['HOME'], XDG_CONFIG_HOME: process.env['XDG_CONFIG_HOME'] };
      tmp = tempWorkspace();
      mkdirSync(home(), { recursive: true });
      process.env['HOME'] = home();
      delete process.env['XDG_CONFIG_HOME'];
    });
    afterEach(() => {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
      tmp.cleanup();
    });

    /** A work tree at `repo` (under the temporary folder): `git init` where git is installed, else a bare .git folder. */
    function workTree(repo: string): string {
      const top = path.join(tmp.root, repo);
      mkdirSync(top, { recursive: true });
      try {
        execFileSync('git', ['init', '-q'], { cwd: top });
      } catch (e) {
        if (!gitNotInstalled(e)) throw e;
        mkdirSync(path.join(top, '.git'), { recursive: true });
      }
      return top;
    }

    /**
     * Whether `error` is git failing to start because it is not installed (the tests then compare with git less); any
     * other failure of git is the caller's to throw. Under CI=true, where nothing is skipped, a missing git fails the test.
     */
    function gitNotInstalled(error: unknown): boolean {
      if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) return false;
      if (process.env.CI === 'true') throw new Error('git is not installed (scripts/setup.sh installs it): under CI=true every scan is compared with git', { cause: error });
      return true;
    }

    /**
     * What `git ls-files --others --exclude-standard` lists in `dir` (its own config, not this machine's: the root hook sets
     * GIT_CONFIG_NOSYSTEM, and HOME is the test's), undefined where git is not installed.
     */
    function gitLists(dir: string): string[] | undefined {
      try {
        // (PWD as a shell sets it: git takes the folder as reached through a link from it.)
        const out = execFileSync('git', ['ls-files', '--others', '--exclude-standard', '-z'], { cwd: dir, env: { ...process.env, PWD: dir } });
        return out.toString().split('\0').filter(Boolean).sort();
      } catch (e) {
        if (gitNotInstalled(e)) return undefined;
        throw e;
      }
    }

    /** The files of a scan of `dir`; the single-path answers and (where git is installed) git's listing must agree. */
    async function scanLikeGit(dir: string, paths: readonly string[]): Promise<string[]> {
      for (const p of paths) write(dir, p, 'SECRET=1\n');
      const files = (await scan(dir)).files.sort();
      const filter = new WorkspaceFilter(dir);
      for (const p of paths) assert.equal(await filter.isExcluded(p, false), !files.includes(p), `the single-path answer for ${p} agrees with the scan`);
      const listed = gitLists(dir);
      if (listed) assert.deepEqual(files, listed, 'git lists the same files');
      return files;
    }

    it('applies ~/.config/git/ignore (or $XDG_CONFIG_HOME/git/ignore) below .git/info/exclude and every .gitignore', async () => {
      write(home(), '.config/git/ignore', '.settings\n*.crt\n/top-only.ts\n');
      const top = workTree('repo');
      write(top, '.gitignore', '!keep.crt\n');
      write(top, '.git/info/exclude', '!src/.settings\n');
      const files = await scanLikeGit(top, ['.settings', 'key.crt', 'keep.crt', 'src/.settings', 'src/a.ts', 'top-only.ts', 'src/top-only.ts']);
      assert.deepEqual(files, ['.gitignore', 'keep.crt', 'src/.settings', 'src/a.ts', 'src/top-only.ts']);
      // Its patterns are relative to the work tree's top, also for a folder below it opened alone.
      assert.deepEqual(await scanLikeGit(path.join(top, 'src'), ['.settings', 'a.ts', 'top-only.ts']), ['.settings', 'a.ts', 'top-only.ts']);
      write(home(), '.config/git/ignore', '/src/top-only.ts\n.settings\n');
      assert.deepEqual(await scanLikeGit(path.join(top, 'src'), ['.settings', 'a.ts', 'top-only.ts']), ['.settings', 'a.ts']);
      // $XDG_CONFIG_HOME, when set, instead of ~/.config.
      process.env['XDG_CONFIG_HOME'] = path.join(tmp.root, 'xdg');
      write(tmp.root, 'xdg/git/ignore', '*.ts\n');
      assert.deepEqual(await scanLikeGit(top, ['.settings', 'src/a.ts']), ['.gitignore', '.settings', 'keep.crt', 'key.crt', 'src/.settings']);
      // Nothing of it applies outside a work tree.
      write(tmp.root, 'plain/.settings', 'SECRET=1\n');
      assert.deepEqual((await scan(path.join(tmp.root, 'plain'))).files, ['.settings']);
    });

    it("takes core.excludesFile from git's config files: ~/.gitconfig over $XDG_CONFIG_HOME/git/config, the repository's over both", async () => {
      const top = workTree('repo');
      const paths = ['a.env', 'b.crt', 'c.secret', 'd.cfg', 'e.local', 'src/f.ts'];
      // Set in ~/.config/git/config only; its default file is then not read.
      write(home(), '.config/git/ignore', '*.crt\n');
      write(home(), '.config/git/config', '[core]\n\texcludesfile = ~/ignores/xdg\n');
      write(home(), 'ignores/xdg', '*.env\n');
      assert.deepEqual(await scanLikeGit(top, paths), ['b.crt', 'c.secret', 'd.cfg', 'e.local', 'src/f.ts']);
      // ~/.gitconfig outranks it: section and key in any case, a quoted value with a comment after it.
      write(home(), '.gitconfig', '[user]\n\tname = x\n[Core]\n\tExcludesFile = "~/my ignores" ; the secrets\n');
      write(home(), 'my ignores', '*.secret\n');
      assert.deepEqual(await scanLikeGit(top, paths), ['a.env', 'b.crt', 'd.cfg', 'e.local', 'src/f.ts']);
      // … also through an [include] (relative to the including file).
      write(home(), '.gitconfig', '[include]\n\tpath = git/extra.inc\n');
      write(home(), 'git/extra.inc', '[core] excludesFile = ~/ignores/inc\n');
      write(home(), 'ignores/inc', '*.cfg\n');
      assert.deepEqual(await scanLikeGit(top, paths), ['a.env', 'b.crt', 'c.secret', 'e.local', 'src/f.ts']);
      // The repository's .git/config outranks both; a relative path is taken from the top of the work tree.
      const repoConfig = path.join(top, '.git/config');
      write(top, '.git/config', `${readFileSync(repoConfig, { encoding: 'utf8', flag: 'a+' })}[core]\n\texcludesFile = .git/local-ignores\n`);
      write(top, '.git/local-ignores', '*.local\n');
      assert.deepEqual(await scanLikeGit(top, paths), ['a.env', 'b.crt', 'c.secret', 'd.cfg', 'src/f.ts']);
      assert.deepEqual(await scanLikeGit(path.join(top, 'src'), ['f.ts', 'g.local']), ['f.ts']);
    });

    /** `git init` in a folder that is then moved to `gitDir` (a git dir apart from its work tree); a bare folder without git. */
    function separateGitDir(gitDir: string): void {
      const made = path.join(tmp.root, `init-${path.basename(gitDir)}`);
      mkdirSync(made, { recursive: true });
      mkdirSync(path.dirname(gitDir), { recursive: true });
      try {
        execFileSync('git', ['init', '-q'], { cwd: made });
      } catch (e) {
        if (!gitNotInstalled(e)) throw e;
        mkdirSync(path.join(gitDir, 'info'), { recursive: true });
        return;
      }
      renameSync(path.join(made, '.git'), gitDir);
    }

    it("in a linked worktree (`.git` a file), takes the repository's config and info/exclude from the main work tree's .git", async () => {
      const main = workTree('main');
      write(main, '.git/config', `${readFileSync(path.join(main, '.git/config'), { encoding: 'utf8', flag: 'a+' })}[core]\n\texcludesFile = ../repo-ignores\n`);
      write(tmp.root, 'repo-ignores', '*.secret\n');
      write(main, '.git/info/exclude', '*.private\n');
      // What `git worktree add ../wt` makes, with a relative gitdir (as worktree.useRelativePaths writes it).
      write(main, '.git/worktrees/wt/HEAD', 'ref: refs/heads/wt\n');
      write(main, '.git/worktrees/wt/commondir', '../..\n');
      write(main, '.git/worktrees/wt/gitdir', `${path.join(tmp.root, 'wt/.git')}\n`);
      write(tmp.root, 'wt/.git', 'gitdir: ../main/.git/worktrees/wt\n');
      const wt = path.join(tmp.root, 'wt');
      assert.deepEqual(await scanLikeGit(wt, ['a.ts', 'b.secret', 'c.private', 'src/d.secret']), ['a.ts']);
      assert.deepEqual(await scanLikeGit(path.join(wt, 'src'), ['d.secret', 'e.ts']), ['e.ts']);
      // (A relative excludesFile is still taken from the top of the work tree at hand.)
      write(tmp.root, 'wt/repo-ignores', '*.ts\n');
      write(main, '.git/config', `${readFileSync(path.join(main, '.git/config'), 'utf8')}[core]\n\texcludesFile = repo-ignores\n`);
      assert.deepEqual(await scanLikeGit(wt, ['a.ts', 'b.secret', 'c.private']), ['b.secret', 'repo-ignores', 'src/d.secret']);
      // With extensions.worktreeConfig, the worktree's own config.worktree outranks the shared config.
      write(main, '.git/worktrees/wt/config.worktree', '[core]\n\texcludesFile = ../wt-ignores\n');
      write(tmp.root, 'wt-ignores', '*.secret\n');
      assert.deepEqual(await scanLikeGit(wt, ['a.ts', 'b.secret']), ['b.secret', 'repo-ignores', 'src/d.secret'], 'config.worktree is read only with the extension');
      write(main, '.git/config', `${readFileSync(path.join(main, '.git/config'), 'utf8')}[extensions]\n\tworktreeConfig = true\n`);
      assert.deepEqual(await scanLikeGit(wt, ['a.ts', 'b.secret']), ['a.ts', 'repo-ignores', 'src/e.ts']);
    });

    it("in a submodule (`.git` a file naming .git/modules/<name>), takes that git dir's config and info/exclude", async () => {
      const superproject = workTree('super');
      separateGitDir(path.join(superproject, '.git/modules/mods/sub'));
      write(superproject, 'mods/sub/.git', 'gitdir: ../../.git/modules/mods/sub\n');
      const moduleDir = path.join(superproject, '.git/modules/mods/sub');
      write(moduleDir, 'config', `${readFileSync(path.join(moduleDir, 'config'), { encoding: 'utf8', flag: 'a+' })}[core]\n\texcludesFile = ${path.join(tmp.root, 'module-ignores')}\n`);
      write(tmp.root, 'module-ignores', '*.secret\n');
      write(moduleDir, 'info/exclude', '*.private\n');
      // The superproject's own are not the submodule's.
      write(superproject, '.git/info/exclude', '*.ts\n');
      assert.deepEqual(await scanLikeGit(path.join(superproject, 'mods/sub'), ['a.ts', 'b.secret', 'c.private']), ['a.ts']);
    });

    it('follows [includeIf "gitdir:…"] and "gitdir/i:…" whose pattern matches the git dir (a worktree\'s own, a submodule\'s)', async () => {
      const real = realpathSync(tmp.root);
      const superproject = workTree('super');
      separateGitDir(path.join(superproject, '.git/modules/mods/sub'));
      write(superproject, 'mods/sub/.git', 'gitdir: ../../.git/modules/mods/sub\n');
      write(home(), 'work.inc', '[core]\n\texcludesFile = ~/work-ignores\n');
      write(home(), 'work-ignores', '*.secret\n');
      const sub = path.join(superproject, 'mods/sub');
      const paths = ['a.ts', 'b.secret'];
      const withCondition = async (condition: string, where = '.gitconfig'): Promise<string[]> => {
        write(home(), where, `[includeIf "${condition}"]\n\tpath = ${path.relative(path.dirname(path.join(home(), where)), path.join(home(), 'work.inc'))}\n`);
        if (where !== '.gitconfig') write(home(), '.gitconfig', `[include]\n\tpath = ${where}\n`);
        return scanLikeGit(sub, paths);
      };
      // The common work-profile setup: everything under a folder (a trailing `/`).
      assert.deepEqual(await withCondition(`gitdir:${real}/super/`), ['a.ts']);
      assert.deepEqual(await withCondition(`gitdir:${real}/other/`), paths);
      // `*` stays within a name, `**` spans folders; a relative pattern matches anywhere.
      assert.deepEqual(await withCondition(`gitdir:${real}/super/.git/*/mods/sub`), ['a.ts']);
      assert.deepEqual(await withCondition(`gitdir:${real}/super/*/sub`), paths);
      assert.deepEqual(await withCondition(`gitdir:${real}/**/sub`), ['a.ts']);
      assert.deepEqual(await withCondition('gitdir:mods/'), ['a.ts']);
      // Letter case: exact for gitdir:, ignored for gitdir/i:.
      assert.deepEqual(await withCondition(`gitdir:${real}/SUPER/`), paths);
      assert.deepEqual(await withCondition(`gitdir/i:${real}/SUPER/`), ['a.ts']);
      // `./` is the including file's folder (here ~/profiles, so ./../ is never resolved: git compares that literally).
      assert.deepEqual(await withCondition('gitdir:./', 'profiles/work.cfg'), paths);
      assert.deepEqual(await withCondition('gitdir:./../../super/', 'profiles/work.cfg'), paths);
      write(tmp.root, 'profiles.cfg', `[includeIf "gitdir:./super/"]\n\tpath = home/work.inc\n`);
      write(home(), '.gitconfig', '[include]\n\tpath = ../profiles.cfg\n');
      assert.deepEqual(await scanLikeGit(sub, paths), ['a.ts']);
      // A linked worktree's git dir is its own (.git/worktrees/<name>), not the main work tree's .git.
      const main = workTree('main');
      write(main, '.git/worktrees/wt/HEAD', 'ref: refs/heads/wt\n');
      write(main, '.git/worktrees/wt/commondir', '../..\n');
      write(main, '.git/worktrees/wt/gitdir', `${path.join(tmp.root, 'wt/.git')}\n`);
      write(tmp.root, 'wt/.git', `gitdir: ${path.join(main, '.git/worktrees/wt')}\n`);
      write(home(), '.gitconfig', `[includeIf "gitdir:${real}/main/.git"]\n\tpath = work.inc\n`);
      const wt = path.join(tmp.root, 'wt');
      assert.deepEqual(await scanLikeGit(wt, paths), paths);
      write(home(), '.gitconfig', `[includeIf "gitdir:${real}/main/.git/worktrees/"]\n\tpath = work.inc\n`);
      assert.deepEqual(await scanLikeGit(wt, paths), ['a.ts']);
      // Conditions of other kinds are not followed.
      write(home(), '.gitconfig', '[includeIf "onbranch:nothing-of-the-kind"]\n\tpath = work.inc\n');
      assert.deepEqual(await scanLikeGit(wt, paths), paths);
      // A work tree opened through a link (~/work a link to another disk): git also tests its .git as reached through the
      // link, when it is in the folder opened (found above it, the git dir is a real path).
      symlinkSync(main, path.join(tmp.root, 'main-link'));
      write(home(), '.gitconfig', `[includeIf "gitdir:${real}/main-link/"]\n\tpath = work.inc\n`);
      assert.deepEqual(await scanLikeGit(path.join(tmp.root, 'main-link'), paths), ['a.ts']);
      assert.deepEqual(await scanLikeGit(path.join(tmp.root, 'main-link/src'), paths), paths);
    });
  });

  it('does not follow a symlink to a folder around the workspace (its parent), nor one around a folder it followed', async () => {
    const outside = tempWorkspace();
    try {
      const inner = path.join(outside.root, 'ws');
      write(inner, 'f.ts', 'export function f() {}\n');
      write(outside.root, 'sibling/s.ts', 'export function s() {}\n');
      write(outside.root, 'ext/deep/e.ts', 'export function e() {}\n');
      symlinkSync(outside.root, path.join(inner, 'up'));
      symlinkSync(path.join(outside.root, 'ext', 'deep'), path.join(inner, 'deep-first'));
      symlinkSync(path.join(outside.root, 'ext'), path.join(inner, 'ext-around-it'));
      const { files } = await scan(inner);
      assert.deepEqual(files.sort(), ['deep-first/e.ts', 'f.ts']);
    } finally {
      outside.cleanup();
    }
  });

  it('follows an included link to a folder that an excluded link to it came before (only a folder walked counts as followed)', async () => {
    const outside = tempWorkspace();
    const inner = tempWorkspace();
    try {
      write(outside.root, 'lib/e.ts', 'export function e() {}\n');
      write(inner.root, 'main.ts', 'export function main() {}\n');
      symlinkSync(path.join(outside.root, 'lib'), path.join(inner.root, 'a_link'));
      symlinkSync(path.join(outside.root, 'lib'), path.join(inner.root, 'b_link'));
      write(inner.root, '.gitignore', 'a_link\n');
      assert.deepEqual((await scan(inner.root)).files.sort(), ['.gitignore', 'b_link/e.ts', 'main.ts'], 'excluded by a .gitignore');
      write(inner.root, '.gitignore', '');
      assert.deepEqual((await scan(inner.root, { exclude: ['a_link'] })).files.sort(), ['.gitignore', 'b_link/e.ts', 'main.ts'], 'excluded by a glob');
    } finally {
      inner.cleanup();
      outside.cleanup();
    }
  });

  it('follows the same one of two links to a folder through the thread pool as with blocking calls: the first in the walk, not the first listed', async () => {
    const outside = tempWorkspace();
    const inner = tempWorkspace();
    try {
      write(outside.root, 'lib/e.ts', 'export function e() {}\n');
      // a/deep/first is met first in the walk; b's listing, started ahead with a's, sees b/second sooner.
      mkdirSync(path.join(inner.root, 'a', 'deep'), { recursive: true });
      mkdirSync(path.join(inner.root, 'b'));
      symlinkSync(path.join(outside.root, 'lib'), path.join(inner.root, 'a', 'deep', 'first'));
      symlinkSync(path.join(outside.root, 'lib'), path.join(inner.root, 'b', 'second'));
      assert.deepEqual((await scan(inner.root, { slowListingMs: 1e9 })).files, ['a/deep/first/e.ts'], 'blocking listings');
      assert.deepEqual((await scan(inner.root, { slowListingMs: 0 })).files, ['a/deep/first/e.ts'], 'listings through the thread pool');
    } finally {
      inner.cleanup();
      outside.cleanup();
    }
  });

  it('applies extra exclude globs to files and whole folders', async () => {
    const { files } = await scan(ws.root, { exclude: ['**/*.java', 'py/**', 'go'] });
    assert.ok(!files.some((f) => f.endsWith('.java') || f.startsWith('py/') || f.startsWith('go/')));
    assert.ok(files.includes('rust/src/lib.rs'));
  });

  it('reads an exclude glob with a trailing slash as a directory of that name, as a .gitignore does', async () => {
    write(ws.root, 'gen/a.ts', 'export function a() {}\n');
    write(ws.root, 'src/gen/b.ts', 'export function b() {}\n');
    write(ws.root, 'src/made', 'a file, not a directory\n');
    const { files } = await scan(ws.root, { exclude: ['gen/', '**/made/'] });
    assert.ok(!files.includes('gen/a.ts'), 'gen/ excludes the directory gen');
    assert.ok(files.includes('src/gen/b.ts'), 'gen/ is anchored like any glob: not src/gen');
    assert.ok(files.includes('src/made'), 'a directory pattern leaves a file of that name');
    const filter = new WorkspaceFilter(ws.root, ['gen/']);
    assert.equal(await filter.isExcluded('gen/a.ts', false), true);
    assert.equal(await filter.isExcluded('gen', true), true);
  });

  it('reads an exclude glob starting with ! or holding an extglob literally, as VS Code does (it has neither): it excluded every other file', async () => {
    const plain = tempWorkspace();
    try {
      for (const p of ['src/gen.ts', 'src/a.ts', 'lib/b.ts']) write(plain.root, p, 'export const x = 1;\n');
      for (const exclude of [['!src/gen.ts'], ['!(src)/**'], ['src/!(a).ts'], ['@(lib)/**']]) {
        const { files } = await scan(plain.root, { exclude });
        assert.deepEqual(files.sort(), ['lib/b.ts', 'src/a.ts', 'src/gen.ts'], JSON.stringify(exclude));
        const filter = new WorkspaceFilter(plain.root, exclude);
        assert.equal(await filter.isExcluded('src/a.ts', false), false, JSON.stringify(exclude));
        assert.equal(await filter.isExcluded('lib', true), false, JSON.stringify(exclude));
      }
      // Their other globs still apply: braces, stars, character ranges.
      const { files } = await scan(plain.root, { exclude: ['!src/gen.ts', '{lib,tmp}/**', 'src/[a-c].ts'] });
      assert.deepEqual(files, ['src/gen.ts']);
    } finally {
      plain.cleanup();
    }
  });

  it('reads ( ) | in an exclude glob literally and {a} as a, as VS Code does (a route group `app/(auth)/**` kept its files)', async () => {
    const plain = tempWorkspace();
    try {
      for (const p of ['app/(auth)/login/page.tsx', 'app/auth/helpers.ts', 'app/page.tsx', 'lib/a|b.ts', 'lib/b.ts', 'src/a', 'src/x/a', 'f1.ts', 'f1..3.ts'])
        write(plain.root, p, 'export const x = 1;\n');
      const exclude = ['app/(auth)/**', '**/a|b.ts', '**/{a}', 'f{1..3}.ts'];
      const { files } = await scan(plain.root, { exclude });
      assert.deepEqual(files.sort(), ['app/auth/helpers.ts', 'app/page.tsx', 'f1.ts', 'lib/b.ts']);
      const filter = new WorkspaceFilter(plain.root, exclude);
      assert.equal(await filter.isExcluded('app/(auth)', true), true);
      assert.equal(await filter.isExcluded('app/auth', true), false);
      assert.equal(await filter.isExcluded('a', false), true);
    } finally {
      plain.cleanup();
    }
    assert.equal(asPicomatchGlob('[(|)]/(a|b)/{c}/{d,e}/{f,{g}}'), '[(|)]/\\(a\\|b\\)/c/{d,e}/{f,g}');
  });

  it('reads [!…] in an exclude glob as a negated character class, as VS Code does', async () => {
    const plain = tempWorkspace();
    try {
      for (const p of ['src/a.ts', 'src/_x.ts', 'src/!x.ts', 'src/b.ts', 'lib/c.ts', 'lib/]d.ts']) write(plain.root, p, 'export const x = 1;\n');
      assert.deepEqual((await scan(plain.root, { exclude: ['src/[!_]*.ts'] })).files.sort(), ['lib/]d.ts', 'lib/c.ts', 'src/_x.ts']);
      assert.deepEqual((await scan(plain.root, { exclude: ['src/[!a_]*.ts'] })).files.sort(), ['lib/]d.ts', 'lib/c.ts', 'src/_x.ts', 'src/a.ts']);
      assert.deepEqual((await scan(plain.root, { exclude: ['[!s]*/'] })).files.sort(), ['src/!x.ts', 'src/_x.ts', 'src/a.ts', 'src/b.ts'], 'a directory pattern');
      assert.deepEqual((await scan(plain.root, { exclude: ['lib/[!]]*'] })).files.filter((f) => f.startsWith('lib/')), ['lib/]d.ts'], '] first is a member');
      assert.deepEqual((await scan(plain.root, { exclude: ['src/[!_]*', 'lib/*'] })).files, ['src/_x.ts'], 'a directory is excluded whole by a star only');
      const filter = new WorkspaceFilter(plain.root, ['**/[!.]*.log', 'src/\\[!a].ts']);
      assert.equal(await filter.isExcluded('src/x.log', false), true);
      assert.equal(await filter.isExcluded('src/a.ts', false), false, 'an escaped [ is no class');
      assert.equal(await filter.isExcluded('src/!.ts', false), false);
    } finally {
      plain.cleanup();
    }
    assert.equal(asPicomatchGlob('x[!ab]y[^c][a!]\\[!d]'), 'x[^\u0001ab]y[^\u0001c][a!]\\[!d]');
    assert.equal(asPicomatchGlob('[!]a]/[[!b]'), '[^]\u0001a]/[[!b]');
    assert.equal(asPicomatchGlob('a[!'), 'a[!');
  });

  it('skips files over the size limit and files with binary extensions', async () => {
    write(ws.root, 'big.ts', `export const x = '${'a'.repeat(2_000)}';\n`);
    write(ws.root, 'logo.png', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0]));
    const { files, skipped } = await scan(ws.root, { maxFileBytes: 1_000 });
    assert.ok(!files.includes('big.ts') && !files.includes('logo.png'));
    assert.ok(skipped.includes('big.ts:too-large'));
    assert.ok(skipped.includes('logo.png:binary'));
  });

  it('leaves out the files and folders it cannot read (no permission, a symlink loop), says which, and goes on', async () => {
    write(ws.root, 'half/g.ts', 'export const g = 1;\n');
    write(ws.root, 'half/h.ts', 'export const h = 1;\n');
    write(ws.root, 'loops/l.ts', 'export const l = 1;\n');
    write(ws.root, 'secret/s.ts', 'export const s = 1;\n');
    write(ws.root, 'zz.ts', 'export const z = 1;\n');
    const unreadable: string[] = [];
    for (const slowListingMs of [Infinity, 0]) {
      unreadable.length = 0;
      const fileSystem = failingFileSystem({ unsearchable: [path.join(ws.root, 'half')], unlistable: [path.join(ws.root, 'secret')] });
      const loops = failingFileSystem({ unsearchable: [path.join(ws.root, 'loops')], statCode: 'ELOOP' });
      const both: ScanFileSystem = { ...fileSystem, statSync: (p, o) => (path.dirname(p).endsWith('loops') ? loops.statSync(p, o) : fileSystem.statSync(p, o)) };
      const { files } = await scan(ws.root, {
        fileSystem: both,
        slowListingMs,
        onUnreadable: (p, dir, err) => unreadable.push(`${p}${dir ? '/' : ''}:${(err as { code?: string }).code ?? ''}`),
      });
      assert.ok(files.includes('zz.ts') && files.includes('src/util.ts'), `the scan went on past them: ${files.join(' ')}`);
      assert.ok(!files.some((f) => /^(half|loops|secret)\//.test(f)));
      assert.deepEqual(unreadable.sort(), ['half/g.ts:EACCES', 'half/h.ts:EACCES', 'loops/l.ts:ELOOP', 'secret/:EACCES']);
    }
    // The folder the scan starts at.
    unreadable.length = 0;
    const { files } = await scan(ws.root, { fileSystem: failingFileSystem({ unlistable: [ws.root] }), onUnreadable: (p, dir) => unreadable.push(`${p}:${dir}`) });
    assert.deepEqual(files, []);
    assert.deepEqual(unreadable, [':true']);
  });

  it('says nothing of a folder or file that vanished while it scanned', async () => {
    write(ws.root, 'gone/g.ts', 'export const g = 1;\n');
    const real = failingFileSystem({});
    const vanishing: ScanFileSystem = {
      statSync: (p, o) => (p.endsWith('zz-gone.ts') ? undefined : real.statSync(p, o)),
      readdirSync: (p, o) => {
        if (p.endsWith('gone')) throw fsError('ENOENT', 'scandir', p);
        const entries = real.readdirSync(p, o);
        return entries;
      },
      readdir: real.readdir,
    };
    write(ws.root, 'zz-gone.ts', 'export const z = 1;\n');
    const unreadable: string[] = [];
    const { files } = await scan(ws.root, { fileSystem: vanishing, onUnreadable: (p) => unreadable.push(p) });
    assert.ok(!files.includes('zz-gone.ts') && !files.includes('gone/g.ts'));
    assert.deepEqual(unreadable, []);
  });

  it('follows a symlinked folder outside the workspace once and survives symlink loops', async () => {
    const outside = tempWorkspace();
    try {
      write(outside.root, 'shared.ts', 'export function shared() {}\n');
      symlinkSync(outside.root, path.join(ws.root, 'linked'));
      symlinkSync(outside.root, path.join(ws.root, 'linked-again'));
      symlinkSync(ws.root, path.join(ws.root, 'src', 'loop'));
      symlinkSync(path.join(outside.root), path.join(outside.root, 'self'));
      const { files } = await scan(ws.root);
      assert.equal(files.filter((f) => f.endsWith('shared.ts')).length, 1);
      assert.ok(!files.some((f) => f.startsWith('src/loop/')));
    } finally {
      outside.cleanup();
    }
  });

  it('scans a subtree with the ignore rules of its ancestors', async () => {
    const skipped: string[] = [];
    const files: string[] = [];
    const filter = new WorkspaceFilter(ws.root);
    for await (const batch of scanWorkspace({ root: ws.root, maxFileBytes: 1 << 20, onSkip: (p) => skipped.push(p) }, filter, undefined, 'nested')) files.push(...batch.map((f) => f.path));
    assert.deepEqual(files.sort(), ['nested/.gitignore', 'nested/keep.log', 'nested/notes.txt']);
  });

  it('scans a subtree under a link to a folder outside as the full scan does: a link below into that folder is not followed', async () => {
    const outside = tempWorkspace();
    const inner = tempWorkspace();
    try {
      write(outside.root, 'lib/sub/e.ts', 'export function e() {}\n');
      symlinkSync(path.join(outside.root, 'lib', 'sub'), path.join(outside.root, 'lib', 'again'));
      symlinkSync(path.join(outside.root, 'lib'), path.join(inner.root, 'linked'));
      assert.deepEqual((await scan(inner.root)).files, ['linked/sub/e.ts'], 'the full scan');
      const files: string[] = [];
      for await (const batch of scanWorkspace({ root: inner.root, maxFileBytes: 1 << 20 }, new WorkspaceFilter(inner.root), undefined, 'linked')) files.push(...batch.map((f) => f.path));
      assert.deepEqual(files, ['linked/sub/e.ts'], 'the scan of the linked folder');
    } finally {
      inner.cleanup();
      outside.cleanup();
    }
  });

  it('never lists a file that holds secrets (.env, keys, credentials), whatever the .gitignore files say; keeps templates and public keys', async () => {
    // Outside a git work tree (no global excludes apply), and a .gitignore that re-includes them: they are left out all
    // the same, by the scan and for single paths (watcher events, documents).
    write(ws.root, '.gitignore', 'build/\n*.log\n!.env\n!*.pem\n!.npmrc\n');
    for (const p of SECRET_FILES) write(ws.root, p, 'OPENAI_API_KEY=sk-live-0123456789\n');
    for (const p of KEPT_FILES) write(ws.root, p, 'OPENAI_API_KEY=\n');
    // A link named otherwise to one of them (through a chain of links too) is left out as well; one to a kept file is not.
    symlinkSync('.env', path.join(ws.root, 'settings.txt'));
    symlinkSync('../settings.txt', path.join(ws.root, 'certs/chained.txt'));
    symlinkSync('../keys/id_rsa.pub', path.join(ws.root, 'certs/public.txt'));
    const { files } = await scan(ws.root);
    assert.deepEqual(SECRET_FILES.filter((p) => files.includes(p)), []);
    assert.deepEqual(KEPT_FILES.filter((p) => !files.includes(p)), []);
    assert.deepEqual(['settings.txt', 'certs/chained.txt', 'certs/public.txt'].filter((p) => files.includes(p)), ['certs/public.txt']);
    const filter = new WorkspaceFilter(ws.root);
    for (const p of SECRET_FILES) assert.equal(await filter.isExcluded(p, false), true, p);
    for (const p of KEPT_FILES) assert.equal(await filter.isExcluded(p, false), false, p);
    assert.equal(await filter.isExcluded('certs', true), false, 'the folder holding them is walked');
  });

  it('never lists a file that holds secrets reached through a link to a folder outside (sshkeys → ~/.ssh), judged by its real path', async () => {
    const home = tempWorkspace();
    try {
      write(home.root, '.ssh/work_key', '-----BEGIN OPENSSH PRIVATE KEY-----\n');
      write(home.root, '.ssh/work_key.pub', 'ssh-ed25519 AAAA\n');
      write(home.root, '.aws/credentials', 'aws_secret_access_key=x\n');
      write(home.root, '.aws/notes.md', 'notes\n');
      symlinkSync(path.join(home.root, '.ssh'), path.join(ws.root, 'sshkeys'));
      symlinkSync(path.join(home.root, '.aws'), path.join(ws.root, 'awsconf'));
      const linked = (await scan(ws.root)).files.filter((f) => f.startsWith('sshkeys/') || f.startsWith('awsconf/'));
      assert.deepEqual(linked.sort(), ['awsconf/notes.md', 'sshkeys/work_key.pub']);
      const files: string[] = [];
      for await (const batch of scanWorkspace({ root: ws.root, maxFileBytes: 1 << 20 }, new WorkspaceFilter(ws.root), undefined, 'sshkeys')) files.push(...batch.map((f) => f.path));
      assert.deepEqual(files, ['sshkeys/work_key.pub'], 'a scan of the linked folder');
    } finally {
      home.cleanup();
    }
  });

  it('decides single paths (watcher events) like a scan does', async () => {
    const filter = new WorkspaceFilter(ws.root, ['**/*.java']);
    assert.equal(await filter.isExcluded('src/config.ts', false), false);
    assert.equal(await filter.isExcluded('build/out.js', false), true);
    assert.equal(await filter.isExcluded('debug.log', false), true);
    assert.equal(await filter.isExcluded('nested/keep.log', false), false);
    assert.equal(await filter.isExcluded('nested/scratch.tmp', false), true);
    assert.equal(await filter.isExcluded('node_modules/dep/index.js', false), true);
    assert.equal(await filter.isExcluded('java/com/example/app/App.java', false), true);
    write(ws.root, 'src/.gitignore', 'config.ts\n');
    assert.equal(await filter.isExcluded('src/config.ts', false), false, 'rules are cached until forgotten');
    filter.forget('src');
    assert.equal(await filter.isExcluded('src/config.ts', false), true);
  });

  it('forgets the rules cached under every spelling of a folder where the disk folds case', async () => {
    // (This disk does not fold case: what is checked is which cached rules go, for a folder named in two spellings.)
    write(ws.root, 'Docs/.gitignore', '*.md\n');
    for (const foldsCase of [false, true]) {
      const filter = new WorkspaceFilter(ws.root);
      assert.equal(await filter.isExcluded('Docs/a.md', false), true);
      write(ws.root, 'Docs/.gitignore', '*.txt\n');
      filter.forget('docs', foldsCase);
      assert.equal(await filter.isExcluded('Docs/a.md', false), !foldsCase, `forget, foldsCase ${foldsCase}`);
      write(ws.root, 'Docs/.gitignore', '*.json\n');
      filter.forgetDeleted('DOCS', foldsCase);
      assert.equal(await filter.isExcluded('Docs/a.json', false), foldsCase, `forgetDeleted, foldsCase ${foldsCase}`);
      write(ws.root, 'Docs/.gitignore', '*.md\n');
    }
  });

  it('keeps the last answers for single paths, the same as the rules give, until the rules are forgotten', async () => {
    const filter = new WorkspaceFilter(ws.root, ['**/*.java']);
    const expected = new Map<string, boolean>([
      ['src/config.ts', false],
      ['build/out.js', true],
      ['nested/scratch.tmp', true],
      ['nested/keep.log', false],
      ['java/com/example/app/App.java', true],
    ]);
    // More paths than the filter keeps answers for: asked again, some are kept, some recomputed.
    for (let i = 0; i < 40; i++) {
      expected.set(`src/gen${i}.ts`, false);
      expected.set(`nested/gen${i}.tmp`, true);
    }
    const paths = [...expected.keys()];
    const random = seededRandom(17);
    for (let round = 0; round < 3; round++) {
      for (const p of [...paths].sort(() => random() - 0.5)) assert.equal(await filter.isExcluded(p, false), expected.get(p), p);
    }
    // A folder and a file of the same path are told apart.
    write(ws.root, '.gitignore', 'twice/\n');
    filter.forget('');
    assert.equal(await filter.isExcluded('twice', true), true);
    assert.equal(await filter.isExcluded('twice', false), false);
    assert.equal(await filter.isExcluded('twice', true), true);
    // Forgetting the rules drops the answers kept: the changed .gitignore decides.
    write(ws.root, 'src/.gitignore', 'config.ts\n');
    assert.equal(await filter.isExcluded('src/config.ts', false), false, 'kept until the rules are forgotten');
    filter.forget('src');
    assert.equal(await filter.isExcluded('src/config.ts', false), true);
  });

  it('does not keep an answer computed from rules that a forget dropped while it was being computed', async () => {
    const filter = new WorkspaceFilter(ws.root);
    assert.equal(await filter.isExcluded('src/util.ts', false), false, 'the root rules are read and cached');
    // Asked before the .gitignore changes: this answer follows the root rules read above.
    const asked = filter.isExcluded('src/config.ts', false);
    write(ws.root, '.gitignore', `${readFileSync(path.join(ws.root, '.gitignore'), 'utf8')}\nsrc/config.ts\n`);
    filter.forget('');
    assert.equal(await asked, false, 'computed from the rules in force when asked');
    assert.equal(await filter.isExcluded('src/config.ts', false), true, 'the changed .gitignore decides once forgotten');
  });

  it('stops with a CancellationError when aborted', async () => {
    const abort = new AbortController();
    abort.abort();
    await assert.rejects(scan(ws.root, {}, abort.signal), (err) => err instanceof CancellationError);
  });

  it('matches globs as picomatch does, one pattern at a time (randomized paths)', () => {
    const patterns = [...DEFAULT_EXCLUDES, 'build/**', '**/*.gen.ts', 'docs', 'a[b]c', '**/{tmp,out}/**', 'src/**/fixtures', '*.log'];
    const one = picomatch(patterns, { dot: true });
    const joined = globsMatcher(patterns, { dot: true });
    const random = seededRandom(3);
    const parts = ['lib', 'app', 'main.ts', 'util.py', 'c', 'd', 'readme.md', 'pkg', 'src', 'build', 'node_modules', '.git', 'tmp', 'out', 'docs', 'fixtures', 'a', 'b', 'a[b]c', 'x.min.js', 'y.map', 'z.gen.ts', 'go.sum', 'keep.md', 'e.log', '.hidden', 'Cargo.lock', 'index.ts', '\u0001'];
    let matched = 0;
    for (let i = 0; i < 5_000; i++) {
      const depth = 1 + Math.floor(random() * 3);
      const p = Array.from({ length: depth }, () => parts[Math.floor(random() * parts.length)] ?? 'x').join('/');
      assert.equal(joined(p), one(p), p);
      if (one(p)) matched++;
    }
    assert.ok(matched > 500 && matched < 4_500, `${matched} of 5000 paths matched`);
    for (const p of patterns) assert.equal(joined(p), one(p), p);
    assert.equal(globsMatcher([], { dot: true })('anything'), false);
  });

  it('matches a name or an ending anywhere (`**/.git`, `**/*.map`: tested without a regex) as picomatch does, on every path of a small alphabet', () => {
    const segments = ['', '.', '..', '.git', 'git', 'a', 'node_modules', 'b.map', '.map', '..map', 'x.min.js', 'min.js', '\u0001', 'B.MAP', 'CVS', 'a.b', 'pnpm-lock.json', 'we\nird', '\rb.map', 'c\u2028'];
    const pathsOf = (depth: number): string[] => (depth === 0 ? [''] : pathsOf(depth - 1).flatMap((p) => segments.map((s) => (depth === 1 ? s : `${p}/${s}`))));
    const paths = [1, 2, 3].flatMap(pathsOf).flatMap((p) => [p, `${p}/`, `/${p}`]);
    const sets = [
      DEFAULT_EXCLUDES.map(asPicomatchGlob),
      ['**/CVS', '**/*.b', '**/.', '**/..', '**/*.', '**/*-lock.json', '**/*d'],
      [...DEFAULT_EXCLUDES, 'src/**', '**/a/*.map', '**/x.min.js/**'].map(asPicomatchGlob),
    ];
    for (const options of [EXCLUDE_GLOB_OPTIONS, { dot: true }]) {
      for (const patterns of sets) {
        const regexes = patterns.map((g) => picomatch.makeRe(g, options));
        const matches = globsMatcher(patterns, options);
        let matched = 0;
        for (const p of paths) {
          const expected = p !== '' && (patterns.includes(p) || regexes.some((r) => r.test(p)));
          assert.equal(matches(p), expected, `${JSON.stringify(p)} against ${patterns.join(' ')}`);
          if (expected) matched++;
        }
        assert.ok(matched > 100 && matched < paths.length - 100, `${matched} of ${paths.length} paths matched ${patterns.join(' ')}`);
      }
    }
  });

  it('leaves out a blank glob or one picomatch cannot read (an empty exclude entry kept the engine from starting), keeping the rest', async () => {
    const tooLong = `${'a'.repeat(70_000)}/**`;
    assert.throws(() => picomatch(['']));
    assert.throws(() => picomatch.makeRe(tooLong));
    for (const patterns of [['', 'build/**'], ['  ', 'build/**', tooLong]]) {
      const matches = globsMatcher(patterns, { dot: true });
      assert.equal(matches('build/out.js'), true, JSON.stringify(patterns.map((p) => p.slice(0, 10))));
      assert.equal(matches('src/a.ts'), false);
      assert.equal(matches(''), false);
    }
    // A workspace scanned with such exclude globs.
    const plain = tempWorkspace();
    try {
      write(plain.root, 'src/a.ts', 'export const a = 1;\n');
      write(plain.root, 'gen/b.ts', 'export const b = 1;\n');
      const { files } = await scan(plain.root, { exclude: ['', 'gen/**', ' '] });
      assert.deepEqual(files, ['src/a.ts']);
    } finally {
      plain.cleanup();
    }
  });
});

describe('linkChain', () => {
  it('notes the links a chain passes through and the folder links on its way, by their own paths', async () => {
    const ws = tempWorkspace();
    try {
      const root = realpathSync(ws.root);
      write(root, 'v1/api.ts', 'export const a = 1;\n');
      symlinkSync('v1', path.join(root, 'current'));
      symlinkSync(path.join('current', 'api.ts'), path.join(root, 'b.ts'));
      symlinkSync(path.join(root, 'b.ts'), path.join(root, 'c.ts'));
      assert.deepEqual(await linkChain(path.join(root, 'b.ts')), { target: path.join(root, 'v1', 'api.ts'), via: [path.join(root, 'current')] });
      assert.deepEqual(await linkChain(path.join(root, 'c.ts')), { target: path.join(root, 'v1', 'api.ts'), via: [path.join(root, 'b.ts'), path.join(root, 'current')] });
      // Leading nowhere: the path named where the way ends. Looping: it ends at a link (each noted once).
      symlinkSync(path.join('current', 'gone', '..', 'none.ts'), path.join(root, 'd.ts'));
      assert.deepEqual(await linkChain(path.join(root, 'd.ts')), { target: path.join(root, 'v1', 'none.ts'), via: [path.join(root, 'current')] });
      symlinkSync('f.ts', path.join(root, 'e.ts'));
      symlinkSync('e.ts', path.join(root, 'f.ts'));
      const loop = await linkChain(path.join(root, 'e.ts'));
      assert.deepEqual(loop?.via.slice().sort(), [path.join(root, 'e.ts'), path.join(root, 'f.ts')]);
    } finally {
      ws.cleanup();
    }
  });
});
