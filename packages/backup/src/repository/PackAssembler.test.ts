import { deriveChainKeys } from '@sealstream/manifest';
import { describe, expect, it } from 'vitest';
import { PackAssembler, shuffle } from './PackAssembler.ts';

describe('PackAssembler', () => {
  it('shuffles more items than one getRandomValues call can serve (a pack of 100,000 tiny blobs)', () => {
    const items = Array.from({ length: 100_000 }, (_, i) => i);
    const out = shuffle(items);
    expect(out).toHaveLength(items.length);
    expect([...out].sort((a, b) => a - b)).toEqual(items);
    expect(out.slice(-100)).not.toEqual(items.slice(-100));
  });

  it('assembles a pack of 20,000 blobs with an index of them all', async () => {
    const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    const packer = new PackAssembler('data', keys);
    for (let i = 0; i < 20_000; i++) {
      const id = new Uint8Array(32);
      new DataView(id.buffer).setUint32(0, i);
      packer.add(id, new Uint8Array(8).fill(i & 0xff), 1);
    }
    const pack = await packer.assemble();
    expect(pack.blobs).toHaveLength(20_000);
    const b = pack.blobs[123] as (typeof pack.blobs)[number];
    const i = new DataView(b.id.buffer).getUint32(0);
    expect(pack.bytes.subarray(b.offset, b.offset + 8)).toEqual(new Uint8Array(8).fill(i & 0xff));
  });
});
