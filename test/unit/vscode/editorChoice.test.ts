import assert from 'node:assert/strict';
import {
  columnFor,
  documentsInTabs,
  type EditorFacts,
  editorToEdit,
  editorToRead,
  fileBehind,
  LastEditTarget,
  needsReveal,
  pathForPrompt,
  readOnlyMessage,
  type TabShows,
} from '../../../src/vscode/editorChoice';

/** An editor as the rules see it: its document's URI, and whether code can go into it. */
interface Editor {
  readonly uri: string;
  readonly writable: boolean;
}
const facts: EditorFacts<Editor> = { canEdit: (e) => e.writable, uri: (e) => e.uri };
const file = (name: string): Editor => ({ uri: `file:///w/${name}`, writable: true });
const readOnly = (uri: string): Editor => ({ uri, writable: false });
/** Tabs as the rules see them: in column 1 and the one their group shows, unless said otherwise. */
const textTab = (uri: string, column = 1, active = true): TabShows => ({ kind: 'text', uri, column, active });
const diffTab = (original: string, modified: string, column = 1, active = true): TabShows => ({ kind: 'diff', original, modified, column, active });

describe('which editor a generation command works in', () => {
  const a = file('a.ts');
  const headView = readOnly('git:/w/b.ts?%7B%22path%22%3A%22%2Fw%2Fb.ts%22%2C%22ref%22%3A%22HEAD%22%7D');
  // The Output panel's editor: VS Code's active text editor while that panel has focus.
  const output = readOnly('output:extension-output-contexten.codegen-%231-Contexten');
  const cell = readOnly('vscode-notebook-cell:/w/nb.ipynb#W0sZmlsZQ%3D%3D');

  describe('a command that edits (Generate with Context, Fix with Context, the results panel)', () => {
    it('says the active editor is read-only instead of going to the last file worked in', () => {
      assert.deepEqual(editorToEdit(headView, a, facts), { problem: 'readOnly', readOnly: headView });
    });

    it('works in the active editor when code can go there', () => {
      const c = file('c.ts');
      assert.deepEqual(editorToEdit(c, a, facts), { editor: c });
    });

    it('with no active text editor (the results panel has focus), goes to the last editor code could go to', () => {
      assert.deepEqual(editorToEdit(undefined, a, facts), { editor: a });
      assert.deepEqual(editorToEdit(undefined, undefined, facts), { problem: 'noEditor' });
    });

    it('with the Output panel focused, goes to the last editor as with no active text editor (it is no document, nor "read-only")', () => {
      assert.deepEqual(editorToEdit(output, a, facts), { editor: a });
      assert.deepEqual(editorToEdit(output, undefined, facts), { problem: 'noEditor' });
    });

    it('in a notebook cell says it works on files only, not that the cell is read-only', () => {
      assert.deepEqual(editorToEdit(cell, a, facts), { problem: 'readOnly', readOnly: cell });
      const said = readOnlyMessage('Generate with Context', { scheme: 'vscode-notebook-cell', path: '/w/nb.ipynb' });
      assert.match(said, /works on files only/);
      assert.match(said, /nb\.ipynb/);
      assert.doesNotMatch(said, /read-only \(/);
      assert.match(readOnlyMessage('Fix with Context', { scheme: 'git', path: '/w/b.ts' }), /this editor is read-only \(b\.ts, a git: view\)/);
    });

    it('for a file the settings make read-only names the settings, not a view to leave', () => {
      const said = readOnlyMessage('Generate with Context', { scheme: 'file', path: '/w/gen/api.ts' }, true);
      assert.match(said, /your settings make api\.ts read-only \(files\.readonlyInclude/);
      assert.doesNotMatch(said, /Open the file itself|a file: view/);
    });
  });

  describe('a command that only reads the selection (Run Agent Task with Context)', () => {
    it('reads the active editor, read-only or not, never another file behind it', () => {
      assert.equal(editorToRead(headView, a, facts), headView);
      assert.equal(editorToRead(a, undefined, facts), a);
    });

    it('with no active text editor, reads the last editor code could go to', () => {
      assert.equal(editorToRead(undefined, a, facts), a);
      assert.equal(editorToRead(undefined, undefined, facts), undefined);
    });

    it('with the Output panel focused, reads the last file, not the log text', () => {
      assert.equal(editorToRead(output, a, facts), a);
      assert.equal(editorToRead(output, undefined, facts), undefined);
    });
  });

  describe('the last editor code can go to', () => {
    it('is the last active editor that could take code; a read-only one does not replace it', () => {
      const last = new LastEditTarget(facts, undefined);
      last.activeChanged(a);
      last.activeChanged(headView);
      last.activeChanged(undefined);
      assert.equal(last.editor, a);
    });

    it('is kept while a tab shows its document, hidden behind the results panel in its group too', () => {
      const last = new LastEditTarget(facts, undefined);
      last.activeChanged(a);
      // The results panel opens in a.ts's group: a.ts is no longer visible, but its tab is there.
      last.activeChanged(undefined);
      last.tabsChanged(documentsInTabs([textTab(a.uri)]));
      assert.deepEqual(editorToEdit(undefined, last.editor, facts), { editor: a });
    });

    it('is kept while a diff shows its document as the editable side', () => {
      const last = new LastEditTarget(facts, a);
      last.tabsChanged(documentsInTabs([diffTab(headView.uri, a.uri)]));
      assert.equal(last.editor, a);
    });

    it('is forgotten once no tab shows its document (tab closed, the document still open)', () => {
      const last = new LastEditTarget(facts, a);
      // (A diff's original side — HEAD — is not where code goes: it does not keep a.ts.)
      last.tabsChanged(documentsInTabs([textTab(headView.uri), diffTab(a.uri, 'contexten-proposed:/1/a.ts')]));
      assert.equal(last.editor, undefined);
      assert.deepEqual(editorToEdit(undefined, last.editor, facts), { problem: 'noEditor' });
    });
  });

  describe('bringing an edited document into view', () => {
    const uri = 'file:///w/a.ts';
    it('is not done when a visible editor shows it', () => {
      assert.equal(needsReveal(uri, ['file:///w/b.ts', uri], []), false);
    });

    it('is not done when a diff shows it as its editable side (opening it would take the user out of the diff)', () => {
      const diff = diffTab('git:/w/a.ts', uri);
      assert.equal(needsReveal(uri, [], [diff]), false);
    });

    it('is done when it is shown nowhere visible (its tab closed, or a plain tab hidden behind the results panel)', () => {
      assert.equal(needsReveal(uri, ['file:///w/b.ts'], []), true);
      assert.equal(needsReveal(uri, [], [textTab(uri), diffTab(uri, 'contexten-proposed:/1/a.ts')]), true);
    });
  });

  describe('the column a diff (Show Diff, a fix) and the edited file open in', () => {
    const uri = 'file:///w/a.ts';
    it("is the editor's column when VS Code gives it one", () => {
      assert.equal(columnFor(uri, 2, [textTab(uri, 1)]), 2);
    });

    it('for an editor inside a diff (no column: a Source Control diff, the file side of a Show Diff), is the column of the diff that shows it, not the focused one', () => {
      // The results panel (no text tab) has focus in column 2; the user last worked in a.ts's side of the Git diff in column 1.
      assert.equal(columnFor(uri, undefined, [textTab('file:///w/b.ts', 2), diffTab('git:/w/a.ts?HEAD', uri, 1)]), 1);
      // The file side of a diff Show Diff opened: its original side.
      assert.equal(columnFor(uri, undefined, [diffTab(uri, 'contexten-proposed:/1/a.ts', 3)]), 3);
    });

    it('prefers a tab its group shows to one behind others, and a text tab to a diff', () => {
      assert.equal(columnFor(uri, undefined, [textTab(uri, 1, false), diffTab('git:/w/a.ts?HEAD', uri, 2)]), 2);
      assert.equal(columnFor(uri, undefined, [diffTab('git:/w/a.ts?HEAD', uri, 1), textTab(uri, 2)]), 2);
    });

    it('is the first column when no tab shows the document', () => {
      assert.equal(columnFor(uri, undefined, [textTab('file:///w/b.ts', 2)]), 1);
    });
  });

  describe('naming the file in a prompt', () => {
    it('names the file a git: view or a notebook cell stands for, as the workspace does', () => {
      assert.equal(fileBehind('git'), 'gitFile');
      assert.equal(fileBehind('vscode-notebook-cell'), 'notebook');
      assert.equal(fileBehind('file'), 'itself');
      assert.equal(fileBehind('untitled'), 'itself');
    });

    it('never by an absolute path: by its name when the workspace has no path for it', () => {
      assert.equal(pathForPrompt('src/a.ts', '/home/user/w/src/a.ts'), 'src/a.ts');
      assert.equal(pathForPrompt(undefined, '/home/user/elsewhere/notes.ts'), 'notes.ts');
      assert.equal(pathForPrompt(undefined, 'Untitled-1'), 'Untitled-1');
    });
  });
});
