import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { generateFromPalette, waitForRun } from './generationUi';

const PROMPT = 'Write function totalAfterReload from the cart total';

scenario('The results panel survives a window reload: the last answer, its code block and its context come back', async ({ workbench }) => {
  const page = workbench.page;
  const before = await generateFromPalette(workbench, PROMPT);
  const code = (await before.locator('.code-blocks pre code').first().textContent())?.trimEnd();
  assert.ok(code?.includes('totalAfterReload'), `unexpected answer: ${code}`);
  const contextTab = (await before.locator('button[role="tab"]', { hasText: /^Context \(\d+\)$/ }).textContent())?.trim();
  assert.ok(contextTab, 'the panel shows no Context tab');

  const reloaded = page.waitForEvent('framenavigated', { predicate: (f) => f === page.mainFrame(), timeout: 30_000 });
  await workbench.runCommand('Developer: Reload Window');
  await reloaded;
  await page.locator('.monaco-workbench .part.statusbar').waitFor({ timeout: 30_000 });

  // VS Code brings the panel back and the extension's serializer fills it from the state the page saved.
  const after = await waitForRun(workbench, PROMPT, 'Done', { timeoutMs: 30_000 });
  assert.equal((await after.locator('.code-blocks pre code').first().textContent())?.trimEnd(), code);
  assert.equal((await after.locator('button[role="tab"]', { hasText: /^Context \(\d+\)$/ }).textContent())?.trim(), contextTab);
}, { timeoutMs: 90_000 });
