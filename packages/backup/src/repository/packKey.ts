/**
 * The storage key of a pack of a chain (docs/COLLECTION-FORMAT-V2.md): `<chain>/packs/<first two
 * hex digits of the pack id>/<pack id>`, so no listing holds more than 1/256 of a chain's packs.
 *
 * @example
 * ```ts
 * import { packKey } from './packKey.ts';
 * console.log(packKey('2026/12/06-031500.12', 'ab'.repeat(16))); // 2026/12/06-031500.12/packs/ab/abab…
 * ```
 */
export function packKey(chain: string, packId: string): string {
  if (!/^[0-9a-f]{32}$/.test(packId))
    throw new TypeError(`packKey: a pack id is 32 hex digits, received ${JSON.stringify(packId)}`);
  return `${chain}/packs/${packId.slice(0, 2)}/${packId}`;
}

/** The pack id a pack key ends with, or undefined when the key is not a pack of `chain`. */
export function packIdOf(chain: string, key: string): string | undefined {
  const prefix = `${chain}/packs/`;
  if (!key.startsWith(prefix)) return undefined;
  const m = /^([0-9a-f]{2})\/([0-9a-f]{32})$/.exec(key.slice(prefix.length));
  return m?.[2]?.startsWith(m[1] as string) ? m[2] : undefined;
}
