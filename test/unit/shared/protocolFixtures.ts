// Builders for valid protocol payloads, shared by the protocol and view-state tests.
import type { PerformanceReport } from '../../../src/shared/performanceReport';
import type { GenerationResultView, HostMessage, ViewState, WebviewMessage } from '../../../src/shared/protocol';

export function aResult(overrides: Partial<GenerationResultView> = {}): GenerationResultView {
  return {
    codeBlocks: [{ language: 'typescript', code: 'export const x = 1;\n', complete: true }],
    explanation: 'Adds **x**.',
    context: [
      { file: 'src/a.ts', uri: 'file:///home/user/w/src/a.ts', startLine: 3, endLine: 9, symbol: 'parseA', kind: 'function', score: 0.8, reasons: ["name matches query word 'parse'"] },
    ],
    provider: 'openai',
    model: 'llama3.1',
    cached: false,
    timings: { contextMs: 4, queueMs: 0, firstTokenMs: 120, totalMs: 900 },
    truncated: false,
    warnings: [],
    ...overrides,
  };
}

export function aReport(overrides: Partial<PerformanceReport> = {}): PerformanceReport {
  return {
    generatedAt: 1_700_000_000_000,
    uptimeMs: 60_000,
    requests: { total: 10, ok: 8, errors: 1, cancelled: 1, errorRate: 1 / 9, cached: 3, errorsByCode: { network: 1 } },
    latencyMs: { samples: 8, avg: 300, p50: 250, p95: 800 },
    firstTokenMs: { samples: 5, p50: 90, p95: 200 },
    throughput: { perMinute: 9, perSecond: [0, 2, 3, 0, 4] },
    cache: { generation: { hits: 3, misses: 7, hitRate: 0.3, size: 7 }, context: { hits: 5, misses: 5, hitRate: 0.5, size: 5 } },
    memory: { heapUsedBytes: 50_000_000, rssBytes: 150_000_000 },
    index: { files: 120, definitions: 900, lastUpdatedAt: 1_699_999_990_000, ageMs: 10_000, pendingFiles: 0, ranking: 'ready', rankingReadyMs: 420, editsMs: { samples: 40, p50: 0.7, p95: 2.4, engineP95: 1.2 } },
    recentLatenciesMs: [250, 300, 800],
    ...overrides,
  };
}

export function aViewState(): ViewState {
  return {
    tab: 'context',
    run: {
      id: 3,
      prompt: 'write x',
      provider: 'openai',
      model: 'llama3.1',
      startedAt: 1_700_000_000_000,
      status: 'finished',
      text: 'Adds x.\n```ts\nexport const x = 1;\n```\n',
      textCapped: false,
      result: aResult(),
      error: null,
    },
    performance: aReport(),
  };
}

/** One valid example of every host → webview message type (the Record makes the list exhaustive). */
export const HOST_EXAMPLES: { [K in HostMessage['type']]: Extract<HostMessage, { type: K }> } = {
  state: { type: 'state', state: aViewState() },
  generationStarted: { type: 'generationStarted', runId: 1, prompt: 'write x', provider: 'openai', model: 'llama3.1', startedAt: 1_700_000_000_000 },
  token: { type: 'token', runId: 1, delta: 'Hel' },
  reasoning: { type: 'reasoning', runId: 1, delta: 'The user wants' },
  generationFinished: { type: 'generationFinished', runId: 1, result: aResult() },
  generationFailed: { type: 'generationFailed', runId: 1, error: { message: 'Wait a moment and try again.', code: 'rate_limit', actions: ['Show Logs'] } },
  performance: { type: 'performance', report: aReport() },
};

/** One valid example of every webview → host message type. */
export const WEBVIEW_EXAMPLES: { [K in WebviewMessage['type']]: Extract<WebviewMessage, { type: K }> } = {
  ready: { type: 'ready' },
  insert: { type: 'insert', runId: 3, block: 0 },
  replaceSelection: { type: 'replaceSelection', runId: 3, block: 1 },
  showDiff: { type: 'showDiff', runId: 3, block: 0 },
  copy: { type: 'copy', code: 'const a = 1;' },
  openLocation: { type: 'openLocation', runId: 3, item: 0 },
  cancel: { type: 'cancel', runId: 1 },
  retry: { type: 'retry', runId: 1 },
  selectTab: { type: 'selectTab', tab: 'performance' },
  showRun: { type: 'showRun', runId: 2 },
  errorAction: { type: 'errorAction', title: 'Open Settings' },
};
