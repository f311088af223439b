import assert from 'node:assert/strict';
import { hasDotSegment, importKeys, isNodeBuiltin, MAPPED_KEY, MAX_GO_PACKAGE_FILES, normalisePath, PathTable, pathKeys, resolveImportTargets, type ImporterNames } from '../../../src/core/context/importResolver';
import { isManifest, ManifestCache, parseCargoManifest, parseGoManifest, parseJsonc, parsePackageJson, parseTsConfig, type Manifests } from '../../../src/core/context/manifests';
import { FolderPaths } from '../../../src/core/context/folderPaths';
import type { LanguageId } from '../../../src/core/context/model';
import { seededRandom } from './builders';
import { extract } from './indexerHarness';

/** The file an import resolves to (its first target), as the index keeps it in `resolved`. */
function resolveImport(...args: Parameters<typeof resolveImportTargets>): string | undefined {
  return resolveImportTargets(...args)[0]?.file;
}

function filled(t: PathTable, paths: readonly string[]): PathTable {
  for (const p of paths) t.add(p);
  return t;
}

function table(...paths: string[]): PathTable {
  return filled(new PathTable(), paths);
}

/**
 * `cache`'s manifests, counting the lookups of the kinds named in `counting` (`lookups()`, `reset()` starts again at 0);
 * with `withChanges`, also the cache's changedSince (the in-place updates of the projects read it).
 */
function countingManifests(cache: ManifestCache, counting: ReadonlySet<'go' | 'tsconfig' | 'packageJson'>, withChanges = false): { manifests: Manifests; lookups: () => number; reset: () => void } {
  let count = 0;
  const counted = <T>(kind: 'go' | 'tsconfig' | 'packageJson', read: () => T): T => {
    if (counting.has(kind)) count++;
    return read();
  };
  const manifests: Manifests = {
    go: (p) => counted('go', () => cache.go(p)),
    cargo: (p) => cache.cargo(p),
    tsconfig: (p) => counted('tsconfig', () => cache.tsconfig(p)),
    packageJson: (p) => counted('packageJson', () => cache.packageJson(p)),
    get version() {
      return cache.version;
    },
    ...(withChanges ? { changedSince: (v: number) => cache.changedSince(v) } : {}),
  };
  return { manifests, lookups: () => count, reset: () => (count = 0) };
}

/** The manifests of these texts (by path). */
/**
 * `read()`, with the characters it takes out of strings by slice and substring counted (their parts' lengths): throws
 * as soon as more than `limit` are taken (a reader that copies what it wrote again and again fails at once).
 */
function takingAtMost<T>(limit: number, read: () => T): T {
  const methods = ['slice', 'substring'] as const;
  const originals = methods.map((name) => [name, Object.getOwnPropertyDescriptor(String.prototype, name)] as const);
  let taken = 0;
  for (const [name, descriptor] of originals) {
    const original = descriptor?.value as (this: string, start?: number, end?: number) => string;
    Object.defineProperty(String.prototype, name, {
      ...descriptor,
      value(this: string, start?: number, end?: number): string {
        const part = original.call(this, start, end);
        taken += part.length;
        if (taken > limit) throw new Error(`more than ${limit} characters taken out of strings`);
        return part;
      },
    });
  }
  try {
    return read();
  } finally {
    for (const [name, descriptor] of originals) if (descriptor) Object.defineProperty(String.prototype, name, descriptor);
  }
}

function manifests(texts: Record<string, string>): Manifests {
  return new ManifestCache((p) => texts[p]);
}

/** One random step's state: the kept table and cache as the index keeps them, and a fresh table and manifests of the same disk. */
interface ManifestStep {
  readonly step: number;
  readonly present: readonly string[];
  readonly paths: PathTable;
  readonly cache: ManifestCache;
  readonly fresh: PathTable;
  readonly freshManifests: Manifests;
}

/**
 * 400 random steps over `universe`: a path comes (a manifest with one of its `variants`' texts), goes, or (a manifest
 * present) changes, and the table and cache are told as the index tells them; `check` compares after each step.
 */
