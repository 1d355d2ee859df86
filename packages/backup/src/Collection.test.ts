import { encryptionInfoName } from '@sealstream/manifest';
import { memoryStorage, writeObject } from '@sealstream/storage';
import { countingStorage } from '@sealstream/storage/testing';
import { describe, expect, it } from 'vitest';
import { backup } from './backup.ts';
import { list } from './list.ts';
import { restore } from './restore.ts';
import { entriesOf, memoryTarget, testKeys } from './testing/testkit.ts';

const HUGE = 64 * 1024 * 1024;
/** Most a bounded read of metadata may pull: its bound plus one 1 MiB memory-driver chunk. */
const PULL_LIMIT = 2 * 1024 * 1024 + 1024;

describe('Collection reads of small metadata', () => {
  it('skips a 64 MiB LATEST pointer after one chunk', async () => {
    const { storage, pulled, cancelled } = countingStorage(memoryStorage());
    const { a } = testKeys();
    const r = await backup({ collection: storage, keys: [a], entries: entriesOf({ f: 'x' }) });
    await writeObject(storage, 'latest/99991231235959-0', new Uint8Array(HUGE).fill(0x41));

    const listed = await list({ collection: storage });
    expect(listed.find((b) => b.latest)?.id).toBe(r.id);
    const target = memoryTarget();
    expect((await restore({ collection: storage, keys: [a], target })).id).toBe(r.id);
    expect(pulled.get('latest/99991231235959-0')).toBeLessThanOrEqual(PULL_LIMIT);
    expect(cancelled.has('latest/99991231235959-0')).toBe(true);
  });

  it('refuses a 64 MiB ENCRYPTION_INFO with ERR_MANIFEST_TOO_LARGE after one chunk', async () => {
    const { storage, pulled, cancelled } = countingStorage(memoryStorage());
    const { a } = testKeys();
    const r = await backup({ collection: storage, keys: [a], entries: entriesOf({ f: 'x' }) });
    const file = `${r.id}/${encryptionInfoName(2)}`;
    await writeObject(storage, file, new Uint8Array(HUGE).fill(0x7b));

    await expect(
      restore({ collection: storage, keys: [a], target: memoryTarget() }),
    ).rejects.toMatchObject({
      code: 'ERR_MANIFEST_TOO_LARGE',
      file,
    });
    expect(pulled.get(file)).toBeLessThanOrEqual(PULL_LIMIT);
    expect(cancelled.has(file)).toBe(true);
  });
});
