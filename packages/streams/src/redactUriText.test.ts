import { describe, expect, it } from 'vitest';
import { REDACTED, redactUriText } from './redactUriText.ts';

const kmsLike = { harmless: new Set(['REGION']), looseEquals: true };
const storageLike = { harmless: new Set(['REGION']), looseEquals: false };

describe('redactUriText', () => {
  it('hides user info, unknown values, a bare unknown name and the fragment', () => {
    expect(redactUriText('s3://id:p/w@host/k?REGION=eu&KEY=abc&hunter2#frag', kmsLike)).toBe(
      `s3://${REDACTED}@host/k?REGION=eu&KEY=${REDACTED}&${REDACTED}#${REDACTED}`,
    );
  });
  it('splits parameters on `;` as on `&`, so a secret after `;` is not shown as a harmless value', () => {
    expect(redactUriText('s3://b/p?REGION=eu;KEY=abc', storageLike)).toBe(
      `s3://b/p?REGION=eu;KEY=${REDACTED}`,
    );
  });
  it('hides a harmless value that holds credentials', () => {
    expect(redactUriText('s3://b?REGION=u%3Apw%40h', storageLike)).toBe(
      `s3://b?REGION=${REDACTED}`,
    );
  });
  it('with looseEquals, an `=` before the query starts hidden parameters; without, it is path', () => {
    expect(redactUriText('aws:///k=secret', kmsLike)).toBe(`aws:///k=${REDACTED}`);
    expect(redactUriText('s3://b/date=2026-01-01/x', storageLike)).toBe('s3://b/date=2026-01-01/x');
    expect(redactUriText('s3://b/p&KEY=secret', storageLike)).toBe(`s3://b/p&${REDACTED}`);
  });
  it('reads the text as a URL parser does: tabs and line breaks are dropped first', () => {
    expect(redactUriText('s3:/\n/id:pw@b/p', storageLike)).toBe(`s3://${REDACTED}@b/p`);
  });
});
