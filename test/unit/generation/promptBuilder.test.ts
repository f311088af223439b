import assert from 'node:assert/strict';
import { buildFixRequest, fixLineWindow } from '../../../src/core/generation/fixPromptBuilder';
import { buildPrompt, contextFingerprint, singlePrompt } from '../../../src/core/generation/promptBuilder';
import { contextItem, contextResult } from './builders';

describe('buildPrompt', () => {
  it('frames the prompt with the description: workspace excerpts first, then the task with the caller code', () => {
    const p = buildPrompt({ description: 'Be precise.', prompt: 'Write function formatDate', codebaseContext: 'const s = "```";', context: contextResult([contextItem()]) });
    assert.match(p.system, /^Be precise\.\n/);
    assert.match(p.user, /^## Relevant code from the workspace\n/);
    assert.match(p.user, /### src\/util\.ts \(lines 3-5\): function parseDate\n```typescript\nexport function parseDate/);
    assert.match(p.user, /## Task\n\nWrite function formatDate\n\nCode supplied with the task:\n````\nconst s = "```";\n````$/);
    assert.equal(singlePrompt(p), `${p.system}\n\n${p.user}`);
  });

  it('sends only the prompt when there is no context', () => {
    assert.equal(buildPrompt({ description: 'd', prompt: '  hi  ' }).user, 'hi');
    assert.equal(buildPrompt({ description: 'd', prompt: 'hi', context: contextResult([]) }).user, 'hi');
  });

  it('fingerprints context by content: equal for the same text, different when it changes', () => {
    const a = contextFingerprint([contextItem()], undefined);
    assert.equal(a, contextFingerprint([contextItem({ score: 0.1, reasons: [] })], undefined));
    assert.notEqual(a, contextFingerprint([contextItem({ text: 'changed' })], undefined));
    assert.notEqual(a, contextFingerprint([contextItem()], 'selection'));
    assert.notEqual(a, contextFingerprint([], undefined));
  });
});

describe('buildFixRequest', () => {
  it('asks for a replacement of exactly the lines around the diagnostic, with related definitions', () => {
    const fix = buildFixRequest({
      file: 'src/a.ts',
      languageId: 'typescript',
      diagnostic: { message: "Type 'number' is not assignable to type 'string'.", line: 11, source: 'ts', code: 2322 },
      around: { startLine: 10, text: 'function f() {\n  const s: string = count(items);\n  return s;\n}\n' },
      relatedDefinitions: [contextItem({ file: 'src/count.ts', startLine: 1, endLine: 1, text: 'export function count(xs: unknown[]): number' })],
    });
    assert.match(fix.prompt, /^Fix this error in src\/a\.ts at line 11 \(ts 2322\): Type 'number' is not assignable/);
    assert.match(fix.prompt, /The error is on the line: const s: string = count\(items\);/);
    assert.match(fix.prompt, /Rewrite lines 10-13 of src\/a\.ts/);
    assert.match(fix.codebaseContext, /^\/\/ src\/a\.ts lines 10-13\nfunction f\(\) \{/);
    assert.match(fix.codebaseContext, /\/\/ src\/count\.ts lines 1-1\nexport function count/);
    assert.deepEqual(fix.replaceLines, { startLine: 10, endLine: 13 });
    assert.equal(fix.options.activeFile, 'src/a.ts');
    assert.match(fix.options.contextQuery ?? '', /not assignable.* const s string count items$/);
  });
});

describe('fixLineWindow', () => {
  it('takes the context lines on both sides of the diagnostic, clipped to the document', () => {
    assert.deepEqual(fixLineWindow({ startLine: 10, endLine: 11 }, { lineCount: 100, lastLineIsEmpty: true }, 6), { startLine: 4, endLine: 17 });
    assert.deepEqual(fixLineWindow({ startLine: 2, endLine: 2 }, { lineCount: 5, lastLineIsEmpty: false }, 6), { startLine: 0, endLine: 4 });
  });

  it("leaves out the empty line after the file's final newline, so replacing the window keeps that newline", () => {
    // "a\nb\nc\n" has lines a, b, c and an empty fourth line.
    assert.deepEqual(fixLineWindow({ startLine: 1, endLine: 1 }, { lineCount: 4, lastLineIsEmpty: true }, 6), { startLine: 0, endLine: 2 });
  });

  it('keeps the last line when the diagnostic is on it', () => {
    assert.deepEqual(fixLineWindow({ startLine: 3, endLine: 3 }, { lineCount: 4, lastLineIsEmpty: true }, 6), { startLine: 0, endLine: 3 });
  });
});

