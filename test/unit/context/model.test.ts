import assert from 'node:assert/strict';
import { definitionId, importEdge, DefinitionRecord, type Definition } from '../../../src/core/context/model';

/** Every stored key of a definition (the id is computed), in the interface's order (the order every builder must keep). */
const DEFINITION_KEYS = ['file', 'name', 'kind', 'container', 'startLine', 'endLine', 'startIndex', 'endIndex', 'signature', 'signatureEndLine', 'doc', 'docStartLine', 'exported'];

describe('model builders', () => {
  for (const container of [undefined, 'Box']) {
    for (const doc of [undefined, 'Says hello.']) {
      for (const docStartLine of [undefined, 3]) {
        it(`DefinitionRecord keeps the keys in order (container ${String(container)}, doc ${String(doc)}, docStartLine ${String(docStartLine)})`, () => {
          const d = new DefinitionRecord('a.ts', 'greet', 'method', container, 4, 6, 30, 80, 'greet(): void', 4, doc, docStartLine, true);
          // What the conditional spreads used to build.
          const spread: Definition = {
            id: 'a.ts#greet#4',
            file: 'a.ts',
            name: 'greet',
            kind: 'method',
            ...(container !== undefined ? { container } : {}),
            startLine: 4,
            endLine: 6,
            startIndex: 30,
            endIndex: 80,
            signature: 'greet(): void',
            signatureEndLine: 4,
            ...(doc !== undefined ? { doc } : {}),
            ...(docStartLine !== undefined ? { docStartLine } : {}),
            exported: true,
          };
          assert.deepEqual({ id: d.id, ...(d as Omit<Definition, 'id'>) }, spread);
          assert.deepEqual(['id', ...Object.keys(d)], Object.keys(spread));
          assert.deepEqual(
            Object.keys(d),
            DEFINITION_KEYS.filter((k) => (k !== 'container' || container !== undefined) && (k !== 'doc' || doc !== undefined) && (k !== 'docStartLine' || docStartLine !== undefined)),
          );
        });
      }
    }
  }

  it('a definition copied across threads keeps its fields, and a DefinitionRecord made from it has its id again', () => {
    const d = new DefinitionRecord('src/a.ts', 'greet', 'function', undefined, 7, 9, 0, 40, 'function greet()', 7, 'Hi.', 6, false);
    const copy = structuredClone(d);
    assert.equal((copy as Partial<Definition>).id, undefined);
    const again = new DefinitionRecord(copy.file, copy.name, copy.kind, copy.container, copy.startLine, copy.endLine, copy.startIndex, copy.endIndex, copy.signature, copy.signatureEndLine, copy.doc, copy.docStartLine, copy.exported);
    assert.deepEqual(again, d);
    assert.equal(again.id, 'src/a.ts#greet#7');
  });

  it('definitionId is `${file}#${name}#${startLine}`', () => {
    for (const [file, name, line] of [['a.ts', 'greet', 4], ['src/deep/dir/file_with_a_long_name.py', '__init__', 120], ['x#y.ts', 'a#b', 1], ['', '', 0]] as const) {
      assert.equal(definitionId(file, name, line), `${file}#${name}#${line}`);
    }
  });

  it('importEdge has `resolved` last, and only when there is one', () => {
    assert.deepEqual(Object.keys(importEdge('./a', ['x'], 2, undefined)), ['source', 'names', 'line']);
    assert.deepEqual(Object.keys(importEdge('./a', ['x'], 2, 'src/a.ts')), ['source', 'names', 'line', 'resolved']);
    assert.deepEqual(importEdge('./a', ['x'], 2, 'src/a.ts'), { source: './a', names: ['x'], line: 2, resolved: 'src/a.ts' });
  });
});
