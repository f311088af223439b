// Generated code fitted to where it goes: the model indents its code from column 1, with its own kind of indentation.

/** How a document's lines end (VS Code's EndOfLine: LF or CRLF). */
export type LineEnd = '\n' | '\r\n';

/**
 * Text with its lines ending as a document's: models write LF, and code put into a CRLF document as it came would have
 * lines of both kinds (a diff of lines that only differ there, a fix that leaves the lines as they are not seen as one).
 */
export function withLineEnds(text: string, eol: LineEnd): string {
  return text.replace(/\r?\n/g, eol);
}

/** How the editor indents: its options insertSpaces and tabSize. */
export interface IndentStyle {
  readonly insertSpaces: boolean;
  readonly tabSize: number;
}

/**
 * `code` as it goes after `before` (the text of the line before the edit): each line after the first starts with the
 * line's indentation — `before` itself when it is all whitespace (the cursor in or at the end of the indentation), else
 * the line's leading whitespace — as VS Code indents a snippet; the first line has it already (not when it replaces
 * `replaced`, text whose own lines carry that indentation: see carriesIndent). The code's own leading
 * indentation is the editor's kind: tabs become `tabSize` spaces, or, where the editor indents with tabs, each level of
 * the code's spaces (its smallest indentation of spaces) a tab. Blank lines get no indentation.
 */
export function indentForInsertion(code: string, before: string, style: IndentStyle | undefined, replaced = ''): string {
  const lineIndent = /^\s*$/.test(before) ? before : (/^\s*/.exec(before)?.[0] ?? '');
  // Code made to replace a selection that began past its first line's indentation (`def f():` of a method selected
  // from `def`) echoes the selection's other lines, which carry their indentation in the file: not indented again.
  const base = carriesIndent(replaced, lineIndent) ? '' : lineIndent;
  const lines = code.split('\n');
  const unit = style && !style.insertSpaces ? spacesUnit(lines) : undefined;
  return lines
    .map((line, i) => {
      const own = style ? convertIndent(line, style, unit) : line;
      return i === 0 || own.trim() === '' ? own : base + own;
    })
    .join('\n');
}

/** Whether text of several lines has its lines after the first (those not blank) indented at least as `indent`. */
function carriesIndent(text: string, indent: string): boolean {
  if (indent === '') return false;
  const rest = text.split('\n').slice(1).filter((l) => l.trim() !== '');
  return rest.length > 0 && rest.every((l) => l.startsWith(indent));
}

/** The smallest indentation of spaces the lines have (a level of the code's indentation); none when none has one. */
function spacesUnit(lines: readonly string[]): number | undefined {
  let unit: number | undefined;
  for (const line of lines) {
    const spaces = /^ */.exec(line)?.[0].length ?? 0;
    if (spaces > 0 && line.trim() !== '' && (unit === undefined || spaces < unit)) unit = spaces;
  }
  return unit;
}

/** A line's leading indentation in the editor's kind (indentForInsertion); what follows it stays as it is. */
function convertIndent(line: string, style: IndentStyle, unit: number | undefined): string {
  const lead = /^[ \t]*/.exec(line)?.[0] ?? '';
  const rest = line.slice(lead.length);
  if (style.insertSpaces) return lead.replaceAll('\t', ' '.repeat(style.tabSize)) + rest;
  if (unit === undefined) return line;
  const spaces = lead.replaceAll('\t', ' '.repeat(unit)).length;
  return '\t'.repeat(Math.floor(spaces / unit)) + ' '.repeat(spaces % unit) + rest;
}
