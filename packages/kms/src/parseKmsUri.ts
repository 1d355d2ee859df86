import { KmsError } from './KmsError.ts';
import { redactUri } from './redactUri.ts';

/**
 * Parses a KMS URI such as `aws:///alias/backup?REGION=us-east-1` or
 * `local-kms:///etc/sealstream/key` into a `URL`. A string that is not an absolute URI with a
 * scheme throws {@link KmsError} `ERR_KMS_BAD_URI`, naming the URI only in redacted form.
 *
 * @example
 * ```ts
 * import { parseKmsUri } from '@sealstream/kms';
 * const url = parseKmsUri('local-kms:///tmp/backup.key');
 * console.log(url.protocol, url.pathname); // local-kms: /tmp/backup.key
 * ```
 */
export function parseKmsUri(uri: string): URL {
  if (typeof uri !== 'string' || uri.trim() === '') {
    throw new KmsError(
      'ERR_KMS_BAD_URI',
      `Invalid KMS URI ${JSON.stringify(redactUri(String(uri)))}: empty`,
    );
  }
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:/.test(uri)) {
    throw new KmsError(
      'ERR_KMS_BAD_URI',
      `Invalid KMS URI "${redactUri(uri)}": it must start with a scheme such as aws:, gs:, azure-kms: or local-kms:`,
    );
  }
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    throw new KmsError(
      'ERR_KMS_BAD_URI',
      `Invalid KMS URI "${redactUri(uri)}": it does not parse as a URI`,
    );
  }
  return url;
}

/**
 * The scheme of a parsed KMS URI, lower-case and without the colon.
 *
 * @example
 * ```ts
 * import { parseKmsUri, schemeOf } from '@sealstream/kms';
 * console.log(schemeOf(parseKmsUri('AZURE-KMS:///key/version'))); // azure-kms
 * ```
 */
export function schemeOf(url: URL): string {
  return url.protocol.replace(/:$/, '').toLowerCase();
}
