import * as assert from 'node:assert/strict';
import { Bm25DefinitionBaseline } from '../../../bench/baselines/bm25Baseline';
import { RepoMapBaseline } from '../../../bench/baselines/repoMapBaseline';
import type { Definition, IndexedFile, Reference } from '../../../src/core/context/model';

function def(file: string, name: string, startLine: number, endLine: number): Definition {
  return {
    id: `${file}#${name}#${startLine}`,
    file,
    name,
    kind: 'function',
    startLine,
    endLine,
    startIndex: 0,
    endIndex: 0,
    signature: `function ${name}()`,
    signatureEndLine: startLine,
    exported: true,
  };
}

function file(path: string, definitions: Definition[], refs: string[]): IndexedFile {
  const references: Reference[] = refs.map((name, i) => ({ name, line: i + 1 }));
  return { path, size: 0, mtimeMs: 0, hash: '', language: 'typescript', definitions, references, imports: [], identifiers: [] };
}

const TEXTS = new Map<string, string[]>([
  ['a.ts', ['function activeThing() {', '  parseInvoiceTotal(); renderChart(); renderChart(); renderChart()', '}']],
  ['b.ts', ['// Parses the invoice total from a ledger row.', 'function parseInvoiceTotal() {', '  return 1', '}']],
  ['c.ts', ['function renderChart() {', '  return 2', '}']],
  ['d.ts', ['function unrelatedHelper() {', '  return 3', '}']],
]);
const FILES = [
  file('a.ts', [def('a.ts', 'activeThing', 1, 3)], ['parseInvoiceTotal', 'renderChart', 'renderChart', 'renderChart']),
  file('b.ts', [{ ...def('b.ts', 'parseInvoiceTotal', 2, 4), docStartLine: 1, doc: 'Parses the invoice total from a ledger row.' }], []),
  file('c.ts', [def('c.ts', 'renderChart', 1, 3)], []),
  file('d.ts', [def('d.ts', 'unrelatedHelper', 1, 3)], []),
];
const lines = (f: string): string[] => TEXTS.get(f) ?? [];

describe('BM25 baseline', () => {
  it('ranks the definition whose text shares the rare query words first, and skips unrelated ones', () => {
    const bm25 = new Bm25DefinitionBaseline(FILES, lines);
    const ranked = bm25.rank('read the ledger invoice total');
    assert.equal(ranked[0]?.definition.name, 'parseInvoiceTotal');
    assert.ok(!ranked.some((r) => r.definition.name === 'unrelatedHelper'));
  });
});

describe('aider-style repo map baseline', () => {
  it('ranks definitions the active file references, more references first, and leaves out the active file', () => {
    const map = new RepoMapBaseline(FILES);
    const names = map.rank({ query: 'write it', activeFile: 'a.ts' }).map((r) => r.definition.name);
    assert.deepEqual(names.slice(0, 2), ['renderChart', 'parseInvoiceTotal']);
    assert.ok(!names.includes('activeThing'));
  });

  it('boosts identifiers mentioned in the request', () => {
    const map = new RepoMapBaseline(FILES);
    const names = map.rank({ query: 'use parseInvoiceTotal here', activeFile: 'a.ts' }).map((r) => r.definition.name);
    assert.equal(names[0], 'parseInvoiceTotal');
  });
});
