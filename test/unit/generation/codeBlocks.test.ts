import assert from 'node:assert/strict';
import { blockFitsLanguage, parseAnswer } from '../../../src/core/generation/codeBlocks';

describe('parseAnswer (code blocks from markdown)', () => {
  it('splits fenced blocks with their language from the explanation', () => {
    const md = 'Here is the function.\n\n```ts\nexport const a = 1;\n```\n\nAnd a test:\n\n~~~python\nassert f() == 1\n~~~\nDone.';
    const p = parseAnswer(md);
    assert.deepEqual(p.codeBlocks, [
      { language: 'typescript', code: 'export const a = 1;\n', complete: true },
      { language: 'python', code: 'assert f() == 1\n', complete: true },
    ]);
    assert.equal(p.explanation, 'Here is the function.\n\nAnd a test:\n\nDone.');
  });

  it('keeps inner shorter fences inside a longer fence and handles a block without language', () => {
    const md = '````md\n```js\nx\n```\n````\n```\nplain\n```';
    const p = parseAnswer(md);
    assert.equal(p.codeBlocks.length, 2);
    assert.equal(p.codeBlocks[0]?.code, '```js\nx\n```\n');
    assert.equal(p.codeBlocks[0]?.language, 'md');
    assert.deepEqual(p.codeBlocks[1], { language: '', code: 'plain\n', complete: true });
    assert.equal(p.explanation, '');
  });

  it('returns an unclosed final block as incomplete (a cut-off answer)', () => {
    const p = parseAnswer('Start:\n```go\nfunc main() {\n');
    assert.deepEqual(p.codeBlocks, [{ language: 'go', code: 'func main() {\n', complete: false }]);
    assert.equal(p.explanation, 'Start:');
  });

  it('does not treat a fence of the other character as closing, and reads CRLF', () => {
    const p = parseAnswer('```rust\r\nlet a = 1;\r\n~~~\r\n```\r\nafter');
    assert.equal(p.codeBlocks[0]?.code, 'let a = 1;\n~~~\n');
    assert.equal(p.explanation, 'after');
  });

  it('opens a ~~~ fence whose info string holds a backtick (CommonMark allows it there), not a ``` one', () => {
    const p = parseAnswer('~~~js `title`\nlet a;\n~~~\nDone.');
    assert.deepEqual(p.codeBlocks, [{ language: 'javascript', code: 'let a;\n', complete: true }]);
    assert.equal(p.explanation, 'Done.');
    // (A backtick run with a backtick after it is inline code in a paragraph, no fence.)
    const q = parseAnswer('```js `title`\nlet a;\n```py\nx\n```');
    assert.deepEqual(q.codeBlocks, [{ language: 'python', code: 'x\n', complete: true }]);
    assert.equal(q.explanation, '```js `title`\nlet a;');
  });

  it('reads a long line that starts like a fence in linear time (no backtracking through it)', () => {
    const line = `\`\`\`${'a'.repeat(40_000)}\``;
    const started = performance.now();
    const p = parseAnswer(`${line}\n~~~${'b'.repeat(40_000)}\nx\n~~~`);
    assert.ok(performance.now() - started < 1000, `took ${Math.round(performance.now() - started)} ms`);
    assert.equal(p.codeBlocks.length, 1);
    assert.equal(p.explanation, line);
  });

  it("takes an indented fence's indentation off its lines, as far as they have it (a fix inside a list item)", () => {
    const p = parseAnswer('1. Replace it:\n   ```python\n   def f():\n       return 0\n  # two\n\n   ```\n2. Run it.');
    assert.deepEqual(p.codeBlocks, [{ language: 'python', code: 'def f():\n    return 0\n# two\n\n', complete: true }]);
    assert.equal(p.explanation, '1. Replace it:\n2. Run it.');
    // A fence at the margin keeps its lines as they are; so does a cut-off indented one, as far as it came.
    assert.equal(parseAnswer('```py\n   x = 1\n```').codeBlocks[0]?.code, '   x = 1\n');
    assert.deepEqual(parseAnswer(' ~~~go\n  if x {\n').codeBlocks, [{ language: 'go', code: ' if x {\n', complete: false }]);
  });

  it('finds a fence indented 4 or more inside a nested list item, closed at its own indent, and none outside a list', () => {
    const md = '- Update the helper:\n  - in `util.ts`:\n\n    ```ts\n    export const a = 1;\n      // kept\n    ```\n\n  - done\nThen run it.';
    const p = parseAnswer(md);
    assert.deepEqual(p.codeBlocks, [{ language: 'typescript', code: 'export const a = 1;\n  // kept\n', complete: true }]);
    assert.equal(p.explanation, '- Update the helper:\n  - in `util.ts`:\n\n  - done\nThen run it.');
    // Numbered items and cut-off answers too.
    assert.deepEqual(parseAnswer('1) First:\n     ```py\n     x = 1\n').codeBlocks, [{ language: 'python', code: 'x = 1\n', complete: false }]);
    // Out of the list (prose at the margin ended it), a line indented 4 is an indented code block's: no fence.
    const outside = parseAnswer('- item\nPlain text.\n\n    ```ts\n    code\n    ```');
    assert.deepEqual(outside.codeBlocks, []);
    // A fence line indented more than 3 past the opening one is the code's, not the block's end.
    assert.deepEqual(parseAnswer('- a\n```md\n    ```\nx\n```').codeBlocks, [{ language: 'md', code: '    ```\nx\n', complete: true }]);
    // Outside a list a closing fence is indented 3 at most, whatever the opening's indent (CommonMark).
    assert.deepEqual(parseAnswer('Use:\n  ```\n  x\n    ```\n  ```\n').codeBlocks, [{ language: '', code: 'x\n  ```\n', complete: true }]);
  });

  it('reads short tags as their language (ts is typescript) and any other tag as written, a name of Object.prototype too', () => {
    const language = (tag: string): unknown => parseAnswer(`\`\`\`${tag}\nx\n\`\`\``).codeBlocks[0]?.language;
    assert.deepEqual(['ts', 'bash', 'golang', 'tsx', 'yml', 'constructor', 'toString', '__proto__'].map(language), ['typescript', 'shell', 'go', 'tsx', 'yml', 'constructor', 'tostring', '__proto__']);
  });

  it("leaves a reasoning model's leading <think>…</think> out: its drafts are no code blocks, its thoughts no explanation", () => {
    const p = parseAnswer('<think>\nmaybe:\n```typescript\nconst total = "0" as any;\n```\nno.\n</think>\n\n```typescript\nconst total: number = 0;\n```\nFixed.');
    assert.deepEqual(p.codeBlocks, [{ language: 'typescript', code: 'const total: number = 0;\n', complete: true }]);
    assert.equal(p.explanation, 'Fixed.');
    // Cut off while still thinking: nothing is the answer yet.
    assert.deepEqual(parseAnswer('  <think>\nfirst:\n```ts\nlet a = 1;\n```\nhmm').codeBlocks, []);
    // Only at the start: a <think> the answer mentions later is its text.
    const later = parseAnswer('Use the tag:\n```html\n<think>x</think>\n```\n');
    assert.equal(later.codeBlocks[0]?.code, '<think>x</think>\n');
  });
});

