// Run by documentUpdate.test.ts in a process of its own (a heap snapshot of the test runner's heap takes too long):
// types two long reference names into an open document's functions, one edit after the other, each collected
// around the edit from the references the one before gave, and prints how many strings of the heap (after a full
// collection) are the text of the version after the first edit alone. Nothing should keep that version once the
// second edit is done (the fresh extractions below, whose identifiers are cuts of their texts, are garbage by then),
// unless the identifiers or the carried identifier table hold a cut of it.
import assert from 'node:assert/strict';
import { getHeapSnapshot } from 'node:v8';
import type { Tree } from 'web-tree-sitter';
import { editsBetween } from '../../../src/core/context/fileProcessor';
import { extractFromTree, referencesAfterEdit, type PositionedExtraction } from '../../../src/core/context/symbolExtractor';
import { loader } from './indexerHarness';

const NAMES = ['freshlyTypedReferenceName', 'anotherTypedReferenceName'] as const;

interface OpenDocument {
  readonly text: string;
  readonly tree: Tree;
  readonly previous: PositionedExtraction;
}

/** How many flat strings of the heap (after a full collection) `match` accepts. */
async function heapStrings(match: (s: string) => boolean): Promise<number> {
  const chunks: Buffer[] = [];
  for await (const chunk of getHeapSnapshot()) chunks.push(chunk as Buffer);
  const snapshot = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { snapshot: { meta: { node_fields: string[]; node_types: [string[]] } }; nodes: number[]; strings: string[] };
  const { node_fields: fields, node_types: [types] } = snapshot.snapshot.meta;
  const typeField = fields.indexOf('type');
  const nameField = fields.indexOf('name');
  const flat = types.indexOf('string');
  let count = 0;
  for (let n = 0; n < snapshot.nodes.length; n += fields.length) {
    if (snapshot.nodes[n + typeField] === flat && match(snapshot.strings[snapshot.nodes[n + nameField] ?? -1] ?? '')) count++;
  }
  return count;
}

async function main(): Promise<void> {
  const grammar = await loader().load('typescript');
  // Each edit in a function of its own: what it made (trees holding the texts they were parsed from) is garbage after.
  const typed = (document: OpenDocument, needle: string, name: string): OpenDocument => {
    const at = document.text.indexOf(needle) + needle.length;
    const next = `${document.text.slice(0, at)} + ${name}${document.text.slice(at)}`;
    const [edit] = editsBetween(document.text, next, [{ start: at, deleteCount: 0, text: ` + ${name}` }]);
    assert.ok(edit);
    document.tree.edit(edit);
    const tree = grammar.parser.parse(next, document.tree);
    assert.ok(tree);
    document.tree.delete();
    const full = extractFromTree('src/cuts.ts', 'typescript', next, tree, grammar.query, true);
    const references = referencesAfterEdit(document.previous, next, 'typescript', full.definitions, full.nameStarts, edit);
    assert.ok(references, `${needle}: collected around the edit`);
    assert.ok(references.identifiers.includes(name));
    return { text: next, tree, previous: { ...full, ...references } };
  };
  const source = ['export function first(a: number): number {', '  return a;', '}', '', 'export function last(b: number): number {', '  return first(b);', '}', ''].join('\n');
  const opened = grammar.parser.parse(source);
  assert.ok(opened);
  let document: OpenDocument = { text: source, tree: opened, previous: extractFromTree('src/cuts.ts', 'typescript', source, opened, grammar.query, true) };
  document = typed(document, 'return a', NAMES[0]);
  document = typed(document, 'return first(b)', NAMES[1]);
  document.tree.delete();
  const firstVersion = (s: string): boolean => s.startsWith('export function first') && s.includes(NAMES[0]) && !s.includes(NAMES[1]);
  const kept = await heapStrings(firstVersion);
  assert.ok(document.previous.identifiers.includes(NAMES[0]) && document.text.includes(NAMES[1]));
  process.stdout.write(`${JSON.stringify({ firstVersionKept: kept })}\n`);
}

void main();
