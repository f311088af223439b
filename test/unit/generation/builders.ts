// Payload builders and small fakes for the generation tests.
import type { ConfigSnapshot } from '../../../src/core/config/configSchema';
import type { ContextItem, ContextQuery, ContextResult } from '../../../src/core/context/model';
import { CancellationError } from '../../../src/core/errors';
import type { ContextSource, GenerationProvider, ProviderAnswer, ProviderCallOptions, ProviderRequest } from '../../../src/core/generation/model';

export function contextItem(over: Partial<ContextItem> = {}): ContextItem {
  return {
    file: 'src/util.ts',
    startLine: 3,
    endLine: 5,
    symbol: 'parseDate',
    kind: 'function',
    detail: 'full',
    score: 0.9,
    reasons: ["name matches query word 'date'"],
    text: 'export function parseDate(s: string): Date {\n  return new Date(s);\n}',
    ...over,
  };
}

export function contextResult(items: ContextItem[]): ContextResult {
  return { items, chars: items.reduce((n, i) => n + i.text.length, 0), budget: 50_000, ms: 1, cached: false, indexVersion: 1 };
}

export type GenerationSettings = Pick<
  ConfigSnapshot,
  | 'context.enabled'
  | 'generation.provider'
  | 'generation.description'
  | 'cache.enabled'
  | 'cache.ttlSeconds'
  | 'batch.size'
  | 'batch.timeoutMs'
  | 'http.maxConnections'
>;

export function generationSettings(over: Partial<GenerationSettings> = {}): GenerationSettings {
  return {
    'context.enabled': true,
    'generation.provider': 'openai',
    'generation.description': 'Advanced code generation with codebase context',
    'cache.enabled': true,
    'cache.ttlSeconds': 3600,
    'batch.size': 5,
    'batch.timeoutMs': 1000,
    'http.maxConnections': 10,
    ...over,
  };
}

/** A context engine stand-in: returns `items`, records queries. */
export class FakeContextSource implements ContextSource {
  readonly queries: ContextQuery[] = [];
  failWith: Error | undefined;
  /** Set: the answers say the workspace was still being indexed (ContextResult.partial). */
  partial: ContextResult['partial'];
  constructor(public items: ContextItem[] = [contextItem()]) {}

  getRelevantContext(q: ContextQuery): Promise<ContextResult> {
    this.queries.push(q);
    if (this.failWith) return Promise.reject(this.failWith);
    const result = contextResult(this.items);
    return Promise.resolve(this.partial ? { ...result, partial: this.partial } : result);
  }
}

/**
 * A provider whose answers the test controls: by default it answers at once with a code block naming
 * the prompt's first word; `hold()` makes calls wait until `releaseAll()`.
 */
export class ScriptedProvider implements GenerationProvider {
  readonly calls: ProviderRequest[] = [];
  running = 0;
  maxRunning = 0;
  private holding = false;
  private held: (() => void)[] = [];
  answer: (req: ProviderRequest) => ProviderAnswer | Error = (req) => ({
    text: `Answer:\n\n\`\`\`ts\n// ${req.user.split('\n').at(-1) ?? ''}\n\`\`\`\n`,
    model: 'test-model',
    truncated: false,
  });

  /**
   * Where it says its answers come from (GenerationProvider.endpoint, and each answer's endpoint unless `answer` names
   * one): a test moves it to another server.
   */
  endpointUrl: string;
  /** Set false: answers name no endpoint (as a Codegen answer whose settings changed during the run). */
  reportsEndpoint = true;
  /** Its configured model (defaultModel, and the model a request without one asks for, read as it goes out). */
  modelName = 'test-model';

  constructor(readonly id: 'openai' | 'codegen' = 'openai') {
    this.endpointUrl = `http://127.0.0.1/${id}`;
  }

  endpoint(): string {
    return this.endpointUrl;
  }

  defaultModel(): string {
    return this.modelName;
  }

  hold(): void {
    this.holding = true;
  }

  releaseAll(): void {
    this.holding = false;
    for (const h of this.held.splice(0)) h();
  }

  async generate(req: ProviderRequest, opts: ProviderCallOptions): Promise<ProviderAnswer> {
    this.calls.push(req);
    // (Where it sends is settled when the request goes out, as with the real providers.)
    const endpoint = this.endpointUrl;
    const requestedModel = req.model ?? this.modelName;
    this.running += 1;
    this.maxRunning = Math.max(this.maxRunning, this.running);
    try {
      if (this.holding) {
        await new Promise<void>((resolve, reject) => {
          this.held.push(resolve);
          opts.signal.addEventListener('abort', () => reject(new CancellationError()), { once: true });
        });
      }
      const a = this.answer(req);
      if (a instanceof Error) throw a;
      opts.onToken?.(a.text);
      return { requestedModel, ...(a.endpoint === undefined && this.reportsEndpoint ? { ...a, endpoint } : a) };
    } finally {
      this.running -= 1;
    }
  }
}

/**
 * A TypeScript file of three functions, total()'s line 12 (1-based) with a type error, for Fix with Context: the lines
 * asked for around it (±6) end count() and start withTax().
 */
export const CART_FUNCTIONS = [
  "import type { Item } from './item';",
  '',
  'export function count(items: Item[]): number {',
  '  let n = 0;',
  '  for (const i of items) {',
  '    n += i.quantity;',
  '  }',
  '  return n;',
  '}',
  '',
  'export function total(items: Item[]): number {',
  "  return items.reduce((s, i) => s + i.price, '');",
  '}',
  '',
  'export function withTax(items: Item[]): number {',
  '  const t = total(items);',
  '  const rate = 1.2;',
  '  return t * rate;',
  '}',
  '',
].join('\n');
