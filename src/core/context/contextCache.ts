// LRU cache of context results. The key holds everything the result depends on: the prompt
// (whitespace- and case-folded: the ranker reads prompts case-insensitively), the editor state,
// budget, threshold and the index version, so a stale result can never be served.

import { LRUCache } from 'lru-cache';
import type { ContextCacheStats, ContextItem, ContextResult } from './model';
import { FileLines, lineSlice } from './sourceLines';
import { hashWord } from './sourceLexer';
import { camelCaseWords } from './identifierTokens';

export interface ContextCacheKeyParts {
  readonly query: string;
  /** (None and null, a query's "no active file", are one key.) */
  readonly activeFile: string | null | undefined;
  readonly openFiles: readonly string[];
  readonly recentFiles: readonly string[];
  readonly budget: number;
  readonly relevanceThreshold: number;
  /** Identifies the index the result came from: swaps and version changes both change it. */
  readonly indexKey: string;
}

export const DEFAULT_CONTEXT_CACHE_SIZE = 256;

export function normaliseQuery(query: string): string {
  // Case-folded, with the one thing of its case a parse reads: which words are camelCase names (parseQuery).
  const camel = [...camelCaseWords(query)];
  const folded = query.trim().replace(/\s+/g, ' ').toLowerCase();
  return camel.length > 0 ? `${folded}\u0000${camel.join(' ')}` : folded;
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

/** A cached item: its text is not kept, only what tells that the text read again on a hit is the same. */
interface CachedItem {
  readonly item: Omit<ContextItem, 'text'>;
  readonly length: number;
  /** hashWord of the text. */
  readonly hash: number;
}

interface CachedResult {
  readonly result: Omit<ContextResult, 'items'>;
  readonly items: readonly CachedItem[];
}

/**
 * Results are kept without their texts (up to a budget of characters each, 50,000 by default: a cache of them
 * was most of what the engine heap kept besides the index, and the heap's limit before the next full collection
 * grows with what it keeps). A hit reads the items' lines again (a few dozen small synchronous reads) and is a
 * hit only when every text is the one sent before (same length and hash); otherwise the entry is dropped and the
 * lookup counts as a miss.
 */
export class ContextCache {
  private readonly lru: LRUCache<string, CachedResult>;
  private hits = 0;
  private misses = 0;

  constructor(size: number = DEFAULT_CONTEXT_CACHE_SIZE) {
    this.lru = new LRUCache({ max: Math.max(1, size) });
  }

  /** The result cached under `key` with its texts read again through `readText`, or undefined (a miss). */
  async get(key: string, readText: (path: string) => Promise<string | undefined>): Promise<ContextResult | undefined> {
    const cached = this.lru.get(key);
    const items = cached && (await restoreTexts(cached.items, readText));
    if (cached && items) {
      this.hits++;
      return { ...cached.result, items };
    }
    if (cached) this.lru.delete(key);
    this.misses++;
    return undefined;
  }

  set(key: string, value: ContextResult): void {
    const { items, ...result } = value;
    this.lru.set(key, { result, items: items.map(({ text, ...item }) => ({ item, length: text.length, hash: hashWord(text, 0, text.length) })) });
  }

  stats(): ContextCacheStats {
    const lookups = this.hits + this.misses;
    return { hits: this.hits, misses: this.misses, hitRate: lookups === 0 ? 0 : this.hits / lookups, size: this.lru.size };
  }
}

/**
 * The items with their lines read again, or undefined when a file is gone or a text differs from the cached one. Each
 * item's editor line is counted again in the text read now (the lines before the item may have changed their lone CRs).
 */
async function restoreTexts(cached: readonly CachedItem[], readText: (path: string) => Promise<string | undefined>): Promise<ContextItem[] | undefined> {
  const files = new FileLines(readText);
  const items: ContextItem[] = [];
  for (const { item: cachedItem, length, hash } of cached) {
    const { editorLine: _counted, ...item } = cachedItem;
    const lines = await files.get(item.file);
    const text = lines && lineSlice(lines, item.startLine, item.endLine)?.text;
    if (!lines || text === undefined || text.length !== length || hashWord(text, 0, length) !== hash) return undefined;
    const editorLine = lines.editorLine(item.startLine);
    items.push({ ...item, text, ...(editorLine !== item.startLine ? { editorLine } : {}) });
  }
  return items;
}
