// Minimal typings for the part of jsdom the webview tests use. jsdom ships no types, and @types/jsdom
// would pull the DOM lib into the whole Node program (letting core code use `window` unnoticed).
declare module 'jsdom' {
  export interface TestElement {
    readonly tagName: string;
    getAttributeNames(): string[];
    getAttribute(name: string): string | null;
    readonly textContent: string | null;
  }
  export interface TestBody {
    innerHTML: string;
    readonly textContent: string | null;
    querySelectorAll(selectors: string): Iterable<TestElement> & { readonly length: number };
  }
  export class JSDOM {
    constructor(html?: string);
    readonly window: { readonly document: { readonly body: TestBody }; close(): void };
  }
}
