// Direct web-tree-sitter loading for the benchmark's own measurements (the parse-only floor and the
// eval case extraction). The grammars come straight from node_modules, like the build copies them.
import path from 'node:path';
import { Language, Parser } from 'web-tree-sitter';

export type GrammarName = 'typescript' | 'tsx' | 'javascript' | 'python' | 'go' | 'rust' | 'java';

const NODE_MODULES = path.join(path.resolve(__dirname, '..'), 'node_modules');

const GRAMMAR_WASM: Record<GrammarName, string> = {
  typescript: 'tree-sitter-typescript/tree-sitter-typescript.wasm',
  tsx: 'tree-sitter-typescript/tree-sitter-tsx.wasm',
  javascript: 'tree-sitter-javascript/tree-sitter-javascript.wasm',
  python: 'tree-sitter-python/tree-sitter-python.wasm',
  go: 'tree-sitter-go/tree-sitter-go.wasm',
  rust: 'tree-sitter-rust/tree-sitter-rust.wasm',
  java: 'tree-sitter-java/tree-sitter-java.wasm',
};

const GRAMMAR_BY_EXTENSION: Readonly<Record<string, GrammarName>> = {
  '.ts': 'typescript',
  '.mts': 'typescript',
  '.cts': 'typescript',
  '.tsx': 'tsx',
  '.js': 'javascript',
  '.mjs': 'javascript',
  '.cjs': 'javascript',
  '.jsx': 'javascript',
  '.py': 'python',
  '.go': 'go',
  '.rs': 'rust',
  '.java': 'java',
};

/** The grammar that parses a file, by extension, or undefined for files without one. */
export function grammarForPath(file: string): GrammarName | undefined {
  return GRAMMAR_BY_EXTENSION[path.extname(file).toLowerCase()];
}

let initialised: Promise<void> | undefined;

function initParser(): Promise<void> {
  initialised ??= Parser.init({
    locateFile: (name: string) => path.join(NODE_MODULES, 'web-tree-sitter', name),
  });
  return initialised;
}

/** Loads the named grammars (each once) after initialising web-tree-sitter. */
export async function loadGrammars(names: Iterable<GrammarName>): Promise<Map<GrammarName, Language>> {
  await initParser();
  const out = new Map<GrammarName, Language>();
  for (const name of new Set(names)) {
    out.set(name, await Language.load(path.join(NODE_MODULES, GRAMMAR_WASM[name])));
  }
  return out;
}

/** A parser per grammar, created lazily; call `dispose` to free the wasm memory. */
export class ParserPool {
  private readonly parsers = new Map<GrammarName, Parser>();

  constructor(private readonly languages: ReadonlyMap<GrammarName, Language>) {}

  parserFor(name: GrammarName): Parser {
    let parser = this.parsers.get(name);
    if (!parser) {
      const language = this.languages.get(name);
      if (!language) throw new Error(`grammar ${name} was not loaded`);
      parser = new Parser().setLanguage(language);
      this.parsers.set(name, parser);
    }
    return parser;
  }

  dispose(): void {
    for (const p of this.parsers.values()) p.delete();
    this.parsers.clear();
  }
}
