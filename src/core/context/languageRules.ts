// Per-language knowledge the extractor needs beyond the query captures: what kind a captured node is,
// which nodes wrap it (export, decorators), where its body starts, what encloses it, whether it is exported,
// and how its doc comment is written.
import type { Node } from 'web-tree-sitter';
import type { ParsedLanguage } from './languages';
import type { DefinitionKind } from './model';

/** What the ancestor walk found above a definition node. */
export interface DefinitionContext {
  /** Name of the innermost class-like container (class, interface, impl, trait), if any. */
  readonly container: string | undefined;
  /** The container node itself. */
  readonly containerNode: Node | undefined;
  /** An ancestor `export` statement (JS/TS) or ambient declaration (TS `declare`). */
  readonly exportedAncestor: boolean;
  /**
   * A top-level definition whose name the file exports apart from its declaration (JS/TS: `export { name }`,
   * `export default name`, `module.exports = { name }`, `exports.x = name` …), or a member of a top-level class-like
   * declaration whose name it so exports.
   */
  readonly exportedByName: boolean;
}

/** `callable` = function, or method when inside a class-like container. */
type KindRule = DefinitionKind | 'callable' | ((node: Node, tag: string) => DefinitionKind | undefined);

export interface LanguageRules {
  /** Node type of a captured definition → its kind (types not listed are dropped, e.g. modules). */
  readonly kinds: Readonly<Record<string, KindRule>>;
  /** Definitions nested inside these (function bodies) are locals and dropped. */
  readonly functionTypes: ReadonlySet<string>;
  /** Class-like containers; methods inside them get the container's name. */
  readonly containerTypes: ReadonlySet<string>;
  /** The container's display name (default: its `name` field). */
  containerName?(node: Node): string | undefined;
  /** A container found without walking ancestors (Go methods: the receiver type). */
  ownContainer?(node: Node): string | undefined;
  /** Whether `parent` (of type `parentType`) wraps `node` as the same definition (export statement, decorators, single-spec groups). */
  wraps(parent: Node, parentType: string, node: Node): boolean;
  /** Preceding siblings that belong to the definition (Rust attributes, decorators). */
  readonly attributeTypes: ReadonlySet<string>;
  /** Text every attribute node starts with: a file without it has none. Undefined when there are no attributeTypes. */
  readonly attributeMarker?: string;
  /** Whether an attribute node can end with this character (the last one before what it annotates, spaces aside). */
  attributeMayEndWith?(charCode: number): boolean;
  /** Character index where the body starts; the signature is the text before it. Undefined: no body. */
  bodyStart(node: Node): number | undefined;
  isExported(node: Node, name: string, context: DefinitionContext): boolean;
  /** Comment node types that can document the definition below them. */
  readonly commentTypes: ReadonlySet<string>;
  /**
   * Blocks whose leading comments the grammar puts before them, as the block's siblings (Python: `class A:`, then
   * `# Runs.` above the first method, then the block): the first definition of such a block reads its doc comment there.
   */
  readonly commentsBeforeBlocks?: ReadonlySet<string>;
  /** Doc written inside the definition (Python docstrings); `text` is the file's. */
  innerDoc?(node: Node, text: string): string | undefined;
  /** Whether the members of `container` (below `parent`) are exported whatever their own declarations say (`module.exports = { … }`). */
  exportsMembers?(container: Node, parent: Node): boolean;
  /**
   * The top-level declaration whose name, exported apart from it, exports the members of `container` (found from the
   * file's root, `ancestors` between them, parent first): JS, the variable an object literal is the value of (`const api
   * = { get() {} }; export { api }`), as `export const api = { … }` exports them.
   */
  exportedWith?(container: Node, ancestors: readonly Node[]): Node | undefined;
  /** Whether `import('…')` / `require('…')` calls anywhere in the text are imports too (importSyntax.ts dynamicImports). */
  readonly dynamicImports?: boolean;
}