function randomManifestSteps(seed: number, variants: Record<string, string[]>, universe: readonly string[], check: (s: ManifestStep) => void): void {
  const random = seededRandom(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const texts: Record<string, string> = {};
  const cache = new ManifestCache((p) => texts[p]);
  const paths = table();
  for (let step = 0; step < 400; step++) {
    const path = pick(universe);
    const manifest = variants[path];
    if (paths.has(path) && manifest !== undefined && random() < 0.5) {
      // Changed, as the index reads a manifest indexed again.
      texts[path] = pick(manifest);
      cache.reread(path);
    } else if (paths.has(path)) {
      // Gone: its facts forgotten, as the index does.
      paths.delete(path);
      cache.forget(path);
    } else {
      // Come: its facts read again (the index forgets those it read of it before).
      if (manifest !== undefined) texts[path] = pick(manifest);
      paths.add(path);
      cache.forget(path);
    }
    const present = [...paths.paths()];
    check({ step, present, paths, cache, fresh: table(...present), freshManifests: manifests(texts) });
  }
}

/** go.mod files declaring these module paths (by path). */
function goModules(modules: Record<string, string>): Manifests {
  return manifests(Object.fromEntries(Object.entries(modules).map(([p, m]) => [p, `module ${m}\n`])));
}

/** A table of a disk that folds case (PathTable's foldsCase). */
function foldingTable(...paths: string[]): PathTable {
  return filled(new PathTable(true), paths);
}

describe('import resolution', () => {
  it('resolves TS/JS relative specifiers with extension, index and emitted-.js guessing', () => {
    const paths = table('src/a.ts', 'src/util.ts', 'src/lib/index.tsx', 'src/esm.mts', 'src/plain.js', 'src/types.d.ts');
    const r = (source: string): string | undefined => resolveImport('typescript', 'src/a.ts', source, [], paths);
    assert.equal(r('./util'), 'src/util.ts');
    assert.equal(r('./util.js'), 'src/util.ts');
    assert.equal(r('./lib'), 'src/lib/index.tsx');
    assert.equal(r('./esm.mjs'), 'src/esm.mts');
    assert.equal(r('./plain.js'), 'src/plain.js');
    assert.equal(r('./types'), 'src/types.d.ts');
    assert.equal(r('../src/util'), 'src/util.ts');
    assert.equal(r('./missing'), undefined);
    assert.equal(r('../../outside'), undefined);
    assert.equal(r('react'), undefined);
    assert.equal(r('./a'), undefined, 'a file never imports itself');
    // The source before its compiled output next to it; a declaration file for a `.js` specifier.
    const both = table('src/a.ts', 'src/x.ts', 'src/x.js', 'src/decl.d.ts', 'src/only.js');
    assert.equal(resolveImport('typescript', 'src/a.ts', './x.js', [], both), 'src/x.ts');
    assert.equal(resolveImport('typescript', 'src/a.ts', './decl.js', [], both), 'src/decl.d.ts');
    assert.equal(resolveImport('typescript', 'src/a.ts', './only.js', [], both), 'src/only.js');
  });

  it('resolves a directory-only specifier (`.`, `..`, `x/`) to the directory\'s index only, and Node\'s built-ins to nothing', () => {
    const paths = table('index.ts', 'a.ts', 'src/utils.ts', 'src/utils/a.ts', 'src/utils/index.ts', 'src/lib.ts', 'src/lib/x.ts', 'src/events.ts', 'src/fs/promises.ts');
    const r = (importer: string, source: string): string | undefined => resolveImport('typescript', importer, source, [], paths);
    assert.equal(r('src/utils/a.ts', '.'), 'src/utils/index.ts', 'not the file src/utils.ts beside the folder');
    assert.equal(r('src/utils/a.ts', './'), 'src/utils/index.ts');
    assert.equal(r('src/lib/x.ts', '../utils/'), 'src/utils/index.ts');
    assert.equal(r('src/lib/x.ts', '.'), undefined, 'src/lib has no index');
    assert.equal(r('src/lib/x.ts', '../lib'), 'src/lib.ts', 'without the slash a file comes first');
    assert.equal(r('src/utils/a.ts', '../..'), 'index.ts', 'the root\'s index');
    assert.equal(r('a.ts', '.'), 'index.ts');
    assert.equal(r('src/lib/x.ts', 'utils/'), 'src/utils/index.ts');
    for (const builtin of ['events', 'fs/promises', 'util']) assert.equal(r('src/lib/x.ts', builtin), undefined, builtin);
    assert.equal(r('src/lib/x.ts', 'lib'), 'src/lib.ts', 'a bare name that is no built-in is still guessed');
    // In a multi-root workspace, `..` up to the folder itself stays in it.
    const multi = table('api/index.ts', 'api/x/a.ts');
    assert.equal(resolveImport('typescript', 'api/x/a.ts', '..', [], multi, 'api/'), 'api/index.ts');
    assert.equal(resolveImport('typescript', 'api/x/a.ts', '../..', [], multi, 'api/'), undefined);
  });

  it('knows Node\'s built-in modules as the running Node does', async () => {
    const { builtinModules } = await import('node:module');
    for (const name of ['events', 'fs', 'fs/promises', 'path/posix', 'util/types', 'worker_threads', 'zlib']) assert.ok(isNodeBuiltin(name), name);
    const listed = ['assert', 'buffer', 'child_process', 'crypto', 'http', 'net', 'os', 'path', 'stream', 'timers', 'url', 'vm'];
    for (const name of listed) assert.ok(builtinModules.includes(name) && isNodeBuiltin(name), name);
    for (const name of ['lib', 'utils', 'react', 'test', 'node:fs']) assert.ok(!isNodeBuiltin(name), name);
    // Every name on our list is one of the running Node's.
    for (const name of builtinModules.filter((n) => !n.startsWith('_') && !n.startsWith('node:'))) {
      if (isNodeBuiltin(name)) continue;
      assert.fail(`${name} is a built-in module of Node ${process.version} missing from NODE_BUILTINS`);
    }
  });

  it('resolves root-relative and @/ aliases to src/', () => {
    const paths = table('src/app/main.ts', 'src/shared/log.ts');
    assert.equal(resolveImport('typescript', 'src/app/main.ts', '@/shared/log', [], paths), 'src/shared/log.ts');
    assert.equal(resolveImport('typescript', 'src/app/main.ts', 'shared/log', [], paths), 'src/shared/log.ts');
  });

  it('resolves Python relative and dotted modules, preferring submodules named in from-imports', () => {
    const paths = table('pkg/__init__.py', 'pkg/models.py', 'pkg/sub/service.py', 'pkg/sub/__init__.py', 'other/pkg/models.py');
    const r = (source: string, names: string[] = []): string | undefined => resolveImport('python', 'pkg/sub/service.py', source, names, paths);
    assert.equal(r('..models'), 'pkg/models.py');
    assert.equal(r('.', ['service']), undefined, 'itself');
    assert.equal(r('..', ['models']), 'pkg/models.py');
    assert.equal(r('..', ['nothing']), 'pkg/__init__.py');
    assert.equal(r('pkg.models'), 'pkg/models.py');
    assert.equal(r('pkg', ['models']), 'pkg/models.py');
    assert.equal(r('pkg.sub'), 'pkg/sub/__init__.py');
    assert.equal(r('os.path'), undefined);
    assert.equal(r('....too.far'), undefined);
    // A src layout: the submodule named, found as its package is (by suffix); a namespace package without __init__.py.
    const src = table('src/app.py', 'src/pkg/__init__.py', 'src/pkg/sub/__init__.py', 'src/pkg/sub/mod.py', 'src/ns/models.py');
    assert.equal(resolveImport('python', 'src/app.py', 'pkg.sub', ['mod'], src), 'src/pkg/sub/mod.py');
    assert.equal(resolveImport('python', 'src/app.py', 'pkg.sub', ['helper'], src), 'src/pkg/sub/__init__.py');
    assert.equal(resolveImport('python', 'src/app.py', 'ns', ['models'], src), 'src/ns/models.py');
    // The standard library's modules are never a workspace module found by suffix; one in the importer's folder or
    // above it shadows them (a program run from there finds it first).
    const std = table('app/main.py', 'app/sub/types.py', 'tools/logging/__init__.py', 'lib/os/path.py', 'json.py');
    const s = (source: string, names: string[] = []): string | undefined => resolveImport('python', 'app/main.py', source, names, std);
    assert.equal(s('types'), undefined);
    assert.equal(s('logging'), undefined);
    assert.equal(s('os', ['path']), undefined);
    assert.equal(s('os.path'), undefined);
    assert.equal(s('json'), 'json.py');
    assert.equal(s('app.sub.types'), 'app/sub/types.py');
    assert.equal(s('.sub', ['types']), 'app/sub/types.py');
    // A project rooted in a folder of the workspace (review of session 35).
    const backend = table('backend/manage.py', 'backend/app.py', 'backend/profile/__init__.py', 'backend/profile/views.py', 'backend/queue.py', 'backend/api/v1.py');
    const b = (importer: string, source: string, names: string[] = []): string | undefined => resolveImport('python', importer, source, names, backend);
    assert.equal(b('backend/app.py', 'profile'), 'backend/profile/__init__.py');
    assert.equal(b('backend/app.py', 'profile', ['views']), 'backend/profile/views.py');
    assert.equal(b('backend/api/v1.py', 'queue'), 'backend/queue.py', 'a folder above the importer');
    assert.equal(b('backend/app.py', 'manage'), 'backend/manage.py');
    // Never inside a package: absolute imports do not look there (third review of session 35).
    const pkg = table('mypkg/__init__.py', 'mypkg/core.py', 'mypkg/logging.py', 'mypkg/sub/__init__.py', 'mypkg/sub/x.py');
    assert.equal(resolveImport('python', 'mypkg/core.py', 'logging', [], pkg), undefined);
    assert.equal(resolveImport('python', 'mypkg/sub/x.py', 'logging', [], pkg), undefined);
    assert.equal(resolveImport('python', 'mypkg/sub/x.py', '..', ['logging'], pkg), 'mypkg/logging.py');
    // In a multi-root workspace, at the root of the importer's folder.
    const multi = table('api/main.py', 'api/logging.py', 'web/json.py');
    assert.equal(resolveImport('python', 'api/main.py', 'logging', [], multi, 'api/'), 'api/logging.py');
    assert.equal(resolveImport('python', 'api/main.py', 'json', [], multi, 'api/'), undefined);
  });

  it('resolves Go package paths by suffix and leaves the standard library alone', () => {
    const paths = table('cmd/app/main.go', 'internal/store/store.go', 'internal/store/store_test.go', 'internal/store/b.go', 'http/server.go');
    assert.equal(resolveImport('go', 'cmd/app/main.go', 'example.com/demo/internal/store', [], paths), 'internal/store/b.go');
    assert.equal(resolveImport('go', 'cmd/app/main.go', 'net/http', [], paths), undefined);
    assert.equal(resolveImport('go', 'cmd/app/main.go', 'fmt', [], paths), undefined);
    // The standard library never resolves to a workspace folder of its name; a module named without a dot does.
    const named = table('cmd/main.go', 'internal/errors/errors.go', 'pkg/log/log.go', 'internal/net/http/h.go', 'context/c.go', 'internal/store/store.go');
    for (const std of ['errors', 'log', 'net/http', 'context'])
      assert.equal(resolveImport('go', 'cmd/main.go', std, [], named), undefined, std);
    assert.equal(resolveImport('go', 'cmd/main.go', 'myapp/internal/store', [], named), 'internal/store/store.go');
    assert.equal(resolveImport('go', 'cmd/main.go', 'myapp/pkg/log', [], named), 'pkg/log/log.go');
  });

  it('resolves a Go package import to a file of its definitions, not its doc.go (only the package\'s comment)', () => {
    const paths = table('go.mod', 'cmd/main.go', 'server/doc.go', 'server/server.go', 'server/server_test.go', 'only/doc.go', 'apps/server/doc.go', 'apps/server/a.go');
    const modules = goModules({ 'go.mod': 'example.com/app' });
    assert.equal(resolveImport('go', 'cmd/main.go', 'example.com/app/server', [], paths, '', modules), 'server/server.go');
    assert.equal(resolveImport('go', 'cmd/main.go', 'example.com/app/only', [], paths, '', modules), 'only/doc.go', 'a package of only a doc.go');
    // Without a go.mod (by suffix), too.
    const gopath = table('cmd/main.go', 'server/doc.go', 'server/server.go');
    assert.equal(resolveImport('go', 'cmd/main.go', 'example.com/app/server', [], gopath), 'server/server.go');
  });

  it('reaches every file of an imported Go package (no test, no doc.go), each with the import\'s names, up to MAX_GO_PACKAGE_FILES', () => {
    const paths = table('go.mod', 'cmd/main.go', 'net/doc.go', 'net/dial.go', 'net/conn.go', 'net/conn_test.go', 'net/sub/x.go', 'only/doc.go');
    const modules = goModules({ 'go.mod': 'example.com/mod' });
    const t = (source: string, names: readonly string[] = []): readonly { file: string; names: readonly string[] }[] => resolveImportTargets('go', 'cmd/main.go', source, names, paths, '', modules);
    assert.deepEqual(t('example.com/mod/net'), [
      { file: 'net/conn.go', names: [] },
      { file: 'net/dial.go', names: [] },
    ]);
    assert.equal(resolveImport('go', 'cmd/main.go', 'example.com/mod/net', [], paths, '', modules), 'net/conn.go', 'the first target, as before');
    assert.deepEqual(t('example.com/mod/only'), [{ file: 'only/doc.go', names: [] }], 'a package of only a doc.go');
    assert.deepEqual(t('example.com/mod/net', ['']), [{ file: 'net/conn.go', names: [''] }], 'a blank import brings no name: one file');
    // Without a go.mod (by suffix), too.
    const gopath = table('cmd/main.go', 'net/a.go', 'net/b.go');
    assert.deepEqual(resolveImportTargets('go', 'cmd/main.go', 'example.com/app/net', [], gopath).map((x) => x.file), ['net/a.go', 'net/b.go']);
    // A package of more files reaches the first MAX_GO_PACKAGE_FILES of them in path order.
    const files = Array.from({ length: MAX_GO_PACKAGE_FILES + 8 }, (_, i) => `big/f${String(i).padStart(3, '0')}.go`);
    const big = table('go.mod', 'cmd/main.go', ...files);
    assert.deepEqual(resolveImportTargets('go', 'cmd/main.go', 'example.com/mod/big', [], big, '', modules).map((x) => x.file), files.slice(0, MAX_GO_PACKAGE_FILES));
  });

  it('shares one frozen target list among the imports of a Go package until a path in its folder comes or goes', () => {
    const paths = table('go.mod', 'cmd/main.go', 'tool/main.go', 'net/dial.go', 'net/conn.go', 'net/sub/x.go');
    const modules = goModules({ 'go.mod': 'example.com/mod' });
    const t = (importer: string): readonly { file: string; names: readonly string[] }[] => resolveImportTargets('go', importer, 'example.com/mod/net', [], paths, '', modules);
    const first = t('cmd/main.go');
    assert.deepEqual(first.map((x) => x.file), ['net/conn.go', 'net/dial.go']);
    assert.ok(Object.isFrozen(first) && first.every((x) => Object.isFrozen(x) && Object.isFrozen(x.names)));
    assert.equal(t('tool/main.go'), first, 'another importer of the package: the same list');
    paths.add('net/sub/y.go');
    assert.equal(t('cmd/main.go'), first, 'a path in another folder leaves it');
    paths.add('net/addr.go');
    assert.deepEqual(t('cmd/main.go').map((x) => x.file), ['net/addr.go', 'net/conn.go', 'net/dial.go'], 'a file come to the folder');
    paths.delete('net/conn.go');
    assert.deepEqual(t('cmd/main.go').map((x) => x.file), ['net/addr.go', 'net/dial.go'], 'a file gone from the folder');
  });

  it('resolves a Go import by the module path of a go.mod in the workspace, and leaves other modules\' packages alone', () => {
    const paths = table('go.mod', 'main.go', 'go/pkg/errors/errors.go', 'go/internal/util/u.go', 'internal/store/store.go', 'root.go');
    const modules = goModules({ 'go.mod': 'example.com/app' });
    const r = (source: string): string | undefined => resolveImport('go', 'main.go', source, [], paths, '', modules);
    assert.equal(r('github.com/pkg/errors'), undefined, 'another module\'s package, though a folder ends so');
    assert.equal(r('golang.org/x/tools/util'), undefined);
    assert.equal(r('example.com/app/internal/store'), 'internal/store/store.go');
    assert.equal(r('example.com/app/go/pkg/errors'), 'go/pkg/errors/errors.go');
    assert.equal(r('example.com/app/missing'), undefined);
    assert.equal(r('example.com/application/internal/store'), undefined, 'a prefix of the module path by segments only');
    // The module's own root package (from another of its packages).
    assert.equal(resolveImport('go', 'internal/store/store.go', 'example.com/app', [], paths, '', modules), 'main.go');
    // Modules in folders of the workspace: the one whose path the import starts with (the longest, when nested).
    const nested = table('svc/go.mod', 'svc/api/a.go', 'svc/tools/go.mod', 'svc/tools/gen/g.go', 'lib/go.mod', 'lib/x/x.go', 'lib/go.sum');
    const paths2: Record<string, string> = { 'svc/go.mod': 'example.com/svc', 'svc/tools/go.mod': 'example.com/svc/tools', 'lib/go.mod': 'example.com/lib' };
    const n = (source: string): string | undefined => resolveImport('go', 'svc/api/a.go', source, [], nested, '', goModules(paths2));
    assert.equal(n('example.com/lib/x'), 'lib/x/x.go');
    assert.equal(n('example.com/svc/tools/gen'), 'svc/tools/gen/g.go');
    assert.equal(n('example.com/svc/api'), undefined, 'the importer\'s own package is no import');
    assert.equal(resolveImport('go', 'lib/x/x.go', 'example.com/svc/api', [], nested, '', goModules(paths2)), 'svc/api/a.go');
    // A go.mod whose module path is unknown (unreadable) resolves nothing; without any go.mod, packages by suffix.
    assert.equal(resolveImport('go', 'main.go', 'example.com/app/internal/store', [], paths), undefined);
    const bare = table('cmd/main.go', 'internal/store/store.go');
    assert.equal(resolveImport('go', 'cmd/main.go', 'example.com/app/internal/store', [], bare), 'internal/store/store.go');
    assert.equal(parseGoManifest('// c\nmodule   "example.com/q" // the module\n\ngo 1.22\n').module, 'example.com/q');
    assert.equal(parseGoManifest('module example.com/app\r\n').module, 'example.com/app');
    assert.equal(parseGoManifest('go 1.22\n').module, undefined);
    // Another module's package vendored into the importer's module (`go mod vendor`); a vendor/ of another module no.
    const vendored = table('go.mod', 'main.go', 'vendor/github.com/pkg/errors/errors.go', 'tools/go.mod', 'tools/t.go', 'tools/vendor/golang.org/x/y/y.go');
    const vm: Record<string, string> = { 'go.mod': 'example.com/app', 'tools/go.mod': 'example.com/tools' };
    assert.equal(resolveImport('go', 'main.go', 'github.com/pkg/errors', [], vendored, '', goModules(vm)), 'vendor/github.com/pkg/errors/errors.go');
    assert.equal(resolveImport('go', 'main.go', 'golang.org/x/y', [], vendored, '', goModules(vm)), undefined, "the tools module's vendor/ is not the app's");
    assert.equal(resolveImport('go', 'tools/t.go', 'golang.org/x/y', [], vendored, '', goModules(vm)), 'tools/vendor/golang.org/x/y/y.go');
  });

  it("resolves a Go import of a module that the importer's go.mod replaces with a folder of the workspace", () => {
    const paths = table('app/go.mod', 'app/main.go', 'app/cmd/run.go', 'libs/lib/go.mod', 'libs/lib/lib.go', 'libs/lib/sub/s.go',
      'app/third_party/tools/go.mod', 'app/third_party/tools/t.go', 'nomod/n.go', 'other/go.mod', 'other/o.go');
    const texts: Record<string, string> = {
      'app/go.mod': [
        'module example.com/app',
        'require example.com/lib v1.2.3',
        'replace example.com/lib v1.2.3 => ../libs/lib // a local copy',
        'replace (',
        '\t"example.com/tools" => ./third_party/tools',
        '\texample.com/far => ../../outside',
        '\texample.com/nomod v0.1.0 => ../nomod v0.1.0',
        '\texample.com/fork => github.com/me/fork v1.0.0',
        ')',
      ].join('\n'),
      'libs/lib/go.mod': 'module github.com/me/lib\n',
      'app/third_party/tools/go.mod': 'module github.com/me/tools\n',
      'other/go.mod': 'module example.com/other\n',
    };
    const r = (importer: string, source: string): string | undefined => resolveImport('go', importer, source, [], paths, '', manifests(texts));
    assert.equal(r('app/main.go', 'example.com/lib'), 'libs/lib/lib.go', 'a replacement with a version on the left');
    assert.equal(r('app/cmd/run.go', 'example.com/lib/sub'), 'libs/lib/sub/s.go');
    assert.equal(r('app/main.go', 'example.com/tools'), 'app/third_party/tools/t.go', 'quoted, in a block');
    assert.equal(r('app/main.go', 'example.com/far'), undefined, 'a folder outside the workspace');
    assert.equal(r('app/main.go', 'example.com/nomod'), undefined, 'a folder without a go.mod, which Go refuses');
    assert.equal(r('app/main.go', 'example.com/fork'), undefined, 'a module replaced by another module');
    assert.equal(r('other/o.go', 'example.com/lib'), undefined, "another module's replacements are not in force");
    assert.equal(r('other/o.go', 'github.com/me/lib/sub'), 'libs/lib/sub/s.go', 'the replacement by its own module path still');
  });

  it("resolves Go imports across the modules a go.work uses, with the go.work's and its modules' replacements", () => {
    const files = ['svc/go.mod', 'svc/a.go', 'lib/go.mod', 'lib/x/x.go', 'svc/testdata/lib/go.mod', 'svc/testdata/lib/x/x.go',
      'svc/testdata/lib/y.go', 'ext/go.mod', 'ext/e.go', 'z/go.mod', 'z/z.go'];
    const paths = table('go.work', ...files);
    const texts: Record<string, string> = {
      'go.work': 'go 1.22\n\nuse (\n\t./svc // the service\n\t"./lib"\n)\nuse ./missing\nreplace example.com/ext v1.0.0 => ./ext\n',
      'svc/go.mod': 'module example.com/svc\n\nreplace example.com/z => ../z\n',
      'lib/go.mod': 'module example.com/lib\n',
      'svc/testdata/lib/go.mod': 'module example.com/lib\n',
      'ext/go.mod': 'module github.com/else/ext\n',
      'z/go.mod': 'module z.example/z\n',
    };
    const r = (importer: string, source: string, t = texts, p = paths): string | undefined => resolveImport('go', importer, source, [], p, '', manifests(t));
    assert.equal(r('svc/a.go', 'example.com/lib/x'), 'lib/x/x.go', "the go.work's module, not a nearer copy of its module path");
    assert.equal(r('svc/a.go', 'example.com/ext'), 'ext/e.go', "the go.work's replacement");
    assert.equal(r('lib/x/x.go', 'example.com/z'), 'z/z.go', "a used module's replacement is in force in the workspace");
    assert.equal(r('lib/x/x.go', 'example.com/svc'), 'svc/a.go');
    // A module the go.work does not use builds alone: its own module path, no go.work replacement.
    assert.equal(r('svc/testdata/lib/y.go', 'example.com/lib/x'), 'svc/testdata/lib/x/x.go');
    assert.equal(r('svc/testdata/lib/y.go', 'example.com/ext'), undefined);
    // Without the go.work, the nearest module of the path, and the replacements of the importer's go.mod only.
    const alone = table(...files);
    assert.equal(r('svc/a.go', 'example.com/lib/x', texts, alone), 'svc/testdata/lib/x/x.go');
    assert.equal(r('svc/a.go', 'example.com/ext', texts, alone), undefined);
    assert.equal(r('lib/x/x.go', 'example.com/z', texts, alone), undefined);
    assert.equal(r('svc/a.go', 'example.com/z', texts, alone), 'z/z.go');
  });

  it('works out the Go module folders once per go.work and go.mod, not per import, and again when paths or manifests change', () => {
    /** go.work using `n` modules m<i> (a package each), or without the go.work; manifests counting their lookups. */
    const workspace = (n: number, withGoWork = true): { paths: PathTable; texts: Record<string, string>; counted: Manifests; lookups: () => number; cache: ManifestCache } => {
      const paths = new PathTable();
      const texts: Record<string, string> = {};
      if (withGoWork) {
        paths.add('go.work');
        texts['go.work'] = `go 1.22\nuse (\n${Array.from({ length: n }, (_, i) => `\t./m${i}\n`).join('')})\n`;
      }
      for (let i = 0; i < n; i++) {
        for (const p of [`m${i}/go.mod`, `m${i}/main.go`, `m${i}/pkg/p.go`]) paths.add(p);
        texts[`m${i}/go.mod`] = `module example.com/m${i}\nreplace example.com/r${i} => ../m${(i + 1) % n}\n`;
      }
      const cache = new ManifestCache((p) => texts[p]);
      const { manifests: counted, lookups } = countingManifests(cache, new Set(['go']));
      return { paths, texts, counted, lookups, cache };
    };
    /** Resolves `perModule` imports from each module's main.go: the lookups it took. */
    const resolveAll = (w: ReturnType<typeof workspace>, n: number, perModule: number): number => {
      const before = w.lookups();
      for (let i = 0; i < n; i++) {
        for (let k = 0; k < perModule; k++) {
          const target = (i + k) % n;
          assert.equal(resolveImport('go', `m${i}/main.go`, `example.com/m${target}/pkg`, [], w.paths, '', w.counted), `m${target}/pkg/p.go`);
        }
      }
      return w.lookups() - before;
    };
    const n = 30;
    for (const withGoWork of [true, false]) {
      const once = resolveAll(workspace(n, withGoWork), n, 1);
      assert.equal(resolveAll(workspace(n, withGoWork), n, 10), once, `as many manifest lookups for 10 imports a module as for 1 (go.work: ${withGoWork})`);
      // Each go.mod read for its module path and once for its replacements, the go.work for its modules and replacements.
      assert.ok(once <= 2 * n + 2, `${once} lookups for ${n} modules (go.work: ${withGoWork})`);
    }
    // Kept while nothing changes, and while paths other than a go.mod come and go; worked out again when a go.mod comes
    // or goes or the manifests' version moves.
    const w = workspace(n);
    resolveAll(w, n, 1);
    assert.equal(resolveAll(w, n, 1), 0, 'nothing changed: no lookups');
    w.paths.add('m0/pkg/q.go');
    w.paths.add('m0/web/app.ts');
    w.paths.delete('m0/web/app.ts');
    assert.equal(resolveAll(w, n, 1), 0, 'only files other than a go.mod came and went: no lookups');
    w.paths.add('extra/go.mod');
    assert.ok(resolveAll(w, n, 1) > 0, 'a go.mod came');
    w.texts['m1/go.mod'] = 'module example.com/renamed\n';
    assert.equal(w.cache.reread('m1/go.mod'), true);
    assert.equal(resolveImport('go', 'm0/main.go', 'example.com/renamed/pkg', [], w.paths, '', w.counted), 'm1/pkg/p.go', 'the new module path');
    assert.equal(resolveImport('go', 'm0/main.go', 'example.com/m1/pkg', [], w.paths, '', w.counted), undefined, 'the old one gone');
    // A replacement of the importer's go.mod (outside a go.work) in force.
    const alone = workspace(3, false);
    assert.equal(resolveImport('go', 'm0/main.go', 'example.com/r0/pkg', [], alone.paths, '', alone.counted), 'm1/pkg/p.go');
    assert.equal(resolveImport('go', 'm1/main.go', 'example.com/r0/pkg', [], alone.paths, '', alone.counted), undefined, "another module's replacement is not");
  });

  it('keeps the Go module folders up to date in place as a go.mod or go.work says otherwise: only its facts looked up again, none for other manifests', () => {
    const n = 30;
    const texts: Record<string, string> = { 'go.work': `go 1.22\nuse (\n${Array.from({ length: n }, (_, i) => `\t./m${i}\n`).join('')})\n`, 'web/package.json': '{ "name": "web" }' };
    const paths = table('go.work', 'web/package.json');
    for (let i = 0; i < n; i++) {
      for (const p of [`m${i}/go.mod`, `m${i}/main.go`, `m${i}/pkg/p.go`]) paths.add(p);
      texts[`m${i}/go.mod`] = `module example.com/m${i}\nreplace example.com/r${i} => ../m${(i + 1) % n}\n`;
    }
    const cache = new ManifestCache((p) => texts[p]);
    const counting = countingManifests(cache, new Set(['go']), true);
    const sources = [...Array.from({ length: n }, (_, i) => [`example.com/m${i}/pkg`, `example.com/r${i}/pkg`]).flat(), 'example.com/renamed/pkg'];
    /** Where the first modules' imports resolve, and the lookups it took; the same as a fresh table's with fresh manifests. */
    const resolveAll = (): { resolved: (string | undefined)[]; lookups: number } => {
      const before = counting.lookups();
      const resolve = (t: PathTable, m: Manifests): (string | undefined)[] => ['m0', 'm1', 'm7'].flatMap((m0) => sources.map((src) => resolveImport('go', `${m0}/main.go`, src, [], t, '', m)));
      const resolved = resolve(paths, counting.manifests);
      const lookups = counting.lookups() - before;
      assert.deepEqual(resolved, resolve(table(...paths.paths()), new ManifestCache((p) => texts[p])), 'as a fresh table resolves');
      return { resolved, lookups };
    };
    assert.ok(resolveAll().lookups > n, 'worked out');
    assert.equal(cache.reread('web/package.json'), true);
    assert.equal(resolveAll().lookups, 0, 'another manifest changed: no lookups');
    texts['m1/go.mod'] = 'module example.com/renamed\nreplace example.com/r1 => ../m2\n';
    assert.equal(cache.reread('m1/go.mod'), true);
    const renamed = resolveAll();
    assert.ok(renamed.resolved.includes('m1/pkg/p.go'), 'the new module path resolves');
    assert.ok(renamed.lookups <= 3, `a go.mod's module path changed: ${renamed.lookups} lookups (it, the go.work)`);
    texts['m2/go.mod'] = 'module example.com/m2\nreplace example.com/r2 => ../m9\n';
    assert.equal(cache.reread('m2/go.mod'), true);
    const replaced = resolveAll();
    assert.ok(replaced.lookups <= 3, `a go.mod's replacement changed: ${replaced.lookups} lookups`);
    texts['go.work'] = 'go 1.22\nuse ./m0\nuse ./m1\nreplace example.com/r0 => ./m7\n';
    assert.equal(cache.reread('go.work'), true);
    const work = resolveAll();
    assert.ok(work.lookups <= 3, `the go.work changed: ${work.lookups} lookups`);
  });

  it("resolves a bare TS/JS specifier by the nearest tsconfig.json's or jsconfig.json's paths, then its baseUrl", () => {
    const paths = table(
      'web/src/app/models/user.ts', 'web/src/app/models/index.ts', 'web/lib/models/user.ts', 'web/src/lib/main.ts', 'web/src/widgets/button/index.tsx',
      'web/src/config.ts', 'web/tsconfig.json', 'web/admin/tsconfig.json', 'web/admin/page.ts', 'web/page.ts', 'web/src/deep/x.ts',
      'scripts/jsconfig.json', 'scripts/run.js', 'shared/util.ts', 'src/config.ts', 'web/src/events.ts',
    );
    const texts = {
      'web/tsconfig.json': `{
        // Comments and trailing commas, as TypeScript allows.
        "compilerOptions": {
          "baseUrl": "./src",
          "paths": {
            "@app/*": ["app/*", "../lib/*"], /* each target in order */
            "@app/models/special": ["lib/main.ts"],
            "@lib": ["lib/main.ts"],
            "@w/*": ["widgets/*/index"],
            "@shared/*": ["../../shared/*"],
          },
        },
      }`,
      'web/admin/tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["../lib/*"] } } }',
      'scripts/jsconfig.json': '{ "compilerOptions": { "baseUrl": "../web/src" } }',
    };
    const r = (importer: string, source: string): string | undefined => resolveImport('typescript', importer, source, [], paths, '', manifests(texts));
    // Relative to baseUrl; the first target that holds the file, then the next.
    assert.equal(r('web/page.ts', '@app/models/user'), 'web/src/app/models/user.ts');
    assert.equal(r('web/page.ts', '@app/models'), 'web/src/app/models/index.ts');
    assert.equal(r('web/page.ts', '@app/models/user.js'), 'web/src/app/models/user.ts', 'the emitted name');
    // An exact pattern before a wildcard one; a target with a suffix after its `*`; a target outside the folder.
    assert.equal(r('web/page.ts', '@app/models/special'), 'web/src/lib/main.ts');
    assert.equal(r('web/page.ts', '@lib'), 'web/src/lib/main.ts');
    assert.equal(r('web/page.ts', '@w/button'), 'web/src/widgets/button/index.tsx');
    assert.equal(r('web/page.ts', '@shared/util'), 'shared/util.ts');
    // Not mapped: baseUrl (web/src/config.ts, not the workspace's src/config.ts the guess would take).
    assert.equal(r('web/src/deep/x.ts', 'config'), 'web/src/config.ts');
    // A `*` that would climb out of its target's folder is not followed; a Node built-in stays one.
    assert.equal(r('web/admin/page.ts', '@app/../models/user'), undefined);
    // (Nor one climbing with Windows' separator: the platform's path functions resolve an on-disk target.)
    for (const captured of ['..\\models', 'a\\..\\..\\b', '.\\x', 'x/..\\y']) assert.ok(hasDotSegment(captured), captured);
    for (const captured of ['models/user', '..x', 'a..b\\c', 'x.\\y']) assert.ok(!hasDotSegment(captured), captured);
    assert.equal(r('web/page.ts', 'events'), undefined);
    // The nearest configuration wins: admin's has its own paths (relative to its folder, having no baseUrl) and none.
    assert.equal(r('web/admin/page.ts', '@app/models/user'), 'web/lib/models/user.ts');
    assert.equal(r('web/admin/page.ts', 'config'), 'src/config.ts', 'no baseUrl: the guess from the root');
    // A jsconfig.json's baseUrl.
    assert.equal(resolveImport('javascript', 'scripts/run.js', 'config', [], paths, '', manifests(texts)), 'web/src/config.ts');
    // Without the configurations' texts (unreadable), the guesses as before.
    assert.equal(resolveImport('typescript', 'web/src/deep/x.ts', 'config', [], paths), 'src/config.ts');
  });

  it('follows a tsconfig.json\'s extends to the tsconfig*.json files it names, relative, in order, safe from cycles', () => {
    const paths = table('app/tsconfig.json', 'tsconfig.base.json', 'configs/tsconfig.paths.json', 'app/main.ts', 'src/x/a.ts', 'lib/x/a.ts', 'app/src/b.ts', 'loop/tsconfig.json', 'loop/tsconfig.a.json', 'loop/m.ts', 'base.json', 'other/tsconfig.json', 'other/m.ts');
    const texts = {
      // paths relative to the baseUrl of the merged configuration (here inherited), or to the file that declares them.
      'app/tsconfig.json': '{ "extends": ["../configs/tsconfig.paths.json", "../tsconfig.base"] }',
      'tsconfig.base.json': '{ "compilerOptions": { "baseUrl": "." } }',
      'configs/tsconfig.paths.json': '{ "compilerOptions": { "paths": { "#x/*": ["src/x/*"] } } }',
      'loop/tsconfig.json': '{ "extends": "./tsconfig.a.json", "compilerOptions": { "paths": { "#x/*": ["lib/x/*"] } } }',
      'loop/tsconfig.a.json': '{ "extends": "./tsconfig.json", "compilerOptions": { "baseUrl": ".." } }',
      // Another file name, or a package's configuration, is not followed.
      'other/tsconfig.json': '{ "extends": ["../base.json", "@tsconfig/node20/tsconfig.json"] }',
      'base.json': '{ "compilerOptions": { "paths": { "#x/*": ["lib/x/*"] } } }',
    };
    const r = (importer: string, source: string): string | undefined => resolveImport('typescript', importer, source, [], paths, '', manifests(texts));
    assert.equal(r('app/main.ts', '#x/a'), 'src/x/a.ts');
    assert.equal(r('loop/m.ts', '#x/a'), 'lib/x/a.ts', 'relative to the inherited baseUrl, the cycle cut');
    assert.equal(r('other/m.ts', '#x/a'), undefined);
  });

  it("follows a configuration's paths out of a multi-root folder by where they lead on disk (FolderLayout), not by folder names", () => {
    // web is /d/one/web; `shared` is another checkout's, /d/one/shared is `shared-2`; /d/one/conf is `Settings`.
    const layout = new FolderPaths([
      { name: 'web', path: '/d/one/web' },
      { name: 'shared', path: '/d/two/shared' },
      { name: 'shared', path: '/d/one/shared' },
      { name: 'Settings', path: '/d/one/conf' },
    ]);
    const files = ['web/src/page.ts', 'web/tsconfig.json', 'web/admin/tsconfig.json', 'web/admin/page.ts', 'Settings/tsconfig.base.json'];
    for (const f of ['shared', 'shared-2']) files.push(`${f}/src/app-main.ts`, `${f}/src/lib.ts`, `${f}/types/x.ts`);
    const paths = filled(new PathTable(false, layout), files);
    const texts = {
      'web/tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["../shared/src/app-*"], "@lib": ["../shared/src/lib.ts"], "@far/*": ["../../elsewhere/*"] } } }',
      'Settings/tsconfig.base.json': '{ "compilerOptions": { "paths": { "#t/*": ["../shared/types/*"] } } }',
      'web/admin/tsconfig.json': '{ "compilerOptions": { "baseUrl": "../../shared/src" } }',
    };
    const cache = manifests(texts);
    const r = (importer: string, source: string): string | undefined => resolveImport('typescript', importer, source, [], paths, 'web/', cache);
    assert.equal(r('web/src/page.ts', '@app/main'), 'shared-2/src/app-main.ts', 'a target whose last segment is partial');
    assert.equal(r('web/src/page.ts', '@lib'), 'shared-2/src/lib.ts', 'an exact target');
    assert.equal(r('web/src/page.ts', '@far/x'), undefined, 'a target in no folder');
    assert.equal(r('web/admin/page.ts', 'lib'), 'shared-2/src/lib.ts', 'a baseUrl out of the folder');
    // The `extends` is followed to /d/one/conf (named Settings), whose own paths lead from there (web's override them).
    const extending = manifests({ ...texts, 'web/tsconfig.json': '{ "extends": "../conf/tsconfig.base.json" }' });
    assert.equal(resolveImport('typescript', 'web/src/page.ts', '#t/x', [], filled(new PathTable(false, layout), files), 'web/', extending), 'shared-2/types/x.ts');
    // A file coming to the folder a partial target leads to carries the mapped key; one of the folder named so does not.
    assert.ok(pathKeys('shared-2/src/app-other.ts', paths, cache).includes(MAPPED_KEY));
    assert.ok(!pathKeys('shared/src/app-other.ts', paths, cache).includes(MAPPED_KEY));
  });

  it("follows a `paths` target whose `*` names the folder it climbs to (a monorepo's `../*/src`) by where it leads on disk", () => {
    // Packages side by side in /m/packages, each a folder; /m/packages/utils is named `Utilities` in the editor.
    const layout = new FolderPaths([
      { name: 'app', path: '/m/packages/app' },
      { name: 'ui', path: '/m/packages/ui' },
      { name: 'Utilities', path: '/m/packages/utils' },
    ]);
    const files = ['app/src/a.ts', 'app/tsconfig.json', 'ui/src/index.ts', 'ui/src/button.ts', 'Utilities/src/index.ts'];
    const paths = filled(new PathTable(false, layout), files);
    const cache = manifests({
      'app/tsconfig.json': '{ "compilerOptions": { "paths": { "@org/*": ["../*/src"], "#entry/*": ["../*/src/index.ts"], "#pre/*": ["../u*/src"] } } }',
    });
    const r = (source: string): string | undefined => resolveImport('typescript', 'app/src/a.ts', source, [], paths, 'app/', cache);
    assert.equal(r('@org/ui'), 'ui/src/index.ts', 'the folder /m/packages/ui');
    assert.equal(r('@org/utils'), 'Utilities/src/index.ts', 'the folder at /m/packages/utils, whatever its name');
    assert.equal(r('@org/ui/button'), undefined, "a subpath's `*` leads to ui/button/src: no file there");
    assert.equal(r('#entry/ui'), 'ui/src/index.ts', 'an exact file');
    assert.equal(r('#pre/i'), 'ui/src/index.ts', 'a partial segment before the `*`');
    assert.equal(r('@org/nothing'), undefined);
    // A file coming to where such a target may lead carries the mapped key (its imports are resolved again).
    assert.ok(pathKeys('Utilities/src/index.ts', paths, cache).includes(MAPPED_KEY));

    // A target whose `*` comes after a folder that is in no workspace folder leads nowhere: dropped, so no file's coming
    // or going resolves every bare import again (kept, its key would be the suffix alone: every file).
    const vendored = manifests({ 'app/tsconfig.json': '{ "compilerOptions": { "paths": { "#v*": ["../../../vendor/*"], "#t*": ["../../../vendor/*.ts"] } } }' });
    assert.equal(resolveImport('typescript', 'app/src/a.ts', '#vui/src/index.ts', [], paths, 'app/', vendored), undefined);
    for (const f of ['ui/README.md', 'ui/src/button.ts', 'Utilities/src/index.ts']) assert.ok(!pathKeys(f, paths, vendored).includes(MAPPED_KEY), f);
  });

  it('decides where a configuration path leads on disk, not by the folder names it starts with, also within its own folder', () => {
    // A folder named `shared` at /d/app, while /d/shared is `common`; a folder nested in another (/w/api/packages/pkg).
    const layout = new FolderPaths([
      { name: 'shared', path: '/d/app' },
      { name: 'common', path: '/d/shared' },
      { name: 'api', path: '/w/api' },
      { name: 'pkg', path: '/w/api/packages/pkg' },
    ]);
    const files = ['shared/a.ts', 'shared/tsconfig.json', 'shared/src/x.ts', 'common/src/x.ts', 'api/src/a.ts', 'api/src/tsconfig.json', 'pkg/src/y.ts'];
    const cache = manifests({
      'shared/tsconfig.json': '{ "compilerOptions": { "paths": { "@s/*": ["../shared/src/*"] } } }',
      'api/src/tsconfig.json': '{ "compilerOptions": { "paths": { "@p/*": ["../packages/pkg/src/*"], "@q/*": ["packages/pkg/src/*"] } } }',
    });
    const paths = filled(new PathTable(false, layout), files);
    const r = (importer: string, source: string): string | undefined => resolveImport('typescript', importer, source, [], paths, `${importer.split('/')[0]}/`, cache);
    assert.equal(r('shared/a.ts', '@s/x'), 'common/src/x.ts', '/d/shared, not the folder named shared');
    assert.equal(r('api/src/a.ts', '@p/y'), 'pkg/src/y.ts', 'a climb within api into the folder nested there');
    assert.equal(r('api/src/a.ts', '@q/y'), undefined, 'api/src/packages is no folder');
    // A go.work using a module in a folder nested in its own.
    const goFiles = ['api/go.work', 'api/go.mod', 'api/main.go', 'pkg/go.mod', 'pkg/p.go'];
    const goTexts = { 'api/go.work': 'go 1.22\n\nuse (\n\t.\n\t./packages/pkg\n)\n', 'api/go.mod': 'module example.com/api\n', 'pkg/go.mod': 'module example.com/pkg\n' };
    const goPaths = filled(new PathTable(false, layout), goFiles);
    assert.equal(resolveImport('go', 'api/main.go', 'example.com/pkg', [], goPaths, 'api/', manifests(goTexts)), 'pkg/p.go');
  });

  it('matches the folders a configuration path leads to without regard to case on a disk that folds case', () => {
    const layout = new FolderPaths([{ name: 'web', path: '/d/one/web' }, { name: 'shared', path: '/d/one/shared' }]);
    const files = ['web/a.ts', 'web/tsconfig.json', 'shared/src/x.ts'];
    const cache = manifests({ 'web/tsconfig.json': '{ "compilerOptions": { "paths": { "@s/*": ["../Shared/src/*"], "#c/*": ["../Sh*/src/x"] } } }' });
    const r = (folds: boolean, source: string): string | undefined => resolveImport('typescript', 'web/a.ts', source, [], filled(new PathTable(folds, layout), files), 'web/', cache);
    assert.equal(r(true, '@s/x'), 'shared/src/x.ts');
    assert.equal(r(true, '#c/ared'), 'shared/src/x.ts', 'a target led on disk once filled in');
    assert.equal(r(false, '@s/x'), undefined, 'a disk that does not fold case has no /d/one/Shared');
  });

  it("resolves no Python relative import or Rust `super::` path above the importer's folder of a multi-root workspace (other folders' names)", () => {
    const paths = table('web/pkg/__init__.py', 'web/pkg/mod.py', 'shared/__init__.py', 'shared/util.py', 'web/src/lib.rs', 'web/src/a.rs', 'shared/src/b.rs', 'shared.rs');
    const r = (language: LanguageId, importer: string, source: string, names: string[] = []): string | undefined => resolveImport(language, importer, source, names, paths, 'web/');
    assert.equal(r('python', 'web/pkg/mod.py', '...', ['shared']), undefined);
    assert.equal(r('python', 'web/pkg/mod.py', '...shared', ['util']), undefined);
    assert.equal(r('python', 'web/pkg/mod.py', '..', ['pkg']), 'web/pkg/__init__.py', 'up to the folder itself');
    assert.equal(r('rust', 'web/src/a.rs', 'super::super::super::shared::src::b'), undefined);
    assert.equal(r('rust', 'web/src/a.rs', 'super::super::super::shared'), undefined);
    // In a single folder, as before.
    assert.equal(resolveImport('python', 'web/pkg/mod.py', '...', ['shared'], paths), 'shared/__init__.py');
    assert.equal(resolveImport('rust', 'web/src/a.rs', 'super::super::super::shared::src::b', [], paths), 'shared/src/b.rs');
  });

  it("resolves a workspace package by its package.json's name: its entry's source, src/index, index; a subpath in it or its src/", () => {
    const paths = table(
      'packages/util/package.json', 'packages/util/src/index.ts', 'packages/util/src/strings.ts', 'packages/util/dist/index.js',
      'packages/cli/package.json', 'packages/cli/src/main.ts', 'packages/cli/commands/run.ts',
      'packages/plain/package.json', 'packages/plain/index.js', 'packages/plain/lib.js',
      'apps/web/page.ts', 'apps/web/package.json', 'apps/old/package.json', 'apps/old/index.js', 'apps/web/node/index.ts',
      'src/@acme/util.ts',
    );
    const texts = {
      'packages/util/package.json': '{ "name": "@acme/util", "main": "./dist/index.js", "types": "dist/index.d.ts" }',
      'packages/cli/package.json': '{ "name": "acme-cli", "exports": { ".": "./dist/main.mjs" } }',
      'packages/plain/package.json': '{ "name": "plain", "main": "lib.js" }',
      // The same name twice: the nearer package to the importer.
      'apps/web/package.json': '{ "name": "plain", "main": "node/index.ts" }',
      'apps/old/package.json': '{ "name": "@acme/util" }',
    };
    const r = (importer: string, source: string): string | undefined => resolveImport('typescript', importer, source, [], paths, '', manifests(texts));
    assert.equal(r('packages/cli/src/main.ts', '@acme/util'), 'packages/util/src/index.ts', 'the source of the build output the entry names');
    assert.equal(r('packages/cli/src/main.ts', '@acme/util/strings'), 'packages/util/src/strings.ts');
    assert.equal(r('packages/util/src/index.ts', 'acme-cli'), 'packages/cli/src/main.ts');
    assert.equal(r('packages/util/src/index.ts', 'acme-cli/commands/run'), 'packages/cli/commands/run.ts');
    assert.equal(r('packages/util/src/index.ts', 'plain'), 'packages/plain/lib.js', 'the entry itself when it names a source');
    assert.equal(r('apps/web/page.ts', 'plain'), 'apps/web/node/index.ts');
    assert.equal(r('apps/old/index.js', '@acme/util'), undefined, 'its own package: never the importer itself');
    assert.equal(r('packages/util/src/index.ts', '@acme/util/missing'), undefined, 'a subpath it lacks');
    assert.equal(r('packages/util/src/index.ts', '@acme/utility'), undefined, 'a prefix only at a / boundary');
    // No package of that name: the guesses as before.
    assert.equal(resolveImport('typescript', 'apps/web/page.ts', '@acme/util', [], paths), 'src/@acme/util.ts');
  });

  it('works out the TS/JS configurations and packages once, not per import, and again only when one of their files comes or goes or a manifest changes', () => {
    const n = 30;
    const texts: Record<string, string> = { 'tsconfig.json': '{ "compilerOptions": { "paths": { "@app/*": ["app/*"] } } }' };
    const paths = table('tsconfig.json', 'app/x.ts');
    for (let i = 0; i < n; i++) {
      paths.add(`packages/p${i}/package.json`);
      paths.add(`packages/p${i}/src/index.ts`);
      texts[`packages/p${i}/package.json`] = `{ "name": "@acme/p${i}" }`;
    }
    const cache = new ManifestCache((p) => texts[p]);
    const counting = countingManifests(cache, new Set(['tsconfig', 'packageJson']));
    const counted = counting.manifests;
    const resolveAll = (): number => {
      const before = counting.lookups();
      for (let i = 0; i < n; i++) {
        assert.equal(resolveImport('typescript', `packages/p${i}/src/index.ts`, `@acme/p${(i + 1) % n}`, [], paths, '', counted), `packages/p${(i + 1) % n}/src/index.ts`);
        assert.equal(resolveImport('typescript', `packages/p${i}/src/index.ts`, '@app/x', [], paths, '', counted), 'app/x.ts');
      }
      return counting.lookups() - before;
    };
    assert.ok(resolveAll() <= n + 2, 'each manifest read about once');
    assert.equal(resolveAll(), 0, 'nothing changed: no lookups');
    paths.add('packages/p0/src/other.ts');
    assert.equal(resolveAll(), 0, 'a source file came: what was worked out holds');
    const before = counting.lookups();
    paths.add('packages/extra/package.json');
    assert.equal(counting.lookups() - before + resolveAll(), 1, 'a package.json came: it is read, the others not again');
    texts['packages/p1/package.json'] = '{ "name": "@acme/renamed" }';
    assert.equal(cache.reread('packages/p1/package.json'), true);
    assert.equal(resolveImport('typescript', 'app/x.ts', '@acme/renamed', [], paths, '', counted), 'packages/p1/src/index.ts');
    assert.equal(resolveImport('typescript', 'app/x.ts', '@acme/p1', [], paths, '', counted), undefined);
  });

  it('keeps the packages and configurations up to date in place as their files arrive and go one event at a time (a branch switch)', () => {
    // Each package with a package.json and a tsconfig.json extending the root's; each file an event asking its keys.
    const n = 200;
    const texts: Record<string, string> = { 'tsconfig.json': '{ "compilerOptions": { "paths": { "@w/*": ["packages/*/src/index.ts"] } } }' };
    const cache = new ManifestCache((p) => texts[p]);
    const counting = countingManifests(cache, new Set(['tsconfig', 'packageJson']), true);
    const counted = counting.manifests;
    const paths = table('tsconfig.json', 'app/main.ts');
    assert.equal(resolveImport('typescript', 'app/main.ts', '@acme/p0', [], paths, '', counted), undefined);
    const files = (i: number): string[] => [`packages/p${i}/package.json`, `packages/p${i}/tsconfig.json`, `packages/p${i}/src/index.ts`];
    for (let i = 0; i < n; i++) {
      texts[`packages/p${i}/package.json`] = `{ "name": "@acme/p${i}", "main": "dist/index.js" }`;
      texts[`packages/p${i}/tsconfig.json`] = '{ "extends": "../../tsconfig.json" }';
      for (const f of files(i)) {
        paths.add(f);
        pathKeys(f, paths, counted);
      }
    }
    // (Worked out again on each, all of them were read each time: some 2n² lookups. Each package.json's keys read its
    // name, each tsconfig.json's work it out: the configurations that extend it.)
    assert.ok(counting.lookups() <= 6 * n, `${counting.lookups()} lookups for ${n} packages`);
    assert.ok(pathKeys('packages/p7/src/index.ts', paths, counted).includes('p7'), "a package's root file has its name's key");
    assert.equal(resolveImport('typescript', 'app/main.ts', '@acme/p7', [], paths, '', counted), 'packages/p7/src/index.ts');
    // A package renamed, then one gone (its manifest forgotten, as the index does).
    texts['packages/p3/package.json'] = '{ "name": "@acme/renamed" }';
    assert.equal(cache.reread('packages/p3/package.json'), true);
    assert.equal(resolveImport('typescript', 'app/main.ts', '@acme/renamed', [], paths, '', counted), 'packages/p3/src/index.ts');
    assert.equal(resolveImport('typescript', 'app/main.ts', '@acme/p3', [], paths, '', counted), undefined);
    counting.reset();
    for (let i = 0; i < n; i++) {
      for (const f of files(i).slice(0, 2)) {
        paths.delete(f);
        cache.forget(f);
        pathKeys(f, paths, counted);
        pathKeys(`packages/p${i}/src/index.ts`, paths, counted);
      }
      if (i === 3) assert.equal(resolveImport('typescript', 'app/main.ts', '@acme/p5', [], paths, '', counted), 'packages/p5/src/index.ts');
      if (i === 3) assert.equal(resolveImport('typescript', 'app/main.ts', '@acme/renamed', [], paths, '', counted), undefined);
    }
    assert.ok(counting.lookups() <= 5 * n, `${counting.lookups()} lookups for ${n} packages going`);
    assert.deepEqual(pathKeys('packages/p7/src/index.ts', paths, counted), ['index', 'src', MAPPED_KEY], "no package's key: its package.json went");
  });

  it('resolves as a fresh table does while configurations and packages come, go and change (kept up to date in place; random steps)', () => {
    // Each manifest's texts to draw from (names shared and swapped, entries moved, `extends` chains made and broken).
    const variants: Record<string, string[]> = {
      'tsconfig.json': ['{ "extends": "./tsconfig.base", "compilerOptions": { "paths": { "@app/*": ["src/app/*"], "@lib": ["lib/x.ts"] } } }', '{ "compilerOptions": { "baseUrl": "lib" } }', '{ "compilerOptions": { "paths": { "@lib": ["pkg/sub"] }, } }'],
      'tsconfig.base.json': ['{ "compilerOptions": { "baseUrl": "src" } }', '{ "extends": "./tsconfig.json", "compilerOptions": { "paths": { "~/*": ["*"] } } }'],
      'pkg/tsconfig.json': ['{ "extends": "../tsconfig.base.json" }', '{ "extends": "../tsconfig", "compilerOptions": { "paths": { "#/*": ["./*"] } } }'],
      'app/jsconfig.json': ['{ "compilerOptions": { "baseUrl": ".." } }', '{ "extends": "../pkg/tsconfig.json" }'],
      'packages/a/tsconfig.json': ['{ "extends": "../../tsconfig.json" }', '{ "compilerOptions": { "paths": { "@w/*": ["../*/src/index.ts"] } } }'],
      'package.json': ['{ "name": "root" }', '{ "name": "@acme/a" }'],
      'packages/a/package.json': ['{ "name": "@acme/a" }', '{ "name": "@acme/b", "main": "dist/index.js" }', '{ "name": "util" }', 'not json'],
      'packages/b/package.json': ['{ "name": "@acme/b", "main": "dist/index.js" }', '{ "name": "@acme/a" }', '{ "types": "lib/index.d.ts" }'],
      'x/package.json': ['{ "name": "util", "exports": "./index.ts" }', '{ "name": "@acme/b" }'],
    };
    const sources = ['packages/a/src/index.ts', 'packages/b/src/index.ts', 'packages/b/dist/index.js', 'src/app/util.ts', 'lib/x.ts', 'app/main.ts', 'x/index.ts', 'pkg/sub.ts', 'src/util.ts'];
    const universe = [...Object.keys(variants), ...sources];
    const specifiers = ['@acme/a', '@acme/b', '@acme/b/src/index', 'util', 'root', '@app/util', '@lib', '~/util', '#/sub', '@w/b', 'x', 'util/index'];
    randomManifestSteps(39, variants, universe, ({ step, present, paths, cache, fresh, freshManifests }) => {
      for (const importer of present.filter((p) => p.endsWith('.ts'))) {
        for (const source of specifiers) {
          const was = resolveImport('typescript', importer, source, [], fresh, '', freshManifests);
          assert.equal(resolveImport('typescript', importer, source, [], paths, '', cache), was, `step ${step}: ${importer}'s ${source}`);
        }
      }
      for (const p of universe) assert.deepEqual(pathKeys(p, paths, cache).sort(), pathKeys(p, fresh, freshManifests).sort(), `step ${step}: keys of ${p}`);
    });
  });

  it('resolves Go imports as a fresh table does while go.mod and go.work files come, go and change (kept up to date in place; random steps)', () => {
    // Module paths shared and swapped, replacements made and moved, modules used and not.
    const variants: Record<string, string[]> = {
      'go.work': ['go 1.22\nuse (\n\t./a\n\t./b\n)\n', 'go 1.22\nuse ./a\nreplace example.com/x => ./c\n', 'go 1.22\nuse ./c\nuse ./b\n'],
      'a/go.mod': ['module example.com/a\n', 'module example.com/b\nreplace example.com/x => ../b\n', 'module example.com/x\n'],
      'b/go.mod': ['module example.com/b\n', 'module example.com/a\nreplace example.com/c => ../c\n', 'not go'],
      'c/go.mod': ['module example.com/c\nreplace example.com/a => ../b\n', 'module example.com/x\n'],
      'c/d/go.mod': ['module example.com/c/d\n', 'module example.com/a/d\n'],
      'web/package.json': ['{ "name": "web" }', '{ "name": "@acme/web" }'],
    };
    const sources = ['a/main.go', 'a/pkg/p.go', 'b/main.go', 'b/pkg/p.go', 'c/main.go', 'c/pkg/p.go', 'c/d/pkg/p.go', 'c/d/main.go'];
    const universe = [...Object.keys(variants), ...sources];
    const specifiers = ['example.com/a/pkg', 'example.com/b/pkg', 'example.com/c/pkg', 'example.com/x/pkg', 'example.com/c/d/pkg', 'example.com/a/d/pkg'];
    randomManifestSteps(40, variants, universe, ({ step, present, paths, cache, fresh, freshManifests }) => {
      for (const importer of present.filter((p) => p.endsWith('main.go'))) {
        for (const source of specifiers) {
          const was = resolveImport('go', importer, source, [], fresh, '', freshManifests);
          assert.equal(resolveImport('go', importer, source, [], paths, '', cache), was, `step ${step}: ${importer}'s ${source}`);
        }
      }
    });
  });

  it('drops only trailing commas: after nesting, before comments, not in strings', () => {
    assert.deepEqual(parseJsonc('{ "a": [[1,], {"b": 2,},], "c": {"d": [],}, }'), { a: [[1], { b: 2 }], c: { d: [] } });
    assert.deepEqual(parseJsonc('[1, /* a comment, ] */ // another ]\n ]'), [1]);
    assert.deepEqual(parseJsonc('[1 /* , */, 2 // ,\n, 3]'), [1, 2, 3]);
    assert.deepEqual(parseJsonc('{ "a,]": ",}", "b": "\\\\", "c": "\\",]", }'), { 'a,]': ',}', b: '\\', c: '",]' });
    assert.deepEqual(parseJsonc('["a",/**/"b",\r\n\t]'), ['a', 'b']);
    // Not JSON even so: two commas in a row, a comma at the end.
    assert.equal(parseJsonc('[1,,]'), undefined);
    assert.equal(parseJsonc('[1],'), undefined);
    assert.equal(parseJsonc('[1,'), undefined);
  });

  it('reads a JSONC text in one pass however many trailing commas it has: each character copied once', () => {
    // Counted, not timed: each trailing comma cut out of the text written so far copied all of it again (40,000 of
    // them took 45 s); the runs of the text are copied once and joined.
    const n = 30_000;
    const text = '{"files":[' + Array.from({ length: n }, (_, i) => `["f${i}",]`).join(',') + ',]}';
    const value = takingAtMost(text.length, () => parseJsonc(text)) as { files: string[][] };
    assert.equal(value.files.length, n);
    assert.deepEqual(value.files[n - 1], [`f${n - 1}`]);
  });

  it('reads tsconfig.json and package.json tolerantly: comments, trailing commas, strings that look like them', () => {
    assert.deepEqual(parseJsonc('\ufeff{ "a": "// not a comment", /* one */ "b": [1, 2,], // two\n "c": "x,}" , }'), { a: '// not a comment', b: [1, 2], c: 'x,}' });
    assert.equal(parseJsonc('{ "a": '), undefined);
    assert.deepEqual(parseTsConfig('{ "extends": "./b", "compilerOptions": { "baseUrl": 3, "paths": { "@a/*": ["x/*", 4], "@b/**": ["y"], "c": "z" } } }'), {
      paths: { '@a/*': ['x/*'] },
      extends: ['./b'],
    });
    assert.deepEqual(parseTsConfig('not json'), { extends: [] });
    // Patterns named like Object.prototype members are patterns like any other (`__proto__` was lost to the prototype).
    const proto = parseTsConfig('{ "compilerOptions": { "paths": { "__proto__": ["src/proto.ts"], "constructor": ["src/ctor.ts"] } } }');
    assert.deepEqual(Object.entries(proto.paths ?? {}), [['__proto__', ['src/proto.ts']], ['constructor', ['src/ctor.ts']]]);
    assert.deepEqual(parsePackageJson('{ "name": "@a/b", "main": "m.js", "types": "t.d.ts", "exports": { ".": { "import": "./x.js" } } }'), { name: '@a/b', entries: ['t.d.ts', 'm.js'] });
    assert.deepEqual(parsePackageJson('{ "name": "", "exports": "./e.js" }'), { entries: ['./e.js'] });
    for (const manifest of ['tsconfig.json', 'a/jsconfig.json', 'tsconfig.base.json', 'package.json', 'go.mod']) assert.ok(isManifest(manifest), manifest);
    for (const other of ['package-tsconfig.json', 'a/tsconfig.ts', 'composer.json']) assert.ok(!isManifest(other), other);
  });

  it("keeps a manifest's facts when its path arrives or is indexed again with the text they were read of, and reads it again otherwise", () => {
    const texts: Record<string, string> = { 'go.mod': 'module a\n' };
    const reads: string[] = [];
    const hash = (text: string): string => `#${text}`;
    const cache = new ManifestCache((p) => {
      reads.push(p);
      return texts[p];
    }, hash);
    assert.equal(cache.go('go.mod')?.module, 'a');
    cache.arrived('go.mod', hash('module a\n'));
    assert.equal(cache.reread('go.mod', hash('module a\n')), false);
    assert.equal(cache.go('go.mod')?.module, 'a');
    assert.deepEqual([reads.length, cache.version], [1, 0], 'read once, and no change');
    texts['go.mod'] = 'module b\n';
    assert.equal(cache.reread('go.mod', hash('module b\n')), true);
    texts['go.mod'] = 'module c\n';
    cache.arrived('go.mod', hash('module c\n'));
    assert.equal(cache.go('go.mod')?.module, 'c', 'facts of another text are forgotten');
    assert.deepEqual([reads.length, cache.version], [3, 2]);
  });

  it('reads go.mod and go.work directives tolerantly', () => {
    const goMod = parseGoManifest([
      '// leading comment',
      'module "example.com/m" // trailing',
      '',
      'replace example.com/a => ./a',
      'replace example.com/b v1.2.3 => ../b',
      'replace `example.com/c` => .\\c\\d',
      'replace example.com/d => example.com/e v1.0.0',
      'replace example.com/f => /abs/f',
      'replace (',
      '  example.com/g v0.0.1 => ./g // one',
      '  // a comment line',
      '  "example.com/h" => "../h"',
      ')',
      'replace broken =>',
    ].join('\r\n'));
    assert.equal(goMod.module, 'example.com/m');
    assert.deepEqual(goMod.replaces, [
      { module: 'example.com/a', dir: './a' },
      { module: 'example.com/b', dir: '../b' },
      { module: 'example.com/c', dir: './c/d' },
      { module: 'example.com/g', dir: './g' },
      { module: 'example.com/h', dir: '../h' },
    ]);
    const goWork = parseGoManifest('go 1.23\ntoolchain go1.23.1\nuse ./a\nuse (\n  ./b // b\n  "./c d"\n  .\n)\nreplace x.example/y => ./y\n');
    assert.equal(goWork.module, undefined);
    assert.deepEqual(goWork.uses, ['./a', './b', './c d', '.']);
    assert.deepEqual(goWork.replaces, [{ module: 'x.example/y', dir: './y' }]);
  });

  it('resolves Java imports, static imports and wildcards by path suffix', () => {
    const paths = table('src/main/java/com/x/app/App.java', 'src/main/java/com/x/util/Strings.java', 'src/main/java/com/x/model/User.java');
    const r = (source: string): string | undefined => resolveImport('java', 'src/main/java/com/x/app/App.java', source, [], paths);
    assert.equal(r('com.x.util.Strings'), 'src/main/java/com/x/util/Strings.java');
    assert.equal(r('com.x.util.Strings.join'), 'src/main/java/com/x/util/Strings.java');
    assert.equal(r('com.x.model.*'), 'src/main/java/com/x/model/User.java');
    assert.equal(r('com.x.util.Strings.*'), 'src/main/java/com/x/util/Strings.java', 'import static …Strings.*');
    assert.equal(r('java.util.List'), undefined);
    // A nearer directory of the package's name without Java files in it is not the package.
    const withDocs = table('x/Main.java', 'x/a/b/README.md', 'a/b/X.java');
    assert.equal(resolveImport('java', 'x/Main.java', 'a.b.*', [], withDocs), 'a/b/X.java');
  });

  it('reaches every .java file directly in a Java wildcard import\'s package, up to MAX_GO_PACKAGE_FILES', () => {
    const paths = table('com/acme/app/OrderService.java', 'com/acme/model/Money.java', 'com/acme/model/Status.java', 'com/acme/model/README.md', 'com/acme/model/sub/Deep.java');
    const t = (source: string): string[] => resolveImportTargets('java', 'com/acme/app/OrderService.java', source, [], paths).map((x) => x.file);
    // Each class of the package may be the one used (the first alone made an unused Money "imported", a used Status not).
    assert.deepEqual(t('com.acme.model.*'), ['com/acme/model/Money.java', 'com/acme/model/Status.java']);
    // A single-class import, and a static wildcard of a class, still reach that one file.
    assert.deepEqual(t('com.acme.model.Status'), ['com/acme/model/Status.java']);
    assert.deepEqual(t('com.acme.model.Status.*'), ['com/acme/model/Status.java']);
    // A file coming into the package joins the import's targets.
    paths.add('com/acme/model/Account.java');
    assert.deepEqual(t('com.acme.model.*'), ['com/acme/model/Account.java', 'com/acme/model/Money.java', 'com/acme/model/Status.java']);
    const files = Array.from({ length: MAX_GO_PACKAGE_FILES + 3 }, (_, i) => `com/acme/big/C${String(i).padStart(3, '0')}.java`);
    const big = table('com/acme/app/Main.java', ...files);
    assert.deepEqual(resolveImportTargets('java', 'com/acme/app/Main.java', 'com.acme.big.*', [], big).map((x) => x.file), files.slice(0, MAX_GO_PACKAGE_FILES));
  });

  it('reaches the classes the importer names first when a Java wildcard import\'s package is past MAX_GO_PACKAGE_FILES', () => {
    const classes = Array.from({ length: MAX_GO_PACKAGE_FILES + 8 }, (_, i) => `C${String(i).padStart(3, '0')}`);
    const files = classes.map((c) => `com/acme/big/${c}.java`);
    const big = table('com/acme/app/Main.java', ...files);
    const used = (...identifiers: string[]): ImporterNames => ({ identifierCount: identifiers.length, identifierAt: (i) => identifiers[i] as string });
    const t = (names?: ImporterNames): string[] => resolveImportTargets('java', 'com/acme/app/Main.java', 'com.acme.big.*', [], big, '', undefined, names).map((x) => x.file);
    const cap = MAX_GO_PACKAGE_FILES;
    // The class it uses sorts last: reached, with the first others in path order up to the cap (it was not reached).
    assert.deepEqual(t(used('Main', 'C039', 'value', 'C005')), [...files.slice(0, cap - 1), files[39]]);
    // Several named, within the cap and past it: each of them, and the first others up to the cap, in path order.
    assert.deepEqual(t(used('C038', 'C035', 'C000')), [...files.slice(0, cap - 2), files[35], files[38]]);
    // Only classes within the first files, or no names: the package's first files.
    assert.deepEqual(t(used('C005', 'List')), files.slice(0, cap));
    assert.deepEqual(t(), files.slice(0, cap));
    // More classes named than the cap: the first of those it names in path order.
    assert.deepEqual(t(used(...classes.slice(3).reverse())), files.slice(3, 3 + cap));
    // A file coming into the package ahead of it: the class used is still reached.
    big.add('com/acme/big/A.java');
    assert.deepEqual(t(used('C039')), ['com/acme/big/A.java', ...files.slice(0, cap - 2), files[39]]);
    // Within the cap, a package reaches its files whatever the importer names.
    const small = table('com/acme/app/Main.java', ...files.slice(0, cap));
    assert.deepEqual(resolveImportTargets('java', 'com/acme/app/Main.java', 'com.acme.big.*', [], small, '', undefined, used('C031')).map((x) => x.file), files.slice(0, cap));
  });

  it('resolves Rust crate::, self::, super:: paths and mod declarations', () => {
    const paths = table('src/lib.rs', 'src/geometry.rs', 'src/geometry/shapes.rs', 'src/net/mod.rs', 'src/net/tcp.rs');
    assert.equal(resolveImport('rust', 'src/lib.rs', 'self::geometry', [], paths), 'src/geometry.rs');
    assert.equal(resolveImport('rust', 'src/lib.rs', 'crate::geometry::Point', [], paths), 'src/geometry.rs');
    assert.equal(resolveImport('rust', 'src/geometry.rs', 'self::shapes', [], paths), 'src/geometry/shapes.rs');
    assert.equal(resolveImport('rust', 'src/net/tcp.rs', 'super::super::geometry', [], paths), 'src/geometry.rs');
    assert.equal(resolveImport('rust', 'src/net/tcp.rs', 'crate::net', [], paths), 'src/net/mod.rs');
    assert.equal(resolveImport('rust', 'src/lib.rs', 'std::collections::HashMap', [], paths), undefined);
    // A path of only crate/self/super: a module among the names, else the module the path names.
    const lists = table('src/lib.rs', 'src/config.rs', 'src/net/mod.rs', 'src/net/tcp.rs', 'src/io.rs', 'src/io/file.rs');
    assert.equal(resolveImport('rust', 'src/net/tcp.rs', 'super', ['Conn'], lists), 'src/net/mod.rs');
    assert.equal(resolveImport('rust', 'src/net/tcp.rs', 'super', [], lists), 'src/net/mod.rs');
    assert.equal(resolveImport('rust', 'src/io/file.rs', 'super', [], lists), 'src/io.rs');
    assert.equal(resolveImport('rust', 'src/net/tcp.rs', 'crate', ['config'], lists), 'src/config.rs');
    assert.equal(resolveImport('rust', 'src/net/mod.rs', 'super', [], lists), 'src/lib.rs');
    assert.equal(resolveImport('rust', 'src/config.rs', 'crate', ['Settings'], lists), 'src/lib.rs');
    // `crate` is the crate root, not a file named as the crate's folder beside it (found by the key property test).
    const beside = table('pkg/lib.rs', 'pkg.rs', 'pkg/sub/foo.rs');
    assert.equal(resolveImport('rust', 'pkg/sub/foo.rs', 'crate', ['Settings'], beside), 'pkg/lib.rs');
  });

  it('resolves a Rust `use` of a module by its name to the module\'s file, not its parent\'s', () => {
    const paths = table('Cargo.toml', 'src/lib.rs', 'src/net.rs', 'src/net/tcp.rs', 'src/io/mod.rs', 'src/io/file/mod.rs');
    const r = (importer: string, source: string, names: string[]): string | undefined => resolveImport('rust', importer, source, names, paths);
    assert.equal(r('src/lib.rs', 'crate::net', ['tcp']), 'src/net/tcp.rs', '`use crate::net::tcp;`');
    assert.equal(r('src/lib.rs', 'crate::net', ['Conn', 'tcp']), 'src/net/tcp.rs', '`use crate::net::{Conn, tcp};`');
    assert.equal(r('src/lib.rs', 'crate::io', ['file']), 'src/io/file/mod.rs');
    assert.equal(r('src/net/tcp.rs', 'super::super::io', ['file']), 'src/io/file/mod.rs');
    assert.equal(r('src/lib.rs', 'crate::net', ['Conn']), 'src/net.rs', 'a name that is no module: the path\'s module');
    assert.equal(r('src/lib.rs', 'crate::net::tcp', ['Stream']), 'src/net/tcp.rs');
    assert.ok(importKeys('rust', 'src/lib.rs', 'crate::net', ['tcp']).includes('tcp'), 'the module\'s file coming or going re-resolves the import');
  });

  it('resolves each item of a Rust `use` group on its own: a module by name to its file (whole module), the other names to the path\'s module', () => {
    for (const parent of ['src/net.rs', 'src/net/mod.rs']) {
      const paths = table('Cargo.toml', 'src/lib.rs', parent, 'src/net/tcp.rs', 'src/net/udp.rs');
      const t = (importer: string, source: string, names: string[]): readonly { file: string; names: readonly string[] }[] => resolveImportTargets('rust', importer, source, names, paths);
      assert.deepEqual(t('src/lib.rs', 'crate::net', ['Conn', 'tcp']), [
        { file: 'src/net/tcp.rs', names: [] },
        { file: parent, names: ['Conn'] },
      ], `\`use crate::net::{Conn, tcp};\` with ${parent}`);
      assert.deepEqual(t('src/lib.rs', 'crate::net', ['tcp']), [{ file: 'src/net/tcp.rs', names: [] }], '`use crate::net::tcp;`: the whole module');
      assert.deepEqual(t('src/lib.rs', 'crate::net', ['Conn', 'Listener']), [{ file: parent, names: ['Conn', 'Listener'] }]);
      assert.deepEqual(t('src/lib.rs', 'crate::net', ['tcp', 'as t', 'Conn', 'as C']), [
        { file: 'src/net/tcp.rs', names: [] },
        { file: parent, names: ['Conn', 'as C'] },
      ], '`use crate::net::{tcp as t, Conn as C};`: a local name with its name, a module\'s left out');
      assert.deepEqual(t('src/net/udp.rs', 'super', ['Conn', 'tcp']), [
        { file: 'src/net/tcp.rs', names: [] },
        { file: parent, names: ['Conn'] },
      ], '`use super::{Conn, tcp};`');
      assert.deepEqual(t('src/net/tcp.rs', 'super', ['udp', 'tcp']), [{ file: 'src/net/udp.rs', names: [] }], 'the importer itself left out');
      // `self` in a group is the path's module as a whole (as `use crate::net::{self};` is), beside the other items.
      assert.deepEqual(t('src/lib.rs', 'crate::net', ['self', 'Conn']), [{ file: parent, names: [] }], '`use crate::net::{self, Conn};`');
      assert.deepEqual(t('src/lib.rs', 'crate::net', ['self', 'tcp']), [
        { file: 'src/net/tcp.rs', names: [] },
        { file: parent, names: [] },
      ], '`use crate::net::{self, tcp};`');
      assert.deepEqual(t('src/net/udp.rs', 'super', ['self', 'tcp']), [
        { file: 'src/net/tcp.rs', names: [] },
        { file: parent, names: [] },
      ], '`use super::{self, tcp};`');
    }
  });

  it('resolves each name of a Python `from … import` on its own: a submodule to its file (whole module), the other names to the package', () => {
    const paths = table('app/main.py', 'pkg/__init__.py', 'pkg/mod.py', 'pkg/sub/__init__.py', 'pkg/sub/leaf.py');
    const t = (source: string, names: string[]): readonly { file: string; names: readonly string[] }[] => resolveImportTargets('python', 'pkg/sub/leaf.py', source, names, paths);
    assert.deepEqual(t('pkg', ['mod', 'Name']), [
      { file: 'pkg/mod.py', names: [] },
      { file: 'pkg/__init__.py', names: ['Name'] },
    ], '`from pkg import mod, Name`');
    assert.deepEqual(t('..', ['mod', 'Name']), [
      { file: 'pkg/mod.py', names: [] },
      { file: 'pkg/__init__.py', names: ['Name'] },
    ], '`from .. import mod, Name`');
    assert.deepEqual(t('pkg', ['Name']), [{ file: 'pkg/__init__.py', names: ['Name'] }]);
    assert.deepEqual(t('pkg', ['mod']), [{ file: 'pkg/mod.py', names: [] }]);
    // A local name (`as N`) goes with its name: a submodule's is left out, and names no module or key of its own.
    assert.deepEqual(t('pkg', ['mod', 'as m', 'Name', 'as N']), [
      { file: 'pkg/mod.py', names: [] },
      { file: 'pkg/__init__.py', names: ['Name', 'as N'] },
    ], '`from pkg import mod as m, Name as N`');
    assert.deepEqual(t('pkg', ['Name', 'as mod']), [{ file: 'pkg/__init__.py', names: ['Name', 'as mod'] }], '`from pkg import Name as mod`');
    assert.deepEqual(importKeys('python', 'pkg/sub/leaf.py', 'pkg', ['Name', 'as mod']).sort(), importKeys('python', 'pkg/sub/leaf.py', 'pkg', ['Name']).sort());
  });

  it('resolves the Rust paths written in inline modules from them (`mod tests { use super::*; }`: the file itself, no import)', async () => {
    const paths = table('Cargo.toml', 'src/lib.rs', 'src/inner.rs', 'src/outer/inner.rs', 'src/net/mod.rs', 'src/net/frame.rs', 'src/net/tcp.rs');
    const resolved = async (file: string, text: string): Promise<(string | undefined)[]> =>
      (await extract(file, text)).imports.map((i) => resolveImport('rust', file, i.source, i.names, paths));
    const tests = 'pub fn parse() {}\n#[cfg(test)]\nmod tests {\n    use super::*;\n    use super::{parse};\n    use super::super::tcp::Conn;\n}\n';
    assert.deepEqual(await resolved('src/net/frame.rs', tests), [undefined, undefined, 'src/net/tcp.rs']);
    assert.deepEqual(await resolved('src/net/mod.rs', tests.replace('tcp::Conn', 'inner::X')), [undefined, undefined, 'src/inner.rs']);
    assert.deepEqual(await resolved('src/lib.rs', 'mod outer {\n    pub mod inner;\n}\n'), ['src/outer/inner.rs']);
  });

  it('resolves Rust modules of the crate roots Cargo finds besides lib.rs and main.rs (tests, examples, benches, bins, build.rs)', () => {
    const paths = table('Cargo.toml', 'build.rs', 'src/lib.rs', 'src/config.rs', 'src/cli.rs', 'src/bin/tool.rs', 'src/bin/cli.rs', 'src/bin/tool/cli.rs',
      'tests/integration.rs', 'tests/common/mod.rs', 'tests/common/fixtures.rs', 'examples/demo.rs', 'examples/util.rs', 'benches/b.rs', 'benches/setup.rs', 'gen.rs');
    const r = (importer: string, source: string, names: string[] = []): string | undefined => resolveImport('rust', importer, source, names, paths);
    assert.equal(r('tests/integration.rs', 'self::common'), 'tests/common/mod.rs', '`mod common;` in a test crate\'s root');
    assert.equal(r('tests/integration.rs', 'crate::common::setup'), 'tests/common/mod.rs');
    assert.equal(r('tests/common/mod.rs', 'self::fixtures'), 'tests/common/fixtures.rs');
    assert.equal(r('tests/common/fixtures.rs', 'crate::common'), 'tests/common/mod.rs', 'the crate of a test\'s module is the test\'s');
    assert.equal(r('src/bin/tool.rs', 'self::cli'), 'src/bin/cli.rs', '`mod cli;` beside the root file, as rustc looks for it');
    assert.equal(r('src/bin/tool.rs', 'crate::cli::run'), 'src/bin/cli.rs', 'not src/cli.rs of the library crate');
    assert.equal(r('examples/demo.rs', 'self::util'), 'examples/util.rs');
    assert.equal(r('benches/b.rs', 'crate::setup::fixture'), 'benches/setup.rs');
    assert.equal(r('build.rs', 'self::gen'), 'gen.rs');
    assert.equal(r('src/lib.rs', 'self::config'), 'src/config.rs');
    // A folder named tests inside a crate's src is a module, not a crate's roots (no Cargo.toml beside it).
    const inner = table('Cargo.toml', 'src/lib.rs', 'src/tests/mod.rs', 'src/tests/a.rs', 'src/tests/a/b.rs', 'src/config.rs');
    assert.equal(resolveImport('rust', 'src/tests/a.rs', 'self::b', [], inner), 'src/tests/a/b.rs');
    assert.equal(resolveImport('rust', 'src/tests/a.rs', 'crate::config', [], inner), 'src/config.rs');
  });

  it('takes a bare Rust path for a crate-root module only in a crate root (elsewhere for an external crate or a child module)', () => {
    const paths = table('src/lib.rs', 'src/config.rs', 'src/net/mod.rs', 'src/net/tcp.rs', 'src/net/tcp/frame.rs');
    const r = (importer: string, source: string): string | undefined => resolveImport('rust', importer, source, [], paths);
    assert.equal(r('src/net/tcp.rs', 'config::Settings'), undefined, 'an external crate named config');
    assert.equal(r('src/lib.rs', 'config::Settings'), 'src/config.rs');
    assert.equal(r('src/net/tcp.rs', 'frame::Frame'), 'src/net/tcp/frame.rs', 'a child module in scope');
    assert.equal(r('src/net/mod.rs', 'tcp::connect'), 'src/net/tcp.rs');
  });

  it("takes a bare Rust path from the crate root anywhere in a crate of Rust 2015 (its Cargo.toml's edition, or none)", () => {
    const files = ['Cargo.toml', 'src/lib.rs', 'src/config.rs', 'src/net/mod.rs', 'src/net/tcp.rs', 'src/net/tcp/frame.rs', 'src/bin/tool.rs', 'src/bin/cli.rs',
      'tests/it.rs', 'tests/common/mod.rs', 'tests/helpers.rs'];
    const paths = table(...files);
    const r = (importer: string, source: string, cargo: string): string | undefined => resolveImport('rust', importer, source, [], paths, '', manifests({ 'Cargo.toml': cargo }));
    for (const cargo of ['[package]\nname = "old"\nversion = "0.1.0"\n', '[package]\nname = "old" # comment\nedition = "2015"\n', "package.edition = '2015'\n"]) {
      assert.equal(r('src/net/tcp.rs', 'config::Settings', cargo), 'src/config.rs', cargo);
      assert.equal(r('src/net/tcp/frame.rs', 'net::tcp::connect', cargo), 'src/net/tcp.rs', cargo);
      assert.equal(r('src/net/tcp.rs', 'frame::Frame', cargo), undefined, 'a child module takes self:: in Rust 2015');
      assert.equal(r('src/net/mod.rs', 'std::io::Read', cargo), undefined);
      assert.equal(r('tests/common/mod.rs', 'helpers::setup', cargo), 'tests/helpers.rs', "from the test crate's root");
      assert.equal(r('src/lib.rs', 'config::Settings', cargo), 'src/config.rs');
    }
    for (const cargo of ['[package]\nname = "new"\nedition = "2018"\n', '[package]\nedition = "2021" # 2015\n', '[dependencies]\nedition = "2015"\n[package]\nedition = "2024"\n']) {
      assert.equal(r('src/net/tcp.rs', 'config::Settings', cargo), undefined, cargo);
      assert.equal(r('src/net/tcp.rs', 'frame::Frame', cargo), 'src/net/tcp/frame.rs', cargo);
    }
    // A virtual manifest (no [package]), an unreadable one, or none: as Rust 2018.
    assert.equal(r('src/net/tcp.rs', 'config::Settings', '[workspace]\nmembers = ["a"]\n'), undefined);
    assert.equal(resolveImport('rust', 'src/net/tcp.rs', 'config::Settings', [], paths, '', manifests({})), undefined);
    // A member inheriting the workspace's edition.
    const ws = table('Cargo.toml', 'a/Cargo.toml', 'a/src/lib.rs', 'a/src/config.rs', 'a/src/net.rs', 'b/Cargo.toml', 'b/src/lib.rs', 'b/src/config.rs', 'b/src/net.rs');
    const texts = (edition: string): Record<string, string> => ({
      'Cargo.toml': `[workspace]\nmembers = ["a", "b"]\n\n[workspace.package]\nedition = "${edition}"\n`,
      'a/Cargo.toml': '[package]\nname = "a"\nedition.workspace = true\n',
      'b/Cargo.toml': '[package]\nname = "b"\nedition = { workspace = true }\n',
    });
    for (const crate of ['a', 'b']) {
      assert.equal(resolveImport('rust', `${crate}/src/net.rs`, 'config::X', [], ws, '', manifests(texts('2015'))), `${crate}/src/config.rs`);
      assert.equal(resolveImport('rust', `${crate}/src/net.rs`, 'config::X', [], ws, '', manifests(texts('2021'))), undefined);
    }
  });

  it('reads the editions of Cargo.toml', () => {
    assert.deepEqual(parseCargoManifest('[package]\nname = "x"\n'), { isPackage: true, editionFromWorkspace: false, isWorkspace: false });
    assert.deepEqual(parseCargoManifest("[ package ]\nedition='2018'\n[workspace]\n[workspace.package]\nedition = \"2021\" # c\n"),
      { isPackage: true, edition: '2018', editionFromWorkspace: false, isWorkspace: true, workspaceEdition: '2021' });
    assert.deepEqual(parseCargoManifest('[package]\nedition.workspace = true\n'), { isPackage: true, editionFromWorkspace: true, isWorkspace: false });
    assert.deepEqual(parseCargoManifest('[package]\nedition = { workspace = true }\n'), { isPackage: true, editionFromWorkspace: true, isWorkspace: false });
    assert.deepEqual(parseCargoManifest('[workspace]\nmembers = ["a"]\n[dependencies]\nedition = "2015"\n'), { isPackage: false, editionFromWorkspace: false, isWorkspace: true });
  });

  it('resolves a Python module that is both a package and a file beside it to the package, as CPython does', () => {
    const paths = table('pkg/__init__.py', 'pkg/a.py', 'pkg/x.py', 'pkg/x/__init__.py', 'pkg/x/y.py');
    assert.equal(resolveImport('python', 'pkg/a.py', '.x', ['nothing'], paths), 'pkg/x/__init__.py');
    assert.equal(resolveImport('python', 'pkg/a.py', '.', ['x'], paths), 'pkg/x/__init__.py');
    assert.equal(resolveImport('python', 'pkg/a.py', '.x', ['y'], paths), 'pkg/x/y.py');
    assert.equal(resolveImport('python', 'main.py', 'pkg.x', [], paths), 'pkg/x/__init__.py');
  });

  it('keeps its tables right as files come and go', () => {
    const paths = table('a/x.ts', 'a/y.ts');
    paths.delete('a/x.ts');
    assert.equal(paths.has('a/x.ts'), false);
    assert.deepEqual(paths.filesIn('a'), ['a/y.ts']);
    paths.delete('a/y.ts');
    assert.deepEqual([...paths.dirsNamed('a')], []);
    assert.equal(paths.size, 0);
  });

  it('resolves TS/JS and Rust imports spelled otherwise than their files where the disk folds case, to the paths as the table holds them', () => {
    const present = ['src/a.ts', 'src/Utils.ts', 'src/Lib/Index.tsx', 'src/Emitted.ts', 'pkg/Models.py', 'pkg/Sub/__init__.py', 'cmd/main.go', 'Internal/Store/store.go', 'java/com/X/Util/Strings.java', 'src/lib.rs', 'src/Geometry.rs'];
    const folding = foldingTable(...present);
    const plain = table(...present);
    // Node, TypeScript and rustc open files through the disk; Python (PEP 235), Java and Go match names exactly.
    const cases: [LanguageId, string, string, string[], string | undefined][] = [
      ['typescript', 'src/a.ts', './utils', [], 'src/Utils.ts'],
      ['typescript', 'src/a.ts', './UTILS.ts', [], 'src/Utils.ts'],
      ['typescript', 'src/a.ts', './lib', [], 'src/Lib/Index.tsx'],
      ['typescript', 'src/a.ts', './emitted.js', [], 'src/Emitted.ts'],
      ['typescript', 'src/a.ts', '@/utils', [], 'src/Utils.ts'],
      ['rust', 'src/lib.rs', 'crate::geometry', [], 'src/Geometry.rs'],
      ['python', 'pkg/x.py', '.models', [], undefined],
      ['python', 'pkg/x.py', '.sub', [], undefined],
      ['python', 'other/y.py', 'pkg.models', [], undefined],
      ['go', 'cmd/main.go', 'example.com/demo/internal/store', [], undefined],
      ['java', 'java/com/X/App.java', 'com.x.util.Strings', [], undefined],
      ['java', 'java/com/X/App.java', 'com.x.util.*', [], undefined],
    ];
    for (const [language, importer, source, names, expected] of cases) {
      assert.equal(resolveImport(language, importer, source, names, folding), expected, `${importer}: ${source}`);
      assert.equal(resolveImport(language, importer, source, names, plain), undefined, `${importer}: ${source} on a disk that does not fold case`);
    }
    // Spelled as on disk, they resolve on either.
    for (const [language, importer, source, expected] of [
      ['python', 'pkg/x.py', '.Models', 'pkg/Models.py'],
      ['go', 'cmd/main.go', 'example.com/demo/Internal/Store', 'Internal/Store/store.go'],
      ['java', 'java/com/X/App.java', 'com.X.Util.*', 'java/com/X/Util/Strings.java'],
    ] as const) {
      assert.equal(resolveImport(language, importer, source, [], folding), expected);
      assert.equal(resolveImport(language, importer, source, [], plain), expected);
    }
    // A path spelled as the import has it wins; of two other spellings (one file named twice for a moment), the first.
    const twice = foldingTable('src/a.ts', 'src/utils.ts', 'src/Utils.ts', 'src/UTILS.ts');
    assert.equal(resolveImport('typescript', 'src/a.ts', './utils', [], twice), 'src/utils.ts');
    twice.delete('src/utils.ts');
    assert.equal(resolveImport('typescript', 'src/a.ts', './utils', [], twice), 'src/UTILS.ts');
    assert.equal(twice.find('SRC/UTILS.TS'), 'src/UTILS.ts');
    assert.equal(twice.has('SRC/UTILS.TS'), false, 'has() is exact');
  });

  it('turns matching without regard to case on and off, and keeps its tables right as files come and go either way', () => {
    const paths = table('src/Lib/A.ts', 'src/lib/b.ts', 'pkg/X.go');
    assert.equal(paths.find('src/lib/a.ts'), undefined);
    assert.equal(paths.setFoldsCase(true), true);
    assert.equal(paths.setFoldsCase(true), false, 'no change');
    assert.equal(paths.foldsCase, true);
    assert.equal(paths.find('src/lib/a.ts'), 'src/Lib/A.ts');
    // One folder under two spellings (a case-only rename half reported): its files under either.
    assert.deepEqual(paths.filesIn('SRC/LIB'), ['src/Lib/A.ts', 'src/lib/b.ts']);
    assert.deepEqual([...paths.dirsNamed('LIB')].sort(), ['src/Lib', 'src/lib']);
    assert.deepEqual([...paths.named('x.GO')], ['pkg/X.go']);
    paths.delete('src/Lib/A.ts');
    assert.deepEqual([...paths.dirsNamed('lib')], ['src/lib']);
    assert.deepEqual(paths.filesIn('src/LIB'), ['src/lib/b.ts']);
    assert.equal(paths.find('src/lib/a.ts'), undefined);
    paths.add('src/Lib/A.ts');
    assert.equal(paths.setFoldsCase(false), true);
    assert.equal(paths.find('src/lib/a.ts'), undefined);
    assert.deepEqual(paths.filesIn('src/Lib'), ['src/Lib/A.ts']);
    assert.equal(paths.setFoldsCase(true), true);
    for (const p of ['src/Lib/A.ts', 'src/lib/b.ts', 'pkg/X.go']) paths.delete(p);
    assert.equal(paths.size, 0);
    assert.deepEqual([...paths.dirsNamed('lib')], []);
    assert.deepEqual([...paths.named('x.go')], []);
    assert.equal(paths.find('pkg/x.go'), undefined);
  });

  it('names the keys a path and an import share when the path can change how the import resolves', () => {
    assert.deepEqual(pathKeys('src/lib/index.ts'), ['index', 'lib']);
    // Only a file a directory import can stand for carries its directory's key: not every file of the folder.
    assert.deepEqual(pathKeys('src/lib/util.ts'), ['util']);
    assert.deepEqual(pathKeys('pkg/__init__.py'), ['__init__', 'pkg']);
    assert.deepEqual(pathKeys('foo/.go'), ['.go', 'foo'], 'a Go file, however named');
    // A name starting with a dot keeps it, up to its next dot: `./.config` may be `.config.ts`.
    assert.deepEqual(pathKeys('src/.config.ts'), ['.config']);
    assert.ok(importKeys('typescript', 'src/a.ts', './.config', []).includes('.config'));
    assert.ok(importKeys('typescript', 'src/a.ts', './util.js', []).includes('util'));
    assert.ok(importKeys('python', 'pkg/a.py', '.', ['models']).includes('models'));
    // `from . import x` falls back to the package's __init__.py; `use crate::b` depends on where main.rs/lib.rs are.
    assert.ok(importKeys('python', 'pkg/a.py', '.', ['x']).includes('pkg'));
    assert.ok(importKeys('rust', 'pkg/keep.rs', 'crate::b::f8', []).includes('main'));
    // Keys match without regard to case: on a disk that folds case `./utils` reaches `Utils.ts`, `./lib` `Lib/Index.ts`.
    assert.deepEqual(pathKeys('src/Lib/Index.ts'), ['index', 'lib']);
    assert.ok(importKeys('typescript', 'src/a.ts', './UTILS', []).includes('utils'));
    assert.equal(normalisePath('a/./b/../c'), 'a/c');
    assert.equal(normalisePath('../a'), undefined);
  });

  for (const folds of [false, true])
  it(`gives every path whose coming or going changes a resolution a key of the import (random workspaces${folds ? ', a disk that folds case' : ''})`, function () {
    // (Hundreds of thousands of resolutions: ~5 s on an idle 2-core machine, more on a busy one.)
    this.timeout(60_000);
    // The workspace index re-resolves, when a path is added or removed, only the imports listed under its keys:
    // a resolution that changes without a shared key would stay stale.
    const random = seededRandom(folds ? 32 : 31);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const dirs = ['', 'src', 'src/a', 'src/lib', 'pkg', 'pkg/sub', 'lib/app', 'app', 'x/pkg', 'a/b', 'util.v2', '.cfg', 'tests', 'src/bin', 'src/app', 'pkg/src', ...(folds ? ['Src/Lib', 'PKG', 'a/B'] : [])];
    const names = ['a', 'b', 'c', 'index', '__init__', 'util', 'main', 'lib', 'mod', 'sub', 'app', 'pkg', 'C', 'util.test', 'foo.bar', '.config', 'types', 'os', 'package', 'doc', ...(folds ? ['Index', 'UTIL', 'Main', 'MOD', '__INIT__'] : [])];
    const extensions = ['.ts', '.tsx', '.d.ts', '.js', '.mjs', '.mts', '', '.py', '.pyi', '.go', '_test.go', '.java', '.rs', '.json'];
    const universe = dirs.flatMap((d) => names.flatMap((n) => extensions.map((e) => (d ? `${d}/${n}${e}` : `${n}${e}`))))
    // Manifests: Cargo.toml makes build.rs and the files of tests/ and src/bin/ crate roots.
    universe.push('Cargo.toml', 'pkg/Cargo.toml', 'build.rs', 'pkg/build.rs');
    // go.mod files, each with its module path: the root's, one named otherwise than its folder, one without a dot; local
    // replacements in go.mod and go.work files, and a go.work using modules. Cargo.toml of Rust 2015 and of 2021.
    const manifestTexts: Record<string, string> = {
      'go.mod': 'module example.com/x\nreplace example.com/r => ./a/b\n',
      'pkg/go.mod': 'module example.com/util.v2\nreplace example.com/q v1.0.0 => ../lib/app\n',
      'app/go.mod': 'module app\n',
      'a/b/go.mod': 'module example.com/ab\n',
      'lib/app/go.mod': 'module example.com/x\n',
      'go.work': 'use (\n\t.\n\t./pkg\n\t./lib/app\n)\nreplace example.com/w => ./src/a\n',
      'src/a/go.mod': 'module example.com/sa\n',
      'pkg/go.work': 'use .\n',
      'Cargo.toml': '[package]\nname = "x"\n',
      'pkg/Cargo.toml': '[package]\nedition = "2021"\n',
      // TS/JS: configurations (`paths` of every kind, baseUrl, extends chains and a cycle), and workspace packages.
      'tsconfig.json': `{
        // The root's.
        "extends": "./tsconfig.base",
        "compilerOptions": {
          "paths": { "@app/*": ["src/app/*", "lib/*"], "@lib": ["src/lib/main.ts"], "@x/*": ["pkg/*/index", "a/*.js"], "~/*": ["*"], "@p/*": ["src/a-*"], },
        },
      }`,
      'tsconfig.base.json': '{ "extends": "./tsconfig.json", "compilerOptions": { "baseUrl": "src" } }',
      'pkg/tsconfig.json': '{ "extends": ["../tsconfig.base.json"], "compilerOptions": { "paths": { "#/*": ["../lib/app/*"], "@lib": ["./sub"] } } }',
      'app/jsconfig.json': '{ "compilerOptions": { "baseUrl": ".." } }',
      'src/tsconfig.json': '{ "compilerOptions": { "paths": { "*": ["./lib/*", "../x/*/sub"] } } }',
      'package.json': '{ "name": "root" }',
      'pkg/package.json': '{ "name": "@s/lib", "main": "dist/util.js" }',
      'lib/app/package.json': '{ "name": "util", "types": "lib/index.d.ts", "module": "./c.mjs" }',
      'a/b/package.json': '{ "name": "@org/pkg", "exports": { ".": "./c.js" } }',
      'x/pkg/package.json': '{ "name": "@org/pkg" }',
    };
    universe.push(...Object.keys(manifestTexts).filter((p) => !universe.includes(p)));
    const goModuleOf = manifests(manifestTexts);
    const sources: Record<Exclude<LanguageId, 'text'>, { source: string; names: string[] }[]> = {
      typescript: ['./a', '../a', './util.js', './foo.bar', '.', '..', './', '../..', 'lib/', '@/util', '~/lib', 'src/a', 'a/b', 'lib/app', './lib', '../lib/index', './.config', '../.cfg', 'util', '@org/pkg', 'sub', '@s/lib/a', 'app/b/c',
        '@app/util', '@app/a', '@app/', '@lib', '@x/sub', '@x/b', '~/util', '#/a', '#/', '@s/lib', '@s/lib/sub', 'util/a', 'root', 'a', '@p/b', 'b/', '@org/pkg/c', '~/pkg/sub'].map((source) => ({ source, names: [] })),
      tsx: [{ source: './a', names: [] }],
      javascript: [{ source: '../util.mjs', names: [] }],
      python: [
        { source: '.', names: ['index', 'b'] },
        { source: '..', names: ['app'] },
        { source: '.sub', names: ['c'] },
        { source: 'app.util', names: [] },
        { source: 'pkg', names: ['sub'] },
        { source: 'a.b', names: ['c'] },
        { source: 'types', names: [] },
        { source: 'os', names: ['util', 'sub'] },
      ],
      go: ['example.com/x/pkg', 'pkg', 'x/pkg', 'example.com/util.v2', 'app/pkg/sub', 'main/lib', 'example.com/x', 'example.com/util.v2/sub', 'app',
        'example.com/r', 'example.com/r/pkg', 'example.com/q', 'example.com/q/sub', 'example.com/w', 'example.com/w/lib', 'example.com/x/a'].map((source) => ({ source, names: [] })),
      java: ['a.b.C', 'a.b.*', 'pkg.sub.util', 'x.pkg.C.member', 'x.pkg.C.*'].map((source) => ({ source, names: [] })),
      rust: [
        ...['crate::a::b', 'crate::b::c::util', 'super::a', 'self::b', 'a::b', 'crate::c', 'super::super::pkg'].map((source) => ({ source, names: [] })),
        { source: 'super', names: ['a', 'C'] },
        { source: 'super', names: [] },
        { source: 'crate', names: ['util', 'sub'] },
        { source: 'super::super', names: ['pkg'] },
        { source: 'self', names: ['b'] },
        { source: 'crate::a', names: ['b', 'util'] },
        { source: 'super::pkg', names: ['sub'] },
      ],
    };
    const languageOf = (p: string): Exclude<LanguageId, 'text'> | undefined =>
      /\.tsx$/.test(p) ? 'tsx' : /\.(ts|mts)$/.test(p) ? 'typescript' : /\.m?js$/.test(p) ? 'javascript' : p.endsWith('.go') ? 'go'
        : /\.pyi?$/.test(p) ? 'python' : p.endsWith('.java') ? 'java' : p.endsWith('.rs') ? 'rust' : undefined;
    let changes = 0;
    for (let trial = 0; trial < (folds ? 60 : 150); trial++) {
      // (The manifests half the time, that their rules meet.)
      const present = universe.filter((p) => random() < (manifestTexts[p] === undefined ? 0.08 : 0.5));
      const importers = present.filter((p) => languageOf(p) !== undefined);
      if (importers.length === 0) continue;
      const paths = folds ? foldingTable(...present) : table(...present);
      for (let k = 0; k < 4; k++) {
        const importer = pick(importers);
        const language = languageOf(importer) as Exclude<LanguageId, 'text'>;
        const { source, names: imported } = pick(sources[language]);
        const keys = new Set(importKeys(language, importer, source, imported));
        const before = resolveImport(language, importer, source, imported, paths, '', goModuleOf);
        // Every path of the universe, added when absent or removed when present.
        for (const changed of universe) {
          if (changed === importer) continue;
          const adding = !paths.has(changed);
          if (adding) paths.add(changed);
          else paths.delete(changed);
          const after = resolveImport(language, importer, source, imported, paths, '', goModuleOf);
          if (adding) paths.delete(changed);
          else paths.add(changed);
          if (before === after) continue;
          changes++;
          assert.ok(
            pathKeys(changed, paths, goModuleOf).some((key) => keys.has(key)),
            `${adding ? 'adding' : 'removing'} ${changed} moves ${importer}'s ${JSON.stringify(source)} ${JSON.stringify(imported)} from ${before} to ${after}, but shares no key (${[...keys].join(', ')})`,
          );
        }
      }
    }
    assert.ok(changes > 1000, `only ${changes} resolutions changed: the trials test little`);
  });
});
