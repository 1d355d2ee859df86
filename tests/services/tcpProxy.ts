import { createConnection, createServer, type Server, type Socket } from 'node:net';

/** A loopback TCP forwarder that can drop every connection and refuse new ones, then recover. */
export interface TcpProxy {
  readonly port: number;
  /** Destroys every open connection (peers see resets) and stops listening: the server is "down". */
  cut(): Promise<void>;
  /** Listens again on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
  /** Bytes sent by the server to clients since the start (or the last {@link TcpProxy.resetCount}). */
  bytesFromServer(): number;
  resetCount(): void;
}

/**
 * Forwards 127.0.0.1:`port` to 127.0.0.1:`targetPort`. Used to take a server off the network in
 * the middle of an upload without killing it, for servers that keep their data only in memory
 * (the Cloud Storage emulator): the test can then check what the server kept.
 *
 * @example
 * ```ts
 * const proxy = await startTcpProxy(9199);
 * await proxy.cut(); await proxy.restore(); await proxy.close();
 * ```
 */
export async function startTcpProxy(targetPort: number, port = 0): Promise<TcpProxy> {
  const sockets = new Set<Socket>();
  let fromServer = 0;
  let server: Server | undefined;
  const listen = (p: number) =>
    new Promise<number>((resolve, reject) => {
      const s = createServer((client) => {
        const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
        for (const sock of [client, upstream]) {
          sockets.add(sock);
          sock.on('close', () => sockets.delete(sock));
          sock.on('error', () => {
            client.destroy();
            upstream.destroy();
          });
        }
        upstream.on('data', (chunk: Buffer) => {
          fromServer += chunk.byteLength;
        });
        client.pipe(upstream);
        upstream.pipe(client);
      });
      s.once('error', reject);
      s.listen(p, '127.0.0.1', () => {
        server = s;
        const a = s.address();
        resolve(typeof a === 'object' && a ? a.port : p);
      });
    });
  const bound = await listen(port);
  const stop = async () => {
    const s = server;
    server = undefined;
    for (const sock of sockets) sock.resetAndDestroy();
    sockets.clear();
    if (s) await new Promise<void>((r) => s.close(() => r()));
  };
  return {
    port: bound,
    cut: stop,
    restore: async () => {
      await listen(bound);
    },
    close: stop,
    bytesFromServer: () => fromServer,
    resetCount: () => {
      fromServer = 0;
    },
  };
}
