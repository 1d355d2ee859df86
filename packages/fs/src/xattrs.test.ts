import { chmod, lstat, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BackupEntry, backup, restore } from '@sealstream/backup';
import { generateLocalKey, localKeyWrapper } from '@sealstream/kms';
import { memoryStorage } from '@sealstream/storage';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { directoryTarget } from './directoryTarget.ts';
import { walkDirectory } from './walkDirectory.ts';
import { readXattrs, writeXattrs, xattrsSupported } from './xattrs.ts';

let base: string;
beforeAll(async () => {
  base = await mkdtemp(join(tmpdir(), 'sealstream-xattrs-'));
});
afterAll(async () => {
  await rm(base, { recursive: true, force: true });
});

const bytes = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | undefined) =>
  b === undefined ? undefined : new TextDecoder().decode(b);

/**
 * A POSIX access ACL as Linux stores it in `system.posix_acl_access`: version 2, then entries
 * (tag, permissions, id; little-endian) — owner rw, user 1234 r, group r, mask r, other none.
 */
function accessAcl(): Uint8Array {
  const entries: [number, number, number][] = [
    [0x01, 6, 0xffffffff],
    [0x02, 4, 1234],
    [0x04, 4, 0xffffffff],
    [0x10, 4, 0xffffffff],
    [0x20, 0, 0xffffffff],
  ];
  const view = new DataView(new ArrayBuffer(4 + entries.length * 8));
  view.setUint32(0, 2, true);
  entries.forEach(([tag, perm, id], i) => {
    view.setUint16(4 + i * 8, tag, true);
    view.setUint16(6 + i * 8, perm, true);
    view.setUint32(8 + i * 8, id, true);
  });
  return new Uint8Array(view.buffer);
}

const attrs = (path: string) =>
  Object.fromEntries(readXattrs(path).map((x) => [x.name, text(x.value)]));

