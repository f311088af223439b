import * as vscode from 'vscode';
import * as z from 'zod';
import { isTerminal, type AgentRun, type CodegenClient, type PullRequest, type SignIn } from '../core/api/codegenClient';
import { openableLink } from '../core/api/codegenSchemas';
import { AuthenticationError, CancellationError, errorMessage } from '../core/errors';
import { Emitter, type Listener } from '../core/emitter';
import type { Clock, Logger, StateStore } from '../core/ports';
import { OwnRuns } from '../core/tasks/ownRuns';
import type { RestoredRun, RunPoller } from '../core/tasks/runPoller';
import { endedWhileClosedNotice, finishNotice, RestoredEnds } from '../core/tasks/finishNotice';
import { createRunAs } from '../core/generation/codegenProvider';
import { noticeText } from '../core/noticeText';
import { loadRepositories, repositoryPickerHint } from '../core/tasks/repositoryList';
import { stopOutcome } from '../core/tasks/stopOutcome';
import type { AuthController } from './auth';
import { Disposable } from './lifecycle';
import { showNotice, type ShowMessage } from './notice';
import { withCancellableProgress } from './progress';
import { TaskLogsProvider } from './views/taskLogs';
import type { TaskNode } from '../core/tasks/taskListModel';
import { TaskTreeProvider } from './views/taskTree';

/**
 * How long a request's answer (a create, resume or stop) or a followed run's state waits, at most, for the sign-in being
 * read (TaskController.followSignIn: the token store read) before it is taken as of an unknown sign-in.
 */
export const SIGN_IN_READ_WAIT_MS = 5_000;

/**
 * A state of a run another component follows (adoptFollowed), or its last one as it hands the run over (takeOver), held
 * while the sign-in is being read (TaskController.followedAwaitingSignIn), with the sign-in the run was created as.
 */
interface HeldFollowed {
  readonly run: AgentRun;
  readonly signIn: SignIn;
  /** Handed over: the sidebar polls it from now on (takeOver), not only shows it. */
  readonly handedOver: boolean;
}

/** The one wait for the sign-in reads under way (TaskController.signInSettled). */
interface SignInWait {
  /** Settles once no read is awaited any more, or at dispose; never rejects. */
  done: Promise<void>;
  /** Wakes the wait to look again: a read started, one timed out, or dispose. */
  wake: () => void;
}

/**
 * Whether Agent Tasks lists a run done as a sign-in (TaskController.listing): 'listed'; 'otherSignIn', signed out or
 * signed in as another token or base URL; 'otherOrganization', the same sign-in but another organization than the one
 * set now.
 */
type Listing = 'listed' | 'otherSignIn' | 'otherOrganization';

/**
 * Why a run a request answered is not this window's (sayNotListed): not listed (Listing), or 'unread' — listed by the
 * base URL of now only, the account having changed since the request was sent and the sign-in of now not read
 * (TaskController.listingAsSent).
 */
type NotListed = Exclude<Listing, 'listed'> | 'unread';

/**
 * A request whose answer followedAsNow is asked about: what was done, said when its run is not listed ("agent task #5
 * was created"), and how its run is followed once found to be this window's after all (refusedUntilSignInRead):
 * 'create', New Agent Task's creation (polled here); 'shown', Run Agent Task with Context's (another component follows
 * it, the list shows it); 'resume'; 'stop'.
 */
export interface AnsweredRequest {
  readonly what: string;
  readonly kind: 'create' | 'shown' | 'resume' | 'stop';
  /** The run was this window's (ownRuns) as the request was sent: a resume or stop of one it follows. */
  readonly ownedWhenSent?: boolean;
}

/**
 * A run whose answer came after a sign-in that could not be read (followedAsNow, 'unread'), said to be not in Agent
 * Tasks, with the sign-in its request was sent as and its newest state seen since (applyFollowed): followed once a
 * sign-in read is that one (signedInAs). 'handedOver': a 'shown' run its follower handed over (takeOver), to poll.
 */
interface RefusedRun {
  readonly run: AgentRun;
  readonly signIn: SignIn;
  readonly what: string;
  readonly kind: AnsweredRequest['kind'] | 'handedOver';
}

/**
 * Where the account stood as a request was sent (TaskController.accountMoment): its changes (sign-outs, changes of
 * endpoint) and the sign-ins reported (signed in again, maybe as another token without a sign-out), counted together —
 * both only grow, so the sum moved exactly when either did. An answer that comes once it moved is this window's only as
 * the sign-in of now read (TaskController.listingAsSent).
 */
export type AccountMoment = number;

const promptArgumentSchema = z.string().trim().min(1).max(200_000);

/** A prompt passed as a command argument, or undefined when the argument is not one (tree nodes, nothing). */
function promptArgument(arg: unknown): string | undefined {
  const parsed = promptArgumentSchema.safeParse(arg);
  return parsed.success ? parsed.data : undefined;
}

/**
 * The agent tasks feature: the tree view, polling of active runs, finish notifications and the task
 * commands (new, refresh, open in browser, logs, resume, stop, copy result, open PR).
 */
