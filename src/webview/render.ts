// Turns model output into HTML that is safe to assign to innerHTML. Pure (no DOM types): the sanitiser
// is injected (DOMPurify bound to the webview's window, or to a jsdom window in unit tests).
//
// Layers, each sufficient on its own for the common attacks:
// 1. markdown-it with `html: false`: raw HTML in the text is escaped, never parsed; its link validator
//    drops javascript:/vbscript:/file:/data: URLs.
// 2. DOMPurify with an allow-list of formatting tags, no style/on* attributes, and only http(s)/mailto
//    links: whatever slips through (a renderer bug, a highlight span) is cleaned.
// 3. The webview's CSP: no inline script, no remote images, no network.
// Size: long lines and huge texts are capped before parsing, so a 1 MB line cannot freeze the panel.
import MarkdownIt from 'markdown-it';
import { escapeHtml, highlightCode } from './highlight';

export const RENDER_LIMITS = {
  /** Characters of one line shown; the rest is replaced by a marker. */
  lineChars: 5_000,
  /** Characters of markdown parsed and shown. */
  markdownChars: 200_000,
  /** Characters of one code block shown (the actions still use the whole block). */
  codeChars: 200_000,
  /** Code above this size is shown escaped but not highlighted. */
  highlightChars: 100_000,
} as const;

/** The subset of DOMPurify's API and config used here (DOMPurify instances satisfy it). */
export interface PurifyLike {
  sanitize(dirty: string, config: SanitizeConfig): string;
}

export interface SanitizeConfig {
  ALLOWED_TAGS: string[];
  ALLOWED_ATTR: string[];
  ALLOWED_URI_REGEXP: RegExp;
  ALLOW_DATA_ATTR: boolean;
  ALLOW_ARIA_ATTR: boolean;
}

export const SANITIZE_CONFIG: SanitizeConfig = {
  ALLOWED_TAGS: [
    'a', 'p', 'br', 'hr', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'strong', 'em', 's', 'code', 'pre', 'blockquote',
    'ul', 'ol', 'li', 'table', 'thead', 'tbody', 'tr', 'th', 'td', 'span', 'div',
  ],
  ALLOWED_ATTR: ['href', 'title', 'class', 'start'],
  ALLOWED_URI_REGEXP: /^(?:https?:|mailto:)/i,
  ALLOW_DATA_ATTR: false,
  ALLOW_ARIA_ATTR: false,
};

export type HtmlSanitizer = (html: string) => string;

export function createSanitizer(purify: PurifyLike): HtmlSanitizer {
  return (html) => purify.sanitize(html, SANITIZE_CONFIG);
}

/** Cuts lines longer than `maxLineChars`, then text longer than `maxChars`, saying how much was left out. */
export function capForDisplay(text: string, maxLineChars: number, maxChars: number): string {
  let out = text;
  if (longestLine(text) > maxLineChars) {
    out = text
      .split('\n')
      .map((line) => (line.length > maxLineChars ? `${line.slice(0, maxLineChars)} … (${line.length - maxLineChars} more characters on this line)` : line))
      .join('\n');
  }
  if (out.length > maxChars) out = `${out.slice(0, maxChars)}\n… (${out.length - maxChars} more characters not shown)`;
  return out;
}

function longestLine(text: string): number {
  let longest = 0;
  let start = 0;
  for (let end = text.indexOf('\n'); end !== -1; end = text.indexOf('\n', start)) {
    longest = Math.max(longest, end - start);
    start = end + 1;
  }
  return Math.max(longest, text.length - start);
}

/**
 * Splits markdown into top-level blocks at blank lines outside fenced code, where the next line starts
 * at column 0 (so indented list continuations stay with their item). `blocks.join('\n')` is the input.
 * Rendered one by one, ordinary answers look the same as rendered whole; a streaming view then
 * re-renders only the last, growing block instead of the whole answer on every update.
 */
export function splitMarkdownBlocks(text: string): string[] {
  const blocks: string[] = [];
  let current: string[] = [];
  let fence: string | undefined;
  let afterBlank = false;
  for (const line of text.split('\n')) {
    if (fence === undefined) {
      if (afterBlank && current.length > 0 && /^\S/.test(line)) {
        blocks.push(current.join('\n'));
        current = [];
      }
      // Any line starting like a fence counts as one: erring this way only means fewer blocks.
      fence = /^ {0,3}(`{3,}|~{3,})/.exec(line)?.[1];
    } else {
      const close = /^ {0,3}(`{3,}|~{3,})\s*$/.exec(line)?.[1];
      if (close && close[0] === fence[0] && close.length >= fence.length) fence = undefined;
    }
    current.push(line);
    afterBlank = fence === undefined && line.trim() === '';
  }
  blocks.push(current.join('\n'));
  return blocks;
}

export interface Renderer {
  /** Markdown (explanation, final answer) → sanitised HTML; fenced code is highlighted. */
  markdown(text: string): string;
  /** A streaming answer, capped for display and split into blocks (see splitMarkdownBlocks). */
  streamingBlocks(text: string): string[];
  /** One block from streamingBlocks → sanitised HTML. */
  markdownBlock(block: string): string;
  /** One code block → sanitised HTML for the inside of a `<code>` element. */
  code(code: string, language: string): string;
}

export function createRenderer(sanitize: HtmlSanitizer): Renderer {
  const md = new MarkdownIt({ html: false, linkify: false, typographer: false, breaks: false });
  md.renderer.rules.fence = (tokens, idx) => {
    const token = tokens[idx];
    if (!token) return '';
    const language = token.info.trim().split(/\s+/)[0] ?? '';
    const label = language ? `<div class="code-lang">${escapeHtml(language)}</div>` : '';
    return `<div class="code-block">${label}<pre><code class="hljs">${codeHtml(token.content, language)}</code></pre></div>\n`;
  };
  const capMarkdown = (text: string) => capForDisplay(text, RENDER_LIMITS.lineChars, RENDER_LIMITS.markdownChars);
  return {
    markdown: (text) => sanitize(md.render(capMarkdown(text))),
    streamingBlocks: (text) => splitMarkdownBlocks(capMarkdown(text)),
    markdownBlock: (block) => sanitize(md.render(block)),
    code: (code, language) => sanitize(codeHtml(capForDisplay(code, RENDER_LIMITS.lineChars, RENDER_LIMITS.codeChars), language)),
  };
}

function codeHtml(code: string, language: string): string {
  return code.length > RENDER_LIMITS.highlightChars ? escapeHtml(code) : highlightCode(code, language);
}
