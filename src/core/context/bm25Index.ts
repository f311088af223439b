// An incremental BM25 index over small weighted "documents" (one per definition). Documents are
// added and removed by slot number; removal leaves tombstones in the postings that queries skip, and
// the owner rebuilds from scratch when too many accumulate (see `needsCompaction`). Slots must never
// be reused before a rebuild. Postings are one flat array per term, [slot, tf, slot, tf, …], which
// keeps 50,000 definitions in a few tens of megabytes.

import { ScratchArrays } from './scratchArrays';

const K1 = 1.2;
const B = 0.75;

export interface QueryTerm {
  readonly term: string;
  readonly weight: number;
  /** Whether matching this term counts towards the query coverage (false for compound forms). */
  readonly countsForCoverage: boolean;
}

/** Scores by slot (dense arrays, valid for the slots listed in `slots`, until the next search). */
export interface Bm25Hits {
  /** Slots with a positive score, in the order first matched. */
  readonly slots: readonly number[];
  /** Raw BM25 score by slot. */
  readonly score: Float64Array;
  /** Sum of the idf of the matched coverage terms, by slot. */
  readonly matchedIdf: Float64Array;
  /** Highest score. */
  readonly max: number;
}

export class Bm25Index {
  private readonly termIds = new Map<string, number>();
  private readonly postings: number[][] = [];
  private readonly df: number[] = [];
  /** Document length by slot; -1 for a free or removed slot (dense, for cache-friendly scans). */
  private docLength = new Float64Array(1024).fill(-1);
  /** One more than the highest slot ever added. */
  private slotEnd = 0;
  private documents = 0;
  private totalLength = 0;
  private livePostings = 0;
  private deadPostings = 0;
  private readonly scratch = new ScratchArrays();

  get documentCount(): number {
    return this.documents;
  }

  /** True when tombstones outnumber live postings: rebuilding is cheaper than skipping them. */
  get needsCompaction(): boolean {
    return this.deadPostings > 50_000 && this.deadPostings > this.livePostings;
  }

  /** Adds a document given its term frequencies (already weighted by field). */
  add(slot: number, termFrequencies: ReadonlyMap<string, number>): void {
    if ((this.docLength[slot] ?? -1) >= 0) throw new Error(`BM25 slot ${slot} is already in use`);
    let length = 0;
    for (const [term, tf] of termFrequencies) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.postings.length;
        this.termIds.set(term, id);
        this.postings.push([]);
        this.df.push(0);
      }
      this.postings[id]?.push(slot, tf);
      this.df[id] = (this.df[id] ?? 0) + 1;
      length += tf;
    }
    if (slot >= this.docLength.length) {
      const grown = new Float64Array(Math.max(slot + 1, this.docLength.length * 2)).fill(-1);
      grown.set(this.docLength);
      this.docLength = grown;
    }
    this.docLength[slot] = length;
    this.slotEnd = Math.max(this.slotEnd, slot + 1);
    this.documents++;
    this.totalLength += length;
    this.livePostings += termFrequencies.size;
  }

  /** Removes a document; `termFrequencies` must be the ones it was added with. */
  remove(slot: number, termFrequencies: ReadonlyMap<string, number>): void {
    const length = this.docLength[slot] ?? -1;
    if (length < 0) return;
    for (const term of termFrequencies.keys()) {
      const id = this.termIds.get(term);
      if (id !== undefined) this.df[id] = (this.df[id] ?? 1) - 1;
    }
    this.totalLength -= length;
    this.docLength[slot] = -1;
    this.documents--;
    this.livePostings -= termFrequencies.size;
    this.deadPostings += termFrequencies.size;
  }

  /** Inverse document frequency of a term (0 when no live document has it). */
  idf(term: string): number {
    const id = this.termIds.get(term);
    const df = id === undefined ? 0 : (this.df[id] ?? 0);
    if (df <= 0) return 0;
    const n = this.documents;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Scores every live document containing at least one query term. The arrays are reused by the next search. */
  search(terms: readonly QueryTerm[]): Bm25Hits {
    const capacity = this.slotEnd;
    const score = this.scratch.float64('score', capacity);
    const matchedIdf = this.scratch.float64('matchedIdf', capacity);
    const slots: number[] = [];
    let max = 0;
    const n = this.documents;
    if (n === 0) return { slots, score, matchedIdf, max };
    const avgLength = this.totalLength / n || 1;
    const docLength = this.docLength;
    for (const { term, weight, countsForCoverage } of terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term);
      if (idf === 0) continue;
      const postings = this.postings[id] ?? [];
      const covered = countsForCoverage ? idf : 0;
      for (let i = 0; i < postings.length; i += 2) {
        const slot = postings[i] as number;
        const length = docLength[slot] ?? -1;
        if (length < 0) continue; // tombstone
        const tf = postings[i + 1] as number;
        const part = (weight * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avgLength));
        const before = score[slot] ?? 0;
        if (before === 0) slots.push(slot);
        const after = before + part;
        score[slot] = after;
        matchedIdf[slot] = (matchedIdf[slot] ?? 0) + covered;
        if (after > max) max = after;
      }
    }
    return { slots, score, matchedIdf, max };
  }
}
