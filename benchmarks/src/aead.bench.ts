import { type AeadCase, aeadCases, DEFAULT_CASE } from './aeadCases.ts';
import {
  ageDecryptVariant,
  ageEncryptVariant,
  awsDecryptVariant,
  awsEncryptVariant,
  awsSeal,
  ceilingDecryptVariant,
  ceilingEncryptVariant,
  decryptVariant,
  encryptVariant,
  plumbingVariant,
  sealWith,
} from './aeadVariants.ts';
import { agePeer } from './agePeer.ts';
import { AWS_CONFIGS, awsPeer } from './awsPeer.ts';
import type { BenchContext, BenchSuite, ReportTable, SuiteReport } from './BenchSuite.ts';
import { collect, webSource } from './byteStreams.ts';
import { formatBytes, formatSummary } from './formatNumbers.ts';
import { type Comparison, goalTable } from './goalTable.ts';
import { type AeadApi, loadAead } from './loadAead.ts';
import { loadAverage1, processCpuMs } from './machineInfo.ts';
import { sealSegmentsKeep } from './nodeGcmCeiling.ts';
import { pairedRatio } from './pairedRatio.ts';
import { type PairedResult, runPairedRounds, type Variant } from './runPairedRounds.ts';
import { sharedInput } from './sharedInput.ts';
import { throughputTable } from './throughputTable.ts';

/** Variant names that comparisons refer to. */
export const CEILING_ENC = 'ceiling: node:crypto 1 MiB enc';
export const CEILING_DEC = 'ceiling: node:crypto 1 MiB dec';
/**
 * The same raw node:crypto work fed in 64 KiB updates: each 1 MiB one-shot output above is a
 * fresh mmap whose page faults can halve the ceiling (docs/BENCHMARKS.md); 64 KiB outputs come
 * from the allocator's recycled heap. Context only: the goals are against the ceiling above.
 */
export const STRICT_ENC = 'ref: node:crypto 1 MiB enc in 64 KiB updates';
export const STRICT_DEC = 'ref: node:crypto 1 MiB dec in 64 KiB updates';
const PLUMBING = 'plumbing only: source → discard';
const AGE_ENC = 'age X25519 enc';
const AGE_DEC = 'age X25519 dec';
const NOBLE: AeadCase = {
  label: 'noble (small input)',
  engine: 'noble',
  segmentSize: undefined,
  inFlight: undefined,
};
const AWS_FAST = AWS_CONFIGS[1] ?? (AWS_CONFIGS[0] as (typeof AWS_CONFIGS)[number]);

const enc = (c: AeadCase) => `enc ${c.label}`;
const dec = (c: AeadCase) => `dec ${c.label}`;

/**
 * encryptStream / decryptStream end to end through web streams (64 KiB source chunks → transform
 * → discarding sink), every case beside the ceiling measured in the same rounds (raw node:crypto
 * AES-256-GCM one-shot per 1 MiB segment, same bytes) and beside the peers (age-encryption,
 * @aws-crypto/client-node) on the same bytes. Ratios are paired per round.
 */
