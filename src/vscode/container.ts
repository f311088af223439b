import type * as vscode from 'vscode';
import { CodegenClient, codegenSettingsOf } from '../core/api/codegenClient';
import { UndiciTransport } from '../core/api/undiciTransport';
import { OpenAiKeyStore } from '../core/auth/openAiKeyStore';
import { TokenManager } from '../core/auth/tokenManager';
import { credentialAsSent } from '../core/auth/credentialText';
import { codegenEndpoint, tokenFromEnv, type ConfigSnapshot } from '../core/config/configSchema';
import { createGenerationServices, type GenerationServices } from '../core/generation/generationServices';
import { disposeWhenSettled } from '../core/logLines';
import { systemClock } from '../core/ports';
import { RunPoller } from '../core/tasks/runPoller';
import { AuthController } from './auth';
import { ConfigService } from './config';
import { ContextService } from './contextService';
import { GenerationController } from './generation';
import { Disposable } from './lifecycle';
import { OutputLogger } from './log';
import { VscodeSecretStore } from './secrets';
import { TaskController } from './tasks';
import { ContextPreview } from './views/contextPreview';
import { ResultsPanel } from './views/resultsPanel';

/**
 * How long shutting down waits for the clean-ups of cancelled Codegen requests (within what VS Code gives an extension's
 * deactivate: about 5 s).
 */
const SHUTDOWN_WAIT_MS = 4_000;

