import assert from 'node:assert/strict';
import { GenerationCache, type CacheSettings } from '../../../src/core/generation/generationCache';
import { FakeClock } from '../fakes/fakeClock';

describe('GenerationCache counts', () => {
  it('counts afresh after caching was turned off and on again, with no lookup or stats between', () => {
    let settings: CacheSettings = { enabled: true, ttlSeconds: 60 };
    const cache = new GenerationCache(new FakeClock(), () => settings);
    cache.set('k', { text: 'answer', model: 'm' });
    cache.get('k');
    cache.get('k');
    cache.get('other');
    assert.deepEqual(cache.stats(), { hits: 2, misses: 1, hitRate: 2 / 3, size: 1 });
    settings = { enabled: false, ttlSeconds: 60 };
    cache.settingsChanged();
    settings = { enabled: true, ttlSeconds: 60 };
    cache.settingsChanged();
    assert.deepEqual(cache.stats(), { hits: 0, misses: 0, hitRate: 0, size: 1 }, 'the hit rate from before is not shown');
    assert.equal(cache.get('k')?.text, 'answer', 'the kept answer is valid again');
    assert.deepEqual(cache.stats(), { hits: 1, misses: 0, hitRate: 1, size: 1 });
  });

  it('keeps counting through a change that leaves caching on (another TTL)', () => {
    let settings: CacheSettings = { enabled: true, ttlSeconds: 60 };
    const cache = new GenerationCache(new FakeClock(), () => settings);
    cache.get('k');
    settings = { enabled: true, ttlSeconds: 120 };
    cache.settingsChanged();
    assert.equal(cache.stats().misses, 1);
  });
});
