import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { describeEdges, linkedFrom } from './builders';
import { extract, workspacePerTest, write } from './indexerHarness';

// Python's `from pkg import views` binds the package's module pkg/views.py when pkg/__init__.py binds no name `views`
// (the package is looked in first): `views.index()` is then a use of views.py's index, not of every `index` in reach,
// as `import pkg.views as views` makes it. Where __init__.py binds the name (Flask's `from .app import app`), its
// members are read by their own names, as before.

const VIEWS_PY = 'def index():\n    return 1\n';
const OTHER_PY = 'def index():\n    return 2\n\n\ndef helper():\n    return 3\n';

describe('Python `from pkg import module`', () => {
  const ws = workspacePerTest();
  const built = ws.build;

  beforeEach(() => {
    write(ws.root(), 'pkg/__init__.py', 'VERSION = 1\n');
    write(ws.root(), 'pkg/views.py', VIEWS_PY);
    write(ws.root(), 'pkg/other.py', OTHER_PY);
  });

  it('records a member of a `from … import` name apart, keeping the name itself a reference', async () => {
    const file = await extract('pkg/app.py', 'from . import views\n\n\ndef main():\n    return views.index()\n');
    assert.deepEqual(file.references.map((r) => r.name).sort(), ['views', 'views', 'views:index']);
  });

  it("links `views.index()` of `from . import views` to views.py's index only, not to another module's or the file's own", async () => {
    write(
      ws.root(),
      'pkg/app.py',
      'from . import views, other\n\n\ndef index():\n    return 0\n\n\ndef main():\n    return views.index() + views.helper()\n',
    );
    const { ranking } = await built();
    // (`views.helper`: views.py binds no helper, so it is read by its own name, as before: other.py's.)
    assert.deepEqual(linkedFrom(ranking, 'pkg/app.py', 'main'), ['pkg/other.py#helper', 'pkg/views.py#index']);
  });

  it('links a member of `from pkg import views as v` to that module', async () => {
    write(ws.root(), 'main.py', 'from pkg import views as v\nfrom pkg import other\n\n\ndef main():\n    return v.index() + other.helper()\n');
    const { ranking } = await built();
    assert.deepEqual(linkedFrom(ranking, 'main.py', 'main'), ['pkg/other.py#helper', 'pkg/views.py#index']);
  });

  it("reads a member of a name __init__.py imports (`from .app import app` over pkg/app.py) by its own name, as before", async () => {
    write(ws.root(), 'pkg/__init__.py', 'from .app import app\n');
    write(ws.root(), 'pkg/app.py', 'from web.flask import Flask\n\napp = Flask()\n\n\ndef route(rule):\n    return rule\n');
    write(ws.root(), 'web/flask.py', 'class Flask:\n    def route(self, rule):\n        return rule\n');
    write(ws.root(), 'main.py', 'from web.flask import Flask\nfrom pkg import app, views, other\n\n\ndef main():\n    return app.route("/") + views.index() + other.helper()\n');
    const { ranking } = await built();
    // `app` is __init__.py's (an app of web's Flask): it and its `route` by their names, as before — not pkg/app.py's
    // route alone, as the module's member; views and other are the modules.
    assert.deepEqual(linkedFrom(ranking, 'main.py', 'main'), ['pkg/app.py#app', 'pkg/app.py#route', 'pkg/other.py#helper', 'pkg/views.py#index', 'web/flask.py#route']);
  });

  it('takes the module of a namespace package (no __init__.py)', async () => {
    write(ws.root(), 'ns/views.py', VIEWS_PY);
    write(ws.root(), 'ns/other.py', OTHER_PY);
    write(ws.root(), 'main.py', 'from ns import views, other\n\n\ndef main():\n    return views.index()\n');
    const { ranking } = await built();
    assert.deepEqual(linkedFrom(ranking, 'main.py', 'main'), ['ns/views.py#index']);
  });

  it('follows __init__.py coming to bind the name and the module going, as a fresh ranking index does', async () => {
    write(ws.root(), 'pkg/app.py', 'from . import views, other\n\n\ndef main():\n    return views.index()\n');
    const { index, ranking } = await built();
    describeEdges(ranking);
    const same = (label: string, expected: readonly string[]): void => {
      ranking.sync(index);
      const fresh = new RankingIndex();
      fresh.sync(index);
      assert.deepEqual(describeEdges(ranking), describeEdges(fresh), label);
      assert.deepEqual(linkedFrom(ranking, 'pkg/app.py', 'main'), expected, label);
    };
    same('as built', ['pkg/views.py#index']);
    await index.updateDocument('pkg/__init__.py', 'from .views import index as views\n');
    same('__init__.py binds views', ['pkg/other.py#index', 'pkg/views.py#index']);
    await index.updateDocument('pkg/__init__.py', 'VERSION = 2\n');
    same('__init__.py binds it no more', ['pkg/views.py#index']);
    await index.updateDocument('pkg/views.py', 'def home():\n    return 1\n');
    same('views.py no longer defines index', ['pkg/other.py#index']);
    await index.closeDocument('pkg/views.py');
    same('views.py as on disk', ['pkg/views.py#index']);
    rmSync(path.join(ws.root(), 'pkg/views.py'));
    await index.removeFile('pkg/views.py');
    same('views.py deleted', ['pkg/other.py#index']);
  });
});
