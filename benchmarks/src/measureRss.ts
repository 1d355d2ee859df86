import { execFile } from 'node:child_process';
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { decryptStream, encryptStream } from '@sealstream/aead';
import { backup, restore } from '@sealstream/backup';
import { directoryTarget, walkDirectory } from '@sealstream/fs';
import { localKeyWrapper } from '@sealstream/kms';
import { localStorage } from '@sealstream/storage-local';
import { drain } from './byteStreams.ts';

/**
 * A job whose memory is measured. `plumbing`: `bytes` generated on the fly into a discarding
 * sink; `encrypt`: the same through encryptStream; `encrypt+decrypt`: through encryptStream and
 * decryptStream; `backup`: `tree` into the local collection `collection`; `restore`: LATEST of
 * `collection` into the new directory `target`. `key`: 32 bytes in hex, the stream key or the
 * collection's local master key.
 */
export interface RssJob {
  readonly kind: 'plumbing' | 'encrypt' | 'encrypt+decrypt' | 'backup' | 'restore';
  readonly key: string;
  readonly bytes?: number;
  readonly engine?: 'webcrypto';
  readonly tree?: string;
  readonly collection?: string;
  readonly target?: string;
}

/**
 * The job's milliseconds, its RSS just before (everything loaded, after a GC), and its peak: the
 * larger of RSS sampled every 5 ms and the kernel's high-water mark VmHWM, which also covers
 * start-up, so an upper bound. In bytes.
 */
export interface RssReport {
  readonly ms: number;
  readonly baselineRss: number;
  readonly peakRss: number;
}

const SELF = fileURLToPath(import.meta.url);

/**
 * Runs `job` in a fresh Node process (this one's loader flags plus `--expose-gc`) and returns its
 * report.
 *
 * @example
 * ```ts
 * import { measureRss } from './measureRss.ts';
 * const r = await measureRss({ kind: 'encrypt', bytes: 64 << 20, key: '00'.repeat(32) });
 * console.log((r.peakRss - r.baselineRss) / 2 ** 20, 'MiB over baseline');
 * ```
 */
export async function measureRss(job: RssJob): Promise<RssReport> {
  const argv = [...process.execArgv, '--expose-gc', SELF, JSON.stringify(job)];
  const { stdout } = await promisify(execFile)(process.execPath, argv);
  return JSON.parse(stdout.trim().split('\n').at(-1) ?? '') as RssReport;
}

/** `bytes` made on the fly: a fresh 64 KiB chunk per read from a 1 MiB random pool, none kept. */
function generated(bytes: number): ReadableStream<Uint8Array> {
  const pool = randomFillSync(new Uint8Array(1 << 20));
  let made = 0;
  return new ReadableStream({
    pull(controller) {
      if (made >= bytes) return controller.close();
      const n = Math.min(65536, bytes - made);
      const at = (made * 7) % (pool.length - n);
      controller.enqueue(pool.slice(at, at + n));
      made += n;
    },
  });
}

/** The job as a closure with everything it needs loaded. */
function prepare({
  kind,
  key: hex,
  bytes = 0,
  engine,
  tree = '',
  collection = '',
  target = '',
}: RssJob) {
  const key = Uint8Array.from(Buffer.from(hex, 'hex'));
  const options = engine ? { engine } : {};
  const keys = [localKeyWrapper(key)];
  if (kind === 'backup')
    return () =>
      backup({ collection: localStorage(collection), entries: walkDirectory(tree), keys });
  if (kind === 'restore')
    return async () =>
      restore({
        collection: localStorage(collection),
        keys,
        target: await directoryTarget(target),
      });
  return () => {
    let stream = generated(bytes);
    if (kind !== 'plumbing') stream = stream.pipeThrough(encryptStream(key, options));
    if (kind === 'encrypt+decrypt') stream = stream.pipeThrough(decryptStream(key, options));
    return drain(stream);
  };
}

/** VmHWM of this process in bytes, or 0 where /proc is missing. */
function highWater(): number {
  try {
    const status = readFileSync('/proc/self/status', 'utf8');
    return 1024 * Number(/VmHWM:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  } catch {
    return 0;
  }
}

if (process.argv[1] === SELF) {
  const work = prepare(JSON.parse(process.argv[2] ?? '{}') as RssJob);
  (globalThis as { gc?: () => void }).gc?.();
  const baselineRss = process.memoryUsage.rss();
  let peak = baselineRss;
  const timer = setInterval(() => {
    peak = Math.max(peak, process.memoryUsage.rss());
  }, 5);
  const started = performance.now();
  await work();
  const ms = performance.now() - started;
  clearInterval(timer);
  const peakRss = Math.max(peak, process.memoryUsage.rss(), highWater());
  process.stdout.write(`${JSON.stringify({ ms, baselineRss, peakRss } satisfies RssReport)}\n`);
}
