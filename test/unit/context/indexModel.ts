// A model of a workspace changing under the editor, for the randomized test of WorkspaceIndex
// (workspaceIndexModel.test.ts): random steps change a real folder on disk and the editor's open documents, and report
// each change to the index as the extension's glue (src/vscode/contextService.ts) does. The test then compares the
// index with a fresh one of the disk and the documents the index was sent.
import { existsSync, lstatSync, readdirSync, readFileSync, renameSync, rmSync, statSync, symlinkSync } from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { pick, randomInt, shuffled } from '../../../bench/seededRandom';
import type { TextChange } from '../../../src/core/context/fileProcessor';
import { isAtOrUnder } from '../../../src/core/context/folderPaths';
import type { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import type { Random } from '../../../src/core/ports';
import { write } from './indexerHarness';

/** An editor document: `sent` once the index was given its text (it indexes it from the text until it is closed). */
interface Doc {
  text: string;
  /** Edited since opened or saved: the glue drops the watcher's create/change events for its path. */
  dirty: boolean;
  sent: boolean;
}

const FILE_NAMES = ['a', 'b', 'c', 'util', 'main', 'mod', 'types', 'api'];
const EXTENSIONS = ['.ts', '.ts', '.js', '.py', '.py', '.md'];
const FOLDER_NAMES = ['src', 'lib', 'core', 'pkg', 'docs', 'x', 'y', 'build'];
export const WORDS = ['parse', 'load', 'user', 'config', 'cache', 'render', 'token', 'order'];

/** Names the runner's exclude globs (MODEL_EXCLUDE) match, drawn only in that mode: a folder name and an extension. */
export const EXCLUDED_FOLDER_NAME = 'gen';
export const EXCLUDED_EXTENSION = '.txt';

/**
 * The workspace's layout: one folder (the root), or several (MODEL_MULTI: `folders`, each the directory of that name
 * under the root, so that the index path `api/src/a.ts` is the disk path `<root>/api/src/a.ts`); and whether names
 * the exclude globs match are drawn too (MODEL_EXCLUDE). The default leaves the random sequences as they were.
 */
export interface ModelLayout {
  readonly folders?: readonly string[];
  readonly excludedNames?: boolean;
  /** Whether a workspace folder itself may be deleted and made again (MODEL_ROOTS, with `folders`). */
  readonly rootMoves?: boolean;
  /** Whether a folder made may come with a .gitignore of its own (MODEL_NEWRULES). */
  readonly newFolderRules?: boolean;
  /** Whether a rename may land on open documents whose files are gone (MODEL_ONTODOCS). */
  readonly ontoDocuments?: boolean;
  /** Whether symbolic links to files are made (MODEL_LINKS). */
  readonly links?: boolean;
  /**
   * A folder outside the workspace holding folders (OUTSIDE_FOLDERS) that symbolic links to folders lead to, several to
   * one, made and deleted (MODEL_DIRLINKS); links into the workspace and to its top are made too.
   */
  readonly outside?: string;
  /** Whether files and folders are renamed in case only, the root being on a disk that folds case (MODEL_CASE). */
  readonly caseRenames?: boolean;
  /**
   * Whether tsconfig.json and package.json files are drawn too (MODEL_PROJECTS), and TS/JS files import by bare
   * specifiers their `paths` and package names resolve.
   */
  readonly projects?: boolean;
}

/** The folders under ModelLayout.outside links lead to, one inside another; each holds a file. */
export const OUTSIDE_FOLDERS = ['o1', 'o1/sub', 'o2'];

/** Each workspace folder's .gitignore (by its place in the layout), as populate writes it and a folder made again has it. */
function folderRules(i: number): string {
  return ['build/\n*.log\n', '*.log\n*.md\n', 'build/\n'][i] ?? '';
}

function namesOf(layout: ModelLayout): { extensions: readonly string[]; folderNames: readonly string[]; fileNames: readonly string[] } {
  const names = layout.excludedNames
    ? { extensions: [...EXTENSIONS, EXCLUDED_EXTENSION], folderNames: [...FOLDER_NAMES, EXCLUDED_FOLDER_NAME, EXCLUDED_FOLDER_NAME] }
    : { extensions: EXTENSIONS, folderNames: FOLDER_NAMES };
  return layout.projects
    ? { extensions: [...names.extensions, '.json', '.json', '.json'], folderNames: names.folderNames, fileNames: [...FILE_NAMES, 'tsconfig', 'tsconfig', 'package', 'package', 'index'] }
    : { ...names, fileNames: FILE_NAMES };
}

const under = (rel: string) => (p: string): boolean => isAtOrUnder(rel, p);

/** What the model reports to: the index, or LaggingReports in front of it. */
export type IndexReports = Pick<WorkspaceIndex, 'updateFile' | 'fileChangedUnderDocument' | 'removeFile' | 'renameFile' | 'updateDocument' | 'closeDocument'>;

/**
 * The watcher's events late: each create/change (updateFile) or delete (removeFile) is held, by `chance`, until a
 * later step delivers it (with the events after it: the watcher's events keep their order); the editor's reports
 * (renames, documents) go at once. In the product the watcher's events reach the extension host by another way than
 * the editor's, after further changes on disk.
 */
export class LaggingReports implements IndexReports {
  private readonly held: (() => Promise<unknown>)[] = [];

  constructor(
    public index: WorkspaceIndex,
    private readonly random: Random,
    private readonly chance: number,
  ) {}

  updateFile(rel: string): Promise<void> {
    return this.maybeLater(() => this.index.updateFile(rel));
  }

  removeFile(rel: string): Promise<void> {
    return this.maybeLater(() => this.index.removeFile(rel));
  }

  /** (At once: held, it would draw a random number where the runs before MODEL_LINKS drew none.) */
  fileChangedUnderDocument(rel: string): Promise<void> {
    return this.index.fileChangedUnderDocument(rel);
  }

  renameFile(from: string, to: string): Promise<void> {
    return this.index.renameFile(from, to);
  }

  updateDocument(rel: string, text: string, changes?: readonly TextChange[]): Promise<boolean> {
    return this.index.updateDocument(rel, text, changes);
  }

  closeDocument(rel: string): Promise<void> {
    return this.index.closeDocument(rel);
  }

  get heldCount(): number {
    return this.held.length;
  }

  /** Delivers the held events, all of them or the first few (a random number), in order; their reports. */
  deliver(all: boolean): Promise<unknown>[] {
    const count = all ? this.held.length : randomInt(this.random, 0, this.held.length);
    return this.held.splice(0, count).map((report) => report());
  }

  private maybeLater(report: () => Promise<void>): Promise<void> {
    if (this.held.length === 0 && this.random() >= this.chance) return report();
    this.held.push(report);
    return Promise.resolve();
  }
}

/** The random workspace and editor, and the index they report to. */
export class WorkspaceModel {
  /** One line per step (the batch of concurrent steps each belongs to marked), to reproduce a failure. */
  readonly log: string[] = [];
  private readonly docs = new Map<string, Doc>();
  private counter = 0;
  /** The workspace folders' names (multi-root), or none: the root is the one folder. */
  private readonly folders: readonly string[];
  private readonly extensions: readonly string[];
  private readonly folderNames: readonly string[];
  private readonly fileNames: readonly string[];
  /** MODEL_PROJECTS: see ModelLayout. */
  private readonly projects: boolean;
  private readonly rootMoves: boolean;
  private readonly newFolderRules: boolean;
  private readonly ontoDocuments: boolean;
  private readonly links: boolean;
  private readonly outside: string | undefined;
  /** The symbolic links to files made (MODEL_LINKS), moved or deleted with their folders or not. */
  private readonly fileLinks: string[] = [];
  /** The symbolic links to folders made (MODEL_DIRLINKS), deleted with their folders or not. */
  private readonly folderLinks: string[] = [];
  private readonly caseRenames: boolean;

  constructor(
    private readonly root: string,
    private readonly random: Random,
    private index: IndexReports,
    private readonly withDocuments: boolean,
    layout: ModelLayout = {},
  ) {
    this.folders = layout.folders ?? [];
    this.rootMoves = layout.rootMoves === true && this.folders.length > 0;
    this.newFolderRules = layout.newFolderRules === true;
    this.ontoDocuments = layout.ontoDocuments === true;
    this.links = layout.links === true;
    this.outside = layout.outside;
    this.caseRenames = layout.caseRenames === true;
    ({ extensions: this.extensions, folderNames: this.folderNames, fileNames: this.fileNames } = namesOf(layout));
    this.projects = layout.projects === true;
  }

  /**
   * Where top-level paths go: the root ('') of a single folder, or each workspace folder. The folders themselves are
   * in no listing: only MODEL_ROOTS deletes and makes them (folderRoot; a write into a deleted one makes it again), and
   * none is ever moved.
   */
  private get tops(): readonly string[] {
    return this.folders.length > 0 ? this.folders : [''];
  }

  /** A random top (no random number drawn for a single folder: its sequences stay as they were). */
  private top(): string {
    return this.folders.length > 0 ? pick(this.random, this.folders) : '';
  }

  /**
   * The index was disposed and `index` opened on its saved file: as the glue does for a new engine, each document
   * with unsaved changes is sent to it whole (the others it reads from the disk). Returns those reports; the caller
   * starts the build alongside.
   */
  reopened(index: IndexReports): Promise<unknown>[] {
    this.index = index;
    const reports: Promise<unknown>[] = [];
    for (const [p, d] of this.docs) {
      d.sent = d.dirty;
      if (d.dirty) reports.push(index.updateDocument(p, d.text));
    }
    this.log.push(`(reopened from the saved index${reports.length > 0 ? `, ${reports.length} unsaved document(s) sent` : ''})`);
    return reports;
  }

  /**
   * A generated workspace of ~15 TypeScript, JavaScript, Python and Markdown files importing each other (~15 in each
   * folder of a multi-root workspace, importing across folders too).
   */
  static populate(root: string, random: Random, layout: ModelLayout = {}): void {
    const { extensions, fileNames } = namesOf(layout);
    const tops = layout.folders ?? [''];
    const folders = ['', 'src', 'src/core', 'lib', 'py/pkg', 'docs', ...(layout.excludedNames ? [EXCLUDED_FOLDER_NAME, `src/${EXCLUDED_FOLDER_NAME}`] : [])];
    if (layout.folders) {
      // Outside every folder: never reported, never indexed; a .gitignore above the folders (a repository holding
      // them all) that, were it read, would exclude most files (the fresh index reads it alike, so the comparison
      // cannot tell; the rules an index reads are those of each folder down).
      write(root, '.gitignore', '*.ts\n');
      write(root, 'outside.ts', 'export function outside() {}\n');
    }
    const made: string[] = [];
    for (const [i, top] of tops.entries()) {
      // (Each folder its own rules: a file or folder moved across folders may be excluded at one end only.)
      write(root, path.posix.join(top, '.gitignore'), folderRules(i));
      write(root, path.posix.join(top, 'debug.log'), 'ignored\n');
      write(root, path.posix.join(top, 'build/out.js'), 'export function ignoredOutput() {}\n');
      for (let i = 0; i < 15; i++) {
        const folder = path.posix.join(top, pick(random, folders));
        const rel = path.posix.join(folder, `${pick(random, fileNames)}${pick(random, extensions)}`);
        if (made.includes(rel)) continue;
        write(root, rel, sourceText(random, rel, made, i, layout.caseRenames === true, layout.projects === true));
        made.push(rel);
      }
      // MODEL_PROJECTS: a configuration at the top, two packages, and TS files their imports may reach.
      if (layout.projects) {
        const sources = Array.from({ length: 10 }, () => `${pick(random, ['src', 'lib', 'src/core', 'lib/src', 'src/core/src'])}/${pick(random, ['a', 'util', 'main', 'index'])}.ts`);
        for (const rel of ['tsconfig.json', 'lib/package.json', 'src/core/package.json', ...sources].map((p) => path.posix.join(top, p))) {
          if (made.includes(rel)) continue;
          write(root, rel, sourceText(random, rel, made, made.length, false, true));
          made.push(rel);
        }
      }
    }
  }

  /**
   * Starts one random step: the disk and the editor change now, and the returned promise is that of the reports (steps
   * that find nothing to do, e.g. a rename onto an existing path, are drawn again).
   */
  step(n: number): Promise<unknown> {
    for (;;) {
      const started = this.tryStep(n);
      if (started) return started;
    }
  }

  private tryStep(n: number): Promise<unknown> | undefined {
    const r = this.random();
    if (this.rootMoves && this.random() < 0.04) return this.folderRoot(n);
    if (this.links && this.random() < 0.06) return this.link(n);
    if (this.outside !== undefined && this.random() < 0.08) return this.folderLink(n, this.outside);
    if (this.caseRenames && this.random() < 0.08) return this.caseRename(n);
    if (r < 0.2) return this.writeFile(n);
    if (r < 0.27) return this.deleteFile(n);
    if (r < 0.32) return this.deleteFolder(n);
    if (r < 0.47) return this.rename(n);
    if (r < 0.54) return this.ignoreRules(n);
    if (r < 0.58) return this.largeOrBinary(n);
    if (r < 0.62) return this.makeFolder(n);
    if (!this.withDocuments) return this.writeFile(n);
    if (r < 0.84) return this.editDocument(n);
    if (r < 0.93) return this.closeDocument(n);
    return this.saveDocument(n);
  }

  /** The documents the index was given, with their texts now (what a fresh index is given too). */
  sentDocuments(): [string, string][] {
    return [...this.docs].filter(([, d]) => d.sent).map(([p, d]) => [p, d.text]);
  }

  // ---------------------------------------------------------------- disk changes

  private writeFile(n: number): Promise<unknown> | undefined {
    const { files, dirs } = this.listing();
    const existing = files.filter((f) => path.posix.basename(f) !== '.gitignore');
    const rel =
      existing.length > 0 && this.random() < 0.6
        ? pick(this.random, existing)
        : path.posix.join(
            this.random() < 0.2 ? path.posix.join(this.top(), pick(this.random, this.folderNames)) : pick(this.random, [...this.tops, ...dirs]),
            `${pick(this.random, this.fileNames)}${pick(this.random, this.extensions)}`,
          );
    if (dirs.includes(rel) || this.otherSpelling(rel)) return undefined;
    const newFolder = !existsSync(path.dirname(path.join(this.root, rel)));
    // (Into a deleted workspace folder: it is made again, reported with the file.)
    const newTop = this.deletedTopOf(rel);
    const text = sourceText(this.random, rel, files, ++this.counter, this.caseRenames, this.projects);
    this.note(n, `write ${rel}${text.includes('broken') ? ' (syntax error)' : ''}${newFolder ? ' (new folder)' : ''}`);
    write(this.root, rel, text);
    const reports = [this.diskChanged(rel, text)];
    // The watcher may report the new folder as well as its file.
    if (newFolder && this.random() < 0.5) reports.push(this.index.updateFile(path.posix.dirname(rel)));
    if (newTop !== undefined && newTop !== path.posix.dirname(rel)) reports.push(this.index.updateFile(newTop));
    return Promise.all(reports);
  }

  /**
   * A workspace folder deleted (one event for it, as for any folder; its open documents stay open), or one deleted
   * before made again with its .gitignore and a file or two (the folder's event, sometimes the files' too).
   */
  private folderRoot(n: number): Promise<unknown> | undefined {
    const there = this.folders.filter((f) => existsDirectory(path.join(this.root, f)));
    const gone = this.folders.filter((f) => !there.includes(f));
    if (there.length > 0 && (gone.length === 0 || this.random() < 0.5)) {
      const top = pick(this.random, there);
      this.note(n, `delete the workspace folder ${top}`);
      rmSync(path.join(this.root, top), { recursive: true });
      return this.index.removeFile(top);
    }
    if (gone.length === 0) return undefined;
    const top = pick(this.random, gone);
    const made = [path.posix.join(top, '.gitignore')];
    write(this.root, made[0] as string, folderRules(this.folders.indexOf(top)));
    const { files } = this.listing();
    for (let i = randomInt(this.random, 1, 2); i > 0; i--) {
      const file = path.posix.join(top, this.random() < 0.5 ? pick(this.random, this.folderNames) : '', `${pick(this.random, this.fileNames)}${pick(this.random, this.extensions)}`);
      if (made.includes(file)) continue;
      write(this.root, file, sourceText(this.random, file, files, ++this.counter, this.caseRenames, this.projects));
      made.push(file);
    }
    this.note(n, `make the workspace folder ${top} again with ${made.join(', ')}`);
    return this.folderMade(top, made);
  }

  /**
   * A symbolic link made to a file or to a link made before (a chain), by a relative path (reported by the watcher as
   * any new file); or a link made before pointed at another (a new link moved over it, as `ln -sfn` does) or deleted,
   * reported for the link itself. The steps after it change the file under it (reported for the file only), or move or
   * delete the folder it is in: listing() leaves links out.
   */
  private link(n: number): Promise<unknown> | undefined {
    const { files, dirs } = this.listing();
    const there = this.fileLinks.filter((l) => lstatSync(path.join(this.root, l), { throwIfNoEntry: false })?.isSymbolicLink() === true);
    const targets = files.filter((f) => path.posix.basename(f) !== '.gitignore');
    // (A link as often as not, once there is one: chains are what links leading elsewhere change under.)
    const target = there.length > 0 && (targets.length === 0 || this.random() < 0.5) ? pick(this.random, there) : targets.length > 0 ? pick(this.random, targets) : undefined;
    if (target === undefined) return undefined;
    const change = there.length > 0 ? this.random() : 1;
    if (change < 0.15) {
      const rel = pick(this.random, there);
      this.note(n, `delete the link ${rel}`);
      rmSync(path.join(this.root, rel));
      return this.index.removeFile(rel);
    }
    if (change < 0.4) {
      const rel = pick(this.random, there);
      // (To itself: a loop, which leads nowhere.)
      const named = path.relative(path.join(this.root, path.posix.dirname(rel)), path.join(this.root, target));
      symlinkSync(named, path.join(this.root, `${rel}.new`));
      renameSync(path.join(this.root, `${rel}.new`), path.join(this.root, rel));
      this.note(n, `point the link ${rel} at ${target}`);
      return this.index.updateFile(rel);
    }
    const dir = pick(this.random, [...this.tops, ...dirs]);
    if (!existsDirectory(path.join(this.root, dir))) return undefined;
    const rel = path.posix.join(dir, `link${++this.counter}${path.posix.extname(target)}`);
    symlinkSync(path.relative(path.join(this.root, dir), path.join(this.root, target)), path.join(this.root, rel));
    this.fileLinks.push(rel);
    this.note(n, `link ${rel} → ${target}`);
    return this.index.updateFile(rel);
  }

  /**
   * A symbolic link to a folder made (to one outside the workspace, by its absolute path, most often; or by a relative
   * path to one of the workspace's, or its top), reported as any new path; or one made before deleted. A scan follows
   * only links to folders outside, and of several to one folder (or into it) the first it meets.
   */
  private folderLink(n: number, outside: string): Promise<unknown> | undefined {
    const there = this.folderLinks.filter((l) => lstatSync(path.join(this.root, l), { throwIfNoEntry: false })?.isSymbolicLink() === true);
    if (there.length > 0 && this.random() < 0.3) {
      const rel = pick(this.random, there);
      this.note(n, `delete the folder link ${rel}`);
      rmSync(path.join(this.root, rel));
      return this.index.removeFile(rel);
    }
    const { dirs } = this.listing();
    const dir = pick(this.random, [...this.tops, ...dirs]);
    if (!existsDirectory(path.join(this.root, dir))) return undefined;
    const rel = path.posix.join(dir, `dlink${++this.counter}`);
    const inside = this.random() < 0.3 ? pick(this.random, [...this.tops, ...dirs]) : undefined;
    const target = inside === undefined ? path.join(outside, pick(this.random, OUTSIDE_FOLDERS)) : path.relative(path.join(this.root, dir), path.join(this.root, inside)) || '.';
    symlinkSync(target, path.join(this.root, rel));
    this.folderLinks.push(rel);
    this.note(n, `folder link ${rel} → ${inside === undefined ? target : `${inside || '(top)'}`}`);
    return this.index.updateFile(rel);
  }

  private deleteFile(n: number): Promise<unknown> | undefined {
    const { files } = this.listing();
    if (files.length === 0) return undefined;
    const rel = pick(this.random, files);
    this.note(n, `delete ${rel}`);
    rmSync(path.join(this.root, rel));
    // (An open document stays open, with its text; the glue reports the delete all the same.)
    return this.index.removeFile(rel);
  }

  private deleteFolder(n: number): Promise<unknown> | undefined {
    const { dirs } = this.listing();
    if (dirs.length === 0) return undefined;
    const rel = pick(this.random, dirs);
    this.note(n, `delete folder ${rel}`);
    rmSync(path.join(this.root, rel), { recursive: true });
    // One event for the folder, as VS Code's watcher sends.
    return this.index.removeFile(rel);
  }

  private makeFolder(n: number): Promise<unknown> | undefined {
    const { files, dirs } = this.listing();
    const rel = path.posix.join(pick(this.random, [...this.tops, ...dirs]), pick(this.random, this.folderNames));
    if (existsSync(path.join(this.root, rel))) return undefined;
    // (Not into a deleted workspace folder: writeFile and folderRoot make those again.)
    if (!existsDirectory(path.dirname(path.join(this.root, rel)))) return undefined;
    const count = randomInt(this.random, 1, 3);
    const made: string[] = [];
    for (let i = 0; i < count; i++) {
      const file = path.posix.join(rel, i === 2 ? `${pick(this.random, this.folderNames)}/` : '', `${pick(this.random, this.fileNames)}${pick(this.random, this.extensions)}`);
      if (made.includes(file)) continue;
      write(this.root, file, sourceText(this.random, file, files, ++this.counter, this.caseRenames, this.projects));
      made.push(file);
    }
    if (this.newFolderRules && this.random() < 0.5) {
      // Rules of its own, for what it holds or for open documents left under its path (their folder deleted before).
      const near = [...made, ...[...this.docs.keys()].filter(under(rel))].map((p) => path.posix.relative(rel, p));
      const patterns = Array.from({ length: randomInt(this.random, 1, 2) }, () => {
        const target = pick(this.random, near);
        const base = path.posix.basename(target);
        return pick(this.random, [base, `/${target}`, `${path.posix.dirname(target) === '.' ? base : path.posix.dirname(target)}/`, '*.md', `!${base}`]);
      });
      const ignore = path.posix.join(rel, '.gitignore');
      write(this.root, ignore, `${patterns.join('\n')}\n`);
      made.push(ignore);
    }
    this.note(n, `make folder ${rel} with ${made.join(', ')}`);
    return this.folderMade(rel, made);
  }

  /** The reports of a folder made with the files `made`: one event for the folder (sometimes the files' own too, in any order). */
  private folderMade(rel: string, made: readonly string[]): Promise<unknown> {
    const paths = this.random() < 0.3 ? shuffled(this.random, [rel, ...made]) : [rel];
    return Promise.all(paths.map((p) => (p === rel ? this.index.updateFile(p) : this.diskChanged(p, readFileSync(path.join(this.root, p), 'utf8')))));
  }

  /** A file or folder moved: by the editor (a rename event, maybe with the watcher's pair too), or outside it (the pair only). */
  private rename(n: number): Promise<unknown> | undefined {
    const { files, dirs } = this.listing();
    const useFolder = dirs.length > 0 && this.random() < 0.4;
    const pool = useFolder ? dirs : files;
    if (pool.length === 0) return undefined;
    const from = pick(this.random, pool);
    // (In a multi-root workspace, to any folder: a move across folders is a rename the glue reports, both sides in the workspace.)
    const targetDirs = [...this.tops, ...dirs].filter((d) => !under(from)(d));
    // (Also to a name that says the file is binary: .md and .txt files are 'text' as much as a .png.)
    const name = useFolder ? pick(this.random, this.folderNames) : `${pick(this.random, this.fileNames)}${pick(this.random, [...EXTENSIONS, '.txt', '.png'])}`;
    const to = this.ontoGoneDocument(useFolder) ?? path.posix.join(this.random() < 0.5 ? path.posix.dirname(from) === '.' ? '' : path.posix.dirname(from) : pick(this.random, targetDirs), name);
    // Onto open documents whose files are gone (the path is free on disk) only with MODEL_ONTODOCS; and never where a
    // document moving would land on one (which of the two the editor keeps is not modelled).
    const onto = [...this.docs.keys()].filter(under(to));
    if (to === from || under(from)(to) || existsSync(path.join(this.root, to)) || (onto.length > 0 && !this.ontoDocuments)) return undefined;
    if ([...this.docs.keys()].some((q) => under(from)(q) && onto.includes(to + q.slice(from.length)))) return undefined;
    // (Nor into a deleted workspace folder.)
    if (!existsDirectory(path.dirname(path.join(this.root, to)))) return undefined;
    return this.moved(n, from, to, onto);
  }

  /**
   * A file or folder renamed in case only (MODEL_CASE: the disk folds case) — `util.ts` → `UTIL.ts`, `lib` → `LIB`,
   * and back — by the editor or outside it, reported as any rename.
   */
  private caseRename(n: number): Promise<unknown> | undefined {
    const { files, dirs } = this.listing();
    const pool = [...files.filter((f) => path.posix.basename(f) !== '.gitignore'), ...dirs];
    if (pool.length === 0) return undefined;
    const from = pick(this.random, pool);
    const name = path.posix.basename(from);
    const ext = dirs.includes(from) ? '' : path.posix.extname(name);
    const stem = name.slice(0, name.length - ext.length);
    const turned = stem === stem.toLowerCase() ? stem.toUpperCase() : stem.toLowerCase();
    if (turned === stem) return undefined;
    const to = path.posix.join(path.posix.dirname(from), `${turned}${ext}`);
    // (Not where the editor has documents under the new spelling: which one it keeps is not modelled.)
    if ([...this.docs.keys()].some(under(to))) return undefined;
    // Moved outside the editor, documents under it would stay open under the old spelling, which still reaches their
    // files (VS Code compares such paths without regard to case; the model does not): with documents there, the editor
    // renames it.
    return this.moved(n, from, to, [], [...this.docs.keys()].some(under(from)));
  }

  /**
   * The move of `from` to `to` (`onto`: the open documents at the new place) made on disk and reported; by the editor
   * or outside it, or by the editor when `byEditor`.
   */
  private moved(n: number, from: string, to: string, onto: readonly string[], byEditor = false): Promise<unknown> {
    const api = this.random() < 0.8 || byEditor;
    const pair = !api || this.random() < 0.25;
    const order = this.random();
    this.note(n, `${api ? 'rename' : 'move outside the editor'} ${from} -> ${to}${api && pair ? ' (and the watcher pair)' : ''}${onto.length > 0 ? ` (onto the open ${onto.join(', ')})` : ''}`);
    renameSync(path.join(this.root, from), path.join(this.root, to));
    const reports: Promise<unknown>[] = [];
    const watcherPair = (): void => {
      // The create event for a dirty document at the new path (a moved file's document moved with it) reaches only the
      // links to it (the glue: fileChangedUnderDocument).
      const atTo = this.docs.get(to);
      reports.push(this.index.removeFile(from));
      reports.push(atTo?.dirty ? this.index.fileChangedUnderDocument(to) : this.index.updateFile(to));
    };
    if (api) {
      // The editor's documents move: those under the old path close there and open at the new one.
      const moved = [...this.docs].filter(([p]) => under(from)(p));
      for (const [p, doc] of moved) {
        this.docs.delete(p);
        this.docs.set(to + p.slice(from.length), { text: doc.text, dirty: doc.dirty, sent: false });
      }
      const closes = (): void => {
        for (const [p] of moved) reports.push(this.index.closeDocument(p));
      };
      const closeFirst = this.random() < 0.5;
      if (pair && order < 0.5) watcherPair();
      if (closeFirst) closes();
      // The glue awaits the rename, then sends the whole texts of the dirty documents now under the new path.
      reports.push(
        this.index.renameFile(from, to).then(() =>
          Promise.all(
            [...this.docs]
              .filter(([p, d]) => under(to)(p) && d.dirty)
              .map(([p, d]) => {
                d.sent = true;
                return this.index.updateDocument(p, d.text);
              }),
          ),
        ),
      );
      if (!closeFirst) closes();
      if (pair && order >= 0.5) watcherPair();
    } else watcherPair();
    // Open documents that were at the new place: the editor reloads those without unsaved changes from the files now
    // there (the others keep their texts; the glue sent the dirty ones under the new path above).
    for (const p of onto) {
      const doc = this.docs.get(p);
      const abs = path.join(this.root, p);
      if (doc && !doc.dirty && existsSync(abs) && !existsDirectory(abs)) reports.push(this.diskChanged(p, readFileSync(abs, 'utf8')));
    }
    return Promise.all(reports);
  }

  /**
   * With MODEL_ONTODOCS, half the time: where a rename lands on an open document whose file is gone — its path (a file
   * moved), or the highest of its folders that is gone (a folder moved; not a workspace folder itself).
   */
  private ontoGoneDocument(folder: boolean): string | undefined {
    if (!this.ontoDocuments) return undefined;
    const gone = [...this.docs.keys()].filter((p) => !existsSync(path.join(this.root, p)));
    if (gone.length === 0 || this.random() >= 0.5) return undefined;
    const doc = pick(this.random, gone);
    if (!folder) return doc;
    let dir = path.posix.dirname(doc);
    if (dir === '.' || existsSync(path.join(this.root, dir))) return undefined;
    for (let up = path.posix.dirname(dir); up !== '.' && !existsSync(path.join(this.root, up)); up = path.posix.dirname(up)) dir = up;
    return this.folders.includes(dir) ? undefined : dir;
  }

  /** A .gitignore written (excluding some of the files there) or deleted, in the root or a folder. */
  private ignoreRules(n: number): Promise<unknown> | undefined {
    const { files, dirs } = this.listing();
    const existing = files.filter((f) => path.posix.basename(f) === '.gitignore');
    if (existing.length > 0 && this.random() < 0.3) {
      const rel = pick(this.random, existing);
      this.note(n, `delete ${rel}`);
      rmSync(path.join(this.root, rel));
      return this.index.removeFile(rel);
    }
    const folder = pick(this.random, [...this.tops, ...dirs]);
    const near = [...files, ...dirs].filter((p) => folder === '' || p.startsWith(`${folder}/`)).map((p) => path.posix.relative(folder, p));
    const patterns: string[] = [];
    const lines = randomInt(this.random, 1, 3);
    for (let i = 0; i < lines; i++) {
      const target = near.length > 0 ? pick(this.random, near) : 'a.ts';
      const base = path.posix.basename(target);
      patterns.push(
        pick(this.random, [base, `/${target}`, `*${path.posix.extname(base) || '.py'}`, `${path.posix.dirname(target) === '.' ? base : path.posix.dirname(target)}/`, `!${base}`, '*.md']),
      );
    }
    const rel = path.posix.join(folder, '.gitignore');
    const text = `${patterns.join('\n')}\n`;
    this.note(n, `write ${rel}: ${patterns.join(' | ')}`);
    const newTop = this.deletedTopOf(rel);
    write(this.root, rel, text);
    return this.withTop(newTop, this.index.updateFile(rel));
  }

  /** A file made larger than maxFileKB, or binary. */
  private largeOrBinary(n: number): Promise<unknown> | undefined {
    const { files, dirs } = this.listing();
    const candidates = files.filter((f) => path.posix.basename(f) !== '.gitignore');
    const rel = candidates.length > 0 && this.random() < 0.7 ? pick(this.random, candidates) : path.posix.join(pick(this.random, [...this.tops, ...dirs]), `big${pick(this.random, this.extensions)}`);
    if (dirs.includes(rel) || this.otherSpelling(rel)) return undefined;
    const large = this.random() < 0.6;
    this.note(n, `${large ? 'make large' : 'make binary'} ${rel}`);
    const newTop = this.deletedTopOf(rel);
    if (large) {
      const text = largeText(rel);
      write(this.root, rel, text);
      return this.withTop(newTop, this.diskChanged(rel, text));
    }
    const bytes = Buffer.from(`export const x = 1;\n\0\0\u0001binary ${this.counter++}\n`, 'latin1');
    write(this.root, rel, bytes);
    return this.withTop(newTop, this.diskChanged(rel, bytes.toString('utf8')));
  }

  /**
   * The file at `rel` was written with `text` outside the editor: reported unless its document is dirty; a clean
   * document reloads (an edit replacing its whole text, which the glue sends).
   */
  private diskChanged(rel: string, text: string): Promise<unknown> {
    const doc = this.docs.get(rel);
    // (The glue reports it as changed under the document: the document wins; the links to it are read, and the file
    // when the document closes.)
    if (doc?.dirty) return this.index.fileChangedUnderDocument(rel);
    if (!doc) return this.index.updateFile(rel);
    const change: TextChange = { start: 0, deleteCount: doc.text.length, text };
    doc.text = text;
    doc.sent = true;
    const reports = [() => this.index.updateFile(rel), () => this.index.updateDocument(rel, text, [change])];
    return Promise.all(shuffled(this.random, reports).map((report) => report()));
  }

  // ---------------------------------------------------------------- the editor's documents

  /** Opens a document (if none is picked) and edits it: the edits are sent with the text, or the text alone. */
  private editDocument(n: number): Promise<unknown> | undefined {
    const open = [...this.docs.keys()];
    let rel: string;
    if (open.length > 0 && this.random() < 0.6) rel = pick(this.random, open);
    else {
      const { files } = this.listing();
      const candidates = files.filter((f) => path.posix.basename(f) !== '.gitignore' && !this.docs.has(f));
      if (candidates.length === 0) return undefined;
      rel = pick(this.random, candidates);
      const text = readFileSync(path.join(this.root, rel), 'utf8');
      if (text.includes('\0')) return undefined;
      this.docs.set(rel, { text, dirty: false, sent: false });
    }
    const doc = this.docs.get(rel);
    if (!doc) return undefined;
    const changes: TextChange[] = [];
    let text = doc.text;
    const count = randomInt(this.random, 1, 3);
    for (let i = 0; i < count; i++) {
      const change = this.randomEdit(text);
      changes.push(change);
      text = text.slice(0, change.start) + change.text + text.slice(change.start + change.deleteCount);
    }
    const whole = this.random() < 0.2;
    this.note(n, `edit ${rel}${whole ? ' (text only)' : ''}: ${changes.map((c) => `${c.start}-${c.deleteCount}+${JSON.stringify(c.text.length > 30 ? `${c.text.slice(0, 30)}…(${c.text.length})` : c.text)}`).join(', ')}`);
    doc.text = text;
    doc.dirty = true;
    doc.sent = true;
    return this.index.updateDocument(rel, text, whole ? undefined : changes);
  }

  private randomEdit(text: string): TextChange {
    const lineStarts = [0];
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    const at = pick(this.random, lineStarts);
    const k = ++this.counter;
    const r = this.random();
    if (r < 0.3) return { start: at, deleteCount: 0, text: `export function added${k}(v: number): number {\n  return ${pick(this.random, WORDS)}${k}(v);\n}\n` };
    if (r < 0.45) return { start: at, deleteCount: 0, text: `function broken${k}( {\n` };
    if (r < 0.65) {
      const start = randomInt(this.random, 0, text.length);
      return { start, deleteCount: randomInt(this.random, 0, Math.min(40, text.length - start)), text: '' };
    }
    if (r < 0.72) return { start: at, deleteCount: 0, text: largeText('x.ts') };
    // Gaps of the TypeScript grammar that documents are read with repairs for (variance annotations, a generic call
    // signature after a member ended by the line break alone).
    if (r < 0.78) return { start: at, deleteCount: 0, text: `export interface Shape${k}<in out A> {\n  readonly a: A\n  <B>(b: B): B\n}\n` };
    const start = randomInt(this.random, 0, text.length);
    return { start, deleteCount: randomInt(this.random, 0, Math.min(5, text.length - start)), text: pick(this.random, [`${pick(this.random, WORDS)}${k}`, '(', '}', '\n', ' ', 'import x from "./a";\n', "void import('./b');\n", "require('..')"]) };
  }

  private closeDocument(n: number): Promise<unknown> | undefined {
    const open = [...this.docs.keys()];
    if (open.length === 0) return this.editDocument(n);
    const rel = pick(this.random, open);
    this.note(n, `close ${rel}`);
    this.docs.delete(rel);
    // (The glue reports every close, sent or not; a dirty document's changes are dropped.)
    return this.index.closeDocument(rel);
  }

  private saveDocument(n: number): Promise<unknown> | undefined {
    const dirty = [...this.docs].filter(([p, d]) => d.dirty && !existsDirectory(path.join(this.root, p)) && !this.otherSpelling(p));
    if (dirty.length === 0) return this.editDocument(n);
    const [rel, doc] = pick(this.random, dirty);
    this.note(n, `save ${rel}`);
    const newTop = this.deletedTopOf(rel);
    write(this.root, rel, doc.text);
    doc.dirty = false;
    return this.withTop(newTop, this.index.updateFile(rel));
  }

  // ---------------------------------------------------------------- helpers

  /**
   * Whether a name of `rel` (the file's or a folder's above it) differs only in case from one on disk (MODEL_CASE: a name
   * drawn anew). Such paths are not drawn: on a disk that folds case a
   * write there changes the other file, and the watcher reports it under its own name, which the model does not follow.
   */
  private otherSpelling(rel: string): boolean {
    if (!this.caseRenames) return false;
    let dir = this.root;
    for (const name of rel.split('/')) {
      const listed = existsDirectory(dir) ? readdirSync(dir) : [];
      if (listed.includes(name)) dir = path.join(dir, name);
      else return listed.some((other) => other.toLowerCase() === name.toLowerCase());
    }
    return false;
  }

  /** The deleted workspace folder (MODEL_ROOTS) a write at `rel` makes again, if any. */
  private deletedTopOf(rel: string): string | undefined {
    return this.folders.find((f) => under(f)(rel) && !existsDirectory(path.join(this.root, f)));
  }

  /** `report`, and the event of the workspace folder the write made again (when `top` is one). */
  private withTop(top: string | undefined, report: Promise<unknown>): Promise<unknown> {
    return top === undefined ? report : Promise.all([report, this.index.updateFile(top)]);
  }

  private note(n: number, line: string): void {
    this.log.push(`${n}: ${line}`);
  }

  /**
   * Files and folders on disk (paths relative to the root), in order: in a multi-root workspace those inside its
   * folders, not the folders themselves (nor anything outside them).
   */
  private listing(): { files: string[]; dirs: string[] } {
    const files: string[] = [];
    const dirs: string[] = [];
    const walk = (rel: string): void => {
      for (const entry of readdirSync(path.join(this.root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
        const p = rel === '' ? entry.name : `${rel}/${entry.name}`;
        if (entry.isDirectory()) {
          dirs.push(p);
          walk(p);
        } else if (!entry.isSymbolicLink()) files.push(p);
      }
    };
    for (const top of this.tops) if (top === '' || existsDirectory(path.join(this.root, top))) walk(top);
    return { files, dirs };
  }
}

function existsDirectory(abs: string): boolean {
  try {
    return statSync(abs).isDirectory();
  } catch {
    return false;
  }
}

/**
 * A source file in the language of `rel`'s extension, importing one of `others` (sometimes), sometimes with a syntax error.
 * With `otherCase` (a disk that folds case), every third TS/JS import names its file in upper case (it still reaches
 * the file there), drawing nothing more from `random`.
 */
function sourceText(random: Random, rel: string, others: readonly string[], k: number, otherCase = false, projects = false): string {
  const ext = path.posix.extname(rel);
  if (ext === '.json') return projectText(random, rel);
  const target = others.length > 0 && random() < 0.7 ? pick(random, others) : undefined;
  const name = `${pick(random, WORDS)}${k}`;
  const broken = random() < 0.15;
  if (ext === '.py') {
    const module = target === undefined ? 'os' : target.replace(/\.[^./]*$/, '').replaceAll('/', '.');
    const relative = target !== undefined && path.posix.dirname(target) === path.posix.dirname(rel) && random() < 0.5;
    const head = relative ? `from .${path.posix.basename(module.replaceAll('.', '/'))} import helper\n` : `import ${module}\n`;
    return `${head}\ndef ${name}(value):\n    """Handles the ${pick(random, WORDS)}."""\n    return value\n\n\nclass ${name}_kind:\n    def run(self):\n        return ${name}(1)\n${broken ? 'def broken(:\n' : ''}`;
  }
  if (ext === '.md') return `# ${name}\n\nNotes about ${pick(random, WORDS)} and ${target ?? 'nothing'}.\n`;
  let head = '';
  // Now and then the target is loaded lazily, in the function's body (an import() call: read wherever it is).
  let lazy = '';
  if (target !== undefined) {
    let spec = path.posix.relative(path.posix.dirname(rel), target).replace(/\.(ts|js)$/, random() < 0.5 ? '' : '.js');
    if (!spec.startsWith('.')) spec = `./${spec}`;
    if (otherCase && k % 3 === 0) spec = `${path.posix.dirname(spec)}/${path.posix.basename(spec).toUpperCase()}`;
    if (k % 4 === 1) lazy = `  void import('${spec}');\n`;
    else head = `import { ${pick(random, WORDS)} } from '${spec}';\n`;
  }
  // (MODEL_PROJECTS: mostly an import by a bare specifier a configuration's `paths` or a package may resolve.)
  if (projects && random() < 0.8) head += `import { ${pick(random, WORDS)} } from '${pick(random, BARE_SPECIFIERS)}';\n`;
  const typed = ext === '.ts' ? ': number' : '';
  return `${head}/** Does the ${pick(random, WORDS)}. */\nexport function ${name}(a${typed})${typed} {\n${lazy}  return a + 1;\n}\n\nexport class ${name[0]?.toUpperCase() ?? 'C'}${name.slice(1)} {\n  run()${typed} {\n    return ${name}(2);\n  }\n}\n${broken ? 'export function broken( {\n' : ''}`;
}

/** MODEL_PROJECTS's bare imports: by `paths` (PROJECT_CONFIGS), by packages (`@m/<folder>`), by baseUrl. */
const BARE_SPECIFIERS = ['@app/a', '@app/util', '@app/core/main', '~/a', '~/util', '@m/lib', '@m/core', '@m/lib/a', '@m/core/util', '@m/src/a', '@main', 'util', 'a', 'core/main'];

/** MODEL_PROJECTS's tsconfig.json texts: `paths` exact and with `*`, baseUrl, `extends` (a cycle too), a comment, broken JSON. */
const PROJECT_CONFIGS = [
  '{ "compilerOptions": { "paths": { "@app/*": ["src/*", "lib/*"] } } }',
  '{\n  // Aliases.\n  "compilerOptions": { "baseUrl": "src", "paths": { "~/*": ["core/*"], "@main": ["core/main.ts"], }, },\n}\n',
  '{ "extends": "../tsconfig.json", "compilerOptions": { "baseUrl": "." } }',
  '{ "extends": "./tsconfig", "compilerOptions": { "paths": { "@app/*": ["*/index", "../lib/*"] } } }',
  '{ "compilerOptions": ',
];

/**
 * A .json file's text: a tsconfig.json's (PROJECT_CONFIGS), a package.json's named after its folder (`@m/lib`) with an
 * entry or none, or another JSON.
 */
function projectText(random: Random, rel: string): string {
  const name = path.posix.basename(rel);
  if (name === 'tsconfig.json') return pick(random, PROJECT_CONFIGS);
  if (name !== 'package.json') return '{}\n';
  const folder = path.posix.basename(path.posix.dirname(rel)) || 'root';
  const entry = pick(random, ['', ', "main": "dist/a.js"', ', "types": "lib/util.d.ts"', ', "module": "./main.js"']);
  return `{ "name": "@m/${folder}"${entry} }\n`;
}

/** A source text larger than the model's maxFileKB (2). */
function largeText(rel: string): string {
  const lines: string[] = [];
  const py = rel.endsWith('.py');
  for (let i = 0; lines.join('\n').length < 2600; i++) lines.push(py ? `def filler${i}():\n    return ${i}\n` : `export function filler${i}() { return ${i}; }`);
  return `${lines.join('\n')}\n`;
}

/** Where two snapshots (snapshotOf) differ, briefly: paths only in one, and the fields that differ for the others. */
export function snapshotDifference(actual: Record<string, unknown>, expected: Record<string, unknown>): string {
  const out: string[] = [];
  for (const p of new Set([...Object.keys(actual), ...Object.keys(expected)])) {
    const a = actual[p];
    const e = expected[p];
    if (a === undefined) out.push(`  ${p}: missing from the index`);
    else if (e === undefined) out.push(`  ${p}: in the index, not in a fresh one`);
    else if (!isDeepStrictEqual(a, e)) {
      const fields = Object.keys(e as object).filter((k) => !isDeepStrictEqual((a as Record<string, unknown>)[k], (e as Record<string, unknown>)[k]));
      const detail = (v: unknown, k: string): string => {
        const s = JSON.stringify((v as Record<string, unknown>)[k]);
        return s.length > 300 ? `${s.slice(0, 300)}…` : s;
      };
      out.push(`  ${p}: ${fields.map((k) => `${k}: index ${detail(a, k)} / fresh ${detail(e, k)}`).join('; ')}`);
    }
  }
  return out.join('\n');
}
