import assert from 'node:assert/strict';
import { lockedByMode, patternsOn, readOnlyBySettings } from '../../../src/vscode/readOnlyFiles';

const inFolder = (relative: string): { relative: string; absolute: string } => ({ relative, absolute: `/work/app/${relative}` });

describe('readOnlyBySettings (files.readonlyInclude / files.readonlyExclude)', () => {
  it('marks a file an included pattern matches, relative to its workspace folder, dot files too', () => {
    const include = { 'src/generated/**': true, '**/*.lock': true };
    assert.equal(readOnlyBySettings(inFolder('src/generated/api.ts'), include, {}, false), true);
    assert.equal(readOnlyBySettings(inFolder('deep/x/yarn.lock'), include, {}, false), true);
    assert.equal(readOnlyBySettings(inFolder('.config/.cache.lock'), include, {}, false), true);
    assert.equal(readOnlyBySettings(inFolder('src/main.ts'), include, {}, false), false);
    // A file outside every folder (or in a window with none) is matched by every pattern on its absolute path, as VS Code does.
    assert.equal(readOnlyBySettings({ relative: undefined, absolute: '/elsewhere/yarn.lock' }, include, {}, false), true);
    assert.equal(readOnlyBySettings({ relative: undefined, absolute: '/elsewhere/src/generated/api.ts' }, include, {}, false), false);
    assert.equal(readOnlyBySettings({ relative: undefined, absolute: '/elsewhere/main.ts' }, include, {}, false), false);
  });

  it('leaves out what readonlyExclude matches, and patterns set to false or to anything but true', () => {
    const include = { 'src/**': true, 'docs/**': false, 'vendor/**': 'yes' };
    const exclude = { 'src/editable/**': true };
    assert.equal(readOnlyBySettings(inFolder('src/a.ts'), include, exclude, false), true);
    assert.equal(readOnlyBySettings(inFolder('src/editable/b.ts'), include, exclude, false), false);
    assert.equal(readOnlyBySettings(inFolder('docs/guide.md'), include, exclude, false), false);
    assert.equal(readOnlyBySettings(inFolder('vendor/lib.js'), include, exclude, false), false);
    assert.deepEqual(patternsOn(include), ['src/**']);
  });

  it('matches absolute patterns against the absolute path (also Windows spellings), inside a folder or not', () => {
    assert.equal(readOnlyBySettings({ relative: undefined, absolute: '/opt/sdk/include/api.h' }, { '/opt/sdk/**': true }, {}, false), true);
    assert.equal(readOnlyBySettings(inFolder('src/a.ts'), { '/work/app/src/*.ts': true }, {}, false), true);
    assert.equal(readOnlyBySettings({ relative: undefined, absolute: 'C:\\sdk\\api.h' }, { 'C:\\sdk\\**': true }, {}, false), true);
  });

  it('matches case as the platform does, and takes VS Code globs ([!…] classes, braces)', () => {
    assert.equal(readOnlyBySettings(inFolder('SRC/Gen.ts'), { 'src/gen.ts': true }, {}, false), false);
    assert.equal(readOnlyBySettings(inFolder('SRC/Gen.ts'), { 'src/gen.ts': true }, {}, true), true);
    assert.equal(readOnlyBySettings(inFolder('src/b.ts'), { 'src/[!_]*.ts': true }, {}, false), true);
    assert.equal(readOnlyBySettings(inFolder('src/_b.ts'), { 'src/[!_]*.ts': true }, {}, false), false);
    assert.equal(readOnlyBySettings(inFolder('out/x.js'), { '{out,dist}/**': true }, {}, false), true);
    // ( ) | are literal, as in VS Code's globs (not a regex group and alternation), and {a} is a.
    assert.equal(readOnlyBySettings(inFolder('app/(auth)/page.tsx'), { 'app/(auth)/**': true }, {}, false), true);
    assert.equal(readOnlyBySettings(inFolder('app/auth/page.tsx'), { 'app/(auth)/**': true }, {}, false), false);
    assert.equal(readOnlyBySettings(inFolder('gen/a.ts'), { '**/{gen}/**': true }, {}, false), true);
  });

  it('takes a setting that is no object of patterns (a wrong value in settings.json) for none', () => {
    for (const bad of [undefined, null, 'src/**', ['src/**'], 3]) assert.equal(readOnlyBySettings(inFolder('src/a.ts'), bad, {}, false), false, String(bad));
    assert.equal(readOnlyBySettings(inFolder('src/a.ts'), { 'src/**': true }, 'junk', false), true);
  });

  it("locks a file for files.readonlyFromPermissions as VS Code does: by its owner's write bit, not by who asks", () => {
    assert.equal(lockedByMode(0o100444), true);
    assert.equal(lockedByMode(0o100544), true);
    assert.equal(lockedByMode(0o100644), false);
    assert.equal(lockedByMode(0o100200), false);
  });
});
