import assert from 'node:assert/strict';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { fakeVscode } from '../fakes/fakeVscode';
import { ConfigService } from '../../../src/vscode/config';
import { RecordingLogger } from '../fakes/recordingLogger';

/** The warnings shown whose text matches `re`. */
function shown(re: RegExp): string[] {
  return fakeVscode.messages.filter((m) => m.kind === 'warning' && re.test(m.text)).map((m) => m.text);
}

describe('settings service (invalid values while settings change)', () => {
  let config: ConfigService | undefined;
  afterEach(() => {
    config?.dispose();
    config = undefined;
  });

  it('does not announce a value that stays invalid again when another setting turns invalid or valid', () => {
    fakeVscode.openWorkspace('/tmp/ws');
    fakeVscode.setConfiguration('contexten.http.maxRetries', 99);
    config = new ConfigService(new RecordingLogger(), {});
    config.reportIssues();
    fakeVscode.setConfiguration('contexten.batch.size', 0);
    fakeVscode.setConfiguration('contexten.batch.size', 5);
    assert.equal(shown(/maxRetries/).length, 1);
    assert.equal(shown(/batch\.size/).length, 1, 'the newly invalid one is announced');
    fakeVscode.setConfiguration('contexten.http.maxRetries', 3);
    fakeVscode.setConfiguration('contexten.http.maxRetries', 99);
    assert.equal(shown(/maxRetries/).length, 2, 'corrected, then invalid again');
  });

  it('announces a base URL typed into the Settings UI once while it stays invalid, not at every pause of the typing', () => {
    fakeVscode.openWorkspace('/tmp/ws');
    config = new ConfigService(new RecordingLogger(), {});
    config.reportIssues();
    for (const typed of ['h', 'http://e', 'http://ex', 'http://exa.com', 'https://exa.com']) fakeVscode.setConfiguration('contexten.openai.baseUrl', typed);
    assert.equal(shown(/openai\.baseUrl/).length, 1);
    fakeVscode.setConfiguration('contexten.openai.baseUrl', 'http://exa.com');
    assert.equal(shown(/openai\.baseUrl/).length, 2, 'valid in between, then invalid again');
  });

  it('does not announce an invalid environment variable again when a setting changes', () => {
    fakeVscode.openWorkspace('/tmp/ws');
    config = new ConfigService(new RecordingLogger(), { CODEGEN_TIMEOUT: 'soon' });
    config.reportIssues();
    fakeVscode.setConfiguration('contexten.batch.size', 0);
    fakeVscode.setConfiguration('contexten.batch.size', 5);
    assert.equal(shown(/CODEGEN_TIMEOUT/).length, 1);
  });

  it("warns once, with Open Settings, of a workspace folder's own invalid contexten.context.exclude (the workspace's applies there)", () => {
    fakeVscode.openWorkspace('/tmp/ws/web');
    fakeVscode.addWorkspaceFolder('/tmp/ws/api');
    fakeVscode.setConfiguration('contexten.context.exclude', ['**/generated/**']);
    // api/.vscode/settings.json: "contexten.context.exclude": "secrets/**" (a string, not a list)
    fakeVscode.setFolderConfiguration('/tmp/ws/api', 'contexten.context.exclude', 'secrets/**');
    const log = new RecordingLogger();
    config = new ConfigService(log, {});
    config.reportIssues();
    const [warning, ...more] = fakeVscode.messages.filter((m) => /context\.exclude/.test(m.text));
    assert.equal(more.length, 0);
    assert.ok(warning);
    assert.equal(warning.kind, 'warning');
    assert.match(warning.text, /"contexten\.context\.exclude" of the folder "api" has an invalid value "secrets\/\*\*": expected a list of glob patterns/);
    assert.match(warning.text, /window's value \(the workspace's, else the user's\) applies to that folder/);
    assert.deepEqual(warning.actions, ['Open Settings']);
    assert.match(log.text('warn'), /of the folder "api"/);
    assert.deepEqual(config.snapshot['context.exclude'], ['**/generated/**']);

    fakeVscode.setConfiguration('contexten.batch.size', 0);
    assert.equal(shown(/context\.exclude/).length, 1, 'not again on the next read');
    fakeVscode.setFolderConfiguration('/tmp/ws/api', 'contexten.context.exclude', ['secrets/**']);
    fakeVscode.setFolderConfiguration('/tmp/ws/api', 'contexten.context.exclude', 'secrets/**');
    assert.equal(shown(/context\.exclude/).length, 2, 'corrected, then invalid again');
  });

  it("opens the folder's .vscode/settings.json on Open Settings of a folder's invalid value, the Settings UI for the window's", async () => {
    fakeVscode.openWorkspace('/tmp/ws/web');
    fakeVscode.addWorkspaceFolder('/tmp/ws/api');
    fakeVscode.setFolderConfiguration('/tmp/ws/api', 'contexten.context.exclude', 'secrets/**');
    fakeVscode.setConfiguration('contexten.http.maxRetries', 99);
    fakeVscode.answerMessage = () => 'Open Settings';
    config = new ConfigService(new RecordingLogger(), {});
    config.reportIssues();
    // (The answers are taken after the messages' promises settle.)
    await new Promise<void>((resolve) => setImmediate(resolve));
    const opened = fakeVscode.executed.filter(([id]) => id === 'vscode.open').map(([, uri]) => (uri as { fsPath: string }).fsPath);
    assert.deepEqual(opened, ['/tmp/ws/api/.vscode/settings.json']);
    const settingsUi = fakeVscode.executed.filter(([id]) => id === 'workbench.action.openSettings').map(([, query]) => query);
    assert.deepEqual(settingsUi, ['contexten.http.maxRetries']);
  });

  it('warns of an invalid contexten.context.exclude that a folder added to the workspace brings', () => {
    fakeVscode.openWorkspace('/tmp/ws/web');
    fakeVscode.setFolderConfiguration('/tmp/ws/api', 'contexten.context.exclude', { secrets: true });
    config = new ConfigService(new RecordingLogger(), {});
    config.reportIssues();
    assert.deepEqual(shown(/context\.exclude/), []);
    fakeVscode.addWorkspaceFolder('/tmp/ws/api');
    assert.equal(shown(/context\.exclude" of the folder "api"/).length, 1);
  });

  it("reports a folder's value that is the workspace's (a single-folder window) once, as the workspace's", () => {
    fakeVscode.openWorkspace('/tmp/ws/web');
    fakeVscode.setConfiguration('contexten.context.exclude', 'secrets/**');
    fakeVscode.setFolderConfiguration('/tmp/ws/web', 'contexten.context.exclude', 'secrets/**');
    config = new ConfigService(new RecordingLogger(), {});
    config.reportIssues();
    assert.equal(shown(/context\.exclude/).length, 1);
    assert.doesNotMatch(shown(/context\.exclude/)[0] ?? '', /of the folder/);
  });
});
