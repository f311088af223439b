// How the index holds a file compactly. References are most of a file's extracted data, so they are kept as
// one typed array of [identifier index, enclosing definition index + 1] pairs over the file's identifier list (which
// doubles as their name table): 8 bytes per reference instead of an object each, 4 when every value fits in 16 bits,
// 2 in 8 (PackedRefs). No line: nothing ranks or shows by it, and it was 15 MB at 50,000 files.
// `FileData` is plain data, so it crosses worker threads as is and maps directly to the saved index.
import { DefinitionColumns, DefinitionListReader, type DefinitionReader } from './definitionColumns';
import type { Definition, ImportEdge, IndexedFile, LanguageId, Reference } from './model';
import { bitsOf, fitsIn16Bits, type TypedArraySlabs } from './typedArraySlabs';

/**
 * Packed reference pairs: 8-bit when every value fits (a file of fewer than 256 distinct identifiers and 255
 * definitions: most files of most workspaces — at 50,000 synthetic files ~15 MB less than 16-bit), 16-bit when they
 * fit (the identifier indexes and definition counts of nearly every other file do), 32-bit otherwise.
 */
export type PackedRefs = Uint8Array | Uint16Array | Uint32Array;

/** The references of every file without any (never written to): one array, not a buffer each. */
const NO_REFS = new Uint8Array(0);

/** The numbers of every file without identifiers (empty files, `__init__.py` …): one array, not a buffer each (~200 bytes). */
const NO_IDS = new Uint16Array(0);

/**
 * A copy of identifier numbers (IdentifierIds.ids), 16-bit when they all fit; in `slabs` when given (a build's or a
 * load's files). `ids` may be a view of a reused buffer: only the copy is kept.
 */
export function narrowIds(ids: Uint32Array, slabs?: TypedArraySlabs): Uint16Array | Uint32Array {
  if (ids.length === 0) return NO_IDS;
  if (fitsIn16Bits(ids)) return slabs ? slabs.uint16Copy(ids) : new Uint16Array(ids);
  return slabs ? slabs.keep(ids.slice()) : ids.slice();
}

/**
 * `refs` as 8-bit or 16-bit values when they all fit (PackedRefs), in `slabs` when given; else `refs` itself — or, with
 * `slabs`, a copy (`refs` may be a view of a reused buffer).
 */
export function narrowRefs(refs: Uint32Array, slabs?: TypedArraySlabs): PackedRefs {
  if (refs.length === 0) return NO_REFS;
  const bits = bitsOf(refs);
  if (bits <= 0xff) return slabs ? slabs.uint8Copy(refs) : new Uint8Array(refs);
  if (bits <= 0xffff) return slabs ? slabs.uint16Copy(refs) : new Uint16Array(refs);
  return slabs ? slabs.keep(refs.slice()) : refs;
}

export interface FileData {
  readonly path: string;
  readonly language: LanguageId;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  readonly definitions: readonly Definition[];
  readonly imports: readonly ImportEdge[];
  /** Distinct identifiers of the file; also the name table of `refs`. */
  readonly identifiers: readonly string[];
  /** References: [index into identifiers, index into definitions + 1 (0: none)] pairs. */
  readonly refs: PackedRefs;
}

/**
 * `fields` with a hash of `text` computed by `hashOf` when first read (kept then, and the text dropped; in the place of
 * a `hash` property it has, else last): an open
 * document makes one on every edit, and few are read. The hash is an enumerable getter: a spread or a structured
 * clone computes it (fileDataWith copies it as it is).
 */
export function withDeferredHash(fields: Omit<FileData, 'hash'> & { hash?: string }, text: string, hashOf: (text: string) => string): FileData {
  let source: string | undefined = text;
  let hash: string | undefined;
  const get = (): string => {
    if (hash === undefined) {
      hash = hashOf(source ?? '');
      source = undefined;
    }
    return hash;
  };
  return Object.defineProperty(fields, 'hash', { enumerable: true, get }) as FileData;
}

/** A copy of `data` with `fields` replaced; a hash not computed yet (withDeferredHash) is still not. */
export function fileDataWith(data: FileData, fields: Partial<Omit<FileData, 'hash'>>): FileData {
  const { path, language, size, mtimeMs, definitions, imports, identifiers, refs } = data;
  const hash = Object.getOwnPropertyDescriptor(data, 'hash') ?? { value: data.hash };
  // (In the place FileData's fields have.)
  const copy = { path, language, size, mtimeMs, hash: '', definitions, imports, identifiers, refs, ...fields };
  return Object.defineProperty(copy, 'hash', { ...hash, enumerable: true }) as FileData;
}

