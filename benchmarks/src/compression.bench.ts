import { spawn } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as zstdWasm from '@bokuweb/zstd-wasm';
import { compressChunk, decompressChunk } from '@sealstream/streams';
import * as fzstd from 'fzstd';
import type { BenchSuite, ReportTable } from './BenchSuite.ts';
import { formatSummary, formatValue } from './formatNumbers.ts';
import { loadAverage1 } from './machineInfo.ts';
import { runPairedRounds, type Variant } from './runPairedRounds.ts';
import { sharedInput } from './sharedInput.ts';

/** lz4js ships no types. */
const lz4 = createRequire(import.meta.url)('lz4js') as {
  compress(b: Uint8Array): Uint8Array;
  decompress(b: Uint8Array): Uint8Array;
};

const MiB = 1 << 20;
const CHUNK = MiB;
const TEXT_EXTENSIONS = /\.(js|mjs|cjs|ts|mts|cts|json|md|map|txt|yml|yaml)$/;

type Bytes = Uint8Array;
type Codec = {
  name: string;
  where: string;
  compress: (chunk: Bytes) => Bytes | Promise<Bytes>;
  decompress: (frame: Bytes, size: number) => Bytes | Promise<Bytes>;
};

/**
 * The text corpus: source, declaration, JSON and markdown files of the repository's
 * node_modules store, sorted by path and sampled evenly over the whole store until `bytes`.
 */
function textCorpus(bytes: number): { data: Uint8Array; files: number; storeBytes: number } {
  const store = fileURLToPath(new URL('../../node_modules/.pnpm', import.meta.url));
  const found: { path: string; size: number }[] = [];
  const walk = (dir: string): void => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) walk(p);
      else if (e.isFile() && TEXT_EXTENSIONS.test(e.name)) {
        const size = statSync(p).size;
        if (size > 0 && size < 4 * MiB) found.push({ path: p, size });
      }
    }
  };
  walk(store);
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const storeBytes = found.reduce((s, f) => s + f.size, 0);
  const share = Math.min(1, bytes / storeBytes);
  const data = new Uint8Array(bytes);
  let offset = 0;
  let files = 0;
  // An even sample of the store first; if file sizes left it short, the skipped files in order.
  const picked = found.map((_, i) => Math.floor((i + 1) * share) > Math.floor(i * share));
  for (const pass of [true, false]) {
    for (let i = 0; i < found.length && offset < bytes; i++) {
      if (picked[i] !== pass) continue;
      const content = readFileSync((found[i] as { path: string }).path);
      const n = Math.min(content.length, bytes - offset);
      data.set(content.subarray(0, n), offset);
      offset += n;
      files++;
    }
  }
  if (offset < bytes) throw new Error(`the text corpus has only ${offset} bytes`);
  return { data, files, storeBytes };
}

function chunksOf(data: Uint8Array): Uint8Array[] {
  const out: Uint8Array[] = [];
  for (let o = 0; o < data.length; o += CHUNK) out.push(data.subarray(o, o + CHUNK));
  return out;
}

