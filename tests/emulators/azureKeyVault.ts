/**
 * Azure Key Vault emulator on loopback, over HTTPS with a self-signed certificate made at test
 * time, plus a Microsoft Entra ID (AAD) authority on a second HTTPS port. It speaks what the
 * unmodified @azure/keyvault-keys CryptographyClient and @azure/identity ClientSecretCredential
 * send: the unauthenticated first request answered with a Bearer challenge, OpenID discovery, the
 * client-credentials token endpoint (client secret checked), then GET key / wrapkey / unwrapkey /
 * sign / verify with the issued bearer token. Keys are RSA-2048 doing RSA-OAEP-256 and RS256
 * (RSASSA-PKCS1-v1_5 with SHA-256, over the digest the client sends) in the emulator, or EC keys
 * that refuse to wrap.
 */
import {
  constants,
  generateKeyPairSync,
  type KeyObject,
  privateDecrypt,
  privateEncrypt,
  publicDecrypt,
  publicEncrypt,
  randomBytes,
  randomUUID,
} from 'node:crypto';
import type http from 'node:http';
import { type EmulatorControl, sendJson, startLoopback } from './loopbackServer.ts';
import { selfSignedCert } from './tlsCert.ts';

/** The DER DigestInfo prefix of a SHA-256 digest (RFC 8017 §9.2, note 1). */
const SHA256_DIGEST_INFO = Buffer.from('3031300d060960864801650304020105000420', 'hex');

export interface AzureKeyVaultEmulator extends EmulatorControl {
  /** The vault's base URL (`https://127.0.0.1:P`), for AZURE_VAULT_URL. */
  readonly vaultUrl: string;
  /** The authority host (`https://127.0.0.1:P2`), for AZURE_AUTHORITY_HOST. */
  readonly authorityHost: string;
  /** PEM of the self-signed certificate both servers use (the CA to trust). */
  readonly ca: string;
  readonly credentials: { tenantId: string; clientId: string; clientSecret: string };
  /** Creates a key; returns its name and version. `kty: 'EC'` makes a key that cannot wrap. */
  createKey(opts?: { kty?: 'RSA' | 'EC'; deny?: boolean }): {
    name: string;
    version: string;
    kid: string;
    /** The key's public half (what anyone may be given). */
    publicKey: KeyObject;
  };
  /** Number of tokens the authority issued. */
  readonly tokensIssued: number;
}

interface Key {
  name: string;
  version: string;
  kty: 'RSA' | 'EC';
  privateKey: KeyObject;
  publicKey: KeyObject;
  deny: boolean;
}

const API_RESOURCE = 'https://vault.azure.net';

