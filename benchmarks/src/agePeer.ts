import { Decrypter, Encrypter, generateX25519Identity, identityToRecipient } from 'age-encryption';

/** An age (typage) X25519 identity and its recipient, made once per run. */
export interface AgePeer {
  /** Encrypts a stream for the recipient: header, then ChaCha20-Poly1305 STREAM in 64 KiB chunks. */
  encrypt(source: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>>;
  decrypt(source: ReadableStream<Uint8Array>): Promise<ReadableStream<Uint8Array>>;
}

/**
 * The age-encryption peer with an X25519 recipient, so the timing covers the stream cipher and
 * one X25519 exchange per file — not scrypt, which a passphrase recipient would add (about
 * 1.9 s at age's default work factor 2^18 on this kind of machine).
 *
 * @example
 * ```ts
 * import { agePeer } from './agePeer.ts';
 * import { collect, webSource } from './byteStreams.ts';
 * const age = await agePeer();
 * const sealed = await collect(await age.encrypt(webSource(new Uint8Array(100))));
 * const opened = await collect(await age.decrypt(webSource(sealed)));
 * console.assert(opened.byteLength === 100);
 * ```
 */
export async function agePeer(): Promise<AgePeer> {
  const identity = await generateX25519Identity();
  const recipient = await identityToRecipient(identity);
  const encrypter = new Encrypter();
  encrypter.addRecipient(recipient);
  const decrypter = new Decrypter();
  decrypter.addIdentity(identity);
  return {
    encrypt: (source) => encrypter.encrypt(source),
    decrypt: (source) => decrypter.decrypt(source),
  };
}
