import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import zlib from 'node:zlib';
import * as zstdWasm from '@bokuweb/zstd-wasm';
import { compressChunk, decompressChunk, equalBytes } from '@sealstream/streams';
import * as fzstd from 'fzstd';
import type { BenchCase } from './BenchCase.ts';
import { randomInput } from './byteStreams.ts';
import { formatNumber, formatRange, pairedTable } from './markdownTable.ts';
import { type Contender, mbPerSecond, runPairedRounds } from './pairedRounds.ts';
import { formatBytes, MiB } from './sizes.ts';

type Bytes = Uint8Array;
interface Codec {
  readonly name: string;
  compress(chunk: Bytes): Bytes | Promise<Bytes>;
  decompress(frame: Bytes, size: number): Bytes | Promise<Bytes>;
}

/** lz4js ships no types. */
const lz4 = createRequire(import.meta.url)('lz4js') as {
  compress(b: Bytes): Bytes;
  decompress(b: Bytes): Bytes;
};
/** node:zlib's zstd, in Node ≥ 22.15 only. */
const nodeZstd = zlib as unknown as {
  zstdCompressSync?: (b: Bytes, o: object) => Bytes;
  zstdDecompressSync?: (b: Bytes) => Bytes;
  constants: Record<string, number>;
};
const ZSTD_3 = 'zstd level 3, @bokuweb/zstd-wasm';

async function viaStream(stream: CompressionStream | DecompressionStream, b: Bytes) {
  const out = new Blob([b as Uint8Array<ArrayBuffer>]).stream().pipeThrough(stream);
  return new Uint8Array(await new Response(out).arrayBuffer());
}

function codecs(): Codec[] {
  const list: Codec[] = [
    {
      name: 'sealstream chunk codec, deflate-raw (default)',
      compress: (c) => compressChunk(c),
      decompress: (f, maxSize) => decompressChunk(f, { maxSize }),
    },
    {
      name: 'deflate-raw, CompressionStream',
      compress: (c) => viaStream(new CompressionStream('deflate-raw'), c),
      decompress: (f) => viaStream(new DecompressionStream('deflate-raw'), f),
    },
    ...[1, 6].map((level) => ({
      name: `deflate-raw level ${level}, node:zlib`,
      compress: (c: Bytes) => zlib.deflateRawSync(c, { level }),
      decompress: (f: Bytes) => zlib.inflateRawSync(f),
    })),
    {
      name: 'sealstream chunk codec, zstd (wasm level 3, fzstd decode)',
      compress: (c) => compressChunk(c, { zstd: { compress: (b) => zstdWasm.compress(b, 3) } }),
      decompress: (f, maxSize) => decompressChunk(f, { maxSize }),
    },
    {
      name: ZSTD_3,
      compress: (c) => zstdWasm.compress(c, 3),
      decompress: (f) => zstdWasm.decompress(f),
    },
    {
      name: 'zstd level 3, wasm → fzstd decode',
      compress: (c) => zstdWasm.compress(c, 3),
      decompress: (f) => fzstd.decompress(f),
    },
    { name: 'lz4, lz4js', compress: (c) => lz4.compress(c), decompress: (f) => lz4.decompress(f) },
  ];
  const { zstdCompressSync: compress, zstdDecompressSync: decompress, constants } = nodeZstd;
  if (compress && decompress)
    for (const level of [1, 3])
      list.push({
        name: `zstd level ${level}, node:zlib`,
        compress: (c) =>
          compress(c, { params: { [constants.ZSTD_c_compressionLevel ?? 100]: level } }),
        decompress: (f) => decompress(f),
      });
  return list;
}

/**
 * Text to compress: source, JSON and markdown files of the repository's node_modules store,
 * taken in a fixed stride over the sorted list (so spread over the whole store) until `bytes`.
 */
function textCorpus(bytes: number): Bytes {
  const store = fileURLToPath(new URL('../../node_modules/.pnpm', import.meta.url));
  const files = readdirSync(store, { recursive: true, encoding: 'utf8' })
    .filter((f) => /\.(js|mjs|cjs|ts|json|md|txt|ya?ml)$/.test(f))
    .sort();
  const out = new Uint8Array(bytes);
  for (let offset = 0, i = 0; offset < bytes; i += 7919) {
    let content: Bytes;
    try {
      content = readFileSync(join(store, files[i % files.length] as string));
    } catch {
      continue; // a directory named like a file
    }
    out.set(content.subarray(0, bytes - offset), offset);
    offset += Math.min(content.length, bytes - offset);
  }
  return out;
}

