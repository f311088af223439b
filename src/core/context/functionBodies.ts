// Function bodies left out when a TypeScript or JavaScript file from disk is parsed for the index. The index reads
// nothing inside a function body from the tree (definitions there are locals; imports there lie deeper than its query
// looks; references come from the lexer, over the text), yet parsing the bodies is most of the parse: two thirds of
// monaco's code. Left out of the parse (tree-sitter's included ranges, as documentUpdate.ts's hollows), a body parses
// as an empty block, every node keeps its offsets, rows and columns, and monaco parses ~3.5 times faster. The bodies
// are found by a lexer (strings, template literals, comments and regular expressions skipped) that takes only what it
// is sure is a body: the block after `=>`; after the parameter list of `function name(…)`; after a method's parameter
// list in a class body or an object literal; after a whole return type annotation (`): T {`); a class's `static { … }`
// block. The caller checks that each range left out is a function's body in the tree it got (bodiesWhereExpected) and
// otherwise parses the whole text: a lexer that misread the text costs a parse, never a definition.
//
// The same pass finds where TypeScript that tsc accepts meets a gap of tree-sitter-typescript 0.23.2's grammar, and
// says how to repair the text the parser reads (readSource's `repairs`) without moving any offset, row or column:
//  - variance annotations on type parameters (`interface Variance<in out A>`, TypeScript 4.7) are not in the grammar:
//    `in` / `out` there are read as blanks;
//  - an object type's or an interface's members separated by a line break only, where the next member is a generic
//    call signature (`(i: number): T` then, on the next line, `<A>(self: A): T`: the overloads of code formatted without
//    semicolons): the grammar does not end the member at the line break and reads `T\n<A>(…` as one type. A `;` is
//    read in place of the whitespace just before the `<`.
// Each gap left effect's sources (359 files) with 3,164 ERROR nodes in 189 files; error recovery made their parse slow,
// and the declarations it covered came out of it mangled. The repaired text is only what the parser reads: names,
// signatures, doc comments and references are taken from the file's own text (the repairs change no character in them).
// Open documents are read with the same repairs; repairsAfterEdit carries them through the keystrokes that cannot
// change one without lexing the text again, and repairedSlice gives a re-parse the pieces it reads.
import type { Node, Range, Tree } from 'web-tree-sitter';
import { mayHoldDynamicImport } from './importSyntax';

// Character codes.
const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const BANG = 33;
const DQUOTE = 34;
const HASH = 35;
const DOLLAR = 36;
const SQUOTE = 39;
const LPAREN = 40;
const RPAREN = 41;
const STAR = 42;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const DIGIT_0 = 48;
const DIGIT_9 = 57;
const COLON = 58;
const SEMICOLON = 59;
const LT = 60;
const EQ = 61;
const GT = 62;
const QUESTION = 63;
const BRACKET_OPEN = 91;
const BACKSLASH = 92;
const BRACKET_CLOSE = 93;
const UNDERSCORE = 95;
const BACKTICK = 96;
const BRACE_OPEN = 123;
const BRACE_CLOSE = 125;

/** What the previous token was, as far as the lexer needs: whether a value ended there, and which one. */
const enum Tok {
  None,
  /** An identifier or keyword (its text in `word`). */
  Word,
  /** A number, string, template literal or regular expression: a value ended. */
  Literal,
  /** A punctuator that ends no value (`=`, `(`, `,`, `+` …; its text in `punct`). */
  Punct,
  /** `)` of anything but a function's parameter list. */
  CloseParen,
  /** `)` of a function's parameter list: its body, or its return type, follows. */
  CloseParams,
  CloseBracket,
  CloseBrace,
  Arrow,
  /** `++`, `--` or a non-null `!` right after a value: a value ended. */
  PostfixOp,
  /** `${` in a template literal. */
  TemplateOpen,
}

const enum Frame {
  Paren,
  Params,
  Bracket,
  /** A function body. */
  Body,
  ClassBody,
  /** An object literal or an object type. */
  ObjectBrace,
  /** A block, an enum or namespace body … */
  Block,
  /** An interface's body (TypeScript). */
  InterfaceBody,
  /** `${ … }` inside a template literal. */
  TemplateExpr,
}

/** Keywords after which `/` starts a regular expression (they end no value). */
const EXPRESSION_KEYWORDS = new Set([
  'return', 'typeof', 'instanceof', 'in', 'of', 'new', 'delete', 'void', 'throw', 'case', 'do', 'else', 'yield', 'await', 'extends', 'default',
]);

/**
 * Words that start a declaration or a class member, never part of a type: one of them ends a return type being read
 * (a body-less overload's, without a `;` after it).
 */
const DECLARATION_WORDS = new Set([
  'export', 'function', 'const', 'let', 'var', 'class', 'interface', 'type', 'declare', 'namespace', 'module', 'enum', 'import',
  'async', 'public', 'private', 'protected', 'static', 'override', 'get', 'set', 'constructor',
]);

