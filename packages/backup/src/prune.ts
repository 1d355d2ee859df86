import type { KeyWrapper } from '@sealstream/kms';
import type { Storage } from '@sealstream/storage';
import { decodeHex, encodeHex } from '@sealstream/streams';
import { BackupError } from './BackupError.ts';
import { FULL_ID } from './backupId.ts';
import { Collection, type Destinations, SNAPSHOT } from './Collection.ts';
import { parseDuration } from './forget.ts';
import { openChain } from './openChain.ts';
import { ChainPacks } from './repository/ChainPacks.ts';
import { readSnapshots } from './repository/readSnapshots.ts';
import type { TreeStore } from './repository/TreeStore.ts';

/** Leftovers younger than this are never deleted (default: 24 hours); see {@link PruneOptions}. */
export const DEFAULT_MIN_AGE_MS = 24 * 60 * 60 * 1000;

/** Options of {@link prune}. */
export interface PruneOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
  /**
   * Nothing whose newest file was written less than this long ago is deleted (milliseconds, or
   * a duration such as `24h`, `2d`; default 24 h). Prune takes no lock: a backup that is running
   * has written files that no chain references yet, and they are younger than this as long as
   * no backup runs longer than it (docs/decisions/0011-retention.md).
   */
  minAge?: number | string;
  /**
   * Keys of the chains: with them, prune also finds the packs of committed chains that no
   * layer's tree references (each chain a key opens; the others are reported as not checked).
   */
  keys?: KeyWrapper[];
  /**
   * Delete those unreferenced packs too (needs `keys`). Only safe while no backup, rekey or
   * alter of those chains runs: a running incremental may reuse an unreferenced pack's chunks
   * and commit after prune looked, and no grace period protects that (decision 0011). Off by
   * default: they are reported, and the next backup of the chain reuses their chunks.
   */
  unreferencedPacks?: boolean;
  /** Decide and report only; delete nothing. */
  dryRun?: boolean;
  /** Clock (tests). */
  now?: () => Date;
}

/** One leftover prune found. */
export interface PruneItem {
  /**
   * `unfinished-chain`: a chain directory (in any destination) without its full backup's
   * SNAPSHOT — a full backup that never committed, or a chain whose deletion was interrupted.
   * `unclaimed-layer`: an incremental's SNAPSHOT that no `next/` claim reaches.
   * `unreferenced-pack`: a pack of a committed chain none of whose blobs any layer references.
   */
  kind: 'unfinished-chain' | 'unclaimed-layer' | 'unreferenced-pack';
  /** The chain's full backup id, the layer id, or the pack's storage key. */
  id: string;
  /** Its files (in every destination) and their bytes. */
  files: number;
  bytes: number;
  /** When its newest file was written (ISO-8601), when the storage says. */
  newest?: string;
  /** Deleted (or would be, with `dryRun`). */
  remove: boolean;
  /** Why it is kept, when it is. */
  reason?: string;
}

/** What {@link prune} found and did. */
export interface PruneResult {
  dryRun: boolean;
  /** The grace period applied, in milliseconds. */
  minAgeMs: number;
  /** Every leftover found: the ones deleted (or, with `dryRun`, to delete) and the ones kept. */
  items: PruneItem[];
  /** Files and bytes deleted (or, with `dryRun`, that would be). */
  removed: { files: number; bytes: number };
  /** Committed chains whose packs were not checked (no key given, or none of them opens it). */
  unchecked: string[];
}

interface Found {
  storage: Storage;
  key: string;
  size: number;
  mtime: number | undefined;
}

/**
 * Deletes what no chain references, without locks: the files of unfinished chains (a full
 * backup that never committed, or a chain whose deletion by `forget` was interrupted), the
 * snapshots of incrementals that can never join their chain (a later layer holds the place
 * they would claim), and — with `keys` and `unreferencedPacks` — packs of committed chains that
 * no layer's tree references. Nothing whose newest file is younger than `minAge` is touched, so
 * a backup running at the same time (whose packs and snapshot are written before its commit
 * point) is left alone. A leftover whose age the storage does not report is kept.
 *
 * @example
 * ```ts
 * import { prune } from '@sealstream/backup';
 * const r = await prune({ collection: storage, dryRun: true });
 * for (const i of r.items) console.log(i.kind, i.id, i.remove ? 'remove' : `keep: ${i.reason}`);
 * ```
 */
