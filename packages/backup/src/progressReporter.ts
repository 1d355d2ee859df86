import type { Progress } from './BackupSource.ts';

/** Accumulates progress and reports it at most every `intervalMs`, and once more at the end. */
export function progressReporter(
  phase: Progress['phase'],
  onProgress: ((p: Progress) => void) | undefined,
  totals: { totalObjects?: number | undefined; totalBytes?: number | undefined } = {},
  intervalMs = 200,
) {
  const p: Progress = { phase, objects: 0, bytes: 0 };
  if (totals.totalObjects !== undefined) p.totalObjects = totals.totalObjects;
  if (totals.totalBytes !== undefined) p.totalBytes = totals.totalBytes;
  let last = 0;
  const emit = (force: boolean) => {
    if (!onProgress) return;
    const now = Date.now();
    if (!force && now - last < intervalMs) return;
    last = now;
    onProgress({ ...p });
  };
  return {
    bytes(n: number) {
      p.bytes += n;
      emit(false);
    },
    object() {
      p.objects += 1;
      emit(false);
    },
    done() {
      emit(true);
    },
  };
}
