import aead from './aead.bench.ts';
import type { BenchCase } from './BenchCase.ts';
import backup from './backup.bench.ts';
import chunker from './chunker.bench.ts';
import compression from './compression.bench.ts';
import growth from './growth.bench.ts';
import kdf from './kdf.bench.ts';
import rss from './rss.bench.ts';
import runtimes from './runtimes.bench.ts';
import scale from './scale.bench.ts';
import storage from './storage.bench.ts';

/** Every case, in the order `pnpm bench` runs them. */
export const cases: readonly BenchCase[] = [
  aead,
  chunker,
  compression,
  kdf,
  rss,
  backup,
  scale,
  growth,
  storage,
  runtimes,
];
