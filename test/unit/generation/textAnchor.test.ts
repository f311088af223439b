import assert from 'node:assert/strict';
import { followChanges, locateOriginal, occursOnce, spansWholeLines } from '../../../src/core/generation/textAnchor';

describe('locateOriginal', () => {
  const original = 'const x: string = 1;\n';
  const lines = { wholeLines: true, uniqueAtRequest: true };

  it('finds the lines again when the user added lines above them while the code was generated', () => {
    const now = 'import y from "y";\nline1\nline2\nconst x: string = 1;\nline4\n';
    const at = locateOriginal(now, original, lines);
    assert.ok('start' in at);
    assert.equal(now.slice(at.start, at.end), original);
    assert.equal(at.start, 'import y from "y";\nline1\nline2\n'.length);
  });

  it('says the lines are missing when the user changed them', () => {
    assert.deepEqual(locateOriginal('line1\nconst x: number = 1;\n', original, lines), { problem: 'missing' });
  });

  it('says the lines are ambiguous when they are there twice', () => {
    assert.deepEqual(locateOriginal(`${original}line\n${original}`, original, lines), { problem: 'ambiguous' });
    assert.deepEqual(locateOriginal('aaaa', 'aa', { wholeLines: false, uniqueAtRequest: true }), { problem: 'ambiguous' });
  });

  it('does not look for a text that was there twice at the request: the one edited may be the one it was', () => {
    // Two identical blocks; the user edited the one the fix was for. The other must not get the fix.
    const block = 'if (a) {\n  run(a);\n}';
    assert.equal(occursOnce(`${block}\n\n${block}\n`, block), false);
    assert.equal(occursOnce(`${block}\n\nif (a) {\n  run(b);\n}\n`, block), true, 'once');
    assert.equal(occursOnce('if (b) {}\n', block), true, 'not at all is at most once');
    assert.equal(occursOnce('aaa', 'aa'), false, 'overlapping occurrences count twice');
    assert.deepEqual(locateOriginal(`${block}\n\nif (a) {\n  run(b);\n}\n`, block, { wholeLines: true, uniqueAtRequest: false }), { problem: 'ambiguous' });
  });

  it('counts whole lines only where they start and end a line (not glued to text the user typed around them)', () => {
    const one = 'const x = 1;';
    assert.deepEqual(locateOriginal('let yconst x = 1;\n', one, lines), { problem: 'missing' });
    assert.deepEqual(locateOriginal('const x = 1; // note\n', one, lines), { problem: 'missing' });
    const at = locateOriginal('let y;\nconst x = 1;\r\nnext', one, lines);
    assert.ok('start' in at && at.start === 7);
    // A selection that was part of a line is found anywhere.
    assert.ok('start' in locateOriginal('let yconst x = 1;\n', one, { wholeLines: false, uniqueAtRequest: true }));
  });

  it('takes a change of line endings for none', () => {
    const crlf = 'a();\r\nb();';
    const at = locateOriginal('x\na();\nb();\n', crlf, lines);
    assert.ok('start' in at);
    assert.deepEqual([at.start, at.end], [2, 11]);
    assert.ok('start' in locateOriginal('x\r\na();\r\nb();\r\n', 'a();\nb();', lines));
  });

  it('finds the lines again in a document with both CRLF and LF line breaks, leaving the other lines\' breaks as they are', () => {
    // Lines pasted from elsewhere keep their LF among CRLF lines (and the other way round).
    const original = 'a();\nb();\r\nc();';
    const now = 'added();\r\nx\r\na();\nb();\r\nc();\nd();\r\n';
    const at = locateOriginal(now, original, lines);
    assert.ok('start' in at, 'found');
    assert.equal(now.slice(at.start, at.end), original);
    assert.equal(now.slice(0, at.start) + 'fixed();' + now.slice(at.end), 'added();\r\nx\r\nfixed();\nd();\r\n');
    // The original's breaks need not be the same kinds as now (an end-of-line change of some lines is no edit).
    const lf = locateOriginal(now, 'a();\nb();\nc();\n', lines);
    assert.ok('start' in lf);
    assert.equal(now.slice(lf.start, lf.end), 'a();\nb();\r\nc();\n');
    assert.ok('start' in locateOriginal('x\na();\r\nb();\n', 'a();\r\nb();', lines));
    // Still once only, and still whole lines only.
    assert.deepEqual(locateOriginal(`${now}a();\r\nb();\nc();\n`, original, lines), { problem: 'ambiguous' });
    assert.deepEqual(locateOriginal('x\r\nla();\nb();\r\nc();\n', original, lines), { problem: 'missing' });
  });

  it('takes the text literally in a mixed document (regular-expression characters in code)', () => {
    const code = 'if (a.b?.[0] && /x+$/.test(s)) {\n  return $1 * (2 | 3);\n}';
    const now = `// before\r\nif (a.b?.[0] && /x+$/.test(s)) {\r\n  return $1 * (2 | 3);\n}\r\n`;
    const at = locateOriginal(now, code, lines);
    assert.ok('start' in at);
    assert.deepEqual([at.start, at.end], ['// before\r\n'.length, now.length - 2]);
    assert.deepEqual(locateOriginal('x\r\nif (aXb\n', 'a.b\n', { wholeLines: false, uniqueAtRequest: true }), { problem: 'missing' });
  });

  it('finds a selection of thousands of lines again (no pattern built of it), in CRLF and LF documents', () => {
    const selected = Array.from({ length: 8_000 }, (_, i) => `  total += values[${i}] * weight(${i});`).join('\n') + '\n';
    for (const eol of ['\n', '\r\n']) {
      const before = `// added while the code was generated${eol}function sum() {${eol}`;
      const now = before + selected.replaceAll('\n', eol) + `}${eol}`;
      const at = locateOriginal(now, selected, lines);
      assert.ok('start' in at, JSON.stringify(at));
      assert.deepEqual([at.start, at.end], [before.length, now.length - `}${eol}`.length]);
    }
  });

  it('finds a text that starts with a line break once in a CRLF document (the CR and the LF are one break)', () => {
    const now = 'let a = 1;\r\nfoo();\r\n';
    assert.deepEqual(locateOriginal(now, '\r\nfoo();', { wholeLines: false, uniqueAtRequest: true }), { start: 'let a = 1;'.length, end: now.length - 2 });
    assert.deepEqual(locateOriginal(now, '\nfoo();', { wholeLines: false, uniqueAtRequest: true }), { start: 'let a = 1;'.length, end: now.length - 2 });
  });

  it('cannot find an empty text (a cursor without a selection)', () => {
    assert.deepEqual(locateOriginal('abc', '', lines), { problem: 'empty' });
  });
});

