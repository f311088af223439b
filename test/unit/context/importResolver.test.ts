import assert from 'node:assert/strict';
import { normalisePath, PathTable, resolveImport, stemsOfImport, stemsOfPath } from '../../../src/core/context/importResolver';

function table(...paths: string[]): PathTable {
  const t = new PathTable();
  for (const p of paths) t.add(p);
  return t;
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
  });

  it('resolves Go package paths by suffix and leaves the standard library alone', () => {
    const paths = table('cmd/app/main.go', 'internal/store/store.go', 'internal/store/store_test.go', 'internal/store/b.go', 'http/server.go');
    assert.equal(resolveImport('go', 'cmd/app/main.go', 'example.com/demo/internal/store', [], paths), 'internal/store/b.go');
    assert.equal(resolveImport('go', 'cmd/app/main.go', 'net/http', [], paths), undefined);
    assert.equal(resolveImport('go', 'cmd/app/main.go', 'fmt', [], paths), undefined);
  });

  it('resolves Java imports, static imports and wildcards by path suffix', () => {
    const paths = table('src/main/java/com/x/app/App.java', 'src/main/java/com/x/util/Strings.java', 'src/main/java/com/x/model/User.java');
    const r = (source: string): string | undefined => resolveImport('java', 'src/main/java/com/x/app/App.java', source, [], paths);
    assert.equal(r('com.x.util.Strings'), 'src/main/java/com/x/util/Strings.java');
    assert.equal(r('com.x.util.Strings.join'), 'src/main/java/com/x/util/Strings.java');
    assert.equal(r('com.x.model.*'), 'src/main/java/com/x/model/User.java');
    assert.equal(r('java.util.List'), undefined);
  });

  it('resolves Rust crate::, self::, super:: paths and mod declarations', () => {
    const paths = table('src/lib.rs', 'src/geometry.rs', 'src/geometry/shapes.rs', 'src/net/mod.rs', 'src/net/tcp.rs');
    assert.equal(resolveImport('rust', 'src/lib.rs', 'self::geometry', [], paths), 'src/geometry.rs');
    assert.equal(resolveImport('rust', 'src/lib.rs', 'crate::geometry::Point', [], paths), 'src/geometry.rs');
    assert.equal(resolveImport('rust', 'src/geometry.rs', 'self::shapes', [], paths), 'src/geometry/shapes.rs');
    assert.equal(resolveImport('rust', 'src/net/tcp.rs', 'super::super::geometry', [], paths), 'src/geometry.rs');
    assert.equal(resolveImport('rust', 'src/net/tcp.rs', 'crate::net', [], paths), 'src/net/mod.rs');
    assert.equal(resolveImport('rust', 'src/lib.rs', 'std::collections::HashMap', [], paths), undefined);
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

  it('names the stems a new file could satisfy and an import could be satisfied by', () => {
    assert.deepEqual(stemsOfPath('src/lib/index.ts'), ['index', 'lib']);
    assert.ok(stemsOfImport('./util.js', []).includes('util'));
    assert.ok(stemsOfImport('.', ['models']).includes('models'));
    assert.equal(normalisePath('a/./b/../c'), 'a/c');
    assert.equal(normalisePath('../a'), undefined);
  });
});
