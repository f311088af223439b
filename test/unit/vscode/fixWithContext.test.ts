import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { Diagnostic, fakeVscode, Range, Selection, window as fakeWindow } from '../fakes/fakeVscode';
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
import { FakeClock } from '../fakes/fakeClock';
import { GenerationCache } from '../../../src/core/generation/generationCache';
import { GenerationPipeline } from '../../../src/core/generation/generationPipeline';
import { nullLogger } from '../../../src/core/ports';
import type { ResultsAction } from '../../../src/vscode/views/resultsPanel';
import { CART_FUNCTIONS, FakeContextSource, generationSettings, ScriptedProvider } from '../generation/builders';

const ROOT = '/home/user/w';

/** What the generation pipeline was asked: the prompt and the options the context ranking gets. */
interface Asked {
  readonly prompt: string;
  readonly codebaseContext: string;
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
        generateWithContext: (prompt: string, call: { codebaseContext?: string; options: GenerateOptions }) => {
          asked.push({ prompt, codebaseContext: call.codebaseContext ?? '', options: call.options });
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
    controller = new GenerationController(services, panel, context, config, {} as vscode.Memento, {} as OpenAiKeyStore, new RecordingLogger(), {} as TaskController);
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

  it('sends the first lines of an error over a whole file (and the lines around them), asking to rewrite just those', async () => {
    const lines = Array.from({ length: 20_000 }, (_, i) => `  "k${i}": ${i},`);
    const doc = fakeVscode.openDocument(`${ROOT}/big.json`, `{\n${lines.join('\n')}\n}\n`);
    // JSON's "Missing property" on the root object: the whole document.
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(0, 0, 20_001, 1), 'Missing property "name".'));
    const request = asked.at(-1);
    assert.ok(request);
    assert.match(request.prompt, /Rewrite lines 1-46 of big\.json/);
    assert.ok(request.codebaseContext.length < 2_000, `${request.codebaseContext.length} characters sent`);
  });

  it('refuses a selection whose text as sent (with its header and fences) is over 1,000,000 characters, though the code alone is not', async () => {
    const code = 'x'.repeat(1_000_000 - 20);
    const doc = fakeVscode.openDocument(`${ROOT}/src/big.ts`, code);
    fakeVscode.activateEditor(doc);
    const all = new Selection(0, 0, 0, code.length);
    const editor = fakeWindow.activeTextEditor;
    assert.ok(editor);
    fakeWindow.activeTextEditor = { ...editor, selection: all, selections: [all] };
    assert.equal(await controller.generateWithSelection(), undefined);
    assert.equal(asked.length, 0, 'nothing was sent');
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /^Contexten: the selection is 1,000,0\d\d characters as sent \(with its file name and lines\), more than "Generate with Context" sends/);
  });

  it('refuses to send a fix for lines too long to rewrite (minified code), and says what to do', async () => {
    const doc = fakeVscode.openDocument(`${ROOT}/bundle.min.js`, `${'var a=1;'.repeat(5_000)}\n`);
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(0, 4, 0, 5), "Cannot find name 'b'."));
    assert.deepEqual(asked, []);
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /lines around this error are 40,000 characters long .*use "Generate with Context", or fix it by hand/);
  });

  it('with no editor to fix in and no file named, says to open the file with the error first', async () => {
    assert.equal(await controller.fixDiagnostic(), undefined);
    assert.deepEqual(asked, []);
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /open the file with the error, then choose "Fix with Context"/);
  });
});

