/**
 * Quick same-run comparison used to choose DEFAULT_SEGMENT_SIZE / DEFAULT_IN_FLIGHT and the node
 * engine's worker count (docs/FORMAT.md §8). Not a test; the real benchmarks are in benchmarks/.
 * Run: node --conditions=@sealstream/source --import tsx packages/aead/src/testing/pipelineBench.node.ts [MiB] [rounds] [variant…]
 */
import { createCipheriv, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { AeadEngine } from '../AeadEngine.ts';
import {
  createNodeEngine,
  decryptStream,
  encrypt,
  encryptStream,
  webcryptoEngine,
} from '../index.node.ts';

const MiB = 1024 * 1024;
const size = Number(process.argv[2] ?? 256) * MiB;
const rounds = Number(process.argv[3] ?? 5);
const only = process.argv.slice(4);
const input = new Uint8Array(randomBytes(size));
const key = new Uint8Array(randomBytes(32));

function source(bytes: Uint8Array, chunk = 64 * 1024): ReadableStream<Uint8Array> {
  let o = 0;
  return new ReadableStream({
    pull(c) {
      if (o >= bytes.length) return c.close();
      const end = Math.min(o + chunk, bytes.length);
      c.enqueue(new Uint8Array(bytes.buffer, bytes.byteOffset + o, end - o));
      o = end;
    },
  });
}
const sink = () => new WritableStream<Uint8Array>({ write() {} });

function ceiling(): void {
  for (let o = 0, i = 0; o < input.length; o += MiB, i++) {
    const iv = Buffer.alloc(12);
    iv.writeUInt32BE(i, 8);
    const c = createCipheriv('aes-256-gcm', key, iv);
    c.update(input.subarray(o, o + MiB));
    c.final();
    c.getAuthTag();
  }
}

const engines: Record<string, AeadEngine> = {
  main: createNodeEngine({ workers: 0 }),
  w1: createNodeEngine({ workers: 1 }),
  w2: createNodeEngine({ workers: 2 }),
  w3: createNodeEngine({ workers: 3 }),
  webcrypto: webcryptoEngine,
};

type V = { name: string; run: () => Promise<void> | void };
const variants: V[] = [{ name: 'ceiling', run: ceiling }];
const sealedCache = new Map<string, Uint8Array>();
for (const [en, engine] of Object.entries(engines)) {
  for (const seg of [256 * 1024, MiB, 4 * MiB]) {
    for (const inFlight of [1, 2, 4, 8]) {
      const name = `enc ${en} ${seg / 1024}K x${inFlight}`;
      variants.push({
        name,
        run: () =>
          source(input)
            .pipeThrough(encryptStream(key, { engine, segmentSize: seg, inFlight }))
            .pipeTo(sink()),
      });
      const dname = `dec ${en} ${seg / 1024}K x${inFlight}`;
      variants.push({
        name: dname,
        run: async () => {
          let sealed = sealedCache.get(String(seg));
          if (sealed === undefined) {
            sealed = await encrypt(key, input, { segmentSize: seg });
            sealedCache.set(String(seg), sealed);
          }
          await source(sealed).pipeThrough(decryptStream(key, { engine, inFlight })).pipeTo(sink());
        },
      });
    }
  }
}
const chosen = variants.filter(
  (v) => v.name === 'ceiling' || only.length === 0 || only.some((o) => v.name.includes(o)),
);
const results = new Map<string, number[]>();

/** CPU ms of the main thread and of the whole process (all threads), from /proc (clock ticks of 10 ms). */
function cpuTimes(): { main: number; all: number } {
  const ticks = (path: string) => {
    const f = readFileSync(path, 'utf8').split(') ')[1]?.split(' ') ?? [];
    return (Number(f[11]) + Number(f[12])) * 10;
  };
  return { main: ticks(`/proc/self/task/${process.pid}/stat`), all: ticks('/proc/self/stat') };
}
/** Projected wall time on an idle 2-core machine: max(main-thread busy time, all-thread CPU / 2). */
const projected = new Map<string, number[]>();
for (const v of chosen) await v.run(); // warm-up (and prepares ciphertexts)
for (let r = 0; r < rounds; r++) {
  for (const v of chosen) {
    const c0 = cpuTimes();
    const t = performance.now();
    await v.run();
    const ms = performance.now() - t;
    const c1 = cpuTimes();
    const mainBusy = c1.main - c0.main;
    const cpuMs = c1.all - c0.all;
    results.set(v.name, [...(results.get(v.name) ?? []), ms]);
    projected.set(v.name, [...(projected.get(v.name) ?? []), Math.max(1, mainBusy, cpuMs / 2)]);
  }
}
const med = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;
const ceil = results.get('ceiling') as number[];
const ceilP = projected.get('ceiling') as number[];
const range = (xs: number[]) =>
  `${med(xs).toFixed(2)} (${Math.min(...xs).toFixed(2)}-${Math.max(...xs).toFixed(2)})`;
for (const [name, ms] of results) {
  const ratios = ms.map((m, i) => (ceil[i] as number) / m);
  const p = projected.get(name) as number[];
  const pr = p.map((m, i) => (ceilP[i] as number) / m);
  const mbs = (size / 1e6 / (med(ms) / 1000)).toFixed(0).padStart(6);
  console.log(
    `${name.padEnd(26)} ${mbs} MB/s   x ceiling ${range(ratios)}   projected idle 2-core ${range(pr)}`,
  );
}
process.exit(0);
