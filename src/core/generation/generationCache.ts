// Caches generated answers (lru-cache, bounded by entries and text size). The key is a hash of
// provider, endpoint, model, the framing instruction, the prompt, sampling options and the context fingerprint,
// so a change in the codebase context (a different ranked context) is a miss. Each entry keeps when it was stored
// (on the injected Clock) and is valid while its age is within the current contexten.cache.ttlSeconds: a changed TTL
// applies to the answers already cached too. The LRUCache itself expires them (its `ttl`, on the same clock), so an
// expired answer is dropped, not held and counted until it happens to be looked up or pushed out. A reasoning model's
// thinking is kept with its answer (its first MAX_CACHED_REASONING_CHARS), so an answer from the cache shows it too.
// The cache lives in memory only: nothing is written to disk, so there is no stored format to read back.
import { createHash } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import { wholeCharacterCut } from '../../shared/wholeCharacterCut';
import type { Clock } from '../ports';

export interface CacheSettings {
  readonly enabled: boolean;
  /** 0 disables caching (nothing stays valid). */
  readonly ttlSeconds: number;
}

export interface CachedAnswer {
  readonly text: string;
  readonly model: string;
  /** What a reasoning model thought before it answered, when it thought aloud (its first MAX_CACHED_REASONING_CHARS). */
  readonly reasoning?: string;
  /** True when `reasoning` is only the first part of the thinking: the rest was over MAX_CACHED_REASONING_CHARS. */
  readonly reasoningTruncated?: boolean;
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

/** Most answers held. */
export const MAX_ENTRIES = 500;
/** Upper bound on cached text (answers and their thinking), in characters (about 50 MB of UTF-16 at most). */
const MAX_TOTAL_CHARS = 25_000_000;
/**
 * Most of a reasoning model's thinking kept with its answer, in characters (64 Ki): a model can think for hundreds of
 * kilobytes, more than the answer is worth holding for, and more than anyone reads again; the rest is dropped and the
 * answer says so (`reasoningTruncated`).
 */
export const MAX_CACHED_REASONING_CHARS = 64 * 1024;

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
  /**
   * The TTL the cached answers expire by, in ms: the last positive contexten.cache.ttlSeconds looked at (a TTL of 0
   * turns caching off; the answers kept meanwhile expire as before).
   */
  private ttlMs: number;

  constructor(
    private readonly clock: Clock,
    private readonly settings: () => CacheSettings,
  ) {
    this.lru = new LRUCache<string, Entry>({
      max: MAX_ENTRIES,
      maxSize: MAX_TOTAL_CHARS,
      sizeCalculation: (v) => Math.max(1, v.answer.text.length + (v.answer.reasoning?.length ?? 0)),
      // Expiry on the injected clock, read at every check (by default the time read is reused for a millisecond of real
      // time, which a clock that is not the real one would outrun).
      perf: { now: () => clock.now() },
      ttlResolution: 0,
    });
    const s = settings();
    this.wasActive = isActive(s);
    this.ttlMs = ttlMsOf(s) ?? 0;
  }

  /**
   * The cached answer, counting a hit or a miss; undefined (and nothing counted) when caching is off. An answer older
   * than the current TTL is a miss (and is dropped), whatever the TTL was when it was stored.
   */
  get(key: string): CachedAnswer | undefined {
    if (!this.observe()) return undefined;
    const entry = this.lru.get(key);
    if (!entry) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    return entry.answer;
  }

  set(key: string, value: CachedAnswer): void {
    if (!this.observe()) return;
    // (Expired answers go first, so that the room for this one is not made by pushing out answers still valid.)
    this.lru.purgeStale();
    const storedAt = this.clock.now();
    this.lru.set(key, { answer: boundedReasoning(value), storedAt }, { ttl: this.ttlMs, start: storedAt });
  }

  /**
   * Drops one answer (one the user could not use: asked again, the request is sent to the provider). With `onlyText`,
   * only while the answer stored is still that text: the same request may have stored a newer one meanwhile, which
   * is not the one the user turned down. (Counts no hit or miss.)
   */
  delete(key: string, onlyText?: string): void {
    if (onlyText !== undefined && this.lru.peek(key)?.answer.text !== onlyText) return;
    this.lru.delete(key);
  }

  clear(): void {
    this.lru.clear();
  }

  /**
   * Hits and misses since caching was last turned on: while it is off (contexten.cache.enabled false, or a TTL of 0)
   * none — nothing is served, so an earlier hit rate would describe a cache no request uses — and counting starts
   * afresh when it is on again (turned off and on with no lookup between too, when `settingsChanged` was called for each
   * change). `size` is how many answers the cache holds that are within the TTL (kept while off, valid again when on);
   * expired ones are dropped first.
   */
  stats(): GenerationCacheStats {
    const active = this.observe();
    this.lru.purgeStale();
    if (!active) return { hits: 0, misses: 0, hitRate: 0, size: this.lru.size };
    const total = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRate: total === 0 ? 0 : this.hits / total, size: this.lru.size };
  }

  /** Call when the settings changed: caching turned off and on again before the next lookup still counts afresh. */
  settingsChanged(): void {
    this.observe();
  }

  /**
   * Whether caching is on; the counts are forgotten when it was not the last time the settings were looked at. A changed
   * TTL is applied to the answers held.
   */
  private observe(): boolean {
    const s = this.settings();
    const active = isActive(s);
    if (active !== this.wasActive) {
      this.wasActive = active;
      this.hits = 0;
      this.misses = 0;
    }
    const ttlMs = ttlMsOf(s);
    if (ttlMs !== undefined) this.applyTtl(ttlMs);
    return active;
  }

  /**
   * Makes every answer held expire `ttlMs` after it was stored (one already past the old TTL included, if it was not
   * dropped yet: a raised TTL makes it valid again). The order of use is kept (dump lists the least recent first).
   */
  private applyTtl(ttlMs: number): void {
    if (ttlMs === this.ttlMs) return;
    this.ttlMs = ttlMs;
    for (const [key, { value }] of this.lru.dump()) this.lru.set(key, value, { ttl: ttlMs, start: value.storedAt });
  }
}

/** The answer with its thinking cut to MAX_CACHED_REASONING_CHARS (never inside a character), saying so when it was. */
function boundedReasoning(answer: CachedAnswer): CachedAnswer {
  const { reasoning } = answer;
  if (reasoning === undefined || reasoning.length <= MAX_CACHED_REASONING_CHARS) return answer;
  return { ...answer, reasoning: reasoning.slice(0, wholeCharacterCut(reasoning, MAX_CACHED_REASONING_CHARS)), reasoningTruncated: true };
}

/** Whether the settings turn caching on (a TTL of 0 turns it off). */
function isActive(s: CacheSettings): boolean {
  return s.enabled && s.ttlSeconds > 0;
}

/** The settings' TTL in ms; undefined for a TTL of 0 (caching off: the answers held keep the last TTL). */
function ttlMsOf(s: CacheSettings): number | undefined {
  return s.ttlSeconds > 0 ? s.ttlSeconds * 1000 : undefined;
}
