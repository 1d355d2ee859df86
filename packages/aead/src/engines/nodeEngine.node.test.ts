import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createNodeEngine, createTunedNodeEngine } from './nodeEngine.node.ts';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

const concat = (pieces: Uint8Array[]) => Buffer.concat(pieces);

describe('createNodeEngine', () => {
  it('shares sealing between a busy worker and the calling thread, with identical bytes', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const hybrid = await createTunedNodeEngine(
      { workers: 1 },
      { offloadBytes: 0 },
    ).createSegmentCipher(key, {
      inFlight: 8,
    });
    const here = await createNodeEngine({ workers: 0 }).createSegmentCipher(key);
    const segments = Array.from({ length: 12 }, (_, i) =>
      crypto.getRandomValues(new Uint8Array(4096 + i)),
    );
    const nonces = segments.map((_, i) => new Uint8Array(12).fill(i + 1));
    const jobs = segments.map((s, i) => hybrid.seal(nonces[i] as Uint8Array, [s]));
    const offloaded = jobs.filter((j) => j instanceof Promise).length;
    // The first goes to the idle worker; while it is busy the calling thread seals the next ones.
    expect(offloaded).toBeGreaterThanOrEqual(1);
    expect(offloaded).toBeLessThan(segments.length);
    const got = await Promise.all(jobs);
    for (let i = 0; i < segments.length; i++) {
      const want = here.seal(nonces[i] as Uint8Array, [segments[i] as Uint8Array]) as Uint8Array[];
      expect(concat(got[i] as Uint8Array[]).equals(concat(want))).toBe(true);
    }
  });

  it('seals a batch of short messages in one worker job or here, with the bytes of sealing each', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const engine = createNodeEngine({ workers: 1 });
    const pooled = await engine.createSegmentCipher(key, { inFlight: 1 });
    const here = await createNodeEngine({ workers: 0 }).createSegmentCipher(key);
    const lengths = [0, 1, 100, 70_000, 17];
    const plaintexts = lengths.map((n) => new Uint8Array(randomBytes(n)));
    const aads = lengths.map((_, i) => new Uint8Array(i % 2 ? 0 : 40).fill(i));
    const nonces = lengths.map((_, i) => new Uint8Array(12).fill(i + 1));
    const batch = {
      nonces: Buffer.concat(nonces),
      plaintexts: Buffer.concat(plaintexts),
      plaintextLengths: Uint32Array.from(lengths),
      aads: Buffer.concat(aads),
      aadLengths: Uint32Array.from(aads, (a) => a.length),
    };
    const want = concat(
      lengths.flatMap(
        (_, i) =>
          here.seal(
            nonces[i] as Uint8Array,
            [plaintexts[i] as Uint8Array],
            aads[i],
          ) as Uint8Array[],
      ),
    );
    // Two batches at once: one goes to the worker, the other is sealed here meanwhile.
    const outs = [new Uint8Array(want.length), new Uint8Array(want.length)];
    await Promise.all(outs.map((out) => pooled.sealEach?.(out, batch)));
    for (const out of outs) expect(Buffer.from(out).equals(want)).toBe(true);
    const alone = new Uint8Array(want.length);
    await here.sealEach?.(alone, batch);
    expect(Buffer.from(alone).equals(want)).toBe(true);
    // An inconsistent batch, or room for other than its sealed size, is refused either way.
    for (const cipher of [pooled, here]) {
      await expect(cipher.sealEach?.(new Uint8Array(want.length - 1), batch)).rejects.toThrow(
        RangeError,
      );
      const short = { ...batch, nonces: batch.nonces.subarray(1) };
      await expect(cipher.sealEach?.(alone, short)).rejects.toThrow(RangeError);
      const unequal = { ...batch, aadLengths: Uint32Array.from([1, 0, 40, 0, 40]) };
      await expect(cipher.sealEach?.(alone, unequal)).rejects.toThrow(RangeError);
    }
  });

  it('shares opening the same way, and a worker never returns plaintext of a forged segment', async () => {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const hybrid = await createTunedNodeEngine(
      { workers: 1 },
      { offloadBytes: 0 },
    ).createSegmentCipher(key, { inFlight: 8 });
    const here = await createNodeEngine({ workers: 0 }).createSegmentCipher(key);
    const plaintexts = Array.from(
      { length: 12 },
      (_, i) => new Uint8Array(randomBytes(70_000 + i)),
    );
    const nonces = plaintexts.map((_, i) => new Uint8Array(12).fill(i + 1));
    const sealed = plaintexts.map(
      (p, i) => here.seal(nonces[i] as Uint8Array, [p]) as Uint8Array[],
    );
    // Segment 5 is forged: one flipped bit of its ciphertext.
    const forged = concat(sealed[5] as Uint8Array[]);
    forged[100] = (forged[100] as number) ^ 1;
    sealed[5] = [forged.subarray(0, 4000), forged.subarray(4000)];
    const jobs = sealed.map((c, i) => hybrid.open(nonces[i] as Uint8Array, c));
    const offloaded = jobs.filter((j) => j instanceof Promise).length;
    expect(offloaded).toBeGreaterThanOrEqual(1);
    expect(offloaded).toBeLessThan(plaintexts.length);
    const got = await Promise.all(jobs);
    for (let i = 0; i < plaintexts.length; i++) {
      if (i === 5) expect(got[i]).toBeNull();
      else expect(concat(got[i] as Uint8Array[]).equals(plaintexts[i] as Uint8Array)).toBe(true);
    }
    // The forged segment, alone, on the worker (the pool is idle again): still null.
    const alone = hybrid.open(nonces[5] as Uint8Array, sealed[5] as Uint8Array[]);
    expect(alone).toBeInstanceOf(Promise);
    expect(await alone).toBeNull();
  });

  it('seals and opens on the calling thread when its worker cannot run, with one warning', async () => {
    // A preload module (NODE_OPTIONS --require) that throws inside our worker kills it at start.
    const dir = mkdtempSync(join(tmpdir(), 'sealstream-noworker-'));
    try {
      const preload = join(dir, 'refuse-aes-worker.cjs');
      writeFileSync(
        preload,
        `const wt = require('node:worker_threads');
if (!wt.isMainThread && wt.workerData && wt.workerData.replies) throw new Error('no AES-GCM worker here');`,
      );
      const script = `
        import { decrypt, encrypt } from ${JSON.stringify(join(here, '..', 'index.node.ts'))};
        const key = new Uint8Array(32).fill(7);
        const data = new Uint8Array(5 << 20).map((_, i) => i * 31);
        const sealed = await encrypt(key, data);
        const opened = await decrypt(key, sealed);
        console.log('round trip', opened.length === data.length && opened.every((b, i) => b === data[i]));
      `;
      const { stdout, stderr } = await run(
        process.execPath,
        ['--import', 'tsx', '--input-type=module', '-e', script],
        {
          cwd: here,
          timeout: 30_000,
          env: { ...process.env, NODE_OPTIONS: `--require ${preload}` },
        },
      );
      expect(stdout.trim()).toBe('round trip true');
      expect(stderr.match(/SEALSTREAM_WORKER_LOST/g)).toHaveLength(1);
      expect(stderr).toContain('no AES-GCM worker here');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('offers workers as its only option; the tuning stays inside the package', async () => {
    const api = await import('../index.node.ts');
    expect(Object.keys(api)).not.toContain('createTunedNodeEngine');
    expect(Object.keys(api)).not.toContain('NODE_ENGINE_TUNING');
    const tuning = (await import('./nodeEngine.node.ts')).NODE_ENGINE_TUNING;
    expect(tuning).toEqual({
      offloadBytes: 256 * 1024,
      offloadDecrypt: true,
      queuePerWorker: 1,
      eagerReplies: false,
    });
  });

  it('refuses bad options', () => {
    expect(() => createNodeEngine({ workers: -1 })).toThrow(RangeError);
    expect(() => createTunedNodeEngine({}, { queuePerWorker: 0 })).toThrow(/queuePerWorker/);
    expect(() => createTunedNodeEngine({}, { offloadBytes: 1.5 })).toThrow(/offloadBytes/);
  });
});