/** The `definitions` of a FileData whose definitions are kept elsewhere (in columns): one array, not one per file. */
export const NO_DEFINITIONS: readonly Definition[] = Object.freeze([]);

/** The `identifiers` of a FileData whose identifiers are kept elsewhere (as IdentifierIds): one array, not one per file. */
export const NO_IDENTIFIERS: readonly string[] = Object.freeze([]);

/**
 * A file's identifiers as numbers into a table of identifiers the index shares (InternedStrings.table, only ever
 * appended to): 2 bytes each where every number of the file fits (all of them while the workspace has fewer than
 * 65,536 distinct identifiers: ~61,000 at 50,000 synthetic files), else 4, instead of an array element pointing at
 * the string (8 bytes, plus the array's own header per file). At 50,000 synthetic files ~4.8 million identifiers:
 * ~38 MB of arrays in the heap.
 */
export interface IdentifierIds {
  /** Numbers into `table`, in the file's identifier order. Never changed once given (`with` shares it). */
  readonly ids: Uint16Array | Uint32Array;
  readonly table: readonly string[];
}

/**
 * An indexed file: its definitions kept in columns (DefinitionColumns) and made when read, its `references` decoded
 * from the packed pairs on each access.
 */
export class StoredFile implements IndexedFile {
  /** `data` without its definitions (they are in `columns`), and without its identifiers when `identifierIds` holds them. */
  private readonly fields: FileData;
  readonly columns: DefinitionColumns;
  private readonly identifierIds: IdentifierIds | undefined;

  /**
   * @param columns `data`'s definitions in columns, when the caller has them (`data.definitions` is then not read).
   * @param identifierIds `data`'s identifiers as numbers, when the caller has them (`data.identifiers` is then not read).
   */
  constructor(data: FileData, columns?: DefinitionColumns, identifierIds?: IdentifierIds) {
    this.columns = columns ?? DefinitionColumns.of(data.path, data.definitions);
    this.identifierIds = identifierIds;
    const definitions = data.definitions.length === 0 ? undefined : NO_DEFINITIONS;
    const identifiers = identifierIds === undefined || data.identifiers.length === 0 ? undefined : NO_IDENTIFIERS;
    this.fields =
      definitions === undefined && identifiers === undefined ? data : fileDataWith(data, { ...(definitions ? { definitions } : {}), ...(identifiers ? { identifiers } : {}) });
  }

  /** The file's data, with its definitions (and identifiers kept as numbers) made anew: read it once per use. */
  get data(): FileData {
    if (this.identifierIds !== undefined) return fileDataWith(this.fields, { definitions: this.columns.all(), identifiers: this.identifiers });
    return this.columns.length === 0 ? this.fields : fileDataWith(this.fields, { definitions: this.columns.all() });
  }

  get path(): string {
    return this.fields.path;
  }
  get language(): LanguageId {
    return this.fields.language;
  }
  get size(): number {
    return this.fields.size;
  }
  get mtimeMs(): number {
    return this.fields.mtimeMs;
  }
  get hash(): string {
    return this.fields.hash;
  }
  /** Made anew on each access: read it once per use (definitionAt for one, definitionCount for how many). */
  get definitions(): readonly Definition[] {
    return this.columns.all();
  }
  get definitionCount(): number {
    return this.columns.length;
  }
  definitionAt(index: number): Definition | undefined {
    return this.columns.at(index);
  }
  get imports(): readonly ImportEdge[] {
    return this.fields.imports;
  }
  /** Made anew on each access when kept as numbers: read it once per use (identifierAt for one, identifierCount for how many). */
  get identifiers(): readonly string[] {
    const kept = this.identifierIds;
    if (kept === undefined) return this.fields.identifiers;
    const { ids, table } = kept;
    const out = new Array<string>(ids.length);
    for (let i = 0; i < ids.length; i++) out[i] = table[ids[i] as number] as string;
    return out;
  }
  get identifierCount(): number {
    return this.identifierIds?.ids.length ?? this.fields.identifiers.length;
  }
  /** The identifier at `index` (0 ≤ index < identifierCount). */
  identifierAt(index: number): string {
    const kept = this.identifierIds;
    return (kept === undefined ? this.fields.identifiers[index] : kept.table[kept.ids[index] as number]) as string;
  }
  /** The file's identifiers as numbers into a table shared by the index's files, when they are kept so. */
  get sharedIdentifiers(): IdentifierIds | undefined {
    return this.identifierIds;
  }
  /**
   * The number of the identifier at `index` in the shared table, when the identifiers are kept as numbers in `table`
   * (an edited file's new version takes it when the identifier is the same: no lookup).
   */
  identifierIdAt(index: number, table: readonly string[]): number | undefined {
    const kept = this.identifierIds;
    return kept !== undefined && kept.table === table && index < kept.ids.length ? kept.ids[index] : undefined;
  }
  /** Whether `other` holds the very same identifiers (not only equal ones): from one extraction, shared by `with`. */
  sharesIdentifiersWith(other: StoredFile): boolean {
    return this.identifierIds === undefined ? other.identifierIds === undefined && this.fields.identifiers === other.fields.identifiers : this.identifierIds === other.identifierIds;
  }
  get refs(): PackedRefs {
    return this.fields.refs;
  }

