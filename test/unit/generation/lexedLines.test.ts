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

  it("reads `#` as code in Visual Basic (`#If DEBUG Then`, `#Region`), Racket (`#lang racket`) and PHP 8's attributes (`#[Route(\"/x\")]`); PHP's `# note` is a comment", () => {
    for (const [text, id, found] of [
      ['#If DEBUG Then ( x', 'vb', []],
      ['#Region "Helpers"', 'vb', ['"Helpers"']],
      ['#lang racket (define (f x)', 'racket', []],
      ['#[Route("/x")] (', 'php', ['"/x"']],
      ['  #[Pure] function f() {', 'php', []],
      ['# note (see', 'php', ['# note (see']],
      ['$a = 1; # see (x', 'php', ['# see (x']],
      // (Elsewhere `#[` starts a comment as any `#`: a shell's `#[debug]`.)
      ['#[debug] (', 'shellscript', ['#[debug] (']],
    ] as const) {
      assert.deepEqual(pieces(text, id), found, `${text} (${id})`);
    }
  });

  it('reads `plaintext` with line comments only, `#` and `//`: prose\'s `logs/*` opens no comment to the end of the text, `@"` and `R"(` no verbatim or raw string', () => {
    assert.deepEqual(pieces('a = { # see\nb = [ // see\n', 'plaintext'), ['# see', '// see']);
    // (The brackets after `logs/*` are counted: read as a comment, it hid all of them.)
    assert.deepEqual(pieces('See logs/* for details (a\nb) and [c]\n', 'plaintext'), []);
    assert.deepEqual(pieces('a @"b" c', 'plaintext'), ['"b"']);
    assert.deepEqual(pieces('R"(a)" b', 'plaintext'), ['"(a)"']);
  });

  it('reads `/*` as a comment only where the family writes them, or no language is named; `//` always', () => {
    assert.deepEqual(pieces('rm -f "$d"/* && (cd "$d" && make)', 'shellscript'), ['"$d"', '"$d"']);
    assert.deepEqual(pieces('SRCS := $(wildcard src/*.c) // x', 'makefile'), ['// x']);
    assert.deepEqual(pieces('int a; /* (\n  still */ int b;', 'cpp'), ['/* (\n  still */']);
    assert.deepEqual(pieces('x /* ( */ y', undefined), ['/* ( */']);
  });

  it('reads `<!-- … -->` as a comment over lines in markup (HTML, XML, SVG, Vue, Svelte, Markdown), where its quotes, `//` and `/*` are text; elsewhere `<!--` is no comment', () => {
    for (const id of ['html', 'vue-html', 'xml', 'svg', 'vue', 'svelte', 'astro', 'markdown']) {
      assert.deepEqual(pieces('<p>a</p> <!-- don\'t use src/*.css\n  (see "x -->\n<p>b</p>', id), ['<!-- don\'t use src/*.css\n  (see "x -->'], id);
      // (One never closed runs to the end of the text.)
      assert.deepEqual(pieces('<p>a</p>\n<!-- <p>b</p>\n<p>c</p>', id), ['<!-- <p>b</p>\n<p>c</p>'], id);
    }
    assert.deepEqual(pieces('a <!-- (b\nc) -->', 'plaintext'), []);
    assert.deepEqual(pieces('x = a <!-- (b\ny = c) -->', 'ruby'), []);
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
      // (VS Code's `plaintext`, a file of no language it knows — notes, a log —: `#` and `//` only.)
      ['--verbose prints more', 'plaintext', false],
      ['#include <stdio.h>', 'plaintext', true],
      ['// a note', 'plaintext', true],
      ['/* a comment */', 'plaintext', false],
      // (`#` is code in Visual Basic, Racket and PHP 8's attributes; PHP's `# note` a comment.)
      ['#If DEBUG Then', 'vb', false],
      ['#Region "Helpers"', 'vb', false],
      ['#lang racket', 'racket', false],
      ['#[Route("/x")]', 'php', false],
      ['# note', 'php', true],
    ] as const) {
      assert.equal(startsAsComment(line, id), comment, `${line} (${id ?? 'no language'})`);
    }
  });
});
