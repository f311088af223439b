// Queries for the latency and cache measurements, derived deterministically from the corpus itself:
// sentences of its doc comments and its own identifiers (as a developer would type them), each with
// an active file and a couple of open files from the corpus.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { Random } from '../src/core/ports';
import type { Corpus } from './corpora';
import { createSeededRandom, pick, shuffled } from './seededRandom';

export interface BenchQuery {
  readonly id: string;
  readonly query: string;
  readonly activeFile: string;
  readonly openFiles: readonly string[];
}

const DOC_BLOCK = /\/\*\*([\s\S]*?)\*\//g;
const LINE_DOC = /^\s*(?:\/\/\/?|#)\s*([A-Z][^\n]{20,})$/gm;
const PY_DOC = /"""([\s\S]*?)"""/g;
const COMPOUND_IDENTIFIER = /\b(?:[a-z]+[A-Z][A-Za-z0-9]*|[a-z]+_[a-z0-9_]+|[A-Z][a-z]+[A-Z][A-Za-z0-9]*)\b/g;

function firstSentence(comment: string): string | undefined {
  const text = comment
    .split('\n')
    .map((l) => l.replace(/^\s*\*\s?/, '').trim())
    .filter((l) => !l.startsWith('@') && !l.startsWith('```'))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  const sentence = (text.match(/^.*?[.!?](\s|$)/)?.[0] ?? text).trim();
  const words = sentence.match(/[A-Za-z]{2,}/g) ?? [];
  return words.length >= 4 && sentence.length <= 300 ? sentence : undefined;
}

function docSentences(text: string): string[] {
  const out: string[] = [];
  for (const re of [DOC_BLOCK, LINE_DOC, PY_DOC]) {
    for (const m of text.matchAll(re)) {
      const s = firstSentence(m[1] ?? '');
      if (s) out.push(s);
    }
  }
  return out;
}

const IDENTIFIER_TEMPLATES: readonly ((a: string, b: string) => string)[] = [
  (a) => `fix the bug in ${a}`,
  (a, b) => `call ${a} from ${b}`,
  (a) => `add error handling to ${a}`,
  (a) => `write a test for ${a}`,
  (a, b) => `refactor ${a} to use ${b}`,
  (a) => a.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ').toLowerCase(),
];

/** `count` distinct queries (fewer only if the corpus has almost no text), the same for the same seed. */
export function deriveQueries(corpus: Corpus, count: number, seed: number): BenchQuery[] {
  const random: Random = createSeededRandom(seed);
  const sampled = shuffled(random, corpus.files).slice(0, Math.min(corpus.files.length, Math.max(50, Math.ceil(count * 1.5))));
  const docs: { file: string; text: string }[] = [];
  const idents: { file: string; name: string }[] = [];
  for (const f of sampled) {
    const text = readFileSync(path.join(corpus.root, f.path), 'utf8');
    for (const s of docSentences(text)) docs.push({ file: f.path, text: s });
    const names = new Set(text.match(COMPOUND_IDENTIFIER) ?? []);
    for (const name of names) if (name.length >= 6) idents.push({ file: f.path, name });
  }
  const files = corpus.files.map((f) => f.path);
  const seen = new Set<string>();
  const out: BenchQuery[] = [];
  for (let attempt = 0; out.length < count && attempt < count * 20; attempt++) {
    let query: string;
    let activeFile: string;
    if (random() < 0.5 && docs.length > 0) {
      const d = pick(random, docs);
      query = d.text;
      activeFile = random() < 0.5 ? d.file : pick(random, files);
    } else if (idents.length > 0) {
      const a = pick(random, idents);
      const b = pick(random, idents);
      query = pick(random, IDENTIFIER_TEMPLATES)(a.name, b.name);
      activeFile = random() < 0.5 ? b.file : pick(random, files);
    } else break;
    if (seen.has(query)) continue;
    seen.add(query);
    out.push({ id: `q${out.length}`, query, activeFile, openFiles: [pick(random, files), pick(random, files)] });
  }
  return out;
}

/**
 * A replayed stream of `length` requests drawn from the first `pool` queries with Zipf weights (the k-th
 * most popular query is asked about 1/k as often as the first), as a developer keeps coming back to a
 * few prompts. At best 1 - distinct/length of the stream can be cache hits.
 */
export function replayStream(queries: readonly BenchQuery[], length: number, pool: number, seed: number): BenchQuery[] {
  const popular = queries.slice(0, Math.max(1, Math.min(pool, queries.length)));
  const cumulative: number[] = [];
  let total = 0;
  for (let k = 0; k < popular.length; k++) cumulative.push((total += 1 / (k + 1)));
  const random = createSeededRandom(seed);
  const out: BenchQuery[] = [];
  for (let i = 0; i < length; i++) {
    const r = random() * total;
    const q = popular[Math.min(popular.length - 1, cumulative.findIndex((c) => r < c))];
    if (q) out.push(q);
  }
  return out;
}
