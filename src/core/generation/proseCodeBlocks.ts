// The code blocks embedded in a prose document — a Markdown fence, a reStructuredText `.. code-block::` or literal
// block, an HTML `<script>` or `<style>`, a LaTeX `verbatim`, an AsciiDoc `----` listing — and which of their lines a
// fix's answer that gives back code alone replaces (Fix with Context): the model fixes the code of the block the
// diagnostic is in and leaves out the prose and the fences around it, which the edit must not delete.
import { languageFamily } from './codeBlocks';
import { wordOverlap, wordsOf } from './codeIndent';

/** A block of code in a prose document's lines: the lines of its code, `first` to `last`, and the lines that mark it. */
interface EmbeddedBlock {
  /** The block's first and last line of code (first > last: no code). */
  readonly first: number;
  readonly last: number;
  /** Its marking lines (the opening fence, a directive and its options, the closing fence or tag), those among the lines. */
  readonly marks: readonly number[];
}

/** How a block opens in a family of prose, and how the block it opens ends. */
interface Opener {
  /** Matches an opening line; the closer is made from the match. */
  readonly open: RegExp;
  /** Whether a line closes the block `match` opened. */
  readonly closes: (line: string, match: RegExpExecArray) => boolean;
}

/** A CommonMark fence, ``` or ~~~ (a backtick fence's info string has no backtick), closed by a longer or as long one of its character. */
const FENCE: Opener = {
  open: /^\s*(`{3,}(?!.*`)|~{3,}).*$/,
  closes: (line, m) => {
    const fence = (m[1] ?? '').trim();
    const close = /^\s*(`{3,}|~{3,})\s*$/.exec(line)?.[1] ?? '';
    return close !== '' && close[0] === fence[0] && close.length >= fence.length;
  },
};

/** An AsciiDoc listing or literal block, `----` or `....`, closed by the same line. */
const DELIMITED: Opener = { open: /^(-{4,}|\.{4,})\s*$/, closes: (line, m) => line.trim() === (m[1] ?? '') };

/** An HTML `<script>` or `<style>` element whose code starts on the next line, closed by its end tag. */
const SCRIPT: Opener = {
  open: /^\s*<(script|style)\b[^<]*>\s*$/i,
  closes: (line, m) => new RegExp(String.raw`^\s*</${m[1] ?? ''}\s*>`, 'i').test(line),
};

/** A LaTeX environment of code (`verbatim`, `lstlisting`, `minted`, `Verbatim`), closed by its `\end`. */
const VERBATIM: Opener = {
  open: /^\s*\\begin\{(verbatim\*?|Verbatim|lstlisting|minted|code)\}/,
  closes: (line, m) => line.trim().startsWith(`\\end{${m[1] ?? ''}}`),
};

/** The openers of each family of prose (PROSE_FAMILIES) that has blocks of code (reStructuredText's are read apart: restructuredTextBlocks). */
const OPENERS: ReadonlyMap<string, readonly Opener[]> = new Map([
  ['markdown', [FENCE]],
  ['mdx', [FENCE]],
  ['plaintext', [FENCE]],
  ['git-commit', [FENCE]],
  ['asciidoc', [FENCE, DELIMITED]],
  ['html', [SCRIPT]],
  ['latex', [VERBATIM]],
]);

/**
 * The code blocks of a prose document's lines (`lines`, the document's from its first), as its family (languageFamily
 * of `languageId`) writes them; none in a language that is no prose of these. An unclosed block runs to the end.
 */
function embeddedBlocks(lines: readonly string[], languageId: string): EmbeddedBlock[] {
  const family = languageFamily(languageId);
  if (family === 'restructuredtext') return restructuredTextBlocks(lines);
  const openers = OPENERS.get(family);
  if (openers === undefined) return [];
  const blocks: EmbeddedBlock[] = [];
  for (let k = 0; k < lines.length; k++) {
    const line = lines[k] ?? '';
    for (const opener of openers) {
      const m = opener.open.exec(line);
      if (m === null) continue;
      let end = k + 1;
      while (end < lines.length && !opener.closes(lines[end] ?? '', m)) end++;
      blocks.push({ first: k + 1, last: end - 1, marks: end < lines.length ? [k, end] : [k] });
      k = end;
      break;
    }
  }
  return blocks;
}

/** A reStructuredText directive of code (`.. code-block:: python`, `.. code::`, `.. sourcecode::`), or a paragraph ending `::` (a literal block after it). */
const RST_OPENER = /^(\s*)(?:\.\.\s+(?:code-block|code|sourcecode)::.*|(?!\.\.\s).*\S::)\s*$/;

/**
 * reStructuredText's code blocks: after a directive of code (its option lines, `:linenos:`, marking it too) or a
 * paragraph ending `::`, the lines indented more than it, up to the first line with text that is not.
 */
function restructuredTextBlocks(lines: readonly string[]): EmbeddedBlock[] {
  const blocks: EmbeddedBlock[] = [];
  const indent = (line: string): number => line.length - line.trimStart().length;
  for (let k = 0; k < lines.length; k++) {
    const m = RST_OPENER.exec(lines[k] ?? '');
    if (m === null) continue;
    const depth = (m[1] ?? '').length;
    const marks = [k];
    let at = k + 1;
    while (at < lines.length && /^\s+:[\w-]+:/.test(lines[at] ?? '') && indent(lines[at] ?? '') > depth) marks.push(at++);
    let last = at - 1;
    while (at < lines.length && ((lines[at] ?? '').trim() === '' || indent(lines[at] ?? '') > depth)) {
      if ((lines[at] ?? '').trim() !== '') last = at;
      at++;
    }
    if (last < k + marks.length) continue;
    let first = k + marks.length;
    while (first < last && (lines[first] ?? '').trim() === '') first++;
    blocks.push({ first, last, marks });
    k = last;
  }
  return blocks;
}

/**
 * Which of the lines a fix replaces (`replaced`, read after the document's text before them, `before`) a block given
 * back (`block`) replaces, where the document is prose (`languageId`) and those lines hold code of a block embedded in
 * it and more — its fences, the prose around it: when the block gives back none of their marking lines nor of their
 * prose, it is code of one of the embedded blocks, and replaces only that block's lines it gives back (as they are or
 * changed, its first to its last: matchedSpan), the fences and prose around kept — `skipBefore` and `skipAfter` of the
 * lines, those it replaces `text`. A problem when no embedded block's lines are given back, or as many of two blocks':
 * which lines it replaces is not known, and put in place of all of them it would delete the prose and the fences.
 * Undefined (the block replaces all of the lines, as before) when the lines hold no embedded code, or nothing but it,
 * or the block gives back the document's text around the code too.
 */
export function embeddedCodeReplaced(
  block: string,
  replaced: string,
  before: string,
  languageId: string | undefined,
): { readonly skipBefore: number; readonly skipAfter: number; readonly text: string } | { readonly problem: string } | undefined {
  if (languageId === undefined) return undefined;
  const parts = replaced.split(/(\r?\n)/);
  const lines = parts.filter((_, k) => k % 2 === 0);
  const above = before === '' ? [] : before.replace(/\r?\n$/, '').split(/\r?\n/);
  const offset = above.length;
  // (Only the blocks that reach into the lines, clipped to them: a window can start or end inside one.)
  const blocks = embeddedBlocks([...above, ...lines], languageId)
    .map((b) => ({ first: Math.max(b.first - offset, 0), last: Math.min(b.last - offset, lines.length - 1), marks: b.marks.map((m) => m - offset).filter((m) => m >= 0 && m < lines.length) }))
    .filter((b) => b.first <= b.last);
  if (blocks.length === 0) return undefined;
  const isCode = lines.map((_, k) => blocks.some((b) => k >= b.first && k <= b.last));
  const isMark = lines.map((_, k) => blocks.some((b) => b.marks.includes(k)));
  const textOf = (of: readonly boolean[]): string[] => lines.flatMap((l, k) => (of[k] !== true || l.trim() === '' ? [] : [l.trim()]));
  const prose = textOf(lines.map((_, k) => isCode[k] !== true && isMark[k] !== true));
  const marks = textOf(isMark);
  if (prose.length + marks.length === 0) return undefined;
  const given = block.split(/\r?\n/).map((l) => l.trim());
  // (Its prose given back: the block is the document's text, fixed, and replaces all of it.)
  if (given.some((l) => l !== '' && prose.includes(l))) return undefined;
  if (given.some((l) => l !== '' && marks.includes(l))) {
    // (Marks given back with no prose: one block whole, `<script>` to `</script>` — its marks, those in the lines, the
    // block's —, in place of that block alone. Else the lines' text is given back, changed: all of them.)
    const whole = blocks.filter((b) => b.marks.length > 0 && b.marks.every((k) => given.includes((lines[k] ?? '').trim())));
    const only = whole.length === 1 ? whole[0] : undefined;
    if (only === undefined || prose.length === 0) return undefined;
    const from = Math.min(only.first, ...only.marks);
    const to = Math.max(only.last, ...only.marks);
    return { skipBefore: from, skipAfter: lines.length - 1 - to, text: parts.slice(2 * from, 2 * to + 1).join('') };
  }
  let best: { readonly from: number; readonly to: number; readonly alike: number } | undefined;
  let tie = false;
  for (const b of blocks) {
    const span = matchedSpan(given.filter((l) => l !== ''), lines, b.first, b.last);
    if (span === undefined) continue;
    if (best === undefined || span.alike > best.alike) {
      best = span;
      tie = false;
    } else if (span.alike === best.alike) tie = true;
  }
  if (best === undefined || tie) {
    return { problem: "the answer gave back part of the lines asked for without the document's text or fences around them, and which of them it replaces is unclear; nothing was applied — copy the code instead" };
  }
  return { skipBefore: best.from, skipAfter: lines.length - 1 - best.to, text: parts.slice(2 * best.from, 2 * best.to + 1).join('') };
}

/**
 * How much a line given back stands for one of the document's: 2 as it is, else as much as their words are alike
 * (wordOverlap) when at least half so — a line changed —, else 0.
 */
function likeness(given: string, line: string): number {
  if (given === line) return 2;
  if (!/\w/.test(given) || !/\w/.test(line)) return 0;
  const overlap = wordOverlap(wordsOf(given), wordsOf(line));
  return overlap >= 1 / 2 ? overlap : 0;
}

/**
 * The lines of an embedded block (`lines` `first` to `last`) that lines given back (`given`, trimmed, with text) stand
 * for: those paired in order with the given lines (the run of pairs most alike: likeness), from the first paired to the
 * last, taking in as many of the block's lines before and after those as the given lines have before and after theirs
 * (lines changed past likeness, or added there). `alike`, how much the pairs are so in all. Undefined when none pair.
 */
function matchedSpan(given: readonly string[], lines: readonly string[], first: number, last: number): { readonly from: number; readonly to: number; readonly alike: number } | undefined {
  const own = lines.slice(first, last + 1).map((l) => l.trim());
  const n = given.length;
  const m = own.length;
  const like = given.map((g) => own.map((o) => (o === '' ? 0 : likeness(g, o))));
  // (best[i][j]: how alike the pairs most alike of given[i…] and own[j…] are in all.)
  const best: number[][] = Array.from({ length: n + 1 }, () => new Array<number>(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    const row = best[i] ?? [];
    const next = best[i + 1] ?? [];
    for (let j = m - 1; j >= 0; j--) {
      const w = like[i]?.[j] ?? 0;
      row[j] = Math.max(next[j] ?? 0, row[j + 1] ?? 0, w > 0 ? (next[j + 1] ?? 0) + w : 0);
    }
  }
  const alike = best[0]?.[0] ?? 0;
  if (alike === 0) return undefined;
  const pairs: [number, number][] = [];
  for (let i = 0, j = 0; i < n && j < m; ) {
    const w = like[i]?.[j] ?? 0;
    if (w > 0 && (best[i]?.[j] ?? 0) === (best[i + 1]?.[j + 1] ?? 0) + w) {
      pairs.push([i, j]);
      i++;
      j++;
    } else if ((best[i]?.[j] ?? 0) === (best[i + 1]?.[j] ?? 0)) i++;
    else j++;
  }
  const [gFirst, oFirst] = pairs[0] ?? [0, 0];
  const [gLast, oLast] = pairs.at(-1) ?? [0, 0];
  // (The block's lines with text before the first paired, as many as the given lines before theirs; after, likewise.)
  let from = oFirst;
  for (let left = gFirst; left > 0 && from > 0; ) {
    from--;
    if (own[from] !== '') left--;
  }
  let to = oLast;
  for (let left = n - 1 - gLast; left > 0 && to < m - 1; ) {
    to++;
    if (own[to] !== '') left--;
  }
  return { from: first + from, to: first + to, alike };
}
