import assert from 'node:assert/strict';
import os from 'node:os';
import path from 'node:path';
import * as vscode from 'vscode';
import type { ContextItem } from '../../../src/core/context/model';
import type { ContextenApi } from '../../../src/core/generation/publicApi';
import { pollUntil } from '../harness/poll';
import { productApi, whenIndexed } from './generationHelpers';

function workspaceFolder(): vscode.WorkspaceFolder {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the window has no workspace folder');
  return folder;
}

/** The lines startLine..endLine (1-based, inclusive) of a workspace file, as on disk. */
async function fileLines(file: string, startLine: number, endLine: number): Promise<string> {
  const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(workspaceFolder().uri, ...file.split('/')));
  return new TextDecoder().decode(bytes).split(/\r?\n/).slice(startLine - 1, endLine).join('\n');
}

async function assertItemMatchesFile(item: ContextItem): Promise<void> {
  const where = `${item.file}:${item.startLine}-${item.endLine} (${item.symbol})`;
  assert.ok(Number.isInteger(item.startLine) && item.startLine >= 1, `${where}: startLine is 1-based`);
  assert.ok(item.endLine >= item.startLine, `${where}: endLine before startLine`);
  assert.equal(item.text, await fileLines(item.file, item.startLine, item.endLine), `${where}: the text is not exactly those lines of the file`);
  assert.ok(item.score >= 0 && item.score <= 1, `${where}: score ${item.score} outside 0..1`);
  assert.ok(item.reasons.length > 0 && item.reasons.every((r) => r.trim() !== ''), `${where}: no reasons`);
}

/** Asks anew on each call (for polls) whether the context for `query` holds an item `match` accepts. */
function contextHolds(api: ContextenApi, query: string, match: (item: ContextItem) => boolean): () => Promise<boolean> {
  return async () => (await api.getRelevantContext(query)).items.some(match);
}

/**
 * Types `export function <name>` at the end of src/cart.ts (never saved), waits until the context for `query` holds it,
 * runs `during` (which may hand back the document when it replaced the editor's), then reverts and closes the document
 * — the workspace is shared with the tests and scenarios that follow — and waits until the function leaves the context.
 */
