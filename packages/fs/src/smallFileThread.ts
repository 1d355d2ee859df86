import { Worker } from 'node:worker_threads';
import { concatBytes } from '@sealstream/streams';
import type { SmallFile } from './writeSmallFile.ts';

/**
 * The thread's module, next to this one: `smallFileThread.worker.js` in the built package; from
 * sources an entry that registers tsx in the thread first, as the AES-GCM worker does
 * (docs/decisions/0014-seal-worker-module.md).
 */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./smallFileThread.sources.mjs', import.meta.url)
  : new URL('./smallFileThread.worker.js', import.meta.url);

/** Files sent to the thread in one message, at most. */
const BATCH_FILES = 128;
/** Bytes of content sent to the thread in one message, at most (past one file's worth). */
const BATCH_BYTES = 1024 * 1024;
/** Batches sent and not yet answered before `write` makes its caller wait. */
const BATCHES_IN_FLIGHT = 4;

/** A file of a batch: where its content is in the batch's buffer. */
export type BatchFile = Omit<SmallFile, 'pieces'> & { offset: number; length: number };

/** A message to the thread: files to write, in order, their contents in one transferred buffer. */
export interface Batch {
  buf: ArrayBuffer;
  files: BatchFile[];
}

/**
 * The thread's answer to a batch (batches are answered in order): written, or the first failure
 * (the files after it are not).
 */
export interface BatchReply {
  error?: {
    message: string;
    code?: string | undefined;
    errno?: number | undefined;
    syscall?: string | undefined;
    path?: string | undefined;
  };
}

/**
 * Writes small files ({@link writeSmallFile}) on a thread of its own, so that their system calls
 * — mostly the kernel's work of creating a file — run beside the restore's decryption and
 * decoding instead of after them (docs/decisions/0016-restore-staging-and-file-thread.md).
 * `write` copies a file's content into the batch being gathered and returns at once (or, when
 * {@link BATCHES_IN_FLIGHT} batches are unanswered, once one is); a failure is reported by the
 * next `write` or by `close`. The thread is started on the first file and stopped by `close`.
 *
 * @example
 * ```ts
 * const files = new SmallFileThread();
 * await files.write({ path: '/tmp/a', pieces: [bytes], mode: 0o644, exact: true, fsync: false, replace: false });
 * await files.close(); // every file written, or the first failure thrown
 * ```
 */
export class SmallFileThread {
  #worker: Worker | undefined;
  #gathered: SmallFile[] = [];
  #gatheredBytes = 0;
  #flushScheduled = false;
  /** Batches sent and not yet answered. */
  #inFlight = 0;
  #waiters: (() => void)[] = [];
  #failure: Error | undefined;

  /** Hands a file over; waits only while too many batches are unanswered. */
  write(file: SmallFile): Promise<void> | undefined {
    if (this.#failure !== undefined) throw this.#failure;
    this.#gathered.push(file);
    for (const p of file.pieces) this.#gatheredBytes += p.byteLength;
    if (this.#gathered.length >= BATCH_FILES || this.#gatheredBytes >= BATCH_BYTES) this.#send();
    else if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      setImmediate(() => {
        this.#flushScheduled = false;
        this.#send();
      });
    }
    if (this.#inFlight < BATCHES_IN_FLIGHT) return undefined;
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  /** Waits until every file handed over is written; throws the first failure. */
  async settle(): Promise<void> {
    this.#send();
    while (this.#inFlight > 0) await new Promise<void>((r) => this.#waiters.push(r));
    if (this.#failure !== undefined) throw this.#failure;
  }

  /** {@link settle}, then stops the thread (a later `write` starts another). */
  async close(): Promise<void> {
    try {
      await this.settle();
    } finally {
      const worker = this.#worker;
      this.#worker = undefined;
      await worker?.terminate();
    }
  }

  #send(): void {
    const files = this.#gathered;
    if (files.length === 0 || this.#failure !== undefined) return;
    this.#gathered = [];
    this.#gatheredBytes = 0;
    // A copy (the pieces may be views into a larger buffer that must not be transferred).
    const batch: Batch = { buf: concatBytes(...files.flatMap((f) => f.pieces)).buffer, files: [] };
    let offset = 0;
    for (const { pieces, ...rest } of files) {
      const length = pieces.reduce((n, p) => n + p.byteLength, 0);
      batch.files.push({ ...rest, offset, length });
      offset += length;
    }
    const worker = this.#thread();
    // The thread keeps the process alive only while it has files to write.
    if (this.#inFlight++ === 0) worker.ref();
    worker.postMessage(batch, [batch.buf]);
  }

  #thread(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(WORKER_URL, { execArgv: [] });
    worker.unref();
    worker.on('message', (reply: BatchReply) => {
      if (reply.error !== undefined)
        this.#failure ??= Object.assign(new Error(reply.error.message), reply.error);
      this.#answered(1);
    });
    const lost = (cause: unknown) => {
      this.#failure ??= new Error(
        `the thread writing small files stopped: ${cause instanceof Error ? cause.message : String(cause)}`,
        { cause },
      );
      this.#answered(this.#inFlight);
    };
    worker.on('error', lost);
    worker.on('exit', (code) => {
      if (this.#worker === worker) {
        this.#worker = undefined;
        if (this.#inFlight > 0) lost(new Error(`exit code ${code}`));
      }
    });
    this.#worker = worker;
    return worker;
  }

  /** `n` batches were answered (or will never be). */
  #answered(n: number): void {
    this.#inFlight = Math.max(0, this.#inFlight - n);
    if (this.#inFlight === 0) this.#worker?.unref();
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const w of waiters) w();
  }
}
