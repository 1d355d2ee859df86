import { randomBytes } from 'node:crypto';
import { link, open, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { generateLocalKey, LOCAL_KEY_BYTES } from './generateLocalKey.ts';
import { KmsError } from './KmsError.ts';

async function fsyncDir(dir: string): Promise<void> {
  try {
    const d = await open(dir, 'r');
    try {
      await d.sync();
    } finally {
      await d.close();
    }
  } catch {
    // Some filesystems refuse fsync on a directory; the file itself is already synced.
  }
}

/**
 * Creates a local-kms key file at `path`: the raw 32 bytes of `key` (default: a fresh
 * {@link generateLocalKey}), mode 0600. Atomic and never overwriting: the bytes are written and
 * fsynced under a temporary name in the same directory, then hard-linked to `path`, which fails
 * if `path` exists (`ERR_KMS_KEY_FILE_EXISTS`); a crash leaves no partial key file at `path`.
 * Returns the `local-kms:///ABSOLUTE/PATH` URI of the new file. Node only.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { writeLocalKeyFile } from '@sealstream/kms/node';
 * const uri = await writeLocalKeyFile(join(tmpdir(), `example-${crypto.randomUUID()}.key`));
 * console.log(uri); // e.g. local-kms:///tmp/example-….key
 * ```
 */
export async function writeLocalKeyFile(
  path: string,
  key: Uint8Array = generateLocalKey(),
): Promise<string> {
  if (typeof path !== 'string' || path === '')
    throw new TypeError('writeLocalKeyFile: path must be a non-empty string');
  if (!(key instanceof Uint8Array) || key.length !== LOCAL_KEY_BYTES) {
    throw new RangeError(`writeLocalKeyFile: the key must be ${LOCAL_KEY_BYTES} bytes`);
  }
  const target = resolve(path);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', 0o600);
  try {
    await fh.chmod(0o600);
    await fh.writeFile(key);
    await fh.sync();
  } catch (e) {
    await fh.close();
    await unlink(tmp).catch(() => {});
    throw e;
  }
  await fh.close();
  try {
    await link(tmp, target);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') {
      throw new KmsError(
        'ERR_KMS_KEY_FILE_EXISTS',
        `local-kms key file ${target} already exists; refusing to overwrite it`,
      );
    }
    throw e;
  } finally {
    await unlink(tmp).catch(() => {});
  }
  await fsyncDir(dir);
  return `local-kms://${pathToFileURL(target).pathname}`;
}
