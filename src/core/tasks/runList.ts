// The sidebar's list of agent runs, paged newest first like the server's list, and where the next page starts.
// `offset` counts the runs the server has sent (unreadable ones too), shifted by one for each run created at the top
// since. A run that turns up otherwise (resumed by id, a poll of a run a refresh pushed off the list, a run the server
// could not read in its page) is not new: it is placed by creation time and moves no page boundary — a run counted
// twice would make the next page skip one (a run counted too little only comes twice, and is kept once).
// A page is read on the server when its request goes out, and may arrive after a newer copy of one of its runs (a poll,
// a resume, a stop): a load takes a `mark()` before it sends, and a run upserted (or removed) since keeps its newer
// state — the page's copy of it is passed over.
// A run created at the top while a load is out is counted when it is upserted; if the server read a later page after
// the creation, that page already came shifted (it starts with a run before it, readable or not) and its total counts
// the run: the server counted it too, and the load takes it off again. What tells it: a refresh's pages, a run sent
// twice or a total that grew between the first page and the last; a "Load more" page, the runs the list has at its
// start, or its total grown since the mark (the list's total then, less the runs the list counted or took off since).
// Each sign is taken as at most the runs counted at the top since the mark; a shift another client's creation caused is
// then at worst counted too much (one run comes twice, kept once). For where the next page starts, a run removed since
// the mark (a poll found it gone) is taken as gone after the server read the page (else one run comes twice). The total
// is the list's own count, plus the part of the server's change since the mark that the list's changes cannot explain
// (another client's runs, a run deleted elsewhere).
import type { AgentRun } from '../api/codegenClient';

export class RunList {
  /** The runs of the pages loaded (and those created since), in the server's order. */
  private window: AgentRun[] = [];
  /** Runs known from elsewhere that are older than every loaded one while more pages remain: shown after them until their page comes. */
  private beyond: AgentRun[] = [];
  private offsetValue = 0;
  private totalValue = 0;
  /** Counts upserts and removals; `changedAt` holds the count at each run's last one (see mark). */
  private changes = 0;
  private readonly changedAt = new Map<number, { at: number; removed: boolean }>();
  /**
   * Since the last load's mark, each change of the counts: a run counted as created at the top (offset and total one
   * up), a shown run removed (total one down, and offset too when it was in the pages loaded).
   */
  private counted: { at: number; id: number; change: 1 | -1; offset: boolean }[] = [];

  /** Every run shown, newest first. */
  get runs(): readonly AgentRun[] {
    return this.beyond.length ? [...this.window, ...this.beyond] : this.window;
  }

  /** Where the next page starts (the server's skip). */
  get offset(): number {
    return this.offsetValue;
  }

  /** The server's count of runs. */
  get total(): number {
    return this.totalValue;
  }

  /** More pages to load. */
  get hasMore(): boolean {
    return this.offsetValue < this.totalValue;
  }

  get(id: number): AgentRun | undefined {
    return this.window.find((r) => r.id === id) ?? this.beyond.find((r) => r.id === id);
  }

  /** Taken before a page's request is sent: a run upserted or removed after it keeps that newer state over the page's copy. */
  mark(): number {
    return this.changes;
  }

  /**
   * The first pages, loaded afresh: `runs` as sent, page after page (a run the pages sent twice is kept once), `received`
   * runs sent by the server (readable or not), `total` as it last said; `since` is the mark taken before the first was
   * requested, `firstTotal` the total the first page said. Returns the page's runs that were taken (those not superseded).
   * Loads must not overlap (a mark older than the last load's is no longer honoured).
   */
  replace(runs: readonly AgentRun[], received: number, total: number, since = this.changes, firstTotal = total): AgentRun[] {
    const newer = this.changedSince(since);
    const kept = new Map<number, AgentRun>();
    for (const id of newer.keys()) {
      const r = this.get(id);
      if (r) kept.set(id, r);
    }
    const unique = new Map<number, AgentRun>();
    for (const r of runs) if (!unique.has(r.id)) unique.set(r.id, r);
    // (A run created between two pages' reads shifted the later pages: the run before the boundary came again — unless
    // the server could not read it, and then the total it said grew.)
    let repeated = Math.max(runs.length - unique.size, total - firstTotal);
    const sent = [...unique.values()];
    const taken = sent.filter((r) => !newer.has(r.id));
    this.window = sent.flatMap((r) => (newer.has(r.id) ? (kept.has(r.id) ? [kept.get(r.id) as AgentRun] : []) : [r]));
    this.beyond = [];
    this.offsetValue = received;
    this.totalValue = total;
    // (Removed since the request went out: the server counted it, gone now.)
    const removedHere = sent.filter((r) => newer.get(r.id) === true).length;
    this.offsetValue = Math.max(0, this.offsetValue - removedHere);
    this.totalValue = Math.max(0, this.totalValue - removedHere);
    // Runs upserted since that the pages did not have (created, or resumed by id, after the server read the list); one
    // created at the top is already counted by the server when a page read after it repeated a run.
    const listed = new Set(unique.keys());
    for (const [id, r] of kept) {
      if (listed.has(id)) continue;
      if (this.place(r, repeated > 0)) repeated -= 1;
    }
    for (const [id, c] of this.changedAt) if (c.at <= since) this.changedAt.delete(id);
    this.counted = this.counted.filter((c) => c.at > since);
    return taken;
  }

