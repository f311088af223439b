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
});
