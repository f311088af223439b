import assert from 'node:assert/strict';
import { existsSync, mkdirSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { formatContextPreview } from '../../../src/core/context/contextPreview';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { FolderPaths, isAtOrUnder, relativeToRoot, type FolderSpec } from '../../../src/core/context/folderPaths';
import { withRealPaths } from '../../../src/core/context/folderRealPaths';
import { indexCacheFile } from '../../../src/core/context/indexPersistence';
import { resolvedFile } from '../../../src/core/context/model';
import { MAX_EXCLUSION_TRIES, WorkspaceFolders } from '../../../src/core/context/workspaceFolders';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { failingFileSystem, location, recordingLogger, resolvedOf, snapshotOf, tempWorkspace, write } from './indexerHarness';

describe('workspace folders: paths of a single- and a multi-root workspace', () => {
  it('keeps a single folder\'s paths relative to it, and its identity the folder\'s path (saved indexes stay valid)', () => {
    const paths = FolderPaths.single('/work/app/');
    assert.equal(paths.multiRoot, false);
    assert.equal(paths.identity, path.resolve('/work/app'));
    assert.equal(paths.relative('/work/app/src/a.ts'), 'src/a.ts');
    assert.equal(paths.absolute('src/a.ts'), path.resolve('/work/app/src/a.ts'));
    assert.equal(paths.relative('/work/app'), undefined, 'the folder itself is no file of it');
    assert.equal(paths.relative('/work/other/a.ts'), undefined);
    assert.equal(paths.absolute('../other/a.ts'), undefined);
    // One folder given as a list is the same workspace as that folder alone.
    assert.equal(new FolderPaths([{ name: 'app', path: '/work/app' }]).identity, paths.identity);
    assert.equal(new FolderPaths([{ name: 'app', path: '/work/app' }]).relative('/work/app/x.ts'), 'x.ts');
  });

  it('names a multi-root workspace\'s files by folder: unique, path-safe names; the deepest folder owns a nested path', () => {
    const specs: FolderSpec[] = [
      { name: 'api', path: '/work/api' },
      { name: 'API', path: '/work/other-api' },
      { name: 'a/b', path: '/work/ab' },
      { name: '..', path: '/work/dots' },
      { name: 'pkg', path: '/work/api/packages/pkg' },
    ];
    const paths = new FolderPaths(specs);
    assert.equal(paths.multiRoot, true);
    assert.deepEqual(
      paths.folders.map((f) => f.prefix),
      ['api', 'API-2', 'a_b', 'dots', 'pkg'],
    );
    assert.equal(paths.relative('/work/api/src/a.ts'), 'api/src/a.ts');
    assert.equal(paths.relative('/work/other-api/src/a.ts'), 'API-2/src/a.ts');
    assert.equal(paths.relative('/work/api/packages/pkg/index.ts'), 'pkg/index.ts');
    assert.equal(paths.relative('/work/api/packages/pkg'), 'pkg', 'a folder itself is named by its prefix');
    assert.equal(paths.relative('/work/elsewhere/a.ts'), undefined);
    for (const rel of ['api/src/a.ts', 'API-2/src/a.ts', 'pkg/index.ts', 'a_b/x.py']) {
      const abs = paths.absolute(rel);
      assert.ok(abs, rel);
      assert.equal(paths.relative(abs), rel, `${rel} round-trips`);
    }
    assert.equal(paths.absolute('nope/a.ts'), undefined, 'an unknown folder name');
    assert.equal(paths.absolute('api/../../etc/passwd'), undefined, 'a path climbing out of its folder');
    assert.deepEqual([...paths.otherRoots(paths.folders[0] ?? assert.fail())], ['/work/other-api', '/work/ab', '/work/dots', '/work/api/packages/pkg'].map((p) => path.resolve(p)));
    assert.equal(paths.scopeOf('api/src/a.ts'), 'api/');
    assert.equal(paths.beside('api/src', '../../pkg-root'), undefined, 'a path in no folder');
    assert.equal(paths.beside('api', 'packages/pkg/src'), 'pkg/src', 'the folder nested in it owns the path');
    assert.equal(paths.beside('a_b/x', '../../other-api/lib'), 'API-2/lib', 'a folder by its directory, not its name');
    assert.equal(paths.beside('pkg', '../..'), 'api', 'a folder itself');
    assert.equal(paths.beside('nope/x', '..'), undefined, 'from no folder');
    assert.equal(FolderPaths.single('/work/api').scopeOf('src/a.ts'), '');
    assert.ok(paths.holdsFolder('/work/api/packages') && paths.holdsFolder('/work/api/packages/pkg') && !paths.holdsFolder('/work/api/src'));
    assert.notEqual(paths.identity, FolderPaths.single('/work/api').identity);
  });

  it('keeps a folder\'s own name whatever the order: a suffix for a shared name skips the names other folders have', () => {
    const specs: FolderSpec[] = [
      { name: 'src', path: '/coll/a/src' },
      { name: 'src', path: '/coll/b/src' },
      { name: 'src-2', path: '/coll/c/src-2' },
      { name: 'SRC', path: '/coll/d/SRC' },
    ];
    const names = (list: readonly FolderSpec[]) => new FolderPaths(list).folders.map((f) => `${f.prefix}=${f.root}`).sort();
    const expected = ([['src', 'a/src'], ['src-3', 'b/src'], ['src-2', 'c/src-2'], ['SRC-4', 'd/SRC']] as const).map(([prefix, dir]) => `${prefix}=${path.resolve(`/coll/${dir}`)}`).sort();
    assert.deepEqual(names(specs), expected);
    const reordered = [specs[2], specs[0], specs[1], specs[3]].map((s) => s ?? assert.fail());
    assert.deepEqual(names(reordered), expected, 'the folder named src-2 is src-2 in any order');
    assert.equal(new FolderPaths(specs).absolute('src-2/x.ts'), path.resolve('/coll/c/src-2/x.ts'));
  });

  it('treats a file whose name starts with two dots as inside the folder', () => {
    assert.equal(relativeToRoot('/work/app', '/work/app/..config'), '..config');
    assert.equal(relativeToRoot('/work/app', '/work/app/../x'), undefined);
  });

  it('tells an index path at or under another from one that only starts with its name', () => {
    assert.deepEqual(
      ['src', 'src/a.ts', 'src/x/b.ts', 'src2/a.ts', 'sr', 'lib/src/a.ts'].map((p) => isAtOrUnder('src', p)),
      [true, true, true, false, false, false],
    );
  });

  it('refuses a workspace with no folder', () => {
    assert.throws(() => new FolderPaths([]), /at least one folder/);
  });
});

describe('workspace index over a multi-root workspace', () => {
  let api: { root: string; cleanup: () => void };
  let web: { root: string; cleanup: () => void };
  let storage: { root: string; cleanup: () => void };
  const opened: WorkspaceIndex[] = [];

  function folders(): FolderSpec[] {
    return [
      { name: 'api', path: api.root, exclude: ['**/*.gen.ts'] },
      { name: 'web', path: web.root },
    ];
  }

  function open(specs: FolderSpec[] = folders(), storageDir?: string): WorkspaceIndex {
    const logger = recordingLogger();
    const index = new WorkspaceIndex({
      root: specs[0]?.path ?? assert.fail(),
      folders: specs,
      backend: new InProcessBackend(location, 256 * 1024, logger),
      logger,
      clock: systemClock,
      ...(storageDir !== undefined ? { storageDir } : {}),
    });
    opened.push(index);
    return index;
  }

  beforeEach(() => {
    api = tempWorkspace();
    web = tempWorkspace();
    storage = tempWorkspace();
    write(api.root, '.gitignore', 'dist/\n');
    write(api.root, 'src/config.ts', 'export function loadConfig(): string {\n  return "api";\n}\n');
    write(api.root, 'src/server.ts', "import { loadConfig } from './config';\nexport function startServer(): string {\n  return loadConfig();\n}\n");
    write(api.root, 'src/schema.gen.ts', 'export function generatedSchema(): void {}\n');
    write(api.root, 'dist/server.js', 'export function builtServer() {}\n');
    // The same relative paths in the other folder, with other contents; its .gitignore keeps out what api's does not.
    write(web.root, '.gitignore', 'cache/\n');
    write(web.root, 'src/config.ts', 'export function readSettings(): number {\n  return 2;\n}\n');
    write(web.root, 'src/server.ts', "import { readSettings } from './config';\nexport function renderPage(): number {\n  return readSettings();\n}\n");
    write(web.root, 'src/schema.gen.ts', 'export function webSchema(): void {}\n');
    write(web.root, 'dist/app.js', 'export function webBuild() {}\n');
    write(web.root, 'cache/x.ts', 'export function cached(): void {}\n');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((i) => i.dispose()));
    for (const d of [api, web, storage]) d.cleanup();
  });

  it('indexes every folder under its name, each with its own ignore rules and excludes, imports resolved within it', async () => {
    const index = open();
    await index.build();
    assert.deepEqual([...index.files.keys()].sort(), [
      'api/.gitignore',
      'api/src/config.ts',
      'api/src/server.ts',
      'web/.gitignore',
      'web/dist/app.js',
      'web/src/config.ts',
      'web/src/schema.gen.ts',
      'web/src/server.ts',
    ]);
    assert.equal(resolvedOf(index.files.get('api/src/server.ts')?.imports[0]), 'api/src/config.ts');
    assert.equal(resolvedOf(index.files.get('web/src/server.ts')?.imports[0]), 'web/src/config.ts');
    assert.equal(index.relativePath(path.join(web.root, 'src', 'server.ts')), 'web/src/server.ts');
    assert.equal(await index.readText('web/src/config.ts'), 'export function readSettings(): number {\n  return 2;\n}\n');
  });

  it('follows changes, deletes and moves between folders as a fresh index of the result would', async () => {
    const index = open();
    await index.build();
    write(web.root, 'src/extra.ts', 'export function extraWeb(): void {}\n');
    await index.updateFile('web/src/extra.ts');
    write(api.root, 'dist/late.ts', 'export function stillIgnored(): void {}\n');
    await index.updateFile('api/dist/late.ts');
    rmSync(path.join(api.root, 'src', 'config.ts'));
    await index.removeFile('api/src/config.ts');
    renameSync(path.join(web.root, 'src', 'server.ts'), path.join(api.root, 'src', 'page.ts'));
    await index.renameFile('web/src/server.ts', 'api/src/page.ts');
    // A changed .gitignore in one folder re-reads that folder's rules only.
    write(web.root, '.gitignore', 'cache/\ndist/\n');
    await index.updateFile('web/.gitignore');
    assert.ok(index.files.has('web/src/extra.ts') && index.files.has('api/src/page.ts'));
    assert.ok(!index.files.has('api/dist/late.ts') && !index.files.has('web/dist/app.js') && !index.files.has('web/src/server.ts'));

    const fresh = open();
    await fresh.build();
    assert.deepEqual(snapshotOf(index.files), snapshotOf(fresh.files));
  });

  it('leaves a folder nested in another to its own name (no file indexed twice)', async () => {
    write(api.root, 'packages/shared/util.ts', 'export function sharedUtil(): void {}\n');
    const index = open([...folders(), { name: 'shared', path: path.join(api.root, 'packages', 'shared') }]);
    await index.build();
    const util = [...index.files.keys()].filter((p) => p.endsWith('util.ts'));
    assert.deepEqual(util, ['shared/util.ts']);
    assert.equal(index.relativePath(path.join(api.root, 'packages', 'shared', 'util.ts')), 'shared/util.ts');
  });

  it('saves and reopens a multi-root index apart from a single folder\'s', async () => {
    const first = open(folders(), storage.root);
    const cold = await first.build();
    await first.dispose();
    const multiFile = indexCacheFile(storage.root, new FolderPaths(folders()).identity);
    assert.ok(existsSync(multiFile));
    assert.ok(!existsSync(indexCacheFile(storage.root, api.root)), 'not under the single folder\'s name');

    const second = open(folders(), storage.root);
    const warm = await second.build();
    assert.deepEqual([warm.parsed, warm.reused, warm.files], [0, cold.files, cold.files]);
    assert.deepEqual(snapshotOf(second.files), snapshotOf(first.files));

    // The first folder opened alone has an index of its own, paths without a folder name: its files are taken from
    // the multi-root index (savedIndexAdoption.ts), then saved under the single folder's name.
    const alone = open([{ name: 'api', path: api.root }], storage.root);
    const single = await alone.build();
    // (Its generated file, excluded in the multi-root workspace only, is the one parsed.)
    assert.deepEqual([single.parsed, single.reused, single.files], [1, 3, 4]);
    assert.ok(alone.files.has('src/schema.gen.ts'));
    assert.ok(alone.files.has('src/server.ts'));
    await alone.whenSaved();
    assert.ok(existsSync(indexCacheFile(storage.root, api.root)));
  });
});

