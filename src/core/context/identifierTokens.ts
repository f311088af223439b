// Turns identifiers, signatures, doc comments and prompts into the lower-cased, lightly stemmed
// sub-tokens that lexical ranking compares. `parseHTTPConfig_v2` → parse, http, config, v2 (+ the
// compound term `=parsehttpconfigv2`, so an exact mention of the whole name outscores its parts).
// Prompts are matched case-insensitively: a lower-case word such as `parseconfig` is segmented into
// parts the index knows (parse + config), so `parseConfig` and `parseconfig` rank the same.
import { detachedCut } from './detached';

// Prompts may be up to 200,000 characters and are parsed synchronously on the engine thread (nothing can cancel a
// parse), so both patterns must be linear in the text. A global regex tries each position in turn; in their former
// forms (kept in identifierTokens.test.ts) an attempt that failed inside a run of word characters was tried again at
// every later position of the run, each retry scanning to the run's end: quadratic, 30-95 s for 200,000 letters
// with no `.` (QUALIFIED) or 200,000 digits with no letter after them (WORD). The lookbehinds let an attempt start
// only where a former match could start (never inside a run that an earlier attempt covered), so the matches are
// the same; the worst case is now a few passes over the text. Use them with matchAll (it copies the regex).

/** A word: `[A-Za-z_$][A-Za-z0-9_$]*`, or digits then a letter (`3d`, `2fa`), never starting inside a digit run. */
export const WORD = /[A-Za-z_$][A-Za-z0-9_$]*|(?<![0-9])[0-9]+[A-Za-z][A-Za-z0-9_]*/g;

/**
 * `Qualifier.name`: a member or module-qualified name as people write them in prompts. The qualifier starts at the
 * first `[A-Za-z_$]` of a run of `[A-Za-z0-9_$]` (after any leading digits: `2fa.enabled` → `fa.enabled`, as before);
 * the lookahead keeps the lookbehind, which reads back over those digits, to the positions where it can matter.
 */
export const QUALIFIED = /(?=[A-Za-z_$])(?<=(?<![A-Za-z0-9_$])[0-9]*)([A-Za-z_$][A-Za-z0-9_$]*)\.([A-Za-z_$][A-Za-z0-9_$]*)/g;

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
}

function classOf(code: number): CharClass {
  if (code >= 97 && code <= 122) return CharClass.Lower;
  if (code >= 65 && code <= 90) return CharClass.Upper;
  if (code >= 48 && code <= 57) return CharClass.Digit;
  return CharClass.Other;
}

/** Splits one identifier into lower-cased parts on case changes, `_`, `$`, `-` and letter/digit edges. */
export function splitIdentifier(identifier: string): string[] {
  const parts: string[] = [];
  const n = identifier.length;
  let start = -1;
  for (let i = 0; i <= n; i++) {
    const c = i < n ? classOf(identifier.charCodeAt(i)) : CharClass.Other;
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
  const first = part.charCodeAt(0);
  if (first >= 48 && first <= 57) return true; // parts start with a digit only when they are all digits
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
  const parts = splitIdentifier(identifier);
  const out: string[] = [];
  for (const p of parts) if (!isNoise(p)) out.push(stem(p));
  if (parts.length > 1 && out.length > 0) out.push(compoundTerm(parts.join('')));
  return out;
}

function isLetter(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90);
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** `[A-Za-z0-9_]` */
function isWordTail(code: number): boolean {
  return isLetter(code) || isDigit(code) || code === 95;
}

/**
 * Where a word of `WORD` starting at `i` ends (scanning no further than `limit`), or, when no word
 * starts at `i`, `-(where to look next) - 1`. Scans character codes: no match objects, no strings.
 */
function wordEndAt(text: string, i: number, limit: number): number {
  const c = text.charCodeAt(i);
  if (isLetter(c) || c === 95 || c === 36) {
    // [A-Za-z_$][A-Za-z0-9_$]*
    let j = i + 1;
    while (j < limit && (isWordTail(text.charCodeAt(j)) || text.charCodeAt(j) === 36)) j++;
    return j;
  }
  if (isDigit(c)) {
    // [0-9]+[A-Za-z][A-Za-z0-9_]*; digits not followed by a letter match nothing, up to the first non-digit.
    let k = i + 1;
    while (k < limit && isDigit(text.charCodeAt(k))) k++;
    if (k < limit && isLetter(text.charCodeAt(k))) {
      let j = k + 1;
      while (j < limit && isWordTail(text.charCodeAt(j))) j++;
      return j;
    }
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
/** A lower-case letter followed by an upper-case one: a camelCase (or PascalCase) name's hump. */
const CAMEL_HUMP = /[a-z][A-Z]/;

/**
 * The words of `text` written in camelCase (`isValid`, `writeFile`), lower-cased: names however English their parts
 * (`is`, `up`: stop words kept `isvalid` from reading as known words run together, while `setup` typed in lower case
 * stays a word). The one thing a parse reads of the query's case: the cache key holds it too (normaliseQuery).
 */
export function camelCaseWords(text: string): Set<string> {
  const words = new Set<string>();
  for (const m of text.matchAll(WORD)) if (CAMEL_HUMP.test(m[0])) words.add(m[0].toLowerCase());
  return words;
}

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
  for (const m of lower.matchAll(QUALIFIED)) {
    const [whole, qualifier = '', name = ''] = m;
    if (!isNoise(name) || /[_$0-9]/.test(name)) qualified.set(whole, { qualifier, name });
  }
  const camel = camelCaseWords(query);
  for (const m of lower.matchAll(WORD)) {
    const word = m[0];
    const quoted = lower[m.index - 1] === '`';
    if (quoted || camel.has(word) || /[_$0-9]/.test(word)) names.add(word);
    if (words.has(word)) continue;
    words.add(word);
    const chunks = splitIdentifier(word);
    let kept = 0;
    for (const chunk of chunks) {
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
