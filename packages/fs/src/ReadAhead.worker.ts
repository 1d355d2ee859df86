/// <reference types="node" />
/**
 * The thread of {@link ReadAhead}: for each path it is sent, reads the file's first byte (the
 * kernel then reads the whole of a small file into its cache), several files at once through
 * the thread pool, and counts the files done in `workerData.done` (errors included: a file
 * that vanished or cannot be opened is the walk's to report).
 */
import { close, constants, open, read } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
const done = (workerData as { done: Int32Array }).done;
const scratch = new Uint8Array(1);
const finished = () => {
  Atomics.add(done, 0, 1);
};

(parentPort as NonNullable<typeof parentPort>).on('message', (path: string) => {
  open(path, FLAGS, (e, fd) => {
    if (e) return finished();
    read(fd, scratch, 0, 1, 0, () => close(fd, finished));
  });
});