/** Type operators after which a return type goes on (`): x is {`, `<S extends {`): a `{` after them is an object type. */
const TYPE_KEYWORDS = new Set(['extends', 'keyof', 'typeof', 'infer', 'is', 'in', 'readonly', 'unique', 'asserts', 'new']);

/** Statements whose `(` is no method's parameter list (a block the lexer took for an object literal holds them). */
const STATEMENT_KEYWORDS = new Set(['if', 'for', 'while', 'switch', 'catch', 'with']);

/** Whether `class` (ending at `end`, not after `.`) is the keyword, not a property's name (`{ class: 1 }`, `class() {}`). */
function isClassKeyword(source: string, end: number): boolean {
  let k = end;
  while (k < source.length && (source.charCodeAt(k) === SPACE || source.charCodeAt(k) === TAB)) k++;
  const next = source.charCodeAt(k);
  return next !== COLON && next !== COMMA && next !== LPAREN && next !== EQ && next !== QUESTION && next !== BRACE_CLOSE && next !== SEMICOLON;
}

function isIdentifierStart(c: number): boolean {
  return (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || c === UNDERSCORE || c === DOLLAR || c > 127;
}

function isIdentifierPart(c: number): boolean {
  return isIdentifierStart(c) || (c >= DIGIT_0 && c <= DIGIT_9);
}

/** What readSource found in a source text. */
export interface SourceReading {
  /** The insides of the outermost function bodies: between their braces, as [start, end) pairs of offsets, in order. */
  readonly bodies: Int32Array;
  /**
   * Repairs of grammar gaps (TypeScript only; see the top of this file), in order: [start, end, character code]
   * triples, each meaning "the parser reads this character code at every offset of [start, end)" (repairedSource).
   */
  readonly repairs: Int32Array;
}

/**
 * `source`'s outermost function bodies and, for TypeScript, the repairs its text needs to parse (see the top of this
 * file), or undefined when the lexer cannot read it with certainty: an unterminated string, comment, template literal
 * or regular expression; brackets that do not pair; in JavaScript, a `<` where JSX may start (a `.js` file may hold
 * JSX, whose text the lexer does not read).
 */
export function readSource(source: string, dialect: 'typescript' | 'javascript'): SourceReading | undefined {
  const jsx = dialect === 'javascript';
  const typescript = dialect === 'typescript';
  const n = source.length;
  const frames: Frame[] = [];
  /** Frame depth at which a class's body is expected (after `class`), or -1. */
  let classPendingAt = -1;
  let prev = Tok.None as Tok;
  let word = '';
  let punct = '';
  /** Frame depth at which `function`'s parameter list is expected (after its name and type parameters), or -1. */
  let functionPendingAt = -1;
  /** Frame depth at which a generic method's parameter list is expected (after `name<`), or -1. */
  let methodPendingAt = -1;
  /** Frame depth of a function's return type annotation being read (after `):`), or -1: a `{` there may be its body. */
  let returnTypeAt = -1;
  /** Frame depth at which an interface's body is expected (after `interface`), or -1. */
  let interfacePendingAt = -1;
  const repairs: number[] = [];
  let bodyDepth = 0;
  let bodyStart = 0;
  const ranges: number[] = [];
  let i = 0;

  // (No closures over this state: V8 keeps the loop's variables in registers only when nothing captures them.)
  if (source.charCodeAt(0) === HASH && source.charCodeAt(1) === BANG) {
    i = source.indexOf('\n');
    if (i < 0) return undefined;
  }
  while (i < n) {
    const c = source.charCodeAt(i);
    if (c === SPACE || c === LF || c === TAB || c === CR) {
      i++;
      continue;
    }
    if (c === SLASH) {
      const next = source.charCodeAt(i + 1);
      if (next === SLASH) {
        const end = source.indexOf('\n', i);
        i = end < 0 ? n : end;
        continue;
      }
      if (next === STAR) {
        const end = source.indexOf('*/', i + 2);
        if (end < 0) return undefined;
        i = end + 2;
        continue;
      }
      if (!valueEnded(prev, word)) {
        // A regular expression: to its closing `/` outside a class, then its flags.
        let j = i + 1;
        let inClass = false;
        for (; j < n; j++) {
          const r = source.charCodeAt(j);
          if (r === BACKSLASH) j++;
          else if (r === LF || r === CR) return undefined;
          else if (inClass) inClass = r !== BRACKET_CLOSE;
          else if (r === BRACKET_OPEN) inClass = true;
          else if (r === SLASH) break;
        }
        if (j >= n) return undefined;
        j++;
        while (j < n && isIdentifierPart(source.charCodeAt(j))) j++;
        prev = Tok.Literal;
        i = j;
        continue;
      }
      prev = Tok.Punct;
      punct = next === EQ ? '/=' : '/';
      i += next === EQ ? 2 : 1;
      continue;
    }
    if (c === SQUOTE || c === DQUOTE) {
      let j = i + 1;
      for (; j < n; j++) {
        const s = source.charCodeAt(j);
        if (s === BACKSLASH) j += source.charCodeAt(j + 1) === CR && source.charCodeAt(j + 2) === LF ? 2 : 1;
        else if (s === c) break;
        else if (s === LF || s === CR) return undefined;
      }
      if (j >= n) return undefined;
      prev = Tok.Literal;
      i = j + 1;
      continue;
    }
    if (c === BACKTICK) {
      i = scanTemplate(source, i + 1, frames);
      if (i < 0) return undefined;
      prev = source.charCodeAt(i - 1) === BACKTICK ? Tok.Literal : Tok.TemplateOpen;
      continue;
    }
    if (isIdentifierStart(c) || c === HASH) {
      let j = i + 1;
      while (j < n && isIdentifierPart(source.charCodeAt(j))) j++;
      // Only a word that may be a keyword is read (all are lower case, at most 11 letters long); after `.` it is a
      // property's name (`o.in / 2` divides).
      const afterDot = prev === Tok.Punct && (punct === '.' || punct === '?.');
      const text = c >= 97 && c <= 122 && j - i <= 11 && !afterDot ? source.slice(i, j) : '';
      if (text === 'class' && isClassKeyword(source, j)) classPendingAt = frames.length;
      else if (text === 'function') functionPendingAt = frames.length;
      else if (typescript && (text === 'in' || text === 'out') && prev === Tok.Punct && (punct === '<' || punct === ',')) varianceRepairs(source, i, j, repairs);
      else if (typescript && text === 'interface' && isIdentifierStart(source.charCodeAt(skipBlanks(source, j)))) interfacePendingAt = frames.length;
      if (returnTypeAt === frames.length && DECLARATION_WORDS.has(text)) returnTypeAt = -1;
      prev = Tok.Word;
      word = text;
      i = j;
      continue;
    }
    if (c >= DIGIT_0 && c <= DIGIT_9) {
      let j = i + 1;
      while (j < n) {
        const d = source.charCodeAt(j);
        if (isIdentifierPart(d) || d === DOT) j++;
        else if ((d === PLUS || d === MINUS) && (source.charCodeAt(j - 1) | 32) === 101 && source.charCodeAt(i + 1) !== 120 && source.charCodeAt(i + 1) !== 88) j++;
        else break;
      }
      prev = Tok.Literal;
      i = j;
      continue;
    }
    switch (c) {
      case LPAREN: {
        const depth = frames.length;
        const inMembers = (frames[frames.length - 1] === Frame.ClassBody || frames[frames.length - 1] === Frame.ObjectBrace) && classPendingAt !== depth;
        // `function name<T>(`, `function* (`; in a class body or object literal `name(`, `"name"(`, `[key](`, `name<T>(`.
        const params =
          functionPendingAt === depth ||
          (inMembers && (((prev === Tok.Word && !STATEMENT_KEYWORDS.has(word)) || prev === Tok.Literal || prev === Tok.CloseBracket) || methodPendingAt === depth));
        if (functionPendingAt === depth) functionPendingAt = -1;
        if (methodPendingAt === depth) methodPendingAt = -1;
        frames.push(params ? Frame.Params : Frame.Paren);
        prev = Tok.Punct;
        punct = '(';
        i++;
        continue;
      }
      case RPAREN: {
        const frame = frames.pop();
        if (frame !== Frame.Paren && frame !== Frame.Params) return undefined;
        if (returnTypeAt > frames.length) returnTypeAt = -1;
        prev = frame === Frame.Params ? Tok.CloseParams : Tok.CloseParen;
        i++;
        continue;
      }
      case BRACKET_OPEN:
        frames.push(Frame.Bracket);
        prev = Tok.Punct;
        punct = '[';
        i++;
        continue;
      case BRACKET_CLOSE:
        if (frames.pop() !== Frame.Bracket) return undefined;
        prev = Tok.CloseBracket;
        i++;
        continue;
      case BRACE_OPEN: {
        const depth = frames.length;
        let frame: Frame;
        if (returnTypeAt === depth) {
          // In a return type, `{` after `:`, `|`, `<`, `=>`, `extends` … starts an object type; after a whole type, the body.
          frame = prev === Tok.Arrow || (prev === Tok.Punct && punct !== '>') || (prev === Tok.Word && TYPE_KEYWORDS.has(word)) ? Frame.ObjectBrace : Frame.Body;
          if (frame === Frame.Body) returnTypeAt = -1;
        } else if (prev === Tok.Arrow || prev === Tok.CloseParams || (prev === Tok.Word && word === 'static' && frames[frames.length - 1] === Frame.ClassBody)) frame = Frame.Body;
        else if (classPendingAt === depth) frame = Frame.ClassBody;
        else if (
          prev === Tok.None ||
          prev === Tok.CloseParen ||
          prev === Tok.CloseBracket ||
          prev === Tok.CloseBrace ||
          prev === Tok.Literal ||
          (prev === Tok.Word && (!EXPRESSION_KEYWORDS.has(word) || word === 'else' || word === 'do')) ||
          (prev === Tok.Punct && (punct === ';' || punct === '{'))
        )
          frame = Frame.Block;
        else frame = Frame.ObjectBrace;
        if (interfacePendingAt === depth && frame === Frame.Block) frame = Frame.InterfaceBody;
        if (interfacePendingAt >= depth) interfacePendingAt = -1;
        if (frame === Frame.ClassBody || classPendingAt > depth) classPendingAt = -1;
        if (functionPendingAt >= depth) functionPendingAt = -1;
        if (methodPendingAt >= depth) methodPendingAt = -1;
        if (frame === Frame.Body && bodyDepth++ === 0) bodyStart = i + 1;
        frames.push(frame);
        prev = Tok.Punct;
        punct = '{';
        i++;
        continue;
      }
      case BRACE_CLOSE: {
        const frame = frames.pop();
        if (frame === undefined || frame === Frame.Paren || frame === Frame.Params || frame === Frame.Bracket) return undefined;
        // What was expected inside the frame that ended is not coming.
        if (returnTypeAt > frames.length) returnTypeAt = -1;
        if (classPendingAt > frames.length) classPendingAt = -1;
        if (interfacePendingAt > frames.length) interfacePendingAt = -1;
        if (functionPendingAt > frames.length) functionPendingAt = -1;
        if (methodPendingAt > frames.length) methodPendingAt = -1;
        if (frame === Frame.TemplateExpr) {
          i = scanTemplate(source, i + 1, frames);
          if (i < 0) return undefined;
          prev = source.charCodeAt(i - 1) === BACKTICK ? Tok.Literal : Tok.TemplateOpen;
          continue;
        }
        if (frame === Frame.Body && --bodyDepth === 0 && i > bodyStart) ranges.push(bodyStart, i);
        prev = Tok.CloseBrace;
        i++;
        continue;
      }
      case EQ:
        if (source.charCodeAt(i + 1) === GT) {
          prev = Tok.Arrow;
          i += 2;
          continue;
        }
        if (returnTypeAt === frames.length) returnTypeAt = -1;
        if (methodPendingAt === frames.length) methodPendingAt = -1;
        break;
      case LT:
        if (source.charCodeAt(i + 1) === LT || source.charCodeAt(i + 1) === EQ) {
          // `<<`, `<=` (and `<<=`): operators, no JSX or type parameters.
          prev = Tok.Punct;
          punct = '<<';
          i += 2;
          continue;
        }
        if (jsx && !valueEnded(prev, word)) {
          const next = source.charCodeAt(i + 1);
          if (next === GT || isIdentifierStart(next)) return undefined;
        }
        if (typescript && (frames[frames.length - 1] === Frame.ObjectBrace || frames[frames.length - 1] === Frame.InterfaceBody) && memberEnded(prev, word, punct) && startsIndentedLine(source, i)) {
          // A generic call signature after a member ended by the line break alone (see the top of this file).
          repairs.push(i - 1, i, SEMICOLON);
        } else if ((frames[frames.length - 1] === Frame.ClassBody || frames[frames.length - 1] === Frame.ObjectBrace) && (prev === Tok.Word || prev === Tok.Literal || prev === Tok.CloseBracket)) methodPendingAt = frames.length;
        break;
      case COLON: // right after a parameter list: its function's return type follows.
        if (prev === Tok.CloseParams) returnTypeAt = frames.length;
        break;
      case SEMICOLON:
      case COMMA:
        if (returnTypeAt === frames.length) returnTypeAt = -1;
        if (methodPendingAt === frames.length) methodPendingAt = -1;
        break;
      case PLUS:
      case MINUS:
        if (source.charCodeAt(i + 1) === c && valueEnded(prev, word)) {
          prev = Tok.PostfixOp;
          i += 2;
          continue;
        }
        break;
      case BANG:
        // `x!` (TypeScript's non-null assertion) ends a value; `!x` does not.
        if (valueEnded(prev, word) && source.charCodeAt(i + 1) !== EQ) {
          prev = Tok.PostfixOp;
          i++;
          continue;
        }
        break;
      case DOT:
        if (source.charCodeAt(i + 1) >= DIGIT_0 && source.charCodeAt(i + 1) <= DIGIT_9) {
          let j = i + 1;
          while (j < n && (isIdentifierPart(source.charCodeAt(j)) || source.charCodeAt(j) === DOT)) j++;
          prev = Tok.Literal;
          i = j;
          continue;
        }
        break;
      default:
        break;
    }
    // Any other punctuator: one character at a time is enough, but `?.` (a property's name follows it).
    const optionalChain = c === QUESTION && source.charCodeAt(i + 1) === DOT;
    prev = Tok.Punct;
    punct = optionalChain ? '?.' : String.fromCharCode(c);
    i += optionalChain ? 2 : 1;
  }
  if (frames.length > 0) return undefined;
  return { bodies: Int32Array.from(ranges), repairs: Int32Array.from(repairs) };
}

/** The first offset from `at` that is not a space, tab or line break. */
function skipBlanks(source: string, at: number): number {
  let k = at;
  for (let c = source.charCodeAt(k); c === SPACE || c === TAB || c === LF || c === CR; c = source.charCodeAt(++k));
  return k;
}

/**
 * At the word `in` or `out` ([start, end)) right after `<` or `,`: when a type parameter's name follows (after `out`,
 * for `in out`), the modifiers are variance annotations (in expressions `<in` and `, in` do not occur), read as blanks.
 */
function varianceRepairs(source: string, start: number, end: number, repairs: number[]): void {
  let k = skipBlanks(source, end);
  let outEnd = -1;
  if (end - start === 2 && source.startsWith('out', k) && !isIdentifierPart(source.charCodeAt(k + 3))) {
    const afterOut = skipBlanks(source, k + 3);
    if (isIdentifierStart(source.charCodeAt(afterOut))) {
      outEnd = k + 3;
      k = afterOut;
    }
  }
  if (!isIdentifierStart(source.charCodeAt(k))) return;
  repairs.push(start, end, SPACE);
  if (outEnd >= 0) repairs.push(outEnd - 3, outEnd, SPACE);
}

/** Whether the previous token can end an object type's member (a type — `void` too —, a name, `)` …; no operator expecting more). */
function memberEnded(prev: Tok, word: string, punct: string): boolean {
  if (prev === Tok.Word) return word === 'void' || (!EXPRESSION_KEYWORDS.has(word) && !TYPE_KEYWORDS.has(word));
  return prev === Tok.Literal || prev === Tok.CloseParen || prev === Tok.CloseParams || prev === Tok.CloseBracket || prev === Tok.CloseBrace || (prev === Tok.Punct && punct === '>');
}

/** Whether only spaces and tabs, at least one, stand between the line break before `at` and `at`. */
function startsIndentedLine(source: string, at: number): boolean {
  let k = at - 1;
  while (k >= 0 && (source.charCodeAt(k) === SPACE || source.charCodeAt(k) === TAB)) k--;
  return k < at - 1 && k >= 0 && (source.charCodeAt(k) === LF || source.charCodeAt(k) === CR);
}

/** `source` as the parser reads it after `repairs` (readSource): of the same length, with the same line breaks. */
export function repairedSource(source: string, repairs: Int32Array): string {
  return repairs.length === 0 ? source : repairedSlice(source, repairs, 0, source.length);
}

/**
 * The words the lexer reads (readSource): a word turning into one of them, or out of one, can change how everything
 * after it is read.
 */
const LEXER_WORDS: ReadonlySet<string> = new Set([...EXPRESSION_KEYWORDS, ...DECLARATION_WORDS, ...TYPE_KEYWORDS, ...STATEMENT_KEYWORDS, 'out']);

/** An edit's offsets: `startIndex..oldEndIndex` of the old text became `startIndex..newEndIndex` of the new one. */
export interface EditSpan {
  readonly startIndex: number;
  readonly oldEndIndex: number;
  readonly newEndIndex: number;
}

/**
 * readSource's repairs of `text` (TypeScript), which `edit` made from `oldText` whose repairs were `oldRepairs` (exactly
 * readSource's: none when it gave up), without reading `text` again, when the edit cannot change how the lexer reads
 * anything outside it: then the repairs are the old ones, those after the edit moved by it. That is so for the edits of
 * typing (none touching a repair):
 *  - letters, digits and `_` typed into or deleted from a word that is a plain name before and after (not empty, not
 *    starting with a digit, no `$`, none of the words the lexer reads: `in`, `interface`, `return` …);
 *  - spaces and tabs typed or deleted, unless they come before a `<` (a repair needs an indented line) or, where they
 *    go from none to some or back, split or join two characters that may be one token (`= >`, `$ {`, `#x`, `.5`) or two
 *    words that are not both plain names;
 *  - at the end of a line (before its LF or CR LF: a CR alone ends no line comment), a line break followed by blank
 *    lines and line comments typed, or deleted, unless a word the lexer reads is the last before them (it looks past
 *    line breaks).
 * In a string, a comment or a template literal those change nothing either. Never next to a `\` (or a CR after one),
 * at the text's start or on a shebang line, nor where a `+` or `-` could join a number (`1e +`, `1.ab+`). Undefined
 * otherwise: the caller reads the text with readSource.
 */
export function repairsAfterEdit(oldText: string, oldRepairs: Int32Array, text: string, edit: EditSpan): Int32Array | undefined {
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  for (let r = 0; r < oldRepairs.length; r += 3) {
    if ((oldRepairs[r + 1] ?? 0) >= start && (oldRepairs[r] ?? 0) <= oldEnd) return undefined;
  }
  if (!inertEdit(oldText, text, start, oldEnd, newEnd)) return undefined;
  return repairsOutside(oldRepairs, edit);
}

/**
 * `repairs` (of a text before `edit`) that lie outside the edit, those after it moved by it; `repairs` itself when that
 * is all of them, unmoved.
 */
export function repairsOutside(repairs: Int32Array, edit: EditSpan): Int32Array {
  const { startIndex: start, oldEndIndex: oldEnd } = edit;
  const delta = edit.newEndIndex - oldEnd;
  let moves = false;
  for (let r = 0; r < repairs.length; r += 3) {
    const end = repairs[r + 1] ?? 0;
    if (end > start && (repairs[r] ?? 0) < oldEnd) return kept(repairs, edit);
    moves ||= delta !== 0 && end > start;
  }
  return moves ? kept(repairs, edit) : repairs;
}

/** repairsOutside's copy. */
function kept(repairs: Int32Array, edit: EditSpan): Int32Array {
  const delta = edit.newEndIndex - edit.oldEndIndex;
  const out: number[] = [];
  for (let r = 0; r < repairs.length; r += 3) {
    const start = repairs[r] ?? 0;
    const end = repairs[r + 1] ?? 0;
    if (end <= edit.startIndex) out.push(start, end, repairs[r + 2] ?? 0);
    else if (start >= edit.oldEndIndex) out.push(start + delta, end + delta, repairs[r + 2] ?? 0);
  }
  return Int32Array.from(out);
}

/** repairsAfterEdit's cases: whether the edit leaves every token outside it read as before. */
function inertEdit(oldText: string, text: string, start: number, oldEnd: number, newEnd: number): boolean {
  const removed = oldText.slice(start, oldEnd);
  const inserted = text.slice(start, newEnd);
  if (removed.length + inserted.length === 0) return true;
  // A backslash next to it (or before a CR next to it: a string continued on the next line) could escape what it typed,
  // or be escaped by it.
  const before = oldText.charCodeAt(start - 1);
  if (before === BACKSLASH || (before === CR && oldText.charCodeAt(start - 2) === BACKSLASH) || oldText.charCodeAt(oldEnd) === BACKSLASH) return false;
  // A shebang line is read as one only from the text's first character.
  if (start === 0 || ((oldText.startsWith('#!') || text.startsWith('#!')) && start <= oldText.indexOf('\n'))) return false;
  if (isWordPiece(removed) && isWordPiece(inserted)) return sameWordKind(oldText, start, oldEnd) && sameWordKind(text, start, newEnd);
  if (isBlankPiece(removed) && isBlankPiece(inserted)) return inertBlanks(oldText, text, start, oldEnd, newEnd);
  // Whole lines typed at a line's end, or deleted there.
  if (removed.length === 0) return inertLines(text, start, newEnd);
  if (inserted.length === 0) return inertLines(oldText, start, oldEnd);
  return false;
}

/** Letters, digits and `_` only (possibly none). */
function isWordPiece(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (!((c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= DIGIT_0 && c <= DIGIT_9) || c === UNDERSCORE)) return false;
  }
  return true;
}