  /** Number of references, without decoding them. */
  get referenceCount(): number {
    return this.fields.refs.length / 2;
  }

  /** Decoded anew on each access: read it once per use rather than in a loop condition. */
  get references(): readonly Reference[] {
    const refs = this.fields.refs;
    const identifiers = this.identifiers;
    const out = new Array<Reference>(refs.length / 2);
    // Definition ids are computed when read: once per definition here, not once per reference.
    const ids = new Array<string | undefined>(this.columns.length);
    for (let i = 0, j = 0; i < refs.length; i += 2, j++) {
      const name = identifiers[refs[i] ?? 0] ?? '';
      const d = (refs[i + 1] ?? 0) - 1;
      const enclosing = d < 0 || d >= ids.length ? undefined : (ids[d] ??= this.columns.idAt(d));
      out[j] = enclosing === undefined ? { name } : { name, enclosing };
    }
    return out;
  }

  /**
   * The same file with other fields (the definitions' columns and the packed references are shared, not copied): a
   * touch or new imports. Not the path (the definitions name their file) nor the hash (see fileDataWith).
   */
  with(changes: Partial<Omit<FileData, 'refs' | 'definitions' | 'identifiers' | 'hash' | 'path'>>): StoredFile {
    return new StoredFile(fileDataWith(this.fields, changes), this.columns, this.identifierIds);
  }
}

/**
 * Whether two indexed files have the very same definitions (not only equal ones): the same columns or array — from
 * one extraction, shared by `with`. Files without definitions all share DefinitionColumns.NONE, which says nothing
 * about their extraction.
 */
export function sameDefinitions(a: IndexedFile, b: IndexedFile): boolean {
  // (For those, the identifiers array tells: `with` shares it, each extraction makes its own.)
  if (a instanceof StoredFile && b instanceof StoredFile) return a.columns === b.columns && (a.columns !== DefinitionColumns.NONE || a.sharesIdentifiersWith(b));
  return a.definitions === b.definitions;
}

/** How many definitions a file has, without making them. */
export function definitionCount(file: Pick<IndexedFile, 'definitions'>): number {
  return file instanceof StoredFile ? file.definitionCount : file.definitions.length;
}

/** How many identifiers a file has, without making a stored file's array of them. */
export function identifierCount(file: Pick<IndexedFile, 'identifiers'>): number {
  return file instanceof StoredFile ? file.identifierCount : file.identifiers.length;
}

/** The file's identifier at `index` (0 ≤ index < identifierCount), without making a stored file's array of them. */
export function identifierAt(file: Pick<IndexedFile, 'identifiers'>, index: number): string {
  return file instanceof StoredFile ? file.identifierAt(index) : (file.identifiers[index] as string);
}

/** Reads a file's definitions field by field without making them: its columns, or its definitions read in place. */
export function definitionReaderOf(file: Pick<IndexedFile, 'definitions'>): DefinitionReader {
  return file instanceof StoredFile ? file.columns : new DefinitionListReader(file.definitions);
}

/**
 * Checks that packed references point inside their tables.
 * @returns a description of the first problem, or undefined when the data is consistent.
 */
export function packedReferenceProblem(data: FileData): string | undefined {
  const { refs } = data;
  const identifiers = identifierCount(data);
  const definitions = { length: definitionCount(data) };
  if (refs.length % 2 !== 0) return 'reference data is not in pairs';
  for (let i = 0; i < refs.length; i += 2) {
    if ((refs[i] ?? 0) >= identifiers) return `identifier index ${refs[i] ?? 0} out of range`;
    if ((refs[i + 1] ?? 0) > definitions.length) return `definition index ${(refs[i + 1] ?? 0) - 1} out of range`;
  }
  return undefined;
}
