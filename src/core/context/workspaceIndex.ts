// The workspace index: what the context engine ranks over. Built from a root folder (reusing the saved
// index for unchanged files), kept current by file-watcher events and open-document edits, saved to the
// extension's storage. Holds no file texts and no syntax trees except those of edited documents (in the
// backend), so memory stays proportional to the extracted symbols.
import { readFileSync } from 'node:fs';
import { lstat, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { CancellationError, errorMessage, throwIfAborted, untilAborted } from '../errors';
import type { Clock, Disposable, Logger } from '../ports';
import { Emitter } from '../emitter';
import type { ExtractionBackend } from './extractionBackend';
import { DefinitionColumns } from './definitionColumns';
import { unreadableTextsFound } from './definitionTexts';
import { detached } from './detached';
import { foldsCase, pathKeyOn, spelledAsOnDisk } from './diskSpelling';
import { contentHash, documentSkipReason, DOCUMENT_MTIME, type FileOutcome, type FileTask, type SettleOutcome, type TextChange } from './fileProcessor';
import type { IndexChange, IndexLookup } from './indexLookup';
import { indexCacheFile, loadIndex, saveIndex, UNREADABLE_MTIME, type SkippedFile } from './indexPersistence';
import { pathHoldsSecrets } from './alwaysSkipped';
import { adoptSavedIndex } from './savedIndexAdoption';
import { InternedStrings, InternedSubset, keptAsIs } from './internedStrings';
import { PathMap } from './pathMap';
import { RemovedPaths } from './removedPaths';
import { TypedArraySlabs } from './typedArraySlabs';
import { basename, importKeys, manifestKeys, PathTable, pathKeys, resolveImportTargets, resolvesByNamesUsed, type FolderLayout } from './importResolver';
import { isManifest, ManifestCache } from './manifests';
import { hasBinaryExtension, languageForPath } from './languages';
import { forEachTargetFile, importEdge, DefinitionRecord, NO_NAMES, reachesExactly, resolvedImportEdge, sameNames, sameTargets, type ImportEdge, type IndexedFile, type IndexSnapshot, type LanguageId } from './model';
import { readAhead } from './readAhead';
import { fileDataWith, identifierAt, identifierCount, narrowIds, NO_DEFINITIONS, NO_IDENTIFIERS, StoredFile, type FileData } from './storedFile';
import { TargetLists } from './targetLists';
import { StringSetMap } from './stringSetMap';
import { ParseTimeoutError } from './treeSitterLoader';
import { fileTooLarge } from './fileSizeLimit';
import { fileText } from './fileText';
import { FolderPaths, isAtOrUnder, type FolderSpec } from './folderPaths';
import { withRealPaths } from './folderRealPaths';
import { WorkspaceFolders } from './workspaceFolders';
import { StringTableWatch, type StringTableBound, type StringTableGrowth } from './stringTableGrowth';
import { linkChain, overlaps, type LinkChain, type ScanFileSystem, type ScannedFile } from './workspaceScanner';

export const DEFAULT_MAX_FILE_KB = 256;

/** One string instance per language (received ones are copies). */
const LANGUAGES: Readonly<Record<LanguageId, LanguageId>> = {
  typescript: 'typescript',
  tsx: 'tsx',
  javascript: 'javascript',
  python: 'python',
  go: 'go',
  rust: 'rust',
  java: 'java',
  text: 'text',
};

export interface WorkspaceIndexOptions {
  /** Absolute path of the workspace folder (of the first folder, with `folders`). */
  readonly root: string;
  /**
   * The workspace's folders, in order, each with its own exclusions (`root` and `exclude` then stand for nothing).
   * Two or more: each file's path starts with its folder's name (FolderPaths). One: that folder, paths relative to
   * it. None given: `root` with `exclude`.
   */
  readonly folders?: readonly FolderSpec[];
  /** Where files are parsed; the index owns it and disposes it. */
  readonly backend: ExtractionBackend;
  readonly logger: Logger;
  readonly clock: Clock;
  /** Glob patterns relative to the root, on top of .gitignore files (files.exclude + contexten.context.exclude). */
  readonly exclude?: readonly string[];
  /** contexten.context.maxFileKB. */
  readonly maxFileKB?: number;
  /** Folder the index is saved in between sessions (the extension's workspace storage); none: memory only. */
  readonly storageDir?: string;
  /**
   * indexCacheFile(storageDir, identity), when the caller has it: a reopen then hashes nothing (naming the file hashes
   * the root, and loading node:crypto for it would come before the index is ready).
   */
  readonly savedIndexFile?: string;
  /** How far the shared string table may outgrow the strings the files use (STRING_TABLE_BOUND; tests lower it). */
  readonly stringTableBound?: StringTableBound;
  /** What the scans list directories and stat files with (node:fs by default; tests inject failures). */
  readonly scanFileSystem?: ScanFileSystem;
}

export interface IndexProgress {
  readonly phase: 'loading' | 'indexing';
  /** Files found so far (the final count once `scanComplete`). */
  readonly filesFound: number;
  /** Files dealt with: reused unchanged, parsed, or skipped. */
  readonly filesDone: number;
  readonly scanComplete: boolean;
}

export interface IndexBuildStats {
  readonly files: number;
  readonly definitions: number;
  readonly references: number;
  /** Files read and parsed by this build. */
  readonly parsed: number;
  /** Files kept as they were (same size and mtime, or same content hash). */
  readonly reused: number;
  /**
   * Files left out: too large, binary (by extension or content), unreadable (no permission), or the parser failed. (Not
   * files deleted while the build ran.)
   */
  readonly skipped: number;
  /** Files dropped because they are gone or now excluded. */
  readonly removed: number;
  readonly ms: number;
  /** Workspace folders (absolute paths) whose root could not be read (no permission): none of their files is indexed. */
  readonly unreadableFolders?: readonly string[];
}

/** A save of the index that failed: where it was to be saved, and why (the error's message, and its code when it has one). */
export interface SaveFailure {
  readonly storageDir: string;
  readonly message: string;
  /** The system error's code (EACCES, ENOSPC…): the same failure again has it too, while its message may name another temporary file. */
  readonly code?: string;
}

export interface BuildOptions {
  readonly signal?: AbortSignal;
  /** Called at most every 100 ms, and once at the end. */
  readonly onProgress?: (progress: IndexProgress) => void;
}

const PROGRESS_INTERVAL_MS = 100;
/** Files the scan passed over named in one debug line. */
const PASSED_OVER_PER_LINE = 256;

/** How long a step of keying a build's imports after it may take (see `unkeyed`): a request waits at most about that. */
const KEYING_STEP_MS = 4;
/**
 * How long an open document whose update came from a tree re-parsed around syntax errors stays so after the last
 * edit of any open document before it is parsed from scratch (settled): typing pauses longer than this are rare
 * mid-word.
 */
export const SETTLE_DELAY_MS = 750;
/**
 * How long edits can keep putting settling off: documents edited without such pauses (an agent streaming text into
 * one) would otherwise keep another document's interim extraction indefinitely.
 */
export const SETTLE_MAX_WAIT_MS = 5_000;
/**
 * Settling parses of one version of a document that may fail (a parse that throws, a wasm trap) before it keeps its
 * interim extraction until its next edit: each try waits for a quiet period of its own, so a failure that lasts
 * costs this many whole parses, not a loop of them.
 */
export const SETTLE_TRIES = 3;

export class WorkspaceIndex implements IndexSnapshot, IndexLookup, Disposable {
  readonly root: string;
  /** The folders' paths, exclusions and scans. */
  private readonly workspace: WorkspaceFolders;
  private readonly folderPaths: FolderPaths;
  private readonly maxFileBytes: number;
  private readonly entries = new Map<string, StoredFile>();
  /** (A PathMap, as `paths` is a PathTable: whether anything is under a path is asked of every file event, see dropUnder.) */
  private readonly skippedFiles = new PathMap<SkippedFile>();
  /** The paths of `entries`. */
  private readonly paths: PathTable;
  /** The files importing each path (their imports' target files). Only those not `unkeyed`. */
  private readonly importers = new StringSetMap<string>();
  /**
   * Files by the keys of their imports (importKeys), resolved or not: whose resolution a path's coming or going may
   * change. Only those not `unkeyed`.
   */
  private readonly importsByKey = new StringSetMap<string>();
  /**
   * Paths whose imports are not yet in importsByKey nor in importers: the files a build set (keying a reopened
   * monaco-editor's ~10,000 imports took ~30 ms before the index was ready, and listing them as their targets' importers
   * ~3 ms more; a cold build's beside its parsing). They are keyed in steps after the build (keyImportsSoon), or all at
   * once when a path's coming or going, or a caller of importersOf, needs them first.
   */
  private readonly unkeyed = new Set<string>();
  /** The next step of keying the `unkeyed` files, when one is due. */
  private keying: NodeJS.Immediate | undefined;
  /**
   * Symbolic links to files (index paths) and where each leads: the real path of its file, and the other links on the
   * way (a chain's links, links to directories). A watcher event names the file, or the link changed on the way, only,
   * so the links leading to or through it are read again after it (readLinksTo). Links are rare, and one gone is
   * dropped when next read.
   */
  private readonly linkTargets = new Map<string, LinkChain>();
  /**
   * Symbolic links to directories outside the workspace (index paths) that the scans met (the builds', and those of
   * folders since), and the real path of each: of several leading to or into one directory a walk follows the first it
   * meets only, so one of them coming or going re-syncs the workspace (dirLinksContended, which drops one gone).
   */
  private readonly dirLinks = new Map<string, string>();
  /**
   * Paths whose files changed on disk while their open documents had unsaved changes (fileChangedUnderDocument): read
   * when the document closes, even if the index never held its text (too large, say), as it then holds the disk's.
   */
  private readonly changedUnderDocuments = new Set<string>();
  /** By workspace folder root: whether its disk looks names up without regard to case (foldsCase), once told. */
  private readonly caseFolding = new Map<string, Promise<boolean | undefined>>();
  /** Texts of open documents with edits (they win over disk). */
  private readonly documents = new Map<string, string>();
  /**
   * Texts of open documents with edits whose paths the rules exclude (a .gitignore, an exclude glob): not indexed, as
   * on disk, and kept apart from `documents` (which builds and file events leave alone) so that they come back with
   * their texts when the rules change back (readmitDocuments, after a build).
   */
  private readonly excludedDocuments = new Map<string, string>();
  /**
   * Updates of each open document in the order they came, up to handing their edits to the backend (see
   * updateDocument): an exclusion check is asynchronous, and a quicker one must not let a later edit overtake.
   */
  private readonly documentTurns = new Map<string, Promise<void>>();
  /**
   * How many times each document with an update under way was closed (or moved away) meanwhile: an update that
   * waited across a close is dropped.
   */
  private readonly closes = new Map<string, number>();
  /**
   * Open documents not yet settled (see updateDocument), each with when it started waiting (SETTLE_MAX_WAIT_MS
   * counts from there), and the timer of the quiet period they wait for.
   */
  private readonly unsettled = new Map<string, number>();
  /** Failed settling parses of an open document's current version (SETTLE_TRIES); an edit starts the count over. */
  private readonly settleFailures = new Map<string, number>();
  /**
   * Open documents whose settling failed SETTLE_TRIES times: their entries stay the interim extraction (as unsettled
   * ones' are) until the next edit, settleDocuments or their closing, which must then extract the disk's text anew.
   */
  private readonly unsettleable = new Set<string>();
  private settleTimer: Disposable | undefined;
  /** The last edit of an open document, or settling parse that gave way or failed: the quiet period counts from it. */
  private lastActivityAt = Number.NEGATIVE_INFINITY;
  private disposed = false;
  /** unreadableTextsFound() when this index last looked for files whose texts proved unreadable (repairUnreadableTexts). */
  private unreadableSeen = 0;
  /** Files being read again because their texts proved unreadable. */
  private readonly repairing = new Set<string>();
  /** Latest request per path: results of superseded requests are dropped. */
  private readonly latest = new Map<string, number>();
  /**
   * The newest read of each path from disk under way (readFromDisk), by number: an older read whose look at the disk
   * ends after a newer one started decides nothing (its removal or task would undo what the newer found).
   */
  private readonly diskReads = new Map<string, number>();
  private diskReadCounter = 0;
  private readonly strings = new InternedStrings();
  /**
   * The identifiers of the files, numbered apart from the other strings (each is kept in `strings`, which finds it):
   * files keep them as these numbers (IdentifierIds), 16-bit while fewer than 65,536 distinct identifiers were seen.
   */
  private readonly identifierNames = new InternedSubset(this.strings);
  /** When `strings` holds too many strings no file uses any more (see stringTableGrowth.ts). */
  private readonly stringWatch: StringTableWatch;
  private readonly growth = new Emitter<StringTableGrowth>((err) => this.options.logger.error('context: a string table listener failed:', err));
  private readonly saveFailures = new Emitter<SaveFailure>((err) => this.options.logger.error('context: a save failure listener failed:', err));
  /** The last save failed (saveFailures fired): the next failure is not told again until a save succeeds. */
  private saveFailing = false;
  /** identifierIds' work buffer. */
  private idScratch = new Uint32Array(1024);
  /** Where the small arrays of files a build receives are kept (side by side: they live about as long as each other). */
  private readonly builtArrays = new TypedArraySlabs();
  private readonly failures = new Set<string>();
  private readonly listeners = new Set<(change: IndexChange) => void>();
  private currentVersion = 0;
  private requestCounter = 0;
  /** While > 0, import resolution waits for the end of the build. */
  private building = 0;
  /** While a build's own outcome is applied (internFile puts its arrays in builtArrays). */
  private applyingBuilt = false;
  private cacheLoaded = false;
  private buildQueue: Promise<unknown> = Promise.resolve();
  /**
   * The build for changed .gitignore rules queued and not started yet (ignoreRulesChanged): the rules changed since
   * join it instead of queuing builds of their own (a branch switch rewrites dozens of .gitignore files at once).
   */
  private rulesBuild: RulesBuild | undefined;
  /** Something changed since the index was loaded or last saved. */
  private unsaved = true;
  /** The save under way, if any (saves run one after another, after the build that asked for them). */
  private saving: Promise<void> = Promise.resolve();
  /** Stops the builds under way (dispose: each saves what it indexed, as a cancelled build does). */
  private readonly buildStops = new Set<AbortController>();
  /** A file was added or removed during the current build (imports must be resolved again). */
  private pathsChanged = false;
  /**
   * What the workspace's go.mod, go.work, Cargo.toml, tsconfig.json, jsconfig.json (and tsconfig*.json) and package.json
   * files say, as read for resolving imports, each when first
   * asked for (the index keeps no texts, and a workspace has few manifests): an open document's text, else the disk's.
   * A manifest indexed again is read again, and one that says otherwise re-resolves the imports it may change.
   */
  /** (Read with a file's byte-order mark, as the index hashes the file: ManifestCache compares the hashes.) */
  private readonly manifests = new ManifestCache((p) => this.readTextNow(p, true), contentHash);
  /** A manifest said otherwise during the current build (its end resolves every import again). */
  private manifestsChanged = false;
  /** Files stored during a build with their imports not yet resolved. */
  private readonly unresolved = new Set<string>();
  /** Equal lists of import targets the resolution made, kept once (every importer of a Go package lists its files). */
  private readonly targetLists = new TargetLists();
  /**
   * While a build reads the saved index: the paths deleted or moved away meanwhile (their saved entries are not loaded),
   * and those that are files now where folders may have been (what was under them: dropUnder).
   */
  private removedWhileLoading: RemovedPaths | undefined;
  /**
   * Paths indexed (or skipped) by file events while the build runs: its scan may have passed their folders before they
   * were there, so its end keeps them though the scan did not see them. (Builds run one at a time.)
   */
  private readonly arrivedDuringBuild = new Set<string>();
  /**
   * During a build whose scan is complete and found other paths than the index holds: the paths the build
   * will end with unless files are skipped or removed. Files are resolved against them as they arrive.
   */
  private expectedPaths: PathTable | undefined;
  /**
   * A file was replaced while resolving against expected paths: the maps of importers no longer list files in
   * the order of `entries` (what rebuilding them at the end of a build gives).
   */
  private importsOutOfOrder = false;

  /** Where a multi-root workspace's folders are on disk, for its configuration files' paths (none for one folder). */
  private get layout(): FolderLayout | undefined {
    return this.folderPaths.multiRoot ? this.folderPaths : undefined;
  }

  constructor(private readonly options: WorkspaceIndexOptions) {
    // (Folders compared by their real paths: a folder linked to or into another is that folder or nested in it.)
    this.folderPaths = FolderPaths.of(options.folders ? { ...options, folders: withRealPaths(options.folders) } : options);
    this.root = this.folderPaths.folders[0]?.root ?? path.resolve(options.root);
    this.workspace = new WorkspaceFolders(this.folderPaths, options.logger, options.storageDir, this.dirLinks, options.scanFileSystem);
    this.paths = new PathTable(false, this.layout);
    this.maxFileBytes = (options.maxFileKB ?? DEFAULT_MAX_FILE_KB) * 1024;
    this.stringWatch = new StringTableWatch(options.stringTableBound);
  }

  // ------------------------------------------------------------------ IndexSnapshot

  get version(): number {
    return this.currentVersion;
  }

  /** The live map of indexed files (it changes as the index does; `version` tells when). */
  get files(): ReadonlyMap<string, IndexedFile> {
    return this.entries;
  }

  readText(relPath: string): Promise<string | undefined> {
    return Promise.resolve(this.readTextNow(relPath));
  }

  /**
   * Read synchronously: this runs on the engine thread (never the extension host), and the packer reads a few
   * dozen small files per query. A promise-based read costs a file handle, several thread-pool round trips and
   * a buffer besides the string each: about 30 % of a query's CPU at synthetic-5000 and 0.8 MB more garbage.
   */
  private readTextNow(relPath: string, keepByteOrderMark = false): string | undefined {
    const open = this.documents.get(relPath);
    if (open !== undefined) return open;
    const abs = this.absolute(relPath);
    if (abs === undefined) return undefined;
    try {
      return fileText(readFileSync(abs), keepByteOrderMark);
    } catch {
      return undefined;
    }
  }

  // ------------------------------------------------------------------ IndexLookup

  importersOf(relPath: string): readonly string[] {
    this.keyUnkeyed();
    return [...this.importers.values(relPath)];
  }

  onDidChange(listener: (change: IndexChange) => void): Disposable {
    this.listeners.add(listener);
    return { dispose: () => this.listeners.delete(listener) };
  }

  /**
   * Called (once) when the shared string table outgrew the strings the files use by the bound (STRING_TABLE_BOUND),
   * right after a save counted them: identifiers typed and deleted, files created and deleted since stay numbered there
   * for the index's life. A new index started from the saved one keeps only the strings it uses, so the owner replaces
   * the engine when it is idle. Only an index with a storage folder asks (one without would parse everything again).
   */
  onStringTableGrowth(listener: (growth: StringTableGrowth) => void): Disposable {
    return this.growth.event(listener);
  }

  /**
   * Called when a save of the index fails (a read-only or full storage folder: every reopen then indexes everything
   * again), once until a save succeeds again. The failure is logged as well.
   */
  onSaveFailed(listener: (failure: SaveFailure) => void): Disposable {
    return this.saveFailures.event(listener);
  }

  /** How many strings the shared table holds (the figure onStringTableGrowth reports; tests read it). */
  get internedStrings(): number {
    return this.strings.size;
  }

  // ------------------------------------------------------------------ building

  /**
   * Brings the index in line with the disk: the first call loads the saved index (when a storage folder is
   * set), then scans the workspace and parses only new or changed files; files gone or now excluded are
   * dropped. Later calls re-sync the same way (cheap: unchanged files are only stat'ed). Builds run one at a
   * time. On cancellation the files indexed so far stay indexed. The result is saved after the build
   * resolves, in the background (the index is ready first; `whenSaved()` and `dispose()` wait for it).
   * @throws CancellationError when the signal aborts.
   */
  build(options: BuildOptions = {}): Promise<IndexBuildStats> {
    return this.queueBuild(options);
  }

  /** build(), calling `onStart` when the build starts (after those queued before it). */
  private queueBuild(options: BuildOptions, onStart?: () => void): Promise<IndexBuildStats> {
    const run = this.buildQueue.then(() => {
      onStart?.();
      return this.runBuild(options);
    });
    this.buildQueue = run.catch(() => undefined);
    return run;
  }

  private async runBuild({ signal: given, onProgress }: BuildOptions): Promise<IndexBuildStats> {
    const { clock, storageDir, logger } = this.options;
    // (dispose stops it: see buildStops.)
    const stop = new AbortController();
    if (this.disposed) stop.abort();
    const signal = given === undefined ? stop.signal : AbortSignal.any([given, stop.signal]);
    throwIfAborted(signal);
    const started = clock.now();
    let found = 0;
    let done = 0;
    let parsed = 0;
    let reused = 0;
    let skipped = 0;
    // Logged at debug level a few hundred to a line: a line each (a message from the engine thread each) cost ~15 % of a
    // build of a folder of 20,000 images.
    const passedOver: string[] = [];
    const logPassedOver = (): void => {
      if (passedOver.length > 0) logger.debug(`context: skipped ${passedOver.splice(0).join(', ')}`);
    };
    /** Workspace folders whose root could not be read (no permission): the index holds none of their files. */
    const unreadableFolders: string[] = [];
    let scanComplete = false;
    let lastProgress = Number.NEGATIVE_INFINITY;
    const report = (phase: IndexProgress['phase'], force = false): void => {
      if (!onProgress) return;
      const now = clock.now();
      if (!force && now - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = now;
      onProgress({ phase, filesFound: found, filesDone: done, scanComplete });
    };
    // Imports resolve as the disk opens files, and rules and documents are matched to folders as it names them: without
    // regard to case where it folds case (PathTable, WorkspaceFolders), known from the first build on (files indexed
    // before it resolved as on any disk: resolved again at its end).
    const folds = await this.anyFoldsCase();
    this.workspace.foldsCase = folds;
    const foldingChanged = this.paths.setFoldsCase(folds);
    const changed = new Set<string>();
    const removed = new Set<string>();
    /** Paths handed to the workers by this build, and their requests. */
    const requests = new Map<string, number>();
    /** False once the build has ended: a scan still running (after a cancellation) then stops. */
    let running = true;
    /** The build ended by its signal (cancelled, or the index disposed): what it indexed is saved all the same. */
    let cancelled = false;
    this.buildStops.add(stop);
    if (this.disposed) stop.abort();
    this.building++;
    this.arrivedDuringBuild.clear();
    // The scan starts at once: its directory reads (what it waits for on a cold disk cache) overlap the loading
    // of the saved index.
    const scanned = readAhead(
      this.workspace.scan(
        this.maxFileBytes,
        signal,
        '',
        // Files the scan passes over (too large, a binary extension, no permission to read them) count as skipped. One
        // it could not read is not named here too: the scan warns of it, with why and what to do (WorkspaceFolders).
        (p, reason) => {
          skipped++;
          if (reason === 'unreadable') return;
          passedOver.push(`${p} (${reason})`);
          if (passedOver.length >= PASSED_OVER_PER_LINE) logPassedOver();
        },
        (p, chain) => this.noteLink(p, chain),
        (p, target) => this.dirLinks.set(p, target),
        (root) => unreadableFolders.push(root),
      ),
    );
    let importsStale = false;
    try {
      if (!this.cacheLoaded && storageDir !== undefined) {
        report('loading', true);
        // Paths deleted or moved away while it is read: their saved entries are older than that.
        this.removedWhileLoading = new RemovedPaths();
        let saved: Awaited<ReturnType<typeof loadIndex>>;
        let removed: RemovedPaths;
        try {
          const shared = { strings: this.strings, identifiers: this.identifierNames };
          saved = await loadIndex(storageDir, this.folderPaths.identity, logger, signal, shared, this.options.savedIndexFile);
          // None of its own (its folders changed): the saved files of the folders it shares with another workspace's.
          // (Their imports come back stale: resolved again at the end, and the index saved as this workspace's.)
          saved ??= await adoptSavedIndex(storageDir, this.folderPaths, this.options.savedIndexFile ?? indexCacheFile(storageDir, this.folderPaths.identity), logger, signal, shared);
        } finally {
          removed = this.removedWhileLoading;
          this.removedWhileLoading = undefined;
        }
        const indexedBefore = [...this.entries.keys()];
        if (saved) {
          // A file indexed before it was read (an open document, the editor's text; a file event's) is newer than its
          // saved entry; a path removed meanwhile is gone.
          const gone = (p: string): boolean => removed.has(p);
          const leftOut: string[] = [];
          // (So is a file skipped meanwhile: an event found it binary, too large or failing, after the scan listed it.)
          // A file that holds secrets by its path (.env, an earlier version let in outside a git work tree) is not
          // loaded, and the index is saved again without it. One that does by its real path only (itself a link to one,
          // or in a directory reached through a link: sshkeys/work_key, sshkeys → ~/.ssh) is left to the scan, which
          // drops it at its end: a real path per saved directory on every reopen would cost more than the case is worth
          // — an index saved by the versions that let those in is another extractor version's, never loaded.
          let secretsDropped = false;
          for (const f of saved.files) {
            if (pathHoldsSecrets(f.path)) {
              leftOut.push(f.path);
              secretsDropped = true;
            } else if (gone(f.path) || this.entries.has(f.path) || this.documents.has(f.path) || this.skippedFiles.has(f.path)) leftOut.push(f.path);
            else this.setFile(f, changed, true);
          }
          // A saved file left out and not in the index (gone, or a document whose text is not indexed: too large,
          // binary, excluded): the saved files importing it must not keep their resolution to it.
          for (const p of leftOut) if (!this.entries.has(p)) for (const importer of this.importsAffectedBy(p)) this.unresolved.add(importer);
          // A saved skip is older than what this session found of its path: an entry, a document, a skip of its own.
          for (const s of saved.skipped) {
            if (!gone(s.path) && !pathHoldsSecrets(s.path) && !this.entries.has(s.path) && !this.documents.has(s.path) && !this.skippedFiles.has(s.path)) this.skippedFiles.set(s.path, s);
          }
          this.unsaved = saved.importsStale || secretsDropped;
          importsStale = saved.importsStale;
        }
        // Files indexed before the saved ones were here (open documents a new engine was sent, file events) were
        // resolved without them, and the saved files without the paths of those that are new to them: both are
        // resolved again at the end.
        const savedPaths = new Set(indexedBefore.length > 0 ? saved?.files.map((f) => f.path) : undefined);
        for (const p of indexedBefore) {
          this.unresolved.add(p);
          if (!savedPaths.has(p)) for (const importer of this.importsAffectedBy(p)) this.unresolved.add(importer);
        }
      }
      // Loaded files carry their saved import resolution, right as long as no file comes or goes (and it was saved
      // by this resolution: else the end of the build resolves every import again).
      this.pathsChanged = importsStale || foldingChanged;
      this.cacheLoaded = true;

      const seen = new Set<string>();
      // The scan runs ahead of the parsing, so it ends early and imports can be resolved while files arrive.
      const tasks = async function* (this: WorkspaceIndex): AsyncGenerator<FileTask> {
        for await (const batch of scanned) {
          for (const f of batch) {
            if (!running) return;
            found++;
            seen.add(f.path);
            const known = this.entries.get(f.path) ?? reusableSkip(this.skippedFiles.get(f.path));
            if ((known && known.size === f.size && known.mtimeMs === f.mtimeMs) || this.documents.has(f.path)) {
              reused++;
              done++;
              report('indexing');
              continue;
            }
            requests.set(f.path, this.claim(f.path));
            yield taskFor(f, this.knownHash(f.path));
          }
        }
        if (!running) return;
        logPassedOver();
        scanComplete = true;
        this.expectPaths(seen);
      }.call(this);

      await this.options.backend.processFiles(
        readAhead(tasks),
        (outcome) => {
          done++;
          const p = outcomePath(outcome);
          if (this.latest.get(p) === requests.get(p)) {
            this.latest.delete(p);
            if (outcome.kind === 'indexed') parsed++;
            else if (outcome.kind === 'unchanged') reused++;
            // (A file gone since the scan listed it is not left out: it is simply not there any more.)
            else if (outcome.vanished !== true) skipped++;
            this.applyingBuilt = true;
            try {
              this.apply(outcome, changed, removed);
            } finally {
              this.applyingBuilt = false;
            }
          }
          report('indexing');
        },
        signal,
      );
      report('indexing', true);

      for (const p of [...this.entries.keys()]) {
        if (!seen.has(p) && !this.documents.has(p) && !this.arrivedDuringBuild.has(p)) this.deleteFile(p, removed, changed);
      }
      // An open document the scan did not find stays (a new file not saved yet) unless the rules exclude its path.
      for (const p of [...this.documents.keys()]) {
        if (seen.has(p) || !(await this.workspace.isExcluded(p, false))) continue;
        this.excludeDocument(p);
        if (this.entries.has(p)) this.deleteFile(p, removed, changed);
      }
      for (const p of [...this.skippedFiles.keys()]) {
        if (!seen.has(p) && !this.arrivedDuringBuild.has(p)) {
          this.skippedFiles.delete(p);
          this.unsaved = true;
        }
      }
    } catch (err) {
      cancelled = CancellationError.is(err);
      throw err;
    } finally {
      running = false;
      this.buildStops.delete(stop);
      logPassedOver();
      // Files scanned but never parsed (a cancelled build): their requests end here.
      for (const [p, request] of requests) if (this.latest.get(p) === request) this.latest.delete(p);
      this.building--;
      if (this.building === 0) {
        this.arrivedDuringBuild.clear();
        const expected = this.expectedPaths;
        this.expectedPaths = undefined;
        if (expected !== undefined) {
          // Every file was resolved against the expected paths: right when the build ended with exactly those.
          if (!samePaths(this.paths, expected) || this.manifestsChanged) this.resolveAll();
          else {
            if (this.importsOutOfOrder) this.reindexImports();
            this.currentVersion++;
          }
        } else if (this.pathsChanged || this.manifestsChanged) this.resolveAll();
        else this.reresolve(this.unresolved, changed);
        this.unresolved.clear();
        this.manifestsChanged = false;
        this.keyImportsSoon();
      }
      this.emit(changed, removed);
      if (cancelled) this.saveCancelled();
    }

    const totals = this.totals();
    const stats = { ...totals, parsed, reused, skipped, removed: removed.size, ms: clock.now() - started, ...(unreadableFolders.length > 0 ? { unreadableFolders } : {}) };
    this.saveIfChanged();
    // Nothing to save (a reopen that found every file as saved): the strings it holds now are the files'.
    if (!this.unsaved) this.stringWatch.assumeLive(this.strings.size);
    await this.readmitDocuments(signal);
    return stats;
  }

  /**
   * Queues a save of the index when it changed since the last one (and has a storage folder), unless a build is under
   * way: its files' imports are resolved at its end, and it saves then.
   */
  private saveIfChanged(): void {
    // Saves queue one after another; writeSavedIndex never rejects, so the chain never breaks.
    if (this.options.storageDir !== undefined && this.unsaved && !this.disposed && this.building === 0) this.saving = this.saving.then(() => this.writeSavedIndex());
  }

  /**
   * After a build ended by its signal (cancelled, restarted, the index disposed): queues a save of what it indexed — each
   * file whole, as applied; files it did not reach keep their saved entries or are missing (a reopen parses them);
   * files gone are not dropped yet (a reopen's build drops them). Its imports were resolved at its end against the
   * paths the index holds, which are the paths saved: a reopen that finds a path new or gone resolves them all again
   * (pathsChanged), one that does not keeps them as they are right, ending as a fresh index would. Not while another build
   * runs (it saves at its end), nor before the saved index was loaded (the entries would be fewer than the saved ones:
   * saving them would lose the rest).
   */
  private saveCancelled(): void {
    if (this.options.storageDir === undefined || !this.unsaved || this.building > 0 || !this.cacheLoaded) return;
    // (Also while disposing: dispose waits for the builds under way, then for the saves.)
    this.saving = this.saving.then(() => this.writeSavedIndex());
  }

  /** Resolves when the saves asked for so far have finished. */
  whenSaved(): Promise<void> {
    return this.saving;
  }

  /**
   * Writes the index to the storage folder. Never rejects: a failure is logged and the index stays marked
   * unsaved, so the next build saves it again. Edited-but-unsaved documents are not saved (their files'
   * disk state is what a reopen checks against), but the strings they use are counted as in use (a new engine has
   * them again as soon as the documents are sent to it: left out, its table would look outgrown at once).
   */
  private async writeSavedIndex(): Promise<void> {
    const { storageDir, logger } = this.options;
    // A build began after this save was queued: its files' imports are resolved at its end, which saves then (saved
    // now, with imports it has not resolved yet, and the build cancelled, every reopen would keep them so).
    if (storageDir === undefined || this.building > 0) {
      this.stringWatch.countSkipped();
      return;
    }
    // (The entries themselves: their definitions are made file by file as the save reads them, not all at once.)
    const files: FileData[] = [];
    // Not saved, but their strings are in use (a new engine has them again as soon as the documents are sent to it).
    const documents: FileData[] = [];
    for (const f of this.entries.values()) (f.mtimeMs === DOCUMENT_MTIME ? documents : files).push(f);
    try {
      this.unsaved = false;
      // The saved files' imports were resolved with the documents' paths there, which a reopen may not find (a new
      // file not saved yet, a file deleted while open): saved as stale, they are all resolved again then.
      const importsStale = files.length < this.entries.size;
      const used = await saveIndex(storageDir, this.folderPaths.identity, files, this.skippedFiles.values(), this.strings, importsStale, this.folderPaths.folders, documents);
      // The strings the files use: those the save wrote, those only open documents' unsaved texts use, and the paths
      // (written as they are, not in its table).
      this.saveFailing = false;
      const growth = this.stringWatch.counted(this.strings.size, used + this.entries.size);
      if (growth !== undefined && !this.disposed) this.reportGrowth(growth);
    } catch (err) {
      this.unsaved = true;
      this.stringWatch.countFailed(this.strings.size);
      logger.warn(`context: could not save the index in ${storageDir}: ${errorMessage(err)}`);
      if (!this.saveFailing && !this.disposed) this.saveFailures.fire({ storageDir, message: errorMessage(err), ...errorCode(err) });
      this.saveFailing = true;
    }
  }

  /**
   * After a change: when the shared strings grew past the bound since they were last counted, a save counts them
   * (writeSavedIndex), which reports the growth when most are no file's any more. (A build's end saves and counts.)
   */
  private watchStrings(): void {
    if (this.options.storageDir === undefined || this.building > 0 || this.disposed) return;
    if (!this.stringWatch.countDue(this.strings.size)) return;
    this.unsaved = true;
    this.saveIfChanged();
  }

  private reportGrowth(growth: StringTableGrowth): void {
    this.options.logger.debug(`context: the index's string table holds ${growth.strings} strings, its files use ${growth.live}`);
    this.growth.fire(growth);
  }

  // ------------------------------------------------------------------ file watcher events

  /**
   * A file or folder was created or changed on disk (watcher create/change, or a save). Re-indexes it if it
   * is indexable; drops it if it vanished or is now excluded. A changed .gitignore re-syncs the workspace.
   */
  async updateFile(relPath: string, signal?: AbortSignal): Promise<void> {
    await this.readFromDisk(relPath, signal);
    await this.readLinksTo([relPath], signal);
  }

  /**
   * The file at `relPath` changed on disk while its open document has unsaved changes, which win over the disk (the
   * editor glue does not have it read then): the symbolic links leading to it are read again, and the file itself when
   * the document closes (changedUnderDocuments). A .gitignore's rules are read from disk whatever the editor shows: its
   * change re-syncs the workspace, as a saved one's does (readFromDisk).
   */
  async fileChangedUnderDocument(relPath: string, signal?: AbortSignal): Promise<void> {
    const rel = normaliseRelative(relPath);
    if (rel !== undefined) this.changedUnderDocuments.add(rel);
    if (rel !== undefined && this.absolute(rel) !== undefined && basename(rel) === '.gitignore') await this.ignoreRulesChanged([rel], signal);
    await this.readLinksTo([relPath], signal);
  }

  /** updateFile of the path itself (the links to it aside). */
  private async readFromDisk(relPath: string, signal?: AbortSignal): Promise<void> {
    const rel = normaliseRelative(relPath);
    const abs = rel === undefined ? undefined : this.absolute(rel);
    if (rel === undefined || abs === undefined) return;
    if (basename(rel) === '.gitignore') {
      await this.ignoreRulesChanged([rel], signal);
      return;
    }
    const read = ++this.diskReadCounter;
    this.diskReads.set(rel, read);
    // (Before diskTask finds the file not excluded: rules dropped after it are checked again when its parse ends.)
    const rulesSince = this.workspace.drops;
    let task: Awaited<ReturnType<typeof this.diskTask>>;
    try {
      task = await this.diskTask(rel, abs, false, () => this.diskReads.get(rel) === read);
    } finally {
      if (this.diskReads.get(rel) === read) this.diskReads.delete(rel);
    }
    if (task === 'directory') {
      // A folder made (or made again): rules cached under its path are of what was there before, if anything; a file
      // there before is gone (unless open: see diskTask).
      this.workspace.forgetDeleted(rel);
      this.removeEntries(rel, { keepDocuments: true, alone: true });
      // Holding another workspace folder (whose files its scan passes over, named by that folder): a re-sync, as for
      // its delete or rename.
      if (this.holdsFolder(rel)) {
        await this.build({ ...(signal ? { signal } : {}) });
        return;
      }
      await this.indexSubtree(rel, signal);
    }
    else if (task) {
      // A file where a folder was (moved away or deleted, and a file made at its path: the watcher may report the two as
      // one change event for the path): nothing is under it any more. (Most often it was a file already.)
      const links = this.dropUnder(rel);
      await this.indexTasks([task], signal, rulesSince);
      if (links === undefined) return;
      // As for the folder's delete (removePath): another workspace folder inside it, or a link to a directory outside
      // that another link leads to, is a re-sync; open documents under it are under the rules without its .gitignore files.
      if (this.holdsFolder(rel) || (await this.dirLinksContended(links))) await this.build({ ...(signal ? { signal } : {}) });
      else if (this.holdsDocumentsUnder(rel)) await this.recheckDocumentsUnder(rel, signal);
    }
  }

  /**
   * The task that indexes `rel` as it is on disk now (with `reextract`, whatever its content hash), or 'directory';
   * undefined, its entries dropped, when it is gone or no longer a file to index — or, doing nothing, when `current`
   * says a newer read of the path started meanwhile (which saw the disk later).
   */
  private async diskTask(rel: string, abs: string, reextract: boolean, current: () => boolean = () => true): Promise<FileTask | 'directory' | undefined> {
    let own = await lstat(abs).catch(() => undefined);
    // The name before a case-only rename, on a disk that folds case: it still reaches the file, which is gone from there.
    if (own !== undefined && (await this.spelledOtherwise(rel))) own = undefined;
    const link = own?.isSymbolicLink() === true;
    const info = link ? await stat(abs).catch(() => undefined) : own;
    const chain = link && info?.isDirectory() !== true ? await linkChain(abs) : undefined;
    if (!current()) return undefined;
    this.noteLink(rel, chain);
    if (info?.isDirectory()) return 'directory';
    const unindexable = !info?.isFile() || hasBinaryExtension(rel) || (await fileTooLarge(abs, info.size, this.maxFileBytes));
    const excluded = !unindexable && (await this.workspace.isExcluded(rel, false, link));
    if (!current()) return undefined;
    if (unindexable || excluded || info === undefined) {
      // An open document there stays indexed from its text, as it was (the editor still shows it; a save makes the
      // file again): only a path the rules exclude takes it out of the index.
      if (excluded) this.excludeDocument(rel);
      this.removeEntries(rel, { keepDocuments: true });
      return undefined;
    }
    return taskFor({ path: rel, absPath: abs, size: info.size, mtimeMs: info.mtimeMs }, reextract ? undefined : this.knownHash(rel));
  }

  /**
   * Drops what the index holds under the path `rel`, which is a file now (not `rel` itself): the entries and skip
   * records, as removeEntries does (open documents stay, indexed from their texts), the rules cached for the folder
   * that was there, and the links to directories outside noted at or under it, which it returns (see dirLinksContended).
   * Undefined when the index knew the path as a file already and holds nothing under it (a file's change, mostly):
   * that costs a look-up or two, as this runs for every file event.
   */
  private dropUnder(rel: string): [string, string][] | undefined {
    const holdsUnder = this.paths.holdsUnder(rel) || this.skippedFiles.holdsUnder(rel);
    if (!holdsUnder && (this.entries.has(rel) || this.skippedFiles.has(rel))) return undefined;
    const links = this.takeDirLinksUnder(rel);
    if (holdsUnder || links.length > 0 || this.holdsDocumentsUnder(rel)) {
      // (Its .gitignore files went with it; cached only for a folder the index held something under.)
      this.workspace.forgetDeleted(rel);
      this.removeEntries(rel, { keepDocuments: true, underOnly: true });
    }
    // (Saved entries under it read meanwhile are older: their files are gone. A path new to the index may have been a
    // folder when the index was saved.)
    else this.removedWhileLoading?.addUnder(rel);
    return links;
  }

  /** Whether open documents (indexed or excluded) are under the path `rel` (see underFolder). */
  private holdsDocumentsUnder(rel: string): boolean {
    const under = this.underFolder(rel);
    for (const p of this.documents.keys()) if (under(p)) return true;
    for (const p of this.excludedDocuments.keys()) if (under(p)) return true;
    return false;
  }

  /**
   * Whether an open document's path is under the folder `rel`: on a disk that folds case, spelled otherwise too (a
   * document's path, as the editor names it, may be).
   */
  private underFolder(rel: string): (p: string) => boolean {
    const fold = pathKeyOn(this.workspace.foldsCase);
    const prefix = fold(`${rel}/`);
    return (p) => fold(p).startsWith(prefix);
  }

  /**
   * Whether `rel`, a path that is there on disk, reaches a file or folder whose name (or a folder's above it) is spelled
   * otherwise: only on a disk that folds case (diskSpelling.ts), asked of each workspace folder once it can tell.
   */
  private async spelledOtherwise(rel: string): Promise<boolean> {
    const at = this.folderPaths.locate(rel);
    if (at === undefined || at.local === '') return false;
    return (await this.caseFoldingOf(at.folder.root)) === true && !(await spelledAsOnDisk(at.folder.root, at.local));
  }

  /** Whether the disk of any workspace folder folds case (caseFoldingOf; one that cannot tell yet counts as not). */
  private async anyFoldsCase(): Promise<boolean> {
    return (await Promise.all(this.folderPaths.folders.map((f) => this.caseFoldingOf(f.root)))).includes(true);
  }

  /** Whether the disk of the workspace folder `root` folds case (foldsCase), asked once it can tell. */
  private async caseFoldingOf(root: string): Promise<boolean | undefined> {
    let folds = this.caseFolding.get(root);
    if (folds === undefined) {
      folds = foldsCase(root);
      this.caseFolding.set(root, folds);
    }
    const told = await folds;
    // (Asked again next time when it could not tell: the folder was not there.)
    if (told === undefined && this.caseFolding.get(root) === folds) this.caseFolding.delete(root);
    return told;
  }

  /**
   * The content hash of the index's entry for `rel`, by which a file read again is kept as it is when its content is the
   * same; none for an entry whose saved texts proved unreadable (repairUnreadableTexts), or were saved so
   * (UNREADABLE_MTIME), which must be parsed again — nor for an entry made from an open document's text (DOCUMENT_MTIME):
   * a document is parsed whole, a file on disk without its function bodies (parseFileText), and with a syntax error in a
   * body the two extractions differ, so the same text read from disk (a close after a save) is extracted anew.
   */
  private knownHash(rel: string): string | undefined {
    const known = this.entries.get(rel);
    return known === undefined || known.columns.textsUnreadable || known.mtimeMs === UNREADABLE_MTIME || known.mtimeMs === DOCUMENT_MTIME ? undefined : known.hash;
  }

  /**
   * The .gitignore files at `paths` were created, changed, deleted or moved: their folders' rules are read
   * again and the workspace re-synced (files they excluded come in, files they now exclude go).
   */
  private async ignoreRulesChanged(paths: readonly string[], signal?: AbortSignal): Promise<void> {
    for (const p of paths) this.workspace.forgetRulesOf(p);
    throwIfAborted(signal);
    // A rules build not started yet reads the rules just forgotten: it is joined. (One that started may have passed
    // their folders: they get a build of their own, after it. One cancelled, its events all cancelled, will not run:
    // a new one is queued.)
    let build = this.rulesBuild;
    if (build === undefined || build.abort.signal.aborted) {
      const abort = new AbortController();
      const queued: RulesBuild = {
        abort,
        run: this.queueBuild({ signal: abort.signal }, () => {
          if (this.rulesBuild === queued) this.rulesBuild = undefined;
        }),
        waiting: 0,
        lasting: false,
      };
      this.rulesBuild = build = queued;
    }
    // Cancelled when every event waiting for it is (one waiting without a signal keeps it).
    if (signal === undefined) build.lasting = true;
    else {
      const joined = build;
      joined.waiting++;
      const onAbort = (): void => {
        if (--joined.waiting === 0 && !joined.lasting) {
          joined.abort.abort();
          if (this.rulesBuild === joined) this.rulesBuild = undefined;
        }
      };
      signal.addEventListener('abort', onAbort, { once: true });
      void joined.run.catch(() => undefined).finally(() => signal.removeEventListener('abort', onAbort));
    }
    await untilAborted(build.run, signal);
  }

  /**
   * A file or folder was deleted (watcher delete). Its entries go at once; a deleted .gitignore re-syncs the
   * workspace, which the returned promise waits for. A path there again on disk by then (made again, or another
   * moved onto it before this late event) is read again.
   */
  async removeFile(relPath: string, signal?: AbortSignal): Promise<void> {
    await this.removePath(relPath, signal);
    await this.readLinksTo([relPath], signal);
  }

  /** removeFile, but for the links to the path. */
  private removePath(relPath: string, signal?: AbortSignal): Promise<void> {
    const rel = normaliseRelative(relPath);
    if (rel === undefined) return Promise.resolve();
    // (Open documents stay, indexed from their texts: see diskTask.)
    this.removeEntries(rel, { keepDocuments: true });
    if (basename(rel) === '.gitignore') return this.ignoreRulesChanged([rel], signal);
    // A deleted folder takes its .gitignore files with it: made again, it must not keep their rules.
    this.workspace.forgetDeleted(rel);
    const links = this.takeDirLinksUnder(rel);
    // One delete event for a directory holding another workspace folder: that folder's files (named by it) went too.
    if (this.holdsFolder(rel)) return this.build({ ...(signal ? { signal } : {}) }).then(() => undefined);
    // Open documents under it (they stay open: see diskTask) are under other rules now: its .gitignore files went.
    const recheck = (): Promise<void> => this.recheckDocumentsUnder(rel, signal).then(() => this.readAgainIfThere(rel, signal));
    if (links.length === 0) return recheck();
    // Holding a link to a directory outside that another link leads to (or into): a scan follows that one now.
    return this.dirLinksContended(links).then((contended) => (contended ? this.build({ ...(signal ? { signal } : {}) }).then(() => undefined) : recheck()));
  }

  /** Takes the links to directories outside at or under the index path `rel` out of dirLinks. */
  private takeDirLinksUnder(rel: string): [string, string][] {
    if (this.dirLinks.size === 0) return [];
    const taken = [...this.dirLinks].filter(([p]) => isAtOrUnder(rel, p));
    for (const [p] of taken) this.dirLinks.delete(p);
    return taken;
  }

  /**
   * Whether one of `links` (index path, real path of the directory) leads to, into or around the directory of another
   * link in dirLinks that is still there: which of them a scan follows depends on which it meets first, which a build
   * decides. (Across the folders of a multi-root workspace too, where each folder's scan follows its own: a build then
   * is one too many.) A link noted that is gone (its event missed) or leads elsewhere now is dropped.
   */
  private async dirLinksContended(links: readonly (readonly [string, string])[]): Promise<boolean> {
    if (links.length === 0 || this.dirLinks.size === 0) return false;
    for (const [q, other] of [...this.dirLinks]) {
      if (!links.some(([p, target]) => q !== p && overlaps(target, other))) continue;
      const abs = this.absolute(q);
      const own = abs === undefined ? undefined : await lstat(abs).catch(() => undefined);
      if (own?.isSymbolicLink() === true && (await realpath(abs as string).catch(() => undefined)) === other) return true;
      if (this.dirLinks.get(q) === other) this.dirLinks.delete(q);
    }
    return false;
  }

  /** Notes that the index path `rel` is a symbolic link to a file, leading as `chain` says (undefined: it is not). */
  private noteLink(rel: string, chain: LinkChain | undefined): void {
    if (chain !== undefined) this.linkTargets.set(rel, chain);
    else if (this.linkTargets.size > 0) this.linkTargets.delete(rel);
  }

  /**
   * Reads again the symbolic links (noteLink) that lead to the files at or under the index paths `rels`, or through the
   * links at or under them, or did: an edit, delete or move of a file (or of a link on the way) is reported for its own
   * path only.
   */
  private async readLinksTo(rels: readonly string[], signal?: AbortSignal): Promise<void> {
    if (this.linkTargets.size === 0) return;
    const paths = rels.map(normaliseRelative).filter((r): r is string => r !== undefined);
    const reals = (await Promise.all(paths.map((r) => this.realPathsOf(r)))).flat();
    // On a disk that folds case a link's path to its file may be spelled otherwise than the file's path (a folder on
    // the way renamed in case only since): compared without regard to case there (a link too many read is harmless).
    const fold = pathKeyOn(await this.anyFoldsCase());
    const folded = reals.map(fold);
    const links = new Set<string>();
    const atOrUnder = (p: string): boolean => {
      const k = fold(p);
      return folded.some((r) => k === r || k.startsWith(r + path.sep));
    };
    for (const [link, chain] of this.linkTargets) {
      if (!paths.includes(link) && (atOrUnder(chain.target) || chain.via.some(atOrUnder))) links.add(link);
    }
    for (const link of links) await this.readFromDisk(link, signal);
  }

  /**
   * The index path `rel` as links' chains are noted (LinkChain): its own path (its real folder and name; what a link
   * there is noted by), and its real path when that is another (a link's, which leads elsewhere).
   */
  private async realPathsOf(rel: string): Promise<string[]> {
    const abs = this.absolute(rel);
    if (abs === undefined) return [];
    const [real, dir] = await Promise.all([realpath(abs).catch(() => undefined), realpath(path.dirname(abs)).catch(() => undefined)]);
    const own = dir === undefined ? abs : path.join(dir, path.basename(abs));
    return real === undefined || real === own ? [own] : [own, real];
  }

  /**
   * Entries under the folder `rel` that its scan did not list (`found`) and that are gone from disk or excluded now
   * go: indexed before the folder's rules came (a folder made again whose delete event never came, a read with the
   * rules it had before), or for files deleted with it. Open documents and files with a read under way stay.
   */
  private async dropUnfoundUnder(rel: string, found: ReadonlySet<string>): Promise<void> {
    // (Nothing indexed under it, the most common case — a folder made, a package installed under an excluded folder —
    // walks no entries.)
    if (!this.paths.holdsUnder(rel)) return;
    const prefix = `${rel}/`;
    const unfound = keysUnder(this.entries, prefix).filter((p) => !found.has(p) && !this.documents.has(p));
    for (const p of unfound) {
      const abs = this.absolute(p);
      const drop = abs === undefined || (await stat(abs).catch(() => undefined)) === undefined || (await this.spelledOtherwise(p)) || (await this.workspace.isExcluded(p, false));
      // (Not one read again, or opened, meanwhile: a file made there since the scan, whose read decides.)
      if (drop && this.entries.has(p) && !this.latest.has(p) && !this.documents.has(p)) this.removeEntries(p, { alone: true });
    }
  }

  /** updateFile of `rel` when something is at its path on disk. */
  private async readAgainIfThere(rel: string, signal?: AbortSignal): Promise<void> {
    const abs = this.absolute(rel);
    if (abs !== undefined && (await stat(abs).catch(() => undefined)) !== undefined) await this.readFromDisk(rel, signal);
  }

  /**
   * Open documents under `rel` whose paths the rules now exclude leave the index (their texts kept apart), and
   * those the rules excluded and no longer do come back with their texts.
   */
  private async recheckDocumentsUnder(rel: string, signal?: AbortSignal): Promise<void> {
    const under = this.underFolder(rel);
    for (const p of [...this.documents.keys()]) {
      if (!under(p)) continue;
      throwIfAborted(signal);
      // (Not when it closed meanwhile.)
      if (!(await this.workspace.isExcluded(p, false)) || !this.documents.has(p)) continue;
      this.excludeDocument(p);
      if (this.entries.has(p) || this.skippedFiles.has(p)) this.removeEntries(p, { alone: true });
    }
    if ([...this.excludedDocuments.keys()].some(under)) await this.readmitDocuments(signal);
  }

  /**
   * Whether an index path is (or holds) the root of a folder of a multi-root workspace: deleting or moving it
   * changes which folder files belong to, which the index re-syncs with a build.
   */
  private holdsFolder(rel: string): boolean {
    const abs = this.absolute(rel);
    return abs !== undefined && this.folderPaths.holdsFolder(abs);
  }

  /**
   * Drops the entries of `rel` and everything under it (with `alone`, of `rel` only; with `underOnly`, of what is under
   * it only), and their pending requests; with `keepDocuments`, not those of open documents (nor their pending edits).
   */
  private removeEntries(rel: string, { keepDocuments = false, alone = false, underOnly = false }: { keepDocuments?: boolean; alone?: boolean; underOnly?: boolean } = {}): void {
    const at = !underOnly;
    const under = !alone;
    if (at) this.removedWhileLoading?.add(rel);
    else this.removedWhileLoading?.addUnder(rel);
    const removed = new Set<string>();
    const changed = new Set<string>();
    // The imports the removed paths may have changed are re-resolved once, after the last one goes.
    const affected = new Set<string>();
    const goes = (p: string): boolean => !keepDocuments || !this.documents.has(p);
    this.supersedeUnder(rel, (p) => goes(p) && (p === rel ? at : under));
    if (at) {
      if (this.entries.has(rel) && goes(rel)) this.deleteFile(rel, removed, changed, affected);
      if (this.skippedFiles.delete(rel)) this.unsaved = true;
    }
    if (under) {
      const prefix = `${rel}/`;
      if (this.paths.holdsUnder(rel)) for (const p of keysUnder(this.entries, prefix)) if (goes(p)) this.deleteFile(p, removed, changed, affected);
      if (this.skippedFiles.holdsUnder(rel)) {
        for (const p of keysUnder(this.skippedFiles, prefix)) this.skippedFiles.delete(p);
        this.unsaved = true;
      }
    }
    this.reresolve(affected, changed);
    this.emit(changed, removed);
  }

  /**
   * A file or folder was renamed or moved. Indexed files move without re-parsing (their content is the
   * same); a change of language or a move into an excluded place re-indexes or drops them.
   */
  async renameFile(oldPath: string, newPath: string, signal?: AbortSignal): Promise<void> {
    await this.movePath(oldPath, newPath, signal);
    await this.readLinksTo([oldPath, newPath], signal);
  }

  /** renameFile, but for the links to either path. */
  private async movePath(oldPath: string, newPath: string, signal?: AbortSignal): Promise<void> {
    const from = normaliseRelative(oldPath);
    const to = normaliseRelative(newPath);
    if (from === undefined || to === undefined || from === to) return;
    // Rules cached for either path are stale: the folder left one (its .gitignore files with it) and replaced what
    // was at the other (or arrived where rules were read and found missing).
    this.workspace.forgetDeleted(from);
    this.workspace.forgetDeleted(to);
    // (Links to directories outside moved, or replaced: the scan of the new path notes those there.)
    const linksMoved = [...this.takeDirLinksUnder(from), ...this.takeDirLinksUnder(to)];
    this.removedWhileLoading?.add(from);
    const moves: [string, StoredFile][] = [];
    // (The entries and skip records are walked only when some are under the old path: a folder's rename otherwise
    // costs the whole index's size, each of a storm of them.)
    const entriesUnder = this.paths.holdsUnder(from);
    const moved = entriesUnder ? undefined : this.entries.get(from);
    if (entriesUnder) {
      for (const [p, f] of this.entries) if (isAtOrUnder(from, p)) moves.push([p, f]);
    } else if (moved !== undefined) moves.push([from, moved]);
    const changed = new Set<string>();
    const removed = new Set<string>();
    // Files to read again at their new paths (see below).
    const reread: string[] = [];
    // The old paths go, and each new one is claimed, before the first wait (whether the new path is excluded): a
    // delete of a new path (or its folder) arriving meanwhile supersedes the claim, and the file is not added. Files
    // skipped as they are (binary, too large) arrive alike, as their skip records.
    const arrivals: ({ target: string; abs: string | undefined; request: number } & ({ file: StoredFile; fromText: boolean } | { skip: SkippedFile }))[] = [];
    // Requests for the old paths (an earlier rename's arrival there, a read in flight) are of paths that are gone: what
    // they were for is at the new place, which is read below (the folder scanned, the file updated). A path made again
    // at the old place meanwhile is read again at the end.
    const supersededUnderOld = this.supersedeUnder(from);
    // Updates of documents under the old paths still under way (the first edit of a document indexed from disk too)
    // are of documents the editor has moved: dropped, as after a close (the editor sends their texts under the new paths).
    for (const p of [...this.documentTurns.keys()]) if (isAtOrUnder(from, p)) this.noteClosed(p);
    // Imports the old paths' going (then the new paths' coming) may change are re-resolved once per batch.
    const affected = new Set<string>();
    for (const [p, file] of moves) {
      this.deleteFile(p, removed, changed, affected);
      // An entry indexed from a document's text: of an open document, or of one closed with its disk read under way
      // (which the move supersedes). Either way not what the file holds: the new place is read.
      const fromText = this.documents.has(p) || file.mtimeMs === DOCUMENT_MTIME;
      if (this.documents.has(p)) {
        this.documents.delete(p);
        this.cancelSettling(p);
        this.options.backend.closeDocument(p);
      }
      const target = to + p.slice(from.length);
      arrivals.push({ target, abs: this.absolute(target), file, fromText, request: this.claim(target) });
    }
    const skipsUnder = this.skippedFiles.holdsUnder(from);
    const skippedThere = this.skippedFiles.get(from);
    const skips: [string, SkippedFile][] = skipsUnder ? [...this.skippedFiles] : skippedThere === undefined ? [] : [[from, skippedThere]];
    for (const [p, skip] of skips) {
      if (!isAtOrUnder(from, p)) continue;
      this.skippedFiles.delete(p);
      this.unsaved = true;
      const target = to + p.slice(from.length);
      arrivals.push({ target, abs: this.absolute(target), skip, request: this.claim(target) });
    }
    this.reresolve(affected, changed);
    affected.clear();
    // Every arrival's exclusion first, then the arrivals in one pass without a wait: the imports they change are
    // re-resolved against the paths as they are then (a build starting in a wait would otherwise have re-resolved
    // them against the paths it expects, and this batch undo that against the paths of the moment).
    const admitted: boolean[] = [];
    for (const { target, abs } of arrivals) admitted.push(abs !== undefined && !(await this.workspace.isExcluded(target, false)));
    for (const [i, arrival] of arrivals.entries()) {
      const { target, abs, request } = arrival;
      if (this.latest.get(target) !== request) continue;
      this.latest.delete(target);
      // An open document there (its file gone before the move) stays as its text is: the editor's text wins until it
      // closes (the editor reloads a document with no unsaved changes from the file now there, and sends it).
      if (abs === undefined || admitted[i] !== true || this.documents.has(target)) continue;
      if ('skip' in arrival) {
        // (Not at a name the scan passes over, a binary extension: a build keeps no record there.) What was indexed
        // at the path before (a file the move replaced) is not there now.
        if (hasBinaryExtension(target)) continue;
        this.deleteFile(target, removed, changed, affected);
        this.skippedFiles.set(target, { ...arrival.skip, path: target });
        this.noteArrival(target);
        continue;
      }
      // A file of the same language with a name that says it is binary (notes.md → notes.png) is not indexed there:
      // read, as one of another language.
      if (languageForPath(target) === arrival.file.language && !arrival.fromText && !hasBinaryExtension(target)) {
        if (this.skippedFiles.delete(target)) this.unsaved = true;
        this.setFile(relocate(arrival.file.data, target), changed, false, keptAsIs, affected);
      } else reread.push(target);
    }
    this.reresolve(affected, changed);
    // Open documents moved: the editor sends their texts under the new paths.
    for (const p of [...this.excludedDocuments.keys()]) if (isAtOrUnder(from, p)) this.excludedDocuments.delete(p);
    this.emit(changed, removed);
    const rules = [from, to].filter((p) => basename(p) === '.gitignore');
    if (rules.length > 0) await this.ignoreRulesChanged(rules, signal);
    else if (this.holdsFolder(from) || this.holdsFolder(to) || (await this.dirLinksContended(linksMoved))) await this.build({ ...(signal ? { signal } : {}) });
    else if (moves.length === 0) await this.readFromDisk(to, signal);
    // A folder: its files the rules excluded where it was and do not where it is now come in too (a scan of it finds
    // them, with those to re-index; the files moved are known there by size and mtime). An entry carried over whose
    // file the scan does not find goes (indexSubtree): the file was deleted before the move, its delete event (for the
    // old path) still to come or handled for a path the entry had left.
    else if (moves.some(([p]) => p !== from)) await this.indexSubtree(to, signal);
    // A file of another language now, or indexed from a document's text: read as it is on disk (its size and mtime
    // too: an entry from a document has none).
    else if (reread.length > 0) for (const p of reread) await this.readFromDisk(p, signal);
    // A file moved as it was indexed: read again when it is not as it was (changed just before the move, its change
    // event came for the old path), as a folder's scan finds its files by size and mtime.
    else if (this.entries.has(to) && !(await this.sameOnDisk(to))) await this.readFromDisk(to, signal);
    // (Only those there again: for a path gone, removeEntries would walk every entry, once per path.)
    const there = await Promise.all(
      supersededUnderOld.map(async (p) => {
        const abs = this.absolute(p);
        return this.entries.has(p) || this.skippedFiles.has(p) || (abs !== undefined && (await stat(abs).catch(() => undefined)) !== undefined);
      }),
    );
    for (const [i, p] of supersededUnderOld.entries()) if (there[i] === true) await this.readFromDisk(p, signal);
  }

  /** Whether the file at `rel` (so spelled on disk) has the size and mtime its entry was indexed with. */
  private async sameOnDisk(rel: string): Promise<boolean> {
    const abs = this.absolute(rel);
    const info = abs === undefined ? undefined : await stat(abs).catch(() => undefined);
    const known = this.entries.get(rel);
    return info !== undefined && known !== undefined && info.size === known.size && info.mtimeMs === known.mtimeMs && !(await this.spelledOtherwise(rel));
  }

  // ------------------------------------------------------------------ open documents

  /**
   * An open document changed (debounce in the caller). Re-parses incrementally: `changes` are the edits
   * since the previous call, applied in order, each in the coordinates left by the one before (as VS Code's
   * contentChanges sorted by the editor, or LSP incremental sync); without them the difference is computed.
   * When the old or the new tree has syntax errors, the entry is that of the incremental tree at once, and the
   * document is settled (parsed from scratch, so it is exactly what a fresh index holds) once no open document
   * has had an edit for SETTLE_DELAY_MS. Resolves whether the index took the text: not for a path outside the
   * workspace or excluded, nor when a newer update of the document (or its close) overtook this one.
   */
  async updateDocument(relPath: string, text: string, changes?: readonly TextChange[], signal?: AbortSignal): Promise<boolean> {
    const rel = normaliseRelative(relPath);
    if (rel === undefined || this.absolute(rel) === undefined) return false;
    return this.updateDocumentInTurn(rel, () => text, changes, signal);
  }

  /**
   * updateDocument of `rel`, with the text `textNow` gives when the document's turn comes (undefined: nothing to
   * update then).
   */
  private async updateDocumentInTurn(rel: string, textNow: () => string | undefined, changes: readonly TextChange[] | undefined, signal?: AbortSignal): Promise<boolean> {
    const closes = this.closes.get(rel);
    const turn = this.documentTurn(rel);
    try {
      await turn.ready;
      const text = textNow();
      if (text === undefined) return false;
      const excluded = await this.workspace.isExcluded(rel, false);
      // Closed meanwhile: this text is no longer the editor's (and must not open the document again).
      if (this.closes.get(rel) !== closes) return false;
      if (excluded) {
        // Kept (its latest text) for when the rules change back; not indexed now, as on disk.
        this.excludeDocument(rel);
        this.excludedDocuments.set(rel, text);
        if (this.entries.has(rel) || this.skippedFiles.has(rel)) this.removeEntries(rel);
        return false;
      }
      return await this.indexDocument(rel, text, changes, turn.release, signal);
    } finally {
      turn.release();
    }
  }

  /** updateDocument's part once the document's path is known not to be excluded; `handedOver` once the backend has the edits. */
  private async indexDocument(rel: string, text: string, changes: readonly TextChange[] | undefined, handedOver: () => void, signal?: AbortSignal): Promise<boolean> {
    this.excludedDocuments.delete(rel);
    // Every edit, in whichever document, starts the quiet period over: a settling parse costs a whole parse and
    // extraction on this thread, which the next keystroke would wait for (in another document as much as in its own).
    this.stopSettleTimer();
    this.documents.set(rel, text);
    this.settleFailures.delete(rel);
    this.unsettleable.delete(rel);
    try {
      if (hasBinaryExtension(rel) || documentSkipReason(text, this.maxFileBytes) !== undefined) {
        // Not indexed, as the same text on disk would not be (too large, or binary): its entry goes, and the backend
        // drops its tree (the next text indexed is parsed whole). Closing it reads the disk again (documents).
        this.cancelSettling(rel);
        this.options.backend.closeDocument(rel);
        this.removeEntries(rel);
        return false;
      }
      const request = this.claim(rel);
      const processing = this.options.backend.processDocument(rel, text, changes, signal);
      handedOver();
      let processed: Awaited<typeof processing>;
      try {
        processed = await processing;
      } catch (err) {
        // (Documents are parsed on this thread: the error is the class itself, not a copy sent across.)
        if (!(err instanceof ParseTimeoutError) || this.latest.get(rel) !== request) throw err;
        // A text whose parse never ends (tree-sitter's error recovery looping): not indexed, as the same text on disk
        // would not be — its entry goes (a query would read the new text at the old entry's offsets), and the
        // backend, which closed the document, parses its next text afresh (after PARSE_LIMITS.retryAfterMs).
        this.latest.delete(rel);
        this.cancelSettling(rel);
        this.removeEntries(rel);
        if (!err.repeated) this.options.logger.warn(`context: ${rel} is not indexed while it has this text: ${errorMessage(err)}`);
        return false;
      }
      const { file, needsSettling } = processed;
      if (this.latest.get(rel) !== request) return false;
      this.latest.delete(rel);
      this.applyDocument(file);
      // (A document already waiting keeps its start: edits to it do not put its cap off.)
      if (!needsSettling) this.unsettled.delete(rel);
      else if (!this.unsettled.has(rel)) this.unsettled.set(rel, this.options.clock.now());
      return true;
    } finally {
      this.lastActivityAt = this.options.clock.now();
      this.settleWhenQuiet();
    }
  }

  /**
   * Settles every open document waiting for it now, without waiting for its quiet period (see updateDocument):
   * afterwards the index holds exactly what a fresh index of the documents' texts would.
   */
  async settleDocuments(signal?: AbortSignal): Promise<void> {
    this.stopSettleTimer();
    // Those whose settling gave up are tried again too.
    for (const rel of this.unsettleable) if (this.documents.has(rel) && !this.unsettled.has(rel)) this.unsettled.set(rel, this.options.clock.now());
    this.unsettleable.clear();
    try {
      for (const rel of [...this.unsettled.keys()]) {
        while (await this.settleOnce(rel, signal)) {
          // The settling parse gave way to a request waiting for this thread. Promises alone never let the event
          // loop turn, so that request could not arrive and every try would give way again: a timer turn first.
          await this.options.clock.sleep(0);
          throwIfAborted(signal);
        }
      }
    } finally {
      // Cancelled or failed halfway: those still waiting wait for the quiet period again.
      this.settleWhenQuiet();
    }
  }

  /** An open document was closed: its tree is dropped and the file is indexed from disk again. */
  async closeDocument(relPath: string, signal?: AbortSignal): Promise<void> {
    const rel = normaliseRelative(relPath);
    if (rel === undefined) return;
    this.noteClosed(rel);
    // An edit of it still with the backend is not taken after this (a disk read in flight is done again below).
    const pending = this.latest.has(rel);
    this.supersede(rel);
    this.excludedDocuments.delete(rel);
    this.unsettleable.delete(rel);
    this.cancelSettling(rel);
    this.options.backend.closeDocument(rel);
    const changedOnDisk = this.changedUnderDocuments.delete(rel);
    // (The document's entry, settled or not, is extracted otherwise than the file: the same text on disk is extracted
    // anew, knownHash.)
    if (this.documents.delete(rel) || pending || changedOnDisk) await this.readFromDisk(rel, signal);
  }

  /** An update of the document at `rel` waiting across this is dropped (updateDocument). */
  private noteClosed(rel: string): void {
    // (Counted only while an update of it is under way: the count goes with the last one's turn.)
    if (this.documentTurns.has(rel)) this.closes.set(rel, (this.closes.get(rel) ?? 0) + 1);
  }

  /**
   * The document's turn: `ready` once every earlier update of it has handed its edits to the backend (or ended);
   * `release` (idempotent) lets the next one go.
   */
  private documentTurn(rel: string): { ready: Promise<void>; release: () => void } {
    const ready = this.documentTurns.get(rel) ?? Promise.resolve();
    let done!: () => void;
    const mine = new Promise<void>((resolve) => (done = resolve));
    const tail = ready.then(() => mine);
    this.documentTurns.set(rel, tail);
    return {
      ready,
      release: () => {
        done();
        if (this.documentTurns.get(rel) !== tail) return;
        this.documentTurns.delete(rel);
        this.closes.delete(rel);
      },
    };
  }

  /** The open document at `rel`, if any, whose path the rules now exclude: its text is kept apart (excludedDocuments). */
  private excludeDocument(rel: string): void {
    const text = this.documents.get(rel);
    if (text === undefined) return;
    // An edit of it still with the backend is not taken after this.
    this.supersede(rel);
    this.documents.delete(rel);
    this.excludedDocuments.set(rel, text);
    this.cancelSettling(rel);
    this.settleFailures.delete(rel);
    this.unsettleable.delete(rel);
    this.options.backend.closeDocument(rel);
  }

  /**
   * Open documents the rules excluded and no longer do are indexed again, with their texts (after a build). An update
   * of one under way comes first, and the text indexed is the one kept when its turn comes: none when the update
   * indexed it or the document closed meanwhile.
   */
  private async readmitDocuments(signal?: AbortSignal): Promise<void> {
    for (const rel of [...this.excludedDocuments.keys()]) {
      throwIfAborted(signal);
      if (!this.excludedDocuments.has(rel) || (await this.workspace.isExcluded(rel, false))) continue;
      await this.updateDocumentInTurn(rel, () => this.excludedDocuments.get(rel), undefined);
    }
  }

  private applyDocument(file: FileData): void {
    const changed = new Set<string>();
    this.skippedFiles.delete(file.path);
    this.setFile(fileDataWith(file, { mtimeMs: DOCUMENT_MTIME }), changed, false, detached);
    this.emit(changed, new Set());
  }

  private cancelSettling(rel: string): void {
    this.unsettled.delete(rel);
    if (this.unsettled.size === 0) this.stopSettleTimer();
  }

  private stopSettleTimer(): void {
    this.settleTimer?.dispose();
    this.settleTimer = undefined;
  }

  /**
   * Starts the quiet period over when documents wait to settle: all of them settle after SETTLE_DELAY_MS without
   * edits to any open document; a document waiting for SETTLE_MAX_WAIT_MS settles then even if edits go on.
   */
  private settleWhenQuiet(): void {
    this.stopSettleTimer();
    if (this.unsettled.size === 0 || this.disposed) return;
    const due = Math.min(this.lastActivityAt + SETTLE_DELAY_MS, this.oldestWait() + SETTLE_MAX_WAIT_MS);
    this.settleTimer = this.options.clock.setTimeout(() => {
      this.settleTimer = undefined;
      // After a quiet period every waiting document is due; while edits go on, only those past their cap.
      const now = this.options.clock.now();
      void this.settleWhileQuiet(now >= this.lastActivityAt + SETTLE_DELAY_MS ? Number.POSITIVE_INFINITY : now - SETTLE_MAX_WAIT_MS);
    }, Math.max(0, due - this.options.clock.now()));
  }

  private oldestWait(): number {
    let oldest = Number.POSITIVE_INFINITY;
    for (const since of this.unsettled.values()) oldest = Math.min(oldest, since);
    return oldest;
  }

  /**
   * Settles the documents that started waiting at or before `dueSince`, longest waiting first, one after another,
   * until an edit comes (it starts the quiet period over; the rest keep their places). One whose settling parse
   * gave way to other work starts waiting anew, behind the others; then the period starts again for those still
   * waiting.
   */
  private async settleWhileQuiet(dueSince: number): Promise<void> {
    const due = [...this.unsettled].filter(([, since]) => since <= dueSince).sort((a, b) => a[1] - b[1]);
    let first = true;
    for (const [rel] of due) {
      // Between two whole parses the event loop turns, so requests waiting for this thread are answered first.
      if (!first) await this.options.clock.sleep(0);
      first = false;
      if (this.settleTimer !== undefined || this.disposed) return;
      if (!this.unsettled.has(rel)) continue;
      try {
        if ((await this.settleOnce(rel)) && this.unsettled.has(rel)) {
          // Tried again after the next quiet period, or its cap from now: never at once (the thread is busy).
          this.lastActivityAt = this.options.clock.now();
          this.unsettled.delete(rel);
          this.unsettled.set(rel, this.lastActivityAt);
        }
      } catch (err) {
        // Tried again after a quiet period of its own (never in a loop), SETTLE_TRIES times in all; after that its
        // next edit (or settleDocuments) tries again.
        const failures = (this.settleFailures.get(rel) ?? 0) + 1;
        this.unsettled.delete(rel);
        if (failures < SETTLE_TRIES && this.documents.has(rel)) {
          this.settleFailures.set(rel, failures);
          this.lastActivityAt = this.options.clock.now();
          this.unsettled.set(rel, this.lastActivityAt);
          this.options.logger.debug(`context: could not settle ${rel} (try ${failures} of ${SETTLE_TRIES}): ${errorMessage(err)}`);
        } else {
          this.settleFailures.delete(rel);
          if (this.documents.has(rel)) this.unsettleable.add(rel);
          this.options.logger.warn(`context: could not settle ${rel} after ${SETTLE_TRIES} tries; its index entry stays as of its last edit until the next one: ${errorMessage(err)}`);
        }
      }
    }
    if (this.settleTimer === undefined) this.settleWhenQuiet();
  }

  /**
   * Parses an open document from scratch and applies the result unless an edit came meanwhile (which then
   * settles it in its turn). @returns whether the parse gave way to other work and has to be tried again.
   */
  private async settleOnce(rel: string, signal?: AbortSignal): Promise<boolean> {
    const text = this.documents.get(rel);
    if (text === undefined) {
      // (Closed: nothing to settle, and nothing to wait for.)
      this.unsettled.delete(rel);
      return false;
    }
    const request = this.claim(rel);
    let outcome: SettleOutcome;
    try {
      // (The backend parses the text from scratch, giving way alike, when it dropped the document's tree.)
      outcome = await this.options.backend.settleDocument(rel, text, signal);
    } catch (err) {
      if (this.latest.get(rel) === request) this.latest.delete(rel);
      throw err;
    }
    if (this.latest.get(rel) !== request) return false;
    this.latest.delete(rel);
    if (outcome.kind === 'yielded') return true;
    this.unsettled.delete(rel);
    if (outcome.kind === 'settled') this.applyDocument(outcome.file);
    return false;
  }

  /**
   * Reads again from disk the files whose texts — signatures and doc comments, kept compressed since the index was
   * reopened — proved unreadable when read (a damaged saved index: definitionTexts.ts), in one pass of the parser
   * threads, and saves the index (a save is otherwise made after a build only). Until then their definitions have
   * none. Call it after work that reads texts (ranking, packing): when no texts proved unreadable since the last call
   * it costs one comparison. (A build or file event that reaches such a file first parses it again too: knownHash.)
   * @returns when the files are read again and the save is queued (a failure is logged).
   */
  async repairUnreadableTexts(): Promise<void> {
    const found = unreadableTextsFound();
    if (found === this.unreadableSeen || this.disposed) return;
    this.unreadableSeen = found;
    // (An open document with edits is the editor's text: its own parses replace its entry.)
    const paths = [...this.entries].filter(([p, f]) => f.columns.textsUnreadable && !this.repairing.has(p) && !this.documents.has(p)).map(([p]) => p);
    if (paths.length === 0) return;
    const named = paths.length <= 3 ? paths.join(', ') : `${paths.slice(0, 3).join(', ')} and ${paths.length - 3} more files`;
    this.options.logger.warn(`context: the saved signatures and doc comments of ${named} could not be read (the saved index is damaged); reading ${paths.length === 1 ? 'it' : 'them'} again`);
    for (const p of paths) this.repairing.add(p);
    try {
      const tasks: FileTask[] = [];
      // (Before the first path is found not excluded: a rules change while the later ones are looked at is one since.)
      const rulesSince = this.workspace.drops;
      for (const p of paths) {
        const abs = this.absolute(p);
        const task = abs === undefined ? undefined : await this.diskTask(p, abs, true);
        // (A file that became a directory goes; the watcher's event for the directory indexes what is in it.)
        if (task === 'directory') this.removeEntries(p);
        else if (task) tasks.push(task);
      }
      await this.indexTasks(tasks, undefined, rulesSince);
      this.saveIfChanged();
    } catch (err) {
      if (!this.disposed && !(err instanceof CancellationError)) this.options.logger.warn(`context: could not read ${named} again: ${errorMessage(err)}`);
    } finally {
      for (const p of paths) this.repairing.delete(p);
    }
  }

  /** The index's '/' path of an absolute path (FolderPaths.relative), or undefined when it is in no folder. */
  relativePath(absPath: string): string | undefined {
    return this.folderPaths.relative(absPath);
  }

  /** Stops the workers after any save under way has finished (a save is never cut off halfway). */
  async dispose(): Promise<void> {
    this.listeners.clear();
    this.growth.dispose();
    this.saveFailures.dispose();
    // (An update still under way when this is called must not start the timer again.)
    this.disposed = true;
    this.unsettled.clear();
    this.unsettleable.clear();
    this.stopSettleTimer();
    if (this.keying !== undefined) clearImmediate(this.keying);
    this.keying = undefined;
    // A build under way stops, and saves what it indexed (saveCancelled); one queued does not start.
    for (const stop of this.buildStops) stop.abort();
    await this.buildQueue;
    await this.saving;
    await this.options.backend.dispose();
  }

  // ------------------------------------------------------------------ internals

  private absolute(rel: string): string | undefined {
    return this.folderPaths.absolute(rel);
  }

  /** Starts a request for a path; results of earlier requests for it will be dropped. */
  private claim(p: string): number {
    const request = ++this.requestCounter;
    this.latest.set(p, request);
    return request;
  }

  /**
   * Drops the results of every pending request for `rel` and the paths under it that `which` accepts (a rename's
   * arrivals, a build's or an update's reads, an open document's edit), and returns those paths.
   */
  private supersedeUnder(rel: string, which: (p: string) => boolean = () => true): string[] {
    const paths = [...this.latest.keys()].filter((p) => isAtOrUnder(rel, p) && which(p));
    for (const p of paths) this.supersede(p);
    return paths;
  }

  /** Drops the results of every pending request for a path. */
  private supersede(p: string): void {
    this.latest.delete(p);
  }

  /**
   * A folder that came whole (made, moved in, renamed there): its new or changed files read (changedIn), the entries
   * under it that its scan did not list and that are gone or excluded dropped (dropUnfoundUnder), then the open
   * documents under it checked against the rules it brought — its .gitignore files may exclude documents that were
   * there before (their files gone), or let in some.
   */
  private async indexSubtree(rel: string, signal?: AbortSignal): Promise<void> {
    // (A rename's new name that a case-only rename since has made another spelling of the folder's: gone from there.)
    if (await this.spelledOtherwise(rel)) {
      this.removeEntries(rel, { keepDocuments: true });
      return;
    }
    const found = new Set<string>();
    // Links to directories outside under it (or on the way to it), before and now: one that leads where a link elsewhere
    // does makes the followed one a matter of the walk's order, which a build takes.
    const before = this.takeDirLinksUnder(rel);
    const met: [string, string, boolean][] = [];
    await this.indexTasks(this.changedIn(rel, signal, found, met), signal);
    // (Noted first: a scan of another folder ending meanwhile compares its links with these.)
    for (const [p, target] of met) this.dirLinks.set(p, target);
    // The full scan follows other links now when one there before is gone (or leads elsewhere), or when its scan followed
    // one that is new there — one it does not follow changes nothing, nor does one above it (on the way, known before);
    // and its scan followed one wrongly when the full scan decides on another to that directory first.
    const same = (a: readonly [string, string, ...unknown[]], b: readonly [string, string, ...unknown[]]): boolean => a[0] === b[0] && a[1] === b[1];
    const gone = before.filter((b) => !met.some((m) => same(m, b)));
    const followedHere = met.filter(([p, , followed]) => followed && isAtOrUnder(rel, p));
    const arrived = followedHere.filter((m) => !before.some((b) => same(m, b))).map(([p, target]) => [p, target] as const);
    const misfollowed = (await Promise.all(followedHere.map(([p, target]) => this.workspace.followed(p, target)))).includes(false);
    if (misfollowed || (await this.dirLinksContended([...gone, ...arrived]))) {
      await this.build({ ...(signal ? { signal } : {}) });
      return;
    }
    await this.dropUnfoundUnder(rel, found);
    await this.recheckDocumentsUnder(rel, signal);
  }

  /**
   * Files under a folder that are new or differ (size, mtime) from what the index holds. Entries of files the scan passes
   * over (too large or binary now: a folder moved just after a file in it grew) go, an open document's excepted.
   * `found` gets the path of every file the scan lists (those it passes over aside), `dirLinks` every link to a
   * directory outside it meets (with the directory's real path, and whether it was followed).
   */
  private async *changedIn(rel: string, signal: AbortSignal | undefined, found: Set<string>, dirLinks: [string, string, boolean][]): AsyncGenerator<FileTask> {
    const passedOver: string[] = [];
    const scan = this.workspace.scan(
      this.maxFileBytes,
      signal,
      rel,
      (p) => passedOver.push(p),
      (p, chain) => this.noteLink(p, chain),
      (p, target, followed) => dirLinks.push([p, target, followed]),
    );
    for await (const batch of scan) {
      for (const f of batch) {
        found.add(f.path);
        // (A file skipped as it is — binary, too large — is known too, as in a build.)
        const known = this.entries.get(f.path) ?? this.skippedFiles.get(f.path);
        if (known && known.size === f.size && known.mtimeMs === f.mtimeMs) continue;
        yield taskFor(f, this.knownHash(f.path));
      }
    }
    for (const p of passedOver) if (this.entries.has(p)) this.removeEntries(p, { keepDocuments: true, alone: true });
  }

  /** Claims each task's path as it is handed out (documents with edits are left alone). */
  private async *claimed(tasks: AsyncIterable<FileTask> | Iterable<FileTask>, requests: Map<string, number>): AsyncGenerator<FileTask> {
    for await (const t of tasks) {
      if (this.documents.has(t.path)) continue;
      requests.set(t.path, this.claim(t.path));
      yield t;
    }
  }

  /**
   * Indexes files outside a build (watcher events); each result applies unless a newer request superseded it.
   * @param rulesSince the count of rules drops (WorkspaceFolders.drops) before the tasks' paths were found not excluded
   *   (by default now: a scan the tasks come from checks them as it goes). A result for a path whose rules were dropped
   *   since (a .gitignore changed while it was parsed) is checked again: excluded now, it is not applied, and what the
   *   index held there goes — the build the change started may have run already, or be running, keeping what arrives
   *   meanwhile (arrivedDuringBuild).
   */
  private async indexTasks(tasks: AsyncIterable<FileTask> | Iterable<FileTask>, signal?: AbortSignal, rulesSince = this.workspace.drops): Promise<void> {
    const changed = new Set<string>();
    const removed = new Set<string>();
    const requests = new Map<string, number>();
    const rechecks: Promise<void>[] = [];
    try {
      await this.options.backend.processFiles(
        this.claimed(tasks, requests),
        (outcome) => {
          const p = outcomePath(outcome);
          const request = requests.get(p);
          if (this.latest.get(p) !== request) return;
          if (this.workspace.droppedAbove(p, rulesSince)) {
            // (The request stays claimed meanwhile: a newer read, a delete or a move supersedes the result.)
            rechecks.push(
              this.workspace.isExcluded(p, false).then((excluded) => {
                if (this.latest.get(p) !== request) return;
                this.latest.delete(p);
                if (!excluded) this.apply(outcome, changed, removed);
                else if (this.entries.has(p) || this.skippedFiles.has(p)) this.removeEntries(p, { keepDocuments: true, alone: true });
              }),
            );
            return;
          }
          this.latest.delete(p);
          this.apply(outcome, changed, removed);
        },
        signal,
      );
    } finally {
      await Promise.all(rechecks);
      this.emit(changed, removed);
    }
  }

  private apply(outcome: FileOutcome, changed: Set<string>, removed: Set<string>): void {
    switch (outcome.kind) {
      case 'indexed':
        this.skippedFiles.delete(outcome.file.path);
        this.setFile(outcome.file, changed);
        return;
      case 'unchanged': {
        const previous = this.entries.get(outcome.path);
        // Same content: only the fingerprint moves (no new version, nothing to re-rank).
        if (previous) this.entries.set(outcome.path, previous.with({ size: outcome.size, mtimeMs: outcome.mtimeMs }));
        this.unsaved = true;
        return;
      }
      case 'skipped':
        this.unsaved = true;
        if (outcome.workerEnded === 'among' && this.entries.has(outcome.path)) {
          // Held by parse workers that kept dying, not shown to be the cause: its entry stays, as of its last parse (a
          // file changed since differs from it in size or modification time: the next build tries it again).
          this.options.logger.debug(`context: kept the entry of ${outcome.path} as it was: ${outcome.message ?? 'unknown error'}`);
          return;
        }
        if (this.entries.has(outcome.path)) this.deleteFile(outcome.path, removed, changed);
        if (outcome.reason === 'unreadable') this.skippedFiles.delete(outcome.path);
        else {
          this.skippedFiles.set(outcome.path, { path: outcome.path, size: outcome.size, mtimeMs: outcome.mtimeMs, reason: outcome.reason });
          this.noteArrival(outcome.path);
        }
        // (A file that ended a parse worker by itself is named each time: each is a file of its own to look at.)
        if (outcome.workerEnded === 'alone') this.options.logger.warn(`context: could not index ${outcome.path}: ${outcome.message ?? 'unknown error'}; it is left out, and tried again at the next build or change of it`);
        else if (outcome.reason === 'failed') this.logFailure(outcome.path, outcome.message ?? 'unknown error');
        else this.options.logger.debug(`context: skipped ${outcome.path} (${outcome.reason})`);
        return;
    }
  }

  /** A failure is a warning the first time its message is seen (one broken grammar fails every file alike). */
  private logFailure(path: string, message: string): void {
    const first = !this.failures.has(message);
    if (first) this.failures.add(message);
    this.options.logger[first ? 'warn' : 'debug'](`context: could not index ${path}: ${message}`);
  }

  /** @param copy how a string not yet known is kept (see internFile's `copy`). */
  private intern(s: string, copy: (s: string) => string = keptAsIs): string {
    return this.strings.intern(s, copy);
  }

  /**
   * A received file with its strings shared across the index: names repeat in every file, and worker
   * messages arrive as fresh copies of every string. Definitions are kept in columns (DefinitionColumns), imports
   * rebuilt as object literals (compact, one shape) rather than kept as deserialised (extra property storage per object).
   * @param previous the file's entry being replaced, with its imports resolved against the same paths: its
   *   import strings and identifiers are taken where they are equal (no lookup), and so are its imports' resolutions.
   * @param copy how each string the entry keeps and `previous` does not already hold is copied: an open document's
   *   extraction comes straight from this thread's parser, and its strings are cuts of the document's text (V8 makes
   *   a cut of 13 characters or more a view into the whole text, which would keep every typed version alive).
   * @returns the file, and whether every import took its resolution from `previous`.
   */
  private internFile(data: FileData, previous?: IndexedFile, copy: (s: string) => string = keptAsIs): { file: StoredFile; resolved: boolean } {
    const p = this.intern(data.path, copy);
    // A build's files in slabs; files updated one by one (edits, the watcher — also while a build runs) in buffers
    // of their own.
    const slabs = this.applyingBuilt ? this.builtArrays : undefined;
    const texts = previous instanceof StoredFile ? previous.columns.keepingTexts(copy) : copy;
    const definitions = DefinitionColumns.of(p, data.definitions, (s) => this.intern(s, copy), texts, slabs);
    let resolved = previous !== undefined;
    const imports = data.imports.map((e, i): ImportEdge => {
      const before = previous?.imports[i];
      if (before && before.source === e.source && sameNames(before.names, e.names)) {
        return importEdge(before.source, before.names, e.line, before.targets ?? before.resolved);
      }
      resolved = false;
      const names = e.names.map((n) => this.intern(n, copy));
      // (A target's names are most often the import's, or none: those lists are shared, not copied.)
      const targetNames = (t: readonly string[]): readonly string[] => (t.length === 0 ? NO_NAMES : sameNames(t, e.names) ? names : t.map((n) => this.intern(n, copy)));
      return importEdge(
        this.intern(e.source, copy),
        names,
        e.line,
        e.targets !== undefined
          ? e.targets.map((t) => ({ file: this.intern(t.file, copy), names: targetNames(t.names) }))
          : e.resolved !== undefined
            ? this.intern(e.resolved, copy)
            : undefined,
      );
    });
    const ids = this.identifierIds(data.identifiers, previous, copy);
    const refs = slabs ? slabs.keep(data.refs) : data.refs;
    const fields = fileDataWith(data, { path: p, language: LANGUAGES[data.language], definitions: NO_DEFINITIONS, imports, identifiers: NO_IDENTIFIERS, refs });
    return { file: new StoredFile(fields, definitions, { ids: narrowIds(ids, slabs), table: this.identifierNames.table }), resolved };
  }

  /**
   * `identifiers` as numbers into identifierNames (each string kept in `strings` too); where `previous` has the same
   * identifier at the same place, its number (no lookup).
   */
  private identifierIds(identifiers: readonly string[], previous: IndexedFile | undefined, copy: (s: string) => string): Uint32Array {
    const table = this.identifierNames.table;
    const known = previous instanceof StoredFile ? previous : undefined;
    // (A view of one reused buffer: narrowIds copies it out.)
    if (this.idScratch.length < identifiers.length) this.idScratch = new Uint32Array(Math.max(identifiers.length, 2 * this.idScratch.length));
    const ids = this.idScratch.subarray(0, identifiers.length);
    for (let i = 0; i < ids.length; i++) {
      const s = identifiers[i] as string;
      const before = known?.identifierIdAt(i, table);
      ids[i] = before !== undefined && table[before] === s ? before : this.identifierNames.internId(s, copy);
    }
    return ids;
  }

  /**
   * @param interned `incoming`'s strings are the index's already (a saved index read with them interned).
   * @param copy see internFile: detached for an open document's extraction, whose strings are cuts of its text.
   * @param affected when given, gets the files whose imports a new path may change, for the caller to re-resolve once
   *   after a batch of paths (without it they are re-resolved here, and added to `changed` when they change).
   */
  private setFile(incoming: FileData, changed: Set<string>, interned = false, copy: (s: string) => string = keptAsIs, affected?: Set<string>): void {
    const previous = this.entries.get(incoming.path);
    const isNewPath = !this.paths.has(incoming.path);
    this.paths.add(incoming.path);
    this.unsaved = true;
    if (isNewPath) {
      this.pathsChanged = true;
      // Facts read while the path was not indexed (by a build resolving against the paths its scan found, or of an
      // open document's text too large to index, asked for by a key) are kept only when of the text it comes with.
      if (isManifest(incoming.path)) this.manifests.arrived(incoming.path, incoming.hash);
    } else if (isManifest(incoming.path)) this.manifestReindexed(incoming.path, incoming.hash, changed, affected);
    if (!interned) this.noteArrival(incoming.path);
    // An edited file's imports resolve as before when they are the same (the set of paths did not change).
    const replaced = previous && !isNewPath && this.building === 0 && !this.unresolved.has(incoming.path) ? previous : undefined;
    const received = interned ? undefined : this.internFile(incoming, replaced, copy);
    let file = received?.file ?? (incoming instanceof StoredFile ? incoming : new StoredFile(incoming));
    if (this.building === 0) {
      if (received?.resolved !== true || (replaced !== undefined && namesUsedChanged(replaced, file))) file = this.resolved(file);
    } else if (this.expectedPaths !== undefined) {
      file = this.resolved(file, this.expectedPaths);
      if (previous) this.importsOutOfOrder = true;
    } else if (!interned) this.unresolved.add(file.path);
    this.entries.set(file.path, file);
    // (Most edits leave the imports as they were: their keys need not be worked out twice.)
    if (previous === undefined || !sameImports(previous.imports, file.imports)) {
      if (previous) this.unregister(previous);
      this.register(file);
    }
    changed.add(file.path);
    this.currentVersion++;
    if (isNewPath && this.building === 0) this.affect(this.importsAffectedBy(file.path, []), changed, affected);
  }

  /**
   * @param changed gets the files whose imports resolve otherwise without `p`.
   * @param affected as setFile's: the files whose imports `p`'s going may change, for the caller to re-resolve.
   */
  private deleteFile(p: string, removed: Set<string>, changed: Set<string>, affected?: Set<string>): void {
    const previous = this.entries.get(p);
    if (!previous) return;
    this.unregister(previous);
    this.entries.delete(p);
    this.paths.delete(p);
    const said = this.manifestKeys(p);
    this.manifests.forget(p);
    this.unsaved = true;
    this.pathsChanged = true;
    removed.add(p);
    this.currentVersion++;
    if (this.building === 0) this.affect(this.importsAffectedBy(p, said), changed, affected);
  }

  /**
   * A manifest indexed again (its text changed; one that comes is a path's coming, found by its key): when it now says
   * otherwise, or is not known to say what its imports were resolved by (a saved index's), those it may change are
   * resolved again — those listed under its keys (importKeys, pathKeys: go.mod's and go.work's stem is Go imports' key,
   * Cargo.toml's Rust imports'; a package.json's are the bare TS/JS imports of the name it had and has, a tsconfig's
   * those of the files in its folder and in the folders of the configurations extending it), or all at the end of a
   * build under way.
   */
  private manifestReindexed(p: string, hash: string, changed: Set<string>, affected: Set<string> | undefined): void {
    const said = this.manifestKeys(p);
    if (!this.manifests.reread(p, hash)) return;
    if (this.building > 0) this.manifestsChanged = true;
    else this.affect(this.importsAffectedBy(p, said), changed, affected);
  }

  /**
   * The keys of the imports what the manifest at `p` (if it is one) said as last read may have resolved (manifestKeys),
   * before it says otherwise or goes.
   */
  private manifestKeys(p: string): string[] {
    return isManifest(p) ? manifestKeys(p, this.manifests, this.manifests.knows(p)) : [];
  }

  /** A path indexed or skipped by something other than the running build (a file event), if one runs. */
  private noteArrival(p: string): void {
    if (this.building > 0 && !this.applyingBuilt) this.arrivedDuringBuild.add(p);
  }

  /** Re-resolves `importers` now, or adds them to a batch's `affected` set to be re-resolved at its end. */
  private affect(importers: Set<string>, changed: Set<string>, affected: Set<string> | undefined): void {
    if (affected === undefined) this.reresolve(importers, changed);
    else for (const importer of importers) affected.add(importer);
  }

  /** @param later whether to leave the file's imports `unkeyed` (a build's files are keyed after it). */
  private register(file: IndexedFile, later = this.building > 0): void {
    if (later) this.unkeyed.add(file.path);
    else if (!this.unkeyed.has(file.path)) this.keyImports(file);
  }

  private unregister(file: IndexedFile): void {
    if (!this.unkeyed.has(file.path)) this.keyImports(file, false);
  }

  /** Adds `file` to importers and under the keys of its imports in importsByKey (or, `add` false, takes it out). */
  private keyImports(file: IndexedFile, add = true): void {
    // (Not through importTargets, which makes a list for each plain import: every saved file is keyed after a reopen.)
    const path = file.path;
    if (add) for (const e of file.imports) forEachTargetFile(e, (target) => this.importers.add(target, path));
    else for (const e of file.imports) forEachTargetFile(e, (target) => this.importers.delete(target, path));
    // (Once each: a file's bare TS/JS imports share the keys of its folders.)
    const keys = new Set<string>();
    for (const e of file.imports) for (const key of importKeys(file.language, file.path, e.source, e.names)) keys.add(key);
    for (const key of keys) {
      if (add) this.importsByKey.add(key, file.path);
      else this.importsByKey.delete(key, file.path);
    }
  }

  /**
   * Keys the `unkeyed` files' imports: all of them, or (with `budgetMs`) those keyed within that time, and then
   * says whether any are left.
   */
  private keyUnkeyed(budgetMs = Infinity): boolean {
    const start = performance.now();
    let n = 0;
    for (const p of this.unkeyed) {
      this.unkeyed.delete(p);
      const file = this.entries.get(p);
      if (file) this.keyImports(file);
      if ((++n & 63) === 0 && performance.now() - start >= budgetMs) break;
    }
    return this.unkeyed.size > 0;
  }

  /** Keys the `unkeyed` files in steps of a few milliseconds, each its own turn of the event loop (after a build). */
  private keyImportsSoon(): void {
    if (this.keying !== undefined || this.disposed || this.unkeyed.size === 0) return;
    this.keying = setImmediate(() => {
      this.keying = undefined;
      if (this.building === 0 && this.keyUnkeyed(KEYING_STEP_MS)) this.keyImportsSoon();
    });
  }

  /** The file with each import resolved against the current file set (the same object when nothing changed). */
  private resolved(file: StoredFile, paths: PathTable = this.paths): StoredFile {
    let differs = false;
    const imports = file.imports.map((e) => {
      const targets = resolveImportTargets(file.language, file.path, e.source, e.names, paths, this.folderPaths.scopeOf(file.path), this.manifests, file);
      if (reachesExactly(e, targets)) return e;
      differs = true;
      return resolvedImportEdge(e.source, e.names, e.line, this.targetLists.shared(targets));
    });
    return differs ? file.with({ imports }) : file;
  }

  /**
   * Files with an import whose resolution a path's coming or going may change: those listed under the path's keys,
   * resolved or not (a nearer or preferred candidate, a crate root, a package's __init__.py), and its importers.
   * @param said the keys of what a manifest at `p` said before (manifestKeys), which its keys now may not be: by
   *   default as far as known now (every bare TS/JS import for a package.json not read).
   */
  private importsAffectedBy(p: string, said: readonly string[] = this.manifestKeys(p)): Set<string> {
    this.keyUnkeyed();
    const out = new Set<string>(this.importers.values(p));
    for (const key of new Set([...said, ...pathKeys(p, this.paths, this.manifests)])) for (const importer of this.importsByKey.values(key)) out.add(importer);
    return out;
  }

  private reresolve(importers: Set<string>, changed: Set<string>): void {
    for (const importer of importers) {
      const file = this.entries.get(importer);
      if (!file) continue;
      const next = this.resolved(file);
      if (next === file) continue;
      this.unregister(file);
      this.entries.set(importer, next);
      this.register(next);
      changed.add(importer);
      this.currentVersion++;
      this.unsaved = true;
    }
  }

  /** Resolves every file's imports from scratch (end of a build). */
  private resolveAll(): void {
    for (const [p, file] of this.entries) {
      const next = this.resolved(file);
      if (next === file) continue;
      this.entries.set(p, next);
      this.unsaved = true;
    }
    this.reindexImports();
    this.currentVersion++;
  }

  /** Rebuilds the maps of importers and of imports by key from the files, in the files' order. */
  private reindexImports(): void {
    this.importers.clear();
    this.importsByKey.clear();
    for (const file of this.entries.values()) this.register(file, true);
  }

  /**
   * The scan of a build is complete: when it found other paths than the index holds, the build will most
   * likely end with exactly the paths found (plus open documents), so every file is resolved against those
   * now and each file parsed from now on as it arrives, instead of all of them after the last one (the end
   * of the build checks the guess and resolves everything again when files were skipped or removed).
   */
  private expectPaths(seen: ReadonlySet<string>): void {
    // Files already known to be left out (binary, failed) stay out unless they changed.
    const paths = [...seen].filter((p) => this.entries.has(p) || !this.skippedFiles.has(p));
    for (const p of this.documents.keys()) if (this.entries.has(p) && !seen.has(p)) paths.push(p);
    if (paths.length === this.paths.size && paths.every((p) => this.paths.has(p))) return;
    const expected = new PathTable(this.workspace.foldsCase, this.layout);
    for (const p of paths) expected.add(this.intern(p));
    this.expectedPaths = expected;
    this.importsOutOfOrder = false;
    for (const [p, file] of this.entries) {
      const next = this.resolved(file, expected);
      if (next === file) continue;
      this.entries.set(p, next);
      this.unsaved = true;
    }
    // Listed in the order of `entries`; files arriving from now on are added at the end of both.
    this.reindexImports();
    this.unresolved.clear();
  }

  private emit(changed: Set<string>, removed: Set<string>): void {
    // (A file re-resolved, then removed in the same event, is only removed.)
    for (const p of changed) if (!this.entries.has(p)) changed.delete(p);
    if (changed.size === 0 && removed.size === 0) return;
    const change: IndexChange = { version: this.currentVersion, changed: [...changed], removed: [...removed] };
    for (const listener of this.listeners) {
      try {
        listener(change);
      } catch (err) {
        this.options.logger.error('context: an index listener failed:', err);
      }
    }
    this.watchStrings();
  }

  private totals(): { files: number; definitions: number; references: number } {
    let definitions = 0;
    let references = 0;
    for (const f of this.entries.values()) {
      definitions += f.definitionCount;
      references += f.referenceCount;
    }
    return { files: this.entries.size, definitions, references };
  }
}

/** A build for changed .gitignore rules (WorkspaceIndex.ignoreRulesChanged), and the events waiting for it. */
interface RulesBuild {
  readonly run: Promise<IndexBuildStats>;
  /** Aborts the build: when every event waiting for it was cancelled. */
  readonly abort: AbortController;
  /** Events waiting for it with a signal, not cancelled. */
  waiting: number;
  /** An event waits for it without a signal: it is never cancelled. */
  lasting: boolean;
}

/**
 * The keys of `map` that start with `prefix`, in the map's order. (Walks the keys without copying them all first: at
 * 50,000 entries ~0.6 ms against ~2.2 for a copy filtered, once per folder event.)
 */
function keysUnder(map: ReadonlyMap<string, unknown>, prefix: string): string[] {
  const out: string[] = [];
  for (const key of map.keys()) if (key.startsWith(prefix)) out.push(key);
  return out;
}

/**
 * A skip a build may take as it is while the file's size and modification time are unchanged: its text decided it
 * (binary, too large). A file that could not be read (its permissions change neither) or whose parse failed (one that
 * ended a parse worker by itself, see WorkerPoolBackend's retryAlone) is tried again, as a fresh index would.
 */
function reusableSkip(skip: SkippedFile | undefined): SkippedFile | undefined {
  return skip !== undefined && (skip.reason === 'binary' || skip.reason === 'too-large') ? skip : undefined;
}

function taskFor(f: ScannedFile, knownHash: string | undefined): FileTask {
  return knownHash === undefined ? { ...f } : { ...f, knownHash };
}

function outcomePath(outcome: FileOutcome): string {
  return outcome.kind === 'indexed' ? outcome.file.path : outcome.path;
}

/** `a\\b/./c` → `a/b/c`; undefined for empty paths and paths leaving the root. */
function normaliseRelative(p: string): string | undefined {
  const parts: string[] = [];
  for (const part of p.split(/[\\/]+/)) {
    if (part === '' || part === '.') continue;
    if (part === '..') return undefined;
    parts.push(part);
  }
  return parts.length > 0 ? parts.join('/') : undefined;
}

/** Whether two import lists name the same sources, names and resolutions (lines aside), in the same order. */
function sameImports(a: readonly ImportEdge[], b: readonly ImportEdge[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] as ImportEdge;
    const y = b[i] as ImportEdge;
    if (x.source !== y.source || !sameTargets(x, y) || x.names.length !== y.names.length) return false;
    for (let k = 0; k < x.names.length; k++) if (x.names[k] !== y.names[k]) return false;
  }
  return true;
}

/**
 * Whether an edit changed the names `file`'s imports are resolved by: a Java wildcard import of a package past the cap
 * reaches the classes its file names first (resolvesByNamesUsed), so a file that comes to name one (or names one no
 * more) is resolved again although its imports are the same — as a fresh index would resolve it.
 */
function namesUsedChanged(previous: IndexedFile, file: IndexedFile): boolean {
  if (!file.imports.some((e) => resolvesByNamesUsed(file.language, e.source))) return false;
  const n = identifierCount(file);
  if (identifierCount(previous) !== n) return true;
  for (let i = 0; i < n; i++) if (identifierAt(previous, i) !== identifierAt(file, i)) return true;
  return false;
}

/** The same file under another path: ids and paths rewritten, imports unresolved again (references hold indexes, not ids). */
function relocate(file: FileData, to: string): FileData {
  const definitions = file.definitions.map((d) =>
    new DefinitionRecord(to, d.name, d.kind, d.container, d.startLine, d.endLine, d.startIndex, d.endIndex, d.signature, d.signatureEndLine, d.doc, d.docStartLine, d.exported, d.exportedAsDefault),
  );
  const imports = file.imports.map((e): ImportEdge => ({ source: e.source, names: e.names, line: e.line }));
  return { ...file, path: to, definitions, imports };
}

/** Whether two path tables hold the same paths. */
function samePaths(a: PathTable, b: PathTable): boolean {
  if (a.size !== b.size) return false;
  for (const p of a.paths()) if (!b.has(p)) return false;
  return true;
}

/** `{ code }` of a system error (its errno name), or nothing. */
function errorCode(err: unknown): { code?: string } {
  const code = err instanceof Error ? (err as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' ? { code } : {};
}
