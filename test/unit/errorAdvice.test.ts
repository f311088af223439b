import assert from 'node:assert/strict';
import { errorFromHttpResponse } from '../../src/core/api/httpErrors';
import { adviseError } from '../../src/core/errorAdvice';
import { AuthenticationError, CancellationError, ConfigurationError, ContextTooLongError, GenerationError, NotFoundError, RateLimitError, ServerError, ValidationError } from '../../src/core/errors';

const json = { 'content-type': 'application/json' };
const now = Date.UTC(2026, 0, 1);

describe('adviseError (the next step an error message offers)', () => {
  it("sends a 404 from the OpenAI-compatible server to the model and base URL settings, Codegen's to the organization id", () => {
    const ollama = adviseError(errorFromHttpResponse(404, json, JSON.stringify({ error: 'model "llama9" not found, try pulling it first' }), { service: 'The model server', what: 'POST /v1/chat/completions', nowMs: now, credential: 'openai' }));
    assert.match(ollama.message, /model "llama9" not found/);
    assert.match(ollama.message, /contexten\.openai\.model.*contexten\.openai\.baseUrl/);
    assert.doesNotMatch(ollama.message, /organization/);
    assert.deepEqual(ollama.steps, [{ kind: 'openSettings', setting: 'contexten.openai' }]);

    const codegen = adviseError(errorFromHttpResponse(404, json, JSON.stringify({ message: 'Agent run not found', status_code: 404 }), { service: 'Codegen', what: 'GET /v1/organizations/7/agent/run/9', nowMs: now }));
    assert.match(codegen.message, /organization id/);
    assert.deepEqual(codegen.steps, [{ kind: 'openSettings', setting: 'contexten.codegen.orgId' }]);
    assert.equal(adviseError(new NotFoundError('gone')).steps[0]?.kind, 'openSettings');
  });

  it("says to add a repository, not to check the organization id, for Codegen's 404 NoReposFoundInOrg (a run created in an organization without one)", () => {
    const body = JSON.stringify({ message: 'No repos found in the organization. Please add some repos and try again.', status_code: 404 });
    const advice = adviseError(errorFromHttpResponse(404, json, body, { service: 'Codegen', what: 'POST /v1/organizations/7/agent/run', nowMs: now, organizationScoped: true }));
    assert.match(advice.message, /No repos found in the organization.*Add a repository to the organization on codegen\.com/);
    assert.doesNotMatch(advice.message, /organization id/);
    assert.deepEqual(advice.steps, []);
  });

  it("points a 402 from the OpenAI-compatible server at the provider's credits and the base URL, Codegen's at its plan", () => {
    const ctx = { service: 'The model server', what: 'POST /v1/chat/completions', nowMs: now, credential: 'openai' as const };
    const openRouter = adviseError(errorFromHttpResponse(402, json, JSON.stringify({ error: { message: 'Insufficient credits', code: 402 } }), ctx));
    assert.match(openRouter.message, /Insufficient credits.*credits and billing of your account with the provider/);
    assert.doesNotMatch(openRouter.message, /Codegen|allotment/);
    assert.deepEqual(openRouter.steps, [{ kind: 'openSettings', setting: 'contexten.openai.baseUrl' }]);

    const codegen = adviseError(errorFromHttpResponse(402, json, JSON.stringify({ message: 'Alloted agent runs reached', status_code: 402 }), { service: 'Codegen', what: 'POST /v1/organizations/7/agent/run', nowMs: now }));
    assert.match(codegen.message, /Upgrade your Codegen plan/);
    assert.deepEqual(codegen.steps, []);
  });

  it('sends a 403 on an organization\'s path to the organization id setting (no access to it), another 403 to sign-in', () => {
    const nonMember = { message: 'You do not have access to this organization.', status_code: 403 };
    const org = adviseError(errorFromHttpResponse(403, json, JSON.stringify(nonMember), { service: 'Codegen', what: 'GET /v1/organizations/555/agent/runs', nowMs: now, organizationScoped: true }));
    assert.match(org.message, /You do not have access to this organization.*Check contexten\.codegen\.orgId/);
    assert.doesNotMatch(org.message, /valid token/);
    assert.deepEqual(org.steps, [{ kind: 'openSettings', setting: 'contexten.codegen.orgId' }, { kind: 'signIn' }]);
    const token = adviseError(errorFromHttpResponse(403, json, JSON.stringify({ message: 'Forbidden', status_code: 403 }), { service: 'Codegen', what: 'GET /v1/users/me', nowMs: now }));
    assert.match(token.message, /Sign in again with a valid token/);
    assert.deepEqual(token.steps, [{ kind: 'signIn' }]);
  });

  it('a 401 to a request that carried no key says the server needs one and none is stored (not that a key was rejected)', () => {
    const ctx = { service: 'The model server', what: 'POST /v1/chat/completions', nowMs: now, credential: 'openai' as const };
    const body = JSON.stringify({ error: { message: 'You didn\'t provide an API key.', type: 'invalid_request_error' } });
    const err = errorFromHttpResponse(401, json, body, { ...ctx, credentialSent: false });
    assert.ok(err instanceof AuthenticationError && !err.rejectsToken);
    const advice = adviseError(err);
    assert.match(advice.message, /^Contexten: The model server needs an API key \(HTTP 401: You didn't provide an API key\.\), and none is stored\. Store the server's key with "Contexten: Set OpenAI-Compatible API Key"/);
    assert.doesNotMatch(advice.message, /rejected|valid key/);
    assert.deepEqual(advice.steps, [{ kind: 'setOpenAiKey' }, { kind: 'openSettings', setting: 'contexten.openai.baseUrl' }]);
    // A key that was sent and refused is still "rejected".
    const sent = adviseError(errorFromHttpResponse(401, json, body, { ...ctx, credentialSent: true }));
    assert.match(sent.message, /rejected the API token.*Store a valid key/);
  });

  it('not signed in (or a token that cannot be sent) says what to do once, without "sign in again"', () => {
    const notSignedIn = adviseError(new AuthenticationError('Not signed in to Codegen. Run "Contexten: Sign In to Codegen" to add your API token.'));
    assert.equal(notSignedIn.message, 'Contexten: Not signed in to Codegen. Run "Contexten: Sign In to Codegen" to add your API token.');
    assert.deepEqual(notSignedIn.steps, [{ kind: 'signIn' }]);
    const rejected = adviseError(new AuthenticationError('Codegen rejected the API token (HTTP 401).', 401));
    assert.match(rejected.message, /Sign in again with a valid token\.$/);
  });

  it('a redirect names the base URL setting as probably wrong and offers to open it (Codegen and the model server)', () => {
    const headers = { ...json, location: 'https://app.codegen.com/login?next=%2Fv1&token=cg_SECRET_123456' };
    const codegen = errorFromHttpResponse(302, headers, '', { service: 'Codegen', what: 'GET /v1/users/me', nowMs: now, secrets: ['cg_SECRET_123456'] });
    assert.ok(codegen instanceof ConfigurationError);
    const advice = adviseError(codegen);
    assert.equal(advice.message, 'Contexten: Codegen redirected GET /v1/users/me (HTTP 302 to https://app.codegen.com/login): the base URL in contexten.codegen.baseUrl is probably wrong. Check it.');
    assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting: 'contexten.codegen.baseUrl' }]);
    const openai = adviseError(errorFromHttpResponse(301, {}, '', { service: 'The model server', what: 'GET /models', nowMs: now, credential: 'openai' }));
    assert.equal(openai.message, 'Contexten: The model server redirected GET /models (HTTP 301): the base URL in contexten.openai.baseUrl is probably wrong. Check it.');
    assert.deepEqual(openai.steps, [{ kind: 'openSettings', setting: 'contexten.openai.baseUrl' }]);
  });

  it('says how long a rate limit asks to wait when the server said a minute or more, and points a spent quota at the plan', () => {
    assert.match(adviseError(new RateLimitError('limit', 300_000)).message, /asks to wait 5 minutes/);
    assert.match(adviseError(new RateLimitError('limit', 60_000)).message, /asks to wait 1 minute before/);
    // (A wait under a minute the retries sat through already.)
    assert.match(adviseError(new RateLimitError('limit', 45_000)).message, /Wait a moment and try again/);
    assert.match(adviseError(new RateLimitError('limit', 3 * 3600_000)).message, /asks to wait 3 hours/);
    assert.match(adviseError(new RateLimitError('limit')).message, /Wait a moment/);
    assert.match(adviseError(new RateLimitError('quota exhausted', undefined, true)).message, /plan and billing/);
  });

  it('offers the setting a generation error names (an empty answer: the model), besides the logs', () => {
    const empty = adviseError(new GenerationError('The model server sent an empty answer. Check that contexten.openai.model names a chat model.', { setting: 'contexten.openai.model' }));
    assert.match(empty.message, /^Contexten: The model server sent an empty answer/);
    assert.deepEqual(empty.steps, [{ kind: 'openSettings', setting: 'contexten.openai.model' }, { kind: 'showLogs' }]);
    assert.deepEqual(adviseError(new GenerationError('cut off')).steps, [{ kind: 'showLogs' }]);
  });

  it("says a 400 for a prompt too long for the model's context window is that, and how to send less context", () => {
    const ctx = { service: 'The model server', what: 'POST /v1/chat/completions', nowMs: now, credential: 'openai' as const };
    const bodies = [
      // OpenAI: the code says it.
      { error: { message: "This model's maximum context length is 8192 tokens. However, your messages resulted in 12034 tokens. Please reduce the length of the messages.", type: 'invalid_request_error', param: 'messages', code: 'context_length_exceeded' } },
      { error: { message: 'Request too large', type: 'invalid_request_error', code: 'context_length_exceeded' } },
      // vLLM: only the message says it.
      { object: 'error', message: "This model's maximum context length is 4096 tokens. However, you requested 5000 tokens.", type: 'BadRequestError', code: 400 },
      // llama.cpp's server.
      { error: { code: 400, message: 'the request exceeds the available context size, try increasing it', type: 'exceed_context_size_error' } },
    ];
    for (const body of bodies) {
      const err = errorFromHttpResponse(400, json, JSON.stringify(body), ctx);
      assert.ok(err instanceof ContextTooLongError, JSON.stringify(body));
      const advice = adviseError(err);
      assert.match(advice.message, /^Contexten: The model server rejected POST \/v1\/chat\/completions \(HTTP 400: .+\)\. The prompt with its codebase context is too long for the model: lower contexten\.context\.maxChars, turn off contexten\.context\.enabled, or use a model with a larger context window\.$/);
      assert.deepEqual(advice.steps, [{ kind: 'openSettings', setting: 'contexten.context' }, { kind: 'showLogs' }]);
    }
    // The same error reported inside the answer (built by the client as such).
    const inStream = adviseError(new ContextTooLongError("The model server reported an error while answering POST /v1/chat/completions: This model's maximum context length is 8192 tokens"));
    assert.match(inStream.message, /8192 tokens\. The prompt with its codebase context is too long/);
    // Another 400, and Codegen's, are still a rejected request.
    const other = errorFromHttpResponse(400, json, JSON.stringify({ error: { message: 'temperature must be at most 2', type: 'invalid_request_error' } }), ctx);
    assert.ok(other instanceof ValidationError && !(other instanceof ContextTooLongError));
    assert.match(adviseError(other).message, /^Contexten: the request was rejected: /);
    const codegen = errorFromHttpResponse(400, json, JSON.stringify({ message: 'context length exceeded', status_code: 400 }), { service: 'Codegen', what: 'POST /v1/organizations/7/agent/run', nowMs: now });
    assert.ok(!(codegen instanceof ContextTooLongError));
  });

  it("ends a server's own text with a full stop before the advice that follows it", () => {
    const ollama = adviseError(new ServerError("The model server reported an error while answering POST /v1/chat/completions: model 'llama3.1' not found, try pulling it first", 500));
    assert.match(ollama.message, /try pulling it first\. Try again later\.$/);
    // Not a second one.
    assert.match(adviseError(new ServerError('The model server failed on POST /v1/chat/completions (HTTP 500).', 500)).message, /\(HTTP 500\)\. Try again later\.$/);
    assert.match(adviseError(new ServerError('Is it down?', 500)).message, /Is it down\? Try again later\.$/);
  });

  it('says nothing for a cancellation and shows the logs for an error of unknown kind', () => {
    assert.deepEqual(adviseError(new CancellationError()), { message: '', steps: [] });
    const odd = adviseError(new TypeError('x is undefined'));
    assert.match(odd.message, /unexpected error: x is undefined/);
    assert.deepEqual(odd.steps, [{ kind: 'showLogs' }]);
  });
});
