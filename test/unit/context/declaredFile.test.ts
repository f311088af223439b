import assert from 'node:assert/strict';
import { packDefinitions, unpackDefinitions } from '../../../src/core/context/declaredFile';
import { DefinitionRecord, type Definition, type DefinitionKind } from '../../../src/core/context/model';
import { seededRandom } from './builders';

const KINDS: DefinitionKind[] = ['function', 'class', 'method', 'interface', 'type', 'enum', 'const'];

describe('declared file', () => {
  it('unpacks packed definitions to equal objects of the same shape (randomized: with and without container, doc, doc start, exported as the default)', () => {
    const random = seededRandom(17);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
    const file = 'src/a b/ünï.ts';
    for (let round = 0; round < 50; round++) {
      const definitions: Definition[] = Array.from({ length: Math.floor(random() * 8) }, (_, i) => {
        const name = pick(['a', 'constructor', '', 'x'.repeat(40), 'é😀']);
        const startLine = 1 + Math.floor(random() * 5000);
        return new DefinitionRecord(
          file,
          name,
          pick(KINDS),
          pick([undefined, '', 'Outer']),
          startLine,
          startLine + i,
          Math.floor(random() * 1e6),
          Math.floor(random() * 1e6),
          pick(['', 'function a(x: number): string', 'line\nnext']),
          startLine + 1,
          pick([undefined, 'Doc.', 'Doc\n\nmore']),
          pick([undefined, 0, startLine - 1]),
          random() < 0.5,
          random() < 0.3,
        );
      });
      const unpacked = unpackDefinitions(file, structuredClone(packDefinitions(definitions)));
      assert.deepEqual(unpacked, definitions);
      assert.deepEqual(unpacked.map((d) => d.id), definitions.map((d) => d.id));
      // Same keys in the same order (JSON and hidden classes see the same objects).
      assert.deepEqual(unpacked.map((d) => Object.keys(d)), definitions.map((d) => Object.keys(d)));
    }
  });
});
