import assert from 'node:assert/strict';
import { ContextRanker, DEFAULT_TUNING, type RankedCandidate, type RankingHints } from '../../../src/core/context/contextRanker';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { CancellationError } from '../../../src/core/errors';
import { FixtureIndex, generatedWorkspace, referenceSpec, rustUseGroup, sampleWorkspace, seededRandom, type DefinitionSpec, type FileSpec } from './builders';
import { extract, namespaceWorkspace } from './indexerHarness';

function rankerFor(fixture: FixtureIndex): ContextRanker {
  const index = new RankingIndex();
  index.sync(fixture);
  return new ContextRanker(index);
}

const nameOf = (c: RankedCandidate): string => (c.node.kind === 'definition' ? c.node.def.name : c.node.path);
const names = (cs: readonly RankedCandidate[]): string[] => cs.map(nameOf);

function rank(query: string, hints: RankingHints = {}, fixture = new FixtureIndex(sampleWorkspace())): RankedCandidate[] {
  return rankerFor(fixture).rank(query, hints);
}

function find(cs: readonly RankedCandidate[], name: string): RankedCandidate {
  const c = cs.find((x) => nameOf(x) === name);
  assert.ok(c, `${name} not ranked`);
  return c;
}

const helperFile = (name: string): FileSpec => ({ text: `export function ${name}(id: string): void {\n  return;\n}\n`, defs: [{ name, lines: [1, 3] }] });

/** A documented function importing and calling each of `calls` from src/steps/. */
function callerFile(name: string, doc: string, calls: readonly string[]): FileSpec {
  return {
    text: [...calls.map((c) => `import { ${c} } from '../steps/${c}';`), `/** ${doc} */`, `export function ${name}(id: string): void {`, ...calls.map((c) => `  ${c}(id);`), '}', ''].join('\n'),
    defs: [{ name, lines: [calls.length + 2, 2 * calls.length + 3], docStartLine: calls.length + 1, doc }],
    refs: calls.map((c, i) => `${c}@${calls.length + 3 + i}`),
    imports: calls.map((c, i) => ({ source: `../steps/${c}`, names: [c], line: i + 1, resolved: `src/steps/${c}.ts` })),
  };
}

const REFUND_QUERY = 'refund an order and notify the customer by mail';

/**
 * refundOrder matches REFUND_QUERY best and calls creditAccount among twelve steps; restockOrder, a lesser match, calls
 * reserveShelf among five, so the walk gives reserveShelf more of its mass than creditAccount; thirty receipts match
 * one word of the prompt and all call formatAmount.
 */
function refundWorkspace(): Record<string, FileSpec> {
  const refundSteps = ['creditAccount', ...Array.from({ length: 11 }, (_, i) => `refundStep${i}`)];
  const restockSteps = ['reserveShelf', 'loadStock', 'lockStock', 'auditStock', 'closeStock'];
  const files: Record<string, FileSpec> = {
    'src/orders/refund.ts': callerFile('refundOrder', 'Refunds an order and notifies the customer by mail.', refundSteps),
    'src/orders/restock.ts': callerFile('restockOrder', 'Restocks a refund order and notifies the customer by mail.', restockSteps),
    'src/steps/formatAmount.ts': helperFile('formatAmount'),
  };
  for (const step of [...refundSteps, ...restockSteps]) files[`src/steps/${step}.ts`] = helperFile(step);
  for (let i = 0; i < 30; i++) files[`src/receipts/receipt${i}.ts`] = callerFile(`printReceipt${i}`, `Prints receipt ${i} of an order.`, ['formatAmount']);
  return files;
}

