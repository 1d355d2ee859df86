import type { Storage } from '@sealstream/storage';

/** Objects of at most this many plaintext bytes go into packs (docs/COLLECTIONS.md, "Packs"). */
export const PACK_OBJECT_BYTES = 1024 * 1024;
/** A pack is committed once it holds at least this many bytes. */
export const PACK_TARGET_BYTES = 16 * 1024 * 1024;

/** Where a sealed object landed: its pack and the offset of its first byte there. */
export interface PackSlot {
  path: string;
  offset: number;
}

/**
 * Appends small objects' sealed streams back to back into pack objects of one storage, so a
 * backup of many small files writes a few large objects instead of one object (one request, one
 * fsync) per file. Appends are serialised; a full pack is committed in the background while the
 * next one fills. Nothing is durable until {@link finish} resolved; {@link abort} discards the
 * pack being written (committed packs stay: like any data object, they mean nothing until a
 * manifest names them).
 *
 * @example
 * ```ts
 * import { memoryStorage } from '@sealstream/storage';
 * import { PackWriter } from './PackWriter.ts';
 * const packs = new PackWriter(memoryStorage(), (n) => `b/data/t-p${n}.ssp`);
 * const a = await packs.add(new Uint8Array(100));
 * const b = await packs.add(new Uint8Array(50));
 * await packs.finish();
 * console.assert(a.path === b.path && b.offset === 100);
 * ```
 */
export class PackWriter {
  readonly #storage: Storage;
  readonly #pathOf: (n: number) => string;
  readonly #target: number;
  #serial = 0;
  #current:
    | { path: string; writer: WritableStreamDefaultWriter<Uint8Array>; size: number }
    | undefined;
  #queue: Promise<unknown> = Promise.resolve();
  #commits: Promise<void>[] = [];
  #failure: { error: unknown } | undefined;

  constructor(storage: Storage, pathOf: (n: number) => string, target = PACK_TARGET_BYTES) {
    this.#storage = storage;
    this.#pathOf = pathOf;
    this.#target = target;
  }

  /** Appends one sealed stream; resolves with where it is once the pack accepted the bytes. */
  add(sealed: Uint8Array): Promise<PackSlot> {
    const run = this.#queue.then(async () => {
      this.#check();
      try {
        if (this.#current === undefined) {
          const path = this.#pathOf(++this.#serial);
          const sink = await this.#storage.write(path, { ifAbsent: true });
          this.#current = { path, writer: sink.getWriter(), size: 0 };
        }
        const pack = this.#current;
        const offset = pack.size;
        await pack.writer.write(sealed);
        pack.size += sealed.byteLength;
        if (pack.size >= this.#target) this.#commit();
        return { path: pack.path, offset };
      } catch (error) {
        this.#failure ??= { error };
        throw error;
      }
    });
    this.#queue = run.catch(() => {});
    return run;
  }

  /** Commits the pack being filled and waits until every pack is committed. */
  async finish(): Promise<void> {
    await this.#queue;
    this.#check();
    this.#commit();
    await Promise.all(this.#commits);
    this.#check();
  }

  /** Discards the pack being filled (its bytes never become visible). */
  async abort(reason: unknown): Promise<void> {
    this.#failure ??= { error: reason };
    await this.#queue;
    const pack = this.#current;
    this.#current = undefined;
    await pack?.writer.abort(reason).catch(() => {});
    await Promise.allSettled(this.#commits);
  }

  #commit(): void {
    const pack = this.#current;
    if (pack === undefined) return;
    this.#current = undefined;
    this.#commits.push(
      pack.writer.close().catch((error: unknown) => {
        this.#failure ??= { error }; // surfaced by finish()
      }),
    );
  }

  #check(): void {
    if (this.#failure) throw this.#failure.error;
  }
}
