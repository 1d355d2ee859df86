import { encodeHex } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { BlobIndex, blobKey } from './BlobIndex.ts';

describe('BlobIndex', () => {
  it('keys blobs by their id in lowercase hex, as encodeHex spells it', () => {
    for (let i = 0; i < 50; i++) {
      const id = crypto.getRandomValues(new Uint8Array(32));
      expect(blobKey(id)).toBe(encodeHex(id));
    }
    const index = new BlobIndex();
    const id = new Uint8Array(32).fill(0xab);
    index.addPack('p', 'data', [{ id, offset: 5, sealedLength: 10, plainLength: 3 }]);
    expect(index.get(id.slice())).toMatchObject({ pack: 'p', offset: 5 });
    expect([...index.entries()][0]?.[0]).toBe('ab'.repeat(32));
    expect(index.packEnd('p')).toBe(15);
  });
});
