// Loads web-tree-sitter and the grammars lazily: `Parser.init` once per thread, then one Language, one
// Parser and one compiled extraction query per grammar, on first use.
import { readFile } from 'node:fs/promises';
import { Language, Parser, Query, type ParseOptions, type ParseState, type Tree } from 'web-tree-sitter';
import { errorMessage } from '../errors';
import type { Logger } from '../ports';
import type { GrammarLocation } from './grammarLocation';
import { LANGUAGE_RULES } from './languageRules';
import { tagsPackagesFor, type ParsedLanguage } from './languages';
import { OWN_PATTERNS } from './queryPatterns';
import { isReadCapture, isResultCapture, resultPatterns } from './tagsQuerySource';
import { repairedSlice } from './functionBodies';

/** A grammar ready to parse and extract. */
export interface LoadedGrammar {
  readonly language: ParsedLanguage;
  readonly parser: Parser;
  /** tags.scm definitions (predicates we cannot run stripped) + our own definitions, imports and containers. */
  readonly query: Query;
}

let runtimeReady: Promise<void> | undefined;

/** `Parser.init` runs once per thread; later calls (even with another location) reuse the first runtime. */
function initRuntime(location: GrammarLocation): Promise<void> {
  runtimeReady ??= Parser.init({ locateFile: () => location.runtimeWasm }).catch((err: unknown) => {
    runtimeReady = undefined;
    throw err;
  });
  return runtimeReady;
}

/**
 * Characters handed to tree-sitter per read of an incremental re-parse (see textReader). Given a string, web-tree-sitter
 * answers each read with everything from the offset asked for and copies up to 5,000 characters of it into wasm memory,
 * one at a time in JavaScript; a re-parse reads a few dozen characters at many places (around the edit, and wherever a
 * reused subtree cannot be taken as it is). 128: shorter reads cost more calls where it does read on; longer ones copy
 * more than it reads (re-parses of the edits the bench types in: 64-256 cost about the same, 15-25 % less time than the
 * string).
 */
const READ_CHARS = 128;

/**
 * `text` up to `end` as parse input read in short pieces: for re-parses that read little of the text (an incremental
 * re-parse, or one limited to included ranges). A parse from scratch reads all of it, in order: give it the string.
 * With `repairs` (readSource's), the pieces are read as repairedSource would make them (only those the parse reads).
 */
export function textReader(text: string, end = text.length, repairs?: Int32Array): (index: number) => string {
  if (repairs !== undefined && repairs.length > 0) return (index) => repairedSlice(text, repairs, index, Math.min(end, index + READ_CHARS));
  return (index) => text.slice(index, Math.min(end, index + READ_CHARS));
}

/**
 * The longest a parse may take (ms) before it is given up. A parse of the largest file indexed (256 KB) takes tens of
 * milliseconds, a few hundred in slow error recovery; but some short broken texts send the grammars' error recovery
 * into a loop that never ends (a review in session 35 found a 32-character TSX text that parsed for 9.5 minutes and
 * 2.1 GB before it was killed): the thread that parses — a parse worker, or the engine thread for open documents —
 * would hang for good. Tests lower it.
 */
export const PARSE_LIMITS = {
  timeMs: 4_000,
  /**
   * After a document's parse is given up, its updates fail at once for this long (ms) rather than each spending the
   * time limit on the engine thread (the text that loops is likely still in it); then one parse is tried again.
   */
  retryAfterMs: 30_000,
};

/** A parse given up after PARSE_LIMITS.timeMs: the text is not indexed from a tree (the error says which file). */
export class ParseTimeoutError extends Error {
  /** @param repeated not parsed at all: a parse of the document was given up moments ago (PARSE_LIMITS.retryAfterMs). */
  constructor(
    readonly ms: number,
    readonly repeated = false,
  ) {
    super(`tree-sitter gave up parsing it after ${ms} ms (its error recovery did not end)${repeated ? '; not tried again yet' : ''}`);
    this.name = 'ParseTimeoutError';
  }
}

