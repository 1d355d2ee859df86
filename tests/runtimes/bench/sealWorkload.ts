import { encryptStream } from '@sealstream/aead';

/**
 * The benchmark workload, identical in every runtime: seal `mib` MiB (1 MiB chunks of one
 * pre-filled buffer, so input generation costs nothing) with {@link encryptStream} and the
 * runtime's default engine (or `engine`), counting the output. Returns the sealed byte count.
 *
 * @example
 * ```ts
 * import { sealWorkload } from './sealWorkload.ts';
 * console.log(await sealWorkload(1)); // 1048576 plus header and tags
 * ```
 */
export async function sealWorkload(
  mib: number,
  engine?: 'webcrypto' | 'noble' | 'node',
): Promise<number> {
  const chunk = new Uint8Array(1 << 20);
  crypto.getRandomValues(chunk.subarray(0, 65536));
  const key = crypto.getRandomValues(new Uint8Array(32));
  let sent = 0;
  const source = new ReadableStream<Uint8Array>({
    pull(c) {
      if (sent++ < mib) c.enqueue(chunk);
      else c.close();
    },
  });
  let out = 0;
  await source.pipeThrough(encryptStream(key, engine === undefined ? {} : { engine })).pipeTo(
    new WritableStream({
      write(c) {
        out += c.length;
      },
    }),
  );
  return out;
}
