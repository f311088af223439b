// Loads web-tree-sitter and the grammars lazily: `Parser.init` once per thread, then one Language, one
// Parser and one compiled extraction query per grammar, on first use.
import { readFile } from 'node:fs/promises';
import { Language, Parser, Query } from 'web-tree-sitter';
import { errorMessage } from '../errors';
import type { Logger } from '../ports';
import type { GrammarLocation } from './grammarLocation';
import { tagsPackagesFor, type ParsedLanguage } from './languages';
import { OWN_PATTERNS } from './queryPatterns';

/** A grammar ready to parse and extract. */
export interface LoadedGrammar {
  readonly language: ParsedLanguage;
  readonly parser: Parser;
  /** tags.scm definitions (predicates we cannot run stripped) + our own definitions, imports and containers. */
  readonly query: Query;
}

/** Predicates from tags.scm that web-tree-sitter cannot run (they post-process @doc captures we compute ourselves). */
const UNSUPPORTED_PREDICATES = ['strip!', 'select-adjacent!', 'set-adjacent!'];

/** Removes `(#strip! …)`, `(#select-adjacent! …)` and `(#set-adjacent! …)` forms, respecting strings and nesting. */
export function stripUnsupportedPredicates(source: string): string {
  let out = '';
  let i = 0;
  while (i < source.length) {
    const open = source.indexOf('(#', i);
    if (open < 0) break;
    const nameEnd = source.slice(open + 2).search(/[\s)]/);
    const name = nameEnd < 0 ? '' : source.slice(open + 2, open + 2 + nameEnd);
    if (!UNSUPPORTED_PREDICATES.includes(name)) {
      out += source.slice(i, open + 2);
      i = open + 2;
      continue;
    }
    out += source.slice(i, open);
    i = skipForm(source, open);
  }
  return out + source.slice(i);
}

/** Index just past the parenthesised form starting at `open`. */
function skipForm(source: string, open: number): number {
  let depth = 0;
  for (let j = open; j < source.length; j++) {
    const ch = source[j];
    if (ch === '"') {
      for (j++; j < source.length && source[j] !== '"'; j++) if (source[j] === '\\') j++;
    } else if (ch === '(') depth++;
    else if (ch === ')' && --depth === 0) return j + 1;
  }
  return source.length;
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

export class TreeSitterLoader {
  private readonly grammars = new Map<ParsedLanguage, Promise<LoadedGrammar>>();

  constructor(
    private readonly location: GrammarLocation,
    private readonly logger: Logger,
  ) {}

  /** The grammar for a language, loaded on first use. */
  load(language: ParsedLanguage): Promise<LoadedGrammar> {
    let loaded = this.grammars.get(language);
    if (!loaded) {
      loaded = this.loadUncached(language);
      // A failed load is retried on the next call rather than cached forever.
      loaded.catch(() => this.grammars.delete(language));
      this.grammars.set(language, loaded);
    }
    return loaded;
  }

  /** Frees every parser and query (languages stay owned by the runtime). */
  async dispose(): Promise<void> {
    const all = [...this.grammars.values()];
    this.grammars.clear();
    for (const g of await Promise.allSettled(all)) {
      if (g.status === 'fulfilled') {
        g.value.parser.delete();
        g.value.query.delete();
      }
    }
  }

  private async loadUncached(language: ParsedLanguage): Promise<LoadedGrammar> {
    await initRuntime(this.location);
    const lang = await Language.load(new Uint8Array(await readFile(this.location.grammarWasm[language])));
    const query = await this.compileQuery(language, lang);
    const parser = new Parser();
    parser.setLanguage(lang);
    return { language, parser, query };
  }

  /**
   * Our own patterns always; each tags.scm only if it compiles against this grammar (a grammar update that
   * renames a node type then costs that file's patterns, logged, not the whole language).
   */
  private async compileQuery(language: ParsedLanguage, lang: Language): Promise<Query> {
    const parts: string[] = [];
    for (const pkg of tagsPackagesFor(language)) {
      const file = this.location.tagsQuery[pkg];
      try {
        const source = stripUnsupportedPredicates(await readFile(file, 'utf8'));
        new Query(lang, source).delete();
        parts.push(source);
      } catch (err) {
        this.logger.warn(`context: tags query ${file} not used for ${language}: ${errorMessage(err)}`);
      }
    }
    parts.push(OWN_PATTERNS[language]);
    const query = new Query(lang, parts.join('\n'));
    disableUnusedPatterns(query);
    return query;
  }
}

/** Captures that make a pattern worth running: tags.scm patterns with none of them (references) are switched off. */
function isResultCapture(name: string): boolean {
  return name.startsWith('definition.') || name.startsWith('import') || name === 'container';
}

/** Captures the extractor or a predicate reads; others (tags.scm's @doc, @reference.*) are switched off. */
function isReadCapture(name: string): boolean {
  return isResultCapture(name) || name === 'name' || name.startsWith('_');
}

function disableUnusedPatterns(query: Query): void {
  const names = query.captureNames;
  for (let p = 0; p < query.patternCount(); p++) {
    const quantifiers = query.captureQuantifiers[p] ?? [];
    if (!names.some((n, i) => (quantifiers[i] ?? 0) !== 0 && isResultCapture(n))) query.disablePattern(p);
  }
  for (const n of names) if (!isReadCapture(n)) query.disableCapture(n);
}
