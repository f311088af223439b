import assert from 'node:assert/strict';
import { bytesTooLarge } from '../../../src/core/context/fileSizeLimit';
import { documentSkipReason } from '../../../src/core/context/fileProcessor';
import { fileText } from '../../../src/core/context/fileText';

describe('file size limit (one rule: the text in UTF-8)', () => {
  it("judges UTF-16 bytes as their open document's text is, an odd last byte (U+FFFD, 3 bytes of UTF-8) included", () => {
    const cases = [
      Buffer.concat([Buffer.from('\uFEFF中中中中中中中中中', 'utf16le'), Buffer.from([0x41])]),
      Buffer.from(`\uFEFF${'x'.repeat(40)}`, 'utf16le'),
      Buffer.from(`\uFEFF${'漢'.repeat(10)}`, 'utf16le'),
      Buffer.from(`\uFEFF${'😀'.repeat(7)}`, 'utf16le'),
    ];
    for (const bytes of cases) {
      for (let limit = 1; limit <= 90; limit++) {
        const asDocument = documentSkipReason(fileText(bytes), limit) === 'too-large';
        assert.equal(bytesTooLarge(bytes, limit), asDocument, `${bytes.length} bytes at a limit of ${limit}`);
      }
    }
  });
});
