import type { Storage } from '@sealstream/storage';
import { Collection, type Destinations } from './Collection.ts';

/** A committed backup layer as listed without any key. */
export interface ListedBackup {
  id: string;
  full: string;
  type: 'full' | 'incremental';
  /** When it was taken (UTC, from its id). */
  time: string;
  /** True for the full backup LATEST points to. */
  latest: boolean;
}

/** Options of {@link list}. */
export interface ListOptions {
  /** The collection: one storage, or one per locality (`default` holds the metadata). */
  collection: Storage | Destinations | Record<string, Storage>;
}

/**
 * The committed backups of a collection, oldest first, each full backup followed by its
 * incremental layers. Needs no key: it reads only the layout (unfinished backups, which have no
 * manifest, are not listed).
 *
 * @example
 * ```ts
 * import { list } from '@sealstream/backup';
 * for (const b of await list({ collection: storage })) console.log(b.id, b.type);
 * ```
 */
export async function list(options: ListOptions): Promise<ListedBackup[]> {
  const collection = new Collection(options.collection);
  const fulls = await collection.fullBackups();
  let latest: string | undefined;
  if (fulls.length > 0) latest = await collection.latest().catch(() => undefined);
  const out: ListedBackup[] = [];
  for (const full of fulls) {
    for (const id of await collection.layers(full)) {
      out.push({
        id,
        full,
        type: id === full ? 'full' : 'incremental',
        time: timeOf(id),
        latest: id === latest,
      });
    }
  }
  return out;
}

function timeOf(id: string): string {
  const m =
    /(?:^|\/)([0-9]{4})\/([0-9]{2})\/([0-9]{2})-([0-9]{2})([0-9]{2})([0-9]{2})\.([0-9]{2})$/.exec(
      id,
    ) ??
    /\/incrementals\/([0-9]{4})([0-9]{2})([0-9]{2})-([0-9]{2})([0-9]{2})([0-9]{2})\.([0-9]{2})$/.exec(
      id,
    );
  if (!m) return '';
  const [, y, mo, d, h, mi, s, cs] = m;
  return `${y}-${mo}-${d}T${h}:${mi}:${s}.${cs}0Z`;
}
