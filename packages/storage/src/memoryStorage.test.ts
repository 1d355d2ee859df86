import { memoryStorage } from './memoryStorage.ts';
import { storageConformance } from './testing/storageConformance.ts';

storageConformance('memory', async () => ({ storage: memoryStorage() }), { listPaging: true });
