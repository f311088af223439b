import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { HOSTILE_MARKER } from '../../servers/openai/answers';
import { generateFromPalette } from './generationUi';

interface PwnedWindow {
  __contextenPwned?: unknown;
}

scenario('Hostile model output (script, event handlers, javascript: links, a huge line) renders inert in the results panel', async ({ workbench }) => {
  // The contract server answers this prompt with markup that sets window.__contextenPwned if it ever runs.
  const frame = await generateFromPalette(workbench, `Show the ${HOSTILE_MARKER} sample`);

  assert.equal(await frame.evaluate(() => (window as PwnedWindow).__contextenPwned), undefined, 'a payload ran');
  const shown = frame.locator('[data-testid="answer"], .code-blocks');
  assert.equal(await shown.locator('script, img, iframe, object, embed, style, form, svg').count(), 0, 'hostile elements were created');
  assert.equal(await shown.locator('[onerror], [onclick], [onload], [style], [src]').count(), 0, 'hostile attributes survived');
  const hrefs = await shown.locator('a').evaluateAll((links) => links.map((a) => a.getAttribute('href')));
  assert.deepEqual(hrefs, ['https://example.com/docs'], 'only the https link may stay a link');
  // The page runs only the extension's own script (next to the one VS Code injects into every webview).
  const scripts = await frame.evaluate(() => Array.from(document.scripts, (s) => ({ src: s.src, inApp: s.closest('#app') !== null, vscodeApi: s.text.includes('acquireVsCodeApi') })));
  assert.equal(scripts.filter((s) => s.inApp).length, 0);
  assert.equal(scripts.filter((s) => /\/dist\/webview\.js$/.test(s.src)).length, 1);
  assert.ok(scripts.every((s) => /\/dist\/webview\.js$/.test(s.src) || (s.src === '' && s.vscodeApi)), `unexpected scripts: ${JSON.stringify(scripts)}`);

  // The markup is shown as text, the code block keeps its payload as code, and the huge line is cut.
  const answer = (await frame.locator('[data-testid="answer"]').textContent()) ?? '';
  assert.ok(answer.includes('Hostile answer <script>window.__contextenPwned = "script"</script> ends here.'), answer.slice(0, 300));
  assert.ok(answer.includes("[markdown link](javascript:window.__contextenPwned='md-link')"));
  assert.ok(answer.includes('<a href="javascript:window.__contextenPwned=\'a\'">raw link</a>'));
  assert.match(answer, /x{5000} … \(15000 more characters on this line\)/);
  const code = (await frame.locator('.code-blocks pre code').first().textContent()) ?? '';
  assert.equal(code.trimEnd(), 'const payload = "</code></pre><script>window.__contextenPwned = \'code\'</script>";');
});