describe('context ranker', () => {
  it('ranks the same workspace the same whatever order its files were indexed in (parser threads finish in any order)', () => {
    const workspace = Object.entries(generatedWorkspace(7, 60));
    const inOrder = rankerFor(new FixtureIndex(Object.fromEntries(workspace)));
    const shuffled = [...workspace];
    const random = seededRandom(3);
    for (let i = shuffled.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [shuffled[i], shuffled[j]] = [shuffled[j] as (typeof shuffled)[number], shuffled[i] as (typeof shuffled)[number]];
    }
    const outOfOrder = rankerFor(new FixtureIndex(Object.fromEntries(shuffled.reverse())));
    const scored = (cs: readonly RankedCandidate[]): string[] => cs.map((c) => `${nameOf(c)} ${c.score}`);
    for (const query of ['parse the config', 'load user records', 'render a page', 'cache entries', 'retry the request']) {
      assert.deepEqual(scored(outOfOrder.rank(query, {})), scored(inOrder.rank(query, {})), query);
    }
  });

  it('puts a definition named in the query first, and says so', () => {
    const ranked = rank('make parseConfig accept YAML');
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'parseConfig');
    assert.ok(find(ranked, 'parseConfig').reasons().includes("name 'parseConfig' appears in the query"));
  });

  it('matches identifier sub-tokens of names', () => {
    const ranked = rank('convert a title to kebab case');
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'toKebabCase');
    assert.ok(find(ranked, 'toKebabCase').reasons().some((r) => r.startsWith("name 'toKebabCase' matches query words kebab, case")));
  });

  it('matches doc comment words when the name says nothing', () => {
    const ranked = rank('evict the least recently touched entries');
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'LruCache');
    assert.ok(find(ranked, 'LruCache').reasons().some((r) => r.startsWith('doc comment mentions') && r.includes('least') && r.includes('recently')));
  });

  it('ranks what the active file references above unrelated code when the query has no matching words', () => {
    const ranked = rank('add a retry loop', { activeFile: 'src/server/startServer.ts' });
    const top = names(ranked.slice(0, 2)).sort();
    assert.deepEqual(top, ['HttpServer', 'parseConfig']);
    const parseConfig = find(ranked, 'parseConfig');
    assert.ok(parseConfig.reasons().includes('referenced from the active file src/server/startServer.ts'));
    assert.ok(parseConfig.reasons().includes('imported by name into the active file'));
    // Two hops away through parseConfig, readTextFile still beats code the active file never reaches.
    const readTextFile = find(ranked, 'readTextFile');
    assert.ok(readTextFile.graph > 0);
    assert.ok(!ranked.some((c) => nameOf(c) === 'toKebabCase') || readTextFile.score > find(ranked, 'toKebabCase').score);
  });

  it('matches an undocumented definition by the names its body uses', () => {
    const ranked = rank('where do we read files with a sync call');
    const readTextFile = find(ranked, 'readTextFile');
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'readTextFile');
    assert.ok(readTextFile.reasons().includes('uses readFileSync, matching sync'), readTextFile.reasons().join(' | '));
  });

  it('lifts a graph neighbour of the best lexical match above an unrelated definition', () => {
    const ranked = rank('parse the config');
    const readTextFile = find(ranked, 'readTextFile');
    assert.ok(readTextFile.graph > 0, 'reached through parseConfig');
    assert.ok(readTextFile.reasons().includes("used by 'parseConfig', which matches the query"));
    assert.ok(!ranked.some((c) => nameOf(c) === 'splitWords'));
  });

  it('lifts what the best lexical matches use directly by how good a match each is (what weaker matches use is not lifted)', () => {
    const ranked = rank(REFUND_QUERY, {}, new FixtureIndex(refundWorkspace()));
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'refundOrder');
    const best = find(ranked, 'refundOrder');
    const credit = find(ranked, 'creditAccount');
    const format = find(ranked, 'formatAmount');
    const share = find(ranked, 'restockOrder').lexical / best.lexical;
    assert.ok(share >= 0.5 && share < 0.95, `restockOrder is a lesser best match: ${share}`);
    const shelf = find(ranked, 'reserveShelf');
    assert.ok(credit.score > shelf.score && shelf.score > format.score, `${credit.score} > ${shelf.score} > ${format.score}`);
    assert.equal(credit.graph, DEFAULT_TUNING.usedByBestMatch);
    assert.ok(Math.abs(shelf.graph - DEFAULT_TUNING.usedByBestMatch * share) < 1e-9, `reserveShelf ${shelf.graph}`);
    assert.ok(credit.reasons().includes("used by 'refundOrder', which matches the query"));
    assert.ok(shelf.reasons().includes("used by 'restockOrder', which matches the query"));
    assert.ok(!format.reasons().some((r) => r.startsWith('used by')), 'the receipts are no best matches');
  });

  it('splits the lift of a name among the definitions it resolves to, as the walk splits its weight', () => {
    // loadOrder calls `get`, which twelve classes of its own file define, and parseOrderId, defined once.
    const classes = Array.from({ length: 12 }, (_, i) => `class Store${i} {\n  get(id: string): string {\n    return id;\n  }\n}`);
    const stores: FileSpec = {
      text: [
        "import { parseOrderId } from '../util/parseOrderId';",
        ...classes,
        '/** Loads an order from the store by its id. */',
        'export function loadOrder(store: Store0, id: string): string {',
        '  return store.get(parseOrderId(id));',
        '}',
        '',
      ].join('\n'),
      defs: [
        ...Array.from({ length: 12 }, (_, i): DefinitionSpec[] => [
          { name: `Store${i}`, kind: 'class', lines: [2 + 5 * i, 6 + 5 * i] },
          { name: 'get', kind: 'method', container: `Store${i}`, lines: [3 + 5 * i, 5 + 5 * i] },
        ]).flat(),
        { name: 'loadOrder', lines: [63, 65], docStartLine: 62, doc: 'Loads an order from the store by its id.' },
      ],
      refs: ['Store0@63', 'get@64', 'parseOrderId@64'],
      imports: [{ source: '../util/parseOrderId', names: ['parseOrderId'], line: 1, resolved: 'src/util/parseOrderId.ts' }],
    };
    const ranked = rank('load an order from the store by its id', {}, new FixtureIndex({ 'src/orders/stores.ts': stores, 'src/util/parseOrderId.ts': helperFile('parseOrderId') }));
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'loadOrder');
    const parse = find(ranked, 'parseOrderId');
    assert.equal(parse.graph, 1, 'the one definition of its name: the whole lift');
    const gets = ranked.filter((c) => nameOf(c) === 'get');
    assert.equal(gets.length, 12);
    for (const get of gets) {
      assert.ok(get.graph < 0.75, `a twelfth of the name each: ${get.graph}`);
      assert.ok(get.score < parse.score, `${get.score} < ${parse.score}`);
    }
  });

  it('lifts less what a best match uses among very many names, as the walk spreads the match over them', () => {
    // bulkRefund, the best match, calls 300 steps; refundOne, nearly as good a match, calls three.
    const many = Array.from({ length: 300 }, (_, i) => `bulkStep${i}`);
    // bulkStep0 is called by both: refundOne, the lesser match, lifts it more.
    const few = ['voidInvoice', 'creditCard', 'emailReceipt', 'bulkStep0'];
    const files: Record<string, FileSpec> = {
      'src/orders/bulk.ts': callerFile('bulkRefund', 'Refunds an order and notifies the customer by mail.', many),
      'src/orders/one.ts': callerFile('refundOne', 'Refunds one order and notifies the customer by mail.', few),
    };
    for (const step of new Set([...many, ...few])) files[`src/steps/${step}.ts`] = helperFile(step);
    const ranked = rank(REFUND_QUERY, {}, new FixtureIndex(files));
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'bulkRefund');
    const share = find(ranked, 'refundOne').lexical / find(ranked, 'bulkRefund').lexical;
    assert.ok(share > 0.8, `${share}`);
    const step = find(ranked, 'bulkStep7');
    assert.ok(step.graph > 0.3 && step.graph < 0.7, `a 300th of the match: ${step.graph}`);
    assert.ok(step.reasons().includes("used by 'bulkRefund', which matches the query"));
    const card = find(ranked, 'creditCard');
    assert.ok(card.graph >= share, `the whole lift of refundOne: ${card.graph}`);
    assert.ok(card.score > step.score);
    const shared = find(ranked, 'bulkStep0');
    // (The walk, reaching it from both, puts it higher still: the reason names the match whose lift is higher.)
    assert.ok(shared.reasons().includes("used by 'refundOne', which matches the query"), `the match lifting it most, not the first: ${shared.reasons().join(' | ')}`);
  });

  it('says when the lift of a best match, not the walk, gives the graph score', () => {
    const ranked = rank(REFUND_QUERY, {}, new FixtureIndex(refundWorkspace()));
    const credit = find(ranked, 'creditAccount');
    assert.equal(credit.graph, 1);
    const graphReason = credit.reasons().find((r) => r.startsWith('graph rank'));
    const walked = /^graph rank 1\.00 \(lifted: used by a best match; the walk's own (\d\.\d\d), top \d+% of \d+ definitions\)$/.exec(graphReason ?? '');
    assert.ok(walked, graphReason);
    assert.ok(Number(walked[1]) < 1, graphReason);
    // The walk's own: the graph score the same query gives it with no lift at all.
    const index = new RankingIndex();
    index.sync(new FixtureIndex(refundWorkspace()));
    const unlifted = find(new ContextRanker(index, { ...DEFAULT_TUNING, usedByBestMatch: 0 }).rank(REFUND_QUERY, {}), 'creditAccount');
    assert.equal(walked[1], unlifted.graph.toFixed(2), graphReason);
    // The best match itself is not lifted: its reason is the walk's.
    const best = find(ranked, 'refundOrder');
    assert.ok(best.reasons().some((r) => r === `graph rank ${best.graph.toFixed(2)} (top ${/top (\d+)%/.exec(r)?.[1] ?? ''}% of ${/of (\d+) definitions/.exec(r)?.[1] ?? ''} definitions)`), best.reasons().join(' | '));
  });

  it('does not say a graph score is lifted when the lift shows no difference in the two figures printed', () => {
    const index = new RankingIndex();
    index.sync(new FixtureIndex(refundWorkspace()));
    const own = find(new ContextRanker(index, { ...DEFAULT_TUNING, usedByBestMatch: 0 }).rank(REFUND_QUERY, {}), 'creditAccount').graph;
    // refundOrder, the best match, uses creditAccount alone: the whole lift, a hair above the walk's own.
    const lift = own + 1e-6;
    assert.equal(lift.toFixed(2), own.toFixed(2));
    const credit = find(new ContextRanker(index, { ...DEFAULT_TUNING, usedByBestMatch: lift }).rank(REFUND_QUERY, {}), 'creditAccount');
    assert.equal(credit.graph, lift);
    const graphReason = credit.reasons().find((r) => r.startsWith('graph rank'));
    assert.match(graphReason ?? '', new RegExp(`^graph rank ${own.toFixed(2).replace('.', '\\.')} \\(top \\d+% of \\d+ definitions\\)$`));
    assert.ok(credit.reasons().includes("used by 'refundOrder', which matches the query"), credit.reasons().join(' | '));
  });

  it('keeps a lifted graph score at most 1 whatever the tuning', () => {
    const index = new RankingIndex();
    index.sync(new FixtureIndex(refundWorkspace()));
    const ranked = new ContextRanker(index, { ...DEFAULT_TUNING, usedByBestMatch: 1.5 }).rank(REFUND_QUERY, {});
    const credit = find(ranked, 'creditAccount');
    assert.equal(credit.graph, 1);
    assert.ok(credit.reasons().some((r) => r.startsWith('graph rank 1.00 ')), credit.reasons().join(' | '));
    for (const c of ranked) assert.ok(c.graph <= 1 && c.score <= 1, `${nameOf(c)} ${c.graph}`);
  });

  it('keeps every score in 0..1 with non-empty reasons, best first', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    for (const [query, hints] of [
      ['parseConfig', {}],
      ['server request handling', { activeFile: 'src/server/httpServer.ts', openFiles: ['src/util/strings.ts'], recentFiles: ['src/cache/lruCache.ts'] }],
      ['deployment port proxy', {}],
      ['', { activeFile: 'src/config/schema.ts' }],
    ] as const) {
      const ranked = rank(query, hints, fixture);
      assert.ok(ranked.length > 0, query);
      for (let i = 0; i < ranked.length; i++) {
        const c = ranked[i] as RankedCandidate;
        for (const v of [c.score, c.lexical, c.graph, c.proximity]) assert.ok(v >= 0 && v <= 1, `${query}: ${nameOf(c)} ${v}`);
        assert.ok(c.score > 0);
        assert.ok(c.reasons().length > 0 && c.reasons().every((r) => r.length > 0));
        if (i > 0) assert.ok((ranked[i - 1] as RankedCandidate).score >= c.score);
      }
    }
  });

  it('ranks a text file by its words and file name', () => {
    const ranked = rank('deployment behind a reverse proxy');
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'docs/deployment.md');
    assert.ok((ranked[0] as RankedCandidate).reasons()[0]?.includes('deployment'));
  });

  it('explains proximity: same directory, importer, open and recent files', () => {
    const ranked = rank('', { activeFile: 'src/config/parseConfig.ts', openFiles: ['src/util/strings.ts'], recentFiles: ['src/cache/lruCache.ts'] });
    assert.ok(find(ranked, 'ConfigSchema').reasons().includes('imported by name into the active file'));
    assert.ok(find(ranked, 'startServer').reasons().includes('in src/server/startServer.ts, which imports the active file'));
    assert.ok(find(ranked, 'toKebabCase').reasons().includes('in src/util/strings.ts, open in an editor'));
    assert.ok(find(ranked, 'LruCache').reasons().includes('in src/cache/lruCache.ts, recently edited'));
    assert.ok(find(ranked, 'Config').reasons().includes('in the active file'));
  });

  it('counts members of an imported class as imported, and whole-module imports above files imported from by name', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    fixture.put('src/app.ts', {
      text: "import * as strings from './util/strings';\nimport { LruCache } from './cache/lruCache';\nimport { Config } from './config/parseConfig';\n",
      imports: [
        { source: './util/strings', line: 1, resolved: 'src/util/strings.ts' },
        { source: './cache/lruCache', names: ['LruCache'], line: 2, resolved: 'src/cache/lruCache.ts' },
        { source: './config/parseConfig', names: ['Config'], line: 3, resolved: 'src/config/parseConfig.ts' },
      ],
    });
    const ranked = rank('', { activeFile: 'src/app.ts' }, fixture);
    const member = ranked.find((c) => c.node.kind === 'definition' && c.node.def.container === 'LruCache');
    assert.ok(member);
    assert.ok(member.reasons().includes('member of LruCache, which the active file imports'));
    assert.equal(member.proximity, 1);
    assert.equal(find(ranked, 'toKebabCase').proximity, DEFAULT_TUNING.proximity.inImportedModule);
    assert.equal(find(ranked, 'parseConfig').proximity, DEFAULT_TUNING.proximity.inImportedFile);
    assert.ok(DEFAULT_TUNING.proximity.inImportedModule > DEFAULT_TUNING.proximity.inImportedFile);
  });

  it('counts what the active file uses of a whole-module import as imported by name, the rest of the module as in scope', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    fixture.put('src/app.ts', {
      text: "import * as strings from './util/strings';\nexport function slug(title: string): string {\n  return strings.toKebabCase(title);\n}\n",
      defs: [{ name: 'slug', lines: [2, 4] }],
      refs: ['toKebabCase@3'],
      imports: [{ source: './util/strings', line: 1, resolved: 'src/util/strings.ts' }],
    });
    const ranked = rank('', { activeFile: 'src/app.ts' }, fixture);
    const used = find(ranked, 'toKebabCase');
    assert.equal(used.proximity, DEFAULT_TUNING.proximity.importedByName);
    assert.ok(used.reasons().includes('used by the active file, which imports src/util/strings.ts whole'));
    const unused = find(ranked, 'splitWords');
    assert.equal(unused.proximity, DEFAULT_TUNING.proximity.inImportedModule);
    assert.ok(unused.reasons().includes('in src/util/strings.ts, which the active file imports'));
  });

  it('shares the use weight out among the other signals without an active file: scores as with those three alone', () => {
    const index = new RankingIndex();
    index.sync(new FixtureIndex(sampleWorkspace()));
    const { lexical, graph, proximity, use } = DEFAULT_TUNING.weights;
    assert.ok(use > 0);
    const threeAlone = { lexical: lexical / (1 - use), graph: graph / (1 - use), proximity: proximity / (1 - use), use: 0 };
    const scores = (ranker: ContextRanker, hints: RankingHints): string[] => ranker.rank('parse the config', hints).map((c) => `${nameOf(c)} ${c.score.toFixed(6)}`);
    const withDefaults = new ContextRanker(index);
    const withThree = new ContextRanker(index, { ...DEFAULT_TUNING, weights: threeAlone });
    const open = { openFiles: ['src/server/startServer.ts'] };
    for (const hints of [{}, open]) assert.deepEqual(scores(withDefaults, hints), scores(withThree, hints), JSON.stringify(hints));
    // With an active file the use signal has its own weight: the scores are not those of the three alone.
    const active = { activeFile: 'src/server/startServer.ts' };
    assert.notDeepEqual(scores(withDefaults, active), scores(withThree, active));
  });

  it('ranks what many places in the active file use above what one place uses, among the names it imports', () => {
    // Four functions each call roundCents among seven other helpers; one calls formatCents alone. The walk from the
    // active file gives formatCents that function's whole share and roundCents a seventh of four: without counting
    // the places, the helper one corner of the file calls would come first.
    const helpers = Array.from({ length: 7 }, (_, i) => `helper${i}`);
    const moneyNames = ['formatCents', 'roundCents', ...helpers];
    const lines = [`import { ${moneyNames.join(', ')} } from './money';`];
    const defs: DefinitionSpec[] = [];
    const refs: string[] = [];
    const define = (name: string, calls: readonly string[]): void => {
      const start = lines.length + 1;
      lines.push(`export function ${name}(cents: number): void {`, ...calls.map((c) => `  ${c}(cents);`), '}');
      defs.push({ name, lines: [start, lines.length] });
      for (const c of calls) refs.push(`${c}@${start}`);
    };
    for (let i = 0; i < 4; i++) define(`total${i}`, ['roundCents', ...helpers]);
    define('receiptLine', ['formatCents']);
    const fixture = new FixtureIndex({
      'src/money.ts': {
        text: moneyNames.map((n) => `export const ${n} = (cents: number): number => cents;`).join('\n') + '\n',
        defs: moneyNames.map((name, i) => ({ name, lines: [i + 1, i + 1] })),
      },
      'src/cart.ts': { text: `${lines.join('\n')}\n`, defs, refs, imports: [{ source: './money', names: moneyNames, line: 1, resolved: 'src/money.ts' }] },
    });
    const ranked = rank('', { activeFile: 'src/cart.ts' }, fixture);
    const often = find(ranked, 'roundCents');
    const once = find(ranked, 'formatCents');
    assert.equal(often.proximity, once.proximity);
    assert.ok(often.score > once.score, `${often.score} > ${once.score}`);
    assert.ok(often.reasons().includes('used in 4 places in the active file'), often.reasons().join('; '));
    assert.ok(!once.reasons().some((r) => r.startsWith('used in ')));
    // The use scores as the candidates give them: 4 places and 1 on the log scale full at fullUse (8) places.
    assert.equal(often.use, Math.log2(5) / Math.log2(9));
    assert.equal(once.use, 1 / Math.log2(9));
    assert.equal(find(rank('roundCents', {}, fixture), 'roundCents').use, 0); // (no active file)
  });

  it('works out again what the active file uses of a whole-module import once the file changes (one ranker kept, as the engine keeps it)', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const app = (call: string): FileSpec => ({
      text: `import * as strings from './util/strings';\nexport function slug(title: string): string {\n  return strings.${call}(title);\n}\n`,
      defs: [{ name: 'slug', lines: [2, 4] }],
      refs: [`${call}@3`],
      imports: [{ source: './util/strings', line: 1, resolved: 'src/util/strings.ts' }],
    });
    fixture.put('src/app.ts', app('toKebabCase'));
    const index = new RankingIndex();
    index.sync(fixture);
    const ranker = new ContextRanker(index);
    const proximityOf = (name: string): number => find(ranker.rank('', { activeFile: 'src/app.ts' }), name).proximity;
    assert.equal(proximityOf('toKebabCase'), DEFAULT_TUNING.proximity.importedByName);
    assert.equal(proximityOf('splitWords'), DEFAULT_TUNING.proximity.inImportedModule);
    // The file edited to call the other function: the same ranker, asked again.
    fixture.put('src/app.ts', app('splitWords'));
    index.sync(fixture);
    assert.equal(proximityOf('splitWords'), DEFAULT_TUNING.proximity.importedByName);
    assert.equal(proximityOf('toKebabCase'), DEFAULT_TUNING.proximity.inImportedModule);
  });

  it('lifts a name imported only as a top-level definition, not as the members of that name (a member by its container)', () => {
    const fixture = new FixtureIndex({
      'src/a.ts': {
        text: 'export function run(): void {}\n\nexport class Job {\n  run(): void {}\n}\n\nexport class Other {\n  run(): void {}\n}\n',
        defs: [
          { name: 'run', lines: [1, 1] },
          { name: 'Job', kind: 'class', lines: [3, 5] },
          { name: 'run', kind: 'method', container: 'Job', lines: [4, 4] },
          { name: 'Other', kind: 'class', lines: [7, 9] },
          { name: 'run', kind: 'method', container: 'Other', lines: [8, 8] },
        ],
      },
      'src/b.ts': { text: "import { run } from './a';\nrun();\n", imports: [{ source: './a', names: ['run'], line: 1, resolved: 'src/a.ts' }] },
      'src/c.ts': { text: "import { Job } from './a';\n", imports: [{ source: './a', names: ['Job'], line: 1, resolved: 'src/a.ts' }] },
    });
    const reasonsOf = (ranked: readonly RankedCandidate[]): string[][] =>
      ranked.flatMap((c) => (c.node.kind === 'definition' ? [[`${c.node.def.container ?? ''}.${c.node.def.name}`, String(c.proximity), ...c.reasons().filter((r) => r.includes('import'))]] : [])).sort();
    const imported = DEFAULT_TUNING.proximity.importedByName;
    const inFile = DEFAULT_TUNING.proximity.inImportedFile;
    assert.deepEqual(reasonsOf(rank('', { activeFile: 'src/b.ts' }, fixture)), [
      ['.Job', String(inFile), 'in src/a.ts, which the active file imports'],
      ['.Other', String(inFile), 'in src/a.ts, which the active file imports'],
      ['.run', String(imported), 'imported by name into the active file', 'in src/a.ts, which the active file imports'],
      ['Job.run', String(inFile), 'in src/a.ts, which the active file imports'],
      ['Other.run', String(inFile), 'in src/a.ts, which the active file imports'],
    ]);
    // Importing the class still lifts its members through it.
    assert.deepEqual(reasonsOf(rank('', { activeFile: 'src/c.ts' }, fixture)).filter(([n]) => n?.startsWith('Job')), [
      ['Job.run', String(imported), 'member of Job, which the active file imports', 'in src/a.ts, which the active file imports'],
    ]);
  });

  it('lifts a Java member imported by name (a static import, a nested class) as imported by name', () => {
    const fixture = new FixtureIndex({
      'a/c/Util.java': {
        text: 'package a.c;\npublic class Util {\n  public static int twice(int x) { return 2 * x; }\n  public static int thrice(int x) { return 3 * x; }\n}\n',
        language: 'java',
        defs: [
          { name: 'Util', kind: 'class', lines: [2, 5] },
          { name: 'twice', kind: 'method', container: 'Util', lines: [3, 3] },
          { name: 'thrice', kind: 'method', container: 'Util', lines: [4, 4] },
        ],
      },
      'a/b/App.java': {
        text: 'package a.b;\nimport static a.c.Util.twice;\nclass App { int f() { return twice(1); } }\n',
        language: 'java',
        imports: [{ source: 'a.c.Util.twice', names: ['twice'], line: 2, resolved: 'a/c/Util.java' }],
      },
    });
    const ranked = rank('', { activeFile: 'a/b/App.java' }, fixture);
    assert.equal(find(ranked, 'twice').proximity, DEFAULT_TUNING.proximity.importedByName);
    assert.ok(find(ranked, 'twice').reasons().includes('imported by name into the active file'));
    assert.equal(find(ranked, 'thrice').proximity, DEFAULT_TUNING.proximity.inImportedFile, 'not imported');
  });

  it('lifts the default export of a file as imported by name into the active file, whatever the default import calls it', async () => {
    const text = "import computeArea from './geom';\ncomputeArea();\n";
    const extracted = await extract('src/main.ts', text);
    const geom = 'export default function area(): number { return 1; }\nexport function other(): void {}\n';
    const fixture = new FixtureIndex({
      'src/geom.ts': { text: geom, defs: [{ name: 'area', lines: [1, 1] }, { name: 'other', lines: [2, 2] }] },
      'src/main.ts': { text, imports: extracted.imports.map((i) => ({ source: i.source, names: [...i.names], line: i.line, resolved: 'src/geom.ts' })) },
    });
    const ranked = rank('', { activeFile: 'src/main.ts' }, fixture);
    assert.equal(find(ranked, 'area').proximity, DEFAULT_TUNING.proximity.importedByName);
    assert.ok(find(ranked, 'area').reasons().includes('imported by name into the active file'));
    assert.equal(find(ranked, 'other').proximity, DEFAULT_TUNING.proximity.inImportedFile, 'not the default export');
  });

  it('counts a use of a name imported under another local name as a reference to the imported definition, as the same import without the rename', async () => {
    // (`import { cartTotal as total }` then `total(items)`: references are matched by the local name, which no
    // definition had — the definition got neither the reason nor the graph's edges, and a `total` elsewhere got both.)
    const cases: { language: string; definer: [string, string]; active: string; renamed: string; plain: string; elsewhere: [string, string, string] }[] = [
      {
        language: 'TS named',
        definer: ['src/cart.ts', 'export function cartTotal(items: number[]): number {\n  return items.length;\n}\n'],
        active: 'src/main.ts',
        renamed: "import { cartTotal as total } from './cart';\nexport function checkout(items: number[]): number {\n  return total(items);\n}\n",
        plain: "import { cartTotal } from './cart';\nexport function checkout(items: number[]): number {\n  return cartTotal(items);\n}\n",
        elsewhere: ['lib/total.ts', 'export function total(): number {\n  return 0;\n}\n', 'export function cartTotal(): number {\n  return 0;\n}\n'],
      },
      {
        language: 'TS default',
        definer: ['src/cart.ts', 'export default function cartTotal(items: number[]): number {\n  return items.length;\n}\n'],
        active: 'src/main.ts',
        renamed: "import calc from './cart';\nexport function checkout(items: number[]): number {\n  return calc(items);\n}\n",
        plain: "import cartTotal from './cart';\nexport function checkout(items: number[]): number {\n  return cartTotal(items);\n}\n",
        elsewhere: ['lib/calc.ts', 'export function calc(): number {\n  return 0;\n}\n', 'export function cartTotal(): number {\n  return 0;\n}\n'],
      },
      {
        language: 'Python',
        definer: ['cart.py', 'def cart_total(items):\n    return len(items)\n'],
        active: 'main.py',
        renamed: 'from cart import cart_total as total\n\ndef checkout(items):\n    return total(items)\n',
        plain: 'from cart import cart_total\n\ndef checkout(items):\n    return cart_total(items)\n',
        elsewhere: ['lib/total.py', 'def total():\n    return 0\n', 'def cart_total():\n    return 0\n'],
      },
      {
        language: 'Rust',
        definer: ['src/cart.rs', 'pub fn cart_total(items: &[u32]) -> usize {\n    items.len()\n}\n'],
        active: 'src/main.rs',
        renamed: 'use crate::cart::cart_total as total;\n\nfn checkout(items: &[u32]) -> usize {\n    total(items)\n}\n',
        plain: 'use crate::cart::cart_total;\n\nfn checkout(items: &[u32]) -> usize {\n    cart_total(items)\n}\n',
        elsewhere: ['lib/total.rs', 'pub fn total() -> usize {\n    0\n}\n', 'pub fn cart_total() -> usize {\n    0\n}\n'],
      },
    ];
    const spec = async (path: string, text: string, resolved?: string): Promise<FileSpec> => {
      const file = await extract(path, text);
      return {
        text,
        language: file.language,
        defs: file.definitions.map((d) => ({ name: d.name, kind: d.kind, lines: [d.startLine, d.endLine], ...(d.container !== undefined ? { container: d.container } : {}) })),
        refs: file.references.map((r) => referenceSpec(file, r)),
        imports: file.imports.map((i) => ({ source: i.source, names: [...i.names], line: i.line, ...(resolved !== undefined ? { resolved } : {}) })),
      };
    };
    for (const c of cases) {
      const [definer, definerText] = c.definer;
      const [elsewhere, localNamed, importedNamed] = c.elsewhere;
      const other = elsewhere.replace(/(total|calc)\./, 'other.');
      const ranked = async (active: string, activeFile = c.active): Promise<RankedCandidate[]> => {
        const fixture = new FixtureIndex({
          [definer]: await spec(definer, definerText),
          [c.active]: await spec(c.active, active, definer),
          // Definitions named as the local name and as the imported one, in a file the active file does not import.
          [elsewhere]: await spec(elsewhere, localNamed),
          [other]: await spec(other, importedNamed),
        });
        return rank('', { activeFile }, fixture);
      };
      const described = (cs: readonly RankedCandidate[]): string[] =>
        cs.map((x) => `${x.node.kind === 'definition' ? `${x.node.def.file}#${x.node.def.name}` : x.node.path} ${x.score} ${x.reasons().filter((r) => !r.startsWith('graph rank')).join('; ')}`);
      const renamed = await ranked(c.renamed);
      const imported = renamed.find((x) => x.node.kind === 'definition' && x.node.def.file === definer) ?? assert.fail(`${c.language}: not ranked`);
      assert.ok(imported.reasons().includes(`referenced from the active file ${c.active}`), `${c.language}: ${imported.reasons().join('; ')}`);
      assert.deepEqual(described(renamed), described(await ranked(c.plain)), `${c.language}: ranked as the same import without the rename`);
      // And the other way: the importer's definition uses the active file's.
      const fromDefiner = await ranked(c.renamed, definer);
      const user = fromDefiner.find((x) => x.node.kind === 'definition' && x.node.def.file === c.active) ?? assert.fail(`${c.language}: the user not ranked`);
      assert.ok(user.reasons().some((r) => r.startsWith('uses ') && r.endsWith(' from the active file')), `${c.language}: ${user.reasons().join('; ')}`);
      assert.deepEqual(described(fromDefiner), described(await ranked(c.plain, definer)), `${c.language}: from the definer's file, ranked as without the rename`);
    }
  });

  it("takes a member of a namespace import (`Option.some`) for the namespace module's definition, not for another of that name in reach", async () => {
    // (`Option.some` was read as a use of every `some` in reach: Predicate's, which the active file never calls, was
    // "used by the active file" and "used by 'head'" as much as Option's, and Option's got a third of head's lift.)
    const ranked = rank('the first element of an array, or none when it is empty', { activeFile: 'src/Array.ts' }, await namespaceWorkspace());
    const at = (file: string, name: string): RankedCandidate =>
      ranked.find((c) => c.node.kind === 'definition' && c.node.def.file === file && c.node.def.name === name) ?? assert.fail(`${file}#${name} not ranked`);
    const optionSome = at('src/Option.ts', 'some');
    assert.equal(optionSome.proximity, DEFAULT_TUNING.proximity.importedByName);
    assert.ok(optionSome.reasons().includes("used by 'head', which matches the query"), optionSome.reasons().join('; '));
    const predicateSome = at('src/Predicate.ts', 'some');
    assert.equal(predicateSome.proximity, DEFAULT_TUNING.proximity.inImportedModule, predicateSome.reasons().join('; '));
    assert.ok(!predicateSome.reasons().some((r) => r.startsWith('used by')), predicateSome.reasons().join('; '));
    assert.ok(optionSome.score > predicateSome.score);
  });

  it("tells a member of a namespace import only as used by the active file, not also as merely in the module it imports", async () => {
    // (The namespace's second edge, its local name's, added "in src/Option.ts, which the active file imports" beside
    // "used by the active file, which imports src/Option.ts whole".)
    const ranked = rank('the first element of an array, or none when it is empty', { activeFile: 'src/Array.ts' }, await namespaceWorkspace());
    const optionSome = ranked.find((c) => c.node.kind === 'definition' && c.node.def.file === 'src/Option.ts' && c.node.def.name === 'some') ?? assert.fail('Option#some not ranked');
    const reasons = optionSome.reasons();
    assert.ok(reasons.includes('used by the active file, which imports src/Option.ts whole'), reasons.join('; '));
    assert.ok(!reasons.includes('in src/Option.ts, which the active file imports'), reasons.join('; '));
  });

  it('counts each item of a `use` group where it resolves, and every file of an imported Go package, as imported', () => {
    const fixture = new FixtureIndex({
      ...rustUseGroup(),
      'net/conn.go': { text: 'package net\ntype Conn struct{}\n', language: 'go', defs: [{ name: 'GoConn', lines: [2, 2] }] },
      'net/dial.go': { text: 'package net\nfunc Dial() {}\n', language: 'go', defs: [{ name: 'Dial', lines: [2, 2] }] },
      'cmd/main.go': {
        text: 'package main\nimport "example.com/mod/net"\n',
        language: 'go',
        imports: [{ source: 'example.com/mod/net', line: 2, targets: [{ file: 'net/conn.go', names: [] }, { file: 'net/dial.go', names: [] }] }],
      },
    });
    const rust = rank('', { activeFile: 'src/lib.rs' }, fixture);
    assert.equal(find(rust, 'Conn').proximity, 1, 'imported by name from the module the path names');
    assert.equal(find(rust, 'connect').proximity, DEFAULT_TUNING.proximity.inImportedModule, 'in a module the group names: a whole-module import');
    assert.equal(find(rust, 'Other').proximity, DEFAULT_TUNING.proximity.inImportedFile);
    const go = rank('', { activeFile: 'cmd/main.go' }, fixture);
    assert.equal(find(go, 'GoConn').proximity, DEFAULT_TUNING.proximity.inImportedModule);
    assert.equal(find(go, 'Dial').proximity, DEFAULT_TUNING.proximity.inImportedModule, 'in the package\'s second file');
  });

  it('weighs the file of a side-effect import as one imported from by name, not as a whole-module import', async () => {
    // (`import './util/strings'` was ranked as `import * as`: its definitions nearly as close as the names the file imports.)
    const text = "import './util/strings';\nimport { LruCache } from './cache/lruCache';\n";
    const resolved: Record<string, string> = { './util/strings': 'src/util/strings.ts', './cache/lruCache': 'src/cache/lruCache.ts' };
    const extracted = await extract('src/app.ts', text);
    const fixture = new FixtureIndex(sampleWorkspace());
    fixture.put('src/app.ts', { text, imports: extracted.imports.map((i) => ({ source: i.source, names: [...i.names], line: i.line, resolved: resolved[i.source] ?? assert.fail(i.source) })) });
    const ranked = rank('', { activeFile: 'src/app.ts' }, fixture);
    const polyfill = find(ranked, 'toKebabCase');
    assert.equal(polyfill.proximity, DEFAULT_TUNING.proximity.inImportedFile);
    assert.ok(polyfill.reasons().includes('in src/util/strings.ts, which the active file imports'));
    assert.ok(polyfill.proximity < find(ranked, 'LruCache').proximity);
  });

  it('finds names written in letters outside ASCII by name, and lifts them when the prompt names them', () => {
    const text = ['def 計算する(x):', '    return x * 2', '', 'def étéFunc(y):', '    return y + 1', '', 'class Überweisung:', '    def run(self):', '        return 1', ''].join('\n');
    const fixture = new FixtureIndex(sampleWorkspace()).put('src/calc.py', {
      text,
      language: 'python',
      defs: [
        { name: '計算する', lines: [1, 2] },
        { name: 'étéFunc', lines: [4, 5] },
        { name: 'Überweisung', kind: 'class', lines: [7, 9] },
      ],
    });
    const ranker = rankerFor(fixture);
    const top = (query: string): RankedCandidate => ranker.rank(query, {})[0] ?? assert.fail(`nothing for ${query}`);
    assert.equal(nameOf(top('計算する')), '計算する');
    // Written without spaces, Japanese is matched by its character bigrams (identifierTokens.ts cjkTerms).
    assert.ok(top('計算する').reasons().includes("name '計算する' matches query words 計算, 算す, する"), top('計算する').reasons().join('; '));
    // A camelCase name: `été` is its part (not `t` and the keyword `func`), the whole of it is the name.
    assert.equal(nameOf(top('why does étéFunc fail')), 'étéFunc');
    assert.ok(top('why does étéFunc fail').reasons().includes("name 'étéFunc' appears in the query"));
    // Matched as a whole word, not by its ASCII tail `berweisung`; named in backticks, lifted as a name.
    assert.ok(top('Überweisung').reasons().includes("name 'Überweisung' matches query word überweisung"), top('Überweisung').reasons().join('; '));
    assert.ok(top('see `Überweisung`').reasons().includes("name 'Überweisung' appears in the query"));
  });

  it('finds a definition by its Chinese doc comment when a Chinese prompt shares a phrase with it', () => {
    // Chinese has no spaces: the prompt and each doc comment are one word apiece, which met only when they were equal.
    const text = ['export function cartTotal(items: Item[]): number {', '  return 0;', '}', 'export function shippingFee(order: Order): number {', '  return 0;', '}', ''].join('\n');
    const fixture = new FixtureIndex(sampleWorkspace()).put('src/cart.ts', {
      text,
      defs: [
        { name: 'cartTotal', lines: [1, 3], doc: '计算购物车的总价，包含折扣。' },
        { name: 'shippingFee', lines: [4, 6], doc: '计算订单的运费。' },
      ],
    });
    const ranked = rankerFor(fixture).rank('修改计算购物车总价的逻辑', {});
    assert.equal(nameOf(ranked[0] ?? assert.fail('nothing ranked')), 'cartTotal', names(ranked).join(', '));
    const reasons = find(ranked, 'cartTotal').reasons();
    assert.ok(reasons.some((r) => r.startsWith('doc comment mentions') && r.includes('购物') && r.includes('总价')), reasons.join('; '));
    // Sharing only 计算 (compute), the shipping fee ranks below.
    assert.ok(find(ranked, 'shippingFee').score < find(ranked, 'cartTotal').score);
  });

  it('ranks the same for a prompt in any letter case', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const ranker = rankerFor(fixture);
    const a = ranker.rank('Why does parseConfig read the settings FILE?', {});
    const b = ranker.rank('why does PARSECONFIG read the settings file?', {});
    assert.deepEqual(a.map((c) => [nameOf(c), c.score]), b.map((c) => [nameOf(c), c.score]));
  });

  it('ranks the same after incremental updates as a fresh index of the same files', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    const incremental = new RankingIndex();
    incremental.sync(fixture);
    fixture.put('src/util/strings.ts', { text: 'export function toSnakeCase(s: string) {\n  return s;\n}\n', defs: [{ name: 'toSnakeCase', lines: [1, 3], doc: 'Converts to snake case.' }] });
    incremental.sync(fixture);
    fixture.remove('src/cache/lruCache.ts');
    fixture.put('src/cache/ttlCache.ts', { text: 'export class TtlCache {\n  get() {\n    return parseConfig();\n  }\n}\n', defs: [{ name: 'TtlCache', kind: 'class', lines: [1, 5] }, { name: 'get', kind: 'method', container: 'TtlCache', lines: [2, 4] }], refs: ['parseConfig@3'] });
    incremental.sync(fixture);
    const rebuilt = new RankingIndex();
    rebuilt.sync({ version: 1, files: new Map(fixture.files), readText: (p) => fixture.readText(p) });
    const hints = { activeFile: 'src/server/startServer.ts', openFiles: ['src/cache/ttlCache.ts'] };
    for (const q of ['snake case', 'cache get config', 'server', 'parse config file']) {
      const a = new ContextRanker(incremental).rank(q, hints).map((c) => [nameOf(c), c.score.toFixed(12), c.reasons()]);
      const b = new ContextRanker(rebuilt).rank(q, hints).map((c) => [nameOf(c), c.score.toFixed(12), c.reasons()]);
      assert.deepEqual(a, b, q);
    }
  });

  it('keeps only candidates at or above minScore, and at most `limit` of them (the best)', () => {
    const ranker = rankerFor(new FixtureIndex(sampleWorkspace()));
    const all = ranker.rank('parse the config file', { activeFile: 'src/server/startServer.ts' });
    assert.ok(all.length > 4);
    const strict = ranker.rank('parse the config file', { activeFile: 'src/server/startServer.ts' }, { minScore: 0.3 });
    assert.deepEqual(strict.map(nameOf), all.filter((c) => c.score >= 0.3).map(nameOf));
    const top3 = ranker.rank('parse the config file', { activeFile: 'src/server/startServer.ts' }, { limit: 3 });
    assert.deepEqual(top3.map(nameOf), all.slice(0, 3).map(nameOf));
  });

  it('orders candidates by score, then file, line and name, on generated workspaces with many ties', () => {
    const fileOf = (c: RankedCandidate): string => (c.node.kind === 'definition' ? c.node.def.file : c.node.path);
    const lineOf = (c: RankedCandidate): number => (c.node.kind === 'definition' ? c.node.def.startLine : 0);
    const defName = (c: RankedCandidate): string => (c.node.kind === 'definition' ? c.node.def.name : '');
    for (const seed of [1, 2, 3]) {
      const fixture = new FixtureIndex(generatedWorkspace(seed, 30));
      const ranker = rankerFor(fixture);
      const file = [...fixture.files.keys()][0] as string;
      const all = ranker.rank('value entry node load parse', { activeFile: file });
      assert.ok(all.length > 10);
      const expected = [...all].sort((a, b) => b.score - a.score || (fileOf(a) < fileOf(b) ? -1 : fileOf(a) > fileOf(b) ? 1 : 0) || lineOf(a) - lineOf(b) || (defName(a) < defName(b) ? -1 : defName(a) > defName(b) ? 1 : 0));
      assert.deepEqual(all.map((c) => c.slot), expected.map((c) => c.slot));
      const limited = ranker.rank('value entry node load parse', { activeFile: file }, { limit: 7 });
      assert.deepEqual(limited.map((c) => [c.slot, c.score, c.reasons()]), all.slice(0, 7).map((c) => [c.slot, c.score, c.reasons()]));
    }
  });

  it('ranks a definition matching the whole prompt above one merely named in it', () => {
    const ranked = rank('split a sentence into lower-case words, as `toKebabCase` does');
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'splitWords');
    assert.ok(find(ranked, 'toKebabCase').reasons().includes("name 'toKebabCase' appears in the query"));
  });

  it('resolves a qualified mention to the member or module it names', () => {
    const fixture = new FixtureIndex(sampleWorkspace());
    fixture.put('src/store/userStore.ts', {
      text: 'export class UserStore {\n  get(id: string) {\n    return id;\n  }\n}\n',
      defs: [
        { name: 'UserStore', kind: 'class', lines: [1, 5] },
        { name: 'get', kind: 'method', container: 'UserStore', lines: [2, 4] },
      ],
    });
    const ranked = rank('what does LruCache.get return on a miss', {}, fixture);
    const lruGet = ranked.find((c) => c.node.kind === 'definition' && c.node.def.container === 'LruCache');
    const storeGet = ranked.find((c) => c.node.kind === 'definition' && c.node.def.container === 'UserStore');
    assert.ok(lruGet);
    assert.ok(lruGet.reasons().includes("'LruCache.get' in the query names it"));
    assert.ok(!storeGet || storeGet.score < lruGet.score);
    assert.equal(nameOf(ranked[0] as RankedCandidate), 'get');
  });

  it('keeps the reasons of a ranking intact when another ranking runs before they are read', () => {
    const ranker = rankerFor(new FixtureIndex(sampleWorkspace()));
    const first = ranker.rank('parse the config', { activeFile: 'src/server/startServer.ts' });
    const expected = first.map((c) => c.reasons());
    ranker.rank('least recently used cache', { activeFile: 'src/util/strings.ts' });
    assert.deepEqual(first.map((c) => c.reasons()), expected);
  });

  it("says a candidate's graph rank as a share of everything ranked, files without definitions included (never above 100 %)", () => {
    const files: Record<string, { text: string; defs?: { name: string; lines: [number, number] }[]; imports?: { source: string; names: string[]; line: number; resolved: string }[]; refs?: string[] }> = {
      'src/core.ts': { text: 'export function coreThing(): number {\n  return 1;\n}\n', defs: [{ name: 'coreThing', lines: [1, 3] }] },
      'src/main.ts': {
        text: "import { coreThing } from './core';\nconsole.log(coreThing());\n",
        imports: [{ source: './core', names: ['coreThing'], line: 1, resolved: 'src/core.ts' }],
        refs: ['coreThing@2'],
      },
    };
    for (let i = 1; i <= 4; i++) {
      files[`src/s${i}.ts`] = { text: `import { coreThing } from './core';\nconsole.log(coreThing() + ${i});\n`, imports: [{ source: './core', names: ['coreThing'], line: 1, resolved: 'src/core.ts' }], refs: ['coreThing@2'] };
    }
    const ranked = rank('setup', { activeFile: 'src/main.ts' }, new FixtureIndex(files));
    const shares = ranked.flatMap((c) => c.reasons()).flatMap((r) => [.../top (\d+)% of (\d+) (definitions and whole files|definitions)\)/.exec(r) ?? []].slice(1));
    assert.ok(shares.length >= 3, JSON.stringify(ranked.map((c) => c.reasons())));
    for (let i = 0; i < shares.length; i += 3) {
      assert.ok(Number(shares[i]) <= 100, `top ${shares[i]}%`);
      // One definition and the five files without any.
      assert.deepEqual([shares[i + 1], shares[i + 2]], ['6', 'definitions and whole files']);
    }
  });

  it('lifts a definition named in the prompt even when stop words make up its name (isValid, writeFile)', () => {
    const text = ['export function isValid(x: string): boolean {', '  return x.length > 0;', '}', 'export function validateInput(x: string): string {', '  return x;', '}', 'export function writeFile(p: string): void {', '  void p;', '}', 'export function saveFile(p: string): void {', '  writeFile(p);', '}', ''].join('\n');
    const fixture = new FixtureIndex({
      'src/util.ts': {
        text,
        defs: [
          { name: 'isValid', lines: [1, 3] },
          { name: 'validateInput', lines: [4, 6] },
          { name: 'writeFile', lines: [7, 9] },
          { name: 'saveFile', lines: [10, 12] },
        ],
        refs: ['writeFile@11'],
      },
    });
    for (const [query, name] of [
      ['why does isValid fail', 'isValid'],
      ['where is writeFile called', 'writeFile'],
    ] as const) {
      const ranked = rank(query, {}, fixture);
      assert.equal(nameOf(ranked[0] as RankedCandidate), name, `${query}: ${names(ranked).join(', ')}`);
      assert.ok(find(ranked, name).reasons().includes(`name '${name}' appears in the query`), find(ranked, name).reasons().join('; '));
    }
  });

  it("says a candidate uses a name from the active file only when the name reaches the active file's definition", () => {
    const fixture = new FixtureIndex({
      'src/a.ts': {
        text: "import { run } from './b';\nexport function helper(): number {\n  return 1;\n}\nexport function main(): number {\n  return run() + helper();\n}\n",
        defs: [
          { name: 'helper', lines: [2, 4] },
          { name: 'main', lines: [5, 7] },
        ],
        imports: [{ source: './b', names: ['run'], line: 1, resolved: 'src/b.ts' }],
        refs: ['run@6', 'helper@6'],
      },
      'src/b.ts': {
        text: 'function helper(): number {\n  return 2;\n}\nexport function run(): number {\n  return helper();\n}\nexport function useA(): number {\n  return 0;\n}\n',
        defs: [
          { name: 'helper', lines: [1, 3] },
          { name: 'run', lines: [4, 6] },
        ],
        refs: ['helper@5'],
      },
      'src/c.ts': {
        text: "import { helper } from './a';\nexport function runAgain(): number {\n  return helper();\n}\n",
        defs: [{ name: 'runAgain', lines: [2, 4] }],
        imports: [{ source: './a', names: ['helper'], line: 1, resolved: 'src/a.ts' }],
        refs: ['helper@3'],
      },
    });
    const ranked = rank('run', { activeFile: 'src/a.ts' }, fixture);
    const run = ranked.find((c) => c.node.kind === 'definition' && c.node.def.name === 'run');
    assert.ok(run);
    // run() calls b.ts's own helper, not a.ts's.
    assert.ok(!run.reasons().some((r) => r.startsWith('uses ')), run.reasons().join('; '));
    const again = find(ranked, 'runAgain');
    assert.ok(again.reasons().includes("uses 'helper' from the active file"), again.reasons().join('; '));
    // A name reaching no definition in reach, defined in several files (the active file among them): not claimed.
    const loose = new FixtureIndex({
      'src/a.ts': {
        text: "import { start } from './c';\nexport function init(): number {\n  return start();\n}\n",
        defs: [{ name: 'init', lines: [2, 4] }],
        imports: [{ source: './c', names: ['start'], line: 1, resolved: 'src/c.ts' }],
        refs: ['start@3'],
      },
      'src/b.ts': { text: 'export function init(): number {\n  return 2;\n}\n', defs: [{ name: 'init', lines: [1, 3] }] },
      'src/d.ts': { text: 'export function init(): number {\n  return 3;\n}\n', defs: [{ name: 'init', lines: [1, 3] }] },
      'src/c.ts': { text: 'export function start(): number {\n  return init();\n}\n', defs: [{ name: 'start', lines: [1, 3] }], refs: ['init@2'] },
    });
    const start = rank('zzz', { activeFile: 'src/a.ts' }, loose).find((c) => c.node.kind === 'definition' && c.node.def.name === 'start');
    assert.ok(start);
    assert.ok(start.reasons().some((r) => r.startsWith('graph rank')), start.reasons().join('; '));
    assert.ok(!start.reasons().includes("uses 'init' from the active file"), start.reasons().join('; '));
  });

  it('stops when cancelled', () => {
    const ranker = rankerFor(new FixtureIndex(sampleWorkspace()));
    const controller = new AbortController();
    controller.abort();
    assert.throws(() => ranker.rank('parse config', {}, { signal: controller.signal }), CancellationError);
  });
  it('gives a candidate read after a sync that renumbered or freed slots the definition it ranked', () => {
    const specs = generatedWorkspace(3, 60);
    const fixture = new FixtureIndex(specs);
    const index = new RankingIndex({ rebuildDeadSlots: 10, compactDeadEdges: 65_536, maxMemoisedEdges: 4_000_000 });
    index.sync(fixture);
    const nameOf = (c: RankedCandidate): string => (c.node.kind === 'definition' ? c.node.def.id : c.node.path);
    const ranked = new ContextRanker(index).rank('value string handles', {});
    const read = new ContextRanker(index).rank('value string handles', {}).map(nameOf);
    assert.ok(read.length > 24);
    // Most files removed: their slots freed, then the index rebuilt (slots renumbered); nodes not read until now.
    for (const path of Object.keys(specs).slice(0, 40)) fixture.remove(path);
    index.sync(fixture);
    assert.deepEqual(ranked.map(nameOf), read);
  });
});
