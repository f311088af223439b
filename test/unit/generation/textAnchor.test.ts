import assert from 'node:assert/strict';
import { locateOriginal } from '../../../src/core/generation/textAnchor';

describe('locateOriginal', () => {
  const original = 'const x: string = 1;\n';

  it('finds the lines again when the user added lines above them while the code was generated', () => {
    const now = 'import y from "y";\nline1\nline2\nconst x: string = 1;\nline4\n';
    const at = locateOriginal(now, original);
    assert.ok('start' in at);
    assert.equal(now.slice(at.start, at.end), original);
    assert.equal(at.start, 'import y from "y";\nline1\nline2\n'.length);
  });

  it('says the lines are missing when the user changed them', () => {
    assert.deepEqual(locateOriginal('line1\nconst x: number = 1;\n', original), { problem: 'missing' });
  });

  it('says the lines are ambiguous when they are there twice', () => {
    assert.deepEqual(locateOriginal(`${original}line\n${original}`, original), { problem: 'ambiguous' });
    assert.deepEqual(locateOriginal('aaaa', 'aa'), { problem: 'ambiguous' });
  });

  it('cannot find an empty text', () => {
    assert.deepEqual(locateOriginal('abc', ''), { problem: 'ambiguous' });
  });
});
