// An incremental BM25 index over small weighted "documents" (one per definition). Documents are
// added and removed by slot number; removal leaves tombstones in the postings that queries skip.
// Slots must never be reused. Postings live in typed arrays (~2.2 bytes each once settled): a frozen part in
// compressed-row form (each term's postings contiguous, their slots packed: packedSlotLists.ts) and the postings
// added since, in a log with
// one chain per term. A term frequency is stored as a code into a table of the distinct values (sums of a few
// field weights: about a hundred values for a whole workspace), exactly, a byte each while there are at most
// 256 of them; `settle` folds the log into the frozen part and drops the tombstones once they
// are worth it. Within a term, postings stay in the order they were added, so scores do not depend on
// when the index was settled.

import type { LexicalDocument } from './lexicalDocuments';
import { packedLength, unpackSlots, writePacked } from './packedSlotLists';
import { ScratchArrays } from './scratchArrays';
import { ExclusiveSteps, runToEnd, StepBudget } from './steps';
import { releaseArray, withExactLength, withLength } from './typedArrayGrowth';

const K1 = 1.2;
const B = 0.75;
/** The log and the tombstones are folded in once they reach this share of the frozen postings… */
const SETTLE_SHARE = 1 / 8;
/** …and at least this many (small edits should not copy every posting). */
const SETTLE_MIN = 4_096;
/** About how many postings a step of `settleSteps` reads (a few milliseconds here). */
const SETTLE_STEP_POSTINGS = 1 << 19;
/** Head room on a projection of the postings a reserved build still has to add. */
const PROJECTION_MARGIN = 1.05;

/** Length units per unit of document length (Bm25Index.totalLengthUnits): exact below 2^33 in all, far above any workspace. */
const LENGTH_UNITS = 2 ** 20;

function lengthUnits(length: number): number {
  return Math.round(length * LENGTH_UNITS);
}

export interface QueryTerm {
  readonly term: string;
  readonly weight: number;
  /** Whether matching this term counts towards the query coverage (false for compound forms). */
  readonly countsForCoverage: boolean;
}

/** Scores by slot (dense arrays, valid for the slots listed in `slots`, until the next search). */
export interface Bm25Hits {
  /** Slots with a positive score, in the order first matched. */
  readonly slots: Int32Array;
  /** Raw BM25 score by slot. */
  readonly score: Float64Array;
  /** Sum of the idf of the matched coverage terms, by slot. */
  readonly matchedIdf: Float64Array;
  /** Highest score. */
  readonly max: number;
}

/**
 * Keys of a search's dense work arrays in the ScratchArrays it is given: a caller that passes its own can take them
 * for other per-slot work once it no longer reads what they hold (matchedIdf, for one, is read once per match).
 */
export const BM25_WORK_ARRAYS = { score: 'bm25.score', matchedIdf: 'bm25.matchedIdf', slots: 'bm25.slots', postings: 'bm25.postings' } as const;

type TfCodes = Uint8Array | Uint16Array | Uint32Array;

/** The highest code an array of term-frequency codes holds. */
function maxCode(codes: TfCodes): number {
  return codes instanceof Uint8Array ? 0xff : codes instanceof Uint16Array ? 0xffff : 0xffffffff;
}

