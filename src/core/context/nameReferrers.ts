// Which slots reference each name: the reverse of the ranking index's reference rows. Most of it is
// one compressed-row table (each name's slots a packed list: ~1.3 bytes a reference) built in two passes; slots
// added since sit in a small multimap until the next `freeze`. Slots only ever grow (until the owner rebuilds), so
// both parts list a name's referrers in ascending slot order; freed slots are skipped on reading.

import { unpackRowNames } from './packedReferenceRows';
import { packedLength, unpackSlots, writePacked } from './packedSlotLists';
import { SlotMultimap } from './slotMultimap';
import { ExclusiveSteps, runToEnd, StepBudget } from './steps';
import { releaseArray, withLength } from './typedArrayGrowth';

/**
 * The owner's reference rows, one after another in slot order: slot s references the names of the packed row
 * rowBytes[refStart[s] .. refStart[s + 1]) (packedReferenceRows.ts); refStart[slotEnd] is where the last row ends.
 */
export interface ReferenceRows {
  readonly slotEnd: number;
  readonly refStart: Int32Array;
  readonly rowBytes: Uint8Array;
  readonly nameCount: number;
  isLive(slot: number): boolean;
}

/** Recent additions are folded in once they reach this share of the table, and at least this many. */
const FREEZE_SHARE = 1 / 8;
const FREEZE_MIN = 4_096;
/** About how many references a step of `freezeFromRowsSteps` reads (a few milliseconds here). */
const FREEZE_STEP_REFERENCES = 1 << 18;

export class NameReferrers {
  /** Slots referencing name n, for n < frozenNames: start[n + 1] - start[n] of them, the packed list slots[slotStart[n] .. slotStart[n + 1]). */
  private start = new Int32Array(1);
  private slotStart = new Int32Array(1);
  private slots = new Uint8Array(0);
  private frozenNames = 0;
  private recent = new SlotMultimap();
  private recentCount = 0;
  /** A freeze in steps under way: until it is done nothing may add to the table (the table it rebuilds would not have it) or freeze it again. */
  private readonly freezing = new ExclusiveSteps('NameReferrers', 'freeze');

  /** Records that `slot` (newer than every slot recorded before) references `nameId`. */
  add(nameId: number, slot: number): void {
    this.freezing.assertIdle('a referrer added');
    this.recent.add(nameId, slot);
    this.recentCount++;
  }

  /** Live slots referencing the name, ascending. */
  get(nameId: number, isLive: (slot: number) => boolean): number[] {
    const into = new Int32Array(this.bound(nameId));
    return Array.from(into.subarray(0, this.collect(nameId, isLive, into)));
  }

  /** At most how many slots reference the name (freed ones included): room enough for `collect`. */
  bound(nameId: number): number {
    if (nameId < 0) return 0;
    const frozen = nameId < this.frozenNames ? (this.start[nameId + 1] as number) - (this.start[nameId] as number) : 0;
    return frozen + this.recent.count(nameId);
  }

  /** `get` written into `into` (which holds at least `bound(nameId)` elements) instead of a new array; returns how many. */
  collect(nameId: number, isLive: (slot: number) => boolean, into: Int32Array): number {
    let n = 0;
    if (nameId < 0) return n;
    if (nameId < this.frozenNames) {
      // Unpacked into `into` (the bound leaves room), then the live ones moved to its front.
      const frozen = unpackSlots(this.slots, this.slotStart[nameId] as number, this.slotStart[nameId + 1] as number, into);
      for (let i = 0; i < frozen; i++) {
        const slot = into[i] as number;
        if (isLive(slot)) into[n++] = slot;
      }
    }
    for (const slot of this.recent.get(nameId)) if (isLive(slot)) into[n++] = slot;
    return n;
  }

  /** Rebuilds the table from the rows of the live slots when enough was added (`add`) since the last time. */
  freeze(rows: ReferenceRows): boolean {
    return runToEnd(this.freezeSteps(rows));
  }

