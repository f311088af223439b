import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { FileProcessor } from '../../../src/core/context/fileProcessor';
import { EXTRACTOR_VERSION, indexCacheFile, loadIndex, saveIndex } from '../../../src/core/context/indexPersistence';
import type { FileData } from '../../../src/core/context/storedFile';
import { loader, recordingLogger, tempWorkspace } from './indexerHarness';

async function sampleFiles(): Promise<FileData[]> {
  const processor = new FileProcessor(loader(), 1 << 20);
  try {
    return [
      await processor.processDocument('src/a.ts', "import { helper } from './b';\n/** A. */\nexport class A {\n  run(): void { helper(); }\n}\n"),
      await processor.processDocument('src/b.py', 'def helper():\n    """Helps."""\n    return other()\n'),
      await processor.processDocument('notes.md', 'The run method calls b.\n'),
    ].map((f, i) => ({ ...f, mtimeMs: 1_000 + i + 0.5 }));
  } finally {
    processor.dispose();
  }
}

describe('index persistence', () => {
  let storage: { root: string; cleanup: () => void };
  const root = '/work/some-workspace';
  beforeEach(() => {
    storage = tempWorkspace();
  });
  afterEach(() => storage.cleanup());

  it('saves and loads files and skipped entries exactly', async () => {
    const files = await sampleFiles();
    const skipped = [{ path: 'logo.dat', size: 10, mtimeMs: 5, reason: 'binary' as const }];
    await saveIndex(storage.root, root, files, skipped);
    const logger = recordingLogger();
    const loaded = await loadIndex(storage.root, root, logger);
    assert.ok(loaded);
    assert.deepEqual(loaded.files, files);
    assert.deepEqual(loaded.skipped, skipped);
    assert.deepEqual(logger.lines, []);
  });

  it('has nothing to load for a workspace never saved', async () => {
    const logger = recordingLogger();
    assert.equal(await loadIndex(storage.root, root, logger), undefined);
    assert.deepEqual(logger.lines, []);
  });

  it('discards a corrupt, truncated, foreign or outdated cache with a log line', async () => {
    const files = await sampleFiles();
    await saveIndex(storage.root, root, files, []);
    const file = indexCacheFile(storage.root, root);
    const good = readFileSync(file, 'utf8');
    const lines = good.trimEnd().split('\n');
    const variants: Record<string, string> = {
      'not JSON': good.replace(/\n\["f"/, '\n{oops["f"'),
      truncated: `${lines.slice(0, -1).join('\n')}\n`,
      'wrong shape': `${lines.slice(0, 2).join('\n')}\n["f","x.ts","klingon",1,1,"h",[],[],[],[]]\n${lines.slice(3).join('\n')}\n`,
      'index out of range': good.replace(/\[(\d+,)*\d+\]\]\n/, '[99999,1,0]]\n'),
      outdated: good.replace(`"version":${EXTRACTOR_VERSION}`, `"version":${EXTRACTOR_VERSION + 1}`),
      'another workspace': good.replace(JSON.stringify(root), JSON.stringify('/elsewhere')),
      empty: '',
    };
    for (const [what, content] of Object.entries(variants)) {
      assert.notEqual(content, good, what);
      writeFileSync(file, content);
      const logger = recordingLogger();
      assert.equal(await loadIndex(storage.root, root, logger), undefined, what);
      assert.equal(logger.lines.filter((l) => l.level === 'warn' && l.message.includes('discarding the saved index')).length, 1, what);
    }
  });

  it('keeps one cache per workspace folder', () => {
    assert.notEqual(indexCacheFile('/s', '/a'), indexCacheFile('/s', '/b'));
    assert.equal(indexCacheFile('/s', '/a/'), indexCacheFile('/s', '/a'));
  });
});
