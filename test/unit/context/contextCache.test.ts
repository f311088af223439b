import assert from 'node:assert/strict';
import { ContextCache } from '../../../src/core/context/contextCache';
import type { ContextResult } from '../../../src/core/context/model';

function resultOf(chars: number): ContextResult {
  return { items: [], chars, budget: chars, ms: 0, cached: false, indexVersion: 1 };
}

describe('context cache', () => {
  it('keeps at most its character bound of results, dropping the least recently used', () => {
    const cache = new ContextCache(256, 100);
    cache.set('a', resultOf(40));
    cache.set('b', resultOf(40));
    assert.ok(cache.get('a'), 'a fits and is now the most recently used');
    cache.set('c', resultOf(40));
    assert.equal(cache.get('b'), undefined, 'b was the least recently used when c came');
    assert.ok(cache.get('a'));
    assert.ok(cache.get('c'));
    cache.set('huge', resultOf(500));
    assert.equal(cache.get('huge'), undefined, 'a result over the bound is not kept');
    assert.deepEqual(cache.stats(), { hits: 3, misses: 2, hitRate: 0.6, size: 2 });
  });
});
