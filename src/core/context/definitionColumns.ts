// How the index keeps a file's definitions: in columns (one typed array of numbers, one array of names and
// containers, the signatures joined into one string and the docs into another — or both compressed, as a reopened
// index holds them until they are read: definitionTexts.ts) instead of one object of thirteen
// fields and two strings each. At 50,000 files (638,000 definitions) the objects and their signature and doc strings
// held ~150 MB of the index's ~320 MB heap; with the columns the heap at the end of a cold build is ~245 MB. A
// Definition is made from the columns when one is asked for (DefinitionRecord, the class every producer of
// definitions uses).
import { DefinitionRecord, definitionId, type Definition, type DefinitionKind } from './model';
import { NO_TEXTS, PackedTexts, plainTexts, type DefinitionTexts, type PlainTexts } from './definitionTexts';
import { keptAsIs } from './internedStrings';
import { fitsIn16Bits, type TypedArraySlabs } from './typedArraySlabs';

const KINDS: readonly DefinitionKind[] = ['function', 'class', 'method', 'interface', 'type', 'enum', 'const'];
const KIND_INDEX: Readonly<Record<DefinitionKind, number>> = { function: 0, class: 1, method: 2, interface: 3, type: 4, enum: 5, const: 6 };

/** flags, startLine, endLine, startIndex, endIndex, signatureEndLine, docStartLine, end of signature, end of doc. */
const NUMBERS_PER = 9;
/** Flags: the kind's index in its low bits, then these. */
const KIND_MASK = 7;
const EXPORTED = 8;
const HAS_DOC = 16;
const HAS_DOC_START = 32;
const EXPORTED_AS_DEFAULT = 64;
const ALL_FLAGS = KIND_MASK | EXPORTED | HAS_DOC | HAS_DOC_START | EXPORTED_AS_DEFAULT;
/** Numbers per definition (DefinitionColumns.parts). */
export const DEFINITION_NUMBERS = NUMBERS_PER;


/**
 * One field of a file's definition by its index in the file, without making the definition (the ranker and the
 * packer read a few fields of thousands of definitions per query; only what leaves the engine is made whole).
 * Indexes must be in range (0 ≤ index < length).
 */
export interface DefinitionReader {
  readonly length: number;
  /** The definition at `index`, made anew (undefined past the end). */
  at(index: number): Definition | undefined;
  nameAt(index: number): string;
  kindAt(index: number): DefinitionKind;
  containerAt(index: number): string | undefined;
  startLineAt(index: number): number;
  endLineAt(index: number): number;
  signatureAt(index: number): string;
  signatureEndLineAt(index: number): number;
  docAt(index: number): string | undefined;
  docStartLineAt(index: number): number | undefined;
  exportedAt(index: number): boolean;
  /** Definition.exportedAsDefault, as a boolean. */
  exportedAsDefaultAt(index: number): boolean;
  idAt(index: number): string;
}

export class DefinitionColumns implements DefinitionReader {
  /** The columns of a file without definitions (shared: they name no file). */
  static readonly NONE = new DefinitionColumns('', [], new Int32Array(0), NO_TEXTS);

  private constructor(
    /** The file every definition is in. */
    readonly file: string,
    /** name, container (undefined when none) of each definition. */
    private readonly names: readonly (string | undefined)[],
    /** 16-bit when every number of the file fits (lines and offsets of nearly every file do), else 32-bit. */
    private readonly numbers: Uint16Array | Int32Array,
    /** The signatures one after another, then the doc comments (the numbers tell where each ends); compressed when loaded. */
    private readonly texts: DefinitionTexts,
  ) {}

  /**
   * The columns of `definitions` (all in `file`).
   * @param name how a name or container is kept (the index interns them).
   * @param copy how the joined signatures and docs are kept (see WorkspaceIndex.internFile's `copy`).
   * @param slabs where the numbers are placed when they are kept with other files' (see DefinitionColumnsBuilder.build).
   */
  static of(file: string, definitions: readonly Definition[], name: (s: string) => string = keptAsIs, copy: (s: string) => string = keptAsIs, slabs?: TypedArraySlabs): DefinitionColumns {
    if (definitions.length === 0) return DefinitionColumns.NONE;
    const builder = new DefinitionColumnsBuilder(definitions.length);
    for (const d of definitions) {
      builder.add(name(d.name), d.kind, d.container === undefined ? undefined : name(d.container), d.startLine, d.endLine, d.startIndex, d.endIndex, d.signature, d.signatureEndLine, d.doc, d.docStartLine, d.exported, d.exportedAsDefault === true);
    }
    return builder.build(file, copy, slabs);
  }

