// Finds identifier tokens in source text with a regular expression, skipping masked ranges (comments and
// strings, from lexicalMasks.ts). Much cheaper than asking the tree for every identifier node: the parse is
// the expensive part, and crossing into wasm per node would double it.
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

/**
 * Calls `onToken` for each identifier outside the masked ranges, in text order.
 * @param masks flat [start0, end0, start1, end1, …] character ranges, in order and non-overlapping (lexicalMasks).
 */
export function scanIdentifiers(
  text: string,
  language: LanguageId,
  masks: readonly number[],
  onToken: (name: string, index: number) => void,
): void {
  const keywords = KEYWORDS[language];
  const minLength = language === 'text' ? 3 : MIN_IDENTIFIER_LENGTH;
  const pattern = DOLLAR_LANGUAGES.has(language) ? /[A-Za-z_$][\w$]*/g : /[A-Za-z_]\w*/g;
  let maskIndex = 0;
  let match: RegExpExecArray | null;
  while ((match = pattern.exec(text)) !== null) {
    const index = match.index;
    // A token glued to a preceding word character is the tail of a number (0x1F, 1e9) or of a non-ASCII word.
    if (index > 0 && isWordCharCode(text.charCodeAt(index - 1))) continue;
    while (maskIndex < masks.length && (masks[maskIndex + 1] ?? 0) <= index) maskIndex += 2;
    const maskStart = masks[maskIndex];
    if (maskStart !== undefined && maskStart <= index) {
      pattern.lastIndex = Math.max(pattern.lastIndex, masks[maskIndex + 1] ?? 0);
      continue;
    }
    const name = match[0];
    if (name.length < minLength || keywords.has(name)) continue;
    onToken(name, index);
  }
}

function isWordCharCode(c: number): boolean {
  return (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36 || c > 127;
}

/** Distinct identifiers of a file with no grammar (the 'text' fallback). */
export function textIdentifiers(text: string): string[] {
  const seen = new Set<string>();
  scanIdentifiers(text, 'text', [], (name) => {
    if (seen.size < MAX_TEXT_IDENTIFIERS) seen.add(name);
  });
  return [...seen];
}
