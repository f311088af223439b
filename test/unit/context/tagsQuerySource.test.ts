import assert from 'node:assert/strict';
import { resultPatterns, stripUnsupportedPredicates, topLevelPatterns } from '../../../src/core/context/tagsQuerySource';

describe('tags query source', () => {
  it('strips the predicates web-tree-sitter cannot run, and only those', () => {
    const source = [
      '((comment)* @doc . (function_declaration name: (identifier) @name) @definition.function',
      '  (#strip! @doc "^[\\\\s\\\\*/]+|^[\\\\s\\\\*/]$")',
      '  (#select-adjacent! @doc @definition.function))',
      '((identifier) @name (#not-eq? @name "require") (#set-adjacent! @doc @name) (#match? @name "(a)"))',
    ].join('\n');
    const stripped = stripUnsupportedPredicates(source);
    assert.ok(!stripped.includes('#strip!') && !stripped.includes('#select-adjacent!') && !stripped.includes('#set-adjacent!'));
    assert.ok(stripped.includes('(#not-eq? @name "require")') && stripped.includes('(#match? @name "(a)")'));
    assert.equal(stripped.split('(').length, stripped.split(')').length, 'parentheses stay balanced');
  });

  it('splits top-level patterns with their trailing captures, past strings and comments', () => {
    const source = [
      '; a comment (with parentheses',
      '(a (b) @x) @y',
      '((c) @name (#match? @name "^(require)$"))',
      '[(d) (e)]* @z',
    ].join('\n');
    assert.deepEqual(topLevelPatterns(source), ['(a (b) @x) @y', '((c) @name (#match? @name "^(require)$"))', '[(d) (e)]* @z']);
  });

  it('keeps definition, import and container patterns without their doc-comment prefix', () => {
    const source = [
      '(',
      '  (comment)* @doc',
      '  .',
      '  (method_definition name: (property_identifier) @name) @definition.method',
      '  (#not-eq? @name "constructor")',
      '  (#strip! @doc "^[\\s\\*/]+|^[\\s\\*/]$")',
      '  (#select-adjacent! @doc @definition.method)',
      ')',
      '',
      '; references',
      '(call_expression function: (identifier) @name) @reference.call',
      '(type_identifier) @name @reference.type',
      '(import_statement) @import',
      '(class_body) @container',
      '((comment)* @_kept . (function_declaration name: (identifier) @name) @definition.function)',
    ].join('\n');
    const patterns = topLevelPatterns(resultPatterns(source, new Set(['method_definition', 'function_declaration']))).map((p) => p.replace(/\s+/g, ' '));
    assert.deepEqual(patterns, [
      '( (method_definition name: (property_identifier) @name) @definition.method (#not-eq? @name "constructor") )',
      '(import_statement) @import',
      '(class_body) @container',
      '((comment)* @_kept . (function_declaration name: (identifier) @name) @definition.function)',
    ]);
  });

  it('drops definition patterns for node types the extractor has no kind for', () => {
    const source = [
      '(module name: (identifier) @name) @definition.module',
      '[(class name: (_) @name) (class_declaration name: (_) @name)] @definition.class',
      '[(module) (namespace)] @definition.module',
      '(_ name: (identifier) @name) @definition.any',
      '(program (module) @definition.module (class) @definition.class)',
    ].join('\n');
    assert.deepEqual(topLevelPatterns(resultPatterns(source, new Set(['class']))), [
      '[(class name: (_) @name) (class_declaration name: (_) @name)] @definition.class',
      '(_ name: (identifier) @name) @definition.any',
      '(program (module) @definition.module (class) @definition.class)',
    ]);
  });
});