  /** (For DefinitionColumnsBuilder.) */
  static made(file: string, names: readonly (string | undefined)[], numbers: Uint16Array | Int32Array, texts: PlainTexts): DefinitionColumns {
    return numbers.length === 0 ? DefinitionColumns.NONE : new DefinitionColumns(file, names, numbers, texts);
  }

  get length(): number {
    return this.numbers.length / NUMBERS_PER;
  }

  /** Whether the texts, compressed, proved unreadable when read (they read as none: see plainTexts). */
  get textsUnreadable(): boolean {
    return this.texts instanceof PackedTexts && this.texts.unreadable;
  }

  /**
   * What the columns are made of, as kept (not copies: read them, do not change them), for the saved index: names
   * and containers (two per definition), DEFINITION_NUMBERS numbers per definition, the joined signatures and docs
   * (compressed when they are kept so).
   */
  parts(): { readonly names: readonly (string | undefined)[]; readonly numbers: Uint16Array | Int32Array; readonly texts: DefinitionTexts } {
    return { names: this.names, numbers: this.numbers, texts: this.texts };
  }

  /**
   * Columns from the parts of saved ones (parts), checked as they are copied: the numbers are copied (16-bit when they
   * all fit, in `slabs`), the names and texts kept (compressed texts are checked against their lengths here, and
   * inflate to them when read: plainTexts).
   * @returns the columns, or a description of the first problem when the parts cannot be columns' (a corrupt file).
   */
  static restored(file: string, names: readonly (string | undefined)[], numbers: Uint32Array, texts: DefinitionTexts, slabs?: TypedArraySlabs): DefinitionColumns | string {
    if (numbers.length !== (names.length / 2) * NUMBERS_PER) return 'definitions do not match';
    let signatureEnd = 0;
    let docEnd = 0;
    let bits = 0;
    for (let n = 0, d = 0; n < numbers.length; n += NUMBERS_PER, d++) {
      const flags = numbers[n] as number;
      // (Lines and offsets are kept as signed 32-bit numbers: a larger saved value is corrupt, not a file.)
      let wide = false;
      for (let j = 1; j < NUMBERS_PER; j++) {
        const v = numbers[n + j] as number;
        if (v > 0x7fffffff) wide = true;
        bits |= v;
      }
      const nextSignatureEnd = numbers[n + 7] as number;
      const nextDocEnd = numbers[n + 8] as number;
      const malformed =
        wide ||
        flags > ALL_FLAGS ||
        (flags & KIND_MASK) >= KINDS.length ||
        ((flags & HAS_DOC_START) === 0 && numbers[n + 6] !== 0) ||
        // Lines in order (the signature's last line within the definition's), offsets in order.
        (numbers[n + 1] as number) > (numbers[n + 5] as number) ||
        (numbers[n + 5] as number) > (numbers[n + 2] as number) ||
        (numbers[n + 3] as number) > (numbers[n + 4] as number) ||
        nextSignatureEnd < signatureEnd ||
        nextDocEnd < docEnd ||
        ((flags & HAS_DOC) === 0 && nextDocEnd !== docEnd) ||
        names[2 * d] === undefined;
      if (malformed) return `definition ${d} is malformed`;
      bits |= flags;
      signatureEnd = nextSignatureEnd;
      docEnd = nextDocEnd;
    }
    const signatureLength = texts instanceof PackedTexts ? texts.signatureLength : texts.signatures.length;
    const docLength = texts instanceof PackedTexts ? texts.length - texts.signatureLength : texts.docs.length;
    if (signatureEnd !== signatureLength || docEnd !== docLength) return 'definitions do not match their texts';
    if (numbers.length === 0) return DefinitionColumns.NONE;
    const copy = bits >>> 0 <= 0xffff ? (slabs?.uint16Copy(numbers) ?? new Uint16Array(numbers)) : new Int32Array(numbers);
    return new DefinitionColumns(file, names, copy, texts);
  }

