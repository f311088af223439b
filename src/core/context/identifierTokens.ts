// Turns identifiers, signatures, doc comments and prompts into the lower-cased, lightly stemmed
// sub-tokens that lexical ranking compares. `parseHTTPConfig_v2` → parse, http, config, v2 (+ the
// compound term `=parsehttpconfigv2`, so an exact mention of the whole name outscores its parts).
// Prompts are matched case-insensitively: a lower-case word such as `parseconfig` is segmented into
// parts the index knows (parse + config), so `parseConfig` and `parseconfig` rank the same.
// Chinese, Japanese and Korean are written without spaces: a run of their letters (`函数添加折扣参数`) is one word, so
// its terms are its overlapping character bigrams (函数, 数添, 添加, …; a one-character run, the character), the
// usual way to match CJK text lexically: a prompt and a doc comment sharing a phrase (折扣参数) share its bigrams.
import { detachedCut } from './detached';
import { fromImportMemberMark } from './model';

// Words are Unicode: letters (\p{L}) start them; letters, combining marks (\p{M}), decimal digits (\p{Nd}), `_` and `$`
// continue them, so `計算する`, `Überweisung` and `étéFunc` are whole words (an ASCII text matches as it did with
// `[A-Za-z_$][A-Za-z0-9_$]*`). The scans below (wordEndAt, splitIdentifier) read the same classes (classAt).
//
// Prompts may be up to 200,000 characters and are parsed synchronously on the engine thread (nothing can cancel a
// parse), so both patterns must be linear in the text. A global regex tries each position in turn; in their former
// forms (kept in identifierTokens.test.ts) an attempt that failed inside a run of word characters was tried again at
// every later position of the run, each retry scanning to the run's end: quadratic, 30-95 s for 200,000 letters
// with no `.` (QUALIFIED) or 200,000 digits with no letter after them (WORD). The lookbehinds let an attempt start
// only where a former match could start (never inside a run that an earlier attempt covered), so the matches are
// the same; the worst case is now a few passes over the text. Use them with matchAll (it copies the regex).

/** A word: `[\p{L}_$][\p{L}\p{M}\p{Nd}_$]*`, or digits then a letter (`3d`, `2fa`), never starting inside a digit run. */
export const WORD = /[\p{L}_$][\p{L}\p{M}\p{Nd}_$]*|(?<!\p{Nd})\p{Nd}+\p{L}[\p{L}\p{M}\p{Nd}_]*/gu;

/**
 * `Qualifier.name`: a member or module-qualified name as people write them in prompts. The qualifier starts at the
 * first `[\p{L}_$]` of a run of `[\p{L}\p{M}\p{Nd}_$]` (after any leading digits or stray marks: `2fa.enabled` →
 * `fa.enabled`, as before); the lookahead keeps the lookbehind, which reads back over those (each once: they lead
 * one letter), to the positions where it can matter.
 */
export const QUALIFIED =
  /(?=[\p{L}_$])(?<=(?<![\p{L}\p{M}\p{Nd}_$])[\p{M}\p{Nd}]*)([\p{L}_$][\p{L}\p{M}\p{Nd}_$]*)\.([\p{L}_$][\p{L}\p{M}\p{Nd}_$]*)/gu;

// The same patterns for ASCII text, which they match exactly as WORD and QUALIFIED do: Unicode property classes
// make a regex scan 1.6-2× slower, so a prompt with no character above 127 (most) is read with these.
export const ASCII_WORD = /[A-Za-z_$][A-Za-z0-9_$]*|(?<![0-9])[0-9]+[A-Za-z][A-Za-z0-9_]*/g;
export const ASCII_QUALIFIED = /(?=[A-Za-z_$])(?<=(?<![A-Za-z0-9_$])[0-9]*)([A-Za-z_$][A-Za-z0-9_$]*)\.([A-Za-z_$][A-Za-z0-9_$]*)/g;
const NON_ASCII = /[^\x00-\x7f]/;

/** A lower-case letter followed by an upper-case one, in ASCII. */
const ASCII_CAMEL_HUMP = /[a-z][A-Z]/;