export class TaskController extends Disposable {
  readonly tree: TaskTreeProvider;
  readonly logs: TaskLogsProvider;
  private readonly view: vscode.TreeView<TaskNode>;
  private readonly taskChanged = new Emitter<AgentRun>();
  /**
   * A list load's AuthenticationError and whether it was shown already (re-sign-in offer or organization advice,
   * AuthController.handleRejectedToken): the Refresh command adds no second message.
   */
  private readonly authHandled = new WeakMap<Error, Promise<boolean>>();
  /**
   * Follow-ups whose resume failed, by run id: the next "Resume Task with Follow-up…" of that run starts with the text
   * (a failure that might have reached the run is shown, not retried: the user sends it again after a look).
   */
  private readonly unsentFollowUps = new Map<number, string>();
  /**
   * The prompt of the last "New Agent Task" not created (the creation failed, or a later step was dismissed): the next
   * one's input box starts with it, until a task is created from it. Not kept when the user cancelled the creation (it
   * may have reached the server), nor past a sign-out or a change of endpoint (the next user or organization).
   */
  private unsentPrompt: string | undefined;
  /**
   * Counts sign-outs and endpoint changes: text typed while one happened (an input box left open meanwhile, a creation
   * or resume under way) is not kept for the next user or organization either.
   */
  private accountChanges = 0;
  /**
   * Runs started or resumed in this window (created, resumed, stopped, or handed over by a follow of this window), by id,
   * until their end is reported: only their end is notified, and only they are polled at the young pace. The API gives no
   * creator on a run, so the other runs of the list (a teammate's from Slack or GitHub, or the user's own from another
   * window) are shown and kept up to date at the slow rhythm (BACKGROUND_POLL_MS), without a notification. Kept in the
   * workspace state: after a window reload they are this window's again (restoreOwnRuns).
   */
  private readonly ownRuns: OwnRuns;
  /**
   * Signed out (onAuthChanged): no run is listed (listing) — neither an answer's nor a followed run's — so none is shown,
   * polled or kept as this window's.
   */
  private signedOut = false;
  /**
   * A sign-in state (signed in, or a rejected token) was reported in this window: a later "signed out" is a sign-out. The
   * first state reported at activation is "signed out" until the stored token has been read — no sign-out, and the runs
   * kept before the reload stay kept for the sign-in that follows.
   */
  private signedInSeen = false;
  /**
   * The runs taken back after a window reload whose first poll is still to come, and those found ended at it: told in one
   * notification once all are answered (notifyEndedWhileClosed).
   */
  private readonly restoredEnds = new RestoredEnds((runs) => this.notifyEndedWhileClosed(runs));
  /** Counts the reads of the sign-in (followSignIn): only the latest one's answer is acted on. */
  private signInReads = 0;
  /**
   * The sign-in this window's runs are of (CodegenClient.signIn), as the latest sign-in reported was read (followSignIn):
   * undefined while that read is under way (signInRead) or when it failed, after a sign-out and a change of endpoint. A
   * run created, resumed or stopped as another one (signed in as another token while the request was out) is not this
   * window's.
   */
  private signInNow: SignIn | undefined;
  /** The read of the sign-in under way (followSignIn), settled once signInNow is set (or the read failed); never rejects. */
  private signInRead: Promise<void> | undefined;
  /**
   * The wait for the sign-in reads under way (signInSettled), one for all that wait: SIGN_IN_READ_WAIT_MS at most for
   * each read, ended at dispose (disposing). Undefined again as soon as it ends.
   */
  private signInWait: SignInWait | undefined;
  /**
   * The read (its signInReads number) that was waited for SIGN_IN_READ_WAIT_MS and not read: given up on, its sign-in is
   * taken as not known without waiting again, until another read starts (followSignIn) — waited for its own while.
   */
  private signInReadGivenUp = 0;
  /** Aborted at dispose: a wait for the sign-in (signInSettled) ends then, its timer with it. */
  private readonly disposing = new AbortController();
  /**
   * The newest state of each run another component follows (adoptFollowed) or hands over (takeOver) seen while the
   * sign-in was being read, with the sign-in it was created as: shown, or taken over, once the read is over
   * (showFollowedAfterSignInRead), newest only — a state seen during an earlier read does not overtake one seen later,
   * when reads overlap.
   */
  private readonly followedAwaitingSignIn = new Map<number, HeldFollowed>();
  /**
   * Runs an answer came for after a sign-in that could not be read (followedAsNow, 'unread'), said to be not in Agent
   * Tasks, by id: their followed states (adoptFollowed) are not shown, nor are they taken over (takeOver) — by listing's
   * base URL alone, the list would show what the message says it does not, maybe another token's run — until a sign-in
   * is read (signedInAs), which tells whose they are: the runs of that sign-in and of the organization listed are
   * followed then, as this window's after all (followAfterAll); the others are dropped. A list load (Refresh) shows them
   * meanwhile as any run of the list. Kept only while a read is under way: dropped when it fails (nothing is read that
   * could tell), and one is when a later request about its run is followed (followedAsNow: a Stop or Resume since, whose
   * answer is newer). Forgotten at a sign-out or a change of endpoint, as the runs of this window are.
   */
  private readonly refusedUntilSignInRead = new Map<number, RefusedRun>();
  /** Fires for every run created, changed or finished (the public API's onDidChangeTask). */
  readonly onDidChangeTask: Listener<AgentRun> = this.taskChanged.event;

  constructor(
    private readonly client: CodegenClient,
    private readonly poller: RunPoller,
    private readonly auth: AuthController,
    private readonly log: Logger,
    private readonly clock: Clock,
    /** Where this window's runs are kept across a window reload (the workspace state). */
    state: StateStore,
  ) {
    super();
    this.register({ dispose: () => this.disposing.abort() });
    this.ownRuns = new OwnRuns({ store: state, clock, logger: log });
    // (A change of the last turn before the window closes is written all the same.)
    this.register({ dispose: () => this.ownRuns.flush() });
    this.tree = this.register(
      new TaskTreeProvider(
        client,
        clock,
        log,
        (runs, readAt) => runs.filter((r) => !isTerminal(r)).forEach((r) => this.poller.track(r, { readAt, background: !this.ownRuns.has(r.id) })),
        (err) => {
          this.authHandled.set(err, this.auth.handleRejectedToken(err));
        },
      ),
    );
    this.logs = this.register(new TaskLogsProvider(client, log));
    this.view = this.register(vscode.window.createTreeView('contexten.tasks', { treeDataProvider: this.tree, showCollapseAll: true }));
    this.register({ dispose: () => this.taskChanged.dispose() });
    this.register({
      dispose: poller.onDidChange((run) => {
        // (A resumed run seen active: the old end is no longer waited out, after a reload either.)
        if (!isTerminal(run)) this.ownRuns.settle(run.id);
        this.tree.upsert(run);
        this.taskChanged.fire(run);
      }).dispose,
    });
    this.register({ dispose: poller.onDidFinish((run) => this.notifyFinished(run)).dispose });
    this.register({ dispose: poller.onDidAnswerRestored((id) => this.restoredEnds.answered(id)).dispose });
    // (A run deleted on the server would stay "running" in the tree, with its Stop action, until a refresh.)
    this.register({ dispose: poller.onDidDisappear((id) => this.runGone(id)).dispose });
    this.register({ dispose: poller.onDidFailAuthentication((err: AuthenticationError) => void this.auth.handleRejectedToken(err)).dispose });
    this.register(vscode.window.onDidChangeWindowState((s) => this.poller.setFocused(s.focused)));
    this.poller.setFocused(vscode.window.state.focused);
    this.register(this.view.onDidChangeVisibility((e) => e.visible && this.tree.refresh().catch(() => undefined)));
  }

  /** After sign-in/out: reload or clear the list (a rejected token keeps it as it is). */
  onAuthChanged(state: 'signedIn' | 'signedOut' | 'invalid'): void {
    this.signedOut = state === 'signedOut';
    const signOut = state === 'signedOut' && this.signedInSeen;
    if (state !== 'signedOut') this.signedInSeen = true;
    if (state === 'signedIn') {
      this.tree.setSignedIn(true);
      this.poller.restart();
      void this.tree.refresh().catch(() => undefined);
      this.followSignIn();
    } else if (state === 'signedOut') {
      // (What the user typed is not left for whoever signs in next, one Enter away from sending it to their organization.)
      this.accountChanges++;
      this.signInNow = undefined;
      this.unsentPrompt = undefined;
      this.unsentFollowUps.clear();
      // (Nor are the runs of this window: whoever signs in next is not told of their ends, after a reload either. The
      // "signed out" reported at activation, before the token is read, is none: the runs kept stay for that sign-in.)
      if (signOut) {
        this.ownRuns.clear();
        this.refusedUntilSignInRead.clear();
      }
      this.restoredEnds.clear();
      this.poller.clear();
      this.tree.setSignedIn(false);
    }
  }

