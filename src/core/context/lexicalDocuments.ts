// Builds the BM25 documents of the ranking index as term ids, without a string per word or a Map per
// document. Each distinct word (identifier, or word of a signature or doc comment) is found through a
// hash over its character codes and has its term ids computed once: a word seen before costs no
// substring and no string-keyed lookup. A document's weighted term frequencies are summed in a dense
// array by term id, the terms listed in the order first seen, so they come out exactly as the
// Map-based `definitionTerms`/`fileTerms` would (same terms, same order, same sums).
import { detachedCut } from './detached';
import { computeIdentifierTerms, forEachWord } from './identifierTokens';
import { hashWord, sameChars } from './sourceLexer';
import { withLength } from './typedArrayGrowth';

/** Past this many distinct words the memo starts over (at 50,000 files it would otherwise keep every word ever seen). */
const MAX_WORDS = 262_144;

/** The term ids of words, memoised by the word's characters. */
export class WordTermIds {
  /** Entry + 1 per slot (0: empty), open addressing with linear probing. */
  private slots = new Int32Array(1024);
  private words: string[] = [];
  private hashes = new Int32Array(256);
  /** Entry e's term ids: pool[termStart[e] .. termStart[e + 1]). */
  private termStart = new Int32Array(257);
  private pool = new Int32Array(1024);
  /** entryOfKey's entries by key, -1 when not looked up since the memo last started over. */
  private byKey = new Int32Array(0);

  /** @param maxWords past this many distinct words the memo starts over (MAX_WORDS; tests give fewer). */
  constructor(
    private readonly termId: (term: string) => number,
    private readonly maxWords = MAX_WORDS,
  ) {}

  /**
   * The entry of `word`, remembered by `key` (a number the caller gives each distinct word: the ranking index's name
   * ids): a word looked up again by its key costs no hashing and no probing. A key must stand for one word for as long
   * as this object lives.
   */
  entryOfKey(key: number, word: string): number {
    const known = key < this.byKey.length ? (this.byKey[key] as number) : -1;
    if (known >= 0) return known;
    const entry = this.entry(word, 0, word.length, hashWord(word, 0, word.length));
    this.byKey = withLength(this.byKey, key + 1, -1);
    this.byKey[key] = entry;
    return entry;
  }

  /**
   * The entry of the word text[start, end) (hash: hashWord of it), made on first sight.
   * @param transient whether `text` may be a cut of a text that is not kept (a file's texts inflated for a moment:
   *   definitionTexts.ts): a long word of it is then kept as a copy, not as a view that would keep the whole text.
   */
  entry(text: string, start: number, end: number, hash: number, transient = false): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    let slot = hash & mask;
    for (; ; slot = (slot + 1) & mask) {
      const entry = (this.slots[slot] as number) - 1;
      if (entry < 0) break;
      if (this.hashes[entry] === hash && sameChars(this.words[entry] as string, text, start, length)) return entry;
    }
    if (this.words.length >= this.maxWords) {
      this.clear();
      return this.entry(text, start, end, hash, transient);
    }
    const cut = start === 0 && end === text.length ? text : text.slice(start, end);
    const word = transient ? detachedCut(cut) : cut;
    const entry = this.words.push(word) - 1;
    this.hashes = withLength(this.hashes, entry + 1);
    this.hashes[entry] = hash;
    const terms = computeIdentifierTerms(word);
    const from = this.termStart[entry] as number;
    this.pool = withLength(this.pool, from + terms.length);
    for (let k = 0; k < terms.length; k++) this.pool[from + k] = this.termId(terms[k] as string);
    this.termStart = withLength(this.termStart, entry + 2);
    this.termStart[entry + 1] = from + terms.length;
    if ((entry + 1) * 2 > this.slots.length) this.rehash(this.slots.length * 2);
    else this.slots[slot] = entry + 1;
    return entry;
  }

  termsStart(entry: number): number {
    return this.termStart[entry] as number;
  }

  termsEnd(entry: number): number {
    return this.termStart[entry + 1] as number;
  }

  get termPool(): Int32Array {
    return this.pool;
  }

  private clear(): void {
    this.byKey = new Int32Array(0);
    this.words = [];
    this.slots = new Int32Array(1024);
    this.hashes = new Int32Array(256);
    this.termStart = new Int32Array(257);
    this.pool = new Int32Array(1024);
  }

  private rehash(size: number): void {
    this.slots = new Int32Array(size);
    const mask = size - 1;
    for (let e = 0; e < this.words.length; e++) {
      let slot = (this.hashes[e] as number) & mask;
      while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
      this.slots[slot] = e + 1;
    }
  }
}

/** One document's weighted term frequencies, by term id, in the order the terms were first added. */
export class LexicalDocument {
  /** Frequency by term id (zero for terms not in the document). */
  private tf = new Float64Array(1024);
  private order = new Int32Array(64);
  private count = 0;
  /** The text addText is reading, and its weight (read by addTextWord, its one visitor). */
  private text = '';
  private textWeight = 0;

  constructor(private readonly words: WordTermIds) {}

  private readonly addTextWord = (start: number, end: number): void => {
    const text = this.text;
    this.addWord(this.words.entry(text, start, end, hashWord(text, start, end), true), this.textWeight);
  };

  /** Adds the terms of one identifier (what identifierTerms gives) with a weight. */
  addIdentifier(identifier: string, weight: number): void {
    this.addWord(this.words.entry(identifier, 0, identifier.length, hashWord(identifier, 0, identifier.length)), weight);
  }

  /** Adds the terms of text[0, limit) (what textTerms gives for that slice) with a weight. */
  addText(text: string, limit: number, weight: number): void {
    // (One visitor for every call, the text and weight it reads set here: a closure per call was ~106 MB of garbage
    // per ranking index built over 50,000 files — a signature and a doc comment per definition.)
    this.text = text;
    this.textWeight = weight;
    try {
      forEachWord(text, Math.min(limit, text.length), this.addTextWord);
    } finally {
      this.text = '';
    }
  }

  /** Adds the terms of a word already looked up (WordTermIds.entry, entryOfKey) with a weight. */
  addWord(entry: number, weight: number): void {
    const pool = this.words.termPool;
    for (let k = this.words.termsStart(entry), end = this.words.termsEnd(entry); k < end; k++) {
      const term = pool[k] as number;
      this.tf = withLength(this.tf, term + 1);
      const before = this.tf[term] as number;
      if (before === 0) {
        this.order = withLength(this.order, this.count + 1);
        this.order[this.count++] = term;
      }
      this.tf[term] = before + weight;
    }
  }

  /** Number of distinct terms. */
  get size(): number {
    return this.count;
  }

  /** The i-th distinct term, in the order first added. */
  termAt(i: number): number {
    return this.order[i] as number;
  }

  frequency(term: number): number {
    return this.tf[term] as number;
  }

  /** Empties the document for the next one. */
  clear(): void {
    for (let i = 0; i < this.count; i++) this.tf[this.order[i] as number] = 0;
    this.count = 0;
  }
}
