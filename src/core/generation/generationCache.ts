// Caches generated answers (lru-cache, bounded by entries and text size). The key is a hash of
// provider, endpoint, model, the framing instruction, the prompt, sampling options and the context fingerprint,
// so a change in the codebase context (a different ranked context) is a miss. Each entry keeps when it was stored
// (on the injected Clock) and is valid while its age is within the current contexten.cache.ttlSeconds: a changed TTL
// applies to the answers already cached too.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { Clock } from '../ports';

export interface CacheSettings {
  readonly enabled: boolean;
  /** 0 disables caching (nothing stays valid). */
  readonly ttlSeconds: number;
}

export interface CachedAnswer {
  readonly text: string;
  readonly model: string;
}

export interface GenerationCacheStats {
  readonly hits: number;
  readonly misses: number;
  readonly hitRate: number;
  readonly size: number;
}

export interface CacheKeyParts {
  readonly provider: string;
  /** The server (and account) the provider asks: its base URL, Codegen's with the organization. */
  readonly endpoint: string;
  readonly model: string;
  readonly description: string;
  readonly prompt: string;
  readonly contextFingerprint: string;
  readonly temperature?: number;
  readonly maxTokens?: number;
}

const MAX_ENTRIES = 500;
/** Upper bound on cached text, in characters (about 50 MB of UTF-16 at most). */
const MAX_TOTAL_CHARS = 25_000_000;

export function cacheKey(parts: CacheKeyParts): string {
  const canonical = JSON.stringify([parts.provider, parts.endpoint, parts.model, parts.description, parts.prompt, parts.contextFingerprint, parts.temperature ?? null, parts.maxTokens ?? null]);
  return createHash('sha256').update(canonical).digest('hex');
}

interface Entry {
  readonly answer: CachedAnswer;
  /** Clock time it was stored at. */
  readonly storedAt: number;
}

export class GenerationCache {
  private readonly lru: LRUCache<string, Entry>;
  private hits = 0;
  private misses = 0;
  /** Whether caching was on when the settings were last looked at: counting starts afresh whenever that changes. */
  private wasActive: boolean;

  constructor(
    private readonly clock: Clock,
    private readonly settings: () => CacheSettings,
  ) {
    this.wasActive = this.active();
    this.lru = new LRUCache<string, Entry>({
      max: MAX_ENTRIES,
      maxSize: MAX_TOTAL_CHARS,
      sizeCalculation: (v) => Math.max(1, v.answer.text.length),
    });
  }

  /**
   * The cached answer, counting a hit or a miss; undefined (and nothing counted) when caching is off. An answer older
   * than the current TTL is a miss (and is dropped), whatever the TTL was when it was stored.
   */
  get(key: string): CachedAnswer | undefined {
    if (!this.observe()) return undefined;
    const entry = this.lru.get(key);
    const fresh = entry !== undefined && this.clock.now() - entry.storedAt <= this.settings().ttlSeconds * 1000;
    if (!fresh) {
      if (entry) this.lru.delete(key);
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    return entry.answer;
  }

  set(key: string, value: CachedAnswer): void {
    if (!this.observe()) return;
    this.lru.set(key, { answer: value, storedAt: this.clock.now() });
  }

  clear(): void {
    this.lru.clear();
  }

  /**
   * Hits and misses since caching was last turned on: while it is off (contexten.cache.enabled false, or a TTL of 0)
   * none — nothing is served, so an earlier hit rate would describe a cache no request uses — and counting starts
   * afresh when it is on again (turned off and on with no lookup between too, when `settingsChanged` was called for each
   * change). `size` is what the cache holds (kept while off, valid again within the TTL).
   */
  stats(): GenerationCacheStats {
    if (!this.observe()) return { hits: 0, misses: 0, hitRate: 0, size: this.lru.size };
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRate: total === 0 ? 0 : this.hits / total, size: this.lru.size };
  }

  /** Call when the settings changed: caching turned off and on again before the next lookup still counts afresh. */
  settingsChanged(): void {
    this.observe();
  }

  /** Whether caching is on; the counts are forgotten when it was not the last time the settings were looked at. */
  private observe(): boolean {
    const active = this.active();
    if (active !== this.wasActive) {
      this.wasActive = active;
      this.hits = 0;
      this.misses = 0;
    }
    return active;
  }

  private active(): boolean {
    const s = this.settings();
    return s.enabled && s.ttlSeconds > 0;
  }
}
