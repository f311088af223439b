import assert from 'node:assert/strict';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { location, recordingLogger, tempWorkspace } from './indexerHarness';

function write(root: string, rel: string, content: string): void {
  mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
  writeFileSync(path.join(root, rel), content);
}

describe('workspace index, a deleted folder holding a .gitignore', () => {
  it('forgets the rules of a deleted folder: a file created in the folder made again (without a .gitignore) is indexed', async () => {
    const ws = tempWorkspace();
    const logger = recordingLogger();
    const index = new WorkspaceIndex({ root: ws.root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock, maxFileKB: 256 });
    try {
      write(ws.root, 'pkg/.gitignore', 'generated.ts\n');
      write(ws.root, 'pkg/a.ts', 'export function a() {}\n');
      write(ws.root, 'pkg/generated.ts', 'export function generated() {}\n');
      await index.build();
      assert.ok(index.files.has('pkg/a.ts'));
      assert.equal(index.files.has('pkg/generated.ts'), false);
      // The folder goes (one watcher delete event for the folder), then comes back without a .gitignore.
      rmSync(path.join(ws.root, 'pkg'), { recursive: true });
      await index.removeFile('pkg');
      assert.equal(index.files.has('pkg/a.ts'), false);
      write(ws.root, 'pkg/generated.ts', 'export function generated() {}\n');
      await index.updateFile('pkg/generated.ts');
      assert.ok(index.files.has('pkg/generated.ts'), 'the deleted .gitignore still excludes pkg/generated.ts');
    } finally {
      await index.dispose();
      ws.cleanup();
    }
  });
});
