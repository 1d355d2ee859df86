import { writeObject } from '@sealstream/storage';
import { isStorageError, storageConformance } from '@sealstream/storage/testing';
import { azureBlobStorage } from '@sealstream/storage-azure';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Azurite, startAzurite } from '../../services/azurite.ts';
import { importFromPackage } from '../../services/paths.ts';
import { serverOutageTests } from './serverOutage.ts';

type Sdk = typeof import('@azure/storage-blob');

let azurite: Azurite;

beforeAll(async () => {
  azurite = await startAzurite();
  const sdk = await importFromPackage<Sdk>('storage-azure', '@azure/storage-blob');
  const { AZURITE_ACCOUNT, AZURITE_KEY } = await import('../../services/azurite.ts');
  const service = new sdk.BlobServiceClient(
    azurite.endpoint,
    new sdk.StorageSharedKeyCredential(AZURITE_ACCOUNT, AZURITE_KEY),
  );
  for (const name of ['conformance', 'rootless', 'outage'])
    await service.getContainerClient(name).createIfNotExists();
});
afterAll(async () => {
  await azurite?.dispose();
});

storageConformance(
  'azure-blob (Azurite 3.35.0)',
  async () => ({ storage: azureBlobStorage(azurite.uri('conformance', 'root/prefix')) }),
  {
    additionalTests() {
      it('round-trips at the container root (no prefix)', async () => {
        const storage = azureBlobStorage(azurite.uri('rootless'));
        await writeObject(storage, 'at-root', new Uint8Array([1, 2, 3]));
        const keys: string[] = [];
        for await (const info of storage.list('')) keys.push(info.key);
        expect(keys).toEqual(['at-root']);
      });
      it('names a missing container clearly', async () => {
        const storage = azureBlobStorage(azurite.uri('no-such-container'), { maxAttempts: 1 });
        const attempt = writeObject(storage, 'x', new Uint8Array(1));
        await expect(attempt).rejects.toSatisfy(isStorageError('ERR_STORAGE_NOT_FOUND'));
        await expect(attempt).rejects.toThrow(/container does not exist/);
      });
      it('wrong account key → ERR_STORAGE_ACCESS_DENIED, key not in the message', async () => {
        const uri = azurite
          .uri('conformance')
          .replace(
            /AZURE_ACCOUNT_KEY=[^&]+/,
            `AZURE_ACCOUNT_KEY=${encodeURIComponent(btoa('not-the-key'))}`,
          );
        const storage = azureBlobStorage(uri, { maxAttempts: 1 });
        const error = await storage.stat('x').catch((e: unknown) => e);
        expect(isStorageError('ERR_STORAGE_ACCESS_DENIED')(error), String(error)).toBe(true);
        expect(String((error as Error).message)).not.toContain(btoa('not-the-key'));
        expect(String((error as Error).message)).toContain('AZURE_ACCOUNT_KEY=redacted');
      });
    },
  },
);

describe('azure-blob outage (Azurite)', () => {
  serverOutageTests('azure-blob', () => ({
    storage: () =>
      azureBlobStorage(azurite.uri('outage', 'p'), {
        maxAttempts: 2,
        retryDelayMs: 100,
        blockSize: 4 * 1024 * 1024,
      }),
    stop: () => azurite.stop(),
    start: () => azurite.start(),
    before: 10 * 1024 * 1024,
  }));
});
