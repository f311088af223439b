import assert from 'node:assert/strict';
import {
  AuthenticationError,
  NotFoundError,
  PlanLimitError,
  ProtocolError,
  RateLimitError,
  ServerError,
  ServerTimeoutError,
  ValidationError,
} from '../../../src/core/errors';
import { adviseError } from '../../../src/core/errorAdvice';
import { errorFromHttpResponse, PAGE_TITLE_SCAN_CHARS, parseJsonBody } from '../../../src/core/api/httpErrors';

const ctx = { service: 'Codegen', what: 'GET /v1/users/me', nowMs: Date.UTC(2025, 5, 21, 12), secrets: ['tok-secret-123'] };
const json = { 'content-type': 'application/json' };
const map = (status: number, body: unknown, headers: Record<string, string> = json) =>
  errorFromHttpResponse(status, headers, typeof body === 'string' ? body : JSON.stringify(body), ctx);

describe('HTTP error mapping', () => {
  it('401 and 403 are AuthenticationError carrying the status and the server message', () => {
    const e401 = map(401, { message: 'Invalid or expired API token.', status_code: 401 });
    assert.ok(e401 instanceof AuthenticationError);
    assert.equal(e401.status, 401);
    assert.equal(e401.message, 'Codegen rejected the API token (HTTP 401: Invalid or expired API token.).');
    const e403 = map(403, { message: 'You do not have access to this organization.' });
    assert.ok(e403 instanceof AuthenticationError);
    assert.equal(e403.status, 403);
    assert.equal(e401.credential, 'codegen');
  });

  it('says which credential was rejected when the caller names it', () => {
    const e = errorFromHttpResponse(401, json, JSON.stringify({ error: { message: 'Incorrect API key provided.', code: 'invalid_api_key' } }), {
      ...ctx,
      service: 'The model server',
      credential: 'openai',
    });
    assert.ok(e instanceof AuthenticationError);
    assert.equal(e.credential, 'openai');
  });

  it('402 is PlanLimitError, 404 NotFoundError naming what was asked', () => {
    assert.ok(map(402, { message: 'Alloted agent runs … reached' }) instanceof PlanLimitError);
    const nf = map(404, { message: 'Agent run not found.', status_code: 404 });
    assert.ok(nf instanceof NotFoundError);
    assert.match(nf.message, /GET \/v1\/users\/me.*Agent run not found/);
  });

  it('422 is ValidationError with loc/msg issues', () => {
    const e = map(422, { detail: [{ loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' }, { loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', type: 'less_than_equal' }] });
    assert.ok(e instanceof ValidationError);
    assert.deepEqual(e.issues, [
      { loc: ['body', 'prompt'], msg: 'Field required', type: 'missing' },
      { loc: ['query', 'limit'], msg: 'Input should be less than or equal to 100', type: 'less_than_equal' },
    ]);
    assert.match(e.message, /body\.prompt: Field required; query\.limit: Input should be less than or equal to 100/);
  });

  it('429 reads message or detail and Retry-After (seconds, date, retry-after-ms)', () => {
    const a = map(429, { message: 'Rate limit exceeded. Please try again later.', status_code: 429 }, { ...json, 'retry-after': '7' });
    assert.ok(a instanceof RateLimitError);
    assert.equal(a.retryAfterMs, 7000);
    assert.equal(a.retryable, true);
    assert.match(a.message, /Rate limit exceeded/);
    const b = map(429, { detail: 'Rate limit exceeded (old form)', status_code: 429 });
    assert.ok(b instanceof RateLimitError);
    assert.equal(b.retryAfterMs, undefined);
    assert.match(b.message, /old form/);
    const c = map(429, {}, { 'retry-after': 'Sat, 21 Jun 2025 12:00:05 GMT' });
    assert.equal((c as RateLimitError).retryAfterMs, 5000);
    const d = map(429, {}, { 'retry-after-ms': '1234', 'retry-after': '9' });
    assert.equal((d as RateLimitError).retryAfterMs, 1234);
  });

  it('an OpenAI insufficient_quota 429 is a quota error that is not retryable', () => {
    const e = map(429, { error: { message: 'You exceeded your current quota', type: 'insufficient_quota', code: 'insufficient_quota' } });
    assert.ok(e instanceof RateLimitError);
    assert.equal(e.quota, true);
    assert.equal(e.retryable, false);
  });

  it('5xx is ServerError; an HTML page is summarised by its title, never dumped', () => {
    const html = '<html><head><title>502 Bad Gateway</title></head><body><h1>502 Bad Gateway</h1><hr>nginx</body></html>';
    const e = map(502, html, { 'content-type': 'text/html' });
    assert.ok(e instanceof ServerError);
    assert.equal(e.status, 502);
    assert.equal(e.message, 'Codegen failed on GET /v1/users/me (HTTP 502: an HTML error page ("502 Bad Gateway")).');
    const plain = map(500, 'Internal Server Error', { 'content-type': 'text/plain' });
    assert.ok(plain instanceof ServerError);
    assert.match(plain.message, /HTTP 500: Internal Server Error/);
  });

  it('scrubs the token when the server echoes it back', () => {
    const e = map(401, { message: 'token tok-secret-123 is revoked; header was Bearer tok-secret-123' });
    assert.ok(!e.message.includes('tok-secret-123'));
    assert.match(e.message, /«redacted»/);
  });

  it('redacts a Bearer credential the server echoes even when it is not the known token', () => {
    const e = map(401, { message: 'header was Authorization: Bearer other-token-999' });
    assert.ok(!e.message.includes('other-token-999'), e.message);
    assert.match(e.message, /Authorization: Bearer «redacted»/);
  });

  it('never quotes part of a secret the server echoed where its message is cut short', () => {
    // The secret straddles every place a message is cut: the 300-character message, the 80-character page title, the
    // 60-character excerpt of a malformed body; no piece of it (six characters in a row) may be shown.
    const key = 'sk-proj-ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789abcdefgh';
    const keyed = { ...ctx, secrets: [key] };
    const pieces = Array.from({ length: key.length - 5 }, (_, i) => key.slice(i, i + 6));
    const at = (cut: number): string => 'x'.repeat(cut - 10) + key;
    const messages = [
      errorFromHttpResponse(401, json, JSON.stringify({ message: at(300) }), keyed).message,
      errorFromHttpResponse(500, json, JSON.stringify({ detail: at(300) }), keyed).message,
      errorFromHttpResponse(422, json, JSON.stringify({ detail: [{ loc: ['body'], msg: at(300) }] }), keyed).message,
      errorFromHttpResponse(400, json, JSON.stringify({ error: { message: at(300) } }), keyed).message,
      errorFromHttpResponse(502, { 'content-type': 'text/plain' }, at(300), keyed).message,
      errorFromHttpResponse(502, { 'content-type': 'text/html' }, `<html><title>${at(80)}</title></html>`, keyed).message,
    ];
    assert.throws(
      () => parseJsonBody(`{"a": "${at(60)}`, keyed),
      (e: unknown) => e instanceof ProtocolError && (messages.push(e.message), true),
    );
    for (const m of messages) {
      assert.ok(!pieces.some((p) => m.includes(p)), m);
    }
    // (Each message did quote the text around it: the cut is still there.)
    assert.ok(messages.every((m) => m.includes('xxxx')));
  });

  it('redacts a longer secret whole when a shorter one is its beginning', () => {
    const e = errorFromHttpResponse(401, json, JSON.stringify({ message: 'got sk-live-ABCDEFGHIJKLMNOP' }), { ...ctx, secrets: ['sk-live-ABCD', 'sk-live-ABCDEFGHIJKLMNOP'] });
    assert.ok(!e.message.includes('EFGH'), e.message);
  });

  it('an unexpected 4xx is a ProtocolError; a 400 is a ValidationError', () => {
    assert.ok(map(405, { detail: 'Method Not Allowed' }) instanceof ProtocolError);
    assert.ok(map(400, { error: { message: 'bad field', type: 'invalid_request_error' } }) instanceof ValidationError);
  });

  it('malformed JSON becomes ProtocolError with a short excerpt', () => {
    assert.throws(() => parseJsonBody('{"id": 1, "status": "RUNN', ctx), (e: unknown) => e instanceof ProtocolError && e.message.includes('malformed JSON') && e.message.length < 200);
  });

  it('a web page instead of the JSON says the base URL is probably wrong and names the setting of the service called', () => {
    // (A login portal's page, its title repeating the token, and a long body: only the title shows, redacted.)
    const page = `<!DOCTYPE html>\n<html><head><title>Sign in – tok-secret-123</title></head><body>${'<p>terms</p>'.repeat(500)}</body></html>`;
    const cases = [
      { credential: undefined, setting: 'contexten.codegen.baseUrl', api: /it should point at the Codegen API itself \(by default https:\/\/api\.codegen\.com\), not at a web page/ },
      { credential: 'openai' as const, setting: 'contexten.openai.baseUrl', api: /it should point at the API itself \(usually ending in \/v1\), not at a web page/ },
    ];
    for (const { credential, setting, api } of cases) {
      const err = (() => {
        try {
          parseJsonBody(page, { ...ctx, ...(credential ? { credential } : {}) }, 'text/html; charset=utf-8');
        } catch (e) {
          return e;
        }
        return undefined;
      })();
      assert.ok(err instanceof ProtocolError, String(err));
      assert.equal(err.hint, 'webPage');
      assert.equal(err.setting, setting);
      assert.match(err.message, new RegExp(`^Codegen answered GET /v1/users/me with a web page \\("Sign in – «redacted»"\\) instead of JSON\\. The base URL is probably wrong: check ${setting.replace(/\./g, '\\.')};`));
      assert.match(err.message, api);
      assert.ok(!err.message.includes('tok-secret-123') && !err.message.includes('terms') && err.message.length < 300, err.message);
      const advice = adviseError(err);
      assert.equal(advice.message, `Contexten: ${err.message}`);
      assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting }, { kind: 'showLogs' }]);
    }
    // Known by its content type alone (a fragment with no <html>), or by its first tag alone (a wrong content type).
    assert.throws(() => parseJsonBody('<div>Please log in</div>', ctx, 'text/html'), (e: unknown) => e instanceof ProtocolError && e.hint === 'webPage' && /with a web page instead of JSON/.test(e.message));
    assert.throws(() => parseJsonBody('<html><h1>Welcome</h1></html>', ctx, 'application/json'), (e: unknown) => e instanceof ProtocolError && e.hint === 'webPage' && /web page \("Welcome"\)/.test(e.message));
    // Other text that is no JSON is malformed JSON, without the base URL advice.
    assert.throws(() => parseJsonBody('Internal error', ctx, 'text/plain'), (e: unknown) => e instanceof ProtocolError && e.hint === undefined && /malformed JSON/.test(e.message));
  });

  /** The title a web page given for JSON is said by (undefined when none). */
  const titleOf = (page: string): string | undefined => {
    try {
      parseJsonBody(page, ctx, 'text/html');
    } catch (e) {
      assert.ok(e instanceof ProtocolError, String(e));
      return /with a web page \("([^"]*)"\)/.exec(e.message)?.[1];
    }
    return assert.fail('a web page is no JSON');
  };

  it("finds a page's title in its first PAGE_TITLE_SCAN_CHARS only", () => {
    // A title or heading near the top is found, also with a tag left open inside it; one past the scanned part is not read.
    assert.equal(titleOf('<html><head><title lang="en">Portal <b>Login</b></title></head></html>'), 'Portal Login');
    assert.equal(titleOf('<html><body><H1 class="x">Access < denied</h1></body></html>'), 'Access < denied');
    // A login page's inline styles (~72 KB) before its title.
    assert.equal(titleOf(`<html><head><style>${'.a{color:red}'.repeat(72 * 1024 / 13)}</style><title>Keycloak login</title></head></html>`), 'Keycloak login');
    const padding = `<html><body>${'<p>x</p>'.repeat(PAGE_TITLE_SCAN_CHARS / 8)}`;
    assert.equal(titleOf(`${padding}<h1>Too far down</h1></body></html>`), undefined);
    assert.equal(titleOf(`<html><h1>Near the top</h1>${padding}<title>Too far down</title></html>`), 'Near the top');
    // Pages of many unclosed <h1 and <title tags (2 MB) have no title. Not timed: what keeps them cheap shows in what
    // is found where it can — nothing beyond the scanned part (just above), a `<` left open in a title ending at the
    // next `<` (the next test). That each tag is searched for once, not again from every unclosed one as a regular
    // expression did, finds the same title either way: no assertion tells it (these pages still run under the
    // default timeout, a backstop, not the check).
    for (const page of [`<!doctype html><html><body>${'<h1>x '.repeat(350_000)}`, `<html>${'<title '.repeat(350_000)}`, `<html><title>${'<'.repeat(2_000_000)}</title>`]) {
      assert.ok(page.length >= 2_000_000);
      assert.equal(titleOf(page), undefined);
      const err = errorFromHttpResponse(502, { 'content-type': 'text/html' }, page, ctx);
      assert.equal(err.message, 'Codegen failed on GET /v1/users/me (HTTP 502: an HTML error page).');
    }
  });

  it("strips the tags of a page's title with each `<` left open ending its search at the next `<`, not at the title's end", () => {
    // A search from every `<` to the next `>` wherever it is (the former /<[^>]*>/) went, over a title of many open
    // `<` and no `>`, from each of them to the title's end: quadratic. Here a `>` at the end shows such a search: it
    // would cut from the first `<` to it.
    const opens = '<'.repeat(40);
    assert.equal(titleOf(`<html><title>Portal ${opens}b> login</title></html>`), `Portal ${'<'.repeat(39)} login`);
    assert.equal(titleOf(`<html><title>${'<'.repeat(PAGE_TITLE_SCAN_CHARS / 2)}b></title></html>`)?.slice(0, 3), '<<<');
  });

  it('408 is the server (or a proxy) giving up waiting: a timeout retried as any, whose advice is to try again, not to raise contexten.http.timeoutMs', () => {
    for (const [body, headers] of [['', { 'content-type': 'text/plain' }], [{ detail: 'Request Timeout' }, json]] as const) {
      const e = map(408, body, headers);
      assert.ok(e instanceof ServerTimeoutError, String(e));
      assert.equal(e.retryable, true);
      assert.match(e.message, /^Codegen \(or a proxy in front of it\) gave up waiting for GET \/v1\/users\/me \(HTTP 408/);
      const advice = adviseError(e);
      assert.doesNotMatch(advice.message, /timeoutMs/);
      // (Codegen is a hosted service: its log is not the user's to read.)
      assert.match(advice.message, /Try again later; if it keeps happening, check Codegen's service status, or the proxy between you and it\.$/);
      assert.doesNotMatch(advice.message, /server's log/);
      assert.deepEqual(advice.steps, [{ kind: 'showLogs' }]);
      // The model server's 408: its log, often the user's own server's.
      const model = errorFromHttpResponse(408, {}, '', { service: 'The model server', what: 'POST /v1/chat/completions', nowMs: 0, credential: 'openai' });
      assert.ok(model instanceof ServerTimeoutError, String(model));
      assert.match(adviseError(model).message, /Try again; if it keeps happening, check the server's log\.$/);
    }
  });
});
