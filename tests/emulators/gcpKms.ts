/**
 * Google Cloud KMS emulator on loopback, REST front end (the JSON transcoding of
 * google.cloud.kms.v1.KeyManagementService that @google-cloud/kms speaks with `fallback: true`).
 * It verifies the service account's self-signed JWT (RS256, by `kid`), checks and computes the
 * CRC32C integrity fields, binds additionalAuthenticatedData as AAD, and answers errors as
 * `{"error":{code,message,status}}` like the real service.
 */
import {
  createCipheriv,
  createDecipheriv,
  generateKeyPairSync,
  randomBytes,
  randomUUID,
  verify,
} from 'node:crypto';
import type http from 'node:http';
import { crc32c } from './crc32c.ts';
import { type EmulatorControl, sendJson, startLoopback } from './loopbackServer.ts';

export interface ServiceAccountKey {
  type: 'service_account';
  project_id: string;
  private_key_id: string;
  private_key: string;
  client_email: string;
  client_id: string;
  token_uri: string;
}

export interface GcpKmsEmulator extends EmulatorControl {
  readonly project: string;
  /** A service account key the emulator trusts, as the JSON file Google issues. */
  readonly serviceAccount: ServiceAccountKey;
  /** The same JSON, base64-encoded, as the URI's CREDENTIALS parameter carries it. */
  readonly credentialsB64: string;
  /** Both forms together (the `credentials` every emulator exposes). */
  readonly credentials: { serviceAccount: ServiceAccountKey; base64: string };
  /** Creates a key; `purpose: 'ASYMMETRIC_SIGN'` makes a key of another purpose. Returns its CryptoKey name. */
  createKey(opts?: {
    ring?: string;
    purpose?: 'ENCRYPT_DECRYPT' | 'ASYMMETRIC_SIGN';
    deny?: boolean;
    location?: string;
  }): string;
  /** A service account key the emulator does NOT trust (for wrong-credential tests). */
  untrustedServiceAccount(): ServiceAccountKey;
}

interface Key {
  name: string;
  material: Buffer;
  purpose: 'ENCRYPT_DECRYPT' | 'ASYMMETRIC_SIGN';
  deny: boolean;
}

const STATUS: Record<number, string> = {
  400: 'INVALID_ARGUMENT',
  401: 'UNAUTHENTICATED',
  403: 'PERMISSION_DENIED',
  404: 'NOT_FOUND',
  429: 'RESOURCE_EXHAUSTED',
};

class GcpFault extends Error {
  constructor(
    readonly httpStatus: number,
    message: string,
    readonly status = STATUS[httpStatus] ?? 'UNKNOWN',
  ) {
    super(message);
  }
}

const MAGIC = Buffer.from('GKMS1');

function makeServiceAccount(
  project: string,
  name: string,
): { sa: ServiceAccountKey; publicKey: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return {
    publicKey: publicKey.export({ type: 'spki', format: 'pem' }) as string,
    sa: {
      type: 'service_account',
      project_id: project,
      private_key_id: randomBytes(20).toString('hex'),
      private_key: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
      client_email: `${name}@${project}.iam.gserviceaccount.com`,
      client_id: String(100000000000000000000n + BigInt(`0x${randomBytes(8).toString('hex')}`)),
      token_uri: 'https://oauth2.googleapis.com/token',
    },
  };
}

