import assert from 'node:assert/strict';
import { isReferenceName } from '../../../src/core/context/identifierScanner';
import { IdentifierTable } from '../../../src/core/context/identifierTable';
import type { ParsedLanguage } from '../../../src/core/context/languages';
import type { Definition } from '../../../src/core/context/model';
import { IntBuffer } from '../../../src/core/context/intBuffer';
import { hashWord, lexWords } from '../../../src/core/context/sourceLexer';
import { collectReferences } from '../../../src/core/context/symbolExtractor';
import { seededRandom } from './builders';

const VOCABULARY = ['value', 'Value', 'get', 'return', 'self', 'a$b', 'x', 'ab', 'ba', 'ab1', 'café', 'new', 'Self', 'len', 'item'];
const LANGUAGES: readonly ParsedLanguage[] = ['typescript', 'python', 'rust', 'go', 'java'];

/** What IdentifierTable answers, the slow way: a Map from name to index, and isReferenceName per occurrence. */
class NaiveTable {
  readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  constructor(private readonly language: ParsedLanguage) {}
  add(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      i = this.names.push(name) - 1;
      this.index.set(name, i);
    }
    return i;
  }
  referenceId(name: string): number {
    return isReferenceName(name, this.language) ? this.add(name) : -1;
  }
}

describe('identifier table', () => {
  it('gives the indexes a Map would, and -1 for keywords and other non-references, on random words', () => {
    const random = seededRandom(3);
    for (let round = 0; round < 50; round++) {
      const language = LANGUAGES[round % LANGUAGES.length] ?? 'typescript';
      const table = new IdentifierTable(language);
      const naive = new NaiveTable(language);
      // Definition names first, keywords among them; then enough distinct words to make the table grow.
      for (let i = 0; i < 3; i++) {
        const name = VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? '';
        assert.equal(table.add(name), naive.add(name));
      }
      const text = Array.from({ length: 600 }, () =>
        random() < 0.6 ? (VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? '') : `w${Math.floor(random() * 400).toString(36)}`,
      ).join(' ');
      for (let start = 0; start < text.length; ) {
        let end = text.indexOf(' ', start);
        if (end < 0) end = text.length;
        const word = text.slice(start, end);
        assert.equal(table.referenceId(text, start, end, hashWord(text, start, end)), naive.referenceId(word), `${language}: ${word}`);
        start = end + 1;
      }
      assert.deepEqual(table.names, naive.names);
    }
  });

  it('copies into a table that answers the same and grows apart from the original', () => {
    const text = 'value return Value get x return';
    const words = (t: IdentifierTable): number[] =>
      text.split(' ').map((w, i, all) => {
        const start = all.slice(0, i).join(' ').length + (i > 0 ? 1 : 0);
        return t.referenceId(text, start, start + w.length, hashWord(text, start, start + w.length));
      });
    const table = new IdentifierTable('typescript');
    table.add('get');
    const ids = words(table);
    const twin = table.copy();
    assert.deepEqual(twin.names, table.names);
    // Keywords stay non-references, known names keep their ids, and a new name goes to the copy only.
    assert.deepEqual(words(twin), ids);
    assert.equal(twin.add('fresh'), table.names.length);
    assert.equal(twin.referenceId('fresh', 0, 5, hashWord('fresh', 0, 5)), table.names.length);
    assert.deepEqual(twin.names, [...table.names, 'fresh']);
    assert.equal(table.referenceId('other', 0, 5, hashWord('other', 0, 5)), twin.names.length - 1);
    assert.deepEqual(words(table), ids);
  });
});

/** collectReferences the slow way: every word, innermost enclosing definition by search, line by counting. */
function naiveReferences(text: string, language: ParsedLanguage, definitions: readonly Definition[], nameStarts: ReadonlySet<number>): { refs: number[]; identifiers: string[] } {
  const table = new NaiveTable(language);
  for (const d of definitions) table.add(d.name);
  const words = new IntBuffer();
  lexWords(text, language, words);
  const seen = new Set<string>();
  const refs: number[] = [];
  for (let w = 0; w < words.length; w += 3) {
    const start = words.data[w] ?? 0;
    const name = text.slice(start, words.data[w + 1]);
    if (nameStarts.has(start)) continue;
    const id = table.referenceId(name);
    if (id < 0) continue;
    let enclosing = 0;
    definitions.forEach((d, i) => {
      const current = definitions[enclosing - 1];
      const inner = !current || d.startIndex > current.startIndex || (d.startIndex === current.startIndex && d.endIndex <= current.endIndex);
      if (d.startIndex <= start && start < d.endIndex && inner) enclosing = i + 1;
    });
    const key = `${id}:${enclosing}`;
    if (seen.has(key)) continue;
    seen.add(key);
    refs.push(id, enclosing);
  }
  return { refs, identifiers: table.names };
}

describe('reference collection', () => {
  it('equals the slow way on random texts with nested definitions, in order or not', () => {
    const random = seededRandom(5);
    for (let round = 0; round < 40; round++) {
      const language = LANGUAGES[round % LANGUAGES.length] ?? 'typescript';
      const pieces = Array.from({ length: 300 }, () => {
        const r = random();
        if (r < 0.1) return '\n';
        if (r < 0.15) return '"str value"';
        return VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? '';
      });
      const text = pieces.join(' ');
      // Nested definitions: an outer range and ranges inside it, named after words of the text.
      const definitions: Definition[] = [];
      const nameStarts = new Set<number>();
      const ranges: [number, number][] = [[0, text.length]];
      for (let i = 0; i < 4; i++) {
        const a = Math.floor(random() * text.length);
        const b = a + Math.floor(random() * (text.length - a) * 0.3);
        if (ranges.every(([s, e]) => (a >= s && b <= e) || b <= s || a >= e)) ranges.push([a, b]);
      }
      ranges.sort((x, y) => x[0] - y[0] || y[1] - x[1]);
      for (const [s, e] of ranges) {
        const name = VOCABULARY[Math.floor(random() * VOCABULARY.length)] ?? 'item';
        const at = text.indexOf(` ${name} `, s);
        if (at >= 0 && at + 1 < e) nameStarts.add(at + 1);
        definitions.push({ id: `f#${name}#1`, file: 'f', name, kind: 'function', startLine: 1, endLine: 1, startIndex: s, endIndex: e, signature: '', signatureEndLine: 1, exported: false });
      }
      // Every other round the definitions come out of order (the extractor gives them in order).
      if (round % 2 === 1) {
        for (let i = definitions.length - 1; i > 0; i--) {
          const j = Math.floor(random() * (i + 1));
          [definitions[i], definitions[j]] = [definitions[j] as Definition, definitions[i] as Definition];
        }
      }
      const fast = collectReferences(text, language, definitions, [...nameStarts]);
      const slow = naiveReferences(text, language, definitions, nameStarts);
      assert.deepEqual({ refs: [...fast.refs], identifiers: fast.identifiers }, slow, `round ${round} (${language})`);
      assert.equal(fast.refStarts.length * 2, fast.refs.length);
    }
  });
});
