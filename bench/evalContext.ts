// `npm run eval:context`: does the engine pick the context a model needs better than the baselines?
// For each corpus: real documented functions have their bodies removed in a copy of the corpus; the
// query is the doc comment, the active file the function's file, and the gold set the definitions in
// other files the removed body used. The engine, baseline A (BM25 over definitions) and baseline B
// (aider-style PageRank repo map) rank over the same index with the same budgets and the same packer.
// Prints recall@8,000 / @32,000 chars and MRR, and writes bench/results/eval-latest.json.
//   EVAL_SEED=n   sample other cases (the default seed's cases are the ones anybody tunes against; a
//                 second seed is the check that improvements are not fitted to them)
//   EVAL_CORPORA=effect,monaco,gyp   the corpora to run (all by default)
import { readFile, writeFile, mkdir } from 'node:fs/promises';
import path from 'node:path';
import { formatTable } from './benchReport';
import { BENCH_CACHE, copyCorpus, EFFECT_CORPUS, ensureNpmCorpus, GYP_CORPUS, MONACO_CORPUS, REPO_ROOT, type NpmCorpusSpec } from './corpora';
import { extractEvalCases, removeBodies, type EvalCase, type EvalCaseOptions } from './evalCases';
import { extractPythonEvalCases } from './evalCasesPython';
import { indexForEval } from './evalIndex';
import { EVAL_BUDGETS, runEval, summarise, SYSTEMS, type CaseScore, type EvalSummary, type SystemName } from './evalRunner';

const DEFAULT_EVAL_SEED = 20240601;

interface EvalCorpus {
  readonly spec: NpmCorpusSpec;
  readonly maxCases: number;
  readonly maxPerFile: number;
  /** The folder of the package the workspace is (its paths, the cases' included, are relative to it); the package's root when undefined. */
  readonly folder?: string;
  readonly extract: (texts: ReadonlyMap<string, string>, options: EvalCaseOptions) => Promise<EvalCase[]>;
}

/**
 * effect's src (JSDoc-rich TypeScript), monaco's esm (compiled JavaScript with JSDoc) and GYP's Python (docstrings,
 * modules imported whole). EVAL_CORPORA=name,… runs some of them.
 */
const EVAL_CORPORA: readonly EvalCorpus[] = [
  { spec: EFFECT_CORPUS, maxCases: 120, maxPerFile: 4, extract: extractEvalCases },
  { spec: MONACO_CORPUS, maxCases: 100, maxPerFile: 2, extract: extractEvalCases },
  { spec: GYP_CORPUS, maxCases: 100, maxPerFile: 6, folder: 'gyp/pylib', extract: extractPythonEvalCases },
];

const log = (line: string): void => {
  process.stderr.write(`[eval] ${line}\n`);
};

async function prepareCopy(spec: NpmCorpusSpec, corpus: EvalCorpus, seed: number): Promise<{ root: string; cases: EvalCase[] }> {
  const source = await ensureNpmCorpus(spec, log);
  const prefix = corpus.folder === undefined ? '' : `${corpus.folder}/`;
  const texts = new Map<string, string>();
  for (const f of source.files) {
    if (f.path.startsWith(prefix)) texts.set(f.path.slice(prefix.length), await readFile(path.join(source.root, f.path), 'utf8'));
  }
  const cases = await corpus.extract(texts, { maxCases: corpus.maxCases, seed, maxPerFile: corpus.maxPerFile });
  const copy = await copyCorpus(source, path.join(BENCH_CACHE, 'eval', `${spec.name}-${spec.version}`));
  const root = path.join(copy.root, corpus.folder ?? '');
  const byFile = new Map<string, EvalCase[]>();
  for (const c of cases) byFile.set(c.file, [...(byFile.get(c.file) ?? []), c]);
  for (const [file, fileCases] of byFile) {
    await writeFile(path.join(root, file), removeBodies(texts.get(file) ?? '', fileCases));
  }
  return { root, cases };
}

const pct = (v: number): string => `${(v * 100).toFixed(1)} %`;

function summaryRows(label: string, s: EvalSummary): string[][] {
  return SYSTEMS.map((name) => {
    const x = s.systems[name];
    return [
      label,
      name,
      String(s.cases),
      ...EVAL_BUDGETS.map((b) => pct(x.recall[b])),
      x.mrr.toFixed(3),
      ...EVAL_BUDGETS.map((b) => String(x.chars[b])),
      ...EVAL_BUDGETS.map((b) => pct(x.activeFileShare[b])),
      x.msPerQuery.toFixed(1),
    ];
  });
}

