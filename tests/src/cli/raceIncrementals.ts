import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { cliOk, describeTree, runCli } from './runCli.ts';

/**
 * Starts `racers` incremental backups of one chain at once, each of its own tree, as separate
 * processes into `uri`, and checks that the collection stays one chain: every racer either
 * committed (exit 0) or failed with `ERR_BACKUP_CONFLICT`, the chain's layers are exactly the
 * full backup and the winners, each restores to its own tree, and verify passes. Whether the
 * racers overlap depends on timing: overlapping or not, the outcome must be one of these.
 */
export async function raceIncrementals(
  uri: string,
  work: string,
  key: string[],
  racers = 3,
): Promise<{ winners: number }> {
  const base = join(work, 'race-base');
  mkdirSync(base, { recursive: true });
  writeFileSync(join(base, 'common.txt'), 'in every layer\n');
  await cliOk(['backup', base, '--into', uri, ...key, '--kdf', 'pbkdf2']);
  const trees = Array.from({ length: racers }, (_, i) => {
    const dir = join(work, `race-${i}`);
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'common.txt'), 'in every layer\n');
    writeFileSync(join(dir, `racer-${i}.txt`), `racer ${i}\n`);
    return dir;
  });
  const results = await Promise.all(
    trees.map((dir) => runCli(['backup', dir, '--into', uri, '--incremental', ...key, '--json'])),
  );
  const winners: { id: string; tree: string }[] = [];
  results.forEach((r, i) => {
    if (r.code === 0) winners.push({ id: JSON.parse(r.stdout).id, tree: trees[i] as string });
    else expect(r.stderr, `racer ${i}`).toContain('ERR_BACKUP_CONFLICT');
  });
  expect(winners.length, results.map((r) => r.stderr).join('\n')).toBeGreaterThanOrEqual(1);
  const listed = JSON.parse((await cliOk(['list', '--in', uri, '--json'])).stdout).backups as {
    id: string;
    type: string;
  }[];
  const layers = listed.filter((b) => b.type === 'incremental').map((b) => b.id);
  expect(layers.sort()).toEqual(winners.map((w) => w.id).sort());
  for (const w of winners) {
    const out = join(work, `race-out-${w.id.replaceAll('/', '_')}`);
    await cliOk(['restore', w.id, '--from', uri, '--to', out, ...key]);
    expect(describeTree(out)).toEqual(describeTree(w.tree));
  }
  await cliOk(['verify', '--in', uri, ...key]);
  return { winners: winners.length };
}
