import assert from 'node:assert/strict';
import { InProcessBackend } from '../../../src/core/context/extractionBackend';
import { ContextEngine } from '../../../src/core/context/contextEngine';
import { RankingIndex } from '../../../src/core/context/rankingIndex';
import { WorkspaceIndex } from '../../../src/core/context/workspaceIndex';
import { systemClock } from '../../../src/core/ports';
import { location, recordingLogger, tempWorkspace, write } from './indexerHarness';

// An import of a name from a file that only re-exports it (a barrel: `export { x } from`, `export * from`, a Python
// package's __init__.py) reaches the definition in the file that defines it: the importer's import edge in the graph,
// and the active file's proximity with a reason naming the barrel.

const PARSE_TS = 'export interface Config {\n  port: number;\n}\n\nexport function parseConfig(text: string): Config {\n  return { port: Number(text) };\n}\n';
/** Another parseConfig, so a reference by the name alone does not tell which one the importer means. */
const LEGACY_TS = 'export function parseConfig(text: string): string {\n  return text;\n}\n';
const APP_TS = "import { parseConfig } from './index';\n\nexport function start(text: string): number {\n  return parseConfig(text).port;\n}\n";

const PARSE_PY = 'def parse_config(text):\n    return {"port": int(text)}\n';
const LEGACY_PY = 'def parse_config(text):\n    return text\n';
const MAIN_PY = 'from pkg import parse_config\n\n\ndef run(text):\n    return parse_config(text)["port"]\n';

