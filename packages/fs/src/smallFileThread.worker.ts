/// <reference types="node" />
/**
 * The thread of {@link SmallFileThread}: writes each batch's files in order with
 * {@link writeSmallFile}, the code the calling thread uses for the files it writes itself, and
 * answers each batch once: written, or the first failure (the files after it are left unwritten).
 */
import { parentPort } from 'node:worker_threads';
import type { Batch, BatchReply } from './smallFileThread.ts';
import { writeSmallFile } from './writeSmallFile.ts';

const port = parentPort as NonNullable<typeof parentPort>;

port.on('message', (batch: Batch) => {
  const all = new Uint8Array(batch.buf);
  let reply: BatchReply = {};
  try {
    for (const { offset, length, ...file } of batch.files)
      writeSmallFile({ ...file, pieces: [all.subarray(offset, offset + length)] });
  } catch (e) {
    const { message, code, errno, syscall, path } = e as NodeJS.ErrnoException;
    reply = { error: { message: String(message), code, errno, syscall, path } };
  }
  port.postMessage(reply);
});
