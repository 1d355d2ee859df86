// The thread's entry when the package runs from its sources (`.ts`, under vitest or
// `--import tsx`): registers tsx in this thread, as Node 20 does not for a worker's
// `--import tsx`, then runs the thread's module itself (docs/decisions/0014-seal-worker-module.md).
import { register } from 'tsx/esm/api';

register();
await import('./ReadAhead.worker.ts');
