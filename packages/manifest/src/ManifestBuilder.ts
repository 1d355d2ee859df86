import type { BackupManifest, ManifestObject } from './BackupManifest.ts';
import { isSafeObjectName } from './manifestCodec.ts';

/**
 * Collects the objects of one backup layer as they are written (in any order, from concurrent
 * uploads) and produces the sorted, complete {@link BackupManifest}.
 *
 * @example
 * ```ts
 * import { ManifestBuilder } from '@sealstream/manifest';
 * const b = new ManifestBuilder({ backupId: '2026/11/28-011500.12', fullBackup: '2026/11/28-011500.12',
 *   chainId: '0'.repeat(32), type: 'full', startTime: new Date().toISOString() });
 * b.add({ name: 'a.txt', type: 'file', size: 0 });
 * console.log(b.finish({ endTime: new Date().toISOString() }).objects.length); // 1
 * ```
 */
export class ManifestBuilder {
  readonly #head: Omit<BackupManifest, 'objects' | 'deleted' | 'endTime' | 'localities'>;
  readonly #objects = new Map<string, ManifestObject>();
  readonly #localities = new Set<string>(['default']);

  constructor(head: Omit<BackupManifest, 'objects' | 'deleted' | 'endTime' | 'localities'>) {
    this.#head = head;
  }

  /** Adds one object; refuses unsafe or duplicate names. */
  add(object: ManifestObject): void {
    if (!isSafeObjectName(object.name)) {
      throw new TypeError(
        `ManifestBuilder: ${JSON.stringify(object.name)} is not a safe relative name`,
      );
    }
    if (this.#objects.has(object.name)) {
      throw new TypeError(`ManifestBuilder: duplicate object name ${JSON.stringify(object.name)}`);
    }
    if (object.data) this.#localities.add(object.data.locality);
    this.#objects.set(object.name, object);
  }

  get size(): number {
    return this.#objects.size;
  }

  /** The finished manifest; `previous` (the parent layer's objects) yields the deletions. */
  finish(options: { endTime: string; previous?: readonly ManifestObject[] }): BackupManifest {
    const objects = [...this.#objects.values()].sort((a, b) =>
      a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
    );
    const deleted = (options.previous ?? [])
      .map((o) => o.name)
      .filter((n) => !this.#objects.has(n))
      .sort();
    return {
      ...this.#head,
      endTime: options.endTime,
      objects,
      deleted,
      localities: [...this.#localities].sort(),
    };
  }
}
