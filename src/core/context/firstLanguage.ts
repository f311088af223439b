// A quick look at a workspace for the language of its first files, before the scan gets there: the head-started
// parse worker loads that grammar while its first files are still on their way (indexWorker.ts).
import { readdirSync, type Dirent } from 'node:fs';
import path from 'node:path';
import { languageForPath, type ParsedLanguage } from './languages';

/** Directories read at most: the look costs well under a millisecond, and finds nothing rather than look long. */
const MAX_DIRECTORIES = 8;

/**
 * The language of the first file with a grammar in `root`, in the scan's order (a directory's files by name before
 * its subdirectories, by name, depth first; hidden entries and node_modules skipped), within the first few
 * directories; undefined when there is none there or the root cannot be read. A guess: the workspace's excludes and
 * ignore files are not read.
 */
export function firstParsedLanguage(root: string, maxDirectories = MAX_DIRECTORIES): ParsedLanguage | undefined {
  const pending = [root];
  for (let read = 0; read < maxDirectories; read++) {
    const dir = pending.pop();
    if (dir === undefined) return undefined;
    let entries: Dirent[];
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const dirs: string[] = [];
    for (const entry of entries) {
      if (entry.name.startsWith('.') || entry.name === 'node_modules') continue;
      if (entry.isFile()) {
        const language = languageForPath(entry.name);
        if (language !== 'text') return language;
      } else if (entry.isDirectory()) dirs.push(path.join(dir, entry.name));
    }
    // Depth first, the first subdirectory next.
    for (let i = dirs.length - 1; i >= 0; i--) pending.push(dirs[i] as string);
  }
  return undefined;
}
