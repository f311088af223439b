// runAgentTask: a Codegen agent run for a task description, with ranked codebase context attached.
// With asyncExecution false it resolves when the run ends; with true it resolves once the run exists and
// keeps following it in the background. Every state seen is published on onDidChangeTask (and, with the sign-in the run
// was created as, on onDidSeeFollowedRun); a run whose follow ends before the run did (an error, or a cancel that did
// not stop it) on onDidStopFollowing, with that sign-in too.
import type { AgentRun, SignIn } from '../api/codegenClient';
import type { ConfigSnapshot } from '../config/configSchema';
import type { ContextItem, ContextResult } from '../context/model';
import { CancellationError, errorMessage } from '../errors';
import { Emitter, type Listener } from '../emitter';
import type { Clock, Logger } from '../ports';
import { createRunAs, followOrStop } from './codegenProvider';
import type { ContextSource } from './model';
import { buildPrompt, singlePrompt } from './promptBuilder';
import { contextQueryFor, rankContextOrWarn } from './rankedContext';
import { followRun, type RunApi } from './runFollower';

export interface AgentTaskOptions {
  /** Attach ranked codebase context (default: contexten.context.enabled). */
  readonly contextEnhancement?: boolean;
  /** false (default): resolve when the run ends; true: resolve once it is created. */
  readonly asyncExecution?: boolean;
  /** The file the task is about (null: none of the workspace's; see ContextQuery). */
  readonly activeFile?: string | null;
  readonly openFiles?: readonly string[];
  /** Context text from the caller (e.g. the selection). */
  readonly codebaseContext?: string;
  readonly signal: AbortSignal;
}

export interface AgentTaskResult {
  /** The run as last seen: terminal when asyncExecution was false. */
  readonly run: AgentRun;
  readonly context: readonly ContextItem[];
  /**
   * What to tell the user next to the task, as a generation's warnings: the context may miss code (the workspace was not
   * indexed to the end), or none was attached (its ranking failed: the task was started without it).
   */
  readonly warnings: readonly string[];
}

/**
 * runAgentTask's result with the sign-in the run was created as (never the token): for this extension's own commands,
 * which tell the user about the run as the sidebar lists it (Run Agent Task with Context). Not for the public API.
 */
export interface AgentTaskStarted extends AgentTaskResult {
  readonly signIn: SignIn;
}

export interface AgentTaskRunnerDeps {
  readonly client: RunApi;
  readonly context: ContextSource;
  readonly settings: () => Pick<ConfigSnapshot, 'context.enabled' | 'generation.description'>;
  readonly clock: Clock;
  readonly logger: Logger;
}

/** A state seen of a run followed here or by the codegen provider, with the sign-in it was created as (never the token). */
export interface FollowedRunState {
  readonly run: AgentRun;
  readonly signIn: SignIn;
}

export class AgentTaskRunner {
  private readonly changes: Emitter<AgentRun>;
  private readonly followed: Emitter<FollowedRunState>;
  private readonly unfinished: Emitter<FollowedRunState>;
  /** Ends background following when the runner is disposed. */
  private readonly lifetime = new AbortController();

  /** Fires with every state seen of every run this runner created. */
  readonly onDidChangeTask: Listener<AgentRun>;
  /**
   * Fires with every state seen of the runs followed here or by the codegen provider (publishFollowed), with the sign-in
   * each was created as: the sidebar shows one only while that sign-in is the one of now (TaskController.adoptFollowed).
   * Not for the public API: the sign-in holds the token's fingerprint.
   */
  readonly onDidSeeFollowedRun: Listener<FollowedRunState>;
  /**
   * A run followed here (or by the codegen provider, see handOff) is no longer followed although it had not ended:
   * its last state seen, with the sign-in it was created as. The run keeps going on the server; whoever shows it must
   * poll it from now on — as that sign-in, while it is the one of now (TaskController.takeOver). Not for the public API:
   * the sign-in holds the token's fingerprint.
   */
  readonly onDidStopFollowing: Listener<FollowedRunState>;

