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
});