/** English function words and prompt filler: they carry no information about code. */
const ENGLISH_STOPWORDS = new Set([
  'a', 'about', 'above', 'after', 'again', 'all', 'also', 'am', 'an', 'and', 'any', 'are', 'as', 'at', 'be',
  'been', 'before', 'being', 'below', 'between', 'both', 'but', 'by', 'can', 'could', 'did', 'do', 'does',
  'doing', 'down', 'during', 'each', 'either', 'etc', 'few', 'for', 'from', 'further', 'had', 'has', 'have',
  'having', 'he', 'her', 'here', 'hers', 'him', 'his', 'how', 'i', 'ie', 'eg', 'if', 'in', 'into', 'is',
  'it', 'its', 'itself', 'just', 'let', 'lets', 'me', 'might', 'more', 'most', 'must', 'my', 'no', 'nor',
  'not', 'now', 'of', 'off', 'on', 'once', 'only', 'or', 'other', 'otherwise', 'our', 'ours', 'out',
  'over', 'own', 'please', 'same', 'shall', 'she', 'should', 'so', 'some', 'such', 'than', 'that', 'the',
  'their', 'theirs', 'them', 'then', 'there', 'these', 'they', 'this', 'those', 'through', 'thus', 'to',
  'too', 'under', 'until', 'up', 'upon', 'us', 'very', 'via', 'was', 'we', 'were', 'what', 'when', 'where',
  'whether', 'which', 'while', 'who', 'whom', 'whose', 'why', 'will', 'with', 'within', 'without', 'would',
  'yet', 'you', 'your', 'yours', 'write', 'implement', 'code', 'given', 'using', 'use', 'used', 'uses',
  'fix', 'refactor', 'explain', 'improve', 'help', 'need', 'needs', 'want', 'like', 'way', 'something',
]);

/** Declaration keywords that appear in signatures of every language: noise for matching. */
const KEYWORDS = new Set([
  'abstract', 'async', 'await', 'const', 'declare', 'def', 'export', 'extends', 'final', 'fn', 'func',
  'function', 'implements', 'impl', 'import', 'mut', 'override', 'package', 'private', 'protected', 'pub',
  'public', 'readonly', 'return', 'returns', 'self', 'static', 'var', 'void', 'default', 'new', 'param',
  'throws', 'struct', 'trait', 'interface', 'enum', 'class', 'type', 'crate', 'super', 'null', 'undefined',
  'true', 'false', 'none',
]);

const enum CharClass {
  Other,
  Lower,
  Upper,
  Digit,
  /** A letter of a script without case (Arabic, Hebrew, Thai, …) but CJK: a run of them is one part. */
  Caseless,
  /** A combining mark (\p{M}): part of the letter or digit before it. */
  Mark,
  /**
   * A letter of Chinese, Japanese or Korean (Han, Hiragana, Katakana, Hangul, by Script_Extensions so that the
   * prolonged sound mark `ー` stays in its katakana word): a run of them is one part, whose terms are its bigrams.
   */
  Cjk,
}

/** The class of each ASCII code. */
const ASCII_CLASS = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if (c >= 97 && c <= 122) ASCII_CLASS[c] = CharClass.Lower;
  else if (c >= 65 && c <= 90) ASCII_CLASS[c] = CharClass.Upper;
  else if (c >= 48 && c <= 57) ASCII_CLASS[c] = CharClass.Digit;
}

/** 1 + the class of each BMP code point met so far (0: not yet): a lookup instead of a string and five regex tests. */
const BMP_CLASS = new Uint8Array(0x10000);
const UPPER = /[\p{Lu}\p{Lt}]/u;
const LOWER = /\p{Ll}/u;
const LETTER = /\p{L}/u;
const MARK = /\p{M}/u;
const DIGIT = /\p{Nd}/u;
const CJK = /[\p{scx=Han}\p{scx=Hiragana}\p{scx=Katakana}\p{scx=Hangul}]/u;