const set = (...xs: string[]): ReadonlySet<string> => new Set(xs);

function bodyField(node: Node): number | undefined {
  return node.childForFieldName('body')?.startIndex;
}

function hasChildOfType(node: Node, type: string): boolean {
  for (let i = 0; i < node.childCount; i++) if (node.child(i)?.type === type) return true;
  return false;
}

// ---------------------------------------------------------------- JavaScript / TypeScript

const JS_FUNCTION_VALUES = set('arrow_function', 'function_expression', 'function', 'generator_function');
/** Expressions that can be definitions of their own name (`function named() {}`, `class Named {}`). */
const JS_NAMED_EXPRESSIONS = set('function_expression', 'function', 'generator_function', 'class');

function jsVariableKind(node: Node, tag: string): DefinitionKind | undefined {
  const value = node.childForFieldName('value');
  if (value && JS_FUNCTION_VALUES.has(value.type)) return 'function';
  if (value && (value.type === 'class' || value.type === 'class_expression')) return 'class';
  return tag === 'constant' ? 'const' : undefined;
}

/** `module.exports = …` or `exports = …`: the assignment of a whole module's exports (its left side names no definition). */
function isModuleExportsAssignment(node: Node): boolean {
  const left = node.childForFieldName('left');
  if (!left) return false;
  if (left.type === 'identifier') return left.text === 'exports';
  return left.type === 'member_expression' && left.text === 'module.exports';
}

/**
 * `exports.run = function …` is a function named `run`; `module.exports = function named() {}` is none (the function
 * expression is a definition of its own name), lest every CommonJS file define and reference `exports`.
 */
function jsAssignmentKind(node: Node): DefinitionKind | undefined {
  if (isModuleExportsAssignment(node)) return undefined;
  // A target of a chain (`exports.a = exports.b = function () {}`): when it ends at a function, as tags.scm's
  // assignments do.
  const right = node.childForFieldName('right');
  if (right?.type !== 'assignment_expression') return 'function';
  const value = chainValue(right)?.type;
  return value === 'arrow_function' || value === 'function_expression' ? 'function' : undefined;
}

/**
 * A value assigned to module.exports (its own definition, exported): by `module.exports = …`, or by a chain of
 * assignments one of which is to module.exports or exports (`exports = module.exports = …`, `var api =
 * module.exports = …`).
 */
function isModuleExportsValue(node: Node, parent: Node | null): boolean {
  for (let value = node, p = parent; p?.type === 'assignment_expression' && p.childForFieldName('right')?.id === value.id; value = p, p = p.parent) {
    if (isModuleExportsAssignment(p)) return true;
  }
  return false;
}

/** The value a chain of assignments (`a = b = value`) ends at: `node` itself when it is no assignment. */
function chainValue(node: Node): Node | null {
  let value: Node | null = node;
  while (value?.type === 'assignment_expression') value = value.childForFieldName('right');
  return value;
}

function jsBodyStart(node: Node): number | undefined {
  switch (node.type) {
    case 'variable_declarator':
    case 'pair':
    case 'field_definition':
    case 'public_field_definition':
    case 'assignment_expression': {
      // (Of a chain, its last value: `exports.a = exports.b = function () {`.)
      const own = node.childForFieldName(node.type === 'assignment_expression' ? 'right' : 'value');
      const value = own && chainValue(own);
      if (!value) return undefined;
      if (JS_FUNCTION_VALUES.has(value.type) || value.type === 'class') return value.childForFieldName('body')?.startIndex;
      return value.startPosition.row !== value.endPosition.row ? value.startIndex : undefined;
    }
    case 'type_alias_declaration': {
      const value = node.childForFieldName('value');
      return value?.type === 'object_type' ? value.startIndex : undefined;
    }
    default:
      return bodyField(node);
  }
}

