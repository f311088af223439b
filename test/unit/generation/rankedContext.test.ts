import assert from 'node:assert/strict';
import { contextQueryFor } from '../../../src/core/generation/rankedContext';

describe('contextQueryFor (the query a generation and an agent task rank their context by)', () => {
  it('takes the text and the hints given, leaving out the absent ones (the engine fills in the editor\'s own)', () => {
    assert.deepEqual(contextQueryFor('add a test', {}), { query: 'add a test' });
    assert.deepEqual(contextQueryFor('fix it', { activeFile: null, openFiles: ['a.ts'], recentFiles: ['b.ts'] }), { query: 'fix it', activeFile: null, openFiles: ['a.ts'], recentFiles: ['b.ts'] });
    // (Other fields of the caller's options are not the query's.)
    const options = { activeFile: 'src/x.ts', temperature: 0.2, useCache: false };
    assert.deepEqual(contextQueryFor('q', options), { query: 'q', activeFile: 'src/x.ts' });
  });
});
