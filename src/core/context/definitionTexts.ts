// A file's definition texts (its signatures joined, then its doc comments joined: DefinitionColumns) as the saved
// index keeps them — UTF-8, compressed with zlib (deflate, and an Adler-32 check of what it inflates to) — and as a
// reopened index holds them until they are read.
// At 50,000 synthetic files the texts are ~48 MB of strings on the engine thread's heap; compressed they are ~21 MB
// outside it (the session's retained heap 206 → 167 MB). They are read in bulk only while the ranking index is built
// (its lexical documents) and then a few files' at a time (a query's reasons and packed items), so each file's are
// inflated when first read, and the most recently read files' are kept. What is inflated is garbage soon after, but it
// passes through the heap: the session's peak did not fall beyond its run-to-run variation (docs/benchmark-history.md, session 20).
import { LRUCache } from 'lru-cache';
import type * as NodeZlib from 'node:zlib';
import { lazyBuiltin } from './lazyBuiltin';

/** node:zlib, loaded by the first texts packed or read (a reopened index loads it on its way to ready anyway, for its checksum: crc32.ts). */
const zlib = lazyBuiltin<typeof NodeZlib>('node:zlib');

/** The texts as strings: `signatures` then `docs`, each joined (DefinitionColumns' numbers say where each ends). */
export interface PlainTexts {
  readonly signatures: string;
  readonly docs: string;
}

export const NO_TEXTS: PlainTexts = Object.freeze({ signatures: '', docs: '' });

/** Compressed texts: `bytes` inflate to the UTF-8 of `signatures + docs`, `length` UTF-16 units, the first `signatureLength` the signatures'. */
export class PackedTexts {
  /** Set when the bytes were found not to inflate to such texts (a corrupt saved index): they read as none. */
  unreadable = false;

  constructor(
    readonly bytes: Uint8Array,
    readonly signatureLength: number,
    readonly length: number,
  ) {}
}

export type DefinitionTexts = PlainTexts | PackedTexts;

/**
 * Small inputs (a file's texts average ~1–5 KB) compress as well in a 4 KB window with a small hash table as with
 * zlib's defaults (20.8 MB either way at 50,000 synthetic files), and a call then sets up ~30 KB instead of ~270:
 * most of what a call costs at these sizes, and what a save's thousands of calls leave in the allocator. Inflating
 * uses the same window: the saved index's LAYOUT changes with these.
 */
const DEFLATE_OPTIONS = { level: 4, windowBits: 12, memLevel: 5 } as const;

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * `texts` compressed. They must be well-formed (no lone surrogate: UTF-8 cannot hold one, see String.isWellFormed);
 * empty texts pack to no bytes. The bytes have a buffer of their own (zlib's result is a view of its output chunk, up to
 * 16 KB).
 */
export function packTexts(texts: PlainTexts): PackedTexts {
  const length = texts.signatures.length + texts.docs.length;
  if (length === 0) return new PackedTexts(new Uint8Array(0), 0, 0);
  const utf8 = encoder.encode(texts.signatures + texts.docs);
  // (One output chunk a little larger than the input, which deflate outgrows by a few bytes at most; up to zlib's default.)
  const { deflateSync, constants } = zlib();
  const deflated = deflateSync(utf8, { ...DEFLATE_OPTIONS, chunkSize: Math.min(constants.Z_DEFAULT_CHUNK, utf8.length + constants.Z_MIN_CHUNK) });
  return new PackedTexts(new Uint8Array(deflated), texts.signatures.length, length);
}

/** How many packed texts of this thread have proved unreadable so far (see unreadableTextsFound). */
let unreadableCount = 0;

/**
 * How many packed texts of this thread have proved unreadable when read, so far: a number that changes when there are
 * new ones, for an index to know when to look for them among its files (WorkspaceIndex.repairUnreadableTexts).
 */
export function unreadableTextsFound(): number {
  return unreadableCount;
}

/** The files whose texts stay inflated, the most recently read (the ranking index's build reads each file's once, in turn). */
const inflated = new LRUCache<PackedTexts, PlainTexts>({ max: 32 });

/**
 * The strings of packed texts; NO_TEXTS when the bytes do not inflate (or fail their check) to UTF-8 of the length they
 * were saved with — a corrupt saved index: its texts are read long after it was loaded, so its definitions keep no
 * texts rather than fail, and the texts are marked `unreadable` (the index reads their file again,
 * WorkspaceIndex.repairUnreadableTexts; a save before that writes it as one to re-parse).
 */
export function plainTexts(texts: DefinitionTexts): PlainTexts {
  if (!(texts instanceof PackedTexts)) return texts;
  // (The file read last answers without the cache: its definitions are read one field at a time — a signature, a doc
  // comment, each a call here — and the cache's lookups made an options object each, ~70 MB of garbage per ranking
  // index built over 50,000 files.)
  if (texts === lastRead?.texts) return lastRead.plain;
  let plain = inflated.get(texts);
  if (plain === undefined) {
    plain = inflate(texts);
    inflated.set(texts, plain);
  }
  lastRead = { texts, plain };
  return plain;
}

/** The texts plainTexts gave last (kept as the cache's most recent entry is: one file's). */
let lastRead: { readonly texts: PackedTexts; readonly plain: PlainTexts } | undefined;

function inflate(texts: PackedTexts): PlainTexts {
  if (texts.length === 0) return NO_TEXTS;
  let text: string | undefined;
  try {
    // (One chunk a little larger than ASCII texts need, so zlib does not set aside a second one; at most 3 bytes per
    // UTF-16 unit come out, whatever a corrupt file says.)
    const { inflateSync, constants } = zlib();
    const bytes = inflateSync(texts.bytes, { windowBits: DEFLATE_OPTIONS.windowBits, chunkSize: Math.min(constants.Z_DEFAULT_CHUNK, texts.length + constants.Z_MIN_CHUNK), maxOutputLength: 3 * texts.length });
    text = decoder.decode(bytes);
  } catch {
    text = undefined;
  }
  if (text === undefined || text.length !== texts.length) {
    if (!texts.unreadable) unreadableCount++;
    texts.unreadable = true;
    return NO_TEXTS;
  }
  return { signatures: text.slice(0, texts.signatureLength), docs: text.slice(texts.signatureLength) };
}
