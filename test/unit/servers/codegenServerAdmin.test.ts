import assert from 'node:assert/strict';
import { SANDBOX_TOKEN, startCodegenServer, type CodegenServer, type RequestLogEntry } from '../../servers/codegen/codegenServer';

describe('Codegen contract server admin API (real HTTP)', () => {
  let server: CodegenServer;
  const api = (path: string, init: { method?: string; body?: unknown; token?: string } = {}) =>
    fetch(`${server.url}${path}`, {
      method: init.method ?? 'GET',
      headers: { 'content-type': 'application/json', ...(init.token !== undefined ? { authorization: `Bearer ${init.token}` } : {}) },
      ...(init.body !== undefined ? { body: JSON.stringify(init.body) } : {}),
    });
  const json = async (res: Response): Promise<unknown> => res.json() as Promise<unknown>;

  beforeEach(async () => {
    server = await startCodegenServer({ clock: 'manual' });
  });
  afterEach(() => server.close());

  it('moves a manual clock and the runs with it', async () => {
    const created = (await json(await api('/v1/organizations/1/agent/run', { method: 'POST', token: SANDBOX_TOKEN, body: { prompt: 'x' } }))) as { id: number; status: string };
    assert.equal(created.status, 'PENDING');
    const advanced = (await json(await api('/__admin/advance', { method: 'POST', body: { ms: 60_000 } }))) as { now: number };
    assert.equal(advanced.now, server.clock.now());
    const run = (await json(await api(`/v1/organizations/1/agent/run/${created.id}`, { token: SANDBOX_TOKEN }))) as { status: string };
    assert.equal(run.status, 'COMPLETE');
  });

  it('injects, lists and clears faults', async () => {
    await api('/__admin/faults', { method: 'POST', body: [{ path: 'users/me$', kind: '502-html', times: 2 }, { path: 'agent/runs', kind: '429', retryAfter: '3' }] });
    assert.equal(((await json(await api('/__admin/faults'))) as { faults: unknown[] }).faults.length, 2);
    const r502 = await api('/v1/users/me', { token: SANDBOX_TOKEN });
    assert.equal(r502.status, 502);
    assert.match(await r502.text(), /<title>502 Bad Gateway<\/title>/);
    const r429 = await api('/v1/organizations/1/agent/runs', { token: SANDBOX_TOKEN });
    assert.equal(r429.status, 429);
    assert.equal(r429.headers.get('retry-after'), '3');
    await api('/__admin/faults', { method: 'DELETE' });
    assert.equal((await api('/v1/users/me', { token: SANDBOX_TOKEN })).status, 200);
    const bad = await api('/__admin/faults', { method: 'POST', body: { path: 'x', kind: 'explode' } });
    assert.equal(bad.status, 400);
  });

  it('revokes and adds tokens; the request log never holds a token', async () => {
    await api('/__admin/tokens', { method: 'POST', body: { revoke: [SANDBOX_TOKEN], add: ['second-token'] } });
    assert.equal((await api('/v1/users/me', { token: SANDBOX_TOKEN })).status, 401);
    assert.equal(((await json(await api('/v1/users/me', { token: 'second-token' }))) as { id: number }).id, 2);
    await api('/v1/organizations/1/agent/run', { method: 'POST', token: 'second-token', body: { prompt: 'my token is second-token' } });
    const logText = await (await api('/__admin/requests')).text();
    assert.ok(!logText.includes(SANDBOX_TOKEN) && !logText.includes('second-token'));
    const log = (JSON.parse(logText) as { requests: RequestLogEntry[] }).requests;
    assert.deepEqual(
      log.map((e) => [e.path, e.auth, e.status]),
      [
        ['/v1/users/me', 'invalid', 401],
        ['/v1/users/me', 'valid', 200],
        ['/v1/organizations/1/agent/run', 'valid', 200],
      ],
    );
    assert.deepEqual(log[2]?.body, { prompt: 'my token is «token»' });
  });

  it('a revoked token accepted again belongs to the same user', async () => {
    await api('/__admin/tokens', { method: 'POST', body: { revoke: [SANDBOX_TOKEN] } });
    assert.equal((await api('/v1/users/me', { token: SANDBOX_TOKEN })).status, 401);
    await api('/__admin/tokens', { method: 'POST', body: { add: [SANDBOX_TOKEN, 'other-token'] } });
    assert.equal(((await json(await api('/v1/users/me', { token: SANDBOX_TOKEN }))) as { id: number }).id, 1);
    assert.equal(((await json(await api('/v1/users/me', { token: 'other-token' }))) as { id: number }).id, 2);
  });

  it('forces a run status and resets to the seeded state', async () => {
    const forced = (await json(await api('/__admin/runs/101', { method: 'POST', body: { status: 'FAILED' } }))) as { status: string };
    assert.equal(forced.status, 'FAILED');
    await api('/__admin/reset', { method: 'POST' });
    const run = (await json(await api('/v1/organizations/1/agent/run/101', { token: SANDBOX_TOKEN }))) as { status: string };
    assert.equal(run.status, 'COMPLETE');
    assert.deepEqual(((await json(await api('/__admin/requests'))) as { requests: unknown[] }).requests.length, 1);
  });

  it('stops a run frozen at RUNNING', async () => {
    const created = (await json(await api('/v1/organizations/1/agent/run', { method: 'POST', token: SANDBOX_TOKEN, body: { prompt: 'x' } }))) as { id: number };
    await api(`/__admin/runs/${created.id}`, { method: 'POST', body: { status: 'RUNNING' } });
    await api('/__admin/advance', { method: 'POST', body: { ms: 600_000 } });
    const running = (await json(await api(`/v1/organizations/1/agent/run/${created.id}`, { token: SANDBOX_TOKEN }))) as { status: string };
    assert.equal(running.status, 'RUNNING', 'frozen: time does not move it');
    const stopped = (await json(
      await api('/v1/beta/organizations/1/agent/run/stop', { method: 'POST', token: SANDBOX_TOKEN, body: { agent_run_id: created.id } }),
    )) as { status: string; result: string | null };
    assert.equal(stopped.status, 'STOPPED');
    assert.equal(stopped.result, null);
  });

  it('answers unknown paths 404 and wrong methods 405 like the live service', async () => {
    assert.deepEqual(await json(await api('/v1/nope', { token: SANDBOX_TOKEN })), { detail: 'Not Found' });
    const wrong = await api('/v1/users/me', { method: 'POST', token: SANDBOX_TOKEN });
    assert.equal(wrong.status, 405);
  });
});