export async function prune(options: PruneOptions): Promise<PruneResult> {
  const minAgeMs = minAgeOf(options.minAge);
  if (options.unreferencedPacks === true && (options.keys ?? []).length === 0)
    throw new BackupError(
      'ERR_BACKUP_NO_KEY',
      'finding unreferenced packs reads every layer’s tree: give a key of the chains',
    );
  const collection = new Collection(options.collection);
  const now = (options.now ?? (() => new Date()))().getTime();
  const items: { item: PruneItem; files: Found[] }[] = [];
  const judge = (kind: PruneItem['kind'], id: string, files: Found[], keep?: string) => {
    const times = files.map((f) => f.mtime);
    const known = times.every((t) => t !== undefined);
    const newest = known && times.length > 0 ? Math.max(...(times as number[])) : undefined;
    let reason = keep;
    if (reason === undefined && !known)
      reason = 'the storage does not report when its files were written';
    else if (reason === undefined && newest !== undefined && now - newest < minAgeMs)
      reason = `younger than the minimum age (${formatMs(minAgeMs)}): maybe a backup in progress`;
    const item: PruneItem = {
      kind,
      id,
      files: files.length,
      bytes: files.reduce((n, f) => n + f.size, 0),
      ...(newest === undefined ? {} : { newest: new Date(newest).toISOString() }),
      remove: reason === undefined,
      ...(reason === undefined ? {} : { reason }),
    };
    items.push({ item, files });
  };

  // Every chain directory in every destination, committed or not.
  const byChain = new Map<string, Found[]>();
  for (const storage of collection.destinations.values()) {
    for await (const o of storage.list('')) {
      const full = o.key.split('/').slice(0, 3).join('/');
      if (!FULL_ID.test(full)) continue;
      let files = byChain.get(full);
      if (files === undefined) {
        files = [];
        byChain.set(full, files);
      }
      files.push({ storage, key: o.key, size: o.size, mtime: o.mtime });
    }
  }
  const committed: string[] = [];
  for (const [full, files] of [...byChain].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const hasSnapshot = files.some(
      (f) => f.storage === collection.main && f.key === `${full}/${SNAPSHOT}`,
    );
    if (!hasSnapshot) judge('unfinished-chain', full, files);
    else committed.push(full);
  }

  // Incremental snapshots no claim reaches.
  for (const full of committed) {
    const layers = await collection.layers(full);
    // The newest incremental's stamp (undefined when the chain is its full backup alone).
    const last = /\/incrementals\/([0-9]{8}-[0-9]{6}\.[0-9]{2})$/.exec(
      layers[layers.length - 1] as string,
    )?.[1];
    const files = byChain.get(full) as Found[];
    for (const f of files) {
      const m = /^(.*\/incrementals\/([0-9]{8}-[0-9]{6}\.[0-9]{2}))\/SNAPSHOT$/.exec(f.key);
      if (m === null || f.storage !== collection.main || layers.includes(m[1] as string)) continue;
      // Its parent was a committed layer: the full backup, or an incremental older than it (its
      // backup checked). Once an incremental newer than it is committed, its parent is not the
      // last layer, so the place it would claim is taken for good (claims are never removed).
      const pending = last === undefined || (m[2] as string) > last;
      judge(
        'unclaimed-layer',
        m[1] as string,
        [f],
        pending
          ? 'newer than the chain’s last layer: its backup may still claim its place'
          : undefined,
      );
    }
  }

  // Packs no layer references (with keys).
  const unchecked: string[] = [];
  for (const full of committed) {
    if ((options.keys ?? []).length === 0) {
      unchecked.push(full);
      continue;
    }
    const packs = await unreferencedPacks(collection, full, options.keys as KeyWrapper[]);
    if (packs === undefined) {
      unchecked.push(full);
      continue;
    }
    const files = byChain.get(full) as Found[];
    for (const [locality, key] of packs) {
      const storage = collection.storageFor(locality, key);
      const f = files.find((x) => x.storage === storage && x.key === key);
      if (f === undefined) continue;
      judge(
        'unreferenced-pack',
        key,
        [f],
        options.unreferencedPacks === true
          ? undefined
          : 'not deleted without --unreferenced-packs (a running backup may reuse its chunks)',
      );
    }
  }

  const removed = { files: 0, bytes: 0 };
  for (const { item, files } of items) {
    if (!item.remove) continue;
    removed.files += item.files;
    removed.bytes += item.bytes;
    if (options.dryRun === true) continue;
    // ENCRYPTION_INFO last: an unfinished chain stays recognisable until its last file goes.
    const order = [...files].sort((a, b) => rank(a.key) - rank(b.key));
    for (const f of order) await f.storage.delete(f.key);
  }
  return {
    dryRun: options.dryRun === true,
    minAgeMs,
    items: items.map((i) => i.item),
    removed,
    unchecked,
  };
}