async function withUnsavedFunction(
  api: ContextenApi,
  name: string,
  query: string,
  during: (editor: vscode.TextEditor, found: () => Promise<boolean>) => Promise<vscode.TextDocument | undefined>,
): Promise<void> {
  const found = contextHolds(api, query, (i) => i.symbol === name && i.file === 'src/cart.ts');
  assert.ok(!(await found()), `${name} is not in the workspace yet`);
  const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder().uri, 'src', 'cart.ts')));
  let document = editor.document;
  try {
    const end = document.lineAt(document.lineCount - 1).range.end;
    assert.ok(await editor.edit((b) => b.insert(end, `\nexport function ${name}(): number {\n  return 0;\n}\n`)));
    await pollUntil(`the unsaved ${name} to be in the context`, async () => ((await found()) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    document = (await during(editor, found)) ?? document;
  } finally {
    await vscode.window.showTextDocument(document);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  }
  await pollUntil(`${name} to leave the context once the edit was reverted`, async () => ((await found()) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
}

/**
 * Reverts and closes the documents of `uris` and deletes their files: the workspace is shared with the tests and
 * scenarios that follow.
 */
async function revertCloseAndDelete(uris: readonly vscode.Uri[]): Promise<void> {
  for (const uri of uris) {
    const doc = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
    if (doc && !doc.isClosed) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
  }
}

suite('Context engine through the public API (fixture workspace)', () => {
  test('indexes the workspace and ranks the definition a query is about first, with line ranges matching the files', async () => {
    const api = await productApi();
    await whenIndexed(api);
    const budget = 4_000;
    const result = await api.getRelevantContext({ query: 'total price of the cart items in cents', activeFile: 'src/cart.ts', budget });

    assert.ok(result.items.length >= 2, `expected several items, got ${result.items.length}`);
    const top = result.items[0];
    assert.equal(`${top?.file}#${top?.symbol}`, 'src/cart.ts#cartTotal');
    for (const item of result.items) await assertItemMatchesFile(item);
    assert.equal(result.chars, result.items.reduce((n, i) => n + i.text.length, 0));
    assert.ok(result.chars <= budget, `${result.chars} characters exceed the budget of ${budget}`);
    const scores = result.items.map((i) => i.score);
    assert.equal(scores[0], Math.max(...scores), 'the first item does not have the highest score');
  });

  test('builds the ranking index ahead of the first prompt once indexing is done, and says when it was ready', async () => {
    const api = await productApi();
    await whenIndexed(api);
    const index = await pollUntil(
      'the ranking index to be ready in getPerformanceReport()',
      () => {
        const reported = api.getPerformanceReport().index;
        return Promise.resolve(reported?.ranking === 'ready' ? reported : undefined);
      },
      { timeoutMs: 15_000, intervalMs: 50 },
    );
    const readyMs = index.rankingReadyMs;
    assert.ok(typeof readyMs === 'number' && Number.isFinite(readyMs) && readyMs >= 0, `rankingReadyMs ${String(readyMs)}`);
  });

  test('after a cancelled indexing the first prompt builds the ranking index, and getPerformanceReport() says so', async function () {
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    const ranking = (): string | undefined => api.getPerformanceReport().index?.ranking;
    try {
      // Indexing again, cancelled at once (as a click on the status bar item would): no build ahead of the first prompt
      // (the report says 'onFirstPrompt' until a prompt is answered).
      await vscode.commands.executeCommand('contexten.context.reindex');
      await vscode.commands.executeCommand('contexten.context.cancelIndexing');
      await api.getRelevantContext('total price of the cart items in cents');
      assert.equal(ranking(), 'builtByPrompt');
    } finally {
      await vscode.commands.executeCommand('contexten.context.reindex');
      await whenIndexed(api);
    }
    await pollUntil('the ranking index built ahead again after indexing', () => Promise.resolve(ranking() === 'ready' ? true : undefined), { timeoutMs: 15_000, intervalMs: 50 });
  });

  test('indexes an unsaved edit, and getPerformanceReport() times the edits re-indexed (the engine thread\'s part within)', async function () {
    // Two waits of up to 20 s each (the suite's default timeout is 20 s for the whole test).
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    await withUnsavedFunction(api, 'zebraStripedTotal', 'zebra striped total of the cart', () => {
      const edits = api.getPerformanceReport().index?.editsMs;
      assert.ok(edits && edits.samples >= 1, `edits re-indexed: ${JSON.stringify(edits)}`);
      assert.ok(edits.engineP95 > 0 && edits.engineP95 <= edits.p95 && edits.p50 <= edits.p95, JSON.stringify(edits));
      return Promise.resolve(undefined);
    });
  });

  test('a prompt right after typing sees what was typed: edits still waiting out their debounce are sent first', async function () {
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    const name = 'okapiJustTypedTotal';
    const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(vscode.Uri.joinPath(workspaceFolder().uri, 'src', 'cart.ts')));
    try {
      const end = editor.document.lineAt(editor.document.lineCount - 1).range.end;
      assert.ok(await editor.edit((b) => b.insert(end, `\nexport function ${name}(): number {\n  return 0;\n}\n`)));
      assert.ok(editor.document.getText().includes(name), 'the edit is in the document');
      // At once: well within the 300 ms the extension waits for more keystrokes before it sends a document's edits.
      const items = (await api.getRelevantContext('okapi just typed total of the cart')).items;
      assert.ok(
        items.some((i) => i.symbol === name && i.file === 'src/cart.ts'),
        items.map((i) => i.symbol).join(', '),
      );
    } finally {
      await vscode.window.showTextDocument(editor.document);
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    }
    const gone = contextHolds(api, 'okapi just typed total of the cart', (i) => i.symbol === name);
    await pollUntil(`${name} to leave the context once the edit was reverted`, async () => ((await gone()) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
  });

  test('an unsaved edit stays in the index when indexing starts again (the unsaved text is sent to the new engine)', async function () {
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    await withUnsavedFunction(api, 'yakShavedSubtotal', 'yak shaved subtotal of the cart', async (editor, found) => {
      // A new engine (as a settings change or a crash starts one) begins from the disk and the saved index.
      await vscode.commands.executeCommand('contexten.context.reindex');
      await whenIndexed(api);
      assert.ok(editor.document.isDirty, 'the edit is still unsaved');
      await pollUntil('the unsaved yakShavedSubtotal to be in the new engine\'s context', async () => ((await found()) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
      return undefined;
    });
  });

  test('an unsaved document keeps its unsaved text in the index when its language mode changes (VS Code closes and opens it again)', async function () {
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    await withUnsavedFunction(api, 'wombatRoundedTotal', 'wombat rounded total of the cart', async (editor, found) => {
      const document = await vscode.languages.setTextDocumentLanguage(editor.document, 'javascript');
      assert.ok(document.isDirty, 'the document is still unsaved');
      // The close (the index reads the disk's text) and the open come with no edit: the unsaved text must come back and stay.
      let heldSince: number | undefined;
      await pollUntil(
        'wombatRoundedTotal to stay in the context for 1.5 s after the language change',
        async () => {
          if (!(await found())) heldSince = undefined;
          else heldSince ??= Date.now();
          return heldSince !== undefined && Date.now() - heldSince >= 1_500 ? true : undefined;
        },
        { timeoutMs: 20_000, intervalMs: 100 },
      );
      return document;
    });
  });

  test('an unsaved document renamed keeps its unsaved text in the index, under its new name', async function () {
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    const folder = workspaceFolder().uri;
    const before = vscode.Uri.joinPath(folder, 'src', 'draftToRename.ts');
    const after = vscode.Uri.joinPath(folder, 'src', 'draftRenamed.ts');
    const quokkaIn = (file: string) => contextHolds(api, 'quokka draft total', (i) => i.symbol === 'quokkaDraftTotal' && i.file === file);
    const placeholderAnywhere = contextHolds(api, 'draft placeholder', (i) => i.symbol === 'draftPlaceholder');
    await vscode.workspace.fs.writeFile(before, new TextEncoder().encode('export function draftPlaceholder(): number {\n  return 1;\n}\n'));
    try {
      await pollUntil('the new file to be indexed', async () => ((await placeholderAnywhere()) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(before));
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'export function quokkaDraftTotal(): number {\n  return 2;\n}\n')));
      await pollUntil('the unsaved quokkaDraftTotal to be in the context', async () => ((await quokkaIn('src/draftToRename.ts')()) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
      const rename = new vscode.WorkspaceEdit();
      rename.renameFile(before, after);
      assert.ok(await vscode.workspace.applyEdit(rename), 'the rename was not applied');
      const moved = vscode.workspace.textDocuments.find((d) => d.uri.toString() === after.toString());
      assert.ok(moved?.isDirty, 'the editor did not carry the unsaved text to the new name');
      await pollUntil('the unsaved quokkaDraftTotal under the new name', async () => ((await quokkaIn('src/draftRenamed.ts')()) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
      assert.ok(!(await quokkaIn('src/draftToRename.ts')()), 'the old name is still in the context');
    } finally {
      await revertCloseAndDelete([after, before]);
    }
    await pollUntil('the draft to leave the context once deleted', async () => ((await placeholderAnywhere()) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
  });

  test('an unsaved document moved into the workspace from outside it is indexed with its unsaved text', async function () {
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    const outside = vscode.Uri.file(path.join(os.tmpdir(), `contexten-outside-${process.pid}.ts`));
    const inside = vscode.Uri.joinPath(workspaceFolder().uri, 'src', 'movedIn.ts');
    const ibisInside = contextHolds(api, 'ibis moved total', (i) => i.symbol === 'ibisMovedTotal' && i.file === 'src/movedIn.ts');
    await vscode.workspace.fs.writeFile(outside, new TextEncoder().encode('export function movedInPlaceholder(): number {\n  return 1;\n}\n'));
    try {
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(outside));
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'export function ibisMovedTotal(): number {\n  return 2;\n}\n')));
      const move = new vscode.WorkspaceEdit();
      move.renameFile(outside, inside);
      assert.ok(await vscode.workspace.applyEdit(move), 'the move was not applied');
      const moved = vscode.workspace.textDocuments.find((d) => d.uri.toString() === inside.toString());
      assert.ok(moved?.isDirty, 'the editor did not carry the unsaved text into the workspace');
      // Neither the rename (one side outside the workspace) nor the watcher's create event (the document is unsaved) carries it.
      await pollUntil('the unsaved ibisMovedTotal in the moved file', async () => ((await ibisInside()) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    } finally {
      await revertCloseAndDelete([inside, outside]);
    }
    await pollUntil('the moved file to leave the context once deleted', async () => ((await ibisInside()) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
  });

  test('follows the call graph: a question about formatting prices finds formatPrice in another file', async () => {
    const api = await productApi();
    await whenIndexed(api);
    const result = await api.getRelevantContext('how is a price in cents formatted with its currency');
    const item = result.items.find((i) => i.symbol === 'formatPrice');
    assert.ok(item, `formatPrice missing from ${result.items.map((i) => i.symbol).join(', ')}`);
    assert.equal(item.file, 'src/money.ts');
    await assertItemMatchesFile(item);
  });

  test('"Preview Context for Prompt…" opens a document listing the ranked items with scores and reasons', async () => {
    const api = await productApi();
    await whenIndexed(api);
    const editor = await vscode.commands.executeCommand<vscode.TextEditor | undefined>('contexten.context.preview', 'total price of the cart items in cents');
    assert.ok(editor, 'the preview command opened no editor');
    const text = editor.document.getText();
    assert.match(text, /^# Context for: total price of the cart items in cents/);
    assert.match(text, /^### 1\. src\/cart\.ts:\d+-\d+ · cartTotal \(function\) · score \d\.\d\d · full definition$/m);
    assert.match(text, /^- .+/m, 'no reasons listed');
    assert.equal(editor.document.languageId, 'markdown');
    // Every location line is a link to its file at the item's first line.
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>('vscode.executeLinkProvider', editor.document.uri);
    const headings = text.split('\n').filter((l) => l.startsWith('### '));
    assert.equal(links.length, headings.length);
    const first = links.find((l) => l.range.start.line === text.split('\n').findIndex((line) => line.startsWith('### 1. ')));
    assert.ok(first?.target, 'the first location has no link target');
    assert.equal(first.target.path, vscode.Uri.joinPath(workspaceFolder().uri, 'src', 'cart.ts').path);
    assert.match(first.target.fragment, /^L\d+$/);
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a prompt asked while the engine restarts is answered by the new engine (saying how far its indexing got), not cancelled', async function () {
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    for (let round = 0; round < 3; round++) {
      // A new engine starts (busy opening the saved index), takes the prompt, and is replaced while the prompt waits.
      await vscode.commands.executeCommand('contexten.context.reindex');
      const asking = api.getRelevantContext(`how is a price in cents formatted with its currency (round ${round})`);
      await vscode.commands.executeCommand('contexten.context.reindex');
      const result = await asking;
      assert.ok(result.partial !== undefined || result.items.some((i) => i.file === 'src/money.ts'), JSON.stringify(result).slice(0, 500));
    }
    await whenIndexed(api);
    await pollUntil(
      'an answer from the whole index (no partial) with src/money.ts',
      async () => {
        const after = await api.getRelevantContext('how is a price in cents formatted with its currency');
        return after.partial === undefined && after.items.some((i) => i.file === 'src/money.ts') ? true : undefined;
      },
      { timeoutMs: 20_000, intervalMs: 100 },
    );
  });

  test('an empty entry of contexten.context.exclude is ignored and the others apply (it kept the engine from starting)', async function () {
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    const moneyRanked = contextHolds(api, 'how is a price in cents formatted with its currency', (i) => i.file === 'src/money.ts');
    const cartRanked = contextHolds(api, 'total of the cart', (i) => i.file === 'src/cart.ts');
    const config = vscode.workspace.getConfiguration('contexten');
    await config.update('context.exclude', ['', 'src/money.ts'], vscode.ConfigurationTarget.Global);
    try {
      await pollUntil('src/money.ts to leave the context', async () => ((await moneyRanked()) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
      await whenIndexed(api);
      assert.ok(await cartRanked(), 'the engine runs: src/cart.ts is still ranked');
    } finally {
      await config.update('context.exclude', undefined, vscode.ConfigurationTarget.Global);
    }
    await pollUntil('src/money.ts to come back', async () => ((await moneyRanked()) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
  });

  test('a .gitignore typed in the editor and saved at once takes effect; deleting it brings the file back', async function () {
    // Two waits of up to 20 s each (the suite's default timeout is 20 s for the whole test).
    this.timeout(60_000);
    const api = await productApi();
    await whenIndexed(api);
    const moneyRanked = contextHolds(api, 'how is a price in cents formatted with its currency', (i) => i.file === 'src/money.ts');
    assert.ok(await moneyRanked(), 'src/money.ts is ranked before the .gitignore exists');
    const uri = vscode.Uri.joinPath(workspaceFolder().uri, '.gitignore');
    let deleted = false;
    try {
      await vscode.workspace.fs.writeFile(uri, new Uint8Array());
      const editor = await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(uri));
      assert.ok(await editor.edit((b) => b.insert(new vscode.Position(0, 0), 'src/money.ts\n')));
      // Saved right after typing, within the editor's re-index delay.
      assert.ok(await editor.document.save());
      await pollUntil('src/money.ts to leave the context after the .gitignore was saved', async () => ((await moneyRanked()) ? undefined : true), { timeoutMs: 20_000, intervalMs: 100 });
      await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
      await vscode.workspace.fs.delete(uri);
      deleted = true;
      await pollUntil('src/money.ts to come back after the .gitignore was deleted', async () => ((await moneyRanked()) ? true : undefined), { timeoutMs: 20_000, intervalMs: 100 });
    } finally {
      // The workspace is shared with the scenarios that follow: a failure here must not leave money.ts ignored.
      if (!deleted) await vscode.workspace.fs.delete(uri).then(undefined, () => undefined);
    }
  });
});
