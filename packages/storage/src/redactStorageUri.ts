/**
 * URI parameters whose value is a secret (or identifies a credential) and is never shown.
 * Compared case-insensitively.
 */
export const SECRET_STORAGE_PARAMS: readonly string[] = [
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AZURE_CLIENT_SECRET',
  'AZURE_ACCOUNT_KEY',
  'AZURE_SAS_TOKEN',
  'CREDENTIALS',
  'BEARER_TOKEN',
];

const SECRET_SET = new Set(SECRET_STORAGE_PARAMS.map((p) => p.toUpperCase()));

/**
 * Returns `uri` with the value of every secret parameter ({@link SECRET_STORAGE_PARAMS}) and any
 * `user:password@` part replaced by `redacted`. Plain paths and non-URIs are returned unchanged
 * (they carry no parameters). Never throws.
 *
 * @example
 * ```ts
 * import { redactStorageUri } from '@sealstream/storage';
 * console.log(redactStorageUri('s3://b/p?AWS_ACCESS_KEY_ID=AKIA1&AWS_SECRET_ACCESS_KEY=s3cr3t&AWS_REGION=us-east-1'));
 * // s3://b/p?AWS_ACCESS_KEY_ID=redacted&AWS_SECRET_ACCESS_KEY=redacted&AWS_REGION=us-east-1
 * ```
 */
export function redactStorageUri(uri: string): string {
  let out = uri;
  const q = out.indexOf('?');
  if (q >= 0) {
    const hash = out.indexOf('#', q);
    const query = hash >= 0 ? out.slice(q + 1, hash) : out.slice(q + 1);
    const redacted = query
      .split('&')
      .map((pair) => {
        const eq = pair.indexOf('=');
        const rawName = eq >= 0 ? pair.slice(0, eq) : pair;
        let name = rawName;
        try {
          name = decodeURIComponent(rawName.replace(/\+/g, ' '));
        } catch {
          // keep the raw name
        }
        return SECRET_SET.has(name.trim().toUpperCase()) ? `${rawName}=redacted` : pair;
      })
      .join('&');
    out = `${out.slice(0, q + 1)}${redacted}${hash >= 0 ? out.slice(hash) : ''}`;
  }
  // user:password@host in the authority part.
  return out.replace(
    /^([a-zA-Z][a-zA-Z0-9+.-]*:\/\/)([^/?#@]*)@/,
    (_m, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      return colon >= 0 ? `${scheme}${userinfo.slice(0, colon)}:redacted@` : `${scheme}redacted@`;
    },
  );
}
