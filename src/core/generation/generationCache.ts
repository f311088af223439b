// Caches generated answers (lru-cache with a TTL on the injected Clock). The key is a hash of
// provider, model, the framing instruction, the prompt, sampling options and the context fingerprint,
// so a change in the codebase context (a different ranked context) is a miss.
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

export class GenerationCache {
  private readonly lru: LRUCache<string, CachedAnswer>;
  private hits = 0;
  private misses = 0;

  constructor(
    clock: Clock,
    private readonly settings: () => CacheSettings,
  ) {
    this.lru = new LRUCache<string, CachedAnswer>({
      max: MAX_ENTRIES,
      maxSize: MAX_TOTAL_CHARS,
      sizeCalculation: (v) => Math.max(1, v.text.length),
      perf: { now: () => clock.now() },
      ttlResolution: 0,
      allowStale: false,
    });
  }

  /** The cached answer, counting a hit or a miss; undefined (and nothing counted) when caching is off. */
  get(key: string): CachedAnswer | undefined {
    if (!this.active()) return undefined;
    const v = this.lru.get(key);
    if (v) this.hits += 1;
    else this.misses += 1;
    return v;
  }

  set(key: string, value: CachedAnswer): void {
    if (!this.active()) return;
    this.lru.set(key, value, { ttl: this.settings().ttlSeconds * 1000 });
  }

  clear(): void {
    this.lru.clear();
  }

  stats(): GenerationCacheStats {
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRate: total === 0 ? 0 : this.hits / total, size: this.lru.size };
  }

  private active(): boolean {
    const s = this.settings();
    return s.enabled && s.ttlSeconds > 0;
  }
}
