// Baseline B: an aider-style repository map, written from aider's published description ("Building a
// better repository map with tree sitter", aider.chat, and its repo-map docs). Files are graph nodes;
// every identifier a file references that another file defines adds an edge referencer → definer,
// weighted by sqrt(#references) and by aider's multipliers (identifiers mentioned in the request ×10,
// long camel/snake/kebab identifiers ×10, `_private` ×0.1, identifiers defined in more than five
// files ×0.1, references from the files in the chat ×50). PageRank personalised to the chat files
// (here: the active and open files) ranks files; each file's rank is shared out along its outgoing
// edges to (definer, identifier) pairs, and those pairs, best first, name the definitions to send.
// Definitions in the chat files themselves are left out (they are already in the chat).
import type { Definition, IndexedFile } from '../../src/core/context/model';
import type { RankedDefinition } from './baselinePacking';

const DAMPING = 0.85;
const MAX_ITERATIONS = 100;
const TOLERANCE = 1e-6;

export interface RepoMapQuery {
  readonly query: string;
  readonly activeFile?: string;
  readonly openFiles?: readonly string[];
}

interface Edge {
  readonly to: number;
  readonly ident: string;
  readonly weight: number;
}

function isLongCompoundIdentifier(ident: string): boolean {
  if (ident.length < 8) return false;
  const snake = ident.includes('_') && /[a-z]/i.test(ident);
  const kebab = ident.includes('-');
  const camel = /[a-z]/.test(ident) && /[A-Z]/.test(ident);
  return snake || kebab || camel;
}

export class RepoMapBaseline {
  private readonly paths: string[] = [];
  private readonly fileIndex = new Map<string, number>();
  /** ident → indices of the files that define it. */
  private readonly definers = new Map<string, number[]>();
  /** ident → (file index → number of references). */
  private readonly referencers = new Map<string, Map<number, number>>();
  /** (file index, ident) → definitions. */
  private readonly definitionsByName = new Map<string, Definition[]>();

  constructor(files: Iterable<IndexedFile>) {
    for (const file of files) {
      const index = this.paths.length;
      this.paths.push(file.path);
      this.fileIndex.set(file.path, index);
      for (const def of file.definitions) {
        const key = `${index}\u0000${def.name}`;
        const list = this.definitionsByName.get(key);
        if (list) list.push(def);
        else {
          this.definitionsByName.set(key, [def]);
          const defs = this.definers.get(def.name) ?? [];
          defs.push(index);
          this.definers.set(def.name, defs);
        }
      }
      for (const ref of file.references) {
        const counts = this.referencers.get(ref.name) ?? new Map<number, number>();
        counts.set(index, (counts.get(index) ?? 0) + 1);
        this.referencers.set(ref.name, counts);
      }
    }
  }

  rank(request: RepoMapQuery): RankedDefinition[] {
    const chat = new Set<number>();
    for (const f of [request.activeFile, ...(request.openFiles ?? [])]) {
      const i = f === undefined ? undefined : this.fileIndex.get(f);
      if (i !== undefined) chat.add(i);
    }
    const mentioned = new Set(request.query.split(/\W+/).filter((w) => w.length > 0));
    const edges = this.buildEdges(chat, mentioned);
    const rank = this.pageRank(edges, chat);

    // Share each file's rank out along its edges to (definer, identifier) pairs.
    const pairRank = new Map<string, number>();
    edges.forEach((out, from) => {
      const total = out.reduce((s, e) => s + e.weight, 0);
      if (total === 0) return;
      const r = rank[from] ?? 0;
      for (const e of out) {
        const key = `${e.to}\u0000${e.ident}`;
        pairRank.set(key, (pairRank.get(key) ?? 0) + (r * e.weight) / total);
      }
    });
    const ranked: RankedDefinition[] = [];
    const pairs = [...pairRank].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1));
    for (const [key, score] of pairs) {
      const fileIndex = Number(key.slice(0, key.indexOf('\u0000')));
      if (chat.has(fileIndex)) continue;
      for (const definition of this.definitionsByName.get(key) ?? []) ranked.push({ definition, score });
    }
    return ranked;
  }

  private buildEdges(chat: ReadonlySet<number>, mentioned: ReadonlySet<string>): Edge[][] {
    const edges: Edge[][] = this.paths.map(() => []);
    for (const [ident, definers] of this.definers) {
      let mul = 1;
      if (mentioned.has(ident)) mul *= 10;
      if (isLongCompoundIdentifier(ident)) mul *= 10;
      if (ident.startsWith('_')) mul *= 0.1;
      if (definers.length > 5) mul *= 0.1;
      const refs = this.referencers.get(ident);
      if (!refs) {
        // Defined but never referenced: a weak self-edge keeps the definition rankable.
        for (const d of definers) edges[d]?.push({ to: d, ident, weight: 0.1 });
        continue;
      }
      for (const [from, count] of refs) {
        const w = mul * Math.sqrt(count) * (chat.has(from) ? 50 : 1);
        for (const to of definers) edges[from]?.push({ to, ident, weight: w });
      }
    }
    return edges;
  }

  /** Weighted PageRank by power iteration; dangling mass follows the personalisation vector. */
  private pageRank(edges: readonly Edge[][], chat: ReadonlySet<number>): number[] {
    const n = this.paths.length;
    if (n === 0) return [];
    const personal = new Array<number>(n).fill(chat.size > 0 ? 0 : 1 / n);
    for (const c of chat) personal[c] = 1 / chat.size;
    const outWeight = edges.map((out) => out.reduce((s, e) => s + e.weight, 0));
    let rank = [...personal];
    for (let iter = 0; iter < MAX_ITERATIONS; iter++) {
      const next = new Array<number>(n).fill(0);
      let dangling = 0;
      for (let from = 0; from < n; from++) {
        const r = rank[from] ?? 0;
        const total = outWeight[from] ?? 0;
        if (total === 0) {
          dangling += r;
          continue;
        }
        for (const e of edges[from] ?? []) next[e.to] = (next[e.to] ?? 0) + (DAMPING * r * e.weight) / total;
      }
      let delta = 0;
      for (let v = 0; v < n; v++) {
        const p = personal[v] ?? 0;
        const value = (next[v] ?? 0) + DAMPING * dangling * p + (1 - DAMPING) * p;
        delta += Math.abs(value - (rank[v] ?? 0));
        next[v] = value;
      }
      rank = next;
      if (delta < n * TOLERANCE) break;
    }
    return rank;
  }
}
