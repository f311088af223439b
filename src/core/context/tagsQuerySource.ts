// Prepares a grammar's tags.scm for our extraction query. Only its definition patterns are used (and of those
// only the ones for node types the extractor keeps), and none of its doc-comment machinery (doc comments are
// read by the extractor), so the rest is cut from the source before compiling: compiling a query costs in
// proportion to its patterns (a tenth of a second per worker for TypeScript's tags.scm as shipped), and the
// patterns left run faster too.

/** Predicates from tags.scm that web-tree-sitter cannot run (they post-process @doc captures we compute ourselves). */
const UNSUPPORTED_PREDICATES = ['strip!', 'select-adjacent!', 'set-adjacent!'];

/** Captures that make a pattern worth running: tags.scm patterns with none of them (references) are not used. */
export function isResultCapture(name: string): boolean {
  return name.startsWith('definition.') || name.startsWith('import') || name === 'container' || name === EXPORTED_NAME_CAPTURE || name === EXPORTED_DEFAULT_CAPTURE;
}

/** Our capture of a name a module exports apart from its declaration (queryPatterns.ts JS_EXPORTED_NAMES). */
export const EXPORTED_NAME_CAPTURE = 'export.name';

/** Our capture of a name a module exports as its default apart from its declaration (queryPatterns.ts JS_EXPORTED_DEFAULTS). */
export const EXPORTED_DEFAULT_CAPTURE = 'export.default';

/** Captures the extractor or a predicate reads; others (tags.scm's @doc, @reference.*) are switched off. */
export function isReadCapture(name: string): boolean {
  return isResultCapture(name) || name === 'name' || name.startsWith('_');
}

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

/**
 * The top-level patterns of a query source, each with the captures and quantifiers that follow it
 * (`(a) @x`, `[(b) (c)]* @y`); `;` comments between patterns are dropped.
 */
export function topLevelPatterns(source: string): string[] {
  const out: string[] = [];
  let start = -1;
  let depth = 0;
  for (let i = 0; i < source.length; i++) {
    const ch = source[i];
    if (ch === '"') {
      for (i++; i < source.length && source[i] !== '"'; i++) if (source[i] === '\\') i++;
    } else if (ch === ';') {
      if (depth === 0 && start >= 0) out.push(source.slice(start, i).trim());
      if (depth === 0) start = -1;
      while (i < source.length && source[i] !== '\n') i++;
    } else if (ch === '(' || ch === '[') {
      if (depth === 0) {
        if (start >= 0) out.push(source.slice(start, i).trim());
        start = i;
      }
      depth++;
    } else if (ch === ')' || ch === ']') depth--;
  }
  if (start >= 0) out.push(source.slice(start).trim());
  return out.filter((p) => p !== '');
}

const CAPTURE = /@([\w.-]+)/g;
/** `(comment)* @doc .`: a run of comments captured for the doc, anchored to the definition after it. */
const DOC_PREFIX = /\(\w+\)\*\s*@([\w.-]+)\s*\.\s*/g;

/** Index of the bracket opening the form that ends just before `end` (white space aside), or -1. */
function formStart(pattern: string, end: number): number {
  let i = end - 1;
  while (i >= 0 && /\s/.test(pattern.charAt(i))) i--;
  const close = pattern.charAt(i);
  if (close !== ')' && close !== ']') return -1;
  let depth = 0;
  for (; i >= 0; i--) {
    const ch = pattern.charAt(i);
    if (ch === ')' || ch === ']') depth++;
    else if ((ch === '(' || ch === '[') && --depth === 0) return i;
  }
  return -1;
}

/**
 * The node types a capture at `at` applies to: `(type …) @x` gives [type], `[(a …) (b …)] @x` gives [a, b];
 * undefined when the pattern does not say (a wildcard, a nested group).
 */
function capturedTypes(pattern: string, at: number): string[] | undefined {
  const open = formStart(pattern, at);
  if (open < 0) return undefined;
  const type = (from: number): string | undefined => {
    const t = /^\(([a-z_][\w]*)/.exec(pattern.slice(from))?.[1];
    return t === '_' ? undefined : t;
  };
  if (pattern.charAt(open) === '(') {
    const t = type(open);
    return t === undefined ? undefined : [t];
  }
  const types: string[] = [];
  let depth = 0;
  for (let i = open + 1; i < pattern.length; i++) {
    const ch = pattern.charAt(i);
    if (ch === '(' || ch === '[') {
      if (depth === 0) {
        const t = ch === '(' ? type(i) : undefined;
        if (t === undefined) return undefined;
        types.push(t);
      }
      depth++;
    } else if (ch === ')' || ch === ']') {
      if (depth === 0) return types;
      depth--;
    }
  }
  return undefined;
}

/**
 * The tags.scm patterns the extractor uses: those with an import or container capture, or a definition
 * capture on a node type the extractor has a kind for (`definitionTypes`: definitions of other types, such
 * as modules, are dropped anyway), without their leading `(comment)* @doc .` (zero or more comments: the
 * same definitions match without it).
 */
export function resultPatterns(source: string, definitionTypes: ReadonlySet<string>): string {
  const kept: string[] = [];
  for (const pattern of topLevelPatterns(stripUnsupportedPredicates(source))) {
    const used = [...pattern.matchAll(CAPTURE)].some((m) => {
      const name = m[1] ?? '';
      if (!isResultCapture(name)) return false;
      if (!name.startsWith('definition.')) return true;
      const types = capturedTypes(pattern, m.index);
      return types === undefined || types.some((t) => definitionTypes.has(t));
    });
    if (used) kept.push(pattern.replace(DOC_PREFIX, (prefix, capture: string) => (isReadCapture(capture) ? prefix : '')));
  }
  return kept.join('\n');
}
