// What import resolution reads of the workspace's manifests: go.mod's module path and local `replace` directives,
// go.work's `use` and `replace` directives, Cargo.toml's edition, tsconfig.json's and jsconfig.json's `baseUrl`, `paths`
// and `extends`, package.json's `name` and entry points. The index reads and caches them (ManifestCache); the resolver
// sees only paths and these facts. Parsing is tolerant: comments, quoted paths, versions, block forms, JSON with
// comments and trailing commas.

/** A local replacement: imports of module `module` are the packages of folder `dir` (as written, '/'-separated). */
export interface GoReplace {
  readonly module: string;
  readonly dir: string;
}

/** What a go.mod or a go.work says that resolving Go imports needs. */
export interface GoManifest {
  /** go.mod's module path. */
  readonly module?: string;
  /** go.work's `use` folders (as written, '/'-separated). */
  readonly uses: readonly string[];
  /** Its `replace` directives whose right side is a local folder (a path starting with ./ or ../). */
  readonly replaces: readonly GoReplace[];
}

/** What a Cargo.toml says of its package's edition. */
export interface CargoManifest {
  /** It has a [package] (a virtual manifest, only a [workspace], has none). */
  readonly isPackage: boolean;
  /** [package]'s edition, if written as a string. */
  readonly edition?: string;
  /** [package]'s edition is the workspace's (`edition.workspace = true`). */
  readonly editionFromWorkspace: boolean;
  /** It has a [workspace]. */
  readonly isWorkspace: boolean;
  /** [workspace.package]'s edition, the one members inherit. */
  readonly workspaceEdition?: string;
}

/** What a tsconfig.json or jsconfig.json (or a tsconfig*.json it extends) says itself, `extends` not followed. */
export interface TsConfigManifest {
  /** compilerOptions.baseUrl, as written (relative to the file's folder). */
  readonly baseUrl?: string;
  /** compilerOptions.paths, as written: patterns (at most one `*`) and their targets (strings only). */
  readonly paths?: Readonly<Record<string, readonly string[]>>;
  /** `extends`, as written: a string or (TypeScript 5) an array of them. */
  readonly extends: readonly string[];
}

/** What a package.json says of the package's name and entry points. */
export interface PackageManifest {
  readonly name?: string;
  /** Its entry files, as written, in the order tried: `types`, `typings`, `module`, `main`, and `exports` (or its `"."`) when a string. */
  readonly entries: readonly string[];
}

/** The manifests' facts by path, undefined when not known (unreadable, or not of that kind). */
export interface Manifests {
  go(path: string): GoManifest | undefined;
  cargo(path: string): CargoManifest | undefined;
  tsconfig(path: string): TsConfigManifest | undefined;
  packageJson(path: string): PackageManifest | undefined;
  /**
   * Moves whenever a path's facts may have become others: what was worked out from them (a PathTable's Go module
   * folders) holds while it stays.
   */
  readonly version: number;
  /**
   * The paths whose facts may have become others since `version` was read (each change moved it once), for what was
   * worked out from them to be updated in place; undefined when not known (then it is worked out again).
   */
  changedSince?(version: number): readonly string[] | undefined;
}

export const NO_MANIFESTS: Manifests = { go: () => undefined, cargo: () => undefined, tsconfig: () => undefined, packageJson: () => undefined, version: 0 };

/**
 * Whether a file name is a TypeScript or JavaScript project's configuration the resolver reads: tsconfig.json and
 * jsconfig.json, the configurations it looks for above an importer, and the tsconfig*.json and jsconfig*.json they may
 * extend (tsconfig.base.json). All are manifests (isManifest), read again when they change, which a file an `extends`
 * names otherwise would not be: such an `extends` is not followed.
 */
export function isTsConfigName(name: string): boolean {
  return /^(?:ts|js)config(?:\.[^/]*)?\.json$/.test(name);
}

/** Whether a path is a manifest whose text import resolution reads. */
export function isManifest(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === 'go.mod' || name === 'go.work' || name === 'Cargo.toml' || name === 'package.json' || isTsConfigName(name);
}

// ---------------------------------------------------------------- go.mod and go.work