/** Spaces and tabs only (possibly none). */
function isBlankPiece(s: string): boolean {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c !== SPACE && c !== TAB) return false;
  }
  return true;
}

/** The word of identifier characters around `from..to` of `source` (`from..to` may be empty). */
function wordAround(source: string, from: number, to: number): string {
  return source.slice(wordStart(source, from), wordEnd(source, to));
}

function wordStart(source: string, from: number): number {
  let a = from;
  while (a > 0 && isIdentifierPart(source.charCodeAt(a - 1))) a--;
  return a;
}

function wordEnd(source: string, to: number): number {
  let b = to;
  while (b < source.length && isIdentifierPart(source.charCodeAt(b))) b++;
  return b;
}

/** Whether `word` reads as a plain name: not empty, not a number, no `$` (`${` in a template literal), no word the lexer reads. */
function plainWord(word: string): boolean {
  if (word.length === 0 || word.includes('$')) return false;
  const first = word.charCodeAt(0);
  return !(first >= DIGIT_0 && first <= DIGIT_9) && !LEXER_WORDS.has(word);
}

/** Whether the word around `from..to` of `source` (an edit of word characters) is a plain name. */
function sameWordKind(source: string, from: number, to: number): boolean {
  const a = wordStart(source, from);
  const b = wordEnd(source, to);
  if (!plainWord(source.slice(a, b))) return false;
  // After a `.` the word may be a number's tail (`1.e`), which takes a `+` or `-` after an `e` (`1.e+5`).
  const next = source.charCodeAt(b);
  return !(source.charCodeAt(a - 1) === DOT && (next === PLUS || next === MINUS));
}