  /**
   * `copy` for the joined signatures and docs of columns that replace these (an edited document's): a text equal to
   * one of these is kept as this one, which the index holds already, instead of being copied again (an edit rarely
   * changes a signature or a doc, and a copy of the whole file's docs per keystroke is time and garbage). Compressed
   * texts are not compared (an open document's columns hold strings from its first edit on).
   */
  keepingTexts(copy: (s: string) => string): (s: string) => string {
    const texts = this.texts;
    if (texts instanceof PackedTexts) return copy;
    return (s) => (s === texts.signatures ? texts.signatures : s === texts.docs ? texts.docs : copy(s));
  }

  /**
   * The definition at `index`, made anew on every call (not kept: a session would keep every definition its queries
   * touched — ~20 MB of a synthetic-5000 session; the ranker reads fields with the readers below), or undefined past
   * the end.
   */
  at(index: number): Definition | undefined {
    if (index >>> 0 !== index || index >= this.length) return undefined;
    return this.make(index);
  }

  nameAt(index: number): string {
    return this.names[2 * index] as string;
  }

  kindAt(index: number): DefinitionKind {
    return KINDS[(this.numbers[index * NUMBERS_PER] as number) & KIND_MASK] as DefinitionKind;
  }

  containerAt(index: number): string | undefined {
    return this.names[2 * index + 1];
  }

  startLineAt(index: number): number {
    return this.numbers[index * NUMBERS_PER + 1] as number;
  }

  endLineAt(index: number): number {
    return this.numbers[index * NUMBERS_PER + 2] as number;
  }

  signatureAt(index: number): string {
    return this.signatureIn(plainTexts(this.texts), index);
  }

  signatureEndLineAt(index: number): number {
    return this.numbers[index * NUMBERS_PER + 5] as number;
  }

  docAt(index: number): string | undefined {
    return this.docIn(plainTexts(this.texts), index);
  }

  docStartLineAt(index: number): number | undefined {
    const n = index * NUMBERS_PER;
    return (this.numbers[n] as number) & HAS_DOC_START ? (this.numbers[n + 6] as number) : undefined;
  }

  exportedAt(index: number): boolean {
    return ((this.numbers[index * NUMBERS_PER] as number) & EXPORTED) !== 0;
  }

  exportedAsDefaultAt(index: number): boolean {
    return ((this.numbers[index * NUMBERS_PER] as number) & EXPORTED_AS_DEFAULT) !== 0;
  }

  idAt(index: number): string {
    return definitionId(this.file, this.nameAt(index), this.startLineAt(index));
  }

  /** Every definition, in order, made anew (a caller that reads them more than once keeps the array). */
  all(): readonly Definition[] {
    const out = new Array<Definition>(this.length);
    for (let i = 0; i < out.length; i++) out[i] = this.make(i);
    return out;
  }

  /** (`texts`: these columns' texts, read once per definition made.) */
  private signatureIn(texts: PlainTexts, index: number): string {
    const n = index * NUMBERS_PER;
    return texts.signatures.slice(n === 0 ? 0 : (this.numbers[n - NUMBERS_PER + 7] as number), this.numbers[n + 7]);
  }

  private docIn(texts: PlainTexts, index: number): string | undefined {
    const n = index * NUMBERS_PER;
    if (((this.numbers[n] as number) & HAS_DOC) === 0) return undefined;
    return texts.docs.slice(n === 0 ? 0 : (this.numbers[n - NUMBERS_PER + 8] as number), this.numbers[n + 8]);
  }

  private make(index: number): Definition {
    const texts = plainTexts(this.texts);
    return new DefinitionRecord(
      this.file,
      this.nameAt(index),
      this.kindAt(index),
      this.containerAt(index),
      this.startLineAt(index),
      this.endLineAt(index),
      this.numbers[index * NUMBERS_PER + 3] as number,
      this.numbers[index * NUMBERS_PER + 4] as number,
      this.signatureIn(texts, index),
      this.signatureEndLineAt(index),
      this.docIn(texts, index),
      this.docStartLineAt(index),
      this.exportedAt(index),
      this.exportedAsDefaultAt(index),
    );
  }
}

/** The readers over definitions kept as objects (files not stored in columns: tests' and callers' own). */
export class DefinitionListReader implements DefinitionReader {
  constructor(private readonly definitions: readonly Definition[]) {}