export class Bm25Index {
  private readonly termIds = new Map<string, number>();
  private termCount = 0;
  private df = new Int32Array(1024);
  /**
   * Frozen postings of term t (none for t ≥ frozenTerms): term-frequency codes frozenTf[frozenStart[t] .. frozenStart[t + 1]),
   * their slots the packed list frozenSlots[frozenSlotStart[t] .. frozenSlotStart[t + 1]).
   */
  private frozenStart = new Int32Array(1);
  private frozenSlotStart = new Int32Array(1);
  private frozenSlots = new Uint8Array(0);
  private frozenTf: TfCodes = new Uint8Array(0);
  private frozenTerms = 0;
  /** Postings added since the last settle: per term a chain logHead[t] → logNext[i] → … → -1. */
  private logSlot = new Int32Array(0);
  private logTerm = new Int32Array(0);
  private logTf: TfCodes = new Uint8Array(0);
  /** Distinct term frequencies: tfValues[code], and back. */
  private tfValues = new Float64Array(64);
  private readonly tfCodes = new Map<number, number>();
  /** The frequency tfCode was last asked for (NaN: none) and its code. */
  private lastTf = Number.NaN;
  private lastTfCode = 0;
  private logNext = new Int32Array(0);
  private logHead = new Int32Array(1024).fill(-1);
  private logTail = new Int32Array(1024).fill(-1);
  private logUsed = 0;
  /**
   * Whether the log's postings are linked in their terms' chains (what a search reads). A reserved build
   * (from an empty log) leaves them unlinked and keeps their slots per document instead of per posting
   * (logDocSlot/logDocStart): 8 bytes a posting less at the build's peak. It is settled into the frozen
   * arrays at the latest by the next search (the order within a term is the same either way).
   */
  private chained = true;
  /** In an unlinked log: document d's postings start at logDocStart[d] and belong to slot logDocSlot[d]. */
  private logDocSlot = new Int32Array(0);
  private logDocStart = new Int32Array(0);
  private logDocs = 0;
  /**
   * The build `reserve` sized the log for: when its guess falls short, the log grows once to what the
   * postings per slot seen since then project for the slots still to come, instead of by half again.
   */
  private reservation: { readonly slotEnd: number; readonly fromSlot: number; readonly fromPosting: number } | undefined;
  /** Document length by slot; -1 for a free or removed slot (dense, for cache-friendly scans). */
  private docLength = new Float64Array(1024).fill(-1);
  /** One more than the highest slot ever added. */
  private slotEnd = 0;
  private documents = 0;
  /**
   * The documents' lengths summed in units of 2^-20 (lengthUnits): integers add up exactly in any order, so an index
   * that documents came and went in scores exactly as a fresh index of the same documents (weights such as 0.3
   * have no exact binary fraction: a sum of doubles would drift in its last bits with the order of the updates).
   */
  private totalLengthUnits = 0;
  private deadPostings = 0;
  private readonly scratch = new ScratchArrays();
  /** A settle in steps under way: until it is done nothing may change the index (its arrays would be replaced or changed under it) or settle it again. */
  private readonly settling = new ExclusiveSteps('Bm25Index', 'settle');

  get documentCount(): number {
    return this.documents;
  }

  /** Postings held, live or tombstoned (for tests and measurements). */
  get postingCount(): number {
    return this.frozenTf.length + this.logUsed;
  }

  /** The id of a term, given one on first sight. */
  termId(term: string): number {
    let id = this.termIds.get(term);
    if (id === undefined) {
      id = this.termCount++;
      this.termIds.set(term, id);
      this.df = withLength(this.df, this.termCount);
      this.logHead = withLength(this.logHead, this.termCount, -1);
      this.logTail = withLength(this.logTail, this.termCount, -1);
    }
    return id;
  }

  /**
   * Makes room for about this many more postings and documents up to `slotEnd` at once (a first
   * build knows roughly how many are coming), instead of growing the arrays step by step; documents up to `slotRoom`
   * (≥ slotEnd: the slots edits take after the build) have room too.
   */
  reserve(postings: number, slotEnd: number, slotRoom = slotEnd): void {
    if (this.logUsed === 0) this.chained = false;
    this.growLog(this.logUsed + postings);
    this.docLength = withLength(this.docLength, slotRoom, -1);
    this.reservation = { slotEnd, fromSlot: this.slotEnd, fromPosting: this.logUsed };
  }

  /** Log capacity (for tests and measurements). */
  get logCapacity(): number {
    return this.logTerm.length;
  }