function classifyCodePoint(cp: number): CharClass {
  if (cp >= 0xd800 && cp <= 0xdfff) return CharClass.Other; // a lone surrogate
  const ch = String.fromCodePoint(cp);
  if (UPPER.test(ch)) return CharClass.Upper;
  if (LOWER.test(ch)) return CharClass.Lower;
  if (LETTER.test(ch)) return CJK.test(ch) ? CharClass.Cjk : CharClass.Caseless;
  if (MARK.test(ch)) return CharClass.Mark;
  return DIGIT.test(ch) ? CharClass.Digit : CharClass.Other;
}

/** The class of a code point (a whole one: codePointAt, not a surrogate half of one). */
function classOfCodePoint(cp: number): CharClass {
  if (cp < 128) return ASCII_CLASS[cp] as CharClass;
  if (cp > 0xffff) return classifyCodePoint(cp);
  const known = BMP_CLASS[cp] as number;
  if (known !== 0) return known - 1;
  const c = classifyCodePoint(cp);
  BMP_CLASS[cp] = c + 1;
  return c;
}

/** ASCII codes only (anything above is Other): the fast path, which gives up at the first code above 127. */
function classOf(code: number): CharClass {
  return code < 128 ? (ASCII_CLASS[code] as CharClass) : CharClass.Other;
}

/**
 * Splits one identifier into lower-cased parts on case changes, `_`, `$`, `-` and letter/digit edges, in any script
 * (splitUnicodeIdentifier: a run of letters without case, 計算する, is one part; its terms are its bigrams, cjkTerms).
 */
export function splitIdentifier(identifier: string): string[] {
  const parts: string[] = [];
  const n = identifier.length;
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const code = i < n ? identifier.charCodeAt(i) : 0;
    if (code > 127) return splitUnicodeIdentifier(identifier);
    const c = classOf(code);
    if (c === CharClass.Other) {
      if (start >= 0) parts.push(identifier.slice(start, i).toLowerCase());
      start = -1;
      continue;
    }
    if (start < 0) {
      start = i;
      continue;
    }
    const prev = classOf(identifier.charCodeAt(i - 1));
    const next = i + 1 < n ? classOf(identifier.charCodeAt(i + 1)) : CharClass.Other;
    const boundary =
      (prev === CharClass.Lower && c === CharClass.Upper) || // aB
      (prev === CharClass.Upper && c === CharClass.Upper && next === CharClass.Lower) || // ABc: acronym ends before B
      (prev === CharClass.Digit) !== (c === CharClass.Digit); // letter/digit edge
    if (boundary) {
      parts.push(identifier.slice(start, i).toLowerCase());
      start = i;
    }
  }
  return parts;
}

/**
 * splitIdentifier of an identifier with a code above 127: the same rules over whole code points, a combining mark
 * going with the letter or digit before it (`e\u0301`), and an edge between caseless letters and the rest
 * (`getユーザー` → get, ユーザー), CJK letters and other caseless ones alike.
 */
function splitUnicodeIdentifier(identifier: string): string[] {
  const n = identifier.length;
  // The characters (a code point and its marks) as [class, start]; each ends where the next starts.
  const classes: CharClass[] = [];
  const starts: number[] = [];
  for (let i = 0; i < n; ) {
    const cp = identifier.codePointAt(i) as number;
    const c = classOfCodePoint(cp);
    const last = classes.length - 1;
    if (c !== CharClass.Mark || last < 0 || classes[last] === CharClass.Other) {
      classes.push(c === CharClass.Mark ? CharClass.Other : c);
      starts.push(i);
    }
    i += cp > 0xffff ? 2 : 1;
  }
  const m = classes.length;
  starts.push(n);
  const parts: string[] = [];
  let start = -1;
  for (let k = 0; k <= m; k++) {
    const c = k < m ? (classes[k] as CharClass) : CharClass.Other;
    if (c === CharClass.Other) {
      if (start >= 0) parts.push(identifier.slice(start, starts[k]).toLowerCase());
      start = -1;
      continue;
    }
    const at = starts[k] as number;
    if (start < 0) {
      start = at;
      continue;
    }
    const prev = classes[k - 1] as CharClass;
    const next = k + 1 < m ? (classes[k + 1] as CharClass) : CharClass.Other;
    const boundary =
      (prev === CharClass.Lower && c === CharClass.Upper) || // aB
      (prev === CharClass.Upper && c === CharClass.Upper && next === CharClass.Lower) || // ABc: acronym ends before B
      (prev === CharClass.Digit) !== (c === CharClass.Digit) || // letter/digit edge
      (prev === CharClass.Caseless) !== (c === CharClass.Caseless) || // caseless/cased edge
      (prev === CharClass.Cjk) !== (c === CharClass.Cjk); // CJK/other edge
    if (boundary) {
      parts.push(identifier.slice(start, at).toLowerCase());
      start = at;
    }
  }
  return parts;
}

