/**
 * A throwaway self-signed TLS certificate for the HTTPS emulators, made at test time with the
 * openssl CLI (node:crypto cannot issue X.509 certificates). SAN covers 127.0.0.1 and localhost.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface TlsCert {
  /** PEM private key. */
  key: string;
  /** PEM certificate; also the CA to trust. */
  cert: string;
}

let cached: TlsCert | undefined;

/** Returns a self-signed certificate for 127.0.0.1/localhost (made once per process). */
export function selfSignedCert(): TlsCert {
  if (cached) return cached;
  const dir = mkdtempSync(join(tmpdir(), 'sealstream-tls-'));
  try {
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'ec',
        '-pkeyopt',
        'ec_paramgen_curve:prime256v1',
        '-nodes',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
        '-days',
        '2',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1,DNS:localhost',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    cached = {
      key: readFileSync(join(dir, 'key.pem'), 'utf8'),
      cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
    };
    return cached;
  } catch (e) {
    throw new Error(
      `cannot make a self-signed certificate with the openssl CLI (install openssl): ${(e as Error).message}`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
