import assert from 'node:assert/strict';
import { GenerationCache, MAX_CACHED_REASONING_CHARS, MAX_ENTRIES, type CacheSettings } from '../../../src/core/generation/generationCache';
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

describe('GenerationCache expiry', () => {
  it('holds and counts only answers within the TTL: expired ones are dropped, not shown as the cache size', async () => {
    const clock = new FakeClock();
    let settings: CacheSettings = { enabled: true, ttlSeconds: 60 };
    const cache = new GenerationCache(clock, () => settings);
    for (let i = 0; i < 3; i++) cache.set(`k${i}`, { text: 'x'.repeat(1_000), model: 'm' });
    await clock.advance(30_000);
    cache.set('later', { text: 'answer', model: 'm' });
    assert.equal(cache.stats().size, 4);
    await clock.advance(30_001);
    assert.equal(cache.stats().size, 1, 'the three answers past the 60 s are gone');
    settings = { enabled: false, ttlSeconds: 60 };
    await clock.advance(30_000);
    assert.equal(cache.stats().size, 0, 'kept while off only within the TTL');
  });

  it('applies a changed TTL to the answers held: a lowered one drops those past it, a raised one keeps them', async () => {
    const clock = new FakeClock();
    let settings: CacheSettings = { enabled: true, ttlSeconds: 3600 };
    const cache = new GenerationCache(clock, () => settings);
    cache.set('old', { text: 'old', model: 'm' });
    await clock.advance(10 * 60_000);
    cache.set('new', { text: 'new', model: 'm' });
    await clock.advance(30_000);
    settings = { enabled: true, ttlSeconds: 60 };
    assert.equal(cache.stats().size, 1, 'the 10 min old answer is past the new 60 s');
    await clock.advance(30_001);
    settings = { enabled: true, ttlSeconds: 120 };
    assert.equal(cache.get('new')?.text, 'new', '60 s old, within the raised TTL');
    await clock.advance(60_000);
    assert.equal(cache.stats().size, 0);
  });

  it('does not push out an answer still valid to make room while expired ones are held', async () => {
    const clock = new FakeClock();
    const cache = new GenerationCache(clock, () => ({ enabled: true, ttlSeconds: 60 }));
    for (let i = 0; i < MAX_ENTRIES - 1; i++) cache.set(`old${i}`, { text: `old ${i}`, model: 'm' });
    await clock.advance(30_000);
    cache.set('fresh', { text: 'fresh answer', model: 'm' });
    // The old answers are used again after it: the fresh one is the least recently used.
    for (let i = 0; i < MAX_ENTRIES - 1; i++) assert.equal(cache.get(`old${i}`)?.text, `old ${i}`);
    await clock.advance(30_001);
    cache.set('new1', { text: 'new 1', model: 'm' });
    cache.set('new2', { text: 'new 2', model: 'm' });
    assert.equal(cache.get('fresh')?.text, 'fresh answer', '30 s old, within the TTL');
    assert.equal(cache.stats().size, 3);
  });
});

describe("GenerationCache: a reasoning model's thinking", () => {
  it('keeps the thinking with its answer, the first MAX_CACHED_REASONING_CHARS of a longer one, and says when it was cut', () => {
    const cache = new GenerationCache(new FakeClock(), () => ({ enabled: true, ttlSeconds: 60 }));
    cache.set('short', { text: 'answer', model: 'm', reasoning: 'Think.' });
    assert.deepEqual(cache.get('short'), { text: 'answer', model: 'm', reasoning: 'Think.' });
    cache.set('exact', { text: 'answer', model: 'm', reasoning: 'x'.repeat(MAX_CACHED_REASONING_CHARS) });
    assert.equal(cache.get('exact')?.reasoningTruncated, undefined, 'at the limit, all of it is kept');
    cache.set('long', { text: 'answer', model: 'm', reasoning: 'y'.repeat(MAX_CACHED_REASONING_CHARS * 4) });
    assert.deepEqual(cache.get('long'), { text: 'answer', model: 'm', reasoning: 'y'.repeat(MAX_CACHED_REASONING_CHARS), reasoningTruncated: true });
    // An answer without thinking (as every answer was cached before) is as it was.
    cache.set('plain', { text: 'answer', model: 'm' });
    assert.deepEqual(cache.get('plain'), { text: 'answer', model: 'm' });
  });
});
