// Finds the identifiers of a source text outside its comments and string literals, in one pass of a small
// hand-written lexer per language family. Asking the syntax tree instead means visiting every node of the
// file, which costs a quarter of the parse; this pass costs a few percent. It only has to be right about
// where comments and strings start and end: JavaScript regex literals are told from division by the token
// before them, Rust lifetimes from char literals by the closing quote.
import type { IntBuffer } from './intBuffer';
import type { LanguageId } from './model';

/**
 * The words that may be identifiers (two or more word characters, not starting with a digit), in text order,
 * as flat [start, end, hashWord] triples; which of them are references is decided by the caller (keywords, `$`).
 */
export type Words = IntBuffer;

/** Flat [start, end) ranges of the comments and strings skipped, for tests and diagnostics. */
export type Masks = number[];

const SLASH = 47;
const STAR = 42;
const BACKSLASH = 92;
const NEWLINE = 10;
const DQUOTE = 34;
const SQUOTE = 39;
const BACKTICK = 96;
const HASH = 35;
const LBRACE = 123;
const RBRACE = 125;
const DOLLAR = 36;
const LBRACKET = 91;
const RBRACKET = 93;

/**
 * 1 for the ASCII word characters: letters, digits, `_` and `$`. Every non-ASCII character is one too but the white
 * space ones (isUnicodeSpace): the grammars read those as spaces, so `=\u00a0helper(v)` refers to `helper`.
 */
const ASCII_WORD = new Uint8Array(128);
for (let c = 0; c < 128; c++) {
  if ((c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === DOLLAR) ASCII_WORD[c] = 1;
}

/** A non-ASCII code of \p{White_Space} (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000), or the BOM U+FEFF. */
function isUnicodeSpace(c: number): boolean {
  if (c < 0x2000) return c === 0xa0 || c === 0x85 || c === 0x1680;
  return c <= 0x200a || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

function isWordChar(c: number): boolean {
  return c > 127 ? !isUnicodeSpace(c) : ASCII_WORD[c] === 1;
}

/** White space the lexer steps over: ASCII's (tab, line feed, vertical tab, form feed, carriage return, space) and isUnicodeSpace's. */
function isSpace(c: number): boolean {
  return c > 127 ? isUnicodeSpace(c) : c === 32 || (c >= 9 && c <= 13);
}

const HASH_SEED = 0x811c9dc5;
const HASH_PRIME = 0x01000193;

/** Whether `word` is text[start, start + length), compared code unit by code unit (no substring made). */
export function sameChars(word: string, text: string, start: number, length: number): boolean {
  if (word.length !== length) return false;
  for (let k = 0; k < length; k++) if (word.charCodeAt(k) !== text.charCodeAt(start + k)) return false;
  return true;
}

/** FNV-1a over the UTF-16 code units of text[start, end): the hash the lexer reports with each word. */
export function hashWord(text: string, start: number, end: number): number {
  let h = HASH_SEED;
  for (let i = start; i < end; i++) h = Math.imul(h ^ text.charCodeAt(i), HASH_PRIME);
  return h;
}

/** hashWord of the word wordEnd scanned last (set as it scans, saving a second pass over the word). */
let scannedHash = 0;

/** Index just past the word whose first character is at `i`. */
function wordEnd(text: string, i: number): number {
  const n = text.length;
  let h = Math.imul(HASH_SEED ^ text.charCodeAt(i), HASH_PRIME);
  let j = i + 1;
  for (let c = text.charCodeAt(j); j < n && isWordChar(c); c = text.charCodeAt(++j)) h = Math.imul(h ^ c, HASH_PRIME);
  scannedHash = h;
  return j;
}

/** Index just past a line comment starting at `i` (the newline stays outside). */
function lineEnd(text: string, i: number): number {
  const nl = text.indexOf('\n', i);
  return nl < 0 ? text.length : nl;
}

/** Index just past `*\/` from `i` (the end of the text when unterminated). */
function blockCommentEnd(text: string, i: number): number {
  const end = text.indexOf('*/', i + 2);
  return end < 0 ? text.length : end + 2;
}

/**
 * Whether JavaScript's next token at or after `i` (past white space and comments) starts with `/`: a division or a
 * regular expression, which of them the token before decides.
 */
export function slashTokenAt(text: string, i: number): boolean {
  while (i < text.length) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    if (isSpace(c)) i++;
    else if (c === SLASH && next === SLASH) i = lineEnd(text, i);
    else if (c === SLASH && next === STAR) i = blockCommentEnd(text, i);
    else return c === SLASH;
  }
  return false;
}

/** Index just past a quoted literal opened at `i` by `quote`; `multiline` false stops at a newline. */
function quotedEnd(text: string, i: number, quote: number, multiline: boolean): number {
  for (let j = i + 1; j < text.length; j++) {
    const c = text.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === quote) return j + 1;
    else if (c === NEWLINE && !multiline) return j;
  }
  return text.length;
}

