// A quick look at a workspace for the language of its first files, before the scan gets there: the head-started
// parse worker loads that grammar while its first files are still on their way (indexWorker.ts).
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { isAlwaysSkipped } from './alwaysSkipped';
import { languageForPath, type ParsedLanguage } from './languages';

/** Directories read at most (over all folders): the look costs well under a millisecond, and finds nothing rather than look long. */
const MAX_DIRECTORIES = 8;

/**
 * The language of the first file with a grammar in `folders` (absolute, in the scan's order), as the scan meets them:
 * folder by folder, a directory's files by name before its subdirectories, by name, depth first; what the scanner
 * always skips skipped (.git, node_modules, *.min.js, ...: alwaysSkipped.ts), and a folder nested in another left
 * to its own turn. Looks at the first few directories only; undefined when there is nothing there or nothing can be
 * read. Never throws.
 *
 * A guess, kept cheap on purpose: the workspace's excludes and .gitignore files are not read, linked files and
 * directories are not followed, and sizes are not checked (the scanner does all of these). A wrong guess costs the
 * parse worker one grammar it loads for nothing (tens of ms, while it waits for its first files anyway); the files'
 * own grammars load as they would have.
 */
export function firstParsedLanguage(folders: readonly string[], maxDirectories = MAX_DIRECTORIES): ParsedLanguage | undefined {
  const roots = folders.map((f) => path.resolve(f));
  let read = 0;
  for (const root of roots) {
    const others = new Set(roots.filter((r) => r !== root));
    const pending = [root];
    while (read < maxDirectories) {
      const dir = pending.pop();
      if (dir === undefined) break;
      read++;
      let entries: Dirent[];
      try {
        entries = readdirSync(dir, { withFileTypes: true });
      } catch {
        continue;
      }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      const dirs: string[] = [];
      for (const entry of entries) {
        if (isAlwaysSkipped(entry.name)) continue;
        if (entry.isFile()) {
          const language = languageForPath(entry.name);
          if (language !== 'text') return language;
        } else if (entry.isDirectory()) {
          const sub = path.join(dir, entry.name);
          if (!others.has(sub)) dirs.push(sub);
        }
      }
      // Depth first, the first subdirectory next.
      for (let i = dirs.length - 1; i >= 0; i--) pending.push(dirs[i] as string);
    }
  }
  return undefined;
}
