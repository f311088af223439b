import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { prepareCache, readableRoot, tryWrite } from '../../../src/cli';
import { maxWorkerCount } from '../../../src/core/context/workerPool';
import { FIXTURES, tempWorkspace } from './indexerHarness';

const CLI = path.join(__dirname, '../../../src/cli.ts');
const POLYGLOT = path.join(FIXTURES, 'polyglot');

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the CLI from source (through tsx), as `node dist/cli.js` would run the bundle. */
function cli(...args: string[]): Promise<Run> {
  return cliIn(process.cwd(), ...args);
}

/** tsx's loader by its URL (a bare `--import tsx` is looked up from the current directory: see cliIn). */
const TSX = pathToFileURL(require.resolve('tsx')).href;

/** cli, run in the directory `cwd`. */
function cliIn(cwd: string, ...args: string[]): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, ['--import', TSX, CLI, ...args], { cwd, maxBuffer: 16 << 20 }, (err, stdout, stderr) => {
      const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

const ITEM_KEYS = ['endLine', 'file', 'kind', 'reasons', 'score', 'startLine', 'symbol'];

describe('contexten-context CLI', function () {
  this.timeout(60_000);
  let tmp: { root: string; cleanup: () => void };
  beforeEach(() => {
    tmp = tempWorkspace();
  });
  afterEach(() => tmp.cleanup());

  it('index --json prints exactly the contract object', async () => {
    const run = await cli('index', '--root', POLYGLOT, '--json', '--workers', '0');
    assert.equal(run.code, 0, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    const out = JSON.parse(lines[0] ?? '') as Record<string, unknown>;
    assert.deepEqual(Object.keys(out), ['files', 'definitions', 'references', 'ms', 'peakRssMb']);
    for (const v of Object.values(out)) assert.ok(Number.isInteger(v) && (v as number) >= 0);
    assert.equal(out.files, 20);
    assert.ok((out.definitions as number) > 30 && (out.references as number) > 50);
  });

  it('index --cache reuses the saved index on the next run, in worker threads', async () => {
    const cache = path.join(tmp.root, 'cache');
    const first = await cli('index', '--root', POLYGLOT, '--cache', cache, '--workers', '1');
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /^Indexed 20 files \(20 parsed, 0 unchanged, 0 skipped\)/);
    const second = await cli('index', '--root', POLYGLOT, '--cache', cache, '--workers', '1');
    assert.match(second.stdout, /^Indexed 20 files \(0 parsed, 20 unchanged, 0 skipped\)/);
  });

  it('never indexes a --cache folder inside the --root (its saved index and compile cache), and refuses the root itself', async () => {
    const ws = path.join(tmp.root, 'ws');
    mkdirSync(path.join(ws, 'src'), { recursive: true });
    writeFileSync(path.join(ws, 'src', 'engine.ts'), 'export function startEngine(owner: string): string {\n  return owner;\n}\n');
    writeFileSync(path.join(ws, 'src', 'cache.ts'), 'export function cacheOwner(): string {\n  return "owner";\n}\n');
    const cache = path.join(ws, 'idx');
    // What the bundled engine (dist/) keeps there besides the saved index: its compiled code's owner, a JSON file naming
    // the install path. (Run from source, the engine compiles nothing: the file is made here.)
    mkdirSync(path.join(cache, 'compile-cache'), { recursive: true });
    writeFileSync(path.join(cache, 'compile-cache', 'owner.json'), `${JSON.stringify({ engine: path.join(tmp.root, 'dist', 'engine.js'), owner: 'engine compile cache' })}\n`);
    const first = await cli('index', '--root', ws, '--cache', cache, '--json', '--workers', '0');
    assert.equal(first.code, 0, first.stderr);
    const second = await cli('index', '--root', ws, '--cache', cache, '--json', '--workers', '0');
    assert.equal(second.code, 0, second.stderr);
    assert.deepEqual([(JSON.parse(first.stdout) as { files: number }).files, (JSON.parse(second.stdout) as { files: number }).files], [2, 2]);
    const run = await cli('context', '--root', ws, '--cache', cache, '--query', 'engine owner cache compile', '--json', '--workers', '0');
    assert.equal(run.code, 0, run.stderr);
    const files = (JSON.parse(run.stdout) as { items: { file: string }[] }).items.map((i) => i.file);
    assert.ok(files.length > 0 && files.every((f) => f.startsWith('src/')), files.join(', '));

    const atRoot = await cli('index', '--root', ws, '--cache', ws, '--json', '--workers', '0');
    assert.equal(atRoot.code, 2);
    assert.match(atRoot.stderr, /--cache .*ws: the cache cannot be a --root \(its files would be indexed\)/);
    assert.equal(atRoot.stdout, '');
  });

  it('refuses an empty --root or --cache (not the current directory)', async () => {
    // (Run in a directory of one file: taken as the current directory, it would be indexed, and exit 0.)
    writeFileSync(path.join(tmp.root, 'here.ts'), 'export function here(): void {}\n');
    for (const [args, option] of [
      [['index', '--root', '', '--json'], 'root'],
      [['index', '--root=', '--json'], 'root'],
      [['index', '--root', POLYGLOT, '--root', '', '--json'], 'root'],
      [['index', '--root', POLYGLOT, '--cache', '', '--json'], 'cache'],
      [['context', '--root', '', '--query', 'here', '--json'], 'root'],
    ] as const) {
      const run = await cliIn(tmp.root, ...args, '--workers', '0');
      assert.equal(run.code, 2, args.join(' '));
      assert.match(run.stderr, new RegExp(`--${option} needs a directory, got an empty string`));
      assert.equal(run.stdout, '');
    }
    assert.deepEqual(readdirSync(tmp.root), ['here.ts'], 'no cache made in the current directory');
  });

  it('context --queries prints one line per query, in rank order and within the budget, and reports bad lines', async () => {
    const queries = path.join(tmp.root, 'queries.jsonl');
    writeFileSync(
      queries,
      [
        JSON.stringify({ id: 'q1', query: 'parse the config file and cache it', activeFile: 'src/server.tsx', openFiles: ['src/util.ts'] }),
        '{ not json',
        JSON.stringify({ id: 'q3', activeFile: 'src/util.ts' }),
        '',
        JSON.stringify({ id: 4, query: 'evict the oldest cache entry', activeFile: null, openFiles: [] }),
        JSON.stringify({ id: 'q5', query: 'evict', openFiles: ['src/missing.ts'] }),
      ].join('\n'),
    );
    const run = await cli('context', '--root', POLYGLOT, '--queries', queries, '--budget', '1500', '--json', '--workers', '0');
    assert.equal(run.code, 1, 'some lines failed');
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(lines.map((l) => l.id), ['q1', null, 'q3', 4, 'q5']);
    // A path that is not in the index is answered without it, and said once on stderr (q1's paths exist: no warning).
    assert.ok(Array.isArray(lines[4]?.items));
    assert.match(run.stderr, /--queries line 6: "src\/missing\.ts" is not a file of the index/);
    assert.equal(run.stderr.match(/not a file of the index/g)?.length, 1, run.stderr);
    assert.deepEqual([lines[1]?.line, lines[2]?.line], [2, 3]);
    assert.ok(typeof lines[1]?.error === 'string' && typeof lines[2]?.error === 'string');
    assert.match(run.stderr, /--queries line 2:/);
    assert.match(run.stderr, /--queries line 3: .*query/);
    // Without --json every line, good or bad, is one line of text (bad ones were JSON among them).
    const text = await cli('context', '--root', POLYGLOT, '--queries', queries, '--budget', '1500', '--workers', '0');
    assert.equal(text.code, 1);
    const textLines = text.stdout.trim().split('\n');
    assert.equal(textLines.length, 5);
    assert.match(textLines[0] ?? '', /^q1: \d+ items, \d+ chars$/);
    assert.match(textLines[1] ?? '', /^line 2: error: /);
    assert.match(textLines[2] ?? '', /^q3: error: not a query line: query: /);
    assert.ok(!textLines.some((l) => l.startsWith('{')), text.stdout);

    for (const result of [lines[0], lines[3]]) {
      assert.ok(result);
      assert.deepEqual(Object.keys(result), ['id', 'items', 'chars', 'ms']);
      const items = result.items as Record<string, unknown>[];
      assert.ok(items.length > 0);
      assert.ok((result.chars as number) <= 1500);
      let previous = Number.POSITIVE_INFINITY;
      for (const item of items) {
        assert.deepEqual(Object.keys(item).sort(), ITEM_KEYS);
        const file = item.file as string;
        assert.ok(!file.includes('\\') && !path.isAbsolute(file));
        const lineCount = readFileSync(path.join(POLYGLOT, file), 'utf8').split('\n').length;
        const [start, end] = [item.startLine as number, item.endLine as number];
        assert.ok(start >= 1 && start <= end && end <= lineCount, `${file} ${start}-${end}`);
        assert.ok((item.score as number) <= previous);
        previous = item.score as number;
        assert.ok(Array.isArray(item.reasons) && item.reasons.length > 0);
      }
    }
    const first = lines[0]?.items as { symbol: string }[];
    assert.ok(first.some((i) => i.symbol === 'parseConfig'), JSON.stringify(first));
    const fourth = lines[3]?.items as { symbol: string }[];
    assert.ok(fourth.some((i) => i.symbol === 'LruCache.evictOldest'), JSON.stringify(fourth));
  });

  it('context --queries checks a line before naming its paths, keeps ids exact, and reads UTF-8 only', async () => {
    const queries = path.join(tmp.root, 'queries.jsonl');
    const tooMany = Array.from({ length: 1_001 }, (_, i) => `src/nope${i}.ts`);
    writeFileSync(
      queries,
      [
        // Past 2^53 − 1 JSON.parse reads another number (12345678901234567000): refused, not echoed changed.
        '{"id":12345678901234567890,"query":"parse the config"}',
        JSON.stringify({ id: 'many', query: 'parse the config', openFiles: tooMany }),
        JSON.stringify({ id: 9007199254740991, query: 'evict the oldest cache entry' }),
        // An id of neither documented kind is not echoed either (the line's number is).
        JSON.stringify({ id: { x: 1 }, query: 'parse the config' }),
      ].join('\n'),
    );
    const run = await cli('context', '--root', POLYGLOT, '--queries', queries, '--budget', '1500', '--json', '--workers', '0');
    assert.equal(run.code, 1, run.stderr);
    const lines = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((l) => [l.id, l.line ?? null]),
      [
        [null, 1],
        ['many', 2],
        [9007199254740991, null],
        [null, 4],
      ],
    );
    assert.match(String(lines[3]?.error), /not a query line: id/);
    assert.match(String(lines[0]?.error), /id: a number id past 2\^53 − 1 does not survive JSON: give it as a string/);
    assert.match(String(lines[1]?.error), /openFiles/);
    assert.ok(Array.isArray(lines[2]?.items));
    // The rejected line's 1,001 paths were never looked up (each would have been named on stderr).
    assert.doesNotMatch(run.stderr, /not a file of the index/);

    const withHints = await cli('context', '--root', POLYGLOT, '--queries', queries, '--active-file', 'src/util.ts', '--json');
    assert.equal(withHints.code, 2);
    assert.match(withHints.stderr, /--active-file and --open-file go with --query; with --queries each line gives its own/);
    assert.equal(withHints.stdout, '');

    // UTF-16 (with its byte-order mark, as Windows PowerShell 5's `>` writes) and bytes that are no UTF-8 at all.
    const line = JSON.stringify({ id: 'q', query: 'parse the config' });
    const utf16 = path.join(tmp.root, 'utf16.jsonl');
    writeFileSync(utf16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(line, 'utf16le')]));
    const latin1 = path.join(tmp.root, 'latin1.jsonl');
    writeFileSync(latin1, Buffer.from(JSON.stringify({ id: 'q', query: 'caf\u00e9 config' }), 'latin1'));
    // Without a byte-order mark, UTF-16 is valid UTF-8 (its ASCII characters' NUL bytes), as are a binary file's NULs.
    const utf16Bare = path.join(tmp.root, 'utf16-bare.jsonl');
    writeFileSync(utf16Bare, Buffer.from(`${line}\n${line}\n`, 'utf16le'));
    const binary = path.join(tmp.root, 'binary.jsonl');
    writeFileSync(binary, Buffer.concat([Buffer.from(`${line}\n`), Buffer.from([0, 1, 2, 0])]));
    for (const [file, what] of [
      [utf16, 'is UTF-16 text'],
      [latin1, 'is not UTF-8 text'],
      [utf16Bare, 'holds NUL bytes \\(UTF-16 or binary\\)'],
      [binary, 'holds NUL bytes \\(UTF-16 or binary\\)'],
    ] as const) {
      const bad = await cli('context', '--root', POLYGLOT, '--queries', file, '--json');
      assert.equal(bad.code, 2, file);
      assert.match(bad.stderr, new RegExp(`--queries .*: the file ${what}; save it as UTF-8, one JSON object per line`));
      assert.equal(bad.stdout, '');
    }
    // Lines ending at a lone CR (as old Mac editors save) are lines, as those ending at CR LF or LF.
    const crLines = path.join(tmp.root, 'cr.jsonl');
    writeFileSync(crLines, [JSON.stringify({ id: 'a', query: 'parse the config' }), JSON.stringify({ id: 'b', query: 'evict' }), JSON.stringify({ id: 'c', query: 'cache' })].join('\r') + '\r\n');
    const cr = await cli('context', '--root', POLYGLOT, '--queries', crLines, '--json', '--workers', '0');
    assert.equal(cr.code, 0, cr.stderr);
    assert.deepEqual(cr.stdout.trim().split('\n').map((l) => (JSON.parse(l) as { id: unknown }).id), ['a', 'b', 'c']);
  });

  it('context --query prints the assembled context, or one JSON line with --json', async () => {
    const text = await cli('context', '--root', POLYGLOT, '--query', 'parseConfig', '--active-file', 'src/server.tsx', '--budget', '4000', '--workers', '0');
    assert.equal(text.code, 0, text.stderr);
    assert.match(text.stdout, /### src\/config\.ts \(lines \d+-\d+\): function parseConfig/);
    const json = await cli('context', '--root', POLYGLOT, '--query', 'parseConfig', '--json', '--workers', '0');
    const lines = json.stdout.trim().split('\n');
    assert.equal(lines.length, 1);
    assert.deepEqual(Object.keys(JSON.parse(lines[0] ?? '{}') as object), ['items', 'chars', 'ms']);
  });

  it('--root repeated indexes the folders as one workspace, paths starting with the folder name', async () => {
    const api = path.join(tmp.root, 'api');
    const web = path.join(tmp.root, 'web');
    mkdirSync(path.join(api, 'src'), { recursive: true });
    mkdirSync(path.join(web, 'src'), { recursive: true });
    writeFileSync(path.join(api, 'src', 'total.ts'), 'export function computeInvoiceTotal(lines: number[]): number {\n  return lines.reduce((a, b) => a + b, 0);\n}\n');
    writeFileSync(path.join(web, 'src', 'total.ts'), '// the same relative path in the other folder\n\nexport function renderInvoiceTotal(lines: number[]): string {\n  return String(computeInvoiceTotal(lines));\n}\n');
    const one = await cli('index', '--root', api, '--json', '--workers', '0');
    const both = await cli('index', '--root', api, '--root', web, '--json', '--workers', '0');
    assert.equal(both.code, 0, both.stderr);
    assert.equal((JSON.parse(one.stdout) as { files: number }).files, 1);
    assert.equal((JSON.parse(both.stdout) as { files: number }).files, 2);

    const run = await cli('context', '--root', api, '--root', web, '--query', 'render the invoice total', '--active-file', 'web/src/total.ts', '--json', '--workers', '0');
    assert.equal(run.code, 0, run.stderr);
    const items = (JSON.parse(run.stdout) as { items: { file: string; symbol: string; startLine: number; endLine: number }[] }).items;
    const bySymbol = new Map(items.map((i) => [i.symbol, i]));
    assert.equal(bySymbol.get('renderInvoiceTotal')?.file, 'web/src/total.ts', JSON.stringify(items));
    assert.equal(bySymbol.get('computeInvoiceTotal')?.file, 'api/src/total.ts', JSON.stringify(items));
    // Lines are the folder file's own.
    assert.deepEqual([bySymbol.get('renderInvoiceTotal')?.startLine, bySymbol.get('renderInvoiceTotal')?.endLine], [3, 5]);

    // A path without its folder's name is not a file of this index: said on stderr, the answer still printed.
    const unprefixed = await cli('context', '--root', api, '--root', web, '--query', 'invoice total', '--active-file', 'src/total.ts', '--json', '--workers', '0');
    assert.equal(unprefixed.code, 0, unprefixed.stderr);
    assert.match(unprefixed.stderr, /"src\/total\.ts" is not a file of the index/);
    assert.equal(unprefixed.stdout.trim().split('\n').length, 1);
    assert.doesNotMatch(run.stderr, /not a file of the index/);

    const missing = await cli('index', '--root', api, '--root', path.join(tmp.root, 'nope'), '--json');
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--root .*nope: no such directory/);
  });

  it('ends quietly when the reader of its output stops early (a closed pipe), and says when a queries file has none', async () => {
    const queries = path.join(tmp.root, 'many.jsonl');
    // (The first line is no query: the run's exit code says so however early the reader stops.)
    writeFileSync(queries, ['{"query":1}', ...Array.from({ length: 400 }, (_, i) => JSON.stringify({ id: i, query: 'parse the config and evict the oldest cache entry' }))].join('\n'));
    const cache = path.join(tmp.root, 'cache');
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'context', '--root', POLYGLOT, '--queries', queries, '--json', '--workers', '0', '--cache', cache], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // As `| head -c 100` does: the first output read, then the pipe closed.
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await once(child, 'exit')) as [number | null];
    assert.equal(code, 1, stderr);
    assert.doesNotMatch(stderr, /EPIPE|Unhandled/);
    // It ended as usual: the index saved, no temporary file left.
    const saved = readdirSync(cache);
    assert.ok(saved.some((f) => /^context-index-.*\.bin$/.test(f)), saved.join(', '));
    assert.ok(!saved.some((f) => f.endsWith('.tmp')), saved.join(', '));

    const empty = path.join(tmp.root, 'empty.jsonl');
    writeFileSync(empty, '\n\n');
    const none = await cli('context', '--root', POLYGLOT, '--queries', empty, '--json', '--workers', '0');
    assert.equal(none.code, 0);
    assert.equal(none.stdout, '');
    assert.match(none.stderr, /--queries .*empty\.jsonl: no query lines/);
  });

  it('says why a --cache folder cannot be made (a read-only file system), not the ENOENT of a recursive mkdir', async () => {
    // Node's recursive mkdir reports EROFS (or EACCES, ENOSPC) as ENOENT; a read-only mount needs privileges, so mkdir is
    // faked as it behaves on one (errors as Node words them).
    const made: string[] = [];
    const readOnly = (dir: string, options?: { recursive: true }): Promise<unknown> => {
      made.push(`${options?.recursive === true ? 'recursive ' : ''}${dir}`);
      const [code, what] = options?.recursive === true ? ['ENOENT', 'no such file or directory'] : ['EROFS', 'read-only file system'];
      return Promise.reject(Object.assign(new Error(`${code}: ${what}, mkdir '${dir}'`), { code, syscall: 'mkdir', path: dir }));
    };
    const cache = path.join(tmp.root, 'ro', 'cache', 'deeper');
    await assert.rejects(prepareCache(cache, [POLYGLOT], readOnly), (err: Error) => {
      assert.equal(err.message, `--cache ${cache}: cannot make the directory (EROFS: read-only file system, mkdir '${path.join(tmp.root, 'ro')}')`);
      return true;
    });
    assert.deepEqual(made, [`recursive ${cache}`, path.join(tmp.root, 'ro')]);
  });

  it('refuses a --cache folder it cannot write in (read-only, no permission), and leaves no file in one it can', async () => {
    // (Run as root, a folder's permissions restrict nothing: the failing write is faked, as Node words it.)
    const cache = path.join(tmp.root, 'ro');
    mkdirSync(cache);
    const denied = (dir: string): Promise<unknown> => Promise.reject(Object.assign(new Error(`EACCES: permission denied, open '${dir}/x.tmp'`), { code: 'EACCES' }));
    await assert.rejects(prepareCache(cache, [POLYGLOT], undefined, denied), (err: Error) => {
      assert.equal(err.message, `--cache ${cache}: cannot write in the directory (EACCES: permission denied, open '${cache}/x.tmp')`);
      return true;
    });
    await prepareCache(cache, [POLYGLOT]);
    assert.deepEqual(readdirSync(cache), []);
  });

  it('checks a --cache folder shared by runs starting at once (same pid in containers, same millisecond) without failing one', async () => {
    const cache = path.join(tmp.root, 'shared');
    mkdirSync(cache);
    // (This process's pid for every "run": as in CI containers of their own.)
    const results = await Promise.allSettled(Array.from({ length: 40 }, () => tryWrite(cache)));
    assert.deepEqual(results.filter((r) => r.status === 'rejected').map((r) => String((r as PromiseRejectedResult).reason)), []);
    assert.deepEqual(readdirSync(cache), []);
  });

  it('refuses a --cache that is a --root before writing anything into it', async () => {
    const written: string[] = [];
    const recording = (dir: string): Promise<unknown> => {
      written.push(dir);
      return Promise.resolve();
    };
    await assert.rejects(prepareCache(tmp.root, [tmp.root], undefined, recording), /the cache cannot be a --root/);
    assert.deepEqual(written, [], 'no file was written into the root');
  });

  it('refuses a --root it cannot read (no permission) instead of indexing nothing', async () => {
    const denied = (dir: string): Promise<unknown> => Promise.reject(Object.assign(new Error(`EACCES: permission denied, opendir '${dir}'`), { code: 'EACCES' }));
    await assert.rejects(readableRoot(tmp.root, denied), (err: Error) => {
      assert.equal(err.message, `--root ${tmp.root}: cannot read the directory (EACCES: permission denied, opendir '${tmp.root}')`);
      assert.equal(err.constructor.name, 'UsageError');
      return true;
    });
    assert.equal(await readableRoot(tmp.root), tmp.root);
  });

  it('index --verbose logs the files it skips (too large, binary extension) and counts them', async () => {
    writeFileSync(path.join(tmp.root, 'a.ts'), 'export function a() {}\n');
    writeFileSync(path.join(tmp.root, 'big.ts'), `export const big = '${'x'.repeat(3000)}';\n`);
    writeFileSync(path.join(tmp.root, 'logo.png'), Buffer.from([0x89, 0x50, 0x4e, 0x47]));
    const run = await cli('index', '--root', tmp.root, '--workers', '0', '--max-file-kb', '1', '--verbose');
    assert.equal(run.code, 0, run.stderr);
    assert.match(run.stdout, /^Indexed 1 files \(1 parsed, 0 unchanged, 2 skipped\)/);
    assert.match(run.stderr, /\[debug\] context: skipped .*big\.ts \(too-large\)/);
    assert.match(run.stderr, /\[debug\] context: skipped .*logo\.png \(binary\)/);
  });

  // (Split in five: each runs the CLI from source several times, ~1–2 s a run, which a loaded machine slows several-fold.)
  it('rejects bad input with a message and a non-zero exit', async () => {
    const missingRoot = await cli('index', '--root', path.join(tmp.root, 'nope'), '--json');
    assert.equal(missingRoot.code, 2);
    assert.match(missingRoot.stderr, /--root .*nope: no such directory/);
    assert.equal(missingRoot.stdout, '');
    const unreadable = await cli('context', '--root', POLYGLOT, '--queries', path.join(tmp.root, 'none.jsonl'), '--json');
    assert.equal(unreadable.code, 2);
    assert.match(unreadable.stderr, /--queries .*none\.jsonl: ENOENT/);
    const usage = await cli('context', '--root', POLYGLOT, '--budget', 'lots', '--query', 'x');
    assert.equal(usage.code, 2);
    assert.match(usage.stderr, /--budget must be a whole number/);
  });

  it('refuses a --query the engine would refuse as a usage error, before indexing', async () => {
    // (It failed with exit 1 only after the whole index was built: 1,001 open files are over the engine's limit.)
    const cache = path.join(tmp.root, 'bad-query-cache');
    const tooMany = Array.from({ length: 1_001 }, (_, i) => ['--open-file', `src/nope${i}.ts`]).flat();
    const bad = await cli('context', '--root', POLYGLOT, '--cache', cache, '--query', 'parse the config', ...tooMany, '--json', '--workers', '0');
    assert.equal(bad.code, 2, bad.stderr);
    assert.match(bad.stderr, /contexten-context: --open-file: Invalid context query: openFiles: Too big/, 'the option named is the one at fault');
    assert.doesNotMatch(bad.stderr, /nope0/, 'its paths are not looked up');
    assert.equal(bad.stdout, '');
    assert.deepEqual(existsSync(cache) ? readdirSync(cache).filter((f) => f.endsWith('.bin')) : [], [], 'no index was built (nor saved)');
  });

  it('rejects budgets Number() would misread', async () => {
    // Number() would read these as 0, 1000, 32 and 40; a budget over the query limit failed only after indexing.
    for (const budget of ['', '1e3', '0x20', ' 40', '100000001']) {
      const bad = await cli('context', '--root', POLYGLOT, `--budget=${budget}`, '--query', 'x', '--json');
      assert.equal(bad.code, 2, `--budget "${budget}"`);
      assert.match(bad.stderr, /--budget must be a whole number from 0 to 100000000, got/);
      assert.equal(bad.stdout, '');
    }
  });

  it('caps --workers at what the machine takes, with a warning', async () => {
    // More parse workers than twice the cores only cost memory and time (64 on 2 cores: 50 s and 1.4 GB for 5,000 files).
    const most = maxWorkerCount();
    const tooMany = await cli('index', '--root', POLYGLOT, '--workers', String(most + 1), '--json');
    assert.equal(tooMany.code, 0, tooMany.stderr);
    assert.match(tooMany.stderr, new RegExp(`\\[warn\\] --workers ${most + 1} is more than this machine takes \\(${most}:.*using ${most}`));
    const plain = await cli('index', '--root', POLYGLOT, '--json', '--workers', '0');
    const files = (run: Run): unknown => (JSON.parse(run.stdout) as { files: unknown }).files;
    assert.equal(files(tooMany), files(plain));
  });

  it('says a file is not a directory where --root or --cache wants one', async () => {
    // A file where a directory is wanted: said so (not "no such directory"), and --cache refused before indexing
    // (it would only fail every save with a warning, and the run succeed without its cache).
    const file = path.join(tmp.root, 'a-file.txt');
    writeFileSync(file, 'x');
    const fileRoot = await cli('index', '--root', file, '--json');
    assert.equal(fileRoot.code, 2);
    assert.match(fileRoot.stderr, /--root .*a-file\.txt: not a directory/);
    const fileCache = await cli('index', '--root', POLYGLOT, '--cache', file, '--json');
    assert.equal(fileCache.code, 2);
    assert.match(fileCache.stderr, /--cache .*a-file\.txt: not a directory/);
    assert.equal(fileCache.stdout, '');
    // Nor a --cache under a file (no directory can be made there): the file in the way named.
    const underFile = await cli('index', '--root', POLYGLOT, '--cache', path.join(file, 'sub', 'deeper'), '--json');
    assert.equal(underFile.code, 2, underFile.stderr);
    assert.match(underFile.stderr, /--cache .*a-file\.txt\/sub\/deeper: .*a-file\.txt is not a directory/);
    assert.equal(underFile.stdout, '');
  });

  it('rejects an unknown command', async () => {
    const unknown = await cli('frobnicate');
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown command "frobnicate"/);
  });
});
