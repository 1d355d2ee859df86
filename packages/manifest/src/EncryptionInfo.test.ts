import { describe, expect, it } from 'vitest';
import { dekCheckValue } from './dekCheckValue.ts';
import {
  decodeEncryptionInfo,
  encodeEncryptionInfo,
  encryptionInfoGeneration,
  encryptionInfoName,
} from './EncryptionInfo.ts';
import { ManifestError } from './ManifestError.ts';

const info = {
  chainId: '0123456789abcdef0123456789abcdef',
  generation: 1,
  created: '2026-11-28T01:00:00.000Z',
  dekCheck: new Uint8Array(16).fill(7),
  keys: [
    {
      entryId: '0a1b2c3d',
      scheme: 'local-kms',
      id: '/keys/a',
      added: '2026-11-28T01:00:00.000Z',
      wrapped: new Uint8Array([1, 2, 3]),
    },
    {
      entryId: 'ffee0011',
      scheme: 'passphrase',
      id: 'passphrase',
      label: 'office safe',
      added: '2026-11-29T01:00:00.000Z',
      wrapped: new Uint8Array([4]),
      params: { algorithm: 'argon2id' },
    },
  ],
  mac: new Uint8Array(32).fill(9),
};

function keyAt(json: Record<string, unknown>, i: number): Record<string, unknown> {
  return (json.keys as Record<string, unknown>[])[i] as Record<string, unknown>;
}

function mutate(edit: (json: Record<string, unknown>) => void): Uint8Array {
  const json = JSON.parse(new TextDecoder().decode(encodeEncryptionInfo(info)));
  edit(json);
  return new TextEncoder().encode(JSON.stringify(json));
}

describe('ENCRYPTION_INFO', () => {
  it('round-trips', () => {
    expect(decodeEncryptionInfo(encodeEncryptionInfo(info))).toEqual(info);
  });

  it('names generations and parses names back', () => {
    expect(encryptionInfoName(1)).toBe('ENCRYPTION_INFO');
    expect(encryptionInfoName(3)).toBe('ENCRYPTION_INFO-3');
    expect(encryptionInfoGeneration('ENCRYPTION_INFO')).toBe(1);
    expect(encryptionInfoGeneration('ENCRYPTION_INFO-12')).toBe(12);
    expect(encryptionInfoGeneration('ENCRYPTION_INFO-0')).toBeUndefined();
    expect(encryptionInfoGeneration('ENCRYPTION_INFO.tmp')).toBeUndefined();
  });

  it.each([
    [
      'unknown field',
      (j: Record<string, unknown>) => {
        j.extra = 1;
      },
      /unknown field "extra"/,
    ],
    [
      'other format',
      (j: Record<string, unknown>) => {
        j.format = 'x';
      },
      /not a sealstream/,
    ],
    [
      'no keys',
      (j: Record<string, unknown>) => {
        j.keys = [];
      },
      /no way in/,
    ],
    [
      'bad base64',
      (j: Record<string, unknown>) => {
        j.dekCheck = '!!';
      },
      /dekCheck/,
    ],
    [
      'bad chain id',
      (j: Record<string, unknown>) => {
        j.chainId = '../x';
      },
      /chainId/,
    ],
    [
      'a repeated entry id',
      (j: Record<string, unknown>) => {
        keyAt(j, 1).entryId = '0a1b2c3d';
      },
      /entryId 0a1b2c3d is not unique/,
    ],
    [
      'an entry without an id',
      (j: Record<string, unknown>) => {
        delete keyAt(j, 0).entryId;
      },
      /entryId/,
    ],
    [
      'a label with a control character',
      (j: Record<string, unknown>) => {
        keyAt(j, 1).label = 'safe\u001b[2J';
      },
      /label/,
    ],
    [
      'no MAC',
      (j: Record<string, unknown>) => {
        delete j.mac;
      },
      /mac/,
    ],
    [
      'a MAC of the wrong length',
      (j: Record<string, unknown>) => {
        j.mac = 'AAAA';
      },
      /mac must be 32 bytes/,
    ],
  ])('refuses %s with a typed error naming the file', (_label, edit, message) => {
    const bytes = mutate(edit);
    try {
      decodeEncryptionInfo(bytes, 'c/ENCRYPTION_INFO');
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(ManifestError);
      expect((e as ManifestError).code).toBe('ERR_MANIFEST_INVALID');
      expect((e as ManifestError).file).toBe('c/ENCRYPTION_INFO');
      expect((e as Error).message).toMatch(message);
    }
  });

  it('reports an unsupported version as such', () => {
    expect(() =>
      decodeEncryptionInfo(
        mutate((j) => {
          j.version = 3;
        }),
      ),
    ).toThrow(expect.objectContaining({ code: 'ERR_MANIFEST_UNSUPPORTED_VERSION' }));
  });

  it('refuses bytes that are not JSON', () => {
    expect(() => decodeEncryptionInfo(new Uint8Array([0xff, 0xfe]))).toThrow(ManifestError);
    expect(() => decodeEncryptionInfo(new TextEncoder().encode('{'))).toThrow(/not valid JSON/);
  });

  it('derives a 16-byte check value that differs between keys', async () => {
    const a = await dekCheckValue(new Uint8Array(32).fill(1));
    const b = await dekCheckValue(new Uint8Array(32).fill(2));
    expect(a).toHaveLength(16);
    expect(a).not.toEqual(b);
    expect(await dekCheckValue(new Uint8Array(32).fill(1))).toEqual(a);
  });
});
