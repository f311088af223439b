import assert from 'node:assert/strict';
import { scenario } from '../harness/scenario';
import { openPreviewLocation, previewContext } from './generationUi';

const QUERY = 'restock the shelf up to its capacity, and the total price of the cart items';

// A window on a multi-root workspace: "shop" (the run's workspace) and "warehouse" (test/fixtures/e2e-second-folder).
scenario('Preview Context in a multi-root workspace ranks definitions from every folder, named by folder, and opens them', async ({ workbench }) => {
  const page = workbench.page;
  // (previewContext waits for both folders indexed to the end.)
  const text = await previewContext(workbench, QUERY);
  assert.match(text, /### \d+\. shop\/src\/cart\.ts:\d+-\d+ · cartTotal \(function\)/, 'the first folder\'s definition, under its folder\'s name');
  assert.match(text, /### \d+\. warehouse\/src\/shelves\.ts:\d+-\d+ · restockShelf \(function\)/, 'the second folder\'s definition, under its folder\'s name');
  assert.doesNotMatch(text, /### \d+\. src\//, 'no path without its folder');

  // The second folder's location opens its file (the path maps back to that folder, not the first).
  const [location, startLine] = /### \d+\. (warehouse\/src\/shelves\.ts:(\d+)-\d+) · restockShelf/.exec(text)?.slice(1) ?? [];
  assert.ok(location && startLine);
  await openPreviewLocation(workbench, location, 'shelves.ts');
  await page.locator('.statusbar-item', { hasText: `Ln ${startLine}, Col 1` }).first().waitFor();
}, { multiRoot: true, timeoutMs: 90_000 });