describe('workspace index over a multi-root workspace: folders missing, nested, repeated or linked', () => {
  const opened: WorkspaceIndex[] = [];
  const temps: { root: string; cleanup: () => void }[] = [];
  function folder(files: Record<string, string> = {}): string {
    const t = tempWorkspace();
    temps.push(t);
    for (const [rel, text] of Object.entries(files)) write(t.root, rel, text);
    return t.root;
  }
  function open(specs: FolderSpec[] | string): WorkspaceIndex {
    const logger = recordingLogger();
    const index = new WorkspaceIndex({
      root: typeof specs === 'string' ? specs : (specs[0]?.path ?? assert.fail()),
      ...(typeof specs === 'string' ? {} : { folders: specs }),
      backend: new InProcessBackend(location, 256 * 1024, logger),
      logger,
      clock: systemClock,
    });
    opened.push(index);
    return index;
  }
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((i) => i.dispose()));
    for (const t of temps.splice(0)) t.cleanup();
  });

  it('indexes the other folders when one is not there (VS Code keeps listing a missing folder), and logs it', async () => {
    const a = folder({ 'src/a.ts': 'export function alpha(): void {}\n' });
    const logger = recordingLogger();
    const index = new WorkspaceIndex({
      root: a,
      folders: [{ name: 'a', path: a }, { name: 'gone', path: path.join(a, 'no-such-folder') }],
      backend: new InProcessBackend(location, 256 * 1024, logger),
      logger,
      clock: systemClock,
    });
    opened.push(index);
    await index.build();
    assert.deepEqual([...index.files.keys()], ['a/src/a.ts']);
    assert.ok(logger.lines.some((l) => l.message.includes('gone') && l.message.includes('not there')), logger.lines.map((l) => l.message).join('\n'));
  });

  it('drops a nested folder\'s files when a directory holding it is deleted (one watcher event for the directory)', async () => {
    const api = folder({ 'src/a.ts': 'export function alpha(): void {}\n', 'packages/pkg/util.ts': 'export function util(): void {}\n' });
    const specs = [{ name: 'api', path: api }, { name: 'pkg', path: path.join(api, 'packages', 'pkg') }];
    const index = open(specs);
    await index.build();
    assert.ok(index.files.has('pkg/util.ts'));
    rmSync(path.join(api, 'packages'), { recursive: true });
    await index.removeFile(index.relativePath(path.join(api, 'packages')) ?? assert.fail());
    assert.deepEqual([...index.files.keys()], ['api/src/a.ts']);
  });

  it('moves a nested folder\'s files to the outer folder when a directory holding it is renamed, and back', async () => {
    const api = folder({ 'packages/pkg/util.ts': 'export function util(): void {}\n' });
    const specs = [{ name: 'api', path: api }, { name: 'pkg', path: path.join(api, 'packages', 'pkg') }];
    const index = open(specs);
    await index.build();
    renameSync(path.join(api, 'packages'), path.join(api, 'pkgs'));
    await index.renameFile('api/packages', 'api/pkgs');
    assert.deepEqual([...index.files.keys()], ['api/pkgs/pkg/util.ts']);
    renameSync(path.join(api, 'pkgs'), path.join(api, 'packages'));
    await index.renameFile('api/pkgs', 'api/packages');
    assert.deepEqual([...index.files.keys()], ['pkg/util.ts']);
  });

  it('indexes a directory listed twice once, and keeps it current', async () => {
    const a = folder({ 'x.ts': 'export function one(): void {}\n' });
    const specs = [{ name: 'a', path: a }, { name: 'b', path: `${a}${path.sep}` }, { name: 'c', path: folder() }];
    const index = open(specs);
    await index.build();
    assert.deepEqual([...index.files.keys()], ['a/x.ts']);
    write(a, 'x.ts', 'export function two(): void {}\n');
    await index.updateFile(index.relativePath(path.join(a, 'x.ts')) ?? assert.fail());
    const fresh = open(specs);
    await fresh.build();
    assert.deepEqual(snapshotOf(index.files), snapshotOf(fresh.files));
  });

  it('does not follow a link inside one folder to another folder (each file once, under its own folder)', async () => {
    const lib = folder({ 'l.ts': 'export function libFn(): void {}\n' });
    const api = folder({ 'a.ts': 'export function a(): void {}\n' });
    symlinkSync(lib, path.join(api, 'vendor-lib'));
    write(lib, 'sub/s.ts', 'export function subFn(): void {}\n');
    symlinkSync(path.join(lib, 'sub'), path.join(api, 'lib-sub'));
    const index = open([{ name: 'api', path: api }, { name: 'lib', path: lib }]);
    await index.build();
    assert.deepEqual([...index.files.keys()].filter((p) => p.endsWith('l.ts')), ['lib/l.ts']);
    assert.deepEqual([...index.files.keys()].filter((p) => p.endsWith('s.ts')), ['lib/sub/s.ts'], 'nor one into it');
  });

  it('excludes a path that reaches another folder through a link (scan, file events and documents agree: each file once)', async () => {
    const a = folder({ 'src/a.ts': 'export function aaa(): void {}\n' });
    const b = folder({ 'sub/x.ts': 'export function xxx(): void {}\n', 'top.ts': 'export function top(): void {}\n' });
    symlinkSync(path.join(b, 'sub'), path.join(a, 'linkB'));
    symlinkSync(b, path.join(a, 'wholeB'));
    symlinkSync(path.join(b, 'top.ts'), path.join(a, 'top-link.ts'));
    symlinkSync(path.join(a, 'src'), path.join(a, 'own'));
    const specs = withRealPaths([{ name: 'A', path: a }, { name: 'B', path: b }]);
    const folders = new WorkspaceFolders(new FolderPaths(specs), recordingLogger());
    const excluded = async (rel: string, isDirectory = false): Promise<boolean> => folders.isExcluded(rel, isDirectory);
    assert.equal(await excluded('A/linkB/x.ts'), true, 'a file through a link into the other folder');
    assert.equal(await excluded('A/linkB', true), true, 'the link itself, as a directory');
    assert.equal(await excluded('A/wholeB/sub/x.ts'), true, 'through a link to the other folder');
    assert.equal(await excluded('A/linkB/new.ts'), true, 'a file not there yet: by its directory');
    assert.equal(await excluded('A/top-link.ts'), false, 'a link to a file is indexed under its own path, as scanned');
    assert.equal(await excluded('A/own/a.ts'), true, 'a link within its own folder: the scan does not follow it (indexed under src/)');
    assert.equal(await excluded('A/src/a.ts'), false);
    assert.equal(await excluded('B/sub/x.ts'), false);
    assert.equal(await excluded('A/gone/x.ts'), false, 'a path that is not there: by the rules alone');

    const index = open([{ name: 'A', path: a }, { name: 'B', path: b }]);
    await index.build();
    assert.deepEqual([...index.files.keys()].sort(), ['A/src/a.ts', 'A/top-link.ts', 'B/sub/x.ts', 'B/top.ts']);
    const linked = index.relativePath(path.join(a, 'linkB', 'x.ts')) ?? assert.fail();
    assert.equal(linked, 'A/linkB/x.ts', 'named by the path it was reached through');
    await index.updateFile(linked);
    assert.equal(index.files.has(linked), false, 'a file event through the link');
    assert.equal(await index.updateDocument(linked, 'export function xxx(): void {}\nexport function more(): void {}\n'), false);
    assert.equal(index.files.has(linked), false, 'a document opened through the link');
    await index.build();
    assert.equal(index.files.has(linked), false, 'nor after another build while it is open');
    // A link made since: its event names a directory, whose scan is the other folder's.
    symlinkSync(path.join(b, 'sub'), path.join(a, 'later'));
    await index.updateFile('A/later');
    const defining = [...index.files.values()].filter((f) => f.definitions.some((d) => d.name === 'xxx')).map((f) => f.path);
    assert.deepEqual(defining, ['B/sub/x.ts']);
  });

  it('treats a folder that is a link into another folder as nested in it: each file once, under one name, by either path', async () => {
    const repo = folder({ 'src/a.ts': 'export function alpha(): void {}\n', 'pkg/util.ts': 'export function util(): void {}\n' });
    const link = path.join(folder(), 'pkg-link');
    symlinkSync(path.join(repo, 'pkg'), link);
    const specs = [{ name: 'repo', path: repo }, { name: 'pkg', path: link }];
    const index = open(specs);
    await index.build();
    assert.deepEqual([...index.files.keys()].sort(), ['pkg/util.ts', 'repo/src/a.ts']);
    // The editor may reach the file through either folder: one index path, and an event through either keeps one entry.
    assert.equal(index.relativePath(path.join(repo, 'pkg', 'util.ts')), 'pkg/util.ts');
    assert.equal(index.relativePath(path.join(link, 'util.ts')), 'pkg/util.ts');
    write(repo, 'pkg/util.ts', 'export function util2(): void {}\n');
    await index.updateFile(index.relativePath(path.join(repo, 'pkg', 'util.ts')) ?? assert.fail());
    write(repo, 'pkg/more.ts', 'export function more(): void {}\n');
    await index.updateFile(index.relativePath(path.join(repo, 'pkg', 'more.ts')) ?? assert.fail());
    assert.deepEqual([...index.files.keys()].sort(), ['pkg/more.ts', 'pkg/util.ts', 'repo/src/a.ts']);
    assert.deepEqual(index.files.get('pkg/util.ts')?.definitions.map((d) => d.name), ['util2']);
    // The other way round: the outer folder a link, the nested one real.
    const linkedRepo = path.join(folder(), 'repo-link');
    symlinkSync(repo, linkedRepo);
    const reversed = open([{ name: 'repo', path: linkedRepo }, { name: 'pkg', path: path.join(repo, 'pkg') }]);
    await reversed.build();
    assert.deepEqual([...reversed.files.keys()].sort(), ['pkg/more.ts', 'pkg/util.ts', 'repo/src/a.ts']);
    assert.equal(reversed.relativePath(path.join(linkedRepo, 'pkg', 'util.ts')), 'pkg/util.ts');
  });

  it('treats a folder and a link to it as one folder (the first), its saved index that of the folder alone', async () => {
    const repo = folder({ 'a.ts': 'export function alpha(): void {}\n' });
    const link = path.join(folder(), 'repo-link');
    symlinkSync(repo, link);
    const specs = [{ name: 'repo', path: repo }, { name: 'again', path: link }];
    const index = open(specs);
    await index.build();
    assert.deepEqual([...index.files.keys()], ['a.ts']);
    assert.equal(index.relativePath(path.join(link, 'a.ts')), 'a.ts');
    assert.equal(new FolderPaths(withRealPaths(specs)).identity, FolderPaths.single(repo).identity);
  });

  it('compares folders by the real paths given with them, and maps a missing folder by its own path', () => {
    const paths = new FolderPaths([
      { name: 'repo', path: '/work/repo' },
      { name: 'pkg', path: '/links/pkg', realPath: '/work/repo/packages/pkg' },
    ]);
    assert.equal(paths.relative('/work/repo/packages/pkg/a.ts'), 'pkg/a.ts');
    assert.equal(paths.relative('/links/pkg/a.ts'), 'pkg/a.ts');
    assert.equal(paths.relative('/work/repo/packages/pkg'), 'pkg');
    assert.equal(paths.absolute('pkg/a.ts'), path.resolve('/links/pkg/a.ts'), 'named by the path the folder was given as');
    assert.ok(paths.holdsFolder('/work/repo/packages') && paths.holdsFolder('/links/pkg') && !paths.holdsFolder('/work/repo/src'));
    assert.ok(paths.otherRoots(paths.folders[0] ?? assert.fail()).has(path.resolve('/work/repo/packages/pkg')));
    const missing = path.join(tmpdir(), 'contexten-no-such-folder', 'x');
    assert.deepEqual(withRealPaths([{ name: 'gone', path: missing }]), [{ name: 'gone', path: missing, realPath: path.resolve(missing) }]);
  });

  it('resolves a folder\'s root-relative and @/ imports from its own root, as when it is opened alone', async () => {
    const api = folder({
      'src/lib/util.ts': 'export function util(): void {}\n',
      'src/app.ts': "import { util } from '@/lib/util';\nimport { util as u2 } from 'src/lib/util';\nexport function app(): void { util(); u2(); }\n",
    });
    const web = folder({ 'src/lib/util.ts': 'export function webUtil(): void {}\n' });
    const alone = open(api);
    await alone.build();
    assert.deepEqual(alone.files.get('src/app.ts')?.imports.map((i) => resolvedFile(i)), ['src/lib/util.ts', 'src/lib/util.ts']);
    const multi = open([{ name: 'web', path: web }, { name: 'api', path: api }]);
    await multi.build();
    assert.deepEqual(multi.files.get('api/src/app.ts')?.imports.map((i) => resolvedFile(i)), ['api/src/lib/util.ts', 'api/src/lib/util.ts']);
  });

  it('resolves no import to another folder by its name: a bare package name, or a relative path climbing out', async () => {
    const api = folder({ 'app.ts': "import React from 'react';\nimport { x } from '../web/x';\nexport function app(): void { React; x(); }\n" });
    const react = folder({ 'index.ts': 'export default function React(): void {}\n' });
    const web = folder({ 'x.ts': 'export function x(): void {}\n' });
    const multi = open([{ name: 'api', path: api }, { name: 'react', path: react }, { name: 'web', path: web }]);
    await multi.build();
    assert.deepEqual(multi.files.get('api/app.ts')?.imports.map((i) => resolvedFile(i)), [undefined, undefined]);
  });

  describe('a configuration file\'s relative target in another folder: where it is on disk, not a folder of its name', () => {
    // Two checkouts side by side: one/ with web, shared and svc, lib beside them; two/ with its own shared and lib.
    function checkouts(): string {
      return folder({
        'one/web/tsconfig.json': '{ "compilerOptions": { "baseUrl": ".", "paths": { "@shared/*": ["../shared/src/*"] } } }',
        'one/web/src/app.ts': "import { formatPrice } from '@shared/price';\nexport const x = formatPrice(1);\n",
        'one/shared/src/price.ts': 'export function formatPrice(n: number): string { return `$${n}`; }\n',
        'two/shared/src/price.ts': 'export function formatPrice(n: number): string { return `EUR ${n}`; }\n',
        'one/svc/go.mod': 'module example.com/svc\n\ngo 1.22\n\nrequire example.com/lib v0.0.0\n\nreplace example.com/lib => ../lib\n',
        'one/svc/main.go': 'package main\n\nimport "example.com/lib"\n\nfunc main() { lib.Hello() }\n',
        'one/lib/go.mod': 'module example.com/lib\n\ngo 1.22\n',
        'one/lib/lib.go': 'package lib\n\nfunc Hello() {}\n',
        'two/lib/go.mod': 'module example.com/lib\n\ngo 1.22\n',
        'two/lib/lib.go': 'package lib\n\nfunc Hello() {}\n',
      });
    }
    async function resolvedIn(specs: FolderSpec[], file: string): Promise<(string | undefined)[]> {
      const index = open(specs);
      await index.build();
      return index.files.get(file)?.imports.map((i) => resolvedFile(i)) ?? assert.fail(`${file} is not indexed`);
    }

    it('tsconfig paths ../shared/src/* reach one/shared (shared-2), not the folder listed first as shared', async () => {
      const d = checkouts();
      const specs = [{ name: 'web', path: `${d}/one/web` }, { name: 'shared', path: `${d}/two/shared` }, { name: 'shared', path: `${d}/one/shared` }];
      assert.deepEqual(await resolvedIn(specs, 'web/src/app.ts'), ['shared-2/src/price.ts']);
    });

    it('tsconfig paths reach a folder the .code-workspace names otherwise than its directory', async () => {
      const d = checkouts();
      const specs = [{ name: 'Frontend', path: `${d}/one/web` }, { name: 'Shared lib', path: `${d}/one/shared` }];
      assert.deepEqual(await resolvedIn(specs, 'Frontend/src/app.ts'), ['Shared lib/src/price.ts']);
    });

    it('go.mod replace => ../lib reaches one/lib (lib-2), not the folder listed first as lib', async () => {
      const d = checkouts();
      const specs = [{ name: 'svc', path: `${d}/one/svc` }, { name: 'lib', path: `${d}/two/lib` }, { name: 'lib', path: `${d}/one/lib` }];
      // (The package, and its name `lib`'s edge: namespaceNameOf.)
      assert.deepEqual(await resolvedIn(specs, 'svc/main.go'), ['lib-2/lib.go', 'lib-2/lib.go']);
    });

    it('follows an `extends` and a go.work `use` out of their folders the same way; a path into no folder names nothing', async () => {
      const d = checkouts();
      write(d, 'one/web/tsconfig.json', '{ "extends": "../config/tsconfig.base.json" }');
      write(d, 'one/config/tsconfig.base.json', '{ "compilerOptions": { "paths": { "@shared/*": ["../nowhere/*", "../shared/src/*"] } } }');
      write(d, 'one/svc/go.mod', 'module example.com/svc\n\ngo 1.22\n');
      write(d, 'one/svc/go.work', 'go 1.22\n\nuse (\n\t.\n\t../lib\n)\n');
      const specs = [
        { name: 'Frontend', path: `${d}/one/web` },
        { name: 'Settings', path: `${d}/one/config` },
        { name: 'shared', path: `${d}/two/shared` },
        { name: 'Shared lib', path: `${d}/one/shared` },
        { name: 'svc', path: `${d}/one/svc` },
        { name: 'lib', path: `${d}/two/lib` },
        { name: 'Library', path: `${d}/one/lib` },
        // A folder named as the first target's directory, elsewhere on disk.
        { name: 'nowhere', path: `${d}/two/nowhere` },
      ];
      write(d, 'two/nowhere/price.ts', 'export function formatPrice(): string { return ""; }\n');
      const index = open(specs);
      await index.build();
      const resolved = (file: string): (string | undefined)[] | undefined => index.files.get(file)?.imports.map((i) => resolvedFile(i));
      assert.deepEqual(resolved('Frontend/src/app.ts'), ['Shared lib/src/price.ts'], '../nowhere/* is one/nowhere, in no folder: not the folder named nowhere');
      assert.deepEqual(resolved('svc/main.go'), ['Library/lib.go', 'Library/lib.go'], "the go.work's module, not the other copy of its module path");
    });

    it('resolves as before in a folder opened alone: its configuration\'s paths out of it name nothing', async () => {
      const d = checkouts();
      const index = open(`${d}/one/web`);
      await index.build();
      assert.deepEqual(index.files.get('src/app.ts')?.imports.map((i) => resolvedFile(i)), [undefined]);
    });

    it('a file arriving where a configuration leads is reached (the key of its target folder, not of a folder of its name)', async () => {
      const d = checkouts();
      rmSync(path.join(d, 'one/shared/src/price.ts'));
      const specs = [{ name: 'web', path: `${d}/one/web` }, { name: 'shared', path: `${d}/two/shared` }, { name: 'shared', path: `${d}/one/shared` }];
      const index = open(specs);
      await index.build();
      assert.deepEqual(index.files.get('web/src/app.ts')?.imports.map((i) => resolvedFile(i)), [undefined]);
      write(d, 'one/shared/src/price.ts', 'export function formatPrice(): string { return ""; }\n');
      await index.updateFile('shared-2/src/price.ts');
      assert.deepEqual(index.files.get('web/src/app.ts')?.imports.map((i) => resolvedFile(i)), ['shared-2/src/price.ts']);
    });
  });

  it('maps the files of a folder at the root of the file system', () => {
    const paths = new FolderPaths([{ name: 'r', path: '/' }, { name: 'w', path: '/work' }]);
    assert.equal(paths.relative('/etc/x.ts'), 'r/etc/x.ts');
    assert.equal(paths.absolute('r/etc/x.ts'), path.resolve('/etc/x.ts'));
    assert.equal(paths.relative('/work/x.ts'), 'w/x.ts');
    assert.ok(paths.holdsFolder('/'));
  });

  it('links a preview location whose folder or file name holds a space', () => {
    const item = { file: 'My App/src/a file.ts', startLine: 1, endLine: 3, symbol: 'alpha', kind: 'function' as const, detail: 'full' as const, score: 0.9, reasons: ['r'], text: 'x' };
    const { text, locations } = formatContextPreview('q', { items: [item], chars: 1, budget: 10, ms: 1, cached: false, indexVersion: 1 });
    const [at] = locations;
    assert.ok(at);
    assert.deepEqual([at.file, at.startLine], ['My App/src/a file.ts', 1]);
    assert.equal(text.split('\n')[at.line]?.slice(at.start, at.end), 'My App/src/a file.ts:1-3');
  });
});

