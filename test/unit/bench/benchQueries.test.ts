import * as assert from 'node:assert/strict';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { deriveQueries } from '../../../bench/benchQueries';
import type { Corpus } from '../../../bench/corpora';

describe('derived bench queries', () => {
  let root = '';
  let corpus: Corpus;
  before(() => {
    root = mkdtempSync(path.join(os.tmpdir(), 'bench-queries-'));
    const files = {
      'src/invoice.ts': '/** Computes the invoice total including every tax line. */\nexport function computeInvoiceTotal(lines: number[]) { return sumTaxLines(lines) }\n',
      'src/tax.ts': '// Sums the tax lines of one invoice in cents.\nexport function sumTaxLines(lines: number[]) { return lines.length }\n',
      'app/report.py': 'def render_monthly_report(rows):\n    """Renders the monthly report as a table of rows."""\n    return rows\n',
    };
    for (const [rel, text] of Object.entries(files)) {
      mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
      writeFileSync(path.join(root, rel), text);
    }
    corpus = { name: 'tiny', root, files: Object.entries(files).map(([p, t]) => ({ path: p, size: t.length })), bytes: 0, skippedLarge: 0 };
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('derives distinct queries from doc comments and identifiers, the same for the same seed', () => {
    const a = deriveQueries(corpus, 12, 3);
    assert.deepEqual(deriveQueries(corpus, 12, 3), a);
    assert.equal(new Set(a.map((q) => q.query)).size, a.length);
    assert.ok(a.some((q) => q.query === 'Computes the invoice total including every tax line.'), JSON.stringify(a.map((q) => q.query)));
    assert.ok(a.some((q) => /computeInvoiceTotal|sumTaxLines|render_monthly_report/.test(q.query)));
    const paths = new Set(corpus.files.map((f) => f.path));
    assert.ok(a.every((q) => paths.has(q.activeFile) && q.openFiles.every((f) => paths.has(f))));
  });
});
