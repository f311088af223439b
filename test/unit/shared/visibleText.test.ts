import assert from 'node:assert/strict';
import { visibleText } from '../../../src/shared/visibleText';

describe('visible text (workspace names shown in the preview and the Context tab)', () => {
  it('writes line breaks, other controls and bidirectional controls as their code points, and nothing else', () => {
    assert.equal(visibleText('src/ab\u202Est.kcatta.ts:12'), 'src/ab\\u{202e}st.kcatta.ts:12');
    assert.equal(visibleText('evil\n### 1. .env\r\t\u0000'), 'evil\\u{a}### 1. .env\\u{d}\\u{9}\\u{0}');
    for (const c of ['\u061c', '\u200e', '\u200f', '\u2028', '\u2029', '\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u007f', '\u0085']) {
      assert.equal(visibleText(`a${c}b`), `a\\u{${(c.codePointAt(0) ?? 0).toString(16)}}b`);
    }
    // Everything else as it is: spaces, non-ASCII letters, right-to-left letters themselves, emoji.
    const plain = 'My App/src/größe ключ_доступа שלום 🙂.ts · alpha (function)';
    assert.equal(visibleText(plain), plain);
  });
});
