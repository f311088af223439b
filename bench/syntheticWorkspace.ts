// A deterministic synthetic workspace (seeded) in six languages with realistic cross-file structure:
// packages of related modules, imports of other modules (same package first, a few hub modules used
// everywhere), calls to imported functions and classes, doc comments, private helpers and a long tail
// of large files. The same options always give byte-identical files.
import path from 'node:path';
import type { Random } from '../src/core/ports';
import { createSeededRandom, mixSeed, pick, randomInt } from './seededRandom';

export type SyntheticLanguage = 'typescript' | 'javascript' | 'python' | 'go' | 'java' | 'rust';

export interface SyntheticOptions {
  readonly files: number;
  readonly seed: number;
}

export interface SyntheticFile {
  /** Workspace-relative path with '/'. */
  readonly path: string;
  readonly text: string;
}

/** Bumped whenever the output changes, so cached workspaces on disk are regenerated. */
export const SYNTHETIC_GENERATOR_VERSION = 1;

const LANGUAGE_SHARES: readonly (readonly [SyntheticLanguage, number])[] = [
  ['typescript', 0.35],
  ['python', 0.2],
  ['go', 0.15],
  ['java', 0.1],
  ['rust', 0.1],
  ['javascript', 0.1],
];

const VERBS = [
  'parse', 'load', 'save', 'build', 'validate', 'compute', 'render', 'fetch', 'merge', 'resolve',
  'update', 'create', 'remove', 'find', 'format', 'normalize', 'encode', 'decode', 'schedule', 'dispatch',
  'register', 'apply', 'collect', 'filter', 'sort', 'transform', 'sync', 'flush', 'retry', 'open',
  'close', 'split', 'join', 'measure', 'estimate', 'reconcile', 'publish', 'subscribe', 'refresh', 'archive',
] as const;
const NOUNS = [
  'user', 'order', 'invoice', 'config', 'cache', 'session', 'token', 'payment', 'account', 'report',
  'event', 'message', 'queue', 'worker', 'request', 'response', 'record', 'schema', 'index', 'query',
  'document', 'profile', 'address', 'product', 'cart', 'ledger', 'metric', 'budget', 'policy', 'permission',
  'route', 'template', 'snapshot', 'batch', 'chunk', 'buffer', 'stream', 'channel', 'node', 'graph',
  'edge', 'vertex', 'entry', 'item', 'tenant', 'shipment', 'coupon', 'refund', 'audit', 'webhook',
] as const;
const QUALIFIERS = ['pending', 'cached', 'remote', 'local', 'default', 'partial', 'total', 'active', 'stale', 'batched'] as const;
const CLASS_SUFFIXES = ['Store', 'Service', 'Client', 'Manager', 'Registry', 'Builder', 'Cache', 'Handler', 'Queue', 'Tracker'] as const;
const INTERFACE_SUFFIXES = ['Options', 'Spec', 'Shape', 'Settings', 'Source', 'Sink'] as const;
const MODULE_SUFFIXES = ['service', 'store', 'utils', 'handler', 'client', 'model', 'rules', 'mapper', 'policy', 'jobs'] as const;
const CONST_SUFFIXES = ['limit', 'timeout', 'retries', 'size', 'version', 'threshold'] as const;
const DOC_TAILS = [
  'and returns the updated value',
  'for the current tenant',
  'before it is written to the ledger',
  'using the cached lookup table',
  'so that retries stay idempotent',
  'while keeping the original order',
  'and reports how many entries changed',
  'when the previous attempt failed',
] as const;

type Words = readonly string[];
type DefKind = 'function' | 'class' | 'interface' | 'const';

interface DefPlan {
  readonly kind: DefKind;
  readonly words: Words;
  readonly exported: boolean;
  readonly params: readonly Words[];
  readonly methods: readonly Words[];
  readonly doc: string | undefined;
}

interface PackagePlan {
  readonly language: SyntheticLanguage;
  readonly name: string;
}

interface FilePlan {
  readonly index: number;
  readonly language: SyntheticLanguage;
  readonly pkg: PackagePlan;
  readonly moduleWords: Words;
  readonly path: string;
  readonly defs: readonly DefPlan[];
  readonly deps: readonly number[];
}

