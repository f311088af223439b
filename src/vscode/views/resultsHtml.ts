// The results webview's HTML shell and its Content-Security-Policy. No `vscode` import, so it is unit
// tested in plain Node. The page carries no data: only the nonce, the CSP source and the two asset
// URIs are put into it; everything shown arrives later through postMessage (after the `ready` handshake).
import { randomBytes } from 'node:crypto';

export interface ResultsHtmlInputs {
  /** Fresh per page load, from createNonce(). */
  nonce: string;
  /** webview.cspSource. */
  cspSource: string;
  /** webview.asWebviewUri(dist/webview.js), as a string. */
  scriptUri: string;
  /** webview.asWebviewUri(media/results.css), as a string. */
  styleUri: string;
}

/** 128 random bits, base64 (a valid CSP nonce). */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

const NONCE = /^[A-Za-z0-9+/]{16,}={0,2}$/;
/**
 * Source expressions separated by single spaces: hosts/schemes, or the 'self' keyword (VS Code's web
 * builds report `'self' https://*.vscode-cdn.net`). Nothing that could end a directive or the attribute,
 * and no other keyword ('unsafe-inline' and friends) can slip in.
 */
const CSP_SOURCE = /^(?:'self'|[^\s;,'"<>]+)(?: (?:'self'|[^\s;,'"<>]+))*$/;

export function buildCsp(nonce: string, cspSource: string): string {
  if (!NONCE.test(nonce)) throw new Error('invalid CSP nonce');
  if (!CSP_SOURCE.test(cspSource)) throw new Error('invalid CSP source');
  return [
    "default-src 'none'",
    `script-src 'nonce-${nonce}'`,
    `style-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `font-src ${cspSource}`,
    "connect-src 'none'",
  ].join('; ');
}

export function buildResultsHtml(inputs: ResultsHtmlInputs): string {
  const csp = buildCsp(inputs.nonce, inputs.cspSource);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttribute(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttribute(inputs.styleUri)}">
<title>Contexten Results</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeAttribute(inputs.nonce)}" src="${escapeAttribute(inputs.scriptUri)}"></script>
</body>
</html>
`;
}

function escapeAttribute(value: string): string {
  return value.replace(/[&"<>]/g, (c) => `&#${c.charCodeAt(0)};`);
}