describe('workspace folders: exclusion answers while cached rules are dropped', () => {
  let ws: { root: string; cleanup: () => void };
  beforeEach(() => {
    ws = tempWorkspace();
    write(ws.root, '.gitignore', 'dist/\n');
    write(ws.root, 'src/app/main.ts', 'export function main(): void {}\n');
    write(ws.root, 'lib/util.ts', 'export function util(): void {}\n');
  });
  afterEach(() => ws.cleanup());

  /** Counts the answers of a folder's filter (the last folder's); `during()` runs while each one is being worked out. */
  function countAnswers(folders: WorkspaceFolders, during: () => void): { count: number } {
    type Filter = { isExcluded: (p: string, d: boolean) => Promise<boolean> };
    const filters = (folders as unknown as { filters: Map<unknown, Filter> }).filters;
    const filter = [...filters.values()].at(-1);
    assert.ok(filter);
    const original = filter.isExcluded.bind(filter);
    const counted = { count: 0 };
    filter.isExcluded = async (p, d) => {
      const answer = await original(p, d);
      counted.count++;
      during();
      return answer;
    };
    return counted;
  }

  it('works an answer out again only when the rules of its path or of a directory above it were dropped meanwhile', async () => {
    const folders = new WorkspaceFolders(FolderPaths.single(ws.root), recordingLogger());
    let dropOnce: (() => void) | undefined;
    const answers = countAnswers(folders, () => {
      const drop = dropOnce;
      dropOnce = undefined;
      drop?.();
    });
    /** How many answers src/app/main.ts took with `drop` done while the first was worked out. */
    const answersWith = async (drop: () => void): Promise<number> => {
      dropOnce = drop;
      const before = answers.count;
      assert.equal(await folders.isExcluded('src/app/main.ts', false), false);
      return answers.count - before;
    };
    // Elsewhere: a directory beside it, one whose name starts as its own does, a .gitignore in another directory.
    assert.equal(await answersWith(() => folders.forgetDeleted('lib')), 1);
    assert.equal(await answersWith(() => folders.forgetDeleted('src/app.old')), 1);
    assert.equal(await answersWith(() => folders.forgetRulesOf('lib/.gitignore')), 1);
    // Its own path, a directory above it, a .gitignore above it (the root's too): worked out again.
    assert.equal(await answersWith(() => folders.forgetDeleted('src/app/main.ts')), 2);
    assert.equal(await answersWith(() => folders.forgetDeleted('src')), 2);
    assert.equal(await answersWith(() => folders.forgetRulesOf('src/app/.gitignore')), 2);
    assert.equal(await answersWith(() => folders.forgetRulesOf('.gitignore')), 2);
    // More drops elsewhere than are remembered: the answer is worked out again (it may be stale).
    assert.equal(await answersWith(() => { for (let i = 0; i < 100; i++) folders.forgetDeleted(`lib/d${i}`); }), 2);
  });

  it('gives the last answer after MAX_EXCLUSION_TRIES when the rules above the path are dropped during every one', async () => {
    const folders = new WorkspaceFolders(FolderPaths.single(ws.root), recordingLogger());
    // A directory above the path deleted (and made again) while each answer is worked out (for ever, as far as the
    // cap goes: a thousand times).
    let dropping = 1_000;
    const answers = countAnswers(folders, () => dropping-- > 0 && folders.forgetDeleted('src/app'));
    assert.equal(await folders.isExcluded('src/app/main.ts', false), false);
    assert.equal(answers.count, MAX_EXCLUSION_TRIES);
    assert.equal(await folders.isExcluded('dist/x.js', false), true, 'the rules still apply');
  });

  it('works every answer out again when a deleted directory held another workspace folder (named by its own name)', async () => {
    write(ws.root, 'packages/pkg/index.ts', 'export function pkg(): void {}\n');
    write(ws.root, 'packages/pkg/.gitignore', 'index.ts\n');
    const paths = new FolderPaths([
      { name: 'app', path: ws.root },
      { name: 'pkg', path: path.join(ws.root, 'packages', 'pkg') },
    ]);
    const folders = new WorkspaceFolders(paths, recordingLogger());
    let dropOnce: (() => void) | undefined;
    const answers = countAnswers(folders, () => {
      const drop = dropOnce;
      dropOnce = undefined;
      drop?.();
    });
    dropOnce = () => folders.forgetDeleted('app/lib');
    assert.equal(await folders.isExcluded('pkg/index.ts', false), true);
    assert.equal(answers.count, 1, 'a directory elsewhere');
    // The directory holding the folder is deleted and made again without the folder's .gitignore while the answer
    // "excluded" is worked out: the answer is of the rules before.
    dropOnce = () => {
      rmSync(path.join(ws.root, 'packages', 'pkg', '.gitignore'));
      folders.forgetDeleted('app/packages');
    };
    assert.equal(await folders.isExcluded('pkg/index.ts', false), false);
  });
});