const suite: BenchSuite = {
  name: 'aead',
  description:
    'encryptStream/decryptStream through web streams vs raw node:crypto (ceiling) and age / aws-crypto (peers)',
  async run(ctx) {
    const loaded = await loadAead();
    const aead = typeof loaded === 'string' ? undefined : loaded;
    const notes: string[] = [];
    if (aead === undefined) notes.push(`NOT MEASURED — sealstream's own streams: ${loaded}`);
    const key = crypto.getRandomValues(new Uint8Array(32));
    const input = sharedInput(ctx.inputBytes);
    const small = input.subarray(0, Math.min(input.byteLength, (ctx.quick ? 2 : 8) * 2 ** 20));
    const peers = ctx.options.peers !== '0';
    if (!peers) notes.push('Peers skipped (--peers=0).');
    const age = await agePeer();
    const aws = awsPeer(key);
    const cases = aead
      ? aeadCases({
          quick: ctx.quick,
          defaultSegment: aead.DEFAULT_SEGMENT_SIZE,
          defaultInFlight: aead.DEFAULT_IN_FLIGHT,
          options: ctx.options,
        })
      : [];
    if (aead) {
      notes.push(
        `Library defaults: segment ${formatBytes(aead.DEFAULT_SEGMENT_SIZE)}, ${aead.DEFAULT_IN_FLIGHT} in flight.`,
      );
    }
    const paired = (variants: Variant[], what: string) => {
      ctx.log(
        `${what}: ${variants.length} variants × ${ctx.rounds} rounds (${formatBytes(input.byteLength)})`,
      );
      return runPairedRounds(variants, {
        rounds: ctx.rounds,
        warmup: ctx.warmup,
        log: ctx.log,
        loadAverage: loadAverage1,
        cpuClock: processCpuMs,
      });
    };

    const encVariants: Variant[] = [
      ceilingEncryptVariant(key, input, CEILING_ENC),
      ceilingEncryptVariant(key, input, STRICT_ENC, 64 * 1024),
      plumbingVariant(input, PLUMBING),
    ];
    if (aead) {
      for (const c of cases) encVariants.push(encryptVariant(aead, key, input, c, enc(c)));
      encVariants.push(encryptVariant(aead, key, small, NOBLE, enc(NOBLE)));
    }
    if (peers) {
      encVariants.push(ageEncryptVariant(age, input, AGE_ENC));
      // Quick mode keeps only the fastest aws configuration: the others take seconds per round.
      for (const config of ctx.quick ? [AWS_FAST] : AWS_CONFIGS)
        encVariants.push(awsEncryptVariant(aws, config, input));
    }
    const encrypt = await paired(encVariants, 'encrypt');
    const tables: ReportTable[] = [throughputTable('Encrypt', encrypt, CEILING_ENC)];

    const decrypt: { segmentSize: number; result: PairedResult }[] = [];
    if (aead) {
      const ceilingSealed = sealSegmentsKeep(input, key);
      const segments = [...new Set(cases.map((c) => c.segmentSize ?? aead.DEFAULT_SEGMENT_SIZE))];
      for (const segmentSize of segments) {
        const result = await decryptGroup(
          ctx,
          aead,
          key,
          input,
          small,
          segmentSize,
          cases,
          peers,
          async (vs) => {
            vs.unshift(
              ceilingDecryptVariant(key, ceilingSealed, CEILING_DEC),
              ceilingDecryptVariant(key, ceilingSealed, STRICT_DEC, 64 * 1024),
            );
            return paired(vs, `decrypt, ${formatBytes(segmentSize)} segments`);
          },
        );
        decrypt.push({ segmentSize, result });
        tables.push(
          throughputTable(`Decrypt, ${formatBytes(segmentSize)} segments`, result, CEILING_DEC),
        );
      }
    }

    const comparisons: Comparison[] = [];
    if (aead) {
      comparisons.push({
        label: 'encrypt, defaults / ceiling',
        result: encrypt,
        of: enc(DEFAULT_CASE),
        to: CEILING_ENC,
        goal: 1,
      });
      comparisons.push({
        label: 'encrypt, defaults / node:crypto in 64 KiB updates',
        result: encrypt,
        of: enc(DEFAULT_CASE),
        to: STRICT_ENC,
      });
      if (peers) {
        comparisons.push(
          {
            label: 'encrypt, defaults / age',
            result: encrypt,
            of: enc(DEFAULT_CASE),
            to: AGE_ENC,
            goal: 15,
          },
          {
            label: `encrypt, defaults / ${AWS_FAST.label}`,
            result: encrypt,
            of: enc(DEFAULT_CASE),
            to: `${AWS_FAST.label} enc`,
          },
        );
      }
      const home = decrypt.find((d) => d.segmentSize === aead.DEFAULT_SEGMENT_SIZE)?.result;
      if (home) {
        comparisons.push({
          label: 'decrypt, defaults / ceiling',
          result: home,
          of: dec(DEFAULT_CASE),
          to: CEILING_DEC,
          goal: 1,
        });
        comparisons.push({
          label: 'decrypt, defaults / node:crypto in 64 KiB updates',
          result: home,
          of: dec(DEFAULT_CASE),
          to: STRICT_DEC,
        });
        if (peers)
          comparisons.push({
            label: 'decrypt, defaults / age',
            result: home,
            of: dec(DEFAULT_CASE),
            to: AGE_DEC,
            goal: 15,
          });
      }
    }
    if (peers) {
      comparisons.push({
        label: 'age enc / ceiling',
        result: encrypt,
        of: AGE_ENC,
        to: CEILING_ENC,
      });
      for (const c of ctx.quick ? [AWS_FAST] : AWS_CONFIGS) {
        comparisons.push({
          label: `${c.label} enc / ceiling`,
          result: encrypt,
          of: `${c.label} enc`,
          to: CEILING_ENC,
        });
      }
    }
    const goals = goalTable('Goals and peers (paired per round)', comparisons);
    if (comparisons.length > 0) tables.unshift(goals.table);
    if (aead) tables.splice(1, 0, bestTable(encrypt, decrypt));

    const report: SuiteReport = {
      tables,
      notes,
      data: {
        inputBytes: input.byteLength,
        rounds: ctx.rounds,
        defaults: aead
          ? { segmentSize: aead.DEFAULT_SEGMENT_SIZE, inFlight: aead.DEFAULT_IN_FLIGHT }
          : null,
        cases,
        comparisons: goals.outcomes,
        encrypt,
        decrypt,
      },
    };
    return report;
  },
};
export default suite;

