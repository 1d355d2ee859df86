/**
 * Reads `source` whole when it holds at most `limit` bytes. When it holds more (a file that grew
 * after it was listed), stops reading and returns a stream of all of it — the chunks read so far,
 * then the rest — so the caller streams it instead; memory stays O(limit) either way.
 *
 * @example
 * ```ts
 * import { readSmall } from './readSmall.ts';
 * const r = await readSmall(new Blob(['hello']).stream(), 10);
 * console.assert('bytes' in r && r.bytes.length === 5);
 * ```
 */
export async function readSmall(
  source: ReadableStream<Uint8Array>,
  limit: number,
): Promise<{ bytes: Uint8Array } | { stream: ReadableStream<Uint8Array> }> {
  const reader = source.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const next = await reader.read();
    if (next.done) break;
    chunks.push(next.value);
    total += next.value.byteLength;
    if (total > limit) return { stream: replay(chunks, reader) };
  }
  if (chunks.length === 1) return { bytes: chunks[0] as Uint8Array };
  const bytes = new Uint8Array(total);
  let offset = 0;
  for (const c of chunks) {
    bytes.set(c, offset);
    offset += c.byteLength;
  }
  return { bytes };
}

/** The chunks already read, then whatever `reader` still has. */
function replay(
  chunks: Uint8Array[],
  reader: ReadableStreamDefaultReader<Uint8Array>,
): ReadableStream<Uint8Array> {
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const head = chunks.shift();
        if (head !== undefined) {
          controller.enqueue(head);
          return;
        }
        const next = await reader.read();
        if (next.done) controller.close();
        else controller.enqueue(next.value);
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
