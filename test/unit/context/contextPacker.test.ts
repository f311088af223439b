import assert from 'node:assert/strict';
import { packContext, type PackResult } from '../../../src/core/context/contextPacker';
import { ContextRanker, type RankedCandidate } from '../../../src/core/context/contextRanker';
import type { ContextItem } from '../../../src/core/context/model';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { CancellationError } from '../../../src/core/errors';
import { nullLogger } from '../../../src/core/ports';
import { FixtureIndex, generatedWorkspace, linesOf, sampleWorkspace } from './builders';
import { extract } from './indexerHarness';

function setup(files = sampleWorkspace()): { fixture: FixtureIndex; index: RankingIndex } {
  const fixture = new FixtureIndex(files);
  const index = new RankingIndex();
  index.sync(fixture);
  return { fixture, index };
}

/** Candidates for the named definitions, in the given order, with descending scores. */
function candidates(index: RankingIndex, ...names: string[]): RankedCandidate[] {
  return names.map((name, i) => {
    for (let slot = 0; slot < index.capacity; slot++) {
      const node = index.node(slot);
      if (node?.kind === 'definition' && `${node.def.container ?? ''}.${node.def.name}`.endsWith(`.${name}`)) {
        return { slot, node, score: 1 - i / 100, lexical: 1, graph: 0, proximity: 0, use: 0, reasons: () => [`picked ${name}`] };
      }
    }
    throw new Error(`no definition ${name}`);
  });
}

function pack(fixture: FixtureIndex, ranked: readonly RankedCandidate[], budget: number, signal?: AbortSignal): Promise<PackResult> {
  return packContext(ranked, { budget, readText: (p) => fixture.readText(p), logger: nullLogger, ...(signal ? { signal } : {}) });
}

async function assertContract(fixture: FixtureIndex, result: PackResult, budget: number, ranked: readonly RankedCandidate[]): Promise<void> {
  assert.ok(result.chars <= budget, `chars ${result.chars} > budget ${budget}`);
  assert.equal(result.chars, result.items.reduce((n, i) => n + i.text.length, 0));
  const seen = new Map<string, ContextItem[]>();
  let lastRank = -1;
  for (const item of result.items) {
    const text = (await fixture.readText(item.file)) ?? '';
    assert.equal(item.text.split('\n').length, item.endLine - item.startLine + 1, `${item.symbol} line count`);
    assert.equal(item.text, linesOf(text, item.startLine, item.endLine), `${item.symbol} text`);
    for (const other of seen.get(item.file) ?? []) {
      assert.ok(item.endLine < other.startLine || item.startLine > other.endLine, `${item.symbol} overlaps ${other.symbol}`);
    }
    seen.set(item.file, [...(seen.get(item.file) ?? []), item]);
    const rankIndex = ranked.findIndex((c) => {
      if (c.node.kind !== 'definition') return c.node.path === item.file;
      const def = c.node.def;
      const symbol = def.container !== undefined ? `${def.container}.${def.name}` : def.name;
      return def.file === item.file && symbol === item.symbol && (def.docStartLine ?? def.startLine) <= item.startLine && item.endLine <= def.endLine;
    });
    assert.ok(rankIndex > lastRank, `${item.symbol} out of rank order`);
    lastRank = rankIndex;
  }
}

