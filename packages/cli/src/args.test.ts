import { describe, expect, it } from 'vitest';
import { parse } from './args.ts';

describe('parse', () => {
  it('takes --collection wherever a command names its collection --into, --from or --in', () => {
    const backup = parse(
      ['--collection', './c', '--collection', './w?COCKROACH_LOCALITY=region%3Dw'],
      {
        into: { type: 'string', multiple: true },
      },
    );
    expect(backup.values.into).toEqual(['./c', './w?COCKROACH_LOCALITY=region%3Dw']);
    expect(parse(['--collection', './c'], { from: { type: 'string' } }).values.from).toBe('./c');
    expect(parse(['--in', './c'], { in: { type: 'string', multiple: true } }).values.in).toEqual([
      './c',
    ]);
    expect(() =>
      parse(['--collection', './c', '--in', './d'], { in: { type: 'string', multiple: true } }),
    ).toThrow(/give one/);
    // A command without a collection does not take it.
    expect(() => parse(['--collection', './c'], { out: { type: 'string' } })).toThrow(
      expect.objectContaining({ code: 'ERR_CLI_USAGE' }),
    );
  });
});
