import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import type { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { describeEdges, linkedFrom } from './builders';
import { builtAndRanked, tempWorkspace, write } from './indexerHarness';

// Python's `from gyp import easy_xml`, where easy_xml is a module of the package (gyp/easy_xml.py), is a namespace import
// of that module: `easy_xml.WriteXmlIfChanged()` is a use of easy_xml.py's WriteXmlIfChanged, not of every one in reach.
// Where the name is one the package defines (a class of its __init__.py), its members are read by name as before.

/** A module importing easy_xml and xml_writer, both defining WriteXmlIfChanged, and using easy_xml's. */
const XCODE = 'from gyp import easy_xml\nfrom tools import xml_writer\n\n\ndef Write(content, path):\n    easy_xml.WriteXmlIfChanged(content, path)\n';

describe('Python `from pkg import module` as a namespace import', () => {
  let ws: { root: string; cleanup: () => void };
  const opened: WorkspaceIndex[] = [];

  async function built(): Promise<{ index: WorkspaceIndex; ranking: RankingIndex }> {
    const made = await builtAndRanked(ws.root);
    opened.push(made.index);
    return made;
  }

  beforeEach(() => {
    ws = tempWorkspace();
    write(ws.root, 'gyp/__init__.py', 'def main():\n    return 0\n');
    write(ws.root, 'gyp/easy_xml.py', 'def WriteXmlIfChanged(content, path):\n    return path\n');
    write(ws.root, 'gyp/generator/__init__.py', '');
    write(ws.root, 'gyp/generator/ninja.py', 'def GenerateOutput(targets):\n    return targets\n');
    write(ws.root, 'gyp/generator/msvs.py', 'def GenerateOutput(targets):\n    return None\n');
    // Another WriteXmlIfChanged, which a use by name alone reached too (as a definition of a file the importer imports,
    // preferred, as easy_xml.py's is).
    write(ws.root, 'tools/xml_writer.py', 'def WriteXmlIfChanged(content, path):\n    return None\n');
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((i) => i.dispose()));
    ws.cleanup();
  });

  it("links `easy_xml.WriteXmlIfChanged()` of `from gyp import easy_xml` to easy_xml.py's definition only", async () => {
    write(ws.root, 'gyp/generator/xcode.py', XCODE);
    const { index, ranking } = await built();
    assert.ok(index.files.get('gyp/generator/xcode.py')?.references.some((r) => r.name === 'easy_xml.WriteXmlIfChanged'), 'recorded qualified');
    assert.deepEqual(linkedFrom(ranking, 'gyp/generator/xcode.py', 'Write'), ['gyp/easy_xml.py#WriteXmlIfChanged']);
    assert.ok(linkedFrom(ranking, 'gyp/easy_xml.py', 'WriteXmlIfChanged').includes('gyp/generator/xcode.py#Write'), 'a caller of easy_xml.py');
    assert.ok(!linkedFrom(ranking, 'tools/xml_writer.py', 'WriteXmlIfChanged').includes('gyp/generator/xcode.py#Write'), 'no caller of the other');
  });

  it('links a member of a module imported under another name (`from gyp.generator import ninja as n`, `n.GenerateOutput()`) to that module only', async () => {
    write(ws.root, 'gyp/main.py', 'from gyp.generator import ninja as n, msvs\n\n\ndef Generate(targets):\n    return n.GenerateOutput(targets)\n');
    const { ranking } = await built();
    assert.deepEqual(linkedFrom(ranking, 'gyp/main.py', 'Generate'), ['gyp/generator/ninja.py#GenerateOutput']);
  });

  it('links a member of a module of its own package (`from . import msvs`, `msvs.GenerateOutput()`) to that module only', async () => {
    write(ws.root, 'gyp/generator/all.py', 'from . import msvs, ninja\n\n\ndef Generate(targets):\n    return msvs.GenerateOutput(targets)\n');
    const { ranking } = await built();
    assert.deepEqual(linkedFrom(ranking, 'gyp/generator/all.py', 'Generate'), ['gyp/generator/msvs.py#GenerateOutput']);
  });

  it("reads a member of a name the package's __init__.py defines (`from shop import Cart`, `Cart.total()`) by its own name, as before", async () => {
    write(ws.root, 'shop/__init__.py', 'class Cart:\n    def total(self):\n        return 0\n');
    write(ws.root, 'legacy.py', 'def total(items):\n    return 0\n');
    // The same uses, qualified (`Cart.total`) and written apart (`Cart, total`): the same edges, `total` used once per function.
    const qualified = 'from shop import Cart\n\n\ndef checkout(items):\n    return Cart.total(items) + total(items)\n';
    const apart = 'from shop import Cart\n\n\ndef checkout(items):\n    return Cart, total(items) + total(items)\n';
    write(ws.root, 'app.py', qualified);
    const { index, ranking } = await built();
    assert.deepEqual(
      index.files.get('app.py')?.references.filter((r) => r.enclosing !== undefined).map((r) => r.name),
      ['items', 'Cart', 'Cart.total', 'total'],
    );
    assert.deepEqual(linkedFrom(ranking, 'app.py', 'checkout'), ['shop/__init__.py#Cart', 'shop/__init__.py#total']);
    const edges = describeEdges(ranking);
    write(ws.root, 'app.py', apart);
    await index.updateFile('app.py');
    const fresh = new RankingIndex();
    fresh.sync(index);
    assert.deepEqual(edges, describeEdges(fresh));
  });

  it('keeps the edges a fresh index has as the module comes and goes (a name of the package, then a module of it, then none)', async () => {
    rmSync(path.join(ws.root, 'gyp/easy_xml.py'));
    write(ws.root, 'gyp/generator/xcode.py', XCODE);
    const { index, ranking } = await built();
    // (No module easy_xml: the member is read by its name, as before.)
    assert.deepEqual(linkedFrom(ranking, 'gyp/generator/xcode.py', 'Write'), ['tools/xml_writer.py#WriteXmlIfChanged']);
    const steps: readonly [string, string | undefined, string[]][] = [
      ['gyp/easy_xml.py', 'def WriteXmlIfChanged(content, path):\n    return path\n', ['gyp/easy_xml.py#WriteXmlIfChanged']],
      ['gyp/easy_xml.py', undefined, ['tools/xml_writer.py#WriteXmlIfChanged']],
    ];
    describeEdges(ranking);
    for (const [file, text, linked] of steps) {
      if (text === undefined) rmSync(path.join(ws.root, file));
      else write(ws.root, file, text);
      await index.updateFile(file);
      ranking.sync(index);
      // (Every edge asked first, as queries fill the memo, then compared with a fresh index of the same files.)
      const fresh = new RankingIndex();
      fresh.sync(index);
      assert.deepEqual(describeEdges(ranking), describeEdges(fresh), `after ${text === undefined ? 'removing' : 'adding'} ${file}`);
      assert.deepEqual(linkedFrom(ranking, 'gyp/generator/xcode.py', 'Write'), linked);
    }
  });
});
