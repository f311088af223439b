import assert from 'node:assert/strict';
import type { Parser } from 'web-tree-sitter';
import { extractionAroundEdit } from '../../../src/core/context/documentUpdate';
import { editsBetween } from '../../../src/core/context/fileProcessor';
import { extractFromTree } from '../../../src/core/context/symbolExtractor';
import { loader } from './indexerHarness';

describe('extractionAroundEdit region text', () => {
  it('gives the parser only the text of the statements around the edit, not the rest of the document after them', async () => {
    // A document with a syntax error, an edit between two top-level functions and, far after them, a long tail: the
    // region parse must not be handed the tail (web-tree-sitter copies up to 5,000 characters past where it reads).
    const tail = Array.from({ length: 200 }, (_, i) => `export function tail${i}(a: number): number { return a + ${i}; }`).join('\n');
    const text = ['export const broken = ;', '', 'export function first() {}', '', 'export function second() {}', '', 'export function third() {}', '', tail, ''].join('\n');
    const grammar = await loader().load('typescript');
    const tree = grammar.parser.parse(text);
    assert.ok(tree?.rootNode.hasError);
    const previous = extractFromTree('a.ts', 'typescript', text, tree, grammar.query, true);
    const at = text.indexOf('export function second');
    const next = `${text.slice(0, at)}// typed\n${text.slice(at)}`;
    const [edit] = editsBetween(text, next, [{ start: at, deleteCount: 0, text: '// typed\n' }]);
    assert.ok(edit);
    tree.edit(edit);
    // The parser as extractionAroundEdit sees it, recording every piece of text the parse reads.
    const read: string[] = [];
    const recording = Object.create(grammar.parser) as Parser;
    recording.parse = (input, oldTree, options) => {
      const recorded = typeof input === 'string' ? (read.push(input), input) : (index: number, position: Parameters<typeof input>[1]) => {
        const chunk = input(index, position);
        if (chunk !== undefined) read.push(chunk);
        return chunk;
      };
      return grammar.parser.parse(recorded, oldTree, options);
    };
    try {
      const around = extractionAroundEdit(previous, { oldText: text, oldTree: tree, text: next, edit, templatesKnown: true }, 'a.ts', 'typescript', recording, grammar.query);
      assert.ok(around);
      assert.ok(around.definitions.some((d) => d.name === 'second'));
      assert.ok(read.length > 0);
      for (const chunk of read) assert.ok(!chunk.includes('tail1'), `the parse read past the region: ${chunk.slice(0, 80)}…`);
    } finally {
      tree.delete();
    }
  });
});