  /**
   * The Codegen org id or base URL setting changed (a sign-in to another organization too): the list shows the runs of
   * the new endpoint. The old endpoint's runs are dropped and no longer polled, and a load under way is ended — its
   * answer, the old organization's runs, is not applied (their Stop, Resume or Logs would go to the new organization).
   */
  onEndpointChanged(): void {
    this.accountChanges++;
    this.signInNow = undefined;
    this.unsentPrompt = undefined;
    this.unsentFollowUps.clear();
    // (Kept ones too: another organization's ends are not notified, after a reload either.)
    this.ownRuns.clear();
    this.refusedUntilSignInRead.clear();
    this.restoredEnds.clear();
    this.poller.clear();
    this.tree.clear();
    // (Polling stopped by a 403 of the old organization starts again for the new one.)
    this.poller.restart();
    void this.tree.refresh().catch(() => undefined);
    // (Another base URL is another sign-in: read it, so that a run created at the one before is not taken as of this one.)
    if (!this.signedOut) this.followSignIn();
  }

  /**
   * "New Agent Task". `promptArg` (a keybinding's args, another extension, a test) creates the task at
   * once; without it the user is asked for the prompt and, optionally, a repository and model.
   */
  async newTask(promptArg?: unknown): Promise<AgentRun | undefined> {
    const given = promptArgument(promptArg);
    if (given !== undefined) return this.create({ prompt: given });
    // (Without a token the creation could only fail: said before the prompt is written. Asked of the token store, not
    // the state: right after activation that is "signed out" until the stored token has been read.)
    if (!(await this.auth.hasToken())) {
      void vscode.window.showInformationMessage('Contexten: sign in to Codegen first, then create the agent task.', 'Sign In').then((pick) => {
        if (pick === 'Sign In') void vscode.commands.executeCommand('contexten.signIn');
      });
      return undefined;
    }
    const account = this.accountChanges;
    const prompt = await vscode.window.showInputBox({
      title: 'New Codegen Agent Task',
      prompt: 'What should the agent do?',
      placeHolder: 'e.g. Add input validation to the signup form and open a PR',
      value: this.unsentPrompt ?? '',
      ignoreFocusOut: true,
      validateInput: (v) => (v.trim() ? undefined : 'Describe the task.'),
    });
    if (prompt === undefined) return undefined;
    // (Kept until a task is created from it: a failed creation, or a picker dismissed, loses nothing typed. Not when
    // the account changed while the box was open: then it is the previous user's, and the creation fails or goes on.)
    if (this.accountChanges === account) this.unsentPrompt = prompt.trim();
    const how = await vscode.window.showQuickPick(
      [
        { label: '$(play) Create task', id: 'plain' as const },
        { label: '$(repo) Create with repository and model…', id: 'options' as const },
      ],
      { title: 'New Codegen Agent Task', placeHolder: 'Create now, or attach a repository and model first', ignoreFocusOut: true },
    );
    if (!how) return undefined;
    let repoId: number | undefined;
    let model: string | undefined;
    if (how.id === 'options') {
      // (Every page, up to MAX_REPOSITORIES; the placeholder says when the organization has more.)
      const repos = await withCancellableProgress('Contexten: loading repositories…', (signal) => loadRepositories(this.client, signal));
      const pick = await vscode.window.showQuickPick(
        [{ label: 'No repository', repoId: undefined as number | undefined }, ...repos.repos.map((r) => ({ label: r.fullName || r.name, description: r.language ?? '', repoId: r.id as number | undefined }))],
        { title: 'Attach a repository', placeHolder: repositoryPickerHint(repos), ignoreFocusOut: true },
      );
      if (!pick) return undefined;
      repoId = pick.repoId;
      const m = await vscode.window.showInputBox({ title: 'Model (optional)', prompt: 'Model for the agent; leave empty for the organization default', ignoreFocusOut: true });
      if (m === undefined) return undefined;
      model = m.trim() || undefined;
    }
    let run: AgentRun;
    try {
      run = await this.create({ prompt: prompt.trim(), ...(repoId !== undefined ? { repoId } : {}), ...(model ? { model } : {}) });
    } catch (err) {
      // (Cancelled by the user, as a follow-up's resume: not offered again, the task may have been created all the same.)
      if (CancellationError.is(err) && this.unsentPrompt === prompt.trim()) this.unsentPrompt = undefined;
      throw err;
    }
    if (this.unsentPrompt === prompt.trim()) this.unsentPrompt = undefined;
    return run;
  }

  private async create(request: Parameters<CodegenClient['createRun']>[0]): Promise<AgentRun> {
    const sentAt = this.accountMoment();
    // (With the sign-in it is created as: the answer can come after a sign-in as another token, or a sign-out.)
    const { run, signIn } = await withCancellableProgress('Contexten: creating agent task…', (signal) => createRunAs(this.client, request, signal));
    if (!(await this.followedAsNow(run, signIn, sentAt, { what: `agent task #${run.id} was created`, kind: 'create' }))) return run;
    this.adopt(run, false, signIn);
    void vscode.window.showInformationMessage(`Contexten: agent task #${run.id} started.`);
    return run;
  }

  /**
   * Shows a run that another component already follows (runAgentTask, the codegen provider), created as `signIn`; no
   * second poller. Not while signed out, nor when the sign-in of now is another (signed in as another token, or at another
   * base URL, while the creation was out: the run is the account before's); one being read is waited for (a few seconds at
   * most, SIGN_IN_READ_WAIT_MS; unknown, a run of the base URL of now is shown).
   */
  adoptFollowed(run: AgentRun, signIn: SignIn): void {
    this.followedOnceSignInKnown({ run, signIn, handedOver: false });
  }

  /**
   * A state of a followed run (adoptFollowed, takeOver) shown, or the run taken over, now — or, while the sign-in is
   * being read, once it is read (followedAwaitingSignIn).
   */
  private followedOnceSignInKnown(state: HeldFollowed): void {
    // (Also while states seen during a read are still to be shown: not before them.)
    if (this.awaitingSignIn || this.followedAwaitingSignIn.size > 0) {
      const first = this.followedAwaitingSignIn.size === 0;
      const before = this.followedAwaitingSignIn.get(state.run.id);
      // (Deleted first: a state seen again is shown in the order seen. A run handed over stays handed over, as it does
      // when nothing is held — taken over, it is polled, and a state seen after only shows it: nothing follows it any
      // more but the sidebar.)
      this.followedAwaitingSignIn.delete(state.run.id);
      this.followedAwaitingSignIn.set(state.run.id, { ...state, handedOver: state.handedOver || before?.handedOver === true });
      if (first) void this.showFollowedAfterSignInRead();
      return;
    }
    this.applyFollowed(state);
  }

  /**
   * Where the account stands now (AccountMoment): taken as a request is sent — a create, resume or stop, or Run Agent
   * Task with Context's creation — to tell, as it answers, whether the account changed since (followedAsNow).
   */
  accountMoment(): AccountMoment {
    return this.accountChanges + this.signInReads;
  }

