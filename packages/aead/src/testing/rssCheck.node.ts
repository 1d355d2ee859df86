/**
 * Peak RSS while streaming 1 GiB through encryptStream → decryptStream with default options
 * (docs/FORMAT.md §8). Not a test. Run:
 * node --conditions=@sealstream/source --import tsx packages/aead/src/testing/rssCheck.node.ts [MiB]
 */
import { readFileSync } from 'node:fs';
import { createNodeEngine, decryptStream, encryptStream, nodeEngine } from '../index.node.ts';

const total = Number(process.argv[2] ?? 1024) * 1024 * 1024;
const mode = process.argv[3] ?? 'enc+dec';
const inFlight = process.argv[4] === undefined ? undefined : Number(process.argv[4]);
const workers = process.argv[5] === undefined ? undefined : Number(process.argv[5]);
const chunk = 64 * 1024;
const key = crypto.getRandomValues(new Uint8Array(32));
const vm = (field: string) =>
  Number(
    /(\d+)/.exec(
      readFileSync('/proc/self/status', 'utf8')
        .split('\n')
        .find((l) => l.startsWith(field)) ?? '',
    )?.[1],
  ) / 1024;

let sent = 0;
const source = new ReadableStream<Uint8Array>({
  pull(c) {
    if (sent >= total) return c.close();
    const n = Math.min(chunk, total - sent);
    c.enqueue(new Uint8Array(n).fill(sent & 255));
    sent += n;
  },
});
let received = 0;
globalThis.gc?.();
const baseline = vm('VmRSS:');
let peak = baseline;
const timer = setInterval(() => {
  peak = Math.max(peak, vm('VmRSS:'));
}, 20);
const t = performance.now();
const engine = workers === undefined ? nodeEngine : createNodeEngine({ workers });
const opts = { engine, ...(inFlight === undefined ? {} : { inFlight }) };
const sealed = source.pipeThrough(encryptStream(key, opts));
await (mode === 'enc' ? sealed : sealed.pipeThrough(decryptStream(key, opts))).pipeTo(
  new WritableStream({
    write(c) {
      received += c.length;
    },
  }),
);
clearInterval(timer);
const s = (performance.now() - t) / 1000;
if (mode !== 'enc' && received !== total) throw new Error(`received ${received} of ${total}`);
console.log(
  `streamed ${total / 2 ** 20} MiB ${mode} (inFlight ${inFlight ?? 'default'}, workers ${workers ?? 'default'}) in ${s.toFixed(1)} s; RSS baseline ${baseline.toFixed(0)} MiB, sampled peak ${peak.toFixed(0)} MiB (+${(peak - baseline).toFixed(0)}), VmHWM ${vm('VmHWM:').toFixed(0)} MiB`,
);
process.exit(0);
