import type { WrappedKey } from '@sealstream/kms';
import { decodeBase64, encodeBase64 } from '@sealstream/streams';
import { ManifestError } from './ManifestError.ts';
import { jsonDepthWithin, parseJson, StrictReader } from './strictJson.ts';

/** File name prefix of the key envelope files of a backup chain. */
export const ENCRYPTION_INFO = 'ENCRYPTION_INFO';
const FORMAT = 'sealstream-encryption-info';
const VERSION = 2;
const MAX_KEYS = 256;
const MAX_FILE_BYTES = 1 << 20;
/** How deep a key entry's free-form `params` may nest (objects and arrays). */
const MAX_PARAMS_DEPTH = 32;

/**
 * The plaintext key envelope of a backup chain: every way in to its data key (DEK).
 *
 * Stored as `ENCRYPTION_INFO` (generation 1) and, after each `alter`, as
 * `ENCRYPTION_INFO-<n>` (n = 2, 3, …), written create-if-absent and never rewritten. Each
 * generation is a complete snapshot; readers use the highest valid generation (see
 * docs/COLLECTIONS.md for why a snapshot beats a union when keys are removed).
 */
export interface EncryptionInfo {
  /** Random id of the chain; bound into every wrapping as context. */
  chainId: string;
  /** Generation number (1 for `ENCRYPTION_INFO`). */
  generation: number;
  /** ISO-8601 time this generation was written. */
  created: string;
  /** {@link dekCheckValue} of the DEK. */
  dekCheck: Uint8Array;
  /** One entry per KMS key or passphrase. */
  keys: KeyEntry[];
  /**
   * HMAC-SHA256 under the chain's auth key of the chain id, generation and every other field
   * ({@link authenticateEncryptionInfo}): only a holder of the chain's data key can write a
   * generation that readers accept.
   */
  mac: Uint8Array;
}

/**
 * One way in to a chain's data key as ENCRYPTION_INFO stores it: the wrapper's output plus what
 * names the entry itself, so it can be listed and removed without its key (a lost key file, a
 * forgotten passphrase, a deleted KMS key).
 */
export interface KeyEntry extends WrappedKey {
  /** Stable name of this entry within its chain: {@link KEY_ENTRY_ID_PATTERN}, random, unique. */
  entryId: string;
  /** Optional label given when the entry was added (at most 128 characters, no control characters). */
  label?: string;
  /** ISO-8601 time the entry was added. */
  added: string;
}

/** What a key entry id looks like: 8 lower-case hex digits. */
export const KEY_ENTRY_ID_PATTERN = /^[0-9a-f]{8}$/;
/** Longest label of a key entry, in UTF-16 code units. */
export const MAX_KEY_LABEL = 128;

/**
 * Whether `label` may label a key entry: 1 to {@link MAX_KEY_LABEL} characters, no control
 * characters (it is printed in listings).
 */