// ---- naming ---------------------------------------------------------------------------------------

const cap = (w: string): string => w.charAt(0).toUpperCase() + w.slice(1);
const camel = (ws: Words): string => ws.map((w, i) => (i === 0 ? w : cap(w))).join('');
const pascal = (ws: Words): string => ws.map(cap).join('');
const snake = (ws: Words): string => ws.join('_');
const upper = (ws: Words): string => ws.join('_').toUpperCase();

function functionName(lang: SyntheticLanguage, def: DefPlan): string {
  switch (lang) {
    case 'python':
      return (def.exported ? '' : '_') + snake(def.words);
    case 'rust':
      return snake(def.words);
    case 'go':
      return def.exported ? pascal(def.words) : camel(def.words);
    default:
      return camel(def.words);
  }
}

function memberName(lang: SyntheticLanguage, ws: Words): string {
  if (lang === 'python' || lang === 'rust') return snake(ws);
  if (lang === 'go') return pascal(ws);
  return camel(ws);
}

function constName(lang: SyntheticLanguage, ws: Words): string {
  return lang === 'go' ? pascal(ws) : upper(ws);
}

function paramName(lang: SyntheticLanguage, ws: Words): string {
  return lang === 'python' || lang === 'rust' ? snake(ws) : camel(ws);
}

function defName(lang: SyntheticLanguage, def: DefPlan): string {
  if (def.kind === 'function') return functionName(lang, def);
  if (def.kind === 'const') return constName(lang, def.words);
  return pascal(def.words);
}

function moduleFileName(lang: SyntheticLanguage, ws: Words): string {
  switch (lang) {
    case 'typescript':
      return `${camel(ws)}.ts`;
    case 'javascript':
      return `${camel(ws)}.js`;
    case 'python':
      return `${snake(ws)}.py`;
    case 'go':
      return `${snake(ws)}.go`;
    case 'java':
      return `${pascal(ws)}.java`;
    case 'rust':
      return `${snake(ws)}.rs`;
  }
}

function packageDir(pkg: PackagePlan): string {
  switch (pkg.language) {
    case 'typescript':
      return `ts/src/${pkg.name}`;
    case 'javascript':
      return `js/lib/${pkg.name}`;
    case 'python':
      return `py/app/${pkg.name}`;
    case 'go':
      return `go/${pkg.name}`;
    case 'java':
      return `java/src/main/java/com/synth/${pkg.name}`;
    case 'rust':
      return `rust/src/${pkg.name}`;
  }
}

// ---- planning -------------------------------------------------------------------------------------

function thirdPerson(verb: string): string {
  if (/[^aeiou]y$/.test(verb)) return `${verb.slice(0, -1)}ies`;
  if (/(s|x|sh|ch)$/.test(verb)) return `${verb}es`;
  return `${verb}s`;
}

function docSentence(random: Random, words: Words, kind: DefKind): string {
  const subject = words.slice(kind === 'function' ? 1 : 0).join(' ');
  if (kind === 'function') {
    return `${cap(thirdPerson(words[0] ?? 'handle'))} the ${subject} ${pick(random, DOC_TAILS)}.`;
  }
  if (kind === 'class') return `Keeps track of ${subject} state ${pick(random, DOC_TAILS)}.`;
  if (kind === 'interface') return `Describes the ${subject} contract used ${pick(random, DOC_TAILS)}.`;
  return `The ${subject} applied ${pick(random, DOC_TAILS)}.`;
}

