import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { EXTENSION_ID } from '../harness/paths';
import { TEST_SECRETS } from '../harness/secrets';

/** The fields of an agent run (src/core/api/codegenClient.ts AgentRun) these tests read. */
interface Run {
  id: number;
  status: string;
  state: string;
  result?: string;
  summary?: string;
  pullRequests: { url: string }[];
}

interface TasksApi {
  onDidChangeTask(listener: (run: Run) => void): { dispose(): unknown };
}

const TOKEN_ENV = 'CODEGEN_API_TOKEN';
/** A run on the contract server takes 6 s (PENDING 1 s, RUNNING 5 s); the sidebar polls every 2 s. */
const RUN_FINISHES_MS = 20_000;

/**
 * Every run state the extension publishes on its API's onDidChangeTask (the sidebar's creations, polls,
 * resumes and stops), with a way to wait for one that has not come yet.
 */
class TaskRecorder {
  readonly seen: Run[] = [];
  private waiters: { matches: (r: Run) => boolean; resolve: (r: Run) => void }[] = [];

  record = (run: Run): void => {
    this.seen.push(run);
    for (const w of this.waiters.filter((x) => x.matches(run))) w.resolve(run);
    this.waiters = this.waiters.filter((x) => !x.matches(run));
  };

  /** The first state (from `from` on) that matches, or a failure naming what was seen for that run. */
  async waitFor(what: string, matches: (r: Run) => boolean, { from = 0, timeoutMs = RUN_FINISHES_MS } = {}): Promise<Run> {
    const already = this.seen.slice(from).find(matches);
    if (already) return already;
    let timer: NodeJS.Timeout | undefined;
    try {
      return await new Promise<Run>((resolve, reject) => {
        this.waiters.push({ matches, resolve });
        timer = setTimeout(() => reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what}; seen: ${this.describe()}`)), timeoutMs);
      });
    } finally {
      clearTimeout(timer);
    }
  }

  statusesOf(id: number, from = 0): string[] {
    return this.seen.slice(from).filter((r) => r.id === id).map((r) => r.status);
  }

  private describe(): string {
    return this.seen.map((r) => `#${r.id} ${r.status}`).join(', ') || 'nothing';
  }
}

function logsDocument(id: number): vscode.TextDocument | undefined {
  return vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'contexten-logs' && d.uri.path === `/run-${id}.log`);
}

suite('Agent tasks through their commands (signed in with CODEGEN_API_TOKEN)', () => {
  const recorder = new TaskRecorder();
  let subscription: { dispose(): unknown } | undefined;
  /** The run the first test creates and later tests use. */
  let finished: Run | undefined;

  suiteSetup(async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `${EXTENSION_ID} is not installed`);
    const api = (await ext.activate()) as TasksApi;
    subscription = api.onDidChangeTask(recorder.record);
    // No input boxes here: the org id as a setting, the token from the environment (read on each use;
    // signing out re-reads it, and with nothing stored the environment token signs in).
    await vscode.workspace.getConfiguration('contexten').update('codegen.orgId', '1', vscode.ConfigurationTarget.Global);
    process.env[TOKEN_ENV] = TEST_SECRETS.codegenToken;
    await vscode.commands.executeCommand('contexten.signOut');
  });

  suiteTeardown(async () => {
    subscription?.dispose();
    delete process.env[TOKEN_ENV];
    await vscode.commands.executeCommand('contexten.signOut');
    await vscode.workspace.getConfiguration('contexten').update('codegen.orgId', undefined, vscode.ConfigurationTarget.Global);
  });

  test('contexten.tasks.new <prompt> returns the created run, and the sidebar follows it to COMPLETE', async () => {
    const from = recorder.seen.length;
    const created = await vscode.commands.executeCommand<Run | undefined>('contexten.tasks.new', 'Add a /health endpoint and open a PR');
    assert.ok(created, 'the command returned no run');
    assert.ok(Number.isInteger(created.id) && created.id > 0);
    assert.match(created.status, /^(PENDING|RUNNING)$/);
    assert.equal(created.state, 'active');

    finished = await recorder.waitFor(`run #${created.id} to complete`, (r) => r.id === created.id && r.state === 'complete', { from });
    assert.equal(finished.status, 'COMPLETE');
    assert.match(finished.result ?? '', /^I made the change you asked for: "Add a \/health endpoint and open a PR"/);
    assert.match(finished.result ?? '', /```ts\n[\s\S]*\n```/);
    assert.deepEqual(finished.pullRequests.map((p) => p.url), [`https://github.com/sandbox-org/web-app/pull/${created.id}`]);
    const statuses = recorder.statusesOf(created.id, from);
    assert.ok(statuses.indexOf('RUNNING') < statuses.indexOf('COMPLETE'), `polled through RUNNING: ${statuses.join(' → ')}`);
    assert.equal(statuses.filter((s) => s === 'COMPLETE').length, 1, `a finished run is not polled again: ${statuses.join(' → ')}`);
  });

  test('contexten.tasks.showLogs <id> opens the run\'s logs as a readable document', async () => {
    assert.ok(finished, 'needs the run of the first test');
    await vscode.commands.executeCommand('contexten.tasks.showLogs', finished.id);
    const doc = logsDocument(finished.id);
    assert.ok(doc, 'no contexten-logs document for the run');
    assert.equal(vscode.window.activeTextEditor?.document, doc, 'the logs are shown');
    const text = doc.getText();
    assert.match(text, new RegExp(`^Agent run #${finished.id} — COMPLETE`));
    const counts = /^(\d+) of (\d+) log entries$/m.exec(text);
    assert.ok(counts && counts[1] === counts[2] && Number(counts[1]) >= 10, `all entries loaded: ${counts?.[0] ?? 'no count line'}`);
    const kinds = [...text.matchAll(/^\[[^\]]*\] ([A-Z_]+)/gm)].map((m) => m[1]);
    assert.equal(kinds.length, Number(counts[1]), 'one heading per entry');
    assert.equal(kinds[0], 'USER_MESSAGE');
    assert.equal(kinds.at(-1), 'FINAL_ANSWER');
    assert.ok(text.endsWith(finished.result ?? '\u0000'), 'the result closes the document');
  });

