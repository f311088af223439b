// Copies of strings cut from a larger text. V8 makes a cut of 13 characters or more a view into the whole text, so
// keeping one (in the index, in a cached result) would keep the whole text alive; a worker message's strings are
// copies already, strings cut on the same thread are not.

/** The length from which V8 makes a cut of a string a view into it (a shorter cut is a copy already). */
export const SHARED_CUT_LENGTH = 13;

/** A copy of `s` that shares no memory with the text it may have been cut from. */
export function detached<T extends string | readonly string[]>(s: T): T {
  return structuredClone(s);
}

/** `s` as it is when V8 made it a copy already (shorter than SHARED_CUT_LENGTH), else detached: a cut to keep. */
export function detachedCut(s: string): string {
  return s.length < SHARED_CUT_LENGTH ? s : detached(s);
}
