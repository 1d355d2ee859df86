import type { TokenCredential } from '@azure/identity';
import type { CryptographyClient } from '@azure/keyvault-keys';
import type { KeyWrapper, WrappedKey } from '@sealstream/kms';
import { KmsError } from '@sealstream/kms';
import { decodeBase64Url, encodeBase64Url } from '@sealstream/streams';
import { azureKmsError } from './azureKmsError.ts';
import { type AzureKmsConfig, parseAzureKmsUri } from './azureKmsUri.ts';

/** Tuning and trust for {@link azureKeyWrapper}; the defaults give up within seconds. */
export interface AzureKmsOptions {
  /** Attempts per call, the first included, for outages and throttling. Default 3. */
  maxAttempts?: number;
  /** Overall deadline per wrap/unwrap in ms, retries included. Default 20000. */
  timeoutMs?: number;
  /** Extra CA certificate(s) (PEM) to trust for the vault and the authority, e.g. a private CA. */
  ca?: string | string[];
  /** Use this credential instead of the URI's (e.g. a workload identity). */
  credential?: TokenCredential;
}

const ALGORITHM = 'RSA-OAEP-256';
const DIGEST_LEN = 32;
/** The signature over each entry: RSASSA-PKCS1-v1_5 with SHA-256, a private-key operation in the vault. */
const SIGNATURE_ALGORITHM = 'RS256';
/** The domain-separation label that starts every signed entry message. */
const SIGNATURE_LABEL = new TextEncoder().encode('sealstream/v2/azure-key-entry');

/**
 * What an entry's signature covers: the label, a zero byte, SHA-256 of the wrap context and the
 * wrapped bytes (docs/KMS.md, "Azure entries are signed").
 */
function signedMessage(contextDigest: Uint8Array, wrapped: Uint8Array): Uint8Array {
  const out = new Uint8Array(SIGNATURE_LABEL.length + 1 + DIGEST_LEN + wrapped.length);
  out.set(SIGNATURE_LABEL);
  out.set(contextDigest, SIGNATURE_LABEL.length + 1);
  out.set(wrapped, SIGNATURE_LABEL.length + 1 + DIGEST_LEN);
  return out;
}

/**
 * Makes a {@link KeyWrapper} for `azure-kms:///{key}/{version}?…`: the DEK is wrapped by Key Vault
 * with RSA-OAEP-256 (CryptographyClient.wrapKey/unwrapKey, performed in the vault). RSA-OAEP has
 * no associated data, so the wrap context is bound by wrapping `DEK ‖ SHA-256(context)` (OAEP is
 * non-malleable) and checking the digest on unwrap. The stored id is the key's `kid` as the vault
 * returns it; the key's identity is its vault host, name and version (the URI names all three,
 * so {@link KeyWrapper.identify} needs no call, and a kid's spelling — case, port — does not
 * matter). The Azure SDKs are imported on first use.
 *
 * RSA-OAEP wraps with the public key, which anyone may hold: so each entry also carries an RS256
 * signature by the key (`params.sig`, made by Key Vault's `sign`, a private-key operation) over
 * the wrapped bytes and the context, and `unwrap` refuses an entry whose signature is missing or
 * does not verify before asking the vault to unwrap it. A party with only the public key cannot
 * make an entry this wrapper accepts.
 *
 * @example
 * ```ts
 * import { azureKeyWrapper } from '@sealstream/kms-azure';
 * const kms = azureKeyWrapper('azure-kms:///backup/0123456789abcdef0123456789abcdef?AUTH=implicit&AZURE_VAULT_NAME=myvault');
 * const entry = await kms.wrap(crypto.getRandomValues(new Uint8Array(32)));
 * const dek = await kms.unwrap(entry);
 * ```
 */
