// Indexes one file on whichever thread owns it: read, sniff binary, hash, parse, extract. Also keeps the
// syntax trees of open (edited) documents so each edit re-parses incrementally with `tree.edit`.
import type * as NodeCrypto from 'node:crypto';
import { readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { Edit, Point, Tree } from 'web-tree-sitter';
import { errorMessage, fileVanished } from '../errors';
import { bomLength, bytesTooLarge } from './fileSizeLimit';
import { fileText, utf16Encoding } from './fileText';
import { languageForPath, type ParsedLanguage } from './languages';
import { namespaceNamesOf, type LanguageId } from './model';
import { packDefinitions, unpackDefinitions, type DeclaredFile } from './declaredFile';
import { detached } from './detached';
import { lazyBuiltin } from './lazyBuiltin';
import { narrowRefs, withDeferredHash, type FileData } from './storedFile';
import { extractionAfterEdit, extractionAroundEdit, keepsTemplates } from './documentUpdate';
import { bodiesWhereExpected, bodiesWithoutCalls, includedRangesAround, readSource, repairedSource, repairsAfterEdit, repairsOutside } from './functionBodies';
import { LANGUAGE_RULES } from './languageRules';
import { collectReferences, extractDeclarations, extractFromTree, extractPlainText, type Extraction, type PositionedExtraction } from './symbolExtractor';
import { PARSE_LIMITS, ParseTimeoutError, parseOrReset, textReader, type LoadedGrammar, type TreeSitterLoader } from './treeSitterLoader';

/** One file to index. `path` is workspace-relative with '/', `absPath` is where to read it. */
export interface FileTask {
  readonly path: string;
  readonly absPath: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** Hash of the content the index already has for this path: an equal hash means "unchanged". */
  readonly knownHash?: string;
}

/** `failed`: the parser or extractor threw (logged; the file is left out rather than failing the index). */
export type SkipReason = 'binary' | 'too-large' | 'unreadable' | 'failed';

export type FileOutcome =
  | { readonly kind: 'indexed'; readonly file: FileData }
  | { readonly kind: 'unchanged'; readonly path: string; readonly size: number; readonly mtimeMs: number; readonly hash: string }
  | {
      readonly kind: 'skipped';
      readonly path: string;
      readonly size: number;
      readonly mtimeMs: number;
      readonly reason: SkipReason;
      readonly message?: string;
      /**
       * Of a `failed` file whose parse worker died: 'alone' when it ended a worker it was sent to alone (the file is
       * the cause), 'among' when the worker held other files too and the pool could not try it alone (workers kept
       * dying: see WorkerPoolBackend), so it is not known to be the cause.
       */
      readonly workerEnded?: 'alone' | 'among';
      /** Of an `unreadable` file: it is not there any more (deleted or moved since it was listed), not left out. */
      readonly vanished?: true;
    };

/** What a parse worker sends back for a file: a DeclaredFile for a parsed one, the final outcome for the rest. */
export type DeclaredOutcome = FileOutcome | { readonly kind: 'declared'; readonly file: DeclaredFile };

/** A change to an open document, in the coordinates of the text before it (changes apply in order, as in LSP). */
export interface TextChange {
  /** Character offset where the replaced range starts. */
  readonly start: number;
  /** Length of the replaced range. */
  readonly deleteCount: number;
  readonly text: string;
}

/** Marks an IndexedFile built from editor text, not from the file on disk (never matches a disk fingerprint). */
export const DOCUMENT_MTIME = -1;

/** Open documents whose trees are kept; the least recently edited one is dropped beyond this. */
const MAX_DOCUMENT_TREES = 16;

/** In-place updates a document runs on a copy when it opens, while its language and kind of update warm up (see FileProcessor.warmUp)... */
const WARM_UP_ROUNDS = 12;
/** ...when it is no longer than this; else one... */
const WARM_UP_MAX_CHARS = 32 * 1024;
/** ...until this many ran for the language and kind (a few documents' worth). */
const WARM_UP_BUDGET = 48;
/** Bytes sniffed for a NUL to decide a file is binary. */
const SNIFF_BYTES = 8_000;

/**
 * node:crypto, loaded by the first hash: an engine thread reopening an index whose files are all unchanged hashes
 * nothing, and loading the module would cost it 3-15 ms on its way to ready.
 */
const crypto = lazyBuiltin<typeof NodeCrypto>('node:crypto');

/**
 * The tree a file's text (not an open document's) is indexed from: TypeScript and JavaScript are parsed without their
 * function bodies (functionBodies.ts: nothing the extraction reads is in them) when the tree shows each left-out range
 * to be a body; else, and for other languages, the whole text. TypeScript's text is read with the grammar's gaps
 * repaired (variance annotations; generic call signatures after a line break: readSource), as open documents' are.
 * Open documents are parsed whole (their trees are re-parsed incrementally as they are edited): the two differ only
 * where error recovery around a syntax error inside a body would have reached outside it.
 */
export function parseFileText(grammar: LoadedGrammar, language: ParsedLanguage, text: string): ReturnType<typeof parseOrReset> {
  const reading = language === 'typescript' || language === 'javascript' ? readSource(text, language) : undefined;
  // What the parser reads: the text with the grammar's gaps repaired (readSource), of the same length and lines.
  const input = reading ? repairedSource(text, reading.repairs) : text;
  // (A body that may hold an import() or require() call is parsed: dynamicImports reads them from the tree.)
  const bodies = reading ? bodiesWithoutCalls(text, reading.bodies) : undefined;
  if (bodies && bodies.length > 0) {
    const tree = parseOrReset(grammar.parser, input, null, { includedRanges: includedRangesAround(text, bodies) });
    if (tree && bodiesWhereExpected(tree, bodies, LANGUAGE_RULES[language].functionTypes)) return tree;
    tree?.delete();
  }
  return parseOrReset(grammar.parser, input);
}

export function contentHash(content: string | Uint8Array): string {
  return crypto().createHash('sha1').update(content).digest('hex');
}

/**
 * Whether a file's bytes look binary: a NUL in the first SNIFF_BYTES of its text — after its byte-order mark, which is
 * no part of the text, so that a file and the same text in an open document (documentSkipReason) agree. A UTF-16 file
 * (fileText) is sniffed as its text is, as an open document's: a NUL character, not the NUL bytes of its ASCII.
 */
export function isBinary(bytes: Uint8Array): boolean {
  // (A NUL counts within SNIFF_BYTES bytes of UTF-8, which hold at most SNIFF_BYTES characters: 2 bytes each here.)
  if (utf16Encoding(bytes) !== undefined) return textLooksBinary(fileText(bytes.subarray(0, 2 + 2 * SNIFF_BYTES)));
  const start = bomLength(bytes);
  return bytes.subarray(start, start + SNIFF_BYTES).includes(0);
}

/** Whether text has a NUL in its first SNIFF_BYTES bytes of UTF-8 (isBinary's rule, for text). */
function textLooksBinary(text: string): boolean {
  const nul = text.indexOf('\0');
  return nul >= 0 && (nul * 3 < SNIFF_BYTES || Buffer.byteLength(text.slice(0, nul)) < SNIFF_BYTES);
}

/**
 * Why editor text would not be indexed if it were on disk (readTask's checks of its UTF-8), or undefined. (The text
 * has no byte-order mark, which on disk counts neither against the limit nor in the binary sniff: fileSizeLimit.ts,
 * isBinary.)
 */
export function documentSkipReason(text: string, maxFileBytes: number): 'too-large' | 'binary' | undefined {
  // (UTF-8 takes 1 to 3 bytes per UTF-16 unit: the byte count is needed only in between.)
  if (text.length > maxFileBytes || (text.length * 3 > maxFileBytes && Buffer.byteLength(text) > maxFileBytes)) return 'too-large';
  return textLooksBinary(text) ? 'binary' : undefined;
}

interface OpenDocument {
  readonly language: LanguageId;
  readonly text: string;
  /** The tree of `text`, or (not exact) of an earlier text, given the edits since (see extractionAroundEdit). */
  readonly tree: Tree;
  readonly extraction: PositionedExtraction;
  /**
   * Whether `extraction` is what a fresh index of `text` holds: `tree` parsed from scratch, or re-parsed
   * incrementally from an exact document with neither tree having syntax errors. Otherwise error recovery (steered by the subtrees
   * reused, or seeing only the statements around the edit) may have read the text otherwise than a fresh parse
   * would; settleDocument makes it exact.
   */
  readonly exact: boolean;
  /** Whether `tree`'s template literals are still those of `text` (see UnparsedEdit.templatesKnown). */
  readonly templatesKnown: boolean;
  /** The repairs `tree` was parsed with (readSource: TypeScript's grammar gaps); empty when none. */
  readonly repairs: Int32Array;
  /**
   * Whether `repairs` are those a fresh parse of `text` reads it with (parseFileText). Not so while the lexer gives up
   * on the text (an unclosed bracket or string as it is typed): the tree keeps the repairs it had, outside the edits
   * since, and settleDocument parses the text as a fresh parse would.
   */
  readonly repairsExact: boolean;
}

const NO_REPAIRS = new Int32Array(0);

/** A document's repairs, and whether they are exactly a fresh parse's (OpenDocument.repairsExact). */
interface DocumentRepairs {
  readonly repairs: Int32Array;
  readonly exact: boolean;
}

const NONE_NEEDED: DocumentRepairs = { repairs: NO_REPAIRS, exact: true };

/**
 * An open document's repairs (readSource: TypeScript's grammar gaps), as a fresh parse of its text makes them
 * (parseFileText); none for other languages, or where the lexer cannot read the text. After one edit of a document
 * whose repairs were exact, the old ones moved by the edit when it is one of those that change none
 * (repairsAfterEdit: typing words, blanks, whole lines at a line's end); else its text is lexed again. Where the
 * lexer gives up on the edited text, the old repairs outside the edit are kept, not exact (see OpenDocument.repairsExact).
 */
export function documentRepairs(language: LanguageId, text: string, previous?: OpenDocument, edit?: Edit): DocumentRepairs {
  if (language !== 'typescript') return NONE_NEEDED;
  if (previous?.repairsExact && edit) {
    const moved = repairsAfterEdit(previous.text, previous.repairs, text, edit);
    if (moved) return { repairs: moved, exact: true };
  }
  const reading = readSource(text, 'typescript');
  if (reading) return { repairs: reading.repairs, exact: true };
  if (previous && edit && previous.repairs.length > 0) return { repairs: repairsOutside(previous.repairs, edit), exact: false };
  return NONE_NEEDED;
}

/**
 * Whether a tree parsed with `before` (repairs of the old text), given `edit`, can be re-parsed with `after` (repairs
 * of the new text): they are the same outside the edited range (shifted past it), and none reaches across one of its
 * ends (the parser reads the new text inside it anyway; a repair reaching out of it would be read partly either way).
 */
function repairsAgree(before: Int32Array, after: Int32Array, edit: Edit): boolean {
  if (before.length === 0 && after.length === 0) return true;
  if (crossesEnds(before, edit.startIndex, edit.oldEndIndex) || crossesEnds(after, edit.startIndex, edit.newEndIndex)) return false;
  const a = repairsOutside(before, edit);
  const b = repairsOutside(after, { ...edit, oldEndIndex: edit.newEndIndex });
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** Whether one of `repairs` begins before `from` or `to` and ends after it. */
function crossesEnds(repairs: Int32Array, from: number, to: number): boolean {
  for (let r = 0; r < repairs.length; r += 3) {
    const start = repairs[r] ?? 0;
    const end = repairs[r + 1] ?? 0;
    if ((start < from && end > from) || (start < to && end > to)) return true;
  }
  return false;
}

/**
 * What settleDocument did: parsed the document from scratch (its extraction, now exactly a fresh index's), found
 * nothing to do (already exact), or stopped because `shouldYield` said other work was waiting.
 */
export type SettleOutcome = { readonly kind: 'settled'; readonly file: FileData } | { readonly kind: 'exact' } | { readonly kind: 'yielded' };

export class FileProcessor {
  private readonly documents = new Map<string, OpenDocument>();
  /** In-place updates run on copies so far on this thread, per language and kind of tree (see warmUp). */
  private readonly warmUps = new Map<string, number>();
  /** Trees that edits replaced, not yet deleted (see releaseRetiredTrees). */
  private readonly retired: Tree[] = [];
  /**
   * By document path, the text whose parse was given up (ParseTimeoutError) and when (performance.now()): that text
   * again (a settle's retries, the text sent again), or any within PARSE_LIMITS.retryAfterMs, fails at once instead of
   * spending the time limit again. Until a parse of the path succeeds or the document closes.
   */
  private readonly givenUp = new Map<string, { readonly text: string; readonly at: number }>();
  /**
   * By document path, the text whose settling parse was given up: settling that text again fails at once. Its
   * incremental updates go on (they parse around the edits, not the whole text), so this holds nothing else back.
   */
  private readonly settleGivenUp = new Map<string, string>();

  /**
   * @param readSync read files with blocking calls: right on a worker thread, which does nothing else, and
   *   about ten times cheaper than the promise API for small files; never on the extension host's thread.
   */
  constructor(
    private readonly loader: TreeSitterLoader,
    private readonly maxFileBytes: number,
    private readonly readSync = false,
  ) {}

  /** Whether an open document's index entry is not yet exactly a fresh index's (see settleDocument). */
  needsSettling(path: string): boolean {
    const doc = this.documents.get(path);
    return doc !== undefined && !doc.exact;
  }

  /** @param content the file's bytes when the caller already started reading them (read-ahead). */
  async processFile(task: FileTask, content?: Promise<Buffer>): Promise<FileOutcome> {
    const read = await this.readTask(task, content);
    if (read.kind !== 'read') return read;
    try {
      const extraction = await this.extract(task.path, read.text, undefined);
      return { kind: 'indexed', file: toFileData(task.path, extraction, read.size, task.mtimeMs, read.hash) };
    } catch (err) {
      return failedTask(task, errorMessage(err));
    }
  }

  /**
   * processFile in a parse worker: a parsed file's references are left to the receiving thread (withReferences),
   * about a tenth of the file's time off the parser thread.
   */
  async declareFile(task: FileTask): Promise<DeclaredOutcome> {
    const language = languageForPath(task.path);
    if (language === 'text') return this.processFile(task);
    const read = await this.readTask(task);
    if (read.kind !== 'read') return read;
    const { text, size, hash } = read;
    try {
      const grammar = await this.loader.load(language);
      const tree = parseFileText(grammar, language, text);
      if (!tree) throw new Error(`tree-sitter could not parse ${task.path}`);
      try {
        const { definitions, nameStarts, imports } = extractDeclarations(task.path, language, text, tree, grammar.query);
        // Small files' buffers are slices of a shared pool, which a message cannot transfer: those are copied.
        const bytes = read.bytes.byteOffset === 0 && read.bytes.byteLength === read.bytes.buffer.byteLength ? read.bytes : new Uint8Array(read.bytes);
        const file: DeclaredFile = { path: task.path, language, size, mtimeMs: task.mtimeMs, hash, bytes, definitions: packDefinitions(definitions), imports, nameStarts: Int32Array.from(nameStarts) };
        return { kind: 'declared', file };
      } finally {
        tree.delete();
      }
    } catch (err) {
      return failedTask(task, errorMessage(err));
    }
  }

  /** The file's text, size and hash; or why it is not indexed, or that it is unchanged. */
  private async readTask(
    task: FileTask,
    content?: Promise<Buffer>,
  ): Promise<FileOutcome | { readonly kind: 'read'; readonly bytes: Buffer; readonly text: string; readonly size: number; readonly hash: string }> {
    let bytes: Buffer;
    try {
      bytes = content ? await content : this.readSync ? readFileSync(task.absPath) : await readFile(task.absPath);
    } catch (err) {
      return skippedTask(task, 'unreadable', errorMessage(err), fileVanished(err));
    }
    if (bytesTooLarge(bytes, this.maxFileBytes)) return skippedTask(task, 'too-large');
    if (isBinary(bytes)) return skippedTask(task, 'binary');
    const hash = contentHash(bytes);
    if (task.knownHash === hash) return { kind: 'unchanged', path: task.path, size: bytes.length, mtimeMs: task.mtimeMs, hash };
    return { kind: 'read', bytes, text: fileText(bytes), size: bytes.length, hash };
  }

  /**
   * Indexes editor text. The document's tree is kept: the next call re-parses incrementally, with `changes`
   * when given (and consistent with the text) or else one edit spanning what differs. Where the old tree has
   * syntax errors only the statements around a single edit are parsed (extractionAroundEdit), else the whole
   * text incrementally; either way, around syntax errors the result may differ from a fresh parse's (error
   * recovery reads the text otherwise): needsSettling then says so, until settleDocument.
   */
  async processDocument(path: string, text: string, changes?: readonly TextChange[]): Promise<FileData> {
    this.releaseRetiredTrees();
    let extraction: Extraction;
    try {
      // (An open document holding exactly this text answers without a parse.)
      if (this.documents.get(path)?.text !== text) this.failIfGivenUp(path, text);
      extraction = await this.extract(path, text, changes ?? []);
    } catch (err) {
      // A parse given up (ParseTimeoutError) may leave the document's tree edited for a text it does not hold: the
      // next update opens it afresh.
      if (err instanceof ParseTimeoutError && !err.repeated) {
        this.closeDocument(path);
        this.givenUp.set(path, { text, at: performance.now() });
      }
      throw err;
    }
    this.givenUp.delete(path);
    return toFileData(path, extraction, Buffer.byteLength(text), DOCUMENT_MTIME, { of: text });
  }

  /**
   * Deletes the trees that edits replaced. Deleting a tree takes time in proportion to the nodes it shares
   * with no other tree — all of them for one its successor was not parsed incrementally from (a document with
   * syntax errors) — so the caller calls this once its reply is posted (InProcessBackend: a timer turn after the
   * call), and that time is not the edit's. Every document call of this processor also does it first.
   */
  releaseRetiredTrees(): void {
    for (const tree of this.retired.splice(0)) tree.delete();
  }

  /** Trees that edits replaced, not yet deleted. */
  retiredTreeCount(): number {
    return this.retired.length;
  }

  /**
   * Makes an open document's extraction exactly a fresh index's: parses its text from scratch when its tree was
   * re-parsed incrementally around syntax errors. The parse stops as soon as `shouldYield` returns true (it is
   * asked every few hundred parser steps, and once more before the extraction), leaving the document as it was.
   * @param text the document's text: parsed from scratch the same way when the processor no longer has the
   *   document's tree (it keeps a few).
   */
  async settleDocument(path: string, text: string, shouldYield: () => boolean = () => false): Promise<SettleOutcome> {
    this.releaseRetiredTrees();
    const settling = this.documents.get(path)?.text ?? text;
    this.failIfGivenUp(path, settling);
    if (this.settleGivenUp.get(path) === settling) throw new ParseTimeoutError(PARSE_LIMITS.timeMs, true);
    const doc = this.documents.get(path);
    if (!doc) {
      const language = languageForPath(path);
      if (language === 'text') return { kind: 'exact' };
      const parsed = await this.parseGivingWay(path, language, text, documentRepairs(language, text).repairs, shouldYield);
      if (!parsed) return { kind: 'yielded' };
      parsed.tree.delete();
      return { kind: 'settled', file: toFileData(path, parsed.extraction, Buffer.byteLength(text), DOCUMENT_MTIME, contentHash(text)) };
    }
    if (doc.exact || doc.language === 'text') return { kind: 'exact' };
    // (Parsed with the repairs a fresh parse makes: the document's own, unless the lexer gave up on its text since.)
    const repairs = doc.repairsExact ? doc.repairs : documentRepairs(doc.language, doc.text).repairs;
    const parsed = await this.parseGivingWay(path, doc.language, doc.text, repairs, shouldYield);
    if (!parsed) return { kind: 'yielded' };
    if (this.documents.get(path) !== doc) {
      // An edit (or a close) came in while the grammar loaded: it has the document now, and retired `doc.tree` already.
      parsed.tree.delete();
      return { kind: 'yielded' };
    }
    this.retired.push(doc.tree);
    this.documents.set(path, { ...doc, tree: parsed.tree, extraction: parsed.extraction, exact: true, templatesKnown: true, repairs, repairsExact: true });
    return { kind: 'settled', file: toFileData(path, parsed.extraction, Buffer.byteLength(doc.text), DOCUMENT_MTIME, contentHash(doc.text)) };
  }

  /**
   * A parse of `text` from scratch and its extraction, unless `shouldYield` says other work is waiting, during the
   * parse or once it is done (the extraction does not give way): then undefined.
   */
  private async parseGivingWay(
    path: string,
    language: ParsedLanguage,
    text: string,
    repairs: Int32Array,
    shouldYield: () => boolean,
  ): Promise<{ tree: Tree; extraction: PositionedExtraction } | undefined> {
    const grammar = await this.loader.load(language);
    let tree: Tree | null;
    try {
      tree = parseOrReset(grammar.parser, repairedSource(text, repairs), null, { progressCallback: shouldYield });
    } catch (err) {
      if (err instanceof ParseTimeoutError) this.settleGivenUp.set(path, text);
      throw err;
    }
    // (Stopped halfway: parseOrReset reset the parser, which would otherwise resume that parse on its next call.)
    if (!tree) return undefined;
    if (shouldYield()) {
      tree.delete();
      return undefined;
    }
    try {
      return { tree, extraction: extractFromTree(path, language, text, tree, grammar.query, true) };
    } catch (err) {
      tree.delete();
      throw err;
    }
  }

  /** Drops an open document's tree (the editor closed it). */
  closeDocument(path: string): void {
    this.releaseRetiredTrees();
    this.givenUp.delete(path);
    this.settleGivenUp.delete(path);
    const doc = this.documents.get(path);
    if (!doc) return;
    doc.tree.delete();
    this.documents.delete(path);
  }

  dispose(): void {
    for (const path of [...this.documents.keys()]) this.closeDocument(path);
    this.releaseRetiredTrees();
  }

  /** Throws ParseTimeoutError at once (`repeated`) when a parse of `path` was given up for this text or moments ago (givenUp). */
  private failIfGivenUp(path: string, text: string): void {
    const given = this.givenUp.get(path);
    if (given && (given.text === text || performance.now() - given.at < PARSE_LIMITS.retryAfterMs)) throw new ParseTimeoutError(PARSE_LIMITS.timeMs, true);
  }

  /** `changes` undefined: a one-off parse (no tree kept); an array: an open document (tree kept). */
  private async extract(path: string, text: string, changes: readonly TextChange[] | undefined): Promise<Extraction> {
    const language = languageForPath(path);
    if (language === 'text') {
      if (changes !== undefined) this.closeDocument(path);
      return extractPlainText(text);
    }
    const grammar = await this.loader.load(language);
    const previous = changes !== undefined ? this.documents.get(path) : undefined;
    if (previous?.language === language && previous.text === text) return previous.extraction;
    const edits = previous?.language === language ? editsBetween(previous.text, text, changes ?? []) : [];
    // What the parser reads of an open document: its text with the repairs a fresh parse makes (parseFileText).
    const { repairs, exact: repairsExact } =
      changes !== undefined ? documentRepairs(language, text, previous?.language === language ? previous : undefined, edits.length === 1 ? edits[0] : undefined) : NONE_NEEDED;
    // The old tree is re-parsed only where it was parsed with the same repairs (else the new text is parsed afresh).
    const same = previous?.language === language && (previous.repairs.length + repairs.length === 0 || (edits.length === 1 && edits[0] && repairsAgree(previous.repairs, repairs, edits[0]))) ? previous : undefined;
    for (const edit of same ? edits : []) same?.tree.edit(edit);
    if (same && edits.length === 1 && edits[0] && same.tree.rootNode.hasError) {
      // Around syntax errors only the statements around the edit are parsed (see extractionAroundEdit); the tree
      // keeps the edit for the next re-parse, and the document settles later.
      const edit = edits[0];
      const around = extractionAroundEdit(
        same.extraction,
        { oldText: same.text, oldTree: same.tree, text, ...(repairs.length > 0 ? { repairs } : {}), edit, templatesKnown: same.templatesKnown },
        path,
        language,
        grammar.parser,
        grammar.query,
      );
      if (around) {
        this.documents.delete(path);
        const templatesKnown = same.templatesKnown && keepsTemplates(same.text, text, edit);
        this.keepDocument(path, { language, text, tree: same.tree, extraction: around, exact: false, templatesKnown, repairs, repairsExact });
        return around;
      }
    }
    // (A file's text, not a document's: its function bodies may be left out, see parseFileText.)
    const tree = same
      ? parseOrReset(grammar.parser, textReader(text, text.length, repairs), same.tree)
      : changes === undefined
        ? parseFileText(grammar, language, text)
        : parseOrReset(grammar.parser, repairedSource(text, repairs));
    if (!tree) {
      if (previous) this.closeDocument(path);
      throw new Error(`tree-sitter could not parse ${path}`);
    }
    let extraction: PositionedExtraction | undefined;
    try {
      const edit = edits.length === 1 ? edits[0] : undefined;
      if (same && edit) extraction = extractionAfterEdit(same.extraction, same.text, same.tree, text, tree, edit, path, language, grammar.query);
      extraction ??= extractFromTree(path, language, text, tree, grammar.query, changes !== undefined);
      return extraction;
    } finally {
      if (previous) {
        this.retired.push(previous.tree);
        this.documents.delete(path);
      }
      if (changes !== undefined && extraction) {
        if (!same) this.warmUp(path, language, grammar, text, tree, extraction, repairs);
        // (An extraction updated from one not exact stays so, whatever the trees.)
        const exact = repairsExact && (!same || (same.exact && !same.tree.rootNode.hasError && !tree.rootNode.hasError));
        this.keepDocument(path, { language, text, tree, extraction, exact, templatesKnown: true, repairs, repairsExact });
      } else tree.delete();
    }
  }

  /**
   * A document opening runs an in-place update a few times on a copy (a comment line typed in, as processDocument
   * would: the edit, around syntax errors the statements around it, else the incremental parse, the extraction,
   * the index entry), while fewer than WARM_UP_BUDGET ran for its language and kind of tree (with or without syntax
   * errors, which take different paths): compiling those paths happens when the first documents open, not on the
   * first edits of a session. Tree-sitter's WebAssembly functions are compiled on their first call, and V8 optimises
   * JavaScript only after it ran a while: on a fresh thread the first ~60 edits cost 2-4 times later ones (p90),
   * with one document's worth of warm-up. Once for a document longer than WARM_UP_MAX_CHARS (each round costs about
   * what an edit of it does).
   */
  private warmUp(path: string, language: ParsedLanguage, grammar: LoadedGrammar, text: string, tree: Tree, extraction: PositionedExtraction, repairs: Int32Array): void {
    const kind = `${language}${tree.rootNode.hasError ? ' with errors' : ''}`;
    const done = this.warmUps.get(kind) ?? 0;
    if (done >= WARM_UP_BUDGET) return;
    const rounds = Math.min(text.length <= WARM_UP_MAX_CHARS ? WARM_UP_ROUNDS : 1, WARM_UP_BUDGET - done);
    let ran = 0;
    try {
      ran = this.warmUpRounds(path, language, grammar, text, tree, extraction, repairs, rounds);
    } catch {
      // Optional work on a copy: whatever broke it (a parse failing on the copy — the parser is reset then, see
      // parseOrReset) must not fail the open; this kind of document is not warmed again.
      ran = WARM_UP_BUDGET;
    }
    // A document without a line to type in counts as warmed (so the count always grows, and warm-ups end).
    this.warmUps.set(kind, done + Math.max(ran, 1));
  }

  /** The warm-up's rounds (see warmUp); how many ran. */
  private warmUpRounds(
    path: string,
    language: ParsedLanguage,
    grammar: LoadedGrammar,
    text: string,
    tree: Tree,
    extraction: PositionedExtraction,
    repairs: Int32Array,
    rounds: number,
  ): number {
    const typed = `\n${language === 'python' ? '#' : '//'} typed`;
    let ran = 0;
    for (let round = 0; round < rounds; round++) {
      // Lines spread over the document: edits in function bodies and between statements take different paths.
      const at = text.indexOf('\n', Math.floor((text.length * (round + 1)) / (rounds + 1)));
      if (at < 0) continue;
      const change = { start: at, deleteCount: 0, text: typed };
      const next = text.slice(0, at) + change.text + text.slice(at);
      const [edit] = editsBetween(text, next, [change]);
      // (The line typed in changes no repair where the lexer can tell: else this round is not run.)
      const moved = edit && (repairs.length === 0 ? repairs : repairsAfterEdit(text, repairs, next, edit));
      if (!edit || !moved) continue;
      ran++;
      const edited = tree.copy();
      let updated: Tree | null = null;
      try {
        edited.edit(edit);
        let after = edited.rootNode.hasError
          ? extractionAroundEdit(extraction, { oldText: text, oldTree: edited, text: next, ...(moved.length > 0 ? { repairs: moved } : {}), edit, templatesKnown: true }, path, language, grammar.parser, grammar.query)
          : undefined;
        if (!after) {
          updated = parseOrReset(grammar.parser, textReader(next, next.length, moved), edited);
          if (updated) after = extractionAfterEdit(extraction, text, edited, next, updated, edit, path, language, grammar.query) ?? extractFromTree(path, language, next, updated, grammar.query);
        }
        if (after) toFileData(path, after, Buffer.byteLength(next), DOCUMENT_MTIME, { of: next });
      } finally {
        edited.delete();
        updated?.delete();
      }
    }
    return ran;
  }

  private keepDocument(path: string, doc: OpenDocument): void {
    this.documents.set(path, doc);
    while (this.documents.size > MAX_DOCUMENT_TREES) {
      const oldest = this.documents.keys().next().value;
      if (oldest === undefined) break;
      this.closeDocument(oldest);
    }
  }
}

/**
 * A parse worker's DeclaredFile with its references collected: the outcome processFile would have given.
 * Run by the thread that received it.
 */
export function withReferences(file: DeclaredFile): FileOutcome {
  const { path, language, imports } = file;
  try {
    const text = fileText(file.bytes);
    const definitions = unpackDefinitions(path, file.definitions);
    const { refs, identifiers } = collectReferences(text, language, definitions, file.nameStarts, false, namespaceNamesOf(imports, language));
    return { kind: 'indexed', file: toFileData(path, { definitions, imports, identifiers: detached(identifiers), refs }, file.size, file.mtimeMs, file.hash) };
  } catch (err) {
    return failedTask(file, errorMessage(err));
  }
}


function skippedTask(task: { readonly path: string; readonly size: number; readonly mtimeMs: number }, reason: SkipReason, message?: string, vanished = false): FileOutcome {
  return { kind: 'skipped', path: task.path, size: task.size, mtimeMs: task.mtimeMs, reason, ...(message !== undefined ? { message } : {}), ...(vanished ? { vanished: true } : {}) };
}

/**
 * The outcome of a file whose indexing failed (`message` says why), in its worker or with it: `workerEnded` when it
 * stopped the worker parsing it alone, or was among the files of a worker that stopped.
 */
export function failedTask(task: { readonly path: string; readonly size: number; readonly mtimeMs: number }, message: string, workerEnded?: 'alone' | 'among'): FileOutcome {
  return { kind: 'skipped', path: task.path, size: task.size, mtimeMs: task.mtimeMs, reason: 'failed', message, ...(workerEnded ? { workerEnded } : {}) };
}

/** @param hash the content's hash, or (`of`) the text to hash when the hash is first read (withDeferredHash). */
function toFileData(path: string, x: Extraction, size: number, mtimeMs: number, hash: string | { readonly of: string }): FileData {
  const data = { path, language: languageForPath(path), size, mtimeMs, hash: typeof hash === 'string' ? hash : '', definitions: x.definitions, imports: x.imports, identifiers: x.identifiers, refs: narrowRefs(x.refs) };
  return typeof hash === 'string' ? data : withDeferredHash(data, hash.of, contentHash);
}

/** Row and column (UTF-16 code units, as web-tree-sitter counts them) of a character offset. */
export function pointAt(text: string, index: number): Point {
  return pointAfter(text, 0, { row: 0, column: 0 }, index);
}

/** The point of offset `to` of `text`, from the point of an offset `from` before it (scanning only between them). */
function pointAfter(text: string, from: number, fromPoint: Point, to: number): Point {
  let { row } = fromPoint;
  let lineStart = from - fromPoint.column;
  for (let nl = text.indexOf('\n', from); nl >= 0 && nl < to; nl = text.indexOf('\n', nl + 1)) {
    row++;
    lineStart = nl + 1;
  }
  return { row, column: to - lineStart };
}

function editFor(before: string, start: number, oldEnd: number, after: string, newEnd: number): Edit {
  // The texts agree up to `start`: one scan from the top, then only the changed spans.
  const startPosition = pointAt(before, start);
  return {
    startIndex: start,
    oldEndIndex: oldEnd,
    newEndIndex: newEnd,
    startPosition,
    oldEndPosition: pointAfter(before, start, startPosition, oldEnd),
    newEndPosition: pointAfter(after, start, startPosition, newEnd),
  };
}

/** Whether applying `change` (within bounds) to `before` gives `after`, compared in place. */
function turnsInto(before: string, change: TextChange, after: string): boolean {
  const { start, deleteCount, text } = change;
  const rest = start + deleteCount;
  return (
    after.length === before.length - deleteCount + text.length &&
    after.startsWith(text, start) &&
    before.slice(0, start) === after.slice(0, start) &&
    before.slice(rest) === after.slice(start + text.length)
  );
}

/**
 * The tree edits that turn `before` into `after`: the given changes when applying them to `before` yields
 * `after`, else a single edit covering the span between the common prefix and suffix.
 */
export function editsBetween(before: string, after: string, changes: readonly TextChange[]): Edit[] {
  if (changes.length > 0) {
    const edits: Edit[] = [];
    let current = before;
    let consistent = true;
    for (let i = 0; i < changes.length; i++) {
      const c = changes[i];
      if (!c || c.start < 0 || c.deleteCount < 0 || c.start + c.deleteCount > current.length) {
        consistent = false;
        break;
      }
      // The last change is checked against `after` in place: no copy of the whole text per edit (garbage the size
      // of the document, each keystroke).
      const next = i === changes.length - 1 && turnsInto(current, c, after) ? after : current.slice(0, c.start) + c.text + current.slice(c.start + c.deleteCount);
      edits.push(editFor(current, c.start, c.start + c.deleteCount, next, c.start + c.text.length));
      current = next;
    }
    if (consistent && current === after) return edits;
  }
  if (before === after) return [];
  const max = Math.min(before.length, after.length);
  let prefix = 0;
  while (prefix < max && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (
    suffix < max - prefix &&
    before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)
  )
    suffix++;
  return [editFor(before, prefix, before.length - suffix, after, after.length - suffix)];
}
