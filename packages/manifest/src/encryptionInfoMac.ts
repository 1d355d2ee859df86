import { concatBytes } from '@sealstream/streams';
import { canonicalJson } from './canonicalJson.ts';
import { ENCRYPTION_INFO, type EncryptionInfo, encryptionInfoDocument } from './EncryptionInfo.ts';
import { ManifestError } from './ManifestError.ts';
import { sealedAssociatedData } from './sealedKinds.ts';

/** An ENCRYPTION_INFO generation before it is authenticated. */
export type UnauthenticatedEncryptionInfo = Omit<EncryptionInfo, 'mac'>;

/**
 * The bytes an ENCRYPTION_INFO generation's MAC covers (docs/COLLECTION-FORMAT-V2.md §2): the
 * key-envelope associated data (chain id, generation) followed by the canonical JSON of the
 * document without its `mac` member.
 */
function macInput(info: UnauthenticatedEncryptionInfo): Uint8Array<ArrayBuffer> {
  return concatBytes(
    sealedAssociatedData('keyEnvelope', [info.chainId, String(info.generation)]),
    new TextEncoder().encode(canonicalJson(encryptionInfoDocument(info))),
  );
}

function hmacKey(authKey: Uint8Array, use: 'sign' | 'verify'): Promise<CryptoKey> {
  if (!(authKey instanceof Uint8Array) || authKey.length !== 32)
    throw new TypeError('the auth key must be 32 bytes (ChainKeys.auth)');
  return crypto.subtle.importKey(
    'raw',
    authKey as Uint8Array<ArrayBuffer>,
    { name: 'HMAC', hash: 'SHA-256' },
    false,
    [use],
  );
}

/**
 * Authenticates an ENCRYPTION_INFO generation: returns it with `mac` = HMAC-SHA256 under the
 * chain's auth key ({@link deriveChainKeys}`(root).auth`) of its chain id, generation and every
 * field. Only a holder of the chain's root key — someone who opened it with one of its keys —
 * can write a generation that readers accept.
 *
 * @example
 * ```ts
 * import { authenticateEncryptionInfo, checkEncryptionInfoMac, deriveChainKeys, dekCheckValue } from '@sealstream/manifest';
 * const root = crypto.getRandomValues(new Uint8Array(32));
 * const keys = await deriveChainKeys(root);
 * const info = await authenticateEncryptionInfo({ chainId: keys.chainId, generation: 1,
 *   created: new Date().toISOString(), dekCheck: await dekCheckValue(root),
 *   keys: [{ entryId: '0a1b2c3d', scheme: 'local-kms', id: 'ab12', added: new Date().toISOString(),
 *     wrapped: new Uint8Array(60) }] }, keys.auth);
 * await checkEncryptionInfoMac(info, keys.auth); // resolves: authentic
 * console.log(info.mac.length); // 32
 * ```
 */
export async function authenticateEncryptionInfo(
  info: UnauthenticatedEncryptionInfo,
  authKey: Uint8Array,
): Promise<EncryptionInfo> {
  const key = await hmacKey(authKey, 'sign');
  const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, macInput(info)));
  return { ...info, mac };
}

/**
 * Checks an ENCRYPTION_INFO generation's MAC under the chain's auth key (in constant time). A
 * generation that does not authenticate was not written by a holder of the chain's root key, or
 * was changed since: `ERR_MANIFEST_NOT_AUTHENTIC`, naming `file`.
 */
export async function checkEncryptionInfoMac(
  info: EncryptionInfo,
  authKey: Uint8Array,
  file = ENCRYPTION_INFO,
): Promise<void> {
  const key = await hmacKey(authKey, 'verify');
  const ok = await crypto.subtle.verify(
    'HMAC',
    key,
    info.mac as Uint8Array<ArrayBuffer>,
    macInput(info),
  );
  if (!ok) {
    throw new ManifestError(
      'ERR_MANIFEST_NOT_AUTHENTIC',
      "this key envelope does not authenticate under the chain's key: it was changed, or written by someone who does not hold the chain's data key",
      { file },
    );
  }
}
