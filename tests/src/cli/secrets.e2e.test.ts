import {
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RESTORE_MARKER, RESTORE_STAGING } from '@sealstream/fs';
import { afterAll, describe, expect, it } from 'vitest';
import { type CliResult, cliOk, describeTree, runCli } from './runCli.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-cli-secrets-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function allFiles(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[])
    .map((f) => join(dir, String(f)))
    .filter((p) => statSync(p).isFile());
}

describe('secrets and corruption through the CLI', () => {
  it('never writes the passphrase or key material to the collection or to any output', async () => {
    const passphrase = 'Zebra-Quasar-Marmalade-90210';
    const passFile = join(work, 'pass');
    writeFileSync(passFile, `${passphrase}\n`, { mode: 0o600 });
    const src = join(work, 'src');
    mkdirSync(src);
    writeFileSync(join(src, 'plain.txt'), 'PLAINTEXT-MARKER-'.repeat(100));
    const keyFile = join(work, 'k.key');
    const outputs: CliResult[] = [];
    outputs.push(await cliOk(['keygen', '--out', keyFile, '--json']));
    const kms = `local-kms://${keyFile}`;
    const c = join(work, 'c');
    outputs.push(
      await cliOk([
        'backup',
        src,
        '--into',
        c,
        '--passphrase-file',
        passFile,
        '--kms',
        kms,
        '--json',
      ]),
    );
    outputs.push(
      await cliOk(['backup', src, '--into', c, '--incremental', '--kms', kms, '--json'], {
        env: { SEALSTREAM_PASSPHRASE: passphrase },
      }),
    );
    outputs.push(await cliOk(['show', '--in', c, '--passphrase-file', passFile, '--json']));
    outputs.push(await cliOk(['verify', '--in', c, '--kms', kms, '--json']));
    outputs.push(await cliOk(['list', '--in', c, '--json']));
    outputs.push(
      await cliOk([
        'restore',
        '--from',
        c,
        '--to',
        join(work, 'out'),
        '--passphrase-file',
        passFile,
        '--json',
      ]),
    );
    outputs.push(
      await runCli([
        'restore',
        '--from',
        c,
        '--to',
        join(work, 'out2'),
        '--passphrase-file',
        keyFile,
        '--json',
      ]),
    );
    expect(outputs.at(-1)?.code).toBe(1);
    for (const o of outputs.slice(0, -1)) expect(() => JSON.parse(o.stdout)).not.toThrow();

    const key = readFileSync(keyFile);
    const needles = [
      passphrase,
      key.toString('hex'),
      key.toString('base64'),
      key.toString('base64url'),
      'PLAINTEXT-MARKER',
    ];
    const haystacks = [
      ...allFiles(c).map((p) => [p, readFileSync(p).toString('latin1')] as const),
      ...outputs.flatMap(
        (o, i) =>
          [
            [`stdout #${i}`, o.stdout],
            [`stderr #${i}`, o.stderr],
          ] as const,
      ),
    ];
    expect(haystacks.length).toBeGreaterThan(10);
    for (const [where, text] of haystacks) {
      for (const n of needles) expect(text.includes(n), `${where} contains a secret`).toBe(false);
      // The raw key bytes, too.
      expect(text.includes(key.toString('latin1')), `${where} contains the raw key`).toBe(false);
    }
  }, 180_000);

  it('never echoes a secret given in a misspelt --kms or --into', async () => {
    const src = join(work, 'echo-src');
    mkdirSync(src);
    writeFileSync(join(src, 'a'), 'a');
    const secret = 'Xyzzy9Plugh4Secret';
    const cases: [string, string][] = [
      ['--kms', `correct horse ${secret}`], // a passphrase pasted as a key
      ['--kms', `${secret}:staple`],
      ['--kms', `aws:///alias/k&AWS_SECRET_ACCESS_KEY=${secret}`], // the ? forgotten
      ['--kms', `aws:///alias/k?REGION=eu&AWS_SECRET_KEY=${secret}`], // a misspelt name
      ['--into', `s3://bucket/p?AWS_SECRET_KEY=${secret}`],
      ['--into', `azure-blob://c/p?AZURE_ACCOUNT_NAME=a&AZURE_SAS=sv=1&sig=${secret}`],
      ['--into', `s3://me:pa/${secret}@bucket/p`],
    ];
    for (const [flag, value] of cases) {
      const args = ['backup', src, '--json'];
      args.push(
        ...(flag === '--kms'
          ? ['--into', join(work, 'echo-c'), flag, value]
          : [flag, value, '--kms', 'local-kms:///nonexistent.key']),
      );
      const r = await runCli(args);
      expect(r.code, value).not.toBe(0);
      expect(`${r.stdout}${r.stderr}`, value).not.toContain(secret);
    }
  }, 120_000);

  it('names the damaged file, exits 1, and leaves no incomplete file in the target', async () => {
    const passFile = join(work, 'p2');
    writeFileSync(passFile, 'corruption test\n', { mode: 0o600 });
    const src = join(work, 'src2');
    mkdirSync(src);
    for (let i = 0; i < 5; i++) writeFileSync(join(src, `f${i}.txt`), `file ${i} `.repeat(20000));
    const c = join(work, 'c2');
    await cliOk(['backup', src, '--into', c, '--passphrase-file', passFile]);
    // The five files' chunks share one data pack (the other, smaller pack holds the trees):
    // damage the middle of it (inside one chunk).
    const files = allFiles(c)
      .filter((p) => p.includes('/packs/'))
      .sort((x, y) => statSync(y).size - statSync(x).size);
    expect(files).toHaveLength(2);
    const victim = files[0] as string;
    const bytes = readFileSync(victim);
    const middle = bytes.length >> 1;
    bytes[middle] = (bytes[middle] as number) ^ 0x40;
    writeFileSync(victim, bytes);
    const out = join(work, 'out3');
    const r = await runCli([
      'restore',
      '--from',
      c,
      '--to',
      out,
      '--passphrase-file',
      passFile,
      '--json',
    ]);
    expect(r.code).toBe(1);
    // Where the flipped byte falls (a blob's header or its body) decides which check fires.
    expect(r.stderr).toMatch(/ERR_AEAD_(TAMPERED|BAD_HEADER|KEY_MISMATCH)/);
    expect(r.stderr).toContain(victim.slice(c.length + 1));
    expect(JSON.parse(r.stdout).error.code).toMatch(/^ERR_AEAD_/);
    const want = describeTree(src);
    // The marker of an interrupted restore stays (a rerun resumes it), beside the tree written
    // so far, where every file is complete.
    expect(readdirSync(out).sort()).toEqual([RESTORE_MARKER, RESTORE_STAGING]);
    const got = describeTree(join(out, RESTORE_STAGING));
    for (const [name, d] of Object.entries(got))
      if (d.startsWith('file')) expect(d, name).toBe(want[name]);
    const v = await runCli(['verify', '--in', c, '--passphrase-file', passFile]);
    expect(v.code).toBe(1);
    expect(v.stderr).toContain(victim.slice(c.length + 1));

    const info = allFiles(c).find((p) => p.endsWith('ENCRYPTION_INFO')) as string;
    writeFileSync(info, readFileSync(info, 'utf8').replace('"chainId"', '"chainID"'));
    const s = await runCli(['show', '--in', c, '--passphrase-file', passFile]);
    expect(s.code).toBe(1);
    expect(s.stderr).toContain('ERR_MANIFEST_INVALID');
    expect(s.stderr).toContain('ENCRYPTION_INFO');
  }, 180_000);
});