  get length(): number {
    return this.definitions.length;
  }
  at(index: number): Definition | undefined {
    return this.definitions[index];
  }
  private of(index: number): Definition {
    return this.definitions[index] as Definition;
  }
  nameAt(index: number): string {
    return this.of(index).name;
  }
  kindAt(index: number): DefinitionKind {
    return this.of(index).kind;
  }
  containerAt(index: number): string | undefined {
    return this.of(index).container;
  }
  startLineAt(index: number): number {
    return this.of(index).startLine;
  }
  endLineAt(index: number): number {
    return this.of(index).endLine;
  }
  signatureAt(index: number): string {
    return this.of(index).signature;
  }
  signatureEndLineAt(index: number): number {
    return this.of(index).signatureEndLine;
  }
  docAt(index: number): string | undefined {
    return this.of(index).doc;
  }
  docStartLineAt(index: number): number | undefined {
    return this.of(index).docStartLine;
  }
  exportedAt(index: number): boolean {
    return this.of(index).exported;
  }
  exportedAsDefaultAt(index: number): boolean {
    return this.of(index).exportedAsDefault === true;
  }
  idAt(index: number): string {
    return this.of(index).id;
  }
}

/** Columns made one definition at a time, from the fields a DefinitionRecord is made of (in its constructor's order). */
export class DefinitionColumnsBuilder {
  private readonly names: (string | undefined)[];
  private readonly numbers: Int32Array;
  private readonly signatures: string[];
  private readonly docs: string[] = [];
  private count = 0;
  private signatureEnd = 0;
  private docEnd = 0;

  /** @param capacity how many definitions will be added (at most). */
  constructor(capacity: number) {
    this.names = new Array<string | undefined>(capacity * 2);
    this.numbers = new Int32Array(capacity * NUMBERS_PER);
    this.signatures = new Array<string>(capacity);
  }

  add(
    name: string,
    kind: DefinitionKind,
    container: string | undefined,
    startLine: number,
    endLine: number,
    startIndex: number,
    endIndex: number,
    signature: string,
    signatureEndLine: number,
    doc: string | undefined,
    docStartLine: number | undefined,
    exported: boolean,
    exportedAsDefault = false,
  ): void {
    const i = this.count++;
    this.names[2 * i] = name;
    this.names[2 * i + 1] = container;
    this.signatures[i] = signature;
    this.signatureEnd += signature.length;
    if (doc !== undefined) {
      this.docs.push(doc);
      this.docEnd += doc.length;
    }
    const numbers = this.numbers;
    const n = i * NUMBERS_PER;
    numbers[n] = KIND_INDEX[kind] | (exported ? EXPORTED : 0) | (doc !== undefined ? HAS_DOC : 0) | (docStartLine !== undefined ? HAS_DOC_START : 0) | (exportedAsDefault ? EXPORTED_AS_DEFAULT : 0);
    numbers[n + 1] = startLine;
    numbers[n + 2] = endLine;
    numbers[n + 3] = startIndex;
    numbers[n + 4] = endIndex;
    numbers[n + 5] = signatureEndLine;
    numbers[n + 6] = docStartLine ?? 0;
    numbers[n + 7] = this.signatureEnd;
    numbers[n + 8] = this.docEnd;
  }

  /**
   * @param copy how the joined signatures and docs are kept (see WorkspaceIndex.internFile's `copy`).
   * @param slabs where 16-bit numbers are placed, for columns made in bulk (a build's or a load's files), else in a
   *   buffer of their own.
   */
  build(file: string, copy: (s: string) => string = keptAsIs, slabs?: TypedArraySlabs): DefinitionColumns {
    const numbers = this.numbers.subarray(0, this.count * NUMBERS_PER);
    // All below 2^16 at 50,000 synthetic files but a few, saving ~11 MB there.
    const narrowed = fitsIn16Bits(numbers) ? (slabs?.uint16Copy(numbers) ?? new Uint16Array(numbers)) : numbers.length === this.numbers.length ? numbers : numbers.slice();
    // (A join of one part may be that part itself: `copy` makes sure no cut of a larger text is kept.)
    const names = this.names.length === 2 * this.count ? this.names : this.names.slice(0, 2 * this.count);
    return DefinitionColumns.made(file, names, narrowed, { signatures: copy(this.signatures.slice(0, this.count).join('')), docs: copy(this.docs.join('')) });
  }
}
