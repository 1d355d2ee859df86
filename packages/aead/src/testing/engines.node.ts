// Node-only test helpers (helpers.ts stays web-safe: the cross-runtime tests import it).
import type { AeadEngine, EngineName } from '../AeadEngine.ts';
import { createTunedNodeEngine } from '../engines/nodeEngine.node.ts';
import { createNodeEngine } from '../index.node.ts';

/** node:crypto on the calling thread only. */
export const mainThreadEngine = createNodeEngine({ workers: 0 });
/** node:crypto with every segment, however small, sent to two worker threads. */
export const workerEngine = createTunedNodeEngine({ workers: 2 }, { offloadBytes: 0 });

/** Every engine, by label: the named ones and both node:crypto paths. */
export const ALL_ENGINES = {
  webcrypto: 'webcrypto',
  noble: 'noble',
  node: 'node',
  'node main thread': mainThreadEngine,
  'node workers': workerEngine,
} as const satisfies Record<string, AeadEngine | EngineName>;

/** The labels of {@link ALL_ENGINES}, for `it.each`. */
export const ENGINE_LABELS = Object.keys(ALL_ENGINES) as (keyof typeof ALL_ENGINES)[];
