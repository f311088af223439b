// What a parse worker sends back for a parsed file (see FileProcessor.declareFile and withReferences): its bytes
// (transferred, not copied) and its definitions in columns, one string array and one integer array, rather than
// objects of fourteen properties each, every one of which a message writes with its key. The receiving thread,
// which has a core to spare while a single worker parses, builds the objects (DefinitionRecord).
import type { ParsedLanguage } from './languages';
import { DefinitionRecord, type Definition, type DefinitionKind, type ImportEdge } from './model';

/** A parsed file whose references are left to the thread that receives it (withReferences in fileProcessor.ts). */
export interface DeclaredFile {
  readonly path: string;
  readonly language: ParsedLanguage;
  readonly size: number;
  readonly mtimeMs: number;
  readonly hash: string;
  /** The file's content as read, in a buffer of its own (the message transfers it). */
  readonly bytes: Uint8Array;
  readonly definitions: PackedDefinitions;
  readonly imports: ImportEdge[];
  /** Character offset of each definition's name (its token is not a reference). */
  readonly nameStarts: Int32Array;
}

/** Definitions as columns: STRINGS_PER strings and NUMBERS_PER integers each, in order. */
export interface PackedDefinitions {
  /** name, kind, container ('' when none), signature, doc ('' when none) of each definition. */
  readonly strings: readonly string[];
  /** flags, startLine, endLine, startIndex, endIndex, signatureEndLine, docStartLine (0 when none) of each. */
  readonly numbers: Int32Array;
}

const STRINGS_PER = 5;
const NUMBERS_PER = 7;
const HAS_CONTAINER = 1;
const HAS_DOC = 2;
const HAS_DOC_START = 4;
const EXPORTED = 8;
const EXPORTED_AS_DEFAULT = 16;

export function packDefinitions(definitions: readonly Definition[]): PackedDefinitions {
  const strings: string[] = [];
  const numbers = new Int32Array(definitions.length * NUMBERS_PER);
  let n = 0;
  for (const d of definitions) {
    strings.push(d.name, d.kind, d.container ?? '', d.signature, d.doc ?? '');
    numbers[n++] =
      (d.container !== undefined ? HAS_CONTAINER : 0) | (d.doc !== undefined ? HAS_DOC : 0) | (d.docStartLine !== undefined ? HAS_DOC_START : 0) | (d.exported ? EXPORTED : 0) | (d.exportedAsDefault === true ? EXPORTED_AS_DEFAULT : 0);
    numbers[n++] = d.startLine;
    numbers[n++] = d.endLine;
    numbers[n++] = d.startIndex;
    numbers[n++] = d.endIndex;
    numbers[n++] = d.signatureEndLine;
    numbers[n++] = d.docStartLine ?? 0;
  }
  return { strings, numbers };
}

/** The definitions packDefinitions packed, those of file `file`. */
export function unpackDefinitions(file: string, packed: PackedDefinitions): Definition[] {
  const { strings, numbers } = packed;
  const count = numbers.length / NUMBERS_PER;
  const definitions: Definition[] = [];
  for (let i = 0; i < count; i++) {
    const s = i * STRINGS_PER;
    const n = i * NUMBERS_PER;
    const flags = numbers[n] ?? 0;
    const name = strings[s] ?? '';
    const startLine = numbers[n + 1] ?? 0;
    definitions.push(
      new DefinitionRecord(
        file,
        name,
        strings[s + 1] as DefinitionKind,
        flags & HAS_CONTAINER ? strings[s + 2] : undefined,
        startLine,
        numbers[n + 2] ?? 0,
        numbers[n + 3] ?? 0,
        numbers[n + 4] ?? 0,
        strings[s + 3] ?? '',
        numbers[n + 5] ?? 0,
        flags & HAS_DOC ? strings[s + 4] : undefined,
        flags & HAS_DOC_START ? numbers[n + 6] : undefined,
        (flags & EXPORTED) !== 0,
        (flags & EXPORTED_AS_DEFAULT) !== 0,
      ),
    );
  }
  return definitions;
}