function verdict(s: EvalSummary): { metric: string; engine: number; best: number; bestBaseline: SystemName; beats: boolean }[] {
  const metrics: { metric: string; value: (n: SystemName) => number }[] = [
    ...EVAL_BUDGETS.map((b) => ({ metric: `recall@${b}`, value: (n: SystemName) => s.systems[n].recall[b] })),
    { metric: 'MRR', value: (n: SystemName) => s.systems[n].mrr },
  ];
  return metrics.map(({ metric, value }) => {
    const bestBaseline: SystemName = value('bm25') >= value('repo-map') ? 'bm25' : 'repo-map';
    return { metric, engine: value('engine'), best: value(bestBaseline), bestBaseline, beats: value('engine') > value(bestBaseline) };
  });
}

async function main(): Promise<void> {
  const started = performance.now();
  const seed = process.env.EVAL_SEED ? Number.parseInt(process.env.EVAL_SEED, 10) : DEFAULT_EVAL_SEED;
  if (!Number.isSafeInteger(seed)) throw new Error(`EVAL_SEED must be an integer, got ${process.env.EVAL_SEED ?? ''}`);
  const corpora: { name: string; summary: EvalSummary; perCase: CaseScore[] }[] = [];
  const only = process.env.EVAL_CORPORA?.split(',').map((n) => n.trim()).filter((n) => n.length > 0);
  const unknown = only?.filter((n) => !EVAL_CORPORA.some((c) => c.spec.name === n)) ?? [];
  if (unknown.length > 0) throw new Error(`EVAL_CORPORA names no corpus: ${unknown.join(', ')} (there are ${EVAL_CORPORA.map((c) => c.spec.name).join(', ')})`);
  for (const corpus of EVAL_CORPORA.filter((c) => only === undefined || only.includes(c.spec.name))) {
    log(`${corpus.spec.name}: extracting cases and writing the corpus copy`);
    const { root, cases } = await prepareCopy(corpus.spec, corpus, seed);
    log(`${corpus.spec.name}: ${cases.length} cases; indexing the copy`);
    const index = await indexForEval(root);
    log(`${corpus.spec.name}: running the engine and the baselines`);
    const perCase = await runEval(cases, index);
    await index.dispose();
    corpora.push({ name: corpus.spec.name, summary: summarise(perCase), perCase });
  }
  const allCases = corpora.flatMap((c) => c.perCase);
  const overall = summarise(allCases);
  const checks = verdict(overall);

  const header = ['corpus', 'system', 'cases', ...EVAL_BUDGETS.map((b) => `recall@${b}`), 'MRR', ...EVAL_BUDGETS.map((b) => `chars@${b}`), ...EVAL_BUDGETS.map((b) => `active@${b}`), 'ms/query'];
  const rows = [...corpora.flatMap((c) => summaryRows(c.name, c.summary)), ...summaryRows('all', overall)];
  console.log(
    `\nContext quality eval (seed ${seed}) — ${allCases.length} cases, mean ${overall.meanGold.toFixed(2)} gold definitions per case, ` +
      `${pct(overall.goldIndexed)} of them extracted by the indexer (the recall ceiling)\n`,
  );
  console.log(formatTable(header, rows));
  console.log('(recall: share of gold definitions shown; MRR at the largest budget; active@: share of the packed characters spent on the active file)\n');
  for (const c of corpora) {
    console.log(`${c.name}: ${c.summary.cases} cases, ${c.summary.meanGold.toFixed(2)} gold definitions per case, ${pct(c.summary.goldIndexed)} extracted by the indexer`);
  }
  console.log('\nEngine vs the best baseline (all cases)\n');
  console.log(
    formatTable(
      ['status', 'metric', 'engine', 'best baseline'],
      checks.map((c) => [c.beats ? 'PASS' : 'MISS', c.metric, c.metric === 'MRR' ? c.engine.toFixed(3) : pct(c.engine), `${c.metric === 'MRR' ? c.best.toFixed(3) : pct(c.best)} (${c.bestBaseline})`]),
    ),
  );

  const out = path.join(REPO_ROOT, 'bench', 'results', 'eval-latest.json');
  await mkdir(path.dirname(out), { recursive: true });
  // The summary pretty-printed; the per-case scores one line each (for diffs between runs).
  const head = JSON.stringify(
    { generatedAt: new Date().toISOString(), seed, budgets: EVAL_BUDGETS, overall, engineBeatsBaselines: checks, corpora: corpora.map((c) => ({ name: c.name, summary: c.summary })) },
    null,
    2,
  );
  const caseLines = corpora.flatMap((c) => c.perCase.map((p) => JSON.stringify({ corpus: c.name, ...p })));
  await writeFile(out, `${head.slice(0, head.lastIndexOf('}')).trimEnd()},\n  "cases": [\n    ${caseLines.join(',\n    ')}\n  ]\n}\n`);
  console.log(`\nwritten to ${path.relative(REPO_ROOT, out)} in ${((performance.now() - started) / 1000).toFixed(1)} s`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? (e.stack ?? e.message) : String(e));
  process.exit(1);
});
