import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { ContextRanker } from '../../../src/core/context/contextRanker';
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

  it("takes the module where __init__.py itself imports it (`from . import views`): that binds the module, no other name", async () => {
    write(ws.root(), 'pkg/__init__.py', 'from . import views\nfrom . import other as views_too\n');
    write(ws.root(), 'main.py', 'from pkg import views, other\n\n\ndef main():\n    return views.index()\n');
    const { ranking } = await built();
    assert.deepEqual(linkedFrom(ranking, 'main.py', 'main'), ['pkg/views.py#index']);
  });

  it('reads by name a member of a name __init__.py binds to another of its modules (`from . import other as views`)', async () => {
    write(ws.root(), 'pkg/__init__.py', 'from . import other as views\n');
    write(ws.root(), 'main.py', 'from pkg import views, other\n\n\ndef main():\n    return views.index()\n');
    const { ranking } = await built();
    assert.deepEqual(linkedFrom(ranking, 'main.py', 'main'), ['pkg/other.py#index', 'pkg/views.py#index']);
  });

  it("adds a member's terms to a file's and a definition's documents once, as one name `index` did", async () => {
    write(ws.root(), 'pkg/third.py', VIEWS_PY);
    // Files ranked as a whole (no definitions) and definitions, each with a twin referencing the plain names instead.
    write(ws.root(), 'run.py', 'from pkg import views, other, third\n\nprint(views.index() + other.index() + third.index() + index)\n');
    write(ws.root(), 'ran.py', 'from pkg import views, other, third\n\nprint(views, other, third, index)\n');
    write(ws.root(), 'alpha.py', 'from pkg import views, other, third\n\n\ndef main():\n    return views.index() + other.index() + third.index()\n');
    write(ws.root(), 'bravo.py', 'from pkg import views, other, third\n\n\ndef main():\n    return views + other + third + index\n');
    const { ranking } = await built();
    const hits = ranking.lexical.search([{ term: 'index', weight: 1, countsForCoverage: true }]);
    const score = (slot: number | undefined): number => (slot === undefined ? assert.fail('no slot') : (hits.score[slot] ?? 0));
    const fileSlot = (file: string): number | undefined => ranking.entry(file)?.fileSlot;
    const mainSlot = (file: string): number | undefined => ranking.entry(file)?.definitionSlots[0];
    assert.ok(score(fileSlot('run.py')) > 0);
    assert.equal(score(fileSlot('run.py')), score(fileSlot('ran.py')));
    assert.ok(score(mainSlot('alpha.py')) > 0);
    assert.equal(score(mainSlot('alpha.py')), score(mainSlot('bravo.py')));
  });

  it('shows a member in reasons as written (`views.index`), and a member once', async () => {
    write(ws.root(), 'pkg/third.py', VIEWS_PY);
    write(ws.root(), 'util.py', 'def compute_value():\n    return 4\n');
    write(
      ws.root(),
      'main.py',
      'from pkg import views, other, third\nfrom util import compute_value\n\n\ndef main():\n    return views.index() + other.index() + third.index() + compute_value()\n',
    );
    const { ranking } = await built();
    const main = new ContextRanker(ranking).rank('index value', {}).find((c) => c.node.kind === 'definition' && c.node.def.name === 'main');
    const reasons = main?.reasons() ?? assert.fail('main not ranked');
    assert.ok(reasons.includes('uses views.index, compute_value, matching index, value'), reasons.join(' | '));
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

  it("follows the files a re-ranked or removed importer reads now, not those it read, as a fresh ranking index does", async () => {
    write(ws.root(), 'ns/views.py', VIEWS_PY);
    write(ws.root(), 'ns/other.py', OTHER_PY);
    write(ws.root(), 'main.py', 'from pkg import views, other\n\n\ndef main():\n    return views.index()\n');
    const { index, ranking } = await built();
    const same = (label: string, expected: readonly string[] | undefined): void => {
      ranking.sync(index);
      const fresh = new RankingIndex();
      fresh.sync(index);
      assert.deepEqual(describeEdges(ranking), describeEdges(fresh), label);
      if (expected !== undefined) assert.deepEqual(linkedFrom(ranking, 'main.py', 'main'), expected, label);
    };
    same('as built', ['pkg/views.py#index']);
    // main.py comes to read ns (a namespace package: no ns/__init__.py), then ns/__init__.py comes, binding views.
    await index.updateDocument('main.py', 'from ns import views, other\n\n\ndef main():\n    return views.index()\n');
    same('main.py imports from ns', ['ns/views.py#index']);
    await index.updateDocument('pkg/__init__.py', 'from .other import index as views\n');
    same('pkg/__init__.py, read no more, binds views', ['ns/views.py#index']);
    write(ws.root(), 'ns/__init__.py', 'from .other import index as views\n');
    await index.updateFile('ns/__init__.py');
    same('ns/__init__.py comes, binding views', ['ns/other.py#index', 'ns/views.py#index']);
    // main.py goes and comes back (its reading dropped and made again), then ns/__init__.py binds views no more.
    rmSync(path.join(ws.root(), 'main.py'));
    await index.removeFile('main.py');
    same('main.py removed', undefined);
    write(ws.root(), 'main.py', 'from ns import views\n\n\ndef main():\n    return views.index()\n');
    await index.updateFile('main.py');
    same('main.py back', ['ns/other.py#index', 'ns/views.py#index']);
    write(ws.root(), 'ns/__init__.py', 'VERSION = 1\n');
    await index.updateFile('ns/__init__.py');
    same('ns/__init__.py binds views no more', ['ns/views.py#index']);
    rmSync(path.join(ws.root(), 'ns/__init__.py'));
    await index.removeFile('ns/__init__.py');
    write(ws.root(), 'ns/__init__.py', 'from .other import index as views\n');
    await index.updateFile('ns/__init__.py');
    same('ns/__init__.py gone and back, binding views', ['ns/other.py#index', 'ns/views.py#index']);
  });
});
