#!/usr/bin/env node
// The main job, end to end through the `sealstream` CLI: back up a sample directory into a
// collection on local disk with a passphrase, change the tree, take an incremental, restore
// LATEST into a fresh directory and compare it with the original. Exits non-zero on any
// difference. Usage: pnpm demo [DIR]  (default: a new temporary directory, removed afterwards)
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import {
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../..', import.meta.url));
const keep = process.argv[2] !== undefined;
const work = keep ? process.argv[2] : mkdtempSync(join(tmpdir(), 'sealstream-demo-'));
const src = join(work, 'data');
const collection = join(work, 'collection');
const restored = join(work, 'restored');
const passFile = join(work, 'passphrase');

function sealstream(...args) {
  console.log(`$ sealstream ${args.join(' ')}`);
  const out = execFileSync(
    process.execPath,
    [
      '--conditions=@sealstream/source',
      '--import',
      'tsx',
      join(root, 'packages/cli/src/bin.ts'),
      ...args,
    ],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] },
  );
  process.stdout.write(`${out.trimEnd().replace(/^/gm, '  ')}\n`);
  return out;
}

function tree(dir, base = '') {
  const out = {};
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    const rel = base ? `${base}/${name}` : name;
    const st = lstatSync(p);
    if (st.isSymbolicLink()) out[rel] = `-> ${readlinkSync(p)}`;
    else if (st.isDirectory())
      Object.assign(out, { [rel]: `dir ${(st.mode & 0o777).toString(8)}` }, tree(p, rel));
    else
      out[rel] =
        `file ${(st.mode & 0o777).toString(8)} ${Math.trunc(st.mtimeMs)} ${readFileSync(p).toString('base64')}`;
  }
  return out;
}

try {
  mkdirSync(join(src, 'docs/nested'), { recursive: true });
  writeFileSync(join(src, 'README.txt'), 'sealstream demo\n');
  writeFileSync(join(src, 'docs/notes-é.txt'), 'unicode names work\n');
  writeFileSync(join(src, 'docs/nested/random.bin'), randomBytes(3 * 1024 * 1024 + 17));
  writeFileSync(join(src, 'empty'), '');
  symlinkSync('README.txt', join(src, 'link-to-readme'));
  writeFileSync(passFile, `${randomBytes(18).toString('base64')}\n`, { mode: 0o600 });

  sealstream('backup', src, '--into', collection, '--passphrase-file', passFile);
  writeFileSync(join(src, 'README.txt'), 'sealstream demo, changed\n');
  writeFileSync(join(src, 'docs/added.txt'), 'added after the full backup\n');
  rmSync(join(src, 'empty'));
  sealstream('backup', src, '--into', collection, '--passphrase-file', passFile, '--incremental');
  sealstream('list', '--in', collection);
  sealstream('show', 'LATEST', '--in', collection, '--passphrase-file', passFile);
  sealstream('verify', 'LATEST', '--in', collection, '--passphrase-file', passFile);
  sealstream(
    'restore',
    'LATEST',
    '--from',
    collection,
    '--to',
    restored,
    '--passphrase-file',
    passFile,
  );

  const a = JSON.stringify(tree(src));
  const b = JSON.stringify(tree(restored));
  if (a !== b) {
    console.error('demo: FAILED — the restored tree differs from the original');
    const ta = tree(src);
    const tb = tree(restored);
    for (const k of new Set([...Object.keys(ta), ...Object.keys(tb)])) {
      if (ta[k] !== tb[k])
        console.error(
          `  ${k}: original ${String(ta[k]).slice(0, 60)} / restored ${String(tb[k]).slice(0, 60)}`,
        );
    }
    process.exitCode = 1;
  } else {
    console.log(
      `demo: OK — restored tree is identical to the original (${Object.keys(tree(src)).length} entries, contents, modes, mtimes, links)`,
    );
  }
} finally {
  if (!keep) rmSync(work, { recursive: true, force: true });
}
