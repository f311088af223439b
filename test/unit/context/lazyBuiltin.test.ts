import * as assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { lazyBuiltin } from '../../../src/core/context/lazyBuiltin';

describe('lazyBuiltin', () => {
  it('gives the built-in module itself, on every call', () => {
    const zlib = lazyBuiltin<typeof import('node:zlib')>('node:zlib');
    const loaded = zlib();
    assert.equal(loaded, createRequire(__filename)('node:zlib'));
    assert.equal(zlib(), loaded);
    assert.equal(typeof loaded.inflateSync, 'function');
  });

  it('loads nothing until its first call', () => {
    const missing = lazyBuiltin<unknown>('node:no-such-module');
    // (A name that does not exist fails only when the module is asked for.)
    assert.throws(() => missing(), /no-such-module/);
  });
});