/** A light suffix stemmer (plural, -ing, -ed, -er/-e) so parse/parses/parsing/parsed/parser meet. */
export function stem(word: string): string {
  let w = word;
  if (w.length <= 3 || /[0-9]/.test(w)) return w;
  if (w.endsWith('ies') && w.length > 4) w = `${w.slice(0, -3)}y`;
  else if (w.endsWith('sses')) w = w.slice(0, -2);
  else if (w.endsWith('s') && !w.endsWith('ss') && !w.endsWith('us') && !w.endsWith('is')) w = w.slice(0, -1);
  if (w.length > 5 && w.endsWith('ing')) w = undouble(w.slice(0, -3));
  else if (w.length > 4 && w.endsWith('ed')) w = undouble(w.slice(0, -2));
  else if (w.length > 4 && w.endsWith('er')) w = undouble(w.slice(0, -2));
  if (w.length > 3 && w.endsWith('e')) w = w.slice(0, -1);
  return w;
}

function undouble(w: string): string {
  const n = w.length;
  if (n >= 3 && w[n - 1] === w[n - 2] && !/[lsz]/.test(w[n - 1] ?? '')) return w.slice(0, -1);
  return w;
}

function isNoise(part: string): boolean {
  if (part.length < 2) return true;
  // Parts start with a digit only when they are all digits.
  if (classOfCodePoint(part.codePointAt(0) as number) === CharClass.Digit) return true;
  return ENGLISH_STOPWORDS.has(part) || KEYWORDS.has(part);
}

/** The term standing for a whole multi-part identifier (kept apart from plain words by its `=`). */
export function compoundTerm(lowerJoined: string): string {
  return `=${lowerJoined}`;
}

/**
 * Index terms of one identifier: its stemmed sub-tokens, plus the compound term when the identifier
 * has several parts. Pushes onto `out` (for speed on hot paths).
 */
export function identifierTerms(identifier: string, out: string[] = []): string[] {
  return pushTerms(identifier, false, out);
}

/**
 * identifierTerms, memoised.
 * @param transient whether `identifier` was cut from a text that is not kept (a file's texts inflated for a moment:
 *   definitionTexts.ts): the memo then keeps a copy of it, not a view that would keep the whole text.
 */
function pushTerms(identifier: string, transient: boolean, out: string[]): string[] {
  let terms = termsByIdentifier.get(identifier);
  if (!terms) {
    const kept = transient ? detachedCut(identifier) : identifier;
    terms = computeIdentifierTerms(kept);
    if (termsByIdentifier.size >= TERMS_CACHE_SIZE) termsByIdentifier.clear();
    termsByIdentifier.set(kept, terms);
  }
  for (const t of terms) out.push(t);
  return out;
}

/** Identifiers repeat across a codebase (types, parameters, doc words): their terms are memoised. */
const termsByIdentifier = new Map<string, readonly string[]>();
const TERMS_CACHE_SIZE = 50_000;

