// The `codegen` provider: one Codegen agent run per generation, created with the context-enhanced prompt,
// followed until it ends; the answer is the run's result. Cancelling stops the run on the server.
import type { AgentRun } from '../api/codegenClient';
import { CancellationError, errorMessage, GenerationError } from '../errors';
import type { Clock, Logger } from '../ports';
import type { GenerationProvider, ProviderAnswer, ProviderCallOptions, ProviderRequest } from './model';
import { singlePrompt } from './promptBuilder';
import { followRun, type RunApi } from './runFollower';

/** The model name reported for Codegen runs (the agent picks its own model unless one is requested). */
export const CODEGEN_AGENT_MODEL = 'codegen-agent';

export interface CodegenProviderDeps {
  readonly client: RunApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Every state of every run this provider creates or polls (for the tasks view). */
  readonly onRunUpdate?: (run: AgentRun) => void;
  /** The API's base URL and the organization runs are created in (contexten.codegen.baseUrl, .orgId). */
  readonly endpoint: () => string;
}

export class CodegenProvider implements GenerationProvider {
  readonly id = 'codegen' as const;

  constructor(private readonly deps: CodegenProviderDeps) {}

  defaultModel(): string {
    return CODEGEN_AGENT_MODEL;
  }

  endpoint(): string {
    return this.deps.endpoint();
  }

  async generate(req: ProviderRequest, opts: ProviderCallOptions): Promise<ProviderAnswer> {
    const { client, onRunUpdate } = this.deps;
    const run = await client.createRun(
      { prompt: singlePrompt(req), ...(req.model !== undefined && req.model !== CODEGEN_AGENT_MODEL ? { model: req.model } : {}) },
      opts.signal,
    );
    onRunUpdate?.(run);
    const final = await followOrStop(this.deps, run, opts.signal, onRunUpdate);
    if (final.state === 'failed') {
      throw new GenerationError(`Codegen agent run ${final.id} ended with status ${final.status || 'FAILED'}${final.summary ? `: ${final.summary}` : ''}.`);
    }
    const text = final.result ?? final.summary ?? '';
    if (text.trim() === '') throw new GenerationError(`Codegen agent run ${final.id} finished without a result.`);
    opts.onToken?.(text);
    return {
      text,
      model: CODEGEN_AGENT_MODEL,
      truncated: false,
      run: { id: final.id, ...(final.webUrl !== undefined ? { webUrl: final.webUrl } : {}) },
    };
  }
}

/** Follows `run` to its end; when `signal` aborts first, asks the server to stop the run and rejects with CancellationError. */
export async function followOrStop(
  deps: Pick<CodegenProviderDeps, 'client' | 'clock' | 'logger'>,
  run: AgentRun,
  signal: AbortSignal,
  onUpdate?: (run: AgentRun) => void,
): Promise<AgentRun> {
  try {
    return await followRun(deps.client, run, { clock: deps.clock, logger: deps.logger, signal, ...(onUpdate ? { onUpdate } : {}) });
  } catch (err) {
    if (!signal.aborted && !CancellationError.is(err)) throw err;
    try {
      const stopped = await deps.client.stopRun(run.id);
      onUpdate?.(stopped);
    } catch (stopErr) {
      deps.logger.warn(`Could not stop Codegen agent run ${run.id}: ${errorMessage(stopErr)}`);
    }
    throw new CancellationError();
  }
}
