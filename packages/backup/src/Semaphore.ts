/** A counting semaphore: at most `limit` holders at once, waiters served in order. */
export class Semaphore {
  #free: number;
  readonly #waiting: (() => void)[] = [];

  constructor(limit: number) {
    this.#free = Math.max(1, limit);
  }

  /** Runs `fn` while holding one unit. */
  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#free > 0) this.#free--;
    else await new Promise<void>((resolve) => this.#waiting.push(resolve));
    try {
      return await fn();
    } finally {
      const next = this.#waiting.shift();
      if (next) next();
      else this.#free++;
    }
  }
}

/** Objects at least this large count as large: few of them run at once (memory, disk). */
export const LARGE_OBJECT_BYTES = 8 * 1024 * 1024;
/** Objects processed at once by default (small ones overlap their per-file latency: fsync, requests). */
export const DEFAULT_CONCURRENCY = 8;
/** Large objects processed at once by default. */
export const DEFAULT_LARGE_CONCURRENCY = 2;
