/**
 * Runs tasks with at most `limit` in flight, for a producer that must not run ahead: `add` waits
 * for a free slot before it starts the task, so memory stays O(limit) however many tasks come.
 * The first failure is kept: `add` and `drain` rethrow it, and no new task starts after it.
 *
 * @example
 * ```ts
 * import { TaskPool } from './TaskPool.ts';
 * const pool = new TaskPool(4);
 * for (const n of [1, 2, 3]) await pool.add(async () => console.log(n));
 * await pool.drain();
 * ```
 */
export class TaskPool {
  readonly #limit: number;
  readonly #running = new Set<Promise<void>>();
  #failed = false;
  #failure: unknown;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  /**
   * Waits for a free slot, starts `task`, and returns `{ done }`: a promise of its end that never
   * rejects (a failure is kept for `drain` and `check`).
   */
  async add(task: () => Promise<void>): Promise<{ done: Promise<void> }> {
    while (this.#running.size >= this.#limit) await Promise.race(this.#running);
    this.#throwIfFailed();
    const run: Promise<void> = task().then(
      () => undefined,
      (e: unknown) => {
        if (!this.#failed) {
          this.#failed = true;
          this.#failure = e;
        }
      },
    );
    const tracked = run.finally(() => this.#running.delete(tracked));
    this.#running.add(tracked);
    return { done: tracked };
  }

  /** Waits for every task started; rethrows the first failure. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all(this.#running);
    this.#throwIfFailed();
  }

  /** Rethrows the first failure, if there was one. */
  check(): void {
    this.#throwIfFailed();
  }

  #throwIfFailed(): void {
    if (this.#failed) throw this.#failure;
  }
}
