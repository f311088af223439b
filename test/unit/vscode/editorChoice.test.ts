import assert from 'node:assert/strict';
import { editorToEdit, editorToRead, LastEditTarget } from '../../../src/vscode/editorChoice';

/** An editor as the rules see it: a name, and whether code can go into it. */
interface Editor {
  readonly name: string;
  readonly writable: boolean;
}
const canEdit = (e: Editor): boolean => e.writable;
const file = (name: string): Editor => ({ name, writable: true });
const readOnly = (name: string): Editor => ({ name, writable: false });

describe('which editor a generation command works in', () => {
  const a = file('a.ts');
  const headView = readOnly('git:b.ts');

  describe('a command that edits (Generate with Context, Fix with Context, the results panel)', () => {
    it('says the active editor is read-only instead of going to the last file worked in', () => {
      assert.deepEqual(editorToEdit(headView, a, canEdit), { problem: 'readOnly', readOnly: headView });
    });

    it('works in the active editor when code can go there', () => {
      const c = file('c.ts');
      assert.deepEqual(editorToEdit(c, a, canEdit), { editor: c });
    });

    it('with no active text editor (the results panel has focus), goes to the last editor code could go to', () => {
      assert.deepEqual(editorToEdit(undefined, a, canEdit), { editor: a });
      assert.deepEqual(editorToEdit(undefined, undefined, canEdit), { problem: 'noEditor' });
    });
  });

  describe('a command that only reads the selection (Run Agent Task with Context)', () => {
    it('reads the active editor, read-only or not, never another file behind it', () => {
      assert.equal(editorToRead(headView, a, canEdit), headView);
      assert.equal(editorToRead(a, undefined, canEdit), a);
    });

    it('with no active text editor, reads the last editor code could go to', () => {
      assert.equal(editorToRead(undefined, a, canEdit), a);
      assert.equal(editorToRead(undefined, undefined, canEdit), undefined);
    });
  });

  describe('the last editor code can go to', () => {
    it('is the last active editor that could take code; a read-only one does not replace it', () => {
      const last = new LastEditTarget(canEdit, undefined);
      last.activeChanged(a);
      last.activeChanged(headView);
      last.activeChanged(undefined);
      assert.equal(last.editor, a);
    });

    it('is forgotten once its editor is no longer shown (tab closed, the document still open), kept while it is', () => {
      const last = new LastEditTarget(canEdit, a);
      last.visibleChanged([headView, a]);
      assert.equal(last.editor, a);
      last.visibleChanged([headView]);
      assert.equal(last.editor, undefined);
      assert.deepEqual(editorToEdit(undefined, last.editor, canEdit), { problem: 'noEditor' });
    });
  });
});
