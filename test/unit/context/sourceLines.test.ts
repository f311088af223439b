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

  it('reads bytes as readFile(utf8) without a byte-order mark would give them, ASCII or not', () => {
    const random = seededRandom(11);
    const prefixes = ['', '\uFEFF', '\uFEFF\uFEFF'];
    for (let round = 0; round < 2_000; round++) {
      const text = (prefixes[Math.floor(random() * prefixes.length)] ?? '') + randomText(random).replace(/é/g, () => (random() < 0.5 ? 'é' : 'e'));
      const bytes = Buffer.from(text, 'utf8');
      const expected = new SourceLines(bytes.toString('utf8').replace(/^\uFEFF/, ''));
      const lines = SourceLines.fromBytes(bytes);
      assert.equal(lines.count, expected.count, JSON.stringify(text));
      for (let i = 0; i < expected.count; i++) {
        assert.equal(lines.line(i), expected.line(i), JSON.stringify(text));
        assert.equal(lines.lineLength(i), expected.lineLength(i));
      }
      const first = Math.floor(random() * expected.count);
      const last = first + Math.floor(random() * (expected.count - first));
      assert.equal(lines.join(first, last), expected.join(first, last), JSON.stringify(text));
    }
  });
});
