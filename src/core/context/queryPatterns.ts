// Our own tree-sitter query patterns, appended to each grammar's tags.scm:
// - `@definition.<kind>` + `@name`: definitions tags.scm misses (type aliases, enums, exported constants …);
// - `@import…`: import statements (tags.scm captures none);
// - `@container`: nodes whose children are declarations (class bodies, namespaces, impl blocks …): the
//   extractor queries each container's top levels in turn instead of walking the whole tree.
// Captures starting with `_` only feed predicates. (Identifiers outside comments and strings come from sourceLexer.ts.)
import type { ParsedLanguage } from './languages';

/** The tag of a top-level variable that is a definition only if the file exports its name apart from it (JS_EXPORTED_NAMES). */
export const LOCAL_CONSTANT_TAG = 'local_constant';

// (`export { void_ as void }` without `from`, @import.own: the module's own names exported under others, read as a
// re-export from itself — importSyntax.ts ownRenamedExports.)
const JS_IMPORTS = `
(import_statement) @import
(export_statement source: (string)) @import
(export_statement !source (export_clause (export_specifier alias: (identifier)))) @import.own
(call_expression
  function: (identifier) @_fn
  arguments: (arguments . (string) @import.require)
  (#eq? @_fn "require"))
(call_expression
  function: (import)
  arguments: (arguments . (string) @import.require))
`;

// Function-valued declarations tags.scm misses (it has arrow functions and function expressions): generators and
// classes (`const ids = function* () {}`, `const Widget = class { … }`, their doc comment above the declaration).
const JS_VALUE_DEFINITIONS = `
(lexical_declaration (variable_declarator name: (identifier) @name value: [(generator_function) (class)]) @definition.function)
(variable_declaration (variable_declarator name: (identifier) @name value: [(generator_function) (class)]) @definition.function)
`;

// Class fields holding a function (\`onClick = (event) => { … }\`, \`static create = () => …\`): methods of the class.
const JS_FIELD_FUNCTIONS = `
(field_definition
  property: [(property_identifier) (private_property_identifier)] @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.method
`;
const TS_FIELD_FUNCTIONS = `
(public_field_definition
  name: [(property_identifier) (private_property_identifier)] @name
  value: [(arrow_function) (function_expression) (generator_function)]) @definition.method
`;

// Private methods (\`#secret() {}\`, \`static #make()\`, \`get #g()\`), which tags.scm leaves out (it matches property names
// only). Constructors stay out, as tags.scm has them: every class's \`constructor\` matched a query saying "constructor" by
// name and crowded the classes out of the ranking (a Java constructor, named as its class, outranked it) — the class's own
// text holds its constructor.
const JS_METHODS = `
(method_definition name: (private_property_identifier) @name) @definition.method
`;

// Names a module exports apart from their declarations (@export.name: the local name; languageRules.ts jsIsExported):
// \`export { a, b as c }\`, \`export default a\`, \`module.exports = a\`, \`module.exports = { a, c: b }\`, \`exports.c = b\`,
// \`module.exports.c = b\`, \`exports["c"] = b\`. Read from the file's top level only (symbolExtractor.ts extractDeclarations),
// with the top-level variables that such a name may export (kept only if one does).
const JS_EXPORTED_NAMES = `
(program (lexical_declaration (variable_declarator name: (identifier) @name) @definition.${LOCAL_CONSTANT_TAG}))
(program (variable_declaration (variable_declarator name: (identifier) @name) @definition.${LOCAL_CONSTANT_TAG}))
(export_statement !source (export_clause (export_specifier name: (identifier) @export.name)))
(export_statement value: (identifier) @export.name)
(assignment_expression
  left: (member_expression) @_target
  right: (identifier) @export.name
  (#match? @_target "^(module[.])?exports([.][A-Za-z_$][A-Za-z0-9_$]*)?$"))
(assignment_expression
  left: (member_expression) @_target
  right: (object [(shorthand_property_identifier) @export.name (pair value: (identifier) @export.name)])
  (#eq? @_target "module.exports"))
(assignment_expression
  left: (subscript_expression object: (_) @_target index: (string))
  right: (identifier) @export.name
  (#match? @_target "^(module[.])?exports$"))
`;

