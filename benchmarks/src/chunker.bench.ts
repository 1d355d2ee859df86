import { createHash } from 'node:crypto';
import { cdcChunker, chunker, GEAR_CHUNKER_DEFAULTS, GearChunker } from '@sealstream/streams';
import type { BenchSuite } from './BenchSuite.ts';
import { discardSink, SOURCE_CHUNK, webSource } from './byteStreams.ts';
import { formatSummary } from './formatNumbers.ts';
import { goalTable } from './goalTable.ts';
import { loadAverage1, processCpuMs } from './machineInfo.ts';
import { runPairedRounds, type Variant } from './runPairedRounds.ts';
import { sharedInput } from './sharedInput.ts';
import { throughputTable } from './throughputTable.ts';

/** A fixed chunker key for timing only — not a secret. */
const KEY = new Uint8Array(32).fill(0x5c);
/** The speed goal of the synchronous core over one large buffer (1 MB = 1e6 bytes). */
const GOAL_MBPS = 1000;

const CORE = 'GearChunker.cuts, defaults';
const EVERY_BYTE = 'GearChunker.cuts, min 1 (every byte hashed)';
const STREAM = `cdcChunker stream, ${SOURCE_CHUNK / 1024} KiB pieces`;
const FIXED = `ref: chunker(1 MiB) stream, ${SOURCE_CHUNK / 1024} KiB pieces`;
const SUM = 'baseline: loop summing the bytes';
const SHA = 'baseline: node:crypto sha256';

/** The trivial baseline: one pass over the bytes in a plain loop (what any byte loop costs). */
function sumBytes(data: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < data.length; i++) s = (s + (data[i] as number)) | 0;
  return s;
}

/**
 * Throughput of the keyed content-defined chunker over one large random buffer, in paired
 * rounds: the synchronous core with the default sizes (512 KiB / 1 MiB / 8 MiB; the first
 * 512 KiB of every chunk is skipped), the core hashing every byte (min 1), and the
 * TransformStream fed in 64 KiB pieces. Beside them: the package's fixed-size re-chunker on the
 * same pieces (the same joins into about 1 MiB chunks, so the pair shows what content-defined
 * cutting adds in a pipeline), a plain loop summing the bytes and node:crypto SHA-256.
 * Ratios are to the summing loop.
 */
const suite: BenchSuite = {
  name: 'chunker',
  description:
    'keyed content-defined chunker (GearChunker / cdcChunker): MB/s beside a byte-summing loop and node:crypto sha256',
  async run(ctx) {
    const input = sharedInput(ctx.inputBytes);
    const core = new GearChunker(KEY);
    const everyByte = new GearChunker(KEY, { min: 1 });
    let chunks = { core: 0, everyByte: 0 };
    const variants: Variant[] = [
      {
        name: CORE,
        bytes: input.byteLength,
        run: () => {
          chunks = { ...chunks, core: core.cuts(input).length };
        },
        check: () => {
          const ends = core.cuts(input);
          if (ends.at(-1) !== input.byteLength) throw new Error('chunks do not cover the input');
        },
      },
      {
        name: EVERY_BYTE,
        bytes: input.byteLength,
        run: () => {
          chunks = { ...chunks, everyByte: everyByte.cuts(input).length };
        },
      },
      {
        name: STREAM,
        bytes: input.byteLength,
        run: async () => {
          const sink = discardSink();
          await webSource(input).pipeThrough(cdcChunker(KEY)).pipeTo(sink.writable);
          if (sink.bytes() !== input.byteLength) throw new Error('stream lost bytes');
        },
        check: async () => {
          const sink = discardSink();
          await webSource(input).pipeThrough(cdcChunker(KEY)).pipeTo(sink.writable);
          if (sink.chunks() !== core.cuts(input).length)
            throw new Error('the stream and GearChunker.cuts disagree');
        },
      },
      {
        name: FIXED,
        bytes: input.byteLength,
        run: async () => {
          const sink = discardSink();
          await webSource(input)
            .pipeThrough(chunker(2 ** 20))
            .pipeTo(sink.writable);
          if (sink.bytes() !== input.byteLength) throw new Error('stream lost bytes');
        },
      },
      { name: SUM, bytes: input.byteLength, run: () => sumBytes(input) },
      {
        name: SHA,
        bytes: input.byteLength,
        run: () => createHash('sha256').update(input).digest(),
      },
    ];
    ctx.log(`${variants.length} variants × ${ctx.rounds} rounds over ${input.byteLength} bytes`);
    const result = await runPairedRounds(variants, {
      rounds: ctx.rounds,
      warmup: ctx.warmup,
      log: ctx.log,
      loadAverage: loadAverage1,
      cpuClock: processCpuMs,
    });
    const goals = goalTable('Ratios (paired per round)', [
      { label: `${CORE} / ${SUM}`, result, of: CORE, to: SUM },
      { label: `${CORE} / ${SHA}`, result, of: CORE, to: SHA },
      { label: `${EVERY_BYTE} / ${SUM}`, result, of: EVERY_BYTE, to: SUM },
      { label: `${STREAM} / ${CORE}`, result, of: STREAM, to: CORE },
      { label: `${STREAM} / ${FIXED}`, result, of: STREAM, to: FIXED },
    ]);
    const coreMbps = result.variants.find((v) => v.name === CORE)?.mbpsSummary;
    const notes = [
      `Chunks per pass: ${chunks.core} with the defaults (mean ${(input.byteLength / chunks.core / 2 ** 20).toFixed(2)} MiB), ${chunks.everyByte} with min 1.`,
      `Defaults: min ${GEAR_CHUNKER_DEFAULTS.min}, avg ${GEAR_CHUNKER_DEFAULTS.avg}, max ${GEAR_CHUNKER_DEFAULTS.max}, normalization ${GEAR_CHUNKER_DEFAULTS.normalization}; the first min bytes of a chunk are not hashed.`,
    ];
    if (coreMbps) {
      notes.push(
        `Goal ≥ ${GOAL_MBPS} MB/s for the core with the defaults: ${coreMbps.median >= GOAL_MBPS ? 'met' : 'NOT met'} (median ${formatSummary(coreMbps)} MB/s).`,
      );
    }
    return {
      tables: [throughputTable('Content-defined chunking', result, SUM), goals.table],
      notes,
      data: { key: 'fixed, not secret', defaults: GEAR_CHUNKER_DEFAULTS, chunks, result },
    };
  },
};
export default suite;