describe('spansWholeLines', () => {
  it('takes lines selected to the start of the next line (Shift+Down, a triple click) for whole lines', () => {
    // "a\nb\nc": lines 0–1 selected as (0,0)–(2,0); its text "a\nb\n" must then not be found inside "let ya".
    assert.equal(spansWholeLines({ startCharacter: 0, endCharacter: 0, endLineLength: 1, empty: false }), true);
    assert.deepEqual(locateOriginal('let ya\nb\nc', 'a\nb\n', { wholeLines: true, uniqueAtRequest: true }), { problem: 'missing' });
    assert.equal(spansWholeLines({ startCharacter: 0, endCharacter: 5, endLineLength: 5, empty: false }), true);
    assert.equal(spansWholeLines({ startCharacter: 0, endCharacter: 3, endLineLength: 5, empty: false }), false);
    assert.equal(spansWholeLines({ startCharacter: 2, endCharacter: 5, endLineLength: 5, empty: false }), false);
    assert.equal(spansWholeLines({ startCharacter: 0, endCharacter: 0, endLineLength: 4, empty: true }), false, 'a bare cursor');
  });
});

describe('followChanges', () => {
  const change = (rangeOffset: number, rangeLength: number, text: string) => ({ rangeOffset, rangeLength, text });

  it('moves a span by the changes before it, not by those after it', () => {
    assert.deepEqual(followChanges({ start: 10, end: 20 }, [change(0, 2, 'abcde'), change(25, 0, 'x')]), { start: 13, end: 23 });
    assert.deepEqual(followChanges({ start: 10, end: 20 }, [change(20, 3, '')]), { start: 10, end: 20 });
  });

  it('puts text inserted at a span\'s start before it, at its end after it; at a bare cursor before it', () => {
    assert.deepEqual(followChanges({ start: 10, end: 20 }, [change(10, 0, 'ab'), change(20, 0, 'cd')]), { start: 12, end: 22 });
    assert.deepEqual(followChanges({ start: 5, end: 5 }, [change(5, 0, 'ab')]), { start: 7, end: 7 });
  });

  it('follows a bare cursor past deletions that end or start at it', () => {
    assert.deepEqual(followChanges({ start: 5, end: 5 }, [change(3, 2, ''), change(5, 4, '')]), { start: 3, end: 3 });
  });

  it("compares each change of an event with the span as it was before the event, not as the event's earlier changes moved it, in any order", () => {
    // (A change's offsets are in the text before the event: 10 characters typed at 0 do not put one at 15 before the span.)
    for (const changes of [[change(0, 0, '0123456789'), change(15, 1, 'x')], [change(15, 1, 'x'), change(0, 0, '0123456789')]]) {
      assert.equal(followChanges({ start: 10, end: 20 }, changes), 'touched');
    }
    // Nor one at 22 inside it: that is after it.
    for (const changes of [[change(0, 0, '0123456789'), change(22, 0, 'x')], [change(22, 0, 'x'), change(0, 0, '0123456789')]]) {
      assert.deepEqual(followChanges({ start: 10, end: 20 }, changes), { start: 20, end: 30 });
    }
    // Both before it (a multi-cursor insert): moved by both.
    for (const changes of [[change(2, 0, 'ab'), change(8, 0, 'cde')], [change(8, 0, 'cde'), change(2, 0, 'ab')]]) {
      assert.deepEqual(followChanges({ start: 10, end: 20 }, changes), { start: 15, end: 25 });
    }
  });

  it('says a span was touched when a change edits its text, or removes text on both sides of a bare cursor', () => {
    assert.equal(followChanges({ start: 10, end: 20 }, [change(15, 1, 'x')]), 'touched');
    assert.equal(followChanges({ start: 10, end: 20 }, [change(8, 4, '')]), 'touched');
    assert.equal(followChanges({ start: 5, end: 5 }, [change(4, 2, '')]), 'touched');
  });
});
