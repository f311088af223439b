import assert from 'node:assert/strict';
import { importOnlyStatements, placeImports } from '../../../src/core/generation/fixImports';

/** The document after the fix: the window's lines replaced by the placement's code, its imports inserted where it says. */
function fixed(doc: string, window: { startLine: number; endLine: number }, code: string, imports: readonly string[], languageId: string): { text: string; unplaced: readonly string[] } {
  const p = placeImports(doc, window, code, imports, languageId);
  const lines = doc.split('\n');
  const start = lines.slice(0, window.startLine).join('\n').length + (window.startLine > 0 ? 1 : 0);
  const end = lines.slice(0, window.endLine + 1).join('\n').length;
  const insert = p.insert ? [{ offset: p.insert.offset, end: p.insert.offset + (p.insert.replaces ?? 0), text: p.insert.text }] : [];
  const edits = [{ offset: start, end, text: p.code }, ...insert].sort((a, b) => b.offset - a.offset);
  let text = doc;
  for (const e of edits) text = text.slice(0, e.offset) + e.text + text.slice(e.end);
  return { text, unplaced: p.unplaced };
}

describe('importOnlyStatements (a code block of nothing but imports)', () => {
  it("reads each language's import statements, over several lines too, and nothing with other code", () => {
    assert.deepEqual(importOnlyStatements("// needed:\nimport { parseDate } from './util';\nimport type {\n  Day,\n} from './day';\n", 'typescript'), [
      "import { parseDate } from './util';",
      "import type {\n  Day,\n} from './day';",
    ]);
    assert.deepEqual(importOnlyStatements("export { a } from './a';\nconst fs = require('fs');\n", 'javascript'), ["export { a } from './a';", "const fs = require('fs');"]);
    assert.deepEqual(importOnlyStatements('from util import (\n    parse_date,\n)\nimport os\n', 'python'), ['from util import (\n    parse_date,\n)', 'import os']);
    assert.deepEqual(importOnlyStatements('import (\n\t"fmt"\n)\n', 'go'), ['import (\n\t"fmt"\n)']);
    assert.deepEqual(importOnlyStatements('use std::collections::{HashMap, HashSet};\n', 'rust'), ['use std::collections::{HashMap, HashSet};']);
    assert.deepEqual(importOnlyStatements('import java.util.List;\n', 'java'), ['import java.util.List;']);
    for (const [code, id] of [
      ["import { a } from './a';\nconst b = a();\n", 'typescript'],
      ['export { a, b };\n', 'typescript'],
      ['const x = 1;\n', 'typescript'],
      ['# nothing\n', 'python'],
      ['import "fmt"\n', 'shellscript'],
    ] as const) {
      assert.equal(importOnlyStatements(code, id), undefined, code);
    }
  });
});

