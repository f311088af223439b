import assert from 'node:assert/strict';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import type { ContextQuery } from '../../../src/core/context/model';
import { ValidationError } from '../../../src/core/errors';
import { Emitter } from '../../../src/core/emitter';
import type { AgentTaskOptions } from '../../../src/core/generation/agentTaskRunner';
import type { BatchRequest } from '../../../src/core/generation/batcher';
import type { GenerateCall } from '../../../src/core/generation/generationPipeline';
import { createPublicApi, MAX_BATCH_REQUESTS } from '../../../src/core/generation/publicApi';
import type { GenerationResult } from '../../../src/core/generation/model';
import type { PerformanceReport } from '../../../src/shared/performanceReport';
import { FakeContextSource } from './builders';

function services() {
  const generateCalls: { prompt: string; call: GenerateCall }[] = [];
  const agentCalls: { description: string; opts: AgentTaskOptions }[] = [];
  const batchCalls: (readonly BatchRequest[])[] = [];
  const context = new FakeContextSource();
  const tasks = new Emitter<AgentRun>();
  const api = createPublicApi({
    generate: (prompt, call) => {
      generateCalls.push({ prompt, call });
      return Promise.resolve({ prompt } as GenerationResult);
    },
    context,
    runAgentTask: (description, opts) => {
      agentCalls.push({ description, opts });
      return Promise.resolve({ run: { id: 1 } as AgentRun, context: [], warnings: [] });
    },
    batchGenerate: (requests) => {
      batchCalls.push(requests);
      return Promise.resolve([]);
    },
    getPerformanceReport: () => ({ uptimeMs: 5 }) as PerformanceReport,
    onDidChangeTask: tasks.event,
  });
  return { api, generateCalls, agentCalls, batchCalls, context, tasks };
}

async function rejectsWith(p: Promise<unknown>, pattern: RegExp): Promise<ValidationError> {
  const err = await p.catch((e: unknown) => e);
  assert.ok(err instanceof ValidationError, `expected ValidationError, got ${String(err)}`);
  assert.match(err.message, pattern);
  return err;
}

