import assert from 'node:assert/strict';
import type { ContextItem } from '../../../src/core/context/model';
import {
  ContextItemViewSchema,
  describeInvalid,
  fitResultView,
  GenerationResultViewSchema,
  HostMessageSchema,
  LIMITS,
  ViewStateSchema,
  WebviewMessageSchema,
  type ContextItemView,
  type DeepReadonly,
} from '../../../src/shared/protocol';
import { aReport, aResult, aViewState, HOST_EXAMPLES, WEBVIEW_EXAMPLES } from './protocolFixtures';

describe('results protocol: webview → host (untrusted)', () => {
  for (const [type, message] of Object.entries(WEBVIEW_EXAMPLES)) {
    it(`accepts a valid '${type}' message unchanged`, () => {
      assert.deepEqual(WebviewMessageSchema.parse(message), message);
    });
  }

  const bad: [string, unknown][] = [
    ['a string', 'ready'],
    ['null', null],
    ['an array', [{ type: 'ready' }]],
    ['no type', { code: 'x' }],
    ['an unknown type', { type: 'runCommand', command: 'workbench.action.terminal.new' }],
    ['insert without a block', { type: 'insert', runId: 1 }],
    ['insert without a run id', { type: 'insert', block: 0 }],
    ['insert with a negative block', { type: 'insert', runId: 1, block: -1 }],
    ['insert with a fractional block', { type: 'insert', runId: 1, block: 0.5 }],
    ['insert with a block past the limit', { type: 'insert', runId: 1, block: LIMITS.codeBlocks }],
    ['showDiff with the block as string', { type: 'showDiff', runId: 1, block: '0' }],
    ['copy with an object as code', { type: 'copy', code: { toString: 'x' } }],
    ['openLocation by a path (not an item of a run)', { type: 'openLocation', file: 'a.ts', line: 1 }],
    ['openLocation by a URI (not an item of a run)', { type: 'openLocation', uri: 'file:///etc/passwd', line: 1 }],
    ['openLocation without a run id', { type: 'openLocation', item: 0 }],
    ['openLocation with a negative item', { type: 'openLocation', runId: 1, item: -1 }],
    ['openLocation with a fractional item', { type: 'openLocation', runId: 1, item: 0.5 }],
    ['openLocation with an item as string', { type: 'openLocation', runId: 1, item: '0' }],
    ['openLocation with an item past the limit', { type: 'openLocation', runId: 1, item: LIMITS.contextItems }],
    ['cancel with a negative run id', { type: 'cancel', runId: -1 }],
    ['cancel with a string run id', { type: 'cancel', runId: '1' }],
    ['retry without run id', { type: 'retry' }],
    ['selectTab with an unknown tab', { type: 'selectTab', tab: 'settings' }],
    ['errorAction with a long title', { type: 'errorAction', title: 'x'.repeat(LIMITS.shortChars + 1) }],
  ];
  for (const [what, value] of bad) {
    it(`rejects ${what}`, () => {
      assert.equal(WebviewMessageSchema.safeParse(value).success, false);
    });
  }

  it('drops unknown properties instead of passing them on', () => {
    const parsed = WebviewMessageSchema.parse({ type: 'openLocation', runId: 3, item: 0, uri: 'file:///etc/passwd', command: 'rm -rf' });
    assert.deepEqual(parsed, { type: 'openLocation', runId: 3, item: 0 });
  });

  it('describes a rejection by paths and codes only, never by the offending value', () => {
    const result = WebviewMessageSchema.safeParse({ type: 'copy', code: 7, language: 'sk-secret-value' });
    assert.equal(result.success, false);
    if (result.success) return;
    const text = describeInvalid(result.error);
    assert.match(text, /code/);
    assert.doesNotMatch(text, /sk-secret-value|7/);
  });
});

