/** Sizes from which {@link mappedBuffer} asks for pages of the buffer's own. */
const OWN_PAGES_FROM = 64 * 1024;

/** ArrayBuffer's constructor as ES2024 has it (this project's TypeScript lib is ES2023). */
const ResizableArrayBuffer = ArrayBuffer as unknown as new (
  bytes: number,
  options: { maxByteLength: number },
) => ArrayBuffer;
const resizable = typeof (ArrayBuffer.prototype as { resize?: unknown }).resize === 'function';

/**
 * Memory a backup keeps for a while and sizes itself: the tables of blobs (ids, their places in
 * packs, hash tables of them) and the slabs a pack's small blobs wait in. An ArrayBuffer of
 * `bytes`, made resizable (to its own size, never resized) where the runtime has resizable
 * ArrayBuffers and `bytes` is 64 KiB or more.
 *
 * V8 maps a resizable buffer's memory from the operating system and unmaps it when the buffer is
 * collected, where a plain buffer comes from the C library's heap. Slabs and tables that were
 * allocated and freed there while packs were written left glibc's heap holding tens of MiB it
 * could not give back (decision 0022). Web IDL refuses resizable buffers (Chromium's WebCrypto
 * throws on them): bytes in such a buffer are copied out before they reach a Web API
 * ({@link isMapped} tells).
 *
 * @example
 * ```ts
 * import { isMapped, mappedBuffer } from './mappedBuffer.ts';
 * const slots = new Uint32Array(mappedBuffer(4 * 1024 * 1024));
 * console.log(slots.length, isMapped(slots)); // 1048576 true (where ArrayBuffers are resizable)
 * ```
 */
export function mappedBuffer(bytes: number): ArrayBuffer {
  return resizable && bytes >= OWN_PAGES_FROM
    ? new ResizableArrayBuffer(bytes, { maxByteLength: bytes })
    : new ArrayBuffer(bytes);
}

/** Whether `view` is on a buffer {@link mappedBuffer} gave pages of its own (one not to hand to a Web API). */
export function isMapped(view: ArrayBufferView): boolean {
  return (view.buffer as { resizable?: boolean }).resizable === true;
}

/** A column of `capacity` entries in a {@link mappedBuffer}, holding `from`'s entries first. */
export function grownColumn(from: Uint32Array, capacity: number): Uint32Array<ArrayBuffer> {
  const to = new Uint32Array(mappedBuffer(4 * capacity));
  to.set(from);
  return to;
}
