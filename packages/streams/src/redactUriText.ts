/**
 * The text that replaces every secret value in a redacted URI.
 *
 * @example
 * ```ts
 * import { REDACTED } from '@sealstream/streams';
 * console.log(REDACTED); // redacted
 * ```
 */
export const REDACTED = 'redacted';

/** What {@link redactUriText} may show of a URI whose scheme its caller has accepted. */
export interface UriRedaction {
  /** Upper-case names of the parameters whose values are shown; every other value is hidden. */
  readonly harmless: ReadonlySet<string>;
  /**
   * Whether an `=` before the query starts parameters written without `?` (`aws:///k=…`). Storage
   * paths may hold `=` (`s3://b/date=2026-01-01/`), so for them only `&` and `;` do.
   */
  readonly looseEquals: boolean;
}

/** The scheme prefix (`name:`) of a URI, by RFC 3986's grammar. */
const SCHEME = /^[A-Za-z][A-Za-z0-9+.-]*:/;

function decode(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    return raw;
  }
}

/**
 * Returns `uri` — text that starts with a scheme — with everything that might be secret replaced
 * by {@link REDACTED}:
 * - everything between `//` and the last `@` before the query (user info, even holding `/`);
 * - everything after the first `&` or `;` (and `=`, with `looseEquals`) before the query:
 *   parameters given without `?`;
 * - the value of every parameter not in `harmless`, and of a harmless one whose value holds `@`
 *   (credentials inside an endpoint); a bare unknown name becomes `redacted`; parameters are
 *   separated by `&` or `;`;
 * - the fragment.
 * Tabs and line breaks are dropped first, as a WHATWG URL parser drops them (`s3:/\n/id:pw@h`
 * has user info). It works on the text, so URIs that do not parse are redacted too. Never throws.
 * This is the core that the KMS and storage redactors share; each decides first which schemes
 * it shows at all.
 *
 * @example
 * ```ts
 * import { redactUriText } from '@sealstream/streams';
 * const policy = { harmless: new Set(['REGION']), looseEquals: true };
 * console.log(redactUriText('aws://id:pw@host/k?REGION=eu&KEY=abc#x', policy));
 * // aws://redacted@host/k?REGION=eu&KEY=redacted#redacted
 * ```
 */
export function redactUriText(uri: string, policy: UriRedaction): string {
  let rest = uri.replace(/[\t\n\r]/g, '');
  const scheme = SCHEME.exec(rest)?.[0].length ?? 0;
  let fragment = '';
  const hash = rest.indexOf('#');
  if (hash >= 0) {
    fragment = `#${REDACTED}`;
    rest = rest.slice(0, hash);
  }
  let query: string | undefined;
  const q = rest.indexOf('?');
  if (q >= 0) {
    query = rest.slice(q + 1);
    rest = rest.slice(0, q);
  }
  // user:password@ in the authority: up to the last `@`, so a password holding `/` is hidden too.
  rest = rest.replace(/^([A-Za-z][A-Za-z0-9+.-]*:\/\/)(.*)@/s, `$1${REDACTED}@`);
  // Parameters written without `?` (`s3://b/p&AWS_SECRET_ACCESS_KEY=…`) land in the path.
  const loose = rest.slice(scheme).search(policy.looseEquals ? /[=&;]/ : /[&;]/);
  if (loose >= 0) rest = `${rest.slice(0, scheme + loose + 1)}${REDACTED}`;
  if (query === undefined) return rest + fragment;
  const pairs = query.split(/([&;])/).map((part) => {
    if (part === '&' || part === ';' || part === '') return part;
    const eq = part.indexOf('=');
    const name = eq < 0 ? part : part.slice(0, eq);
    if (!policy.harmless.has(decode(name).trim().toUpperCase()))
      return eq < 0 ? REDACTED : `${name}=${REDACTED}`;
    if (eq >= 0 && decode(part.slice(eq + 1)).includes('@')) return `${name}=${REDACTED}`;
    return part;
  });
  return `${rest}?${pairs.join('')}${fragment}`;
}