  /**
   * The next page (`since`: the mark taken before it was requested). A run already shown is kept once, at its place in the
   * page, in its newer state when it was upserted since. Returns the page's runs that were taken (those not superseded).
   */
  appendPage(items: readonly AgentRun[], received: number, total: number, since = this.changes): AgentRun[] {
    const newer = this.changedSince(since);
    const taken: AgentRun[] = [];
    // (The counts' changes since the request went out: runs created at the top, shown runs removed.)
    const recent = this.counted.filter((c) => c.at > since);
    this.counted = recent;
    const created = recent.filter((c) => c.change > 0).length;
    const removedAt = (id: number): { offset: boolean } | undefined => recent.find((c) => c.change < 0 && c.id === id);
    // (Removed since, and in the page: the server read it before it went; the list counted it off when it was shown.)
    const removedHere = [...new Set(items.filter((r) => newer.get(r.id) === true).map((r) => r.id))];
    const removedElsewhere = recent.filter((c) => c.change < 0 && !removedHere.includes(c.id)).length;
    // How many of the runs created since the server had when it read the page: as many as the page starts with runs the
    // list has, or as its total grew since the mark (a repeat the server could not read, or one removed since, is not
    // among the first; the total tells then).
    let repeated = 0;
    for (const run of items) {
      if (repeated === created || !this.window.some((r) => r.id === run.id)) break;
      repeated += 1;
    }
    const grown = total - (this.totalValue - recent.reduce((n, c) => n + c.change, 0));
    const shift = Math.min(created, Math.max(repeated, grown, 0));
    // (The list's own changes explain a growth from minus its removals outside the page, which the server may have seen
    // already, up to its creations, and at least the creations the page showed; the rest is another client's doing.)
    const ours = Math.min(created, Math.max(repeated - removedElsewhere, grown));
    this.offsetValue = Math.max(0, this.offsetValue + received - shift - removedHere.filter((id) => !removedAt(id)?.offset).length);
    this.totalValue = Math.max(0, this.totalValue + grown - ours - removedHere.filter((id) => !removedAt(id)).length);
    for (const run of items) {
      if (newer.get(run.id) === true) continue;
      const b = this.beyond.findIndex((r) => r.id === run.id);
      const shownBeyond = b >= 0 ? this.beyond.splice(b, 1)[0] : undefined;
      if (this.window.some((r) => r.id === run.id)) continue;
      if (shownBeyond && newer.has(run.id)) {
        this.window.push(shownBeyond);
        continue;
      }
      this.window.push(run);
      taken.push(run);
    }
    return taken;
  }

  /** Inserts or replaces one run (from creation, resume, stop or a poll). */
  upsert(run: AgentRun): void {
    const at = ++this.changes;
    this.changedAt.set(run.id, { at, removed: false });
    if (this.place(run)) this.counted.push({ at, id: run.id, change: 1, offset: true });
  }

  /**
   * Shows a run; returns whether it went on top as created since the list was loaded (newer than every run loaded).
   * Such a run moves every later one down a place, unless `counted`: the server's offset and total already have it.
   */
  private place(run: AgentRun, counted = false): boolean {
    for (const list of [this.window, this.beyond]) {
      const i = list.findIndex((r) => r.id === run.id);
      if (i >= 0) {
        list[i] = run;
        return false;
      }
    }
    const created = run.createdAt?.getTime();
    const times = this.window.map((r) => r.createdAt?.getTime()).filter((t): t is number => t !== undefined);
    if (created === undefined) {
      // (Nowhere to place it: shown first, counted nowhere.)
      this.window.unshift(run);
      return false;
    }
    if (times.length === 0 ? this.window.length === 0 : created > Math.max(...times)) {
      // Newer than every run loaded: created since, at the top of the server's list; every later run moves down a place.
      this.window.unshift(run);
      if (!counted) {
        this.offsetValue += 1;
        this.totalValue += 1;
      }
      return true;
    }
    if (this.hasMore && times.length > 0 && created < Math.min(...times)) insertByCreation(this.beyond, run, created);
    else insertByCreation(this.window, run, created);
    return false;
  }

  /** Drops a run the server no longer has. */
  remove(id: number): void {
    const at = ++this.changes;
    this.changedAt.set(id, { at, removed: true });
    const b = this.beyond.findIndex((r) => r.id === id);
    if (b >= 0) {
      this.beyond.splice(b, 1);
      this.totalValue = Math.max(0, this.totalValue - 1);
      this.counted.push({ at, id, change: -1, offset: false });
      return;
    }
    const i = this.window.findIndex((r) => r.id === id);
    if (i < 0) return;
    this.window.splice(i, 1);
    this.counted.push({ at, id, change: -1, offset: true });
    this.totalValue = Math.max(0, this.totalValue - 1);
    // (A run gone from the pages loaded moves every later run up a place.)
    this.offsetValue = Math.max(0, this.offsetValue - 1);
  }

  clear(): void {
    this.window = [];
    this.beyond = [];
    this.offsetValue = 0;
    this.totalValue = 0;
    this.changedAt.clear();
    this.counted = [];
  }

  /** Runs upserted or removed after mark `since`: whether each was removed. */
  private changedSince(since: number): Map<number, boolean> {
    const out = new Map<number, boolean>();
    for (const [id, c] of this.changedAt) if (c.at > since) out.set(id, c.removed);
    return out;
  }
}

/** Before the first run created earlier (newest first); runs without a creation time are passed over. */
function insertByCreation(list: AgentRun[], run: AgentRun, created: number): void {
  const i = list.findIndex((r) => {
    const t = r.createdAt?.getTime();
    return t !== undefined && t < created;
  });
  if (i < 0) list.push(run);
  else list.splice(i, 0, run);
}
