import assert from 'node:assert/strict';
import { ContextCache } from '../../../src/core/context/contextCache';
import type { ContextItem, ContextResult } from '../../../src/core/context/model';

function item(file: string, startLine: number, endLine: number, text: string): ContextItem {
  return { file, startLine, endLine, symbol: 's', kind: 'function', detail: 'full', score: 0.5, reasons: ['why'], text };
}

function resultOf(items: ContextItem[]): ContextResult {
  const chars = items.reduce((n, i) => n + i.text.length, 0);
  return { items, chars, budget: 1000, ms: 3, cached: false, indexVersion: 1 };
}

describe('context cache', () => {
  const files = new Map<string, string>();
  const readText = (p: string): Promise<string | undefined> => Promise.resolve(files.get(p));
  beforeEach(() => {
    files.clear();
    files.set('a.ts', 'one\r\ntwo\nthree\nfour');
    files.set('b.ts', 'alpha\nbeta');
  });

  it('gives a hit the texts read again from the same lines, equal to the ones cached', async () => {
    const cache = new ContextCache();
    const result = resultOf([item('a.ts', 2, 3, 'two\nthree'), item('b.ts', 1, 1, 'alpha'), item('a.ts', 1, 1, 'one')]);
    cache.set('k', result);
    assert.deepEqual(await cache.get('k', readText), result);
    assert.deepEqual(cache.stats(), { hits: 1, misses: 0, hitRate: 1, size: 1 });
  });

  it("gives a hit's items their editor lines counted in the texts read again (lone CRs before them came or went)", async () => {
    const cache = new ContextCache();
    // (Cut from a.ts with a lone CR on its line 1: the editor's line 3 for its line 2.)
    files.set('a.ts', 'one\rmore\ntwo\nthree\nfour');
    cache.set('k', resultOf([{ ...item('a.ts', 2, 2, 'two'), editorLine: 3 }, item('b.ts', 2, 2, 'beta')]));
    // The lone CR went, and one came into b.ts before its line 2: the same texts at the same lines.
    files.set('a.ts', 'one more\ntwo\nthree\nfour');
    files.set('b.ts', 'al\rpha\nbeta');
    assert.deepEqual(await cache.get('k', readText), resultOf([item('a.ts', 2, 2, 'two'), { ...item('b.ts', 2, 2, 'beta'), editorLine: 3 }]));
  });

  it('misses and drops the entry when a text differs from the cached one or its file is gone', async () => {
    const cache = new ContextCache();
    cache.set('changed', resultOf([item('b.ts', 1, 1, 'alpha'), item('a.ts', 2, 2, 'two')]));
    cache.set('gone', resultOf([item('b.ts', 1, 1, 'alpha')]));
    cache.set('shorter', resultOf([item('a.ts', 4, 5, 'four\nfive')]));
    files.set('a.ts', 'one\ntwX\nthree\nfour');
    files.delete('b.ts');
    assert.equal(await cache.get('gone', readText), undefined);
    files.set('b.ts', 'alpha\nbeta');
    assert.equal(await cache.get('changed', readText), undefined, 'same length, other text');
    assert.equal(await cache.get('shorter', readText), undefined, 'the file has fewer lines now');
    assert.deepEqual(cache.stats(), { hits: 0, misses: 3, hitRate: 0, size: 0 });
  });

  it('keeps at most its size of results, dropping the least recently used', async () => {
    const cache = new ContextCache(2);
    cache.set('a', resultOf([]));
    cache.set('b', resultOf([]));
    assert.ok(await cache.get('a', readText), 'a is now the most recently used');
    cache.set('c', resultOf([]));
    assert.equal(await cache.get('b', readText), undefined, 'b was the least recently used when c came');
    assert.ok(await cache.get('a', readText));
    assert.ok(await cache.get('c', readText));
  });
});
