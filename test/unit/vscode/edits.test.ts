import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode, type FakeTab, type FakeTextDocument, Selection, TabInputTextDiff, Uri, window, workspace } from '../fakes/fakeVscode';
import type * as vscode from 'vscode';
import { CodeEdits, type EditTarget, targetFromEditor } from '../../../src/vscode/edits';

const ROOT = '/home/user/w';

/** An editor on `doc` with one selection, indenting as `options` say. */
function editorOn(doc: FakeTextDocument, selection: Selection, options = { insertSpaces: true, tabSize: 4 }): vscode.TextEditor {
  return { document: doc, selection, selections: [selection], viewColumn: 1, options } as unknown as vscode.TextEditor;
}

/** The target of an editor's selection, as a panel action takes it. */
function target(doc: FakeTextDocument, selection: Selection, options?: { insertSpaces: boolean; tabSize: number }): EditTarget {
  return targetFromEditor(editorOn(doc, selection, options));
}

/** Text typed into a document at an offset (a new version, as typing makes). */
function type(doc: FakeTextDocument, offset: number, text: string): void {
  doc.edit(offset, 0, text);
}

describe('CodeEdits (generated code into a fake editor)', () => {
  let edits: CodeEdits;
  beforeEach(() => {
    fakeVscode.openWorkspace(ROOT);
    edits = new CodeEdits();
  });
  afterEach(() => edits.dispose());

  describe('a target made before the document changed (a request\'s, when no editor can be edited now)', () => {
    it('Insert goes where the lines the request was for are now, not into the text that moved to their old place', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/a.ts`, 'const broken = 1;\nnext();\n');
      const t = target(doc, new Selection(0, 0, 1, 0));
      type(doc, 0, '// added above\n');
      assert.equal(await edits.insertAtCursor(t, 'inserted();\n'), true);
      assert.equal(doc.getText(), '// added above\nconst broken = 1;\ninserted();\nnext();\n');
    });

    it('Replace Selection replaces the lines the request was for, not the line the user added above them', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/a.ts`, 'const broken = 1;\nnext();\n');
      const t = target(doc, new Selection(0, 0, 1, 0));
      type(doc, 0, '// added above\n');
      assert.equal(await edits.replaceSelection(t, 'const fixed = 1;\n'), true);
      assert.equal(doc.getText(), '// added above\nconst fixed = 1;\nnext();\n');
    });

    it('puts nothing anywhere when those lines were edited since, and says so', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/a.ts`, 'const broken = 1;\nnext();\n');
      const t = target(doc, new Selection(0, 0, 1, 0));
      type(doc, 5, 'X');
      assert.equal(await edits.insertAtCursor(t, 'inserted();\n'), false);
      assert.equal(await edits.replaceSelection(t, 'const fixed = 1;\n'), false);
      assert.equal(doc.getText(), 'constX broken = 1;\nnext();\n');
      assert.equal(fakeVscode.messages.length, 2);
      assert.match(fakeVscode.messages[0]?.text ?? '', /changed or removed, so nothing was applied/);
    });
  });

  it('Replace Selection with nothing selected replaces nothing and says to select the code or use Insert (not an insert mid-word)', async () => {
    const doc = fakeVscode.openDocument(`${ROOT}/b.ts`, 'request();\n');
    assert.equal(await edits.replaceSelection(target(doc, new Selection(0, 2, 0, 2)), 'rewritten();\n'), false);
    assert.equal(doc.getText(), 'request();\n');
    assert.equal(fakeVscode.messages.length, 1);
    assert.match(fakeVscode.messages[0]?.text ?? '', /nothing is selected in b\.ts.*Select the code to replace.*or use Insert/);
  });

  describe('Insert indents the code as the line it goes into', () => {
    it('each line after the first gets the indentation, in tabs where the editor indents with tabs', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/c.ts`, 'class A {\n\tm() {\n\t\t\n\t}\n}\n');
      await edits.insertAtCursor(target(doc, new Selection(2, 2, 2, 2), { insertSpaces: false, tabSize: 4 }), 'if (x) {\n  return 1;\n}\n');
      assert.equal(doc.getText(), 'class A {\n\tm() {\n\t\tif (x) {\n\t\t\treturn 1;\n\t\t}\n\t}\n}\n');
    });

    it("ends the code's lines as the document's: a model's LF lines in a CRLF document are CRLF (Insert, Replace Selection)", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/c.ts`, 'function f() {\r\n  \r\n}\r\n');
      await edits.insertAtCursor(target(doc, new Selection(1, 2, 1, 2), { insertSpaces: true, tabSize: 2 }), 'if (x) {\n  return 1;\n}\n');
      assert.equal(JSON.stringify(doc.getText()), JSON.stringify('function f() {\r\n  if (x) {\r\n    return 1;\r\n  }\r\n}\r\n'));
      await edits.replaceSelection(target(doc, new Selection(1, 0, 4, 0)), '  g();\n  h();\n');
      assert.equal(JSON.stringify(doc.getText()), JSON.stringify('function f() {\r\n  g();\r\n  h();\r\n}\r\n'));
    });

    it("takes off the answer's own common indentation first: a method copied with the class body's spaces goes in once indented", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/c.py`, 'class A:\n    \n', 'python');
      await edits.insertAtCursor(target(doc, new Selection(1, 4, 1, 4)), '    def f(self):\n        return 1\n');
      assert.equal(doc.getText(), 'class A:\n    def f(self):\n        return 1\n');
      // Replace Selection of a method selected from `def`, the answer starting there and its body where it is in the file.
      await edits.replaceSelection(target(doc, new Selection(1, 4, 2, 16)), 'def f(self):\n        return 2\n');
      assert.equal(doc.getText(), 'class A:\n    def f(self):\n        return 2\n');
    });

    it("Replace Selection of whole lines gives back the indentation the answer left off them (a class's method, from column 1)", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/d.py`, 'class A:\n    def f(self):\n        return 1\n', 'python');
      await edits.replaceSelection(target(doc, new Selection(1, 0, 3, 0)), 'def f(self):\n    return 2\n');
      assert.equal(doc.getText(), 'class A:\n    def f(self):\n        return 2\n');
    });

    it('tabs of the code become spaces where the editor indents with spaces; blank lines stay blank', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/c.ts`, 'function f() {\n  \n}\n');
      await edits.insertAtCursor(target(doc, new Selection(1, 2, 1, 2), { insertSpaces: true, tabSize: 2 }), 'if (x) {\n\treturn 1;\n\n}\n');
      assert.equal(doc.getText(), 'function f() {\n  if (x) {\n    return 1;\n\n  }\n}\n');
    });
  });

  describe('Show Diff', () => {
    it('applies at a bare cursor after an edit elsewhere while the diff was open (followed, not searched for)', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/d.ts`, 'a();\nb();\n');
      fakeVscode.answerMessage = (m) => {
        if (!m.actions.includes('Apply')) return undefined;
        type(doc, 0, '// above\n');
        type(doc, doc.getText().length, 'c();\n');
        return 'Apply';
      };
      assert.equal(await edits.showDiffThenApply(target(doc, new Selection(1, 0, 1, 0)), 'between();\n'), true);
      assert.equal(doc.getText(), '// above\na();\nbetween();\nb();\nc();\n');
    });

    it("keeps the diff's proposed side the document as it is now with the change, through edits made while it is open, and applies that", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/d.ts`, 'a();\nold();\nb();\n');
      const refreshed: string[] = [];
      const listening = edits.onDidChange((uri) => refreshed.push(edits.provideTextDocumentContent(uri)));
      let shownAfterEdit = '';
      fakeVscode.answerMessage = (m) => {
        if (!m.actions.includes('Apply')) return undefined;
        type(doc, 0, '// above\n');
        type(doc, doc.getText().length, 'c();\n');
        const proposed = fakeVscode.executed.find(([id]) => id === 'vscode.diff')?.[2] as vscode.Uri;
        shownAfterEdit = edits.provideTextDocumentContent(proposed);
        return 'Apply';
      };
      assert.equal(await edits.showDiffThenApply(target(doc, new Selection(1, 0, 2, 0)), 'fresh();\n'), true);
      const after = '// above\na();\nfresh();\nb();\nc();\n';
      // (Not the proposal as first shown, which would show the user's two lines undone by the change.)
      assert.equal(shownAfterEdit, after);
      assert.equal(refreshed.at(-1), after, 'VS Code told the proposed side changed');
      assert.equal(doc.getText(), after);
      listening.dispose();
    });

    it('when the lines it changes are edited while it is open, shows no change on the proposed side and applies nothing, saying why', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/d.ts`, 'a();\nold();\nb();\n');
      let shownAfterEdit = '';
      fakeVscode.answerMessage = (m) => {
        if (!m.actions.includes('Apply')) return undefined;
        type(doc, 7, 'X');
        const proposed = fakeVscode.executed.find(([id]) => id === 'vscode.diff')?.[2] as vscode.Uri;
        shownAfterEdit = edits.provideTextDocumentContent(proposed);
        return 'Apply';
      };
      assert.equal(await edits.showDiffThenApply(target(doc, new Selection(1, 0, 2, 0)), 'fresh();\n'), false);
      assert.equal(shownAfterEdit, 'a();\nolXd();\nb();\n');
      assert.equal(doc.getText(), 'a();\nolXd();\nb();\n');
      assert.match(fakeVscode.messages.at(-1)?.text ?? '', /d\.ts changed after the request and the lines the code was made for were changed or removed, so nothing was applied/);
    });

    it('follows a bare cursor through one change event of several changes (a multi-cursor edit), whatever their order', async () => {
      // (Each change's offsets are in the text before the event: the second, at b's column 1, is after the cursor at
      // b's column 0 — though past where the first, at a's column 1, moved the cursor to.)
      const typed = [
        { start: 1, deleteCount: 0, text: 'X' },
        { start: 6, deleteCount: 0, text: 'X' },
      ];
      for (const changes of [typed, [...typed].reverse()]) {
        const doc = fakeVscode.openDocument(`${ROOT}/m${changes[0]?.start}.ts`, 'a();\nb();\n');
        fakeVscode.answerMessage = (m) => {
          if (!m.actions.includes('Apply')) return undefined;
          doc.editAll(changes);
          return 'Apply';
        };
        assert.equal(await edits.showDiffThenApply(target(doc, new Selection(1, 0, 1, 0)), 'between();\n'), true);
        assert.equal(doc.getText(), 'aX();\nbetween();\nbX();\n', `changes at ${changes.map((c) => c.start).join(', ')}`);
      }
    });

    it('applies nothing at a bare cursor whose place was edited while the diff was open', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/d.ts`, 'a();\nb();\n');
      fakeVscode.answerMessage = (m) => {
        if (!m.actions.includes('Apply')) return undefined;
        // (The line break before it and the b after it.)
        doc.edit(4, 2, '');
        return 'Apply';
      };
      assert.equal(await edits.showDiffThenApply(target(doc, new Selection(1, 0, 1, 0)), 'between();\n'), false);
      assert.equal(doc.getText(), 'a();();\n');
      assert.match(fakeVscode.messages.at(-1)?.text ?? '', /the place of the cursor \(no code was selected\) was edited/);
    });

    it("a fix that keeps the lines as they are and adds an import: only the import goes in, the lines are left as they are (tabs in a spaces editor too)", async () => {
      const window = 'function total(items: Item[]) {\n\treturn sum(items);\n}';
      const doc = fakeVscode.openDocument(`${ROOT}/f.ts`, `import type { Item } from './item';\n\n${window}\n`);
      const asked: string[] = [];
      fakeVscode.answerMessage = (m) => {
        asked.push(m.text);
        return m.actions.includes('Apply') ? 'Apply' : undefined;
      };
      const t = target(doc, new Selection(2, 0, 4, 1), { insertSpaces: true, tabSize: 2 });
      assert.equal(await edits.showDiffThenApply(t, window, 'Fix with Context', ["import { sum } from './math';"]), true);
      assert.equal(doc.getText(), `import type { Item } from './item';\nimport { sum } from './math';\n\n${window}\n`);
      assert.match(asked[0] ?? '', /apply the proposed change to f\.ts \(with the import the answer proposed: import \{ sum \} from '\.\/math';\)\?/);
    });

    it('an import-only fix of the first lines of a file with no imports: the import goes in front of them, the lines left as they are, in the file\'s line endings', async () => {
      const window = 'function total(items) {\n\treturn sum(items);\n}';
      for (const eol of ['\n', '\r\n']) {
        const lines = window.replace(/\n/g, eol);
        const doc = fakeVscode.openDocument(`${ROOT}/h${eol.length}.js`, `${lines}${eol}`);
        fakeVscode.answerMessage = (m) => (m.actions.includes('Apply') ? 'Apply' : undefined);
        const t = target(doc, new Selection(0, 0, 2, 1), { insertSpaces: true, tabSize: 2 });
        assert.equal(await edits.showDiffThenApply(t, lines, 'Fix with Context', ["import { sum } from './math';"]), true);
        assert.equal(JSON.stringify(doc.getText()), JSON.stringify(`import { sum } from './math';${eol}${eol}${lines}${eol}`));
      }
    });

    it("a Go fix's import goes into the file's import group, in the diff and in the edit", async () => {
      const window = 'func main() {\n\tfmt.Println(strings.ToUpper("a"))\n}';
      const doc = fakeVscode.openDocument(`${ROOT}/main.go`, `package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\n${window}\n`, 'go');
      const shown: string[] = [];
      fakeVscode.answerMessage = (m) => {
        const proposed = fakeVscode.executed.find(([id]) => id === 'vscode.diff')?.[2] as { toString(): string } | undefined;
        if (proposed) shown.push(edits.provideTextDocumentContent(proposed as vscode.Uri));
        return m.actions.includes('Apply') ? 'Apply' : undefined;
      };
      const t = target(doc, new Selection(7, 0, 9, 1), { insertSpaces: false, tabSize: 4 });
      assert.equal(await edits.showDiffThenApply(t, window.replace('"a"', '"b"'), 'Fix with Context', ['import "strings"']), true);
      const after = `package main\n\nimport (\n\t"fmt"\n\t"os"\n\t"strings"\n)\n\n${window.replace('"a"', '"b"')}\n`;
      assert.deepEqual(shown, [after]);
      assert.equal(doc.getText(), after);
    });

    it('says there is nothing to apply, with no diff, when the change leaves the file as it is (naming an import it leaves out)', async () => {
      const window = 'function total(items: Item[]) {\n  return sum(items);\n}';
      const doc = fakeVscode.openDocument(`${ROOT}/g.ts`, `import { sum } from './math';\n\n${window}\n`);
      const t = target(doc, new Selection(2, 0, 4, 1));
      assert.equal(await edits.showDiffThenApply(t, window, 'Fix with Context'), false);
      assert.equal(await edits.showDiffThenApply(t, window, 'Fix with Context', ["import { sum } from './math';"]), false);
      assert.equal(await edits.showDiffThenApply(t, window, 'Fix with Context', ["import { sum as add } from './math';"]), false);
      assert.equal(fakeVscode.executed.filter(([id]) => id === 'vscode.diff').length, 0, 'no diff shown');
      assert.deepEqual(
        fakeVscode.messages.map((m) => m.text),
        [
          'Contexten: the proposed change leaves g.ts as it is, so there is nothing to apply.',
          'Contexten: the proposed change leaves g.ts as it is, so there is nothing to apply.',
          "Contexten: the proposed change leaves g.ts as it is, so there is nothing to apply. The answer proposed an import this change leaves out (the file imports that module already, or has no place for it sure to be right); add it yourself if needed: import { sum as add } from './math';",
        ],
      );
      assert.equal(doc.getText(), `import { sum } from './math';\n\n${window}\n`);
    });

    it("Copy Code, when the fix's lines are gone, copies its imports above its code", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/h.ts`, 'let y = x;\n');
      const t = target(doc, new Selection(0, 0, 0, 10));
      type(doc, 4, 'Z');
      fakeVscode.answerMessage = (m) => (m.actions.includes('Copy Code') ? 'Copy Code' : undefined);
      assert.equal(await edits.showDiffThenApply(t, 'let y = parse(x);', 'Fix with Context', ["import { parse } from './parse';"]), false);
      assert.deepEqual(fakeVscode.copied, ["import { parse } from './parse';\n\nlet y = parse(x);"]);
    });

    /**
     * Show Diff with its questions answered by the test: the nth Apply question by `answers[n]` (a pick, or a promise of
     * one), the diff shown with it recorded (its proposed text); a Copy Code offer taken.
     */
    function answering(answers: (string | Promise<string>)[]): { readonly asked: string[]; readonly diffs: string[] } {
      const asked: string[] = [];
      const diffs: string[] = [];
      fakeVscode.answerMessage = (m) => {
        if (m.actions.includes('Copy Code')) return 'Copy Code';
        if (!m.actions.includes('Apply')) return undefined;
        asked.push(m.text);
        const proposed = fakeVscode.executed.filter(([id]) => id === 'vscode.diff').at(-1)?.[2];
        diffs.push(edits.provideTextDocumentContent(proposed as vscode.Uri));
        return answers[asked.length - 1];
      };
      return { asked, diffs };
    }

    /**
     * Once the first of two Show Diffs of e.ts is asked about and the second waits for it, said to the user — or, were
     * they not shown one at a time, the second is asked about too.
     */
    async function secondWaitsOrIsAsked(asked: readonly string[]): Promise<void> {
      const waits = (): boolean => fakeVscode.messages.some((m) => /another proposed change to e\.ts is open; this one is shown when you apply or discard that one/.test(m.text));
      while (!(asked.length === 2 || (asked.length === 1 && waits()))) await fakeVscode.nextShown();
    }

    /** How many diffs were shown. */
    function diffsShown(): number {
      return fakeVscode.executed.filter(([id]) => id === 'vscode.diff').length;
    }

    it('with two for different lines of a document, shows one at a time and applies both in order, the second where its lines moved to', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\nfunction g() {}\n');
      let applyFirst: (pick: string) => void = () => undefined;
      const { asked, diffs } = answering([new Promise<string>((resolve) => (applyFirst = resolve)), 'Apply']);
      const first = edits.showDiffThenApply(target(doc, new Selection(0, 0, 1, 0)), '/** Does f. */\nfunction f() {}\n');
      const second = edits.showDiffThenApply(target(doc, new Selection(2, 0, 3, 0)), '/** Does g. */\nfunction g() {}\n');
      await secondWaitsOrIsAsked(asked);
      assert.equal(diffsShown(), 1);
      assert.deepEqual(diffs, ['/** Does f. */\nfunction f() {}\nconst a = 1;\nfunction g() {}\n']);
      applyFirst('Apply');
      assert.equal(await first, true);
      assert.equal(await second, true);
      // (The second shown against the document with the first applied: its lines a line further down.)
      assert.equal(diffs[1], '/** Does f. */\nfunction f() {}\nconst a = 1;\n/** Does g. */\nfunction g() {}\n');
      assert.equal(doc.getText(), '/** Does f. */\nfunction f() {}\nconst a = 1;\n/** Does g. */\nfunction g() {}\n');
    });

    it('with the first of two discarded, shows and applies the second on the document as it is', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\nfunction g() {}\n');
      let discardFirst: (pick: string) => void = () => undefined;
      const { asked } = answering([new Promise<string>((resolve) => (discardFirst = resolve)), 'Apply']);
      const first = edits.showDiffThenApply(target(doc, new Selection(0, 0, 1, 0)), '/** Does f. */\nfunction f() {}\n');
      const second = edits.showDiffThenApply(target(doc, new Selection(2, 0, 3, 0)), '/** Does g. */\nfunction g() {}\n');
      await secondWaitsOrIsAsked(asked);
      assert.equal(diffsShown(), 1, 'the second waits for the first');
      discardFirst('Discard');
      assert.equal(await first, false);
      assert.equal(await second, true);
      assert.equal(doc.getText(), 'function f() {}\nconst a = 1;\n/** Does g. */\nfunction g() {}\n');
    });

    it("with the first's diff tab closed and its prompt left unanswered, discards it and shows the second; Apply clicked late applies nothing and says so", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\nfunction g() {}\n');
      // (VS Code keeps a notification's promise pending until it is answered: the first one's answer comes only later.)
      let answerFirstLate: (pick: string) => void = () => undefined;
      const { asked } = answering([new Promise<string>((resolve) => (answerFirstLate = resolve)), 'Apply']);
      const first = edits.showDiffThenApply(target(doc, new Selection(0, 0, 1, 0)), '/** Does f. */\nfunction f() {}\n');
      const second = edits.showDiffThenApply(target(doc, new Selection(2, 0, 3, 0)), '/** Does g. */\nfunction g() {}\n');
      await secondWaitsOrIsAsked(asked);
      assert.equal(diffsShown(), 1, 'the second waits for the first');
      const [, original, proposed] = fakeVscode.executed.find(([id]) => id === 'vscode.diff') ?? [];
      fakeVscode.closeTab(new TabInputTextDiff(original as never, proposed as never));
      assert.equal(await first, false);
      assert.equal(await second, true);
      assert.equal(diffsShown(), 2);
      assert.equal(doc.getText(), 'function f() {}\nconst a = 1;\n/** Does g. */\nfunction g() {}\n');
      // The first's notification answered after its diff was closed: nothing of it goes in, and the user is told why.
      const told = fakeVscode.nextShown();
      answerFirstLate('Apply');
      assert.match((await told as { text: string }).text, /the proposed change to e\.ts was already discarded \(its diff was closed before Apply was clicked\), so nothing was applied/);
      assert.equal(doc.getText(), 'function f() {}\nconst a = 1;\n/** Does g. */\nfunction g() {}\n');
    });

    /** The tabs of the editor area that show a diff. */
    function diffTabs(): unknown[] {
      return window.tabGroups.all.flatMap((group) => group.tabs).filter((tab) => tab.input instanceof TabInputTextDiff);
    }

    /**
     * Show Diff whose diff opens as a tab (in its own column and, split off, in a second) and whose question is answered
     * `pick` once the diff shows; whether its tabs were all still open when the file was edited.
     */
    async function answeredWithTabOpen(pick: string | undefined, doc: FakeTextDocument): Promise<{ applied: boolean; tabsAtEdit: number }> {
      let tabsAtEdit = -1;
      const edited = workspace.onDidChangeTextDocument(() => (tabsAtEdit = diffTabs().length));
      fakeVscode.answerMessage = (m) => {
        if (!m.actions.includes('Apply')) return undefined;
        const [, original, proposed] = fakeVscode.executed.find(([id]) => id === 'vscode.diff') ?? [];
        fakeVscode.openTab(new TabInputTextDiff(original as never, proposed as never), 1);
        fakeVscode.openTab(new TabInputTextDiff(original as never, proposed as never), 2);
        fakeVscode.openTab(new TabInputTextDiff(original as never, Uri.from({ scheme: 'contexten-proposed', path: '/99/e.ts' }) as never), 2);
        return pick;
      };
      try {
        const applied = await edits.showDiffThenApply(target(doc, new Selection(0, 0, 1, 0)), '/** Does f. */\nfunction f() {}\n');
        return { applied, tabsAtEdit };
      } finally {
        edited.dispose();
      }
    }

    it("Apply clicked in the question closes the diff's tabs (after the edit), and only those", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\n');
      const { applied, tabsAtEdit } = await answeredWithTabOpen('Apply', doc);
      assert.equal(applied, true);
      assert.equal(doc.getText(), '/** Does f. */\nfunction f() {}\nconst a = 1;\n');
      assert.equal(tabsAtEdit, 3, 'closed after the edit: all three diff tabs were open then');
      assert.equal(diffTabs().length, 1, "another diff's tab stays");
    });

    /**
     * Show Diff of e.ts's first line answered Apply, its diff open as a tab, with the window's tabGroups.close replaced by
     * `close` (given the fake's own, which closes the tabs): whether it applied.
     */
    async function appliedWithClose(doc: FakeTextDocument, close: (tabs: FakeTab | readonly FakeTab[], closeTabs: typeof window.tabGroups.close) => Promise<boolean>): Promise<boolean> {
      const closeTabs = window.tabGroups.close;
      window.tabGroups.close = (tabs) => close(tabs, closeTabs);
      fakeVscode.answerMessage = (m) => {
        if (!m.actions.includes('Apply')) return undefined;
        const [, original, proposed] = fakeVscode.executed.find(([id]) => id === 'vscode.diff') ?? [];
        fakeVscode.openTab(new TabInputTextDiff(original as never, proposed as never), 1);
        return 'Apply';
      };
      try {
        return await edits.showDiffThenApply(target(doc, new Selection(0, 0, 1, 0)), '/** Does f. */\nfunction f() {}\n');
      } finally {
        window.tabGroups.close = closeTabs;
      }
    }

    it('Apply puts the change where its lines are, whole, when the file is edited above them as its diff closes', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\n');
      const applied = await appliedWithClose(doc, (tabs, closeTabs) => {
        doc.edit(0, 0, '// header\n');
        return closeTabs(tabs);
      });
      assert.equal(applied, true);
      assert.equal(doc.getText(), '// header\n/** Does f. */\nfunction f() {}\nconst a = 1;\n');
      assert.equal(diffTabs().length, 0);
    });

    it("Apply's change is made before its diff closes: an edit of its lines made meanwhile goes into the changed text, not under it", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\n');
      let atClose = '';
      const applied = await appliedWithClose(doc, (tabs, closeTabs) => {
        atClose = doc.getText();
        // (The user renames the function, in the lines the change replaces.)
        doc.edit(doc.getText().indexOf('f()'), 1, 'g');
        return closeTabs(tabs);
      });
      assert.equal(applied, true);
      assert.equal(atClose, '/** Does f. */\nfunction f() {}\nconst a = 1;\n');
      assert.equal(doc.getText(), '/** Does f. */\nfunction g() {}\nconst a = 1;\n', 'the rename is kept');
    });

    it('Apply applies nothing, and says so, when the lines it is for are edited between the answer and the edit (the file opened again)', async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\n');
      const open = workspace.openTextDocument;
      let renamed = false;
      // (The document asked for once the question is answered: the user renames the function as it comes.)
      workspace.openTextDocument = (uri) => {
        if (!renamed && fakeVscode.messages.some((m) => m.actions.includes('Apply')) && uri.toString() === doc.uri.toString()) {
          renamed = true;
          doc.edit(doc.getText().indexOf('f()'), 1, 'g');
        }
        return open(uri);
      };
      try {
        assert.equal(await appliedWithClose(doc, (tabs, closeTabs) => closeTabs(tabs)), false);
      } finally {
        workspace.openTextDocument = open;
      }
      assert.equal(doc.getText(), 'function g() {}\nconst a = 1;\n');
      assert.match(fakeVscode.messages.at(-1)?.text ?? '', /the lines the code was made for were changed or removed, so nothing was applied/);
    });

    it('Apply does not wait for its diff to close: a close that never ends, or fails, leaves the change applied', async () => {
      const closes: ((tabs: FakeTab | readonly FakeTab[], closeTabs: typeof window.tabGroups.close) => Promise<boolean>)[] = [
        () => new Promise<boolean>(() => undefined),
        () => Promise.reject(new Error('the window could not close the tab')),
      ];
      for (const close of closes) {
        fakeVscode.openWorkspace(ROOT);
        const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\n');
        assert.equal(await appliedWithClose(doc, close), true);
        assert.equal(doc.getText(), '/** Does f. */\nfunction f() {}\nconst a = 1;\n');
      }
    });

    it("Discard clicked, or the question closed, closes the diff's tabs too and applies nothing", async () => {
      for (const pick of ['Discard', undefined]) {
        fakeVscode.openWorkspace(ROOT);
        const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'function f() {}\nconst a = 1;\n');
        const { applied } = await answeredWithTabOpen(pick, doc);
        assert.equal(applied, false);
        assert.equal(doc.getText(), 'function f() {}\nconst a = 1;\n');
        assert.equal(diffTabs().length, 1, `${String(pick)}: the diff's two tabs closed, another diff's left`);
      }
    });

    it("with two for the same lines, applies nothing of the second once the first changed them, says so and offers its code (not put into the first's code)", async () => {
      const doc = fakeVscode.openDocument(`${ROOT}/e.ts`, 'const a = 1;\nfunction f() {}\nconst b = 2;\n');
      const t = target(doc, new Selection(1, 0, 2, 0));
      answering(['Apply', 'Apply']);
      const first = edits.showDiffThenApply(t, '/** Does f. */\nfunction f() {}\n');
      const second = edits.showDiffThenApply(t, '// f\nfunction f() {}\n', 'Fix with Context', ["import { f } from './f';"]);
      assert.equal(await first, true);
      assert.equal(await second, false);
      // (Its text, function f() {}, is still there — in the first one's code: found by it, the second would go there.)
      assert.equal(doc.getText(), 'const a = 1;\n/** Does f. */\nfunction f() {}\nconst b = 2;\n');
      assert.equal(diffsShown(), 1, "the second's diff was not shown");
      assert.match(fakeVscode.messages.at(-1)?.text ?? '', /the proposed change to e\.ts shown before this one was applied \(or the file was edited\) and changed the lines this one was made for, so nothing was applied/);
      assert.deepEqual(fakeVscode.copied, ["import { f } from './f';\n\n// f\nfunction f() {}\n"]);
    });
  });
});
