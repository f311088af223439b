import * as assert from 'node:assert/strict';
import { generateSyntheticWorkspace } from '../../../bench/syntheticWorkspace';
import { grammarForPath, loadGrammars, ParserPool } from '../../../bench/treeSitterGrammars';

describe('synthetic workspace generator', () => {
  const files = [...generateSyntheticWorkspace({ files: 120, seed: 7 })];

  it('gives byte-identical output for the same seed and different output for another seed', () => {
    const again = [...generateSyntheticWorkspace({ files: 120, seed: 7 })];
    assert.deepEqual(again, files);
    const other = [...generateSyntheticWorkspace({ files: 120, seed: 8 })];
    assert.notDeepEqual(
      other.map((f) => f.text),
      files.map((f) => f.text),
    );
  });

  it('writes exactly the requested number of distinct files in all six languages', () => {
    assert.equal(files.length, 120);
    assert.equal(new Set(files.map((f) => f.path)).size, 120);
    const extensions = new Set(files.map((f) => f.path.slice(f.path.lastIndexOf('.'))));
    assert.deepEqual([...extensions].sort(), ['.go', '.java', '.js', '.py', '.rs', '.ts']);
  });

  it('imports only names that the imported TypeScript module exports', () => {
    const byPath = new Map(files.map((f) => [f.path, f.text]));
    let imports = 0;
    for (const f of files.filter((x) => x.path.endsWith('.ts'))) {
      for (const m of f.text.matchAll(/^import \{ ([^}]+) \} from '([^']+)';$/gm)) {
        const dir = f.path.slice(0, f.path.lastIndexOf('/'));
        const target = `${dir}/${(m[2] ?? '').replace(/^\.\//, '')}.ts`.replace(/[^/]+\/\.\.\//g, '');
        const text = byPath.get(target);
        assert.ok(text, `${f.path} imports missing ${target}`);
        for (const name of (m[1] ?? '').split(', ')) {
          assert.match(text, new RegExp(`^export (function|class) ${name}\\b`, 'm'), `${target} does not export ${name}`);
          imports++;
        }
      }
    }
    assert.ok(imports > 20, `only ${imports} cross-file imports`);
  });

  it('produces files that every grammar parses without syntax errors', async () => {
    const pool = new ParserPool(await loadGrammars(files.flatMap((f) => grammarForPath(f.path) ?? [])));
    try {
      for (const f of files) {
        const grammar = grammarForPath(f.path);
        assert.ok(grammar, f.path);
        const tree = pool.parserFor(grammar).parse(f.text);
        assert.equal(tree?.rootNode.hasError, false, `${f.path} has a syntax error`);
        tree?.delete();
      }
    } finally {
      pool.dispose();
    }
  });
});