function planDefs(random: Random, lang: SyntheticLanguage, taken: Set<string>): DefPlan[] {
  const defs: DefPlan[] = [];
  const unique = (kind: DefKind, make: () => Words, exported: boolean): Words | undefined => {
    for (let attempt = 0; attempt < 8; attempt++) {
      const words = make();
      const probe: DefPlan = { kind, words, exported, params: [], methods: [], doc: undefined };
      const name = defName(lang, probe).replace(/^_/, '');
      if (!taken.has(name)) {
        taken.add(name);
        return words;
      }
    }
    return undefined;
  };
  const add = (kind: DefKind, make: () => Words, exported: boolean, methods: readonly Words[] = []): void => {
    const words = unique(kind, make, exported);
    if (!words) return;
    const params = Array.from({ length: randomInt(random, 1, 3) }, () => [pick(random, NOUNS)]);
    const distinct = params.filter((p, i) => params.findIndex((q) => q[0] === p[0]) === i);
    const doc = random() < 0.65 ? docSentence(random, words, kind) : undefined;
    defs.push({ kind, words, exported, params: distinct, methods, doc });
  };

  const big = random() < 0.04;
  const functions = big ? randomInt(random, 30, 60) : Math.min(randomInt(random, 1, 12), randomInt(random, 1, 12));
  for (let i = 0; i < randomInt(random, 0, 3); i++) {
    add('const', () => [pick(random, NOUNS), pick(random, CONST_SUFFIXES)], true);
  }
  for (let i = 0; i < randomInt(random, 0, 2); i++) {
    add('interface', () => [pick(random, NOUNS), pick(random, INTERFACE_SUFFIXES).toLowerCase()], true);
  }
  for (let i = 0; i < randomInt(random, 0, 2); i++) {
    const methodCount = randomInt(random, 1, 4);
    const methods: Words[] = [];
    for (let m = 0; m < methodCount; m++) {
      const w = [pick(random, VERBS), pick(random, NOUNS)];
      if (!methods.some((x) => x.join() === w.join())) methods.push(w);
    }
    add('class', () => [pick(random, NOUNS), pick(random, CLASS_SUFFIXES).toLowerCase()], true, methods);
  }
  for (let i = 0; i < functions; i++) {
    add(
      'function',
      () => (random() < 0.3 ? [pick(random, VERBS), pick(random, QUALIFIERS), pick(random, NOUNS)] : [pick(random, VERBS), pick(random, NOUNS)]),
      random() < 0.8,
    );
  }
  return defs;
}

function planWorkspace(options: SyntheticOptions): FilePlan[] {
  const random = createSeededRandom(options.seed);
  const counts = LANGUAGE_SHARES.map(([lang, share]) => [lang, Math.floor(options.files * share)] as const);
  const assigned = counts.reduce((s, [, n]) => s + n, 0);
  const first = counts[0];
  if (first) counts[0] = [first[0], first[1] + options.files - assigned];

  const plans: FilePlan[] = [];
  for (const [language, count] of counts) {
    const languageFiles: number[] = [];
    let pkgIndex = 0;
    let remaining = count;
    while (remaining > 0) {
      const size = Math.min(remaining, randomInt(random, 8, 40));
      const pkg: PackagePlan = { language, name: `${pick(random, NOUNS)}${pkgIndex++}` };
      const moduleNames = new Set<string>();
      const packageNames = new Set<string>(); // Go shares one namespace per package
      const packageFiles: number[] = [];
      for (let i = 0; i < size; i++) {
        let moduleWords: Words = [pick(random, NOUNS), pick(random, MODULE_SUFFIXES)];
        let fileName = moduleFileName(language, moduleWords);
        for (let n = 2; moduleNames.has(fileName); n++) {
          moduleWords = [...moduleWords.slice(0, 2), String(n)];
          fileName = moduleFileName(language, moduleWords);
        }
        moduleNames.add(fileName);
        const taken = language === 'go' ? packageNames : new Set<string>();
        if (language === 'java') taken.add(pascal(moduleWords));
        const index = plans.length;
        plans.push({
          index,
          language,
          pkg,
          moduleWords,
          path: `${packageDir(pkg)}/${fileName}`,
          defs: planDefs(random, language, taken),
          deps: [],
        });
        packageFiles.push(index);
        languageFiles.push(index);
      }
      remaining -= size;
      // Dependencies within the package are chosen once all its files exist.
      for (const index of packageFiles) {
        const plan = plans[index] as FilePlan;
        const deps = new Set<number>();
        const wanted = randomInt(random, 0, 6);
        for (let d = 0; d < wanted; d++) {
          // Same package most of the time; otherwise a hub-biased pick among earlier files of the language.
          const candidate =
            random() < 0.6 || languageFiles.length <= packageFiles.length
              ? pick(random, packageFiles)
              : (languageFiles[Math.floor(Math.pow(random(), 2.5) * (languageFiles.length - packageFiles.length))] as number);
          if (candidate !== index && plans[candidate]?.defs.some((x) => x.exported && (x.kind === 'function' || x.kind === 'class'))) {
            deps.add(candidate);
          }
        }
        plans[index] = { ...plan, deps: [...deps].sort((a, b) => a - b) };
      }
    }
  }
  return plans;
}