async function viaStream(stream: CompressionStream | DecompressionStream, b: Bytes) {
  const out = new Response(new Blob([b as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream));
  return new Uint8Array(await out.arrayBuffer());
}

const zstdLevel = (level: number) => ({
  params: { [(zlib.constants as Record<string, number>).ZSTD_c_compressionLevel as number]: level },
});

/** A Node ≥ 22.15 child process that runs node:zlib zstd on the same chunks, on request. */
async function zstdChild(nodePath: string, files: Record<string, string>) {
  const source = `
    import zlib from 'node:zlib'; import { readFileSync } from 'node:fs'; import { createInterface } from 'node:readline';
    const files = JSON.parse(process.argv[1]); const sets = {}; const frames = {};
    for (const [k, p] of Object.entries(files)) { const d = readFileSync(p); sets[k] = [];
      for (let o = 0; o < d.length; o += ${CHUNK}) sets[k].push(d.subarray(o, o + ${CHUNK})); }
    const opt = (l) => ({ params: { [zlib.constants.ZSTD_c_compressionLevel]: l } });
    for await (const line of createInterface({ input: process.stdin })) {
      const { op, level, set } = JSON.parse(line); const key = level + set; let out = 0;
      if (op === 'compress') { frames[key] = sets[set].map((c) => zlib.zstdCompressSync(c, opt(level)));
        out = frames[key].reduce((s, f) => s + f.length, 0); }
      else { frames[key].forEach((f, i) => { const d = zlib.zstdDecompressSync(f);
        if (!d.equals(sets[set][i])) throw new Error('zstd round trip differs'); out += d.length; }); }
      process.stdout.write(JSON.stringify({ out }) + '\\n');
    }`;
  const child = spawn(nodePath, ['--input-type=module', '-e', source, JSON.stringify(files)], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
  const version = await new Promise<string>((resolve, reject) => {
    const v = spawn(nodePath, ['-p', 'process.version']);
    let s = '';
    v.stdout.on('data', (d) => (s += d));
    v.on('error', reject).on('close', () => resolve(s.trim()));
  });
  return {
    version,
    async ask(op: 'compress' | 'decompress', level: number, set: string): Promise<number> {
      child.stdin.write(`${JSON.stringify({ op, level, set })}\n`);
      const next = await lines.next();
      if (next.done) throw new Error('the zstd child process ended');
      return (JSON.parse(next.value) as { out: number }).out;
    },
    close: () => child.stdin.end(),
  };
}

/**
 * Per-chunk compression candidates for the collection format v2, on the same 1 MiB chunks of a
 * text corpus and of random bytes, in paired rounds: MB/s compressing, MB/s decompressing, and
 * the stored size. Node ≥ 22.15's zstd runs in-process when present, else in a child process
 * given by `--zstd-node=PATH` (or SEALSTREAM_BENCH_ZSTD_NODE).
 */
const suite: BenchSuite = {
  name: 'compression',
  description:
    'per-chunk codecs on 1 MiB chunks of text and random data: MB/s compress / decompress, ratio',
  async run(ctx) {
    const textBytes = Number(ctx.options['text-mib'] ?? 64) * MiB;
    const randomBytes = Number(ctx.options['random-mib'] ?? 16) * MiB;
    const corpus = textCorpus(textBytes);
    const sets = { text: chunksOf(corpus.data), random: chunksOf(sharedInput(randomBytes)) };
    ctx.log(
      `text corpus: ${corpus.files} files sampled from ${formatValue(corpus.storeBytes / MiB)} MiB`,
    );
    await zstdWasm.init();
    const codecs: Codec[] = [
      {
        name: 'deflate-raw, CompressionStream',
        where: 'Node, Deno, browsers, workerd',
        compress: (c) => viaStream(new CompressionStream('deflate-raw'), c),
        decompress: (f) => viaStream(new DecompressionStream('deflate-raw'), f),
      },
      {
        name: 'gzip, CompressionStream',
        where: 'Node, Deno, browsers, workerd',
        compress: (c) => viaStream(new CompressionStream('gzip'), c),
        decompress: (f) => viaStream(new DecompressionStream('gzip'), f),
      },
      {
        name: 'sealstream chunk codec, deflate-raw (default)',
        where: 'Node, Deno, browsers, workerd',
        compress: (c) => compressChunk(c),
        decompress: (f, size) => decompressChunk(f, { maxSize: size }),
      },
      {
        name: 'deflate-raw level 1, node:zlib',
        where: 'Node (output read everywhere)',
        compress: (c) => zlib.deflateRawSync(c, { level: 1 }),
        decompress: (f) => zlib.inflateRawSync(f),
      },
      {
        name: 'deflate-raw level 6, node:zlib',
        where: 'Node (output read everywhere)',
        compress: (c) => zlib.deflateRawSync(c, { level: 6 }),
        decompress: (f) => zlib.inflateRawSync(f),
      },
      {
        name: 'zstd level 3, @bokuweb/zstd-wasm',
        where: 'Node, Deno, browsers (not workerd: no run-time Wasm)',
        compress: (c) => zstdWasm.compress(c, 3),
        decompress: (f) => zstdWasm.decompress(f),
      },
      {
        name: 'zstd level 3 (wasm) → fzstd decode',
        where: 'decode: pure JS, all four',
        compress: (c) => zstdWasm.compress(c, 3),
        decompress: (f) => fzstd.decompress(f),
      },
      {
        name: 'sealstream chunk codec, zstd (wasm level 3, fzstd decode)',
        where: 'all four',
        compress: (c) => compressChunk(c, { zstd: { compress: (b) => zstdWasm.compress(b, 3) } }),
        decompress: (f, size) => decompressChunk(f, { maxSize: size }),
      },
      {
        name: 'lz4, lz4js',
        where: 'pure JS, all four',
        compress: (c) => lz4.compress(c),
        decompress: (f) => lz4.decompress(f),
      },
    ];
    const nativeZstd =
      typeof (zlib as { zstdCompressSync?: unknown }).zstdCompressSync === 'function';
    if (nativeZstd) {
      for (const level of [1, 3]) {
        codecs.push({
          name: `zstd level ${level}, node:zlib (Node ${process.version})`,
          where: 'Node ≥ 22.15',
          compress: (c) =>
            (zlib as unknown as Record<string, (b: Bytes, o: object) => Bytes>).zstdCompressSync?.(
              c,
              zstdLevel(level),
            ) as Bytes,
          decompress: (f) =>
            (zlib as unknown as Record<string, (b: Bytes) => Bytes>).zstdDecompressSync?.(
              f,
            ) as Bytes,
        });
      }
    }

    const sizes = new Map<string, number>();
    const variants: Variant[] = [];
    for (const codec of codecs) {
      for (const [set, chunks] of Object.entries(sets)) {
        const total = chunks.reduce((s, c) => s + c.length, 0);
        let frames: Bytes[] = [];
        const key = `${codec.name} | ${set}`;
        variants.push({
          name: `${key} | compress`,
          bytes: total,
          run: async () => {
            frames = [];
            for (const c of chunks) frames.push(await codec.compress(c));
          },
          check: async () => {
            frames = [];
            for (const c of chunks) frames.push(await codec.compress(c));
            sizes.set(
              key,
              frames.reduce((s, f) => s + f.length, 0),
            );
            for (const [i, f] of frames.entries()) {
              const back = await codec.decompress(f, (chunks[i] as Bytes).length);
              if (Buffer.compare(back, chunks[i] as Bytes) !== 0) {
                throw new Error(`${codec.name}: round trip of ${set} chunk ${i} differs`);
              }
            }
          },
        });
        variants.push({
          name: `${key} | decompress`,
          bytes: total,
          run: async () => {
            for (const [i, f] of frames.entries()) {
              await codec.decompress(f, (chunks[i] as Bytes).length);
            }
          },
        });
      }
    }

    const zstdNode = ctx.options['zstd-node'] ?? process.env.SEALSTREAM_BENCH_ZSTD_NODE;
    const notes: string[] = [];
    let child: Awaited<ReturnType<typeof zstdChild>> | undefined;
    const tmp = join(tmpdir(), `sealstream-compression-${process.pid}`);
    if (!nativeZstd && zstdNode) {
      const files = { text: `${tmp}-text`, random: `${tmp}-random` };
      writeFileSync(files.text, corpus.data);
      writeFileSync(files.random, sharedInput(randomBytes));
      child = await zstdChild(zstdNode, files);
      const c = child;
      for (const level of [1, 3]) {
        for (const [set, chunks] of Object.entries(sets)) {
          const total = chunks.reduce((s, x) => s + x.length, 0);
          const key = `zstd level ${level}, node:zlib (Node ${c.version}, child process) | ${set}`;
          variants.push({
            name: `${key} | compress`,
            bytes: total,
            run: () => c.ask('compress', level, set),
            check: async () => sizes.set(key, await c.ask('compress', level, set)),
          });
          variants.push({
            name: `${key} | decompress`,
            bytes: total,
            run: () => c.ask('decompress', level, set),
          });
        }
      }
    } else if (!nativeZstd) {
      notes.push(
        `No native zstd: Node ${process.version} has none in node:zlib; pass --zstd-node=PATH to a Node ≥ 22.15 to add it.`,
      );
    }

    ctx.log(`${variants.length} variants × ${ctx.rounds} rounds`);
    let result: Awaited<ReturnType<typeof runPairedRounds>>;
    try {
      result = await runPairedRounds(variants, {
        rounds: ctx.rounds,
        warmup: ctx.warmup,
        log: ctx.log,
        loadAverage: loadAverage1,
      });
    } finally {
      child?.close();
      rmSync(`${tmp}-text`, { force: true });
      rmSync(`${tmp}-random`, { force: true });
    }

    const mbps = (name: string) => {
      const v = result.variants.find((x) => x.name === name);
      return v?.mbpsSummary ? formatSummary(v.mbpsSummary) : '–';
    };
    const keys = [...sizes.keys()].filter((k) => k.endsWith('| text')).map((k) => k.slice(0, -7));
    const reference = keys.find((k) => k.startsWith('zstd level 3, node:zlib'));
    const refSize = reference === undefined ? undefined : sizes.get(`${reference} | text`);
    const rows = keys.map((k) => {
      const text = sizes.get(`${k} | text`) as number;
      const random = sizes.get(`${k} | random`) as number;
      return [
        k,
        mbps(`${k} | text | compress`),
        mbps(`${k} | text | decompress`),
        formatValue(textBytes / text),
        refSize === undefined
          ? '–'
          : `${text >= refSize ? '+' : ''}${formatValue((text / refSize - 1) * 100)} %`,
        mbps(`${k} | random | compress`),
        mbps(`${k} | random | decompress`),
        formatValue(randomBytes / random),
      ];
    });
    const where = new Map(codecs.map((c) => [c.name, c.where]));
    const table: ReportTable = {
      title: `Per-chunk compression, 1 MiB chunks: ${textBytes / MiB} MiB text, ${randomBytes / MiB} MiB random — ${ctx.rounds} paired rounds (MB/s of uncompressed bytes)`,
      columns: [
        'codec',
        'text: compress MB/s',
        'text: decompress MB/s',
        'text ratio',
        'text stored vs zstd 3',
        'random: compress MB/s',
        'random: decompress MB/s',
        'random ratio',
      ],
      rows,
    };
    const whereTable: ReportTable = {
      title: 'Where each codec runs',
      columns: ['codec', 'runs in'],
      rows: keys.map((k) => [k, where.get(k) ?? 'Node ≥ 22.15']),
    };
    return {
      tables: [table, whereTable],
      notes: [
        'ratio = input ÷ stored; "stored vs zstd 3" compares the text corpus stored size with node:zlib zstd level 3 (about restic\'s default).',
        'The sealstream rows include the chunk header and the raw fallback (random chunks are stored raw: ratio just under 1).',
        ...notes,
      ],
      data: {
        textBytes,
        randomBytes,
        corpusFiles: corpus.files,
        sizes: Object.fromEntries(sizes),
        result,
      },
    };
  },
};
export default suite;
