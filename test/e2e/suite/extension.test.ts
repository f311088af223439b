import assert from 'node:assert/strict';
import path from 'node:path';
import * as vscode from 'vscode';
import { HOST_ENV, requireHostEnv } from '../harness/hostEnv';
import { EXTENSION_ID } from '../harness/paths';

interface ManifestCommand {
  command: string;
}

function productExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  assert.ok(ext, `${EXTENSION_ID} is not installed`);
  return ext;
}

suite('Contexten Codegen extension (installed from the .vsix)', () => {
  test('is installed from the packaged .vsix, not loaded from the source tree', () => {
    const ext = productExtension();
    const extensionsDir = requireHostEnv(HOST_ENV.extensionsDir);
    assert.equal(path.dirname(ext.extensionUri.fsPath), extensionsDir);
    assert.equal(ext.extensionKind, vscode.ExtensionKind.Workspace);
  });

  test('activates and exports its public API with apiVersion 1', async () => {
    const ext = productExtension();
    const api: unknown = await ext.activate();
    assert.ok(ext.isActive);
    assert.ok(typeof api === 'object' && api !== null, 'activate() returned no API object');
    assert.equal((api as { apiVersion?: unknown }).apiVersion, 1);
  });

  test('registers every command its package.json contributes', async () => {
    const ext = productExtension();
    await ext.activate();
    const contributed = (ext.packageJSON as { contributes?: { commands?: ManifestCommand[] } }).contributes?.commands ?? [];
    assert.ok(contributed.length > 0, 'package.json contributes no commands');
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.map((c) => c.command).filter((id) => !registered.has(id));
    assert.deepEqual(missing, []);
  });
});