  /** Sizes the log arrays to exactly `length` entries when they hold fewer. */
  private growLog(length: number): void {
    this.logTerm = withExactLength(this.logTerm, length);
    this.logTf = withExactLength(this.logTf, length);
    if (!this.chained) return;
    this.logSlot = withExactLength(this.logSlot, length);
    this.logNext = withExactLength(this.logNext, length);
  }

  /** What the log should grow to to hold `needed` postings: a projection during a reserved build, else half again as much. */
  private logTarget(needed: number): number {
    const r = this.reservation;
    const seenSlots = this.slotEnd - (r?.fromSlot ?? 0);
    if (r === undefined || this.slotEnd >= r.slotEnd || seenSlots <= 0) return Math.max(needed, Math.ceil(this.logTerm.length * 1.5), 64);
    const perSlot = (this.logUsed - r.fromPosting) / seenSlots;
    return Math.max(needed, Math.ceil(this.logUsed + perSlot * (r.slotEnd - this.slotEnd) * PROJECTION_MARGIN));
  }

  /** Adds a document given its term frequencies (already weighted by field). */
  add(slot: number, termFrequencies: ReadonlyMap<string, number>): void {
    this.beginDocument(slot, termFrequencies.size);
    let length = 0;
    for (const [term, tf] of termFrequencies) length += this.addPosting(slot, this.termId(term), tf);
    this.endDocument(slot, length);
  }

  /** Adds a document built by term id (ids from `termId`); the same as `add` with its terms as a Map. */
  addDocument(slot: number, document: LexicalDocument): void {
    this.beginDocument(slot, document.size);
    let length = 0;
    for (let i = 0; i < document.size; i++) {
      const id = document.termAt(i);
      length += this.addPosting(slot, id, document.frequency(id));
    }
    this.endDocument(slot, length);
  }

  private beginDocument(slot: number, terms: number): void {
    this.settling.assertIdle('a document added');
    if ((this.docLength[slot] ?? -1) >= 0) throw new Error(`BM25 slot ${slot} is already in use`);
    const needed = this.logUsed + terms;
    if (needed > this.logTerm.length) this.growLog(this.logTarget(needed));
    if (!this.chained) {
      this.logDocSlot = withLength(this.logDocSlot, this.logDocs + 1);
      this.logDocStart = withLength(this.logDocStart, this.logDocs + 1);
      this.logDocSlot[this.logDocs] = slot;
      this.logDocStart[this.logDocs++] = this.logUsed;
    }
  }

  /** Logs one posting; returns its term frequency. */
  private addPosting(slot: number, id: number, tf: number): number {
    const i = this.logUsed++;
    this.logTerm[i] = id;
    const code = this.tfCode(tf); // may widen logTf: read the field after
    this.logTf[i] = code;
    if (this.chained) {
      this.logSlot[i] = slot;
      this.logNext[i] = -1;
      const tail = this.logTail[id] as number;
      if (tail < 0) this.logHead[id] = i;
      else this.logNext[tail] = i;
      this.logTail[id] = i;
    }
    this.df[id] = (this.df[id] ?? 0) + 1;
    return tf;
  }

  private endDocument(slot: number, length: number): void {
    this.docLength = withLength(this.docLength, slot + 1, -1);
    this.docLength[slot] = length;
    this.slotEnd = Math.max(this.slotEnd, slot + 1);
    this.documents++;
    this.totalLengthUnits += lengthUnits(length);
  }

  /** A fresh array of term-frequency codes, as wide as the codes handed out so far need. */
  private newTfCodes(length: number): TfCodes {
    const codes = this.tfCodes.size;
    return codes > 0x10000 ? new Uint32Array(length) : codes > 0x100 ? new Uint16Array(length) : new Uint8Array(length);
  }

  /** A copy of an array of codes as wide as the codes handed out so far need (the array itself is freed). */
  private widened(codes: TfCodes): TfCodes {
    const wider = this.newTfCodes(codes.length);
    wider.set(codes);
    releaseArray(codes);
    return wider;
  }

