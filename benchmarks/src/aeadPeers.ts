import type { Duplex } from 'node:stream';
import { buffer } from 'node:stream/consumers';
import { pipeline } from 'node:stream/promises';
import {
  buildClient,
  CommitmentPolicy,
  RawAesKeyringNode,
  RawAesWrappingSuiteIdentifier,
  AlgorithmSuiteIdentifier as Suite,
} from '@aws-crypto/client-node';
import { collect } from '@sealstream/streams';
import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';
import { discardSink, drain, nodeSource, webSource } from './byteStreams.ts';

/** Another library's stream cipher, driven on the same bytes as ours. */
export interface Peer {
  readonly name: string;
  /** Encrypts `input` into a discarding sink; returns the ciphertext bytes. */
  encrypt(input: Uint8Array): Promise<number>;
  /** Encrypts and keeps the ciphertext (untimed preparation of {@link decrypt}). */
  seal(input: Uint8Array): Promise<Uint8Array>;
  /** Decrypts into a discarding sink; returns the plaintext bytes. */
  decrypt(ciphertext: Uint8Array): Promise<number>;
}

/**
 * age-encryption with an X25519 recipient: the timing covers its ChaCha20-Poly1305 STREAM in
 * 64 KiB chunks and one key exchange, not scrypt (a passphrase recipient would add seconds).
 */
export async function agePeer(): Promise<Peer> {
  const identity = await generateX25519Identity();
  const encrypter = new Encrypter();
  encrypter.addRecipient(await identityToRecipient(identity));
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  return {
    name: 'age X25519',
    encrypt: async (input) => drain(await encrypter.encrypt(webSource(input))),
    seal: async (input) => collect(await encrypter.encrypt(webSource(input))),
    decrypt: async (ciphertext) => drain(await decrypter.decrypt(webSource(ciphertext))),
  };
}

/**
 * @aws-crypto/client-node with a raw AES-256 keyring (no KMS round trip), in three suites: the
 * default 0x578 (committing, ECDSA-P384 signed, 4 KiB frames), 0x178 (unsigned, not committing,
 * 1 MiB frames, the fastest) and 0x478 (committing, unsigned, 1 MiB frames). Quick mode: 0x178.
 */
export function awsPeers(key: Uint8Array, quick: boolean): Peer[] {
  const keyring = new RawAesKeyringNode({
    keyName: 'bench-key',
    keyNamespace: 'sealstream-bench',
    unencryptedMasterKey: new Uint8Array(key),
    wrappingSuite: RawAesWrappingSuiteIdentifier.AES256_GCM_IV12_TAG16_NO_PADDING,
  });
  const committing = buildClient(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
  // A non-committing suite is only allowed under this policy.
  const legacy = buildClient(CommitmentPolicy.FORBID_ENCRYPT_ALLOW_DECRYPT);
  const configs = [
    {
      name: 'aws 0x178 unsigned, 1 MiB frames',
      suiteId: Suite.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA256,
      client: legacy,
    },
    { name: 'aws default (0x578, 4 KiB frames)', client: committing },
    {
      name: 'aws 0x478 committing unsigned, 1 MiB frames',
      suiteId: Suite.ALG_AES256_GCM_IV12_TAG16_HKDF_SHA512_COMMIT_KEY,
      client: committing,
    },
  ];
  return configs.slice(0, quick ? 1 : 3).map(({ name, suiteId, client }) => {
    const options = suiteId === undefined ? {} : { suiteId, frameLength: 1 << 20 };
    const pump = async (input: Uint8Array, through: Duplex) => {
      const sink = discardSink();
      await pipeline(nodeSource(input), through, sink.node());
      return sink.bytes();
    };
    return {
      name,
      encrypt: (input) => pump(input, client.encryptStream(keyring, options)),
      seal: async (input) =>
        new Uint8Array(
          await buffer(nodeSource(input).pipe(client.encryptStream(keyring, options))),
        ),
      decrypt: (ciphertext) => pump(ciphertext, legacy.decryptStream(keyring)),
    };
  });
}
