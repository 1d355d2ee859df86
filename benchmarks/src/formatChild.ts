/**
 * One sealstream case of the `format` suite in a process of its own, so its peak RSS is its own:
 * reads a JSON job from argv, runs a full backup, an incremental or a restore through the library
 * (local key, local disk), and prints `{ ms, peakRss }` as one JSON line. `ms` times the operation
 * alone (not Node's start-up); `peakRss` (bytes) is the larger of RSS sampled every 10 ms and the
 * kernel's high-water mark VmHWM, start-up included.
 */
import { readFileSync } from 'node:fs';
import { backup, restore } from '@sealstream/backup';
import { directoryTarget, walkDirectory } from '@sealstream/fs';
import { localKeyWrapper } from '@sealstream/kms';
import { localStorage } from '@sealstream/storage-local';

interface Job {
  op: 'full' | 'incremental' | 'restore';
  tree: string;
  collection: string;
  key: string;
  to?: string;
}

/** VmHWM of this process in bytes (0 where /proc is missing). */
function highWater(): number {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

const job = JSON.parse(process.argv[2] as string) as Job;
const keys = [
  localKeyWrapper(Uint8Array.from(Buffer.from(job.key, 'hex')), 'local-kms:///bench.key'),
];
const storage = localStorage(job.collection);
let peak = process.memoryUsage.rss();
const timer = setInterval(() => {
  peak = Math.max(peak, process.memoryUsage.rss());
}, 10);
const started = performance.now();
if (job.op === 'restore') {
  const target = await directoryTarget(job.to as string);
  await restore({ collection: storage, keys, target });
} else {
  const entries = walkDirectory(job.tree);
  const incremental = job.op === 'incremental' ? { incremental: true } : {};
  await backup({ collection: storage, keys, entries, ...incremental });
}
const ms = performance.now() - started;
clearInterval(timer);
peak = Math.max(peak, process.memoryUsage.rss(), highWater());
process.stdout.write(`${JSON.stringify({ ms, peakRss: peak })}\n`);
