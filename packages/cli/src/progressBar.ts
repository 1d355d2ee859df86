import type { Progress } from '@sealstream/backup';

const MiB = 1024 * 1024;

/**
 * A one-line progress bar on stderr, drawn only when stderr is a terminal (scripts and logs get
 * nothing). Returns the callback to pass as `onProgress` and a function that clears the line.
 */
export function progressBar(enabled = process.stderr.isTTY === true): {
  onProgress?: (p: Progress) => void;
  end: () => void;
} {
  if (!enabled) return { end: () => {} };
  const started = Date.now();
  let drawn = false;
  return {
    onProgress(p) {
      const secs = Math.max((Date.now() - started) / 1000, 0.001);
      const rate = p.bytes / MiB / secs;
      let line = `${p.phase}: ${p.objects}${p.totalObjects === undefined ? '' : `/${p.totalObjects}`} objects, ${(p.bytes / MiB).toFixed(1)} MiB`;
      if (p.totalBytes) {
        const frac = Math.min(1, p.bytes / p.totalBytes);
        const width = 24;
        const fill = Math.round(frac * width);
        line = `[${'#'.repeat(fill)}${'.'.repeat(width - fill)}] ${(frac * 100).toFixed(0).padStart(3)}% ${line}`;
      }
      line += `, ${rate.toFixed(0)} MiB/s`;
      process.stderr.write(`\r\x1b[2K${line}`);
      drawn = true;
    },
    end() {
      if (drawn) process.stderr.write('\r\x1b[2K');
    },
  };
}
