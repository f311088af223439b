import assert from 'node:assert/strict';
import { parseAnswer } from '../../../src/core/generation/codeBlocks';

describe('parseAnswer (code blocks from markdown)', () => {
  it('splits fenced blocks with their language from the explanation', () => {
    const md = 'Here is the function.\n\n```ts\nexport const a = 1;\n```\n\nAnd a test:\n\n~~~python\nassert f() == 1\n~~~\nDone.';
    const p = parseAnswer(md);
    assert.deepEqual(p.codeBlocks, [
      { language: 'typescript', code: 'export const a = 1;\n', complete: true },
      { language: 'python', code: 'assert f() == 1\n', complete: true },
    ]);
    assert.equal(p.explanation, 'Here is the function.\n\nAnd a test:\n\nDone.');
  });

  it('keeps inner shorter fences inside a longer fence and handles a block without language', () => {
    const md = '````md\n```js\nx\n```\n````\n```\nplain\n```';
    const p = parseAnswer(md);
    assert.equal(p.codeBlocks.length, 2);
    assert.equal(p.codeBlocks[0]?.code, '```js\nx\n```\n');
    assert.equal(p.codeBlocks[0]?.language, 'md');
    assert.deepEqual(p.codeBlocks[1], { language: '', code: 'plain\n', complete: true });
    assert.equal(p.explanation, '');
  });

  it('returns an unclosed final block as incomplete (a cut-off answer)', () => {
    const p = parseAnswer('Start:\n```go\nfunc main() {\n');
    assert.deepEqual(p.codeBlocks, [{ language: 'go', code: 'func main() {\n', complete: false }]);
    assert.equal(p.explanation, 'Start:');
  });

  it('does not treat a fence of the other character as closing, and reads CRLF', () => {
    const p = parseAnswer('```rust\r\nlet a = 1;\r\n~~~\r\n```\r\nafter');
    assert.equal(p.codeBlocks[0]?.code, 'let a = 1;\n~~~\n');
    assert.equal(p.explanation, 'after');
  });
});
