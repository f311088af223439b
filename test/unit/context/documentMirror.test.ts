import assert from 'node:assert/strict';
import { createSeededRandom } from '../../../bench/seededRandom';
import { applyTextChanges, DocumentMirror, DocumentVersions, type DocumentUpdate } from '../../../src/core/context/documentMirror';
import type { TextChange } from '../../../src/core/context/fileProcessor';
import type { Random } from '../../../src/core/ports';

// Pieces typed into the document: CRLF and LF line breaks, surrogate pairs, nothing (a pure deletion).
const PIECES = ['a', 'x = 1;', '\r\n', '\n', '😀', '𝒳y', '\r\n\r\n}', '', 'é', '\t// 漢字'];
const pick = <T>(random: Random, items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;

/** One change event, VS Code style: changes applied in order, each in the coordinates left by the one before. */
function randomEvent(random: Random, text: string): TextChange[] {
  const kind = random();
  if (kind < 0.5) {
    const start = Math.floor(random() * (text.length + 1));
    const deleteCount = random() < 0.4 ? Math.floor(random() * Math.min(8, text.length - start + 1)) : 0;
    return [{ start, deleteCount, text: pick(random, PIECES) }];
  }
  // Multi-cursor: non-overlapping ranges of the old text, sent from the last to the first (so in order they hold).
  const cuts = [...new Set(Array.from({ length: 2 + Math.floor(random() * 4) }, () => Math.floor(random() * (text.length + 1))))].sort((a, b) => b - a);
  const changes: TextChange[] = [];
  let floor = text.length;
  for (const start of cuts) {
    const deleteCount = Math.min(floor - start, Math.floor(random() * 3));
    changes.push({ start, deleteCount, text: pick(random, PIECES) });
    floor = start;
  }
  return changes;
}

/** The event that undoes `changes` applied to `before` (VS Code's undo sends the inverse changes). */
function undoOf(before: string, changes: readonly TextChange[]): TextChange[] {
  const inverse: TextChange[] = [];
  let current = before;
  for (const c of changes) {
    inverse.unshift({ start: c.start, deleteCount: c.text.length, text: current.slice(c.start, c.start + c.deleteCount) });
    current = applyTextChanges(current, [c]) ?? assert.fail('in range');
  }
  return inverse;
}

/** Delivers an update to the mirror as the engine thread does, and the caller's resend of the whole text when asked. */
function deliver(mirror: DocumentMirror, path: string, update: DocumentUpdate, text: string): { refused: boolean; result: string } {
  const first = mirror.apply(path, update);
  if (first !== 'needsText') return { refused: false, result: first };
  return { refused: true, result: mirror.apply(path, DocumentVersions.withText(update, text)) };
}

describe('document mirror (changes instead of the whole text to the engine thread)', () => {
  it('applyTextChanges applies changes in order and refuses one outside the text', () => {
    assert.equal(applyTextChanges('abcdef', [{ start: 1, deleteCount: 2, text: 'XY' }, { start: 0, deleteCount: 0, text: '>' }]), '>aXYdef');
    assert.equal(applyTextChanges('a😀b', [{ start: 1, deleteCount: 2, text: '' }]), 'ab');
    assert.equal(applyTextChanges('abc', [{ start: 2, deleteCount: 2, text: '' }]), undefined);
    assert.equal(applyTextChanges('abc', [{ start: -1, deleteCount: 0, text: 'x' }]), undefined);
  });

  it('keeps the caller text through randomized edits, multi-cursor events, undo, CRLF and surrogate pairs', () => {
    for (let seed = 1; seed <= 20; seed++) {
      const random = createSeededRandom(seed * 7907);
      const versions = new DocumentVersions();
      const mirror = new DocumentMirror();
      let text = 'export function f(): number {\r\n  return 1; // 😀\r\n}\n';
      const opened = versions.next('a.ts', text);
      assert.ok('text' in opened, 'the first update carries the whole text');
      assert.equal(mirror.apply('a.ts', opened), text);
      let deltas = 0;
      for (let i = 0; i < 150; i++) {
        // Every seventh turn the edit is undone at once (VS Code's undo sends the inverse changes).
        const event = randomEvent(random, text);
        const events = i % 7 === 6 ? [event, undoOf(text, event)] : [event];
        for (const event of events) {
          text = applyTextChanges(text, event) ?? assert.fail(`seed ${seed}: the generated event is in range`);
          const update = versions.next('a.ts', text, event);
          if (!('text' in update)) deltas++;
          const { refused, result } = deliver(mirror, 'a.ts', update, text);
          assert.equal(refused, false, `seed ${seed} edit ${i}: in step, nothing is refused`);
          assert.equal(result, text, `seed ${seed} edit ${i}`);
        }
      }
      assert.ok(deltas >= 150, 'every update after the first carried changes only');
    }
  });

  it('refuses an update after a lost or reordered one, and the whole text resent brings it back in step', () => {
    const random = createSeededRandom(99);
    const versions = new DocumentVersions();
    const mirror = new DocumentMirror();
    let text = 'line one\r\nline two 😀\r\n';
    assert.equal(mirror.apply('b.ts', versions.next('b.ts', text)), text);
    let refusals = 0;
    for (let i = 0; i < 300; i++) {
      const event = randomEvent(random, text);
      text = applyTextChanges(text, event) ?? assert.fail('in range');
      const update = versions.next('b.ts', text, event);
      const fate = random();
      if (fate < 0.1) continue; // lost: the next one is refused
      if (fate < 0.2) {
        // Overtaken: the next update arrives first (refused: its base is this one), then this one, then the next one's whole text.
        const laterEvent = randomEvent(random, text);
        const laterText = applyTextChanges(text, laterEvent) ?? assert.fail('in range');
        const later = versions.next('b.ts', laterText, laterEvent);
        assert.equal(mirror.apply('b.ts', later), 'needsText');
        assert.equal(deliver(mirror, 'b.ts', update, text).result, text);
        assert.equal(mirror.apply('b.ts', DocumentVersions.withText(later, laterText)), laterText);
        // A resend older than what the mirror holds changes nothing.
        assert.equal(mirror.apply('b.ts', DocumentVersions.withText(update, text)), 'stale');
        text = laterText;
        refusals++;
        continue;
      }
      const { refused, result } = deliver(mirror, 'b.ts', update, text);
      if (refused) refusals++;
      assert.equal(result, text, `edit ${i}`);
    }
    assert.ok(refusals >= 20, `out-of-step updates were refused (${refusals})`);
  });

  it('refuses changes whose result has not the length the caller computed (e.g. a caller that dropped an end-of-line change)', () => {
    const versions = new DocumentVersions();
    const mirror = new DocumentMirror();
    const crlf = 'a\r\nb\r\n';
    mirror.apply('c.ts', versions.next('c.ts', crlf));
    // The caller's text became LF-only in an update the mirror never saw: the delta's base is right, its result is not.
    const lf = 'a\nb\nX';
    const update = versions.next('c.ts', lf, [{ start: 4, deleteCount: 0, text: 'X' }]);
    assert.ok(!('text' in update));
    assert.equal(mirror.apply('c.ts', update), 'needsText');
    assert.equal(mirror.apply('c.ts', DocumentVersions.withText(update, lf)), lf);
  });

  it('sends the whole text after a close, and the mirror refuses changes to a closed document', () => {
    const versions = new DocumentVersions();
    const mirror = new DocumentMirror();
    mirror.apply('d.ts', versions.next('d.ts', 'one'));
    const delta = versions.next('d.ts', 'one two', [{ start: 3, deleteCount: 0, text: ' two' }]);
    assert.equal(mirror.apply('d.ts', delta), 'one two');
    versions.forget('d.ts');
    mirror.close('d.ts');
    const reopened = versions.next('d.ts', 'fresh', [{ start: 0, deleteCount: 7, text: 'fresh' }]);
    assert.ok('text' in reopened);
    assert.equal(mirror.apply('d.ts', reopened), 'fresh');
    // A delta to a document the mirror closed (its close overtook the caller's update) is refused.
    mirror.close('d.ts');
    assert.equal(mirror.apply('d.ts', versions.next('d.ts', 'fresh!', [{ start: 5, deleteCount: 0, text: '!' }])), 'needsText');
  });

  it('forgets the documents at and under a renamed path (not those beside it): a document opened there later is sent whole', () => {
    const versions = new DocumentVersions();
    const mirror = new DocumentMirror();
    for (const p of ['lib', 'lib/a.ts', 'lib/x/b.ts', 'lib2/c.ts']) mirror.apply(p, versions.next(p, 'same'));
    versions.forgetUnder('lib');
    mirror.closeUnder('lib');
    for (const p of ['lib', 'lib/a.ts', 'lib/x/b.ts']) {
      const update = versions.next(p, 'other!', [{ start: 4, deleteCount: 0, text: '!' }]);
      assert.ok('text' in update, p);
      assert.equal(mirror.apply(p, update), 'other!');
    }
    const beside = versions.next('lib2/c.ts', 'same!', [{ start: 4, deleteCount: 0, text: '!' }]);
    assert.ok(!('text' in beside));
    assert.equal(mirror.apply('lib2/c.ts', beside), 'same!');
  });
});
