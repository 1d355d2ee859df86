import { execFileSync } from 'node:child_process';
import { chmod, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateLocalKey } from './generateLocalKey.ts';
import { createKeyWrapper, unregisterKmsProvider } from './kmsRegistry.ts';
import { localKeyWrapper } from './localKeyWrapper.ts';
import { localKmsPath, localKmsProvider, registerLocalKms } from './localKmsProvider.node.ts';
import { kmsConformance } from './testing/index.ts';
import { writeLocalKeyFile } from './writeLocalKeyFile.node.ts';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sealstream-local-kms-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

kmsConformance('local-kms', async () => {
  const d = await mkdtemp(join(tmpdir(), 'sealstream-local-kms-conf-'));
  const a = await writeLocalKeyFile(join(d, 'a.key'));
  const b = await writeLocalKeyFile(join(d, 'b.key'));
  const secrets = [
    Buffer.from(await readFile(join(d, 'a.key'))).toString('hex'),
    Buffer.from(await readFile(join(d, 'b.key'))).toString('hex'),
    Buffer.from(await readFile(join(d, 'a.key'))).toString('base64'),
  ];
  // The same key file reached through another path (a hard link): same key, same id.
  const { link } = await import('node:fs/promises');
  await link(join(d, 'a.key'), join(d, 'a-again.key'));
  return {
    key: await localKmsProvider(new URL(a)),
    sameKeyOtherName: await localKmsProvider(new URL(`local-kms://${join(d, 'a-again.key')}`)),
    otherKey: await localKmsProvider(new URL(b)),
    secrets,
    close: () => rm(d, { recursive: true, force: true }),
  };
});

async function failure(p: Promise<unknown>): Promise<Error & { code?: string }> {
  try {
    await p;
  } catch (e) {
    return e as Error & { code?: string };
  }
  throw new Error('expected a failure');
}

describe('local-kms key files', () => {
  it('writeLocalKeyFile creates 32 raw bytes, mode 0600, and returns the local-kms URI', async () => {
    const path = join(dir, 'my key.bin');
    const uri = await writeLocalKeyFile(path);
    expect(uri).toBe(`local-kms://${dir}/my%20key.bin`);
    expect(localKmsPath(new URL(uri))).toBe(path);
    const st = await stat(path);
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.size).toBe(32);
    const wrapper = await localKmsProvider(new URL(uri));
    expect(wrapper.id).toBe(localKeyWrapper(new Uint8Array(await readFile(path))).id);
    expect(wrapper.redactedUri).toBe(uri);
  });

  it('refuses to overwrite an existing file and leaves no temporary file behind', async () => {
    const path = join(dir, 'exists.key');
    await writeLocalKeyFile(path);
    const before = await readFile(path);
    const e = await failure(writeLocalKeyFile(path));
    expect(e.code).toBe('ERR_KMS_KEY_FILE_EXISTS');
    expect(await readFile(path)).toEqual(before);
    const { readdir } = await import('node:fs/promises');
    expect((await readdir(dir)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses a key file readable by group or others (chmod 644, 640, 604)', async () => {
    const path = join(dir, 'loose.key');
    const uri = await writeLocalKeyFile(path);
    for (const mode of [0o644, 0o640, 0o604, 0o620]) {
      await chmod(path, mode);
      const e = await failure(localKmsProvider(new URL(uri)));
      expect(e.code).toBe('ERR_KMS_INSECURE_KEY_FILE');
      expect(e.message).toContain(path);
      expect(e.message).toContain(`mode 0${mode.toString(8)}`);
      expect(e.message).toContain('chmod 600');
    }
    await chmod(path, 0o400);
    expect((await localKmsProvider(new URL(uri))).scheme).toBe('local-kms');
  });

  it('refuses a key file of the wrong size, a directory and a missing file', async () => {
    for (const size of [0, 31, 33, 64]) {
      const path = join(dir, `size-${size}.key`);
      await writeFile(path, new Uint8Array(size), { mode: 0o600 });
      const e = await failure(localKmsProvider(new URL(`local-kms://${path}`)));
      expect(e.code).toBe('ERR_KMS_BAD_KEY_FILE');
      expect(e.message).toContain(`${size} bytes instead of 32`);
    }
    await chmod(dir, 0o700);
    expect((await failure(localKmsProvider(new URL(`local-kms://${dir}`)))).code).toBe(
      'ERR_KMS_BAD_KEY_FILE',
    );
    const missing = await failure(localKmsProvider(new URL(`local-kms://${dir}/nope.key`)));
    expect(missing.code).toBe('ERR_KMS_BAD_KEY_FILE');
    expect(missing.message).toContain('ENOENT');
  });

  it('refuses a FIFO as the key file without waiting for a writer', { timeout: 5000 }, async () => {
    const path = join(dir, 'fifo.key');
    execFileSync('mkfifo', ['-m', '600', path]);
    const e = await failure(localKmsProvider(new URL(`local-kms://${path}`)));
    expect(e.code).toBe('ERR_KMS_BAD_KEY_FILE');
    expect(e.message).toContain('not a regular file');
  });

  it('rejects malformed local-kms URIs with ERR_KMS_BAD_URI', async () => {
    for (const uri of [
      'local-kms://host/key',
      'local-kms:relative/key',
      'local-kms:///',
      'local-kms:///k?REGION=x',
      'local-kms:///k#frag',
    ]) {
      const e = await failure(localKmsProvider(new URL(uri)));
      expect(e.code, uri).toBe('ERR_KMS_BAD_URI');
    }
  });

  it('registerLocalKms makes createKeyWrapper understand local-kms URIs', async () => {
    const path = join(dir, 'registry.key');
    const uri = await writeLocalKeyFile(path);
    registerLocalKms();
    registerLocalKms(); // idempotent
    try {
      const w = await createKeyWrapper(uri);
      const dek = generateLocalKey();
      expect(await w.unwrap(await w.wrap(dek))).toEqual(dek);
    } finally {
      unregisterKmsProvider('local-kms');
    }
  });

  it('unwrap with another local key is ERR_KMS_WRONG_KEY', async () => {
    const a = await localKmsProvider(new URL(await writeLocalKeyFile(join(dir, 'wa.key'))));
    const b = await localKmsProvider(new URL(await writeLocalKeyFile(join(dir, 'wb.key'))));
    const entry = await a.wrap(generateLocalKey());
    const e = await failure(b.unwrap(entry));
    expect(e.code).toBe('ERR_KMS_WRONG_KEY');
    expect(e.message).toContain(b.redactedUri);
  });
});
