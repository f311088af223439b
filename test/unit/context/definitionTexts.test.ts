import assert from 'node:assert/strict';
import { deflateSync, inflateSync } from 'node:zlib';
import { NO_TEXTS, PackedTexts, packTexts, plainTexts, unreadableTextsFound, type PlainTexts } from '../../../src/core/context/definitionTexts';
import { seededRandom } from './builders';

describe('definition texts', () => {
  it('packs texts smaller and reads back the same strings, whatever characters they hold', () => {
    const random = seededRandom(5);
    const pieces = ['export function ', 'é', '😀', '\n', ' * Returns the ', 'x', '中文', '\t'];
    for (let i = 0; i < 200; i++) {
      const text = (n: number): string => Array.from({ length: n }, () => pieces[Math.floor(random() * pieces.length)] ?? '').join('');
      const texts = { signatures: text(Math.floor(random() * 200)), docs: i % 3 === 0 ? '' : text(Math.floor(random() * 400)) };
      const packed = packTexts(texts);
      assert.equal(packed.signatureLength, texts.signatures.length);
      assert.equal(packed.length, texts.signatures.length + texts.docs.length);
      assert.deepEqual({ ...plainTexts(packed) }, texts);
    }
    const long = { signatures: 'export function run(a: string): void\n'.repeat(100), docs: 'Runs it.\n'.repeat(100) };
    assert.ok(packTexts(long).bytes.length < Buffer.byteLength(long.signatures + long.docs) / 4);
  });

  it('keeps the compressed bytes in a buffer of their own (never a view of zlib\'s whole output chunk)', () => {
    const texts = { signatures: 'function f(a: string): void', docs: 'Does f.' };
    const own = packTexts(texts);
    assert.ok(own.bytes.length > 0 && own.bytes.byteOffset === 0 && own.bytes.buffer.byteLength === own.bytes.length);
    assert.deepEqual(plainTexts(own), texts);
  });

  it('packs empty texts to no bytes and gives plain texts back as they are', () => {
    const empty = packTexts({ signatures: '', docs: '' });
    assert.equal(empty.bytes.length, 0);
    assert.equal(plainTexts(empty), NO_TEXTS);
    const plain = { signatures: 'f()', docs: '' };
    assert.equal(plainTexts(plain), plain);
  });

  it('keeps the 32 most recently read files\' texts inflated (the same strings on a second read) and inflates again those it let go', () => {
    const packed = Array.from({ length: 41 }, (_, i) => packTexts({ signatures: `function f${i}()`, docs: `Doc ${i}.` }));
    const read = (i: number): PlainTexts => plainTexts(packed[i] as PackedTexts);
    const first = packed.slice(0, 40).map((_, i) => read(i));
    // The last 32 read are still kept: the same object again.
    for (let i = 8; i < 40; i++) assert.equal(read(i), first[i]);
    // The first 8 were let go: inflated anew, equal.
    for (let i = 0; i < 8; i++) {
      const again = read(i);
      assert.notEqual(again, first[i]);
      assert.deepEqual(again, first[i]);
    }
    // Reading keeps a file: 16 was read after 17, so a new file lets 17 go, not 16.
    const sixteen = read(16);
    read(40);
    assert.equal(read(16), sixteen);
    assert.notEqual(read(17), first[17]);
  });

  it('reads texts that do not inflate, fail their check, or are not UTF-8 of their saved length as none, and marks them unreadable', () => {
    const good = packTexts({ signatures: 'function f(): void', docs: 'Does it.' });
    const flipped = new Uint8Array(good.bytes);
    flipped[flipped.length - 1] = (flipped[flipped.length - 1] ?? 0) ^ 1;
    const bad = [
      new PackedTexts(new Uint8Array(good.bytes.length).fill(0xff), good.signatureLength, good.length),
      // (The last byte is the check's: the texts inflate, but not to what was compressed.)
      new PackedTexts(flipped, good.signatureLength, good.length),
      new PackedTexts(good.bytes, good.signatureLength, good.length + 1),
    ];
    // Bytes that inflate, to a byte that is not UTF-8.
    const notUtf8 = deflateSync(new Uint8Array([0xff]));
    assert.deepEqual([...inflateSync(notUtf8)], [0xff]);
    bad.push(new PackedTexts(notUtf8, 1, 1));
    const foundBefore = unreadableTextsFound();
    for (const texts of bad) {
      assert.equal(plainTexts(texts), NO_TEXTS);
      assert.equal(texts.unreadable, true);
    }
    assert.equal(unreadableTextsFound(), foundBefore + bad.length, 'each counted once found unreadable');
    for (const texts of bad) assert.equal(plainTexts(texts), NO_TEXTS);
    assert.equal(unreadableTextsFound(), foundBefore + bad.length, 'and not again when read again');
    assert.equal(good.unreadable, false);
    assert.deepEqual(plainTexts(good), { signatures: 'function f(): void', docs: 'Does it.' });
    assert.equal(good.unreadable, false);
    assert.equal(unreadableTextsFound(), foundBefore + bad.length);
  });
});
