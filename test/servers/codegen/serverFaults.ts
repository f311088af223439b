// Faults the contract server injects on matching requests (admin API: POST /__admin/faults).

export const FAULT_KINDS = ['429', '429-no-retry-after', '500', '502-html', 'processed-502', 'processed-late', '503', 'hang', 'malformed-json', '200-html', '408', 'reset', '401', '402', '403', '404', '422', '401-echo-auth', '500-echo-auth'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export interface FaultSpec {
  /** Regular expression tested against the request path (no query), e.g. `/agent/run$`. */
  path: string;
  /** Only this method (default: any). */
  method?: string;
  kind: FaultKind;
  /** How many matching requests get the fault (default 1). */
  times?: number;
  /** For `429`: the Retry-After value to send (seconds or an HTTP date; default "1"). */
  retryAfter?: string;
  /**
   * For `processed-late`: the request gets no answer; when the client goes away it is handled as usual all the same
   * (a run really is created), and what it created shows in reads (a run's page, the runs list) only this long after,
   * on the server's clock (default 3000): a service that records a request after the client gave up on it.
   */
  delayMs?: number;
}

interface ActiveFault {
  id: number;
  re: RegExp;
  spec: FaultSpec;
  remaining: number;
}

export class FaultTable {
  private faults: ActiveFault[] = [];
  private seq = 0;

  /** Validates and adds a fault; returns its id. Throws on a bad spec. */
  add(raw: unknown): number {
    const spec = parseFaultSpec(raw);
    const id = ++this.seq;
    this.faults.push({ id, re: new RegExp(spec.path), spec, remaining: spec.times ?? 1 });
    return id;
  }

  /** The first fault matching this request, consumed once; undefined when none. */
  take(method: string, path: string): FaultSpec | undefined {
    const f = this.faults.find((x) => x.re.test(path) && (x.spec.method === undefined || x.spec.method.toUpperCase() === method));
    if (!f) return undefined;
    f.remaining--;
    if (f.remaining <= 0) this.faults = this.faults.filter((x) => x !== f);
    return f.spec;
  }

  list(): (FaultSpec & { id: number; remaining: number })[] {
    return this.faults.map((f) => ({ ...f.spec, id: f.id, remaining: f.remaining }));
  }

  clear(): void {
    this.faults = [];
  }
}

function parseFaultSpec(raw: unknown): FaultSpec {
  if (typeof raw !== 'object' || raw === null) throw new Error('a fault is an object {path, kind, method?, times?, retryAfter?, delayMs?}');
  const r = raw as Record<string, unknown>;
  if (typeof r['path'] !== 'string') throw new Error('fault.path must be a regular expression string');
  new RegExp(r['path']);
  if (typeof r['kind'] !== 'string' || !(FAULT_KINDS as readonly string[]).includes(r['kind'])) throw new Error(`fault.kind must be one of ${FAULT_KINDS.join(', ')}`);
  const times = r['times'];
  if (times !== undefined && (typeof times !== 'number' || !Number.isInteger(times) || times < 1)) throw new Error('fault.times must be a whole number ≥ 1');
  if (r['method'] !== undefined && typeof r['method'] !== 'string') throw new Error('fault.method must be a string');
  if (r['retryAfter'] !== undefined && typeof r['retryAfter'] !== 'string') throw new Error('fault.retryAfter must be a string');
  const delayMs = r['delayMs'];
  if (delayMs !== undefined && (typeof delayMs !== 'number' || !Number.isInteger(delayMs) || delayMs < 0)) throw new Error('fault.delayMs must be a whole number ≥ 0');
  return {
    path: r['path'],
    kind: r['kind'] as FaultKind,
    ...(typeof r['method'] === 'string' ? { method: r['method'] } : {}),
    ...(typeof times === 'number' ? { times } : {}),
    ...(typeof r['retryAfter'] === 'string' ? { retryAfter: r['retryAfter'] } : {}),
    ...(typeof delayMs === 'number' ? { delayMs } : {}),
  };
}