/**
 * Spaces and tabs typed or deleted between the same two characters (the nearest others on either side): inert unless
 * they go from none to some or back where both are word characters (one word, or two: each a plain name) or both are
 * not (two punctuators may be one: `=>`, `//`), or `$` / `#` / `.` are either (`${`, `#name`, `.5`), or the second is a
 * `<` (whose repair needs the blanks of an indented line).
 */
function inertBlanks(oldText: string, text: string, start: number, oldEnd: number, newEnd: number): boolean {
  let a = start;
  while (a > 0 && isBlank(oldText.charCodeAt(a - 1))) a--;
  let b = oldEnd;
  while (b < oldText.length && isBlank(oldText.charCodeAt(b))) b++;
  const left = oldText.charCodeAt(a - 1);
  const right = oldText.charCodeAt(b);
  if (right === LT) return false;
  const oldGap = b - a;
  const newGap = oldGap - (oldEnd - start) + (newEnd - start);
  if (oldGap > 0 === newGap > 0) return true;
  if (Number.isNaN(left) || Number.isNaN(right) || left === LF || left === CR || right === LF || right === CR) return true;
  if (left === DOLLAR || right === DOLLAR || left === HASH || right === HASH || left === DOT || right === DOT) return false;
  const leftWord = isIdentifierPart(left);
  const rightWord = isIdentifierPart(right);
  // (A number ending in `e` takes the `+` or `-` right after it: `1e+`.)
  if (leftWord !== rightWord) return right !== PLUS && right !== MINUS;
  if (!leftWord) return false;
  // One word (where no blank is left between them), and two (where some are): each a plain name.
  const [joined, apart, rightAt] = oldGap === 0 ? [oldText, text, a + newGap] : [text, oldText, b];
  return plainWord(wordAround(joined, a, a)) && plainWord(wordAround(apart, a - 1, a - 1)) && plainWord(wordAround(apart, rightAt, rightAt));
}

