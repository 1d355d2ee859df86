import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

// Every `@example` of @sealstream/kms and @sealstream/kdf is run as written (imports through the
// packages' own names) in one child process, with TMPDIR pointing at a scratch directory that is
// removed afterwards; a stated output (`console.log(x); // value`) is compared.

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
const packages = [here, join(here, '../../kdf/src')];
const scratch = await mkdtemp(join(tmpdir(), 'sealstream-doc-examples-'));
afterAll(() => rm(scratch, { recursive: true, force: true }));

async function examples(dir: string): Promise<{ name: string; code: string }[]> {
  const out: { name: string; code: string }[] = [];
  for (const file of (await readdir(dir)).sort()) {
    if (!file.endsWith('.ts') || file.endsWith('.test.ts')) continue;
    const text = await readFile(join(dir, file), 'utf8');
    const blocks = [
      ...text.matchAll(/@example\n((?: \*.*\n)*?) \* ```ts\n((?: \*.*\n)*?) \* ```/g),
    ];
    blocks.forEach((m, i) => {
      const code = (m[2] ?? '').replace(/^ \* ?/gm, '');
      out.push({ name: `${file} #${i + 1}`, code });
    });
  }
  return out;
}

const all = (
  await Promise.all(packages.map(async (dir) => ({ dir, list: await examples(dir) })))
).flatMap(({ dir, list }) => list.map((e) => ({ ...e, dir })));

interface Outcome {
  name: string;
  ok: boolean;
  lines: string[];
  error?: string;
}

/** Runs every example in one child process (tsx starts once), each as its own module. */
async function runAll(): Promise<Outcome[]> {
  const files = await Promise.all(
    all.map(async (e, i) => {
      const file = join(e.dir, `.example-${i}-${e.name.replace(/[^A-Za-z0-9]/g, '_')}.mts`);
      await writeFile(file, e.code);
      return { name: e.name, file };
    }),
  );
  const runner = join(here, `.examples-runner-${process.pid}.mts`);
  await writeFile(
    runner,
    `import { format } from 'node:util';
const files = ${JSON.stringify(files)};
const outcomes = [];
const log = console.log;
for (const { name, file } of files) {
  const lines = [];
  console.log = (...args) => lines.push(format(...args));
  try {
    await import(file);
    outcomes.push({ name, ok: true, lines });
  } catch (e) {
    outcomes.push({ name, ok: false, lines, error: String(e && e.stack || e) });
  }
}
console.log = log;
process.stdout.write(JSON.stringify(outcomes));
`,
  );
  try {
    const { stdout } = await run(
      process.execPath,
      ['--conditions=@sealstream/source', '--import', 'tsx', runner],
      {
        cwd: here,
        env: { ...process.env, TMPDIR: scratch },
        timeout: 120_000,
        maxBuffer: 16 * 1024 * 1024,
      },
    );
    return JSON.parse(stdout) as Outcome[];
  } finally {
    await Promise.all([runner, ...files.map((f) => f.file)].map((f) => rm(f, { force: true })));
  }
}

describe('doc comment examples', () => {
  let outcomes: Outcome[] = [];
  beforeAll(async () => {
    outcomes = await runAll();
  }, 180_000);

  it('finds the examples and runs every one', () => {
    expect(all.length).toBeGreaterThan(30);
    expect(outcomes.map((o) => o.name)).toEqual(all.map((e) => e.name));
  });

  it.each(all)('$name runs and prints what it states', ({ name, code }) => {
    const o = outcomes.find((x) => x.name === name);
    expect(o?.error).toBeUndefined();
    expect(o?.ok).toBe(true);
    // Where an example states its output (`console.log(…); // value`), the first line must match.
    const stated = code.match(/console\.log\(.*\); \/\/ (?!e\.g\.)(.+)$/m)?.[1];
    if (stated !== undefined) expect(o?.lines[0]?.trim()).toBe(stated.trim());
  });
});
