// Where the tree-sitter runtime, the grammar wasm files and the grammars' tags.scm queries live.
// Plain data (no functions) so it can be handed to worker threads.
import path from 'node:path';
import { PARSED_LANGUAGES, TAGS_PACKAGES, type ParsedLanguage, type TagsPackage } from './languages';

export interface GrammarLocation {
  /** Absolute path of web-tree-sitter's `tree-sitter.wasm`. */
  readonly runtimeWasm: string;
  /** Absolute path of each grammar's wasm file. */
  readonly grammarWasm: Readonly<Record<ParsedLanguage, string>>;
  /** Absolute path of each grammar package's `queries/tags.scm`. */
  readonly tagsQuery: Readonly<Record<TagsPackage, string>>;
}

/**
 * The layout esbuild.mjs writes: `<distDir>/wasm/tree-sitter.wasm`, `<distDir>/wasm/tree-sitter-<grammar>.wasm`
 * and `<distDir>/queries/<package>/tags.scm`. The extension passes its dist folder, the CLI its own folder.
 */
export function grammarLocationFromDist(distDir: string): GrammarLocation {
  const wasmDir = path.join(distDir, 'wasm');
  const queriesDir = path.join(distDir, 'queries');
  return {
    runtimeWasm: path.join(wasmDir, 'tree-sitter.wasm'),
    grammarWasm: Object.fromEntries(PARSED_LANGUAGES.map((l) => [l, path.join(wasmDir, `tree-sitter-${l}.wasm`)])) as Record<ParsedLanguage, string>,
    tagsQuery: Object.fromEntries(TAGS_PACKAGES.map((p) => [p, path.join(queriesDir, p, 'tags.scm')])) as Record<TagsPackage, string>,
  };
}
