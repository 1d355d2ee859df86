import { describe, expect, it } from 'vitest';
import { excludeRules } from './excludeRules.ts';

describe('excludeRules', () => {
  it('matches base names at any depth, and paths from the root with a /', () => {
    const x = excludeRules(['*.log', 'node_modules', 'cache/*.tmp', '/build', '**/secret?']);
    const yes = [
      'x.log',
      'a/b/x.log',
      'node_modules',
      'pkg/node_modules',
      'cache/a.tmp',
      'build',
      'a/b/secret1',
      'secretX',
    ];
    const no = [
      'x.log.txt',
      'a/node_modules_x',
      'cache/sub/a.tmp',
      'deep/cache/a.tmp',
      'src/build',
      'a/secret12',
      'logs',
    ];
    for (const p of yes) expect(x(p), p).toBe(true);
    for (const p of no) expect(x(p), p).toBe(false);
  });

  it('classes, ** across components, and literal regex characters', () => {
    const x = excludeRules(['[ab].txt', 'data/**/*.bak', 'a+b(1).c']);
    for (const p of ['a.txt', 'd/b.txt', 'data/x.bak', 'data/1/2/x.bak', 'a+b(1).c'])
      expect(x(p), p).toBe(true);
    for (const p of ['c.txt', 'x/data/y.bak', 'aab1.c']) expect(x(p), p).toBe(false);
    expect(() => excludeRules(['!keep'])).toThrow(/negation/);
  });
});
