import assert from 'node:assert/strict';
import { redactSecrets } from '../../src/core/redact';

describe('redactSecrets', () => {
  it('redacts any Bearer credential, known or not, whatever the case and spacing', () => {
    assert.equal(redactSecrets('Authorization: Bearer abcd1234', []), 'Authorization: Bearer «redacted»');
    assert.equal(redactSecrets('header was bearer  eyJh.bG-c_i~O+/iJ= then more', []), 'header was bearer  «redacted» then more');
  });

  it('redacts each known secret wherever it stands, and a Bearer one beside it', () => {
    assert.equal(redactSecrets('key sk-test-0123 (Bearer other-token-999)', ['sk-test-0123']), 'key «redacted» (Bearer «redacted»)');
  });

  it('leaves a text without secrets as it is', () => {
    assert.equal(redactSecrets('GET /v1/users/me failed: ECONNRESET', ['sk-test-0123']), 'GET /v1/users/me failed: ECONNRESET');
  });
});