/** Progress callbacks between two looks at the clock (tree-sitter calls one every ~100 parse operations). */
const CALLS_PER_CLOCK_READ = 16;

/**
 * `parser.parse`, given up after PARSE_LIMITS.timeMs (ParseTimeoutError), and with the parser reset when the parse
 * throws (a WebAssembly trap, say) or stops (the time limit, or `options.progressCallback` returning true: then null):
 * tree-sitter keeps an unfinished parse and resumes it on the parser's next call, whatever text that call gives.
 */
export function parseOrReset(parser: Parser, input: Parameters<Parser['parse']>[0], oldTree?: Tree | null, options?: ParseOptions): Tree | null {
  const deadline = performance.now() + PARSE_LIMITS.timeMs;
  const own = options?.progressCallback as ((state: ParseState) => boolean | undefined) | undefined;
  let calls = 0;
  let timedOut = false;
  const progressCallback = (state: ParseState): boolean => {
    if (own?.(state) === true) return true;
    if (++calls % CALLS_PER_CLOCK_READ !== 0 || performance.now() < deadline) return false;
    timedOut = true;
    return true;
  };
  let tree: Tree | null;
  try {
    tree = parser.parse(input, oldTree, { ...options, progressCallback });
  } catch (err) {
    parser.reset();
    throw err;
  }
  if (tree === null) parser.reset();
  if (timedOut) throw new ParseTimeoutError(PARSE_LIMITS.timeMs);
  return tree;
}

export class TreeSitterLoader {
  private readonly grammars = new Map<ParsedLanguage, Promise<LoadedGrammar>>();
  /** Compiled grammars (wasm), ahead of their parser and query when prepared (see prepare). */
  private readonly languages = new Map<ParsedLanguage, Promise<Language>>();
  /**
   * Grammars prepare loads or loaded that no file has asked for yet, with what their load has to say (a tags query
   * left out): said when a file asks (load), never if none does.
   */
  private readonly unclaimed = new Map<ParsedLanguage, (() => void)[]>();

  constructor(
    private readonly location: GrammarLocation,
    private readonly logger: Logger,
  ) {}

  /**
   * Starts loading the tree-sitter runtime ahead of the first grammar (a parse worker does so as it starts,
   * while its first files are still on their way). A failure surfaces from `load`, which retries it.
   */
  prepareRuntime(): void {
    initRuntime(this.location).catch(() => undefined);
  }

  /** The grammar for a language, loaded on first use. */
  load(language: ParsedLanguage): Promise<LoadedGrammar> {
    let loaded = this.grammars.get(language);
    if (!loaded) {
      // A failed load stays failed (a missing or incompatible wasm does not heal): every file of the
      // language then fails fast with the same error instead of retrying the load.
      loaded = this.loadUncached(language, (message) => this.logger.warn(message));
      loaded.catch((err: unknown) => this.reportFailure(language, err));
      this.grammars.set(language, loaded);
    } else {
      // Prepared ahead: from now on it is this file's load, which says what it has to say.
      const held = this.unclaimed.get(language);
      this.unclaimed.delete(language);
      for (const say of held ?? []) say();
    }
    return loaded;
  }

  /**
   * Loads a language's grammar ahead of its first file, while `idle()` says the thread has nothing else to do (a
   * parse worker whose first files are on their way): the runtime, then the grammar's wasm, then its query — the
   * longest part, which cannot be interrupted — each only if `idle()` still holds when it would start. Whatever is
   * left is loaded by the first file's `load`, as it would have been. Nothing is logged here: what loading the grammar has to say (a failure, a tags query left out) is said
   * when a file asks for it (`load`), and not at all if none does (the guess was wrong); a grammar that failed to
   * load before any file asked is forgotten, and the first file's `load` tries again and reports the failure.
   */
  async prepare(language: ParsedLanguage, idle: () => boolean): Promise<void> {
    if (this.grammars.has(language)) return;
    try {
      await initRuntime(this.location);
      if (!idle()) return;
      await this.language(language);
    } catch {
      return;
    }
    if (!idle() || this.grammars.has(language)) return;
    const held: (() => void)[] = [];
    const say = (what: () => void): void => {
      if (this.unclaimed.get(language) === held) held.push(what);
      else what();
    };
    this.unclaimed.set(language, held);
    const loaded = this.loadUncached(language, (message) => say(() => this.logger.warn(message)));
    this.grammars.set(language, loaded);
    try {
      await loaded;
    } catch (err) {
      if (this.unclaimed.get(language) === held) {
        this.unclaimed.delete(language);
        this.grammars.delete(language);
      } else this.reportFailure(language, err);
    }
  }

