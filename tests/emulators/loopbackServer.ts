/**
 * Shared plumbing for the loopback KMS emulators: an HTTP or HTTPS server on 127.0.0.1 with a
 * random free port that can be taken down (connections refused) and brought back on the same
 * port, and a throttle counter. Each emulator supplies only its request handler.
 */
import { once } from 'node:events';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';

export type Handler = (
  req: http.IncomingMessage,
  body: Buffer,
  res: http.ServerResponse,
) => void | Promise<void>;

/** What every emulator's `start()` returns (plus its own extras). */
export interface EmulatorControl {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  readonly port: number;
  /** true: the port refuses connections (server closed); false: serving again on the same port. */
  setDown(down: boolean): Promise<void>;
  /** The next `n` requests get the provider's throttling error. */
  setThrottle(n: number): void;
  /** true: requests are accepted and never answered (a black hole); false: answered again. */
  setHang(hang: boolean): void;
  /** Number of requests seen (after throttling decisions), for assertions. */
  readonly requestCount: number;
  stop(): Promise<void>;
}

export interface LoopbackOptions {
  tls?: { key: string; cert: string };
  /** Called instead of the handler while throttled requests remain. */
  throttled: (req: http.IncomingMessage, res: http.ServerResponse) => void;
  handler: Handler;
}

/** Starts a server on 127.0.0.1:0 and returns its control surface. */
export async function startLoopback(opts: LoopbackOptions): Promise<EmulatorControl> {
  const sockets = new Set<Socket>();
  let throttle = 0;
  let hang = false;
  const hanging = new Set<http.ServerResponse>();
  let requestCount = 0;
  let stopped = false;

  const listener = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      requestCount++;
      if (hang) {
        hanging.add(res);
        return;
      }
      if (throttle > 0) {
        throttle--;
        opts.throttled(req, res);
        return;
      }
      Promise.resolve(opts.handler(req, Buffer.concat(chunks), res)).catch((e: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
        res.end(`emulator fault: ${e instanceof Error ? e.message : String(e)}`);
      });
    });
  };

  const make = (): http.Server => {
    const s = opts.tls
      ? https.createServer({ key: opts.tls.key, cert: opts.tls.cert }, listener)
      : http.createServer(listener);
    s.on(opts.tls ? 'secureConnection' : 'connection', (sock: Socket) => {
      sockets.add(sock);
      sock.on('close', () => sockets.delete(sock));
    });
    // Keep-alive sockets from the SDKs must not keep a "down" server reachable.
    s.keepAliveTimeout = 1000;
    return s;
  };

  let server = make();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  let down = false;

  const close = async (): Promise<void> => {
    const s = server;
    const closed = new Promise<void>((resolve) => s.close(() => resolve()));
    for (const sock of sockets) sock.destroy();
    sockets.clear();
    await closed;
  };

  return {
    url: `${opts.tls ? 'https' : 'http'}://127.0.0.1:${port}`,
    port,
    get requestCount() {
      return requestCount;
    },
    async setDown(d: boolean) {
      if (stopped || d === down) return;
      down = d;
      if (d) {
        await close();
      } else {
        server = make();
        server.listen(port, '127.0.0.1');
        await once(server, 'listening');
      }
    },
    setThrottle(n: number) {
      throttle = n;
    },
    setHang(h: boolean) {
      hang = h;
      if (!h) {
        for (const res of hanging) res.destroy();
        hanging.clear();
      }
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      if (!down) await close();
    },
  };
}

/** Sends a JSON reply. */
export function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': String(Buffer.byteLength(text)),
    ...headers,
  });
  res.end(text);
}