  /** The code of a term frequency (1 byte a posting; 2 past 256 distinct values, 4 past 65,536). */
  private tfCode(tf: number): number {
    // Postings in a row mostly share a frequency (a definition's referenced names all weigh the same): the last one's
    // code is kept at hand, as a Map lookup of a fractional number is not cheap.
    if (tf === this.lastTf) return this.lastTfCode;
    let code = this.tfCodes.get(tf);
    if (code === undefined) {
      code = this.tfCodes.size;
      this.tfCodes.set(tf, code);
      this.tfValues = withLength(this.tfValues, code + 1);
      this.tfValues[code] = tf;
      if (code > maxCode(this.logTf)) {
        this.logTf = this.widened(this.logTf);
      }
    }
    this.lastTf = tf;
    this.lastTfCode = code;
    return code;
  }

  /** Removes a document; `termFrequencies` must be the ones it was added with. */
  remove(slot: number, termFrequencies: ReadonlyMap<string, number>): void {
    if (!this.removable(slot)) return;
    for (const term of termFrequencies.keys()) {
      const id = this.termIds.get(term);
      if (id !== undefined) this.df[id] = (this.df[id] ?? 1) - 1;
    }
    this.endRemoval(slot, termFrequencies.size);
  }

  /** Removes a document; `document` must hold the terms it was added with. */
  removeDocument(slot: number, document: LexicalDocument): void {
    if (!this.removable(slot)) return;
    for (let i = 0; i < document.size; i++) {
      const id = document.termAt(i);
      this.df[id] = (this.df[id] ?? 1) - 1;
    }
    this.endRemoval(slot, document.size);
  }

  /** Whether `slot` holds a document to remove; throws while a settle in steps is under way. */
  private removable(slot: number): boolean {
    this.settling.assertIdle('a document removed');
    return (this.docLength[slot] ?? -1) >= 0;
  }

  private endRemoval(slot: number, terms: number): void {
    this.totalLengthUnits -= lengthUnits(this.docLength[slot] as number);
    this.docLength[slot] = -1;
    this.documents--;
    this.deadPostings += terms;
  }

  /**
   * Folds the postings added since the last call into the frozen arrays, without tombstones, when
   * enough have accumulated to be worth the copy (always after a reserved build). Returns true when it did.
   */
  settle(): boolean {
    return runToEnd(this.settleSteps());
  }

  /**
   * The same work as `settle`, in steps: the generator yields after about `stepPostings` postings read, so that a
   * caller running it in steps lets the event loop run (at 50,000 files a settle reads millions of postings twice,
   * ~300 ms in all). Nothing may change or settle the index until the generator is done (they throw: `add`, `remove`,
   * `settle`, and `search` of a log not yet linked, which settles); nothing it holds changes before the last step.
   */
  *settleSteps(stepPostings = SETTLE_STEP_POSTINGS): Generator<void, boolean, void> {
    this.settling.assertIdle('a settle begun');
    const pending = this.logUsed + this.deadPostings;
    if (pending === 0) {
      this.chained = true;
      return false;
    }
    if (this.chained && pending < Math.max(SETTLE_MIN, this.frozenTf.length * SETTLE_SHARE)) return false;
    yield* this.settling.run(this.foldLogSteps(stepPostings));
    return true;
  }

