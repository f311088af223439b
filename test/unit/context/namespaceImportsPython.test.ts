import assert from 'node:assert/strict';
import { FileProcessor } from '../../../src/core/context/fileProcessor';
import type { IndexedFile } from '../../../src/core/context/model';
import type { FileData } from '../../../src/core/context/storedFile';
import { linkedFrom } from './builders';
import { extract, loader, workspacePerTest, write } from './indexerHarness';

// Python's `import alpha` / `import beta as b` are namespace imports (model.ts namespaceNameOf): `alpha.run()` is a use
// of alpha.py's run, not of every `run` in reach, as JS/TS's `import * as Option` makes `Option.some` Option's.

/** The names of the references `definition` of `file` encloses, sorted. */
function referencesIn(file: IndexedFile, definition: string): string[] {
  const id = file.definitions.find((d) => d.name === definition)?.id ?? assert.fail(`${definition} not defined`);
  return file.references.filter((r) => r.enclosing === id).map((r) => r.name).sort();
}

describe('Python namespace imports', () => {
  it('records a member of `import alpha` / `import beta as b` / `import shop.cart` (a dotted namespace) qualified', async () => {
    const file = await extract(
      'app.py',
      [
        'import alpha', // 1
        'import beta as b, gamma', // 2
        'import shop.cart', // 3
        'import shop.cart as c', // 4
        '', // 5
        '', // 6
        'def main():', // 7
        '    shop.cart.total()', // 8
        '    c.total()', // 9
        '    return alpha.run() + b.run() + gamma.stop()', // 10
      ].join('\n'),
    );
    assert.deepEqual(
      file.imports.map((i) => [i.source, [...i.names]]),
      [
        ['alpha', []],
        ['alpha', ['as alpha']],
        ['beta', []],
        ['beta', ['as b']],
        ['gamma', []],
        ['gamma', ['as gamma']],
        // `import shop.cart` binds `shop`, and the module is `shop.cart` to the file's code: a dotted namespace.
        ['shop.cart', []],
        ['shop.cart', ['as shop.cart']],
        ['shop.cart', []],
        ['shop.cart', ['as c']],
      ],
    );
    // (`cart` of `shop.cart.total`: a name of the package, bound by no import of it.)
    assert.deepEqual(referencesIn(file, 'main'), ['alpha.run', 'b.run', 'c.total', 'cart', 'gamma.stop', 'shop', 'shop.cart.total']);
  });

  describe('in a workspace', () => {
    const ws = workspacePerTest();
    const built = ws.build;

    beforeEach(() => {
      write(ws.root(), 'alpha.py', 'def run():\n    return 1\n');
      write(ws.root(), 'beta.py', 'def run():\n    return 2\n');
      // A package whose __init__.py passes a name of its submodule on, and another `total`.
      write(ws.root(), 'shop/__init__.py', 'from .cart import total\n');
      write(ws.root(), 'shop/cart.py', 'def total(items):\n    return len(items)\n');
      write(ws.root(), 'legacy.py', 'def total(items):\n    return 0\n');
      // A workspace `path`, which `os.path` of the standard library's os is not.
      write(ws.root(), 'paths.py', 'def path(name):\n    return name\n');
    });

    it("links `alpha.run()` to alpha.py's run only, not to beta.py's, which `import beta as b` brings too", async () => {
      write(ws.root(), 'app.py', 'import alpha\nimport beta as b\n\n\ndef main():\n    return alpha.run()\n');
      const { index, ranking } = await built();
      // The namespace's edge resolves as the whole module's does.
      assert.deepEqual(
        index.files.get('app.py')?.imports.map((i) => [i.source, [...i.names], i.resolved]),
        [
          ['alpha', [], 'alpha.py'],
          ['alpha', ['as alpha'], 'alpha.py'],
          ['beta', [], 'beta.py'],
          ['beta', ['as b'], 'beta.py'],
        ],
      );
      assert.deepEqual(linkedFrom(ranking, 'app.py', 'main'), ['alpha.py#run']);
      assert.ok(!linkedFrom(ranking, 'beta.py', 'run').includes('app.py#main'), "beta's run is not used by main");
      assert.ok(linkedFrom(ranking, 'alpha.py', 'run').includes('app.py#main'), "alpha's run is used by main");
    });

    it("links a member of a package (`import shop as s`, `s.total()`) to what its __init__.py imports, not to another total", async () => {
      write(ws.root(), 'app.py', 'import shop as s\n\n\ndef checkout(items):\n    return s.total(items)\n');
      const { index, ranking } = await built();
      assert.equal(index.files.get('app.py')?.imports[1]?.resolved, 'shop/__init__.py');
      assert.deepEqual(linkedFrom(ranking, 'app.py', 'checkout'), ['shop/cart.py#total']);
    });

    it('links a member of a dotted namespace (`import shop.cart`, `shop.cart.total()`) to that module\'s definition, not to another total', async () => {
      // (`legacy.total` is imported too: by name alone, `total` was a use of both.)
      write(ws.root(), 'app.py', 'import legacy\nimport shop.cart\n\n\ndef checkout(items):\n    return shop.cart.total(items)\n');
      const { index, ranking } = await built();
      assert.deepEqual(
        index.files.get('app.py')?.imports.map((i) => [i.source, [...i.names], i.resolved]),
        [
          ['legacy', [], 'legacy.py'],
          ['legacy', ['as legacy'], 'legacy.py'],
          ['shop.cart', [], 'shop/cart.py'],
          ['shop.cart', ['as shop.cart'], 'shop/cart.py'],
        ],
      );
      assert.deepEqual(linkedFrom(ranking, 'app.py', 'checkout'), ['shop/cart.py#total']);
    });

    it('links nothing by a member of an unresolved module (`os.path`), not a workspace definition of the name', async () => {
      write(ws.root(), 'app.py', 'import os\n\n\ndef where(name):\n    return os.path.join(name)\n');
      const { index, ranking } = await built();
      assert.ok(index.files.get('app.py')?.references.some((r) => r.name === 'os.path'), 'os.path is recorded qualified');
      assert.deepEqual(linkedFrom(ranking, 'app.py', 'where'), []);
    });
  });

  it('re-qualifies the members of an open document as `import alpha` is added, renamed and removed, as a fresh extraction does', async () => {
    const file = 'app.py';
    const text = 'import beta\n\n\ndef main():\n    return alpha.run() + beta.run()\n\n\ndef other():\n    return alpha.stop()\n';
    const edits: readonly { anchor: string; offset?: number; deleteCount?: number; insert: string }[] = [
      { anchor: 'import beta', insert: 'import alpha\n' },
      { anchor: 'alpha.stop()', insert: 'alpha.start() or ' },
      { anchor: 'import alpha', offset: 'import alpha'.length, insert: ' as alpha' },
      { anchor: ' as alpha', offset: ' as '.length, deleteCount: 'alpha'.length, insert: 'a' },
      { anchor: 'import alpha as a\n', deleteCount: 'import alpha as a\n'.length, insert: '' },
    ];
    /** Whether each edit's result records alpha's members qualified. */
    const qualified = [true, true, true, false, false];
    const documents = new FileProcessor(loader(), 1 << 20);
    const fresh = new FileProcessor(loader(), 1 << 20);
    const freshExtraction = async (next: string): Promise<FileData> => {
      try {
        return await fresh.processDocument(file, next);
      } finally {
        fresh.closeDocument(file);
      }
    };
    try {
      let current = text;
      await documents.processDocument(file, current, []);
      for (const [i, { anchor, offset = 0, deleteCount = 0, insert }] of edits.entries()) {
        const at = current.indexOf(anchor) + offset;
        assert.ok(at >= offset, anchor);
        const next = current.slice(0, at) + insert + current.slice(at + deleteCount);
        const updated = await documents.processDocument(file, next, [{ start: at, deleteCount, text: insert }]);
        assert.deepEqual(updated, await freshExtraction(next), `${JSON.stringify(insert)} at ${JSON.stringify(anchor)}`);
        const names = new Set(updated.identifiers);
        assert.equal(names.has('alpha.stop'), qualified[i], `${JSON.stringify(insert)} at ${JSON.stringify(anchor)}: alpha.stop`);
        assert.ok(names.has('beta.run'), 'beta.run');
        current = next;
      }
    } finally {
      documents.dispose();
      fresh.dispose();
    }
  });
});
