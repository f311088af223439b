import assert from 'node:assert/strict';
import { cleanCredential } from '../../../src/core/auth/credentialText';

describe('cleanCredential (a pasted API key or token, as an HTTP header carries it)', () => {
  it('trims it and takes out invisible characters (zero-width space, joiners, byte order mark)', () => {
    assert.deepEqual(cleanCredential('  sk-abc_123.XYZ~/+=  '), { value: 'sk-abc_123.XYZ~/+=' });
    assert.deepEqual(cleanCredential('\uFEFFsk-abc\u200b123\u200c\u200d\u2060\n'), { value: 'sk-abc123' });
    assert.deepEqual(cleanCredential(' \u200b '), { value: '' });
  });

  it('takes out a leading "Bearer " (any case), the header\'s scheme copied along with the key', () => {
    assert.deepEqual(cleanCredential('Bearer sk-abc123'), { value: 'sk-abc123' });
    assert.deepEqual(cleanCredential(' bEaReR \t sk-abc123 '), { value: 'sk-abc123' });
    // (Only as a prefix followed by the key: a key that is the word alone, or begins with it, is left as it is.)
    assert.deepEqual(cleanCredential('Bearer'), { value: 'Bearer' });
    assert.deepEqual(cleanCredential('Bearer-sk-abc'), { value: 'Bearer-sk-abc' });
    const inside = cleanCredential('Bearer abc 123');
    assert.ok('problem' in inside && /white space \(U\+0020\) at character 11,/.test(inside.problem), JSON.stringify(inside));
  });

  it('counts the place of a refused character in the key as it was written: its Bearer, spaces and invisible characters too', () => {
    const cases: [string, RegExp][] = [
      ['Bearer abc 12345', /white space \(U\+0020\) at character 11,/],
      ['  abc\u201d12345', /typographic quote \(U\+201D\) at character 6,/],
      ['Bearer \u200babc 123', /white space \(U\+0020\) at character 12,/],
      ['\uFEFF \u200b sk\u2060-\u00e9', /non-ASCII character \(U\+00E9\) at character 9,/],
      ['\t Bearer  sk-\u2013', /typographic dash \(U\+2013\) at character 14,/],
    ];
    for (const [raw, problem] of cases) {
      const r = cleanCredential(raw);
      assert.ok('problem' in r, JSON.stringify(raw));
      assert.match(r.problem, problem, JSON.stringify(raw));
    }
  });

  it('refuses a character a header cannot carry or a space inside, naming its kind and place but not the key', () => {
    const cases: [string, RegExp][] = [
      ['sk-abc123\u201cxyz', /^has a typographic quote \(U\+201C\) at character 10, which cannot be sent in an HTTP header$/],
      ['\u2018sk-abc', /typographic quote \(U\+2018\) at character 1/],
      ['sk-abc\u2013def', /typographic dash \(U\+2013\) at character 7/],
      ['sk-abc\ndef', /white space \(U\+000A\) at character 7/],
      ['sk-abc def', /white space \(U\+0020\) at character 7/],
      ['sk-\u00e9abc', /non-ASCII character \(U\+00E9\) at character 4/],
      ['sk-\u0007abc', /control character \(U\+0007\) at character 4/],
      ['sk-😀abc', /non-ASCII character \(U\+1F600\) at character 4/],
    ];
    for (const [raw, problem] of cases) {
      const r = cleanCredential(raw);
      assert.ok('problem' in r, JSON.stringify(raw));
      assert.match(r.problem, problem);
      assert.ok(!r.problem.includes('abc'), r.problem);
    }
  });
});
