import type { Destinations } from '@sealstream/backup';
import { localityOf, openStorage, type Storage } from '@sealstream/storage';
import { UsageError } from './UsageError.ts';

/**
 * Opens the storage URIs of a collection, keyed by locality (`COCKROACH_LOCALITY=…`, or
 * `default` when absent). Exactly one must be the default locality.
 */
export async function openDestinations(uris: string[]): Promise<Destinations> {
  const map = new Map<string, Storage>();
  for (const uri of uris) {
    const locality = localityOf(uri);
    if (map.has(locality)) throw new UsageError(`two URIs for locality "${locality}"`);
    map.set(locality, await openStorage(uri));
  }
  if (!map.has('default')) {
    throw new UsageError(
      'one URI must be the default locality (no COCKROACH_LOCALITY, or COCKROACH_LOCALITY=default)',
    );
  }
  return map;
}

/** Closes every storage (releases sockets). */
export async function closeDestinations(d: Destinations): Promise<void> {
  await Promise.all([...d.values()].map((s) => s.close?.()));
}

/**
 * Parses `--locality PREFIX=LOCALITY` rules into a function from object name to locality: the
 * longest matching prefix wins (a prefix matches the name itself and everything under it);
 * names no rule matches go to `default`.
 */
export function localityRules(
  rules: string[],
  destinations: Destinations,
): (name: string) => string {
  const parsed = rules.map((r) => {
    const i = r.indexOf('=');
    if (i <= 0)
      throw new UsageError(`--locality expects PREFIX=LOCALITY, got ${JSON.stringify(r)}`);
    const prefix = r.slice(0, i).replace(/\/+$/, '');
    const locality = r.slice(i + 1);
    if (!destinations.has(locality)) {
      throw new UsageError(`--locality ${r}: no --into URI has COCKROACH_LOCALITY=${locality}`);
    }
    return { prefix, locality };
  });
  parsed.sort((a, b) => b.prefix.length - a.prefix.length);
  return (name) =>
    parsed.find((p) => name === p.prefix || name.startsWith(`${p.prefix}/`))?.locality ?? 'default';
}
