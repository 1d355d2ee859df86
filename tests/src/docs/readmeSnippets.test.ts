/**
 * Every ```ts block of README.md, packages/*\/README.md and examples/*\/README.md runs as written:
 * each is written to tests/.snippets/ (git-ignored, inside the workspace so `@sealstream/*`
 * imports resolve) and run with `node --conditions=@sealstream/source --import tsx`, from the
 * repository root; it must exit 0. A trailing comment on a `console.log(…)` line is the line it
 * prints (as console.log formats it; `…` stands for any text), and the printed lines must contain
 * these, in order. Relative imports are resolved against the README's folder; each run gets a
 * TMPDIR of its own under tests/.snippets/, removed afterwards.
 *
 * A block that cannot run here (cloud credentials, a browser- or worker-only API) carries
 * `<!-- snippet: not run (reason) -->` on the line just before its fence; these are reported
 * with console.warn, never skipped silently.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const snippetDir = join(root, 'tests/.snippets');

interface Snippet {
  /** README path relative to the repository root. */
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  code: string;
  /** Set when the block is marked `<!-- snippet: not run (reason) -->`. */
  notRun: string | undefined;
}

function readmes(): string[] {
  const files = ['README.md'];
  for (const dir of ['packages', 'examples']) {
    for (const name of readdirSync(join(root, dir)).sort()) {
      try {
        readFileSync(join(root, dir, name, 'README.md'));
        files.push(`${dir}/${name}/README.md`);
      } catch {
        // no README
      }
    }
  }
  return files;
}

function extract(file: string): Snippet[] {
  const lines = readFileSync(join(root, file), 'utf8').split('\n');
  const found: Snippet[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!/^```ts\s*$/.test(lines[i] ?? '')) continue;
    const start = i;
    const body: string[] = [];
    for (i++; i < lines.length && !/^```\s*$/.test(lines[i] ?? ''); i++) body.push(lines[i] ?? '');
    const marker = /^<!--\s*snippet:\s*not run\s*\((.+)\)\s*-->\s*$/.exec(lines[start - 1] ?? '');
    found.push({ file, line: start + 1, code: body.join('\n'), notRun: marker?.[1] });
  }
  return found;
}

/** The trailing comments of `console.log(…)` lines, in order: what those lines print. */
function expectedOutput(code: string): string[] {
  const expected: string[] = [];
  for (const line of code.split('\n')) {
    const m = /console\.log\(.*\/\/ (.+)$/.exec(line);
    if (m?.[1]) expected.push(m[1].trim());
  }
  return expected;
}

function matches(printed: string, expected: string): boolean {
  if (!expected.includes('…')) return printed === expected;
  const pattern = expected
    .split('…')
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
    .join('.*');
  return new RegExp(`^${pattern}$`).test(printed);
}

/** Relative specifiers point into the README's folder. */
function resolveRelativeImports(code: string, readme: string): string {
  const base = dirname(join(root, readme));
  return code.replace(
    /(\bfrom\s+|\bimport\s*\(\s*|^import\s+)(['"])(\.\.?\/[^'"]+)\2/gm,
    (_, lead: string, quote: string, spec: string) =>
      `${lead}${quote}${pathToFileURL(resolve(base, spec)).href}${quote}`,
  );
}

function run(
  file: string,
  tmp: string,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--conditions=@sealstream/source', '--import', 'tsx', file],
      {
        cwd: root,
        env: { ...process.env, TMPDIR: tmp, TMP: tmp, TEMP: tmp },
        stdio: ['ignore', 'pipe', 'pipe'],
        timeout: 60_000,
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

const snippets = readmes().flatMap(extract);
const runnable = snippets.filter((s) => s.notRun === undefined);
const notRun = snippets.filter((s) => s.notRun !== undefined);

describe('README ts snippets run as written', () => {
  it('finds the snippets', () => {
    expect(runnable.length).toBeGreaterThan(0);
  });

  for (const snippet of runnable) {
    it(`${snippet.file}:${snippet.line}`, { timeout: 70_000 }, async () => {
      mkdirSync(snippetDir, { recursive: true });
      const name = `${snippet.file.replace(/\/?README\.md$/, '').replace(/\//g, '_') || 'root'}-L${snippet.line}.ts`;
      const path = join(snippetDir, name);
      writeFileSync(path, `${resolveRelativeImports(snippet.code, snippet.file)}\n`);
      const tmp = mkdtempSync(join(snippetDir, 'tmp-'));
      const { code, stdout, stderr } = await run(path, tmp).finally(() =>
        rmSync(tmp, { recursive: true, force: true }),
      );
      const where = `${snippet.file}:${snippet.line} (${relative(root, path)})`;
      expect(code, `${where} exited ${code}\n${stderr}`).toBe(0);

      const printed = stdout.split('\n');
      let from = 0;
      for (const expected of expectedOutput(snippet.code)) {
        const at = printed.findIndex((line, i) => i >= from && matches(line, expected));
        expect(at, `${where}: no printed line ${JSON.stringify(expected)}\n${stdout}`).not.toBe(-1);
        from = at + 1;
      }
    });
  }

  it(`${notRun.length} snippet(s) marked not run`, () => {
    for (const s of notRun) {
      console.warn(`README snippet NOT RUN: ${s.file}:${s.line} — ${s.notRun}`);
    }
    expect(notRun.every((s) => s.notRun?.trim())).toBe(true);
  });
});
