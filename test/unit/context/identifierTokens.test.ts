import assert from 'node:assert/strict';
import { ASCII_QUALIFIED, ASCII_WORD, camelCaseWords, compoundTerm, identifierTerms, parseQuery, QUALIFIED, segmentWord, splitIdentifier, stem, textTerms, WORD } from '../../../src/core/context/identifierTokens';
import { normaliseQuery } from '../../../src/core/context/contextCache';
import { seededRandom } from './builders';

describe('identifier tokens', () => {
  it('splits camelCase, PascalCase with acronyms, snake_case, kebab-case and digits', () => {
    assert.deepEqual(splitIdentifier('parseConfig'), ['parse', 'config']);
    assert.deepEqual(splitIdentifier('HTTPServerError'), ['http', 'server', 'error']);
    assert.deepEqual(splitIdentifier('read_text_file'), ['read', 'text', 'file']);
    assert.deepEqual(splitIdentifier('to-kebab-case'), ['to', 'kebab', 'case']);
    assert.deepEqual(splitIdentifier('utf8Decode2x'), ['utf', '8', 'decode', '2', 'x']);
    assert.deepEqual(splitIdentifier('$el'), ['el']);
    assert.deepEqual(splitIdentifier('__init__'), ['init']);
  });

  it('splits identifiers in any script: by case where it has case, a caseless run (CJK, Arabic) as one part', () => {
    assert.deepEqual(splitIdentifier('計算する'), ['計算する']);
    assert.deepEqual(splitIdentifier('étéFunc'), ['été', 'func']);
    assert.deepEqual(splitIdentifier('Überweisung'), ['überweisung']);
    assert.deepEqual(splitIdentifier('ÀÉcole'), ['à', 'école'], 'an acronym ends before the capital of the next part');
    assert.deepEqual(splitIdentifier('größe_2x'), ['größe', '2', 'x']);
    assert.deepEqual(splitIdentifier('getユーザー名'), ['get', 'ユーザー名'], 'caseless letters after cased ones start a part');
    assert.deepEqual(splitIdentifier('حساب_المجموع'), ['حساب', 'المجموع']);
    assert.deepEqual(splitIdentifier('e\u0301te\u0301Func'), ['e\u0301te\u0301', 'func'], 'a combining mark belongs to its letter');
    assert.deepEqual(splitIdentifier('value٣٤'), ['value', '٣٤'], 'digits of any script');
    assert.deepEqual(splitIdentifier('𝑥Value'), ['𝑥', 'value'], 'a letter outside the BMP is one character');
    assert.deepEqual(identifierTerms('étéFunc'), ['été', compoundTerm('étéfunc')]);
    assert.deepEqual(textTerms('def 計算する(x): حساب'), ['計算', '算す', 'する', compoundTerm('計算する'), 'حساب'], 'CJK runs give bigrams (cjk tokens test)');
    // An ASCII identifier splits the same on the path for other scripts (taken when a non-ASCII character follows it).
    const alphabet = ['a', 'B', 'Cd', 'EF', 'gh', 'IJk', '_', '$', '-', '0', '42', 'x', 'HTTP', 'Server'];
    const random = seededRandom(5);
    for (let round = 0; round < 2_000; round++) {
      const id = Array.from({ length: 1 + Math.floor(random() * 8) }, () => alphabet[Math.floor(random() * alphabet.length)] as string).join('');
      assert.deepEqual(splitIdentifier(`${id}\u00b7`), splitIdentifier(id), id);
    }
  });

  it('stems inflections of one word to the same term and leaves unrelated words apart', () => {
    const parse = stem('parse');
    for (const w of ['parses', 'parsing', 'parsed', 'parser']) assert.equal(stem(w), parse, w);
    assert.equal(stem('caches'), stem('cache'));
    assert.equal(stem('entries'), stem('entry'));
    assert.notEqual(stem('user'), stem('use'));
    assert.equal(stem('class'), 'class');
    assert.equal(stem('status'), 'status');
  });

  it('gives an identifier its stemmed parts and a compound term, without noise words', () => {
    assert.deepEqual(identifierTerms('parseConfigFiles'), [stem('parse'), 'config', stem('file'), compoundTerm('parseconfigfiles')]);
    assert.deepEqual(identifierTerms('config'), ['config']);
    // "to" is a stop word, "x" too short: only the meaningful part and the compound remain.
    assert.deepEqual(identifierTerms('toX'), []);
    assert.deepEqual(identifierTerms('toJson'), ['json', compoundTerm('tojson')]);
  });

  it("gives a namespace member's reference (`Effect.flatMap`) the terms of the namespace and the member, each as an identifier", () => {
    // (It gave `=effectflatmap` for the pair, and `=flatmap` — the member's whole name — was gone from the documents.)
    assert.deepEqual(identifierTerms('Effect.flatMap'), [...identifierTerms('Effect'), ...identifierTerms('flatMap')]);
    assert.ok(identifierTerms('Effect.flatMap').includes(compoundTerm('flatmap')));
  });

  it('drops declaration keywords from signatures', () => {
    assert.deepEqual(textTerms('export async function loadUser(id: string): Promise<User>'), ['load', 'user', compoundTerm('loaduser'), 'id', 'str', 'promis', 'user']);
  });

  it('segments a lower-case word into known parts, preferring the fewest', () => {
    const known = new Set(['pars', 'config', 'con', 'fig', 'user', 'nam']);
    const isKnown = (t: string): boolean => known.has(t);
    assert.deepEqual(segmentWord('parseconfig', isKnown), ['parse', 'config']);
    assert.deepEqual(segmentWord('username', isKnown), ['user', 'name']);
    assert.equal(segmentWord('tokenizer', isKnown), undefined);
    assert.equal(segmentWord('config', isKnown), undefined, 'a single known part is not a segmentation');
  });

  it('parses a prompt the same whatever its case but for camelCase words', () => {
    const known = new Set(['pars', 'config', 'load', 'file']);
    const isKnown = (t: string): boolean => known.has(t);
    const a = parseQuery('Fix parseConfig so it loads the FILE', isKnown);
    const b = parseQuery('fix PARSECONFIG so it loads the file', isKnown);
    assert.deepEqual(a, b);
    assert.deepEqual(
      a.parts.map((p) => p.text),
      ['parse', 'config', 'loads', 'file'],
    );
    assert.ok(a.compounds.includes(compoundTerm('parseconfig')));
    assert.ok(a.names.includes('parseconfig'));
  });

  it('treats only name-like words as names: backticked, with _ $ or digits, or run together', () => {
    const known = new Set(['get', 'last', 'none', 'pars', 'config', 'read', 'file']);
    const parsed = parseQuery('Get the last element or `None`; see read_file, parseconfig, utf8 and config', (t) => known.has(t));
    assert.deepEqual([...parsed.names].sort(), ['none', 'parseconfig', 'read_file', 'utf8']);
  });

  it('treats a camelCase word as a name even when stop words make it up (isValid, writeFile), not the same word in lower case', () => {
    const known = new Set(['valid', 'write', 'file', 'all', 'widget', 'get', 'fail', 'run', 'set', 'databas', 'pool']);
    const names = (q: string): string[] => [...parseQuery(q, (t) => known.has(t)).names].sort();
    assert.deepEqual(names('Why does isValid fail when writeFile and getAll run? A Widget'), ['getall', 'isvalid', 'writefile']);
    // English: `setup` (set + the stop word up) lifts no `setUp`; typed as a name it does.
    assert.deepEqual(names('setup a database pool'), []);
    assert.deepEqual(names('why does setUp fail'), ['setup']);
  });

  it('keys the cache on what the parse reads: the case-folded query and its camelCase words', () => {
    assert.equal(normaliseQuery('  Fix the   CONFIG '), normaliseQuery('fix the config'));
    assert.notEqual(normaliseQuery('why does setUp fail'), normaliseQuery('why does setup fail'));
    assert.equal(normaliseQuery('why does setUp fail'), normaliseQuery('WHY does  setUp fail'));
  });

  it('parses prompts in any script: whole words, camelCase humps and backticked names', () => {
    const known = new Set(['計算', 'überweisung']);
    const parsed = parseQuery('計算する und `Überweisung`, étéFunc', (t) => known.has(t));
    assert.deepEqual([...parsed.names].sort(), ['étéfunc', 'überweisung']);
    assert.deepEqual(parsed.parts.map((p) => p.text), ['計算', '算す', 'する', 'und', 'überweisung', 'étéfunc']);
    assert.ok(parsed.compounds.includes(compoundTerm('étéfunc')));
    assert.deepEqual([...camelCaseWords('étéFunc and größeÄndern, not straße')], ['étéfunc', 'größeändern']);
    assert.deepEqual(parseQuery('Überweisung.ausführen', () => false).qualified, [{ qualifier: 'überweisung', name: 'ausführen' }]);
  });

  it('gives a run of CJK letters its overlapping character bigrams, a one-character run the character', () => {
    // Chinese, Japanese (kanji, hiragana, katakana with its `ー`) and Korean are written without spaces: a whole run
    // as one term never met a prompt that shares only a phrase with it.
    assert.deepEqual(textTerms('计算购物车折扣'), ['计算', '算购', '购物', '物车', '车折', '折扣', compoundTerm('计算购物车折扣')]);
    assert.deepEqual(textTerms('カートの合計'), ['カー', 'ート', 'トの', 'の合', '合計', compoundTerm('カートの合計')]);
    assert.deepEqual(textTerms('장바구니 합계'), ['장바', '바구', '구니', compoundTerm('장바구니'), '합계']);
    assert.deepEqual(textTerms('给 x 函数'), ['给', '函数'], 'one character is a term, two one bigram (no compound)');
    assert.deepEqual(textTerms('か\u3099き'), ['か\u3099き'], 'a combining mark stays with its letter');
    assert.deepEqual(textTerms('𠀋𠀋𠀋'), ['𠀋𠀋', '𠀋𠀋', compoundTerm('𠀋𠀋𠀋')], 'a letter outside the BMP is one character');
    // Arabic, Hebrew and other caseless scripts space their words: a run stays one term.
    assert.deepEqual(textTerms('حساب المجموع'), ['حساب', 'المجموع']);
  });

  it('splits Latin names out of CJK text as before, the CJK runs around them into bigrams', () => {
    assert.deepEqual(splitIdentifier('给cartTotal函数'), ['给', 'cart', 'total', '函数']);
    assert.deepEqual(identifierTerms('给cartTotal函数'), ['给', 'cart', 'total', '函数', compoundTerm('给carttotal函数')]);
    assert.deepEqual(textTerms('给 cartTotal 函数添加折扣参数'), [
      '给', 'cart', 'total', compoundTerm('carttotal'), '函数', '数添', '添加', '加折', '折扣', '扣参', '参数', compoundTerm('函数添加折扣参数'),
    ]);
    // The prompt side meets them: the same bigrams as parts, the Latin name still a name.
    const parsed = parseQuery('给 cartTotal 函数添加折扣参数', (t) => t === 'cart' || t === 'total');
    assert.deepEqual(parsed.parts.map((p) => p.term), ['给', 'cart', 'total', '函数', '数添', '添加', '加折', '折扣', '扣参', '参数']);
    assert.deepEqual(parsed.names, ['carttotal']);
    assert.ok(parsed.compounds.includes(compoundTerm('函数添加折扣参数')));
    assert.deepEqual(parseQuery('getユーザー名', () => false).parts.map((p) => p.term), ['get', 'ユー', 'ーザ', 'ザー', 'ー名']);
  });

  it('finds qualified mentions such as `HashMap.get`', () => {
    const parsed = parseQuery('Does `HashMap.get` call userService.save? (e.g. not)', () => false);
    assert.deepEqual(parsed.qualified, [
      { qualifier: 'hashmap', name: 'get' },
      { qualifier: 'userservice', name: 'save' },
    ]);
  });
});

