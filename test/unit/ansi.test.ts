import assert from 'node:assert/strict';
import { stripAnsi } from '../../src/core/ansi';

describe('stripAnsi (terminal escape sequences in text shown in a document)', () => {
  it('removes colors, cursor moves and their 8-bit forms, keeping the text', () => {
    assert.equal(stripAnsi('\u001b[31mred\u001b[0m and \u001b[1;32mbold green\u001b[m'), 'red and bold green');
    assert.equal(stripAnsi('\u001b[2K\u001b[1Gprogress 50%\u001b[?25h'), 'progress 50%');
    assert.equal(stripAnsi('\u009b31mred\u009b0m'), 'red');
    assert.equal(stripAnsi('\u001b[38;2;255;0;0mtrue color\u001b[39m'), 'true color');
  });

  it('removes OSC sequences (a title, a hyperlink: its text kept), ended by BEL or ST, or unended to the line end', () => {
    assert.equal(stripAnsi('\u001b]0;my title\u0007after'), 'after');
    assert.equal(stripAnsi('see \u001b]8;;https://example.com/x\u001b\\the docs\u001b]8;;\u001b\\ now'), 'see the docs now');
    assert.equal(stripAnsi('\u009d8;;https://e.example\u009clink\u009d8;;\u009c'), 'link');
    assert.equal(stripAnsi('a\u001b]0;never ended\nnext line'), 'a\nnext line');
  });

  it('removes DCS, SOS, PM and APC control strings with their payloads, 7- and 8-bit, ended or unended to the line end', () => {
    assert.equal(stripAnsi('a\u001bP+q544e\u001b\\b'), 'ab', 'DCS: a terminfo query');
    assert.equal(stripAnsi('\u001bPtmux;\u001b\u001b[31m\u001b\\red?'), 'red?', 'tmux passthrough');
    assert.equal(stripAnsi('x\u001b_Gf=100,a=T;iVBORw0KGgo=\u001b\\y'), 'xy', 'APC: a kitty graphics image');
    assert.equal(stripAnsi('x\u001b^private\u0007y\u001bXsos\u001b\\z'), 'xyz', 'PM, SOS');
    assert.equal(stripAnsi('x\u0090q\u009cy\u009fapc\u009cz'), 'xyz', '8-bit DCS, APC');
    assert.equal(stripAnsi('a\u001bPnever ended\nnext line'), 'a\nnext line');
  });

  it('removes other escapes and a lone ESC; leaves text without any as it is (brackets, tabs, newlines, Unicode)', () => {
    assert.equal(stripAnsi('\u001b7saved\u001b8 \u001bMup\u001b'), 'saved up');
    assert.equal(stripAnsi('\u001b[1mbold\u001b(B\u001b[m plain'), 'bold plain', "tput sgr0's ESC ( B");
    const plain = 'array[0] = f(x);\n\ttab — naïve 日本 [31m';
    assert.equal(stripAnsi(plain), plain);
  });
});
