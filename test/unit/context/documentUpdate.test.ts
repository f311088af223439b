import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { extractionAfterEdit } from '../../../src/core/context/documentUpdate';
import type { Tree } from 'web-tree-sitter';
import { editsBetween } from '../../../src/core/context/fileProcessor';
import { LANGUAGE_RULES } from '../../../src/core/context/languageRules';
import { languageForPath, type ParsedLanguage } from '../../../src/core/context/languages';
import { extractFromTree } from '../../../src/core/context/symbolExtractor';
import { FIXTURES, loader } from './indexerHarness';

/** A small deterministic generator (tests must not depend on Math.random). */
function seeded(seed: number): () => number {
  let s = seed;
  return () => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s / 0x7fffffff;
  };
}

const SNIPPETS: Readonly<Record<ParsedLanguage, readonly string[]>> = {
  typescript: ['\n  const extra = helper(value);\n', ' + other', 'readText', '\n', ' "quoted" ', '// note\n', '{', '}', '('],
  tsx: ['\n  const extra = helper(value);\n', ' + other', '\n'],
  javascript: ['\n  const extra = helper(value);\n', ' + other', 'readText', '\n', "'s'", '`t ${x}`'],
  python: ['\n    extra = helper(value)\n', ' + other', 'row', '\n', '# note\n', '"""doc"""', ':'],
  go: ['\n\textra := helper(value)\n', ' + other', 'key', '\n', '// note\n', '{', '}'],
  rust: ['\n        let extra = helper(value);\n', ' + other', 'shapes', '\n', '// note\n', "'a'", '{', '}'],
  java: ['\n        int extra = helper(value);\n', ' + other', 'args', '\n', '// note\n', '"s"', '{', '}'],
};

/** What typing inside a body inserts: words and spaces (structure-neutral). */
const TYPING = ['x', 'value', ' ', 'helper', 'other2', '_'];

/** Fixture files, and a Python file with longer bodies (edits up to a Python docstring are not done in place). */
const SAMPLES: { name: string; text: () => string }[] = [
  ...[
    'src/config.ts',
    'src/util.ts',
    'src/server.tsx',
    'src/legacy.js',
    'go/internal/store/store.go',
    'rust/src/geometry.rs',
    'rust/src/lib.rs',
    'java/com/example/app/App.java',
  ].map((name) => ({ name, text: () => readFileSync(path.join(FIXTURES, 'polyglot', name), 'utf8') })),
  {
    name: 'py/long.py',
    text: () =>
      [
        'import os',
        '',
        'class Loader:',
        "    '''Loads rows.'''",
        '',
        '    def load(self, rows):',
        "        '''Reads them.'''",
        '        total = 0',
        '        for row in rows:',
        '            total += len(row)',
        '        names = [r.name for r in rows]',
        '        return helper(total, names)',
        '',
        '',
        'def helper(total, names):',
        '    count = len(names)',
        '    first = names[0] if names else None',
        '    return (total, count, first)',
        '',
      ].join('\n'),
  },
];

/** Character ranges inside function bodies (where typing mostly happens). */
function bodyRanges(tree: Tree, language: ParsedLanguage): [number, number][] {
  const out: [number, number][] = [];
  const functionTypes = LANGUAGE_RULES[language].functionTypes;
  const cursor = tree.walk();
  let more = true;
  while (more) {
    if (functionTypes.has(cursor.nodeType)) {
      const body = cursor.currentNode.childForFieldName('body');
      if (body && body.endIndex - body.startIndex > 2) out.push([body.startIndex + 1, body.endIndex - 1]);
    }
    if (cursor.gotoFirstChild()) continue;
    while (!cursor.gotoNextSibling()) {
      if (!cursor.gotoParent()) {
        more = false;
        break;
      }
    }
  }
  cursor.delete();
  return out;
}

describe('document update after an edit', () => {
  for (const [{ name: sample, text: source }, seed] of SAMPLES.flatMap((s) => [1, 2, 3].map((n) => [s, n] as const))) {
    it(`equals a full extraction after edits of ${sample} (run ${seed})`, async () => {
      const language = languageForPath(sample) as ParsedLanguage;
      const grammar = await loader().load(language);
      const random = seeded(sample.length * 7919 + seed * 101);
      let text = source();
      let tree = grammar.parser.parse(text);
      assert.ok(tree);
      let previous = extractFromTree(sample, language, text, tree, grammar.query);
      let typingEdits = 0;
      let typingFast = 0;
      for (let k = 0; k < 80; k++) {
        // First typing inside function bodies, then edits anywhere (which may break the syntax).
        const typing = k < 40;
        const bodies = bodyRanges(tree, language);
        const body = bodies[Math.floor(random() * bodies.length)];
        const at = typing && body ? body[0] + Math.floor(random() * (body[1] - body[0])) : Math.floor(random() * text.length);
        const snippets = typing ? TYPING : SNIPPETS[language];
        const insert = random() < 0.7 ? (snippets[Math.floor(random() * snippets.length)] ?? '') : '';
        const deleteCount = insert === '' ? 1 + Math.floor(random() * (typing ? 2 : 6)) : 0;
        const next = text.slice(0, at) + insert + text.slice(at + deleteCount);
        const [edit] = editsBetween(text, next, [{ start: at, deleteCount, text: insert }]);
        if (!edit) continue;
        tree.edit(edit);
        const updated = grammar.parser.parse(next, tree);
        assert.ok(updated);
        const incremental = extractionAfterEdit(previous, text, tree, next, updated, edit, sample, language);
        const full = extractFromTree(sample, language, next, updated, grammar.query);
        if (typing && body) typingEdits++;
        if (incremental) {
          if (typing && body) typingFast++;
          assert.deepEqual(incremental, full, `edit ${k} at ${at}: ${JSON.stringify(insert)} / delete ${deleteCount}`);
        }
        tree.delete();
        tree = updated;
        previous = full;
        text = next;
      }
      tree.delete();
      assert.ok(typingFast * 5 >= typingEdits, `only ${typingFast} of ${typingEdits} edits inside function bodies were updated in place`);
    });
  }

  it('declines edits outside function bodies', async () => {
    const grammar = await loader().load('typescript');
    const text = 'export function a(x: number) {\n  return x;\n}\nexport function b() {}\n';
    const tree = grammar.parser.parse(text);
    assert.ok(tree);
    const previous = extractFromTree('a.ts', 'typescript', text, tree, grammar.query);
    const next = text.replace('function b', 'function renamed');
    const [edit] = editsBetween(text, next, []);
    assert.ok(edit);
    tree.edit(edit);
    const updated = grammar.parser.parse(next, tree);
    assert.ok(updated);
    assert.equal(extractionAfterEdit(previous, text, tree, next, updated, edit, 'a.ts', 'typescript'), undefined);
    tree.delete();
    updated.delete();
  });
});
