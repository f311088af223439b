// Syntax highlighting for code blocks: highlight.js core with the languages the context engine indexes
// plus a few common companions (about 60 KB minified). Output is HTML-escaped text wrapped in
// `<span class="hljs-…">`; it is still sanitised by the caller. Unknown languages are not guessed
// (auto-detection runs every grammar): they render as escaped plain text.
import hljs from 'highlight.js/lib/core';
import bash from 'highlight.js/lib/languages/bash';
import css from 'highlight.js/lib/languages/css';
import diff from 'highlight.js/lib/languages/diff';
import go from 'highlight.js/lib/languages/go';
import java from 'highlight.js/lib/languages/java';
import javascript from 'highlight.js/lib/languages/javascript';
import json from 'highlight.js/lib/languages/json';
import python from 'highlight.js/lib/languages/python';
import rust from 'highlight.js/lib/languages/rust';
import typescript from 'highlight.js/lib/languages/typescript';
import xml from 'highlight.js/lib/languages/xml';
import yaml from 'highlight.js/lib/languages/yaml';

const LANGUAGES = { bash, css, diff, go, java, javascript, json, python, rust, typescript, xml, yaml };
for (const [name, language] of Object.entries(LANGUAGES)) hljs.registerLanguage(name, language);
// The generation pipeline names bash/sh fences "shell".
hljs.registerAliases(['shell'], { languageName: 'bash' });

export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** True when `language` (a name or alias such as ts, py, rs, sh, html) has a grammar here. */
export function isHighlightable(language: string): boolean {
  return language !== '' && hljs.getLanguage(language) !== undefined;
}

/** Escaped HTML for `code`, with highlight spans when the language is known. */
export function highlightCode(code: string, language: string): string {
  if (!isHighlightable(language)) return escapeHtml(code);
  return hljs.highlight(code, { language, ignoreIllegals: true }).value;
}
