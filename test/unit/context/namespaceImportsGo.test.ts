import assert from 'node:assert/strict';
import { ContextEngine } from '../../../src/core/context/contextEngine';
import { FileProcessor } from '../../../src/core/context/fileProcessor';
import { isSideEffectImport, namespaceNameOf } from '../../../src/core/context/model';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { StoredFile, type FileData } from '../../../src/core/context/storedFile';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { describeEdges, linkedFrom as linkedTo } from './builders';
import { builtAndRanked, extract, loader, recordingLogger, tempWorkspace, write } from './indexerHarness';

/**
 * A Go module whose packages user and order both define `New`: a caller of `user.New()` (or of `u.New()`, the package
 * imported as u) uses user's, whatever else is imported.
 */
const SHOP: Readonly<Record<string, string>> = {
  'shop/go.mod': 'module example.com/shop\n\ngo 1.22\n',
  'shop/internal/user/user.go': 'package user\n\n// User is a customer.\ntype User struct{ Name string }\n\n// New makes a user.\nfunc New() *User {\n\treturn &User{}\n}\n',
  // (A second file of the package, importing order: none of order's names is user's, Go passes no name on.)
  'shop/internal/user/store.go': 'package user\n\nimport "example.com/shop/internal/order"\n\n// Save keeps a user\'s order.\nfunc Save(o *order.Order) {}\n',
  'shop/internal/order/order.go': 'package order\n\n// Order is a purchase.\ntype Order struct{ ID int }\n\n// New makes an order.\nfunc New() *Order {\n\treturn &Order{}\n}\n\n// Total sums orders.\nfunc Total() int {\n\treturn 0\n}\n',
};

/** main.go of the shop importing user (as `alias`, or by its name) and order, calling `<user's name>.New()` in register. */
function mainGo(alias = ''): string {
  const name = alias || 'user';
  return [
    'package main',
    '',
    'import (',
    '\t"example.com/shop/internal/order"',
    `\t${alias ? `${alias} ` : ''}"example.com/shop/internal/user"`,
    ')',
    '',
    '// register signs a customer up.',
    'func register() {',
    `\t${name}.New()`,
    '}',
    '',
    '// count counts the orders.',
    'func count() int {',
    '\treturn order.Total()',
    '}',
    '',
  ].join('\n');
}

/** The definitions of other files the out-edges of `name` of `from` reach, as file#name, sorted. */
function linkedFrom(ranking: RankingIndex, from: string, name: string): string[] {
  return linkedTo(ranking, from, name, true);
}

/** The slot of file#name in a ranking index, as the one element of a list. */
function linkedSlots(ranking: RankingIndex, file: string, name: string): number[] {
  const slot = ranking.entry(file)?.definitionSlots.find((s) => {
    const n = ranking.node(s);
    return n?.kind === 'definition' && n.def.name === name;
  });
  assert.ok(slot !== undefined, `${file}#${name}`);
  return [slot];
}