describe('results protocol: host → webview', () => {
  for (const [type, message] of Object.entries(HOST_EXAMPLES)) {
    it(`accepts a valid '${type}' message unchanged`, () => {
      assert.deepEqual(HostMessageSchema.parse(message), message);
    });
  }

  const bad: [string, unknown][] = [
    ['an unknown type', { type: 'eval', code: 'alert(1)' }],
    ['a token without run id', { type: 'token', delta: 'x' }],
    ['a token with a non-string delta', { type: 'token', runId: 1, delta: ['x'] }],
    ['a result without timings', { type: 'generationFinished', runId: 1, result: { ...aResult(), timings: undefined } }],
    ['a result with a context score above 1', { type: 'generationFinished', runId: 1, result: aResult({ context: [{ ...aResult().context[0]!, score: 1.5 }] }) }],
    ['a context item at line 0', { type: 'generationFinished', runId: 1, result: aResult({ context: [{ ...aResult().context[0]!, startLine: 0 }] }) }],
    ['a failure without message', { type: 'generationFailed', runId: 1, error: { code: 'network', actions: [] } }],
    ['a failure with too many actions', { type: 'generationFailed', runId: 1, error: { message: 'x', code: 'network', actions: ['a', 'b', 'c', 'd', 'e', 'f'] } }],
    ['a report with an error rate above 1', { type: 'performance', report: aReport({ requests: { ...aReport().requests, errorRate: 2 } }) }],
    ['a report with NaN latency', { type: 'performance', report: aReport({ latencyMs: { samples: 1, avg: Number.NaN, p50: 1, p95: 1 } }) }],
    ['a report with a negative request count', { type: 'performance', report: aReport({ requests: { ...aReport().requests, total: -1 } }) }],
    ['a report with a negative latency in the chart series', { type: 'performance', report: aReport({ recentLatenciesMs: [1, -5] }) }],
    ['a state with an unknown tab', { type: 'state', state: { ...aViewState(), tab: 'debug' } }],
    ['a state with an unknown run status', { type: 'state', state: { ...aViewState(), run: { ...aViewState().run, status: 'paused' } } }],
  ];
  for (const [what, value] of bad) {
    it(`rejects ${what}`, () => {
      assert.equal(HostMessageSchema.safeParse(value).success, false);
    });
  }

  it("takes core's GenerationResult as it is and strips what the panel does not show (context text, prompt, run)", () => {
    const core = {
      ...aResult(),
      prompt: 'write x',
      text: 'the whole answer',
      run: { id: 9, webUrl: 'https://example.invalid/run/9' },
      context: [{ ...aResult().context[0]!, detail: 'full', text: 'function parseA() { /* 40 KB of code */ }' }],
    };
    const parsed = GenerationResultViewSchema.parse(core);
    assert.deepEqual(parsed, aResult());
  });

  it("accepts core's ContextItem as a context item view (assignability is checked by tsc)", () => {
    const item: ContextItem = { file: 'src/a.ts', startLine: 1, endLine: 4, symbol: 'a', kind: 'file', detail: 'signature', score: 0.2, reasons: ['open in the editor'], text: 'export const a = 1;' };
    const view: DeepReadonly<ContextItemView> = item;
    assert.deepEqual(ContextItemViewSchema.parse(view), { file: 'src/a.ts', startLine: 1, endLine: 4, symbol: 'a', kind: 'file', score: 0.2, reasons: ['open in the editor'] });
  });

  it("takes a context item's location only as a file: URI", () => {
    const item = aResult().context[0];
    assert.ok(item);
    for (const uri of ['command:workbench.action.terminal.new', 'https://example.invalid/a.ts', 'vscode-remote://x/a.ts', '/home/user/w/src/a.ts', '']) {
      assert.equal(ContextItemViewSchema.safeParse({ ...item, uri }).success, false, uri);
    }
    assert.equal(ContextItemViewSchema.safeParse({ ...item, uri: 'file:///home/user/w/src/a%20b.ts' }).success, true);
    const { uri: _uri, ...saved } = item;
    assert.deepEqual(ContextItemViewSchema.parse(saved), saved, 'an item saved before items had locations');
  });

  it('accepts a report before the first request (null percentiles, no index, no memory figures)', () => {
    const empty = aReport({
      latencyMs: { samples: 0, avg: null, p50: null, p95: null },
      firstTokenMs: { samples: 0, p50: null, p95: null },
      cache: { generation: { hits: 0, misses: 0, hitRate: 0, size: 0 }, context: null },
      memory: null,
      index: null,
      recentLatenciesMs: [],
    });
    assert.equal(HostMessageSchema.safeParse({ type: 'performance', report: empty }).success, true);
  });

  it('round-trips a whole view state through JSON (what setState and the serializer store)', () => {
    const state = aViewState();
    assert.deepEqual(ViewStateSchema.parse(JSON.parse(JSON.stringify(state))), state);
  });

  it('restores a view state saved by a version whose report had no ranking state and no edit timings', () => {
    const report = aReport();
    assert.ok(report.index);
    const { ranking: _ranking, rankingReadyMs: _readyMs, editsMs: _editsMs, ...olderIndex } = report.index;
    const saved = { ...aViewState(), performance: { ...report, index: olderIndex } };
    assert.deepEqual(ViewStateSchema.parse(JSON.parse(JSON.stringify(saved))).performance?.index, olderIndex);
  });
});