/** Words after which a `/` starts a regular expression rather than a division, by length. */
const REGEX_AFTER_WORD: readonly (readonly string[])[] = (() => {
  const byLength: string[][] = [];
  for (const w of ['return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await']) {
    (byLength[w.length] ??= []).push(w);
  }
  return byLength;
})();

function regexMayFollow(text: string, start: number, end: number): boolean {
  const candidates = REGEX_AFTER_WORD[end - start];
  if (candidates) for (const w of candidates) if (text.startsWith(w, start)) return true;
  return false;
}

/** Records the word wordEnd just scanned, at [start, end), unless it is a single character or a number (0x1F, 1e9). */
function pushWord(text: string, start: number, end: number, words: Words): void {
  const first = text.charCodeAt(start);
  if (end - start >= 2 && (first < 48 || first > 57)) {
    words.push(start);
    words.push(end);
    words.push(scannedHash);
  }
}

function jsLex(text: string, words: Words, out: Masks | undefined, from: number, to: number): number {
  const n = text.length;
  /** Brace depths at which an open template substitution `${` resumes its template. */
  const templates: number[] = [];
  let depth = 0;
  let regexAllowed = true;
  /**
   * Start and end of the word just lexed while it is the last token, else -1. Only a handful of short keywords
   * let a regex follow a word: the word is looked up when a `/` follows (seldom), not after every word.
   */
  let wordStart = -1;
  let wordStop = 0;
  let i = from;
  // Masks template text from `from` (its backtick, or a substitution's closing brace) to the next backtick or `${`.
  const templateText = (from: number): number => {
    for (let j = from + 1; j < n; j++) {
      const c = text.charCodeAt(j);
      if (c === BACKSLASH) j++;
      else if (c === BACKTICK) {
        out?.push(from, j + 1);
        return j + 1;
      } else if (c === DOLLAR && text.charCodeAt(j + 1) === LBRACE) {
        out?.push(from, j + 2);
        templates.push(depth);
        depth++;
        return j + 2;
      }
    }
    out?.push(from, n);
    return n;
  };
  while (i < to) {
    const c = text.charCodeAt(i);
    if (isWordChar(c)) {
      const j = wordEnd(text, i);
      pushWord(text, i, j, words);
      wordStart = i;
      wordStop = j;
      i = j;
    } else if (isSpace(c)) {
      i++;
    } else if (c === SLASH && text.charCodeAt(i + 1) === SLASH) {
      const end = lineEnd(text, i);
      out?.push(i, end);
      i = end;
    } else if (c === SLASH && text.charCodeAt(i + 1) === STAR) {
      const end = blockCommentEnd(text, i);
      out?.push(i, end);
      i = end;
    } else if (c === DQUOTE || c === SQUOTE) {
      const end = quotedEnd(text, i, c, false);
      out?.push(i, end);
      i = end;
      regexAllowed = false;
      wordStart = -1;
    } else if (c === BACKTICK) {
      i = templateText(i);
      regexAllowed = false;
      wordStart = -1;
    } else if (c === SLASH && (wordStart < 0 ? regexAllowed : wordStop - wordStart <= 10 && regexMayFollow(text, wordStart, wordStop))) {
      wordStart = -1;
      let j = i + 1;
      let inClass = false;
      for (; j < n; j++) {
        const d = text.charCodeAt(j);
        if (d === BACKSLASH) j++;
        else if (d === NEWLINE) break;
        else if (d === LBRACKET) inClass = true;
        else if (d === RBRACKET) inClass = false;
        else if (d === SLASH && !inClass) {
          j++;
          break;
        }
      }
      out?.push(i, j);
      i = j;
      regexAllowed = false;
    } else {
      if (c === LBRACE) depth++;
      else if (c === RBRACE) {
        depth--;
        if (templates.length > 0 && templates[templates.length - 1] === depth) {
          templates.pop();
          i = templateText(i);
          regexAllowed = false;
          wordStart = -1;
          continue;
        }
      }
      // After a closing bracket or parenthesis an operand ended: `/` divides. After any other punctuation it starts a regex.
      regexAllowed = c !== 41 && c !== RBRACKET;
      wordStart = -1;
      i++;
    }
  }
  return i;
}

/** Java, Go (backtick raw strings, rune literals) and Rust (raw strings, lifetimes, nested block comments). */
function cFamilyLex(text: string, language: 'java' | 'go' | 'rust', words: Words, out: Masks | undefined, from: number, to: number): number {
  const n = text.length;
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    const next = text.charCodeAt(i + 1);
    let end = -1;
    if (c === SLASH && next === SLASH) end = lineEnd(text, i);
    else if (c === SLASH && next === STAR) end = language === 'rust' ? nestedCommentEnd(text, i) : blockCommentEnd(text, i);
    else if (c === DQUOTE) {
      if (language === 'java' && text.startsWith('"""', i)) {
        const close = text.indexOf('"""', i + 3);
        end = close < 0 ? n : close + 3;
      } else end = quotedEnd(text, i, DQUOTE, language !== 'java');
    } else if (c === BACKTICK && language === 'go') {
      const close = text.indexOf('`', i + 1);
      end = close < 0 ? n : close + 1;
    } else if (c === SQUOTE) {
      end = language === 'rust' ? rustQuoteEnd(text, i) : quotedEnd(text, i, SQUOTE, false);
    } else if (language === 'rust' && (c === 114 || c === 98) && (i === 0 || !isWordChar(text.charCodeAt(i - 1)))) {
      end = rustPrefixedStringEnd(text, i);
    }
    if (end > i) {
      out?.push(i, end);
      i = end;
    } else if (isWordChar(c)) {
      const start = i;
      i = wordEnd(text, i);
      pushWord(text, start, i, words);
    } else i++;
  }
  return i;
}

