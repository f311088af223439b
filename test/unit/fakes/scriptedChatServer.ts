import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** One chat-completions `data:` event of choice 0 with this delta and finish_reason. */
export function chatEvent(delta: Record<string, unknown>, finish: string | null = null, model = 'r1'): string {
  return `data: ${JSON.stringify({ model, choices: [{ index: 0, delta, finish_reason: finish }] })}\n\n`;
}

/**
 * A local HTTP server answering every request with what `reply` holds now — an event stream (its events, then
 * `[DONE]`) or a JSON body — and counting the requests: for shapes of answer the contract server in test/servers does not
 * script (a reasoning model's fields, a gateway's finish reasons). `baseUrl` ends in `/v1`.
 */
export class ScriptedChatServer {
  reply: { events: readonly string[] } | { json: unknown } = { events: [] };
  requests = 0;

  private readonly srv = http.createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      this.requests++;
      const reply = this.reply;
      if ('json' in reply) {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(reply.json));
        return;
      }
      res.writeHead(200, { 'content-type': 'text/event-stream' });
      res.end(`${reply.events.join('')}data: [DONE]\n\n`);
    });
  });
  private url = '';

  get baseUrl(): string {
    return this.url;
  }

  private constructor() {}

  static async start(): Promise<ScriptedChatServer> {
    const server = new ScriptedChatServer();
    await new Promise<void>((r) => server.srv.listen(0, '127.0.0.1', r));
    server.url = `http://127.0.0.1:${(server.srv.address() as AddressInfo).port}/v1`;
    return server;
  }

  async close(): Promise<void> {
    this.srv.closeAllConnections();
    await new Promise<void>((r) => this.srv.close(() => r()));
  }
}
