// Helpers the in-host generation and context suites share: the product's public API as a second
// extension gets it, waiting for the workspace index through that API, and the contract servers' admin logs.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { ContextenApi } from '../../../src/core/generation/publicApi';
import { HOST_ENV, requireHostEnv } from '../harness/hostEnv';
import { EXTENSION_ID } from '../harness/paths';
import { pollUntil } from '../harness/poll';

/** What `activate()` of the installed product returns, called from this (the test) extension. */
export async function productApi(): Promise<ContextenApi> {
  const ext = vscode.extensions.getExtension<ContextenApi>(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext.activate();
}

/** Number of source files in test/fixtures/e2e-workspace/src (the index must hold at least these). */
export const FIXTURE_SOURCE_FILES = 5;

/**
 * Waits until the background index has covered the fixture workspace, as an API user would: the
 * performance report's index section (no event exists for it).
 */
export async function whenIndexed(api: ContextenApi): Promise<void> {
  await pollUntil(
    'the workspace index in getPerformanceReport()',
    () => {
      const index = api.getPerformanceReport().index;
      return Promise.resolve(index && index.files >= FIXTURE_SOURCE_FILES && index.pendingFiles === 0 && index.lastUpdatedAt !== null ? true : undefined);
    },
    { timeoutMs: 15_000, intervalMs: 50 },
  );
}

/** One chat completion request as the OpenAI-compatible contract server logged it. */
export interface LoggedChatRequest {
  readonly id: number;
  readonly path: string;
  readonly authorization: string;
  readonly outcome: string;
  readonly status?: number;
  readonly body?: { readonly stream?: boolean; readonly model?: string; readonly messages?: readonly { role: string; content: string }[] };
}

/** The chat completion requests the OpenAI-compatible contract server has seen so far. */
export async function openAiChatRequests(): Promise<LoggedChatRequest[]> {
  const res = await fetch(`${requireHostEnv(HOST_ENV.openAiServer)}/__admin/requests`);
  assert.equal(res.status, 200);
  const all = (await res.json()) as LoggedChatRequest[];
  return all.filter((r) => r.path === '/v1/chat/completions');
}

/** The user message of a logged chat request. */
export function userMessage(request: LoggedChatRequest | undefined): string {
  return request?.body?.messages?.find((m) => m.role === 'user')?.content ?? '';
}