function jsIsExported(node: Node, name: string, context: DefinitionContext): boolean {
  if (name.startsWith('#')) return false;
  const modifier = node.firstNamedChild;
  if (modifier?.type === 'accessibility_modifier' && modifier.text !== 'public') return false;
  if (context.exportedAncestor) return true;
  // (Not `Point.prototype.move = …` for an `exports.move = move` of another `move`.)
  if (context.exportedByName && node.type !== 'assignment_expression') return true;
  if (JS_NAMED_EXPRESSIONS.has(node.type)) return isModuleExportsValue(node, node.parent);
  if (node.type === 'assignment_expression') {
    const left = node.childForFieldName('left')?.text ?? '';
    return left.startsWith('exports.') || left.startsWith('exports[') || left.startsWith('module.exports');
  }
  return false;
}

function jsWraps(parent: Node, parentType: string, node: Node): boolean {
  switch (parentType) {
    case 'export_statement':
    case 'ambient_declaration':
      return true;
    case 'lexical_declaration':
    case 'variable_declaration':
      return node.type === 'variable_declarator' && parent.namedChildCount === 1;
    // `exports.run = function …;`, `Point.prototype.move = …;` (its doc comment sits above the statement).
    case 'expression_statement':
      return node.type === 'assignment_expression';
    // `module.exports = function named() {}`: the function's head starts the statement; so do those of a chain of
    // assignments (`exports = module.exports = function named() {}`, `exports.a = exports.b = function () {}`).
    case 'assignment_expression':
      return node.type === 'assignment_expression' ? parent.childForFieldName('right')?.id === node.id : isModuleExportsValue(node, parent);
    // `var api = module.exports = function named() {}`, `var x = a.b = function () {}`: the declaration does.
    case 'variable_declarator':
      return node.type === 'assignment_expression' && parent.childForFieldName('value')?.id === node.id;
    default:
      return false;
  }
}

/**
 * Wrappers of a variable's value that keep it the object it wraps (`({ … })`, `{ … } as const`, `{ … } satisfies Routes`,
 * `<const>{ … }`): those queryPatterns.ts topObjects takes an object's members from.
 */
const JS_OBJECT_WRAPPERS = set('parenthesized_expression', 'as_expression', 'satisfies_expression', 'type_assertion');

/** The top-level variable declarator whose value is the object `container` (below `ancestors`, parent first, the file's root above them). */
function jsObjectOwner(container: Node, ancestors: readonly Node[]): Node | undefined {
  if (container.type !== 'object') return undefined;
  let value = container;
  let i = 0;
  for (let p = ancestors[i]; p && JS_OBJECT_WRAPPERS.has(p.type); p = ancestors[++i]) value = p;
  const declarator = ancestors[i];
  const declaration = ancestors[i + 1]?.type;
  if (declarator?.type !== 'variable_declarator' || i + 2 !== ancestors.length) return undefined;
  if (declaration !== 'lexical_declaration' && declaration !== 'variable_declaration') return undefined;
  return declarator.childForFieldName('value')?.id === value.id ? declarator : undefined;
}

/** A class's name; an anonymous class expression's is that of the variable it is assigned to (`const Widget = class { … }`). */
function jsContainerName(node: Node): string | undefined {
  const name = node.childForFieldName('name')?.text;
  if (name !== undefined || node.type !== 'class') return name;
  const parent = node.parent;
  return parent?.type === 'variable_declarator' ? parent.childForFieldName('name')?.text : undefined;
}