async function decryptGroup(
  ctx: BenchContext,
  aead: AeadApi,
  key: Uint8Array,
  input: Uint8Array,
  small: Uint8Array,
  segmentSize: number,
  cases: readonly AeadCase[],
  peers: boolean,
  run: (variants: Variant[]) => Promise<PairedResult>,
): Promise<PairedResult> {
  ctx.log(`preparing ciphertext with ${formatBytes(segmentSize)} segments`);
  const isHome = segmentSize === aead.DEFAULT_SEGMENT_SIZE;
  const shape: AeadCase = { label: 'prep', engine: undefined, segmentSize, inFlight: undefined };
  const ciphertext = await sealWith(aead, key, input, shape);
  const variants: Variant[] = cases
    .filter((c) => (c.segmentSize ?? aead.DEFAULT_SEGMENT_SIZE) === segmentSize)
    .map((c) => decryptVariant(aead, key, ciphertext, input, c, dec(c)));
  if (isHome) {
    const smallCiphertext = await sealWith(aead, key, small, shape);
    variants.push(decryptVariant(aead, key, smallCiphertext, small, NOBLE, dec(NOBLE)));
    if (peers) {
      const age = await agePeer();
      const ageCiphertext = await collect(await age.encrypt(webSource(input)));
      variants.push(ageDecryptVariant(age, ageCiphertext, input, AGE_DEC));
      const aws = awsPeer(key);
      variants.push(
        awsDecryptVariant(aws, AWS_FAST.label, await awsSeal(aws, AWS_FAST, input), input),
      );
    }
  }
  return run(variants);
}

/** The five fastest sealstream configurations relative to the ceiling, per direction. */
function bestTable(
  encrypt: PairedResult,
  decrypt: readonly { result: PairedResult }[],
): ReportTable {
  const rank = (result: PairedResult, prefix: string, ceiling: string) =>
    result.variants
      .filter((v) => v.name.startsWith(prefix) && !v.name.includes('noble'))
      .map((v) => ({ name: v.name, ratio: pairedRatio(result, v.name, ceiling) }))
      .sort((a, b) => b.ratio.median - a.ratio.median)
      .slice(0, 5);
  const rows = [
    ...rank(encrypt, 'enc ', CEILING_ENC),
    ...decrypt
      .flatMap((d) => rank(d.result, 'dec ', CEILING_DEC))
      .sort((a, b) => b.ratio.median - a.ratio.median)
      .slice(0, 5),
  ].map((r) => [r.name, formatSummary(r.ratio, '×')]);
  return {
    title: 'Fastest configurations (× ceiling of the same rounds)',
    columns: ['case', '× ceiling, paired'],
    rows,
  };
}
