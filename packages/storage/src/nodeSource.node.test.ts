import { PassThrough, Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { nodeSource, openNodeSource } from './nodeSource.node.ts';

const mapped = (e: unknown) =>
  Object.assign(new Error(`mapped: ${(e as Error).message}`), { cause: e });

async function drain(s: ReadableStream<Uint8Array>): Promise<number> {
  let n = 0;
  for await (const c of s) n += c.byteLength;
  return n;
}

describe('nodeSource', () => {
  it('passes every byte as plain Uint8Arrays and ends with the Node stream', async () => {
    const chunks = [Buffer.from('ab'), Buffer.from('cde'), 'fg'];
    const seen: Uint8Array[] = [];
    for await (const c of nodeSource(Readable.from(chunks), mapped)) seen.push(c);
    expect(seen.every((c) => !Buffer.isBuffer(c))).toBe(true);
    expect(Buffer.concat(seen).toString()).toBe('abcdefg');
  });

  it('pauses the Node stream once highWaterMark bytes wait unread', async () => {
    const body = new PassThrough();
    const web = nodeSource(body, mapped, 10);
    body.write(Buffer.alloc(6));
    body.write(Buffer.alloc(6));
    await new Promise((r) => setImmediate(r));
    expect(body.isPaused()).toBe(true);
    const reader = web.getReader();
    await reader.read();
    await reader.read();
    body.end();
    expect((await reader.read()).done).toBe(true);
  });

  it('maps a failure and a premature close', async () => {
    const failing = new PassThrough();
    const web = nodeSource(failing, mapped);
    failing.write(Buffer.from('x'));
    failing.destroy(new Error('socket hang up'));
    await expect(drain(web)).rejects.toThrow('mapped: socket hang up');
    const cut = new PassThrough();
    const web2 = nodeSource(cut, mapped);
    cut.destroy();
    await expect(drain(web2)).rejects.toThrow(/mapped: .*[Pp]remature close/);
  });

  it('destroys the Node stream on cancel', async () => {
    const body = new PassThrough();
    const web = nodeSource(body, mapped);
    await web.cancel();
    expect(body.destroyed).toBe(true);
  });
});

describe('openNodeSource', () => {
  it('rejects with the raw error when the body fails before any byte', async () => {
    const body = new PassThrough();
    const opening = openNodeSource(body, mapped);
    body.destroy(new Error('404'));
    await expect(opening).rejects.toThrow(/^404$/);
  });

  it('resolves at the first byte (or the end) and maps later failures', async () => {
    const body = new PassThrough();
    const opening = openNodeSource(body, mapped);
    body.write(Buffer.from('abc'));
    const web = await opening;
    body.destroy(new Error('reset'));
    await expect(drain(web)).rejects.toThrow('mapped: reset');
    const empty = await openNodeSource(Readable.from([]), mapped);
    expect(await drain(empty)).toBe(0);
  });
});