function isBlank(c: number): boolean {
  return c === SPACE || c === TAB;
}

/**
 * `source.slice(from, to)` (typed there, or deleted: `source` is the text that has it) inert as whole lines at the end
 * of a line: it starts with a line break and holds only line breaks, spaces, tabs and line comments (with no star then
 * slash, backtick, `$` or `\` in them, which could end a block comment or a template literal they are in); a line
 * break (or the end) follows it; and the last word before it, past blanks and line breaks, is none the lexer reads (it
 * looks past line breaks for what follows `interface`, or a variance annotation's `in`).
 */
function inertLines(source: string, from: number, to: number): boolean {
  // Line breaks as the lexer ends a line comment at them: LF, or CR LF (a CR alone ends none).
  if (!lineBreakAt(source, from)) return false;
  if (to < source.length && !lineBreakAt(source, to)) return false;
  for (let i = from; i < to; i++) {
    const c = source.charCodeAt(i);
    if (c === LF || c === CR || c === SPACE || c === TAB) continue;
    if (c !== SLASH || source.charCodeAt(i + 1) !== SLASH) return false;
    // A line comment, to the next LF (or the end of the piece, where one follows).
    let j = i + 2;
    for (; j < to; j++) {
      const d = source.charCodeAt(j);
      if (d === LF) break;
      if (d === BACKTICK || d === DOLLAR || d === BACKSLASH || (d === STAR && source.charCodeAt(j + 1) === SLASH)) return false;
    }
    i = j - 1;
  }
  let k = from;
  while (k > 0 && isBlankOrBreak(source.charCodeAt(k - 1))) k--;
  const before = wordAround(source, k, k);
  return !LEXER_WORDS.has(before);
}

