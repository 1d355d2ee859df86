const STD = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function table(alphabet: string): Int16Array {
  const t = new Int16Array(128).fill(-1);
  for (let i = 0; i < alphabet.length; i++) t[alphabet.charCodeAt(i)] = i;
  return t;
}
const STD_T = table(STD);
const URL_T = table(URL);

function encode(bytes: Uint8Array, alphabet: string, pad: boolean, name: string): string {
  if (!(bytes instanceof Uint8Array)) throw new TypeError(`${name}: bytes must be a Uint8Array`);
  let s = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n =
      ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    s +=
      alphabet.charAt(n >> 18) +
      alphabet.charAt((n >> 12) & 63) +
      alphabet.charAt((n >> 6) & 63) +
      alphabet.charAt(n & 63);
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = (bytes[i] as number) << 16;
    s += alphabet.charAt(n >> 18) + alphabet.charAt((n >> 12) & 63) + (pad ? '==' : '');
  } else if (rest === 2) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8);
    s +=
      alphabet.charAt(n >> 18) +
      alphabet.charAt((n >> 12) & 63) +
      alphabet.charAt((n >> 6) & 63) +
      (pad ? '=' : '');
  }
  return s;
}

function decode(
  text: string,
  t: Int16Array,
  padded: boolean,
  name: string,
): Uint8Array<ArrayBuffer> {
  if (typeof text !== 'string') throw new TypeError(`${name}: text must be a string`);
  let end = text.length;
  if (padded) {
    if (end % 4 !== 0)
      throw new SyntaxError(`${name}: length must be a multiple of 4, received ${end}`);
    if (end > 0 && text[end - 1] === '=') end--;
    if (end > 0 && text[end - 1] === '=') end--;
  }
  if (end % 4 === 1) throw new SyntaxError(`${name}: impossible length ${text.length}`);
  const out = new Uint8Array(Math.floor((end * 3) / 4));
  let acc = 0;
  let bits = 0;
  let o = 0;
  for (let i = 0; i < end; i++) {
    const c = text.charCodeAt(i);
    const v = c < 128 ? (t[c] as number) : -1;
    if (v < 0) throw new SyntaxError(`${name}: invalid character at index ${i}`);
    acc = (acc << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[o++] = (acc >> bits) & 255;
    }
  }
  if ((acc & ((1 << bits) - 1)) !== 0)
    throw new SyntaxError(`${name}: non-canonical final character`);
  return out;
}

/**
 * Encodes bytes as standard base64 with padding (RFC 4648 §4). Pure JS, no `Buffer`.
 *
 * @example
 * ```ts
 * import { encodeBase64 } from '@sealstream/streams';
 * console.assert(encodeBase64(new TextEncoder().encode('hi?')) === 'aGk/');
 * ```
 */
export function encodeBase64(bytes: Uint8Array): string {
  return encode(bytes, STD, true, 'encodeBase64');
}

/**
 * Decodes canonical, padded standard base64 (RFC 4648 §4). Throws `SyntaxError` on anything
 * else (wrong alphabet, missing padding, non-zero trailing bits, whitespace).
 *
 * @example
 * ```ts
 * import { decodeBase64 } from '@sealstream/streams';
 * console.assert(new TextDecoder().decode(decodeBase64('aGk/')) === 'hi?');
 * ```
 */
export function decodeBase64(text: string): Uint8Array<ArrayBuffer> {
  return decode(text, STD_T, true, 'decodeBase64');
}

/**
 * Encodes bytes as base64url without padding (RFC 4648 §5).
 *
 * @example
 * ```ts
 * import { encodeBase64Url } from '@sealstream/streams';
 * console.assert(encodeBase64Url(new TextEncoder().encode('hi?')) === 'aGk_');
 * ```
 */
export function encodeBase64Url(bytes: Uint8Array): string {
  return encode(bytes, URL, false, 'encodeBase64Url');
}

/**
 * Decodes canonical base64url without padding (RFC 4648 §5). Throws `SyntaxError` otherwise.
 *
 * @example
 * ```ts
 * import { decodeBase64Url } from '@sealstream/streams';
 * console.assert(new TextDecoder().decode(decodeBase64Url('aGk_')) === 'hi?');
 * ```
 */
export function decodeBase64Url(text: string): Uint8Array<ArrayBuffer> {
  return decode(text, URL_T, false, 'decodeBase64Url');
}
