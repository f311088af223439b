import assert from 'node:assert/strict';
import { copyFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { Tree } from 'web-tree-sitter';
import { PARSED_LANGUAGES } from '../../../src/core/context/languages';
import { textReader, TreeSitterLoader } from '../../../src/core/context/treeSitterLoader';
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

  describe('prepare (a grammar loaded ahead of its first file)', () => {
    let tmp: { root: string; cleanup: () => void };
    let wasm: string;
    let logger: ReturnType<typeof recordingLogger>;
    let own: TreeSitterLoader;
    beforeEach(() => {
      tmp = tempWorkspace();
      // A copy of the grammar the test can take away: a grammar still loading from it then fails.
      wasm = path.join(tmp.root, 'python.wasm');
      copyFileSync(location.grammarWasm.python, wasm);
      logger = recordingLogger();
      own = new TreeSitterLoader({ ...location, grammarWasm: { ...location.grammarWasm, python: wasm } }, logger);
    });
    afterEach(async () => {
      await own.dispose();
      tmp.cleanup();
    });

    it('loads the grammar and its query while idle: the first file finds them ready', async () => {
      await own.prepare('python', () => true);
      rmSync(wasm);
      const grammar = await own.load('python');
      assert.ok(grammar.parser.parse('import os\n'), 'loaded before its wasm went away');
      assert.deepEqual(logger.lines, []);
    });

    it('starts nothing once no longer idle, and stops between the grammar and its query', async () => {
      await own.prepare('python', () => false);
      rmSync(wasm);
      await assert.rejects(own.load('python'), 'nothing was loaded ahead');
      assert.equal(logger.lines.filter((l) => l.level === 'error').length, 1, 'the first file reports the missing grammar');

      const again = new TreeSitterLoader({ ...location, grammarWasm: { ...location.grammarWasm, python: location.grammarWasm.python } }, logger);
      let asked = 0;
      await again.prepare('python', () => asked++ === 0);
      assert.equal(asked, 2, 'asked before the grammar, and before its query');
      assert.ok((await again.load('python')).query.captureNames.includes('import'));
      await again.dispose();
    });

    it('leaves alone a grammar that fails to load (reported by the first file that needs it)', async () => {
      rmSync(wasm);
      await own.prepare('python', () => true);
      assert.equal(logger.lines.length, 0, 'nothing said ahead of time');
      await assert.rejects(own.load('python'));
      assert.equal(logger.lines.filter((l) => l.level === 'error' && l.message.includes('python grammar')).length, 1);
    });

    // A grammar whose wasm loads and whose query does not compile (here: JavaScript's wasm for Python, as after a
    // grammar update that renames node types): the failure comes at the query, past the wasm.
    const mismatched = (): TreeSitterLoader => new TreeSitterLoader({ ...location, grammarWasm: { ...location.grammarWasm, python: location.grammarWasm.javascript } }, logger);

    it('says nothing of a grammar whose query fails while no file asked for it; the first file that does reports it, once', async () => {
      const guessed = mismatched();
      await guessed.prepare('python', () => true);
      assert.equal(logger.lines.length, 0, 'a wrong guess is not the workspace\'s problem');
      await assert.rejects(guessed.load('python'));
      await assert.rejects(guessed.load('python'), 'a failure asked for stays failed');
      assert.equal(logger.lines.filter((l) => l.level === 'error' && l.message.includes('python grammar')).length, 1);
      assert.ok(logger.lines.some((l) => l.level === 'warn' && l.message.includes('tags query')), 'with what was left out of its query');
      await guessed.dispose();
    });

    it('reports the failure once when a file asks while the grammar is being prepared', async () => {
      const guessed = mismatched();
      let asked = 0;
      let claimed: Promise<unknown> | undefined;
      // Asked once more just before the query: the file comes while the query is on its way.
      await guessed.prepare('python', () => {
        if (++asked === 2) setImmediate(() => (claimed = guessed.load('python')));
        return true;
      });
      assert.ok(claimed);
      await assert.rejects(claimed);
      assert.equal(logger.lines.filter((l) => l.level === 'error' && l.message.includes('python grammar')).length, 1);
      await guessed.dispose();
    });
  });

  /**
   * `before` parsed, a comment line typed in at the line starting with `  return`, and the text re-parsed
   * incrementally twice: handed the string, and read through textReader. `trees` are for deleting.
   */
  async function reparsedBothWays(before: string): Promise<{ text: string; fromString: Tree; fromReader: Tree; trees: Tree[] }> {
    const { parser } = await loader().load('typescript');
    const at = before.indexOf('  return');
    const text = `${before.slice(0, at)}  // typed\n${before.slice(at)}`;
    const fresh = parser.parse(before);
    assert.ok(fresh);
    const row = before.slice(0, at).split('\n').length - 1;
    const edit = { startIndex: at, oldEndIndex: at, newEndIndex: at + 11, startPosition: { row, column: 0 }, oldEndPosition: { row, column: 0 }, newEndPosition: { row: row + 1, column: 0 } };
    const viaString = fresh.copy();
    viaString.edit(edit);
    const viaReader = fresh.copy();
    viaReader.edit(edit);
    const fromString = parser.parse(text, viaString);
    const fromReader = parser.parse(textReader(text), viaReader);
    assert.ok(fromString && fromReader);
    assert.equal(fromReader.rootNode.toString(), fromString.rootNode.toString());
    return { text, fromString, fromReader, trees: [fresh, viaString, viaReader, fromString, fromReader] };
  }

  it('textReader: an incremental re-parse reading the text in pieces gives the tree the string gives, node texts included', async () => {
    // An import longer than a piece (its node's text is read back in several), then statements to re-parse around.
    const names = Array.from({ length: 30 }, (_, i) => `name${i}`).join(', ');
    const { text, fromString, fromReader, trees } = await reparsedBothWays(`import { ${names} } from './somewhere/far/away';\n\nexport function f(a: number): number {\n  return a + 1;\n}\n`);
    const importText = fromReader.rootNode.firstNamedChild?.text;
    assert.ok(importText !== undefined && importText.length > 128, 'the import spans several pieces');
    assert.equal(importText, fromString.rootNode.firstNamedChild?.text);
    assert.equal(textReader(text, 10)(5), text.slice(5, 10), 'never past the end given');
    assert.equal(textReader(text)(text.length), '', 'nothing at the end: the input ends there');
    for (const tree of trees) tree.delete();
  });

  it('textReader: a piece ending inside a surrogate pair (an emoji split across two reads) gives the tree the string gives', async () => {
    // The emoji's two UTF-16 units sit at 127 and 128: the first piece ends between them.
    const head = `const s = '${'x'.repeat(127 - "const s = '".length)}`;
    const before = `${head}\u{1F600}tail';\nexport function g(): string {\n  return s;\n}\n`;
    assert.equal(before.charCodeAt(127) >> 10, 0xd800 >> 10, 'a high surrogate at 127');
    const { text, fromString, fromReader, trees } = await reparsedBothWays(before);
    assert.equal(fromReader.rootNode.hasError, false);
    assert.equal(fromReader.rootNode.firstNamedChild?.text, fromString.rootNode.firstNamedChild?.text);
    // From scratch the reads start at 0, so the second piece starts with the emoji's low surrogate.
    const { parser } = await loader().load('typescript');
    const scratch = parser.parse(textReader(text));
    assert.ok(scratch);
    assert.equal(scratch.rootNode.toString(), fromString.rootNode.toString());
    assert.equal(scratch.rootNode.firstNamedChild?.text, text.slice(0, text.indexOf('\n')));
    for (const tree of [...trees, scratch]) tree.delete();
  });
});
