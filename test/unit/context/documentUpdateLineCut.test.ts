import assert from 'node:assert/strict';
import { extractionAroundEdit } from '../../../src/core/context/documentUpdate';
import { editsBetween } from '../../../src/core/context/fileProcessor';
import { extractFromTree } from '../../../src/core/context/symbolExtractor';
import { loader } from './indexerHarness';

/** extractionAroundEdit's definition ids after inserting `insert` at `at` of `text` (which has a syntax error), and a fresh extraction's. */
async function aroundAndFreshIds(text: string, at: number, insert: string): Promise<{ around: string[] | undefined; fresh: string[] }> {
  const grammar = await loader().load('typescript');
  const tree = grammar.parser.parse(text);
  assert.ok(tree?.rootNode.hasError);
  const previous = extractFromTree('a.ts', 'typescript', text, tree, grammar.query);
  const next = text.slice(0, at) + insert + text.slice(at);
  const [edit] = editsBetween(text, next, [{ start: at, deleteCount: 0, text: insert }]);
  assert.ok(edit);
  tree.edit(edit);
  const fresh = grammar.parser.parse(next);
  assert.ok(fresh);
  try {
    const around = extractionAroundEdit(previous, { oldText: text, oldTree: tree, text: next, edit, templatesKnown: true }, 'a.ts', 'typescript', grammar.parser, grammar.query);
    return { around: around?.definitions.map((d) => d.id), fresh: extractFromTree('a.ts', 'typescript', next, fresh, grammar.query).definitions.map((d) => d.id) };
  } finally {
    tree.delete();
    fresh.delete();
  }
}

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
    const grammar = await loader().load('typescript');
    const tree = grammar.parser.parse(text);
    assert.ok(tree?.rootNode.hasError);
    const previous = extractFromTree('a.ts', 'typescript', text, tree, grammar.query);
    const at = text.indexOf('Body text') + 4;
    const next = text.slice(0, at) + 'X' + text.slice(at);
    const [edit] = editsBetween(text, next, [{ start: at, deleteCount: 0, text: 'X' }]);
    assert.ok(edit);
    tree.edit(edit);
    const fresh = grammar.parser.parse(next);
    assert.ok(fresh);
    try {
      const expected = extractFromTree('a.ts', 'typescript', next, fresh, grammar.query).definitions.map((d) => d.id);
      assert.ok(expected.includes('a.ts#helper#71'));
      const around = extractionAroundEdit(previous, { oldText: text, oldTree: tree, text: next, edit, templatesKnown: true }, 'a.ts', 'typescript', grammar.parser, grammar.query);
      assert.ok(around);
      assert.deepEqual(around.definitions.map((d) => d.id), expected);
    } finally {
      tree.delete();
      fresh.delete();
    }
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
    const { around, fresh } = await aroundAndFreshIds(text, at, 'X');
    assert.ok(!fresh.some((id) => id.includes('PhaXntom')));
    assert.deepEqual(around, fresh);
  });
});
