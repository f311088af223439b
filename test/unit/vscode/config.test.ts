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

  it('does not announce an invalid environment variable again when a setting changes', () => {
    fakeVscode.openWorkspace('/tmp/ws');
    config = new ConfigService(new RecordingLogger(), { CODEGEN_TIMEOUT: 'soon' });
    config.reportIssues();
    fakeVscode.setConfiguration('contexten.batch.size', 0);
    fakeVscode.setConfiguration('contexten.batch.size', 5);
    assert.equal(shown(/CODEGEN_TIMEOUT/).length, 1);
  });
});
