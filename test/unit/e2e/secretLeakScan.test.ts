import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { TEST_SECRET_ENTRIES, TEST_SECRETS } from '../../e2e/harness/secrets';
import { findSecretsIn, listFilesUnder, scanFilesForSecrets } from '../../e2e/harness/secretLeakScan';

describe('e2e secrets-leak scan', () => {
  const secrets = [
    ['token', 'tok-123456'],
    ['key', 'key-abcdef'],
  ] as const;

  it('reports each occurrence by secret name and 1-based line', () => {
    const text = Buffer.from('first line\nAuthorization: Bearer tok-123456\nok\nkey-abcdef and tok-123456\n');
    assert.deepEqual(findSecretsIn(text, secrets), [
      { line: 2, secret: 'token' },
      { line: 4, secret: 'token' },
      { line: 4, secret: 'key' },
    ]);
  });

  it('finds secrets inside binary content (e.g. a state database)', () => {
    const binary = Buffer.concat([Buffer.from([0, 1, 2, 255]), Buffer.from('key-abcdef'), Buffer.from([0, 0])]);
    assert.deepEqual(findSecretsIn(binary, secrets), [{ line: 1, secret: 'key' }]);
  });

  it('does not match a prefix of a secret', () => {
    assert.deepEqual(findSecretsIn(Buffer.from('tok-12345 key-abcde'), secrets), []);
  });

  it('scans files under a folder, skipping the excluded subfolders', () => {
    const root = mkdtempSync(path.join(tmpdir(), 'leak-scan-'));
    try {
      mkdirSync(path.join(root, 'logs', 'exthost1'), { recursive: true });
      mkdirSync(path.join(root, 'build'));
      writeFileSync(path.join(root, 'logs', 'exthost1', 'Contexten Codegen.log'), `info signed in\nerror token=${TEST_SECRETS.codegenToken}\n`);
      writeFileSync(path.join(root, 'logs', 'clean.log'), 'nothing to see\n');
      writeFileSync(path.join(root, 'build', 'suite.js'), `const t = "${TEST_SECRETS.codegenToken}";`);
      const files = listFilesUnder(root, ['build']);
      assert.deepEqual(files.map((f) => path.relative(root, f)), [path.join('logs', 'clean.log'), path.join('logs', 'exthost1', 'Contexten Codegen.log')]);
      const hits = scanFilesForSecrets(files, TEST_SECRET_ENTRIES);
      assert.deepEqual(hits, [{ file: path.join(root, 'logs', 'exthost1', 'Contexten Codegen.log'), line: 2, secret: 'codegenToken' }]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('has distinct, non-empty test secrets', () => {
    const values = TEST_SECRET_ENTRIES.map(([, v]) => v);
    assert.ok(values.every((v) => v.length >= 20));
    assert.equal(new Set(values).size, values.length);
  });
});