/**
 * Chunk compression candidates on the same 1 MiB chunks of text and of random bytes: MB/s
 * compressing and decompressing, and the size stored, beside zstd level 3. The sealstream chunk
 * codecs are timed beside the raw codec they wrap.
 */
export default {
  name: 'compression',
  summary: 'chunk codecs on 1 MiB chunks of text and random bytes: MB/s and size vs zstd level 3',
  async run({ rounds, inputBytes, log }) {
    await zstdWasm.init();
    const sets = { text: textCorpus(inputBytes / 4), random: randomInput(inputBytes / 16) };
    const list = codecs();
    const stored = new Map<string, number>();
    const contenders: Contender[] = [];
    for (const codec of list)
      for (const [set, data] of Object.entries(sets)) {
        const chunks = Array.from({ length: Math.ceil(data.length / MiB) }, (_, i) =>
          data.subarray(i * MiB, (i + 1) * MiB),
        );
        let frames: Bytes[] = [];
        const compress = async () => {
          frames = [];
          for (const c of chunks) frames.push(await codec.compress(c));
        };
        contenders.push(
          {
            name: `${set} compress: ${codec.name}`,
            bytes: data.length,
            run: compress,
            check: async () => {
              await compress();
              stored.set(
                `${set}: ${codec.name}`,
                frames.reduce((n, f) => n + f.length, 0),
              );
              for (const [i, f] of frames.entries())
                if (!equalBytes(await codec.decompress(f, MiB), chunks[i] as Bytes))
                  throw new Error(`${codec.name}: the round trip of ${set} chunk ${i} differs`);
            },
          },
          {
            name: `${set} decompress: ${codec.name}`,
            bytes: data.length,
            run: async () => {
              for (const f of frames) await codec.decompress(f, MiB);
            },
          },
        );
      }
    log(`${contenders.length} contenders × ${rounds} rounds`);
    const result = await runPairedRounds(contenders, { rounds, log });
    const speed = (name: string) =>
      formatRange(mbPerSecond(result.contenders.find((c) => c.name === name) ?? { name, ms: [] }));
    const size = (codec: string, set: keyof typeof sets) =>
      stored.get(`${set}: ${codec}`) ?? Number.NaN;
    const vsZstd = (codec: string) => {
      const pct = (size(codec, 'text') / size(ZSTD_3, 'text') - 1) * 100;
      return `${pct >= 0 ? '+' : ''}${formatNumber(pct)} %`;
    };
    const pairs = (op: string) =>
      list.map((c) => [`text ${op}: ${c.name}`, `text ${op}: ${ZSTD_3}`] as const);
    return {
      tables: [
        {
          title: `Chunk codecs, 1 MiB chunks of ${formatBytes(sets.text.length)} text and ${formatBytes(sets.random.length)} random bytes, MB/s of input, median (min–max)`,
          columns: [
            'codec',
            'text: compress',
            'text: decompress',
            'text: input ÷ stored',
            'text: stored vs zstd 3',
            'random: compress',
            'random: decompress',
            'random: input ÷ stored',
          ],
          rows: list.map(({ name }) => [
            name,
            speed(`text compress: ${name}`),
            speed(`text decompress: ${name}`),
            formatNumber(sets.text.length / size(name, 'text')),
            vsZstd(name),
            speed(`random compress: ${name}`),
            speed(`random decompress: ${name}`),
            formatNumber(sets.random.length / size(name, 'random')),
          ]),
        },
        pairedTable('Text, compressing, vs zstd level 3', result, pairs('compress')),
        pairedTable('Text, decompressing, vs zstd level 3', result, pairs('decompress')),
      ],
      notes: [
        'The sealstream rows include the chunk header and store incompressible chunks raw.',
        ...(nodeZstd.zstdCompressSync
          ? []
          : [`No node:zlib zstd rows: Node ${process.version} has no zstd (Node ≥ 22.15 has).`]),
      ],
      data: { stored: Object.fromEntries(stored), result },
    };
  },
} satisfies BenchCase;