describe('workspace folders: the rules above a folder inside a git work tree', () => {
  let repo: { root: string; cleanup: () => void };
  beforeEach(() => {
    repo = tempWorkspace();
  });
  afterEach(() => repo.cleanup());

  it('reads the .gitignore files above the folder again at each full scan (no watcher sees them), not at a subtree\'s', async () => {
    const root = path.join(repo.root, 'packages', 'web');
    mkdirSync(path.join(repo.root, '.git'));
    write(repo.root, '.gitignore', 'dist/\n');
    write(root, 'src/a.ts', 'export const a = 1;\n');
    write(root, 'dist/b.ts', 'export const b = 1;\n');
    write(root, 'gen/c.ts', 'export const c = 1;\n');
    const folders = new WorkspaceFolders(FolderPaths.single(root), recordingLogger());
    const scanned = async (subtree = ''): Promise<string[]> => {
      const files: string[] = [];
      for await (const batch of folders.scan(1 << 20, undefined, subtree)) files.push(...batch.map((f) => f.path));
      return files.sort();
    };
    assert.deepEqual(await scanned(), ['gen/c.ts', 'src/a.ts']);
    assert.equal(await folders.isExcluded('dist/b.ts', false), true);
    write(repo.root, '.gitignore', 'gen/\n');
    assert.deepEqual(await scanned('gen'), ['gen/c.ts'], 'a subtree\'s scan (a folder made) keeps the rules read');
    assert.equal(await folders.isExcluded('gen/c.ts', false), false);
    assert.deepEqual(await scanned(), ['dist/b.ts', 'src/a.ts'], 'a full scan (a build) reads them again');
    assert.equal(await folders.isExcluded('gen/c.ts', false), true, 'and single paths are decided by them');
    assert.equal(await folders.isExcluded('dist/b.ts', false), false);
  });
});