describe('blockFitsLanguage (a code block for a document of a VS Code language)', () => {
  it('matches aliases and language ids of one language, an untagged block to any, and nothing else', () => {
    const lang = (tag: string): string => parseAnswer(`\`\`\`${tag}\nx\n\`\`\``).codeBlocks[0]?.language ?? '';
    for (const [tag, id] of [['ts', 'typescript'], ['typescript', 'typescript'], ['tsx', 'typescriptreact'], ['TypeScript', 'typescript'], ['js', 'javascript'], ['jsx', 'javascriptreact'], ['py', 'python'], ['python3', 'python'], ['bash', 'shellscript'], ['sh', 'shellscript'], ['rs', 'rust'], ['golang', 'go'], ['c#', 'csharp'], ['c++', 'cpp'], ['yml', 'yaml'], ['java', 'java'], ['', 'typescript'], ['text', 'python']]) {
      assert.ok(blockFitsLanguage(lang(tag ?? ''), id ?? ''), `${tag} in ${id}`);
    }
    for (const [tag, id] of [['bash', 'typescript'], ['shell', 'typescript'], ['json', 'typescript'], ['diff', 'python'], ['js', 'typescript'], ['python', 'javascript'], ['console', 'shellscript']]) {
      assert.ok(!blockFitsLanguage(lang(tag ?? ''), id ?? ''), `${tag} not in ${id}`);
    }
  });

  it('fits JSON blocks to JSON-with-comments files, YAML to compose files, HTML to Vue templates, and reads ```ts:src/a.ts as ts', () => {
    const lang = (tag: string): string => parseAnswer(`\`\`\`${tag}\nx\n\`\`\``).codeBlocks[0]?.language ?? '';
    const fitting: [string, string][] = [['json', 'jsonc'], ['jsonc', 'json'], ['json5', 'jsonc'], ['json', 'jsonl'], ['yaml', 'dockercompose'], ['yml', 'dockercompose'], ['yaml', 'github-actions-workflow'], ['html', 'vue-html'], ['ts:src/a.ts', 'typescript'], ['json:tsconfig.json', 'jsonc']];
    for (const [tag, id] of fitting) {
      assert.ok(blockFitsLanguage(lang(tag), id), `${tag} in ${id}`);
    }
    assert.equal(lang('ts:src/a.ts'), 'typescript');
    assert.equal(lang(':src/a.ts'), '', 'a file name alone names no language');
    const unfitting: [string, string][] = [['json', 'yaml'], ['yaml', 'json'], ['html', 'vue'], ['json', 'javascript'], ['sh:run.sh', 'typescript']];
    for (const [tag, id] of unfitting) {
      assert.ok(!blockFitsLanguage(lang(tag), id), `${tag} not in ${id}`);
    }
  });

  it("fits the fence tags models write to the VS Code language ids they do not spell out (```hcl to Terraform, ```make to a Makefile, …)", () => {
    const lang = (tag: string): string => parseAnswer(`\`\`\`${tag}\nx\n\`\`\``).codeBlocks[0]?.language ?? '';
    const fitting: [string, string][] = [
      ['hcl', 'terraform'], ['tf', 'terraform'], ['hcl', 'terraform-vars'], ['terraform', 'hcl'],
      ['make', 'makefile'], ['mk', 'makefile'], ['tex', 'latex'], ['latex', 'tex'],
      ['sh', 'shellscript'], ['ps1', 'powershell'], ['pwsh', 'powershell'], ['yml', 'yaml'], ['py', 'python'], ['js', 'javascript'], ['ts', 'typescript'], ['rs', 'rust'],
      ['kt', 'kotlin'], ['cs', 'csharp'], ['c++', 'cpp'], ['objc', 'objective-c'], ['objc++', 'objective-cpp'], ['docker', 'dockerfile'], ['containerfile', 'dockerfile'],
      ['batch', 'bat'], ['cmd', 'bat'], ['gradle', 'groovy'], ['coffee', 'coffeescript'], ['f#', 'fsharp'], ['vbnet', 'vb'], ['hs', 'haskell'], ['clj', 'clojure'],
      ['perl6', 'raku'], ['raku', 'perl6'], ['jade', 'pug'], ['pug', 'jade'], ['cshtml', 'razor'], ['hbs', 'handlebars'], ['patch', 'diff'], ['rst', 'restructuredtext'],
      ['gitignore', 'ignore'], ['postgresql', 'sql'], ['cuda', 'cuda-cpp'], ['xslt', 'xsl'], ['jl', 'julia'], ['erl', 'erlang'], ['bib', 'bibtex'], ['delphi', 'pascal'],
    ];
    for (const [tag, id] of fitting) {
      assert.ok(blockFitsLanguage(lang(tag), id), `${tag} in ${id}`);
    }
    // (Tags as written: the table only says which files they fit.)
    assert.deepEqual(['hcl', 'make', 'tex'].map(lang), ['hcl', 'make', 'tex']);
    const unfitting: [string, string][] = [['hcl', 'json'], ['make', 'shellscript'], ['tex', 'markdown'], ['c', 'cpp'], ['cpp', 'cuda-cpp'], ['objc', 'objective-cpp'], ['perl', 'raku'], ['sql', 'python']];
    for (const [tag, id] of unfitting) {
      assert.ok(!blockFitsLanguage(lang(tag), id), `${tag} not in ${id}`);
    }
  });

  it('fits a ```h block to a header whichever language it is opened as: C++ (VS Code\'s default for .h), C, Objective-C or CUDA', () => {
    const lang = (tag: string): string => parseAnswer(`\`\`\`${tag}\nint f(void);\n\`\`\``).codeBlocks[0]?.language ?? '';
    for (const id of ['cpp', 'c', 'cuda-cpp', 'objective-c', 'objective-cpp']) assert.ok(blockFitsLanguage(lang('h'), id), `h in ${id}`);
    assert.ok(blockFitsLanguage(lang('H'), 'cpp'), 'H in cpp');
    for (const id of ['csharp', 'rust']) assert.ok(!blockFitsLanguage(lang('h'), id), `h not in ${id}`);
    // (C and C++ stay apart otherwise.)
    assert.ok(!blockFitsLanguage(lang('c'), 'cpp'));
    assert.ok(!blockFitsLanguage(lang('cpp'), 'c'));
  });
});
