import * as assert from 'node:assert/strict';
import { contended, OTHERS_BUSY_SHARE, othersShare, parseMachineTicks, parseOwnTicks, sampleLoad, shareOf, underLoad, wasBusy, type LoadSample } from '../../../bench/machineLoad';

describe('bench machine load', () => {
  it('reads the machine-wide cpu line of /proc/stat: steal is busy, guest time is not counted twice', () => {
    const text = 'cpu  100 5 50 800 20 3 2 10 7 1\ncpu0 50 2 25 400 10 1 1 5 3 0\nintr 123\n';
    assert.deepEqual(parseMachineTicks(text), { busy: 100 + 5 + 50 + 3 + 2 + 10, total: 100 + 5 + 50 + 3 + 2 + 10 + 800 + 20 });
    assert.equal(parseMachineTicks('cpu0 1 2 3 4 5 6 7 8\n'), undefined);
    assert.equal(parseMachineTicks('cpu  1 2 x 4 5 6 7 8\n'), undefined);
  });

  it("adds up a process's own and its waited-for children's ticks, whatever its command name holds", () => {
    // Fields 14..17 (utime stime cutime cstime) are 11 12 130 14; the name has a space and a parenthesis.
    const line = '4242 (node (x) y) S 1 4242 4242 0 -1 4194304 500 0 0 0 11 12 130 14 20 0 7 0 100 2000000 5000 18446744073709551615';
    assert.equal(parseOwnTicks(line), 11 + 12 + 130 + 14);
    assert.equal(parseOwnTicks('4242 (node) S 1 2'), undefined);
  });

  it("counts what the machine did beyond this process's own work as the others' share", () => {
    const at = (busy: number, total: number, own: number): LoadSample => ({ machine: { busy, total }, own });
    // 1,000 ticks passed; the machine was busy for 700 of them, 600 of which were this process and its children.
    assert.equal(othersShare(at(0, 0, 0), at(700, 1000, 600)), 0.1);
    // Tick rounding can make this process look busier than the machine: never below 0.
    assert.equal(othersShare(at(0, 0, 0), at(100, 1000, 120)), 0);
    assert.equal(othersShare(undefined, at(1, 1, 1)), undefined);
    assert.equal(othersShare(at(5, 10, 0), at(5, 10, 0)), undefined);
  });

  it('calls a run busy by the load before it and the others during it, not by its own threads', () => {
    // The bench's own threads lifted the load at the end above 2 CPUs; others used 2 % of the machine.
    assert.equal(wasBusy(2, 0.05, 2.46, 0.02), false);
    assert.equal(wasBusy(2, 0.05, 1.0, OTHERS_BUSY_SHARE + 0.01), true);
    assert.equal(wasBusy(2, 2.5, 0.5, 0), true);
    // Without the counters, the load at the end decides.
    assert.equal(wasBusy(2, 0.05, 2.46, undefined), true);
    assert.equal(wasBusy(2, 0.05, 1.5, undefined), false);
  });

  it('notes the share others used during one measurement, and calls it contended above the threshold', async () => {
    // The counters read before the measurement, then 1,000 ticks later after it: the machine was busy for 600 of
    // them, 300 of which were this process.
    let measuring = false;
    let finished = false;
    const reads: string[] = [];
    const sample = (): LoadSample => {
      reads.push(finished ? 'after' : measuring ? 'during' : 'before');
      return finished ? { machine: { busy: 700, total: 2000 }, own: 350 } : { machine: { busy: 100, total: 1000 }, own: 50 };
    };
    const measured = await underLoad(async () => {
      measuring = true;
      await new Promise((resolve) => setImmediate(resolve));
      finished = true;
      return { ms: 12 };
    }, sample);
    assert.deepEqual(reads, ['before', 'after']);
    assert.deepEqual(measured, { ms: 12, othersShare: 0.3 });
    assert.equal(contended(measured), true);
    assert.equal(contended({ othersShare: OTHERS_BUSY_SHARE }), false);
    assert.equal(contended({}), false);
    assert.deepEqual(shareOf({ othersShare: 0.12345 }), { othersShare: 0.123 });
    assert.deepEqual(shareOf({}), {});
    // Without counters the measurement comes back as it was.
    assert.deepEqual(await underLoad(() => Promise.resolve({ ms: 3 }), () => undefined), { ms: 3 });
  });

  it('reads the live counters on Linux', function () {
    // A platform skip, never taken on Linux (where CI runs): only Linux has the /proc counters this reads.
    if (process.platform !== 'linux') this.skip();
    const a = sampleLoad();
    assert.ok(a, 'no /proc counters on Linux');
    assert.ok(a.machine.total >= a.machine.busy && a.machine.busy > 0 && a.own >= 0);
  });
});
