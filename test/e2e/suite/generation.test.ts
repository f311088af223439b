import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import type { ContextenApi } from '../../../src/core/generation/publicApi';
import { requireHostEnv } from '../harness/hostEnv';
import { pollUntil } from '../harness/poll';
import { openAiChatRequests, productApi, userMessage, whenIndexed } from './generationHelpers';

/** Resolves with the error `promise` rejects with; fails when it resolves. */
async function rejection(promise: Promise<unknown>): Promise<Error & { code?: unknown; issues?: unknown }> {
  try {
    await promise;
  } catch (err) {
    assert.ok(err instanceof Error, `rejected with a non-Error: ${String(err)}`);
    return err;
  }
  assert.fail('expected a rejection');
}

suite('Public API called from a second extension', () => {
  let api: ContextenApi;

  suiteSetup(async () => {
    api = await productApi();
  });

  test('declares API version 1 and its four capabilities', () => {
    assert.equal(api.apiVersion, 1);
    assert.deepEqual([...api.capabilities].sort(), ['agent_task_execution', 'batch_processing', 'code_generation', 'context_enhancement']);
  });

  test('generateWithContext streams an answer from the OpenAI-compatible server with workspace context, then serves the repeat from the cache', async () => {
    await whenIndexed(api);
    const before = await openAiChatRequests();
    const tokens: string[] = [];
    const prompt = 'Write function cartReceiptLine that prints the total price of the cart items';
    const result = await api.generateWithContext(prompt, { options: { activeFile: 'src/cart.ts' }, onToken: (t) => tokens.push(t) });

    assert.ok(tokens.length > 3, `expected a streamed answer, got ${tokens.length} pieces`);
    assert.equal(tokens.join(''), result.text);
    assert.equal(result.provider, 'openai');
    assert.equal(result.model, 'test-model');
    assert.equal(result.cached, false);
    assert.equal(result.codeBlocks.length, 1);
    assert.equal(result.codeBlocks[0]?.language, 'typescript');
    assert.match(result.codeBlocks[0]?.code ?? '', /^export function cartReceiptLine\(value: string\): string \{/);
    assert.ok(result.context.some((i) => i.file === 'src/cart.ts' && i.symbol === 'cartTotal'), 'cartTotal was not in the context');
    assert.ok(result.timings.totalMs >= result.timings.firstTokenMs);

    // The server logs a request's outcome when its response closes, which can come after the client read the end.
    const sent = await pollUntil(
      'the chat completion request logged as finished',
      async () => {
        const requests = (await openAiChatRequests()).slice(before.length);
        return requests.some((r) => r.outcome === 'pending') ? undefined : requests;
      },
      { timeoutMs: 5_000, intervalMs: 20 },
    );
    assert.equal(sent.length, 1, 'expected exactly one chat completion request');
    const request = sent[0];
    assert.equal(request?.body?.stream, true);
    assert.equal(request?.outcome, 'completed');
    // This window stored no key: none is sent (the server accepts keyless clients, as local servers do).
    assert.equal(request?.authorization, 'absent');
    assert.match(userMessage(request), /## Relevant code from the workspace[\s\S]*### src\/cart\.ts \(lines \d+-\d+\): function cartTotal[\s\S]*## Task\n\nWrite function cartReceiptLine/);

    const again = await api.generateWithContext(prompt, { options: { activeFile: 'src/cart.ts' } });
    assert.equal(again.cached, true);
    assert.equal(again.text, result.text);
    assert.equal((await openAiChatRequests()).length, before.length + 1, 'the cached repeat reached the server');
  });

  test('batchGenerate keeps the order and reports a failure per item without failing the others; the performance report counts every request', async () => {
    const reportBefore = api.getPerformanceReport();
    const serverBefore = (await openAiChatRequests()).length;
    const results = await api.batchGenerate([
      { prompt: 'Write function firstOfBatch', options: { contextEnhancement: false } },
      { prompt: 'Write function secondOfBatch', options: { contextEnhancement: false, model: 'no-such-model' } },
      { prompt: 'Write function thirdOfBatch', options: { contextEnhancement: false } },
    ]);

    assert.equal(results.length, 3);
    const [first, second, third] = results;
    assert.ok(first?.ok && third?.ok, 'the good requests failed');
    assert.match(first.result.codeBlocks[0]?.code ?? '', /function firstOfBatch/);
    assert.match(third.result.codeBlocks[0]?.code ?? '', /function thirdOfBatch/);
    assert.ok(second && !second.ok, 'the request for an unknown model succeeded');
    assert.equal(second.error.code, 'not_found');
    assert.match(second.error.message, /no-such-model/);

    const serverRequests = (await openAiChatRequests()).slice(serverBefore);
    // 404 is never retried: one request per item.
    assert.deepEqual(serverRequests.map((r) => r.status).sort(), [200, 200, 404]);
    const report = api.getPerformanceReport();
    assert.equal(report.requests.total - reportBefore.requests.total, 3);
    assert.equal(report.requests.ok - reportBefore.requests.ok, 2);
    assert.equal(report.requests.errors - reportBefore.requests.errors, 1);
    assert.equal(report.requests.cached - reportBefore.requests.cached, 0);
    assert.ok(report.latencyMs.samples >= 2 && report.latencyMs.p95 !== null);
  });

  test('rejects invalid inputs with a validation error naming the field', async () => {
    const empty = await rejection(api.generateWithContext('   '));
    assert.equal(empty.code, 'validation');
    assert.match(empty.message, /generateWithContext.*prompt/);

    const unknownOption = await rejection(api.generateWithContext('Write function ok', { options: { temperature: 5 } } as never));
    assert.equal(unknownOption.code, 'validation');
    assert.match(unknownOption.message, /options\.options\.temperature/);

    const extraField = await rejection(api.generateWithContext('Write function ok', { bogus: true } as never));
    assert.equal(extraField.code, 'validation');

    const noRequests = await rejection(api.batchGenerate([]));
    assert.equal(noRequests.code, 'validation');
    assert.match(noRequests.message, /batchGenerate.*requests/);

    const tinyBudget = await rejection(api.getRelevantContext({ query: 'cart', budget: 5 }));
    assert.equal(tinyBudget.code, 'validation');
    assert.match(tinyBudget.message, /query\.budget/);

    const notAString = await rejection(api.runAgentTask(42 as never));
    assert.equal(notAString.code, 'validation');
    assert.match(notAString.message, /runAgentTask.*description/);
  });

  test('runAgentTask runs a Codegen agent task with context and resolves when it ends; onDidChangeTask reports its states', async function () {
    this.timeout(30_000);
    await whenIndexed(api);
    const codegenUrl = requireHostEnv('CODEGEN_BASE_URL');
    const seen: AgentRun[] = [];
    let created: ((run: AgentRun) => void) | undefined;
    const firstState = new Promise<AgentRun>((resolve) => (created = resolve));
    const sub = api.onDidChangeTask((run) => {
      seen.push(run);
      created?.(run);
    });
    try {
      const done = api.runAgentTask('Add a function that prints the total price of the cart items', { asyncExecution: false, activeFile: 'src/cart.ts' });
      const run = await firstState;
      // Finish the run now instead of after the contract server's simulated 20 s of work.
      const forced = await fetch(`${codegenUrl}/__admin/runs/${run.id}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ status: 'COMPLETE' }) });
      assert.equal(forced.status, 200);
      const { run: final, context } = await done;

      assert.equal(final.id, run.id);
      assert.equal(final.state, 'complete');
      assert.match(final.result ?? '', /```/);
      assert.ok(context.some((i) => i.symbol === 'cartTotal'), 'cartTotal was not attached as context');
      // The first state is the new run's; the final one was published before runAgentTask resolved.
      assert.equal(seen[0]?.state, 'active');
      assert.ok(seen.some((r) => r.id === run.id && r.state === 'complete'), `states seen: ${seen.map((r) => `${r.id}:${r.state}`).join(', ')}`);

      const log = (await (await fetch(`${codegenUrl}/__admin/requests`)).json()) as { requests: { method: string; path: string; auth: string; body?: { prompt?: string } }[] };
      const create = log.requests.find((r) => r.method === 'POST' && /\/agent\/run$/.test(r.path) && r.body?.prompt?.includes('prints the total price of the cart items'));
      assert.ok(create, 'the contract server logged no run creation');
      assert.equal(create.auth, 'valid');
      assert.match(create.body?.prompt ?? '', /src\/cart\.ts/);
    } finally {
      sub.dispose();
    }
  });

  test('a CancellationToken from the caller cancels generateWithContext', async () => {
    const source = new vscode.CancellationTokenSource();
    source.cancel();
    const cancelled = await rejection(api.generateWithContext('Write function neverSent', { token: source.token }));
    assert.equal(cancelled.code, 'cancelled');
    source.dispose();
  });
});
