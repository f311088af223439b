// Which words of source text are identifier references (keywords of each language, minimum length), and the
// words of text files that have no grammar.
import type { LanguageId } from './model';

const words = (s: string): ReadonlySet<string> => new Set(s.split(/\s+/).filter(Boolean));

const JS_KEYWORDS = words(`
  abstract any as assert asserts async await bigint boolean break case catch class const constructor continue
  debugger declare default delete do else enum export extends false finally for from function get global if
  implements import in infer instanceof interface is keyof let module namespace never new null number object
  of out override package private protected public readonly require return satisfies set static string super
  switch symbol this throw true try type typeof undefined unique unknown var void while with yield`);

const KEYWORDS: Readonly<Record<LanguageId, ReadonlySet<string>>> = {
  typescript: JS_KEYWORDS,
  tsx: JS_KEYWORDS,
  javascript: JS_KEYWORDS,
  python: words(`
    False None True and as assert async await break class continue def del elif else except finally for from
    global if import in is lambda nonlocal not or pass raise return try while with yield self cls match case
    print int str float bool list dict set tuple bytes object type len range isinstance super`),
  go: words(`
    break case chan const continue default defer else fallthrough for func go goto if import interface map
    package range return select struct switch type var nil true false iota append cap close complex copy
    delete imag len make new panic print println real recover bool byte error float32 float64 int int8 int16
    int32 int64 rune string uint uint8 uint16 uint32 uint64 uintptr any comparable`),
  rust: words(`
    as async await break const continue crate dyn else enum extern false fn for if impl in let loop match mod
    move mut pub ref return self Self static struct super trait true type unsafe use where while Some None Ok
    Err Option Result Box Vec String str bool char i8 i16 i32 i64 i128 isize u8 u16 u32 u64 u128 usize f32 f64`),
  java: words(`
    abstract assert boolean break byte case catch char class const continue default do double else enum
    extends final finally float for goto if implements import instanceof int interface long native new
    package private protected public return short static strictfp super switch synchronized this throw
    throws transient try void volatile while true false null var record yield sealed permits non String
    Object Override`),
  text: words(`
    the and for are but not you all any can had her was one our out has him his how its may new now old see
    two who did get let put say she too use that with have this will your from they know want been good much
    some time very when come here just like long make many more only over such take than them well were what
    into also then there their these would about which could other after first should`),
};

/** Languages whose identifiers may contain `$`. */
const DOLLAR_LANGUAGES: ReadonlySet<LanguageId> = new Set(['typescript', 'tsx', 'javascript', 'java']);

/** Identifiers shorter than this are not references (loop variables, generics, `_`). */
const MIN_IDENTIFIER_LENGTH = 2;

/** A text file contributes at most this many distinct identifiers. */
export const MAX_TEXT_IDENTIFIERS = 2_000;

/** Whether a word found in source text counts as an identifier reference (not a keyword, not too short). */
export function isReferenceName(name: string, language: LanguageId): boolean {
  if (name.length < MIN_IDENTIFIER_LENGTH || KEYWORDS[language].has(name)) return false;
  return DOLLAR_LANGUAGES.has(language) || !name.includes('$');
}

/**
 * A word of a text file: a letter or `_`, then 2+ letters, marks, digits or `_`, in any script (the words that
 * identifierTokens' WORD finds in a prompt: `Überweisung`, not its ASCII tail `berweisung`).
 */
const TEXT_WORD = /(?<![\p{L}\p{M}\p{Nd}_$])[\p{L}_][\p{L}\p{M}\p{Nd}_]{2,}/gu;

/** Distinct words of a file with no grammar (the 'text' fallback): 3+ letters, no stop words, bounded. */
export function textIdentifiers(text: string): string[] {
  const seen = new Set<string>();
  const stopWords = KEYWORDS.text;
  for (const match of text.matchAll(TEXT_WORD)) {
    if (seen.size >= MAX_TEXT_IDENTIFIERS) break;
    if (!stopWords.has(match[0])) seen.add(match[0]);
  }
  return [...seen];
}