  /**
   * Whether the answer to `request` sent at `sentAt` (accountMoment) as `signIn` about `run` — New Agent Task, Resume,
   * Stop, or Run Agent Task with Context's creation (another component follows that run) — is this window's, to show and
   * follow: a run this window followed as the request was sent and still follows (a resume or stop of it), or one listed
   * as sent (listingAsSent; the sign-in being read waited for first, a few seconds at most). If not, says why of
   * `request.what` ("agent task #5 was created with 3 context items", sayNotListed): done as the account signed in before
   * — signed out, or signed in as another token or at another base URL, since it was sent — or in another organization
   * than the one listed now (the organization id changed meanwhile), or a sign-in was reported (or the organization or
   * base URL changed) and the sign-in of now could not be read — then the list leaves the run out too, until the read
   * under way ends, and follows it then if that is the sign-in it was sent as (refusedUntilSignInRead; a later request of
   * the run followed drops that, as does a read that fails). False, nothing said, once disposed: the window is closing.
   */
  async followedAsNow(run: AgentRun, signIn: SignIn, sentAt: AccountMoment, request: AnsweredRequest): Promise<boolean> {
    if (!(await this.untilSignInKnown())) return false;
    // (Still this window's: no sign-out, sign-in as another token read, or change of organization or endpoint forgot it
    // meanwhile. Refused, it would be polled and kept all the same, and back in the list at its next poll.)
    // (Followed now, as this answer has it: a state refused before — a creation's, say, before this Stop — is older, and
    // is not followed again once the sign-in is read, followAfterAll.)
    const listing = request.ownedWhenSent === true && this.ownRuns.has(run.id) ? 'listed' : this.listingAsSent(run, signIn, sentAt);
    if (listing === 'listed') {
      this.refusedUntilSignInRead.delete(run.id);
      return true;
    }
    const awaited = listing === 'unread' && this.refuseUntilSignInRead(run, signIn, request);
    sayNotListed(listing, run, request.what, this.log, awaited);
    return false;
  }

  /**
   * followedAsNow's 'unread' answer: `run` is left out of the list, as said, until a sign-in is read
   * (refusedUntilSignInRead). Shown already maybe, as a followed state by listing's base URL alone (applyFollowed): taken
   * out. (The other answers agree with listing, which applyFollowed asks too.) Kept to follow once the sign-in is read only
   * while a read is under way (one that failed reads nothing more: said so, madeWhileSignInUnread): @returns whether it is.
   */
  private refuseUntilSignInRead(run: AgentRun, signIn: SignIn, request: AnsweredRequest): boolean {
    let kind: RefusedRun['kind'] = request.kind;
    // A creation's run handed over while the sign-in was read, taken over as that read was given up on, just before this
    // answer (takeOver, applyFollowed): not this window's either, as said — not polled nor kept, its end not told (maybe
    // to another user); taken over once the sign-in read is the one it was created as. (It cannot have been this
    // window's before.)
    if ((kind === 'create' || kind === 'shown') && this.ownRuns.delete(run.id)) {
      this.poller.untrack(run.id);
      kind = 'handedOver';
    }
    this.tree.remove(run.id);
    if (this.signInRead === undefined) return false;
    this.refusedUntilSignInRead.set(run.id, { run, signIn, what: request.what, kind });
    return true;
  }

  /**
   * Whether the list shows `run`, done as `signIn` by a request sent at `sentAt` (accountMoment), as its answer comes:
   * as listing has it while the account is as it was then (no sign-out, change of endpoint or sign-in reported since:
   * the sign-in of now as far as known, isSignInNow). Once it changed — maybe to another token, without a sign-out —
   * only as the sign-in of now read and equal ('unread' while it is not known: its base URL alone would take another
   * token's run as this one's; followed once a sign-in read is the one it was sent as, followAfterAll). (The states of
   * the runs other components follow, applyFollowed, come with no such moment and keep listing's base URL while the
   * sign-in is unread — once an answer was 'unread', not for its run: followedAsNow.)
   */
  private listingAsSent(run: AgentRun, signIn: SignIn, sentAt: AccountMoment): Listing | 'unread' {
    const listing = this.listing(run, signIn);
    if (listing !== 'listed' || this.signInNow === signIn) return listing;
    const unchanged = sentAt === this.accountMoment();
    return unchanged ? listing : 'unread';
  }

  /**
   * Whether the list shows `run`, created (resumed, stopped) as `signIn`: signed in, as it — as far as known
   * (isSignInNow) — and the run of the organization set now. The one rule of the followed runs (applyFollowed) and of
   * the answers (listingAsSent, which asks more once the account changed), and of what is said when a run is not listed
   * (sayNotListed).
   */
  private listing(run: AgentRun, signIn: SignIn): Listing {
    if (this.signedOut || !this.isSignInNow(signIn)) return 'otherSignIn';
    return this.client.isCurrentOrganization(run.organizationId) ? 'listed' : 'otherOrganization';
  }

  /**
   * Shows the states adoptFollowed held, and takes over the runs takeOver held (followedAwaitingSignIn), once the sign-in
   * is read (or waited for long enough).
   */
  private async showFollowedAfterSignInRead(): Promise<void> {
    await this.untilSignInKnown();
    const held = [...this.followedAwaitingSignIn.values()];
    this.followedAwaitingSignIn.clear();
    for (const state of held) this.applyFollowed(state);
  }

  /**
   * A state of a followed run shown (showFollowed), or the run taken over (takeOverNow), the sign-in of now known (or not
   * to be waited for any longer): only a run the list shows (listing). Nothing once disposed — checked here, as it is
   * applied: a state held while the sign-in was read (followedAwaitingSignIn) is applied after a dispose meanwhile too.
   */
  private applyFollowed({ run, signIn, handedOver }: HeldFollowed): void {
    if (this.isDisposed) return;
    const refused = this.refusedUntilSignInRead.get(run.id);
    if (refused !== undefined) {
      // (Its newest state, shown — or taken over, once handed over — if the sign-in read is the one it was created as.)
      this.refusedUntilSignInRead.set(run.id, { ...refused, run, kind: handedOver ? 'handedOver' : refused.kind });
      this.log.debug(`agent tasks: run #${run.id}${handedOver ? ', handed over,' : ''} was said to be not in Agent Tasks, the sign-in not read: not ${handedOver ? 'followed' : 'shown'} until it is.`);
      return;
    }
    // (Listing's rule, not listingAsSent's: a followed state comes without the moment its run was created at. Refused
    // while the sign-in of now is unread, a run created after a sign-in read that failed once — its token read all the
    // same as it was created — would stay out of the list until the next sign-in. So here, unlike an answer after the
    // account changed, a run of the base URL of now is shown, and taken over, while the sign-in of now is not known —
    // but for a run such an answer was refused for, refusedUntilSignInRead above.)
    const listing = this.listing(run, signIn);
    if (listing !== 'listed') {
      const why = listing === 'otherSignIn' ? 'was created as another sign-in than the one of now' : `belongs to organization ${run.organizationId}, not the one listed`;
      this.log.debug(`agent tasks: run #${run.id}${handedOver ? ', handed over,' : ''} ${why}: not ${handedOver ? 'followed' : 'shown'} in Agent Tasks.`);
      return;
    }
    if (handedOver) this.takeOverNow(run, signIn);
    else this.showFollowed(run);
  }

