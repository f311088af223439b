import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { firstParsedLanguage } from '../../../src/core/context/firstLanguage';
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

  it("finds the first file with a grammar in the scan's order, skipping hidden folders and node_modules", () => {
    files('.hidden/a.py', 'node_modules/x.js', 'README.md', 'b/c.go', 'a/readme.txt', 'a/z/d.rs', 'a/zz.java');
    assert.equal(firstParsedLanguage(dir.root), 'java', "a folder's files before its subfolders");
  });

  it('goes depth first, and gives up after a few folders', () => {
    files('a/b/c/d.ts', 'e/f.py');
    assert.equal(firstParsedLanguage(dir.root), 'typescript');
    assert.equal(firstParsedLanguage(dir.root, 3), undefined);
  });

  it('finds nothing in an empty folder, a folder of text files, or one that does not exist', () => {
    assert.equal(firstParsedLanguage(dir.root), undefined);
    files('notes.md', 'docs/guide.txt');
    assert.equal(firstParsedLanguage(dir.root), undefined);
    assert.equal(firstParsedLanguage(path.join(dir.root, 'missing')), undefined);
  });
});
