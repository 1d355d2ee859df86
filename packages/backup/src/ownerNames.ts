import type { Snapshot } from '@sealstream/manifest';

/** The user and group names a snapshot records, by numeric id. */
export interface OwnerNames {
  user(uid: number): string | undefined;
  group(gid: number): string | undefined;
}

/** Looks up the owner names of a snapshot (`Snapshot.owners`; none when it has none). */
export function ownerNames(owners: Snapshot['owners']): OwnerNames {
  const users = new Map(owners?.users.map((o) => [o.id, o.name]));
  const groups = new Map(owners?.groups.map((o) => [o.id, o.name]));
  return { user: (uid) => users.get(uid), group: (gid) => groups.get(gid) };
}
