// The engine thread for contextHost.test.ts's log test (started through tsx, as engineThreadEntry.ts is): the real one,
// except that its index gets one more change listener, which fails as a bug would (a TypeError, with a cause) when a
// changed file's name contains BUG, and with one of the product's own errors when it contains EXPECTED.
import { startEngine } from '../../../src/core/context/contextHostWorker';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { ConfigurationError } from '../../../src/core/errors';

interface Settings {
  readonly limit?: number;
}

function readLimit(settings: Settings | undefined): number {
  // (The bug: settings may be missing.)
  return (settings as Settings).limit ?? 0;
}

const onDidChange = WorkspaceIndex.prototype.onDidChange;
let added = false;
WorkspaceIndex.prototype.onDidChange = function (this: WorkspaceIndex, listener) {
  if (!added) {
    added = true;
    onDidChange.call(this, (change) => {
      if (change.changed.some((p) => p.includes('BUG'))) {
        try {
          readLimit(undefined);
        } catch (err) {
          throw new TypeError('the change listener broke', { cause: err });
        }
      }
      if (change.changed.some((p) => p.includes('EXPECTED'))) throw new ConfigurationError('a setting the listener needs is missing');
    });
  }
  return onDidChange.call(this, listener);
};

startEngine();
