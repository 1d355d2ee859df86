import { generateLocalKey, localKeyWrapper, passphraseWrapper } from '@sealstream/kms';
import { collect, fromBytes } from '@sealstream/streams';
import { openFile, sealFile } from '@sealstream-examples/sealed-file';
import { describe, expect, it } from 'vitest';

// The example sealed-file format shared by examples/browser-seal and examples/edge-worker.

const bytes = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 31 + 7) & 255);

describe('examples/sealed-file', () => {
  it('round-trips and has exactly the size sizeFor predicts (0, 1, segment±1 bytes)', async () => {
    const key = localKeyWrapper(generateLocalKey());
    for (const n of [0, 1, 1023, 1024, 1025, 5000]) {
      const sealed = await sealFile(fromBytes(bytes(n)), [key], { segmentSize: 1024 });
      const ct = await collect(sealed.stream);
      expect(ct.length).toBe(sealed.sizeFor(n));
      expect(await collect(await openFile(fromBytes(ct), [key]))).toEqual(bytes(n));
    }
  });

  it('opens with any one of several wrappers (passphrase or key)', async () => {
    const key = localKeyWrapper(generateLocalKey());
    const sealed = await sealFile(fromBytes(bytes(3000)), [
      passphraseWrapper('correct horse', { kdf: 'pbkdf2-sha256' }),
      key,
    ]);
    const ct = await collect(sealed.stream);
    expect(
      await collect(await openFile(fromBytes(ct), [passphraseWrapper('correct horse')])),
    ).toEqual(bytes(3000));
    expect(await collect(await openFile(fromBytes(ct), [key]))).toEqual(bytes(3000));
  });

  it('rejects a wrong passphrase before producing any output, without echoing it', async () => {
    const sealed = await sealFile(fromBytes(bytes(100)), [
      passphraseWrapper('right one', { kdf: 'pbkdf2-sha256' }),
    ]);
    const ct = await collect(sealed.stream);
    const err = await openFile(fromBytes(ct), [passphraseWrapper('wrong one')]).catch(
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ code: 'ERR_KMS_NO_USABLE_KEY' });
    expect(String((err as Error).message)).not.toContain('wrong one');
  });

  it('errors the output stream of a truncated file (and of one cut inside its header)', async () => {
    const key = localKeyWrapper(generateLocalKey());
    const sealed = await sealFile(fromBytes(bytes(5000)), [key], { segmentSize: 1024 });
    const ct = await collect(sealed.stream);
    for (const drop of [1, 500, 1040]) {
      const cut = await openFile(fromBytes(ct.subarray(0, ct.length - drop)), [key]);
      const err = await collect(cut).catch((e: unknown) => e);
      // At a segment boundary the cut is seen as a forged last segment (tampered), else truncated.
      expect(['ERR_AEAD_TRUNCATED', 'ERR_AEAD_TAMPERED']).toContain(
        (err as { code?: string }).code,
      );
    }
    await expect(openFile(fromBytes(ct.subarray(0, 10)), [key])).rejects.toMatchObject({
      code: 'ERR_AEAD_TRUNCATED',
    });
  });
});
