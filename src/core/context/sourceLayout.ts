// Where the parsing runtime lives when running from source (tests, bench, `tsx src/cli.ts`): grammars in the
// installed packages, the worker as TypeScript loaded through tsx. The bundled extension and CLI use the
// copies under dist/ instead (grammarLocationFromDist, workerScriptFromDist).
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { GrammarLocation } from './grammarLocation';
import { PARSED_LANGUAGES, TAGS_PACKAGES, type ParsedLanguage, type TagsPackage } from './languages';
import type { ContextHostScripts } from './contextHost';
import type { WorkerScript } from './indexWorkerStart';

/** An installed package's folder (through the resolution paths: web-tree-sitter does not export package.json). */
function packageDir(name: string): string {
  for (const base of require.resolve.paths(name) ?? []) {
    const dir = path.join(base, name);
    if (existsSync(path.join(dir, 'package.json'))) return dir;
  }
  throw new Error(`package ${name} is not installed`);
}

function grammarPackage(language: ParsedLanguage): string {
  return language === 'tsx' ? 'tree-sitter-typescript' : `tree-sitter-${language}`;
}

export function grammarLocationFromNodeModules(): GrammarLocation {
  return {
    runtimeWasm: path.join(packageDir('web-tree-sitter'), 'tree-sitter.wasm'),
    grammarWasm: Object.fromEntries(
      PARSED_LANGUAGES.map((l) => [l, path.join(packageDir(grammarPackage(l)), `tree-sitter-${l}.wasm`)]),
    ) as Record<ParsedLanguage, string>,
    tagsQuery: Object.fromEntries(
      TAGS_PACKAGES.map((p) => [p, path.join(packageDir(`tree-sitter-${p}`), 'queries', 'tags.scm')]),
    ) as Record<TagsPackage, string>,
  };
}

/** indexWorker.ts run through tsx. */
export function workerScriptFromSource(): WorkerScript {
  return { path: path.join(__dirname, 'indexWorker.ts'), execArgv: ['--import', 'tsx'] };
}

/** The engine thread (engineThreadEntry.ts) and indexWorker.ts run through tsx. */
export function contextHostScriptsFromSource(): ContextHostScripts {
  return { host: { path: path.join(__dirname, 'engineThreadEntry.ts'), execArgv: ['--import', 'tsx'] }, parser: workerScriptFromSource() };
}
