import assert from 'node:assert/strict';
import { buildCsp, buildResultsHtml, createNonce, type ResultsHtmlInputs } from '../../../src/vscode/views/resultsHtml';

const inputs: ResultsHtmlInputs = {
  nonce: 'QUJDREVGR0hJSktMTU5PUA==',
  cspSource: 'https://*.vscode-cdn.net',
  scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
  styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/media/results.css',
};

describe('results webview CSP', () => {
  it('is exactly the policy of the style guide, with the nonce and the webview source', () => {
    assert.equal(
      buildCsp(inputs.nonce, inputs.cspSource),
      "default-src 'none'; script-src 'nonce-QUJDREVGR0hJSktMTU5PUA=='; style-src https://*.vscode-cdn.net; " +
        "img-src https://*.vscode-cdn.net data:; font-src https://*.vscode-cdn.net; connect-src 'none'",
    );
  });

  it("accepts the web builds' source list with 'self'", () => {
    assert.equal(
      buildCsp(inputs.nonce, "'self' https://*.vscode-cdn.net"),
      "default-src 'none'; script-src 'nonce-QUJDREVGR0hJSktMTU5PUA=='; style-src 'self' https://*.vscode-cdn.net; " +
        "img-src 'self' https://*.vscode-cdn.net data:; font-src 'self' https://*.vscode-cdn.net; connect-src 'none'",
    );
  });

  it('refuses a nonce or source that could inject another directive or keyword', () => {
    assert.throws(() => buildCsp(inputs.nonce, "'unsafe-inline' https://x"));
    assert.throws(() => buildCsp(inputs.nonce, "'self''unsafe-eval'"));
    assert.throws(() => buildCsp("abc'; script-src *", inputs.cspSource));
    assert.throws(() => buildCsp('short', inputs.cspSource));
    assert.throws(() => buildCsp(inputs.nonce, "https://x; script-src 'unsafe-inline'"));
    assert.throws(() => buildCsp(inputs.nonce, 'https://x"><script>'));
  });

  it('makes a fresh 128-bit base64 nonce each time', () => {
    const a = createNonce();
    const b = createNonce();
    assert.notEqual(a, b);
    assert.match(a, /^[A-Za-z0-9+/]{22}==$/);
    assert.doesNotThrow(() => buildCsp(a, inputs.cspSource));
  });
});

describe('results webview HTML shell', () => {
  const html = buildResultsHtml(inputs);

  it('carries the CSP in a meta tag before anything loads', () => {
    const meta = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
    assert.ok(meta?.[1]);
    assert.equal(meta[1], buildCsp(inputs.nonce, inputs.cspSource));
    assert.ok(html.indexOf(meta[0]) < html.indexOf('<link'), 'CSP comes before the stylesheet');
  });

  it('loads exactly one script, external and with the nonce, and no inline script, style or handler', () => {
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/g)];
    assert.equal(scripts.length, 1);
    assert.equal(scripts[0]?.[1], ` nonce="${inputs.nonce}" src="${inputs.scriptUri}"`);
    assert.equal(scripts[0]?.[2], '', 'no inline script body');
    assert.doesNotMatch(html, /<style|style=|\son[a-z]+=/i);
    assert.match(html, new RegExp(`<link rel="stylesheet" href="${inputs.styleUri.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}">`));
  });

  it('contains no data: only the nonce, the CSP source and the two URIs vary', () => {
    const other: ResultsHtmlInputs = {
      nonce: 'WllZWllZWllZWllZWllZWQ==',
      cspSource: 'vscode-webview://other',
      scriptUri: 'https://other.example/s.js',
      styleUri: 'https://other.example/s.css',
    };
    const template = (i: ResultsHtmlInputs) =>
      buildResultsHtml(i).split(i.nonce).join('{nonce}').split(i.cspSource).join('{csp}').split(i.scriptUri).join('{script}').split(i.styleUri).join('{style}');
    assert.equal(template(inputs), template(other));
    assert.match(template(inputs), /<div id="app"><\/div>/);
  });

  it('escapes the URIs it puts into attributes', () => {
    const out = buildResultsHtml({ ...inputs, scriptUri: 'https://x.example/a"><script>alert(1)</script>' });
    assert.equal([...out.matchAll(/<script\b/g)].length, 1);
    assert.match(out, /a&#34;&#62;&#60;script&#62;/);
  });
});
