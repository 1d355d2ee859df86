import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { LOCAL_KEY_BYTES } from './generateLocalKey.ts';
import { KmsError } from './KmsError.ts';

/**
 * Reads a local-kms key file: a regular file of exactly 32 raw bytes, accessible by its owner
 * only. Checks are made on the opened file (no race between check and read):
 * - any permission bit for group or others (`mode & 0o077`, e.g. 0644) →
 *   `ERR_KMS_INSECURE_KEY_FILE`, telling the user to `chmod 600` it;
 * - not a regular file (a FIFO or device is opened without blocking, then refused), or not 32
 *   bytes → `ERR_KMS_BAD_KEY_FILE`;
 * - missing or unreadable → `ERR_KMS_BAD_KEY_FILE` / `ERR_KMS_ACCESS_DENIED`.
 * Messages name the path (not secret) and never the content. Node only.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { readLocalKeyFile, writeLocalKeyFile } from '@sealstream/kms/node';
 * const path = join(tmpdir(), `example-${crypto.randomUUID()}.key`);
 * await writeLocalKeyFile(path);
 * const key = await readLocalKeyFile(path);
 * console.log(key.length); // 32
 * ```
 */
export async function readLocalKeyFile(path: string): Promise<Uint8Array> {
  let fh: Awaited<ReturnType<typeof open>>;
  try {
    // Non-blocking, so a FIFO (or a device) given as the key file is refused below, not waited on.
    fh = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EACCES' || code === 'EPERM') {
      throw new KmsError('ERR_KMS_ACCESS_DENIED', `local-kms key file ${path}: permission denied`, {
        cause: e,
      });
    }
    throw new KmsError(
      'ERR_KMS_BAD_KEY_FILE',
      `local-kms key file ${path}: cannot open it (${code ?? 'error'})`,
      { cause: e },
    );
  }
  try {
    const st = await fh.stat();
    if (!st.isFile())
      throw new KmsError('ERR_KMS_BAD_KEY_FILE', `local-kms key file ${path}: not a regular file`);
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
      throw new KmsError(
        'ERR_KMS_INSECURE_KEY_FILE',
        `local-kms key file ${path} is accessible by group or others (mode ${mode}); run: chmod 600 ${path}`,
      );
    }
    if (st.size !== LOCAL_KEY_BYTES) {
      throw new KmsError(
        'ERR_KMS_BAD_KEY_FILE',
        `local-kms key file ${path}: ${st.size} bytes instead of ${LOCAL_KEY_BYTES} (make one with: sealstream keygen --out FILE)`,
      );
    }
    const key = new Uint8Array(LOCAL_KEY_BYTES);
    const { bytesRead } = await fh.read(key, 0, LOCAL_KEY_BYTES, 0);
    if (bytesRead !== LOCAL_KEY_BYTES) {
      throw new KmsError(
        'ERR_KMS_BAD_KEY_FILE',
        `local-kms key file ${path}: short read (${bytesRead} bytes)`,
      );
    }
    return key;
  } finally {
    await fh.close();
  }
}
