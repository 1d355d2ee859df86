import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, it } from 'vitest';
import { raceIncrementals } from './raceIncrementals.ts';

const work = mkdtempSync(join(tmpdir(), 'sealstream-concurrent-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('several processes backing up into one local collection at once', () => {
  it('incrementals racing for one chain: each joins it or fails with ERR_BACKUP_CONFLICT', async () => {
    const pass = join(work, 'pass');
    writeFileSync(pass, 'racing writers\n', { mode: 0o600 });
    await raceIncrementals(join(work, 'collection'), work, ['--passphrase-file', pass], 4);
  }, 180_000);
});
