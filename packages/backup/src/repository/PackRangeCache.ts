import { readObject, type Storage } from '@sealstream/storage';
import type { BlobLocation } from './BlobIndex.ts';

/** Blobs up to this many sealed bytes are read through a window; larger ones are read exactly. */
export const WINDOWED_BLOB_BYTES = 256 * 1024;
/** Bytes of pack read at once for a small blob. */
export const WINDOW_BYTES = 1024 * 1024;
/** Windows kept, at most (the least recently used goes first). */
export const CACHE_BYTES = 32 * 1024 * 1024;

interface Window {
  pack: string;
  start: number;
  end: number;
  bytes: Promise<Uint8Array>;
}

/**
 * Reads the sealed bytes of blobs from their packs, small blobs a window at a time: a small blob
 * (a small file's chunk, a tree) is served from a 1 MiB range of its pack read once and kept in a
 * least-recently-used cache of 32 MiB, so a restore of many small files makes one ranged read per
 * megabyte of pack instead of one per file. Blobs are shuffled within a pack and packs follow the
 * order files were stored in, so one pack's windows are what a depth-first reader touches next.
 * Packs are immutable (random names, written create-if-absent), and every blob is still opened
 * and authenticated on its own by the caller, so a window can be reused without re-reading.
 * Concurrent readers of one window share one read. Memory: at most {@link CACHE_BYTES} plus the
 * windows being read.
 *
 * @example
 * ```ts
 * const cache = new PackRangeCache();
 * cache.windowed = true;
 * const sealed = await cache.read(storage, at, blobsEnd);
 * ```
 */
export class PackRangeCache {
  /**
   * Whether small blobs are read a window at a time (default false: every blob is read exactly,
   * as a reader of one range of one object wants). A reader of a whole tree turns it on.
   */
  windowed = false;
  /** Least recently used first. */
  #windows: Window[] = [];
  #bytes = 0;

  /**
   * The sealed bytes of the blob at `at` (at most `at.sealedLength` bytes: fewer when the pack
   * ends early). A windowed blob's bytes are a view of the cached window, not a copy: read them,
   * never write them (a copy of each of a restore's 100,000 small blobs showed in its profile).
   * `packEnd` is where the pack's blobs end (its index starts there), so no window reaches into
   * the index.
   */
  async read(storage: Storage, at: BlobLocation, packEnd: number | undefined): Promise<Uint8Array> {
    const blobEnd = at.offset + at.sealedLength;
    if (
      !this.windowed ||
      at.sealedLength > WINDOWED_BLOB_BYTES ||
      packEnd === undefined ||
      blobEnd > packEnd
    )
      return readObject(storage, at.pack, { start: at.offset, end: blobEnd });
    let window = this.#find(at.pack, at.offset, blobEnd);
    if (window === undefined) {
      let start = at.offset - (at.offset % WINDOW_BYTES);
      let end = Math.min(start + WINDOW_BYTES, packEnd);
      if (blobEnd > end) {
        start = at.offset;
        end = Math.min(start + WINDOW_BYTES, packEnd);
      }
      const added: Window = {
        pack: at.pack,
        start,
        end,
        bytes: readObject(storage, at.pack, { start, end }),
      };
      window = added;
      this.#windows.push(added);
      this.#bytes += end - start;
      while (this.#bytes > CACHE_BYTES && this.#windows.length > 1) this.#drop(0);
      added.bytes.catch(() => {
        const i = this.#windows.indexOf(added);
        if (i >= 0) this.#drop(i);
      });
    }
    const bytes = await window.bytes;
    return bytes.subarray(at.offset - window.start, blobEnd - window.start);
  }

  /** The cached window holding [start, end) of `pack`, moved to the most recently used end. */
  #find(pack: string, start: number, end: number): Window | undefined {
    for (let i = this.#windows.length - 1; i >= 0; i--) {
      const w = this.#windows[i] as Window;
      if (w.pack === pack && w.start <= start && end <= w.end) {
        if (i !== this.#windows.length - 1) {
          this.#windows.splice(i, 1);
          this.#windows.push(w);
        }
        return w;
      }
    }
    return undefined;
  }

  #drop(i: number): void {
    const [w] = this.#windows.splice(i, 1);
    if (w !== undefined) this.#bytes -= w.end - w.start;
  }
}
