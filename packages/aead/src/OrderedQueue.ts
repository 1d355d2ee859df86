/**
 * Keeps up to `limit` asynchronous jobs running and hands their results back strictly in the
 * order they were started. A job's rejection surfaces when its turn comes.
 */
export class OrderedQueue<T> {
  readonly #limit: number;
  readonly #jobs: { promise: Promise<T>; done: boolean; value?: T }[] = [];

  constructor(limit: number) {
    this.#limit = limit;
  }

  get size(): number {
    return this.#jobs.length;
  }

  /**
   * Adds a job; then, while the queue is at its limit or its head is already done, passes the
   * head's result to `emit`. Awaiting only the head applies backpressure to the caller.
   */
  async push(job: T | Promise<T>, emit: (value: T) => void): Promise<void> {
    const entry: { promise: Promise<T>; done: boolean; value?: T } = {
      promise: Promise.resolve(job),
      done: false,
    };
    entry.promise.then(
      (v) => {
        entry.done = true;
        entry.value = v;
      },
      () => {},
    );
    this.#jobs.push(entry);
    while (this.#jobs.length >= this.#limit || this.#jobs[0]?.done === true) {
      const head = this.#jobs.shift();
      if (head === undefined) break;
      emit(await head.promise);
    }
  }

  /** Emits every remaining result in order. */
  async drain(emit: (value: T) => void): Promise<void> {
    while (this.#jobs.length > 0) {
      const head = this.#jobs.shift() as { promise: Promise<T> };
      emit(await head.promise);
    }
  }
}