// The names of JS_EXPORTED_NAMES a module exports as its default (@export.default: Definition.exportedAsDefault):
// \`export default a\`, \`export { a as "default" }\`, \`module.exports = a\` (and Express's \`exports = module.exports = a\`),
// \`exports.default = a\` (CommonJS as TypeScript and Babel compile it); \`export { a as default }\` below, as each
// grammar has it (JavaScript's alias is the keyword, TypeScript's an identifier). The assignments are matched as top-level statements only: unanchored, every \`x.y = z\`
// of a file (thousands in monaco-editor's) was a match whose predicate JavaScript then tested.
const JS_EXPORTED_DEFAULTS = `
(export_statement value: (identifier) @export.default)
(export_statement !source (export_clause (export_specifier name: (identifier) @export.default alias: (string (string_fragment) @_alias) (#eq? @_alias "default"))))
(program (expression_statement (assignment_expression
  left: (member_expression) @_target
  right: (identifier) @export.default
  (#match? @_target "^(module[.]exports|exports[.]default|module[.]exports[.]default)$"))))
(program (expression_statement (assignment_expression
  left: (identifier) @_exports
  right: (assignment_expression
    left: (member_expression) @_target
    right: (identifier) @export.default)
  (#eq? @_exports "exports")
  (#eq? @_target "module.exports"))))
`;
const JS_DEFAULT_ALIAS = `
(export_statement !source (export_clause (export_specifier name: (identifier) @export.default alias: "default")))
`;
// (TypeScript's \`export = a\` is what a default import of the module brings, under esModuleInterop.)
const TS_EXPORTED_DEFAULTS = `
(export_statement !source (export_clause (export_specifier name: (identifier) @export.default alias: (identifier) @_alias (#eq? @_alias "default"))))
(export_statement "=" (identifier) @export.default)
`;

// \`exports["run"] = function () {}\`, \`module.exports['stop'] = () => {}\`: as \`exports.run = …\` (tags.scm's), a function named
// by the string when it reads as a name.
const JS_EXPORTED_SUBSCRIPTS = `
(assignment_expression
  left: (subscript_expression object: (_) @_target index: (string (string_fragment) @name))
  right: [(arrow_function) (function_expression)]
  (#match? @_target "^(module[.])?exports$")
  (#match? @name "^[A-Za-z_$][A-Za-z0-9_$]*$")) @definition.function
`;
// TypeScript's \`export = a\`; its import aliases (\`import Q = N.M\`): \`export import Q = N.M\` is an exported constant, a
// top-level one without \`export\` a constant if the file exports its name apart from it, as a top-level variable is.
const TS_EXPORTED_NAMES = `
(export_statement "=" (identifier) @export.name)
(export_statement declaration: (import_alias . (identifier) @name) @definition.constant)
(program (import_alias . (identifier) @name) @definition.${LOCAL_CONSTANT_TAG})
`;

const JS_CONSTANTS = `
(export_statement (lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant))
(export_statement (variable_declaration (variable_declarator name: (identifier) @name) @definition.constant))
`;

/**
 * The object that is a top-level variable's value (`const api = { … }`, `var api = …`, `export const api = …`) as a
 * container, bare or in parentheses (`= ({ … })`) when `wrappers` is empty, else inside one of `wrappers` (TypeScript's
 * `{ … } as const`, `{ … } satisfies T`, `<const>{ … }`), itself maybe in parentheses. (Its members' exportedness:
 * languageRules.ts jsObjectOwner, through the same wrappers.)
 */
function topObjects(wrappers: readonly string[]): string {
  const values = wrappers.length === 0 ? ['(object) @container'] : wrappers.map((w) => `(${w} (object) @container)`);
  const value = `[${values.join(' ')} (parenthesized_expression [${values.join(' ')}])]`;
  return `(program (lexical_declaration (variable_declarator value: ${value})))
(program (variable_declaration (variable_declarator value: ${value})))
(export_statement (lexical_declaration (variable_declarator value: ${value})))
`;
}

// A chain of assignments (`exports = module.exports = function named() {}`, `var api = module.exports = class Api {}`,
// `exports.a = exports.b = function () {}`) is queried from each of its assignments in turn, which finds what it finds
// in one (`module.exports = function named() {}`, `exports.a = function () {}`) however deep the chain goes; its
// targets before the last are definitions when it ends at a function (languageRules.ts jsAssignmentKind).
const JS_CONTAINERS = `
(class_declaration body: (class_body) @container)
(class body: (class_body) @container)
(export_statement value: (object) @container)
(assignment_expression right: (object) @container)
(assignment_expression right: (assignment_expression) @container)
(variable_declarator value: (assignment_expression) @container)
(assignment_expression
  left: [(identifier) @name (member_expression property: (property_identifier) @name)]
  right: (assignment_expression)) @definition.function
${topObjects([])}`;

const TS_CONTAINERS = `
(abstract_class_declaration body: (class_body) @container)
(interface_declaration body: (interface_body) @container)
(internal_module body: (statement_block) @container)
(module body: (statement_block) @container)
(ambient_declaration (statement_block) @container)
${topObjects(['as_expression', 'satisfies_expression'])}`;

