// Baseline A: Okapi BM25 over definitions (Robertson & Zaragoza, "The Probabilistic Relevance
// Framework: BM25 and Beyond"). Every definition is one document: its doc comment plus its whole
// text, tokenised into words and identifier sub-tokens. No graph, no proximity: pure lexical.
import type { Definition, IndexedFile } from '../../src/core/context/model';
import type { RankedDefinition } from './baselinePacking';
import { textTokens } from './textTokens';

const K1 = 1.2;
const B = 0.75;

interface Posting {
  readonly doc: number;
  readonly tf: number;
}

export class Bm25DefinitionBaseline {
  private readonly postings = new Map<string, Posting[]>();
  private readonly lengths: number[] = [];
  private readonly definitions: Definition[] = [];
  private readonly averageLength: number;

  /** `lines(file)` gives the file's text split into lines; a definition's document is its doc comment and whole text. */
  constructor(files: Iterable<IndexedFile>, lines: (file: string) => readonly string[]) {
    for (const file of files) {
      const fileLines = lines(file.path);
      for (const def of file.definitions) {
        const doc = this.definitions.length;
        this.definitions.push(def);
        const start = def.docStartLine !== undefined && def.docStartLine <= def.startLine ? def.docStartLine : def.startLine;
        const tokens = textTokens(fileLines.slice(start - 1, def.endLine).join('\n'));
        this.lengths.push(tokens.length);
        const tf = new Map<string, number>();
        for (const t of tokens) tf.set(t, (tf.get(t) ?? 0) + 1);
        for (const [term, n] of tf) {
          const list = this.postings.get(term) ?? [];
          list.push({ doc, tf: n });
          this.postings.set(term, list);
        }
      }
    }
    this.averageLength = this.lengths.length === 0 ? 0 : this.lengths.reduce((s, n) => s + n, 0) / this.lengths.length;
  }

  /** Definitions with a positive score, best first (ties broken by id for determinism). */
  rank(query: string): RankedDefinition[] {
    const n = this.definitions.length;
    const scores = new Map<number, number>();
    for (const term of new Set(textTokens(query))) {
      const list = this.postings.get(term);
      if (!list) continue;
      const idf = Math.log(1 + (n - list.length + 0.5) / (list.length + 0.5));
      for (const { doc, tf } of list) {
        const len = this.lengths[doc] ?? 0;
        const s = (idf * tf * (K1 + 1)) / (tf + K1 * (1 - B + (B * len) / (this.averageLength || 1)));
        scores.set(doc, (scores.get(doc) ?? 0) + s);
      }
    }
    return [...scores]
      .map(([doc, score]) => ({ definition: this.definitions[doc] as Definition, score }))
      .sort((a, b) => b.score - a.score || (a.definition.id < b.definition.id ? -1 : 1));
  }
}