/** Whether a line break starts at `at`: LF, or CR LF. */
function lineBreakAt(source: string, at: number): boolean {
  const c = source.charCodeAt(at);
  return c === LF || (c === CR && source.charCodeAt(at + 1) === LF);
}

function isBlankOrBreak(c: number): boolean {
  return c === SPACE || c === TAB || c === LF || c === CR;
}

/** `source.slice(from, to)` as the parser reads it after `repairs` (repairedSource), without repairing the rest. */
export function repairedSlice(source: string, repairs: Int32Array, from: number, to: number): string {
  // The first repair ending after `from` (they are in the text's order and do not overlap).
  let lo = 0;
  let hi = repairs.length / 3;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((repairs[mid * 3 + 1] ?? 0) <= from) lo = mid + 1;
    else hi = mid;
  }
  let r = lo * 3;
  if (r >= repairs.length || (repairs[r] ?? 0) >= to) return source.slice(from, to);
  let out = '';
  let at = from;
  for (; r < repairs.length && (repairs[r] ?? 0) < to; r += 3) {
    const start = Math.max(from, repairs[r] ?? 0);
    const end = Math.min(to, repairs[r + 1] ?? 0);
    out += source.slice(at, start) + String.fromCharCode(repairs[r + 2] ?? SPACE).repeat(end - start);
    at = end;
  }
  return out + source.slice(at, to);
}