function rank(key: string): number {
  return /\/ENCRYPTION_INFO[^/]*$/.test(key) ? 1 : 0;
}

function minAgeOf(minAge: number | string | undefined): number {
  if (minAge === undefined) return DEFAULT_MIN_AGE_MS;
  if (typeof minAge === 'number') {
    if (!Number.isFinite(minAge) || minAge < 0)
      throw new BackupError(
        'ERR_BACKUP_BAD_ARGUMENT',
        `prune: minAge must be a non-negative number of milliseconds, received ${minAge}`,
      );
    return minAge;
  }
  const d = parseDuration(minAge);
  if (d.years !== 0 || d.months !== 0)
    throw new BackupError(
      'ERR_BACKUP_BAD_ARGUMENT',
      `prune: give the minimum age in weeks, days or hours, not ${JSON.stringify(minAge)}`,
    );
  return (d.days * 24 + d.hours) * 60 * 60 * 1000;
}

function formatMs(ms: number): string {
  const h = ms / 3_600_000;
  return Number.isInteger(h) ? `${h}h` : `${ms} ms`;
}

/**
 * The packs of a chain (as locality and key) none of whose blobs any layer's tree references,
 * or undefined when none of `keys` opens the chain.
 */
async function unreferencedPacks(
  collection: Collection,
  full: string,
  keys: KeyWrapper[],
): Promise<[string, string][] | undefined> {
  let chain: Awaited<ReturnType<typeof openChain>>;
  try {
    chain = await openChain(collection, full, keys);
  } catch (e) {
    if (e instanceof BackupError && e.code === 'ERR_BACKUP_NO_KEY') return undefined;
    throw e;
  }
  const chainKeys = chain.keys;
  const layers = await readSnapshots(collection, chainKeys, full);
  const packs = await ChainPacks.open(collection, full, chainKeys);
  const referenced = new Set<string>();
  for (const { snapshot } of layers) await mark(packs.trees, decodeHex(snapshot.root), referenced);
  const out: [string, string][] = [];
  for (const [locality, index] of packs.indexes()) {
    const used = new Map<string, boolean>();
    for (const [hex, at] of index.entries())
      used.set(at.pack, (used.get(at.pack) ?? false) || referenced.has(hex));
    for (const [pack, isUsed] of used) if (!isUsed) out.push([locality, pack]);
  }
  return out;
}

/** Adds to `seen` the id of every tree (ranges included) and chunk under tree `id`. */
async function mark(trees: TreeStore, id: Uint8Array, seen: Set<string>): Promise<void> {
  const hex = encodeHex(id);
  if (seen.has(hex)) return;
  seen.add(hex);
  const tree = await trees.get(id);
  const parts = tree.kind === 'entries' ? [tree] : [];
  if (tree.kind === 'ranges')
    for (const r of tree.ranges) {
      seen.add(encodeHex(r.tree));
      const part = await trees.get(r.tree);
      if (part.kind !== 'entries')
        throw new BackupError('ERR_BACKUP_CORRUPT', 'a range of a directory is itself split');
      parts.push(part);
    }
  for (const part of parts)
    for (const e of part.entries) {
      for (const c of e.chunks ?? []) seen.add(encodeHex(c));
      if (e.type === 'dir') await mark(trees, e.tree as Uint8Array, seen);
    }
}
