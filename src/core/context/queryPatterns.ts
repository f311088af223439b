// Our own tree-sitter query patterns, appended to each grammar's tags.scm:
// - `@definition.<kind>` + `@name`: definitions tags.scm misses (type aliases, enums, exported constants …);
// - `@import…`: import statements (tags.scm captures none);
// - `@mask`: comments and string contents, whose words are not identifier references.
// Captures starting with `_` only feed predicates.
import type { ParsedLanguage } from './languages';

const JS_IMPORTS = `
(import_statement) @import
(export_statement source: (string)) @import
(call_expression
  function: (identifier) @_fn
  arguments: (arguments . (string) @import.require)
  (#eq? @_fn "require"))
(call_expression
  function: (import)
  arguments: (arguments . (string) @import.require))
`;

const JS_CONSTANTS = `
(export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant))
(export_statement (variable_declaration (variable_declarator name: (identifier) @name) @definition.constant))
`;

const TS_DEFINITIONS = `
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
`;

const JS_MASKS = `[(comment) (string_fragment) (escape_sequence) (regex)] @mask`;
const JSX_MASKS = `(jsx_text) @mask`;

const PYTHON = `
(import_statement) @import
(import_from_statement) @import
[(comment) (string_start) (string_content) (escape_sequence)] @mask
`;

const GO = `
(type_alias name: (type_identifier) @name) @definition.type
(source_file (const_declaration (const_spec name: (identifier) @name) @definition.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @definition.constant))
(import_spec) @import
[(comment) (interpreted_string_literal) (raw_string_literal) (rune_literal)] @mask
`;

const RUST = `
(function_signature_item name: (identifier) @name) @definition.method
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant
(use_declaration) @import
(mod_item !body) @import.mod
[(line_comment) (block_comment) (string_literal) (raw_string_literal) (char_literal)] @mask
`;

const JAVA = `
(enum_declaration name: (identifier) @name) @definition.enum
(record_declaration name: (identifier) @name) @definition.class
(annotation_type_declaration name: (identifier) @name) @definition.interface
(field_declaration (modifiers) declarator: (variable_declarator name: (identifier) @name) @definition.constant)
(import_declaration) @import
[(line_comment) (block_comment) (string_literal) (character_literal)] @mask
`;

export const OWN_PATTERNS: Readonly<Record<ParsedLanguage, string>> = {
  typescript: TS_DEFINITIONS + JS_CONSTANTS + JS_IMPORTS + JS_MASKS,
  tsx: TS_DEFINITIONS + JS_CONSTANTS + JS_IMPORTS + JS_MASKS + JSX_MASKS,
  javascript: JS_CONSTANTS + JS_IMPORTS + JS_MASKS + JSX_MASKS,
  python: PYTHON,
  go: GO,
  rust: RUST,
  java: JAVA,
};
