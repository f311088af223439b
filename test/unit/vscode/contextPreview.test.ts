import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode, Uri } from '../fakes/fakeVscode';
import * as vscode from 'vscode';
import type { CodegenClient } from '../../../src/core/api/codegenClient';
import type { OpenAiKeyStore } from '../../../src/core/auth/openAiKeyStore';
import { FolderPaths } from '../../../src/core/context/folderPaths';
import type { ContextQuery, ContextResult } from '../../../src/core/context/model';
import { CancellationError } from '../../../src/core/errors';
import { createGenerationServices, type GenerationServices } from '../../../src/core/generation/generationServices';
import { systemClock, type HttpTransport } from '../../../src/core/ports';
import { ConfigService } from '../../../src/vscode/config';
import { ContextService } from '../../../src/vscode/contextService';
import { GenerationController } from '../../../src/vscode/generation';
import type { TaskController } from '../../../src/vscode/tasks';
import { ContextPreview, PREVIEW_SCHEME } from '../../../src/vscode/views/contextPreview';
import type { ResultsPanel } from '../../../src/vscode/views/resultsPanel';
import { RecordingLogger } from '../fakes/recordingLogger';

const ROOT = '/home/user/w';

describe('Preview Context for Prompt (on a fake editor)', () => {
  let ranked: ContextQuery[];
  let config: ConfigService;
  let services: GenerationServices;
  let controller: GenerationController;
  let preview: ContextPreview;

  beforeEach(() => {
    fakeVscode.openWorkspace(ROOT);
    ranked = [];
    const log = new RecordingLogger();
    config = new ConfigService(log, {});
    // The context service's own editorHints, over the index's paths of a one-folder workspace (relativePath), without
    // an engine: the ranking records what it was asked, then stops as a cancelled one does.
    const context = Object.assign(Object.create(ContextService.prototype) as ContextService, {
      recent: [],
      relativePath: (uri: vscode.Uri): string | undefined => (uri.scheme === 'file' && uri.path.startsWith(`${ROOT}/`) ? uri.path.slice(ROOT.length + 1) : undefined),
      getRelevantContext: (q: ContextQuery): Promise<never> => {
        ranked.push(q);
        return Promise.reject(new CancellationError());
      },
    });
    // The real pipeline: Generate Code… ranks through it (no request is sent: the ranking stops it first).
    services = createGenerationServices({
      settings: () => config.snapshot,
      clock: systemClock,
      random: Math.random,
      logger: log,
      transport: {} as HttpTransport,
      codegen: {} as CodegenClient,
      context,
      openAiKey: () => Promise.resolve(undefined),
    });
    const panel = { onDidRequestAction: () => ({ dispose: () => undefined }), showGeneration: () => 1, currentRunId: 1, fail: () => undefined } as unknown as ResultsPanel;
    controller = new GenerationController(services, panel, context, config, {} as vscode.Memento, {} as OpenAiKeyStore, log, {} as TaskController);
    // (As the container makes it.)
    preview = new ContextPreview(context, () => controller.promptHints());
  });
  afterEach(() => {
    preview.dispose();
    controller.dispose();
    services.dispose();
    config.dispose();
  });

  /** What Generate Code… and then Preview Context rank the same prompt with. */
  async function bothRank(prompt: string): Promise<{ generate: ContextQuery | undefined; preview: ContextQuery | undefined }> {
    const before = ranked.length;
    await controller.generate(prompt);
    await preview.preview(prompt).catch((err: unknown) => assert.ok(CancellationError.is(err), String(err)));
    assert.equal(ranked.length, before + 2, 'each ranked once');
    return { generate: ranked[before], preview: ranked[before + 1] };
  }

  it('ranks a prompt with the hints Generate Code… sends it with, also while the Output panel has focus', async () => {
    fakeVscode.activateEditor(fakeVscode.openDocument(`${ROOT}/src/a.ts`, 'export const a = 1;\n'));
    const inEditor = await bothRank('where is the config parsed?');
    assert.equal(inEditor.generate?.activeFile, 'src/a.ts');
    assert.deepEqual(inEditor.preview, inEditor.generate);

    // (The user clicks into the Output panel, then runs both: Generate works in the editor last worked in.)
    fakeVscode.focusOutputPanel();
    const fromOutput = await bothRank('where is the config parsed?');
    assert.equal(fromOutput.generate?.activeFile, 'src/a.ts');
    assert.deepEqual(fromOutput.preview, fromOutput.generate, 'the preview ranks what Generate would send');
  });

  it('ranks a prompt with the hints Generate Code… sends it with while the results panel has focus (no active text editor)', async () => {
    fakeVscode.activateEditor(fakeVscode.openDocument(`${ROOT}/src/a.ts`, 'export const a = 1;\n'));
    fakeVscode.activateEditor(undefined);
    const both = await bothRank('where is the config parsed?');
    assert.equal(both.generate?.activeFile, 'src/a.ts');
    assert.deepEqual(both.preview, both.generate);
  });
});

