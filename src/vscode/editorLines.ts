import * as vscode from 'vscode';
import { fileText } from '../core/context/fileText';

// The engine's lines end at `\n` only (a CR LF is one line end, a lone CR is not one: as tree-sitter and `git diff`
// count them, and the CLI's JSON gives them so), but VS Code's editor also breaks a line at a lone CR. Wherever a
// context location is opened or linked in the editor, its line is the editor's: in a file with lone CRs, the engine's
// line 2 can be the editor's line 3.

/** A CR that ends an editor line but no engine line: one not followed by LF. */
const LONE_CR = /\r(?!\n)/;

/**
 * The editor's line (from 1) of the engine's line `line` (from 1) of `text`: `line` plus the lone CRs before that line
 * starts. The same number when the text has no lone CR (the usual case: no count then).
 */
export function editorLineOf(text: string, line: number): number {
  if (!LONE_CR.test(text)) return line;
  let loneCrs = 0;
  let engineLine = 1;
  for (let i = 0; i < text.length && engineLine < line; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x0a) engineLine++;
    else if (c === 0x0d && text.charCodeAt(i + 1) !== 0x0a) loneCrs++;
  }
  return line + loneCrs;
}

/**
 * The editor's line (from 1) of the engine's line `line` of the file at `uri`, in its current text: an open
 * document's (which the engine indexes while it is open), else the file's as the engine reads it (fileText). The file
 * is read only here, when a location is opened; one that cannot be read keeps `line` (the editor says what it finds).
 */
export async function editorLine(uri: vscode.Uri, line: number): Promise<number> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (open) return editorLineOf(open.getText(), line);
  try {
    return editorLineOf(fileText(await vscode.workspace.fs.readFile(uri)), line);
  } catch {
    return line;
  }
}