/** A line's tokens: bare words, "interpreted" and `raw` strings (unquoted), up to a `//` comment. */
function goTokens(line: string): string[] {
  const tokens: string[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i] as string;
    if (c === ' ' || c === '\t' || c === '\r') {
      i++;
    } else if (line.startsWith('//', i)) {
      break;
    } else if (c === '"' || c === '`') {
      let j = i + 1;
      let text = '';
      for (; j < line.length && line[j] !== c; j++) {
        if (c === '"' && line[j] === '\\' && j + 1 < line.length) j++;
        text += line[j] as string;
      }
      tokens.push(text);
      i = j + 1;
    } else if (line.startsWith('=>', i) || c === '(' || c === ')') {
      const token = c === '=' ? '=>' : c;
      tokens.push(token);
      i += token.length;
    } else {
      let j = i;
      while (j < line.length && !/[\s"`()]/.test(line[j] as string) && !line.startsWith('=>', j) && !line.startsWith('//', j)) j++;
      tokens.push(line.slice(i, j));
      i = j;
    }
  }
  return tokens;
}

/** Whether a replacement's right side is a folder (Go: a path starting with ./ or ../, either slash), not a module. */
function isLocalGoPath(path: string): boolean {
  return /^\.\.?(?:[/\\]|$)/.test(path);
}

/** The directives of a go.mod or go.work that resolving imports needs; unknown ones and malformed lines are skipped. */
export function parseGoManifest(text: string): GoManifest {
  let module: string | undefined;
  const uses: string[] = [];
  const replaces: GoReplace[] = [];
  const entry = (verb: string, args: readonly string[]): void => {
    if (verb === 'module' && module === undefined && args[0] !== undefined) module = args[0];
    else if (verb === 'use' && args[0] !== undefined) uses.push(args[0].replaceAll('\\', '/'));
    else if (verb === 'replace') {
      // `old [version] => new [version]`: a version on the left replaces only that version (all of them here).
      const arrow = args.indexOf('=>');
      const from = args[0];
      const to = args[arrow + 1];
      if (arrow < 1 || arrow > 2 || from === undefined || to === undefined || !isLocalGoPath(to)) return;
      replaces.push({ module: from, dir: to.replaceAll('\\', '/') });
    }
  };
  let block: string | undefined;
  for (const line of text.split('\n')) {
    const tokens = goTokens(line);
    if (tokens.length === 0) continue;
    if (block !== undefined) {
      if (tokens[0] === ')') block = undefined;
      else entry(block, tokens);
    } else if (tokens[1] === '(' && tokens.length === 2) {
      block = tokens[0];
    } else {
      entry(tokens[0] as string, tokens.slice(1));
    }
  }
  return { ...(module === undefined ? {} : { module }), uses, replaces };
}

// ---------------------------------------------------------------- Cargo.toml

/** A TOML line up to its comment (a `#` outside strings). */
function withoutTomlComment(line: string): string {
  return /^(?:[^"'#]|"(?:[^"\\]|\\.)*"|'[^']*')*/.exec(line)?.[0] ?? '';
}

/** A TOML string value's text ("…" or '…'), else undefined. */
function tomlString(value: string): string | undefined {
  return /^"((?:[^"\\]|\\.)*)"$|^'([^']*)'$/.exec(value.trim())?.slice(1).find((s) => s !== undefined);
}

/** Whether an inline table says `workspace = true` (`{ workspace = true }`). */
function inheritsFromWorkspace(value: string): boolean {
  return /^\{.*\bworkspace\s*=\s*true\b.*\}$/.test(value.trim());
}

/** What a Cargo.toml says of editions (a line-by-line reading of the little TOML that matters). */
export function parseCargoManifest(text: string): CargoManifest {
  let table = '';
  let isPackage = false;
  let isWorkspace = false;
  let edition: string | undefined;
  let editionFromWorkspace = false;
  let workspaceEdition: string | undefined;
  for (const raw of text.split('\n')) {
    const line = withoutTomlComment(raw).trim();
    if (line === '') continue;
    const header = /^\[\[?\s*([^\]]+?)\s*\]\]?$/.exec(line);
    if (header) {
      table = (header[1] as string).replace(/\s*\.\s*/g, '.').replaceAll('"', '');
      if (table === 'package' || table.startsWith('package.')) isPackage = true;
      if (table === 'workspace' || table.startsWith('workspace.')) isWorkspace = true;
      continue;
    }
    const pair = /^([A-Za-z0-9_."' -]+?)\s*=\s*(.*)$/.exec(line);
    if (!pair) continue;
    const key = [table, (pair[1] as string).replace(/\s*\.\s*/g, '.').replaceAll('"', '')].filter(Boolean).join('.');
    const value = pair[2] as string;
    if (key.startsWith('package.')) isPackage = true;
    if (key.startsWith('workspace.')) isWorkspace = true;
    if (key === 'package.edition') {
      edition = tomlString(value);
      editionFromWorkspace = inheritsFromWorkspace(value);
    } else if (key === 'package.edition.workspace') editionFromWorkspace = value.trim() === 'true';
    else if (key === 'workspace.package.edition') workspaceEdition = tomlString(value);
  }
  return {
    isPackage,
    editionFromWorkspace,
    isWorkspace,
    ...(edition === undefined ? {} : { edition }),
    ...(workspaceEdition === undefined ? {} : { workspaceEdition }),
  };
}

// ---------------------------------------------------------------- tsconfig.json, jsconfig.json, package.json

/**
 * The value of a JSON text with comments (`//`, `/* *\/`) and trailing commas, as TypeScript reads its configuration
 * (and editors package.json); undefined when it is no JSON even so.
 */
export function parseJsonc(text: string): unknown {
  // Linear: the text is copied to `parts` in runs, joined once (a trailing comma is left out, never cut out of what
  // was written).
  const parts: string[] = [];
  let i = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  /** Where the run of text not copied to `parts` yet starts. */
  let from = i;
  /** A comma outside strings was read and not written: it is, before what follows it unless that is } or ]. */
  let comma = false;
  while (i < text.length) {
    const c = text.charCodeAt(i);
    if (c === SLASH && (text.charCodeAt(i + 1) === SLASH || text.charCodeAt(i + 1) === STAR)) {
      parts.push(text.slice(from, i));
      if (text.charCodeAt(i + 1) === SLASH) {
        const end = text.indexOf('\n', i);
        i = end < 0 ? text.length : end;
      } else {
        const end = text.indexOf('*/', i + 2);
        i = end < 0 ? text.length : end + 2;
        parts.push(' ');
      }
      from = i;
      continue;
    }
    if (isJsonBlank(c)) {
      i++;
      continue;
    }
    if (comma) {
      parts.push(text.slice(from, i));
      if (c !== CLOSE_BRACE && c !== CLOSE_BRACKET) parts.push(',');
      from = i;
      comma = false;
    }
    if (c === COMMA) {
      parts.push(text.slice(from, i));
      comma = true;
      from = ++i;
    } else if (c === QUOTE) {
      let j = i + 1;
      while (j < text.length && text.charCodeAt(j) !== QUOTE) j += text.charCodeAt(j) === BACKSLASH ? 2 : 1;
      i = j + 1;
    } else i++;
  }
  // (A comma at the end, with nothing after it, stays: no JSON.)
  parts.push(comma ? ',' : '', text.slice(from, Math.min(i, text.length)));
  try {
    return JSON.parse(parts.join('')) as unknown;
  } catch {
    return undefined;
  }
}

const SLASH = 0x2f;
const STAR = 0x2a;
const COMMA = 0x2c;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const CLOSE_BRACE = 0x7d;
const CLOSE_BRACKET = 0x5d;

/** Whether the character code `c` is blank between JSON tokens. */
function isJsonBlank(c: number): boolean {
  return c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** What a tsconfig.json or jsconfig.json says of module resolution; values of other types than TypeScript's are skipped. */
export function parseTsConfig(text: string): TsConfigManifest {
  const json = parseJsonc(text);
  const config = isRecord(json) ? json : {};
  const options = isRecord(config['compilerOptions']) ? config['compilerOptions'] : {};
  const baseUrl = typeof options['baseUrl'] === 'string' ? options['baseUrl'] : undefined;
  let paths: Record<string, string[]> | undefined;
  if (isRecord(options['paths'])) {
    const kept: [string, string[]][] = [];
    for (const [pattern, targets] of Object.entries(options['paths'])) {
      // (TypeScript rejects a pattern or target with two `*`.)
      if (!Array.isArray(targets) || pattern.split('*').length > 2) continue;
      kept.push([pattern, targets.filter((t): t is string => typeof t === 'string' && t.split('*').length <= 2)]);
    }
    // fromEntries defines own properties: assigning a pattern named `__proto__` would set the prototype instead.
    paths = Object.fromEntries(kept);
  }
  const named = config['extends'];
  const extendsList = typeof named === 'string' ? [named] : Array.isArray(named) ? named.filter((e): e is string => typeof e === 'string') : [];
  return { ...(baseUrl === undefined ? {} : { baseUrl }), ...(paths === undefined ? {} : { paths }), extends: extendsList };
}

/** What a package.json says of its name and entry points (those that are strings). */
export function parsePackageJson(text: string): PackageManifest {
  const json = parseJsonc(text);
  const pkg = isRecord(json) ? json : {};
  const name = typeof pkg['name'] === 'string' && pkg['name'] !== '' ? pkg['name'] : undefined;
  const exported = pkg['exports'];
  const dot = isRecord(exported) ? exported['.'] : exported;
  const entries = [pkg['types'], pkg['typings'], pkg['module'], pkg['main'], dot].filter((e): e is string => typeof e === 'string' && e !== '');
  return { ...(name === undefined ? {} : { name }), entries };
}

// ---------------------------------------------------------------- The index's cache

type Parsed =
  | { readonly go: GoManifest }
  | { readonly cargo: CargoManifest }
  | { readonly tsconfig: TsConfigManifest }
  | { readonly packageJson: PackageManifest };

/** A manifest's facts, by its name. */
function parseManifest(path: string, text: string): Parsed {
  const name = path.slice(path.lastIndexOf('/') + 1);
  if (name === 'Cargo.toml') return { cargo: parseCargoManifest(text) };
  if (name === 'package.json') return { packageJson: parsePackageJson(text) };
  if (name.endsWith('.json')) return { tsconfig: parseTsConfig(text) };
  return { go: parseGoManifest(text) };
}

/** How many of the latest changes' paths a ManifestCache keeps at least (changedSince). */
const MAX_CHANGES_KEPT = 1024;

/**
 * The manifests' facts, each read when first asked for (a workspace has few manifests, and the index keeps no texts)
 * and kept until forgotten or read again.
 */
export class ManifestCache implements Manifests {
  /** By path: the facts, their signature (equal for equal facts), and the hash of the text they were read from (hashText). */
  private readonly parsed = new Map<string, { readonly facts: Parsed | undefined; readonly signature: string; readonly hash?: string }>();
  private changes = 0;
  /** The paths of the latest changes, the last at `changes - 1` (the earliest at `changes - changedPaths.length`). */
  private changedPaths: string[] = [];

  /**
   * @param read a manifest's text, undefined when it cannot be read: a file's whole text, its byte-order mark too (left
   *   out of what is parsed), as the index hashes the file.
   * @param hashText the hash of a text as the index hashes a file of it (its UTF-8 bytes'): with it, facts read of the
   *   text a path comes to the index with, or is indexed again with, are kept, not read again (arrived, reread).
   */
  constructor(
    private readonly read: (path: string) => string | undefined,
    private readonly hashText?: (text: string) => string,
  ) {}

  go(path: string): GoManifest | undefined {
    const facts = this.facts(path);
    return facts !== undefined && 'go' in facts ? facts.go : undefined;
  }

  cargo(path: string): CargoManifest | undefined {
    const facts = this.facts(path);
    return facts !== undefined && 'cargo' in facts ? facts.cargo : undefined;
  }

  tsconfig(path: string): TsConfigManifest | undefined {
    const facts = this.facts(path);
    return facts !== undefined && 'tsconfig' in facts ? facts.tsconfig : undefined;
  }

  packageJson(path: string): PackageManifest | undefined {
    const facts = this.facts(path);
    return facts !== undefined && 'packageJson' in facts ? facts.packageJson : undefined;
  }

  get version(): number {
    return this.changes;
  }

  changedSince(version: number): readonly string[] | undefined {
    const back = this.changes - version;
    return back < 0 || back > this.changedPaths.length ? undefined : this.changedPaths.slice(this.changedPaths.length - back);
  }

  /** Whether a path's facts were read and are kept (what it said is known, though its text may now say otherwise). */
  knows(path: string): boolean {
    return this.parsed.has(path);
  }

  /** Forgets a path's facts (its file is gone). */
  forget(path: string): void {
    if (this.parsed.delete(path)) this.changed(path);
  }

  /**
   * A path comes to the index with a text of this hash: facts read while it was not indexed are forgotten (read again
   * when next asked for) unless they are of that text (a build resolving imports against the paths its scan found
   * reads manifests before they arrive; an open document too large to index is read for its facts, then closed).
   */
  arrived(path: string, hash: string): void {
    if (!this.isOf(path, hash)) this.forget(path);
  }

  /**
   * Reads a manifest again (its text changed), unless its facts are known to be of the text of `hash`.
   * @returns whether resolutions may now differ: its facts are others, or were not known before (a saved index's
   *   resolutions were made with facts this cache never saw).
   */
  reread(path: string, hash?: string): boolean {
    if (hash !== undefined && this.isOf(path, hash)) return false;
    const before = this.parsed.get(path);
    this.parsed.delete(path);
    this.facts(path);
    const differs = before === undefined || this.parsed.get(path)?.signature !== before.signature;
    if (differs) this.changed(path);
    return differs;
  }

  private changed(path: string): void {
    this.changes++;
    this.changedPaths.push(path);
    // (The latest are kept: what was worked out before them is worked out again.)
    if (this.changedPaths.length > 2 * MAX_CHANGES_KEPT) this.changedPaths = this.changedPaths.slice(-MAX_CHANGES_KEPT);
  }

  /** Whether a path's facts are known, read of a text whose hash is `hash`. */
  private isOf(path: string, hash: string): boolean {
    const known = this.parsed.get(path)?.hash;
    return known !== undefined && known === hash;
  }

  private facts(path: string): Parsed | undefined {
    const known = this.parsed.get(path);
    if (known !== undefined) return known.facts;
    const text = this.read(path);
    const facts = text === undefined ? undefined : parseManifest(path, text.replace(/^\uFEFF/, ''));
    const hash = text === undefined ? undefined : this.hashText?.(text);
    this.parsed.set(path, { facts, signature: JSON.stringify(facts) ?? '', ...(hash === undefined ? {} : { hash }) });
    return facts;
  }
}