// `const api = <const>{ … }` (a type assertion: TypeScript's grammar has it, TSX's does not).
const TS_ASSERTED_CONTAINERS = topObjects(['type_assertion']);

// `declare const X` and `export declare let X` (ambient declarations, as in .d.ts files), and the variables of
// namespace and module bodies (those of a `declare namespace`, `declare module` or `declare global` are exported; in
// a namespace that is not, as for its functions, being inside an exported one counts as exported).
const TS_VARIABLES = `[(lexical_declaration (variable_declarator name: (identifier) @name) @definition.constant)
  (variable_declaration (variable_declarator name: (identifier) @name) @definition.constant)]`;

const TS_DEFINITIONS = `
(type_alias_declaration name: (type_identifier) @name) @definition.type
(enum_declaration name: (identifier) @name) @definition.enum
(ambient_declaration ${TS_VARIABLES})
(ambient_declaration (statement_block ${TS_VARIABLES}))
(internal_module body: (statement_block ${TS_VARIABLES}))
(module body: (statement_block ${TS_VARIABLES}))
`;

// Python 3.12's \`type Pair = tuple[int, int]\` and \`type Box[T] = list[T]\` (the older \`Pair: TypeAlias = …\` is an
// assignment, tags.scm's).
const PYTHON = `
(class_definition body: (block) @container)
(type_alias_statement left: (type [(identifier) @name (generic_type (identifier) @name)])) @definition.type
(import_statement) @import
(import_from_statement) @import
`;

// A `var ( … )` block puts its specs in a var_spec_list (a `const ( … )` block holds its specs directly). A named
// interface's methods are methods of it, as a Java interface's or a Rust trait's are (its embedded types are none).
const GO = `
(type_alias name: (type_identifier) @name) @definition.type
(type_spec type: (interface_type) @container)
(method_elem name: (field_identifier) @name) @definition.method
(source_file (const_declaration (const_spec name: (identifier) @name) @definition.constant))
(source_file (var_declaration (var_spec name: (identifier) @name) @definition.constant))
(source_file (var_declaration (var_spec_list (var_spec name: (identifier) @name) @definition.constant)))
(import_spec) @import
`;

const RUST = `
(declaration_list) @container
(function_signature_item name: (identifier) @name) @definition.method
(const_item name: (identifier) @name) @definition.constant
(static_item name: (identifier) @name) @definition.constant
(use_declaration) @import
(mod_item !body) @import.mod
`;

const JAVA = `
[(class_body) (interface_body) (enum_body) (enum_body_declarations) (annotation_type_body)] @container
(enum_declaration name: (identifier) @name) @definition.enum
(record_declaration name: (identifier) @name) @definition.class
(annotation_type_declaration name: (identifier) @name) @definition.interface
(field_declaration (modifiers) declarator: (variable_declarator name: (identifier) @name) @definition.constant)
(constant_declaration declarator: (variable_declarator name: (identifier) @name) @definition.constant)
(import_declaration) @import
`;

export const OWN_PATTERNS: Readonly<Record<ParsedLanguage, string>> = {
  typescript: TS_DEFINITIONS + TS_FIELD_FUNCTIONS + JS_METHODS + JS_VALUE_DEFINITIONS + JS_CONSTANTS + JS_EXPORTED_NAMES + JS_EXPORTED_DEFAULTS + TS_EXPORTED_DEFAULTS + JS_EXPORTED_SUBSCRIPTS + TS_EXPORTED_NAMES + JS_IMPORTS + JS_CONTAINERS + TS_CONTAINERS + TS_ASSERTED_CONTAINERS,
  tsx: TS_DEFINITIONS + TS_FIELD_FUNCTIONS + JS_METHODS + JS_VALUE_DEFINITIONS + JS_CONSTANTS + JS_EXPORTED_NAMES + JS_EXPORTED_DEFAULTS + TS_EXPORTED_DEFAULTS + JS_EXPORTED_SUBSCRIPTS + TS_EXPORTED_NAMES + JS_IMPORTS + JS_CONTAINERS + TS_CONTAINERS,
  javascript: JS_FIELD_FUNCTIONS + JS_METHODS + JS_VALUE_DEFINITIONS + JS_CONSTANTS + JS_EXPORTED_NAMES + JS_EXPORTED_DEFAULTS + JS_DEFAULT_ALIAS + JS_EXPORTED_SUBSCRIPTS + JS_IMPORTS + JS_CONTAINERS,
  python: PYTHON,
  go: GO,
  rust: RUST,
  java: JAVA,
};
