import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, unlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode, type FakeStatusBarItem } from '../fakes/fakeVscode';
import * as vscode from 'vscode';
import { ContextHost } from '../../../src/core/context/contextHost';
import { CancellationError } from '../../../src/core/errors';
import { createPublicApi, type PublicApiServices } from '../../../src/core/generation/publicApi';
import { FolderPaths } from '../../../src/core/context/folderPaths';
import { indexCacheFile } from '../../../src/core/context/indexPersistence';
import { contextHostScriptsFromSource, grammarLocationFromNodeModules } from '../../../src/core/context/sourceLayout';
import type { ContextResult } from '../../../src/core/context/model';
import type { StringTableBound, StringTableGrowth } from '../../../src/core/context/stringTableGrowth';
import type { SaveFailure } from '../../../src/core/context/workspaceIndex';
import { COMMANDS } from '../../../src/vscode/commands';
import { ConfigService } from '../../../src/vscode/config';
import type { Container } from '../../../src/vscode/container';
import { ContextService, INDEXING_CONTEXT_KEY } from '../../../src/vscode/contextService';
import { tempWorkspace, write } from '../context/indexerHarness';
import { RecordingLogger } from '../fakes/recordingLogger';

const REPO = path.join(__dirname, '../../..');
const LRU_QUERY = { query: 'LruCache evictOldest least recently used cache capacity' };

function filesOf(result: ContextResult): string[] {
  return [...new Set(result.items.map((i) => i.file))].sort();
}

/**
 * Each engine's save-failure event, after the service's listener has taken it: `next()` before the engine that fails
 * starts, awaited after; `restore()` at the end.
 */
function saveFailures(): { next: () => Promise<void>; restore: () => void } {
  let failed: () => void = () => undefined;
  const onSaveFailed = ContextHost.prototype.onSaveFailed;
  ContextHost.prototype.onSaveFailed = function (this: ContextHost, listener: (f: SaveFailure) => void) {
    const listening = onSaveFailed.call(this, listener);
    onSaveFailed.call(this, () => failed());
    return listening;
  };
  return {
    next: () => new Promise<void>((resolve) => (failed = resolve)),
    restore: () => {
      ContextHost.prototype.onSaveFailed = onSaveFailed;
    },
  };
}

