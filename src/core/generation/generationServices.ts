// Builds the generation side of the product from its ports, for the composition root (the VS Code
// container, the CLI, benchmarks): OpenAI-compatible client and provider, Codegen provider, cache,
// pipeline (with its per-provider concurrency bound), batcher, agent task runner, performance monitor and the public API.
import { OpenAiClient } from '../api/openAiClient';
import { baseUrlOf, baseUrlText, codegenEndpoint, type ConfigSnapshot } from '../config/configSchema';
import type { ContextCacheStats } from '../context/model';
import type { Clock, HttpTransport, Logger, Random } from '../ports';
import { type IndexStats, type MemorySample, PerformanceMonitor } from '../stats/performanceMonitor';
import { AgentTaskRunner } from './agentTaskRunner';
import { Batcher } from './batcher';
import { CodegenProvider } from './codegenProvider';
import { GenerationCache } from './generationCache';
import { GenerationPipeline } from './generationPipeline';
import type { ContextSource } from './model';
import { OpenAiProvider } from './openAiProvider';
import { type ContextenApi, createPublicApi } from './publicApi';
import type { RunApi } from './runFollower';

export interface GenerationServicesDeps {
  /** The current settings snapshot, read on every request. */
  readonly settings: () => ConfigSnapshot;
  readonly clock: Clock;
  readonly random: Random;
  readonly logger: Logger;
  /** The shared keep-alive transport (its pool size is contexten.http.maxConnections). */
  readonly transport: HttpTransport;
  readonly codegen: RunApi;
  /** The context engine. */
  /** cacheStats: the context engine's cache, undefined while there is none (the report's `cache.context` is then null). */
  readonly context: ContextSource & { cacheStats?(): ContextCacheStats | undefined };
  /** The OpenAI-compatible key for the server at the base URL given (OpenAiKeyStore.keyFor), undefined when none is set. */
  readonly openAiKey: (baseUrl: string) => Promise<string | undefined>;
  readonly memory?: () => MemorySample;
  readonly index?: () => IndexStats | undefined;
}

export interface GenerationServices {
  readonly openAi: OpenAiClient;
  readonly cache: GenerationCache;
  readonly pipeline: GenerationPipeline;
  readonly batcher: Batcher;
  readonly agentTasks: AgentTaskRunner;
  readonly monitor: PerformanceMonitor;
  /** What `activate()` returns to other extensions. */
  readonly api: ContextenApi;
  dispose(): void;
}

export function createGenerationServices(deps: GenerationServicesDeps): GenerationServices {
  const { settings, clock, logger } = deps;
  const openAi = new OpenAiClient({
    transport: deps.transport,
    clock,
    random: deps.random,
    logger,
    settings: () => {
      const s = settings();
      // (Throws ConfigurationError while the setting is invalid: no request is made, the key goes nowhere.)
      return { baseUrl: baseUrlOf(s, 'openai.baseUrl'), model: s['openai.model'], timeoutMs: s['http.timeoutMs'], maxRetries: s['http.maxRetries'] };
    },
    apiKey: deps.openAiKey,
  });
  const agentTasks = new AgentTaskRunner({ client: deps.codegen, context: deps.context, settings, clock, logger });
  const cache = new GenerationCache(clock, () => ({ enabled: settings()['cache.enabled'], ttlSeconds: settings()['cache.ttlSeconds'] }));
  const monitor = new PerformanceMonitor({
    clock,
    generationCacheStats: () => cache.stats(),
    contextCacheStats: () => deps.context.cacheStats?.(),
    ...(deps.memory ? { memory: deps.memory } : {}),
    ...(deps.index ? { index: deps.index } : {}),
  });
  const pipeline = new GenerationPipeline({
    settings,
    context: deps.context,
    providers: {
      openai: new OpenAiProvider(
        openAi,
        () => settings()['openai.model'],
        () => baseUrlText(settings()['openai.baseUrl']),
      ),
      // Runs created for generations are published on the same task event as runAgentTask's.
      codegen: new CodegenProvider({
        client: deps.codegen,
        clock,
        logger,
        onRunUpdate: (run, signIn) => agentTasks.publishFollowed(run, signIn),
        onRunUnfinished: (run, signIn) => agentTasks.handOff(run, signIn),
        endpoint: () => codegenEndpoint(settings()['codegen.baseUrl'], settings()['codegen.orgId']),
      }),
    },
    cache,
    maxConcurrent: () => settings()['http.maxConnections'],
    clock,
    logger,
    recorder: monitor,
  });
  // Codegen requests are paced under the published limits inside the CodegenClient (the shared RatePacer),
  // so the batcher needs no pacer of its own for them.
  const batcher = new Batcher({
    generate: (req, signal) =>
      pipeline.generateWithContext(req.prompt, {
        signal,
        ...(req.codebaseContext !== undefined ? { codebaseContext: req.codebaseContext } : {}),
        ...(req.options !== undefined ? { options: req.options } : {}),
        ...(req.onToken !== undefined ? { onToken: req.onToken } : {}),
        ...(req.onReasoning !== undefined ? { onReasoning: req.onReasoning } : {}),
      }),
    settings: () => ({ size: settings()['batch.size'], timeoutMs: settings()['batch.timeoutMs'] }),
    clock,
  });
  const api = createPublicApi({
    generate: (prompt, call) => pipeline.generateWithContext(prompt, call),
    context: deps.context,
    runAgentTask: (description, opts) => agentTasks.runAgentTask(description, opts),
    batchGenerate: (requests, signal) => batcher.batchGenerate(requests, signal),
    getPerformanceReport: () => monitor.getPerformanceReport(),
    onDidChangeTask: agentTasks.onDidChangeTask,
  });
  return {
    openAi,
    cache,
    pipeline,
    batcher,
    agentTasks,
    monitor,
    api,
    dispose: () => {
      batcher.dispose();
      agentTasks.dispose();
      cache.clear();
    },
  };
}
