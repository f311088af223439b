import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { PARSED_LANGUAGES } from '../../../src/core/context/languages';
import { TreeSitterLoader } from '../../../src/core/context/treeSitterLoader';
import { loader, location, recordingLogger, tempWorkspace } from './indexerHarness';

describe('tree-sitter loader', () => {
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
      writeFileSync(badTags, '(function_definition no_such_field: (identifier) @name) @definition.function\n');
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
