import { decrypt, encrypt } from '@sealstream/aead';
import { encodeHex, SealstreamError } from '@sealstream/streams';
import { ManifestError } from './ManifestError.ts';
import { sealedAssociatedData } from './sealedKinds.ts';
import { parseJson, StrictReader } from './strictJson.ts';

/** A layer of a v2 chain: what its tree is and which layer it follows (docs/COLLECTION-FORMAT-V2.md §6). */
export interface Snapshot {
  /** The layer's id (a full backup's dated id, or `<full>/incrementals/<stamp>`). */
  layerId: string;
  type: 'full' | 'incremental';
  /** For an incremental: the layer it follows and the SHA-256 of that layer's sealed snapshot. */
  parent?: { layerId: string; digest: string };
  /** The root tree id (64 hex digits). */
  root: string;
  /** ISO-8601 times the layer was started and finished. */
  startTime: string;
  endTime: string;
  /** Entries in the layer's tree, their plaintext bytes, and what this layer added. */
  stats: { entries: number; bytes: number; newBlobs: number; newBytes: number };
  /** The localities that hold this layer's packs. */
  localities: string[];
  /**
   * The names of the owners of the layer's entries at backup time, where the source knew them
   * (user and group names by numeric id, each list sorted by id); absent when none were known.
   */
  owners?: { users: OwnerName[]; groups: OwnerName[] };
}

/** A user or group name and its numeric id, as the backed-up system had them. */
export interface OwnerName {
  id: number;
  name: string;
}

/** The most users (and the most groups) a snapshot names. */
export const MAX_OWNER_NAMES = 10_000;
const OWNER_NAME = /^[^\p{Cc}:]{1,256}$/u;

const FORMAT = 'sealstream-snapshot';
const VERSION = 1;
const HEX64 = /^[0-9a-f]{64}$/;
const LAYER_ID = /^[0-9A-Za-z/._-]{1,200}$/;
/** The largest sealed snapshot a reader accepts (a snapshot is small: its tree is elsewhere). */
export const MAX_SNAPSHOT_BYTES = 1 << 20;

/**
 * Seals a snapshot under the chain's meta key, with associated data `snapshot(chainId, layerId)`:
 * the bytes a layer is committed by writing (create-if-absent).
 *
 * @example
 * ```ts
 * import { deriveChainKeys, openSnapshot, sealSnapshot } from '@sealstream/manifest';
 * const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
 * const s = { layerId: '2026/12/06-031500.12', type: 'full' as const, root: 'ab'.repeat(32),
 *   startTime: '2026-12-06T03:15:00.120Z', endTime: '2026-12-06T03:15:09.000Z',
 *   stats: { entries: 3, bytes: 10, newBlobs: 2, newBytes: 10 }, localities: ['default'] };
 * const sealed = await sealSnapshot(keys.meta, keys.chainId, s);
 * console.log((await openSnapshot(keys.meta, keys.chainId, s.layerId, sealed)).root === s.root); // true
 * ```
 */
export async function sealSnapshot(
  metaKey: Uint8Array,
  chainId: string,
  snapshot: Snapshot,
): Promise<Uint8Array> {
  const text = JSON.stringify({
    format: FORMAT,
    version: VERSION,
    layerId: snapshot.layerId,
    type: snapshot.type,
    ...(snapshot.parent === undefined ? {} : { parent: snapshot.parent }),
    root: snapshot.root,
    startTime: snapshot.startTime,
    endTime: snapshot.endTime,
    stats: snapshot.stats,
    localities: snapshot.localities,
    ...(snapshot.owners === undefined
      ? {}
      : {
          owners: {
            users: snapshot.owners.users.map((o) => [o.id, o.name]),
            groups: snapshot.owners.groups.map((o) => [o.id, o.name]),
          },
        }),
  });
  // Validate what is written exactly as a reader will.
  const plain = new TextEncoder().encode(text);
  decodeSnapshot(plain, snapshot.layerId);
  return encrypt(metaKey, plain, {
    associatedData: sealedAssociatedData('snapshot', [chainId, snapshot.layerId]),
  });
}

/**
 * Opens the sealed snapshot of layer `layerId` of chain `chainId` and validates it strictly.
 * Authentication failures keep the stream format's code; a malformed snapshot is
 * `ERR_MANIFEST_INVALID`; every error names `file`.
 */
export async function openSnapshot(
  metaKey: Uint8Array,
  chainId: string,
  layerId: string,
  sealed: Uint8Array,
  file?: string,
): Promise<Snapshot> {
  const where = file === undefined ? {} : { file };
  if (sealed.length > MAX_SNAPSHOT_BYTES)
    throw new ManifestError(
      'ERR_MANIFEST_TOO_LARGE',
      `larger than ${MAX_SNAPSHOT_BYTES} bytes`,
      where,
    );
  let plain: Uint8Array;
  try {
    plain = await decrypt(metaKey, sealed, {
      associatedData: sealedAssociatedData('snapshot', [chainId, layerId]),
    });
  } catch (e) {
    if (e instanceof SealstreamError)
      throw new ManifestError(e.code, `snapshot: ${e.message}`, { ...where, cause: e });
    throw e;
  }
  return decodeSnapshot(plain, layerId, file);
}

