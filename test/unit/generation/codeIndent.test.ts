import assert from 'node:assert/strict';
import { indentForInsertion } from '../../../src/core/generation/codeIndent';

describe('indentForInsertion', () => {
  const tabs = { insertSpaces: false, tabSize: 4 };
  const spaces = { insertSpaces: true, tabSize: 2 };

  it('indents the lines after the first as the text before the cursor, when that is all whitespace', () => {
    assert.equal(indentForInsertion('a();\nb();\n', '    ', undefined), 'a();\n    b();\n');
  });

  it('after code on the line, indents them as the line is indented', () => {
    assert.equal(indentForInsertion('{\n  b();\n}', '\tif (x) ', undefined), '{\n\t  b();\n\t}');
  });

  it('turns levels of the code\'s spaces into tabs where the editor indents with tabs, a remainder staying spaces', () => {
    assert.equal(indentForInsertion('if (x) {\n  a();\n      b();\n   c();\n}', '', tabs), 'if (x) {\n\ta();\n\t\t\tb();\n\t c();\n}');
  });

  it('turns the code\'s tabs into tabSize spaces where the editor indents with spaces; text after the indentation stays', () => {
    assert.equal(indentForInsertion('f() {\n\treturn "\\t";\n}', '', spaces), 'f() {\n  return "\\t";\n}');
  });

  it('does not indent again code replacing a selection whose own lines carry the indentation (selected from `def`)', () => {
    const selected = 'def f(self):\n        return 1';
    assert.equal(indentForInsertion('def f(self):\n        return 2', '    ', spaces, selected), 'def f(self):\n        return 2');
    // A selection of one line carries none: the model's lines are indented as the line is.
    assert.equal(indentForInsertion('def f(self):\n    return 2', '    ', spaces, 'def f(self): return 1'), 'def f(self):\n        return 2');
  });

  it('gives blank lines no indentation, and leaves code at column 1 as it is', () => {
    assert.equal(indentForInsertion('a();\n\nb();\n', '  ', spaces), 'a();\n\n  b();\n');
    assert.equal(indentForInsertion('a();\nb();', '', tabs), 'a();\nb();');
  });

  describe("takes the code's own common indentation off before indenting it as the line (an answer copied at its place in the file)", () => {
    it('a method answered with the class body\'s 4 spaces on every line goes in once indented, not twice', () => {
      assert.equal(indentForInsertion('    def f(self):\n        return 1\n', '    ', spaces), 'def f(self):\n        return 1\n');
      // (After code on the line too: the first line follows it without the spaces.)
      assert.equal(indentForInsertion('    foo()', 'x = ', spaces), 'foo()');
    });

    it('measures tabs and spaces alike (a tab is tabSize columns), then writes the editor\'s kind', () => {
      // One line in a tab, the other in four spaces: both one level, taken off; the rest is the editor's tabs.
      assert.equal(indentForInsertion('\tif (x) {\n\t\ta();\n    }', '\t', tabs), 'if (x) {\n\t\ta();\n\t}');
      assert.equal(indentForInsertion('\tif (x) {\n\t\ta();\n    }', '  ', { insertSpaces: true, tabSize: 4 }), 'if (x) {\n      a();\n  }');
    });

    it('a first line at column 1 with the rest indented as in the file: the rest lose the indentation the first line lost', () => {
      // The closing bracket at the rest's smallest indentation shows the opener's place.
      assert.equal(indentForInsertion('m() {\n        return 1;\n    }', '    ', spaces), 'm() {\n        return 1;\n    }');
      assert.equal(indentForInsertion('m() {\n            return 1;\n        }', '  ', spaces), 'm() {\n      return 1;\n  }');
      // A comment after the opener is no bracket: `{` is still the line's last (the body went 4 too deep).
      const s4 = { insertSpaces: true, tabSize: 4 };
      assert.equal(indentForInsertion('m() { // fix\n        a();\n    }', '    ', s4), 'm() { // fix\n        a();\n    }');
      assert.equal(indentForInsertion('m() { /* x */\n        a();\n    }', '    ', s4), 'm() { /* x */\n        a();\n    }');
      assert.equal(indentForInsertion('ids = {  # by name\n        "a": 1,\n    }', '    ', s4), 'ids = {  # by name\n        "a": 1,\n    }');
      // (Comment marks in a string are none: the comment is the one after the `{`.)
      assert.equal(indentForInsertion('f("/* x", {  // y\n        a();\n    }', '    ', s4), 'f("/* x", {  // y\n        a();\n    }');
      assert.equal(indentForInsertion('f("a // b", x, { # c\n        a();\n    }', '    ', s4), 'f("a // b", x, { # c\n        a();\n    }');
      // (Not a closer under the items it closes, as PEP 8 allows: those are the code's own levels.)
      assert.equal(indentForInsertion('x = [\n    1,\n    ]', '    ', spaces), 'x = [\n        1,\n        ]');
      // No closer: the rest all deeper than the line's indentation carry it (the model wrote them where they are in the file).
      assert.equal(indentForInsertion('def f(self):\n        return 1', '    ', spaces), 'def f(self):\n        return 1');
      // The rest one level deeper than column 1, no more: the code's own levels, indented as the line.
      assert.equal(indentForInsertion('def f(self):\n    return 1', '    ', spaces), 'def f(self):\n        return 1');
    });

    it('a block whose last line is a closing bracket keeps its indentation: the closer is not the first line\'s opener\'s', () => {
      const py = { insertSpaces: true, tabSize: 4 };
      // Python: the bracket closes a call in the block, not the `if`/`for`/`with` line (which has no bracket to close).
      assert.equal(
        indentForInsertion('if not user:\n    raise ValueError(\n        "no user"\n    )', '        ', py),
        'if not user:\n            raise ValueError(\n                "no user"\n            )',
      );
      assert.equal(
        indentForInsertion('for item in items:\n    result.append({\n        "id": item.id,\n    })', '    ', py),
        'for item in items:\n        result.append({\n            "id": item.id,\n        })',
      );
      assert.equal(
        indentForInsertion('with open(p) as f:\n    data = json.load(f)\n    items = [\n        x for x in data\n    ]', '    ', py),
        'with open(p) as f:\n        data = json.load(f)\n        items = [\n            x for x in data\n        ]',
      );
      // TypeScript: a promise chain's `.then` is indented under its `return`, and its `});` with it.
      assert.equal(
        indentForInsertion('return fetch(url)\n    .then((r) => {\n        return r.json();\n    });', '    ', py),
        'return fetch(url)\n        .then((r) => {\n            return r.json();\n        });',
      );
      // A block closing the first line's `{` still loses the place copied from the file, `} else {` within it too.
      assert.equal(
        indentForInsertion('if (x) {\n        a();\n    } else {\n        b();\n    }', '    ', py),
        'if (x) {\n        a();\n    } else {\n        b();\n    }',
      );
      // (Not a hanging closer under the items of the first line's `[`: those are the code's own levels.)
      assert.equal(
        indentForInsertion('x = [\n    foo(\n        1),\n    ]', '    ', py),
        'x = [\n        foo(\n            1),\n        ]',
      );
    });

    it('a continuation lined up after its line\'s open bracket stays there, not taken for lines copied from the file', () => {
      const py = { insertSpaces: true, tabSize: 4 };
      assert.equal(
        indentForInsertion('result = compute(alpha,\n                 beta)', '    ', py),
        'result = compute(alpha,\n                     beta)',
      );
    });

    it('at column 1 the code keeps its indentation: the line has none to give it', () => {
      assert.equal(indentForInsertion('    a();\n    b();\n', '', spaces), '    a();\n    b();\n');
    });
  });

  describe('code replacing whole lines (from column 1) gets back the indentation its answer left off the lines it replaces', () => {
    const py = { insertSpaces: true, tabSize: 4 };
    const window = '    def total(self):\n        subtotal = sum(self.items)\n        return subtotl + self.tax\n';

    it("a Python method given without its class's indentation goes back into the class, its own levels kept (code indented as the lines already, as it is)", () => {
      const fixed = 'def total(self):\n    subtotal = sum(self.items)\n    return subtotal + self.tax\n';
      assert.equal(indentForInsertion(fixed, '', undefined, window), '    def total(self):\n        subtotal = sum(self.items)\n        return subtotal + self.tax\n');
      assert.equal(indentForInsertion(fixed, '', py, window), '    def total(self):\n        subtotal = sum(self.items)\n        return subtotal + self.tax\n');
      // Code indented as the lines already is left as it is: one with a line moved out (an indentation fix), or with a new method.
      assert.equal(indentForInsertion(window, '', undefined, window), window);
      const moved = '        x = 1\n            y = 2\n        return x\n';
      assert.equal(indentForInsertion('        x = 1\n        y = 2\n        return x\n', '', undefined, moved), '        x = 1\n        y = 2\n        return x\n');
      const helper = '        return subtotal\n\n    def helper(self):\n        return 0\n';
      assert.equal(indentForInsertion(helper, '', undefined, '        return subtotl\n'), helper);
      // Lines at column 1 replaced: nothing was left off.
      assert.equal(indentForInsertion('a();\nb();', '', undefined, 'a();\nc();'), 'a();\nb();');
    });

    it("the method's body given from column 1 (the body's indentation left off) goes back to the body's", () => {
      const body = '        subtotal = sum(self.items)\n        if not subtotal:\n            return 0\n        return subtotl\n';
      assert.equal(
        indentForInsertion('subtotal = sum(self.items)\nif not subtotal:\n    return 0\nreturn subtotal\n', '', undefined, body),
        '        subtotal = sum(self.items)\n        if not subtotal:\n            return 0\n        return subtotal\n',
      );
      // (Every line of the fix changed: the first line's indentation is the one left off.)
      assert.equal(indentForInsertion('x = 1\n', '', undefined, '        x = 0\n'), '        x = 1\n');
    });

    it('a TypeScript method given without its class\'s indentation, in the editor\'s spaces', () => {
      const ts = '  total(): number {\n    return this.subtotl;\n  }';
      assert.equal(indentForInsertion('total(): number {\n    return this.subtotal;\n}', '', { insertSpaces: true, tabSize: 2 }, ts), '  total(): number {\n      return this.subtotal;\n  }');
      assert.equal(indentForInsertion('total(): number {\n  return this.subtotal;\n}', '', undefined, ts), '  total(): number {\n    return this.subtotal;\n  }');
    });

    it("tabs or spaces as the document's lines are: a Go fix in spaces goes into a tab-indented function in tabs", () => {
      const go = '\tif err != nil {\n\t\treturn err\n\t}';
      const expected = '\tif err != nil {\n\t\treturn fmt.Errorf("load: %w", err)\n\t}';
      assert.equal(indentForInsertion('if err != nil {\n    return fmt.Errorf("load: %w", err)\n}', '', undefined, go), expected);
      assert.equal(indentForInsertion('if err != nil {\n\treturn fmt.Errorf("load: %w", err)\n}', '', undefined, go), expected);
      // A Python fix in tabs, for lines in spaces.
      assert.equal(indentForInsertion('def total(self):\n\tsubtotal = sum(self.items)\n\treturn subtotal + self.tax\n', '', undefined, window), '    def total(self):\n        subtotal = sum(self.items)\n        return subtotal + self.tax\n');
    });
    it("takes what was left off from the code's outermost lines, not from its deeper ones indented by another width than the file's", () => {
      // (A 4-space class answered in 2 spaces from column 1: each body line lost 6, the header 4 — the header decides.)
      const method = '    def total(self):\n        s = 0\n        for i in self.items:\n            s += i\n        return s';
      assert.equal(
        indentForInsertion('def total(self):\n  s = 0\n  for i in self.items:\n    s += i.price\n  return s', '', py, method, 'python'),
        '    def total(self):\n      s = 0\n      for i in self.items:\n        s += i.price\n      return s',
      );
      const ts = '    total(items: Item[]): number {\n        let s = 0;\n        for (const i of items) s += i.price;\n        s = round(s);\n        return s;\n    }';
      assert.equal(
        indentForInsertion('total(items: Item[]): number {\n  let s = 0;\n  for (const i of items) s += i.cost;\n  s = round(s);\n  return s;\n}', '', py, ts, 'typescript'),
        '    total(items: Item[]): number {\n      let s = 0;\n      for (const i of items) s += i.cost;\n      s = round(s);\n      return s;\n    }',
      );
      // Its header changed (a type added), and the lines starting in the previous method's body: the header like it decides.
      assert.equal(indentForInsertion('def g(self) -> int:\n    return b + 1', '', py, '        return a\n\n    def g(self):\n        return b', 'python'), '    def g(self) -> int:\n        return b + 1');
    });

    it("leaves a multi-line string's lines of text at column 1 as they are (its value), and moves a docstring's with the code", () => {
      const query = '    def query(self):\n        sql = """\nSELECT *\nFROM t\n"""\n        return self.db.run(sql)';
      const fixed = 'def query(self):\n    sql = """\nSELECT *\nFROM t\n"""\n    return self.db.execute(sql)';
      assert.equal(indentForInsertion(fixed, '', py, query, 'python'), '    def query(self):\n        sql = """\nSELECT *\nFROM t\n"""\n        return self.db.execute(sql)');
      // (More of the string's lines than the code's: still the code's outermost line decides.)
      const long = '    def query(self, a):\n        """Run it."""\n        sql = """\nSELECT *\nFROM t\nWHERE a = 1\n"""\n        return self.db.run(sql)';
      assert.equal(
        indentForInsertion('def query(self, a):\n    """Run it."""\n    sql = """\nSELECT *\nFROM t\nWHERE a = 1\n"""\n    return self.db.run(sql, a)', '', py, long, 'python'),
        '    def query(self, a):\n        """Run it."""\n        sql = """\nSELECT *\nFROM t\nWHERE a = 1\n"""\n        return self.db.run(sql, a)',
      );
      const doc = '    def f(self):\n        """Do it.\n\n        More.\n        """\n        return 0';
      assert.equal(indentForInsertion('def f(self):\n    """Do it.\n\n    More.\n    """\n    return 1', '', py, doc, 'python'), doc.replace('return 0', 'return 1'));
      // A TypeScript template literal's lines, in a tab-indented method: neither shifted nor turned into tabs.
      const html = '\trender(): string {\n\t\treturn `\n<div>\n  ${this.name}\n</div>`;\n\t}';
      assert.equal(indentForInsertion('render(): string {\n    return `\n<div>\n  ${this.title}\n</div>`;\n}', '', { insertSpaces: false, tabSize: 4 }, html, 'typescript'), html.replace('this.name', 'this.title'));
    });

    it('reads the strings of code that starts inside a docstring begun above it after the text before it: its closing quote opens nothing', () => {
      // A class's lines asked for from the closing `"""` of load()'s docstring; the answer gives them back from column 1.
      const file = 'class Cart:\n    def load(self, path):\n        """Load a file.\n\n        Returns its text.\n        """\n        with open(path) as f:\n            return f.read()\n\n    def area(self, w, h):\n        return str(w * h)\n\n    def main(self):\n        """Run it."""\n        print(self.area(2, 3) + 1)\n';
      const lines = file.split('\n');
      const replaced = lines.slice(5, 14).join('\n');
      const answer = replaced
        .split('\n')
        .map((l) => l.replace(/^ {4}/, ''))
        .join('\n')
        .replace('return str(w * h)', 'return w * h');
      const before = lines.slice(0, 5).map((l) => `${l}\n`).join('');
      assert.equal(indentForInsertion(answer, '', py, replaced, 'python', before), replaced.replace('return str(w * h)', 'return w * h'));
    });
  });

  describe('comments and strings on the first line hold no brackets', () => {
    const s4 = { insertSpaces: true, tabSize: 4 };

    it('a closing bracket in a comment does not close the call a continuation is lined up after', () => {
      const expected = (mark: string): string => `result = compute(alpha,  ${mark} the rate)\n                     beta)`;
      assert.equal(indentForInsertion('result = compute(alpha,  // the rate)\n                 beta)', '    ', s4, '', 'typescript'), expected('//'));
      assert.equal(indentForInsertion('result = compute(alpha,  # the rate)\n                 beta)', '    ', s4, '', 'python'), expected('#'));
      assert.equal(indentForInsertion('result = compute(alpha,  /* the rate) */\n                 beta)', '    ', s4, '', 'go'), 'result = compute(alpha,  /* the rate) */\n                     beta)');
      // (Without a language, as far as the line shows its comments.)
      assert.equal(indentForInsertion('result = compute(alpha,  // the rate)\n                 beta)', '    ', s4), expected('//'));
    });

    it('an opening bracket in a comment or a regular expression is no bracket the next line is lined up after', () => {
      // (The body copied where it is in the file, 8 deep: under the comment's `(`, and still no continuation.)
      assert.equal(indentForInsertion('if x: #(see\n        go()', '    ', s4, '', 'python'), 'if x: #(see\n        go()');
      assert.equal(indentForInsertion('if x: #(see\n        go()', '    ', s4), 'if x: #(see\n        go()');
      assert.equal(indentForInsertion('mm = /\\(/;\n        go();', '    ', s4, '', 'typescript'), 'mm = /\\(/;\n        go();');
      // Other languages whose comments start with `#`, by their VS Code ids.
      for (const id of ['properties', 'dotenv', 'nix', 'tcl', 'crystal', 'awk', 'fish', 'starlark', 'bazel', 'pip-requirements']) {
        assert.equal(indentForInsertion('if x: #(see\n        go()', '    ', s4, '', id), 'if x: #(see\n        go()', id);
      }
    });

    it("a TypeScript line starting with a private field's `#` is code, its `{` the block's opener (a `#` comment in Python)", () => {
      assert.equal(indentForInsertion('#items = { // by id\n        a: 1,\n    };', '    ', s4, '', 'typescript'), '#items = { // by id\n        a: 1,\n    };');
      assert.equal(indentForInsertion('#items = { // by id\n        a: 1,\n    };', '    ', s4, '', 'javascript'), '#items = { // by id\n        a: 1,\n    };');
      // In Python the line is all comment: no bracket of it closes, and the rest keep their own levels.
      assert.equal(indentForInsertion('#items = {\n        "a": 1,\n    }', '    ', s4, '', 'python'), '#items = {\n            "a": 1,\n        }');
    });

    it("reads a line as fixPromptBuilder does: a shell's or Makefile's `/*` is a glob, a C# verbatim string's `\\` and a C++ raw string's `\"` escape nothing", () => {
      // (A continuation lined up after an opening bracket past them: at its column still, the code's own.)
      const lined = (first: string, next: string, languageId: string): void => {
        const at = first.lastIndexOf('(') + 1;
        const code = `${first}\n${' '.repeat(at)}${next}`;
        assert.equal(indentForInsertion(code, '    ', s4, '', languageId), `${first}\n${' '.repeat(4 + at)}${next}`, languageId);
      };
      lined('rm -f "$d"/* && (cd "$d" &&', 'make clean)', 'shellscript');
      lined('OBJS := src/*.o $(patsubst %.c,%.o,', '$(SRCS))', 'makefile');
      lined('var log = @"C:\\logs\\" + Path.Combine(day,', 'name);', 'csharp');
      lined('auto q = R"(a ")" + fmt(name,', 'age);', 'cpp');
    });
  });
});