/** Starts the emulator on 127.0.0.1 with a random port. */
export async function startGcpKms(opts: { project?: string } = {}): Promise<GcpKmsEmulator> {
  const project = opts.project ?? 'sealstream-test';
  const trusted = makeServiceAccount(project, 'backup');
  const publicKeys = new Map([
    [trusted.sa.private_key_id, { email: trusted.sa.client_email, pem: trusted.publicKey }],
  ]);
  const keys = new Map<string, Key>();

  const verifyJwt = (req: http.IncomingMessage): void => {
    const unauth = new GcpFault(
      401,
      'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
    );
    const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
    if (!m) throw unauth;
    const parts = (m[1] as string).split('.');
    if (parts.length !== 3) throw unauth;
    const [h, p, s] = parts as [string, string, string];
    let header: { alg?: string; kid?: string };
    let payload: {
      iss?: string;
      sub?: string;
      exp?: number;
      iat?: number;
      aud?: string;
      scope?: string;
    };
    try {
      header = JSON.parse(Buffer.from(h, 'base64url').toString());
      payload = JSON.parse(Buffer.from(p, 'base64url').toString());
    } catch {
      throw unauth;
    }
    const pk = header.kid ? publicKeys.get(header.kid) : undefined;
    if (header.alg !== 'RS256' || !pk) throw unauth;
    if (!verify('RSA-SHA256', Buffer.from(`${h}.${p}`), pk.pem, Buffer.from(s, 'base64url')))
      throw unauth;
    const now = Date.now() / 1000;
    if (payload.iss !== pk.email || payload.sub !== pk.email) throw unauth;
    if (typeof payload.exp !== 'number' || payload.exp < now - 60 || (payload.iat ?? 0) > now + 300)
      throw unauth;
    const audOk =
      payload.aud === 'https://cloudkms.googleapis.com/' ||
      (typeof payload.aud === 'string' &&
        payload.aud.endsWith('/google.cloud.kms.v1.KeyManagementService')) ||
      (typeof payload.scope === 'string' &&
        payload.scope
          .split(' ')
          .some((x) => x.endsWith('/cloud-platform') || x.endsWith('/cloudkms')));
    if (!audOk) throw unauth;
  };

  const getKey = (name: string, permission: string): Key => {
    const key = keys.get(name);
    if (!key || key.deny)
      throw new GcpFault(
        403,
        `Permission '${permission}' denied on resource '${name}' (or it may not exist).`,
      );
    if (key.purpose !== 'ENCRYPT_DECRYPT')
      throw new GcpFault(
        400,
        `${name}/cryptoKeyVersions/1 is not a symmetric key: operation requires purpose ENCRYPT_DECRYPT, key purpose is ${key.purpose}.`,
        'FAILED_PRECONDITION',
      );
    return key;
  };

  const bytesField = (
    body: Record<string, unknown>,
    field: string,
    required: boolean,
  ): Buffer | undefined => {
    const v = body[field];
    if (v === undefined || v === null || v === '') {
      if (required) throw new GcpFault(400, `${field} is required.`);
      return undefined;
    }
    if (typeof v !== 'string') throw new GcpFault(400, `Invalid value at '${field}' (TYPE_BYTES)`);
    return Buffer.from(v, 'base64');
  };

  const checkCrc = (
    body: Record<string, unknown>,
    field: string,
    data: Buffer | undefined,
    crcField: string,
  ): boolean => {
    const claimed = body[crcField];
    if (claimed === undefined || claimed === null) return false;
    const n = typeof claimed === 'object' ? (claimed as { value?: unknown }).value : claimed;
    if (String(n) !== String(crc32c(data ?? Buffer.alloc(0))))
      throw new GcpFault(
        400,
        `The checksum in field ${crcField} did not match the data in field ${field}.`,
      );
    return true;
  };

  const encrypt = (name: string, body: Record<string, unknown>): unknown => {
    const key = getKey(name, 'cloudkms.cryptoKeyVersions.useToEncrypt');
    const plaintext = bytesField(body, 'plaintext', true) as Buffer;
    if (plaintext.length > 64 * 1024)
      throw new GcpFault(400, 'The plaintext exceeds the maximum size of 65536 bytes.');
    const aad = bytesField(body, 'additionalAuthenticatedData', false);
    const verifiedPlaintext = checkCrc(body, 'plaintext', plaintext, 'plaintextCrc32c');
    const verifiedAad = checkCrc(
      body,
      'additional_authenticated_data',
      aad,
      'additionalAuthenticatedDataCrc32c',
    );
    const version = `${key.name}/cryptoKeyVersions/1`;
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key.material, iv);
    c.setAAD(aad ?? Buffer.alloc(0));
    const ct = Buffer.concat([c.update(plaintext), c.final(), c.getAuthTag()]);
    const v = Buffer.from(version);
    const len = Buffer.alloc(2);
    len.writeUInt16BE(v.length);
    const blob = Buffer.concat([MAGIC, len, v, iv, ct]);
    return {
      name: version,
      ciphertext: blob.toString('base64'),
      ciphertextCrc32c: String(crc32c(blob)),
      verifiedPlaintextCrc32c: verifiedPlaintext,
      verifiedAdditionalAuthenticatedDataCrc32c: verifiedAad,
      protectionLevel: 1,
    };
  };

  const decrypt = (name: string, body: Record<string, unknown>): unknown => {
    const key = getKey(name, 'cloudkms.cryptoKeyVersions.useToDecrypt');
    const blob = bytesField(body, 'ciphertext', true) as Buffer;
    const aad = bytesField(body, 'additionalAuthenticatedData', false);
    checkCrc(body, 'ciphertext', blob, 'ciphertextCrc32c');
    checkCrc(body, 'additional_authenticated_data', aad, 'additionalAuthenticatedDataCrc32c');
    const failed = new GcpFault(
      400,
      "Decryption failed: verify that 'name' refers to the correct CryptoKey.",
    );
    if (blob.length < MAGIC.length + 2 + 12 + 16 || !blob.subarray(0, MAGIC.length).equals(MAGIC))
      throw failed;
    const len = blob.readUInt16BE(MAGIC.length);
    const end = MAGIC.length + 2 + len;
    if (blob.length < end + 28) throw failed;
    const version = blob.subarray(MAGIC.length + 2, end).toString();
    if (!version.startsWith(`${key.name}/cryptoKeyVersions/`)) throw failed;
    try {
      const d = createDecipheriv('aes-256-gcm', key.material, blob.subarray(end, end + 12));
      d.setAAD(aad ?? Buffer.alloc(0));
      d.setAuthTag(blob.subarray(blob.length - 16));
      const pt = Buffer.concat([d.update(blob.subarray(end + 12, blob.length - 16)), d.final()]);
      return {
        plaintext: pt.toString('base64'),
        plaintextCrc32c: String(crc32c(pt)),
        usedPrimary: true,
        protectionLevel: 1,
      };
    } catch {
      throw failed;
    }
  };

  const handler = (req: http.IncomingMessage, body: Buffer, res: http.ServerResponse): void => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const m =
        /^\/v1\/(projects\/[^/]+\/locations\/[^/]+\/keyRings\/[^/]+\/cryptoKeys\/[^/:]+):(encrypt|decrypt)$/.exec(
          decodeURIComponent(url.pathname),
        );
      if (req.method !== 'POST' || !m)
        throw new GcpFault(404, `The requested URL ${url.pathname} was not found on this server.`);
      verifyJwt(req);
      let parsed: Record<string, unknown>;
      try {
        parsed = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
      } catch {
        throw new GcpFault(400, 'Invalid JSON payload received.');
      }
      const out =
        m[2] === 'encrypt' ? encrypt(m[1] as string, parsed) : decrypt(m[1] as string, parsed);
      sendJson(res, 200, out);
    } catch (e) {
      if (!(e instanceof GcpFault)) throw e;
      sendJson(res, e.httpStatus, {
        error: { code: e.httpStatus, message: e.message, status: e.status },
      });
    }
  };

  const control = await startLoopback({
    handler,
    throttled: (_req, res) =>
      sendJson(res, 429, {
        error: {
          code: 429,
          message:
            "Quota exceeded for quota metric 'Cryptographic requests' and limit 'Cryptographic requests per minute' of service 'cloudkms.googleapis.com'.",
          status: 'RESOURCE_EXHAUSTED',
        },
      }),
  });

  return Object.assign(control, {
    project,
    serviceAccount: trusted.sa,
    credentialsB64: Buffer.from(JSON.stringify(trusted.sa)).toString('base64'),
    credentials: {
      serviceAccount: trusted.sa,
      base64: Buffer.from(JSON.stringify(trusted.sa)).toString('base64'),
    },
    createKey(
      o: {
        ring?: string;
        purpose?: 'ENCRYPT_DECRYPT' | 'ASYMMETRIC_SIGN';
        deny?: boolean;
        location?: string;
      } = {},
    ) {
      const name = `projects/${project}/locations/${o.location ?? 'global'}/keyRings/${o.ring ?? 'backups'}/cryptoKeys/key-${randomUUID().slice(0, 8)}`;
      keys.set(name, {
        name,
        material: randomBytes(32),
        purpose: o.purpose ?? 'ENCRYPT_DECRYPT',
        deny: o.deny ?? false,
      });
      return name;
    },
    untrustedServiceAccount() {
      return makeServiceAccount(project, 'intruder').sa;
    },
  });
}