  /** `freeze` in steps (as `freezeFromRowsSteps`). */
  *freezeSteps(rows: ReferenceRows, stepReferences = FREEZE_STEP_REFERENCES): Generator<void, boolean, void> {
    if (this.recentCount === 0 || this.recentCount < Math.max(FREEZE_MIN, (this.start[this.frozenNames] as number) * FREEZE_SHARE)) return false;
    yield* this.freezeFromRowsSteps(rows, stepReferences);
    return true;
  }

  /**
   * Rebuilds the table from the rows of the live slots, whatever was added: for an owner that added rows without
   * telling `add` (a build of every file, whose referrers would otherwise sit in the multimap, a few dozen bytes
   * each, only to be dropped here).
   */
  freezeFromRows(rows: ReferenceRows): void {
    runToEnd(this.freezeFromRowsSteps(rows));
  }

  /**
   * `freezeFromRows` in steps: the generator yields after about `stepReferences` references read, so that a caller
   * running it in steps lets the event loop run (at 50,000 files it reads ~7.7 million references twice, ~300 ms in
   * all). Neither the rows nor this table may change until it is done (`add` and another freeze throw); the table
   * changes in the last step only.
   */
  *freezeFromRowsSteps(rows: ReferenceRows, stepReferences = FREEZE_STEP_REFERENCES): Generator<void, void, void> {
    yield* this.freezing.run(this.rebuildSteps(rows, stepReferences));
  }

  private *rebuildSteps(rows: ReferenceRows, stepReferences: number): Generator<void, void, void> {
    // Two passes over the rows in slot order: the first counts each name's referrers and the bytes of their packed
    // list (each slot's difference from the name's referrer before it, kept in `last`), the second writes them. A
    // row's names are unpacked into a work array first.
    const names = rows.nameCount;
    const start = new Int32Array(names + 1);
    const slotStart = new Int32Array(names + 1);
    const last = new Int32Array(names);
    let row = new Int32Array(256);
    const readRow = (slot: number): number => {
      const from = rows.refStart[slot] as number;
      const to = rows.refStart[slot + 1] as number;
      row = withLength(row, to - from);
      return unpackRowNames(rows.rowBytes, from, to, row);
    };
    const budget = new StepBudget(stepReferences);
    for (let slot = 0; slot < rows.slotEnd; slot++) {
      if (!rows.isLive(slot)) continue;
      const count = readRow(slot);
      for (let k = 0; k < count; k++) {
        const n = row[k] as number;
        start[n + 1] = (start[n + 1] as number) + 1;
        slotStart[n + 1] = (slotStart[n + 1] as number) + packedLength(slot - (last[n] as number));
        last[n] = slot;
      }
      if (budget.spend(count)) yield;
    }
    for (let n = 0; n < names; n++) {
      start[n + 1] = (start[n + 1] as number) + (start[n] as number);
      slotStart[n + 1] = (slotStart[n + 1] as number) + (slotStart[n] as number);
    }
    const slots = new Uint8Array(slotStart[names] as number);
    const next = slotStart.slice(0, names);
    last.fill(0);
    for (let slot = 0; slot < rows.slotEnd; slot++) {
      if (!rows.isLive(slot)) continue;
      const count = readRow(slot);
      for (let k = 0; k < count; k++) {
        const n = row[k] as number;
        next[n] = writePacked(slots, next[n] as number, slot - (last[n] as number));
        last[n] = slot;
      }
      if (budget.spend(count)) yield;
    }
    // The replaced table is this object's own (`collect` copies out of it): freed now.
    releaseArray(this.start);
    releaseArray(this.slotStart);
    releaseArray(this.slots);
    this.start = start;
    this.slotStart = slotStart;
    this.slots = slots;
    this.frozenNames = names;
    this.recent = new SlotMultimap();
    this.recentCount = 0;
  }
}
