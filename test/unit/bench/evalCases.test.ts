import * as assert from 'node:assert/strict';
import { extractEvalCases, jsDocDescription, removeBodies, resolveModule } from '../../../bench/evalCases';
import { recall, reciprocalRank } from '../../../bench/evalMetrics';

const FIXTURE = new Map<string, string>([
  ['src/util.ts', ['export function helper(a: number): number {', '  return a + 1', '}', '', 'export interface Shape {', '  readonly x: number', '}', ''].join('\n')],
  ['src/ns.ts', 'export const value = 41\nexport const unused = 0\n'],
  ['src/index.ts', "export { helper as aliasHelper } from './util.js'\nexport * from './ns.js'\n"],
  [
    'src/main.ts',
    [
      "import { aliasHelper } from './index.js'",
      "import * as ns from './ns.js'",
      "import type { Shape } from './util.js'",
      '',
      'const localThing = 2',
      '',
      '/**',
      ' * Computes the shifted value of a shape for the caller.',
      ' *',
      ' * @since 1.0.0',
      ' */',
      'export function compute(s: Shape): number {',
      '  const shape: Shape = s',
      '  return aliasHelper(shape.x) + ns.value + localThing',
      '}',
      '',
      '/** Adds the local constant to the given number twice. */',
      'export const onlyLocal = (n: number) => n + localThing * 2',
      '',
      '/** Too short. */',
      'export const short = () => aliasHelper(1)',
      '',
    ].join('\n'),
  ],
]);

describe('eval case extraction', () => {
  it('takes the query from the JSDoc description and the gold from imported definitions in other files', async () => {
    const cases = await extractEvalCases(FIXTURE, { maxCases: 10, seed: 1, maxPerFile: 10 });
    assert.equal(cases.length, 1, JSON.stringify(cases.map((c) => c.name)));
    const c = cases[0];
    assert.ok(c);
    assert.equal(c.file, 'src/main.ts');
    assert.equal(c.name, 'compute');
    assert.equal(c.line, 12);
    assert.equal(c.query, 'Computes the shifted value of a shape for the caller.');
    assert.deepEqual(
      c.gold.map((g) => [g.file, g.name, g.ranges]),
      [
        ['src/ns.ts', 'value', [{ startLine: 1, endLine: 1 }]],
        ['src/util.ts', 'Shape', [{ startLine: 5, endLine: 7 }]],
        ['src/util.ts', 'helper', [{ startLine: 1, endLine: 3 }]],
      ],
    );
  });

  it('removes bodies without moving any line', async () => {
    const cases = await extractEvalCases(FIXTURE, { maxCases: 10, seed: 1, maxPerFile: 10 });
    const original = FIXTURE.get('src/main.ts') ?? '';
    const stripped = removeBodies(original, cases);
    assert.equal(stripped.split('\n').length, original.split('\n').length);
    assert.doesNotMatch(stripped, /aliasHelper\(shape\.x\)/);
    assert.match(stripped, /export function compute\(s: Shape\): number \{\n\n\n\}/);
  });

  it('samples deterministically and caps cases per file', async () => {
    const many = new Map(FIXTURE);
    for (let i = 0; i < 6; i++) many.set(`src/copy${i}.ts`, FIXTURE.get('src/main.ts') ?? '');
    const a = await extractEvalCases(many, { maxCases: 4, seed: 3, maxPerFile: 1 });
    const b = await extractEvalCases(many, { maxCases: 4, seed: 3, maxPerFile: 1 });
    assert.deepEqual(a, b);
    assert.equal(a.length, 4);
    assert.equal(new Set(a.map((c) => c.file)).size, 4);
  });

  it('strips tags, example headings and code fences from JSDoc', () => {
    const doc = ['/**', ' * Maps a value.', ' *', ' * **Example**', ' * ```ts', ' * map(1)', ' * ```', ' * Then more.', ' * @param x the value', ' */'].join('\n');
    assert.equal(jsDocDescription(doc), 'Maps a value. Then more.');
    assert.equal(jsDocDescription('/* plain */'), undefined);
  });

  it('resolves .js specifiers to .ts files and directories to index files', () => {
    const files = new Set(['src/a.ts', 'src/dir/index.ts']);
    assert.equal(resolveModule('src/b.ts', './a.js', files), 'src/a.ts');
    assert.equal(resolveModule('src/x/b.ts', '../dir', files), 'src/dir/index.ts');
    assert.equal(resolveModule('src/b.ts', 'effect', files), undefined);
  });
});

describe('eval metrics', () => {
  const gold = [
    { file: 'a.ts', name: 'x', ranges: [{ startLine: 10, endLine: 20 }] },
    { file: 'b.ts', name: 'y', ranges: [{ startLine: 1, endLine: 2 }] },
  ];
  it('counts a gold definition as found when an item overlaps its lines in the same file', () => {
    const items = [
      { file: 'c.ts', startLine: 1, endLine: 5 },
      { file: 'a.ts', startLine: 20, endLine: 25 },
      { file: 'b.ts', startLine: 3, endLine: 9 },
    ];
    assert.equal(recall(items, gold), 0.5);
    assert.equal(reciprocalRank(items, gold), 1 / 2);
    assert.equal(reciprocalRank([], gold), 0);
  });
});