  /** The work of `settleSteps` once it has decided to settle. */
  private *foldLogSteps(stepPostings: number): Generator<void, void, void> {
    // A stable counting sort by term: frozen postings (already in term order) first, then the log in
    // the order added, so each term keeps its postings in insertion order. Sequential reads only. Two passes over
    // the same postings in the same order: the first counts each term's postings and the bytes of its packed slots
    // (each slot's difference from the term's slot before it, kept in `last`), the second writes them.
    const docLength = this.docLength;
    const live = (slot: number): boolean => (docLength[slot] as number) >= 0;
    const terms = this.termCount;
    const start = new Int32Array(terms + 1);
    const slotStart = new Int32Array(terms + 1);
    const last = new Int32Array(terms);
    const logTerm = this.logTerm;
    const count = (t: number, slot: number): void => {
      start[t + 1] = (start[t + 1] as number) + 1;
      slotStart[t + 1] = (slotStart[t + 1] as number) + packedLength(slot - (last[t] as number));
      last[t] = slot;
    };
    yield* this.eachLiveFrozenPosting(live, count, stepPostings);
    yield* this.eachLivePosting(live, (i, slot) => count(logTerm[i] as number, slot), stepPostings);
    for (let t = 0; t < terms; t++) {
      start[t + 1] = (start[t + 1] as number) + (start[t] as number);
      slotStart[t + 1] = (slotStart[t + 1] as number) + (slotStart[t] as number);
    }
    const total = start[terms] as number;
    const slots = new Uint8Array(slotStart[terms] as number);
    const tfs = this.newTfCodes(total);
    const next = start.slice(0, terms);
    const nextByte = slotStart.slice(0, terms);
    last.fill(0);
    const write = (t: number, slot: number, code: number): void => {
      const at = next[t] as number;
      next[t] = at + 1;
      tfs[at] = code;
      nextByte[t] = writePacked(slots, nextByte[t] as number, slot - (last[t] as number));
      last[t] = slot;
    };
    const frozenTf = this.frozenTf;
    yield* this.eachLiveFrozenPosting(live, (t, slot, i) => write(t, slot, frozenTf[i] as number), stepPostings);
    const logTf = this.logTf;
    yield* this.eachLivePosting(live, (i, slot) => write(logTerm[i] as number, slot, logTf[i] as number), stepPostings);
    // The arrays replaced are this index's own (no view of them escapes): freed now, before the caller's next
    // allocations (at 50,000 files the build's log is ~60 MB).
    for (const old of [this.frozenStart, this.frozenSlotStart, this.frozenSlots, this.frozenTf, this.logSlot, this.logDocSlot, this.logDocStart, this.logTerm, this.logTf, this.logNext]) releaseArray(old);
    this.frozenStart = start;
    this.frozenSlotStart = slotStart;
    this.frozenSlots = slots;
    this.frozenTf = tfs;
    this.frozenTerms = this.termCount;
    this.logSlot = new Int32Array(0);
    this.logDocSlot = new Int32Array(0);
    this.logDocStart = new Int32Array(0);
    this.logDocs = 0;
    this.logTerm = new Int32Array(0);
    this.logTf = this.newTfCodes(0);
    this.logNext = new Int32Array(0);
    this.logHead.fill(-1);
    this.logTail.fill(-1);
    this.logUsed = 0;
    this.chained = true;
    this.deadPostings = 0;
    this.reservation = undefined;
  }

  /** Each frozen posting whose slot is live, by term in order, with its term, slot and position; yields after every `stepPostings` or so read. */
  private *eachLiveFrozenPosting(live: (slot: number) => boolean, visit: (t: number, slot: number, i: number) => void, stepPostings: number): Generator<void, void, void> {
    let slots = new Int32Array(64);
    const budget = new StepBudget(stepPostings);
    for (let t = 0; t < this.frozenTerms; t++) {
      const first = this.frozenStart[t] as number;
      slots = withLength(slots, (this.frozenStart[t + 1] as number) - first);
      const count = unpackSlots(this.frozenSlots, this.frozenSlotStart[t] as number, this.frozenSlotStart[t + 1] as number, slots);
      for (let k = 0; k < count; k++) {
        const slot = slots[k] as number;
        if (live(slot)) visit(t, slot, first + k);
      }
      if (budget.spend(count)) yield;
    }
  }

