import { blobIdHasher, deriveChainKeys } from '@sealstream/manifest';
import { memoryStorage, type Storage } from '@sealstream/storage';
import { cdcChunker, concatBytes, encodeHex, equalBytes, fromBytes } from '@sealstream/streams';
import { describe, expect, it } from 'vitest';
import { BlobIndex } from './BlobIndex.ts';
import { ChunkStore } from './ChunkStore.ts';
import { readBlobPieces } from './readBlob.ts';
import { readChunk, readChunkPieces } from './readChunk.ts';

// Small chunks keep the data small and the test fast; the format is the same at any size.
const chunker = { min: 4 * 1024, avg: 16 * 1024, max: 64 * 1024 };
const packBytes = 256 * 1024;

/** Pseudo-random bytes that also compress a little (a text-like alphabet). */
function data(size: number, seed: number): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed >>> 0 || 1;
  for (let i = 0; i < size; i++) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out[i] = 97 + ((x >>> 0) % 26);
  }
  return out;
}

async function setUp() {
  const storage = memoryStorage();
  const keys = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
  return { storage, keys, chain: '2026/12/06-031500.12' };
}

/** A chunk store of the test's sizes over `storage`, with a fresh index unless one is given. */
function newStore(
  storage: Storage,
  keys: Awaited<ReturnType<typeof deriveChainKeys>>,
  chain: string,
  more: Partial<ConstructorParameters<typeof ChunkStore>[0]> = {},
): ChunkStore {
  return new ChunkStore({
    storage,
    chain,
    keys,
    index: new BlobIndex(),
    chunker,
    packBytes,
    ...more,
  });
}

/** `storage` whose writes start 20 ms late. */
function slowWrites(storage: Storage): Storage {
  return {
    ...storage,
    write: async (key, options) => {
      await new Promise((r) => setTimeout(r, 20));
      return storage.write(key, options);
    },
  };
}

async function storeAll(
  storage: Storage,
  keys: Awaited<ReturnType<typeof deriveChainKeys>>,
  chain: string,
  index: BlobIndex,
  inputs: Uint8Array[],
) {
  const store = newStore(storage, keys, chain, { index });
  const results = [];
  for (const input of inputs) results.push(await store.store(fromBytes(input, 10_000)));
  await store.finish();
  return { store, results };
}

async function readBack(
  storage: Storage,
  keys: Awaited<ReturnType<typeof deriveChainKeys>>,
  index: BlobIndex,
  chunks: Uint8Array[],
) {
  const parts = [];
  for (const id of chunks) parts.push(await readChunk(storage, keys, index, id));
  return concatBytes(...parts);
}

