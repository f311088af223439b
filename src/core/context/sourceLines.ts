// The lines of a source text as `text.split(/\r?\n/)` would give them, without making a string per
// line: line starts are found once (one Int32Array), and only the lines and ranges asked for become
// strings. The packer reads whole files for every query but sends a few definitions from each, so a
// file whose bytes are all ASCII is kept as its bytes (outside the JS heap) and decoded line by line.

import { isAscii } from 'node:buffer';

const CR = 13;
const LF = 10;

function newlineAfter(source: string | Buffer, from: number): number {
  return typeof source === 'string' ? source.indexOf('\n', from) : source.indexOf(LF, from);
}

export class SourceLines {
  /** Start offset of each line. */
  private readonly starts: Int32Array;
  private readonly hasCr: boolean;
  readonly count: number;

  /** The text, or the bytes of an all-ASCII text (one byte per character). */
  constructor(private readonly source: string | Buffer) {
    let count = 1;
    for (let i = newlineAfter(source, 0); i >= 0; i = newlineAfter(source, i + 1)) count++;
    const starts = new Int32Array(count);
    for (let i = newlineAfter(source, 0), line = 1; i >= 0; i = newlineAfter(source, i + 1)) starts[line++] = i + 1;
    this.starts = starts;
    this.count = count;
    this.hasCr = typeof source === 'string' ? source.includes('\r') : source.includes(CR);
  }

  /**
   * The lines of a file's bytes as `readFile(path, 'utf8')` without a leading byte-order mark gives them;
   * ASCII bytes stay bytes until lines are asked for.
   */
  static fromBytes(bytes: Buffer): SourceLines {
    return new SourceLines(isAscii(bytes) ? bytes : bytes.toString('utf8').replace(/^\uFEFF/, ''));
  }

  private start(line: number): number {
    return this.starts[line] as number;
  }

  private codeAt(offset: number): number {
    const source = this.source;
    return typeof source === 'string' ? source.charCodeAt(offset) : (source[offset] as number);
  }

  /** End offset of a line, without its `\n` or the `\r` before it. */
  private end(line: number): number {
    if (line + 1 >= this.count) return this.source.length;
    const newline = (this.starts[line + 1] as number) - 1;
    return newline > this.start(line) && this.codeAt(newline - 1) === CR ? newline - 1 : newline;
  }

  private text(start: number, end: number): string {
    const source = this.source;
    return typeof source === 'string' ? source.slice(start, end) : source.toString('latin1', start, end);
  }

  /** Line `line` (0-based). */
  line(line: number): string {
    return this.text(this.start(line), this.end(line));
  }

  lineLength(line: number): number {
    return this.end(line) - this.start(line);
  }

  /**
   * Lines first..last (0-based, inclusive) joined with `\n`, as a copy: a slice would keep the whole
   * file's text alive for as long as the result is cached.
   */
  join(first: number, last: number): string {
    const raw = this.text(this.start(first), this.end(last));
    const joined = this.hasCr ? raw.replace(/\r\n/g, '\n') : raw;
    return typeof this.source === 'string' ? structuredClone(joined) : joined;
  }
}