/** Whether a value ended with the previous token (`/` then divides; else it starts a regular expression). */
function valueEnded(prev: Tok, word: string): boolean {
  return prev === Tok.Literal || prev === Tok.CloseParen || prev === Tok.CloseParams || prev === Tok.CloseBracket || prev === Tok.PostfixOp || (prev === Tok.Word && !EXPRESSION_KEYWORDS.has(word));
}

/**
 * Scans a template literal's text from `at` (just past `` ` ``, or the `}` that ended a `${ … }` in it): the index just
 * after its closing `` ` ``, or after a `${` (then with a TemplateExpr frame pushed; the character before the index
 * tells which); -1 at the end of the text.
 */
function scanTemplate(source: string, at: number, frames: Frame[]): number {
  for (let j = at; j < source.length; j++) {
    const c = source.charCodeAt(j);
    if (c === BACKSLASH) j++;
    else if (c === BACKTICK) return j + 1;
    else if (c === DOLLAR && source.charCodeAt(j + 1) === BRACE_OPEN) {
      frames.push(Frame.TemplateExpr);
      return j + 2;
    }
  }
  return -1;
}

/** The ranges of `source` a parse reads when it leaves out `bodies` (readSource's `bodies`), with their rows and columns. */
export function includedRangesAround(source: string, bodies: Int32Array): Range[] {
  const included: Range[] = [];
  let row = 0;
  let lineStart = 0;
  let scanned = 0;
  /** The row and column of offset `at` (no earlier than the last one asked). */
  const pointAt = (at: number): { row: number; column: number } => {
    for (let nl = source.indexOf('\n', scanned); nl >= 0 && nl < at; nl = source.indexOf('\n', nl + 1)) {
      row++;
      lineStart = nl + 1;
    }
    scanned = Math.max(at, lineStart);
    return { row, column: at - lineStart };
  };
  let startIndex = 0;
  let startPosition = { row: 0, column: 0 };
  for (let r = 0; r < bodies.length; r += 2) {
    const bodyStart = bodies[r] ?? 0;
    const bodyEnd = bodies[r + 1] ?? 0;
    included.push({ startIndex, endIndex: bodyStart, startPosition, endPosition: pointAt(bodyStart) });
    startIndex = bodyEnd;
    startPosition = pointAt(bodyEnd);
  }
  included.push({ startIndex, endIndex: source.length, startPosition, endPosition: pointAt(source.length) });
  return included;
}