describe('"Fix with Context" and the generation cache (a real pipeline, on a fake editor)', () => {
  let provider: ScriptedProvider;
  let controller: GenerationController;
  let panel: { retry?: (runId: number) => void; finished: number };

  beforeEach(() => {
    fakeVscode.openWorkspace(ROOT);
    const clock = new FakeClock();
    provider = new ScriptedProvider('openai');
    const pipeline = new GenerationPipeline({
      settings: () => generationSettings(),
      context: new FakeContextSource(),
      providers: { openai: provider },
      cache: new GenerationCache(clock, () => ({ enabled: true, ttlSeconds: 3600 })),
      maxConcurrent: () => 4,
      clock,
      logger: nullLogger,
    });
    let runId = 0;
    const listeners: ((a: ResultsAction) => void)[] = [];
    panel = { finished: 0 };
    const resultsPanel = {
      onDidRequestAction: (l: (a: ResultsAction) => void) => {
        listeners.push(l);
        return { dispose: () => undefined };
      },
      showGeneration: () => ++runId,
      get currentRunId() {
        return runId;
      },
      appendToken: () => undefined,
      finish: () => (panel.finished += 1),
      fail: () => undefined,
    } as unknown as ResultsPanel;
    // (The panel's Retry, or Regenerate on a finished run, as the panel passes it on.)
    panel.retry = (id) => {
      for (const l of listeners) l({ type: 'retry', runId: id, prompt: lastPrompt });
    };
    const relativePath = (uri: vscode.Uri): string | undefined => (uri.path.startsWith(`${ROOT}/`) ? uri.path.slice(ROOT.length + 1) : undefined);
    const context = { relativePath, uriFor: () => undefined, editorHints: () => ({ openFiles: [], recentFiles: [] }) } as unknown as ContextService;
    const config = { snapshot: { 'generation.provider': 'openai', 'openai.model': 'llama3.1', 'fixFromDiagnostics.enabled': true } } as unknown as ConfigService;
    controller = new GenerationController({ pipeline } as unknown as GenerationServices, resultsPanel, context, config, {} as vscode.Memento, {} as OpenAiKeyStore, new RecordingLogger(), {} as TaskController);
  });
  afterEach(() => controller.dispose());

  let lastPrompt = '';
  async function fixOnce(): Promise<void> {
    const doc = fakeVscode.openDocument(`${ROOT}/src/a.ts`, 'let y = x;\n');
    const result = await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(0, 8, 0, 9), "Cannot find name 'x'."));
    assert.ok(result, `the fix was generated (${JSON.stringify(fakeVscode.messages.at(-1))})`);
    lastPrompt = result.prompt;
  }
  const settled = (): Promise<void> => new Promise((resolve) => setTimeout(resolve, 0));

  it('asks the model again for a fix whose answer had nothing to apply (not the cache), and offers Regenerate next to the warning', async () => {
    provider.answer = () => ({ text: 'Run this:\n```bash\nnpm i\n```\n', model: 'm', truncated: false });
    await fixOnce();
    const warning = fakeVscode.messages.find((m) => m.kind === 'warning');
    assert.match(warning?.text ?? '', /no typescript code block to apply \(only shell\)/);
    assert.deepEqual(warning?.actions, ['Regenerate']);
    await fixOnce();
    assert.equal(provider.calls.length, 2, 'the light bulb again: the model is asked again');

    // Regenerate on the warning: the same request, to the model.
    provider.answer = () => ({ text: '```bash\nnpm i\n```\n', model: 'm', truncated: false });
    fakeVscode.answerMessage = (m) => (m.actions.includes('Regenerate') && provider.calls.length < 4 ? 'Regenerate' : undefined);
    await fixOnce();
    for (let i = 0; i < 10 && provider.calls.length < 4; i++) await settled();
    assert.equal(provider.calls.length, 4, 'Regenerate sent the request again');
    assert.equal(provider.calls[3]?.user, provider.calls[2]?.user);
  });

  it('asks the model again for a fix whose diff was discarded', async () => {
    provider.answer = () => ({ text: '```ts\nlet y = 1;\n```\nDefined it.', model: 'm', truncated: false });
    // (The diff's Apply / Discard is closed: discarded.)
    await fixOnce();
    assert.ok(fakeVscode.executed.some(([id]) => id === 'vscode.diff'), 'the diff was shown');
    await fixOnce();
    assert.equal(provider.calls.length, 2);
  });

  it('applies an answer that is only "add this import" as the import, keeping the lines it was asked to fix', async () => {
    provider.answer = () => ({ text: "The code is fine; add the import:\n```ts\nimport { x } from './x';\n```\n", model: 'm', truncated: false });
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/src/b.ts`, '// b\nlet y = x;\n');
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(1, 8, 1, 9), "Cannot find name 'x'."));
    assert.equal(doc.getText(), "import { x } from './x';\n\n// b\nlet y = x;\n");
  });

  it('applies an answer that is the whole file to the whole document, leaving nothing twice', async () => {
    const lines = [
      "import type { Item } from './item';",
      "import { TAX } from './tax';",
      '',
      '/** The items in the cart. */',
      'export const cart: Item[] = [];',
      '',
      'export function count(items: Item[]): number {',
      '  return items.length;',
      '}',
      '',
      'export function total(items: Item[]): number {',
      '  let sum = 0;',
      '  for (const i of items) sum += i.price;',
      '  return sum.toFixed(2);',
      '}',
      '',
      'export function withTax(items: Item[]): number {',
      '  return total(items) * (1 + TAX);',
      '}',
      '',
      'export function empty(items: Item[]): boolean {',
      '  return items.length === 0;',
      '}',
      '',
      'export function first(items: Item[]): Item | undefined {',
      '  return items[0];',
      '}',
      '',
    ];
    const text = lines.join('\n');
    const fixed = text.replace('sum.toFixed(2)', 'sum');
    provider.answer = () => ({ text: `Here is the corrected file:\n\`\`\`ts\n${fixed}\`\`\`\nI removed toFixed.`, model: 'm', truncated: false });
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/src/total.ts`, text);
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(13, 9, 13, 23), "Type 'string' is not assignable to type 'number'."));
    assert.equal(doc.getText(), fixed);
  });

  it("re-indents an answer given back dedented whose lines start at a docstring's closing quotes, read after the document's text above them", async () => {
    const lines = [
      'class Cart:',
      '    def load(self, path):',
      '        """Load a file.',
      '',
      '        Returns its text.',
      '        """',
      '        with open(path) as f:',
      '            return f.read()',
      '',
      '    def area(self, w, h):',
      '        scale = 2',
      '        return str(w * h * scale)',
      '',
      '    def main(self):',
      '        """Run it."""',
      '        print(self.area(2, 3) + 1)',
      '        print(self.load("x"))',
      '',
    ];
    const text = lines.join('\n');
    // (The error on line 12: the lines asked for are 6-17, from load()'s closing `"""` to main()'s end. The answer gives
    // them back a level less indented; read alone, its `"""` would open a string, main()'s lines taken for its text.)
    const dedented = lines
      .slice(5, 17)
      .map((l) => l.replace(/^ {4}/, ''))
      .join('\n')
      .replace('return str(w * h * scale)', 'return w * h * scale');
    provider.answer = () => ({ text: `Return a number:\n\`\`\`python\n${dedented}\n\`\`\`\n`, model: 'm', truncated: false });
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/src/cart.py`, text, 'python');
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(11, 15, 11, 33), 'Expression of type "str" is incompatible with return type "int".'));
    assert.equal(doc.getText(), text.replace('return str(w * h * scale)', 'return w * h * scale'));
  });

  it("applies an answer that is the whole function with its header changed (a type added) to the function, not leaving its header twice", async () => {
    const lines = [
      "import type { Item } from './item';",
      '',
      'export function total(items) {',
      '  let sum = 0;',
      '  let count = 0;',
      '  let max = 0;',
      '  for (const i of items) {',
      '    count += 1;',
      '    if (i.price > max) max = i.price;',
      '    sum += i.price;',
      '  }',
      '  const average = count === 0 ? 0 : sum / count;',
      '  const spread = max - average;',
      '  console.log(average, spread);',
      '  if (count === 0) return 0;',
      '  return sum;',
      '}',
      '',
      'export function withTax(items: Item[]) {',
      '  return total(items) * 1.2;',
      '}',
      '',
    ];
    const text = lines.join('\n');
    // (The error on line 10: the lines asked for are 4-16, the function's body without its header and closing brace.)
    const fn = lines.slice(2, 17).join('\n').replace('total(items) {', 'total(items: Item[]): number {');
    provider.answer = () => ({ text: `Type the parameter:\n\`\`\`ts\n${fn}\n\`\`\`\n`, model: 'm', truncated: false });
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/src/total.ts`, text);
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(9, 13, 9, 18), "Property 'price' does not exist on type 'unknown'."));
    assert.equal(doc.getText(), text.replace('total(items) {', 'total(items: Item[]): number {'));
  });

  it('applies an answer that is only the function with the error to that function, keeping the ends of the functions around it that the lines asked for hold', async () => {
    const text = CART_FUNCTIONS;
    // (The error on line 12: the lines asked for are 6-18, from count()'s loop to withTax()'s `return`.)
    provider.answer = () => ({ text: "Start from 0:\n```ts\nexport function total(items: Item[]): number {\n  return items.reduce((s, i) => s + i.price, 0);\n}\n```\n", model: 'm', truncated: false });
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/src/total.ts`, text);
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(11, 9, 11, 50), "Type 'string' is not assignable to type 'number'."));
    assert.equal(doc.getText(), text.replace("i.price, '')", 'i.price, 0)'));

    // Python: area() between load()'s end and main(), given back alone with its header typed.
    const py = 'import os\n\n\ndef load(path):\n    with open(path) as f:\n        return f.read()\n\n\ndef area(w, h):\n    scale = 2\n    total = w * h * scale\n    return str(total)\n\n\ndef main():\n    print(area(2, 3) + 1)\n    print(load(os.devnull))\n';
    provider.answer = () => ({ text: 'Return a number:\n```python\ndef area(w: int, h: int) -> int:\n    scale = 2\n    total = w * h * scale\n    return total\n```\n', model: 'm', truncated: false });
    const pyDoc = fakeVscode.openDocument(`${ROOT}/area.py`, py, 'python');
    await controller.fixDiagnostic(pyDoc.uri, new Diagnostic(new Range(11, 4, 11, 21), 'Expected int, got str'));
    assert.equal(pyDoc.getText(), py.replace('def area(w, h):', 'def area(w: int, h: int) -> int:').replace('return str(total)', 'return total'));
  });

  it('applies an answer that is one function of the lines asked for after an edit of another of their functions during the generation', async () => {
    const text = "import type { Item } from './item';\n\nexport function total(items: Item[]): number {\n  return items.reduce((s, i) => s + i.price, '');\n}\n\nexport function withTax(items: Item[]): number {\n  const t = total(items);\n  const rate = 1.2;\n  return t * rate;\n}\n";
    const doc = fakeVscode.openDocument(`${ROOT}/src/tax.ts`, text);
    provider.answer = () => {
      // (The user changes withTax()'s rate, among the lines asked for, while the answer comes: total() is as it was.)
      doc.edit(text.indexOf('1.2'), 3, '1.25');
      return { text: '```ts\nexport function total(items: Item[]): number {\n  return items.reduce((s, i) => s + i.price, 0);\n}\n```\n', model: 'm', truncated: false };
    };
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(3, 9, 3, 50), "Type 'string' is not assignable to type 'number'."));
    assert.equal(doc.getText(), text.replace("i.price, '')", 'i.price, 0)').replace('1.2', '1.25'));
  });

  it('applies an answer that is one method of the lines asked for, whose text is in the file twice, after an edit elsewhere during the generation', async () => {
    const str = "    def __str__(self):\n        return self.name + 1\n";
    const text = `class A:\n    def __init__(self):\n        self.name = 'a'\n\n${str}\n\nclass B:\n    def __init__(self):\n        self.name = 'b'\n\n${str}\n\ndef main():\n    print(str(B()))\n`;
    const doc = fakeVscode.openDocument(`${ROOT}/two.py`, text, 'python');
    provider.answer = () => {
      // (The user types above both classes while the answer comes.)
      doc.edit(0, 0, 'import sys\n');
      return { text: '```python\n    def __str__(self):\n        return self.name + "1"\n```\n', model: 'm', truncated: false };
    };
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(13, 8, 13, 28), 'Operator "+" not supported'));
    const fixedB = text.slice(0, text.lastIndexOf(str)) + str.replace('+ 1', '+ "1"') + text.slice(text.lastIndexOf(str) + str.length);
    assert.equal(doc.getText(), `import sys\n${fixedB}`);
  });

  it('applies nothing of an answer that is a method the lines asked for hold twice (which one it fixes is unclear), and says so', async () => {
    const text = 'class A:\n    def handle(self, event):\n        return event.name\n\n\nclass B:\n    def handle(self, event):\n        return event.value\n\n\ndef main():\n    print(B().handle(1))\n';
    provider.answer = () => ({ text: '```python\n    def handle(self, event):\n        return int(event.value)\n```\n', model: 'm', truncated: false });
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/h.py`, text, 'python');
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(7, 8, 7, 26), 'Expected int'));
    assert.equal(doc.getText(), text);
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /the answer gave back part of the lines asked for, and which of them it replaces is unclear; nothing was applied/);
  });

  it('applies nothing of a whole-file answer that leaves out part of the file ("# ... unchanged ..."), and says so', async () => {
    const helpers = Array.from({ length: 12 }, (_, i) => `def helper_${i}(x):\n    total = x + ${i}\n    return total\n\n`).join('\n');
    const text = `import os\nimport json\n\n\n${helpers}\ndef main():\n    data = {}\n    data["n"] = helper_1(data["n"])\n    data["m"] = helper_tw(data["m"])\n    print(os.getcwd())\n\n\nif __name__ == "__main__":\n    main()\n`;
    const line = text.split('\n').findIndex((l) => l.includes('helper_tw('));
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/h.py`, text, 'python');
    // helper_5 given as a line saying it is unchanged: replacing the document with the block would delete it.
    const elided = text.replace('def helper_5(x):\n    total = x + 5\n    return total\n', '# ... unchanged ...\n').replace('helper_tw(', 'helper_2(');
    provider.answer = () => ({ text: `Here's the corrected file:\n\`\`\`python\n${elided}\`\`\`\n`, model: 'm', truncated: false });
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(line, 0, line, 30), '"helper_tw" is not defined'));
    assert.equal(doc.getText(), text);
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /the answer left out parts of the file \("# \.\.\. unchanged \.\.\." stands for some of it\); nothing was applied/);
    // Left out with no line saying so: not all of the file, and too much of it to go in place of the lines alone.
    provider.answer = () => ({ text: `\`\`\`python\n${elided.replace('# ... unchanged ...\n', '')}\`\`\`\n`, model: 'm', truncated: false });
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(line, 0, line, 30), '"helper_tw" is not defined (again)'));
    assert.equal(doc.getText(), text);
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /the answer left out or changed parts of the file \(3 of its lines are not in its code\)/);
  });

  it('applies a fix with a new helper as many lines as the code after the lines asked for in their place, deleting none of that code', async () => {
    const parse = "def parse(text):\n    if not text:\n        return []\n    items = text.split(',')\n    cleaned = [i.strip() for i in items]\n    kept = [c for c in cleaned if c]\n    return kept\n";
    const text = `${parse}def main():\n    print(parse('a, b'))\n`;
    const fixed = `${parse.replace('i.strip()', 'normalize(i)')}def normalize(s):\n    return s.strip()\n`;
    provider.answer = () => ({ text: `Use a helper:\n\`\`\`python\n${fixed}\`\`\`\n`, model: 'm', truncated: false });
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/p.py`, text, 'python');
    // (The lines asked for: parse(), the error's line and the six after it; main() is the rest of the file.)
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(0, 4, 0, 9), 'parse: strip() is not normalize()'));
    assert.equal(doc.getText(), `${fixed}def main():\n    print(parse('a, b'))\n`);
  });

  it("puts a script's missing import above the code that uses it, not after a later import", async () => {
    const lines = ['import pandas as pd', '', 'df = pd.read_csv("data.csv")', 'summary = df.describe()', 'print(summary)', 'top = df.nlargest(10, "value")', 'print(top)', 'means = df.groupby("k").mean()', 'print(means)', 'df["log"] = np.log(df["value"])', 'totals = df.sum()', 'print(totals)', 'print(df.head())', 'print(df.tail())', 'print(df.shape)', 'print(df.dtypes)', '', 'import matplotlib.pyplot as plt', '', 'plt.plot(df["log"])', 'plt.show()', ''];
    const text = lines.join('\n');
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/nb.py`, text, 'python');
    provider.answer = () => ({ text: 'The code is fine; add:\n```python\nimport numpy as np\n```\n', model: 'm', truncated: false });
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(9, 11, 9, 13), '"np" is not defined'));
    assert.equal(doc.getText(), text.replace('import pandas as pd\n', 'import pandas as pd\nimport numpy as np\n'));
  });

  it('applies the fix, not the code as it was shown before it without its class\'s indentation ("Your code:", then "Fixed:")', async () => {
    const lines = ['TAX_RATE = 0.2', '', '', 'class Cart:', '    def __init__(self):', '        self.items = []', '', '    def total(self):', '        subtotal = 0', '        for item in self.items:', '            subtotal += item.price * item.qty', '        tax = subtotal * TAX_RATE', '        return subtotl + tax', '', '    def count(self):', '        return len(self.items)', ''];
    const text = lines.join('\n');
    // (What the window holds, lines 7-15, shown as a model may: without the class's indentation; its fix keeps it.)
    const shown = lines.slice(7, 16).map((l) => l.slice(4)).join('\n');
    const fixed = lines.slice(7, 16).join('\n').replace('subtotl', 'subtotal');
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const doc = fakeVscode.openDocument(`${ROOT}/cart.py`, text, 'python');
    provider.answer = () => ({ text: `\`subtotl\` is a typo. Your code:\n\`\`\`python\n${shown}\n\`\`\`\nFixed:\n\`\`\`python\n${fixed}\n\`\`\`\nI fixed the typo.`, model: 'm', truncated: false });
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(12, 15, 12, 22), '"subtotl" is not defined'));
    assert.equal(doc.getText(), text.replace('subtotl', 'subtotal'));
  });

  it("puts a fix given without its class's indentation back into the class (Python, TypeScript), and a Go fix in spaces into a tab-indented function in tabs", async () => {
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const lines = ['class Cart:', '    def __init__(self):', '        self.items = []', '', '    def total(self):', '        subtotal = 0', '        for item in self.items:', '            subtotal += item.price', '        return subtotl', ''];
    const text = lines.join('\n');
    const doc = fakeVscode.openDocument(`${ROOT}/cart.py`, text, 'python');
    // (The window, lines 2-9, answered from column 1 after "Fixed:" — as the class's lines would be outside it.)
    const fixed = lines.slice(1, 9).map((l) => l.slice(4)).join('\n').replace('subtotl', 'subtotal');
    provider.answer = () => ({ text: `Fixed:\n\`\`\`python\n${fixed}\n\`\`\`\nI fixed the typo.`, model: 'm', truncated: false });
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(8, 15, 8, 22), '"subtotl" is not defined'));
    assert.equal(doc.getText(), text.replace('subtotl', 'subtotal'));

    const methods = (names: readonly string[]): string[] => names.flatMap((n, i) => [`  ${n}(): number {`, `    return ${i};`, '  }']);
    const tsLines = ['export class Cart {', ...methods(['a', 'b', 'c']), '  total(): number {', '    return this.items.length + tax;', '  }', ...methods(['d', 'e', 'f']), '}', ''];
    const ts = tsLines.join('\n');
    const tsDoc = fakeVscode.openDocument(`${ROOT}/src/cart.ts`, ts);
    // (The window, lines 6-18: all in the class; answered without its 2 spaces.)
    const tsFixed = tsLines.slice(5, 18).map((l) => l.slice(2)).join('\n').replace(' + tax', '');
    provider.answer = () => ({ text: `\`\`\`ts\n${tsFixed}\n\`\`\`\nDropped tax.`, model: 'm', truncated: false });
    await controller.fixDiagnostic(tsDoc.uri, new Diagnostic(new Range(11, 32, 11, 35), "Cannot find name 'tax'."));
    assert.equal(tsDoc.getText(), ts.replace(' + tax', ''));

    const steps = (from: number): string[] => [0, 1, 2, 3, 4, 5].map((i) => `\tstep(${from + i})`);
    const goLines = ['package main', '', 'func load() error {', ...steps(0), '\tif err := read(); err != nil {', '\t\treturn fmt.Errorf("load: %w", er)', '\t}', ...steps(6), '\treturn nil', '}', ''];
    const go = goLines.join('\n');
    const goDoc = fakeVscode.openDocument(`${ROOT}/main.go`, go, 'go');
    // (The window, lines 4-17, in the function's body; answered from column 1, in spaces.)
    const goFixed = goLines.slice(3, 17).map((l) => l.replace(/^\t/, '').replace(/^\t/, '    ')).join('\n').replace('%w", er)', '%w", err)');
    provider.answer = () => ({ text: `\`\`\`go\n${goFixed}\n\`\`\`\nFixed the name.`, model: 'm', truncated: false });
    await controller.fixDiagnostic(goDoc.uri, new Diagnostic(new Range(10, 32, 10, 34), 'undefined: er'));
    assert.equal(goDoc.getText(), go.replace('%w", er)', '%w", err)'));
  });

  it("applies a fix to a CRLF document in CRLF lines, and an answer that gives the lines back as they were (LF) as no change", async () => {
    fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
    const text = 'function f() {\r\n  let y = x;\r\n  return y;\r\n}\r\n';
    const doc = fakeVscode.openDocument(`${ROOT}/src/c.ts`, text);
    provider.answer = () => ({ text: '```ts\nfunction f() {\n  let y = x;\n  return y;\n}\n```\nNothing to change.', model: 'm', truncated: false });
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(1, 10, 1, 11), "Cannot find name 'x'."));
    assert.equal(fakeVscode.executed.filter(([id]) => id === 'vscode.diff').length, 0, 'no diff of line endings alone');
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /leaves c\.ts as it is, so there is nothing to apply/);
    provider.answer = () => ({ text: '```ts\nfunction f() {\n  let y = 1;\n  return y;\n}\n```\nDefined it.', model: 'm', truncated: false });
    await controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(1, 10, 1, 11), "Cannot find name 'x'."));
    assert.equal(JSON.stringify(doc.getText()), JSON.stringify(text.replace('= x', '= 1')));
  });

  it('applies the fixes of two errors of one file asked together, both, one diff after the other', async () => {
    const notes = Array.from({ length: 13 }, (_, i) => `// note ${i}`);
    const lines = ['function a(): number {', '  return x;', '}', ...notes, 'function b(): number {', '  return y;', '}', ''];
    const doc = fakeVscode.openDocument(`${ROOT}/src/two.ts`, lines.join('\n'));
    // (Each error's lines, 6 either side — lines 1-8 and 12-19 — each fixed in its answer.)
    const window = (from: number, to: number): string => lines.slice(from, to + 1).join('\n');
    provider.answer = (req) =>
      req.user.includes("Cannot find name 'x'")
        ? { text: `\`\`\`ts\n${window(0, 7).replace('x;', '1;')}\n\`\`\`\nDefined x.`, model: 'm', truncated: false }
        : { text: `\`\`\`ts\n${window(11, 18).replace('y;', '2;')}\n\`\`\`\nDefined y.`, model: 'm', truncated: false };
    // The first diff's Apply waits until the second answer is in too.
    const asked: string[] = [];
    let applyFirst: (pick: string) => void = () => undefined;
    fakeVscode.answerMessage = (m) => {
      if (!m.actions.includes('Apply')) return undefined;
      asked.push(m.text);
      return asked.length === 1 ? new Promise<string>((resolve) => (applyFirst = resolve)) : 'Apply';
    };
    const first = controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(1, 9, 1, 10), "Cannot find name 'x'."));
    const second = controller.fixDiagnostic(doc.uri, new Diagnostic(new Range(17, 9, 17, 10), "Cannot find name 'y'."));
    const waits = (): boolean => fakeVscode.messages.some((m) => /another proposed change to two\.ts is open/.test(m.text));
    while (!(asked.length === 2 || (asked.length === 1 && waits()))) await fakeVscode.nextShown();
    applyFirst('Apply');
    await Promise.all([first, second]);
    assert.equal(doc.getText(), lines.join('\n').replace('x;', '1;').replace('y;', '2;'));
    assert.equal(asked.length, 2, 'each diff was asked about');
  });

  it('keeps an applied fix cached: the same fix asked again is answered from the cache', async () => {
    provider.answer = () => ({ text: '```ts\nlet y = 1;\n```\nDefined it.', model: 'm', truncated: false });
    // (The fake editor applies no WorkspaceEdit: the diff's Apply is taken as done.)
    let shown = 0;
    (controller as unknown as { edits: { showDiffThenApply: () => Promise<boolean> } }).edits.showDiffThenApply = () => Promise.resolve(++shown > 0);
    await fixOnce();
    await fixOnce();
    assert.equal(shown, 2, 'both fixes were applied');
    assert.equal(provider.calls.length, 1, 'the applied fix came from the cache');
  });

  it('Generate Code… answers a repeat from the cache; Regenerate on the finished run asks the model again (as for a fix)', async () => {
    await controller.generate('Add a doc comment');
    const again = await controller.generate('Add a doc comment');
    assert.equal(again?.cached, true, 'the same prompt again: from the cache');
    assert.equal(provider.calls.length, 1);
    lastPrompt = 'Add a doc comment';
    panel.retry?.(2);
    for (let i = 0; i < 10 && provider.calls.length < 2; i++) await settled();
    assert.equal(provider.calls.length, 2, 'Regenerate skipped the cached answer');
    // (And its new answer is the one cached now.)
    assert.equal((await controller.generate('Add a doc comment'))?.cached, true);
    assert.equal(provider.calls.length, 2);
  });
});
