// LRU cache of context results. The key holds everything the result depends on: the prompt
// (whitespace- and case-folded: the ranker reads prompts case-insensitively), the editor state,
// budget, threshold and the index version, so a stale result can never be served.

import { LRUCache } from 'lru-cache';
import type { ContextCacheStats, ContextResult } from './model';

export interface ContextCacheKeyParts {
  readonly query: string;
  readonly activeFile: string | undefined;
  readonly openFiles: readonly string[];
  readonly recentFiles: readonly string[];
  readonly budget: number;
  readonly relevanceThreshold: number;
  /** Identifies the index the result came from: swaps and version changes both change it. */
  readonly indexKey: string;
}

export const DEFAULT_CONTEXT_CACHE_SIZE = 256;
/**
 * Results hold up to a budget of text each: the cache also stops at this many characters in all (120 results
 * at the default budget of 50,000; a cached character is a byte or two of the engine's heap kept for as long
 * as the result is, and the heap's limit before the next full collection grows with what it keeps).
 */
export const MAX_CACHED_CHARS = 6_000_000;

export function normaliseQuery(query: string): string {
  return query.trim().replace(/\s+/g, ' ').toLowerCase();
}

export function contextCacheKey(parts: ContextCacheKeyParts): string {
  return JSON.stringify([
    normaliseQuery(parts.query),
    parts.activeFile ?? null,
    [...parts.openFiles].sort(),
    parts.recentFiles,
    parts.budget,
    parts.relevanceThreshold,
    parts.indexKey,
  ]);
}

export class ContextCache {
  private readonly lru: LRUCache<string, ContextResult>;
  private hits = 0;
  private misses = 0;

  constructor(size: number = DEFAULT_CONTEXT_CACHE_SIZE, maxChars: number = MAX_CACHED_CHARS) {
    this.lru = new LRUCache({ max: Math.max(1, size), maxSize: Math.max(1, maxChars), sizeCalculation: (result) => result.chars + 1 });
  }

  get(key: string): ContextResult | undefined {
    const value = this.lru.get(key);
    if (value) this.hits++;
    else this.misses++;
    return value;
  }

  set(key: string, value: ContextResult): void {
    this.lru.set(key, value);
  }

  stats(): ContextCacheStats {
    const lookups = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRate: lookups === 0 ? 0 : this.hits / lookups, size: this.lru.size };
  }
}
