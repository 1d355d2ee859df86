import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.ts';
import { deriveChainKeys } from './chainKeys.ts';
import {
  decodeEncryptionInfo,
  type EncryptionInfo,
  encodeEncryptionInfo,
} from './EncryptionInfo.ts';
import { authenticateEncryptionInfo, checkEncryptionInfoMac } from './encryptionInfoMac.ts';

const root = new Uint8Array(32).map((_, i) => i);

async function authentic(): Promise<{ info: EncryptionInfo; auth: Uint8Array }> {
  const keys = await deriveChainKeys(root);
  const info = await authenticateEncryptionInfo(
    {
      chainId: keys.chainId,
      generation: 2,
      created: '2026-12-06T03:15:00.000Z',
      dekCheck: new Uint8Array(16).fill(7),
      keys: [
        {
          entryId: '0a1b2c3d',
          scheme: 'local-kms',
          id: 'ab12',
          added: '2026-12-06T03:15:00.000Z',
          wrapped: new Uint8Array([1, 2, 3]),
        },
        {
          entryId: 'ffee0011',
          scheme: 'passphrase',
          id: 'passphrase',
          label: 'office safe',
          added: '2026-12-06T03:15:00.000Z',
          wrapped: new Uint8Array([4]),
          params: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 },
        },
      ],
    },
    keys.auth,
  );
  return { info, auth: keys.auth };
}

describe('ENCRYPTION_INFO MAC', () => {
  it('authenticates a generation through encoding and decoding', async () => {
    const { info, auth } = await authentic();
    expect(info.mac).toHaveLength(32);
    const read = decodeEncryptionInfo(encodeEncryptionInfo(info));
    await expect(checkEncryptionInfoMac(read, auth, 'c/ENCRYPTION_INFO-2')).resolves.toBe(
      undefined,
    );
  });

  it('refuses a change to any field, another generation number and another key', async () => {
    const { info, auth } = await authentic();
    const first = info.keys[0] as EncryptionInfo['keys'][number];
    const second = info.keys[1] as EncryptionInfo['keys'][number];
    const changed: EncryptionInfo[] = [
      { ...info, generation: 3 },
      { ...info, chainId: '0123456789abcdef0123456789abcdef' },
      { ...info, created: '2026-12-06T03:15:00.001Z' },
      { ...info, dekCheck: new Uint8Array(16).fill(8) },
      { ...info, keys: [first] },
      { ...info, keys: [second, first] },
      { ...info, keys: [{ ...first, label: 'mine' }, second] },
      { ...info, keys: [{ ...first, id: 'ab13' }, second] },
      { ...info, keys: [{ ...first, wrapped: new Uint8Array([1, 2, 4]) }, second] },
      { ...info, keys: [first, { ...second, params: { ...second.params, iterations: 1 } }] },
    ];
    for (const c of changed) {
      const read = decodeEncryptionInfo(encodeEncryptionInfo(c));
      await expect(checkEncryptionInfoMac(read, auth, 'c/ENCRYPTION_INFO-2')).rejects.toMatchObject(
        { code: 'ERR_MANIFEST_NOT_AUTHENTIC', file: 'c/ENCRYPTION_INFO-2' },
      );
    }
    const other = await deriveChainKeys(new Uint8Array(32).fill(1));
    await expect(checkEncryptionInfoMac(info, other.auth)).rejects.toMatchObject({
      code: 'ERR_MANIFEST_NOT_AUTHENTIC',
    });
  });

  it('does not depend on how the JSON text is written (spacing, member order)', async () => {
    const { info, auth } = await authentic();
    const json = JSON.parse(new TextDecoder().decode(encodeEncryptionInfo(info)));
    const reordered = Object.fromEntries(Object.entries(json).reverse());
    reordered.keys = json.keys.map((k: Record<string, unknown>) =>
      Object.fromEntries(Object.entries(k).reverse()),
    );
    const read = decodeEncryptionInfo(new TextEncoder().encode(JSON.stringify(reordered)));
    await expect(checkEncryptionInfoMac(read, auth)).resolves.toBe(undefined);
  });
});

describe('canonicalJson', () => {
  it('sorts members by UTF-16 code units, writes no whitespace, keeps arrays in order', () => {
    expect(canonicalJson({ b: [2, 1, { z: null, y: false }], a: 'x', '\u00e9': 1, Z: 1.5 })).toBe(
      '{"Z":1.5,"a":"x","b":[2,1,{"y":false,"z":null}],"\u00e9":1}',
    );
    expect(canonicalJson({ '\ud83d\ude00': 1, '\uffff': 2 })).toBe('{"\ud83d\ude00":1,"\uffff":2}');
    expect(() => canonicalJson({ a: Number.NaN })).toThrow(TypeError);
    expect(() => canonicalJson({ a: undefined })).toThrow(TypeError);
  });

  it('gives one text for every way of writing a value (property)', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const text = canonicalJson(value);
        expect(canonicalJson(JSON.parse(text))).toBe(text);
        expect(JSON.parse(text)).toEqual(JSON.parse(JSON.stringify(value)));
      }),
    );
  });
});