  /** adoptFollowed, of a run the list shows (applyFollowed). */
  private showFollowed(run: AgentRun): void {
    const known = this.tree.getRun(run.id) !== undefined;
    this.tree.upsert(run);
    if (!known) void this.view.reveal({ kind: 'run', run }, { select: true, focus: false }).then(undefined, () => undefined);
  }

  /**
   * A run another component followed (runAgentTask, the codegen provider) and no longer does, though it had not ended —
   * its follow ended before the run did: an error other than a sign-in change (a follow that ends with
   * SignInChangedError hands nothing over), lost contact, or a cancel whose stop did not end it — created as
   * `signIn`: the sidebar polls it from now on (and says when it ends) as that sign-in's, while it is the one of now, as
   * adoptFollowed shows a run — not while signed out, nor as another token's, base URL's or organization's run (the
   * sign-in changed while it was followed); one being read is waited for. Nothing once disposed (applyFollowed): the
   * window is closing, and its poller and kept runs are done with (said in the log when handed over after it).
   */
  takeOver(run: AgentRun, signIn: SignIn): void {
    if (this.isDisposed) {
      this.log.debug(`agent tasks: run #${run.id} was handed over after Agent Tasks was closed: not followed.`);
      return;
    }
    this.followedOnceSignInKnown({ run, signIn, handedOver: true });
  }

  /** takeOver, of a run the list shows (applyFollowed). */
  private takeOverNow(run: AgentRun, signIn: SignIn): void {
    // A run the sidebar already follows (or saw end) is newer here than the follower's last state: left as it is — but one
    // a list load has it poll in the background is this window's run now: its end is announced, at the usual pace.
    if (this.poller.isTracking(run.id)) {
      if (this.poller.isFollowing(run.id)) {
        this.poller.foreground(run.id);
        this.own(run, signIn);
      }
      return;
    }
    this.tree.upsert(run);
    if (!isTerminal(run)) {
      this.poller.track(run);
      this.own(run, signIn);
    }
  }

  /**
   * Shows a run created or resumed here in the tree and follows it as this window's, as `signIn` (the sign-in it was
   * created or resumed as). Its callers asked followedAsNow first: a run of the sign-in and
   * organization listed.
   */
  private adopt(run: AgentRun, resumed: boolean, signIn: SignIn): void {
    this.tree.upsert(run);
    // (A resumed run is followed whatever its status: the resume's answer can show the end from before it.)
    if (resumed || !isTerminal(run)) {
      this.poller.track(run, { resumed });
      this.own(run, signIn);
    }
    this.taskChanged.fire(run);
    void this.view.reveal({ kind: 'run', run }, { select: true, focus: false }).then(undefined, () => undefined);
  }

  async refresh(): Promise<void> {
    try {
      await withCancellableProgress('Contexten: refreshing agent tasks…', (signal) => this.tree.refresh(signal));
    } catch (err) {
      const shown = err instanceof Error ? this.authHandled.get(err) : undefined;
      if (shown !== undefined && (await shown)) return;
      throw err;
    }
    await this.poller.refreshNow();
  }

  async loadMore(): Promise<void> {
    await withCancellableProgress('Contexten: loading more agent tasks…', (signal) => this.tree.loadMore(signal));
  }

  async openInBrowser(arg?: unknown): Promise<void> {
    const run = await this.pickRun(arg, (r) => !!r.webUrl);
    if (run?.webUrl) await this.openLink(run.webUrl);
  }

  async showLogs(arg?: unknown): Promise<void> {
    const run = await this.pickRun(arg);
    if (!run) return;
    await withCancellableProgress(`Contexten: loading logs of run #${run.id}…`, (signal) => this.logs.show(run.id, signal));
  }

  /** "Resume Task with Follow-up…"; `followUpArg` (as for newTask) skips the follow-up input. Returns the resumed run. */
  async resume(arg?: unknown, followUpArg?: unknown): Promise<AgentRun | undefined> {
    const run = await this.pickRun(arg);
    if (!run) return undefined;
    const account = this.accountChanges;
    const prompt =
      promptArgument(followUpArg) ??
      (await vscode.window.showInputBox({
        title: `Resume agent run #${run.id}`,
        prompt: 'Follow-up instructions for the agent',
        ignoreFocusOut: true,
        value: this.unsentFollowUps.get(run.id) ?? '',
        validateInput: (v) => (v.trim() ? undefined : 'Write a follow-up prompt.'),
      }));
    if (prompt === undefined) return undefined;
    let resumed: AgentRun;
    let signIn: SignIn;
    // (The account as the resume is sent, not as the box opened: signed out and in again while typing, the follow-up is
    // sent as the sign-in of then. The one of before only decides whether what was typed is kept, unsentFollowUps.)
    const sentAt = this.accountMoment();
    const ownedWhenSent = this.ownRuns.has(run.id);
    try {
      // (With the sign-in it is sent as — read in the same turn as the resume's first request reads the token: the answer
      // can come after a sign-in as another token, or a sign-out.)
      [signIn, resumed] = await withCancellableProgress(`Contexten: resuming run #${run.id}…`, (signal) =>
        Promise.all([this.client.signIn(), this.client.resumeRun(run.id, prompt.trim(), undefined, signal)]),
      );
    } catch (err) {
      if (!CancellationError.is(err) && this.accountChanges === account) this.unsentFollowUps.set(run.id, prompt.trim());
      throw err;
    }
    this.unsentFollowUps.delete(run.id);
    if (!(await this.followedAsNow(resumed, signIn, sentAt, { what: `run #${resumed.id} was resumed`, kind: 'resume', ownedWhenSent }))) return resumed;
    this.adopt(resumed, true, signIn);
    return resumed;
  }

  /** "Stop Task". Returns the run as the server reports it after the stop. */
  async stop(arg?: unknown): Promise<AgentRun | undefined> {
    const run = await this.pickRun(arg, (r) => !isTerminal(r));
    if (!run) return undefined;
    // (A run named by an argument or a stale tree item may have ended: nothing to stop.)
    if (isTerminal(run)) {
      void vscode.window.showInformationMessage(noticeText(`Contexten: run #${run.id} has already ended (${run.status.toLowerCase() || run.state}); there is nothing to stop.`));
      return run;
    }
    const sentAt = this.accountMoment();
    const ownedWhenSent = this.ownRuns.has(run.id);
    // (With the sign-in it is sent as, as a creation: the answer can come after a sign-in as another token, or a sign-out.)
    const [signIn, stopped] = await withCancellableProgress(`Contexten: stopping run #${run.id}…`, (signal) => Promise.all([this.client.signIn(), this.client.stopRun(run.id, signal)]));
    const outcome = stopOutcome(run.id, stopped);
    // (Not listed, what the user asked is told all the same: whether the run stopped.)
    if (!(await this.followedAsNow(stopped, signIn, sentAt, { what: `the stop of run #${stopped.id} was sent (${outcome.brief})`, kind: 'stop', ownedWhenSent }))) return stopped;
    this.tree.upsert(stopped);
    this.taskChanged.fire(stopped);
    // (A run the server did not stop keeps being polled, and its end is reported, a teammate's run too: the user acted on it.)
    if (outcome.ended) {
      this.ownRuns.delete(stopped.id);
      this.poller.untrack(stopped.id);
      this.restoredEnds.answered(stopped.id);
    } else {
      this.poller.track(stopped);
      this.own(stopped, signIn);
    }
    void (outcome.ended ? vscode.window.showInformationMessage : vscode.window.showWarningMessage)(outcome.message);
    return stopped;
  }

