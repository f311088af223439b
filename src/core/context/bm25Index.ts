// An incremental BM25 index over small weighted "documents" (one per definition). Documents are
// added and removed by slot number; removal leaves tombstones in the postings that queries skip, and
// the owner rebuilds from scratch when too many accumulate (see `needsCompaction`).

const K1 = 1.2;
const B = 0.75;

export interface QueryTerm {
  readonly term: string;
  readonly weight: number;
  /** Whether matching this term counts towards the query coverage (false for joined compound forms). */
  readonly countsForCoverage: boolean;
}

export interface Bm25Hit {
  /** Raw BM25 score. */
  score: number;
  /** Sum of the idf of the matched query terms that count for coverage. */
  matchedIdf: number;
}

export class Bm25Index {
  private readonly termIds = new Map<string, number>();
  private readonly postingSlots: number[][] = [];
  private readonly postingTf: number[][] = [];
  private readonly df: number[] = [];
  private readonly docTermIds = new Map<number, Uint32Array>();
  /** Document length by slot; -1 for a free or removed slot. */
  private readonly docLength: number[] = [];
  private documents = 0;
  private totalLength = 0;
  private livePostings = 0;
  private deadPostings = 0;

  get documentCount(): number {
    return this.documents;
  }

  /** True when tombstones outnumber live postings: rebuilding is cheaper than skipping them. */
  get needsCompaction(): boolean {
    return this.deadPostings > 50_000 && this.deadPostings > this.livePostings;
  }

  /** Adds a document given its term frequencies (already weighted by field). Slots must be fresh. */
  add(slot: number, termFrequencies: ReadonlyMap<string, number>): void {
    if (this.docTermIds.has(slot)) throw new Error(`BM25 slot ${slot} is already in use`);
    const ids = new Uint32Array(termFrequencies.size);
    let length = 0;
    let i = 0;
    for (const [term, tf] of termFrequencies) {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.postingSlots.length;
        this.termIds.set(term, id);
        this.postingSlots.push([]);
        this.postingTf.push([]);
        this.df.push(0);
      }
      this.postingSlots[id]?.push(slot);
      this.postingTf[id]?.push(tf);
      this.df[id] = (this.df[id] ?? 0) + 1;
      ids[i++] = id;
      length += tf;
    }
    this.docTermIds.set(slot, ids);
    while (this.docLength.length <= slot) this.docLength.push(-1);
    this.docLength[slot] = length;
    this.documents++;
    this.totalLength += length;
    this.livePostings += ids.length;
  }

  remove(slot: number): void {
    const ids = this.docTermIds.get(slot);
    if (!ids) return;
    for (const id of ids) this.df[id] = (this.df[id] ?? 1) - 1;
    this.totalLength -= this.docLength[slot] ?? 0;
    this.docTermIds.delete(slot);
    this.docLength[slot] = -1;
    this.documents--;
    this.livePostings -= ids.length;
    this.deadPostings += ids.length;
  }

  /** Inverse document frequency of a term (0 when no live document has it). */
  idf(term: string): number {
    const id = this.termIds.get(term);
    const df = id === undefined ? 0 : (this.df[id] ?? 0);
    if (df === 0) return 0;
    const n = this.documents;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** Scores every live document containing at least one query term. */
  search(terms: readonly QueryTerm[]): Map<number, Bm25Hit> {
    const hits = new Map<number, Bm25Hit>();
    const n = this.documents;
    if (n === 0) return hits;
    const avgLength = this.totalLength / n || 1;
    for (const { term, weight, countsForCoverage } of terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idf(term);
      if (idf === 0) continue;
      const slots = this.postingSlots[id] ?? [];
      const tfs = this.postingTf[id] ?? [];
      for (let i = 0; i < slots.length; i++) {
        const slot = slots[i] as number;
        const length = this.docLength[slot] ?? -1;
        if (length < 0) continue; // tombstone
        const tf = tfs[i] as number;
        const part = (weight * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avgLength));
        const covered = countsForCoverage ? idf : 0;
        const hit = hits.get(slot);
        if (hit) {
          hit.score += part;
          hit.matchedIdf += covered;
        } else {
          hits.set(slot, { score: part, matchedIdf: covered });
        }
      }
    }
    return hits;
  }
}
