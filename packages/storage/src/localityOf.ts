/** The URI parameter naming the locality a destination serves. */
export const LOCALITY_PARAM = 'COCKROACH_LOCALITY';

function split(uri: string): { base: string; query: string; hash: string } | undefined {
  if (!/^[a-zA-Z][a-zA-Z0-9+.-]+:/.test(uri)) return undefined; // plain path: no parameters
  const hashAt = uri.indexOf('#');
  const hash = hashAt >= 0 ? uri.slice(hashAt) : '';
  const rest = hashAt >= 0 ? uri.slice(0, hashAt) : uri;
  const q = rest.indexOf('?');
  return q >= 0
    ? { base: rest.slice(0, q), query: rest.slice(q + 1), hash }
    : { base: rest, query: '', hash };
}

/**
 * The locality a storage URI serves: the decoded `COCKROACH_LOCALITY` parameter (e.g.
 * `region=west`), or `default` when absent. Plain paths have no parameters, so they are always
 * `default` (use a `file:///…?COCKROACH_LOCALITY=…` URI to tag a local directory).
 *
 * @example
 * ```ts
 * import { localityOf } from '@sealstream/storage';
 * console.log(localityOf('s3://b/p?COCKROACH_LOCALITY=region%3Dwest')); // region=west
 * console.log(localityOf('/var/backups')); // default
 * ```
 */
export function localityOf(uri: string): string {
  const parts = split(uri);
  if (!parts) return 'default';
  const value = new URLSearchParams(parts.query).get(LOCALITY_PARAM);
  return value === null || value === '' ? 'default' : value;
}

/**
 * Returns `uri` without its `COCKROACH_LOCALITY` parameter(s), leaving everything else as written
 * (so two URIs of one destination compare equal whatever their locality tag).
 *
 * @example
 * ```ts
 * import { stripLocality } from '@sealstream/storage';
 * console.log(stripLocality('s3://b/p?AWS_REGION=x&COCKROACH_LOCALITY=region%3Dwest')); // s3://b/p?AWS_REGION=x
 * ```
 */
export function stripLocality(uri: string): string {
  const parts = split(uri);
  if (!parts || parts.query === '') return uri;
  const kept = parts.query.split('&').filter((pair) => {
    const name = pair.split('=', 1)[0] ?? '';
    let decoded = name;
    try {
      decoded = decodeURIComponent(name.replace(/\+/g, ' '));
    } catch {
      // keep undecodable names
    }
    return decoded !== LOCALITY_PARAM;
  });
  return `${parts.base}${kept.length ? `?${kept.join('&')}` : ''}${parts.hash}`;
}