describe('context packer', () => {
  it('keeps the contract over many budgets: exact lines, within budget, no overlaps, rank order, deterministic', async () => {
    for (const seed of [1, 2, 3]) {
      const { fixture, index } = setup(generatedWorkspace(seed));
      const ranked = new ContextRanker(index).rank('parse user config cache', { activeFile: [...fixture.files.keys()][0] as string });
      assert.ok(ranked.length > 20);
      let sawSignature = false;
      let sawFull = false;
      for (let budget = 0; budget <= 6_000; budget += budget < 400 ? 7 : 97) {
        const result = await pack(fixture, ranked, budget);
        await assertContract(fixture, result, budget, ranked);
        sawSignature ||= result.items.some((i) => i.detail === 'signature');
        sawFull ||= result.items.some((i) => i.detail === 'full');
        if (budget % 679 === 0) assert.deepEqual(await pack(fixture, ranked, budget), result, 'deterministic');
      }
      assert.ok(sawSignature && sawFull);
    }
  });

  it('sends whole definitions with their doc comment when they fit', async () => {
    const { fixture, index } = setup();
    const result = await pack(fixture, candidates(index, 'parseConfig', 'readTextFile'), 50_000);
    const [parseConfig, readTextFile] = result.items;
    assert.equal(parseConfig?.detail, 'full');
    assert.equal(parseConfig?.startLine, 4, 'starts at the doc comment');
    assert.equal(parseConfig?.endLine, 10);
    assert.equal(readTextFile?.text, ['export function readTextFile(path: string): string {', "  return readFileSync(path, 'utf8');", '}'].join('\n'));
    assert.deepEqual(parseConfig?.reasons, ['picked parseConfig']);
    assert.equal(parseConfig?.score, 1);
  });

  it('falls back to the signature when the whole definition does not fit', async () => {
    const { fixture, index } = setup();
    const ranked = candidates(index, 'HttpServer');
    const signature = 'export class HttpServer {';
    const result = await pack(fixture, ranked, signature.length + 5);
    assert.deepEqual(
      result.items.map((i) => [i.detail, i.startLine, i.endLine, i.text]),
      [['signature', 2, 2, signature]],
    );
    assert.equal((await pack(fixture, ranked, signature.length - 1)).items.length, 0);
  });

  it('summarises a definition bigger than a third of the budget even if it would fit', async () => {
    const { fixture, index } = setup();
    const full = linesOf((await fixture.readText('src/server/httpServer.ts')) ?? '', 1, 13);
    const result = await pack(fixture, candidates(index, 'HttpServer'), Math.floor(full.length * 2));
    assert.equal(result.items[0]?.detail, 'signature');
    assert.equal((await pack(fixture, candidates(index, 'HttpServer'), full.length * 3)).items[0]?.detail, 'full');
  });

  it('summarises a definition longer than 4,000 characters whatever the budget', async () => {
    // Two functions of ~3,900 and ~4,200 characters: at a budget of 50,000 a third would allow both.
    const body = (lines: number): string[] => Array.from({ length: lines }, (_, i) => `  const value${String(i).padStart(3, '0')} = compute(${i}, 'abcdefgh');`);
    const small = ['export function small(): void {', ...body(90), '}'];
    const large = ['export function large(): void {', ...body(96), '}'];
    const text = [...small, ...large, ''].join('\n');
    assert.ok(small.join('\n').length < 4_000 && large.join('\n').length > 4_000, `${small.join('\n').length} / ${large.join('\n').length}`);
    const fixture = new FixtureIndex({
      'src/long.ts': {
        text,
        defs: [
          { name: 'small', lines: [1, small.length] },
          { name: 'large', lines: [small.length + 1, small.length + large.length] },
        ],
      },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    const result = await pack(fixture, candidates(index, 'large', 'small'), 50_000);
    assert.deepEqual(
      result.items.map((i) => [i.symbol, i.detail]),
      [
        ['large', 'signature'],
        ['small', 'full'],
      ],
    );
  });

  it('does not summarise a definition whose signature lines are longer than 1,500 characters (minified code on one line)', async () => {
    const minified = `export function minifiedBundle(){${'var a=1;'.repeat(3_000)}return a}`;
    const text = [minified, 'export function small(): number {', '  return 1;', '}', ''].join('\n');
    const fixture = new FixtureIndex({
      'src/min.js': {
        text,
        defs: [
          { name: 'minifiedBundle', lines: [1, 1] },
          { name: 'small', lines: [2, 4] },
        ],
      },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    const ranked = candidates(index, 'minifiedBundle', 'small');
    const result = await pack(fixture, ranked, 30_000);
    assert.deepEqual(result.items.map((i) => [i.symbol, i.detail]), [['small', 'full']]);
    await assertContract(fixture, result, 30_000, ranked);
  });

  it('goes on past many minified one-line definitions ranked first (no budget could take them: they are no misses)', async () => {
    const line = Array.from({ length: 60 }, (_, i) => `export function min${i}(a){${'var a=1;'.repeat(30)}return a}`).join('');
    const text = [line, 'export function small(): number {', '  return 1;', '}', ''].join('\n');
    const fixture = new FixtureIndex({
      'src/bundle.js': { text, defs: [...Array.from({ length: 60 }, (_, i) => ({ name: `min${i}`, lines: [1, 1] as [number, number] })), { name: 'small', lines: [2, 4] }] },
    });
    const index = new RankingIndex();
    index.sync(fixture);
    const ranked = candidates(index, ...Array.from({ length: 60 }, (_, i) => `min${i}`), 'small');
    const result = await pack(fixture, ranked, 30_000);
    assert.deepEqual(result.items.map((i) => [i.symbol, i.detail]), [['small', 'full']]);
    await assertContract(fixture, result, 30_000, ranked);
  });

  it('goes on past many files whose first line alone is over the summary cap (minified text files ranked first)', async () => {
    const files: Record<string, { text: string; language: 'text' }> = {};
    for (let i = 0; i < 60; i++) files[`dist/chunk${i}.txt`] = { text: `${'x'.repeat(5_000)}\nrest`, language: 'text' };
    files['docs/note.md'] = { text: 'a note on chunks\n', language: 'text' };
    const { fixture, index } = setup(files);
    const ranked: RankedCandidate[] = [];
    const notes: RankedCandidate[] = [];
    for (let slot = 0; slot < index.capacity; slot++) {
      const node = index.node(slot);
      if (node?.kind === 'file') (node.path === 'docs/note.md' ? notes : ranked).push({ slot, node, score: 1, lexical: 1, graph: 0, proximity: 0, use: 0, reasons: () => ['picked'] });
    }
    ranked.push(...notes);
    assert.equal(ranked.length, 61);
    const result = await pack(fixture, ranked, 30_000);
    assert.deepEqual(result.items.map((i) => i.file), ['docs/note.md']);
  });

  it('stops reading after a few hundred such candidates in a row (each is a file read): not every one of thousands', async () => {
    const files: Record<string, { text: string; language: 'text' }> = {};
    for (let i = 0; i < 1_000; i++) files[`dist/chunk${i}.txt`] = { text: `${'x'.repeat(5_000)}\nrest`, language: 'text' };
    const { fixture, index } = setup(files);
    const ranked: RankedCandidate[] = [];
    for (let slot = 0; slot < index.capacity; slot++) {
      const node = index.node(slot);
      if (node?.kind === 'file') ranked.push({ slot, node, score: 1, lexical: 1, graph: 0, proximity: 0, use: 0, reasons: () => ['picked'] });
    }
    assert.equal(ranked.length, 1_000);
    const read = new Set<string>();
    const result = await packContext(ranked, { budget: 30_000, logger: nullLogger, readText: (p) => (read.add(p), fixture.readText(p)) });
    assert.deepEqual(result.items, []);
    assert.ok(read.size < 500, `read ${read.size} files`);
  });

  it('summarises a definition under long decorators by exactly its signature lines: the decorators through the line of its name', async () => {
    const template = Array.from({ length: 20 }, (_, i) => `    <div class="row-${i}">{{ item${i} }}</div>`);
    const methods = Array.from({ length: 80 }, (_, i) => `  method${i}(): number { return ${i} * this.value + ${i}; }`);
    const text = ["import { Component } from '@angular/core';", '', '@Component({', "  selector: 'app-user-card',", '  template: `', ...template, '  `,', '})', 'export class UserCardComponent {', '  value = 1;', ...methods, '}', ''].join('\n');
    const file = await extract('src/user-card.component.ts', text);
    const card = file.definitions.find((d) => d.name === 'UserCardComponent');
    assert.ok(card);
    const fixture = new FixtureIndex({ 'src/user-card.component.ts': { text } });
    const ranked: RankedCandidate[] = [{ slot: 0, node: { kind: 'definition', slot: 0, def: card }, score: 1, lexical: 1, graph: 0, proximity: 0, use: 0, reasons: () => ['picked'] }];
    const result = await pack(fixture, ranked, 50_000);
    assert.deepEqual(result.items.map((i) => [i.detail, i.startLine, i.endLine]), [['signature', 3, 28]]);
    assert.ok(result.items[0]?.text.endsWith('})\nexport class UserCardComponent {'), 'the summary reaches the line of the name');
    await assertContract(fixture, result, 50_000, ranked);
  });

  it('summarises a large definition under decorators over 1,500 characters by its own lines: from past the decorators through the line of its name', async () => {
    const template = Array.from({ length: 80 }, (_, i) => `    <div class="row-${i}"><span class="label">{{ item${i}.label }}</span></div>`);
    const methods = Array.from({ length: 80 }, (_, i) => `  method${i}(): number { return ${i} * this.value + ${i}; }`);
    const text = ["import { Component } from '@angular/core';", '', '@Component({', "  selector: 'app-user-card',", '  template: `', ...template, '  `,', '})', 'export class UserCardComponent {', '  value = 1;', ...methods, '}', ''].join('\n');
    const file = await extract('src/user-card.component.ts', text);
    const card = file.definitions.find((d) => d.name === 'UserCardComponent');
    assert.ok(card);
    assert.ok(linesOf(text, card.startLine, card.signatureEndLine).length > 4_000, 'the decorator lines are far over a summary');
    const fixture = new FixtureIndex({ 'src/user-card.component.ts': { text } });
    const ranked: RankedCandidate[] = [{ slot: 0, node: { kind: 'definition', slot: 0, def: card }, score: 1, lexical: 1, graph: 0, proximity: 0, use: 0, reasons: () => ['picked'] }];
    for (const budget of [50_000, 40]) {
      const result = await pack(fixture, ranked, budget);
      assert.deepEqual(result.items.map((i) => [i.detail, i.startLine, i.endLine, i.text]), [['signature', 88, 88, 'export class UserCardComponent {']]);
      await assertContract(fixture, result, budget, ranked);
    }
    // `export` before the decorators (TypeScript 5's decorators): the summary is the line of `class` and the name.
    const exported = text.replace('@Component({', 'export @Component({').replace('export class', 'class');
    const second = (await extract('src/user-card.component.ts', exported)).definitions.find((d) => d.name === 'UserCardComponent');
    assert.ok(second);
    const again = new FixtureIndex({ 'src/user-card.component.ts': { text: exported } });
    const result = await pack(again, [{ ...ranked[0]!, node: { kind: 'definition', slot: 0, def: second } }], 50_000);
    assert.deepEqual(result.items.map((i) => [i.detail, i.startLine, i.endLine, i.text]), [['signature', 88, 88, 'class UserCardComponent {']]);
  });

  it('summarises a definition by its own lines when its decorated signature is under 1,500 characters but over the space left', async () => {
    const routes = Array.from({ length: 10 }, (_, i) => `@app.route('/a/very/long/route/path/number/${i}', methods=['GET', 'POST'])`);
    const python = [...routes, 'def handle_request(alpha: str, beta: str, gamma: str,', '                   delta: str, epsilon: str) -> dict:', '    """Handles a request."""', '    return {"a": alpha, "b": beta}', ''].join('\n');
    const annotations = Array.from({ length: 12 }, (_, i) => `    @Annotation${i}(value = "something long enough to take space ${i}")`);
    const java = ['package p;', '', 'public class Svc {', ...annotations, '    public Map<String, Integer> handleRequest(', '        @RequestParam("alpha") String alpha', '    ) throws Exception {', '        return null;', '    }', '}', ''].join('\n');
    const handle = (await extract('views.py', python)).definitions.find((d) => d.name === 'handle_request');
    const method = (await extract('Svc.java', java)).definitions.find((d) => d.name === 'handleRequest');
    assert.ok(handle && method);
    const decorated = linesOf(python, handle.startLine, handle.signatureEndLine).length;
    const annotated = linesOf(java, method.startLine, method.signatureEndLine).length;
    assert.ok(decorated < 1_500 && annotated < 1_500 && decorated > 600 && annotated > 600, 'the decorated signatures are under a summary but over the budget');
    const fixture = new FixtureIndex({ 'views.py': { text: python, language: 'python' }, 'Svc.java': { text: java, language: 'java' } });
    const ranked: RankedCandidate[] = [handle, method].map((def, slot) => ({ slot, node: { kind: 'definition', slot, def }, score: 1 - slot / 100, lexical: 1, graph: 0, proximity: 0, use: 0, reasons: () => ['picked'] }));
    const result = await pack(fixture, ranked, 600);
    assert.deepEqual(result.items.map((i) => [i.symbol, i.detail, i.startLine, i.endLine]), [
      ['handle_request', 'signature', 11, 12],
      ['Svc.handleRequest', 'signature', 16, 18],
    ]);
    await assertContract(fixture, result, 600, ranked);
  });

  it('summarises a definition under a few decorator lines by its own first line through its name when the decorated lines do not fit', async () => {
    const python = ['import functools', '', '', '@some.decorator(', '    option_one=True,', '    option_two="a long string value that pads the decorator lines",', ')', 'def compute_payment_total(order, discount):', '    ...', ''].join('\n');
    const java = ['package p;', '', 'public class Svc {', '    @SuppressWarnings({', '        "unchecked", "rawtypes", "deprecation", "a long string to pad the annotation"', '    })', '    public int computePaymentTotal(int order) {', '        return order;', '    }', '}', ''].join('\n');
    const wraps = ['@functools.wraps(', '    # wraps the original', '    original_function_with_a_long_name,', ')', 'def wraps(x):', '    return x', ''].join('\n');
    const ts = ['@Component({', "  selector: 'app-payment-card',", "  templateUrl: './payment-card.component.html',", '})', 'export class PaymentCardComponent {', '  value = 1;', '}', ''].join('\n');
    // Strings running on over lines (a triple-quoted one, a template literal) closing with the decorator's bracket, and a
    // Python comment without a space after its `#` naming the definition.
    const docstring = ['@app.get("/items", description="""', '    Lists the items.', '    """)', 'def list_inventory_items(limit):', '    return []', ''].join('\n');
    const template = ['@Component({ template: `<div>', '  hi</div>`})', 'export class InventoryListComponent {', '  value = 1;', '}', ''].join('\n');
    const hashComment = ['class C:', '    @property  #list_holder_things', '    def list_holder_things(self):', '        return 1', ''].join('\n');
    // Rust: doc comments between the attributes, which the signature leaves out (they are the doc), are still the file's
    // lines above the item's own; a lifetime in an attribute (`'static`) opens no char literal that would hide the
    // attribute's closing brackets, and the item's name with them, while char literals (`')'`, `'\''`) are still read.
    const interleaved = ['/// A holder of values.', '#[derive(Debug, Clone, PartialEq, Eq, Hash)]', '/// Kept sorted.', '#[serde(rename_all = "camelCase")]', '/// Never empty.', 'pub struct ValueHolder {', '    values: Vec<u32>,', '}', ''].join('\n');
    const lifetime = ['#[derive(Debug)]', "#[educe(Clone(bound(T: 'static)))]", "pub struct BorrowedHolder<'a, T> {", "    value: &'a T,", '}', ''].join('\n');
    const charLiterals = ['#[derive(Parser)]', "#[arg(short = 'n', value_delimiter = ')', quote = '\\'')]", 'pub struct ParsedOptions {', '    names: Vec<String>,', '}', ''].join('\n');
    const shapes = [
      { file: 'items.py', text: docstring, language: 'python' as const, name: 'list_inventory_items', own: 4, decorated: 1 },
      { file: 'list.ts', text: template, language: 'typescript' as const, name: 'InventoryListComponent', own: 3, decorated: 1 },
      { file: 'holder.py', text: hashComment, language: 'python' as const, name: 'list_holder_things', own: 3, decorated: 2 },
      { file: 'svc.py', text: python, language: 'python' as const, name: 'compute_payment_total', own: 8, decorated: 4 },
      { file: 'Svc.java', text: java, language: 'java' as const, name: 'computePaymentTotal', own: 7, decorated: 4 },
      { file: 'card.ts', text: ts, language: 'typescript' as const, name: 'PaymentCardComponent', own: 5, decorated: 1 },
      // The name in the decorator (`@functools.wraps`) and in a comment is not the definition's own line.
      { file: 'wraps.py', text: wraps, language: 'python' as const, name: 'wraps', own: 5, decorated: 1 },
      { file: 'holder.rs', text: interleaved, language: 'rust' as const, name: 'ValueHolder', own: 6, decorated: 2 },
      { file: 'borrowed.rs', text: lifetime, language: 'rust' as const, name: 'BorrowedHolder', own: 3, decorated: 1 },
      { file: 'options.rs', text: charLiterals, language: 'rust' as const, name: 'ParsedOptions', own: 3, decorated: 1 },
    ];
    for (const shape of shapes) {
      const def = (await extract(shape.file, shape.text)).definitions.find((d) => d.name === shape.name);
      assert.ok(def);
      const ownLine = linesOf(shape.text, shape.own, shape.own);
      const decorated = linesOf(shape.text, def.startLine, def.signatureEndLine);
      assert.deepEqual([def.startLine, def.signatureEndLine], [shape.decorated, shape.own]);
      const fixture = new FixtureIndex({ [shape.file]: { text: shape.text, language: shape.language } });
      const ranked: RankedCandidate[] = [{ slot: 0, node: { kind: 'definition', slot: 0, def }, score: 1, lexical: 1, graph: 0, proximity: 0, use: 0, reasons: () => ['picked'] }];
      // Too small for the whole, too small for the decorated lines: the definition's own line, never a piece of its
      // decorator; nothing when not even that fits.
      for (const budget of [ownLine.length - 1, ownLine.length, ownLine.length + 20, decorated.length - 1]) {
        const result = await pack(fixture, ranked, budget);
        const expected = budget < ownLine.length ? [] : [['signature', shape.own, shape.own, ownLine]];
        assert.deepEqual(result.items.map((i) => [i.detail, i.startLine, i.endLine, i.text]), expected, `${shape.file} at ${budget}`);
        await assertContract(fixture, result, budget, ranked);
      }
      const roomy = await pack(fixture, ranked, decorated.length);
      assert.deepEqual(roomy.items.map((i) => [i.detail, i.startLine, i.endLine, i.text]), [['signature', shape.decorated, shape.own, decorated]], shape.file);
    }
  });

  it('summarises a higher-ranked definition and still sends lower-ranked ones whole, in rank order', async () => {
    const { fixture, index } = setup();
    // HttpServer whole is too big for the budget: its signature goes first, then readTextFile whole.
    const readText = linesOf((await fixture.readText('src/fs/readTextFile.ts')) ?? '', 3, 5);
    const signature = 'export class HttpServer {';
    const result = await pack(fixture, candidates(index, 'HttpServer', 'readTextFile'), signature.length + 3 * readText.length);
    assert.deepEqual(result.items.map((i) => [i.symbol, i.detail]), [['HttpServer', 'signature'], ['readTextFile', 'full']]);
  });

  it('does not send a method again inside its class, nor a class whole around a method already sent', async () => {
    const { fixture, index } = setup();
    const classFirst = await pack(fixture, candidates(index, 'HttpServer', 'handleRequest', 'close'), 50_000);
    assert.deepEqual(classFirst.items.map((i) => i.symbol), ['HttpServer']);
    const methodFirst = await pack(fixture, candidates(index, 'handleRequest', 'HttpServer', 'close'), 50_000);
    assert.deepEqual(methodFirst.items.map((i) => [i.symbol, i.detail, i.startLine, i.endLine]), [
      ['HttpServer.handleRequest', 'full', 5, 8],
      ['HttpServer', 'signature', 2, 2],
      ['HttpServer.close', 'full', 10, 12],
    ]);
  });

  it('goes on past a long run of members already sent inside their class (they do not count as not fitting)', async () => {
    const methods = Array.from({ length: 60 }, (_, i) => `  widgetOp${i}(): number { return ${i}; }`);
    const files = {
      'src/widget.ts': {
        text: ['export class Widget {', ...methods, '}', ''].join('\n'),
        defs: [{ name: 'Widget', kind: 'class' as const, lines: [1, 62] as [number, number] }, ...methods.map((_, i) => ({ name: `widgetOp${i}`, kind: 'method' as const, container: 'Widget', lines: [i + 2, i + 2] as [number, number] }))],
      },
      'lib/other.py': { text: 'def widget_helper():\n    return 1\n', language: 'python' as const, defs: [{ name: 'widget_helper', lines: [1, 2] as [number, number] }] },
    };
    const { fixture, index } = setup(files);
    const ranked = candidates(index, 'Widget', ...methods.map((_, i) => `widgetOp${i}`), 'widget_helper');
    const result = await pack(fixture, ranked, 20_000);
    assert.deepEqual(result.items.map((i) => i.symbol), ['Widget', 'widget_helper']);
    await assertContract(fixture, result, 20_000, ranked);
  });

  it('skips definitions whose file changed since indexing, and files it cannot read', async () => {
    const { fixture, index } = setup();
    fixture.setTextOnly('src/config/parseConfig.ts', '// rewritten\n\n\n\n\n\n\n\n\n\n\n\n\n\n\n');
    fixture.setTextOnly('src/fs/readTextFile.ts', undefined);
    const result = await pack(fixture, candidates(index, 'parseConfig', 'readTextFile', 'toKebabCase'), 50_000);
    assert.deepEqual(result.items.map((i) => i.symbol), ['toKebabCase']);
  });

  it('normalises CRLF line endings and still sends exact lines', async () => {
    const text = 'export function a() {\r\n  return 1;\r\n}\r\n\r\nexport function b() {\r\n  return 2;\r\n}\r\n';
    const { fixture, index } = setup({ 'src/crlf.ts': { text, defs: [{ name: 'a', lines: [1, 3] }, { name: 'b', lines: [5, 7] }] } });
    const result = await pack(fixture, candidates(index, 'b', 'a'), 1_000);
    assert.deepEqual(result.items.map((i) => i.text), ['export function b() {\n  return 2;\n}', 'export function a() {\n  return 1;\n}']);
  });

  it("gives an item's editor line, counted in the text it was cut from, where a lone CR breaks an editor line before it (found in review)", async () => {
    // On disk, lone CRs (which VS Code's editor breaks lines at and the engine does not) before `util`: its engine line 7
    // is the editor's line 9. Once the editor opens the file it turns them into line ends, and the open document's text
    // holds no lone CR: its `util` is at line 9 of both.
    const disk = `// one\r// two\r\r\n${'// line\n'.repeat(5)}export function util() {}\n`;
    const open = disk.replace(/\r(?!\n)/g, '\n');
    const fromDisk = setup({ 'src/mixed.ts': { text: disk, defs: [{ name: 'util', lines: [7, 7] }] } });
    const [item] = (await pack(fromDisk.fixture, candidates(fromDisk.index, 'util'), 1_000)).items;
    assert.deepEqual([item?.startLine, item?.editorLine, item?.text], [7, 9, 'export function util() {}']);
    // (From the open document's text the editor's line is the engine's: none is given.)
    const fromOpen = setup({ 'src/mixed.ts': { text: open, defs: [{ name: 'util', lines: [9, 9] }] } });
    const [openItem] = (await pack(fromOpen.fixture, candidates(fromOpen.index, 'util'), 1_000)).items;
    assert.equal(openItem?.startLine, 9);
    assert.ok(openItem && !('editorLine' in openItem), 'an editor line that is the start line is left out');
    // And CR LF line ends alone move no line.
    const crlf = setup({ 'src/crlf.ts': { text: open.replace(/\r?\n/g, '\r\n'), defs: [{ name: 'util', lines: [9, 9] }] } });
    const [crlfItem] = (await pack(crlf.fixture, candidates(crlf.index, 'util'), 1_000)).items;
    assert.ok(crlfItem && crlfItem.startLine === 9 && !('editorLine' in crlfItem));
  });

  it('sends the beginning of a large text file that does not fit whole', async () => {
    const text = Array.from({ length: 400 }, (_, i) => `line ${i} of the deployment guide`).join('\n');
    const { fixture, index } = setup({ 'docs/guide.md': { text, language: 'text' } });
    const ranked = new ContextRanker(index).rank('deployment guide', {});
    const result = await pack(fixture, ranked, 3_000);
    const [item] = result.items;
    assert.equal(item?.kind, 'file');
    assert.equal(item?.detail, 'signature');
    assert.equal(item?.startLine, 1);
    assert.equal(item?.text, linesOf(text, 1, item?.endLine ?? 0));
    assert.ok(result.chars <= 1_500);
  });

  it('sends no item for an empty or blank file (a header over no text)', async () => {
    const { fixture, index } = setup({ 'src/empty.ts': { text: '' }, 'src/blank.ts': { text: '\n  \n' }, 'docs/note.md': { text: 'a note\n', language: 'text' } });
    const files: RankedCandidate[] = [];
    for (let slot = 0; slot < index.capacity; slot++) {
      const node = index.node(slot);
      if (node?.kind === 'file') files.push({ slot, node, score: 1 - files.length / 100, lexical: 1, graph: 0, proximity: 0, use: 0, reasons: () => ['picked'] });
    }
    assert.deepEqual(files.map((c) => (c.node.kind === 'file' ? c.node.path : '')).sort(), ['docs/note.md', 'src/blank.ts', 'src/empty.ts']);
    const result = await pack(fixture, files, 1_000);
    assert.deepEqual(result.items.map((i) => i.file), ['docs/note.md']);
  });

  it('stops when cancelled', async () => {
    const { fixture, index } = setup();
    const controller = new AbortController();
    controller.abort();
    await assert.rejects(pack(fixture, candidates(index, 'parseConfig'), 1_000, controller.signal), CancellationError);
  });
});
