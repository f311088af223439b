import assert from 'node:assert/strict';
import { aroundAndFresh } from './indexerHarness';
describe('extractionAroundEdit line cut', () => {
  it('keeps a class member named after a template literal whose lines start at column 0, when an edit inside the template is cut at its lines', async () => {
    // A file with a syntax error (elsewhere), a class over 2 KB holding a template literal with lines at column 0
    // and a method after it. The edit types one character inside the template: lineCut starts the parsed lines at
    // "Body text" (inside the template), and the region parse reads the closing backtick as opening a template that
    // runs to the end of the cut, so `helper` (named inside the cut) is neither kept nor found again.
    const text = [
      'export const broken = ;',
      '',
      'export function before() {}',
      '',
      'export class View {',
      ...Array.from({ length: 60 }, (_, i) => `  method${i}(a: number): number { return a + ${i}; }`),
      '  static template = `',
      'Title',
      '',
      'Body text',
      '`;',
      '  helper(): number { return 1; }',
      '}',
      '',
      'export function after() {}',
      '',
    ].join('\n');
    const { around, fresh } = await aroundAndFresh(text, text.indexOf('Body text') + 4, 'X');
    const expected = fresh.definitions.map((d) => d.id);
    assert.ok(expected.includes('a.ts#helper#71'));
    assert.ok(around);
    assert.deepEqual(around.definitions.map((d) => d.id), expected);
  });
});

describe('extractionAroundEdit line cut (fixtures)', () => {
  it('adds no definition for code inside a template literal (a test fixture) when an edit inside it is cut at its lines', async () => {
    // A test file with a syntax error: a top-level fixture holding code at column 0, beside a describe() call over 2 KB.
    // Typing inside the fixture cuts at "export class Phantom" (inside the template): the region parse reads it as code.
    const text = [
      "import { thing } from './thing';",
      'export const broken = ;',
      '',
      'export const FIXTURE = `',
      'export function first() {}',
      '',
      'export class Phantom {}',
      '`;',
      '',
      "describe('thing', () => {",
      ...Array.from({ length: 60 }, (_, i) => `  it('case ${i}', () => { thing(${i}); });`),
      '});',
      '',
    ].join('\n');
    const at = text.indexOf('Phantom {}') + 3;
    const { around, fresh } = await aroundAndFresh(text, at, 'X');
    const freshIds = fresh.definitions.map((d) => d.id);
    assert.ok(!freshIds.some((id) => id.includes('PhaXntom')));
    assert.deepEqual(around?.definitions.map((d) => d.id), freshIds);
  });
});