/** identifierTerms without the memo (for callers that keep their own). */
export function computeIdentifierTerms(identifier: string): string[] {
  // A member of a Python `from … import` name (`views:index`: fromImportMemberName): the member's terms alone, as when
  // it was a reference of its own — the name before it stays one of the file's references beside it.
  const mark = fromImportMemberMark(identifier);
  if (mark > 0 && mark < identifier.length - 1) return computeIdentifierTerms(identifier.slice(mark + 1));
  // A member of a namespace import, as references record it (`Effect.flatMap`: qualifiedName): the terms of the
  // namespace and of the member, each an identifier of its own, as when they were two references (`=flatmap`, which
  // `=effectflatmap` would have taken the place of in files' and definitions' documents).
  const dot = identifier.indexOf('.');
  if (dot > 0 && dot < identifier.length - 1 && identifier.indexOf('.', dot + 1) < 0) {
    const out = computeIdentifierTerms(identifier.slice(0, dot));
    for (const t of computeIdentifierTerms(identifier.slice(dot + 1))) if (!out.includes(t)) out.push(t);
    return out;
  }
  const parts = splitIdentifier(identifier);
  const out: string[] = [];
  let whole = parts.length > 1;
  for (const p of parts) {
    if (isCjkPart(p)) {
      // A run of more than two characters has several bigrams: the whole run is the compound, as for `parseConfig`.
      if (cjkTerms(p, out) > 1) whole = true;
    } else if (!isNoise(p)) out.push(stem(p));
  }
  if (whole && out.length > 0) out.push(compoundTerm(parts.join('')));
  return out;
}

/** Whether a part of splitIdentifier is a run of CJK letters (it is when its first character is one). */
function isCjkPart(part: string): boolean {
  const code = part.charCodeAt(0);
  return code > 127 && classAt(part, 0, part.length) === CharClass.Cjk;
}

/**
 * Pushes the terms of a run of CJK letters (a part isCjkPart) onto `out`: its overlapping bigrams of characters (a
 * letter with its combining marks, `か\u3099`), or the run itself when it is one character; returns how many. Not
 * stemmed, never noise: `的` or `を` alone is a word of the text.
 */
function cjkTerms(run: string, out: string[]): number {
  const n = run.length;
  let first = 0; // the start of the bigram's first character
  let second = nextCharacter(run, 0, n);
  if (second >= n) {
    out.push(run);
    return 1;
  }
  let count = 0;
  while (second < n) {
    const end = nextCharacter(run, second, n);
    out.push(run.slice(first, end));
    count++;
    first = second;
    second = end;
  }
  return count;
}

/** Where the character (a code point and the combining marks after it) at text[i] ends. */
function nextCharacter(text: string, i: number, n: number): number {
  let j = i + widthAt(text, i);
  while (j < n && text.charCodeAt(j) > 127 && classAt(text, j, n) === CharClass.Mark) j += widthAt(text, j);
  return j;
}

/**
 * The class of the character at text[i]: of its whole code point when it starts a surrogate pair, Other when the pair
 * is cut by `limit` (a text cut there is cut between whole characters: definitionTexts.ts).
 */
function classAt(text: string, i: number, limit: number): CharClass {
  const code = text.charCodeAt(i);
  if (code < 128) return ASCII_CLASS[code] as CharClass;
  if (code >= 0xd800 && code <= 0xdbff) return i + 1 < limit ? classOfCodePoint(text.codePointAt(i) as number) : CharClass.Other;
  return classOfCodePoint(code);
}

/** 1 or 2: the UTF-16 length of the character at text[i] (2 only for a high surrogate classAt read as a whole). */
function widthAt(text: string, i: number): number {
  const code = text.charCodeAt(i);
  return code >= 0xd800 && code <= 0xdbff ? 2 : 1;
}

function isLetterClass(c: CharClass): boolean {
  return c === CharClass.Lower || c === CharClass.Upper || c === CharClass.Caseless || c === CharClass.Cjk;
}

/** 1 for the ASCII codes that continue a word (`[A-Za-z0-9_]`), 2 for `$` (which continues some). */
const ASCII_TAIL = new Uint8Array(128);
for (let c = 0; c < 128; c++) if (ASCII_CLASS[c] !== CharClass.Other || c === 95) ASCII_TAIL[c] = 1;
ASCII_TAIL[36] = 2;

/** Index past the run of `[\p{L}\p{M}\p{Nd}_]` (and `$` when `dollar`) from `j`, no further than `limit`. */
function tailEnd(text: string, j: number, limit: number, dollar: boolean): number {
  const stop = dollar ? 0 : 2; // the ASCII_TAIL value that ends the run
  while (j < limit) {
    const d = text.charCodeAt(j);
    if (d < 128) {
      const t = ASCII_TAIL[d];
      if (t === 0 || t === stop) return j;
      j++;
    } else {
      // Every class but Other continues a word: letters, marks and digits.
      if (classAt(text, j, limit) === CharClass.Other) return j;
      j += widthAt(text, j);
    }
  }
  return j;
}

