// What import resolution reads of the workspace's manifests: go.mod's module path and local `replace` directives,
// go.work's `use` and `replace` directives, Cargo.toml's edition. The index reads and caches them (ManifestCache); the
// resolver sees only paths and these facts. Parsing is tolerant: comments, quoted paths, versions, block forms.

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

/** The manifests' facts by path, undefined when not known (unreadable). */
export interface Manifests {
  go(path: string): GoManifest | undefined;
  cargo(path: string): CargoManifest | undefined;
  /**
   * Moves whenever a path's facts may have become others: what was worked out from them (a PathTable's Go module
   * folders) holds while it stays.
   */
  readonly version: number;
}

export const NO_MANIFESTS: Manifests = { go: () => undefined, cargo: () => undefined, version: 0 };

/** Whether a path is a manifest whose text import resolution reads. */
export function isManifest(path: string): boolean {
  const name = path.slice(path.lastIndexOf('/') + 1);
  return name === 'go.mod' || name === 'go.work' || name === 'Cargo.toml';
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

// ---------------------------------------------------------------- The index's cache

type Parsed = { readonly go: GoManifest } | { readonly cargo: CargoManifest };

/**
 * The manifests' facts, each read when first asked for (a workspace has few manifests, and the index keeps no texts)
 * and kept until forgotten or read again.
 */
export class ManifestCache implements Manifests {
  private readonly parsed = new Map<string, { readonly facts: Parsed | undefined; readonly signature: string }>();
  private changes = 0;

  /** @param read a manifest's text, undefined when it cannot be read. */
  constructor(private readonly read: (path: string) => string | undefined) {}

  go(path: string): GoManifest | undefined {
    const facts = this.facts(path);
    return facts !== undefined && 'go' in facts ? facts.go : undefined;
  }

  cargo(path: string): CargoManifest | undefined {
    const facts = this.facts(path);
    return facts !== undefined && 'cargo' in facts ? facts.cargo : undefined;
  }

  get version(): number {
    return this.changes;
  }

  /** Forgets a path's facts (its file is gone). */
  forget(path: string): void {
    if (this.parsed.delete(path)) this.changes++;
  }

  /**
   * Reads a manifest again (its text changed).
   * @returns whether resolutions may now differ: its facts are others, or were not known before (a saved index's
   *   resolutions were made with facts this cache never saw).
   */
  reread(path: string): boolean {
    const before = this.parsed.get(path);
    this.parsed.delete(path);
    this.facts(path);
    const differs = before === undefined || this.parsed.get(path)?.signature !== before.signature;
    if (differs) this.changes++;
    return differs;
  }

  private facts(path: string): Parsed | undefined {
    const known = this.parsed.get(path);
    if (known !== undefined) return known.facts;
    const text = this.read(path);
    const facts: Parsed | undefined = text === undefined ? undefined : path.endsWith('Cargo.toml') ? { cargo: parseCargoManifest(text) } : { go: parseGoManifest(text) };
    this.parsed.set(path, { facts, signature: JSON.stringify(facts) ?? '' });
    return facts;
  }
}