describe('workspace folders: names that are not valid UTF-8', () => {
  it('says once, when a scan ends, how many files and folders it left out for names that are not valid UTF-8 (git lists them)', async function () {
    const ws = tempWorkspace();
    try {
      const named = (...parts: (string | number[])[]): Buffer => Buffer.concat([Buffer.from(`${ws.root}/`), ...parts.map((p) => (typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)))]);
      try {
        writeFileSync(named('b', [0xff], '.ts'), 'export const b = 1;\n');
      } catch (e) {
        // A file system that takes only valid UTF-8 names (macOS's APFS, ZFS with utf8only) refuses with EILSEQ: skip
        // there. Any other failure is the test's. CI runs on Linux, whose usual file systems (ext4, overlayfs, tmpfs)
        // take any bytes but '/' and NUL, so under CI=true nothing is skipped: there EILSEQ too fails.
        if (!(e instanceof Error && 'code' in e && e.code === 'EILSEQ') || process.env.CI === 'true') throw e;
        this.skip();
      }
      mkdirSync(named('d', [0xfe]));
      writeFileSync(named('d', [0xfe], '/x.ts'), 'export const x = 1;\n');
      writeFileSync(named('c', [0xff], '.log'), 'left out by the rules anyway\n');
      write(ws.root, '.gitignore', '*.log\n');
      write(ws.root, 'ok.ts', 'export const ok = 1;\n');
      write(ws.root, 'e\uFFFD.ts', 'export const e = 1;\n'); // (a valid name that holds U+FFFD itself)
      const logger = recordingLogger();
      const folders = new WorkspaceFolders(FolderPaths.single(ws.root), logger);
      const files: string[] = [];
      for await (const batch of folders.scan(1 << 20)) files.push(...batch.map((f) => f.path));
      assert.deepEqual(files.sort(), ['.gitignore', 'e\uFFFD.ts', 'ok.ts']);
      const said = logger.lines.filter((l) => l.message.includes('UTF-8'));
      assert.equal(said.length, 1, JSON.stringify(logger.lines));
      assert.equal(said[0]?.level, 'info');
      assert.match(said[0]?.message ?? '', /^Context: left out 2 files or folders, such as b\uFFFD\.ts: a name that is not valid UTF-8/);
    } finally {
      ws.cleanup();
    }
  });

});

