import assert from 'node:assert/strict';
import { PathTable } from '../../../src/core/context/importResolver';
import { PathMap } from '../../../src/core/context/pathMap';
import { RemovedPaths } from '../../../src/core/context/removedPaths';
import { seededRandom } from './builders';

/** Folders and paths whose names start alike (`sub`, `sub2`, `sub.ts`): one is never under another by its name alone. */
const FOLDERS = ['sub', 'sub2', 'sub/a', 'sub/a/b', 'sub/ab', 'sub2/a', 'sub.ts', 'x', 'x/sub'];
const PATHS = ['top.ts', 'sub', 'sub.ts', 'sub2', ...FOLDERS.flatMap((f) => [`${f}/f.ts`, `${f}/g.ts`])];

describe('path map', () => {
  it('knows which folders hold keys at any depth, as walking the keys does, through random sets and deletes', () => {
    const random = seededRandom(44);
    const map = new PathMap<number>();
    for (let step = 0; step < 5_000; step++) {
      const p = PATHS[Math.floor(random() * PATHS.length)] as string;
      // (A set of a key already there replaces its value: counted once.)
      if (random() < 0.55) map.set(p, step);
      else map.delete(p);
      if (random() < 0.01) map.clear();
      for (const folder of [...FOLDERS, 'sub/a/b/f.ts', 'nowhere']) {
        const walked = [...map.keys()].some((k) => k.startsWith(`${folder}/`));
        assert.equal(map.holdsUnder(folder), walked, `step ${step}: under ${folder}`);
      }
    }
  });

  it('a path table knows the same of its paths (it keeps the paths of the index entries)', () => {
    const random = seededRandom(46);
    for (const foldsCase of [false, true]) {
      const table = new PathTable(foldsCase);
      for (let step = 0; step < 3_000; step++) {
        const p = PATHS[Math.floor(random() * PATHS.length)] as string;
        if (random() < 0.55) table.add(p);
        else table.delete(p);
        for (const folder of [...FOLDERS, 'SUB', 'nowhere']) {
          const walked = [...table.paths()].some((k) => k.startsWith(`${folder}/`));
          assert.equal(table.holdsUnder(folder), walked, `step ${step}: under ${folder}`);
        }
      }
    }
  });

  it('is a map: values, order and size as a Map', () => {
    const map = new PathMap<string>();
    map.set('b/x.ts', '1').set('a.ts', '2').set('b/x.ts', '3');
    assert.deepEqual([...map], [['b/x.ts', '3'], ['a.ts', '2']]);
    assert.equal(map.size, 2);
    assert.equal(map.delete('b/x.ts'), true);
    assert.equal(map.delete('b/x.ts'), false);
    assert.equal(map.holdsUnder('b'), false);
    assert.ok(map instanceof Map);
  });
});

describe('removed paths', () => {
  it('has a path noted, or one under a path noted (whole or under only), and no sibling whose name starts alike', () => {
    const random = seededRandom(45);
    for (let round = 0; round < 200; round++) {
      const removed = new RemovedPaths();
      const whole: string[] = [];
      const under: string[] = [];
      for (let i = Math.floor(random() * 5); i > 0; i--) {
        const p = PATHS[Math.floor(random() * PATHS.length)] as string;
        if (random() < 0.5) {
          removed.add(p);
          whole.push(p);
        } else {
          removed.addUnder(p);
          under.push(p);
        }
      }
      for (const p of [...PATHS, 'sub/a/b/f.ts/deeper.ts']) {
        const expected = whole.some((r) => p === r || p.startsWith(`${r}/`)) || under.some((r) => p.startsWith(`${r}/`));
        assert.equal(removed.has(p), expected, `round ${round}: ${p} with ${JSON.stringify({ whole, under })}`);
      }
    }
  });

  it('notes each path once', () => {
    const removed = new RemovedPaths();
    for (let i = 0; i < 3; i++) {
      removed.add('src/a.ts');
      removed.addUnder('src/b.ts');
    }
    assert.equal(removed.size, 2);
    assert.equal(removed.has('src/b.ts'), false);
    assert.equal(removed.has('src/b.ts/c.ts'), true);
  });
});
