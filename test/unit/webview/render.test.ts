import assert from 'node:assert/strict';
import createDOMPurify, { type WindowLike } from 'dompurify';
import { JSDOM, type TestBody } from 'jsdom';
import { capForDisplay, createRenderer, createSanitizer, RENDER_LIMITS, splitMarkdownBlocks } from '../../../src/webview/render';

// DOMPurify needs a DOM: in the webview it is the page's window, here a jsdom window (scripts off).
const dom = new JSDOM('<!DOCTYPE html><body></body>');
const sanitize = createSanitizer(createDOMPurify(dom.window as unknown as WindowLike));
const renderer = createRenderer(sanitize);

/** Parses sanitised output the way the webview does (innerHTML), for inspection. */
function load(html: string): TestBody {
  const body = dom.window.document.body;
  body.innerHTML = html;
  return body;
}

const FORBIDDEN_TAGS = ['SCRIPT', 'IFRAME', 'FRAME', 'OBJECT', 'EMBED', 'STYLE', 'IMG', 'SVG', 'MATH', 'FORM', 'INPUT', 'BASE', 'META', 'LINK'];

/** Like assert.match, without printing a megabyte of input when it fails. */
function assertMentions(text: string, pattern: RegExp): void {
  assert.ok(pattern.test(text), `${pattern} not found in ${text.length} chars: ${text.slice(0, 100)} … ${text.slice(-300)}`);
}

/** No executable or loading element, no event handler or style attribute, no link but http(s)/mailto. */
function assertInert(html: string): TestBody {
  const body = load(html);
  for (const el of body.querySelectorAll('*')) {
    assert.ok(!FORBIDDEN_TAGS.includes(el.tagName.toUpperCase()), `<${el.tagName}> survived in ${html.slice(0, 200)}`);
    for (const name of el.getAttributeNames()) {
      assert.ok(!/^on/i.test(name), `${name} attribute survived`);
      assert.ok(!['style', 'src', 'srcdoc', 'formaction', 'xlink:href'].includes(name.toLowerCase()), `${name} attribute survived`);
    }
    const href = el.getAttribute('href');
    if (href !== null) assert.match(href, /^(https?:|mailto:)/i, `unsafe href ${href}`);
  }
  return body;
}