/**
 * The [start, end) pairs of `bodies` without those that may hold an import() or require() call (mayHoldDynamicImport):
 * what a file's parse leaves out (the calls are read from the tree: importSyntax.ts dynamicImports).
 */
export function bodiesWithoutCalls(text: string, bodies: Int32Array): Int32Array {
  if (!mayHoldDynamicImport(text, 0, text.length)) return bodies;
  const kept: number[] = [];
  for (let r = 0; r < bodies.length; r += 2) {
    const start = bodies[r] ?? 0;
    const end = bodies[r + 1] ?? 0;
    if (!mayHoldDynamicImport(text, start, end)) kept.push(start, end);
  }
  return Int32Array.from(kept);
}

/**
 * Whether each range of `bodies` left out of the parse that made `tree` is the inside of a function's body there: its `{`
 * the start of a statement_block that ends just after it and is the body of a node of one of `functionTypes`.
 */
export function bodiesWhereExpected(tree: Tree, bodies: Int32Array, functionTypes: ReadonlySet<string>): boolean {
  const root = tree.rootNode;
  for (let r = 0; r < bodies.length; r += 2) {
    const start = bodies[r] ?? 0;
    const end = bodies[r + 1] ?? 0;
    const brace: Node | null = root.descendantForIndex(start - 1, start - 1);
    const block = brace?.type === '{' ? brace.parent : null;
    if (!block || block.startIndex !== start - 1 || block.endIndex !== end + 1) return false;
    const owner = block.parent;
    if (!owner) return false;
    // A body; or, in TypeScript, the object type a function type returns (`(a: A) => { b: B }`: the lexer cannot
    // tell it from a body), which the index does not read inside either.
    const body = block.type === 'statement_block' && functionTypes.has(owner.type);
    if (!body && !(block.type === 'object_type' && (owner.type === 'function_type' || owner.type === 'constructor_type'))) return false;
  }
  return true;
}
