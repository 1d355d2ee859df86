import {
  DEFAULT_IN_FLIGHT,
  DEFAULT_SEGMENT_SIZE,
  decryptStream,
  type EngineName,
  encryptStream,
} from '@sealstream/aead';
import { collect, equalBytes } from '@sealstream/streams';
import { agePeer, awsPeers } from './aeadPeers.ts';
import type { BenchCase } from './BenchCase.ts';
import { drain, randomInput, webSource } from './byteStreams.ts';
import { gcmOpen, gcmSeal, gcmSealKeep } from './gcmCeiling.ts';
import { against, pairedTable } from './markdownTable.ts';
import { type Contender, runPairedRounds } from './pairedRounds.ts';
import { formatBytes, parseSize } from './sizes.ts';

/** Associated data on every stream, as a backup gives (it names the object). */
const AD = new TextEncoder().encode('bench/data.bin');
const CEILING_ENC = 'enc ceiling: node:crypto AES-256-GCM, 64 KiB updates';
const CEILING_DEC = 'dec ceiling: node:crypto AES-256-GCM, 64 KiB updates';
const DEFAULTS = 'defaults';

/** A configuration of encryptStream / decryptStream; options left out take the defaults. */
interface Config {
  readonly label: string;
  readonly options: { engine?: EngineName; segmentSize?: number; inFlight?: number };
}

/**
 * The configurations to time: the defaults, the webcrypto engine, and, when any of `--engines`,
 * `--segments`, `--in-flight` is given, their cross product (for tuning).
 */
function configs(flags: Readonly<Record<string, string | undefined>>): Config[] {
  const list = (text: string | undefined, parse: (s: string) => number) =>
    text?.split(',').map((s) => parse(s.trim()));
  const engines = (flags.engines?.split(',') ?? ['webcrypto']) as EngineName[];
  const segments = list(flags.segments, parseSize) ?? [DEFAULT_SEGMENT_SIZE];
  const inFlights = list(flags['in-flight'], Number) ?? [DEFAULT_IN_FLIGHT];
  const out: Config[] = [{ label: DEFAULTS, options: {} }];
  for (const engine of engines)
    for (const segmentSize of segments)
      for (const inFlight of inFlights)
        out.push({
          label: `${engine} ${formatBytes(segmentSize)} ×${inFlight}`,
          options: { engine, segmentSize, inFlight },
        });
  return out;
}

const seal = (key: Uint8Array, c: Config) =>
  encryptStream(key, { associatedData: AD, ...c.options });
const open = (key: Uint8Array, { options: { segmentSize: _, ...options } }: Config) =>
  decryptStream(key, { associatedData: AD, ...options });

/**
 * encryptStream and decryptStream through web streams (64 KiB source chunks, associated data,
 * discarding sink) beside their ceiling, raw node:crypto AES-256-GCM on the same bytes, and
 * beside the peers age and the AWS Encryption SDK; all in the same paired rounds.
 */
export default {
  name: 'aead',
  summary:
    'encryptStream / decryptStream vs raw node:crypto AES-256-GCM (ceiling), age, aws-crypto',
  async run({ quick, rounds, inputBytes, flags, log }) {
    const key = crypto.getRandomValues(new Uint8Array(32));
    const input = randomInput(inputBytes);
    const bytes = input.length;
    const sealed = gcmSealKeep(input, key);
    const contenders: Contender[] = [
      { name: CEILING_ENC, bytes, run: () => gcmSeal(input, key) },
      { name: CEILING_DEC, bytes, run: () => gcmOpen(sealed, key) },
      { name: 'enc plumbing only: source → discard', bytes, run: () => drain(webSource(input)) },
    ];
    const all = configs(flags);
    // The pure-JS engine is slow: a small input, full mode only.
    if (!quick) all.push({ label: 'noble (8 MiB input)', options: { engine: 'noble' } });
    for (const c of all) {
      const data = c.options.engine === 'noble' ? input.subarray(0, 8 << 20) : input;
      const ciphertext = await collect(webSource(data).pipeThrough(seal(key, c)));
      const opened = () => webSource(ciphertext).pipeThrough(open(key, c));
      contenders.push(
        {
          name: `enc ${c.label}`,
          bytes: data.length,
          run: () => drain(webSource(data).pipeThrough(seal(key, c))),
        },
        {
          name: `dec ${c.label}`,
          bytes: data.length,
          run: () => drain(opened()),
          check: async () => {
            if (!equalBytes(await collect(opened()), data)) throw new Error(`${c.label}: differs`);
          },
        },
      );
    }
    const peers = flags.peers === '0' ? [] : [await agePeer(), ...awsPeers(key, quick)];
    for (const peer of peers) {
      const ciphertext = await peer.seal(input);
      contenders.push(
        { name: `enc ${peer.name}`, bytes, run: () => peer.encrypt(input) },
        { name: `dec ${peer.name}`, bytes, run: () => peer.decrypt(ciphertext) },
      );
    }
    log(`${contenders.length} contenders × ${rounds} rounds, ${formatBytes(bytes)} each`);
    const result = await runPairedRounds(contenders, { rounds, log });
    const enc = (to: string) => [`enc ${DEFAULTS}`, to] as const;
    const dec = (to: string) => [`dec ${DEFAULTS}`, to] as const;
    return {
      tables: [
        pairedTable('Defaults vs the ceiling and the peers', result, [
          enc(CEILING_ENC),
          dec(CEILING_DEC),
          ...peers.flatMap((p) => [enc(`enc ${p.name}`), dec(`dec ${p.name}`)]),
        ]),
        pairedTable(
          'Encryption vs the ceiling',
          result,
          against(result, CEILING_ENC).filter(([n]) => n.startsWith('enc ')),
        ),
        pairedTable(
          'Decryption vs the ceiling',
          result,
          against(result, CEILING_DEC).filter(([n]) => n.startsWith('dec ')),
        ),
      ],
      notes: [
        `Library defaults: ${formatBytes(DEFAULT_SEGMENT_SIZE)} segments, ${DEFAULT_IN_FLIGHT} in flight, node engine.`,
        ...(peers.length ? [] : ['Peers skipped (--peers=0).']),
      ],
      data: { bytes, configs: all, result },
    };
  },
} satisfies BenchCase;
