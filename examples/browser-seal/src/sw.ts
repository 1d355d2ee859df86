/// <reference lib="webworker" />
/**
 * The streaming-download service worker of the browser-seal example. The page transfers a
 * ReadableStream with a name; a navigation to `__download/<id>` is answered with a response whose
 * body *is* that stream, with `Content-Disposition: attachment`, so the browser saves it as it
 * arrives. If the stream errors, the response body errors and the browser marks the download
 * failed. Streams are handed out once and forgotten.
 */
declare const self: ServiceWorkerGlobalScope;

interface Pending {
  name: string;
  size?: number;
  stream: ReadableStream<Uint8Array>;
}
const pending = new Map<string, Pending>();

self.addEventListener('install', () => {
  void self.skipWaiting();
});
self.addEventListener('activate', (event) => {
  event.waitUntil(self.clients.claim());
});
self.addEventListener('message', (event) => {
  const { id, name, size, stream } = event.data as Pending & { id: string };
  pending.set(id, { name, stream, ...(size === undefined ? {} : { size }) });
  event.ports[0]?.postMessage('ready');
});
self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  const m = /\/__download\/([0-9a-f-]{36})$/.exec(url.pathname);
  if (!m) return;
  const id = m[1] as string;
  const item = pending.get(id);
  pending.delete(id);
  if (!item) {
    event.respondWith(new Response('This download is no longer available.', { status: 404 }));
    return;
  }
  const headers = new Headers({
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename*=UTF-8''${encodeURIComponent(item.name)}`,
    'X-Content-Type-Options': 'nosniff',
  });
  if (item.size !== undefined) headers.set('Content-Length', String(item.size));
  event.respondWith(new Response(item.stream, { headers }));
});