/**
 * The composition root: builds every service once, in dependency order, with constructor injection.
 * Nothing else creates services; nothing is a global singleton. Disposing the container disposes all.
 * Construction does no I/O: indexing starts in the background after activation (`startBackgroundWork`).
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
  readonly context: ContextService;
  readonly contextPreview: ContextPreview;
  readonly generation: GenerationServices;
  readonly results: ResultsPanel;
  readonly generate: GenerationController;
  private stopped: Promise<void> | undefined;
  /** Secrets currently known to the process, so the logger can redact them by construction. */
  private readonly knownSecrets = new Set<string>();

  constructor(readonly extension: vscode.ExtensionContext) {
    super();
    // (A constructor that throws partway disposes what it made so far: the status bar items, listeners, the
    // connections — activate() never gets a container to push, and nothing else would.)
    try {
      const env = process.env;
      this.log = new OutputLogger(() => [...this.knownSecrets]);
      // The log is closed last, and only once shutting down has settled (at most SHUTDOWN_WAIT_MS): its clean-ups log.
      // (Registered first, so disposed after the shutdown below started.)
      this.register({ dispose: () => void disposeWhenSettled(this.stopped ?? Promise.resolve(), this.log) });
      this.config = this.register(new ConfigService(this.log, env));
      const envToken = tokenFromEnv(env);
      if (envToken) this.rememberSecret(envToken);

      this.transport = new UndiciTransport({ maxConnections: this.config.snapshot['http.maxConnections'], logger: this.log });
      // (Closed once the Codegen client has shut down: see below.)
      this.register(this.config.onDidChange((s) => this.transport.configure({ maxConnections: s['http.maxConnections'] })));

      this.tokens = new TokenManager(
        new VscodeSecretStore(extension.secrets),
        { validateCredentials: (t, o, s) => this.codegen.validateCredentials(t, o, s) },
        () => tokenFromEnv(env),
        this.log,
        (s) => this.rememberSecret(s),
      );
      this.register(this.tokens);
      this.codegen = new CodegenClient({
        transport: this.transport,
        clock: systemClock,
        random: Math.random,
        logger: this.log,
        // (Throws ConfigurationError while the base URL is invalid: no request is made, the token goes nowhere.)
        settings: () => codegenSettingsOf(this.config.snapshot),
        token: (baseUrl) => this.tokens.tokenFor(baseUrl),
        tokenOrigin: () => this.tokens.tokenOrigin(),
      });
      // At shutdown the clean-ups of cancelled Codegen requests (stopping a run a cancelled request created) get a few
      // seconds to end before the connections close (CodegenClient.shutdown; deactivate waits for it too).
      this.register({ dispose: () => void this.shutDown() });
      this.auth = this.register(new AuthController(this.tokens, this.config, this.log, extension.secrets, () => this.codegen.getMe()));
      this.poller = new RunPoller({ client: this.codegen, clock: systemClock, logger: this.log });
      this.register(this.poller);
      this.tasks = this.register(new TaskController(this.codegen, this.poller, this.auth, this.log, systemClock, extension.workspaceState));
      this.register({ dispose: this.tokens.onDidChange((s) => this.tasks.onAuthChanged(s.kind)).dispose });
      this.tasks.onAuthChanged(this.tokens.current.kind);
      const endpointOf = (s: ConfigSnapshot): string => codegenEndpoint(s['codegen.baseUrl'], s['codegen.orgId']);
      let endpoint = endpointOf(this.config.snapshot);
      this.register(
        this.config.onDidChange((s) => {
          if (endpointOf(s) === endpoint) return;
          endpoint = endpointOf(s);
          this.auth.onEndpointChanged();
          this.tasks.onEndpointChanged();
        }),
      );

      this.context = this.register(new ContextService(extension.extensionUri, extension.storageUri, this.config, this.log));

      // (The OpenAI-compatible key, sent only to the origin it was entered for.)
      const openAiKeys = new OpenAiKeyStore(
        new VscodeSecretStore(extension.secrets),
        (s) => this.rememberSecret(s),
        (message) => this.log.warn(message),
      );
      this.register({ dispose: () => openAiKeys.dispose() });
      this.generation = createGenerationServices({
        settings: () => this.config.snapshot,
        clock: systemClock,
        random: Math.random,
        logger: this.log,
        transport: this.transport,
        codegen: this.codegen,
        context: this.context,
        openAiKey: (baseUrl) => openAiKeys.keyFor(baseUrl),
        memory: () => {
          const m = process.memoryUsage();
          return { heapUsed: m.heapUsed, rss: m.rss };
        },
        index: () => this.context.indexStats(),
      });
      this.register(this.generation);
      this.register(
        this.config.onDidChange(() => {
          this.generation.pipeline.limitsChanged();
          this.generation.cache.settingsChanged();
        }),
      );
      // Runs started by generation/runAgentTask are followed there; show them in the sidebar too (while the sign-in they
      // were created as is the one of now), and publish sidebar runs on the public API's onDidChangeTask.
      this.register({ dispose: this.generation.agentTasks.onDidSeeFollowedRun(({ run, signIn }) => this.tasks.adoptFollowed(run, signIn)).dispose });
      // A follow that ended before its run did (an unreadable answer, lost contact, a stop that did not take) hands the
      // run to the sidebar's poller, so the tree does not show it active forever (while the sign-in it was created as is
      // the one of now).
      this.register({ dispose: this.generation.agentTasks.onDidStopFollowing(({ run, signIn }) => this.tasks.takeOver(run, signIn)).dispose });
      this.register({ dispose: this.tasks.onDidChangeTask((run) => this.generation.agentTasks.publish(run)).dispose });

      this.results = this.register(new ResultsPanel(extension.extensionUri, this.log, {
          performanceSource: () => this.generation.monitor.getPerformanceReport(),
          locationStore: extension.workspaceState,
        }));
      this.generate = this.register(
        new GenerationController(this.generation, this.results, this.context, this.config, extension.globalState, openAiKeys, this.log, this.tasks),
      );
      // (Ranks a prompt with the hints Generate Code… sends it with: the preview shows what would be sent.)
      const generate = this.generate;
      this.contextPreview = this.register(new ContextPreview(this.context, () => generate.promptHints()));
    } catch (err) {
      this.dispose();
      throw err;
    }
  }

  /** Work that must not slow activation: the workspace index starts after activation returns. */
  startBackgroundWork(): void {
    setTimeout(() => this.context.start(), 0);
  }

  /**
   * Lets the Codegen client finish the clean-ups of cancelled requests (at most SHUTDOWN_WAIT_MS), then closes the
   * connections. Called by deactivate (which VS Code awaits) and by dispose; the same promise for both.
   */
  shutDown(): Promise<void> {
    this.stopped ??= this.codegen.shutdown(SHUTDOWN_WAIT_MS).finally(() => this.transport.close());
    return this.stopped;
  }

  /** Registers a secret value so every log line is redacted of it, and of it as it is sent (`Bearer abc…` goes out as `abc…`). */
  rememberSecret(value: string): void {
    for (const v of [value, credentialAsSent(value)]) if (v) this.knownSecrets.add(v);
  }
}
