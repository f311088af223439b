// Packs ranked candidates into a character budget. In rank order, each candidate is sent whole (its
// doc comment and body) when that fits, otherwise as a signature-only summary; a summary's room is
// reserved the moment it is chosen, so lower-ranked whole definitions can never crowd out the
// summaries of higher-ranked ones. Contract: every item's startLine..endLine are exactly the lines of
// its text, the texts add up to at most the budget, no line is sent twice, and the order is the
// rank order.

import { throwIfAborted } from '../errors';
import type { Logger } from '../ports';
import type { RankedCandidate } from './contextRanker';
import type { ContextItem, Definition, LanguageId } from './model';
import { FileLines, lineSlice, type LineSlice, type SourceLines } from './sourceLines';
import { languageForPath } from './languages';
import { elidedSignatureHead } from './symbolExtractor';

export interface PackOptions {
  readonly budget: number;
  readonly readText: (path: string) => Promise<string | undefined>;
  readonly logger: Logger;
  readonly signal?: AbortSignal;
}

export interface PackResult {
  readonly items: ContextItem[];
  readonly chars: number;
}

/** No single whole definition may take more than this share of the budget; bigger ones are summarised. */
const MAX_FULL_SHARE = 1 / 3;
/**
 * ...nor more than this many characters (~100 lines), whatever the budget: a definition that long — a hub's overloaded
 * type with every overload's doc comment (effect's `dual`, 264 lines; `Pipeable`, 485), a long class — is sent as its
 * signature. At the default 50,000-character budget a third allowed one definition 16,666 characters, and a few such
 * hubs, ranked high because everything references them, took the room of many smaller definitions the prompt needed
 * (session 32: `npm run eval:context` recall at 32,000 characters 60.5 → 74.7 % on effect, 96.6 → 99.3 % on monaco;
 * 2,500 measured higher still, 76.9 / 99.5 %, but is not the eval's to choose).
 */
const MAX_FULL_CHARS = 4_000;
/**
 * A summary takes at most this many characters: a text file that does not fit whole is summarised by its first lines up
 * to it, and a definition whose signature lines are longer is not summarised (a definition on one line of minified code:
 * its signature line is all of it).
 */
const MAX_SUMMARY_CHARS = 1_500;
/** Below this many free characters nothing useful fits any more. */
const MIN_ITEM_CHARS = 8;
/** Files are read this many at a time, ahead of the candidates that need them. */
const READ_AHEAD = 24;
/** After this many candidates in a row that do not fit, the budget is as full as it will get. */
const MAX_MISSES_IN_A_ROW = 48;
/**
 * After this many candidates no budget could take (minified code) since the last one packed, the rest are left: they
 * are no misses (the budget is not full), but each is a file read, and a workspace of bundles ranks thousands of them.
 */
const MAX_UNSENDABLE_SINCE_PACKED = 384;


interface Chosen {
  readonly candidate: RankedCandidate;
  readonly detail: 'full' | 'signature';
  readonly slice: LineSlice;
}

/** A chosen item with where its slice starts in the editor (ContextItem.editorLine), from the lines it was cut from. */
interface Packed extends Chosen {
  readonly editorLine: number;
}

/** Lines already sent (or reserved) per file, as inclusive ranges. */
class OccupiedLines {
  private readonly ranges = new Map<string, [number, number][]>();

  /** 'free', 'inside' (entirely within one sent range: a duplicate) or 'overlap'. */
  check(file: string, start: number, end: number): 'free' | 'inside' | 'overlap' {
    for (const [s, e] of this.ranges.get(file) ?? []) {
      if (start >= s && end <= e) return 'inside';
      if (start <= e && end >= s) return 'overlap';
    }
    return 'free';
  }

  add(file: string, start: number, end: number): void {
    let list = this.ranges.get(file);
    if (!list) {
      list = [];
      this.ranges.set(file, list);
    }
    list.push([start, end]);
  }
}

/** Whether the file still has the definition where the index says (the text may be newer than the index). */
function signatureStillThere(lines: SourceLines, startLine: number, signatureEndLine: number, signature: string): boolean {
  const firstLine = signature.split('\n').find((l) => l.trim() !== '')?.trim() ?? '';
  if (firstLine === '') return true;
  const probe = firstLine.slice(0, 40);
  const from = Math.max(0, startLine - 1);
  const to = Math.min(lines.count, Math.max(signatureEndLine, startLine));
  for (let i = from; i < to; i++) if (lines.line(i).includes(probe)) return true;
  return false;
}