describe('Go package imports as namespace imports', () => {
  let ws: { root: string; cleanup: () => void } | undefined;
  const opened: WorkspaceIndex[] = [];

  afterEach(async () => {
    for (const index of opened.splice(0)) await index.dispose();
    ws?.cleanup();
    ws = undefined;
  });

  /** An index of a workspace of these files, built, and its ranking index. */
  async function indexOf(files: Readonly<Record<string, string>>): Promise<{ index: WorkspaceIndex; ranking: RankingIndex }> {
    ws = tempWorkspace();
    for (const [rel, text] of Object.entries(files)) write(ws.root, rel, text);
    const built = await builtAndRanked(ws.root);
    opened.push(built.index);
    return built;
  }

  it("names each import's package as Go code calls it: by its alias, else the path's last segment past a major version; `_` and `.` none", async () => {
    const file = await extract(
      'cmd/app/main.go',
      [
        'package main',
        '',
        'import (',
        '\t"fmt"',
        '\tu "example.com/shop/internal/user"',
        '\t"github.com/acme/client/v2"',
        '\t"gopkg.in/yaml.v3"',
        '\t"github.com/redis/go-redis"',
        '\t"example.com/x/v3"',
        '\t. "example.com/shop/internal/money"',
        '\t_ "example.com/shop/internal/driver"',
        ')',
        '',
        'func main() {',
        '\tfmt.Println(u.New(), client.Dial(), yaml.Marshal, redis.Ping(), x.Run(), Cents(1))',
        '}',
        '',
      ].join('\n'),
    );
    const namespaces = file.imports.map((i) => [i.source, namespaceNameOf(i.names) ?? null, isSideEffectImport(i)]);
    assert.deepEqual(namespaces, [
      ['fmt', null, false],
      ['fmt', 'fmt', false],
      ['example.com/shop/internal/user', null, false],
      ['example.com/shop/internal/user', 'u', false],
      ['github.com/acme/client/v2', null, false],
      ['github.com/acme/client/v2', 'client', false],
      ['gopkg.in/yaml.v3', null, false],
      ['gopkg.in/yaml.v3', 'yaml', false],
      // (No Go identifier: its package's name is no telling, its uses are read by name as before.)
      ['github.com/redis/go-redis', null, false],
      ['example.com/x/v3', null, false],
      ['example.com/x/v3', 'x', false],
      // A dot import's names are used unqualified: the whole package, no namespace; a blank import only runs the package.
      ['example.com/shop/internal/money', null, false],
      ['example.com/shop/internal/driver', null, true],
    ]);
    // Members qualified by their namespace (no reference to the namespace itself); go-redis's by name, as the dot import's.
    assert.deepEqual(file.references.map((r) => r.name).sort(), ['Cents', 'Ping', 'client.Dial', 'fmt.Println', 'main', 'redis', 'u.New', 'x.Run', 'yaml.Marshal']);
  });

  it("links a caller of `user.New()` to package user's New, not to order's New it also imports", async () => {
    // (The references were `user` and `New`: every `New` in reach, order's as much as user's.)
    const { index, ranking } = await indexOf({ ...SHOP, 'shop/cmd/app/main.go': mainGo() });
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/app/main.go', 'register'), ['shop/internal/user/user.go#New']);
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/app/main.go', 'count'), ['shop/internal/order/order.go#Total']);
    assert.deepEqual(ranking.resolveName('user.New', 'shop/cmd/app/main.go').slots, linkedSlots(ranking, 'shop/internal/user/user.go', 'New'));
    // The file's imports weigh the member it uses more than the rest of the package (an even share of its definitions).
    const { targets, weights } = ranking.edges(ranking.entry('shop/cmd/app/main.go')?.fileSlot ?? -1);
    const weightOf = (file: string, name: string): number => weights[targets.indexOf(linkedSlots(ranking, file, name)[0] ?? -1)] ?? 0;
    assert.ok(weightOf('shop/internal/user/user.go', 'New') > weightOf('shop/internal/user/user.go', 'User'), `${weightOf('shop/internal/user/user.go', 'New')}`);
    assert.ok(weightOf('shop/internal/user/user.go', 'User') > 0, 'the rest of the package is still imported');
    assert.equal(weightOf('shop/internal/user/user.go', 'User'), weightOf('shop/internal/user/store.go', 'Save'), 'the package pooled as one import');
    // And so ranked: user's New is used by the active file, order's only lies in a package it imports.
    const engine = new ContextEngine({ index, clock: systemClock, logger: recordingLogger(), defaults: { budget: 50_000, relevanceThreshold: 0 } });
    const result = await engine.getRelevantContext({ query: 'make a new one', activeFile: 'shop/cmd/app/main.go' });
    const reasonsOf = (file: string): readonly string[] => result.items.find((i) => i.file === file && i.symbol === 'New')?.reasons ?? assert.fail(`${file}#New not ranked`);
    assert.ok(reasonsOf('shop/internal/user/user.go').some((r) => r.startsWith('used by')), reasonsOf('shop/internal/user/user.go').join('; '));
    assert.ok(!reasonsOf('shop/internal/order/order.go').some((r) => r.startsWith('used by')), reasonsOf('shop/internal/order/order.go').join('; '));
  });

  it("gives package user's New its callers through the namespace (`user.New()`), and no other file of the package those callers", async () => {
    const { ranking } = await indexOf({ ...SHOP, 'shop/cmd/app/main.go': mainGo(), 'shop/cmd/tool/main.go': mainGo('u') });
    const callers = (file: string, name: string): string[] => linkedFrom(ranking, file, name).filter((l) => l.startsWith('shop/cmd/'));
    assert.deepEqual(callers('shop/internal/user/user.go', 'New'), ['shop/cmd/app/main.go#register', 'shop/cmd/tool/main.go#register']);
    assert.deepEqual(callers('shop/internal/user/store.go', 'Save'), []);
    assert.deepEqual(callers('shop/internal/order/order.go', 'New'), []);
    assert.deepEqual(callers('shop/internal/order/order.go', 'Total'), ['shop/cmd/app/main.go#count', 'shop/cmd/tool/main.go#count']);
  });

  it("links `user.New()` to package user's New however many packages define a New (each of the package's files asked, past a few)", async () => {
    const others = Object.fromEntries(Array.from({ length: 10 }, (_, i) => [`shop/internal/p${i}/p.go`, `package p${i}\n\n// New makes a p${i}.\nfunc New() int {\n\treturn ${i}\n}\n`]));
    const { ranking } = await indexOf({ ...SHOP, ...others, 'shop/cmd/app/main.go': mainGo() });
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/app/main.go', 'register'), ['shop/internal/user/user.go#New']);
    assert.deepEqual(linkedFrom(ranking, 'shop/internal/user/user.go', 'New').filter((l) => l.startsWith('shop/cmd/')), ['shop/cmd/app/main.go#register']);
  });

  it('links a caller through an aliased import (`u.New()` of `import u "…/user"`) to that package\'s New only', async () => {
    const { ranking } = await indexOf({ ...SHOP, 'shop/cmd/app/main.go': mainGo('u') });
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/app/main.go', 'register'), ['shop/internal/user/user.go#New']);
  });

  it('links `client.New()` of a major version\'s path ("…/client/v2") to that module\'s New only', async () => {
    const main = 'package main\n\nimport (\n\t"example.com/client/v2"\n\t"example.com/shop/internal/user"\n)\n\nfunc connect() {\n\tclient.New()\n}\n\nvar _ = user.User{}\n';
    const { ranking } = await indexOf({
      ...SHOP,
      'client/go.mod': 'module example.com/client/v2\n\ngo 1.22\n',
      'client/client.go': 'package client\n\n// New dials.\nfunc New() int {\n\treturn 1\n}\n',
      'shop/cmd/app/main.go': main,
    });
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/app/main.go', 'connect'), ['client/client.go#New']);
  });

  it('reads a dot import\'s names unqualified, by name, as before, beside a package imported by its name', async () => {
    const main = 'package main\n\nimport (\n\t. "example.com/shop/internal/user"\n\t"example.com/shop/internal/order"\n)\n\nfunc register() {\n\tNew()\n}\n\nfunc count() int {\n\treturn order.Total()\n}\n';
    const { index, ranking } = await indexOf({ ...SHOP, 'shop/cmd/app/main.go': main });
    assert.deepEqual(
      index.files.get('shop/cmd/app/main.go')?.imports.map((i) => [i.source, namespaceNameOf(i.names) ?? null]),
      [
        ['example.com/shop/internal/user', null],
        ['example.com/shop/internal/order', null],
        ['example.com/shop/internal/order', 'order'],
      ],
    );
    // (A bare name is matched in reach as it was: user's New by the dot import, and order's, whose package is imported whole.)
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/app/main.go', 'register'), ['shop/internal/order/order.go#New', 'shop/internal/user/user.go#New']);
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/app/main.go', 'count'), ['shop/internal/order/order.go#Total']);
  });

  it("qualifies an open document's `user.New` as its import of user comes and goes, as a fresh extraction of its text does", async () => {
    const file = 'cmd/app/main.go';
    const importLine = '\t"example.com/shop/internal/user"\n';
    const edits: readonly { anchor: string; deleteCount: number; insert: string }[] = [
      // The import added, then a call typed in a body (references collected around the edit: with the namespace), then removed.
      { anchor: ')\n\n// register', deleteCount: 0, insert: importLine },
      { anchor: '}\n\n// count', deleteCount: 0, insert: '\tuser.New()\n' },
      { anchor: importLine, deleteCount: importLine.length, insert: '' },
      // Added back under an alias: `user.New` is no member of a namespace then.
      { anchor: ')\n\n// register', deleteCount: 0, insert: `\tpeople${importLine.slice(1)}` },
    ];
    const refsOf = (data: FileData): string[] => [...new Set(new StoredFile(data).references.map((r) => r.name))].sort();
    const documents = new FileProcessor(loader(), 1 << 20);
    const fresh = new FileProcessor(loader(), 1 << 20);
    const seen: string[][] = [];
    try {
      let text = mainGo().replace(importLine, '');
      await documents.processDocument(file, text, []);
      for (const { anchor, deleteCount, insert } of edits) {
        const at = text.indexOf(anchor);
        assert.ok(at >= 0, anchor);
        const next = text.slice(0, at) + insert + text.slice(at + deleteCount);
        let updated = await documents.processDocument(file, next, [{ start: at, deleteCount, text: insert }]);
        let expected: FileData;
        try {
          expected = await fresh.processDocument(file, next);
        } finally {
          fresh.closeDocument(file);
        }
        if (documents.needsSettling(file)) {
          const settled = await documents.settleDocument(file, next);
          assert.equal(settled.kind, 'settled', anchor);
          if (settled.kind === 'settled') updated = settled.file;
        }
        assert.deepEqual(updated, expected, anchor);
        seen.push(refsOf(updated).filter((n) => n.includes('New')));
        text = next;
      }
    } finally {
      documents.dispose();
      fresh.dispose();
    }
    assert.deepEqual(seen, [['user.New'], ['user.New'], ['New'], ['New']]);
  });

  it('keeps one row of its member table for a member of a package of many files (not one per file of the package)', async () => {
    // (A row per file of the package: 20 members of 8 packages of 40 files each, 6,400 rows for one importing file.)
    const files: Record<string, string> = { ...SHOP, 'shop/cmd/main.go': mainGo() };
    for (let k = 0; k < 12; k++) files[`shop/internal/user/extra${k}.go`] = `package user\n\n// Extra${k} does a thing.\nfunc Extra${k}() {}\n`;
    const { ranking } = await indexOf(files);
    const table = (ranking as unknown as { namespaceMembersByFile: (Int32Array | undefined)[]; fileIds: Map<string, number> });
    const members = table.namespaceMembersByFile[table.fileIds.get('shop/cmd/main.go') ?? -1];
    // user.New and order.Total: four numbers each.
    assert.equal(members?.length, 8);
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/main.go', 'register'), ['shop/internal/user/user.go#New']);
  });

  it("links nothing by a member the package does not define (a variable named as the package: `order := order.New(); order.Close()`)", async () => {
    // (Read by its own name, `Close` would be every Close in reach, and as wrong for a JSON or CSS module's namespace, a
    // renamed export the member lookup misses, or a package past the resolver's file cap: not guessed.)
    const text = ['package main', '', 'import "example.com/shop/internal/order"', '', '// keep keeps an order.', 'func keep() {', '\torder := order.New()', '\torder.Close()', '}', ''].join('\n');
    const closer = 'package store\n\n// Close closes a thing.\nfunc Close() {}\n';
    const { ranking } = await indexOf({ ...SHOP, 'shop/cmd/main.go': text, 'shop/internal/store/close.go': closer });
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/main.go', 'keep'), ['shop/internal/order/order.go#New']);
  });

  it("links nothing by a member its package lacks but a file of it imports (`user.Total()`, user's store.go dot-importing order): Go passes no name on", async () => {
    const store = "package user\n\nimport . \"example.com/shop/internal/order\"\n\n// Save keeps a user's order.\nfunc Save(o *Order) {}\n";
    const text = mainGo().replace('\tuser.New()', '\tuser.Total()');
    const { ranking } = await indexOf({ ...SHOP, 'shop/internal/user/store.go': store, 'shop/cmd/app/main.go': text });
    assert.deepEqual(linkedFrom(ranking, 'shop/cmd/app/main.go', 'register'), []);
    assert.deepEqual(ranking.resolveName('user.Total', 'shop/cmd/app/main.go').slots, []);
    // (The dot import itself still reads order's names unqualified in store.go.)
    assert.deepEqual(linkedFrom(ranking, 'shop/internal/user/store.go', 'Save'), ['shop/internal/order/order.go#Order']);
  });

  it("holds one list of a package's files for all its importers (the whole package's edge, and the namespace's)", async () => {
    const second = mainGo().replace('package main', 'package main\n\n// (a second command)');
    const { index } = await indexOf({ ...SHOP, 'shop/cmd/app/main.go': mainGo(), 'shop/cmd/tool/main.go': second });
    const userEdges = (path: string): (readonly unknown[] | undefined)[] =>
      index.files.get(path)?.imports.filter((i) => i.source === 'example.com/shop/internal/user').map((i) => i.targets) ?? [];
    const [whole, namespace] = userEdges('shop/cmd/app/main.go');
    assert.equal(whole?.length, 2, 'user.go and store.go');
    assert.deepEqual(userEdges('shop/cmd/tool/main.go'), [whole, namespace]);
    assert.ok(userEdges('shop/cmd/tool/main.go')[0] === whole && userEdges('shop/cmd/tool/main.go')[1] === namespace, 'the same lists');
  });

  it('keeps the edges of an importer and of what it uses through a package as a fresh index has them after edits', async () => {
    const { index, ranking } = await indexOf({ ...SHOP, 'shop/cmd/main.go': mainGo() });
    const main = (call: string): string => mainGo().replace('\treturn order.Total()', `\treturn ${call}`);
    const edits: readonly [string, string][] = [
      // order.ID, which package order does not define (no edge), an ID of a package main does not import, then order's own,
      ['shop/cmd/main.go', main('order.ID()')],
      ['shop/internal/store/id.go', 'package store\n\n// ID names a store.\nfunc ID() int {\n\treturn 2\n}\n'],
      ['shop/internal/order/order.go', `${SHOP['shop/internal/order/order.go'] ?? ''}\n// ID names an order.\nfunc ID() int {\n\treturn 1\n}\n`],
      ['shop/cmd/main.go', main('order.Total() + order.ID()')],
      ['shop/cmd/main.go', main('order.ID()').replace('"example.com/shop/internal/order"', 'order "example.com/shop/internal/user"')],
    ];
    describeEdges(ranking);
    for (const [path, text] of edits) {
      write(ws?.root ?? '', path, text);
      await index.updateFile(path);
      ranking.sync(index);
      // (Every edge asked first, as queries fill the memo, then compared with a fresh index of the same files.)
      const fresh = new RankingIndex();
      fresh.sync(index);
      assert.deepEqual(describeEdges(ranking), describeEdges(fresh), `after ${path}`);
    }
  });
});

