import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { FOLDER_SETTINGS, SETTINGS } from '../../src/core/config/configSchema';

interface Manifest {
  contributes: {
    commands: { command: string; category?: string }[];
    menus: Record<string, { command: string; when?: string }[]>;
    keybindings: { command: string; key: string; mac?: string; when?: string }[];
    configuration: { properties: Record<string, { default?: unknown; scope?: string }> };
  };
}
const manifest = JSON.parse(readFileSync(path.join(__dirname, '../../package.json'), 'utf8')) as Manifest;

describe('package.json manifest', () => {
  it('declares exactly the settings of the config schema, with the same defaults', () => {
    const declared = Object.keys(manifest.contributes.configuration.properties).sort();
    const schema = Object.keys(SETTINGS).map((k) => `contexten.${k}`).sort();
    assert.deepEqual(declared, schema);
    for (const [k, spec] of Object.entries(SETTINGS)) {
      assert.deepEqual(manifest.contributes.configuration.properties[`contexten.${k}`]?.default, spec.default, k);
    }
  });

  it('gives "scope": "resource" (a folder may set its own) to exactly the settings checked per folder', () => {
    const resource = Object.entries(manifest.contributes.configuration.properties).filter(([, p]) => p.scope === 'resource').map(([k]) => k).sort();
    assert.deepEqual(resource, FOLDER_SETTINGS.map((k) => `contexten.${k}`).sort());
  });

  it('declares exactly the commands of the command table, each with a category', async () => {
    // commands.ts imports vscode only as a type at module level through the table; read ids from source.
    const src = readFileSync(path.join(__dirname, '../../src/vscode/commands.ts'), 'utf8');
    const table = src.slice(src.indexOf('export const COMMANDS'));
    const ids = [...table.matchAll(/^\s+'(contexten\.[A-Za-z.]+)':/gm)].map((m) => m[1]).sort();
    const declared = manifest.contributes.commands.map((c) => c.command).sort();
    assert.ok(ids.length > 0);
    assert.deepEqual(declared, ids);
    for (const c of manifest.contributes.commands) assert.ok(c.category, `${c.command} has a category`);
  });

  it('offers the commands that edit the active editor in the palette only when it is writable', () => {
    // (In a read-only editor — a git: HEAD view — they would do nothing; the code says so if they run anyway.)
    for (const command of ['contexten.generateWithContext', 'contexten.fixWithContext']) {
      const entry = manifest.contributes.menus['commandPalette']?.find((m) => m.command === command);
      assert.ok(entry?.when, `${command} has a palette when-clause`);
      assert.match(entry.when, /(^|&& )!editorReadonly( &&|$)/, command);
    }
  });

  it('offers Cancel Indexing in the palette while indexing runs (the context key the context service sets then, INDEXING_CONTEXT_KEY)', () => {
    const entry = manifest.contributes.menus['commandPalette']?.find((m) => m.command === 'contexten.context.cancelIndexing');
    // (Not "false": the README lists it among the commands, and without it only the status bar item cancels.)
    assert.equal(entry?.when, 'contexten.indexing');
  });

  it('binds Ctrl+Alt+G (Cmd+Alt+G) to one command in any editor state: Generate with Context on a selection, Generate Code… without', () => {
    const commands = new Set(manifest.contributes.commands.map((c) => c.command));
    const bindings = manifest.contributes.keybindings;
    for (const b of bindings) assert.ok(commands.has(b.command), `${b.command} is a declared command`);
    const g = bindings.filter((b) => b.key === 'ctrl+alt+g');
    assert.deepEqual(g.map((b) => b.command).sort(), ['contexten.generate', 'contexten.generateWithContext']);
    for (const b of g) assert.equal(b.mac, 'cmd+alt+g', b.command);
    const terms = (b: { when?: string }): string[] => (b.when ?? '').split('&&').map((t) => t.trim());
    const withSelection = g.find((b) => b.command === 'contexten.generateWithContext');
    const without = g.find((b) => b.command === 'contexten.generate');
    assert.ok(withSelection && without);
    // Mutually exclusive, so one press never runs both; the editing one only where the editor can be edited.
    assert.ok(terms(withSelection).includes('editorHasSelection') && terms(without).includes('!editorHasSelection'));
    assert.ok(terms(withSelection).includes('!editorReadonly'));
    for (const b of g) assert.ok(terms(b).includes('editorTextFocus'), `${b.command} only while typing in an editor`);
  });
});