/**
 * The lines of a definition's own head, past its decorators, annotations or attributes: the file's lines from the one
 * where the definition's own text starts through signatureEnd, its name's line among them. `decorated` is the slice
 * startLine..signatureEnd. When the signature elides decorator lines (see elidedSignatureHead), its head says where
 * that line is; else the signature is those lines as the file has them (to its body), and ownHeadLine finds it. Undefined when the
 * definition has no such lines after its first (no decorators, or the name on the first line) or the file's lines do
 * not hold them.
 */
function ownSignatureSlice(lines: SourceLines, def: Definition, signatureEnd: number, decorated: LineSlice): LineSlice | undefined {
  // (The elided shape is the only signature that is not the file's lines from the start, but for whole lines of doc
  // comments left out: see linesOfFile.)
  if (!linesOfFile(def.signature, decorated.text)) {
    const head = elidedSignatureHead(def.signature);
    if (head === undefined) return undefined;
    const first = head[0]?.trimEnd() ?? '';
    const start = signatureEnd - head.length + 1;
    if (first.trim() === '' || start <= def.startLine || !lines.line(start - 1).trimEnd().startsWith(first)) return undefined;
    const own = lineSlice(lines, start, signatureEnd);
    return own?.text.includes(def.name) ? own : undefined;
  }
  const offset = ownHeadLine(decorated.text.split('\n'), def.name, languageForPath(def.file));
  return offset === undefined || offset === 0 ? undefined : lineSlice(lines, def.startLine + offset, signatureEnd);
}

/**
 * Whether a signature is the file's lines from the definition's start (`decorated`'s text) to its body, whole lines
 * left out among them: the doc comments the extractor reads between a Rust item's attributes (`#[derive(…)]`, `///
 * Kept sorted.`, `#[serde(…)]`) are its doc, not its signature, though a summary sends them as lines of the file.
 * The file's lines go on past the body's start on its line, and leave `\r` out. An elided signature's `…` line is
 * none of the file's.
 */
function linesOfFile(signature: string, decorated: string): boolean {
  const wanted = signature.replace(/\r/g, '').trim().split('\n');
  const have = decorated.trimStart().split('\n');
  if (wanted.length === 1 || have[0] !== wanted[0]) return decorated.trimStart().startsWith(wanted.join('\n'));
  let h = 1;
  for (let w = 1; w < wanted.length; w++) {
    const line = wanted[w] as string;
    const last = w === wanted.length - 1;
    while (h < have.length && !(last ? (have[h] as string).startsWith(line) : have[h] === line)) h++;
    if (h === have.length) return false;
    h++;
  }
  return true;
}

