import assert from 'node:assert/strict';
import { SourceLines } from '../../../src/core/context/sourceLines';
import { seededRandom } from './builders';

const PIECES = ['a', 'bc', ' ', '\n', '\r\n', '\r', '\r\r\n', '\n\n', 'é'];

function randomText(random: () => number): string {
  let text = '';
  const n = Math.floor(random() * 30);
  for (let i = 0; i < n; i++) text += PIECES[Math.floor(random() * PIECES.length)] ?? '';
  return text;
}

describe('SourceLines', () => {
  it('gives the lines, lengths and joined ranges of split(/\\r?\\n/) on random texts', () => {
    const random = seededRandom(7);
    for (let round = 0; round < 2_000; round++) {
      const text = randomText(random);
      const expected = text.split(/\r?\n/);
      const lines = new SourceLines(text);
      assert.equal(lines.count, expected.length, JSON.stringify(text));
      expected.forEach((line, i) => {
        assert.equal(lines.line(i), line, JSON.stringify(text));
        assert.equal(lines.lineLength(i), line.length);
      });
      const first = Math.floor(random() * expected.length);
      const last = first + Math.floor(random() * (expected.length - first));
      assert.equal(lines.join(first, last), expected.slice(first, last + 1).join('\n'), JSON.stringify(text));
    }
  });

  it('reads an empty text as one empty line', () => {
    const lines = new SourceLines('');
    assert.equal(lines.count, 1);
    assert.equal(lines.line(0), '');
  });

  it("gives the editor's line of a line: past it by the lone CRs before it, which the editor breaks lines at", () => {
    const lines = new SourceLines('a\rb\r\nc\r\rd\ne\n');
    // Lines (at LF): 1 'a\rb', 2 'c\r\rd', 3 'e', 4 ''. The editor's: a, b, c, (empty), d, e, (empty).
    assert.deepEqual([1, 2, 3, 4].map((line) => lines.editorLine(line)), [1, 3, 6, 7]);
    assert.equal(new SourceLines('x\r').editorLine(1), 1, 'a lone CR on the line itself does not move its start');
    assert.deepEqual([1, 2, 3].map((line) => new SourceLines('a\r\nb\nc\r\n').editorLine(line)), [1, 2, 3], 'LF and CR LF alone move none');
  });
});