describe('v2 chunk store', () => {
  it('cuts exactly the chunks of cdcChunker, from streams and from bytes held whole, small and concurrent ones included', async () => {
    const { storage, keys, chain } = await setUp();
    const store = newStore(storage, keys, chain);
    const idOf = blobIdHasher(keys.chunkId);
    const sizes = [
      0,
      1,
      100,
      chunker.min,
      chunker.min + 1,
      chunker.max,
      3 * chunker.max + 17,
      300_000,
    ];
    const pieces = [1, 777, chunker.min, 10_000, 1 << 20];
    const jobs = [];
    for (const [k, size] of sizes.entries())
      for (const piece of pieces) {
        const input = data(size, k + 1);
        jobs.push(
          (async () => {
            const expected = [];
            const reference: Uint8Array[] = [];
            await fromBytes(input, 4096)
              .pipeThrough(cdcChunker(keys.chunker, chunker))
              .pipeTo(new WritableStream({ write: (c) => void reference.push(c) }));
            for (const c of reference) expected.push(await idOf(c));
            const got = await store.store(fromBytes(input, piece));
            expect(got.size).toBe(size);
            expect(got.chunks).toEqual(expected);
            // The same bytes held whole (a small file read at once) give the same chunks.
            expect(await store.storeBytes(input)).toEqual(got);
          })(),
        );
      }
    await Promise.all(jobs);
    await store.finish();
  });

  it('stores streams as deduplicated chunks in packs and reads them back', async () => {
    const { storage, keys, chain } = await setUp();
    const index = new BlobIndex();
    const a = data(1_000_000, 1);
    const { store, results } = await storeAll(storage, keys, chain, index, [a, a]);
    const [first, second] = results as [(typeof results)[0], (typeof results)[0]];
    expect(first.size).toBe(a.length);
    expect(first.chunks.length).toBeGreaterThan(10);
    expect(second.chunks).toEqual(first.chunks);
    expect(store.stats.newBlobs).toBe(new Set(first.chunks.map(String)).size);
    expect(store.stats.deduplicated).toBeGreaterThanOrEqual(first.chunks.length);
    expect(store.stats.packs).toBeGreaterThan(1);
    expect(equalBytes(await readBack(storage, keys, index, first.chunks), a)).toBe(true);
    // A compressed chunk is read for a restore whole, decompressed.
    for (const id of first.chunks.slice(0, 3)) {
      const pieces = await readChunkPieces(storage, keys, index, id);
      expect(pieces).toHaveLength(1);
      expect(equalBytes(pieces[0] as Uint8Array, await readChunk(storage, keys, index, id))).toBe(
        true,
      );
    }
    // Packs hold compressed chunks: fewer bytes than went in.
    expect(store.stats.packBytes).toBeLessThan(a.length);
  });

  it('stores large random chunks, adopted by packs sealed while other files wait, with their sizes', async () => {
    const { storage, keys, chain } = await setUp();
    // Writes that take a while: a pack is assembled, and its blobs sealed, by one file's flush
    // while the file whose chunk filled it still waits for its own flush to return.
    const slow = slowWrites(storage);
    const index = new BlobIndex();
    // The default chunk sizes, one chunk a pack.
    const store = newStore(slow, keys, chain, {
      index,
      chunker: { min: 512 * 1024, avg: 1 << 20, max: 8 << 20 },
      packBytes: 1,
      writeConcurrency: 1,
    });
    const inputs = Array.from({ length: 4 }, () => {
      const bytes = new Uint8Array(3 << 20);
      for (let o = 0; o < bytes.length; o += 65536)
        crypto.getRandomValues(bytes.subarray(o, o + 65536));
      return bytes;
    });
    let heard = 0;
    const results = await Promise.all(
      inputs.map((b) =>
        store.store(fromBytes(b, 1 << 20), (n) => {
          heard += n;
        }),
      ),
    );
    await store.finish();
    const total = 4 * (3 << 20);
    expect(results.map((r) => r.size)).toEqual(inputs.map((b) => b.length));
    expect(heard).toBe(total);
    expect(store.stats.newBytes).toBe(total);
    expect(store.stats.packs).toBe(store.stats.newBlobs);
    for (const [i, r] of results.entries()) {
      expect(r.chunks.every((id) => id.length === 32)).toBe(true);
      expect(
        equalBytes(await readBack(storage, keys, index, r.chunks), inputs[i] as Uint8Array),
      ).toBe(true);
    }
    // Read for a restore, a raw chunk comes in the pieces it was opened in, not joined (the
    // Node engine opens in 64 KiB pieces; WebCrypto in one).
    const id = results[0]?.chunks[0] as Uint8Array;
    const at = index.get(id);
    if (at === undefined) throw new Error('no location');
    const opened = await readBlobPieces(storage, at, keys, encodeHex(id), index);
    const pieces = await readChunkPieces(storage, keys, index, id);
    if (opened.length > 1) expect(pieces.length).toBeGreaterThan(1);
    expect(pieces.every((p) => p.length > 0)).toBe(true);
    expect(equalBytes(concatBytes(...pieces), await readChunk(storage, keys, index, id))).toBe(
      true,
    );
  });

  it('stores only what changed: an edit in the middle, an append, a rename', async () => {
    const { storage, keys, chain } = await setUp();
    const index = new BlobIndex();
    const original = data(2_000_000, 7);
    await storeAll(storage, keys, chain, index, [original]);
    const edited = original.slice();
    edited.set(data(64 * 1024, 99), 1_000_000);
    const appended = concatBytes(original, data(64 * 1024, 5));
    const { store } = await storeAll(storage, keys, chain, index, [edited, appended, original]);
    // The edit and the append each touch a few chunks around them; the rename (the same bytes
    // under another name) none.
    expect(store.stats.newBytes).toBeLessThan(2 * (64 * 1024 + 4 * 64 * 1024));
    const reread = await storeAll(storage, keys, chain, index, [edited]);
    expect(reread.store.stats.newBlobs).toBe(0);
  });

  it('fills packs from many files at once while pack writes are slow, each pack full and no fuller, each chunk once', async () => {
    const { storage, keys, chain } = await setUp();
    // Writes that take a while: files go on filling the next packs while the last ones are
    // written, and several of them find the pack full at once.
    const slow = slowWrites(storage);
    const index = new BlobIndex();
    const store = newStore(slow, keys, chain, { index, writeConcurrency: 1 });
    // Random bytes are stored raw: 2.4 MB fill about 9 packs whatever the chunk boundaries.
    const inputs = Array.from({ length: 12 }, (_, i) => {
      const bytes = new Uint8Array(200_000 + i * 1000);
      for (let o = 0; o < bytes.length; o += 65536)
        crypto.getRandomValues(bytes.subarray(o, o + 65536));
      return bytes;
    });
    const results = await Promise.all(inputs.map((b) => store.store(fromBytes(b, 64 * 1024))));
    await store.finish();
    expect(store.stats.packs).toBeGreaterThanOrEqual(9);
    // Each pack but the last was flushed full, not as the leftovers of another flush.
    const sizes: number[] = [];
    for await (const o of storage.list(`${chain}/`)) sizes.push(o.size);
    expect(sizes.filter((n) => n < packBytes).length).toBeLessThanOrEqual(1);
    // None grew while it waited for its write: past its size by one chunk and its index at most.
    for (const n of sizes) expect(n).toBeLessThan(packBytes + chunker.max + 8192);
    expect(index.size).toBe(store.stats.newBlobs);
    for (const [i, r] of results.entries())
      expect(
        equalBytes(await readBack(storage, keys, index, r.chunks), inputs[i] as Uint8Array),
      ).toBe(true);
  });

  it('writes two packs at once by default, and as many as writeConcurrency says', async () => {
    const { storage, keys, chain } = await setUp();
    const inputs = Array.from({ length: 6 }, () => {
      const bytes = new Uint8Array(200_000);
      for (let o = 0; o < bytes.length; o += 65536)
        crypto.getRandomValues(bytes.subarray(o, o + 65536));
      return bytes;
    });
    const mostInFlight = async (driver: string, writeConcurrency?: number) => {
      let inFlight = 0;
      let most = 0;
      // Writes that take a while, counted from their start to the end of their stream.
      const counting: Storage = {
        ...storage,
        driver,
        write: async (key, options) => {
          inFlight++;
          most = Math.max(most, inFlight);
          await new Promise((r) => setTimeout(r, 20));
          const writable = await storage.write(key, options);
          const writer = writable.getWriter();
          return new WritableStream<Uint8Array>({
            write: (piece) => writer.write(piece),
            close: async () => {
              await writer.close();
              inFlight--;
            },
            abort: (e) => writer.abort(e),
          });
        },
      };
      const store = newStore(counting, keys, `${chain}-${driver}-${writeConcurrency}`, {
        ...(writeConcurrency === undefined ? {} : { writeConcurrency }),
      });
      for (const input of inputs) await store.store(fromBytes(input, 64 * 1024));
      await store.finish();
      expect(store.stats.packs).toBeGreaterThanOrEqual(4);
      return most;
    };
    expect(await mostInFlight('local')).toBe(2);
    expect(await mostInFlight('s3')).toBe(2);
    expect(await mostInFlight('local', 1)).toBe(1);
    expect(await mostInFlight('s3', 3)).toBe(3);
  });

  it('fails a stream whose chunks cannot be stored, after its chunks in flight settle', async () => {
    const { storage, keys, chain } = await setUp();
    const broken: Storage = {
      ...storage,
      write: async () => {
        throw new Error('disk full');
      },
    };
    const store = newStore(broken, keys, chain);
    await expect(store.store(fromBytes(data(2_000_000, 9), 50_000))).rejects.toThrow(/disk full/);
    await expect(store.finish()).rejects.toThrow(/disk full/);
    // A source that fails part way fails the stream with its own error.
    const healthy = newStore(storage, keys, chain);
    let sent = 0;
    const failing = new ReadableStream<Uint8Array>({
      pull(c) {
        if (sent++ === 20) c.error(new Error('read failed'));
        else c.enqueue(data(30_000, sent));
      },
    });
    await expect(healthy.store(failing)).rejects.toThrow(/read failed/);
    await healthy.finish();
  });

  it('rebuilds the index from the packs alone', async () => {
    const { storage, keys, chain } = await setUp();
    const index = new BlobIndex();
    const input = data(600_000, 3);
    const { results } = await storeAll(storage, keys, chain, index, [input]);
    const loaded = await BlobIndex.load(storage, chain, keys);
    expect(loaded.size).toBe(index.size);
    for (const id of results[0]?.chunks ?? []) expect(loaded.get(id)).toEqual(index.get(id));
    expect(equalBytes(await readBack(storage, keys, loaded, results[0]?.chunks ?? []), input)).toBe(
      true,
    );
  });

  it('refuses a pack whose blob or index was changed, naming the pack', async () => {
    const { storage, keys, chain } = await setUp();
    const index = new BlobIndex();
    const { results } = await storeAll(storage, keys, chain, index, [data(100_000, 4)]);
    const id = results[0]?.chunks[0] as Uint8Array;
    const at = index.get(id);
    if (at === undefined) throw new Error('no location');
    const bytes = new Uint8Array(await new Response(await storage.read(at.pack)).arrayBuffer());
    const flip = async (offset: number) => {
      const bad = bytes.slice();
      bad[offset] = (bad[offset] as number) ^ 1;
      await storage.delete(at.pack);
      await new Blob([bad]).stream().pipeTo(await storage.write(at.pack));
    };
    await flip(at.offset + at.sealedLength - 1);
    for (const read of [readChunk, readChunkPieces])
      await expect(read(storage, keys, index, id)).rejects.toMatchObject({
        code: expect.stringMatching(/^ERR_AEAD_/),
        file: at.pack,
      });
    await flip(bytes.length - 20);
    await expect(BlobIndex.load(storage, chain, keys)).rejects.toMatchObject({ file: at.pack });
    // A chunk read in another chain fails its associated data.
    const other = await deriveChainKeys(crypto.getRandomValues(new Uint8Array(32)));
    await expect(
      readChunk(storage, { ...keys, chainId: other.chainId }, index, id),
    ).rejects.toThrow();
  });
});
