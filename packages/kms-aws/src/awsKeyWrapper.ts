import type { KMSClient } from '@aws-sdk/client-kms';
import type { KeyWrapper, WrappedKey } from '@sealstream/kms';
import { KmsError } from '@sealstream/kms';
import { awsKmsError } from './awsKmsError.ts';
import { parseAwsKmsUri } from './awsKmsUri.ts';

/** Tuning for {@link awsKeyWrapper}; the defaults give up on a dead endpoint within seconds. */
export interface AwsKmsOptions {
  /** Attempts per call, including the first (SDK standard retry mode). Default 3. */
  maxAttempts?: number;
  /** TCP connect timeout in ms. Default 3000. */
  connectionTimeoutMs?: number;
  /** Deadline per attempt (and socket inactivity bound) in ms. Default 10000. */
  requestTimeoutMs?: number;
}

/** EncryptionContext key under which the wrap context (base64) is bound as AAD. */
const CONTEXT_KEY = 'sealstream:context';

/**
 * Makes a {@link KeyWrapper} for an `aws:///{key}?AUTH=…&REGION=…` URI. The DEK is wrapped with
 * KMS `Encrypt` (AES-256-GCM inside KMS) and the wrap context is bound as EncryptionContext.
 *
 * Identity: the stored id is the key ARN KMS returns. A URI naming a key ARN is its own
 * identity; an alias, alias ARN or bare key id is resolved to the key ARN with `DescribeKey`
 * ({@link KeyWrapper.identify}, once per wrapper), so a chain made with an alias restores with
 * the ARN and vice versa, and an alias never matches a key it does not point to. Decrypt is
 * sent with the resolved ARN. @aws-sdk/client-kms is imported on first use.
 *
 * @example
 * ```ts
 * import { awsKeyWrapper } from '@sealstream/kms-aws';
 * const kms = awsKeyWrapper('aws:///alias/backup?AUTH=implicit&REGION=us-east-1');
 * const dek = crypto.getRandomValues(new Uint8Array(32));
 * const entry = await kms.wrap(dek);
 * const back = await kms.unwrap(entry); // equals dek
 * ```
 */