function jsRules(): LanguageRules {
  return {
    kinds: {
      function_declaration: 'function',
      generator_function_declaration: 'function',
      function_signature: 'function',
      function_expression: 'function',
      function: 'function',
      generator_function: 'function',
      assignment_expression: jsAssignmentKind,
      pair: 'function',
      method_definition: 'method',
      field_definition: 'method',
      public_field_definition: 'method',
      method_signature: 'method',
      abstract_method_signature: 'method',
      class_declaration: 'class',
      abstract_class_declaration: 'class',
      class: 'class',
      interface_declaration: 'interface',
      type_alias_declaration: 'type',
      enum_declaration: 'enum',
      variable_declarator: jsVariableKind,
      import_alias: 'const',
    },
    functionTypes: set(
      'function_declaration', 'generator_function_declaration', 'function_expression', 'function',
      'generator_function', 'arrow_function', 'method_definition', 'class_static_block',
    ),
    containerTypes: set('class_declaration', 'abstract_class_declaration', 'class', 'interface_declaration'),
    containerName: jsContainerName,
    wraps: jsWraps,
    attributeTypes: set('decorator'),
    attributeMarker: '@',
    // `@name`, `@a.b`, `@call(…)`, `@(expression)`.
    attributeMayEndWith: (c) => c === 41 || c > 127 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 36,
    bodyStart: jsBodyStart,
    isExported: jsIsExported,
    exportsMembers: (container, parent) =>
      container.type === 'object' && parent.type === 'assignment_expression' && isModuleExportsAssignment(parent) && parent.childForFieldName('right')?.id === container.id,
    exportedWith: jsObjectOwner,
    commentTypes: set('comment'),
    dynamicImports: true,
  };
}

// ---------------------------------------------------------------- Python

