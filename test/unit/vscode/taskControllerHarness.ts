// The sidebar's TaskController on a test's Codegen client, as the extension wires it (import after fakeVscode: the glue
// gets the fake as its module 'vscode').
import type { CodegenClient } from '../../../src/core/api/codegenClient';
import type { Logger } from '../../../src/core/ports';
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
): { readonly tasks: TaskController; readonly poller: RunPoller; dispose(): void } {
  const poller = new RunPoller({ client, clock, logger: log });
  const auth = { hasToken: () => Promise.resolve(hasToken()), handleRejectedToken: () => Promise.resolve(false) } as unknown as AuthController;
  const tasks = new TaskController(client, poller, auth, log, clock);
  return {
    tasks,
    poller,
    dispose: () => {
      tasks.dispose();
      poller.dispose();
    },
  };
}
