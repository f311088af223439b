// Updates an open document's extraction after an edit inside a function body — what typing mostly is —
// without querying the tree or building definitions again: such an edit changes no definition (what is
// declared in a function body is local, hence never extracted), it only moves the ones after it. References
// are collected again from the whole text (a cheap lexer pass). Whenever the syntax tree says the edit
// reached further, or imports or a docstring may be involved, the caller extracts the whole file. The result
// equals a full extraction.
import type { Edit, Node, Tree } from 'web-tree-sitter';
import { LANGUAGE_RULES } from './languageRules';
import type { ParsedLanguage } from './languages';
import type { Definition, ImportEdge } from './model';
import { collectReferences, type PositionedExtraction } from './symbolExtractor';

/** Words that may start or end an import inside a function body (Python, Rust, lazy requires). */
const IMPORT_WORDS = /\b(?:import|require|use|mod|from)\b/;

function countNewlines(text: string, from = 0, to = text.length): number {
  let n = 0;
  for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

/** The innermost function whose body holds the whole edit (in the new tree), if any. */
function enclosingFunctionBody(tree: Tree, language: ParsedLanguage, start: number, end: number): Node | undefined {
  const functionTypes = LANGUAGE_RULES[language].functionTypes;
  for (let n = tree.rootNode.descendantForIndex(start, Math.max(start, end - 1)); n; n = n.parent) {
    if (!functionTypes.has(n.type)) continue;
    const body = n.childForFieldName('body');
    if (body && body.startIndex < start && end <= body.endIndex) return body;
  }
  return undefined;
}

/**
 * The extraction of `text` after `edit` turned `oldText` into it, from the extraction of `oldText`;
 * undefined when the edit is not confined to a function body (the caller then extracts the whole file).
 * @param oldTree the tree of `oldText`, already given `edit` (tree.edit), that `tree` was parsed from.
 */
export function extractionAfterEdit(
  previous: PositionedExtraction,
  oldText: string,
  oldTree: Tree,
  text: string,
  tree: Tree,
  edit: Edit,
  file: string,
  language: ParsedLanguage,
): PositionedExtraction | undefined {
  const { startIndex: start, oldEndIndex: oldEnd, newEndIndex: newEnd } = edit;
  const removed = oldText.slice(start, oldEnd);
  const inserted = text.slice(start, newEnd);
  if (IMPORT_WORDS.test(removed) || IMPORT_WORDS.test(inserted)) return undefined;
  const body = enclosingFunctionBody(tree, language, start, newEnd);
  if (!body) return undefined;
  // The same body, with the same bounds, in the old tree (whose positions the edit already moved): error
  // recovery can make a body swallow or release the text after it.
  const oldBody = enclosingFunctionBody(oldTree, language, start, newEnd);
  if (oldBody?.startIndex !== body.startIndex || oldBody.endIndex !== body.endIndex || oldBody.type !== body.type) return undefined;
  for (const r of oldTree.getChangedRanges(tree)) if (r.startIndex < body.startIndex || r.endIndex > body.endIndex) return undefined;
  // A docstring is the body's first statement (Python): an edit up to its end may make, change or end one.
  if (LANGUAGE_RULES[language].innerDoc && start <= (body.firstNamedChild?.endIndex ?? Number.POSITIVE_INFINITY)) return undefined;

  const delta = newEnd - oldEnd;
  const lineDelta = countNewlines(inserted) - countNewlines(removed);
  const editLine = edit.startPosition.row + 1;
  // Imports inside the body (Python, Rust) would have to be read again (lines of the body before the edit).
  const bodyFirstLine = editLine - countNewlines(oldText, body.startIndex, start);
  const bodyLastLine = editLine + countNewlines(text, start, body.endIndex) - lineDelta;
  if (previous.imports.some((i) => i.line >= bodyFirstLine && i.line <= bodyLastLine)) return undefined;

  const definitions = previous.definitions.map((d): Definition => {
    if (d.startIndex >= oldEnd) {
      const startLine = d.startLine + lineDelta;
      return {
        ...d,
        id: `${file}#${d.name}#${startLine}`,
        startLine,
        endLine: d.endLine + lineDelta,
        startIndex: d.startIndex + delta,
        endIndex: d.endIndex + delta,
        signatureEndLine: d.signatureEndLine + lineDelta,
        ...(d.docStartLine !== undefined ? { docStartLine: d.docStartLine + lineDelta } : {}),
      };
    }
    if (d.endIndex >= oldEnd) return { ...d, endLine: d.endLine + lineDelta, endIndex: d.endIndex + delta };
    return d;
  });
  const nameStarts = previous.nameStarts.map((n) => (n >= oldEnd ? n + delta : n));
  const imports = previous.imports.map((i): ImportEdge => (i.line > editLine ? { ...i, line: i.line + lineDelta } : i));

  const { refs, refStarts, identifiers } = collectReferences(text, language, definitions, new Set(nameStarts));
  return { definitions, imports, identifiers, refs, nameStarts, refStarts };
}