  test('contexten.tasks.copyResult <id> puts the run\'s result on the clipboard', async () => {
    assert.ok(finished?.result, 'needs the run of the first test');
    await vscode.env.clipboard.writeText('');
    await vscode.commands.executeCommand('contexten.tasks.copyResult', finished.id);
    assert.equal(await vscode.env.clipboard.readText(), finished.result);
  });

  test('contexten.tasks.resume <id> <follow-up> makes the run active again until it completes with the follow-up', async () => {
    assert.ok(finished, 'needs the run of the first test');
    const id = finished.id;
    const from = recorder.seen.length;
    const resumed = await vscode.commands.executeCommand<Run | undefined>('contexten.tasks.resume', id, 'Also add a test for it');
    assert.ok(resumed, 'the command returned no run');
    assert.equal(resumed.id, id);
    assert.equal(resumed.state, 'active');

    const done = await recorder.waitFor(`run #${id} to complete again`, (r) => r.id === id && r.state === 'complete', { from });
    assert.match(done.summary ?? '', /\(\+1 follow-up\)$/);
    assert.ok(done.result?.startsWith(finished.result ?? '\u0000'), 'the first answer is kept');
    assert.match(done.result ?? '', /Follow-up done: "Also add a test for it"/);
  });

  test('contexten.tasks.stop <id> stops an active run and returns it STOPPED (terminal), also published on onDidChangeTask', async () => {
    const from = recorder.seen.length;
    const created = await vscode.commands.executeCommand<Run | undefined>('contexten.tasks.new', 'Rename the config module');
    assert.ok(created, 'the command returned no run');
    const stopped = await vscode.commands.executeCommand<Run | undefined>('contexten.tasks.stop', created.id);
    assert.ok(stopped, 'the command returned no run');
    assert.equal(stopped.status, 'STOPPED');
    assert.equal(stopped.state, 'failed', 'STOPPED is terminal');
    await recorder.waitFor(`run #${created.id} STOPPED on the API`, (r) => r.id === created.id && r.status === 'STOPPED', { from });
  });
});
