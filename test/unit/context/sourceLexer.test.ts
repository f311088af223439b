import assert from 'node:assert/strict';
import type { ParsedLanguage } from '../../../src/core/context/languages';
import { isReferenceName } from '../../../src/core/context/identifierScanner';
import { IntBuffer } from '../../../src/core/context/intBuffer';
import { hashWord, lexWords, type Masks } from '../../../src/core/context/sourceLexer';
import { extract } from './indexerHarness';

/** The skipped pieces of a text, the text with them blanked, and the identifiers found. */
function masked(text: string, language: ParsedLanguage): { pieces: string[]; rest: string; identifiers: string[] } {
  const words = new IntBuffer();
  const m: Masks = [];
  lexWords(text, language, words, m);
  const identifiers: string[] = [];
  for (let w = 0; w < words.length; w += 3) {
    const [start, end] = [words.data[w] ?? 0, words.data[w + 1] ?? 0];
    assert.equal(words.data[w + 2], hashWord(text, start, end), 'each word comes with its hash');
    const name = text.slice(start, end);
    if (isReferenceName(name, language)) identifiers.push(name);
  }
  const pieces: string[] = [];
  let rest = '';
  let last = 0;
  for (let i = 0; i < m.length; i += 2) {
    const [s, e] = [m[i] ?? 0, m[i + 1] ?? 0];
    assert.ok(s >= last && e > s, `ranges in order: ${m.join(',')}`);
    pieces.push(text.slice(s, e));
    rest += text.slice(last, s);
    last = e;
  }
  return { pieces, rest: rest + text.slice(last), identifiers };
}