/** Characters a docstring's statement can start with: a quote, or a string prefix (r, b, u, f). */
const DOCSTRING_START = /["'rRbBuUfF]/;
/**
 * How a string that is a docstring starts: a quote, after at most a prefix r or u (any case). An f-string or a bytes
 * literal (`f"""…"""`, `b"""…"""`, `rb'…'`) is none: CPython leaves `__doc__` None for them.
 */
const DOCSTRING_OPENING = /[rRuU]?["']/y;

function pythonDocstring(node: Node, text: string): string | undefined {
  const body = node.childForFieldName('body');
  // A body that starts with no quote or prefix has no docstring: no need to read its first statement.
  if (!body || !DOCSTRING_START.test(text.charAt(body.startIndex))) return undefined;
  const first = body.firstNamedChild;
  if (first?.type !== 'expression_statement') return undefined;
  const str = first.firstNamedChild;
  if (str?.type !== 'string' || first.namedChildCount !== 1) return undefined;
  DOCSTRING_OPENING.lastIndex = str.startIndex;
  if (!DOCSTRING_OPENING.test(text)) return undefined;
  let content = '';
  for (const child of str.namedChildren) if (child?.type === 'string_content') content += child.text;
  return content;
}

/**
 * Where a Python definition's head ends: after the `:` before its block (comments between the two — `class A:` then
 * `# about the first method` — are the block's, not the signature's).
 */
function pythonBodyStart(node: Node): number | undefined {
  const body = node.childForFieldName('body');
  if (!body) return undefined;
  for (let i = node.childCount - 1; i >= 0; i--) {
    const child = node.child(i);
    if (child && child.type === ':' && child.endIndex <= body.startIndex) return child.endIndex;
  }
  return body.startIndex;
}

const python: LanguageRules = {
  kinds: {
    function_definition: 'callable',
    class_definition: 'class',
    assignment: 'const',
    type_alias_statement: 'type',
  },
  functionTypes: set('function_definition', 'lambda'),
  containerTypes: set('class_definition'),
  wraps: (_parent, parentType, node) => parentType === 'decorated_definition' || (parentType === 'expression_statement' && node.type === 'assignment'),
  attributeTypes: set(),
  bodyStart: pythonBodyStart,
  isExported: (_node, name) => !name.startsWith('_') || (name.startsWith('__') && name.endsWith('__')),
  commentTypes: set('comment'),
  commentsBeforeBlocks: set('block'),
  innerDoc: (node, text) => (node.type === 'assignment' ? undefined : pythonDocstring(node, text)),
};

// ---------------------------------------------------------------- Go

function goTypeKind(node: Node): DefinitionKind {
  switch (node.childForFieldName('type')?.type) {
    case 'struct_type':
      return 'class';
    case 'interface_type':
      return 'interface';
    default:
      return 'type';
  }
}

function goBodyStart(node: Node): number | undefined {
  if (node.type !== 'type_spec') return bodyField(node);
  const type = node.childForFieldName('type');
  if (type?.type === 'struct_type') return type.namedChildren.find((c) => c?.type === 'field_declaration_list')?.startIndex;
  if (type?.type === 'interface_type') {
    const brace = type.text.indexOf('{');
    return brace < 0 ? undefined : type.startIndex + brace;
  }
  return undefined;
}

/** `func (s *Server[T]) Serve()` → `Server`. */
function goReceiverType(node: Node): string | undefined {
  if (node.type !== 'method_declaration') return undefined;
  const receiver = node.childForFieldName('receiver')?.namedChildren.find((c) => c?.type === 'parameter_declaration');
  const type = receiver?.childForFieldName('type')?.text;
  return type?.replace(/^\*/, '').replace(/\[.*$/s, '').trim() || undefined;
}

const go: LanguageRules = {
  kinds: {
    function_declaration: 'function',
    method_declaration: 'method',
    method_elem: 'method',
    type_spec: goTypeKind,
    type_alias: 'type',
    const_spec: 'const',
    var_spec: 'const',
  },
  functionTypes: set('function_declaration', 'method_declaration', 'func_literal'),
  // A named type: its interface's methods (queryPatterns.ts: the only definitions inside one) are the type's.
  containerTypes: set('type_spec'),
  ownContainer: goReceiverType,
  // A group of one spec (`var ( X = 1 )`: its var_spec_list, then the declaration) is the spec's, its doc comment above it.
  wraps: (parent, parentType) =>
    (parentType === 'type_declaration' || parentType === 'const_declaration' || parentType === 'var_declaration' || parentType === 'var_spec_list') &&
    parent.namedChildCount === 1,
  attributeTypes: set(),
  bodyStart: goBodyStart,
  isExported: (_node, name) => /^[A-Z]/.test(name),
  commentTypes: set('comment'),
};

// ---------------------------------------------------------------- Rust

/**
 * `impl<T> Display for Wrapper<T>` → `Wrapper`; `impl fmt::Display for crate::shapes::Circle` → `Circle`;
 * `impl<'a> Iterator for &'a mut Circle` → `Circle`: the type's last path segment, without references, lifetimes,
 * `mut`, `dyn` or generic arguments.
 */
function rustContainerName(node: Node): string | undefined {
  const named = node.type === 'impl_item' ? node.childForFieldName('type') : node.childForFieldName('name');
  const path = named?.text.replace(/<.*$/s, '').replace(/&|'\w+|\b(?:mut|dyn)\b/g, '');
  return path?.split('::').pop()?.trim() || undefined;
}

/**
 * A body's start, and for `macro_rules! name { … }` (no body field) its rules' opening delimiter: the rules are the
 * macro's body, so its signature ends at its name.
 */
function rustBodyStart(node: Node): number | undefined {
  if (node.type !== 'macro_definition') return bodyField(node);
  const name = node.childForFieldName('name');
  if (!name) return undefined;
  for (let i = 0; i < node.childCount; i++) {
    const child = node.child(i);
    if (child && child.startIndex >= name.endIndex && (child.type === '{' || child.type === '(' || child.type === '[')) return child.startIndex;
  }
  return undefined;
}

/** `#[macro_export]` (or `#[macro_export(local_inner_macros)]`): a `macro_rules!` exported at the crate's root. */
const MACRO_EXPORT = /^#\[\s*macro_export\s*[\](]/;

/** Whether a `macro_rules!` has `#[macro_export]` among the attributes above it (comments may sit between them). */
function rustMacroExported(node: Node): boolean {
  for (let p = node.previousNamedSibling; p && (p.type === 'attribute_item' || p.type === 'line_comment' || p.type === 'block_comment'); p = p.previousNamedSibling) {
    if (p.type === 'attribute_item' && MACRO_EXPORT.test(p.text)) return true;
  }
  return false;
}

/**
 * Whether an item is usable from other files: any `pub` (`pub(crate)` and `pub(super)` too — other files of the crate
 * reach them, and an import links to what a file exports), a trait's items, a `#[macro_export]` macro.
 */
function rustIsExported(node: Node, _name: string, context: DefinitionContext): boolean {
  if (hasChildOfType(node, 'visibility_modifier')) return true;
  if (node.type === 'macro_definition') return rustMacroExported(node);
  const container = context.containerNode;
  if (!container) return false;
  // Trait items, and items implementing a trait, are as visible as the trait.
  return container.type === 'trait_item' || container.childForFieldName('trait') !== null;
}

const rust: LanguageRules = {
  kinds: {
    function_item: 'callable',
    function_signature_item: 'method',
    struct_item: 'class',
    union_item: 'class',
    enum_item: 'enum',
    type_item: 'type',
    trait_item: 'interface',
    macro_definition: 'function',
    const_item: 'const',
    static_item: 'const',
  },
  functionTypes: set('function_item', 'closure_expression'),
  containerTypes: set('impl_item', 'trait_item'),
  containerName: rustContainerName,
  wraps: () => false,
  attributeTypes: set('attribute_item'),
  attributeMarker: '#',
  // `#[…]`.
  attributeMayEndWith: (c) => c === 93,
  bodyStart: rustBodyStart,
  isExported: rustIsExported,
  commentTypes: set('line_comment', 'block_comment'),
};

// ---------------------------------------------------------------- Java

function javaModifiers(node: Node): string {
  const holder = node.type === 'variable_declarator' ? node.parent : node;
  return holder?.namedChildren.find((c) => c?.type === 'modifiers')?.text ?? '';
}

function javaConstantKind(node: Node): DefinitionKind | undefined {
  // An interface's fields (constant_declaration) are constants whatever their modifiers say.
  if (node.parent?.type === 'constant_declaration') return 'const';
  const modifiers = javaModifiers(node);
  return /\bstatic\b/.test(modifiers) && /\bfinal\b/.test(modifiers) ? 'const' : undefined;
}

const java: LanguageRules = {
  kinds: {
    class_declaration: 'class',
    record_declaration: 'class',
    interface_declaration: 'interface',
    annotation_type_declaration: 'interface',
    enum_declaration: 'enum',
    method_declaration: 'method',
    variable_declarator: javaConstantKind,
  },
  functionTypes: set('method_declaration', 'constructor_declaration', 'lambda_expression', 'static_initializer'),
  containerTypes: set(
    'class_declaration', 'interface_declaration', 'enum_declaration', 'record_declaration', 'annotation_type_declaration',
  ),
  wraps: (parent, parentType, node) =>
    (parentType === 'field_declaration' || parentType === 'constant_declaration') &&
    node.type === 'variable_declarator' &&
    parent.childrenForFieldName('declarator').length === 1,
  attributeTypes: set(),
  bodyStart: bodyField,
  isExported: (node, _name, context) => {
    const c = context.containerNode?.type;
    return /\b(public|protected)\b/.test(javaModifiers(node)) || c === 'interface_declaration' || c === 'annotation_type_declaration';
  },
  commentTypes: set('line_comment', 'block_comment'),
};

const JS_RULES = jsRules();

export const LANGUAGE_RULES: Readonly<Record<ParsedLanguage, LanguageRules>> = {
  typescript: JS_RULES,
  tsx: JS_RULES,
  javascript: JS_RULES,
  python,
  go,
  rust,
  java,
};

/** Resolves a kind rule for a captured node, given whether it sits in a class-like container. */
export function kindOf(rules: LanguageRules, node: Node, tag: string, inContainer: boolean): DefinitionKind | undefined {
  const rule = rules.kinds[node.type];
  if (rule === undefined) return undefined;
  if (rule === 'callable') return inContainer ? 'method' : 'function';
  if (typeof rule === 'function') return rule(node, tag);
  return rule;
}
