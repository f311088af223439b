import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import '../fakes/fakeVscode';
import { editorLineOf } from '../../../src/vscode/editorLines';

describe("editor lines of the engine's (lone CRs)", () => {
  it('adds the lone CRs before the line, which the editor breaks at and the engine does not', () => {
    const text = 'a\rb\r\nc\r\rd\ne\n';
    // Engine lines (at LF): 1 'a\rb\r', 2 'c\r\rd', 3 'e'. Editor lines: a, b, c, (empty), d, e.
    assert.deepEqual([1, 2, 3].map((line) => editorLineOf(text, line)), [1, 3, 6]);
    assert.equal(editorLineOf('x\r', 1), 1, 'a lone CR on the line itself does not move its start');
  });

  it('keeps the number where there is no lone CR (LF, CR LF)', () => {
    assert.deepEqual([1, 2, 3].map((line) => editorLineOf('a\r\nb\nc\r\n', line)), [1, 2, 3]);
  });
});
