import assert from 'node:assert/strict';
import type { AgentRun } from '../../../src/core/api/codegenClient';
import { runStateOf } from '../../../src/core/api/codegenSchemas';
import { RunList } from '../../../src/core/tasks/runList';

const T0 = Date.UTC(2025, 5, 21, 12, 0, 0);

/** Run `id` created `id` seconds after T0 (a higher id is newer), as the server lists them. */
function run(id: number, status = 'COMPLETE', createdAt: number | null = T0 + id * 1000): AgentRun {
  return { id, organizationId: 1, status, state: runStateOf(status), pullRequests: [], ...(createdAt !== null ? { createdAt: new Date(createdAt) } : {}) };
}

/** The server's list, newest first: runs 1001…1000+n. */
function serverRuns(n: number): AgentRun[] {
  return Array.from({ length: n }, (_, i) => run(1000 + n - i));
}

/** The server's page at `skip`. */
function page(all: readonly AgentRun[], skip: number, limit: number): { items: AgentRun[]; received: number; total: number } {
  const items = all.slice(skip, skip + limit);
  return { items, received: items.length, total: all.length };
}

/** Loads the next page of `server` from where the list stands: then it shows every run of the server, and no more to load. */
function loadsTheRest(list: RunList, server: readonly AgentRun[]): void {
  const next = page(server, list.offset, 25);
  list.appendPage(next.items, next.received, next.total);
  assert.deepEqual(
    list.runs.map((r) => r.id),
    server.map((r) => r.id),
  );
  assert.ok(!list.hasMore);
}

