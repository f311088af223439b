// Runs an async iterable ahead of its consumer.

/**
 * Iterates `source` eagerly from this call on: its items are pulled as fast as it yields them and kept until
 * the consumer takes them, so the source finishes early however slowly (or late) it is consumed (a workspace
 * scan runs while the saved index loads, and ends long before the files it found are parsed). An error of the
 * source reaches the consumer after the items yielded before it, and never reaches anyone if nobody consumes.
 * When the consumer stops early the source still runs to its end: give it an AbortSignal to stop it.
 */
export function readAhead<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  let items: T[] = [];
  let finished = false;
  let failure: { readonly error: unknown } | undefined;
  let wake: (() => void) | undefined;
  const wakeConsumer = (): void => {
    const w = wake;
    wake = undefined;
    w?.();
  };
  void (async () => {
    try {
      for await (const item of source) {
        items.push(item);
        wakeConsumer();
      }
    } catch (error) {
      failure = { error };
    } finally {
      finished = true;
      wakeConsumer();
    }
  })();
  return (async function* consume(): AsyncGenerator<T> {
    for (;;) {
      if (items.length > 0) {
        // Hand out what has arrived; the producer appends to a fresh array meanwhile. Each item is let go of as it is
        // handed out: a workspace scan arrives whole long before its files are parsed, and its 50,000 file entries
        // (and the tasks made of them) would otherwise stay until the last is parsed (~12 MB at the end of a cold build).
        const arrived: (T | undefined)[] = items;
        items = [];
        for (let i = 0; i < arrived.length; i++) {
          const item = arrived[i] as T;
          arrived[i] = undefined;
          yield item;
        }
        continue;
      }
      if (finished) {
        if (failure) throw failure.error;
        return;
      }
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
    }
  })();
}
