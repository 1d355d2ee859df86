import {
  generateLocalKey,
  type KeyWrapper,
  localKeyWrapper,
  passphraseWrapper,
} from '@sealstream/kms';
import type { Storage } from '@sealstream/storage';
import { collect } from '@sealstream/streams';
import type { BackupEntry, RestoreTarget } from '../BackupSource.ts';

/** A tree for tests: name → file contents (string), `{ dir }`, or `{ link }`. */
export type Tree = Record<string, string | Uint8Array | { dir: true } | { link: string }>;

/** The backup entries of a tree; `mtimes` lets a test mark a file as changed. */
export function entriesOf(tree: Tree, mtimes: Record<string, number> = {}): BackupEntry[] {
  return Object.keys(tree)
    .sort()
    .map((name) => {
      const v = tree[name];
      if (typeof v === 'string' || v instanceof Uint8Array) {
        const bytes = typeof v === 'string' ? new TextEncoder().encode(v) : v;
        return {
          name,
          type: 'file',
          size: bytes.length,
          mode: 0o640,
          mtime: mtimes[name] ?? 1_000,
          open: () => new Blob([bytes as Uint8Array<ArrayBuffer>]).stream(),
        };
      }
      if (v && 'dir' in v) return { name, type: 'dir', size: 0, mode: 0o750, mtime: 2_000 };
      return { name, type: 'symlink', size: 0, target: (v as { link: string }).link, mtime: 3_000 };
    });
}

/** A RestoreTarget that records what it is given; files appear only when their stream closes. */
export function memoryTarget(): RestoreTarget & {
  tree: () => Tree;
  bytes: (name: string) => Uint8Array | undefined;
  partial: Set<string>;
  finished: boolean;
  /** How many times `settle` was called (by a restore that failed). */
  settled: number;
  /** Whether a directory or file was handed over. */
  touched: boolean;
  hardLinks: Map<string, string>;
} {
  const files = new Map<string, Uint8Array>();
  const dirs = new Set<string>();
  const links = new Map<string, string>();
  const partial = new Set<string>();
  const target = {
    partial,
    finished: false,
    settled: 0,
    touched: false,
    async mkdir(name: string) {
      target.touched = true;
      dirs.add(name);
    },
    async writeFile(name: string) {
      target.touched = true;
      const chunks: Uint8Array[] = [];
      partial.add(name);
      return new WritableStream<Uint8Array>({
        write(c) {
          chunks.push(c.slice());
        },
        async close() {
          files.set(name, await collect(new Blob(chunks as Uint8Array<ArrayBuffer>[]).stream()));
          partial.delete(name);
        },
        abort() {
          partial.delete(name);
        },
      });
    },
    async symlink(name: string, to: string) {
      links.set(name, to);
    },
    /** Hard links made: name → the name it links to (its bytes are that file's). */
    hardLinks: new Map<string, string>(),
    async link(name: string, existing: string) {
      const bytes = files.get(existing);
      if (bytes === undefined) throw new Error(`link ${name}: ${existing} was not written`);
      files.set(name, bytes);
      target.hardLinks.set(name, existing);
    },
    async finish() {
      target.finished = true;
    },
    async settle() {
      target.settled++;
    },
    bytes(name: string) {
      return files.get(name);
    },
    tree(): Tree {
      const t: Tree = {};
      for (const d of dirs) t[d] = { dir: true };
      for (const [n, b] of files) t[n] = new TextDecoder().decode(b);
      for (const [n, l] of links) t[n] = { link: l };
      return t;
    },
  };
  return target;
}

/** Normalises a tree for comparison (bytes → text). */
export function normal(tree: Tree): Tree {
  const t: Tree = {};
  for (const [k, v] of Object.entries(tree))
    t[k] = v instanceof Uint8Array ? new TextDecoder().decode(v) : v;
  return t;
}

/** Three local keys and a cheap passphrase wrapper (tests keep KDF costs tiny). */
export function testKeys(): {
  a: KeyWrapper;
  b: KeyWrapper;
  c: KeyWrapper;
  pass: (p: string) => KeyWrapper;
} {
  return {
    a: localKeyWrapper(generateLocalKey(), 'local-kms:///keys/a'),
    b: localKeyWrapper(generateLocalKey(), 'local-kms:///keys/b'),
    c: localKeyWrapper(generateLocalKey(), 'local-kms:///keys/c'),
    pass: (p) =>
      passphraseWrapper(p, {
        kdf: { algorithm: 'pbkdf2-sha256', iterations: 1000, salt: new Uint8Array(16) },
      }),
  };
}

/** Every stored object's bytes, keyed by storage key. */
export async function dump(storage: Storage): Promise<Map<string, Uint8Array>> {
  const out = new Map<string, Uint8Array>();
  for await (const o of storage.list('')) out.set(o.key, await collect(await storage.read(o.key)));
  return out;
}

/** A clock that advances one second per call (distinct backup ids). */
export function steppingClock(start = Date.UTC(2026, 10, 28, 1, 0, 0)): () => Date {
  let t = start;
  return () => {
    t += 1000;
    return new Date(t);
  };
}
