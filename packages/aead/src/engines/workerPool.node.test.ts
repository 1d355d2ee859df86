import { execFile } from 'node:child_process';
import { createCipheriv, randomBytes } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { WorkerPool } from './workerPool.node.ts';

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));

describe('WorkerPool', () => {
  it('takes finished replies without yielding to the event loop only when told to', async () => {
    // A stream pipeline can seal segment after segment in microtasks; takeReplies() notices a
    // finished worker then, instead of at the next turn of the event loop. Reading `pending`
    // alone changes nothing.
    const pool = new WorkerPool(1);
    const key = randomBytes(32);
    const nonce = randomBytes(12);
    const plaintext = randomBytes(300_000);
    const job = pool.run(
      'seal',
      key,
      nonce,
      [plaintext.subarray(0, 7), plaintext.subarray(7)],
      undefined,
    );
    expect(pool.pending).toBe(1);
    const busyFor = Date.now() + 300;
    while (Date.now() < busyFor) expect(pool.pending).toBe(1); // no await: a busy thread
    const deadline = Date.now() + 20_000;
    let pending = 1;
    while (pending > 0 && Date.now() < deadline) {
      pool.takeReplies();
      pending = pool.pending;
    }
    expect(pending).toBe(0);
    const got = (await job) as { outs: Uint8Array[]; tag: Uint8Array };
    const c = createCipheriv('aes-256-gcm', key, nonce);
    const want = Buffer.concat([c.update(plaintext), c.final()]);
    expect(Buffer.concat(got.outs).equals(want)).toBe(true);
    expect(Buffer.from(got.tag).equals(c.getAuthTag())).toBe(true);
  });

  it('runs whatever flags the parent has (--input-type=module), and lets the process exit when done', async () => {
    const script = `
      import { WorkerPool } from ${JSON.stringify(join(here, 'workerPool.node.ts'))};
      const pool = new WorkerPool(1);
      const r = await pool.run('seal', new Uint8Array(32), new Uint8Array(12), [new Uint8Array(1000)], undefined);
      console.log('sealed', r.outs.reduce((n, o) => n + o.length, 0));
    `;
    const { stdout } = await run(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '-e', script],
      { cwd: here, timeout: 30_000 },
    );
    expect(stdout.trim()).toBe('sealed 1000');
  });
});
