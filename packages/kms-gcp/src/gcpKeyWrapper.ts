import type { KeyManagementServiceClient } from '@google-cloud/kms';
import type { KeyWrapper, WrappedKey } from '@sealstream/kms';
import { KmsError } from '@sealstream/kms';
import { crc32c } from './crc32c.ts';
import { gcpKmsError, isTransientGcpError } from './gcpKmsError.ts';
import { type GcpKmsConfig, parseGcpKmsUri } from './gcpKmsUri.ts';

/** Tuning for {@link gcpKeyWrapper}; the defaults give up on a dead endpoint within seconds. */
export interface GcpKmsOptions {
  /** Attempts per call for outages and throttling (UNAVAILABLE, RESOURCE_EXHAUSTED, network). Default 3. */
  maxAttempts?: number;
  /** Deadline per attempt in ms. Default 10000. */
  attemptTimeoutMs?: number;
}

type Client = InstanceType<typeof KeyManagementServiceClient>;

/**
 * Makes a {@link KeyWrapper} for `gs:///projects/{p}/locations/{l}/keyRings/{r}/cryptoKeys/{k}`.
 * The DEK is wrapped with Cloud KMS `encrypt` (the context goes in as
 * additionalAuthenticatedData) and every request and response is checked with CRC32C, following
 * Google's data-integrity guidelines. Requests go over REST (HTTPS/JSON). @google-cloud/kms is
 * imported on first use. The stored id — the key's identity — is the CryptoKey resource name
 * (versions are resolved by KMS), so {@link KeyWrapper.identify} needs no call.
 *
 * @example
 * ```ts
 * import { gcpKeyWrapper } from '@sealstream/kms-gcp';
 * const kms = gcpKeyWrapper('gs:///projects/my-proj/locations/global/keyRings/r/cryptoKeys/k?AUTH=implicit');
 * const entry = await kms.wrap(crypto.getRandomValues(new Uint8Array(32)));
 * const dek = await kms.unwrap(entry);
 * ```
 */