  async copyResult(arg?: unknown): Promise<void> {
    const node = arg as TaskNode | undefined;
    const text = node?.kind === 'detail' ? node.text : (await this.pickRun(arg, (r) => !!r.result))?.result;
    if (!text) {
      void vscode.window.showInformationMessage('Contexten: this run has no result yet.');
      return;
    }
    await vscode.env.clipboard.writeText(text);
    void vscode.window.setStatusBarMessage('$(check) Contexten: result copied', 3000);
  }

  async openPullRequest(arg?: unknown): Promise<void> {
    const node = arg as TaskNode | undefined;
    let run: AgentRun | undefined;
    let pr: PullRequest | undefined;
    if (node?.kind === 'pr') {
      run = node.run;
      pr = node.run.pullRequests[node.index];
    } else {
      run = await this.pickRun(arg, (r) => r.pullRequests.length > 0);
      if (!run) return;
      if (run.pullRequests.length === 1) pr = run.pullRequests[0];
      else pr = (await vscode.window.showQuickPick(run.pullRequests.map((p) => ({ label: p.title, description: p.url || 'no link', pr: p })), { title: `Pull requests of run #${run.id}` }))?.pr;
    }
    if (!pr) return;
    if (pr.url) {
      await this.openLink(pr.url);
      return;
    }
    // (The schema keeps only https links, or http on a loopback host: anything else arrives as no link.)
    const webUrl = run.webUrl;
    const pick = await vscode.window.showInformationMessage(
      noticeText(`Contexten: Codegen sent no usable link for the pull request "${pr.title}" of run #${run.id}.${webUrl ? ' The run\'s page lists it.' : ''}`),
      ...(webUrl ? ['Open Run in Browser'] : []),
    );
    if (pick && webUrl) await this.openLink(webUrl);
  }

  /**
   * Opens a link in the browser when it is one the sidebar may open (openableLink: https, or http on a loopback host),
   * checked here, right before: a run can come from a command's arguments (another extension's, a keybinding's), not
   * only from the server's answer, which the schema checked.
   */
  private async openLink(url: string): Promise<void> {
    const link = openableLink(url);
    if (link === undefined) {
      void vscode.window.showWarningMessage('Contexten: the link was not opened: only https links (or http ones to this computer) are.');
      return;
    }
    await vscode.env.openExternal(vscode.Uri.parse(link));
  }

  /**
   * Makes a run the poller follows (just tracked) this window's: its end is notified, here and after a window reload,
   * where it is followed again in the same active period (its pace, a resume's grace).
   */
  private own(run: AgentRun, signIn: SignIn): void {
    const period = this.poller.followed(run.id);
    if (period === undefined) return;
    // (The sign-in it is followed as — the one its request was sent as: after a reload, a run of another endpoint is not taken back, and in this window, a sign-in as another token forgets
    // it, followSignIn. Only the endpoint is kept: nothing of the token, see OwnRuns.)
    this.ownRuns.add(run.id, run.organizationId, period, signIn);
    // (A run taken back after a reload that the user resumed or stopped before its first poll: its end is of now. One
    // whose end was taken to be told with the others and that the user resumed since runs again: not told as ended.)
    this.restoredEnds.forget(run.id);
  }

  /**
   * A sign-in was reported (at activation, once the token is read; signed in again, here or in another window): reads
   * as whom (CodegenClient.signIn: endpoint and the token's fingerprint, in memory only). The runs of this window followed
   * as another token — signed in again without signing out first: another account, maybe another user — are no longer
   * its own: not polled as such nor notified, after a reload either (OwnRuns.keepAccount); the same token again keeps
   * them. (Another organization or endpoint is a change of the settings, which onEndpointChanged forgets them for too —
   * and keepAccount, whichever is told first.) Then the runs kept before a reload are taken back, once. Only the last
   * sign-in reported is read to the end.
   */
  private followSignIn(): void {
    const read = ++this.signInReads;
    const account = this.accountChanges;
    // (Not known until read: a run answered meanwhile waits for it, followedAsNow.)
    this.signInNow = undefined;
    const reading: Promise<void> = this.client
      .signIn()
      .then(
        (signIn) => this.signedInAs(signIn, read, account),
        (err: unknown) => {
          this.log.debug(`agent tasks: the sign-in is not known yet (the runs of this window are left as they are): ${errorMessage(err)}`);
          // (The last read failed: nothing tells now whose the runs refused meanwhile are. Not followed, as said then, nor
          // later — another sign-in may be another user's — and their followed states are shown by listing's rule again.)
          if (read === this.signInReads) this.dropRefused();
        },
      )
      .catch((err: unknown) => this.log.error(`agent tasks: after the sign-in was read: ${errorMessage(err)}`))
      .finally(() => {
        if (this.signInRead === reading) this.signInRead = undefined;
      });
    this.signInRead = reading;
    // (A wait under way waits for this read now, SIGN_IN_READ_WAIT_MS from its start.)
    this.signInWait?.wake();
  }

  /** The sign-in reported was read (followSignIn's read number `read`, asked when the account changes were `account`). */
  private signedInAs(signIn: SignIn, read: number, account: number): void {
    // (Signed out, or another organization or endpoint, meanwhile: the runs kept were dropped with it.)
    if (read !== this.signInReads || account !== this.accountChanges || this.signedOut) return;
    this.signInNow = signIn;
    // (Known now: those of this sign-in are this window's after all, below; the others' followed states are not shown,
    // as this sign-in's, listing.)
    const refused = [...this.refusedUntilSignInRead.values()];
    this.refusedUntilSignInRead.clear();
    const dropped = this.ownRuns.keepAccount(signIn, (org) => this.client.isCurrentOrganization(org));
    // (Listed for the new sign-in, the next list load follows them again as any run of the list: slowly, no notification.)
    for (const id of dropped) this.poller.untrack(id);
    // Another account: the ends of the one before taken to be told together (found at their first polls, no longer
    // among the runs kept) are not told to this one either, as a sign-out's are not.
    if (dropped.length > 0) this.restoredEnds.clear();
    this.restoreOwnRuns(signIn);
    for (const run of refused) this.followAfterAll(run, signIn);
  }

  /** The runs refused until a sign-in is read (refusedUntilSignInRead), dropped as its read failed: not followed. */
  private dropRefused(): void {
    if (this.refusedUntilSignInRead.size === 0) return;
    const ids = [...this.refusedUntilSignInRead.keys()].map((id) => `#${id}`).join(', ');
    this.refusedUntilSignInRead.clear();
    this.log.info(`agent tasks: the sign-in could not be read: run ${ids}, said to be not in Agent Tasks until it is, is not followed.`);
  }

