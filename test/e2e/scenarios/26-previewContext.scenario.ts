import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { openPreviewLocation, previewContext } from './generationUi';

const QUERY = 'total price of the cart items in cents';

// A fresh window: a new browser profile with empty SecretStorage, so no Codegen account and no API key.
scenario('Preview Context for Prompt… shows ranked items from the workspace with no account; a location opens the file', async ({ workbench }) => {
  const page = workbench.page;
  const text = await previewContext(workbench, QUERY);
  assert.match(text, new RegExp(`^# Context for: ${QUERY}`));
  assert.match(text, /\d+ items · [\d,]+ of 50,000 characters/);
  assert.match(text, /### 1\. src\/cart\.ts:(\d+)-\d+ · cartTotal \(function\) · score \d\.\d\d · full definition/);
  assert.match(text, /\n- \S/, 'no reasons listed');
  assert.match(text, /export function cartTotal\(items: readonly CartItem\[\]\): number \{/);

  // The location is a link (Ctrl+click): it opens the file at the item's first line.
  const [location, startLine] = /### 1\. (src\/cart\.ts:(\d+)-\d+)/.exec(text)?.slice(1) ?? [];
  assert.ok(location && startLine);
  await openPreviewLocation(workbench, location, 'cart.ts');
  await page.locator('.statusbar-item', { hasText: `Ln ${startLine}, Col 1` }).first().waitFor();
}, { freshWindow: true, timeoutMs: 90_000 });