// ---- bodies ---------------------------------------------------------------------------------------

interface Callee {
  readonly file: FilePlan;
  readonly def: DefPlan;
  /** Whether the callee lives in another file (needs an import / qualifier). */
  readonly external: boolean;
}

type Stmt =
  | { readonly t: 'let'; readonly name: string; readonly call: Call }
  | { readonly t: 'if'; readonly left: string; readonly right: string; readonly body: readonly Stmt[] }
  | { readonly t: 'loop'; readonly item: string; readonly a: string; readonly b: string; readonly body: readonly Stmt[] }
  | { readonly t: 'ret'; readonly value: string };

interface Call {
  readonly callee: Callee;
  readonly method: Words | undefined;
  readonly args: readonly string[];
}

function makeBody(random: Random, lang: SyntheticLanguage, callees: readonly Callee[], params: readonly string[], big: boolean): Stmt[] {
  const vars = [...params];
  let fresh = 0;
  const newVar = (): string => {
    const ws = [pick(random, NOUNS), 'value', String(fresh++)];
    return paramName(lang, ws);
  };
  const arg = (): string => (random() < 0.8 && vars.length > 0 ? pick(random, vars) : String(randomInt(random, 0, 99)));
  const call = (): Call => {
    const callee = pick(random, callees);
    const arity = callee.def.kind === 'class' ? 1 : callee.def.params.length;
    return {
      callee,
      method: callee.def.kind === 'class' ? pick(random, callee.def.methods) : undefined,
      args: Array.from({ length: arity }, arg),
    };
  };
  const block = (depth: number, count: number): Stmt[] => {
    const out: Stmt[] = [];
    for (let i = 0; i < count; i++) {
      const r = random();
      if (depth < 2 && r < 0.15 && vars.length > 0) {
        out.push({ t: 'if', left: pick(random, vars), right: arg(), body: block(depth + 1, randomInt(random, 1, 2)) });
      } else if (depth < 2 && r < 0.25 && vars.length > 0) {
        const item = paramName(lang, ['item', String(fresh++)]);
        const a = pick(random, vars);
        const b = arg();
        vars.push(item);
        out.push({ t: 'loop', item, a, b, body: block(depth + 1, randomInt(random, 1, 2)) });
        vars.pop();
      } else {
        const name = newVar();
        out.push({ t: 'let', name, call: call() });
        if (depth === 0) vars.push(name);
      }
    }
    return out;
  };
  const stmts = block(0, big ? randomInt(random, 6, 24) : Math.min(randomInt(random, 1, 10), randomInt(random, 1, 10)));
  stmts.push({ t: 'ret', value: vars.length > 0 ? pick(random, vars.slice(-3)) : '0' });
  return stmts;
}

// ---- rendering ------------------------------------------------------------------------------------

interface Syntax {
  readonly indent: string;
  header(file: FilePlan, imports: ReadonlyMap<FilePlan, DefPlan[]>): string[];
  doc(text: string, indent: string): string[];
  constDef(name: string, value: number, exported: boolean): string[];
  interfaceDef(name: string, fields: readonly string[], methods: readonly Words[]): string[];
  classOpen(name: string, exported: boolean): string[];
  classClose(name: string): string[];
  functionOpen(name: string, params: readonly string[], exported: boolean, owner: string | undefined): string[];
  functionClose(): string[];
  pythonDocInside: boolean;
  stmt(s: Stmt, indent: string, file: FilePlan): string[];
}

