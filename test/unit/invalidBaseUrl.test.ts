import assert from 'node:assert/strict';
import { CodegenClient, codegenSettingsOf } from '../../src/core/api/codegenClient';
import { UndiciTransport } from '../../src/core/api/undiciTransport';
import { resolveConfig } from '../../src/core/config/configSchema';
import { adviseError } from '../../src/core/errorAdvice';
import { ConfigurationError, NetworkError } from '../../src/core/errors';
import { createGenerationServices } from '../../src/core/generation/generationServices';
import { systemClock, type HttpRequest, type HttpResponse, type HttpTransport } from '../../src/core/ports';
import { SANDBOX_TOKEN, startCodegenServer, type CodegenServer } from '../servers/codegen/codegenServer';
import { type OpenAiServer, startOpenAiServer } from '../servers/openai/openAiServer';
import { RecordingLogger } from './fakes/recordingLogger';
import { unusedCodegen } from './fakes/unusedCodegen';
import { FakeContextSource } from './generation/builders';

const KEY = 'sk-proj-REALOPENAIKEY123';

/** Base URLs the settings refuse: a plain-http typo of a public server, a query, a user name and password. */
const BAD_OPENAI_URLS = ['http://api.openai.com/v1', 'https://api.openai.com/v1?x=1', 'https://alice:pw@api.openai.com/v1'];