/** Starts the vault and the authority on 127.0.0.1 with random ports. */
export async function startAzureKeyVault(): Promise<AzureKeyVaultEmulator> {
  const tls = selfSignedCert();
  const credentials = {
    tenantId: randomUUID(),
    clientId: randomUUID(),
    clientSecret: `${randomBytes(4).toString('hex')}~${randomBytes(24).toString('base64url')}`,
  };
  const tokens = new Set<string>();
  const keys = new Map<string, Key>();
  let tokensIssued = 0;
  let authorityUrl = '';

  const authority = await startLoopback({
    tls,
    throttled: (_req, res) => sendJson(res, 429, { error: 'temporarily_unavailable' }),
    handler: (req, body, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      const parts = url.pathname.split('/').filter(Boolean);
      const tenant = parts[0];
      if (tenant !== credentials.tenantId) {
        sendJson(res, 400, {
          error: 'invalid_tenant',
          error_description: `AADSTS90002: Tenant '${tenant}' not found.`,
          error_codes: [90002],
        });
        return;
      }
      const base = `${authorityUrl}/${tenant}`;
      if (
        req.method === 'GET' &&
        url.pathname === `/${tenant}/v2.0/.well-known/openid-configuration`
      ) {
        sendJson(res, 200, {
          token_endpoint: `${base}/oauth2/v2.0/token`,
          token_endpoint_auth_methods_supported: [
            'client_secret_post',
            'private_key_jwt',
            'client_secret_basic',
          ],
          jwks_uri: `${base}/discovery/v2.0/keys`,
          response_modes_supported: ['query', 'fragment', 'form_post'],
          subject_types_supported: ['pairwise'],
          id_token_signing_alg_values_supported: ['RS256'],
          response_types_supported: ['code', 'id_token', 'code id_token', 'id_token token'],
          scopes_supported: ['openid', 'profile', 'email', 'offline_access'],
          issuer: `${base}/v2.0`,
          request_uri_parameter_supported: false,
          userinfo_endpoint: `${base}/openid/userinfo`,
          authorization_endpoint: `${base}/oauth2/v2.0/authorize`,
          device_authorization_endpoint: `${base}/oauth2/v2.0/devicecode`,
          http_logout_supported: true,
          frontchannel_logout_supported: true,
          end_session_endpoint: `${base}/oauth2/v2.0/logout`,
          claims_supported: ['sub', 'iss', 'aud', 'exp', 'iat', 'nonce'],
          kerberos_endpoint: `${base}/kerberos`,
          tenant_region_scope: 'EU',
          cloud_instance_name: 'microsoftonline.com',
          cloud_graph_host_name: 'graph.windows.net',
          msgraph_host: 'graph.microsoft.com',
          rbac_url: 'https://pas.windows.net',
        });
        return;
      }
      if (req.method === 'POST' && url.pathname === `/${tenant}/oauth2/v2.0/token`) {
        const form = new URLSearchParams(body.toString('utf8'));
        if (
          form.get('grant_type') !== 'client_credentials' ||
          !(form.get('scope') ?? '').split(' ').includes(`${API_RESOURCE}/.default`)
        ) {
          sendJson(res, 400, {
            error: 'invalid_request',
            error_description: 'AADSTS900144: unsupported grant or scope.',
            error_codes: [900144],
          });
          return;
        }
        if (form.get('client_id') !== credentials.clientId) {
          sendJson(res, 400, {
            error: 'unauthorized_client',
            error_description: `AADSTS700016: Application with identifier '${form.get('client_id')}' was not found in the directory.`,
            error_codes: [700016],
          });
          return;
        }
        if (form.get('client_secret') !== credentials.clientSecret) {
          sendJson(res, 401, {
            error: 'invalid_client',
            error_description: `AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value, not the client secret ID, for a secret added to app '${credentials.clientId}'.`,
            error_codes: [7000215],
          });
          return;
        }
        const token = randomBytes(32).toString('base64url');
        tokens.add(token);
        tokensIssued++;
        sendJson(res, 200, {
          token_type: 'Bearer',
          expires_in: 3599,
          ext_expires_in: 3599,
          access_token: token,
        });
        return;
      }
      sendJson(res, 404, { error: 'not_found' });
    },
  });
  authorityUrl = authority.url;

  const kvError = (
    res: http.ServerResponse,
    status: number,
    code: string,
    message: string,
    extra: Record<string, unknown> = {},
  ): void => sendJson(res, status, { error: { code, message, ...extra } });

  const challenge = (res: http.ServerResponse): void => {
    res.writeHead(401, {
      'www-authenticate': `Bearer authorization="${authorityUrl}/${credentials.tenantId}", resource="${API_RESOURCE}"`,
      'content-type': 'application/json',
    });
    res.end(
      JSON.stringify({
        error: {
          code: 'Unauthorized',
          message: 'AKV10000: Request is missing a Bearer or PoP token.',
        },
      }),
    );
  };

  const bundle = (k: Key, vaultUrl: string): unknown => {
    const jwk = k.publicKey.export({ format: 'jwk' }) as Record<string, string>;
    const kid = `${vaultUrl}/keys/${k.name}/${k.version}`;
    const key =
      k.kty === 'RSA'
        ? {
            kid,
            kty: 'RSA',
            key_ops: ['encrypt', 'decrypt', 'wrapKey', 'unwrapKey', 'sign', 'verify'],
            n: jwk.n,
            e: jwk.e,
          }
        : { kid, kty: 'EC', key_ops: ['sign', 'verify'], crv: 'P-256', x: jwk.x, y: jwk.y };
    const now = Math.floor(Date.now() / 1000);
    return {
      key,
      attributes: {
        enabled: true,
        created: now,
        updated: now,
        recoveryLevel: 'Recoverable+Purgeable',
        recoverableDays: 90,
      },
    };
  };

  let vaultUrl = '';
  const vault = await startLoopback({
    tls,
    throttled: (_req, res) =>
      sendJson(
        res,
        429,
        {
          error: {
            code: 'Throttled',
            message:
              'Request was not processed because too many requests were received. Reason: VaultRequestTypeLimitReached',
          },
        },
        { 'retry-after': '1' },
      ),
    handler: (req, body, res) => {
      const url = new URL(req.url ?? '/', 'https://127.0.0.1');
      if (!url.searchParams.get('api-version'))
        return kvError(
          res,
          400,
          'BadParameter',
          'The request URI contains an invalid or missing api-version.',
        );
      const m = /^Bearer (.+)$/.exec(String(req.headers.authorization ?? ''));
      if (!m) return challenge(res);
      if (!tokens.has(m[1] as string)) return challenge(res);
      const path = /^\/keys\/([\w-]+)\/([0-9a-f]{32})(\/(wrapkey|unwrapkey|sign|verify))?$/.exec(
        url.pathname,
      );
      if (!path)
        return kvError(
          res,
          404,
          'NotFound',
          `The requested resource ${url.pathname} was not found.`,
        );
      const k = keys.get(`${path[1]}/${path[2]}`);
      if (!k)
        return kvError(
          res,
          404,
          'KeyNotFound',
          `A key with (name/id) ${path[1]}/${path[2]} was not found in this key vault.`,
        );
      if (k.deny)
        return kvError(
          res,
          403,
          'Forbidden',
          `Caller is not authorized to perform action on resource. Action: 'Microsoft.KeyVault/vaults/keys/${path[4] ?? 'read'}/action'`,
          {
            innererror: { code: 'ForbiddenByRbac' },
          },
        );
      const op = path[4];
      if (req.method === 'GET' && !op) return sendJson(res, 200, bundle(k, vaultUrl));
      if (req.method !== 'POST' || !op)
        return kvError(res, 405, 'MethodNotAllowed', 'Method not allowed.');
      let parsed: { alg?: string; value?: string; digest?: string };
      try {
        parsed = JSON.parse(body.toString('utf8')) as typeof parsed;
      } catch {
        return kvError(res, 400, 'BadParameter', 'Request body is not valid JSON.');
      }
      if (typeof parsed.value !== 'string' || !/^[A-Za-z0-9_-]*$/.test(parsed.value))
        return kvError(res, 400, 'BadParameter', 'Property value is not a valid base64url string.');
      if (k.kty !== 'RSA')
        return kvError(
          res,
          400,
          'BadParameter',
          `Key ${k.name} has kty EC; operation ${op} is not allowed with this key type.`,
        );
      const kid = `${vaultUrl}/keys/${k.name}/${k.version}`;
      if (op === 'sign' || op === 'verify') {
        if (parsed.alg !== 'RS256')
          return kvError(
            res,
            400,
            'BadParameter',
            `Invalid algorithm ${String(parsed.alg)} for ${op}.`,
          );
        const digest = Buffer.from(
          op === 'sign' ? parsed.value : String(parsed.digest),
          'base64url',
        );
        if (digest.length !== 32)
          return kvError(res, 400, 'BadParameter', 'The digest must be 32 bytes for RS256.');
        // RSASSA-PKCS1-v1_5: the private-key operation over EMSA-PKCS1-v1_5(DigestInfo ‖ digest).
        const encoded = Buffer.concat([SHA256_DIGEST_INFO, digest]);
        if (op === 'sign') {
          const signature = privateEncrypt(
            { key: k.privateKey, padding: constants.RSA_PKCS1_PADDING },
            encoded,
          );
          return sendJson(res, 200, { kid, value: signature.toString('base64url') });
        }
        let valid = false;
        try {
          const got = publicDecrypt(
            { key: k.publicKey, padding: constants.RSA_PKCS1_PADDING },
            Buffer.from(parsed.value, 'base64url'),
          );
          valid = got.equals(encoded);
        } catch {
          valid = false;
        }
        return sendJson(res, 200, { value: valid });
      }
      if (parsed.alg !== 'RSA-OAEP-256' && parsed.alg !== 'RSA-OAEP')
        return kvError(
          res,
          400,
          'BadParameter',
          `Invalid algorithm ${String(parsed.alg)} for ${op}.`,
        );
      const oaepHash = parsed.alg === 'RSA-OAEP-256' ? 'sha256' : 'sha1';
      const input = Buffer.from(parsed.value, 'base64url');
      try {
        const out =
          op === 'wrapkey'
            ? publicEncrypt(
                { key: k.publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
                input,
              )
            : privateDecrypt(
                { key: k.privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
                input,
              );
        return sendJson(res, 200, { kid, value: out.toString('base64url') });
      } catch {
        return kvError(
          res,
          400,
          'BadParameter',
          'Bad Request: the ciphertext could not be decrypted with this key.',
        );
      }
    },
  });
  vaultUrl = vault.url;

  const stopVault = vault.stop;
  const emu = Object.assign(vault, {
    vaultUrl,
    authorityHost: authorityUrl,
    ca: tls.cert,
    credentials,
    tokensIssued: 0,
    createKey(o: { kty?: 'RSA' | 'EC'; deny?: boolean } = {}) {
      const kty = o.kty ?? 'RSA';
      const pair =
        kty === 'RSA'
          ? generateKeyPairSync('rsa', { modulusLength: 2048 })
          : generateKeyPairSync('ec', { namedCurve: 'P-256' });
      const name = `backup-${randomBytes(4).toString('hex')}`;
      const version = randomBytes(16).toString('hex');
      keys.set(`${name}/${version}`, {
        name,
        version,
        kty,
        privateKey: pair.privateKey,
        publicKey: pair.publicKey,
        deny: o.deny ?? false,
      });
      return {
        name,
        version,
        kid: `${vaultUrl}/keys/${name}/${version}`,
        publicKey: pair.publicKey,
      };
    },
    async stop() {
      await stopVault();
      await authority.stop();
    },
  });
  Object.defineProperty(emu, 'tokensIssued', { get: () => tokensIssued });
  return emu;
}