export function gcpKeyWrapper(uri: string | URL, options: GcpKmsOptions = {}): KeyWrapper {
  const config = parseGcpKmsUri(uri);
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be an integer >= 1: received ${maxAttempts}`);
  const attemptTimeoutMs = options.attemptTimeoutMs ?? 10_000;
  const callOptions = { timeout: attemptTimeoutMs, maxRetries: 0 };
  let client: Promise<Client> | undefined;
  const getClient = (): Promise<Client> => {
    client ??= makeClient(config).catch((e: unknown) => {
      client = undefined;
      throw e;
    });
    return client;
  };

  const call = async <T>(op: 'wrap' | 'unwrap', fn: (c: Client) => Promise<T>): Promise<T> => {
    for (let attempt = 1; ; attempt++) {
      try {
        return await withDeadline(
          getClient().then((c) => fn(c)),
          attemptTimeoutMs,
        );
      } catch (e) {
        if (attempt >= maxAttempts || !isTransientGcpError(e))
          throw gcpKmsError(e, op, config.redactedUri);
        await new Promise((r) => setTimeout(r, 100 * 2 ** attempt + Math.random() * 100));
      }
    }
  };
  const integrity = (op: 'wrap' | 'unwrap', what: string): KmsError =>
    new KmsError(
      'ERR_KMS_UNAVAILABLE',
      `Google Cloud KMS ${op} with ${config.redactedUri} failed: CRC32C integrity check failed (${what}); retry`,
    );

  return {
    scheme: 'gs',
    id: config.keyName,
    redactedUri: config.redactedUri,
    identify: async () => config.keyName,
    async wrap(dek: Uint8Array, context?: Uint8Array): Promise<WrappedKey> {
      checkBytes(dek, 'dek');
      if (context !== undefined) checkBytes(context, 'context');
      const [resp] = await call('wrap', (c) =>
        c.encrypt(
          {
            name: config.keyName,
            plaintext: dek,
            plaintextCrc32c: { value: crc32c(dek) },
            ...(context !== undefined && {
              additionalAuthenticatedData: context,
              additionalAuthenticatedDataCrc32c: { value: crc32c(context) },
            }),
          },
          callOptions,
        ),
      );
      const ciphertext = resp.ciphertext;
      if (!(ciphertext instanceof Uint8Array) || ciphertext.length === 0)
        throw integrity('wrap', 'no ciphertext');
      if (!resp.verifiedPlaintextCrc32c)
        throw integrity('wrap', 'KMS did not verify the plaintext checksum');
      if (context !== undefined && !resp.verifiedAdditionalAuthenticatedDataCrc32c)
        throw integrity('wrap', 'KMS did not verify the AAD checksum');
      if (String(resp.ciphertextCrc32c?.value) !== String(crc32c(ciphertext)))
        throw integrity('wrap', 'ciphertext checksum mismatch');
      if (
        typeof resp.name === 'string' &&
        !resp.name.startsWith(`${config.keyName}/cryptoKeyVersions/`)
      )
        throw integrity('wrap', `KMS answered for another key ${resp.name}`);
      return { scheme: 'gs', id: config.keyName, wrapped: new Uint8Array(ciphertext) };
    },
    async unwrap(entry: WrappedKey, context?: Uint8Array): Promise<Uint8Array> {
      if (entry?.scheme !== 'gs')
        throw new KmsError(
          'ERR_KMS_WRONG_KEY',
          `Google Cloud KMS unwrap with ${config.redactedUri} failed: the entry was made by a ${String(entry?.scheme)} key, not a Cloud KMS key`,
        );
      if (entry.id !== config.keyName)
        throw new KmsError(
          'ERR_KMS_WRONG_KEY',
          `Google Cloud KMS unwrap with ${config.redactedUri} failed: the entry was made by ${entry.id}`,
        );
      if (!(entry.wrapped instanceof Uint8Array) || entry.wrapped.length === 0)
        throw new KmsError(
          'ERR_KMS_BAD_WRAPPED_KEY',
          `Google Cloud KMS unwrap with ${config.redactedUri} failed: the wrapped key is empty`,
        );
      if (context !== undefined) checkBytes(context, 'context');
      const ciphertext = entry.wrapped;
      const [resp] = await call('unwrap', (c) =>
        c.decrypt(
          {
            name: config.keyName,
            ciphertext,
            ciphertextCrc32c: { value: crc32c(ciphertext) },
            ...(context !== undefined && {
              additionalAuthenticatedData: context,
              additionalAuthenticatedDataCrc32c: { value: crc32c(context) },
            }),
          },
          callOptions,
        ),
      );
      const plaintext = resp.plaintext;
      if (!(plaintext instanceof Uint8Array)) throw integrity('unwrap', 'no plaintext');
      if (String(resp.plaintextCrc32c?.value) !== String(crc32c(plaintext)))
        throw integrity('unwrap', 'plaintext checksum mismatch');
      return new Uint8Array(plaintext);
    },
    matches(entry: WrappedKey): boolean {
      return !!entry && entry.scheme === 'gs' && entry.id === config.keyName;
    },
  };
}

/**
 * Makes the client and runs its `initialize()` (credential loading) here, awaited: the SDK's
 * methods otherwise start it themselves and rethrow its failure as an unhandled rejection (a
 * missing application default credential then kills the process instead of failing the call).
 */
async function makeClient(config: GcpKmsConfig): Promise<Client> {
  const { KeyManagementServiceClient } = await import('@google-cloud/kms');
  const c = new KeyManagementServiceClient(
    clientOptions(config) as ConstructorParameters<typeof KeyManagementServiceClient>[0],
  );
  await c.initialize();
  return c;
}

function clientOptions(config: GcpKmsConfig): Record<string, unknown> {
  return {
    // REST (HTTPS + JSON) rather than gRPC: fails fast when the endpoint is down, and is the same
    // transport the emulator tests exercise.
    fallback: true,
    ...(config.endpoint !== undefined && {
      apiEndpoint: config.endpoint.host,
      port: config.endpoint.port,
      protocol: config.endpoint.protocol,
    }),
    ...(config.credentials !== undefined && {
      credentials: config.credentials,
      ...(config.credentials.project_id !== undefined && {
        projectId: config.credentials.project_id,
      }),
    }),
  };
}

function checkBytes(v: unknown, name: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array))
    throw new TypeError(`${name} must be a Uint8Array: received ${typeof v}`);
  if (name === 'dek' && (v.length < 1 || v.length > 65536))
    throw new RangeError(`dek must be 1..65536 bytes: received ${v.length}`);
}

/**
 * The REST (fallback) transport of google-gax ignores the call's `timeout`, so each attempt is
 * raced against its own deadline; a late answer of an abandoned attempt is ignored.
 */
function withDeadline<T>(p: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          Object.assign(new Error(`no answer within ${ms} ms`), {
            code: 4,
            status: 'DEADLINE_EXCEEDED',
          }),
        ),
      ms,
    );
  });
  p.catch(() => {});
  return Promise.race([p, deadline]).finally(() => clearTimeout(timer));
}
