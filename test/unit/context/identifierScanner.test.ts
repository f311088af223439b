import assert from 'node:assert/strict';
import { isReferenceName, MAX_TEXT_IDENTIFIERS, textIdentifiers } from '../../../src/core/context/identifierScanner';

describe('identifier words', () => {
  it('leaves out keywords, one-letter names and $ where a language has none', () => {
    assert.equal(isReferenceName('value', 'javascript'), true);
    assert.equal(isReferenceName('return', 'javascript'), false);
    assert.equal(isReferenceName('i', 'javascript'), false);
    assert.equal(isReferenceName('$jq', 'javascript'), true);
    assert.equal(isReferenceName('$arg', 'rust'), false);
    assert.equal(isReferenceName('self', 'python'), false);
    assert.equal(isReferenceName('Self', 'rust'), false);
    assert.equal(isReferenceName('Self', 'python'), true);
  });

  it('keeps a bounded set of words for text files, without stop words or number tails', () => {
    assert.deepEqual(textIdentifiers('the Parser parses; the parser_state and it 0x1Fab'), ['Parser', 'parses', 'parser_state']);
    const many = Array.from({ length: MAX_TEXT_IDENTIFIERS + 50 }, (_, i) => `word${i}`).join(' ');
    assert.equal(textIdentifiers(many).length, MAX_TEXT_IDENTIFIERS);
  });

  it('reads the words of a text file whole in any script, as a prompt reads them (Überweisung, not its tail berweisung)', () => {
    assert.deepEqual(textIdentifiers('Die Überweisung prüft 計算する; e\u0301te\u0301 x٣y ab\u00a0cd'), ['Die', 'Überweisung', 'prüft', '計算する', 'e\u0301te\u0301', 'x٣y']);
  });
});
