import type { Readable, Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import {
  AlgorithmSuiteIdentifier,
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
} from '@aws-crypto/client-node';

/** A configuration of the AWS Encryption SDK peer. */
export interface AwsConfig {
  /** Label for tables. */
  readonly label: string;
  /** Algorithm suite; `undefined` = the SDK default (0x578, committing, ECDSA-P384 signed). */
  readonly suiteId: AlgorithmSuiteIdentifier | undefined;
  /** Frame length; `undefined` = the SDK default (4096 bytes). */
  readonly frameLength: number | undefined;
}

/** The configurations benchmarked: the default, and the fastest ones (1 MiB frames, unsigned). */
export const AWS_CONFIGS: readonly AwsConfig[] = [
  { label: 'aws default (0x578, 4 KiB frames)', suiteId: undefined, frameLength: undefined },
  {
    label: 'aws 0x178 unsigned, 1 MiB frames',
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256,
    frameLength: 1 << 20,
  },
  {
    label: 'aws 0x478 committing unsigned, 1 MiB frames',
    suiteId: AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
    frameLength: 1 << 20,
  },
];

/** Runs the AWS Encryption SDK's `encryptStream` / `decryptStream` with a raw AES keyring. */
export interface AwsPeer {
  encrypt(config: AwsConfig, source: Readable, sink: Writable): Promise<void>;
  decrypt(source: Readable, sink: Writable): Promise<void>;
}

/**
 * The @aws-crypto/client-node peer with a raw AES-256 keyring (no KMS round trip). A
 * non-committing suite (0x178) needs the `FORBID_ENCRYPT_ALLOW_DECRYPT` policy; the others run
 * under the SDK's default `REQUIRE_ENCRYPT_REQUIRE_DECRYPT`.
 *
 * @example
 * ```ts
 * import { randomBytes } from 'node:crypto';
 * import { AWS_CONFIGS, awsPeer } from './awsPeer.ts';
 * import { discardSink, nodeSource } from './byteStreams.ts';
 * const aws = awsPeer(randomBytes(32));
 * const sink = discardSink();
 * await aws.encrypt(AWS_CONFIGS[1]!, nodeSource(new Uint8Array(1000)), sink.nodeWritable());
 * console.assert(sink.bytes() > 1000);
 * ```
 */
export function awsPeer(key: Uint8Array): AwsPeer {
  const keyring = new RawAesKeyringNode({
    keyName: 'bench-key',
    keyNamespace: 'sealstream-bench',
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const committing = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  const legacy = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  return {
    async encrypt(config, source, sink) {
      const client =
        config.suiteId === AlgorithmSuiteIdentifier.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256
          ? legacy
          : committing;
      const options = {
        ...(config.suiteId === undefined ? {} : { suiteId: config.suiteId }),
        ...(config.frameLength === undefined ? {} : { frameLength: config.frameLength }),
      };
      await pipeline(source, client.encryptStream(keyring, options), sink);
    },
    async decrypt(source, sink) {
      await pipeline(source, legacy.decryptStream(keyring), sink);
    },
  };
}
