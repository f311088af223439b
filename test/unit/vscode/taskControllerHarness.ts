// The sidebar's TaskController on a test's Codegen client, as the extension wires it (import after fakeVscode: the glue
// gets the fake as its module 'vscode').
import type { CodegenClient } from '../../../src/core/api/codegenClient';
import type { Logger, StateStore } from '../../../src/core/ports';
import { RunPoller } from '../../../src/core/tasks/runPoller';
import type { AuthController } from '../../../src/vscode/auth';
import { TaskController } from '../../../src/vscode/tasks';
import type { FakeClock } from '../fakes/fakeClock';

/** A TaskController and its RunPoller on `client`, with a token stored while `hasToken` says so; `dispose` ends both. */
export function taskControllerOn(
  client: CodegenClient,
  clock: FakeClock,
  log: Logger,
  hasToken: () => boolean = () => true,
  state: StateStore = memoryState(),
): { readonly tasks: TaskController; readonly poller: RunPoller; dispose(): void } {
  const poller = new RunPoller({ client, clock, logger: log });
  const auth = { hasToken: () => Promise.resolve(hasToken()), handleRejectedToken: () => Promise.resolve(false) } as unknown as AuthController;
  const tasks = new TaskController(client, poller, auth, log, clock, state);
  return {
    tasks,
    poller,
    dispose: () => {
      tasks.dispose();
      poller.dispose();
    },
  };
}

/** A workspace state in memory (what VS Code keeps across a window reload): hand one to two controllers in turn for a reload. */
export function memoryState(): StateStore & { readonly values: Map<string, unknown> } {
  const values = new Map<string, unknown>();
  return {
    values,
    get: (key) => values.get(key),
    update: (key, value) => {
      // (As VS Code's Memento: a copy, through JSON, and undefined deletes.)
      if (value === undefined) values.delete(key);
      else values.set(key, JSON.parse(JSON.stringify(value)) as unknown);
      return Promise.resolve();
    },
  };
}
