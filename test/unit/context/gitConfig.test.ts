import assert from 'node:assert/strict';
import path from 'node:path';
import { excludesFilePath, includeGitDirMatches, parseGitConfig } from '../../../src/core/context/gitConfig';

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

  it('matches [includeIf "gitdir:…"] patterns as git does (wildmatch with whole-name `**`, `~/`, `./`, a trailing `/`)', () => {
    const at = (pattern: string, gitDir: string, caseless = false, configDir = '/cfg'): boolean => includeGitDirMatches(pattern, gitDir, { caseless, configDir, home: '/home/u' });
    assert.ok(at('~/work/', '/home/u/work/a/.git'));
    assert.ok(!at('~/work', '/home/u/work/a/.git'), 'without a trailing slash, only that very git dir');
    assert.ok(at('/home/u/work/a/.git', '/home/u/work/a/.git'));
    assert.ok(at('work/', '/home/u/work/a/.git'), 'a relative pattern matches anywhere');
    assert.ok(!at('ork/', '/home/u/work/a/.git'));
    assert.ok(at('/home/*/work/*/.git', '/home/u/work/a/.git'));
    assert.ok(!at('/home/*/.git', '/home/u/work/a/.git'), '`*` stays within a name');
    assert.ok(at('/home/**/.git', '/home/u/work/a/.git'));
    assert.ok(at('/home/u/**/work/a/.git', '/home/u/work/a/.git'), '`/**/` may be no folder at all');
    assert.ok(!at('/home/u**/.git', '/home/u/work/a/.git'), '`**` inside a name is `*`');
    assert.ok(at('/home/u/work/[a-c]/.git', '/home/u/work/b/.git'));
    assert.ok(!at('/home/u/work/[!a-c]/.git', '/home/u/work/b/.git'));
    assert.ok(at('/home/u/work/[[:alpha:]]/.git', '/home/u/work/b/.git'));
    // An unknown class makes the pattern malformed (no match), the names of Object's own properties too: not their
    // function text as class members ("function Object() { [native code] }").
    assert.ok(!at('/home/u/work/[[:constructor:]]/.git', '/home/u/work/f }]/.git'), '[[:constructor:]]');
    assert.ok(!at('/home/u/work/[![:constructor:]]/.git', '/home/u/work/x }]/.git'), '[![:constructor:]]');
    assert.ok(!at('/home/u/work/[[:__proto__:]]/.git', '/home/u/work/o]/.git'), '[[:__proto__:]]');
    assert.ok(!at('/home/u/work/[[:nosuch:]]/.git', '/home/u/work/n/.git'), '[[:nosuch:]]');
    assert.ok(at('/home/u/w?rk/\\a/.git', '/home/u/work/a/.git'));
    assert.ok(!at('/home/u/work/[a/.git', '/home/u/work/[a/.git'), 'an unclosed bracket matches nothing');
    assert.ok(!at('/HOME/U/', '/home/u/work/a/.git'));
    assert.ok(at('/HOME/U/', '/home/u/work/a/.git', true), 'gitdir/i');
    assert.ok(at('./', '/cfg/x/.git'), "`./` is the including file's folder");
    assert.ok(!at('./../other/', '/other/x/.git'), '`..` is not resolved');
    assert.ok(!at('./', '/cfg/x/.git', false, ''), 'nor is there a folder outside a file');
    assert.ok(at('./*', '/cfg*/.git', false, '/cfg*'));
    assert.ok(!at('./*', '/cfgX/.git', false, '/cfg*'), 'the folder is compared literally');
  });
});
