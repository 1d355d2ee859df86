import { fileURLToPath } from 'node:url';
import { checkParams } from './checkParams.ts';
import type { KeyWrapper } from './KeyWrapper.ts';
import { KmsError } from './KmsError.ts';
import { registerKmsProvider } from './kmsRegistry.ts';
import { localKeyWrapper } from './localKeyWrapper.ts';
import { readLocalKeyFile } from './readLocalKeyFile.node.ts';
import { redactUri } from './redactUri.ts';

/**
 * The absolute path a `local-kms:///ABSOLUTE/PATH` URI names (percent-decoded). Throws
 * `ERR_KMS_BAD_URI` for another scheme, a host, a relative path, any query parameter (local-kms
 * takes none) or a fragment.
 *
 * @example
 * ```ts
 * import { localKmsPath } from '@sealstream/kms/node';
 * console.log(localKmsPath(new URL('local-kms:///etc/sealstream/my%20key'))); // /etc/sealstream/my key
 * ```
 */
export function localKmsPath(url: URL): string {
  const shown = redactUri(url.href);
  if (url.protocol !== 'local-kms:')
    throw new KmsError('ERR_KMS_BAD_URI', `"${shown}" is not a local-kms: URI`);
  if (url.host !== '' || !url.pathname.startsWith('/') || url.pathname === '/') {
    throw new KmsError(
      'ERR_KMS_BAD_URI',
      `local-kms URI "${shown}" must be local-kms:///ABSOLUTE/PATH (three slashes, no host)`,
    );
  }
  if (url.hash !== '')
    throw new KmsError('ERR_KMS_BAD_URI', `local-kms URI "${shown}" must not have a fragment`);
  checkParams(url, [], []);
  return fileURLToPath(new URL(`file://${url.pathname}`));
}

/**
 * The `local-kms` provider: reads the key file a `local-kms:///ABSOLUTE/PATH` URI names (see
 * {@link readLocalKeyFile}: owner-only, exactly 32 bytes) and returns a {@link localKeyWrapper}
 * whose `redactedUri` is the URI and whose `id` is the key's fingerprint. Node only.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { localKmsProvider, writeLocalKeyFile } from '@sealstream/kms/node';
 * const uri = await writeLocalKeyFile(join(tmpdir(), `example-${crypto.randomUUID()}.key`));
 * const wrapper = await localKmsProvider(new URL(uri));
 * console.log(wrapper.redactedUri === uri); // true
 * ```
 */
export async function localKmsProvider(url: URL): Promise<KeyWrapper> {
  const path = localKmsPath(url);
  const key = await readLocalKeyFile(path);
  try {
    return localKeyWrapper(key, url.href);
  } finally {
    key.fill(0);
  }
}

/**
 * Registers {@link localKmsProvider} for the `local-kms` scheme, so
 * `createKeyWrapper('local-kms:///…')` works. Idempotent.
 *
 * @example
 * ```ts
 * import { tmpdir } from 'node:os';
 * import { join } from 'node:path';
 * import { createKeyWrapper } from '@sealstream/kms';
 * import { registerLocalKms, writeLocalKeyFile } from '@sealstream/kms/node';
 * registerLocalKms();
 * const wrapper = await createKeyWrapper(await writeLocalKeyFile(join(tmpdir(), `example-${crypto.randomUUID()}.key`)));
 * console.log(wrapper.id.length); // 32
 * ```
 */
export function registerLocalKms(): void {
  registerKmsProvider('local-kms', localKmsProvider);
}