describe('results protocol: a result over the panel\'s limits', () => {
  it('is shortened field by field, with a warning saying so, and then passes the schema (one long symbol refused it all)', () => {
    const base = aResult();
    const longSymbol = `parseConfig${'X'.repeat(1_100)}`;
    const item = { file: 'src/a.ts', startLine: 1, endLine: 2, symbol: longSymbol, kind: 'function', score: 0.5, reasons: ['r'.repeat(1_152)] };
    const result = {
      ...base,
      codeBlocks: Array.from({ length: LIMITS.codeBlocks + 5 }, (_, i) => ({ language: i === 0 ? 'x'.repeat(300) : 'ts', code: `const a${i} = 1;`, complete: true })),
      context: [item],
      warnings: [`Codebase context was not attached: ${'e'.repeat(1_200)}`],
    };
    assert.equal(GenerationResultViewSchema.safeParse(result).success, false);
    const { view, clipped } = fitResultView(result);
    assert.equal(GenerationResultViewSchema.safeParse(view).success, true);
    assert.deepEqual(clipped, ['codeBlocks', 'codeBlocks.0.language', 'context.0.symbol', 'context.0.reasons.0', 'warnings.0']);
    assert.equal(view.codeBlocks.length, LIMITS.codeBlocks);
    assert.equal(view.context[0]?.symbol.length, LIMITS.reasonChars);
    assert.ok(view.context[0]?.symbol.startsWith('parseConfigXXX') && view.context[0].symbol.endsWith('…'));
    assert.equal(view.warnings.length, 2);
    assert.match(view.warnings[1] ?? '', /too long for the panel and are shown shortened/);
    // A result within the limits comes back as it was.
    const fine = fitResultView(base);
    assert.deepEqual(fine.clipped, []);
    assert.deepEqual(fine.view, GenerationResultViewSchema.parse(base));
  });

  it('keeps why a truncated answer ended short (cutOff), for the badge of its code', () => {
    for (const cutOff of ['token_limit', 'content_filter', 'aborted', 'unexplained'] as const) {
      const { view } = fitResultView({ ...aResult(), truncated: true, cutOff });
      assert.equal(view.cutOff, cutOff);
      assert.equal(GenerationResultViewSchema.safeParse(view).success, true);
    }
    assert.equal('cutOff' in fitResultView(aResult()).view, false);
    assert.equal(GenerationResultViewSchema.safeParse({ ...aResult(), truncated: true, cutOff: 'length' }).success, false, 'only the known kinds');
  });

  it('leaves out a code block over its limit rather than cut it (its Insert would write the cut code)', () => {
    const huge = { language: 'ts', code: 'x'.repeat(LIMITS.codeChars + 1), complete: true };
    const small = { language: 'ts', code: 'const a = 1;', complete: true };
    const { view, clipped } = fitResultView({ ...aResult(), codeBlocks: [huge, small] });
    assert.deepEqual(view.codeBlocks, [small]);
    assert.deepEqual(clipped, ['codeBlocks.0 (left out)']);
    assert.match(view.warnings.at(-1) ?? '', /too long for the panel/);
  });

  it("leaves out an item's location over its limit rather than cut it (a cut URI names another file)", () => {
    const item = { file: 'src/a.ts', uri: `file:///${'d/'.repeat(LIMITS.uriChars / 2)}a.ts`, startLine: 1, endLine: 1, symbol: 'a', kind: 'function', score: 1, reasons: [] };
    const { view, clipped } = fitResultView({ ...aResult(), context: [item] });
    const { uri: _uri, ...rest } = item;
    assert.deepEqual(view.context, [rest]);
    assert.deepEqual(clipped, ['context.0.uri (left out)']);
    assert.equal(GenerationResultViewSchema.safeParse(view).success, true);
  });

  it('never cuts between the halves of a surrogate pair', () => {
    const symbol = `${'a'.repeat(LIMITS.reasonChars - 2)}\u{1F600}\u{1F600}`;
    const { view } = fitResultView({ ...aResult(), context: [{ file: 'a.ts', startLine: 1, endLine: 1, symbol, kind: 'function', score: 1, reasons: [] }] });
    const cut = view.context[0]?.symbol ?? '';
    assert.ok(cut.length <= LIMITS.reasonChars && cut.isWellFormed(), String(cut.length));
  });

  it('shows a result with a negative duration (the wall clock stepped back) with that duration at 0, not refuses it', () => {
    const result = aResult({ timings: { contextMs: -3, queueMs: 0, firstTokenMs: -120, totalMs: -850 } });
    assert.equal(GenerationResultViewSchema.safeParse(result).success, false);
    const { view, clipped } = fitResultView(result);
    assert.deepEqual(view.timings, { contextMs: 0, queueMs: 0, firstTokenMs: 0, totalMs: 0 });
    assert.deepEqual(clipped, []);
    assert.equal(GenerationResultViewSchema.safeParse(view).success, true);
    assert.deepEqual(fitResultView(aResult({ timings: { contextMs: 4, queueMs: 1, firstTokenMs: null, totalMs: 900 } })).view.timings, { contextMs: 4, queueMs: 1, firstTokenMs: null, totalMs: 900 });
  });

  it('keeps the first items of a context over the limit and says how many were sent', () => {
    const item = (i: number) => ({ file: `src/f${i}.ts`, startLine: 1, endLine: 2, symbol: `s${i}`, kind: 'function', score: 0.5, reasons: [] });
    const { view, clipped } = fitResultView(aResult({ context: Array.from({ length: 1_500 }, (_, i) => item(i)) }));
    assert.equal(view.context.length, LIMITS.contextItems);
    assert.equal(view.contextSent, 1_500);
    assert.deepEqual(clipped, ['context']);
    assert.equal(GenerationResultViewSchema.safeParse(view).success, true);
    // Fitted again (the view is a result too) it still says so; a context within the limit says nothing more.
    assert.equal(fitResultView(view).view.contextSent, 1_500);
    assert.equal(fitResultView(aResult()).view.contextSent, undefined);
  });
});