  /** Frees every parser and query (languages stay owned by the runtime). */
  async dispose(): Promise<void> {
    const all = [...this.grammars.values()];
    this.grammars.clear();
    this.unclaimed.clear();
    for (const g of await Promise.allSettled(all)) {
      if (g.status === 'fulfilled') {
        g.value.parser.delete();
        g.value.query.delete();
      }
    }
  }

  private reportFailure(language: ParsedLanguage, err: unknown): void {
    this.logger.error(`context: cannot load the ${language} grammar: ${errorMessage(err)}`);
  }

  /** @param warn what is left out of the grammar's query (see compileQuery). */
  private async loadUncached(language: ParsedLanguage, warn: (message: string) => void): Promise<LoadedGrammar> {
    await initRuntime(this.location);
    const lang = await this.language(language);
    const query = await this.compileQuery(language, lang, warn);
    const parser = new Parser();
    parser.setLanguage(lang);
    return { language, parser, query };
  }

  /** A language's compiled grammar; a failure is not kept (load reports it, and keeps it). */
  private language(language: ParsedLanguage): Promise<Language> {
    let lang = this.languages.get(language);
    if (!lang) {
      lang = (async () => Language.load(new Uint8Array(await readFile(this.location.grammarWasm[language]))))();
      lang.catch(() => this.languages.delete(language));
      this.languages.set(language, lang);
    }
    return lang;
  }

  /**
   * Our own patterns always, and the patterns we use of each tags.scm (tagsQuerySource.ts), compiled once
   * together. If that fails, each tags.scm is tried on its own and left out if it does not compile against
   * this grammar (a grammar update that renames a node type then costs that file's patterns, logged, not the
   * whole language).
   */
  private async compileQuery(language: ParsedLanguage, lang: Language, warn: (message: string) => void): Promise<Query> {
    const parts: { file: string; source: string }[] = [];
    const definitionTypes = new Set(Object.keys(LANGUAGE_RULES[language].kinds));
    for (const pkg of tagsPackagesFor(language)) {
      const file = this.location.tagsQuery[pkg];
      try {
        parts.push({ file, source: resultPatterns(await readFile(file, 'utf8'), definitionTypes) });
      } catch (err) {
        warn(`context: tags query ${file} not used for ${language}: ${errorMessage(err)}`);
      }
    }
    const own = OWN_PATTERNS[language];
    let query: Query;
    try {
      query = new Query(lang, [...parts.map((p) => p.source), own].join('\n'));
    } catch {
      const usable = parts.filter(({ file, source }) => {
        try {
          new Query(lang, source).delete();
          return true;
        } catch (err) {
          warn(`context: tags query ${file} not used for ${language}: ${errorMessage(err)}`);
          return false;
        }
      });
      query = new Query(lang, [...usable.map((p) => p.source), own].join('\n'));
    }
    disableUnusedPatterns(query);
    return query;
  }
}

function disableUnusedPatterns(query: Query): void {
  const names = query.captureNames;
  for (let p = 0; p < query.patternCount(); p++) {
    const quantifiers = query.captureQuantifiers[p] ?? [];
    if (!names.some((n, i) => (quantifiers[i] ?? 0) !== 0 && isResultCapture(n))) query.disablePattern(p);
  }
  for (const n of names) if (!isReadCapture(n)) query.disableCapture(n);
}
