import assert from 'node:assert/strict';
import { scanIdentifiers, textIdentifiers, MAX_TEXT_IDENTIFIERS } from '../../../src/core/context/identifierScanner';

function tokens(text: string, language: Parameters<typeof scanIdentifiers>[1], masks: number[] = []): string[] {
  const out: string[] = [];
  scanIdentifiers(text, language, masks, (name, index) => out.push(`${name}@${index}`));
  return out;
}

describe('identifier scanner', () => {
  it('finds identifiers outside masked ranges, without keywords, numbers or one-letter names', () => {
    const text = 'const value = other(0x1F, 1e9, i) + $jq;';
    assert.deepEqual(tokens(text, 'javascript'), ['value@6', 'other@14', '$jq@36']);
    assert.deepEqual(tokens(text, 'javascript', [14, 19]), ['value@6', '$jq@36']);
    assert.deepEqual(tokens('fn run(self) -> Self { Some(x) }', 'rust'), ['run@3']);
    assert.deepEqual(tokens('$macro_arg', 'rust'), [], 'no $ in Rust identifiers');
  });

  it('keeps a bounded set of words for text files', () => {
    assert.deepEqual(textIdentifiers('the Parser parses; the parser_state and it'), ['Parser', 'parses', 'parser_state']);
    const many = Array.from({ length: MAX_TEXT_IDENTIFIERS + 50 }, (_, i) => `word${i}`).join(' ');
    assert.equal(textIdentifiers(many).length, MAX_TEXT_IDENTIFIERS);
  });
});