export function azureKeyWrapper(uri: string | URL, options: AzureKmsOptions = {}): KeyWrapper {
  const config = parseAzureKmsUri(uri);
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be an integer >= 1: received ${maxAttempts}`);
  const timeoutMs = options.timeoutMs ?? 20_000;
  let client: Promise<CryptographyClient> | undefined;
  let kid: string | undefined;

  const getClient = (): Promise<CryptographyClient> => {
    client ??= makeClient(config, options, maxAttempts - 1);
    return client;
  };

  const run = async <T>(
    op: 'wrap' | 'unwrap',
    fn: (c: CryptographyClient, abortSignal: AbortSignal) => Promise<T>,
  ): Promise<T> => {
    try {
      return await fn(await getClient(), AbortSignal.timeout(timeoutMs));
    } catch (e) {
      throw azureKmsError(e, op, config.redactedUri);
    }
  };

  return {
    scheme: 'azure-kms',
    get id() {
      return kid ?? config.kid;
    },
    redactedUri: config.redactedUri,
    identify: async () => kid ?? config.kid,
    async wrap(dek: Uint8Array, context?: Uint8Array): Promise<WrappedKey> {
      if (!(dek instanceof Uint8Array))
        throw new TypeError(`dek must be a Uint8Array: received ${typeof dek}`);
      if (dek.length < 1 || dek.length > 128)
        throw new RangeError(`dek must be 1..128 bytes: received ${dek.length}`);
      const contextDigest = await digest(context);
      const bound = concat(dek, contextDigest);
      const out = await run('wrap', (c, abortSignal) =>
        c.wrapKey(ALGORITHM, bound, { abortSignal }),
      );
      bound.fill(0);
      kid = out.keyID ?? config.kid;
      const wrapped = new Uint8Array(out.result);
      const signed = await run('wrap', (c, abortSignal) =>
        c.signData(SIGNATURE_ALGORITHM, signedMessage(contextDigest, wrapped), { abortSignal }),
      );
      return {
        scheme: 'azure-kms',
        id: kid,
        wrapped,
        params: {
          alg: ALGORITHM,
          sigAlg: SIGNATURE_ALGORITHM,
          sig: encodeBase64Url(new Uint8Array(signed.result)),
        },
      };
    },
    async unwrap(entry: WrappedKey, context?: Uint8Array): Promise<Uint8Array> {
      if (entry?.scheme !== 'azure-kms')
        throw new KmsError(
          'ERR_KMS_WRONG_KEY',
          `Azure Key Vault unwrap with ${config.redactedUri} failed: the entry was made by a ${String(entry?.scheme)} key, not a Key Vault key`,
        );
      if (!sameKey(entry.id, config, kid))
        throw new KmsError(
          'ERR_KMS_WRONG_KEY',
          `Azure Key Vault unwrap with ${config.redactedUri} failed: the entry was made by ${entry.id}`,
        );
      if (!(entry.wrapped instanceof Uint8Array) || entry.wrapped.length === 0)
        throw new KmsError(
          'ERR_KMS_BAD_WRAPPED_KEY',
          `Azure Key Vault unwrap with ${config.redactedUri} failed: the wrapped key is empty`,
        );
      const expected = await digest(context);
      const sig = entry.params?.sig;
      if (entry.params?.sigAlg !== SIGNATURE_ALGORITHM || typeof sig !== 'string')
        throw new KmsError(
          'ERR_KMS_BAD_WRAPPED_KEY',
          `Azure Key Vault unwrap with ${config.redactedUri} failed: the entry is not signed by the key (anyone with its public half can wrap; only the vault can sign)`,
        );
      let signature: Uint8Array;
      try {
        signature = decodeBase64Url(sig);
      } catch {
        signature = new Uint8Array();
      }
      const verified = await run('unwrap', (c, abortSignal) =>
        c.verifyData(SIGNATURE_ALGORITHM, signedMessage(expected, entry.wrapped), signature, {
          abortSignal,
        }),
      );
      if (!verified.result)
        throw new KmsError(
          'ERR_KMS_BAD_WRAPPED_KEY',
          `Azure Key Vault unwrap with ${config.redactedUri} failed: the entry's signature does not verify with the key (it was not made by the vault for these bytes)`,
        );
      const out = await run('unwrap', (c, abortSignal) =>
        c.unwrapKey(ALGORITHM, entry.wrapped, { abortSignal }),
      );
      const plain = out.result;
      const ok =
        plain.length > DIGEST_LEN && equal(plain.subarray(plain.length - DIGEST_LEN), expected);
      if (!ok) {
        plain.fill(0);
        throw new KmsError(
          'ERR_KMS_BAD_WRAPPED_KEY',
          `Azure Key Vault unwrap with ${config.redactedUri} failed: the wrapped key was bound to another context`,
        );
      }
      return new Uint8Array(plain.subarray(0, plain.length - DIGEST_LEN));
    },
    matches(entry: WrappedKey): boolean {
      return !!entry && entry.scheme === 'azure-kms' && sameKey(entry.id, config, kid);
    },
  };
}

async function makeClient(
  config: AzureKmsConfig,
  options: AzureKmsOptions,
  maxRetries: number,
): Promise<CryptographyClient> {
  const [{ CryptographyClient }, identity] = await Promise.all([
    import('@azure/keyvault-keys'),
    import('@azure/identity'),
  ]);
  const ca =
    options.ca === undefined
      ? undefined
      : Array.isArray(options.ca)
        ? options.ca.join('\n')
        : options.ca;
  const tls = ca === undefined ? {} : { tlsOptions: { ca } };
  const retryOptions = { maxRetries, retryDelayInMs: 200, maxRetryDelayInMs: 2000 };
  const authority =
    config.authorityHost === undefined
      ? {}
      : { authorityHost: config.authorityHost, disableInstanceDiscovery: true };
  let credential: TokenCredential;
  if (options.credential) credential = options.credential;
  else if (config.credentials) {
    const { tenantId, clientId, clientSecret } = config.credentials;
    credential = new identity.ClientSecretCredential(tenantId, clientId, clientSecret, {
      ...authority,
      ...tls,
      retryOptions,
    });
  } else {
    credential = new identity.DefaultAzureCredential({ ...authority, ...tls, retryOptions });
  }
  return new CryptographyClient(config.kid, credential, {
    ...tls,
    retryOptions,
    ...(config.customVault && { disableChallengeResourceVerification: true }),
  });
}

/** Same vault host and key name/version; the kid's exact spelling (port, case) may differ. */
function sameKey(id: unknown, config: AzureKmsConfig, kid: string | undefined): boolean {
  if (typeof id !== 'string') return false;
  if (id === config.kid || id === kid) return true;
  try {
    const u = new URL(id);
    const v = new URL(config.vaultUrl);
    return (
      u.hostname.toLowerCase() === v.hostname.toLowerCase() &&
      u.pathname.toLowerCase() === `/keys/${config.keyName}/${config.keyVersion}`.toLowerCase()
    );
  } catch {
    return false;
  }
}

async function digest(context: Uint8Array | undefined): Promise<Uint8Array> {
  if (context !== undefined && !(context instanceof Uint8Array))
    throw new TypeError(`context must be a Uint8Array: received ${typeof context}`);
  return new Uint8Array(await crypto.subtle.digest('SHA-256', new Uint8Array(context ?? [])));
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

function equal(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= (a[i] as number) ^ (b[i] as number);
  return d === 0;
}