export function awsKeyWrapper(uri: string | URL, options: AwsKmsOptions = {}): KeyWrapper {
  const config = parseAwsKmsUri(uri);
  const maxAttempts = options.maxAttempts ?? 3;
  if (!Number.isInteger(maxAttempts) || maxAttempts < 1)
    throw new RangeError(`maxAttempts must be an integer >= 1: received ${maxAttempts}`);
  const requestTimeoutMs = options.requestTimeoutMs ?? 10_000;
  let client: Promise<KMSClient> | undefined;

  const getClient = (): Promise<KMSClient> => {
    client ??= import('@aws-sdk/client-kms').then(
      ({ KMSClient }) =>
        new KMSClient({
          region: config.region,
          maxAttempts,
          // requestTimeout only warns unless throwOnRequestTimeout is set (@smithy/node-http-handler
          // 4.x); socketTimeout bounds inactivity as well.
          requestHandler: {
            connectionTimeout: options.connectionTimeoutMs ?? 3000,
            requestTimeout: requestTimeoutMs,
            socketTimeout: requestTimeoutMs,
            throwOnRequestTimeout: true,
          },
          ...(config.endpoint !== undefined && { endpoint: config.endpoint }),
          ...(config.credentials !== undefined && { credentials: config.credentials }),
        }),
    );
    return client;
  };

  // The key ARN the URI names: known at once for a key ARN, from DescribeKey otherwise.
  let resolvedArn: string | undefined = KEY_ARN.test(config.key) ? config.key : undefined;
  let resolving: Promise<string> | undefined;

  const identify = (): Promise<string> => {
    if (resolvedArn !== undefined) return Promise.resolve(resolvedArn);
    resolving ??= describeKey().catch((e: unknown) => {
      resolving = undefined;
      throw e;
    });
    return resolving;
  };

  const describeKey = async (): Promise<string> => {
    const { DescribeKeyCommand } = await import('@aws-sdk/client-kms');
    let arn: string | undefined;
    try {
      const out = await (await getClient()).send(new DescribeKeyCommand({ KeyId: config.key }));
      arn = out.KeyMetadata?.Arn;
    } catch (e) {
      throw awsKmsError(e, 'identify', config.redactedUri);
    }
    const region = arn === undefined ? undefined : KEY_ARN.exec(arn)?.[1];
    if (arn === undefined || region !== config.region)
      throw new KmsError(
        'ERR_KMS_UNAVAILABLE',
        `AWS KMS identify with ${config.redactedUri} failed: DescribeKey answered without a key ARN of ${config.region}`,
      );
    resolvedArn = arn;
    return arn;
  };

  return {
    scheme: 'aws',
    get id() {
      return resolvedArn ?? config.key;
    },
    redactedUri: config.redactedUri,
    identify,
    async wrap(dek: Uint8Array, context?: Uint8Array): Promise<WrappedKey> {
      checkBytes(dek, 'dek');
      const { EncryptCommand } = await import('@aws-sdk/client-kms');
      let out: { CiphertextBlob?: Uint8Array | undefined; KeyId?: string | undefined };
      try {
        out = await (await getClient()).send(
          new EncryptCommand({
            KeyId: resolvedArn ?? config.key,
            Plaintext: dek,
            EncryptionContext: encryptionContext(context),
          }),
        );
      } catch (e) {
        throw awsKmsError(e, 'wrap', config.redactedUri);
      }
      if (!out.CiphertextBlob || !out.KeyId || !KEY_ARN.test(out.KeyId))
        throw new KmsError(
          'ERR_KMS_UNAVAILABLE',
          `AWS KMS wrap with ${config.redactedUri} failed: the response lacks CiphertextBlob or a key ARN`,
        );
      resolvedArn ??= out.KeyId;
      return { scheme: 'aws', id: out.KeyId, wrapped: new Uint8Array(out.CiphertextBlob) };
    },
    async unwrap(entry: WrappedKey, context?: Uint8Array): Promise<Uint8Array> {
      if (entry?.scheme !== 'aws')
        throw new KmsError(
          'ERR_KMS_WRONG_KEY',
          `AWS KMS unwrap with ${config.redactedUri} failed: the entry was made by a ${String(entry?.scheme)} key, not an AWS KMS key`,
        );
      if (!(entry.wrapped instanceof Uint8Array) || entry.wrapped.length === 0)
        throw new KmsError(
          'ERR_KMS_BAD_WRAPPED_KEY',
          `AWS KMS unwrap with ${config.redactedUri} failed: the wrapped key is empty`,
        );
      // A key of another region cannot be the one this URI names: no need to ask KMS.
      const entryRegion = typeof entry.id === 'string' ? KEY_ARN.exec(entry.id)?.[1] : undefined;
      const arn = entryRegion !== config.region ? undefined : await identify();
      if (arn === undefined || entry.id !== arn)
        throw new KmsError(
          'ERR_KMS_WRONG_KEY',
          `AWS KMS unwrap with ${config.redactedUri} failed: the entry was made by ${entry.id}, not by the key this URI names${arn === undefined ? '' : ` (${arn})`}`,
        );
      const { DecryptCommand } = await import('@aws-sdk/client-kms');
      let out: { Plaintext?: Uint8Array | undefined; KeyId?: string | undefined };
      try {
        out = await (await getClient()).send(
          new DecryptCommand({
            KeyId: arn,
            CiphertextBlob: entry.wrapped,
            EncryptionContext: encryptionContext(context),
          }),
        );
      } catch (e) {
        throw awsKmsError(e, 'unwrap', config.redactedUri);
      }
      if (!out.Plaintext)
        throw new KmsError(
          'ERR_KMS_UNAVAILABLE',
          `AWS KMS unwrap with ${config.redactedUri} failed: the response lacks Plaintext`,
        );
      return new Uint8Array(out.Plaintext);
    },
    matches(entry: WrappedKey): boolean {
      return entry?.scheme === 'aws' && resolvedArn !== undefined && entry.id === resolvedArn;
    },
  };
}

/** A key ARN (not an alias ARN); group 1 is its region. */
const KEY_ARN = /^arn:aws[a-z-]*:kms:([a-z0-9-]+):\d{12}:key\/.+$/;

function checkBytes(v: unknown, name: string): asserts v is Uint8Array {
  if (!(v instanceof Uint8Array))
    throw new TypeError(`${name} must be a Uint8Array: received ${typeof v}`);
  if (v.length < 1 || v.length > 4096)
    throw new RangeError(`${name} must be 1..4096 bytes: received ${v.length}`);
}

function encryptionContext(context: Uint8Array | undefined): Record<string, string> | undefined {
  if (context === undefined) return undefined;
  if (!(context instanceof Uint8Array))
    throw new TypeError(`context must be a Uint8Array: received ${typeof context}`);
  return { [CONTEXT_KEY]: base64(context) };
}

function base64(b: Uint8Array): string {
  let s = '';
  for (const x of b) s += String.fromCharCode(x);
  return btoa(s);
}