function callText(lang: SyntheticLanguage, c: Call, file: FilePlan): string {
  const name = defName(lang, c.callee.def);
  const args = c.args.join(', ');
  const target = c.callee.file;
  let qualified = name;
  if (c.callee.external && lang === 'go' && target.pkg !== file.pkg) qualified = `${target.pkg.name}.${name}`;
  if (c.callee.external && lang === 'java') qualified = `${pascal(target.moduleWords)}.${name}`;
  if (c.callee.def.kind !== 'class') return `${qualified}(${args})`;
  const method = memberName(lang, c.method ?? ['run']);
  switch (lang) {
    case 'typescript':
    case 'javascript':
    case 'java':
      return `new ${qualified}(${args}).${method}(${args})`;
    case 'python':
      return `${qualified}(${args}).${method}(${args})`;
    case 'go':
      return `(&${qualified}{}).${method}(${args})`;
    case 'rust':
      return `${qualified}::new(${args}).${method}(${args})`;
  }
}

function cStyleStmt(
  s: Stmt,
  indent: string,
  step: string,
  lang: SyntheticLanguage,
  file: FilePlan,
  decl: (name: string, value: string) => string,
  loop: (item: string, a: string, b: string) => string,
  ret: (v: string) => string,
): string[] {
  switch (s.t) {
    case 'let':
      return [indent + decl(s.name, callText(lang, s.call, file))];
    case 'if':
      return [
        `${indent}if ${lang === 'go' || lang === 'rust' ? `${s.left} > ${s.right}` : `(${s.left} > ${s.right})`} {`,
        ...s.body.flatMap((b) => cStyleStmt(b, indent + step, step, lang, file, decl, loop, ret)),
        `${indent}}`,
      ];
    case 'loop':
      return [
        `${indent}${loop(s.item, s.a, s.b)} {`,
        ...s.body.flatMap((b) => cStyleStmt(b, indent + step, step, lang, file, decl, loop, ret)),
        `${indent}}`,
      ];
    case 'ret':
      return [indent + ret(s.value)];
  }
}

function relativeImport(from: FilePlan, to: FilePlan, keepJsExtension: boolean): string {
  let rel = path.posix.relative(path.posix.dirname(from.path), to.path).replace(/\.(ts|js)$/, keepJsExtension ? '.js' : '');
  if (!rel.startsWith('.')) rel = `./${rel}`;
  return rel;
}

function jsLikeSyntax(lang: 'typescript' | 'javascript'): Syntax {
  const typed = lang === 'typescript';
  const t = (s: string): string => (typed ? s : '');
  return {
    indent: '  ',
    pythonDocInside: false,
    header: (file, imports) =>
      [...imports].map(([dep, defs]) => `import { ${defs.map((d) => defName(lang, d)).join(', ')} } from '${relativeImport(file, dep, !typed)}';`),
    doc: (text, indent) => [`${indent}/**`, `${indent} * ${text}`, `${indent} */`],
    constDef: (name, value, exported) => [`${exported ? 'export ' : ''}const ${name}${t(': number')} = ${value};`],
    interfaceDef: (name, fields, methods) =>
      typed
        ? [`export interface ${name} {`, ...fields.map((f) => `  readonly ${f}: string;`), ...methods.map((m) => `  ${camel(m)}(value: number): number;`), '}']
        : [`export const ${name} = Object.freeze({ ${fields.map((f) => `${f}: ''`).join(', ')} });`],
    classOpen: (name, exported) => [
      `${exported ? 'export ' : ''}class ${name} {`,
      `  ${t('private readonly ')}entries${t(': number[]')} = [];`,
      '',
      `  constructor(${t('private readonly ')}label${t(': number')}) {${typed ? '' : ' this.label = label; '}}`,
    ],
    classClose: () => ['}'],
    functionOpen: (name, params, exported, owner) => {
      const ps = params.map((p) => `${p}${t(': number')}`).join(', ');
      return owner ? [`  ${name}(${ps})${t(': number')} {`] : [`${exported ? 'export ' : ''}function ${name}(${ps})${t(': number')} {`];
    },
    functionClose: () => ['}'],
    stmt: (s, indent, file) =>
      cStyleStmt(
        s,
        indent,
        '  ',
        lang,
        file,
        (n, v) => `const ${n} = ${v};`,
        (item, a, b) => `for (const ${item} of [${a}, ${b}])`,
        (v) => `return ${v};`,
      ),
  };
}

