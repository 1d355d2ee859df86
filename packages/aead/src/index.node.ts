/**
 * @module @sealstream/aead (Node entry, chosen by the `node` export condition): everything of the
 * web entry, plus `nodeEngine`, which becomes the default engine.
 */
import {
  createNodeEngine,
  defaultWorkerCount,
  type NodeEngineOptions,
  nodeEngine,
} from './engines/nodeEngine.node.ts';
import { registerNodeEngine } from './resolveEngine.ts';

registerNodeEngine(nodeEngine);

export * from './index.ts';
export { createNodeEngine, defaultWorkerCount, type NodeEngineOptions, nodeEngine };
