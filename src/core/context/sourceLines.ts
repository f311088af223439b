// The lines of a source text as `text.split(/\r?\n/)` would give them, without making a string per
// line: line starts are found once (one Int32Array), and only the lines and ranges asked for become
// strings. The packer reads whole files for every query but sends a few definitions from each.
import { detached } from './detached';

const CR = 13;
const LF = 10;

export class SourceLines {
  /** Start offset of each line. */
  private readonly starts: Int32Array;
  private readonly hasCr: boolean;
  /** Whether a CR not followed by LF is in the text (a line end of VS Code's editor, none of the engine's). */
  private readonly hasLoneCr: boolean;
  readonly count: number;

  constructor(readonly text: string) {
    let count = 1;
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) count++;
    const starts = new Int32Array(count);
    for (let i = text.indexOf('\n'), line = 1; i >= 0; i = text.indexOf('\n', i + 1)) starts[line++] = i + 1;
    this.starts = starts;
    this.count = count;
    this.hasCr = text.includes('\r');
    this.hasLoneCr = this.hasCr && /\r(?!\n)/.test(text);
  }

  private start(line: number): number {
    return this.starts[line] as number;
  }

  /** End offset of a line, without its `\n` or the `\r` before it. */
  private end(line: number): number {
    if (line + 1 >= this.count) return this.text.length;
    const newline = (this.starts[line + 1] as number) - 1;
    return newline > this.start(line) && this.text.charCodeAt(newline - 1) === CR ? newline - 1 : newline;
  }

  /** Line `line` (0-based). */
  line(line: number): string {
    return this.text.slice(this.start(line), this.end(line));
  }

  lineLength(line: number): number {
    return this.end(line) - this.start(line);
  }

  /**
   * The editor's line (from 1) where line `line` (from 1, one of the text's) starts: `line` plus the lone CRs before it.
   * The engine's lines end at `\n` only (a CR LF is one line end, a lone CR is not one: as tree-sitter and `git diff`
   * count them), but VS Code's editor also breaks a line at a lone CR — and turns every lone CR of a file it opens into
   * the file's main line end, so this text, not the open document's later, tells where the line is in the editor. The
   * same number without a lone CR.
   */
  editorLine(line: number): number {
    if (!this.hasLoneCr) return line;
    const end = this.start(line - 1);
    let loneCrs = 0;
    for (let i = this.text.indexOf('\r'); i >= 0 && i < end; i = this.text.indexOf('\r', i + 1)) if (this.text.charCodeAt(i + 1) !== LF) loneCrs++;
    return line + loneCrs;
  }

  /**
   * Lines first..last (0-based, inclusive) joined with `\n`, as a copy: a slice would keep the whole
   * file's text alive for as long as the result is cached.
   */
  join(first: number, last: number): string {
    const raw = this.text.slice(this.start(first), this.end(last));
    return detached(this.hasCr ? raw.replace(/\r\n/g, '\n') : raw);
  }
}

/** Lines `startLine..endLine` (1-based, inclusive) of a file and their text. */
export interface LineSlice {
  readonly startLine: number;
  readonly endLine: number;
  readonly text: string;
}

/** Lines `startLine..endLine` of `lines` (1-based, inclusive); undefined unless that is a range of whole lines it has. */
export function lineSlice(lines: SourceLines, startLine: number, endLine: number): LineSlice | undefined {
  if (!Number.isInteger(startLine) || !Number.isInteger(endLine) || startLine < 1 || endLine < startLine || endLine > lines.count) return undefined;
  return { startLine, endLine, text: lines.join(startLine - 1, endLine - 1) };
}

/** Files' lines read through `readText` once per path (a pack, or a cached result's texts read again). */
export class FileLines {
  private readonly cache = new Map<string, Promise<SourceLines | undefined>>();

  constructor(private readonly readText: (path: string) => Promise<string | undefined>) {}

  prefetch(paths: Iterable<string>): void {
    for (const p of paths) void this.get(p).catch(() => undefined);
  }

  get(path: string): Promise<SourceLines | undefined> {
    let lines = this.cache.get(path);
    if (!lines) {
      lines = this.readText(path).then((text) => (text === undefined ? undefined : new SourceLines(text)));
      this.cache.set(path, lines);
    }
    return lines;
  }
}