describe('context service (the engine inside VS Code, on a fake editor)', function () {
  // The engine thread and its parser thread load TypeScript sources through tsx here: slow to start.
  this.timeout(60_000);
  let ws: { root: string; cleanup: () => void };
  let log: RecordingLogger;
  let config: ConfigService;
  let service: ContextService;
  let status: FakeStatusBarItem;

  beforeEach(() => {
    ws = tempWorkspace('polyglot');
    fakeVscode.openWorkspace(ws.root);
    log = new RecordingLogger();
    config = new ConfigService(log, {});
    service = new ContextService(vscode.Uri.file(REPO), undefined, config, log, {
      scripts: contextHostScriptsFromSource(),
      location: grammarLocationFromNodeModules(),
      parseWorkers: 1,
    });
    const item = fakeVscode.statusBarItems.at(-1);
    assert.ok(item);
    status = item;
  });
  afterEach(() => {
    service.dispose();
    config.dispose();
    ws.cleanup();
  });

  /** Resolves when the status bar says the index is ready (indexed to the end). */
  function indexed(): Promise<void> {
    const done = (): boolean => /^\$\(symbol-class\) Context: [\d,]+ files$/.test(status.text);
    if (done()) return Promise.resolve();
    return new Promise((resolve) => {
      const listening = status.textChanged.event(() => {
        if (!done()) return;
        listening.dispose();
        resolve();
      });
    });
  }

  const abs = (rel: string): string => path.join(ws.root, rel);
  const openUnedited = (rel: string): void => void fakeVscode.openDocument(abs(rel), readFileSync(abs(rel), 'utf8'));

  it('Re-index Workspace with no folder on disk says there is nothing to index (and starts no engine)', () => {
    fakeVscode.closeWorkspace();
    // (Through the command table, as the palette runs it.)
    void COMMANDS['contexten.context.reindex']({ context: service } as unknown as Container)();
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /nothing to index: open a folder on disk first/);
    assert.equal(status.visible, false);
  });

  it('sets the context key "contexten.indexing" while indexing runs (Cancel Indexing is in the palette then), and clears it when indexing ends', async () => {
    // (The palette shows Cancel Indexing by this key: package.json's when clause.)
    const key = (): unknown => fakeVscode.executed.filter((c) => c[0] === 'setContext' && c[1] === INDEXING_CONTEXT_KEY).at(-1)?.[2];
    // (Once the status bar says how indexing ended, what is left of the build is promise callbacks: run them.)
    const settled = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
    service.start();
    assert.equal(key(), true, 'set while indexing');
    await indexed();
    await settled();
    assert.equal(key(), false, 'cleared once indexed');

    // (The new engine starts once the one it replaces has closed.)
    const loading = new Promise<void>((resolve) => {
      const listening = status.textChanged.event((text) => {
        if (!text.includes('loading index')) return;
        listening.dispose();
        resolve();
      });
    });
    service.reindex();
    await loading;
    assert.equal(key(), true, 'set again while indexing again');
    const cancelled = new Promise<void>((resolve) => {
      const listening = status.textChanged.event(() => {
        if (!status.text.includes('indexing cancelled')) return;
        listening.dispose();
        resolve();
      });
    });
    await COMMANDS['contexten.context.cancelIndexing']({ context: service } as unknown as Container)();
    await cancelled;
    await settled();
    assert.equal(key(), false, 'cleared once cancelled');
  });

  it('answers a prompt in flight when the engine restarts from the new engine, not with files excluded meanwhile', async () => {
    service.start();
    await indexed();
    const query = { query: 'server configuration util legacy startup', activeFile: 'src/server.tsx' };
    assert.ok(filesOf(await service.getRelevantContext(query)).some((f) => f.startsWith('src/')), 'the old engine ranks src/ files');

    const inFlight = service.getRelevantContext(query);
    // (The user excludes src/ — secrets, say — while the prompt is ranked: the engine restarts.)
    fakeVscode.setConfiguration('contexten.context.exclude', ['src/**']);
    const answer = await inFlight;
    assert.deepEqual(
      filesOf(answer).filter((f) => f.startsWith('src/')),
      [],
      'the prompt was answered by the engine started without src/',
    );
  });

  it('gives each ranked item the URI of the file it was ranked from, which stays right after a folder of the same name is removed', async () => {
    // Three folders, two of them named src (worktrees of one repository): the index names the second one's files src-2/….
    for (const [rel, text] of Object.entries({
      'c/readme.ts': 'export const c = 1;\n',
      'a/src/billing.ts': 'export function computeInvoiceTotal(n: number) { return n * 2; } // worktree A\n',
      'b/src/billing.ts': 'export function computeInvoiceTotal(n: number) { return n * 3; } // worktree B\n',
    })) {
      write(ws.root, rel, text);
    }
    fakeVscode.changeWorkspaceFolders([abs('c'), abs('a/src'), abs('b/src')]);
    service.start();
    await indexed();
    const ranked = await service.getRelevantContext({ query: 'computeInvoiceTotal worktree' });
    const [fromA, fromB] = ['n * 2', 'n * 3'].map((code) => ranked.items.find((i) => i.text.includes(code)));
    assert.ok(fromA && fromB, JSON.stringify(ranked.items.map((i) => i.file)));
    assert.deepEqual([fromA.file, fromB.file], ['src/billing.ts', 'src-2/billing.ts']);
    // (Every item's URI is the file its text was read from.)
    for (const item of ranked.items) assert.ok(item.uri && readFileSync(fileURLToPath(item.uri), 'utf8').includes(item.text), item.file);
    // (Other extensions get them through the API: its getRelevantContext asks this service.)
    const api = createPublicApi({ context: service } as unknown as PublicApiServices);
    const viaApi = await api.getRelevantContext('computeInvoiceTotal worktree');
    assert.equal(viaApi.items.find((i) => i.file === 'src-2/billing.ts')?.uri, vscode.Uri.file(abs('b/src/billing.ts')).toString());

    // While the answer streams, the user removes a/src (not the first folder): the engine restarts, and src/ is b's now.
    fakeVscode.changeWorkspaceFolders([abs('c'), abs('b/src')]);
    await indexed();
    assert.equal(service.uriFor(fromA.file)?.fsPath, abs('b/src/billing.ts'), "the index path names worktree B's file now");
    assert.equal(fromA.uri, vscode.Uri.file(abs('a/src/billing.ts')).toString(), 'the item still names the file it was ranked from');
    assert.equal(fromB.uri, vscode.Uri.file(abs('b/src/billing.ts')).toString());
  });

  it("indexes a folder whose own contexten.context.exclude is invalid by the workspace's, warning once with Open Settings", async () => {
    fakeVscode.setConfiguration('contexten.context.exclude', ['src/**']);
    // (The folder's .vscode/settings.json: "contexten.context.exclude": "lib/**", a string, not a list.)
    fakeVscode.setFolderConfiguration(ws.root, 'contexten.context.exclude', 'lib/**');
    service.start();
    await indexed();
    const files = filesOf(await service.getRelevantContext({ query: 'server configuration util legacy startup' }));
    assert.deepEqual(files.filter((f) => f.startsWith('src/')), [], "the workspace's exclusions apply to the folder");
    fakeVscode.setConfiguration('contexten.batch.size', 5);
    const warnings = fakeVscode.messages.filter((m) => /context\.exclude" of the folder/.test(m.text));
    assert.equal(warnings.length, 1);
    assert.deepEqual(warnings[0]?.actions, ['Open Settings']);
  });

  it("cancels a prompt waiting for a busy engine thread to take the documents' edits at once; the edits still reach it", async () => {
    service.start();
    await indexed();
    // The engine thread is busy: a document's update is taken only once `release` is called.
    let release = (): void => undefined;
    const busy = new Promise<void>((resolve) => (release = resolve));
    const update = ContextHost.prototype.updateDocument;
    ContextHost.prototype.updateDocument = async function (this: ContextHost, ...args: Parameters<ContextHost['updateDocument']>) {
      await busy;
      return update.apply(this, args);
    };
    try {
      const util = fakeVscode.openDocument(abs('src/util.ts'), readFileSync(abs('src/util.ts'), 'utf8'));
      util.edit(util.getText().length, 0, 'export const typedWhileBusy = 1;\n');
      const cancel = new AbortController();
      const asked = service.getRelevantContext({ query: 'typedWhileBusy' }, cancel.signal);
      cancel.abort();
      const outcome = await Promise.race([asked.then(() => 'answered', (err: unknown) => err), new Promise((resolve) => setTimeout(() => resolve('still waiting'), 2_000))]);
      assert.ok(outcome instanceof CancellationError, `the cancelled prompt: ${String(outcome)}`);
    } finally {
      release();
      ContextHost.prototype.updateDocument = update;
    }
    const answer = await service.getRelevantContext({ query: 'typedWhileBusy' });
    assert.ok(answer.items.some((i) => i.file === 'src/util.ts' && i.symbol === 'typedWhileBusy'), 'the edit reached the engine');
  });

  it('keeps an open document nobody edited indexed from its text when its file is deleted on disk', async () => {
    service.start();
    await indexed();
    openUnedited('src/util.ts');
    assert.ok(filesOf(await service.getRelevantContext(LRU_QUERY)).includes('src/util.ts'));

    // (A branch switch deletes the file; its editor stays open and shows the text.)
    unlinkSync(abs('src/util.ts'));
    fakeVscode.fileDeleted(abs('src/util.ts'));
    assert.ok(filesOf(await service.getRelevantContext(LRU_QUERY)).includes('src/util.ts'), 'still indexed from the editor');
  });

  it("looks up each open document's index path once per folder layout, not once per delete event (a branch switch)", async () => {
    service.start();
    await indexed();
    const open = ['src/util.ts', 'src/config.ts', 'src/index.ts', 'py/app/models.py', 'go/go.mod', 'rust/src/lib.rs'];
    for (const rel of open) openUnedited(rel);
    const asked: string[] = [];
    const relative = FolderPaths.prototype.relative;
    FolderPaths.prototype.relative = function (this: FolderPaths, fsPath: string): string | undefined {
      asked.push(fsPath);
      return relative.call(this, fsPath);
    };
    try {
      // (Files nobody has open, deleted one by one: each event is asked about once, each open document once in all.)
      for (let i = 0; i < 40; i++) fakeVscode.fileDeleted(abs(`gone/file${i}.ts`));
    } finally {
      FolderPaths.prototype.relative = relative;
    }
    const documents = new Set(open.map(abs));
    assert.equal(asked.filter((p) => documents.has(p)).length, open.length);
    assert.equal(asked.filter((p) => !documents.has(p)).length, 40);
    assert.ok(filesOf(await service.getRelevantContext(LRU_QUERY)).includes('src/util.ts'), 'the open documents are still indexed');
  });

  it("takes no active file from the editor for a query that says it has none (activeFile null); the editor's file is one shown", async () => {
    service.start();
    await indexed();
    // (The active editor shows a workspace file; the prompt is about a file outside the workspace, say.)
    fakeVscode.activateEditor(fakeVscode.openDocument(abs('src/util.ts'), readFileSync(abs('src/util.ts'), 'utf8')));
    const reasons = (result: ContextResult): string[] => result.items.flatMap((i) => i.reasons);

    // A query that says nothing: the editor's file is the active one, as before.
    assert.ok(reasons(await service.getRelevantContext(LRU_QUERY)).some((r) => r === 'in the active file'));

    const none = reasons(await service.getRelevantContext({ ...LRU_QUERY, activeFile: null }));
    assert.deepEqual(
      none.filter((r) => r.includes('active file')),
      [],
      "nothing ranked for being in, near or used by the editor's file as the active one",
    );
    assert.ok(none.includes('in src/util.ts, open in an editor'), "the editor's file counts as one shown");
    // (Also for a query about another file of the workspace: the editor's file is shown, not dropped.)
    assert.deepEqual(service.editorHints('src/config.ts'), { activeFile: 'src/config.ts', openFiles: ['src/util.ts'], recentFiles: ['src/util.ts'] });
    assert.deepEqual(service.editorHints(null), { openFiles: ['src/util.ts'], recentFiles: ['src/util.ts'] });
    assert.deepEqual(service.editorHints(), { activeFile: 'src/util.ts', openFiles: [], recentFiles: [] });
  });

  it('indexes an open document whose file is gone from its text when an engine starts', async () => {
    openUnedited('src/util.ts');
    // (Deleted while no engine ran, or while the one replaced by a Reindex did.)
    unlinkSync(abs('src/util.ts'));
    service.start();
    await indexed();
    assert.ok(filesOf(await service.getRelevantContext(LRU_QUERY)).includes('src/util.ts'), 'indexed from the editor');
  });

  it('indexes the text of a document the editor restores from its backup (a window reload) after the engine started', async () => {
    service.start();
    await indexed();
    const restored = `${readFileSync(abs('src/util.ts'), 'utf8')}\nexport const pelicanReloadTotal = 42;\n`;
    fakeVscode.restoreDocument(abs('src/util.ts'), restored);
    const result = await service.getRelevantContext({ query: 'pelican reload total pelicanReloadTotal' });
    assert.ok(
      result.items.some((i) => i.file === 'src/util.ts' && i.symbol === 'pelicanReloadTotal'),
      `the restored, unsaved definition is in the context: ${JSON.stringify(result.items.map((i) => `${i.file} ${i.symbol}`))}`,
    );
  });

  it('warns once, with Show Logs, when the index cannot be saved (every reload would index the workspace again)', async () => {
    // (A file where the storage folder should be: the save fails as on a read-only or full disk, and as root too.)
    const storage = tempWorkspace();
    try {
      const blocked = path.join(storage.root, 'blocked');
      writeFileSync(blocked, 'a file in the way');
      service.dispose();
      service = new ContextService(vscode.Uri.file(REPO), vscode.Uri.file(blocked), config, log, { scripts: contextHostScriptsFromSource(), location: grammarLocationFromNodeModules(), parseWorkers: 1 });
      status = fakeVscode.statusBarItems.at(-1) ?? status;
      const warnings = (): string[] => fakeVscode.messages.filter((m) => m.kind === 'warning' && m.text.includes('could not save the context index')).map((m) => m.text);
      const failures = saveFailures();
      try {
        let saveFailed = failures.next();
        service.start();
        await saveFailed;
        assert.equal(warnings().length, 1, JSON.stringify(fakeVscode.messages));
        assert.match(warnings()[0] ?? '', new RegExp(`in ${blocked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} \\(`));
        assert.deepEqual(fakeVscode.messages.find((m) => m.text === warnings()[0])?.actions, ['Show Logs']);
        // A restarted engine fails the same way: not told again.
        saveFailed = failures.next();
        service.restart();
        await saveFailed;
        assert.equal(warnings().length, 1);
      } finally {
        failures.restore();
      }
    } finally {
      storage.cleanup();
    }
  });

  it('warns once of a failed save whose message names another temporary file each time (once per storage folder and error code)', async () => {
    // A storage folder whose path leaves no room for the temporary file's name: open() fails (ENAMETOOLONG, also as
    // root) with a message naming that file, a random name at each save.
    const storage = tempWorkspace();
    try {
      const fileName = path.basename(indexCacheFile(storage.root, ws.root));
      // (The index file's path is 4,090 characters, under PATH_MAX; the temporary file's, with its suffix, is over it.)
      let long = storage.root;
      while (long.length + 1 + fileName.length < 4090) long = path.join(long, 'd'.repeat(Math.min(200, 4090 - long.length - 2 - fileName.length)));
      mkdirSync(long, { recursive: true });
      serviceWithStorage(long, { factor: 2, slack: 20_000 });
      const warnings = (): string[] => fakeVscode.messages.filter((m) => m.kind === 'warning' && m.text.includes('could not save the context index')).map((m) => m.text);
      const failures = saveFailures();
      try {
        for (let i = 0; i < 3; i++) {
          const saveFailed = failures.next();
          if (i === 0) service.start();
          else service.restart();
          await saveFailed;
        }
      } finally {
        failures.restore();
      }
      assert.match(warnings()[0] ?? '', /ENAMETOOLONG/);
      assert.equal(warnings().length, 1, 'one warning for the three engines');
    } finally {
      storage.cleanup();
    }
  });

  /**
   * Runs `body` with ContextHost.dispose held until `release` is called, and each engine build's start recorded (whether
   * an engine held had closed by then).
   */
  async function heldDisposes(body: (held: { release: () => void; builds: { afterClose: boolean; done: Promise<unknown> }[] }) => Promise<void>): Promise<void> {
    const dispose = ContextHost.prototype.dispose;
    const build = ContextHost.prototype.build;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let closed = false;
    const builds: { afterClose: boolean; done: Promise<unknown> }[] = [];
    ContextHost.prototype.dispose = async function (this: ContextHost) {
      await gate;
      await dispose.call(this);
      closed = true;
    };
    ContextHost.prototype.build = function (this: ContextHost, ...args: Parameters<typeof build>) {
      const done = build.apply(this, args);
      builds.push({ afterClose: closed, done: done.catch(() => undefined) });
      return done;
    };
    try {
      await body({ release, builds });
    } finally {
      release();
      ContextHost.prototype.dispose = dispose;
      ContextHost.prototype.build = build;
    }
  }

  it('restarts once the engine it replaces has closed, saying so in the status bar; a prompt meanwhile waits for the new engine', async () => {
    service.start();
    await indexed();
    await heldDisposes(async ({ release, builds }) => {
      service.restart();
      assert.equal(status.text, '$(sync~spin) Context: restarting');
      let answered = false;
      const prompt = service.getRelevantContext(LRU_QUERY).finally(() => (answered = true));
      await new Promise((resolve) => setImmediate(resolve));
      assert.equal(builds.length, 0, 'no engine starts while the one replaced closes');
      assert.equal(answered, false, 'the prompt waits for the new engine');
      release();
      await indexed();
      assert.deepEqual(builds.map((b) => b.afterClose), [true], 'the new engine started once the old one had closed');
      await prompt;
      assert.ok(filesOf(await service.getRelevantContext(LRU_QUERY)).includes('src/util.ts'), 'the new engine answers');
    });
  });

  it('Cancel Indexing while a restart waits for the engine it replaces cancels the build the restart starts', async () => {
    service.start();
    await indexed();
    const cancelled = new Promise<void>((resolve) => {
      const listening = status.textChanged.event(() => {
        if (!status.text.includes('indexing cancelled')) return;
        listening.dispose();
        resolve();
      });
    });
    await heldDisposes(async ({ release, builds }) => {
      service.reindex();
      assert.equal(status.text, '$(sync~spin) Context: restarting');
      await COMMANDS['contexten.context.cancelIndexing']({ context: service } as unknown as Container)();
      release();
      await cancelled;
      assert.equal(builds.length, 1, 'the restart started its engine');
    });
    assert.ok(log.lines.some((l) => l.text.includes('Context indexing cancelled')), JSON.stringify(log.lines.slice(-5)));
    assert.ok(!status.text.includes('files'), `the status bar says it was cancelled, not ready: ${status.text}`);
  });

  it('starts the new engine anyway when the one it replaces does not close in time (restartWaitMs)', async () => {
    service.dispose();
    service = new ContextService(vscode.Uri.file(REPO), undefined, config, log, { scripts: contextHostScriptsFromSource(), location: grammarLocationFromNodeModules(), parseWorkers: 1, restartWaitMs: 50 });
    status = fakeVscode.statusBarItems.at(-1) ?? status;
    service.start();
    await indexed();
    await heldDisposes(async ({ builds }) => {
      service.restart();
      await indexed();
      assert.deepEqual(builds.map((b) => b.afterClose), [false], 'started with the old engine still closing');
      assert.ok(log.lines.some((l) => l.text.includes('has not closed after 0.05 s')), JSON.stringify(log.lines.slice(-5)));
    });
  });

  it('warns once, with Show Logs, of a workspace folder it cannot read (no permission: nothing of it is indexed)', async () => {
    // (Run as root, chmod restricts nothing, and the engine thread's file system cannot be faked: the engine's answer is.)
    const build = ContextHost.prototype.build;
    ContextHost.prototype.build = async function (this: ContextHost, ...args: Parameters<typeof build>) {
      return { ...(await build.apply(this, args)), unreadableFolders: [ws.root] };
    };
    try {
      const warnings = (): string[] => fakeVscode.messages.filter((m) => m.kind === 'warning' && m.text.includes('cannot read the workspace folder')).map((m) => m.text);
      service.start();
      await indexed();
      assert.deepEqual(warnings(), [`Contexten cannot read the workspace folder ${ws.root} (no permission), so none of its files is in the context index. Give it read permission, then run Re-index Workspace.`]);
      assert.deepEqual(fakeVscode.messages.find((m) => m.text === warnings()[0])?.actions, ['Show Logs']);
      service.reindex();
      await indexed();
      assert.equal(warnings().length, 1, 'told once');
    } finally {
      ContextHost.prototype.build = build;
    }
  });

  /** A service with a storage folder and a string table bound a few dozen strings reach (the real one: max(2 × live, live + 20,000)). */
  function serviceWithStorage(storageRoot: string, stringTableBound: StringTableBound): void {
    service.dispose();
    service = new ContextService(vscode.Uri.file(REPO), vscode.Uri.file(storageRoot), config, log, {
      scripts: contextHostScriptsFromSource(),
      location: grammarLocationFromNodeModules(),
      parseWorkers: 1,
      stringTableBound,
    });
    const item = fakeVscode.statusBarItems.at(-1);
    assert.ok(item);
    status = item;
  }

  /** Runs `body` with the engines the service starts recorded, each with its onStringTableGrowth listeners. */
  async function recordingEngines(body: (engines: { engine: ContextHost; growth: ((g: StringTableGrowth) => void)[] }[]) => Promise<void>): Promise<void> {
    const engines: { engine: ContextHost; growth: ((g: StringTableGrowth) => void)[] }[] = [];
    const onGrowth = ContextHost.prototype.onStringTableGrowth;
    ContextHost.prototype.onStringTableGrowth = function (this: ContextHost, listener: (g: StringTableGrowth) => void) {
      let entry = engines.find((e) => e.engine === this);
      if (entry === undefined) engines.push((entry = { engine: this, growth: [] }));
      entry.growth.push(listener);
      return onGrowth.call(this, listener);
    };
    try {
      await body(engines);
    } finally {
      ContextHost.prototype.onStringTableGrowth = onGrowth;
    }
  }

  /** Counts the engine restarts (the status bar showing the index loading again) until disposed. */
  function countingRestarts(): { readonly count: number; dispose(): void } {
    let count = 0;
    let loading = status.text.includes('loading index');
    const listening = status.textChanged.event(() => {
      // (Once per restart: the status bar may show the loading phase's progress more than once.)
      if (status.text.includes('loading index') && !loading) count++;
      loading = status.text.includes('loading index');
    });
    return {
      get count() {
        return count;
      },
      dispose: () => listening.dispose(),
    };
  }

  it("restarts the engine at most once when an edit adds many identifiers only the unsaved document uses (no restart loop)", async () => {
    const storage = tempWorkspace();
    try {
      serviceWithStorage(storage.root, { factor: 2, slack: 30 });
      await recordingEngines(async (engines) => {
        service.start();
        await indexed();
        await engines.at(-1)?.engine.whenSaved();
        const restarts = countingRestarts();
        // One edit: 400 new identifiers, none typed and deleted (nothing in the table is dead).
        const util = fakeVscode.openDocument(abs('src/util.ts'), readFileSync(abs('src/util.ts'), 'utf8'));
        util.edit(util.getText().length, 0, Array.from({ length: 400 }, (_, i) => `export const generatedName${i} = ${i};\n`).join(''));
        const answer = await service.getRelevantContext({ query: 'generatedName7' });
        assert.ok(answer.items.some((i) => i.file === 'src/util.ts' && i.symbol === 'generatedName7'), 'the edit reached the engine');
        // Until an engine saved (and counted its strings) without being replaced, or the engine restarted twice.
        for (;;) {
          const engine = engines.at(-1)?.engine;
          assert.ok(engine);
          await indexed();
          await engine.whenSaved().catch(() => undefined);
          if (restarts.count > 1 || (engines.at(-1)?.engine === engine && !status.text.includes('loading index'))) break;
        }
        restarts.dispose();
        assert.ok(restarts.count <= 1, `${restarts.count} restarts after one edit`);
      });
    } finally {
      service.dispose();
      storage.cleanup();
    }
  });

  /**
   * Runs `body` on a service with a storage folder, its engine indexed, reporting string table growth as the engine
   * thread would (`report`, to the engine started last); `idle` answers a prompt (a restart asked for waits for the
   * build and prompts under way: after a prompt, the service is idle); `restarts` counts the restarts.
   */
  async function withGrowthReports(body: (tools: { report(growth: StringTableGrowth): void; idle(): Promise<unknown>; restarts: { readonly count: number } }) => Promise<void>): Promise<void> {
    const storage = tempWorkspace();
    try {
      serviceWithStorage(storage.root, { factor: 2, slack: 30 });
      await recordingEngines(async (engines) => {
        service.start();
        await indexed();
        const restarts = countingRestarts();
        try {
          await body({ report: (growth) => engines.at(-1)?.growth.forEach((listener) => listener(growth)), idle: () => service.getRelevantContext(LRU_QUERY), restarts });
        } finally {
          restarts.dispose();
        }
      });
    } finally {
      service.dispose();
      storage.cleanup();
    }
  }

  it('does not restart again when the engine restarted for string table growth reports it again at its first count', async () => {
    await withGrowthReports(async ({ report, idle, restarts }) => {
      // (Reported as the engine thread reports it; a count that left out strings in use would report it so.)
      report({ strings: 5_000, live: 100, firstCount: false });
      await idle();
      // (The restart starts the new engine once the one it replaces closed.)
      await indexed();
      assert.equal(restarts.count, 1, 'the engine restarted for growth');
      await indexed();
      report({ strings: 5_000, live: 100, firstCount: true });
      await idle();
      // (The restart starts the new engine once the one it replaces closed.)
      await indexed();
      assert.equal(restarts.count, 1, 'a restart that freed nothing is not done again');
      assert.match(log.text('info'), /restart freed nothing, so it does not restart again/);
    });
  });

  it('restarts again for growth a restarted engine reports after its first count', async () => {
    await withGrowthReports(async ({ report, idle, restarts }) => {
      report({ strings: 5_000, live: 100, firstCount: false });
      await idle();
      await indexed();
      // (Fewer strings than before the restart: it freed some, and the table outgrew the bound again since.)
      report({ strings: 3_000, live: 100, firstCount: false });
      await idle();
      // (The restart starts the new engine once the one it replaces closed.)
      await indexed();
      assert.equal(restarts.count, 2, 'restarted again for growth the restart had made room for');
      await indexed();
      // (An engine reports again only once its table outgrew the bound over what it held at its last report.)
      report({ strings: 7_000, live: 100, firstCount: false });
      await idle();
      // (The restart starts the new engine once the one it replaces closed.)
      await indexed();
      assert.equal(restarts.count, 3, 'restarted for the growth found after its first count');
    });
  });

  it("restarts the engine from its saved index when files created and deleted fill its string table, keeping a document's unsaved text", async () => {
    const storage = tempWorkspace();
    try {
      service.dispose();
      // (A bound a few dozen strings reach: the real one is max(2 × live, live + 20,000).)
      service = new ContextService(vscode.Uri.file(REPO), vscode.Uri.file(storage.root), config, log, {
        scripts: contextHostScriptsFromSource(),
        location: grammarLocationFromNodeModules(),
        parseWorkers: 1,
        stringTableBound: { factor: 1, slack: 30 },
      });
      const item = fakeVscode.statusBarItems.at(-1);
      assert.ok(item);
      status = item;
      service.start();
      await indexed();
      const files = Number(/(\d+) files$/.exec(status.text)?.[1]);
      // An edited document: its text is the editor's, not the disk's.
      const util = fakeVscode.openDocument(abs('src/util.ts'), readFileSync(abs('src/util.ts'), 'utf8'));
      util.edit(util.getText().length, 0, '\nexport function applyDiscountNow(order: number): number {\n  return order * 0.9;\n}\n');
      assert.ok((await service.getRelevantContext({ query: 'applyDiscountNow discount' })).items.some((i) => i.symbol === 'applyDiscountNow'));

      let restarted = false;
      const listening = status.textChanged.event(() => {
        if (status.text.includes('loading index')) restarted = true;
      });
      /** Resolves when the status bar shows `n` files, or the engine restarted. */
      const showing = (n: number): Promise<void> =>
        new Promise((resolve) => {
          const done = (): boolean => restarted || status.text.endsWith(` ${n} files`);
          if (done()) return resolve();
          const waiting = status.textChanged.event(() => {
            if (!done()) return;
            waiting.dispose();
            resolve();
          });
        });
      // (A watch-mode build writing hashed names into a folder nothing excludes, round after round.)
      for (let round = 0; round < 8 && !restarted; round++) {
        const chunks = Array.from({ length: 10 }, (_, i) => `out/chunk${round}x${i}.js`);
        chunks.forEach((rel, i) => {
          write(ws.root, rel, `export function render${round}x${i}() { return ${round}; }\n`);
          fakeVscode.fileCreated(abs(rel));
        });
        await showing(files + chunks.length);
        for (const rel of chunks) {
          unlinkSync(abs(rel));
          fakeVscode.fileDeleted(abs(rel));
        }
        await showing(files);
      }
      listening.dispose();
      assert.ok(restarted, 'the engine restarted');
      await indexed();
      assert.match(log.text('info'), /Context engine holds \d+ strings, its files use about \d+/);
      const answer = await service.getRelevantContext({ query: 'applyDiscountNow discount' });
      assert.ok(answer.items.some((i) => i.file === 'src/util.ts' && i.symbol === 'applyDiscountNow'), 'the new engine has the unsaved text');
    } finally {
      service.dispose();
      storage.cleanup();
    }
  });
});