describe('webview rendering of hostile model output', () => {
  const hostile: [string, string][] = [
    ['a script tag', 'Hello <script>alert(1)</script> world'],
    ['an img with onerror', '<img src=x onerror="alert(1)">'],
    ['an svg with onload', '<svg onload=alert(1)><circle r=5 /></svg>'],
    ['an iframe', '<iframe src="https://evil.example/"></iframe>'],
    ['an iframe with srcdoc', '<iframe srcdoc="<script>alert(1)</script>"></iframe>'],
    ['a raw anchor with a javascript: href', '<a href="javascript:alert(1)" onclick="alert(2)">x</a>'],
    ['a style block', '<style>body { display: none }</style>text'],
    ['a markdown link to javascript:', '[click me](javascript:alert(1))'],
    ['a mixed-case javascript: link', '[click me](JaVaScRiPt:alert(1))'],
    ['an entity-encoded javascript: link', '[click me](&#106;avascript:alert(1))'],
    ['a javascript: link with a tab inside', '[click me](java\tscript:alert(1))'],
    ['a javascript: autolink', '<javascript:alert(1)>'],
    ['a javascript: reference link', '[click me][r]\n\n[r]: javascript:alert(1)'],
    ['a data: html link', '[click me](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)'],
    ['a vbscript: link', '[click me](vbscript:msgbox(1))'],
    ['a file: link', '[passwd](file:///etc/passwd)'],
    ['a remote image (tracking pixel)', '![pixel](https://evil.example/p.png)'],
    ['an image with a javascript: source', '![x](javascript:alert(1))'],
    ['a fence whose info string breaks out of the attribute', '```js" onmouseover="alert(1)\nconst a = 1;\n```'],
    ['a fence whose code closes the pre and opens a script', '```html\n</code></pre><script>alert(1)</script>\n```'],
    ['inline code with a script tag', 'Use `<script>alert(1)</script>` carefully'],
    ['a form with an input', '<form action="https://evil.example"><input name=x></form>'],
    ['a base tag', '<base href="https://evil.example/">'],
  ];
  for (const [what, input] of hostile) {
    it(`renders ${what} inert`, () => {
      assertInert(renderer.markdown(input));
    });
  }

  it('shows raw HTML in the text as literal text instead of dropping it', () => {
    const body = assertInert(renderer.markdown('Hello <script>alert(1)</script> world'));
    assertMentions(body.textContent ?? '', /<script>alert\(1\)<\/script>/);
  });

  it('keeps safe links and ordinary formatting', () => {
    const body = assertInert(renderer.markdown('**bold** and [docs](https://example.com/docs) and [mail](mailto:a@example.com)'));
    assert.equal(body.querySelectorAll('strong').length, 1);
    const hrefs = [...body.querySelectorAll('a')].map((a) => a.getAttribute('href'));
    assert.deepEqual(hrefs, ['https://example.com/docs', 'mailto:a@example.com']);
  });

  it('drops the href of an unsafe link but keeps its text', () => {
    const body = assertInert(renderer.markdown('[click me](javascript:alert(1))'));
    assertMentions(body.textContent ?? '', /click me/);
    assert.equal([...body.querySelectorAll('a')].filter((a) => a.getAttribute('href') !== null).length, 0);
  });

  it('sanitises on its own too: raw HTML that bypassed markdown is cleaned by the DOMPurify layer', () => {
    const raw =
      '<div class="code-block" style="position:fixed" onmouseover="x()">t</div><a href="javascript:alert(1)">a</a>' +
      '<iframe src="https://evil.example"></iframe><script>alert(1)</script><img src=x onerror=alert(1)><a href="https://ok.example">ok</a>';
    const body = assertInert(sanitize(raw));
    assert.equal(body.querySelectorAll('div.code-block').length, 1, 'harmless markup and classes are kept');
    assert.equal(body.querySelectorAll('a[href="https://ok.example"]').length, 1);
  });

  it('renders hostile code blocks as escaped text with a harmless language label', () => {
    const html = renderer.code('</code></pre><script>alert(1)</script><img src=x onerror=alert(1)>', 'html');
    const body = assertInert(html);
    assertMentions(body.textContent ?? '', /<script>alert\(1\)<\/script>/);
    assertInert(renderer.code('x', '"><img src=x onerror=alert(1)>'));
  });

  it('caps a 1 MB single line in prose: bounded output with a marker saying what was left out', () => {
    const html = renderer.markdown(`Intro\n\n${'A'.repeat(1_000_000)}\n\nOutro`);
    assert.ok(html.length < RENDER_LIMITS.lineChars + 1_000, `output is ${html.length} chars`);
    const text = assertInert(html).textContent ?? '';
    assertMentions(text, /995000 more characters on this line/);
    assertMentions(text, /Outro/);
  });

  it('caps a 1 MB single line of code in a fence and in a code block', () => {
    const fenced = renderer.markdown(`\`\`\`ts\nconst s = "${'x'.repeat(1_000_000)}";\n\`\`\``);
    assert.ok(fenced.length < RENDER_LIMITS.lineChars * 2, `fenced output is ${fenced.length} chars`);
    assertMentions(assertInert(fenced).textContent ?? '', /more characters on this line/);
    const block = renderer.code(`const s = "${'x'.repeat(1_000_000)}";`, 'typescript');
    assert.ok(block.length < RENDER_LIMITS.lineChars * 2, `code output is ${block.length} chars`);
  });

  it('handles 1 MB of pathological markdown (nested brackets, emphasis runs) without blowing up', () => {
    for (const input of ['[a'.repeat(500_000), '*_'.repeat(500_000), '>'.repeat(1_000_000), '`'.repeat(1_000_000)]) {
      const html = renderer.markdown(input);
      assert.ok(html.length < 50_000, `output is ${html.length} chars`);
      assertInert(html);
    }
  });

  it('shows only the first part of a huge many-line answer and says how much is hidden', () => {
    const line = `${'word '.repeat(199)}word\n`;
    const text = line.repeat(5_000); // 5 MB
    const html = renderer.markdown(text);
    assert.ok(html.length < RENDER_LIMITS.markdownChars * 1.2, `output is ${html.length} chars`);
    assertMentions(assertInert(html).textContent ?? '', /more characters not shown/);
  });
});

