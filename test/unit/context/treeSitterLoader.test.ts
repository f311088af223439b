import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PARSED_LANGUAGES } from '../../../src/core/context/languages';
import { stripUnsupportedPredicates, TreeSitterLoader } from '../../../src/core/context/treeSitterLoader';
import { loader, location, recordingLogger, tempWorkspace } from './indexerHarness';

describe('tree-sitter loader', () => {
  it('strips the predicates web-tree-sitter cannot run, and only those', () => {
    const source = [
      '((comment)* @doc . (function_declaration name: (identifier) @name) @definition.function',
      '  (#strip! @doc "^[\\\\s\\\\*/]+|^[\\\\s\\\\*/]$")',
      '  (#select-adjacent! @doc @definition.function))',
      '((identifier) @name (#not-eq? @name "require") (#set-adjacent! @doc @name) (#match? @name "(a)"))',
    ].join('\n');
    const stripped = stripUnsupportedPredicates(source);
    assert.ok(!stripped.includes('#strip!') && !stripped.includes('#select-adjacent!') && !stripped.includes('#set-adjacent!'));
    assert.ok(stripped.includes('(#not-eq? @name "require")') && stripped.includes('(#match? @name "(a)")'));
    assert.equal(stripped.split('(').length, stripped.split(')').length, 'parentheses stay balanced');
  });

  it('loads every grammar once, lazily, with a query that compiles', async () => {
    const shared = loader();
    for (const language of PARSED_LANGUAGES) {
      const grammar = await shared.load(language);
      assert.equal(grammar.language, language);
      assert.equal(await shared.load(language), grammar, 'one cached grammar per language');
      assert.ok(grammar.query.captureNames.includes('import'));
    }
  });

  it('keeps working without a tags.scm that does not compile, and says so', async () => {
    const tmp = tempWorkspace();
    try {
      const badTags = path.join(tmp.root, 'tags.scm');
      writeFileSync(badTags, '(no_such_node) @definition.function\n');
      const logger = recordingLogger();
      const own = new TreeSitterLoader({ ...location, tagsQuery: { ...location.tagsQuery, python: badTags } }, logger);
      const grammar = await own.load('python');
      const tree = grammar.parser.parse('import os\n');
      assert.ok(tree);
      const captures = grammar.query.matches(tree.rootNode).flatMap((m) => m.captures.map((c) => c.name));
      tree.delete();
      assert.deepEqual(captures, ['import'], 'our own patterns still run');
      assert.equal(logger.lines.filter((l) => l.level === 'warn' && l.message.includes('not used for python')).length, 1);
      await own.dispose();
    } finally {
      tmp.cleanup();
    }
  });
});
