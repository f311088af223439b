import assert from 'node:assert/strict';
import { ignoredSelectionsNote, selectedLines, selectionToUse, type SelectionShape } from '../../../src/vscode/selectionChoice';

/** A selection as VS Code gives it (lines and characters from 0). */
const sel = (startLine: number, startCharacter: number, endLine: number, endCharacter: number): SelectionShape => ({
  start: { line: startLine, character: startCharacter },
  end: { line: endLine, character: endCharacter },
  isEmpty: startLine === endLine && startCharacter === endCharacter,
});

describe('which selection a command about the selected code works on (selectionToUse)', () => {
  it('with several cursors, takes the one that selects code though the primary cursor selects nothing', () => {
    // (Primary cursor on line 2, a second cursor selecting lines 6-9 from 1: editorHasSelection is true, Ctrl+Alt+G runs Generate with Context.)
    const second = sel(5, 0, 8, 3);
    assert.deepEqual(selectionToUse([sel(1, 0, 1, 0), second]), { selection: second, ignored: 0 });
    assert.equal(ignoredSelectionsNote({ selection: second, ignored: 0 }), undefined);
  });

  it('takes the primary selection when it selects code, and none when no selection does', () => {
    const primary = sel(0, 0, 2, 0);
    assert.deepEqual(selectionToUse([primary]), { selection: primary, ignored: 0 });
    assert.equal(selectionToUse([sel(3, 4, 3, 4)]), undefined);
    assert.equal(selectionToUse([sel(3, 4, 3, 4), sel(7, 0, 7, 0)]), undefined);
    assert.equal(selectionToUse([]), undefined);
  });

  it('with more than one selecting code, takes the first and says which one and how many others are ignored', () => {
    const first = sel(4, 0, 8, 0);
    const chosen = selectionToUse([sel(0, 0, 0, 0), first, sel(10, 2, 10, 9), sel(12, 0, 14, 1)]);
    assert.deepEqual(chosen, { selection: first, ignored: 2 });
    assert.equal(ignoredSelectionsNote(chosen ?? assert.fail()), 'lines 5-8; 2 other selections ignored');
    assert.equal(ignoredSelectionsNote({ selection: sel(10, 2, 10, 9), ignored: 1 }), 'line 11; 1 other selection ignored');
  });

  it('counts a selection of whole lines without the line its end is at the start of', () => {
    assert.deepEqual(selectedLines(sel(4, 0, 8, 0)), { first: 5, last: 8, wholeLines: true });
    assert.deepEqual(selectedLines(sel(4, 2, 8, 3)), { first: 5, last: 9, wholeLines: false });
    assert.deepEqual(selectedLines(sel(4, 0, 4, 6)), { first: 5, last: 5, wholeLines: false });
  });
});
