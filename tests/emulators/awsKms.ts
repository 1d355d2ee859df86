/**
 * AWS KMS emulator on loopback: the JSON 1.1 protocol (`x-amz-target: TrentService.*`) as the
 * unmodified @aws-sdk/client-kms sends it (Encrypt, Decrypt, DescribeKey), with SigV4 signatures
 * verified, key ids, key ARNs, aliases and alias ARNs,
 * EncryptionContext bound as AAD, and the service's error types (`__type`).
 *
 * Ciphertext blobs identify their own key (`EKMS1 | len | ARN | iv | AES-256-GCM ct+tag`), as
 * real KMS blobs do, so Decrypt works without a KeyId.
 */
import {
  createCipheriv,
  createDecipheriv,
  createHash,
  createHmac,
  randomBytes,
  randomUUID,
  timingSafeEqual,
} from 'node:crypto';
import type http from 'node:http';
import { type EmulatorControl, sendJson, startLoopback } from './loopbackServer.ts';

export interface AwsKmsEmulator extends EmulatorControl {
  readonly region: string;
  readonly accountId: string;
  /** The credentials the emulator accepts. */
  readonly credentials: { accessKeyId: string; secretAccessKey: string };
  /** Creates a key. `usage: 'SIGN_VERIFY'` makes an asymmetric key that refuses Encrypt/Decrypt. */
  createKey(opts?: {
    usage?: 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY';
    enabled?: boolean;
    deny?: boolean;
  }): { keyId: string; arn: string };
  /** Points `alias/<name>` at a key id (again: re-points it, as UpdateAlias does). */
  createAlias(aliasName: string, keyId: string): void;
  setKeyEnabled(keyId: string, enabled: boolean): void;
}

interface Key {
  id: string;
  arn: string;
  material: Buffer;
  usage: 'ENCRYPT_DECRYPT' | 'SIGN_VERIFY';
  enabled: boolean;
  deny: boolean;
}

class KmsFault extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

const MAGIC = Buffer.from('EKMS1');

