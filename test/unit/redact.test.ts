import assert from 'node:assert/strict';
import { hostHoldsSecret, redactSecrets, redactUrlPath, suspectPathSegments } from '../../src/core/redact';

describe('redactSecrets', () => {
  it('redacts any Bearer credential, known or not, whatever the case and spacing', () => {
    assert.equal(redactSecrets('Authorization: Bearer abcd1234', []), 'Authorization: Bearer «redacted»');
    assert.equal(redactSecrets('header was bearer  eyJh.bG-c_i~O+/iJ= then more', []), 'header was bearer  «redacted» then more');
  });

  it('redacts each known secret wherever it stands, and a Bearer one beside it', () => {
    assert.equal(redactSecrets('key sk-test-0123 (Bearer other-token-999)', ['sk-test-0123']), 'key «redacted» (Bearer «redacted»)');
  });

  it('redacts a known secret of 8 characters or more anywhere it stands, in any letter case (echoed upper-cased, a host URL parsing lower-cased)', () => {
    const key = 'sk-test-ABCD0123';
    assert.equal(redactSecrets(`x${key}y, "${key}", ${key}.evil.example`, [key]), 'x«redacted»y, "«redacted»", «redacted».evil.example');
    assert.equal(redactSecrets('a+b (not a pattern) A+B', ['a+b (not a pattern)']), '«redacted» A+B');
    // (A server's web_url passed through new URL(): its host comes back lower-cased, and goes into log lines so.)
    assert.equal(redactSecrets(`link ${new URL('https://cg_AbCdEfGh0123456789.evil.example/run/1').href}`, ['cg_AbCdEfGh0123456789']), 'link https://«redacted».evil.example/run/1');
    assert.equal(redactSecrets('{"error":"invalid key SK-TEST-ABCD0123"}', [key]), '{"error":"invalid key «redacted»"}');
    assert.equal(redactSecrets('https://sk-test-abcd0123.evil.example', [key], { caseFolded: true }), 'https://«redacted».evil.example');
    assert.ok(hostHoldsSecret('sk-test-abcd0123.evil.example', [key]));
    assert.ok(!hostHoldsSecret('api.example.com', [key]));
  });

  it("redacts a short dummy key (vLLM's EMPTY, ollama, none, local) only as a word of its own, in its case", () => {
    assert.equal(redactSecrets('Model EMPTY not found; the body was empty; Empty response', ['EMPTY']), 'Model «redacted» not found; the body was empty; Empty response');
    assert.equal(redactSecrets('Ollama says: model "llama3" not found (ollama)', ['ollama']), 'Ollama says: model "llama3" not found («redacted»)');
    assert.equal(redactSecrets("'NoneType' object is not subscriptable; key none", ['none']), "'NoneType' object is not subscriptable; key «redacted»");
    assert.equal(redactSecrets('a word: pässword1 pass pässwor', ['pass']), 'a word: pässword1 «redacted» pässwor');
    assert.ok(!hostHoldsSecret('localhost:8080', ['local']));
    assert.ok(hostHoldsSecret('local.evil.example', ['LOCAL']));
    // (A secret of 8 characters or more is redacted inside words too.)
    assert.equal(redactSecrets('xxs3cr3t-pwyy', ['s3cr3t-pw']), 'xx«redacted»yy');
  });

  it("redacts a word-like secret of any length (letters and hyphens: 'password', LM Studio's lm-studio) only as a word of its own, in its case", () => {
    assert.equal(redactSecrets('Invalid Password; key password; passwords', ['password']), 'Invalid Password; key «redacted»; passwords');
    assert.equal(redactSecrets('POST http://lm-studio-server:1234/v1 (key lm-studio) LM-STUDIO', ['lm-studio']), 'POST http://lm-studio-server:1234/v1 (key «redacted») LM-STUDIO');
    assert.ok(hostHoldsSecret('lm-studio.evil.example', ['LM-Studio']), 'a host, lower-cased by URL parsing, as a word');
    assert.ok(!hostHoldsSecret('my-lm-studio-box.lan', ['studio-box-x']));
    // (A random key, with digits or other characters, stays redacted anywhere in any case.)
    assert.equal(redactSecrets('xxSK-PROJ-KEY-1yy', ['sk-proj-key-1']), 'xx«redacted»yy');
  });

  it('redacts the secrets of each call: a set changed (in place too) redacts the new secret, and the old one no more', () => {
    const text = 'old sk-old-AAAA1111, new sk-new-BBBB2222, word EMPTY';
    const keys = ['sk-old-AAAA1111', 'EMPTY'];
    assert.equal(redactSecrets(text, keys), 'old «redacted», new sk-new-BBBB2222, word «redacted»');
    // (The key replaced, in the same array: a log line's secrets as a settings change leaves them.)
    keys[0] = 'sk-new-BBBB2222';
    assert.equal(redactSecrets(text, keys), 'old sk-old-AAAA1111, new «redacted», word «redacted»');
    assert.equal(redactSecrets(text, ['sk-old-AAAA1111']), 'old «redacted», new sk-new-BBBB2222, word EMPTY');
    // Many sets, one after another, and the first again: each redacts its own.
    for (let i = 0; i < 10; i++) assert.equal(redactSecrets(`key sk-many-${i}000000 and sk-new-BBBB2222`, [`sk-many-${i}000000`]), 'key «redacted» and sk-new-BBBB2222');
    assert.equal(redactSecrets(text, keys), 'old sk-old-AAAA1111, new «redacted», word «redacted»');
    assert.equal(redactSecrets('host empty.example', ['EMPTY'], { caseFolded: true }), 'host «redacted».example');
    assert.equal(redactSecrets('host empty.example', ['EMPTY']), 'host empty.example');
  });

  it('leaves a text without secrets as it is', () => {
    assert.equal(redactSecrets('GET /v1/users/me failed: ECONNRESET', ['sk-test-0123']), 'GET /v1/users/me failed: ECONNRESET');
  });

  it('redacts a URL path of the known secrets and of each segment with white space, a control or a format character in it', () => {
    assert.equal(redactUrlPath('/v1%20sk-proj-ABCDEF1234567890/chat/completions', []), '/«redacted»/chat/completions');
    assert.equal(redactUrlPath('/v1%E2%80%8Bsk-proj-SECRETKEY123/models', []), '/«redacted»/models');
    assert.equal(redactUrlPath('/v1%e2%80%8esk-proj-SECRETKEY123/models', []), '/«redacted»/models');
    assert.equal(redactUrlPath('/v1%EF%BB%BFsk/x%7Fy/%C2%85/models', []), '/«redacted»/«redacted»/«redacted»/models');
    assert.equal(redactUrlPath('/v1\u2060sk-proj-SECRETKEY123/models', []), '/«redacted»/models');
    // (Other escapes — a letter, a slash, non-UTF-8 bytes, broken ones — are no sign of a pasted key.)
    assert.equal(redactUrlPath('/caf%C3%A9/a%2Fb/%FF/%E2%80/%zz/models', []), '/caf%C3%A9/a%2Fb/%FF/%E2%80/%zz/models');
    assert.equal(redactUrlPath('/v1/x%09y/models', []), '/v1/«redacted»/models');
    assert.equal(redactUrlPath('/proxy/sk-test-0123/v1/models', ['sk-test-0123']), '/proxy/«redacted»/v1/models');
    assert.equal(redactUrlPath('/v1/chat/completions', ['sk-test-0123']), '/v1/chat/completions');
  });

  it('finds the path segments of a URL with white space in them, as sent and decoded (what a server may echo)', () => {
    assert.deepEqual(suspectPathSegments('https://api.openai.com/v1 sk-proj-ABC123'), ['v1%20sk-proj-ABC123', 'v1 sk-proj-ABC123']);
    assert.deepEqual(suspectPathSegments('https://api.openai.com/v1\u200bsk-proj-ABC123'), ['v1%E2%80%8Bsk-proj-ABC123', 'v1\u200bsk-proj-ABC123']);
    assert.deepEqual(suspectPathSegments('https://api.openai.com/v1'), []);
    assert.deepEqual(suspectPathSegments('not a url'), []);
  });
});