function nestedCommentEnd(text: string, i: number): number {
  let level = 0;
  for (let j = i; j < text.length - 1; j++) {
    if (text.charCodeAt(j) === SLASH && text.charCodeAt(j + 1) === STAR) {
      level++;
      j++;
    } else if (text.charCodeAt(j) === STAR && text.charCodeAt(j + 1) === SLASH) {
      level--;
      j++;
      if (level === 0) return j + 1;
    }
  }
  return text.length;
}

/** A Rust `'` opens a char literal ('a', '\n', '\u{1F600}') or is a lifetime ('a, 'static): -1 for a lifetime. */
function rustQuoteEnd(text: string, i: number): number {
  if (text.charCodeAt(i + 1) === BACKSLASH) return quotedEnd(text, i, SQUOTE, false);
  const cp = text.codePointAt(i + 1) ?? 0;
  const after = i + 1 + (cp > 0xffff ? 2 : 1);
  return text.charCodeAt(after) === SQUOTE ? after + 1 : -1;
}

/** r"…", r#"…"#, b"…", br"…", b'x' starting at `i`; -1 when the letters start an ordinary identifier. */
function rustPrefixedStringEnd(text: string, i: number): number {
  let j = i;
  if (text.charCodeAt(j) === 98) j++; // b
  const raw = text.charCodeAt(j) === 114; // r
  if (raw) j++;
  if (j === i) return -1;
  if (!raw && text.charCodeAt(j) === SQUOTE && j === i + 1) return quotedEnd(text, j, SQUOTE, false);
  let hashes = 0;
  if (raw) while (text.charCodeAt(j) === HASH) {
    hashes++;
    j++;
  }
  if (text.charCodeAt(j) !== DQUOTE) return -1;
  if (!raw) return quotedEnd(text, j, DQUOTE, true);
  const close = text.indexOf(`"${'#'.repeat(hashes)}`, j + 1);
  return close < 0 ? text.length : close + 1 + hashes;
}

const PYTHON_PREFIX = /^[rRbBuUfF]{1,2}$/;

function pythonLex(text: string, words: Words, out: Masks | undefined, from: number, to: number): number {
  const n = text.length;
  let i = from;
  let wordStart = -1;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === HASH) {
      const end = lineEnd(text, i);
      out?.push(i, end);
      i = end;
      wordStart = -1;
    } else if (c === DQUOTE || c === SQUOTE) {
      // A string prefix (f, rb, …) glued to the quote belongs to the string.
      const start = wordStart >= 0 && PYTHON_PREFIX.test(text.slice(wordStart, i)) ? wordStart : i;
      const triple = text.charCodeAt(i + 1) === c && text.charCodeAt(i + 2) === c;
      let end: number;
      if (triple) {
        const delimiter = text.slice(i, i + 3);
        end = n;
        for (let j = i + 3; j < n; j++) {
          if (text.charCodeAt(j) === BACKSLASH) j++;
          else if (text.startsWith(delimiter, j)) {
            end = j + 3;
            break;
          }
        }
      } else end = quotedEnd(text, i, c, false);
      out?.push(start, end);
      i = end;
      wordStart = -1;
    } else if (isWordChar(c)) {
      wordStart = i;
      i = wordEnd(text, i);
      // A string prefix glued to a quote is part of the string, not a word.
      const quote = text.charCodeAt(i);
      if ((quote !== DQUOTE && quote !== SQUOTE) || !PYTHON_PREFIX.test(text.slice(wordStart, i))) pushWord(text, wordStart, i, words);
    } else {
      wordStart = -1;
      i++;
    }
  }
  return i;
}

/**
 * Appends to `words` every word outside comments and strings that may be an identifier (see Words), lexing from
 * offset `from` (taken to be in code) until it reaches `to`. A comment, string or word that starts before `to` is
 * read to its end in the whole text, as lexing all of it would read it: the offset returned, where the lexer
 * stopped, is past `to` when one runs across it (the lexer is then not in code at `to`), else `to`.
 * @param masks when given, receives the comment and string ranges skipped.
 */
export function lexWords(text: string, language: Exclude<LanguageId, 'text'>, words: Words, masks?: Masks, from = 0, to = text.length): number {
  switch (language) {
    case 'typescript':
    case 'tsx':
    case 'javascript':
      return jsLex(text, words, masks, from, to);
    case 'python':
      return pythonLex(text, words, masks, from, to);
    case 'java':
    case 'go':
    case 'rust':
      return cFamilyLex(text, language, words, masks, from, to);
  }
}
