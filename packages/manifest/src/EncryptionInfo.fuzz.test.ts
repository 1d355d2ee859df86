import { SealstreamError } from '@sealstream/streams';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fuzz } from '../../../tests/src/fuzz/byteFuzz.ts';
import { decodeEncryptionInfo, encodeEncryptionInfo } from './EncryptionInfo.ts';

// Fuzz target (docs/FUZZING.md): shared scaffolding in tests/src/fuzz/byteFuzz.ts.
const valid = encodeEncryptionInfo({
  chainId: '0123456789abcdef0123456789abcdef',
  generation: 3,
  created: '2026-11-28T01:00:00.000Z',
  dekCheck: new Uint8Array(16).fill(7),
  keys: [
    {
      entryId: '0a1b2c3d',
      scheme: 'local-kms',
      id: '/keys/a',
      added: '2026-11-28T01:00:00.000Z',
      wrapped: new Uint8Array([1, 2, 3]),
      params: { region: 'x', nested: { a: [1, 2, { b: null }] } },
    },
    {
      entryId: 'ffee0011',
      scheme: 'passphrase',
      id: 'passphrase',
      label: 'office safe',
      added: '2026-11-29T01:00:00.000Z',
      wrapped: new Uint8Array([4]),
      params: { algorithm: 'argon2id', memoryKiB: 65536, iterations: 3, parallelism: 1 },
    },
  ],
  mac: new Uint8Array(32).fill(9),
});
const validText = new TextDecoder().decode(valid);

/** Decodes `bytes`: a valid object (that re-encodes) or an `ERR_MANIFEST_*` error, nothing else. */
function check(bytes: Uint8Array): void {
  let info: ReturnType<typeof decodeEncryptionInfo>;
  try {
    info = decodeEncryptionInfo(bytes);
  } catch (e) {
    if (!(e instanceof SealstreamError) || !e.code.startsWith('ERR_MANIFEST_')) throw e;
    return;
  }
  expect(info.keys.length).toBeGreaterThan(0);
  // What was accepted can be written back (alter, rekey) without throwing.
  expect(decodeEncryptionInfo(encodeEncryptionInfo(info))).toEqual(info);
}

/** JSON-ish text: fragments of the valid document, JSON punctuation and random characters. */
const jsonish = fc
  .array(
    fc.oneof(
      fc.constantFrom('{', '}', '[', ']', ',', ':', '"', '\\', 'null', 'true', '-0', '1e999', ' '),
      fc.string({ maxLength: 8 }),
      fc.tuple(fc.nat(validText.length), fc.nat(40)).map(([at, n]) => validText.slice(at, at + n)),
    ),
    { maxLength: 60 },
  )
  .map((parts) => parts.join(''));

/** A valid document with one JSON value replaced somewhere in it. */
const mutatedDocument = fc
  .tuple(
    fc.constantFrom(
      [],
      ['format'],
      ['version'],
      ['chainId'],
      ['generation'],
      ['created'],
      ['dekCheck'],
      ['mac'],
      ['keys'],
      ['keys', 0],
      ['keys', 1],
      ['keys', 0, 'entryId'],
      ['keys', 1, 'entryId'],
      ['keys', 0, 'scheme'],
      ['keys', 0, 'label'],
      ['keys', 1, 'label'],
      ['keys', 0, 'wrapped'],
      ['keys', 0, 'params'],
      ['keys', 1, 'params'],
      ['keys', 0, 'extra'],
      ['extra'],
    ) as fc.Arbitrary<(string | number)[]>,
    fc.oneof(fc.jsonValue({ maxDepth: 4 }), fc.constant(undefined)),
  )
  .map(([path, value]) => {
    const doc = JSON.parse(validText) as Record<string | number, unknown>;
    if (path.length === 0) return JSON.stringify(value ?? null);
    let at = doc;
    for (const p of path.slice(0, -1)) at = at[p] as Record<string | number, unknown>;
    const last = path[path.length - 1] as string | number;
    if (value === undefined) delete at[last];
    else at[last] = value;
    return JSON.stringify(doc);
  });

/** The valid bytes with bytes flipped, cut, inserted or appended. */
const mutatedBytes = fc
  .array(
    fc.oneof(
      fc.tuple(fc.constant('flip'), fc.nat(), fc.integer({ min: 1, max: 255 })),
      fc.tuple(fc.constant('cut'), fc.nat(), fc.nat(64)),
      fc.tuple(fc.constant('insert'), fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 16 })),
    ),
    { minLength: 1, maxLength: 4 },
  )
  .map((edits) => {
    let b = valid.slice();
    for (const [op, at, arg] of edits) {
      const i = at % (b.length + 1);
      if (op === 'flip' && i < b.length) b[i] = (b[i] as number) ^ (arg as number);
      else if (op === 'cut')
        b = new Uint8Array([...b.subarray(0, i), ...b.subarray(i + (arg as number))]);
      else if (op === 'insert')
        b = new Uint8Array([...b.subarray(0, i), ...(arg as Uint8Array), ...b.subarray(i)]);
    }
    return b;
  });

function nested(depth: number, open: string, close: string, inner = '0'): string {
  return `${open.repeat(depth)}${inner}${close.repeat(depth)}`;
}

describe('ENCRYPTION_INFO fuzz (decodeEncryptionInfo)', () => {
  it('random JSON-ish text: a valid object or ERR_MANIFEST_*', () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(jsonish, (text) => check(enc.encode(text))),
      fuzz(400),
    );
  });

  it('random bytes: a valid object or ERR_MANIFEST_*', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (bytes) => check(bytes)),
      fuzz(300),
    );
  });

  it('a valid document with one value replaced: a valid object or ERR_MANIFEST_*', () => {
    const enc = new TextEncoder();
    fc.assert(
      fc.property(mutatedDocument, (text) => check(enc.encode(text))),
      fuzz(400),
    );
  });

  it('a valid document with bytes flipped, cut or inserted: a valid object or ERR_MANIFEST_*', () => {
    fc.assert(fc.property(mutatedBytes, check), fuzz(400));
  });

  it('deep nesting: 100k-deep params, keys and top level do not overflow the stack', () => {
    const doc = JSON.parse(validText) as { keys: Record<string, unknown>[] };
    const enc = new TextEncoder();
    for (const [open, close] of [
      ['[', ']'],
      ['{"a":', '}'],
    ] as const) {
      const deep = nested(100_000, open, close);
      const params = `{"x":${deep}}`;
      const withParams = JSON.stringify(doc).replace(
        '"params":{"region"',
        `"params":${params.slice(0, -1)},"region"`,
      );
      expect(withParams).not.toBe(JSON.stringify(doc));
      expect(() => decodeEncryptionInfo(enc.encode(withParams))).toThrow(
        expect.objectContaining({ code: 'ERR_MANIFEST_INVALID' }),
      );
      check(enc.encode(nested(100_000, open, close)));
      check(enc.encode(JSON.stringify(doc).replace('"keys":', `"keys":${deep},"k":`)));
    }
    // Ordinary nesting is still accepted.
    expect(decodeEncryptionInfo(valid).keys[0]?.params).toEqual({
      region: 'x',
      nested: { a: [1, 2, { b: null }] },
    });
  });
});
