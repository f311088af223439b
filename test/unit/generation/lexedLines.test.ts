import assert from 'node:assert/strict';
import { commentAndStringSpans, commentAndStringSpansInAnyLanguage, startsAsComment } from '../../../src/core/generation/lexedLines';

/** The text's comments and strings, each as it is written, as commentAndStringSpansInAnyLanguage finds them. */
function pieces(text: string, languageId: string | undefined): string[] {
  const spans = commentAndStringSpansInAnyLanguage(text, languageId);
  const found: string[] = [];
  for (let k = 0; k + 1 < spans.length; k += 2) found.push(text.slice(spans[k], spans[k + 1]));
  return found;
}

describe('commentAndStringSpansInAnyLanguage', () => {
  it("gives the lexer's spans in a language it reads", () => {
    for (const [text, id] of [
      ['#items = { // by id\n  a: "}",\n};', 'typescript'],
      ['x = 1  # (see\ns = """\n}\n"""', 'python'],
      ["fn f<'a>(s: &'a str) { /* } */ }", 'rust'],
    ] as const) {
      assert.deepEqual(commentAndStringSpansInAnyLanguage(text, id), commentAndStringSpans(text, id), id);
    }
  });

  it('reads `#` as code where the family writes it so (C, CSS, Swift), else as a comment at a line\'s start or after white space', () => {
    assert.deepEqual(pieces('#define BEGIN {\nint x; // one', 'c'), ['// one']);
    assert.deepEqual(pieces('#main {\n  color: red; /* } */\n}', 'css'), ['/* } */']);
    assert.deepEqual(pieces('if #available(iOS 15, *) {', 'swift'), []);
    assert.deepEqual(pieces('echo "$#" # count {\nx=1', 'shellscript'), ['"$#"', '# count {']);
    assert.deepEqual(pieces('a = { # see\n', undefined), ['# see']);
    // (`#` inside a word is code even where it starts comments: `$#`, `this.#count`.)
    assert.deepEqual(pieces('echo $# {', 'shellscript'), []);
  });

  it('reads `/*` as a comment only where the family writes them, or no language is named; `//` always', () => {
    assert.deepEqual(pieces('rm -f "$d"/* && (cd "$d" && make)', 'shellscript'), ['"$d"', '"$d"']);
    assert.deepEqual(pieces('SRCS := $(wildcard src/*.c) // x', 'makefile'), ['// x']);
    assert.deepEqual(pieces('int a; /* (\n  still */ int b;', 'cpp'), ['/* (\n  still */']);
    assert.deepEqual(pieces('x /* ( */ y', undefined), ['/* ( */']);
  });

  it("reads strings that go on over lines to their end: `\"\"\"…\"\"\"`, C#'s verbatim `@\"…\"`, C++'s raw `R\"x(…)x\"`", () => {
    assert.deepEqual(pieces('val s = """\n  {\n""".trimIndent()', 'kotlin'), ['"""\n  {\n"""']);
    assert.deepEqual(pieces('var p = @"C:\\dir\\" + f(@"say ""hi""");', 'csharp'), ['@"C:\\dir\\"', '@"say ""hi"""']);
    assert.deepEqual(pieces('auto q = R"x(a ")" (\n)x" + f(1);', 'cpp'), ['R"x(a ")" (\n)x"']);
    // (A quote not closed on its line ends there: the next line is code.)
    assert.deepEqual(pieces('s = "open (\nf(1)', 'ruby'), ['"open (']);
  });

  it('reads `#` as a comment in a language not known to write `#` as code (GDScript, MySQL, nginx…)', () => {
    assert.deepEqual(pieces('var total = 0 # 1) add up (the prices\nfunc f():', 'gdscript'), ['# 1) add up (the prices']);
    assert.deepEqual(pieces('SELECT 1; # (total\n', 'sql'), ['# (total']);
    assert.deepEqual(pieces('location / { # (proxy\n', 'nginx'), ['# (proxy']);
  });

  it("reads verbatim and raw strings only in the languages that write them: Objective-C's `@\"…\"` keeps its escapes", () => {
    assert.deepEqual(pieces('NSLog(@"expected \\")\\" in %@", text,', 'objectivec'), ['"expected \\")\\" in %@"']);
    assert.deepEqual(pieces('s = @"\\""; f(', 'objectivec'), ['"\\""']);
    // (C has no raw strings: `R` is a name there, then a string.)
    assert.deepEqual(pieces('x = R"(a)" + g(', 'c'), ['"(a)"']);
    assert.deepEqual(pieces('x = R"(a ")" + g(', 'cpp'), ['R"(a ")"']);
  });
});

describe('startsAsComment', () => {
  it("reads a line as a comment from its start as the language writes comments: C's `#include`, TypeScript's `#count`, JavaScript's `--n` are code", () => {
    for (const [line, id, comment] of [
      ['#include <stdio.h>', 'c', false],
      ['#pragma once', 'cpp', false],
      ['#count = 0;', 'typescript', false],
      ['# a comment', 'python', true],
      ['# a comment', 'shellscript', true],
      ['// a comment', 'c', true],
      ['/* a comment */', 'java', true],
      ['// 2', 'python', false],
      ['--n;', 'javascript', false],
      ['-- a comment', 'sql', true],
      ['-- a comment', 'lua', true],
      ['<!-- a comment -->', 'html', true],
      ['"# not a comment"', 'python', false],
      // (No language named: any comment counts.)
      ['#include <stdio.h>', undefined, true],
      ['-- a comment', undefined, true],
    ] as const) {
      assert.equal(startsAsComment(line, id), comment, `${line} (${id ?? 'no language'})`);
    }
  });
});