describe('textTerms word scan', () => {
  it('finds the same words as the WORD pattern on random text', () => {
    const pattern = /[\p{L}_$][\p{L}\p{M}\p{Nd}_$]*|\p{Nd}+\p{L}[\p{L}\p{M}\p{Nd}_]*/gu;
    // Pieces whose terms tell word boundaries apart (single letters are noise and would hide them).
    const alphabet = ['ab', 'Cd', 'xy', 'Q', '_', '$', '0', '7', '99', ' ', '.', '-', '(', '\n', 'é', '😀', 'parse', 'HTTPServer', 'v2', '42',
      'Üb', '計算', 'ユーザー', '٣', '\u0301', '𝑥', '\ud835', '\u00a0', 'ǅ', 'حساب'];
    const random = seededRandom(9);
    for (let round = 0; round < 2_000; round++) {
      const text = Array.from({ length: Math.floor(random() * 30) }, () => alphabet[Math.floor(random() * alphabet.length)] as string).join('');
      const expected: string[] = [];
      for (const m of text.matchAll(pattern)) identifierTerms(m[0], expected);
      assert.deepEqual(textTerms(text), expected, JSON.stringify(text));
    }
  });
});

describe('query patterns', () => {
  // The patterns as they were before they were made linear: what the new ones must still match.
  const FORMER_WORD = /[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+[A-Za-z][A-Za-z0-9_]*/g;
  const FORMER_QUALIFIED = /([A-Za-z_$][A-Za-z0-9_$]*)\.([A-Za-z_$][A-Za-z0-9_$]*)/g;
  // The same in any script (letters, marks, digits of every script), without the lookbehinds.
  const UNICODE_WORD = /[\p{L}_$][\p{L}\p{M}\p{Nd}_$]*|\p{Nd}+\p{L}[\p{L}\p{M}\p{Nd}_]*/gu;
  const UNICODE_QUALIFIED = /([\p{L}_$][\p{L}\p{M}\p{Nd}_$]*)\.([\p{L}_$][\p{L}\p{M}\p{Nd}_$]*)/gu;
  const matches = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => `${m.index}:${m.join('|')}`);

  it('match what their former forms matched', () => {
    const prompts = [
      'Does `HashMap.get` call userService.save? see a.b.c and x.y.z.w',
      '3d model, 2fa.enabled, x86 and arm64, foo123bar, 12ab.cd, 99 bottles, _x, $el.value, a1.b2, 9b.c',
      'v2.parse_config $.ajax __proto__.x 1.5 3.x obj.0 a..b .a. a.',
    ];
    // The ASCII forms (read for all-ASCII prompts) and the Unicode ones alike.
    const check = (text: string): void => {
      for (const [pattern, former] of [[WORD, FORMER_WORD], [ASCII_WORD, FORMER_WORD], [QUALIFIED, FORMER_QUALIFIED], [ASCII_QUALIFIED, FORMER_QUALIFIED]] as const) {
        assert.deepEqual(matches(text, pattern), matches(text, former), JSON.stringify(text));
      }
    };
    for (const text of prompts) check(text);
    const alphabet = ['a', 'Bc', 'x', '_', '$', '0', '7', '99', ' ', '.', '.', '`', '-', 'get', 'HashMap'];
    const random = seededRandom(42);
    for (let round = 0; round < 5_000; round++) {
      check(Array.from({ length: Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)] as string).join(''));
    }
  });

  it('match words and qualified names in any script as their forms without lookbehinds do', () => {
    const prompts = ['計算する.実行 Überweisung.ausführen 3dé ٣٤abc.x e\u0301te\u0301.b 𝑥.𝑦 a\u00a0b.c'];
    const alphabet = ['a', 'Bc', '_', '$', '0', '99', ' ', '.', '.', '`', 'é', 'Ü', '計算', '٣', '\u0301', '𝑥', '\ud835', '\u00a0', 'ǅ', 'get'];
    const random = seededRandom(43);
    for (let round = 0; round < 5_000; round++) {
      prompts.push(Array.from({ length: Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)] as string).join(''));
    }
    for (const text of prompts) {
      assert.deepEqual(matches(text, WORD), matches(text, UNICODE_WORD), JSON.stringify(text));
      assert.deepEqual(matches(text, QUALIFIED), matches(text, UNICODE_QUALIFIED), JSON.stringify(text));
    }
  });

  // What makes them linear, checked by what they match rather than by how long they take: a global regex tries every
  // position of the text in turn, and in their former forms an attempt from inside a run of word characters (or
  // digits) ran to the run's end before it failed — one scan of the rest of the run per position, quadratic (55 s for
  // 200,000 letters, over 120 s for 200,000 digits). Each run below ends so that such an attempt would succeed there
  // and show itself as a match; with the lookbehinds only the attempt at the run's start can match.
  const run = 2_000;
  const runs: [string, RegExp, string][] = [
    ['digits with a letter after them', WORD, `${'7'.repeat(run)}a`],
    ['letters then `.name`', QUALIFIED, `${'a'.repeat(run)}.b`],
    ['letters each after a digit, then `.name`', QUALIFIED, `${'a1'.repeat(run / 2)}.b`],
    ['digits with a letter after them (ASCII form)', ASCII_WORD, `${'7'.repeat(run)}a`],
    ['letters then `.name` (ASCII form)', ASCII_QUALIFIED, `${'a'.repeat(run)}.b`],
    ['letters each after a digit, then `.name` (ASCII form)', ASCII_QUALIFIED, `${'a1'.repeat(run / 2)}.b`],
    ['Arabic-Indic digits with a letter after them', WORD, `${'٣'.repeat(run)}é`],
    ['accented letters then `.name`', QUALIFIED, `${'é'.repeat(run)}.b`],
    ['CJK letters then `.name`', QUALIFIED, `${'計'.repeat(run)}.b`],
    ['letters with combining marks then `.name`', QUALIFIED, `${'e\u0301'.repeat(run / 2)}.b`],
    ['accented letters each after a digit of another script, then `.name`', QUALIFIED, `${'é٣'.repeat(run / 2)}.b`],
    ['letters each after a digit and a mark, then `.name`', QUALIFIED, `${'a1\u0301'.repeat(run / 3)}.b`],
  ];
  for (const [what, pattern, text] of runs) {
    it(`match ${what} only from the run's start: no attempt from inside it reaches its end`, () => {
      const at = (position: number): string | undefined => {
        const sticky = new RegExp(pattern.source, pattern.flags.replace('g', 'y'));
        sticky.lastIndex = position;
        return sticky.exec(text)?.[0];
      };
      assert.equal(at(0), text);
      const inside: number[] = [];
      for (let position = 1; position < run; position++) if (at(position) !== undefined) inside.push(position);
      assert.deepEqual(inside.slice(0, 5), [], `${inside.length} positions inside the run`);
    });
  }

  // The longest query allowed, of those runs with nothing after them: parsed to nothing (the test above is what
  // shows the patterns stay linear; this one that a parse of such a query is right).
  const n = 200_000;
  const longest: [string, string][] = [
    ['letters with no `.`', 'a'.repeat(n)],
    ['digits with no letter after them', '7'.repeat(n)],
    ['letters each after a digit', 'a1'.repeat(n / 2)],
  ];
  for (const [what, query] of longest) {
    it(`parse a 200,000-character query (the longest allowed) of ${what}`, () => {
      assert.deepEqual(parseQuery(query, () => false).qualified, []);
      assert.equal(camelCaseWords(query).size, 0);
      assert.ok(normaliseQuery(query).length >= n);
    });
  }

  it('parse 200,000-character queries of runs in other scripts, each run read as one word (CJK as its bigrams)', () => {
    const partLengths = (query: string): number[] => parseQuery(query, () => false).parts.map((p) => p.text.length);
    assert.deepEqual(partLengths('é'.repeat(n)), [n], 'accented letters with no `.`');
    assert.deepEqual(partLengths('計'.repeat(n)), [2], 'CJK letters with no `.`: one distinct bigram');
    assert.deepEqual(partLengths('e\u0301'.repeat(n / 2)), [n], 'letters with combining marks');
    assert.deepEqual(partLengths('٣'.repeat(n)), [], 'Arabic-Indic digits with no letter after them');
    // Parts of one character are noise, but a word with digits is a name.
    assert.equal(parseQuery('é٣'.repeat(n / 2), () => false).names[0]?.length, n, 'accented letters each after a digit of another script');
    for (const query of ['é'.repeat(n), '計'.repeat(n), '٣'.repeat(n), 'é٣'.repeat(n / 2), 'a1\u0301'.repeat(n / 3)]) {
      assert.deepEqual(parseQuery(query, () => false).qualified, []);
      assert.equal(camelCaseWords(query).size, 0);
    }
  });
});