export function isValidKeyLabel(label: string): boolean {
  return label.length > 0 && label.length <= MAX_KEY_LABEL && !CONTROL.test(label);
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** The storage key name of generation `n` (1 → `ENCRYPTION_INFO`, n → `ENCRYPTION_INFO-n`). */
export function encryptionInfoName(generation: number): string {
  return generation === 1 ? ENCRYPTION_INFO : `${ENCRYPTION_INFO}-${generation}`;
}

/** The generation encoded in a file name, or undefined when it is not an ENCRYPTION_INFO file. */
export function encryptionInfoGeneration(name: string): number | undefined {
  if (name === ENCRYPTION_INFO) return 1;
  const m = /^ENCRYPTION_INFO-([1-9][0-9]{0,8})$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

/** The context bound to every wrapping of a chain's DEK (KMS associated data / encryption context). */
export function wrapContext(chainId: string): Uint8Array {
  return new TextEncoder().encode(`sealstream/dek/v1/${chainId}`);
}

/**
 * Serialises an {@link EncryptionInfo} as JSON bytes.
 *
 * @example
 * ```ts
 * import { encodeEncryptionInfo, decodeEncryptionInfo } from '@sealstream/manifest';
 * const info = { chainId: 'c0ffee', generation: 1, created: new Date().toISOString(),
 *   dekCheck: new Uint8Array(16), keys: [{ entryId: '0a1b2c3d', scheme: 'local-kms', id: 'ab12',
 *     added: new Date().toISOString(), wrapped: new Uint8Array(60) }], mac: new Uint8Array(32) };
 * const back = decodeEncryptionInfo(encodeEncryptionInfo(info));
 * console.log(back.keys[0].entryId); // '0a1b2c3d'
 * ```
 */
export function encodeEncryptionInfo(info: EncryptionInfo): Uint8Array {
  const json = { ...encryptionInfoDocument(info), mac: encodeBase64(info.mac) };
  return new TextEncoder().encode(`${JSON.stringify(json, null, 2)}\n`);
}

/**
 * The JSON document of an ENCRYPTION_INFO generation without its `mac` member: what the MAC
 * covers (in canonical form) and what the file holds besides the MAC.
 */
export function encryptionInfoDocument(info: Omit<EncryptionInfo, 'mac'>): Record<string, unknown> {
  return {
    format: FORMAT,
    version: VERSION,
    chainId: info.chainId,
    generation: info.generation,
    created: info.created,
    dekCheck: encodeBase64(info.dekCheck),
    keys: info.keys.map((k) => ({
      entryId: k.entryId,
      scheme: k.scheme,
      id: k.id,
      ...(k.label === undefined ? {} : { label: k.label }),
      added: k.added,
      wrapped: encodeBase64(k.wrapped),
      ...(k.params === undefined ? {} : { params: k.params }),
    })),
  };
}

function fromBase64(text: string): Uint8Array | undefined {
  try {
    return decodeBase64(text);
  } catch {
    return undefined;
  }
}

/** Parses and strictly validates ENCRYPTION_INFO bytes. `file` names the file in errors. */
export function decodeEncryptionInfo(bytes: Uint8Array, file = ENCRYPTION_INFO): EncryptionInfo {
  if (bytes.length > MAX_FILE_BYTES) {
    throw new ManifestError('ERR_MANIFEST_TOO_LARGE', `larger than ${MAX_FILE_BYTES} bytes`, {
      file,
    });
  }
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch (cause) {
    throw new ManifestError('ERR_MANIFEST_INVALID', 'not UTF-8 text', { file, cause });
  }
  const r = new StrictReader(parseJson(text, file), 'ENCRYPTION_INFO', file);
  if (r.raw('format') !== FORMAT) throw r.fail('not a sealstream ENCRYPTION_INFO file');
  const version = r.raw('version');
  if (version !== VERSION) {
    throw new ManifestError(
      'ERR_MANIFEST_UNSUPPORTED_VERSION',
      `version ${String(version)} is not supported (this build reads version ${VERSION})`,
      { file },
    );
  }
  const chainId = r.string('chainId', { max: 64, pattern: /^[0-9a-f]{32}$/ });
  const generation = r.integer('generation', 1, 999_999_999);
  const created = r.string('created', { max: 40 });
  const dekCheck = fromBase64(r.string('dekCheck', { max: 64 }));
  if (dekCheck?.length !== 16) throw r.fail('ENCRYPTION_INFO.dekCheck must be 16 bytes of base64');
  const seen = new Set<string>();
  const keys = r.array('keys', MAX_KEYS).map((k, i) => {
    const kr = new StrictReader(k, `ENCRYPTION_INFO.keys[${i}]`, file);
    const entryId = kr.string('entryId', { max: 8, pattern: KEY_ENTRY_ID_PATTERN });
    if (seen.has(entryId))
      throw kr.fail(`ENCRYPTION_INFO.keys[${i}].entryId ${entryId} is not unique`);
    seen.add(entryId);
    const scheme = kr.string('scheme', { max: 32, pattern: /^[a-z][a-z0-9+.-]*$/ });
    const id = kr.string('id', { max: 2048 });
    const label = kr.raw('label');
    if (label !== undefined && (typeof label !== 'string' || !isValidKeyLabel(label)))
      throw kr.fail(
        `ENCRYPTION_INFO.keys[${i}].label must be 1 to ${MAX_KEY_LABEL} characters without control characters`,
      );
    const added = kr.string('added', { max: 40 });
    const wrapped = fromBase64(kr.string('wrapped', { max: 16384 }));
    if (!wrapped || wrapped.length === 0)
      throw kr.fail(`ENCRYPTION_INFO.keys[${i}].wrapped is not base64`);
    const params = kr.raw('params');
    if (
      params !== undefined &&
      (typeof params !== 'object' || params === null || Array.isArray(params))
    ) {
      throw kr.fail(`ENCRYPTION_INFO.keys[${i}].params must be an object`);
    }
    if (params !== undefined && !jsonDepthWithin(params, MAX_PARAMS_DEPTH)) {
      throw kr.fail(
        `ENCRYPTION_INFO.keys[${i}].params nests deeper than ${MAX_PARAMS_DEPTH} levels`,
      );
    }
    kr.done();
    const entry: KeyEntry = { entryId, scheme, id, added, wrapped };
    if (label !== undefined) entry.label = label as string;
    if (params !== undefined) entry.params = params as Record<string, unknown>;
    return entry;
  });
  if (keys.length === 0) throw r.fail('ENCRYPTION_INFO.keys is empty: no way in to the data key');
  const mac = fromBase64(r.string('mac', { max: 64 }));
  if (mac?.length !== 32) throw r.fail('ENCRYPTION_INFO.mac must be 32 bytes of base64');
  r.done();
  return { chainId, generation, created, dekCheck, keys, mac };
}
