import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import { JSON_PROGRESS_INTERVAL_MS, progressBar, renderProgress } from './progressBar.ts';

const MiB = 1024 * 1024;
const restoring = {
  phase: 'restore' as const,
  objects: 3,
  totalObjects: 10,
  bytes: 25 * MiB,
  totalBytes: 100 * MiB,
};

describe('renderProgress', () => {
  it('shows a bar, the percentage, counts, rate and an ETA when totals are known', () => {
    const line = renderProgress(restoring, { columns: 120, elapsedMs: 5_000 });
    // 25 MiB in 5 s is 5 MiB/s; 75 MiB to go is 15 s.
    expect(line).toMatch(
      /^\[#{6,}\.+\] {2}25% restore: 3\/10 objects, 25\.0 MiB\/100\.0 MiB, 5\.0 MiB\/s, ETA 0:15$/,
    );
    expect(line.length).toBeLessThan(120);
  });

  it.each([20, 40, 60, 80, 200])(
    'never reaches the last column of a %i-column terminal',
    (columns) => {
      for (const p of [
        restoring,
        { phase: 'backup' as const, objects: 12345, bytes: 7 * 1024 * MiB },
      ]) {
        const line = renderProgress(p, { columns, elapsedMs: 61_000 });
        expect(line.length).toBeLessThanOrEqual(columns - 1);
        expect(line.length).toBeGreaterThan(0);
      }
    },
  );

  it('keeps the percentage and the ETA on a narrow terminal, dropping the bar first', () => {
    const line = renderProgress(restoring, { columns: 50, elapsedMs: 5_000 });
    expect(line).not.toContain('[');
    expect(line).toContain('25%');
    expect(line).toContain('ETA 0:15');
  });

  it('has no ETA without totals, and hours when the wait is long', () => {
    const unknown = renderProgress(
      { phase: 'backup', objects: 1, bytes: MiB },
      { columns: 120, elapsedMs: 1_000 },
    );
    expect(unknown).not.toContain('ETA');
    expect(unknown).not.toContain('%');
    const slow = renderProgress(
      { phase: 'verify', objects: 0, bytes: MiB, totalBytes: 10_000 * MiB },
      { columns: 120, elapsedMs: 1_000 },
    );
    expect(slow).toContain('ETA 2:46:39');
  });
});

describe('progressBar', () => {
  function fakes(columns = 60) {
    let out = '';
    const stream = {
      columns,
      write: (s: string) => {
        out += s;
      },
    };
    const kills: [number, string][] = [];
    const proc = Object.assign(new EventEmitter(), {
      pid: 4242,
      kill: (pid: number, signal: string) => void kills.push([pid, signal]),
    });
    let clock = 0;
    const bar = progressBar({ enabled: true, stream, process: proc, now: () => clock });
    return {
      bar,
      proc,
      kills,
      output: () => out,
      tick: (ms: number) => {
        clock += ms;
      },
    };
  }

  it('draws within the stream width, and clears the line at the end', () => {
    const f = fakes(40);
    f.tick(2_000);
    f.bar.onProgress?.(restoring);
    const drawn = f.output().split('\r\x1b[2K').at(-1) as string;
    expect(drawn.length).toBeLessThanOrEqual(39);
    expect(drawn).toContain('25%');
    f.bar.end();
    expect(f.output().endsWith('\r\x1b[2K')).toBe(true);
    expect(f.proc.listenerCount('SIGINT')).toBe(0);
  });

  it('ends its line on Ctrl-C and then lets SIGINT stop the process', () => {
    const f = fakes();
    f.bar.onProgress?.(restoring);
    expect(f.proc.listenerCount('SIGINT')).toBe(1);
    f.proc.emit('SIGINT', 'SIGINT');
    expect(f.output().endsWith('\n')).toBe(true);
    expect(f.proc.listenerCount('SIGINT')).toBe(0);
    expect(f.kills).toEqual([[4242, 'SIGINT']]);
  });

  it('draws nothing when disabled', () => {
    const bar = progressBar({ enabled: false });
    expect(bar.onProgress).toBeUndefined();
  });
});

describe('progressBar with jsonLines', () => {
  it('writes a JSON line at most once an interval and a last one marked done, terminal or not', () => {
    const lines: string[] = [];
    let t = 0;
    const bar = progressBar({
      jsonLines: true,
      enabled: false,
      stream: { write: (text: string) => void lines.push(text) },
      now: () => t,
    });
    for (let i = 1; i <= 30; i++) {
      t = i * 100;
      bar.onProgress?.({ ...restoring, objects: i });
    }
    bar.end();
    const parsed = lines.map((l) => {
      expect(l.endsWith('\n')).toBe(true);
      return JSON.parse(l) as Record<string, unknown>;
    });
    // 3 s of updates every 100 ms: one at 100 ms, then one each full interval, then the last.
    expect(parsed.length).toBe(Math.floor((3000 - 100) / JSON_PROGRESS_INTERVAL_MS) + 2);
    expect(parsed[0]).toMatchObject({
      type: 'progress',
      phase: 'restore',
      objects: 1,
      done: false,
    });
    expect(parsed.at(-1)).toEqual({
      type: 'progress',
      ...restoring,
      objects: 30,
      elapsedMs: 3000,
      done: true,
    });
    bar.end();
    expect(lines.length).toBe(parsed.length); // a second end writes nothing
  });
});