/**
 * Where a word of `WORD` starting at `i` ends (scanning no further than `limit`), or, when no word
 * starts at `i`, `-(where to look next) - 1`. Scans character codes: no match objects, no strings.
 */
function wordEndAt(text: string, i: number, limit: number): number {
  const code = text.charCodeAt(i);
  const c = code < 128 ? (ASCII_CLASS[code] as CharClass) : classAt(text, i, limit);
  if (isLetterClass(c) || code === 95 || code === 36) {
    // [\p{L}_$][\p{L}\p{M}\p{Nd}_$]*
    return tailEnd(text, i + widthAt(text, i), limit, true);
  }
  if (c === CharClass.Digit) {
    // \p{Nd}+\p{L}[\p{L}\p{M}\p{Nd}_]*; digits not followed by a letter match nothing, up to the first non-digit.
    let k = i + 1;
    while (k < limit && classAt(text, k, limit) === CharClass.Digit) k += widthAt(text, k);
    if (k < limit && isLetterClass(classAt(text, k, limit))) return tailEnd(text, k + widthAt(text, k), limit, false);
    return -k - 1;
  }
  return -(i + 1) - 1;
}

/**
 * Index terms of free text (signature, doc comment, prompt): every identifier-like word's terms.
 * The words are those of `WORD`, found by a scan that allocates nothing but the words.
 */
export function textTerms(text: string, out: string[] = []): string[] {
  forEachWord(text, text.length, (start, end) => pushTerms(text.slice(start, end), true, out));
  return out;
}

/** Calls `visit` with the bounds of every word of `WORD` in text[0, limit), in order. */
export function forEachWord(text: string, limit: number, visit: (start: number, end: number) => void): void {
  let i = 0;
  while (i < limit) {
    const end = wordEndAt(text, i, limit);
    if (end < 0) {
      i = -end - 1;
      continue;
    }
    visit(i, end);
    i = end;
  }
}

/** A meaningful sub-word of the query (lower-case) and the index term it stems to. */
export interface QueryPart {
  readonly text: string;
  readonly term: string;
}

export interface ParsedQuery {
  /**
   * Words of the query that look like names rather than English, lower-cased: in backticks, with
   * `_`, `$` or digits, in camelCase (`isValid`), or running several known words together (`parseconfig`). Only these match
   * definition names exactly: "get the last element" must not pull in every `get` and `last`.
   */
  readonly names: readonly string[];
  /** Qualified mentions `Qualifier.name` (`HashMap.get`, `userService.save`), lower-cased. */
  readonly qualified: readonly { readonly qualifier: string; readonly name: string }[];
  /** Distinct meaningful sub-words, in order of first appearance. */
  readonly parts: readonly QueryPart[];
  /** Compound terms of multi-part words (`parse_config`, `parseconfig` → `=parseconfig`). */
  readonly compounds: readonly string[];
}

/** Longest run of parts one lower-case word is split into when it is not itself a known term. */
const MAX_SEGMENTS = 4;
/** Longer words (hashes, base64) are not worth segmenting. */
const MAX_SEGMENTED_LENGTH = 40;

/**
 * Splits a lower-case word into the fewest parts (each ≥ 2 letters) whose stems are known terms,
 * e.g. `parseconfig` → parse, config. Undefined when no such split exists.
 */
export function segmentWord(word: string, isKnown: (term: string) => boolean): string[] | undefined {
  const n = word.length;
  // best[i] = fewest parts covering word[0..i), with the start of the last part in from[i].
  const best = new Array<number>(n + 1).fill(Infinity);
  const from = new Array<number>(n + 1).fill(-1);
  best[0] = 0;
  for (let end = 2; end <= n; end++) {
    for (let start = 0; start <= end - 2; start++) {
      const before = best[start] ?? Infinity;
      if (before + 1 >= (best[end] ?? Infinity) || before + 1 > MAX_SEGMENTS) continue;
      const part = word.slice(start, end);
      if (!isNoise(part) && isKnown(stem(part))) {
        best[end] = before + 1;
        from[end] = start;
      }
    }
  }
  if (!Number.isFinite(best[n] ?? Infinity) || (best[n] ?? 0) < 2) return undefined;
  const parts: string[] = [];
  for (let end = n; end > 0; end = from[end] ?? 0) parts.unshift(word.slice(from[end] ?? 0, end));
  return parts;
}

