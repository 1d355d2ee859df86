import { decrypt, encrypt } from '@sealstream/aead';
import { SealstreamError } from '@sealstream/streams';
import type { BackupManifest } from './BackupManifest.ts';
import { ManifestError } from './ManifestError.ts';
import { decodeManifest, encodeManifest } from './manifestCodec.ts';

/** File name of a backup layer's sealed manifest, the commit point of a backup. */
export const BACKUP_MANIFEST = 'BACKUP_MANIFEST';
/** The largest sealed manifest a reader accepts. */
export const MAX_MANIFEST_BYTES = 1 << 30;

/**
 * Associated data binding a sealed manifest to its chain and layer: moving it is detected.
 * `"sealstream/manifest/v1" ‖ 0x00 ‖ JSON [chainId, backupId]` — each field a JSON string, so no
 * two (chain, layer) pairs give the same bytes.
 */
export function manifestAssociatedData(chainId: string, backupId: string): Uint8Array {
  return new TextEncoder().encode(
    `sealstream/manifest/v1\u0000${JSON.stringify([chainId, backupId])}`,
  );
}

/**
 * Associated data of an object's sealed stream: names the chain, the layer that wrote it and the
 * object, so swapping two data files (or moving one between backups) is detected.
 * `"sealstream/object/v1" ‖ 0x00 ‖ JSON [chainId, layer, name]`: fields are JSON strings, so a
 * `/` inside a name cannot move a boundary (layer `F` with name `incrementals/S/x` and layer
 * `F/incrementals/S` with name `x` differ).
 */
export function objectAssociatedData(chainId: string, layer: string, name: string): Uint8Array {
  return new TextEncoder().encode(
    `sealstream/object/v1\u0000${JSON.stringify([chainId, layer, name])}`,
  );
}

/**
 * Seals a manifest with the chain's data key.
 *
 * @example
 * ```ts
 * import { openManifest, sealManifest } from '@sealstream/manifest';
 * const dek = crypto.getRandomValues(new Uint8Array(32));
 * const m = { backupId: '2026/11/28-011500.12', fullBackup: '2026/11/28-011500.12',
 *   chainId: '0'.repeat(32), type: 'full' as const, startTime: '', endTime: '',
 *   objects: [], deleted: [], localities: ['default'] };
 * const sealed = await sealManifest(dek, m);
 * const back = await openManifest(dek, sealed, { file: 'BACKUP_MANIFEST', chainId: m.chainId, backupId: m.backupId });
 * console.log(back.backupId); // '2026/11/28-011500.12'
 * ```
 */
export async function sealManifest(dek: Uint8Array, manifest: BackupManifest): Promise<Uint8Array> {
  return encrypt(dek, await encodeManifest(manifest), {
    associatedData: manifestAssociatedData(manifest.chainId, manifest.backupId),
  });
}

/**
 * Opens and validates a sealed manifest found at `file` for the layer `backupId` of chain
 * `chainId`. Every failure is a {@link ManifestError} naming the file; authentication failures
 * keep the stream format's code (e.g. `ERR_AEAD_TAMPERED`).
 */
export async function openManifest(
  dek: Uint8Array,
  sealed: Uint8Array,
  where: { file: string; chainId: string; backupId: string },
): Promise<BackupManifest> {
  if (sealed.length > MAX_MANIFEST_BYTES) {
    throw new ManifestError('ERR_MANIFEST_TOO_LARGE', `larger than ${MAX_MANIFEST_BYTES} bytes`, {
      file: where.file,
    });
  }
  let plain: Uint8Array;
  try {
    plain = await decrypt(dek, sealed, {
      associatedData: manifestAssociatedData(where.chainId, where.backupId),
    });
  } catch (cause) {
    const code = cause instanceof SealstreamError ? cause.code : 'ERR_MANIFEST_INVALID';
    const why = cause instanceof Error ? cause.message : String(cause);
    throw new ManifestError(code, `cannot open the sealed manifest: ${why}`, {
      file: where.file,
      cause,
    });
  }
  const m = await decodeManifest(plain, where.file);
  if (m.backupId !== where.backupId || m.chainId !== where.chainId) {
    throw new ManifestError('ERR_MANIFEST_INVALID', 'belongs to another backup', {
      file: where.file,
    });
  }
  return m;
}