describe('placeImports (an answer\'s imports in the file, beside the fix)', () => {
  const imports = ["import { parseDate } from './util';"];

  it("goes after the file's last import, a statement over several lines included, outside the replaced lines", () => {
    const doc = "// Copyright\n\nimport { a } from './a';\nimport {\n  b,\n} from './b';\n\nconst x = a(b);\nfunction due(s: string) {\n  return parseDate(s);\n}\n";
    const r = fixed(doc, { startLine: 8, endLine: 10 }, 'function due(s: string): Date {\n  return parseDate(s);\n}', imports, 'typescript');
    assert.equal(r.text, "// Copyright\n\nimport { a } from './a';\nimport {\n  b,\n} from './b';\nimport { parseDate } from './util';\n\nconst x = a(b);\nfunction due(s: string): Date {\n  return parseDate(s);\n}\n");
    // CRLF: the file's line breaks.
    const crlf = placeImports(doc.replace(/\n/g, '\r\n'), { startLine: 8, endLine: 10 }, 'x', imports, 'typescript');
    assert.deepEqual(crlf.insert, { offset: doc.replace(/\n/g, '\r\n').indexOf('\r\n\r\nconst') + 2, text: "import { parseDate } from './util';\r\n" });
  });

  it('goes after a header (shebang, directive, licence, package clause, docstring), set off by blank lines, and never between a doc comment and its code', () => {
    const js = "#!/usr/bin/env node\n'use strict';\n/** Runs. */\nfunction run() {\n  return parseDate();\n}\n";
    assert.equal(fixed(js, { startLine: 3, endLine: 5 }, 'function run() {\n  return parseDate(0);\n}', imports, 'javascript').text, "#!/usr/bin/env node\n'use strict';\n\nimport { parseDate } from './util';\n\n/** Runs. */\nfunction run() {\n  return parseDate(0);\n}\n");
    const go = '// Package main runs.\npackage main\n\nfunc main() {\n\tfmt.Println(1)\n}\n';
    assert.equal(fixed(go, { startLine: 3, endLine: 5 }, 'func main() {\n\tfmt.Println(2)\n}', ['import "fmt"'], 'go').text, '// Package main runs.\npackage main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(2)\n}\n');
    const py = '"""Tools.\n\nMore.\n"""\n\ndef f():\n    return sys.argv\n';
    assert.equal(fixed(py, { startLine: 5, endLine: 6 }, 'def f():\n    return list(sys.argv)', ['import sys'], 'python').text, '"""Tools.\n\nMore.\n"""\n\nimport sys\n\ndef f():\n    return list(sys.argv)\n');
  });

  it("goes after a Python module docstring that follows a top comment (a licence, the shebang and PEP 263's coding line), and after the imports below it", () => {
    const fix = 'def f():\n    return os.getcwd()';
    const licence = '# Copyright 2024 X\n"""Doc."""\n\ndef f():\n    return os.getcwd()\n';
    assert.equal(fixed(licence, { startLine: 3, endLine: 4 }, fix, ['import os'], 'python').text, '# Copyright 2024 X\n"""Doc."""\n\nimport os\n\ndef f():\n    return os.getcwd()\n');
    const coding = '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n"""Doc.\n\nMore.\n"""\n\ndef f():\n    return os.getcwd()\n';
    assert.equal(
      fixed(coding, { startLine: 7, endLine: 8 }, fix, ['import os'], 'python').text,
      '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n"""Doc.\n\nMore.\n"""\n\nimport os\n\ndef f():\n    return os.getcwd()\n',
    );
    const imported = '# -*- coding: utf-8 -*-\n"""Doc."""\n\nimport sys\n\ndef f():\n    return os.getcwd()\n';
    assert.equal(fixed(imported, { startLine: 5, endLine: 6 }, fix, ['import os'], 'python').text, '# -*- coding: utf-8 -*-\n"""Doc."""\n\nimport sys\nimport os\n\ndef f():\n    return os.getcwd()\n');
    // (A string after the module docstring is code: a comment right above it stays the code's.)
    const second = '"""Doc."""\n# The greeting.\n"""Not the docstring."""\n';
    assert.equal(fixed(second, { startLine: 2, endLine: 2 }, '"""Still not."""', ['import os'], 'python').text, '"""Doc."""\n\nimport os\n\n# The greeting.\n"""Still not."""\n');
  });

  it("an import-only fix (the code is the window's own text) gets its imports as an insert of their own, even right where the window starts, in the document's line endings", () => {
    // A file with no imports whose first code is the window: the import goes in front of it, the window's text untouched.
    const doc = 'function due(s) {\n\treturn parseDate(s);\n}\n';
    const window = 'function due(s) {\n\treturn parseDate(s);\n}';
    const p = placeImports(doc, { startLine: 0, endLine: 2, text: window }, window, imports, 'javascript');
    assert.deepEqual(p, { code: window, insert: { offset: 0, text: "import { parseDate } from './util';\n\n" }, added: imports, unplaced: [] });
    const crlf = doc.replace(/\n/g, '\r\n');
    const crlfWindow = window.replace(/\n/g, '\r\n');
    const c = placeImports(crlf, { startLine: 0, endLine: 2, text: crlfWindow }, crlfWindow, imports, 'javascript');
    assert.deepEqual(c, { code: crlfWindow, insert: { offset: 0, text: "import { parseDate } from './util';\r\n\r\n" }, added: imports, unplaced: [] });
    // The file's last import among the window's lines: after it, as an insert too (the window's text as it is).
    const imported = "import { a } from './a';\nconst x = parseDate(a);\n";
    const lines = "import { a } from './a';\nconst x = parseDate(a);";
    const i = placeImports(imported, { startLine: 0, endLine: 1, text: lines }, lines, imports, 'typescript');
    assert.deepEqual(i, { code: lines, insert: { offset: imported.indexOf('const'), text: "import { parseDate } from './util';\n" }, added: imports, unplaced: [] });
    // An answer's code (not the window's text) in front of which the imports go: their lines end as the document's.
    const answer = placeImports(crlf, { startLine: 0, endLine: 2, text: crlfWindow }, 'function due(s) {\n\treturn parseDate(s) ?? 0;\n}', imports, 'javascript');
    assert.equal(answer.code, "import { parseDate } from './util';\r\n\r\nfunction due(s) {\n\treturn parseDate(s) ?? 0;\n}");
  });

  it('leaves out imports the file or the fix has, and Go specs it imports in a group', () => {
    const py = 'import os\nfrom typing import List\n\ndef f():\n    return sys.argv\n';
    assert.equal(fixed(py, { startLine: 3, endLine: 4 }, 'def f():\n    return sys.argv', ['import os', 'import sys'], 'python').text, 'import os\nfrom typing import List\nimport sys\n\ndef f():\n    return sys.argv\n');
    const go = 'package main\n\nimport (\n\t"fmt"\n)\n\nfunc main() {\n\tfmt.Println(strings.ToUpper("a"))\n}\n';
    assert.equal(
      fixed(go, { startLine: 6, endLine: 8 }, 'func main() {\n\tfmt.Println(strings.ToUpper("b"))\n}', ['import (\n\t"fmt"\n\t"strings"\n)'], 'go').text,
      'package main\n\nimport (\n\t"fmt"\n\t"strings"\n)\n\nfunc main() {\n\tfmt.Println(strings.ToUpper("b"))\n}\n',
    );
    const none = placeImports("import { parseDate } from './util';\n\nf();\n", { startLine: 2, endLine: 2 }, 'g();', imports, 'typescript');
    assert.deepEqual(none, { code: 'g();', added: [], unplaced: [] });
  });

  it("merges a Go import into the file's import group, in gofmt's order, standard library and other modules each in their own run", () => {
    const go = 'package main\n\nimport (\n\t"fmt"\n\t"os"\n)\n\nfunc main() {\n\tfmt.Println(os.Args)\n}\n';
    const fix = 'func main() {\n\tfmt.Println(strings.Join(os.Args, " "))\n}';
    const body = (specs: string): string => `package main\n\nimport (\n${specs})\n\nfunc main() {\n\tfmt.Println(strings.Join(os.Args, " "))\n}\n`;
    // A single import, or a group of its own (the paths the file has left out): sorted in among the group's.
    assert.equal(fixed(go, { startLine: 7, endLine: 9 }, fix, ['import "strings"'], 'go').text, body('\t"fmt"\n\t"os"\n\t"strings"\n'));
    assert.equal(fixed(go, { startLine: 7, endLine: 9 }, fix, ['import (\n\t"os"\n\t"bytes"\n\t"strings"\n)'], 'go').text, body('\t"bytes"\n\t"fmt"\n\t"os"\n\t"strings"\n'));
    assert.equal(fixed(go, { startLine: 7, endLine: 9 }, fix, ['import "github.com/x/y"', 'import s "sort"'], 'go').text, body('\t"fmt"\n\t"os"\n\ts "sort"\n\n\t"github.com/x/y"\n'));
    // The group's runs (a blank line between): a standard library path goes into the first, another module's into its run.
    const runs = 'package main\n\nimport (\n\t"fmt"\n\n\t"github.com/a/b"\n\t// The driver.\n\t_ "github.com/lib/pq"\n)\n\nfunc main() {}\n';
    assert.equal(
      fixed(runs, { startLine: 10, endLine: 10 }, 'func main() { strings.ToUpper(c.D) }', ['import (\n\t"strings"\n\t"github.com/c/c"\n\t"github.com/z/z"\n)'], 'go').text,
      'package main\n\nimport (\n\t"fmt"\n\t"strings"\n\n\t"github.com/a/b"\n\t"github.com/c/c"\n\t// The driver.\n\t_ "github.com/lib/pq"\n\t"github.com/z/z"\n)\n\nfunc main() { strings.ToUpper(c.D) }\n',
    );
    // In the file's line endings; an import of a path the group has under another name is left to the user.
    const crlf = placeImports(go.replace(/\n/g, '\r\n'), { startLine: 7, endLine: 9 }, fix, ['import "strings"', 'import f "fmt"'], 'go');
    assert.deepEqual(crlf.insert, { offset: go.replace(/\n/g, '\r\n').indexOf('\t"fmt"'), replaces: '\t"fmt"\r\n\t"os"\r\n'.length, text: '\t"fmt"\r\n\t"os"\r\n\t"strings"\r\n' });
    assert.deepEqual(crlf.unplaced, ['import f "fmt"']);
  });

  it("makes a Go file's lone `import \"fmt\"` a group with the new import, as goimports does, but never cgo's `import \"C\"`", () => {
    const go = 'package main\n\nimport "fmt" // printing\n\nfunc main() {\n\tfmt.Println(1)\n}\n';
    const fix = '\tfmt.Println(strings.ToUpper("a"), os.Args)';
    assert.equal(
      fixed(go, { startLine: 5, endLine: 5 }, fix, ['import "strings"', 'import "github.com/x/y"', 'import "os"'], 'go').text,
      'package main\n\nimport (\n\t"fmt" // printing\n\t"os"\n\t"strings"\n\n\t"github.com/x/y"\n)\n\nfunc main() {\n' + fix + '\n}\n',
    );
    // In the file's line endings, at the file's end too.
    const crlf = placeImports('package main\r\nimport "fmt"', { startLine: 0, endLine: 0 }, 'package main', ['import "strings"'], 'go');
    assert.deepEqual(crlf.insert, { offset: 'package main\r\n'.length, replaces: 'import "fmt"'.length, text: 'import (\r\n\t"fmt"\r\n\t"strings"\r\n)' });
    // cgo's `import "C"` stands alone under its preamble; several one-line imports are left as they are: a line after them.
    const cgo = 'package main\n\n// #include <stdio.h>\nimport "C"\n\nfunc main() {\n\tC.puts(nil)\n}\n';
    assert.equal(fixed(cgo, { startLine: 6, endLine: 6 }, '\tfmt.Println(C.puts(nil))', ['import "fmt"'], 'go').text, cgo.replace('import "C"\n', 'import "C"\nimport "fmt"\n').replace('\tC.puts(nil)', '\tfmt.Println(C.puts(nil))'));
    const two = 'package main\n\nimport "fmt"\nimport "os"\n\nfunc main() {}\n';
    assert.equal(fixed(two, { startLine: 5, endLine: 5 }, 'func main() { strings.ToUpper(os.Args[0]) }', ['import "strings"'], 'go').text, two.replace('import "os"\n', 'import "os"\nimport "strings"\n').replace('func main() {}', 'func main() { strings.ToUpper(os.Args[0]) }'));
  });

  it("merges a Go import into the fix's own import group when the replaced lines hold the file's, never as a declaration of its own", () => {
    const go = 'package main\n\nimport (\n\t"fmt"\n)\n\nfunc main() {\n\tfmt.Println(1)\n}\n';
    const main = '\n\nfunc main() {\n\tfmt.Println(strings.ToUpper("a"))\n}';
    const r = placeImports(go, { startLine: 0, endLine: 8 }, `package main\n\nimport (\n\t"fmt"\n)${main}`, ['import "strings"'], 'go');
    assert.deepEqual(r, { code: `package main\n\nimport (\n\t"fmt"\n\t"strings"\n)${main}`, added: ['import "strings"'], unplaced: [] });
    assert.equal(fixed(go, { startLine: 2, endLine: 8 }, `import (\n\t"fmt"\n)${main}`, ['import "strings"'], 'go').text, `package main\n\nimport (\n\t"fmt"\n\t"strings"\n)${main}\n`);
    // A lone import among the replaced lines becomes a group; one the fix's code has already is not added again.
    const lone = 'package main\n\nimport "fmt"\n\nfunc main() {\n\tfmt.Println(1)\n}\n';
    assert.equal(fixed(lone, { startLine: 2, endLine: 6 }, `import "fmt"${main}`, ['import "strings"'], 'go').text, `package main\n\nimport (\n\t"fmt"\n\t"strings"\n)${main}\n`);
    assert.deepEqual(placeImports(go, { startLine: 2, endLine: 8 }, `import (\n\t"fmt"\n\t"strings"\n)${main}`, ['import (\n\t"fmt"\n\t"strings"\n)'], 'go').added, []);
    // An import-only fix (the code is the window's text as it is): the lines are left alone, the import goes into the group by an insert of its own.
    const text = go.split('\n').slice(2, 9).join('\n');
    const only = placeImports(go, { startLine: 2, endLine: 8, text }, text, ['import "strings"'], 'go');
    assert.deepEqual(only, { code: text, insert: { offset: go.indexOf('\t"fmt"'), replaces: '\t"fmt"\n'.length, text: '\t"fmt"\n\t"strings"\n' }, added: ['import "strings"'], unplaced: [] });
  });

  it("goes after a Python file's last module-level import, past a sys.path change between imports, never into a function or past other code", () => {
    const fix = 'def main():\n    return helpers.run(json.dumps({}))';
    const setup = 'import os\nimport sys\n\nsys.path.insert(0, os.path.join(\n    os.path.dirname(__file__), "lib"))\nimport helpers  # noqa: E402\n\n\ndef main():\n    return helpers.run({})\n';
    assert.equal(
      fixed(setup, { startLine: 8, endLine: 9 }, fix, ['import json', 'import helpers'], 'python').text,
      'import os\nimport sys\n\nsys.path.insert(0, os.path.join(\n    os.path.dirname(__file__), "lib"))\nimport helpers  # noqa: E402\nimport json\n\n\ndef main():\n    return helpers.run(json.dumps({}))\n',
    );
    // Code after the imports with no import after it, a function's own import, an import after a function, an
    // import-like line in a string: the new import goes after the last import before them.
    const after = 'import sys\nsys.path.append("lib")\nUSAGE = """\nimport fake\n"""\n\ndef main():\n    import json\n    return helpers.run({})\n\nimport late\n';
    assert.equal(
      fixed(after, { startLine: 6, endLine: 8 }, fix, ['import json'], 'python').text,
      'import sys\nimport json\nsys.path.append("lib")\nUSAGE = """\nimport fake\n"""\n\ndef main():\n    return helpers.run(json.dumps({}))\n\nimport late\n',
    );
    // (A block with a sys.path change between its imports is code, not an import block.)
    assert.equal(importOnlyStatements('import sys\nsys.path.append("lib")\nimport helpers\n', 'python'), undefined);
  });

  it('puts a Python import above the code that uses it: code that binds a name ends the imports, and no set-up is passed over from the replaced lines on', () => {
    // A notebook-style script: code, the error (`np.log`), more code, a later import for the plots. The section ends at
    // the first code; past `import matplotlib…` the new import would come after its use (NameError).
    const script = ['import pandas as pd', '', 'df = pd.read_csv("data.csv")', 'summary = df.describe()', 'print(summary)', 'df["log"] = np.log(df["value"])', 'totals = df.sum()', 'print(totals)', '', 'import matplotlib.pyplot as plt', '', 'plt.plot(df["log"])', ''];
    const doc = script.join('\n');
    assert.equal(fixed(doc, { startLine: 2, endLine: 7 }, script.slice(2, 8).join('\n'), ['import numpy as np'], 'python').text, doc.replace('import pandas as pd\n', 'import pandas as pd\nimport numpy as np\n'));
    // The same from the window's first line (in front of its code), and in the fix's own lines when they hold the imports.
    assert.equal(fixed(doc, { startLine: 1, endLine: 7 }, script.slice(1, 8).join('\n'), ['import numpy as np'], 'python').text, doc.replace('import pandas as pd\n', 'import pandas as pd\nimport numpy as np\n'));
    assert.equal(fixed(doc, { startLine: 0, endLine: 7 }, script.slice(0, 8).join('\n'), ['import numpy as np'], 'python').text, doc.replace('import pandas as pd\n', 'import pandas as pd\nimport numpy as np\n'));
    // Set-up that is not sys.path's (site.addsitedir, os.environ) is passed over as sys.path's is, when an import follows.
    const env = 'import os\nimport site\n\nos.environ["MPLBACKEND"] = "Agg"\nos.environ.setdefault("TZ", "UTC")\nsite.addsitedir("vendor")\nimport vendored\n\n\ndef main():\n    return vendored.run(json.dumps({}))\n';
    assert.equal(fixed(env, { startLine: 9, endLine: 10 }, 'def main():\n    return vendored.run(json.dumps({}))', ['import json'], 'python').text, env.replace('import vendored\n', 'import vendored\nimport json\n'));
    // The replaced lines hold the sys.path change, which uses the import the answer adds: it goes above that change,
    // not after the imports below it (in the document and in the fix's own lines).
    const setup = 'import sys\n\nsys.path.insert(0, os.path.dirname(__file__))\nimport helpers\n\n\ndef main():\n    return helpers.run()\n';
    assert.equal(fixed(setup, { startLine: 2, endLine: 2 }, 'sys.path.insert(0, os.path.dirname(__file__))', ['import os'], 'python').text, setup.replace('import sys\n', 'import sys\nimport os\n'));
    assert.equal(fixed(setup, { startLine: 0, endLine: 3 }, 'import sys\n\nsys.path.insert(0, os.path.dirname(__file__))\nimport helpers', ['import os'], 'python').text, setup.replace('import sys\n', 'import sys\nimport os\n'));
  });

  it('passes over Python set-up calls that bind no name (matplotlib.use, load_dotenv, django.setup) when an import follows, and leaves out the imports after them the answer lists again', () => {
    // The backend is chosen before pyplot is imported: numpy goes after the last import, and pyplot is the file's.
    const mpl = 'import matplotlib\nmatplotlib.use("Agg")\nimport matplotlib.pyplot as plt\nimport pandas as pd\n\n\ndef plot(df):\n    arr = np.array(df["x"])\n    plt.plot(arr)\n';
    const plot = fixed(mpl, { startLine: 7, endLine: 7 }, '    arr = np.array(df["x"])', ['import numpy as np', 'import matplotlib.pyplot as plt'], 'python');
    assert.equal(plot.text, mpl.replace('import pandas as pd\n', 'import pandas as pd\nimport numpy as np\n'));
    // Django's models are imported after django.setup(): a new import above the set-up would be above them too, and one
    // of the models raises AppRegistryNotReady there.
    const django = 'import os\nimport django\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site.settings")\ndjango.setup()\nfrom shop.models import Order, Item\n\n\ndef report():\n    return Order.objects.filter(created__gte=timezone.now())\n';
    const report = fixed(django, { startLine: 8, endLine: 8 }, '    return Order.objects.filter(created__gte=timezone.now())', ['from django.utils import timezone', 'from shop.models import Order, Item'], 'python');
    assert.equal(report.text, django.replace('Order, Item\n', 'Order, Item\nfrom django.utils import timezone\n'));
    const dotenv = 'from dotenv import load_dotenv\nload_dotenv()\nimport requests\nfrom app.settings import API_URL\n\n\ndef fetch():\n    return requests.get(API_URL, timeout=5).json()\n';
    const fetch = fixed(dotenv, { startLine: 7, endLine: 7 }, '    return json.loads(requests.get(API_URL, timeout=5).text)', ['import json', 'import requests'], 'python');
    assert.equal(fetch.text, 'from dotenv import load_dotenv\nload_dotenv()\nimport requests\nfrom app.settings import API_URL\nimport json\n\n\ndef fetch():\n    return json.loads(requests.get(API_URL, timeout=5).text)\n');
    // A call over several lines (a string and a comment with brackets of their own in it), a method called on a call's
    // value: set-up too. A statement that binds a name is where the code starts (`app = Flask(…)` before the views).
    const calls = 'import logging\nimport warnings\nwarnings.filterwarnings(\n    "ignore",  # numpy\'s (old) API\n    message="(deprecated",\n)\nlogging.getLogger("urllib3").setLevel(logging.WARNING)\nimport numpy as np\n\n\ndef f():\n    return json.dumps(np.ones(2).tolist())\n';
    assert.equal(fixed(calls, { startLine: 11, endLine: 11 }, '    return json.dumps(np.ones(2).tolist())', ['import json'], 'python').text, calls.replace('import numpy as np\n', 'import numpy as np\nimport json\n'));
    const flask = 'from flask import Flask\napp = Flask(__name__)\nfrom app import views  # noqa: E402\n\n\ndef f():\n    return json.dumps({})\n';
    assert.equal(fixed(flask, { startLine: 6, endLine: 6 }, '    return json.dumps({})', ['import json'], 'python').text, flask.replace('from flask import Flask\n', 'from flask import Flask\nimport json\n'));
    // A notebook's set-up call that uses the name the import binds (`np.random.seed`) comes after the import, not before
    // it, however far above the replaced lines it is; as the set-up among the replaced lines (the existing rule).
    const seeded = ['import pandas as pd', 'np.random.seed(0)', 'import matplotlib.pyplot as plt', '', 'def sample(n):', '    return pd.Series(np.random.randn(n))', ''].join('\n');
    assert.equal(fixed(seeded, { startLine: 5, endLine: 5 }, '    return pd.Series(np.random.randn(n))', ['import numpy as np'], 'python').text, seeded.replace('import pandas as pd\n', 'import pandas as pd\nimport numpy as np\n'));
  });

  it("compares an answer's Python imports with all of the file's module-level imports: after code and functions, not in a string or a function", () => {
    const late = 'import os\n\n\ndef f():\n    return os.getcwd()\n\n\nimport late  # noqa: E402\nfrom pkg import (\n    a,\n    b,\n)\n';
    const r = placeImports(late, { startLine: 4, endLine: 4 }, '    return sys.argv', ['import late', 'from pkg import (a, b)', 'from pkg import (\n    a,\n    b,\n)', 'import sys'], 'python');
    assert.deepEqual([r.added, r.unplaced], [['import sys'], []]);
    // An import-like line in a string over several lines, or a function's: not the file's.
    const strings = 'import os\nUSAGE = """\nimport json\n"""\nHELP = (\n    "x"\n)\n\n\ndef f():\n    import re\n    return os.sep\n';
    const s = placeImports(strings, { startLine: 11, endLine: 11 }, '    return json.dumps(re.escape(os.sep))', ['import json', 'import re'], 'python');
    assert.deepEqual(s.added, ['import json', 'import re']);
  });

  it("compares Python imports name by name, aliases included: a name the file imports already is left out, and only the new ones of a statement are added, as a `from` line of their own", () => {
    const fix = '    return A(D)';
    const window = { startLine: 5, endLine: 5 };
    const body = '\n\n\ndef f():\n    return A(B)\n';
    // `from m import A` beside the file's `from m import A, B`, over several lines in brackets, or after an aliased name.
    for (const head of ['from m import A, B', 'from m import (\n    A,\n    B,\n)', 'from m import B as C, A  # noqa: F401', 'from m import A\\\n    , B']) {
      const doc = head + body;
      const w = { startLine: doc.split('\n').length - 2, endLine: doc.split('\n').length - 2 };
      assert.deepEqual(placeImports(doc, w, fix, ['from m import A'], 'python'), { code: fix, added: [], unplaced: [] }, head);
    }
    // Aliases: `B as C` binds C, not B; `import os, sys` imports sys.
    const aliased = 'from m import B as C, A\nimport os, sys' + body;
    assert.deepEqual(placeImports(aliased, window, fix, ['from m import B as C', 'import sys', 'from m import (A as A)'], 'python').added, []);
    assert.deepEqual(placeImports(aliased, window, fix, ['from m import B'], 'python').added, ['from m import B']);
    // `from m import A, D` beside `from m import A, B`: D alone, on a line of its own after the file's (not merged into
    // its line, which may be written over several lines, with comments, or be among the replaced lines).
    const doc = 'from m import A, B\nimport os' + body;
    assert.equal(fixed(doc, window, fix, ['from m import A, D', 'from n import (\n    E,\n    F,\n)'], 'python').text, 'from m import A, B\nimport os\nfrom m import D\nfrom n import (\n    E,\n    F,\n)\n\n\ndef f():\n    return A(D)\n');
    assert.equal(fixed(doc, window, fix, ['from m import (\n    A,\n    D as E,\n    G,\n)', 'import os, json'], 'python').text, 'from m import A, B\nimport os\nfrom m import D as E, G\nimport json\n\n\ndef f():\n    return A(D)\n');
    // Statements joined by `;` are compared one by one (not a `;` in a comment); each new one's names on a line of their own.
    const joined = ['from m import A; import os', 'import os; from m import B, D;', 'from m import A; import json; from m import G', 'import re  # see; from m import A'];
    assert.deepEqual(placeImports('import os; import sys  # a; b' + body, window, fix, ['import sys', 'from m import A'], 'python').added, ['from m import A']);
    assert.equal(fixed(doc, window, fix, joined, 'python').text, 'from m import A, B\nimport os\nfrom m import D\nimport json\nfrom m import G\nimport re  # see; from m import A\n\n\ndef f():\n    return A(D)\n');
  });

  it("puts Python's `from __future__` imports before every other statement: after the file's own, else before its first import", () => {
    const fix = '    return os.sep';
    const body = '\n\n\ndef f():\n    return os.sep\n';
    // After the file's own `from __future__` line (a line of its own), above `import os`; the other import after the imports.
    const own = '#!/usr/bin/env python3\n# -*- coding: utf-8 -*-\n"""Doc."""\nfrom __future__ import annotations\n\nimport os' + body;
    assert.equal(
      fixed(own, { startLine: 9, endLine: 9 }, fix, ['from __future__ import annotations, division', 'import sys'], 'python').text,
      own.replace('annotations\n', 'annotations\nfrom __future__ import division\n').replace('import os\n', 'import os\nimport sys\n'),
    );
    // None in the file: before its first import (one insert over the lines between), or first of the new imports.
    const plain = '"""Doc."""\n\nimport os' + body;
    const r = placeImports(plain, { startLine: 6, endLine: 6 }, fix, ['import sys', 'from __future__ import annotations'], 'python');
    assert.deepEqual(r, {
      code: fix,
      insert: { offset: plain.indexOf('import os'), replaces: 'import os\n'.length, text: 'from __future__ import annotations\nimport os\nimport sys\n' },
      added: ['from __future__ import annotations', 'import sys'],
      unplaced: [],
    });
    assert.equal(fixed(plain, { startLine: 6, endLine: 6 }, fix, ['from __future__ import annotations'], 'python').text, plain.replace('import os', 'from __future__ import annotations\nimport os'));
    const none = '"""Doc."""\n\ndef f():\n    return os.sep\n';
    assert.equal(fixed(none, { startLine: 3, endLine: 3 }, fix, ['import os', 'from __future__ import annotations'], 'python').text, none.replace('\n\ndef', '\n\nfrom __future__ import annotations\nimport os\n\ndef'));
    // The replaced lines start at the first import: in front of the fix's code. They lie between the two places (the
    // first import and the last): no sure place for it, left to the user.
    const code = 'import os\nX = os.sep or sys.argv';
    assert.deepEqual(placeImports('import os\nX = os.sep\n', { startLine: 0, endLine: 1 }, code, ['from __future__ import annotations', 'import sys'], 'python'), {
      code: 'from __future__ import annotations\nimport os\nimport sys\nX = os.sep or sys.argv',
      added: ['from __future__ import annotations', 'import sys'],
      unplaced: [],
    });
    const between = placeImports('import os\nimport re\nimport sys\n\nf()\n', { startLine: 1, endLine: 1 }, 'import re  # regex', ['from __future__ import annotations', 'import json'], 'python');
    assert.deepEqual([between.added, between.unplaced], [['import json'], ['from __future__ import annotations']]);
  });

  it('reads Python triple-quoted strings full of escapes to their end, an escaped quote no closing one', () => {
    // A string of many escapes (bytes written `\x00`) closes on its line: the import after it is the file's.
    const data = ['import os', `DATA = """${String.raw`\x00`.repeat(2000)}"""`, 'import sys', 'def f():', '    return json.dumps(1)', ''].join('\n');
    assert.deepEqual(placeImports(data, { startLine: 4, endLine: 4 }, '    return json.dumps(2)', ['import json', 'import sys'], 'python').added, ['import json']);
    // `\"""` is an escaped quote and two more, no closing quote: the string goes on over the next line, whose import is
    // none of the file's — past an escaped quote before the closing one, and strings of both quotes closed on one line.
    const escaped = [
      'import os',
      String.raw`A = """a\"""b"""`,
      String.raw`B = '''\\''' + """\"" x""" + """\"""`,
      'import fake',
      String.raw`\""" end"""`,
      'import re',
      'def f():',
      '    return 1',
      '',
    ].join('\n');
    assert.deepEqual(placeImports(escaped, { startLine: 7, endLine: 7 }, '    return 2', ['import fake', 'import re'], 'python').added, ['import fake']);
  });

  it("counts an import among the replaced lines as the file's only when the fix's code keeps it", () => {
    // The window's `import requests` is gone with a fix that leaves it out: the answer's import of it goes at the top
    // (it was taken for one the file has, and the fix's `requests.get` was left with no import: NameError).
    const late = ['import os', '', 'def helper():', '    return 1', '', 'import requests', 'r = requests.get(os.environ["URL"])', ''].join('\n');
    const fix = 'r = requests.get(os.environ["URL"], timeout=5)';
    assert.equal(fixed(late, { startLine: 5, endLine: 6 }, fix, ['import requests'], 'python').text, ['import os', 'import requests', '', 'def helper():', '    return 1', '', fix, ''].join('\n'));
    // A fix that keeps it: nothing to add.
    assert.deepEqual(placeImports(late, { startLine: 5, endLine: 6 }, `import requests\n${fix}`, ['import requests'], 'python').added, []);
    // The fix's code stands where the window was: a string the window closes still closes there, and the import after it is the file's.
    const help = ['import os', 'HELP = """', 'usage', '"""', 'import sys', ''].join('\n');
    assert.deepEqual(placeImports(help, { startLine: 2, endLine: 3 }, 'usage: run\n"""', ['import sys'], 'python').added, []);
  });

  it("puts the imports into the fix's code when the file's imports end among the replaced lines or right where they start", () => {
    const doc = "import { a } from './a';\nimport { b } from './b';\nconst x = parseDate(a, b);\n";
    assert.equal(fixed(doc, { startLine: 1, endLine: 2 }, "import { b } from './b';\nconst x = parseDate(a, b) ?? 0;", imports, 'typescript').text, "import { a } from './a';\nimport { b } from './b';\nimport { parseDate } from './util';\nconst x = parseDate(a, b) ?? 0;\n");
    assert.equal(fixed(doc, { startLine: 2, endLine: 2 }, 'const x = parseDate(a, b) ?? 0;', imports, 'typescript').text, "import { a } from './a';\nimport { b } from './b';\nimport { parseDate } from './util';\nconst x = parseDate(a, b) ?? 0;\n");
    // In a CRLF document: the new import's line and the fix's end as the document's.
    const crlf = placeImports(doc.replace(/\n/g, '\r\n'), { startLine: 1, endLine: 2 }, "import { b } from './b';\r\nconst x = parseDate(a, b) ?? 0;", imports, 'typescript');
    assert.equal(JSON.stringify(crlf.code), JSON.stringify("import { b } from './b';\r\nimport { parseDate } from './util';\r\nconst x = parseDate(a, b) ?? 0;"));
    // The fix's code left the imports out: no place for the new one that is sure.
    const lost = placeImports(doc, { startLine: 1, endLine: 2 }, 'const x = parseDate(a, b) ?? 0;', imports, 'typescript');
    assert.deepEqual(lost, { code: 'const x = parseDate(a, b) ?? 0;', added: [], unplaced: imports });
  });

  it('leaves to the user an import of a module the file imports already (TypeScript would declare a name twice), and a language it does not know', () => {
    const doc = "import { a } from './util';\n\nconst d = parseDate(a);\n";
    const r = placeImports(doc, { startLine: 2, endLine: 2 }, 'const d = parseDate(a)!;', ["import { a, parseDate } from './util';", "import { z } from 'zod';"], 'typescript');
    assert.deepEqual(r.unplaced, ["import { a, parseDate } from './util';"]);
    assert.deepEqual(r.added, ["import { z } from 'zod';"]);
    assert.deepEqual(placeImports('x\n', { startLine: 0, endLine: 0 }, 'y', ['require "json"'], 'ruby'), { code: 'y', added: [], unplaced: ['require "json"'] });
  });

  it('leaves out, and does not name as left out, a TypeScript import whose names the file imports from that module already', () => {
    const doc = "import React, { a, b as c } from './x';\nimport type { T, U } from \"./t\";\nimport * as path from 'node:path';\n\nf();\n";
    const statements = ["import { a } from './x';", 'import { b as c } from "./x"', "import React from './x';", "import type {\n  U,\n} from './t';", "import * as path from 'node:path';"];
    assert.deepEqual(placeImports(doc, { startLine: 4, endLine: 4 }, 'g(a);', statements, 'typescript'), { code: 'g(a);', added: [], unplaced: [] });
    // A name it does not have yet from that module is still the user's to merge.
    assert.deepEqual(placeImports(doc, { startLine: 4, endLine: 4 }, 'g(a);', ["import { a, b } from './x';"], 'typescript').unplaced, ["import { a, b } from './x';"]);
    // `import { type U }` is the file's `import type { U }`, and a value import brings the type too; but a value import
    // beside the file's type-only one is new, the user's to merge.
    const typeOnly = ["import { type U } from './t';", "import { type T as T, type U } from './t';", "import type { a } from './x';", "import type React from './x';"];
    assert.deepEqual(placeImports(doc, { startLine: 4, endLine: 4 }, 'g(a);', typeOnly, 'typescript'), { code: 'g(a);', added: [], unplaced: [] });
    assert.deepEqual(placeImports(doc, { startLine: 4, endLine: 4 }, 'g(a);', ["import { T } from './t';", "import { type as U } from './t';"], 'typescript').unplaced, ["import { T } from './t';", "import { type as U } from './t';"]);
  });
});
