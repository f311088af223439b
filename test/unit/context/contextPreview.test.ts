import assert from 'node:assert/strict';
import { formatContextPreview, PREVIEW_LOCATION } from '../../../src/core/context/contextPreview';
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

describe('context preview', () => {
  it('shows every item with its location line, score, reasons and exact text', () => {
    const md = formatContextPreview('parse the config', result);
    const locations = md.split('\n').filter((l) => PREVIEW_LOCATION.test(l));
    assert.equal(locations.length, 2);
    assert.deepEqual(PREVIEW_LOCATION.exec(locations[0] ?? '')?.slice(1, 4), ['src/config.ts', '10', '12']);
    assert.match(md, /score 0\.81 · full definition/);
    assert.match(md, /signature only/);
    assert.match(md, /- name matches query word 'config'/);
    assert.ok(md.includes('function parseConfig() {\n  return 1;\n}'));
    assert.match(md, /60 of 1,000 characters · 3 ms · cached · index version 7/);
    // A text containing a fence is wrapped in a longer fence so the document stays well-formed.
    assert.ok(md.includes('````\nconst s = "```";\n````'));
  });

  it('says what to do when nothing is relevant', () => {
    assert.match(formatContextPreview('x', { ...result, items: [], chars: 0 }), /No definitions passed the relevance threshold/);
  });
});