  /**
   * A run said to be not in Agent Tasks, the sign-in of now unread as its answer came (refusedUntilSignInRead), once
   * `signIn` is read: this window's after all when that is the sign-in its request was sent as and the run is of the
   * organization listed — followed as its request's answer would have been, and said so, as the user was told it was not
   * (a stopped run is only listed again); another's is dropped (a list load shows it as any run). One the list shows
   * ended since (a list load, its polls in the background) is left as it is: its state is newer, nothing to follow.
   */
  private followAfterAll({ run: refusedState, signIn: sentAs, what, kind }: RefusedRun, signIn: SignIn): void {
    if (this.isDisposed || sentAs !== signIn || !this.client.isCurrentOrganization(refusedState.organizationId)) return;
    // (Taken out of the list as it was refused: a state there now was seen since, newer.)
    const shownSince = this.tree.getRun(refusedState.id);
    if (shownSince !== undefined && isTerminal(shownSince)) {
      this.log.debug(`agent tasks: ${what}; the sign-in read since is the one it was sent as, but the run has ended since: only listed.`);
      return;
    }
    const run = shownSince ?? refusedState;
    if (kind === 'stop' && isTerminal(run)) {
      this.tree.upsert(run);
      this.taskChanged.fire(run);
      return;
    }
    if (kind === 'shown') this.showFollowed(run);
    else if (kind === 'resume') this.adopt(run, true, signIn);
    // (A creation, a hand-over or a stop that did not end the run: polled as this window's; one a list load polls in the
    // background meanwhile too, and one seen ending since is left as it is, takeOverNow.)
    else this.takeOverNow(run, signIn);
    // (adopt told onDidChangeTask already; the others show it, or poll it, as a new state too.)
    if (kind !== 'resume' && this.tree.getRun(run.id) === run) this.taskChanged.fire(run);
    this.log.info(`agent tasks: ${what}; the sign-in read since is the one it was sent as: followed as this window's.`);
    void vscode.window.showInformationMessage(noticeText(`Contexten: ${what}; the sign-in, read now, is the one it was sent as, so it is in Agent Tasks after all.`));
  }

  /**
   * Follows again, as this window's, the runs it followed before a window reload (or before VS Code closed) that had not
   * ended then: of the endpoint and organization of now only (OwnRuns.restore). Each is polled within its interval (the
   * first polls spread over it, so that a reload's polls leave room for the user's own requests): one that ended
   * meanwhile gets its one finish notification (the user never saw it end; several, one together: restoredEnds); one a list load already has polled in the
   * background is polled at its own pace from now on. Asked at each sign-in (followSignIn, as `signIn`) until it is done
   * once: the sign-in is known only once the token was read.
   */
  private restoreOwnRuns(signIn: SignIn): void {
    if (!this.ownRuns.restorable) return;
    const restored: RestoredRun[] = [];
    for (const kept of this.ownRuns.restore(signIn, (id) => this.client.isCurrentOrganization(id))) {
      if (this.poller.isFollowing(kept.id)) this.poller.foreground(kept.id);
      // (Seen ending already, polled in the background: not this window's end to notify now.)
      else if (this.poller.isTracking(kept.id)) this.ownRuns.delete(kept.id);
      else restored.push({ id: kept.id, organizationId: kept.organizationId, period: { activeSince: kept.activeSince, endBefore: kept.endBefore } });
    }
    // (Their first polls spread over their interval, not all at once: see RunPoller.restore. The ends found at them are
    // told together: restoredEnds.)
    this.restoredEnds.expect(restored.map((r) => r.id));
    this.poller.restore(restored);
  }

  /**
   * The poller reports a finish right after the change it already reported (tree and onDidChangeTask updated). The
   * actions run as their commands do, through the command table's wrapper: a failure (no network for Show Logs) is
   * shown with its next step there (showNotice only logs what still escapes).
   */
  private notifyFinished(run: AgentRun): void {
    // (A run this window did not start or resume, a teammate's say, ends in the list only.)
    if (!this.ownRuns.delete(run.id)) return;
    // (Ended while VS Code was closed, found at its first poll: told with the others that did, restoredEnds.)
    if (this.restoredEnds.takeEnd(run)) return;
    this.showFinished(run);
  }

  /** A run of this window's ended: its notification, with its actions (Open PR, Copy Result, Show Logs). */
  private showFinished(run: AgentRun): void {
    const notice = finishNotice(run);
    const show: ShowMessage = notice.ok
      ? (message, ...items) => vscode.window.showInformationMessage(message, ...items)
      : (message, ...items) => vscode.window.showWarningMessage(message, ...items);
    const actions = notice.actions.map((a) => ({ title: a.title, run: () => vscode.commands.executeCommand(a.command, a.arg) }));
    showNotice(show, notice.text, actions, this.log);
  }

  /**
   * The runs of this window that ended while VS Code was closed, found at their first polls after the reload: one
   * notification for all (a button shows the Agent Tasks view, where each is), or a single run's usual one.
   */
  private notifyEndedWhileClosed(runs: readonly AgentRun[]): void {
    const [only] = runs;
    if (runs.length === 1 && only !== undefined) {
      this.showFinished(only);
      return;
    }
    const notice = endedWhileClosedNotice(runs);
    const show: ShowMessage = notice.ok
      ? (message, ...items) => vscode.window.showInformationMessage(message, ...items)
      : (message, ...items) => vscode.window.showWarningMessage(message, ...items);
    showNotice(show, notice.text, [{ title: notice.action.title, run: () => vscode.commands.executeCommand(notice.action.command) }], this.log);
  }

  /**
   * A followed run the server no longer has (a 404 twice in a row): the list drops it and says so until its next load; a
   * run of this window's, whose end the user waits to be told of, is named once in a message too.
   */
  private runGone(id: number): void {
    this.tree.remove(id, true);
    if (this.ownRuns.delete(id)) void vscode.window.showInformationMessage(`Contexten: agent run #${id} no longer exists on Codegen; it was removed from Agent Tasks.`);
  }

  /**
   * Whether `signIn` is the sign-in of now, as far as known: the one read (signInNow), or, while none is known (the read
   * under way or failed — a token stored for the base URL before is not sent to the new one), any of the base URL of
   * now: a run created at the one before is not this one's.
   */
  private isSignInNow(signIn: SignIn): boolean {
    return this.signInNow !== undefined ? this.signInNow === signIn : this.client.isCurrentEndpoint(signIn);
  }

  /**
   * Waits until no read of the sign-in is awaited (signInSettled, asked again while one is: a read started as the wait
   * ended is waited for too). @returns false when the controller was disposed meanwhile.
   */
  private async untilSignInKnown(): Promise<boolean> {
    while (this.awaitingSignIn && !this.isDisposed) await this.signInSettled();
    return !this.isDisposed;
  }

  /** A read of the sign-in is under way and not given up on (signInReadGivenUp): what depends on it waits (signInSettled). */
  private get awaitingSignIn(): boolean {
    return this.signInRead !== undefined && this.signInReadGivenUp !== this.signInReads;
  }