describe('public API', () => {
  it('declares its version and capabilities', () => {
    const { api } = services();
    assert.equal(api.apiVersion, 1);
    assert.deepEqual(api.capabilities, ['code_generation', 'context_enhancement', 'agent_task_execution', 'batch_processing']);
    assert.equal(api.getPerformanceReport().uptimeMs, 5);
  });

  it('passes valid generateWithContext input through, without undefined keys', async () => {
    const s = services();
    const onToken = (): void => undefined;
    await s.api.generateWithContext('  write a parser ', { codebaseContext: 'ctx', options: { temperature: 0.3, model: undefined }, onToken });
    const call = s.generateCalls[0];
    assert.equal(call?.prompt, 'write a parser');
    assert.equal(call?.call.codebaseContext, 'ctx');
    assert.deepEqual(call?.call.options, { temperature: 0.3 });
    await s.api.generateWithContext('fix it', { options: { contextQuery: ' parseDate TypeError ' } });
    assert.deepEqual(s.generateCalls[1]?.call.options, { contextQuery: 'parseDate TypeError' });
    assert.equal(call?.call.onToken, onToken);
    assert.equal(call?.call.signal.aborted, false);
  });

  it('rejects invalid generateWithContext input with a ValidationError naming field and rule', async () => {
    const { api, generateCalls } = services();
    await rejectsWith(api.generateWithContext('   '), /generateWithContext: invalid input \(prompt: must not be empty\)/);
    await rejectsWith(api.generateWithContext(42 as unknown as string), /prompt: /);
    const err = await rejectsWith(api.generateWithContext('ok', { options: { temperature: 5 } }), /options\.options\.temperature: /);
    assert.deepEqual(err.issues[0]?.loc, ['options', 'options', 'temperature']);
    await rejectsWith(api.generateWithContext('ok', { options: { provider: 'gpt' as 'openai' } }), /options\.options\.provider/);
    await rejectsWith(api.generateWithContext('ok', { bogus: 1 } as never), /options: .*bogus/);
    await rejectsWith(api.generateWithContext('ok', { signal: 'nope' } as never), /options\.signal/);
    await rejectsWith(api.generateWithContext('ok', { onToken: 'nope' } as never), /options\.onToken: expected a function/);
    await rejectsWith(api.generateWithContext('ok', { onReasoning: 'nope' } as never), /options\.onReasoning: expected a function/);
    // A context query, when given, is text to rank for, as a prompt is: a blank one is refused, not ranked for.
    for (const contextQuery of ['', '  \n ']) {
      const blank = await rejectsWith(api.generateWithContext('ok', { options: { contextQuery } }), /invalid input \(options\.options\.contextQuery: must not be empty\)/);
      assert.deepEqual(blank.issues[0]?.loc, ['options', 'options', 'contextQuery']);
    }
    await rejectsWith(api.batchGenerate([{ prompt: 'ok', options: { contextQuery: ' ' } }]), /requests\.0\.options\.contextQuery: must not be empty/);
    assert.equal(generateCalls.length, 0);
  });

  it('accepts a query string or object for getRelevantContext', async () => {
    const s = services();
    await s.api.getRelevantContext('parse dates');
    await s.api.getRelevantContext({ query: 'x', activeFile: 'src/a.ts', budget: 2000 });
    assert.deepEqual(s.context.queries, [{ query: 'parse dates' }, { query: 'x', activeFile: 'src/a.ts', budget: 2000 }] satisfies ContextQuery[]);
    await rejectsWith(s.api.getRelevantContext({ query: 'x', budget: 5 }), /query\.budget/);
  });

  it('takes activeFile null (the request is about no file of the workspace) and passes it on as null', async () => {
    const s = services();
    await s.api.getRelevantContext({ query: 'x', activeFile: null });
    await s.api.generateWithContext('fix it', { options: { activeFile: null, openFiles: ['src/a.ts'] } });
    await s.api.runAgentTask('Add tests', { activeFile: null });
    assert.deepEqual(s.context.queries, [{ query: 'x', activeFile: null }] satisfies ContextQuery[]);
    assert.deepEqual(s.generateCalls[0]?.call.options, { activeFile: null, openFiles: ['src/a.ts'] });
    assert.equal(s.agentCalls[0]?.opts.activeFile, null);
    // (Only null: no other non-path.)
    await rejectsWith(s.api.getRelevantContext({ query: 'x', activeFile: false as unknown as null }), /query\.activeFile/);
  });

  it('takes only workspace-relative / paths as activeFile, openFiles and recentFiles, naming the field', async () => {
    const s = services();
    // (A `:` is part of a name, as a `\` is outside Windows: the engine names such files so.)
    const valid = ['src/a.ts', 'api/src/my file.ts', '.github/workflows/ci.yml', 'a..b.ts', 'README', 'a:b.ts', 'notes/2024:01.md', 'docs\\x.md'];
    await s.api.getRelevantContext({ query: 'x', activeFile: valid[0], openFiles: valid, recentFiles: valid });
    assert.equal(s.context.queries.length, 1);
    const cases: [string, RegExp][] = [
      ['/etc/passwd', /not absolute/],
      ['C:\\Windows\\x.ts', /not absolute/],
      ['c:/src/a.ts', /not absolute/],
      ['C:', /not absolute/],
      ['../../outside.ts', /no empty, \. or \.\. segment/],
      ['src/../../outside.ts', /no empty, \. or \.\. segment/],
      ['./src/a.ts', /no empty, \. or \.\. segment/],
      ['src//a.ts', /no empty, \. or \.\. segment/],
      ['src/', /no empty, \. or \.\. segment/],
    ];
    for (const [path, rule] of cases) {
      const named = (field: string): RegExp => new RegExp(`\\(${field}: [^;]*${rule.source}[^;]*\\)`);
      await rejectsWith(s.api.getRelevantContext({ query: 'x', activeFile: path }), named('query\\.activeFile'));
      await rejectsWith(s.api.getRelevantContext({ query: 'x', openFiles: ['src/a.ts', path] }), named('query\\.openFiles\\.1'));
      await rejectsWith(s.api.getRelevantContext({ query: 'x', recentFiles: [path] }), named('query\\.recentFiles\\.0'));
      await rejectsWith(s.api.generateWithContext('ok', { options: { activeFile: path } }), named('options\\.options\\.activeFile'));
      await rejectsWith(s.api.runAgentTask('Add tests', { openFiles: [path] }), named('options\\.openFiles\\.0'));
    }
    assert.equal(s.context.queries.length, 1);
    assert.equal(s.generateCalls.length, 0);
    assert.equal(s.agentCalls.length, 0);
  });

  it('refuses a \\ in activeFile, openFiles and recentFiles only on Windows, where it is a separator', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform');
    assert.ok(platform);
    try {
      Object.defineProperty(process, 'platform', { ...platform, value: 'win32' });
      const s = services();
      await rejectsWith(s.api.getRelevantContext({ query: 'x', activeFile: 'src\\a.ts' }), /\(query\.activeFile: [^;]*must use \/ between folders[^;]*\)/);
      await rejectsWith(s.api.runAgentTask('Add tests', { openFiles: ['docs\\x.md'] }), /\(options\.openFiles\.0: [^;]*must use \/ between folders[^;]*\)/);
      // (A `:` after more than a drive letter is still a name there: the engine never sees a Windows path with one.)
      await s.api.getRelevantContext({ query: 'x', activeFile: 'a:b.ts' });
      assert.equal(s.context.queries.length, 1);
      Object.defineProperty(process, 'platform', { ...platform, value: 'linux' });
      await s.api.getRelevantContext({ query: 'x', activeFile: 'src\\a.ts', openFiles: ['docs\\x.md'] });
      assert.equal(s.context.queries.length, 2);
      assert.equal(s.context.queries[1]?.activeFile, 'src\\a.ts');
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
  });

  it('names the field and the rule of an invalid getRelevantContext query', async () => {
    const s = services();
    const cases: [unknown, RegExp][] = [
      [{ query: 'x', openFiles: Array.from({ length: 201 }, () => 'a.ts') }, /query\.openFiles: Too big: expected array to have <=200 items/],
      [{ query: 'x', openFiles: [5] }, /query\.openFiles\.0: Invalid input: expected string, received number/],
      [{ query: 'x', budget: 150.5 }, /query\.budget: Invalid input: expected int, received number/],
      [{ query: 'x', budget: '8000' }, /query\.budget: Invalid input: expected number, received string/],
      [{ budget: 800 }, /query\.query: Invalid input: expected string, received undefined/],
      ['  ', /query: must not be empty/],
      [5, /query: Invalid input: expected object, received number/],
    ];
    for (const [query, pattern] of cases) await rejectsWith(s.api.getRelevantContext(query as string), pattern);
    assert.equal(s.context.queries.length, 0);
  });

  it('validates runAgentTask and passes its options', async () => {
    const s = services();
    await s.api.runAgentTask('Add tests', { asyncExecution: true, contextEnhancement: false });
    assert.equal(s.agentCalls[0]?.description, 'Add tests');
    assert.equal(s.agentCalls[0]?.opts.asyncExecution, true);
    assert.equal(s.agentCalls[0]?.opts.contextEnhancement, false);
    await rejectsWith(s.api.runAgentTask('Add tests', { asyncExecution: 'yes' } as never), /options\.asyncExecution/);
  });

  it('validates batchGenerate requests one by one and bounds their number', async () => {
    const s = services();
    await s.api.batchGenerate([{ prompt: 'a' }, { prompt: 'b', options: { useCache: false } }]);
    assert.deepEqual(s.batchCalls[0], [{ prompt: 'a' }, { prompt: 'b', options: { useCache: false } }]);
    await rejectsWith(s.api.batchGenerate([{ prompt: 'a' }, { prompt: '' }]), /requests\.1\.prompt/);
    await rejectsWith(s.api.batchGenerate([]), /at least one request/);
    await rejectsWith(s.api.batchGenerate(Array.from({ length: MAX_BATCH_REQUESTS + 1 }, () => ({ prompt: 'x' }))), /requests: /);
  });

  it("passes each batchGenerate request's own onToken and onReasoning on, and refuses one that is no function", async () => {
    const s = services();
    const onToken = (_t: string): void => undefined;
    const onReasoning = (_t: string): void => undefined;
    await s.api.batchGenerate([{ prompt: 'a', onToken, onReasoning }, { prompt: 'b' }]);
    assert.equal(s.batchCalls[0]?.[0]?.onToken, onToken);
    assert.equal(s.batchCalls[0]?.[0]?.onReasoning, onReasoning);
    assert.deepEqual(s.batchCalls[0]?.[1], { prompt: 'b' });
    await rejectsWith(s.api.batchGenerate([{ prompt: 'a' }, { prompt: 'b', onReasoning: 'log' } as never]), /requests\.1\.onReasoning: expected a function/);
  });

  it('turns a CancellationToken into an aborted signal', async () => {
    const s = services();
    const listeners: (() => void)[] = [];
    const token = {
      isCancellationRequested: false,
      onCancellationRequested: (l: () => void) => {
        listeners.push(l);
        return { dispose: () => undefined };
      },
    };
    let seen: AbortSignal | undefined;
    const api = createPublicApi({
      ...{ context: s.context, runAgentTask: () => Promise.reject(new Error('unused')), batchGenerate: () => Promise.resolve([]) },
      getPerformanceReport: () => ({}) as PerformanceReport,
      onDidChangeTask: s.tasks.event,
      generate: (_p, call) => {
        seen = call.signal;
        for (const l of listeners) l();
        return Promise.resolve({} as GenerationResult);
      },
    });
    await api.generateWithContext('x', { token });
    assert.equal(seen?.aborted, true);
  });

  it('finishes the work when a CancellationToken gives back no disposable from onCancellationRequested', async () => {
    const s = services();
    const token = { isCancellationRequested: false, onCancellationRequested: () => undefined };
    const result = await s.api.generateWithContext('x', { token });
    assert.equal(result.prompt, 'x');
    await s.api.batchGenerate([{ prompt: 'a' }], { token });
  });

  it('exposes task changes as a subscribable event', () => {
    const s = services();
    const seen: number[] = [];
    const sub = s.api.onDidChangeTask((r) => seen.push(r.id));
    s.tasks.fire({ id: 7 } as AgentRun);
    sub.dispose();
    s.tasks.fire({ id: 8 } as AgentRun);
    assert.deepEqual(seen, [7]);
  });
});
