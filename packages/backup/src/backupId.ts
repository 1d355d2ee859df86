const pad = (n: number, w = 2) => String(n).padStart(w, '0');

/** Matches a full backup id (`2026/11/28-011500.12`). */
export const FULL_ID = /^[0-9]{4}\/[0-9]{2}\/[0-9]{2}-[0-9]{6}\.[0-9]{2}$/;
/** Matches an incremental layer id (`<full>/incrementals/20261128-012000.55`). */
export const INCREMENTAL_ID =
  /^([0-9]{4}\/[0-9]{2}\/[0-9]{2}-[0-9]{6}\.[0-9]{2})\/incrementals\/[0-9]{8}-[0-9]{6}\.[0-9]{2}$/;

/**
 * The dated subdirectory of a full backup taken at `date` (UTC), in CockroachDB's layout:
 * `YYYY/MM/DD-HHMMSS.cc` (cc = hundredths of a second).
 *
 * @example
 * ```ts
 * import { fullBackupId } from '@sealstream/backup';
 * console.log(fullBackupId(new Date(Date.UTC(2023, 6, 14, 21, 14, 6, 30)))); // '2023/07/14-211406.03'
 * ```
 */
export function fullBackupId(date: Date): string {
  return `${date.getUTCFullYear()}/${pad(date.getUTCMonth() + 1)}/${pad(date.getUTCDate())}-${stamp(date)}`;
}

/** The id of an incremental layer of `full` taken at `date`: `<full>/incrementals/YYYYMMDD-HHMMSS.cc`. */
export function incrementalBackupId(full: string, date: Date): string {
  const day = `${date.getUTCFullYear()}${pad(date.getUTCMonth() + 1)}${pad(date.getUTCDate())}`;
  return `${full}/incrementals/${day}-${stamp(date)}`;
}

function stamp(date: Date): string {
  return `${pad(date.getUTCHours())}${pad(date.getUTCMinutes())}${pad(date.getUTCSeconds())}.${pad(Math.floor(date.getUTCMilliseconds() / 10))}`;
}

/** The full backup a layer id belongs to. */
export function fullOf(id: string): string {
  const m = INCREMENTAL_ID.exec(id);
  return m ? (m[1] as string) : id;
}

/** True for a well-formed full or incremental id. */
export function isBackupId(id: string): boolean {
  return FULL_ID.test(id) || INCREMENTAL_ID.test(id);
}
