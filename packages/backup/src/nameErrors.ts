import { withFile } from './BackupError.ts';

/**
 * Passes `readable` through, re-raising any failure (storage, decryptor, size check) as a
 * {@link BackupError} naming `file`.
 */
export function nameErrors(
  readable: ReadableStream<Uint8Array>,
  file: string,
): ReadableStream<Uint8Array> {
  const reader = readable.getReader();
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        try {
          const { done, value } = await reader.read();
          if (done) controller.close();
          else controller.enqueue(value);
        } catch (e) {
          controller.error(withFile(e, file));
        }
      },
      cancel(reason) {
        return reader.cancel(reason);
      },
    },
    { highWaterMark: 0 },
  );
}