/**
 * Parses a prompt case-insensitively (the result depends only on the lower-cased prompt, so a cache
 * keyed on it is exact). `isKnown` says whether a term occurs in the index, for segmentation.
 */
/** A lower-case letter (with its marks) followed by an upper-case one: a camelCase (or PascalCase) name's hump. */
const CAMEL_HUMP = /\p{Ll}\p{M}*[\p{Lu}\p{Lt}]/u;

/**
 * The words of `text` written in camelCase (`isValid`, `writeFile`), lower-cased: names however English their parts
 * (`is`, `up`: stop words kept `isvalid` from reading as known words run together, while `setup` typed in lower case
 * stays a word). The one thing a parse reads of the query's case: the cache key holds it too (normaliseQuery).
 */
export function camelCaseWords(text: string): Set<string> {
  const words = new Set<string>();
  const ascii = !NON_ASCII.test(text);
  const hump = ascii ? ASCII_CAMEL_HUMP : CAMEL_HUMP;
  for (const m of text.matchAll(ascii ? ASCII_WORD : WORD)) if (hump.test(m[0])) words.add(m[0].toLowerCase());
  return words;
}

/** What makes a word of a prompt a name rather than English: `_`, `$` or a digit. */
const NAME_LIKE = /[_$\p{Nd}]/u;

export function parseQuery(query: string, isKnown: (term: string) => boolean): ParsedQuery {
  const lower = query.toLowerCase();
  const words = new Set<string>();
  const names = new Set<string>();
  const parts = new Map<string, QueryPart>();
  const compounds = new Set<string>();
  const addPart = (p: string): void => {
    if (!parts.has(p)) parts.set(p, { text: p, term: stem(p) });
  };
  const qualified = new Map<string, { qualifier: string; name: string }>();
  const ascii = !NON_ASCII.test(lower);
  for (const m of lower.matchAll(ascii ? ASCII_QUALIFIED : QUALIFIED)) {
    const [whole, qualifier = '', name = ''] = m;
    if (!isNoise(name) || NAME_LIKE.test(name)) qualified.set(whole, { qualifier, name });
  }
  const camel = camelCaseWords(query);
  for (const m of lower.matchAll(ascii ? ASCII_WORD : WORD)) {
    const word = m[0];
    const quoted = lower[m.index - 1] === '`';
    if (quoted || camel.has(word) || NAME_LIKE.test(word)) names.add(word);
    if (words.has(word)) continue;
    words.add(word);
    const chunks = splitIdentifier(word);
    let kept = 0;
    for (const chunk of chunks) {
      if (isCjkPart(chunk)) {
        // Its bigrams, as a document's run gives them (computeIdentifierTerms); never segmented.
        kept++;
        const grams: string[] = [];
        if (cjkTerms(chunk, grams) > 1) compounds.add(compoundTerm(chunk));
        for (const g of grams) addPart(g);
        continue;
      }
      if (isNoise(chunk)) continue;
      kept++;
      if (isKnown(stem(chunk))) {
        addPart(chunk);
        continue;
      }
      // Unknown as a word: perhaps a whole name typed in lower case (`parseconfig`).
      compounds.add(compoundTerm(chunk));
      const segments = chunk.length <= MAX_SEGMENTED_LENGTH ? segmentWord(chunk, isKnown) : undefined;
      if (segments && chunks.length === 1) names.add(word);
      for (const s of segments ?? [chunk]) addPart(s);
    }
    if (chunks.length > 1 && kept > 0) compounds.add(compoundTerm(chunks.join('')));
  }
  return { names: [...names], qualified: [...qualified.values()], parts: [...parts.values()], compounds: [...compounds] };
}
