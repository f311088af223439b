// The `codegen` provider: one Codegen agent run per generation, created with the context-enhanced prompt,
// followed until it ends; the answer is the run's result. Cancelling stops the run on the server.
import { type AgentRun, type CodegenClient, isTerminal, type SignIn } from '../api/codegenClient';
import { CancellationError, errorMessage, GenerationError } from '../errors';
import type { Clock, Logger } from '../ports';
import type { GenerationProvider, ProviderAnswer, ProviderCallOptions, ProviderRequest } from './model';
import { singlePrompt } from './promptBuilder';
import { type FollowOptions, followRun, type RunApi } from './runFollower';

/** The model name reported for Codegen runs (the agent picks its own model unless one is requested). */
export const CODEGEN_AGENT_MODEL = 'codegen-agent';

export interface CodegenProviderDeps {
  readonly client: RunApi;
  readonly clock: Clock;
  readonly logger: Logger;
  /** Every state of every run this provider creates or polls (for the tasks view), with the sign-in it was created as. */
  readonly onRunUpdate?: (run: AgentRun, signIn: SignIn) => void;
  /**
   * A run this provider stops following before it ended (see FollowOptions.onUnfinished): its last state seen, with the
   * sign-in it was created as (whoever takes it over checks that this is still the one of now).
   */
  readonly onRunUnfinished?: (run: AgentRun, signIn: SignIn) => void;
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
    const { client, onRunUpdate, onRunUnfinished } = this.deps;
    // (Read as the run is created: createRun reads the same settings before it first awaits.)
    const endpoint = this.deps.endpoint();
    const { run, signIn } = await createRunAs(client, { prompt: singlePrompt(req), ...(req.model !== undefined && req.model !== CODEGEN_AGENT_MODEL ? { model: req.model } : {}) }, opts.signal);
    onRunUpdate?.(run, signIn);
    const final = await followOrStop(this.deps, run, signIn, opts.signal, {
      ...(onRunUpdate ? { onUpdate: (r: AgentRun) => onRunUpdate(r, signIn) } : {}),
      ...(onRunUnfinished ? { onUnfinished: (r: AgentRun) => onRunUnfinished(r, signIn) } : {}),
    });
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
      // (Moved to another server or organization while the run was followed: no one endpoint gave the answer.)
      ...(this.deps.endpoint() === endpoint ? { endpoint } : {}),
    };
  }
}

/**
 * Creates a run, with the sign-in it is created as (read as the creation is sent: CodegenClient.signIn reads the same
 * settings and token, in the same turn, as createRun's first attempt).
 */
export async function createRunAs(client: Pick<CodegenClient, 'signIn' | 'createRun'>, req: Parameters<CodegenClient['createRun']>[0], signal: AbortSignal | undefined): Promise<{ run: AgentRun; signIn: SignIn }> {
  const [signIn, run] = await Promise.all([client.signIn(), client.createRun(req, signal)]);
  return { run, signIn };
}

/**
 * Follows `run` (created as `signIn`) to its end; when `signal` aborts first, rejects with CancellationError at once and asks the server to
 * stop the run in the background (CodegenClient.stopRunInBackground: a slow or unreachable server holds up neither the
 * caller nor the progress shown for it). `onUpdate` gets the state the stop answered with. `onUnfinished` gets the
 * run's last state when the follow ends before the run did: an error, or a cancel whose stop failed or did not end the
 * run (known only after the caller was told of the cancel).
 */
export async function followOrStop(
  deps: Pick<CodegenProviderDeps, 'client' | 'clock' | 'logger'>,
  run: AgentRun,
  signIn: SignIn,
  signal: AbortSignal,
  hooks: Pick<FollowOptions, 'onUpdate' | 'onUnfinished'> = {},
): Promise<AgentRun> {
  let last = run;
  const onUpdate = (r: AgentRun): void => {
    last = r;
    hooks.onUpdate?.(r);
  };
  try {
    return await followRun(deps.client, run, { clock: deps.clock, logger: deps.logger, signal, signIn, onUpdate, ...(hooks.onUnfinished ? { onUnfinished: hooks.onUnfinished } : {}) });
  } catch (err) {
    if (!signal.aborted && !CancellationError.is(err)) throw err;
    void deps.client
      .stopRunInBackground(run.id, { organizationId: run.organizationId, signIn })
      .then((stopped) => {
        if (stopped) onUpdate(stopped);
        if (!isTerminal(last)) hooks.onUnfinished?.(last);
      })
      .catch((hookErr: unknown) => deps.logger.warn(`After stopping Codegen agent run ${run.id}: ${errorMessage(hookErr)}`));
    throw new CancellationError();
  }
}
