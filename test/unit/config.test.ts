import assert from 'node:assert/strict';
import { isAllowedBaseUrl, resolveConfig, tokenFromEnv } from '../../src/core/config/configSchema';

describe('configuration', () => {
  it('uses defaults when nothing is set', () => {
    const { snapshot, issues } = resolveConfig({}, {});
    assert.deepEqual(snapshot['codegen.baseUrl'], { url: 'https://api.codegen.com' });
    assert.equal(snapshot['http.timeoutMs'], 30_000);
    assert.equal(snapshot['http.maxRetries'], 3);
    assert.equal(snapshot['http.maxConnections'], 10);
    assert.equal(snapshot['context.maxChars'], 50_000);
    assert.equal(snapshot['codegen.orgId'], '');
    assert.deepEqual(issues, []);
  });

  it('fills unset settings from the environment, CODEGEN_BASE_URL before CODEGEN_API_BASE_URL', () => {
    const { snapshot, fromEnv } = resolveConfig(
      {},
      { CODEGEN_ORG_ID: '42', CODEGEN_BASE_URL: 'http://127.0.0.1:9000/', CODEGEN_API_BASE_URL: 'https://other.example', CODEGEN_TIMEOUT: '2.5', CODEGEN_MAX_RETRIES: '5' },
    );
    assert.equal(snapshot['codegen.orgId'], '42');
    assert.deepEqual(snapshot['codegen.baseUrl'], { url: 'http://127.0.0.1:9000' });
    assert.equal(snapshot['http.timeoutMs'], 2500);
    assert.equal(snapshot['http.maxRetries'], 5);
    assert.equal(fromEnv['codegen.baseUrl'], 'CODEGEN_BASE_URL');
    assert.deepEqual(resolveConfig({}, { CODEGEN_API_BASE_URL: 'https://b.example' }).snapshot['codegen.baseUrl'], { url: 'https://b.example' });
  });

  it('prefers the setting over the environment', () => {
    const { snapshot } = resolveConfig({ 'codegen.orgId': '1' }, { CODEGEN_ORG_ID: '2' });
    assert.equal(snapshot['codegen.orgId'], '1');
  });

  it('reports a bad value naming the setting and what is accepted, and keeps the rest', () => {
    const { snapshot, issues } = resolveConfig({ 'codegen.orgId': 'acme', 'http.timeoutMs': -5, 'codegen.baseUrl': 'http://api.example.com', 'http.maxRetries': 2 }, {});
    assert.deepEqual(issues.map((i) => i.setting).sort(), ['contexten.codegen.baseUrl', 'contexten.codegen.orgId', 'contexten.http.timeoutMs']);
    const org = issues.find((i) => i.setting === 'contexten.codegen.orgId');
    assert.match(org?.message ?? '', /contexten\.codegen\.orgId" has an invalid value: expected a numeric organization id/);
    assert.match(issues.find((i) => i.setting === 'contexten.http.timeoutMs')?.message ?? '', /whole number of milliseconds/);
    assert.equal(snapshot['http.timeoutMs'], 30_000);
    assert.deepEqual(snapshot['codegen.baseUrl'], { invalid: issues.find((i) => i.setting === 'contexten.codegen.baseUrl')?.message }, 'an invalid base URL is not replaced by the default');
    assert.equal(snapshot['http.maxRetries'], 2, 'valid settings still apply');
  });

  it('takes an organization id written as a number in settings.json as its digits (not a fraction, not negative)', () => {
    assert.equal(resolveConfig({ 'codegen.orgId': 12345 }, {}).snapshot['codegen.orgId'], '12345');
    for (const bad of [12.5, -3, Number.MAX_SAFE_INTEGER + 2]) {
      const { snapshot, issues } = resolveConfig({ 'codegen.orgId': bad }, {});
      assert.equal(snapshot['codegen.orgId'], '', String(bad));
      assert.deepEqual(issues.map((i) => i.setting), ['contexten.codegen.orgId'], String(bad));
    }
  });

  it('never quotes what may be a secret in a report: an organization id (where tokens get pasted), a URL\'s credentials', () => {
    const token = 'sk-live-abcdef0123456789abcdef0123456789';
    const { issues } = resolveConfig(
      { 'codegen.orgId': token, 'openai.baseUrl': 'http://user:s3cretpass@example.com/v1', 'http.timeoutMs': Number.POSITIVE_INFINITY },
      { CODEGEN_BASE_URL: 'http://me:hunter2hunter2@api.example.com' },
    );
    const text = issues.map((i) => i.message).join('\n');
    assert.equal(issues.length, 4, text);
    for (const secret of [token, 's3cretpass', 'hunter2hunter2', 'user:', 'me:']) assert.ok(!text.includes(secret), `${secret} in: ${text}`);
    // The rest of a URL is still shown (what is wrong with it: plain http to another host), and a number JSON cannot write.
    assert.match(text, /"http:\/\/example\.com\/v1"/);
    assert.match(text, /invalid value Infinity/);
    // A token given where the organization id goes, from the environment too.
    const fromEnv = resolveConfig({}, { CODEGEN_ORG_ID: token }).issues.map((i) => i.message).join('\n');
    assert.ok(fromEnv.includes('CODEGEN_ORG_ID') && !fromEnv.includes(token), fromEnv);
  });

  it('quotes only the scheme, host and path of a bad http(s) base URL: never its query, fragment or user:password@', () => {
    const secret = 'cg_SECRET_0123456789';
    const reports: [Record<string, unknown>, Record<string, string>, string][] = [
      [{ 'openai.baseUrl': `https://gw.example.com/v1?key=${secret}` }, {}, '"https://gw.example.com/v1" (what follows its ? or # not shown)'],
      [{}, { CODEGEN_BASE_URL: `https://api.codegen.com/?token=${secret}` }, '"https://api.codegen.com/" (what follows its ? or # not shown)'],
      [{ 'codegen.baseUrl': `https://api.codegen.com#${secret}` }, {}, '"https://api.codegen.com/" (what follows its ? or # not shown)'],
      [{ 'codegen.baseUrl': `http://alice:${secret}@api.codegen.com` }, {}, '"http://api.codegen.com/" (its user name and password not shown)'],
    ];
    for (const [user, env, shown] of reports) {
      const text = resolveConfig(user, env).issues.map((i) => i.message).join('\n');
      assert.ok(text.includes(`invalid value ${shown}:`), text);
      assert.ok(!text.includes(secret.slice(3)) && !text.includes('alice'), text);
    }
  });

  it('quotes no part of a base URL value that is not an http(s) URL, or has white space inside (a key pasted there, or after the URL)', () => {
    const key = 'sk-proj-ABCDEF1234567890';
    const secret = 'cg_SECRET_0123456789';
    const notUrl = '(not shown: it is not an http(s) URL)';
    const spaced = '(not shown: it has white space, a control or an invisible character inside)';
    const reports: [Record<string, unknown>, Record<string, string>, string, string][] = [
      [{ 'openai.baseUrl': key }, {}, 'Setting "contexten.openai.baseUrl"', notUrl],
      [{ 'openai.baseUrl': `Bearer ${key}` }, {}, 'Setting "contexten.openai.baseUrl"', notUrl],
      [{ 'codegen.baseUrl': key }, {}, 'Setting "contexten.codegen.baseUrl"', notUrl],
      [{}, { CODEGEN_BASE_URL: `Bearer ${key}` }, 'Environment variable CODEGEN_BASE_URL', notUrl],
      [{ 'openai.baseUrl': `https://api.openai.com/v1 ${key}` }, {}, 'Setting "contexten.openai.baseUrl"', spaced],
      [{ 'codegen.baseUrl': `https://api.codegen.com\t${key}` }, {}, 'Setting "contexten.codegen.baseUrl"', spaced],
      [{ 'openai.baseUrl': `https://api.openai.com/v1\u200b${key}` }, {}, 'Setting "contexten.openai.baseUrl"', spaced],
      [{ 'codegen.baseUrl': `api.codegen.com?token=${secret}` }, {}, 'Setting "contexten.codegen.baseUrl"', notUrl],
      [{ 'codegen.baseUrl': `alice:${secret}@api.codegen.com` }, {}, 'Setting "contexten.codegen.baseUrl"', notUrl],
      [{ 'codegen.baseUrl': `https://alice:${secret}/x@api.codegen.com` }, {}, 'Setting "contexten.codegen.baseUrl"', notUrl],
      [{}, { CODEGEN_BASE_URL: `ftp://u:${secret}@x` }, 'Environment variable CODEGEN_BASE_URL', notUrl],
    ];
    for (const [user, env, source, shown] of reports) {
      const { issues } = resolveConfig(user, env);
      const text = issues.map((i) => i.message).join('\n');
      assert.equal(issues.length, 1, text);
      assert.ok(text.startsWith(`${source}`) && text.includes(`has an invalid value ${shown}: expected an https:// URL`), text);
      for (const s of [key, key.slice(8), secret.slice(3), 'alice', 'Bearer']) assert.ok(!text.includes(s), `${s} in: ${text}`);
    }
  });

  it('refuses a base URL with white space, a control or an invisible character inside (what follows would go into every request path)', () => {
    const invisible = ['\u200b', '\u200c', '\u200d', '\u2060', '\uFEFF', '\u200e', '\u00ad'].map((c) => `https://api.openai.com/v1${c}sk-proj-SECRETKEY123`);
    for (const bad of ['https://api.openai.com/v1 sk-proj-ABCDEF1234567890', 'https://h.example/v\t1', 'https://h.example/v1\nx', 'https://h.example/a\u0000b', 'https://h.example/a\u0085b', ...invisible]) {
      const { snapshot, issues } = resolveConfig({ 'openai.baseUrl': bad }, {});
      assert.ok('invalid' in snapshot['openai.baseUrl'], JSON.stringify(bad));
      assert.match(issues[0]?.message ?? '', /without spaces/, JSON.stringify(bad));
    }
    // (Its ends are trimmed: white space there is no problem.)
    assert.deepEqual(resolveConfig({ 'openai.baseUrl': ' https://h.example/v1\n' }, {}).issues, []);
  });

  it('refuses a base URL with a user name and password (they would be shown wherever the URL is), quoting it without them', () => {
    const { snapshot, issues } = resolveConfig({ 'codegen.baseUrl': 'https://alice:cg_SECRET_TOKEN@api.codegen.com' }, {});
    assert.ok('invalid' in snapshot['codegen.baseUrl']);
    assert.equal(issues.length, 1);
    assert.match(issues[0]?.message ?? '', /invalid value "https:\/\/api\.codegen\.com\/" \(its user name and password not shown\): expected .*nor a user name and password/);
    assert.ok(!(issues[0]?.message ?? '').includes('cg_SECRET_TOKEN'));
  });

  it('refuses an organization id too long to be exact as a number (1.2345678901234568e+22 in the path)', () => {
    for (const bad of ['12345678901234567890123', '9007199254740993']) {
      const { snapshot, issues } = resolveConfig({ 'codegen.orgId': bad }, {});
      assert.equal(snapshot['codegen.orgId'], '', bad);
      assert.match(issues[0]?.message ?? '', /at most 9007199254740991/, bad);
    }
    assert.equal(resolveConfig({ 'codegen.orgId': '9007199254740991' }, {}).snapshot['codegen.orgId'], '9007199254740991');
    assert.equal(resolveConfig({}, { CODEGEN_ORG_ID: '12345678901234567890123' }).snapshot['codegen.orgId'], '');
  });

  it('takes only numbers, or text holding a decimal number, for a number setting: never a boolean, a list or blank text', () => {
    const bad: [string, unknown][] = [
      ['http.timeoutMs', true],
      ['cache.ttlSeconds', false],
      ['http.maxRetries', []],
      ['batch.size', [7]],
      ['cache.ttlSeconds', '  '],
      ['batch.size', '0x10'],
      ['http.timeoutMs', Number.POSITIVE_INFINITY],
      ['http.timeoutMs', Number.NaN],
      ['context.relevanceThreshold', '1e400'],
      ['context.relevanceThreshold', true],
    ];
    for (const [key, value] of bad) {
      const { snapshot, issues } = resolveConfig({ [key]: value, 'http.maxConnections': 4 }, {});
      assert.equal(issues.length, 1, `${key}: ${String(value)}`);
      assert.equal(issues[0]?.setting, `contexten.${key}`);
      assert.match(issues[0]?.message ?? '', new RegExp(`Setting "contexten\\.${key.replace('.', '\\.')}" has an invalid value .*: expected (a whole number|a number from 0 to 1)`), key);
      assert.equal(snapshot[key as 'http.timeoutMs'], resolveConfig({}, {}).snapshot[key as 'http.timeoutMs'], `${key} falls back to its default`);
      assert.equal(snapshot['http.maxConnections'], 4, 'the rest keeps working');
    }
    const good = resolveConfig({ 'http.timeoutMs': '1e3', 'http.maxRetries': ' 2 ', 'context.relevanceThreshold': '.25', 'batch.size': 7, 'cache.ttlSeconds': 0 }, {});
    assert.deepEqual(good.issues, []);
    assert.deepEqual(
      [good.snapshot['http.timeoutMs'], good.snapshot['http.maxRetries'], good.snapshot['context.relevanceThreshold'], good.snapshot['batch.size'], good.snapshot['cache.ttlSeconds']],
      [1000, 2, 0.25, 7, 0],
    );
    const env = resolveConfig({}, { CODEGEN_MAX_RETRIES: '0x3' });
    assert.equal(env.snapshot['http.maxRetries'], 3);
    assert.match(env.issues[0]?.message ?? '', /Environment variable CODEGEN_MAX_RETRIES .* invalid value "0x3": expected a whole number from 0 to 10/);
  });

  it('names the environment variable when it holds the bad value', () => {
    const { issues } = resolveConfig({}, { CODEGEN_TIMEOUT: 'soon' });
    assert.equal(issues[0]?.source, 'CODEGEN_TIMEOUT');
    assert.match(issues[0]?.message ?? '', /Environment variable CODEGEN_TIMEOUT/);
  });

  it('reports a bad CODEGEN_TIMEOUT as written, in seconds, the unit the variable takes', () => {
    for (const value of ['700', '1e400', '0.0004', '-0.0001', '0x10', 'soon']) {
      const { snapshot, issues, fromEnv } = resolveConfig({}, { CODEGEN_TIMEOUT: value });
      assert.equal(snapshot['http.timeoutMs'], 30_000, value);
      assert.equal(fromEnv['http.timeoutMs'], undefined);
      assert.equal(issues.length, 1, value);
      assert.equal(issues[0]?.message, `Environment variable CODEGEN_TIMEOUT (for contexten.http.timeoutMs) has an invalid value ${JSON.stringify(value)}: expected a number of seconds from 0.001 to 600, such as 30 or 2.5. Using the default (30 seconds).`);
    }
    for (const [value, ms] of [['600', 600_000], ['0.001', 1], [' 2.5 ', 2_500]] as const) {
      const { snapshot, issues } = resolveConfig({}, { CODEGEN_TIMEOUT: value });
      assert.deepEqual([snapshot['http.timeoutMs'], issues], [ms, []], value);
    }
    // The setting itself stays in milliseconds.
    assert.match(resolveConfig({ 'http.timeoutMs': 700_000 }, {}).issues[0]?.message ?? '', /invalid value 700000: expected a whole number of milliseconds from 1 to 600000\. Using the default \(30000\)/);
  });

  it('allows plain http only for loopback hosts', () => {
    for (const ok of ['https://api.codegen.com', 'http://localhost:8080', 'http://127.0.0.1:1/v1', 'http://[::1]:3000']) assert.ok(isAllowedBaseUrl(ok), ok);
    for (const bad of ['http://api.codegen.com', 'http://127.0.0.2', 'ftp://localhost', 'not a url', 'http://localhost.evil.com']) assert.ok(!isAllowedBaseUrl(bad), bad);
  });

  it('refuses a base URL with a query or fragment (paths are added to its end: ?api-version=1/chat/completions)', () => {
    for (const bad of ['https://h.example/v1?api-version=1', 'https://h.example/v1#x']) {
      const { snapshot, issues } = resolveConfig({ 'openai.baseUrl': bad }, {});
      assert.ok('invalid' in snapshot['openai.baseUrl'], bad);
      assert.match(issues[0]?.message ?? '', /without spaces, \?query or #fragment/, bad);
    }
    assert.deepEqual(resolveConfig({ 'openai.baseUrl': 'https://h.example/v1/' }, {}).snapshot['openai.baseUrl'], { url: 'https://h.example/v1' });
  });

  it('reads the token from CODEGEN_API_TOKEN only when non-blank', () => {
    assert.equal(tokenFromEnv({ CODEGEN_API_TOKEN: ' abc ' }), 'abc');
    assert.equal(tokenFromEnv({ CODEGEN_API_TOKEN: '  ' }), undefined);
    assert.equal(tokenFromEnv({}), undefined);
  });
});