describe('webview syntax highlighting', () => {
  it('highlights known languages and their aliases (including the pipeline\'s "shell")', () => {
    assert.match(renderer.code('const x = 1;', 'typescript'), /class="hljs-keyword"/);
    assert.match(renderer.code('def f(): pass', 'py'), /class="hljs-keyword"/);
    assert.match(renderer.code('echo "hi"', 'shell'), /class="hljs-(built_in|string)"/);
  });

  it('escapes unknown languages without guessing', () => {
    const html = renderer.code('const x = 1 < 2;', 'klingon');
    assert.doesNotMatch(html, /hljs-/);
    assert.equal(load(html).textContent, 'const x = 1 < 2;');
  });

  it('highlights fenced code inside markdown', () => {
    assert.match(renderer.markdown('```go\nfunc main() {}\n```'), /class="hljs-keyword"/);
  });
});

describe('capForDisplay', () => {
  it('returns short text unchanged', () => {
    assert.equal(capForDisplay('a\nb', 10, 100), 'a\nb');
  });

  it('cuts long lines and overall length, saying how much', () => {
    assert.equal(capForDisplay('abcdefghij\nxy', 4, 100), 'abcd … (6 more characters on this line)\nxy');
    assert.equal(capForDisplay('aaaa\nbbbb', 10, 6), 'aaaa\nb\n… (3 more characters not shown)');
    // The line count is against the whole line, not what is left after the overall cap.
    assert.equal(capForDisplay(`${'x'.repeat(100)}\nend`, 10, 60), `${'x'.repeat(10)} … (90 more characters on this line)\nend`);
  });
});

describe('splitMarkdownBlocks (incremental streaming render)', () => {
  const answer = [
    '# Plan',
    '',
    'First paragraph with `code`.',
    '',
    '```ts',
    'function a() {',
    '',
    '  return 1;',
    '}',
    '```',
    '',
    '- one',
    '',
    '  continued under one',
    '- two',
    '',
    '1. first',
    '2. second',
    '',
    '~~~~',
    'tilde fence',
    '',
    '```',
    'still inside the tilde fence',
    '~~~~',
    'Last words.',
  ].join('\n');

  it('loses nothing: the blocks joined with newlines are the input', () => {
    assert.equal(splitMarkdownBlocks(answer).join('\n'), answer);
    assert.deepEqual(splitMarkdownBlocks(''), ['']);
  });

  it('never splits inside a fenced code block or before an indented continuation', () => {
    const blocks = splitMarkdownBlocks(answer);
    assert.ok(blocks.some((b) => b.startsWith('```ts') && b.includes('  return 1;') && b.includes('}\n```')));
    assert.ok(blocks.some((b) => b.startsWith('- one') && b.includes('continued under one')));
    assert.ok(blocks.some((b) => b.startsWith('~~~~') && b.includes('still inside the tilde fence') && b.includes('Last words.')));
  });

  it('renders an ordinary answer block by block as it renders whole', () => {
    const whole = load(renderer.markdown(answer)).textContent;
    const pieces = splitMarkdownBlocks(answer).map((b) => renderer.markdownBlock(b)).join('');
    assert.equal(load(pieces).textContent?.replace(/\s+/g, ' ').trim(), whole?.replace(/\s+/g, ' ').trim());
    assert.equal(load(pieces).querySelectorAll('pre').length, load(renderer.markdown(answer)).querySelectorAll('pre').length);
  });

  it('caps streamed text before splitting, so a 1 MB line stays bounded', () => {
    const blocks = createRenderer(sanitize).streamingBlocks(`intro\n\n${'Q'.repeat(1_000_000)}`);
    assert.equal(blocks.length, 2);
    assert.ok((blocks[1]?.length ?? 0) < RENDER_LIMITS.lineChars + 100);
    assertInert(renderer.markdownBlock(blocks[1] ?? ''));
  });
});
