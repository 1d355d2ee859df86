import { createHash } from 'node:crypto';
import { cdcChunker, chunker, GEAR_CHUNKER_DEFAULTS, GearChunker } from '@sealstream/streams';
import type { BenchCase } from './BenchCase.ts';
import { discardSink, randomInput, webSource } from './byteStreams.ts';
import { against, pairedTable } from './markdownTable.ts';
import { type Contender, runPairedRounds } from './pairedRounds.ts';

/** A fixed chunker key for timing only, not a secret. */
const KEY = new Uint8Array(32).fill(0x5c);
const CORE = 'GearChunker.cuts, defaults';
const SUM = 'baseline: a loop summing the bytes';

/** Pipes `input` through `transform` into a discarding sink; throws if bytes were lost. */
async function through(input: Uint8Array, transform: TransformStream<Uint8Array, Uint8Array>) {
  const sink = discardSink();
  await webSource(input).pipeThrough(transform).pipeTo(sink.writable);
  if (sink.bytes() !== input.length) throw new Error('the stream lost bytes');
}

/**
 * The keyed content-defined chunker over one random buffer: the synchronous core (defaults, and
 * hashing every byte), the stream fed 64 KiB pieces, beside the fixed-size re-chunker on the same
 * pieces, a loop summing the bytes (one pass, nothing else) and node:crypto SHA-256.
 */
export default {
  name: 'chunker',
  summary: 'content-defined chunker MB/s vs a byte-summing loop, sha256 and the fixed chunker',
  async run({ rounds, inputBytes, log }) {
    const input = randomInput(inputBytes);
    const bytes = input.length;
    const core = new GearChunker(KEY);
    const everyByte = new GearChunker(KEY, { min: 1 });
    const contenders: Contender[] = [
      {
        name: CORE,
        bytes,
        run: () => core.cuts(input),
        check: () => {
          if (core.cuts(input).at(-1) !== bytes) throw new Error('cuts do not cover the input');
        },
      },
      {
        name: 'GearChunker.cuts, min 1 (every byte hashed)',
        bytes,
        run: () => everyByte.cuts(input),
      },
      {
        name: 'cdcChunker stream, 64 KiB pieces',
        bytes,
        run: () => through(input, cdcChunker(KEY)),
      },
      {
        name: 'ref: chunker(1 MiB) stream, 64 KiB pieces',
        bytes,
        run: () => through(input, chunker(1 << 20)),
      },
      {
        name: SUM,
        bytes,
        run: () => {
          let s = 0;
          for (let i = 0; i < input.length; i++) s = (s + (input[i] as number)) | 0;
          return s;
        },
      },
      {
        name: 'baseline: node:crypto sha256',
        bytes,
        run: () => createHash('sha256').update(input).digest(),
      },
    ];
    const result = await runPairedRounds(contenders, { rounds, log });
    const chunks = core.cuts(input).length;
    return {
      tables: [pairedTable('Content-defined chunking', result, against(result, SUM))],
      notes: [
        `Defaults: ${JSON.stringify(GEAR_CHUNKER_DEFAULTS)}; ${chunks} chunks per pass (mean ${(bytes / chunks / 2 ** 20).toFixed(2)} MiB).`,
      ],
      data: { defaults: GEAR_CHUNKER_DEFAULTS, chunks, result },
    };
  },
} satisfies BenchCase;
