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
});