  constructor(private readonly deps: AgentTaskRunnerDeps) {
    const onListenerError = (err: unknown): void => deps.logger.error(`agent tasks: a listener failed: ${errorMessage(err)}`);
    this.changes = new Emitter(onListenerError);
    this.followed = new Emitter(onListenerError);
    this.unfinished = new Emitter(onListenerError);
    this.onDidChangeTask = this.changes.event;
    this.onDidSeeFollowedRun = this.followed.event;
    this.onDidStopFollowing = this.unfinished.event;
  }

  async runAgentTask(description: string, opts: AgentTaskOptions): Promise<AgentTaskResult> {
    // (Without the sign-in: the public API's answer holds nothing of the token.)
    const { run, context, warnings } = await this.runAgentTaskAs(description, opts);
    return { run, context, warnings };
  }

  /**
   * runAgentTask, with the sign-in the run was created as. `creating` is called just before the creation is sent — after
   * the context is ranked, in the turn the token is asked for (createRunAs) — for the caller to note where the account
   * stands then (TaskController.accountMoment): the ranking can take seconds, a sign-in meanwhile is no change for it.
   */
  async runAgentTaskAs(description: string, opts: AgentTaskOptions, creating?: () => void): Promise<AgentTaskStarted> {
    const settings = this.deps.settings();
    // (As a generation does: a ranking that fails starts the task without context, and the result's warnings say so.)
    const warnings: string[] = [];
    let ctx: ContextResult | undefined;
    if (opts.contextEnhancement ?? settings['context.enabled']) {
      ctx = await rankContextOrWarn(this.deps.context, contextQueryFor(description, opts), opts.signal, warnings, this.deps.logger);
    }
    const context = ctx?.items ?? [];
    const prompt = singlePrompt(
      buildPrompt({
        description: settings['generation.description'],
        prompt: description,
        ...(ctx ? { context: ctx } : {}),
        ...(opts.codebaseContext !== undefined ? { codebaseContext: opts.codebaseContext } : {}),
      }),
    );
    creating?.();
    const { run, signIn } = await createRunAs(this.deps.client, { prompt }, opts.signal);
    this.publishFollowed(run, signIn);
    if (opts.asyncExecution) {
      void this.followInBackground(run, signIn);
      return { run, context, warnings, signIn };
    }
    const final = await followOrStop(this.deps, run, signIn, opts.signal, { onUpdate: (r) => this.publishFollowed(r, signIn), onUnfinished: (r) => this.handOff(r, signIn) });
    return { run: final, context, warnings, signIn };
  }

  /** Publishes a run the sidebar follows on onDidChangeTask. */
  publish(run: AgentRun): void {
    this.changes.fire(run);
  }

  /**
   * Publishes a state of a run followed here or by the codegen provider, created as `signIn`: on onDidChangeTask, and with
   * its sign-in on onDidSeeFollowedRun.
   */
  publishFollowed(run: AgentRun, signIn: SignIn): void {
    this.changes.fire(run);
    this.followed.fire({ run, signIn });
  }

  /**
   * Reports a run followed here or elsewhere (the codegen provider), created as `signIn`, that is no longer followed
   * there, on onDidStopFollowing.
   */
  handOff(run: AgentRun, signIn: SignIn): void {
    this.unfinished.fire({ run, signIn });
  }

  dispose(): void {
    this.lifetime.abort();
    this.changes.dispose();
    this.followed.dispose();
    this.unfinished.dispose();
  }

  private async followInBackground(run: AgentRun, signIn: SignIn): Promise<void> {
    try {
      // The run belongs to the user: disposing the runner stops following it, never the run itself.
      await followRun(this.deps.client, run, {
        clock: this.deps.clock,
        logger: this.deps.logger,
        signal: this.lifetime.signal,
        signIn,
        onUpdate: (r) => this.publishFollowed(r, signIn),
        onUnfinished: (r) => this.handOff(r, signIn),
      });
    } catch (err) {
      if (!CancellationError.is(err)) this.deps.logger.warn(`Stopped following Codegen agent run ${run.id}: ${errorMessage(err)}`);
    }
  }
}
