import {
  authenticateEncryptionInfo,
  decodeEncryptionInfo,
  type EncryptionInfo,
  encodeEncryptionInfo,
  encryptionInfoGeneration,
  encryptionInfoName,
  type UnauthenticatedEncryptionInfo,
} from '@sealstream/manifest';
import type { Storage } from '@sealstream/storage';
import { StorageError, writeObject } from '@sealstream/storage';
import { BackupError, withFile } from './BackupError.ts';
import { FULL_ID, fullBackupId, INCREMENTAL_ID, isBackupId } from './backupId.ts';
import { readMetadata } from './readMetadata.ts';

/** Where each locality's files go; `default` holds the metadata. */
export type Destinations = ReadonlyMap<string, Storage>;

/** Accepts one storage (the default locality) or a map of locality → storage. */
export function toDestinations(
  storages: Storage | Destinations | Record<string, Storage>,
): Destinations {
  if (storages instanceof Map) return storages;
  if (isStorage(storages)) return new Map([['default', storages]]);
  return new Map(Object.entries(storages as Record<string, Storage>));
}

function isStorage(x: unknown): x is Storage {
  return typeof x === 'object' && x !== null && typeof (x as Storage).write === 'function';
}

const LATEST_PREFIX = 'latest/';

/** A layer's sealed snapshot: its tree, its parent's digest. */
export const SNAPSHOT = 'SNAPSHOT';

/** The folder of a chain's claims: `next/<layer>` names the layer after `<layer>`. */
const NEXT_DIR = 'next';

/** The claim naming the layer after `layer` (`full` for the full backup, else its stamp). */
function nextClaim(full: string, layer: string): string {
  const name = layer === full ? 'full' : layer.slice(`${full}/incrementals/`.length);
  return `${full}/${NEXT_DIR}/${name}`;
}

/** Most bytes read of a LATEST pointer (a backup id and a newline; larger is not a pointer). */
export const MAX_POINTER_BYTES = 1024;
/** Most bytes read of an ENCRYPTION_INFO generation (the decoder's own bound). */
export const MAX_ENCRYPTION_INFO_BYTES = 1 << 20;

/**
 * The layout of a backup collection (docs/COLLECTIONS.md) over one or more destinations:
 * dated full backups, their incremental layers, ENCRYPTION_INFO generations, sealed snapshots
 * and the append-only LATEST pointers. Every read of metadata is validated; every write of
 * metadata is create-if-absent.
 */
export class Collection {
  readonly destinations: Destinations;
  readonly main: Storage;
  constructor(storages: Storage | Destinations | Record<string, Storage>) {
    if (storages === undefined || storages === null || typeof storages !== 'object')
      throw new TypeError('the collection is missing: pass { collection: storage }');
    this.destinations = toDestinations(storages);
    const main = this.destinations.get('default');
    if (!main) {
      throw new BackupError(
        'ERR_BACKUP_LOCALITY_MISSING',
        'no destination for the default locality was given',
      );
    }
    this.main = main;
  }

  /** The storage of a locality, or a typed error naming the missing locality. */
  storageFor(locality: string, file?: string): Storage {
    const s = this.destinations.get(locality);
    if (!s) {
      throw new BackupError(
        'ERR_BACKUP_LOCALITY_MISSING',
        `needs the destination for locality "${locality}" (pass its URI with COCKROACH_LOCALITY=${locality})`,
        file ? { file } : {},
      );
    }
    return s;
  }

  /** True when the layer has a snapshot (an incremental is also claimed; see `layers`). */
  async isCommitted(id: string): Promise<boolean> {
    return (await this.main.stat(`${id}/${SNAPSHOT}`)) !== undefined;
  }

  /** Committed full backups, oldest first. */
  async fullBackups(): Promise<string[]> {
    const out: string[] = [];
    for await (const o of this.main.list('')) {
      const m = o.key.endsWith(`/${SNAPSHOT}`)
        ? [o.key, o.key.slice(0, -SNAPSHOT.length - 1)]
        : null;
      if (m && FULL_ID.test(m[1] as string)) out.push(m[1] as string);
    }
    return out.sort();
  }

  /**
   * The layers of a chain, oldest first: the full backup, then each layer its predecessor's
   * `next/` claim names. A snapshot that no claim reaches (an incremental that lost a race, or
   * whose process died before claiming) is not part of the chain. A claim naming a layer
   * without a snapshot, or something that is not a layer id, is `ERR_MANIFEST_CHAIN_BROKEN`.
   */
  async layers(full: string): Promise<string[]> {
    if (!(await this.isCommitted(full))) {
      throw new BackupError(
        'ERR_BACKUP_NOT_FOUND',
        `no committed backup ${full} in ${this.main.redactedUri}`,
      );
    }
    const claims = new Set<string>();
    for await (const o of this.main.list(`${full}/${NEXT_DIR}/`)) claims.add(o.key);
    const out = [full];
    for (let at = full; ; ) {
      const claim = nextClaim(full, at);
      if (!claims.has(claim)) return out;
      const bytes = await readMetadata(this.main, claim, MAX_POINTER_BYTES);
      const next = `${full}/incrementals/${new TextDecoder().decode(bytes).trim()}`;
      if (!INCREMENTAL_ID.test(next) || next <= at || !(await this.isCommitted(next)))
        throw new BackupError(
          'ERR_MANIFEST_CHAIN_BROKEN',
          `names ${JSON.stringify(next)}, which is not a committed layer after ${at}`,
          { file: claim },
        );
      out.push(next);
      at = next;
    }
  }

