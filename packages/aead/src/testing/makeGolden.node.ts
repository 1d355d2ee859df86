/**
 * Writes golden/v1.json: run once when the format is created, never to "fix" a failing golden
 * test (a failing golden test means the bytes of the format changed).
 * Run: node --conditions=@sealstream/source --import tsx packages/aead/src/testing/makeGolden.node.ts
 */
import { writeFileSync } from 'node:fs';
import { encodeHex } from '@sealstream/streams';
import { fixedRandom, pattern, seal } from './helpers.ts';
import '../index.node.ts';

const cases = [
  { name: 'empty plaintext, no associated data', segmentSize: 16, size: 0, ad: '' },
  { name: 'one byte', segmentSize: 16, size: 1, ad: 'a' },
  {
    name: 'three segments, short last',
    segmentSize: 64,
    size: 150,
    ad: 'backup-2026/data/000001.sst',
  },
  { name: 'exact multiple of the segment size', segmentSize: 64, size: 128, ad: 'x' },
  { name: 'default segment size', segmentSize: 1024 * 1024, size: 33, ad: 'default' },
];

const out = [];
for (const [i, c] of cases.entries()) {
  const key = pattern(32, 100 + i);
  const salt = pattern(32, 200 + i);
  const prefix = pattern(7, 300 + i);
  const plaintext = pattern(c.size, 400 + i);
  const associatedData = new TextEncoder().encode(c.ad);
  const ct = await seal(
    key,
    [plaintext],
    fixedRandom({ segmentSize: c.segmentSize, associatedData, engine: 'noble' }, salt, prefix),
  );
  out.push({
    name: c.name,
    key: encodeHex(key),
    salt: encodeHex(salt),
    noncePrefix: encodeHex(prefix),
    segmentSize: c.segmentSize,
    associatedData: encodeHex(associatedData),
    plaintext: encodeHex(plaintext),
    ciphertext: encodeHex(ct),
  });
}
writeFileSync(
  new URL('../../golden/v1.json', import.meta.url),
  `${JSON.stringify({ format: 'sealstream/aead v1', cases: out }, null, 2)}\n`,
);
