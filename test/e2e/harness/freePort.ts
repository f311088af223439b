import { createServer } from 'node:net';

/** A TCP port on 127.0.0.1 that was free a moment ago (the OS picks it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('no port assigned'));
      });
    });
  });
}

/** Whether `port` on 127.0.0.1 can be listened on now. */
export function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.unref();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * `preferred` when it is free on 127.0.0.1, else a free port the OS picks — said with `log` (what keeps the same port
 * between runs, such as a token stored for its origin, does not hold then).
 */
export async function preferredPort(preferred: number, what: string, log: (line: string) => void): Promise<number> {
  if (await portIsFree(preferred)) return preferred;
  const port = await freePort();
  log(`${what}: port ${preferred} is taken, so it listens on ${port} this time (a token or key stored for its old address is not sent to this one: sign in or set it again)`);
  return port;
}
