import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { storageConformance } from '@sealstream/storage/testing';
import { localStorage } from './localStorage.ts';

storageConformance(
  'local',
  async () => {
    const dir = await mkdtemp(join(tmpdir(), 'sealstream-local-conformance-'));
    return { storage: localStorage(dir), cleanup: () => rm(dir, { recursive: true, force: true }) };
  },
  { listPaging: true },
);
