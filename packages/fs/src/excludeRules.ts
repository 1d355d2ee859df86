/**
 * A matcher for `--exclude` patterns, restic-style: `*` matches within one path component, `**`
 * across components, `?` one character, `[abc]` a class. A pattern without `/` matches the base
 * name of an entry at any depth (`*.log`, `node_modules`); a pattern with `/` matches the path
 * relative to the backed-up directory (`cache/*.tmp`, `**\/build`; a leading `/` anchors it
 * there too). A directory that matches is left out with everything under it. A pattern starting
 * with `!` is not supported (the error says so).
 *
 * @example
 * ```ts
 * import { excludeRules } from '@sealstream/fs';
 * const excluded = excludeRules(['*.log', 'cache/**']);
 * console.log(excluded('a/b/x.log'), excluded('cache/z/y'), excluded('src/x.ts')); // true true false
 * ```
 */
export function excludeRules(patterns: readonly string[]): (relativePath: string) => boolean {
  const rules = patterns.map((p) => {
    if (p.startsWith('!'))
      throw new TypeError(`exclude pattern ${JSON.stringify(p)}: negation (!) is not supported`);
    const anchored = p.includes('/');
    const body = p.replace(/^\/+/, '').replace(/\/+$/, '');
    if (body === '') throw new TypeError(`exclude pattern ${JSON.stringify(p)} matches nothing`);
    return { anchored, re: new RegExp(`^${globToRegExp(body)}$`, 'u') };
  });
  return (path) => {
    const base = path.slice(path.lastIndexOf('/') + 1);
    return rules.some((r) => r.re.test(r.anchored ? path : base));
  };
}

function globToRegExp(glob: string): string {
  let out = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] as string;
    if (c === '*') {
      if (glob[i + 1] === '*') {
        // `**/` matches zero or more whole components; a trailing `**` anything below.
        if (glob[i + 2] === '/') {
          out += '(?:.*/)?';
          i += 2;
        } else {
          out += '.*';
          i += 1;
        }
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = glob.indexOf(']', i + 2);
      if (end < 0) out += '\\[';
      else {
        const cls = glob.slice(i + 1, end).replace(/\\/g, '\\\\');
        out += cls.startsWith('!') ? `[^/${cls.slice(1)}]` : `[${cls}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  return out;
}
