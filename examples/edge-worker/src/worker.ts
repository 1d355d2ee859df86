/**
 * An edge worker that seals uploads before storing them (examples/edge-worker).
 *
 * - `PUT /files/<name>` — streams the request body through {@link sealFile} (under the worker's
 *   `SEAL_KEY`) into the R2 bucket `FILES`; needs `Content-Length` (R2 needs the sealed length up
 *   front, and the sealed length follows exactly from it). 201 with `{ name, size, sealedSize }`.
 * - `GET /files/<name>` — streams the object back, opened. It is verified first (one streamed
 *   pass that authenticates every segment and discards the output), then streamed again pinned to
 *   the same etag, so a wrong key (403), a damaged or truncated object (422) is reported before
 *   any byte: workerd does not reliably surface a body that errors mid-stream to the client (in
 *   Miniflare the client sees an empty, successful body), so the worker never relies on it.
 * - `POST /seal` — request → sealed response, nothing stored.
 *
 * Nothing is buffered whole: memory stays O(segment size × segments in flight).
 *
 * @example
 * ```ts
 * // with Miniflare: new Miniflare({ modules: true, script: bundledWorker, r2Buckets: ['FILES'],
 * //   bindings: { SEAL_KEY: base64Key } }).dispatchFetch('http://x/files/a.txt', { method: 'PUT', body })
 * ```
 */
import { localKeyWrapper } from '@sealstream/kms';
import { decodeBase64 } from '@sealstream/streams';
import { openFile, sealFile } from '@sealstream-examples/sealed-file';
import type { Env } from './workerTypes.ts';

/** workerd's stream with a declared length, which R2 needs for a streamed put (a global there). */
declare const FixedLengthStream: new (length: number) => TransformStream<Uint8Array, Uint8Array>;

const json = (status: number, body: unknown): Response =>
  new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

function wrapper(env: Env) {
  const key = decodeBase64(env.SEAL_KEY ?? '');
  if (key.length !== 32) throw new Error('SEAL_KEY must be 32 bytes of base64');
  return localKeyWrapper(key, 'local-kms:SEAL_KEY');
}

function contentLength(request: Request): number | undefined {
  const v = request.headers.get('Content-Length');
  const n = v === null ? Number.NaN : Number(v);
  return Number.isSafeInteger(n) && n >= 0 ? n : undefined;
}

async function seal(
  request: Request,
  env: Env,
): Promise<{ stream: ReadableStream<Uint8Array>; size: number | undefined }> {
  const length = contentLength(request);
  const sealed = await sealFile(request.body ?? new Blob([]).stream(), [wrapper(env)]);
  return { stream: sealed.stream, size: length === undefined ? undefined : sealed.sizeFor(length) };
}

async function handle(request: Request, env: Env): Promise<Response> {
  const url = new URL(request.url);
  if (url.pathname === '/seal' && request.method === 'POST') {
    const { stream, size } = await seal(request, env);
    const headers = { 'Content-Type': 'application/octet-stream' };
    if (size === undefined) return new Response(stream, { headers });
    const fixed = new FixedLengthStream(size); // declares Content-Length
    stream.pipeTo(fixed.writable).catch(() => {});
    return new Response(fixed.readable, { headers });
  }
  const m = /^\/files\/([\w.-]{1,200})$/.exec(url.pathname);
  if (!m) return json(404, { error: 'not found: use PUT/GET /files/<name> or POST /seal' });
  const name = m[1] as string;
  if (request.method === 'PUT') {
    const length = contentLength(request);
    if (length === undefined)
      return json(411, { error: 'Content-Length is required to store an upload' });
    const { stream, size } = await seal(request, env);
    const fixed = new FixedLengthStream(size as number);
    await Promise.all([stream.pipeTo(fixed.writable), env.FILES.put(name, fixed.readable)]);
    return json(201, { name, size: length, sealedSize: size });
  }
  if (request.method === 'GET') {
    const object = await env.FILES.get(name);
    if (!object?.body) return json(404, { error: `no file named ${name}` });
    try {
      await (await openFile(object.body, [wrapper(env)])).pipeTo(new WritableStream());
      const again = await env.FILES.get(name, { onlyIf: { etagMatches: object.etag } });
      if (!again?.body) return json(409, { error: `${name} changed while it was read; try again` });
      const opened = await openFile(again.body, [wrapper(env)]);
      return new Response(opened, { headers: { 'Content-Type': 'application/octet-stream' } });
    } catch (e) {
      const code = (e as { code?: string }).code;
      if (code === 'ERR_KMS_NO_USABLE_KEY')
        return json(403, { error: 'this file was not sealed with this worker’s key', code });
      return json(422, {
        error: `the stored file is damaged or incomplete: ${(e as Error).message}`,
        code,
      });
    }
  }
  return json(405, { error: `method ${request.method} not allowed` });
}

export default {
  async fetch(request: Request, env: Env): Promise<Response> {
    try {
      return await handle(request, env);
    } catch (e) {
      return json(500, { error: e instanceof Error ? e.message : 'internal error' });
    }
  },
};
