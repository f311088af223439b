// Work done in steps: a generator that yields where a caller may let the event loop run, and returns its result.

/** Runs the steps to their end at once and returns the result. */
export function runToEnd<T>(steps: Generator<void, T, void>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** Counts the work of a loop run in steps: `spend` says when a step's worth is done (the loop yields then). */
export class StepBudget {
  private spent = 0;

  constructor(private readonly perStep: number) {}

  /** Adds `work` done; true (and a new step begins) once this step's worth is reached. */
  spend(work: number): boolean {
    this.spent += work;
    if (this.spent < this.perStep) return false;
    this.spent = 0;
    return true;
  }
}

/**
 * Work in steps on an object that nothing else may change, nor start again, until the steps are done: `run` marks it
 * under way, and the object's other changes call `assertIdle`, which throws meanwhile.
 */
export class ExclusiveSteps {
  private running = false;

  /** @param owner the object's name and @param work what it does in steps (for the message), e.g. 'Bm25Index', 'settle'. */
  constructor(
    private readonly owner: string,
    private readonly work: string,
  ) {}

  /** Throws when steps are under way: `action` (e.g. 'a document added') would change what they work on. */
  assertIdle(action: string): void {
    if (this.running) throw new Error(`${this.owner}: ${action} while a ${this.work} in steps is under way`);
  }

  /** Runs `steps`, under way from the first step to the end (or until abandoned: a return or throw through it). */
  *run<T>(steps: Generator<void, T, void>): Generator<void, T, void> {
    this.assertIdle(`a ${this.work} begun`);
    this.running = true;
    try {
      return yield* steps;
    } finally {
      this.running = false;
    }
  }
}