const pythonSyntax: Syntax = {
  indent: '    ',
  pythonDocInside: true,
  header: (_file, imports) =>
    [...imports].map(([dep, defs]) => {
      const mod = dep.path.replace(/^py\//, '').replace(/\.py$/, '').split('/').join('.');
      return `from ${mod} import ${defs.map((d) => defName('python', d)).join(', ')}`;
    }),
  doc: (text, indent) => [`${indent}"""${text}"""`],
  constDef: (name, value) => [`${name} = ${value}`],
  interfaceDef: (name, fields, methods) => [
    `class ${name}(Protocol):`,
    ...fields.map((f) => `    ${f}: str`),
    ...methods.map((m) => `    def ${snake(m)}(self, value: int) -> int: ...`),
    ...(fields.length + methods.length === 0 ? ['    pass'] : []),
  ],
  classOpen: (name) => [`class ${name}:`, '    def __init__(self, label):', '        self.label = label', '        self.entries = []'],
  classClose: () => [],
  functionOpen: (name, params, _exported, owner) =>
    owner ? [`    def ${name}(self, ${params.join(', ')}):`] : [`def ${name}(${params.join(', ')}):`],
  functionClose: () => [],
  stmt: function pyStmt(s: Stmt, indent: string, file: FilePlan): string[] {
    switch (s.t) {
      case 'let':
        return [`${indent}${s.name} = ${callText('python', s.call, file)}`];
      case 'if':
        return [`${indent}if ${s.left} > ${s.right}:`, ...s.body.flatMap((b) => pyStmt(b, indent + '    ', file))];
      case 'loop':
        return [`${indent}for ${s.item} in (${s.a}, ${s.b}):`, ...s.body.flatMap((b) => pyStmt(b, indent + '    ', file))];
      case 'ret':
        return [`${indent}return ${s.value}`];
    }
  },
};

const goSyntax: Syntax = {
  indent: '\t',
  pythonDocInside: false,
  header: (file, imports) => {
    const pkgs = [...new Set([...imports.keys()].filter((d) => d.pkg !== file.pkg).map((d) => d.pkg.name))].sort();
    const head = [`package ${file.pkg.name}`];
    if (pkgs.length > 0) head.push('', 'import (', ...pkgs.map((p) => `\t"synth.example/ws/go/${p}"`), ')');
    return head;
  },
  doc: (text, indent) => [`${indent}// ${text}`],
  constDef: (name, value) => [`const ${name} = ${value}`],
  interfaceDef: (name, fields, methods) => [
    `type ${name} interface {`,
    ...methods.map((m) => `\t${pascal(m)}(value int) int`),
    ...fields.map((f) => `\t${pascal([f])}() string`),
    '}',
  ],
  classOpen: (name) => [`type ${name} struct {`, '\tlabel   int', '\tentries []int', '}'],
  classClose: () => [],
  functionOpen: (name, params, _exported, owner) => {
    const ps = params.map((p) => `${p} int`).join(', ');
    return owner ? [`func (s *${owner}) ${name}(${ps}) int {`] : [`func ${name}(${ps}) int {`];
  },
  functionClose: () => ['}'],
  stmt: (s, indent, file) =>
    cStyleStmt(
      s,
      indent,
      '\t',
      'go',
      file,
      (n, v) => `${n} := ${v}`,
      (item, a, b) => `for _, ${item} := range []int{${a}, ${b}}`,
      (v) => `return ${v}`,
    ),
};

const javaSyntax: Syntax = {
  indent: '    ',
  pythonDocInside: false,
  header: (file, imports) => {
    const head = [`package com.synth.${file.pkg.name};`];
    const others = [...imports.keys()].filter((d) => d.pkg !== file.pkg);
    if (others.length > 0) head.push('', ...others.map((d) => `import com.synth.${d.pkg.name}.${pascal(d.moduleWords)};`));
    return head;
  },
  doc: (text, indent) => [`${indent}/**`, `${indent} * ${text}`, `${indent} */`],
  constDef: (name, value, exported) => [`    ${exported ? 'public' : 'private'} static final int ${name} = ${value};`],
  interfaceDef: (name, fields, methods) => [
    `    public interface ${name} {`,
    ...methods.map((m) => `        int ${camel(m)}(int value);`),
    ...fields.map((f) => `        String ${f}();`),
    '    }',
  ],
  classOpen: (name) => [
    `    public static class ${name} {`,
    '        private final int label;',
    '',
    `        public ${name}(int label) {`,
    '            this.label = label;',
    '        }',
  ],
  classClose: () => ['    }'],
  functionOpen: (name, params, exported, owner) => {
    const ps = params.map((p) => `int ${p}`).join(', ');
    return owner ? [`        public int ${name}(${ps}) {`] : [`    ${exported ? 'public' : 'private'} static int ${name}(${ps}) {`];
  },
  functionClose: () => ['}'],
  stmt: (s, indent, file) =>
    cStyleStmt(
      s,
      indent,
      '    ',
      'java',
      file,
      (n, v) => `int ${n} = ${v};`,
      (item, a, b) => `for (int ${item} : new int[] {${a}, ${b}})`,
      (v) => `return ${v};`,
    ),
};

const rustSyntax: Syntax = {
  indent: '    ',
  pythonDocInside: false,
  header: (_file, imports) =>
    [...imports].map(([dep, defs]) => {
      const mod = dep.path.replace(/^rust\/src\//, '').replace(/\.rs$/, '').split('/').join('::');
      const names = defs.map((d) => defName('rust', d));
      return `use crate::${mod}::${names.length === 1 ? names[0] : `{${names.join(', ')}}`};`;
    }),
  doc: (text, indent) => [`${indent}/// ${text}`],
  constDef: (name, value, exported) => [`${exported ? 'pub ' : ''}const ${name}: i64 = ${value};`],
  interfaceDef: (name, fields, methods) => [
    `pub trait ${name} {`,
    ...methods.map((m) => `    fn ${snake(m)}(&self, value: i64) -> i64;`),
    ...fields.map((f) => `    fn ${f}(&self) -> String;`),
    '}',
  ],
  classOpen: (name) => [
    `pub struct ${name} {`,
    '    label: i64,',
    '    entries: Vec<i64>,',
    '}',
    '',
    `impl ${name} {`,
    '    pub fn new(label: i64) -> Self {',
    '        Self { label, entries: Vec::new() }',
    '    }',
  ],
  classClose: () => ['}'],
  functionOpen: (name, params, exported, owner) => {
    const ps = params.map((p) => `${p}: i64`).join(', ');
    return owner ? [`    pub fn ${name}(&self, ${ps}) -> i64 {`] : [`${exported ? 'pub ' : ''}fn ${name}(${ps}) -> i64 {`];
  },
  functionClose: () => ['}'],
  stmt: (s, indent, file) =>
    cStyleStmt(
      s,
      indent,
      '    ',
      'rust',
      file,
      (n, v) => `let ${n} = ${v};`,
      (item, a, b) => `for ${item} in [${a}, ${b}]`,
      (v) => v,
    ),
};

const SYNTAX: Record<SyntheticLanguage, Syntax> = {
  typescript: jsLikeSyntax('typescript'),
  javascript: jsLikeSyntax('javascript'),
  python: pythonSyntax,
  go: goSyntax,
  java: javaSyntax,
  rust: rustSyntax,
};

function renderFile(plans: readonly FilePlan[], file: FilePlan, seed: number): string {
  const random = createSeededRandom(mixSeed(seed, file.index));
  const lang = file.language;
  const syntax = SYNTAX[lang];

  // What this file uses from each dependency.
  const imports = new Map<FilePlan, DefPlan[]>();
  for (const depIndex of file.deps) {
    const dep = plans[depIndex];
    if (!dep) continue;
    const usable = dep.defs.filter((d) => d.exported && (d.kind === 'function' || d.kind === 'class'));
    const chosen = new Set<DefPlan>();
    const wanted = randomInt(random, 1, Math.min(4, usable.length));
    while (chosen.size < wanted) chosen.add(pick(random, usable));
    imports.set(dep, usable.filter((d) => chosen.has(d)));
  }
  const localFunctions = file.defs.filter((d) => d.kind === 'function');
  const callees: Callee[] = [
    ...localFunctions.map((def) => ({ file, def, external: false })),
    ...[...imports].flatMap(([dep, defs]) => defs.map((def) => ({ file: dep, def, external: true }))),
  ];
  // Same-package Go files see each other without imports: drop those from the header.
  const headerImports = lang === 'go' ? new Map([...imports].filter(([dep]) => dep.pkg !== file.pkg)) : imports;
  const lines: string[] = [...syntax.header(file, headerImports)];
  if (lang === 'python' && file.defs.some((d) => d.kind === 'interface')) lines.unshift('from typing import Protocol', '');
  const big = file.defs.length > 30;
  const javaClass = pascal(file.moduleWords);
  const memberIndent = lang === 'java' ? '    ' : '';
  if (lang === 'java') lines.push('', `/** ${cap(file.moduleWords.join(' '))} operations. */`, `public final class ${javaClass} {`);

  const emitFunction = (def: DefPlan, name: string, owner: string | undefined, baseIndent: string): void => {
    const params = def.params.map((p) => paramName(lang, p));
    const doc = def.doc;
    if (doc && !syntax.pythonDocInside) lines.push(...syntax.doc(doc, baseIndent));
    lines.push(...syntax.functionOpen(name, params, def.exported, owner));
    const bodyIndent = baseIndent + syntax.indent;
    if (doc && syntax.pythonDocInside) lines.push(...syntax.doc(doc, bodyIndent));
    const body = callees.length > 0 ? makeBody(random, lang, callees, params, big) : [{ t: 'ret', value: params[0] ?? '0' } as const];
    for (const s of body) lines.push(...syntax.stmt(s, bodyIndent, file));
    const close = syntax.functionClose();
    lines.push(...close.map((c) => baseIndent + c));
  };

  // Python documents classes inside the block and constants with a comment; the others above.
  const pushBlock = (block: readonly string[], doc: string | undefined): void => {
    const [head, ...rest] = block;
    if (head === undefined) return;
    if (doc && lang === 'python') lines.push(head, ...syntax.doc(doc, syntax.indent), ...rest);
    else lines.push(...(doc ? syntax.doc(doc, memberIndent) : []), head, ...rest);
  };

  for (const def of file.defs) {
    lines.push('');
    const name = defName(lang, def);
    switch (def.kind) {
      case 'const':
        if (def.doc && lang === 'python') lines.push(`# ${def.doc}`);
        pushBlock(syntax.constDef(name, randomInt(random, 1, 5000), def.exported), lang === 'python' ? undefined : def.doc);
        break;
      case 'interface': {
        const fields = def.params.map((p) => paramName(lang, [...p, 'id']));
        pushBlock(syntax.interfaceDef(name, fields, [[pick(random, VERBS), def.words[0] ?? 'item']]), def.doc);
        break;
      }
      case 'class': {
        pushBlock(syntax.classOpen(name, def.exported), def.doc);
        const methodIndent = lang === 'java' ? '        ' : lang === 'go' ? '' : syntax.indent;
        for (const m of def.methods) {
          lines.push('');
          const methodDef: DefPlan = {
            ...def,
            kind: 'function',
            words: m,
            params: [...new Set(Array.from({ length: randomInt(random, 1, 2) }, () => pick(random, NOUNS)))].map((n) => [n]),
            doc: random() < 0.5 ? docSentence(random, m, 'function') : undefined,
          };
          emitFunction(methodDef, memberName(lang, m), name, methodIndent);
        }
        lines.push(...syntax.classClose(name));
        break;
      }
      case 'function':
        emitFunction(def, name, undefined, memberIndent);
        break;
    }
  }
  if (lang === 'java') lines.push('}');
  lines.push('');
  return lines.join('\n');
}

/** The workspace's files in a fixed order; the same options always yield the same paths and texts. */
export function* generateSyntheticWorkspace(options: SyntheticOptions): Generator<SyntheticFile> {
  if (!Number.isInteger(options.files) || options.files < 1) throw new Error(`files must be a positive integer, got ${options.files}`);
  const plans = planWorkspace(options);
  for (const plan of plans) yield { path: plan.path, text: renderFile(plans, plan, options.seed) };
}