/** A comment line's start (`//`, `/*`, a block comment's `*`, Python's `# `; not Rust's `#[`, nor a private `#name`). */
const COMMENT_LINE = /^(?:\/\/|\/\*|\*|#(?:\s|$))/;
/** A line's start that makes it a decorator, annotation or attribute (`@`, `#[`) or a comment, never a definition's own. */
const NOT_OWN_LINE = /^(?:@|#\[|\/\/|\/\*|\*|#(?:\s|$))/;
/** A character that continues an identifier: a name found inside a longer one is not it. */
const WORD_CHAR = /[\p{L}\p{N}_$]/u;

/**
 * The index among a decorated signature's lines of the definition's own first line: the line holding its name outside
 * brackets (not inside a decorator's arguments nor a parameter list), outside strings and comments and not as a
 * decorator's own name (`@wraps` over `def wraps`), and the lines just above it that are outside brackets and start
 * no decorator, annotation, attribute or comment (`public static <T>` above a Java method's name). Lines are read
 * without a grammar, as the signature's text has no tree: a quoted string ends at its line's end at the latest; a
 * triple-quoted one (Python, a Java text block) or a template literal runs on to its closing quotes. In Python any `#`
 * starts a comment; in Rust a `'` starts a char literal or a lifetime (rustQuoteEnd). Undefined when no line holds the
 * name so.
 */
function ownHeadLine(signatureLines: readonly string[], name: string, language: LanguageId): number | undefined {
  const python = language === 'python';
  const rust = language === 'rust';
  const depthAtStart: number[] = [];
  let depth = 0;
  /** The closing quotes of a string that runs on from an earlier line (`"""`, `'''`, a backtick). */
  let openString: string | undefined;
  for (let i = 0; i < signatureLines.length; i++) {
    depthAtStart.push(depth);
    const line = signatureLines[i] as string;
    let j = 0;
    if (openString !== undefined) {
      const close = line.indexOf(openString);
      if (close < 0) continue;
      j = close + openString.length;
      openString = undefined;
    } else if (depth === 0 && COMMENT_LINE.test(line.trimStart())) continue;
    for (; j < line.length; j++) {
      const c = line[j] as string;
      if (c === "'" && rust) {
        j = rustQuoteEnd(line, j);
      } else if (c === '`' || ((c === '"' || c === "'") && line.startsWith(c.repeat(3), j))) {
        const quotes = c === '`' ? c : c.repeat(3);
        const close = line.indexOf(quotes, j + quotes.length);
        if (close < 0) {
          openString = quotes;
          break;
        }
        j = close + quotes.length - 1;
      } else if (c === '"' || c === "'") {
        const close = line.indexOf(c, j + 1);
        j = close < 0 ? line.length : close;
      } else if ((c === '/' && line[j + 1] === '/') || (c === '#' && (python || j + 1 === line.length || line[j + 1] === ' ' || line[j + 1] === '\t'))) {
        break;
      } else if (c === '@') {
        while (j + 1 < line.length && (WORD_CHAR.test(line[j + 1] as string) || line[j + 1] === '.')) j++;
      } else if (c === '(' || c === '[' || c === '{') {
        depth++;
      } else if (c === ')' || c === ']' || c === '}') {
        depth = Math.max(0, depth - 1);
      } else if (depth === 0 && line.startsWith(name, j) && !WORD_CHAR.test(line[j - 1] ?? ' ') && !WORD_CHAR.test(line[j + name.length] ?? ' ')) {
        let own = i;
        while (own > 0 && depthAtStart[own] === 0 && depthAtStart[own - 1] === 0) {
          const above = (signatureLines[own - 1] as string).trimStart();
          if (above === '' || NOT_OWN_LINE.test(above) || (python && above.startsWith('#'))) break;
          own--;
        }
        return own;
      }
    }
  }
  return undefined;
}

/**
 * Where what a Rust `'` at `at` starts ends: a char literal (`'x'`, `'\n'`, `'\''`, `'\u{e9}'`, `'é'`) at its closing quote;
 * a lifetime or label (`'a`, `'static`: `impl<'a> Holder<'a>`, `T: 'static)]`), which opens no literal, at its name's
 * last character (read as a literal, `'static)))]` hid an attribute's closing brackets and the item's name after them).
 */
function rustQuoteEnd(line: string, at: number): number {
  if (line[at + 1] === '\\') {
    const close = line.indexOf("'", at + 3);
    return close < 0 ? line.length : close;
  }
  const next = line.codePointAt(at + 1);
  if (next === undefined) return at;
  const after = at + 1 + (next > 0xffff ? 2 : 1);
  if (line[after] === "'") return after;
  let end = at;
  while (end + 1 < line.length && WORD_CHAR.test(line[end + 1] as string)) end++;
  return end;
}

/** Whole-file text of a file ranked as a whole (without the empty line after a final newline). */
function fileEnd(lines: SourceLines): number {
  return lines.count > 1 && lines.lineLength(lines.count - 1) === 0 ? lines.count - 1 : lines.count;
}

function headSlice(lines: SourceLines, maxChars: number): LineSlice | undefined {
  let chars = -1;
  let end = 0;
  const last = fileEnd(lines);
  while (end < last && chars + 1 + lines.lineLength(end) <= maxChars) {
    chars += 1 + lines.lineLength(end);
    end++;
  }
  return end === 0 ? undefined : lineSlice(lines, 1, end);
}

export async function packContext(candidates: readonly RankedCandidate[], options: PackOptions): Promise<PackResult> {
  const { budget, logger, signal } = options;
  const files = new FileLines(options.readText);
  const occupied = new OccupiedLines();
  const chosen: Packed[] = [];
  let used = 0;
  let misses = 0;
  let unsendable = 0;
  const fileOf = (c: RankedCandidate): string => (c.node.kind === 'definition' ? c.node.def.file : c.node.path);

  for (let i = 0; i < candidates.length; i++) {
    if (budget - used < MIN_ITEM_CHARS || misses >= MAX_MISSES_IN_A_ROW || unsendable >= MAX_UNSENDABLE_SINCE_PACKED) break;
    if (i % READ_AHEAD === 0) {
      throwIfAborted(signal);
      files.prefetch(candidates.slice(i, i + READ_AHEAD).map(fileOf));
    }
    const candidate = candidates[i] as RankedCandidate;
    const path = fileOf(candidate);
    let lines: SourceLines | undefined;
    try {
      lines = await files.get(path);
    } catch (err) {
      logger.debug(`context: cannot read ${path}`, err);
      continue;
    }
    if (!lines) continue;
    const free = budget - used;
    const pick = choose(candidate, lines, free, budget, occupied);
    if (pick === 'stale') {
      logger.debug(`context: ${path} changed since it was indexed; skipping a stale definition`);
      continue;
    }
    // (Lines already sent, or a candidate no budget left could take, say nothing of how full the budget is: no miss.)
    if (pick === 'unsendable') unsendable++;
    if (pick === 'blank' || pick === 'taken' || pick === 'unsendable') continue;
    if (!pick) {
      misses++;
      continue;
    }
    misses = 0;
    unsendable = 0;
    occupied.add(path, pick.slice.startLine, pick.slice.endLine);
    used += pick.slice.text.length;
    chosen.push({ ...pick, editorLine: lines.editorLine(pick.slice.startLine) });
  }
  throwIfAborted(signal);
  const items = chosen.map(({ candidate, detail, slice: s, editorLine }): ContextItem => {
    const node = candidate.node;
    return {
      file: node.kind === 'definition' ? node.def.file : node.path,
      startLine: s.startLine,
      endLine: s.endLine,
      symbol: node.kind === 'definition' ? (node.def.container !== undefined ? `${node.def.container}.${node.def.name}` : node.def.name) : node.path.slice(node.path.lastIndexOf('/') + 1),
      kind: node.kind === 'definition' ? node.def.kind : 'file',
      detail,
      score: Math.round(candidate.score * 10_000) / 10_000,
      reasons: candidate.reasons(),
      text: s.text,
      ...(editorLine !== s.startLine ? { editorLine } : {}),
    };
  });
  return { items, chars: used };
}

/**
 * The whole text if it fits and is free, else the summary if that fits and is free; 'blank' for a file with no text
 * but white space (an item would be a header over nothing); 'taken' when its lines (or those it would send) were sent
 * already; 'unsendable' when neither would fit however much of the budget were free (its summary's lines alone are
 * over MAX_SUMMARY_CHARS: minified code); undefined when it does not fit what is left.
 */
function choose(candidate: RankedCandidate, lines: SourceLines, free: number, budget: number, occupied: OccupiedLines): Chosen | 'stale' | 'blank' | 'taken' | 'unsendable' | undefined {
  const node = candidate.node;
  /** The most a whole text may take with the whole budget free. */
  const fullCap = Math.min(budget * MAX_FULL_SHARE, MAX_FULL_CHARS);
  const fullLimit = Math.min(free, fullCap);
  if (node.kind === 'file') {
    const full = lineSlice(lines, 1, fileEnd(lines));
    if (full && full.text.trim() === '') return 'blank';
    if (!full) return undefined;
    if (occupied.check(node.path, 1, full.endLine) !== 'free') return 'taken';
    if (full.text.length <= fullLimit) return { candidate, detail: 'full', slice: full };
    const head = headSlice(lines, Math.min(free, MAX_SUMMARY_CHARS));
    if (head) return { candidate, detail: 'signature', slice: head };
    return full.text.length > fullCap && lines.lineLength(0) > MAX_SUMMARY_CHARS ? 'unsendable' : undefined;
  }
  const def = node.def;
  if (!signatureStillThere(lines, def.startLine, def.signatureEndLine, def.signature)) return 'stale';
  const fullStart = def.docStartLine !== undefined && def.docStartLine <= def.startLine ? def.docStartLine : def.startLine;
  const full = lineSlice(lines, fullStart, def.endLine);
  if (!full) return 'stale';
  const fullState = occupied.check(def.file, full.startLine, full.endLine);
  if (fullState === 'inside') return 'taken';
  if (fullState === 'free' && full.text.length <= fullLimit) return { candidate, detail: 'full', slice: full };
  const signatureEnd = Math.min(Math.max(def.signatureEndLine, def.startLine), def.endLine);
  let signature = lineSlice(lines, def.startLine, signatureEnd);
  // Decorators too long for a summary (an Angular template) or for the space left: the definition's own lines, which
  // hold its name (a definition is never left out for its decorators while its own head would fit).
  if (signature && signature.text.length > Math.min(free, MAX_SUMMARY_CHARS)) signature = ownSignatureSlice(lines, def, signatureEnd, signature) ?? signature;
  if (signature && signature.text.length > MAX_SUMMARY_CHARS && full.text.length > fullCap) return 'unsendable';
  if (!signature || signature.text.length > Math.min(free, MAX_SUMMARY_CHARS)) return undefined;
  if (occupied.check(def.file, signature.startLine, signature.endLine) !== 'free') return 'taken';
  return { candidate, detail: 'signature', slice: signature };
}
