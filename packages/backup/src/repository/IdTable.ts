import { mappedBuffer } from './mappedBuffer.ts';

/** Bytes of a blob id. */
export const ID_BYTES = 32;

/**
 * A set of 32-byte blob ids, numbered 0, 1, 2, … in the order added: the ids side by side in one
 * buffer, found through an open-addressing table of their numbers (linear probing, at most half
 * full) — about 40 bytes an id, with no object of its own. The blob index and a pack being
 * assembled keep their other facts of blob i in parallel typed arrays.
 *
 * @example
 * ```ts
 * import { IdTable } from './IdTable.ts';
 * const ids = new IdTable();
 * const n = ids.add(new Uint8Array(32).fill(7));
 * console.log(n, ids.find(new Uint8Array(32).fill(7)), ids.find(new Uint8Array(32))); // 0 0 -1
 * ```
 */
export class IdTable {
  #ids = new Uint8Array(0);
  #slots = new Uint32Array(0);
  #count = 0;

  /** Ids held. */
  get size(): number {
    return this.#count;
  }

  /** The number of `id`, or −1. */
  find(id: Uint8Array): number {
    if (id.length !== ID_BYTES || this.#count === 0) return -1;
    const mask = this.#slots.length - 1;
    for (let s = hashOf(id) & mask; ; s = (s + 1) & mask) {
      const e = this.#slots[s] as number;
      if (e === 0) return -1;
      if (this.#equals(e - 1, id)) return e - 1;
    }
  }

  /** Adds `id` (copied), which must not be held yet, and returns its number. */
  add(id: Uint8Array): number {
    if (id.length !== ID_BYTES)
      throw new RangeError(`a blob id is ${ID_BYTES} bytes, received ${id.length}`);
    const i = this.#count;
    if ((i + 1) * ID_BYTES > this.#ids.length) {
      const ids = new Uint8Array(
        mappedBuffer(Math.max(1024, 2 * (this.#ids.length / ID_BYTES)) * ID_BYTES),
      );
      ids.set(this.#ids);
      this.#ids = ids;
    }
    this.#ids.set(id, i * ID_BYTES);
    this.#count++;
    if (2 * this.#count > this.#slots.length) {
      this.#slots = new Uint32Array(mappedBuffer(4 * Math.max(2048, this.#slots.length * 2)));
      for (let k = 0; k < this.#count; k++) this.#place(k);
    } else this.#place(i);
    return i;
  }

  /**
   * Id number `i`, a view of the table's buffer (valid until the next `add`; a mapped buffer,
   * see {@link mappedBuffer}: copy it before handing it to a Web API).
   */
  id(i: number): Uint8Array {
    return this.#ids.subarray(i * ID_BYTES, (i + 1) * ID_BYTES);
  }

  /** Copies id number `i` into `out` at `at` (without making a view of it, as {@link IdTable.id} does). */
  copyId(i: number, out: Uint8Array, at: number): void {
    const ids = this.#ids;
    for (let k = 0, from = i * ID_BYTES; k < ID_BYTES; k++) out[at + k] = ids[from + k] as number;
  }

  #place(i: number): void {
    const mask = this.#slots.length - 1;
    let s = hashOf(this.id(i)) & mask;
    while (this.#slots[s] !== 0) s = (s + 1) & mask;
    this.#slots[s] = i + 1;
  }

  #equals(i: number, id: Uint8Array): boolean {
    const ids = this.#ids;
    const base = i * ID_BYTES;
    for (let k = 0; k < ID_BYTES; k++) if (ids[base + k] !== id[k]) return false;
    return true;
  }
}

/** The first four bytes of an id, a keyed MAC's output and so uniformly spread. */
function hashOf(id: Uint8Array): number {
  return (
    ((id[0] as number) |
      ((id[1] as number) << 8) |
      ((id[2] as number) << 16) |
      ((id[3] as number) << 24)) >>>
    0
  );
}