describe('RunList (the Agent Tasks list and its paging)', () => {
  it('a run resumed by id that is not shown does not make Load more skip one; it is shown after the loaded runs, then at its place', () => {
    const all = serverRuns(35);
    const list = new RunList();
    const first = page(all, 0, 25);
    list.replace(first.items, first.received, first.total);
    const resumed = { ...run(1005, 'RUNNING') };
    list.upsert(resumed);
    assert.equal(list.offset, 25, 'the next page starts where it did');
    assert.equal(list.total, 35);
    assert.equal(list.runs.length, 26);
    assert.equal(list.runs[0]?.id, 1035, 'the resumed run does not jump to the top');
    assert.equal(list.runs.at(-1)?.id, 1005);
    assert.ok(list.hasMore);

    const next = page(all, list.offset, 25);
    list.appendPage(next.items, next.received, next.total);
    assert.deepEqual(
      list.runs.map((r) => r.id),
      all.map((r) => r.id),
      'every run once, in the server order',
    );
    assert.ok(!list.hasMore);
  });

  it('a run created since the list was loaded goes on top and moves the next page down a place', () => {
    const all = serverRuns(30);
    const list = new RunList();
    const first = page(all, 0, 25);
    list.replace(first.items, first.received, first.total);
    const created = run(1031, 'PENDING');
    list.upsert(created);
    const server = [created, ...all];
    assert.equal(list.runs[0]?.id, 1031);
    assert.equal(list.total, 31);
    const next = page(server, list.offset, 25);
    list.appendPage(next.items, next.received, next.total);
    assert.deepEqual(
      list.runs.map((r) => r.id),
      server.map((r) => r.id),
    );
  });

  it('a run within the loaded span that was not shown (unreadable in its page) is placed by creation time, moving nothing', () => {
    const all = serverRuns(30);
    const list = new RunList();
    const shown = all.slice(0, 25).filter((r) => r.id !== 1020);
    list.replace(shown, 25, 30);
    list.upsert(run(1020, 'RUNNING'));
    assert.deepEqual(
      list.runs.map((r) => r.id),
      all.slice(0, 25).map((r) => r.id),
    );
    assert.equal(list.offset, 25);
    assert.equal(list.total, 30);
  });

  it('replaces a known run in place, including one shown after the loaded runs', () => {
    const all = serverRuns(35);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 35);
    list.upsert(run(1030, 'RUNNING'));
    list.upsert(run(1003, 'RUNNING'));
    list.upsert(run(1003, 'COMPLETE'));
    list.upsert(run(1030, 'COMPLETE'));
    assert.equal(list.runs.length, 26);
    assert.equal(list.get(1003)?.status, 'COMPLETE');
    assert.equal(list.get(1030)?.status, 'COMPLETE');
    assert.equal(list.runs[5]?.id, 1030);
    assert.equal(list.offset, 25);
  });

  it('a page that brings one of two runs shown beyond the loaded ones takes that one to its place and keeps the other at the end', () => {
    const all = serverRuns(60);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 60);
    list.upsert(run(1020, 'RUNNING'));
    list.upsert(run(1002, 'RUNNING'));
    const next = page(all, list.offset, 25); // 1035 … 1011
    list.appendPage(next.items, next.received, next.total);
    assert.deepEqual(list.runs.map((r) => r.id), [...Array.from({ length: 50 }, (_, i) => 1060 - i), 1002]);
  });

  it('more to load is told by the server offset: a run nobody could read does not leave "Load more" forever', () => {
    const all = serverRuns(26);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 26);
    assert.ok(list.hasMore);
    // The last run is sent but cannot be read: the page has no item, one received.
    list.appendPage([], 1, 26);
    assert.equal(list.runs.length, 25);
    assert.ok(!list.hasMore);
  });

  it('removing a run shifts the next page only when it was one of the loaded pages', () => {
    const all = serverRuns(35);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 35);
    const ids = (from: number, to: number): number[] => Array.from({ length: from - to + 1 }, (_, i) => from - i);
    list.upsert(run(1002, 'RUNNING'));
    assert.deepEqual(list.runs.map((r) => r.id), [...ids(1035, 1011), 1002]);
    list.remove(1002);
    assert.equal(list.get(1002), undefined);
    assert.deepEqual(list.runs.map((r) => r.id), ids(1035, 1011), 'only the removed run is gone');
    assert.equal(list.offset, 25);
    assert.equal(list.total, 34);
    list.remove(1030);
    assert.equal(list.get(1030), undefined);
    assert.deepEqual(list.runs.map((r) => r.id), [...ids(1035, 1031), ...ids(1029, 1011)], 'only the removed run is gone');
    assert.equal(list.offset, 24);
    assert.equal(list.total, 33);
  });

  it('a page read before a run was upserted or removed keeps the newer state: its older copy is passed over', () => {
    const all = serverRuns(30);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 30);
    list.upsert(run(1029, 'RUNNING'));
    const since = list.mark(); // the refresh is sent: the server reads 1029 RUNNING, 1028 COMPLETE, 1027 …
    const read = page(
      all.map((r) => (r.id === 1029 ? run(1029, 'RUNNING') : r)),
      0,
      25,
    );
    list.upsert(run(1029, 'COMPLETE')); // a poll sees it end, before the page arrives
    list.upsert(run(1028, 'RUNNING')); // 1028 is resumed
    list.remove(1027); // 1027 is found gone
    const created = run(1031, 'PENDING'); // created after the server read the list
    list.upsert(created);
    const taken = list.replace(read.items, read.received, read.total, since);
    assert.equal(list.get(1029)?.status, 'COMPLETE');
    assert.equal(list.get(1028)?.status, 'RUNNING');
    assert.equal(list.get(1027), undefined);
    assert.deepEqual(
      list.runs.slice(0, 4).map((r) => r.id),
      [1031, 1030, 1029, 1028],
    );
    assert.deepEqual(
      taken.map((r) => r.id).slice(0, 2),
      [1030, 1026],
      'the copies passed over are not handed on',
    );
    const server = [created, ...all.filter((r) => r.id !== 1027)];
    assert.equal(list.offset, 25, 'one gone, one created: the next page starts where it did');
    assert.equal(list.total, 30);
    const next = page(server, list.offset, 25);
    list.appendPage(next.items, next.received, next.total);
    assert.deepEqual(
      list.runs.map((r) => r.id),
      server.map((r) => r.id),
    );
    // A later load (mark taken after all this) takes its pages as they come.
    const again = list.mark();
    list.replace([run(1031, 'RUNNING')], 1, 30, again);
    assert.equal(list.get(1031)?.status, 'RUNNING');
  });

  it('a run in a page that was removed while the page was out moves the next page up a place (none is skipped)', () => {
    const all = serverRuns(60);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 60);
    list.upsert(run(1030, 'RUNNING')); // resumed by id: shown after the loaded runs
    const since = list.mark(); // Load more is sent: the server reads 1035 … 1011, 1030 among them
    const read = page(all, list.offset, 25);
    list.remove(1030); // a poll finds it gone (404) before the page arrives
    list.appendPage(read.items, read.received, read.total, since);
    const server = all.filter((r) => r.id !== 1030);
    assert.equal(list.offset, 49, 'the server now has 1010 at index 49');
    assert.equal(list.total, 59);
    loadsTheRest(list, server);
  });

  it('a run created while "Load more" is out, the server reading the page after it: no run is skipped, the total stays right', () => {
    const all = serverRuns(60);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 60);
    const since = list.mark(); // Load more is sent for skip 25 …
    const created = run(1061, 'PENDING');
    const server = [created, ...all];
    list.upsert(created); // … New Agent Task: created, and its answer upserted, before the page arrives
    const read = page(server, 25, 25); // the server read the shifted list: 1036 again, 1035 … 1012
    assert.equal(read.items[0]?.id, 1036);
    list.appendPage(read.items, read.received, read.total, since);
    assert.equal(list.offset, 50, 'the server has 1011 at index 50');
    assert.equal(list.total, 61);
    loadsTheRest(list, server);
  });

  it('a run created while "Load more" is out, the server reading the page before it: the next page and the total count it', () => {
    const all = serverRuns(51);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 51);
    const since = list.mark();
    const read = page(all, 25, 25); // 1026 … 1002, total 51
    const created = run(1052, 'PENDING');
    const server = [created, ...all];
    list.upsert(created);
    list.appendPage(read.items, read.received, read.total, since);
    assert.equal(list.offset, 51);
    assert.equal(list.total, 52);
    assert.ok(list.hasMore, '1001 is still to come');
    loadsTheRest(list, server);
  });

  it('a run created between the pages of a refresh (one comes twice) is counted once: no run is skipped, the total stays right', () => {
    const all = serverRuns(141);
    const list = new RunList();
    list.replace(all.slice(0, 125), 125, 141);
    const since = list.mark(); // the refresh asks for 125 runs in two requests
    const first = page(all, 0, 100); // 1141 … 1042
    const created = run(1142, 'PENDING');
    const server = [created, ...all];
    list.upsert(created); // New Agent Task between the two reads
    const second = page(server, 100, 25); // 1042 again, 1041 … 1018
    list.replace([...first.items, ...second.items], first.received + second.received, second.total, since, first.total);
    assert.equal(list.runs.filter((r) => r.id === 1042).length, 1, 'the run sent twice is shown once');
    assert.equal(list.runs[0]?.id, 1142);
    assert.equal(list.offset, 125, 'the server has 1017 at index 125');
    assert.equal(list.total, 142);
    loadsTheRest(list, server);
  });

  it('a run created while "Load more" is out, the page read after it, and the run it repeats gone before it arrives: the total stays right', () => {
    const all = serverRuns(60);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 60);
    const since = list.mark();
    const created = run(1061, 'PENDING');
    list.upsert(created);
    const server = [created, ...all];
    const read = page(server, 25, 25); // 1036 again, 1035 … 1012
    list.remove(1036); // a poll finds it gone (404) before the page arrives
    const now = server.filter((r) => r.id !== 1036);
    list.appendPage(read.items, read.received, read.total, since);
    assert.equal(list.offset, 49, 'the server now has 1011 at index 49');
    assert.equal(list.total, 60);
    const next = page(now, list.offset, 25);
    list.appendPage(next.items, next.received, next.total);
    assert.deepEqual(list.runs.map((r) => r.id), now.map((r) => r.id));
    assert.ok(!list.hasMore, 'no "Load more" after the last run');
  });

  it('a run created and gone again while "Load more" is out is counted neither way, whenever the server read the page', () => {
    for (const readAfterCreation of [false, true]) {
      const all = serverRuns(60);
      const list = new RunList();
      list.replace(all.slice(0, 25), 25, 60);
      const since = list.mark();
      const created = run(1061, 'PENDING');
      const readBefore = page(all, 25, 25);
      list.upsert(created);
      const readAfter = page([created, ...all], 25, 25); // 1036 again, 1035 … 1012
      list.remove(created.id); // a poll finds it gone before the page arrives
      const read = readAfterCreation ? readAfter : readBefore;
      list.appendPage(read.items, read.received, read.total, since);
      assert.equal(list.total, 60, `read ${readAfterCreation ? 'after' : 'before'} the creation`);
      assert.equal(list.offset, readAfterCreation ? 49 : 50, 'the next page starts after the last run the page brought');
      const next = page(all, list.offset, 25);
      list.appendPage(next.items, next.received, next.total);
      assert.deepEqual(list.runs.map((r) => r.id), all.map((r) => r.id));
      assert.ok(!list.hasMore);
    }
  });

  it('a run created while "Load more" is out, the page read after it repeating a run nobody could read: no run is skipped', () => {
    const all = serverRuns(60);
    const unreadable = 1036; // the last of the first page
    const list = new RunList();
    list.replace(all.slice(0, 24), 25, 60);
    const since = list.mark();
    const created = run(1061, 'PENDING');
    list.upsert(created);
    const server = [created, ...all];
    const sent = (skip: number) => {
      const p = page(server, skip, 25);
      return { ...p, items: p.items.filter((r) => r.id !== unreadable) };
    };
    const read = sent(25); // 1036 again (unreadable: received, not an item), 1035 … 1012
    list.appendPage(read.items, read.received, read.total, since);
    assert.equal(list.offset, 50, 'the server has 1011 at index 50');
    assert.equal(list.total, 61);
    const next = sent(list.offset);
    list.appendPage(next.items, next.received, next.total);
    assert.deepEqual(
      list.runs.map((r) => r.id),
      server.filter((r) => r.id !== unreadable).map((r) => r.id),
    );
    assert.ok(!list.hasMore);
  });

  it('a run created while "Load more" is out, and a loaded run deleted before the server read the page (found gone since): the total stays right', () => {
    const all = serverRuns(60);
    const list = new RunList();
    list.replace(all.slice(0, 25), 25, 60);
    const since = list.mark();
    const created = run(1061, 'PENDING');
    list.upsert(created);
    const server = [created, ...all.filter((r) => r.id !== 1050)]; // 1050 deleted on the web
    const read = page(server, 25, 25); // not shifted: 1035 … 1011, total 60
    list.remove(1050); // a poll finds it gone before the page arrives
    list.appendPage(read.items, read.received, read.total, since);
    assert.equal(list.offset, 50, 'the server has 1010 at index 50');
    assert.equal(list.total, 60);
    const next = page(server, list.offset, 25);
    list.appendPage(next.items, next.received, next.total);
    assert.deepEqual(list.runs.map((r) => r.id), server.map((r) => r.id));
    assert.ok(!list.hasMore);
  });

  it('a run created between the pages of a refresh, the run it repeats unreadable: the total grown between the pages counts it once', () => {
    const all = serverRuns(141);
    const unreadable = 1042; // the last of the first page
    const list = new RunList();
    list.replace(all.slice(0, 125), 125, 141);
    const since = list.mark();
    const first = page(all, 0, 100); // 1141 … 1042
    const created = run(1142, 'PENDING');
    const server = [created, ...all];
    list.upsert(created);
    const second = page(server, 100, 25); // 1042 again, 1041 … 1018
    const readable = (items: readonly AgentRun[]) => items.filter((r) => r.id !== unreadable);
    list.replace([...readable(first.items), ...readable(second.items)], first.received + second.received, second.total, since, first.total);
    assert.equal(list.runs[0]?.id, 1142);
    assert.equal(list.offset, 125, 'the server has 1017 at index 125');
    assert.equal(list.total, 142);
    const next = page(server, list.offset, 25);
    list.appendPage(readable(next.items), next.received, next.total);
    assert.deepEqual(
      list.runs.map((r) => r.id),
      readable(server).map((r) => r.id),
    );
    assert.ok(!list.hasMore);
  });

  it('a run without a creation time is shown first and counted nowhere', () => {
    const list = new RunList();
    list.replace(serverRuns(30).slice(0, 25), 25, 30);
    list.upsert(run(2000, 'RUNNING', null));
    assert.equal(list.runs[0]?.id, 2000);
    assert.equal(list.offset, 25);
    assert.equal(list.total, 30);
  });
});
