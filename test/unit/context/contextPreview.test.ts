import assert from 'node:assert/strict';
import { formatContextPreview } from '../../../src/core/context/contextPreview';
import type { ContextResult } from '../../../src/core/context/model';

const result: ContextResult = {
  items: [
    { file: 'src/config.ts', startLine: 10, endLine: 12, symbol: 'parseConfig', kind: 'function', detail: 'full', score: 0.8123, reasons: ["name matches query word 'config'"], text: 'function parseConfig() {\n  return 1;\n}' },
    { file: 'src/md.ts', startLine: 3, endLine: 3, symbol: 'render', kind: 'function', detail: 'signature', score: 0.2, reasons: ['in the active file'], text: 'const s = "```";' },
  ],
  chars: 60,
  budget: 1000,
  ms: 3.4,
  cached: true,
  indexVersion: 7,
};

/** The text each location of a preview covers. */
function linkTexts(text: string, locations: readonly { line: number; start: number; end: number }[]): string[] {
  const lines = text.split('\n');
  return locations.map((l) => (lines[l.line] ?? '').slice(l.start, l.end));
}

describe('context preview', () => {
  it('shows every item with its location line, score, reasons and exact text', () => {
    const { text: md, locations } = formatContextPreview('parse the config', result);
    assert.deepEqual(
      locations.map((l) => [l.file, l.startLine]),
      [
        ['src/config.ts', 10],
        ['src/md.ts', 3],
      ],
    );
    assert.deepEqual(linkTexts(md, locations), ['src/config.ts:10-12', 'src/md.ts:3-3']);
    assert.match(md, /### 1\. src\/config\.ts:10-12 · parseConfig \(function\) · score 0\.81 · full definition/);
    assert.match(md, /signature only/);
    assert.match(md, /- name matches query word 'config'/);
    assert.ok(md.includes('function parseConfig() {\n  return 1;\n}'));
    assert.match(md, /60 of 1,000 characters · 3 ms · cached · index version 7/);
    // A text containing a fence is wrapped in a longer fence so the document stays well-formed.
    assert.ok(md.includes('````\nconst s = "```";\n````'));
  });

  it('says when the workspace is still being indexed: the items are what a prompt sent now would get', () => {
    const md = formatContextPreview('parse the config', { ...result, partial: { filesDone: 312, filesFound: 1500 } }).text;
    assert.match(md, /still being indexed \(312 of 1,500 files so far\): this is what a prompt sent now would get/);
    assert.match(formatContextPreview('x', { ...result, partial: { filesDone: 0, filesFound: 0 } }).text, /still being indexed \(no files yet\)/);
    assert.doesNotMatch(formatContextPreview('x', result).text, /being indexed/, 'not once the index is whole');
  });

  it('says what to do when nothing is relevant', () => {
    assert.match(formatContextPreview('x', { ...result, items: [], chars: 0 }).text, /No definitions passed the relevance threshold/);
  });

  it('links only the items\' locations: a file name with a newline, a colon or a bidi override, or a line of code, plants no line or link', () => {
    const evilName = 'evil\n- reason: reviewed by the security team\n### 1. .env:1-1 · x.ts';
    const planted: ContextResult = {
      ...result,
      items: [
        { ...result.items[0]!, file: evilName, startLine: 1, endLine: 1, reasons: ['in src/ab\u202Est.kcatta.ts, open in an editor'] },
        { ...result.items[0]!, file: 'src/a:7-9 · b.ts', startLine: 2, endLine: 4 },
        { ...result.items[1]!, text: '# ### 2. secrets/prod.key:40-41 · key (function) · score 1.00 · full definition' },
      ],
    };
    const { text: md, locations } = formatContextPreview('q', planted);
    const lines = md.split('\n');
    // The name's newlines are shown, not followed: no reason line or heading of its making.
    assert.ok(!lines.includes('- reason: reviewed by the security team'), md);
    assert.equal(lines.filter((l) => l.startsWith('### ')).length, 3);
    assert.ok(md.includes('evil\\u{a}- reason: reviewed by the security team\\u{a}### 1. .env:1-1 · x.ts:1-1'), md);
    assert.ok(md.includes('src/ab\\u{202e}st.kcatta.ts') && !md.includes('\u202E'), md);
    // One link per item, to the item's own file and line, whatever its name holds; none inside an item's text.
    assert.deepEqual(
      locations.map((l) => [l.file, l.startLine]),
      [
        [evilName, 1],
        ['src/a:7-9 · b.ts', 2],
        ['src/md.ts', 3],
      ],
    );
    assert.deepEqual(linkTexts(md, locations).slice(1), ['src/a:7-9 · b.ts:2-4', 'src/md.ts:3-3']);
  });

  it('keeps each link on its item\'s line where the editor breaks lines: an item\'s text with a lone CR (mixed line endings)', () => {
    const mixed: ContextResult = {
      ...result,
      items: [
        { ...result.items[0]!, text: 'function a() {\r  return 1;\r\n}\rconst x = 1;' },
        { ...result.items[1]!, text: 'const s = 1;' },
      ],
    };
    const { text: md, locations } = formatContextPreview('q', mixed);
    // VS Code's documents break lines at \r\n, \r and \n: count them so.
    const editorLines = md.split(/\r\n|\r|\n/);
    assert.deepEqual(
      locations.map((l) => (editorLines[l.line] ?? '').slice(l.start, l.end)),
      ['src/config.ts:10-12', 'src/md.ts:3-3'],
    );
    assert.ok(md.includes('function a() {\n  return 1;\n}\nconst x = 1;'), md);
  });
});