describe('re-exports (barrels)', () => {
  let ws: { root: string; cleanup: () => void };
  const opened: WorkspaceIndex[] = [];

  function open(): WorkspaceIndex {
    const logger = recordingLogger();
    const index = new WorkspaceIndex({ root: ws.root, backend: new InProcessBackend(location, 256 * 1024, logger), logger, clock: systemClock, maxFileKB: 256 });
    opened.push(index);
    return index;
  }

  /** The items of a query about `query` from `activeFile` whose reasons say they came through a barrel, with those reasons. */
  async function throughBarrel(index: WorkspaceIndex, query: string, activeFile: string): Promise<string[]> {
    const engine = new ContextEngine({ index, clock: systemClock, logger: recordingLogger(), defaults: { budget: 50_000, relevanceThreshold: 0 } });
    const result = await engine.getRelevantContext({ query, activeFile });
    return result.items.flatMap((i) => i.reasons.filter((r) => r.startsWith('imported by name into the active file')).map((r) => `${i.file}#${i.symbol}: ${r}`)).sort();
  }

  /** The definitions of other files the graph links `file`'s file node (its imports and top-level references) to, with the edges' weights. */
  function linkedFromFile(index: WorkspaceIndex, file: string, ranking = new RankingIndex()): Map<string, number> {
    ranking.sync(index);
    const entry = ranking.entry(file);
    const out = new Map<string, number>();
    if (!entry) return out;
    const { targets, weights } = ranking.edges(entry.fileSlot);
    targets.forEach((t, i) => {
      const n = ranking.node(t);
      if (n?.kind === 'definition' && n.def.file !== file) out.set(`${n.def.file}#${n.def.name}`, weights[i] ?? 0);
    });
    return out;
  }

  /** The definitions `file`'s file node links to with the most weight (two alike when the import reaches neither). */
  function favoured(index: WorkspaceIndex, file: string, ranking?: RankingIndex): string[] {
    const linked = linkedFromFile(index, file, ranking);
    const most = Math.max(...linked.values());
    return [...linked].filter(([, w]) => w === most).map(([d]) => d).sort();
  }

  /** linkedFromFile's, as sorted entries with weights rounded (for comparing an edited ranking index with a fresh one). */
  function weighted(index: WorkspaceIndex, file: string, ranking?: RankingIndex): string[] {
    return [...linkedFromFile(index, file, ranking)].map(([d, w]) => `${d} ${w.toFixed(6)}`).sort();
  }

  beforeEach(() => {
    ws = tempWorkspace();
    write(ws.root, 'src/config/parse.ts', PARSE_TS);
    write(ws.root, 'src/legacy/parse.ts', LEGACY_TS);
    write(ws.root, 'src/app.ts', APP_TS);
    write(ws.root, 'pkg/parse.py', PARSE_PY);
    write(ws.root, 'legacy/parse.py', LEGACY_PY);
    write(ws.root, 'pkg/__init__.py', 'from .parse import parse_config\n');
    write(ws.root, 'main.py', MAIN_PY);
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((i) => i.dispose()));
    ws.cleanup();
  });

  for (const [label, barrel] of [
    ['export { x } from', "export { parseConfig } from './config/parse';\n"],
    ['export * from', "export * from './config/parse';\n"],
    ['import { x } from, then export { x }', "import { parseConfig } from './config/parse';\n\nexport { parseConfig };\n"],
  ] as const) {
    it(`reaches a definition a TypeScript barrel re-exports (${label}): the importer's import edge, the active file's reason`, async () => {
      write(ws.root, 'src/index.ts', barrel);
      const index = open();
      await index.build();
      assert.deepEqual(favoured(index, 'src/app.ts'), ['src/config/parse.ts#parseConfig']);
      assert.deepEqual(await throughBarrel(index, 'start parsing the config', 'src/app.ts'), ['src/config/parse.ts#parseConfig: imported by name into the active file through src/index.ts']);
    });
  }

  it("reaches the default export a barrel passes on under a name (`export { default as Button } from`), through a member of a namespace import too", async () => {
    // (The barrel's names were `default` alone: `import { Button } from './components'` reached nothing.)
    write(ws.root, 'src/components/Button.tsx', 'export default function Button(props: { label: string }) {\n  return props.label;\n}\n');
    // (A default export named otherwise than the barrel's name for it: no reference by name reaches it.)
    write(ws.root, 'src/components/Card.tsx', 'function CardView(props: { title: string }) {\n  return props.title;\n}\n\nexport default CardView;\n');
    write(ws.root, 'src/components/index.ts', "export { default as Button } from './Button';\nexport { default as Card } from './Card';\n");
    write(ws.root, 'src/page.tsx', "import { Button, Card } from './components';\n\nexport function page() {\n  return Button({ label: 'a' }) + Card({ title: 'b' });\n}\n");
    write(ws.root, 'src/panel.tsx', "import * as ui from './components';\n\nexport function panel() {\n  return ui.Card({ title: 'c' });\n}\n");
    const index = open();
    await index.build();
    assert.deepEqual([...linkedFromFile(index, 'src/page.tsx').keys()].sort(), ['src/components/Button.tsx#Button', 'src/components/Card.tsx#CardView']);
    assert.deepEqual(await throughBarrel(index, 'render the page button card', 'src/page.tsx'), [
      'src/components/Button.tsx#Button: imported by name into the active file through src/components/index.ts',
      'src/components/Card.tsx#CardView: imported by name into the active file through src/components/index.ts',
    ]);
    assert.deepEqual(favoured(index, 'src/panel.tsx'), ['src/components/Card.tsx#CardView']);
  });

  it('reaches a definition a barrel re-exports under another name (`export { parseConfig as parse } from`), by name and as a member', async () => {
    write(ws.root, 'src/index.ts', "export { parseConfig as parse } from './config/parse';\n");
    write(ws.root, 'src/app.ts', "import { parse } from './index';\n\nexport function start(text: string): number {\n  return parse(text).port;\n}\n");
    write(ws.root, 'src/tool.ts', "import * as config from './index';\n\nexport function port(text: string): number {\n  return config.parse(text).port;\n}\n");
    const index = open();
    await index.build();
    assert.deepEqual(favoured(index, 'src/app.ts'), ['src/config/parse.ts#parseConfig']);
    assert.deepEqual(await throughBarrel(index, 'start parsing the config', 'src/app.ts'), ['src/config/parse.ts#parseConfig: imported by name into the active file through src/index.ts']);
    assert.deepEqual(favoured(index, 'src/tool.ts'), ['src/config/parse.ts#parseConfig']);
  });

  it("follows an edit of a component a barrel passes on under another name, as a fresh ranking index does", async () => {
    // (The component's own name is none the barrel's: the barrel's table was kept as it was.)
    write(ws.root, 'src/components/Button.tsx', 'export default function PrimaryButton() {\n  return 1;\n}\n');
    write(ws.root, 'src/components/index.ts', "export { default as Button } from './Button';\n");
    write(ws.root, 'src/page.tsx', "import { Button } from './components';\n\nexport function page() {\n  return Button();\n}\n");
    const index = open();
    await index.build();
    const ranking = new RankingIndex();
    assert.deepEqual(favoured(index, 'src/page.tsx', ranking), ['src/components/Button.tsx#PrimaryButton']);
    await index.updateDocument('src/components/Button.tsx', 'export function PrimaryButton() {\n  return 1;\n}\n\nexport default function SecondaryButton() {\n  return 2;\n}\n');
    assert.deepEqual(favoured(index, 'src/page.tsx', ranking), ['src/components/Button.tsx#SecondaryButton']);
    assert.deepEqual(weighted(index, 'src/page.tsx', ranking), weighted(index, 'src/page.tsx'));
  });

  it('passes no name on through `export * as ns from`, as `export *` does, beside an `export *` too', async () => {
    write(ws.root, 'src/index.ts', "export * as config from './config/parse';\n");
    write(ws.root, 'src/other.ts', 'export function helper() {\n  return 1;\n}\n');
    const index = open();
    await index.build();
    const ranking = new RankingIndex();
    ranking.sync(index);
    assert.deepEqual(ranking.reexportedSlots('src/index.ts', 'parseConfig'), []);
    // (The walk of the barrel's imports followed the namespace's whole-module edge as an `export *`: only a barrel with
    // no other whole-module import was told apart, by mayReexport.)
    await index.updateDocument('src/index.ts', "export * as config from './config/parse';\nexport * from './other';\n");
    ranking.sync(index);
    const reached = (name: string): string[] => ranking.reexportedSlots('src/index.ts', name).map((s) => {
      const node = ranking.node(s);
      return node?.kind === 'definition' ? node.def.id : String(s);
    });
    assert.deepEqual(reached('parseConfig'), [], 'beside an export *');
    assert.deepEqual(reached('helper'), ['src/other.ts#helper#1'], "the export *'s");
  });

  it('follows a chain of barrels (a barrel re-exporting a barrel), not a cycle of them', async () => {
    write(ws.root, 'src/index.ts', "export * from './config';\nexport * from './cycle';\n");
    write(ws.root, 'src/config/index.ts', "export { parseConfig, type Config } from './parse';\n");
    write(ws.root, 'src/cycle.ts', "export * from './index';\n");
    const index = open();
    await index.build();
    assert.deepEqual(favoured(index, 'src/app.ts'), ['src/config/parse.ts#parseConfig']);
    assert.deepEqual(await throughBarrel(index, 'start parsing the config', 'src/app.ts'), ['src/config/parse.ts#parseConfig: imported by name into the active file through src/index.ts']);
  });

  it("reaches a definition a Python package's __init__.py imports (from .parse import x) for `from pkg import x`", async () => {
    const index = open();
    await index.build();
    assert.deepEqual(favoured(index, 'main.py'), ['pkg/parse.py#parse_config']);
    assert.deepEqual(await throughBarrel(index, 'run the config parsing', 'main.py'), ['pkg/parse.py#parse_config: imported by name into the active file through pkg/__init__.py']);
  });

  it('follows edits of the barrel and of the file it re-exports from, as a fresh ranking index does', async () => {
    write(ws.root, 'src/index.ts', "export * from './config/parse';\n");
    const index = open();
    await index.build();
    const ranking = new RankingIndex();
    assert.deepEqual(favoured(index, 'src/app.ts', ranking), ['src/config/parse.ts#parseConfig']);
    // The barrel now re-exports the legacy one.
    await index.updateDocument('src/index.ts', "export * from './legacy/parse';\n");
    assert.deepEqual(favoured(index, 'src/app.ts', ranking), ['src/legacy/parse.ts#parseConfig']);
    assert.deepEqual(weighted(index, 'src/app.ts', ranking), weighted(index, 'src/app.ts'));
    // The file it re-exports from no longer defines the name: neither is favoured (and the ranking is a fresh one's).
    await index.updateDocument('src/legacy/parse.ts', 'export function parseLegacy(text: string): string {\n  return text;\n}\n');
    assert.deepEqual(favoured(index, 'src/app.ts', ranking), ['src/config/parse.ts#parseConfig']);
    assert.deepEqual(weighted(index, 'src/app.ts', ranking), weighted(index, 'src/app.ts'));
    // And defines it again.
    await index.closeDocument('src/legacy/parse.ts');
    assert.deepEqual(favoured(index, 'src/app.ts', ranking), ['src/legacy/parse.ts#parseConfig']);
    assert.deepEqual(weighted(index, 'src/app.ts', ranking), weighted(index, 'src/app.ts'));
  });
});