describe('workspace folders: folders that cannot be read', () => {
  it('warns once per folder it cannot read (no permission), naming it, counts the files whose stat fails as skipped (those of a folder it cannot list are never seen), and goes on', async () => {
    // (Run as root, chmod restricts nothing: the failures are injected, as node:fs throws them.)
    const ws = tempWorkspace();
    const other = tempWorkspace();
    try {
      write(ws.root, 'half/g.ts', 'export const g = 1;\n');
      write(ws.root, 'half/h.ts', 'export const h = 1;\n');
      write(ws.root, 'secret/s.ts', 'export const s = 1;\n');
      write(ws.root, 'ok.ts', 'export const ok = 1;\n');
      write(other.root, 'o.ts', 'export const o = 1;\n');
      const logger = recordingLogger();
      const paths = new FolderPaths([
        { name: 'api', path: ws.root },
        { name: 'web', path: other.root },
      ]);
      const fileSystem = failingFileSystem({ unsearchable: [path.join(ws.root, 'half')], unlistable: [path.join(ws.root, 'secret'), other.root] });
      const folders = new WorkspaceFolders(paths, logger, undefined, undefined, fileSystem);
      const files: string[] = [];
      const skipped: string[] = [];
      const roots: string[] = [];
      for await (const batch of folders.scan(1 << 20, undefined, '', (p, why) => skipped.push(`${p}:${why}`), undefined, undefined, (r) => roots.push(r))) {
        files.push(...batch.map((f) => f.path));
      }
      assert.deepEqual(files, ['api/ok.ts']);
      assert.deepEqual(skipped, ['api/half/g.ts:unreadable', 'api/half/h.ts:unreadable']);
      assert.deepEqual(roots, [other.root]);
      const warned = logger.lines.filter((l) => l.level === 'warn').map((l) => l.message);
      assert.equal(warned.length, 3, warned.join('\n'));
      assert.ok(warned.some((m) => m.startsWith(`Context: could not read the folder api/secret; its files are left out (EACCES`)), warned.join('\n'));
      assert.ok(warned.some((m) => m.startsWith(`Context: could not read the folder ${other.root}; its files are left out (EACCES`)), warned.join('\n'));
      assert.ok(warned.some((m) => m.startsWith('Context: could not read 2 files in the folder api/half; left out (EACCES')), warned.join('\n'));
    } finally {
      ws.cleanup();
      other.cleanup();
    }
  });
});

