import { describe, expect, it } from 'vitest';
import { nobleEngine } from './engines/nobleEngine.ts';
import { webcryptoEngine } from './engines/webcryptoEngine.ts';
import { createNodeEngine, defaultEngine, encrypt, nodeEngine } from './index.node.ts';
import { resolveEngine } from './resolveEngine.ts';

describe('engine selection', () => {
  it('resolves names and objects; node:crypto is the default in Node', () => {
    expect(resolveEngine('webcrypto', 'x')).toBe(webcryptoEngine);
    expect(resolveEngine('noble', 'x')).toBe(nobleEngine);
    expect(resolveEngine('node', 'x')).toBe(nodeEngine);
    expect(resolveEngine(undefined, 'x')).toBe(nodeEngine);
    expect(defaultEngine()).toBe(nodeEngine);
    const custom = createNodeEngine({ workers: 0 });
    expect(resolveEngine(custom, 'x')).toBe(custom);
    expect(() => resolveEngine({ name: 'fake' } as never, 'encryptStream')).toThrow(
      /encryptStream: engine must be 'webcrypto', 'noble', 'node' or an AeadEngine object/,
    );
  });

  it('names the node engines after their threads', () => {
    expect(createNodeEngine({ workers: 0 }).name).toBe('node');
    expect(createNodeEngine({ workers: 3 }).name).toBe('node+3w');
  });

  it('checks createNodeEngine options', () => {
    expect(() => createNodeEngine({ workers: -1 })).toThrow(RangeError);
    expect(() => createNodeEngine({ workers: 1.5 })).toThrow(RangeError);
    expect(() => createNodeEngine({ workers: 65 })).toThrow(RangeError);
  });

  it('seals large segments through workers to the same bytes as the calling thread', async () => {
    const key = new Uint8Array(32).fill(3);
    const plaintext = new Uint8Array(3 * 256 * 1024 + 5).map((_, i) => i * 31);
    const random = (await import('./testHook.ts')).RANDOM_SOURCE;
    const fixed = { [random]: (n: number) => new Uint8Array(n).fill(9) };
    const a = await encrypt(key, plaintext, {
      segmentSize: 256 * 1024,
      engine: createNodeEngine({ workers: 0 }),
      ...fixed,
    });
    const b = await encrypt(key, plaintext, {
      segmentSize: 256 * 1024,
      engine: createNodeEngine({ workers: 2 }),
      inFlight: 4,
      ...fixed,
    });
    expect(b).toEqual(a);
  });
});
