import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:net';
import { CONTRACT_SERVERS } from '../../e2e/harness/contractServers';
import { freePort, preferredPort } from '../../e2e/harness/freePort';

describe('npm start: the sandboxes’ ports', () => {
  it('each sandbox has a port of its own that stays the same between runs (the kept profile’s token is stored for its origin)', () => {
    const ports = CONTRACT_SERVERS.map((s) => s.sandboxPort);
    assert.ok(ports.every((p) => Number.isInteger(p) && p > 1024 && p < 65536), String(ports));
    assert.equal(new Set(ports).size, ports.length);
  });

  it('uses the preferred port when free; when it is taken, another, with a line saying so', async () => {
    const port = await freePort();
    const lines: string[] = [];
    assert.equal(await preferredPort(port, 'codegen sandbox', (l) => lines.push(l)), port);
    assert.equal(lines.length, 0);
    const holder: Server = createServer();
    await new Promise<void>((resolve) => holder.listen(port, '127.0.0.1', resolve));
    try {
      const other = await preferredPort(port, 'codegen sandbox', (l) => lines.push(l));
      assert.notEqual(other, port);
      assert.equal(lines.length, 1);
      assert.match(lines[0] ?? '', new RegExp(`^codegen sandbox: port ${port} is taken, so it listens on ${other} this time`));
    } finally {
      await new Promise<void>((resolve) => holder.close(() => resolve()));
    }
  });
});