describe('an invalid base URL setting: no request at all, a ConfigurationError naming the setting (the default is not used instead)', () => {
  it('OpenAI-compatible: nothing reaches the default server (a listener on 127.0.0.1:11434), the key is not even read', async function () {
    // The contract server on the default's port stands for a local Ollama (or whatever listens there).
    let listener: OpenAiServer;
    try {
      listener = await startOpenAiServer({ port: 11434 });
    } catch (error) {
      // (Something else listens there — a local Ollama. Under CI=true nothing is skipped: the machine is to be free.)
      if (process.env.CI === 'true') throw new Error('127.0.0.1:11434 is taken: this test needs the default server\'s port free', { cause: error });
      this.skip();
    }
    const transport = new UndiciTransport({ maxConnections: 2 });
    let keyReads = 0;
    try {
      for (const bad of BAD_OPENAI_URLS) {
        const { snapshot, issues } = resolveConfig({ 'openai.baseUrl': bad, 'openai.model': 'test-model', 'http.maxRetries': 0, 'http.timeoutMs': 3_000 }, {});
        assert.deepEqual(issues.map((i) => i.setting), ['contexten.openai.baseUrl'], bad);
        const services = createGenerationServices({
          settings: () => snapshot,
          clock: systemClock,
          random: () => 0.5,
          logger: new RecordingLogger(),
          transport,
          codegen: unusedCodegen(),
          context: new FakeContextSource(),
          openAiKey: () => {
            keyReads++;
            return Promise.resolve(KEY);
          },
        });
        try {
          const err = await services.api.generateWithContext('Write function slugify').catch((e: unknown) => e);
          assert.ok(err instanceof ConfigurationError, `${bad}: ${String(err)}`);
          assert.equal(err.setting, 'contexten.openai.baseUrl');
          assert.match(err.message, /^Setting "contexten\.openai\.baseUrl" has an invalid value .*: expected an https:\/\/ URL/, bad);
          assert.match(err.message, /No OpenAI-compatible request is sent until it is corrected \(the stored key is not sent to the default, "http:\/\/localhost:11434\/v1", instead\); remove the setting to use the default\./);
          assert.ok(!err.message.includes('pw'), 'the password in the URL is not shown');
          assert.deepEqual(adviseError(err).steps, [{ kind: 'openSettings', setting: 'contexten.openai.baseUrl' }]);
        } finally {
          services.dispose();
        }
      }
      assert.equal(keyReads, 0, 'the key is not read');
      assert.deepEqual(listener.requests(), [], 'no request reached the default server');
    } finally {
      await transport.close();
      await listener.close();
    }
  });

  describe('Codegen (contract server)', () => {
    let server: CodegenServer;
    let transport: UndiciTransport;
    /** Every URL a request was made to; only the contract server's are passed on (none goes out of this machine). */
    let sent: string[];
    let tokenReads: number;
    let client: CodegenClient;
    let snapshot: ReturnType<typeof resolveConfig>['snapshot'];

    beforeEach(async () => {
      server = await startCodegenServer();
      transport = new UndiciTransport({ maxConnections: 2 });
      sent = [];
      tokenReads = 0;
      const recording: HttpTransport = {
        request: (req: HttpRequest): Promise<HttpResponse> => {
          sent.push(req.url);
          return req.url.startsWith(server.url) ? transport.request(req) : Promise.reject(new NetworkError(`not sent in this test: ${req.url}`));
        },
        close: () => Promise.resolve(),
      };
      snapshot = resolveConfig({ 'codegen.baseUrl': server.url, 'codegen.orgId': '1', 'http.maxRetries': 0 }, {}).snapshot;
      client = new CodegenClient({
        transport: recording,
        clock: systemClock,
        random: () => 0.5,
        logger: new RecordingLogger(),
        settings: () => codegenSettingsOf(snapshot),
        token: () => {
          tokenReads++;
          return Promise.resolve(SANDBOX_TOKEN);
        },
      });
    });

    afterEach(async () => {
      client.dispose();
      await transport.close();
      await server.close();
    });

    it('a self-hosted base URL made invalid ("http://codegen.corp") stops every call: the token goes neither there nor to api.codegen.com', async () => {
      const run = await client.createRun({ prompt: 'Fix the bug' });
      assert.equal(sent.length > 0 && sent.every((u) => u.startsWith(server.url)), true);
      const before = { sent: sent.length, tokenReads, serverRequests: server.requests().length };

      snapshot = resolveConfig({ 'codegen.baseUrl': 'http://codegen.corp', 'codegen.orgId': '1', 'http.maxRetries': 0 }, {}).snapshot;
      const calls: [string, () => Promise<unknown>][] = [
        ['getRun (the follow/poll loop)', () => client.getRun(run.id)],
        ['listRuns (the Agent Tasks view)', () => client.listRuns()],
        ['getMe', () => client.getMe()],
        ['validateCredentials (sign-in)', () => client.validateCredentials(SANDBOX_TOKEN, '1')],
        ['signIn (a run’s owner)', () => client.signIn()],
        ['createRun', () => client.createRun({ prompt: 'Again' })],
        ['stopRun', () => client.stopRun(run.id)],
      ];
      for (const [what, call] of calls) {
        const err = await call().catch((e: unknown) => e);
        assert.ok(err instanceof ConfigurationError, `${what}: ${String(err)}`);
        assert.equal(err.setting, 'contexten.codegen.baseUrl', what);
        assert.match(err.message, /^Setting "contexten\.codegen\.baseUrl" has an invalid value "http:\/\/codegen\.corp\/": expected an https:\/\/ URL/, what);
        assert.match(err.message, /No Codegen request is sent until it is corrected \(your Codegen token is not sent to the default, "https:\/\/api\.codegen\.com", instead\)/, what);
      }
      assert.deepEqual({ sent: sent.length, tokenReads, serverRequests: server.requests().length }, before, 'no request made, no token read');
    });

    it('an invalid CODEGEN_BASE_URL says so, and how to fall back to the default (unset it)', async () => {
      snapshot = resolveConfig({ 'codegen.orgId': '1' }, { CODEGEN_BASE_URL: 'http://codegen.corp' }).snapshot;
      const err = await client.listRuns().catch((e: unknown) => e);
      assert.ok(err instanceof ConfigurationError, String(err));
      assert.match(err.message, /^Environment variable CODEGEN_BASE_URL \(for contexten\.codegen\.baseUrl\) has an invalid value .* unset CODEGEN_BASE_URL to use the default\.$/);
      assert.deepEqual([sent, tokenReads], [[], 0]);
    });
  });
});