describe('Preview Context for Prompt: its links (on a fake editor)', () => {
  it('links to the files the preview was ranked from, also when a folder is added to the workspace as it is ranked (multi-root now)', async () => {
    fakeVscode.openWorkspace('/w/app');
    let folders = [{ name: 'app', path: '/w/app' }];
    const result: ContextResult = {
      items: [{ file: 'lib/util.ts', startLine: 7, endLine: 12, symbol: 'util', kind: 'function', detail: 'full', score: 0.9, reasons: [], text: 'export function util() {}' }],
      chars: 25,
      budget: 1000,
      ms: 1,
      cached: false,
      indexVersion: 1,
    };
    // (ContextService.uriFor: the index path as the folders open now name it. Its ranking gives each item the URI of
    // its file in the folders it was ranked in: ContextItem.uri.)
    const context = {
      uriFor: (rel: string) => {
        const abs = new FolderPaths(folders).absolute(rel);
        return abs === undefined ? undefined : Uri.file(abs);
      },
      getRelevantContext: () => {
        const ranked = new FolderPaths(folders);
        const located = { ...result, items: result.items.map((i) => ({ ...i, uri: Uri.file(ranked.absolute(i.file) ?? '/nowhere').toString() })) };
        // (A folder is added as the ranking answers: the engine restarts, and the index path names lib's util.ts then.)
        folders = [...folders, { name: 'lib', path: '/w/lib' }];
        return Promise.resolve(located);
      },
    } as unknown as ContextService;
    const preview = new ContextPreview(context, () => ({ openFiles: [], recentFiles: [] }));
    try {
      await preview.preview('where is util?');
      const doc = await vscode.workspace.openTextDocument(Uri.from({ scheme: PREVIEW_SCHEME, path: '/context-1.md' }) as unknown as vscode.Uri);
      const targets = (): string[] => preview.provideDocumentLinks(doc).map((l) => String(l.target));
      // (In the multi-root workspace lib/util.ts is the folder lib's util.ts.)
      assert.deepEqual(targets(), ['file:///w/app/lib/util.ts#L7']);
      // And after the folder app is removed, the link still goes where it went.
      folders = [{ name: 'lib', path: '/w/lib' }];
      assert.deepEqual(targets(), ['file:///w/app/lib/util.ts#L7']);
    } finally {
      preview.dispose();
    }
  });

  it("links an item to the editor's line counted in the text it was cut from, whatever the file's open document says (found in review)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'contexten-preview-lines-'));
    try {
      // On disk, a lone CR (a line end of the editor's, none of the engine's) before the engine's line 2: the packer
      // gives the editor's line of an item cut from this text, 3. Open, the editor made the lone CR a line end: an item
      // cut from the open document's text (`util` at its line 3) gives none, its line being the editor's.
      const disk = 'const a = 1;\rconst b = 2;\r\nfunction util(): void {\n}\n';
      writeFileSync(path.join(dir, 'mixed.ts'), disk);
      fakeVscode.openWorkspace(dir);
      fakeVscode.openDocument(path.join(dir, 'mixed.ts'), disk.replace(/\r(?!\n)/g, '\n'));
      const uri = Uri.file(path.join(dir, 'mixed.ts')).toString();
      const item = { file: 'mixed.ts', uri, endLine: 4, symbol: 'util', kind: 'function', detail: 'full', score: 0.9, reasons: [], text: '' } as const;
      const result: ContextResult = {
        items: [
          { ...item, startLine: 2, editorLine: 3 },
          { ...item, startLine: 3 },
        ],
        chars: 0,
        budget: 1000,
        ms: 1,
        cached: false,
        indexVersion: 1,
      };
      const context = { getRelevantContext: () => Promise.resolve(result) } as unknown as ContextService;
      const preview = new ContextPreview(context, () => ({ openFiles: [], recentFiles: [] }));
      try {
        await preview.preview('where is util?');
        const doc = await vscode.workspace.openTextDocument(Uri.from({ scheme: PREVIEW_SCHEME, path: '/context-1.md' }) as unknown as vscode.Uri);
        assert.deepEqual(preview.provideDocumentLinks(doc).map((l) => String(l.target)), [`${uri}#L3`, `${uri}#L3`]);
      } finally {
        preview.dispose();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