describe('source lexer', () => {
  it('keeps word ranges in a buffer that grows and can be reused', () => {
    // A small first capacity, so the buffer has to grow.
    const words = new IntBuffer(16);
    const text = Array.from({ length: 3000 }, (_, i) => `word${i}`).join(' ');
    lexWords(text, 'go', words);
    assert.equal(words.length, 9000);
    assert.equal(text.slice(words.data[8997], words.data[8998]), 'word2999');
    words.clear();
    assert.equal(words.data.length, 16384, 'a buffer of moderate size is kept');
    lexWords('alpha beta', 'go', words);
    assert.deepEqual([...words.data.subarray(0, words.length)], [0, 5, hashWord('alpha', 0, 5), 6, 10, hashWord('beta', 0, 4)]);
  });

  it('masks JavaScript comments, strings, template text and regex literals, not code', () => {
    const text = [
      "const a = 'it\\'s' + \"q\" // trailing words",
      '/* block',
      '   more */ let t = `hi ${name + `in ${deep}`} there`;',
      'const r = /ab[/]c/g.test(x) ? total / count / 2 : (n) / 3;',
      'return /x/.test(y);',
    ].join('\n');
    const { pieces, rest, identifiers } = masked(text, 'typescript');
    assert.deepEqual(pieces, ["'it\\'s'", '"q"', '// trailing words', '/* block\n   more */', '`hi ${', '`in ${', '}`', '} there`', '/ab[/]c/', '/x/']);
    for (const word of ['trailing', 'words', 'block', 'more', 'hi', 'in', 'there', 'ab']) assert.ok(!new RegExp(`\\b${word}\\b`).test(rest), `${word} is masked`);
    for (const word of ['name', 'deep', 'total', 'count', 'test', 'x', 'y', 'n']) assert.ok(new RegExp(`\\b${word}\\b`).test(rest), `${word} stays code`);
    assert.deepEqual(identifiers, ['name', 'deep', 'test', 'total', 'count', 'test']);
  });

  it('tells a regex from a division by the word before the slash, across spaces and comments', () => {
    const text = [
      'a = total / count / 2;',
      'if (ok) return /re/.test(s);',
      'k = typeof /* note */ /y/;',
      'v = done // why\n / 2;',
      'w = yield\n/w/g;',
      'z = instanceofX / 4 + returned / 5;',
    ].join('\n');
    const { pieces } = masked(text, 'javascript');
    assert.deepEqual(pieces, ['/re/', '/* note */', '/y/', '// why', '/w/']);
  });

  it('masks Python comments and strings with prefixes and triple quotes', () => {
    const text = 'x = f"hello {name}"  # note\ndef g():\n    """Doc with words.\n    """\n    return rb\'raw\' + value\n';
    const { pieces, rest, identifiers } = masked(text, 'python');
    assert.deepEqual(pieces, ['f"hello {name}"', '# note', '"""Doc with words.\n    """', "rb'raw'"]);
    assert.match(rest, /return\s+\+ value/);
    assert.deepEqual(identifiers, ['value'], 'string prefixes are not words');
  });

  it('masks Rust raw strings, byte strings, char literals and nested comments, but not lifetimes', () => {
    const text = "fn f<'a>(s: &'a str) -> char { let r = r#\"a \"quoted\" b\"#; let b = b\"bytes\"; /* outer /* inner */ still */ 'x' }";
    const { pieces, rest } = masked(text, 'rust');
    assert.deepEqual(pieces, ['r#"a "quoted" b"#', 'b"bytes"', '/* outer /* inner */ still */', "'x'"]);
    assert.ok(rest.includes("&'a str") && rest.includes('let r =') && rest.includes('let b ='));
  });

  it('masks Go raw strings and runes, and Java text blocks', () => {
    assert.deepEqual(masked('s := `raw\nwords` + "x" // c\nr := \'a\'', 'go').pieces, ['`raw\nwords`', '"x"', '// c', "'a'"]);
    assert.deepEqual(masked('String s = """\n  block "text"\n  """; char c = \'"\';', 'java').pieces, ['"""\n  block "text"\n  """', '\'"\'']);
  });

  it('ends unterminated literals at the end of the line or text', () => {
    assert.deepEqual(masked("a = 'open\nb = 2", 'javascript').pieces, ["'open"]);
    assert.deepEqual(masked('const hex = 0x1F + 1e9 + value2;', 'javascript').identifiers, ['hex', 'value2'], 'numbers are not identifiers');
    assert.deepEqual(masked('/* never closed', 'java').pieces, ['/* never closed']);
  });

  // Unicode's white space (U+0085, U+00A0, U+1680, U+2000-U+200A, U+2028, U+2029, U+202F, U+205F, U+3000) and the BOM.
  const unicodeSpaces = ['\u0085', '\u00a0', '\u1680', '\u2000', '\u2003', '\u200a', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];

  it('reads Unicode white space and the BOM as space, not as part of the word beside it, in every language', () => {
    const languages: ParsedLanguage[] = ['javascript', 'python', 'go', 'rust', 'java'];
    for (const space of unicodeSpaces) {
      for (const language of languages) {
        assert.deepEqual(masked(`r =${space}helperFnQ(v)${space}+${space}other`, language).identifiers, ['helperFnQ', 'other'], `${JSON.stringify(space)} in ${language}`);
      }
      // A space before `/` keeps the word before it: `a / b / c` divides (no regex literal masks `b`).
      assert.deepEqual(masked(`x = total${space}/ count${space}/ 2`, 'javascript').pieces, [], JSON.stringify(space));
    }
    // Other non-ASCII characters are word characters, as before: identifiers in any script.
    assert.deepEqual(masked('const größe = 計算する(été)', 'javascript').identifiers, ['größe', '計算する', 'été']);
  });

  it('finds the same references in a JavaScript function with a no-break space (or other Unicode space) as with a plain one', async () => {
    const source = (space: string): string => `function helperFnQ(v) {\n  return v + 1;\n}\n\nfunction caller(v) {\n  const r =${space}helperFnQ(v);\n  return r;\n}\n`;
    const plain = await extract('a.js', source(' '));
    assert.ok(plain.references.length > 0 && plain.identifiers.includes('helperFnQ'));
    for (const space of unicodeSpaces) {
      const file = await extract('a.js', source(space));
      assert.deepEqual(file.references, plain.references, JSON.stringify(space));
      assert.deepEqual(file.identifiers, plain.identifiers, JSON.stringify(space));
    }
  });
});