  /**
   * Claims the place after `parent` in its chain for `layer` (whose snapshot is written): the
   * create-if-absent write that makes an incremental part of the chain. Of several layers racing
   * for one place, exactly one wins; the others get `ERR_BACKUP_CONFLICT`.
   */
  async claimNext(full: string, parent: string, layer: string): Promise<void> {
    const file = nextClaim(full, parent);
    const stamp = layer.slice(`${full}/incrementals/`.length);
    try {
      await writeObject(this.main, file, new TextEncoder().encode(`${stamp}\n`), {
        ifAbsent: true,
      });
    } catch (e) {
      if (e instanceof StorageError && e.code === 'ERR_STORAGE_EXISTS')
        throw new BackupError(
          'ERR_BACKUP_CONFLICT',
          `another backup added a layer after ${parent} at the same time; ${layer} is not part of the chain (retry: its chunks are stored and will be reused)`,
          { file, cause: e },
        );
      throw withFile(e, file);
    }
  }

  /** The full backup LATEST points to (the newest pointer whose backup is committed). */
  async latest(): Promise<string> {
    const pointers: string[] = [];
    for await (const o of this.main.list(LATEST_PREFIX)) pointers.push(o.key);
    pointers.sort().reverse();
    for (const key of pointers) {
      // A pointer too large to be one is skipped like any other that names no backup.
      const bytes = await readMetadata(this.main, key, MAX_POINTER_BYTES).catch((e) => {
        if (e instanceof BackupError && e.code === 'ERR_MANIFEST_TOO_LARGE') return undefined;
        throw e;
      });
      if (bytes === undefined) continue;
      const target = new TextDecoder().decode(bytes).trim();
      if (FULL_ID.test(target) && (await this.isCommitted(target))) return target;
    }
    throw new BackupError(
      'ERR_BACKUP_NOT_FOUND',
      `no backup in ${this.main.redactedUri} (LATEST is absent)`,
    );
  }

  /** Resolves `LATEST` or a named full backup / layer id to the chain's full backup and the layer. */
  async resolve(name: string | undefined): Promise<{ full: string; layer: string | undefined }> {
    if (name === undefined || name === 'LATEST')
      return { full: await this.latest(), layer: undefined };
    const id = name.replace(/^\/+|\/+$/g, '');
    if (!isBackupId(id)) {
      throw new BackupError(
        'ERR_BACKUP_NOT_FOUND',
        `"${name}" is not a backup id (expected LATEST or e.g. 2023/07/14-211406.03)`,
      );
    }
    const m = INCREMENTAL_ID.exec(id);
    const full = m ? (m[1] as string) : id;
    if (!(await this.isCommitted(id))) {
      throw new BackupError(
        'ERR_BACKUP_NOT_FOUND',
        `no committed backup ${id} in ${this.main.redactedUri}`,
      );
    }
    return { full, layer: m ? id : undefined };
  }

  /** Appends a LATEST pointer to `full` (never rewrites an older one). */
  async pointLatestTo(full: string, now: Date): Promise<void> {
    const stamp = fullBackupId(now).replaceAll('/', '');
    const body = new TextEncoder().encode(`${full}\n`);
    for (let i = 0; ; i++) {
      try {
        await writeObject(this.main, `${LATEST_PREFIX}${stamp}-${i}`, body, { ifAbsent: true });
        return;
      } catch (e) {
        if (!(e instanceof StorageError && e.code === 'ERR_STORAGE_EXISTS') || i > 100) throw e;
      }
    }
  }

  /** The newest valid ENCRYPTION_INFO generation of a chain, with the file it came from. */
  async encryptionInfo(full: string): Promise<{ info: EncryptionInfo; file: string }> {
    const found: number[] = [];
    for await (const o of this.main.list(`${full}/ENCRYPTION_INFO`)) {
      const g = encryptionInfoGeneration(o.key.slice(full.length + 1));
      if (g !== undefined) found.push(g);
    }
    if (found.length === 0) {
      throw new BackupError('ERR_BACKUP_NOT_FOUND', `no ENCRYPTION_INFO for ${full}`, {
        file: `${full}/ENCRYPTION_INFO`,
      });
    }
    const g = Math.max(...found);
    const file = `${full}/${encryptionInfoName(g)}`;
    try {
      const info = decodeEncryptionInfo(
        await readMetadata(this.main, file, MAX_ENCRYPTION_INFO_BYTES),
        file,
      );
      if (info.generation !== g)
        throw new BackupError('ERR_MANIFEST_INVALID', `says it is generation ${info.generation}`, {
          file,
        });
      return { info, file };
    } catch (e) {
      throw withFile(e, file);
    }
  }

  /**
   * Authenticates an ENCRYPTION_INFO generation under the chain's `authKey` and writes it
   * create-if-absent; a lost race is `ERR_BACKUP_CONFLICT`.
   */
  async writeEncryptionInfo(
    full: string,
    info: UnauthenticatedEncryptionInfo,
    authKey: Uint8Array,
  ): Promise<void> {
    const file = `${full}/${encryptionInfoName(info.generation)}`;
    const authentic = await authenticateEncryptionInfo(info, authKey);
    try {
      await writeObject(this.main, file, encodeEncryptionInfo(authentic), { ifAbsent: true });
    } catch (e) {
      if (e instanceof StorageError && e.code === 'ERR_STORAGE_EXISTS') {
        throw new BackupError(
          'ERR_BACKUP_CONFLICT',
          'written concurrently by another backup or alter; retry',
          { file, cause: e },
        );
      }
      throw withFile(e, file);
    }
  }
}
