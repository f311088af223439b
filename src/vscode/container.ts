import type * as vscode from 'vscode';
import { CodegenClient } from '../core/api/codegenClient';
import { UndiciTransport } from '../core/api/undiciTransport';
import { TokenManager } from '../core/auth/tokenManager';
import { tokenFromEnv } from '../core/config/configSchema';
import { systemClock } from '../core/ports';
import { RunPoller } from '../core/tasks/runPoller';
import { AuthController } from './auth';
import { ConfigService } from './config';
import { Disposable } from './lifecycle';
import { OutputLogger } from './log';
import { VscodeSecretStore } from './secrets';
import { TaskController } from './tasks';

/**
 * The composition root: builds every service once, in dependency order, with constructor injection.
 * Nothing else creates services; nothing is a global singleton. Disposing the container disposes all.
 */
export class Container extends Disposable {
  readonly log: OutputLogger;
  readonly config: ConfigService;
  readonly transport: UndiciTransport;
  readonly tokens: TokenManager;
  readonly codegen: CodegenClient;
  readonly auth: AuthController;
  readonly poller: RunPoller;
  readonly tasks: TaskController;
  /** Secrets currently known to the process, so the logger can redact them by construction. */
  private readonly knownSecrets = new Set<string>();

  constructor(readonly context: vscode.ExtensionContext) {
    super();
    const env = process.env;
    this.log = this.register(new OutputLogger(() => [...this.knownSecrets]));
    this.config = this.register(new ConfigService(this.log, env));
    const envToken = tokenFromEnv(env);
    if (envToken) this.rememberSecret(envToken);

    this.transport = new UndiciTransport({ maxConnections: this.config.snapshot['http.maxConnections'], logger: this.log });
    this.register({ dispose: () => void this.transport.close() });
    this.register(this.config.onDidChange((s) => this.transport.configure({ maxConnections: s['http.maxConnections'] })));

    this.tokens = new TokenManager(new VscodeSecretStore(context.secrets), { validateCredentials: (t, o, s) => this.codegen.validateCredentials(t, o, s) }, () => tokenFromEnv(env), this.log, (s) => this.rememberSecret(s));
    this.register(this.tokens);
    this.codegen = new CodegenClient({
      transport: this.transport,
      clock: systemClock,
      random: Math.random,
      logger: this.log,
      settings: () => ({
        baseUrl: this.config.snapshot['codegen.baseUrl'],
        orgId: this.config.snapshot['codegen.orgId'],
        timeoutMs: this.config.snapshot['http.timeoutMs'],
        maxRetries: this.config.snapshot['http.maxRetries'],
      }),
      token: () => this.tokens.getToken(),
    });
    this.auth = this.register(new AuthController(this.tokens, this.config, this.log, context.secrets));
    this.poller = new RunPoller({ client: this.codegen, clock: systemClock, logger: this.log });
    this.register(this.poller);
    this.tasks = this.register(new TaskController(this.codegen, this.poller, this.auth, this.log, systemClock));
    this.register({ dispose: this.tokens.onDidChange((s) => this.tasks.onAuthChanged(s.kind)).dispose });
  }

  /** Registers a secret value so every log line is redacted of it. */
  rememberSecret(value: string): void {
    if (value) this.knownSecrets.add(value);
  }
}