/** Starts the emulator on 127.0.0.1 with a random port. */
export async function startAwsKms(opts: { region?: string } = {}): Promise<AwsKmsEmulator> {
  const region = opts.region ?? 'us-east-1';
  const accountId = '111122223333';
  const credentials = {
    accessKeyId: `AKIA${randomBytes(8).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64'),
  };
  const keys = new Map<string, Key>();
  const aliases = new Map<string, string>();

  const resolve = (keyId: unknown): Key => {
    if (typeof keyId !== 'string' || keyId === '')
      throw new KmsFault(
        'ValidationException',
        '1 validation error detected: KeyId must not be null',
      );
    let id = keyId;
    const arnMatch = /^arn:aws:kms:([^:]+):(\d{12}):(key|alias)\/(.+)$/.exec(keyId);
    if (arnMatch) {
      if (arnMatch[1] !== region || arnMatch[2] !== accountId)
        throw new KmsFault('NotFoundException', `Invalid arn ${keyId}`);
      id = arnMatch[3] === 'alias' ? `alias/${arnMatch[4]}` : (arnMatch[4] as string);
    }
    if (id.startsWith('alias/')) {
      const target = aliases.get(id);
      if (!target)
        throw new KmsFault(
          'NotFoundException',
          `Alias arn:aws:kms:${region}:${accountId}:${id} is not found.`,
        );
      id = target;
    }
    const key = keys.get(id);
    if (!key)
      throw new KmsFault(
        'NotFoundException',
        `Key 'arn:aws:kms:${region}:${accountId}:key/${id}' does not exist`,
      );
    return key;
  };

  const usable = (key: Key, op: string): void => {
    if (key.deny)
      throw new KmsFault(
        'AccessDeniedException',
        `User: arn:aws:iam::${accountId}:user/backup is not authorized to perform: kms:${op} on resource: ${key.arn} because no identity-based policy allows the kms:${op} action`,
      );
    if (!key.enabled) throw new KmsFault('DisabledException', `${key.arn} is disabled.`);
    if (key.usage !== 'ENCRYPT_DECRYPT')
      throw new KmsFault(
        'InvalidKeyUsageException',
        `${key.arn} key usage is SIGN_VERIFY which is not valid for ${op}.`,
      );
  };

  const aadOf = (ctx: unknown): Buffer => {
    if (ctx === undefined || ctx === null) return Buffer.alloc(0);
    if (typeof ctx !== 'object')
      throw new KmsFault('ValidationException', 'EncryptionContext must be a map');
    const entries = Object.entries(ctx as Record<string, unknown>).sort(([a], [b]) =>
      a < b ? -1 : a > b ? 1 : 0,
    );
    return Buffer.from(JSON.stringify(entries));
  };

  const b64 = (v: unknown, field: string): Buffer => {
    if (typeof v !== 'string')
      throw new KmsFault(
        'ValidationException',
        `1 validation error detected: ${field} must not be null`,
      );
    return Buffer.from(v, 'base64');
  };

  const encrypt = (body: Record<string, unknown>): unknown => {
    const key = resolve(body.KeyId);
    usable(key, 'Encrypt');
    if (body.EncryptionAlgorithm !== undefined && body.EncryptionAlgorithm !== 'SYMMETRIC_DEFAULT')
      throw new KmsFault(
        'InvalidKeyUsageException',
        `The encryption algorithm ${String(body.EncryptionAlgorithm)} is not valid for this key.`,
      );
    const plaintext = b64(body.Plaintext, 'plaintext');
    if (plaintext.length < 1 || plaintext.length > 4096)
      throw new KmsFault(
        'ValidationException',
        "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length between 1 and 4096",
      );
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key.material, iv);
    c.setAAD(aadOf(body.EncryptionContext));
    const ct = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
    const arn = Buffer.from(key.arn);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(arn.length);
    const blob = Buffer.concat([MAGIC, len, arn, iv, ct]);
    return {
      CiphertextBlob: blob.toString('base64'),
      KeyId: key.arn,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    };
  };

  const decrypt = (body: Record<string, unknown>): unknown => {
    const blob = b64(body.CiphertextBlob, 'ciphertextBlob');
    const invalid = new KmsFault('InvalidCiphertextException', '');
    if (blob.length < MAGIC.length + 2 + 12 + 16 || !blob.subarray(0, MAGIC.length).equals(MAGIC))
      throw invalid;
    const len = blob.readUInt16BE(MAGIC.length);
    const arnEnd = MAGIC.length + 2 + len;
    if (blob.length < arnEnd + 12 + 16) throw invalid;
    const arn = blob.subarray(MAGIC.length + 2, arnEnd).toString();
    const keyId = /:key\/(.+)$/.exec(arn)?.[1];
    const key = keyId ? keys.get(keyId) : undefined;
    if (!key) throw invalid;
    if (body.KeyId !== undefined) {
      const wanted = resolve(body.KeyId);
      if (wanted.id !== key.id)
        throw new KmsFault(
          'IncorrectKeyException',
          'The key ID in the request does not identify a KMS key that can perform this operation.',
        );
    }
    usable(key, 'Decrypt');
    const iv = blob.subarray(arnEnd, arnEnd + 12);
    const ct = blob.subarray(arnEnd + 12, blob.length - 16);
    const tag = blob.subarray(blob.length - 16);
    try {
      const d = createDecipheriv('aes-256-gcm', key.material, iv);
      d.setAAD(aadOf(body.EncryptionContext));
      d.setAuthTag(tag);
      const pt = Buffer.concat([d.update(ct), d.final()]);
      return {
        KeyId: key.arn,
        Plaintext: pt.toString('base64'),
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      };
    } catch {
      throw invalid;
    }
  };

  const describeKey = (body: Record<string, unknown>): unknown => {
    const key = resolve(body.KeyId);
    if (key.deny)
      throw new KmsFault(
        'AccessDeniedException',
        `User: arn:aws:iam::${accountId}:user/backup is not authorized to perform: kms:DescribeKey on resource: ${key.arn} because no identity-based policy allows the kms:DescribeKey action`,
      );
    return {
      KeyMetadata: {
        AWSAccountId: accountId,
        KeyId: key.id,
        Arn: key.arn,
        CreationDate: 1_700_000_000,
        Enabled: key.enabled,
        Description: '',
        KeyUsage: key.usage,
        KeyState: key.enabled ? 'Enabled' : 'Disabled',
        Origin: 'AWS_KMS',
        KeyManager: 'CUSTOMER',
        KeySpec: key.usage === 'ENCRYPT_DECRYPT' ? 'SYMMETRIC_DEFAULT' : 'RSA_2048',
        MultiRegion: false,
      },
    };
  };

  const handler = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void => {
    try {
      if (req.method !== 'POST' || req.url !== '/')
        throw new KmsFault('UnknownOperationException', '', 404);
      verifySigV4(req, body, region, credentials);
      const target = String(req.headers['x-amz-target'] ?? '');
      if (req.headers['content-type'] !== 'application/x-amz-json-1.1')
        throw new KmsFault('SerializationException', 'Unsupported content type');
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body.toString('utf8')) as Record<string, unknown>;
      } catch {
        throw new KmsFault(
          'SerializationException',
          'Start of structure or map found where not expected.',
        );
      }
      let out: unknown;
      if (target === 'TrentService.Encrypt') out = encrypt(parsed);
      else if (target === 'TrentService.Decrypt') out = decrypt(parsed);
      else if (target === 'TrentService.DescribeKey') out = describeKey(parsed);
      else throw new KmsFault('UnknownOperationException', '');
      sendJson(res, 200, out, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
    } catch (e) {
      if (!(e instanceof KmsFault)) throw e;
      const payload: Record<string, string> = { __type: e.type };
      if (e.message) payload.message = e.message;
      sendJson(res, e.status, payload, {
        'content-type': 'application/x-amz-json-1.1',
        'x-amzn-requestid': randomUUID(),
      });
    }
  };

  const control = await startLoopback({
    handler,
    throttled: (_req, res) =>
      sendJson(
        res,
        400,
        { __type: 'ThrottlingException', message: 'Rate exceeded' },
        { 'content-type': 'application/x-amz-json-1.1' },
      ),
  });

  const createKey: AwsKmsEmulator['createKey'] = (o = {}) => {
    const id = randomUUID();
    const arn = `arn:aws:kms:${region}:${accountId}:key/${id}`;
    keys.set(id, {
      id,
      arn,
      material: randomBytes(32),
      usage: o.usage ?? 'ENCRYPT_DECRYPT',
      enabled: o.enabled ?? true,
      deny: o.deny ?? false,
    });
    return { keyId: id, arn };
  };

  return Object.assign(control, {
    region,
    accountId,
    credentials,
    createKey,
    createAlias(aliasName: string, keyId: string) {
      if (!keys.has(keyId)) throw new Error(`no key ${keyId}`);
      aliases.set(aliasName.startsWith('alias/') ? aliasName : `alias/${aliasName}`, keyId);
    },
    setKeyEnabled(keyId: string, enabled: boolean) {
      const k = keys.get(keyId);
      if (!k) throw new Error(`no key ${keyId}`);
      k.enabled = enabled;
    },
  });
}

const sha256hex = (data: Buffer | string): string =>
  createHash('sha256').update(data).digest('hex');
const hmac = (key: Buffer | string, data: string): Buffer =>
  createHmac('sha256', key).update(data).digest();

/** Verifies an AWS Signature Version 4 `Authorization` header; throws the service's error types. */
function verifySigV4(
  req: http.IncomingMessage,
  body: Buffer,
  region: string,
  creds: { accessKeyId: string; secretAccessKey: string },
): void {
  const auth = req.headers.authorization;
  if (!auth)
    throw new KmsFault('MissingAuthenticationTokenException', 'Missing Authentication Token');
  const m =
    /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/([^/]+)\/aws4_request, ?SignedHeaders=([^,]+), ?Signature=([0-9a-f]{64})$/.exec(
      auth,
    );
  if (!m)
    throw new KmsFault(
      'IncompleteSignatureException',
      'Authorization header requires Credential, SignedHeaders and Signature.',
    );
  const [, akid, date, scopeRegion, service, signedHeaders, signature] = m as unknown as [
    string,
    string,
    string,
    string,
    string,
    string,
    string,
  ];
  if (akid !== creds.accessKeyId)
    throw new KmsFault(
      'UnrecognizedClientException',
      'The security token included in the request is invalid.',
    );
  if (service !== 'kms' || scopeRegion !== region)
    throw new KmsFault(
      'InvalidSignatureException',
      `Credential should be scoped to a valid region, not '${scopeRegion}'.`,
    );
  const amzDate = String(req.headers['x-amz-date'] ?? '');
  if (!/^\d{8}T\d{6}Z$/.test(amzDate) || amzDate.slice(0, 8) !== date)
    throw new KmsFault(
      'IncompleteSignatureException',
      'Date must be in ISO-8601 basic format and match the credential scope.',
    );
  const t = Date.UTC(
    +amzDate.slice(0, 4),
    +amzDate.slice(4, 6) - 1,
    +amzDate.slice(6, 8),
    +amzDate.slice(9, 11),
    +amzDate.slice(11, 13),
    +amzDate.slice(13, 15),
  );
  if (Math.abs(Date.now() - t) > 15 * 60_000)
    throw new KmsFault('InvalidSignatureException', 'Signature expired.');
  const bodyHash = sha256hex(body);
  const claimed = req.headers['x-amz-content-sha256'];
  if (claimed !== undefined && claimed !== bodyHash)
    throw new KmsFault(
      'InvalidSignatureException',
      'The provided x-amz-content-sha256 header does not match.',
    );
  const names = signedHeaders.split(';');
  if (!names.includes('host'))
    throw new KmsFault('InvalidSignatureException', 'host must be a signed header.');
  const canonicalHeaders = names
    .map((n) => {
      const v = req.headers[n];
      const value = Array.isArray(v) ? v.join(',') : (v ?? '');
      return `${n}:${value.trim().replace(/\s+/g, ' ')}\n`;
    })
    .join('');
  const [path, query = ''] = (req.url ?? '/').split('?') as [string, string?];
  const canonicalQuery = query.split('&').filter(Boolean).sort().join('&');
  const canonicalRequest = [
    req.method,
    path,
    canonicalQuery,
    canonicalHeaders,
    signedHeaders,
    bodyHash,
  ].join('\n');
  const scope = `${date}/${scopeRegion}/${service}/aws4_request`;
  const stringToSign = ['AWS4-HMAC-SHA256', amzDate, scope, sha256hex(canonicalRequest)].join('\n');
  const kDate = hmac(`AWS4${creds.secretAccessKey}`, date);
  const kSigning = hmac(hmac(hmac(kDate, scopeRegion), service), 'aws4_request');
  const expected = createHmac('sha256', kSigning).update(stringToSign).digest();
  if (!timingSafeEqual(expected, Buffer.from(signature, 'hex')))
    throw new KmsFault(
      'InvalidSignatureException',
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.',
    );
}
