// An edit right before a `/` changes what the lexer makes of it: a division after a name, a regular expression after
// a `}`. The references after the edit's window were lexed with the token before it as it was (review23: `/ab/`
// after a function became a division once a name was typed after the function, and `ab` was missing; both trees
// without syntax errors, so the document never settled).
import assert from 'node:assert/strict';
import { extractionAfterEdit } from '../../../src/core/context/documentUpdate';
import { editsBetween } from '../../../src/core/context/fileProcessor';
import { languageForPath, type ParsedLanguage } from '../../../src/core/context/languages';
import { extractFromTree, referencesAfterEdit } from '../../../src/core/context/symbolExtractor';
import { loader } from './indexerHarness';

/** `text` as an open document, `insert` typed at `at`: the extraction after the edit, a fresh one, and whether the references were updated in place. */
async function afterTyping(file: string, text: string, at: number, insert: string) {
  const language = languageForPath(file) as ParsedLanguage;
  const grammar = await loader().load(language);
  const tree = grammar.parser.parse(text);
  assert.ok(tree && !tree.rootNode.hasError, 'the text before parses without errors');
  const previous = extractFromTree(file, language, text, tree, grammar.query, true);
  const next = text.slice(0, at) + insert + text.slice(at);
  const [edit] = editsBetween(text, next, [{ start: at, deleteCount: 0, text: insert }]);
  assert.ok(edit);
  tree.edit(edit);
  const updated = grammar.parser.parse(next, tree);
  try {
    assert.ok(updated && !updated.rootNode.hasError, 'the text after parses without errors');
    const full = extractFromTree(file, language, next, updated, grammar.query, true);
    const inPlace = referencesAfterEdit(previous, next, language, full.definitions, full.nameStarts, edit) !== undefined;
    return { incremental: extractionAfterEdit(previous, text, tree, next, updated, edit, file, language, grammar.query), full, inPlace };
  } finally {
    tree.delete();
    updated?.delete();
  }
}

describe('references after an edit followed by a slash', () => {
  it('a name typed after a function turns the regular expression after it into a division (JavaScript)', async () => {
    const text = 'export function check(s) {\n  return s;\n}\n/ab/gi.test(str);\n';
    const { incremental, full } = await afterTyping('a.js', text, text.indexOf('}') + 1, '\nvalue');
    assert.ok(full.identifiers.includes('ab'), 'the whole text reads `/ab/` as a division now');
    assert.ok(incremental);
    assert.deepEqual(incremental.identifiers, full.identifiers);
    assert.deepEqual(incremental.refs, full.refs);
  });

  it('the same in TypeScript, past a comment', async () => {
    const text = 'export function check(s: string): boolean {\n  return s.length > 0;\n}\n// note\n/ab/gi.test(str);\n';
    const { incremental, full } = await afterTyping('a.ts', text, text.indexOf('}') + 1, '\nconst limit = total');
    assert.ok(incremental);
    assert.deepEqual(incremental.identifiers, full.identifiers);
    assert.deepEqual(incremental.refs, full.refs);
  });

  it('a doc comment after the window keeps the edit in place (no slash token there)', async () => {
    const text = 'export function check(s: string): boolean {\n  return s.length > 0;\n}\n\n/** Doc. */\nexport function other(): number {\n  return 1;\n}\n';
    const { incremental, full, inPlace } = await afterTyping('a.ts', text, text.indexOf('return s'), 'const t = s;\n  ');
    assert.ok(incremental);
    assert.deepEqual(incremental.refs, full.refs);
    assert.equal(inPlace, true);
  });
});
