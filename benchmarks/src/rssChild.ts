/**
 * Child process of {@link measureRss}: reads one {@link RssJob} as JSON on stdin, loads what the
 * job needs, takes a baseline RSS (after a GC), does the job while sampling RSS, and prints one
 * {@link RssReport} as JSON on stdout. Run it only through `measureRss` (it needs `--expose-gc`
 * and the source condition).
 */
import { randomFillSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { discardSink } from './byteStreams.ts';
import type { RssJob, RssReport } from './measureRss.ts';

/** A source of `bytes` random-looking bytes made on the fly: fresh 64 KiB chunks, nothing held. */
function generatedSource(bytes: number): ReadableStream<Uint8Array> {
  const pool = new Uint8Array(1 << 20);
  randomFillSync(pool);
  let made = 0;
  return new ReadableStream<Uint8Array>({
    pull(controller) {
      if (made >= bytes) {
        controller.close();
        return;
      }
      const n = Math.min(64 * 1024, bytes - made);
      const chunk = new Uint8Array(n);
      const at = (made * 7) % (pool.byteLength - n);
      chunk.set(pool.subarray(at, at + n));
      made += n;
      controller.enqueue(chunk);
    },
  });
}

/**
 * The kernel's RSS high-water mark of this process image: VmHWM from /proc/self/status. Not
 * getrusage's maxRSS, which Linux carries over from the parent through fork and exec (a child
 * of a 600 MiB benchmark process would report 600 MiB). Falls back to the current RSS.
 */
function highWaterRss(): number {
  try {
    const m = /^VmHWM:\s+(\d+)\s+kB/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) * 1024;
  } catch {
    // not Linux
  }
  return process.memoryUsage().rss;
}

async function prepare(job: RssJob): Promise<() => Promise<number>> {
  const key = Uint8Array.from(Buffer.from(job.keyHex, 'hex'));
  if (job.kind === 'plumbing' || job.kind === 'encrypt' || job.kind === 'encrypt+decrypt') {
    const aead = await import('@sealstream/aead');
    const options = job.engine === undefined ? {} : { engine: job.engine };
    return async () => {
      const sink = discardSink();
      let stream = generatedSource(job.bytes);
      if (job.kind !== 'plumbing') stream = stream.pipeThrough(aead.encryptStream(key, options));
      if (job.kind === 'encrypt+decrypt')
        stream = stream.pipeThrough(aead.decryptStream(key, options));
      await stream.pipeTo(sink.writable);
      return job.kind === 'encrypt' ? job.bytes : sink.bytes();
    };
  }
  const [
    { backup, restore },
    { localKeyWrapper },
    { localStorage },
    { walkDirectory, directoryTarget },
  ] = await Promise.all([
    import('@sealstream/backup'),
    import('@sealstream/kms'),
    import('@sealstream/storage-local'),
    import('@sealstream/fs'),
  ]);
  const keys = [localKeyWrapper(key)];
  const { tree, collection, target } = job;
  if (job.kind === 'backup') {
    if (!tree || !collection) throw new Error('backup job needs tree and collection');
    return async () =>
      (await backup({ collection: localStorage(collection), entries: walkDirectory(tree), keys }))
        .bytes;
  }
  if (!collection || !target) throw new Error('restore job needs collection and target');
  return async () =>
    (
      await restore({
        collection: localStorage(collection),
        keys,
        target: await directoryTarget(target),
      })
    ).bytes;
}

const job = JSON.parse(readFileSync(0, 'utf8')) as RssJob;
const work = await prepare(job);
const gc = (globalThis as { gc?: () => void }).gc;
gc?.();
const baselineRss = process.memoryUsage().rss;
let sampledPeakRss = baselineRss;
const timer = setInterval(() => {
  sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage().rss);
}, 5);
const started = performance.now();
const bytes = await work();
const seconds = (performance.now() - started) / 1000;
clearInterval(timer);
sampledPeakRss = Math.max(sampledPeakRss, process.memoryUsage().rss);
const report: RssReport = {
  baselineRss,
  sampledPeakRss,
  highWaterRss: highWaterRss(),
  bytes,
  seconds,
  gcExposed: gc !== undefined,
};
process.stdout.write(`${JSON.stringify(report)}\n`);
