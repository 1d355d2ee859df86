import { generateLocalKey, localKeyWrapper } from '@sealstream/kms';
import { collect, encodeBase64, fromBytes } from '@sealstream/streams';
import { bundleEdgeWorker } from '@sealstream-examples/edge-worker/build.ts';
import { openFile, sealFile } from '@sealstream-examples/sealed-file';
import type { Miniflare } from 'miniflare';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startWorker } from '../../runtimes/runInWorkerd.ts';

// examples/edge-worker in workerd (Miniflare, R2 emulated), and interop: a request body
// sealed by the Worker opens in Node; a file stored by the Worker opens in Node.

const key = generateLocalKey();
let mf: Miniflare;

beforeAll(async () => {
  mf = startWorker(await bundleEdgeWorker(), {
    r2Buckets: ['FILES'],
    bindings: { SEAL_KEY: encodeBase64(key) },
  });
  await mf.ready;
});
afterAll(async () => {
  await mf?.dispose();
});

function data(n: number): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i += 65536)
    crypto.getRandomValues(out.subarray(i, Math.min(n, i + 65536)));
  return out;
}

/** The worker's R2 bucket, by the two calls used here (miniflare's own types do not resolve). */
interface Bucket {
  get(key: string): Promise<{ arrayBuffer(): Promise<ArrayBuffer> } | null>;
  put(key: string, value: Uint8Array): Promise<unknown>;
}

async function bucket(): Promise<Bucket> {
  return (await mf.getR2Bucket('FILES')) as unknown as Bucket;
}

describe('examples/edge-worker in workerd', () => {
  it('seals a request body into the response (request → encryptStream → response); Node opens it', async () => {
    const original = data(700_000);
    const res = await mf.dispatchFetch('http://worker/seal', {
      method: 'POST',
      body: original,
      headers: { 'Content-Length': String(original.length) },
    });
    expect(res.status).toBe(200);
    const sealed = new Uint8Array(await res.arrayBuffer());
    expect(Number(res.headers.get('Content-Length'))).toBe(sealed.length);
    expect(sealed.length).toBeGreaterThan(original.length);
    expect(await collect(await openFile(fromBytes(sealed), [localKeyWrapper(key)]))).toEqual(
      original,
    );
  });

  it('stores uploads sealed in R2 (Node opens the stored object) and serves them opened', async () => {
    const original = data(600_000);
    const put = await mf.dispatchFetch('http://worker/files/report.pdf', {
      method: 'PUT',
      body: original,
      headers: { 'Content-Length': String(original.length) },
    });
    expect(put.status).toBe(201);
    const info = (await put.json()) as { size: number; sealedSize: number };
    expect(info.size).toBe(original.length);
    const stored = await (await bucket()).get('report.pdf');
    expect(stored).not.toBeNull();
    const storedBytes = new Uint8Array(
      await (stored as { arrayBuffer(): Promise<ArrayBuffer> }).arrayBuffer(),
    );
    expect(storedBytes.length).toBe(info.sealedSize);
    expect(await collect(await openFile(fromBytes(storedBytes), [localKeyWrapper(key)]))).toEqual(
      original,
    );
    const get = await mf.dispatchFetch('http://worker/files/report.pdf');
    expect(get.status).toBe(200);
    expect(new Uint8Array(await get.arrayBuffer())).toEqual(original);
  });

  it('refuses an upload without Content-Length (R2 needs the length up front)', async () => {
    const body = new ReadableStream<Uint8Array>({
      start(c) {
        c.enqueue(new Uint8Array(10));
        c.close();
      },
    });
    const res = await mf.dispatchFetch('http://worker/files/x.bin', {
      method: 'PUT',
      body,
      duplex: 'half',
    } as never);
    expect(res.status).toBe(411);
  });

  it('answers 403 with a clear message for a file sealed under another key, before any byte', async () => {
    const other = await sealFile(fromBytes(data(1000)), [localKeyWrapper(generateLocalKey())]);
    await (await bucket()).put('foreign.bin', await collect(other.stream));
    const res = await mf.dispatchFetch('http://worker/files/foreign.bin');
    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ code: 'ERR_KMS_NO_USABLE_KEY' });
  });

  it('answers 422 for a truncated or tampered stored file, before any byte of output', async () => {
    const sealed = await collect(
      (await sealFile(fromBytes(data(400_000)), [localKeyWrapper(key)], { segmentSize: 65536 }))
        .stream,
    );
    await (await bucket()).put('cut.bin', sealed.subarray(0, sealed.length - 3000));
    const cut = await mf.dispatchFetch('http://worker/files/cut.bin');
    expect(cut.status).toBe(422);
    expect(await cut.json()).toMatchObject({
      code: expect.stringMatching(/^ERR_AEAD_(TRUNCATED|TAMPERED)$/),
    });
    const flipped = sealed.slice();
    const at = flipped.length - 70_000;
    flipped[at] = (flipped[at] as number) ^ 1;
    await (await bucket()).put('flipped.bin', flipped);
    const bad = await mf.dispatchFetch('http://worker/files/flipped.bin');
    expect(bad.status).toBe(422);
    expect(await bad.json()).toMatchObject({
      code: 'ERR_AEAD_TAMPERED',
      error: expect.stringMatching(/damaged or incomplete/),
    });
  });
});