  /** Each posting of the log whose slot is live, in the order added, with its slot; yields after every `stepPostings` or so read. */
  private *eachLivePosting(live: (slot: number) => boolean, visit: (i: number, slot: number) => void, stepPostings: number): Generator<void, void, void> {
    if (this.chained) {
      for (let from = 0; from < this.logUsed; from += stepPostings) {
        if (from > 0) yield;
        for (let i = from, to = Math.min(this.logUsed, from + stepPostings); i < to; i++) {
          const slot = this.logSlot[i] as number;
          if (live(slot)) visit(i, slot);
        }
      }
      return;
    }
    const budget = new StepBudget(stepPostings);
    for (let d = 0; d < this.logDocs; d++) {
      const slot = this.logDocSlot[d] as number;
      const start = this.logDocStart[d] as number;
      const end = d + 1 < this.logDocs ? (this.logDocStart[d + 1] as number) : this.logUsed;
      if (live(slot)) for (let i = start; i < end; i++) visit(i, slot);
      if (budget.spend(end - start)) yield;
    }
  }

  /** Inverse document frequency of a term (0 when no live document has it). */
  idf(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? 0 : this.idfOf(id);
  }

  private idfOf(id: number): number {
    const df = this.df[id] ?? 0;
    if (df <= 0) return 0;
    const n = this.documents;
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /**
   * Scores every live document containing at least one query term. The arrays are `scratch`'s (BM25_WORK_ARRAYS; this
   * index's own when not given), reused by the next search.
   */
  search(terms: readonly QueryTerm[], scratch: ScratchArrays = this.scratch): Bm25Hits {
    if (!this.chained) this.settle(); // (throws while a settle in steps is under way)
    const capacity = this.slotEnd;
    const score = scratch.float64(BM25_WORK_ARRAYS.score, capacity);
    const matchedIdf = scratch.float64(BM25_WORK_ARRAYS.matchedIdf, capacity);
    const slots = scratch.int32List(BM25_WORK_ARRAYS.slots, capacity);
    let matched = 0;
    let max = 0;
    const n = this.documents;
    if (n === 0) return { slots: slots.subarray(0, 0), score, matchedIdf, max };
    const avgLength = this.totalLengthUnits / LENGTH_UNITS / n || 1;
    const docLength = this.docLength;
    const tfValues = this.tfValues;
    for (const { term, weight, countsForCoverage } of terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idfOf(id);
      if (idf === 0) continue;
      const covered = countsForCoverage ? idf : 0;
      // Frozen postings first, then the log: the order they were added in.
      const frozen = id < this.frozenTerms;
      const first = frozen ? (this.frozenStart[id] as number) : 0;
      const end = frozen ? (this.frozenStart[id + 1] as number) : 0;
      // The term's frozen slots, unpacked: postings[k] is the slot of posting first + k.
      const postings = scratch.int32List(BM25_WORK_ARRAYS.postings, end - first);
      if (frozen) unpackSlots(this.frozenSlots, this.frozenSlotStart[id] as number, this.frozenSlotStart[id + 1] as number, postings);
      let i = first;
      let chained = this.logHead[id] as number;
      for (;;) {
        let slot: number;
        let tf: number;
        if (i < end) {
          slot = postings[i - first] as number;
          tf = tfValues[this.frozenTf[i++] as number] as number;
        } else if (chained >= 0) {
          slot = this.logSlot[chained] as number;
          tf = tfValues[this.logTf[chained] as number] as number;
          chained = this.logNext[chained] as number;
        } else break;
        const length = docLength[slot] as number;
        if (length < 0) continue; // tombstone
        const part = (weight * idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * length) / avgLength));
        const before = score[slot] as number;
        if (before === 0) slots[matched++] = slot;
        const after = before + part;
        score[slot] = after;
        matchedIdf[slot] = (matchedIdf[slot] as number) + covered;
        if (after > max) max = after;
      }
    }
    return { slots: slots.subarray(0, matched), score, matchedIdf, max };
  }
}