describe('extended attributes', () => {
  // Linux x64 is where the suite runs; the module has a prebuilt binary for it.
  it('has the native module on this platform', () => {
    expect(xattrsSupported()).toBe(true);
  });

  it('reads them sorted by name, and a symlink’s own (not its target’s)', async () => {
    const dir = join(base, 'read');
    await mkdir(dir);
    const file = join(dir, 'f');
    await writeFile(file, 'x');
    writeXattrs(
      file,
      [
        { name: 'user.z', value: bytes('last') },
        { name: 'user.a', value: bytes('first') },
        { name: 'user.empty', value: new Uint8Array() },
      ],
      (name, reason) => {
        throw new Error(`${name}: ${reason}`);
      },
    );
    await symlink('f', join(dir, 'l'));
    expect(readXattrs(file).map((x) => x.name)).toEqual(['user.a', 'user.empty', 'user.z']);
    expect(attrs(file)['user.z']).toBe('last');
    expect(readXattrs(join(dir, 'l'))).toEqual([]);
    expect(() => readXattrs(join(dir, 'missing'))).toThrow(/ENOENT/);
  });

  it('reports an attribute the file system refuses, and sets the others', () => {
    const failures: string[] = [];
    const link = join(base, 'refusing-link');
    return symlink('nowhere', link).then(() => {
      // Linux keeps no user.* attribute on a symlink, not even for root.
      writeXattrs(link, [{ name: 'user.a', value: bytes('v') }], (name, reason) =>
        failures.push(`${name} ${reason}`),
      );
      expect(failures).toEqual(['user.a EPERM']);
    });
  });

  it('round-trip through a backup: files, a read-only file, directories and ACLs', async () => {
    const src = join(base, 'src');
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'plain.txt'), 'no attributes');
    await writeFile(join(src, 'tagged.txt'), 'tagged');
    await writeFile(join(src, 'readonly.txt'), 'read only');
    await writeFile(join(src, 'acl.txt'), 'with an ACL');
    await writeFile(join(src, 'sub', 'big.bin'), new Uint8Array(200_000).fill(7));
    const fail = (name: string, reason: string) => {
      throw new Error(`${name}: ${reason}`);
    };
    writeXattrs(join(src, 'tagged.txt'), [{ name: 'user.origin', value: bytes('camera') }], fail);
    writeXattrs(join(src, 'readonly.txt'), [{ name: 'user.k', value: bytes('ro') }], fail);
    await chmod(join(src, 'readonly.txt'), 0o444);
    await chmod(join(src, 'acl.txt'), 0o640);
    writeXattrs(
      join(src, 'acl.txt'),
      [{ name: 'system.posix_acl_access', value: accessAcl() }],
      fail,
    );
    writeXattrs(join(src, 'sub'), [{ name: 'user.dir', value: bytes('d') }], fail);
    writeXattrs(join(src, 'sub', 'big.bin'), [{ name: 'user.t', value: bytes('big') }], fail);

    const entries: BackupEntry[] = [];
    for await (const e of walkDirectory(src)) entries.push(e);
    const byName = new Map(entries.map((e) => [e.name, e]));
    expect(byName.get('plain.txt')?.stat?.xattrs).toBeUndefined();
    expect(byName.get('tagged.txt')?.stat?.xattrs?.map((x) => x.name)).toEqual(['user.origin']);

    const collection = memoryStorage();
    const keys = [localKeyWrapper(generateLocalKey())];
    await backup({ collection, keys, entries });
    const out = join(base, 'out');
    const warnings: string[] = [];
    await restore({
      collection,
      keys,
      target: await directoryTarget(out, { onWarning: (m) => warnings.push(m) }),
    });
    expect(warnings).toEqual([]);
    expect(attrs(join(out, 'plain.txt'))).toEqual({});
    expect(attrs(join(out, 'tagged.txt'))).toEqual({ 'user.origin': 'camera' });
    expect(attrs(join(out, 'readonly.txt'))).toEqual({ 'user.k': 'ro' });
    expect((await lstat(join(out, 'readonly.txt'))).mode & 0o777).toBe(0o444);
    expect(attrs(join(out, 'sub'))).toEqual({ 'user.dir': 'd' });
    expect(attrs(join(out, 'sub', 'big.bin'))).toEqual({ 'user.t': 'big' });
    expect(await readFile(join(out, 'sub', 'big.bin'))).toHaveLength(200_000);
    const acl = readXattrs(join(out, 'acl.txt')).find((x) => x.name === 'system.posix_acl_access');
    expect(acl?.value).toEqual(accessAcl());
    expect((await lstat(join(out, 'acl.txt'))).mode & 0o777).toBe(0o640);

    // Without them: the same restore, and no attribute set.
    const bare = join(base, 'bare');
    await restore({ collection, keys, target: await directoryTarget(bare, { xattrs: false }) });
    expect(attrs(join(bare, 'tagged.txt'))).toEqual({});
  });

  it('warns once per namespace and reason for attributes the target refuses', async () => {
    // A symlink entry with a user.* attribute (as another system might store): Linux refuses it.
    const entries: BackupEntry[] = ['a', 'b'].map((name) => ({
      name,
      type: 'symlink',
      target: 'elsewhere',
      stat: {
        mtimeNs: 0n,
        ctimeNs: 0n,
        ino: 0n,
        dev: 0n,
        uid: 0,
        gid: 0,
        xattrs: [{ name: 'user.x', value: bytes('v') }],
      },
    }));
    const collection = memoryStorage();
    const keys = [localKeyWrapper(generateLocalKey())];
    await backup({ collection, keys, entries });
    const warnings: string[] = [];
    const out = join(base, 'refused');
    await restore({
      collection,
      keys,
      target: await directoryTarget(out, { onWarning: (m) => warnings.push(m) }),
    });
    expect(warnings).toEqual([
      'extended attributes user.* (EPERM) could not be restored, first on a',
    ]);
    expect((await lstat(join(out, 'b'))).isSymbolicLink()).toBe(true);
  });
});