  /**
   * Waits for the read of the sign-in under way (signInRead; a later one too), SIGN_IN_READ_WAIT_MS at most for each
   * read, from when it is first waited for: a token store that never answers holds no create, resume or stop, nor a
   * followed run, for longer. One wait for all the callers of the while (its timer restarted for a read that starts
   * meanwhile), and none for a read that timed out, until another one starts (signInReadGivenUp); over at dispose. It
   * may end just before another read starts: untilSignInKnown asks awaitingSignIn again once it is over. Never rejects.
   */
  private signInSettled(): Promise<void> {
    if (!this.awaitingSignIn || this.isDisposed) return Promise.resolve();
    if (this.signInWait === undefined) {
      const wait: SignInWait = { done: Promise.resolve(), wake: () => undefined };
      // (Set before it starts: it clears itself, synchronously, as it ends.)
      this.signInWait = wait;
      wait.done = this.waitForSignInRead(wait);
    }
    return this.signInWait.done;
  }

  /**
   * signInSettled's one wait: until no read is awaited (awaitingSignIn) or dispose. Each read gets its own timer,
   * started when it is first waited for; its timeout gives up on that read only. Woken (`wait.wake`) when a read starts
   * (followSignIn), times out, or at dispose; no timer is left once it is over.
   */
  private async waitForSignInRead(wait: SignInWait): Promise<void> {
    let timer: ReturnType<Clock['setTimeout']> | undefined;
    let timedFor = 0;
    // (At dispose the timer goes at once, not a turn later.)
    const disposed = (): void => {
      timer?.dispose();
      wait.wake();
    };
    this.disposing.signal.addEventListener('abort', disposed, { once: true });
    try {
      while (this.awaitingSignIn && !this.isDisposed) {
        const read = this.signInReads;
        if (timedFor !== read) {
          timer?.dispose();
          timedFor = read;
          timer = this.clock.setTimeout(() => {
            // (Synchronously: a followed state or an answer of the same turn is not held again.)
            this.signInReadGivenUp = read;
            this.log.debug(`agent tasks: the sign-in was still being read after ${SIGN_IN_READ_WAIT_MS} ms: taken as not known.`);
            wait.wake();
          }, SIGN_IN_READ_WAIT_MS);
        }
        const woken = new Promise<void>((resolve) => (wait.wake = resolve));
        await Promise.race([this.signInRead, woken]);
      }
    } finally {
      timer?.dispose();
      this.disposing.signal.removeEventListener('abort', disposed);
      wait.wake = (): void => undefined;
      if (this.signInWait === wait) this.signInWait = undefined;
    }
  }

  /** The run a command applies to: its tree node argument, or one the user picks from the list. */
  private async pickRun(arg: unknown, filter: (r: AgentRun) => boolean = () => true): Promise<AgentRun | undefined> {
    const node = arg as TaskNode | undefined;
    if (node && typeof node === 'object' && 'run' in node) return this.tree.getRun(node.run.id) ?? node.run;
    if (typeof arg === 'number') return this.tree.getRun(arg) ?? (await this.client.getRun(arg));
    if (this.tree.shownRuns.length === 0) await this.tree.refresh().catch(() => undefined);
    const candidates = this.tree.shownRuns.filter(filter);
    if (candidates.length === 0) {
      void vscode.window.showInformationMessage('Contexten: no matching agent runs.');
      return undefined;
    }
    const pick = await vscode.window.showQuickPick(
      candidates.map((r) => ({ label: `#${r.id} ${r.summary?.split('\n')[0]?.slice(0, 80) ?? ''}`, description: r.status.toLowerCase(), run: r })),
      { title: 'Choose an agent run' },
    );
    return pick?.run;
  }
}

/**
 * Says that `what`, done for `run`, is not in Agent Tasks, as TaskController.listingAsSent has it: done as the account
 * signed in before (madeAsAnotherSignIn), or as the sign-in of now in another organization, the organization id changed
 * meanwhile (madeInAnotherOrganization) — or, listed by the base URL of now only, a sign-in was reported (or the
 * organization or base URL changed) meanwhile and the sign-in of now could not be read (madeWhileSignInUnread).
 */
function sayNotListed(why: NotListed, run: AgentRun, what: string, log: Logger, awaited: boolean): void {
  if (why === 'otherOrganization') madeInAnotherOrganization(what, run.organizationId, log);
  else if (why === 'otherSignIn') madeAsAnotherSignIn(what, log);
  else madeWhileSignInUnread(what, log, awaited);
}

/**
 * Says that `what` ("agent task #5 was created") was done as the account signed in before — the sign-in changed while
 * the request was out — so Agent Tasks does not list it as this one's: New Agent Task, Resume, Stop, and Run Agent Task
 * with Context (sayNotListed).
 */
function madeAsAnotherSignIn(what: string, log: Logger): void {
  log.info(`agent tasks: ${what} as the sign-in before; the sign-in changed meanwhile: not followed as this one's.`);
  void vscode.window.showInformationMessage(noticeText(`Contexten: ${what} as the account signed in before; the sign-in changed meanwhile, so it is not followed in Agent Tasks.`));
}

/**
 * Says that `what` ("agent task #5 was created") was done in organization `organizationId`, as the sign-in of now, but
 * the organization id changed while the request was out: Agent Tasks lists the runs of the one set now, not this one —
 * where it went, and how to see it (sayNotListed).
 */
function madeInAnotherOrganization(what: string, organizationId: number, log: Logger): void {
  log.info(`agent tasks: ${what} in organization ${organizationId}; the organization id changed meanwhile: not listed in Agent Tasks.`);
  void vscode.window.showInformationMessage(
    noticeText(
      `Contexten: ${what} in organization ${organizationId}; the organization id (contexten.codegen.orgId) changed meanwhile, so Agent Tasks, which lists the runs of the organization set now, does not show it. Set it back to ${organizationId} to see it there.`,
    ),
  );
}

/**
 * Says that `what` ("agent task #5 was created") is not followed in Agent Tasks: while the request was out a sign-in
 * was reported (maybe as another token, maybe the same one again, after a sign-out or not) or the organization or base
 * URL changed (and back), and the sign-in of now could not be read, so whether it is the one the request was sent as is
 * not known — the run is followed if the read under way (`awaited`) ends with that one (TaskController.followAfterAll;
 * sayNotListed), and promised no more: a read that failed, or fails, reads nothing. Said so, not "the account changed":
 * it may not have.
 */
function madeWhileSignInUnread(what: string, log: Logger, awaited: boolean): void {
  log.info(`agent tasks: ${what}; a sign-in was reported or the organization or base URL changed meanwhile, and the sign-in of now could not be read: not followed as this one's.`);
  const then = awaited ? ' for now: it is if the sign-in still being read turns out to be the one of before, in the same organization' : '';
  void vscode.window.showInformationMessage(
    noticeText(
      `Contexten: ${what}, but a sign-in was reported or the organization or base URL changed meanwhile, and the sign-in of now could not be read, so it is not followed in Agent Tasks${then}.`,
    ),
  );
}
