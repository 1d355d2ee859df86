import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { credentialSecrets, fuzz, uriOf } from '../../../tests/src/fuzz/uriFuzz.ts';
import { checkStorageParams } from './checkStorageParams.ts';
import { memoryStorage } from './memoryStorage.ts';
import { parseEndpoint } from './parseEndpoint.ts';
import { HARMLESS_STORAGE_PARAMS, redactStorageUri } from './redactStorageUri.ts';
import {
  hasScheme,
  openStorage,
  registerStorageDriver,
  unregisterStorageDriver,
} from './registry.ts';
import { StorageError } from './StorageError.ts';

// Fuzz target (docs/FUZZING.md): URIs of words, noise and secrets (tests/src/fuzz/uriFuzz.ts).
const HARMLESS = new Set(HARMLESS_STORAGE_PARAMS);
const schemes = fc.oneof(
  fc.constantFrom('s3', 'S3', 'gs', 'azure-blob', 'file', 'fuzz-store'),
  fc.stringMatching(/^[a-z][a-z0-9+.-]{0,6}$/),
);

describe('storage URI fuzz', () => {
  beforeAll(() => {
    registerStorageDriver('fuzz-store', async (url) => {
      checkStorageParams(url, ['AWS_REGION'], [], 'fuzz-store');
      return memoryStorage();
    });
  });
  afterAll(() => {
    unregisterStorageDriver('fuzz-store');
  });

  it('redactStorageUri: no secret a URL parser reads as a credential survives, and redacting twice changes nothing', () => {
    fc.assert(
      // Plain paths (no scheme of two or more characters) are echoed: openStorage reads them as paths.
      fc.property(
        uriOf(schemes).filter((b) => hasScheme(b.uri)),
        (built) => {
          const out = redactStorageUri(built.uri);
          for (const s of credentialSecrets(built, HARMLESS))
            expect(out, `${JSON.stringify(built.uri)} → ${JSON.stringify(out)}`).not.toContain(s);
          expect(redactStorageUri(out)).toBe(out);
        },
      ),
      fuzz(3000),
    );
  });

  it('redactStorageUri of any string: a string, never a throw', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .array(fc.integer({ min: 0, max: 0xffff }), { maxLength: 40 })
            .map((c) => String.fromCharCode(...c)),
        ),
        (s) => {
          expect(typeof redactStorageUri(s)).toBe('string');
        },
      ),
      fuzz(1000),
    );
  });

  it('openStorage of random URIs: a storage or ERR_STORAGE_BAD_URI whose message and uri hold no credential', async () => {
    await fc.assert(
      fc.asyncProperty(
        uriOf(fc.constantFrom('fuzz-store', 'nosuch', 'Fuzz-Store')).filter((b) =>
          hasScheme(b.uri),
        ),
        async (built) => {
          try {
            await openStorage(built.uri);
          } catch (e) {
            if (!(e instanceof StorageError) || e.code !== 'ERR_STORAGE_BAD_URI') throw e;
            for (const s of credentialSecrets(built, HARMLESS)) {
              expect(e.message).not.toContain(s);
              expect(e.uri).not.toContain(s);
            }
          }
        },
      ),
      fuzz(1000),
    );
  });

  it('parseEndpoint of random strings: an http(s) URL without user info, query or fragment, or the failure', () => {
    fc.assert(
      fc.property(
        fc.oneof(
          fc.string(),
          fc
            .tuple(
              fc.constantFrom('http', 'https', 'ftp'),
              fc.constantFrom('', 'u@', ':p@', 'u:p@'),
              fc.domain(),
              fc.constantFrom('', '/', '/x?q=1', '/#f', ':9000/'),
            )
            .map(([s, u, d, t]) => `${s}://${u}${d}${t}`),
          uriOf(fc.constantFrom('http', 'https', 'HTTP')).map((b) => b.uri),
        ),
        (value) => {
          let out: string;
          try {
            out = parseEndpoint(value, 'AWS_ENDPOINT', (m) => {
              throw new StorageError('ERR_STORAGE_BAD_URI', m, { driver: 'fuzz', uri: 'x' });
            });
          } catch (e) {
            if (!(e instanceof StorageError)) throw e;
            return;
          }
          const url = new URL(out);
          expect(['http:', 'https:']).toContain(url.protocol);
          expect(url.username + url.password + url.search + url.hash).toBe('');
        },
      ),
      fuzz(1000),
    );
  });

  it('regressions the fuzzer found: tab/newline-split user info, bare secret names, endpoint passwords', async () => {
    expect(redactStorageUri('s3:/\n/AKIA:hunter2pw@bucket/p')).toBe('s3://redacted@bucket/p');
    expect(redactStorageUri('s3:\t//AKIA:hunter2pw@bucket')).not.toContain('hunter2pw');
    expect(redactStorageUri('/var/x\ty')).toBe('/var/x\ty');
    await expect(openStorage('fuzz-store://b/p?hunter2pw')).rejects.toSatisfy(
      (e: StorageError) => e.code === 'ERR_STORAGE_BAD_URI' && !e.message.includes('hunter2pw'),
    );
    await expect(openStorage('fuzz-store://b/p??hunter2pw')).rejects.toSatisfy(
      (e: StorageError) => !e.message.includes('hunter2pw'),
    );
    await expect(openStorage('fuzz-store://b/p?MY_TYPO=hunter2pw')).rejects.toThrow(
      /unknown parameter "MY_TYPO"/,
    );
    const fail = (m: string): never => {
      throw new Error(m);
    };
    expect(() => parseEndpoint('http://:hunter2pw@minio:9000', 'AWS_ENDPOINT', fail)).toThrow(
      /without query, fragment or user info/,
    );
  });
});
