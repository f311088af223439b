// Which language a workspace file is, by its name, and which tree-sitter grammar parses it.
import type { LanguageId } from './model';

/** Parsed languages: every LanguageId except the identifier-only 'text' fallback. Each has its own grammar (wasm). */
export type ParsedLanguage = Exclude<LanguageId, 'text'>;

/** Grammar packages whose `queries/tags.scm` we load (tsx shares the typescript package). */
export type TagsPackage = 'typescript' | 'javascript' | 'python' | 'go' | 'rust' | 'java';

export const PARSED_LANGUAGES: readonly ParsedLanguage[] = ['typescript', 'tsx', 'javascript', 'python', 'go', 'rust', 'java'];
export const TAGS_PACKAGES: readonly TagsPackage[] = ['typescript', 'javascript', 'python', 'go', 'rust', 'java'];

/** A Map, not an object: an extension such as `constructor` or `__proto__` must not find Object.prototype's members. */
const BY_EXTENSION: ReadonlyMap<string, ParsedLanguage> = new Map<string, ParsedLanguage>([
  ['ts', 'typescript'],
  ['mts', 'typescript'],
  ['cts', 'typescript'],
  ['tsx', 'tsx'],
  ['js', 'javascript'],
  ['mjs', 'javascript'],
  ['cjs', 'javascript'],
  ['jsx', 'javascript'],
  ['py', 'python'],
  ['pyi', 'python'],
  ['go', 'go'],
  ['rs', 'rust'],
  ['java', 'java'],
]);

/** Extensions of files that are never text: skipped without reading them. */
const BINARY_EXTENSIONS = new Set([
  'png', 'jpg', 'jpeg', 'gif', 'bmp', 'ico', 'icns', 'webp', 'avif', 'tif', 'tiff', 'psd',
  'pdf', 'zip', 'gz', 'tgz', 'bz2', 'xz', 'zst', '7z', 'rar', 'jar', 'war', 'class', 'vsix',
  'wasm', 'exe', 'dll', 'so', 'dylib', 'a', 'o', 'obj', 'lib', 'bin', 'dat', 'db', 'sqlite', 'pyc', 'pyo',
  'woff', 'woff2', 'ttf', 'otf', 'eot', 'mp3', 'mp4', 'm4a', 'wav', 'ogg', 'flac', 'mov', 'avi', 'mkv', 'webm',
  'node', 'pdb', 'iso', 'dmg', 'deb', 'rpm',
]);

function extensionOf(path: string): string {
  const slash = path.lastIndexOf('/');
  const dot = path.lastIndexOf('.');
  return dot > slash + 1 ? path.slice(dot + 1).toLowerCase() : '';
}

/** The language of a workspace-relative path; 'text' for any other (non-binary) file. */
export function languageForPath(path: string): LanguageId {
  return BY_EXTENSION.get(extensionOf(path)) ?? 'text';
}

/** True when the file name ends in the extension of a language the engine parses (`.ts`, `.py`, `.go`, …). */
export function hasSourceExtension(path: string): boolean {
  return BY_EXTENSION.has(extensionOf(path));
}

/** True when the file name says it is binary (images, archives, fonts, compiled code). */
export function hasBinaryExtension(path: string): boolean {
  return BINARY_EXTENSIONS.has(extensionOf(path));
}

/** tags.scm files used for a grammar's definitions, in order (TypeScript builds on JavaScript's). */
export function tagsPackagesFor(language: ParsedLanguage): readonly TagsPackage[] {
  switch (language) {
    case 'typescript':
    case 'tsx':
      return ['typescript', 'javascript'];
    default:
      return [language];
  }
}
