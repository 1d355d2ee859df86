import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** What a child process does while its memory is watched. */
export interface RssJob {
  /**
   * `plumbing`: generated source → discard. `encrypt`: source → encryptStream → discard.
   * `encrypt+decrypt`: source → encryptStream → decryptStream → discard. `backup`: a full backup
   * of `tree` into the local collection `collection`. `restore`: LATEST of `collection` into the
   * new directory `target`.
   */
  readonly kind: 'plumbing' | 'encrypt' | 'encrypt+decrypt' | 'backup' | 'restore';
  /** Bytes generated on the fly (stream kinds). */
  readonly bytes: number;
  readonly engine?: 'node' | 'webcrypto' | 'noble';
  /** 32-byte key, hex: the stream key, or the local-kms master key for backup/restore. */
  readonly keyHex: string;
  readonly tree?: string;
  readonly collection?: string;
  readonly target?: string;
}

/** What the child measured. RSS values in bytes. */
export interface RssReport {
  /** RSS after loading everything and a full GC, just before the job. */
  readonly baselineRss: number;
  /** Highest RSS seen by a 5 ms sampler during the job. */
  readonly sampledPeakRss: number;
  /**
   * The kernel's RSS high-water mark of the child (VmHWM), start-up included. Not getrusage's
   * maxRSS: Linux carries that over from the parent across fork and exec.
   */
  readonly highWaterRss: number;
  /** Plaintext bytes the job processed. */
  readonly bytes: number;
  readonly seconds: number;
  readonly gcExposed: boolean;
}

const CHILD = fileURLToPath(new URL('./rssChild.ts', import.meta.url));

/**
 * Runs `job` in a fresh Node process (same loader flags as this one, plus `--expose-gc`) and
 * returns its memory report. Peak over baseline is `max(highWaterRss, sampledPeakRss) − baselineRss`:
 * an upper bound, since `highWaterRss` also covers start-up.
 *
 * @example
 * ```ts
 * import { measureRss } from './measureRss.ts';
 * const keyHex = '00'.repeat(32);
 * const r = await measureRss({ kind: 'plumbing', bytes: 64 << 20, keyHex });
 * console.log((Math.max(r.highWaterRss, r.sampledPeakRss) - r.baselineRss) / 2 ** 20, 'MiB over baseline');
 * ```
 */
export function measureRss(job: RssJob): Promise<RssReport> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [...process.execArgv, '--expose-gc', CHILD], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d.toString();
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (code !== 0) {
        reject(
          new Error(
            `RSS child (${job.kind}) exited with ${code ?? signal}: ${err.trim().slice(-2000)}`,
          ),
        );
        return;
      }
      try {
        resolve(JSON.parse(out.trim().split('\n').pop() ?? '') as RssReport);
      } catch (e) {
        reject(
          new Error(
            `RSS child (${job.kind}) printed no report: ${out.slice(-500)} ${err.slice(-500)}`,
            { cause: e },
          ),
        );
      }
    });
    child.stdin.end(JSON.stringify(job));
  });
}

/** Peak RSS over baseline in bytes (upper bound; see {@link measureRss}). */
export function peakOverBaseline(r: RssReport): number {
  return Math.max(r.highWaterRss, r.sampledPeakRss) - r.baselineRss;
}
