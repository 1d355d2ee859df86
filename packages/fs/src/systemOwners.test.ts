import { lstat, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackupEntry, backup, restore } from '@sealstream/backup';
import { generateLocalKey, localKeyWrapper } from '@sealstream/kms';
import { memoryStorage } from '@sealstream/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTarget } from './directoryTarget.ts';
import { systemOwners } from './systemOwners.ts';
import { walkDirectory } from './walkDirectory.ts';

const root = process.getuid?.() === 0;
if (!root)
  console.warn('systemOwners.test: not running as root: restoring owners by name cannot be tested');

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sealstream-owners-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

/** An owner table read from passwd and group files written with these lines. */
async function table(name: string, passwd: string[], group: string[]) {
  const dir = join(base, name);
  await mkdir(dir);
  await writeFile(join(dir, 'passwd'), `${passwd.join('\n')}\n`);
  await writeFile(join(dir, 'group'), `${group.join('\n')}\n`);
  return systemOwners({ passwd: join(dir, 'passwd'), group: join(dir, 'group') });
}

describe('owner names', () => {
  it('reads passwd and group files as getpwuid and getpwnam find them', async () => {
    const t = await table(
      'parse',
      [
        '# a comment',
        'root:x:0:0:root:/root:/bin/bash',
        'alice:x:1000:1000::/home/alice:/bin/sh',
        'alias:x:1000:1000::/:/bin/sh',
        'alice:x:1001:1001::/:/bin/sh',
        'broken line',
        'bad:x:notanumber:0::/:/bin/sh',
      ],
      ['staff:x:50:alice'],
    );
    expect(t.userName(0)).toBe('root');
    expect(t.userName(1000)).toBe('alice'); // the first line of an id
    expect(t.userId('alice')).toBe(1000); // the first line of a name
    expect(t.userId('alias')).toBe(1000);
    expect(t.userId('bad')).toBeUndefined();
    expect(t.userName(1001)).toBe('alice');
    expect(t.groupName(50)).toBe('staff');
    expect(t.groupId('staff')).toBe(50);
    const none = systemOwners({ passwd: join(base, 'missing'), group: join(base, 'missing') });
    expect(none.userName(0)).toBeUndefined();
  });

  it.runIf(root)(
    'restores owners by name where the name exists here, by id otherwise or with numericOwner (skipped unless run as root)',
    async () => {
      const src = join(base, 'src');
      await mkdir(src);
      await writeFile(join(src, 'f'), 'owned');
      // The backed-up system calls uid 0 "alice" and gid 0 "staff".
      const there = await table('there', ['alice:x:0:0::/:/bin/sh'], ['staff:x:0:']);
      const entries: BackupEntry[] = [];
      for await (const e of walkDirectory(src, { owners: there })) entries.push(e);
      expect(entries[0]?.stat).toMatchObject({ user: 'alice', group: 'staff' });
      const collection = memoryStorage();
      const keys = [localKeyWrapper(generateLocalKey())];
      await backup({ collection, keys, entries });

      const ownerAfter = async (name: string, options: Parameters<typeof directoryTarget>[1]) => {
        const out = join(base, name);
        await restore({ collection, keys, target: await directoryTarget(out, options) });
        const st = await lstat(join(out, 'f'));
        return [st.uid, st.gid];
      };
      // Here "alice" is 2001 and "staff" 2002.
      const here = await table('here', ['alice:x:2001:2001::/:/bin/sh'], ['staff:x:2002:']);
      expect(await ownerAfter('by-name', { owner: true, owners: here })).toEqual([2001, 2002]);
      expect(
        await ownerAfter('numeric', { owner: true, owners: here, numericOwner: true }),
      ).toEqual([0, 0]);
      // Names unknown here: the stored ids.
      const elsewhere = await table('elsewhere', ['bob:x:3001:3001::/:/bin/sh'], ['x:x:3:']);
      expect(await ownerAfter('by-id', { owner: true, owners: elsewhere })).toEqual([0, 0]);
    },
  );
});
