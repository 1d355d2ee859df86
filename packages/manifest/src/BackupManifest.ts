/** What kind of thing an object is. `stream` is a named byte stream (stdin, a dump). */
export type ObjectType = 'file' | 'dir' | 'symlink' | 'stream';

/** Where the ciphertext of an object lives. */
export interface DataRef {
  /** Storage key relative to the destination of `locality`. */
  path: string;
  /** Locality tag of the destination holding it (`default` for the main one). */
  locality: string;
  /** Backup id (layer) that wrote it; bound into the object's associated data. */
  layer: string;
  /** Ciphertext size in bytes. */
  ciphertextSize: number;
  /**
   * Where the sealed stream starts inside `path`, for objects stored in a pack (several small
   * objects' sealed streams back to back in one storage object); absent: the object is the
   * whole of `path`.
   */
  offset?: number;
  /** Segment size of its sealed stream. */
  segmentSize: number;
}

/** One object of the tree as of this backup layer. */
export interface ManifestObject {
  /** `/`-separated relative name, e.g. `docs/a.txt`; never absolute, never `..`. */
  name: string;
  type: ObjectType;
  /** Plaintext size in bytes (0 for dirs and symlinks). */
  size: number;
  /** POSIX permission bits, when known. */
  mode?: number;
  /** Modification time in ms since the epoch, when known. */
  mtime?: number;
  /** Link target, for symlinks. */
  target?: string;
  /** Where its bytes are; absent for dirs, symlinks and empty objects. */
  data?: DataRef;
}

/**
 * The sealed manifest of one backup layer: a complete description of the tree at that moment,
 * so any layer restores on its own (objects unchanged since an earlier layer point at that
 * layer's data through {@link DataRef.layer}).
 */
export interface BackupManifest {
  /** This layer's id: its path in the collection, e.g. `2026/11/28-011500.12` or `2026/11/28-011500.12/incrementals/20261128-012000.55`. */
  backupId: string;
  /** The full backup that starts the chain (equal to backupId for a full backup). */
  fullBackup: string;
  /** The chain's id from ENCRYPTION_INFO. */
  chainId: string;
  type: 'full' | 'incremental';
  /** The previous layer of the chain, for incrementals. */
  parent?: string;
  /** ISO-8601 start and end of the backup. */
  startTime: string;
  endTime: string;
  /** Every object of the tree at this moment, sorted by name. */
  objects: ManifestObject[];
  /** Names present in the parent layer and gone in this one. */
  deleted: string[];
  /** Locality tags used by this layer (always includes `default`). */
  localities: string[];
}
