import { KmsError } from './KmsError.ts';

/**
 * Resolves like `work`, or rejects with {@link KmsError} `ERR_KMS_TIMEOUT` naming `label` after
 * `timeoutMs` ms (`Infinity` or 0: no limit). The abandoned call keeps running in the background;
 * its later result is ignored.
 *
 * @example
 * ```ts
 * import { withTimeout } from '@sealstream/kms';
 * const v = await withTimeout(Promise.resolve(1), 1000, 'aws:///alias/k', 'unwrap');
 * ```
 */
export function withTimeout<T>(
  work: Promise<T>,
  timeoutMs: number,
  label: string,
  what: string,
): Promise<T> {
  if (!(timeoutMs > 0) || timeoutMs === Number.POSITIVE_INFINITY) return work;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new KmsError(
            'ERR_KMS_TIMEOUT',
            `${label}: ${what} gave no answer within ${timeoutMs} ms`,
          ),
        ),
      timeoutMs,
    );
  });
  work.catch(() => {}); // a late rejection after the timeout must not become unhandled
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
