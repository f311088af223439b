import { JSDOM } from 'jsdom';

/**
 * Gives the enclosing `describe`'s tests a jsdom page: its `document` (the webview's modules build their elements with
 * the page's `document`) and, with `window: true`, its `window` (a streaming answer asks where the page is scrolled
 * to) set as globals while they run, and what was there before put back after. Returns the page.
 */
export function usePageGlobals({ window = false }: { window?: boolean } = {}): JSDOM {
  const globals = globalThis as { document?: unknown; window?: unknown };
  const keys = window ? (['document', 'window'] as const) : (['document'] as const);
  const dom = new JSDOM('<!DOCTYPE html><body></body>');
  const saved = new Map<'document' | 'window', unknown>();
  before(() => {
    for (const key of keys) saved.set(key, globals[key]);
    globals.document = dom.window.document;
    if (window) globals.window = dom.window;
  });
  after(() => {
    for (const key of keys) {
      const value = saved.get(key);
      if (value === undefined) delete globals[key];
      else globals[key] = value;
    }
  });
  return dom;
}
