import * as fs from 'node:fs';

/** One small file to write whole, with everything it is given before it is closed. */
export interface SmallFile {
  path: string;
  /** Its content, in order. */
  pieces: readonly Uint8Array[];
  /** Permission bits. */
  mode: number;
  /** Whether the file is created with `mode` as it is (the umask leaves it), so no fchmod. */
  exact: boolean;
  /** The owner to give it (fchown), if any. */
  owner?: { uid: number; gid: number } | undefined;
  /** Its mtime (and atime), in seconds as utimes takes them. */
  mtime?: number | undefined;
  /** fsync it before it is closed. */
  fsync: boolean;
  /** Remove what is at `path` first (a resumed restore rewriting a file it left incomplete). */
  replace: boolean;
}

/**
 * Writes a small file with synchronous calls — open (`wx`), writev, [fsync], [fchown],
 * [`beforeMode`], [fchmod], futimes, close: about 30 µs in all, where a thread-pool round trip
 * per call costs more than the call (docs/decisions/0012-synchronous-file-system-calls.md). The
 * mtime is set after the content, so a file with its entry's size and mtime is complete
 * (docs/decisions/0013-restore-resume.md); on failure the file is removed.
 */
export function writeSmallFile(f: SmallFile, beforeMode?: () => void): void {
  if (f.replace) fs.rmSync(f.path, { force: true });
  const fd = fs.openSync(f.path, 'wx', f.exact ? f.mode : 0o600);
  try {
    writeAllSync(fd, f.pieces);
    if (f.fsync) fs.fsyncSync(fd);
    if (f.owner !== undefined) fs.fchownSync(fd, f.owner.uid, f.owner.gid);
    beforeMode?.();
    if (!f.exact) fs.fchmodSync(fd, f.mode);
    if (f.mtime !== undefined) fs.futimesSync(fd, f.mtime, f.mtime);
  } catch (e) {
    fs.closeSync(fd);
    fs.rmSync(f.path, { force: true });
    throw e;
  }
  fs.closeSync(fd);
}

/** What a writev of `pieces` that wrote `written` bytes left: the rest of each piece, in order. */
export function* unwritten(pieces: readonly Uint8Array[], written: number): Generator<Uint8Array> {
  let skip = written;
  for (const c of pieces) {
    if (skip >= c.byteLength) {
      skip -= c.byteLength;
      continue;
    }
    yield skip === 0 ? c : c.subarray(skip);
    skip = 0;
  }
}

/** Writes every piece at the file's current offset, whatever short writes happen. */
function writeAllSync(fd: number, pieces: readonly Uint8Array[]): void {
  if (pieces.length === 0) return;
  const written = fs.writevSync(fd, pieces as NodeJS.ArrayBufferView[]);
  for (const rest of unwritten(pieces, written)) {
    let off = 0;
    while (off < rest.byteLength) off += fs.writeSync(fd, rest, off, rest.byteLength - off);
  }
}
