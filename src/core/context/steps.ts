// Work done in steps: a generator that yields where a caller may let the event loop run, and returns its result.

/** Runs the steps to their end at once and returns the result. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}
