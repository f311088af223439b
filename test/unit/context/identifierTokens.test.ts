import assert from 'node:assert/strict';
import { camelCaseWords, compoundTerm, identifierTerms, parseQuery, QUALIFIED, segmentWord, splitIdentifier, stem, textTerms, WORD } from '../../../src/core/context/identifierTokens';
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
    const pattern = /[A-Za-z_$][A-Za-z0-9_$]*|[0-9]+[A-Za-z][A-Za-z0-9_]*/g;
    // Pieces whose terms tell word boundaries apart (single letters are noise and would hide them).
    const alphabet = ['ab', 'Cd', 'xy', 'Q', '_', '$', '0', '7', '99', ' ', '.', '-', '(', '\n', 'é', '😀', 'parse', 'HTTPServer', 'v2', '42'];
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
  const matches = (text: string, pattern: RegExp): string[] => [...text.matchAll(pattern)].map((m) => `${m.index}:${m.join('|')}`);

  it('match what their former forms matched', () => {
    const prompts = [
      'Does `HashMap.get` call userService.save? see a.b.c and x.y.z.w',
      '3d model, 2fa.enabled, x86 and arm64, foo123bar, 12ab.cd, 99 bottles, _x, $el.value, a1.b2, 9b.c',
      'v2.parse_config $.ajax __proto__.x 1.5 3.x obj.0 a..b .a. a.',
    ];
    for (const text of prompts) {
      assert.deepEqual(matches(text, WORD), matches(text, FORMER_WORD), text);
      assert.deepEqual(matches(text, QUALIFIED), matches(text, FORMER_QUALIFIED), text);
    }
    const alphabet = ['a', 'Bc', 'x', '_', '$', '0', '7', '99', ' ', '.', '.', '`', '-', 'é', 'get', 'HashMap'];
    const random = seededRandom(42);
    for (let round = 0; round < 5_000; round++) {
      const text = Array.from({ length: Math.floor(random() * 24) }, () => alphabet[Math.floor(random() * alphabet.length)] as string).join('');
      assert.deepEqual(matches(text, WORD), matches(text, FORMER_WORD), JSON.stringify(text));
      assert.deepEqual(matches(text, QUALIFIED), matches(text, FORMER_QUALIFIED), JSON.stringify(text));
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
  ];
  for (const [what, pattern, text] of runs) {
    it(`match ${what} only from the run's start: no attempt from inside it reaches its end`, () => {
      const at = (position: number): string | undefined => {
        const sticky = new RegExp(pattern.source, 'y');
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
});
