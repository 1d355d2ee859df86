import { readFileSync } from 'node:fs';

/** A system's user and group names by numeric id, and ids by name. */
export interface OwnerTable {
  userName(uid: number): string | undefined;
  groupName(gid: number): string | undefined;
  userId(name: string): number | undefined;
  groupId(name: string): number | undefined;
}

/** Where {@link systemOwners} reads the system's users and groups. */
export interface OwnerFiles {
  /** Default `/etc/passwd`. */
  passwd?: string;
  /** Default `/etc/group`. */
  group?: string;
}

/**
 * The users and groups listed in the system's passwd and group files (`name:password:id:…`),
 * read once, on first use; a file that cannot be read lists none. The first line of a name or id
 * wins, as getpwnam(3) and getpwuid(3) find it. Users known only to a directory service
 * (LDAP, SSSD) through NSS are not listed: their entries are stored with ids alone.
 *
 * @example
 * ```ts
 * import { systemOwners } from '@sealstream/fs';
 * console.log(systemOwners().userName(0)); // 'root' on most systems
 * ```
 */
export function systemOwners(files: OwnerFiles = {}): OwnerTable {
  let users: Table | undefined;
  let groups: Table | undefined;
  const u = () => (users ??= readTable(files.passwd ?? '/etc/passwd'));
  const g = () => (groups ??= readTable(files.group ?? '/etc/group'));
  return {
    userName: (uid) => u().byId.get(uid),
    groupName: (gid) => g().byId.get(gid),
    userId: (name) => u().byName.get(name),
    groupId: (name) => g().byName.get(name),
  };
}

interface Table {
  byId: Map<number, string>;
  byName: Map<string, number>;
}

function readTable(path: string): Table {
  const table: Table = { byId: new Map(), byName: new Map() };
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return table;
  }
  for (const line of text.split('\n')) {
    const [name, , id] = line.split(':');
    if (name === undefined || name === '' || name.startsWith('#') || !/^\d{1,10}$/.test(id ?? ''))
      continue;
    const n = Number(id);
    if (n > 0xffffffff) continue;
    if (!table.byId.has(n)) table.byId.set(n, name);
    if (!table.byName.has(name)) table.byName.set(name, n);
  }
  return table;
}