describe('workspace folders: files that hold secrets, judged by their real paths', () => {
  let ws: { root: string; cleanup: () => void };
  let home: { root: string; cleanup: () => void };
  beforeEach(() => {
    ws = tempWorkspace();
    home = tempWorkspace();
    write(ws.root, '.env', 'OPENAI_API_KEY=sk-live-0123456789\n');
    write(home.root, '.ssh/work_key', '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    write(home.root, '.ssh/work_key.pub', 'ssh-ed25519 AAAA\n');
    symlinkSync('.env', path.join(ws.root, 'settings.txt'));
    symlinkSync(path.join(home.root, '.ssh'), path.join(ws.root, 'sshkeys'));
  });
  afterEach(() => {
    ws.cleanup();
    home.cleanup();
  });

  it('a file in a folder reached through a link by its real path; a link to such a file, taking the caller’s word that the path is a link', async () => {
    const folders = new WorkspaceFolders(FolderPaths.single(ws.root), recordingLogger());
    assert.equal(await folders.isExcluded('sshkeys/work_key', false), true);
    assert.equal(await folders.isExcluded('sshkeys/work_key', false, false), true, 'no link itself: its folder’s real path says');
    assert.equal(await folders.isExcluded('sshkeys/work_key.pub', false), false);
    assert.equal(await folders.isExcluded('settings.txt', false), true, 'asked: a link to .env');
    assert.equal(await folders.isExcluded('settings.txt', false, true), true);
    // (A file event's lstat said whether the path is a link: not asked again. Told it is none, it is judged as none.)
    assert.equal(await folders.isExcluded('settings.txt', false, false), false);
  });
});
