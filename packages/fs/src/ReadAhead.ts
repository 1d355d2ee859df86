import { Worker } from 'node:worker_threads';

/** A synchronous read of a small file slower than this went to the disk (ms): warm, about 0.01. */
const SLOW_READ_MS = 0.05;
/** Reads judged together: read-ahead starts when at least `SLOW_IN_WINDOW` of them were slow. */
const WINDOW = 32;
const SLOW_IN_WINDOW = 8;
/**
 * Windows that read-ahead, once started, runs before one window without it judges again (its
 * own reads are fast while it works).
 */
const ACTIVE_WINDOWS = 16;
/** Files handed to the read-ahead thread and not yet read, at most. */
const IN_FLIGHT = 32;

/**
 * The thread's module, next to this one: `ReadAhead.worker.js` in the built package; from
 * sources an entry that registers tsx in the thread first (docs/decisions/0014-seal-worker-module.md).
 */
const WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./ReadAhead.sources.mjs', import.meta.url)
  : new URL('./ReadAhead.worker.js', import.meta.url);

/**
 * Reads files ahead on a thread of its own while the walk's own reads of small files go to the
 * disk (a cold page cache: a nightly backup), so that several reads are in flight at once instead
 * of one; the walk's synchronous read then finds the file's pages in the cache. The thread
 * reads each file's first byte, which has the kernel read the whole of a small file (its first
 * read-ahead window), several files at a time through the thread pool; it is a thread because
 * a walk can run long without letting its own event loop turn. While
 * the cache is warm, nothing is read ahead: a walk reports each of its reads' durations
 * (`took`); read-ahead starts when a quarter of 32 reads were slow (a warm read takes about
 * 10 µs, one from the disk 50 µs or more), runs for 16 × 32 reads, then pauses for 32 to judge
 * again (docs/decisions/0012-synchronous-file-system-calls.md).
 *
 * @example
 * ```ts
 * const ahead = new ReadAhead();
 * ahead.start('/var/lib/app/data-0001'); // does nothing until reads were slow
 * ```
 */
export class ReadAhead {
  #reads = 0;
  #slow = 0;
  #active = false;
  /** Windows left before read-ahead pauses to judge again. */
  #left = 0;
  #worker: Worker | undefined;
  /** Files the thread has read ahead, counted by the thread. */
  #done: Int32Array | undefined;
  #started = 0;
  #lost = false;

  /** Whether files are being read ahead. */
  get active(): boolean {
    return this.#active;
  }

  /** Files handed to the thread that it has not read yet. */
  get pending(): number {
    return this.#done === undefined ? 0 : this.#started - Atomics.load(this.#done, 0);
  }

  /** Notes how long a synchronous read of a small file took, in ms. */
  took(ms: number): void {
    if (ms > SLOW_READ_MS) this.#slow++;
    if (++this.#reads < WINDOW) return;
    if (this.#active) this.#active = --this.#left > 0;
    else if (this.#slow >= SLOW_IN_WINDOW) {
      this.#active = true;
      this.#left = ACTIVE_WINDOWS;
    }
    this.#reads = 0;
    this.#slow = 0;
  }

  /** Starts reading `path` ahead, if read-ahead is on and has room; false when it did not. */
  start(path: string): boolean {
    if (!this.#active) return false;
    if (this.#worker === undefined) {
      this.#done = new Int32Array(new SharedArrayBuffer(4));
      this.#worker = new Worker(WORKER_URL, { execArgv: [], workerData: { done: this.#done } });
      this.#worker.unref();
      // Read-ahead is a hint: a thread that cannot start or stops reads nothing more ahead.
      this.#worker.on('error', () => {
        this.#lost = true;
      });
    }
    if (this.#lost || this.pending >= IN_FLIGHT) return false;
    this.#started++;
    this.#worker.postMessage(path);
    return true;
  }

  /** Stops the thread, if one was started. */
  async close(): Promise<void> {
    const worker = this.#worker;
    this.#worker = undefined;
    await worker?.terminate();
  }
}
