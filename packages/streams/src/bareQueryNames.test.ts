import { describe, expect, it } from 'vitest';
import { bareQueryNames } from './bareQueryNames.ts';

describe('bareQueryNames', () => {
  it('lists the decoded names written without `=`, not those with an empty value', () => {
    expect([...bareQueryNames(new URL('s3://b/p?CREDENTIALS&REGION=&A%5FB&&X=1'))]).toEqual([
      'CREDENTIALS',
      'A_B',
    ]);
    expect(bareQueryNames(new URL('s3://b/p')).size).toBe(0);
  });
});
