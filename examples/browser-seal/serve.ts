/**
 * A tiny static server for the example (and its tests): serves `dir` on 127.0.0.1 at a free port.
 * `http://127.0.0.1` is a secure context, so WebCrypto and service workers are available.
 *
 *   node --import tsx serve.ts [dir]     # prints the URL; Ctrl-C stops it
 *
 * @example
 * ```ts
 * import { serveDirectory } from './serve.ts';
 * const { url, close } = await serveDirectory('dist');
 * console.log(url); // http://127.0.0.1:<port>/
 * await close();
 * ```
 */
import { createReadStream, statSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
};

export async function serveDirectory(
  dir: string,
): Promise<{ url: string; close: () => Promise<void> }> {
  const root = normalize(dir) + sep;
  const server = createServer((req, res) => {
    const path = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    let ok = file.startsWith(root);
    try {
      ok &&= statSync(file).isFile();
    } catch {
      ok = false;
    }
    if (!ok) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200, {
      'Content-Type': TYPES[extname(file)] ?? 'application/octet-stream',
      'Cache-Control': 'no-store',
    });
    createReadStream(file).pipe(res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { url } = await serveDirectory(
    process.argv[2] ?? join(fileURLToPath(new URL('.', import.meta.url)), 'dist'),
  );
  console.log(`browser-seal example at ${url}`);
}
