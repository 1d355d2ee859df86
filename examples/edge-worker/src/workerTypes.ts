/**
 * The few Workers runtime types this example uses (so it needs no @cloudflare/workers-types).
 */

/** The subset of an R2 bucket binding the worker calls. */
export interface R2BucketLike {
  put(
    key: string,
    value: ReadableStream<Uint8Array>,
    options?: { customMetadata?: Record<string, string> },
  ): Promise<unknown>;
  get(key: string, options?: { onlyIf?: { etagMatches?: string } }): Promise<R2ObjectLike | null>;
}

/** An R2 object as `get` returns it; `body` is absent when an `onlyIf` condition failed. */
export interface R2ObjectLike {
  body?: ReadableStream<Uint8Array>;
  etag: string;
  size: number;
}

/** The worker's bindings (wrangler.toml / Miniflare options). */
export interface Env {
  /** R2 bucket that receives the sealed uploads. */
  FILES: R2BucketLike;
  /** Secret: the 32-byte local-kms master key, base64. Set with `wrangler secret put SEAL_KEY`. */
  SEAL_KEY: string;
}
