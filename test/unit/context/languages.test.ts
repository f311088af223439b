import assert from 'node:assert/strict';
import { renderContextItem } from '../../../src/core/context/contextPrompt';
import { languageForPath } from '../../../src/core/context/languages';
import type { ContextItem } from '../../../src/core/context/model';

/** Extensions that are names of Object.prototype's members: a plain-object table lookup finds those members. */
const PROTOTYPE_NAMES = ['constructor', '__proto__', 'toString', 'valueOf', 'hasOwnProperty', '__defineGetter__'];

function fileItem(file: string): ContextItem {
  return { file, startLine: 1, endLine: 1, symbol: file, kind: 'file', detail: 'full', score: 1, reasons: ['named'], text: 'hello' };
}

describe('languages by file name', () => {
  it('knows the parsed languages by extension, whatever its case', () => {
    assert.equal(languageForPath('src/a.ts'), 'typescript');
    assert.equal(languageForPath('src/A.TSX'), 'tsx');
    assert.equal(languageForPath('lib/x.mjs'), 'javascript');
    assert.equal(languageForPath('app/models.py'), 'python');
    assert.equal(languageForPath('README.md'), 'text');
    assert.equal(languageForPath('Makefile'), 'text');
  });

  it('takes a file whose extension names an Object.prototype member for text', () => {
    for (const ext of PROTOTYPE_NAMES) assert.equal(languageForPath(`notes.${ext}`), 'text', ext);
  });

  it('fences such a file without a language tag, and known text files with theirs', () => {
    for (const ext of PROTOTYPE_NAMES) {
      const opener = renderContextItem(fileItem(`x/notes.${ext}`)).split('\n')[1];
      assert.equal(opener, '```', ext);
    }
    assert.equal(renderContextItem(fileItem('docs/guide.md')).split('\n')[1], '```markdown');
    assert.equal(renderContextItem(fileItem('src/a.ts')).split('\n')[1], '```typescript');
  });
});
