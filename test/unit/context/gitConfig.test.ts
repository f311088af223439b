import assert from 'node:assert/strict';
import path from 'node:path';
import { excludesFilePath, parseGitConfig } from '../../../src/core/context/gitConfig';

describe('git config files (parseGitConfig)', () => {
  const values = (text: string): [string, string | undefined][] => parseGitConfig(text).map((e) => [`${e.section}${e.subsection === undefined ? '' : `[${e.subsection}]`}.${e.key}`, e.value]);

  it('reads sections and keys in any case, subsections as they are, bare keys, comments', () => {
    const text = '# a comment\n[Core]\n\tExcludesFile = ~/x ; after\n\tbare\n; another\n[includeIf "gitdir:~/Work/"]\n  path = w.inc\n[core] editor = vim # x\n';
    assert.deepEqual(values(text), [
      ['core.excludesfile', '~/x'],
      ['core.bare', undefined],
      ['includeif[gitdir:~/Work/].path', 'w.inc'],
      ['core.editor', 'vim'],
    ]);
  });

  it('reads quotes, escapes, inner blanks and continued lines as git does', () => {
    const text = '[core]\r\n\ta = "  spaced ; not a comment "\n\tb = x  \t y  \n\tc = "q\\"\\\\t" \\n\n\td = one\\\ntwo\n\te =\n\tf = \\t"#"\n';
    assert.deepEqual(values(text), [
      ['core.a', '  spaced ; not a comment '],
      ['core.b', 'x    y'],
      ['core.c', 'q"\\t \n'],
      ['core.d', 'onetwo'],
      ['core.e', ''],
      ['core.f', '\t#'],
    ]);
  });

  it('stops at a line git rejects (an unclosed quote, a bad escape, a bad header), keeping what came before', () => {
    assert.deepEqual(values('[core]\n\ta = 1\n\tb = "open\n\tc = 3\n'), [['core.a', '1']]);
    assert.deepEqual(values('[core]\n\ta = 1\n\tb = \\q\n'), [['core.a', '1']]);
    assert.deepEqual(values('[core\n\ta = 1\n'), []);
  });

  it("finds the excludes file: the repository's value over the user's, ~ expanded, relative to the work tree's top; else git's default", () => {
    const dirs = { home: '/h' };
    assert.equal(excludesFilePath('/r', undefined, undefined, dirs), path.resolve('/h/.config/git/ignore'));
    assert.equal(excludesFilePath('/r', undefined, undefined, { ...dirs, xdgConfigHome: '/x' }), path.resolve('/x/git/ignore'));
    assert.equal(excludesFilePath('/r', undefined, '~/ig', dirs), path.resolve('/h/ig'));
    assert.equal(excludesFilePath('/r', 'local/ig', '~/ig', dirs), path.resolve('/r/local/ig'));
    assert.equal(excludesFilePath('/r', '', '~/ig', dirs), undefined);
  });
});
