// The identifier names of one source text, interned from its words by a hash over their character codes: a
// word's string is made (and checked against the keywords) only the first time it occurs, not once per
// occurrence, which is what reference collection spends most of its time on otherwise.
import { detachedCut } from './detached';
import { isReferenceName } from './identifierScanner';
import { hashWord, sameChars } from './sourceLexer';
import type { LanguageId } from './model';

const INITIAL_SLOTS = 256;

/** Whether `name` equals text[start, start + length). */
export class IdentifierTable {
  /** Identifier names in the order they got their indexes. */
  readonly names: string[] = [];
  /** Entry + 1 per slot (0: empty), open addressing with linear probing. */
  private slots: Int32Array;
  private entryHash: number[] = [];
  private entryName: string[] = [];
  /** The entry's identifier index, or -1 for a word that is not a reference (keyword, `$` where not allowed). */
  private entryId: number[] = [];
  /** Whether occurrences of the entry in the text are references (a definition may be named like a keyword). */
  private entryIsReference: boolean[] = [];
  /**
   * Whether a reference name met for the first time is kept as a copy rather than as a cut of the text (see
   * referenceId): set on an open document's table carried from edit to edit, not when a whole text is collected.
   */
  detachReferences = false;

  /**
   * @param expectedEntries how many names and words the caller expects to look up, when it knows (a document's table
   *   rebuilt on each edit from its previous identifiers): the slots start large enough, instead of being placed
   *   again at each doubling on the way there.
   */
  constructor(
    private readonly language: LanguageId,
    expectedEntries = 0,
  ) {
    let slots = INITIAL_SLOTS;
    while (slots < 2 * expectedEntries) slots *= 2;
    this.slots = new Int32Array(slots);
  }

  /**
   * A table with the same entries that can grow apart from this one: a document's table carried from one version
   * to the next (copying the arrays costs far less than hashing every name again).
   */
  copy(): IdentifierTable {
    const twin = new IdentifierTable(this.language);
    twin.slots = this.slots.slice();
    for (const name of this.names) twin.names.push(name);
    twin.entryHash = this.entryHash.slice();
    twin.entryName = this.entryName.slice();
    twin.entryId = this.entryId.slice();
    twin.entryIsReference = this.entryIsReference.slice();
    return twin;
  }

  /** The index of a name, given one if it has none yet (definition names, whether or not they are references). */
  add(name: string): number {
    const hash = hashWord(name, 0, name.length);
    const entry = this.find(hash, name, 0, name.length);
    if (entry >= 0) {
      const id = this.entryId[entry] ?? -1;
      if (id >= 0) return id;
      const assigned = this.names.push(name) - 1;
      this.entryId[entry] = assigned;
      return assigned;
    }
    const id = this.names.push(name) - 1;
    this.insert(hash, name, id, isReferenceName(name, this.language));
    return id;
  }

  /**
   * The identifier index of the word text[start, end) when its occurrences are references (the word gets an
   * index on its first occurrence), else -1.
   * @param hash hashWord(text, start, end), as the lexer reports it.
   */
  referenceId(text: string, start: number, end: number, hash: number): number {
    const entry = this.find(hash, text, start, end);
    if (entry >= 0) return this.entryIsReference[entry] === true ? (this.entryId[entry] ?? -1) : -1;
    const name = text.slice(start, end);
    const isReference = isReferenceName(name, this.language);
    // A word that is not a reference is kept only as a key, and a carried table (an open document's, from edit to
    // edit) keeps it after the word has left the text: not as a cut of the text (a long cut is a view keeping the
    // whole text alive — one old version of the document per such word, review22). Nor a reference name first met
    // in an edit's window (detachReferences): the table and the identifiers carry it from version to version.
    const kept = isReference && !this.detachReferences ? name : detachedCut(name);
    const id = isReference ? this.names.push(kept) - 1 : -1;
    this.insert(hash, kept, id, isReference);
    return id;
  }

  private find(hash: number, text: string, start: number, end: number): number {
    const mask = this.slots.length - 1;
    const length = end - start;
    for (let slot = hash & mask; ; slot = (slot + 1) & mask) {
      const entry = (this.slots[slot] ?? 0) - 1;
      if (entry < 0) return -1;
      if (this.entryHash[entry] === hash && sameChars(this.entryName[entry] ?? '', text, start, length)) return entry;
    }
  }

  private insert(hash: number, name: string, id: number, isReference: boolean): void {
    const entry = this.entryName.length;
    this.entryHash.push(hash);
    this.entryName.push(name);
    this.entryId.push(id);
    this.entryIsReference.push(isReference);
    if ((entry + 1) * 2 > this.slots.length) this.grow();
    else this.place(entry);
  }

  private place(entry: number): void {
    const mask = this.slots.length - 1;
    let slot = (this.entryHash[entry] ?? 0) & mask;
    while (this.slots[slot] !== 0) slot = (slot + 1) & mask;
    this.slots[slot] = entry + 1;
  }

  private grow(): void {
    this.slots = new Int32Array(this.slots.length * 2);
    for (let e = 0; e < this.entryName.length; e++) this.place(e);
  }
}
