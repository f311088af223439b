// The sidebar's list of agent runs, paged newest first like the server's list, and where the next page starts.
// `offset` counts the runs the server has sent (unreadable ones too), shifted by one for each run created at the top
// since. A run that turns up otherwise (resumed by id, a poll of a run a refresh pushed off the list, a run the server
// could not read in its page) is not new: it is placed by creation time and moves no page boundary — a run counted
// twice would make the next page skip one (a run counted too little only comes twice, and is kept once).
import type { AgentRun } from '../api/codegenClient';

export class RunList {
  /** The runs of the pages loaded (and those created since), in the server's order. */
  private window: AgentRun[] = [];
  /** Runs known from elsewhere that are older than every loaded one while more pages remain: shown after them until their page comes. */
  private beyond: AgentRun[] = [];
  private offsetValue = 0;
  private totalValue = 0;

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

  /** The first pages, loaded afresh: `received` runs sent by the server (readable or not), `total` as it last said. */
  replace(runs: readonly AgentRun[], received: number, total: number): void {
    this.window = [...runs];
    this.beyond = [];
    this.offsetValue = received;
    this.totalValue = total;
  }

  /** The next page. A run already shown is kept once, at its place in the page. */
  appendPage(items: readonly AgentRun[], received: number, total: number): void {
    this.offsetValue += received;
    this.totalValue = total;
    for (const run of items) {
      const b = this.beyond.findIndex((r) => r.id === run.id);
      if (b >= 0) this.beyond.splice(b, 1);
      if (this.window.some((r) => r.id === run.id)) continue;
      this.window.push(run);
    }
  }

  /** Inserts or replaces one run (from creation, resume, stop or a poll). */
  upsert(run: AgentRun): void {
    for (const list of [this.window, this.beyond]) {
      const i = list.findIndex((r) => r.id === run.id);
      if (i >= 0) {
        list[i] = run;
        return;
      }
    }
    const created = run.createdAt?.getTime();
    const times = this.window.map((r) => r.createdAt?.getTime()).filter((t): t is number => t !== undefined);
    if (created === undefined) {
      // (Nowhere to place it: shown first, counted nowhere.)
      this.window.unshift(run);
      return;
    }
    if (times.length === 0 ? this.window.length === 0 : created > Math.max(...times)) {
      // Newer than every run loaded: created since, at the top of the server's list; every later run moves down a place.
      this.window.unshift(run);
      this.offsetValue += 1;
      this.totalValue += 1;
      return;
    }
    if (this.hasMore && times.length > 0 && created < Math.min(...times)) insertByCreation(this.beyond, run, created);
    else insertByCreation(this.window, run, created);
  }

  /** Drops a run the server no longer has. */
  remove(id: number): void {
    const b = this.beyond.findIndex((r) => r.id === id);
    if (b >= 0) {
      this.beyond.splice(b, 1);
      this.totalValue = Math.max(0, this.totalValue - 1);
      return;
    }
    const i = this.window.findIndex((r) => r.id === id);
    if (i < 0) return;
    this.window.splice(i, 1);
    this.totalValue = Math.max(0, this.totalValue - 1);
    // (A run gone from the pages loaded moves every later run up a place.)
    this.offsetValue = Math.max(0, this.offsetValue - 1);
  }

  clear(): void {
    this.window = [];
    this.beyond = [];
    this.offsetValue = 0;
    this.totalValue = 0;
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
