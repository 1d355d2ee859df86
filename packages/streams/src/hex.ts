const HEX = '0123456789abcdef';

/**
 * Encodes bytes as lowercase hexadecimal.
 *
 * @example
 * ```ts
 * import { encodeHex } from '@sealstream/streams';
 * console.assert(encodeHex(new Uint8Array([0, 255])) === '00ff');
 * ```
 */
export function encodeHex(bytes: Uint8Array): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('encodeHex: bytes must be a Uint8Array');
  let s = '';
  for (const b of bytes) s += HEX.charAt(b >> 4) + HEX.charAt(b & 15);
  return s;
}

/**
 * Decodes hexadecimal (either case). Throws `SyntaxError` on an odd length or a non-hex
 * character; the message gives the position, never the input.
 *
 * @example
 * ```ts
 * import { decodeHex } from '@sealstream/streams';
 * console.assert(decodeHex('00FF').join() === '0,255');
 * ```
 */
export function decodeHex(text: string): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string') throw new TypeError('decodeHex: text must be a string');
  if (text.length % 2 !== 0) {
    throw new SyntaxError(`decodeHex: length must be even, received ${text.length}`);
  }
  const out = new Uint8Array(text.length / 2);
  for (let i = 0; i < out.length; i++) {
    const hi = nibble(text.charCodeAt(2 * i));
    const lo = nibble(text.charCodeAt(2 * i + 1));
    if (hi < 0 || lo < 0) {
      throw new SyntaxError(`decodeHex: invalid character at index ${hi < 0 ? 2 * i : 2 * i + 1}`);
    }
    out[i] = (hi << 4) | lo;
  }
  return out;
}

function nibble(c: number): number {
  if (c >= 48 && c <= 57) return c - 48;
  if (c >= 97 && c <= 102) return c - 87;
  if (c >= 65 && c <= 70) return c - 55;
  return -1;
}
