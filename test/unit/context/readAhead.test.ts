import assert from 'node:assert/strict';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { readAhead } from '../../../src/core/context/readAhead';

describe('readAhead', () => {
  it('yields every item in order, items that arrive while the consumer waits included', async () => {
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 50; i++) {
        if (i % 7 === 0) await new Promise((r) => setImmediate(r));
        yield i;
      }
    }
    const out: number[] = [];
    for await (const n of readAhead(source())) out.push(n);
    assert.deepEqual(out, Array.from({ length: 50 }, (_, i) => i));
  });

  it('lets go of the items it has handed out while later ones wait', async () => {
    setFlagsFromString('--expose-gc');
    const gc = runInNewContext('gc') as () => void;
    const taken: WeakRef<object>[] = [];
    async function* source(): AsyncGenerator<object> {
      for (let i = 0; i < 5; i++) yield { i };
    }
    const it = readAhead(source());
    // The source has yielded everything by the time the consumer's first item is handed out.
    for (let i = 0; i < 3; i++) {
      const { value } = await it.next();
      taken.push(new WeakRef(value as object));
    }
    await new Promise((r) => setImmediate(r));
    gc();
    // (The last one handed out is the generator's until the next is asked for.)
    assert.deepEqual(
      taken.slice(0, 2).map((t) => t.deref()),
      [undefined, undefined],
    );
    assert.deepEqual((await it.next()).value, { i: 3 });
  });

  it('runs the source to its end while the consumer is still on its first item', async () => {
    let finished!: () => void;
    const sourceFinished = new Promise<void>((r) => (finished = r));
    let produced = 0;
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 5; i++) {
        await Promise.resolve();
        produced++;
        yield i;
      }
      finished();
    }
    const it = readAhead(source());
    assert.deepEqual(await it.next(), { value: 0, done: false });
    // A lazy iteration would stop after the first item and this would never resolve (the test would time out).
    await sourceFinished;
    assert.equal(produced, 5);
    const rest: number[] = [];
    for await (const n of it) rest.push(n);
    assert.deepEqual(rest, [1, 2, 3, 4]);
  });

  it('starts pulling the source when called, before anyone asks for an item', async () => {
    let finished!: () => void;
    const sourceFinished = new Promise<void>((r) => (finished = r));
    async function* source(): AsyncGenerator<number> {
      for (let i = 0; i < 3; i++) {
        await Promise.resolve();
        yield i;
      }
      finished();
    }
    const it = readAhead(source());
    // Nothing has been asked of `it` yet: a lazy start would never finish the source (the test would time out).
    await sourceFinished;
    const out: number[] = [];
    for await (const n of it) out.push(n);
    assert.deepEqual(out, [0, 1, 2]);
  });

  it('keeps a source error to itself when nobody consumes', async () => {
    let failed!: () => void;
    const sourceFailed = new Promise<void>((r) => (failed = r));
    async function* source(): AsyncGenerator<number> {
      await Promise.resolve();
      failed();
      throw new Error('never consumed');
    }
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on('unhandledRejection', onUnhandled);
    try {
      readAhead(source());
      await sourceFailed;
      await new Promise((r) => setImmediate(r));
    } finally {
      process.off('unhandledRejection', onUnhandled);
    }
    assert.deepEqual(unhandled, []);
  });

  it('throws the source error after the items yielded before it', async () => {
    async function* source(): AsyncGenerator<string> {
      yield 'a';
      await Promise.resolve();
      yield 'b';
      throw new Error('scan failed');
    }
    const seen: string[] = [];
    await assert.rejects(async () => {
      for await (const s of readAhead(source())) seen.push(s);
    }, /scan failed/);
    assert.deepEqual(seen, ['a', 'b']);
  });
});
