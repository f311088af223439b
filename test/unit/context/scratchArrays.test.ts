import assert from 'node:assert/strict';
import { ScratchArrays } from '../../../src/core/context/scratchArrays';
import { seededRandom } from './builders';

describe('scratch arrays', () => {
  it('hands out zero-filled arrays (every element) after holders of growing and shrinking lengths wrote below theirs', () => {
    const random = seededRandom(9);
    const scratch = new ScratchArrays();
    for (let round = 0; round < 300; round++) {
      const length = 1 + Math.floor(random() * 3_000);
      const doubles = scratch.float64('d', length);
      const bytes = scratch.uint8('b', length);
      assert.ok(doubles.length >= length && bytes.length >= length);
      assert.ok(doubles.every((v) => v === 0), `round ${round}: doubles not zero`);
      assert.ok(bytes.every((v) => v === 0), `round ${round}: bytes not zero`);
      // The holder writes anywhere below the length it asked for, the last element included.
      for (let k = 0; k < 20; k++) {
        const at = k === 0 ? length - 1 : Math.floor(random() * length);
        doubles[at] = random() + 0.5;
        bytes[at] = 1;
      }
    }
  });
});
