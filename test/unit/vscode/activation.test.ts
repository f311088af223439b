import assert from 'node:assert/strict';
import path from 'node:path';
// (First: the glue imported below gets this fake as its module 'vscode'.)
import { commands, EventEmitter, fakeVscode, Uri, window as fakeWindow } from '../fakes/fakeVscode';
import type * as vscode from 'vscode';
import { COMMANDS } from '../../../src/vscode/commands';
import { Container } from '../../../src/vscode/container';
import { activate } from '../../../src/vscode/extension';

const REPO = path.join(__dirname, '../../..');

/** What VS Code gives activate(): an in-memory secret storage and memento, no storage folder. */
function extensionContext(): vscode.ExtensionContext & { subscriptions: { dispose(): unknown }[] } {
  const secrets = { get: () => Promise.resolve(undefined), store: () => Promise.resolve(), delete: () => Promise.resolve(), onDidChange: new EventEmitter<unknown>().event };
  const memento = { get: <T>(_key: string, fallback?: T) => fallback, update: () => Promise.resolve(), keys: () => [] };
  return {
    subscriptions: [],
    secrets,
    globalState: memento,
    workspaceState: memento,
    extensionUri: Uri.file(REPO),
    storageUri: undefined,
    extension: { packageJSON: { version: '0.0.0-test' } },
  } as unknown as vscode.ExtensionContext & { subscriptions: { dispose(): unknown }[] };
}

describe('activation (extension.ts and the Container, on a fake VS Code)', () => {
  const createTreeView = fakeWindow.createTreeView;
  let taken: { dispose(): void } | undefined;

  beforeEach(() => fakeVscode.openWorkspace(path.join(REPO, 'test/fixtures')));
  afterEach(() => {
    fakeWindow.createTreeView = createTreeView;
    taken?.dispose();
    taken = undefined;
  });

  it('a command id taken already: the container and every command registered before it are in context.subscriptions', () => {
    // Another extension (or a second copy of this one) registered one of the ids first.
    taken = commands.registerCommand('contexten.generate', () => undefined);
    const statusBefore = fakeVscode.statusBarItems.length;
    const context = extensionContext();
    assert.throws(() => activate(context), /command 'contexten\.generate' already exists/);
    assert.match(fakeVscode.messages.at(-1)?.text ?? '', /failed to activate/);

    const ids = Object.keys(COMMANDS);
    const before = ids.indexOf('contexten.generate');
    assert.ok(context.subscriptions.some((d) => d instanceof Container), 'the container');
    assert.equal(context.subscriptions.length, 1 + before, 'the container and the commands registered before the failure');
    // What VS Code does with them: disposes every one.
    for (const d of context.subscriptions) d.dispose();
    assert.deepEqual(fakeVscode.registeredCommands(), ['contexten.generate'], 'only the other extension\'s command is left');
    const made = fakeVscode.statusBarItems.slice(statusBefore);
    assert.ok(made.length > 0);
    assert.deepEqual(
      made.filter((i) => !i.disposed),
      [],
      'no status bar item left behind',
    );
  });

  it('a Container that fails partway disposes what it made before the failure', () => {
    const statusBefore = fakeVscode.statusBarItems.length;
    fakeWindow.createTreeView = () => {
      throw new Error('No view is registered with id: contexten.tasks');
    };
    const context = extensionContext();
    assert.throws(() => activate(context), /No view is registered/);
    assert.deepEqual(context.subscriptions, [], 'nothing for VS Code to dispose');
    const made = fakeVscode.statusBarItems.slice(statusBefore);
    assert.ok(made.length > 0, 'the sign-in status bar item was made before the task view');
    assert.deepEqual(
      made.filter((i) => !i.disposed),
      [],
      'no status bar item left behind',
    );
    assert.deepEqual(fakeVscode.registeredCommands(), []);
  });
});
