interface Job<T> {
  promise?: Promise<T>;
  done: boolean;
  value?: T;
}

function isThenable<T>(x: T | Promise<T>): x is Promise<T> {
  return typeof (x as { then?: unknown } | null)?.then === 'function';
}

/**
 * Keeps up to `limit` asynchronous jobs running and hands their results back strictly in the
 * order they were started. A job's rejection surfaces when its turn comes. Results that are
 * already there (synchronous engines) pass straight through when nothing is ahead of them.
 */
export class OrderedQueue<T> {
  readonly #limit: number;
  readonly #jobs: Job<T>[] = [];

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
    if (!isThenable(job)) {
      if (this.#jobs.length === 0) {
        emit(job);
        return;
      }
      this.#jobs.push({ done: true, value: job });
    } else {
      const entry: Job<T> = { promise: job, done: false };
      job.then(
        (v) => {
          entry.done = true;
          entry.value = v;
        },
        () => {},
      );
      this.#jobs.push(entry);
    }
    while (this.#jobs.length >= this.#limit || this.#jobs[0]?.done === true) {
      const head = this.#jobs.shift() as Job<T>;
      emit(head.done ? (head.value as T) : await (head.promise as Promise<T>));
    }
  }

  /** Emits every remaining result in order. */
  async drain(emit: (value: T) => void): Promise<void> {
    while (this.#jobs.length > 0) {
      const head = this.#jobs.shift() as Job<T>;
      emit(head.done ? (head.value as T) : await (head.promise as Promise<T>));
    }
  }
}
