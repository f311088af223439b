import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ALWAYS_SKIPPED_ENDINGS, ALWAYS_SKIPPED_NAMES, isAlwaysSkipped } from '../../../src/core/context/alwaysSkipped';
import { firstParsedLanguage } from '../../../src/core/context/firstLanguage';
import { globsMatcher } from '../../../src/core/context/globs';
import { DEFAULT_EXCLUDES } from '../../../src/core/context/workspaceScanner';
import { tempWorkspace } from './indexerHarness';

describe('first parsed language (a quick look ahead of the scan)', () => {
  let dir: { root: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempWorkspace();
  });
  afterEach(() => dir.cleanup());

  function files(...paths: string[]): void {
    for (const p of paths) {
      mkdirSync(path.dirname(path.join(dir.root, p)), { recursive: true });
      writeFileSync(path.join(dir.root, p), '');
    }
  }

  it("finds the first file with a grammar in the scan's order, skipping what the scanner always skips", () => {
    files('.git/hooks/a.py', 'node_modules/x.js', 'README.md', 'b/c.go', 'a/readme.txt', 'a/z/d.rs', 'a/bundle.min.js', 'a/zz.java');
    assert.equal(firstParsedLanguage([dir.root]), 'java', "a folder's files before its subfolders; .git, node_modules and *.min.js skipped");
  });

  it('enters hidden folders and counts hidden files, as the scanner does', () => {
    files('.github/scripts/release.py', 'src/a.ts');
    assert.equal(firstParsedLanguage([dir.root]), 'python');
    files('.eslintrc.cjs');
    assert.equal(firstParsedLanguage([dir.root]), 'javascript');
  });

  it('goes depth first, and gives up after a few folders', () => {
    files('a/b/c/d.ts', 'e/f.py');
    assert.equal(firstParsedLanguage([dir.root]), 'typescript');
    assert.equal(firstParsedLanguage([dir.root], 3), undefined);
  });

  it("looks at a multi-root workspace's folders in order, leaving a nested folder to its own turn", () => {
    files('web/nested/n.go', 'web/src/app.tsx', 'api/main.py');
    const [web, nested, api] = ['web', 'web/nested', 'api'].map((p) => path.join(dir.root, p)) as [string, string, string];
    assert.equal(firstParsedLanguage([web, api]), 'go');
    assert.equal(firstParsedLanguage([web, nested, api]), 'tsx', 'web/nested is scanned as its own folder, after web');
    assert.equal(firstParsedLanguage([path.join(dir.root, 'gone'), api]), 'python', 'a missing folder is passed over');
    assert.equal(firstParsedLanguage([path.join(dir.root, 'gone'), api], 1), undefined, 'the budget counts every folder');
  });

  it('finds nothing in an empty folder, a folder of text files, or one that does not exist', () => {
    assert.equal(firstParsedLanguage([dir.root]), undefined);
    files('notes.md', 'docs/guide.txt');
    assert.equal(firstParsedLanguage([dir.root]), undefined);
    assert.equal(firstParsedLanguage([path.join(dir.root, 'missing')]), undefined);
    assert.equal(firstParsedLanguage([]), undefined);
  });

  it("skips what the scanner's DEFAULT_EXCLUDES exclude: one list (alwaysSkipped.ts), matched by name here, by glob there", () => {
    const excluded = globsMatcher(DEFAULT_EXCLUDES, { dot: true });
    const names = [...ALWAYS_SKIPPED_NAMES, ...ALWAYS_SKIPPED_ENDINGS.map((end) => `bundle${end}`)];
    for (const name of names) {
      assert.ok(isAlwaysSkipped(name), name);
      assert.ok(excluded(name) && excluded(`src/deep/${name}`), `the scanner excludes ${name}`);
    }
    for (const kept of ['main.ts', 'bundle.js', '.github', 'maps.go']) {
      assert.ok(!isAlwaysSkipped(kept) && !excluded(`src/${kept}`), kept);
    }
  });
});