function decodeSnapshot(plain: Uint8Array, layerId: string, file?: string): Snapshot {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(plain);
  } catch (cause) {
    throw new ManifestError('ERR_MANIFEST_INVALID', 'snapshot: not UTF-8', {
      ...(file === undefined ? {} : { file }),
      cause,
    });
  }
  const r = new StrictReader(parseJson(text, file), 'snapshot', file);
  if (r.raw('format') !== FORMAT) throw r.fail('not a sealstream snapshot');
  const version = r.raw('version');
  if (version !== VERSION)
    throw new ManifestError(
      'ERR_MANIFEST_UNSUPPORTED_VERSION',
      `snapshot version ${String(version)} is not supported (this build reads version ${VERSION})`,
      file === undefined ? {} : { file },
    );
  const id = r.string('layerId', { max: 200, pattern: LAYER_ID });
  if (id !== layerId) throw r.fail(`says it is layer ${id}, not ${layerId}`);
  const type = r.oneOf('type', ['full', 'incremental'] as const);
  const snapshot: Snapshot = {
    layerId: id,
    type,
    root: '',
    startTime: '',
    endTime: '',
    stats: { entries: 0, bytes: 0, newBlobs: 0, newBytes: 0 },
    localities: [],
  };
  if (r.has('parent')) {
    const p = r.object('parent');
    snapshot.parent = {
      layerId: p.string('layerId', { max: 200, pattern: LAYER_ID }),
      digest: p.string('digest', { max: 64, pattern: HEX64 }),
    };
    p.done();
  } else r.raw('parent');
  if ((type === 'full') !== (snapshot.parent === undefined))
    throw r.fail('a full layer has no parent, an incremental one has one');
  snapshot.root = r.string('root', { max: 64, pattern: HEX64 });
  snapshot.startTime = r.string('startTime', { max: 40 });
  snapshot.endTime = r.string('endTime', { max: 40 });
  const s = r.object('stats');
  const max = Number.MAX_SAFE_INTEGER;
  snapshot.stats = {
    entries: s.integer('entries', 0, max),
    bytes: s.integer('bytes', 0, max),
    newBlobs: s.integer('newBlobs', 0, max),
    newBytes: s.integer('newBytes', 0, max),
  };
  s.done();
  const localities = r.array('localities', 64);
  if (localities.length === 0) throw r.fail('snapshot.localities is empty');
  snapshot.localities = localities.map((l, i) => {
    if (typeof l !== 'string' || !/^[A-Za-z0-9=._-]{1,64}$/.test(l))
      throw r.fail(`snapshot.localities[${i}] is not a locality name`);
    return l;
  });
  if (new Set(snapshot.localities).size !== snapshot.localities.length)
    throw r.fail('snapshot.localities repeats a name');
  if (r.has('owners')) {
    const o = r.object('owners');
    const names = (list: 'users' | 'groups') => {
      let previous = -1;
      return o.array(list, MAX_OWNER_NAMES).map((pair, i): OwnerName => {
        const [id, name, ...rest] = Array.isArray(pair) ? pair : [];
        if (
          !Array.isArray(pair) ||
          rest.length > 0 ||
          !Number.isInteger(id) ||
          (id as number) <= previous ||
          (id as number) > 0xffffffff ||
          typeof name !== 'string' ||
          !OWNER_NAME.test(name)
        )
          throw r.fail(`snapshot.owners.${list}[${i}] is not [id, name] in increasing id order`);
        previous = id as number;
        return { id: id as number, name };
      });
    };
    snapshot.owners = { users: names('users'), groups: names('groups') };
    o.done();
    if (snapshot.owners.users.length + snapshot.owners.groups.length === 0)
      throw r.fail('snapshot.owners is empty (absent when no name is known)');
  } else r.raw('owners');
  r.done();
  return snapshot;
}

/** The digest a child snapshot names its parent by: SHA-256 of the parent's sealed bytes, hex. */
export async function snapshotDigest(sealed: Uint8Array): Promise<string> {
  return encodeHex(
    new Uint8Array(await crypto.subtle.digest('SHA-256', sealed as Uint8Array<ArrayBuffer>)),
  );
}

/**
 * Checks that opened snapshots, oldest first, form one chain: the first is a full layer, and
 * each later one names the one before by layer id and by the digest of its sealed bytes. So
 * dropping, reordering, replaying or swapping a layer is detected. Throws
 * `ERR_MANIFEST_CHAIN_BROKEN` naming the first layer that does not follow.
 *
 * @example
 * ```ts
 * import { checkSnapshotChain } from '@sealstream/manifest';
 * await checkSnapshotChain([]); // an empty chain is trivially whole
 * ```
 */
export async function checkSnapshotChain(
  layers: readonly { snapshot: Snapshot; sealed: Uint8Array }[],
): Promise<void> {
  let previous: { layerId: string; digest: string } | undefined;
  for (const [i, { snapshot, sealed }] of layers.entries()) {
    const broken = (why: string) =>
      new ManifestError('ERR_MANIFEST_CHAIN_BROKEN', `layer ${snapshot.layerId}: ${why}`);
    if (i === 0) {
      if (snapshot.type !== 'full') throw broken('a chain starts with a full layer');
    } else if (
      snapshot.parent === undefined ||
      previous === undefined ||
      snapshot.parent.layerId !== previous.layerId ||
      snapshot.parent.digest !== previous.digest
    ) {
      throw broken(
        `does not follow ${previous?.layerId ?? 'nothing'} (a layer was dropped, reordered, replayed or replaced)`,
      );
    }
    previous = { layerId: snapshot.layerId, digest: await snapshotDigest(sealed) };
  }
}
