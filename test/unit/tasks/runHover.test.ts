import assert from 'node:assert/strict';
import MarkdownIt from 'markdown-it';
import { escapeMarkdown, runHoverMarkdown } from '../../../src/core/tasks/runHover';

// Rendered as a hover renders Markdown: no HTML, bare URLs made links (the strictest reading).
const md = new MarkdownIt({ html: false, linkify: true });
/** The HTML, non-breaking spaces read as spaces. */
const render = (markdown: string): string => md.render(markdown).replace(/\u00a0/g, ' ');

describe('agent run hover', () => {
  it('shows a crafted status as text: no image, link or theme icon of its making', () => {
    const status = '![x](https://tracker.example/p.png) [click](command:workbench.action.quit) <img src=x> $(alert) https://evil.example www.evil.example';
    const html = render(runHoverMarkdown({ id: 7, status: status.toUpperCase(), createdAt: new Date(Date.UTC(2026, 0, 2)), summary: 'Fixed *it*\n    indented\n# not a heading', webUrl: 'https://app.codegen.com/run/7' }));
    assert.ok(!html.includes('<img'), html);
    const links = [...html.matchAll(/<a href="([^"]*)"/g)].map((m) => m[1]);
    assert.deepEqual(links, ['https://app.codegen.com/run/7'], html);
    assert.ok(html.includes('![x](https://tracker.example/p.png)'), html);
    assert.ok(html.includes('&lt;img src=x&gt;'), html);
    assert.match(html, /<strong>Run #7<\/strong> — /);
    assert.ok(html.includes('Created 2026-01-02T00:00:00.000Z'), html);
    assert.ok(!html.includes('<em>') && !html.includes('<h1>') && !html.includes('<code>'), html);
  });

  it('escapes text so that it renders as it is', () => {
    const text = 'a_b *c* `d` [e](f) #g 1. h | i ~j~ \\k & l';
    assert.equal(render(escapeMarkdown(text)).replace(/&amp;/g, '&').trim(), `<p>${text}</p>`);
  });

  it('says unknown for a run without status', () => {
    assert.match(runHoverMarkdown({ id: 1, status: '' }), /^\*\*Run #1\*\* — unknown$/);
  });
});
