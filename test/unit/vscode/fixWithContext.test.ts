import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { Diagnostic, fakeVscode, Range } from '../fakes/fakeVscode';
import * as vscode from 'vscode';
import type { OpenAiKeyStore } from '../../../src/core/auth/openAiKeyStore';
import { CancellationError } from '../../../src/core/errors';
import type { GenerationServices } from '../../../src/core/generation/generationServices';
import type { GenerateOptions } from '../../../src/core/generation/model';
import type { ConfigService } from '../../../src/vscode/config';
import type { ContextService } from '../../../src/vscode/contextService';
import { GenerationController } from '../../../src/vscode/generation';
import type { TaskController } from '../../../src/vscode/tasks';
import type { ResultsPanel } from '../../../src/vscode/views/resultsPanel';
import { RecordingLogger } from '../fakes/recordingLogger';

const ROOT = '/home/user/w';

/** What the generation pipeline was asked: the prompt and the options the context ranking gets. */
interface Asked {
  readonly prompt: string;
  readonly options: GenerateOptions;
}

describe('"Fix with Context" (the quick fix, on a fake editor)', () => {
  let asked: Asked[];
  let controller: GenerationController;

  beforeEach(() => {
    fakeVscode.openWorkspace(ROOT);
    asked = [];
    // The pipeline records the request, then stops as a cancelled generation does (silently).
    const services = {
      pipeline: {
        generateWithContext: (prompt: string, call: { options: GenerateOptions }) => {
          asked.push({ prompt, options: call.options });
          return Promise.reject(new CancellationError());
        },
      },
    } as unknown as GenerationServices;
    const panel = { onDidRequestAction: () => ({ dispose: () => undefined }), showGeneration: () => 1, currentRunId: 1, fail: () => undefined } as unknown as ResultsPanel;
    // The index's paths: files under the workspace folder, relative to it (ContextService.relativePath).
    const relativePath = (uri: vscode.Uri): string | undefined => (uri.scheme === 'file' && uri.path.startsWith(`${ROOT}/`) ? uri.path.slice(ROOT.length + 1) : undefined);
    const context = {
      relativePath,
      // (The files shown and edited lately besides the request's file, as ContextService.editorHints gives them: named
      // here by the file they leave out.)
      editorHints: (about?: string | null) => {
        const active = vscode.window.activeTextEditor;
        const activeFile = about === undefined ? (active ? relativePath(active.document.uri) : undefined) : (about ?? undefined);
        return { ...(activeFile !== undefined ? { activeFile } : {}), openFiles: [`shown besides ${String(about)}`], recentFiles: [] };
      },
    } as unknown as ContextService;
    const config = { snapshot: { 'generation.provider': 'openai', 'openai.model': 'llama3.1' } } as unknown as ConfigService;
    controller = new GenerationController(services, panel, context, {} as TaskController, config, {} as vscode.Memento, {} as OpenAiKeyStore, new RecordingLogger());
  });
  afterEach(() => controller.dispose());

  /** Runs the quick fix on an error on a document's first line, as its light bulb does (the document's URI and the error): the request it made. */
  async function fix(doc: { readonly uri: unknown }): Promise<Asked> {
    const error = new Diagnostic(new Range(0, 4, 0, 5), "Type 'number' is not assignable to type 'string'.");
    const before = asked.length;
    await controller.fixDiagnostic(doc.uri, error);
    assert.equal(asked.length, before + 1, 'one request');
    const request = asked.at(-1);
    assert.ok(request);
    return request;
  }

  it("ranks the fixed file as the active one by its index path; none for a file outside the workspace, not one of its name nor the active editor's", async () => {
    // The workspace has an index.ts of its own; the active editor shows another workspace file (the fix is asked from
    // the Problems view).
    fakeVscode.openDocument(`${ROOT}/index.ts`, 'export const unrelated = 1;\n');
    fakeVscode.activateEditor(fakeVscode.openDocument(`${ROOT}/src/other.ts`, 'export const other = 2;\n'));

    const outside = await fix(fakeVscode.openDocument('/home/user/elsewhere/index.ts', 'let x: string = 1;\n'));
    assert.match(outside.prompt, /^Fix this error in index\.ts at line 1/);
    // (Said as null: left out, the context service would take the active editor's file, src/other.ts, in its place.)
    assert.equal(outside.options.activeFile, null);
    assert.deepEqual(outside.options.openFiles, ['shown besides null'], "the files shown besides the fixed file, not besides the editor's");

    const inside = await fix(fakeVscode.openDocument(`${ROOT}/src/a.ts`, 'let x: string = 1;\n'));
    assert.match(inside.prompt, /^Fix this error in src\/a\.ts at line 1/);
    assert.equal(inside.options.activeFile, 'src/a.ts');
    assert.deepEqual(inside.options.openFiles, ['shown besides src/a.ts']);
  });

  it('says a generation about a document outside the workspace has no active file (null), one inside its own', async () => {
    const outside = fakeVscode.openDocument('/home/user/elsewhere/notes.ts', 'export const x = 1;\n');
    fakeVscode.activateEditor(outside);
    await controller.generate('Add a doc comment');
    assert.equal(asked.at(-1)?.options.activeFile, null);
    fakeVscode.activateEditor(fakeVscode.openDocument(`${ROOT}/src/a.ts`, 'export const a = 1;\n'));
    await controller.generate('Add a doc comment');
    assert.equal(asked.at(-1)?.options.activeFile, 'src/a.ts');
    assert.equal(asked.length, 2);
  });

  it('with no editor to fix in and no file named, says to open the file with the error first', async () => {
    assert.equal(await controller.fixDiagnostic(), undefined);
    assert.deepEqual(asked, []);
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /open the file with the error, then choose "Fix with Context"/);
  });
});
