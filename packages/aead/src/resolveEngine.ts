import type { AeadEngine, EngineName } from './AeadEngine.ts';
import { nobleEngine } from './engines/nobleEngine.ts';
import { webcryptoEngine } from './engines/webcryptoEngine.ts';

let nodeEngine: AeadEngine | undefined;

/** Called once by the `node` entry point (index.node.ts) to make node:crypto the default. */
export function registerNodeEngine(engine: AeadEngine): void {
  nodeEngine = engine;
}

/** The engine used when the caller names none: node:crypto in Node, else WebCrypto, else noble. */
export function defaultEngine(): AeadEngine {
  if (nodeEngine !== undefined) return nodeEngine;
  return globalThis.crypto?.subtle !== undefined ? webcryptoEngine : nobleEngine;
}

/** Turns the `engine` option into an engine; TypeError for an unknown or unavailable one. */
export function resolveEngine(
  choice: AeadEngine | EngineName | undefined,
  caller: string,
): AeadEngine {
  if (choice === undefined) return defaultEngine();
  if (choice === 'webcrypto') return webcryptoEngine;
  if (choice === 'noble') return nobleEngine;
  if (choice === 'node') {
    if (nodeEngine === undefined) {
      throw new TypeError(
        `${caller}: engine 'node' is only available in Node (the package's node export condition)`,
      );
    }
    return nodeEngine;
  }
  if (
    typeof choice === 'object' &&
    choice !== null &&
    typeof choice.hkdf === 'function' &&
    typeof choice.createSegmentCipher === 'function'
  ) {
    return choice;
  }
  throw new TypeError(
    `${caller}: engine must be 'webcrypto', 'noble', 'node' or an AeadEngine object, received ${String(choice)}`,
  );
}
