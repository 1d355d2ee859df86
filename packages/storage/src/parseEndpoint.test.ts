import { describe, expect, it } from 'vitest';
import { parseEndpoint } from './parseEndpoint.ts';

const fail = (m: string): never => {
  throw new Error(m);
};

describe('parseEndpoint', () => {
  it('accepts http(s) URLs and drops trailing slashes', () => {
    expect(parseEndpoint('http://127.0.0.1:9000/', 'X_ENDPOINT', fail)).toBe(
      'http://127.0.0.1:9000',
    );
    expect(parseEndpoint('https://h.example/acct//', 'X_ENDPOINT', fail)).toBe(
      'https://h.example/acct',
    );
  });

  it.each([
    ['not a url', 'X_ENDPOINT is not a URL'],
    ['ftp://h.example', 'X_ENDPOINT must be an http(s) URL'],
    ['http://h.example/?q=1', 'X_ENDPOINT must be an http(s) URL'],
    ['http://h.example/#f', 'X_ENDPOINT must be an http(s) URL'],
    ['http://user:pw@h.example', 'X_ENDPOINT must be an http(s) URL'],
  ])('refuses %s', (value, message) => {
    expect(() => parseEndpoint(value, 'X_ENDPOINT', fail)).toThrow(message);
  });
});
