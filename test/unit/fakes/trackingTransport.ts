import type { HttpRequest, HttpResponse, HttpTransport } from '../../../src/core/ports';

/**
 * Wraps a real transport and knows how many requests are in flight (from the call until the body
 * was read or the request failed), so tests can wait for real HTTP to go quiet before moving a fake clock.
 */
export class TrackingTransport implements HttpTransport {
  inFlight = 0;
  /** Requests started, in order (method and URL only). */
  readonly sent: { method: string; url: string }[] = [];
  private waiters: (() => void)[] = [];

  constructor(private readonly inner: HttpTransport) {}

  async request(req: HttpRequest): Promise<HttpResponse> {
    this.sent.push({ method: req.method, url: req.url });
    this.change(+1);
    let res: HttpResponse;
    try {
      res = await this.inner.request(req);
    } catch (err) {
      this.change(-1);
      throw err;
    }
    let settled = false;
    const done = (): void => {
      if (!settled) {
        settled = true;
        this.change(-1);
      }
    };
    const inner = res;
    return {
      status: inner.status,
      headers: inner.headers,
      text: () => inner.text().finally(done),
      chunks: async function* () {
        try {
          yield* inner.chunks();
        } finally {
          done();
        }
      },
    };
  }

  close(): Promise<void> {
    return this.inner.close();
  }

  /** Resolves when no request is in flight. */
  whenIdle(): Promise<void> {
    if (this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => {
      const check = (): void => {
        if (this.inFlight === 0) resolve();
        else this.waiters.push(check);
      };
      this.waiters.push(check);
    });
  }

  /** Resolves on the next request start or finish. */
  whenActivity(): Promise<void> {
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  private change(delta: number): void {
    this.inFlight += delta;
    for (const w of this.waiters.splice(0)) w();
  }
}
