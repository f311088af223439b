import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { location, recordingLogger, snapshotOf, tempWorkspace } from './indexerHarness';

describe('saved index (workspace)', () => {
  it('reopens to an index equal to the cold one for a minified file whose signature cut would split an emoji', async () => {
    const ws = tempWorkspace();
    const storage = tempWorkspace();
    const logger = recordingLogger();
    const open = (): WorkspaceIndex => new WorkspaceIndex({ root: ws.root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock, maxFileKB: 256, storageDir: storage.root });
    try {
      mkdirSync(path.join(ws.root, 'src'), { recursive: true });
      // 'export function f(a = "' is 23 chars, x372: a 400-char cut would land inside the 3rd emoji.
      writeFileSync(path.join(ws.root, 'src/min.js'), `export function f(a = "${'x'.repeat(372)}\u{1F600}\u{1F600}\u{1F600}") { return a; }\n`);
      const cold = open();
      await cold.build();
      const coldSnapshot = snapshotOf(cold.files);
      const sig = cold.files.get('src/min.js')?.definitions[0]?.signature ?? '';
      assert.ok(sig.length === 399 && sig.endsWith('\u{1F600}\u{1F600}'), `the cut keeps whole emoji: ${sig.length} ${[...sig.slice(-3)].map((c) => c.codePointAt(0)?.toString(16)).join(' ')}`);
      await cold.dispose();
      const warm = open();
      const stats = await warm.build();
      assert.equal(stats.parsed, 0, 'loaded from the cache');
      assert.deepEqual(snapshotOf(warm.files), coldSnapshot);
      await warm.dispose();
    } finally {
      ws.cleanup();
      storage.cleanup();
    }
  });
});
