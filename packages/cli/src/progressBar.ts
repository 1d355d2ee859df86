import type { Progress } from '@sealstream/backup';
import { human } from './output.ts';

/** Where the bar is drawn: a terminal stream (its `columns` follows resizes). */
export interface ProgressStream {
  write(text: string): unknown;
  columns?: number | undefined;
}

/** What the bar needs of the process: a SIGINT listener and a way to re-raise it. */
export interface SignalSource {
  readonly pid: number;
  once(event: 'SIGINT', listener: () => void): unknown;
  off(event: 'SIGINT', listener: () => void): unknown;
  kill(pid: number, signal: 'SIGINT'): unknown;
  /** Listeners left: when another part of the command handles SIGINT, the bar does not re-raise. */
  listenerCount?(event: 'SIGINT'): number;
}

/** Options of {@link progressBar}; the defaults are stderr, the process and the wall clock. */
export interface ProgressBarOptions {
  /** Draw at all (default: when stderr is a terminal; scripts and logs get nothing). */
  enabled?: boolean;
  stream?: ProgressStream;
  process?: SignalSource;
  now?: () => number;
  /**
   * Instead of a bar, write progress as JSON lines (`--json-progress`): one object at most every
   * {@link JSON_PROGRESS_INTERVAL_MS} and one at the end, each
   * `{"type":"progress","phase",…,"objects","totalObjects"?,"bytes","totalBytes"?,"elapsedMs","done"}`,
   * whether or not the stream is a terminal.
   */
  jsonLines?: boolean;
}

/** Least time between two JSON progress lines. */
export const JSON_PROGRESS_INTERVAL_MS = 1000;

function jsonProgress(
  stream: ProgressStream,
  now: () => number,
  started: number,
): { onProgress: (p: Progress) => void; end: () => void } {
  let last: Progress | undefined;
  let written = Number.NEGATIVE_INFINITY;
  const write = (p: Progress, done: boolean) => {
    const at = now();
    written = at;
    stream.write(`${JSON.stringify({ type: 'progress', ...p, elapsedMs: at - started, done })}\n`);
  };
  return {
    onProgress(p) {
      last = { ...p };
      if (now() - written >= JSON_PROGRESS_INTERVAL_MS) write(last, false);
    },
    end() {
      if (last !== undefined) write(last, true);
      last = undefined;
    },
  };
}

/**
 * A one-line progress bar on stderr, fitted to the terminal's width at every draw. Returns the
 * callback to pass as `onProgress` and a function that clears the line. While a line is drawn,
 * Ctrl-C ends it (a newline, so the shell's prompt starts on a clean line) and then lets SIGINT
 * stop the process as it would have.
 */
export function progressBar(options: ProgressBarOptions = {}): {
  onProgress?: (p: Progress) => void;
  end: () => void;
} {
  const stream = options.stream ?? process.stderr;
  const now = options.now ?? Date.now;
  const started = now();
  if (options.jsonLines) return jsonProgress(stream, now, started);
  if (!(options.enabled ?? process.stderr.isTTY === true)) return { end: () => {} };
  const signals = options.process ?? process;
  let drawn = false;
  const interrupted = () => {
    stream.write('\n');
    drawn = false;
    if ((signals.listenerCount?.('SIGINT') ?? 0) === 0) signals.kill(signals.pid, 'SIGINT');
  };
  return {
    onProgress(p) {
      const line = renderProgress(p, { columns: stream.columns ?? 80, elapsedMs: now() - started });
      stream.write(`\r\x1b[2K${line}`);
      if (!drawn) signals.once('SIGINT', interrupted);
      drawn = true;
    },
    end() {
      if (!drawn) return;
      signals.off('SIGINT', interrupted);
      stream.write('\r\x1b[2K');
      drawn = false;
    },
  };
}

/**
 * One line of progress, shorter than `columns` (a line reaching the last column wraps on some
 * terminals): `[######......]  25% restore: 3/10 objects, 25.0 MiB/100.0 MiB, 5.0 MiB/s, ETA 0:15`.
 * The percentage, the bar and the ETA appear when the total bytes are known. On a narrow terminal
 * the bar goes first, then the rate, the object count and the byte count; what still does not fit
 * is cut.
 */
export function renderProgress(
  p: Progress,
  { columns, elapsedMs }: { columns: number; elapsedMs: number },
): string {
  const width = Math.max(columns - 1, 1);
  const rate = p.bytes / Math.max(elapsedMs / 1000, 0.001);
  const total = p.totalBytes !== undefined && p.totalBytes > 0 ? p.totalBytes : undefined;
  const fraction = total === undefined ? undefined : Math.min(1, p.bytes / total);
  const head = `${fraction === undefined ? '' : `${(fraction * 100).toFixed(0).padStart(3)}% `}${p.phase}:`;
  const parts: (string | undefined)[] = [
    `${p.objects}${p.totalObjects === undefined ? '' : `/${p.totalObjects}`} objects`,
    total === undefined ? human(p.bytes) : `${human(p.bytes)}/${human(total)}`,
    `${human(Math.round(rate))}/s`,
    total !== undefined && p.bytes > 0 && elapsedMs >= 1000
      ? `ETA ${clock((total - p.bytes) / rate)}`
      : undefined,
  ];
  const text = () => `${head} ${parts.filter((s) => s !== undefined).join(', ')}`;
  for (const drop of [2, 0, 1]) {
    if (text().length <= width) break;
    parts[drop] = undefined;
  }
  const line = text();
  const barWidth = Math.min(30, width - line.length - 3);
  if (fraction === undefined || barWidth < 10) return line.trimStart().slice(0, width);
  const fill = Math.round(fraction * barWidth);
  return `[${'#'.repeat(fill)}${'.'.repeat(barWidth - fill)}] ${line}`;
}

/** Seconds as m:ss, or h:mm:ss from an hour. */
function clock(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const two = (n: number) => String(n).padStart(2, '0');
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  return h > 0 ? `${h}:${two(m)}:${two(s % 60)}` : `${m}:${two(s % 60)}`;
}
